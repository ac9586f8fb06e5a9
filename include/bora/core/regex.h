// core/regex: the one regular-expression engine of Bora, PCRE2 (8-bit, UTF
// mode) behind a small value type. std::regex is not used anywhere: its
// matcher recurses on the thread's stack (a long subject crashes the process)
// and has no budget (a catastrophic pattern freezes the thread). PCRE2
// backtracks on the heap and stops with an error at a match limit and a
// memory limit, so every match here is bounded in time and memory.
// Patterns are compiled once and shared (a Regex is cheap to copy and safe to
// use from several threads: each match has its own match data).
// The translation of Python's `re` syntax lives in expr/yaql (python_regex).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bora/core/config.h"
#include "bora/core/error.h"

namespace bora {

// What one regular-expression operation may spend. The defaults fit
// everyday patterns on texts of megabytes; a catastrophic pattern stops in
// about a tenth of a second (JIT) to half a second (interpreter).
struct RegexLimits {
  // PCRE2 match limit: backtracking steps of one match attempt (all start
  // positions of one search).
  uint32_t match_limit = 10'000'000;
  // Backtracking memory of one match, in KiB: the JIT's stack (heap memory
  // of its own, never the thread's stack) or, without the JIT, the
  // interpreter's frames (PCRE2 keeps them on the heap too). With the JIT a
  // group repeated once per character of a 1 MB text fits; the interpreter
  // needs about ten times more memory for the same match.
  uint32_t heap_limit_kb = 65'536;
  // Operations that match many times (search all, split, replace) stop
  // when they have run this long in total; each single match is bounded by
  // match_limit already.
  std::chrono::milliseconds time_limit{5'000};
  // Compiled patterns each thread keeps (expressions compile the same few
  // patterns again and again); when full, the thread's cache starts again
  // empty. 0: none kept.
  size_t cache_entries = 256;
};

// Reads [expressions] regex_match_limit, regex_heap_limit_kb,
// regex_time_limit_ms and regex_cache_entries (BadInput naming the option when one is not a
// positive integer).
Result<RegexLimits> regex_limits_from(const Config& config);

// The limits expressions use. A process-wide setting: `bora server` sets it
// once from its configuration at start-up, before any thread runs an
// expression, and nothing writes it afterwards; tests and commands that do
// not read a configuration get the defaults above.
const RegexLimits& process_regex_limits();
void set_process_regex_limits(const RegexLimits& limits);

struct RegexOptions {
  bool caseless = false;
  bool multiline = false;  // ^ and $ at every line
  bool dotall = false;     // . matches \n
  bool extended = false;   // whitespace and # comments ignored
};

// One match: byte offsets into the subject of the whole match (group 0) and
// of each capturing group; an unset group is nullopt.
struct RegexMatch {
  std::vector<std::optional<std::pair<size_t, size_t>>> groups;
  size_t begin() const { return groups[0]->first; }
  size_t end() const { return groups[0]->second; }
  bool empty() const { return begin() == end(); }
  std::string_view text(std::string_view subject, size_t group) const {
    if (group >= groups.size() || !groups[group]) return {};
    return subject.substr(groups[group]->first, groups[group]->second - groups[group]->first);
  }
};

class Regex {
 public:
  // Compiles pattern (UTF-8; \d \w \s and case folding are Unicode's). The
  // error says what PCRE2 found wrong and at which character of the pattern.
  static Result<Regex> compile(std::string_view pattern, RegexOptions options = {});

  const std::string& pattern() const;
  size_t group_count() const;  // capturing groups, not counting group 0
  // The number of a named group ((?P<name>...) or (?<name>...)), if any.
  std::optional<size_t> group_number(std::string_view name) const;

  // The first match starting at or after byte `start`. With not_empty_at_start,
  // an empty match exactly at `start` does not count (how Python moves on
  // after an empty match). nullopt: no match. Errors: a limit reached (the
  // message names the pattern, the limit and its option) or a subject that
  // is not valid UTF-8; check_utf may be false only for a subject already
  // checked by an earlier search of the same operation.
  Result<std::optional<RegexMatch>> search(std::string_view subject, size_t start, const RegexLimits& limits,
                                           bool not_empty_at_start = false, bool check_utf = true) const;

  // Every match from left to right, as Python's re.finditer finds them (an
  // empty match right after a non-empty one counts; two matches never start
  // at the same place). `each` returns false to stop early. The operation as
  // a whole is bounded by limits.time_limit.
  template <class Each>
  Result<void> for_each_match(std::string_view subject, const RegexLimits& limits, Each&& each) const;

 private:
  struct Compiled;
  std::shared_ptr<const Compiled> compiled_;
  Result<void> check_time(std::chrono::steady_clock::duration spent, const RegexLimits& limits) const;
};

// A lone surrogate (core/utf8.h) is a character to Python's re, but PCRE2's
// UTF mode refuses its bytes. Patterns and subjects are matched with each
// surrogate U+D800+n written as the private-use character U+F000+n, which
// has the same byte length (offsets stay those of the text given) and the
// same classes (not \w, \d or \s, no case). nullopt: no surrogate in s.
std::optional<std::string> surrogates_as_private_use(std::string_view s);

template <class Each>
Result<void> Regex::for_each_match(std::string_view given, const RegexLimits& limits, Each&& each) const {
  std::optional<std::string> mapped = surrogates_as_private_use(given);
  std::string_view subject = mapped ? std::string_view(*mapped) : given;
  // Only the searches count towards the time limit, not what `each` does.
  std::chrono::steady_clock::duration searching{};
  size_t pos = 0;
  bool after_empty = false;
  bool first = true;
  while (pos <= subject.size()) {
    auto started = std::chrono::steady_clock::now();
    auto m = search(subject, pos, limits, after_empty, first);
    searching += std::chrono::steady_clock::now() - started;
    first = false;
    if (!m) return m.error();
    if (!*m) break;
    if ((*m)->end() < pos) break;  // \K ending a match before its search began: no progress possible
    if (!each(**m)) break;
    if (auto t = check_time(searching, limits); !t) return t;
    after_empty = (*m)->empty();
    pos = (*m)->end();
  }
  return {};
}

}  // namespace bora
