// The input check of every action: defaults filled in, Mistral's message
// for missing and unexpected parameters.
#include <catch2/catch.hpp>

#include "bora/executor/std_actions.h"

using namespace bora;
using namespace bora::executor;

TEST_CASE("defaults complete the input") {
  auto in = prepare_action_input(*find_std_action("std.echo"), Value::dict({{"output", Value("x")}}));
  REQUIRE(in.ok());
  CHECK(in->find("delay")->as_int() == 0);
  CHECK((*in)["output"].as_string() == "x");
}

TEST_CASE("missing and unexpected parameters use Mistral's text") {
  auto r = prepare_action_input(*find_std_action("std.echo"), Value::dict({{"outptu", Value("x")}}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "Invalid input [name=std.echo, class=mistral.actions.std_actions.EchoAction, missing=['output'], "
        "unexpected=['outptu']]");
  auto none = prepare_action_input(*find_std_action("std.http"), Value());
  CHECK(none.error().message ==
        "Invalid input [name=std.http, class=mistral.actions.std_actions.HTTPAction, missing=['url']]");
  auto not_dict = prepare_action_input(*find_std_action("std.noop"), Value::list({Value(1)}));
  CHECK_FALSE(not_dict.ok());
}

TEST_CASE("every catalogued action has a body and a class name") {
  for (const auto& d : std_action_descriptors()) {
    INFO(d.name);
    CHECK(find_std_action_function(d.name) != nullptr);
    CHECK_THAT(d.class_name, Catch::StartsWith("mistral.actions.std_actions."));
  }
  CHECK(find_std_action("std.mistral_http")->is_async);
  CHECK(find_std_action("std.async_noop")->is_async);
}
