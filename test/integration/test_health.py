"""GET /healthz and /readyz, and the graceful drain on SIGTERM
(docs/OPERATIONS.md, "Health"): the real binary on loopback, stopped by
signals sent to its pid; every wait is bounded."""

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
import unittest
import urllib.parse

from bora_server import BORA, BoraServer

SANITIZED = os.environ.get("BORA_SANITIZED", "") in ("1", "ON", "TRUE", "true")
SLACK = 3.0 if SANITIZED else 1.0  # seconds of start-up and scheduling slack

TWO_SLEEPS = """
version: '2.0'
two_sleeps:
  tasks:
    first:
      action: std.sleep seconds=2
      on-success: second
    second:
      action: std.sleep seconds=1
"""

CUT = """
version: '2.0'
cut_safe:
  tasks:
    long:
      action: std.sleep seconds=4
      safe-rerun: true
cut_unsafe:
  tasks:
    long:
      action: std.sleep seconds=4
"""

LONG = """
version: '2.0'
long_sleep:
  tasks:
    long:
      action: std.sleep seconds=60
"""


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out after %s s waiting for %s" % (timeout, what))


class Harness(unittest.TestCase):
    env = {}

    def setUp(self):
        self.server = BoraServer(env=self.env).start()
        self.handed = set()  # the actions running_action saw handed over, since the last start

    def tearDown(self):
        self.server.cleanup()

    def req(self, method, path, body=None):
        return self.server.request(method, path, body)

    def define(self, text):
        status, body, _ = self.req("POST", "/v2/workflows", text)
        self.assertEqual(201, status, body)

    def start(self, name):
        status, body, _ = self.req("POST", "/v2/executions", {"workflow_name": name})
        self.assertEqual(201, status, body)
        return body["id"]

    def running_action(self, ex_id, task):
        """Waits until the task's action runs on the executor: stored
        RUNNING, and handed to the executor's pool. The engine stores it
        RUNNING first and hands it over after that commit; a SIGTERM in
        between withholds it (wind_down marks it never started), and the
        drain then has nothing to wait for."""
        def find():
            status, body, _ = self.req("GET", "/v2/executions/%s/tasks" % ex_id)
            for t in body.get("tasks", []) if status == 200 else []:
                if t["name"] == task:
                    s, actions, _ = self.req("GET", "/v2/tasks/%s/action_executions" % t["id"])
                    running = [a for a in actions.get("action_executions", []) if a["state"] == "RUNNING"]
                    if running:
                        return running[0]
            return None
        action = wait_for(find, 10, "a RUNNING action of task " + task)
        self.handed.add(action["id"])
        wait_for(lambda: self.actions_running() >= len(self.handed), 10,
                 "%d action(s) handed to the executor" % len(self.handed))
        return action

    def actions_running(self):
        status, text, _ = self.req("GET", "/metrics")
        self.assertEqual(200, status)
        for line in text.splitlines():
            if line.startswith("bora_engine_actions_running "):
                return float(line.split()[1])
        return 0

    def execution(self, ex_id):
        status, body, _ = self.req("GET", "/v2/executions/" + ex_id)
        self.assertEqual(200, status, body)
        return body

    def wait_state(self, ex_id, states, timeout):
        return wait_for(lambda: self.execution(ex_id)["state"] in states and self.execution(ex_id), timeout,
                        "execution %s in %s" % (ex_id, states))

    def terminate(self):
        """SIGTERM; returns the moment it was sent."""
        sent = time.time()
        self.server.proc.send_signal(signal.SIGTERM)
        return sent

    def exit_code(self, timeout):
        code = self.server.proc.wait(timeout=timeout)
        self.server.proc.stdout.close()
        return code

    def restart(self):
        self.server.start()
        self.handed = set()


