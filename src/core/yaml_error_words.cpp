// core/yaml_error_words: the first line of PyYAML's error for a text that
// yaml-cpp refused. Mistral's "Definition could not be parsed: " is followed
// by PyYAML's MarkedYAMLError, whose first line is its context ("while
// parsing a flow sequence") or, without one, its problem ("mapping values
// are not allowed here"); clients match on it. yaml-cpp names the same
// failures in its own words, so the context is found again from yaml-cpp's
// message, where it stopped, and the text around that place: which flow
// bracket is open there, what came just before it, and which block
// collection (a mapping or a sequence) holds that column.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/yaml.h"

namespace bora {

// Named, not anonymous: a unity build compiles this file with others that
// have helpers of the same names (blank, starts_with).
namespace yaml_error_words {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

size_t offset_of(std::string_view text, int line, int column) {
  size_t at = 0;
  for (int l = 0; l < line && at < text.size(); ++l) {
    size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) return text.size();
    at = eol + 1;
  }
  return std::min(text.size(), at + static_cast<size_t>(std::max(column, 0)));
}

// A line without its comment (a '#' at its start or after a blank; quotes
// are not followed: a '#' in a quoted scalar after a blank is rare).
std::string_view without_comment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || blank(line[i - 1]))) return line.substr(0, i);
  return line;
}

// The last character before `at` that is not blank, a line break or in a
// comment; '\0' at the start of the text.
char previous_significant(std::string_view text, size_t at) {
  size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  if (at == 0) return '\0';
  std::string_view part = without_comment(text.substr(line_start, at - line_start));
  while (true) {
    for (size_t i = part.size(); i-- > 0;)
      if (!blank(part[i])) return part[i];
    if (line_start == 0) return '\0';
    size_t end = line_start - 1;  // the '\n' ending the line above
    size_t start = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    part = without_comment(text.substr(start, end - start));
    line_start = start;
  }
}

// Where a flow collection or a quoted scalar may start: after a blank, a
// flow indicator, a ':' or a '-', or at a line's start.
bool token_start(std::string_view text, size_t i) {
  // Back over the blanks: what is before them decides (a quote after a
  // word is inside a plain scalar: `a: b 'c` is the text "b 'c").
  while (i > 0 && blank(text[i - 1])) --i;
  if (i == 0) return true;
  char c = text[i - 1];
  return c == '\n' || c == '[' || c == '{' || c == ',' || c == ':' || c == '-' || c == '?';
}

// The closing quote of the quoted scalar that opens at `open` (a `'`, in
// which `''` is a quote, or a `"`, in which a backslash escapes the next
// character), or npos when the text ends first.
size_t quoted_end(std::string_view text, size_t open) {
  const char quote = text[open];
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') ++i;
      else return i;
    }
  }
  return std::string_view::npos;
}

// The indentation (column of its first character that is not blank) of
// the line holding `pos`.
size_t indent_of_line_at(std::string_view text, size_t pos) {
  size_t start = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  size_t i = start;
  while (i < text.size() && blank(text[i])) ++i;
  return i - start;
}

// Where a quoted scalar starts, at `limit` or before it, that has no
// closing quote before the end of the text (PyYAML's scanner fails there: "while
// scanning a quoted scalar"), or npos.
size_t unclosed_quote(std::string_view text, size_t limit) {
  for (size_t i = 0; i <= limit && i < text.size(); ++i) {
    char c = text[i];
    if (c == '#' && (i == 0 || blank(text[i - 1]) || text[i - 1] == '\n')) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if ((c == '\'' || c == '"') && token_start(text, i)) {
      size_t end = quoted_end(text, i);
      if (end == std::string_view::npos) return i;
      i = end;
      continue;
    }
    // The rest of a plain scalar, to the line's end or a comment (a quote
    // in it is text).
    if (!blank(c) && c != '\n' && c != '-' && c != '?' && c != ':' && c != '[' && c != '{' && c != ',' &&
        c != ']' && c != '}') {
      while (i + 1 < text.size() && text[i + 1] != '\n' &&
             !(text[i + 1] == '#' && blank(text[i])) &&
             !(text[i + 1] == ':' && (i + 2 >= text.size() || blank(text[i + 2]) || text[i + 2] == '\n')) &&
             text[i + 1] != ',' && text[i + 1] != ']' && text[i + 1] != '}')
        ++i;
    }
  }
  return std::string_view::npos;
}

