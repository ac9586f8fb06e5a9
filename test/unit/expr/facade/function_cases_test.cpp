// Every frozen answer of the real Mistral for strings using Mistral's own
// functions (json_dump, json_pp, yaml_dump, yaml_parse) and the yaql
// behaviours production workbooks rely on (`$.servers.name` over a list,
// list() unpacking what yaql returns as iterators), evaluated as the engine
// evaluates a task's string: through MistralExpressions
// (scripts/gen_function_cases.py).
#include <catch2/catch.hpp>

#include "../mistral_evaluated_cases.h"

using namespace bora;

TEST_CASE("Mistral's functions and yaql's collection rules give Mistral's answers", "[expr][functions]") {
  int total = test::check_cases_through_mistral_expressions("test/data/expr/functions/cases.jsonl");
  CHECK(total >= 60);
}
