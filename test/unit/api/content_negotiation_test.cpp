// api/content_negotiation: webob's reading of Accept headers, checked
// against webob's own answers (test/data/api/accept_offers.json, frozen by
// scripts/gen_content_negotiation_cases.py), and pecan's choice for each
// kind of route. The whole exchange against Mistral's answers is
// test/integration/test_content_negotiation.py.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "bora/api/content_negotiation.h"
#include "bora/api/wsme_xml.h"
#include "bora/core/json.h"

using namespace bora;
using namespace bora::api;

namespace {

Value read_cases(const std::string& name) {
  std::ifstream in(std::string(BORA_SOURCE_DIR) + "/test/data/api/" + name);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse_json(text.str());
  REQUIRE(parsed.ok());
  return parsed.value();
}

Request with_accept(const char* accept) {
  Request r;
  r.method = "GET";
  if (accept) r.headers["accept"] = accept;
  return r;
}

}  // namespace

TEST_CASE("acceptable_offers answers as webob's Accept.acceptable_offers") {
  Value cases = read_cases("accept_offers.json");
  REQUIRE(cases.size() > 100);
  for (const Value& c : cases.as_list()) {
    std::optional<std::string> header;
    if (c["accept"].is_string()) header = c["accept"].as_string();
    std::vector<std::string> offers, want;
    for (const Value& o : c["offers"].as_list()) offers.push_back(o.as_string());
    for (const Value& o : c["acceptable"].as_list()) want.push_back(o.as_string());
    INFO("Accept: " << (header ? *header : "<none>") << ", offers " << to_json(c["offers"]));
    CHECK(acceptable_offers(header ? &*header : nullptr, offers) == want);
  }
}

TEST_CASE("pecan's choice of a route's media type") {
  CHECK(negotiate(with_accept(nullptr), Produces::Wsme) == "application/json");
  CHECK(negotiate(with_accept(""), Produces::Wsme) == "application/json");
  CHECK(negotiate(with_accept("application/xml"), Produces::Wsme) == "application/xml");
  CHECK(negotiate(with_accept("bogus"), Produces::Wsme) == "application/xml");  // every type: the first
  CHECK(negotiate(with_accept("application/json;q=0"), Produces::Wsme) == "application/json");  // its prefix
  CHECK_FALSE(negotiate(with_accept("*/*;q=0"), Produces::Wsme));
  CHECK_FALSE(negotiate(with_accept("application/json"), Produces::PecanText));
  CHECK(negotiate(with_accept("text/html,application/xhtml+xml"), Produces::PecanText) == "text/plain");
  CHECK_FALSE(negotiate(with_accept("text/plain"), Produces::PecanJson));
  CHECK(negotiate(with_accept("image/png"), Produces::Own) == "");
}

TEST_CASE("pecan's own errors take the form Accept prefers") {
  Response json = pecan_http_error(with_accept("application/json"), 404, Value());
  CHECK(json.body == R"({"code": 404, "title": "Not Found", "description": null})");
  Response plain = pecan_http_error(with_accept(nullptr), 405, Value(""));
  CHECK(plain.content_type == "text/plain; charset=UTF-8");
  CHECK(plain.body == "405 Method Not Allowed\n\nThe method GET is not allowed for this resource. \n\n ");
  Response html = pecan_http_error(with_accept("text/html"), 406, Value());
  CHECK(html.content_type == "text/html; charset=UTF-8");
  CHECK(html.body.find("(content of type text/html. <br /><br />") != std::string::npos);
  // webob's escaping of what the header said, in the HTML page.
  Response escaped = pecan_http_error(with_accept("text/html;q=0.5, x/y;a=\"<b>\""), 406, Value());
  CHECK(escaped.body.find("x/y;a=&quot;&lt;b&gt;&quot;") != std::string::npos);
}

TEST_CASE("a WSME answer in XML") {
  Response r;
  r.body = R"({"id": "x", "tags": [], "input": {"a": "\u00e9<"}, "state_info": null, "n": 2.5, "ok": true,
               "items": [{"name": "a&b"}], "statistics": {"total": 1}, "empty": ""})";
  render_wsme_xml(r, "application/xml");
  CHECK(r.content_type == "application/xml; charset=UTF-8");
  CHECK(r.body ==
        "<result><id>x</id><tags /><input>{\"a\": \"\\u00e9&lt;\"}</input><state_info nil=\"true\" />"
        "<n>2.5</n><ok>true</ok><items><item><name>a&amp;b</name></item></items>"
        "<statistics><total>1</total></statistics><empty /></result>");
  Response fault;
  fault.status = 404;
  fault.body = R"({"faultcode": "Client", "faultstring": "caf\u00e9 not found", "debuginfo": null})";
  render_wsme_xml(fault, "text/xml");
  CHECK(fault.body ==
        "<error><faultcode>Client</faultcode><faultstring>caf&#233; not found</faultstring><debuginfo /></error>");
  Response none;
  none.status = 204;
  render_wsme_xml(none, "application/xml");
  CHECK(none.body.empty());
}
