// bench_engine: how fast the engine runs workflows, durably. Starts N
// executions of a workflow of M sequential std.noop tasks (each publishing
// an expression) against a SQLite file (WAL, synchronous=FULL, as the
// server runs) and prints executions/s and task transitions/s.
//
//   bench_engine [executions=200] [tasks=10] [db=/tmp/bora-bench.db]
// db may also be a database URL (mysql://USER:PASS@HOST:PORT/DB, a fresh
// database: the same runs on MariaDB, docs/STORAGE.md).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bora/engine/engine.h"
#include "bora/expr/mistral_expressions.h"
#include "bora/services/workflow_definitions.h"
#include "bora/storage/database.h"

using namespace bora;

int main(int argc, char** argv) {
  int executions = argc > 1 ? std::atoi(argv[1]) : 200;
  int tasks = argc > 2 ? std::atoi(argv[2]) : 10;
  std::string path = argc > 3 ? argv[3] : "/tmp/bora-bench.db";
  const bool url = path.find("://") != std::string::npos;
  if (!url)
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  auto db = storage::Database::open(url ? path : "sqlite:///" + path).value();
  db->upgrade().value();
  services::Caller caller{"bench", false};
  std::string yaml = "version: '2.0'\nchain:\n  tasks:\n";
  for (int i = 0; i < tasks; ++i) {
    yaml += "    t" + std::to_string(i) + ":\n      action: std.noop\n      publish:\n        step: <% " +
            std::to_string(i) + " + 1 %>\n";
    if (i + 1 < tasks) yaml += "      on-success: t" + std::to_string(i + 1) + "\n";
  }
  db->write([&](storage::Transaction& tx) {
      return services::create_workflows(tx, yaml, services::DefinitionTarget{}, caller);
    }).value();

  executor::Executor pool(8);
  expr::MistralExpressions expressions;
  engine::Engine eng(*db, pool, expressions);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> ids;
  for (int i = 0; i < executions; ++i) {
    engine::StartRequest req;
    req.workflow = "chain";
    req.caller = caller;
    ids.push_back(eng.start_workflow(req).value().id);
  }
  int ok = 0;
  for (const auto& id : ids) {
    auto ex = eng.wait(id, std::chrono::minutes(10));
    if (ex && ex->state == storage::State::Success) ++ok;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("engine: %d executions x %d tasks on %s\n", executions, tasks,
              url ? db->url().c_str() : (path + " (WAL, synchronous=FULL)").c_str());
  std::printf("  %d succeeded in %.3f s\n", ok, seconds);
  std::printf("  %.1f executions/s, %.1f tasks/s\n", executions / seconds, executions * tasks / seconds);
  if (!url)
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return ok == executions ? 0 : 1;
}
