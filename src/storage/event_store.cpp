// storage/event_store: the event log's SQL (event_rows.h). Plain statements
// with fixed text, so each is prepared once per connection (the SQLite
// session caches statements by text): appending an event costs one insert.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "bora/storage/transaction.h"
#include "sql_session.h"

namespace bora::storage {

namespace {

constexpr const char* kColumns =
    "seq, event, created_at, project_id, root_execution_id, execution_id, task_execution_id, workflow_name, "
    "payload, publishers, attempts, next_attempt_at";

SqlValue text_or_null(const std::optional<std::string>& s) { return s ? SqlValue(*s) : SqlValue(); }

std::optional<std::string> optional_text(const SqlValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return std::nullopt;
}

int64_t integer(const SqlValue& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  return 0;
}

EventRow row_of(SqlRow& r) {
  EventRow e;
  e.seq = integer(r[0]);
  e.event = optional_text(r[1]).value_or("");
  e.created_at = from_micros(integer(r[2]));
  e.project_id = optional_text(r[3]).value_or("");
  e.root_execution_id = optional_text(r[4]).value_or("");
  e.execution_id = optional_text(r[5]).value_or("");
  e.task_execution_id = optional_text(r[6]);
  e.workflow_name = optional_text(r[7]).value_or("");
  e.payload = optional_text(r[8]).value_or("");
  e.publishers = optional_text(r[9]);
  e.attempts = integer(r[10]);
  if (std::holds_alternative<int64_t>(r[11])) e.next_attempt_at = from_micros(integer(r[11]));
  return e;
}

// " AND column IN (?, ?)" for a non-empty list, its values appended.
std::string in_list(const char* column, const std::vector<std::string>& values, std::vector<SqlValue>& params) {
  if (values.empty()) return "";
  std::string sql = fmt::format(" AND {} IN (", column);
  for (size_t i = 0; i < values.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(values[i]);
  }
  return sql + ")";
}

}  // namespace

namespace {

// Rows of one multi-row INSERT of queued events: 9 values each, far below
// SQLite's and MySQL's limits on bound parameters, and a statement of at
// most a few hundred KB for usual payloads. 128: a 50-task chain's 102
// events are one statement.
constexpr size_t kEventsPerInsert = 128;

constexpr const char* kInsertColumns =
    "INSERT INTO execution_events (event, created_at, project_id, root_execution_id, execution_id, "
    "task_execution_id, workflow_name, payload, publishers) VALUES ";

}  // namespace

void Transaction::queue_event(EventRow row) { queued_events_.push_back(std::move(row)); }

int64_t Transaction::flush_events() {
  flush_writes();  // the rows the events tell of, and what the commit must hold
  if (queued_events_.empty()) return flushed_seq_;
  std::vector<EventRow> rows;
  rows.swap(queued_events_);  // a failure below ends the transaction: nothing is written twice
  for (size_t from = 0; from < rows.size(); from += kEventsPerInsert) {
    size_t to = std::min(rows.size(), from + kEventsPerInsert);
    std::string sql = kInsertColumns;
    std::vector<SqlValue> params;
    params.reserve((to - from) * 9);
    for (size_t i = from; i < to; ++i) {
      const EventRow& e = rows[i];
      sql += i == from ? "(?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?)";
      params.emplace_back(e.event);
      params.emplace_back(to_micros(e.created_at));
      params.emplace_back(e.project_id);
      params.emplace_back(e.root_execution_id);
      params.emplace_back(e.execution_id);
      params.push_back(text_or_null(e.task_execution_id));
      params.emplace_back(e.workflow_name);
      params.emplace_back(e.payload);
      params.push_back(text_or_null(e.publishers));
    }
    if (to == rows.size() && session_.dialect().insert_returning()) {
      // The last INSERT says the seqs it gave: the newest is this
      // transaction's last event.
      int64_t newest = 0;
      session_.query(sql + " RETURNING seq", params, [&](SqlRow& r) { newest = std::max(newest, integer(r.at(0))); });
      flushed_seq_ = newest;
      return flushed_seq_;
    }
    session_.execute(sql, params);
  }
  // The rows of one INSERT get increasing seqs in VALUES order; the newest
  // in the log is this transaction's last or a later one another node
  // committed (also committed, so as good for the loop's announcement).
  flushed_seq_ = last_event_seq();
  return flushed_seq_;
}

int64_t Transaction::append_event(const EventRow& e) {
  flush_events();  // in the order they were given
  return session_.insert_returning_key(
      "INSERT INTO execution_events (event, created_at, project_id, root_execution_id, execution_id, "
      "task_execution_id, workflow_name, payload, publishers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {SqlValue(e.event), SqlValue(to_micros(e.created_at)), SqlValue(e.project_id), SqlValue(e.root_execution_id),
       SqlValue(e.execution_id), text_or_null(e.task_execution_id), SqlValue(e.workflow_name), SqlValue(e.payload),
       text_or_null(e.publishers)},
      "seq");
}

