// storage/write_behind_session: the session a writing transaction's
// repositories and statements run on. The engine's rows (workflow, task and
// action executions) changed in a transaction are written once, at the end
// or just before the next statement, not at each change (Repository's
// write-behind): this session writes them back before it runs any
// statement, so every statement, whoever builds it, sees the transaction's
// rows as they are now. (docs/STORAGE.md "Round trips".)
#pragma once

#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "sql_session.h"

namespace bora::storage {

class WriteBehindSession : public SqlSession {
 public:
  WriteBehindSession(SqlSession& inner, std::function<void()> write_back)
      : inner_(inner), write_back_(std::move(write_back)) {}

  const SqlDialect& dialect() const override { return inner_.dialect(); }
  int64_t execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    flush_pending();
    return inner_.execute(sql, params);
  }
  void query(std::string_view sql, const std::vector<SqlValue>& params,
             const std::function<void(SqlRow&)>& on_row) override {
    flush_pending();
    inner_.query(sql, params, on_row);
  }
  int64_t insert_returning_key(std::string_view insert, const std::vector<SqlValue>& params,
                               std::string_view key) override {
    flush_pending();
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
  SqlSession& inner_;
  std::function<void()> write_back_;
  bool writing_back_ = false;
};

}  // namespace bora::storage
