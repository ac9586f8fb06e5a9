#include "bora/api/collection_query.h"

#include <algorithm>

#include "bora/core/error.h"
#include "bora/core/json.h"

namespace bora::api {

bool lists_other_projects(const ListParams& params) {
  return params.all_projects || std::any_of(params.filters.begin(), params.filters.end(),
                                            [](const Filter& f) { return f.field == "project_id"; });
}

storage::ListQuery to_list_query(const ListParams& params, const services::Caller& caller) {
  storage::ListQuery q{caller.visible(lists_other_projects(params))};
  for (const auto& f : params.filters) {
    if (f.field == "tags") {
      for (auto& tag : mistral_tags(f)) q.filters.push_back({"tags", storage::FilterOp::Has, {std::move(tag)}});
      continue;
    }
    // A REST `has` is Mistral's unescaped LIKE (its `%` and `_` are wildcards).
    q.filters.push_back({f.field, f.op, f.values, false, f.op == storage::FilterOp::Has});
  }
  for (const auto& field : params.nulls) {
    bool filtered = std::any_of(params.filters.begin(), params.filters.end(),
                                [&](const Filter& f) { return f.field == field; });
    if (!filtered) q.filters.push_back({field, storage::FilterOp::Eq, {}, true});
  }
  for (size_t i = 0; i < params.sort_keys.size(); ++i) {
    bool desc = i < params.sort_dirs.size() && params.sort_dirs[i] == "desc";
    q.sort.push_back({params.sort_keys[i], desc});
  }
  q.marker = params.marker;
  q.limit = params.limit;
  return q;
}

std::vector<std::string> mistral_tags(const Filter& f) {
  // As Mistral 15's apply_filters: every tag is needed, each matched as its
  // JSON text inside the stored JSON list (a LIKE, so ASCII letters in any
  // case in SQLite and MariaDB).
  std::vector<std::string> tags;
  if (f.is_list) {
    // Its uniquelist (executions, tasks): the items, an operator prefix
    // part of them (`tags=eq:red` finds nothing).
    for (const auto& tag : f.values) tags.push_back(to_json(Value(tag)));
    return tags;
  }
  // Text (workflows, workbooks, actions, action executions): `eq:` is taken
  // off; any other operator gives a filter without `eq`, which leaves the
  // tags unfiltered. A comma splits, items as given (" b" keeps its space,
  // "" matches an empty tag); no comma: the one tag; empty: no filter.
  if (f.op != FilterOp::Eq || f.values.empty() || f.values.front().empty()) return tags;
  const std::string& given = f.values.front();
  size_t start = 0;
  while (true) {
    size_t comma = given.find(',', start);
    tags.push_back(to_json(Value(given.substr(start, comma == std::string::npos ? std::string::npos : comma - start))));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return tags;
}

namespace {

// A field as the text a query-string filter is compared with.
std::string text_of(const Value& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  if (v.is_null()) return "null";
  return to_json(v);
}

bool matches(const Value& item, const Filter& f) {
  const Value* field = item.find(f.field);
  std::string actual = field ? text_of(*field) : "null";
  auto same = [&](const std::string& want) {
    if (field && field->is_bool()) {
      std::string w = want;
      std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return std::tolower(c); });
      return w == actual || (w == "1" && actual == "true") || (w == "0" && actual == "false");
    }
    return want == actual;
  };
  const std::string first = f.values.empty() ? "" : f.values.front();
  if (f.field == "tags") {
    auto tags = mistral_tags(f);
    return std::all_of(tags.begin(), tags.end(), [&](const std::string& t) { return actual.find(t) != std::string::npos; });
  }
  switch (f.op) {
    case FilterOp::Eq: return same(first);
    case FilterOp::Neq: return !same(first);
    case FilterOp::Lt: return actual < first;
    case FilterOp::Lte: return actual <= first;
    case FilterOp::Gt: return actual > first;
    case FilterOp::Gte: return actual >= first;
    case FilterOp::In: return std::any_of(f.values.begin(), f.values.end(), same);
    case FilterOp::Nin: return std::none_of(f.values.begin(), f.values.end(), same);
    case FilterOp::Has: return actual.find(first) != std::string::npos;
  }
  return false;
}

// Nulls first, then by text; numbers and booleans by their text too, which
// is enough for the fields these collections have.
int compare(const Value* a, const Value* b) {
  bool an = !a || a->is_null(), bn = !b || b->is_null();
  if (an || bn) return an == bn ? 0 : (an ? -1 : 1);
  std::string x = text_of(*a), y = text_of(*b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

}  // namespace

bool matches_filter(const Value& item, const Filter& f) { return matches(item, f); }

std::vector<Value> query_in_memory(std::vector<Value> items, const ListParams& params,
                                   const std::string& marker_field) {
  std::vector<Value> kept;
  for (auto& item : items) {
    bool ok = std::all_of(params.filters.begin(), params.filters.end(),
                          [&](const Filter& f) { return matches(item, f); });
    if (ok) kept.push_back(std::move(item));
  }
  std::stable_sort(kept.begin(), kept.end(), [&](const Value& a, const Value& b) {
    for (size_t i = 0; i < params.sort_keys.size(); ++i) {
      bool desc = i < params.sort_dirs.size() && params.sort_dirs[i] == "desc";
      int c = compare(a.find(params.sort_keys[i]), b.find(params.sort_keys[i]));
      if (c != 0) return desc ? c > 0 : c < 0;
    }
    return false;
  });
  size_t start = 0;
  if (params.marker) {
    auto it = std::find_if(kept.begin(), kept.end(), [&](const Value& v) {
      const Value* m = v.find(marker_field);
      return m && m->is_string() && m->as_string() == *params.marker;
    });
    if (it == kept.end()) {
      throw BoraError(ErrorKind::BadInput, "The marker '" + *params.marker +
                                               "' is not in this list: use the 'next' link of the previous page");
    }
    start = static_cast<size_t>(it - kept.begin()) + 1;
  }
  std::vector<Value> page;
  for (size_t i = start; i < kept.size() && (params.limit <= 0 || page.size() < size_t(params.limit)); ++i)
    page.push_back(std::move(kept[i]));
  return page;
}

}  // namespace bora::api
