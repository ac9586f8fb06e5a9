// api/readiness: the checks of GET /readyz. The database read runs on a
// prober thread so that a database that does not answer costs a check its
// bounded wait, not a handler thread stuck for good; while one read hangs,
// later checks fail at once instead of queueing behind it.
#include "bora/api/readiness.h"

#include <fmt/format.h>

#include "bora/core/log.h"
#include "bora/engine/engine.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

std::string seconds(std::chrono::milliseconds d) { return fmt::format("{:g} s", static_cast<double>(d.count()) / 1000.0); }

}  // namespace

Readiness::Readiness(storage::Database& db, const engine::Engine* engine, ReadinessOptions options)
    : db_(db), engine_(engine), options_(options), prober_([this] { probe_loop(); }) {}

Readiness::~Readiness() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  prober_.join();
}

Readiness::Probe Readiness::probe_once() {
  Probe p;
  try {
    // A read on the reader pool (the smallest query there is), then the
    // schema's version.
    db_.read([](storage::Transaction& tx) {
      tx.delayed_calls().list({storage::ProjectScope::internal(), {}, {}, std::nullopt, 1}).value();
    });
    p.schema = db_.schema_version();
    p.ok = true;
  } catch (const std::exception& e) {
    p.detail = e.what();
  }
  return p;
}

void Readiness::probe_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || requested_ > completed_; });
    if (stopping_) return;
    uint64_t answering = requested_;
    probing_ = true;
    probe_started_ = std::chrono::steady_clock::now();
    lock.unlock();
    Probe p = probe_once();
    lock.lock();
    last_ = std::move(p);
    completed_ = answering;
    probing_ = false;
    changed_.notify_all();
  }
}

std::vector<Readiness::Check> Readiness::check() {
  std::vector<Check> checks;
  // The database, and its schema, from one probe.
  Check database{"database", false, ""};
  Check schema{"schema", false, ""};
  {
    std::unique_lock lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    bool answered = false;
    if (probing_ && now - probe_started_ > options_.db_timeout) {
      database.detail = fmt::format("a read has not returned for {} ([api] readiness_db_timeout {})",
                                    seconds(std::chrono::duration_cast<std::chrono::milliseconds>(now - probe_started_)),
                                    seconds(options_.db_timeout));
    } else {
      uint64_t mine = ++requested_;
      changed_.notify_all();
      answered = changed_.wait_until(lock, now + options_.db_timeout, [&] { return completed_ >= mine; });
      if (!answered)
        database.detail = fmt::format("no answer to a read within {} ([api] readiness_db_timeout)",
                                      seconds(options_.db_timeout));
    }
    if (answered && !last_.ok) database.detail = "a read failed: " + last_.detail;
    database.ok = answered && last_.ok;
    if (database.ok) {
      database.detail = "answers";
      int latest = db_.latest_schema_version();
      schema.ok = last_.schema == latest;
      if (schema.ok) {
        schema.detail = fmt::format("version {}", latest);
      } else if (last_.schema < latest) {
        schema.detail = fmt::format("version {}, this binary needs {}: run 'bora db upgrade'", last_.schema, latest);
      } else {
        schema.detail = fmt::format("version {} is newer than this binary's {}: run the newer bora", last_.schema,
                                    latest);
      }
    } else {
      schema.detail = "unknown: the database did not answer";
    }
  }
  checks.push_back(std::move(database));
  checks.push_back(std::move(schema));

  Check loop{"engine", false, ""};
  if (!engine_) {
    loop.detail = "no engine runs: the database schema was not current at start ([database] upgrade_on_start = false)";
  } else {
    auto busy = engine_->busy_for();
    loop.ok = busy <= options_.max_loop_stall;
    loop.detail = loop.ok ? (busy.count() == 0 ? std::string("waiting for work")
                                               : fmt::format("in a batch for {}", seconds(busy)))
                          : fmt::format("stuck in one batch for {} (over [api] readiness_max_loop_stall {})",
                                        seconds(busy), seconds(options_.max_loop_stall));
  }
  checks.push_back(std::move(loop));

  Check drain{"draining", !draining_, draining_ ? "the server is shutting down (SIGTERM)" : "no"};
  checks.push_back(std::move(drain));
  return checks;
}

}  // namespace bora::api
