// Where PyYAML's scanner and parser refuse a text's structure that
// yaml-cpp reads: a key without its ':' and a second document without
// `---` (include/bora/core/yaml.h says what each function does).
#include "bora/core/yaml.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace bora {

// A block mapping's key written without its ':' (a line holding only
// `publish` or `extra` under a mapping): yaml-cpp makes it a key with a
// null value; PyYAML's scanner requires the ':' of a simple key that
// starts at the mapping's indentation ("while scanning a simple key ...
// could not find expected ':'"). `at`: where the key's node starts in the
// text yaml-cpp read.
bool pyyaml_key_lacks_colon(std::string_view text, size_t at) {
  if (at >= text.size()) return false;
  size_t i = at;
  char c = text[i];
  if (c == '?') return false;  // an explicit key: no ':' needed
  if (c == '\'' || c == '"') {
    for (++i; i < text.size(); ++i) {
      if (text[i] == '\n') return false;  // spans lines: another rule, left to yaml-cpp
      if (c == '"' && text[i] == '\\') {
        ++i;
        continue;
      }
      if (text[i] == c) {
        if (c == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
          continue;
        }
        ++i;
        break;
      }
    }
    while (i < text.size() && text[i] == ' ') ++i;
    return i >= text.size() || text[i] != ':';
  }
  // A plain key ends at ': ', a ':' ending the line, or ' #'.
  for (; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\n' || ch == '\r') return true;
    if (ch == ':' && (i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n' || text[i + 1] == '\r'))
      return false;
    if (ch == '#' && i > at && text[i - 1] == ' ') return true;
  }
  return true;
}

// The line (and column) of a key written alone without its ':' at the
// line yaml-cpp failed on or the one before it: a line holding a single
// plain or quoted scalar (no ': ', no ':' at its end, no `- `, no flow or
// block indicator) indented as the nearest line above it that is a
// `key:` line, i.e. where a sibling key goes.
std::optional<std::pair<int, int>> pyyaml_lone_key_line(std::string_view text, int failed_line) {
  std::vector<std::string_view> lines;
  for (size_t at = 0; at <= text.size();) {
    size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(at, eol - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    at = eol + 1;
  }
  auto indent_of = [](std::string_view l) { return l.find_first_not_of(' '); };
  auto is_key_line = [&](std::string_view l) {
    size_t i = indent_of(l);
    if (i == std::string_view::npos || l[i] == '#' || l[i] == '-' || l[i] == '?') return false;
    for (size_t j = i; j < l.size(); ++j) {
      if (l[j] == ':' && (j + 1 == l.size() || l[j + 1] == ' ')) return true;
      if (l[j] == '#' && j > i && l[j - 1] == ' ') return false;
    }
    return false;
  };
  auto is_lone_scalar = [&](std::string_view l) {
    size_t i = indent_of(l);
    if (i == std::string_view::npos) return false;
    if (std::string_view("#-?:|>[]{}!&*%@`,").find(l[i]) != std::string_view::npos) return false;
    return !is_key_line(l);
  };
  // From the line that failed up through the lines of a plain scalar that
  // goes on over several lines (PyYAML stops where its first line ends, as
  // a key must be on one line; yaml-cpp where the scalar ends).
  // The lines between it and the failed one are the scalar's next lines,
  // deeper than it (`- x` there is text too).
  size_t shallowest_after = std::string_view::npos;
  for (int n = std::min(failed_line, static_cast<int>(lines.size())); n >= 1; --n) {
    std::string_view l = lines[n - 1];
    size_t li = indent_of(l);
    if (li == std::string_view::npos || l[li] == '#') continue;  // blank or comment
    if (n < failed_line && is_key_line(l)) break;
    const size_t after = shallowest_after;
    if (n < failed_line) shallowest_after = std::min(shallowest_after, li);
    if (!is_lone_scalar(l) || (after != std::string_view::npos && after <= li)) continue;
    size_t col = li;
    for (int up = n - 1; up >= 1; --up) {
      std::string_view above = lines[up - 1];
      size_t ai = indent_of(above);
      if (ai == std::string_view::npos || above[ai] == '#') continue;  // blank or comment
      if (ai == col && is_key_line(above)) return std::make_pair(n, static_cast<int>(col) + 1);
      if (ai <= col) break;  // a line at its indentation or less that is no sibling key
    }
  }
  return std::nullopt;
}

namespace {

// The events of a document, kept only as where its first node starts
// (and whether it had any other than an empty document's null).
struct FirstNode : YAML::EventHandler {
  std::optional<YAML::Mark> at;
  bool value = false;
  void seen(const YAML::Mark& m, bool is_value = true) {
    if (!at) at = m;
    value = value || is_value;
  }
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { seen(m, false); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { seen(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { seen(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    seen(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    seen(m);
  }
  void OnMapEnd() override {}
};

}  // namespace

YAML::Node load_pyyaml_document(const std::string& text) {
  YAML::Node root = YAML::Load(text);
  // Is there a second document? Not YAML::LoadAll: on some malformed text
  // it loops for ever (found by fuzz_jinja). Two documents' events at most.
  std::istringstream in(text);
  YAML::Parser parser(in);
  FirstNode first, second;
  if (parser.HandleNextDocument(first) && parser.HandleNextDocument(second) && second.at) {
    // yaml-cpp began a document where the one above ended (a `---` would
    // have been refused before): PyYAML's parser wants the stream's end.
    if (!first.value)
      throw YAML::ParserException(*second.at, "no YAML value starts with what is here; quote the text, or remove "
                                              "what comes before it");
    throw YAML::ParserException(*second.at, "this does not belong to the document above, which ended before it "
                                            "(a top-level list or value cannot be followed by more); indent it "
                                            "into the list or mapping above, or remove it");
  }
  return root;
}

namespace {

void find_problem(const YAML::Node& n, std::string_view text, int depth, std::optional<YamlStreamProblem>& found) {
  if (found || depth > 10000) return;
  if (n.IsMap()) {
    for (const auto& kv : n) {
      // `: value` with no key before it: yaml-cpp makes the key null,
      // PyYAML's parser expects a key (an explicit `? ` may be empty).
      if (kv.first.IsNull() && kv.first.Mark().pos >= 0 &&
          static_cast<size_t>(kv.first.Mark().pos) < text.size() && text[kv.first.Mark().pos] == ':') {
        const bool block = n.Style() == YAML::EmitterStyle::Block;
        found = YamlStreamProblem{kv.first.Mark().line + 1, kv.first.Mark().column + 1,
                                  "a mapping entry without a key (`: value`); write its key before the ':', or "
                                  "quote the text",
                                  block ? "while parsing a block mapping" : "while parsing a flow node"};
        return;
      }
      if (n.Style() == YAML::EmitterStyle::Block && (found = pyyaml_block_entry_problem(kv.first, kv.second, text)))
        return;
      find_problem(kv.first, text, depth + 1, found);
      find_problem(kv.second, text, depth + 1, found);
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) find_problem(item, text, depth + 1, found);
  }
}

}  // namespace

bool pyyaml_value_not_indented(const YAML::Node& key, const YAML::Node& value, std::string_view text) {
  if (value.IsNull() || (value.IsSequence() && value.Style() == YAML::EmitterStyle::Block)) return false;
  // A block mapping there is the parent's next key (yaml-cpp reads it so).
  if (value.IsMap() && value.Style() == YAML::EmitterStyle::Block) return false;
  const YAML::Mark k = key.Mark(), v = value.Mark();
  if (k.line < 0 || v.line <= k.line || v.column > k.column || v.pos < 0) return false;
  const auto at = static_cast<size_t>(v.pos);
  // A block scalar's `|` or `>` may start there (PyYAML scans no key in
  // it), and an explicit key's value follows its own `:` on that line.
  if (at < text.size() && (text[at] == '|' || text[at] == '>')) return false;
  auto line_before = [&](size_t pos) {
    const size_t nl = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
    const size_t from = nl == std::string_view::npos ? 0 : nl + 1;
    return text.substr(from, pos - from);
  };
  if (line_before(at).find(':') != std::string_view::npos) return false;
  return k.pos < 0 || line_before(static_cast<size_t>(k.pos)).find('?') == std::string_view::npos;
}

bool pyyaml_explicit_key_not_indented(const YAML::Node& key, std::string_view text) {
  const YAML::Mark k = key.Mark();
  if (k.pos < 0 || static_cast<size_t>(k.pos) >= text.size()) return false;
  const auto at = static_cast<size_t>(k.pos);
  // Only spaces before the key on its line, and the nearest line above
  // that is not blank a lone `?` at the key's column or deeper.
  size_t from = at;
  while (from > 0 && text[from - 1] == ' ') --from;
  if (from == 0 || text[from - 1] != '\n') return false;
  size_t end = from - 1;  // the previous line's break
  while (true) {
    size_t start = end == 0 ? 0 : text.rfind('\n', end - 1);
    start = start == std::string_view::npos ? 0 : (end == 0 ? 0 : start + 1);
    std::string_view line = text.substr(start, end - start);
    const size_t first = line.find_first_not_of(" \r");
    if (first != std::string_view::npos) {
      const size_t last = line.find_last_not_of(" \r");
      return first == last && line[first] == '?' && first >= static_cast<size_t>(k.column);
    }
    if (start == 0) return false;
    end = start - 1;
  }
}

std::optional<YamlStreamProblem> pyyaml_block_entry_problem(const YAML::Node& key, const YAML::Node& value,
                                                           std::string_view text) {
  if (!key.IsScalar()) return std::nullopt;
  const YAML::Mark k = key.Mark();
  if (value.IsNull() && k.pos >= 0 && pyyaml_key_lacks_colon(text, static_cast<size_t>(k.pos)))
    return YamlStreamProblem{k.line + 1, k.column + 1,
                             "'" + key.Scalar() + "' stands alone on its line where a key goes, without ':'; write `" +
                                 key.Scalar() + ": <value>`, or remove the line",
                             "while scanning a simple key"};
  if (pyyaml_explicit_key_not_indented(key, text))
    return YamlStreamProblem{k.line + 1, k.column + 1,
                             "the key after '?' starts on a line of its own no deeper than the '?'; indent it more, "
                             "or write it on the '?' line",
                             "while scanning a simple key"};
  if (pyyaml_value_not_indented(key, value, text))
    return YamlStreamProblem{value.Mark().line + 1, value.Mark().column + 1,
                             "the value of '" + key.Scalar() +
                                 "' starts on a line of its own no deeper than its key; indent it more than the key",
                             "while scanning a simple key"};
  return std::nullopt;
}

std::optional<YamlStreamProblem> pyyaml_block_mapping_problem(const YAML::Node& root, std::string_view text) {
  std::optional<YamlStreamProblem> found;
  find_problem(root, text, 0, found);
  return found;
}

}  // namespace bora
