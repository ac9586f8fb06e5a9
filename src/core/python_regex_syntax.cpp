#include "bora/core/python_regex_syntax.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "bora/core/utf8.h"

namespace bora {

namespace {

// Python's MAXREPEAT: widths past it are "unbounded".
constexpr uint64_t kUnbounded = 0xFFFFFFFFull;

uint64_t add_width(uint64_t a, uint64_t b) { return std::min(kUnbounded, a + b); }
uint64_t mul_width(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a >= kUnbounded || b >= kUnbounded || a > kUnbounded / b) return kUnbounded;
  return a * b;
}

struct Width {
  uint64_t min = 0, max = 0;
};

enum class GroupKind { Capture, NonCapture, Lookahead, Lookbehind, Atomic, Conditional, Scoped };

// An open group: where it started, what it is, the widths of its closed
// branches and of the branch being read.
struct Frame {
  size_t pos = 0;  // of its '('
  GroupKind kind = GroupKind::NonCapture;
  int number = 0;  // capture groups
  bool any_branch = false;
  Width branches{kUnbounded, 0};  // min over branches, max over branches
  Width current;
  int bars = 0;  // '|' seen (conditionals allow one)
};

// What the item just read can take: a repeat or not.
enum class Last { Nothing, Item, Repeat, Anchor };

bool is_ascii_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_octal(char32_t c) { return c >= '0' && c <= '7'; }
bool is_hex(char32_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// str.isidentifier() for group names; non-ASCII letters are allowed (as in
// Python) without Unicode's full XID tables: any non-ASCII character passes.
bool is_identifier(const std::u32string& s) {
  if (s.empty() || is_digit(s[0])) return false;
  for (char32_t c : s)
    if (!(is_ascii_letter(c) || is_digit(c) || c == '_' || c > 0x7F)) return false;
  return true;
}

class Checker {
 public:
  explicit Checker(std::string_view pattern) : text_(pattern) {
    for (const auto& ch : utf8_characters(pattern)) {
      // utf8_characters keeps one character per code point; decode it.
      unsigned char b = static_cast<unsigned char>(ch[0]);
      char32_t c = b;
      if (ch.size() == 2) c = ((b & 0x1F) << 6) | (ch[1] & 0x3F);
      if (ch.size() == 3) c = ((b & 0x0F) << 12) | ((ch[1] & 0x3F) << 6) | (ch[2] & 0x3F);
      if (ch.size() == 4) c = ((b & 0x07) << 18) | ((ch[1] & 0x3F) << 12) | ((ch[2] & 0x3F) << 6) | (ch[3] & 0x3F);
      p_.push_back(c);
      raw_.push_back(ch);
    }
  }

  std::optional<std::string> run() {
    frames_.push_back(Frame{});  // the whole pattern
    size_t i = 0;
    while (i < p_.size()) {
      if (error_) return error_;
      char32_t c = p_[i];
      if (verbose_ && is_space(c)) {
        ++i;
        continue;
      }
      if (verbose_ && c == '#') {
        while (i < p_.size() && p_[i] != '\n') ++i;
        continue;
      }
      switch (c) {
        case '|':
          end_branch();
          ++frames_.back().bars;
          if (frames_.back().kind == GroupKind::Conditional && frames_.back().bars > 1)
            return fail("conditional backref with more than two branches", i);
          last_ = Last::Nothing;
          ++i;
          break;
        case '(':
          i = open_group(i);
          break;
        case ')':
          if (frames_.size() == 1) return fail("unbalanced parenthesis", i);
          close_group();
          ++i;
          break;
        case '[':
          i = read_set(i);
          break;
        case '*':
        case '+':
        case '?':
          i = read_repeat(i, c == '+' ? 1 : 0, c == '?' ? 1 : kUnbounded, i + 1);
          break;
        case '{': {
          size_t after = 0;
          uint64_t lo = 0, hi = 0;
          if (read_braces(i, lo, hi, after)) {
            i = read_repeat(i, lo, hi, after);
          } else {
            item({1, 1});
            ++i;
          }
          break;
        }
        case '^':
        case '$':
          item({0, 0}, Last::Anchor);
          ++i;
          break;
        case '\\':
          i = read_escape(i);
          break;
        default:
          item({1, 1});
          ++i;
      }
      if (!error_ && c != '(' && c != '|') global_flags_allowed_ = false;
    }
    if (error_) return error_;
    if (frames_.size() > 1) return fail("missing ), unterminated subpattern", frames_.back().pos);
    return std::nullopt;
  }

 private:
  std::optional<std::string> fail(std::string message, std::optional<size_t> pos) {
    if (error_) return error_;
    if (!pos) {
      error_ = std::move(message);
      return error_;
    }
    // Python adds the line and column when the pattern has several lines.
    bool lines = std::find(p_.begin(), p_.end(), U'\n') != p_.end();
    if (!lines) {
      error_ = fmt::format("{} at position {}", message, *pos);
    } else {
      size_t line = 1, column = 1;
      for (size_t k = 0; k < *pos && k < p_.size(); ++k) {
        if (p_[k] == '\n') {
          ++line;
          column = 1;
        } else {
          ++column;
        }
      }
      error_ = fmt::format("{} at position {} (line {}, column {})", message, *pos, line, column);
    }
    return error_;
  }

  std::string source(size_t from, size_t to) const {
    std::string s;
    for (size_t k = from; k < to && k < raw_.size(); ++k) s += raw_[k];
    return s;
  }

  void item(Width w, Last kind = Last::Item) {
    Frame& f = frames_.back();
    f.current.min = add_width(f.current.min, w.min);
    f.current.max = add_width(f.current.max, w.max);
    last_width_ = w;
    last_ = kind;
  }

  void end_branch() {
    Frame& f = frames_.back();
    f.branches.min = std::min(f.branches.min, f.current.min);
    f.branches.max = std::max(f.branches.max, f.current.max);
    f.any_branch = true;
    f.current = {};
  }

  void close_group() {
    end_branch();
    Frame f = frames_.back();
    frames_.pop_back();
    Width w = f.branches;
    if (f.kind == GroupKind::Conditional && f.bars == 0) w.min = 0;  // no "no" branch: may match nothing
    if (f.kind == GroupKind::Lookbehind && w.min != w.max) {
      fail("look-behind requires fixed-width pattern", std::nullopt);
      return;
    }
    if (f.kind == GroupKind::Capture) {
      closed_.insert(f.number);
      widths_[f.number] = w;
    }
    if (f.kind == GroupKind::Lookahead || f.kind == GroupKind::Lookbehind) w = {0, 0};
    item(w);
  }

  // (…: every kind of group, or a whole (?P=name), (?#...), (?flags).
  size_t open_group(size_t i) {
    size_t n = p_.size();
    Frame f;
    f.pos = i;
    if (i + 1 < n && p_[i + 1] == '?') {
      size_t k = i + 2;
      if (k >= n) return fail("unexpected end of pattern", k), n;
      char32_t c = p_[k];
      if (c == ':') {
        f.kind = GroupKind::NonCapture;
        return push(f, k + 1);
      }
      if (c == '=' || c == '!') {
        f.kind = GroupKind::Lookahead;
        return push(f, k + 1);
      }
      if (c == '>') {
        f.kind = GroupKind::Atomic;
        return push(f, k + 1);
      }
      if (c == '<') {
        if (k + 1 >= n) return fail("unexpected end of pattern", k + 1), n;
        if (p_[k + 1] == '=' || p_[k + 1] == '!') {
          f.kind = GroupKind::Lookbehind;
          return push(f, k + 2);
        }
        return fail("unknown extension ?<" + source(k + 1, k + 2), i + 1), n;
      }
      if (c == '#') {
        size_t close = k + 1;
        while (close < n && p_[close] != ')') ++close;
        if (close >= n) return fail("missing ), unterminated comment", i), n;
        return close + 1;  // a comment is nothing: the item before it may still repeat
      }
      if (c == 'P') {
        if (k + 1 >= n) return fail("unexpected end of pattern", k + 1), n;
        if (p_[k + 1] == '<') {
          size_t start = k + 2, end = start;
          while (end < n && p_[end] != '>') ++end;
          if (end >= n) return fail("missing >, unterminated name", start), n;
          std::u32string name(p_.begin() + start, p_.begin() + end);
          if (name.empty()) return fail("missing group name", start), n;
          if (!is_identifier(name)) return fail("bad character in group name '" + source(start, end) + "'", start), n;
          f.kind = GroupKind::Capture;
          f.number = ++groups_;
          if (auto it = names_.find(name); it != names_.end())
            return fail(fmt::format("redefinition of group name '{}' as group {}; was group {}", source(start, end),
                                    f.number, it->second),
                        start),
                   n;
          names_[name] = f.number;
          return push(f, end + 1);
        }
        if (p_[k + 1] == '=') {
          size_t start = k + 2, end = start;
          while (end < n && p_[end] != ')') ++end;
          if (end >= n) return fail("missing ), unterminated name", start), n;
          std::u32string name(p_.begin() + start, p_.begin() + end);
          if (name.empty()) return fail("missing group name", start), n;
          if (!is_identifier(name)) return fail("bad character in group name '" + source(start, end) + "'", start), n;
          auto it = names_.find(name);
          if (it == names_.end()) return fail("unknown group name '" + source(start, end) + "'", start), n;
          if (!closed_.count(it->second)) return fail("cannot refer to an open group", start), n;
          item(widths_[it->second]);
          return end + 1;
        }
        return fail("unknown extension ?P" + source(k + 1, k + 2), i + 1), n;
      }
      if (c == '(') {
        size_t start = k + 1, end = start;
        while (end < n && p_[end] != ')') ++end;
        if (end >= n) return fail("missing ), unterminated name", start), n;
        std::u32string cond(p_.begin() + start, p_.begin() + end);
        if (cond.empty()) return fail("missing group name", start), n;
        if (std::all_of(cond.begin(), cond.end(), is_digit)) {
          uint64_t number = 0;
          for (char32_t d : cond) number = std::min<uint64_t>(number * 10 + (d - '0'), kUnbounded);
          if (number == 0) return fail("bad group number", start), n;
          if (number > static_cast<uint64_t>(groups_))
            return fail("invalid group reference " + source(start, end), start), n;
        } else {
          if (!is_identifier(cond)) return fail("bad character in group name '" + source(start, end) + "'", start), n;
          if (!names_.count(cond)) return fail("unknown group name '" + source(start, end) + "'", start), n;
        }
        f.kind = GroupKind::Conditional;
        return push(f, end + 1);
      }
      return read_flags(i, k);
    }
    f.kind = GroupKind::Capture;
    f.number = ++groups_;
    return push(f, i + 1);
  }

  size_t push(Frame f, size_t next) {
    frames_.push_back(f);
    last_ = Last::Nothing;
    return next;
  }

  // (?aiLmsux-imsx:...) or (?aiLmsux): k is the first flag.
  size_t read_flags(size_t i, size_t k) {
    const std::u32string on_flags = U"aiLmsux", off_flags = U"imsx";
    size_t n = p_.size();
    std::set<char32_t> on, off;
    if (on_flags.find(p_[k]) == std::u32string::npos && p_[k] != '-')
      return fail("unknown extension ?" + source(k, k + 1), i + 1), n;
    while (k < n && on_flags.find(p_[k]) != std::u32string::npos) {
      if (p_[k] == 'L') return fail("bad inline flags: cannot use 'L' flag with a str pattern", k + 1), n;
      on.insert(p_[k++]);
    }
    if (k >= n) return fail("missing -, : or )", k), n;
    if (p_[k] == ')') {
      // Global flags: only at the start of the pattern.
      if (!global_flags_allowed_ || frames_.size() > 1)
        return fail("global flags not at the start of the expression", i), n;
      if (on.count('x')) verbose_ = true;
      return k + 1;  // not an item: a repeat after it has nothing to repeat
    }
    if (p_[k] == '-') {
      ++k;
      if (k >= n) return fail("missing flag", k), n;
      if (off_flags.find(p_[k]) == std::u32string::npos) {
        if (on_flags.find(p_[k]) != std::u32string::npos)
          return fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", k + 1), n;
        return fail("missing flag", k), n;
      }
      while (k < n && off_flags.find(p_[k]) != std::u32string::npos) off.insert(p_[k++]);
      if (k >= n) return fail("missing :", k), n;
      if (p_[k] != ':') return fail(is_ascii_letter(p_[k]) ? "unknown flag" : "missing :", k), n;
    } else if (p_[k] != ':') {
      return fail(is_ascii_letter(p_[k]) ? "unknown flag" : "missing -, : or )", k), n;
    }
    for (char32_t c : on)
      if (off.count(c)) return fail("bad inline flags: flag turned on and off", k), n;
    Frame f;
    f.pos = i;
    f.kind = GroupKind::Scoped;
    // (?x:...) is verbose inside only; rare enough to read the rest as is.
    return push(f, k + 1);
  }

  // {m,n} at i: true (with the bounds and the index after '}') when it is
  // a repeat; otherwise '{' is a literal.
  bool read_braces(size_t i, uint64_t& lo, uint64_t& hi, size_t& after) {
    size_t n = p_.size(), k = i + 1;
    if (k < n && p_[k] == '}') return false;
    size_t lo_start = k;
    while (k < n && is_digit(p_[k])) ++k;
    size_t lo_end = k;
    size_t hi_start = k, hi_end = k;
    bool comma = k < n && p_[k] == ',';
    if (comma) {
      hi_start = ++k;
      while (k < n && is_digit(p_[k])) ++k;
      hi_end = k;
    }
    if (k >= n || p_[k] != '}') return false;
    if (lo_end == lo_start && !comma) return false;
    auto number = [&](size_t a, size_t b) {
      uint64_t v = 0;
      for (size_t x = a; x < b; ++x) v = std::min<uint64_t>(v * 10 + (p_[x] - '0'), kUnbounded + 1);
      return v;
    };
    lo = lo_end > lo_start ? number(lo_start, lo_end) : 0;
    hi = comma ? (hi_end > hi_start ? number(hi_start, hi_end) : kUnbounded) : lo;
    if (lo > kUnbounded - 1 || (hi != kUnbounded && hi > kUnbounded - 1)) {
      fail("the repetition number is too large", std::nullopt);
      return false;
    }
    if (hi < lo) {
      fail("min repeat greater than max repeat", i + 1);
      return false;
    }
    after = k + 1;
    return true;
  }

  size_t read_repeat(size_t i, uint64_t lo, uint64_t hi, size_t after) {
    if (last_ == Last::Nothing || last_ == Last::Anchor) return fail("nothing to repeat", i), p_.size();
    if (last_ == Last::Repeat) return fail("multiple repeat", i), p_.size();
    // The repeated item's width replaces its single width.
    Frame& f = frames_.back();
    f.current.min = f.current.min - last_width_.min + mul_width(last_width_.min, lo);
    f.current.max = f.current.max >= kUnbounded ? kUnbounded
                                                : add_width(f.current.max - last_width_.max, mul_width(last_width_.max, hi));
    last_ = Last::Repeat;
    // A lazy '?' or a possessive '+' belongs to this repeat; one of them.
    if (after < p_.size() && (p_[after] == '?' || p_[after] == '+')) ++after;
    return after;
  }

  // \x at i outside a set.
  size_t read_escape(size_t i) {
    size_t n = p_.size();
    if (i + 1 >= n) return fail("bad escape (end of pattern)", i), n;
    char32_t c = p_[i + 1];
    if (c == 'A' || c == 'Z' || c == 'b' || c == 'B') {
      item({0, 0}, Last::Anchor);
      return i + 2;
    }
    if (c == 'd' || c == 'D' || c == 's' || c == 'S' || c == 'w' || c == 'W') {
      item({1, 1});
      return i + 2;
    }
    if (is_digit(c)) {
      if (c == '0') {
        size_t k = i + 2;
        while (k < n && k < i + 4 && is_octal(p_[k])) ++k;
        item({1, 1});
        return k;
      }
      // Three octal digits: a character; else a group reference of one or
      // two digits.
      if (i + 3 < n && is_octal(c) && is_octal(p_[i + 2]) && is_octal(p_[i + 3])) {
        int v = (c - '0') * 64 + (p_[i + 2] - '0') * 8 + (p_[i + 3] - '0');
        if (v > 0377)
          return fail("octal escape value " + source(i, i + 4) + " outside of range 0-0o377", i), n;
        item({1, 1});
        return i + 4;
      }
      size_t k = i + 1;
      int number = c - '0';
      if (k + 1 < n && is_digit(p_[k + 1])) number = number * 10 + (p_[++k] - '0');
      if (number > groups_) return fail(fmt::format("invalid group reference {}", number), i + 1), n;
      if (!closed_.count(number)) return fail("cannot refer to an open group", i), n;
      item(widths_[number]);
      return k + 1;
    }
    size_t end = 0;
    if (!read_code_escape(i, end)) return n;
    if (end) {
      item({1, 1});
      return end;
    }
    if (c < 0x80 && is_ascii_letter(c)) return fail("bad escape " + source(i, i + 2), i), n;
    item({1, 1});
    return i + 2;
  }

  // \x.. \u.... \U........ \N{...} and the letters that stand for one
  // character (\a \f \n \r \t \v): `end` gets the index after the escape
  // (0 when this is none of them); false after an error.
  bool read_code_escape(size_t i, size_t& end) {
    size_t n = p_.size();
    char32_t c = p_[i + 1];
    end = 0;
    auto hex_run = [&](size_t want) {
      size_t k = i + 2;
      while (k < n && k < i + 2 + want && is_hex(p_[k])) ++k;
      if (k - (i + 2) != want) {
        fail("incomplete escape " + source(i, k), i);
        return false;
      }
      end = k;
      return true;
    };
    if (c == 'x') return hex_run(2);
    if (c == 'u') return hex_run(4);
    if (c == 'U') {
      if (!hex_run(8)) return false;
      uint64_t v = 0;
      for (size_t k = i + 2; k < end; ++k) v = v * 16 + (is_digit(p_[k]) ? p_[k] - '0' : (p_[k] | 0x20) - 'a' + 10);
      if (v > 0x10FFFF) {
        fail("bad escape " + source(i, end), i);
        return false;
      }
      return true;
    }
    if (c == 'N') {
      if (i + 2 >= n || p_[i + 2] != '{') {
        fail("missing {", i + 2);
        return false;
      }
      size_t k = i + 3;
      while (k < n && p_[k] != '}') ++k;
      if (k == i + 3) {
        fail("missing character name", i + 3);
        return false;
      }
      if (k >= n) {
        fail("missing }, unterminated name", i + 3);
        return false;
      }
      end = k + 1;
      return true;
    }
    if (c == 'a' || c == 'f' || c == 'n' || c == 'r' || c == 't' || c == 'v') end = i + 2;
    return true;
  }

  // [...] at i.
  size_t read_set(size_t i) {
    size_t n = p_.size(), k = i + 1;
    if (k < n && p_[k] == '^') ++k;
    bool first = true;
    while (true) {
      if (k >= n) return fail("unterminated character set", i), n;
      if (p_[k] == ']' && !first) break;
      first = false;
      size_t start = k;
      bool start_is_class = false;
      uint32_t lo = 0;
      if (!set_item(k, lo, start_is_class)) return n;
      if (k < n && p_[k] == '-') {
        if (k + 1 >= n) return fail("unterminated character set", i), n;
        if (p_[k + 1] == ']') continue;  // a '-' at the end is itself
        ++k;
        uint32_t hi = 0;
        bool end_is_class = false;
        size_t hi_start = k;
        if (!set_item(k, hi, end_is_class)) return n;
        if (start_is_class || end_is_class || hi < lo)
          return fail("bad character range " + source(start, hi_start - 1) + "-" + source(hi_start, k), start), n;
      }
    }
    item({1, 1});
    return k + 1;
  }

  // One member of a set at k (advanced past it): its code point, or a class.
  bool set_item(size_t& k, uint32_t& code, bool& is_class) {
    size_t n = p_.size();
    is_class = false;
    if (p_[k] != '\\') {
      code = p_[k++];
      return true;
    }
    if (k + 1 >= n) {
      fail("bad escape (end of pattern)", k);
      return false;
    }
    char32_t c = p_[k + 1];
    if (c == 'd' || c == 'D' || c == 's' || c == 'S' || c == 'w' || c == 'W') {
      is_class = true;
      k += 2;
      return true;
    }
    if (c == 'b') {
      code = 8;
      k += 2;
      return true;
    }
    if (is_octal(c)) {
      size_t e = k + 1;
      uint32_t v = 0;
      while (e < n && e < k + 4 && is_octal(p_[e])) v = v * 8 + (p_[e++] - '0');
      if (v > 0377) {
        fail("octal escape value " + source(k, e) + " outside of range 0-0o377", k);
        return false;
      }
      code = v;
      k = e;
      return true;
    }
    size_t end = 0;
    if (!read_code_escape(k, end)) return false;
    if (end) {
      code = escape_value(k, end);
      k = end;
      return true;
    }
    if (c < 0x80 && (is_ascii_letter(c) || is_digit(c))) {
      fail("bad escape " + source(k, k + 2), k);
      return false;
    }
    code = c;
    k += 2;
    return true;
  }

  uint32_t escape_value(size_t k, size_t end) const {
    char32_t c = p_[k + 1];
    switch (c) {
      case 'a': return 7;
      case 'f': return 12;
      case 'n': return 10;
      case 'r': return 13;
      case 't': return 9;
      case 'v': return 11;
      case 'N': return 0;  // names are not looked up
      default: break;
    }
    uint32_t v = 0;
    for (size_t x = k + 2; x < end; ++x) v = v * 16 + (is_digit(p_[x]) ? p_[x] - '0' : (p_[x] | 0x20) - 'a' + 10);
    return v;
  }

  std::string_view text_;
  std::u32string p_;
  std::vector<std::string> raw_;
  std::vector<Frame> frames_;
  std::optional<std::string> error_;
  Last last_ = Last::Nothing;
  Width last_width_;
  int groups_ = 0;
  std::set<int> closed_;
  std::map<int, Width> widths_;
  std::map<std::u32string, int> names_;
  bool verbose_ = false;
  bool global_flags_allowed_ = true;
};

}  // namespace

std::optional<std::string> python_regex_syntax_error(std::string_view pattern) { return Checker(pattern).run(); }

}  // namespace bora
