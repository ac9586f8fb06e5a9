#include "bora/services/cron_triggers.h"

#include <charconv>

#include <fmt/format.h>

#include <algorithm>

#include "bora/catalog/catalog.h"
#include "bora/core/digest.h"
#include "bora/core/ids.h"
#include "bora/core/json.h"
#include "bora/lang/parser.h"
#include "bora/lang/workflow_input.h"
#include "bora/scheduler/cron_schedule.h"
#include "bora/services/json_object.h"
#include "bora/services/workflow_definitions.h"

namespace bora::services {

using storage::CronTrigger;
using storage::FilterOp;

namespace {

const char* const kKeys[] = {"id",           "name",           "pattern",       "first_execution_time",
                             "next_execution_time", "remaining_executions", "workflow_name", "workflow_id",
                             "workflow_input", "workflow_params", "scope",     "project_id",
                             "created_at",   "updated_at"};

Result<std::optional<std::string>> text_field(const Value& body, const char* key) {
  const Value* v = body.find(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return bad_input(fmt::format("Cron trigger field '{}' must be a string.", key));
  return std::optional<std::string>(v->as_string());
}

}  // namespace

Result<CronTrigger> create_cron_trigger(storage::Transaction& tx, const Value& body, const Caller& caller,
                                        Timestamp now, std::optional<std::string> trust_id) {
  if (!body.is_dict()) return bad_input("A cron trigger must be a JSON object.");
  for (const auto& [key, value] : body.as_dict()) {
    // `&key = key`: clang 14 (the sanitizer build) cannot capture a structured binding.
    if (std::none_of(std::begin(kKeys), std::end(kKeys), [&key = key](const char* k) { return key == k; }))
      return bad_input(fmt::format("Unknown attribute for argument cron_trigger: {}", key));
  }
  auto name = text_field(body, "name");
  if (!name) return name.error();
  if (!*name || (*name)->empty()) return bad_input("Cron trigger name must be given (\"name\").");
  auto pattern = text_field(body, "pattern");
  if (!pattern) return pattern.error();
  auto first = text_field(body, "first_execution_time");
  if (!first) return first.error();
  std::optional<int64_t> count;
  if (const Value* c = body.find("remaining_executions"); c && !c->is_null()) {
    // WSME reads an integer field through int(): "42" (as some clients
    // send it) is 42.
    Value number = *c;
    if (c->is_string()) {
      const std::string& t = c->as_string();
      size_t b = t.find_first_not_of(" \t\n\r"), e = t.find_last_not_of(" \t\n\r");
      std::string digits = b == std::string::npos ? "" : t.substr(b, e - b + 1);
      int64_t parsed = 0;
      const char* first_char = digits.data() + (!digits.empty() && digits[0] == '+' ? 1 : 0);
      auto [end, ec] = std::from_chars(first_char, digits.data() + digits.size(), parsed);
      if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size()) number = Value(parsed);
    }
    c = &number;
    if (!c->is_int() || c->as_int() < 1) {
      return bad_input(fmt::format(
          "Invalid input for field/attribute remaining_executions. Value: '{}'. Value should be greater or equal "
          "to 1",
          c->is_string() ? c->as_string() : to_json(*c)));
    }
    count = c->as_int();
  }
  auto scope = text_field(body, "scope");
  if (!scope) return scope.error();
  std::string scope_text = scope->value_or("private");
  if (auto s = check_scope(scope_text); !s) return s.error();

  // services/triggers.py: validate_cron_trigger_input.
  std::optional<Timestamp> first_time;
  if (*first && !(*first)->empty()) {
    first_time = parse_time(**first);
    if (!first_time) {
      return bad_input(fmt::format("time data '{}' does not match format '%Y-%m-%d %H:%M'", **first));
    }
  }
  if (!first_time && !(*pattern && !(*pattern)->empty()))
    return bad_input("Pattern or first_execution_time must be specified.");
  std::optional<scheduler::CronSchedule> schedule;
  if (*pattern && !(*pattern)->empty()) {
    auto parsed = scheduler::CronSchedule::parse(**pattern);
    if (!parsed) {
      return bad_input(fmt::format("The specified pattern is not valid: {} ({})", **pattern, parsed.error().message));
    }
    schedule = std::move(parsed).value();
  }
  if (first_time) {
    if (*first_time < now + std::chrono::seconds(60))
      return bad_input("first_execution_time must be at least 1 minute in the future.");
    if (!schedule && count && *count > 1) return bad_input("Pattern must be provided if count is superior to 1.");
  }

  auto wf_id = text_field(body, "workflow_id");
  if (!wf_id) return wf_id.error();
  auto wf_name = text_field(body, "workflow_name");
  if (!wf_name) return wf_name.error();
  std::string identifier = wf_id->value_or(wf_name->value_or(""));
  if (identifier.empty()) return bad_input("A cron trigger needs the workflow: give workflow_name or workflow_id.");
  auto wf = catalog::Catalog(tx, caller).workflow(identifier, std::nullopt);
  if (!wf) return wf.error();
  auto input = json_object_field(body.find("workflow_input") ? body["workflow_input"] : Value(), "workflow_input",
                                 "cron_trigger", &body);
  if (!input) return input.error();
  auto params = json_object_field(body.find("workflow_params") ? body["workflow_params"] : Value(), "workflow_params",
                                  "cron_trigger", &body);
  if (!params) return params.error();
  auto spec = lang::workflow_from_value(wf->spec);
  if (!spec) return spec.error();
  if (auto ok = lang::check_workflow_input(**spec, *input); !ok) return ok.error();

  CronTrigger t;
  t.name = **name;
  t.pattern = pattern->value_or("");
  t.first_execution_time = first_time;
  t.next_execution_time = first_time ? *first_time : schedule->next_after(now);
  t.remaining_executions = count;
  if (first_time && !schedule && !count) t.remaining_executions = 1;
  t.workflow_name = wf->name;
  t.workflow_id = wf->id;
  t.workflow_input = *input;
  t.workflow_params = *params;
  t.workflow_input_hash = sha256_hex(to_json(*input));
  t.workflow_params_hash = sha256_hex(to_json(*params));
  t.scope = scope_text;
  t.project_id = caller.project_id;
  t.trust_id = std::move(trust_id);
  return tx.cron_triggers().create(std::move(t));
}

Result<CronTrigger> get_cron_trigger(storage::Transaction& tx, const std::string& identifier, const Caller& caller) {
  auto& repo = tx.cron_triggers();
  if (is_uuid(identifier)) {
    if (auto t = repo.find_one({{"id", FilterOp::Eq, {identifier}}}, caller.lookup())) return std::move(*t);
  }
  // A project's own trigger wins over another's public one of that name.
  if (auto own = repo.find_one({{"name", FilterOp::Eq, {identifier}}},
                               storage::ProjectScope::own(caller.project_id))) {
    return std::move(*own);
  }
  if (auto t = repo.find_one({{"name", FilterOp::Eq, {identifier}}}, caller.lookup())) return std::move(*t);
  return not_found(fmt::format("Cron trigger not found [identifier={}]", identifier));
}

Result<void> delete_cron_trigger(storage::Transaction& tx, const std::string& identifier, const Caller& caller) {
  auto t = get_cron_trigger(tx, identifier, caller);
  if (!t) return t.error();
  if (auto a = check_modify_access(caller, "CronTrigger", t->id, t->project_id, false); !a) return a.error();
  return tx.cron_triggers().remove(t->id);
}

}  // namespace bora::services
