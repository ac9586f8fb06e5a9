"""Project isolation (issue 12, finding 4): project A gets nothing of
project B, by any path data can flow: REST reads and lists of every
resource, expression functions in A's workflows naming B's ids (YAQL and
Jinja), sub-workflows, ad-hoc actions and environments of B named by A,
cron triggers and members on B's workflow, and create-by-id with B's ids.
B's data carries a marker; no answer to A may hold it, nor B's ids where a
listing would show them."""
import json
import unittest

from bora_server import BoraTestCase

SECRET = "B-SECRET-7f3a"

B_WORKFLOWS = """
version: '2.0'
b_secret:
  input:
    - secret
  tasks:
    keep:
      action: std.echo output=<% $.secret %>
      publish:
        kept: <% task().result %>
      on-success: [inner]
    inner:
      workflow: b_child secret=<% $.secret %>
b_child:
  input:
    - secret
  tasks:
    echo:
      action: std.echo output=<% $.secret %>
"""

B_ACTION = """
version: '2.0'
b_action:
  base: std.echo
  base-input:
    output: "%s"
""" % SECRET

B_WORKBOOK = """
version: '2.0'
name: b_book
workflows:
  quiet:
    tasks:
      t:
        action: std.noop
"""

# A's spy: every expression function that reads storage, given B's ids.
A_SPY = """
version: '2.0'
spy:
  input:
    - target_ex
    - target_task
  tasks:
    look:
      action: std.noop
      publish:
        all_ex: <% executions() %>
        ex_by_id: <% executions($.target_ex) %>
        ex_by_root: <% executions(rootExecutionId => $.target_ex) %>
        tasks_of: <% tasks($.target_ex) %>
        tasks_rec: <% tasks($.target_ex, true) %>
        all_tasks: <% tasks() %>
        j_ex: "{{ executions() }}"
        j_tasks: "{{ tasks(_.target_ex, true) }}"
        j_ex_by_id: "{{ executions(_.target_ex) }}"
"""

A_CALLERS = """
version: '2.0'
call_b_wf:
  input:
    - wf
  tasks:
    call:
      workflow: <% $.wf %>
call_b_action:
  tasks:
    call:
      action: b_action
"""


