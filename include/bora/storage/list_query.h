// storage/list_query: what a collection listing asks of a repository:
// Mistral's filters (field, operator, values), sort keys, keyset pagination
// by marker, and which projects' rows are visible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bora::storage {

// Mistral's filter operators (mistral/utils/filter_utils.py).
enum class FilterOp { Eq, Neq, Lt, Lte, Gt, Gte, In, Nin, Has };
const char* filter_op_name(FilterOp op);

// A condition on one field. Values are text as they came in a query string;
// the repository converts them to the column's type (times, integers,
// booleans) and refuses a value that does not convert.
struct Filter {
  std::string field;
  FilterOp op = FilterOp::Eq;
  std::vector<std::string> values = {};  // one value; any number for in/nin
  bool is_null = false;             // eq/neq against NULL (Mistral's "null")
  // `has` as Mistral's SQLAlchemy `contains` asks it (LIKE '%value%' not
  // escaped): the value's `%` and `_` match any text and any character.
  bool like_wildcards = false;
};

struct SortKey {
  std::string field;
  bool descending = false;
};

// Which projects' rows a caller may see. Mistral: a project sees its own rows
// and, on resources with a scope, public ones; an admin asking for
// all_projects sees everything.
//
// Every read of a project-owned record takes one (Repository's reads have no
// overload without it, and a ProjectScope cannot be default-constructed), so
// forgetting visibility is a compile error, not a leak. Callers get theirs
// from services::Caller (visible(), lookup()); the only unscoped forms are
// all() (an admin's all_projects) and internal() (the engine following a
// reference between rows it already holds), both easy to grep for.
struct ProjectScope {
  std::string project_id;
  bool all_projects = false;
  bool include_public = true;
  // Rows of other projects shared with this one (accepted resource
  // members): visible too.
  std::vector<std::string> shared_ids;
  // The same, read by the query itself: rows of this resource type that
  // were shared with this project and accepted (a subquery of the
  // resource members, not a read of its own before: one statement).
  std::optional<std::string> shared_type;

  ProjectScope() = delete;

  static ProjectScope all() { return ProjectScope("", true, true); }
  static ProjectScope of(std::string project) { return ProjectScope(std::move(project), false, true); }
  // Only the project's own rows.
  static ProjectScope own(std::string project) { return ProjectScope(std::move(project), false, false); }
  // Every row, for a reference the engine (or a view) follows from a row it
  // already holds: a task's workflow execution, an action's task, a
  // sub-workflow's parent. Never for an id or a name that a request, a
  // definition or an expression gave: those take the caller's scope.
  static ProjectScope internal() { return all(); }

 private:
  ProjectScope(std::string project, bool all, bool with_public)
      : project_id(std::move(project)), all_projects(all), include_public(with_public) {}
};

// scope comes first and has no default: a listing says whose rows it reads.
struct ListQuery {
  ProjectScope scope;
  std::vector<Filter> filters = {};
  std::vector<SortKey> sort = {};  // id is always appended as the final tie-break
  std::optional<std::string> marker = std::nullopt;  // id of the last row of the previous page
  int64_t limit = 0;                                 // 0: no limit
  // A row with a column that does not decode (damaged outside Bora) is left
  // out of a list, with a logged error naming it. Lookups of one record
  // (by name or id) keep it, with that field empty, so that an operator can
  // still read and delete it.
  bool keep_damaged = false;
};

}  // namespace bora::storage
