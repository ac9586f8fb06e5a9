// Every frozen answer of the real Mistral for a Jinja2 string
// (scripts/gen_jinja_cases.py). The string is handled as Mistral's
// JinjaEvaluator does: a lone `{{ }}` is an expression keeping its type,
// anything else with `{{ }}` a template rendered to text, `{% %}` alone an
// error.
#include <catch2/catch.hpp>

#include "../frozen_cases.h"
#include "mistral_evaluate.h"

using namespace bora;


TEST_CASE("Jinja2 gives Mistral's answers") {
  int total = test::check_frozen_cases("test/data/expr/jinja/cases.jsonl", "text", test::mistral_evaluate);
  CHECK(total >= 100);
}

// Python's strings in Jinja (scripts/python_string_cases.py): %
// formatting, the format filter, str.format, Unicode case methods and
// filters, string literal escapes.
TEST_CASE("Jinja2 gives Mistral's answers for Python's strings") {
  int total = test::check_frozen_cases("test/data/expr/jinja/strings.jsonl", "text", test::mistral_evaluate);
  CHECK(total >= 2000);
}
