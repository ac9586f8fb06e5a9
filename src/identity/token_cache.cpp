#include "bora/identity/token_cache.h"

#include <algorithm>

#include "bora/core/digest.h"

namespace bora::identity {

TokenCache::TokenCache(std::chrono::seconds ttl, size_t max_entries) : ttl_(ttl), max_entries_(max_entries) {}

std::optional<Result<KeystoneIdentity>> TokenCache::find(const std::string& token, Clock::time_point now) {
  std::string key = sha256_hex(token);
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  if (now >= it->second->until) {
    entries_.erase(it->second);
    index_.erase(it);
    return std::nullopt;
  }
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->answer;
}

void TokenCache::store(const std::string& token, const Result<KeystoneIdentity>& answer, Clock::time_point now) {
  if (max_entries_ == 0 || ttl_.count() <= 0) return;
  if (!answer && answer.error().kind == ErrorKind::Unavailable) return;
  auto until = now + ttl_;
  if (answer) {
    // Never past the token's own expiry.
    auto left = answer->expires - now_utc();
    if (left <= Timestamp::duration::zero()) return;
    until = std::min(until, now + std::chrono::duration_cast<Clock::duration>(left));
  }
  std::string key = sha256_hex(token);
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    entries_.erase(it->second);
    index_.erase(it);
  }
  entries_.push_front(Entry{key, answer, until});
  index_[key] = entries_.begin();
  while (entries_.size() > max_entries_) {
    index_.erase(entries_.back().key);
    entries_.pop_back();
  }
}

size_t TokenCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace bora::identity
