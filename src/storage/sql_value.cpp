// storage/sql_value: conversions between record fields and SQL values.
// Structured Values are stored as compact JSON text; a null Value is SQL NULL.
#include <string>

#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/utf8.h"
#include "bora/core/limits.h"
#include "json_column_cache.h"
#include "table.h"

namespace bora::storage {

SqlValue to_sql(const Value& v) {
  if (v.is_null()) return SqlValue();
  if (v.is_dict() || v.is_list()) return SqlValue(encode_json_column(v));
  return SqlValue(to_json(v));
}

SqlValue text_to_sql(const std::string& s) {
  if (is_valid_utf8(s)) return SqlValue(s);
  return SqlValue(repair_utf8(s));
}

Value value_from_sql(const SqlValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return Value();
  if (auto s = std::get_if<std::string>(&v)) return decode_json_column(*s);
  return decode_json_column(text_from_sql(v));
}

bool same_stored(const Value& a, const Value& b) noexcept {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Value::Type::List: return &a.as_list() == &b.as_list();
    case Value::Type::Dict: return &a.as_dict() == &b.as_dict();
    default: return a == b;  // scalars and strings: by content
  }
}

std::string text_from_sql(const SqlValue& v) {
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

int64_t int_from_sql(const SqlValue& v) {
  if (auto i = std::get_if<int64_t>(&v)) return *i;
  if (auto d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto s = std::get_if<std::string>(&v)) {
    try {
      return std::stoll(*s);
    } catch (...) {
      throw BoraError(ErrorKind::Internal, "a stored integer field holds '" + *s + "'");
    }
  }
  return 0;
}

}  // namespace bora::storage
