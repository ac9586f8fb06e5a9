// expr/yaql/library_regex: yaql's regex library (yaql/standard_library/
// regex.py): regex() objects and their methods matches, search, searchAll,
// split, replace, replaceBy, plus escapeRegex and isRegex. The string forms
// of split and replace stay in library_strings; a regex argument routes
// them here.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <type_traits>
#include <unordered_map>

#include "evaluator.h"
#include "bora/core/python_regex_syntax.h"
#include "python_regex.h"

namespace bora::expr::yaql {

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Python's \uXXXX and \UXXXXXXXX: exactly 4 or 8 hex digits, as PCRE2's \x{...}.
size_t translate_unicode_escape(std::string_view p, size_t i, std::string& out) {
  size_t digits = p[i + 1] == 'u' ? 4 : 8;
  if (i + 2 + digits > p.size() || !std::all_of(p.begin() + static_cast<long>(i) + 2,
                                                 p.begin() + static_cast<long>(i + 2 + digits), is_hex))
    throw EvalError(fmt::format("invalid regular expression '{}': incomplete escape \\{} at position {} (write "
                                "exactly {} hex digits)",
                                p, p[i + 1], i, digits));
  std::string_view hex = p.substr(i + 2, digits);
  unsigned long cp = std::stoul(std::string(hex), nullptr, 16);
  if (cp >= 0xD800 && cp <= 0xDFFF) {
    // A lone surrogate: matched as its private-use stand-in (core/regex.h).
    out += fmt::format("\\x{{{:x}}}", cp - 0xD800 + 0xF000);
    return i + 2 + digits;
  }
  out += "\\x{";
  out += hex;
  out += '}';
  return i + 2 + digits;
}

// (?aiLmsux) and (?aiLmsux-imsx:...): PCRE2 knows i, m, s, x; u (Unicode) is
// what every pattern here is anyway; a (ASCII-only) and L (locale) cannot be
// honoured. Returns the index after what was consumed, or npos when the
// group is not a flag group.
size_t translate_inline_flags(std::string_view p, size_t i, std::string& out) {
  size_t j = i + 2;
  std::string kept = "(?";
  while (j < p.size() && std::string_view("aiLmsux-").find(p[j]) != std::string_view::npos) {
    char f = p[j];
    if (f == 'a' || f == 'L')
      throw EvalError(fmt::format("regular expression '{}': the flag (?{}) at position {} is not supported (Bora's "
                                  "\\d, \\w and \\s are Unicode's); write the ASCII class instead, e.g. [0-9] "
                                  "or [A-Za-z0-9_]",
                                  p, f, i));
    if (f != 'u') kept += f;
    ++j;
  }
  if (j == i + 2 || j >= p.size() || (p[j] != ')' && p[j] != ':')) return std::string_view::npos;
  if (p[j] == ')' && kept == "(?") return j + 1;  // (?u): nothing left to say
  out += kept;
  out += p[j];
  return j + 1;
}

}  // namespace

