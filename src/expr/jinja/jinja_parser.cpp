#include "jinja_parser.h"

#include <fmt/format.h>

#include "bora/core/limits.h"
#include "bora/core/python_escapes.h"
#include "bora/core/python_int.h"
#include "bora/core/utf8.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace bora::expr::jinja {

namespace {

class SyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Every recursive step of the parsers (and every level of the tree they
// build, which the evaluator and the tree's destructor walk recursively)
// counts against [expressions] max_depth: hostile input such as 100 000
// `not`, `-` or `|abs`, or 10 000 nested {% if %}, is refused here instead
// of exhausting the stack.
[[noreturn]] void too_deep(const char* what) {
  throw SyntaxError(fmt::format("nested deeper than {} levels ({}); simplify it or raise "
                                "[expressions] max_depth",
                                expression_max_depth(), what));
}

constexpr const char* kExpressionNesting = "operators, brackets, filters or attributes in one expression";

// Counts one level of recursion for as long as it lives.
class Nesting {
 public:
  Nesting(int& depth, const char* what) : depth_(depth) {
    if (++depth_ > expression_max_depth()) {
      --depth_;
      too_deep(what);
    }
    if (stack_nearly_exhausted()) {
      --depth_;
      throw SyntaxError(fmt::format("nested too deeply for this thread's stack ({} levels of {}); simplify it",
                                    depth_ + 1, what));
    }
  }
  ~Nesting() { --depth_; }
  Nesting(const Nesting&) = delete;
  Nesting& operator=(const Nesting&) = delete;

 private:
  int& depth_;
};

enum class T { End, Name, Int, Float, Str, Op };

struct Tok {
  T type = T::End;
  std::string text;
  Value value;
};

// `base`: the characters of the template before `s`, as Jinja's lexer
// counts the position of an unexpected character from the template's start.
std::vector<Tok> lex(std::string_view s, size_t base = 0) {
  std::vector<Tok> out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    // Jinja's lexer skips `\s+` of a Python str: Unicode whitespace too, e.g. the
    // no-break spaces of Mistral's own documentation example ({{\u00a0_.vm_id\u00a0}}).
    if (size_t space = python_space_at(s, i)) {
      i += space;
      continue;
    }
    Tok t;
    if (std::isalpha(c) || c == '_') {
      size_t b = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      t.type = T::Name;
      t.text = std::string(s.substr(b, i - b));
    } else if (std::isdigit(c)) {
      size_t b = i;
      bool is_float = false;
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      if (i + 1 < s.size() && s[i] == '.' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        is_float = true;
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      }
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
          is_float = true;
          i = j;
          while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        }
      }
      std::string text;
      for (char ch : s.substr(b, i - b))
        if (ch != '_') text += ch;
      t.type = is_float ? T::Float : T::Int;
      t.text = text;
      if (is_float) {
        t.value = Value(std::strtod(text.c_str(), nullptr));
      } else {
        // Python's ints have any size (up to the digits Python reads).
        auto v = python_int::parse(text, 10);
        if (!v) throw SyntaxError(v.error().message);
        t.value = **v;
      }
    } else if (c == '\'' || c == '"') {
      char q = static_cast<char>(c);
      ++i;
      size_t body = i;
      while (i < s.size() && s[i] != q) i += s[i] == '\\' ? 2 : 1;
      if (i >= s.size()) throw SyntaxError("unexpected end of string");
      // Jinja's reading: line breaks normalised, then Python's
      // unicode-escape over the ASCII text (non-ASCII as its escapes).
      std::string raw;
      for (size_t k = body; k < i; ++k) {
        if (s[k] == '\r') {
          raw += '\n';
          if (k + 1 < i && s[k + 1] == '\n') ++k;
        } else {
          raw += s[k];
        }
      }
      ++i;
      auto decoded = python_unicode_escape_decode(raw, true);
      if (!decoded) {
        // TemplateSyntaxError keeps the text after the codec's last ':'.
        const std::string& m = decoded.error().message;
        std::string reason = m.substr(m.rfind(':') + 1);
        throw SyntaxError(reason.substr(reason.find_first_not_of(' ')));
      }
      std::string v = std::move(decoded).value();
      t.type = T::Str;
      t.value = Value(v);
    } else {
      static const char* const ops[] = {"//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">",
                                        "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "="};
      bool found = false;
      for (const char* op : ops) {
        size_t n = std::char_traits<char>::length(op);
        if (s.substr(i, n) == op) {
          t.type = T::Op;
          t.text = op;
          i += n;
          found = true;
          break;
        }
      }
      if (!found) {
        std::string_view ch = utf8_character_at(s, i);
        // A broken byte is shown as Python would show the replacement, never as half a character.
        throw SyntaxError(fmt::format("unexpected char '{}' at {}", is_valid_utf8(ch) ? ch : "\ufffd",
                                      base + utf8_length(s.substr(0, i))));
      }
    }
    out.push_back(std::move(t));
  }
  out.push_back(Tok{});
  return out;
}

