// Every frozen answer of the real Mistral for a Jinja2 string
// (scripts/gen_jinja_cases.py). The string is handled as Mistral's
// JinjaEvaluator does: a lone `{{ }}` is an expression keeping its type,
// anything else with `{{ }}` a template rendered to text, `{% %}` alone an
// error.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "../same_value.h"
#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/expr/jinja/jinja.h"

using namespace bora;
using bora::test::same;

namespace {

Result<Value> mistral_evaluate(const std::string& text, const expr::EvalContext& ctx) {
  static const std::regex var(R"(\{\{(.*?)\}\})"), block(R"(\{%(.*?)%\})");
  std::smatch m;
  if (!std::regex_search(text, m, var)) {
    if (std::regex_search(text, block)) return bad_input("list index out of range");
    return Value(text);  // no Jinja in it
  }
  if (m.position(0) == 0 && static_cast<size_t>(m.length(0)) == text.size()) {
    auto e = expr::jinja::compile_expression(m.str(1));
    if (!e) return e.error();
    return expr::jinja::evaluate(**e, ctx);
  }
  auto t = expr::jinja::compile_template(text);
  if (!t) return t.error();
  return expr::jinja::render(**t, ctx);
}

}  // namespace

TEST_CASE("Jinja2 gives Mistral's answers") {
  auto text = read_text_file(std::string(BORA_SOURCE_DIR) + "/test/data/expr/jinja/cases.jsonl", 16 << 20);
  REQUIRE(text.ok());
  std::istringstream lines(*text);
  std::string line;
  int total = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto c = parse_json(line);
    REQUIRE(c.ok());
    ++total;
    const std::string& src = (*c)["text"].as_string();
    INFO("text: " << src);
    Value data = (*c)["context"];
    expr::EvalContext ctx{data};
    auto result = mistral_evaluate(src, ctx);
    if (const Value* expected = c->find("result")) {
      if (!result.ok()) {
        FAIL_CHECK("error " << result.error().message << " instead of " << to_json(*expected));
        continue;
      }
      INFO("got " << to_json(*result) << ", expected " << to_json(*expected));
      CHECK(same(*result, *expected));
    } else {
      if (result.ok()) {
        FAIL_CHECK("got " << to_json(*result) << " instead of the error " << (*c)["error"].as_string());
        continue;
      }
      // Generated matrix cases: failing is what counts, not Jinja's wording.
      if (!c->find("error_any")) CHECK(result.error().message == (*c)["error"].as_string());
    }
  }
  CHECK(total >= 100);
}
