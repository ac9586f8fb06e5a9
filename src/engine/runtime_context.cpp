// engine/runtime_context: the typed views of the stored runtime_context
// values (include/bora/engine/runtime_context.h).
#include "bora/engine/runtime_context.h"

#include <algorithm>

namespace bora::engine {

namespace {

int64_t int_or_zero(const Value& v) { return v.is_int() ? v.as_int() : 0; }

// The key's value when the context is a dict that has it.
const Value* key(const Value* ctx, const char* name) { return ctx->is_dict() ? ctx->find(name) : nullptr; }

std::optional<int64_t> int_key(const Value* ctx, const char* name) {
  const Value* v = key(ctx, name);
  return v && v->is_int() ? std::optional<int64_t>(v->as_int()) : std::nullopt;
}

std::optional<std::string> text_key(const Value* ctx, const char* name) {
  const Value* v = key(ctx, name);
  return v && v->is_string() ? std::optional<std::string>(v->as_string()) : std::nullopt;
}

bool present(const Value* ctx, const char* name) { return key(ctx, name) != nullptr; }

// Sets the key in place (a new key goes last), on an empty dict when the
// stored value is not one.
void set_key(Value* ctx, const char* name, Value v) {
  *ctx = (ctx->is_dict() ? *ctx : Value(Dict{})).with(name, std::move(v));
}

constexpr const char* kTriggeredBy = "triggered_by";
constexpr const char* kRetryNo = "retry_no";
constexpr const char* kTimeout = "timeout";
constexpr const char* kTimeoutArmed = "timeout_armed";
constexpr const char* kTimeoutAttempt = "timeout_attempt";
constexpr const char* kTimeoutDue = "timeout_due";
constexpr const char* kWaitBeforeDone = "wait_before_done";
constexpr const char* kPauseBeforeDone = "pause_before_done";
constexpr const char* kWaitAfter = "wait_after";
constexpr const char* kWaitAfterDone = "wait_after_done";
constexpr const char* kArrivedCount = "arrived_count";
constexpr const char* kArrived = "arrived";
constexpr const char* kWithItems = "with_items";
constexpr const char* kRerunNo = "rerun_no";
constexpr const char* kCompensates = "compensates";
constexpr const char* kUnit = "unit";
constexpr const char* kAttempt = "attempt";
constexpr const char* kIndex = "index";
constexpr const char* kRollbackOf = "rollback_of";
constexpr const char* kNotStarted = "not_started";
constexpr const char* kBacklog = "backlog";
constexpr const char* kRollback = "rollback";
constexpr const char* kTrace = "trace";

}  // namespace

WithItemsProgress WithItemsProgress::from_value(const Value& v) {
  WithItemsProgress p;
  if (!v.is_dict()) return p;
  p.count = int_or_zero(v["count"]);
  p.next = int_or_zero(v["next"]);
  p.concurrency = int_or_zero(v["concurrency"]);
  p.done = int_or_zero(v["done"]);
  p.failed = v["failed"].truthy();
  if (const Value& r = v["rerun"]; r.is_list()) {
    for (const auto& range : r.as_list()) {
      if (!range.is_list() || range.size() != 2) continue;
      int64_t first = int_or_zero(range[0]), last = int_or_zero(range[1]);
      if (first < last) p.rerun.emplace_back(first, last);
    }
  }
  return p;
}

Value WithItemsProgress::to_value() const {
  Value v = Value::dict({{"count", Value(count)},
                         {"next", Value(next)},
                         {"concurrency", Value(concurrency)},
                         {"done", Value(done)},
                         {"failed", Value(failed)}});
  if (rerun.empty()) return v;
  List ranges;
  ranges.reserve(rerun.size());
  for (const auto& [first, last] : rerun) ranges.emplace_back(List{Value(first), Value(last)});
  return v.with("rerun", Value(std::move(ranges)));
}

int64_t WithItemsProgress::rerun_left() const {
  int64_t left = 0;
  for (const auto& [first, last] : rerun) left += last - first;
  return left;
}

int64_t WithItemsProgress::running() const { return std::min(next, count) - rerun_left() - done; }

int64_t WithItemsProgress::take_next() {
  if (rerun.empty()) return next++;
  int64_t index = rerun.front().first++;
  if (rerun.front().first >= rerun.front().second) rerun.erase(rerun.begin());
  return index;
}

std::vector<std::pair<int64_t, int64_t>> WithItemsProgress::ranges_of(const std::vector<int64_t>& sorted_indexes) {
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (int64_t i : sorted_indexes) {
    if (!ranges.empty() && ranges.back().second == i) ++ranges.back().second;
    else ranges.emplace_back(i, i + 1);
  }
  return ranges;
}

// -- Task executions ------------------------------------------------------

std::vector<std::string> TaskContextView::triggered_by_all() const {
  std::vector<std::string> out;
  const Value* v = key(v_, kTriggeredBy);
  if (v && v->is_list()) {
    for (const auto& arrival : v->as_list()) {
      const Value* id = arrival.is_dict() ? arrival.find("task_id") : nullptr;
      if (id && id->is_string()) out.push_back(id->as_string());
    }
  } else if (auto id = text_key(v_, kTriggeredBy)) {
    out.push_back(*id);
  }
  return out;
}

std::optional<std::string> TaskContextView::triggered_by() const {
  const Value* v = key(v_, kTriggeredBy);
  if (v && v->is_list() && !v->as_list().empty()) {
    const Value& last = v->as_list().back();
    const Value* id = last.is_dict() ? last.find("task_id") : nullptr;
    if (id && id->is_string()) return id->as_string();
    return std::nullopt;
  }
  return text_key(v_, kTriggeredBy);
}

std::optional<int64_t> TaskContextView::retry_no() const { return int_key(v_, kRetryNo); }

bool TaskContextView::timeout_armed() const { return present(v_, kTimeoutArmed); }

int64_t TaskContextView::timeout_attempt() const { return int_key(v_, kTimeoutAttempt).value_or(0); }

std::optional<int64_t> TaskContextView::timeout_due() const { return int_key(v_, kTimeoutDue); }

Value TaskContextView::timeout_shown() const {
  const Value* v = key(v_, kTimeout);
  return v ? *v : Value();
}

bool TaskContextView::wait_before_done() const { return present(v_, kWaitBeforeDone); }

bool TaskContextView::pause_before_done() const { return present(v_, kPauseBeforeDone); }

std::optional<HeldCompletion> TaskContextView::held_completion() const {
  const Value* held = key(v_, kWaitAfter);
  if (!held || !held->is_dict()) return std::nullopt;
  HeldCompletion h;
  if (const Value& s = (*held)["state"]; s.is_string())
    h.state = storage::parse_state(s.as_string()).value_or(storage::State::Error);
  if (const Value& i = (*held)["state_info"]; i.is_string()) h.state_info = i.as_string();
  h.result = (*held)["result"];
  return h;
}

bool TaskContextView::wait_after_done() const { return present(v_, kWaitAfterDone); }

size_t TaskContextView::arrived_count() const {
  if (auto n = int_key(v_, kArrivedCount)) return static_cast<size_t>(std::max<int64_t>(0, *n));
  const Value* ids = key(v_, kArrived);
  return ids && ids->is_list() ? ids->size() : 0;
}

std::vector<std::string> TaskContextView::arrived_ids() const {
  std::vector<std::string> out;
  const Value* ids = key(v_, kArrived);
  if (!ids || !ids->is_list()) return out;
  for (const auto& id : ids->as_list())
    if (id.is_string()) out.push_back(id.as_string());
  return out;
}

bool TaskContextView::has_with_items() const { return present(v_, kWithItems); }

WithItemsProgress TaskContextView::with_items() const {
  const Value* p = key(v_, kWithItems);
  return p ? WithItemsProgress::from_value(*p) : WithItemsProgress{};
}

int64_t TaskContextView::rerun_no() const { return int_key(v_, kRerunNo).value_or(0); }

bool TaskContextView::is_compensation() const { return present(v_, kCompensates); }

std::optional<Compensation> TaskContextView::compensation() const {
  if (!is_compensation()) return std::nullopt;
  Compensation c;
  c.task_execution_id = text_key(v_, kCompensates).value_or("");
  c.unit = int_key(v_, kUnit).value_or(-1);
  if (const Value* a = key(v_, kAttempt)) c.attempt = *a;
  c.index = int_key(v_, kIndex);
  c.rollback_of = text_key(v_, kRollbackOf);
  return c;
}

std::optional<std::string> TaskContextView::rollback_of() const { return text_key(v_, kRollbackOf); }

void TaskContext::clear() { *w_ = Value(Dict{}); }

void TaskContext::set(const char* name, Value v) { set_key(w_, name, std::move(v)); }

void TaskContext::set_triggered_by(const std::vector<std::pair<std::string, std::string>>& arrivals) {
  List out;
  for (const auto& [id, event] : arrivals)
    out.push_back(Value::dict({{"task_id", Value(id)}, {"event", event.empty() ? Value() : Value(event)}}));
  set(kTriggeredBy, Value(std::move(out)));
}

void TaskContext::set_retry_no(int64_t n) { set(kRetryNo, Value(n)); }

void TaskContext::arm_timeout(std::optional<Value> shown, int64_t attempt, std::optional<int64_t> due_us) {
  if (shown) set(kTimeout, std::move(*shown));
  set(kTimeoutArmed, Value(true));
  if (attempt) set(kTimeoutAttempt, Value(attempt));
  if (due_us) set(kTimeoutDue, Value(*due_us));
}

void TaskContext::mark_wait_before_done() { set(kWaitBeforeDone, Value(true)); }

void TaskContext::mark_pause_before_done() { set(kPauseBeforeDone, Value(true)); }

void TaskContext::hold_completion(const HeldCompletion& held) {
  set(kWaitAfter, Value::dict({{"state", Value(std::string(storage::state_name(held.state)))},
                               {"state_info", held.state_info ? Value(*held.state_info) : Value()},
                               {"result", held.result}}));
}

void TaskContext::mark_wait_after_done() { set(kWaitAfterDone, Value(true)); }

void TaskContext::set_arrived_count(size_t n) { set(kArrivedCount, Value(static_cast<int64_t>(n))); }

void TaskContext::set_with_items(const WithItemsProgress& p) { set(kWithItems, p.to_value()); }

void TaskContext::set_rerun_no(int64_t n) { set(kRerunNo, Value(n)); }

void TaskContext::set_compensation(const Compensation& c) {
  Dict rc;
  rc.set(kCompensates, Value(c.task_execution_id));
  rc.set(kUnit, Value(c.unit));
  rc.set(kAttempt, c.attempt);
  if (c.index) rc.set(kIndex, Value(*c.index));
  if (c.rollback_of) rc.set(kRollbackOf, Value(*c.rollback_of));
  *w_ = Value(std::move(rc));
}

// -- Action executions and sub-executions (items) -------------------------

std::optional<int64_t> ItemContextView::index() const { return int_key(v_, kIndex); }

bool ItemContextView::not_started() const {
  const Value* v = key(v_, kNotStarted);
  return v && v->truthy();
}

void ItemContext::reset(std::optional<int64_t> index) {
  *w_ = index ? Value::dict({{kIndex, Value(*index)}}) : Value(Dict{});
}

void ItemContext::mark_not_started() { set_key(w_, kNotStarted, Value(true)); }

void ItemContext::clear_not_started() {
  if (!w_->is_dict()) return;
  Dict rc;
  for (const auto& [k, v] : w_->as_dict())
    if (k != kNotStarted) rc.set(k, v);
  *w_ = Value(std::move(rc));
}

// -- Workflow executions ----------------------------------------------------

bool WorkflowContextView::has_backlog() const { return present(v_, kBacklog); }

std::vector<HeldCommand> WorkflowContextView::backlog() const {
  std::vector<HeldCommand> out;
  const Value* held = key(v_, kBacklog);
  if (!held || !held->is_list()) return out;
  // [task execution id, next] or, with an engine command's msg, [id, next, msg].
  for (const auto& item : held->as_list()) {
    if (!item.is_list() || item.size() < 2 || !item[0].is_string() || !item[1].is_string()) continue;
    HeldCommand c{item[0].as_string(), item[1].as_string(), std::nullopt};
    if (item.size() > 2) c.msg = item[2];
    out.push_back(std::move(c));
  }
  return out;
}

const Value* WorkflowContextView::rollback() const {
  const Value* rb = key(v_, kRollback);
  return rb && rb->is_dict() ? rb : nullptr;
}

const Value* WorkflowContextView::trace() const {
  const Value* t = key(v_, kTrace);
  return t && t->is_dict() ? t : nullptr;
}

void WorkflowContext::set(const char* name, Value v) { set_key(w_, name, std::move(v)); }

void WorkflowContext::set_backlog(const std::vector<HeldCommand>& held) {
  List items;
  items.reserve(held.size());
  for (const auto& c : held) {
    List item{Value(c.task_execution_id), Value(c.next)};
    if (c.msg) item.push_back(*c.msg);
    items.emplace_back(std::move(item));
  }
  set(kBacklog, Value(std::move(items)));
}

void WorkflowContext::set_rollback(Value record) { set(kRollback, std::move(record)); }

void WorkflowContext::set_trace(Value record) { set(kTrace, std::move(record)); }

}  // namespace bora::engine
