// Checks an evaluator against answers frozen from the real Mistral
// (test/data/expr/*/cases.jsonl, one JSON object per line: the source under
// `source_key`, a `context`, and a `result` or an `error`). Same value (int
// and float distinct) or an error with the same message; for generated
// matrix cases (`error_any`) failing is what counts, not the wording; a set
// (`unordered`) has the same items in any order. The address in the repr
// of a Python object (`<generator object do_map at 0x7f...>`) is where it
// happened to be: any address matches.
#pragma once

#include <catch2/catch.hpp>

#include <cctype>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/expr/budget.h"
#include "bora/expr/eval_context.h"
#include "../../support/sanitizers.h"
#include "same_value.h"

namespace bora::test {

// The same items in any order (a set: Python's order is its hash order).
inline bool same_items(const Value& got, const Value& expected) {
  if (!got.is_list() || !expected.is_list() || got.size() != expected.size()) return false;
  std::vector<bool> used(got.size(), false);
  for (const auto& e : expected.as_list()) {
    bool found = false;
    for (size_t i = 0; i < got.size() && !found; ++i)
      if (!used[i] && same(got.as_list()[i], e)) used[i] = found = true;
    if (!found) return false;
  }
  return true;
}

// The text with every " at 0x<hex>>" of a repr as " at 0x?>".
inline std::string without_addresses(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    // (upper-cased too: `| string | upper`)
    if (text.compare(i, 6, " at 0x") == 0 || text.compare(i, 6, " AT 0X") == 0) {
      size_t j = i + 6;
      while (j < text.size() && std::isxdigit(static_cast<unsigned char>(text[j]))) ++j;
      if (j > i + 6 && j < text.size() && text[j] == '>') {
        out += text[i + 1] == 'a' ? " at 0x?>" : " AT 0X?>";
        i = j + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// Returns how many cases were checked.
inline int check_frozen_cases(const std::string& relative_path, const char* source_key,
                              const std::function<Result<Value>(const std::string&, const expr::EvalContext&)>& eval) {
  auto text = read_text_file(std::string(BORA_SOURCE_DIR) + "/" + relative_path, 16 << 20);
  REQUIRE(text.ok());
  std::istringstream lines(*text);
  std::string line;
  int total = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto c = parse_json(line);
    REQUIRE(c.ok());
    ++total;
    const std::string& source = (*c)[source_key].as_string();
    INFO(source_key << ": " << source);
    Value data = (*c)["context"];
    expr::EvalContext ctx{data};
    // The default budget, its wall-clock bound scaled under the sanitizers:
    // there a 20 000-step loop of Mistral's answers took over 10 s with the
    // suite running four tests on two cores.
    expr::EvalLimits limits;
    limits.max_time_ms *= kSlowdown;
    expr::EvalBudget budget(limits);
    ctx.budget = &budget;
    Result<Value> result = eval(source, ctx);
    if (const Value* expected = c->find("result")) {
      if (!result.ok()) {
        FAIL_CHECK("error " << result.error().message << " instead of " << to_json(*expected));
        continue;
      }
      // The generators froze Python's value as JSON, as Mistral stores a
      // result: an escaped surrogate pair ('\ud83d\ude00', two characters
      // in Python and in Bora) reads back as the one character it encodes.
      result = parse_json(to_json(*result));
      REQUIRE(result.ok());
      INFO("got " << to_json(*result) << ", expected " << to_json(*expected));
      if (c->find("unordered")) CHECK(same_items(*result, *expected));
      else if (expected->is_string() && result->is_string())
        CHECK(without_addresses(result->as_string()) == without_addresses(expected->as_string()));
      else CHECK(same(*result, *expected));
    } else {
      if (result.ok()) {
        FAIL_CHECK("got " << to_json(*result) << " instead of the error " << (*c)["error"].as_string());
        continue;
      }
      // Mistral's words, or Mistral's words and then Bora's explanation
      // (where Mistral's are empty, as Python's StopIteration is, Bora's
      // own), the project's convention for errors.
      // An object's address in the words (`receiver <map object at
      // 0x...>`) is where it happened to be: any address matches.
      const std::string message = without_addresses(result.error().message);
      const std::string error = without_addresses((*c)["error"].as_string());
      if (!c->find("error_any"))
        CHECK((message == error || (error.empty() ? !message.empty() : message.rfind(error + ": ", 0) == 0)));
    }
  }
  return total;
}

}  // namespace bora::test
