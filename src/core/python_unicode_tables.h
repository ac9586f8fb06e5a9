// core/python_unicode_tables: the data of python_unicode_tables.cpp, which
// scripts/gen_unicode_tables.py generates from Python's unicodedata.
// Private to core (python_unicode.cpp reads it).
#pragma once

#include <cstddef>
#include <cstdint>

namespace bora::unicode_tables {

// Code points first..last, inclusive, sorted and disjoint.
struct Range {
  uint32_t first, last;
};

// first, first + stride, ... last each map to itself + delta; the spans
// of one table are sorted and disjoint.
struct CaseRun {
  uint32_t first, last;
  int32_t stride, delta;
};

// A code point whose mapping is several characters ('ß' upper is "SS").
struct Special {
  uint32_t code_point;
  const char* utf8;
};

#define BORA_UNICODE_RANGES(name) \
  extern const Range name[];      \
  extern const size_t name##_size;
BORA_UNICODE_RANGES(k_alpha)
BORA_UNICODE_RANGES(k_decimal)
BORA_UNICODE_RANGES(k_digit)
BORA_UNICODE_RANGES(k_numeric)
BORA_UNICODE_RANGES(k_space)
BORA_UNICODE_RANGES(k_lower)
BORA_UNICODE_RANGES(k_upper)
BORA_UNICODE_RANGES(k_title)
BORA_UNICODE_RANGES(k_printable)
BORA_UNICODE_RANGES(k_identifier_start)
BORA_UNICODE_RANGES(k_identifier_continue)
BORA_UNICODE_RANGES(k_cased)
BORA_UNICODE_RANGES(k_case_ignorable)
#undef BORA_UNICODE_RANGES

#define BORA_UNICODE_MAPPING(name)               \
  extern const CaseRun k_##name##_runs[];        \
  extern const size_t k_##name##_runs_size;      \
  extern const Special k_##name##_special[];     \
  extern const size_t k_##name##_special_size;
BORA_UNICODE_MAPPING(upper)
BORA_UNICODE_MAPPING(lower)
BORA_UNICODE_MAPPING(title)
BORA_UNICODE_MAPPING(fold)
#undef BORA_UNICODE_MAPPING

}  // namespace bora::unicode_tables

namespace bora::unicode_tables {

// Character names (python_unicode_names.cpp): see scripts/
// gen_unicode_tables.py for the encoding.
extern const char* const k_name_alphabet;
extern const char* const k_name_words;
extern const char* const k_names;

// Names written PREFIX-<hex of the code point> for first..last.
struct PrefixedNames {
  const char* prefix;
  uint32_t first, last;
};
extern const PrefixedNames k_prefixed_names[];
extern const size_t k_prefixed_names_size;

// Formal aliases (NameAliases.txt) that \N{...} reads as well.
struct NameAlias {
  const char* name;
  uint32_t code_point;
};
extern const NameAlias k_name_aliases[];
extern const size_t k_name_aliases_size;

}  // namespace bora::unicode_tables
