// engine/policies/retry_backoff: the delay of each retry when the retry
// policy has Bora's backoff, max-delay or jitter keys, and the engine's
// random source the jitter draws from.
#include "retry_backoff.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "bora/core/python_format.h"

namespace bora::engine {

RandomSource::RandomSource(std::optional<uint64_t> seed)
    : generator_(seed ? *seed : (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()) {}

double RandomSource::uniform(double low, double high) {
  if (!(high > low)) return low;
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(low, high)(generator_);
}

Result<Backoff> backoff_of(const Value& v) {
  if (v.is_null()) return Backoff{};
  if (v.is_string() && v.as_string() == "exponential") return Backoff{Backoff::Kind::Multiplier, 2};
  if (v.is_string() && v.as_string() == "linear") return Backoff{Backoff::Kind::Linear, 1};
  if (v.is_int() || v.is_double()) {
    double f = v.is_int() ? static_cast<double>(v.as_int()) : v.as_double();
    if (f > 0 && std::isfinite(f)) return Backoff{Backoff::Kind::Multiplier, f};
  }
  return bad_input("backoff must be a number > 0, 'exponential' or 'linear', got " + python_repr(v));
}

Result<Jitter> jitter_of(const Value& v) {
  if (v.is_null() || (v.is_string() && v.as_string() == "none")) return Jitter::None;
  if (v.is_string() && v.as_string() == "full") return Jitter::Full;
  if (v.is_string() && v.as_string() == "equal") return Jitter::Equal;
  return bad_input("jitter must be 'full', 'equal' or 'none', got " + python_repr(v));
}

double backoff_delay(double delay, const Backoff& backoff, int64_t retry_no, std::optional<double> max_delay) {
  double n = static_cast<double>(std::max<int64_t>(1, retry_no));
  double d = delay;
  switch (backoff.kind) {
    case Backoff::Kind::Fixed: break;
    case Backoff::Kind::Multiplier: d = delay * std::pow(backoff.factor, n - 1); break;
    case Backoff::Kind::Linear: d = delay * n; break;
  }
  // A long chain of retries overflows to inf; a timer a century away is as
  // good as never, and max-delay (when given) brings it back.
  if (!std::isfinite(d)) d = std::numeric_limits<double>::max();
  if (max_delay) d = std::min(d, *max_delay);
  return std::clamp(d, 0.0, 100.0 * 365 * 24 * 3600);
}

double jittered(double d, Jitter jitter, RandomSource& random) {
  switch (jitter) {
    case Jitter::None: return d;
    case Jitter::Full: return random.uniform(0, d);
    case Jitter::Equal: return d / 2 + random.uniform(0, d / 2);
  }
  return d;
}

}  // namespace bora::engine
