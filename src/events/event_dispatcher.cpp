// events/event_dispatcher: a notification fires the event triggers it
// matches (mistral/event_engine/default_event_engine.py _loop and
// _start_workflow).
#include "bora/events/event_dispatcher.h"

#include <fmt/format.h>

#include <mutex>

#include "bora/core/digest.h"
#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/core/metrics.h"
#include "bora/core/regex.h"

namespace bora::events {

using storage::EventTrigger;
using storage::FilterOp;
using storage::ProjectScope;

namespace {

std::string text_at(const Value& v, const char* key) {
  const Value* x = v.is_dict() ? v.find(key) : nullptr;
  return x && x->is_string() ? x->as_string() : "";
}

// Mistral's description of an execution an event trigger started
// (default_event_engine.py _start_workflow: json.dumps of this dict). The
// message that started it is in the execution's delivery record.
std::string description_of(const EventTrigger& t) {
  return to_json(Value::dict({{"description",
                               Value(fmt::format("Workflow execution created by event trigger '({})'.", t.id))},
                              {"triggered_by", Value::dict({{"type", Value("event_trigger")},
                                                            {"id", Value(t.id)},
                                                            {"name", Value(t.name)}})}}),
                 JsonFormat::python());
}

// oslo.messaging's NotificationFilter of the listener Mistral starts for
// an (exchange, topic): event_type='|'.join(events), matched with Python's
// re.match (anchored at the start only). An event that is not a valid
// pattern is compared as text (Mistral's listener would not start).
bool listener_takes(const std::vector<EventTrigger>& on_queue, const std::string& event_type) {
  std::string pattern;
  for (const auto& t : on_queue) {
    if (t.event == event_type) return true;
    pattern += (pattern.empty() ? "" : "|") + t.event;
  }
  if (pattern.empty()) return false;
  // On the project's bounded regex engine (core/regex.h: PCRE2 with match
  // limits), never std::regex: a trigger's event is user text.
  auto re = Regex::compile("^(?:" + pattern + ")");
  if (!re) return false;
  auto found = re->search(event_type, 0, process_regex_limits());
  return found.ok() && found->has_value();
}

void count_firing() {
  static auto& firings = metrics::Registry::global()
                             .counter("bora_event_trigger_firings_total",
                                      "Event trigger firings (a notification or a webhook call started the "
                                      "trigger's workflow; a repeated delivery is not counted).")
                             .counter();
  firings.inc();
}

// What the starts of one event share until the last one answers.
struct Pending {
  std::mutex mutex;
  std::vector<FiredTrigger> fired;
  size_t remaining = 0;
  std::optional<Error> failure;  // one that retrying may cure: the whole event fails
  std::function<void(Result<std::vector<FiredTrigger>>)> done;
};

}  // namespace

Result<std::chrono::seconds> delivery_retention(const Config& config) {
  constexpr int64_t kDefault = 14 * 24 * 3600, kMin = 60, kMax = 365 * 24 * 3600;
  auto v = config.get_int("event_engine", "delivery_retention", kDefault);
  if (!v) return v.error();
  if (*v < kMin || *v > kMax)
    return bad_input(fmt::format("[event_engine] delivery_retention must be {} to {} seconds (how long a "
                                 "notification applied is remembered against a redelivery), not {}",
                                 kMin, kMax, *v));
  return std::chrono::seconds(*v);
}

EventDispatcher::EventDispatcher(storage::Database& db, engine::Engine& engine, const expr::ExpressionPort& expressions,
                                 EventDefinitions definitions, std::chrono::seconds retention)
    : db_(db),
      engine_(engine),
      expressions_(expressions),
      definitions_(std::move(definitions)),
      retention_(retention) {}

void EventDispatcher::prune_deliveries() {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(prune_mutex_);
    if (now < next_prune_) return;
    next_prune_ = now + std::min<std::chrono::steady_clock::duration>(retention_ / 10, std::chrono::hours(1));
  }
  try {
    int64_t gone = db_.write([&](storage::Transaction& tx) { return tx.prune_event_deliveries(now_utc() - retention_); });
    if (gone > 0)
      log::info("events", "forgot {} applied notifications older than [event_engine] delivery_retention ({} s)", gone,
                retention_.count());
  } catch (const std::exception& e) {
    // Tried again at the next interval; the records are only kept longer.
    log::warning("events", "could not prune the event delivery records: {}", e.what());
  }
}

