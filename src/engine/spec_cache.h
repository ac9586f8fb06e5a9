// engine/spec_cache: the parsed workflow specs of running executions, by
// execution id, so that a result does not parse its execution's spec again
// (a spec is fixed for an execution's life). Bounded: the least recently used
// spec goes when `[engine] spec_cache_size` are held, and an execution's spec
// goes when it completes; a spec not cached is parsed again from the stored
// execution. A definition's parsed spec is kept too, under
// "definition:<id>:<checksum>:<version>", so that its executions share one
// parse (Step::create_execution). Used by the engine loop's thread only.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "bora/lang/specs.h"

namespace bora::engine {

class SpecCache {
 public:
  using Spec = std::shared_ptr<const lang::WorkflowSpec>;

  // capacity 0: nothing is kept.
  explicit SpecCache(size_t capacity) : capacity_(capacity) {}

  // The spec, now the most recently used; null when not cached.
  Spec find(const std::string& execution_id);
  // Caches (or replaces) the spec, dropping the least recently used one
  // past the capacity.
  void put(const std::string& execution_id, Spec spec);
  void erase(const std::string& execution_id);

  // The latest version of a definition, kept under its id, checksum and
  // updated_at (a version is recorded only with an update of the
  // definition's row, which changes updated_at: a key that matches the row
  // just read is still right), so that starting an execution does not read
  // the versions again. Held for at most `capacity` definitions.
  std::optional<std::optional<int64_t>> latest_version(const std::string& key) const;
  void put_latest_version(const std::string& key, std::optional<int64_t> version);

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  using Entries = std::list<std::pair<std::string, Spec>>;  // most recently used first
  size_t capacity_;
  Entries entries_;
  std::unordered_map<std::string, Entries::iterator> index_;
  std::unordered_map<std::string, std::optional<int64_t>> latest_versions_;
};

}  // namespace bora::engine
