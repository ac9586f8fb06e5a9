// How much slower this build runs than a plain optimized one: the
// sanitizer build (AddressSanitizer, Makefile's build-fuzz) runs 5-10 times
// slower, so tests that bound time scale their bounds by this.
#pragma once

namespace bora::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr int kSlowdown = 5;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr int kSlowdown = 5;
#else
inline constexpr int kSlowdown = 1;
#endif
#else
inline constexpr int kSlowdown = 1;
#endif

}  // namespace bora::test
