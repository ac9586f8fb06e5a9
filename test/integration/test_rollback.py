"""Bora's rollback through the real server (docs/LANGUAGE.md "Rollback"):
the API call (POST /v2/executions/{id}/rollback and PUT with
params.rollback), the compensations visible as task executions (the added
`compensates` field) with their action executions and in the report, the
real python-mistralclient listing and showing a rolled-back execution, a
SIGKILL while a compensation runs (the rollback resumes at restart; only
the safe-rerun compensation runs twice), the `compensates` field in the
notifier's webhook payloads and in the live event stream, the real client
creating, updating (a second version) and running a workflow that rolls
back and cancelling a rollback, and the showcase
examples/vm_runbook_rollback.yaml through `bora run`."""

import http.server
import json
import os
import subprocess
import threading
import time
import unittest

from bora_server import BORA, MISTRAL, BoraServer, BoraTestCase, MistralClientMixin
from test_event_stream import Sse
from test_notifier import Receiver

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

CHAIN = """---
version: '2.0'
chain:
  tasks:
    one:
      action: std.echo output="1"
      publish:
        made: <% task().result %>
      compensate: std.echo output="undo <% $.made %>"
      on-success: two
    two:
      action: std.echo output="2"
      compensate: std.echo output="undo two"
"""


# Run by the client: rolls back on any unhandled error (version 1 has no
# compensation for `address`; the update adds it, and a slow one for
# `server` that a cancel interrupts).
CLIENT_V1 = """---
version: '2.0'
client_rb:
  rollback-on-error: true
  input:
    - fail: false
    - nap: 0
  tasks:
    server:
      action: std.echo output="vm-1"
      publish:
        server_id: <% task().result %>
      compensate: std.echo output="deleted <% $.server_id %>"
      on-success: address
    address:
      action: std.echo output="203.0.113.10"
      on-success: check
    check:
      action: std.fail
"""

CLIENT_V2 = CLIENT_V1.replace(
    'compensate: std.echo output="deleted <% $.server_id %>"', "compensate: std.sleep seconds=<% $.nap %>").replace(
    "      on-success: check\n",
    '      compensate: std.echo output="released"\n      on-success:\n        - check: <% $.fail %>\n')
assert CLIENT_V2.count("compensate:") == 2, CLIENT_V2


def tasks_of(case, ex_id):
    return case.assertStatus(200, case.req("GET", "/v2/executions/%s/tasks" % ex_id))["tasks"]


