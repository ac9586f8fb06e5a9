"""Mistral custom actions in Python ([python_actions], docs/ACTIONS.md
"Python packs"): a pack written against mistral-lib for this test
(test/data/python_pack/) loaded by module, by a setup.cfg-style line and by
its `mistral.actions` entry point; listed with Mistral's input signatures;
run standalone and in workflows with mistral-lib's ActionContext; error
results, exceptions, asynchronous completion through the API, task
timeouts, and a worker killed mid-run. Exits 77 (skipped) when Debian's
python3-mistral-lib is not installed."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from bora_server import BoraTestCase

PYTHON = "/usr/bin/python3"
PACK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "python_pack")
MOD = "bora_test_pack.actions."

WF = """---
version: '2.0'
py_flow:
  tasks:
    greet:
      action: bora_test_pack.actions.greet name="team" times=2
      publish:
        text: <% task().result.text %>
      on-success: who
    who:
      action: bora_test_pack.actions.who_am_i
      publish:
        who: <% task().result %>
      on-success: refuse
    refuse:
      action: bora_test_pack.actions.refuse reason="not today"
      on-error: recovered
    recovered:
      action: test_pack.runner param=<% $.text %>
      publish:
        runner: <% task().result %>
        refused: <% task(refuse).result %>
withdraw_flow:
  tasks:
    w:
      action: bora_test_pack.actions.withdraw
      on-complete: [after]
    after:
      action: std.noop
broken_flow:
  tasks:
    broken:
      action: bora_test_pack.actions.broken message="disk on fire"
approval_flow:
  input:
    - ticket_dir
  tasks:
    ask:
      action: bora_test_pack.actions.approval question="deploy?" ticket_dir=<% $.ticket_dir %>
      publish:
        answer: <% task().result %>
slow_flow:
  tasks:
    slow:
      action: bora_test_pack.actions.slow seconds=60
      timeout: 1
context_flow:
  input:
    - marker
  tasks:
    items:
      with-items: x in <% [10, 20, 30] %>
      action: bora_test_pack.actions.context_of item=<% $.x %>
      publish:
        items: <% task().result %>
      on-success: flaky
    flaky:
      action: bora_test_pack.actions.context_of fail_once_marker=<% $.marker %>
      publish:
        flaky: <% task().result %>
      on-success: sub
    sub:
      workflow: context_child
      publish:
        child: <% task().result.ctx %>
context_child:
  output:
    ctx: <% $.ctx %>
  tasks:
    c:
      action: bora_test_pack.actions.context_of
      publish:
        ctx: <% task().result %>
