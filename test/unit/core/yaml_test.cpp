#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>

#include "bora/core/json.h"
#include "bora/core/yaml.h"
#include "bora/core/python_int.h"

using namespace bora;

static Value Y(const char* s) { return parse_yaml(s).value(); }

TEST_CASE("plain scalars resolve as PyYAML safe_load does") {
  CHECK(Y("yes").as_bool() == true);
  CHECK(Y("Off").as_bool() == false);
  CHECK(Y("~").is_null());
  CHECK(Y("null").is_null());
  CHECK(Y("42").as_int() == 42);
  CHECK(Y("-0x1F").as_int() == -31);
  CHECK(Y("017").as_int() == 15);
  CHECK(Y("0b101").as_int() == 5);
  CHECK(Y("1_000").as_int() == 1000);
  CHECK(Y("1:30").as_int() == 90);
  CHECK(Y("1.5").as_double() == 1.5);
  CHECK(Y("1.0e+3").as_double() == 1000.0);
  CHECK(Y("1e3").as_string() == "1e3");  // YAML 1.1 needs the dot
  CHECK(Y(".inf").as_double() > 1e308);
  CHECK(Y("'yes'").as_string() == "yes");
  CHECK(Y("\"42\"").as_string() == "42");
  CHECK(Y("2.0").is_double());
  CHECK(Y("<% $.x %>").as_string() == "<% $.x %>");
}

TEST_CASE("mappings keep order, sequences convert") {
  Value v = Y("b: 1\na: [x, 2, true]\nc:\n  d: null\n");
  CHECK(to_json(v) == R"({"b":1,"a":["x",2,true],"c":{"d":null}})");
}

TEST_CASE("bad YAML is refused with line and column") {
  auto r = parse_yaml("a: [1, 2\nb: 3\n");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("line"));
  CHECK_THAT(r.error().message, Catch::Contains("column"));
}

TEST_CASE("one document, directives only before its ---, as PyYAML's safe_load reads a stream") {
  CHECK(parse_yaml("%YAML 1.1\n---\na: 1\n...\n").value() == Value::dict({{"a", Value(int64_t{1})}}));
  CHECK(parse_yaml("a: |\n  %x\n").value() == Value::dict({{"a", Value("%x\n")}}));
  for (const char* bad : {"a: 1\n---\nb: 2\n", "a: 1\n...\nb: 2\n", "a: 1\n%FOO\n", "%\n", "%YAML 1.1\na: 1\n"}) {
    auto r = parse_yaml(bad);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith("invalid YAML at line"));
  }
  CHECK(parse_yaml("a: 1\n---\nb: 2\n").error().message.find("expected a single document in the stream") !=
        std::string::npos);
}

TEST_CASE("a `<<` key merges as PyYAML's SafeConstructor.flatten_mapping does") {
  // Expected values: PyYAML 6's safe_load of the same text.
  CHECK(to_json(Y("a: &x {k: 1, m: 1}\nb: &y {k: 2, n: 2}\nc:\n  <<: [*x, *y]\n  z: 0\n")) ==
        R"({"a":{"k":1,"m":1},"b":{"k":2,"n":2},"c":{"k":1,"n":2,"m":1,"z":0}})");
  CHECK(to_json(Y("a: &x {k: 1}\nb:\n  j: 0\n  <<: *x\n  k: 3\n")) == R"({"a":{"k":1},"b":{"k":3,"j":0}})");
  CHECK(to_json(Y("b:\n  <<: {p: 1, <<: {q: 2, p: 9}}\n  r: 3\n")) == R"({"b":{"q":2,"p":1,"r":3}})");
  CHECK(to_json(Y("b:\n  '<<': {a: 1}\n")) == R"({"b":{"<<":{"a":1}}})");  // quoted: a plain key
  for (const char* bad : {"b:\n  <<: 5\n", "b:\n  <<:\n", "b:\n  <<: [{a: 1}, 5]\n"}) {
    auto r = parse_yaml(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith("while constructing a mapping at line 2"));
  }
}

