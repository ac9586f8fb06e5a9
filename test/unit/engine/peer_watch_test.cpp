// Which peers a node takes for dead (engine/peer_watch.h): silent for a
// whole lease of this node's own heartbeats, and a stall of the database
// that stopped every heartbeat kills no one.
#include <catch2/catch.hpp>

#include "peer_watch.h"

using namespace bora::engine;
using namespace std::chrono_literals;

namespace {

bora::Timestamp at_second(int s) { return bora::Timestamp{} + std::chrono::seconds(s); }

}  // namespace

TEST_CASE("a peer silent for a lease of steady heartbeats is dead, one that renews is not") {
  PeerWatch watch(5s, 2s);  // lease 5 s, heartbeat 1 s
  auto t0 = PeerWatch::Instant{} + 1000s;
  std::vector<std::string> dead;
  for (int i = 0; i <= 5; ++i) {
    // "alive" renews at each beat; "gone" stopped at second 0.
    dead = watch.observe(t0 + std::chrono::seconds(i), {{"alive", at_second(i)}, {"gone", at_second(0)}});
    if (i < 5) CHECK(dead.empty());
  }
  CHECK(dead == std::vector<std::string>{"gone"});
  CHECK(watch.silent_for("gone") == 5s);
  CHECK(watch.silent_for("alive") == 0s);
}

TEST_CASE("a stall that stopped this node's heartbeats too credits at most two intervals") {
  PeerWatch watch(5s, 2s);
  auto t0 = PeerWatch::Instant{} + 1000s;
  CHECK(watch.observe(t0, {{"b", at_second(0)}}).empty());
  // The database stalled 6.5 s (a Galera member evicted): this node's next
  // heartbeat commits only then, and b has not renewed either.
  CHECK(watch.observe(t0 + 6500ms, {{"b", at_second(0)}}).empty());
  CHECK(watch.silent_for("b") == 2s);
  // b renews within the lease that follows: never dead.
  CHECK(watch.observe(t0 + 7500ms, {{"b", at_second(0)}}).empty());
  CHECK(watch.observe(t0 + 8500ms, {{"b", at_second(8)}}).empty());
  CHECK(watch.silent_for("b") == 0s);
  // Had it stayed silent, it is dead a lease after the stall's credit.
  PeerWatch other(5s, 2s);
  other.observe(t0, {{"b", at_second(0)}});
  other.observe(t0 + 6500ms, {{"b", at_second(0)}});
  CHECK(other.observe(t0 + 7500ms, {{"b", at_second(0)}}).empty());
  CHECK(other.observe(t0 + 8500ms, {{"b", at_second(0)}}).empty());
  CHECK(other.observe(t0 + 9500ms, {{"b", at_second(0)}}) == std::vector<std::string>{"b"});
}

TEST_CASE("a peer that registers again or leaves starts from zero") {
  PeerWatch watch(3s, 2s);
  auto t0 = PeerWatch::Instant{} + 1000s;
  watch.observe(t0, {{"b", at_second(0)}});
  watch.observe(t0 + 1s, {{"b", at_second(0)}});
  watch.observe(t0 + 2s, {{"b", at_second(0)}});
  CHECK(watch.silent_for("b") == 2s);
  watch.observe(t0 + 3s, {});  // its row removed (another node took it over)
  CHECK(watch.silent_for("b") == 0s);
  CHECK(watch.observe(t0 + 4s, {{"b", at_second(0)}}).empty());  // back under the same id
  CHECK(watch.silent_for("b") == 0s);
  // The first heartbeat credits nothing: a node that just started judges no one.
  PeerWatch fresh(1s, 2s);
  CHECK(fresh.observe(t0, {{"b", at_second(0)}}).empty());
}
