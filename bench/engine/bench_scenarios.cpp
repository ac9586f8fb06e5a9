// bench_scenarios: the speed targets of issue 13 (docs/PERFORMANCE.md), each
// against a fresh SQLite file in WAL mode with synchronous=FULL (durable, as
// the server runs), each in its own process so that its peak RSS is its own.
//
// In-process (an Engine on the file, the executor pool, no HTTP):
//   chain50        one execution of 50 sequential std.noop tasks
//   items1000      with-items over 1 000 std.echo items
//   items10000     with-items over 10 000 std.echo items            <= 0.5 s
//   items100000    with-items over 100 000 std.echo items           RSS < 150 MiB
//   items1000000   with-items over 1 000 000 std.echo items         RSS < 150 MiB
//                  (only when named: minutes of work; needs [engine]
//                  max_with_items raised, which the program does)
//   join500        500 parallel std.noop tasks joined by `join: all`  <= 100 ms
//   joins500       500 pairs of parallel std.echo tasks, each pair joined by
//                  its own `join: all`, through the executor pool (arrivals
//                  in many batches: every one refreshes the joins below it)
//                                                                    <= 1.5 s
//   context10mb    a 10 MB value in the workflow context (vars) through a
//                  chain of 100 std.noop tasks                       RSS < 100 MiB
// Through HTTP (a `bora server` child on a loopback port):
//   chain50_api    POST /v2/executions of the 50-task chain, then GET until
//                  SUCCESS; the median of 5 runs                     <= 20 ms
//   throughput     1 000 executions of a 3-task workflow posted by 20
//                  clients, timed until all have succeeded           >= 2 000/s
//   clients200     200 clients posting 5 executions each at once: the p99
//                  of the POST latency, and no error                p99 < 2 s
//
// Each line: the figure, the target, Mistral's figure for the same scenario
// where one was recorded (docs/PERFORMANCE.md) and the ratio Mistral/Bora,
// peak RSS, the CPU time the process used (the machine is shared: wall time
// moves with the load, CPU time much less), PASS/MISS against the target.
//   bench_scenarios [scenario ...]     (default: all but items1000000)
// The exit status is 0 when every scenario ran to its end (a MISS is not a
// failure: the figure is reported).
#include <curl/curl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
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

// What one scenario measured, passed from the child process to the parent.
struct Measured {
  bool completed = false;  // the workflow(s) ended as expected
  double figure = 0;       // in the scenario's unit
  std::string note;
};

// A target: the figure must be at most (or at least) `limit`; 0: no target
// on the figure (the scenario may still have one on memory).
struct Scenario {
  const char* name;
  const char* unit;          // "s", "ms", "executions/s"
  double limit = 0;          // on the figure
  bool at_least = false;     // limit is a floor (a rate), not a ceiling
  double rss_limit_mib = 0;  // 0: none
  double mistral = 0;        // Mistral's figure in the same unit, 0: none recorded
};