std::vector<EventRow> Transaction::events_after(const EventQuery& q) {
  flush_events();
  std::vector<SqlValue> params{SqlValue(q.after)};
  std::string where = "seq > ?";
  auto eq = [&](const char* column, const std::optional<std::string>& v) {
    if (!v) return;
    where += fmt::format(" AND {} = ?", column);
    params.emplace_back(*v);
  };
  eq("root_execution_id", q.root_execution_id);
  eq("execution_id", q.execution_id);
  eq("workflow_name", q.workflow_name);
  where += in_list("event", q.events, params);
  where += in_list("project_id", q.project_ids, params);
  if (q.up_to) {
    where += " AND seq <= ?";
    params.emplace_back(*q.up_to);
  }
  params.emplace_back(static_cast<int64_t>(q.limit));
  std::vector<EventRow> out;
  session_.query(fmt::format("SELECT {} FROM execution_events WHERE {} ORDER BY seq ASC LIMIT ?", kColumns, where),
                 params, [&](SqlRow& r) { out.push_back(row_of(r)); });
  return out;
}

std::vector<int64_t> Transaction::event_seqs_after(int64_t after, size_t limit) {
  flush_events();
  std::vector<int64_t> out;
  session_.query("SELECT seq FROM execution_events WHERE seq > ? ORDER BY seq ASC LIMIT ?",
                 {SqlValue(after), SqlValue(static_cast<int64_t>(limit))},
                 [&](SqlRow& r) { out.push_back(integer(r.at(0))); });
  return out;
}

int64_t Transaction::last_event_seq() {
  flush_events();
  int64_t seq = 0;
  session_.query("SELECT MAX(seq) FROM execution_events", {}, [&](SqlRow& r) { seq = integer(r.at(0)); });
  return seq;
}

std::vector<EventRow> Transaction::pending_notifications(size_t limit) {
  flush_events();
  std::vector<EventRow> out;
  session_.query(
      fmt::format("SELECT {} FROM execution_events WHERE publishers IS NOT NULL ORDER BY seq ASC LIMIT ?", kColumns),
      {SqlValue(static_cast<int64_t>(limit))}, [&](SqlRow& r) { out.push_back(row_of(r)); });
  return out;
}

