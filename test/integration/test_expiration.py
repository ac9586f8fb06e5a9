"""Mistral's execution expiration policy: `bora db purge` applies its
rules once, the server applies them at start and every
evaluation_interval; finished root executions go with their
sub-executions, tasks and action executions; running ones and ignored
states stay; bad options are refused with Mistral's words."""

import os
import sqlite3
import subprocess
import time
import unittest

from bora_server import BORA, BoraServer

DEFS = """version: '2.0'
leaf:
  tasks:
    t:
      action: std.echo output='leaf'
parent:
  tasks:
    call:
      workflow: leaf
failing:
  tasks:
    t:
      action: std.fail
"""


def bora(*args, env=None):
    return subprocess.run([BORA, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **(env or {})))


class ExpirationTest(unittest.TestCase):
    def setUp(self):
        self.server = BoraServer().start()
        self.addCleanup(self.server.cleanup)
        self.db_path = self.server.db_url[len("sqlite:///"):]
        status, _, _ = self.server.request("POST", "/v2/workflows", DEFS)
        self.assertEqual(status, 201)

    def run_wf(self, name, n):
        ids = []
        for _ in range(n):
            status, ex, _ = self.server.request("POST", "/v2/executions", {"workflow_name": name})
            self.assertEqual(status, 201)
            ids.append(ex["id"])
        for i in ids:
            deadline = time.time() + 20
            while time.time() < deadline:
                _, ex, _ = self.server.request("GET", "/v2/executions/" + i)
                if ex["state"] not in ("RUNNING", "IDLE"):
                    break
                time.sleep(0.05)
        return ids

    def counts(self):
        with sqlite3.connect(self.db_path) as c:
            roots = c.execute("SELECT COUNT(*) FROM workflow_executions_v2 WHERE task_execution_id IS NULL").fetchone()[0]
            subs = c.execute("SELECT COUNT(*) FROM workflow_executions_v2 WHERE task_execution_id IS NOT NULL").fetchone()[0]
            orphans = c.execute("SELECT COUNT(*) FROM task_executions_v2 t WHERE NOT EXISTS (SELECT 1 FROM "
                                "workflow_executions_v2 e WHERE e.id = t.workflow_execution_id)").fetchone()[0]
            actions = c.execute("SELECT COUNT(*) FROM action_executions_v2").fetchone()[0]
        self.assertEqual(orphans, 0)
        return roots, subs, actions

    def test_purge_rules_and_cascade(self):
        parents = self.run_wf("parent", 3)
        self.run_wf("leaf", 2)
        failed = self.run_wf("failing", 1)
        self.assertEqual(self.counts()[:2], (6, 3))

        # Recent: the age rule deletes nothing.
        r = bora("db", "purge", "--older-than", "60", "--db", self.server.db_url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("deleted 0 finished executions", r.stdout)

        # Two parents made old: they go with their sub-executions and actions.
        with sqlite3.connect(self.db_path) as c:
            old = int((time.time() - 7200) * 1e6)
            c.executemany("UPDATE workflow_executions_v2 SET updated_at = ? WHERE id = ?",
                          [(old, parents[0]), (old, parents[1])])
        actions_before = self.counts()[2]
        r = bora("db", "purge", "--older-than", "60", "--db", self.server.db_url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("deleted 2 finished executions (2 older than 60 min", r.stdout)
        roots, subs, actions = self.counts()
        self.assertEqual((roots, subs), (4, 1))
        self.assertEqual(actions, actions_before - 2)  # each parent's leaf ran one action

        # Keep the latest two, but never ERROR ones.
        conf = os.path.join(self.server.tmp, "purge.conf")
        with open(conf, "w") as f:
            f.write("[execution_expiration_policy]\nignored_states = ERROR\n")
        r = bora("db", "purge", "--max-finished", "2", "--config", conf, "--db", self.server.db_url)
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(self.db_path) as c:
            left = [row[0] for row in c.execute(
                "SELECT id FROM workflow_executions_v2 WHERE task_execution_id IS NULL")]
        self.assertIn(failed[0], left)  # ignored state: not counted, not deleted
        self.assertEqual(len(left), 3)

        # A running execution is never deleted.
        with sqlite3.connect(self.db_path) as c:
            c.execute("UPDATE workflow_executions_v2 SET state = 'RUNNING', updated_at = ? WHERE id = ?",
                      (int((time.time() - 7200) * 1e6), left[0] if left[0] != failed[0] else left[1]))
        r = bora("db", "purge", "--older-than", "1", "--max-finished", "1", "--db", self.server.db_url)
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(self.db_path) as c:
            states = sorted(row[0] for row in c.execute(
                "SELECT state FROM workflow_executions_v2 WHERE task_execution_id IS NULL"))
        # The running one stays; of the finished ones the latest (the failing
        # execution, started last) is kept.
        self.assertEqual(states, ["ERROR", "RUNNING"])

    def test_server_applies_the_policy_at_start(self):
        self.run_wf("leaf", 5)
        self.server.stop()
        conf = os.path.join(self.server.tmp, "policy.conf")
        with open(conf, "w") as f:
            f.write("[execution_expiration_policy]\nevaluation_interval = 60\nmax_finished_executions = 2\n")
        again = BoraServer(["--config", conf], db_url=self.server.db_url).start()
        try:
            deadline = time.time() + 20
            while self.counts()[0] > 2 and time.time() < deadline:
                time.sleep(0.1)
            self.assertEqual(self.counts()[0], 2)
            self.assertIn("deleted 0 expired and 3 superfluous finished executions", again.logs())
        finally:
            again.cleanup()

    def test_bad_options_and_usage(self):
        conf = os.path.join(self.server.tmp, "bad.conf")
        with open(conf, "w") as f:
            f.write("[execution_expiration_policy]\nevaluation_interval = 1\nolder_than = 5\n"
                    "ignored_states = RUNNING\n")
        r = subprocess.run([BORA, "server", "--config", conf, "--port", "0", "--db", "sqlite://"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn("RUNNING is not a terminal state. The valid states are [CANCELLED, ERROR, SUCCESS]", r.stderr)
        r = bora("db", "purge", "--db", self.server.db_url)
        self.assertEqual(r.returncode, 2)
        self.assertIn("say what to delete", r.stderr)
        r = bora("db", "purge", "--older-than", "soon", "--db", self.server.db_url)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--older-than must be a whole number", r.stderr)

    def test_vacuum_then_space_comes_back(self):
        self.run_wf("leaf", 30)
        r = bora("db", "vacuum", "--db", self.server.db_url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("rewritten", r.stdout)
        with sqlite3.connect(self.db_path) as c:
            self.assertEqual(c.execute("PRAGMA auto_vacuum").fetchone()[0], 2)
        r = bora("db", "purge", "--max-finished", "1", "--db", self.server.db_url)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"deleted 29 finished executions .*; [1-9]\d* bytes given back")


if __name__ == "__main__":
    unittest.main()
