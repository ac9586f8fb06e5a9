// oslo.messaging's notification on the wire -> Mistral's event.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/events/oslo_notification.h"

using namespace bora;
using namespace bora::events;

namespace {

const char* kInner =
    R"({"message_id": "5e3e5b1a-1", "publisher_id": "compute.host1", "event_type": "compute.instance.create.end",)"
    R"( "priority": "INFO", "payload": {"instance_id": "i-1"}, "timestamp": "2026-12-02 10:00:00.000000",)"
    R"( "_unique_id": "ab", "_context_project_id": "p1", "_context_user_id": "u1", "_context_roles": ["member"]})";

}  // namespace

TEST_CASE("the 2.0 envelope: the message is JSON text inside it, the context its _context_ keys") {
  std::string body = to_json(Value::dict({{"oslo.version", Value("2.0")}, {"oslo.message", Value(kInner)}}));
  auto n = parse_oslo_notification(body);
  REQUIRE(n.ok());
  CHECK(n->message_id == "5e3e5b1a-1");
  CHECK(n->priority == "INFO");
  CHECK(to_json(n->event, JsonFormat::python()) ==
        R"({"event_type": "compute.instance.create.end", "payload": {"instance_id": "i-1"}, )"
        R"("publisher": "compute.host1", "timestamp": "2026-12-02 10:00:00.000000", )"
        R"("context": {"project_id": "p1", "user_id": "u1", "roles": ["member"]}})");
}

TEST_CASE("the bare 1.0 message is read the same way") {
  auto n = parse_oslo_notification(kInner);
  REQUIRE(n.ok());
  CHECK(n->event["event_type"].as_string() == "compute.instance.create.end");
  CHECK(n->event["context"]["project_id"].as_string() == "p1");
}

TEST_CASE("a timestamp missing from the message comes from the context, else now") {
  auto n = parse_oslo_notification(R"({"event_type": "x", "_context_timestamp": "2026-01-01T00:00:00"})");
  REQUIRE(n.ok());
  CHECK(n->event["timestamp"].as_string() == "2026-01-01T00:00:00");
  auto now = parse_oslo_notification(R"({"event_type": "x"})");
  REQUIRE(now.ok());
  CHECK(now->event["timestamp"].is_string());
  CHECK(now->message_id.empty());
  CHECK(now->event["payload"].is_null());
}

TEST_CASE("what is not a notification is refused saying why") {
  CHECK_THAT(parse_oslo_notification("not json").error().message, Catch::Contains("not JSON"));
  CHECK_THAT(parse_oslo_notification("[1]").error().message, Catch::Contains("not a JSON object"));
  CHECK_THAT(parse_oslo_notification(R"({"method": "ping"})").error().message, Catch::Contains("no event_type"));
  CHECK_THAT(parse_oslo_notification(R"({"oslo.version": "2.0", "oslo.message": "{bad"})").error().message,
             Catch::Contains("oslo.message is not JSON"));
}
