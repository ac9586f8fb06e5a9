// storage/node_store: the SQL of the node registry (node_rows.h) and of the
// adoption of a dead node's running actions. Plain statements with fixed
// text, prepared once per connection.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "bora/storage/transaction.h"
#include "sql_session.h"
#include "table.h"

namespace bora::storage {

namespace {

// The RUNNING actions `where` picks, handed to node `to`; their ids. The
// adopting transaction removed their node's row first, so nothing else
// changes these rows' node meanwhile.
std::vector<std::string> adopt_where(SqlSession& session, Repository<ActionExecution>& actions,
                                     const std::string& where, const std::vector<SqlValue>& params,
                                     const std::string& to) {
  std::vector<std::string> ids;
  session.query("SELECT id FROM action_executions_v2 WHERE " + where + " ORDER BY id", params,
                [&](SqlRow& r) { ids.push_back(text_from_sql(r[0])); });
  if (ids.empty()) return ids;
  std::vector<SqlValue> update{SqlValue(to)};
  update.insert(update.end(), params.begin(), params.end());
  session.execute("UPDATE action_executions_v2 SET node_id = ? WHERE " + where, update);
  for (const auto& id : ids) actions.forget(id);
  return ids;
}

}  // namespace

void Transaction::register_node(const NodeRow& row) {
  // A node id reused (a restart with the same [cluster] node_id) replaces
  // the old row: it is the same node, starting again.
  session_.execute("DELETE FROM cluster_nodes WHERE id = ?", {SqlValue(row.id)});
  session_.execute(
      "INSERT INTO cluster_nodes (id, host, pid, started_at, heartbeat_at, lease_expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      {SqlValue(row.id), SqlValue(row.host), SqlValue(row.pid), SqlValue(to_micros(row.started_at)),
       SqlValue(to_micros(row.heartbeat_at)), SqlValue(to_micros(row.lease_expires_at))});
}

bool Transaction::renew_node(const std::string& id, Timestamp heartbeat_at, Timestamp lease_expires_at) {
  // Both backends count the rows an UPDATE matched (MySQL through
  // CLIENT_FOUND_ROWS): 0 means the row is gone.
  return session_.execute("UPDATE cluster_nodes SET heartbeat_at = ?, lease_expires_at = ? WHERE id = ?",
                          {SqlValue(to_micros(heartbeat_at)), SqlValue(to_micros(lease_expires_at)), SqlValue(id)}) ==
         1;
}

std::vector<NodeRow> Transaction::list_nodes() {
  std::vector<NodeRow> out;
  session_.query("SELECT id, host, pid, started_at, heartbeat_at, lease_expires_at FROM cluster_nodes ORDER BY id", {},
                 [&](SqlRow& r) {
                   NodeRow n;
                   n.id = text_from_sql(r[0]);
                   n.host = text_from_sql(r[1]);
                   n.pid = int_from_sql(r[2]);
                   n.started_at = from_micros(int_from_sql(r[3]));
                   n.heartbeat_at = from_micros(int_from_sql(r[4]));
                   n.lease_expires_at = from_micros(int_from_sql(r[5]));
                   out.push_back(std::move(n));
                 });
  return out;
}

bool Transaction::remove_node_if_dead(const std::string& id, std::optional<Timestamp> now) {
  // Two nodes that see the same dead row both try: the row lock makes the
  // second wait, then find nothing to delete. Exactly one adopts.
  if (!now) return session_.execute("DELETE FROM cluster_nodes WHERE id = ?", {SqlValue(id)}) == 1;
  return session_.execute("DELETE FROM cluster_nodes WHERE id = ? AND lease_expires_at <= ?",
                          {SqlValue(id), SqlValue(to_micros(*now))}) == 1;
}

std::vector<std::string> Transaction::adopt_running_actions(const std::optional<std::string>& from,
                                                            const std::string& to) {
  std::vector<SqlValue> params;
  std::string where = "state = 'RUNNING' AND ";
  if (from) {
    where += "node_id = ?";
    params.emplace_back(*from);
  } else {
    where += "node_id IS NULL";
  }
  return adopt_where(session_, action_executions_, where, params, to);
}

std::vector<std::string> Transaction::adopt_all_running_actions(const std::string& to) {
  return adopt_where(session_, action_executions_, "state = 'RUNNING' AND (node_id IS NULL OR node_id <> ?)",
                     {SqlValue(to)}, to);
}

std::vector<std::string> Transaction::actions_to_stop(const std::string& node, const std::vector<std::string>& ids) {
  // Bounded statements: a node may run thousands of actions at once (a
  // wide with-items).
  constexpr size_t kPage = 500;
  const SqlSession& s = session_;
  std::vector<std::string> stop;
  for (size_t from = 0; from < ids.size(); from += kPage) {
    size_t n = std::min(kPage, ids.size() - from);
    std::string marks;
    std::vector<SqlValue> params;
    for (size_t i = 0; i < n; ++i) {
      marks += i ? ",?" : "?";
      params.emplace_back(ids[from + i]);
    }
    std::set<std::string> still_mine;
    session_.query(fmt::format("SELECT {} FROM {} WHERE {} IN ({}) AND {} = 'RUNNING' AND {} = ?", s.quote("id"),
                               s.quote("action_executions_v2"), s.quote("id"), marks, s.quote("state"),
                               s.quote("node_id")),
                   [&] {
                     params.emplace_back(node);
                     return params;
                   }(),
                   [&](SqlRow& row) { still_mine.insert(std::get<std::string>(row.at(0))); });
    for (size_t i = 0; i < n; ++i)
      if (!still_mine.count(ids[from + i])) stop.push_back(ids[from + i]);
  }
  return stop;
}

}  // namespace bora::storage
