// engine/spec_cache: bounded, least recently used first.
#include <catch2/catch.hpp>

#include "spec_cache.h"

namespace bora::engine::test {

namespace {

SpecCache::Spec spec_named(const std::string& name) {
  auto spec = std::make_shared<lang::WorkflowSpec>();
  spec->name = name;
  return spec;
}

}  // namespace

TEST_CASE("spec cache: holds at most its capacity, dropping the least recently used") {
  SpecCache cache(2);
  cache.put("a", spec_named("A"));
  cache.put("b", spec_named("B"));
  REQUIRE(cache.find("a"));  // a is now more recent than b
  cache.put("c", spec_named("C"));
  CHECK(cache.size() == 2);
  CHECK(cache.find("b") == nullptr);
  REQUIRE(cache.find("a"));
  CHECK(cache.find("a")->name == "A");
  CHECK(cache.find("c")->name == "C");
  for (int i = 0; i < 1000; ++i) cache.put("x" + std::to_string(i), spec_named("X"));
  CHECK(cache.size() == 2);
}

TEST_CASE("spec cache: put replaces, erase drops, capacity 0 keeps nothing") {
  SpecCache cache(3);
  cache.put("a", spec_named("A"));
  cache.put("a", spec_named("A2"));
  CHECK(cache.size() == 1);
  CHECK(cache.find("a")->name == "A2");
  cache.erase("a");
  cache.erase("never there");
  CHECK(cache.size() == 0);
  CHECK(cache.find("a") == nullptr);
  SpecCache none(0);
  none.put("a", spec_named("A"));
  CHECK(none.size() == 0);
  CHECK(none.find("a") == nullptr);
}

}  // namespace bora::engine::test

#include "engine_fixture.h"

namespace bora::engine::test {

TEST_CASE("spec cache: executions interleaving past a cache of one spec still run their own definitions") {
  EngineOptions options;
  options.spec_cache_size = 1;
  EngineFixture f(true, options);
  f.define(R"(
version: '2.0'
left:
  tasks:
    a:
      with-items: i in <% [1, 2, 3] %>
      action: std.echo output=<% $.i %>
      publish:
        side: left
right:
  tasks:
    b:
      with-items: i in <% [4, 5, 6] %>
      action: std.echo output=<% $.i * 10 %>
      publish:
        side: right
)");
  std::vector<std::pair<std::string, std::string>> started;
  for (int k = 0; k < 3; ++k)
    for (const char* wf : {"left", "right"}) {
      StartRequest req;
      req.workflow = wf;
      req.caller = f.caller;
      auto ex = f.engine->start_workflow(req);
      REQUIRE(ex.ok());
      started.emplace_back(ex->id, wf);
    }
  for (const auto& [id, wf] : started) {
    auto done = f.engine->wait(id, std::chrono::seconds(20));
    REQUIRE(done);
    CHECK(done->state == storage::State::Success);
    CHECK(done->output["side"] == Value(wf));
  }
}

}  // namespace bora::engine::test
