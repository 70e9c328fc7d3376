// Reads an e820 map from the text forms people have at hand: kernel logs, Xen's boot log, a
// /sys/firmware/memmap dump, or guestmem's own JSON. No I/O: the caller passes the file's text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "models/e820.h"

namespace gm {

// One problem in the input, positioned for an InputError line ("FILE:LINE:COL: message").
struct E820ParseError {
  int line = 0;  // 1-based; 0 = the whole file
  int column = 0;
  std::string message;
};

struct E820ParseResult {
  std::vector<E820Entry> entries;  // the raw map (unsanitized) of the chosen block
  std::string form;                // "dmesg", "xen", "sysfs", "json"; empty when nothing was found
  int updates_applied = 0;         // "e820: update/remove" lines applied (dmesg)
  std::vector<E820ParseError> errors;
};

// Accepted forms (docs/address-space.md):
//  - dmesg: `BIOS-e820: [mem 0xA-0xB] TYPE`, `Xen: [mem 0xA-0xB] TYPE`, `user: [mem 0xA-0xB] TYPE`, with
//    anything before the marker (timestamps, "(early)"); the old `BIOS-e820: A - B (TYPE)` form (end
//    exclusive); `e820: update [mem 0xA-0xB] OLD ==> NEW` and `e820: remove [mem 0xA-0xB] TYPE` are applied
//    to the firmware map in order. A `user:` block, when present, wins (it is the final map).
//  - Xen: `(XEN) ... AAAA - BBBB (TYPE)` (end exclusive) and `(XEN) ... [AAAA, BBBB] (TYPE)` (inclusive).
//  - sysfs: `grep . /sys/firmware/memmap/*/*` output (`.../N/start:0x..`, `.../N/end:0x..`,
//    `.../N/type:System RAM`) or one `0xSTART 0xEND TYPE` line per entry (end inclusive).
//  - JSON: `{"entries":[{"start","end","type"}]}` (guestmem e820 --json) or a bare array of entries;
//    start/end integers or "0x..." strings, end inclusive, type a name or a numeric code.
// Lines starting with '#' and unrelated lines are skipped. Of several blocks of one form the last wins.
E820ParseResult parse_e820_text(std::string_view text);

}  // namespace gm
