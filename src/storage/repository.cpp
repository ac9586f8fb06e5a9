// storage/repository: the generic repository. Builds portable SQL from a
// record's table description; every value is a bound parameter, every
// identifier comes from the description (never from the caller), so a
// filter or sort key cannot inject SQL.
#include "bora/storage/repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <utility>

#include "bora/core/ids.h"
#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/core/utf8.h"
#include "bora/storage/records.h"
#include "sql_session.h"
#include "table.h"

namespace bora::storage {

const char* filter_op_name(FilterOp op) {
  switch (op) {
    case FilterOp::Eq: return "eq";
    case FilterOp::Neq: return "neq";
    case FilterOp::Lt: return "lt";
    case FilterOp::Lte: return "lte";
    case FilterOp::Gt: return "gt";
    case FilterOp::Gte: return "gte";
    case FilterOp::In: return "in";
    case FilterOp::Nin: return "nin";
    case FilterOp::Has: return "has";
  }
  return "eq";
}

namespace {

struct Where {
  std::string sql;
  std::vector<SqlValue> params;
  void add(const std::string& clause) {
    if (!sql.empty()) sql += " AND ";
    sql += clause;
  }
  std::string clause() const { return sql.empty() ? std::string() : " WHERE " + sql; }
};

template <class R>
std::string field_names(const Table<R>& t) {
  std::string out;
  for (const auto& c : t.columns) {
    if (c.name == "id") continue;
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

// The text a table's statements repeat (its quoted column list), built
// once per table and dialect on each thread: every read and write built it
// again, a quoted string per column (a few percent of a busy engine).
template <class R, class Build>
const std::string& per_table_text(const Table<R>& t, const SqlSession& s, int which, Build build) {
  struct Entry {
    const void* table;
    const SqlDialect* dialect;
    int which;
    std::string text;
  };
  // A few dozen entries: a scan is cheapest. A deque keeps the texts
  // already handed out where they are as it grows.
  thread_local std::deque<Entry> memo;
  const SqlDialect* d = &s.dialect();
  for (const auto& e : memo)
    if (e.table == &t && e.dialect == d && e.which == which) return e.text;
  memo.push_back({&t, d, which, build()});
  return memo.back().text;
}

template <class R>
const std::string& select_list(const Table<R>& t, const SqlSession& s) {
  return per_table_text(t, s, 0, [&] {
    std::string out;
    for (const auto& c : t.columns) {
      if (!out.empty()) out += ", ";
      out += s.quote(c.name);
    }
    return out;
  });
}

// A row as its record. A column that cannot be decoded (JSON that does not
// parse: written by an older version or by hand) leaves its field empty and
// is described in `problem`, so that the caller decides: a list skips the
// row, a read by id still returns it so that an operator can look at it and
// delete it.
template <class R>
R record_from_row(const Table<R>& t, SqlSession& s, SqlRow& row, std::string* problem = nullptr) {
  R r;
  for (size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
    try {
      if (t.columns[i].read) t.columns[i].read(r, row[i], s);
      else t.columns[i].set(r, row[i]);
    } catch (const BoraError& e) {
      if (!problem) throw;
      if (!problem->empty()) *problem += "; ";
      *problem += "column " + t.columns[i].name + ": " + e.what();
    }
  }
  return r;
}

// Runs a query calling on_row for each row. When the table has columns that
// read with the session (shared values), the rows are read first and handed
// out after the statement has ended, so that no statement runs inside
// another on the same connection.
template <class R>
void query_rows(const Table<R>& t, SqlSession& s, const std::string& sql, const std::vector<SqlValue>& params,
                const std::function<void(SqlRow&)>& on_row) {
  if (!t.reads_with_session()) {
    s.query(sql, params, on_row);
    return;
  }
  std::vector<SqlRow> rows;
  s.query(sql, params, [&](SqlRow& row) { rows.push_back(std::move(row)); });
  for (auto& row : rows) {
    on_row(row);
    row = SqlRow();  // a row's text is not kept once decoded
  }
}

template <class R>
std::string row_id(const Table<R>& t, SqlRow& row) {
  return row.empty() ? std::string() : repair_utf8(text_from_sql(row[0]));
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A filter value as the column's SQL type.
template <class R>
Result<SqlValue> filter_value(const Column<R>& c, const std::string& text) {
  switch (c.type) {
    case ColumnType::Text:
      return SqlValue(text);
    case ColumnType::Json: {
      // JSON compared as stored: the filter's value in the column's own
      // encoding, so `input={"a": 1}` finds what was stored as {"a":1}
      // (Mistral compares json.dumps of both). Text that is not JSON is
      // compared as it is.
      auto parsed = parse_json(text);
      if (!parsed) return SqlValue(text);
      return to_sql(*parsed);
    }
    case ColumnType::Integer: {
      try {
        size_t used = 0;
        long long v = std::stoll(text, &used);
        if (used == text.size()) return SqlValue(int64_t(v));
      } catch (...) {
      }
      return bad_input(fmt::format("Invalid value '{}' for field '{}': expected an integer.", text, c.name));
    }
    case ColumnType::Boolean:
      if (iequals(text, "true") || text == "1") return SqlValue(int64_t(1));
      if (iequals(text, "false") || text == "0") return SqlValue(int64_t(0));
      return bad_input(fmt::format("Invalid value '{}' for field '{}': expected true or false.", text, c.name));
    case ColumnType::Time:
      if (auto t = parse_time_or_date(text)) return SqlValue(to_micros(*t));
      return bad_input(fmt::format(
          "Invalid value '{}' for field '{}': expected a UTC time like 2026-11-24 22:13:17.", text, c.name));
  }
  return SqlValue(text);
}

std::string like_pattern(const std::string& v, bool wildcards) {
  std::string out = "%";
  for (char ch : v) {
    if ((!wildcards && (ch == '%' || ch == '_')) || ch == '\\') out += '\\';
    out += ch;
  }
  out += '%';
  return out;
}

template <class R>
Result<void> add_filters(const Table<R>& t, const SqlSession& s, const std::vector<Filter>& filters, Where& w) {
  for (const auto& f : filters) {
    const Column<R>* c = t.column(f.field);
    if (!c) {
      return bad_input(fmt::format("Unknown field '{}' to filter {} by; valid fields: {}.", f.field, t.entity,
                                   field_names(t)));
    }
    std::string q = s.quote(c->name);
    if (f.is_null && (f.op == FilterOp::Eq || f.op == FilterOp::Neq)) {
      w.add(q + (f.op == FilterOp::Eq ? " IS NULL" : " IS NOT NULL"));
      continue;
    }
    if (f.op == FilterOp::Has) {
      if (f.values.empty()) return bad_input(fmt::format("Filter 'has' on '{}' needs a value.", f.field));
      w.add(s.dialect().contains(q));
      w.params.emplace_back(like_pattern(f.values.front(), f.like_wildcards));
      continue;
    }
    if (f.op == FilterOp::In || f.op == FilterOp::Nin) {
      if (f.values.empty()) {
        if (f.op == FilterOp::In) w.add("1 = 0");
        continue;
      }
      std::string list;
      for (const auto& v : f.values) {
        auto sv = filter_value(*c, v);
        if (!sv) return sv.error();
        if (!list.empty()) list += ", ";
        list += "?";
        w.params.push_back(std::move(sv).value());
      }
      w.add(q + (f.op == FilterOp::In ? " IN (" : " NOT IN (") + list + ")");
      continue;
    }
    if (f.values.empty()) return bad_input(fmt::format("Filter on '{}' needs a value.", f.field));
    auto sv = filter_value(*c, f.values.front());
    if (!sv) return sv.error();
    const char* op = "=";
    switch (f.op) {
      case FilterOp::Neq: op = "<>"; break;
      case FilterOp::Lt: op = "<"; break;
      case FilterOp::Lte: op = "<="; break;
      case FilterOp::Gt: op = ">"; break;
      case FilterOp::Gte: op = ">="; break;
      default: break;
    }
    w.add(q + " " + op + " ?");
    w.params.push_back(std::move(sv).value());
  }
  return {};
}

// "a, b, c" and "?, ?, ?": the columns of an INSERT and one row's marks.
template <class R>
std::pair<const std::string&, const std::string&> insert_columns(const Table<R>& t, const SqlSession& s) {
  const std::string& cols = per_table_text(t, s, 1, [&] {
    std::string out;
    for (const auto& c : t.columns) out += (out.empty() ? "" : ", ") + s.quote(c.name);
    return out;
  });
  const std::string& marks = per_table_text(t, s, 2, [&] {
    std::string out;
    for (size_t i = 0; i < t.columns.size(); ++i) out += i == 0 ? "?" : ", ?";
    return out;
  });
  return {cols, marks};
}

// UPDATE of one row by id (its value the last parameter); the rows it
// matched. Throws UniqueViolation.
template <class R>
int64_t update_row(const Table<R>& t, SqlSession& s, const std::string& sets, const std::vector<SqlValue>& params) {
  return s.execute(fmt::format("UPDATE {} SET {} WHERE {} = ?", s.quote(t.name), sets, s.quote("id")), params);
}

// Rows a multi-row statement writes, of `left` to write: all of them up to
// 16, else an even number up to 64 (the rest in the next one). At most 40
// texts per table and column set for a connection to prepare, and at most
// two statements for up to 64 rows (halving, 64, 32, ... 1, took one per
// bit of the count: four for a batch of 30 rows).
size_t rows_per_statement(size_t left) {
  if (left <= 16) return left;
  return std::min<size_t>(64, left - left % 2);
}

template <class R>
void add_scope(const Table<R>& t, const SqlSession& s, const ProjectScope& scope, Where& w) {
  if (!t.has_project || scope.all_projects) return;
  std::string clause = s.quote("project_id") + " = ?";
  w.params.emplace_back(scope.project_id);
  if (t.has_scope && scope.include_public) {
    clause += " OR " + s.quote("scope") + " = ?";
    w.params.emplace_back(std::string("public"));
  }
  if (!scope.shared_ids.empty()) {
    clause += " OR " + s.quote("id") + " IN (";
    for (size_t i = 0; i < scope.shared_ids.size(); ++i) {
      clause += i ? ", ?" : "?";
      w.params.emplace_back(scope.shared_ids[i]);
    }
    clause += ")";
  }
  if (scope.shared_type) {
    clause += fmt::format(" OR {} IN (SELECT {} FROM {} WHERE {} = ? AND {} = ? AND {} = ?)", s.quote("id"),
                          s.quote("resource_id"), s.quote(table_for<ResourceMember>().name), s.quote("resource_type"),
                          s.quote("member_id"), s.quote("status"));
    w.params.emplace_back(*scope.shared_type);
    w.params.emplace_back(scope.project_id);
    w.params.emplace_back(std::string("accepted"));
  }
  w.add("(" + clause + ")");
}

}  // namespace

template <class R>
Result<R> Repository<R>::create(R record) {
  if (table_->on_write) table_->on_write(record);
  if (record.id.empty()) record.id = generate_row_id();
  if (record.created_at == Timestamp{}) record.created_at = now_utc();
  if (defer_inserts_ && (!deferrable_ || deferrable_(record))) {
    remember(record);  // first: a full map is written back and emptied before
    inserts_.push_back(record.id);
    inserting_.insert(record.id);
    return record;
  }
  auto [cols, marks] = insert_columns(*table_, *session_);
  std::vector<SqlValue> params;
  for (const auto& c : table_->columns) params.push_back(c.write_with(record, *session_));
  try {
    session_->execute(fmt::format("INSERT INTO {} ({}) VALUES ({})", session_->quote(table_->name), cols, marks),
                      params);
  } catch (const UniqueViolation&) {
    return conflict(table_->duplicate_message(record));
  }
  remember(record);
  return record;
}

template <class R>
void Repository<R>::remember(const R& stored) {
  if (rows_.size() >= kIdentityMapRows) {
    flush();  // the rows not written yet live here
    rows_.clear();
    ++forgets_;
  }
  R& row = rows_[stored.id] = stored;
  // As a read would give it back: text repaired, times in microseconds.
  // JSON columns keep their Value (the same one a read of the text gives,
  // see json_column_cache).
  for (const auto& c : table_->columns) {
    if (c.type == ColumnType::Json) continue;
    SqlValue v = c.get(row);
    c.set(row, v);
  }
}

template <class R>
std::optional<R> Repository<R>::find(std::string_view id, const ProjectScope& scope) {
  // Another project's row must stay unseen: only an unrestricted scope is
  // answered from the identity map.
  if (scope.all_projects) {
    if (auto it = rows_.find(std::string(id)); it != rows_.end()) return it->second;
  }
  Where w;
  add_scope(*table_, *session_, scope, w);
  w.add(session_->quote("id") + " = ?");
  w.params.emplace_back(std::string(id));
  std::optional<R> out;
  query_rows(
      *table_, *session_,
      fmt::format("SELECT {} FROM {}{}", select_list(*table_, *session_), session_->quote(table_->name), w.clause()),
      w.params, [&](SqlRow& row) {
        std::string problem;
        out = record_from_row(*table_, *session_, row, &problem);
        if (!problem.empty()) {
          log::error("storage", "{} {} is damaged, read with empty fields ({}); delete it if it is not needed",
                     table_->entity, row_id(*table_, row), problem);
        } else {
          remember(*out);
        }
      });
  return out;
}

template <class R>
Result<R> Repository<R>::get(std::string_view id, const ProjectScope& scope) {
  if (auto r = find(id, scope)) return std::move(*r);
  return not_found(table_->not_found_message(id));
}

template <class R>
std::optional<R> Repository<R>::find(std::string_view id) requires(!ProjectOwned<R>) {
  return find(id, ProjectScope::all());
}

template <class R>
Result<R> Repository<R>::get(std::string_view id) requires(!ProjectOwned<R>) {
  return get(id, ProjectScope::all());
}

template <class R>
bool Repository<R>::exists(std::string_view id) {
  bool found = false;
  session_->query(fmt::format("SELECT 1 FROM {} WHERE {} = ?", session_->quote(table_->name), session_->quote("id")),
                  {SqlValue(std::string(id))}, [&](SqlRow&) { found = true; });
  return found;
}

template <class R>
std::optional<R> Repository<R>::find_one(const std::vector<Filter>& where, const ProjectScope& scope) {
  ListQuery q{scope, where, {{"id", false}}, std::nullopt, 1};
  q.keep_damaged = true;
  auto rows = list(q);
  if (!rows) throw BoraError(rows.error());
  if (rows->empty()) return std::nullopt;
  return std::move(rows->front());
}

template <class R>
Result<std::vector<R>> Repository<R>::list(const ListQuery& query) {
  const Table<R>& t = *table_;
  Where w;
  add_scope(t, *session_, query.scope, w);
  if (auto r = add_filters(t, *session_, query.filters, w); !r) return r.error();

  std::vector<std::pair<const Column<R>*, bool>> keys;
  for (const auto& k : query.sort) {
    const Column<R>* c = t.column(k.field);
    if (!c) {
      // oslo.db's InvalidSortKey words (Mistral answers them 500).
      return bad_input(fmt::format("Sort key supplied is invalid: {} (not a column of {}; sort by one of: {})",
                                   k.field, t.entity, field_names(t)));
    }
    keys.emplace_back(c, k.descending);
  }
  if (std::none_of(keys.begin(), keys.end(), [](const auto& k) { return k.first->name == "id"; }))
    keys.emplace_back(t.column("id"), false);

  if (query.marker) {
    // Keyset pagination: rows strictly after the marker row in sort order.
    // NULLs sort lowest in both SQLite and MySQL.
    std::optional<R> marker;
    {
      Where mw;
      add_scope(t, *session_, query.scope, mw);
      mw.add(session_->quote("id") + " = ?");
      mw.params.emplace_back(*query.marker);
      query_rows(t, *session_,
                 fmt::format("SELECT {} FROM {}{}", select_list(t, *session_), session_->quote(t.name), mw.clause()),
                 mw.params, [&](SqlRow& row) {
                   std::string damaged;  // the sort keys are plain columns: still usable
                   marker = record_from_row(t, *session_, row, &damaged);
                 });
    }
    if (!marker) return not_found(t.not_found_message(*query.marker));
    std::string any;
    std::vector<SqlValue> any_params;
    std::string equal_prefix;
    std::vector<SqlValue> equal_params;
    for (const auto& [c, desc] : keys) {
      SqlValue v = c->get(*marker);
      bool null = std::holds_alternative<std::monostate>(v);
      std::string q = session_->quote(c->name);
      std::string after;
      std::vector<SqlValue> after_params;
      if (!desc) {
        after = null ? q + " IS NOT NULL" : q + " > ?";
      } else {
        after = null ? "1 = 0" : "(" + q + " < ? OR " + q + " IS NULL)";
      }
      if (!null) after_params.push_back(v);
      std::string branch = equal_prefix.empty() ? after : equal_prefix + " AND " + after;
      if (!any.empty()) any += " OR ";
      any += "(" + branch + ")";
      any_params.insert(any_params.end(), equal_params.begin(), equal_params.end());
      any_params.insert(any_params.end(), after_params.begin(), after_params.end());
      if (!equal_prefix.empty()) equal_prefix += " AND ";
      equal_prefix += null ? q + " IS NULL" : q + " = ?";
      if (!null) equal_params.push_back(v);
    }
    w.add("(" + any + ")");
    w.params.insert(w.params.end(), any_params.begin(), any_params.end());
  }

  std::string order;
  for (const auto& [c, desc] : keys) {
    if (!order.empty()) order += ", ";
    order += session_->quote(c->name) + (desc ? " DESC" : " ASC");
  }
  std::string sql = fmt::format("SELECT {} FROM {}{} ORDER BY {}", select_list(t, *session_),
                                session_->quote(t.name), w.clause(), order);
  if (query.limit > 0) {
    sql += " LIMIT ?";
    w.params.emplace_back(query.limit);
  }
  std::vector<R> out;
  int64_t fetched = 0;
  std::string last_id;
  query_rows(t, *session_, sql, w.params, [&](SqlRow& row) {
    ++fetched;
    last_id = row.empty() ? std::string() : text_from_sql(row[0]);
    // One damaged row must not make the whole list fail for everyone who
    // can see it: it is left out, and the log names it.
    std::string problem;
    R r = record_from_row(t, *session_, row, &problem);
    if (!problem.empty()) {
      if (!query.keep_damaged) {
        log::error("storage", "{} {} is damaged and left out of a list ({}); read or delete it by id",
                   t.entity, row_id(t, row), problem);
        return;
      }
      log::error("storage", "{} {} is damaged, read with empty fields ({}); delete it if it is not needed",
                 t.entity, row_id(t, row), problem);
    }
    out.push_back(std::move(r));
  });
  // A page short of damaged rows is completed from after the last row read,
  // so that a full page still means "there may be more" to the caller.
  if (query.limit > 0 && fetched == query.limit && static_cast<int64_t>(out.size()) < query.limit) {
    ListQuery rest = query;
    rest.marker = last_id;
    rest.limit = query.limit - static_cast<int64_t>(out.size());
    auto more = list(rest);
    if (!more) return more.error();
    for (auto& r : *more) out.push_back(std::move(r));
  }
  return out;
}

template <class R>
Result<int64_t> Repository<R>::count(const std::vector<Filter>& where, const ProjectScope& scope) {
  Where w;
  add_scope(*table_, *session_, scope, w);
  if (auto r = add_filters(*table_, *session_, where, w); !r) return r.error();
  int64_t n = 0;
  session_->query(fmt::format("SELECT COUNT(*) FROM {}{}", session_->quote(table_->name), w.clause()), w.params,
                  [&](SqlRow& row) { n = int_from_sql(row.at(0)); });
  return n;
}

template <class R>
Result<bool> Repository<R>::any(const std::vector<Filter>& where, const ProjectScope& scope) {
  Where w;
  add_scope(*table_, *session_, scope, w);
  if (auto r = add_filters(*table_, *session_, where, w); !r) return r.error();
  bool found = false;
  session_->query(fmt::format("SELECT 1 FROM {}{} LIMIT 1", session_->quote(table_->name), w.clause()), w.params,
                  [&](SqlRow&) { found = true; });
  return found;
}

template <class R>
Result<R> Repository<R>::update(R record) {
  if (table_->on_write) table_->on_write(record);
  // Mistral's models set updated_at with SQLAlchemy's onupdate, which runs
  // only when an UPDATE is issued, i.e. when another column changed: an
  // update that changes nothing (a definition stored again as it is)
  // writes nothing and keeps its updated_at (null when never changed).
  auto stored = rows_.find(record.id);
  if (stored == rows_.end() && find(record.id, ProjectScope::internal())) stored = rows_.find(record.id);
  if (auto known = stored; known != rows_.end()) {
    // Scalars first; JSON values only compared in content when nothing
    // else changed (the engine's updates change a state and stop there).
    bool changed = false;
    std::vector<const Column<R>*> json_to_compare;
    for (const auto& c : table_->columns) {
      if (c.name == "id" || c.name == "updated_at" || c.same(known->second, record)) continue;
      if (c.equal) {
        json_to_compare.push_back(&c);
        continue;
      }
      changed = true;
      break;
    }
    for (size_t i = 0; !changed && i < json_to_compare.size(); ++i)
      changed = !json_to_compare[i]->equal(known->second, record);
    if (!changed) return R(known->second);
  }
  record.updated_at = now_utc();
  if (defer_) {
    if (auto known = rows_.find(record.id); known != rows_.end()) {
      // Noted against the row as it is now (written or not); written by
      // flush().
      std::vector<bool> changed(table_->columns.size(), false);
      for (size_t i = 0; i < table_->columns.size(); ++i) {
        const auto& c = table_->columns[i];
        if (c.name == "id") continue;
        changed[i] = c.name == "updated_at" || !c.same(known->second, record);
      }
      remember(record);  // may write back what was pending (a full map) first
      if (!inserting_.count(record.id)) {
        auto [flags, first] = dirty_.try_emplace(record.id, table_->columns.size(), false);
        if (first) dirty_order_.push_back(record.id);
        for (size_t i = 0; i < changed.size(); ++i)
          if (changed[i]) flags->second[i] = true;
      }
      return record;
    }
  }
  std::string sets;
  std::vector<SqlValue> params;
  auto known = rows_.find(record.id);
  for (const auto& c : table_->columns) {
    if (c.name == "id") continue;
    // Known as stored: the columns that did not change are not written
    // (no JSON printed, no index touched).
    if (known != rows_.end() && c.name != "updated_at" && c.same(known->second, record)) continue;
    if (!sets.empty()) sets += ", ";
    sets += session_->quote(c.name) + " = ?";
    params.push_back(c.write_with(record, *session_));
  }
  params.emplace_back(record.id);
  int64_t changed = 0;
  try {
    changed = update_row(*table_, *session_, sets, params);
  } catch (const UniqueViolation&) {
    return conflict(table_->duplicate_message(record));
  }
  if (changed == 0) {
    rows_.erase(record.id);
    return not_found(table_->not_found_message(record.id));
  }
  remember(record);
  return record;
}

template <class R>
Result<void> Repository<R>::remove(std::string_view id) {
  // Rows of other tables a delete cascades to stay in their repositories'
  // maps until the transaction ends: a write to one finds no row (NotFound,
  // a foreign key error), which fails the batch, replayed a command at a
  // time (engine.cpp), each in a transaction of its own.
  std::string key(id);
  if (inserting_.count(key)) {
    // Never written: nothing to delete.
    inserting_.erase(key);
    inserts_.erase(std::find(inserts_.begin(), inserts_.end(), key));
    rows_.erase(key);
    return {};
  }
  if (dirty_.erase(key)) dirty_order_.erase(std::find(dirty_order_.begin(), dirty_order_.end(), key));
  rows_.erase(key);
  int64_t changed = session_->execute(
      fmt::format("DELETE FROM {} WHERE {} = ?", session_->quote(table_->name), session_->quote("id")),
      {SqlValue(std::string(id))});
  if (changed == 0) return not_found(table_->not_found_message(id));
  return {};
}

template <class R>
Result<int64_t> Repository<R>::remove_where(const std::vector<Filter>& where) {
  Where w;
  if (auto r = add_filters(*table_, *session_, where, w); !r) return r.error();
  flush();  // before its rows go from the map
  rows_.clear();
  ++forgets_;
  return session_->execute(fmt::format("DELETE FROM {}{}", session_->quote(table_->name), w.clause()), w.params);
}

template <class R>
void Repository<R>::forget(std::string_view id) {
  std::string key(id);
  if (inserting_.count(key) || dirty_.count(key)) flush();
  if (rows_.erase(key)) ++forgets_;
}

template <class R>
void Repository<R>::forget_all() {
  if (pending()) flush();
  if (!rows_.empty()) ++forgets_;
  rows_.clear();
}

template <class R>
void Repository<R>::flush() {
  if (!pending()) return;
  // Outside the session's write-back: through it, so that every
  // repository's rows are written, parents first (a new action's task row
  // before the action), and this one's in their turn.
  if (!session_->writing_back()) {
    session_->flush_pending();
    if (!pending()) return;
  }
  // Taken out first: whatever runs below must not write these twice.
  std::vector<std::string> inserts = std::move(inserts_);
  std::vector<std::string> order = std::move(dirty_order_);
  auto dirty = std::move(dirty_);
  inserts_.clear();
  inserting_.clear();
  dirty_order_.clear();
  dirty_.clear();
  const auto& columns = table_->columns;
  if (!inserts.empty()) {
    auto [cols, marks] = insert_columns(*table_, *session_);
    size_t at = 0;
    while (at < inserts.size()) {
      size_t n = rows_per_statement(inserts.size() - at);
      std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ", session_->quote(table_->name), cols);
      std::vector<SqlValue> params;
      params.reserve(n * columns.size());
      for (size_t k = 0; k < n; ++k) {
        const R& r = rows_.at(inserts[at + k]);
        sql += k ? ", (" : "(";
        sql += marks + ")";
        for (const auto& c : columns) params.push_back(c.write_with(r, *session_));
      }
      try {
        session_->execute(sql, params);
      } catch (const UniqueViolation&) {
        throw BoraError(conflict(table_->duplicate_message(rows_.at(inserts[at]))));
      }
      at += n;
    }
  }
  // The updates. On a database server each statement is a round trip:
  // rows that changed the same columns are written together, up to 64 a
  // statement (a join of 500 tasks completes 500 task and 500 action rows
  // in one transaction: 16 statements instead of 1 000).
  const bool batch = session_->dialect().batch_updates();
  std::vector<std::pair<std::vector<bool>, std::vector<std::string>>> groups;
  std::map<std::vector<bool>, size_t> group_of;
  for (const auto& id : order) {
    if (!rows_.count(id)) continue;  // deleted since (remove() drops its changes)
    const std::vector<bool>& flags = dirty.at(id);
    if (std::find(flags.begin(), flags.end(), true) == flags.end()) continue;
    if (!batch) {
      update_one(id, flags);
      continue;
    }
    auto [at, fresh] = group_of.try_emplace(flags, groups.size());
    if (fresh) groups.emplace_back(flags, std::vector<std::string>{});
    groups[at->second].second.push_back(id);
  }
  for (const auto& [flags, ids] : groups) {
    size_t at = 0;
    while (at < ids.size()) {
      size_t n = rows_per_statement(ids.size() - at);
      if (n == 1) {
        update_one(ids[at], flags);
      } else {
        update_many(ids, at, n, flags);
      }
      at += n;
    }
  }
}

template <class R>
void Repository<R>::update_one(const std::string& id, const std::vector<bool>& flags) {
  const auto& columns = table_->columns;
  const R& r = rows_.at(id);
  std::string sets;
  std::vector<SqlValue> params;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!flags[i]) continue;
    if (!sets.empty()) sets += ", ";
    sets += session_->quote(columns[i].name) + " = ?";
    params.push_back(columns[i].write_with(r, *session_));
  }
  params.emplace_back(id);
  int64_t changed = 0;
  try {
    changed = update_row(*table_, *session_, sets, params);
  } catch (const UniqueViolation&) {
    throw BoraError(conflict(table_->duplicate_message(r)));
  }
  if (changed == 0) {
    std::string gone = id;
    rows_.erase(gone);
    throw BoraError(not_found(table_->not_found_message(gone)));
  }
}

template <class R>
void Repository<R>::update_many(const std::vector<std::string>& ids, size_t from, size_t n,
                                const std::vector<bool>& flags) {
  // UPDATE t SET c = CASE id WHEN ? THEN ? ... END, ... WHERE id IN (?, ...)
  const auto& columns = table_->columns;
  const std::string id_column = session_->quote("id");
  std::string sets;
  std::vector<SqlValue> params;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!flags[i]) continue;
    if (!sets.empty()) sets += ", ";
    sets += session_->quote(columns[i].name) + " = CASE " + id_column;
    for (size_t k = 0; k < n; ++k) {
      sets += " WHEN ? THEN ?";
      params.emplace_back(ids[from + k]);
      params.push_back(columns[i].write_with(rows_.at(ids[from + k]), *session_));
    }
    sets += " END";
  }
  std::string in;
  for (size_t k = 0; k < n; ++k) {
    in += k ? ", ?" : "?";
    params.emplace_back(ids[from + k]);
  }
  int64_t matched = -1;
  try {
    matched = session_->execute(
        fmt::format("UPDATE {} SET {} WHERE {} IN ({})", session_->quote(table_->name), sets, id_column, in), params);
  } catch (const UniqueViolation&) {
    matched = -1;  // which row: told by the rows one at a time below
  }
  // A row gone (deleted by another transaction) or a duplicate: the rows
  // one at a time name it, as a single update does (rewriting the others'
  // same values changes nothing).
  if (matched != static_cast<int64_t>(n))
    for (size_t k = 0; k < n; ++k) update_one(ids[from + k], flags);
}

template class Repository<WorkbookDefinition>;
template class Repository<WorkflowDefinition>;
template class Repository<ActionDefinition>;
template class Repository<Environment>;
template class Repository<WorkflowExecution>;
template class Repository<TaskExecution>;
template class Repository<ActionExecution>;
template class Repository<DelayedCall>;
template class Repository<CronTrigger>;
template class Repository<EventTrigger>;
template class Repository<ResourceMember>;
template class Repository<CodeSource>;
template class Repository<DynamicActionDefinition>;
template class Repository<DefinitionVersion>;

}  // namespace bora::storage
