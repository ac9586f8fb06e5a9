#include "parser.h"

#include "bora/core/python_int.h"
#include "bora/core/python_escapes.h"

#include <fmt/format.h>

#include "bora/core/limits.h"
#include "bora/core/utf8.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "bora/core/python_unicode.h"

namespace bora::expr::yaql {

namespace {


enum class Tok { End, Number, String, Word, Func, Dollar, Op, LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma };

struct Token {
  Tok type = Tok::End;
  std::string text;
  Value value;
  size_t pos = 0;
};

class SyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The bytes of the character at s[i] when it is one of Python's \w (a
// letter or number, str.isalnum(), or '_'; start: [^\W\d], no decimal
// digit), else 0. A byte that starts no valid UTF-8 sequence counts as one.
size_t word_at(std::string_view s, size_t i, bool start = false) {
  if (i >= s.size()) return 0;
  unsigned char c = s[i];
  if (c < 0x80) return (start ? std::isalpha(c) : std::isalnum(c)) || c == '_' ? 1 : 0;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (n == 1 || i + n > s.size()) return 1;
  std::string_view ch = s.substr(i, n);
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(ch[k]) & 0xC0) != 0x80) return 1;
  if (!python_str_is(ch, PythonCharClass::Alnum)) return 0;
  return start && python_str_is(ch, PythonCharClass::Decimal) ? 0 : n;
}

