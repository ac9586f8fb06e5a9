// lang/on_clause: on-success / on-error / on-complete / on-skip in all their
// forms (mistral/lang/v2/on_clause.py): a task name, `name: <% cond %>`, a
// list of those, or {next: ..., publish: {branch, global, atomic}}.
#include <set>

#include "bora/core/python_format.h"
#include "command_line.h"
#include "spec_parsers.h"

namespace bora::lang::detail {

namespace {

// NEXT_TASK of on_clause.py: `^\S+$`, `^\w+ \w+=(.*)$` or `^\w+\(\w+=(.*)\)$`.
bool valid_next_task(std::string_view s) {
  if (s.empty()) return false;
  bool has_space = false;
  for (char ch : s)
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') has_space = true;
  if (!has_space) return true;
  size_t i = 0;
  while (i < s.size() && is_word_byte(s[i])) ++i;
  if (i == 0 || i >= s.size()) return false;
  if (s[i] != ' ' && s[i] != '(') return false;
  bool call = s[i] == '(';
  size_t k = ++i;
  while (i < s.size() && is_word_byte(s[i])) ++i;
  if (i == k || i >= s.size() || s[i] != '=') return false;
  if (s.find('\n') != std::string_view::npos) return false;
  return !call || s.back() == ')';
}

// A target that is both NEXT_TASK forms at once: `^\S+$` and
// `^\w+\(\w+=(.*)\)$` (a command with a parameter and no blank, such as
// `fail(msg="why")`). on_clause.py's schema takes them with `oneOf`, so
// Mistral refuses such a target ("is valid under each of").
bool matches_two_forms(std::string_view s) {
  if (s.empty() || s.back() != ')') return false;
  for (char ch : s)
    if (std::isspace(static_cast<unsigned char>(ch))) return false;
  size_t i = 0;
  while (i < s.size() && is_word_byte(s[i])) ++i;
  if (i == 0 || i >= s.size() || s[i] != '(') return false;
  size_t k = ++i;
  while (i < s.size() && is_word_byte(s[i])) ++i;
  return i > k && i < s.size() && s[i] == '=';
}

constexpr const char* kTransitionHelp =
    "write a task name, `task_name: <% condition %>`, an engine command such as `fail` or `fail(msg=<% 'why' %>)`, or a list of these";

std::optional<Transition> parse_target(Checker& c, const Value& item, const std::string& path, std::string_view attr) {
  Transition t;
  std::string target;
  std::string target_path = path;
  if (item.is_string()) {
    target = item.as_string();
  } else if (item.is_dict() && item.as_dict().size() == 1) {
    const auto& [k, cond] = item.as_dict().at(0);
    target = k;
    target_path = child_path(path, k);
    if (!is_expression(cond)) {
      c.error(target_path, "the condition of transition '" + k + "' in '" + std::string(attr) +
                               "' must be an expression such as <% $.ok %>, got " + show(cond));
      return std::nullopt;
    }
    t.condition = cond;
  } else {
    c.error(path, "invalid transition in '" + std::string(attr) + "': " + show(item) + "; " + kTransitionHelp);
    return std::nullopt;
  }
  // (Bora's own `rollback(msg="why")` is not Mistral's to refuse.)
  if (item.is_string() && matches_two_forms(target) && target.rfind("rollback(", 0) != 0) {
    c.error(target_path, "'" + target + "' in '" + std::string(attr) +
                             "' is valid under each of Mistral's transition forms (a task name, and a command with a "
                             "parameter), which Mistral refuses; give the parameter as an expression, e.g. "
                             "`fail(msg=<% 'why' %>)`");
    return std::nullopt;
  }
  if (!valid_next_task(target)) {
    c.error(target_path, "invalid transition target '" + target + "' in '" + std::string(attr) + "'; " + kTransitionHelp);
    return std::nullopt;
  }
  auto cmd = parse_transition_target(target);
  if (!cmd) {
    c.error(target_path, "invalid transition target '" + target + "'; " + kTransitionHelp);
    return std::nullopt;
  }
  t.task = cmd->name;
  t.params = std::move(cmd->params);
  return t;
}

std::vector<Transition> parse_next(Checker& c, const Value& v, const std::string& path, std::string_view attr) {
  std::vector<Transition> out;
  if (v.is_list()) {
    if (v.as_list().empty()) {
      c.error(path, "'" + std::string(attr) + "' must list at least one transition; remove it or " + kTransitionHelp);
      return out;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < v.as_list().size(); ++i) {
      const Value& item = v.as_list()[i];
      std::string p = item_path(path, i);
      if (!seen.insert(python_repr(item)).second) {  // whole: show() cuts long ones
        c.error(p, "transition " + show(item) + " appears twice in '" + std::string(attr) + "'; list it once");
        continue;
      }
      if (item.is_list()) {
        c.error(p, "a transition cannot be a list; " + std::string(kTransitionHelp));
        continue;
      }
      if (auto t = parse_target(c, item, p, attr)) out.push_back(std::move(*t));
    }
    return out;
  }
  if (auto t = parse_target(c, v, path, attr)) out.push_back(std::move(*t));
  return out;
}

}  // namespace

std::optional<PublishSpec> parse_publish(Checker& c, const Value& v, const std::string& path) {
  if (!v.is_dict()) {
    c.error(path, "'publish' in an on-clause must be a mapping with 'branch', 'global' and/or 'atomic', got " + show(v));
    return std::nullopt;
  }
  c.allowed_keys(v, path, {"branch", "global", "atomic"}, "'publish'");
  PublishSpec p;
  bool ok = true;
  for (const char* scope : {"branch", "global", "atomic"}) {
    const Value* s = v.find(scope);
    if (!s) continue;
    if (!c.nonempty_dict(*s, child_path(path, scope), scope)) {
      ok = false;
      continue;
    }
    (std::string_view(scope) == "branch" ? p.branch : std::string_view(scope) == "global" ? p.global : p.atomic) = *s;
  }
  if (ok && p.empty()) {
    c.error(path, "'publish' must have 'branch', 'global' or 'atomic' (e.g. `branch: {result: <% task().result %>}`)");
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return p;
}

std::optional<OnClauseSpec> parse_on_clause(Checker& c, const Value& v, const std::string& path, std::string_view attr) {
  OnClauseSpec clause;
  size_t before = c.count();
  bool advanced = false;
  if (v.is_dict() && !v.as_dict().empty()) {
    advanced = true;
    for (const auto& [k, _] : v.as_dict())
      if (k != "next" && k != "publish") advanced = false;
    // `next: <% cond %>` alone is a conditional transition to a task "next".
    if (advanced && v.as_dict().size() == 1 && v.find("next") && is_expression(v["next"])) advanced = false;
  }
  if (advanced) {
    if (const Value* next = v.find("next")) clause.next = parse_next(c, *next, child_path(path, "next"), attr);
    if (const Value* pub = v.find("publish")) clause.publish = parse_publish(c, *pub, child_path(path, "publish"));
  } else if (v.is_string() || v.is_list() || (v.is_dict() && v.as_dict().size() == 1)) {
    clause.next = parse_next(c, v, path, attr);
  } else if (v.is_dict() && v.as_dict().size() > 1 && (v.find("next") || v.find("publish"))) {
    c.allowed_keys(v, path, {"next", "publish"}, "'" + std::string(attr) + "'");
  } else if (v.is_dict() && v.as_dict().size() > 1) {
    c.error(path, "'" + std::string(attr) + "' as a mapping takes 'next' and 'publish' only (or one `task: <% condition %>`)" +
                      "; to go to several tasks, use a list");
  } else {
    c.error(path, "'" + std::string(attr) + "' must not be empty; " + kTransitionHelp);
  }
  if (c.count() != before) return std::nullopt;
  return clause;
}

}  // namespace bora::lang::detail
