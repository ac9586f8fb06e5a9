// Mistral's event definitions file.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/events/event_definitions.h"

using namespace bora;
using namespace bora::events;

namespace {

// As Mistral prints it.
std::string py(const Value& v) { return to_json(v, JsonFormat::python()); }

}  // namespace

TEST_CASE("the last definition whose pattern matches gives the properties; else Mistral's defaults") {
  auto d = EventDefinitions::parse(R"(
- event_types: compute.instance.*
  properties:
    a: <% $.payload.x %>
- event_types: [compute.instance.create.end, image.*]
  properties:
    b: 1
)",
                                   "defs.yaml");
  REQUIRE(d.ok());
  CHECK(d->size() == 2);
  CHECK(py(d->properties_for("compute.instance.create.end")) == R"({"b": 1})");
  CHECK(py(d->properties_for("compute.instance.delete.end")) == R"({"a": "<% $.payload.x %>"})");
  CHECK(py(d->properties_for("image.upload")) == R"({"b": 1})");
  CHECK(py(d->properties_for("volume.create")) ==
        R"({"service": "<% $.publisher %>", "project_id": "<% $.context.project_id %>", )"
        R"("user_id": "<% $.context.user_id %>", "timestamp": "<% $.timestamp %>"})");
  CHECK(py(EventDefinitions().properties_for("x")) == py(d->properties_for("volume.create")));
}

TEST_CASE("patterns are fnmatch's: case-sensitive, ? and [] too") {
  auto d = EventDefinitions::parse("- {event_types: 'compute.?.[ab]', properties: {k: 1}}\n", "f");
  REQUIRE(d.ok());
  CHECK(d->properties_for("compute.x.a").find("k"));
  CHECK_FALSE(d->properties_for("compute.x.c").find("k"));
  CHECK_FALSE(d->properties_for("COMPUTE.x.a").find("k"));
}

TEST_CASE("a broken file is refused naming the entry and what is wrong") {
  CHECK_THAT(EventDefinitions::parse("- event_types: x\n", "f.yaml").error().message,
             Catch::Contains("f.yaml: event definition #1 has no properties"));
  CHECK_THAT(EventDefinitions::parse("- properties: {}\n", "f.yaml").error().message,
             Catch::Contains("#1 has no event_types"));
  CHECK_THAT(EventDefinitions::parse("- {event_types: [1], properties: {}}\n", "f.yaml").error().message,
             Catch::Contains("not a string"));
  CHECK_THAT(EventDefinitions::parse("{a: 1}\n", "f.yaml").error().message, Catch::Contains("must be a YAML list"));
  CHECK_THAT(EventDefinitions::parse("- [unclosed\n", "f.yaml").error().message,
             Catch::Contains("Invalid event definition configuration file f.yaml"));
  CHECK(EventDefinitions::parse("", "empty.yaml").ok());
}

TEST_CASE("a missing file is no definitions, as in Mistral") {
  auto d = EventDefinitions::load("/nonexistent/event_definitions.yaml");
  REQUIRE(d.ok());
  CHECK(d->size() == 0);
}
