// lang/portability: walks the YAML of a definition for the keys and engine
// commands Bora adds to Mistral's language: retry's backoff, max-delay and
// jitter; a task's compensate; the rollback command; rollback-on-error.
#include "bora/lang/portability.h"

#include <algorithm>

#include "bora/lang/located_yaml.h"

namespace bora::lang {

namespace {

constexpr std::string_view kRetryKeys[] = {"backoff", "max-delay", "jitter"};
constexpr std::string_view kClauses[] = {"on-success", "on-error", "on-complete", "on-skip"};

class Scan {
 public:
  explicit Scan(const LocatedDocument& doc) : doc_(doc) {}
  Problems problems;

  // Any dict holding `tasks:` is a workflow (at the top of a workflows
  // document, or under a workbook's `workflows:`).
  void walk(const Value& v, const std::string& path) {
    if (!v.is_dict()) return;
    if (const Value* tasks = v.find("tasks"); tasks && tasks->is_dict()) {
      workflow(v, path);
      return;
    }
    for (const auto& [k, child] : v.as_dict()) walk(child, child_path(path, k));
  }

 private:
  const LocatedDocument& doc_;

  void report_key(const std::string& path, std::string message) {
    problems.push_back({path, doc_.key_at(path), std::move(message)});
  }
  void report_value(const std::string& path, std::string message) {
    problems.push_back({path, doc_.at(path), std::move(message)});
  }

  void workflow(const Value& wf, const std::string& path) {
    if (wf.find("rollback-on-error")) {
      report_key(child_path(path, "rollback-on-error"),
                 "Bora-only 'rollback-on-error' (roll back on any unhandled error); Mistral refuses the key: remove "
                 "it and undo the tasks' work in on-error paths");
    }
    if (const Value* d = wf.find("task-defaults"); d && d->is_dict()) task(*d, child_path(path, "task-defaults"));
    for (const auto& [name, t] : wf["tasks"].as_dict())
      if (t.is_dict()) task(t, child_path(child_path(path, "tasks"), name));
  }

  void task(const Value& t, const std::string& path) {
    if (t.find("compensate")) {
      report_key(child_path(path, "compensate"),
                 "Bora-only 'compensate' (how the task is undone on rollback); Mistral refuses the key: remove it "
                 "and call the undoing action from an on-error path");
    }
    if (const Value* r = t.find("retry")) retry(*r, child_path(path, "retry"));
    for (std::string_view clause : kClauses)
      if (const Value* c = t.find(clause)) transitions(*c, child_path(path, clause));
  }

  void retry(const Value& r, const std::string& path) {
    for (std::string_view key : kRetryKeys) {
      std::string message = "Bora-only retry key '" + std::string(key) +
                            "' (backoff and jitter); Mistral refuses it: remove it, the delay is then fixed";
      if (r.is_dict() && r.find(key)) report_key(child_path(path, key), message);
      if (r.is_string() && contains_parameter(r.as_string(), key)) report_value(path, message);
    }
  }

  static bool contains_parameter(std::string_view line, std::string_view key) {
    for (size_t at = line.find(key); at != std::string_view::npos; at = line.find(key, at + 1)) {
      bool starts = at == 0 || line[at - 1] == ' ' || line[at - 1] == '\t';
      if (starts && at + key.size() < line.size() && line[at + key.size()] == '=') return true;
    }
    return false;
  }

  // A target as written: `rollback`, `rollback msg="x"`, `rollback(msg=x)`.
  static bool is_rollback(std::string_view target) {
    size_t end = target.find_first_of(" (\t");
    return target.substr(0, end) == "rollback";
  }

  void transitions(const Value& c, const std::string& path) {
    constexpr const char* message =
        "Bora-only engine command 'rollback' (runs the compensations); Mistral knows noop, fail, succeed and "
        "pause: use fail and undo the work in on-error paths";
    if (c.is_string()) {
      if (is_rollback(c.as_string())) report_value(path, message);
      return;
    }
    if (c.is_dict()) {
      // The advanced form {next: [...], publish: ...}.
      if (const Value* next = c.find("next")) transitions(*next, child_path(path, "next"));
      return;
    }
    if (!c.is_list()) return;
    for (size_t i = 0; i < c.as_list().size(); ++i) {
      const Value& item = c.as_list()[i];
      std::string p = item_path(path, i);
      if (item.is_string() && is_rollback(item.as_string())) report_value(p, message);
      if (item.is_dict() && item.as_dict().size() == 1 && is_rollback(item.as_dict().at(0).first))
        report_key(child_path(p, item.as_dict().at(0).first), message);
    }
  }
};

}  // namespace

Problems bora_only_constructs(std::string_view text) {
  Problems ignored;
  auto doc = load_located_yaml(text, ignored);
  if (!doc) return {};
  Scan scan(*doc);
  scan.walk(doc->root, "");
  // In the order of the file, as an editor lists them.
  std::stable_sort(scan.problems.begin(), scan.problems.end(), [](const Problem& a, const Problem& b) {
    return a.pos.line != b.pos.line ? a.pos.line < b.pos.line : a.pos.column < b.pos.column;
  });
  return scan.problems;
}

}  // namespace bora::lang
