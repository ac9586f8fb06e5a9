// engine/items_cache: bounded by the items held, least recently used first.
#include <catch2/catch.hpp>

#include "items_cache.h"

namespace bora::engine::test {

namespace {

ItemsCache::Entry items(size_t n) {
  List l;
  for (size_t i = 0; i < n; ++i) l.emplace_back(static_cast<int64_t>(i));
  return std::make_shared<const ItemsCache::Lists>(ItemsCache::Lists{{"i", std::move(l)}});
}

}  // namespace

TEST_CASE("items cache: holds at most its items, dropping the least recently used task's") {
  ItemsCache cache(10);
  auto a = items(4), b = items(4);
  cache.put("a:0", a);
  cache.put("b:0", b);
  CHECK(cache.items() == 8);
  CHECK(cache.find("a:0") == a);  // a is now the most recently used
  cache.put("c:0", items(4));     // 12 > 10: b goes
  CHECK(cache.find("b:0") == nullptr);
  CHECK(cache.find("a:0") == a);
  CHECK(cache.items() == 8);
}

TEST_CASE("items cache: a list larger than the bound is not kept, a key put again is replaced") {
  ItemsCache cache(10);
  cache.put("big:0", items(11));
  CHECK(cache.find("big:0") == nullptr);
  CHECK(cache.items() == 0);
  cache.put("a:0", items(3));
  auto again = items(5);
  cache.put("a:0", again);
  CHECK(cache.find("a:0") == again);
  CHECK(cache.items() == 5);
  cache.erase("a:0");  // the task ended
  CHECK(cache.find("a:0") == nullptr);
  CHECK(cache.items() == 0);
  ItemsCache none(0);
  none.put("a:0", items(1));
  CHECK(none.find("a:0") == nullptr);
}

}  // namespace bora::engine::test
