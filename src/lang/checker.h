// lang/checker (private): the shared machinery of the spec parsers: where
// each path sits in the source, the problem list, and the type checks of
// Mistral's JSON schemas (mistral/lang/types.py) with messages that say how
// to fix the definition.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/value.h"
#include "bora/lang/located_yaml.h"
#include "bora/lang/problem.h"

namespace bora::lang::detail {

class Checker {
 public:
  explicit Checker(const LocatedDocument& doc) : doc_(doc) {}

  void error(const std::string& path, std::string message) { problems_.push_back({path, doc_.at(path), std::move(message)}); }
  void key_error(const std::string& path, std::string message) {
    problems_.push_back({path, doc_.key_at(path), std::move(message)});
  }
  // An error Mistral words in its own way (Problem::mistral).
  void error(const std::string& path, std::string message, std::string mistral) {
    problems_.push_back({path, doc_.at(path), std::move(message), Severity::error, std::move(mistral)});
  }
  void key_error(const std::string& path, std::string message, std::string mistral) {
    problems_.push_back({path, doc_.key_at(path), std::move(message), Severity::error, std::move(mistral)});
  }
  // Accepted as Mistral accepts it, but shown (see lang/problem.h).
  void warning(const std::string& path, std::string message) {
    problems_.push_back({path, doc_.at(path), std::move(message), Severity::warning});
  }
  void key_warning(const std::string& path, std::string message) {
    problems_.push_back({path, doc_.key_at(path), std::move(message), Severity::warning});
  }
  Problems& problems() { return problems_; }
  // Errors only: a warning never makes a definition invalid.
  size_t count() const {
    size_t n = 0;
    for (const auto& p : problems_) n += p.is_warning() ? 0 : 1;
    return n;
  }
  const LocatedDocument& doc() const { return doc_; }

  // Refuses keys outside `allowed`, suggesting the closest one.
  void allowed_keys(const Value& dict, const std::string& path, std::initializer_list<std::string_view> allowed,
                    std::string_view what, Severity severity = Severity::error);
  void allowed_keys(const Value& dict, const std::string& path, const std::vector<std::string_view>& allowed,
                    std::string_view what, Severity severity = Severity::error);

  // Each returns false (after reporting) when the value has the wrong shape.
  bool nonempty_string(const Value& v, const std::string& path, std::string_view attr);
  bool nonempty_dict(const Value& v, const std::string& path, std::string_view attr);
  bool unique_string_list(const Value& v, const std::string& path, std::string_view attr);
  bool expression_or_nonneg_int(const Value& v, const std::string& path, std::string_view attr);
  bool expression_or_bool(const Value& v, const std::string& path, std::string_view attr);
  bool expression(const Value& v, const std::string& path, std::string_view attr);

 private:
  const LocatedDocument& doc_;
  Problems problems_;
};

// Mistral refuses to store a definition whose name holds a space
// (models.validate_name_has_no_spaces), with this text.
void check_definition_name(Checker& c, const std::string& name, const std::string& path);

// A string that is wholly one expression, as types.EXPRESSION requires:
// `<% ... %>` or `{{ ... }}` (trailing whitespace allowed).
bool is_expression(const Value& v);
bool is_expression(std::string_view s);

// The closest candidate within a small edit distance, or "".
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates);

std::string quoted_list(const std::vector<std::string_view>& items);

// Python-like short rendering of a value in messages.
std::string show(const Value& v);

}  // namespace bora::lang::detail
