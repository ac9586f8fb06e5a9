// engine/tracing: what the engine tells about state changes: Mistral's
// workflow trace log lines (mistral/utils/wf_trace.py and its callers in
// mistral/engine/) and, with tracing on, one span per execution, task and
// action execution (core/trace.h), made when the record ends and sent after
// the commit. An execution's trace is kept in its runtime_context (not
// shown by the REST API) as {"trace": {"trace_id", "parent_span_id",
// "flags", "tracestate"}}; the span ids of the execution, its tasks and
// their actions are derived from their ids (trace::span_id_of), so a task
// finishing after a restart still names its execution's span as parent.
#include <fmt/format.h>

#include "bora/core/log.h"
#include "bora/core/python_format.h"
#include "step.h"

namespace bora::engine {

using storage::ActionExecution;
using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

bool ended(State state) { return is_completed(state); }

// The trace line's "from": the state's name, "" for a new record.
std::string_view name_of(std::optional<State> from) { return from ? state_name(*from) : ""; }

// Mistral's utils.cut: the printed value, at most 100 characters and "...".
std::string cut(const Value& v) {
  std::string s = python_str(v);
  if (s.size() > 100) {
    s.resize(100);
    s += "...";
  }
  return s;
}

std::string none_or(const std::optional<std::string>& s) { return s ? *s : "None"; }
std::string_view none_or(std::string_view s) { return s.empty() ? std::string_view("None") : s; }

// The suffix wf_trace.info adds for an execution (Mistral's spelling, no
// space after the comma).
std::string execution_suffix(const WorkflowExecution& wf_ex) {
  return fmt::format("(execution_id={},task_ex_id={})", wf_ex.id, none_or(wf_ex.task_execution_id));
}

trace::Span new_span(const trace::SpanContext& parent_ctx, std::string_view record_id, std::string name,
                     Timestamp start, Timestamp end) {
  trace::Span s;
  s.trace_id = parent_ctx.trace_id;
  s.span_id = trace::span_id_of(record_id);
  s.parent_span_id = parent_ctx.span_id;
  s.name = std::move(name);
  s.start_unix_nano = trace::unix_nano_from_micros(to_micros(start));
  s.end_unix_nano = trace::unix_nano_from_micros(to_micros(end));
  if (s.end_unix_nano < s.start_unix_nano) s.end_unix_nano = s.start_unix_nano;
  s.tracestate = parent_ctx.tracestate;
  return s;
}

void set_status(trace::Span& s, State state, const std::optional<std::string>& info) {
  if (state != State::Error) return;
  s.error = true;
  s.status_message = info ? info->substr(0, 1024) : "ERROR";
}

}  // namespace

std::optional<trace::SpanContext> Step::execution_trace(const WorkflowExecution& wf_ex) {
  const Value* t = WorkflowContextView(wf_ex.runtime_context).trace();
  if (!t) return std::nullopt;
  const Value* id = t->find("trace_id");
  auto trace_id = id && id->is_string() ? trace::trace_id_from_hex(id->as_string()) : std::nullopt;
  if (!trace_id || !trace_id->valid()) return std::nullopt;
  trace::SpanContext c;
  c.trace_id = *trace_id;
  c.span_id = trace::span_id_of(wf_ex.id);
  if (const Value* f = t->find("flags"); f && f->is_int()) c.flags = static_cast<uint8_t>(f->as_int());
  if (const Value* ts = t->find("tracestate"); ts && ts->is_string()) c.tracestate = ts->as_string();
  return c;
}

void Step::attach_trace(WorkflowExecution& wf_ex, const ExecutionOrigin& origin) {
  std::optional<trace::SpanContext> parent = origin.trace;
  if (!parent) {
    if (!trace::enabled()) return;
    // A root without a caller's trace (a cron trigger, a client without
    // traceparent): a trace of its own, the execution's span its root.
    trace::Started s = trace::start_span(std::nullopt);
    parent = s.context;
    parent->span_id = trace::SpanId{};
  }
  Dict d;
  d.set("trace_id", Value(parent->trace_id.hex()));
  d.set("parent_span_id", Value(parent->span_id.valid() ? parent->span_id.hex() : std::string()));
  d.set("flags", Value(static_cast<int64_t>(parent->flags)));
  if (!parent->tracestate.empty()) d.set("tracestate", Value(parent->tracestate));
  WorkflowContext(wf_ex.runtime_context).set_trace(Value(std::move(d)));
}

