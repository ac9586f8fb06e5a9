#include "bora/core/ids.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>

#include "bora/core/replay_tape.h"

namespace bora {

namespace {

// One generator per thread, seeded from the OS: no lock on a hot path.
std::mt19937_64& generator() {
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  return gen;
}

// The canonical text of the 128 bits hi:lo, with the RFC 4122 variant.
std::string uuid_text(uint64_t hi, uint64_t lo) {
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  static const char* hex = "0123456789abcdef";
  std::string s(36, '-');
  int pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
    uint64_t word = i < 16 ? hi : lo;
    int shift = 60 - 4 * (i % 16);
    s[static_cast<size_t>(pos++)] = hex[(word >> shift) & 0xf];
  }
  return s;
}

std::string random_uuid() {
  uint64_t hi = generator()();
  uint64_t lo = generator()();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  return uuid_text(hi, lo);
}

std::string time_ordered_uuid() {
  // The wall clock, not the engine's (a test's virtual clock would give
  // every id the same prefix, which only costs locality, never uniqueness).
  auto ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
  // Monotonic within a thread (RFC 9562, 6.2 method 1): in the same
  // millisecond the 12 bits after the version count up from a random start
  // in their lower half, and a full counter moves on to the next
  // millisecond. So rows a thread makes sort by id in the order it made
  // them: the durable timers one transaction schedules for the same time
  // (a wait-before and a timeout of 1 s) fire in the order Mistral's
  // scheduler runs them, the order they were made (ORDER BY
  // execution_time, id). The 62 bits after stay random.
  thread_local uint64_t last_ms = 0, counter = 0;
  if (ms > last_ms) {
    last_ms = ms;
    counter = generator()() & 0x7ffULL;
  } else if (++counter > 0xfffULL) {
    ++last_ms;
    counter = generator()() & 0x7ffULL;
  }
  uint64_t hi = ((last_ms & 0xffffffffffffULL) << 16) | 0x7000ULL | counter;  // version 7
  return uuid_text(hi, generator()());
}

}  // namespace

// Through the thread's replay tape when one is bound (core/replay_tape.h).
std::string generate_uuid() {
  if (!ReplayTape::current()) return random_uuid();
  return ReplayTape::id(random_uuid());
}

std::string generate_row_id() {
  if (!ReplayTape::current()) return time_ordered_uuid();
  return ReplayTape::id(time_ordered_uuid());
}

bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}


// oslo_utils.uuidutils.is_uuid_like: uuid.UUID() takes the text without
// "urn:" and "uuid:", braces at its ends and dashes anywhere; it must then
// be 32 hex digits (and oslo compares it back, which refuses anything else).
bool is_uuid_like(std::string_view text) {
  std::string s(text);
  for (std::string_view drop : {"urn:", "uuid:"})
    for (size_t at; (at = s.find(drop)) != std::string::npos;) s.erase(at, drop.size());
  size_t b = s.find_first_not_of("{}");
  size_t e = s.find_last_not_of("{}");
  s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  s.erase(std::remove(s.begin(), s.end(), '-'), s.end());
  return s.size() == 32 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace bora
