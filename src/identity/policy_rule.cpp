#include "bora/identity/policy_rule.h"

#include <fmt/format.h>

#include <cctype>
#include <optional>

#include "bora/core/ascii.h"
#include "bora/core/python_format.h"

namespace bora::identity {

namespace {

Error rule_error(std::string_view name, std::string_view text, std::string_view what) {
  return bad_input(fmt::format("Policy rule '{}' cannot be parsed: {} (in '{}'). Rules are checks such as "
                               "role:admin, rule:admin_only, project_id:%(project_id)s, @ (allow) or ! (deny), "
                               "joined by and/or/not and parentheses",
                               name, what, text));
}

// One check of the language ("role:admin", "@"), as oslo's _parse_check
// reads it: the text before the first ':' says which kind of check.
Result<PolicyCheck> parse_check(std::string_view name, std::string_view rule_text, std::string_view token) {
  PolicyCheck c;
  if (token == "@") return c;
  if (token == "!") {
    c.kind = PolicyCheck::Kind::Never;
    return c;
  }
  size_t colon = token.find(':');
  if (colon == std::string_view::npos) {
    return rule_error(name, rule_text, fmt::format("'{}' is not a check (kind:match, @ or !)", token));
  }
  std::string_view kind = token.substr(0, colon);
  c.match = std::string(token.substr(colon + 1));
  if (kind == "rule") {
    c.kind = PolicyCheck::Kind::Rule;
    c.left = c.match;
    c.match.clear();
  } else if (kind == "role") {
    c.kind = PolicyCheck::Kind::Role;
  } else if (kind == "http" || kind == "https") {
    // oslo's remote checks POST the credentials to a URL: Bora does not
    // send a caller's token to a third party from its request path.
    return rule_error(name, rule_text, fmt::format("'{}' asks a remote server ({}: checks are not supported)", token, kind));
  } else if (kind.empty()) {
    return rule_error(name, rule_text, fmt::format("'{}' has nothing before ':'", token));
  } else {
    c.kind = PolicyCheck::Kind::Generic;
    c.left = std::string(kind);
  }
  return c;
}

struct Token {
  enum Kind { Open, Close, And, Or, Not, Check } kind;
  PolicyCheck check;  // Check
};

// oslo's _parse_tokenize: words split on whitespace; '(' may lead and ')'
// trail a word (so `%(project_id)s` inside a check stays whole); and/or/not
// in any case are operators; a quoted word is not a check.
Result<std::vector<Token>> tokenize(std::string_view name, std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view word = text.substr(start, i - start);
    if (word.empty()) continue;
    while (!word.empty() && word.front() == '(') {
      out.push_back({Token::Open, {}});
      word.remove_prefix(1);
    }
    if (word.empty()) continue;
    std::string_view clean = word;
    size_t trail = 0;
    while (!clean.empty() && clean.back() == ')') {
      clean.remove_suffix(1);
      ++trail;
    }
    std::string lowered;
    for (char ch : clean) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lowered == "and") {
      out.push_back({Token::And, {}});
    } else if (lowered == "or") {
      out.push_back({Token::Or, {}});
    } else if (lowered == "not") {
      out.push_back({Token::Not, {}});
    } else if (!clean.empty()) {
      if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'') && word.back() == word.front()) {
        return rule_error(name, text, fmt::format("{} is quoted text, not a check", word));
      }
      auto check = parse_check(name, text, clean);
      if (!check) return check.error();
      out.push_back({Token::Check, std::move(check).value()});
    }
    for (size_t k = 0; k < trail; ++k) out.push_back({Token::Close, {}});
  }
  return out;
}

// or_expr := and_expr ('or' and_expr)*; and_expr := unary ('and' unary)*;
// unary := 'not' unary | '(' or_expr ')' | check. The same grouping as
// oslo's reducer ("a or b and c" is "a or (b and c)", `not` takes one check).
class Parser {
 public:
  Parser(std::string_view name, std::string_view text, std::vector<Token> tokens)
      : name_(name), text_(text), tokens_(std::move(tokens)) {}

  Result<PolicyCheck> parse() {
    auto r = or_expr(0);
    if (!r) return r;
    if (pos_ < tokens_.size()) return unexpected();
    return r;
  }

 private:
  Result<PolicyCheck> or_expr(size_t depth) { return joined(depth, Token::Or, PolicyCheck::Kind::Or); }

  Result<PolicyCheck> joined(size_t depth, Token::Kind op, PolicyCheck::Kind kind) {
    auto first = op == Token::Or ? joined(depth, Token::And, PolicyCheck::Kind::And) : unary(depth);
    if (!first || !at(op)) return first;
    PolicyCheck all;
    all.kind = kind;
    all.operands.push_back(std::move(first).value());
    while (at(op)) {
      ++pos_;
      auto next = op == Token::Or ? joined(depth, Token::And, PolicyCheck::Kind::And) : unary(depth);
      if (!next) return next;
      all.operands.push_back(std::move(next).value());
    }
    return all;
  }