"""


def mistral_lib_importable():
    try:
        return subprocess.run([PYTHON, "-c", "import mistral_lib.actions"], timeout=30,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def skip_without_mistral_lib():
    if not mistral_lib_importable():
        print("skipped: %s cannot import mistral_lib (Debian's python3-mistral-lib)" % PYTHON, file=sys.stderr)
        sys.exit(77)


class PythonActionTests(BoraTestCase):
    # `actions` as setup.cfg writes entry points (a multi-line value), and a
    # module that does not exist: logged, the rest loads.
    config_text = ("[python_actions]\n"
                   "python = %s\n"
                   "path = %s\n"
                   "modules = bora_test_pack.actions, bora_test_pack.missing_module\n"
                   "actions =\n"
                   "    team.greet = bora_test_pack.actions:GreetAction\n"
                   "generators = bora_test_pack.generators:compute_generators\n"
                   "entry_points = true\n" % (PYTHON, os.path.abspath(PACK)))
    workflows = WF

    @classmethod
    def setUpClass(cls):
        skip_without_mistral_lib()
        super().setUpClass()
        cls.tmp = cls.server.tmp

    ok = BoraTestCase.assertStatus

    def run_action(self, name, inp, **params):
        body = {"name": name, "input": json.dumps(inp)}
        if params:
            body["params"] = json.dumps(params)
        return self.ok(201, self.req("POST", "/v2/action_executions", body))

    def result_of(self, name, inp):
        run = self.run_action(name, inp)
        return run["state"], json.loads(run["output"])["result"]

    def start(self, wf, inp=None):
        body = {"workflow_name": wf}
        if inp is not None:
            body["input"] = json.dumps(inp)
        return self.ok(201, self.req("POST", "/v2/executions", body))["id"]

    def task(self, ex_id, name):
        tasks = self.ok(200, self.req("GET", "/v2/tasks?workflow_execution_id=" + ex_id))["tasks"]
        return [t for t in tasks if t["name"] == name]

    def wait_running_action(self, ex_id, task_name, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.task(ex_id, task_name)
            if found:
                acts = self.ok(200, self.req("GET", "/v2/tasks/%s/action_executions" % found[0]["id"]))
                running = [a for a in acts["action_executions"] if a["state"] == "RUNNING"]
                if running:
                    return running[0]
            time.sleep(0.05)
        self.fail("no running action in task %s of %s" % (task_name, ex_id))

    # -- listing ---------------------------------------------------------------
    def test_listed_with_mistral_signatures(self):
        actions = {a["name"]: a for a in self.ok(200, self.req("GET", "/v2/actions?limit=1000"))["actions"]}
        greet = actions[MOD + "greet"]
        # mistral-lib's own params_spec: defaults as json.dumps writes them.
        self.assertEqual('name, greeting="Hello", times=1, tags=[]', greet["input"])
        self.assertEqual("Greets someone, as often as asked.", greet["description"])
        self.assertEqual("reason, code=409", actions[MOD + "refuse"]["input"])
        self.assertEqual("", actions[MOD + "who_am_i"]["input"])
        self.assertEqual("question, ticket_dir=null", actions[MOD + "approval"]["input"])
        # By a setup.cfg-style line, and by an installed distribution's entry point.
        self.assertEqual(greet["input"], actions["team.greet"]["input"])
        self.assertEqual("param, flags=null", actions["test_pack.runner"]["input"])
        # The pack's base class without run() is no action; Mistral's own
        # std.* entry points are Bora's std actions, not Python ones.
        self.assertFalse([n for n in actions if "pack_base" in n.lower()])
        self.assertIn("std.echo", actions)
        one = self.ok(200, self.req("GET", "/v2/actions/" + MOD + "slow"))
        self.assertEqual("seconds=30, pid_file=null", one["input"])

    def test_problems_are_logged_and_the_rest_loads(self):
        logs = self.server.logs()
        self.assertIn("bora_test_pack.missing_module cannot be imported: ModuleNotFoundError", logs)
        self.assertRegex(logs, r"Python actions \(/usr/bin/python3\): 16 actions")

    # -- running ---------------------------------------------------------------
    def test_sync_action_with_defaults(self):
        state, result = self.result_of(MOD + "greet", {"name": "Ann"})
        self.assertEqual("SUCCESS", state)
        # The class's own default object (a tuple), not its JSON image.
        self.assertEqual({"text": "Hello, Ann!", "tags_type": "tuple", "class": "GreetAction"}, result)
        state, result = self.result_of("team.greet", {"name": "Bo", "greeting": "Hi", "times": 2, "tags": ["x"]})
        self.assertEqual(("SUCCESS", "Hi, Bo! Hi, Bo!", "list"), (state, result["text"], result["tags_type"]))
        # What the action printed is in the log, not in the result.
        self.assertIn("greeting Ann", self.server.logs())

    def test_input_checked_against_the_signature(self):
        status, body, _ = self.req("POST", "/v2/action_executions",
                                   {"name": MOD + "greet", "input": json.dumps({"greeting": "Hi", "x": 1})})
        self.assertEqual(400, status, body)
        self.assertIn("Invalid input [name=bora_test_pack.actions.greet, class=bora_test_pack.actions.GreetAction, "
                      "missing=['name'], unexpected=['x']]", body["faultstring"])

    def test_error_result(self):
        state, result = self.result_of(MOD + "refuse", {"reason": "busy"})
        self.assertEqual(("ERROR", {"reason": "busy", "code": 409}), (state, result))

    def test_cancel_result(self):
        """Result(cancel=True): the action, its task and the workflow are
        CANCELLED as in Mistral, the error kept as the action's output, and
        on-complete is not followed."""
        ex = self.wait_done(self.start("withdraw_flow"))
        self.assertEqual(("CANCELLED", "Cancelled tasks: w"), (ex["state"], ex.get("state_info")))
        task = self.task(ex["id"], "w")[0]
        self.assertEqual("CANCELLED", task["state"])
        acts = self.ok(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))["action_executions"]
        self.assertEqual(["CANCELLED"], [a["state"] for a in acts])
        one = self.ok(200, self.req("GET", "/v2/action_executions/" + acts[0]["id"]))
        self.assertEqual({"result": "withdrawn"}, json.loads(one["output"]))
        self.assertEqual([], self.task(ex["id"], "after"))

    def test_exception(self):
        state, result = self.result_of(MOD + "broken", {})
        self.assertEqual("ERROR", state)
        self.assertRegex(result, r"^The action raised an exception \[action=<bora_test_pack\.actions\.BrokenAction "
                                 r"object at 0x[0-9a-f]+>, action_ex_id=None, msg='it broke'\]$")
        ex = self.wait_done(self.start("broken_flow"))
        self.assertEqual("ERROR", ex["state"])
        task = self.task(ex["id"], "broken")[0]
        self.assertIn("msg='disk on fire'", task["state_info"])
        self.assertIn("action_ex_id=", task["state_info"])

    def test_workflow_with_context_error_result_and_entry_point_action(self):
        ex = self.wait_done(self.start("py_flow"))
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        out = json.loads(ex["output"])
        self.assertEqual("Hello, team! Hello, team!", out["text"])
        who = out["who"]
        self.assertEqual(ex["id"], who["workflow_execution_id"])
        self.assertEqual("py_flow", who["workflow_name"])
        task = self.task(ex["id"], "who")[0]
        self.assertEqual(task["id"], who["task_execution_id"])
        acts = self.ok(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))["action_executions"]
        self.assertEqual(acts[0]["id"], who["action_execution_id"])
        self.assertEqual(who["callback_url"], "/v2/action_executions/" + acts[0]["id"], who)
        # No Keystone here: the caller's project is Mistral's default one.
        self.assertEqual("<default-project>", who["project_id"])
        self.assertEqual(who["project_id"], who["project_id_shortcut"])
        self.assertEqual("mistral_lib.actions.context.ActionContext", who["context_class"])
        self.assertEqual({"status": 0, "param": "Hello, team! Hello, team!", "flags": None}, out["runner"])
        self.assertEqual({"reason": "not today", "code": 409}, out["refused"])
        refuse = self.task(ex["id"], "refuse")[0]
        self.assertEqual("ERROR", refuse["state"])

    def test_async_action_completed_through_the_api(self):
        tickets = tempfile.mkdtemp(dir=self.tmp)
        ex_id = self.start("approval_flow", {"ticket_dir": tickets})
        action = self.wait_running_action(ex_id, "ask")
        # The action ran (its ticket is written) and stays RUNNING: is_sync()
        # is False, its run()'s return value is ignored.
        deadline = time.time() + 20
        while not os.path.exists(os.path.join(tickets, action["id"])) and time.time() < deadline:
            time.sleep(0.05)
        with open(os.path.join(tickets, action["id"])) as f:
            self.assertEqual("deploy?", f.read())
        time.sleep(0.3)
        action = self.ok(200, self.req("GET", "/v2/action_executions/" + action["id"]))
        self.assertEqual("RUNNING", action["state"])
        self.assertEqual("RUNNING", self.ok(200, self.req("GET", "/v2/executions/" + ex_id))["state"])
        self.ok(200, self.req("PUT", "/v2/action_executions/" + action["id"],
                              {"state": "SUCCESS", "output": json.dumps({"approved": True})}))
        ex = self.wait_done(ex_id)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        self.assertEqual({"approved": True}, json.loads(ex["output"])["answer"])

    def test_is_sync_decided_per_run(self):
        # Synchronous for this input: the result is taken at once.
        self.assertEqual(("SUCCESS", "now"), self.result_of(MOD + "maybe_later", {"later": False}))
        # Asynchronous for this one: it runs, its result ("now") is ignored
        # and it stays RUNNING until its result comes through the API.
        marker = os.path.join(self.tmp, "maybe_later.ran")
        run = self.run_action(MOD + "maybe_later", {"later": True, "marker": marker}, save_result=True)
        deadline = time.time() + 20
        while not os.path.exists(marker) and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(marker))
        time.sleep(0.3)
        a = self.ok(200, self.req("GET", "/v2/action_executions/" + run["id"]))
        self.assertEqual("RUNNING", a["state"])
        self.ok(200, self.req("PUT", "/v2/action_executions/" + run["id"], {"state": "SUCCESS", "output": '{"when": "later"}'}))
        a = self.ok(200, self.req("GET", "/v2/action_executions/" + run["id"]))
        self.assertEqual(("SUCCESS", {"when": "later"}), (a["state"], json.loads(a["output"])["result"]))

    def test_task_timeout_stops_the_action(self):
        started = time.time()
        ex = self.wait_done(self.start("slow_flow"))
        self.assertEqual("ERROR", ex["state"])
        self.assertLess(time.time() - started, 15)
        # Its worker was killed; the next run gets a fresh one.
        self.assertEqual("SUCCESS", self.result_of(MOD + "pid", {})[0])

    def test_worker_killed_mid_run(self):
        pid_file = os.path.join(self.tmp, "slow.pid")
        ex_id = self.start_slow(pid_file)
        deadline = time.time() + 20
        while not os.path.exists(pid_file) and time.time() < deadline:
            time.sleep(0.05)
        with open(pid_file) as f:
            pid = int(f.read())
        os.kill(pid, signal.SIGKILL)
        ex = self.wait_done(ex_id)
        self.assertEqual("ERROR", ex["state"])
        info = self.task(ex_id, "sleep")[0]["state_info"]
        self.assertIn("the Python worker died (signal 9, Killed) while running the action", info)
        # The server lives on, and the pack works in a new worker.
        self.assertEqual(200, self.req("GET", "/healthz")[0])
        state, other_pid = self.result_of(MOD + "pid", {})
        self.assertEqual("SUCCESS", state)
        self.assertNotEqual(pid, other_pid)

    def start_slow(self, pid_file):
        wf = """---
