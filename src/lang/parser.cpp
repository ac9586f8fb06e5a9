// lang/parser: the document-level entry points (workflows, workbook,
// ad-hoc actions) and the rebuild of specs from stored `spec` Values.
#include "bora/lang/parser.h"


#include <algorithm>
#include <climits>

#include "bora/core/python_format.h"
#include "bora/lang/mistral_schema.h"
#include "spec_parsers.h"

namespace bora::lang {

using detail::Checker;

namespace {

bool valid_workbook_item_name(std::string_view s) {
  if (s.empty() || s == "version") return false;
  for (char ch : s) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (!(std::isalnum(u) || ch == '_' || ch == '-' || u >= 0x80)) return false;
  }
  return true;
}

bool root_is_mapping(Checker& c, const Value& root, std::string_view what, std::string_view example) {
  if (root.is_dict()) return true;
  std::string message = (what == "action" ? "an " : "a ") + std::string(what) + " definition must be a YAML mapping (" + std::string(example) +
                        "), got " + (root.is_null() ? std::string("an empty document") : detail::show(root));
  if (root.is_null()) {
    // Mistral reads an empty document as {}: its schema's first complaint.
    c.error("", std::move(message),
            "Invalid DSL: 'version' is a required property.");
  } else {
    c.error("", std::move(message));
  }
  return false;
}

// Problems in document order; those without a position last.
Problems sorted(Problems ps) {
  std::stable_sort(ps.begin(), ps.end(), [](const Problem& a, const Problem& b) {
    int la = a.pos.known() ? a.pos.line : INT32_MAX, lb = b.pos.known() ? b.pos.line : INT32_MAX;
    if (la != lb) return la < lb;
    return a.pos.column < b.pos.column;
  });
  return ps;
}

// A refused definition: when the first thing Mistral refuses in it is a
// schema violation, its error's first line leads Bora's (Problem::mistral).
Problems refused(Problems ps, const LocatedDocument& doc, MistralDocument kind) {
  ps = sorted(std::move(ps));
  if (auto line = mistral_schema_error(doc.root, kind, doc.python_objects, doc.python_keys)) {
    for (auto& p : ps)
      if (!p.is_warning()) {
        p.mistral = std::move(*line);
        break;
      }
  }
  return ps;
}

// A key that is no text to PyYAML (`10:` as a task name) where Mistral's
// schema matches key patterns fails its parse with Python's TypeError (a
// 500): refused, at the first such key of that type.
void refuse_python_keys(Checker& c, const LocatedDocument& doc, MistralDocument kind) {
  if (doc.python_keys.empty() || c.count()) return;
  auto line = mistral_schema_error(doc.root, kind, doc.python_objects, doc.python_keys);
  static constexpr std::string_view kTypeError = "expected string or bytes-like object, got '";
  if (!line || line->rfind(kTypeError, 0) != 0) return;
  std::string type = line->substr(kTypeError.size(), line->size() - kTypeError.size() - 1);
  for (const auto& k : doc.python_keys) {
    if (k.type != type) continue;
    std::string path;
    for (const Value& step : k.steps)
      path = step.is_string() ? child_path(path, step.as_string()) : item_path(path, static_cast<size_t>(step.as_int()));
    path = child_path(path, k.name);
    c.key_error(path,
                "the key " + k.repr + " is " + (type == "int" ? "an int" : "a " + type) +
                    " to Mistral's YAML loader, not text, and Mistral's schema check fails on it; quote it ('" +
                    k.name + "') to make it text",
                *line);
    return;
  }
}

}  // namespace

namespace {

// Mistral's BaseListSpec for a document with nothing but its version.
std::string empty_list_words(const Value& root) {
  return "At least one item must be in the list [data=" + python_repr(root) + "].";
}

}  // namespace

