#include "isolated.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "bora/core/json.h"

namespace bora::executor::javascript {

namespace {

// How often a waiting parent looks at the stop flag.
constexpr int kPollMillis = 20;

std::string encode(const ActionResult& r) {
  return to_json(Value::dict({{"data", r.data}, {"error", r.error}, {"failed", r.failed}, {"raised", r.raised}}));
}

void write_all(int fd, const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

[[noreturn]] void child(int fd, const std::function<ActionResult()>& body) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  ActionResult r;
  try {
    r = body();
  } catch (const std::exception& e) {
    r = ActionResult::raise(e.what());
  } catch (...) {
    r = ActionResult::raise("unknown error");
  }
  write_all(fd, encode(r));
  ::_exit(0);
}

ActionResult reap(pid_t pid, const std::string& output, bool stopped) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (stopped) return ActionResult::raise("the action was stopped (task timeout or cancelled execution)");
  auto parsed = parse_json(output);
  if (!parsed || !parsed->is_dict()) {
    if (WIFSIGNALED(status))
      return ActionResult::raise("the JavaScript process died (signal " + std::to_string(WTERMSIG(status)) + ")");
    return ActionResult::raise("the JavaScript process ended without a result");
  }
  ActionResult r;
  r.data = (*parsed)["data"];
  r.error = (*parsed)["error"];
  r.failed = (*parsed)["failed"].truthy();
  r.raised = (*parsed)["raised"].truthy();
  return r;
}

}  // namespace

ActionResult run_isolated(const std::function<ActionResult()>& body, const ActionRunContext& ctx) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return ActionResult::raise(std::string("cannot start JavaScript: pipe: ") + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return ActionResult::raise(std::string("cannot start JavaScript: fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(fds[1], body);
  }
  ::close(fds[1]);
  std::string output;
  bool stopped = false;
  char buf[65536];
  while (true) {
    pollfd p{fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, kPollMillis);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n > 0) {
        output.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0) break;  // the child finished writing
      if (errno != EINTR && errno != EAGAIN) break;
    }
    if (ctx.should_stop()) {
      ::kill(pid, SIGKILL);
      stopped = true;
      break;
    }
  }
  ::close(fds[0]);
  return reap(pid, output, stopped);
}

}  // namespace bora::executor::javascript
