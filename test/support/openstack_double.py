"""A test double of an OpenStack cloud, on one loopback HTTP port: a
Keystone-like token endpoint that returns the catalog of the double's
services (compute, network, image, block-storage, orchestration, identity,
object-store, baremetal, messaging, workflowv2, baremetal-introspection,
nfv-orchestration, key-manager, dns, load-balancer, sharev2), and each service's answers recorded
from the services' API references (the example bodies of
docs.openstack.org/api-ref), with just enough state for a workflow to
create a server, see it ACTIVE and attach a floating IP.

Every request is recorded (method, path, query, headers, body) so that a
test checks exactly what an action sent. Python standard library only;
loopback only; stopped by the test (close())."""

import hashlib
import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "gAAAAABdouble-token"
PROJECT = "8d8c5e8a1f2b4c5d9e0f1a2b3c4d5e6f"
REGION = "RegionOne"

SERVER_1 = {
    "id": "9168b536-cd40-4630-b43f-b259807c6e87", "name": "web-1", "status": "ACTIVE",
    "tenant_id": PROJECT, "user_id": "fake", "metadata": {"role": "web"},
    "addresses": {"private": [{"addr": "10.0.0.11", "version": 4, "OS-EXT-IPS:type": "fixed",
                               "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01"}]},
    "flavor": {"original_name": "m1.small", "vcpus": 1, "ram": 2048, "disk": 20},
    "image": {"id": "70a599e0-31e7-49b7-b260-868f441e862b"},
    "links": [{"rel": "self", "href": "http://openstack.example.com/v2.1/servers/9168b536"}],
}
SERVER_2 = dict(SERVER_1, id="2ce4c5b3-2866-4972-93ce-77a2ea46a7f9", name="db-1", metadata={"role": "db"},
                addresses={"private": [{"addr": "10.0.0.12", "version": 4, "OS-EXT-IPS:type": "fixed"}]})
SERVER_3 = dict(SERVER_1, id="c7e3f6e5-7a76-4ce5-bd77-44d1bbb7c3b4", name="web-2")
FLAVORS = [
    {"id": "1", "name": "m1.tiny", "ram": 512, "vcpus": 1, "disk": 1, "os-flavor-access:is_public": True},
    {"id": "2", "name": "m1.small", "ram": 2048, "vcpus": 1, "disk": 20, "os-flavor-access:is_public": True},
]
NETWORKS = [
    {"id": "db193ab3-96e3-4cb3-8fc5-05f4296d0324", "name": "private", "status": "ACTIVE", "router:external": False,
     "subnets": ["54d6f61d-db07-451c-9ab3-b9609b6b6f0b"], "tenant_id": PROJECT, "project_id": PROJECT},
    {"id": "376da547-b977-4cfe-9cba-275c80debf57", "name": "public", "status": "ACTIVE", "router:external": True,
     "subnets": ["08eae331-0402-425a-923c-34f7cfe39c1b"], "tenant_id": PROJECT, "project_id": PROJECT},
]
SUBNETS = [{"id": "54d6f61d-db07-451c-9ab3-b9609b6b6f0b", "name": "private-subnet", "cidr": "10.0.0.0/24",
            "ip_version": 4, "network_id": NETWORKS[0]["id"]}]
IMAGES = [
    {"id": "70a599e0-31e7-49b7-b260-868f441e862b", "name": "cirros-0.6.2", "status": "active",
     "disk_format": "qcow2", "container_format": "bare", "visibility": "public", "size": 21430272,
     "tags": [], "self": "/v2/images/70a599e0-31e7-49b7-b260-868f441e862b"},
    {"id": "1bea47ed-f6a9-463b-b423-14b9cca9ad27", "name": "debian-12", "status": "active",
     "disk_format": "qcow2", "container_format": "bare", "visibility": "public", "size": 353763328,
     "tags": ["lts"], "self": "/v2/images/1bea47ed-f6a9-463b-b423-14b9cca9ad27"},
]
# The images' data: the first image's matches its hashes, the second's
# does not (a corrupt download).
IMAGE_DATA = ("0123456789" * 10000).encode()
IMAGES[0].update(checksum=hashlib.md5(IMAGE_DATA).hexdigest(), os_hash_algo="sha512",
                 os_hash_value=hashlib.sha512(IMAGE_DATA).hexdigest())
IMAGES[1].update(checksum=hashlib.md5(b"other").hexdigest(), os_hash_algo="sha512",
                 os_hash_value=hashlib.sha512(b"other").hexdigest())
VOLUMES = [{"id": "6edbc2f4-1507-44f8-ac0d-eed1d2608d38", "name": "data", "size": 10, "status": "available",
            "attachments": [], "bootable": "false", "volume_type": "lvmdriver-1"}]
STACK = {"id": "3095aefc-09fb-4bc7-b1f0-f21a304e864c", "stack_name": "app", "stack_status": "CREATE_COMPLETE",
         "outputs": [{"output_key": "url", "output_value": "http://10.0.0.11/", "description": "The URL"}],
         "parameters": {"flavor": "m1.small"},
         "links": [{"href": "http://heat/v1/%s/stacks/app/3095aefc" % PROJECT, "rel": "self"}]}
