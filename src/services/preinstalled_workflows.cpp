#include "bora/services/preinstalled_workflows.h"

#include <initializer_list>

#include "bora/catalog/catalog.h"
#include "bora/services/workflow_definitions.h"

namespace bora::services {

namespace {

// create_instance: its input (names of an image, a flavor, a network and a
// key pair) and output (the server's id, name and status) are
// mistral-extra's; so are its steps: the three names looked up at once, the
// server booted when all three are known, then asked for until ACTIVE
// (10 times, 10 s apart).
constexpr const char* kCreateInstance = R"(---
version: '2.0'

create_instance:
  type: direct
  description: |
    Boots a server from an image and a flavor, on a network, with a key
    pair (each given by name), and waits until the server is ACTIVE.
  input:
    - name
    - image
    - flavor
    - keypair
    - network
  output:
    id: <% $.server_id %>
    name: <% $.name %>
    status: <% $.server_status %>
  tasks:
    image_by_name:
      description: The id of the image of that name.
      action: glance.images_list
      input:
        name: <% $.image %>
      publish:
        image_id: <% task().result[0].id %>
      on-success:
        - boot_server
    flavor_by_name:
      description: The id of the flavor of that name.
      action: nova.flavors_find
      input:
        name: <% $.flavor %>
      publish:
        flavor_id: <% task().result.id %>
      on-success:
        - boot_server
    network_by_name:
      description: The id of the network of that name.
      action: neutron.list_networks
      input:
        name: <% $.network %>
      publish:
        network_id: <% task().result.networks[0].id %>
      on-success:
        - boot_server
    boot_server:
      description: Boots the server once the three ids are known.
      join: all
      action: nova.servers_create
      input:
        name: <% $.name %>
        image: <% $.image_id %>
        flavor: <% $.flavor_id %>
        key_name: <% $.keypair %>
        nics: [{"net-id": <% $.network_id %>}]
      publish:
        server_id: <% task().result.id %>
      on-success:
        - until_active
    until_active:
      description: Asks for the server until it is ACTIVE.
      action: nova.servers_find
      input:
        id: <% $.server_id %>
        status: ACTIVE
      retry:
        count: 10
        delay: 10
      publish:
        server_status: <% task().result.status %>
)";

// delete_instance: mistral-extra's input and steps: the server deleted, and
// ten seconds later looked for; not finding it is the success.
constexpr const char* kDeleteInstance = R"(---
version: '2.0'

delete_instance:
  type: direct
  description: Deletes a server, then looks for it ten seconds later.
  input:
    - instance_id
  tasks:
    delete_server:
      description: Asks Nova to delete the server.
      action: nova.servers_delete
      input:
        server: <% $.instance_id %>
      wait-after: 10
      on-success:
        - look_for_server
    look_for_server:
      description: Looks for the server; not finding it ends the workflow well.
      action: nova.servers_find
      input:
        id: <% $.instance_id %>
      on-error:
        - succeed
)";

struct PreinstalledWorkflow {
  const char* name;
  const char* definition;
  std::initializer_list<std::string_view> actions;  // the actions it calls
};

const PreinstalledWorkflow kWorkflows[] = {
    {"create_instance", kCreateInstance,
     {"glance.images_list", "nova.flavors_find", "neutron.list_networks", "nova.servers_create", "nova.servers_find"}},
    {"delete_instance", kDeleteInstance, {"nova.servers_delete", "nova.servers_find"}},
};

}  // namespace

Result<size_t> register_preinstalled_workflows(storage::Transaction& tx, const std::string& project_id,
                                               const std::function<bool(std::string_view)>& action_known) {
  Caller populate;
  populate.project_id = project_id;
  populate.is_admin = true;
  const DefinitionTarget target{"", "public"};
  size_t written = 0;
  for (const auto& wf : kWorkflows) {
    bool available = true;
    for (std::string_view action : wf.actions) available = available && action_known(action);
    auto existing = catalog::Catalog(tx, populate).workflow_to_modify(wf.name, "");
    if (existing && (!existing->is_system || existing->project_id != project_id)) continue;  // someone's own
    if (!available) {
      if (!existing) continue;
      // populate's _clear_system_workflow_db; a cron trigger still naming
      // it keeps it (the delete's 400), until the trigger is gone.
      auto crons = tx.cron_triggers()
                       .list({storage::ProjectScope::internal(), {{"workflow_id", storage::FilterOp::Eq, {existing->id}}}})
                       .value();
      if (!crons.empty()) continue;
      if (auto removed = tx.workflow_definitions().remove(existing->id); !removed) return removed.error();
      ++written;
      continue;
    }
    if (existing && existing->definition == wf.definition) continue;
    Result<std::vector<storage::WorkflowDefinition>> stored = std::vector<storage::WorkflowDefinition>{};
    if (existing) {
      // A definition this version of Bora words otherwise: updated in place
      // (its id, and the cron triggers naming it, kept). update_workflows
      // refuses to change a system workflow, which this one is only once
      // written.
      storage::WorkflowDefinition row = *existing;
      row.is_system = false;
      if (auto saved = tx.workflow_definitions().update(row); !saved) return saved.error();
      stored = update_workflows(tx, wf.definition, target, std::string(wf.name), populate);
    } else {
      stored = create_workflows(tx, wf.definition, target, populate);
    }
    if (!stored) return stored.error();
    for (auto row : *stored) {
      row.is_system = true;
      if (auto saved = tx.workflow_definitions().update(row); !saved) return saved.error();
    }
    ++written;
  }
  return written;
}

}  // namespace bora::services
