#include "isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "bora/core/json.h"
#include "bora/executor/action_limits.h"

extern char** environ;

namespace bora::executor::javascript {

namespace {

constexpr const char* kWorkerEnv = "BORA_JS_WORKER";
// The worker is a new process: it learns [executor] javascript_heap_mb
// from its environment (bytes), not from the server's configuration.
constexpr const char* kHeapEnv = "BORA_JS_HEAP_BYTES";
constexpr int kPollMillis = 20;  // how often a waiting thread looks at the stop flag
constexpr size_t kMaxIdle = 8;   // idle workers kept for reuse

// Messages are a 4-byte little-endian length and that many bytes of JSON.
bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool write_message(int fd, const std::string& text) {
  uint32_t n = static_cast<uint32_t>(text.size());
  unsigned char len[4] = {static_cast<unsigned char>(n), static_cast<unsigned char>(n >> 8),
                          static_cast<unsigned char>(n >> 16), static_cast<unsigned char>(n >> 24)};
  return write_all(fd, reinterpret_cast<const char*>(len), 4) && write_all(fd, text.data(), text.size());
}

std::string encode(const ActionResult& r) {
  return to_json(Value::dict({{"data", r.data}, {"error", r.error}, {"failed", r.failed}, {"raised", r.raised}}));
}

ActionResult decode(const std::string& text) {
  auto parsed = parse_json(text);
  if (!parsed || !parsed->is_dict()) return ActionResult::raise("the JavaScript worker sent an answer Bora cannot read (a Bora bug: please report it; rerunning the task is safe)");
  ActionResult r;
  r.data = (*parsed)["data"];
  r.error = (*parsed)["error"];
  r.failed = (*parsed)["failed"].truthy();
  r.raised = (*parsed)["raised"].truthy();
  return r;
}

// Reads exactly size bytes (blocking); false at end of input.
bool read_exact(int fd, char* out, size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, out, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// The worker's life: requests on stdin, answers on stdout, until either
// closes. Runs before main() when BORA_JS_WORKER is set, so the host
// program's own start-up never happens in a worker.
[[noreturn]] void worker_loop() {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) ::_exit(0);  // the parent is already gone
  ::signal(SIGPIPE, SIG_DFL);
  while (true) {
    unsigned char len[4];
    if (!read_exact(0, reinterpret_cast<char*>(len), 4)) ::_exit(0);
    uint32_t n = len[0] | (len[1] << 8) | (len[2] << 16) | (uint32_t(len[3]) << 24);
    std::string text(n, '\0');
    if (!read_exact(0, text.data(), n)) ::_exit(0);
    ActionResult r;
    try {
      auto request = parse_json(text);
      r = request ? handle_request(*request) : ActionResult::raise("the JavaScript worker got a request it cannot read (a Bora bug: please report it)");
    } catch (const std::exception& e) {
      r = ActionResult::raise(e.what());
    }
    if (!write_message(1, encode(r))) ::_exit(0);
  }
}

__attribute__((constructor)) void become_worker_if_asked() {
  const char* flag = std::getenv(kWorkerEnv);
  if (!flag || !*flag) return;
  if (const char* heap = std::getenv(kHeapEnv); heap && *heap) {
    ActionLimits limits = action_limits();
    limits.javascript_heap_bytes = std::strtoull(heap, nullptr, 10);
    if (limits.javascript_heap_bytes > 0) set_action_limits(limits);
  }
  worker_loop();
}

struct Worker {
  pid_t pid = -1;
  int to = -1;    // the worker's stdin
  int from = -1;  // the worker's stdout
  size_t heap_bytes = 0;  // the javascript_heap_mb it was started with
};

void discard(Worker& w) {
  if (w.pid > 0) {
    ::kill(w.pid, SIGKILL);
    while (::waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (w.to >= 0) ::close(w.to);
  if (w.from >= 0) ::close(w.from);
  w = Worker{};
}

std::string self_path() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "/proc/self/exe";
  return std::string(buf, static_cast<size_t>(n));
}

class Pool {
 public:
  Pool() : path_(self_path()) {
    // A worker killed while we write to it must not kill us.
    struct sigaction old {};
    ::sigaction(SIGPIPE, nullptr, &old);
    if (old.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
  }

  Worker take(std::string& error) {
    {
      std::lock_guard lock(mutex_);
      // A worker started under other limits is not reused (the limits
      // are read once by the worker, at its start).
      size_t heap = action_limits().javascript_heap_bytes;
      while (!idle_.empty()) {
        Worker w = idle_.back();
        idle_.pop_back();
        if (w.heap_bytes == heap) return w;
        discard(w);
      }
    }
    return spawn(error);
  }

  void give_back(Worker w) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdle) {
      idle_.push_back(w);
      return;
    }
    discard(w);
  }

 private:
  Worker spawn(std::string& error) {
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) {
      error = std::string("pipe: ") + std::strerror(errno);
      return {};
    }
    if (::pipe2(out, O_CLOEXEC) != 0) {
      error = std::string("pipe: ") + std::strerror(errno);
      ::close(in[0]);
      ::close(in[1]);
      return {};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::vector<std::string> env_text;
    for (char** e = environ; e && *e; ++e)
      if (std::strncmp(*e, "BORA_JS_WORKER=", 15) != 0 && std::strncmp(*e, "BORA_JS_HEAP_BYTES=", 19) != 0)
        env_text.emplace_back(*e);
    env_text.emplace_back(std::string(kWorkerEnv) + "=1");
    size_t heap = action_limits().javascript_heap_bytes;
    env_text.emplace_back(std::string(kHeapEnv) + "=" + std::to_string(heap));
    std::vector<char*> env;
    for (auto& e : env_text) env.push_back(e.data());
    env.push_back(nullptr);
    std::string arg0 = "bora-js-worker";
    char* argv[] = {arg0.data(), nullptr};
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, path_.c_str(), &actions, nullptr, argv, env.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      error = "cannot start a JavaScript worker (" + path_ + "): " + std::strerror(rc);
      ::close(in[1]);
      ::close(out[0]);
      return {};
    }
    return Worker{pid, in[1], out[0], heap};
  }