TEST_CASE("Mistral's SafeLoader flavour reads &, * and @ as the start of plain text") {
  auto m = [](const char* s) { return parse_yaml(s, YamlFlavour::mistral_safe_loader); };
  // Expected values: mistral.utils.safe_yaml.load of the same text.
  CHECK(to_json(m("a: *.log\n").value()) == R"({"a":"*.log"})");
  CHECK(to_json(m("a: &x [1, 2]\nb: *x\n").value()) == R"({"a":"&x [1, 2]","b":"*x"})");
  CHECK(to_json(m("a: [*x, *y, 1]\n").value()) == R"({"a":["*x","*y",1]})");
  CHECK(to_json(m("a: @user\nb: [@x, y]\n").value()) == R"({"a":"@user","b":["@x","y"]})");
  CHECK(to_json(m("- &x a\n- *x\n").value()) == R"(["&x a","*x"])");
  CHECK(to_json(m("a: * * * * *\n").value()) == R"({"a":"* * * * *"})");
  CHECK(to_json(m("&k key: v\n").value()) == R"({"&k key":"v"})");
  CHECK(to_json(m("a: '*x'\nb: \"&y\"\n").value()) == R"({"a":"*x","b":"&y"})");
  CHECK(to_json(m("a: x*y&z@w\n").value()) == R"({"a":"x*y&z@w"})");
  CHECK(to_json(m("a: |\n  *x &y\n").value()) == R"({"a":"*x &y\n"})");
  CHECK(to_json(m("a: {k: *x, j: [&y 1]}\n").value()) == R"({"a":{"k":"*x","j":["&y 1"]}})");
  CHECK_FALSE(m("a: &x {k: 1}\n").ok());  // text up to its ':', then a mapping value: refused
  CHECK_FALSE(m("a: &x\n  k: v\n").ok());
  CHECK_FALSE(m("a: *\n").ok());  // PyYAML's tag:yaml.org,2002:yaml
  CHECK_FALSE(m("a: &\n").ok());
  CHECK_FALSE(m("d:\n  <<: *x\n").ok());  // an alias is text: nothing to merge
  // Tags SafeConstructor has no constructor for, in either flavour.
  for (const char* bad : {"a: !custom x\n", "a: !!python/name:os.system x\n", "a: !!foo x\n", "a: !m {k: 1}\n",
                          "a: =\n", "a: x\x07\n", "a: x\x7f\n", "a: \xc2\x80\n"}) {
    CHECK_FALSE(parse_yaml(bad).ok());
    CHECK_FALSE(m(bad).ok());
  }
  CHECK(to_json(Y("=: 1\n")) == R"({"=":1})");  // a `=` key is the text
  // None and bool keys, named as Python's json names them (Mistral's
  // yaml_parse("null: 1") is {"null": 1}; yaml-cpp makes a `~` key a null node).
  CHECK(to_json(Y("null: 1\nTrue: 2\n~: 3\n")) == R"({"null":3,"true":2})");
  CHECK(to_json(Y("[1]\n# c\n")) == "[1]");
  // yaml-cpp's LoadAll loops for ever on some malformed text (found by
  // fuzz_jinja); yaml-cpp's Load reads no node of it and starts a second
  // document: refused, as PyYAML refuses it ("expected the node content,
  // but found ','").
  auto no_value = parse_yaml(", \u00e1[ 2]");
  REQUIRE_FALSE(no_value.ok());
  CHECK_THAT(no_value.error().message, Catch::StartsWith("invalid YAML at line 1, column 1: no YAML value starts"));
  CHECK(to_json(Y("a: !!str 5\nb: !!int '7'\n")) == R"({"a":"5","b":7})");
  // yaml-cpp's \N and \_ escapes are U+0085 and U+00A0.
  CHECK(Y("a: \"x\\Ny\\_z\"\n")["a"].as_string() == "x\u0085y\u00a0z");
  // The standard flavour (yaml_parse) still expands aliases, as safe_load does.
  CHECK(to_json(Y("a: &x [1, 2]\nb: *x\n")) == R"({"a":[1,2],"b":[1,2]})");
}

