#include <cstdio>

#include "bora/core/version.h"
#include "commands.h"

namespace bora::cli {

int version_main(const Args& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::printf("Usage: bora version\n\nPrints Bora's version and the Mistral API it implements.\n");
    return 0;
  }
  std::printf("bora %s (Mistral workflow language v2, REST API v2)\n", kVersion);
  return 0;
}

}  // namespace bora::cli
