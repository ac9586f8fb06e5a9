// telemetry/otlp_json: the OTLP/JSON form of spans
// (opentelemetry-proto's ExportTraceServiceRequest, JSON mapping: ids as
// lowercase hex, 64-bit integers as strings, enums as numbers).
#include <string>

#include "bora/core/json.h"
#include "bora/telemetry/otlp_exporter.h"

namespace bora::telemetry {

namespace {

void append_any_value(std::string& out, const Value& v) {
  if (v.is_bool()) {
    out += v.as_bool() ? "{\"boolValue\": true}" : "{\"boolValue\": false}";
  } else if (v.is_int()) {
    out += "{\"intValue\": \"" + std::to_string(v.as_int()) + "\"}";
  } else if (v.is_double()) {
    out += "{\"doubleValue\": " + to_json(v) + "}";
  } else {
    out += "{\"stringValue\": ";
    append_json_string(out, v.is_string() ? v.as_string() : to_json(v));
    out += '}';
  }
}

void append_attribute(std::string& out, std::string_view key, const Value& v) {
  out += "{\"key\": ";
  append_json_string(out, key);
  out += ", \"value\": ";
  append_any_value(out, v);
  out += '}';
}

void append_span(std::string& out, const trace::Span& s) {
  out += "{\"traceId\": \"" + s.trace_id.hex() + "\", \"spanId\": \"" + s.span_id.hex() + "\"";
  if (s.parent_span_id.valid()) out += ", \"parentSpanId\": \"" + s.parent_span_id.hex() + "\"";
  if (!s.tracestate.empty()) {
    out += ", \"traceState\": ";
    append_json_string(out, s.tracestate);
  }
  out += ", \"name\": ";
  append_json_string(out, s.name);
  out += ", \"kind\": " + std::to_string(static_cast<int>(s.kind));
  out += ", \"startTimeUnixNano\": \"" + std::to_string(s.start_unix_nano) + "\"";
  out += ", \"endTimeUnixNano\": \"" + std::to_string(s.end_unix_nano) + "\"";
  out += ", \"attributes\": [";
  for (size_t i = 0; i < s.attributes.size(); ++i) {
    if (i) out += ", ";
    append_attribute(out, s.attributes[i].first, s.attributes[i].second);
  }
  out += "], \"status\": {";
  if (s.error) {
    out += "\"code\": 2";  // STATUS_CODE_ERROR
    if (!s.status_message.empty()) {
      out += ", \"message\": ";
      append_json_string(out, s.status_message);
    }
  }
  out += "}}";
}

}  // namespace

std::string otlp_json(const std::vector<trace::Span>& spans, std::string_view service_name,
                      std::string_view service_version) {
  std::string out = "{\"resourceSpans\": [{\"resource\": {\"attributes\": [";
  append_attribute(out, "service.name", Value(std::string(service_name)));
  out += ", ";
  append_attribute(out, "service.version", Value(std::string(service_version)));
  out += "]}, \"scopeSpans\": [{\"scope\": {\"name\": \"bora\", \"version\": ";
  append_json_string(out, service_version);
  out += "}, \"spans\": [";
  for (size_t i = 0; i < spans.size(); ++i) {
    if (i) out += ", ";
    append_span(out, spans[i]);
  }
  out += "]}]}]}";
  return out;
}

}  // namespace bora::telemetry
