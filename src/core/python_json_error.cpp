// core/python_json_error: Python's json decoder (json/decoder.py and its C
// scanner, _json.c) walked only to find where and why it stops: the same
// order of checks, so the same first error. Positions are Python's: code
// points, not bytes.
#include "bora/core/python_json_error.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace bora {

namespace {

struct Stop {
  std::string why;
  size_t at;  // byte offset
};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  // decoder.decode: a value after whitespace, then only whitespace.
  std::optional<Stop> decode() {
    size_t end = skip_ws(0);
    size_t after = 0;
    if (auto e = value(end, after)) return e;
    after = skip_ws(after);
    if (after != s_.size()) return Stop{"Extra data", after};
    return std::nullopt;
  }

 private:
  static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  size_t skip_ws(size_t i) const {
    while (i < s_.size() && is_ws(s_[i])) ++i;
    return i;
  }
  char at(size_t i) const { return i < s_.size() ? s_[i] : '\0'; }
  bool has(size_t i) const { return i < s_.size(); }
  bool starts(size_t i, std::string_view w) const { return s_.substr(std::min(i, s_.size()), w.size()) == w; }
  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // scan_once: a value at i (no whitespace skipped); "Expecting value" at
  // i when none starts there.
  std::optional<Stop> value(size_t i, size_t& end) {
    // Python stops deep nesting with a RecursionError, not a decode error:
    // no Python words then (the caller keeps its own, e.g. the nesting
    // limit's), and the walk stays far inside any thread's stack, also
    // under the sanitizers.
    if (++depth_ > kMaxDepth) return Stop{"", i};
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    if (!has(i)) return Stop{"Expecting value", i};
    char c = s_[i];
    if (c == '"') return string(i + 1, end);
    if (c == '{') return object(i + 1, end);
    if (c == '[') return array(i + 1, end);
    for (std::string_view w : {"null", "true", "false", "NaN", "Infinity", "-Infinity"}) {
      if (starts(i, w)) {
        end = i + w.size();
        return std::nullopt;
      }
    }
    // NUMBER_RE: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?
    size_t j = i;
    if (at(j) == '-') ++j;
    if (at(j) == '0') {
      ++j;
    } else if (digit(at(j))) {
      while (digit(at(j))) ++j;
    } else {
      return Stop{"Expecting value", i};
    }
    if (at(j) == '.' && digit(at(j + 1))) {
      j += 2;
      while (digit(at(j))) ++j;
    }
    if (at(j) == 'e' || at(j) == 'E') {
      size_t k = j + 1;
      if (at(k) == '+' || at(k) == '-') ++k;
      if (digit(at(k))) {
        while (digit(at(k))) ++k;
        j = k;
      }
    }
    end = j;
    return std::nullopt;
  }

  // scanstring: i just after the opening quote.
  std::optional<Stop> string(size_t i, size_t& end) {
    size_t begin = i - 1;
    while (true) {
      if (!has(i)) return Stop{"Unterminated string starting at", begin};
      unsigned char c = static_cast<unsigned char>(s_[i]);
      if (c == '"') {
        end = i + 1;
        return std::nullopt;
      }
      if (c < 0x20) return Stop{"Invalid control character at", i};
      if (c != '\\') {
        ++i;
        continue;
      }
      if (!has(i + 1)) return Stop{"Unterminated string starting at", begin};
      char esc = s_[i + 1];
      if (esc == 'u') {
        for (size_t k = i + 2; k < i + 6; ++k)
          if (!has(k) || !std::isxdigit(static_cast<unsigned char>(s_[k]))) return Stop{"Invalid \\uXXXX escape", i + 1};
        i += 6;
        continue;
      }
      if (std::string_view("\"\\/bfnrt").find(esc) == std::string_view::npos) return Stop{"Invalid \\escape", i};
      i += 2;
    }
  }

  // The decoder's whitespace after ':' or ',': one character, then a run.
  size_t skip_ws_after(size_t i) const {
    if (is_ws(at(i))) {
      ++i;
      if (is_ws(at(i))) i = skip_ws(i + 1);
    }
    return i;
  }

  // A value at i, then its container's `close` or a comma (the step
  // objects and arrays share); closed: the container ended there.
  std::optional<Stop> member_value(size_t& i, char close, bool& closed) {
    size_t after = 0;
    if (auto e = value(i, after)) return e;
    i = after;
    char next = at(i);
    if (is_ws(next)) {
      i = skip_ws(i + 1);
      next = at(i);
    }
    ++i;
    closed = next == close;
    if (!closed && next != ',') return Stop{"Expecting ',' delimiter", i - 1};
    return std::nullopt;
  }

  std::optional<Stop> object(size_t i, size_t& end) {
    if (at(i) != '"') {
      if (is_ws(at(i))) i = skip_ws(i);
      if (at(i) == '}') {
        end = i + 1;
        return std::nullopt;
      }
      if (at(i) != '"') return Stop{"Expecting property name enclosed in double quotes", i};
    }
    ++i;
    while (true) {
      size_t after = 0;
      if (auto e = string(i, after)) return e;
      i = after;
      if (at(i) != ':') {
        i = skip_ws(i);
        if (at(i) != ':') return Stop{"Expecting ':' delimiter", i};
      }
      i = skip_ws_after(i + 1);
      bool closed = false;
      if (auto e = member_value(i, '}', closed)) return e;
      if (closed) {
        end = i;
        return std::nullopt;
      }
      i = skip_ws(i);
      char next = at(i);
      ++i;
      if (next != '"') return Stop{"Expecting property name enclosed in double quotes", i - 1};
    }
  }

  std::optional<Stop> array(size_t i, size_t& end) {
    if (is_ws(at(i))) i = skip_ws(i + 1);
    if (at(i) == ']') {
      end = i + 1;
      return std::nullopt;
    }
    while (true) {
      bool closed = false;
      if (auto e = member_value(i, ']', closed)) return e;
      if (closed) {
        end = i;
        return std::nullopt;
      }
      i = skip_ws_after(i);
    }
  }

  static constexpr int kMaxDepth = 1000;  // Python's default recursion limit
  std::string_view s_;
  int depth_ = 0;
};

}  // namespace

std::optional<std::string> python_json_error(std::string_view text) {
  auto stop = Scanner(text).decode();
  if (!stop || stop->why.empty()) return std::nullopt;
  // JSONDecodeError: lineno, colno, pos, in characters.
  size_t pos = 0, line = 1, column = 1;
  for (size_t i = 0; i < stop->at && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte: the same character
    ++pos;
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("{}: line {} column {} (char {})", stop->why, line, column, pos);
}

}  // namespace bora
