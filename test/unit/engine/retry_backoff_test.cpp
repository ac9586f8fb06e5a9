// Retry backoff and jitter (docs/LANGUAGE.md): the delay of each retry and
// the jitter's bounds over many draws with a fixed seed.
#include <catch2/catch.hpp>

#include <algorithm>

#include "policies/retry_backoff.h"

using namespace bora;
using namespace bora::engine;

TEST_CASE("backoff grows the delay: exponential, linear, a multiplier, capped by max-delay", "[retry][backoff]") {
  Backoff exponential = backoff_of(Value("exponential")).value();
  Backoff linear = backoff_of(Value("linear")).value();
  Backoff times3 = backoff_of(Value(3)).value();
  Backoff fixed = backoff_of(Value()).value();
  for (int64_t n = 1; n <= 4; ++n) {
    CHECK(backoff_delay(1, exponential, n, std::nullopt) == double(1 << (n - 1)));
    CHECK(backoff_delay(2, linear, n, std::nullopt) == 2.0 * n);
    CHECK(backoff_delay(5, fixed, n, std::nullopt) == 5.0);  // Mistral's fixed delay
  }
  CHECK(backoff_delay(1, times3, 3, std::nullopt) == 9.0);
  CHECK(backoff_delay(1, times3, 4, 10.0) == 10.0);
  CHECK(backoff_delay(1, exponential, 5000, 60.0) == 60.0);  // overflows to inf, then capped
  CHECK(backoff_delay(1, backoff_of(Value(0.5)).value(), 2, std::nullopt) == 0.5);
  CHECK_FALSE(backoff_of(Value(0)).ok());
  CHECK_FALSE(backoff_of(Value("quadratic")).ok());
  CHECK_FALSE(jitter_of(Value("half")).ok());
  CHECK(jitter_of(Value()).value() == Jitter::None);
}

TEST_CASE("jitter stays within AWS's bounds over many draws with a fixed seed", "[retry][jitter]") {
  RandomSource random(20261202);
  const double d = 10;
  double full_min = d, full_max = 0, equal_min = d, equal_max = 0, full_sum = 0;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    double f = jittered(d, Jitter::Full, random);
    double e = jittered(d, Jitter::Equal, random);
    REQUIRE(f >= 0);
    REQUIRE(f <= d);
    REQUIRE(e >= d / 2);
    REQUIRE(e <= d);
    full_min = std::min(full_min, f);
    full_max = std::max(full_max, f);
    equal_min = std::min(equal_min, e);
    equal_max = std::max(equal_max, e);
    full_sum += f;
  }
  // The draws spread over the whole range, not a corner of it.
  CHECK(full_min < 0.1);
  CHECK(full_max > 9.9);
  CHECK(equal_min < 5.1);
  CHECK(equal_max > 9.9);
  CHECK(full_sum / draws == Approx(d / 2).epsilon(0.02));
  CHECK(jittered(d, Jitter::None, random) == d);
}

TEST_CASE("a fixed seed repeats the same draws", "[retry][jitter]") {
  RandomSource a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 10; ++i) {
    double x = a.uniform(0, 1), y = b.uniform(0, 1), z = c.uniform(0, 1);
    CHECK(x == y);
    differs = differs || x != z;
  }
  CHECK(differs);
}
