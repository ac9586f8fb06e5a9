// cli/maintenance: the server's periodic housekeeping, on a thread of its
// own so that it never holds the engine's loop: Mistral's execution
// expiration policy (services/execution_expiration) every
// [execution_expiration_policy] evaluation_interval minutes, first at
// start (as Mistral's run_immediately), then the freed space is given back
// (storage reclaim_space).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "bora/services/execution_expiration.h"
#include "bora/storage/database.h"

namespace bora::cli {

class Maintenance {
 public:
  // Does nothing (no thread) when the policy is not enabled.
  Maintenance(storage::Database& db, services::ExpirationPolicy policy);
  ~Maintenance();  // stops the thread; a run in progress ends its batch first
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  // One pass now (the thread's body; `bora db purge` calls the service
  // directly).
  void run_once();

 private:
  storage::Database& db_;
  services::ExpirationPolicy policy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace bora::cli