// The flow bracket open at `at` ('[' or '{'), or '\0' in block context.
// Where each flow collection open at `at` starts, outermost first.
std::vector<size_t> open_flow_positions(std::string_view text, size_t at) {
  std::vector<size_t> open;
  for (size_t i = 0; i < at && i < text.size(); ++i) {
    char c = text[i];
    if (c == '#' && (i == 0 || blank(text[i - 1]) || text[i - 1] == '\n')) {
      while (i < at && text[i] != '\n') ++i;
      continue;
    }
    if ((c == '\'' || c == '"') && token_start(text, i)) {
      size_t end = quoted_end(text, i);
      if (end == std::string_view::npos || end >= at) break;  // `at` is inside it
      i = end;
      continue;
    }
    if ((c == '[' || c == '{') && (!open.empty() || token_start(text, i))) open.push_back(i);
    else if ((c == ']' || c == '}') && !open.empty()) open.pop_back();
  }
  return open;
}

// The flow bracket open at `at` ('[' or '{'), or '\0' in block context.
char open_flow_bracket(std::string_view text, size_t at) {
  std::vector<size_t> open = open_flow_positions(text, at);
  return open.empty() ? '\0' : text[open.back()];
}

// The block collections a line opens, by column: each `- ` entry a
// sequence, then a `key:` a mapping.
struct Opened {
  size_t column;
  bool sequence;
};
std::vector<Opened> opened_by(std::string_view line) {
  std::vector<Opened> out;
  line = without_comment(line);
  size_t i = 0;
  while (true) {
    while (i < line.size() && blank(line[i])) ++i;
    if (i >= line.size()) return out;
    if (line[i] == '-' && (i + 1 == line.size() || blank(line[i + 1]))) {
      out.push_back({i, true});
      ++i;
      continue;
    }
    break;
  }
  // A key: a ':' followed by a blank or the line's end, outside brackets
  // and quotes, or an explicit `? `.
  if (line[i] == '?' && (i + 1 == line.size() || blank(line[i + 1]))) {
    out.push_back({i, false});
    return out;
  }
  if (line[i] == '[' || line[i] == '{') return out;
  char quote = (line[i] == '\'' || line[i] == '"') ? line[i] : '\0';
  size_t j = i + (quote ? 1 : 0);
  if (quote) {
    while (j < line.size() && line[j] != quote) j += (quote == '"' && line[j] == '\\') ? 2 : 1;
    ++j;
  }
  for (; j < line.size(); ++j)
    if (line[j] == ':' && (j + 1 == line.size() || blank(line[j + 1]))) {
      out.push_back({i, false});
      break;
    }
  return out;
}

// The block collection that holds column `column` of line `line` (0-based):
// the innermost one opened at or left of it, on that line before it or on
// a line above. nullopt: none (the document is a flow collection or a
// scalar).
std::optional<bool> holding_block_is_sequence(std::string_view text, int line, int column) {
  std::vector<std::string_view> lines;
  size_t at = 0;
  while (at <= text.size()) {
    size_t eol = text.find('\n', at);
    lines.push_back(text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at));
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  size_t col = static_cast<size_t>(std::max(column, 0));
  for (int l = std::min<int>(line, static_cast<int>(lines.size()) - 1); l >= 0; --l) {
    std::vector<Opened> opened = opened_by(lines[l]);
    for (size_t k = opened.size(); k-- > 0;) {
      bool fits = l == line ? opened[k].column < col : opened[k].column <= col;
      if (fits) return opened[k].sequence;
    }
  }
  return std::nullopt;
}