version: '2.0'
killed_flow:
  input:
    - pid_file
  tasks:
    sleep:
      action: bora_test_pack.actions.slow seconds=60 pid_file=<% $.pid_file %>
"""
        self.req("POST", "/v2/workflows", wf, content_type="text/plain")
        return self.start("killed_flow", {"pid_file": pid_file})

    def test_context_field_by_field_in_with_items_and_after_a_rerun(self):
        marker = os.path.join(self.tmp, "context_flow.failed-once")
        headers = {"X-Request-Id": "req-42", "X-Tenant": "blue"}
        body = {"workflow_name": "context_flow", "input": json.dumps({"marker": marker}),
                "params": json.dumps({"headers": headers})}
        ex_id = self.ok(201, self.req("POST", "/v2/executions", body))["id"]
        ex = self.wait_done(ex_id)
        self.assertEqual("ERROR", ex["state"])  # flaky failed its first attempt
        [items] = self.task(ex_id, "items")
        acts = self.ok(200, self.req("GET", "/v2/tasks/%s/action_executions" % items["id"]))["action_executions"]
        self.assertEqual(3, len(acts))
        results = json.loads(self.ok(200, self.req("GET", "/v2/tasks/" + items["id"]))["result"])
        self.assertEqual([10, 20, 30], [r["item"] for r in results])
        act_ids = {}
        for a in acts:
            one = self.ok(200, self.req("GET", "/v2/action_executions/" + a["id"]))
            act_ids[json.loads(one["output"])["result"]["item"]] = a["id"]
        for index, r in enumerate(results):
            # task_rerun_id: only in newer mistral-libs; nothing sets it.
            self.assertIsNone(r["execution"].pop("task_rerun_id", None))
            self.assertEqual({
                "workflow_execution_id": ex_id,
                "task_execution_id": items["id"],
                "action_execution_id": act_ids[r["item"]],
                "workflow_name": "context_flow",
                "callback_url": r["execution"]["callback_url"],
                "with_items_index": index,
                "task_rerun_no": 0,
                "workflow_propagated_headers": headers,
            }, r["execution"])
            self.assertEqual(r["execution"]["callback_url"], "/v2/action_executions/" + act_ids[r["item"]])
            # mistral-lib's SecurityContext (authentication off: the project only).
            sec = r["security"]
            self.assertEqual("<default-project>", sec["project_id"])
            for field in ("auth_uri", "auth_cacert", "insecure", "service_catalog", "region_name",
                          "is_trust_scoped", "redelivered", "expires_at", "trust_id", "is_target",
                          "project_name", "user_name", "auth_token"):
                self.assertIn(field, sec)
        # Rerun the failed task (Mistral's PUT /v2/tasks/{id} state RUNNING).
        [flaky] = self.task(ex_id, "flaky")
        self.assertEqual("ERROR", flaky["state"])
        self.ok(200, self.req("PUT", "/v2/tasks/" + flaky["id"], {"state": "RUNNING", "reset": True}))
        ex = self.wait_done(ex_id)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        got = json.loads(ex["output"])["flaky"]["execution"]
        acts = self.ok(200, self.req("GET", "/v2/tasks/%s/action_executions" % flaky["id"]))["action_executions"]
        [second] = [a for a in acts if a["state"] == "SUCCESS"]
        self.assertEqual(flaky["id"], got["task_execution_id"])
        self.assertEqual(second["id"], got["action_execution_id"])
        self.assertEqual(0, got["with_items_index"])  # not a with-items task: mistral-lib's default
        self.assertEqual(1, got["task_rerun_no"])
        self.assertEqual(headers, got["workflow_propagated_headers"])
        # A sub-workflow's actions get the parent's headers too.
        child = json.loads(ex["output"])["child"]["execution"]
        self.assertEqual(("context_child", headers, 0, 0),
                         (child["workflow_name"], child["workflow_propagated_headers"], child["with_items_index"],
                          child["task_rerun_no"]))
        self.assertNotEqual(ex_id, child["workflow_execution_id"])
        # A standalone run: no workflow, no task, no headers.
        state, alone = self.result_of(MOD + "context_of", {"item": 1})
        self.assertEqual("SUCCESS", state)
        self.assertEqual((None, None, 0, 0, None),
                         (alone["execution"]["workflow_execution_id"], alone["execution"]["task_execution_id"],
                          alone["execution"]["with_items_index"], alone["execution"]["task_rerun_no"],
                          alone["execution"]["workflow_propagated_headers"]))

    def test_generated_actions_are_listed_and_run(self):
        actions = {a["name"]: a for a in self.ok(200, self.req("GET", "/v2/actions?limit=1000"))["actions"]}
        # By [python_actions] generators, and by a mistral.generators entry
        # point: the generator's arg_list and description, as Mistral lists them.
        self.assertEqual("detailed=true, limit=null", actions["gen_compute.servers_list"]["input"])
        self.assertEqual("Lists the servers.", actions["gen_compute.servers_list"]["description"])
        self.assertEqual("server", actions["gen_compute.servers_get"]["input"])
        self.assertEqual("", actions["gen_ping.ping"]["input"])
        # Run as the base class with the generated class's fields.
        state, result = self.result_of("gen_compute.servers_list", {"limit": 5})
        self.assertEqual("SUCCESS", state)
        self.assertEqual({"service": "compute", "method": "servers_list", "kwargs": {"detailed": True, "limit": 5},
                          "class": "CloudCallAction", "workflow_name": None}, result)
        state, result = self.result_of("gen_ping.ping", {})
        self.assertEqual(("SUCCESS", "ping", {}), (state, result["method"], result["kwargs"]))
        # The signature is checked as for any action.
        status, body = self.req("POST", "/v2/action_executions",
                                {"name": "gen_compute.servers_get", "input": "{}"})[:2]
        self.assertEqual(400, status, body)
        self.assertIn("server", json.dumps(body))
        # In a workflow.
        wf = """---
