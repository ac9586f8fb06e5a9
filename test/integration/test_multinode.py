"""Several Bora nodes on one MariaDB (issue 14, part 3).

Three `bora server` processes share one database, each serving the whole
API; a round-robin client spreads the calls across them. What is checked:
the node registry (/v2/services on every node), executions started on any
node (a 10 000-item with-items whose POST answers at once, joins, sub-workflows, retries and waits whose timers any node may fire:
each fires once), a pause through
one node and the resume through another, an asynchronous action completed
through a node that does not run its execution, cron triggers whose due
times every node sees (each fires once), a cancel (and a pause then a
cancel) through other nodes stopping the HTTP action node A runs within a
heartbeat or two, and a fourth node killed with
SIGKILL in the middle of its work: once its lease lapses exactly one node
adopts its running actions, re-runs those whose task is safe-rerun and
fails the others with a clear state_info, and its executions finish on the
others, nothing acknowledged lost and nothing run twice beyond safe-rerun
(a loopback witness server counts each item's runs).
Notifications are posted once across the nodes (a loopback webhook
receiver counts each event's deliveries and checks their order per
execution), and a live event stream on one node shows the events of an
execution another node runs, within its poll interval. A stall of the
database longer than the lease (every write blocked by FLUSH TABLES WITH
READ LOCK) takes no live node for dead: the action that ran through it,
not safe-rerun, completes and its execution succeeds.

Needs BORA_TEST_MYSQL_URL (mysql://USER:PASS@HOST:PORT/, set by
test/support/mariadb_server.py, which the CTest entry integration_multinode
runs it through); without it the file exits 77 (skipped). Every wait is
bounded; the servers are stopped by pid (bora_server.BoraServer)."""
import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse
import uuid

from bora_server import BoraServer

MYSQL_URL = os.environ.get("BORA_TEST_MYSQL_URL")
HEARTBEAT = 1  # [cluster] heartbeat_interval, seconds
STREAM_POLL_MS = 200  # [api] event_stream_poll_interval
LEASE = 3  # [cluster] lease_seconds
# The 10 000 items: the POST's transaction starts at most
# [engine] with_items_batch of them, the rest start in later transactions
# on whichever node is free (docs/STORAGE.md "Several nodes").
ITEMS = 10000

WORKFLOWS = """
version: '2.0'
items:
  tasks:
    each:
      with-items: i in <% range(ITEMS) %>
      action: std.echo output=<% $.i %>
      publish:
        total: <% task().result.sum() %>
  output:
    total: <% $.total %>
joins:
  input: [n]
  tasks:
    a:
      action: std.echo output=<% $.n %>
      publish: {a: <% task().result %>}
      on-success: [merge]
    b:
      action: std.echo
      input: {output: <% $.n + 1 %>, delay: 0.05}
      publish: {b: <% task().result %>}
      on-success: [merge]
    c:
      action: std.noop
      wait-before: 1
      on-success: [merge]
    merge:
      join: all
      action: std.echo output=<% $.a + $.b %>
      publish: {sum: <% task().result %>}
  output:
    sum: <% $.sum %>
child:
  input: [x]
  tasks:
    double:
      action: std.echo output=<% $.x * 2 %>
      publish: {y: <% task().result %>}
  output:
    y: <% $.y %>
parent:
  tasks:
    subs:
      with-items: x in <% [1, 2, 3] %>
      workflow: child
      input: {x: <% $.x %>}
      publish: {ys: <% task().result.select($.y) %>}
  output:
    ys: <% $.ys %>
retried:
  tasks:
    flaky:
      action: std.fail
      retry:
        count: 2
        delay: 1
chain:
  tasks:
    s1: {action: std.echo, input: {output: 1, delay: 0.4}, on-success: [s2]}
    s2: {action: std.echo, input: {output: 2, delay: 0.4}, on-success: [s3]}
    s3: {action: std.echo, input: {output: 3, delay: 0.4}, on-success: [s4]}
    s4: {action: std.echo, input: {output: 4, delay: 0.4}, on-success: [s5]}
    s5: {action: std.echo, input: {output: 5, delay: 0.4}, on-success: [s6]}
    s6: {action: std.echo, input: {output: 6, delay: 0.4}}
waits_for_callback:
  tasks:
    outside:
      action: std.async_noop
      publish: {got: <% task().result %>}
      on-success: [after]
    after:
      action: std.echo output=<% $.got %>
  output:
    got: <% $.got %>
ticked:
  tasks:
    tick:
      action: std.noop
notified:
  tasks:
    n1: {action: std.noop, on-success: [n2]}
    n2: {action: std.echo output=2, on-success: [n3]}
    n3: {action: std.noop}
killed_items:
  tasks:
    each:
      with-items: i in <% range(200) %>
      concurrency: 20
      safe-rerun: true
      action: std.http
      input:
        url: WITNESS/item/<% $.i %>
      publish:
        got: <% task().result.select($.content) %>
  output:
    result: <% $.got %>
held:
  input: [n]
  tasks:
    call:
      action: std.http
      input:
        url: WITNESS/held/<% $.n %>
        timeout: 60
stalled:
  tasks:
    slow:
      action: std.echo
      input: {output: through the stall, delay: 9}
      publish: {got: <% task().result %>}
  output:
    got: <% $.got %>
killed_unsafe:
  tasks:
    long:
      action: std.http
      input:
        url: WITNESS/unsafe
        timeout: 60
"""


