// bora validate: checks definition files the way the REST API does when they
// are stored, and prints every problem with FILE:LINE:COLUMN and its path, so
// that a developer can fix a workflow before uploading it.
#include <cstdio>

#include "bora/core/file.h"
#include "bora/lang/document_kind.h"
#include "bora/lang/located_yaml.h"
#include "bora/lang/parser.h"
#include "bora/lang/portability.h"
#include "bora/services/definition_check.h"
#include "options.h"
#include "runtime.h"

namespace bora::cli {

namespace {

const char* kValidateHelp =
    "Usage: bora validate [--kind workflow|workbook|action] [--strict] [--mistral] FILE.yaml [FILE.yaml ...]\n"
    "\n"
    "Checks Mistral workflow language v2 definitions (structure, transitions,\n"
    "expressions) and prints every problem as FILE:LINE:COLUMN: PATH: MESSAGE.\n"
    "Warnings (FILE:LINE:COLUMN: PATH: warning: MESSAGE) name what Mistral accepts\n"
    "but is likely a mistake, e.g. a duplicate key (the last value is used).\n"
    "Exit status: 0 when all files are valid, 1 when a problem was found, 2 on\n"
    "usage errors. '-' reads standard input.\n"
    "\n"
    "  --kind KIND  what the files hold: 'workflow' (version + workflows), 'workbook'\n"
    "               (version, name, workflows:, actions:) or 'action' (ad-hoc\n"
    "               actions). Default: guessed from each document's top-level keys.\n"
    "  --strict     warnings count as problems (exit status 1).\n"
    "  --mistral    also report every Bora-only construct (retry backoff, max-delay\n"
    "               and jitter; compensate, rollback, rollback-on-error) with its\n"
    "               line:column and what to write for Mistral; exit status 1 when\n"
    "               there is one (docs/LANGUAGE.md lists them).\n"
    "  --config FILE  the limits of [expressions] (max_depth ...), as the server\n"
    "               reads them (default: $BORA_CONFIG, /etc/bora/bora.conf, BORA_*).\n";

}  // namespace

int validate_main(const Args& args) {
  auto opts = parse_options(args, {"--kind", "--config"}, {"--help", "--strict", "--mistral"}, "validate");
  if (!opts.ok()) {
    std::fprintf(stderr, "bora validate: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::fputs(kValidateHelp, stdout);
    return 0;
  }
  if (opts->positional.empty()) {
    std::fprintf(stderr, "bora validate: give at least one FILE.yaml; see 'bora validate --help'\n");
    return 2;
  }
  // The server's limits (max_depth ...), so that validate and the API agree.
  if (auto config = load_config(*opts); !config) {
    std::fprintf(stderr, "bora validate: %s\n", config.error().message.c_str());
    return 2;
  }
  std::optional<lang::DocumentKind> forced;
  if (auto k = opts->get("--kind")) {
    forced = lang::parse_document_kind(*k);
    if (!forced) {
      std::fprintf(stderr, "bora validate: --kind must be workflow, workbook or action, not '%s'\n", k->c_str());
      return 2;
    }
  }

  const bool strict = opts->has("--strict");
  int status = 0;
  for (const auto& file : opts->positional) {
    const std::string shown = file == "-" ? "<stdin>" : file;
    auto text = read_text_file(file, lang::definition_limits().max_bytes);
    if (!text.ok()) {
      std::fprintf(stderr, "%s: %s\n", shown.c_str(), text.error().message.c_str());
      status = 1;
      continue;
    }
    services::DefinitionCheck check = services::check_definition(*text, forced);
    if (opts->has("--mistral")) {
      lang::Problems extras = lang::bora_only_constructs(*text);
      if (!extras.empty()) {
        status = 1;
        std::fputs(lang::format_problems(extras, shown).c_str(), stderr);
        std::fprintf(stderr, "%s: %zu Bora-only construct%s: Mistral would refuse %s\n", shown.c_str(),
                     extras.size(), extras.size() == 1 ? "" : "s", extras.size() == 1 ? "it" : "them");
      } else {
        std::printf("%s: no Bora-only construct (portable to Mistral)\n", shown.c_str());
      }
    }
    if (!check.problems.empty()) std::fputs(lang::format_problems(check.problems, shown).c_str(), stderr);
    size_t warnings = lang::warnings_of(check.problems).size();
    if (check.valid() && (warnings == 0 || !strict)) {
      std::printf("%s: valid %s definition (%s)%s\n", shown.c_str(), lang::document_kind_name(check.kind),
                  check.summary.c_str(),
                  warnings ? (", " + std::to_string(warnings) + " warning" + (warnings == 1 ? "" : "s")).c_str() : "");
      continue;
    }
    status = 1;
    std::fprintf(stderr, "%s: %zu problem%s%s\n", shown.c_str(), check.problems.size(),
                 check.problems.size() == 1 ? "" : "s", check.valid() ? " (warnings, refused by --strict)" : "");
  }
  return status;
}

}  // namespace bora::cli
