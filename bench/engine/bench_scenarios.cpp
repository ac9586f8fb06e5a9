// bench_scenarios: the engine's figures for the scenarios of issue 4, each on
// a fresh SQLite file in WAL mode with synchronous=FULL (durable, as the
// server runs), each in a child process so that its peak RSS is its own:
//
//   chain50        one execution of 50 sequential std.noop tasks
//   items1000      with-items over 1 000 std.echo items
//   items10000     with-items over 10 000 std.echo items
//   join500        500 parallel std.noop tasks joined by one `join: all`
//   http200        200 executions of a 3-task workflow submitted by 20
//                  concurrent HTTP clients to a `bora server` child process
//                  on a loopback port, timed until all 200 have succeeded
//
// Prints wall time, tasks/s (executions/s for http200) and peak RSS.
//   bench_scenarios [scenario ...]     (default: all)
#include <curl/curl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bora/engine/engine.h"
#include "bora/expr/mistral_expressions.h"
#include "bora/services/workflow_definitions.h"
#include "bora/storage/database.h"

using namespace bora;
using Steady = std::chrono::steady_clock;

namespace {

std::string temp_db(const std::string& name) {
  std::string path = "/tmp/bora-bench-" + name + "-" + std::to_string(getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

// Runs one workflow to its end in-process; prints the figures; exit status 0
// when it succeeded.
int run_in_process(const std::string& name, const std::string& yaml, const std::string& workflow, size_t tasks) {
  std::string path = temp_db(name);
  auto db = storage::Database::open("sqlite:///" + path).value();
  db->upgrade().value();
  services::Caller caller{"bench", false};
  db->write([&](storage::Transaction& tx) {
      return services::create_workflows(tx, yaml, services::DefinitionTarget{}, caller);
    }).value();
  executor::Executor pool(4);
  expr::MistralExpressions expressions;
  engine::Engine eng(*db, pool, expressions);
  auto t0 = Steady::now();
  engine::StartRequest req;
  req.workflow = workflow;
  req.caller = caller;
  std::string id = eng.start_workflow(req).value().id;
  auto ex = eng.wait(id, std::chrono::minutes(10));
  double s = std::chrono::duration<double>(Steady::now() - t0).count();
  bool ok = ex && ex->state == "SUCCESS";
  std::printf("%-11s %-8s %9.3f s %12.0f tasks/s", name.c_str(), ok ? "SUCCESS" : "FAILED", s, tasks / s);
  std::fflush(stdout);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return ok ? 0 : 1;
}

std::string chain(int n) {
  std::string y = "version: '2.0'\nchain:\n  tasks:\n";
  for (int i = 0; i < n; ++i) {
    y += "    t" + std::to_string(i) + ":\n      action: std.noop\n";
    if (i + 1 < n) y += "      on-success: t" + std::to_string(i + 1) + "\n";
  }
  return y;
}

std::string items(int n) {
  return "version: '2.0'\nitems:\n  tasks:\n    each:\n      with-items: i in <% range(" + std::to_string(n) +
         ") %>\n      action: std.echo output=<% $.i %>\n";
}

std::string join(int n) {
  std::string y = "version: '2.0'\nfan:\n  tasks:\n    start:\n      action: std.noop\n      on-success:\n";
  for (int i = 0; i < n; ++i) y += "        - p" + std::to_string(i) + "\n";
  for (int i = 0; i < n; ++i) y += "    p" + std::to_string(i) + ":\n      action: std.noop\n      on-success: [j]\n";
  y += "    j:\n      join: all\n      action: std.noop\n";
  return y;
}

// --- http200 ---------------------------------------------------------------

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

long http(const std::string& method, const std::string& url, const std::string& body, const char* type,
          std::string* response = nullptr) {
  CURL* h = curl_easy_init();
  std::string sink;
  curl_slist* headers = curl_slist_append(nullptr, (std::string("Content-Type: ") + type).c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty()) curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, response ? response : &sink);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
  long status = 0;
  if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(h);
  return status;
}

size_t count_occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

int run_http(const std::string& bora) {
  constexpr int kExecutions = 200, kClients = 20;
  std::string path = temp_db("http");
  int out[2];
  if (pipe(out) != 0) return 1;
  pid_t server = fork();
  if (server == 0) {
    dup2(out[1], 1);
    close(out[0]);
    std::string db = "sqlite:///" + path;
    execl(bora.c_str(), bora.c_str(), "server", "--host", "127.0.0.1", "--port", "0", "--db", db.c_str(),
          "--log-level", "warning", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* lines = fdopen(out[0], "r");
  char line[512] = {0};
  std::string base;
  while (std::fgets(line, sizeof line, lines)) {  // bounded by the server's output ending
    if (const char* at = std::strstr(line, "listening on ")) {
      base = at + std::strlen("listening on ");
      while (!base.empty() && (base.back() == '\n' || base.back() == '\r')) base.pop_back();
      break;
    }
  }
  int rc = 1;
  if (!base.empty()) {
    http("POST", base + "/workflows",
         "version: '2.0'\nthree:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
         "    b:\n      action: std.echo output=<% 1 + 1 %>\n      on-success: c\n    c:\n      action: std.noop\n",
         "text/plain");
    std::atomic<int> next{0}, accepted{0};
    auto t0 = Steady::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&] {
        while (next.fetch_add(1) < kExecutions)
          if (http("POST", base + "/executions", R"({"workflow_name": "three"})", "application/json") == 201)
            ++accepted;
      });
    }
    for (auto& t : clients) t.join();
    size_t done = 0;
    auto deadline = Steady::now() + std::chrono::seconds(120);
    while (Steady::now() < deadline) {
      std::string body;
      http("GET", base + "/executions?state=SUCCESS&fields=id&limit=1000", "", "application/json", &body);
      done = count_occurrences(body, "\"id\"");
      if (done >= static_cast<size_t>(kExecutions)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    double s = std::chrono::duration<double>(Steady::now() - t0).count();
    bool ok = accepted == kExecutions && done == static_cast<size_t>(kExecutions);
    std::printf("%-11s %-8s %9.3f s %12.0f executions/s (%d accepted, %zu succeeded; 3 tasks each)",
                "http200", ok ? "SUCCESS" : "FAILED", s, kExecutions / s, accepted.load(), done);
    rc = ok ? 0 : 1;
  }
  kill(server, SIGTERM);
  rusage usage{};
  int status = 0;
  wait4(server, &status, 0, &usage);
  std::printf("   server peak RSS %6.1f MiB\n", usage.ru_maxrss / 1024.0);
  fclose(lines);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return rc;
}

// Runs fn in a child process and prints its peak RSS.
int in_child(const std::function<int()>& fn) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int rc = fn();
    std::fflush(stdout);
    _exit(rc);
  }
  rusage usage{};
  int status = 0;
  wait4(pid, &status, 0, &usage);
  std::printf("   peak RSS %6.1f MiB\n", usage.ru_maxrss / 1024.0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::vector<std::string> wanted(argv + 1, argv + argc);
  auto want = [&](const char* s) { return wanted.empty() || std::find(wanted.begin(), wanted.end(), s) != wanted.end(); };
  std::printf("bora engine scenarios: SQLite file, WAL, synchronous=FULL; %u hardware threads\n",
              std::thread::hardware_concurrency());
  int failures = 0;
  if (want("chain50")) failures += in_child([] { return run_in_process("chain50", chain(50), "chain", 50); });
  if (want("items1000")) failures += in_child([] { return run_in_process("items1000", items(1000), "items", 1000); });
  if (want("items10000"))
    failures += in_child([] { return run_in_process("items10000", items(10000), "items", 10000); });
  if (want("join500")) failures += in_child([] { return run_in_process("join500", join(500), "fan", 502); });
  if (want("http200")) failures += run_http(BORA_BINARY_PATH);
  return failures == 0 ? 0 : 1;
}
