"""The OpenStack pack's glance.* actions against a real Glance: Debian's
glance-api started privately for the test (file store and SQLite in a temp
folder, loopback port, no Keystone: Glance's unauthenticated pipeline),
stopped by pid. Skipped only when glance-api is not installed (CI installs
it: scripts/install-deps.sh --with-test). About 40-60 s, most of it
Glance's database migration and start."""

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

from bora_server import BoraServer
from test_plugins import BUILD

GLANCE_API = "/usr/bin/glance-api"
GLANCE_MANAGE = "/usr/bin/glance-manage"
PASTE = "/etc/glance/glance-api-paste.ini"
START_TIMEOUT = 120  # seconds; the first start migrates the database


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@unittest.skipUnless(os.path.exists(GLANCE_API) and os.path.exists(PASTE),
                     "glance-api is not installed (apt-get install glance-api)")
@unittest.skipUnless(BUILD and os.path.exists(os.path.join(BUILD or "/", "plugins", "openstack.so")),
                     "the OpenStack pack is not built next to this bora binary")
class RealGlance(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bora-glance-")
        cls.glance = None
        cls.server = None
        try:
            cls.start_glance()
            cls.start_bora()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def start_glance(cls):
        port = free_port()
        cls.glance_url = "http://127.0.0.1:%d" % port
        conf = os.path.join(cls.tmp, "glance-api.conf")
        with open(conf, "w") as f:
            f.write("""[DEFAULT]
bind_host = 127.0.0.1
bind_port = {port}
enabled_backends = local:file
workers = 0
log_file = {tmp}/glance.log
[database]
connection = sqlite:///{tmp}/glance.db
[glance_store]
default_backend = local
[local]
filesystem_store_datadir = {tmp}/images
[os_glance_staging_store]
filesystem_store_datadir = {tmp}/staging
[os_glance_tasks_store]
filesystem_store_datadir = {tmp}/tasks
[paste_deploy]
flavor =
config_file = {paste}
""".format(port=port, tmp=cls.tmp, paste=PASTE))
        subprocess.run([GLANCE_MANAGE, "--config-file", conf, "db_sync"], check=True, timeout=START_TIMEOUT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.glance_log = open(os.path.join(cls.tmp, "glance-api.out"), "wb")
        cls.glance = subprocess.Popen([GLANCE_API, "--config-file", conf], stdout=cls.glance_log,
                                      stderr=subprocess.STDOUT)
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            if cls.glance.poll() is not None:
                raise RuntimeError("glance-api exited: see %s" % cls.glance_log.name)
            try:
                with urllib.request.urlopen(cls.glance_url + "/v2/images", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("glance-api did not answer within %d s" % START_TIMEOUT)

    @classmethod
    def start_bora(cls):
        ctx = os.path.join(cls.tmp, "security.json")
        catalog = [{"type": "image", "name": "glance", "endpoints": [
            {"interface": "public", "region": "RegionOne", "url": cls.glance_url}]}]
        with open(ctx, "w") as f:
            json.dump({"auth_token": "unchecked-by-this-glance", "project_id": "p1", "service_catalog": catalog}, f)
        packs = os.path.join(cls.tmp, "packs")
        os.mkdir(packs)
        os.symlink(os.path.join(BUILD, "plugins", "openstack.so"), os.path.join(packs, "openstack.so"))
        conf = os.path.join(cls.tmp, "bora.conf")
        with open(conf, "w") as f:
            # images of several MiB go through action inputs and results
            f.write("[executor]\nplugin_dirs = %s\n[openstack]\ntest_security_context = %s\n"
                    "[engine]\nexecution_field_size_limit_kb = -1\n" % (packs, ctx))
        cls.server = BoraServer(["--config", conf]).start()

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.cleanup()
        if cls.glance and cls.glance.poll() is None:
            cls.glance.send_signal(signal.SIGTERM)
            try:
                cls.glance.wait(timeout=10)
            except subprocess.TimeoutExpired:
                cls.glance.kill()
                cls.glance.wait(timeout=10)
        if getattr(cls, "glance_log", None):
            cls.glance_log.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_action(self, _action, **inp):
        status, run, _ = self.server.request("POST", "/v2/action_executions",
                                             {"name": _action, "input": json.dumps(inp)})
        self.assertEqual(201, status, run)
        return run["state"], json.loads(run["output"])["result"]

    def ok(self, _action, **inp):
        state, result = self.run_action(_action, **inp)
        self.assertEqual("SUCCESS", state, result)
        return result

    def test_image_lifecycle(self):
        image = self.ok("glance.images_create", name="bora-test", disk_format="raw", container_format="bare",
                        tags=["ci"])
        self.assertEqual(("bora-test", "queued", ["ci"]), (image["name"], image["status"], image["tags"]))
        self.assertIsNone(self.ok("glance.images_upload", image_id=image["id"], image_data="hello glance"))
        got = self.ok("glance.images_get", image_id=image["id"])
        self.assertEqual(("active", 12), (got["status"], got["size"]))
        updated = self.ok("glance.images_update", image_id=image["id"], name="renamed", purpose="test")
        self.assertEqual(("renamed", "test"), (updated["name"], updated["purpose"]))
        updated = self.ok("glance.images_update", image_id=image["id"], remove_props=["purpose"])
        self.assertNotIn("purpose", updated)
        listed = self.ok("glance.images_list")
        self.assertEqual([image["id"]], [i["id"] for i in listed])
        self.assertEqual([image["id"]], [i["id"] for i in self.ok("glance.images_list",
                                                                   filters={"name": "renamed"})])
        self.assertEqual([], self.ok("glance.images_list", filters={"name": "other"}))
        self.assertIsNone(self.ok("glance.images_delete", image_id=image["id"]))
        state, error = self.run_action("glance.images_get", image_id=image["id"])
        self.assertEqual("ERROR", state)
        self.assertIn("images.get.images.get failed: ", error)
        self.assertIn("(HTTP 404)", error)

    def test_multi_mib_image_up_and_down(self):
        # 6 MiB of text (an action's input and result are JSON values)
        data = "".join(chr(ord("A") + i % 26) for i in range(1024)) * (6 * 1024)
        image = self.ok("glance.images_create", name="big", disk_format="raw", container_format="bare")
        self.assertIsNone(self.ok("glance.images_upload", image_id=image["id"], image_data=data))
        got = self.ok("glance.images_get", image_id=image["id"])
        # Glance hashed what arrived: every byte, once
        self.assertEqual(("active", len(data), hashlib.md5(data.encode()).hexdigest(),
                          hashlib.sha512(data.encode()).hexdigest()),
                         (got["status"], got["size"], got["checksum"], got["os_hash_value"]))
        # images.data: read back, checked against Glance's hash, in the client's 64 KiB chunks
        chunks = self.ok("glance.images_data", image_id=image["id"])
        self.assertEqual(96, len(chunks))
        self.assertEqual({65536}, {len(c) for c in chunks})
        self.assertEqual(data, "".join(chunks))
        self.assertIsNone(self.ok("glance.images_delete", image_id=image["id"]))


if __name__ == "__main__":
    unittest.main()