Parsed<WorkflowsDocument> parse_workflows(std::string_view yaml_text) {
  Problems load_problems;
  auto loaded = load_located_yaml(yaml_text, load_problems);
  if (!loaded) return load_problems;
  auto doc = std::make_shared<LocatedDocument>(std::move(*loaded));
  Checker c(*doc);
  c.problems() = std::move(load_problems);
  WorkflowsDocument out;
  const Value& root = doc->root;
  if (root_is_mapping(c, root, "workflow", "`version: '2.0'` then one key per workflow")) {
    detail::check_version(c, root, "", true);
    size_t n = 0;
    for (const auto& [name, v] : root.as_dict()) {
      if (name == "version") continue;
      ++n;
      if (!v.is_dict() && (name == "name" || name == "description" || name == "tags" || name == "workflows")) {
        c.key_error(name, "'" + name + "' at the top level belongs to workbooks; a workflows document holds "
                          "`version` and one key per workflow (upload it as a workbook, or remove '" + name + "')");
        continue;
      }
      if (auto wf = detail::parse_workflow(c, name, v, name)) out.workflows.push_back(std::move(wf));
    }
    if (n == 0)
      c.error("", "no workflows defined; add one as a top-level key, e.g. `my_workflow: {tasks: ...}`",
              empty_list_words(root));
  }
  refuse_python_keys(c, *doc, MistralDocument::workflows);
  if (c.count()) return refused(std::move(c.problems()), *doc, MistralDocument::workflows);
  out.source = doc;
  out.text = std::string(yaml_text);
  return {std::move(out), sorted(std::move(c.problems()))};
}

namespace {

void parse_workbook_into(Checker& c, const Value& root, WorkbookSpec& wb) {
  c.allowed_keys(root, "", {"version", "name", "description", "tags", "workflows", "actions"}, "the workbook");
  detail::check_version(c, root, "", true, detail::VersionCheck::workbook);
  if (const Value* n = root.find("name")) {
    if (c.nonempty_string(*n, "name", "name")) {
      wb.name = n->as_string();
      detail::check_definition_name(c, wb.name, "name");
    }
  } else {
    c.error("", "missing workbook 'name'; add e.g. `name: my_workbook`", "Invalid DSL: 'name' is a required property.");
  }
  detail::parse_description_and_tags(c, root, "", wb.description, wb.tags);
  Dict data = root.as_dict();
  for (const char* section : {"workflows", "actions"}) {
    const Value* sv = root.find(section);
    if (!sv) continue;
    if (!sv->is_dict() || sv->as_dict().empty()) {
      c.error(section, "'" + std::string(section) + "' must be a mapping of names to definitions with at least one "
                                                   "entry, got " + detail::show(*sv));
      continue;
    }
    Dict section_data;
    for (const auto& [name, v] : sv->as_dict()) {
      std::string p = child_path(section, name);
      if (name == "version") {
        // WorkbookSpec's schema: a section's version is one of '2.0', 2.0
        // (2 == 2.0 in Python); anything else is refused.
        bool v2 = (v.is_string() && v.as_string() == "2.0") || ((v.is_int() || v.is_double()) && v.as_double() == 2.0);
        if (!v2)
          c.error(p, "invalid version " + detail::show(v) + " in workbook " + section + "; write `version: '2.0'` or "
                     "leave it out");
        section_data.set(name, v);
        continue;
      }
      if (!valid_workbook_item_name(name)) {
        c.key_error(p, "invalid name '" + name + "' in workbook " + section +
                           "; use letters, digits, '_' and '-' only");
        continue;
      }
      if (std::string_view(section) == "workflows") {
        // Mistral picks a workflow's spec class by its `type` (instantiate_spec),
        // which needs a dict: its words for anything else.
        if (!v.is_dict()) {
          c.error(p, "workflow '" + name + "' must be a mapping with at least 'tasks', got " + detail::show(v),
                  "A specification with polymorphic key must be backed by a dictionary [spec_cls=<class "
                  "'mistral.lang.v2.workflows.WorkflowSpec'>, data=" + python_str(v) + "]");
          continue;
        }
        if (auto wf = detail::parse_workflow(c, name, v, p)) {
          section_data.set(name, wf->data);
          wb.workflows.push_back(std::move(wf));
        }
      } else if (auto a = detail::parse_action(c, name, v, p)) {
        section_data.set(name, a->data);
        wb.actions.push_back(std::move(a));
      }
    }
    // WorkbookSpec._inject_version: Mistral's stored spec carries it too.
    section_data.set("version", Value("2.0"));
    data.set(section, Value(std::move(section_data)));
  }
  wb.data = Value(std::move(data));
}

}  // namespace