PROJECTS = [{"id": PROJECT, "name": "demo", "domain_id": "default", "enabled": True, "parent_id": "default",
             "is_domain": False, "description": "", "tags": [], "links": {"self": "http://keystone/v3/projects/"}},
            {"id": "a1b2", "name": "admin", "domain_id": "default", "enabled": True, "parent_id": "default",
             "is_domain": False, "description": "", "tags": [], "links": {"self": "http://keystone/v3/projects/"}}]
NODES = [{"uuid": "1be26c0b-03f2-4d2e-ae87-c02d7f33c123", "name": "bm-0", "power_state": "power off",
          "provision_state": "available", "maintenance": False, "instance_uuid": None,
          "links": [{"href": "http://ironic/v1/nodes/1be26c0b", "rel": "self"}]}]
FLOATING_IP = {"id": "2f245a7b-796b-4f26-9cf9-9e82d248fda7", "floating_ip_address": "172.24.4.228",
               "floating_network_id": NETWORKS[1]["id"], "port_id": None, "fixed_ip_address": None,
               "status": "DOWN", "router_id": None, "tenant_id": PROJECT, "project_id": PROJECT}
ENVIRONMENT = {"id": "a6b7e2b8-3c55-4d0d-9b52-37a2a3d1e6c0", "name": "prod", "description": "",
               "variables": "{\"region\": \"RegionOne\"}", "scope": "private", "project_id": PROJECT,
               "created_at": "2026-01-01 00:00:00", "updated_at": None}
EXECUTION = {"id": "0d5b9b2d-8f2c-4f7c-9a46-0a1f6c4e2a11", "workflow_id": "wf-id", "state": "RUNNING",
             "state_info": None, "description": "", "created_at": "2026-01-01 00:00:00", "updated_at": None}
VNFD = {"id": "5b2f8d1e-8a83-4f6b-9d63-6e1a9a0e3c11", "name": "vnfd-sample", "description": "demo-example",
        "service_types": ["vnfd"], "template_source": "onboarded", "tenant_id": PROJECT,
        "attributes": {"vnfd": "tosca_definitions_version: tosca_simple_profile_for_nfv_1_0_0\n"},
        "created_at": "2026-01-01 00:00:00", "updated_at": None}
VIM = {"id": "6261579e-d6f3-49ad-8bc3-a9cb974778ff", "name": "VIM0", "type": "openstack", "status": "REACHABLE",
       "auth_url": "http://keystone/identity/v3", "tenant_id": PROJECT, "is_default": True,
       "vim_project": {"name": "nfv", "project_domain_name": "Default"}, "placement_attr": {"regions": [REGION]}}
SECRET = {"secret_ref": "http://barbican/v1/secrets/8c9a1a5e-8b5c-4b27-9a74-2f1a9ac6e0d1", "name": "db-password",
          "status": "ACTIVE", "secret_type": "opaque", "algorithm": "aes", "bit_length": 256, "mode": "cbc",
          "content_types": {"default": "text/plain"}, "expiration": None, "creator_id": "u1",
          "created": "2026-01-01T00:00:00.000000", "updated": "2026-01-01T00:00:00.000000"}
ZONE = {"id": "a86dba58-0043-4cc6-a1bb-69d5e86f3ca3", "pool_id": "572ba08c-d929-4c70-8e42-03824bb24ca2",
        "project_id": PROJECT, "name": "example.org.", "email": "joe@example.org", "ttl": 7200,
        "serial": 1404757531, "status": "ACTIVE", "action": "NONE", "description": "This is an example zone.",
        "masters": [], "type": "PRIMARY", "transferred_at": None, "version": 1,
        "created_at": "2026-01-01T00:00:00.000000", "updated_at": None,
        "links": {"self": "http://designate/v2/zones/a86dba58-0043-4cc6-a1bb-69d5e86f3ca3"}}
RECORDSET = {"id": "f7b10e9b-0cae-4a91-b162-562bc6096648", "name": "www.example.org.", "type": "A",
             "records": ["10.1.0.2"], "ttl": 3600, "zone_id": ZONE["id"], "zone_name": "example.org.",
             "project_id": PROJECT, "status": "ACTIVE", "action": "NONE", "version": 1, "description": None,
             "created_at": "2026-01-01T00:00:00.000000", "updated_at": None}
LOAD_BALANCER = {"id": "607226db-27ef-4d41-ae89-f2a800e9c2db", "name": "best_load_balancer", "description": "",
                 "vip_subnet_id": SUBNETS[0]["id"], "vip_address": "10.0.0.50",
                 "vip_port_id": "b4ca07d1-a31e-43e2-891a-7d14f419f342", "provider": "octavia",
                 "provisioning_status": "ACTIVE", "operating_status": "ONLINE", "admin_state_up": True,
                 "project_id": PROJECT, "listeners": [], "pools": [], "flavor_id": None, "tags": []}
MEMBER = {"id": "957a1ace-1bd2-449b-8455-820b6e4b63f3", "name": "web-1", "address": "10.0.0.11",
          "protocol_port": 80, "weight": 1, "subnet_id": SUBNETS[0]["id"], "provisioning_status": "ACTIVE",
          "operating_status": "ONLINE", "admin_state_up": True, "project_id": PROJECT, "backup": False}
