// identity/token_cache: validated tokens (and refused ones), so that an
// authenticated request costs no round trip to Keystone. Keyed by the
// token's SHA-256 (the cache never holds a usable token), each entry kept
// until the token expires or token_cache_time passes, whichever is first:
// that is how long a revoked token may still work. Bounded (least recently
// used out); thread-safe.
#pragma once

#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "bora/core/error.h"
#include "bora/identity/keystone_identity.h"

namespace bora::identity {

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;
  TokenCache(std::chrono::seconds ttl, size_t max_entries);

  // The cached answer for token: an identity, or the Unauthorized error
  // Keystone gave; nullopt when not cached (or no longer).
  std::optional<Result<KeystoneIdentity>> find(const std::string& token, Clock::time_point now = Clock::now());
  // Unavailable answers are never stored: Keystone is asked again.
  void store(const std::string& token, const Result<KeystoneIdentity>& answer, Clock::time_point now = Clock::now());
  size_t size() const;

 private:
  struct Entry {
    std::string key;
    Result<KeystoneIdentity> answer;
    Clock::time_point until;
  };
  std::chrono::seconds ttl_;
  size_t max_entries_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace bora::identity
