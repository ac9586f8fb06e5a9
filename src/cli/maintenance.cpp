#include "maintenance.h"

#include "bora/core/log.h"

namespace bora::cli {

Maintenance::Maintenance(storage::Database& db, services::ExpirationPolicy policy)
    : db_(db), policy_(std::move(policy)) {
  if (!policy_.enabled()) {
    log::debug("expiration", "the execution expiration policy is off ([execution_expiration_policy] "
                             "evaluation_interval and older_than or max_finished_executions)");
    return;
  }
  log::info("expiration", "finished executions are deleted every {} min (older_than {} min, "
                          "max_finished_executions {})",
            policy_.evaluation_interval, policy_.older_than, policy_.max_finished_executions);
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      run_once();
      lock.lock();
      wake_.wait_for(lock, std::chrono::minutes(policy_.evaluation_interval), [&] { return stopping_; });
    }
  });
}

Maintenance::~Maintenance() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Maintenance::run_once() {
  try {
    auto report = services::expire_executions(db_, policy_, now_utc());
    if (!report) {
      log::warning("expiration", "the expiration policy failed: {} (tried again in {} min)", report.error().message,
                   policy_.evaluation_interval);
      return;
    }
    if (report->expired + report->superfluous == 0) return;
    log::info("expiration", "deleted {} expired and {} superfluous finished executions", report->expired,
              report->superfluous);
    auto freed = db_.reclaim_space();
    if (freed && *freed > 0) log::info("expiration", "gave {} bytes back to the file system", *freed);
  } catch (const std::exception& e) {
    log::error("expiration", "the expiration policy failed: {}", e.what());
  }
}

}  // namespace bora::cli