class Witness:
    """A loopback HTTP server the actions of the kill test call: it counts
    each path's calls (what ran, and how often), answers with the number
    the path ends with after a short wait (an item takes a while), and
    holds /unsafe for long (the action the kill interrupts)."""

    def __init__(self):
        counts = self.counts = {}
        hung_up = self.hung_up = {}
        lock = self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with lock:
                    counts[self.path] = counts.get(self.path, 0) + 1
                if self.path.startswith("/held/"):
                    # Held until the caller hangs up (its action was
                    # stopped) or 40 s pass: when is what the test checks.
                    self.connection.settimeout(0.1)
                    deadline = time.monotonic() + 40
                    while time.monotonic() < deadline:
                        try:
                            if self.connection.recv(1) == b"":
                                break
                        except socket.timeout:
                            continue
                        except OSError:
                            break
                    with lock:
                        hung_up[self.path] = time.monotonic()
                    return
                time.sleep(30 if self.path == "/unsafe" else 0.2)
                body = self.path.rsplit("/", 1)[1].encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the caller was killed

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hung_up_at(self, path):
        with self.lock:
            return self.hung_up.get(path)

    def count(self, path):
        with self.lock:
            return self.counts.get(path, 0)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

class WebhookReceiver:
    """A loopback webhook: keeps every notification posted to it, in the
    order received (Mistral's payload: `event`, and `id` of the task or
    workflow execution)."""

    def __init__(self):
        got = self.got = []
        lock = self.lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    got.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def received(self):
        with self.lock:
            return list(self.got)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


DONE = ("SUCCESS", "ERROR", "CANCELLED")


def sql(statement):
    """Runs SQL on the test's MariaDB with the URL's account (the mariadb
    client over TCP), as an operator would."""
    u = urllib.parse.urlparse(MYSQL_URL)
    cmd = ["mariadb", "--no-defaults", "-h", u.hostname, "-P", str(u.port), "-u", urllib.parse.unquote(u.username),
           "-p" + urllib.parse.unquote(u.password), "-N", "-B", MultiNodeTest.database, "-e", statement]
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30).stdout.decode()


