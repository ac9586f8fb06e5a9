// expr/budget: how much work one expression evaluation may do. A YAQL or
// Jinja expression runs on the engine's thread, so one that loops for ever
// or builds gigabytes would freeze every execution; each evaluation gets a
// budget of steps (nodes evaluated, loop iterations, items produced or
// walked), of bytes (strings and collections it builds, counted before they
// are built) and of time, and fails cleanly when one is spent.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/python_int.h"
#include "bora/core/value.h"

namespace bora::expr {

// The limits, from [expressions] in bora.conf. A limit <= 0 means none.
struct EvalLimits {
  // Far above what a workflow's expression needs (a select over 100 000
  // items with a small lambda is about a million), low enough that a
  // runaway expression stops within about a second.
  int64_t max_steps = 10'000'000;
  // Bytes of strings and collections one evaluation builds, in total
  // (memory it may hold at once cannot exceed it), and the size of any
  // value it writes out or returns. An execution's stored fields are
  // limited to 1 MiB by default, so 256 MiB is generous; it also stops
  // quadratic copying (`$1 + [$2]` over more than about 4 000 items).
  int64_t max_value_bytes = 256 << 20;
  // Wall-clock time of one evaluation, checked every few thousand steps: a
  // last resort against work the step count does not see.
  int64_t max_time_ms = 10'000;
};

// A spent budget: ErrorKind::Limit, with the option to raise in the text.
class BudgetExceeded : public BoraError {
 public:
  explicit BudgetExceeded(std::string message) : BoraError(ErrorKind::Limit, std::move(message)) {}
};

// An evaluation that ran past its yield point (EvalBudget's yield_at): it
// stopped, unfinished, for its caller to run it again elsewhere (the engine
// moves it off its loop: engine/compute.h). Not a BoraError nor a
// std::exception on purpose: nothing between the budget and the caller that
// asked for the yield may take it for an error of the expression.
struct EvaluationYielded {};

class EvalBudget {
 public:
  using Deadline = std::chrono::steady_clock::time_point;
  static constexpr Deadline kNoYield = Deadline::max();

  // yield_at: past it, the evaluation throws EvaluationYielded (checked with
  // the time, every few thousand steps).
  explicit EvalBudget(const EvalLimits& limits = {}, Deadline yield_at = kNoYield)
      : limits_(limits), start_(std::chrono::steady_clock::now()), yield_at_(yield_at) {}

  // n units of work: nodes evaluated, iterations, items produced or walked.
  void step(uint64_t n = 1) {
    uint64_t before = steps_;
    steps_ += std::min<uint64_t>(n, uint64_t{1} << 62);
    if (limits_.max_steps > 0 && steps_ > static_cast<uint64_t>(limits_.max_steps))
      throw BudgetExceeded("the expression used more than " + std::to_string(limits_.max_steps) +
                           " evaluation steps (option [expressions] max_steps); make it do less work, or raise "
                           "the option");
    if ((before >> 12) != (steps_ >> 12)) check_time();
  }

  // n bytes about to be built (a string, or a collection's items). Call it
  // before allocating, so that a refused value is never built.
  void bytes(uint64_t n) {
    built_ += std::min<uint64_t>(n, uint64_t{1} << 62);
    if (limits_.max_value_bytes > 0 && built_ > static_cast<uint64_t>(limits_.max_value_bytes)) too_large();
  }
  // A collection of n items about to be built (and the n steps to fill it).
  void items(uint64_t n) {
    bytes(times(n, sizeof(Value)));
    step(n);
  }

  // A value just built by an operation that cannot build more than it was
  // given (charged after the fact; the ones that can are charged before).
  void built(const Value& v) {
    if (v.is_string()) bytes(v.as_string().size());
    else if (v.is_list() || v.is_dict()) items(v.size());
  }

  // Python's ints have no size limit, so arithmetic on ints beyond int64 is
  // charged by their size before it runs: the bytes of the result, and one
  // step per 32 products of 64-bit limbs (schoolbook cost; a limb product
  // is about 1 ns, a step about 50). `2 ** 10**9` (a 125 MB result whose
  // squarings cost ~10**14 limb products) or a product of two
  // million-digit numbers fails at once instead of running for minutes.
  // op is the operator's Python spelling: + - * // % ** << >> & | ^.
  void integer_op(std::string_view op, const Value& a, const Value& b) {
    if (a.is_int() && b.is_int() && op != "**" && op != "<<") return;  // int64: constant work
    uint64_t x = python_int::bit_length(a), y = python_int::bit_length(b);
    uint64_t result_bits = std::max(x, y) + 1, work = (std::max(x, y) >> 6) + 1;
    if (op == "*") {
      result_bits = x + y;
      work = times((x >> 6) + 1, (y >> 6) + 1);
    } else if (op == "//" || op == "%") {
      result_bits = x;
      work = times((x >> 6) + 1, (y >> 6) + 1);
    } else if (op == "**") {
      result_bits = python_int::pow_result_bits(a, b);
      work = times((result_bits >> 6) + 1, (result_bits >> 6) + 1);  // the last squarings dominate
    } else if (op == "<<") {
      result_bits = python_int::sign(b) > 0 && b.is_int() ? x + static_cast<uint64_t>(b.as_int())
                                                           : (b.is_int() ? x : uint64_t{1} << 62);
      work = (result_bits >> 6) + 1;
    }
    if (result_bits > 64) bytes(result_bits / 8);
    step(work / 32 + 1);
  }

