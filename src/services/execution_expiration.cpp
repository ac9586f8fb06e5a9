#include "bora/services/execution_expiration.h"

#include <algorithm>

#include <fmt/format.h>

#include "bora/core/log.h"

namespace bora::services {

namespace {

const std::vector<std::string> kTerminal = {"SUCCESS", "ERROR", "CANCELLED"};

// Mistral's _get_completed_root_executions_query: root executions (no
// parent task) in a terminal state that is not ignored.
std::vector<storage::Filter> completed_roots(const ExpirationPolicy& policy) {
  std::vector<std::string> states;
  for (const auto& s : kTerminal)
    if (std::find(policy.ignored_states.begin(), policy.ignored_states.end(), s) == policy.ignored_states.end())
      states.push_back(s);
  std::vector<storage::Filter> where;
  where.push_back({"task_execution_id", storage::FilterOp::Eq, {}, true});
  where.push_back({"state", storage::FilterOp::In, states});
  return where;
}

// Deletes what `select` returns in this transaction, batch after batch,
// until it returns nothing (Mistral's _delete_until_depleted). A bounded
// loop: each pass deletes at least one row or ends.
Result<int64_t> delete_until_depleted(
    storage::Database& db, const std::function<Result<std::vector<std::string>>(storage::Transaction&)>& select) {
  int64_t total = 0;
  while (true) {
    auto deleted = db.write([&](storage::Transaction& tx) -> Result<int64_t> {
      auto ids = select(tx);
      if (!ids) return ids.error();
      for (const auto& id : *ids) {
        if (auto r = tx.workflow_executions().remove(id); !r) return r.error();
        log::debug("expiration", "deleted execution exec={}", id);
      }
      return static_cast<int64_t>(ids->size());
    });
    if (!deleted) return deleted.error();
    if (*deleted == 0) return total;
    total += *deleted;
  }
}

std::vector<std::string> ids_of(const std::vector<storage::WorkflowExecution>& rows) {
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.id);
  return ids;
}

}  // namespace

Result<ExpirationPolicy> expiration_policy_from_config(const Config& config) {
  const char* section = "execution_expiration_policy";
  ExpirationPolicy p;
  struct Option {
    const char* name;
    int64_t* target;
  };
  for (Option o : {Option{"evaluation_interval", &p.evaluation_interval}, Option{"older_than", &p.older_than},
                   Option{"max_finished_executions", &p.max_finished_executions},
                   Option{"batch_size", &p.batch_size}}) {
    auto v = config.get_int(section, o.name, 0);
    if (!v) return v.error();
    if (*v < 0) return bad_input(fmt::format("[{}] {} must be 0 or more, not {}", section, o.name, *v));
    *o.target = *v;
  }
  std::string states = config.get_or(section, "ignored_states", "");
  for (char& c : states)
    if (c == ',') c = ' ';
  size_t pos = 0;
  while ((pos = states.find_first_not_of(' ', pos)) != std::string::npos) {
    size_t end = states.find(' ', pos);
    std::string s = states.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (std::find(kTerminal.begin(), kTerminal.end(), s) == kTerminal.end())
      return bad_input(fmt::format("[{}] ignored_states: {} is not a terminal state. The valid states are "
                                   "[CANCELLED, ERROR, SUCCESS]",
                                   section, s));
    p.ignored_states.push_back(s);
    pos = end == std::string::npos ? states.size() : end;
  }
  return p;
}

Result<ExpirationReport> expire_executions(storage::Database& db, const ExpirationPolicy& policy, Timestamp now) {
  ExpirationReport report;
  const auto where = completed_roots(policy);
  const int64_t batch = policy.batch_size;
  if (policy.older_than >= 1) {
    auto before = format_iso_time(now - std::chrono::minutes(policy.older_than));
    auto expired = delete_until_depleted(db, [&](storage::Transaction& tx) -> Result<std::vector<std::string>> {
      storage::ListQuery q{storage::ProjectScope::all()};
      q.filters = where;
      q.filters.push_back({"updated_at", storage::FilterOp::Lt, {before}});
      q.limit = batch;
      q.keep_damaged = true;  // a damaged row expires like the others
      auto rows = tx.workflow_executions().list(q);
      if (!rows) return rows.error();
      return ids_of(*rows);
    });
    if (!expired) return expired.error();
    report.expired = *expired;
  }
  if (policy.max_finished_executions >= 1) {
    // Mistral orders by updated_at descending and skips the first
    // max_finished_executions; the same rows are the oldest (count - max).
    auto superfluous = delete_until_depleted(db, [&](storage::Transaction& tx) -> Result<std::vector<std::string>> {
      auto count = tx.workflow_executions().count(where, storage::ProjectScope::all());
      if (!count) return count.error();
      int64_t excess = *count - policy.max_finished_executions;
      if (excess <= 0) return std::vector<std::string>{};
      storage::ListQuery q{storage::ProjectScope::all()};
      q.filters = where;
      q.sort = {{"updated_at", false}};
      q.limit = batch > 0 ? std::min(batch, excess) : excess;
      q.keep_damaged = true;
      auto rows = tx.workflow_executions().list(q);
      if (!rows) return rows.error();
      return ids_of(*rows);
    });
    if (!superfluous) return superfluous.error();
    report.superfluous = *superfluous;
  }
  return report;
}

}  // namespace bora::services