SHARE = {"id": "011d21e2-fbc3-4e4a-9993-9ea223f73264", "name": "share_London", "size": 1, "share_proto": "NFS",
         "status": "available", "share_network_id": "713df749-aac0-4a54-af52-10f6c991e80c", "is_public": False,
         "metadata": {"project": "my_app"}, "share_type": "25747776-08e5-494f-ab40-a64b9d20d8f7",
         "availability_zone": "nova", "project_id": PROJECT, "export_locations": [],
         "links": [{"href": "http://manila/v2/%s/shares/011d21e2" % PROJECT, "rel": "self"}]}
SHARE_NETWORK = {"id": "713df749-aac0-4a54-af52-10f6c991e80c", "name": "net_my1", "description": "descr",
                 "neutron_net_id": NETWORKS[0]["id"], "neutron_subnet_id": SUBNETS[0]["id"],
                 "project_id": PROJECT, "created_at": "2026-01-01T00:00:00.000000", "updated_at": None}
SHARE_SNAPSHOT = {"id": "6d221c1d-0200-461e-8d20-24b4776b9ddb", "name": "snapshot_share1", "share_id": SHARE["id"],
                  "status": "available", "size": 1, "share_size": 1, "share_proto": "NFS",
                  "description": "Here is a snapshot of share Share1", "created_at": "2026-01-01T00:00:00.000000"}
ZONE_2 = dict(ZONE, id="b3f1c6a2-5e8d-4f0a-9c7b-2d1e0f3a4b5c", name="example.com.", email="joe@example.com",
              links={"self": "http://designate/v2/zones/b3f1c6a2-5e8d-4f0a-9c7b-2d1e0f3a4b5c"})
VIM_2 = dict(VIM, id="0c8a3b7e-1f2d-4e5a-9b6c-7d8e9f0a1b2c", name="VIM1", is_default=False)
CONTAINER_REF = "http://barbican/v1/containers/3b4c5d6e-7f80-4a1b-9c2d-3e4f5a6b7c8d"
ORDER_REF = "http://barbican/v1/orders/4c5d6e7f-8091-4b2c-8d3e-4f5a6b7c8d9e"
SECRET_PAYLOAD = "s3cr3t"
NEW_SERVER_ID = "f5dc173b-6804-445a-a6d8-c705dad5b5eb"
PORT = {"id": "ce531f90-199f-48c0-816c-13e38010b442", "device_id": NEW_SERVER_ID, "network_id": NETWORKS[0]["id"],
        "fixed_ips": [{"subnet_id": SUBNETS[0]["id"], "ip_address": "10.0.0.21"}], "status": "ACTIVE"}


def not_found_nova(kind, ident):
    return 404, {}, {"itemNotFound": {"code": 404, "message": "%s %s could not be found." % (kind, ident)}}


