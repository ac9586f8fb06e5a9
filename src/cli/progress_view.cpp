// cli/progress_view: the plain and the terminal progress views (see the
// header).
#include "progress_view.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "bora/core/json.h"
#include "bora/engine/runtime_context.h"

namespace bora::cli {

namespace {

double seconds_between(Timestamp from, Timestamp to) {
  return std::chrono::duration<double>(to - from).count();
}

bool ended(storage::State state) { return storage::is_completed(state); }

// "[  1.234s] name    SUCCESS (0.012s): info"
std::string ended_line(const storage::TaskExecution& t, Timestamp started) {
  Timestamp at = t.finished_at ? *t.finished_at : (t.started_at ? *t.started_at : t.created_at);
  // Bora's rollback: a compensation is shown as "undo <task>".
  bool undo = engine::TaskContextView(t.runtime_context).is_compensation();
  std::string line =
      fmt::format("[{:7.3f}s] {:<24} {}", seconds_between(started, at), undo ? "undo " + t.name : t.name, t.state);
  if (t.finished_at && t.started_at) line += fmt::format(" ({:.3f}s)", seconds_between(*t.started_at, *t.finished_at));
  if (t.state == storage::State::Error && t.state_info) line += ": " + *t.state_info;
  return line;
}

// with-items progress kept by the engine: "350/1000 items".
std::string items_text(const storage::TaskExecution& t) {
  engine::TaskContextView context(t.runtime_context);
  if (!context.has_with_items()) return "";
  engine::WithItemsProgress progress = context.with_items();
  return fmt::format(" {}/{} items", progress.done, progress.count);
}

class PlainView : public ProgressView {
 public:
  PlainView(std::FILE* out, Timestamp started) : out_(out), started_(started) {}
  void update(const std::vector<storage::TaskExecution>& tasks, storage::State, Timestamp) override {
    for (const auto& t : tasks) {
      std::optional<storage::State>& seen = seen_[t.id];
      if (seen == t.state) continue;
      seen = t.state;
      std::fprintf(out_, "%s\n", ended_line(t, started_).c_str());
    }
    std::fflush(out_);
  }
  void finish() override {}

 private:
  std::FILE* out_;
  Timestamp started_;
  std::map<std::string, std::optional<storage::State>> seen_;
};

class TerminalView : public ProgressView {
 public:
  TerminalView(std::FILE* out, std::string workflow, Timestamp started)
      : out_(out), workflow_(std::move(workflow)), started_(started) {}

  void update(const std::vector<storage::TaskExecution>& tasks, storage::State workflow_state,
              Timestamp now) override {
    std::string frame = erase_live();
    size_t running = 0, done = 0, failed = 0;
    std::vector<std::string> live;
    for (const auto& t : tasks) {
      if (ended(t.state)) {
        ++done;
        if (t.state == storage::State::Error) ++failed;
        if (printed_.insert({t.id, true}).second) frame += paint(ended_line(t, started_), t.state) + "\n";
        continue;
      }
      ++running;
      Timestamp since = t.started_at ? *t.started_at : t.created_at;
      live.push_back(fmt::format("  {} {:<24} {}{} {:.1f}s", spinner(), t.name, t.state, items_text(t),
                                 seconds_between(since, now)));
    }
    constexpr size_t kShown = 8;
    if (live.size() > kShown) {
      size_t more = live.size() - kShown;
      live.resize(kShown);
      live.push_back(fmt::format("  ... and {} more", more));
    }
    live.insert(live.begin(), fmt::format("workflow {} {} {:.1f}s: {} running, {} ended, {} failed", workflow_,
                                          workflow_state, seconds_between(started_, now), running, done, failed));
    for (const auto& l : live) frame += "\x1b[2K" + l + "\n";
    live_lines_ = live.size();
    ++tick_;
    std::fputs(frame.c_str(), out_);
    std::fflush(out_);
  }

  void finish() override {
    std::fputs(erase_live().c_str(), out_);
    std::fflush(out_);
  }

 private:
  // Moves up over the live block and clears it.
  std::string erase_live() {
    std::string s;
    if (live_lines_ > 0) s = fmt::format("\x1b[{}F\x1b[J", live_lines_);
    live_lines_ = 0;
    return s;
  }
  const char* spinner() const {
    static const char* frames[] = {"|", "/", "-", "\\"};
    return frames[tick_ % 4];
  }
  static std::string paint(const std::string& line, storage::State state) {
    const char* color = state == storage::State::Success ? "\x1b[32m"
                        : state == storage::State::Error ? "\x1b[31m"
                                                         : "\x1b[33m";
    return "\x1b[2K" + std::string(color) + line + "\x1b[0m";
  }

  std::FILE* out_;
  std::string workflow_;
  Timestamp started_;
  std::map<std::string, bool> printed_;
  size_t live_lines_ = 0;
  size_t tick_ = 0;
};

}  // namespace

int report_outcome(const std::string& workflow, storage::State state, const Value& output,
                   const std::optional<std::string>& state_info, double seconds) {
  std::fprintf(stderr, "workflow %s: %s in %.3fs\n", workflow.c_str(), storage::state_name(state), seconds);
  JsonFormat pretty = JsonFormat::python();
  pretty.indent = 2;
  std::printf("%s\n", to_json(output, pretty).c_str());
  if (state == storage::State::Success) return 0;
  if (state_info) std::fprintf(stderr, "%s\n", state_info->c_str());
  return 1;
}

std::unique_ptr<ProgressView> make_progress_view(std::FILE* out, const std::string& workflow, Timestamp started) {
  const char* term = std::getenv("TERM");
  bool terminal = isatty(fileno(out)) && term && std::strcmp(term, "dumb") != 0;
  if (terminal) return std::make_unique<TerminalView>(out, workflow, started);
  return std::make_unique<PlainView>(out, started);
}

}  // namespace bora::cli
