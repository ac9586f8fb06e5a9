"""The real python-mistralclient (`mistral` CLI) driving executions, tasks,
action executions, reports, members and validation against Bora, checking
what the client prints (fields and values), not only its exit code. The
command groups not here are in test_client_definitions.py,
test_executions_api.py (pause/resume/cancel, async completion, rerun),
test_triggers_api.py and test_dynamic_actions.py."""

import json
import time
import unittest

from bora_server import MISTRAL, BoraTestCase, MistralClientMixin


WFS = """---
version: '2.0'
parent:
  input:
    - who
  output:
    greeting: <% $.greeting %>
  tasks:
    greet:
      action: std.echo output="Hello, <% $.who %> (<% env().site %>)"
      on-success:
        publish:
          branch:
            greeting: <% task().result %>
          global:
            site: <% env().site %>
        next: child
    child:
      workflow: kid
      input:
        n: 2
kid:
  input:
    - n
  output:
    double: <% $.n * 2 %>
  tasks:
    noop:
      action: std.noop
broken:
  tasks:
    fails:
      action: std.fail
"""


@unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed (scripts/install-deps.sh --with-test)")
class ClientExecutionsTest(MistralClientMixin, BoraTestCase):
    # member-* between projects from X-Project-Id: sharing without Keystone.
    server_env = {"BORA_API_RESOURCE_SHARING_WITHOUT_AUTH": "true"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows", WFS)
        assert status == 201, body





    def finished(self, ex_id):
        """The execution as `mistral execution-get` prints it, once done."""
        self.wait_done(ex_id)
        return self.mistral_json("execution-get", ex_id)

    def run_parent(self, who="client", description="from the client"):
        created = self.mistral_json("execution-create", "parent", json.dumps({"who": who}),
                                    json.dumps({"env": {"site": "lab"}}), "-d", description)
        return created, self.finished(created["ID"])

    def test_execution_commands(self):
        created, done = self.run_parent()
        self.assertEqual("parent", created["Workflow name"])
        self.assertEqual("from the client", created["Description"])
        self.assertIn(created["State"], ("RUNNING", "SUCCESS"))
        self.assertEqual("SUCCESS", done["State"])
        self.assertEqual(created["ID"], done["ID"])
        for column in ("Workflow ID", "Workflow namespace", "Task Execution ID", "Root Execution ID", "State info",
                       "Created at", "Updated at"):
            self.assertIn(column, done)
        self.assertEqual({"who": "client"}, json.loads(self.mistral("execution-get-input", created["ID"]).stdout))
        self.assertEqual({"greeting": "Hello, client (lab)"},
                         json.loads(self.mistral("execution-get-output", created["ID"]).stdout))

        # Lists, filtered and paged as the client asks.
        other, _ = self.run_parent("second", "second run")
        listed = self.mistral_json("execution-list", "--filter", "workflow_name=parent", "--oldest")
        ids = [e["ID"] for e in listed]
        self.assertLess(ids.index(created["ID"]), ids.index(other["ID"]))
        self.assertTrue(all(e["Workflow name"] == "parent" for e in listed))
        one = self.mistral_json("execution-list", "--filter", "workflow_name=parent", "--limit", "1", "--oldest")
        self.assertEqual([created["ID"]], [e["ID"] for e in one])
        described = self.mistral_json("execution-list", "--filter", "description=second run")
        self.assertEqual([other["ID"]], [e["ID"] for e in described])
        roots = self.mistral_json("execution-list", "--rootsonly")
        self.assertNotIn("kid", {e["Workflow name"] for e in roots})
        self.assertIn(created["ID"], [e["ID"] for e in roots])

        # As Mistral lists them: the execution itself, then its subtree.
        subs = self.mistral_json("execution-get-sub-executions", created["ID"])
        self.assertEqual(["parent", "kid"], [s["Workflow name"] for s in subs])
        self.assertEqual(created["ID"], subs[1]["Root Execution ID"])
        self.assertEqual({"double": 4}, json.loads(self.mistral("execution-get-output", subs[1]["ID"]).stdout))

        # The client asks for error paths only by default: a successful
        # run shows just its root, and counts nothing (as Mistral).
        errors = self.mistral("execution-get-report", created["ID"]).stdout
        self.assertIn("workflow 'parent' [SUCCESS] " + created["ID"], errors)
        self.assertIn("Number of tasks in SUCCESS state: 0", errors)
        self.assertNotIn("greet", errors)
        text = self.mistral("execution-get-report", created["ID"], "--no-errors-only").stdout
        self.assertIn("task 'greet' [SUCCESS]", text)
        self.assertIn("workflow 'kid' [SUCCESS]", text)
        self.assertIn("Number of tasks in SUCCESS state: 3", text)
        stats = self.mistral("execution-get-report", created["ID"], "--statistics-only", "--no-errors-only").stdout
        self.assertIn("Number of tasks in SUCCESS state: 3", stats)
        self.assertNotIn("Workflow Execution Tree", stats)

        published = json.loads(self.mistral("execution-get-published", created["ID"]).stdout)
        self.assertEqual({"site": "lab"}, published)  # the global publishes

        updated = self.mistral_json("execution-update", created["ID"], "-d", "renamed")
        self.assertEqual("renamed", updated["Description"])

        self.mistral("execution-delete", other["ID"])
        gone = self.mistral("execution-get", other["ID"], ok=False)
        self.assertNotEqual(0, gone.returncode)
        self.assertIn("not found", (gone.stdout + gone.stderr).lower())

    def test_task_and_action_execution_commands(self):
        created, _ = self.run_parent("tasks")
        tasks = self.mistral_json("task-list", created["ID"])
        self.assertEqual({"greet", "child"}, {t["Name"] for t in tasks})
        self.assertTrue(all(t["State"] == "SUCCESS" for t in tasks))
        greet = [t for t in tasks if t["Name"] == "greet"][0]
        filtered = self.mistral_json("task-list", created["ID"], "--filter", "name=greet")
        self.assertEqual([greet["ID"]], [t["ID"] for t in filtered])

        shown = self.mistral_json("task-get", greet["ID"])
        self.assertEqual(("greet", "parent", created["ID"], "SUCCESS"),
                         (shown["Name"], shown["Workflow name"], shown["Workflow Execution ID"], shown["State"]))
        self.assertEqual("Hello, tasks (lab)", json.loads(self.mistral("task-get-result", greet["ID"]).stdout))
        # The task's published values, then (as Mistral's API shows them)
        # its global publishes evaluated again: two JSON documents.
        out = self.mistral("task-get-published", greet["ID"]).stdout
        first, end = json.JSONDecoder().raw_decode(out)
        second = json.loads(out[end:])
        self.assertEqual(({"greeting": "Hello, tasks (lab)"}, {"site": "lab"}), (first, second))
        child = [t for t in tasks if t["Name"] == "child"][0]
        subs = self.mistral_json("task-get-sub-executions", child["ID"])
        self.assertEqual(["kid"], [s["Workflow name"] for s in subs])

        actions = self.mistral_json("action-execution-list", greet["ID"])
        self.assertEqual(["std.echo"], [a["Name"] for a in actions])
        action = self.mistral_json("action-execution-get", actions[0]["ID"])
        self.assertEqual(("std.echo", "greet", "SUCCESS", "True"),
                         (action["Name"], action["Task name"], action["State"], str(action["Accepted"])))
        self.assertEqual({"output": "Hello, tasks (lab)"},
                         json.loads(self.mistral("action-execution-get-input", actions[0]["ID"]).stdout))
        self.assertEqual({"result": "Hello, tasks (lab)"},
                         json.loads(self.mistral("action-execution-get-output", actions[0]["ID"]).stdout))
        self.assertIn(actions[0]["ID"], [a["ID"] for a in self.mistral_json("action-execution-list")])

        # An action run on its own and stored, then deleted.
        saved = self.mistral_json("run-action", "std.echo", '{"output": "kept"}', "-s")
        self.assertEqual("std.echo", saved["Name"])
        deadline = time.time() + 10
        while self.mistral_json("action-execution-get", saved["ID"])["State"] == "RUNNING":
            self.assertLess(time.time(), deadline)
            time.sleep(0.1)
        self.assertEqual({"result": "kept"},
                         json.loads(self.mistral("action-execution-get-output", saved["ID"]).stdout))
        # Mistral's default: action executions cannot be deleted.
        refused = self.mistral("action-execution-delete", saved["ID"], ok=False)
        self.assertIn("Action execution deletion is not allowed.", refused.stdout + refused.stderr)
        synced = json.loads(self.mistral("run-action", "std.echo", '{"output": 5}', "--run-sync").stdout)
        self.assertEqual({"result": 5}, synced)

    def test_failed_execution_and_error_texts(self):
        created = self.mistral_json("execution-create", "broken")
        done = self.finished(created["ID"])
        self.assertEqual("ERROR", done["State"])
        self.assertIn("Failure caused by error in tasks: fails", done["State info"])
        task = self.mistral_json("task-list", created["ID"])[0]
        self.assertEqual("ERROR", task["State"])
        shown = self.mistral_json("task-get", task["ID"])  # lists shorten the state info
        self.assertIn("Fail action expected exception", shown["State info"])
        errors = self.mistral("execution-get-report", created["ID"], "--errors-only").stdout
        self.assertIn("fails", errors)
        missing = self.mistral("execution-create", "no_such_workflow", ok=False)
        self.assertNotEqual(0, missing.returncode)
        self.assertIn("Workflow not found", missing.stdout + missing.stderr)
        bad_input = self.mistral("execution-create", "parent", '{"nobody": 1}', ok=False)
        self.assertIn("Invalid input", bad_input.stdout + bad_input.stderr)

    def test_members_between_projects(self):
        wf = self.mistral_json("workflow-create", self.write(
            "shared.yaml", "version: '2.0'\nshared_flow:\n  tasks:\n    t:\n      action: std.noop\n"),
            project="owner")[0]
        member = self.mistral_json("member-create", wf["ID"], "workflow", "guest", project="owner")
        self.assertEqual(("guest", "pending", "workflow"),
                         (member["Member ID"], member["Status"], member["Resource Type"]))
        got = self.mistral_json("member-get", wf["ID"], "workflow", "-m", "guest", project="owner")
        self.assertEqual("pending", got["Status"])
        # Not visible to the guest until accepted.
        self.assertNotIn("shared_flow", [w["Name"] for w in self.mistral_json("workflow-list", project="guest")])
        accepted = self.mistral_json("member-update", wf["ID"], "workflow", "-m", "guest", "-s", "accepted",
                                     project="guest")
        self.assertEqual("accepted", accepted["Status"])
        self.assertIn("shared_flow", [w["Name"] for w in self.mistral_json("workflow-list", project="guest")])
        refused = self.mistral("workflow-delete", wf["ID"], ok=False, project="guest")
        self.assertNotEqual(0, refused.returncode)
        self.mistral("member-delete", wf["ID"], "workflow", "guest", project="owner")
        self.assertNotIn("shared_flow", [w["Name"] for w in self.mistral_json("workflow-list", project="guest")])

    def test_validation_and_services(self):
        ok = self.mistral_json("workbook-validate", self.write(
            "wb.yaml", "version: '2.0'\nname: wb\nworkflows:\n  w:\n    tasks:\n      t:\n        action: std.noop\n"))
        self.assertTrue(ok["Valid"])
        bad = self.mistral_json("workbook-validate", self.write("wb_bad.yaml", "version: '2.0'\nname: wb\n"
                                                                "workflows:\n  w:\n    tasks:\n      t:\n"
                                                                "        action: std.noop\n"
                                                                "        on-success: nowhere\n"))
        self.assertFalse(bad["Valid"])
        self.assertIn("nowhere", bad["Error"])
        action_ok = self.mistral_json("action-validate", self.write(
            "act.yaml", "version: '2.0'\nloud:\n  base: std.echo\n  base-input:\n    output: hi\n"))
        self.assertTrue(action_ok["Valid"])
        services = self.mistral_json("service-list")
        self.assertTrue(services)
        self.assertTrue({"Name", "Type"} <= set(services[0]))


class ActionExecutionDeletionTest(BoraTestCase):
    """[api] allow_action_execution_deletion = true: completed ad-hoc action
    executions can be deleted, a task's never (Mistral's rules)."""

    @classmethod
    def setUpClass(cls):
        from bora_server import BoraServer
        cls.server = BoraServer(env={"BORA_API_ALLOW_ACTION_EXECUTION_DELETION": "true"}).start()

    def test_deletion_rules(self):
        saved = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.echo", "input": json.dumps({"output": 1}),
            "params": json.dumps({"save_result": True, "run_sync": True})}))
        self.assertStatus(204, self.req("DELETE", "/v2/action_executions/" + saved["id"]))
        self.assertFault(404, self.req("GET", "/v2/action_executions/" + saved["id"]))
        slow = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.async_noop", "params": json.dumps({"save_result": True})}))
        self.assertFault(403, self.req("DELETE", "/v2/action_executions/" + slow["id"]),
                         "Only completed action execution can be deleted.")
        self.assertStatus(201, self.req("POST", "/v2/workflows", WFS))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "kid", "input": json.dumps({"n": 1})}))
        deadline = time.time() + 10
        while self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"]))["state"] == "RUNNING":
            self.assertLess(time.time(), deadline)
            time.sleep(0.05)
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
        action = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))
        self.assertFault(403, self.req("DELETE", "/v2/action_executions/" + action["action_executions"][0]["id"]),
                         "Only ad-hoc action execution can be deleted.")

    def test_ad_hoc_run_without_input_passes_its_base_input_as_written(self):
        # Mistral instantiates a direct run with an empty workflow context:
        # an ad-hoc action that declares no input and is given none has an
        # empty context (false to Python), and evaluate_recursively passes
        # its base-input on unevaluated (mistral/actions/adhoc.py,
        # engine/actions.py). Given an input, it is evaluated.
        self.assertStatus(201, self.req("POST", "/v2/actions", "version: '2.0'\n"
                                        "bare_sum:\n  base: std.echo\n  base-input:\n    output: <% 1 + 1 %>\n"
                                        "given_sum:\n  base: std.echo\n  base-input:\n    output: <% $.a + 1 %>\n"
                                        "  input:\n    - a\n"))
        bare = self.assertStatus(201, self.req("POST", "/v2/action_executions", {"name": "bare_sum"}))
        self.assertEqual({"result": "<% 1 + 1 %>"}, json.loads(bare["output"]))
        given = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "given_sum", "input": json.dumps({"a": 1})}))
        self.assertEqual({"result": 2}, json.loads(given["output"]))

    def test_nulls_and_sub_executions(self):
        self.assertStatus(201, self.req("POST", "/v2/workflows", WFS.replace("parent:", "p2:").replace(
            "kid:", "k2:").replace("workflow: kid", "workflow: k2").replace("broken:", "b2:")))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "p2", "input": json.dumps({"who": "x"}),
            "params": json.dumps({"env": {"site": "s"}})}))
        deadline = time.time() + 10
        while self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"]))["state"] == "RUNNING":
            self.assertLess(time.time(), deadline)
            time.sleep(0.05)
        roots = self.assertStatus(200, self.req("GET", "/v2/executions?nulls=task_execution_id"))["executions"]
        self.assertTrue(all(e["task_execution_id"] is None for e in roots))
        self.assertIn(ex["id"], [e["id"] for e in roots])
        self.assertNotIn("output", roots[0])  # lists omit it unless include_output
        with_output = self.assertStatus(200, self.req("GET", "/v2/executions?include_output=true"))["executions"]
        self.assertIn("output", with_output[0])
        self.assertFault(400, self.req("GET", "/v2/executions?nulls=colour"), "'colour' is not a valid field name.")
        self.assertFault(400, self.req("GET", "/v2/executions?nulls=id"), "The field 'id' can't hold None value.")

        # Sub-executions as Mistral lists them: the execution itself first.
        tree = self.assertStatus(200, self.req("GET", "/v2/executions/%s/executions" % ex["id"]))["executions"]
        self.assertEqual(["p2", "k2"], [e["workflow_name"] for e in tree])
        self.assertEqual([ex["id"]], [e["id"] for e in self.assertStatus(200, self.req(
            "GET", "/v2/executions/%s/executions?max_depth=0" % ex["id"]))["executions"]])
        self.assertEqual([], self.assertStatus(200, self.req(
            "GET", "/v2/executions/%s/executions?errors_only=true" % ex["id"]))["executions"][1:])
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]
        child = [t for t in tasks if t["name"] == "child"][0]
        self.assertEqual(["k2"], [e["workflow_name"] for e in self.assertStatus(200, self.req(
            "GET", "/v2/tasks/%s/executions" % child["id"]))["executions"]])
        self.assertEqual(["k2"], [e["workflow_name"] for e in self.assertStatus(200, self.req(
            "GET", "/v2/tasks/%s/workflow_executions" % child["id"]))["executions"]])
        self.assertFault(400, self.req("GET", "/v2/executions/%s/executions?max_depth=deep" % ex["id"]))


if __name__ == "__main__":
    unittest.main()
