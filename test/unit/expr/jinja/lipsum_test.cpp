// lipsum(): Jinja's placeholder paragraphs. Mistral's words are random, so
// only their shape can be compared: n paragraphs, in <p> or separated by a
// blank line, each min to max-1 words in sentences that start with a capital
// and end with a full stop. Bora's words are a fixed sequence.
#include <catch2/catch.hpp>

#include <sstream>

#include "bora/expr/jinja/jinja.h"

using namespace bora;

namespace {

Result<Value> render_text(const std::string& text) {
  Value data;
  expr::EvalContext ctx{data};
  auto t = expr::jinja::compile_template(text);
  if (!t) return t.error();
  return expr::jinja::render(**t, ctx);
}

size_t count_words(const std::string& p) {
  std::istringstream in(p);
  size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

}  // namespace

TEST_CASE("lipsum: n paragraphs of min to max-1 words, html or text") {
  auto html = render_text("{{ lipsum() }}");
  REQUIRE(html.ok());
  const std::string& h = html->as_string();
  size_t paragraphs = 0;
  for (size_t at = h.find("<p>"); at != std::string::npos; at = h.find("<p>", at + 1)) {
    size_t end = h.find("</p>", at);
    REQUIRE(end != std::string::npos);
    std::string p = h.substr(at + 3, end - at - 3);
    CHECK(count_words(p) >= 20);
    CHECK(count_words(p) < 100);
    CHECK(std::isupper(static_cast<unsigned char>(p[0])));
    CHECK(p.back() == '.');
    ++paragraphs;
  }
  CHECK(paragraphs == 5);

  auto text = render_text("{{ lipsum(2, false, 3, 5) }}");
  REQUIRE(text.ok());
  const std::string& t = text->as_string();
  size_t gap = t.find("\n\n");
  REQUIRE(gap != std::string::npos);
  CHECK(t.find("<p>") == std::string::npos);
  for (const std::string& p : {t.substr(0, gap), t.substr(gap + 2)}) {
    CHECK(count_words(p) >= 3);
    CHECK(count_words(p) <= 4);
    CHECK(p.back() == '.');
  }
  // The same each time (Bora's words are not random).
  CHECK(render_text("{{ lipsum(3) }}")->as_string() == render_text("{{ lipsum(3) }}")->as_string());
}

TEST_CASE("lipsum: an empty word range is Python's error, a huge one the budget's") {
  auto empty = render_text("{{ lipsum(1, min=5, max=5) }}");
  REQUIRE(!empty.ok());
  CHECK(empty.error().message == "empty range for randrange() (5, 5, 0)");
  for (const char* text : {"{{ lipsum(1, max=9223372036854775807) }}", "{{ lipsum(9223372036854775807) }}",
                           "{{ lipsum(1, min=-9223372036854775807, max=9223372036854775807) }}"}) {
    auto r = render_text(text);
    REQUIRE(!r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("max_"));
  }
}
