// std.http against a loopback server: method, query, body, json, headers,
// auth, cookies; Mistral's result dict; 4xx as an error; connection errors.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/executor/executor.h"
#include "loopback_server.h"

using namespace bora;
using namespace bora::executor;
using bora::executor::test::LoopbackServer;

namespace {

// Answers every request with a JSON echo of its request line, headers and
// body; /missing answers 404; /text answers plain text.
void echo_http(int fd) {
  std::string req = LoopbackServer::read_until(fd, "\r\n\r\n");
  size_t header_end = req.find("\r\n\r\n");
  std::string head = req.substr(0, header_end);
  std::string lower = head;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t cl = lower.find("content-length:");
  size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15));
  std::string body = req.substr(header_end + 4);
  while (body.size() < length) {
    std::string more = LoopbackServer::read_until(fd, "", length - body.size());
    if (more.empty()) break;
    body += more;
  }
  std::string line = head.substr(0, head.find("\r\n"));
  std::string status = "200 OK", type = "application/json", payload;
  if (line.find(" /missing") != std::string::npos) status = "404 Not Found";
  if (line.find(" /text") != std::string::npos) {
    type = "text/plain";
    payload = "hello";
  } else {
    payload = to_json(Value::dict({{"line", Value(line)}, {"head", Value(head)}, {"body", Value(body)}}));
  }
  LoopbackServer::write_all(fd, "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
                                    "\r\nSet-Cookie: sid=abc; Path=/\r\nX-Thing: 1\r\nContent-Length: " +
                                    std::to_string(payload.size()) + "\r\nConnection: close\r\n\r\n" + payload);
}

}  // namespace

TEST_CASE("GET with params, headers, auth and cookies; the result dict") {
  LoopbackServer server(echo_http);
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  ActionRunContext ctx;
  auto r = run_std_action("std.http",
                          Value::dict({{"url", Value(base + "/path")},
                                       {"params", Value::dict({{"q", Value("a b")}, {"n", Value(2)}})},
                                       {"headers", Value::dict({{"X-Count", Value(3)}})},
                                       {"auth", Value("user:secret")},
                                       {"cookies", Value::dict({{"c", Value("1")}})}}),
                          ctx);
  REQUIRE_FALSE(r.failed);
  const Value& res = r.data;
  CHECK(res["status"].as_int() == 200);
  CHECK(res["reason"].as_string() == "OK");
  CHECK(res["encoding"].as_string() == "utf-8");
  CHECK(res["headers"]["X-Thing"].as_string() == "1");
  CHECK(res["cookies"]["sid"].as_string() == "abc");
  CHECK(res["elapsed"].is_double());
  CHECK(res["history"].is_list());
  CHECK_THAT(res["url"].as_string(), Catch::Contains("/path?q=a%20b&n=2"));
  const Value& content = res["content"];
  CHECK_THAT(content["line"].as_string(), Catch::StartsWith("GET /path?q=a%20b&n=2 HTTP/1.1"));
  CHECK_THAT(content["head"].as_string(), Catch::Contains("X-Count: 3"));
  CHECK_THAT(content["head"].as_string(), Catch::Contains("Authorization: Basic dXNlcjpzZWNyZXQ="));
  CHECK_THAT(content["head"].as_string(), Catch::Contains("Cookie: c=1"));
}

