// core/html_entities_table: the data of Python's html.unescape (generated
// by scripts/gen_html_entities.py into html_entities_table.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace bora::html_tables {

struct NamedReference {
  const char* name;   // "amp;", "amp" (a legacy name without ';'), "NotEqualTilde;"
  const char* value;  // UTF-8
};
struct NumericReplacement {
  uint32_t number;
  const char* value;  // UTF-8
};

extern const NamedReference k_named[];
extern const size_t k_named_count;
extern const NumericReplacement k_invalid_charrefs[];
extern const size_t k_invalid_charrefs_count;
extern const uint32_t k_invalid_codepoints[];  // sorted
extern const size_t k_invalid_codepoints_count;

}  // namespace bora::html_tables
