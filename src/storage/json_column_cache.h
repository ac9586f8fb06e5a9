// storage/json_column_cache: the JSON text of large structured columns and
// its parsed Value, remembered both ways. An execution's row is read and
// written back many times per transaction (each action result reads the
// workflow execution, whose `spec` holds every task of the workflow, and
// writes it back when it changes), so parsing and printing the same large
// JSON over and over was most of the engine's time for big workflows
// (docs/PERFORMANCE.md). Values are immutable and shared, so a cached Value
// is handed out as is; a dict or list is found again by the identity of its
// payload, which the cache keeps alive.
#pragma once

#include <cstddef>
#include <string>

#include "bora/core/value.h"

namespace bora::storage {

// Only texts of at least this many bytes are remembered (small ones parse
// faster than they hash), at most kJsonColumnCacheBytes of text in all
// (least recently used first out), none larger than a quarter of that.
inline constexpr size_t kJsonColumnCacheMinBytes = 1024;
inline constexpr size_t kJsonColumnCacheBytes = 32u << 20;

// The Value stored as `text` (written by encode_json_column); throws
// BoraError (Internal) when it does not parse.
Value decode_json_column(const std::string& text);

// The JSON text to store for a dict or list.
std::string encode_json_column(const Value& v);

}  // namespace bora::storage
