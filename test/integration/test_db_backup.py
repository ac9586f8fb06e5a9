"""`bora db backup FILE` on a database a running server keeps writing:
the copy is one consistent snapshot, serves as a database of its own, and
the command refuses what it must (an existing file, a database with no
schema, an in-memory one)."""

import os
import sqlite3
import subprocess
import threading
import time
import unittest

from bora_server import BORA, BoraServer

WF = """version: '2.0'
backup_wf:
  tasks:
    a:
      action: std.echo output='one'
      on-success: [b]
    b:
      action: std.echo output='two'
"""


def bora(*args):
    return subprocess.run([BORA, *args], capture_output=True, text=True, timeout=120)


class BackupTest(unittest.TestCase):
    def setUp(self):
        self.server = BoraServer().start()
        self.addCleanup(self.server.cleanup)
        status, _, _ = self.server.request("POST", "/v2/workflows", WF)
        self.assertEqual(status, 201)

    def start_executions(self, stop, started):
        while not stop.is_set():
            status, body, _ = self.server.request("POST", "/v2/executions", {"workflow_name": "backup_wf"})
            if status == 201:
                started.append(body["id"])

    def test_backup_under_load_is_consistent_and_serves(self):
        stop, started = threading.Event(), []
        writers = [threading.Thread(target=self.start_executions, args=(stop, started)) for _ in range(4)]
        for w in writers:
            w.start()
        try:
            deadline = time.time() + 20
            while len(started) < 50 and time.time() < deadline:
                time.sleep(0.05)
            target = os.path.join(self.server.tmp, "copy.db")
            r = bora("db", "backup", target, "--db", self.server.db_url)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stdout, r"backed up to .*copy\.db \(schema version \d+, \d+ pages, \d+ bytes\)")
            after_backup = len(started)
        finally:
            stop.set()
            for w in writers:
                w.join(timeout=30)
        self.assertGreater(after_backup, 0)
        self.assertFalse(os.path.exists(target + ".partial"))

        # A whole, plain database file (no WAL needed to read it).
        with sqlite3.connect(target) as c:
            self.assertEqual(c.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertEqual(c.execute("PRAGMA journal_mode").fetchone()[0], "delete")
            copied = c.execute("SELECT COUNT(*) FROM workflow_executions_v2").fetchone()[0]
            # One snapshot: every task in the copy belongs to an execution in
            # the copy, and no execution has more than its two tasks.
            orphans = c.execute("SELECT COUNT(*) FROM task_executions_v2 t WHERE NOT EXISTS "
                                "(SELECT 1 FROM workflow_executions_v2 e WHERE e.id = t.workflow_execution_id)"
                                ).fetchone()[0]
        self.assertGreater(copied, 0)
        self.assertEqual(orphans, 0)

        # The copy serves: a server on it lists the workflow and what was
        # copied, and runs new work.
        restored = BoraServer(db_url="sqlite:///" + target).start()
        try:
            status, wfs, _ = restored.request("GET", "/v2/workflows?name=backup_wf")
            self.assertEqual(status, 200)
            self.assertEqual([w["name"] for w in wfs["workflows"]], ["backup_wf"])
            # A page holds at most [api] max limit rows: follow "next".
            listed, path = 0, "/v2/executions?limit=1000"
            while path:
                status, exs, _ = restored.request("GET", path)
                self.assertEqual(status, 200)
                listed += len(exs["executions"])
                nxt = exs.get("next")
                path = nxt[nxt.index("/v2/"):] if nxt else None
            self.assertEqual(listed, copied)
            status, ex, _ = restored.request("POST", "/v2/executions", {"workflow_name": "backup_wf"})
            self.assertEqual(status, 201)
            deadline = time.time() + 20
            while ex["state"] == "RUNNING" and time.time() < deadline:
                time.sleep(0.05)
                _, ex, _ = restored.request("GET", "/v2/executions/" + ex["id"])
            self.assertEqual(ex["state"], "SUCCESS")
        finally:
            restored.cleanup()

    def test_refusals(self):
        target = os.path.join(self.server.tmp, "exists.db")
        open(target, "w").close()
        r = bora("db", "backup", target, "--db", self.server.db_url)
        self.assertEqual(r.returncode, 1)
        self.assertIn("exists: a backup never overwrites a file", r.stderr)

        empty = os.path.join(self.server.tmp, "nothing-here.db")
        r = bora("db", "backup", os.path.join(self.server.tmp, "x.db"), "--db", "sqlite:///" + empty)
        self.assertEqual(r.returncode, 1)
        self.assertIn("holds no Bora database", r.stderr)

        r = bora("db", "backup", os.path.join(self.server.tmp, "y.db"), "--db", "sqlite://")
        self.assertEqual(r.returncode, 1)
        r = bora("db", "backup")
        self.assertEqual(r.returncode, 2)
        self.assertIn("give the file to write", r.stderr)


if __name__ == "__main__":
    unittest.main()
