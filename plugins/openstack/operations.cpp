#include "operations.h"

#include <cstring>
#include <memory>

namespace bora_openstack {

const std::vector<Service>& services() {
  // Microversions: Mistral's nova client discovers "2.latest" (the highest
  // both sides know); "latest" asks the service for its highest, the same
  // answer for a current client. Cinder and ironic likewise.
  static const std::vector<Service> all = {
      {"nova", "NovaAction", {"compute"}, "", "X-OpenStack-Nova-API-Version", "compute ", "latest", true, false},
      {"neutron", "NeutronAction", {"network"}, "/v2.0", "", "", "", true, false},
      {"glance", "GlanceAction", {"image"}, "/v2", "", "", "", true, false},
      {"cinder", "CinderAction", {"block-storage", "volumev3", "block-store"}, "", "OpenStack-API-Version", "volume ",
       "3.0", true, false},
      {"heat", "HeatAction", {"orchestration"}, "", "", "", "", true, false},
      {"keystone", "KeystoneAction", {"identity"}, "/v3", "", "", "", false, false},
      {"swift", "SwiftAction", {"object-store"}, "", "", "", "", false, false},
      {"ironic", "IronicAction", {"baremetal"}, "/v1", "X-OpenStack-Ironic-API-Version", "baremetal ", "latest", true,
       false},
      {"zaqar", "ZaqarAction", {"messaging"}, "/v2", "", "", "", false, true},
      {"mistral", "MistralAction", {"workflowv2"}, "/v2", "", "", "", false, false},
      {"baremetal_introspection", "BaremetalIntrospectionAction", {"baremetal-introspection"}, "/v1",
       "X-OpenStack-Ironic-Inspector-API-Version", "baremetal-introspection ", "1.0", false, false},
      {"tacker", "TackerAction", {"nfv-orchestration"}, "/v1.0", "", "", "", true, false},
      {"barbican", "BarbicanAction", {"key-manager"}, "/v1", "", "", "", false, false},
      {"designate", "DesignateAction", {"dns"}, "/v2", "", "", "", true, false},
      {"octavia", "OctaviaAction", {"load-balancer"}, "/v2.0", "", "", "", false, false},
      // Manila refuses "latest" (its header takes a number only): the
      // version is discovered per action as Mistral's client discovers it
      // (manila_version.h).
      {"manila", "ManilaAction", {"sharev2"}, "", "X-OpenStack-Manila-API-Version", "share ", "", false, false},
  };
  return all;
}

namespace {

// Neutron's client has five methods per resource with one shape each:
// list_<plural>(retrieve_all=True, **_params), show_<singular>(<singular>,
// **_params), create_<singular>(body=None), update_<singular>(<singular>,
// body=None), delete_<singular>(<singular>); they return the API's body
// unchanged ({"networks": [...]}, {"network": {...}}) and delete None.
struct NeutronResource {
  const char* singular;
  const char* plural;
  const char* path;  // under /v2.0
};

const NeutronResource neutron_resources[] = {
    {"network", "networks", "/networks"},
    {"subnet", "subnets", "/subnets"},
    {"port", "ports", "/ports"},
    {"router", "routers", "/routers"},
    {"floatingip", "floatingips", "/floatingips"},
    {"security_group", "security_groups", "/security-groups"},
    {"security_group_rule", "security_group_rules", "/security-group-rules"},
    {"subnetpool", "subnetpools", "/subnetpools"},
};

// Strings that live as long as the table (the generated rows point here).
const char* keep(std::string s) {
  static std::vector<std::unique_ptr<std::string>> kept;
  kept.push_back(std::make_unique<std::string>(std::move(s)));
  return kept.back()->c_str();
}

void add_neutron(std::vector<Operation>& ops) {
  for (const auto& r : neutron_resources) {
    std::string s = r.singular, p = r.plural, path = r.path, one = path + "/{" + s + "}";
    ops.push_back({keep("neutron.list_" + p), keep("list_" + p), "retrieve_all=true, **_params", "GET", r.path, "", "",
                   Shape::Body, "", "", "", "neutron_list"});
    ops.push_back({keep("neutron.show_" + s), keep("show_" + s), keep(s + ", **_params"), "GET", keep(one)});
    ops.push_back({keep("neutron.create_" + s), keep("create_" + s), "body=null", "POST", r.path, "@body"});
    ops.push_back({keep("neutron.update_" + s), keep("update_" + s), keep(s + ", body=null"), "PUT", keep(one), "@body"});
    ops.push_back({keep("neutron.delete_" + s), keep("delete_" + s), keep(s), "DELETE", keep(one), "", "", Shape::Null});
  }
  ops.push_back({"neutron.add_interface_router", "add_interface_router", "router, body=null", "PUT",
                 "/routers/{router}/add_router_interface", "@body"});
  ops.push_back({"neutron.remove_interface_router", "remove_interface_router", "router, body=null", "PUT",
                 "/routers/{router}/remove_router_interface", "@body"});
}

// tackerclient (v1_0) is neutronclient's sibling: the same five methods
// per resource, the API's bodies unchanged (but for the listings' long
// texts, which it shortens), every path with the format suffix ".json".
// VNFDs have no update; deleting a VNF takes an optional body (force, ...).
struct TackerResource {
  const char* singular;
  const char* plural;
  bool updatable;
};

const TackerResource tacker_resources[] = {{"vnfd", "vnfds", false}, {"vnf", "vnfs", true}, {"vim", "vims", true}};

void add_tacker(std::vector<Operation>& ops) {
  for (const auto& r : tacker_resources) {
    std::string s = r.singular, p = r.plural, path = "/" + p + ".json", one = "/" + p + "/{" + s + "}.json";
    ops.push_back({keep("tacker.list_" + p), keep("list_" + p), "retrieve_all=true, **_params", "GET", keep(path), "",
                   "", Shape::Body, "", "", "", "tacker_list"});
    ops.push_back({keep("tacker.show_" + s), keep("show_" + s), keep(s + ", **_params"), "GET", keep(one)});
    ops.push_back({keep("tacker.create_" + s), keep("create_" + s), "body", "POST", keep(path), "@body", "",
                   Shape::Body, "", "", "", s == "vnfd" ? "tacker_vnfd" : ""});
    if (r.updatable)
      ops.push_back({keep("tacker.update_" + s), keep("update_" + s), keep(s + ", body"), "PUT", keep(one), "@body"});
    ops.push_back({keep("tacker.delete_" + s), keep("delete_" + s), keep(s == "vnf" ? s + ", body=null" : s),
                   "DELETE", keep(one), s == "vnf" ? "@body" : "", "", Shape::Null});
  }
}

// python-octaviaclient's OctaviaAPI (osc-lib's BaseAPI): lists, creates
// and sets return the API's body ({"loadbalancers": [...]},
// {"loadbalancer": {...}}), shows the resource unwrapped, deletes nothing.
// Creates and sets take the body as `json`; the other keyword arguments
// are query parameters. Only a load balancer's delete takes any (cascade).
struct OctaviaResource {
  const char* method;   // load_balancer
  const char* plural;   // loadbalancers (the path)
  const char* key;      // loadbalancer (the body's key)
  const char* id;       // lb_id
  const char* kwargs;   // the client's name for its keyword arguments
};

const OctaviaResource octavia_resources[] = {
    {"load_balancer", "loadbalancers", "loadbalancer", "lb_id", "**params"},
    {"listener", "listeners", "listener", "listener_id", "**kwargs"},
    {"pool", "pools", "pool", "pool_id", "**kwargs"},
    {"health_monitor", "healthmonitors", "healthmonitor", "health_monitor_id", "**kwargs"},
};

void add_octavia(std::vector<Operation>& ops) {
  for (const auto& r : octavia_resources) {
    std::string m = r.method, id = r.id, kw = r.kwargs, path = std::string("/lbaas/") + r.plural,
                one = path + "/{" + id + "}";
    bool lb = m == "load_balancer";
    ops.push_back({keep("octavia." + m + "_list"), keep(m + "_list"), r.kwargs, "GET", keep(path)});
    ops.push_back({keep("octavia." + m + "_show"), keep(m + "_show"), r.id, "GET", keep(one), "", r.key});
    ops.push_back({keep("octavia." + m + "_create"), keep(m + "_create"), r.kwargs, "POST", keep(path), "@json"});
    ops.push_back({keep("octavia." + m + "_set"), keep(m + "_set"), keep(id + ", " + kw), "PUT", keep(one), "@json"});
    ops.push_back({keep("octavia." + m + "_delete"), keep(m + "_delete"), lb ? keep(id + ", " + kw) : r.id, "DELETE",
                   keep(one), "", "", Shape::Null});
  }
  const char* members = "/lbaas/pools/{pool_id}/members";
  const char* member = "/lbaas/pools/{pool_id}/members/{member_id}";
  ops.push_back({"octavia.member_list", "member_list", "pool_id, **kwargs", "GET", members});
  ops.push_back({"octavia.member_show", "member_show", "pool_id, member_id", "GET", member, "", "member"});
  ops.push_back({"octavia.member_create", "member_create", "pool_id, **kwargs", "POST", members, "@json"});
  ops.push_back({"octavia.member_set", "member_set", "pool_id, member_id, **kwargs", "PUT", member, "@json"});
  ops.push_back({"octavia.member_delete", "member_delete", "pool_id, member_id", "DELETE", member, "", "",
                 Shape::Null});
}

std::vector<Operation> build() {
  std::vector<Operation> ops = {
      // ---- nova (python-novaclient v2; the Compute API reference) ----
      {"nova.servers_list", "servers.list",
       "detailed=true, search_opts=null, marker=null, limit=null, sort_keys=null, sort_dirs=null", "GET", "/servers",
       "", "servers", Shape::Body, "", "/servers/detail", "", "search_opts"},
      {"nova.servers_get", "servers.get", "server", "GET", "/servers/{server}", "", "server"},
      {"nova.servers_find", "servers.find", "**kwargs", "GET", "/servers/detail", "", "servers", Shape::Find, "", "",
       "", "name_search", "Server"},
      {"nova.servers_findall", "servers.findall", "**kwargs", "GET", "/servers/detail", "", "servers", Shape::FindAll,
       "", "", "", "name_search", "Server"},
      {"nova.servers_create", "servers.create",
       "name, image, flavor, meta=null, files=null, reservation_id=false, min_count=null, max_count=null, "
       "security_groups=null, userdata=null, key_name=null, availability_zone=null, block_device_mapping=null, "
       "block_device_mapping_v2=null, nics=null, scheduler_hints=null, config_drive=null, disk_config=null, "
       "admin_pass=null, access_ip_v4=null, access_ip_v6=null, description=null, tags=null, "
       "trusted_image_certificates=null, host=null, hypervisor_hostname=null, hostname=null",
       "POST", "/servers", "server", "server", Shape::Body,
       "image=imageRef flavor=flavorRef meta=metadata userdata=user_data disk_config=OS-DCF:diskConfig "
       "admin_pass=adminPass access_ip_v4=accessIPv4 access_ip_v6=accessIPv6 nics=networks",
       "", "", "nova_server_create"},
      {"nova.servers_update", "servers.update", "server, name=null, description=null, hostname=null", "PUT",
       "/servers/{server}", "", "server", Shape::Body, "", "", "", "nova_server_update"},
      {"nova.servers_delete", "servers.delete", "server", "DELETE", "/servers/{server}", "", "", Shape::Null},
      {"nova.servers_start", "servers.start", "server", "POST", "/servers/{server}/action", "{\"os-start\": null}", "",
       Shape::Null, "", "", "", "keep_nulls"},
      {"nova.servers_stop", "servers.stop", "server", "POST", "/servers/{server}/action", "{\"os-stop\": null}", "",
       Shape::Null, "", "", "", "keep_nulls"},
      {"nova.servers_reboot", "servers.reboot", "server, reboot_type=\"SOFT\"", "POST", "/servers/{server}/action",
       "{\"reboot\": {\"type\": \"$reboot_type\"}}", "", Shape::Null},
      {"nova.servers_add_floating_ip", "servers.add_floating_ip", "server, address, fixed_address=null", "POST",
       "/servers/{server}/action", "{\"addFloatingIp\": {\"address\": \"$address\", \"fixed_address\": \"$fixed_address\"}}",
       "", Shape::Null, "", "", "2.43"},
      {"nova.servers_remove_floating_ip", "servers.remove_floating_ip", "server, address", "POST",
       "/servers/{server}/action", "{\"removeFloatingIp\": {\"address\": \"$address\"}}", "", Shape::Null, "", "", "2.43"},
      {"nova.servers_interface_list", "servers.interface_list", "server", "GET", "/servers/{server}/os-interface", "",
       "interfaceAttachments"},
      {"nova.floating_ips_list", "floating_ips.list", "", "GET", "/os-floating-ips", "", "floating_ips", Shape::Body,
       "", "", "2.35"},
      {"nova.floating_ips_findall", "floating_ips.findall", "**kwargs", "GET", "/os-floating-ips", "", "floating_ips",
       Shape::FindAll, "", "", "2.35", "", "FloatingIP"},
      {"nova.floating_ips_find", "floating_ips.find", "**kwargs", "GET", "/os-floating-ips", "", "floating_ips",
       Shape::Find, "", "", "2.35", "", "FloatingIP"},
      {"nova.flavors_list", "flavors.list",
       "detailed=true, is_public=true, marker=null, min_disk=null, min_ram=null, limit=null, sort_key=null, "
       "sort_dir=null",
       "GET", "/flavors", "", "flavors", Shape::Body, "min_disk=minDisk min_ram=minRam", "/flavors/detail", "",
       "flavor_list"},
      {"nova.flavors_get", "flavors.get", "flavor", "GET", "/flavors/{flavor}", "", "flavor"},
      {"nova.flavors_find", "flavors.find", "**kwargs", "GET", "/flavors/detail", "", "flavors", Shape::Find, "", "",
       "", "", "Flavor"},
      {"nova.flavors_findall", "flavors.findall", "**kwargs", "GET", "/flavors/detail", "", "flavors", Shape::FindAll,
       "", "", "", "", "Flavor"},
      {"nova.flavors_create", "flavors.create",
       "name, ram, vcpus, disk, flavorid=\"auto\", ephemeral=0, swap=0, rxtx_factor=1.0, is_public=true, "
       "description=null",
       "POST", "/flavors",
       "{\"flavor\": {\"name\": \"$name\", \"ram\": \"$ram\", \"vcpus\": \"$vcpus\", \"disk\": \"$disk\", \"id\": "
       "\"$flavorid\", \"swap\": \"$swap\", \"OS-FLV-EXT-DATA:ephemeral\": \"$ephemeral\", \"rxtx_factor\": "
       "\"$rxtx_factor\", \"os-flavor-access:is_public\": \"$is_public\", \"description\": \"$description\"}}",
       "flavor", Shape::Body, "", "", "", "flavor_auto_id", "", "flavorid"},
      {"nova.flavors_delete", "flavors.delete", "flavor", "DELETE", "/flavors/{flavor}", "", "", Shape::Null},
      {"nova.keypairs_list", "keypairs.list", "user_id=null, marker=null, limit=null", "GET", "/os-keypairs", "",
       "keypairs", Shape::Body, "", "", "", "keypair_list"},
      {"nova.keypairs_get", "keypairs.get", "keypair, user_id=null", "GET", "/os-keypairs/{keypair}", "", "keypair"},
      {"nova.keypairs_delete", "keypairs.delete", "key, user_id=null", "DELETE", "/os-keypairs/{key}", "", "",
       Shape::Null},
      {"nova.volumes_create_server_volume", "volumes.create_server_volume",
       "server_id, volume_id, device=null, tag=null, delete_on_termination=false", "POST",
       "/servers/{server_id}/os-volume_attachments",
       "{\"volumeAttachment\": {\"volumeId\": \"$volume_id\", \"device\": \"$device\", \"tag\": \"$tag\", "
       "\"delete_on_termination\": \"$delete_on_termination\"}}",
       "volumeAttachment", Shape::Body, "", "", "", "drop_false"},
      {"nova.volumes_get_server_volumes", "volumes.get_server_volumes", "server_id", "GET",
       "/servers/{server_id}/os-volume_attachments", "", "volumeAttachments"},
      {"nova.volumes_delete_server_volume", "volumes.delete_server_volume",
       "server_id, volume_id=null, attachment_id=null", "DELETE",
       "/servers/{server_id}/os-volume_attachments/{volume_id}", "", "", Shape::Null},

      // ---- glance (python-glanceclient v2; the Image API v2 reference) ----
      {"glance.images_list", "images.list", "**kwargs", "GET", "/images", "", "images", Shape::Paged, "", "", "",
       "filters"},
      {"glance.images_get", "images.get", "image_id", "GET", "/images/{image_id}"},
      {"glance.images_create", "images.create", "**kwargs", "POST", "/images", "=", "", Shape::Body, "", "", "", "",
       "", "*"},
      {"glance.images_update", "images.update", "image_id, remove_props=null, **kwargs", "PATCH", "/images/{image_id}",
       "", "", Shape::Body, "", "", "", "glance_patch"},
      {"glance.images_delete", "images.delete", "image_id", "DELETE", "/images/{image_id}", "", "", Shape::Null},
      {"glance.images_upload", "images.upload", "image_id, image_data, image_size=null, backend=null", "PUT",
       "/images/{image_id}/file", "", "", Shape::Null, "", "", "", "glance_upload"},
      // The data, checked as the client checks it, in its 64 KiB chunks.
      {"glance.images_data", "images.data", "image_id, do_checksum=true, allow_md5_fallback=false", "GET",
       "/images/{image_id}/file", "", "", Shape::Body, "", "", "", "glance_data"},
      {"glance.images_deactivate", "images.deactivate", "image_id", "POST", "/images/{image_id}/actions/deactivate",
       "", "", Shape::Null},
      {"glance.images_reactivate", "images.reactivate", "image_id", "POST", "/images/{image_id}/actions/reactivate",
       "", "", Shape::Null},
      {"glance.image_tags_update", "image_tags.update", "image_id, tag_value", "PUT",
       "/images/{image_id}/tags/{tag_value}", "", "", Shape::Null},
      {"glance.image_tags_delete", "image_tags.delete", "image_id, tag_value", "DELETE",
       "/images/{image_id}/tags/{tag_value}", "", "", Shape::Null},

      // ---- cinder (python-cinderclient v3; the Block Storage API v3 reference) ----
      {"cinder.volumes_list", "volumes.list",
       "detailed=true, search_opts=null, marker=null, limit=null, sort_key=null, sort_dir=null, sort=null", "GET",
       "/volumes", "", "volumes", Shape::Body, "", "/volumes/detail", "", "search_opts"},
      {"cinder.volumes_get", "volumes.get", "volume_id", "GET", "/volumes/{volume_id}", "", "volume"},
      {"cinder.volumes_find", "volumes.find", "**kwargs", "GET", "/volumes/detail", "", "volumes", Shape::Find, "", "",
       "", "", "Volume"},
      {"cinder.volumes_findall", "volumes.findall", "**kwargs", "GET", "/volumes/detail", "", "volumes",
       Shape::FindAll, "", "", "", "", "Volume"},
      {"cinder.volumes_create", "volumes.create",
       "size, consistencygroup_id=null, group_id=null, snapshot_id=null, source_volid=null, name=null, "
       "description=null, volume_type=null, user_id=null, project_id=null, availability_zone=null, metadata=null, "
       "imageRef=null, scheduler_hints=null, backup_id=null",
       "POST", "/volumes",
       // cinderclient's body: every field, the unset ones null (metadata
       // {}); group_id and the hints only when set; user_id and project_id
       // are not sent at all.
       "{\"volume\": {\"size\": \"$size\", \"consistencygroup_id\": \"$consistencygroup_id\", \"snapshot_id\": "
       "\"$snapshot_id\", \"name\": \"$name\", \"description\": \"$description\", \"volume_type\": \"$volume_type\", "
       "\"availability_zone\": \"$availability_zone\", \"metadata\": \"$metadata\", \"imageRef\": \"$imageRef\", "
       "\"source_volid\": \"$source_volid\", \"backup_id\": \"$backup_id\", \"group_id\": \"$group_id\"}, "
       "\"OS-SCH-HNT:scheduler_hints\": \"$scheduler_hints\"}",
       "volume", Shape::Body, "", "", "", "", "",
       "consistencygroup_id snapshot_id name description volume_type availability_zone metadata={} imageRef "
       "source_volid backup_id"},
      {"cinder.volumes_update", "volumes.update", "volume, **kwargs", "PUT", "/volumes/{volume}", "volume", "volume",
       Shape::Body, "", "", "", "", "", "*"},
      {"cinder.volumes_delete", "volumes.delete", "volume, cascade=false", "DELETE", "/volumes/{volume}", "", "",
       Shape::Null},
      {"cinder.volumes_extend", "volumes.extend", "volume, new_size", "POST", "/volumes/{volume}/action",
       "{\"os-extend\": {\"new_size\": \"$new_size\"}}", "", Shape::Null},
      {"cinder.volume_snapshots_list", "volume_snapshots.list",
       "detailed=true, search_opts=null, marker=null, limit=null, sort_key=null, sort_dir=null, sort=null", "GET",
       "/snapshots", "", "snapshots", Shape::Body, "", "/snapshots/detail", "", "search_opts"},
      {"cinder.volume_snapshots_create", "volume_snapshots.create",
       "volume_id, force=false, name=null, description=null, metadata=null", "POST", "/snapshots", "snapshot",
       "snapshot", Shape::Body, "", "", "", "", "", "* metadata={}"},
      {"cinder.volume_snapshots_delete", "volume_snapshots.delete", "snapshot, force=false", "DELETE",
       "/snapshots/{snapshot}", "", "", Shape::Null},

      // ---- heat (python-heatclient v1; the Orchestration API reference) ----
      {"heat.stacks_list", "stacks.list", "**kwargs", "GET", "/stacks", "", "stacks", Shape::Body, "", "", "",
       "filters"},
      {"heat.stacks_get", "stacks.get", "stack_id, resolve_outputs=true", "GET", "/stacks/{stack_id}", "", "stack",
       Shape::Body, "", "", "", "heat_get"},
      // Bodies of **kwargs: what the caller gave, nulls included.
      {"heat.stacks_create", "stacks.create", "**kwargs", "POST", "/stacks", "=", "", Shape::Body, "", "", "", "", "",
       "*"},
      {"heat.stacks_update", "stacks.update", "stack_id, **kwargs", "PUT", "/stacks/{stack_id}", "=", "", Shape::Null,
       "", "", "", "heat_follow", "", "*"},
      {"heat.stacks_delete", "stacks.delete", "stack_id", "DELETE", "/stacks/{stack_id}", "", "", Shape::Null, "", "",
       "", "heat_follow"},
      {"heat.stacks_output_list", "stacks.output_list", "stack_id", "GET", "/stacks/{stack_id}/outputs", "", "",
       Shape::Body, "", "", "", "heat_follow"},
      {"heat.stacks_output_show", "stacks.output_show", "stack_id, output_key", "GET",
       "/stacks/{stack_id}/outputs/{output_key}", "", "", Shape::Body, "", "", "", "heat_follow"},
      {"heat.resources_list", "resources.list", "stack_id, **kwargs", "GET", "/stacks/{stack_id}/resources", "",
       "resources", Shape::Body, "", "", "", "heat_follow"},

      // ---- keystone (python-keystoneclient v3; the Identity API v3 reference) ----
      {"keystone.projects_list", "projects.list", "domain=null, user=null, parent=null, **kwargs", "GET", "/projects",
       "", "projects", Shape::Body, "domain=domain_id parent=parent_id", "", "", "keystone_projects"},
      {"keystone.projects_get", "projects.get",
       "project, subtree_as_list=false, parents_as_list=false, subtree_as_ids=false, parents_as_ids=false", "GET",
       "/projects/{project}", "", "project", Shape::Body, "", "", "", "drop_false"},
      {"keystone.projects_find", "projects.find", "**kwargs", "GET", "/projects", "", "projects", Shape::Find, "", "",
       "", "", "Project"},
      {"keystone.projects_create", "projects.create",
       "name, domain, description=null, enabled=true, parent=null, **kwargs", "POST", "/projects", "project",
       "project", Shape::Body, "domain=domain_id parent=parent_id"},
      {"keystone.projects_update", "projects.update",
       "project, name=null, domain=null, description=null, enabled=null, **kwargs", "PATCH", "/projects/{project}",
       "project", "project", Shape::Body, "domain=domain_id"},
      {"keystone.projects_delete", "projects.delete", "project", "DELETE", "/projects/{project}", "", "", Shape::Null},
      {"keystone.users_list", "users.list", "project=null, domain=null, group=null, default_project=null, **kwargs",
       "GET", "/users", "", "users", Shape::Body, "domain=domain_id default_project=default_project_id project=project_id"},
      {"keystone.users_get", "users.get", "user", "GET", "/users/{user}", "", "user"},
      {"keystone.users_find", "users.find", "**kwargs", "GET", "/users", "", "users", Shape::Find, "", "", "", "",
       "User"},
      {"keystone.users_create", "users.create",
       "name, domain=null, project=null, password=null, email=null, description=null, enabled=true, "
       "default_project=null, **kwargs",
       "POST", "/users", "user", "user", Shape::Body, "domain=domain_id default_project=default_project_id"},
      {"keystone.users_update", "users.update",
       "user, name=null, domain=null, project=null, password=null, email=null, description=null, enabled=null, "
       "default_project=null, **kwargs",
       "PATCH", "/users/{user}", "user", "user", Shape::Body, "domain=domain_id default_project=default_project_id"},
      {"keystone.users_delete", "users.delete", "user", "DELETE", "/users/{user}", "", "", Shape::Null},
      {"keystone.domains_list", "domains.list", "**kwargs", "GET", "/domains", "", "domains"},
      {"keystone.domains_get", "domains.get", "domain", "GET", "/domains/{domain}", "", "domain"},
      {"keystone.roles_list", "roles.list", "user=null, group=null, system=null, domain=null, project=null, "
       "os_inherit_extension_inherited=false, **kwargs", "GET", "/roles", "", "roles", Shape::Body, "", "", "",
       "drop_false"},
      {"keystone.services_list", "services.list", "name=null, type=null, **kwargs", "GET", "/services", "",
       "services"},
      {"keystone.endpoints_list", "endpoints.list", "service=null, interface=null, region=null, enabled=null, "
       "region_id=null, **kwargs", "GET", "/endpoints", "", "endpoints", Shape::Body, "service=service_id"},

      // ---- swift (python-swiftclient Connection; the Object Storage API reference) ----
      {"swift.head_account", "head_account", "headers=null", "HEAD", "", "", "", Shape::Headers, "", "", "",
       "swift"},
      {"swift.get_account", "get_account",
       "marker=null, limit=null, prefix=null, end_marker=null, full_listing=false, headers=null, delimiter=null",
       "GET", "", "", "", Shape::SwiftPair, "", "", "", "swift_listing"},
      {"swift.post_account", "post_account", "headers, response_dict=null, query_string=null, data=null", "POST", "",
       "", "", Shape::SwiftPair, "", "", "", "swift"},
      {"swift.head_container", "head_container", "container, headers=null", "HEAD", "/{container}", "", "",
       Shape::Headers, "", "", "", "swift"},
      {"swift.get_container", "get_container",
       "container, marker=null, limit=null, prefix=null, delimiter=null, end_marker=null, version_marker=null, "
       "path=null, full_listing=false, headers=null, query_string=null",
       "GET", "/{container}", "", "", Shape::SwiftPair, "", "", "", "swift_listing"},
      {"swift.put_container", "put_container", "container, headers=null, response_dict=null, query_string=null",
       "PUT", "/{container}", "", "", Shape::Null, "", "", "", "swift"},
      {"swift.post_container", "post_container", "container, headers, response_dict=null", "POST", "/{container}", "",
       "", Shape::Null, "", "", "", "swift"},
      {"swift.delete_container", "delete_container",
       "container, response_dict=null, query_string=null, headers={}", "DELETE", "/{container}", "", "", Shape::Null,
       "", "", "", "swift"},
      {"swift.head_object", "head_object", "container, obj, headers=null, query_string=null", "HEAD",
       "/{container}/{obj}", "", "", Shape::Headers, "", "", "", "swift"},
      {"swift.get_object", "get_object",
       "container, obj, resp_chunk_size=null, query_string=null, response_dict=null, headers=null", "GET",
       "/{container}/{obj}", "", "", Shape::SwiftPair, "", "", "", "swift"},
      {"swift.put_object", "put_object",
       "container, obj, contents, content_length=null, etag=null, chunk_size=null, content_type=null, headers=null, "
       "query_string=null, response_dict=null",
       "PUT", "/{container}/{obj}", "", "", Shape::Etag, "", "", "", "swift_put"},
      {"swift.post_object", "post_object", "container, obj, headers, response_dict=null", "POST",
       "/{container}/{obj}", "", "", Shape::Null, "", "", "", "swift"},
      {"swift.delete_object", "delete_object",
       "container, obj, query_string=null, response_dict=null, headers=null", "DELETE", "/{container}/{obj}", "", "",
       Shape::Null, "", "", "", "swift"},
      {"swift.copy_object", "copy_object",
       "container, obj, destination=null, headers=null, fresh_metadata=null, response_dict=null", "COPY",
       "/{container}/{obj}", "", "", Shape::Null, "", "", "", "swift_copy"},
      {"swift.get_capabilities", "get_capabilities", "url=null", "GET", "/info", "", "", Shape::Body, "", "", "",
       "swift_info"},

      // ---- ironic (python-ironicclient v1; the Bare Metal API reference) ----
      {"ironic.node_list", "node.list",
       "associated=null, maintenance=null, retired=null, marker=null, limit=null, detail=false, sort_key=null, "
       "sort_dir=null, fields=null, provision_state=null, driver=null, resource_class=null, chassis=null, "
       "fault=null, os_trait=null, conductor_group=null, conductor=null, owner=null, lessee=null, "
       "description_contains=null, global_request_id=null",
       "GET", "/nodes", "", "nodes", Shape::Body, "", "/nodes/detail", "", "ironic_list"},
      {"ironic.node_get", "node.get", "node_id, fields=null, os_ironic_api_version=null, global_request_id=null",
       "GET", "/nodes/{node_id}", "", "", Shape::Body, "", "", "", "ironic_fields"},
      {"ironic.node_create", "node.create", "os_ironic_api_version=null, global_request_id=null, **kwargs", "POST",
       "/nodes", "=", "", Shape::Body, "", "", "", "ironic_fields", "", "*"},
      {"ironic.node_update", "node.update",
       "node_id, patch, reset_interfaces=null, os_ironic_api_version=null, global_request_id=null", "PATCH",
       "/nodes/{node_id}", "{\"@patch\": true}", "", Shape::Body, "", "", "", "ironic_patch"},
      {"ironic.node_delete", "node.delete", "node_id, os_ironic_api_version=null, global_request_id=null", "DELETE",
       "/nodes/{node_id}", "", "", Shape::Null, "", "", "", "ironic_fields"},
      {"ironic.node_set_provision_state", "node.set_provision_state",
       "node_uuid, state, configdrive=null, cleansteps=null, rescue_password=null, os_ironic_api_version=null, "
       "global_request_id=null, deploysteps=null, servicesteps=null, runbook=null",
       "PUT", "/nodes/{node_uuid}/states/provision",
       "{\"target\": \"$state\", \"configdrive\": \"$configdrive\", \"clean_steps\": \"$cleansteps\", "
       "\"rescue_password\": \"$rescue_password\", \"deploy_steps\": \"$deploysteps\", \"service_steps\": "
       "\"$servicesteps\", \"runbook\": \"$runbook\"}",
       "", Shape::Null, "", "", "", "ironic_fields"},
      {"ironic.node_set_power_state", "node.set_power_state",
       "node_id, state, soft=false, timeout=null, os_ironic_api_version=null, global_request_id=null", "PUT",
       "/nodes/{node_id}/states/power", "{\"target\": \"$state\", \"timeout\": \"$timeout\"}", "", Shape::Null, "", "",
       "", "ironic_power"},
      {"ironic.port_list", "port.list",
       "address=null, limit=null, marker=null, sort_key=null, sort_dir=null, detail=false, fields=null, node=null, "
       "portgroup=null, shard=null, global_request_id=null",
       "GET", "/ports", "", "ports", Shape::Body, "", "/ports/detail", "", "ironic_list"},

      // ---- zaqar (python-zaqarclient v2, through mistral-extra's helpers) ----
      {"zaqar.queue_post", "queue_post", "queue_name, messages", "POST", "/queues/{queue_name}/messages",
       "{\"messages\": \"$messages\"}", "", Shape::Body, "", "", "", "zaqar_post"},
      {"zaqar.queue_messages", "queue_messages", "queue_name, **params", "GET", "/queues/{queue_name}/messages", "",
       "messages", Shape::Body, "", "", "", "zaqar_list"},
      {"zaqar.queue_pop", "queue_pop", "queue_name, count=1", "DELETE", "/queues/{queue_name}/messages", "",
       "messages", Shape::Body, "", "", "", "zaqar_pop"},
      {"zaqar.claim_messages", "claim_messages", "queue_name, **params", "POST", "/queues/{queue_name}/claims", "=",
       "messages", Shape::Body, "", "", "", "zaqar_claim"},
      {"zaqar.delete_messages", "delete_messages", "queue_name, messages", "DELETE", "/queues/{queue_name}/messages",
       "", "", Shape::Null, "", "", "", "zaqar_delete"},

      // ---- mistral (python-mistralclient v2; Mistral's own REST API, which Bora serves too) ----
      {"mistral.environments_list", "environments.list",
       "marker=\"\", limit=null, sort_keys=\"\", sort_dirs=\"\", fields=\"\", **filters", "GET", "/environments", "",
       "environments", Shape::Body, "", "", "", "drop_empty"},
      {"mistral.environments_get", "environments.get", "name, namespace=\"\"", "GET", "/environments/{name}", "", "",
       Shape::Body, "", "", "", "drop_empty"},
      {"mistral.environments_create", "environments.create", "**kwargs", "POST", "/environments", "=", "",
       Shape::Body, "", "", "", "mistral_json_fields", "", "*"},
      {"mistral.environments_update", "environments.update", "**kwargs", "PUT", "/environments", "=", "",
       Shape::Body, "", "", "", "mistral_json_fields", "", "*"},
      {"mistral.environments_delete", "environments.delete", "name, namespace=\"\"", "DELETE",
       "/environments/{name}", "", "", Shape::Null, "", "", "", "drop_empty"},
      {"mistral.executions_list", "executions.list",
       "task=null, marker=\"\", limit=null, sort_keys=\"\", sort_dirs=\"\", fields=\"\", **filters", "GET",
       "/executions", "", "executions", Shape::Body, "task=task_execution_id", "", "", "drop_empty"},
      {"mistral.executions_get", "executions.get", "id", "GET", "/executions/{id}"},
      {"mistral.executions_create", "executions.create",
       "wf_identifier=\"\", namespace=\"\", workflow_input=null, description=\"\", source_execution_id=null, "
       "**params",
       "POST", "/executions", "", "", Shape::Body, "", "", "", "mistral_execution"},
      {"mistral.executions_delete", "executions.delete", "id, force=false", "DELETE", "/executions/{id}", "", "",
       Shape::Null, "", "", "", "drop_false"},
      {"mistral.workflows_list", "workflows.list",
       "namespace=\"\", marker=\"\", limit=null, sort_keys=\"\", sort_dirs=\"\", fields=\"\", **filters", "GET",
       "/workflows", "", "workflows", Shape::Body, "", "", "", "drop_empty"},
      {"mistral.workflows_get", "workflows.get", "identifier, namespace=\"\"", "GET", "/workflows/{identifier}", "",
       "", Shape::Body, "", "", "", "drop_empty"},
      {"mistral.tasks_list", "tasks.list",
       "workflow_execution_id=null, marker=\"\", limit=null, sort_keys=\"\", sort_dirs=\"\", fields=null, "
       "**filters",
       "GET", "/tasks", "", "tasks", Shape::Body, "", "", "", "drop_empty"},
      {"mistral.tasks_get", "tasks.get", "id", "GET", "/tasks/{id}"},
      {"mistral.action_executions_get", "action_executions.get", "id", "GET", "/action_executions/{id}"},

      // ---- baremetal_introspection (python-ironic-inspector-client v1) ----
      {"baremetal_introspection.introspect", "introspect", "node_id, manage_boot=null", "POST",
       "/introspection/{node_id}", "", "", Shape::Null, "", "", "", "drop_empty"},
      {"baremetal_introspection.get_status", "get_status", "node_id", "GET", "/introspection/{node_id}"},
      {"baremetal_introspection.get_data", "get_data", "node_id, raw=false", "GET", "/introspection/{node_id}/data",
       "", "", Shape::Body, "", "", "", "drop_false"},
      {"baremetal_introspection.abort", "abort", "node_id", "POST", "/introspection/{node_id}/abort", "", "",
       Shape::Null},
      {"baremetal_introspection.rules_get_all", "rules.get_all", "", "GET", "/rules", "", "rules"},
      {"baremetal_introspection.rules_get", "rules.get", "uuid", "GET", "/rules/{uuid}"},
      {"baremetal_introspection.rules_delete", "rules.delete", "uuid", "DELETE", "/rules/{uuid}", "", "",
       Shape::Null},

      // ---- barbican (python-barbicanclient v1; the Key Manager API reference) ----
      // Its create methods only build an entity in memory (nothing is sent
      // until .store()): Mistral's secrets_store creates and stores, and
      // returns the new secret's reference. References are URLs; their last
      // segment (or a bare id) names the entity.
      {"barbican.secrets_list", "secrets.list",
       "limit=10, offset=0, name=null, algorithm=null, mode=null, bits=0, secret_type=null, created=null, "
       "updated=null, expiration=null, sort=null",
       "GET", "/secrets", "", "secrets", Shape::Body, "algorithm=alg", "", "", "barbican_ref"},
      {"barbican.secrets_get", "secrets.get", "secret_ref, payload_content_type=null", "GET", "/secrets/{secret_ref}",
       "", "", Shape::Body, "", "", "", "barbican_ref"},
      {"barbican.secrets_store", "secrets_store",
       "name=null, payload=null, algorithm=null, bit_length=null, secret_type=null, mode=null, expiration=null",
       "POST", "/secrets", "", "secret_ref", Shape::Body, "", "", "", "barbican_store"},
      {"barbican.secrets_delete", "secrets.delete", "secret_ref", "DELETE", "/secrets/{secret_ref}", "", "",
       Shape::Null, "", "", "", "barbican_ref"},
      // secrets_retrieve is Mistral's too: the payload (GET .../payload
      // with the secret's default content type, read from its metadata).
      {"barbican.secrets_retrieve", "secrets_retrieve", "secret_ref", "GET", "/secrets/{secret_ref}", "", "",
       Shape::Body, "", "", "", "barbican_retrieve"},
      // containers.create and orders.create stored as store()/submit() do:
      // the new entity's reference.
      {"barbican.containers_create", "containers.create", "name=null, secrets=null", "POST", "/containers", "",
       "container_ref", Shape::Body, "", "", "", "barbican_container"},
      {"barbican.orders_create", "orders.create", "type=null, **kwargs", "POST", "/orders", "", "order_ref",
       Shape::Body, "", "", "", "barbican_order"},
      {"barbican.containers_list", "containers.list", "limit=10, offset=0, name=null, type=null", "GET",
       "/containers", "", "containers"},
      {"barbican.containers_get", "containers.get", "container_ref", "GET", "/containers/{container_ref}", "", "",
       Shape::Body, "", "", "", "barbican_ref"},
      {"barbican.containers_delete", "containers.delete", "container_ref", "DELETE", "/containers/{container_ref}",
       "", "", Shape::Null, "", "", "", "barbican_ref"},
      {"barbican.orders_list", "orders.list", "limit=10, offset=0", "GET", "/orders", "", "orders"},
      {"barbican.orders_get", "orders.get", "order_ref", "GET", "/orders/{order_ref}", "", "", Shape::Body, "", "",
       "", "barbican_ref"},
      {"barbican.orders_delete", "orders.delete", "order_ref", "DELETE", "/orders/{order_ref}", "", "", Shape::Null,
       "", "", "", "barbican_ref"},

      // ---- designate (python-designateclient v2; the DNS API v2 reference) ----
      // Zones and recordsets are named by id (the client also resolves
      // names with a lookup; pass ids). Deletes return the API's answer:
      // the zone or recordset, in its PENDING DELETE state.
      {"designate.zones_list", "zones.list", "criterion=null, marker=null, limit=null", "GET", "/zones", "", "zones",
       Shape::Body, "", "", "", "criterion"},
      {"designate.zones_get", "zones.get", "zone", "GET", "/zones/{zone}"},
      {"designate.zones_create", "zones.create",
       "name, type_=null, email=null, description=null, ttl=null, masters=null, attributes=null", "POST", "/zones",
       "=", "", Shape::Body, "", "", "", "designate_zone"},
      {"designate.zones_update", "zones.update", "zone, values", "PATCH", "/zones/{zone}", "@values"},
      {"designate.zones_delete", "zones.delete", "zone, delete_shares=false", "DELETE", "/zones/{zone}", "", "",
       Shape::Body, "", "", "", "designate_delete"},
      {"designate.recordset_list", "recordsets.list", "zone, criterion=null, marker=null, limit=null", "GET",
       "/zones/{zone}/recordsets", "", "recordsets", Shape::Body, "", "", "", "criterion"},
      {"designate.recordset_list_all_zones", "recordsets.list_all_zones", "criterion=null, marker=null, limit=null",
       "GET", "/recordsets", "", "recordsets", Shape::Body, "", "", "", "criterion"},
      {"designate.recordset_get", "recordsets.get", "zone, recordset", "GET", "/zones/{zone}/recordsets/{recordset}"},
      {"designate.recordset_create", "recordsets.create", "zone, name, type_, records, description=null, ttl=null",
       "POST", "/zones/{zone}/recordsets", "=", "", Shape::Body, "type_=type", "", "", "designate_recordset"},
      {"designate.recordset_update", "recordsets.update", "zone, recordset, values", "PUT",
       "/zones/{zone}/recordsets/{recordset}", "@values"},
      {"designate.recordset_delete", "recordsets.delete", "zone, recordset", "DELETE",
       "/zones/{zone}/recordsets/{recordset}"},

      // ---- manila (python-manilaclient v2; the Shared File Systems API v2 reference) ----
      {"manila.shares_list", "shares.list", "detailed=true, search_opts=null, sort_key=null, sort_dir=null", "GET",
       "/shares", "", "shares", Shape::Body, "", "/shares/detail", "", "manila_list"},
      {"manila.shares_get", "shares.get", "share", "GET", "/shares/{share}", "", "share"},
      {"manila.shares_create", "shares.create",
       "share_proto, size, snapshot_id=null, name=null, description=null, metadata=null, share_network=null, "
       "share_type=null, is_public=false, availability_zone=null, share_group_id=null, scheduler_hints=null",
       "POST", "/shares", "", "share", Shape::Body, "", "", "", "manila_share_create"},
      {"manila.shares_update", "shares.update", "share, **kwargs", "PUT", "/shares/{share}", "share", "share",
       Shape::Body, "", "", "", "manila_update", "", "*"},
      {"manila.shares_delete", "shares.delete", "share, share_group_id=null", "DELETE", "/shares/{share}", "", "",
       Shape::Null},
      {"manila.share_networks_list", "share_networks.list", "detailed=true, search_opts=null", "GET",
       "/share-networks", "", "share_networks", Shape::Body, "", "/share-networks/detail", "", "manila_list"},
      {"manila.share_networks_get", "share_networks.get", "share_network", "GET", "/share-networks/{share_network}",
       "", "share_network"},
      {"manila.share_networks_create", "share_networks.create",
       "neutron_net_id=null, neutron_subnet_id=null, name=null, description=null, availability_zone=null", "POST",
       "/share-networks", "share_network", "share_network", Shape::Body, "", "", "", "drop_falsy"},
      {"manila.share_networks_update", "share_networks.update",
       "share_network, neutron_net_id=null, neutron_subnet_id=null, name=null, description=null", "PUT",
       "/share-networks/{share_network}", "", "share_network", Shape::Body, "", "", "", "manila_network_update"},
      {"manila.share_networks_delete", "share_networks.delete", "share_network", "DELETE",
       "/share-networks/{share_network}", "", "", Shape::Null},
      {"manila.share_snapshots_list", "share_snapshots.list",
       "detailed=true, search_opts=null, sort_key=null, sort_dir=null", "GET", "/snapshots", "", "snapshots",
       Shape::Body, "", "/snapshots/detail", "", "manila_list"},
      {"manila.share_snapshots_get", "share_snapshots.get", "snapshot", "GET", "/snapshots/{snapshot}", "",
       "snapshot"},
      {"manila.share_snapshots_create", "share_snapshots.create", "share, force=false, name=null, description=null",
       "POST", "/snapshots", "", "snapshot", Shape::Body, "", "", "", "manila_snapshot_create"},
      {"manila.share_snapshots_update", "share_snapshots.update", "snapshot, **kwargs", "PUT",
       "/snapshots/{snapshot}", "snapshot", "snapshot", Shape::Body, "", "", "", "manila_update", "", "*"},
      {"manila.share_snapshots_delete", "share_snapshots.delete", "snapshot", "DELETE", "/snapshots/{snapshot}", "",
       "", Shape::Null},
  };
  add_neutron(ops);
  add_tacker(ops);
  add_octavia(ops);
  return ops;
}

}  // namespace

const std::vector<Operation>& operations() {
  static const std::vector<Operation> all = build();
  return all;
}

const Service* service_of(const Operation& op) {
  std::string ns(op.name, std::strchr(op.name, '.') - op.name);
  for (const auto& s : services())
    if (ns == s.ns) return &s;
  return nullptr;
}

std::string action_signature(const Operation& op) {
  const Service* service = service_of(op);
  std::string sig = op.signature;
  if (!service || !service->region_input) return sig;
  // mistral-extra's prepare_action_inputs: action_region="" goes before the
  // last parameter with a default (or before **kwargs), else at the end.
  std::vector<std::string> inputs;
  size_t start = 0;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i <= sig.size(); ++i) {
    char c = i < sig.size() ? sig[i] : ',';
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      std::string item = sig.substr(start, i - start);
      item.erase(0, item.find_first_not_of(' '));
      if (!item.empty()) inputs.push_back(item);
      start = i + 1;
    }
  }
  if (inputs.empty()) return "action_region=\"\"";
  long kwarg_index = -1;
  bool found = false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].find('=') != std::string::npos) kwarg_index = static_cast<long>(i), found = true;
    if (inputs[i].find("**") != std::string::npos) kwarg_index = static_cast<long>(i) - 1, found = true;
  }
  if (!found) kwarg_index = static_cast<long>(inputs.size());
  if (kwarg_index < 0) kwarg_index += 1;
  inputs.insert(inputs.begin() + kwarg_index, "action_region=\"\"");
  std::string out;
  for (const auto& i : inputs) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace bora_openstack