std::vector<EventRow> Transaction::claim_notifications(Timestamp now, std::chrono::microseconds lease, size_t max) {
  flush_events();
  const int64_t at = to_micros(now);
  std::vector<EventRow> candidates;
  session_.query(fmt::format("SELECT {} FROM execution_events WHERE publishers IS NOT NULL AND (next_attempt_at IS "
                             "NULL OR next_attempt_at <= ?) ORDER BY seq ASC LIMIT ?{}",
                             kColumns, session_.dialect().skip_locked()),
                 {SqlValue(at), SqlValue(static_cast<int64_t>(max))},
                 [&](SqlRow& r) { candidates.push_back(row_of(r)); });
  if (candidates.empty()) return candidates;
  // Every pending event of the candidates' trees up to the newest
  // candidate, committed or claimed by anyone (a plain read: rows another
  // claimer has locked show as last committed, i.e. still pending). A tree
  // is served from its oldest pending event on, as long as the events are
  // this claim's; the first one that is not (a retry not yet due, another
  // claimer's) holds the rest of that tree back.
  std::vector<std::string> trees;
  for (const auto& c : candidates) {
    if (std::find(trees.begin(), trees.end(), c.root_execution_id) == trees.end()) trees.push_back(c.root_execution_id);
  }
  std::vector<SqlValue> params{SqlValue(candidates.back().seq)};
  std::string where = "publishers IS NOT NULL AND seq <= ?" + in_list("root_execution_id", trees, params);
  std::set<int64_t> mine;
  for (const auto& c : candidates) mine.insert(c.seq);
  std::map<std::string, int64_t> first_foreign;  // tree -> its oldest pending event that is not ours
  session_.query(fmt::format("SELECT root_execution_id, seq FROM execution_events WHERE {} ORDER BY seq ASC", where),
                 params, [&](SqlRow& r) {
                   int64_t seq = integer(r.at(1));
                   if (!mine.count(seq)) first_foreign.emplace(optional_text(r.at(0)).value_or(""), seq);
                 });
  std::vector<EventRow> claimed;
  for (auto& c : candidates) {
    auto foreign = first_foreign.find(c.root_execution_id);
    if (foreign != first_foreign.end() && foreign->second < c.seq) continue;
    claimed.push_back(std::move(c));
  }
  // No lease: a claimer alone on its database holds nothing.
  if (claimed.empty() || lease.count() <= 0) return claimed;
  // The lease: the rows are this transaction's (locked on MySQL, the one
  // writer on SQLite), so the update takes every one of them.
  std::vector<SqlValue> lease_params{SqlValue(at + static_cast<int64_t>(lease.count()))};
  std::string seqs;
  for (const auto& c : claimed) {
    seqs += seqs.empty() ? "?" : ", ?";
    lease_params.emplace_back(c.seq);
  }
  session_.execute(fmt::format("UPDATE execution_events SET next_attempt_at = ? WHERE seq IN ({})", seqs),
                   lease_params);
  for (auto& c : claimed) c.next_attempt_at = now + lease;
  return claimed;
}

int64_t Transaction::count_pending_notifications() {
  flush_events();
  int64_t n = 0;
  session_.query("SELECT COUNT(*) FROM execution_events WHERE publishers IS NOT NULL", {},
                 [&](SqlRow& r) { n = integer(r.at(0)); });
  return n;
}

void Transaction::update_notification(int64_t seq, const std::optional<std::string>& publishers, int64_t attempts,
                                      std::optional<Timestamp> next_attempt_at) {
  session_.execute("UPDATE execution_events SET publishers = ?, attempts = ?, next_attempt_at = ? WHERE seq = ?",
                   {text_or_null(publishers), SqlValue(attempts),
                    next_attempt_at ? SqlValue(to_micros(*next_attempt_at)) : SqlValue(), SqlValue(seq)});
}

int64_t Transaction::prune_events(int64_t keep_last, size_t max) {
  flush_events();
  // The newest event always stays: seq is the next after the largest
  // (SQLite's rowid, MySQL's AUTO_INCREMENT), so keeping it keeps every seq
  // ever given from being given again (a stream client resuming with
  // Last-Event-ID relies on that). Read first: MySQL cannot read the table
  // a DELETE deletes from in its subqueries.
  const auto limit = static_cast<int64_t>(max);
  const int64_t newest = last_event_seq();
  if (newest == 0) return 0;
  const SqlDialect& d = session_.dialect();
  // Events of executions removed (expiration policy, `bora db purge`,
  // DELETE): the root's row is gone, so every event of its tree goes.
  int64_t gone = session_.execute(
      d.delete_first("execution_events", "seq",
                     "publishers IS NULL AND NOT EXISTS (SELECT 1 FROM workflow_executions_v2 w WHERE w.id = "
                     "execution_events.root_execution_id) AND seq < ?",
                     "seq"),
      {SqlValue(newest), SqlValue(limit)});
  if (keep_last > 0 && gone < limit) {
    gone += session_.execute(d.delete_first("execution_events", "seq", "publishers IS NULL AND seq <= ?", "seq"),
                             {SqlValue(newest - keep_last), SqlValue(limit - gone)});
  }
  return gone;
}

}  // namespace bora::storage
