// Deeply nested values: built at run time far deeper than any parser
// accepts, they must be freed, compared, hashed and refused by printers
// without exhausting a small thread stack.
#include <catch2/catch.hpp>

#include <chrono>

#include "../hostile_text.h"
#include "../small_stack.h"
#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/limits.h"
#include "bora/core/python_format.h"
#include "bora/core/yaml.h"

using namespace bora;
using bora::test::run_on_small_stack;

namespace {

// [[[...[leaf]...]]], built iteratively as an expression would.
Value nested_lists(size_t depth, Value leaf = Value(1)) {
  Value v = std::move(leaf);
  for (size_t i = 0; i < depth; ++i) v = Value(List{v});
  return v;
}

Value nested_dicts(size_t depth) {
  Value v(1);
  for (size_t i = 0; i < depth; ++i) v = Value(Dict{{"k", v}});
  return v;
}

}  // namespace

TEST_CASE("a value knows how deeply it nests", "[core][depth]") {
  CHECK(Value(1).depth() == 0);
  CHECK(Value("text").depth() == 0);
  CHECK(Value(List{}).depth() == 1);
  CHECK(Value::list({1, Value::list({2, Value::dict({{"a", Value::list({})}})})}).depth() == 4);
  CHECK(nested_dicts(7).depth() == 7);
  Value moved = nested_lists(3);
  Value to = std::move(moved);
  CHECK(to.depth() == 3);
  CHECK(moved.depth() == 0);
}

TEST_CASE("values nested 200 000 deep are freed, compared and hashed on a small stack", "[core][depth]") {
  bool same = false, differ = true, dict_same = false, hashes_equal = false;
  size_t depth = 0;
  run_on_small_stack([&] {
    Value a = nested_lists(200000);
    Value b = nested_lists(200000);  // equal, but no payload shared
    Value c = nested_lists(200000, Value(2));
    depth = a.depth();
    same = a == b;
    differ = a == c;
    hashes_equal = a.hash() == b.hash();
    dict_same = nested_dicts(150000) == nested_dicts(150000);
    // a, b, c and the dicts are freed here, on the small stack.
  });
  CHECK(depth == 200000);
  CHECK(same);
  CHECK_FALSE(differ);
  CHECK(dict_same);
  CHECK(hashes_equal);
  CHECK(nested_lists(100).hash() == nested_lists(100).hash());
  CHECK(nested_lists(100) != nested_lists(101));
}

TEST_CASE("printers refuse a value deeper than the print limit, and print the deepest allowed one", "[core][depth]") {
  std::string json_error, repr_error;
  ErrorKind kind = ErrorKind::Internal;
  size_t printed = 0;
  run_on_small_stack(
      [&] {
        Value deep = nested_lists(kMaxPrintDepth + 1);
        try {
          (void)to_json(deep);
        } catch (const BoraError& e) {
          kind = e.kind();
          json_error = e.what();
        }
        try {
          (void)python_repr(deep);
        } catch (const BoraError& e) {
          repr_error = e.what();
        }
        printed = to_json(nested_lists(kMaxValueDepth)).size() + python_str(nested_dicts(kMaxValueDepth)).size();
      },
      1024 * 1024);  // 1 MiB: printing recurses per level (Bora's threads have 8 MiB)
  CHECK(kind == ErrorKind::BadInput);
  CHECK_THAT(json_error, Catch::Contains("nested 2001 levels deep") && Catch::Contains("JSON"));
  CHECK_THAT(repr_error, Catch::Contains("nested 2001 levels deep"));
  CHECK(printed > 2 * kMaxValueDepth);
}

TEST_CASE("JSON nested past the limit is refused on a small stack", "[core][depth]") {
  Result<Value> r = Value();
  run_on_small_stack([&] { r = parse_json(std::string(200000, '[') + std::string(200000, ']')); });
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("nested deeper than 1000"));
  auto ok = parse_json(std::string(kJsonMaxDepth, '[') + std::string(kJsonMaxDepth, ']'));
  REQUIRE(ok.ok());
  CHECK(ok->depth() == kJsonMaxDepth);
  // What storage wrote (records wrap values) reads back with the print limit.
  CHECK(parse_json(to_json(nested_lists(kMaxValueDepth + 5)), kMaxPrintDepth).ok());
}

TEST_CASE("YAML: billion laughs is refused in milliseconds, deep nesting without a crash", "[core][depth][yaml]") {
  std::string bomb = bora::test::billion_laughs();
  auto start = std::chrono::steady_clock::now();
  auto r = parse_yaml(bomb);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("aliases are expanded"));
  CHECK(seconds < 0.5);

  // Nesting through aliases counts too: each level aliases the one before.
  std::string chain = bora::test::alias_chain("", 1200);
  auto c = parse_yaml(chain);
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.error().message, Catch::Contains("nested deeper than 1000"));

  Result<Value> flow = Value();
  run_on_small_stack([&] { flow = parse_yaml("x: " + std::string(100000, '[')); });
  CHECK_FALSE(flow.ok());
  Result<Value> ok = Value();
  run_on_small_stack([&] { ok = parse_yaml("x: " + std::string(300, '[') + std::string(300, ']')); }, 1024 * 1024);
  REQUIRE(ok.ok());
  CHECK(ok->depth() == 301);
}

TEST_CASE("[expressions] max_depth is clamped to what the evaluators can hold", "[core][depth]") {
  set_expression_max_depth(5000);
  CHECK(expression_max_depth() == kMaxExpressionMaxDepth);
  set_expression_max_depth(0);
  CHECK(expression_max_depth() == 1);
  set_expression_max_depth(kDefaultExpressionMaxDepth);
  CHECK(expression_max_depth() == 200);
}
