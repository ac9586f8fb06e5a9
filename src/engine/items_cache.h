// engine/items_cache: the evaluated items of running with-items tasks, kept
// from one transaction to the next. A task's items are a function of what
// it started with (its inbound context, the execution's env), so each
// transaction that starts more of them would evaluate the same list again:
// for a million items, a million values built and freed per batch. Keyed
// by task execution and rerun (a rerun may bring another env). Bounded by
// the items held in all: the least recently used task's go first, and a
// list larger than the bound is not kept. Used by the engine loop's thread
// only.
#pragma once

#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bora/core/value.h"

namespace bora::engine {

class ItemsCache {
 public:
  // Each with-items variable and its items, in the spec's order.
  using Lists = std::vector<std::pair<std::string, List>>;
  using Entry = std::shared_ptr<const Lists>;

  // max_items 0: nothing is kept.
  explicit ItemsCache(size_t max_items) : max_items_(max_items) {}

  // The lists, now the most recently used; null when not cached.
  Entry find(const std::string& key);
  void put(const std::string& key, Entry lists);
  // The task has ended: its items are not needed again.
  void erase(const std::string& key);

  size_t items() const { return items_; }

 private:
  struct Held {
    std::string key;
    Entry lists;
    size_t items;
  };
  using Entries = std::list<Held>;  // most recently used first
  void drop(Entries::iterator it);

  size_t max_items_;
  size_t items_ = 0;
  Entries entries_;
  std::unordered_map<std::string, Entries::iterator> index_;
};

}  // namespace bora::engine