// yaql's decode_escapes: the escapes its lexer's pattern matches (\U and 8
// characters, \u and 4, \x and 2, 1 to 3 octal digits, \N{name}, one of
// \\ \' \" a b f n r t v), each decoded by Python's unicode-escape codec
// (a malformed one is the codec's error); any other backslash stays.
std::string decode_escapes(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[i + 1];
    size_t len = 0;  // of the escape the pattern matches, backslash included
    auto chars_after = [&](size_t n) {
      // n characters (not bytes) after "\c"
      size_t k = i + 2;
      for (size_t m = 0; m < n; ++m) {
        if (k >= s.size()) return size_t(0);
        std::string_view ch = utf8_character_at(s, k);
        k += ch.empty() ? 1 : ch.size();
      }
      return k - i;
    };
    if (c == 'U') len = chars_after(8);
    else if (c == 'u') {
      len = chars_after(4);
    }
    else if (c == 'x') len = chars_after(2);
    else if (c >= '0' && c <= '7') {
      len = 2;
      while (len < 4 && i + len < s.size() && s[i + len] >= '0' && s[i + len] <= '7') ++len;
    } else if (c == 'N') {
      size_t close = s.find('}', i + 2);
      if (i + 2 < s.size() && s[i + 2] == '{' && close != std::string_view::npos && close > i + 3) len = close + 1 - i;
    } else if (std::string_view("\\'\"abfnrtv").find(c) != std::string_view::npos) {
      len = 2;
    }
    if (len == 0) {
      out += '\\';  // not an escape to yaql: kept as written
      continue;
    }
    auto decoded = python_unicode_escape_decode(s.substr(i, len));
    if (!decoded) throw SyntaxError(decoded.error().message);
    out += *decoded;
    i += len - 1;
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : s_(src) {}

  std::string_view source() const { return s_; }
  // A byte offset as yaql (Python) counts positions: in characters.
  size_t char_pos(size_t byte) const {
    size_t n = 0;
    for (size_t i = 0; i < byte && i < s_.size(); ++i)
      if ((static_cast<unsigned char>(s_[i]) & 0xC0) != 0x80) ++n;
    return n;
  }

  // yaql's NUMBER token, `\b\d+(\.?\d+)?\b`, as Python's regex engine
  // matches it (greedy, backtracking): where it ends, or 0 when it does not
  // match, which is yaql's lexical error at the first digit (`2x`, `1e20`,
  // `3_000`; `1.5e3` is the number 1, `.` and an error at `5`).
  size_t number_end(size_t start) const {
    auto digit = [&](size_t i) { return i < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i])); };
    auto boundary = [&](size_t i) { return word_at(s_, i) == 0; };
    size_t run = start;
    while (digit(run)) ++run;
    for (size_t k = run; k > start; --k) {  // \d+, longest first
      // (\.?\d+)?: the group with its dot, then without, then left out.
      for (int with_dot = 1; with_dot >= 0; --with_dot) {
        size_t from = k;
        if (with_dot) {
          if (from >= s_.size() || s_[from] != '.') continue;
          ++from;
        }
        size_t last = from;
        while (digit(last)) ++last;
        for (size_t e = last; e > from; --e)
          if (boundary(e)) return e;
      }
      if (boundary(k)) return k;
    }
    return 0;
  }

  Token next() {
    // yaql's lexer ignores ' \t\r\n' (t_ignore), no other space.
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) ++pos_;
    Token t;
    t.pos = pos_;
    if (pos_ >= s_.size()) return t;
    unsigned char c = s_[pos_];
    if (std::isdigit(c)) {
      size_t start = pos_;
      size_t end = number_end(start);
      if (end == 0)
        throw SyntaxError(
            fmt::format("Lexical error: illegal character '{}' at position {}", static_cast<char>(c), char_pos(start)));
      pos_ = end;
      std::string text(s_.substr(start, pos_ - start));
      bool is_float = text.find('.') != std::string::npos;
      t.type = Tok::Number;
      t.text = text;
      if (is_float) {
        t.value = Value(std::strtod(text.c_str(), nullptr));
      } else {
        // Python's ints have any size (up to the digits Python reads).
        auto v = python_int::parse(text, 10);
        if (!v) throw SyntaxError(fmt::format("{} (at {})", v.error().message, start));
        t.value = **v;
      }
      return t;
    }
    if (c == '\'' || c == '"' || c == '`') {
      char q = static_cast<char>(c);
      size_t start = pos_++;
      std::string raw;
      while (pos_ < s_.size() && s_[pos_] != q) {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
          raw += s_[pos_++];
        }
        raw += s_[pos_++];
      }
      if (pos_ >= s_.size()) throw SyntaxError(fmt::format("Lexical error: illegal character '{}' at position {}", q, char_pos(start)));
      ++pos_;
      t.type = Tok::String;
      if (q == '`') {
        std::string v;
        for (size_t i = 0; i < raw.size(); ++i) {
          if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == '`') ++i;
          v += raw[i];
        }
        t.value = Value(v);
      } else {
        t.value = Value(decode_escapes(raw));
      }
      return t;
    }
    if (c == '$') {
      size_t start = pos_++;
      while (size_t n = word_at(s_, pos_)) pos_ += n;
      t.type = Tok::Dollar;
      t.text = std::string(s_.substr(start, pos_ - start));
      return t;
    }
    if (word_at(s_, pos_, true)) {
      size_t start = pos_;
      while (size_t n = word_at(s_, pos_)) pos_ += n;
      t.text = std::string(s_.substr(start, pos_ - start));
      if (pos_ < s_.size() && s_[pos_] == '(') {
        ++pos_;
        t.type = Tok::Func;
        return t;
      }
      // yaql's KEYWORD_STRING refuses a name that starts with "__"
      // (`(?!__)`): `$.__env` is a lexical error there (a function or
      // `$__x` is not).
      if (t.text.size() >= 2 && t.text[0] == '_' && t.text[1] == '_')
        throw SyntaxError(fmt::format("Lexical error: illegal character '_' at position {}", char_pos(start)));
      if (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "in" || t.text == "mod") {
        t.type = Tok::Op;
        return t;
      }
      t.type = Tok::Word;
      if (t.text == "true") t.value = Value(true);
      else if (t.text == "false") t.value = Value(false);
      return t;
    }
    static const char* const ops[] = {"=>", "->", "?.", "=~", "!~", ">=", "<=", "!=", ".", "+", "-", "*", "/", ">", "<", "="};
    for (const char* op : ops) {
      size_t n = std::char_traits<char>::length(op);
      if (s_.substr(pos_, n) == op) {
        pos_ += n;
        t.type = Tok::Op;
        t.text = op;
        return t;
      }
    }
    ++pos_;
    switch (c) {
      case '(': t.type = Tok::LParen; return t;
      case ')': t.type = Tok::RParen; return t;
      case '[': t.type = Tok::LBracket; return t;
      case ']': t.type = Tok::RBracket; return t;
      case '{': t.type = Tok::LBrace; return t;
      case '}': t.type = Tok::RBrace; return t;
      case ',': t.type = Tok::Comma; return t;
      default: break;
    }
    // The whole character (a no-break space, a curly quote), as Python shows it.
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    throw SyntaxError(fmt::format("Lexical error: illegal character '{}' at position {}",
                                  s_.substr(t.pos, std::min(len, s_.size() - t.pos)), char_pos(t.pos)));
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// Binding powers, from yaql's operator table (higher binds tighter).
int binary_power(const std::string& op) {
  if (op == "->") return 10;
  if (op == "or") return 20;
  if (op == "and") return 30;
  // not: 40 (prefix)
  if (op == ">" || op == "<" || op == ">=" || op == "<=" || op == "!=" || op == "=" || op == "in") return 50;
  if (op == "+" || op == "-") return 60;
  if (op == "*" || op == "/" || op == "mod") return 70;
  if (op == "=~" || op == "!~") return 80;
  // unary + -: 90
  // [] {}: 100 (postfix)
  if (op == "." || op == "?.") return 110;
  return -1;
}

