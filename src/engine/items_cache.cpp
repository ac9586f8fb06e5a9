// engine/items_cache: a least-recently-used map of with-items lists, bounded
// by their items (see the header).
#include "items_cache.h"

namespace bora::engine {

ItemsCache::Entry ItemsCache::find(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->lists;
}

void ItemsCache::put(const std::string& key, Entry lists) {
  if (auto it = index_.find(key); it != index_.end()) drop(it->second);
  size_t n = 0;
  for (const auto& [var, items] : *lists) n += items.size();
  if (n > max_items_) return;
  entries_.push_front(Held{key, std::move(lists), n});
  index_.emplace(key, entries_.begin());
  items_ += n;
  while (items_ > max_items_) drop(std::prev(entries_.end()));
}

void ItemsCache::erase(const std::string& key) {
  if (auto it = index_.find(key); it != index_.end()) drop(it->second);
}

void ItemsCache::drop(Entries::iterator it) {
  items_ -= it->items;
  index_.erase(it->key);
  entries_.erase(it);
}

}  // namespace bora::engine
