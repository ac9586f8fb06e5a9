// engine/event_log: Mistral's notification events (mistral/notifiers/
// notification_events.py; the payloads of Task._notify and
// Workflow._notify in mistral/engine/) written into the transition's own
// transaction, and the EventFeed the notifier and the live stream read.
#include "event_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/executor/reach.h"
#include "step.h"

namespace bora::engine {

using storage::TaskExecution;
using storage::WorkflowExecution;

namespace {

constexpr std::array<const char*, 15> kEvents = {
    "WORKFLOW_LAUNCHED", "WORKFLOW_SUCCEEDED", "WORKFLOW_FAILED", "WORKFLOW_CANCELLED", "WORKFLOW_PAUSED",
    "WORKFLOW_RESUMED",  "WORKFLOW_RERUN",     "TASK_LAUNCHED",   "TASK_SUCCEEDED",     "TASK_FAILED",
    "TASK_CANCELLED",    "TASK_PAUSED",        "TASK_RESUMED",    "TASK_RERUN",         "TASK_SKIPPED"};

// A payload as json.dumps writes Mistral's dict (", ", ": ", ensure_ascii,
// keys in the order given), written straight into its text: every state
// change of every task writes one, and building a Value dict first was a
// few percent of a busy engine.
class Payload {
 public:
  Payload() {
    text_.reserve(640);  // a task event's payload fits
    text_ = "{";
  }
  Payload& text(std::string_view key, std::string_view value) {
    append_json_string(next(key), value, true);
    return *this;
  }
  Payload& text(std::string_view key, const std::string& value) { return text(key, std::string_view(value)); }
  Payload& text(std::string_view key, const char* value) { return text(key, std::string_view(value)); }
  Payload& text(std::string_view key, const std::optional<std::string>& value) {
    if (!value) return null(key);
    return text(key, *value);
  }
  Payload& time(std::string_view key, const std::optional<Timestamp>& t) {
    if (!t) return null(key);
    return text(key, format_api_time(*t));
  }
  Payload& null(std::string_view key) {
    next(key) += "null";
    return *this;
  }
  Payload& value(std::string_view key, const Value& v) {
    append_json(next(key), v, JsonFormat::python());
    return *this;
  }
  std::string done() && {
    text_ += "}";
    return std::move(text_);
  }

