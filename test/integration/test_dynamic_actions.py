"""Code sources and dynamic actions (/v2/code_sources, /v2/dynamic_actions):
Python modules, as Mistral's, run with mistral-lib in Bora's Python
workers; JavaScript modules (duktape) need no Python. Driven over HTTP and
by the real python-mistralclient (code-source-*, dynamic-action-*,
run-action)."""

import json
import subprocess
import time
import unittest

from bora_server import MISTRAL, OPEN_ADMIN_RULES, BoraTestCase, MistralClientMixin


MODULE = """
// A constructor with prototype.run, as Mistral's action classes.
function Greeter(input) { this.name = input.name || "world"; }
Greeter.prototype.run = function (context) {
  return {text: "Hello, " + this.name + "!", workflow: context.execution.workflow_name};
};
// A plain function gets (input, context).
function add(input) { return input.a + input.b; }
function spin() { for (;;) {} }
function Boom() {}
Boom.prototype.run = function () { throw new Error("no luck"); };
"""

MODULE_V2 = """
function Greeter(input) { this.name = input.name; }
Greeter.prototype.run = function () { return {text: "Hi v2, " + this.name}; };
"""

PYTHON_MODULE = """from mistral_lib import actions

class DummyAction(actions.Action):
    def run(self, context):
        return "Hello from the dummy action 1!"
"""

# Mistral's way: classes of mistral-lib's Action, made with the task's
# input as keyword arguments, run with its ActionContext.
PYTHON_LIB = """import json
import time

from mistral_lib import actions
from mistral_lib.actions import types


class Hello(actions.Action):
    \"\"\"Greets someone.\"\"\"

    def __init__(self, name, greeting="Hello"):
        super().__init__()
        self.name = name
        self.greeting = greeting

    def run(self, context):
        return {"text": "%s, %s!" % (self.greeting, self.name),
                "workflow": context.execution.workflow_name,
                "version": VERSION}


class Boom(actions.Action):
    def run(self, context):
        raise ValueError("no luck")


class Refuse(actions.Action):
    def __init__(self, why):
        super().__init__()
        self.why = why

    def run(self, context):
        return types.Result(error={"why": self.why})


class Anything(actions.Action):
    def __init__(self, **kwargs):
        super().__init__()
        self.kwargs = kwargs

    def run(self, context):
        return json.loads(json.dumps(self.kwargs, sort_keys=True))


class Ask(actions.Action):
    \"\"\"Asynchronous: its result comes later, through the API.\"\"\"

    def run(self, context):
        return "ignored"

    def is_sync(self):
        return False


class Spin(actions.Action):
    def run(self, context):
        while True:
            time.sleep(0.05)


VERSION = 1
"""

PY_WF = """---
version: '2.0'
py_flow:
  input:
    - who
  output:
    text: <% $.text %>
    any: <% $.any %>
  tasks:
    hello:
      action: py_hello name=<% $.who %>
      publish:
        text: <% task().result.text %>
        wf: <% task().result.workflow %>
      on-success: any
    any:
      action: py_any a=1 b="two"
      publish:
        any: <% task().result %>
py_boom:
  tasks:
    boom:
      action: py_boom
py_refuse:
  tasks:
    refuse:
      action: py_refuse why="not today"
py_bad_input:
  tasks:
    bad:
      action: py_hello greeting="Hi"
py_spin:
  tasks:
    spin:
      action: py_spin
      timeout: 1
py_ask:
  output:
    answer: <% $.answer %>
  tasks:
    ask:
      action: py_ask
      publish:
        answer: <% task().result %>
"""


def has_mistral_lib():
    return subprocess.run(["/usr/bin/python3", "-c", "import mistral_lib"], capture_output=True).returncode == 0


MISTRAL_LIB = has_mistral_lib()

