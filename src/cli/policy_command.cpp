// bora policy-generate: Mistral's default policy rules as the commented YAML
// sample oslopolicy-sample-generator prints (`--namespace mistral`), the
// starting point of an operator's [oslo_policy] policy_file.
#include <cstdio>
#include <fstream>

#include "bora/identity/policy_defaults.h"
#include "commands.h"
#include "options.h"

namespace bora::cli {

int policy_generate_main(const Args& args) {
  auto opts = parse_options(args, {"--output-file"}, {"--help"}, "policy-generate");
  if (!opts) {
    std::fprintf(stderr, "bora policy-generate: %s\n", opts.error().message.c_str());
    return 2;
  }
  if (opts->has("--help")) {
    std::printf(
        "Usage: bora policy-generate [--output-file FILE]\n\n"
        "Prints Mistral's default policy rules (mistral/policies/*.py) as a commented YAML sample,\n"
        "as 'oslopolicy-sample-generator --namespace mistral' does. Uncomment and change the rules\n"
        "to override, and name the file in [oslo_policy] policy_file.\n\n"
        "  --output-file FILE  write the sample to FILE instead of standard output\n");
    return 0;
  }
  std::string sample = identity::policy_sample_yaml();
  if (auto file = opts->get("--output-file")) {
    std::ofstream out(*file, std::ios::binary);
    out << sample;
    if (!out.flush()) {
      std::fprintf(stderr, "bora policy-generate: cannot write %s\n", file->c_str());
      return 1;
    }
    return 0;
  }
  std::fwrite(sample.data(), 1, sample.size(), stdout);
  return 0;
}

}  // namespace bora::cli
