// core/trace: W3C traceparent parsing and formatting, ids, sampling.
#include <catch2/catch.hpp>

#include <set>

#include "bora/core/trace.h"

using namespace bora;
using namespace bora::trace;

namespace {
const char* kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
}

TEST_CASE("traceparent: the recommendation's example reads and prints back") {
  auto c = parse_traceparent(kValid);
  REQUIRE(c);
  CHECK(c->trace_id.hex() == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(c->span_id.hex() == "00f067aa0ba902b7");
  CHECK(c->flags == 1);
  CHECK(c->sampled());
  CHECK(format_traceparent(*c) == kValid);
  auto unsampled = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  REQUIRE(unsampled);
  CHECK_FALSE(unsampled->sampled());
  // Surrounding blanks (optional whitespace of a header) are not part of it.
  CHECK(parse_traceparent(std::string(" ") + kValid + "\t"));
}

TEST_CASE("traceparent: versions") {
  // Version ff is forbidden; 00 has exactly four fields.
  CHECK_FALSE(parse_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent(std::string(kValid) + "-what"));
  CHECK_FALSE(parse_traceparent(std::string(kValid) + "0"));
  // A later version may carry more after a dash; it is read as 00.
  auto later = parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds");
  REQUIRE(later);
  CHECK(later->trace_id.hex() == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
  CHECK_FALSE(parse_traceparent("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
}

TEST_CASE("traceparent: all-zero ids, case, lengths and separators are refused") {
  CHECK_FALSE(parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  // Upper-case hex is not the recommendation's (lowercase only).
  CHECK_FALSE(parse_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01"));
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A"));
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent(""));
  CHECK_FALSE(parse_traceparent("garbage"));
}

TEST_CASE("tracestate passes through when it may") {
  CHECK(checked_tracestate("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7") == "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
  CHECK(checked_tracestate(std::string(513, 'a')).empty());
  CHECK(checked_tracestate("a=b\nc").empty());
}

TEST_CASE("ids: random ones differ and are never zero; record span ids are stable") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    TraceId t = new_trace_id();
    SpanId s = new_span_id();
    CHECK(t.valid());
    CHECK(s.valid());
    seen.insert(t.hex());
  }
  CHECK(seen.size() == 100);
  CHECK(span_id_of("0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c11") == span_id_of("0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c11"));
  CHECK_FALSE(span_id_of("0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c11") == span_id_of("0b7cbe6e-3b0a-4c6e-9d55-8d3e8f2a1c12"));
  CHECK(span_id_of("").valid());
  auto back = trace_id_from_hex("4BF92F3577B34DA6A3CE929D0E0E4736");
  REQUIRE(back);
  CHECK(back->hex() == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK_FALSE(span_id_from_hex("xyz"));
}

namespace {
struct Collect : SpanExporter {
  std::vector<Span> spans;
  void export_span(Span s) override { spans.push_back(std::move(s)); }
};
}  // namespace

TEST_CASE("start_span: joins the caller's trace or starts one, sampled by the ratio") {
  auto caller = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  Started joined = start_span(caller);
  CHECK(joined.context.trace_id == caller->trace_id);
  CHECK(joined.parent_span_id == caller->span_id);
  CHECK_FALSE(joined.context.span_id == caller->span_id);
  CHECK_FALSE(joined.context.sampled());  // the caller's decision stands

  auto collect = std::make_shared<Collect>();
  install(collect, 0.0);
  CHECK(enabled());
  for (int i = 0; i < 50; ++i) CHECK_FALSE(start_span(std::nullopt).context.sampled());
  install(collect, 1.0);
  Started fresh = start_span(std::nullopt);
  CHECK(fresh.context.sampled());
  CHECK_FALSE(fresh.parent_span_id.valid());
  install(collect, 0.5);
  int sampled = 0;
  for (int i = 0; i < 2000; ++i) sampled += start_span(std::nullopt).context.sampled();
  CHECK(sampled > 800);
  CHECK(sampled < 1200);
  emit(Span{});
  CHECK(collect->spans.size() == 1);
  install(nullptr);
  CHECK_FALSE(enabled());
  emit(Span{});
  CHECK(collect->spans.size() == 1);
}
