// storage/shared_values: see the header.
#include "shared_values.h"

#include <atomic>
#include <list>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "bora/core/digest.h"
#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/limits.h"
#include "table.h"

namespace bora::storage {

namespace {

std::atomic<uint64_t> g_bytes_written{0};

// The payload a string, list or dict shares with its copies.
const void* payload_identity(const Value& v) {
  if (v.is_string()) return &v.as_string();
  if (v.is_list()) return &v.as_list();
  if (v.is_dict()) return &v.as_dict();
  return nullptr;
}

class SharedValueCache {
 public:
  bool digest_of(const void* identity, std::string& out) {
    std::lock_guard lock(mutex_);
    const Entry* e = touch(by_identity_, identity);
    if (e) out = e->digest;
    return e != nullptr;
  }

  bool value_of(const std::string& digest, Value& out) {
    std::lock_guard lock(mutex_);
    const Entry* e = touch(by_digest_, digest);
    if (e) out = e->value;
    return e != nullptr;
  }

  void remember(const Value& value, const std::string& digest, size_t bytes) {
    const void* identity = payload_identity(value);
    if (!identity) return;
    std::lock_guard lock(mutex_);
    if (by_identity_.count(identity)) return;
    entries_.push_front(Entry{value, digest, bytes, identity});
    by_identity_.emplace(identity, entries_.begin());
    by_digest_[digest] = entries_.begin();  // the newest payload of this content
    bytes_ += bytes;
    while (bytes_ > kSharedValueCacheBytes && entries_.size() > 1) evict_last();
  }

 private:
  struct Entry {
    Value value;  // keeps the payload, hence the identity, alive
    std::string digest;
    size_t bytes;
    const void* identity;
  };
  using Iter = std::list<Entry>::iterator;

