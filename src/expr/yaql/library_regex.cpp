// expr/yaql/library_regex: yaql's regex library (yaql/standard_library/
// regex.py): regex() objects and their methods matches, search, searchAll,
// split, replace, replaceBy, plus escapeRegex and isRegex. The string forms
// of split and replace stay in library_strings; a regex argument routes
// them here.
#include <fmt/format.h>

#include <deque>

#include "evaluator.h"
#include "python_regex.h"

namespace bora::expr::yaql {

namespace {

std::string translate(const std::string& p, bool dot_all) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[i + 1];
      if (!in_class && n == 'A') out += '^';
      else if (!in_class && n == 'Z') out += '$';
      else out += p.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];  // a literal ] first in a class
      continue;
    }
    if (c == '(' && p.compare(i, 4, "(?P<") == 0) {  // (?P<name>...): a plain group here
      size_t close = p.find('>', i);
      if (close != std::string::npos) {
        out += '(';
        i = close;
        continue;
      }
    }
    if (c == '.' && dot_all) {
      out += "[\\s\\S]";
      continue;
    }
    out += c;
  }
  return out;
}

bool flag(const Call& c, const char* kw, size_t position) {
  for (const auto& [k, n] : c.kwargs)
    if (k == kw) return c.ev.eval(*n, c.scope).truthy();
  if (c.has(position)) return c.arg(position).truthy();
  return false;
}

// Character offsets: yaql counts code points, std::regex bytes; convert
// for non-ASCII text.
int64_t chars_before(const std::string& s, size_t byte) {
  int64_t n = 0;
  for (size_t i = 0; i < byte && i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
  return n;
}

// yaql's _publish_match: $ and $1 are the whole match, $2... the groups,
// each {"value", "start", "end"}; the selector is evaluated in that scope.
Value apply_selector(const Call& c, const Node& selector, const std::smatch& m, const std::string& text) {
  auto record = [&](size_t g) {
    if (!m[g].matched) return Value::dict({{"value", Value()}, {"start", Value(-1)}, {"end", Value(-1)}});
    auto begin = static_cast<size_t>(m.position(g));
    return Value::dict({{"value", Value(m.str(g))},
                        {"start", Value(chars_before(text, begin))},
                        {"end", Value(chars_before(text, begin + static_cast<size_t>(m.length(g))))}});
  };
  std::deque<Scope> scopes;
  scopes.push_back(Scope{c.scope, "$", record(0)});
  scopes.push_back(Scope{&scopes.back(), "1", record(0)});
  for (size_t g = 1; g < m.size(); ++g) scopes.push_back(Scope{&scopes.back(), std::to_string(g + 1), record(g)});
  return c.ev.eval(selector, &scopes.back());
}

Value regex_split(const std::regex& re, const std::string& s, int64_t max_split) {
  // Python's re.split: captured groups are included between the parts.
  std::vector<Value> parts;
  size_t last = 0;
  int64_t done = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    if (max_split > 0 && done >= max_split) break;
    const auto& m = *it;
    if (m.length(0) == 0 && static_cast<size_t>(m.position(0)) == last && last != 0) continue;
    parts.push_back(Value(s.substr(last, static_cast<size_t>(m.position(0)) - last)));
    for (size_t g = 1; g < m.size(); ++g) parts.push_back(m[g].matched ? Value(m.str(g)) : Value());
    last = static_cast<size_t>(m.position(0) + m.length(0));
    ++done;
  }
  parts.push_back(Value(s.substr(last)));
  return Value(std::move(parts));
}

