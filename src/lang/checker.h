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
  Problems& problems() { return problems_; }
  size_t count() const { return problems_.size(); }
  const LocatedDocument& doc() const { return doc_; }

  // Refuses keys outside `allowed`, suggesting the closest one.
  void allowed_keys(const Value& dict, const std::string& path, std::initializer_list<std::string_view> allowed,
                    std::string_view what);
  void allowed_keys(const Value& dict, const std::string& path, const std::vector<std::string_view>& allowed,
                    std::string_view what);

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