class ProjectIsolationTest(BoraTestCase):
    # Members without Keystone: projects from X-Project-Id may share.
    config_text = "[api]\nresource_sharing_without_auth = true\n"
    A = {"X-Project-Id": "proj-a"}
    B = {"X-Project-Id": "proj-b"}
    ADMIN = {"X-Project-Id": "proj-admin", "X-Roles": "admin"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server

        def ok(result):
            status, body, _ = result
            assert status in (200, 201), (status, body)
            return body

        b = cls.B
        cls.b_wfs = {w["name"]: w for w in ok(s.request("POST", "/v2/workflows", B_WORKFLOWS, headers=b))["workflows"]}
        cls.b_action = ok(s.request("POST", "/v2/actions", B_ACTION, headers=b))["actions"][0]
        cls.b_book = ok(s.request("POST", "/v2/workbooks", B_WORKBOOK, headers=b))
        cls.b_env = ok(s.request("POST", "/v2/environments",
                                 {"name": "b_env", "variables": json.dumps({"secret": SECRET})}, headers=b))
        cls.b_cron = ok(s.request("POST", "/v2/cron_triggers",
                                  {"name": "b_cron", "workflow_name": "b_secret", "pattern": "0 0 1 1 *",
                                   "workflow_input": json.dumps({"secret": SECRET})}, headers=b))
        cls.b_member = ok(s.request("POST", "/v2/workflows/%s/members" % cls.b_wfs["b_child"]["id"],
                                    {"member_id": "proj-c"}, headers=b))
        ex = ok(s.request("POST", "/v2/executions",
                          {"workflow_name": "b_secret", "input": json.dumps({"secret": SECRET}),
                           "params": json.dumps({"env": "b_env"})}, headers=b))
        cls.b_ex = ex["id"]
        import time
        deadline = time.time() + 20
        while time.time() < deadline:
            state = ok(s.request("GET", "/v2/executions/" + cls.b_ex, headers=b))["state"]
            if state not in ("RUNNING", "IDLE"):
                break
            time.sleep(0.05)
        assert state == "SUCCESS", state
        cls.b_tasks = ok(s.request("GET", "/v2/executions/%s/tasks" % cls.b_ex, headers=b))["tasks"]
        cls.b_task = [t for t in cls.b_tasks if t["name"] == "keep"][0]["id"]
        cls.b_sub = ok(s.request("GET", "/v2/executions?task_execution_id=" +
                                 [t for t in cls.b_tasks if t["name"] == "inner"][0]["id"], headers=b))["executions"][0]["id"]
        cls.b_actions = ok(s.request("GET", "/v2/tasks/%s/action_executions" % cls.b_task, headers=b))["action_executions"]
        cls.b_ids = {cls.b_ex, cls.b_task, cls.b_sub, cls.b_action["id"], cls.b_book["id"], cls.b_env["id"],
                     cls.b_cron["id"], cls.b_member["id"], cls.b_actions[0]["id"]}
        cls.b_ids |= {w["id"] for w in cls.b_wfs.values()} | {t["id"] for t in cls.b_tasks}
        # The ids of B that the tests below hand to A's requests and inputs.
        cls.a_gave = {cls.b_ex, cls.b_task, cls.b_wfs["b_secret"]["id"]}

    def as_a(self, method, path, body=None):
        return self.req(method, path, body, headers=self.A)

    def assertNothingOfB(self, body, where, asked=None):
        """No B data, no B project, and no B id other than those A itself
        gave (in the request, or as input of its earlier executions, which A
        may see again: the 404 texts and A's own inputs echo them)."""
        text = json.dumps(body)
        for i in (self.a_gave if asked is None else asked):
            text = text.replace(i, "<given by A>")
        self.assertNotIn(SECRET, text, "%s shows B's data" % where)
        self.assertNotIn("proj-b", text, "%s shows B's project" % where)
        for i in self.b_ids:
            self.assertNotIn(i, text, "%s shows B's id %s" % (where, i))

    def run_as_a(self, wf, inp=None, params=None):
        body = {"workflow_name": wf, "input": json.dumps(inp or {})}
        if params is not None:
            body["params"] = json.dumps(params)
        ex = self.assertStatus(201, self.as_a("POST", "/v2/executions", body))
        deadline = __import__("time").time() + 20
        while __import__("time").time() < deadline:
            got = self.assertStatus(200, self.as_a("GET", "/v2/executions/" + ex["id"]))
            if got["state"] not in ("RUNNING", "IDLE"):
                return got
            __import__("time").sleep(0.05)
        self.fail("execution did not finish")

    # -- REST ---------------------------------------------------------------
    def test_reads_by_id_of_every_resource_are_404(self):
        paths = ["/v2/workflows/%s" % w["id"] for w in self.b_wfs.values()]
        paths += ["/v2/workflows/b_secret", "/v2/actions/b_action", "/v2/actions/" + self.b_action["id"],
                  "/v2/workbooks/b_book", "/v2/environments/b_env", "/v2/cron_triggers/b_cron",
                  "/v2/cron_triggers/" + self.b_cron["id"], "/v2/executions/" + self.b_ex,
                  "/v2/executions/" + self.b_sub, "/v2/executions/%s/report" % self.b_ex,
                  "/v2/tasks/" + self.b_task, "/v2/action_executions/" + self.b_actions[0]["id"],
                  "/v2/workflows/%s/members/proj-c" % self.b_wfs["b_child"]["id"]]
        for path in paths:
            status, body, _ = self.as_a("GET", path)
            self.assertEqual(404, status, "%s: %r" % (path, body))
            self.assertNothingOfB(body, path, asked=[i for i in self.b_ids if i in path])

    def test_lists_of_every_resource_show_nothing_of_b(self):
        paths = ["/v2/workflows", "/v2/actions", "/v2/workbooks", "/v2/environments", "/v2/cron_triggers",
                 "/v2/event_triggers", "/v2/code_sources", "/v2/dynamic_actions", "/v2/executions",
                 "/v2/executions?include_output=true", "/v2/tasks", "/v2/action_executions",
                 "/v2/executions/%s/tasks" % self.b_ex, "/v2/executions/%s/executions" % self.b_ex,
                 "/v2/tasks/%s/action_executions" % self.b_task, "/v2/tasks/%s/executions" % self.b_task,
                 "/v2/tasks/%s/workflow_executions" % self.b_task,
                 "/v2/workflows/%s/members" % self.b_wfs["b_child"]["id"],
                 "/v2/executions?all_projects=true", "/v2/workflows?all_projects=true"]
        # Mistral's default policy keeps these to admins: 403 shows nothing either.
        admin_only = {"/v2/code_sources", "/v2/dynamic_actions", "/v2/executions?all_projects=true",
                      "/v2/workflows?all_projects=true"}
        for path in paths:
            status, body, _ = self.as_a("GET", path)
            self.assertIn(status, (403,) if path in admin_only else (200, 404), "%s: %r" % (path, body))
            self.assertNothingOfB(body, path)

    def test_admin_sees_all_projects_as_mistral_does(self):
        body = self.assertStatus(200, self.req("GET", "/v2/executions?all_projects=true", headers=self.ADMIN))
        self.assertIn(self.b_ex, [e["id"] for e in body["executions"]])
        body = self.assertStatus(200, self.req("GET", "/v2/executions/" + self.b_ex, headers=self.ADMIN))
        self.assertEqual(self.b_ex, body["id"])

    # -- expressions --------------------------------------------------------
    def test_expression_functions_in_a_see_nothing_of_b(self):
        self.assertStatus(201, self.as_a("POST", "/v2/workflows", A_SPY))
        ex = self.run_as_a("spy", {"target_ex": self.b_ex, "target_task": self.b_task})
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        out = json.loads(ex["output"])
        self.assertEqual([], out["ex_by_id"])
        self.assertEqual([], out["ex_by_root"])
        self.assertEqual([], out["tasks_of"])
        self.assertEqual([], out["tasks_rec"])
        # executions() and tasks() list A's own: the spy itself is there.
        self.assertIn(ex["id"], [e["id"] for e in out["all_ex"]])
        self.assertIn(ex["id"], [t["workflow_execution_id"] for t in out["all_tasks"]])
        published = self.assertStatus(200, self.as_a("GET", "/v2/executions/%s/tasks" % ex["id"]))
        self.assertNothingOfB(out, "the spy's output")
        self.assertNothingOfB(published, "the spy's tasks")
        # Jinja reads through the same functions.
        self.assertEqual([], out["j_tasks"])
        self.assertEqual([], out["j_ex_by_id"])
        self.assertIn(ex["id"], [e["id"] for e in out["j_ex"]])

    def test_b_workflow_by_name_or_id_is_not_a_sub_workflow_of_a(self):
        self.assertStatus(201, self.as_a("POST", "/v2/workflows", A_CALLERS))
        for wf in ("b_secret", self.b_wfs["b_secret"]["id"]):
            ex = self.run_as_a("call_b_wf", {"wf": wf})
            self.assertEqual("ERROR", ex["state"])
            self.assertIn("Failed to find workflow", ex["state_info"])
            self.assertNothingOfB(ex, "a sub-workflow named by B's " + wf)

    def test_b_action_is_not_an_action_of_a(self):
        status, body, _ = self.as_a("POST", "/v2/workflows", A_CALLERS.replace("call_b_wf", "call_b_wf2")
                                    .replace("call_b_action", "call_b_action2"))
        if status == 201:
            ex = self.run_as_a("call_b_action2")
            self.assertEqual("ERROR", ex["state"])
            self.assertNothingOfB(ex, "B's ad-hoc action run by A")
            tasks = self.assertStatus(200, self.as_a("GET", "/v2/executions/%s/tasks" % ex["id"]))
            self.assertNothingOfB(tasks, "B's ad-hoc action run by A (tasks)")
        else:
            self.assertEqual(400, status, body)
        status, body, _ = self.as_a("POST", "/v2/action_executions", {"name": "b_action"})
        self.assertIn(status, (400, 404), body)
        self.assertNothingOfB(body, "POST /v2/action_executions b_action")

    def test_b_environment_and_workflow_id_cannot_start_an_execution_of_a(self):
        self.assertStatus(201, self.as_a("POST", "/v2/workflows", A_SPY.replace("spy:", "spy_env:")))
        status, body, _ = self.as_a("POST", "/v2/executions",
                                    {"workflow_name": "spy_env", "input": json.dumps({"target_ex": "x", "target_task": "y"}),
                                     "params": json.dumps({"env": "b_env"})})
        self.assertEqual(400, status, body)  # Mistral's "Environment is not found: b_env", as for no such env
        self.assertIn("Environment is not found: b_env", body["faultstring"])
        self.assertNothingOfB(body, "env by B's name")
        status, body, _ = self.as_a("POST", "/v2/executions", {"workflow_id": self.b_wfs["b_secret"]["id"]})
        self.assertEqual(404, status, body)
        self.assertNothingOfB(body, "workflow_id of B")
        status, body, _ = self.as_a("POST", "/v2/executions", {"source_execution_id": self.b_ex})
        self.assertEqual(404, status, body)
        self.assertNothingOfB(body, "source_execution_id of B")

    def test_cron_triggers_and_members_on_b_workflow_are_refused(self):
        for ref in ({"workflow_name": "b_secret"}, {"workflow_id": self.b_wfs["b_secret"]["id"]}):
            body = dict(ref, name="a_cron", pattern="* * * * *", workflow_input=json.dumps({"secret": "x"}))
            status, answer, _ = self.as_a("POST", "/v2/cron_triggers", body)
            self.assertEqual(404, status, answer)
            self.assertNothingOfB(answer, "cron trigger on B's workflow")
        status, answer, _ = self.as_a("POST", "/v2/workflows/%s/members" % self.b_wfs["b_secret"]["id"],
                                      {"member_id": "proj-a"})
        self.assertEqual(404, status, answer)
        status, answer, _ = self.as_a("PUT", "/v2/workflows/%s/members/proj-c" % self.b_wfs["b_child"]["id"],
                                      {"status": "accepted"})
        self.assertEqual(404, status, answer)
        self.assertNothingOfB(answer, "member update on B's workflow", asked=[self.b_wfs["b_child"]["id"]])

    # -- create by id -------------------------------------------------------
    def test_idempotent_create_with_b_ids_is_a_conflict_showing_nothing(self):
        self.assertStatus(201, self.as_a("POST", "/v2/workflows", A_SPY.replace("spy:", "spy_id:")))
        for wf in ("spy_id", "b_secret"):
            status, body, _ = self.as_a("POST", "/v2/executions", {"id": self.b_ex, "workflow_name": wf,
                                                                    "input": json.dumps({"target_ex": "x",
                                                                                         "target_task": "y"})})
            self.assertIn(status, (404, 409), body)
            self.assertNothingOfB({"faultstring": body.get("faultstring", "").replace(self.b_ex, "")}, wf)
            self.assertNotIn(SECRET, json.dumps(body))
        # Nothing was stored under A, and B's execution is untouched.
        listed = self.assertStatus(200, self.as_a("GET", "/v2/executions"))["executions"]
        self.assertNotIn(self.b_ex, [e["id"] for e in listed])
        mine = self.assertStatus(200, self.req("GET", "/v2/executions/" + self.b_ex, headers=self.B))
        self.assertEqual("SUCCESS", mine["state"])
        self.assertIn(SECRET, mine["input"])
        # The owner (and an admin) get the execution back, as Mistral answers.
        again = self.assertStatus(201, self.req("POST", "/v2/executions", {"id": self.b_ex, "workflow_name": "b_secret"},
                                                headers=self.B))
        self.assertEqual(self.b_ex, again["id"])
        again = self.assertStatus(201, self.req("POST", "/v2/executions", {"id": self.b_ex, "workflow_name": "b_secret"},
                                                headers=self.ADMIN))
        self.assertEqual(self.b_ex, again["id"])


if __name__ == "__main__":
    unittest.main()