// Python's re.sub template: \1..\99, \g<n>, and \\ ; the rest literal.
std::string expand(const std::string& repl, const std::smatch& m) {
  std::string out;
  for (size_t i = 0; i < repl.size(); ++i) {
    char ch = repl[i];
    if (ch != '\\' || i + 1 >= repl.size()) {
      out += ch;
      continue;
    }
    char n = repl[i + 1];
    if (std::isdigit(static_cast<unsigned char>(n))) {
      size_t j = i + 1, g = 0;
      while (j < repl.size() && j < i + 3 && std::isdigit(static_cast<unsigned char>(repl[j])))
        g = g * 10 + static_cast<size_t>(repl[j++] - '0');
      if (g >= m.size()) throw EvalError(fmt::format("invalid group reference {}", g));
      out += m.str(g);
      i = j - 1;
    } else if (n == 'g' && i + 2 < repl.size() && repl[i + 2] == '<') {
      size_t close = repl.find('>', i);
      size_t g = static_cast<size_t>(std::stoul(repl.substr(i + 3, close - i - 3)));
      if (g >= m.size()) throw EvalError(fmt::format("invalid group reference {}", g));
      out += m.str(g);
      i = close;
    } else if (n == 'n') {
      out += '\n', ++i;
    } else if (n == 't') {
      out += '\t', ++i;
    } else if (n == '\\') {
      out += '\\', ++i;
    } else {
      out += ch;
    }
  }
  return out;
}

template <class Replace>
std::string regex_replace(const std::regex& re, const std::string& s, int64_t count, Replace&& replacement) {
  std::string out;
  size_t last = 0;
  int64_t done = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it) {
    if (count > 0 && done >= count) break;
    const auto& m = *it;
    out += s.substr(last, static_cast<size_t>(m.position(0)) - last);
    out += replacement(m);
    last = static_cast<size_t>(m.position(0) + m.length(0));
    ++done;
  }
  out += s.substr(last);
  return out;
}

}  // namespace

std::regex compile_python_regex(const std::string& pattern, RegexFlags flags) {
  auto options = std::regex::ECMAScript;
  if (flags.ignore_case) options |= std::regex::icase;
  if (flags.multi_line) options |= std::regex::multiline;
  try {
    return std::regex(translate(pattern, flags.dot_all), options);
  } catch (const std::regex_error& e) {
    throw EvalError(fmt::format("invalid regular expression '{}': {}", pattern, e.what()));
  }
}

Value make_regex_object(const std::string& pattern, RegexFlags flags) {
  note_object_made();
  return Value::dict({{kRegexKey, Value::dict({{"pattern", Value(pattern)},
                                               {"ignoreCase", Value(flags.ignore_case)},
                                               {"multiLine", Value(flags.multi_line)},
                                               {"dotAll", Value(flags.dot_all)}})}});
}

bool is_regex_object(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kRegexKey); }

std::regex regex_of(const Value& v) {
  if (v.is_string()) return compile_python_regex(v.as_string());
  const Value& r = *v.find(kRegexKey);
  return compile_python_regex(r["pattern"].as_string(),
                              {r["ignoreCase"].truthy(), r["multiLine"].truthy(), r["dotAll"].truthy()});
}

