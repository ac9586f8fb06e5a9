"""Code sources and dynamic actions (/v2/code_sources, /v2/dynamic_actions):
Bora's code sources are JavaScript modules (duktape); a Python module is
refused with a 400 that says so. Driven over HTTP and by the real
python-mistralclient (code-source-*, dynamic-action-*, run-action)."""

import json
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


class DynamicActionsApiTest(BoraTestCase):
    policy = OPEN_ADMIN_RULES  # code sources and dynamic actions as a plain project

    def create_source(self, name, content=MODULE, query=""):
        return self.req("POST", "/v2/code_sources?name=%s%s" % (name, query), content)

    def test_code_source_lifecycle(self):
        created = self.assertStatus(201, self.create_source("lifecycle", query="&namespace=NS"))
        self.assertEqual("lifecycle", created["name"])
        self.assertEqual("NS", created["namespace"])
        self.assertEqual(MODULE, created["content"])
        self.assertEqual(1, created["version"])
        self.assertEqual("private", created["scope"])
        self.assertIsNone(created["updated_at"])
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

    def test_python_and_broken_modules_are_refused(self):
        body = self.assertFault(400, self.create_source("dummy", PYTHON_MODULE), "Bora runs no Python")
        self.assertIn("Code source 'dummy' is Python", body["faultstring"])
        self.assertIn("JavaScript (ECMAScript 5.1", body["faultstring"])
        self.assertFault(400, self.create_source("broken", "function f( {"),
                         "Code source 'broken' is not valid JavaScript")
        self.assertFault(400, self.create_source("empty", ""), "The request body is empty")
        self.assertFault(400, self.req("POST", "/v2/code_sources", MODULE), "A code source needs a name")
        self.assertFault(400, self.create_source("scoped", query="&scope=everyone"))
        # Nothing was stored.
        listed = self.assertStatus(200, self.req("GET", "/v2/code_sources"))
        self.assertFalse({"dummy", "broken", "empty", "scoped"} & {c["name"] for c in listed["code_sources"]})
        # An update to Python is refused too, and the stored module stays.
        self.assertStatus(201, self.create_source("stays"))
        self.assertFault(400, self.req("PUT", "/v2/code_sources/stays", PYTHON_MODULE), "is Python")
        kept = self.assertStatus(200, self.req("GET", "/v2/code_sources/stays"))
        self.assertEqual((1, MODULE), (kept["version"], kept["content"]))

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
    def test_client_commands(self):
        module = self.write("greeter.js", MODULE)
        created = self.mistral_json("code-source-create", "greeter", module)
        self.assertEqual(("greeter", "private"), (created["Name"], created["Scope"]))
        self.assertEqual(created["ID"], self.mistral_json("code-source-get", "greeter")["ID"])
        self.assertIn("greeter", [c["Name"] for c in self.mistral_json("code-source-list")])
        self.assertEqual(MODULE.strip(), self.mistral("code-source-get-content", "greeter").stdout.strip())
        self.mistral_json("code-source-update", "greeter", self.write("v2.js", MODULE + "\nvar v = 2;\n"))
        self.assertIn("var v = 2;", self.mistral("code-source-get-content", "greeter").stdout)

        refused = self.mistral("code-source-create", "dummy", self.write("dummy.py", PYTHON_MODULE), ok=False)
        self.assertNotEqual(0, refused.returncode)
        self.assertIn("Code source 'dummy' is Python, and Bora runs no Python", refused.stderr + refused.stdout)

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


if __name__ == "__main__":
    unittest.main()
