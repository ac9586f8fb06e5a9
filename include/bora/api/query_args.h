// api/query_args: the query arguments of Mistral's controller methods that
// WSME exposes (`@wsme_pecan.wsexpose`), read as WSME reads them. WSME
// reads them before the method runs, so before its policy check:
// - an argument the method does not declare is refused, 400
//   'Unknown argument: "x"';
// - a `bool` argument is Python's bool(str): present and not empty is true,
//   "false" and "0" included. python-mistralclient sends '' or True;
// - an `int` argument is Python's int(str), else WSME's 400;
// - a `uuid` argument (Mistral's UuidType) must be a UUID as oslo's
//   is_uuid_like reads one, else WSME's 400.
// Methods that plain pecan exposes (definition POST/PUT, validate) ignore
// arguments they do not take; their routes do not use this.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/api/http.h"

namespace bora::api {

class QueryArgs {
 public:
  // Refuses an argument outside `declared` (the method's keyword
  // arguments, those its path fills excluded).
  QueryArgs(const Request& request, std::initializer_list<std::string_view> declared);

  // A `bool` argument: false when absent.
  bool flag(std::string_view name) const;
  // An `int` argument: nullopt when absent.
  std::optional<int64_t> integer(std::string_view name) const;

 private:
  const Request& request_;
};

// The `int` argument `name` of a method whose arguments are converted
// before QueryArgs names the unknown ones (WSME's order): nullopt when
// absent.
std::optional<int64_t> wsme_int_argument(const Request& request, std::string_view name);

// Python's bool(str): true when not empty.
bool wsme_bool(std::string_view text);
// The `bool` argument `name` of a list (whose arguments parse_list_params
// checks): false when absent.
bool wsme_flag(const Request& request, std::string_view name);

// Python's int(str) for the argument `name`: blanks around, a sign, digits
// with single underscores between them. Else WSME's 400 "Invalid input for
// field/attribute <name>. Value: '<text>'. unable to convert to int. Error:
// invalid literal for int() with base 10: '<text>'". Beyond 64 bits it
// saturates (Python's int has no bound; no count or depth reaches it).
// `type`: how WSME names the type in its words ("int"; "integer" for an
// IntegerType such as remaining_executions).
int64_t wsme_int(std::string_view name, std::string_view text, std::string_view type = "int");

// Mistral's uuid argument `name` (a path segment or a query value): its
// value without a filter operator (`eq:<uuid>`), which must be a UUID as
// oslo's is_uuid_like reads one; else WSME's 400 "Invalid input for
// field/attribute <name>. Value: '<text>'. unable to convert to uuid.
// Error: Expected a uuid but received <value>."
std::string wsme_uuid(std::string_view name, std::string_view text);
// mistral.utils.filter_utils.extract_filter_type_and_value, as Mistral's
// uuid type reads a value: an operator prefix taken off, in/nin making a
// list. `shown` is the value as its refusal prints it (a list as Python's
// repr); `uuid` is set when the value is one.
struct UuidArgument {
  std::string shown;
  bool uuid = false;
};
UuidArgument uuid_argument(std::string_view text);
// The same argument read from the query when the path already gave it
// (`/v2/executions/{id}/tasks?workflow_execution_id=...`): pecan passes the
// path's positionally, WSME then reads the query's, which overrides it,
// and its type's InputException is the whole answer ("Expected a uuid but
// received <value>."). The value, its operator taken off.
std::string wsme_param_uuid(std::string_view text);

// WSME's UnknownArgument, naming every argument given that the method does
// not declare (nothing when there is none).
void refuse_unknown_arguments(const std::vector<std::string>& unknown);

}  // namespace bora::api
