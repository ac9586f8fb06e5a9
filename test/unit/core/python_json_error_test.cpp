// core/python_json_error: json.loads' words and positions (Python 3.11's
// answers, printed by `python3 -c "json.loads(t)"`), and no answer where
// Python raises RecursionError instead of a decode error.
#include "bora/core/python_json_error.h"

#include <catch2/catch.hpp>

#include <string>

using bora::python_json_error;

TEST_CASE("python_json_error words the first error as Python's json.loads", "[core][json]") {
  CHECK(python_json_error("") == "Expecting value: line 1 column 1 (char 0)");
  CHECK(python_json_error("[1,2") == "Expecting ',' delimiter: line 1 column 5 (char 4)");
  CHECK(python_json_error("{\"a\" 1}") == "Expecting ':' delimiter: line 1 column 6 (char 5)");
  CHECK(python_json_error("[1 2]") == "Expecting ',' delimiter: line 1 column 4 (char 3)");
  CHECK(python_json_error("{1:2}") == "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
  CHECK(python_json_error("\"abc") == "Unterminated string starting at: line 1 column 1 (char 0)");
  CHECK(python_json_error("[1] x") == "Extra data: line 1 column 5 (char 4)");
  CHECK(python_json_error("\"\\q\"") == "Invalid \\escape: line 1 column 2 (char 1)");
  // Positions count characters, not bytes.
  CHECK(python_json_error("[\"\xc3\xa9\", x]") == "Expecting value: line 1 column 7 (char 6)");
  CHECK_FALSE(python_json_error("[1, {\"a\": NaN}, -Infinity]").has_value());
}

TEST_CASE("python_json_error gives no words for nesting Python refuses by recursion", "[core][json]") {
  // Python: RecursionError, not JSONDecodeError. The walk must stop early
  // (it once recursed 10 000 deep and overflowed a server thread's stack
  // under ASan) and leave the wording to the caller.
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_FALSE(python_json_error(deep).has_value());
  std::string broken(100000, '[');
  broken += 'x';
  CHECK_FALSE(python_json_error(broken).has_value());
  // Within the limit, the error deep inside is still Python's.
  std::string shallow(500, '[');
  shallow += 'x';
  CHECK(python_json_error(shallow) == "Expecting value: line 1 column 501 (char 500)");
}
