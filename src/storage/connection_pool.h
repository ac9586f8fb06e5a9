// storage/connection_pool: the idle connections of a backend and how many
// are open, bounded. A transaction takes one (an idle one, or a new one
// while fewer than the bound are open, else it waits for one to come back)
// and gives it back; a connection given back as null (broken, closed)
// frees its place. SQLite's readers and MySQL's connections use it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace bora::storage {

template <class C>
class ConnectionPool {
 public:
  explicit ConnectionPool(size_t max_open) : max_open_(max_open) {}

  // nullptr when `timeout` passed with every connection busy (no timeout:
  // waits as long as it takes). open() runs outside the lock; if it throws,
  // its place is freed and the exception goes to the caller.
  // `prefer`: among the idle ones, the most recent it accepts is taken
  // first, and when none is, a new one is opened while fewer than the
  // bound are open (MySQL's connections keep the isolation level of their
  // last transaction: a writer takes one that needs no SET).
  std::unique_ptr<C> take(const std::function<std::unique_ptr<C>()>& open,
                          std::optional<std::chrono::milliseconds> timeout = std::nullopt,
                          const std::function<bool(const C&)>& prefer = nullptr) {
    std::unique_lock lock(mutex_);
    auto available = [&] { return !idle_.empty() || open_ < max_open_; };
    if (!timeout) {
      cv_.wait(lock, available);
    } else if (!cv_.wait_for(lock, *timeout, available)) {
      return nullptr;
    }
    if (!idle_.empty()) {
      auto chosen = idle_.end();
      if (prefer) {
        for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
          if (prefer(**it)) {
            chosen = std::prev(it.base());
            break;
          }
        }
      }
      // None preferred: a new one while the bound allows (it is then kept
      // for that role), else the most recent.
      if (chosen == idle_.end() && (!prefer || open_ >= max_open_)) chosen = std::prev(idle_.end());
      if (chosen != idle_.end()) {
        auto c = std::move(*chosen);
        idle_.erase(chosen);
        return c;
      }
    }
    ++open_;
    lock.unlock();
    try {
      return open();
    } catch (...) {
      give_back(nullptr);
      throw;
    }
  }

  // A connection opened outside take() (the first one, made to check the
  // settings at start) joins the idle ones.
  void adopt(std::unique_ptr<C> c) {
    std::lock_guard lock(mutex_);
    ++open_;
    idle_.push_back(std::move(c));
  }

  void give_back(std::unique_ptr<C> c) {
    std::lock_guard lock(mutex_);
    if (c) idle_.push_back(std::move(c));
    else --open_;
    cv_.notify_one();
  }

  // Closes the idle connections `stale` says are no good (to a server
  // that went away): the next take() opens fresh ones instead of failing
  // on each of them in turn.
  void drop_idle_if(const std::function<bool(const C&)>& stale) {
    std::vector<std::unique_ptr<C>> dropped;
    {
      std::lock_guard lock(mutex_);
      for (auto it = idle_.begin(); it != idle_.end();) {
        if (stale(**it)) {
          dropped.push_back(std::move(*it));
          it = idle_.erase(it);
          --open_;
        } else {
          ++it;
        }
      }
      if (!dropped.empty()) cv_.notify_all();
    }
    // Closed outside the lock (closing a connection may talk to a server).
  }

  size_t max_open() const { return max_open_; }

 private:
  const size_t max_open_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<C>> idle_;
  size_t open_ = 0;
};

}  // namespace bora::storage
