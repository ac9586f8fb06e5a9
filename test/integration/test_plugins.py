"""Action packs (include/bora/plugin.h): the example pack listed with its
input signatures and run (standalone and in a workflow, in a worker process
and trusted in-process), its configuration section, cancellation by a task
timeout; a pack built for another ABI version refused at load with a log
line naming the file and both versions; a pack that crashes or hangs fails
only its action and the server goes on."""

import json
import os
import shutil
import tempfile
import time
import unittest

from bora_server import BORA, BoraTestCase


def build_dir():
    """The build folder of the bora binary under test (packs are built there)."""
    d = os.path.dirname(os.path.realpath(shutil.which(BORA) or BORA))
    while d != "/":
        if os.path.exists(os.path.join(d, "plugins", "example.so")):
            return d
        d = os.path.dirname(d)
    return None


BUILD = build_dir()
SANITIZED = os.environ.get("BORA_SANITIZED", "") in ("1", "ON", "TRUE", "true")

WF = """---
version: '2.0'
greet_flow:
  tasks:
    hello:
      action: example.greet name="team"
      publish:
        text: <% task().result %>
      on-success: add
    add:
      action: example.add a=<% 40 %> b=2
      publish:
        sum: <% task().result %>
        ctx: <% $.text %>
      on-success: ctx
    ctx:
      action: example.context
      publish:
        context: <% task().result %>
wait_flow:
  tasks:
    slow:
      action: example.wait seconds=30
      timeout: 1
crash_flow:
  tasks:
    crash:
      action: crashing.segfault
      on-error: after
    after:
      action: crashing.ok
      publish:
        survived: <% task().result %>
"""


