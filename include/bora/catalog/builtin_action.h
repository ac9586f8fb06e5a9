// catalog/builtin_action: a built-in (std.*) action as GET /v2/actions
// shows it. The API renders this, not the executor's descriptor, so that it
// knows nothing of the executor (catalog::Catalog::builtin_actions).
#pragma once

#include <string>

namespace bora::catalog {

struct BuiltinAction {
  std::string name;
  std::string description;
  std::string input;  // Mistral's params_spec, e.g. `url, method="GET"`
};

}  // namespace bora::catalog
