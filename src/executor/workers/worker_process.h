// executor/workers/worker_process: code that may crash or never end runs in
// worker processes that can be killed: JavaScript (duktape, as Debian builds
// it, cannot be interrupted), action packs that are not trusted and Python
// actions (src/executor/python). A worker is this same binary started with
// a marker in its environment (any program that links the executor can
// serve), or another program (the Python interpreter), kept and reused, so
// a run costs a pipe round trip, not a process start; workers die with
// Bora (PR_SET_PDEATHSIG, and end of input).
//
// Messages are a 4-byte little-endian length and that many bytes of JSON.
#pragma once

#include <string>
#include <vector>

#include "bora/executor/action.h"

namespace bora::executor::workers {

// What a kind of worker is started with. Idle workers are reused only by
// the same kind (every field counts).
struct WorkerKind {
  // "NAME=value" entries added to the server's environment (for this
  // binary, the first one marks the process as a worker and selects its
  // handler).
  std::vector<std::string> env;
  std::string program;             // empty: this binary
  std::vector<std::string> args;   // after argv[0]
  // Written as the first message of every new worker, before any request:
  // code the worker runs (the Python worker's script), so that nothing has
  // to be installed beside the binary.
  std::string greeting;
};

// Sends request to an idle (or new) worker of this kind and waits for the
// answer while ctx.should_stop() is false. `what` names the worker in
// messages ("the JavaScript worker", "the worker of pack 'x'"); `died_hint`
// ends the message of a worker that died. Failures are raised results.
ActionResult exchange(const WorkerKind& kind, const std::string& request, const ActionRunContext& ctx,
                      const std::string& what, const std::string& died_hint);

// The worker side: requests on stdin, answers on stdout, until either
// closes; never returns.
[[noreturn]] void serve(ActionResult (*handle)(const std::string& request), const char* what);

// An ActionResult through JSON, both ways.
std::string encode_result(const ActionResult& r);
ActionResult decode_result(const std::string& text, const std::string& what);

}  // namespace bora::executor::workers