// The names a for loop or a set unpacks into: "a, b" or "(a, b)".
std::vector<std::string> target_names(const std::string& targets) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= targets.size()) {
    size_t comma = targets.find(',', start);
    std::string t = targets.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t b = t.find_first_not_of(" \t()"), e = t.find_last_not_of(" \t()");
    if (b != std::string::npos) names.push_back(t.substr(b, e - b + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

class ExprParser {
 public:
  explicit ExprParser(std::vector<Tok> toks) : t_(std::move(toks)) {}
  // A template's `{{ }}`: its end is Jinja's variable_end token, described
  // "end of print statement" in errors (a lone expression ends at the end
  // of the template).
  ExprParser& in_print() {
    in_print_ = true;
    return *this;
  }
  // Inside a `{% %}` block: its tokens end with Jinja's block_end.
  ExprParser& in_block() {
    in_block_ = true;
    return *this;
  }
  // Jinja's describe_token: a literal by its kind, the end by what ends.
  std::string describe(const Tok& tok) const {
    switch (tok.type) {
      case T::Int: return "integer";
      case T::Float: return "float";
      case T::Str: return "string";
      case T::End: return in_print_ ? "end of print statement" : in_block_ ? "end of statement block" : "end of template";
      default: return tok.text;
    }
  }
  // Jinja's stream.expect(token) failing where the parser stands.
  [[noreturn]] void expected_token(const char* what) const {
    const Tok& tok = peek();
    if (tok.type == T::End && !in_print_ && !in_block_)
      throw SyntaxError(fmt::format("unexpected end of template, expected '{}'.", what));
    throw SyntaxError(fmt::format("expected token '{}', got '{}'", what, describe(tok)));
  }

  // Parses a lone expression (tuple false) or a `{{ }}`'s (true). Jinja's
  // lexer balances brackets while the parser reads its tokens, so a bracket
  // left open or closed wrongly up to where the parser stopped is the
  // lexer's error, not the parser's.
  JNodePtr parse_balanced(bool tuple) {
    try {
      return tuple ? parse_tuple_all() : parse_all();
    } catch (const SyntaxError&) {
      if (auto lexer = unbalanced(p_)) throw SyntaxError(*lexer);
      throw;
    }
  }
  std::optional<std::string> unbalanced(size_t upto) const {
    std::string open;  // the closers expected, innermost last
    for (size_t i = 0; i < t_.size() && i <= upto; ++i) {
      const Tok& k = t_[i];
      if (k.type == T::End) {
        // `{{ (1 }}`: Jinja lexes the `}` of `}}` as a bracket. (A lone
        // expression's end is the parser's error: "expected ','".)
        if (open.empty() || !in_print_) return std::nullopt;
        return fmt::format("unexpected '}}', expected '{}'", open.back());
      }
      if (k.type != T::Op || k.text.size() != 1) continue;
      char c = k.text[0];
      if (c == '(') open += ')';
      else if (c == '[') open += ']';
      else if (c == '{') open += '}';
      else if (c == ')' || c == ']' || c == '}') {
        if (open.empty()) return fmt::format("unexpected '{}'", c);
        if (open.back() != c) return fmt::format("unexpected '{}', expected '{}'", c, open.back());
        open.pop_back();
      }
    }
    return std::nullopt;
  }

  JNodePtr parse_all() {
    auto n = expression();
    if (peek().type != T::End) {
      if (in_block_) expected_token("end of statement block");  // Jinja's parse_statement
      throw SyntaxError("chunk after expression");  // Jinja's compile_expression
    }
    return n;
  }
  // Jinja's parse_tuple, where a template's {{ }} or a set's value takes
  // one: `1, 2` is a tuple, a trailing comma too (`1,`).
  JNodePtr parse_tuple_all() {
    if (in_print_ && at_end()) throw SyntaxError("Expected an expression, got 'end of print statement'");
    auto n = expression();
    if (is_op(",")) {
      auto tup = node(JKind::List, "tuple");
      tup->args.push_back(std::move(n));
      while (is_op(",")) {
        ++p_;
        if (peek().type == T::End) break;
        tup->args.push_back(expression());
      }
      n = seal(std::move(tup));
    }
    if (peek().type != T::End) {
      // Jinja's stream.expect('variable_end'): a token by its kind, a name
      // or an operator as written.
      const Tok& tok = peek();
      if (in_block_) expected_token("end of statement block");
      if (!in_print_) fail();
      std::string got = tok.type == T::Int ? "integer" : tok.type == T::Float ? "float" : tok.type == T::Str ? "string"
                                                                                                           : tok.text;
      throw SyntaxError(fmt::format("expected token 'end of print statement', got '{}'", got));
    }
    return n;
  }
  bool at_end() const { return t_[p_].type == T::End; }
  const Tok& peek(size_t k = 0) const { return t_[std::min(p_ + k, t_.size() - 1)]; }
  bool is_op(const char* op, size_t k = 0) const { return peek(k).type == T::Op && peek(k).text == op; }
  bool is_name(const char* n, size_t k = 0) const { return peek(k).type == T::Name && peek(k).text == n; }
  void expect_op(const char* op) {
    // Jinja's stream.expect at the end: "unexpected end of template,
    // expected ')'."
    // Elsewhere "expected token ')', got '.'" (describe_token's words).
    if (!is_op(op)) expected_token(op);
    ++p_;
  }
  // Jinja's wording for a statement's missing part: "expected token
  // 'name', got 'end of statement block'".
  void expect_token(const char* what) {
    bool name = std::string_view(what) == "name";
    if (name ? peek().type == T::Name : is_op(what)) return;
    const Tok& tok = peek();
    std::string got = tok.type == T::End ? "end of statement block"
                                         : (tok.type == T::Str ? tok.value.as_string() : tok.text);
    throw SyntaxError(fmt::format("expected token '{}', got '{}'", what, got));
  }

  // Jinja's stream.expect('name') after `|` or `is`: "unexpected end of
  // template, expected 'name'." at the end, else "expected token 'name',
  // got 'integer'" (a literal by its kind, anything else as written).
  void expect_name() const {
    const Tok& tok = peek();
    if (tok.type == T::Name) return;
    if (tok.type == T::End)
      throw SyntaxError(in_print_ ? "expected token 'name', got 'end of print statement'"
                                  : "unexpected end of template, expected 'name'.");
    std::string got = tok.type == T::Int ? "integer" : tok.type == T::Float ? "float" : tok.type == T::Str ? "string"
                                                                                                         : tok.text;
    throw SyntaxError(fmt::format("expected token 'name', got '{}'", got));
  }

  [[noreturn]] void fail(const std::string& what = "") const {
    const Tok& tok = peek();
    if (tok.type == T::End)
      throw SyntaxError(what.empty() ? (in_print_ ? "unexpected 'end of print statement'" : "unexpected 'end of template'")
                                     : what);
    std::string shown = tok.type == T::Str ? "'" + tok.value.as_string() + "'" : tok.text;
    throw SyntaxError(what.empty() ? fmt::format("unexpected '{}'", shown) : fmt::format("{}: found '{}'", what, shown));
  }

  // Records the node's height once its arguments are in; a tree taller than
  // the limit is refused while it is built (chains such as a+a+a+... or
  // a|f|f|f... grow the tree without recursing in the parser).
  static JNodePtr seal(JNodePtr n) {
    int tallest = 0;
    for (const auto& a : n->args)
      if (a) tallest = std::max(tallest, a->height);
    n->height = tallest + 1;
    if (n->height > expression_max_depth()) too_deep(kExpressionNesting);
    return n;
  }

  static JNodePtr node(JKind k, std::string text = "") {
    auto n = std::make_unique<JNode>();
    n->kind = k;
    n->text = std::move(text);
    return n;
  }

  JNodePtr expression(bool with_condexpr = true) {
    Nesting nest(depth_, kExpressionNesting);
    auto e = or_expr();
    if (with_condexpr) {
      while (is_name("if")) {
        ++p_;
        auto cond = or_expr();
        auto n = node(JKind::Cond);
        n->args.push_back(std::move(cond));
        n->args.push_back(std::move(e));
        if (is_name("else")) {
          ++p_;
          n->args.push_back(expression());
        } else {
          n->args.push_back(nullptr);  // Undefined (an error when used)
        }
        e = seal(std::move(n));
      }
    }
    return e;
  }

  JNodePtr binary(JNodePtr l, const std::string& op, JNodePtr r) {
    auto n = node(JKind::Binary, op);
    n->args.push_back(std::move(l));
    n->args.push_back(std::move(r));
    return seal(std::move(n));
  }

  JNodePtr or_expr() {
    auto l = and_expr();
    while (is_name("or")) {
      ++p_;
      l = binary(std::move(l), "or", and_expr());
    }
    return l;
  }
  JNodePtr and_expr() {
    auto l = not_expr();
    while (is_name("and")) {
      ++p_;
      l = binary(std::move(l), "and", not_expr());
    }
    return l;
  }
  JNodePtr not_expr() {
    if (is_name("not")) {
      Nesting nest(depth_, kExpressionNesting);
      ++p_;
      auto n = node(JKind::Unary, "not");
      n->args.push_back(not_expr());
      return seal(std::move(n));
    }
    return compare();
  }
  JNodePtr compare() {
    auto first = math1();
    JNodePtr chain;
    while (true) {
      std::string op;
      if (peek().type == T::Op && (peek().text == "==" || peek().text == "!=" || peek().text == "<" ||
                                   peek().text == ">" || peek().text == "<=" || peek().text == ">=")) {
        op = peek().text;
        ++p_;
      } else if (is_name("in")) {
        op = "in";
        ++p_;
      } else if (is_name("not") && is_name("in", 1)) {
        op = "notin";
        p_ += 2;
      } else {
        break;
      }
      if (!chain) {
        chain = node(JKind::Compare);
        chain->args.push_back(std::move(first));
      }
      chain->names.push_back(op);
      chain->args.push_back(math1());
    }
    return chain ? seal(std::move(chain)) : std::move(first);
  }
  JNodePtr math1() {
    auto l = concat();
    while (is_op("+") || is_op("-")) {
      std::string op = peek().text;
      ++p_;
      l = binary(std::move(l), op, concat());
    }
    return l;
  }
  JNodePtr concat() {
    auto l = math2();
    while (is_op("~")) {
      ++p_;
      l = binary(std::move(l), "~", math2());
    }
    return l;
  }
  JNodePtr math2() {
    auto l = pow();
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
      std::string op = peek().text;
      ++p_;
      l = binary(std::move(l), op, pow());
    }
    return l;
  }
  JNodePtr pow() {
    auto l = unary();
    while (is_op("**")) {
      ++p_;
      l = binary(std::move(l), "**", unary());
    }
    return l;
  }
  // Jinja's parse_unary: `-3|abs` is (-3)|abs: the operand of a sign takes
  // no filters, the signed value does.
  JNodePtr unary(bool with_filters = true) {
    if (is_op("-") || is_op("+")) {
      Nesting nest(depth_, kExpressionNesting);
      std::string op = peek().text;
      ++p_;
      auto n = node(JKind::Unary, op);
      n->args.push_back(unary(false));
      n = seal(std::move(n));
      return with_filters ? filters_and_tests(std::move(n)) : std::move(n);
    }
    auto e = postfix(primary());
    return with_filters ? filters_and_tests(std::move(e)) : std::move(e);
  }

  // f(args) of a filter/test/call: positional then name=value, `*args`
  // and `**kwargs` (named "*" and "**" among the keywords, in the order
  // written), in the order Jinja's parse_call_args allows.
  void call_args(JNode& n) {
    expect_op("(");
    std::vector<JNodePtr> pos, kw;
    bool dyn_args = false, dyn_kwargs = false;
    auto ensure = [](bool ok) {
      if (!ok) throw SyntaxError("invalid syntax for function call expression");
    };
    while (!is_op(")")) {
      if (is_op("*") || is_op("**")) {
        bool star = is_op("*");
        ensure(star ? !dyn_args && !dyn_kwargs : !dyn_kwargs);
        (star ? dyn_args : dyn_kwargs) = true;
        n.names.push_back(star ? "*" : "**");
        ++p_;
        kw.push_back(expression());
      } else if (peek().type == T::Name && is_op("=", 1)) {
        ensure(!dyn_kwargs);
        n.names.push_back(peek().text);
        p_ += 2;
        kw.push_back(expression());
      } else {
        ensure(!dyn_args && !dyn_kwargs && kw.empty());
        pos.push_back(expression());
      }
      if (is_op(",")) ++p_;
      else if (!is_op(")")) expected_token(",");  // Jinja's parse_call_args: require_comma
    }
    ++p_;
    for (auto& a : pos) n.args.push_back(std::move(a));
    n.value = Value(static_cast<int64_t>(pos.size()));  // count of positional args
    for (auto& a : kw) n.args.push_back(std::move(a));
  }

  // A filter's or a test's name after expect_name(): Jinja's parse_filter
  // and parse_test read `a.b.c` as one name (`x | first.replace` is the
  // filter 'first.replace', unknown: refused where filters are).
  std::string dotted_name() {
    std::string name = peek().text;
    ++p_;
    while (is_op(".")) {
      ++p_;
      expect_name();
      name += "." + peek().text;
      ++p_;
    }
    return name;
  }

  JNodePtr filters_and_tests(JNodePtr e) {
    while (true) {
      if (is_op("|")) {
        ++p_;
        expect_name();
        auto f = node(JKind::Filter, dotted_name());
        f->args.push_back(std::move(e));
        if (is_op("(")) {
          auto tmp = node(JKind::Call);
          call_args(*tmp);
          f->names = tmp->names;
          f->value = tmp->value;
          for (auto& a : tmp->args) f->args.push_back(std::move(a));
        } else {
          f->value = Value(int64_t(0));
        }
        e = seal(std::move(f));
        continue;
      }
      if (is_name("is")) {
        ++p_;
        bool negate = false;
        if (is_name("not")) {
          negate = true;
          ++p_;
        }
        expect_name();
        auto t = node(JKind::Test, dotted_name());
        t->negate = negate;
        t->args.push_back(std::move(e));
        if (is_op("(")) {
          auto tmp = node(JKind::Call);
          call_args(*tmp);
          t->names = tmp->names;
          t->value = tmp->value;
          for (auto& a : tmp->args) t->args.push_back(std::move(a));
        } else if (is_name("is")) {
          throw SyntaxError("You cannot chain multiple tests with is");
        } else if (peek().type == T::Int || peek().type == T::Float || peek().type == T::Str || is_op("[") ||
                   is_op("{") || (peek().type == T::Name && !is_name("and") && !is_name("or") && !is_name("else") &&
                    !is_name("if"))) {
          // `x is divisibleby 3`: one argument without parentheses.
          t->args.push_back(postfix(primary()));
          t->value = Value(int64_t(1));
        } else {
          t->value = Value(int64_t(0));
        }
        e = seal(std::move(t));
        continue;
      }
      return e;
    }
  }

  JNodePtr primary() {
    const Tok tok = peek();
    if (tok.type == T::Int || tok.type == T::Float) {
      ++p_;
      auto n = node(JKind::Const);
      n->value = tok.value;
      return n;
    }
    if (tok.type == T::Str) {
      ++p_;
      std::string v = tok.value.as_string();
      while (peek().type == T::Str) v += peek().value.as_string(), ++p_;  // adjacent strings join
      auto n = node(JKind::Const);
      n->value = Value(v);
      return n;
    }
    if (tok.type == T::Name) {
      ++p_;
      auto n = node(JKind::Const);
      if (tok.text == "true" || tok.text == "True") n->value = Value(true);
      else if (tok.text == "false" || tok.text == "False") n->value = Value(false);
      else if (tok.text == "none" || tok.text == "None") n->value = Value();
      else return node(JKind::Name, tok.text);
      return n;
    }
    if (is_op("(")) {
      ++p_;
      if (is_op(")")) {
        ++p_;
        return node(JKind::List, "tuple");
      }
      auto e = expression();
      if (is_op(",")) {
        auto tup = node(JKind::List, "tuple");
        tup->args.push_back(std::move(e));
        while (is_op(",")) {
          ++p_;
          if (is_op(")")) break;
          tup->args.push_back(expression());
        }
        e = seal(std::move(tup));
      }
      expect_op(")");
      return e;
    }
    if (is_op("[")) {
      ++p_;
      auto l = node(JKind::List);
      while (!is_op("]")) {
        l->args.push_back(expression());
        if (is_op(",")) ++p_;
        else if (at_end()) throw SyntaxError("unexpected end of template, expected ','.");
        else if (!is_op("]")) expected_token(",");  // Jinja: stream.expect("comma")
      }
      ++p_;
      return seal(std::move(l));
    }
    if (is_op("{")) {
      ++p_;
      auto d = node(JKind::Dict);
      while (!is_op("}")) {
        d->args.push_back(expression());
        expect_op(":");
        d->args.push_back(expression());
        if (is_op(",")) ++p_;
        else if (at_end()) throw SyntaxError("unexpected end of template, expected ','.");
        else if (!is_op("}")) expected_token(",");  // Jinja: stream.expect("comma")
      }
      ++p_;
      return seal(std::move(d));
    }
    fail();
  }

  JNodePtr postfix(JNodePtr e) {
    while (true) {
      if (is_op(".")) {
        ++p_;
        if (peek().type == T::Name || peek().type == T::Int) {
          auto a = node(JKind::Attr, peek().type == T::Int ? peek().text : peek().text);
          if (peek().type == T::Int) a->value = peek().value;
          ++p_;
          a->args.push_back(std::move(e));
          e = seal(std::move(a));
          continue;
        }
        fail("expected name or number");  // Jinja's parse_subscript
      }
      if (is_op("[")) {
        ++p_;
        JNodePtr parts[3];
        int part = 0;
        bool slice = false;
        // Jinja's parse_subscript: `x[a, b]` and `x[]` index by a tuple
        // (`x[(a, b)]`, `x[()]`).
        std::vector<JNodePtr> items;
        bool tuple = is_op("]");
        while (!is_op("]")) {
          if (is_op(",")) {
            if (slice || !parts[0]) fail("expected an index");
            ++p_;
            items.push_back(std::move(parts[0]));
            tuple = true;
            continue;
          }
          if (is_op(":")) {
            if (tuple) fail("a slice inside a tuple index is not supported");
            slice = true;
            ++p_;
            if (++part > 2) fail("too many ':' in a slice");
            continue;
          }
          if (parts[part]) expected_token(",");  // Jinja's parse_subscript: items need commas
          parts[part] = expression();
        }
        ++p_;
        if (tuple) {
          if (slice) fail("a slice inside a tuple index is not supported");
          if (parts[0]) items.push_back(std::move(parts[0]));
          auto tup = node(JKind::List, "tuple");
          for (auto& x : items) tup->args.push_back(std::move(x));
          auto it = node(JKind::Item);
          it->args.push_back(std::move(e));
          it->args.push_back(seal(std::move(tup)));
          e = seal(std::move(it));
        } else if (slice) {
          auto s = node(JKind::Slice);
          s->args.push_back(std::move(e));
          for (auto& pnode : parts) s->args.push_back(std::move(pnode));
          e = seal(std::move(s));
        } else {
          if (!parts[0]) fail("expected an index");
          auto it = node(JKind::Item);
          it->args.push_back(std::move(e));
          it->args.push_back(std::move(parts[0]));
          e = seal(std::move(it));
        }
        continue;
      }
      if (is_op("(")) {
        auto c = node(JKind::Call);
        c->args.push_back(std::move(e));
        auto tmp = node(JKind::Call);
        call_args(*tmp);
        c->names = tmp->names;
        c->value = tmp->value;
        for (auto& a : tmp->args) c->args.push_back(std::move(a));
        e = seal(std::move(c));
        continue;
      }
      return e;
    }
  }

  size_t p_ = 0;

 private:
  std::vector<Tok> t_;
  bool in_print_ = false;
  bool in_block_ = false;
  int depth_ = 0;
};

// Template scanning ---------------------------------------------------------

struct Piece {
  enum { Text, Var, Block } kind;
  std::string body;   // inside the delimiters, trimmed
  size_t offset = 0;  // characters of the template before the body
};

// Where the `}}` closing a print statement starting at `from` is: as
// Jinja's lexer, braces of dict literals and strings inside do not close it
// (`{{ {'a': {'b': 1}} }}`).
// The same for the `%}` closing a block (`{% set f = '{:.1%}' %}`).
size_t print_end(std::string_view s, size_t from, char first = '}') {
  const char close[3] = {first, '}', 0};
  int depth = 0;
  for (size_t k = from; k < s.size(); ++k) {
    char c = s[k];
    if (c == '\'' || c == '"') {
      size_t q = k + 1;
      while (q < s.size() && s[q] != c) q += s[q] == '\\' ? 2 : 1;
      if (q >= s.size()) return s.find(close, from);  // an unclosed string: the parser reports it
      k = q;
    } else if (c == '{' || c == '[' || c == '(') {
      ++depth;
    } else if (depth > 0 && (c == '}' || c == ']' || c == ')')) {
      --depth;
    } else if (depth == 0 && c == first && k + 1 < s.size() && s[k + 1] == '}') {
      return k;
    }
  }
  return std::string_view::npos;
}

// The text of a raw block starting at `from` appended to `text`, with the
// whitespace rules of its two tags; returns where scanning resumes.
size_t raw_block(std::string_view s, size_t from, bool strip_start, std::string& text, bool& strip_next_ws,
                 bool& trim_newline) {
  auto space = [&](size_t k) { return k < s.size() && std::isspace(static_cast<unsigned char>(s[k])); };
  for (size_t k = s.find("{%", from); k != std::string_view::npos; k = s.find("{%", k + 2)) {
    size_t m = k + 2;
    bool minus_before = m < s.size() && s[m] == '-';
    if (m < s.size() && (s[m] == '-' || s[m] == '+')) ++m;
    while (space(m)) ++m;
    if (s.substr(m, 6) != "endraw") continue;
    m += 6;
    while (space(m)) ++m;
    bool minus_after = m < s.size() && s[m] == '-';
    if (minus_after) ++m;
    if (s.substr(m, 2) != "%}") continue;
    std::string raw(s.substr(from, k - from));
    // trim_blocks does not apply to {% raw %} itself, only to its end.
    if (strip_start) raw.erase(0, std::min(raw.size(), raw.find_first_not_of(" \t\r\n")));
    if (minus_before) {
      while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back()))) raw.pop_back();
    } else {
      // lstrip_blocks before {% endraw %} alone on its line.
      size_t j = k;
      while (j > from && (s[j - 1] == ' ' || s[j - 1] == '\t')) --j;
      if (j == 0 || s[j - 1] == '\n') raw.erase(raw.size() - std::min(raw.size(), k - j));
    }
    text += raw;
    strip_next_ws = minus_after;
    trim_newline = !minus_after;
    return m + 2;
  }
  throw SyntaxError("Missing end of raw directive");
}