class HealthEndpointsTest(Harness):
    def test_healthz_and_readyz_answer_while_serving(self):
        status, body, _ = self.req("GET", "/healthz")
        self.assertEqual((200, {"status": "ok"}), (status, body))
        status, body, _ = self.req("GET", "/readyz")
        self.assertEqual(200, status, body)
        self.assertEqual("ready", body["status"])
        self.assertEqual([], body["failed"])
        self.assertEqual({"database", "schema", "engine", "draining"}, set(body["checks"]))
        for name, check in body["checks"].items():
            self.assertTrue(check["ok"], name)
        # Mistral's routes are untouched: GET / is still the version document.
        status, body, _ = self.req("GET", "/")
        self.assertEqual(200, status)
        self.assertIn("versions", body)

    def test_readyz_fails_when_another_node_upgraded_the_schema(self):
        # A rolling upgrade: a newer bora migrated the shared database while
        # this one still runs. This process cannot write that schema safely.
        path = self.server.db_url[len("sqlite:///"):]
        with sqlite3.connect(path, timeout=5) as db:
            latest = db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
            db.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'newer', 0)",
                       (latest + 1,))
        status, body, _ = self.req("GET", "/readyz")
        self.assertEqual(503, status, body)
        self.assertEqual(["schema"], body["failed"])
        self.assertIn("newer than this binary", body["checks"]["schema"]["detail"])
        status, _, _ = self.req("GET", "/healthz")
        self.assertEqual(200, status)


class OldSchemaTest(unittest.TestCase):
    def test_a_server_that_does_not_upgrade_is_not_ready_until_upgraded(self):
        server = BoraServer(env={"BORA_DATABASE_UPGRADE_ON_START": "false"})
        try:
            # A database left at schema version 1 by an older bora.
            subprocess.run([BORA, "db", "upgrade", "--to", "1", "--db", server.db_url], check=True, timeout=30,
                           capture_output=True)
            server.start()
            status, body, _ = server.request("GET", "/readyz")
            self.assertEqual(503, status, body)
            self.assertIn("schema", body["failed"])
            self.assertIn("engine", body["failed"])
            self.assertIn("bora db upgrade", body["checks"]["schema"]["detail"])
            self.assertEqual(200, server.request("GET", "/healthz")[0])
            server.stop()
            subprocess.run([BORA, "db", "upgrade", "--db", server.db_url], check=True, timeout=30,
                           capture_output=True)
            server.start()
            status, body, _ = server.request("GET", "/readyz")
            self.assertEqual(200, status, body)
        finally:
            server.cleanup()

    def test_upgrade_to_refuses_a_version_out_of_range(self):
        server = BoraServer()
        try:
            r = subprocess.run([BORA, "db", "upgrade", "--to", "0", "--db", server.db_url], timeout=30,
                               capture_output=True, text=True)
            self.assertEqual(2, r.returncode)
            self.assertIn("--to must be a schema version between 1 and", r.stderr)
        finally:
            server.cleanup()


