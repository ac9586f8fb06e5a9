// core/regex: the PCRE2 wrapper's budgets, match semantics and errors.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "bora/core/config.h"
#include "bora/core/regex.h"

using namespace bora;

namespace {

Regex compiled(const char* pattern, RegexOptions options = {}) { return Regex::compile(pattern, options).value(); }

std::vector<std::string> all_matches(const Regex& re, const std::string& s) {
  std::vector<std::string> out;
  re.for_each_match(s, RegexLimits{}, [&](const RegexMatch& m) {
    out.emplace_back(m.text(s, 0));
    return true;
  }).value();
  return out;
}

}  // namespace

TEST_CASE("each limit stops a match with a message naming the pattern and its option") {
  std::string catastrophic = std::string(30, 'a') + "!";
  auto started = std::chrono::steady_clock::now();
  auto r = compiled("(a+)+$").search(catastrophic, 0, RegexLimits{});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Limit);
  CHECK_THAT(r.error().message, Catch::Contains("'(a+)+$' needed more than 10000000 match steps"));
  CHECK_THAT(r.error().message, Catch::Contains("[expressions] regex_match_limit"));

  RegexLimits small;
  small.match_limit = 1000;
  r = compiled("(a+)+$").search(std::string(15, 'a') + "!", 0, small);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("more than 1000 match steps"));

  // A group repeated once per character keeps a backtracking frame per
  // repetition: bounded by the memory limit, on the heap, not the stack.
  std::string pairs;
  for (int i = 0; i < 500000; ++i) pairs += "ab";
  pairs += "c";
  r = compiled("^(ab)*c").search(pairs, 0, RegexLimits{});  // 1 MB fits the default
  REQUIRE(r.ok());
  CHECK((*r)->end() == pairs.size());
  for (uint32_t kb : {256u, 1024u, 4096u}) {
    RegexLimits tight;
    tight.heap_limit_kb = kb;
    r = compiled("^(ab)*c").search(pairs, 0, tight);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Limit);
    CHECK_THAT(r.error().message, Catch::Contains("more than " + std::to_string(kb) + " KiB of backtracking memory"));
    CHECK_THAT(r.error().message, Catch::Contains("[expressions] regex_heap_limit_kb"));
  }
  // Small texts still match under a small budget.
  RegexLimits tiny;
  tiny.heap_limit_kb = 64;
  CHECK(compiled("^(ab)*c").search("ababc", 0, tiny).value().has_value());
}

TEST_CASE("an operation that matches many times is bounded in total time") {
  // Each search costs about 2^21 steps (under the match limit); many of them
  // would freeze the thread for minutes without a total bound.
  std::string text;
  for (int i = 0; i < 2000; ++i) text += std::string(21, 'a') + "x";
  RegexLimits limits;
  limits.time_limit = std::chrono::milliseconds(200);
  auto started = std::chrono::steady_clock::now();
  size_t seen = 0;
  auto r = compiled("(a+)+b|x").for_each_match(text, limits, [&](const RegexMatch&) {
    ++seen;
    return true;
  });
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  REQUIRE_FALSE(r.ok());
  CHECK(seen < 2000);
  CHECK_THAT(r.error().message, Catch::Contains("[expressions] regex_time_limit_ms"));
}

TEST_CASE("a long subject is matched without recursion on the stack") {
  std::string as(1 << 20, 'a');
  auto r = compiled("a*c").search(as, 0, RegexLimits{});
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_value());
  r = compiled("(?:a|b)*$").search(as, 0, RegexLimits{});
  REQUIRE(r.ok());
  CHECK((*r)->end() == as.size());
}

TEST_CASE("matches iterate as Python's finditer, empty matches included") {
  CHECK(all_matches(compiled("x*"), "abxd") == std::vector<std::string>{"", "", "x", "", ""});
  CHECK(all_matches(compiled("a|"), "aab") == std::vector<std::string>{"a", "a", "", ""});
  CHECK(all_matches(compiled("é"), "éaé") == std::vector<std::string>{"é", "é"});
  CHECK(all_matches(compiled(""), "éa").size() == 3);  // between characters, never inside one
}

