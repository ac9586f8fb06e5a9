// Runs a piece of a test on a thread with a small stack (256 KiB unless
// told), so that a recursion without a bound crashes the test instead of
// passing on the main thread's 8 MiB. Assertions stay on the calling thread:
// the function computes, the test checks what it returned.
#pragma once

#include <pthread.h>

#include <exception>
#include <functional>
#include <stdexcept>

namespace bora::test {

constexpr size_t kSmallStack = 256 * 1024;

// AddressSanitizer's frames (redzones, fake stacks) are several times a
// release build's: a test's stack budget, measured on release frames, is
// scaled so that a sanitized run checks the same bounds, not its frames.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kStackScale = 4;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr size_t kStackScale = 4;
#else
constexpr size_t kStackScale = 1;
#endif
#else
constexpr size_t kStackScale = 1;
#endif

inline void run_on_small_stack(const std::function<void()>& fn, size_t stack_bytes = kSmallStack) {
  struct Job {
    const std::function<void()>* fn;
    std::exception_ptr error;
  } job{&fn, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes * kStackScale);
  pthread_t thread;
  int rc = pthread_create(
      &thread, &attr,
      [](void* p) -> void* {
        auto* j = static_cast<Job*>(p);
        try {
          (*j->fn)();
        } catch (...) {
          j->error = std::current_exception();
        }
        return nullptr;
      },
      &job);
  pthread_attr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("pthread_create failed");
  pthread_join(thread, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace bora::test
