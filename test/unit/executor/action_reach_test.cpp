// What the std actions reach: std.http / std.mistral_http only http(s),
// redirects included; the denied networks and the server's own port on
// every connection (redirects, names, IPv4-mapped IPv6); std.email only
// smtp(s) to a host:port; std.ssh keys only from the key directory, hosts
// only outside denied networks; JavaScript without files or network.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/executor/executor.h"
#include "bora/executor/reach.h"
#include "loopback_server.h"
#include "reach_guard.h"

using namespace bora;
using namespace bora::executor;
using bora::executor::test::LoopbackServer;

namespace {

// 200 with a small JSON body, or a 302 to `location` when one is given.
LoopbackServer::Handler answer(std::string location = "") {
  return [location](int fd) {
    LoopbackServer::read_until(fd, "\r\n\r\n");
    if (!location.empty()) {
      LoopbackServer::write_all(fd, "HTTP/1.1 302 Found\r\nLocation: " + location +
                                        "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    } else {
      LoopbackServer::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
                                    "Connection: close\r\n\r\n{\"ok\": true}");
    }
  };
}

ActionResult http(const std::string& url, bool redirects = false, const char* action = "std.http") {
  ActionRunContext ctx;
  return run_std_action(action, Value::dict({{"url", Value(url)}, {"allow_redirects", Value(redirects)}}), ctx);
}

std::string message(const ActionResult& r) { return r.error.is_string() ? r.error.as_string() : to_json(r.error); }

ReachOptions denying(std::initializer_list<const char*> networks) {
  ReachOptions o = *reach_options();
  o.denied_networks.clear();
  for (const char* n : networks) o.denied_networks.push_back(parse_network_range(n).value());
  return o;
}

}  // namespace

TEST_CASE("std.http and std.mistral_http reach only http:// and https://") {
  for (const char* action : {"std.http", "std.mistral_http"}) {
    for (const char* url : {"file:///etc/passwd", "FILE:///proc/self/environ", "file:/etc/passwd",
                            "gopher://127.0.0.1:70/_stats", "dict://127.0.0.1:11211/stats", "ftp://127.0.0.1/x",
                            "ldap://127.0.0.1/", "tftp://127.0.0.1/x", "telnet://127.0.0.1:23", "scp://h/x",
                            "smb://h/x", "imap://h/", "mqtt://h/", "rtsp://h/", "localhost:8989/v2"}) {
      INFO(action << " " << url);
      auto r = http(url, false, action);
      REQUIRE(r.failed);
      // requests' words, as Mistral's std.http words it (the log says which rule).
      CHECK_THAT(message(r), Catch::Contains(std::string("Failed to send HTTP request: No connection adapters were "
                                                         "found for '") + url + "'"));
      CHECK_THAT(message(r), !Catch::Contains("root:"));
    }
  }
}

TEST_CASE("a redirect to another scheme is refused, naming where it led") {
  for (const char* target : {"file:///etc/passwd", "gopher://127.0.0.1:70/_x", "dict://127.0.0.1:2628/x",
                             "ftp://127.0.0.1/x"}) {
    INFO(target);
    LoopbackServer server(answer(target));
    std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/go";
    auto r = http(url, true);
    REQUIRE(r.failed);
    CHECK_THAT(message(r), Catch::Contains(std::string("Failed to send HTTP request: No connection adapters were "
                                                       "found for '") + target + "'"));
    CHECK_THAT(message(r), !Catch::Contains("root:"));
  }
  // Without allow_redirects the 302 is the result, nothing is followed.
  LoopbackServer server(answer("file:///etc/passwd"));
  auto r = http("http://127.0.0.1:" + std::to_string(server.port()) + "/go", false);
  CHECK_FALSE(r.failed);
  CHECK(r.data["status"].as_int() == 302);
}

