// The execution id a (message, trigger) pair starts: the same on every
// node and every delivery, different for any other pair, a valid UUID.
#include <catch2/catch.hpp>

#include "bora/core/ids.h"
#include "bora/events/event_dispatcher.h"

using bora::is_uuid;
using bora::events::EventDispatcher;

TEST_CASE("a message's execution id is derived from the message and the trigger") {
  std::string a = EventDispatcher::execution_id_for("m-1", "t-1");
  CHECK(is_uuid(a));
  CHECK(a[14] == '8');  // version 8: custom (RFC 9562)
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
  CHECK(a == EventDispatcher::execution_id_for("m-1", "t-1"));
  CHECK(a != EventDispatcher::execution_id_for("m-1", "t-2"));
  CHECK(a != EventDispatcher::execution_id_for("m-2", "t-1"));
  // The two parts are kept apart in what is hashed.
  CHECK(EventDispatcher::execution_id_for("ab", "c") != EventDispatcher::execution_id_for("a", "bc"));
}
