// api/proxy_headers: the client's address as oslo.middleware's
// HTTPProxyToWSGI reads a proxy's headers (the exchanges with Mistral's
// answers are in test/integration/test_cors.py).
#include <catch2/catch.hpp>

#include "bora/api/proxy_headers.h"

using namespace bora::api;

TEST_CASE("the client's base URL, with and without the proxy's headers") {
  ClientAddressHeaders h{"127.0.0.1:8989", "", "https", "api.example.com", "/workflow"};
  CHECK(client_base_url(h, false, "0.0.0.0:1") == "http://127.0.0.1:8989");
  CHECK(client_base_url(h, true, "0.0.0.0:1") == "https://api.example.com/workflow");
  // Forwarded wins over X-Forwarded-Proto/Host: its first proxy, keys in any case.
  h.forwarded = "for=192.0.2.60; Proto=https ;host=a.example.com, proto=http;host=b";
  CHECK(client_base_url(h, true, "0.0.0.0:1") == "https://a.example.com/workflow");
  CHECK(client_base_url(ClientAddressHeaders{}, true, "0.0.0.0:1") == "http://0.0.0.0:1");
}

TEST_CASE("the scheme's default port is left out, as WebOb's host_url does") {
  CHECK(client_base_url(ClientAddressHeaders{"localhost:80"}, false, "x") == "http://localhost");
  CHECK(client_base_url(ClientAddressHeaders{"localhost:443"}, false, "x") == "http://localhost:443");
  CHECK(client_base_url(ClientAddressHeaders{"[::1]:80"}, false, "x") == "http://[::1]");
  CHECK(client_base_url(ClientAddressHeaders{"[::1]"}, false, "x") == "http://[::1]");
  ClientAddressHeaders behind{"localhost:80", "", "https", "api.example.com:443", ""};
  CHECK(client_base_url(behind, true, "x") == "https://api.example.com");
}
