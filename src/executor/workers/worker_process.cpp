#include "worker_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>

#include "bora/core/json.h"

extern char** environ;

namespace bora::executor::workers {

namespace {

constexpr int kPollMillis = 20;  // how often a waiting thread looks at the stop flag
constexpr size_t kMaxIdle = 8;   // idle workers of one kind kept for reuse

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

bool read_message(int fd, std::string& text) {
  unsigned char len[4];
  if (!read_exact(fd, reinterpret_cast<char*>(len), 4)) return false;
  uint32_t n = len[0] | (len[1] << 8) | (len[2] << 16) | (uint32_t(len[3]) << 24);
  text.assign(n, '\0');
  return read_exact(fd, text.data(), n);
}

struct Worker {
  pid_t pid = -1;
  int to = -1;    // the worker's stdin
  int from = -1;  // the worker's stdout
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

std::string key_of(const WorkerKind& kind) {
  std::string key = kind.program + '\0';
  for (const auto& a : kind.args) key += a + '\0';
  key += '\0';
  for (const auto& e : kind.env) key += e + '\0';
  return key + '\0' + kind.greeting;
}

class Pool {
 public:
  Pool() : path_(self_path()) {
    // A worker killed while we write to it must not kill us.
    struct sigaction old {};
    ::sigaction(SIGPIPE, nullptr, &old);
    if (old.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
  }

  Worker take(const WorkerKind& kind, std::string& error) {
    {
      std::lock_guard lock(mutex_);
      auto& idle = idle_[key_of(kind)];
      if (!idle.empty()) {
        Worker w = idle.back();
        idle.pop_back();
        return w;
      }
    }
    return spawn(kind, error);
  }

  void give_back(const WorkerKind& kind, Worker w) {
    std::lock_guard lock(mutex_);
    auto& idle = idle_[key_of(kind)];
    if (idle.size() < kMaxIdle) {
      idle.push_back(w);
      return;
    }
    discard(w);
  }

 private:
  Worker spawn(const WorkerKind& kind, std::string& error) {
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
    // The server's environment, without any worker marker of its own (a
    // worker of one kind must not also believe it is of another).
    std::vector<std::string> env_text;
    for (char** e = environ; e && *e; ++e)
      if (std::strncmp(*e, "BORA_JS_", 8) != 0 && std::strncmp(*e, "BORA_PLUGIN_WORKER", 18) != 0)
        env_text.emplace_back(*e);
    for (const auto& e : kind.env) env_text.push_back(e);
    std::vector<char*> env;
    for (auto& e : env_text) env.push_back(e.data());
    env.push_back(nullptr);
    const std::string& program = kind.program.empty() ? path_ : kind.program;
    std::vector<std::string> arg_text = {kind.program.empty() ? std::string("bora-worker") : program};
    arg_text.insert(arg_text.end(), kind.args.begin(), kind.args.end());
    std::vector<char*> argv;
    for (auto& a : arg_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
      error = "cannot start a worker process (" + program + "): " + std::strerror(rc);
      ::close(in[1]);
      ::close(out[0]);
      return {};
    }
    Worker w{pid, in[1], out[0]};
    if (!kind.greeting.empty() && !write_message(w.to, kind.greeting)) {
      error = "the worker process (" + program + ") exited at its start";
      discard(w);
    }
    return w;
  }

  std::string path_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Worker>> idle_;
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

std::string encode_result(const ActionResult& r) {
  return to_json(Value::dict(
      {{"data", r.data}, {"error", r.error}, {"failed", r.failed}, {"raised", r.raised}, {"cancelled", r.cancelled}}));
}

ActionResult decode_result(const std::string& text, const std::string& what) {
  auto parsed = parse_json(text);
  if (!parsed || !parsed->is_dict())
    return ActionResult::raise(what + " sent an answer Bora cannot read (a Bora bug: please report it; rerunning the "
                                      "task is safe)");
  ActionResult r;
  r.data = (*parsed)["data"];
  r.error = (*parsed)["error"];
  r.failed = (*parsed)["failed"].truthy();
  r.raised = (*parsed)["raised"].truthy();
  r.cancelled = (*parsed)["cancelled"].truthy();
  if ((*parsed)["is_sync"].is_bool()) r.is_sync = (*parsed)["is_sync"].as_bool();
  return r;
}

ActionResult exchange(const WorkerKind& kind, const std::string& request, const ActionRunContext& ctx,
                      const std::string& what, const std::string& died_hint) {
  std::string error;
  Worker w = pool().take(kind, error);
  if (w.pid <= 0) return ActionResult::raise(error);
  if (!write_message(w.to, request)) {
    discard(w);
    return ActionResult::raise(what + " exited before taking the request; rerun the task");
  }
  Wait state = wait_readable(w.from, ctx);
  if (state == Wait::Stopped) {
    discard(w);  // killed: code in an endless loop ends here
    return ActionResult::raise("the action was stopped (task timeout or cancelled execution)");
  }
  std::string text;
  if (state == Wait::Closed || !read_message(w.from, text)) {
    int status = 0;
    ::kill(w.pid, SIGKILL);
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    w.pid = -1;
    discard(w);
    return ActionResult::raise(
        what + " died" +
        (WIFSIGNALED(status) ? " (signal " + std::to_string(WTERMSIG(status)) + ", " + strsignal(WTERMSIG(status)) + ")"
                             : std::string()) +
        " while running the action; " + died_hint);
  }
  pool().give_back(kind, w);
  return decode_result(text, what);
}

void serve(ActionResult (*handle)(const std::string& request), const char* what) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) ::_exit(0);  // the parent is already gone
  ::signal(SIGPIPE, SIG_DFL);
  while (true) {
    std::string text;
    if (!read_message(0, text)) ::_exit(0);
    ActionResult r;
    try {
      r = handle(text);
    } catch (const std::exception& e) {
      r = ActionResult::raise(e.what());
    }
    if (!write_message(1, encode_result(r))) ::_exit(0);
  }
}

}  // namespace bora::executor::workers
