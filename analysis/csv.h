// CSV output shared by every writer (compare, history, sweep collect): one quoting rule.
#pragma once

#include <string>

namespace gm {

// A CSV field as RFC 4180 writes it: quoted only when it holds a comma, a quote or a line break,
// quotes doubled inside.
std::string csv_field(const std::string& s);

}  // namespace gm