TEST_CASE("NEL, LS and PS are line breaks, LS and PS kept in content where a newline folds, as PyYAML reads them") {
  // Expected values: PyYAML 6's safe_load of the same text.
  auto json = [](const std::string& s) { return to_json(parse_yaml(s).value()); };
  const std::string ls = "\u2028", ps = "\u2029";
  CHECK(json("a: \"x" + ls + "  y\"\n") == "{\"a\":\"x" + ls + "y\"}");
  CHECK(json("a: 'it''s" + ls + " \"q\" \\\\'\n") == "{\"a\":\"it's" + ls + "\\\"q\\\" \\\\\\\\\"}");
  CHECK(json("a: x" + ls + "  y\n") == "{\"a\":\"x" + ls + "y\"}");
  CHECK(json("a: x  " + ls + "\n\n  y z\n") == "{\"a\":\"x" + ls + "\\n\\ny z\"}");
  CHECK(json("a: x" + ls + "b: 2\n") == "{\"a\":\"x\",\"b\":2}");
  CHECK(json("# c" + ps + "a: 1\n") == "{\"a\":1}");
  CHECK(json("a: 1 # x\u0085b: 2\n") == "{\"a\":1,\"b\":2}");
  CHECK(json("a: |\n  x" + ls + "  y\n") == "{\"a\":\"x" + ls + "y\\n\"}");
  CHECK(json("a: >-\n  x\n  y" + ls + "  z\n\n   w\n  v\n") == "{\"a\":\"x y" + ls + "z\\n\\n w\\nv\"}");
  CHECK(json("a: \"x" + ps + ls + "y\"\n") == "{\"a\":\"x" + ps + ls + "y\"}");
  CHECK(json("{a: \"x" + ls + " y\", b: [c" + ls + " d]}\n") == "{\"a\":\"x" + ls + "y\",\"b\":[\"c" + ls + "d\"]}");
  CHECK(json("? \"k" + ls + " k\"\n: v\n") == "{\"k" + ls + "k\":\"v\"}");
  // A block scalar ends at LS when the next text is not indented: the rest
  // is a key without ':'.
  CHECK_FALSE(parse_yaml("a: |\n  x" + ls + "y\n").ok());
}

TEST_CASE("a key without ':' and a second document without --- are refused, as PyYAML refuses them") {
  for (const char* bad : {"a: 1\nb\n", "a: 1\nb", "a:\n  b: 1\n  c\n", "a: 1\nb\nc: 2\n", "- a\n- b\nc\n",
                          "- a\n- b\nc: 1\n", "[1]\n2\n", "'x'\ny\n", "- a\n-b\n"}) {
    auto r = parse_yaml(bad);
    CHECK_FALSE(r.ok());
    if (!r.ok()) CHECK_THAT(r.error().message, Catch::StartsWith("invalid YAML at line "));
  }
  CHECK(to_json(Y("a: 1\n  - x\n")) == R"({"a":"1 - x"})");
  CHECK(to_json(Y("[1]\n# c\n")) == "[1]");
  // A value no deeper than its key on the next line (PyYAML scans it as a
  // key), and an entry without a key.
  for (const char* bad : {"a:\n'x'\n", "a:\n{b: 1}\n", "a:\n[1]\n", "a: 1\n: y\n", ": y\n", "{: y}\n", "- a\n- : b\n"})
    CHECK_FALSE(parse_yaml(bad).ok());
  CHECK(to_json(Y("a:\n- x\n")) == R"({"a":["x"]})");
  CHECK(to_json(Y("a:\n|\n  x\n")) == R"({"a":"x\n"})");
  CHECK(to_json(Y("? k\n: v\n")) == R"({"k":"v"})");
  CHECK(to_json(Y("a:\nb: 1\n")) == R"({"a":null,"b":1})");
}