std::string EventDispatcher::execution_id_for(const std::string& message_id, const std::string& trigger_id) {
  // A name-based UUID (RFC 4122 layout, version 8: custom, from SHA-256)
  // of the pair: the same pair, the same id, on every node.
  std::string h = sha256_hex("bora-event-delivery\n" + trigger_id + "\n" + message_id);
  h[12] = '8';
  static const char kVariant[] = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4),
                     h.substr(20, 12));
}

void EventDispatcher::fire(EventFiring event, std::function<void(Result<std::vector<FiredTrigger>>)> done) {
  const Value& n = event.notification;
  std::string event_type = text_at(n, "event_type");
  // Whose event it is: the project of the notification's context (an
  // OpenStack service's request context), none when it carries none.
  std::optional<std::string> project;
  if (const Value* context = n.is_dict() ? n.find("context") : nullptr; context && context->is_dict())
    if (const Value* p = context->find("project_id"); p && p->is_string()) project = p->as_string();

  struct Candidate {
    EventTrigger trigger;
    std::optional<std::string> applied;  // the execution this message started for it before
  };
  Result<std::vector<Candidate>> candidates = Error{ErrorKind::Internal, "not read"};
  try {
  candidates = db_.read([&](storage::Transaction& tx) -> Result<std::vector<Candidate>> {
    std::vector<EventTrigger> rows;
    if (event.trigger_id) {
      auto t = tx.event_triggers().find(*event.trigger_id, ProjectScope::internal());
      if (!t) return not_found(fmt::format("Event trigger not found [id={}].", *event.trigger_id));
      rows.push_back(std::move(*t));
    } else {
      // Mistral's listener of the (exchange, topic) the message came on
      // takes it when one of that pair's triggers is for its event type;
      // then every trigger for that event type fires, whatever its own
      // exchange and topic (default_event_engine.py _loop looks them up
      // by event only).
      auto on_queue = tx.event_triggers().list({ProjectScope::internal(),
                                                {{"exchange", FilterOp::Eq, {event.exchange}},
                                                 {"topic", FilterOp::Eq, {event.topic}}}});
      if (!on_queue) return on_queue.error();
      if (!listener_takes(*on_queue, event_type)) return std::vector<Candidate>{};
      auto listed = tx.event_triggers().list(
          {ProjectScope::internal(), {{"event", FilterOp::Eq, {event_type}}}, {{"created_at", false}}});
      if (!listed) return listed.error();
      rows = std::move(listed).value();
    }
    std::vector<Candidate> out;
    for (auto& t : rows) {
      // Mistral's rule: a project's events fire that project's triggers
      // and every public one (with authentication off triggers belong to
      // "<default-project>", so only public ones fire for OpenStack's).
      if (t.scope != "public" && !(project && t.project_id == *project)) continue;
      // Applied before: its delivery record (kept when the execution is
      // deleted), or, for a message applied before schema version 10, the
      // execution with the id derived from the pair.
      std::optional<std::string> applied = tx.find_event_delivery(event.message_id, t.id);
      std::string derived = execution_id_for(event.message_id, t.id);
      if (!applied && tx.workflow_executions().exists(derived)) applied = derived;
      out.push_back({std::move(t), std::move(applied)});
    }
    return out;
  });
  } catch (const BoraError& e) {
    candidates = e.error();
  } catch (const std::exception& e) {
    candidates = Error{ErrorKind::Internal, std::string("reading the event triggers: ") + e.what()};
  }
  if (!candidates) return done(candidates.error());
  if (candidates->empty()) return done(std::vector<FiredTrigger>{});
  prune_deliveries();

  // Evaluated once per notification, as Mistral does.
  auto event_params = expressions_.evaluate(definitions_.properties_for(event_type), n, expr::ExpressionScope{});
  if (!event_params) {
    return done(bad_input(fmt::format("The event definition of '{}' does not evaluate against the notification: "
                                      "{} (fix [event_engine] event_definitions_cfg_file)",
                                      event_type, event_params.error().message)));
  }

  auto pending = std::make_shared<Pending>();
  pending->fired.resize(candidates->size());
  std::vector<size_t> to_start;
  for (size_t i = 0; i < candidates->size(); ++i) {
    const Candidate& c = (*candidates)[i];
    pending->fired[i].trigger_id = c.trigger.id;
    if (!c.applied) {
      to_start.push_back(i);
      continue;
    }
    // Nothing starts again, even when that execution was deleted since.
    pending->fired[i].execution_id = *c.applied;
    pending->fired[i].repeated = true;
    log::info("events", "event trigger {} ({}): message {} was delivered again; execution {} has it already",
              c.trigger.name, c.trigger.id, event.message_id, *c.applied);
  }
  if (to_start.empty()) return done(std::move(pending->fired));
  pending->remaining = to_start.size();
  pending->done = std::move(done);
  for (size_t i : to_start) {
    const EventTrigger& t = (*candidates)[i].trigger;
    engine::StartRequest start;
    start.id = execution_id_for(event.message_id, t.id);
    start.workflow = t.workflow_id;
    start.input = t.workflow_input.is_dict() ? t.workflow_input : Value(Dict{});
    start.params = (t.workflow_params.is_dict() ? t.workflow_params : Value(Dict{})).with("event_params", *event_params);
    start.description = description_of(t);
    // The trigger's project starts it: the workflow as that project sees
    // it now. With a trust stored with the trigger (Mistral creates one
    // with Keystone on), the execution acts through it, as cron triggers'
    // do (mistral/services/security.py create_context).
    start.caller = catalog::Caller{t.project_id, false, {}, {}};
    if (t.trust_id && !t.trust_id->empty())
      start.caller.security = Value::dict(
          {{"project_id", Value(t.project_id)}, {"trust_id", Value(*t.trust_id)}, {"is_trust_scoped", Value(true)}});
    start.with_creation = [message_id = event.message_id, trigger_id = t.id](storage::Transaction& tx,
                                                                             const storage::WorkflowExecution& ex) {
      tx.record_event_delivery(message_id, trigger_id, ex.id, now_utc());
    };
    std::string name = t.name, id = *start.id, message_id = event.message_id;
    engine_.start_workflow(std::move(start), [pending, i, name, id, message_id](
                                                 Result<storage::WorkflowExecution> ex) {
      std::unique_lock lock(pending->mutex);
      FiredTrigger& f = pending->fired[i];
      if (ex) {
        f.execution_id = ex->id;
        count_firing();
      } else if (ex.error().kind == ErrorKind::Conflict && ex.error().message.find("Duplicate entry") != std::string::npos) {
        // Another node started it first (the ids collided on the key).
        f.execution_id = id;
        f.repeated = true;
      } else if (ex.error().kind == ErrorKind::Unavailable || ex.error().kind == ErrorKind::Internal) {
        pending->failure = ex.error();
      } else {
        // Mistral logs and goes on with the other triggers.
        f.error = ex.error().message;
        log::error("events", "event trigger {} ({}) could not start its workflow: {}", name, f.trigger_id,
                   f.error);
      }
      if (--pending->remaining > 0) return;
      auto finish = std::move(pending->done);
      Result<std::vector<FiredTrigger>> r =
          pending->failure ? Result<std::vector<FiredTrigger>>(*pending->failure)
                           : Result<std::vector<FiredTrigger>>(std::move(pending->fired));
      lock.unlock();
      finish(std::move(r));
    });
  }
}

}  // namespace bora::events
