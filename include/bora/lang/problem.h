// lang/problem: what is wrong with a definition, where (path and line:column)
// and how to fix it. Validation collects every problem, never only the first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"

namespace bora::lang {

// 1-based; 0 when unknown (e.g. a spec rebuilt from stored JSON).
struct SourcePos {
  int line = 0;
  int column = 0;
  bool known() const noexcept { return line > 0; }
};

// A warning is something Mistral accepts that Bora would call a mistake (a
// duplicate key, where PyYAML silently keeps the last value; a misspelt
// workflow attribute Mistral's schema lets through): the definition is
// accepted and the warning shown (`bora validate`, the validate response,
// the server log on create); `bora validate --strict` refuses it.
enum class Severity { error, warning };

struct Problem {
  std::string path;  // e.g. "wf1.tasks.t2.on-success" or "workflows.wf1.tasks.t2"
  SourcePos pos;
  std::string message;
  Severity severity = Severity::error;
  // Mistral's own words for this problem where it has specific ones
  // ("Task 'x' not found.", "Definition could not be parsed:", "Invalid
  // array in 'with-items' clause: ..."): clients and scripts written for
  // Mistral match on them, so the API's error starts with them, followed
  // by Bora's line:column, path and hint (problems_to_error). Empty: the
  // error starts with Mistral's generic "Invalid DSL:".
  std::string mistral{};
  // Mistral refuses it only when storing the definition (its models' name
  // validator), so its validate endpoints call the document valid; Bora's
  // validate answers show it as a warning (services::as_validated).
  bool on_store = false;
  bool is_warning() const noexcept { return severity == Severity::warning; }
};

using Problems = std::vector<Problem>;

bool has_errors(const Problems& problems);
Problems errors_of(const Problems& problems);
Problems warnings_of(const Problems& problems);

// One problem per line: "FILE:LINE:COLUMN: PATH: MESSAGE" (the position part
// is left out when unknown, the path part when empty).
std::string format_problems(const Problems& problems, std::string_view file = "");

// A single BadInput error carrying all errors (warnings left out), for the
// REST API: "<Mistral's words, or Invalid DSL:> LINE:COLUMN: PATH: MESSAGE",
// and with several errors "<...> (N problems):" then one line each.
Error problems_to_error(const Problems& problems);

// A parse that yields a spec (and any warnings) or every problem found.
template <typename T>
class Parsed {
 public:
  Parsed(T value) : value_(std::move(value)), ok_(true) {}             // NOLINT
  Parsed(T value, Problems warnings) : value_(std::move(value)), problems_(std::move(warnings)), ok_(true) {}
  Parsed(Problems problems) : problems_(std::move(problems)) {}        // NOLINT
  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const T& value() const& {
    if (!ok_) throw BoraError(problems_to_error(problems_));
    return value_;
  }
  T value() && {
    if (!ok_) throw BoraError(problems_to_error(problems_));
    return std::move(value_);
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  // Every problem: the errors (and warnings) of a failed parse, the warnings of a good one.
  const Problems& problems() const noexcept { return problems_; }
  Error error() const { return problems_to_error(problems_); }

 private:
  T value_{};
  Problems problems_;
  bool ok_ = false;
};

}  // namespace bora::lang
