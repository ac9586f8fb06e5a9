#include "bora/services/cron_triggers.h"

#include <cctype>
#include <charconv>
#include <chrono>

#include <cmath>

#include <fmt/format.h>

#include <algorithm>

#include "bora/catalog/catalog.h"
#include "bora/core/digest.h"
#include "bora/core/ids.h"
#include "bora/core/json.h"
#include "bora/core/python_format.h"
#include "bora/core/python_int.h"
#include "bora/lang/parser.h"
#include "bora/lang/workflow_input.h"
#include "bora/scheduler/cron_schedule.h"
#include "bora/services/json_object.h"
#include "bora/services/workflow_definitions.h"

namespace bora::services {

using storage::CronTrigger;
using storage::FilterOp;

namespace {

// Python's datetime.strptime(text, '%Y-%m-%d %H:%M'), as Mistral reads a
// first_execution_time: its regex (each field's alternatives in its order,
// blanks between date and time), then "unconverted data remains: ..." for
// text after the minutes, and the calendar's check. The error in Python's
// words, or the time.
Result<Timestamp> strptime_minutes(const std::string& text) {
  size_t i = 0;
  auto digit = [&](size_t at, char lo = '0', char hi = '9') {
    return at < text.size() && text[at] >= lo && text[at] <= hi;
  };
  // One field: the first alternative that matches (two-character ones are
  // pairs of ranges, ' ' a blank; a one-character one has hi2 == 0). Its
  // value, or -1.
  struct Alt {
    char lo1, hi1, lo2, hi2;
  };
  auto field = [&](std::initializer_list<Alt> alts) -> int {
    for (const Alt& a : alts) {
      if (a.lo1 == ' ' ? (i < text.size() && text[i] == ' ') : digit(i, a.lo1, a.hi1)) {
        if (a.hi2 == 0) return text[i++] - '0';
        if (digit(i + 1, a.lo2, a.hi2)) {
          int v = a.lo1 == ' ' ? text[i + 1] - '0' : (text[i] - '0') * 10 + (text[i + 1] - '0');
          i += 2;
          return v;
        }
      }
    }
    return -1;
  };
  auto mismatch = [&] {
    return bad_input(fmt::format("time data '{}' does not match format '%Y-%m-%d %H:%M'", text));
  };
  int year = 0;
  for (int k = 0; k < 4; ++k, ++i) {
    if (!digit(i)) return mismatch();
    year = year * 10 + (text[i] - '0');
  }
  auto literal = [&](char c) { return i < text.size() && text[i] == c ? (++i, true) : false; };
  if (!literal('-')) return mismatch();
  int month = field({{'1', '1', '0', '2'}, {'0', '0', '1', '9'}, {'1', '9', 0, 0}});
  if (month < 0 || !literal('-')) return mismatch();
  int day = field({{'3', '3', '0', '1'}, {'1', '2', '0', '9'}, {'0', '0', '1', '9'}, {'1', '9', 0, 0}, {' ', ' ', '1', '9'}});
  if (day < 0) return mismatch();
  size_t blanks = i;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i == blanks) return mismatch();
  int hour = field({{'2', '2', '0', '3'}, {'0', '1', '0', '9'}, {'0', '9', 0, 0}});
  if (hour < 0 || !literal(':')) return mismatch();
  int minute = field({{'0', '5', '0', '9'}, {'0', '9', 0, 0}});
  if (minute < 0) return mismatch();
  if (i != text.size()) return bad_input(fmt::format("unconverted data remains: {}", text.substr(i)));
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (year < 1) return bad_input(fmt::format("year {} is out of range", year));
  if (!ymd.ok()) return bad_input("day is out of range for month");
  return Timestamp(duration_cast<microseconds>(sys_days(ymd).time_since_epoch() + hours(hour) + minutes(minute)));
}

const char* const kCronTriggerKeys[] = {"id", "name", "pattern", "first_execution_time", "next_execution_time",
                                        "remaining_executions", "workflow_name", "workflow_id", "workflow_input",
                                        "workflow_params", "scope", "project_id", "created_at", "updated_at"};

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
    if (std::none_of(std::begin(kCronTriggerKeys), std::end(kCronTriggerKeys),
                     [&key = key](const char* k) { return key == k; }))
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
    // WSME reads an integer field through Python's int(): "42" (as some
    // clients send it) is 42, 1.5 is 1, true is 1 (the API refused
    // what int() cannot read, api/context.cpp).
    Value number = python_int::of_json(*c).value_or(*c);
    c = &number;
    if (!c->is_int() || c->as_int() < 1) {
      return bad_input(fmt::format(
          "Invalid input for field/attribute remaining_executions. Value: '{}'. Value should be greater or equal "
          "to 1",
          c->is_string() ? c->as_string() : python_str(*c)));
    }
    count = c->as_int();
  }
  const Value* scope = body.find("scope");
  if (auto s = catalog::check_scope_attribute(scope ? *scope : Value()); !s) return s.error();
  std::string scope_text = scope && !scope->is_null() ? scope->as_string() : "private";

  // services/triggers.py: validate_cron_trigger_input.
  std::optional<Timestamp> first_time;
  if (*first && !(*first)->empty()) {
    auto parsed = strptime_minutes(**first);
    if (!parsed) return parsed.error();
    first_time = *parsed;
  }
  bool has_pattern = *pattern && !(*pattern)->empty();
  if (!first_time && !has_pattern) return bad_input("Pattern or first_execution_time must be specified.");
  // The first time is checked before the pattern is read, as there.
  if (first_time) {
    if (*first_time < now + std::chrono::seconds(60))
      return bad_input("first_execution_time must be at least 1 minute in the future.");
    if (!has_pattern && count && *count > 1) return bad_input("Pattern must be provided if count is superior to 1.");
  }
  std::optional<scheduler::CronSchedule> schedule;
  if (has_pattern) {
    auto parsed = scheduler::CronSchedule::parse(**pattern);
    if (!parsed) {
      return bad_input(fmt::format("The specified pattern is not valid: {} ({})", **pattern, parsed.error().message));
    }
    schedule = std::move(parsed).value();
  }

  auto wf_id = text_field(body, "workflow_id");
  if (!wf_id) return wf_id.error();
  auto wf_name = text_field(body, "workflow_name");
  if (!wf_name) return wf_name.error();
  std::string identifier = wf_id->value_or(wf_name->value_or(""));
  // Mistral looks the workflow up by None: its 404.
  if (identifier.empty())
    return not_found(
        "Workflow not found [workflow_identifier=None, namespace=] (a cron trigger needs workflow_name or "
        "workflow_id)");
  // Mistral's create_cron_trigger looks a name up in the default namespace
  // only (get_workflow_definition's namespace=''), whatever the trigger's
  // workflow_params: a namespaced workflow is named by its workflow_id.
  auto wf = catalog::Catalog(tx, caller).workflow(identifier, std::string());
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
  // Mistral's column default without a pattern: '0 0 30 2 0' ("never";
  // such a trigger runs once, at its first_execution_time).
  t.pattern = pattern->value_or("");
  if (t.pattern.empty()) t.pattern = "0 0 30 2 0";
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
