// api/responder and the router's use of it: an answer goes out exactly
// once, a forgotten request still gets one (500), and a handler may answer
// later, from another thread.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "bora/api/responder.h"
#include "bora/api/router.h"
#include "bora/core/json.h"

using namespace bora;
using namespace bora::api;

namespace {

// What a connection would have sent.
struct Sent {
  std::vector<Response> answers;
  Responder responder(const char* what = "GET /test") {
    return Responder([this](Response r) { answers.push_back(std::move(r)); }, what);
  }
};

std::string faultstring(const Response& r) { return parse_json(r.body).value()["faultstring"].as_string(); }

Request get(std::string path) {
  Request r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

}  // namespace

TEST_CASE("a responder sends its first answer and only that one") {
  Sent sent;
  {
    Responder r = sent.responder();
    Responder copy = r;  // copies share the one completion
    CHECK_FALSE(r.completed());
    Response ok;
    ok.status = 201;
    CHECK(r.reply(ok));
    CHECK(copy.completed());
    Response late;
    late.status = 200;
    CHECK_FALSE(copy.reply(late));
    CHECK_FALSE(r.fail(Error{ErrorKind::BadInput, "too late"}));
  }
  REQUIRE(sent.answers.size() == 1);
  CHECK(sent.answers[0].status == 201);
}

TEST_CASE("a responder dropped without an answer answers 500 once, when its last copy goes") {
  Sent sent;
  {
    Responder r = sent.responder("POST /v2/executions");
    {
      Responder copy = r;
    }
    CHECK(sent.answers.empty());  // a copy is still held
  }
  REQUIRE(sent.answers.size() == 1);
  CHECK(sent.answers[0].status == 500);
  CHECK_THAT(faultstring(sent.answers[0]), Catch::Contains("POST /v2/executions was not answered"));
}

TEST_CASE("answer() turns what the maker throws into the error's status") {
  Sent sent;
  sent.responder().answer([]() -> Response { throw BoraError(ErrorKind::NotFound, "no such execution"); });
  sent.responder().answer([]() -> Response { throw std::runtime_error("boom"); });
  sent.responder().answer([] { return Response{}; });
  REQUIRE(sent.answers.size() == 3);
  CHECK(sent.answers[0].status == 404);
  CHECK(faultstring(sent.answers[0]) == "no such execution");
  CHECK(sent.answers[1].status == 500);
  CHECK(sent.answers[2].status == 200);
}

TEST_CASE("reply_with answers an error result with its status, a value with the view") {
  Sent sent;
  auto done = reply_with<int>(sent.responder(), [](int v) {
    Response r;
    r.status = 200 + v;
    return r;
  });
  done(Error{ErrorKind::Conflict, "taken"});
  reply_with<int>(sent.responder(), [](int v) {
    Response r;
    r.status = 200 + v;
    return r;
  })(1);
  reply_with<void>(sent.responder(), [] {
    Response r;
    r.status = 204;
    return r;
  })(Result<void>());
  REQUIRE(sent.answers.size() == 3);
  CHECK(sent.answers[0].status == 409);
  CHECK(sent.answers[1].status == 201);
  CHECK(sent.answers[2].status == 204);
}

TEST_CASE("the router answers every request exactly once") {
  Router router;
  router.add("GET", "/now", [](const Request&, const PathParams&) { return Response{}; });
  router.add("GET", "/throws", [](const Request&, const PathParams&) -> Response {
    throw BoraError(ErrorKind::BadInput, "bad query");
  });
  router.add_async("GET", "/forgets", [](const Request&, const PathParams&, Responder) {});
  std::vector<std::thread> workers;
  router.add_async("GET", "/later/{id}", [&workers](const Request&, const PathParams& p, Responder r) {
    std::string id = p[0];  // the request is not kept: copy what is needed
    workers.emplace_back([r, id] {
      Response out;
      out.status = 202;
      out.body = id;
      r.reply(out);
    });
  });
  router.add_async("GET", "/answers-then-throws", [](const Request&, const PathParams&, Responder r) {
    r.reply(Response{});
    throw std::runtime_error("after the answer");
  });

  Sent sent;
  for (const char* path : {"/now", "/throws", "/forgets", "/nowhere", "/answers-then-throws"})
    router.dispatch(get(path), sent.responder());
  Request post = get("/now");
  post.method = "POST";
  router.dispatch(post, sent.responder());
  router.dispatch(get("/later/42"), sent.responder());
  for (auto& w : workers) w.join();

  REQUIRE(sent.answers.size() == 7);
  CHECK(sent.answers[0].status == 200);
  CHECK(sent.answers[1].status == 400);
  CHECK(sent.answers[2].status == 500);  // dropped by the handler
  CHECK(sent.answers[3].status == 404);
  CHECK(sent.answers[4].status == 200);  // the throw after it changes nothing
  CHECK(sent.answers[5].status == 405);
  CHECK(sent.answers[6].status == 202);
  CHECK(sent.answers[6].body == "42");
}

TEST_CASE("answer_elsewhere renders on the offload pool; work dropped there still answers 500") {
  std::vector<std::function<void()>> pool;
  Sent sent;
  auto offloaded = [&] {
    return Responder([&sent](Response r) { sent.answers.push_back(std::move(r)); }, "PUT /v2/tasks/1",
                     [&pool](std::function<void()> work) { pool.push_back(std::move(work)); });
  };
  reply_with<int>(offloaded(), [](int v) {
    Response r;
    r.status = v;
    return r;
  })(202);
  CHECK(sent.answers.empty());  // not rendered on the completing thread
  REQUIRE(pool.size() == 1);
  pool[0]();
  REQUIRE(sent.answers.size() == 1);
  CHECK(sent.answers[0].status == 202);

  pool.clear();
  offloaded().answer_elsewhere([] { return Response{}; });
  REQUIRE(pool.size() == 1);
  pool.clear();  // a stopped pool drops its work
  REQUIRE(sent.answers.size() == 2);
  CHECK(sent.answers[1].status == 500);
}