TEST_CASE("block scalars read as PyYAML reads them, a folded >+ keeping its trailing lines") {
  // Expected values: PyYAML 6's safe_load of the same text (yaml-cpp drops
  // the trailing blank lines of `>+`).
  CHECK(to_json(Y("a: >+\n  x\n\n\nb: 1\n")) == R"({"a":"x\n\n\n","b":1})");
  CHECK(to_json(Y("a: >+\n  x\n  y\n\n")) == R"({"a":"x y\n\n"})");
  CHECK(to_json(Y("k:\n  m: >2+\n    x\n     y\n\n  n: 2\n")) == R"({"k":{"m":"x\n y\n\n","n":2}})");
  CHECK(to_json(Y("- |2\n   x\n  y\n")) == R"([" x\ny\n"])");
  CHECK(to_json(Y("a:\n>+\n  x\n\n")) == R"({"a":"x\n\n"})");
  CHECK(to_json(Y("a: |+\n  x\n\n")) == R"({"a":"x\n\n"})");
  // A lone dash, its block scalar's indicator at the dash's column on the
  // next line: the entry's value, as PyYAML reads it.
  CHECK(to_json(Y("- \n|\n  x\n- z\n")) == R"(["x\n","z"])");
  CHECK(to_json(Y("-\n\n>-\n  a\n  b\n")) == R"(["a b"])");
  CHECK(to_json(Y("k:\n  -\n  |\n    x\n")) == R"({"k":["x\n"]})");
}

TEST_CASE("an escaped line break keeps the breaks after it; an explicit key no deeper than its ? is refused") {
  // Expected values: PyYAML 6's safe_load of the same text.
  CHECK(to_json(Y("a: \"x\\\u2029\n\u2028  y\"\n")) == "{\"a\":\"x\\n\u2028y\"}");
  CHECK(to_json(Y("a: \"x\\\n \n \u2029y\"\n")) == "{\"a\":\"x\\n\u2029y\"}");
  CHECK_FALSE(parse_yaml("? \n\"k q\"\n: v\n").ok());
  CHECK(to_json(Y("?\n  k\n: v\n")) == R"({"k":"v"})");
}

TEST_CASE("tabs are taken where PyYAML takes them: in quotes, a block's content and comments") {
  // Expected verdicts: PyYAML 6's safe_load of the same text.
  for (const char* ok : {"a: 'x\ty'\n", "a: \"x\ty\"\n", "a: |\n  x\ty\n  \tz\n", "a: 1 # \tc\n",
                         "a: >-\n    x\t\nb: 2\n", "a: 'multi\n  \tline'\n", "a: x {0}\nb: 'y\tz'\n",
                         "- [1, 'a\tb']\n", "a: it's\nb: '\t'\n"}) {
    INFO(ok);
    CHECK(parse_yaml(ok).ok());
  }
  for (const char* bad : {"a:\tb\n", "a: b\t\n", "a: b\tc\n", "\ta: b\n", "a:\n\t- 1\n", "a: [1,\t2]\n",
                          "a: |\n\tx\n", "a: |\n  x\n\tb: 1\n", "a: x {0}\nb: y\tz\n", "a: \"q\"\t\n"}) {
    INFO(bad);
    auto r = parse_yaml(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("found character '\\t' that cannot start any token"));
  }
}

TEST_CASE("plain scalar resolution is a linear scan: a 1 MB scalar neither crashes nor stalls") {
  // std::regex recursed once per character of the scalar and crashed here.
  const std::string digits(1 << 20, '7');
  // Beyond Python's 4 300 digits (PyYAML's int() would refuse it): the
  // nearest double, as infinite as it gets.
  Value big = resolve_plain_scalar(digits);
  REQUIRE(big.is_double());
  CHECK(std::isinf(big.as_double()));
  CHECK(resolve_plain_scalar(digits + "x").as_string().size() == digits.size() + 1);
  CHECK(resolve_plain_scalar(digits + "." + digits).is_double());
  CHECK(resolve_plain_scalar(std::string(1 << 20, 'a')).is_string());
  // Beyond 4 300 decimal digits (Mistral could not write it as JSON): the
  // nearest double, in linear time.
  CHECK(resolve_plain_scalar("0x" + std::string(1 << 20, 'f')).is_double());
  CHECK(resolve_plain_scalar("0x" + std::string(3000, 'f')).is_big_int());  // 3 613 digits: exact, as PyYAML
  CHECK(resolve_plain_scalar("1" + std::string(1 << 19, ':') ).is_string());
  std::string sexagesimal = "1";
  for (int i = 0; i < 100000; ++i) sexagesimal += ":59";
  CHECK(resolve_plain_scalar(sexagesimal).is_double());  // beyond int64, no signed overflow
  Value doc = parse_yaml("x: " + digits + "\n").value();
  CHECK(doc["x"].is_double());
}