  Result<PolicyCheck> unary(size_t depth) {
    if (depth >= kPolicyMaxDepth) {
      return rule_error(name_, text_, fmt::format("nested deeper than {} parentheses or 'not'", kPolicyMaxDepth));
    }
    if (pos_ >= tokens_.size()) return rule_error(name_, text_, "a check is missing at the end");
    Token& t = tokens_[pos_];
    if (t.kind == Token::Check) {
      ++pos_;
      return std::move(t.check);
    }
    if (t.kind == Token::Not) {
      ++pos_;
      auto operand = unary(depth + 1);
      if (!operand) return operand;
      PolicyCheck c;
      c.kind = PolicyCheck::Kind::Not;
      c.operands.push_back(std::move(operand).value());
      return c;
    }
    if (t.kind == Token::Open) {
      ++pos_;
      auto inner = or_expr(depth + 1);
      if (!inner) return inner;
      if (!at(Token::Close)) {
        return rule_error(name_, text_, pos_ < tokens_.size() ? describe_unexpected() : "a ')' is missing");
      }
      ++pos_;
      return inner;
    }
    return unexpected();
  }

  bool at(Token::Kind k) const { return pos_ < tokens_.size() && tokens_[pos_].kind == k; }

  std::string describe_unexpected() const {
    static const char* kNames[] = {"'('", "')'", "'and'", "'or'", "'not'", "a check"};
    return fmt::format("{} where {} was expected", kNames[tokens_[pos_].kind],
                       pos_ == 0 ? "a check" : "a check or an operator");
  }
  Error unexpected() const { return rule_error(name_, text_, describe_unexpected()); }

