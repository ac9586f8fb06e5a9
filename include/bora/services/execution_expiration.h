// services/execution_expiration: Mistral's [execution_expiration_policy]
// (mistral/services/expiration_policy.py): finished root executions are
// deleted, with their sub-executions, tasks and action executions (the
// schema's ON DELETE CASCADE), when they finished more than `older_than`
// minutes ago, and beyond the `max_finished_executions` most recent ones.
// The server runs it every `evaluation_interval` minutes (cli/maintenance);
// `bora db purge` runs it once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"
#include "bora/core/time.h"
#include "bora/storage/database.h"

namespace bora::services {

struct ExpirationPolicy {
  // Minutes between runs; 0 (Mistral's unset): the policy is off.
  int64_t evaluation_interval = 0;
  // Executions finished (updated) more than this many minutes ago are
  // deleted; 0: no age rule.
  int64_t older_than = 0;
  // Only this many finished root executions (the latest) are kept; 0: no
  // count rule.
  int64_t max_finished_executions = 0;
  // Executions deleted per transaction; 0: all in one (Mistral's default).
  int64_t batch_size = 0;
  // Terminal states whose executions are never deleted.
  std::vector<std::string> ignored_states;

  // As Mistral: on when an interval is set and at least one rule is.
  bool enabled() const { return evaluation_interval > 0 && (older_than >= 1 || max_finished_executions >= 1); }
};

// The [execution_expiration_policy] section; BadInput names the option and
// what it must be (an ignored state that is not terminal, as Mistral).
Result<ExpirationPolicy> expiration_policy_from_config(const Config& config);

struct ExpirationReport {
  int64_t expired = 0;      // by older_than
  int64_t superfluous = 0;  // by max_finished_executions
};

// Deletes what the policy's rules select (whether or not the policy is
// enabled), each batch in its own write transaction so the engine's
// writes go on between batches. Executions of every project.
Result<ExpirationReport> expire_executions(storage::Database& db, const ExpirationPolicy& policy, Timestamp now);

}  // namespace bora::services
