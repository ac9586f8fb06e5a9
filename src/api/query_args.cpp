// WSME's reading of query arguments (wsme/rest/args.py: args_from_params,
// from_param) for the methods Mistral exposes with wsexpose.
#include "bora/api/query_args.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include <fmt/format.h>

#include "bora/api/context.h"
#include "bora/core/error.h"
#include "bora/core/ids.h"
#include "bora/core/python_format.h"
#include "bora/core/value.h"

namespace bora::api {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }


}  // namespace

QueryArgs::QueryArgs(const Request& request, std::initializer_list<std::string_view> declared) : request_(request) {
  refuse_unknown_query_params(request, {declared.begin(), declared.size()});
  // Without a body to read first (see Request::missing_argument).
  if (!request.missing_argument.empty() && request.method != "PUT" && request.method != "POST")
    refuse_missing_argument(request);
}

bool QueryArgs::flag(std::string_view name) const { return wsme_flag(request_, name); }

std::optional<int64_t> QueryArgs::integer(std::string_view name) const { return wsme_int_argument(request_, name); }

std::optional<int64_t> wsme_int_argument(const Request& request_, std::string_view name) {
  // Repeated, the argument reaches WSME as pecan's list of its values,
  // which int() refuses.
  List repeated;
  for (const auto& [k, v] : request_.query)
    if (k == name) repeated.push_back(Value(v));
  if (repeated.size() > 1) {
    std::string shown = python_repr(Value(std::move(repeated)));
    throw BoraError(ErrorKind::BadInput,
                    fmt::format("Invalid input for field/attribute {}. Value: '{}'. unable to convert to int. Error: "
                                "int() argument must be a string, a bytes-like object or a real number, not 'list'",
                                name, shown));
  }
  auto v = request_.query_param(name);
  if (!v) return std::nullopt;
  return wsme_int(name, *v);
}

bool wsme_bool(std::string_view text) { return !text.empty(); }

bool wsme_flag(const Request& request, std::string_view name) {
  auto v = request.query_param(name);
  return v && wsme_bool(*v);
}

int64_t wsme_int(std::string_view name, std::string_view text, std::string_view type) {
  auto refuse = [&]() -> BoraError {
    std::string shown = python_repr(Value(std::string(text)));
    return BoraError(ErrorKind::BadInput,
                     fmt::format("Invalid input for field/attribute {}. Value: '{}'. unable to convert to {}. Error: "
                                 "invalid literal for int() with base 10: {}",
                                 name, text, type, shown));
  };
  size_t b = 0, e = text.size();
  while (b < e && is_blank(text[b])) ++b;
  while (e > b && is_blank(text[e - 1])) --e;
  bool negative = false;
  if (b < e && (text[b] == '+' || text[b] == '-')) negative = text[b++] == '-';
  if (b == e) throw refuse();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t value = 0;
  bool saturated = false, last_digit = false;
  for (size_t i = b; i < e; ++i) {
    char c = text[i];
    if (c == '_') {
      // Only between two digits.
      if (!last_digit || i + 1 == e || !std::isdigit(static_cast<unsigned char>(text[i + 1]))) throw refuse();
      last_digit = false;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) throw refuse();
    last_digit = true;
    int d = c - '0';
    if (saturated || value > (kMax - d) / 10) {
      saturated = true;
    } else {
      value = value * 10 + d;
    }
  }
  if (saturated) return negative ? std::numeric_limits<int64_t>::min() : kMax;
  return negative ? -value : value;
}

UuidArgument uuid_argument(std::string_view text) {
  std::string data(text);
  bool list = false;
  for (std::string_view op : {"gte", "gt", "lte", "has", "neq", "lt", "in", "eq", "nin"}) {
    if (data.size() > op.size() && data.compare(0, op.size(), op) == 0 && data[op.size()] == ':') {
      data = data.substr(op.size() + 1);
      list = op == "in" || op == "nin";
      break;
    }
  }
  UuidArgument a;
  a.uuid = !list && is_uuid_like(data);
  a.shown = data;
  if (list) {
    List items;
    for (size_t start = 0;;) {
      size_t comma = data.find(',', start);
      items.push_back(Value(data.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    a.shown = python_repr(Value(std::move(items)));
  }
  return a;
}

std::string wsme_param_uuid(std::string_view text) {
  UuidArgument a = uuid_argument(text);
  if (!a.uuid) throw BoraError(ErrorKind::BadInput, "Expected a uuid but received " + a.shown + ".");
  return a.shown;
}

std::string wsme_uuid(std::string_view name, std::string_view text) {
  // An operator prefix is taken off; in/nin make a list, never a UUID.
  UuidArgument a = uuid_argument(text);
  if (a.uuid) return a.shown;
  throw BoraError(ErrorKind::BadInput,
                  fmt::format("Invalid input for field/attribute {}. Value: '{}'. unable to convert to uuid. Error: "
                              "Expected a uuid but received {}.",
                              name, text, a.shown));
}

void refuse_unknown_arguments(const std::vector<std::string>& unknown) {
  if (unknown.empty()) return;
  // WSME joins a set of them (in Python's hash order, which no client can
  // rely on): here in the order they came.
  std::string names;
  for (const auto& n : unknown) names += (names.empty() ? "" : ", ") + n;
  throw BoraError(ErrorKind::BadInput, "Unknown argument: \"" + names + "\"");
}

}  // namespace bora::api
