// Reads /proc/iomem text (nesting by two-space indentation) into the walk form of the resource tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/resource_tree.h"

namespace gm {

struct IomemParseError {
  int line = 0;  // 1-based; 0 = the whole file
  int column = 0;
  std::string message;
};

struct IomemParseResult {
  std::vector<IomemEntry> entries;  // in file order (a depth-first walk)
  std::vector<IomemParseError> errors;
};

// Accepts lines "START-END : NAME" (hex, kernel/resource.c r_show "%*s%0*llx-%0*llx : %s" with two
// spaces of indent per level); '#' lines and blank lines are skipped. A file whose addresses are all
// zero was read without CAP_SYS_ADMIN (the kernel zeroes them for non-root): refused with an error
// that says so. A child outside its parent, or a depth jump of more than one level, is an error.
// Every valid line is kept in file order, including "00000000-00000000" entries and zero-size ones
// (END = START - 1): the resource tree imports them as the kernel keeps them.
IomemParseResult parse_iomem_text(std::string_view text);

}  // namespace gm