WF = """---
version: '2.0'
dyn_flow:
  output:
    text: <% $.text %>
    sums: <% $.sums %>
  tasks:
    hello:
      action: greet name="team"
      publish:
        text: <% task().result.text %>
      on-success: sums
    sums:
      with-items: x in <% [1, 2, 3] %>
      action: add a=<% $.x %> b=10
      publish:
        sums: <% task().result %>
dyn_fail:
  tasks:
    explode:
      action: boom
dyn_spin:
  tasks:
    spin:
      action: spin
      timeout: 1
"""


# Without authentication Python code sources are taken only when allowed
# (anyone could claim the admin role): these tests allow them.
PYTHON_ALLOWED = "[python_actions]\ncode_sources = true\n"


class DynamicActionsApiTest(BoraTestCase):
    policy = OPEN_ADMIN_RULES  # code sources and dynamic actions as a plain project
    config_text = PYTHON_ALLOWED

    def create_source(self, name, content=MODULE, query=""):
        return self.req("POST", "/v2/code_sources?name=%s%s" % (name, query), content)

    def test_code_source_lifecycle(self):
        created = self.assertStatus(201, self.create_source("lifecycle", query="&namespace=NS"))
        self.assertEqual("lifecycle", created["name"])
        self.assertEqual("NS", created["namespace"])
        self.assertEqual(MODULE, created["content"])
        self.assertEqual(1, created["version"])
        self.assertEqual("private", created["scope"])
        self.assertNotIn("updated_at", created)  # as Mistral's POST (WSME leaves it out)
        for key in ("id", "project_id", "created_at"):
            self.assertTrue(created[key], key)

        got = self.assertStatus(200, self.req("GET", "/v2/code_sources/lifecycle?namespace=NS"))
        self.assertEqual(created["id"], got["id"])
        by_id = self.assertStatus(200, self.req("GET", "/v2/code_sources/" + created["id"]))
        self.assertEqual("lifecycle", by_id["name"])
        # Another namespace does not see it by name.
        self.assertFault(404, self.req("GET", "/v2/code_sources/lifecycle"),
                         "Code Source not found [name=lifecycle,namespace=]")

        # python-mistralclient's update: the identifier as a query parameter.
        updated = self.assertStatus(200, self.req(
            "PUT", "/v2/code_sources?identifier=lifecycle&namespace=NS&scope=public", MODULE_V2))
        self.assertEqual(2, updated["version"])
        self.assertEqual(MODULE_V2, updated["content"])
        self.assertEqual("public", updated["scope"])
        self.assertTrue(updated["updated_at"])

        listed = self.assertStatus(200, self.req("GET", "/v2/code_sources?namespace=NS"))
        self.assertEqual(["lifecycle"], [c["name"] for c in listed["code_sources"]])
        fields = self.assertStatus(200, self.req("GET", "/v2/code_sources?namespace=NS&fields=name,version"))
        self.assertEqual({"id", "name", "version"}, set(fields["code_sources"][0]))

        self.assertFault(409, self.create_source("lifecycle", query="&namespace=NS"),
                         "Duplicate entry for CodeSource ['name', 'namespace', 'project_id']: lifecycle, NS")
        self.assertStatus(204, self.req("DELETE", "/v2/code_sources/lifecycle?namespace=NS"))
        self.assertFault(404, self.req("GET", "/v2/code_sources/lifecycle?namespace=NS"))

    def test_any_text_is_stored_as_mistral_stores_it(self):
        # With Python modules taken, a module is stored without being read,
        # as Mistral stores it: one that is no JavaScript is Python, and
        # fails when an action of it runs; an empty one is stored too.
        broken = self.assertStatus(201, self.create_source("broken", "function f( {"))
        self.assertEqual("function f( {", broken["content"])
        empty = self.assertStatus(201, self.create_source("empty", ""))
        self.assertEqual("", empty["content"])
        self.assertFault(400, self.req("POST", "/v2/code_sources", MODULE), "A code source needs a name")
        self.assertFault(400, self.create_source("scoped", query="&scope=everyone"))
        listed = self.assertStatus(200, self.req("GET", "/v2/code_sources"))
        names = {c["name"] for c in listed["code_sources"]}
        self.assertIn("broken", names)
        self.assertNotIn("scoped", names)
        # An update takes any text the same way; an unknown one is a 404
        # whatever the body, as Mistral looks the code source up first.
        self.assertStatus(201, self.create_source("stays"))
        changed = self.assertStatus(200, self.req("PUT", "/v2/code_sources/stays", "var x = ;"))
        self.assertEqual((2, "var x = ;"), (changed["version"], changed["content"]))
        self.assertFault(404, self.req("PUT", "/v2/code_sources?identifier=nothing_here", ""))
        # An action of the broken module fails when it runs.
        self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
            "name": "broken_action", "class_name": "F", "code_source_name": "broken"}))
        run = self.assertStatus(201, self.req("POST", "/v2/action_executions", {"name": "broken_action"}))
        self.assertEqual("ERROR", run["state"])

    def test_python_modules_are_stored_as_they_are(self):
        # Mistral stores a module without reading it; so does Bora, even
        # one Python cannot compile: that shows when an action of it runs.
        created = self.assertStatus(201, self.create_source("dummy", PYTHON_MODULE))
        self.assertEqual(PYTHON_MODULE, created["content"])
        broken = "import os\ndef f(:\n"
        self.assertStatus(201, self.create_source("py_broken", broken))
        self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
            "name": "py_broken_action", "class_name": "F", "code_source_name": "py_broken"}))
        run = self.assertStatus(201, self.req("POST", "/v2/action_executions", {"name": "py_broken_action"}))
        if MISTRAL_LIB:
            self.assertIn("Failed to load code source 'py_broken' of dynamic action py_broken_action: "
                          "SyntaxError: invalid syntax", json.loads(run["output"])["result"])

    @unittest.skipUnless(MISTRAL_LIB, "python3-mistral-lib is not installed")
    def test_python_dynamic_actions_run_as_in_mistral(self):
        self.assertStatus(201, self.create_source("pylib", PYTHON_LIB))
        for name, cls in (("py_hello", "Hello"), ("py_boom", "Boom"), ("py_refuse", "Refuse"),
                          ("py_any", "Anything"), ("py_nothing", "Nowhere"), ("py_spin", "Spin"),
                          ("py_ask", "Ask")):
            self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
                "name": name, "class_name": cls, "code_source_name": "pylib"}))
        self.assertStatus(201, self.req("POST", "/v2/workflows", PY_WF))

        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "py_flow", "input": json.dumps({"who": "team"})}))
        done = self.wait_done(ex["id"])
        self.assertEqual("SUCCESS", done["state"], done.get("state_info"))
        self.assertEqual({"text": "Hello, team!", "any": {"a": 1, "b": "two"}}, json.loads(done["output"]))
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]
        hello = [t for t in tasks if t["name"] == "hello"][0]
        self.assertEqual("py_flow", json.loads(hello["published"])["wf"])

        # An exception: Mistral's executor message, naming its DynamicAction.
        failed = self.wait_done(self.assertStatus(201, self.req(
            "POST", "/v2/executions", {"workflow_name": "py_boom"}))["id"])
        self.assertEqual("ERROR", failed["state"])
        boom = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % failed["id"]))["tasks"][0]
        self.assertRegex(boom["state_info"], r"The action raised an exception \[action=<mistral\.actions\."
                                             r"dynamic_action\.DynamicAction object at 0x[0-9a-f]+>, "
                                             r"action_ex_id=[0-9a-f-]{36}, msg='no luck'\]")
        # A Result with an error fails the action with that error.
        refused = self.wait_done(self.assertStatus(201, self.req(
            "POST", "/v2/executions", {"workflow_name": "py_refuse"}))["id"])
        self.assertEqual("ERROR", refused["state"])
        refuse = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % refused["id"]))["tasks"][0]
        actions = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % refuse["id"]))
        action = self.assertStatus(200, self.req("GET", "/v2/action_executions/" + actions["action_executions"][0]["id"]))
        self.assertEqual({"result": {"why": "not today"}}, json.loads(action["output"]))
        self.assertEqual("ERROR", action["state"])

        # Run on its own; the input is checked against __init__ as Mistral's
        # engine checks it.
        run = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "py_hello", "input": json.dumps({"name": "you", "greeting": "Hi"})}))
        self.assertEqual({"result": {"text": "Hi, you!", "workflow": None, "version": 1}}, json.loads(run["output"]))
        self.assertFault(400, self.req("POST", "/v2/action_executions", {
            "name": "py_hello", "input": json.dumps({"greeting": "Hi", "colour": "red"})}),
            "Invalid input [name=py_hello, class=pylib.Hello, missing=['name'], unexpected=['colour']]")
        # In a task, the task fails before any action runs.
        bad = self.wait_done(self.assertStatus(201, self.req(
            "POST", "/v2/executions", {"workflow_name": "py_bad_input"}))["id"])
        self.assertEqual("ERROR", bad["state"])
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % bad["id"]))["tasks"][0]
        self.assertIn("Invalid input [name=py_hello, class=pylib.Hello, missing=['name']]", task["state_info"])
        actions = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))
        self.assertEqual([], actions["action_executions"])
        # GET /v2/actions shows the class's input and docstring, as Mistral.
        listed = self.assertStatus(200, self.req("GET", "/v2/actions?name=py_hello"))["actions"][0]
        self.assertEqual(('name, greeting="Hello"', "Greets someone."), (listed["input"], listed["description"]))
        got = self.assertStatus(200, self.req("GET", "/v2/actions/py_any"))
        self.assertEqual("**kwargs", got["input"])
        nothing = self.assertStatus(201, self.req("POST", "/v2/action_executions", {"name": "py_nothing"}))
        self.assertIn("code source 'pylib' has no action class named 'Nowhere'",
                      json.loads(nothing["output"])["result"])

        # An asynchronous class (is_sync() False): its action stays RUNNING
        # until its result comes through the API, as in Mistral.
        asked = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "py_ask"}))
        deadline, running = time.time() + 20, []
        while not running and time.time() < deadline:
            running = self.assertStatus(200, self.req(
                "GET", "/v2/action_executions?state=RUNNING&name=py_ask"))["action_executions"]
            time.sleep(0.05)
        self.assertEqual(1, len(running))
        time.sleep(0.3)
        self.assertEqual("RUNNING", self.assertStatus(200, self.req("GET", "/v2/executions/" + asked["id"]))["state"])
        self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + running[0]["id"],
                                        {"state": "SUCCESS", "output": json.dumps({"yes": True})}))
        asked = self.wait_done(asked["id"])
        self.assertEqual("SUCCESS", asked["state"], asked.get("state_info"))
        self.assertEqual({"answer": {"yes": True}}, json.loads(asked["output"]))

        # An action that never ends is stopped by its task's timeout (its
        # worker is killed), and the next run works.
        spun = self.wait_done(self.assertStatus(201, self.req(
            "POST", "/v2/executions", {"workflow_name": "py_spin"}))["id"])
        self.assertEqual("ERROR", spun["state"])
        spin = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % spun["id"]))["tasks"][0]
        self.assertIn("msg='1 second'", spin["state_info"])

        # A module that never finishes loading (a loop at its top level)
        # holds neither the engine nor the API: its action fails at its
        # task's timeout, and the server answers meanwhile.
        self.assertStatus(201, self.create_source("py_stuck", "import time\nwhile True:\n    time.sleep(0.05)\n"))
        self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
            "name": "py_stuck_action", "class_name": "A", "code_source_name": "py_stuck"}))
        self.assertStatus(201, self.req("POST", "/v2/workflows", "version: '2.0'\npy_stuck_flow:\n  tasks:\n"
                                                                 "    t:\n      action: py_stuck_action\n"
                                                                 "      timeout: 2\n"))
        started = time.time()
        stuck = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "py_stuck_flow"}))
        self.assertStatus(200, self.req("GET", "/v2/workflows/py_stuck_flow"))
        self.assertLess(time.time() - started, 10)
        stuck = self.wait_done(stuck["id"])
        self.assertEqual("ERROR", stuck["state"])
        self.assertLess(time.time() - started, 20)

        # A new version of the module is what runs next.
        self.assertStatus(200, self.req("PUT", "/v2/code_sources/pylib", PYTHON_LIB.replace("VERSION = 1",
                                                                                          "VERSION = 2")))
        run = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "py_hello", "input": json.dumps({"name": "v2"})}))
        self.assertEqual(2, json.loads(run["output"])["result"]["version"])

    def test_dynamic_action_lifecycle_and_errors(self):
        source = self.assertStatus(201, self.create_source("lib_crud"))
        created = self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
            "name": "crud_greet", "class_name": "Greeter", "code_source_id": source["id"]}))
        self.assertEqual(("crud_greet", "Greeter", source["id"], "lib_crud", "", "private"),
                         (created["name"], created["class_name"], created["code_source_id"],
                          created["code_source_name"], created["namespace"], created["scope"]))
        got = self.assertStatus(200, self.req("GET", "/v2/dynamic_actions/crud_greet"))
        self.assertEqual(created["id"], got["id"])
        updated = self.assertStatus(200, self.req("PUT", "/v2/dynamic_actions", {
            "name": "crud_greet", "class_name": "add"}))
        self.assertEqual("add", updated["class_name"])
        self.assertEqual(source["id"], updated["code_source_id"])
        listed = self.assertStatus(200, self.req("GET", "/v2/dynamic_actions"))
        self.assertIn("crud_greet", [d["name"] for d in listed["dynamic_actions"]])
        # Dynamic actions are actions: GET /v2/actions lists them.
        actions = self.assertStatus(200, self.req("GET", "/v2/actions?limit=1000"))
        self.assertIn("crud_greet", [a["name"] for a in actions["actions"]])
        self.assertStatus(200, self.req("GET", "/v2/actions/crud_greet"))

        self.assertFault(400, self.req("POST", "/v2/dynamic_actions", {"name": "x", "class_name": "Greeter"}),
                         "Either 'code_source_id' or 'code_source_name' must be provided.")
        self.assertFault(404, self.req("POST", "/v2/dynamic_actions", {
            "name": "x", "class_name": "Greeter", "code_source_name": "nowhere"}),
            "Code Source not found [name=nowhere,namespace=]")
        self.assertFault(400, self.req("POST", "/v2/dynamic_actions", {
            "name": "std.echo", "class_name": "Greeter", "code_source_name": "lib_crud"}), "system action")
        self.assertFault(400, self.req("POST", "/v2/dynamic_actions", {
            "name": "x", "class_name": "Greeter", "code_source_name": "lib_crud", "colour": "red"}),
            "Unknown attribute for argument dyn_action: colour")
        self.assertFault(400, self.req("POST", "/v2/dynamic_actions", {
            "name": 7, "class_name": "Greeter", "code_source_name": "lib_crud"}), "Wrong type")
        self.assertFault(409, self.req("POST", "/v2/dynamic_actions", {
            "name": "crud_greet", "class_name": "Greeter", "code_source_name": "lib_crud"}),
            "Duplicate entry for dynamic action definition [name=crud_greet")
        self.assertFault(400, self.req("PUT", "/v2/dynamic_actions", {"class_name": "add"}),
                         "Either 'name' or 'id' must be provided.")

        # Deleting the code source deletes its dynamic actions (as Mistral's
        # ON DELETE CASCADE).
        self.assertStatus(204, self.req("DELETE", "/v2/code_sources/lib_crud"))
        self.assertFault(404, self.req("GET", "/v2/dynamic_actions/crud_greet"),
                         "Dynamic Action not found [name=crud_greet,namespace=]")

    def test_workflows_run_dynamic_actions(self):
        self.assertStatus(201, self.create_source("lib_run"))
        for name, cls in (("greet", "Greeter"), ("add", "add"), ("boom", "Boom"), ("spin", "spin")):
            self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
                "name": name, "class_name": cls, "code_source_name": "lib_run"}))
        self.assertStatus(201, self.req("POST", "/v2/workflows", WF))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "dyn_flow"}))
        done = self.wait_done(ex["id"])
        self.assertEqual("SUCCESS", done["state"], done.get("state_info"))
        self.assertEqual({"text": "Hello, team!", "sums": [11, 12, 13]}, json.loads(done["output"]))

        failed = self.wait_done(self.assertStatus(201, self.req(
            "POST", "/v2/executions", {"workflow_name": "dyn_fail"}))["id"])
        self.assertEqual("ERROR", failed["state"])
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % failed["id"]))["tasks"]
        self.assertIn("The action raised an exception [action=<mistral.actions.dynamic_action.DynamicAction",
                      tasks[0]["state_info"])
        self.assertIn("msg='Error: no luck (lib_run:", tasks[0]["state_info"])

        # A script that never ends is stopped by the task's timeout (its
        # JavaScript runs in a child process that is killed).
        spun = self.wait_done(self.assertStatus(201, self.req(
            "POST", "/v2/executions", {"workflow_name": "dyn_spin"}))["id"])
        self.assertEqual("ERROR", spun["state"])
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % spun["id"]))["tasks"]
        self.assertIn("msg='1 second'", tasks[0]["state_info"])

        # Run on its own, synchronously (not stored) and in the background.
        run = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "add", "input": json.dumps({"a": 1, "b": 2})}))
        self.assertEqual({"result": 3}, json.loads(run["output"]))
        bg = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "greet", "input": json.dumps({"name": "bg"}), "params": json.dumps({"save_result": True})}))
        deadline = time.time() + 10
        while time.time() < deadline:
            a = self.assertStatus(200, self.req("GET", "/v2/action_executions/" + bg["id"]))
            if a["state"] != "RUNNING":
                break
            time.sleep(0.05)
        self.assertEqual("SUCCESS", a["state"])
        self.assertEqual({"result": {"text": "Hello, bg!", "workflow": None}}, json.loads(a["output"]))

        # A new version of the module is what runs next.
        self.assertStatus(200, self.req("PUT", "/v2/code_sources/lib_run", MODULE_V2))
        run = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "greet", "input": json.dumps({"name": "v2"})}))
        self.assertEqual({"result": {"text": "Hi v2, v2"}}, json.loads(run["output"]))
        gone = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "add", "input": json.dumps({"a": 1, "b": 2})}))
        self.assertIn("code source 'lib_run' defines no function named 'add'", json.loads(gone["output"])["result"])

    def test_namespaces_and_projects(self):
        other = {"X-Project-Id": "other-project"}
        self.assertStatus(201, self.create_source("lib_ns", query="&namespace=team"))
        self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
            "name": "ns_greet", "class_name": "Greeter", "code_source_name": "lib_ns", "namespace": "team"}))
        # The workflow of the namespace finds the action; the default
        # namespace does not.
        wf = WF.replace("dyn_flow", "ns_flow").replace("dyn_fail", "ns_fail").replace("greet ", "ns_greet ")
        self.assertStatus(201, self.req("POST", "/v2/workflows?namespace=team", wf))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "ns_flow", "workflow_namespace": "team"}))
        done = self.wait_done(ex["id"])
        # add is not in the namespace: its default-namespace definition is
        # used when it exists (test_workflows_run_dynamic_actions may not
        # have run yet, so only the first task is checked).
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]
        hello = [t for t in tasks if t["name"] == "hello"][0]
        self.assertEqual("SUCCESS", hello["state"], done.get("state_info"))
        self.assertFault(404, self.req("GET", "/v2/dynamic_actions/ns_greet"))
        self.assertStatus(200, self.req("GET", "/v2/dynamic_actions/ns_greet?namespace=team"))

        # Another project sees neither the private module nor its action.
        self.assertFault(404, self.req("GET", "/v2/code_sources/lib_ns?namespace=team", headers=other))
        listed = self.assertStatus(200, self.req("GET", "/v2/dynamic_actions", headers=other))
        self.assertEqual([], listed["dynamic_actions"])
        run = self.assertStatus(400, self.req("POST", "/v2/action_executions", {
            "name": "ns_greet", "workflow_namespace": "team"}, headers=other))
        self.assertIn("Failed to find action [action_name=ns_greet]", run["faultstring"])
        # A public module is readable by others, not writable.
        self.assertStatus(201, self.create_source("lib_public", query="&scope=public"))
        self.assertStatus(200, self.req("GET", "/v2/code_sources/lib_public", headers=other))
        self.assertStatus(403, self.req("PUT", "/v2/code_sources/lib_public", MODULE_V2, headers=other))
        self.assertStatus(403, self.req("DELETE", "/v2/code_sources/lib_public", headers=other))


@unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed (scripts/install-deps.sh --with-test)")
class DynamicActionsClientTest(MistralClientMixin, BoraTestCase):
    policy = OPEN_ADMIN_RULES  # code sources and dynamic actions as a plain project
    config_text = PYTHON_ALLOWED
    def test_client_commands(self):
        module = self.write("greeter.js", MODULE)
        created = self.mistral_json("code-source-create", "greeter", module)
        self.assertEqual(("greeter", "private"), (created["Name"], created["Scope"]))
        self.assertEqual(created["ID"], self.mistral_json("code-source-get", "greeter")["ID"])
        self.assertIn("greeter", [c["Name"] for c in self.mistral_json("code-source-list")])
        self.assertEqual(MODULE.strip(), self.mistral("code-source-get-content", "greeter").stdout.strip())
        self.mistral_json("code-source-update", "greeter", self.write("v2.js", MODULE + "\nvar v = 2;\n"))
        self.assertIn("var v = 2;", self.mistral("code-source-get-content", "greeter").stdout)

        # Mistral's own example: a Python module and its class.
        self.mistral_json("code-source-create", "dummy", self.write("dummy.py", PYTHON_MODULE))
        self.mistral_json("dynamic-action-create", "dummy_action", "DummyAction", "dummy")
        if MISTRAL_LIB:
            out = self.mistral("run-action", "dummy_action").stdout
            self.assertEqual({"result": "Hello from the dummy action 1!"}, json.loads(out))

        action = self.mistral_json("dynamic-action-create", "hello", "Greeter", "greeter")
        self.assertEqual(("hello", "Greeter", "greeter", created["ID"]),
                         (action["Name"], action["Class"], action["Code source name"], action["Code source ID"]))
        self.assertEqual("Greeter", self.mistral_json("dynamic-action-get", "hello")["Class"])
        self.assertIn("hello", [d["Name"] for d in self.mistral_json("dynamic-action-list")])
        out = self.mistral("run-action", "hello", '{"name": "client"}').stdout
        self.assertEqual({"result": {"text": "Hello, client!", "workflow": None}}, json.loads(out))

        self.assertEqual("add", self.mistral_json("dynamic-action-update", "hello", "--class", "add")["Class"])
        out = self.mistral("run-action", "hello", '{"a": 20, "b": 22}').stdout
        self.assertEqual({"result": 42}, json.loads(out))

        self.mistral("dynamic-action-delete", "hello")
        self.assertNotIn("hello", [d["Name"] for d in self.mistral_json("dynamic-action-list")])
        self.mistral("code-source-delete", "greeter")
        gone = self.mistral("code-source-get", "greeter", ok=False)
        self.assertIn("Code Source not found [name=greeter,namespace=]", gone.stderr + gone.stdout)


