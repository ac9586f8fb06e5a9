// services/notifier: the delivery thread of Mistral's notifier (see
// notifier.h). Mistral posts json.dumps(data) with the publisher's headers
// and counts 200 and 201 as delivered (publishers/webhook.py); the noop
// publisher only logs.
#include "bora/services/notifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "bora/core/json.h"
#include "bora/core/log.h"
#include "bora/engine/notify_params.h"
#include "bora/executor/action_descriptor.h"
#include "bora/executor/executor.h"
#include "bora/executor/std_actions.h"

namespace bora::services {

namespace {

constexpr std::chrono::seconds kIdleWait{1};
constexpr std::chrono::seconds kPruneEvery{60};
constexpr size_t kPruneBatch = 10'000;

Result<double> positive_seconds(const Config& config, const char* name, double fallback) {
  auto text = config.get("notifier", name);
  if (!text) return fallback;
  try {
    size_t used = 0;
    double v = std::stod(*text, &used);
    if (used == text->size() && v > 0 && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  return bad_input(fmt::format("[notifier] {} must be a number of seconds above 0, not '{}'", name, *text));
}

// One webhook post, as Mistral's WebhookPublisher: an error text, or
// nullopt when the receiver answered 200 or 201.
std::optional<std::string> post(const Value& publisher, const std::string& body, double timeout) {
  Dict headers;
  bool has_type = false;
  if (const Value* given = publisher.find("headers"); given && given->is_dict()) {
    for (const auto& [k, v] : given->as_dict()) {
      headers.set(k, v);
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower == "content-type") has_type = true;
    }
  }
  // requests sends data=str without a type; libcurl would call it a form.
  if (!has_type) headers.set("Content-Type", Value("application/json"));
  Value input = Value::dict({{"url", publisher["url"]},
                             {"method", Value("POST")},
                             {"body", Value(body)},
                             {"headers", Value(std::move(headers))},
                             {"timeout", Value(timeout)},
                             {"allow_redirects", Value(false)}});
  static const executor::ActionDescriptor* http = executor::find_std_action("std.http");
  auto prepared = executor::prepare_action_input(*http, input);
  if (!prepared) return prepared.error().message;
  executor::ActionResult r = executor::run_std_action("std.http", *prepared, executor::ActionRunContext{});
  const Value& out = r.failed ? r.error : r.data;
  int64_t status = out.is_dict() && out["status"].is_int() ? out["status"].as_int() : 0;
  if (!r.failed && (status == 200 || status == 201)) return std::nullopt;
  if (status) return fmt::format("the webhook answered {}", status);
  return out.is_string() ? out.as_string() : to_json(out);
}

}  // namespace

Result<NotifierOptions> notifier_options_from_config(const Config& config) {
  NotifierOptions o;
  auto attempts = config.get_int("notifier", "max_attempts", static_cast<long>(o.max_attempts));
  if (!attempts) return attempts.error();
  if (*attempts < 1 || *attempts > 1000) return bad_input("[notifier] max_attempts must be between 1 and 1000");
  o.max_attempts = *attempts;
  auto initial = positive_seconds(config, "initial_delay", o.initial_delay);
  if (!initial) return initial.error();
  o.initial_delay = *initial;
  auto max_delay = positive_seconds(config, "max_delay", o.max_delay);
  if (!max_delay) return max_delay.error();
  o.max_delay = std::max(*max_delay, o.initial_delay);
  auto timeout = positive_seconds(config, "timeout", o.timeout);
  if (!timeout) return timeout.error();
  o.timeout = *timeout;
  auto retention = config.get_int("notifier", "event_retention", static_cast<long>(o.event_retention));
  if (!retention) return retention.error();
  if (*retention < 0) return bad_input("[notifier] event_retention must be 0 (no count limit) or more");
  o.event_retention = *retention;
  auto lease = positive_seconds(config, "claim_lease", o.claim_lease);
  if (!lease) return lease.error();
  // A pass gives back what it has not delivered before its lease ends; one
  // webhook request must fit in it with room to spare.
  if (*lease < 2 * o.timeout) {
    return bad_input(fmt::format("[notifier] claim_lease ({} s) must be at least twice [notifier] timeout ({} s): a "
                                 "node must be able to deliver an event within its claim",
                                 *lease, o.timeout));
  }
  o.claim_lease = *lease;
  return o;
}

Result<Value> notify_publishers_from_config(const Config& config) {
  auto text = config.get("notifier", "notify");
  if (!text || text->empty()) return Value();
  auto parsed = parse_json(*text);
  if (!parsed) {
    return bad_input(fmt::format("[notifier] notify must be a JSON list of publishers, e.g. [{{\"type\": \"webhook\", "
                                 "\"url\": \"https://example.com/hook\"}}]: {}",
                                 parsed.error().message));
  }
  if (auto problem = engine::notify_problem(*parsed)) {
    std::string why = *problem;
    if (why.rfind("params.notify", 0) == 0) why.replace(0, 13, "[notifier] notify");
    return bad_input(why);
  }
  return std::move(parsed).value();
}

Notifier::Notifier(storage::Database& db, engine::EventFeed& feed, NotifierOptions options)
    : db_(db), options_(options) {
  // Woken after each commit that added events to publish (on the engine's
  // thread: only a flag and a notify). The others wake nobody: a read of
  // the outbox after every commit, for nothing, was three round trips
  // each on MariaDB. Other nodes' events are theirs to post (and this
  // node's, when their claims lapse): the pass every kIdleWait finds them.
  subscription_ = feed.on_commit([this](int64_t, bool to_publish) {
    if (!to_publish) return;
    std::lock_guard lock(mutex_);
    news_ = true;
    wake_.notify_one();
  });
  thread_ = std::thread([this] { run(); });
}

Notifier::~Notifier() {
  subscription_.reset();
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Notifier::run() {
  auto last_prune = std::chrono::steady_clock::now() - kPruneEvery;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
      news_ = false;
    }
    bool more = false;
    try {
      more = deliver_due();
      if (std::chrono::steady_clock::now() - last_prune >= kPruneEvery) {
        prune();
        last_prune = std::chrono::steady_clock::now();
      }
    } catch (const std::exception& e) {
      // A locked or failing database: the outbox keeps everything, the
      // next pass tries again.
      log::warning("notifier", "a delivery pass failed: {}", e.what());
    }
    std::unique_lock lock(mutex_);
    if (more) continue;
    wake_.wait_for(lock, kIdleWait, [&] { return stop_ || news_; });
  }
}

bool Notifier::deliver_due() {
  const Timestamp claimed_at = now_utc();
  // Alone on its database (SQLite) this thread is the only notifier: its
  // claims need no lease, and after a crash the restarted node posts what
  // was under way at once instead of after the lease.
  const bool shared = db_.shared_by_nodes();
  const auto lease =
      std::chrono::microseconds(shared ? static_cast<int64_t>(options_.claim_lease * 1e6) : int64_t{0});
  // Nothing to post (most passes: the thread is woken by every commit): a
  // read, never a write transaction that would queue behind the engine's.
  if (db_.read([](storage::Transaction& tx) { return tx.pending_notifications(1); }).empty()) {
    pending_ = 0;
    return false;
  }
  // The claim's own commit: from here until the lease ends no other node's
  // notifier takes these events.
  auto rows = db_.write(
      [&](storage::Transaction& tx) { return tx.claim_notifications(claimed_at, lease, options_.batch); });
  if (rows.empty()) {
    pending_ = static_cast<size_t>(db_.read([](storage::Transaction& tx) { return tx.count_pending_notifications(); }));
    return false;
  }
  struct Outcome {
    int64_t seq;
    std::optional<std::string> left;
    int64_t attempts;
    std::optional<Timestamp> next;
  };
  std::vector<Outcome> outcomes;
  // An execution tree whose event failed (a retry later) holds its later
  // events back: order per execution. Events not delivered by the time the
  // lease nears its end (or at shutdown) are given back as they were.
  std::set<std::string> held;
  const Timestamp give_back_at =
      claimed_at + lease - std::chrono::microseconds(static_cast<int64_t>(options_.timeout * 1e6));
  auto give_back = [&](const storage::EventRow& row) {
    outcomes.push_back({row.seq, row.publishers, row.attempts, std::nullopt});
  };
  for (const auto& row : rows) {
    bool stopping = false;
    {
      std::lock_guard lock(mutex_);
      stopping = stop_;
    }
    if (stopping || held.count(row.root_execution_id) || (shared && now_utc() >= give_back_at)) {
      give_back(row);
      continue;
    }
    auto publishers = parse_json(row.publishers.value_or("[]"));
    List left;
    std::string last_error;
    if (publishers && publishers->is_list()) {
      for (const Value& p : publishers->as_list()) {
        const std::string type = p["type"].is_string() ? p["type"].as_string() : "";
        if (type == "noop") {
          log::info("notifier", "The event {} for [name={}, id={}] is published by the noop notification publisher.",
                    row.event, row.workflow_name, row.task_execution_id.value_or(row.execution_id));
          continue;
        }
        if (type != "webhook") continue;  // refused when the execution started; nothing to do
        if (auto error = post(p, row.payload, options_.timeout)) {
          last_error = *error;
          left.push_back(p);
        } else {
          log::debug("notifier", "event {} seq={} posted to {}", row.event, row.seq, p["url"].as_string());
        }
      }
    }
    int64_t attempts = row.attempts + (left.empty() ? 0 : 1);
    if (left.empty()) {
      outcomes.push_back({row.seq, std::nullopt, attempts, std::nullopt});
    } else if (attempts >= options_.max_attempts) {
      log::error("notifier", "event {} (seq {}) of execution {} was not delivered after {} attempts, given up: {}",
                 row.event, row.seq, row.execution_id, attempts, last_error);
      outcomes.push_back({row.seq, std::nullopt, attempts, std::nullopt});
    } else {
      double delay = std::min(options_.max_delay, options_.initial_delay * std::pow(2.0, double(attempts - 1)));
      log::warning("notifier", "event {} (seq {}) of execution {}: attempt {} failed ({}); next in {}s", row.event,
                   row.seq, row.execution_id, attempts, last_error, delay);
      outcomes.push_back({row.seq, to_json(Value(std::move(left))), attempts,
                          now_utc() + std::chrono::microseconds(static_cast<int64_t>(delay * 1e6))});
      held.insert(row.root_execution_id);
    }
  }
  // One commit for the pass: a crash before it posts these events again
  // once the claim lapses (at least once), never skips one.
  db_.write([&](storage::Transaction& tx) {
    for (const auto& o : outcomes) tx.update_notification(o.seq, o.left, o.attempts, o.next);
  });
  pending_ = static_cast<size_t>(db_.read([](storage::Transaction& tx) { return tx.count_pending_notifications(); }));
  size_t settled = static_cast<size_t>(
      std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return !o.left; }));
  return settled > 0 && rows.size() == options_.batch;
}

Result<int64_t> prune_event_log(storage::Database& db, int64_t keep_last) {
  int64_t gone = 0;
  try {
    // Bounded: at most 100 batches a call; the next call goes on.
    for (int round = 0; round < 100; ++round) {
      int64_t n = db.write([&](storage::Transaction& tx) { return tx.prune_events(keep_last, kPruneBatch); });
      gone += n;
      if (n < static_cast<int64_t>(kPruneBatch)) break;
    }
  } catch (const BoraError& e) {
    return e.error();
  }
  return gone;
}

void Notifier::prune() {
  auto gone = prune_event_log(db_, options_.event_retention);
  if (!gone) log::warning("notifier", "pruning the event log failed: {}", gone.error().message);
  else if (*gone > 0) log::info("notifier", "{} old events removed from the event log", *gone);
}

}  // namespace bora::services
