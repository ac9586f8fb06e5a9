// core/yaml: YAML text -> Value with the scalar rules of PyYAML's safe_load
// (YAML 1.1), which is what Mistral uses: `yes`/`on` are booleans, `1e3` is
// a string but `1.0e+3` a float, `0o17`/`017` octal, `~` null.
#pragma once

#include <string>
#include <string_view>

#include "bora/core/error.h"
#include "bora/core/value.h"

namespace YAML {
class Node;
}

namespace bora {

constexpr size_t kYamlMaxDepth = 1000;

// Parses a YAML document. Errors carry line:column (1-based).
Result<Value> parse_yaml(std::string_view text);

// Converts a yaml-cpp node (already parsed) to a Value; throws BoraError
// (BadInput) for what a Value cannot hold (e.g. non-scalar dict keys).
Value yaml_node_to_value(const YAML::Node& node, size_t depth = 0);

// Resolves an unquoted (plain) scalar as PyYAML's implicit resolvers do.
Value resolve_plain_scalar(const std::string& text);

}  // namespace bora
