// engine/field_size_limit: Mistral's [engine] execution_field_size_limit_kb
// (mistral/db/v2/sqlalchemy/models.py, validate_long_type_length): the
// input, output, params and published fields of executions may not exceed
// the limit, measured as Python's sys.getsizeof(str(value)) in whole KiB;
// -1 means no limit. Checked where the engine sets those fields, so that a
// too-large value fails the execution, task or action cleanly instead of
// being stored.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "bora/core/python_format.h"
#include "bora/core/value.h"

namespace bora::engine {

// Mistral's message, or nullopt when the value fits. An empty value (falsy
// in Python) is never checked, as in Mistral.
inline std::optional<std::string> field_size_error(const char* cls, const char* field, const Value& v,
                                                   int64_t limit_kb) {
  if (limit_kb < 0 || !v.truthy()) return std::nullopt;
  constexpr size_t kPythonStrOverhead = 49;  // sys.getsizeof('') on CPython 3
  size_t size = python_str(v).size() + kPythonStrOverhead;
  int64_t size_kb = static_cast<int64_t>(size / 1024);
  if (size_kb <= limit_kb) return std::nullopt;
  return fmt::format("Field size limit exceeded [class={}, field={}, size={}KB, limit={}KB]", cls, field, size_kb,
                     limit_kb);
}

}  // namespace bora::engine
