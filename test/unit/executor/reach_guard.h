// Restores the process's reach options (executor/reach) when a test that
// changed them ends, pass or fail, so that tests do not leak limits.
#pragma once

#include "bora/executor/reach.h"

namespace bora::executor {

class ReachGuard {
 public:
  ReachGuard() : saved_(*reach_options()) {}
  ~ReachGuard() { set_reach_options(saved_); }
  ReachGuard(const ReachGuard&) = delete;
  ReachGuard& operator=(const ReachGuard&) = delete;

 private:
  ReachOptions saved_;
};

}  // namespace bora::executor
