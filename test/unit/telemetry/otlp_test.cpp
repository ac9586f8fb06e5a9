// telemetry: the OTLP/JSON request and the exporter's bounded queue.
#include <catch2/catch.hpp>

#include "bora/core/json.h"
#include "bora/telemetry/otlp_exporter.h"

using namespace bora;
using namespace bora::telemetry;

namespace {
trace::Span sample_span(bool root) {
  trace::Span s;
  s.trace_id = *trace::trace_id_from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  s.span_id = *trace::span_id_from_hex("00f067aa0ba902b7");
  if (!root) s.parent_span_id = *trace::span_id_from_hex("b7ad6b7169203331");
  s.name = "task t1";
  s.kind = trace::SpanKind::Server;
  s.start_unix_nano = 1764640000123456789;
  s.end_unix_nano = 1764640001123456789;
  s.attributes = {{"mistral.task.name", Value("t1")},
                  {"http.response.status_code", Value(int64_t{201})},
                  {"ratio", Value(0.5)},
                  {"ok", Value(true)}};
  s.error = !root;
  s.status_message = "boom \"quoted\"";
  s.tracestate = "congo=t61rcWkgMzE";
  return s;
}

const Value& attribute(const Value& attrs, const std::string& key) {
  for (const auto& a : attrs.as_list())
    if (a["key"] == Value(key)) return a["value"];
  FAIL("no attribute " << key);
  static Value none;
  return none;
}
}  // namespace

TEST_CASE("otlp_json: an ExportTraceServiceRequest in the OTLP/JSON mapping") {
  auto v = parse_json(otlp_json({sample_span(false), sample_span(true)}, "my-bora", "1.2.3"));
  REQUIRE(v.ok());
  const Value& rs = (*v)["resourceSpans"][0];
  CHECK(attribute(rs["resource"]["attributes"], "service.name")["stringValue"] == Value("my-bora"));
  CHECK(attribute(rs["resource"]["attributes"], "service.version")["stringValue"] == Value("1.2.3"));
  const Value& scope = rs["scopeSpans"][0];
  CHECK(scope["scope"]["name"] == Value("bora"));
  const Value& spans = scope["spans"];
  REQUIRE(spans.size() == 2);
  const Value& s = spans[0];
  CHECK(s["traceId"] == Value("4bf92f3577b34da6a3ce929d0e0e4736"));
  CHECK(s["spanId"] == Value("00f067aa0ba902b7"));
  CHECK(s["parentSpanId"] == Value("b7ad6b7169203331"));
  CHECK(s["traceState"] == Value("congo=t61rcWkgMzE"));
  CHECK(s["name"] == Value("task t1"));
  CHECK(s["kind"] == Value(int64_t{2}));
  // 64-bit integers are strings in OTLP/JSON.
  CHECK(s["startTimeUnixNano"] == Value("1764640000123456789"));
  CHECK(s["endTimeUnixNano"] == Value("1764640001123456789"));
  CHECK(attribute(s["attributes"], "mistral.task.name")["stringValue"] == Value("t1"));
  CHECK(attribute(s["attributes"], "http.response.status_code")["intValue"] == Value("201"));
  CHECK(attribute(s["attributes"], "ratio")["doubleValue"] == Value(0.5));
  CHECK(attribute(s["attributes"], "ok")["boolValue"] == Value(true));
  CHECK(s["status"]["code"] == Value(int64_t{2}));
  CHECK(s["status"]["message"] == Value("boom \"quoted\""));
  // A root has no parentSpanId; an unset status is an empty object.
  CHECK(spans[1].find("parentSpanId") == nullptr);
  CHECK(spans[1]["status"].is_dict());
  CHECK(spans[1]["status"].size() == 0);
}

TEST_CASE("exporter: a full queue drops and counts, never waits") {
  OtlpOptions o;
  o.endpoint = "http://127.0.0.1:1";  // nothing listens: sending fails fast
  o.max_queue = 2;
  o.batch_size = 100;
  o.flush_interval = std::chrono::milliseconds(60'000);
  o.export_timeout = std::chrono::milliseconds(2'000);
  OtlpExporter::Stats stats;
  {
    OtlpExporter e(o);
    for (int i = 0; i < 5; ++i) e.export_span(sample_span(true));
    stats = e.stats();
    CHECK(stats.dropped == 3);
    CHECK(stats.exported == 0);
  }
}
