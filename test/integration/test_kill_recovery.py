"""SIGKILL in the middle of long executions (issue 4, durability): a
1000-item with-items (safe-rerun) and a chain whose task retries with a
delay. After a restart every execution ends as it would have, nothing is
lost and nothing runs twice beyond what safe-rerun allows."""
import json
import time
import unittest
import uuid

from bora_server import BoraServer

WF = """
version: '2.0'
many_items:
  tasks:
    each:
      with-items: i in <% range(1000) %>
      concurrency: 50
      safe-rerun: true
      action: std.echo
      input:
        output: <% $.i %>
        delay: 0.03  # inline, `delay=0.03` would be 0, as in Mistral
      publish:
        total: <% task().result.sum() %>
      on-success: [after]
    after:
      action: std.noop
retried:
  tasks:
    start:
      action: std.noop
      on-success: [flaky]
    flaky:
      action: std.fail
      retry:
        count: 3
        delay: 1
"""


class KillRecoveryTest(unittest.TestCase):
    def test_kill_mid_with_items_and_retries(self):
        # One [cluster] node_id across the kill: the restarted process is
        # the same node and takes up its own leftovers at its start. (With
        # a new id, on MariaDB, it would wait for the killed node's lease,
        # [cluster] lease_seconds = 30 s, to lapse first: half of the wait
        # below, which a loaded machine then missed.)
        server = BoraServer(env={"BORA_CLUSTER_NODE_ID": "kill-recovery-" + uuid.uuid4().hex[:8]}).start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", WF)[0])
            ids = {}
            for wf in ("many_items", "retried"):
                status, body, _ = server.request("POST", "/v2/executions", {"workflow_name": wf})
                self.assertEqual(201, status, body)
                ids[wf] = body["id"]
            time.sleep(0.8)  # some items done, some running; the retry waits on its timer
            items_before = self.count_actions(server, ids["many_items"])
            server.kill()
            server.start()
            states = {}
            deadline = time.time() + 60
            while time.time() < deadline:
                states = {wf: server.request("GET", "/v2/executions/" + i)[1]["state"] for wf, i in ids.items()}
                if all(s not in ("RUNNING", "IDLE", "PAUSED") for s in states.values()):
                    break
                time.sleep(0.1)
            self.assertEqual({"many_items": "SUCCESS", "retried": "ERROR"}, states)

            # with-items: every item's result once, in order, whatever was
            # interrupted; the killed run had really started some items.
            self.assertGreater(items_before, 0)
            self.assertLess(items_before, 1000, "the kill came too late to test anything")
            ex = server.request("GET", "/v2/executions/" + ids["many_items"])[1]
            tasks = server.request("GET", "/v2/tasks?workflow_execution_id=" + ids["many_items"])[1]["tasks"]
            each = [t for t in tasks if t["name"] == "each"][0]
            each = server.request("GET", "/v2/tasks/" + each["id"])[1]  # the result is not in lists
            self.assertEqual(list(range(1000)), json.loads(each["result"]))
            self.assertEqual({"total": sum(range(1000))}, json.loads(each["published"]))
            self.assertEqual(["after", "each"], sorted(t["name"] for t in tasks))
            actions = self.actions(server, each["id"])
            accepted = [a for a in actions if a["accepted"]]
            self.assertEqual(1000, len(accepted))
            # At most the items running at the kill (concurrency 50) ran twice.
            self.assertLessEqual(len(actions), 1000 + 50)
            self.assertEqual(ex["state"], "SUCCESS")

            # Retries: the first attempt and exactly three retries, no more
            # (a timer fired twice) and no fewer (a timer lost).
            tasks = server.request("GET", "/v2/tasks?workflow_execution_id=" + ids["retried"])[1]["tasks"]
            flaky = [t for t in tasks if t["name"] == "flaky"][0]
            self.assertEqual("ERROR", flaky["state"])
            self.assertEqual(4, len(self.actions(server, flaky["id"])))
        finally:
            server.cleanup()

    @staticmethod
    def actions(server, task_id):
        status, body, _ = server.request("GET", "/v2/tasks/%s/action_executions?limit=5000" % task_id)
        assert status == 200, body
        return body["action_executions"]

    @staticmethod
    def count_actions(server, ex_id):
        tasks = server.request("GET", "/v2/tasks?workflow_execution_id=" + ex_id)[1]["tasks"]
        return sum(len(KillRecoveryTest.actions(server, t["id"])) for t in tasks if t["name"] == "each")


if __name__ == "__main__":
    unittest.main()
