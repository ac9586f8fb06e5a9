// lang/checker: type checks mirroring mistral/lang/types.py.
#include "checker.h"

#include <algorithm>
#include <set>

#include "bora/core/python_codecs.h"
#include "bora/core/python_format.h"
#include "bora/expr/template_scan.h"

namespace bora::lang::detail {

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (word.size() > 64) return "";
  std::string best;
  size_t best_d = 3;
  for (auto c : candidates) {
    if (c.size() < 3) continue;  // one edit turns any short name into another
    size_t d = edit_distance(word, c);
    size_t limit = std::max<size_t>(1, std::min<size_t>(2, c.size() / 3));
    if (d <= limit && d < best_d) {
      best_d = d;
      best = std::string(c);
    }
  }
  return best;
}

std::string quoted_list(const std::vector<std::string_view>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += "'" + std::string(items[i]) + "'";
  }
  return out;
}

std::string show(const Value& v) {
  std::string s = python_repr(v);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

bool is_expression(std::string_view s) { return expr::expression_shaped(s); }

bool is_expression(const Value& v) { return v.is_string() && is_expression(std::string_view(v.as_string())); }

void Checker::allowed_keys(const Value& dict, const std::string& path, std::initializer_list<std::string_view> allowed,
                           std::string_view what, Severity severity) {
  allowed_keys(dict, path, std::vector<std::string_view>(allowed), what, severity);
}

void Checker::allowed_keys(const Value& dict, const std::string& path, const std::vector<std::string_view>& allowed,
                           std::string_view what, Severity severity) {
  if (!dict.is_dict()) return;
  for (const auto& [k, v] : dict.as_dict()) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string msg = "unknown attribute '" + k + "' in " + std::string(what);
    std::string near = closest(k, allowed);
    if (!near.empty())
      msg += "; did you mean '" + near + "'?";
    else
      msg += "; allowed attributes: " + quoted_list(allowed);
    if (severity == Severity::warning) {
      key_warning(child_path(path, k), msg + " (accepted and ignored, as Mistral does)");
    } else {
      key_error(child_path(path, k), msg);
    }
  }
}

void check_definition_name(Checker& c, const std::string& name, const std::string& path) {
  if (auto refused = python_utf8_encode_error(name)) {
    // A "\ud800" escape in a quoted key (core/utf8.h): a name is a column
    // of its own, which no database takes it in (Mistral's create fails
    // with a 500, "Encoding directive wasn't provided").
    c.key_error(path, "the name " + python_repr(Value(name)) + " holds half a surrogate pair, which a stored name "
                          "cannot hold (" + *refused + "); remove the \\u escape");
    c.problems().back().on_store = true;
    return;
  }
  if (name.find(' ') == std::string::npos) return;
  // Mistral's words: its models' validate_name_has_no_spaces.
  c.key_error(path, "Name '" + name + "' must not contain spaces; use '_' or '-' instead",
              "Name '" + name + "' must not contain spaces");
  c.problems().back().on_store = true;
}

bool Checker::nonempty_string(const Value& v, const std::string& path, std::string_view attr) {
  if (v.is_string() && !v.as_string().empty()) return true;
  error(path, "'" + std::string(attr) + "' must be a non-empty string, got " + (v.is_string() ? "an empty string" : show(v)));
  return false;
}

bool Checker::nonempty_dict(const Value& v, const std::string& path, std::string_view attr) {
  if (v.is_dict() && !v.as_dict().empty()) return true;
  if (v.is_dict())
    error(path, "'" + std::string(attr) + "' must not be empty; remove it or add at least one entry");
  else
    error(path, "'" + std::string(attr) + "' must be a mapping (name: value), got " + show(v));
  return false;
}

bool Checker::unique_string_list(const Value& v, const std::string& path, std::string_view attr) {
  if (!v.is_list()) {
    error(path, "'" + std::string(attr) + "' must be a list of strings, got " + show(v));
    return false;
  }
  if (v.as_list().empty()) {
    error(path, "'" + std::string(attr) + "' must have at least one item; remove it or add items");
    return false;
  }
  bool ok = true;
  std::set<std::string> seen;
  for (size_t i = 0; i < v.as_list().size(); ++i) {
    const Value& item = v.as_list()[i];
    std::string p = item_path(path, i);
    if (!item.is_string() || item.as_string().empty()) {
      error(p, "items of '" + std::string(attr) + "' must be non-empty strings, got " + show(item));
      ok = false;
    } else if (!seen.insert(item.as_string()).second) {
      error(p, "'" + item.as_string() + "' appears twice in '" + std::string(attr) + "'; list each item once");
      ok = false;
    }
  }
  return ok;
}

bool Checker::expression_or_nonneg_int(const Value& v, const std::string& path, std::string_view attr) {
  if (v.is_int() && v.as_int() >= 0) return true;
  if (is_expression(v)) return true;
  error(path, "'" + std::string(attr) + "' must be an integer >= 0 or an expression such as <% $.value %>, got " + show(v));
  return false;
}

bool Checker::expression_or_bool(const Value& v, const std::string& path, std::string_view attr) {
  if (v.is_bool() || is_expression(v)) return true;
  error(path, "'" + std::string(attr) + "' must be true, false or an expression such as <% $.flag %>, got " + show(v));
  return false;
}

bool Checker::expression(const Value& v, const std::string& path, std::string_view attr) {
  if (is_expression(v)) return true;
  error(path, "'" + std::string(attr) + "' must be an expression such as <% $.value > 0 %>, got " + show(v));
  return false;
}

}  // namespace bora::lang::detail