  std::string_view name_, text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

// The literal a generic check's left side may be (oslo tries
// ast.literal_eval on it first): its str(), or nothing for a credentials path.
std::optional<std::string> literal_text(const std::string& left) {
  if (left.size() >= 2 && (left.front() == '\'' || left.front() == '"') && left.back() == left.front()) {
    return left.substr(1, left.size() - 2);
  }
  if (left == "True" || left == "False" || left == "None") return left;
  size_t i = (left[0] == '-' || left[0] == '+') ? 1 : 0;
  if (i < left.size() && left.find_first_not_of("0123456789", i) == std::string::npos) {
    if (left.size() - i > 1 && left[i] == '0') return std::nullopt;  // Python refuses 01
    std::string digits = left.substr(i);
    return (left[0] == '-' && digits != "0" ? "-" : "") + digits;
  }
  return std::nullopt;
}

// A key of the target: as given ("project_id"), else a path into nested
// objects ("target.workflow.project_id"), as oslo flattens targets.
const Value* target_value(const Value& target, std::string_view key) {
  if (!target.is_dict()) return nullptr;
  if (const Value* v = target.find(key)) return v;
  size_t dot = key.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const Value* head = target.find(key.substr(0, dot));
  return head ? target_value(*head, key.substr(dot + 1)) : nullptr;
}

// Python's `match % target` for the %(key)s forms a rule uses; nothing when
// a key is missing (oslo: the check is false) or the format is broken.
std::optional<std::string> substitute(const std::string& match, const Value& target) {
  std::string out;
  for (size_t i = 0; i < match.size(); ++i) {
    if (match[i] != '%') {
      out += match[i];
      continue;
    }
    if (i + 1 < match.size() && match[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    if (i + 1 >= match.size() || match[i + 1] != '(') return std::nullopt;
    size_t close = match.find(')', i + 2);
    if (close == std::string::npos || close + 1 >= match.size()) return std::nullopt;
    const Value* v = target_value(target, std::string_view(match).substr(i + 2, close - i - 2));
    if (!v) return std::nullopt;
    char conversion = match[close + 1];
    if (conversion == 'r') {
      out += python_repr(*v);
    } else if (conversion == 's' || ((conversion == 'd' || conversion == 'i') && v->is_number())) {
      out += python_str(*v);
    } else {
      return std::nullopt;
    }
    i = close + 1;
  }
  return out;
}

// oslo's GenericCheck._find_in_dict: follow the dotted path in the
// credentials; a list on the way matches when any element does.
bool find_in_credentials(const Value& value, std::string_view path, const std::string& match) {
  if (value.is_list() && !path.empty()) {
    for (const auto& item : value.as_list())
      if (find_in_credentials(item, path, match)) return true;
    return false;
  }
  if (path.empty()) {
    if (value.is_list()) {
      for (const auto& item : value.as_list())
        if (python_str(item) == match) return true;
      return false;
    }
    return python_str(value) == match;
  }
  if (!value.is_dict()) return false;
  size_t dot = path.find('.');
  const Value* next = value.find(path.substr(0, dot));
  if (!next) return false;
  return find_in_credentials(*next, dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1),
                             match);
}

bool evaluate(const PolicyCheck& check, const Value& target, const Value& creds, const PolicyRules& rules,
              size_t depth) {
  switch (check.kind) {
    case PolicyCheck::Kind::Always: return true;
    case PolicyCheck::Kind::Never: return false;
    case PolicyCheck::Kind::Not: return !evaluate(check.operands[0], target, creds, rules, depth);
    case PolicyCheck::Kind::And:
      for (const auto& c : check.operands)
        if (!evaluate(c, target, creds, rules, depth)) return false;
      return true;
    case PolicyCheck::Kind::Or:
      for (const auto& c : check.operands)
        if (evaluate(c, target, creds, rules, depth)) return true;
      return false;
    case PolicyCheck::Kind::Rule: {
      if (depth >= kPolicyMaxDepth) return false;  // a cycle of rule: references
      auto it = rules.find(check.left);
      return it != rules.end() && evaluate(it->second, target, creds, rules, depth + 1);
    }
    case PolicyCheck::Kind::Role: {
      auto match = substitute(check.match, target);
      if (!match) return false;
      const Value* roles = creds.is_dict() ? creds.find("roles") : nullptr;
      if (!roles || !roles->is_list()) return false;
      std::string wanted = ascii_lower(*match);
      for (const auto& r : roles->as_list())
        if (r.is_string() && ascii_lower(r.as_string()) == wanted) return true;
      return false;
    }
    case PolicyCheck::Kind::Generic: {
      auto match = substitute(check.match, target);
      if (!match) return false;
      if (auto literal = literal_text(check.left)) return *match == *literal;
      return find_in_credentials(creds, check.left, *match);
    }
  }
  return false;
}

}  // namespace

std::string PolicyCheck::text() const {
  switch (kind) {
    case Kind::Always: return "@";
    case Kind::Never: return "!";
    case Kind::Rule: return "rule:" + left;
    case Kind::Role: return "role:" + match;
    case Kind::Generic: return left + ":" + match;
    case Kind::Not: return "not " + operands[0].text();
    case Kind::And:
    case Kind::Or: {
      std::string out = "(";
      for (size_t i = 0; i < operands.size(); ++i) {
        if (i) out += kind == Kind::And ? " and " : " or ";
        out += operands[i].text();
      }
      return out + ")";
    }
  }
  return "!";
}

Result<PolicyCheck> parse_policy_rule(std::string_view name, std::string_view text) {
  auto tokens = tokenize(name, text);
  if (!tokens) return tokens.error();
  if (tokens->empty()) return PolicyCheck{};  // the empty rule allows
  return Parser(name, text, std::move(tokens).value()).parse();
}

Result<PolicyCheck> parse_policy_rule_value(std::string_view name, const Value& rule) {
  if (rule.is_string()) return parse_policy_rule(name, std::string_view(rule.as_string()));
  if (!rule.is_list()) {
    return bad_input(fmt::format("Policy rule '{}' must be a string (or oslo's list of lists), not a {}", name,
                                 rule.type_name()));
  }
  // oslo's _parse_list_rule: [] allows; each inner list is an `and` of
  // single checks, the outer list an `or`; nothing left denies.
  if (rule.as_list().empty()) return PolicyCheck{};
  PolicyCheck any;
  any.kind = PolicyCheck::Kind::Or;
  for (const auto& inner : rule.as_list()) {
    std::vector<Value> items;
    if (inner.is_string()) {
      items.push_back(inner);
    } else if (inner.is_list()) {
      items = inner.as_list();
    } else {
      return bad_input(fmt::format("Policy rule '{}': each item of a list rule is a check or a list of checks, not a {}",
                                   name, inner.type_name()));
    }
    if (items.empty()) continue;
    PolicyCheck all;
    all.kind = PolicyCheck::Kind::And;
    for (const auto& item : items) {
      if (!item.is_string()) {
        return bad_input(fmt::format("Policy rule '{}': a check in a list rule must be a string, not a {}", name,
                                     item.type_name()));
      }
      auto check = parse_check(name, item.as_string(), item.as_string());
      if (!check) return check.error();
      all.operands.push_back(std::move(check).value());
    }
    any.operands.push_back(all.operands.size() == 1 ? std::move(all.operands[0]) : std::move(all));
  }
  if (any.operands.empty()) {
    PolicyCheck never;
    never.kind = PolicyCheck::Kind::Never;
    return never;
  }
  if (any.operands.size() == 1) return std::move(any.operands[0]);
  return any;
}

bool evaluate_policy(const PolicyCheck& check, const Value& target, const Value& credentials,
                     const PolicyRules& rules) {
  return evaluate(check, target, credentials, rules, 0);
}

}  // namespace bora::identity
