// The `bora` binary: one process for the REST API, the engine and the
// executor, plus the developer's tools (run, eval, validate).
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "bora/core/error.h"
#include "commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const bora::cli::Args&);
};

const Command kCommands[] = {
    {"server", "serve Mistral's REST API v2 (engine and executor in the same process)", bora::cli::server_main},
    {"run", "run a workflow of a definition file in this process and print its output", bora::cli::run_main},
    {"watch", "follow an execution of a running server live, in the view of 'bora run'", bora::cli::watch_main},
    {"validate", "check workflow, workbook or action definitions and print every problem", bora::cli::validate_main},
    {"eval", "evaluate a YAQL or Jinja2 expression the way Mistral does", bora::cli::eval_main},
    {"db", "manage the database schema (bora db upgrade)", bora::cli::db_main},
    {"version", "print the version", bora::cli::version_main},
    {"policy-generate", "print Mistral's default policy rules as a sample policy file", bora::cli::policy_generate_main},
};

void usage(FILE* out) {
  std::fprintf(out,
               "Bora: a workflow service that speaks OpenStack Mistral's workflow language v2\n"
               "and REST API v2, in one binary.\n\n"
               "Usage: bora <command> [options]\n\nCommands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-16s %s\n", c.name, c.summary);
  std::fprintf(out, "\nRun 'bora <command> --help' for the options of a command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return 0;
  }
  if (name == "--version") name = "version";
  bora::cli::Args args(argv + 2, argv + argc);
  for (const auto& c : kCommands) {
    if (name != c.name) continue;
    try {
      return c.run(args);
    } catch (const bora::BoraError& e) {
      std::fprintf(stderr, "bora %s: %s\n", c.name, e.what());
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bora %s: unexpected error: %s\n", c.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "bora: unknown command '%s'\n\n", name.c_str());
  usage(stderr);
  return 2;
}
