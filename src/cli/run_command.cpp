// bora run: the developer's loop. Loads a definition file into a private
// database (in memory unless --db is given), starts one workflow in-process,
// shows each task's progress as it happens (on stderr), then prints the
// workflow's output as JSON (on stdout). Exit 0 on SUCCESS, 1 on ERROR
// (with the failure shown), 2 on usage errors, 130 on Ctrl-C.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <map>
#include <thread>

#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/core/utf8.h"
#include "bora/engine/engine.h"
#include "bora/expr/mistral_expressions.h"
#include "runtime.h"
#include "bora/executor/executor.h"
#include "bora/lang/document_kind.h"
#include "bora/lang/located_yaml.h"
#include "bora/services/preinstalled_actions.h"
#include "bora/services/workbooks.h"
#include "bora/services/workflow_definitions.h"
#include "bora/storage/database.h"
#include "options.h"
#include "progress_view.h"
#include "runtime.h"

namespace bora::cli {

namespace {

const char* kRunHelp =
    "Usage: bora run FILE.yaml [--workflow NAME] [--input JSON|@FILE] [--env JSON|@FILE]\n"
    "                [--task NAME] [--db URL] [NAME=VALUE ...]\n"
    "\n"
    "Runs one workflow of a definition file (workflows or a workbook) in this process\n"
    "and prints its output as JSON. Progress (each task's start, end, state and\n"
    "duration) goes to stderr as it happens.\n"
    "\n"
    "  --workflow NAME   which workflow (needed when the file defines several;\n"
    "                    a workbook's workflows are named <workbook>.<workflow>)\n"
    "  --input JSON      the workflow's input, a JSON object, or @file.json\n"
    "  NAME=VALUE        one input parameter (VALUE is JSON when it parses, else text)\n"
    "  --env JSON        the execution's environment (params.env), or @file.json\n"
    "  --task NAME       the target task of a reverse workflow (params.task_name)\n"
    "  --db URL          keep the run in this database (default: in memory)\n"
    "\n"
    "Exit status: 0 SUCCESS, 1 ERROR, 2 usage error, 130 interrupted.\n";

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted = true; }

Result<Value> json_argument(const std::string& text, const char* what) {
  std::string body = text;
  if (!text.empty() && text[0] == '@') {
    auto file = read_text_file(text.substr(1), 64u << 20);
    if (!file) return file.error();
    body = *file;
  }
  auto v = parse_json(body);
  if (!v) return bad_input(std::string(what) + " is not valid JSON: " + v.error().message);
  if (!v->is_dict()) return bad_input(std::string(what) + " must be a JSON object");
  return v;
}

double seconds_since(Timestamp t0, Timestamp t) { return static_cast<double>(to_micros(t) - to_micros(t0)) / 1e6; }

}  // namespace

