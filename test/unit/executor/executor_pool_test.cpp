// The executor pool: every job runs once and reports; jobs run in parallel;
// a destroyed pool waits for its jobs.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

#include "bora/executor/executor.h"

using namespace bora;
using namespace bora::executor;

TEST_CASE("every submitted job completes once") {
  std::mutex m;
  std::condition_variable cv;
  std::multiset<int64_t> seen;
  {
    Executor pool(4);
    for (int i = 0; i < 500; ++i) {
      pool.submit(
          [i] {
            ActionRunContext ctx;
            return run_std_action("std.echo", Value::dict({{"output", Value(int64_t(i))}}), ctx);
          },
          [&](ActionResult r) {
            std::lock_guard lock(m);
            seen.insert(r.data.as_int());
            cv.notify_one();
          });
    }
    std::unique_lock lock(m);
    cv.wait_for(lock, std::chrono::seconds(30), [&] { return seen.size() == 500; });
  }
  CHECK(seen.size() == 500);
  CHECK(std::set<int64_t>(seen.begin(), seen.end()).size() == 500);
}

TEST_CASE("slow actions run side by side") {
  std::atomic<int> done{0};
  auto t0 = std::chrono::steady_clock::now();
  {
    Executor pool(4);
    for (int i = 0; i < 4; ++i) {
      pool.submit(
          [] {
            ActionRunContext ctx;
            return run_std_action("std.sleep", Value::dict({{"seconds", Value(1)}}), ctx);
          },
          [&](ActionResult) { ++done; });
    }
  }  // the destructor waits for the four sleeps
  CHECK(done == 4);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500));
}

TEST_CASE("a job that throws becomes a failed result") {
  std::atomic<bool> failed{false};
  {
    Executor pool(1);
    pool.submit([]() -> ActionResult { throw std::runtime_error("oops"); },
                [&](ActionResult r) { failed = r.failed && r.error.as_string().find("oops") != std::string::npos; });
  }
  CHECK(failed);
}
