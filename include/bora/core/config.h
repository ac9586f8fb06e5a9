// core/config: Bora's configuration. An INI file in the style of
// mistral.conf ([section] name = value), overridden by BORA_<SECTION>_<NAME>
// environment variables, overridden by command-line flags.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bora/core/error.h"

namespace bora {

class Config {
 public:
  // Reads an INI file. Errors name the file and line.
  static Result<Config> load_file(const std::string& path);
  static Result<Config> parse(std::string_view text, const std::string& origin = "<config>");

  // Applies BORA_<SECTION>_<NAME>=value from the environment, for every
  // option the built-in defaults or the file name.
  void apply_environment();

  void set(const std::string& section, const std::string& name, std::string value);
  std::optional<std::string> get(const std::string& section, const std::string& name) const;
  std::string get_or(const std::string& section, const std::string& name, std::string fallback) const;
  // Integer option; a non-integer value is a BadInput error naming the option.
  Result<long> get_int(const std::string& section, const std::string& name, long fallback) const;
  Result<bool> get_bool(const std::string& section, const std::string& name, bool fallback) const;
  // A list option (oslo.config's ListOpt): items separated by commas or by
  // new lines (a multi-line value), trimmed, empty ones dropped; absent:
  // an empty list.
  std::vector<std::string> get_list(const std::string& section, const std::string& name) const;

  // Every option that was set, "section.name" -> value (for `bora server`
  // to log its effective configuration).
  const std::map<std::string, std::string>& entries() const { return values_; }

 private:
  std::map<std::string, std::string> values_;  // "section.name" -> value
};

// The configuration Bora runs with when nothing is given.
Config default_config();

}  // namespace bora
