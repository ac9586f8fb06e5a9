// lang/expression_places: the structure walk behind for_each_expression_text.
// The places are read from Mistral's specs: TaskSpec.validate_schema (inline
// parameters, input, publish*, keep-result, safe-rerun, with-items),
// PoliciesSpec and RetrySpec, the transitions of TaskSpec/TaskDefaultsSpec,
// WorkflowSpec (output, vars) and AdHocActionSpec (base parameters,
// base-input, output). BaseSpec.validate_expr looks at a string, or at the
// strings directly inside a list or dict: one level, no deeper.
#include "bora/lang/expression_places.h"

#include <string_view>

#include "command_line.h"

namespace bora::lang {

namespace {

bool one_of(std::string_view k, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (k == n) return true;
  return false;
}

struct Walker {
  const LocatedDocument& doc;
  const std::function<void(const ExpressionText&)>& fn;

  void all(const Value& v, const std::string& path, bool checked) {
    if (v.is_string()) {
      fn({path, doc.at(path), v.as_string(), checked});
    } else if (v.is_list()) {
      size_t i = 0;
      for (const auto& item : v.as_list()) all(item, item_path(path, i++), checked);
    } else if (v.is_dict()) {
      for (const auto& [k, x] : v.as_dict()) all(x, child_path(path, k), checked);
    }
  }

  // validate_expr: the value if a string, else the strings directly inside.
  void one_level(const Value& v, const std::string& path) {
    if (v.is_string()) return all(v, path, true);
    if (v.is_list()) {
      size_t i = 0;
      for (const auto& item : v.as_list()) {
        std::string p = item_path(path, i++);
        all(item, p, item.is_string());
      }
      return;
    }
    if (v.is_dict()) {
      for (const auto& [k, x] : v.as_dict()) all(x, child_path(path, k), x.is_string());
      return;
    }
  }

  void inline_call(const Value& v, const std::string& path) {
    if (!v.is_string()) return all(v, path, false);
    auto cmd = detail::parse_command_line(v.as_string());
    if (!cmd) return all(v, path, false);  // the spec check refuses it already
    fn({path, doc.at(path), cmd->name, false});
    one_level(Value(cmd->params), path);
  }

  void task(const Value& t, const std::string& path) {
    if (!t.is_dict()) return all(t, path, false);
    for (const auto& [k, x] : t.as_dict()) {
      std::string p = child_path(path, k);
      if (k == "action" || k == "workflow") {
        inline_call(x, p);
      } else if (k == "compensate") {
        // Bora's own attribute: checked as strictly as the call it holds.
        if (x.is_dict()) {
          for (const auto& [ck, cx] : x.as_dict()) {
            std::string cp = child_path(p, ck);
            if (ck == "action" || ck == "workflow") {
              inline_call(cx, cp);
            } else if (ck == "input") {
              one_level(cx, cp);
            } else {
              all(cx, cp, false);
            }
          }
        } else {
          inline_call(x, p);
        }
      } else if (one_of(k, {"input", "publish", "publish-on-error", "publish-on-skip", "keep-result", "safe-rerun",
                            "with-items", "wait-before", "wait-after", "timeout", "pause-before", "concurrency",
                            "fail-on", "retry"})) {
        one_level(x, p);
      } else if (one_of(k, {"on-complete", "on-success", "on-error", "on-skip"})) {
        all(x, p, true);  // names, conditions, and an on-clause's publish
      } else {
        all(x, p, false);
      }
    }
  }

  void workflow(const Value& w, const std::string& path) {
    if (!w.is_dict()) return all(w, path, false);
    for (const auto& [k, x] : w.as_dict()) {
      std::string p = child_path(path, k);
      if (k == "output" || k == "vars") {
        one_level(x, p);
      } else if (k == "tasks" && x.is_dict()) {
        for (const auto& [name, t] : x.as_dict()) task(t, child_path(p, name));
      } else if (k == "task-defaults") {
        task(x, p);
      } else {
        all(x, p, false);  // input defaults, output-on-error, description, tags
      }
    }
  }

  void action(const Value& a, const std::string& path) {
    if (!a.is_dict()) return all(a, path, false);
    for (const auto& [k, x] : a.as_dict()) {
      std::string p = child_path(path, k);
      if (k == "base") {
        inline_call(x, p);
      } else if (k == "base-input" || k == "output") {
        one_level(x, p);
      } else {
        all(x, p, false);
      }
    }
  }
};

}  // namespace

void for_each_expression_text(const LocatedDocument& doc, DocumentKind kind,
                              const std::function<void(const ExpressionText&)>& fn) {
  Walker w{doc, fn};
  const Value& root = doc.root;
  if (!root.is_dict()) return w.all(root, "", false);
  for (const auto& [name, v] : root.as_dict()) {
    if (name == "version") continue;
    switch (kind) {
      case DocumentKind::Workflows:
        w.workflow(v, name);
        break;
      case DocumentKind::Actions:
        w.action(v, name);
        break;
      case DocumentKind::Workbook:
        if ((name == "workflows" || name == "actions") && v.is_dict()) {
          for (const auto& [item, x] : v.as_dict()) {
            if (item == "version") continue;
            std::string p = child_path(name, item);
            if (name == "workflows") {
              w.workflow(x, p);
            } else {
              w.action(x, p);
            }
          }
        } else {
          w.all(v, name, false);
        }
        break;
    }
  }
}

}  // namespace bora::lang
