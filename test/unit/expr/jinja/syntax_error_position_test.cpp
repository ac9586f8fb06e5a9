// Jinja's lexer counts an unexpected character's position from the start of
// the whole template, in characters: `a {{ 1 + $ }}` is "unexpected char
// '$' at 9" (Jinja2 3.1's answers). Bora counted from the print's body (at
// 5), which Mistral's frozen refusals ("Syntax error 'unexpected char '$'
// at 3'.") showed.
#include <catch2/catch.hpp>

#include "bora/expr/jinja/jinja.h"

using namespace bora;

TEST_CASE("an unexpected character's position counts from the template's start") {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {Case{"{{ $ }}", "unexpected char '$' at 3"},
                        Case{"a {{ 1 + $ }}", "unexpected char '$' at 9"},
                        Case{"\xc3\xa9 {{ $ }}", "unexpected char '$' at 5"},  // é is one character
                        Case{"{{ x }} {{ $ }}", "unexpected char '$' at 11"},
                        Case{"x {{- $ }}", "unexpected char '$' at 6"},
                        Case{"{% if $ %}x{% endif %}", "unexpected char '$' at 6"},
                        Case{"ab {% for x in $ %}{% endfor %}", "unexpected char '$' at 15"},
                        Case{"{% set a = $ %}", "unexpected char '$' at 11"},
                        Case{"{% if 1 %}{% elif $ %}{% endif %}", "unexpected char '$' at 18"}}) {
    INFO(c.text);
    auto t = expr::jinja::compile_template(c.text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().message == c.message);
  }
}

// Jinja's lexer writes every line end as \n before it reads the template, so
// a \r\n counts as one character (Jinja2 3.1's answers; its line numbers,
// which Mistral's message does not show, count them as one line end too).
TEST_CASE("a syntax error's position counts a \\r\\n line end as one character") {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {Case{"a\r\nb {{ $ }}", "unexpected char '$' at 7"},
                        Case{"a\r\n\r\n{% if $ %}x{% endif %}", "unexpected char '$' at 9"},
                        Case{"x\r\ny\r\n{{ 1 +\r\n $ }}", "unexpected char '$' at 12"},
                        Case{"\xc3\xa9\r\n{{ $ }}", "unexpected char '$' at 5"},
                        Case{"a\rb\r{{ $ }}", "unexpected char '$' at 7"}}) {
    INFO(c.text);
    auto t = expr::jinja::compile_template(c.text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().message == c.message);
  }
}
