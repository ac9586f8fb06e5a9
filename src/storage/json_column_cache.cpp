// storage/json_column_cache: see the header. One cache per process behind a
// mutex: the engine's loop and the API's readers share it (a workflow's spec
// is the same text in every execution of it).
#include "json_column_cache.h"

#include <functional>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/limits.h"

namespace bora::storage {

namespace {

// The payload a dict or list Value shares with its copies; nullptr for
// anything else (not cached).
const void* container_identity(const Value& v) {
  if (v.is_dict()) return &v.as_dict();
  if (v.is_list()) return &v.as_list();
  return nullptr;
}

class JsonColumnCache {
 public:
  // The cached Value for text, if any.
  bool find_value(const std::string& text, size_t hash, Value& out) {
    std::lock_guard lock(mutex_);
    auto [first, last] = by_hash_.equal_range(hash);
    for (auto it = first; it != last; ++it) {
      if (it->second->text == text) {
        entries_.splice(entries_.begin(), entries_, it->second);
        out = it->second->value;
        return true;
      }
    }
    return false;
  }

  bool find_text(const void* identity, std::string& out) {
    std::lock_guard lock(mutex_);
    auto it = by_identity_.find(identity);
    if (it == by_identity_.end()) return false;
    entries_.splice(entries_.begin(), entries_, it->second);
    out = it->second->text;
    return true;
  }

  void remember(const std::string& text, size_t hash, const Value& value) {
    const void* identity = container_identity(value);
    if (!identity || text.size() < kJsonColumnCacheMinBytes || text.size() > kJsonColumnCacheBytes / 4) return;
    std::lock_guard lock(mutex_);
    if (by_identity_.count(identity)) return;
    auto [first, last] = by_hash_.equal_range(hash);
    for (auto it = first; it != last; ++it)
      if (it->second->text == text) return;  // the same text, parsed twice at once
    entries_.push_front(Entry{text, value, hash, identity});
    by_hash_.emplace(hash, entries_.begin());
    by_identity_.emplace(identity, entries_.begin());
    bytes_ += text.size();
    while (bytes_ > kJsonColumnCacheBytes) evict_last();
  }

 private:
  struct Entry {
    std::string text;
    Value value;  // keeps the payload, hence the identity, alive
    size_t hash;
    const void* identity;
  };
  using Iter = std::list<Entry>::iterator;

  void evict_last() {
    Iter last = std::prev(entries_.end());
    auto [first, end] = by_hash_.equal_range(last->hash);
    for (auto it = first; it != end; ++it) {
      if (it->second == last) {
        by_hash_.erase(it);
        break;
      }
    }
    by_identity_.erase(last->identity);
    bytes_ -= last->text.size();
    entries_.erase(last);
  }

  std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_multimap<size_t, Iter> by_hash_;
  std::unordered_map<const void*, Iter> by_identity_;
  size_t bytes_ = 0;
};

JsonColumnCache& json_cache() {
  static JsonColumnCache instance;
  return instance;
}

size_t hash_of(const std::string& text) { return std::hash<std::string_view>{}(text); }

}  // namespace

Value decode_json_column(const std::string& text) {
  bool cacheable = text.size() >= kJsonColumnCacheMinBytes;
  size_t hash = cacheable ? hash_of(text) : 0;
  Value value;
  if (cacheable && json_cache().find_value(text, hash, value)) return value;
  // Records wrap user values in a few levels: read back whatever to_json
  // wrote (kMaxPrintDepth), not only what the API accepts (kJsonMaxDepth).
  auto parsed = parse_json(text, kMaxPrintDepth);
  if (!parsed) {
    throw BoraError(ErrorKind::Internal,
                    "a stored JSON field does not parse (" + parsed.error().message + "): the database was changed "
                    "outside Bora or is damaged");
  }
  if (cacheable) json_cache().remember(text, hash, *parsed);
  return std::move(parsed).value();
}

std::string encode_json_column(const Value& v) {
  const void* identity = container_identity(v);
  std::string text;
  if (identity && json_cache().find_text(identity, text)) return text;
  text = to_json(v);
  if (identity && text.size() >= kJsonColumnCacheMinBytes) json_cache().remember(text, hash_of(text), v);
  return text;
}

}  // namespace bora::storage
