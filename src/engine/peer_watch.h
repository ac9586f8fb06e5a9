// engine/peer_watch: which other nodes sharing the database are dead,
// judged by what this node itself saw (docs/STORAGE.md "A node that dies").
//
// A lease read against the wall clock alone is not enough: a stall of the
// database stops every node's heartbeat at once (a Galera cluster evicting
// a killed member keeps the others from committing for several seconds, a
// failover to the next host takes a while), and once it ends every lease
// looks lapsed: the first node back would take over the others' running
// actions and fail those that are not safe-rerun, though their nodes are
// alive and about to renew. So a peer counts as dead only once its
// heartbeat has not changed during `lease` of the time this node could
// itself reach the database: each successful heartbeat of this node
// credits the time since its previous one, but at most `max_credit` (one
// and a half heartbeat intervals: a normal gap, a slow write). A gap in this node's own heartbeats (it could not
// write either) then counts for little, and the peers get a whole lease,
// measured from when the database came back, to renew.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bora/core/time.h"

namespace bora::engine {

class PeerWatch {
 public:
  using Instant = std::chrono::steady_clock::time_point;

  // A peer's row as this node's heartbeat read it.
  struct Peer {
    std::string id;
    Timestamp heartbeat_at{};
  };

  PeerWatch(std::chrono::milliseconds lease, std::chrono::milliseconds max_credit)
      : lease_(lease), max_credit_(max_credit) {}

  // One successful heartbeat of this node, committed at `at`, and the
  // other nodes' rows it read. Returns the peers now silent for a whole
  // lease of this node's own reach (peers no longer listed are forgotten;
  // a new or re-registered one starts from zero).
  std::vector<std::string> observe(Instant at, const std::vector<Peer>& peers);

  // How long `id` has been silent, as counted so far (for logs and tests).
  std::chrono::milliseconds silent_for(const std::string& id) const;

 private:
  struct Seen {
    Timestamp heartbeat_at{};
    std::chrono::milliseconds silent{0};
  };
  std::chrono::milliseconds lease_;
  std::chrono::milliseconds max_credit_;
  std::optional<Instant> last_;
  std::map<std::string, Seen> seen_;
};

}  // namespace bora::engine