  // A sort of n items: n log2 n comparisons.
  void sort(uint64_t n) {
    uint64_t log = 1;
    while (log < 63 && (uint64_t{1} << log) < n) ++log;
    step(times(n, log));
  }

  // a * b, saturating far below overflow (sizes computed from hostile
  // counts: 'ab' * 10**18 must be refused, not wrap around to small).
  static uint64_t times(uint64_t a, uint64_t b) {
    constexpr uint64_t kHuge = uint64_t{1} << 62;
    if (a != 0 && b > kHuge / a) return kHuge;
    return a * b;
  }

  // Walks a value the evaluation is about to write out, compare deeply or
  // return, adding up its size as written (the same list held twice counts
  // twice, so a value that shares itself to a huge size is refused before
  // anything walks it whole). Every node counts at least kNodeBytes, so
  // the walk itself stops within max_value_bytes / kNodeBytes nodes; it is
  // not charged as steps (a value the evaluation could build, it may return).
  void check_value(const Value& v) {
    uint64_t size = 0, nodes = 0;
    measure(v, size, nodes, 0);
  }

  // A value fed back into itself (aggregate's accumulator) can nest one
  // level per iteration; past JSON's depth it could be neither stored nor
  // freed without exhausting the stack. One step per item walked; shared
  // parts are walked once.
  void check_nesting(const Value& v) {
    std::unordered_map<const void*, size_t> heights;
    height(v, heights, 0);
  }

  uint64_t steps() const { return steps_; }
  uint64_t bytes_built() const { return built_; }
  const EvalLimits& limits() const { return limits_; }

 private:
  static constexpr uint64_t kNodeBytes = 16;

  void measure(const Value& v, uint64_t& size, uint64_t& nodes, size_t depth) {
    if (depth > kJsonMaxDepth) too_deep();
    if ((++nodes & 4095) == 0) check_time();
    size += kNodeBytes;
    switch (v.type()) {
      case Value::Type::String: size += v.as_string().size(); break;
      case Value::Type::BigInt:
        // Python refuses to write an int of more than 4 300 digits as text
        // (and so does Mistral's json.dumps of a result holding one).
        if (auto e = python_int::str_digits_error(v)) throw BoraError(ErrorKind::BadInput, *e);
        size += python_int::bit_length(v) / 3;
        break;
      case Value::Type::List:
        for (const auto& x : v.as_list()) measure(x, size, nodes, depth + 1);
        break;
      case Value::Type::Dict:
        for (const auto& [k, x] : v.as_dict()) {
          size += k.size();
          measure(x, size, nodes, depth + 1);
        }
        break;
      default: break;
    }
    if (limits_.max_value_bytes > 0 && size > static_cast<uint64_t>(limits_.max_value_bytes)) too_large();
  }

  size_t height(const Value& v, std::unordered_map<const void*, size_t>& heights, size_t depth) {
    step();
    if (!v.is_list() && !v.is_dict()) return 0;
    if (depth > kJsonMaxDepth) too_deep();
    const void* id = v.is_list() ? static_cast<const void*>(&v.as_list()) : static_cast<const void*>(&v.as_dict());
    if (auto it = heights.find(id); it != heights.end()) {
      if (depth + it->second > kJsonMaxDepth) too_deep();
      return it->second;
    }
    size_t h = 0;
    if (v.is_list())
      for (const auto& x : v.as_list()) h = std::max(h, height(x, heights, depth + 1));
    else
      for (const auto& [k, x] : v.as_dict()) h = std::max(h, height(x, heights, depth + 1));
    heights.emplace(id, h + 1);
    return h + 1;
  }

  [[noreturn]] static void too_deep() {
    // The same words as the evaluators' own check (kMaxValueDepth, which
    // equals kJsonMaxDepth): whichever sees the value first says it.
    throw BudgetExceeded("the expression built a value nested deeper than " + std::to_string(kJsonMaxDepth) +
                         " levels; build flatter data");
  }

  [[noreturn]] void too_large() const {
    throw BudgetExceeded("the expression would build more than " + std::to_string(limits_.max_value_bytes) +
                         " bytes of values (option [expressions] max_value_bytes); make it build less, or raise "
                         "the option");
  }

  void check_time() const {
    if (limits_.max_time_ms <= 0 && yield_at_ == kNoYield) return;
    auto now = std::chrono::steady_clock::now();
    if (now > yield_at_) throw EvaluationYielded{};
    if (limits_.max_time_ms <= 0) return;
    auto spent = now - start_;
    if (spent > std::chrono::milliseconds(limits_.max_time_ms))
      throw BudgetExceeded("the expression ran for more than " + std::to_string(limits_.max_time_ms) +
                           " ms (option [expressions] max_time_ms); make it do less work, or raise the option");
  }

  EvalLimits limits_;
  std::chrono::steady_clock::time_point start_;
  Deadline yield_at_;
  uint64_t steps_ = 0;
  uint64_t built_ = 0;
};

}  // namespace bora::expr