void register_regex_functions(std::map<std::string, Function, std::less<>>& lib) {
  lib["regex"] = [](Call& c) {
    if (c.receiver) no_match("regex");
    Value pattern = c.arg(0);
    if (!pattern.is_string()) throw EvalError("No function \"regex\" matches supplied arguments");
    RegexFlags f{flag(c, "ignoreCase", 1), flag(c, "multiLine", 2), flag(c, "dotAll", 3)};
    compile_python_regex(pattern.as_string(), f);  // refuse a bad pattern here, as re.compile
    return make_regex_object(pattern.as_string(), f);
  };
  lib["isRegex"] = [](Call& c) { return Value(is_regex_object(c.arg(0))); };
  lib["escapeRegex"] = [](Call& c) {
    Value s = c.arg(0);
    if (!s.is_string()) no_match("escapeRegex");
    // Python 3.7+ re.escape: only regex metacharacters (and space/#... as
    // of 3.7, the special characters) get a backslash.
    std::string out;
    for (char ch : s.as_string()) {
      if (std::string_view("()[]{}?*+-|^$\\.&~# \t\n\r\v\f").find(ch) != std::string_view::npos) out += '\\';
      out += ch;
    }
    return Value(out);
  };

  auto old_matches = lib["matches"];
  lib["matches"] = [old_matches](Call& c) {
    if (!c.receiver) no_match("matches");
    Value first = c.arg(0), second = c.arg(1);
    if (is_regex_object(first) && second.is_string())
      return Value(std::regex_search(second.as_string(), regex_of(first)));
    if (!first.is_string() || !second.is_string()) no_method(c);  // no string.matches(regex) in yaql
    return old_matches(c);
  };
  lib["search"] = [](Call& c) {
    Value re = c.arg(0), text = c.arg(1);
    if (!c.receiver || !is_regex_object(re) || !text.is_string()) no_method(c);
    std::string s = text.as_string();
    std::smatch m;
    if (!std::regex_search(s, m, regex_of(re))) return Value();
    const Node* selector = c.has(2) ? c.node(2) : nullptr;
    if (!selector) return Value(m.str(0));
    Value out = apply_selector(c, *selector, m, s);
    return out;
  };
  lib["searchAll"] = [](Call& c) {
    Value re = c.arg(0), text = c.arg(1);
    if (!c.receiver || !is_regex_object(re) || !text.is_string()) no_method(c);
    std::string s = text.as_string();
    std::regex compiled = regex_of(re);
    const Node* selector = c.has(2) ? c.node(2) : nullptr;
    std::vector<Value> out;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), compiled); it != std::sregex_iterator(); ++it)
      out.push_back(selector ? apply_selector(c, *selector, *it, s) : Value(it->str(0)));
    return Value(std::move(out));
  };
  auto old_split = lib["split"];
  lib["split"] = [old_split](Call& c) {
    if (c.receiver && c.has(1)) {
      Value first = c.arg(0), second = c.arg(1);
      if (is_regex_object(first) && second.is_string())
        return regex_split(regex_of(first), second.as_string(), int_argument(c, 2, "maxSplit", 0));
      if (first.is_string() && is_regex_object(second))
        return regex_split(regex_of(second), first.as_string(), int_argument(c, 2, "maxSplit", 0));
    }
    return old_split(c);
  };
  auto old_replace = lib["replace"];
  lib["replace"] = [old_replace](Call& c) {
    if (c.receiver && c.has(2)) {
      Value first = c.arg(0), second = c.arg(1);
      bool regex_receiver = is_regex_object(first) && second.is_string();
      bool regex_argument = first.is_string() && is_regex_object(second);
      if (regex_receiver || regex_argument) {
        Value repl = c.arg(2);
        if (!repl.is_string()) no_match("replace");
        std::string text = regex_receiver ? second.as_string() : first.as_string();
        std::regex re = regex_of(regex_receiver ? first : second);
        std::string r = repl.as_string();
        return Value(regex_replace(re, text, int_argument(c, 3, "count", 0),
                                   [&](const std::smatch& m) { return expand(r, m); }));
      }
    }
    return old_replace(c);
  };
  lib["replaceBy"] = [](Call& c) {
    if (!c.receiver || !c.has(2)) no_match("replaceBy");
    Value first = c.arg(0), second = c.arg(1);
    bool regex_receiver = is_regex_object(first) && second.is_string();
    if (!regex_receiver && !(first.is_string() && is_regex_object(second))) no_match("replaceBy");
    std::string text = regex_receiver ? second.as_string() : first.as_string();
    std::regex re = regex_of(regex_receiver ? first : second);
    const Node* selector = c.node(2);
    return Value(regex_replace(re, text, int_argument(c, 3, "count", 0), [&](const std::smatch& m) {
      Value v = apply_selector(c, *selector, m, text);
      if (!v.is_string()) throw EvalError("replaceBy: the replacement must be a string, got " +
                                          std::string(v.type_name()));
      return v.as_string();
    }));
  };
}

}  // namespace bora::expr::yaql
