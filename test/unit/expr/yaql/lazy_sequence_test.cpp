// Infinite sequences (sequence(), repeat() without a count, cycle()) are
// read only through a bound; read whole they fail at once with a message
// saying how to bound them (yaql would loop until memory runs out), and a
// set or a sequence never leaves an evaluation as Bora's internal object.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "bora/core/json.h"
#include "bora/core/regex.h"
#include "bora/expr/yaql/yaql.h"

using namespace bora;

namespace {
Result<Value> eval_lazy(const std::string& text) {
  auto program = expr::yaql::compile(text);
  REQUIRE(program.ok());
  Value data = Value::dict({{"l", Value::list({Value(1), Value(2)})}});
  expr::EvalContext ctx{data};
  return expr::yaql::evaluate(**program, ctx);
}
}  // namespace

TEST_CASE("an infinite sequence read whole fails at once, naming the bound to add") {
  for (const char* text : {"sequence()", "sequence().select($ * 2)", "sequence().len()", "1.repeat().where(true)",
                           "$.l.cycle().orderBy($)", "sequence().toSet()", "sequence().skip(3)",
                           "[sequence()]", "str(sequence().sum())"}) {
    INFO(text);
    auto started = std::chrono::steady_clock::now();
    auto r = eval_lazy(text);
    REQUIRE_FALSE(r.ok());
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    const std::string& message = r.error().message;
    CHECK(message.find("infinite sequence") != std::string::npos);
    CHECK(message.find("take()") != std::string::npos);
  }
}

TEST_CASE("bounded reads of infinite sequences give yaql's items") {
  CHECK(to_json(*eval_lazy("sequence(10, 5).skip(1).take(3)")) == "[15,20,25]");
  CHECK(to_json(*eval_lazy("$.l.cycle().skip(1).limit(3)")) == "[2,1,2]");
  CHECK(to_json(*eval_lazy("sequence().where($ mod 2 = 1).select($ * $).takeWhile($ < 30)")) == "[1,9,25]");
  CHECK(to_json(*eval_lazy("'x'.repeat().take(2)")) == R"(["x","x"])");
  CHECK(eval_lazy("sequence(9223372036854775800).take(10)").ok());  // past int64: no overflow, no crash
}

TEST_CASE("a set leaves as a list of its items, and cannot hold a list when it leaves") {
  // In CPython's order for numbers (as Mistral stores it), first-seen
  // order for text (whose hash order changes from one process to the next).
  CHECK(to_json(*eval_lazy("set(3, 1, 3, 2)")) == "[1,2,3]");
  CHECK(to_json(*eval_lazy("set(8, 16, 24, 0)")) == "[8,16,24,0]");
  CHECK(to_json(*eval_lazy("set('b', 'a', 'b')")) == R"(["b","a"])");
  CHECK(to_json(*eval_lazy("[set(1), {a => set(2, 2)}]")) == R"([[1],{"a":[2]}])");
  auto r = eval_lazy("set($.l)");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "unhashable type: 'list'");
  CHECK(to_json(*eval_lazy("set($.l).len()")) == "1");  // inside the expression a list is one item
}

// yaql's queries give Python iterators (map, filter, generators...) until
// something reads them: an error names one as Python prints it, with an
// address (any: Python's differs from run to run).
TEST_CASE("an unread iterator is named as Python prints it") {
  auto error_of = [](const std::string& text) {
    auto r = eval_lazy(text);
    REQUIRE_FALSE(r.ok());
    return r.error().message;
  };
  auto matches = [](const std::string& text, const std::string& pattern) {
    INFO(text);
    auto re = bora::Regex::compile("^(?:" + pattern + ")$");
    REQUIRE(re.ok());
    auto found = re->search(text, 0, bora::process_regex_limits());
    REQUIRE(found.ok());
    CHECK(found->has_value());
  };
  matches(error_of("$.l.select($).isEmpty()"),
          R"(No method "isEmpty" for receiver <map object at 0x[0-9a-f]+> matches supplied arguments)");
  matches(error_of("$.l.where($ > 1).isString()"), R"(Unknown method "isString" for receiver <filter object at 0x[0-9a-f]+>)");
  matches(eval_lazy("str($.l.orderBy($))")->as_string(),
          R"(<yaql\.standard_library\.queries\.OrderingIterable object at 0x[0-9a-f]+>)");
  matches(eval_lazy("'{0}: {1!r}'.format($.l.skip(1), [$.l.take(1)])")->as_string(),
          R"(<itertools\.islice object at 0x[0-9a-f]+>: \(<itertools\.islice object at 0x[0-9a-f]+>,\))");
}