TEST_CASE("POST with json, PUT with a dict body, text content") {
  LoopbackServer server(echo_http);
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  ActionRunContext ctx;
  auto post = run_std_action("std.http",
                             Value::dict({{"url", Value(base + "/items")},
                                          {"method", Value("POST")},
                                          {"json", Value::dict({{"a", Value(1)}})}}),
                             ctx);
  REQUIRE_FALSE(post.failed);
  CHECK_THAT(post.data["content"]["line"].as_string(), Catch::StartsWith("POST /items"));
  CHECK(post.data["content"]["body"].as_string() == "{\"a\": 1}");
  CHECK_THAT(post.data["content"]["head"].as_string(), Catch::Contains("Content-Type: application/json"));
  auto put = run_std_action("std.http",
                            Value::dict({{"url", Value(base + "/items/1")},
                                         {"method", Value("put")},
                                         {"body", Value::dict({{"b", Value(true)}})}}),
                            ctx);
  CHECK(put.data["content"]["body"].as_string() == "{\"b\": true}");
  CHECK_THAT(put.data["content"]["line"].as_string(), Catch::StartsWith("PUT "));
  auto text = run_std_action("std.http", Value::dict({{"url", Value(base + "/text")}}), ctx);
  CHECK(text.data["content"].as_string() == "hello");
  CHECK(text.data["encoding"].as_string() == "ISO-8859-1");
  auto both = run_std_action("std.http",
                             Value::dict({{"url", Value(base)}, {"body", Value("x")}, {"json", Value(1)}}), ctx);
  CHECK(both.failed);
  CHECK_THAT(both.error.as_string(), Catch::StartsWith("The action raised an exception [") && Catch::EndsWith(", msg='" "Only one of the parameters 'json' and 'body' can be passed" "']"));
}

TEST_CASE("a 4xx answer is the action's error, with the whole result") {
  LoopbackServer server(echo_http);
  ActionRunContext ctx;
  auto r = run_std_action(
      "std.http", Value::dict({{"url", Value("http://127.0.0.1:" + std::to_string(server.port()) + "/missing")}}),
      ctx);
  CHECK(r.failed);
  CHECK(r.error["status"].as_int() == 404);
  CHECK(r.error["reason"].as_string() == "Not Found");
}

TEST_CASE("std.mistral_http adds the execution's headers") {
  LoopbackServer server(echo_http);
  ActionRunContext ctx;
  ctx.workflow_name = "wf";
  ctx.workflow_execution_id = "ex-1";
  ctx.task_execution_id = "t-1";
  ctx.action_execution_id = "a-1";
  ctx.callback_url = "http://127.0.0.1:8989/v2/action_executions/a-1";
  auto r = run_std_action("std.mistral_http",
                          Value::dict({{"url", Value("http://127.0.0.1:" + std::to_string(server.port()))}}), ctx);
  REQUIRE_FALSE(r.failed);
  std::string head = r.data["content"]["head"].as_string();
  CHECK_THAT(head, Catch::Contains("Mistral-Workflow-Name: wf"));
  CHECK_THAT(head, Catch::Contains("Mistral-Workflow-Execution-Id: ex-1"));
  CHECK_THAT(head, Catch::Contains("Mistral-Action-Execution-Id: a-1"));
  CHECK_THAT(head, Catch::Contains("Mistral-Callback-URL: http://127.0.0.1:8989/v2/action_executions/a-1"));
}

TEST_CASE("connection failures are action errors that name the URL") {
  // Port 1 on loopback: nothing listens there. requests' words over
  // urllib3, as Mistral's std.http fails: pool, host, port, path.
  ActionRunContext ctx;
  auto r = run_std_action("std.http", Value::dict({{"url", Value("http://127.0.0.1:1/x?a=1")}}), ctx);
  CHECK(r.failed);
  CHECK_THAT(r.error.as_string(),
             Catch::Contains(", msg=\'" "Failed to send HTTP request: HTTPConnectionPool(host='127.0.0.1', port=1): "
                             "Max retries exceeded with url: /x?a=1 (Caused by NewConnectionError('<urllib3.connection."
                             "HTTPConnection object at 0x"));
  CHECK_THAT(r.error.as_string(), Catch::Contains(">: Failed to establish a new connection: [Errno 111] ECONNREFUSED'))"));
  // A name that does not resolve (.invalid never does), over https.
  r = run_std_action("std.http", Value::dict({{"url", Value("https://no-such-host.invalid")}}), ctx);
  CHECK(r.failed);
  CHECK_THAT(r.error.as_string(),
             Catch::Contains("HTTPSConnectionPool(host='no-such-host.invalid', port=443): Max retries exceeded with url: "
                             "/ (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x"));
  CHECK_THAT(r.error.as_string(), Catch::Contains("[Errno -2] Name or service not known'))"));
}