Parsed<WorkbookDocument> parse_workbook(std::string_view yaml_text) {
  Problems load_problems;
  auto loaded = load_located_yaml(yaml_text, load_problems);
  if (!loaded) return load_problems;
  auto doc = std::make_shared<LocatedDocument>(std::move(*loaded));
  Checker c(*doc);
  c.problems() = std::move(load_problems);
  auto wb = std::make_shared<WorkbookSpec>();
  if (root_is_mapping(c, doc->root, "workbook", "version, name, workflows, actions")) parse_workbook_into(c, doc->root, *wb);
  refuse_python_keys(c, *doc, MistralDocument::workbook);
  if (c.count()) return refused(std::move(c.problems()), *doc, MistralDocument::workbook);
  WorkbookDocument out;
  out.workbook = wb;
  out.source = doc;
  out.text = std::string(yaml_text);
  return {std::move(out), sorted(std::move(c.problems()))};
}

Parsed<ActionsDocument> parse_actions(std::string_view yaml_text) {
  Problems load_problems;
  auto loaded = load_located_yaml(yaml_text, load_problems);
  if (!loaded) return load_problems;
  auto doc = std::make_shared<LocatedDocument>(std::move(*loaded));
  Checker c(*doc);
  c.problems() = std::move(load_problems);
  ActionsDocument out;
  const Value& root = doc->root;
  if (root_is_mapping(c, root, "action", "`version: '2.0'` then one key per action")) {
    detail::check_version(c, root, "", true);
    size_t n = 0;
    for (const auto& [name, v] : root.as_dict()) {
      if (name == "version") continue;
      ++n;
      if (auto a = detail::parse_action(c, name, v, name)) out.actions.push_back(std::move(a));
    }
    if (n == 0)
      c.error("", "no actions defined; add one as a top-level key, e.g. `my_action: {base: std.echo}`",
              empty_list_words(root));
  }
  refuse_python_keys(c, *doc, MistralDocument::actions);
  if (c.count()) return refused(std::move(c.problems()), *doc, MistralDocument::actions);
  out.source = doc;
  out.text = std::string(yaml_text);
  return {std::move(out), sorted(std::move(c.problems()))};
}

Parsed<std::shared_ptr<const WorkflowSpec>> workflow_from_value(const Value& spec) {
  LocatedDocument doc = unlocated(spec);
  Checker c(doc);
  std::string name = spec["name"].is_string() ? spec["name"].as_string() : "";
  if (name.empty()) c.error("name", "the stored workflow spec has no 'name'");
  auto wf = detail::parse_workflow(c, name, spec, "");
  if (c.count() || !wf) return std::move(c.problems());
  return std::shared_ptr<const WorkflowSpec>(std::move(wf));
}

Parsed<std::shared_ptr<const ActionSpec>> action_from_value(const Value& spec) {
  LocatedDocument doc = unlocated(spec);
  Checker c(doc);
  std::string name = spec["name"].is_string() ? spec["name"].as_string() : "";
  if (name.empty()) c.error("name", "the stored action spec has no 'name'");
  auto a = detail::parse_action(c, name, spec, "");
  if (c.count() || !a) return std::move(c.problems());
  return std::shared_ptr<const ActionSpec>(std::move(a));
}

Parsed<std::shared_ptr<const WorkbookSpec>> workbook_from_value(const Value& spec) {
  LocatedDocument doc = unlocated(spec);
  Checker c(doc);
  auto wb = std::make_shared<WorkbookSpec>();
  if (root_is_mapping(c, spec, "workbook", "version, name, workflows, actions")) parse_workbook_into(c, spec, *wb);
  if (c.count()) return sorted(std::move(c.problems()));
  return std::shared_ptr<const WorkbookSpec>(std::move(wb));
}

}  // namespace bora::lang
