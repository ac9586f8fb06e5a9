// lang/command_line: a hand-written equivalent of Mistral's CMD_PTRN and
// PARAMS_PTRN regular expressions (no std::regex: its backtracking recurses
// and can overflow the stack on long hostile strings).
#include "command_line.h"

#include "bora/core/ascii.h"
#include "bora/core/json.h"
#include "bora/expr/template_scan.h"

namespace bora::lang::detail {

namespace {

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && is_ascii_space(s[i])) ++i;
  return i;
}

// One value alternative of PARAMS_PTRN at position i; returns its end.
size_t match_param_value(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  char c = s[i];
  if (c == '"' || c == '\'') {
    size_t close = s.find(c, i + 1);
    if (close != std::string_view::npos) return skip_spaces(s, close + 1);
  }
  if (size_t e = expr::delimited_end(s, i, expr::kJinjaExpressionDelimiters); e != std::string_view::npos) return e;
  if (size_t e = expr::delimited_end(s, i, expr::kYaqlDelimiters); e != std::string_view::npos) return e;
  if (size_t e = expr::delimited_end(s, i, {"[", "]"}, /*greedy=*/true); e != std::string_view::npos)
    return skip_spaces(s, e);
  for (std::string_view lit : {"true", "false", "null"})
    if (s.substr(i, lit.size()) == lit) return i + lit.size();
  if (std::isdigit(static_cast<unsigned char>(c))) {
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    return j;
  }
  return std::string_view::npos;
}

Value param_value(std::string_view raw) {
  size_t b = 0, e = raw.size();
  while (b < e && is_ascii_space(raw[b])) ++b;
  while (e > b && is_ascii_space(raw[e - 1])) --e;
  std::string_view v = raw.substr(b, e - b);
  if (!v.empty() && (v[0] == '"' || v[0] == '\'')) return Value(std::string(v.substr(1, v.size() >= 2 ? v.size() - 2 : 0)));
  auto parsed = parse_json(v);
  if (parsed.ok()) return *parsed;
  return Value(std::string(v));
}

Dict find_params(std::string_view s) {
  Dict params;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (!(is_word_byte(c) || c == '-')) {
      ++i;
      continue;
    }
    size_t k = i;
    while (k < s.size() && (is_word_byte(s[k]) || s[k] == '-')) ++k;
    if (k < s.size() && s[k] == '=') {
      size_t end = match_param_value(s, k + 1);
      if (end != std::string_view::npos) {
        params.set(std::string(s.substr(i, k - i)), param_value(s.substr(k + 1, end - k - 1)));
        i = end;
        continue;
      }
    }
    ++i;
  }
  return params;
}

}  // namespace

std::optional<CommandLine> parse_command_line(std::string_view text) {
  if (text.find(' ') == std::string_view::npos) return CommandLine{std::string(text), {}};
  size_t end = std::string_view::npos;
  if (!text.empty() && (is_word_byte(text[0]) || text[0] == '.')) {
    size_t j = 0;
    while (j < text.size() && (is_word_byte(text[j]) || text[j] == '.')) ++j;
    while (j < text.size() && text[j] != '=' && text[j] != '(' && text[j] != '"' && !is_ascii_space(text[j])) ++j;
    end = j;
  } else if (size_t e = expr::delimited_end(text, 0, expr::kYaqlDelimiters); e != std::string_view::npos) {
    end = e;
  } else if (size_t e2 = expr::delimited_end(text, 0, expr::kJinjaExpressionDelimiters, /*greedy=*/true);
             e2 != std::string_view::npos) {
    end = e2;
  } else if (size_t e3 = expr::delimited_end(text, 0, expr::kJinjaStatementDelimiters, /*greedy=*/true);
             e3 != std::string_view::npos) {
    end = e3;
  }
  if (end == std::string_view::npos) return std::nullopt;
  return CommandLine{std::string(text.substr(0, end)), find_params(text)};
}

std::optional<CommandLine> parse_transition_target(std::string_view text) {
  // `fail(msg="x")`: Mistral only splits it when a space occurs somewhere;
  // the call form is meant to work either way.
  size_t open = text.find('(');
  if (open != std::string_view::npos && open > 0 && !text.empty() && text.back() == ')') {
    bool word = true;
    for (size_t i = 0; i < open; ++i) word = word && is_word_byte(text[i]);
    if (word) return CommandLine{std::string(text.substr(0, open)), find_params(text.substr(open + 1))};
  }
  return parse_command_line(text);
}

}  // namespace bora::lang::detail
