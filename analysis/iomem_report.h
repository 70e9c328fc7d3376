// What `guestmem iomem` prints (design §6): the predicted placements of the next scratch sections or
// hot-add blocks, as the JSON document {kind, at, size_bytes, align_bytes, e820_source, requested, complete,
// placements:[{name,start,end,overlaps:[{name,start,end,depth}]}]} and as text. The command reads the files;
// this is the rest of it, so the fuzz target runs it whole.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "models/iomem_predict.h"

namespace gm {

// An input text with the name messages give it (the file name).
struct NamedText {
  std::string_view text;
  std::string name;
};

struct IomemCommandOutput {
  std::string json;  // the document, dump(2) and a newline
  std::string text;
};

// Contract: throws gm::InputError (exit 2) naming the file and line:column for bytes that are not UTF-8,
// every parse error of either file, an iomem text without a resource line and an e820 text without an entry.
IomemCommandOutput iomem_command(const NamedText& iomem, const std::optional<NamedText>& e820,
                                 const PlacementRequest& req);

}  // namespace gm