TEST_CASE("denied_networks refuses every way to a denied address, names URL, address and option") {
  ReachGuard guard;
  LoopbackServer server(answer());
  const std::string port = std::to_string(server.port());
  CHECK_FALSE(http("http://127.0.0.1:" + port + "/").failed);  // nothing denied by default

  set_reach_options(denying({"127.0.0.0/8", "::1/128"}));
  for (const std::string& url : {"http://127.0.0.1:" + port + "/v2", "http://localhost:" + port + "/",
                                "http://[::ffff:127.0.0.1]:" + port + "/", "http://127.1:" + port + "/",
                                "http://2130706433:" + port + "/", "http://0x7f000001:" + port + "/",
                                "http://[::1]:" + port + "/"}) {
    INFO(url);
    auto r = http(url);
    REQUIRE(r.failed);
    CHECK_THAT(message(r), Catch::Contains("std.http may not connect to '"));
    CHECK_THAT(message(r), Catch::Contains("[executor] denied_networks"));
    CHECK_THAT(message(r), Catch::Contains("(port " + port + ")"));
  }
  auto r = http("http://127.0.0.1:" + port + "/v2");
  CHECK_THAT(message(r), Catch::Contains("'http://127.0.0.1:" + port + "/v2': 127.0.0.1 (port " + port +
                                         ") is in 127.0.0.0/8, which [executor] denied_networks denies"));
  CHECK(http("http://127.0.0.1:" + port + "/", false, "std.mistral_http").failed);
}

TEST_CASE("a URL without a scheme or a host is refused in requests' words, as Mistral's std.http") {
  ReachGuard guard;
  LoopbackServer server(answer());
  const std::string port = std::to_string(server.port());
  // libcurl would guess http:// for these; requests (and so Mistral) does not.
  CHECK_THAT(message(http("127.0.0.1:" + port + "/")),
             Catch::Contains("Failed to send HTTP request: No connection adapters were found for '127.0.0.1:" + port +
                             "/'"));
  CHECK_THAT(message(http("url")),
             Catch::Contains("Failed to send HTTP request: Invalid URL 'url': No scheme supplied. Perhaps you meant "
                             "http://url?"));
  CHECK_THAT(message(http("http://")), Catch::Contains("Invalid URL 'http://': No host supplied"));
  CHECK_THAT(message(http("http:///x")), Catch::Contains("Invalid URL 'http:///x': No host supplied"));
}

TEST_CASE("a redirect to a denied address is refused at the redirect") {
  ReachGuard guard;
  LoopbackServer target(answer());
  const std::string target_url = "http://127.0.0.2:" + std::to_string(target.port()) + "/secret";
  LoopbackServer server(answer(target_url));
  set_reach_options(denying({"127.0.0.2/32"}));
  auto r = http("http://127.0.0.1:" + std::to_string(server.port()) + "/go", true);
  REQUIRE(r.failed);
  CHECK_THAT(message(r), Catch::Contains("may not connect to '" + target_url + "'"));
  CHECK_THAT(message(r), Catch::Contains("127.0.0.2 (port " + std::to_string(target.port()) + ") is in 127.0.0.2/32"));
}

TEST_CASE("deny_own_api_port refuses the server's own port, by any local address, redirects included") {
  ReachGuard guard;
  LoopbackServer api(answer());  // stands for Bora's API
  LoopbackServer other(answer("http://127.0.0.1:" + std::to_string(api.port()) + "/v2/executions"));
  ReachOptions o = *reach_options();
  o.deny_own_api_port = true;
  o.own_api_port = static_cast<uint16_t>(api.port());
  set_reach_options(o);
  const std::string port = std::to_string(api.port());
  for (const std::string& url : {"http://127.0.0.1:" + port + "/v2", "http://localhost:" + port + "/v2",
                                "http://0.0.0.0:" + port + "/v2"}) {
    INFO(url);
    auto r = http(url);
    REQUIRE(r.failed);
    CHECK_THAT(message(r), Catch::Contains("is this server's own API, which [executor] deny_own_api_port denies"));
  }
  auto redirected = http("http://127.0.0.1:" + std::to_string(other.port()) + "/", true);
  REQUIRE(redirected.failed);
  CHECK_THAT(message(redirected), Catch::Contains("deny_own_api_port"));
  CHECK_FALSE(http("http://127.0.0.1:" + std::to_string(other.port()) + "/", false).failed);  // another port
  o.deny_own_api_port = false;
  set_reach_options(o);
  CHECK_FALSE(http("http://127.0.0.1:" + port + "/v2").failed);
}

