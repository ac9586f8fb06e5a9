// cli/progress_view: how `bora run` shows a running workflow on stderr. On
// a terminal, a live block (a status line and the tasks still running, with
// with-items progress) redrawn in place, above which each ended task is
// printed once; when stderr is a pipe or a file, one plain line per task
// state change, so logs stay greppable.
#pragma once

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bora/core/time.h"
#include "bora/storage/records.h"

namespace bora::cli {

class ProgressView {
 public:
  virtual ~ProgressView() = default;
  // The execution's tasks now (in creation order) and the workflow's state.
  virtual void update(const std::vector<storage::TaskExecution>& tasks, storage::State workflow_state,
                      Timestamp now) = 0;
  // Clears the live block, if any, before the final lines.
  virtual void finish() = 0;
};

// A terminal view when `out` is a terminal (and TERM is not "dumb"), else
// plain lines.
std::unique_ptr<ProgressView> make_progress_view(std::FILE* out, const std::string& workflow, Timestamp started);

// The end of a run, as `bora run` and `bora watch` print it: "workflow W:
// STATE in N s" and the state_info of a failure on stderr, the output as
// JSON on stdout. Returns the exit code: 0 for SUCCESS, else 1.
int report_outcome(const std::string& workflow, storage::State state, const Value& output,
                   const std::optional<std::string>& state_info, double seconds);

}  // namespace bora::cli
