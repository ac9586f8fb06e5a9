// engine/random_source: where the engine's random draws come from (retry
// jitter). Seeded once; a fixed seed makes the draws repeatable, which the
// tests and the workflow case runner use (`seed:`). Draws are made on the
// engine loop, in the order commands apply, so one seed gives one sequence.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>

namespace bora::engine {

class RandomSource {
 public:
  // No seed: one from the system's entropy source.
  explicit RandomSource(std::optional<uint64_t> seed = std::nullopt);
  // A uniform draw in [low, high] (low when high <= low).
  double uniform(double low, double high);

 private:
  std::mutex mutex_;
  std::mt19937_64 generator_;
};

}  // namespace bora::engine
