// Action packs: Mistral's params_spec text read into parameters, the
// `**kwargs` rule of the input check, and the loader's refusals (a file
// that is not a pack; no folders configured costs nothing).
#include <catch2/catch.hpp>

#include "bora/core/config.h"
#include "bora/core/json.h"
#include "bora/executor/plugins.h"
#include "bora/executor/std_actions.h"

using namespace bora;
using namespace bora::executor;

TEST_CASE("an input signature is read as Mistral prints it") {
  auto params = parse_input_signature("name, greeting=\"Hi, you\", opts={\"a\": [1, 2]}, n=null, **kwargs");
  REQUIRE(params);
  REQUIRE(params->size() == 5);
  CHECK((*params)[0].name == "name");
  CHECK(!(*params)[0].default_value);
  CHECK((*params)[1].default_value->as_string() == "Hi, you");
  CHECK(to_json(*(*params)[2].default_value) == "{\"a\":[1,2]}");
  CHECK((*params)[3].default_value->is_null());
  CHECK((*params)[4].name == "**kwargs");
  ActionDescriptor d{"x.y", "", *params};
  CHECK(d.input_signature() == "name, greeting=\"Hi, you\", opts={\"a\": [1, 2]}, n=null, **kwargs");

  REQUIRE(parse_input_signature("")->empty());
  REQUIRE(parse_input_signature("  ")->empty());
}

TEST_CASE("a signature that cannot be read is refused with the reason") {
  CHECK(parse_input_signature("a, b=\"open").error().message.find("not closed") != std::string::npos);
  CHECK(parse_input_signature("a, b=nope").error().message.find("the default of b is not JSON") != std::string::npos);
  CHECK(parse_input_signature("a,,b").error().message.find("an empty parameter") != std::string::npos);
  CHECK(parse_input_signature("a-b").error().message.find("'a-b' is not a parameter name") != std::string::npos);
  CHECK(parse_input_signature("**kw=1").error().message.find("cannot have a default") != std::string::npos);
}

TEST_CASE("**kwargs takes any other parameter as given") {
  ActionDescriptor d{"x.find", "", *parse_input_signature("region=\"\", **kwargs"), false, "X"};
  auto prepared = prepare_action_input(d, Value::dict({{"name", "a"}, {"status", "ACTIVE"}}));
  REQUIRE(prepared);
  CHECK(to_json(*prepared) == "{\"region\":\"\",\"name\":\"a\",\"status\":\"ACTIVE\"}");
  // Without it an unknown parameter is still Mistral's error.
  ActionDescriptor strict{"x.get", "", *parse_input_signature("server"), false, "X"};
  CHECK(prepare_action_input(strict, Value::dict({{"server", "a"}, {"zone", "b"}})).error().message ==
        "Invalid input [name=x.get, class=X, unexpected=['zone']]");
}

TEST_CASE("no plugin folder: no pack, nothing listed") {
  Config config = default_config();
  auto loaded = load_plugins(config);
  REQUIRE(loaded);
  CHECK(*loaded == 0);
  CHECK(plugin_action_descriptors().empty());
  CHECK(find_plugin_action("example.greet") == nullptr);
  CHECK(find_std_action("std.echo") != nullptr);
}

TEST_CASE("[python_actions] options that cannot be used stop the start, naming the option") {
  auto refused = [](const char* option, const char* value) {
    Config config = default_config();
    config.set("python_actions", "modules", "our_pack.actions");
    config.set("python_actions", option, value);
    auto loaded = load_plugins(config);
    REQUIRE(!loaded);
    CHECK(loaded.error().kind == ErrorKind::BadInput);
    return loaded.error().message;
  };
  CHECK(refused("actions", "our.approve our_pack.approvals:ApproveAction") ==
        "[python_actions] actions: 'our.approve our_pack.approvals:ApproveAction' is not 'name = "
        "package.module:Class' (the form of setup.cfg's mistral.actions entry points)");
  CHECK(refused("python", "/nonexistent/python3").find("[python_actions] python = /nonexistent/python3: no such "
                                                       "program") == 0);
  CHECK(refused("python", "no-such-python-here").find("no such program") != std::string::npos);
  CHECK(refused("start_timeout", "0") == "[python_actions] start_timeout must be 1 to 3600 seconds, got 0");
  CHECK(refused("generators", "our_pack.generators") ==
        "[python_actions] generators: 'our_pack.generators' is not 'package.module:function' (the form of "
        "setup.cfg's mistral.generators entry points)");
  CHECK(refused("entry_points", "maybe").find("[python_actions] entry_points must be true or false") != std::string::npos);
  // Nothing to load: the interpreter is not even looked for.
  Config config = default_config();
  config.set("python_actions", "python", "/nonexistent/python3");
  REQUIRE(load_plugins(config));
  CHECK(plugin_action_descriptors().empty());
}