class OpenStackDouble:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                url = urllib.parse.urlsplit(self.path)
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                record = {"method": self.command, "path": url.path, "query": url.query,
                          "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                with double.lock:
                    double.requests.append(record)
                status, headers, payload = double.answer(record)
                if isinstance(payload, (dict, list)):
                    data = json.dumps(payload).encode()
                    headers.setdefault("Content-Type", "application/json")
                elif isinstance(payload, bytes):
                    data = payload
                else:
                    data = (payload or "").encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("X-Openstack-Request-Id", "req-double-%d" % len(double.requests))
                if self.command != "HEAD" and status not in (204, 304):
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD" and status not in (204, 304):
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_COPY = handle_any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def reset(self):
        """Back to the recorded state (each test starts from it)."""
        with self.lock:
            self.requests = []
            self.servers = {s["id"]: dict(s) for s in (SERVER_1, SERVER_2, SERVER_3)}
            self.floating = dict(FLOATING_IP)
            self.objects = {("photos", "cat.jpg"): b"meow"}
            # manila's CURRENT version range, as GET /share/ lists it
            self.manila_versions = ("2.0", "2.84")

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    # --- what the tests read -------------------------------------------
    def catalog(self, region=REGION):
        def service(type_, name, path):
            return {"type": type_, "name": name, "id": name + "-id", "endpoints": [
                {"interface": "public", "region": region, "region_id": region, "url": self.url + path},
                {"interface": "internal", "region": region, "region_id": region,
                 "url": self.url + "/internal" + path}]}
        return [
            service("compute", "nova", "/compute/v2.1"),
            service("network", "neutron", "/network"),
            service("image", "glance", "/image"),
            service("block-storage", "cinderv3", "/volume/v3/$(project_id)s"),
            service("orchestration", "heat", "/orchestration/v1/%(tenant_id)s"),
            service("identity", "keystone", "/identity"),
            service("object-store", "swift", "/object-store/v1/AUTH_$(project_id)s"),
            service("baremetal", "ironic", "/baremetal"),
            service("messaging", "zaqar", "/messaging"),
            service("workflowv2", "mistral", "/workflow/v2"),
            service("baremetal-introspection", "ironic-inspector", "/inspector"),
            service("nfv-orchestration", "tacker", "/nfv-orchestration"),
            service("key-manager", "barbican", "/key-manager"),
            service("dns", "designate", "/dns"),
            service("load-balancer", "octavia", "/load-balancer"),
            service("sharev2", "manilav2", "/share/v2/$(project_id)s"),
        ]

    def security_context(self, with_catalog=False):
        ctx = {"auth_token": TOKEN, "auth_uri": self.url + "/identity/v3", "project_id": PROJECT,
               "project_name": "demo", "user_id": "u1", "user_name": "demo", "region_name": REGION,
               "insecure": False, "auth_cacert": None, "is_target": False, "is_trust_scoped": False,
               "trust_id": None, "expires_at": "2099-01-01T00:00:00.000000Z", "redelivered": False}
        if with_catalog:
            ctx["service_catalog"] = self.catalog()
        return ctx

    def take_requests(self):
        with self.lock:
            out, self.requests = self.requests, []
        return out

    # --- the recorded answers --------------------------------------------
    def answer(self, r):
        path, method = r["path"], r["method"]
        if path == "/identity/v3/auth/tokens" and method == "GET":
            if r["headers"].get("x-subject-token") != TOKEN:
                return 404, {}, {"error": {"code": 404, "message": "Could not find token.", "title": "Not Found"}}
            return 200, {"X-Subject-Token": TOKEN}, {"token": {
                "catalog": self.catalog(), "project": {"id": PROJECT, "name": "demo", "domain": {"id": "default"}},
                "user": {"id": "u1", "name": "demo"}, "expires_at": "2099-01-01T00:00:00.000000Z",
                "methods": ["password"], "roles": [{"id": "r1", "name": "member"}]}}
        if r["headers"].get("x-auth-token") != TOKEN:
            return 401, {}, {"error": {"code": 401, "title": "Unauthorized",
                                       "message": "The request you have made requires authentication."}}
        if path.startswith("/internal/"):
            path = path[len("/internal"):]
        if path == "/share/" and method == "GET":
            # manila's root: its versions, as a 300 Multiple Choices
            low, high = self.manila_versions
            return 300, {}, {"versions": [
                {"id": "v1.0", "status": "DEPRECATED", "version": "", "min_version": "",
                 "updated": "2015-08-27T11:33:21Z", "links": []},
                {"id": "v2.0", "status": "CURRENT", "version": high, "min_version": low,
                 "updated": "2015-08-27T11:33:21Z", "links": []}]}
        for prefix, handler in (("/compute/v2.1", self.compute), ("/network/v2.0", self.network),
                                ("/image/v2", self.image), ("/volume/v3/" + PROJECT, self.volume),
                                ("/orchestration/v1/" + PROJECT, self.orchestration),
                                ("/identity/v3", self.identity), ("/object-store/v1/AUTH_" + PROJECT, self.swift),
                                ("/baremetal/v1", self.baremetal), ("/messaging/v2", self.messaging),
                                ("/workflow/v2", self.workflow), ("/inspector/v1", self.inspector),
                                ("/nfv-orchestration/v1.0", self.tacker), ("/key-manager/v1", self.barbican),
                                ("/dns/v2", self.designate), ("/load-balancer/v2.0", self.octavia),
                                ("/share/v2/" + PROJECT, self.manila)):
            if path == prefix or path.startswith(prefix + "/"):
                return handler(method, path[len(prefix):], r)
        return 404, {}, {"error": {"message": "no such endpoint in the double: " + path}}

    def compute(self, method, path, r):
        query = urllib.parse.parse_qs(r["query"])
        if method == "GET" and path in ("/servers", "/servers/detail"):
            servers = list(self.servers.values())
            if "name" in query:  # nova filters names by regular expression
                servers = [s for s in servers if re.search(query["name"][0], s["name"])]
            if path == "/servers":
                servers = [{"id": s["id"], "name": s["name"], "links": s["links"]} for s in servers]
            return 200, {}, {"servers": servers}
        if method == "POST" and path == "/servers":
            server = r["body"]["server"]
            self.servers[NEW_SERVER_ID] = dict(SERVER_1, id=NEW_SERVER_ID, name=server["name"], status="ACTIVE",
                                               addresses={"private": [{"addr": "10.0.0.21", "version": 4}]})
            return 202, {"Location": self.url + "/compute/v2.1/servers/" + NEW_SERVER_ID}, {"server": {
                "id": NEW_SERVER_ID, "OS-DCF:diskConfig": "MANUAL", "adminPass": "6NpUwoz2QDRN",
                "security_groups": [{"name": "default"}],
                "links": [{"href": self.url + "/compute/v2.1/servers/" + NEW_SERVER_ID, "rel": "self"}]}}
        m = re.fullmatch(r"/servers/([^/]+)", path)
        if m:
            if m.group(1) not in self.servers:
                return not_found_nova("Instance", m.group(1))
            if method == "GET":
                return 200, {}, {"server": self.servers[m.group(1)]}
            if method == "DELETE":
                del self.servers[m.group(1)]
                return 204, {}, None
            if method == "PUT":
                self.servers[m.group(1)].update({k: v for k, v in r["body"]["server"].items()})
                return 200, {}, {"server": self.servers[m.group(1)]}
        if re.fullmatch(r"/servers/[^/]+/action", path) and method == "POST":
            return 202, {}, None
        m = re.fullmatch(r"/servers/([^/]+)/os-volume_attachments", path)
        if m and method == "POST":
            att = r["body"]["volumeAttachment"]
            return 200, {}, {"volumeAttachment": {"device": "/dev/vdb", "id": att["volumeId"], "serverId": m.group(1),
                                                  "volumeId": att["volumeId"], "tag": att.get("tag")}}
        if method == "GET" and path in ("/flavors", "/flavors/detail"):
            return 200, {}, {"flavors": FLAVORS}
        if method == "POST" and path == "/flavors":
            f = r["body"]["flavor"]
            return 200, {}, {"flavor": dict(f, id=f["id"] or "e4c1d7a0-3f55-4b1f-8a5b-1c2d3e4f5a6b")}
        if method == "GET" and path == "/os-floating-ips":
            return 200, {}, {"floating_ips": [
                {"id": "1", "ip": "172.24.4.10", "fixed_ip": None, "instance_id": None, "pool": "public"},
                {"id": "2", "ip": "172.24.4.11", "fixed_ip": "10.0.0.11", "instance_id": SERVER_1["id"],
                 "pool": "public"}]}
        return 404, {}, {"itemNotFound": {"code": 404, "message": "The resource could not be found."}}

    def network(self, method, path, r):
        query = urllib.parse.parse_qs(r["query"])
        if method == "GET" and path == "/networks":
            nets = NETWORKS
            if "name" in query:
                nets = [n for n in nets if n["name"] == query["name"][0]]
            if "router:external" in query:
                nets = [n for n in nets if str(n["router:external"]) == query["router:external"][0]]
            if "limit" in query:
                # neutron's pagination: a page of `limit` after `marker`,
                # and a "next" link while more remain
                limit = int(query["limit"][0])
                start = 0
                if "marker" in query:
                    start = [n["id"] for n in nets].index(query["marker"][0]) + 1
                page = nets[start:start + limit]
                links = []
                if start + limit < len(nets):
                    links = [{"rel": "next", "href": "%s/network/v2.0/networks?limit=%d&marker=%s"
                              % (self.url, limit, page[-1]["id"])}]
                return 200, {}, {"networks": page, "networks_links": links}
            return 200, {}, {"networks": nets}
        if method == "GET" and path == "/subnets":
            return 200, {}, {"subnets": SUBNETS}
        if method == "GET" and path == "/ports":
            ports = [PORT] if query.get("device_id") == [NEW_SERVER_ID] else []
            return 200, {}, {"ports": ports}
        if method == "POST" and path == "/floatingips":
            self.floating.update(r["body"]["floatingip"])
            return 201, {}, {"floatingip": self.floating}
        if method == "PUT" and path == "/floatingips/" + FLOATING_IP["id"]:
            self.floating.update(r["body"]["floatingip"])
            self.floating.update(fixed_ip_address="10.0.0.21", status="ACTIVE")
            return 200, {}, {"floatingip": self.floating}
        if method == "GET" and path.startswith("/networks/"):
            return 404, {}, {"NeutronError": {"type": "NetworkNotFound", "detail": "",
                                              "message": "Network %s could not be found." % path[10:]}}
        return 404, {}, {"NeutronError": {"type": "HTTPNotFound", "message": "The resource could not be found."}}

    def image(self, method, path, r):
        query = urllib.parse.parse_qs(r["query"])
        if method == "GET" and path == "/images":
            if "marker" not in query:  # two pages: the client follows "next"
                return 200, {}, {"images": IMAGES[:1], "first": "/v2/images",
                                 "next": "/v2/images?limit=%s&marker=%s" % (query["limit"][0], IMAGES[0]["id"])}
            return 200, {}, {"images": IMAGES[1:], "first": "/v2/images"}
        for image in IMAGES:
            if method == "GET" and path == "/images/" + image["id"]:
                return 200, {}, image
            if method == "GET" and path == "/images/%s/file" % image["id"]:
                return 200, {"Content-Type": "application/octet-stream",
                             "Content-MD5": image["checksum"]}, IMAGE_DATA
        return 404, {"Content-Type": "text/plain"}, "404 Not Found\n\nThe resource could not be found.\n\n   "

    def volume(self, method, path, r):
        if method == "GET" and path in ("/volumes", "/volumes/detail"):
            return 200, {}, {"volumes": VOLUMES}
        if method == "POST" and path == "/volumes":
            v = r["body"]["volume"]
            return 202, {}, {"volume": dict(VOLUMES[0], id="5aa119a8-d25b-45a7-8d1b-88e127885635",
                                            name=v.get("name"), size=v["size"], status="creating")}
        if method == "POST" and path == "/snapshots":
            s = r["body"]["snapshot"]
            return 202, {}, {"snapshot": {"id": "b1323cda-8e4b-41c1-afc5-2fc791809c8c", "status": "creating",
                                          "volume_id": s["volume_id"], "name": s.get("name"), "size": 10,
                                          "description": s.get("description"), "metadata": s.get("metadata")}}
        return 404, {}, {"itemNotFound": {"code": 404, "message": "Volume could not be found."}}

    def orchestration(self, method, path, r):
        base = self.url + "/orchestration/v1/" + PROJECT
        if method == "POST" and path == "/stacks":
            return 201, {}, {"stack": {"id": STACK["id"], "links": STACK["links"]}}
        if method == "GET" and path == "/stacks":
            return 200, {}, {"stacks": [{k: STACK[k] for k in ("id", "stack_name", "stack_status", "links")}]}
        if method == "GET" and path == "/stacks/app":
            return 302, {"Location": base + "/stacks/app/" + STACK["id"]}, None
        if method == "GET" and path == "/stacks/app/" + STACK["id"]:
            return 200, {}, {"stack": STACK}
        if method == "GET" and path == "/stacks/app/outputs/url":
            return 302, {"Location": base + "/stacks/app/%s/outputs/url" % STACK["id"]}, None
        if method == "GET" and path == "/stacks/app/%s/outputs/url" % STACK["id"]:
            return 200, {}, {"output": STACK["outputs"][0]}
        return 404, {}, {"explanation": "The resource could not be found.", "code": 404,
                         "error": {"message": "The Stack (%s) could not be found." % path.split("/")[-1],
                                   "type": "EntityNotFound"}, "title": "Not Found"}

    def identity(self, method, path, r):
        if method == "GET" and path == "/projects":
            return 200, {}, {"projects": PROJECTS, "links": {"self": self.url + "/identity/v3/projects"}}
        return 404, {}, {"error": {"code": 404, "message": "Could not find project.", "title": "Not Found"}}

    def swift(self, method, path, r):
        query = urllib.parse.parse_qs(r["query"])
        account_headers = {"X-Account-Container-Count": "1", "X-Account-Object-Count": str(len(self.objects)),
                           "X-Account-Bytes-Used": "4"}
        if path == "":
            if method == "GET":
                if "marker" in query:
                    return 200, account_headers, []
                return 200, account_headers, [{"name": "photos", "count": len(self.objects), "bytes": 4}]
            if method == "HEAD":
                return 204, account_headers, None
        parts = path[1:].split("/", 1)
        container = parts[0]
        if len(parts) == 1:
            headers = {"X-Container-Object-Count": str(len(self.objects)), "X-Container-Bytes-Used": "4"}
            if container != "photos" and method in ("GET", "HEAD"):
                return 404, {"Content-Type": "text/html; charset=UTF-8"}, \
                    "<html><h1>Not Found</h1><p>The resource could not be found.</p></html>"
            if method == "GET":
                names = sorted(o for (c, o) in self.objects if c == container)
                if "marker" in query:
                    names = [n for n in names if n > query["marker"][0]]
                return 200, headers, [{"name": n, "bytes": len(self.objects[(container, n)]), "hash": "4a",
                                       "content_type": "image/jpeg", "last_modified": "2026-01-01T00:00:00.000000"}
                                      for n in names]
            if method == "HEAD":
                return 204, headers, None
            if method == "PUT":
                return 201, {}, ""
        else:
            obj = parts[1]
            if method == "PUT":
                data = r["body"] if isinstance(r["body"], str) else json.dumps(r["body"])
                self.objects[(container, obj)] = data.encode()
                return 201, {"Etag": '"d41d8cd98f00b204e9800998ecf8427e"'}, ""
            if (container, obj) not in self.objects:
                return 404, {"Content-Type": "text/html; charset=UTF-8"}, \
                    "<html><h1>Not Found</h1><p>The resource could not be found.</p></html>"
            if method == "GET":
                return 200, {"Content-Type": "image/jpeg", "Etag": "4a"}, self.objects[(container, obj)]
            if method == "DELETE":
                del self.objects[(container, obj)]
                return 204, {}, None
            if method == "COPY":
                dest = r["headers"]["destination"].lstrip("/").split("/", 1)
                self.objects[(dest[0], dest[1])] = self.objects[(container, obj)]
                return 201, {}, ""
        return 405, {}, ""

    def baremetal(self, method, path, r):
        if method == "GET" and path == "/nodes":
            return 200, {}, {"nodes": NODES}
        if method == "GET" and path == "/nodes/" + NODES[0]["uuid"]:
            return 200, {}, NODES[0]
        if method == "PUT" and path == "/nodes/%s/states/provision" % NODES[0]["uuid"]:
            return 202, {}, None
        return 404, {}, {"error_message": json.dumps({"faultstring": "Node %s could not be found." % path[7:],
                                                      "faultcode": "Client", "debuginfo": None})}

    def workflow(self, method, path, r):
        # Mistral's API (Bora serves the same): environments keep their
        # variables as JSON text.
        if method == "GET" and path == "/environments/prod":
            return 200, {}, ENVIRONMENT
        if method == "GET" and path == "/environments":
            return 200, {}, {"environments": [ENVIRONMENT]}
        if method == "POST" and path == "/executions":
            return 201, {}, dict(EXECUTION, workflow_name=r["body"].get("workflow_name"),
                                 input=r["body"].get("input", "{}"), params=r["body"].get("params", "{}"))
        return 404, {}, {"faultcode": "Client", "faultstring": "Environment not found [name=%s]" % path[14:],
                         "debuginfo": None}

    def inspector(self, method, path, r):
        if method == "POST" and path == "/introspection/" + NODES[0]["uuid"]:
            return 202, {}, None
        if method == "GET" and path == "/introspection/" + NODES[0]["uuid"]:
            return 200, {}, {"uuid": NODES[0]["uuid"], "finished": True, "state": "finished", "error": None}
        return 404, {}, {"error": {"message": "Introspection data not found"}}

    def tacker(self, method, path, r):
        # tackerclient's bodies, as neutron's: {"vnfds": [...]}, {"vnfd": {...}};
        # its paths end in the format, ".json".
        if not path.endswith(".json"):
            return 404, {}, {"TackerError": {"type": "HTTPNotFound", "detail": "", "message": "no format"}}
        path = path[:-len(".json")]
        if method == "GET" and path == "/vnfds":
            return 200, {}, {"vnfds": [VNFD, dict(VNFD, id="e2c6a1f0-6f1d-4d5e-9c1b-3a4f5e6d7c8b", name="long",
                                                  description="A VNFD whose description is long")]}
        if method == "GET" and path == "/vnfs":
            return 200, {}, {"vnfs": [{"id": "vnf-1", "name": "vnf-1", "status": "ERROR",
                                       "error_reason": "x" * 120}]}
        if method == "POST" and path == "/vnfds":
            vnfd = dict(VNFD, **{k: v for k, v in r["body"]["vnfd"].items() if k != "service_types"})
            vnfd["service_types"] = [t["service_type"] for t in r["body"]["vnfd"].get("service_types", [])]
            return 201, {}, {"vnfd": vnfd}
        if method == "GET" and path == "/vims":
            query = urllib.parse.parse_qs(r["query"])
            if "marker" not in query:
                return 200, {}, {"vims": [VIM], "vims_links": [
                    {"rel": "next", "href": self.url + "/nfv-orchestration/v1.0/vims.json?limit=1&marker=" + VIM["id"]}]}
            return 200, {}, {"vims": [VIM_2], "vims_links": [
                {"rel": "previous", "href": self.url + "/nfv-orchestration/v1.0/vims.json?limit=1&marker=" +
                 VIM_2["id"] + "&page_reverse=True"}]}
        if method == "GET" and path == "/vims/" + VIM["id"]:
            return 200, {}, {"vim": VIM}
        if method == "PUT" and path == "/vims/" + VIM["id"]:
            return 200, {}, {"vim": dict(VIM, **r["body"]["vim"])}
        if method == "DELETE" and path.startswith("/vnfs/"):
            return 204, {}, None
        if method == "DELETE" and path.startswith("/vims/"):
            return 409, {}, {"TackerError": {"type": "VimInUseException", "message": "VIM %s is still in use by VNF"
                                             % path[6:], "detail": "delete its VNFs first"}}
        return 404, {}, {"TackerError": {"type": "NotFound", "detail": "",
                                         "message": "The resource could not be found."}}

    def barbican(self, method, path, r):
        secret_id = SECRET["secret_ref"].rsplit("/", 1)[1]
        if method == "GET" and path == "/secrets":
            return 200, {}, {"secrets": [SECRET], "total": 1}
        if method == "POST" and path == "/secrets":
            return 201, {"Location": SECRET["secret_ref"]}, {"secret_ref": SECRET["secret_ref"]}
        if path == "/secrets/" + secret_id:
            if method == "GET":
                return 200, {}, SECRET
            if method == "DELETE":
                return 204, {}, None
        if method == "GET" and path == "/secrets/%s/payload" % secret_id:
            if r["headers"].get("accept") != "text/plain":
                return 406, {}, {"code": 406, "title": "Not Acceptable", "description": "Wrong payload content-type"}
            return 200, {"Content-Type": "text/plain"}, SECRET_PAYLOAD
        if method == "GET" and path == "/orders":
            return 200, {}, {"orders": [], "total": 0}
        if method == "POST" and path == "/containers":
            return 201, {"Location": CONTAINER_REF}, {"container_ref": CONTAINER_REF}
        if method == "POST" and path == "/orders":
            return 202, {"Location": ORDER_REF}, {"order_ref": ORDER_REF}
        return 404, {}, {"code": 404, "title": "Not Found",
                         "description": "Secret not found."}

    def designate(self, method, path, r):
        query = urllib.parse.parse_qs(r["query"])
        if method == "GET" and path == "/zones":
            zones = [ZONE, ZONE_2]
            if query.get("name") == ["twins."]:  # a name two zones answer to
                return 200, {}, {"zones": zones, "links": {}, "metadata": {"total_count": 2}}
            if "name" in query:  # a name lookup (designateclient's resolve_by_name)
                zones = [z for z in zones if z["name"] == query["name"][0]]
                return 200, {}, {"zones": zones, "links": {"self": self.url + "/dns/v2/zones"},
                                 "metadata": {"total_count": len(zones)}}
            if "marker" not in query:  # two pages, linked by "next"
                return 200, {}, {"zones": zones[:1], "metadata": {"total_count": 2}, "links": {
                    "self": self.url + "/dns/v2/zones",
                    "next": self.url + "/dns/v2/zones?limit=1&marker=" + ZONE["id"]}}
            return 200, {}, {"zones": zones[1:], "links": {"self": self.url + "/dns/v2/zones"},
                             "metadata": {"total_count": 2}}
        if method == "POST" and path == "/zones":
            return 202, {}, dict(ZONE, **r["body"], status="PENDING", action="CREATE")
        if path == "/zones/" + ZONE["id"]:
            if method == "GET":
                return 200, {}, ZONE
            if method == "PATCH":
                return 202, {}, dict(ZONE, **r["body"], status="PENDING", action="UPDATE")
            if method == "DELETE":
                return 202, {}, dict(ZONE, status="PENDING", action="DELETE")
        if method == "GET" and path == "/zones/%s/recordsets" % ZONE["id"]:
            if "name" in query and query["name"][0] != RECORDSET["name"]:
                return 200, {}, {"recordsets": [], "links": {}, "metadata": {"total_count": 0}}
            return 200, {}, {"recordsets": [RECORDSET], "links": {"self": self.url + "/dns/v2/zones/recordsets"},
                             "metadata": {"total_count": 1}}
        if method == "POST" and path == "/zones/%s/recordsets" % ZONE["id"]:
            return 202, {}, dict(RECORDSET, **r["body"], status="PENDING", action="CREATE")
        if method == "GET" and path == "/zones/%s/recordsets/%s" % (ZONE["id"], RECORDSET["id"]):
            return 200, {}, RECORDSET
        if method == "PUT" and path == "/zones/%s/recordsets/%s" % (ZONE["id"], RECORDSET["id"]):
            return 202, {}, dict(RECORDSET, **r["body"], status="PENDING", action="UPDATE")
        return 404, {}, {"code": 404, "type": "zone_not_found", "message": "Could not find Zone",
                         "request_id": "req-double"}

    def octavia(self, method, path, r):
        if method == "GET" and path == "/lbaas/loadbalancers":
            return 200, {}, {"loadbalancers": [LOAD_BALANCER], "loadbalancers_links": []}
        if method == "POST" and path == "/lbaas/loadbalancers":
            return 201, {}, {"loadbalancer": dict(LOAD_BALANCER, **r["body"]["loadbalancer"],
                                                  provisioning_status="PENDING_CREATE")}
        if path == "/lbaas/loadbalancers/" + LOAD_BALANCER["id"]:
            if method == "GET":
                return 200, {}, {"loadbalancer": LOAD_BALANCER}
            if method == "DELETE":
                return 204, {}, None
        m = re.fullmatch(r"/lbaas/pools/([^/]+)/members", path)
        if m and method == "POST":
            return 201, {}, {"member": dict(MEMBER, **r["body"]["member"], provisioning_status="PENDING_CREATE")}
        if m and method == "GET":
            return 200, {}, {"members": [MEMBER], "members_links": []}
        return 404, {}, {"faultcode": "Client", "faultstring": "Load Balancer %s not found." % path.split("/")[-1],
                         "debuginfo": None}

    def manila(self, method, path, r):
        if method == "GET" and path in ("/shares", "/shares/detail"):
            shares = [SHARE] if path == "/shares/detail" else [
                {"id": SHARE["id"], "name": SHARE["name"], "links": SHARE["links"]}]
            return 200, {}, {"shares": shares}
        if method == "POST" and path == "/shares":
            return 202, {}, {"share": dict(SHARE, **r["body"]["share"], status="creating")}
        if path == "/shares/" + SHARE["id"]:
            if method == "GET":
                return 200, {}, {"share": SHARE}
            if method == "PUT":
                return 200, {}, {"share": dict(SHARE, **r["body"]["share"])}
            if method == "DELETE":
                return 202, {}, None
        if method == "POST" and path == "/share-networks":
            return 200, {}, {"share_network": dict(SHARE_NETWORK, **r["body"]["share_network"])}
        if method == "GET" and path == "/snapshots/detail":
            return 200, {}, {"snapshots": [SHARE_SNAPSHOT]}
        if method == "POST" and path == "/snapshots":
            return 202, {}, {"snapshot": dict(SHARE_SNAPSHOT, **r["body"]["snapshot"], status="creating")}
        return 404, {}, {"itemNotFound": {"code": 404, "message": "Share %s could not be found." %
                                          path.split("/")[-1]}}

    def messaging(self, method, path, r):
        if "client-id" not in r["headers"]:
            return 400, {}, {"title": "Missing header", "description": "The Client-ID header is required."}
        m = re.fullmatch(r"/queues/([^/]+)/messages", path)
        if m and method == "POST":
            count = len(r["body"]["messages"])
            return 201, {}, {"resources": ["/v2/queues/%s/messages/5c6939a8%04d" % (m.group(1), i)
                                           for i in range(count)]}
        return 404, {}, None


if __name__ == "__main__":
    # By hand: python3 test/support/openstack_double.py (prints its URL).
    d = OpenStackDouble()
    print(d.url, flush=True)
    threading.Event().wait()
