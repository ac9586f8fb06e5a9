// lang/policies: retry (full and one-line forms), wait-before, wait-after,
// timeout, pause-before, concurrency, fail-on (mistral/lang/v2/policies.py,
// retry_policy.py), with-items, input parameter lists and requires.
#include <algorithm>
#include <set>

#include "bora/core/ascii.h"
#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/expr/template_scan.h"
#include "command_line.h"
#include "spec_parsers.h"

namespace bora::lang::detail {

namespace {

// Mistral's retry keys, then Bora's own (backoff, max-delay, jitter).
const std::vector<std::string_view> kRetryKeys = {"count",   "delay",     "break-on", "continue-on",
                                                  "backoff", "max-delay", "jitter"};

bool is_number(const Value& v) { return v.is_int() || v.is_double(); }
double number_of(const Value& v) { return v.is_int() ? static_cast<double>(v.as_int()) : v.as_double(); }

// Mistral's one-line parameters take only quoted strings, expressions,
// lists, true/false/null and digits, so `jitter=full` or `max-delay=2.5`
// would be lost (or cut to 2). Bora's own keys also take a bare word or a
// decimal number up to the next space; Mistral's keys parse as Mistral
// parses them.
void bora_retry_words(std::string_view line, Dict& params) {
  for (std::string_view key : {"backoff", "max-delay", "jitter"}) {
    for (size_t at = line.find(key); at != std::string_view::npos; at = line.find(key, at + 1)) {
      size_t eq = at + key.size();
      bool starts_word = at == 0 || line[at - 1] == ' ' || line[at - 1] == '\t';
      if (!starts_word || eq >= line.size() || line[eq] != '=') continue;
      size_t end = line.find_first_of(" \t", eq + 1);
      std::string_view token = line.substr(eq + 1, end == std::string_view::npos ? std::string_view::npos : end - eq - 1);
      if (token.empty() || token[0] == '"' || token[0] == '\'' || token.starts_with("<%") || token.starts_with("{{"))
        continue;
      auto number = parse_json(token);
      params.set(std::string(key), number.ok() && (number->is_int() || number->is_double())
                                       ? *number
                                       : Value(std::string(token)));
    }
  }
}

}  // namespace

std::optional<RetrySpec> parse_retry(Checker& c, const Value& v, const std::string& path) {
  Value data = v;
  bool one_line = false;
  if (v.is_string()) {
    if (v.as_string().empty()) {
      c.error(path, "'retry' must not be empty; write e.g. `retry: count=3 delay=1` or a mapping with count and delay");
      return std::nullopt;
    }
    auto cmd = parse_command_line(v.as_string());
    Dict params = cmd ? cmd->params : Dict{};
    bora_retry_words(v.as_string(), params);
    data = Value(std::move(params));
    one_line = true;
  } else if (!v.is_dict()) {
    c.error(path, "'retry' must be a mapping {count, delay, break-on, continue-on} or a line like "
                  "`count=3 delay=1`, got " + show(v));
    return std::nullopt;
  }
  size_t before = c.count();
  // Problems of the one-line form point at the line itself.
  auto at = [&](const char* key) { return one_line ? path : child_path(path, key); };
  if (one_line) {
    for (const auto& [k, _] : data.as_dict()) {
      if (std::find(kRetryKeys.begin(), kRetryKeys.end(), k) == kRetryKeys.end()) {
        std::string near = closest(k, kRetryKeys);
        c.error(path, "unknown retry parameter '" + k + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?") +
                          " (allowed: " + quoted_list(kRetryKeys) + ")");
      }
    }
  } else {
    c.allowed_keys(data, path, kRetryKeys, "'retry'");
  }
  for (const char* req : {"count", "delay"}) {
    if (!data.find(req))
      c.error(path, std::string("'retry' needs '") + req + "' (e.g. `retry: count=3 delay=1`)");
  }
  RetrySpec r;
  if (const Value* x = data.find("count"); x && c.expression_or_nonneg_int(*x, at("count"), "count")) r.count = *x;
  if (const Value* x = data.find("delay"); x && c.expression_or_nonneg_int(*x, at("delay"), "delay")) r.delay = *x;
  if (const Value* x = data.find("break-on"); x && c.expression(*x, at("break-on"), "break-on")) r.break_on = *x;
  if (const Value* x = data.find("continue-on"); x && c.expression(*x, at("continue-on"), "continue-on"))
    r.continue_on = *x;
  if (const Value* x = data.find("backoff")) {
    bool named = x->is_string() && (x->as_string() == "exponential" || x->as_string() == "linear");
    if (named || is_expression(*x) || (is_number(*x) && number_of(*x) > 0))
      r.backoff = *x;
    else
      c.error(at("backoff"), "'backoff' must be a number > 0 (the delay's multiplier at each retry), 'exponential' "
                             "(x2), 'linear' (delay x retry number) or an expression, got " + show(*x));
  }
  if (const Value* x = data.find("max-delay")) {
    if (is_expression(*x) || (is_number(*x) && number_of(*x) >= 0))
      r.max_delay = *x;
    else
      c.error(at("max-delay"), "'max-delay' must be a number of seconds >= 0 or an expression, got " + show(*x));
  }
  if (const Value* x = data.find("jitter")) {
    bool named = x->is_string() && (x->as_string() == "full" || x->as_string() == "equal" || x->as_string() == "none");
    if (named || is_expression(*x))
      r.jitter = *x;
    else
      c.error(at("jitter"), "'jitter' must be 'full' (a random delay between 0 and the delay), 'equal' (half the "
                            "delay plus a random half), 'none' or an expression, got " + show(*x));
  }
  if (c.count() != before) return std::nullopt;
  return r;
}

PoliciesSpec parse_policies(Checker& c, const Value& task, const std::string& path) {
  PoliciesSpec p;
  if (const Value* r = task.find("retry")) p.retry = parse_retry(c, *r, child_path(path, "retry"));
  struct IntPolicy {
    const char* key;
    expr::CompiledValue PoliciesSpec::*field;
  };
  for (auto [key, field] : {IntPolicy{"wait-before", &PoliciesSpec::wait_before},
                            IntPolicy{"wait-after", &PoliciesSpec::wait_after}, IntPolicy{"timeout", &PoliciesSpec::timeout},
                            IntPolicy{"concurrency", &PoliciesSpec::concurrency}}) {
    if (const Value* x = task.find(key); x && c.expression_or_nonneg_int(*x, child_path(path, key), key)) p.*field = *x;
  }
  for (auto [key, field] :
       {IntPolicy{"pause-before", &PoliciesSpec::pause_before}, IntPolicy{"fail-on", &PoliciesSpec::fail_on}}) {
    if (const Value* x = task.find(key); x && c.expression_or_bool(*x, child_path(path, key), key)) p.*field = *x;
  }
  return p;
}

namespace {

bool is_var_char(char ch) {
  unsigned char u = static_cast<unsigned char>(ch);
  return std::isalnum(u) || ch == '_' || ch == '-' || u >= 0x80;
}

constexpr const char* kWithItemsHelp =
    "write `var in <% $.list %>`, `var in {{ _.list }}` or `var in [1, 2, 3]`";
// Mistral's words for it (tasks.py), which its clients match on.
constexpr const char* kMistralWrongFormat =
    "Wrong format of 'with-items' property. Please use format 'var in {[some, list] | <% $.array %> }:";

// WITH_ITEMS_PTRN of tasks.py: \s*([\w\d_\-]+)\s*in\s*(\[.+\]|{{(.*?)}}|<%.*?%>)
std::optional<WithItemsSpec> parse_one_with_items(Checker& c, std::string_view s, const std::string& path) {
  size_t i = 0;
  while (i < s.size() && is_ascii_space(s[i])) ++i;
  size_t var_start = i;
  while (i < s.size() && is_var_char(s[i])) ++i;
  // The variable is greedy; back off when it swallowed the `in`.
  std::string_view var = s.substr(var_start, i - var_start);
  size_t j = i;
  while (j < s.size() && is_ascii_space(s[j])) ++j;
  if (s.substr(j, 2) != "in") {
    if (var.size() > 2 && var.ends_with("in")) {
      var = var.substr(0, var.size() - 2);
      j = i - 2;
    } else {
      c.error(path, "wrong format of 'with-items' item '" + std::string(s) + "'; " + kWithItemsHelp, kMistralWrongFormat);
      return std::nullopt;
    }
  }
  if (var.empty()) {
    c.error(path, "wrong format of 'with-items' item '" + std::string(s) + "': no variable name; " + kWithItemsHelp,
            kMistralWrongFormat);
    return std::nullopt;
  }
  j += 2;
  while (j < s.size() && is_ascii_space(s[j])) ++j;
  std::string_view rest = s.substr(j);
  size_t line_end = rest.find('\n');
  std::string_view line = rest.substr(0, line_end);
  WithItemsSpec w;
  w.var = std::string(var);
  if (line.starts_with("[")) {
    size_t close = line.rfind(']');
    if (close == std::string_view::npos || close < 2) {
      c.error(path, "wrong format of 'with-items' item '" + std::string(s) + "'; " + kWithItemsHelp, kMistralWrongFormat);
      return std::nullopt;
    }
    auto arr = parse_json(line.substr(0, close + 1));
    if (!arr.ok() || !arr->is_list()) {
      c.error(path,
              "invalid array in 'with-items' clause: " + std::string(line.substr(0, close + 1)) +
                  " is not a JSON list; quote strings with double quotes, e.g. [\"a\", \"b\"]",
              "Invalid array in 'with-items' clause: " + std::string(line.substr(0, close + 1)) + ", error:");
      return std::nullopt;
    }
    w.source = *arr;
    return w;
  }
  for (expr::Delimiters d : {expr::kYaqlDelimiters, expr::kJinjaExpressionDelimiters}) {
    if (!line.starts_with(d.open)) continue;
    size_t e = expr::delimited_end(line, 0, d);
    if (e == std::string_view::npos) break;
    w.source = Value(std::string(line.substr(0, e)));
    return w;
  }
  c.error(path, "wrong format of 'with-items' item '" + std::string(s) + "'; " + kWithItemsHelp, kMistralWrongFormat);
  return std::nullopt;
}

}  // namespace

std::vector<WithItemsSpec> parse_with_items(Checker& c, const Value& v, const std::string& path) {
  std::vector<WithItemsSpec> out;
  if (v.is_string()) {
    if (!c.nonempty_string(v, path, "with-items")) return out;
    if (auto w = parse_one_with_items(c, v.as_string(), path)) out.push_back(std::move(*w));
    return out;
  }
  if (!v.is_list()) {
    c.error(path, "'with-items' must be a string or a list of strings, got " + show(v) + "; " + kWithItemsHelp);
    return out;
  }
  if (v.as_list().empty()) {
    c.error(path, "'with-items' must have at least one item; remove it or " + std::string(kWithItemsHelp));
    return out;
  }
  std::set<std::string> vars, items;
  for (size_t i = 0; i < v.as_list().size(); ++i) {
    std::string p = item_path(path, i);
    const Value& item = v.as_list()[i];
    if (!item.is_string() || item.as_string().empty()) {
      c.error(p, "items of 'with-items' must be strings, got " + show(item) + "; " + kWithItemsHelp);
      continue;
    }
    if (!items.insert(item.as_string()).second) {
      c.error(p, "'" + item.as_string() + "' appears twice in 'with-items'; list it once");
      continue;
    }
    if (auto w = parse_one_with_items(c, item.as_string(), p)) {
      // Mistral keeps the last list of a repeated variable (a dict).
      if (!vars.insert(w->var).second) {
        for (auto& existing : out)
          if (existing.var == w->var) existing = std::move(*w);
        continue;
      }
      out.push_back(std::move(*w));
    }
  }
  return out;
}

std::vector<InputParam> parse_input_params(Checker& c, const Value& v, const std::string& path) {
  std::vector<InputParam> out;
  constexpr const char* help = "list parameter names, with defaults as one-key mappings: `- a` or `- b: 5`";
  if (!v.is_list()) {
    c.error(path, "'input' must be a list of parameters, got " + show(v) + "; " + help);
    return out;
  }
  if (v.as_list().empty()) {
    c.error(path, "'input' must have at least one parameter; remove it or " + std::string(help));
    return out;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < v.as_list().size(); ++i) {
    const Value& item = v.as_list()[i];
    std::string p = item_path(path, i);
    InputParam param;
    if (item.is_string() && !item.as_string().empty()) {
      param.name = item.as_string();
    } else if (item.is_dict() && item.as_dict().size() == 1) {
      param.name = item.as_dict().at(0).first;
      param.default_value = item.as_dict().at(0).second;
    } else {
      c.error(p, "invalid input parameter " + show(item) + "; " + help);
      continue;
    }
    // Mistral's schema (uniqueItems) refuses an entry given twice, whole;
    // the same name with another default is two entries, and the last wins.
    if (!seen.insert(python_repr(item)).second) {
      c.key_error(p, "input parameter " + show(item) + " appears twice; list each parameter once",
                  "Invalid DSL: " + python_repr(v) + " has non-unique elements");
      continue;
    }
    // Mistral keeps the last entry of a name (utils.get_dict_from_entries).
    bool replaced = false;
    for (auto& existing : out)
      if (existing.name == param.name) {
        existing = param;
        replaced = true;
      }
    if (!replaced) out.push_back(std::move(param));
  }
  return out;
}

std::vector<std::string> parse_requires(Checker& c, const Value& v, const std::string& path) {
  std::vector<std::string> out;
  if (v.is_string()) {
    if (c.nonempty_string(v, path, "requires")) out.push_back(v.as_string());
    return out;
  }
  if (!v.is_list()) {
    c.error(path, "'requires' must be a task name or a list of task names, got " + show(v));
    return out;
  }
  if (!c.unique_string_list(v, path, "requires")) return out;
  for (const auto& item : v.as_list()) out.push_back(item.as_string());
  return out;
}

}  // namespace bora::lang::detail

namespace bora::lang {

PoliciesSpec merge_policies(const PoliciesSpec& task, const PoliciesSpec& defaults) {
  PoliciesSpec out = defaults;
  if (task.retry) out.retry = task.retry;
  for (auto field : {&PoliciesSpec::wait_before, &PoliciesSpec::wait_after, &PoliciesSpec::timeout,
                     &PoliciesSpec::pause_before, &PoliciesSpec::concurrency, &PoliciesSpec::fail_on})
    if (!(task.*field).is_null()) out.*field = task.*field;
  return out;
}

}  // namespace bora::lang
