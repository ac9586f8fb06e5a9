// telemetry/otlp_exporter: sends core/trace's spans to an OpenTelemetry
// collector over OTLP/HTTP with the JSON encoding (POST {endpoint}/v1/traces,
// an ExportTraceServiceRequest). Spans wait in a bounded queue and a
// background thread sends them in batches, so emitting one never blocks the
// engine loop or an HTTP thread: when the queue is full the span is dropped
// and counted. Only the binary (cli) wires this; the modules that make spans
// see core/trace.h alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/trace.h"

namespace bora::telemetry {

struct OtlpOptions {
  std::string endpoint;               // e.g. http://127.0.0.1:4318 ("/v1/traces" is appended)
  std::string service_name = "bora";  // the resource's service.name
  size_t max_queue = 2048;            // spans waiting at most; more are dropped
  size_t batch_size = 512;            // spans per request at most
  std::chrono::milliseconds export_timeout{10'000};  // one request's limit
  // How long a span may wait for its batch to fill before it is sent.
  std::chrono::milliseconds flush_interval{1'000};
};

// The ExportTraceServiceRequest JSON of spans: one resourceSpans (the
// service), one scopeSpans (bora), ids in lowercase hex, times as strings
// of nanoseconds, as the OTLP/JSON mapping wants.
std::string otlp_json(const std::vector<trace::Span>& spans, std::string_view service_name,
                      std::string_view service_version);

class OtlpExporter : public trace::SpanExporter {
 public:
  explicit OtlpExporter(OtlpOptions options);
  // Sends what is queued (each request within export_timeout), then stops.
  ~OtlpExporter() override;
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  void export_span(trace::Span span) override;

  struct Stats {
    uint64_t exported = 0;  // spans the collector accepted (2xx)
    uint64_t dropped = 0;   // spans refused because the queue was full
    uint64_t failed = 0;    // spans of requests that failed (not retried)
  };
  Stats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bora::telemetry