std::string block_words(std::string_view text, int line, int column) {
  auto sequence = holding_block_is_sequence(text, line, column);
  return sequence && *sequence ? "while parsing a block collection" : "while parsing a block mapping";
}

std::string collection_key_words(std::string_view text, int line, int column) {
  const size_t at = offset_of(text, line, column);
  // An explicit `? ` key, or a flow collection closed on its line and
  // followed by ':': PyYAML builds the key, a list or a dict, which it
  // cannot hash.
  size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  line_start = line_start == std::string_view::npos || at == 0 ? 0 : line_start + 1;
  size_t first = line_start;
  while (first < text.size() && blank(text[first])) ++first;
  if (first < text.size() && text[first] == '?' && (first + 1 >= text.size() || blank(text[first + 1])))
    return "while constructing a mapping";
  if (at < text.size() && (text[at] == '[' || text[at] == '{')) {
    int depth = 0;
    for (size_t i = at; i < text.size() && text[i] != '\n'; ++i) {
      char c = text[i];
      if ((c == '\'' || c == '"') && token_start(text, i)) {
        size_t end = quoted_end(text, i);
        if (end == std::string_view::npos) break;
        i = end;
        continue;
      }
      if (c == '[' || c == '{') ++depth;
      if ((c == ']' || c == '}') && --depth == 0) {
        size_t j = i + 1;
        while (j < text.size() && blank(text[j])) ++j;
        if (j < text.size() && text[j] == ':') return "while constructing a mapping";
        break;
      }
    }
  }
  // Anything else is no key to PyYAML's parser: the block collection
  // holding that place wanted one.
  return block_words(text, line, column);
}

std::string token_name(std::string_view text, size_t at, bool simple_key_allowed) {
  while (at < text.size() && (blank(text[at]) || text[at] == '\n')) ++at;
  if (at >= text.size()) return "<stream end>";
  char c = text[at];
  auto followed_by_blank = [&] { return at + 1 >= text.size() || blank(text[at + 1]) || text[at + 1] == '\n'; };
  if (c == '-' && followed_by_blank()) return "<block sequence start>";
  if (c == '[') return "<flow sequence start>";
  if (c == '{') return "<flow mapping start>";
  if (c == '?' && followed_by_blank()) return "<block mapping start>";
  if (simple_key_allowed) {
    size_t eol = text.find('\n', at);
    std::string_view line = text.substr(0, eol == std::string_view::npos ? text.size() : eol);
    size_t start = line.rfind('\n', at == 0 ? 0 : at - 1);
    start = start == std::string_view::npos || at == 0 ? 0 : start + 1;
    for (const Opened& o : opened_by(line.substr(start)))
      if (!o.sequence) return "<block mapping start>";
  }
  return "<scalar>";
}

