// engine/peer_watch: see peer_watch.h.
#include "peer_watch.h"

#include <algorithm>

namespace bora::engine {

std::vector<std::string> PeerWatch::observe(Instant at, const std::vector<Peer>& peers) {
  using std::chrono::milliseconds;
  milliseconds credit{0};
  if (last_) credit = std::min(max_credit_, std::max(milliseconds{0}, std::chrono::duration_cast<milliseconds>(at - *last_)));
  last_ = at;

  std::map<std::string, Seen> next;
  std::vector<std::string> dead;
  for (const auto& peer : peers) {
    Seen seen{peer.heartbeat_at, milliseconds{0}};
    if (auto it = seen_.find(peer.id); it != seen_.end() && it->second.heartbeat_at == peer.heartbeat_at)
      seen.silent = it->second.silent + credit;
    if (seen.silent >= lease_) dead.push_back(peer.id);
    next.emplace(peer.id, seen);
  }
  seen_ = std::move(next);
  return dead;
}

std::chrono::milliseconds PeerWatch::silent_for(const std::string& id) const {
  auto it = seen_.find(id);
  return it == seen_.end() ? std::chrono::milliseconds{0} : it->second.silent;
}

}  // namespace bora::engine
