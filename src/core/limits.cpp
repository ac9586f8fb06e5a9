#include "bora/core/limits.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <string>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora {

namespace {
std::atomic<int> g_expression_max_depth{kDefaultExpressionMaxDepth};

// The lowest address of this thread's stack, found once per thread; 1 when
// it cannot be known (then the check never fires).
uintptr_t stack_low_end() noexcept {
  thread_local uintptr_t low = 0;
  if (low == 0) {
    low = 1;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0 && addr) low = reinterpret_cast<uintptr_t>(addr);
      pthread_attr_destroy(&attr);
    }
  }
  return low;
}

}  // namespace

bool stack_nearly_exhausted(size_t margin) noexcept {
  // The frame's address, not a local's: under AddressSanitizer's
  // detect_stack_use_after_return, locals live on a heap "fake stack" and
  // their addresses say nothing about the thread's stack.
  uintptr_t low = stack_low_end();
  auto at = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return low > 1 && at < low + margin;
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
