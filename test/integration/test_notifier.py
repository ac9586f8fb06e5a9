"""Mistral's notifier (issue 17 part 1) against the built server and a real
webhook receiver the test starts on loopback: the events of executions
(which, in which order, with Mistral's payload) as Mistral's own
mistral/tests/unit/notifiers/test_notify.py expects them; the event_types
filter; params.notify checked with a 4xx; the server-wide [notifier]
notify; retries with backoff while the receiver fails; delivery resumed,
in order and complete, after a SIGKILL of bora; webhook URLs obeying
[executor] denied_networks as std.http does."""

import http.server
import json
import threading
import time
import unittest

from bora_server import BoraServer


class Receiver:
    """A webhook receiver: records each POST (headers, JSON body); answers
    500 while `failing` is set or `fail_next` is above zero."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts = []
        self.refused = 0
        self.failing = False
        self.fail_next = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    fail = receiver.failing or receiver.fail_next > 0
                    if fail:
                        receiver.fail_next = max(0, receiver.fail_next - 1)
                        receiver.refused += 1
                    else:
                        receiver.posts.append((self.path, dict(self.headers), json.loads(body)))
                self.send_response(500 if fail else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def events(self, path=None):
        with self.lock:
            return [(b["id"], b["event"]) for p, _, b in self.posts if path is None or p == path]

    def bodies(self, path=None):
        with self.lock:
            return [b for p, _, b in self.posts if path is None or p == path]

    def wait_for(self, count, path=None, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.events(path)) >= count:
                return self.events(path)
            time.sleep(0.05)
        raise AssertionError("%d events expected at %s, got %r" % (count, path, self.events(path)))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


CHAIN = """---
version: '2.0'
chain:
  tasks:
    t1:
      action: std.noop
      on-success: [t2]
    t2:
      action: std.noop
failing:
  tasks:
    t1:
      action: std.noop
      on-success: [t2]
    t2:
      action: std.fail
parent:
  tasks:
    t1:
      workflow: child
      on-success: [t2]
    t2:
      action: std.noop
child:
  tasks:
    t1:
      action: std.noop
waiting:
  tasks:
    t1:
      action: std.async_noop
      on-success: [t2]
    t2:
      action: std.noop
long:
  tasks:
    t1:
      action: std.noop
      on-success: [t2]
    t2:
      action: std.noop
      on-success: [t3]
    t3:
      action: std.noop
      on-success: [t4]
    t4:
      action: std.noop
