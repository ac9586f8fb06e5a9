// storage/table: how a record type maps to a table: its columns (name, SQL
// type, how to read and write the struct member) and Mistral's texts for
// its not-found and duplicate errors. The generic Repository<R> works from
// this description alone, so adding a record is a table description plus a
// migration, never new SQL code.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/time.h"
#include "bora/core/value.h"
#include "sql_session.h"

namespace bora::storage {

// How a field is stored and how a filter value written as text converts.
enum class ColumnType { Text, Integer, Boolean, Json, Time };

template <class R>
struct Column {
  std::string name;  // the SQL column and the field name filters use
  ColumnType type = ColumnType::Text;
  std::function<SqlValue(const R&)> get;
  std::function<void(R&, SqlValue&)> set;
  // True when the field holds what was stored: an update through the
  // repository's identity map writes only the columns that differ.
  std::function<bool(const R&, const R&)> same;
};

template <class R>
struct Table {
  std::string name;    // SQL table
  std::string entity;  // the resource's name in messages
  std::vector<Column<R>> columns;  // columns[0] is "id"
  bool has_project = true;         // project_id column
  bool has_scope = true;           // scope column (private/public)
  std::function<std::string(const R&)> duplicate_message;
  std::function<std::string(std::string_view id)> not_found_message;

  const Column<R>* column(std::string_view n) const {
    for (const auto& c : columns)
      if (c.name == n) return &c;
    return nullptr;
  }
};

// Column builders: the column type follows from the member's type.
SqlValue to_sql(const Value& v);
// Text as stored: bytes that are not UTF-8 (which the API refuses, but an
// action's output may hold) become U+FFFD, so that no row is unreadable.
SqlValue text_to_sql(const std::string& s);
Value value_from_sql(const SqlValue& v);
// Whether two values are the one stored: scalars and strings by content,
// lists and dicts only when they share their payload (a dict that compares
// equal may still be stored in another key order).
bool same_stored(const Value& a, const Value& b) noexcept;
std::string text_from_sql(const SqlValue& v);
int64_t int_from_sql(const SqlValue& v);

template <class R>
Column<R> col(std::string name, std::string R::*m) {
  return {std::move(name), ColumnType::Text, [m](const R& r) { return text_to_sql(r.*m); },
          [m](R& r, SqlValue& v) { r.*m = text_from_sql(v); },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}
template <class R>
Column<R> col(std::string name, std::optional<std::string> R::*m) {
  return {std::move(name), ColumnType::Text,
          [m](const R& r) { return r.*m ? text_to_sql(*(r.*m)) : SqlValue(); },
          [m](R& r, SqlValue& v) {
            if (std::holds_alternative<std::monostate>(v)) r.*m = std::nullopt;
            else r.*m = text_from_sql(v);
          },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}
template <class R>
Column<R> col(std::string name, Value R::*m) {
  return {std::move(name), ColumnType::Json, [m](const R& r) { return to_sql(r.*m); },
          [m](R& r, SqlValue& v) { r.*m = value_from_sql(v); },
          [m](const R& a, const R& b) { return same_stored(a.*m, b.*m); }};
}
template <class R>
Column<R> col(std::string name, bool R::*m) {
  return {std::move(name), ColumnType::Boolean, [m](const R& r) { return SqlValue(int64_t(r.*m ? 1 : 0)); },
          [m](R& r, SqlValue& v) { r.*m = int_from_sql(v) != 0; },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}
template <class R>
Column<R> col(std::string name, std::optional<bool> R::*m) {
  return {std::move(name), ColumnType::Boolean,
          [m](const R& r) { return r.*m ? SqlValue(int64_t(*(r.*m) ? 1 : 0)) : SqlValue(); },
          [m](R& r, SqlValue& v) {
            if (std::holds_alternative<std::monostate>(v)) r.*m = std::nullopt;
            else r.*m = int_from_sql(v) != 0;
          },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}
template <class R>
Column<R> col(std::string name, int64_t R::*m) {
  return {std::move(name), ColumnType::Integer, [m](const R& r) { return SqlValue(r.*m); },
          [m](R& r, SqlValue& v) { r.*m = int_from_sql(v); },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}
template <class R>
Column<R> col(std::string name, std::optional<int64_t> R::*m) {
  return {std::move(name), ColumnType::Integer,
          [m](const R& r) { return r.*m ? SqlValue(*(r.*m)) : SqlValue(); },
          [m](R& r, SqlValue& v) {
            if (std::holds_alternative<std::monostate>(v)) r.*m = std::nullopt;
            else r.*m = int_from_sql(v);
          },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}
template <class R>
Column<R> col(std::string name, Timestamp R::*m) {
  return {std::move(name), ColumnType::Time, [m](const R& r) { return SqlValue(to_micros(r.*m)); },
          [m](R& r, SqlValue& v) { r.*m = from_micros(int_from_sql(v)); },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}
template <class R>
Column<R> col(std::string name, std::optional<Timestamp> R::*m) {
  return {std::move(name), ColumnType::Time,
          [m](const R& r) { return r.*m ? SqlValue(to_micros(*(r.*m))) : SqlValue(); },
          [m](R& r, SqlValue& v) {
            if (std::holds_alternative<std::monostate>(v)) r.*m = std::nullopt;
            else r.*m = from_micros(int_from_sql(v));
          },
          [m](const R& a, const R& b) { return a.*m == b.*m; }};
}

// The description of each record's table (tables.cpp).
template <class R>
const Table<R>& table_for();

}  // namespace bora::storage
