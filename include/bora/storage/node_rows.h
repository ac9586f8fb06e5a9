// storage/node_rows: the registry of Bora nodes sharing one database
// (issue 14). Each `bora server` registers a row at start, renews its lease
// on every heartbeat, and expires it when it stops; a row whose lease lapsed
// is a dead node, and the node that removes that row (a conditional delete:
// exactly one does) adopts its running actions and recovers them
// (engine/node_registry.h, docs/STORAGE.md "Several nodes").
#pragma once

#include <cstdint>
#include <string>

#include "bora/core/time.h"

namespace bora::storage {

struct NodeRow {
  std::string id;  // "<host>_<pid>", as Mistral names its service members, or [cluster] node_id
  std::string host;
  int64_t pid = 0;
  Timestamp started_at{};
  Timestamp heartbeat_at{};
  Timestamp lease_expires_at{};  // heartbeat_at + [cluster] lease_seconds
};

// Which row locate_and_lock_tree starts from (Transaction::lock_tree).
enum class TreeOf { Execution, Task, Action };

}  // namespace bora::storage