std::string translate_python_regex(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < p.size();) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[i + 1];
      if (n == 'u' || n == 'U') {
        i = translate_unicode_escape(p, i, out);
      } else if (n == 'N') {
        throw EvalError(fmt::format("regular expression '{}': \\N{{...}} (a character by name) at position {} is "
                                    "not supported; write the character itself or \\uXXXX",
                                    p, i));
      } else if (n == 'Z' && !in_class) {  // Python's \Z is the very end: PCRE2's \z
        out += "\\z";
        i += 2;
      } else if (static_cast<unsigned char>(n) < 0x80) {
        out += p.substr(i, 2);
        i += 2;
      } else {  // an escaped non-ASCII character: the backslash, then all of its bytes below
        out += c;
        ++i;
      }
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      ++i;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      ++i;
      if (i < p.size() && p[i] == '^') out += p[i++];
      if (i < p.size() && p[i] == ']') out += p[i++];  // a literal ] first in a class
      continue;
    }
    if (c == '(' && p.compare(i, 2, "(?") == 0) {
      if (size_t next = translate_inline_flags(p, i, out); next != std::string_view::npos) {
        i = next;
        continue;
      }
    }
    if (c == '{' && i + 1 < p.size() && p[i + 1] == ',') {  // Python's {,n} is {0,n}
      size_t j = i + 2;
      while (j < p.size() && std::isdigit(static_cast<unsigned char>(p[j]))) ++j;
      if (j > i + 2 && j < p.size() && p[j] == '}') {
        out += "{0";
        ++i;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

namespace {

bool flag(const Call& c, const char* kw, size_t position) {
  for (const auto& [k, n] : c.kwargs)
    if (k == kw) return c.value_of(n).truthy();
  if (c.has(position)) return c.arg(position).truthy();
  return false;
}

// A limit reached or a text that is not UTF-8: the expression fails with
// core/regex's message (it names the pattern and the option to raise).
template <class T>
T checked(Result<T> r) {
  if (!r) throw EvalError(r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(r).value();
}

// Character offsets: yaql counts code points, PCRE2 bytes. Matches come
// left to right, so one cursor converts all of them in one pass over the
// text (not one pass per match).
class CharOffsets {
 public:
  explicit CharOffsets(const std::string& text) : text_(text) {}
  int64_t at(size_t byte) {
    byte = std::min(byte, text_.size());
    for (; byte_ < byte; ++byte_)
      if (starts_character(byte_)) ++chars_;
    // A group starts before the end of the match asked about just before:
    // step back over the few bytes between them.
    for (; byte_ > byte; --byte_)
      if (starts_character(byte_ - 1)) --chars_;
    return chars_;
  }

 private:
  bool starts_character(size_t i) const { return (static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80; }


  const std::string& text_;
  size_t byte_ = 0;
  int64_t chars_ = 0;
};

// yaql's _publish_match: $ and $1 are the whole match, $2... the groups,
// each {"value", "start", "end"}; the selector is evaluated in that scope.
Value apply_selector(const Call& c, const Node& selector, const RegexMatch& m, const std::string& text,
                     CharOffsets& offsets) {
  auto record = [&](size_t g) {
    if (!m.groups[g]) return Value::dict({{"value", Value()}, {"start", Value(-1)}, {"end", Value(-1)}});
    auto [begin, end] = *m.groups[g];
    int64_t start = offsets.at(begin);
    return Value::dict({{"value", Value(std::string(m.text(text, g)))},
                        {"start", Value(start)},
                        {"end", Value(offsets.at(end))}});
  };
  std::deque<Scope> scopes;
  scopes.push_back(Scope{c.scope, "$", record(0)});
  scopes.push_back(Scope{&scopes.back(), "1", record(0)});
  for (size_t g = 1; g < m.groups.size(); ++g) scopes.push_back(Scope{&scopes.back(), std::to_string(g + 1), record(g)});
  return c.ev.eval(selector, &scopes.back());
}

Value regex_split(const Regex& re, const std::string& s, int64_t max_split) {
  // Python's re.split: captured groups are included between the parts;
  // empty matches split too (Python 3.7+).
  std::vector<Value> parts;
  size_t last = 0;
  int64_t done = 0;
  checked(re.for_each_match(s, process_regex_limits(), [&](const RegexMatch& m) {
    if (max_split < 0 || (max_split > 0 && done >= max_split)) return false;  // Python: a negative maxsplit splits nothing
    parts.push_back(Value(s.substr(last, m.begin() - last)));
    for (size_t g = 1; g < m.groups.size(); ++g)
      parts.push_back(m.groups[g] ? Value(std::string(m.text(s, g))) : Value());
    last = m.end();
    ++done;
    return true;
  }));
  parts.push_back(Value(s.substr(last)));
  return python_lists(Value(std::move(parts)));  // re.split's list
}

// A group named in a template (\g<2>, \g<name>): its number, checked.
// `at`: where the reference's number or name starts in the template, as
// Python's message gives it (Bora's hint follows after ": ").
size_t template_group(const Regex& re, const RegexMatch& m, const std::string& ref, size_t at) {
  size_t g = 0;
  bool numeric = !ref.empty() && std::all_of(ref.begin(), ref.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) != 0;
  });
  if (numeric && ref.size() <= 9) {
    g = static_cast<size_t>(std::stoul(ref));
  } else if (auto named = re.group_number(ref)) {
    g = *named;
  } else {
    throw EvalError(fmt::format("unknown group name '{}': in the replacement of regular expression '{}'", ref,
                                re.pattern()));
  }
  if (g >= m.groups.size())
    throw EvalError(fmt::format("invalid group reference {} at position {}: in the replacement of regular "
                                "expression '{}' (it has {} groups)",
                                g, at, re.pattern(), m.groups.size() - 1));
  return g;
}

// Python's re.sub template: \1..\99, \g<n>, \g<name>, and \\ ; the rest literal.
std::string expand(const std::string& repl, const Regex& re, const RegexMatch& m, const std::string& text) {
  std::string out;
  for (size_t i = 0; i < repl.size(); ++i) {
    char ch = repl[i];
    if (ch != '\\' || i + 1 >= repl.size()) {
      out += ch;
      continue;
    }
    char n = repl[i + 1];
    if (std::isdigit(static_cast<unsigned char>(n))) {
      size_t j = i + 1;
      while (j < repl.size() && j < i + 3 && std::isdigit(static_cast<unsigned char>(repl[j]))) ++j;
      out += m.text(text, template_group(re, m, repl.substr(i + 1, j - i - 1), i + 1));
      i = j - 1;
    } else if (n == 'g' && i + 2 < repl.size() && repl[i + 2] == '<') {
      size_t close = repl.find('>', i + 3);
      if (close == std::string::npos)
        throw EvalError(fmt::format("missing > in \\g< at position {} of the replacement '{}'", i, repl));
      out += m.text(text, template_group(re, m, repl.substr(i + 3, close - i - 3), i + 3));
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
std::string regex_replace(const Regex& re, const std::string& s, int64_t count, Replace&& replacement) {
  std::string out;
  size_t last = 0;
  int64_t done = 0;
  checked(re.for_each_match(s, process_regex_limits(), [&](const RegexMatch& m) {
    if (count < 0 || (count > 0 && done >= count)) return false;  // Python: a negative count replaces nothing
    out.append(s, last, m.begin() - last);
    out += replacement(m);
    last = m.end();
    ++done;
    return true;
  }));
  out.append(s, last, std::string::npos);
  return out;
}

// Compiled patterns by flags and text, per thread (no lock on the hot path),
// bounded by [expressions] regex_cache_entries: a workflow's handful of
// patterns stay compiled, a flood of distinct ones only costs recompiling.
constexpr size_t kMaxCachedPatternBytes = 4096;

}  // namespace

namespace {

std::unordered_map<std::string, Regex>& thread_regex_cache() {
  thread_local std::unordered_map<std::string, Regex> cache;
  return cache;
}

}  // namespace

size_t cached_regex_patterns() { return thread_regex_cache().size(); }

Regex compile_python_regex(const std::string& pattern, RegexFlags flags) {
  auto& cache = thread_regex_cache();
  std::string key;
  key += flags.ignore_case ? 'i' : '-';
  key += flags.multi_line ? 'm' : '-';
  key += flags.dot_all ? 's' : '-';
  key += pattern;
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  // What Python's re refuses fails with re's own message, as on Mistral
  // ("nothing to repeat at position 0"); PCRE2's wording only for what
  // Python accepts and PCRE2 cannot compile.
  if (auto python = python_regex_syntax_error(pattern)) throw EvalError(*python);
  auto compiled = Regex::compile(translate_python_regex(pattern), {flags.ignore_case, flags.multi_line, flags.dot_all});
  if (!compiled) {
    // PCRE2 read the translated text; name the pattern as the user wrote it.
    std::string message = compiled.error().message;
    size_t colon = message.find("': ");
    throw EvalError(fmt::format("invalid regular expression '{}': {}", pattern,
                                colon == std::string::npos ? message : message.substr(colon + 3)));
  }
  if (pattern.size() <= kMaxCachedPatternBytes) {
    size_t bound = process_regex_limits().cache_entries;
    if (cache.size() >= bound) cache.clear();
    if (bound > 0) cache.emplace(std::move(key), *compiled);
  }
  return std::move(compiled).value();
}

bool regex_found(const Regex& re, const std::string& text) {
  return checked(re.search(text, 0, process_regex_limits())).has_value();
}

Value make_regex_object(const std::string& pattern, RegexFlags flags) {
  note_object_made();
  return Value::dict({{kRegexKey, Value::dict({{"pattern", Value(pattern)},
                                               {"ignoreCase", Value(flags.ignore_case)},
                                               {"multiLine", Value(flags.multi_line)},
                                               {"dotAll", Value(flags.dot_all)}})}});
}

bool is_regex_object(const Value& v) { return v.is_dict() && v.size() == 1 && v.find(kRegexKey); }

Regex regex_of(const Value& v) {
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
    if (is_regex_object(first) && second.is_string()) return Value(regex_found(regex_of(first), second.as_string()));
    if (!first.is_string() || !second.is_string()) no_method(c);  // no string.matches(regex) in yaql
    return old_matches(c);
  };
  lib["search"] = [](Call& c) {
    Value re = c.arg(0), text = c.arg(1);
    if (!c.receiver || !is_regex_object(re) || !text.is_string()) no_method(c);
    const std::string& s = text.as_string();
    auto m = checked(regex_of(re).search(s, 0, process_regex_limits()));
    if (!m) return Value();
    const Node* selector = c.has(2) ? c.node(2) : nullptr;
    if (!selector) return Value(std::string(m->text(s, 0)));
    CharOffsets offsets(s);
    return apply_selector(c, *selector, *m, s, offsets);
  };
  lib["searchAll"] = [](Call& c) {
    Value re = c.arg(0), text = c.arg(1);
    if (!c.receiver || !is_regex_object(re) || !text.is_string()) no_method(c);
    const std::string& s = text.as_string();
    const Node* selector = c.has(2) ? c.node(2) : nullptr;
    CharOffsets offsets(s);
    std::vector<Value> out;
    checked(regex_of(re).for_each_match(s, process_regex_limits(), [&](const RegexMatch& m) {
      out.push_back(selector ? apply_selector(c, *selector, m, s, offsets) : Value(std::string(m.text(s, 0))));
      return true;
    }));
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
        const std::string& text = regex_receiver ? second.as_string() : first.as_string();
        Regex re = regex_of(regex_receiver ? first : second);
        const std::string& r = repl.as_string();
        // Python's re.sub reads the whole template before it looks for a
        // match: a bad group reference fails on a text with no match too.
        RegexMatch unmatched;
        unmatched.groups.resize(re.group_count() + 1);
        expand(r, re, unmatched, text);
        return Value(regex_replace(re, text, int_argument(c, 3, "count", 0),
                                   [&](const RegexMatch& m) { return expand(r, re, m, text); }));
      }
    }
    return old_replace(c);
  };
  lib["replaceBy"] = [](Call& c) {
    if (!c.receiver || !c.has(2)) no_match("replaceBy");
    Value first = c.arg(0), second = c.arg(1);
    bool regex_receiver = is_regex_object(first) && second.is_string();
    if (!regex_receiver && !(first.is_string() && is_regex_object(second))) no_match("replaceBy");
    const std::string& text = regex_receiver ? second.as_string() : first.as_string();
    Regex re = regex_of(regex_receiver ? first : second);
    const Node* selector = c.node(2);
    CharOffsets offsets(text);
    return Value(regex_replace(re, text, int_argument(c, 3, "count", 0), [&](const RegexMatch& m) {
      Value v = apply_selector(c, *selector, m, text, offsets);
      if (!v.is_string()) throw EvalError("replaceBy: the replacement must be a string, got " +
                                          std::string(v.type_name()));
      return v.as_string();
    }));
  };
}

}  // namespace bora::expr::yaql