version: '2.0'
gen_flow:
  tasks:
    get:
      action: gen_compute.servers_get server="s-1"
      publish:
        got: <% task().result %>
"""
        self.ok(201, self.req("POST", "/v2/workflows", wf, content_type="text/plain"))
        ex = self.wait_done(self.start("gen_flow"))
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        got = json.loads(ex["output"])["got"]
        self.assertEqual(({"server": "s-1"}, "servers_get", "gen_flow"),
                         (got["kwargs"], got["method"], got["workflow_name"]))

    def test_workers_are_reused(self):
        pids = {self.result_of(MOD + "pid", {})[1] for _ in range(5)}
        # Runs one after the other share a worker (no interpreter start each).
        self.assertEqual(1, len(pids), pids)


class PythonDeniedNetworksTests(BoraTestCase):
    """[executor] denied_networks inside the Python worker: an audit hook
    refuses the pack's connections to a denied network."""
    config_text = ("[python_actions]\n"
                   "python = %s\n"
                   "path = %s\n"
                   "modules = bora_test_pack.actions\n"
                   "[executor]\n"
                   "denied_networks = 127.0.0.2/32, 10.0.0.0/8\n" % (PYTHON, os.path.abspath(PACK)))

    @classmethod
    def setUpClass(cls):
        skip_without_mistral_lib()
        super().setUpClass()

    def connect(self, host):
        body = {"name": MOD + "connect", "input": json.dumps({"host": host, "port": self.port()})}
        run = BoraTestCase.assertStatus(self, 201, self.req("POST", "/v2/action_executions", body))
        return run["state"], json.loads(run["output"])["result"]

    def port(self):
        return urllib.parse.urlsplit(self.server.url).port

    def test_a_denied_network_is_refused_inside_the_worker(self):
        # This server's own port on 127.0.0.1: not denied, it connects.
        self.assertEqual(("SUCCESS", "connected to 127.0.0.1:%d" % self.port()), self.connect("127.0.0.1"))
        # 127.0.0.2 (the same loopback interface) is denied: refused before
        # any packet leaves, the action fails with the reason.
        state, error = self.connect("127.0.0.2")
        self.assertEqual("ERROR", state)
        self.assertIn("connection refused by Bora: 127.0.0.2 (port %d) is in 127.0.0.2/32, which [executor] "
                      "denied_networks denies" % self.port(), error)
        self.assertRegex(error, r"^The action raised an exception \[action=<bora_test_pack\.actions\.ConnectAction")
        # As an IPv4-mapped IPv6 address, too (when this host has IPv6).
        state, error = self.connect("::ffff:127.0.0.2")
        if "Address family not supported" not in error:
            self.assertEqual("ERROR", state)
            self.assertIn("is in 127.0.0.2/32", error)
        # The worker is still usable, and still enforcing.
        self.assertEqual("SUCCESS", self.connect("127.0.0.1")[0])
        self.assertEqual("ERROR", self.connect("127.0.0.2")[0])


if __name__ == "__main__":
    unittest.main()
