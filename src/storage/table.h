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
#include "bora/storage/state.h"
#include "shared_values.h"
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
  // Columns that keep part of their value in another table (col_shared)
  // are written and read with the session; get/set then still give and
  // take the whole value inline (for sort keys and filters).
  std::function<SqlValue(const R&, SqlSession&)> write = {};
  std::function<void(R&, SqlValue&, SqlSession&)> read = {};
  // JSON columns: whether two values are equal in content (`same` only
  // says whether they are the very value read or written; a definition
  // parsed again holds an equal, not the same, spec). Empty: `same` says it.
  std::function<bool(const R&, const R&)> equal = {};

  SqlValue write_with(const R& r, SqlSession& s) const { return write ? write(r, s) : get(r); }
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
  // What a record's fields become when it is written (create, update), as
  // Mistral's models' 'set' listeners change them: an execution's
  // state_info cut to 65 500 characters (tables.cpp). Empty: as given.
  std::function<void(R&)> on_write = {};

  // Whether a column reads with the session (the repository then reads a
  // query's rows before decoding them: no statement runs inside another).
  bool reads_with_session() const {
    for (const auto& c : columns)
      if (c.read) return true;
    return false;
  }

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
// A state is stored by its name; a name no state has (a row written by
// hand) reads as ERROR, so that the row stays readable and visibly wrong.
template <class R>
Column<R> col(std::string name, State R::*m) {
  return {std::move(name), ColumnType::Text, [m](const R& r) { return SqlValue(std::string(state_name(r.*m))); },
          [m](R& r, SqlValue& v) { r.*m = parse_state(text_from_sql(v)).value_or(State::Error); },
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
  Column<R> c{std::move(name), ColumnType::Json, [m](const R& r) { return to_sql(r.*m); },
              [m](R& r, SqlValue& v) { r.*m = value_from_sql(v); },
              [m](const R& a, const R& b) { return same_stored(a.*m, b.*m); }};
  c.equal = [m](const R& a, const R& b) { return a.*m == b.*m; };
  return c;
}
// A dict whose large entries are stored once per workflow execution
// (shared_values.h); `execution` names the member holding that execution's
// id (the row's own id for a workflow execution).
template <class R>
Column<R> col_shared(std::string name, Value R::*m, std::string R::*execution) {
  Column<R> c = col(std::move(name), m);
  c.write = [m, execution](const R& r, SqlSession& s) { return write_shared_column(s, r.*execution, r.*m); };
  // The execution's id is a column read before this one (tables.cpp keeps
  // `id` and `workflow_execution_id` first).
  c.read = [m, execution](R& r, SqlValue& v, SqlSession& s) { r.*m = read_shared_column(s, r.*execution, v); };
  return c;
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