REACH_PROBE = """import socket

from mistral_lib import actions


def attempt(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return "connected"
    except PermissionError as e:
        return str(e)
    except OSError as e:
        return "not refused by Bora: %s" % e


AT_LOAD = attempt(9)


class Probe(actions.Action):
    def __init__(self, port):
        super().__init__()
        self.port = port

    def run(self, context):
        return {"at_load": AT_LOAD, "at_run": attempt(self.port)}
"""


@unittest.skipUnless(MISTRAL_LIB, "python3-mistral-lib is not installed")
class PythonCodeSourcesReachTest(BoraTestCase):
    """[executor] denied_networks holds for a Python code source's socket
    calls, at its module's top level as in its actions."""
    policy = OPEN_ADMIN_RULES
    config_text = PYTHON_ALLOWED + "[executor]\ndenied_networks = 127.0.0.0/8\n"

    def test_denied_networks_hold_in_code_sources(self):
        self.assertStatus(201, self.req("POST", "/v2/code_sources?name=probe", REACH_PROBE))
        self.assertStatus(201, self.req("POST", "/v2/dynamic_actions", {
            "name": "probe", "class_name": "Probe", "code_source_name": "probe"}))
        port = int(self.server.url.rsplit(":", 1)[1].split("/")[0])
        run = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "probe", "input": json.dumps({"port": port})}))
        result = json.loads(run["output"])["result"]
        for when in ("at_load", "at_run"):
            self.assertIn("connection refused by Bora", result[when], when)
            self.assertIn("denied_networks", result[when], when)


