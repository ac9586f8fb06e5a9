// storage/repository: the operations on one kind of record inside a
// transaction, with no SQL in sight. One generic implementation serves every
// record type (src/storage/repository.cpp), driven by the record's table
// description, over whichever backend the transaction runs on.
#pragma once

#include <concepts>
#include <functional>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bora/core/error.h"
#include "bora/storage/list_query.h"

namespace bora::storage {

class SqlSession;
template <class R>
struct Table;

// A record that belongs to a project (every Mistral "secure" model): its
// reads must say whose rows they may return.
template <class R>
concept ProjectOwned = requires(const R& r) {
  { r.project_id } -> std::convertible_to<std::string>;
};

template <class R>
class Repository {
 public:
  Repository(SqlSession& session, const Table<R>& table) : session_(&session), table_(&table) {}

  // Inserts the record. An empty id gets a new UUID; created_at is set to
  // now unless given. Conflict (Mistral's "Duplicate entry for ..." text)
  // when a unique constraint is broken.
  Result<R> create(R record);

  // The record with this id if the scope sees it, or NotFound with Mistral's
  // text (another project's row is not found, as in Mistral's
  // _secure_query). Records owned by no project have unscoped forms.
  Result<R> get(std::string_view id, const ProjectScope& scope);
  std::optional<R> find(std::string_view id, const ProjectScope& scope);
  Result<R> get(std::string_view id) requires(!ProjectOwned<R>);
  std::optional<R> find(std::string_view id) requires(!ProjectOwned<R>);

  // The first record matching every filter (in id order) that the scope
  // sees, if any.
  std::optional<R> find_one(const std::vector<Filter>& where, const ProjectScope& scope);

  // A page of the records query.scope sees: BadInput for an unknown field or
  // a value of the wrong type (naming the valid fields), NotFound for an
  // unknown marker.
  Result<std::vector<R>> list(const ListQuery& query);

  Result<int64_t> count(const std::vector<Filter>& where, const ProjectScope& scope);
  // Whether any record matches: stops at the first (count() visits all).
  Result<bool> any(const std::vector<Filter>& where, const ProjectScope& scope);

  // True when a row has this id, whoever owns it; says nothing else about
  // the row. For create-by-id: a client id taken by another project is a
  // conflict that must not show that project's row.
  bool exists(std::string_view id);

  // Writes the record back; updated_at becomes now. NotFound when no row
  // has its id; Conflict as for create. A row this transaction already read
  // or wrote gets only the columns that changed written.
  Result<R> update(R record);

  // Deletes one record; NotFound when absent.
  Result<void> remove(std::string_view id);
  // Deletes every record matching the filters; returns how many.
  Result<int64_t> remove_where(const std::vector<Filter>& where);

  // A row changed by other means than this repository (a conditional
  // update in SQL): the identity map must not answer for it. (What this
  // transaction changed in it is written first.)
  void forget(std::string_view id);
  // Every row: another node may have changed them since they were read
  // (Transaction::lock_tree).
  void forget_all();

  // Write-behind (Transaction turns it on for the engine's tables in a
  // writing transaction): update() of a row this transaction holds only
  // changes it in the identity map and notes the columns that changed;
  // with `inserts`, create() only puts the row there too. flush() writes
  // them: the new rows in multi-row INSERTs, then one UPDATE per changed
  // row with every column it changed since the last flush. So a row
  // created and changed four times in one transaction costs one statement,
  // not five. The session writes them back before any statement
  // (write_behind_session.h), so reads always see them. A deferred insert
  // gets no Conflict (its table must have no unique key but the id, a new
  // UUID), and a deferred update of a row deleted meanwhile fails at the
  // flush (NotFound, thrown) rather than at the update.
  // `deferrable`: which new rows may wait (unset: all); the others are
  // inserted at once (a row with a unique key whose Conflict is read).
  void defer_writes(bool inserts, std::function<bool(const R&)> deferrable = {}) {
    defer_ = true;
    defer_inserts_ = inserts;
    deferrable_ = std::move(deferrable);
  }
  bool pending() const { return !inserts_.empty() || !dirty_order_.empty(); }
  void flush();

  // Whether a row this transaction holds (read or written, as it is now)
  // matches: a question the identity map can answer yes to without a
  // statement (no: ask the database).
  template <class P>
  bool any_remembered(P&& pred) const {
    for (const auto& [id, row] : rows_)
      if (pred(row)) return true;
    return false;
  }
  // The rows this transaction holds that match, in no particular order.
  template <class P>
  std::vector<R> remembered_where(P&& pred) const {
    std::vector<R> out;
    for (const auto& [id, row] : rows_)
      if (pred(row)) out.push_back(row);
    return out;
  }
  // How many times rows left the map without leaving the database (the map
  // emptied when full, forget, forget_all): while it stays the same, every
  // row this transaction created is still in the map.
  uint64_t forgets() const { return forgets_; }
  // The row as this transaction last read or wrote it, if remembered.
  const R* remembered(std::string_view id) const {
    auto it = rows_.find(std::string(id));
    return it == rows_.end() ? nullptr : &it->second;
  }

  // At most this many rows are remembered; the map is emptied when full.
  static constexpr size_t kIdentityMapRows = 16384;

 private:
  // The identity map: the rows this transaction read or wrote, by id, as
  // they are stored now. find() by id in an unrestricted scope answers from
  // it (no read, no JSON parse) and update() compares against it. Every
  // write of these tables inside a transaction goes through the repository,
  // so the map cannot go stale; the transaction (and the map) ends at the
  // commit or the rollback.
  void remember(const R& stored);
  // The write-behind's UPDATEs (flush): one row, or n rows that changed
  // the same columns in one statement (database servers: a round trip each).
  void update_one(const std::string& id, const std::vector<bool>& flags);
  void update_many(const std::vector<std::string>& ids, size_t from, size_t n, const std::vector<bool>& flags);

  SqlSession* session_;
  const Table<R>* table_;
  std::unordered_map<std::string, R> rows_;
  uint64_t forgets_ = 0;
  // Write-behind: rows created and not inserted yet (in creation order),
  // and rows changed and not written yet (in the order of their first
  // change) with the columns to write (by index in the table).
  bool defer_ = false;
  bool defer_inserts_ = false;
  std::function<bool(const R&)> deferrable_;
  std::vector<std::string> inserts_;
  std::unordered_set<std::string> inserting_;
  std::vector<std::string> dirty_order_;
  std::unordered_map<std::string, std::vector<bool>> dirty_;
};

}  // namespace bora::storage
