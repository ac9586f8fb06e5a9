// core/json: Value <-> JSON text. Parsing goes through RapidJSON's SAX reader
// (iterative, so hostile nesting cannot overflow the stack); writing is our
// own, so that numbers and spacing can match Python's json.dumps exactly,
// which is what Mistral stores and returns.
#pragma once

#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace bora {

struct JsonFormat {
  // ", " and ": " between items, as Python's json.dumps without indent.
  bool python_spacing = false;
  // \uXXXX for every non-ASCII character (json.dumps' ensure_ascii).
  bool ensure_ascii = false;
  // Pretty-print with this many spaces; negative: one line.
  int indent = -1;
  bool sort_keys = false;

  static JsonFormat compact() { return {}; }
  // json.dumps(x): what Mistral stores and returns as JSON strings.
  static JsonFormat python() { return {true, true, -1, false}; }
};

constexpr size_t kJsonMaxDepth = 1000;

// Parses one JSON document. Errors say what and at which offset.
Result<Value> parse_json(std::string_view text, size_t max_depth = kJsonMaxDepth);

std::string to_json(const Value& v, const JsonFormat& format = {});
void append_json(std::string& out, const Value& v, const JsonFormat& format = {});

// A JSON string literal, with quotes.
void append_json_string(std::string& out, std::string_view s, bool ensure_ascii = false);

}  // namespace bora
