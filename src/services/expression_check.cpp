#include "bora/services/expression_check.h"

#include <fmt/format.h>

#include "bora/expr/jinja/jinja.h"
#include "bora/expr/yaql/yaql.h"

namespace bora::services {

namespace {

// `<% ... %>` on one line, as Mistral finds them.
std::vector<std::string> yaql_parts(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t open = s.find("<%", pos);
    if (open == std::string::npos) break;
    size_t close = s.find("%>", open + 2);
    size_t nl = s.find('\n', open);
    if (close == std::string::npos) break;
    if (nl != std::string::npos && nl < close) {
      pos = nl + 1;
      continue;
    }
    std::string inner = s.substr(open + 2, close - open - 2);
    size_t b = inner.find_first_not_of(" \t\r"), e = inner.find_last_not_of(" \t\r");
    out.push_back(b == std::string::npos ? "" : inner.substr(b, e - b + 1));
    pos = close + 2;
  }
  return out;
}

// The expression as quoted in a message: a hostile one can be megabytes long,
// and the path and line:column already say where it is.
std::string shown(const std::string& text) {
  constexpr size_t kShown = 80;
  if (text.size() <= kShown) return text;
  size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return text.substr(0, cut) + "... (" + std::to_string(text.size()) + " characters)";
}

bool on_one_line(const std::string& s, const char* open, const char* close) {
  size_t at = s.find(open);
  while (at != std::string::npos) {
    size_t end = s.find(close, at + 2);
    size_t nl = s.find('\n', at);
    if (end != std::string::npos && (nl == std::string::npos || nl > end)) return true;
    at = s.find(open, at + 2);
  }
  return false;
}

}  // namespace

lang::Problems check_expressions(const lang::LocatedDocument& doc) {
  lang::Problems problems;
  lang::for_each_string(doc, [&](const std::string& path, lang::SourcePos pos, const std::string& text) {
    bool jinja = on_one_line(text, "{{", "}}") || on_one_line(text, "{%", "%}");
    auto yaql = yaql_parts(text);
    if (jinja && !yaql.empty()) {
      problems.push_back({path, pos,
                          fmt::format("'{}' mixes Jinja2 and YAQL expressions; Mistral evaluates one language per "
                                      "string: write it with one of them",
                                      shown(text))});
      return;
    }
    for (const auto& e : yaql) {
      auto p = expr::yaql::compile(e);
      if (!p) problems.push_back({path, pos, fmt::format("YAQL syntax error in <% {} %>: {}", shown(e), p.error().message)});
    }
    if (jinja) {
      size_t open = text.find("{{");
      size_t close = open == std::string::npos ? std::string::npos : text.find("}}", open + 2);
      if (open == 0 && close != std::string::npos && close + 2 == text.size()) {
        auto c = expr::jinja::compile_expression(text.substr(2, close - 2));
        if (!c) problems.push_back({path, pos, fmt::format("Jinja2 syntax error in {}: {}", shown(text), c.error().message)});
      } else {
        auto c = expr::jinja::compile_template(text);
        if (!c) problems.push_back({path, pos, fmt::format("Jinja2 syntax error in {}: {}", shown(text), c.error().message)});
      }
    }
  });
  return problems;
}

}  // namespace bora::services