TEST_CASE("plain scalar resolution keeps PyYAML's YAML 1.1 rules") {
  CHECK(resolve_plain_scalar("1:30:05").as_int() == 5405);
  CHECK(resolve_plain_scalar("-1:30").as_int() == -90);
  CHECK(resolve_plain_scalar("1:60").is_string());
  CHECK(resolve_plain_scalar("1:5:").is_string());
  CHECK(resolve_plain_scalar("1:30.5").as_double() == 90.5);
  CHECK(resolve_plain_scalar("09").is_string());
  CHECK(resolve_plain_scalar("0_7").as_int() == 7);
  CHECK(resolve_plain_scalar("0b1_0").as_int() == 2);
  CHECK(resolve_plain_scalar("0x_1f").as_int() == 31);
  CHECK(resolve_plain_scalar("+12").as_int() == 12);
  CHECK(resolve_plain_scalar("9223372036854775807").as_int() == INT64_MAX);
  CHECK(resolve_plain_scalar("-9223372036854775808").as_int() == INT64_MIN);
  CHECK(resolve_plain_scalar("9223372036854775808").is_big_int());  // Python's ints are unbounded
  CHECK(python_int::to_text(resolve_plain_scalar("-0x1_0000_0000_0000_0000")) == "-18446744073709551616");
  CHECK(python_int::to_text(resolve_plain_scalar("12345678901234567890123")) == "12345678901234567890123");
  CHECK(python_int::to_text(resolve_plain_scalar("1" + std::string(30, '0') + ":00")) ==
        "6" + std::string(31, '0'));
  CHECK(resolve_plain_scalar(".5").as_double() == 0.5);
  CHECK(resolve_plain_scalar("-.5").is_string());  // PyYAML: the sign needs a leading digit
  CHECK(resolve_plain_scalar("1.").as_double() == 1.0);
  CHECK(resolve_plain_scalar("1.5e-2").as_double() == 0.015);
  CHECK(resolve_plain_scalar("1.5e2").is_string());  // the exponent needs its sign
  CHECK(resolve_plain_scalar("-.INF").as_double() < -1e308);
  CHECK(std::isnan(resolve_plain_scalar(".NaN").as_double()));
  CHECK(resolve_plain_scalar("-.nan").is_string());
  CHECK(resolve_plain_scalar("1_000.000_1").as_double() == 1000.0001);
  CHECK(resolve_plain_scalar("+").is_string());
  CHECK(resolve_plain_scalar("-").is_string());
  CHECK(resolve_plain_scalar(".").is_string());
  CHECK(resolve_plain_scalar("0b").is_string());
  CHECK(resolve_plain_scalar("_1").is_string());
}

TEST_CASE("to_yaml quotes what PyYAML's resolver would read as another type") {
  // Frozen from PyYAML 6's safe_dump (yaml_dump's cases in
  // test/data/expr/functions hold more): a str that reads as a date is
  // quoted, unless the caller's strings stand for the dates they were
  // loaded from; '<<' and '=' always; '._' and '0o17' stay plain.
  CHECK(to_yaml(Value("2024-02-29"), true) == "'2024-02-29'\n");
  CHECK(to_yaml(Value("2024-02-29"), false) == "2024-02-29\n...\n");
  CHECK(to_yaml(Value("<<")) == "'<<'\n");
  CHECK(to_yaml(Value("._")) == "._\n...\n");
  CHECK(to_yaml(Value("0o17")) == "0o17\n...\n");
  // A key that is empty or multiline is written `? key` / `: value`.
  Dict d;
  d.set("", Value(List{Value(int64_t{1})}));
  CHECK(to_yaml(Value(std::move(d))) == "? ''\n: - 1\n");
}