class DrainTest(Harness):
    def test_sigterm_lets_the_running_action_finish_and_exits_0(self):
        self.define(TWO_SLEEPS)
        ex_id = self.start("two_sleeps")
        self.running_action(ex_id, "first")
        # A request in progress: an action run on its own, answered when it
        # ends (2 s), within the drain.
        in_flight = {}
        # Connected before the thread starts (a connection made after the
        # signal is refused); the request has SLACK to reach its handler.
        url = urllib.parse.urlparse(self.server.url)
        sync_conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        sync_conn.connect()

        def run_sync():
            sync_conn.request("POST", "/v2/action_executions",
                              json.dumps({"name": "std.sleep", "input": json.dumps({"seconds": 2}),
                                          "params": json.dumps({"run_sync": True})}),
                              {"Content-Type": "application/json"})
            resp = sync_conn.getresponse()
            in_flight["answer"] = (resp.status, json.loads(resp.read() or b"{}"))
            sync_conn.close()
        caller = threading.Thread(target=run_sync)
        caller.start()
        time.sleep(0.3 * SLACK)  # the request reaches its handler
        # A kept-alive connection opened before the signal.
        url = urllib.parse.urlparse(self.server.url)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        conn.request("GET", "/healthz")
        healthz = conn.getresponse()
        healthz.read()
        self.assertEqual(200, healthz.status)
        sent = self.terminate()
        # A request that reaches the server as the signal does is answered
        # (with Connection: close); what comes once the drain began is not.
        wait_for(lambda: "engine: draining" in self.server.logs(), 5 * SLACK, "the drain to begin")

        # Its next request is refused with 503 and the connection closes.
        def refused():
            conn.request("GET", "/readyz")
            resp = conn.getresponse()
            resp.read()
            return resp if resp.status == 503 else None
        resp = wait_for(refused, 5, "a 503 on the kept-alive connection")
        self.assertEqual("close", resp.getheader("Connection"))
        conn.close()
        # A new connection is not accepted (or gets 503): not ready.
        try:
            status = self.req("GET", "/readyz")[0]
        except OSError:
            status = None
        self.assertIn(status, (None, 503))

        # first (2 s) ends within the drain, then the process exits 0.
        self.assertEqual(0, self.exit_code(timeout=2 + 5 * SLACK))
        took = time.time() - sent
        self.assertLess(took, 2 + 3 * SLACK, "the drain waited for more than the running action")
        self.assertIn("drained in", self.server.logs())
        caller.join(timeout=10)
        self.assertIn(in_flight.get("answer", (None,))[0], (200, 201), in_flight)
        self.assertEqual("SUCCESS", in_flight["answer"][1]["state"])

        # first's result was committed during the drain; second, created
        # then but never started, runs after the restart (no safe-rerun
        # needed: it never began).
        self.restart()
        ex = self.wait_state(ex_id, ("SUCCESS", "ERROR"), 10 + 5 * SLACK)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        status, tasks, _ = self.req("GET", "/v2/executions/%s/tasks" % ex_id)
        for t in tasks["tasks"]:
            s, actions, _ = self.req("GET", "/v2/tasks/%s/action_executions" % t["id"])
            self.assertEqual(["SUCCESS"], [a["state"] for a in actions["action_executions"]], t["name"])

    def test_shutdown_timeout_shorter_than_the_action(self):
        self.server.cleanup()
        self.server = BoraServer(env={"BORA_API_SHUTDOWN_TIMEOUT": "1"}).start()
        self.define(CUT)
        safe = self.start("cut_safe")
        unsafe = self.start("cut_unsafe")
        self.running_action(safe, "long")
        self.running_action(unsafe, "long")
        sent = self.terminate()
        self.assertEqual(0, self.exit_code(timeout=10))
        took = time.time() - sent
        self.assertLess(took, 1 + 2 * SLACK, "the process outlived [api] shutdown_timeout")
        self.assertIn("did not finish within [api] shutdown_timeout", self.server.logs())
        # Recovery at the next start: the safe-rerun action runs again, the
        # other is failed with the reason (docs/ENGINE.md, "Crashes").
        self.restart()
        ex = self.wait_state(safe, ("SUCCESS", "ERROR"), 10 + 5 * SLACK)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        ex = self.wait_state(unsafe, ("SUCCESS", "ERROR"), 10)
        self.assertEqual("ERROR", ex["state"])
        self.assertIn("running when bora stopped", ex["state_info"])

    def test_a_second_signal_exits_at_once(self):
        self.define(LONG)
        ex_id = self.start("long_sleep")
        self.running_action(ex_id, "long")
        self.terminate()
        wait_for(lambda: "draining" in self.server.logs(), 5, "the drain to begin")
        sent = self.terminate()
        self.assertEqual(1, self.exit_code(timeout=5))
        self.assertLess(time.time() - sent, 2 * SLACK)
        self.assertIn("second signal", self.server.logs())

    def test_an_idle_server_exits_0_at_once(self):
        sent = self.terminate()
        self.assertEqual(0, self.exit_code(timeout=10))
        self.assertLess(time.time() - sent, 2 * SLACK)


if __name__ == "__main__":
    unittest.main()
