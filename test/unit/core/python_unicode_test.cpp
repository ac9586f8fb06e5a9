// core/python_unicode and core/python_escapes against Python's answers
// (scripts/gen_unicode_tables.py froze them in test/data/core/
// unicode_cases.jsonl), and the escapes' rules and errors.
#include <catch2/catch.hpp>

#include <sstream>

#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/core/python_escapes.h"
#include "bora/core/python_unicode.h"

using namespace bora;

TEST_CASE("case mapping and classes give Python's answers") {
  auto text = read_text_file(std::string(BORA_SOURCE_DIR) + "/test/data/core/unicode_cases.jsonl");
  REQUIRE(text.ok());
  std::istringstream lines(*text);
  std::string line;
  int texts = 0, names = 0;
  std::vector<std::string> failures;
  while (std::getline(lines, line)) {
    auto c = parse_json(line);
    REQUIRE(c.ok());
    if (c->is_dict()) {
      ++names;
      auto cp = python_unicode_lookup((*c)["name"].as_string());
      const Value& want = (*c)["code_point"];
      if (want.is_null() ? cp.has_value() : (!cp || *cp != static_cast<uint32_t>(want.as_int())))
        failures.push_back(line + " got " + (cp ? std::to_string(*cp) : "nothing"));
      continue;
    }
    ++texts;
    const std::string& t = (*c)[0].as_string();
    std::string flags;
    for (PythonCharClass k : {PythonCharClass::Alpha, PythonCharClass::Decimal, PythonCharClass::Digit,
                              PythonCharClass::Numeric, PythonCharClass::Alnum, PythonCharClass::Space})
      flags += python_str_is(t, k) ? '1' : '0';
    flags += python_isupper(t) ? '1' : '0';
    flags += python_islower(t) ? '1' : '0';
    flags += python_istitle(t) ? '1' : '0';
    flags += python_isidentifier(t) ? '1' : '0';
    std::string got[] = {python_upper(t), python_lower(t), python_title(t), python_capitalize(t), python_swapcase(t),
                         python_casefold(t), flags};
    for (size_t i = 0; i < 7; ++i)
      if (got[i] != (*c)[i + 1].as_string())
        failures.push_back(line + " [" + std::to_string(i + 1) + "] got " + got[i]);
  }
  INFO(failures.size() << " differ");
  for (size_t i = 0; i < failures.size() && i < 30; ++i) UNSCOPED_INFO(failures[i]);
  CHECK(failures.empty());
  CHECK(texts > 2500);
  CHECK(names > 300);
}

TEST_CASE("broken UTF-8 passes through the case methods unchanged") {
  CHECK(python_upper("a\xff" "b") == "A\xff" "B");
  CHECK_FALSE(python_str_is("\xff", PythonCharClass::Alpha));
}

TEST_CASE("string literal escapes decode as Python's unicode-escape codec") {
  CHECK(python_unicode_escape_decode("\\u00e9\\x41\\101\\N{BULLET}\\n\\q").value() == "\xc3\xa9" "AA\xe2\x80\xa2\n\\q");
  CHECK(python_unicode_escape_decode("\\N{hangul syllable gag}\\N{CJK UNIFIED IDEOGRAPH-4E00}").value() ==
        "\xea\xb0\x81\xe4\xb8\x80");
  CHECK(python_unicode_escape_decode("a\\\nb").value() == "ab");
  CHECK(python_unicode_escape_decode("ab\\xZZ").error().message ==
        "'unicodeescape' codec can't decode bytes in position 2-3: truncated \\xXX escape");
  CHECK(python_unicode_escape_decode("\\").error().message ==
        "'unicodeescape' codec can't decode byte 0x5c in position 0: \\ at end of string");
  CHECK(python_unicode_escape_decode("\\U00110000").error().message ==
        "'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character");
  CHECK(python_unicode_escape_decode("\\N{NOPE}").error().message ==
        "'unicodeescape' codec can't decode bytes in position 0-7: unknown Unicode character name");
  CHECK(python_unicode_escape_decode("\\N{}").error().message ==
        "'unicodeescape' codec can't decode bytes in position 0-2: malformed \\N character escape");
  // Jinja's reading: a backslash before a non-ASCII character leaves its escape's text.
  CHECK(python_unicode_escape_decode("\\\xc3\xa9", true).value() == "\\xe9");
  CHECK(python_unicode_escape_decode("\xc3\xa9", true).value() == "\xc3\xa9");
}