"""


class NotifierBase(unittest.TestCase):
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.receiver = Receiver()
        env = {"BORA_NOTIFIER_INITIAL_DELAY": "0.1", "BORA_NOTIFIER_MAX_DELAY": "0.4"}
        env.update({k: v.replace("{receiver}", cls.receiver.url) for k, v in cls.env.items()})
        cls.server = BoraServer(env=env).start()
        status, body, _ = cls.server.request("POST", "/v2/workflows", CHAIN)
        assert status == 201, body

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.receiver.close()

    def start(self, workflow, notify, expect=201):
        status, body, _ = self.server.request(
            "POST", "/v2/executions", {"workflow_name": workflow, "params": {"notify": notify}})
        self.assertEqual(expect, status, body)
        return body

    def wait_state(self, ex_id, states, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            _, ex, _ = self.server.request("GET", "/v2/executions/" + ex_id)
            if ex["state"] in states:
                return ex
            time.sleep(0.05)
        self.fail("execution %s did not reach %s" % (ex_id, states))

    def task_ids(self, ex_id):
        _, tasks, _ = self.server.request("GET", "/v2/tasks?workflow_execution_id=" + ex_id)
        return {t["name"]: t["id"] for t in tasks["tasks"]}

    def hook(self, name, **extra):
        return dict({"type": "webhook", "url": self.receiver.url + "/" + name}, **extra)


class NotifierTest(NotifierBase):
    env = {"BORA_NOTIFIER_NOTIFY": '[{"type": "webhook", "url": "{receiver}/server-wide",'
                                   ' "event_types": ["WORKFLOW_SUCCEEDED"]}]'}

    def test_events_order_and_payload(self):
        ex = self.start("chain", [self.hook("order", headers={"X-Token": "s3cret"})])
        self.wait_state(ex["id"], ["SUCCESS"])
        got = self.receiver.wait_for(6, "/order")
        t = self.task_ids(ex["id"])
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t["t1"], "TASK_LAUNCHED"), (t["t1"], "TASK_SUCCEEDED"),
                          (t["t2"], "TASK_LAUNCHED"), (t["t2"], "TASK_SUCCEEDED"),
                          (ex["id"], "WORKFLOW_SUCCEEDED")], got)
        with self.receiver.lock:
            headers = [h for p, h, _ in self.receiver.posts if p == "/order"]
        self.assertTrue(all(h.get("X-Token") == "s3cret" for h in headers), headers)
        bodies = self.receiver.bodies("/order")
        # Mistral's Workflow._notify and Task._notify data, plus the event.
        self.assertEqual(["id", "name", "workflow_name", "workflow_namespace", "workflow_id", "state", "state_info",
                          "project_id", "task_execution_id", "root_execution_id", "created_at", "updated_at",
                          "event"], list(bodies[0]))
        self.assertEqual(["id", "name", "workflow_execution_id", "workflow_name", "workflow_namespace",
                          "workflow_id", "state", "state_info", "type", "project_id", "created_at", "updated_at",
                          "started_at", "finished_at", "event"], list(bodies[2]))
        self.assertEqual(("chain", "RUNNING", None), (bodies[0]["name"], bodies[0]["state"],
                                                      bodies[0]["task_execution_id"]))
        self.assertEqual(("t1", "SUCCESS", "ACTION", ex["id"]),
                         (bodies[2]["name"], bodies[2]["state"], bodies[2]["type"],
                          bodies[2]["workflow_execution_id"]))
        self.assertIsNotNone(bodies[2]["finished_at"])
        self.assertEqual("SUCCESS", bodies[5]["state"])

    def test_event_types_filter_and_server_wide_publishers(self):
        ex = self.start("chain", [self.hook("filtered", event_types=["WORKFLOW_LAUNCHED", "TASK_SUCCEEDED"])])
        self.wait_state(ex["id"], ["SUCCESS"])
        t = self.task_ids(ex["id"])
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t["t1"], "TASK_SUCCEEDED"), (t["t2"], "TASK_SUCCEEDED")],
                         self.receiver.wait_for(3, "/filtered"))
        # [notifier] notify: every execution also notifies the server's
        # publisher (only WORKFLOW_SUCCEEDED there).
        deadline = time.time() + 20
        while time.time() < deadline and (ex["id"], "WORKFLOW_SUCCEEDED") not in self.receiver.events("/server-wide"):
            time.sleep(0.05)
        self.assertIn((ex["id"], "WORKFLOW_SUCCEEDED"), self.receiver.events("/server-wide"))
        self.assertTrue(all(e == "WORKFLOW_SUCCEEDED" for _, e in self.receiver.events("/server-wide")))
        # Delivered: nothing stays in the outbox (an extra second at most).
        time.sleep(0.3)
        self.assertEqual(3, len(self.receiver.events("/filtered")))

    def test_task_error_and_subworkflow_sequences(self):
        # Mistral's test_notify_task_error.
        ex = self.start("failing", [self.hook("error")])
        self.wait_state(ex["id"], ["ERROR"])
        t = self.task_ids(ex["id"])
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t["t1"], "TASK_LAUNCHED"), (t["t1"], "TASK_SUCCEEDED"),
                          (t["t2"], "TASK_LAUNCHED"), (t["t2"], "TASK_FAILED"), (ex["id"], "WORKFLOW_FAILED")],
                         self.receiver.wait_for(6, "/error"))
        # Mistral's test_workbook_notify: the sub-workflow inherits notify.
        ex = self.start("parent", [self.hook("sub")])
        self.wait_state(ex["id"], ["SUCCESS"])
        t = self.task_ids(ex["id"])
        _, subs, _ = self.server.request("GET", "/v2/executions?task_execution_id=" + t["t1"])
        sub = subs["executions"][0]["id"]
        st = self.task_ids(sub)
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t["t1"], "TASK_LAUNCHED"), (sub, "WORKFLOW_LAUNCHED"),
                          (st["t1"], "TASK_LAUNCHED"), (st["t1"], "TASK_SUCCEEDED"), (sub, "WORKFLOW_SUCCEEDED"),
                          (t["t1"], "TASK_SUCCEEDED"), (t["t2"], "TASK_LAUNCHED"), (t["t2"], "TASK_SUCCEEDED"),
                          (ex["id"], "WORKFLOW_SUCCEEDED")], self.receiver.wait_for(10, "/sub"))

    def test_pause_resume_and_cancel(self):
        # Mistral's test_notify_pause_resume.
        ex = self.start("waiting", [self.hook("pause")])
        t = self.receiver.wait_for(2, "/pause")[1][0]
        self.assertEqual(200, self.server.request("PUT", "/v2/executions/" + ex["id"], {"state": "PAUSED"})[0])
        self.receiver.wait_for(3, "/pause")
        _, actions, _ = self.server.request("GET", "/v2/tasks/%s/action_executions" % t)
        action = actions["action_executions"][0]["id"]
        self.assertEqual(200, self.server.request("PUT", "/v2/action_executions/" + action,
                                                  {"state": "SUCCESS", "output": "{}"})[0])
        self.receiver.wait_for(4, "/pause")
        self.assertEqual(200, self.server.request("PUT", "/v2/executions/" + ex["id"], {"state": "RUNNING"})[0])
        self.wait_state(ex["id"], ["SUCCESS"])
        t2 = self.task_ids(ex["id"])["t2"]
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t, "TASK_LAUNCHED"), (ex["id"], "WORKFLOW_PAUSED"),
                          (t, "TASK_SUCCEEDED"), (ex["id"], "WORKFLOW_RESUMED"), (t2, "TASK_LAUNCHED"),
                          (t2, "TASK_SUCCEEDED"), (ex["id"], "WORKFLOW_SUCCEEDED")],
                         self.receiver.wait_for(8, "/pause"))
        # Mistral's test_notify_cancel: the workflow is cancelled and its
        # running task left RUNNING; the action's result, sent later,
        # completes the task (TASK_SUCCEEDED) and nothing follows it.
        ex = self.start("waiting", [self.hook("cancel")])
        t = self.receiver.wait_for(2, "/cancel")[1][0]
        self.assertEqual(200, self.server.request("PUT", "/v2/executions/" + ex["id"], {"state": "CANCELLED"})[0])
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t, "TASK_LAUNCHED"), (ex["id"], "WORKFLOW_CANCELLED")],
                         self.receiver.wait_for(3, "/cancel"))
        self.assertEqual("RUNNING", self.server.request("GET", "/v2/tasks/" + t)[1]["state"])
        _, actions, _ = self.server.request("GET", "/v2/tasks/%s/action_executions" % t)
        self.assertEqual(["RUNNING"], [a["state"] for a in actions["action_executions"]])
        self.assertEqual(200, self.server.request("PUT", "/v2/action_executions/" + actions["action_executions"][0]["id"],
                                                  {"state": "SUCCESS", "output": '{"result": "foobar"}'})[0])
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t, "TASK_LAUNCHED"), (ex["id"], "WORKFLOW_CANCELLED"),
                          (t, "TASK_SUCCEEDED")], self.receiver.wait_for(4, "/cancel"))
        self.assertEqual("CANCELLED", self.server.request("GET", "/v2/executions/" + ex["id"])[1]["state"])
        self.assertEqual(["t1"], sorted(self.task_ids(ex["id"])))

    def test_bad_notify_is_a_400(self):
        for notify, words in [
            ({"type": "webhook"}, "must be a list of publishers"),
            ([{"type": "email"}], "params.notify[0].type 'email' is not a publisher"),
            ([{"type": "webhook"}], "params.notify[0] is a webhook without a 'url'"),
            ([{"type": "noop"}, {"type": "webhook", "url": "file:///etc/passwd"}], "params.notify[1].url"),
            ([{"type": "noop", "event_types": ["WORKFLOW_EXPLODED"]}], "'WORKFLOW_EXPLODED', which is not an event"),
            ([{"type": "webhook", "url": "http://x/", "headers": {"A": 1}}], "headers['A'] must be a string"),
        ]:
            body = self.start("chain", notify, expect=400)
            self.assertIn(words, body["faultstring"])
        # A noop publisher is accepted and delivers nothing anywhere.
        ex = self.start("chain", [{"type": "noop"}])
        self.wait_state(ex["id"], ["SUCCESS"])


class NotifierRetryTest(NotifierBase):
    # On MariaDB (integration_mariadb) the events a killed server had
    # claimed wait for the claim's lease before anybody posts them again:
    # a short one (at least twice the webhook timeout) keeps the SIGKILL
    # test within its wait.
    env = {"BORA_NOTIFIER_MAX_ATTEMPTS": "50", "BORA_NOTIFIER_TIMEOUT": "2", "BORA_NOTIFIER_CLAIM_LEASE": "4"}

    def test_retries_until_the_receiver_recovers(self):
        refused_before = self.receiver.refused
        self.receiver.fail_next = 3
        ex = self.start("chain", [self.hook("retry")])
        self.wait_state(ex["id"], ["SUCCESS"])
        got = self.receiver.wait_for(6, "/retry")
        t = self.task_ids(ex["id"])
        self.assertEqual([(ex["id"], "WORKFLOW_LAUNCHED"), (t["t1"], "TASK_LAUNCHED"), (t["t1"], "TASK_SUCCEEDED"),
                          (t["t2"], "TASK_LAUNCHED"), (t["t2"], "TASK_SUCCEEDED"),
                          (ex["id"], "WORKFLOW_SUCCEEDED")], got)
        self.assertEqual(3, self.receiver.refused - refused_before)

    def test_delivery_resumes_after_sigkill(self):
        self.receiver.failing = True
        exs = [self.start("long", [self.hook("kill")]) for _ in range(3)]
        for ex in exs:
            self.wait_state(ex["id"], ["SUCCESS"])
        deadline = time.time() + 10
        while self.receiver.refused < 2 and time.time() < deadline:
            time.sleep(0.05)
        self.server.kill()
        self.receiver.failing = False
        self.server.start()
        got = self.receiver.wait_for(30, "/kill", timeout=30)
        for ex in exs:
            t = self.task_ids(ex["id"])
            expected = [(ex["id"], "WORKFLOW_LAUNCHED")]
            for name in ("t1", "t2", "t3", "t4"):
                expected += [(t[name], "TASK_LAUNCHED"), (t[name], "TASK_SUCCEEDED")]
            expected.append((ex["id"], "WORKFLOW_SUCCEEDED"))
            mine = [e for e in got if e[0] == ex["id"] or e[0] in t.values()]
            # At least once, in order: none lost, none out of order. A
            # delivery the receiver took but whose answer came too late for
            # the sender (a loaded machine) is sent again before the next
            # event of its execution: a repeat is always next to itself.
            once = [e for i, e in enumerate(mine) if i == 0 or e != mine[i - 1]]
            self.assertEqual(expected, once)


class NotifierReachTest(NotifierBase):
    env = {"BORA_EXECUTOR_DENIED_NETWORKS": "127.0.0.0/8", "BORA_NOTIFIER_MAX_ATTEMPTS": "2"}

    def test_webhooks_obey_denied_networks(self):
        ex = self.start("chain", [self.hook("denied")])
        self.wait_state(ex["id"], ["SUCCESS"])
        deadline = time.time() + 10
        while time.time() < deadline and "was not delivered" not in self.server.logs():
            time.sleep(0.1)
        self.assertIn("denied_networks", self.server.logs())
        self.assertEqual([], self.receiver.events("/denied"))


if __name__ == "__main__":
    unittest.main()