@unittest.skipUnless(BUILD, "the packs are not built next to this bora binary")
class PackTests(BoraTestCase):
    trusted = ""
    # The crashing pack's SIGSEGV is the test's point: in the sanitizer
    # build AddressSanitizer would catch it in the pack's worker and write a
    # report, which fails `make san-test`. The worker dies by the signal
    # instead, as in a normal build (the last ASAN_OPTIONS value wins).
    server_env = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":handle_segv=0"} if SANITIZED else None

    @classmethod
    def setUpClass(cls):
        cls.packs = tempfile.mkdtemp(prefix="bora-packs-")
        for name in ("crashing_pack.so", "old_abi_pack.so"):
            os.symlink(os.path.join(BUILD, "test-packs", name), os.path.join(cls.packs, name))
        os.symlink(os.path.join(BUILD, "plugins", "example.so"), os.path.join(cls.packs, "example.so"))
        conf = os.path.join(cls.packs, "bora.conf")
        with open(conf, "w") as f:
            f.write("[executor]\nplugin_dirs = %s\ntrusted_plugins = %s\n[example]\ngreeting = Howdy\n"
                    % (cls.packs, cls.trusted))
        cls.server_args = ["--config", conf]
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows", WF, content_type="text/plain")
        assert status == 201, body

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.packs, ignore_errors=True)

    ok = BoraTestCase.assertStatus

    def run_action(self, name, inp):
        run = self.ok(201, self.req("POST", "/v2/action_executions", {"name": name, "input": json.dumps(inp)}))
        return run["state"], json.loads(run["output"])["result"]

    def start(self, wf):
        return self.ok(201, self.req("POST", "/v2/executions", {"workflow_name": wf}))["id"]

    def test_listed_with_signatures(self):
        actions = {a["name"]: a for a in self.ok(200, self.req("GET", "/v2/actions?limit=1000"))["actions"]}
        self.assertEqual('name, greeting="Hello"', actions["example.greet"]["input"])
        self.assertEqual("a, b", actions["example.add"]["input"])
        self.assertEqual("seconds=1", actions["example.wait"]["input"])
        self.assertIn("example.wait", actions)
        self.assertTrue(actions["example.greet"]["description"].startswith("Returns"))
        self.assertIn("crashing.segfault", actions)
        one = self.ok(200, self.req("GET", "/v2/actions/example.add"))
        self.assertEqual("a, b", one["input"])
        # The std actions are still there, and nothing of the refused pack.
        self.assertIn("std.echo", actions)
        self.assertFalse([n for n in actions if n.startswith("old")])

    def test_abi_mismatch_refused_with_file_and_versions(self):
        logs = self.server.logs()
        line = [l for l in logs.splitlines() if "old_abi_pack.so" in l]
        self.assertTrue(line, logs)
        self.assertIn("was built for plugin ABI version 42, this Bora has version 1", line[0])

    def test_run_standalone(self):
        self.assertEqual(("SUCCESS", "Howdy, Ann!"), self.run_action("example.greet", {"name": "Ann"}))
        self.assertEqual(("SUCCESS", "Hi, Bo!"), self.run_action("example.greet", {"name": "Bo", "greeting": "Hi"}))
        self.assertEqual(("SUCCESS", 5), self.run_action("example.add", {"a": 2, "b": 3}))
        state, error = self.run_action("example.fail", {"message": "no"})
        self.assertEqual(("ERROR", {"message": "no"}), (state, error))
        state, error = self.run_action("example.add", {"a": "x", "b": 3})
        self.assertEqual("ERROR", state)
        self.assertIn("The action raised an exception", error)
        self.assertIn("example.add takes two integers", error)
        # The signature is checked as for std actions: a 400 that names it.
        status, body, _ = self.req("POST", "/v2/action_executions",
                                   {"name": "example.add", "input": json.dumps({"a": 1})})
        self.assertEqual(400, status)
        self.assertIn("Invalid input [name=example.add, class=example.add (pack example), missing=['b']]",
                      body["faultstring"])

    def test_workflow_and_context(self):
        ex = self.wait_done(self.start("greet_flow"))
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        out = json.loads(ex["output"])
        self.assertEqual(42, out["sum"])
        self.assertEqual("Howdy, team!", out["ctx"])
        execution = out["context"]["execution"]
        self.assertEqual(ex["id"], execution["workflow_execution_id"])
        self.assertEqual("greet_flow", execution["workflow_name"])
        self.assertTrue(execution["action_execution_id"])
        self.assertIn("security", out["context"])

    def test_task_timeout_stops_the_action(self):
        started = time.time()
        ex = self.wait_done(self.start("wait_flow"))
        self.assertEqual("ERROR", ex["state"])
        self.assertLess(time.time() - started, 15)

    def test_crashing_pack_fails_only_its_action(self):
        if self.trusted:
            self.skipTest("a trusted pack runs inside the server: a crash there is the operator's choice")
        state, error = self.run_action("crashing.segfault", {})
        self.assertEqual("ERROR", state)
        self.assertIn("the worker of action pack crashing died", error)
        if not SANITIZED:  # AddressSanitizer turns the signal into its report and an exit
            self.assertIn("the worker of action pack crashing died (signal 11, Segmentation fault)", error)
        self.assertIn("crashing_pack.so", error)
        # The server is alive, and the pack works again in a new worker.
        self.assertEqual(("SUCCESS", True), self.run_action("crashing.ok", {}))
        ex = self.wait_done(self.start("crash_flow"))
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        self.assertEqual(True, json.loads(ex["output"])["survived"])

    def test_hanging_pack_is_stopped_by_the_task_timeout(self):
        if self.trusted:
            self.skipTest("only a worker can be killed")
        wf = """---
version: '2.0'
hang_flow:
  tasks:
    hang:
      action: crashing.hang
      timeout: 1
"""
        self.req("POST", "/v2/workflows", wf, content_type="text/plain")
        started = time.time()
        ex = self.wait_done(self.start("hang_flow"))
        self.assertEqual("ERROR", ex["state"])
        self.assertLess(time.time() - started, 15)
        self.assertEqual(("SUCCESS", True), self.run_action("crashing.ok", {}))


class TrustedPackTests(PackTests):
    """The same pack run inside the server ([executor] trusted_plugins)."""
    trusted = "example"

    def test_trusted_is_logged(self):
        self.assertIn("action pack example 1.0", self.server.logs())
        self.assertIn("trusted (runs inside the server)", self.server.logs())


if __name__ == "__main__":
    unittest.main()