TEST_CASE("std.email: smtp_server is host:port or smtp(s)://host:port, nothing else") {
  ActionRunContext ctx;
  auto email = [&](const std::string& server) {
    return run_std_action("std.email",
                          Value::dict({{"from_addr", Value("a@example.org")},
                                       {"to_addrs", Value::list({Value("b@example.org")})},
                                       {"smtp_server", Value(server)}}),
                          ctx);
  };
  for (const char* bad : {"file:///etc/passwd", "gopher://127.0.0.1:25", "http://127.0.0.1:25", "smtp://x/../y",
                          "user@127.0.0.1:25", "127.0.0.1:25/path", "127.0.0.1:25?x", "127.0.0.1:0",
                          "127.0.0.1:99999", "127.0.0.1:port", "host name", "[::1", "[::1]x", "[zz]:25",
                          "127.0.0.1:25\r\nRCPT TO:<x>", ":25"}) {
    INFO(bad);
    auto r = email(bad);
    REQUIRE(r.failed);
    CHECK_THAT(message(r), Catch::Contains("std.email: smtp_server '"));
  }
  ReachGuard guard;
  set_reach_options(denying({"127.0.0.0/8", "::1/128"}));
  for (const char* denied : {"127.0.0.1:2525", "localhost:2525", "smtps://127.0.0.1:4650", "[::1]:2525"}) {
    INFO(denied);
    auto r = email(denied);
    REQUIRE(r.failed);
    CHECK_THAT(message(r), Catch::Contains("std.email may not connect to smtp_server '" + std::string(denied) + "'"));
    CHECK_THAT(message(r), Catch::Contains("[executor] denied_networks"));
  }
}

TEST_CASE("std.ssh: key files only from ssh_private_key_dir, hosts only outside denied networks") {
  ReachGuard guard;
  ActionRunContext ctx;
  ReachOptions o = *reach_options();
  o.ssh_private_key_dir = "/nonexistent-bora-keys";
  set_reach_options(o);
  for (const char* action : {"std.ssh", "std.ssh_proxied"}) {
    for (const char* name : {"../../etc/passwd", "/etc/shadow", "/proc/self/environ", "x/../../y"}) {
      INFO(action << " " << name);
      Value input = Value::dict({{"cmd", Value("id")},
                                 {"host", Value("127.0.0.1:1")},
                                 {"username", Value("root")},
                                 {"private_key_filename", Value(name)}});
      if (std::string(action) == "std.ssh_proxied") input = input.with("gateway_host", Value("127.0.0.1:1"));
      auto r = run_std_action(action, input, ctx);
      REQUIRE(r.failed);
      CHECK_THAT(message(r), Catch::Contains("std.ssh may not read private_key_filename '" + std::string(name) +
                                             "': it is outside [executor] ssh_private_key_dir"));
    }
  }
  set_reach_options(denying({"127.0.0.0/8", "::1/128"}));
  auto r = run_std_action(
      "std.ssh", Value::dict({{"cmd", Value("id")}, {"host", Value("localhost:2222")}, {"username", Value("root")}}),
      ctx);
  REQUIRE(r.failed);
  CHECK_THAT(message(r), Catch::Contains("std.ssh to 'localhost:2222' was refused: "));
  CHECK_THAT(message(r), Catch::Contains("[executor] denied_networks"));
  auto gw = run_std_action("std.ssh_proxied",
                           Value::dict({{"cmd", Value("id")},
                                        {"host", Value("10.0.0.5")},
                                        {"username", Value("root")},
                                        {"private_key_filename", Value("")},
                                        {"gateway_host", Value("127.0.0.1")}}),
                           ctx);
  REQUIRE(gw.failed);
  CHECK_THAT(message(gw), Catch::Contains("std.ssh to '127.0.0.1' was refused"));
}

TEST_CASE("JavaScript actions have no files, no network, no modules") {
  ActionRunContext ctx;
  auto r = run_std_action(
      "std.javascript",
      Value::dict({{"script", Value("return [typeof require, typeof print, typeof alert, typeof XMLHttpRequest, "
                                    "typeof fetch, typeof load, typeof readFile, typeof process, typeof console, typeof module, "
                                    "typeof Duktape.modSearch, typeof Duktape.modLoaded, typeof Duktape.loadFile];")}}),
      ctx);
  REQUIRE_FALSE(r.failed);
  REQUIRE(r.data.is_list());
  for (const auto& v : r.data.as_list()) CHECK(v.as_string() == "undefined");
}