TEST_CASE("groups, names, options and UTF-8") {
  Regex re = compiled("(?P<w>\\w+)-(x)?(?<n>\\d+)");
  CHECK(re.group_count() == 3);
  CHECK(re.group_number("w") == std::optional<size_t>(1));
  CHECK(re.group_number("n") == std::optional<size_t>(3));
  CHECK_FALSE(re.group_number("zz").has_value());
  std::string s = "key: été-42";
  auto m = re.search(s, 0, RegexLimits{}).value();
  REQUIRE(m);
  CHECK(m->text(s, 1) == "été");
  CHECK_FALSE(m->groups[2].has_value());
  CHECK(m->text(s, 3) == "42");
  CHECK(compiled("ÉTÉ", {.caseless = true}).search("été", 0, RegexLimits{}).value().has_value());
  CHECK(compiled("^b", {.multiline = true}).search("a\nb", 0, RegexLimits{}).value().has_value());
  CHECK(compiled("a.b", {.dotall = true}).search("a\nb", 0, RegexLimits{}).value().has_value());
  CHECK_FALSE(compiled("a.b").search("a\nb", 0, RegexLimits{}).value().has_value());

  auto bad = compiled("b").search("a\xff" "b", 0, RegexLimits{});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::BadInput);
  CHECK_THAT(bad.error().message, Catch::Contains("not valid UTF-8"));

  auto wrong = Regex::compile("ab(c");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().kind == ErrorKind::BadInput);
  CHECK_THAT(wrong.error().message, Catch::Contains("invalid regular expression 'ab(c'"));
  CHECK_THAT(wrong.error().message, Catch::Contains("at position 4"));
}

TEST_CASE("the limits are configuration options with defaults") {
  Config config = default_config();
  RegexLimits limits = regex_limits_from(config).value();
  CHECK(limits.match_limit == 10'000'000);
  CHECK(limits.heap_limit_kb == 65'536);
  CHECK(limits.time_limit == std::chrono::milliseconds(5000));
  config.set("expressions", "regex_match_limit", "500");
  CHECK(regex_limits_from(config).value().match_limit == 500);
  config.set("expressions", "regex_match_limit", "0");
  auto bad = regex_limits_from(config);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("[expressions] regex_match_limit"));
  config.set("expressions", "regex_match_limit", "lots");
  CHECK_FALSE(regex_limits_from(config).ok());
}

TEST_CASE("the compiled-pattern cache's bound is an option with a default") {
  Config config = default_config();
  CHECK(regex_limits_from(config).value().cache_entries == 256);
  config.set("expressions", "regex_cache_entries", "0");
  CHECK(regex_limits_from(config).value().cache_entries == 0);
  config.set("expressions", "regex_cache_entries", "-1");
  auto bad = regex_limits_from(config);
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("[expressions] regex_cache_entries"));
}

TEST_CASE("no source file uses the standard library's regex (it recurses on the stack and has no budget)") {
  namespace fs = std::filesystem;
  const std::string include_line = std::string("#include <") + "regex>";
  const std::vector<std::string> names = {std::string("std::") + "regex", std::string("std::") + "wregex",
                                          std::string("std::") + "sregex", std::string("std::") + "smatch",
                                          std::string("std::") + "cmatch"};
  std::vector<std::string> offenders;
  for (const char* folder : {"src", "include", "plugins", "test", "bench"}) {
    fs::path root = fs::path(BORA_SOURCE_DIR) / folder;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      auto ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".h" && ext != ".hpp" && ext != ".cc")) continue;
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        size_t code_end = line.find("//");
        std::string code = line.substr(0, code_end);
        bool bad = code.find(include_line) != std::string::npos;
        for (const auto& n : names) bad = bad || code.find(n) != std::string::npos;
        if (bad) offenders.push_back(entry.path().string() + ":" + std::to_string(number) + ": " + line);
      }
    }
  }
  INFO("use bora/core/regex.h (PCRE2 with budgets) instead");
  CHECK(offenders == std::vector<std::string>{});
}