std::vector<Piece> scan(std::string_view s) {
  std::vector<Piece> out;
  size_t i = 0;
  std::string text;
  bool strip_next_ws = false;
  bool trim_newline = false;  // trim_blocks: after a block tag
  auto flush = [&] {
    if (!text.empty()) out.push_back({Piece::Text, text});
    text.clear();
  };
  // Characters before a byte offset, counted on from the last one asked
  // (tags come in order): linear in the template, however many tags.
  size_t counted_bytes = 0, counted_chars = 0;
  auto chars_before = [&](size_t byte) {
    byte = std::min(byte, s.size());
    if (byte < counted_bytes) counted_bytes = counted_chars = 0;
    for (; counted_bytes < byte; ++counted_bytes)
      if ((static_cast<unsigned char>(s[counted_bytes]) & 0xC0) != 0x80) ++counted_chars;
    return counted_chars;
  };
  while (i < s.size()) {
    bool tag = i + 1 < s.size() && s[i] == '{' && (s[i + 1] == '{' || s[i + 1] == '%' || s[i + 1] == '#');
    if (!tag) {
      if (strip_next_ws) {
        if (std::isspace(static_cast<unsigned char>(s[i]))) {
          ++i;
          continue;
        }
        strip_next_ws = false;
      }
      if (trim_newline) {
        trim_newline = false;
        if (s[i] == '\n') {
          ++i;
          continue;
        }
      }
      text += s[i++];
      continue;
    }
    strip_next_ws = false;
    trim_newline = false;
    char kind = s[i + 1];
    const char* close = kind == '{' ? "}}" : (kind == '%' ? "%}" : "#}");
    size_t end = kind == '{' ? print_end(s, i + 2) : kind == '%' ? print_end(s, i + 2, '%') : s.find(close, i + 2);
    if (end == std::string_view::npos && kind == '{') {
      // No `}}` outside brackets: Jinja's lexer reads on to the end, the
      // `}` of a `}}` as brackets, and its error is where the parser or
      // the bracket balance stops (`{{ (1 }}`: "unexpected '}', expected
      // ')'").
      ExprParser(lex(s.substr(i + 2), utf8_length(s.substr(0, i + 2)))).in_print().parse_balanced(true);
    }
    if (end == std::string_view::npos) throw SyntaxError(kind == '#' ? "Missing end of comment tag" : "unexpected end of template");
    std::string body(s.substr(i + 2, end - i - 2));
    bool strip_before = !body.empty() && body.front() == '-';
    // One '-' alone (`{{-}}`) strips before only: it cannot be both marks.
    bool strip_after = body.size() > (strip_before ? 1u : 0u) && body.back() == '-';
    if (strip_before) {
      body.erase(0, 1);
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    } else if (kind != '{') {
      // lstrip_blocks: when only spaces stand between the line's start and
      // a block tag in the source, they go.
      size_t j = i;
      while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t')) --j;
      if (j == 0 || s[j - 1] == '\n') {
        size_t spaces = i - j;
        size_t k = text.size();
        while (k > 0 && spaces > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k, --spaces;
        text.erase(k);
      }
    }
    if (strip_after) body.pop_back();
    // `+%}` keeps the newline after the tag (no trim_blocks there).
    bool keep_newline = kind != '{' && !strip_after && !body.empty() && body.back() == '+';
    if (keep_newline) body.pop_back();
    size_t b = body.find_first_not_of(" \t\r\n"), e = body.find_last_not_of(" \t\r\n");
    body = b == std::string::npos ? "" : body.substr(b, e - b + 1);
    size_t body_at = i + 2 + (strip_before ? 1 : 0) + (b == std::string::npos ? 0 : b);
    if (kind == '%' && body == "raw") {
      // {% raw %}...{% endraw %}: the text between is kept as written, tags
      // and all (Mistral's own documentation quotes Jinja this way).
      i = raw_block(s, end + 2, strip_after, text, strip_next_ws, trim_newline);
      continue;
    }
    flush();
    size_t body_chars = chars_before(body_at);
    if (kind == '{') out.push_back({Piece::Var, body, body_chars});
    else if (kind == '%') out.push_back({Piece::Block, body, body_chars});
    i = end + 2;
    if (strip_after) strip_next_ws = true;
    else if (kind != '{' && !keep_newline) trim_newline = true;
  }
  flush();
  return out;
}

class TemplateParser {
 public:
  explicit TemplateParser(std::vector<Piece> pieces) : pieces_(std::move(pieces)) {}

  std::vector<StmtPtr> parse_all() {
    auto body = block({});
    if (i_ < pieces_.size()) throw SyntaxError(fmt::format("Encountered unknown tag '{}'.", first_word(pieces_[i_].body)));
    return body;
  }

 private:
  // `{% call(x) m() %}` has no space after its word.
  static std::string first_word(const std::string& s) { return s.substr(0, s.find_first_of(" \t\r\n(")); }

  // Statements until one of the end words (not consumed).
  std::vector<StmtPtr> block(const std::vector<std::string>& ends) {
    std::vector<StmtPtr> out;
    while (i_ < pieces_.size()) {
      const Piece& p = pieces_[i_];
      if (p.kind == Piece::Text) {
        auto s = std::make_unique<Stmt>();
        s->kind = SKind::Text;
        s->text = p.body;
        out.push_back(std::move(s));
        ++i_;
        continue;
      }
      if (p.kind == Piece::Var) {
        auto s = std::make_unique<Stmt>();
        s->kind = SKind::Output;
        ExprParser ep(lex(p.body, p.offset));
        s->expr = ep.in_print().parse_balanced(true);
        out.push_back(std::move(s));
        ++i_;
        continue;
      }
      std::string word = first_word(p.body);
      for (const auto& e : ends)
        if (word == e) return out;
      std::string rest = p.body.substr(word.size());
      rest.erase(0, std::min(rest.size(), rest.find_first_not_of(" \t\r\n")));
      // Where `rest` starts in the template, for the positions the lexer
      // reports (the statement's own helpers lex it or parts of it first).
      base_ = p.offset + utf8_length(std::string_view(p.body).substr(0, p.body.size() - rest.size()));
      ++i_;
      if (word == "if") {
        out.push_back(if_stmt(rest));
      } else if (word == "for") {
        out.push_back(for_stmt(rest));
      } else if (word == "set") {
        auto s = std::make_unique<Stmt>();
        s->kind = SKind::Set;
        size_t eq = rest.find('=');
        std::string target = rest.substr(0, eq);
        target.erase(target.find_last_not_of(" \t") + 1);
        if (eq != std::string::npos && target.find(',') != std::string::npos) {
          // {% set a, b = ... %}: the value is unpacked, as in a for loop.
          s->targets = target_names(target);
        } else {
          s->targets.push_back(target);
        }
        if (eq == std::string::npos) {
          // {% set x %}...{% endset %}: the rendered body, through the
          // filters when written `{% set x | f(...) | g %}` (as a filter
          // block's: `<body> | f(...) | g`).
          size_t bar = target.find('|');
          if (bar != std::string::npos) {
            std::string filters = target.substr(bar + 1);
            target.erase(bar);
            target.erase(target.find_last_not_of(" \t") + 1);
            s->targets.back() = target;
            auto toks = lex(filters, base_ + utf8_length(std::string_view(rest).substr(0, bar + 1)));
            if (toks.front().type != T::Name) ExprParser(std::move(toks)).expect_token("name");
            toks.insert(toks.begin(), {Tok{T::Name, std::string(kFilterBody), {}}, Tok{T::Op, "|", {}}});
            ExprParser ep(std::move(toks));
            s->expr = ep.parse_all();
          }
          if (target.empty()) throw SyntaxError("expected a name after set");
          s->kind = SKind::SetBlock;
          s->body = nested_block("endset");
        } else {
          ExprParser ep(lex(rest.substr(eq + 1), base_ + utf8_length(std::string_view(rest).substr(0, eq + 1))));
          s->expr = ep.in_block().parse_tuple_all();
        }
        out.push_back(std::move(s));
      } else if (word == "with") {
        out.push_back(with_stmt(rest));
      } else if (word == "filter") {
        // The body's text goes through the filters as if written
        // `<body> | f(...) | g`: the name cannot be written in a template.
        auto s = std::make_unique<Stmt>();
        s->kind = SKind::FilterBlock;
        auto toks = lex(rest, base_);
        if (toks.front().type != T::Name) ExprParser(std::move(toks)).expect_token("name");
        toks.insert(toks.begin(), {Tok{T::Name, std::string(kFilterBody), {}}, Tok{T::Op, "|", {}}});
        ExprParser ep(std::move(toks));
        s->expr = ep.parse_all();
        s->body = nested_block("endfilter");
        out.push_back(std::move(s));
      } else if (word == "macro") {
        out.push_back(macro_stmt(rest));
      } else if (word == "call") {
        out.push_back(call_stmt(rest));
      } else {
        throw SyntaxError(fmt::format("Encountered unknown tag '{}'.", word));
      }
    }
    if (!ends.empty()) {
      // Jinja's message: the tags that would close the innermost block.
      std::string wanted, block_name = ends.back().rfind("end", 0) == 0 ? ends.back().substr(3) : ends.back();
      for (size_t k = ends.size(); k-- > 0;) {
        if (!wanted.empty()) wanted += " or ";
        wanted += "'" + ends[k] + "'";
      }
      throw SyntaxError(fmt::format("Unexpected end of template. Jinja was looking for the following tags: {}. The "
                                    "innermost block that needs to be closed is '{}'.",
                                    wanted, block_name));
    }
    return out;
  }

  // The statements up to `end`, which is consumed; counted as a level.
  std::vector<StmtPtr> nested_block(const char* end) {
    Nesting nest(depth_, "{% %} blocks");
    auto body = block({end});
    ++i_;
    return body;
  }

  StmtPtr with_stmt(const std::string& head) {
    auto s = std::make_unique<Stmt>();
    s->kind = SKind::With;
    ExprParser ep(lex(head, base_));
    ep.in_block();
    while (!ep.at_end()) {
      ep.expect_token("name");
      s->targets.push_back(ep.peek().text);
      ++ep.p_;
      ep.expect_token("=");
      ++ep.p_;
      s->values.push_back(ep.expression());
      if (ep.is_op(",")) {
        // A comma promises another target (Jinja's parse_assign_target).
        if (++ep.p_, ep.at_end()) throw SyntaxError("Expected an expression, got 'end of statement block'");
      } else if (!ep.at_end()) {
        ep.expected_token(",");  // Jinja's parse_with: stream.expect("comma")
      }
    }
    s->body = nested_block("endwith");
    return s;
  }

  // `(a, b=default, ...)` of a macro or a call block's caller.
  static void parameters(ExprParser& ep, Stmt& s) {
    ep.expect_op("(");
    while (!ep.is_op(")")) {
      ep.expect_token("name");
      s.targets.push_back(ep.peek().text);
      ++ep.p_;
      if (ep.is_op("=")) {
        ++ep.p_;
        s.values.push_back(ep.expression());
      } else {
        if (!s.values.empty() && s.values.back()) throw SyntaxError("non-default argument follows default argument");
        s.values.push_back(nullptr);
      }
      if (ep.is_op(",")) ++ep.p_;
      else if (!ep.is_op(")")) ep.fail("expected ',' or ')'");
    }
    ++ep.p_;
  }

  // Which of the special names a body between pieces [from, i_) mentions:
  // Jinja gives a macro `varargs`, `kwargs` and `caller` only then.
  void special_names(Stmt& s, size_t from) const {
    for (size_t k = from; k < i_; ++k) {
      const std::string& b = pieces_[k].body;
      if (pieces_[k].kind == Piece::Text) continue;
      s.uses_varargs = s.uses_varargs || b.find("varargs") != std::string::npos;
      s.uses_kwargs = s.uses_kwargs || b.find("kwargs") != std::string::npos;
      s.uses_caller = s.uses_caller || b.find("caller") != std::string::npos;
    }
  }

  StmtPtr macro_stmt(const std::string& head) {
    auto s = std::make_unique<Stmt>();
    s->kind = SKind::Macro;
    ExprParser ep(lex(head, base_));
    ep.expect_token("name");
    s->text = ep.peek().text;
    ++ep.p_;
    parameters(ep, *s);
    if (!ep.at_end()) ep.fail();
    size_t from = i_;
    s->body = nested_block("endmacro");
    special_names(*s, from);
    return s;
  }

  StmtPtr call_stmt(const std::string& head) {
    auto s = std::make_unique<Stmt>();
    s->kind = SKind::CallBlock;
    ExprParser ep(lex(head, base_));
    if (ep.is_op("(")) parameters(ep, *s);
    if (ep.at_end()) throw SyntaxError("unexpected 'end of statement block'");
    s->expr = ep.expression();
    if (!ep.at_end()) ep.fail();
    if (s->expr->kind != JKind::Call) throw SyntaxError("expected call");
    size_t from = i_;
    s->body = nested_block("endcall");
    special_names(*s, from);
    return s;
  }

  StmtPtr if_stmt(const std::string& cond) {
    // An elif nests as an if in the else branch, so it counts as a level too.
    Nesting nest(depth_, "{% if %} and {% elif %} blocks");
    auto s = std::make_unique<Stmt>();
    s->kind = SKind::If;
    if (cond.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw SyntaxError("Expected an expression, got 'end of statement block' ({% if %} and {% elif %} need a "
                        "condition)");
    }
    ExprParser ep(lex(cond, base_));
    s->expr = ep.in_block().parse_all();
    s->body = block({"elif", "else", "endif"});
    const Piece& p = pieces_[i_];
    std::string word = first_word(p.body);
    ++i_;
    if (word == "elif") {
      // `{% elif %}` with no condition: an empty one, refused by the parser.
      base_ = p.offset + 5;  // after "elif "
      s->else_body.push_back(if_stmt(p.body.size() > 5 ? p.body.substr(5) : std::string()));
      s->else_body.back()->elif = true;
      return s;  // the nested if consumed endif
    }
    if (word == "else") {
      s->else_body = block({"endif"});
      ++i_;
    }
    return s;
  }

  StmtPtr for_stmt(const std::string& head) {
    Nesting nest(depth_, "{% for %} blocks");
    auto s = std::make_unique<Stmt>();
    s->kind = SKind::For;
    size_t in = head.find(" in ");
    if (in == std::string::npos) throw SyntaxError("expected 'in' in for");
    s->targets = target_names(head.substr(0, in));
    ExprParser ep(lex(head.substr(in + 4), base_ + utf8_length(std::string_view(head).substr(0, in + 4))));
    s->expr = ep.expression(false);
    if (ep.is_name("if")) {
      ++ep.p_;
      s->filter = ep.expression(false);
    }
    if (ep.is_name("recursive")) {
      ++ep.p_;
      s->recursive = true;
    }
    if (!ep.at_end()) ep.fail();
    s->body = block({"else", "endfor"});
    std::string word = first_word(pieces_[i_].body);
    ++i_;
    if (word == "else") {
      s->else_body = block({"endfor"});
      ++i_;
    }
    return s;
  }

  std::vector<Piece> pieces_;
  size_t base_ = 0;  // characters of the template before the head a statement lexes
  size_t i_ = 0;
  int depth_ = 0;  // open {% if %}/{% for %} blocks
};

}  // namespace

Result<JNodePtr> parse_expression(std::string_view text) {
  try {
    ExprParser p(lex(text));
    return p.parse_balanced(false);
  } catch (const SyntaxError& e) {
    return bad_input(e.what());
  } catch (const std::exception& e) {
    // A parser defect must cost the request, not the process: the fuzz
    // target found `{% elif %}` throwing std::out_of_range past the parser.
    return bad_input(std::string("the text could not be parsed: ") + e.what());
  }
}

Result<std::vector<StmtPtr>> parse_template(std::string_view text) {
  try {
    TemplateParser p(scan(text));
    return p.parse_all();
  } catch (const SyntaxError& e) {
    return bad_input(e.what());
  } catch (const std::exception& e) {
    // A parser defect must cost the request, not the process: the fuzz
    // target found `{% elif %}` throwing std::out_of_range past the parser.
    return bad_input(std::string("the text could not be parsed: ") + e.what());
  }
}

}  // namespace bora::expr::jinja
