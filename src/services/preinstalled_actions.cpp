#include "bora/services/preinstalled_actions.h"

#include "bora/catalog/catalog.h"
#include "bora/services/action_definitions.h"

namespace bora::services {

namespace {

// std.wait_ssh: whether a host answers over SSH yet. Mistral's
// create_instance workflows give it a retry policy and call it until the
// new server's SSH is up. Its input and what it runs are Mistral's (a
// listing of the login directory, by std.ssh).
constexpr const char* kWaitSsh = R"(---
version: '2.0'

std.wait_ssh:
  description: Runs `ls -l` on a host over SSH, so that a task with a retry policy waits until the host answers.
  base: std.ssh
  base-input:
    host: <% $.host %>
    username: <% $.username %>
    password: <% $.password %>
    cmd: 'ls -l'
  input:
    - host
    - username
    - password
)";

struct Preinstalled {
  const char* name;
  const char* definition;
};

constexpr Preinstalled kActions[] = {{"std.wait_ssh", kWaitSsh}};

}  // namespace

Result<size_t> register_preinstalled_actions(storage::Transaction& tx, const std::string& project_id) {
  Caller populate;
  populate.project_id = project_id;
  populate.is_admin = true;
  const DefinitionTarget target{"", "public"};
  size_t written = 0;
  for (const auto& action : kActions) {
    auto existing = catalog::Catalog(tx, populate).adhoc_action(action.name, "");
    if (existing && existing->definition == action.definition) continue;
    auto stored = existing ? update_actions(tx, action.definition, target, std::string(action.name), populate)
                           : create_actions(tx, action.definition, target, populate);
    if (!stored) return stored.error();
    ++written;
  }
  return written;
}

}  // namespace bora::services
