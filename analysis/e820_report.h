// What `guestmem e820` prints (design §6): the sanitized map as the stable JSON document
// {"entries":[{start,end,type}], total_usable_bytes, bytes_by_type, highest_address, holes, form} and as a
// table with totals. The command reads the file; this is the rest of it, so the fuzz target runs it whole.
#pragma once

#include <string>
#include <string_view>

namespace gm {

struct E820CommandOutput {
  std::string json;  // the document, dump(2) and a newline
  std::string text;  // the table, totals and holes
};

// Contract: parses `text` in any form parse_e820_text accepts, sanitizes it like e820__update_table() and
// renders both forms. Throws gm::InputError (exit 2) naming `name` and line:column for bytes that are not
// UTF-8, for every parse error, and for a text without an entry.
E820CommandOutput e820_command(std::string_view text, const std::string& name);

}  // namespace gm
