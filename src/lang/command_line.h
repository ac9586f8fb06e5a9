// lang/command_line (private): Mistral's one-line forms `name k=v k2="x"`,
// used by action/workflow calls, `base:` of ad-hoc actions, the one-line
// retry policy and engine commands in transitions (`fail(msg="x")`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bora/core/value.h"

namespace bora::lang::detail {

// A byte of Python's `\w` in the patterns Mistral reads these forms and
// transition targets with: an ASCII letter, digit or '_', or any byte of a
// non-ASCII character (re's \w takes Unicode letters, and every byte of one
// is >= 0x80).
inline bool is_word_byte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || c == '_' || u >= 0x80;
}

struct CommandLine {
  std::string name;
  Dict params;
};

// As mistral.lang.base._parse_cmd_and_input: no space -> the whole string is
// the name; otherwise the name is the leading command word or expression and
// params are every `key=value` found. nullopt when no name can be found.
std::optional<CommandLine> parse_command_line(std::string_view text);

// Transition targets: also accepts `name(key=value, ...)` without spaces.
std::optional<CommandLine> parse_transition_target(std::string_view text);

}  // namespace bora::lang::detail
