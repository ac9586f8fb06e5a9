"""Bora on a 3-node MariaDB Galera cluster, one Galera node killed mid-run
(issue 14, part 4).

A private Galera cluster on loopback (test/support/galera_cluster.py) and
three Bora nodes, each pointing first at a different Galera node through a
multi-host URL (mysql://...@g2,g3,g1/db: its own node first, the others to
fail over to). A round-robin client starts chains, with-items, joins,
sub-workflows, asynchronous actions completed through another Bora node,
and HTTP actions that are not safe-rerun (a loopback witness counts their
calls). Mid-run, Galera node 2 is killed with SIGKILL and later restarted.
What must hold: every execution whose start was acknowledged (201) exists
and ends SUCCESS, no HTTP action ran twice, the Bora node whose Galera node
died failed over to the next host and came back to it once it was Synced
again, and the three Galera nodes hold the same executions at the end.

Skipped (exit 77) when galera-4, rsync or mariadbd is not installed. Every
wait is bounded; every server is stopped by its pid."""
import json
import os
import sys
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from bora_server import BoraServer  # noqa: E402
from galera_cluster import GaleraCluster  # noqa: E402
from mariadb_server import MariaDbUnavailable  # noqa: E402
from test_multinode import WORKFLOWS as MULTINODE_WORKFLOWS, Witness  # noqa: E402

HEARTBEAT = 1
LEASE = 5
FAILBACK = 2  # the URL's failback_interval, seconds
DONE = ("SUCCESS", "ERROR", "CANCELLED")

# test_multinode's workflows (a 40-item with-items, joins, a parent of
# three sub-workflows, a chain, an asynchronous action, ...) and one HTTP
# action that is not safe-rerun, counted by the witness.
WORKFLOWS = MULTINODE_WORKFLOWS.replace("range(ITEMS)", "range(40)") + """
counted:
  input: [n]
  tasks:
    call:
      action: std.http
      input:
        url: WITNESS/once/<% $.n %>
        timeout: 30
      publish: {got: <% task().result.content %>}
  output:
    got: <% $.got %>
"""


