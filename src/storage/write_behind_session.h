// storage/write_behind_session: the session a writing transaction's
// repositories and statements run on. The engine's rows (workflow, task and
// action executions) changed in a transaction are written once, at the end
// or just before the next statement on their tables, not at each change
// (Repository's write-behind): this session writes them back before it
// runs a statement that names one of their tables, so every such
// statement, whoever builds it, sees the transaction's rows as they are
// now. (docs/STORAGE.md "Round trips".)
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql_session.h"

namespace bora::storage {

class WriteBehindSession : public SqlSession {
 public:
  // held_tables: the tables whose rows are held back (their names as the
  // statements write them, unquoted).
  WriteBehindSession(SqlSession& inner, std::function<void()> write_back, std::vector<std::string> held_tables)
      : inner_(inner), write_back_(std::move(write_back)), held_tables_(std::move(held_tables)) {}

  const SqlDialect& dialect() const override { return inner_.dialect(); }
  int64_t execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    if (names_held_table(sql)) flush_pending();
    return inner_.execute(sql, params);
  }
  // A statement writes the held-back rows first only when it names one
  // of their tables: no other table refers to them (no foreign key from a
  // timer, an event, a definition or a member row to an execution row), so
  // a statement on anything else can neither see nor need them, and
  // writing them then would write a row that changes again later in the
  // transaction twice (a with-items batch's timer INSERT came between its
  // actions' creation and their inline completion: 10 000 items were
  // 10 000 INSERTs and 10 000 UPDATEs). A new foreign key into these
  // tables must name them in its statements, or flush first.
  void query(std::string_view sql, const std::vector<SqlValue>& params,
             const std::function<void(SqlRow&)>& on_row) override {
    if (names_held_table(sql)) flush_pending();
    inner_.query(sql, params, on_row);
  }
  int64_t insert_returning_key(std::string_view insert, const std::vector<SqlValue>& params,
                               std::string_view key) override {
    if (names_held_table(insert)) flush_pending();
    return inner_.insert_returning_key(insert, params, key);
  }
  bool writing_back() const override { return writing_back_; }
  // The statements of the write-back itself run as they come (the flag),
  // not after another write-back.
  void flush_pending() override {
    if (writing_back_) return;
    writing_back_ = true;
    try {
      write_back_();
    } catch (...) {
      writing_back_ = false;
      throw;
    }
    writing_back_ = false;
  }

 private:
  bool names_held_table(std::string_view sql) const {
    for (const auto& t : held_tables_)
      if (sql.find(t) != std::string_view::npos) return true;
    return false;
  }

  SqlSession& inner_;
  std::function<void()> write_back_;
  std::vector<std::string> held_tables_;
  bool writing_back_ = false;
};

}  // namespace bora::storage
