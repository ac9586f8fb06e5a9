// bench_expr: how fast expressions evaluate, the way the engine uses them:
// a definition's strings compiled once when it is parsed (CompiledValue),
// and values built at run time (a Value: compiled through the evaluator's
// cache). Prints evaluations per second of both for a few typical YAQL and
// Jinja2 expressions.
//
//   bench_expr [iterations=200000]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bora/core/json.h"
#include "bora/expr/mistral_expressions.h"

using namespace bora;

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 200000;
  Value data = parse_json(R"({"name": "Ada", "nums": [5, 3, 8, 1, 9, 2], "vm": {"id": "x-1", "ip": "10.0.0.5"},
                              "count": 41})")
                   .value();
  expr::MistralExpressions expr;
  expr::ExpressionScope scope;
  const std::vector<std::string> cases = {
      "<% $.count + 1 %>",
      "<% $.vm.ip %>",
      "<% $.nums.where($ > 3).select($ * 2) %>",
      "Hello, <% $.name %>!",
      "{{ _.count + 1 }}",
      "{{ _.nums | sort | join(',') }}",
      "{% for i in _.nums %}{{ i }}{% endfor %}",
  };
  std::printf("expressions: %ld evaluations each; compiled (a definition's field) | run-time value (cache)\n", n);
  for (const auto& c : cases) {
    Value text(c);
    expr::CompiledValue compiled(text);
    auto first = expr.evaluate(compiled, data, scope);
    if (!first) {
      std::printf("  %-44s error: %s\n", c.c_str(), first.error().message.c_str());
      return 1;
    }
    auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < n; ++i) (void)expr.evaluate(compiled, data, scope);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto t1 = std::chrono::steady_clock::now();
    for (long i = 0; i < n; ++i) (void)expr.evaluate(text, data, scope);
    double sv = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    std::printf("  %-44s %10.0f /s (%.2f us) | %10.0f /s (%.2f us) -> %s\n", c.c_str(), n / s, s / n * 1e6, n / sv,
                sv / n * 1e6, to_json(*first).c_str());
  }
  return 0;
}
