#include "bora/core/limits.h"

#include <algorithm>
#include <atomic>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora {

namespace {
std::atomic<int> g_expression_max_depth{kDefaultExpressionMaxDepth};
}

int expression_max_depth() noexcept { return g_expression_max_depth.load(std::memory_order_relaxed); }

void set_expression_max_depth(int depth) noexcept {
  g_expression_max_depth.store(std::clamp(depth, 1, kMaxExpressionMaxDepth), std::memory_order_relaxed);
}

void require_printable(const Value& v, const char* printer) {
  if (v.depth() <= kMaxPrintDepth) return;
  throw BoraError(ErrorKind::BadInput, std::string("a value nested ") + std::to_string(v.depth()) +
                                           " levels deep cannot be written as " + printer + " (the limit is " +
                                           std::to_string(kMaxPrintDepth) +
                                           " levels); build flatter data");
}

}  // namespace bora