class RollbackApiTest(MistralClientMixin, BoraTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows", CHAIN)
        assert status == 201, body

    def start_done(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "chain"}))
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        return ex["id"]

    def test_post_rollback_undoes_in_reverse_and_shows_compensations(self):
        ex_id = self.start_done()
        ex = self.assertStatus(200, self.req("POST", "/v2/executions/%s/rollback" % ex_id, {"message": "tear down"}))
        self.assertEqual(ex_id, ex["id"])
        ex = self.wait_done(ex_id)
        self.assertEqual("ERROR", ex["state"])
        self.assertEqual("Rolled back after: tear down", ex["state_info"])
        tasks = tasks_of(self, ex_id)
        forward = {t["name"]: t for t in tasks if "compensates" not in t}
        comps = [t for t in tasks if "compensates" in t]
        self.assertEqual({"one", "two"}, set(forward))
        self.assertEqual(2, len(comps))
        by_name = {t["name"]: t for t in comps}
        # Each compensation names the task execution it undoes; Mistral's
        # fields are all there, state names are Mistral's.
        self.assertEqual(forward["one"]["id"], by_name["one"]["compensates"])
        self.assertEqual(forward["two"]["id"], by_name["two"]["compensates"])
        one = self.assertStatus(200, self.req("GET", "/v2/tasks/" + by_name["one"]["id"]))
        self.assertEqual('"undo 1"', one["result"])
        self.assertEqual(forward["one"]["id"], one["compensates"])
        self.assertEqual("SUCCESS", by_name["two"]["state"])
        self.assertNotIn("compensates", forward["one"])
        # Reverse order: two's compensation ended before one's started.
        self.assertLessEqual(by_name["two"]["finished_at"], by_name["one"]["started_at"])
        # Their action executions.
        actions = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % by_name["one"]["id"]))
        self.assertEqual(["std.echo"], [a["name"] for a in actions["action_executions"]])
        # The report marks them.
        report = self.assertStatus(200, self.req("GET", "/v2/executions/%s/report" % ex_id))
        marked = [t for t in report["root_workflow_execution"]["task_executions"] if "compensates" in t]
        self.assertEqual(2, len(marked))
        # A second rollback of a rolled-back execution is a conflict.
        self.assertFault(409, self.req("POST", "/v2/executions/%s/rollback" % ex_id), "already rolled back")

    def test_put_with_params_rollback(self):
        ex_id = self.start_done()
        body = {"state": "ERROR", "state_info": "by PUT", "params": json.dumps({"rollback": True})}
        self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex_id, body))
        ex = self.wait_done(ex_id)
        self.assertEqual(("ERROR", "Rolled back after: by PUT"), (ex["state"], ex["state_info"]))
        self.assertEqual(4, len(tasks_of(self, ex_id)))
        # params.rollback with another state is refused.
        other = self.start_done()
        bad = {"state": "PAUSED", "params": json.dumps({"rollback": True})}
        self.assertFault(400, self.req("PUT", "/v2/executions/" + other, bad), "state ERROR")
        self.assertFault(404, self.req("POST", "/v2/executions/00000000-0000-4000-8000-000000000000/rollback"))

    def test_plain_execution_unchanged(self):
        ex_id = self.start_done()
        for t in tasks_of(self, ex_id):
            self.assertNotIn("compensates", t)

    def test_events_and_notifications_mark_compensations(self):
        # Mistral's TASK_* notification events of a compensation carry the
        # same added field as its REST view, in the webhook's body and in
        # the live stream; forward tasks' events do not.
        receiver = Receiver()
        try:
            notify = [{"type": "webhook", "url": receiver.url + "/hook"}]
            ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                                 {"workflow_name": "chain", "params": {"notify": notify}}))
            ex_id = ex["id"]
            self.assertEqual("SUCCESS", self.wait_done(ex_id)["state"])
            self.assertStatus(200, self.req("POST", "/v2/executions/%s/rollback" % ex_id))
            self.assertEqual("ERROR", self.wait_done(ex_id)["state"])
            tasks = tasks_of(self, ex_id)
            undoes = {t["id"]: t["compensates"] for t in tasks if "compensates" in t}
            forward = {t["id"] for t in tasks if "compensates" not in t}
            self.assertEqual(2, len(undoes))
            self.assertEqual(forward, set(undoes.values()))
            # launched and succeeded, each: 4 task events of compensations,
            # plus the forward run (2 + 4) and the rollback's 2 workflow events.
            receiver.wait_for(12, "/hook")

            def check(payloads, where):
                seen = {}
                for body in payloads:
                    if not body["event"].startswith("TASK_"):
                        self.assertNotIn("compensates", body, where)
                        continue
                    if body["id"] in undoes:
                        self.assertEqual(undoes[body["id"]], body.get("compensates"), (where, body))
                        seen.setdefault(body["id"], []).append(body["event"])
                    else:
                        self.assertIn(body["id"], forward, where)
                        self.assertNotIn("compensates", body, (where, body))
                self.assertEqual({i: ["TASK_LAUNCHED", "TASK_SUCCEEDED"] for i in undoes}, seen, where)

            check(receiver.bodies("/hook"), "webhook")
            self.assertEqual("WORKFLOW_FAILED", receiver.bodies("/hook")[-1]["event"])
            stream = Sse(self.server, "/v2/executions/%s/events?from=0" % ex_id)
            try:
                frames = stream.events_until(lambda f: f["event"] == "WORKFLOW_FAILED", limit=100)
            finally:
                stream.close()
            self.assertEqual("WORKFLOW_FAILED", frames[-1]["event"])
            check([f["data"]["data"] for f in frames], "event stream")
            comp_frames = [f["data"] for f in frames if f["data"]["task_execution_id"] in undoes]
            self.assertEqual(4, len(comp_frames))
        finally:
            receiver.close()

    @unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed (scripts/install-deps.sh --with-test)")
    def test_mistral_client_drives_a_versioned_workflow_that_rolls_back(self):
        self.mistral_json("workflow-create", self.write("client_rb.yaml", CLIENT_V1))
        self.mistral_json("workflow-update", self.write("client_rb2.yaml", CLIENT_V2))
        # An execution of version 2 that fails and so rolls back.
        ex = self.mistral_json("execution-create", "client_rb", json.dumps({"fail": True}))
        self.assertEqual("RUNNING", ex["State"])
        self.assertEqual("ERROR", self.wait_done(ex["ID"])["state"])
        shown = self.mistral_json("execution-get", ex["ID"])
        self.assertEqual("ERROR", shown["State"])
        self.assertTrue(shown["State info"].startswith("Rolled back after: Failure caused by error in tasks: check"),
                        shown["State info"])
        self.assertEqual(2, self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["ID"]))["workflow_version"])
        listed = self.mistral_json("task-list", ex["ID"])
        self.assertEqual(["address", "address", "check", "server", "server"], sorted(t["Name"] for t in listed))
        comps = [t for t in tasks_of(self, ex["ID"]) if "compensates" in t]
        by_name = {t["name"]: t for t in comps}
        self.assertEqual({"address", "server"}, set(by_name))
        # The client shows a compensation as any task, its result and its action.
        got = self.mistral_json("task-get", by_name["address"]["id"])
        self.assertEqual(("address", "SUCCESS"), (got["Name"], got["State"]))
        self.assertEqual("released", json.loads(self.mistral("task-get-result", by_name["address"]["id"]).stdout))
        actions = self.mistral_json("action-execution-list", by_name["server"]["id"])
        self.assertEqual(["std.sleep"], [a["Name"] for a in actions])
        output = json.loads(self.mistral("execution-get-output", ex["ID"]).stdout)
        self.assertEqual(shown["State info"], output["result"])
        # A rollback cancelled by the client (execution-update -s CANCELLED):
        # the compensation still running stops, the state_info says so.
        slow = self.mistral_json("execution-create", "client_rb", json.dumps({"fail": True, "nap": 30}))
        deadline = time.time() + 20
        while time.time() < deadline:
            running = [t for t in tasks_of(self, slow["ID"])
                       if "compensates" in t and t["name"] == "server" and t["state"] == "RUNNING"]
            if running:
                break
            time.sleep(0.05)
        self.assertTrue(running, "server's compensation never started")
        cancelled = self.mistral_json("execution-update", slow["ID"], "-s", "CANCELLED")
        self.assertEqual("CANCELLED", cancelled["State"])
        self.assertTrue(cancelled["State info"].startswith("Rollback cancelled. The execution was rolling back "
                                                           "after: Failure caused by error in tasks: check"),
                        cancelled["State info"])
        comp = self.mistral_json("task-get", running[0]["id"])
        self.assertEqual("CANCELLED", comp["State"])

    @unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed (scripts/install-deps.sh --with-test)")
    def test_mistral_client_on_a_rolled_back_execution(self):
        ex_id = self.start_done()
        self.assertStatus(200, self.req("POST", "/v2/executions/%s/rollback" % ex_id))
        self.wait_done(ex_id)
        shown = self.mistral_json("execution-get", ex_id)
        self.assertEqual("ERROR", shown["State"])
        self.assertEqual("Rolled back after: rollback requested through the API", shown["State info"])
        listed = self.mistral_json("task-list", ex_id)
        self.assertEqual(4, len(listed))
        self.assertEqual(["one", "one", "two", "two"], sorted(t["Name"] for t in listed))
        self.assertEqual({"SUCCESS"}, {t["State"] for t in listed})
        executions = self.mistral_json("execution-list")
        self.assertIn(ex_id, [e["ID"] for e in executions])


