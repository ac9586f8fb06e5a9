// cli: the subcommands of the `bora` binary. Each takes the arguments after
// its name and returns the process exit code; main.cpp dispatches.
#pragma once

#include <string>
#include <vector>

namespace bora::cli {

using Args = std::vector<std::string>;

int server_main(const Args& args);    // bora server
int validate_main(const Args& args);  // bora validate FILE.yaml
int db_main(const Args& args);        // bora db upgrade
int run_main(const Args& args);       // bora run FILE.yaml
int watch_main(const Args& args);     // bora watch EXECUTION_ID
int eval_main(const Args& args);      // bora eval
int version_main(const Args& args);   // bora version
int policy_generate_main(const Args& args);  // bora policy-generate

}  // namespace bora::cli