void Step::traced(const WorkflowExecution& wf_ex, std::optional<State> from_state) {
  std::string_view from = name_of(from_state);
  bool spans = trace::enabled() && ended(wf_ex.state);
  if (!spans && !log::workflow_trace_on()) return;
  auto ctx = execution_trace(wf_ex);
  if (log::workflow_trace_on()) {
    log::ScopedContext lc(wf_ex.id, {}, ctx ? ctx->trace_id.hex() : "", ctx ? ctx->span_id.hex() : "");
    if (from.empty())
      log::workflow_trace(fmt::format("Starting workflow [name={}, input={}] {}", wf_ex.workflow_name,
                                      cut(wf_ex.input), execution_suffix(wf_ex)));
    else
      log::workflow_trace(fmt::format("Workflow '{}' [{} -> {}, msg={}] {}", wf_ex.workflow_name, from, state_name(wf_ex.state),
                                      none_or(wf_ex.state_info), execution_suffix(wf_ex)));
  }
  if (!spans || !ctx || !ctx->sampled()) return;
  trace::SpanContext parent = *ctx;
  const Value* p = WorkflowContextView(wf_ex.runtime_context).trace()->find("parent_span_id");
  parent.span_id = p && p->is_string() ? trace::span_id_from_hex(p->as_string()).value_or(trace::SpanId{})
                                       : trace::SpanId{};
  trace::Span s = new_span(parent, wf_ex.id, "workflow " + wf_ex.workflow_name, wf_ex.created_at, now());
  s.attributes = {{"mistral.workflow.name", Value(wf_ex.workflow_name)},
                  {"mistral.workflow.namespace", Value(wf_ex.workflow_namespace)},
                  {"mistral.workflow.id", Value(wf_ex.workflow_id)},
                  {"mistral.execution.id", Value(wf_ex.id)},
                  {"mistral.execution.state", Value(state_name(wf_ex.state))},
                  {"mistral.project_id", Value(wf_ex.project_id)}};
  if (wf_ex.root_execution_id) s.attributes.emplace_back("mistral.root_execution.id", Value(*wf_ex.root_execution_id));
  if (wf_ex.task_execution_id) s.attributes.emplace_back("mistral.task_execution.id", Value(*wf_ex.task_execution_id));
  set_status(s, wf_ex.state, wf_ex.state_info);
  spans_.push_back(std::move(s));
}

void Step::traced(const WorkflowExecution& wf_ex, const TaskExecution& t, std::optional<State> from_state) {
  std::string_view from = name_of(from_state);
  bool spans = trace::enabled() && ended(t.state);
  if (!spans && !log::workflow_trace_on()) return;
  auto ctx = execution_trace(wf_ex);
  if (log::workflow_trace_on()) {
    log::ScopedContext lc(wf_ex.id, t.id, ctx ? ctx->trace_id.hex() : "",
                          ctx ? trace::span_id_of(t.id).hex() : "");
    log::workflow_trace(fmt::format("Task '{}' ({}) [{} -> {}, msg={}] {}", t.name, t.id, none_or(from), state_name(t.state),
                                    none_or(t.state_info), execution_suffix(wf_ex)));
  }
  if (!spans || !ctx || !ctx->sampled()) return;
  Timestamp start = t.started_at ? *t.started_at : t.created_at;
  trace::Span s = new_span(*ctx, t.id, "task " + t.name, start, t.finished_at ? *t.finished_at : now());
  s.attributes = {{"mistral.workflow.name", Value(wf_ex.workflow_name)},
                  {"mistral.execution.id", Value(wf_ex.id)},
                  {"mistral.task.name", Value(t.name)},
                  {"mistral.task.type", Value(t.type)},
                  {"mistral.task_execution.id", Value(t.id)},
                  {"mistral.task.state", Value(state_name(t.state))}};
  set_status(s, t.state, t.state_info);
  spans_.push_back(std::move(s));
}

void Step::traced(const ActionExecution& a, std::optional<State> from_state) {
  std::string_view from = name_of(from_state);
  bool spans = trace::enabled() && ended(a.state) && a.task_execution_id;
  if (!spans && !log::workflow_trace_on()) return;
  std::optional<TaskExecution> t;
  if (a.task_execution_id) t = tx_.task_executions().find(*a.task_execution_id, ProjectScope::internal());
  std::optional<trace::SpanContext> ctx;
  std::optional<WorkflowExecution> wf_ex;
  if (t) wf_ex = tx_.workflow_executions().find(t->workflow_execution_id, ProjectScope::internal());
  if (wf_ex) ctx = execution_trace(*wf_ex);
  if (log::workflow_trace_on()) {
    log::ScopedContext lc(wf_ex ? std::string_view(wf_ex->id) : std::string_view(),
                          t ? std::string_view(t->id) : std::string_view(), ctx ? ctx->trace_id.hex() : "",
                          ctx ? trace::span_id_of(a.id).hex() : "");
    // Mistral's Result.cut_repr().
    const Value* r = a.output.is_dict() ? a.output.find("result") : nullptr;
    bool failed = a.state == State::Error;
    std::string result = fmt::format("Result [data={}, error={}, cancel={}]", failed || !r ? "None" : cut(*r),
                                     failed && r ? cut(*r) : "None", a.state == State::Cancelled ? "True" : "False");
    log::workflow_trace(fmt::format("Action '{}' ({})(task_name={}, task_ex_id={}) [{} -> {}, {}]", a.name, a.id,
                                    t ? t->name : "None", t ? t->id : "None", none_or(from), state_name(a.state), result));
  }
  if (!spans || !ctx || !ctx->sampled() || !t) return;
  trace::SpanContext parent = *ctx;
  parent.span_id = trace::span_id_of(t->id);
  trace::Span s = new_span(parent, a.id, "action " + a.name, a.created_at, now());
  s.attributes = {{"mistral.workflow.name", Value(wf_ex->workflow_name)},
                  {"mistral.execution.id", Value(wf_ex->id)},
                  {"mistral.task.name", Value(t->name)},
                  {"mistral.task_execution.id", Value(t->id)},
                  {"mistral.action.name", Value(a.name)},
                  {"mistral.action_execution.id", Value(a.id)},
                  {"mistral.action.state", Value(state_name(a.state))}};
  if (a.state == State::Error) {
    const Value* r = a.output.is_dict() ? a.output.find("result") : nullptr;
    set_status(s, a.state, r ? std::optional<std::string>(cut(*r)) : std::nullopt);
  }
  spans_.push_back(std::move(s));
}

}  // namespace bora::engine