class MultiNodeTest(unittest.TestCase):
    database = None
    nodes = []

    @classmethod
    def setUpClass(cls):
        if not MYSQL_URL:
            print("skipped: BORA_TEST_MYSQL_URL is not set (run through test/support/mariadb_server.py)",
                  file=sys.stderr)
            sys.exit(77)
        cls.database = "bora_mn_" + uuid.uuid4().hex[:12]
        cls.url = MYSQL_URL + cls.database
        cls.nodes = []
        cls.turn = 0
        cls.witness = Witness()
        try:
            for name in ("node-a", "node-b", "node-c"):
                cls.nodes.append(cls.start_node(name))
        except Exception:
            cls.tearDownClass()
            raise
        definitions = WORKFLOWS.replace("range(ITEMS)", "range(%d)" % ITEMS).replace("WITNESS", cls.witness.url)
        status, body, _ = cls.nodes[0].request("POST", "/v2/workflows", definitions)
        assert status == 201, body

    @classmethod
    def tearDownClass(cls):
        for n in cls.nodes:
            n.cleanup()
        if getattr(cls, "witness", None):
            cls.witness.stop()

    @classmethod
    def start_node(cls, name):
        return BoraServer(db_url=cls.url, env={
            "BORA_CLUSTER_NODE_ID": name,
            "BORA_CLUSTER_HEARTBEAT_INTERVAL": str(HEARTBEAT),
            "BORA_CLUSTER_LEASE_SECONDS": str(LEASE),
            "BORA_API_EVENT_STREAM_POLL_INTERVAL": str(STREAM_POLL_MS),
        }).start()

    # -- the round-robin client -------------------------------------------
    def next_node(self):
        node = self.nodes[self.turn % len(self.nodes)]
        type(self).turn += 1
        return node

    def call(self, method, path, body=None, node=None, timeout=30):
        status, answer, _ = (node or self.next_node()).request(method, path, body, timeout=timeout)
        return status, answer

    def ok(self, method, path, body=None, node=None, expected=(200, 201), timeout=30):
        status, answer = self.call(method, path, body, node, timeout)
        self.assertIn(status, expected, answer)
        return answer

    def start(self, workflow, node=None, timeout=30, **inputs):
        return self.ok("POST", "/v2/executions", {"workflow_name": workflow, "input": inputs}, node,
                       timeout=timeout)["id"]

    def wait_states(self, ids, timeout, states=DONE):
        """Reads each execution through the next node until all are in
        `states`; returns {id: execution}."""
        deadline = time.monotonic() + timeout
        seen = {}
        while time.monotonic() < deadline:
            for i in ids:
                if i not in seen or seen[i]["state"] not in states:
                    seen[i] = self.ok("GET", "/v2/executions/" + i)
            if all(e["state"] in states for e in seen.values()):
                return seen
            time.sleep(0.2)
        self.fail("not all in %s within %d s: %s" % (states, timeout,
                                                     {i: e["state"] for i, e in seen.items()}))

    def tasks(self, ex_id):
        return self.ok("GET", "/v2/tasks?workflow_execution_id=" + ex_id)["tasks"]

    def actions(self, task_id):
        return self.ok("GET", "/v2/tasks/%s/action_executions?limit=5000" % task_id)["action_executions"]

    def count_actions(self, task_id):
        """How many action executions the task has, read in pages (the API
        gives at most 1 000 a page)."""
        count, marker = 0, None
        while True:
            page = self.ok("GET", "/v2/tasks/%s/action_executions?limit=1000&fields=id%s"
                           % (task_id, "&marker=" + marker if marker else ""))["action_executions"]
            if not page:
                return count
            count += len(page)
            marker = page[-1]["id"]

    # -- the tests -----------------------------------------------------------
    def test_1_services_list_the_live_nodes(self):
        for node in self.nodes:
            body = self.ok("GET", "/v2/services", node=node)
            names = sorted({s["name"] for s in body["services"]})
            self.assertEqual(["node-a", "node-b", "node-c"], names)
            self.assertEqual(9, len(body["services"]))
            for s in body["services"]:
                self.assertIn(s["type"], ("api_group", "engine_group", "executor_group"))
                self.assertTrue(s["heartbeat"])
        # The heartbeat moves.
        before = {s["name"]: s["heartbeat"] for s in self.ok("GET", "/v2/services")["services"]}
        time.sleep(HEARTBEAT * 2.5)
        after = {s["name"]: s["heartbeat"] for s in self.ok("GET", "/v2/services")["services"]}
        for name in before:
            self.assertNotEqual(before[name], after[name], name)

    def test_2_executions_spread_across_nodes(self):
        began = time.monotonic()
        # The POST answers once the transaction that creates the execution
        # and its first [engine] with_items_batch items committed: a bounded
        # transaction whatever the list's size (it was 406 s for 10 000
        # items when that transaction started them all).
        t0 = time.monotonic()
        started = {"items": [self.start("items", timeout=30)]}
        items_post = time.monotonic() - t0
        started.update({"joins": [self.start("joins", n=i) for i in range(6)],
                        "parent": [self.start("parent") for _ in range(3)],
                        "retried": [self.start("retried") for _ in range(3)]})
        answered = time.monotonic() - began
        every = [i for ids in started.values() for i in ids]
        done = self.wait_states(every, 180)
        print("\nwith-items of %d items across %d nodes: %.1f s (its POST answered in %.2f s, all the starts "
              "after %.1f s)" % (ITEMS, len(self.nodes), time.monotonic() - began, items_post, answered),
              file=sys.stderr)
        # Generous for a loaded CI machine; the old engine took minutes.
        self.assertLess(items_post, 10, "the POST of a 10 000-item with-items waited for its items")

        items = done[started["items"][0]]
        self.assertEqual("SUCCESS", items["state"], items.get("state_info"))
        self.assertEqual({"total": sum(range(ITEMS))}, json.loads(items["output"]))
        each = self.tasks(items["id"])[0]
        each = self.ok("GET", "/v2/tasks/" + each["id"])
        self.assertEqual(list(range(ITEMS)), json.loads(each["result"]))
        # Each item ran once.
        self.assertEqual(ITEMS, self.count_actions(each["id"]))

        for n, ex_id in enumerate(started["joins"]):
            ex = done[ex_id]
            self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
            self.assertEqual({"sum": 2 * n + 1}, json.loads(ex["output"]))
            names = sorted(t["name"] for t in self.tasks(ex_id))
            self.assertEqual(["a", "b", "c", "merge"], names)  # the join ran once

        for ex_id in started["parent"]:
            ex = done[ex_id]
            self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
            self.assertEqual({"ys": [2, 4, 6]}, json.loads(ex["output"]))

        for ex_id in started["retried"]:
            self.assertEqual("ERROR", done[ex_id]["state"])
            flaky = self.tasks(ex_id)[0]
            # The first run and two retries: each retry's timer fired once,
            # whichever node claimed it.
            self.assertEqual(3, len(self.actions(flaky["id"])))

    def test_3_pause_through_one_node_resume_through_another(self):
        a, b, c = self.nodes
        ex_id = self.start("chain", node=a)
        time.sleep(0.6)
        paused = self.ok("PUT", "/v2/executions/" + ex_id, {"state": "PAUSED"}, node=b)
        self.assertEqual("PAUSED", paused["state"])
        self.assertEqual("PAUSED", self.ok("GET", "/v2/executions/" + ex_id, node=c)["state"])
        # The action running at the pause ends; nothing new starts.
        time.sleep(1.0)
        held = len(self.tasks(ex_id))
        time.sleep(1.2)
        self.assertEqual(held, len(self.tasks(ex_id)))
        self.assertLess(held, 6)
        self.assertEqual("PAUSED", self.ok("GET", "/v2/executions/" + ex_id, node=a)["state"])
        resumed = self.ok("PUT", "/v2/executions/" + ex_id, {"state": "RUNNING"}, node=c)
        self.assertEqual("RUNNING", resumed["state"])
        ex = self.wait_states([ex_id], 30)[ex_id]
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        tasks = self.tasks(ex_id)
        self.assertEqual(["s1", "s2", "s3", "s4", "s5", "s6"], sorted(t["name"] for t in tasks))
        for t in tasks:
            self.assertEqual(1, len(self.actions(t["id"])), t["name"])

    def test_4_async_action_completed_through_another_node(self):
        a, b, c = self.nodes
        ex_id = self.start("waits_for_callback", node=a)
        deadline = time.monotonic() + 20
        action = None
        while time.monotonic() < deadline and action is None:
            tasks = self.tasks(ex_id)
            if tasks:
                found = self.actions(tasks[0]["id"])
                if found and found[0]["state"] == "RUNNING":
                    action = found[0]
            time.sleep(0.1)
        self.assertIsNotNone(action, "the asynchronous action did not start")
        done = self.ok("PUT", "/v2/action_executions/" + action["id"],
                       {"state": "SUCCESS", "output": json.dumps({"from": "node-c"})}, node=c)
        self.assertEqual("SUCCESS", done["state"])
        # Completed once: the same completion again is refused.
        status, _ = self.call("PUT", "/v2/action_executions/" + action["id"],
                              {"state": "SUCCESS", "output": "{}"}, node=b)
        self.assertEqual(400, status)
        ex = self.wait_states([ex_id], 20)[ex_id]
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        self.assertEqual({"got": {"from": "node-c"}}, json.loads(ex["output"]))

    def test_5_cron_triggers_fire_once_per_due_time(self):
        names = ["tick%d" % i for i in range(10)]
        for name in names:
            # A pattern whose natural next time is months away: the test
            # moves the due time itself (below), twice.
            self.ok("POST", "/v2/cron_triggers", {"name": name, "workflow_name": "ticked",
                                                   "pattern": "0 0 1 1 *", "remaining_executions": 5})
        ids = {t["name"]: t["id"] for t in self.ok("GET", "/v2/cron_triggers")["cron_triggers"]}
        for due_time in (1, 2):
            # Every trigger due in a second: every node sees them all due.
            sql("UPDATE cron_triggers_v2 SET next_execution_time = "
                "CAST((UNIX_TIMESTAMP(NOW(6)) + 1) * 1000000 AS SIGNED)")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                left = [t["remaining_executions"] for t in self.ok("GET", "/v2/cron_triggers")["cron_triggers"]]
                if left and all(r == 5 - due_time for r in left):
                    break
                time.sleep(0.2)
            time.sleep(2 * HEARTBEAT)  # a second firing, if any, would have come by now
        listed = self.ok("GET", "/v2/executions?workflow_name=ticked&limit=1000")["executions"]
        fired = {}
        for ex in listed:
            by = json.loads(ex["description"])["triggered_by"]["id"]
            fired[by] = fired.get(by, 0) + 1
        self.assertEqual({ids[n]: 2 for n in names}, fired)
        self.assertEqual([3] * 10, [t["remaining_executions"]
                                    for t in self.ok("GET", "/v2/cron_triggers")["cron_triggers"]])

    def wait_called(self, path, timeout=20):
        deadline = time.monotonic() + timeout
        while self.witness.count(path) == 0:
            self.assertLess(time.monotonic(), deadline, "nothing called " + path)
            time.sleep(0.1)

    def test_6_cancel_through_another_node_stops_the_action(self):
        """The action runs on node A; B cancels it (PUT of the action
        execution), or B pauses the execution and C cancels the action: A
        stops the action (its HTTP call is hung up) within a heartbeat or
        two, instead of letting it run its 60 s. (Cancelling the execution
        leaves its running action alone, as Mistral does: case
        lifecycle/cancel_leaves_running_task.)"""
        a, b, c = self.nodes
        for n, via in (("1", [("CANCELLED", b)]), ("2", [("PAUSED", b), ("CANCELLED", c)])):
            ex_id = self.start("held", node=a, n=n)
            self.wait_called("/held/" + n)
            task = self.tasks(ex_id)[0]
            action_id = self.actions(task["id"])[0]["id"]
            for state, node in via:
                if state == "PAUSED":
                    self.ok("PUT", "/v2/executions/" + ex_id, {"state": state}, node=node)
                else:
                    self.ok("PUT", "/v2/action_executions/" + action_id, {"state": state}, node=node)
            cancelled_at = time.monotonic()
            deadline = cancelled_at + 3 * HEARTBEAT + 5
            while self.witness.hung_up_at("/held/" + n) is None:
                self.assertLess(time.monotonic(), deadline,
                                "the action on node-a still runs %d s after the cancel through %s"
                                % (3 * HEARTBEAT + 5, via[-1][1].env.get("BORA_CLUSTER_NODE_ID")))
                time.sleep(0.1)
            took = self.witness.hung_up_at("/held/" + n) - cancelled_at
            # Cancelled as in Mistral (Result(cancel=True)): the action and
            # its task CANCELLED, and the running execution too, naming it.
            self.assertEqual(["CANCELLED"], [x["state"] for x in self.actions(task["id"])])
            self.assertEqual("CANCELLED", self.ok("GET", "/v2/tasks/" + task["id"])["state"])
            if via[0][0] != "PAUSED":
                ex = self.wait_states([ex_id], 10)[ex_id]
                self.assertEqual(("CANCELLED", "Cancelled tasks: call"), (ex["state"], ex.get("state_info")))
            self.assertEqual(1, self.witness.count("/held/" + n))
            self.assertIn("ended by another node", a.logs())
            print("\naction on node-a stopped %.1f s after the cancel through another node (heartbeat %d s)"
                  % (took, HEARTBEAT), file=sys.stderr)
            if via[0][0] == "PAUSED":
                self.ok("PUT", "/v2/executions/" + ex_id, {"state": "CANCELLED"}, node=b)

    def test_7_sigkill_of_a_node_mid_run(self):
        d = self.start_node("node-d")
        try:
            deadline = time.monotonic() + 10
            while "node-d" not in {s["name"] for s in self.ok("GET", "/v2/services")["services"]}:
                self.assertLess(time.monotonic(), deadline, "node-d is not listed")
                time.sleep(0.2)
            items_id = self.start("killed_items", node=d)
            unsafe_id = self.start("killed_unsafe", node=d)
            retried_id = self.start("retried", node=d)
            time.sleep(1.2)  # some items done, some running; the unsafe action runs; the retry waits
            d.kill()
            killed_at = time.monotonic()

            # Within a lease (plus a heartbeat) the others list it no more.
            deadline = time.monotonic() + LEASE + 3 * HEARTBEAT + 5
            while "node-d" in {s["name"] for s in self.ok("GET", "/v2/services")["services"]}:
                self.assertLess(time.monotonic(), deadline, "node-d is still listed")
                time.sleep(0.2)

            done = self.wait_states([items_id, unsafe_id, retried_id], 60)
            took = time.monotonic() - killed_at
            items = done[items_id]
            self.assertEqual("SUCCESS", items["state"], items.get("state_info"))
            self.assertEqual({"result": list(range(200))}, json.loads(items["output"]))
            each = self.tasks(items_id)[0]
            actions = self.actions(each["id"])
            self.assertEqual(200, len([x for x in actions if x["accepted"]]))
            self.assertEqual(200, len(actions))  # a re-run is the same action execution
            # Every item ran; at most those running at the kill (concurrency
            # 20) ran twice (safe-rerun), and the kill came mid-run.
            runs = [self.witness.count("/item/%d" % i) for i in range(200)]
            self.assertNotIn(0, runs)
            twice = len([r for r in runs if r > 1])
            self.assertLessEqual(twice, 20, runs)
            self.assertGreater(twice, 0, "the kill came when no item was running")
            self.assertEqual([], [r for r in runs if r > 2])

            unsafe = done[unsafe_id]
            self.assertEqual("ERROR", unsafe["state"])
            long_task = self.tasks(unsafe_id)[0]
            self.assertEqual("ERROR", long_task["state"])
            self.assertIn("safe-rerun", long_task["state_info"])
            self.assertEqual(1, len(self.actions(long_task["id"])))
            self.assertEqual(1, self.witness.count("/unsafe"))  # never run again

            self.assertEqual("ERROR", done[retried_id]["state"])
            self.assertEqual(3, len(self.actions(self.tasks(retried_id)[0]["id"])))

            # Exactly one node adopted node-d's actions.
            takers = [n for n in self.nodes if "node node-d is gone" in n.logs()]
            self.assertEqual(1, len(takers), [n.logs()[-2000:] for n in self.nodes])
            print("\nnode-d killed: its executions finished %.1f s later (lease %d s)" % (took, LEASE),
                  file=sys.stderr)
        finally:
            d.cleanup()

    def test_7_notifications_posted_once_across_nodes(self):
        receiver = WebhookReceiver()
        try:
            notify = [{"type": "webhook", "url": receiver.url}]
            ids = [self.ok("POST", "/v2/executions", {"workflow_name": "notified", "params": {"notify": notify}})["id"]
                   for _ in range(12)]
            done = self.wait_states(ids, 60)
            self.assertEqual({"SUCCESS"}, {e["state"] for e in done.values()})
            in_list = ",".join("'%s'" % i for i in ids)
            # Every node's notifier looks at the outbox; all of it goes.
            deadline = time.monotonic() + 30
            while int(sql("SELECT COUNT(*) FROM execution_events WHERE publishers IS NOT NULL "
                          "AND root_execution_id IN (%s)" % in_list).strip()):
                self.assertLess(time.monotonic(), deadline, "notifications still pending")
                time.sleep(0.2)
            logged = int(sql("SELECT COUNT(*) FROM execution_events WHERE root_execution_id IN (%s)" % in_list))
            time.sleep(2.5)  # a second post of an event would come within the notifiers' next passes
            got = [g for g in receiver.received() if g.get("workflow_execution_id", g.get("id")) in ids]
            keys = [(g["id"], g["event"]) for g in got]
            self.assertEqual(len(keys), len(set(keys)), "an event was posted more than once")
            self.assertEqual(logged, len(keys))
            self.assertEqual(12 * 8, len(keys))  # 2 workflow events, 2 per task
            # In order per execution, though any node may post any of them.
            for ex_id in ids:
                events = [g["event"] for g in got if g.get("workflow_execution_id", g.get("id")) == ex_id]
                self.assertEqual("WORKFLOW_LAUNCHED", events[0], events)
                self.assertEqual("WORKFLOW_SUCCEEDED", events[-1], events)
                tasks = [(g["name"], g["event"]) for g in got if g.get("workflow_execution_id") == ex_id]
                self.assertEqual([("n1", "TASK_LAUNCHED"), ("n1", "TASK_SUCCEEDED"), ("n2", "TASK_LAUNCHED"),
                                  ("n2", "TASK_SUCCEEDED"), ("n3", "TASK_LAUNCHED"), ("n3", "TASK_SUCCEEDED")], tasks)
            print("\n%d notifications posted once each by 3 nodes" % len(keys), file=sys.stderr)
        finally:
            receiver.stop()

    def test_8_event_stream_shows_other_nodes_events(self):
        from test_event_stream import Sse
        a, b = self.nodes[0], self.nodes[1]
        stream = Sse(b, "/v2/events", timeout=20)
        try:
            self.assertEqual(200, stream.status)
            ex_id = self.start("notified", node=a)
            started = time.monotonic()
            # Node B drives nothing of it: every event comes from A's
            # commits, and B's stream reads them from the log.
            frames = stream.events_until(
                lambda f: f["data"]["root_execution_id"] == ex_id and f["event"] == "WORKFLOW_SUCCEEDED")
            took = time.monotonic() - started
            mine = [f["event"] for f in frames if f["data"]["root_execution_id"] == ex_id]
            self.assertEqual("WORKFLOW_LAUNCHED", mine[0], mine)
            self.assertEqual("WORKFLOW_SUCCEEDED", mine[-1], mine)
            self.assertEqual(8, len(mine), mine)
            seqs = [int(f["id"]) for f in frames]
            self.assertEqual(sorted(seqs), seqs)
            self.assertLess(took, 10, "B's stream took %.1f s" % took)
            print("\nnode B streamed node A's execution: its last event %.2f s after the start (poll %d ms)"
                  % (took, STREAM_POLL_MS), file=sys.stderr)
        finally:
            stream.close()

    def test_9_database_stall_longer_than_the_lease_kills_no_node(self):
        """Every node's writes block for longer than the lease (FLUSH TABLES
        WITH READ LOCK); node B, stopped with SIGSTOP through the stall,
        comes back half a second after the database. No node takes B for
        dead (engine/peer_watch.h: a peer's silence counts only while the
        watcher itself could write): the action B runs through the stall
        (not safe-rerun) completes. Counted by the wall clock alone, B's
        lease lapsed during the stall and node A or C failed its action as
        lost at their first heartbeat after it."""
        b = self.nodes[1]
        ex_id = self.start("stalled", node=b)
        time.sleep(1.5)  # the action runs on node B
        url = urllib.parse.urlparse(MYSQL_URL)
        client = next(p for p in ("/usr/bin/mariadb", "/usr/bin/mysql") if os.path.exists(p))
        stall = LEASE + 2
        before = [n.logs() for n in self.nodes]
        lock = subprocess.Popen([client, "--no-defaults", "-h", url.hostname, "-P", str(url.port), "-u",
                                 url.username, "-p" + urllib.parse.unquote(url.password or ""),
                                 "-e", "FLUSH TABLES WITH READ LOCK; DO SLEEP(%d); UNLOCK TABLES" % stall],
                                stdout=subprocess.DEVNULL)
        stopped = False
        try:
            time.sleep(0.3)
            b.proc.send_signal(signal.SIGSTOP)
            stopped = True
            self.assertEqual(0, lock.wait(timeout=stall + 30))
            time.sleep(0.5)
        finally:
            if lock.poll() is None:
                lock.kill()
                lock.wait()
            if stopped:
                b.proc.send_signal(signal.SIGCONT)
        done = self.wait_states([ex_id], 30)[ex_id]
        self.assertEqual("SUCCESS", done["state"], done.get("state_info"))
        self.assertEqual({"got": "through the stall"}, json.loads(done["output"]))
        time.sleep(LEASE + 2 * HEARTBEAT)  # a late takeover would come by now
        for node, earlier in zip(self.nodes, before):
            later = node.logs()[len(earlier):]
            self.assertNotIn(" is gone (", later, "a live node taken for dead after a %d s stall" % stall)
            self.assertNotIn("was taken for dead", later)
        print("\na %d s database stall (lease %d s), node B back 0.5 s after it: no node taken for dead, "
              "the action ran through it" % (stall, LEASE), file=sys.stderr)

if __name__ == "__main__":
    unittest.main()