 private:
  std::string& next(std::string_view key) {
    if (text_.size() > 1) text_ += ", ";
    append_json_string(text_, key, true);
    text_ += ": ";
    return text_;
  }
  std::string text_;
};

// The publishers of params.notify that want `event` (Mistral: no
// event_types, or the event among them), as JSON for the outbox; nullopt
// when none does, which is the common case and costs nothing more.
std::optional<std::string> publishers_for(const WorkflowExecution& wf_ex, const std::string& event) {
  const Value* notify = wf_ex.params.is_dict() ? wf_ex.params.find("notify") : nullptr;
  if (!notify || !notify->is_list() || notify->as_list().empty()) return std::nullopt;
  List wanted;
  for (const Value& p : notify->as_list()) {
    if (!p.is_dict()) continue;
    const Value* types = p.find("event_types");
    bool all = !types || !types->is_list() || types->as_list().empty();
    if (all || std::any_of(types->as_list().begin(), types->as_list().end(),
                           [&](const Value& t) { return t.is_string() && t.as_string() == event; }))
      wanted.push_back(p);
  }
  if (wanted.empty()) return std::nullopt;
  return to_json(Value(std::move(wanted)));
}

}  // namespace

std::string task_event_name(std::optional<State> from, State to) {
  if (to == State::Running) {
    if (from == State::Idle || from == State::Paused || from == State::Waiting) return "TASK_RESUMED";
    if (from == State::Error) return "TASK_RERUN";
    return "TASK_LAUNCHED";
  }
  if (to == State::Success) return "TASK_SUCCEEDED";
  if (to == State::Error) return "TASK_FAILED";
  if (to == State::Cancelled) return "TASK_CANCELLED";
  if (to == State::Paused) return "TASK_PAUSED";
  if (to == State::Skipped) return "TASK_SKIPPED";
  return "";
}

std::string workflow_event_name(std::optional<State> from, State to) {
  if (to == State::Running) {
    if (from == State::Paused) return "WORKFLOW_RESUMED";
    // A completed execution running again: Mistral's rerun (from ERROR),
    // or Bora's rollback (from SUCCESS or CANCELLED too, docs/LANGUAGE.md):
    // it is not launched a second time.
    if (from == State::Error || from == State::Success || from == State::Cancelled) return "WORKFLOW_RERUN";
    return "WORKFLOW_LAUNCHED";
  }
  if (to == State::Success) return "WORKFLOW_SUCCEEDED";
  if (to == State::Error) return "WORKFLOW_FAILED";
  if (to == State::Cancelled) return "WORKFLOW_CANCELLED";
  if (to == State::Paused) return "WORKFLOW_PAUSED";
  return "";
}

bool is_event_name(const std::string& name) {
  return std::any_of(kEvents.begin(), kEvents.end(), [&](const char* e) { return name == e; });
}

std::optional<std::string> notify_problem(const Value& notify) {
  if (notify.is_null()) return std::nullopt;
  if (!notify.is_list())
    return "params.notify must be a list of publishers, e.g. [{\"type\": \"webhook\", \"url\": \"https://...\"}]";
  const auto& list = notify.as_list();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string where = fmt::format("params.notify[{}]", i);
    const Value& p = list[i];
    if (!p.is_dict()) return where + " must be a dict with a 'type' ('webhook' or 'noop')";
    const Value* type = p.find("type");
    if (!type || !type->is_string())
      return where + " has no 'type': give \"webhook\" (with a url) or \"noop\"";
    if (type->as_string() != "webhook" && type->as_string() != "noop")
      return fmt::format("{}.type '{}' is not a publisher: the publishers are 'webhook' and 'noop'", where,
                         type->as_string());
    if (type->as_string() == "webhook") {
      const Value* url = p.find("url");
      if (!url || !url->is_string() || url->as_string().empty())
        return where + " is a webhook without a 'url': give the http:// or https:// URL to post events to";
      std::string scheme = executor::url_scheme(url->as_string());
      for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (scheme != "http" && scheme != "https")
        return fmt::format("{}.url '{}' is not an http:// or https:// URL", where, url->as_string());
      if (const Value* headers = p.find("headers"); headers && !headers->is_null()) {
        if (!headers->is_dict()) return where + ".headers must be a dict of header names to string values";
        for (const auto& [k, v] : headers->as_dict())
          if (!v.is_string()) return fmt::format("{}.headers['{}'] must be a string", where, k);
      }
    }
    if (const Value* types = p.find("event_types"); types && !types->is_null()) {
      if (!types->is_list()) return where + ".event_types must be a list of event names, e.g. [\"WORKFLOW_SUCCEEDED\"]";
      for (const Value& t : types->as_list()) {
        if (!t.is_string() || !is_event_name(t.as_string())) {
          std::string all;
          for (const char* e : kEvents) all += (all.empty() ? "" : ", ") + std::string(e);
          return fmt::format("{}.event_types holds {}, which is not an event; the events are: {}", where,
                             t.is_string() ? "'" + t.as_string() + "'" : to_json(t), all);
        }
      }
    }
  }
  return std::nullopt;
}

void Step::emit_event(const WorkflowExecution& wf_ex, const TaskExecution* t, const std::string& event,
                      std::string payload) {
  storage::EventRow row;
  row.event = event;
  row.created_at = now();  // the engine's clock, as every timestamp it writes
  row.project_id = wf_ex.project_id;
  row.root_execution_id = wf_ex.root_execution_id ? *wf_ex.root_execution_id : wf_ex.id;
  row.execution_id = wf_ex.id;
  if (t) row.task_execution_id = t->id;
  row.workflow_name = wf_ex.workflow_name;
  row.payload = std::move(payload);  // the webhook's body, as json.dumps writes it
  row.publishers = publishers_for(wf_ex, event);
  if (row.publishers) wrote_events_to_publish_ = true;
  tx_.queue_event(std::move(row));
  wrote_events_ = true;
}

void Step::task_event(const WorkflowExecution& wf_ex, const TaskExecution& t, std::optional<State> from) {
  if (from == t.state) return;
  std::string event = task_event_name(from, t.state);
  if (event.empty()) return;
  // Mistral's Task._notify data, with the event the notifier adds.
  Payload data;
  data.text("id", t.id)
      .text("name", t.name)
      .text("workflow_execution_id", t.workflow_execution_id)
      .text("workflow_name", t.workflow_name)
      .text("workflow_namespace", t.workflow_namespace)
      .text("workflow_id", t.workflow_id)
      .text("state", state_name(t.state))
      .text("state_info", t.state_info)
      .text("type", t.type)
      .text("project_id", t.project_id)
      .text("created_at", format_api_time(t.created_at))
      .time("updated_at", t.updated_at)
      .time("started_at", t.started_at)
      .time("finished_at", t.finished_at)
      .text("event", event);
  // Bora's rollback: a compensation names the task execution it undoes, as
  // in the REST task view (an added field, only on compensations).
  if (auto c = TaskContextView(t.runtime_context).compensation()) data.value("compensates", Value(c->task_execution_id));
  emit_event(wf_ex, &t, event, std::move(data).done());
}

