// Mistral's own language unit tests (mistral/tests/unit/lang: test_workflows,
// test_tasks, test_actions, test_workbook, test_spec_caching) as data: every
// definition they feed Mistral's parser, with Mistral's verdict and words,
// frozen by scripts/gen_lang_suite_cases.py. Bora accepts what Mistral
// accepts (warnings allowed) and refuses what it refuses; a refusal that
// leads with a Mistral line of the "Invalid DSL: ..." kind leads with
// Mistral's own first line.
//
// Bora's verdict is the one its validate endpoints give: the language
// model's parse (parse_workflows/parse_workbook/parse_actions) plus the
// compile of every expression (services::check_definition), as validated
// (services::as_validated: Mistral's parser does not make the checks its
// models make when storing). Mistral's parser compiles expressions too, so
// a test such as `input: {k: <% * %>}` is refused by the second step only.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "bora/core/json.h"
#include "bora/lang/document_kind.h"
#include "bora/lang/parser.h"
#include "bora/services/definition_check.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;
using bora::lang::test::read_data;

namespace {

struct Outcome {
  bool ok = true;
  std::string message;
};

Outcome parse(const std::string& kind, const std::string& definition) {
  // The structural parse alone first: what it refuses the whole check
  // refuses too.
  bool parsed = true;
  DocumentKind document = DocumentKind::Workflows;
  if (kind == "workflows") {
    parsed = parse_workflows(definition).ok();
  } else if (kind == "workbook") {
    document = DocumentKind::Workbook;
    parsed = parse_workbook(definition).ok();
  } else {
    REQUIRE(kind == "actions");
    document = DocumentKind::Actions;
    parsed = parse_actions(definition).ok();
  }
  auto check = services::as_validated(services::check_definition(definition, document));
  Outcome o;
  o.ok = check.valid();
  if (!o.ok) o.message = problems_to_error(check.problems).message;
  CHECK((parsed || !o.ok));
  return o;
}

// Whether Bora's "Invalid DSL: ..." error carries a Mistral line, rather
// than Bora's own problems right away ("Invalid DSL: 3:5: ...", "Invalid
// DSL: 2 problems:").
bool has_mistral_line(const std::string& message) {
  static const std::string lead = "Invalid DSL: ";
  if (message.rfind(lead, 0) != 0) return false;
  size_t i = lead.size(), j = i;
  while (j < message.size() && std::isdigit(static_cast<unsigned char>(message[j]))) ++j;
  if (j == i) return true;
  if (message.compare(j, 10, " problems:") == 0) return false;
  if (j >= message.size() || message[j] != ':') return true;
  size_t k = ++j;
  while (k < message.size() && std::isdigit(static_cast<unsigned char>(message[k]))) ++k;
  return !(k > j && message.compare(k, 2, ": ") == 0);
}

// Mistral's words up to where Python's rendering of data begins (a dict's
// repr, PyYAML's own explanation), which Bora words its own way, as
// scripts/gen_definition_error_cases.py cuts them.
std::string words_before_data(const std::string& first_line) {
  size_t cut = first_line.size();
  for (const char* marker : {" while ", " {'", " error: ", " expected "}) cut = std::min(cut, first_line.find(marker));
  while (cut > 0 && first_line[cut - 1] == ' ') --cut;
  return first_line.substr(0, cut);
}

// Differences Bora keeps on purpose, by case name, with the reason.
const std::map<std::string, const char*>& exceptions() {
  static const std::map<std::string, const char*> known = {};
  return known;
}

}  // namespace

TEST_CASE("Bora's verdicts match Mistral's on its own language unit tests", "[lang][mistral][suite]") {
  Value data = parse_json(read_data("mistral_lang_suite.json")).value();
  const auto& cases = data["cases"].as_list();
  REQUIRE(cases.size() >= 400);
  size_t accepted = 0, refused = 0, words_checked = 0, own_words_checked = 0;
  for (const Value& c : cases) {
    const std::string& name = c["name"].as_string();
    const std::string& kind = c["kind"].as_string();
    const std::string& definition = c["definition"].as_string();
    bool mistral_accepts = c["verdict"].as_string() == "accept";
    (mistral_accepts ? accepted : refused)++;
    Outcome bora = parse(kind, definition);
    auto known = exceptions().find(name);
    INFO(name << " (" << kind << ")\n" << definition << "\nMistral: "
              << (mistral_accepts ? std::string("accepts") : c["mistral_error"].as_string())
              << "\nBora: " << (bora.ok ? std::string("accepts") : bora.message)
              << (known != exceptions().end() ? std::string("\nknown difference: ") + known->second : ""));
    if (known != exceptions().end()) {
      // A known difference stays one: it is removed from the list once gone.
      CHECK(bora.ok != mistral_accepts);
      continue;
    }
    CHECK(bora.ok == mistral_accepts);
    if (mistral_accepts || bora.ok) continue;
    const std::string& first_line = c["first_line"].as_string();
    if (first_line.rfind("Invalid DSL:", 0) == 0 && has_mistral_line(bora.message)) {
      ++words_checked;
      CHECK(bora.message.rfind(first_line, 0) == 0);
    } else if (first_line.rfind("Invalid DSL:", 0) != 0 && bora.message.rfind("Invalid DSL:", 0) != 0) {
      // Mistral's words of another kind ("Task 'b' not found.", yaql's
      // "Parse error: ...", "Syntax error '...'.") that Bora leads with.
      ++own_words_checked;
      CHECK(bora.message.rfind(words_before_data(first_line), 0) == 0);
    }
  }
  CHECK(accepted >= 200);
  CHECK(refused >= 200);
  CHECK(words_checked >= 100);
  CHECK(own_words_checked >= 50);
}
