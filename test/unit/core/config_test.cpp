#include <catch2/catch.hpp>

#include <cstdlib>

#include "bora/core/config.h"

using namespace bora;

TEST_CASE("INI options are read by section") {
  auto c = Config::parse("# comment\n[api]\nhost = 0.0.0.0\nport=9000\n\n[database]\nconnection = sqlite:///x.db\n");
  REQUIRE(c.ok());
  CHECK(c->get_or("api", "host", "") == "0.0.0.0");
  CHECK(*c->get_int("api", "port", 1) == 9000);
  CHECK(c->get_or("database", "connection", "") == "sqlite:///x.db");
  CHECK(*c->get_int("api", "workers", 4) == 4);
  CHECK_FALSE(c->get("nope", "x"));
}

TEST_CASE("bad INI lines are refused with the line number") {
  auto c = Config::parse("[api]\nthis is not an option\n", "bora.conf");
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("bora.conf:2") == 0);
  CHECK_FALSE(Config::parse("port = 1\n").ok());
  CHECK_FALSE(Config::parse("[api\n").ok());
}

TEST_CASE("typed getters refuse wrong values, naming the option") {
  auto c = Config::parse("[api]\nport = eighty\nflag = maybe\n");
  REQUIRE(c.ok());
  auto p = c->get_int("api", "port", 1);
  REQUIRE_FALSE(p.ok());
  CHECK(p.error().message.find("[api] port") != std::string::npos);
  CHECK_FALSE(c->get_bool("api", "flag", false).ok());
}

TEST_CASE("BORA_<SECTION>_<NAME> overrides the file") {
  Config c = default_config();
  setenv("BORA_API_PORT", "7777", 1);
  c.apply_environment();
  unsetenv("BORA_API_PORT");
  CHECK(*c.get_int("api", "port", 0) == 7777);
}

TEST_CASE("an indented line continues the option above it, as oslo.config reads mistral.conf") {
  auto c = Config::parse("[DEFAULT]\ndefault_log_levels = amqp=WARN,\n    sqlalchemy=WARN\nnext = 1\n");
  REQUIRE(c.ok());
  CHECK(c->get_or("DEFAULT", "default_log_levels", "") == "amqp=WARN,\nsqlalchemy=WARN");
  CHECK(c->get_or("DEFAULT", "next", "") == "1");
  // Indented with nothing to continue: an option of its own.
  auto first = Config::parse("[api]\n  indented = yes\n");
  REQUIRE(first.ok());
  CHECK(first->get_or("api", "indented", "") == "yes");
}

TEST_CASE("a list option splits at commas and new lines, trimmed, without empty items") {
  auto c = Config::parse("[python_actions]\nmodules = a.b , c,,d\nactions =\n    x = m:X\n    y = n:Y,\n\n[other]\nempty =\n");
  REQUIRE(c.ok());
  CHECK(c->get_list("python_actions", "modules") == std::vector<std::string>{"a.b", "c", "d"});
  CHECK(c->get_list("python_actions", "actions") == std::vector<std::string>{"x = m:X", "y = n:Y"});
  CHECK(c->get_list("other", "empty").empty());
  CHECK(c->get_list("other", "absent").empty());
}
