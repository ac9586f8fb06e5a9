// core/trace: W3C Trace Context (https://www.w3.org/TR/trace-context/) and
// the spans Bora reports about its work (issue 18, docs/OPERATIONS.md
// "Tracing").
//
// A trace is a 16-byte id shared by every span of one piece of work; a span
// is an 8-byte id, a parent, a name, a start and an end. The `traceparent`
// header carries "00-<trace id>-<parent span id>-<flags>" between services;
// `tracestate` is vendor data passed through unchanged.
//
// The modules that do the work (api, engine, executor) see only this header:
// they ask enabled() before building anything, and hand finished spans to
// emit(). Who sends them elsewhere (telemetry's OTLP exporter) is installed
// by the binary at start; with nothing installed, enabled() is false and no
// span is ever built, so tracing off costs one relaxed atomic load.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bora/core/value.h"

namespace bora::trace {

struct TraceId {
  std::array<uint8_t, 16> bytes{};
  bool valid() const;  // not all zero
  std::string hex() const;  // 32 lowercase hex digits
  bool operator==(const TraceId&) const = default;
};

struct SpanId {
  std::array<uint8_t, 8> bytes{};
  bool valid() const;
  std::string hex() const;  // 16 lowercase hex digits
  bool operator==(const SpanId&) const = default;
};

// What crosses a process border: the trace, the span that is the parent of
// whatever the receiver does, the flags (bit 0: sampled) and tracestate.
struct SpanContext {
  TraceId trace_id;
  SpanId span_id;
  uint8_t flags = 0;
  std::string tracestate;  // passed through as received (empty: none)

  bool valid() const { return trace_id.valid() && span_id.valid(); }
  bool sampled() const { return (flags & 1) != 0; }
};

// The traceparent header's value, as the W3C recommendation reads it:
// version 00 is exactly 55 characters; a later version may append fields
// after a '-' (read as 00, the rest ignored); version ff, upper-case hex,
// an all-zero trace or parent id, or a wrong length is invalid (nullopt).
std::optional<SpanContext> parse_traceparent(std::string_view header);
// "00-<trace>-<span>-<flags>".
std::string format_traceparent(const SpanContext& context);
// tracestate as it may be passed on: at most 512 characters of printable
// ASCII (the recommendation's limit for what must be propagated); anything
// else is dropped (empty), as a receiver may.
std::string checked_tracestate(std::string_view header);

// Random ids (never all zero).
TraceId new_trace_id();
SpanId new_span_id();
// The span id of a stored record (an execution, a task, an action
// execution): derived from its id, so that the span and its children agree
// on it across batches and restarts without storing it.
SpanId span_id_of(std::string_view record_id);
// Parses 32 / 16 lowercase or upper-case hex digits.
std::optional<TraceId> trace_id_from_hex(std::string_view hex);
std::optional<SpanId> span_id_from_hex(std::string_view hex);

// OTLP's span kinds (the numbers of its protobuf enum).
enum class SpanKind { Internal = 1, Server = 2, Client = 3 };

struct Span {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // all zero: a root span
  std::string name;
  SpanKind kind = SpanKind::Internal;
  int64_t start_unix_nano = 0, end_unix_nano = 0;
  std::vector<std::pair<std::string, Value>> attributes;  // string, int, double or bool values
  bool error = false;          // OTLP status ERROR (else UNSET)
  std::string status_message;  // with error
  std::string tracestate;
};

// Receives finished spans. export_span must not block: it is called on the
// engine's loop thread and on handler threads.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual void export_span(Span span) = 0;
};

// Installs the process's exporter and turns tracing on (null: off).
// sample_ratio (0..1) decides for traces Bora starts; a trace a caller
// started keeps the caller's decision (the sampled flag).
void install(std::shared_ptr<SpanExporter> exporter, double sample_ratio = 1.0);
bool enabled();
// Hands a finished span to the exporter (dropped when tracing is off).
void emit(Span span);

// The context work done for a request runs under: the caller's trace when
// it sent a valid traceparent (its span id being the parent), else a new
// trace, sampled by the ratio. The returned span_id is a new span's (the
// request's own), parent_span_id the caller's (zero when none).
struct Started {
  SpanContext context;
  SpanId parent_span_id;
};
Started start_span(const std::optional<SpanContext>& incoming);

// Nanoseconds since the Unix epoch, from a count of microseconds (the
// engine's Timestamp) or from the system clock now.
inline int64_t unix_nano_from_micros(int64_t us) { return us * 1000; }
int64_t now_unix_nano();

}  // namespace bora::trace
