// storage/shared_values: the large values of an execution stored once.
//
// Mistral's schema keeps a task's inbound context in every task row
// (`in_context`), and a workflow's input and context in its execution row,
// which is written back at every change. A 10 MB variable passed through 100
// tasks was thus about 2 GB of JSON printed, written, read and parsed again
// (docs/PERFORMANCE.md, context10mb). In memory the value is already one
// shared, immutable payload (core/value); this keeps storage from undoing
// that.
//
// Columns declared shared (tables.cpp, col_shared) store each large
// top-level entry of a dict (at least kSharedValueMinBytes, estimated without
// printing it) in the table `execution_values`, once per (workflow
// execution, SHA-256 of its JSON text), and the row keeps a reference. The
// column's text is then '#' followed by
//   {"refs":{"<key>":"<sha256>",...},"value":{<the dict, null at those keys>}}
// and otherwise the ordinary JSON, byte for byte as any other JSON column:
// JSON text never starts with '#', so the two forms cannot be confused, and
// rows written before this (or small ones) read as before. The key order of
// the dict is kept (the placeholders hold the positions).
//
// A process-wide cache remembers, for a large value's payload, its digest
// (so writing a value already written costs a primary-key lookup, no
// printing and no hashing) and, for a digest, the parsed Value (so reading a
// reference already read costs no parsing and returns the same shared
// payload). The rows themselves are always checked: a rolled-back
// transaction cannot leave a reference to a value that is not there.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "bora/core/value.h"
#include "sql_session.h"

namespace bora::storage {

// An entry of a shared column's dict is stored by reference from this size.
inline constexpr size_t kSharedValueMinBytes = 64u << 10;
// The cache keeps payloads alive up to this many bytes of JSON in all (least
// recently used out, the newest always kept).
inline constexpr size_t kSharedValueCacheBytes = 64u << 20;

// The column text (or NULL) for `v`, storing its large entries in
// execution_values under `execution_id` first.
SqlValue write_shared_column(SqlSession& s, const std::string& execution_id, const Value& v);

// The Value of a shared column as written by write_shared_column (or any
// JSON column text); throws BoraError (Internal) when it does not parse or a
// reference has no row.
Value read_shared_column(SqlSession& s, const std::string& execution_id, const SqlValue& text);

// Whether `v` counts as large (see above): strings by their size, lists and
// dicts by an estimate of their JSON size that stops at the threshold.
bool is_large_value(const Value& v);

// Bytes of JSON written to execution_values by this process (tests and
// benchmarks prove with it that a value is stored once).
uint64_t shared_value_bytes_written();

}  // namespace bora::storage