class Parser {
 public:
  explicit Parser(std::string_view src) : lex_(src) { advance(); }

  NodePtr parse_all() {
    NodePtr n = expression(0);
    if (tok_.type != Tok::End) fail_unexpected();
    return n;
  }

 private:
  void advance() { tok_ = lex_.next(); }

  [[noreturn]] void fail_unexpected() {
    if (tok_.type == Tok::End) throw SyntaxError("Parse error: unexpected end of statement");
    std::string what = tok_.text.empty() ? describe(tok_.type) : tok_.text;
    throw SyntaxError(fmt::format("Parse error: unexpected '{}' at position {} of expression '{}'", what,
                                  lex_.char_pos(tok_.pos), lex_.source()));
  }
  static std::string describe(Tok t) {
    switch (t) {
      case Tok::LParen: return "(";
      case Tok::RParen: return ")";
      case Tok::LBracket: return "[";
      case Tok::RBracket: return "]";
      case Tok::LBrace: return "{";
      case Tok::RBrace: return "}";
      case Tok::Comma: return ",";
      default: return "token";
    }
  }

  static NodePtr make(NodeKind k, std::string text, size_t pos) {
    auto n = std::make_unique<Node>();
    n->kind = k;
    n->text = std::move(text);
    n->position = pos;
    return n;
  }

  // Every recursive step of the parser, and every level of the tree it
  // builds (which the evaluator and the tree's destructor walk recursively),
  // counts against [expressions] max_depth: hostile input such as 100 000
  // `not` or `-`, or a chain $.a.a.a... of 100 000 steps, is refused here
  // instead of exhausting the stack.
  [[noreturn]] static void too_deep() {
    throw SyntaxError(fmt::format("nested deeper than {} levels (operators, brackets or function calls); "
                                  "simplify it or raise [expressions] max_depth",
                                  expression_max_depth()));
  }

  // Records the node's height once its arguments are in (chains such as
  // a+a+a+... or x[0][0][0]... grow the tree without recursing here).
  static NodePtr seal(NodePtr n) {
    int tallest = 0;
    for (const auto& a : n->args) tallest = std::max(tallest, a->height);
    n->height = tallest + 1;
    if (n->height > expression_max_depth()) too_deep();
    return n;
  }