class Witness:
    """Counts each path's requests; the first request of a path in `slow`
    is held for `hold` seconds (a compensation running when bora dies)."""

    def __init__(self, slow=(), hold=30):
        self.counts, self.slow, self.hold, self.lock = {}, set(slow), hold, threading.Lock()
        witness = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with witness.lock:
                    n = witness.counts.get(self.path, 0) + 1
                    witness.counts[self.path] = n
                if n == 1 and self.path in witness.slow:
                    time.sleep(witness.hold)
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'"ok"')
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def count(self, path):
        with self.lock:
            return self.counts.get(path, 0)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class RollbackCrashTest(unittest.TestCase):
    def test_sigkill_while_a_compensation_runs(self):
        witness = Witness(slow={"/undo_b"}, hold=20)
        server = BoraServer().start()
        try:
            wf = """---
version: '2.0'
crash:
  tasks:
    a:
      action: std.echo output="a"
      compensate: std.http url="%(u)s/undo_a"
      on-success: b
    b:
      action: std.echo output="b"
      safe-rerun: true
      compensate: std.http url="%(u)s/undo_b" timeout=60
      on-success: c
    c:
      action: std.fail
      on-error: rollback(msg="c failed")
""" % {"u": witness.url}
            self.assertEqual(201, server.request("POST", "/v2/workflows", wf)[0])
            status, ex, _ = server.request("POST", "/v2/executions", {"workflow_name": "crash"})
            self.assertEqual(201, status, ex)
            deadline = time.time() + 20
            while witness.count("/undo_b") == 0 and time.time() < deadline:
                time.sleep(0.05)
            self.assertEqual(1, witness.count("/undo_b"), "b's compensation never started")
            server.kill()  # while undo_b is held by the witness
            self.assertEqual(0, witness.count("/undo_a"), "a's compensation ran before b's ended")
            server.start()
            deadline = time.time() + 30
            state = None
            while time.time() < deadline:
                state = server.request("GET", "/v2/executions/" + ex["id"])[1]
                if state["state"] not in ("RUNNING", "IDLE"):
                    break
                time.sleep(0.1)
            self.assertEqual("ERROR", state["state"], state)
            self.assertEqual("Rolled back after: c failed", state["state_info"])
            # b's compensation (safe-rerun) ran again after the restart; a's once.
            self.assertEqual(2, witness.count("/undo_b"))
            self.assertEqual(1, witness.count("/undo_a"))
            tasks = server.request("GET", "/v2/executions/%s/tasks" % ex["id"])[1]["tasks"]
            comps = sorted(t["name"] for t in tasks if "compensates" in t and t["state"] == "SUCCESS")
            self.assertEqual(["a", "b"], comps)
        finally:
            server.cleanup()
            witness.close()


class ShowcaseTest(unittest.TestCase):
    def run_example(self, *args):
        return subprocess.run([BORA, "run", os.path.join(ROOT, "examples", "vm_runbook_rollback.yaml")] + list(args),
                              capture_output=True, text=True, timeout=60)

    def test_success_and_rollback_at_each_step(self):
        ok = self.run_example()
        self.assertEqual(0, ok.returncode, ok.stderr)
        self.assertEqual({"server": "demo-vm", "address": "203.0.113.10"}, json.loads(ok.stdout))
        failed = self.run_example("fail_at=attach_ip")
        self.assertEqual(1, failed.returncode, failed.stderr)
        out = json.loads(failed.stdout)
        self.assertTrue(out["result"].startswith("Rolled back after: Failure caused by error in tasks: attach_ip"),
                        out["result"])
        early = self.run_example("fail_at=create_server")
        self.assertEqual(1, early.returncode, early.stderr)
        self.assertIn("Rolled back after: Failure caused by error in tasks: create_server",
                      json.loads(early.stdout)["result"])


if __name__ == "__main__":
    unittest.main()
