// storage/event_rows: the rows of the durable event log (issue 17): one row
// per notification event, written by the engine in the transaction of the
// transition that caused it. The same rows are the notifier's outbox: an
// event with publishers still to reach keeps them in `publishers` until
// delivered (or given up), so delivery survives a restart or a SIGKILL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bora/core/time.h"

namespace bora::storage {

struct EventRow {
  int64_t seq = 0;  // assigned by the database, never reused (AUTOINCREMENT)
  std::string event;
  Timestamp created_at{};
  std::string project_id, root_execution_id, execution_id;
  std::optional<std::string> task_execution_id;
  std::string workflow_name;
  std::string payload;                    // JSON text: Mistral's notification data
  std::optional<std::string> publishers;  // JSON list still to deliver to; NULL: nothing (left)
  int64_t attempts = 0;                   // failed delivery rounds so far
  std::optional<Timestamp> next_attempt_at;
};

// What a reader of the log wants: rows after `after`, oldest first.
struct EventQuery {
  int64_t after = 0;
  std::optional<std::string> root_execution_id, execution_id, workflow_name;
  std::vector<std::string> events;       // empty: every event
  std::vector<std::string> project_ids;  // empty: every project
  std::optional<int64_t> up_to;          // seq <= up_to when given
  size_t limit = 100;
};

}  // namespace bora::storage