  NodePtr expression(int min_power) {
    if (depth_ + 1 > expression_max_depth()) too_deep();
    if (stack_nearly_exhausted()) {
      throw SyntaxError(fmt::format("nested too deeply for this thread's stack ({} levels); simplify it", depth_ + 1));
    }
    ++depth_;
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    NodePtr left = prefix();
    while (true) {
      if (tok_.type == Tok::LBracket && 100 > min_power) {
        size_t pos = tok_.pos;
        advance();
        auto idx = make(NodeKind::Index, "", pos);
        idx->args.push_back(std::move(left));
        for (auto& a : arguments(Tok::RBracket)) idx->args.push_back(std::move(a));
        left = seal(std::move(idx));
        continue;
      }
      if (tok_.type != Tok::Op) break;
      std::string op = tok_.text;
      if (op == "=>") break;  // only inside argument lists
      int power = binary_power(op);
      if (power < 0 || power <= min_power) break;
      size_t pos = tok_.pos;
      advance();
      // -> is right associative; everything else left associative.
      NodePtr right = expression(op == "->" ? power - 1 : power);
      auto bin = make(NodeKind::Binary, op, pos);
      bin->args.push_back(std::move(left));
      bin->args.push_back(std::move(right));
      left = seal(std::move(bin));
    }
    return left;
  }

  NodePtr prefix() {
    Token t = tok_;
    switch (t.type) {
      case Tok::Number:
      case Tok::String: {
        advance();
        auto n = make(NodeKind::Constant, t.text, t.pos);
        n->value = t.value;
        return n;
      }
      case Tok::Word: {
        advance();
        if (t.text == "true" || t.text == "false" || t.text == "null") {
          auto n = make(NodeKind::Constant, t.text, t.pos);
          n->value = t.value;
          return n;
        }
        return make(NodeKind::Keyword, t.text, t.pos);
      }
      case Tok::Dollar: {
        advance();
        return make(NodeKind::Variable, t.text, t.pos);
      }
      case Tok::Func: {
        advance();
        auto call = make(NodeKind::Call, t.text, t.pos);
        call->overloads = find_overloads(call->text);
        for (auto& a : arguments(Tok::RParen)) call->args.push_back(std::move(a));
        return seal(std::move(call));
      }
      case Tok::LParen: {
        advance();
        auto wrap = make(NodeKind::Wrap, "", t.pos);
        wrap->args.push_back(expression(0));
        if (tok_.type != Tok::RParen) fail_unexpected();
        advance();
        return seal(std::move(wrap));
      }
      case Tok::LBracket: {
        advance();
        auto list = make(NodeKind::ListLiteral, "", t.pos);
        for (auto& a : arguments(Tok::RBracket)) list->args.push_back(std::move(a));
        return seal(std::move(list));
      }
      case Tok::LBrace: {
        advance();
        auto dict = make(NodeKind::DictLiteral, "", t.pos);
        for (auto& a : arguments(Tok::RBrace)) dict->args.push_back(std::move(a));
        return seal(std::move(dict));
      }
      case Tok::Op: {
        if (t.text == "-" || t.text == "+" || t.text == "not") {
          advance();
          auto u = make(NodeKind::Unary, t.text, t.pos);
          u->args.push_back(expression(t.text == "not" ? 40 : 90));
          return seal(std::move(u));
        }
        fail_unexpected();
      }
      default:
        fail_unexpected();
    }
  }

  // Arguments up to the closing token: values or `name => value`.
  std::vector<NodePtr> arguments(Tok close) {
    std::vector<NodePtr> out;
    if (tok_.type == close) {
      advance();
      return out;
    }
    while (true) {
      NodePtr value = expression(0);
      if (tok_.type == Tok::Op && tok_.text == "=>") {
        size_t pos = tok_.pos;
        advance();
        auto rule = make(NodeKind::MappingRule, "=>", pos);
        rule->args.push_back(std::move(value));
        rule->args.push_back(expression(0));
        value = seal(std::move(rule));
      }
      out.push_back(std::move(value));
      if (tok_.type == Tok::Comma) {
        advance();
        continue;
      }
      if (tok_.type == close) {
        advance();
        return out;
      }
      fail_unexpected();
    }
  }

  Lexer lex_;
  Token tok_;
  int depth_ = 0;
};

}  // namespace

Result<NodePtr> parse(std::string_view expression) {
  try {
    Parser p(expression);
    return p.parse_all();
  } catch (const SyntaxError& e) {
    return bad_input(e.what());
  } catch (const std::exception& e) {
    // A parser defect must cost the request, not the process: the fuzz
    // target found `{% elif %}` throwing std::out_of_range past the parser.
    return bad_input(std::string("the text could not be parsed: ") + e.what());
  }
}

}  // namespace bora::expr::yaql
