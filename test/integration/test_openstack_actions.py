"""The OpenStack pack (plugins/openstack) against the OpenStack test double
(test/support/openstack_double.py): the actions listed with Mistral's
signatures; the exact requests each action sends (method, path, query,
token, microversion, body) and the results shaped as the python clients
return them (resource dicts, lists, neutron's bodies, find/findall with
NotFound and NoUniqueMatch, swift's (headers, body) pairs); the catalog
from the security context or from Keystone, the region and the interface;
the reach rules; the example workflow examples/openstack_vm_floating_ip.yaml.

Until identity is wired to actions, the security context comes from the
test-only option [openstack] test_security_context (docs/ACTIONS.md)."""

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

from bora_server import BoraServer
from test_plugins import BUILD, SANITIZED

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import openstack_double  # noqa: E402
from openstack_double import NEW_SERVER_ID, PROJECT, SERVER_2, TOKEN  # noqa: E402

# The pack under test: the one built next to bora unless BORA_OPENSTACK_PACK
# names another (a pack built in a worktree, tried with an installed bora).
PACK = os.environ.get("BORA_OPENSTACK_PACK") or os.path.join(BUILD or "/", "plugins", "openstack.so")

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                       "openstack_vm_floating_ip.yaml")


class Harness(unittest.TestCase):
    options = ""           # more bora.conf lines
    executor_options = ""  # more [executor] lines
    with_catalog = False   # the catalog in the security context (else asked of Keystone)
    security = True        # a test security context at all

    @classmethod
    def setUpClass(cls):
        cls.double = openstack_double.OpenStackDouble()
        cls.tmp = tempfile.mkdtemp(prefix="bora-openstack-")
        ctx = os.path.join(cls.tmp, "security.json")
        with open(ctx, "w") as f:
            json.dump(cls.double.security_context(with_catalog=cls.with_catalog), f)
        packs = os.path.join(cls.tmp, "packs")
        os.mkdir(packs)
        os.symlink(os.path.abspath(PACK), os.path.join(packs, "openstack.so"))
        conf = os.path.join(cls.tmp, "bora.conf")
        with open(conf, "w") as f:
            f.write("[executor]\nplugin_dirs = %s\n%s[openstack]\n" % (packs, cls.executor_options))
            if cls.security:
                f.write("test_security_context = %s\n" % ctx)
            f.write(cls.options)
        cls.server = BoraServer(["--config", conf]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.double.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.double.reset()

    def run_action(self, _action, **inp):
        self.double.take_requests()
        status, run, _ = self.server.request("POST", "/v2/action_executions",
                                             {"name": _action, "input": json.dumps(inp)})
        self.assertEqual(201, status, run)
        return run["state"], json.loads(run["output"])["result"], self.double.take_requests()

    def ok(self, _action, **inp):
        state, result, sent = self.run_action(_action, **inp)
        self.assertEqual("SUCCESS", state, result)
        return result, [r for r in sent if not r["path"].endswith("/auth/tokens")]

    def error(self, _action, **inp):
        state, result, _ = self.run_action(_action, **inp)
        self.assertEqual("ERROR", state, result)
        return result


@unittest.skipUnless(os.path.exists(PACK),
                     "the OpenStack pack is not built next to this bora binary")
class OpenStackActions(Harness):

    def test_listed_with_mistral_signatures(self):
        status, body, _ = self.server.request("GET", "/v2/actions?limit=1000")
        actions = {a["name"]: a["input"] for a in body["actions"]}
        issue = ("zaqar.queue_post nova.servers_list ironic.node_list nova.servers_find nova.servers_create "
                 "swift.get_container swift.head_container glance.images_list swift.get_object swift.put_container "
                 "keystone.projects_list heat.stacks_list ironic.node_get swift.copy_object swift.delete_object "
                 "nova.servers_get neutron.list_networks cinder.volumes_list neutron.list_subnets nova.flavors_list "
                 "heat.stacks_output_show swift.put_object cinder.volumes_create nova.volumes_create_server_volume "
                 "nova.servers_delete swift.get_account nova.floating_ips_findall nova.servers_add_floating_ip "
                 "heat.stacks_get ironic.node_set_provision_state openstack.request mistral.environments_get "
                 "baremetal_introspection.introspect baremetal_introspection.get_status").split()
        self.assertEqual([], [n for n in issue if n not in actions])
        # mistral-extra puts action_region before the last defaulted parameter.
        self.assertTrue(actions["nova.servers_create"].startswith("name, image, flavor, meta=null, files=null, "))
        self.assertTrue(actions["nova.servers_create"].endswith(
            'hypervisor_hostname=null, action_region="", hostname=null'))
        self.assertEqual('action_region="", retrieve_all=true, **_params', actions["neutron.list_networks"])
        self.assertEqual('server, action_region=""', actions["nova.servers_get"])
        self.assertEqual('action_region="", **kwargs', actions["nova.servers_find"])
        self.assertEqual("queue_name, messages", actions["zaqar.queue_post"])
        self.assertEqual("container, obj, resp_chunk_size=null, query_string=null, response_dict=null, headers=null",
                         actions["swift.get_object"])
        # tacker and designate take action_region (Mistral's default
        # modules_support_region), barbican, octavia and manila do not.
        self.assertEqual('action_region="", vnfd, **_params', actions["tacker.show_vnfd"])
        self.assertEqual('zone, name, type_, records, description=null, action_region="", ttl=null',
                         actions["designate.recordset_create"])
        self.assertEqual("secret_ref, payload_content_type=null", actions["barbican.secrets_get"])
        self.assertEqual("lb_id, **params", actions["octavia.load_balancer_delete"])
        self.assertEqual("listener_id", actions["octavia.listener_delete"])
        self.assertEqual("pool_id, **kwargs", actions["octavia.pool_set"])
        self.assertEqual("share, **kwargs", actions["manila.shares_update"])
        self.assertEqual('image_id, do_checksum=true, action_region="", allow_md5_fallback=false',
                         actions["glance.images_data"])
        for service, count in (("tacker", 14), ("barbican", 13), ("designate", 11), ("octavia", 25),
                               ("manila", 15)):
            self.assertEqual(count, len([n for n in actions if n.startswith(service + ".")]), service)

    def test_nova_lists_gets_and_finds(self):
        servers, sent = self.ok("nova.servers_list")
        self.assertEqual(3, len(servers))
        self.assertEqual("web-1", servers[0]["name"])
        self.assertEqual({"role": "web"}, servers[0]["metadata"])
        self.assertEqual(1, len(sent))
        self.assertEqual(("GET", "/compute/v2.1/servers/detail", ""), (sent[0]["method"], sent[0]["path"],
                                                                       sent[0]["query"]))
        self.assertEqual(TOKEN, sent[0]["headers"]["x-auth-token"])
        self.assertEqual("latest", sent[0]["headers"]["x-openstack-nova-api-version"])
        self.assertEqual("compute latest", sent[0]["headers"]["openstack-api-version"])

        _, sent = self.ok("nova.servers_list", detailed=False, search_opts={"status": "ACTIVE", "all_tenants": True},
                          limit=5)
        self.assertEqual("/compute/v2.1/servers", sent[0]["path"])
        self.assertEqual("status=ACTIVE&all_tenants=True&limit=5", sent[0]["query"])

        server, sent = self.ok("nova.servers_get", server=SERVER_2["id"])
        self.assertEqual(SERVER_2, server)
        self.assertEqual("/compute/v2.1/servers/" + SERVER_2["id"], sent[0]["path"])

        found, sent = self.ok("nova.servers_find", name="db-1")
        self.assertEqual(SERVER_2["id"], found["id"])
        self.assertEqual("name=db-1", sent[0]["query"])
        self.assertEqual(2, len(self.ok("nova.servers_findall", status="ACTIVE", metadata={"role": "web"})[0]))

        missing = self.error("nova.servers_find", name="web")
        self.assertIn("servers.find.servers.find failed: No Server matching {'name': 'web'}. (HTTP 404)", missing)
        many = self.error("nova.servers_find", status="ACTIVE")
        self.assertIn("msg='servers.find.servers.find failed: '", many)
        gone = self.error("nova.servers_get", server="nope")
        self.assertIn("servers.get.servers.get failed: Instance nope could not be found. (HTTP 404) "
                      "(Request-ID: req-double-", gone)
        self.assertIn("The action raised an exception [action=<mistral_extra.actions.openstack.action_generator."
                      "base.servers.get object at 0x", gone)

        flavors, sent = self.ok("nova.flavors_list")
        self.assertEqual(["m1.tiny", "m1.small"], [f["name"] for f in flavors])
        self.assertEqual("/compute/v2.1/flavors/detail", sent[0]["path"])
        self.assertEqual([{"id": "1", "ip": "172.24.4.10", "fixed_ip": None, "instance_id": None, "pool": "public"}],
                         self.ok("nova.floating_ips_findall", instance_id=None)[0])

    def test_nova_create_delete_and_actions(self):
        created, sent = self.ok("nova.servers_create", name="vm-a", image="img-1", flavor={"id": "2"},
                                nics=[{"net-id": "net-1"}], key_name="ops", security_groups=["web"])
        self.assertEqual(NEW_SERVER_ID, created["id"])
        self.assertEqual(("POST", "/compute/v2.1/servers"), (sent[0]["method"], sent[0]["path"]))
        self.assertEqual({"server": {"name": "vm-a", "imageRef": "img-1", "flavorRef": "2", "key_name": "ops",
                                     "min_count": 1, "max_count": 1, "security_groups": [{"name": "web"}],
                                     "networks": [{"uuid": "net-1"}]}}, sent[0]["body"])
        self.assertEqual("application/json", sent[0]["headers"]["content-type"])

        _, sent = self.ok("nova.servers_create", name="vm-b", image="img-1", flavor="2", userdata="#!/bin/sh\n",
                          meta={"k": "v"}, nics="auto", min_count=2)
        self.assertEqual({"server": {"name": "vm-b", "imageRef": "img-1", "flavorRef": "2",
                                     "user_data": "IyEvYmluL3NoCg==", "metadata": {"k": "v"}, "min_count": 2,
                                     "max_count": 2, "networks": "auto"}}, sent[0]["body"])

        result, sent = self.ok("nova.servers_add_floating_ip", server=NEW_SERVER_ID, address="172.24.4.228")
        self.assertIsNone(result)
        self.assertEqual({"addFloatingIp": {"address": "172.24.4.228"}}, sent[0]["body"])
        self.assertEqual("2.43", sent[0]["headers"]["x-openstack-nova-api-version"])
        _, sent = self.ok("nova.servers_reboot", server=NEW_SERVER_ID)
        self.assertEqual({"reboot": {"type": "SOFT"}}, sent[0]["body"])
        _, sent = self.ok("nova.servers_start", server=NEW_SERVER_ID)
        self.assertEqual({"os-start": None}, sent[0]["body"])

        attached, sent = self.ok("nova.volumes_create_server_volume", server_id=NEW_SERVER_ID, volume_id="vol-1")
        self.assertEqual("/dev/vdb", attached["device"])
        # novaclient sends delete_on_termination only when it is true
        self.assertEqual({"volumeAttachment": {"volumeId": "vol-1"}}, sent[0]["body"])
        _, sent = self.ok("nova.volumes_create_server_volume", server_id=NEW_SERVER_ID, volume_id="vol-1",
                          delete_on_termination=True, device=None)
        self.assertEqual({"volumeAttachment": {"volumeId": "vol-1", "delete_on_termination": True}},
                         sent[0]["body"])

        self.assertIsNone(self.ok("nova.servers_delete", server=NEW_SERVER_ID)[0])

    def test_null_body_parameters_as_the_clients_send_them(self):
        # cinderclient: every field of the volume, unset ones null, metadata {}
        # (the full body is checked in test_cinder_heat_keystone_ironic_zaqar);
        # group_id and scheduler hints only when set
        _, sent = self.ok("cinder.volumes_create", size=2, group_id="g-1", scheduler_hints={"same_host": ["v-0"]},
                          user_id="ignored", metadata={"k": "v"})
        self.assertEqual(("g-1", {"k": "v"}, None), (sent[0]["body"]["volume"]["group_id"],
                                                     sent[0]["body"]["volume"]["metadata"],
                                                     sent[0]["body"]["volume"]["name"]))
        self.assertEqual({"same_host": ["v-0"]}, sent[0]["body"]["OS-SCH-HNT:scheduler_hints"])
        self.assertNotIn("user_id", sent[0]["body"]["volume"])
        snap, sent = self.ok("cinder.volume_snapshots_create", volume_id=openstack_double.VOLUMES[0]["id"])
        self.assertEqual({"snapshot": {"volume_id": openstack_double.VOLUMES[0]["id"], "force": False, "name": None,
                                       "description": None, "metadata": {}}}, sent[0]["body"])
        self.assertEqual("creating", snap["status"])
        # novaclient: a flavor id of "auto" is sent as null (nova picks one);
        # the description only when set
        flavor, sent = self.ok("nova.flavors_create", name="m1.big", ram=4096, vcpus=2, disk=40)
        self.assertEqual({"flavor": {"name": "m1.big", "ram": 4096, "vcpus": 2, "disk": 40, "id": None, "swap": 0,
                                     "OS-FLV-EXT-DATA:ephemeral": 0, "rxtx_factor": 1.0,
                                     "os-flavor-access:is_public": True}}, sent[0]["body"])
        self.assertTrue(flavor["id"])
        # servers.update: a description of "" clears it (null); nothing given, nothing sent
        server, sent = self.ok("nova.servers_update", server=SERVER_2["id"], description="")
        self.assertEqual(("PUT", {"server": {"description": None}}), (sent[0]["method"], sent[0]["body"]))
        self.assertIsNone(server["description"])
        self.assertEqual((None, []), self.ok("nova.servers_update", server=SERVER_2["id"]))
        # servers.create sends no null, and leaves out what is empty
        _, sent = self.ok("nova.servers_create", name="vm-c", image="img-1", flavor="2", key_name="",
                          availability_zone=None, block_device_mapping_v2=[{"uuid": "vol-1", "boot_index": 1}])
        self.assertEqual({"server": {"name": "vm-c", "imageRef": "img-1", "flavorRef": "2", "min_count": 1,
                                     "max_count": 1, "block_device_mapping_v2": [
                                         {"uuid": "img-1", "source_type": "image", "destination_type": "local",
                                          "boot_index": 0, "delete_on_termination": True},
                                         {"uuid": "vol-1", "boot_index": 1}]}}, sent[0]["body"])
        # **kwargs bodies (heat, glance, ironic, mistral): what the caller gave, nulls included
        _, sent = self.ok("heat.stacks_create", stack_name="s1", template={"heat_template_version": "2021-04-16"},
                          environment=None)
        self.assertEqual({"stack_name": "s1", "template": {"heat_template_version": "2021-04-16"},
                          "environment": None}, sent[0]["body"])

    def test_listings_follow_pages(self):
        # neutronclient's retrieve_all: the "next" links, each page's query in place of the caller's
        nets, sent = self.ok("neutron.list_networks", limit=1)
        self.assertEqual({"networks": openstack_double.NETWORKS}, nets)  # the links are not kept
        self.assertEqual(["limit=1", "limit=1&marker=" + openstack_double.NETWORKS[0]["id"]],
                         [r["query"] for r in sent])
        self.assertEqual(["/network/v2.0/networks"] * 2, [r["path"] for r in sent])
        # retrieve_all=false: the client's page iterator, serialised by Mistral as the list of the pages' bodies
        pages, sent = self.ok("neutron.list_networks", limit=1, retrieve_all=False)
        self.assertEqual([[openstack_double.NETWORKS[0]], [openstack_double.NETWORKS[1]]],
                         [p["networks"] for p in pages])
        self.assertEqual(["next"], [link["rel"] for link in pages[0]["networks_links"]])
        self.assertEqual(2, len(sent))
        # tackerclient likewise (its paths end in .json)
        vims, sent = self.ok("tacker.list_vims")
        self.assertEqual({"vims": [openstack_double.VIM, openstack_double.VIM_2]}, vims)
        self.assertEqual([("/nfv-orchestration/v1.0/vims.json", ""),
                          ("/nfv-orchestration/v1.0/vims.json", "limit=1&marker=" + openstack_double.VIM["id"])],
                         [(r["path"], r["query"]) for r in sent])
        # designate: links.next merged into the criterion, unless one page is asked for (marker, limit)
        zones, sent = self.ok("designate.zones_list")
        self.assertEqual([openstack_double.ZONE, openstack_double.ZONE_2], zones)
        self.assertEqual(["", "limit=1&marker=" + openstack_double.ZONE["id"]], [r["query"] for r in sent])
        zones, sent = self.ok("designate.zones_list", limit=1)
        self.assertEqual(([openstack_double.ZONE], ["limit=1"]), (zones, [r["query"] for r in sent]))

    def test_designate_takes_names(self):
        zone_id, rs_id = openstack_double.ZONE["id"], openstack_double.RECORDSET["id"]
        # a zone that is not a UUID is a name: looked up with ?name=, then used by id
        zone, sent = self.ok("designate.zones_get", zone="example.org.")
        self.assertEqual(openstack_double.ZONE, zone)
        self.assertEqual([("/dns/v2/zones", "name=example.org."), ("/dns/v2/zones/" + zone_id, "")],
                         [(r["path"], r["query"]) for r in sent])
        # a recordset by name, within the zone (by name too)
        rs, sent = self.ok("designate.recordset_get", zone="example.org.", recordset="www.example.org.")
        self.assertEqual(openstack_double.RECORDSET, rs)
        self.assertEqual([("/dns/v2/zones", "name=example.org."),
                          ("/dns/v2/zones/%s/recordsets" % zone_id, "name=www.example.org."),
                          ("/dns/v2/zones/%s/recordsets/%s" % (zone_id, rs_id), "")],
                         [(r["path"], r["query"]) for r in sent])
        # UUIDs are used as they are
        self.assertEqual(1, len(self.ok("designate.recordset_get", zone=zone_id, recordset=rs_id)[1]))
        # recordsets.create with a zone name reads the zone (zones.get), then posts under its id
        _, sent = self.ok("designate.recordset_create", zone="example.org.", name="db.example.org.", type_="A",
                          records=["10.1.0.3"])
        self.assertEqual([("GET", "/dns/v2/zones"), ("GET", "/dns/v2/zones/" + zone_id),
                          ("POST", "/dns/v2/zones/%s/recordsets" % zone_id)],
                         [(r["method"], r["path"]) for r in sent])
        _, sent = self.ok("designate.zones_update", zone="example.org.", values={"ttl": 60})
        self.assertEqual(("PATCH", "/dns/v2/zones/" + zone_id), (sent[1]["method"], sent[1]["path"]))
        # designateclient's lookup errors
        self.assertIn("zones.get.zones.get failed: Name nope. didn't resolve",
                      self.error("designate.zones_get", zone="nope."))
        self.assertIn("zones.delete.zones.delete failed: Multiple matches found for twins., please use ID instead.",
                      self.error("designate.zones_delete", zone="twins."))
        self.assertIn("recordsets.delete.recordsets.delete failed: Name ftp didn't resolve",
                      self.error("designate.recordset_delete", zone=zone_id, recordset="ftp"))

    def test_barbican_create_and_retrieve(self):
        secret_ref = openstack_double.SECRET["secret_ref"]
        # containers.create + store(): a generic container of the named secrets (names in lower case)
        ref, sent = self.ok("barbican.containers_create", name="tls",
                            secrets={"Certificate": secret_ref, "private_key": {"secret_ref": secret_ref}})
        self.assertEqual(openstack_double.CONTAINER_REF, ref)
        self.assertEqual(("POST", "/key-manager/v1/containers", {
            "name": "tls", "type": "generic", "secret_refs": [{"name": "certificate", "secret_ref": secret_ref},
                                                              {"name": "private_key", "secret_ref": secret_ref}]}),
            (sent[0]["method"], sent[0]["path"], sent[0]["body"]))
        _, sent = self.ok("barbican.containers_create")
        self.assertEqual({"type": "generic", "secret_refs": []}, sent[0]["body"])
        self.assertIn("containers.create.containers.create failed: One or more of the provided secrets are not "
                      "valid Secret objects!", self.error("barbican.containers_create", secrets={"a": 1}))
        # orders.create + submit(): {"type", "meta"}, the order's fields that are set
        ref, sent = self.ok("barbican.orders_create", type="key", name="k1", algorithm="aes", bit_length=256,
                            mode="cbc", payload_content_type="application/octet-stream", expiration=None)
        self.assertEqual(openstack_double.ORDER_REF, ref)
        self.assertEqual(("POST", "/key-manager/v1/orders", {"type": "key", "meta": {
            "name": "k1", "algorithm": "aes", "bit_length": 256, "payload_content_type": "application/octet-stream",
            "mode": "cbc"}}), (sent[0]["method"], sent[0]["path"], sent[0]["body"]))
        _, sent = self.ok("barbican.orders_create", type="asymmetric", algorithm="rsa", bit_length=2048,
                          passphrase="pw", mode="ignored")
        self.assertEqual({"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 2048,
                                                         "pass_phrase": "pw"}}, sent[0]["body"])
        self.assertIn("orders.create.orders.create failed: No Order type provided",
                      self.error("barbican.orders_create", name="x"))
        self.assertIn("failed: Unknown Order type \"symmetric\"", self.error("barbican.orders_create", type="symmetric"))
        self.assertIn("failed: KeyOrder.__init__() got an unexpected keyword argument 'colour'",
                      self.error("barbican.orders_create", type="key", colour="red"))
        # secrets_retrieve: the payload, in the secret's default content type read from its metadata
        payload, sent = self.ok("barbican.secrets_retrieve", secret_ref=secret_ref)
        self.assertEqual(openstack_double.SECRET_PAYLOAD, payload)
        secret_path = "/key-manager/v1/secrets/" + secret_ref.rsplit("/", 1)[1]
        self.assertEqual([(secret_path, "application/json"), (secret_path + "/payload", "text/plain")],
                         [(r["path"], r["headers"]["accept"]) for r in sent])

    def test_neutron_returns_the_bodies(self):
        nets, sent = self.ok("neutron.list_networks", **{"router:external": True})
        self.assertEqual({"networks": [openstack_double.NETWORKS[1]]}, nets)
        self.assertEqual(("/network/v2.0/networks", "router%3Aexternal=True"), (sent[0]["path"], sent[0]["query"]))
        self.assertEqual({"subnets": openstack_double.SUBNETS}, self.ok("neutron.list_subnets")[0])
        fip, sent = self.ok("neutron.create_floatingip", body={"floatingip": {"floating_network_id": "ext"}})
        self.assertEqual({"floatingip": {"floating_network_id": "ext"}}, sent[0]["body"])
        self.assertEqual("ext", fip["floatingip"]["floating_network_id"])
        missing = self.error("neutron.show_network", network="nope")
        self.assertIn("show_network.show_network failed: Network nope could not be found. (HTTP 404)", missing)

    def test_glance_follows_pages(self):
        images, sent = self.ok("glance.images_list")
        self.assertEqual(openstack_double.IMAGES, images)
        self.assertEqual(["limit=20", "limit=20&marker=" + images[0]["id"]], [r["query"] for r in sent])
        self.assertEqual(["/image/v2/images"] * 2, [r["path"] for r in sent])
        self.assertEqual(images[1], self.ok("glance.images_get", image_id=images[1]["id"])[0])

    def test_glance_image_data(self):
        image = openstack_double.IMAGES[0]
        chunks, sent = self.ok("glance.images_data", image_id=image["id"])
        # glanceclient's iterator of 64 KiB chunks, as Mistral serialises it
        self.assertEqual([65536, 100000 - 65536], [len(c) for c in chunks])
        self.assertEqual(openstack_double.IMAGE_DATA.decode(), "".join(chunks))
        self.assertEqual(["/image/v2/images/" + image["id"], "/image/v2/images/%s/file" % image["id"]],
                         [r["path"] for r in sent])
        # without the check, the image is not read first
        _, sent = self.ok("glance.images_data", image_id=image["id"], do_checksum=False)
        self.assertEqual(["/image/v2/images/%s/file" % image["id"]], [r["path"] for r in sent])
        # a download whose hash is not the image's fails with the client's text
        other = openstack_double.IMAGES[1]
        self.assertIn("images.data.images.data failed: [Errno 32] Corrupt image download. Hash was %s expected %s"
                      % (hashlib.sha512(openstack_double.IMAGE_DATA).hexdigest(), other["os_hash_value"]),
                      self.error("glance.images_data", image_id=other["id"]))

    def test_cinder_heat_keystone_ironic_zaqar(self):
        volumes, sent = self.ok("cinder.volumes_list")
        self.assertEqual(openstack_double.VOLUMES, volumes)
        self.assertEqual("/volume/v3/%s/volumes/detail" % PROJECT, sent[0]["path"])
        self.assertEqual("volume 3.0", sent[0]["headers"]["openstack-api-version"])
        volume, sent = self.ok("cinder.volumes_create", size=1, name="scratch")
        self.assertEqual({"volume": {"size": 1, "name": "scratch", "consistencygroup_id": None, "snapshot_id": None,
                                     "description": None, "volume_type": None, "availability_zone": None,
                                     "metadata": {}, "imageRef": None, "source_volid": None, "backup_id": None}},
                         sent[0]["body"])
        self.assertEqual("creating", volume["status"])

        stack, sent = self.ok("heat.stacks_get", stack_id="app")
        self.assertEqual(openstack_double.STACK, stack)
        self.assertEqual(2, len(sent))  # the redirect to /stacks/<name>/<id> is followed
        output, _ = self.ok("heat.stacks_output_show", stack_id="app", output_key="url")
        self.assertEqual({"output": openstack_double.STACK["outputs"][0]}, output)
        self.assertEqual(["app"], [s["stack_name"] for s in self.ok("heat.stacks_list")[0]])

        projects, sent = self.ok("keystone.projects_list")
        self.assertEqual(["demo", "admin"], [p["name"] for p in projects])
        self.assertEqual("/identity/v3/projects", sent[0]["path"])

        nodes, sent = self.ok("ironic.node_list")
        self.assertEqual(openstack_double.NODES, nodes)
        self.assertEqual("latest", sent[0]["headers"]["x-openstack-ironic-api-version"])
        node = openstack_double.NODES[0]["uuid"]
        self.assertEqual("bm-0", self.ok("ironic.node_get", node_id=node)[0]["name"])
        result, sent = self.ok("ironic.node_set_provision_state", node_uuid=node, state="active")
        self.assertIsNone(result)
        self.assertEqual(("PUT", {"target": "active"}), (sent[0]["method"], sent[0]["body"]))

        posted, sent = self.ok("zaqar.queue_post", queue_name="jobs", messages={"body": {"event": "done"}, "ttl": 300})
        self.assertEqual({"messages": [{"body": {"event": "done"}, "ttl": 300}]}, sent[0]["body"])
        self.assertTrue(sent[0]["headers"]["client-id"])
        self.assertEqual(["/v2/queues/jobs/messages/5c6939a80000"], posted["resources"])

    def test_mistral_and_inspector(self):
        env, sent = self.ok("mistral.environments_get", name="prod")
        self.assertEqual(openstack_double.ENVIRONMENT, env)
        self.assertEqual(("/workflow/v2/environments/prod", ""), (sent[0]["path"], sent[0]["query"]))
        self.assertEqual([openstack_double.ENVIRONMENT], self.ok("mistral.environments_list")[0])
        ex, sent = self.ok("mistral.executions_create", wf_identifier="deploy", workflow_input={"size": 3},
                           env={"region": "r1"})
        self.assertEqual({"workflow_name": "deploy", "input": '{"size":3}', "params": '{"env":{"region":"r1"}}'},
                         sent[0]["body"])
        self.assertEqual("RUNNING", ex["state"])
        node = openstack_double.NODES[0]["uuid"]
        self.assertIsNone(self.ok("baremetal_introspection.introspect", node_id=node)[0])
        status, sent = self.ok("baremetal_introspection.get_status", node_id=node)
        self.assertEqual(True, status["finished"])
        self.assertEqual("1.0", sent[0]["headers"]["x-openstack-ironic-inspector-api-version"])

    def test_tacker_barbican(self):
        vnfds, sent = self.ok("tacker.list_vnfds")
        # tackerclient shortens long descriptions in listings
        self.assertEqual({"vnfds": [openstack_double.VNFD, dict(
            openstack_double.VNFD, id="e2c6a1f0-6f1d-4d5e-9c1b-3a4f5e6d7c8b", name="long",
            description="A VNFD whose description ...")]}, vnfds)
        self.assertEqual(("GET", "/nfv-orchestration/v1.0/vnfds.json", ""),
                         (sent[0]["method"], sent[0]["path"], sent[0]["query"]))
        self.assertEqual("x" * 100 + "...", self.ok("tacker.list_vnfs")[0]["vnfs"][0]["error_reason"])
        vnfd, sent = self.ok("tacker.create_vnfd", body={"vnfd": {"name": "vnfd-2", "attributes": {"vnfd": "x"}}})
        self.assertEqual({"vnfd": {"name": "vnfd-2", "attributes": {"vnfd": "x"},
                                   "service_types": [{"service_type": "vnfd"}]}}, sent[0]["body"])
        self.assertEqual(("vnfd-2", ["vnfd"]), (vnfd["vnfd"]["name"], vnfd["vnfd"]["service_types"]))
        vim_id = openstack_double.VIM["id"]
        self.assertEqual({"vim": openstack_double.VIM}, self.ok("tacker.show_vim", vim=vim_id)[0])
        vim, sent = self.ok("tacker.update_vim", vim=vim_id, body={"vim": {"name": "VIM1"}})
        self.assertEqual(("PUT", "/nfv-orchestration/v1.0/vims/%s.json" % vim_id, {"vim": {"name": "VIM1"}}),
                         (sent[0]["method"], sent[0]["path"], sent[0]["body"]))
        self.assertEqual("VIM1", vim["vim"]["name"])
        result, sent = self.ok("tacker.delete_vnf", vnf="vnf-1")
        self.assertIsNone(result)
        self.assertEqual(("DELETE", "/nfv-orchestration/v1.0/vnfs/vnf-1.json", None),
                         (sent[0]["method"], sent[0]["path"], sent[0]["body"]))
        self.assertIn("delete_vim.delete_vim failed: VIM %s is still in use by VNF\ndelete its VNFs first (HTTP 409)"
                      % vim_id, self.error("tacker.delete_vim", vim=vim_id))
        missing = self.error("tacker.show_vnfd", vnfd="nope")
        self.assertIn("show_vnfd.show_vnfd failed: The resource could not be found. (HTTP 404)", missing)

        secrets, sent = self.ok("barbican.secrets_list", algorithm="aes")
        self.assertEqual([openstack_double.SECRET], secrets)
        self.assertEqual(("/key-manager/v1/secrets", "limit=10&offset=0&alg=aes"), (sent[0]["path"], sent[0]["query"]))
        self.assertNotIn("openstack-api-version", sent[0]["headers"])
        ref, sent = self.ok("barbican.secrets_store", name="db-password", payload="s3cr3t", algorithm="aes")
        self.assertEqual(openstack_double.SECRET["secret_ref"], ref)
        self.assertEqual(("POST", {"name": "db-password", "algorithm": "aes", "payload": "s3cr3t",
                                   "payload_content_type": "text/plain"}), (sent[0]["method"], sent[0]["body"]))
        self.assertIn("secrets_store.secrets_store failed: Invalid Payload: Cannot Be Empty String",
                      self.error("barbican.secrets_store", name="x", payload=""))
        state, result, sent = self.run_action("barbican.secrets_store", payload={"a": 1})
        self.assertEqual("ERROR", state)
        self.assertIn("failed: Invalid Payload Type", result)
        self.assertEqual([], [r for r in sent if not r["path"].endswith("/auth/tokens")])  # nothing stored
        secret, sent = self.ok("barbican.secrets_get", secret_ref=ref, payload_content_type="text/plain")
        self.assertEqual(openstack_double.SECRET, secret)
        self.assertEqual(("/key-manager/v1/secrets/" + ref.rsplit("/", 1)[1], ""), (sent[0]["path"], sent[0]["query"]))
        self.assertIsNone(self.ok("barbican.secrets_delete", secret_ref=ref.rsplit("/", 1)[1])[0])
        self.assertEqual([], self.ok("barbican.orders_list")[0])
        self.assertIn("secrets.get.secrets.get failed: Not Found: Secret not found. (HTTP 404)",
                      self.error("barbican.secrets_get", secret_ref="http://barbican/v1/secrets/nope"))

    def test_designate_zones_and_recordsets(self):
        zone_id, rs_id = openstack_double.ZONE["id"], openstack_double.RECORDSET["id"]
        zones, sent = self.ok("designate.zones_list", criterion={"name": "example.org."}, limit=5)
        self.assertEqual([openstack_double.ZONE], zones)
        self.assertEqual(("/dns/v2/zones", "name=example.org.&limit=5"), (sent[0]["path"], sent[0]["query"]))
        zone, sent = self.ok("designate.zones_create", name="example.net.", email="ops@example.net", ttl=600)
        self.assertEqual({"name": "example.net.", "email": "ops@example.net", "ttl": 600, "type": "PRIMARY"},
                         sent[0]["body"])
        self.assertEqual(("example.net.", "PENDING"), (zone["name"], zone["status"]))
        _, sent = self.ok("designate.zones_create", name="example.com.", type_="SECONDARY", email="x@example.com",
                          masters=["192.0.2.1"], description="copy")
        self.assertEqual({"name": "example.com.", "type": "SECONDARY", "masters": ["192.0.2.1"],
                          "description": "copy"}, sent[0]["body"])
        self.assertEqual(openstack_double.ZONE, self.ok("designate.zones_get", zone=zone_id)[0])
        zone, sent = self.ok("designate.zones_update", zone=zone_id, values={"ttl": 300})
        self.assertEqual(("PATCH", {"ttl": 300}), (sent[0]["method"], sent[0]["body"]))
        self.assertEqual(300, zone["ttl"])
        deleted, sent = self.ok("designate.zones_delete", zone=zone_id)
        self.assertEqual(("DELETE", "PENDING"), (deleted["action"], deleted["status"]))
        self.assertNotIn("x-designate-delete-shares", sent[0]["headers"])
        _, sent = self.ok("designate.zones_delete", zone=zone_id, delete_shares=True)
        self.assertEqual("true", sent[0]["headers"]["x-designate-delete-shares"])
        records, sent = self.ok("designate.recordset_list", zone=zone_id)
        self.assertEqual([openstack_double.RECORDSET], records)
        self.assertEqual("/dns/v2/zones/%s/recordsets" % zone_id, sent[0]["path"])
        rs, sent = self.ok("designate.recordset_create", zone=zone_id, name="db.example.org.", type_="A",
                           records=["10.1.0.3"], ttl=60)
        self.assertEqual({"name": "db.example.org.", "type": "A", "records": ["10.1.0.3"], "ttl": 60},
                         sent[0]["body"])
        self.assertEqual(["10.1.0.3"], rs["records"])
        # a relative name is completed with the zone's name, read first
        rs, sent = self.ok("designate.recordset_create", zone=zone_id, name="mail", type_="MX",
                           records=["10 mail.example.org."])
        self.assertEqual([("GET", "/dns/v2/zones/" + zone_id), ("POST", "/dns/v2/zones/%s/recordsets" % zone_id)],
                         [(r["method"], r["path"]) for r in sent])
        self.assertEqual({"name": "mail.example.org.", "type": "MX", "records": ["10 mail.example.org."]},
                         sent[1]["body"])
        self.assertIn("recordsets.create.recordsets.create failed: Could not find Zone (HTTP 404)",
                      self.error("designate.recordset_create", zone="4ce3fc9b-2d7c-4c3c-9b1f-0a1b2c3d4e5f",
                                 name="www", type_="A", records=[]))
        rs, sent = self.ok("designate.recordset_update", zone=zone_id, recordset=rs_id, values={"ttl": 120})
        self.assertEqual(("PUT", "/dns/v2/zones/%s/recordsets/%s" % (zone_id, rs_id), {"ttl": 120}),
                         (sent[0]["method"], sent[0]["path"], sent[0]["body"]))
        self.assertIn("zones.get.zones.get failed: Could not find Zone (HTTP 404)",
                      self.error("designate.zones_get", zone="4ce3fc9b-2d7c-4c3c-9b1f-0a1b2c3d4e5f"))

    def test_octavia_load_balancers_and_members(self):
        lb_id = openstack_double.LOAD_BALANCER["id"]
        lbs, sent = self.ok("octavia.load_balancer_list", name="best_load_balancer")
        self.assertEqual({"loadbalancers": [openstack_double.LOAD_BALANCER], "loadbalancers_links": []}, lbs)
        self.assertEqual(("/load-balancer/v2.0/lbaas/loadbalancers", "name=best_load_balancer"),
                         (sent[0]["path"], sent[0]["query"]))
        self.assertEqual(openstack_double.LOAD_BALANCER, self.ok("octavia.load_balancer_show", lb_id=lb_id)[0])
        body = {"loadbalancer": {"name": "lb-2", "vip_subnet_id": openstack_double.SUBNETS[0]["id"]}}
        lb, sent = self.ok("octavia.load_balancer_create", json=body)
        self.assertEqual(("POST", body, ""), (sent[0]["method"], sent[0]["body"], sent[0]["query"]))
        self.assertEqual("PENDING_CREATE", lb["loadbalancer"]["provisioning_status"])
        result, sent = self.ok("octavia.load_balancer_delete", lb_id=lb_id, cascade=True)
        self.assertIsNone(result)
        self.assertEqual(("DELETE", "/load-balancer/v2.0/lbaas/loadbalancers/" + lb_id, "cascade=True"),
                         (sent[0]["method"], sent[0]["path"], sent[0]["query"]))
        member, sent = self.ok("octavia.member_create", pool_id="pool-1",
                               json={"member": {"address": "10.0.0.12", "protocol_port": 80}})
        self.assertEqual("/load-balancer/v2.0/lbaas/pools/pool-1/members", sent[0]["path"])
        self.assertEqual("10.0.0.12", member["member"]["address"])
        self.assertEqual([openstack_double.MEMBER], self.ok("octavia.member_list", pool_id="pool-1")[0]["members"])
        self.assertIn("load_balancer_show.load_balancer_show failed: Load Balancer nope not found. (HTTP 404)",
                      self.error("octavia.load_balancer_show", lb_id="nope"))

    def manila_ok(self, _action, **inp):
        """A manila action's result and requests, after the version
        discovery each one starts with (GET the root, with the client's
        highest version), which is checked here."""
        result, sent = self.ok(_action, **inp)
        self.assertEqual(("GET", "/share/", "2.95"),
                         (sent[0]["method"], sent[0]["path"], sent[0]["headers"]["x-openstack-manila-api-version"]))
        return result, sent[1:]

    def test_manila_discovers_its_version(self):
        # the highest both serve: the server's when it is lower than the client's, else the client's
        _, sent = self.manila_ok("manila.shares_get", share=openstack_double.SHARE["id"])
        self.assertEqual(("2.84", "share 2.84"), (sent[0]["headers"]["x-openstack-manila-api-version"],
                                                  sent[0]["headers"]["openstack-api-version"]))
        self.double.manila_versions = ("2.0", "2.99")
        _, sent = self.manila_ok("manila.shares_get", share=openstack_double.SHARE["id"])
        self.assertEqual("2.95", sent[0]["headers"]["x-openstack-manila-api-version"])
        # no version fits: manilaclient's UnsupportedVersion texts, and nothing else is sent
        self.double.manila_versions = ("2.96", "3.10")
        state, result, sent = self.run_action("manila.shares_get", share=openstack_double.SHARE["id"])
        self.assertEqual("ERROR", state)
        self.assertIn("shares.get.shares.get failed: The specified version isn't supported by server. "
                      "The valid version range is '2.96' to '3.10'", result)
        self.assertEqual(["/share/"], [r["path"] for r in sent if not r["path"].endswith("/auth/tokens")])
        self.double.manila_versions = ("1.0", "1.5")
        self.assertIn("failed: Server's version is too old. The client's valid version range is '2.0' to '2.95'. "
                      "The server valid version range is '1.0' to '1.5'.",
                      self.error("manila.shares_get", share=openstack_double.SHARE["id"]))
        # a manila without microversions (no CURRENT version): the old API, 1.0
        self.double.manila_versions = ("", "")
        _, sent = self.manila_ok("manila.shares_get", share=openstack_double.SHARE["id"])
        self.assertEqual("1.0", sent[0]["headers"]["x-openstack-manila-api-version"])

    def test_manila_shares_networks_snapshots(self):
        share_id = openstack_double.SHARE["id"]
        shares, sent = self.manila_ok("manila.shares_list", search_opts={"status": "available", "name": "", "limit": 5},
                               sort_key="name")
        self.assertEqual([openstack_double.SHARE], shares)
        self.assertEqual(("/share/v2/%s/shares/detail" % PROJECT, "limit=5&sort_key=name&status=available"),
                         (sent[0]["path"], sent[0]["query"]))
        self.assertEqual("2.84", sent[0]["headers"]["x-openstack-manila-api-version"])
        self.assertEqual("/share/v2/%s/shares" % PROJECT, self.manila_ok("manila.shares_list", detailed=False)[1][0]["path"])
        share, sent = self.manila_ok("manila.shares_create", share_proto="NFS", size=1, name="share_Paris",
                              share_network=openstack_double.SHARE_NETWORK["id"])
        self.assertEqual({"share": {"size": 1, "snapshot_id": None, "name": "share_Paris", "description": None,
                                    "metadata": {}, "share_proto": "NFS",
                                    "share_network_id": openstack_double.SHARE_NETWORK["id"], "share_type": None,
                                    "is_public": False, "availability_zone": None, "scheduler_hints": {}}},
                         sent[0]["body"])
        self.assertEqual(("share_Paris", "creating"), (share["name"], share["status"]))
        self.assertEqual(openstack_double.SHARE, self.manila_ok("manila.shares_get", share=share_id)[0])
        share, sent = self.manila_ok("manila.shares_update", share=share_id, display_description="new")
        self.assertEqual(("PUT", {"share": {"display_description": "new"}}), (sent[0]["method"], sent[0]["body"]))
        self.assertEqual((None, []), self.manila_ok("manila.shares_update", share=share_id))  # nothing to change
        self.assertIsNone(self.manila_ok("manila.shares_delete", share=share_id)[0])
        net, sent = self.manila_ok("manila.share_networks_create", name="net_my2", description="",
                            neutron_net_id=openstack_double.NETWORKS[0]["id"])
        self.assertEqual({"share_network": {"name": "net_my2", "neutron_net_id": openstack_double.NETWORKS[0]["id"]}},
                         sent[0]["body"])
        self.assertEqual("net_my2", net["name"])
        self.assertEqual([openstack_double.SHARE_SNAPSHOT], self.manila_ok("manila.share_snapshots_list")[0])
        snap, sent = self.manila_ok("manila.share_snapshots_create", share=share_id, name="snap-2")
        self.assertEqual({"snapshot": {"share_id": share_id, "force": False, "name": "snap-2", "description": None}},
                         sent[0]["body"])
        self.assertIn("share_networks.update.share_networks.update failed: Must specify fields to be updated",
                      self.error("manila.share_networks_update", share_network=openstack_double.SHARE_NETWORK["id"]))
        self.assertEqual("creating", snap["status"])
        self.assertIn("shares.get.shares.get failed: Share nope could not be found. (HTTP 404)",
                      self.error("manila.shares_get", share="nope"))

    def test_swift_pairs_and_headers(self):
        account, sent = self.ok("swift.get_account")
        self.assertEqual([{"name": "photos", "count": 1, "bytes": 4}], account[1])
        self.assertEqual("1", account[0]["x-account-container-count"])
        self.assertEqual("format=json", sent[0]["query"])
        self.assertEqual("/object-store/v1/AUTH_" + PROJECT, sent[0]["path"])
        self.assertIsNone(self.ok("swift.put_container", container="photos")[0])
        etag, sent = self.ok("swift.put_object", container="photos", obj="dog.jpg", contents="woof",
                             content_type="image/jpeg")
        self.assertEqual("d41d8cd98f00b204e9800998ecf8427e", etag)
        self.assertEqual(("PUT", "woof", "image/jpeg"),
                         (sent[0]["method"], sent[0]["body"], sent[0]["headers"]["content-type"]))
        listing, _ = self.ok("swift.get_container", container="photos")
        self.assertEqual(["cat.jpg", "dog.jpg"], [o["name"] for o in listing[1]])
        full, sent = self.ok("swift.get_container", container="photos", full_listing=True)
        self.assertEqual(["cat.jpg", "dog.jpg"], [o["name"] for o in full[1]])
        self.assertEqual("format=json&marker=dog.jpg", sent[-1]["query"])
        headers, body = self.ok("swift.get_object", container="photos", obj="cat.jpg")[0]
        self.assertEqual(("meow", "image/jpeg"), (body, headers["content-type"]))
        self.assertEqual("2", self.ok("swift.head_container", container="photos")[0]["x-container-object-count"])
        _, sent = self.ok("swift.copy_object", container="photos", obj="cat.jpg", destination="/photos/kitten.jpg")
        self.assertEqual(("COPY", "/photos/kitten.jpg"), (sent[0]["method"], sent[0]["headers"]["destination"]))
        self.assertIsNone(self.ok("swift.delete_object", container="photos", obj="kitten.jpg")[0])
        missing = self.error("swift.head_container", container="nope")
        self.assertIn("head_container.head_container failed: Container HEAD failed: ", missing)
        self.assertIn("/object-store/v1/AUTH_%s/nope 404 Not Found" % PROJECT, missing)

    def test_generic_request_region_and_errors(self):
        result, sent = self.ok("openstack.request", service_type="compute", path="/flavors", microversion="2.60")
        self.assertEqual(200, result["status"])
        self.assertEqual(["m1.tiny", "m1.small"], [f["name"] for f in result["body"]["flavors"]])
        self.assertEqual("2.60", sent[0]["headers"]["x-openstack-nova-api-version"])
        state, result, _ = self.run_action("openstack.request", service_type="compute", path="/servers/nope")
        self.assertEqual(("ERROR", 404), (state, result["status"]))
        nowhere = self.error("nova.servers_list", action_region="Nowhere")
        self.assertIn("No endpoints found [service_name=None, service_type=['compute'], region_name=Nowhere, "
                      "interface=public]", nowhere)

    def test_example_workflow_vm_with_floating_ip(self):
        with open(EXAMPLE) as f:
            status, body, _ = self.server.request("POST", "/v2/workflows", f.read(), content_type="text/plain")
        self.assertEqual(201, status, body)
        status, ex, _ = self.server.request("POST", "/v2/executions", {
            "workflow_name": "create_vm_with_floating_ip",
            "input": json.dumps({"vm_name": "web-3", "image_id": "img-1", "flavor_id": "2",
                                 "network_id": openstack_double.NETWORKS[0]["id"]})})
        self.assertEqual(201, status, ex)
        deadline = time.time() + 30
        while time.time() < deadline:
            status, ex, _ = self.server.request("GET", "/v2/executions/" + ex["id"])
            if ex["state"] not in ("RUNNING", "IDLE"):
                break
            time.sleep(0.05)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        self.assertEqual({"server_id": NEW_SERVER_ID, "port_id": openstack_double.PORT["id"],
                          "floating_ip": "172.24.4.228"}, json.loads(ex["output"]))
        self.assertEqual(openstack_double.PORT["id"], self.double.floating["port_id"])

    def wait_execution(self, ex_id, timeout=40):
        deadline = time.time() + timeout
        while time.time() < deadline:
            status, ex, _ = self.server.request("GET", "/v2/executions/" + ex_id)
            if ex["state"] not in ("RUNNING", "IDLE"):
                return ex
            time.sleep(0.05)
        self.fail("execution %s did not end" % ex_id)

    def test_preinstalled_workflows_create_and_delete_instance(self):
        # mistral-extra's system workflows, as populate registers them:
        # public, default namespace, the default project's; no one changes
        # or deletes them.
        status, body, _ = self.server.request("GET", "/v2/workflows?fields=name,scope,namespace,input,project_id")
        self.assertEqual(200, status, body)
        mine = {w["name"]: w for w in body["workflows"] if w["name"] in ("create_instance", "delete_instance")}
        self.assertEqual({"create_instance", "delete_instance"}, set(mine))
        self.assertEqual(("public", "", "name, image, flavor, keypair, network"),
                         (mine["create_instance"]["scope"], mine["create_instance"]["namespace"],
                          mine["create_instance"]["input"]))
        self.assertEqual("instance_id", mine["delete_instance"]["input"])
        status, body, _ = self.server.request("DELETE", "/v2/workflows/create_instance")
        self.assertEqual(400, status, body)
        self.assertIn("Can not modify a system WorkflowDefinition resource", body["faultstring"])
        status, body, _ = self.server.request("PUT", "/v2/workflows", "version: '2.0'\ncreate_instance:\n  tasks:\n"
                                              "    t:\n      action: std.noop\n", content_type="text/plain")
        self.assertEqual(400, status, body)

        self.double.take_requests()
        status, ex, _ = self.server.request("POST", "/v2/executions", {
            "workflow_name": "create_instance",
            "input": json.dumps({"name": "vm-c", "image": "cirros-0.6.2", "flavor": "m1.small", "keypair": "ops",
                                 "network": "private"})})
        self.assertEqual(201, status, ex)
        ex = self.wait_execution(ex["id"])
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        self.assertEqual({"id": NEW_SERVER_ID, "name": "vm-c", "status": "ACTIVE"}, json.loads(ex["output"]))
        boot = [r for r in self.double.take_requests() if r["method"] == "POST" and r["path"].endswith("/servers")]
        self.assertEqual(1, len(boot))
        self.assertEqual({"name": "vm-c", "imageRef": openstack_double.IMAGES[0]["id"], "flavorRef": "2",
                          "key_name": "ops", "min_count": 1, "max_count": 1,
                          "networks": [{"uuid": openstack_double.NETWORKS[0]["id"]}]}, boot[0]["body"]["server"])

        status, ex, _ = self.server.request("POST", "/v2/executions", {
            "workflow_name": "delete_instance", "input": json.dumps({"instance_id": NEW_SERVER_ID})})
        self.assertEqual(201, status, ex)
        ex = self.wait_execution(ex["id"])  # a wait-after of 10 s, as mistral-extra's
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        self.assertNotIn(NEW_SERVER_ID, self.double.servers)