  // The entry under key, made the most recently used; nullptr if none.
  template <class Map, class Key>
  const Entry* touch(Map& map, const Key& key) {
    auto it = map.find(key);
    if (it == map.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &*it->second;
  }

  void evict_last() {
    Iter last = std::prev(entries_.end());
    if (auto it = by_digest_.find(last->digest); it != by_digest_.end() && it->second == last) by_digest_.erase(it);
    by_identity_.erase(last->identity);
    bytes_ -= last->bytes;
    entries_.erase(last);
  }

  std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<const void*, Iter> by_identity_;
  std::unordered_map<std::string, Iter> by_digest_;
  size_t bytes_ = 0;
};

SharedValueCache& shared_cache() {
  static SharedValueCache instance;
  return instance;
}

bool row_exists(SqlSession& s, const std::string& execution_id, const std::string& digest) {
  bool found = false;
  s.query("SELECT 1 FROM " + s.quote("execution_values") + " WHERE " + s.quote("workflow_execution_id") +
              " = ? AND " + s.quote("digest") + " = ?",
          {SqlValue(execution_id), SqlValue(digest)}, [&](SqlRow&) { found = true; });
  return found;
}

// The digest of a large value, its row written under execution_id if it
// was not there yet.
std::string store(SqlSession& s, const std::string& execution_id, const Value& v) {
  std::string digest, text;
  if (!shared_cache().digest_of(payload_identity(v), digest)) {
    text = to_json(v);
    digest = sha256_hex(text);
    shared_cache().remember(v, digest, text.size());
  }
  if (row_exists(s, execution_id, digest)) return digest;
  if (text.empty()) text = to_json(v);
  g_bytes_written += text.size();
  // Built in place: an initializer list would copy the text.
  std::vector<SqlValue> params;
  params.reserve(3);
  params.emplace_back(execution_id);
  params.emplace_back(digest);
  params.emplace_back(std::move(text));
  s.execute("INSERT INTO " + s.quote("execution_values") + " (" + s.quote("workflow_execution_id") + ", " +
                s.quote("digest") + ", " + s.quote("value") + ") VALUES (?, ?, ?)",
            params);
  return digest;
}

Value load(SqlSession& s, const std::string& execution_id, const std::string& digest) {
  Value v;
  if (shared_cache().value_of(digest, v)) return v;
  std::string text;
  bool found = false;
  s.query("SELECT " + s.quote("value") + " FROM " + s.quote("execution_values") + " WHERE " +
              s.quote("workflow_execution_id") + " = ? AND " + s.quote("digest") + " = ?",
          {SqlValue(execution_id), SqlValue(digest)}, [&](SqlRow& row) {
            if (!row.empty())
              if (auto t = std::get_if<std::string>(&row[0])) text = std::move(*t);
            found = true;
          });
  if (!found) {
    throw BoraError(ErrorKind::Internal, "a stored value of execution " + execution_id + " (" + digest +
                                             ") is missing: the database was changed outside Bora or is damaged");
  }
  auto parsed = parse_json(text, kMaxPrintDepth);
  if (!parsed) {
    throw BoraError(ErrorKind::Internal, "a stored value of execution " + execution_id + " does not parse (" +
                                             parsed.error().message + "): the database is damaged");
  }
  shared_cache().remember(*parsed, digest, text.size());
  return std::move(parsed).value();
}

}  // namespace

bool is_large_value(const Value& v) {
  if (v.is_string()) return v.size() >= kSharedValueMinBytes;
  if (!v.is_list() && !v.is_dict()) return false;
  // An estimate of the JSON size (quotes, separators, 4 bytes a scalar),
  // walked with a worklist that stops at the threshold: cheap for any size.
  size_t total = 0;
  std::vector<const Value*> pending{&v};
  while (!pending.empty() && total < kSharedValueMinBytes) {
    const Value* x = pending.back();
    pending.pop_back();
    switch (x->type()) {
      case Value::Type::String: total += x->size() + 2; break;
      case Value::Type::List:
        total += 2 + x->size();
        if (total < kSharedValueMinBytes)
          for (const auto& item : x->as_list()) pending.push_back(&item);
        break;
      case Value::Type::Dict:
        total += 2;
        for (const auto& [key, item] : x->as_dict()) {
          total += key.size() + 4;
          if (total >= kSharedValueMinBytes) break;
          pending.push_back(&item);
        }
        break;
      default: total += 4; break;
    }
  }
  return total >= kSharedValueMinBytes;
}

SqlValue write_shared_column(SqlSession& s, const std::string& execution_id, const Value& v) {
  if (!v.is_dict()) return to_sql(v);
  const Dict& d = v.as_dict();
  std::vector<size_t> large;
  for (size_t i = 0; i < d.size(); ++i)
    if (is_large_value(d.at(i).second)) large.push_back(i);
  if (large.empty()) return to_sql(v);
  Dict refs, rest;
  rest.reserve(d.size());
  size_t next = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    const auto& [key, item] = d.at(i);
    if (next < large.size() && large[next] == i) {
      ++next;
      refs.set(key, Value(store(s, execution_id, item)));
      rest.set(key, Value());
    } else {
      rest.set(key, item);
    }
  }
  std::string text = "#";
  append_json(text, Value::dict({{"refs", Value(std::move(refs))}, {"value", Value(std::move(rest))}}));
  return SqlValue(std::move(text));
}

Value read_shared_column(SqlSession& s, const std::string& execution_id, const SqlValue& column) {
  const std::string* text = std::get_if<std::string>(&column);
  if (!text || text->empty() || (*text)[0] != '#') return value_from_sql(column);
  auto parsed = parse_json(std::string_view(*text).substr(1), kMaxPrintDepth);
  if (!parsed || !(*parsed)["refs"].is_dict() || !(*parsed)["value"].is_dict()) {
    throw BoraError(ErrorKind::Internal,
                    "a stored field with shared values does not parse: the database was changed outside Bora or "
                    "is damaged");
  }
  Dict out = (*parsed)["value"].as_dict();
  for (const auto& [key, digest] : (*parsed)["refs"].as_dict()) {
    if (!digest.is_string()) throw BoraError(ErrorKind::Internal, "a stored shared value reference is damaged");
    out.set(key, load(s, execution_id, digest.as_string()));
  }
  return Value(std::move(out));
}

uint64_t shared_value_bytes_written() { return g_bytes_written.load(); }

}  // namespace bora::storage
