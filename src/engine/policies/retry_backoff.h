// engine/policies/retry_backoff (private): Bora's retry extensions, as pure
// functions of the evaluated values (docs/LANGUAGE.md "Retry backoff and
// jitter"): the delay before retry n grows with the backoff, is capped by
// max-delay, then spread by jitter (AWS's "Exponential Backoff And Jitter":
// full = random(0, d), equal = d/2 + random(0, d/2)). Without these keys the
// delay is Mistral's fixed one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"
#include "bora/engine/random_source.h"

namespace bora::engine {

// Fixed: Mistral's (factor 1). Multiplier: delay * factor^(n-1)
// ("exponential" is factor 2). Linear: delay * n.
struct Backoff {
  enum class Kind { Fixed, Multiplier, Linear } kind = Kind::Fixed;
  double factor = 1;
};

enum class Jitter { None, Full, Equal };

// From an evaluated `backoff` / `jitter` (null: not given); an error text
// that says what is allowed.
Result<Backoff> backoff_of(const Value& v);
Result<Jitter> jitter_of(const Value& v);

// The delay before retry number `retry_no` (1 for the first retry), in
// seconds: `delay` grown by the backoff, capped by `max_delay` when given.
double backoff_delay(double delay, const Backoff& backoff, int64_t retry_no, std::optional<double> max_delay);

// `d` spread by the jitter, drawn from `random`.
double jittered(double d, Jitter jitter, RandomSource& random);

}  // namespace bora::engine
