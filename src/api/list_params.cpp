// api/list_params: Mistral's collection query parameters (rest_utils.get_all,
// filter_utils, ResourceList.get_next) with the same checks and texts.
#include "bora/api/list_params.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "bora/api/query_args.h"
#include "bora/core/error.h"
#include "bora/core/json.h"
#include "bora/core/python_json_error.h"
#include "bora/core/python_format.h"
#include "bora/core/time.h"

namespace bora::api {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string item = s.substr(start, comma - start);
    // Mistral's clients send "a, b" as well as "a,b"; Python's strip()
    // takes any whitespace.
    item.erase(0, item.find_first_not_of(" \t\n\r\f\v"));
    item.erase(item.find_last_not_of(" \t\n\r\f\v") + 1);
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

namespace {


bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

struct OpName {
  const char* name;
  FilterOp op;
};
// Longest names first where one is a prefix of another ("in" / "nin" differ
// by prefix only; "gte" before "gt").
constexpr OpName kOps[] = {{"eq", FilterOp::Eq},   {"neq", FilterOp::Neq}, {"gte", FilterOp::Gte},
                           {"gt", FilterOp::Gt},   {"lte", FilterOp::Lte}, {"lt", FilterOp::Lt},
                           {"has", FilterOp::Has}, {"in", FilterOp::In},   {"nin", FilterOp::Nin}};

// The Python repr of a list of strings (['a', "b's"]), which Mistral's next
// link writes for an in/nin filter: its items, or nullopt when `text` is
// not one.
std::optional<std::vector<std::string>> python_string_list(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  std::vector<std::string> items;
  size_t i = 1, end = text.size() - 1;
  if (i == end) return items;
  while (i < end) {
    char quote = text[i];
    if (quote != '\'' && quote != '"') return std::nullopt;
    std::string item;
    for (++i; i < end && text[i] != quote; ++i) {
      if (text[i] == '\\' && i + 1 < end) ++i;
      item += text[i];
    }
    if (i >= end) return std::nullopt;
    items.push_back(std::move(item));
    ++i;  // the closing quote
    if (i == end) break;
    if (text.compare(i, 2, ", ") != 0) return std::nullopt;
    i += 2;
  }
  return items;
}

Filter parse_filter(const std::string& field, const std::string& raw) {
  Filter f;
  f.field = field;
  f.raw = raw;
  for (const auto& [name, op] : kOps) {
    std::string prefix = std::string(name) + ":";
    if (raw.compare(0, prefix.size(), prefix) != 0) continue;
    f.op = op;
    std::string rest = raw.substr(prefix.size());
    if (op == FilterOp::In || op == FilterOp::Nin) {
      // The list as Mistral's next link writes it (and Bora's): its items.
      // (Mistral itself splits that text on ',' too, so its own link
      // matches nothing; Bora's follows.)
      if (auto items = python_string_list(rest)) {
        f.values = std::move(*items);
        return f;
      }
      // Mistral splits on ',' and keeps empty items; an empty list matches nothing.
      size_t start = 0;
      while (true) {
        size_t comma = rest.find(',', start);
        f.values.push_back(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else {
      f.values.push_back(rest);
    }
    return f;
  }
  f.op = FilterOp::Eq;
  f.values.push_back(raw);
  return f;
}

// Filters whose argument Mistral's controllers type (their wsexpose
// declarations), read as WSME reads them; the others are text, where an
// operator prefix (`in:a,b`) applies.
enum class FilterArg { Text, Bool, Uuid, Json, Integer };

FilterArg filter_arg(std::string_view field, const ListSpec& spec) {
  // A controller may declare as text what others type (a workflow's input).
  if (std::find(spec.text_arguments.begin(), spec.text_arguments.end(), field) != spec.text_arguments.end())
    return FilterArg::Text;
  static const std::map<std::string_view, FilterArg> kTyped = {
      {"accepted", FilterArg::Bool},          {"processed", FilterArg::Bool},
      {"workflow_id", FilterArg::Uuid},       {"task_execution_id", FilterArg::Uuid},
      {"root_execution_id", FilterArg::Uuid}, {"workflow_execution_id", FilterArg::Uuid},
      {"project_id", FilterArg::Uuid},        {"input", FilterArg::Json},
      {"output", FilterArg::Json},            {"params", FilterArg::Json},
      {"published", FilterArg::Json},         {"variables", FilterArg::Json},
      {"workflow_input", FilterArg::Json},    {"workflow_params", FilterArg::Json},
      {"env", FilterArg::Json},
      {"remaining_executions", FilterArg::Integer}};
  auto it = kTyped.find(field);
  return it == kTyped.end() ? FilterArg::Text : it->second;
}

Filter typed_filter(const std::string& field, const std::string& raw, const ListSpec& spec) {
  switch (filter_arg(field, spec)) {
    case FilterArg::Text:
      return parse_filter(field, raw);
    case FilterArg::Bool:
      // bool(str): any text but '' is true; no operator.
      return Filter{field, FilterOp::Eq, {wsme_bool(raw) ? "True" : "False"}, raw};
    case FilterArg::Uuid:
      // Mistral's uuid type takes an operator off and keeps only the value.
      return Filter{field, FilterOp::Eq, {wsme_uuid(field, raw)}, raw};
    case FilterArg::Json:
      // json.loads of the whole text: no operator.
      if (auto parsed = parse_json(raw); !parsed)
        throw BoraError(ErrorKind::BadInput,
                        fmt::format("Invalid input for field/attribute {}. Value: '{}'. unable to convert to json. "
                                    "Error: {}",
                                    field, raw, python_json_error(raw).value_or(parsed.error().message)));
      return Filter{field, FilterOp::Eq, {raw}, raw};
    case FilterArg::Integer:
      // WSME's IntegerType: Python's int(str), no operator.
      return Filter{field, FilterOp::Eq, {std::to_string(wsme_int(field, raw, "integer"))}, raw};
  }
  return parse_filter(field, raw);
}

// Time fields (created_at, updated_at, started_at, first_execution_time...)
// compare as times: a value that is not one is refused here, for every
// list, including those filtered in memory (actions, which would compare
// "not a date" as text and answer 200 with a meaningless list).
void check_time_filter(const Filter& f) {
  auto ends_with = [&](std::string_view suffix) {
    return f.field.size() >= suffix.size() && f.field.compare(f.field.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (!ends_with("_at") && !ends_with("_time")) return;
  for (const auto& v : f.values) {
    if (!parse_time_or_date(v)) {
      throw BoraError(ErrorKind::BadInput, "Invalid value '" + v + "' for field '" + f.field +
                                               "': expected a UTC time like 2026-11-24 22:13:17 (with an operator: "
                                               + f.field + "=gt:2026-11-24 22:13:17).");
    }
  }
}

// Mistral's ListType (mistral/api/controllers/v2/types.py), which reads
// sort_dirs: comma-separated items, each stripped and lower-cased, empty
// ones dropped; `unique` (UniqueListType, for sort_keys and fields) keeps
// the first of duplicates. So `sort_keys=name,name&sort_dirs=asc,desc` is
// one key with two directions: Mistral's 400 about their lengths.
std::vector<std::string> mistral_list(const std::string& text, bool unique) {
  std::vector<std::string> out;
  for (std::string item : split_commas(text)) {
    size_t b = item.find_first_not_of(" \t\n\r\f\v"), e = item.find_last_not_of(" \t\n\r\f\v");
    item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
    for (auto& c : item) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (item.empty() || (unique && contains(out, item))) continue;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

bool parse_bool_param(const std::string& name, const std::string& text) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t == "true" || t == "1" || t == "yes" || t == "on" || t == "y" || t == "t") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off" || t == "n" || t == "f" || t.empty()) return false;
  throw BoraError(ErrorKind::BadInput, "Invalid input for field/attribute " + name + ". Value: '" + text +
                                           "'. Wrong type. Expected 'bool', got 'str'");
}


namespace {

// The filters in spec.filters' order (Mistral's keyword arguments), not the
// query's: the next link lists them so.
void order_filters(ListParams& p, const ListSpec& spec) {
  auto rank = [&](const Filter& f) {
    return std::find(spec.filters.begin(), spec.filters.end(), f.field) - spec.filters.begin();
  };
  std::stable_sort(p.filters.begin(), p.filters.end(),
                   [&](const Filter& a, const Filter& b) { return rank(a) < rank(b); });
}

}  // namespace

ListSpec under_path(const ListSpec& base, const std::string& argument) {
  ListSpec s = base;
  std::erase(s.filters, argument);
  std::erase(s.typed_order, argument);
  s.path_argument = argument;
  return s;
}

void scope_to(ListParams& params, const ListSpec& spec, const std::string& field, const std::string& value,
              bool first) {
  std::erase_if(params.filters, [&](const Filter& f) { return f.field == field; });
  Filter scope{field, FilterOp::Eq, {value}, value};
  if (first) {
    params.filters.insert(params.filters.begin(), std::move(scope));
  } else {
    params.filters.push_back(std::move(scope));
    order_filters(params, spec);
  }
}

namespace {

// How WSME refuses a repeated typed argument: pecan hands it the list of
// values, which the type cannot convert (a repeated text argument takes
// its last value, and so does Bora).
[[noreturn]] void refuse_repeated(const std::string& name, const std::vector<std::string>& values,
                                  std::string_view type) {
  List items;
  for (const auto& v : values) items.push_back(Value(v));
  std::string shown = python_repr(Value(std::move(items)));
  std::string why;
  if (type == "uuid") {
    why = "Expected a uuid but received " + shown + ".";
  } else if (type == "json") {
    why = python_json_error(shown).value_or("Expecting value");
  } else {
    why = "int() argument must be a string, a bytes-like object or a real number, not 'list'";
  }
  throw BoraError(ErrorKind::BadInput, fmt::format("Invalid input for field/attribute {}. Value: '{}'. unable to "
                                                   "convert to {}. Error: {}",
                                                   name, shown, type, why));
}

// WSME's conversions of the arguments that can fail, in Mistral's
// signature order (marker, limit, then the typed filters), before anything
// else is read or refused (an unknown argument comes after them).
void convert_typed_arguments(const Request& request, const ListSpec& spec) {
  std::map<std::string, std::vector<std::string>, std::less<>> given;
  for (const auto& [name, value] : request.query) given[name].push_back(value);
  auto values = [&](std::string_view name) -> const std::vector<std::string>* {
    auto it = given.find(name);
    return it == given.end() ? nullptr : &it->second;
  };
  if (const auto* v = values("marker")) {
    if (v->size() > 1 && spec.marker_is_uuid) refuse_repeated("marker", *v, "uuid");
    // `marker=` too: WSME converts the empty text, as it does `limit=`.
    if (spec.marker_is_uuid) (void)wsme_uuid("marker", v->back());
  }
  if (const auto* v = values("limit")) {
    if (v->size() > 1) refuse_repeated("limit", *v, "int");
    (void)wsme_int("limit", v->front());
  }
  std::vector<std::string> order = spec.typed_order.empty() ? spec.filters : spec.typed_order;
  order.insert(order.end(), spec.unfilterable.begin(), spec.unfilterable.end());
  for (const auto& name : order) {
    const auto* v = values(name);
    if (!v || (!contains(spec.filters, name) && !contains(spec.unfilterable, name))) continue;
    switch (filter_arg(name, spec)) {
      case FilterArg::Uuid:
        if (v->size() > 1) refuse_repeated(name, *v, "uuid");
        break;
      case FilterArg::Integer:
        if (v->size() > 1) refuse_repeated(name, *v, "integer");
        break;
      case FilterArg::Json:
        if (v->size() > 1) refuse_repeated(name, *v, "json");
        break;
      default:
        continue;
    }
    (void)typed_filter(name, v->front(), spec);
  }
}

}  // namespace

ListParams parse_list_params(const Request& request, const ListSpec& spec) {
  convert_typed_arguments(request, spec);
  ListParams p;
  if (!spec.path_argument.empty())
    if (auto v = request.query_param(spec.path_argument)) p.path_override = wsme_param_uuid(*v);
  std::vector<std::string> unfilterable;  // given, refused once the rest is checked
  // WSME converts every argument it knows, then names all it does not.
  std::vector<std::string> unknown;
  std::optional<int64_t> limit;
  std::string sort_keys = spec.default_sort_key, sort_dirs = "asc", fields;
  for (const auto& [name, value] : request.query) {
    if (name == spec.path_argument) {
      continue;  // read above
    } else if (name == "marker") {
      // WSME's uuid type (Mistral's `marker`): anything else is refused.
      if (spec.marker_is_uuid) p.marker = wsme_uuid("marker", value);
      else if (!value.empty()) p.marker = value;
    } else if (name == "limit") {
      limit = wsme_int("limit", value);
    } else if (name == "sort_keys") {
      sort_keys = value;
    } else if (name == "sort_dirs") {
      sort_dirs = value;
    } else if (name == "fields") {
      if (!spec.fields_ignored) fields = value;
    } else if (name == "all_projects") {
      p.all_projects = wsme_bool(value);
    } else if (name == "nulls" && contains(spec.extra, name)) {
      p.nulls = split_commas(value);  // repeated, the last (a text argument), checked below
    } else if (contains(spec.filters, name)) {
      // The last occurrence wins, as in Mistral (a dict keyed by column).
      // `&name = name`: clang 14 (the sanitizer build) cannot capture a structured binding.
      auto it = std::find_if(p.filters.begin(), p.filters.end(),
                             [&name = name](const Filter& f) { return f.field == name; });
      if (it != p.filters.end()) p.filters.erase(it);
      if (name == "tags" && spec.tags_are_list) {
        // The next link's `eq:['a', 'b']` is read back as that list (Mistral
        // takes it as one tag, so its own link finds nothing).
        auto linked = value.compare(0, 3, "eq:") == 0 ? python_string_list(std::string_view(value).substr(3))
                                                      : std::nullopt;
        p.filters.push_back(Filter{name, FilterOp::Eq, linked ? *linked : mistral_list(value, true), value, true});
      } else {
        p.filters.push_back(typed_filter(name, value, spec));
      }
      check_time_filter(p.filters.back());
    } else if (contains(spec.unfilterable, name)) {
      if (!contains(unfilterable, name)) unfilterable.push_back(name);
    } else if (!contains(spec.extra, name)) {
      if (!contains(unknown, name)) unknown.push_back(name);
    }
  }
  refuse_unknown_arguments(unknown);
  // Mistral's check_allowed_none_values, first in the method: real fields,
  // and never the id.
  for (const auto& f : p.nulls) {
    if (!contains(spec.fields, f)) throw BoraError(ErrorKind::BadInput, "'" + f + "' is not a valid field name.");
    if (f == "id") throw BoraError(ErrorKind::BadInput, "The field 'id' can't hold None value.");
  }

  order_filters(p, spec);

  if (limit && *limit <= 0) throw BoraError(ErrorKind::BadInput, "Limit must be positive.");
  p.limit = (!limit || *limit > spec.max_limit) ? spec.max_limit : *limit;

  p.sort_keys = mistral_list(sort_keys, true);
  p.sort_dirs = mistral_list(sort_dirs, false);
  if (p.sort_keys.size() < p.sort_dirs.size()) {
    throw BoraError(ErrorKind::BadInput, "Length of sort_keys must be equal or greater than sort_dirs.");
  }
  p.sort_dirs.resize(p.sort_keys.size(), "asc");
  for (const auto& d : p.sort_dirs) {
    if (d != "asc" && d != "desc") {
      throw BoraError(ErrorKind::BadInput, "Unknown sort direction, must be 'desc' or 'asc'.");
    }
  }
  // Mistral's _paginate_query (mistral/db/v2/sqlalchemy/api.py) pages with
  // `id` as the last sort key, ascending, when it is not one already (a
  // stable order), and its `next` link shows the keys it sorted by.
  if (!contains(p.sort_keys, "id")) {
    p.sort_keys.push_back("id");
    p.sort_dirs.push_back("asc");
  }

  p.fields = mistral_list(fields, true);
  if (!p.fields.empty()) {
    std::vector<std::string> invalid;
    for (const auto& f : p.fields)
      if (!contains(spec.fields, f)) invalid.push_back(f);
    if (!invalid.empty()) {
      std::vector<std::string> mistral_fields;
      for (const auto& f : spec.fields)
        if (!contains(spec.own_fields, f)) mistral_fields.push_back(f);
      throw BoraError(ErrorKind::BadInput, "Some fields do not exist  [" + join(invalid, ", ") +
                                               "], please choose from [" + join(mistral_fields, ", ") + "]");
    }
    if (!contains(p.fields, "id")) p.fields.insert(p.fields.begin(), "id");
    for (const auto& f : p.fields)
      if (contains(spec.not_columns, f)) p.unshown.push_back(f);
    p.shown = spec.with_default;
    // rest_utils.get_all: cls.from_tuples(zip(fields, row)), the row
    // holding only the fields that are columns.
    std::vector<std::string> columns;
    for (const auto& f : p.fields)
      if (!contains(spec.not_columns, f)) columns.push_back(f);
    for (size_t i = 0; i < columns.size(); ++i) p.assigned.emplace_back(p.fields[i], columns[i]);
    p.types = &spec.attribute_types;
  }
  if (!unfilterable.empty())
    throw BoraError(ErrorKind::BadInput,
                    "Filter supplied is invalid: " + unfilterable.front() + " (not a column of " + spec.model +
                        "; filter by one of: " + join(spec.filters, ", ") + ")");
  // Checked where Mistral's query sorts, after `fields` and the filters.
  for (const auto& k : p.sort_keys) {
    if (!contains(spec.fields, k)) {
      // oslo.db's InvalidSortKey, which Mistral answers 500.
      throw BoraError(ErrorKind::BadInput, "Sort key supplied is invalid: " + k +
                                               " (sort by one of the resource's fields: " + join(spec.fields, ", ") +
                                               ")");
    }
  }
  return p;
}

std::optional<std::string> next_link(const Request& request, const std::string& collection,
                                     const ListParams& params, size_t items, const std::string& last_id) {
  if (items == 0 || static_cast<int64_t>(items) != params.limit) return std::nullopt;
  // The keys include the implicit `id` (parse_list_params): the link names
  // the order the page was really read in, as Mistral's does.
  const std::vector<std::string>& keys = params.sort_keys;
  const std::vector<std::string>& dirs = params.sort_dirs;
  std::string q = "sort_keys=" + join(keys, ",") + "&sort_dirs=" + join(dirs, ",") + "&";
  for (const auto& f : params.filters) {
    // Mistral writes a filter's {op: value}: an in/nin list as Python's repr.
    std::string value = join(f.values, ",");
    if (f.op == FilterOp::In || f.op == FilterOp::Nin || f.is_list) {
      List items;
      for (const auto& v : f.values) items.push_back(Value(v));
      value = python_repr(Value(std::move(items)));
    }
    q += f.field + "=" + filter_op_name(f.op) + ":" + value + "&";
  }
  if (!params.nulls.empty()) q += "nulls=" + join(params.nulls, ",") + "&";
  q += "limit=" + std::to_string(params.limit) + "&marker=" + last_id;
  if (!params.fields.empty()) q += "&fields=" + join(params.fields, ",");
  return request.base_url + "/v2/" + collection + "?" + q;
}

Value project_fields(const Value& resource, const std::vector<std::string>& fields) {
  if (fields.empty() || !resource.is_dict()) return resource;
  // In the resource's order, not the request's: Mistral builds the
  // resource with those fields and WSME writes its attributes in the
  // order its class declares them.
  Dict out;
  for (const auto& [name, v] : resource.as_dict())
    if (contains(fields, name)) out.set(name, v);
  return Value(std::move(out));
}

namespace {

// The value a column of `type` has in Mistral's row, from Bora's view of it
// (a jsontype column is shown as its JSON text).
Value column_value(const Value& shown, char type) {
  if (type == 'j' && shown.is_string()) {
    if (auto parsed = parse_json(shown.as_string())) return *parsed;
  }
  return shown;
}

// WSME setting `attribute` (of `type`) to the value of another column:
// its check (wsattr.__set__, Mistral's JsonType.validate) and the value
// as it is then shown.
Value set_attribute(const std::string& attribute, char type, const Value& v) {
  if (v.is_null()) return v;
  auto wrong = [&](const std::string& why) {
    std::string shown = v.is_string() ? v.as_string() : python_str(v);
    throw BoraError(ErrorKind::BadInput,
                    fmt::format("Invalid input for field/attribute {}. Value: '{}'. {}", attribute, shown, why));
  };
  auto wrong_type = [&](const std::string& expected) {
    wrong(fmt::format("Wrong type. Expected '{}', got '<class '{}'>'", expected, python_type_name(v)));
  };
  switch (type) {
    case 'b':
      if (!v.is_bool()) wrong_type("<class 'bool'>");
      return v;
    case 'j':
      // `if not value: return {}`; a dict is kept; else Mistral's
      // InputException, the whole answer.
      if (!v.truthy()) return Value("{}");
      if (!v.is_dict())
        throw BoraError(ErrorKind::BadInput,
                        "JsonType field value must be a dictionary [actual=" +
                            (v.is_string() ? v.as_string() : python_str(v)) + "]");
      return Value(to_json(v, JsonFormat::python()));
    case 'l':
      if (!v.is_list()) wrong("Wrong type. Expected '[<class 'str'>]', got '<class '" + python_type_name(v) + "'>'");
      return v;
    case 'e':
      if (!v.is_string() || (v.as_string() != "private" && v.as_string() != "public"))
        wrong("Value should be one of: private, public");
      return v;
    default:
      if (!v.is_string()) wrong_type("<class 'str'>");
      return v;
  }
}

// An item as Mistral builds it from its row when `fields` holds an
// attribute that is no column before others (ListParams::assigned).
Value shifted_item(const Value& item, const ListParams& params) {
  auto type_of = [&](const std::string& name) {
    if (!params.types) return 's';
    auto it = params.types->find(name);
    return it == params.types->end() ? 's' : it->second;
  };
  std::map<std::string, Value, std::less<>> set;
  for (const auto& [attribute, column] : params.assigned) {
    const Value* shown = item.find(column);
    Value raw = column_value(shown ? *shown : Value(), type_of(column));
    set[attribute] = set_attribute(attribute, type_of(attribute), raw);
  }
  // WSME writes the attributes in the order the resource declares them.
  Dict out;
  for (const auto& [name, v] : item.as_dict()) {
    if (auto it = set.find(name); it != set.end()) out.set(name, it->second);
    else if (contains(params.shown, name)) out.set(name, v);
  }
  for (const auto& [name, v] : set)
    if (!out.contains(name)) out.set(name, v);
  return Value(std::move(out));
}

}  // namespace

Value list_body(const Request& request, const std::string& collection, const ListParams& params,
                std::vector<Value> items) {
  std::string last_id;
  if (!items.empty()) {
    if (const Value* id = items.back().find("id"); id && id->is_string()) last_id = id->as_string();
  }
  auto next = next_link(request, collection, params, items.size(), last_id);
  List projected;
  projected.reserve(items.size());
  std::vector<std::string> shown;
  for (const auto& f : params.fields)
    if (!contains(params.unshown, f)) shown.push_back(f);
  shown.insert(shown.end(), params.shown.begin(), params.shown.end());
  bool shifted = std::any_of(params.assigned.begin(), params.assigned.end(),
                             [](const auto& a) { return a.first != a.second; });
  for (auto& item : items)
    projected.push_back(shifted && item.is_dict() ? shifted_item(item, params) : project_fields(item, shown));
  Dict body;
  body.set(collection, Value(std::move(projected)));
  if (next) body.set("next", Value(*next));
  return Value(std::move(body));
}

}  // namespace bora::api