class GaleraTest(unittest.TestCase):
    maxDiff = None  # a failure shows every execution that did not succeed, with its state_info

    @classmethod
    def setUpClass(cls):
        try:
            cls.cluster = GaleraCluster()
        except MariaDbUnavailable as e:
            print("skipped: %s" % e, file=sys.stderr)
            sys.exit(77)
        cls.nodes = []
        cls.witness = Witness()
        started = time.monotonic()
        cls.cluster.start()
        print("\nGalera: 3 nodes Synced in %.1f s" % (time.monotonic() - started), file=sys.stderr)
        try:
            database = "bora_galera_" + uuid.uuid4().hex[:10]
            for i, name in enumerate(("node-a", "node-b", "node-c")):
                # Its own Galera node first, then the others.
                order = [(i + k) % 3 for k in range(3)]
                url = cls.cluster.multi_host_url(database, order) + "?failback_interval=%d" % FAILBACK
                cls.nodes.append(BoraServer(db_url=url, env={
                    "BORA_CLUSTER_NODE_ID": name,
                    "BORA_CLUSTER_HEARTBEAT_INTERVAL": str(HEARTBEAT),
                    "BORA_CLUSTER_LEASE_SECONDS": str(LEASE),
                }).start())
            status, body, _ = cls.nodes[0].request("POST", "/v2/workflows",
                                                   WORKFLOWS.replace("WITNESS", cls.witness.url))
            assert status == 201, body
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for n in cls.nodes:
            n.cleanup()
        cls.cluster.stop()
        cls.witness.stop()

    # -- the round-robin client ---------------------------------------------
    turn = 0

    def next_node(self):
        node = self.nodes[self.turn % 3]
        type(self).turn += 1
        return node

    def ok(self, method, path, body=None, node=None, expected=(200, 201)):
        status, answer, _ = (node or self.next_node()).request(method, path, body)
        self.assertIn(status, expected, answer)
        return answer

    def try_start(self, workflow, **inputs):
        """Starts an execution through the next node; its id when the
        start was acknowledged (201), else None (a refusal while the
        cluster changes is allowed; a lie is not)."""
        node = self.next_node()
        try:
            status, body, _ = node.request("POST", "/v2/executions", {"workflow_name": workflow, "input": inputs})
        except OSError as e:
            self.refused.append("%s: %s" % (workflow, e))
            return None
        if status == 201:
            return body["id"]
        self.refused.append("%s: %s %s" % (workflow, status, body))
        return None

    def galera_count(self, index, sql):
        out = self.cluster.nodes[index].sql(sql)
        return int(out.split("\n")[1])

    def bora_connections(self, index):
        return self.galera_count(index, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'bora'")

    def test_galera_node_killed_mid_run(self):
        self.refused = []
        started = {}  # id -> (workflow, n)
        n = 0

        def start_round():
            nonlocal n
            for workflow in ("chain", "items", "joins", "parent", "counted", "counted", "waits_for_callback"):
                n += 1
                ex_id = self.try_start(workflow, n=n) if workflow in ("joins", "counted") \
                    else self.try_start(workflow)
                if ex_id:
                    started[ex_id] = (workflow, n)

        # Node-b's first Galera node is node 2: it has connections there.
        self.assertGreater(self.bora_connections(1), 0)
        for _ in range(3):
            start_round()
        time.sleep(1.0)  # actions in flight, timers pending

        killed_at = time.monotonic()
        self.cluster.nodes[1].kill()  # SIGKILL, by pid
        # Starts keep coming while the cluster evicts the dead node.
        for _ in range(3):
            start_round()
            time.sleep(0.5)
        self.cluster.wait_synced(60, size=2)
        print("Galera node 2 killed; the other two primary again after %.1f s" % (time.monotonic() - killed_at),
              file=sys.stderr)
        for _ in range(2):
            start_round()

        restarted_at = time.monotonic()
        self.cluster.restart(1)  # IST of what it missed, then Synced
        print("Galera node 2 back and Synced %.1f s after its restart" % (time.monotonic() - restarted_at),
              file=sys.stderr)
        for _ in range(2):
            start_round()

        # The asynchronous actions are completed through another Bora node
        # than the one that started them.
        callbacks = [i for i, (w, _) in started.items() if w == "waits_for_callback"]
        deadline = time.monotonic() + 60
        pending = set(callbacks)
        while pending and time.monotonic() < deadline:
            for ex_id in list(pending):
                tasks = self.ok("GET", "/v2/tasks?workflow_execution_id=" + ex_id)["tasks"]
                if not tasks:
                    continue
                actions = self.ok("GET", "/v2/tasks/%s/action_executions" % tasks[0]["id"])["action_executions"]
                if actions and actions[0]["state"] == "RUNNING":
                    self.ok("PUT", "/v2/action_executions/" + actions[0]["id"],
                            {"state": "SUCCESS", "output": json.dumps({"from": ex_id})})
                    pending.discard(ex_id)
            time.sleep(0.2)
        self.assertEqual(set(), pending, "asynchronous actions that never started")

        # Every acknowledged execution ends SUCCESS.
        deadline = time.monotonic() + 90
        seen = {}
        while time.monotonic() < deadline:
            for ex_id in started:
                if ex_id not in seen or seen[ex_id]["state"] not in DONE:
                    seen[ex_id] = self.ok("GET", "/v2/executions/" + ex_id)
            if all(e["state"] in DONE for e in seen.values()):
                break
            time.sleep(0.3)
        states = {i: (started[i][0], e["state"], e.get("state_info")) for i, e in seen.items()
                  if e["state"] != "SUCCESS"}
        self.assertEqual({}, states)
        print("%d executions acknowledged, all SUCCESS, %.1f s after the kill; %d starts refused while the "
              "cluster changed: %s" % (len(started), time.monotonic() - killed_at, len(self.refused),
                                      self.refused[:3]), file=sys.stderr)

        for ex_id, (workflow, k) in started.items():
            output = json.loads(seen[ex_id]["output"])
            if workflow == "chain":
                tasks = self.ok("GET", "/v2/tasks?workflow_execution_id=" + ex_id)["tasks"]
                self.assertEqual(["s1", "s2", "s3", "s4", "s5", "s6"], sorted(t["name"] for t in tasks))
            elif workflow == "items":
                self.assertEqual({"total": sum(range(40))}, output)
            elif workflow == "joins":
                self.assertEqual({"sum": 2 * k + 1}, output)
            elif workflow == "parent":
                self.assertEqual({"ys": [2, 4, 6]}, output)
            elif workflow == "counted":
                self.assertEqual({"got": k}, output)
                # Not safe-rerun: called exactly once.
                self.assertEqual(1, self.witness.count("/once/%d" % k), k)
            elif workflow == "waits_for_callback":
                self.assertEqual({"got": {"from": ex_id}}, output)
        # No HTTP call came from an execution that was not acknowledged
        # (a refused start left nothing running behind).
        acknowledged = {"/once/%d" % k for w, k in started.values() if w == "counted"}
        with self.witness.lock:
            called = {p for p in self.witness.counts if p.startswith("/once/")}
        self.assertEqual(set(), called - acknowledged)

        # Node-b went to another Galera node while its own was down...
        self.assertIn("trying the next one", self.nodes[1].logs())
        print("transactions run again (lost connection, certification failure, node not ready): %s"
              % {n.env["BORA_CLUSTER_NODE_ID"]: n.logs().count("running it again") for n in self.nodes},
              file=sys.stderr)
        # ...and back to it within a few failback intervals of its return.
        deadline = time.monotonic() + 10 * FAILBACK + 10
        while self.bora_connections(1) == 0:
            self.assertLess(time.monotonic(), deadline, "node-b never came back to Galera node 2")
            self.ok("GET", "/v2/executions?limit=1", node=self.nodes[1])
            time.sleep(0.3)

        # The three Galera nodes hold the same executions.
        database = self.nodes[0].db_url.split("/")[-1].split("?")[0]
        sql = "SELECT COUNT(*) FROM `%s`.workflow_executions_v2" % database
        deadline = time.monotonic() + 30
        while True:
            counts = [self.galera_count(i, sql) for i in range(3)]
            if len(set(counts)) == 1 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        self.assertEqual(1, len(set(counts)), counts)
        self.assertGreaterEqual(counts[0], len(started))


if __name__ == "__main__":
    unittest.main()
