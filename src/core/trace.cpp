#include "bora/core/trace.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>

namespace bora::trace {

namespace {

constexpr char kHex[] = "0123456789abcdef";

template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& bytes) {
  std::string s(2 * N, '0');
  for (size_t i = 0; i < N; ++i) {
    s[2 * i] = kHex[bytes[i] >> 4];
    s[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return s;
}

int hex_value(char c, bool lower_only) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (!lower_only && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <size_t N>
bool from_hex(std::string_view text, std::array<uint8_t, N>& out, bool lower_only) {
  if (text.size() != 2 * N) return false;
  for (size_t i = 0; i < N; ++i) {
    int hi = hex_value(text[2 * i], lower_only), lo = hex_value(text[2 * i + 1], lower_only);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

template <size_t N>
bool any_set(const std::array<uint8_t, N>& bytes) {
  for (uint8_t b : bytes)
    if (b) return true;
  return false;
}

uint64_t random64() {
  // One generator per thread, seeded from the OS: no lock per span.
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  return gen();
}

void put64(uint8_t* out, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<uint8_t>(v);
}

std::atomic<bool> g_enabled{false};
std::atomic<double> g_ratio{1.0};
std::mutex g_mutex;  // guards g_exporter (install is rare; emit copies the pointer)
std::shared_ptr<SpanExporter> g_exporter;

}  // namespace

bool TraceId::valid() const { return any_set(bytes); }
std::string TraceId::hex() const { return to_hex(bytes); }
bool SpanId::valid() const { return any_set(bytes); }
std::string SpanId::hex() const { return to_hex(bytes); }

std::optional<SpanContext> parse_traceparent(std::string_view h) {
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  // version "-" trace-id "-" parent-id "-" flags: 2+1+32+1+16+1+2 = 55.
  if (h.size() < 55) return std::nullopt;
  std::array<uint8_t, 1> version{};
  if (!from_hex(h.substr(0, 2), version, true) || version[0] == 0xff) return std::nullopt;
  // Version 00 has exactly these fields; a later one may add more after a
  // dash, which a 00 reader ignores.
  if (version[0] == 0 ? h.size() != 55 : (h.size() > 55 && h[55] != '-')) return std::nullopt;
  if (h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  SpanContext c;
  std::array<uint8_t, 1> flags{};
  if (!from_hex(h.substr(3, 32), c.trace_id.bytes, true) || !from_hex(h.substr(36, 16), c.span_id.bytes, true) ||
      !from_hex(h.substr(53, 2), flags, true))
    return std::nullopt;
  if (!c.valid()) return std::nullopt;
  c.flags = flags[0];
  return c;
}

std::string format_traceparent(const SpanContext& c) {
  std::string s = "00-";
  s += c.trace_id.hex();
  s += '-';
  s += c.span_id.hex();
  s += '-';
  s += kHex[c.flags >> 4];
  s += kHex[c.flags & 0xf];
  return s;
}

std::string checked_tracestate(std::string_view h) {
  if (h.size() > 512) return {};
  for (char c : h)
    if (c < 0x20 || c > 0x7e) return {};
  return std::string(h);
}

TraceId new_trace_id() {
  TraceId id;
  do {
    put64(id.bytes.data(), random64());
    put64(id.bytes.data() + 8, random64());
  } while (!id.valid());
  return id;
}

SpanId new_span_id() {
  SpanId id;
  do put64(id.bytes.data(), random64());
  while (!id.valid());
  return id;
}

SpanId span_id_of(std::string_view record_id) {
  // FNV-1a over the whole id: every id carries at least 74 random bits
  // (a version-4 or a time-ordered version-7 UUID), so 64 bits of its hash
  // collide no more than random span ids do.
  uint64_t h = 14695981039346656037ULL;
  for (char c : record_id) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ULL;
  }
  SpanId id;
  put64(id.bytes.data(), h ? h : 1);
  return id;
}

std::optional<TraceId> trace_id_from_hex(std::string_view hex) {
  TraceId id;
  if (!from_hex(hex, id.bytes, false)) return std::nullopt;
  return id;
}

std::optional<SpanId> span_id_from_hex(std::string_view hex) {
  SpanId id;
  if (!from_hex(hex, id.bytes, false)) return std::nullopt;
  return id;
}

void install(std::shared_ptr<SpanExporter> exporter, double sample_ratio) {
  std::lock_guard lock(g_mutex);
  g_ratio.store(sample_ratio < 0 ? 0 : sample_ratio > 1 ? 1 : sample_ratio, std::memory_order_relaxed);
  g_enabled.store(exporter != nullptr, std::memory_order_release);
  g_exporter = std::move(exporter);
}

bool enabled() { return g_enabled.load(std::memory_order_relaxed); }

void emit(Span span) {
  std::shared_ptr<SpanExporter> exporter;
  {
    std::lock_guard lock(g_mutex);
    exporter = g_exporter;
  }
  if (exporter) exporter->export_span(std::move(span));
}

Started start_span(const std::optional<SpanContext>& incoming) {
  Started s;
  if (incoming && incoming->valid()) {
    s.context = *incoming;
    s.parent_span_id = incoming->span_id;
  } else {
    s.context.trace_id = new_trace_id();
    // OpenTelemetry's TraceIdRatioBased rule: the decision is a function of
    // the trace id (its last 8 bytes below ratio * 2^63), so every service
    // using the same ratio decides alike.
    uint64_t low = 0;
    for (size_t i = 8; i < 16; ++i) low = low << 8 | s.context.trace_id.bytes[i];
    double ratio = g_ratio.load(std::memory_order_relaxed);
    bool sampled = ratio >= 1.0 || (low >> 1) < static_cast<uint64_t>(ratio * 9223372036854775808.0);
    s.context.flags = sampled ? 1 : 0;
  }
  s.context.span_id = new_span_id();
  return s;
}

int64_t now_unix_nano() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace bora::trace
