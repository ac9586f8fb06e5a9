#include "bora/expr/template_scan.h"

#include "bora/core/python_unicode.h"

namespace bora::expr {

namespace {

// Mistral strips an expression as Python's str.strip() does: Unicode
// whitespace (a no-break space included), which its error texts show.
std::string_view trimmed(std::string_view s) { return python_strip(s, std::nullopt, true, true); }

}  // namespace

size_t delimited_end(std::string_view s, size_t at, Delimiters d, bool greedy) {
  if (s.substr(at, d.open.size()) != d.open) return std::string_view::npos;
  size_t inner = at + d.open.size();
  size_t line_end = s.find('\n', inner);
  if (line_end == std::string_view::npos) line_end = s.size();
  std::string_view line = s.substr(0, line_end);
  size_t close = greedy ? line.rfind(d.close) : line.find(d.close, inner);
  if (close == std::string_view::npos || close < inner) return std::string_view::npos;
  return close + d.close.size();
}

std::optional<Span> find_delimited(std::string_view s, Delimiters d, size_t from) {
  size_t open = s.find(d.open, from);
  while (open != std::string_view::npos) {
    if (size_t end = delimited_end(s, open, d); end != std::string_view::npos) return Span{open, end};
    // No close on this line: a later opening on the same line has none
    // either, so the search goes on from the next line.
    size_t newline = s.find('\n', open);
    if (newline == std::string_view::npos) return std::nullopt;
    open = s.find(d.open, newline + 1);
  }
  return std::nullopt;
}

TemplateScan scan_template(std::string_view s) {
  TemplateScan scan;
  for (auto part = find_delimited(s, kYaqlDelimiters); part; part = find_delimited(s, kYaqlDelimiters, part->end)) {
    std::string_view inner = s.substr(part->begin + 2, part->end - part->begin - 4);
    scan.yaql.push_back({*part, trimmed(inner)});
  }
  scan.jinja_expression = find_delimited(s, kJinjaExpressionDelimiters);
  if (scan.jinja_expression || find_delimited(s, kJinjaStatementDelimiters)) {
    scan.language = TemplateLanguage::Jinja;
    scan.lone = scan.jinja_expression && scan.jinja_expression->begin == 0 && scan.jinja_expression->end == s.size();
  } else if (!scan.yaql.empty()) {
    scan.language = TemplateLanguage::Yaql;
    scan.lone = scan.yaql.size() == 1 && scan.yaql[0].span.begin == 0 && scan.yaql[0].span.end == s.size();
  }
  return scan;
}

bool has_expression(std::string_view s) {
  return find_delimited(s, kJinjaExpressionDelimiters) || find_delimited(s, kJinjaStatementDelimiters) ||
         find_delimited(s, kYaqlDelimiters);
}

bool expression_shaped(std::string_view s) {
  size_t end = s.size();
  while (end > 0 && std::string_view(" \t\n\r\f\v").find(s[end - 1]) != std::string_view::npos) --end;
  s = s.substr(0, end);
  if (s.size() < 4 || s.find('\n') != std::string_view::npos) return false;
  for (Delimiters d : {kYaqlDelimiters, kJinjaExpressionDelimiters})
    if (s.starts_with(d.open) && s.ends_with(d.close)) return true;
  return false;
}

}  // namespace bora::expr