  std::string path_;
  std::mutex mutex_;
  std::vector<Worker> idle_;
};

Pool& pool() {
  static Pool p;
  return p;
}

enum class Wait { Ready, Stopped, Closed };

// Waits until the worker has something to say, or the action must stop.
Wait wait_readable(int fd, const ActionRunContext& ctx) {
  while (true) {
    if (ctx.should_stop()) return Wait::Stopped;
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, kPollMillis);
    if (ready < 0 && errno != EINTR) return Wait::Closed;
    if (ready > 0) return (p.revents & POLLIN) ? Wait::Ready : Wait::Closed;
  }
}

}  // namespace

ActionResult run_isolated(const Value& request, const ActionRunContext& ctx) {
  std::string error;
  Worker w = pool().take(error);
  if (w.pid <= 0) return ActionResult::raise(error);
  if (!write_message(w.to, to_json(request))) {
    discard(w);
    return ActionResult::raise("the JavaScript worker exited before taking the request; rerun the task");
  }
  Wait state = wait_readable(w.from, ctx);
  if (state == Wait::Stopped) {
    discard(w);  // killed: a script in an endless loop ends here
    return ActionResult::raise("the action was stopped (task timeout or cancelled execution)");
  }
  unsigned char len[4];
  if (state == Wait::Closed || !read_exact(w.from, reinterpret_cast<char*>(len), 4)) {
    int status = 0;
    ::kill(w.pid, SIGKILL);
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    w.pid = -1;
    discard(w);
    return ActionResult::raise("the JavaScript worker died" +
                               (WIFSIGNALED(status) ? " (signal " + std::to_string(WTERMSIG(status)) + ")"
                                                    : std::string()) +
                               " while running the script; if it used much memory, make it use less (the limit "
                               "is 256 MiB), else rerun the task");
  }
  uint32_t n = len[0] | (len[1] << 8) | (len[2] << 16) | (uint32_t(len[3]) << 24);
  std::string text(n, '\0');
  if (!read_exact(w.from, text.data(), n)) {
    discard(w);
    return ActionResult::raise("the JavaScript worker exited while answering; rerun the task");
  }
  pool().give_back(w);
  return decode(text);
}

}  // namespace bora::executor::javascript
