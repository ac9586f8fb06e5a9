"""Recovery never crash-loops (issue 12, finding 1): an action that brings
the process down is re-run by recovery (safe-rerun) and brings it down
again; after [engine] max_recovery_attempts such starts the execution is
failed with a state_info saying why, and the server comes up and runs other
executions. The crash is the engine's test hook BORA_TEST_CRASH_ON_TASK
(the process aborts while an action of the named task runs)."""
import json
import time
import unittest
import uuid

from bora_server import BoraServer

WF = """
version: '2.0'
crashy:
  tasks:
    boom:
      action: std.echo output=1
      safe-rerun: true
fine:
  tasks:
    t:
      action: std.noop
"""


class RecoveryCrashLoopTest(unittest.TestCase):
    def wait_exit(self, server, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if server.proc.poll() is not None:
                return True
            time.sleep(0.05)
        return False

    def start_or_crash(self, server):
        """True when the server came up and stayed up for a while."""
        try:
            server.start()
        except RuntimeError:
            return False
        if self.wait_exit(server, timeout=2):
            server.kill()
            return False
        return True

    def test_crashing_action_is_failed_after_the_limit_and_the_server_starts(self):
        server = BoraServer(env={"BORA_TEST_CRASH_ON_TASK": "boom"}).start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", WF)[0])
            ex_id = str(uuid.uuid4())
            try:
                server.request("POST", "/v2/executions", {"id": ex_id, "workflow_name": "crashy"})
            except OSError:
                pass  # the answer may be lost with the process
            self.assertTrue(self.wait_exit(server), "the hook did not crash the server")
            server.kill()
            crashes = 0
            for _ in range(6):
                if self.start_or_crash(server):
                    break
                crashes += 1
            else:
                self.fail("the server crash-loops:\n" + server.logs()[-3000:])
            self.assertEqual(3, crashes, server.logs()[-3000:])
            status, ex, _ = server.request("GET", "/v2/executions/" + ex_id)
            self.assertEqual(200, status, ex)
            self.assertEqual("ERROR", ex["state"])
            self.assertIn("Bora stopped 3 times while recovering this execution", ex["state_info"])
            self.assertIn("rerun the task once fixed", ex["state_info"])
            tasks = server.request("GET", "/v2/executions/%s/tasks" % ex_id)[1]["tasks"]
            self.assertEqual(["ERROR"], [t["state"] for t in tasks])
            actions = server.request("GET", "/v2/tasks/%s/action_executions" % tasks[0]["id"])[1]
            self.assertTrue(all(a["state"] == "ERROR" for a in actions["action_executions"]), actions)
            # The server is up and runs other work.
            status, other, _ = server.request("POST", "/v2/executions", {"workflow_name": "fine"})
            self.assertEqual(201, status, other)
            deadline = time.time() + 20
            while time.time() < deadline:
                other = server.request("GET", "/v2/executions/" + other["id"])[1]
                if other["state"] != "RUNNING":
                    break
                time.sleep(0.05)
            self.assertEqual("SUCCESS", other["state"], other.get("state_info"))
            # A later start does not touch the failed execution again.
            server.stop()
            self.assertTrue(self.start_or_crash(server))
            self.assertEqual("ERROR", server.request("GET", "/v2/executions/" + ex_id)[1]["state"])
        finally:
            server.cleanup()

    def test_a_timer_that_crashes_the_process_is_caught_too(self):
        """The crash comes while a due timer fires (wait-before, inside the
        engine's transaction: nothing of it commits), not from an action."""
        wf = """
version: '2.0'
napper:
  tasks:
    nap:
      wait-before: 1
      action: std.noop
"""
        server = BoraServer(env={"BORA_TEST_CRASH_ON_TASK": "nap"}).start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", wf)[0])
            status, ex, _ = server.request("POST", "/v2/executions", {"workflow_name": "napper"})
            self.assertEqual(201, status, ex)
            self.assertTrue(self.wait_exit(server), "the hook did not crash the server")
            server.kill()
            crashes = 0
            for _ in range(6):
                if self.start_or_crash(server):
                    break
                crashes += 1
            else:
                self.fail("the server crash-loops:\n" + server.logs()[-3000:])
            self.assertEqual(3, crashes, server.logs()[-3000:])
            got = server.request("GET", "/v2/executions/" + ex["id"])[1]
            self.assertEqual("ERROR", got["state"])
            self.assertIn("Bora stopped 3 times while recovering this execution", got["state_info"])
            tasks = server.request("GET", "/v2/executions/%s/tasks" % ex["id"])[1]["tasks"]
            self.assertEqual(["ERROR"], [t["state"] for t in tasks])
        finally:
            server.cleanup()

    def test_limit_is_an_option(self):
        server = BoraServer(env={"BORA_TEST_CRASH_ON_TASK": "boom", "BORA_ENGINE_MAX_RECOVERY_ATTEMPTS": "1"}).start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", WF)[0])
            ex_id = str(uuid.uuid4())
            try:
                server.request("POST", "/v2/executions", {"id": ex_id, "workflow_name": "crashy"})
            except OSError:
                pass
            self.assertTrue(self.wait_exit(server))
            server.kill()
            crashes = 0
            for _ in range(4):
                if self.start_or_crash(server):
                    break
                crashes += 1
            self.assertEqual(1, crashes, server.logs()[-3000:])
            ex = server.request("GET", "/v2/executions/" + ex_id)[1]
            self.assertEqual("ERROR", ex["state"])
            self.assertIn("Bora stopped once while recovering", ex["state_info"])
        finally:
            server.cleanup()

    def test_the_count_starts_again_once_the_work_passes(self):
        """Two kills while `first` runs, then it ends; two kills while
        `second` runs: four restarts in all, never three in a row without
        progress, so the execution succeeds (without the reset it would be
        failed at the fourth start)."""
        wf = """
version: '2.0'
slow:
  tasks:
    first:
      action: std.sleep seconds=1.5
      safe-rerun: true
      on-success: [second]
    second:
      action: std.sleep seconds=1.5
      safe-rerun: true
"""
        server = BoraServer().start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", wf)[0])
            status, ex, _ = server.request("POST", "/v2/executions", {"workflow_name": "slow"})
            self.assertEqual(201, status, ex)
            for task in ("first", "first", "second", "second"):
                deadline = time.time() + 20
                while time.time() < deadline:
                    tasks = server.request("GET", "/v2/executions/%s/tasks" % ex["id"])[1]["tasks"]
                    if any(t["name"] == task and t["state"] == "RUNNING" for t in tasks):
                        break
                    time.sleep(0.05)
                else:
                    self.fail("%s did not run: %r" % (task, tasks))
                time.sleep(0.3)
                server.kill()
                server.start()
            deadline = time.time() + 30
            while time.time() < deadline:
                got = server.request("GET", "/v2/executions/" + ex["id"])[1]
                if got["state"] != "RUNNING":
                    break
                time.sleep(0.1)
            self.assertEqual("SUCCESS", got["state"], got.get("state_info"))
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
