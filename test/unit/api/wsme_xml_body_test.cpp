// api/wsme_xml_body: text/xml request bodies as WSME reads them, and what
// a hostile one gets (the exchanges with Mistral's answers are in
// test/integration/test_content_negotiation.py).
#include <catch2/catch.hpp>

#include <string>

#include "bora/api/body_schema.h"
#include "bora/api/wsme_xml_body.h"
#include "bora/core/error.h"
#include "bora/core/json.h"

using namespace bora;
using namespace bora::api;

TEST_CASE("a text/xml body reads as the resource's JSON object") {
  Value v = wsme_xml_body(
      "<x><workflow_name>wf</workflow_name><input>{\"a\": [1, \"\\u00e9\"]}</input><tags><item>t1</item>"
      "<item nil=\"true\"/></tags><description/><bogus>1</bogus><state_info nil=\"true\"/>"
      "<workflow_version> +1_0 </workflow_version></x>",
      body::execution);
  CHECK(to_json(v) ==
        R"({"workflow_name":"wf","description":"","tags":["t1",null],"state_info":null,"input":{"a":[1,"é"]},"workflow_version":10})");
  Value task = wsme_xml_body("<t><reset>FALSE</reset><processed>yes</processed></t>", body::task);
  CHECK(to_json(task) == R"({"processed":true,"reset":false})");
  CHECK(to_json(wsme_xml_body("<e><variables>[]</variables></e>", body::environment)) == R"({"variables":{}})");
}

TEST_CASE("a text/xml body that cannot be read is a 400 naming what") {
  auto refused = [](const std::string& xml, const BodySchema& schema) {
    try {
      wsme_xml_body(xml, schema);
    } catch (const BoraError& e) {
      CHECK(e.kind() == ErrorKind::BadInput);
      return std::string(e.what());
    }
    FAIL("accepted: " << xml);
    return std::string();
  };
  CHECK(refused("not xml", body::execution).find("is not XML: syntax error (line 1, column 1)") != std::string::npos);
  CHECK(refused("<a><input>nope</input></a>", body::execution).find("field/attribute input. Value: 'nope'") !=
        std::string::npos);
  CHECK(refused("<a><input>[1]</input></a>", body::execution) == "JsonType field value must be a dictionary [actual=[1]]");
  CHECK(refused("<c><remaining_executions>1.5</remaining_executions></c>", body::cron_trigger)
            .find("remaining_executions. Value: '1.5'. Not an integer.") != std::string::npos);
  // No entity of the client's is expanded (billion laughs), nothing nests
  // without bound.
  CHECK(refused("<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\">]><a><name>&x;</name></a>", body::environment)
            .find("a DOCTYPE is not accepted") != std::string::npos);
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<n>";
  CHECK(refused(deep, body::environment).find("nest deeper than 32") != std::string::npos);
}