std::string fmt_number(double v) {
  char buf[64];
  if (v >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (v >= 10) std::snprintf(buf, sizeof buf, "%.1f", v);
  else std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

double seconds_since(Steady::time_point t0) { return std::chrono::duration<double>(Steady::now() - t0).count(); }

std::string temp_db(const std::string& name) {
  std::string path = "/tmp/bora-bench-" + name + "-" + std::to_string(getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return path;
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

double cpu_seconds(const rusage& u) {
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

void print_row(const Scenario& s, const Measured& m, double rss_mib, double cpu_s) {
  bool figure_ok = s.limit == 0 || (s.at_least ? m.figure >= s.limit : m.figure <= s.limit);
  bool rss_ok = s.rss_limit_mib == 0 || rss_mib < s.rss_limit_mib;
  std::string target;
  if (s.limit > 0) target = std::string(s.at_least ? ">= " : "<= ") + fmt_number(s.limit) + " " + s.unit;
  if (s.rss_limit_mib > 0) target += (target.empty() ? "" : ", ") + std::string("RSS < ") + fmt_number(s.rss_limit_mib) + " MiB";
  if (target.empty()) target = "-";
  std::string mistral = "-", ratio = "-";
  if (s.mistral > 0 && m.completed && m.figure > 0) {
    mistral = fmt_number(s.mistral) + " " + s.unit;
    ratio = fmt_number(s.at_least ? m.figure / s.mistral : s.mistral / m.figure) + "x";
  }
  const char* verdict = !m.completed ? "FAILED" : (figure_ok && rss_ok ? "PASS" : "MISS");
  std::string figure = fmt_number(m.figure) + " " + s.unit;
  std::printf("%-13s %-18s %-32s %-18s %8s %7.1f MiB %6.2f s  %s%s%s\n", s.name, figure.c_str(), target.c_str(),
              mistral.c_str(), ratio.c_str(), rss_mib, cpu_s, verdict, m.note.empty() ? "" : "  ", m.note.c_str());
  std::fflush(stdout);
}

// Runs fn in a child process; returns what it measured, its peak RSS and
// CPU time.
struct ChildRun {
  Measured measured;
  double rss_mib = 0;
  double cpu_s = 0;
};
ChildRun in_child(const std::function<Measured()>& fn) {
  std::fflush(stdout);
  // BORA_BENCH_NO_FORK=1: in this process (for heaptrack or perf).
  if (const char* no_fork = std::getenv("BORA_BENCH_NO_FORK"); no_fork && std::string(no_fork) == "1") {
    ChildRun run;
    run.measured = fn();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    run.rss_mib = usage.ru_maxrss / 1024.0;
    run.cpu_s = cpu_seconds(usage);
    return run;
  }
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    Measured m = fn();
    std::string line = std::to_string(m.completed ? 1 : 0) + " " + std::to_string(m.figure) + " " + m.note;
    (void)!write(pipe_fds[1], line.data(), line.size());
    close(pipe_fds[1]);
    std::fflush(stdout);
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string text;
  char buf[512];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(pipe_fds[0]);
  rusage usage{};
  int status = 0;
  wait4(pid, &status, 0, &usage);
  ChildRun run;
  run.rss_mib = usage.ru_maxrss / 1024.0;
  run.cpu_s = cpu_seconds(usage);
  int completed = 0;
  double figure = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%d %lf %n", &completed, &figure, &used) >= 2) {
    run.measured.completed = completed == 1;
    run.measured.figure = figure;
    run.measured.note = text.substr(std::min(text.size(), static_cast<size_t>(used)));
  } else {
    run.measured.note = "the child process died (status " + std::to_string(status) + ")";
  }
  return run;
}

// --- in-process scenarios --------------------------------------------------

// Runs one workflow to its end in-process; the figure is the wall time from
// the start request to the end, in `unit` (s or ms).
Measured run_in_process(const std::string& name, const std::string& yaml, const std::string& workflow,
                        const Value& input, engine::EngineOptions options, double scale) {
  std::string path = temp_db(name);
  auto db = storage::Database::open("sqlite:///" + path).value();
  db->upgrade().value();
  services::Caller caller{"bench", false};
  db->write([&](storage::Transaction& tx) {
      return services::create_workflows(tx, yaml, services::DefinitionTarget{}, caller);
    }).value();
  Measured m;
  {
    executor::Executor pool(4);
    expr::MistralExpressions expressions;
    engine::Engine eng(*db, pool, expressions, options);
    auto t0 = Steady::now();
    engine::StartRequest req;
    req.workflow = workflow;
    req.caller = caller;
    req.input = input;
    auto started = eng.start_workflow(req);
    if (!started) {
      m.note = "start failed: " + started.error().message;
    } else {
      auto ex = eng.wait(started->id, std::chrono::minutes(30));
      m.figure = seconds_since(t0) * scale;
      m.completed = ex && ex->state == storage::State::Success;
      if (!m.completed) m.note = ex ? std::string(storage::state_name(ex->state)) + ": " + ex->state_info.value_or("") : "did not end in 30 minutes";
      if (m.note.size() > 200) m.note = m.note.substr(0, 200) + "...";
    }
  }
  remove_db(path);
  return m;
}

std::string chain(const std::string& name, int n, const std::string& vars = "") {
  std::string y = "version: '2.0'\n" + name + ":\n" + vars + "  tasks:\n";
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

// 500 two-way joins side by side: start -> a_i, b_i -> j_i (join: all).
std::string pair_joins(int n) {
  std::string y = "version: '2.0'\npairs:\n  tasks:\n    start:\n      action: std.noop\n      on-success:\n";
  for (int i = 0; i < n; ++i) y += "        - a" + std::to_string(i) + "\n        - b" + std::to_string(i) + "\n";
  for (int i = 0; i < n; ++i) {
    std::string k = std::to_string(i);
    y += "    a" + k + ":\n      action: std.echo output=" + k + "\n      on-success: [j" + k + "]\n";
    y += "    b" + k + ":\n      action: std.echo output=" + k + "\n      on-success: [j" + k + "]\n";
    y += "    j" + k + ":\n      join: all\n      action: std.noop\n";
  }
  return y;
}

// --- HTTP ------------------------------------------------------------------

size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One keep-alive connection (a client of the scenario).
class HttpClient {
 public:
  HttpClient() : h_(curl_easy_init()) {}
  ~HttpClient() { curl_easy_cleanup(h_); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  long request(const std::string& method, const std::string& url, const std::string& body, const char* type,
               std::string* response = nullptr) {
    std::string sink;
    curl_slist* headers = curl_slist_append(nullptr, (std::string("Content-Type: ") + type).c_str());
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h_, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!body.empty()) {
      curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    } else {
      curl_easy_setopt(h_, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(h_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h_, CURLOPT_WRITEDATA, response ? response : &sink);
    curl_easy_setopt(h_, CURLOPT_TIMEOUT, 60L);
    long status = 0;
    if (curl_easy_perform(h_) == CURLE_OK) curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    return status;
  }

 private:
  CURL* h_;
};

size_t count_occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::string field(const std::string& json, const std::string& name) {
  std::string key = "\"" + name + "\": \"";
  size_t at = json.find(key);
  if (at == std::string::npos) return {};
  at += key.size();
  return json.substr(at, json.find('"', at) - at);
}

// A `bora server` child on a loopback port and a fresh database.
class Server {
 public:
  explicit Server(const std::string& bora) : path_(temp_db("http")) {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      std::string db = "sqlite:///" + path_;
      execl(bora.c_str(), bora.c_str(), "server", "--host", "127.0.0.1", "--port", "0", "--db", db.c_str(),
            "--log-level", "warning", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    lines_ = fdopen(out[0], "r");
    char line[512] = {0};
    while (std::fgets(line, sizeof line, lines_)) {  // bounded by the server's output ending
      if (const char* at = std::strstr(line, "listening on ")) {
        base_ = at + std::strlen("listening on ");
        while (!base_.empty() && (base_.back() == '\n' || base_.back() == '\r')) base_.pop_back();
        break;
      }
    }
  }
  // Stops the server; its peak RSS and CPU time.
  std::pair<double, double> stop() {
    if (pid_ <= 0) return {0, 0};
    kill(pid_, SIGTERM);
    rusage usage{};
    int status = 0;
    wait4(pid_, &status, 0, &usage);
    pid_ = 0;
    if (lines_) fclose(lines_);
    lines_ = nullptr;
    remove_db(path_);
    return {usage.ru_maxrss / 1024.0, cpu_seconds(usage)};
  }
  ~Server() { stop(); }
  const std::string& base() const { return base_; }  // http://127.0.0.1:<port>/v2

 private:
  std::string path_;
  pid_t pid_ = 0;
  FILE* lines_ = nullptr;
  std::string base_;
};

const char* kThreeTasks =
    "version: '2.0'\nthree:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
    "    b:\n      action: std.echo output=<% 1 + 1 %>\n      on-success: c\n    c:\n      action: std.noop\n";

// Waits until `expected` executions have succeeded (GET with a state
// filter); how many did.
size_t wait_succeeded(HttpClient& client, const std::string& base, size_t expected) {
  size_t done = 0;
  auto deadline = Steady::now() + std::chrono::seconds(300);
  while (Steady::now() < deadline) {
    std::string body;
    client.request("GET", base + "/executions?state=SUCCESS&fields=id&limit=" + std::to_string(expected + 1), "",
                   "application/json", &body);
    done = count_occurrences(body, "\"id\"");
    if (done >= expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done;
}

// chain50_api: the figure is the median wall time of 5 runs (after one
// warm-up run), POST to SUCCESS seen by GET, in ms.
Measured chain_api(const Server& server) {
  Measured m;
  HttpClient client;
  if (client.request("POST", server.base() + "/workflows", chain("chain", 50), "text/plain") != 201) {
    m.note = "could not create the workflow";
    return m;
  }
  std::vector<double> runs;
  for (int i = 0; i < 6; ++i) {
    auto t0 = Steady::now();
    std::string created;
    if (client.request("POST", server.base() + "/executions", R"({"workflow_name": "chain"})", "application/json",
                       &created) != 201) {
      m.note = "POST /v2/executions failed: " + created;
      return m;
    }
    std::string id = field(created, "id"), state = field(created, "state");
    auto deadline = Steady::now() + std::chrono::seconds(60);
    while (state != "SUCCESS" && state != "ERROR" && Steady::now() < deadline) {
      std::string body;
      client.request("GET", server.base() + "/executions/" + id, "", "application/json", &body);
      state = field(body, "state");
    }
    if (state != "SUCCESS") {
      m.note = "execution ended " + state;
      return m;
    }
    if (i > 0) runs.push_back(seconds_since(t0) * 1000);
  }
  std::sort(runs.begin(), runs.end());
  m.figure = runs[runs.size() / 2];
  m.completed = true;
  m.note = "runs " + fmt_number(runs.front()) + ".." + fmt_number(runs.back()) + " ms";
  return m;
}

// `clients` clients post `per_client` executions each, all at once; the
// figure is executions/s from the first post until all have succeeded.
// p99: the 99th percentile of the POST latency, in s.
Measured post_many(const Server& server, int clients, int per_client, double* p99, int* errors) {
  Measured m;
  HttpClient setup;
  if (setup.request("POST", server.base() + "/workflows", kThreeTasks, "text/plain") != 201) {
    m.note = "could not create the workflow";
    return m;
  }
  std::atomic<int> accepted{0}, failed{0};
  std::mutex latencies_mutex;
  std::vector<double> latencies;
  auto t0 = Steady::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      HttpClient client;
      std::vector<double> mine;
      for (int i = 0; i < per_client; ++i) {
        auto s = Steady::now();
        long status =
            client.request("POST", server.base() + "/executions", R"({"workflow_name": "three"})", "application/json");
        mine.push_back(seconds_since(s));
        if (status == 201) ++accepted;
        else ++failed;
      }
      std::lock_guard lock(latencies_mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  size_t total = static_cast<size_t>(clients) * per_client;
  size_t done = wait_succeeded(setup, server.base(), total);
  double s = seconds_since(t0);
  std::sort(latencies.begin(), latencies.end());
  *p99 = latencies.empty() ? 0 : latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
  *errors = failed.load();
  m.figure = total / s;
  m.completed = accepted == static_cast<int>(total) && done == total;
  m.note = std::to_string(accepted.load()) + " accepted, " + std::to_string(failed.load()) + " errors, " +
           std::to_string(done) + " succeeded in " + fmt_number(s) + " s; POST p50 " +
           fmt_number(latencies.empty() ? 0 : latencies[latencies.size() / 2] * 1000) + " ms, p99 " +
           fmt_number(*p99 * 1000) + " ms";
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::vector<std::string> wanted(argv + 1, argv + argc);
  auto want = [&](const char* s, bool by_default = true) {
    return wanted.empty() ? by_default : std::find(wanted.begin(), wanted.end(), s) != wanted.end();
  };
  std::printf("bora scenarios: SQLite file, WAL, synchronous=FULL; %u hardware threads; ratio = Mistral/Bora "
              "(Bora/Mistral for rates)\n",
              std::thread::hardware_concurrency());
  std::printf("%-13s %-18s %-32s %-18s %8s %11s %8s  %s\n", "scenario", "figure", "target", "Mistral", "ratio",
              "peak RSS", "CPU", "verdict");
  int failures = 0;
  auto in_process = [&](const Scenario& s, const std::function<Measured()>& fn) {
    ChildRun run = in_child(fn);
    print_row(s, run.measured, run.rss_mib, run.cpu_s);
    if (!run.measured.completed) ++failures;
  };
  engine::EngineOptions defaults;
  // BORA_BENCH_INLINE=0: cheap actions go through the pool as before they
  // ran inline (for before/after figures).
  if (const char* inline_ = std::getenv("BORA_BENCH_INLINE"); inline_ && std::string(inline_) == "0")
    defaults.max_inline_actions = 0;
  // BORA_BENCH_SERVER: another bora binary for the HTTP scenarios.
  const char* server_binary = std::getenv("BORA_BENCH_SERVER");
  if (!server_binary || !*server_binary) server_binary = BORA_BINARY_PATH;
  if (want("chain50"))
    in_process({"chain50", "ms", 0, false, 0, 2830},
               [&] { return run_in_process("chain50", chain("chain", 50), "chain", Value(), defaults, 1000); });
  if (want("items1000"))
    in_process({"items1000", "s", 0, false, 0, 44.35},
               [&] { return run_in_process("items1000", items(1000), "items", Value(), defaults, 1); });
  if (want("items10000"))
    in_process({"items10000", "s", 0.5},
               [&] { return run_in_process("items10000", items(10000), "items", Value(), defaults, 1); });
  if (want("items100000"))
    in_process({"items100000", "s", 0, false, 150},
               [&] { return run_in_process("items100000", items(100000), "items", Value(), defaults, 1); });
  if (want("items1000000", false)) {
    engine::EngineOptions big = defaults;
    big.max_with_items = 1'000'000;
    in_process({"items1000000", "s", 0, false, 150},
               [&] { return run_in_process("items1000000", items(1000000), "items", Value(), big, 1); });
  }
  if (want("join500"))
    in_process({"join500", "ms", 100, false, 0, 24300},
               [&] { return run_in_process("join500", join(500), "fan", Value(), defaults, 1000); });
  if (want("joins500")) {
    engine::EngineOptions pooled = defaults;
    pooled.max_inline_actions = 0;  // through the pool, as an HTTP or SSH call goes
    in_process({"joins500", "ms", 1500, false},
               [&] { return run_in_process("joins500", pair_joins(500), "pairs", Value(), pooled, 1000); });
  }
  if (want("context10mb")) {
    engine::EngineOptions unlimited = defaults;
    unlimited.execution_field_size_limit_kb = -1;  // the 10 MB value is larger than Mistral's 1 MiB default
    in_process({"context10mb", "s", 0, false, 100}, [&] {
      // BORA_BENCH_CONTEXT_MB: another size (for profiling).
      const char* mb = std::getenv("BORA_BENCH_CONTEXT_MB");
      size_t bytes = static_cast<size_t>((mb ? std::atof(mb) : 10.0) * 1024 * 1024);
      Value input = Value::dict({{"blob", Value(std::string(bytes, 'x'))}});
      return run_in_process("context10mb", chain("ctx", 100, "  input: [blob]\n  vars:\n    data: <% $.blob %>\n"),
                            "ctx", input, unlimited, 1);
    });
  }
  bool api = want("chain50_api") || want("throughput") || want("clients200");
  if (api) {
    auto server_row = [&](const Scenario& s, const std::function<Measured(const Server&)>& fn) {
      Server server(server_binary);
      Measured m;
      if (server.base().empty()) m.note = "the server did not start";
      else m = fn(server);
      auto [rss, cpu] = server.stop();
      print_row(s, m, rss, cpu);
      if (!m.completed) ++failures;
    };
    if (want("chain50_api"))
      server_row({"chain50_api", "ms", 20, false, 0, 2830}, [](const Server& s) { return chain_api(s); });
    if (want("throughput"))
      server_row({"throughput", "executions/s", 2000, true, 0, 3.17}, [](const Server& s) {
        double p99 = 0;
        int errors = 0;
        return post_many(s, 20, 50, &p99, &errors);
      });
    if (want("clients200"))
      server_row({"clients200", "s", 2, false}, [](const Server& s) {
        double p99 = 0;
        int errors = 0;
        Measured m = post_many(s, 200, 5, &p99, &errors);
        m.note = fmt_number(m.figure) + " executions/s; " + m.note;
        m.figure = p99;  // the target is on the p99 latency, and no error
        if (errors > 0) m.completed = false;
        return m;
      });
  }
  if (api) std::printf("HTTP scenarios: peak RSS and CPU are the server's\n");
  return failures == 0 ? 0 : 1;
}