class PythonCodeSourcesWithoutAuthTest(BoraTestCase):
    """The default without authentication: Python modules are refused,
    saying why and how to allow them; JavaScript ones are taken."""
    policy = OPEN_ADMIN_RULES

    def test_python_is_refused_javascript_taken(self):
        status, body, _ = self.req("POST", "/v2/code_sources?name=dummy", PYTHON_MODULE)
        self.assertEqual(400, status, body)
        self.assertIn("Code source 'dummy' is Python, and this server takes Python code sources only with "
                      "authentication on", body["faultstring"])
        self.assertIn("[python_actions] code_sources = true", body["faultstring"])
        self.assertEqual(201, self.req("POST", "/v2/code_sources?name=js", MODULE)[0])
        status, body, _ = self.req("PUT", "/v2/code_sources/js", PYTHON_MODULE)
        self.assertEqual(400, status, body)
        self.assertEqual(1, self.req("GET", "/v2/code_sources/js")[1]["version"])
        # Without Python modules, a module that is no JavaScript and has no
        # Python line is refused with duktape's error; nothing is stored,
        # and a broken update leaves the stored module.
        status, body, _ = self.req("POST", "/v2/code_sources?name=broken", "function f( {")
        self.assertEqual(400, status, body)
        self.assertIn("Code source 'broken' is neither valid JavaScript", body["faultstring"])
        self.assertIn("nor a Python module", body["faultstring"])
        self.assertEqual(404, self.req("GET", "/v2/code_sources/broken")[0])
        status, body, _ = self.req("PUT", "/v2/code_sources/js", "var x = ;")
        self.assertEqual(400, status, body)
        self.assertIn("neither valid JavaScript", body["faultstring"])
        kept = self.req("GET", "/v2/code_sources/js")[1]
        self.assertEqual((1, MODULE), (kept["version"], kept["content"]))
        # An empty module is an empty JavaScript program.
        self.assertEqual(201, self.req("POST", "/v2/code_sources?name=empty", "")[0])


if __name__ == "__main__":
    unittest.main()
