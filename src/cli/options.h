// cli/options: a small parser for `--name value`, `--name=value` and flags,
// shared by the subcommands so they all refuse unknown options the same way.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bora/core/error.h"
#include "commands.h"

namespace bora::cli {

struct ParsedOptions {
  std::map<std::string, std::string> values;  // "--port" -> "9000"
  std::set<std::string> flags;                 // "--help"
  std::vector<std::string> positional;

  std::optional<std::string> get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  bool has(const std::string& flag) const { return flags.count(flag) != 0; }
};

// with_value: options that take a value; flags: options that do not.
// Errors name the option and say to see --help.
Result<ParsedOptions> parse_options(const Args& args, const std::set<std::string>& with_value,
                                    const std::set<std::string>& flags, const std::string& command);

}  // namespace bora::cli
