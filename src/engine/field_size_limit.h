// engine/field_size_limit: Mistral's [engine] execution_field_size_limit_kb
// (mistral/db/v2/sqlalchemy/models.py, validate_long_type_length): the
// input, output, params and published fields of executions may not exceed
// the limit, measured as Python's sys.getsizeof(str(value)) in whole KiB;
// -1 means no limit. Checked where the engine sets those fields, so that a
// too-large value fails the execution, task or action cleanly instead of
// being stored.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "bora/core/python_format.h"
#include "bora/core/value.h"

namespace bora::engine {

// CPython's sys.getsizeof of a str: a compact string stores each character
// in 1, 2 or 4 bytes, as its widest one needs (PEP 393), after a header.
inline size_t python_str_getsizeof(const std::string& utf8) {
  size_t chars = 0;
  uint32_t widest = 0;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    widest = std::max(widest, cp);
    ++chars;
    i += len;
  }
  if (widest < 0x80) return 49 + chars;
  if (widest < 0x100) return 73 + chars;
  if (widest < 0x10000) return 74 + 2 * chars;
  return 76 + 4 * chars;
}

// Mistral's message, or nullopt when the value fits. An empty value (falsy
// in Python) is never checked, as in Mistral. The class is always
// TaskExecution: Mistral's listener (register_length_validator) is a
// lambda over its loop's variable, which ends on TaskExecution, so every
// execution's field says so.
inline std::optional<std::string> field_size_error(const char* field, const Value& v, int64_t limit_kb) {
  if (limit_kb < 0 || !v.truthy()) return std::nullopt;
  int64_t size_kb = static_cast<int64_t>(python_str_getsizeof(python_str(v)) / 1024);
  if (size_kb <= limit_kb) return std::nullopt;
  return fmt::format("Field size limit exceeded [class=TaskExecution, field={}, size={}KB, limit={}KB]", field,
                     size_kb, limit_kb);
}

}  // namespace bora::engine