int run_main(const Args& args) {
  // From the start, so that an early Ctrl-C still cancels cleanly.
  std::signal(SIGINT, on_sigint);
  auto opts = parse_options(args, {"--workflow", "--input", "--env", "--db", "--task", "--log-level", "--log-format"}, {"--help"}, "run");
  if (!opts.ok()) {
    std::fprintf(stderr, "bora run: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::fputs(kRunHelp, stdout);
    return 0;
  }
  std::vector<std::string> files;
  Dict input;
  for (const auto& p : opts->positional) {
    // A name=value argument becomes workflow input, stored as text.
    if (auto text = check_utf8(p, "The argument '" + repair_utf8(p) + "'", false); !text) {
      std::fprintf(stderr, "bora run: %s\n", text.error().message.c_str());
      return 2;
    }
    size_t eq = p.find('=');
    if (eq != std::string::npos && eq > 0 && p.find('/') > eq) {
      std::string name = p.substr(0, eq), text = p.substr(eq + 1);
      auto parsed = parse_json(text);
      input.set(name, parsed ? *parsed : Value(text));
    } else {
      files.push_back(p);
    }
  }
  if (files.size() != 1) {
    std::fprintf(stderr, "bora run: give one definition file (see bora run --help)\n");
    return 2;
  }
  if (auto in = opts->get("--input")) {
    auto v = json_argument(*in, "--input");
    if (!v) {
      std::fprintf(stderr, "bora run: %s\n", v.error().message.c_str());
      return 2;
    }
    for (const auto& [k, val] : v->as_dict()) input.set(k, val);
  }
  Value params = Value(Dict{});
  if (auto env = opts->get("--env")) {
    auto v = json_argument(*env, "--env");
    if (!v) {
      std::fprintf(stderr, "bora run: %s\n", v.error().message.c_str());
      return 2;
    }
    params = Value::dict({{"env", *v}});
  }
  if (auto task = opts->get("--task")) params = params.with("task_name", Value(*task));
  auto text = read_text_file(files[0], 16u << 20);
  if (!text) {
    std::fprintf(stderr, "bora run: %s\n", text.error().message.c_str());
    return 2;
  }
  // The operator's limits on what actions reach hold here too
  // ($BORA_CONFIG or /etc/bora/bora.conf, BORA_EXECUTOR_* variables).
  auto config = load_config(*opts);
  if (config) {
    if (auto reach = apply_reach_options(*config); !reach) config = reach.error();
  }
  if (!config) {
    std::fprintf(stderr, "bora run: %s\n", config.error().message.c_str());
    return 2;
  }
  auto db = storage::Database::open(opts->get("--db").value_or("sqlite://"));
  if (!db) {
    std::fprintf(stderr, "bora run: %s\n", db.error().message.c_str());
    return 2;
  }
  if (auto up = (*db)->upgrade(); !up) {
    std::fprintf(stderr, "bora run: %s\n", up.error().message.c_str());
    return 2;
  }
  services::Caller caller{"<default-project>", false, {}, {}};
  // The actions a Mistral installation has (std.wait_ssh), as the server's.
  if (auto populated = (*db)->write([&](storage::Transaction& tx) {
        return services::register_preinstalled_actions(tx, caller.project_id);
      });
      !populated) {
    std::fprintf(stderr, "bora run: %s\n", populated.error().message.c_str());
    return 2;
  }

  // Store the definitions as the API would (validation included).
  lang::Problems ignored;
  auto doc = lang::load_located_yaml(*text, ignored);
  lang::DocumentKind kind = doc ? lang::guess_document_kind(doc->root) : lang::DocumentKind::Workflows;
  std::vector<std::string> names;
  auto stored = (*db)->write([&](storage::Transaction& tx) -> Result<int> {
    if (kind == lang::DocumentKind::Workbook) {
      auto wb = services::create_workbook(tx, *text, {}, caller);
      if (!wb) return wb.error();
      for (const auto& w : tx.workflow_definitions().list({storage::ProjectScope::internal()}).value())
        names.push_back(w.name);
    } else if (kind == lang::DocumentKind::Workflows) {
      auto wfs = services::create_workflows(tx, *text, {}, caller);
      if (!wfs) return wfs.error();
      for (const auto& w : *wfs) names.push_back(w.name);
    } else {
      return bad_input("the file defines ad-hoc actions, not a workflow to run");
    }
    return 0;
  });
  if (!stored) {
    std::fprintf(stderr, "%s: %s\n", files[0].c_str(), stored.error().message.c_str());
    return 1;
  }
  std::string workflow;
  if (auto w = opts->get("--workflow")) {
    workflow = *w;
  } else if (names.size() == 1) {
    workflow = names[0];
  } else {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    std::fprintf(stderr, "bora run: %s defines several workflows (%s): choose one with --workflow NAME\n",
                 files[0].c_str(), list.c_str());
    return 2;
  }

  // The server's limits ([expressions], [engine], [executor] threads).
  auto limits = expression_limits(*config);
  auto engine_opts = engine_options(*config);
  auto threads = executor_threads(*config);
  if (!limits || !engine_opts || !threads) {
    std::fprintf(stderr, "bora run: %s\n",
                 (!limits ? limits.error() : !engine_opts ? engine_opts.error() : threads.error()).message.c_str());
    return 2;
  }
  executor::Executor pool(*threads);
  expr::MistralExpressions expressions(*limits);
  engine::Engine engine(**db, pool, expressions, *engine_opts);
  engine::StartRequest req;
  req.workflow = workflow;
  req.input = Value(std::move(input));
  req.params = params;
  req.caller = caller;
  auto started = engine.start_workflow(req);
  if (!started) {
    std::fprintf(stderr, "bora run: %s\n", started.error().message.c_str());
    return 1;
  }
  Timestamp t0 = started->created_at;
  std::fprintf(stderr, "workflow %s started (execution %s)\n", workflow.c_str(), started->id.c_str());

  // Progress as it happens: a live view on a terminal, lines otherwise.
  auto view = make_progress_view(stderr, workflow, t0);
  storage::WorkflowExecution final_ex = *started;
  // The view reads every task of the execution: every 100 ms, or, when
  // that read grows long (thousands of tasks), twenty times its length, so
  // that showing progress never takes more than a twentieth of the time the
  // engine has (a 2 000-task fan-out read 2 000 rows ten times a second,
  // most of the run's CPU).
  auto pause = std::chrono::milliseconds(100);
  while (true) {
    auto done = engine.wait(started->id, pause);
    auto read_start = std::chrono::steady_clock::now();
    auto tasks = (*db)->read([&](storage::Transaction& tx) {
      return tx.task_executions()
          .list({storage::ProjectScope::internal(),
                 {{"workflow_execution_id", storage::FilterOp::Eq, {started->id}}},
                 {{"created_at", false}}})
          .value();
    });
    auto read_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - read_start);
    pause = std::clamp(read_time * 20, std::chrono::milliseconds(100), std::chrono::milliseconds(5000));
    view->update(tasks, done ? done->state : storage::State::Running, now_utc());
    if (done) {
      final_ex = *done;
      view->finish();
      break;
    }
    if (g_interrupted) {
      view->finish();
      // Ctrl-C: the execution is cancelled cleanly (running tasks too).
      auto cancelled = engine.stop(started->id, "CANCELLED", std::string("Cancelled from bora run (Ctrl-C)"), caller);
      std::fprintf(stderr, "interrupted: execution %s %s\n", started->id.c_str(),
                   cancelled ? "cancelled" : cancelled.error().message.c_str());
      return 130;
    }
  }
  Timestamp end = final_ex.updated_at.value_or(final_ex.created_at);
  return report_outcome(workflow, final_ex.state, final_ex.output, final_ex.state_info, seconds_since(t0, end));
}

}  // namespace bora::cli
