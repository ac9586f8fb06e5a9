// engine/spec_cache: a least-recently-used map of parsed specs (see the header).
#include "spec_cache.h"

namespace bora::engine {

SpecCache::Spec SpecCache::find(const std::string& execution_id) {
  auto it = index_.find(execution_id);
  if (it == index_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->second;
}

void SpecCache::put(const std::string& execution_id, Spec spec) {
  if (capacity_ == 0) return;
  if (auto it = index_.find(execution_id); it != index_.end()) {
    it->second->second = std::move(spec);
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  entries_.emplace_front(execution_id, std::move(spec));
  index_.emplace(execution_id, entries_.begin());
  while (index_.size() > capacity_) {
    index_.erase(entries_.back().first);
    entries_.pop_back();
  }
}

void SpecCache::erase(const std::string& execution_id) {
  auto it = index_.find(execution_id);
  if (it == index_.end()) return;
  entries_.erase(it->second);
  index_.erase(it);
}

std::optional<std::optional<int64_t>> SpecCache::latest_version(const std::string& key) const {
  auto it = latest_versions_.find(key);
  if (it == latest_versions_.end()) return std::nullopt;
  return it->second;
}

void SpecCache::put_latest_version(const std::string& key, std::optional<int64_t> version) {
  if (capacity_ == 0) return;
  // Old keys (definitions updated since) are never asked for again: when
  // full, all go and the live ones come back at their next start.
  if (latest_versions_.size() >= capacity_) latest_versions_.clear();
  latest_versions_[key] = version;
}

}  // namespace bora::engine