void Step::workflow_event(const WorkflowExecution& wf_ex, std::optional<State> from) {
  if (from == wf_ex.state) return;
  std::string event = workflow_event_name(from, wf_ex.state);
  if (event.empty()) return;
  // Mistral's Workflow._notify data, with the event the notifier adds.
  Payload data;
  data.text("id", wf_ex.id)
      .text("name", wf_ex.name)
      .text("workflow_name", wf_ex.workflow_name)
      .text("workflow_namespace", wf_ex.workflow_namespace)
      .text("workflow_id", wf_ex.workflow_id)
      .text("state", state_name(wf_ex.state))
      .text("state_info", wf_ex.state_info)
      .text("project_id", wf_ex.project_id)
      .text("task_execution_id", wf_ex.task_execution_id)
      .text("root_execution_id", wf_ex.root_execution_id)
      .text("created_at", format_api_time(wf_ex.created_at))
      .time("updated_at", wf_ex.updated_at)
      .text("event", event);
  emit_event(wf_ex, nullptr, event, std::move(data).done());
}

EventLog::EventLog(storage::Database& db) : db_(db) {
  try {
    last_seq_ = db_.read([](storage::Transaction& tx) { return tx.last_event_seq(); });
  } catch (const std::exception& e) {
    // A database not migrated yet has no log: the first commit sets it.
    log::warning("engine", "the event log could not be read: {}", e.what());
  }
}

Result<std::vector<ExecutionEvent>> EventLog::read_after(int64_t after, const EventFilter& filter, size_t limit) {
  storage::EventQuery q;
  q.after = after;
  q.root_execution_id = filter.root_execution_id;
  q.execution_id = filter.execution_id;
  q.workflow_name = filter.workflow_name;
  q.events = filter.event_types;
  q.project_ids = filter.project_ids;
  q.up_to = filter.up_to;
  q.limit = limit;
  try {
    auto rows = db_.read([&](storage::Transaction& tx) { return tx.events_after(q); });
    std::vector<ExecutionEvent> out;
    out.reserve(rows.size());
    for (auto& r : rows) {
      ExecutionEvent e;
      e.seq = r.seq;
      e.event = std::move(r.event);
      e.timestamp = format_api_time(r.created_at);
      e.project_id = std::move(r.project_id);
      e.root_execution_id = std::move(r.root_execution_id);
      e.execution_id = std::move(r.execution_id);
      e.task_execution_id = r.task_execution_id.value_or("");
      e.workflow_name = std::move(r.workflow_name);
      auto data = parse_json(r.payload);
      e.data = data ? std::move(data).value() : Value(r.payload);
      out.push_back(std::move(e));
    }
    return out;
  } catch (const BoraError& e) {
    return e.error();
  }
}

Result<std::vector<int64_t>> EventLog::seqs_after(int64_t after, size_t limit) {
  try {
    return db_.read([&](storage::Transaction& tx) { return tx.event_seqs_after(after, limit); });
  } catch (const BoraError& e) {
    return e.error();
  }
}

std::shared_ptr<void> EventLog::on_commit(Wake wake) {
  uint64_t id;
  {
    std::lock_guard lock(subscribers_->mutex);
    id = subscribers_->next++;
    subscribers_->wakes.emplace(id, std::make_shared<Wake>(std::move(wake)));
  }
  // The handle may outlive the log: it holds the subscriber list weakly.
  struct Subscription {
    Subscription(std::weak_ptr<Subscribers> l, uint64_t i) : list(std::move(l)), id(i) {}
    Subscription(const Subscription&) = delete;  // only the one handle ends the subscription
    Subscription& operator=(const Subscription&) = delete;
    std::weak_ptr<Subscribers> list;
    uint64_t id;
    ~Subscription() {
      if (auto l = list.lock()) {
        std::lock_guard lock(l->mutex);
        l->wakes.erase(id);
      }
    }
  };
  return std::make_shared<Subscription>(subscribers_, id);
}

void EventLog::committed(int64_t seq, bool to_publish) {
  if (seq <= last_seq_.load()) return;
  last_seq_ = seq;
  // Called outside the lock, so that a wake may drop its own subscription.
  std::vector<std::shared_ptr<Wake>> wakes;
  {
    std::lock_guard lock(subscribers_->mutex);
    for (const auto& [id, w] : subscribers_->wakes) wakes.push_back(w);
  }
  for (const auto& w : wakes) {
    try {
      (*w)(seq, to_publish);
    } catch (const std::exception& e) {
      log::error("engine", "an event subscriber threw: {}", e.what());
    }
  }
}

}  // namespace bora::engine
