// yaql's regex functions on PCRE2: what std::regex could not do (crash on a
// long subject, freeze on a catastrophic pattern, named groups, lookbehind,
// inline flags, character offsets), against Python's `re` answers.
#include <catch2/catch.hpp>

#include <chrono>

#include "bora/core/json.h"
#include "bora/core/regex.h"
#include "bora/expr/yaql/yaql.h"

using namespace bora;

namespace {

Result<Value> eval(const std::string& expression, const Value& data = Value::dict({})) {
  auto program = expr::yaql::compile(expression);
  if (!program) return program.error();
  expr::EvalContext ctx{data};
  return expr::yaql::evaluate(**program, ctx);
}

std::string json(const std::string& expression, const Value& data = Value::dict({})) {
  auto v = eval(expression, data);
  if (!v) return "error: " + v.error().message;
  return to_json(*v);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("a long subject neither crashes nor overflows the stack (finding 1)") {
  // std::regex recursed once per character here and killed the process.
  CHECK(json("regex('a*c').matches('a' * 100000)") == "false");
  CHECK(json("regex('a*c').matches('a' * 100000 + 'c')") == "true");
  CHECK(json("('a' * 100000) =~ '(a|b)*c'") == "false");
  CHECK(json("('ab' * 50000).matches('^(?:ab)*$')") == "true");
  CHECK(json("regex('(a)*').search('a' * 100000, $.end)") == "100000");
}

TEST_CASE("catastrophic backtracking stops at the budget, fast, with the option's name (finding 6)") {
  for (const char* expression : {"regex('(a+)+$').matches('a' * 30 + '!')", "('a' * 30 + '!') =~ '(a+)+$'",
                                 "('a' * 30 + '!').matches('(a+)+$')", "regex('(a+)+$').searchAll('a' * 30 + '!')",
                                 "regex('(a+)+$').split('a' * 30 + '!')",
                                 "regex('(a+)+$').replace('a' * 30 + '!', 'x')",
                                 "regex('(a|aa)+$').search('a' * 40 + '!')"}) {
    INFO(expression);
    auto started = std::chrono::steady_clock::now();
    auto r = eval(expression);
    CHECK(seconds_since(started) < 1.0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::BadInput);
    CHECK_THAT(r.error().message, Catch::Contains("needed more than 10000000 match steps"));
    CHECK_THAT(r.error().message, Catch::Contains("[expressions] regex_match_limit"));
    CHECK_THAT(r.error().message, Catch::Contains("regular expression '(a"));
  }
}

TEST_CASE("named groups and back references by name") {
  CHECK(json(R"(regex('(?P<year>\\d{4})-(?P<month>\\d\\d)').search('on 2024-05-01', [$2.value, $3.value]))") ==
        R"(["2024","05"])");
  CHECK(json(R"(regex('(?P<c>[a-z])(?P=c)').searchAll('aabbcd'))") == R"(["aa","bb"])");
  CHECK(json(R"(regex('(?P<user>\\w+)@(?P<host>\\w+)').replace('bob@box', '\\g<host>:\\g<user>:\\g<0>'))") ==
        R"("box:bob:bob@box")");
  CHECK_THAT(json(R"(regex('(?P<a>x)').replace('x', '\\g<b>'))"), Catch::Contains("unknown group name 'b'"));
  CHECK_THAT(json(R"(regex('(x)').replace('x', '\\2'))"), Catch::Contains("invalid group reference 2"));
}

TEST_CASE("lookbehind, lookahead and atomic groups") {
  CHECK(json(R"(regex('(?<=\\$)\\d+').search('cost $42'))") == R"("42")");
  CHECK(json(R"(regex('(?<!-)\\b\\d+').searchAll('-5 7 -8 9'))") == R"(["7","9"])");
  CHECK(json(R"(regex('\\w+(?=!)').search('hi there!'))") == R"("there")");
  CHECK(json(R"(regex('(?>a+)b').matches('aaab'))") == "true");
}

TEST_CASE("inline flags, \\A and \\Z as Python reads them") {
  CHECK(json("regex('(?i)abc').matches('xABC')") == "true");
  CHECK(json("regex('(?s)a.b').matches('a\\nb')") == "true");
  CHECK(json("regex('a.b').matches('a\\nb')") == "false");
  CHECK(json("regex('(?m)^b').matches('a\\nb')") == "true");
  CHECK(json("regex('(?x) a b c  # spaced out').matches('abc')") == "true");
  CHECK(json("regex('(?i:A)b').matches('ab')") == "true");
  CHECK(json("regex('(?i:A)b').matches('aB')") == "false");
  CHECK(json("regex('(?u)\\\\w').matches('é')") == "true");
  CHECK_THAT(json("regex('(?a)\\\\w')"), Catch::Contains("(?a)"));
  // Python's \Z is the very end; $ also matches before a final newline.
  CHECK(json("regex('b\\\\Z').matches('ab\\n')") == "false");
  CHECK(json("regex('b\\\\Z').matches('ab')") == "true");
  CHECK(json("regex('b$').matches('ab\\n')") == "true");
  CHECK(json("regex('\\\\Aa').matches('ba')") == "false");
  CHECK(json("regex('^a{,2}$').matches('aa')") == "true");
  CHECK(json("regex('^a{,2}$').matches('aaa')") == "false");
  CHECK(json("regex('\\\\u00e9').matches('caf\\u00e9')") == "true");
}

TEST_CASE("\\d, \\w, \\s and case folding are Unicode's, as for Python str patterns") {
  CHECK(json("regex('^\\\\w+$').matches('héllo')") == "true");
  CHECK(json("regex('^\\\\d$').matches('٣')") == "true");
  CHECK(json("regex('a\\\\sb').matches('a\\u00a0b')") == "true");
  CHECK(json("regex('ÉTÉ', ignoreCase => true).matches('été')") == "true");
}

TEST_CASE("offsets count characters, not bytes") {
  CHECK(json("regex('w.rld').search('héllo wörld', [$.start, $.end])") == "[6,11]");
  CHECK(json("regex('(ö)(.)').searchAll('öaöb', [$.start, $2.start, $3.end])") == "[[0,0,2],[2,2,4]]");
  CHECK(json("regex('ö').replaceBy('aöböc', str($.start))") == R"("a1b3c")");
  CHECK(json("regex('ö').split('aöböc')") == R"(["a","b","c"])");
}

TEST_CASE("empty matches follow Python 3.7+") {
  CHECK(json("regex('x*').replace('abxd', '-')") == R"("-a-b--d-")");
  CHECK(json("regex('x*').split('axbc')") == R"(["","a","","b","c",""])");
  CHECK(json("regex('x*').searchAll('axb')") == R"(["","x","",""])");
}

TEST_CASE("a text that is not UTF-8 is an error, not undefined behaviour") {
  Value data = Value::dict({{"t", Value(std::string("ab\xff\xfe"))}});
  auto r = eval("regex('b').matches($.t)", data);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("not valid UTF-8"));
}

TEST_CASE("a bad pattern fails with Python's message and position (as on Mistral)") {
  auto r = eval("regex('a(b')");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("missing ), unterminated subpattern at position 1"));
  CHECK_THAT(json("regex('(?<=ab|c)x')"), Catch::Contains("look-behind requires fixed-width pattern"));
  CHECK_THAT(json("regex('\\\\N{DASH}')"), Catch::Contains("not supported"));
  CHECK_THAT(json("regex('\\\\u12')"), Catch::Contains("incomplete escape"));
}

TEST_CASE("\\C, which could cut a character in two, is refused (Python has no \\C either)") {
  CHECK_THAT(json("regex('a\\\\Cb')"), Catch::Contains("bad escape \\C at position 1"));
}

TEST_CASE("each thread keeps at most [expressions] regex_cache_entries compiled patterns", "[yaql][regex][limits]") {
  RegexLimits saved = process_regex_limits();
  RegexLimits limits = saved;
  limits.cache_entries = 4;
  set_process_regex_limits(limits);
  for (int i = 0; i < 20; ++i) {
    std::string n = std::to_string(i);
    CHECK(json("regex('a" + n + "$').matches('xa" + n + "')") == "true");
    CHECK(expr::yaql::cached_regex_patterns() <= 4);
  }
  CHECK(expr::yaql::cached_regex_patterns() > 0);
  limits.cache_entries = 0;
  set_process_regex_limits(limits);
  CHECK(json("regex('b$').matches('ab')") == "true");
  CHECK(expr::yaql::cached_regex_patterns() == 0);
  set_process_regex_limits(saved);
}