std::string error_words(std::string_view message, int line, int column, std::string_view text) {
  if (line < 0 || column < 0) return {};
  const size_t at = offset_of(text, line, column);
  // yaml-cpp read an unclosed quoted scalar on to the end and failed on
  // what followed; PyYAML fails on the scalar.
  if (unclosed_quote(text, at) != std::string_view::npos) return "while scanning a quoted scalar";
  // A flow collection still open here that starts a line where no value
  // is due (no `key:`, `- ` or `? ` before it, or one at its column or
  // deeper): it is no key either (it goes on past its line), so PyYAML's
  // block collection fails at its bracket; yaml-cpp read it as a key.
  if (std::vector<size_t> open = open_flow_positions(text, at); !open.empty()) {
    const size_t start = open.front();
    size_t line_start = text.rfind('\n', start == 0 ? 0 : start - 1);
    line_start = line_start == std::string_view::npos || start == 0 ? 0 : line_start + 1;
    bool first_token = true;
    for (size_t i = line_start; i < start; ++i)
      if (!blank(text[i])) first_token = false;
    if (first_token && line_start > 0) {
      const size_t column = start - line_start;
      char before = previous_significant(text, start);
      bool value_due = false;
      if (before == ':' || before == '-' || before == '?')
        value_due = column > indent_of_line_at(text, text.find_last_of(before, start - 1));
      int start_line = 0;
      for (size_t i = 0; i < line_start; ++i)
        if (text[i] == '\n') ++start_line;
      if (!value_due) return block_words(text, start_line, static_cast<int>(column));
    }
  }
  if (starts_with(message, "unknown escape character") || starts_with(message, "bad character found while scanning hex") ||
      starts_with(message, "invalid unicode"))
    return "while scanning a double-quoted scalar";
  if (starts_with(message, "unknown token")) return "while scanning for the next token";
  if (starts_with(message, "unexpected character in block scalar") ||
      starts_with(message, "cannot set zero indentation"))
    return "while scanning a block scalar";
  if (starts_with(message, "illegal EOF in scalar") || starts_with(message, "illegal document indicator in scalar"))
    return "while scanning a quoted scalar";
  if (starts_with(message, "illegal map value")) return "mapping values are not allowed here";
  if (starts_with(message, "illegal map key")) return "mapping keys are not allowed here";
  if (starts_with(message, "illegal block entry")) return "sequence entries are not allowed here";
  const bool seq_flow = starts_with(message, "end of sequence flow not found");
  if (seq_flow || starts_with(message, "end of map flow not found")) {
    // Where a node was due (after the bracket, a ',' or a ':'), PyYAML
    // stops parsing that node; else the collection, which wants its ','
    // or its closing bracket.
    char before = previous_significant(text, at);
    if (before == '[' || before == '{' || before == ',' || before == ':') return "while parsing a flow node";
    return seq_flow ? "while parsing a flow sequence" : "while parsing a flow mapping";
  }
  if (starts_with(message, "illegal flow end")) {
    char open = open_flow_bracket(text, at);
    if (open == '[') return "while parsing a flow sequence";
    if (open == '{') return "while parsing a flow mapping";
    // Where a value is due (after `key:`, `- ` or `? `, on that line or
    // on a deeper one), PyYAML stops parsing that node; on a line no deeper
    // than the key the value was empty, and the collection holding the
    // line fails.
    char before = previous_significant(text, at);
    if (before == '\0') return "while parsing a block node";
    if (before == ':' || before == '-' || before == '?') {
      size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
      line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
      size_t found = text.find_last_of(before, at == 0 ? 0 : at - 1);
      if (found == std::string_view::npos || found >= line_start) return "while parsing a block node";
      if (static_cast<size_t>(column) > indent_of_line_at(text, found)) return "while parsing a block node";
    }
    return block_words(text, line, column);
  }
  if (starts_with(message, "end of map not found") || starts_with(message, "end of sequence not found"))
    return block_words(text, line, column);
  if (starts_with(message, "this does not belong to the document above")) {
    auto sequence = holding_block_is_sequence(text, line, column);
    if (!sequence) return "expected '<document start>', but found '" + token_name(text, at, true) + "'";
    return *sequence ? "while parsing a block collection" : "while parsing a block mapping";
  }
  return {};
}

}  // namespace yaml_error_words

std::string pyyaml_error_words(std::string_view message, int line, int column, std::string_view text) {
  return yaml_error_words::error_words(message, line, column, text);
}

std::string pyyaml_token_name(std::string_view text, size_t at, bool simple_key_allowed) {
  return yaml_error_words::token_name(text, at, simple_key_allowed);
}

std::string pyyaml_collection_key_words(std::string_view text, int line, int column) {
  return yaml_error_words::collection_key_words(text, line, column);
}

size_t pyyaml_quoted_end(std::string_view text, size_t open) { return yaml_error_words::quoted_end(text, open); }

}  // namespace bora
