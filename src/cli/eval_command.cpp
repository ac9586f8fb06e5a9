// bora eval: evaluates a Mistral expression string (YAQL `<% %>`, Jinja2
// `{{ }}` / `{% %}`, or text mixing them) the way a workflow would, and
// prints the result as JSON; with --batch, one JSON line per input line, for
// thousands of expressions per second (and for comparing with Mistral).
#include <cstdio>
#include <iostream>
#include <string>

#include "bora/core/file.h"
#include "bora/core/json.h"
#include "bora/expr/mistral_expressions.h"
#include "options.h"
#include "runtime.h"

namespace bora::cli {

namespace {

const char* kEvalHelp =
    "Usage: bora eval [--context FILE.json] [--env FILE.json] 'EXPRESSION'\n"
    "       bora eval --batch FILE|-\n"
    "\n"
    "Evaluates a Mistral expression string: '<% $.a + 1 %>', '{{ _.a + 1 }}', or text\n"
    "with several ('total: <% $.n %>'), against a data context, and prints the result\n"
    "as JSON (exit 0), or the error on stderr (exit 1).\n"
    "\n"
    "  --context FILE  the data context ($ in YAQL, _ in Jinja2), a JSON file ('-': stdin)\n"
    "  --env FILE      what env() returns, a JSON file\n"
    "  --config FILE   the limits of [expressions] (budgets, max_depth, regex), as the\n"
    "                  server reads them (default: $BORA_CONFIG, /etc/bora/bora.conf)\n"
    "  --batch FILE    JSON lines {\"id\", \"expr\", \"context\", \"env\"} in, JSON lines\n"
    "                  {\"id\", \"result\"} or {\"id\", \"error\"} out, one per line, in order\n";

Result<Value> json_file(const std::string& path, const char* what) {
  auto text = read_text_file(path, 256u << 20);
  if (!text) return text.error();
  auto v = parse_json(*text);
  if (!v) return bad_input(std::string(what) + " " + path + " is not JSON: " + v.error().message);
  return v;
}

}  // namespace

int eval_main(const Args& args) {
  auto opts = parse_options(args, {"--context", "--env", "--batch", "--config"}, {"--help"}, "eval");
  if (!opts.ok()) {
    std::fprintf(stderr, "bora eval: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::fputs(kEvalHelp, stdout);
    return 0;
  }
  // The same limits as the server's ([expressions] in the configuration).
  auto config = load_config(*opts);
  if (!config) {
    std::fprintf(stderr, "bora eval: %s\n", config.error().message.c_str());
    return 2;
  }
  auto limits = expression_limits(*config);
  if (!limits) {
    std::fprintf(stderr, "bora eval: %s\n", limits.error().message.c_str());
    return 2;
  }
  expr::MistralExpressions expressions(*limits);
  if (auto batch = opts->get("--batch")) {
    std::FILE* in = *batch == "-" ? stdin : std::fopen(batch->c_str(), "r");
    if (!in) {
      std::fprintf(stderr, "bora eval: cannot read %s\n", batch->c_str());
      return 2;
    }
    std::string line;
    char buf[65536];
    auto handle = [&](const std::string& l) {
      if (l.find_first_not_of(" \t\r") == std::string::npos) return;
      Dict out;
      auto v = parse_json(l);
      if (!v || !v->is_dict()) {
        out.set("id", Value());
        out.set("error", Value("the line is not a JSON object: " + (v ? std::string("not an object") : v.error().message)));
      } else {
        out.set("id", (*v)["id"]);
        const Value& e = (*v)["expr"];
        if (!e.is_string()) {
          out.set("error", Value("\"expr\" must be a string"));
        } else {
          expr::ExpressionScope scope;
          scope.env = (*v)["env"];
          auto r = expressions.evaluate(e, (*v)["context"], scope);
          if (r) out.set("result", *r);
          else out.set("error", Value(r.error().message));
        }
      }
      std::string text = to_json(Value(std::move(out)));
      text += '\n';
      std::fwrite(text.data(), 1, text.size(), stdout);
    };
    while (std::fgets(buf, sizeof buf, in)) {
      line += buf;
      if (!line.empty() && line.back() == '\n') {
        line.pop_back();
        handle(line);
        line.clear();
      }
    }
    if (!line.empty()) handle(line);
    if (in != stdin) std::fclose(in);
    return 0;
  }
  if (opts->positional.size() != 1) {
    std::fprintf(stderr, "bora eval: give one expression (see bora eval --help)\n");
    return 2;
  }
  Value context = Value(Dict{});
  if (auto c = opts->get("--context")) {
    auto v = json_file(*c, "--context");
    if (!v) {
      std::fprintf(stderr, "bora eval: %s\n", v.error().message.c_str());
      return 2;
    }
    context = *v;
  }
  expr::ExpressionScope scope;
  if (auto e = opts->get("--env")) {
    auto v = json_file(*e, "--env");
    if (!v) {
      std::fprintf(stderr, "bora eval: %s\n", v.error().message.c_str());
      return 2;
    }
    scope.env = *v;
    // A workflow's data context holds its env as `__env` ($.__env, _.__env).
    if (context.is_dict() && !context.find("__env")) context = context.with("__env", *v);
  }
  auto r = expressions.evaluate(Value(opts->positional[0]), context, scope);
  if (!r) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());
    return 1;
  }
  JsonFormat pretty = JsonFormat::python();
  pretty.indent = 2;
  std::printf("%s\n", to_json(*r, pretty).c_str());
  return 0;
}

}  // namespace bora::cli