def peak_rss_mib(pids):
    """The highest VmHWM (peak resident memory) among the processes, in MiB."""
    peak = 0
    for pid in pids:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) // 1024)
        except OSError:
            pass
    return peak


def children(pid):
    """The processes the server started: the pack's workers."""
    out = []
    for task in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/children" % (pid, task)) as f:
            out += [int(c) for c in f.read().split()]
    return out


@unittest.skipUnless(os.path.exists(PACK),
                     "the OpenStack pack is not built next to this bora binary")
class LargeBodies(Harness):
    """Objects of several MiB go up and come down without the pack (in its
    worker process) holding copy after copy of them, and a download past
    [executor] http_max_response_kb stops there with a clear error."""
    options = "[engine]\nexecution_field_size_limit_kb = -1\n"
    executor_options = "http_max_response_kb = 12288\n"
    SIZE = 8 << 20

    def test_multi_mib_object_up_and_down(self):
        self.ok("swift.put_container", container="photos")  # the pack's worker is started
        base = peak_rss_mib(children(self.server.proc.pid))
        data = "".join(chr(ord("a") + i % 26) for i in range(4096)) * (self.SIZE // 4096)
        # down first (peaks only grow): the double holds the object
        self.double.objects[("photos", "big")] = data.encode()
        (headers, body), _ = self.ok("swift.get_object", container="photos", obj="big")
        self.assertEqual((self.SIZE, data), (len(body), body))
        down = peak_rss_mib(children(self.server.proc.pid)) - base
        # measured: 33 MiB for 8 MiB (4 copies: the host's read, its answer
        # to the pack, the pack's parse, the result); 40 before the pack
        # read the body in place
        if not SANITIZED:  # a sanitizer's shadow memory and quarantine make peaks mean nothing
            self.assertLess(down, 5 * self.SIZE >> 20, "a download of 8 MiB raised the worker's peak by %d MiB" % down)
        etag, sent = self.ok("swift.put_object", container="photos", obj="big2", contents=data)
        self.assertEqual((self.SIZE, data), (len(sent[0]["body"]), sent[0]["body"]))
        up = peak_rss_mib(children(self.server.proc.pid)) - base
        # measured: 56 MiB for 8 MiB (7 copies: the worker's request, its
        # parse, the pack's input, its parse, the request to the host, the
        # host's parse); 89 before the body went by reference
        if not SANITIZED:
            self.assertLess(up, 8 * self.SIZE >> 20, "an upload of 8 MiB raised the worker's peak by %d MiB" % up)
        # past the limit: the transfer stops, the action fails saying why
        self.double.objects[("photos", "huge")] = b"x" * (13 << 20)
        error = self.error("swift.get_object", container="photos", obj="huge")
        self.assertIn("get_object.get_object failed: the action pack's request: the response of ", error)
        self.assertIn("is larger than 12288 KiB, the most an action may read ([executor] http_max_response_kb)", error)


@unittest.skipUnless(os.path.exists(PACK),
                     "the OpenStack pack is not built next to this bora binary")
class InternalInterfaceWithCatalog(Harness):
    """The catalog comes with the context (Keystone is not asked) and
    [openstack] interface picks the internal endpoints."""
    options = "interface = internal\n"
    with_catalog = True

    def test_internal_endpoint_and_no_token_lookup(self):
        _, _, sent = self.run_action("nova.servers_list")
        self.assertEqual(["/internal/compute/v2.1/servers/detail"], [r["path"] for r in sent])


@unittest.skipUnless(os.path.exists(PACK),
                     "the OpenStack pack is not built next to this bora binary")
class ReachRulesApply(Harness):
    """[executor] denied_networks applies to the pack's HTTP as to std.http."""
    with_catalog = True

    @classmethod
    def setUpClass(cls):
        cls.options = ""
        super().setUpClass()

    def test_denied_network(self):
        self.server.cleanup()
        conf = os.path.join(self.tmp, "bora.conf")
        with open(conf) as f:
            text = f.read()
        with open(conf, "w") as f:
            f.write(text.replace("[executor]\n", "[executor]\ndenied_networks = 127.0.0.0/8\n"))
        type(self).server = BoraServer(["--config", conf]).start()
        denied = self.error("nova.servers_list")
        self.assertIn("may not connect to", denied)
        self.assertIn("127.0.0.0/8, which [executor] denied_networks denies", denied)
        self.assertEqual([], self.double.take_requests())


@unittest.skipUnless(os.path.exists(PACK),
                     "the OpenStack pack is not built next to this bora binary")
class NoIdentity(Harness):
    """Without a token (authentication off, no test context) the actions
    fail saying so, and nothing is sent."""
    security = False

    def test_no_token(self):
        missing = self.error("nova.servers_list")
        self.assertIn("the execution has no authentication token to call OpenStack with", missing)
        self.assertEqual([], self.double.take_requests())


if __name__ == "__main__":
    unittest.main()
