// api/readiness: what GET /readyz checks before a load balancer or
// Kubernetes sends this process work: the database answers a read within a
// short bound, its schema is the one this binary writes, the engine's loop
// is alive (waiting for work, or in a batch for less than a bound), and the
// server is not draining (a SIGTERM arrived). GET /healthz checks none of
// this: it answers while the process runs.
#pragma once

#include <chrono>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bora/engine/engine.h"
#include "bora/storage/database.h"

namespace bora::api {

struct ReadinessOptions {
  // [api] readiness_max_loop_stall: a loop in one batch longer than this is
  // stuck.
  std::chrono::milliseconds max_loop_stall{30'000};
  // [api] readiness_db_timeout: how long a check waits for the database.
  std::chrono::milliseconds db_timeout{2'000};
};

class Readiness {
 public:
  struct Check {
    std::string name;    // database, schema, engine, draining
    bool ok = false;
    std::string detail;  // what was seen; for a failure, what to do
  };

  // engine null: this process runs none (its schema is not current), which
  // the engine check reports.
  Readiness(storage::Database& db, const engine::Engine* engine, ReadinessOptions options = {});
  ~Readiness();
  Readiness(const Readiness&) = delete;
  Readiness& operator=(const Readiness&) = delete;

  // Every check, in a fixed order. Waits at most db_timeout (the database
  // read runs on a thread of its own, one at a time, shared by concurrent
  // checks), so call it from a handler thread, never an I/O thread.
  std::vector<Check> check();

  // From the first SIGTERM on, the process is not ready.
  void set_draining() { draining_ = true; }
  bool draining() const { return draining_; }

 private:
  struct Probe {
    bool ok = false;
    std::string detail;
    int schema = 0;
  };
  void probe_loop();
  Probe probe_once();

  storage::Database& db_;
  const engine::Engine* engine_;
  ReadinessOptions options_;
  std::atomic<bool> draining_{false};

  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t requested_ = 0;  // probes asked for
  uint64_t completed_ = 0;  // the request number the last probe answered
  bool probing_ = false;
  std::chrono::steady_clock::time_point probe_started_{};
  Probe last_;
  bool stopping_ = false;
  std::thread prober_;
};

}  // namespace bora::api
