"""Running workflows through the API: POST /v2/executions, the execution,
its tasks and action executions in Mistral's shapes (JSON fields as JSON
text), failure messages, deletion rules, and the real client. The
workflows here use no expressions (those are tested with the expression
engine)."""

import datetime
import json
import os
import time
import unittest
import urllib.parse

from bora_server import MISTRAL, BoraTestCase, MistralClientWorker

WFS = """---
version: '2.0'
lit:
  input:
    - who: world
  tasks:
    hello:
      action: std.echo output="hello"
      publish:
        greeting: hi
      on-success: done
    done:
      action: std.noop
broken:
  tasks:
    boom:
      action: std.fail error_data="disk full"
slow:
  tasks:
    nap:
      action: std.sleep seconds=3
two_steps:
  tasks:
    first:
      action: std.echo output=1
      input:
        delay: 1.0
      on-success: second
    second:
      action: std.noop
needs_env:
  tasks:
    t:
      action: std.echo output=<% env().value %>
waits:
  tasks:
    ask:
      action: std.async_noop
      publish:
        answer: <% task().result %>
calls_waits:
  tasks:
    one:
      workflow: waits
      on-complete: [after]
    after:
      action: std.noop
globals_only:
  vars:
    base: 10
  tasks:
    t1:
      action: std.echo output=5
      on-success:
        publish:
          branch:
            b: <% task().result %>
          global:
            g: <% task().result + $.base %>
        next: t2
    t2:
      action: std.fail
      on-error:
        publish:
          global:
            e: failed
contexts:
  tasks:
    a:
      action: std.noop
      on-success: [j, r]
    b:
      action: std.noop
      on-complete: [j]
    j:
      join: all
      action: std.noop
    r:
      action: std.fail
      retry:
        count: 2
        delay: 0
      on-error: [wi]
    wi:
      with-items: x in [1, 2, 3]
      concurrency: 2
      action: std.echo output=<% $.x %>
    wn:
      with-items: x in [1, 2]
      action: std.echo output=<% $.x %>
items_of_waits:
  tasks:
    each:
      with-items: i in <% [1, 2] %>
      workflow: waits
"""



class ExecutionsTest(BoraTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows", WFS)
        assert status == 201, body


    def task_result(self, task):
        return self.assertStatus(200, self.req("GET", "/v2/tasks/" + task["id"]))["result"]

    def test_success_with_tasks_and_actions(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "lit", "input": json.dumps({"who": "Ada"}), "description": "first"}))
        self.assertEqual("first", ex["description"])
        self.assertIsInstance(ex["input"], str)
        done = self.wait_done(ex["id"])
        self.assertEqual("SUCCESS", done["state"])
        self.assertEqual({"who": "Ada"}, json.loads(done["input"]))
        self.assertEqual({"greeting": "hi"}, json.loads(done["output"]))  # as Mistral: no input
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]
        self.assertEqual(["hello", "done"], [t["name"] for t in tasks])
        hello = tasks[0]
        # As in Mistral, a list carries no task result: GET /v2/tasks/{id} does.
        self.assertNotIn("result", hello)
        self.assertEqual('"hello"', self.assertStatus(200, self.req("GET", "/v2/tasks/" + hello["id"]))["result"])
        self.assertEqual({"greeting": "hi"}, json.loads(hello["published"]))
        self.assertEqual("ACTION", hello["type"])
        self.assertEqual(ex["id"], hello["workflow_execution_id"])
        same = self.assertStatus(200, self.req("GET", "/v2/tasks/" + hello["id"]))
        self.assertEqual(hello["id"], same["id"])
        filtered = self.assertStatus(200, self.req("GET", "/v2/tasks?workflow_execution_id=%s&name=done" % ex["id"]))
        self.assertEqual(["done"], [t["name"] for t in filtered["tasks"]])
        # Empty fields of a query string are dropped, as WebOb does for Mistral.
        blanks = self.assertStatus(200, self.req("GET", "/v2/tasks?&workflow_execution_id=%s&&name=done&" % ex["id"]))
        self.assertEqual(["done"], [t["name"] for t in blanks["tasks"]])
        plain = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % hello["id"]))
        self.assertNotIn("output", plain["action_executions"][0])  # unless include_output, as in Mistral
        actions = self.assertStatus(200, self.req(
            "GET", "/v2/tasks/%s/action_executions?include_output=true" % hello["id"]))
        self.assertEqual(1, len(actions["action_executions"]))
        a = actions["action_executions"][0]
        self.assertEqual("std.echo", a["name"])
        self.assertEqual("hello", a["task_name"])
        self.assertTrue(a["accepted"])
        self.assertEqual({"result": "hello"}, json.loads(a["output"]))
        self.assertEqual({"output": "hello"}, json.loads(a["input"]))
        self.assertEqual(a, self.assertStatus(200, self.req("GET", "/v2/action_executions/" + a["id"])))
        listed = self.assertStatus(200, self.req("GET", "/v2/executions?workflow_name=lit"))["executions"]
        self.assertIn(ex["id"], [e["id"] for e in listed])
        self.assertStatus(204, self.req("DELETE", "/v2/executions/" + ex["id"]))
        self.assertFault(404, self.req("GET", "/v2/executions/" + ex["id"]), "WorkflowExecution not found")
        self.assertEqual([], self.assertStatus(200, self.req(
            "GET", "/v2/tasks?workflow_execution_id=" + ex["id"]))["tasks"])

    def test_rerun_from_a_source_execution(self):
        # Mistral 15's source_execution_id: the source's workflow (and its
        # description, extended); the input and params are the request's
        # alone (Mistral merges the source row without its deferred columns).
        src = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "needs_env", "input": "{}",
            "params": json.dumps({"env": {"value": "from source"}})}))
        self.wait_done(src["id"])
        again = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "source_execution_id": src["id"], "description": "again",
            "params": json.dumps({"env": {"value": "new"}})}))
        self.assertEqual("needs_env", again["workflow_name"])
        self.assertEqual("again Based on the execution '%s'" % src["id"], again["description"])
        self.assertEqual({"value": "new"}, json.loads(again["params"])["env"])
        self.assertEqual("SUCCESS", self.wait_done(again["id"])["state"])
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % again["id"]))["tasks"]
        self.assertEqual('"new"', self.task_result(tasks[0]))
        bare = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "source_execution_id": src["id"], "description": ""}))
        self.assertEqual({}, json.loads(bare["params"])["env"])
        self.assertEqual("Based on the execution '%s'" % src["id"], bare["description"])
        self.assertStatus(404, self.req("POST", "/v2/executions", {
            "source_execution_id": "00000000-0000-0000-0000-000000000000"}))

    def test_failure_message_and_deletion_rules(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "broken"}))
        done = self.wait_done(ex["id"])
        self.assertEqual("ERROR", done["state"])
        self.assertTrue(done["state_info"].startswith("Failure caused by error in tasks: boom\n"))
        self.assertIn("disk full", done["state_info"])
        slow = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "slow"}))
        # Mistral 15's NotAllowedException: 403 and its words.
        self.assertFault(403, self.req("DELETE", "/v2/executions/" + slow["id"]),
                         "Only completed executions can be deleted. Use --force to override this. Execution %s is "
                         "in RUNNING state" % slow["id"])
        self.assertStatus(204, self.req("DELETE", "/v2/executions/%s?force=true" % slow["id"]))

    def test_pause_resume_cancel_and_description(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "two_steps"}))
        paused = self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex["id"], {"state": "PAUSED"}))
        self.assertEqual("PAUSED", paused["state"])
        time.sleep(1.3)
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]
        self.assertEqual(["first"], [t["name"] for t in tasks])
        resumed = self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex["id"], {"state": "RUNNING"}))
        self.assertIn(resumed["state"], ("RUNNING", "SUCCESS"))
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        described = self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex["id"], {"description": "done"}))
        self.assertEqual("done", described["description"])
        # As Mistral's: the answer to a description alone is the updated row
        # without its deferred columns.
        self.assertEqual([], [k for k in ("input", "output", "params") if k in described])
        self.assertIn("params", self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"])))
        slow = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "slow"}))
        cancelled = self.assertStatus(200, self.req("PUT", "/v2/executions/" + slow["id"],
                                                    {"state": "CANCELLED", "state_info": "not needed"}))
        self.assertEqual("CANCELLED", cancelled["state"])
        self.assertEqual("not needed", cancelled["state_info"])
        self.assertFault(400, self.req("PUT", "/v2/executions/" + slow["id"], {}), "is not provided for update")
        self.assertFault(400, self.req("PUT", "/v2/executions/" + slow["id"],
                                       {"state": "PAUSED", "description": "x"}), "separately")

    def test_input_params_and_ids_as_mistral_reads_them(self):
        # Expected answers: Mistral 15's (its JsonType, _get_environment and
        # the execution resource's text id), each followed by Bora's hint.
        body = {"workflow_name": "lit", "input": [1]}
        self.assertFault(400, self.req("POST", "/v2/executions", body),
                         "Invalid input for field/attribute wf_ex. Value: '{'workflow_name': 'lit', 'input': [1]}'. "
                         "the JSON object must be str, bytes or bytearray, not list")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "params": 5}),
                         "the JSON object must be str, bytes or bytearray, not int")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "input": '[1, "x"]'}),
                         "JsonType field value must be a dictionary [actual=[1, 'x']]")
        for env, shown in (([1], "[1], type=<class 'list'>"), (True, "True, type=<class 'bool'>"),
                           (1.5, "1.5, type=<class 'float'>")):
            self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "params": {"env": env}}),
                             "Unexpected value type for environment [env=%s]" % shown)
        # False values are none: "" and 0 as env, "[]" and "0" as input.
        started = [self.assertStatus(201, self.req("POST", "/v2/executions", b)) for b in (
            {"workflow_name": "lit", "params": {"env": ""}}, {"workflow_name": "lit", "params": {"env": 0}},
            {"workflow_name": "lit", "input": "[]"}, {"workflow_name": "lit", "input": "0"})]
        # An environment stored without variables gives an empty env.
        self.assertStatus(201, self.req("POST", "/v2/environments", {"name": "no_vars"}))
        started.append(self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "lit", "params": {"env": "no_vars"}})))
        for ex in started:
            self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        # The env is evaluated at the start against itself (Mistral's
        # _get_environment); its errors are the start's 400, nothing stored.
        env = {"z": "<% 1+1 %>", "y": "<% env().z %>", "j": "{{ 3 }}", "n": {"m": ["<% 4 %>"]}}
        evaluated = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "lit", "params": {"env": env}}))
        self.assertEqual({"j": 3, "n": {"m": [4]}, "y": "<% 1+1 %>", "z": 2}, json.loads(evaluated["params"])["env"])
        kept = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "lit", "params": {"env": {"z": "<% 1+1 %>"}, "evaluate_env": False}}))
        self.assertEqual({"z": "<% 1+1 %>"}, json.loads(kept["params"])["env"])
        self.assertStatus(201, self.req("POST", "/v2/environments", {
            "name": "with_exprs", "variables": json.dumps({"a": "<% 2*3 %>"})}))
        named = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "lit", "params": {"env": "with_exprs"}}))
        self.assertEqual({"a": 6}, json.loads(named["params"])["env"])
        before = len(self.assertStatus(200, self.req("GET", "/v2/executions?workflow_name=lit"))["executions"])
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "params": {"env": {
            "z": "<% 1/0 %>"}}}), "Can not evaluate YAQL expression [expression=1/0, error=integer division or "
                                  "modulo by zero, data={'__env': {'z': '<% 1/0 %>'}}]")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "params": {"env": {
            "z": "<% $.foo %>"}}}), "Can not evaluate YAQL expression [expression=$.foo, error='foo', "
                                    "data={'__env': {'z': '<% $.foo %>'}}]")
        self.assertEqual(before, len(self.assertStatus(200, self.req("GET", "/v2/executions?workflow_name=lit"))[
            "executions"]))
        started += [evaluated, kept, named]
        # An id is any text of up to 36 characters.
        mine = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "lit", "id": "my-run-1"}))
        self.assertEqual("my-run-1", mine["id"])
        self.assertEqual("my-run-1", self.wait_done("my-run-1")["id"])
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "id": "a/b"}),
                         "Invalid execution id 'a/b'")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "id": "x" * 37}),
                         "Invalid execution id")

    def test_env_updates_as_mistral(self):
        # Mistral 15's answers: an env is merged only into an IDLE, PAUSED or
        # ERROR execution (403 otherwise, whatever its type); the answer to a
        # change without a state leaves out the unloaded input and output.
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "waits",
                                                                        "params": {"env": {"k": "first"}}}))
        for env in ({"k": "second"}, "notadict"):
            self.assertFault(403, self.req("PUT", "/v2/executions/" + ex["id"], {"params": {"env": env}}),
                             "Updating env to workflow execution is only permitted if it is in IDLE, PAUSED, or "
                             "ERROR state.")
        # Refused together, a description is not kept either (one transaction in Mistral).
        self.assertFault(403, self.req("PUT", "/v2/executions/" + ex["id"], {"params": {"env": {"k": "x"}},
                                                                              "description": "kept?"}))
        self.assertEqual("", self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"]))["description"])
        self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex["id"], {"state": "PAUSED"}))
        changed = self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex["id"],
                                                  {"params": {"env": {"k": "third"}}}))
        self.assertEqual([], [k for k in ("input", "output") if k in changed])
        self.assertEqual({"k": "third"}, json.loads(changed["params"])["env"])
        self.assertFault(400, self.req("PUT", "/v2/executions/" + ex["id"], {"params": {"env": "notadict"}}),
                         "params.env must be a dict")
        self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex["id"], {"state": "CANCELLED"}))

    def test_sub_workflow_execution_as_mistral_records_it(self):
        # Mistral 15's answers: a sub-workflow execution is described
        # "sub-workflow execution"; its params name its root, task and item
        # index, and take what the task passed beyond the sub-workflow's
        # input (a reverse sub-workflow's task_name); a task's
        # workflow_executions list loads neither input nor params.
        wf = ("---\nversion: '2.0'\nsw_parent:\n  tasks:\n    call:\n      workflow: sw_kid\n"
              "      input:\n        task_name: t2\n        note: extra\n"
              "sw_kid:\n  type: reverse\n  tasks:\n    t1:\n      action: std.noop\n"
              "    t2:\n      action: std.noop\n      requires: [t1]\n    t3:\n      action: std.noop\n")
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "sw_parent"}))
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
        sub = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/executions" % task["id"]))["executions"][0]
        self.assertEqual("sub-workflow execution", sub["description"])
        params = json.loads(sub["params"])
        self.assertEqual({"root_execution_id": ex["id"], "task_execution_id": task["id"], "index": 0,
                          "namespace": "", "task_name": "t2", "note": "extra"},
                         {k: params[k] for k in ("root_execution_id", "task_execution_id", "index", "namespace",
                                                 "task_name", "note")})
        sub_tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % sub["id"]))["tasks"]
        self.assertEqual(["t1", "t2"], sorted(t["name"] for t in sub_tasks))
        listed = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/workflow_executions" % task["id"]))
        self.assertEqual([], [k for k in ("input", "params", "output") if k in listed["executions"][0]])
        self.assertFault(400, self.req("GET", "/v2/tasks/%s/workflow_executions?include_output=true" % task["id"]),
                         'Unknown argument: "include_output"')

    def test_tags_as_mistral_keeps_them(self):
        # Mistral 15's answers: an execution has its workflow's tags (a
        # sub-workflow its own), and lists filter on them (every tag of a
        # comma list, the text as given); filters Mistral's lists do not take
        # are unknown arguments.
        wf = ("version: '2.0'\ntagged:\n  tags: [red, blue]\n  tasks:\n    t1:\n      workflow: tagged_kid\n"
              "tagged_kid:\n  tags: [green]\n  tasks:\n    k:\n      action: std.noop\n")
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "tagged"}))
        self.assertEqual(["red", "blue"], ex["tags"])
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])

        def names(query):
            got = self.assertStatus(200, self.req("GET", "/v2/executions?fields=workflow_name&" + query))
            return sorted(e["workflow_name"] for e in got["executions"])
        self.assertEqual(["tagged"], names("tags=red"))
        self.assertEqual(["tagged"], names("tags=red,blue"))
        self.assertEqual(["tagged_kid"], names("tags=green"))
        self.assertEqual([], names("tags=re"))
        self.assertEqual([], names("tags=red,pink"))
        self.assertEqual([], names("tags=eq:red"))
        # Mistral's uniquelist: items stripped and lower-cased (LIKE finds
        # any case); the next link writes the list, which Bora reads back.
        self.assertEqual(["tagged"], names("tags=RED,%20blue,"))
        page = self.assertStatus(200, self.req("GET", "/v2/executions?tags=Red&limit=1"))
        self.assertIn("tags=eq:['red']&", page["next"])
        self.assertEqual(["tagged"], names("tags=" + urllib.parse.quote("eq:['red', 'blue']")))
        # A workflow's tags are text to Mistral: `eq:` is taken off, another
        # operator leaves them unfiltered, items keep their spaces.
        def wf_names(query):
            got = self.assertStatus(200, self.req("GET", "/v2/workflows?fields=name&name=in:tagged,tagged_kid&"
                                                  + query))
            return sorted(w["name"] for w in got["workflows"])
        self.assertEqual(["tagged"], wf_names("tags=eq:red"))
        self.assertEqual(["tagged", "tagged_kid"], wf_names("tags=in:red"))
        self.assertEqual(["tagged", "tagged_kid"], wf_names("tags=neq:red"))
        self.assertEqual([], wf_names("tags=red,%20blue"))
        self.assertEqual(["tagged"], wf_names("tags=red,blue"))
        for path in ("/v2/tasks?type=WORKFLOW", "/v2/executions?workflow_namespace=x",
                     "/v2/action_executions?project_id=x"):
            self.assertFault(400, self.req("GET", path), "Unknown argument")

    def test_reverse_workflow_without_a_valid_target(self):
        # Mistral 15's words: its spec object printed as the class and its
        # dict (the definition with the names, types and versions it adds).
        wf = ("version: '2.0'\nrev_t:\n  type: reverse\n  input:\n    - a: 1\n  tasks:\n    t1:\n"
              "      action: std.noop\n    t2:\n      action: std.echo output=<% $.a %>\n      requires: [t1]\n")
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        spec = ("ReverseWorkflowSpec {'type': 'reverse', 'input': [{'a': 1}], 'tasks': {'t1': {'action': 'std.noop', "
                "'type': 'reverse', 'name': 't1', 'version': '2.0'}, 't2': {'action': 'std.echo output=<% $.a %>', "
                "'requires': ['t1'], 'type': 'reverse', 'name': 't2', 'version': '2.0'}}, 'name': 'rev_t', "
                "'version': '2.0'}")
        for params, shown in (({"task_name": "nope"}, "nope"), ({}, "None")):
            self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "rev_t", "params": params}),
                             "Invalid task name [wf_spec=%s, task_name=%s]" % (spec, shown))

    def test_state_changes_mistral_refuses_or_ignores(self):
        # PUT /v2/executions/{id} {"state": X} on an execution in each state,
        # as Mistral 15 answered the same requests (its API in-process over
        # its engine): SUCCESS needs a RUNNING execution, PAUSED a running
        # or paused one (400 "Can't change workflow execution state from
        # ..."); ERROR leaves a paused or ended execution as it is,
        # CANCELLED an ended one, RUNNING one that is not paused.
        def execution_in(state):
            wf = {"SUCCESS": "lit", "ERROR": "broken"}.get(state, "waits")
            ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": wf}))
            if state in ("SUCCESS", "ERROR"):
                self.assertEqual(state, self.wait_done(ex["id"])["state"])
            elif state != "RUNNING":
                self.assertStatus(200, self.req("PUT", "/v2/executions/" + ex["id"], {"state": state}))
            return ex
        refused = {("SUCCESS", "PAUSED"), ("ERROR", "PAUSED"), ("ERROR", "SUCCESS"), ("PAUSED", "SUCCESS"),
                   ("CANCELLED", "PAUSED"), ("CANCELLED", "SUCCESS")}
        after = {("RUNNING", "PAUSED"): "PAUSED", ("RUNNING", "SUCCESS"): "SUCCESS", ("RUNNING", "ERROR"): "ERROR",
                 ("RUNNING", "CANCELLED"): "CANCELLED", ("PAUSED", "RUNNING"): "RUNNING",
                 ("PAUSED", "CANCELLED"): "CANCELLED"}
        for start in ("SUCCESS", "ERROR", "RUNNING", "PAUSED", "CANCELLED"):
            for target in ("RUNNING", "PAUSED", "SUCCESS", "ERROR", "CANCELLED"):
                with self.subTest(start=start, target=target):
                    ex = execution_in(start)
                    answer = self.req("PUT", "/v2/executions/" + ex["id"], {"state": target})
                    if (start, target) in refused:
                        self.assertFault(400, answer, "Can't change workflow execution state from %s to %s. "
                                         "[workflow=%s, execution_id=%s]" % (start, target, ex["workflow_name"],
                                                                             ex["id"]))
                    else:
                        self.assertStatus(200, answer)
                    now = self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"]))
                    self.assertEqual(after.get((start, target), start), now["state"])
        # A state that is not one of the five: Mistral's words, its missing
        # closing quote included.
        ex = execution_in("RUNNING")
        self.assertFault(400, self.req("PUT", "/v2/executions/" + ex["id"], {"state": "IDLE"}),
                         "Cannot change state to IDLE. Allowed states are: 'RUNNING, PAUSED, SUCCESS, ERROR, "
                         "CANCELLED")

    def test_task_published_global(self):
        # Mistral's GET /v2/tasks/{id}: the task's global publishes evaluated
        # again (published_global, JSON text), only when they give
        # something; a publish of globals only leaves `published` null.
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "globals_only"}))
        self.assertEqual("ERROR", self.wait_done(ex["id"])["state"])
        tasks = {t["name"]: t for t in self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]}
        self.assertNotIn("published_global", tasks["t1"])  # not in lists
        t1 = self.assertStatus(200, self.req("GET", "/v2/tasks/" + tasks["t1"]["id"]))
        self.assertEqual(({"b": 5}, {"g": 15}), (json.loads(t1["published"]), json.loads(t1["published_global"])))
        t2 = self.assertStatus(200, self.req("GET", "/v2/tasks/" + tasks["t2"]["id"]))
        self.assertEqual((None, {"e": "failed"}), (t2["published"], json.loads(t2["published_global"])))

    def test_task_runtime_context_as_mistral_shows_it(self):
        # Mistral 15's shapes (frozen from its API in-process): triggered_by
        # [{task_id, event}] (a join's every arrival), retry_task_policy,
        # with_items {capacity, count} and concurrency; nothing else.
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "contexts"}))
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        tasks = {t["name"]: t for t in self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]}
        rc = {name: json.loads(t["runtime_context"]) for name, t in tasks.items()}
        self.assertEqual({}, rc["a"])
        self.assertEqual(sorted([{"task_id": tasks["a"]["id"], "event": "on-success"},
                                 {"task_id": tasks["b"]["id"], "event": "on-complete"}], key=lambda x: x["event"]),
                         sorted(rc["j"]["triggered_by"], key=lambda x: x["event"]))
        self.assertEqual({"triggered_by": [{"task_id": tasks["a"]["id"], "event": "on-success"}],
                          "retry_task_policy": {"retry_no": 2}}, rc["r"])
        self.assertEqual({"triggered_by": [{"task_id": tasks["r"]["id"], "event": "on-error"}],
                          "concurrency": 2, "with_items": {"capacity": 2, "count": 3}}, rc["wi"])
        # Without a concurrency, Mistral's capacity is None.
        self.assertEqual({"with_items": {"capacity": None, "count": 2}}, rc["wn"])

    def test_async_action_completed_through_the_api(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "waits"}))
        time.sleep(0.3)
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]
        actions = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % tasks[0]["id"]))
        a = actions["action_executions"][0]
        self.assertEqual("RUNNING", a["state"])
        # Mistral 15 sets a task's new action's updated_at with its insert.
        self.assertEqual(a["created_at"], a["updated_at"])
        done = self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + a["id"],
                                               {"state": "SUCCESS", "output": json.dumps({"x": 1})}))
        self.assertEqual("SUCCESS", done["state"])
        self.assertEqual({"answer": {"x": 1}}, json.loads(self.wait_done(ex["id"])["output"]))
        self.assertFault(400, self.req("PUT", "/v2/action_executions/" + a["id"], {"state": "SUCCESS"}),
                         "already SUCCESS")
        # The output is Mistral's JsonType, read with the body (first).
        self.assertFault(400, self.req("PUT", "/v2/action_executions/" + a["id"],
                                       {"state": "SUCCESS", "output": "plain text"}),
                         "Invalid input for field/attribute action_ex. Value: '{'state': 'SUCCESS', 'output': 'plain "
                         "text'}'. Expecting value: line 1 column 1 (char 0)")
        self.assertFault(400, self.req("PUT", "/v2/action_executions/" + a["id"],
                                       {"state": "SUCCESS", "output": '"done"'}),
                         "JsonType field value must be a dictionary [actual=done]")
        self.assertFault(400, self.req("PUT", "/v2/action_executions/" + a["id"], {"state": "NOPE"}),
                         "Error. Expected one of ['SUCCESS', 'ERROR', 'CANCELLED', 'PAUSED', 'RUNNING'], actual: NOPE")

    def test_async_action_results_without_an_output(self):
        # Mistral 15's answers: an output left out is WSME's Unset, which its
        # Result carries as {}; null is a null result; an error without an
        # output (or an empty one) is "Unknown error".
        for body, result in (({"state": "SUCCESS"}, {}), ({"state": "SUCCESS", "output": None}, None),
                             ({"state": "ERROR"}, "Unknown error"), ({"state": "ERROR", "output": {}}, "Unknown error"),
                             ({"state": "ERROR", "output": None}, "Unknown error")):
            ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "waits"}))
            time.sleep(0.3)
            task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
            a = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))
            done = self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + a["action_executions"][0]["id"],
                                                   body))
            self.assertEqual({"result": result}, json.loads(done["output"]), body)

    def test_async_action_paused_and_resumed_through_the_api(self):
        # Mistral's on_action_update (answers frozen from its API
        # in-process): the paused action pauses its task and the workflow;
        # resumed, they run again; a sync action cannot be paused.
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "waits"}))
        time.sleep(0.3)
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
        a = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))["action_executions"][0]
        paused = self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + a["id"], {"state": "PAUSED"}))
        self.assertEqual(("PAUSED", None), (paused["state"], paused["output"]))
        self.assertNotIn("task_name", paused)
        self.assertEqual("PAUSED", self.assertStatus(200, self.req("GET", "/v2/tasks/" + task["id"]))["state"])
        self.assertEqual("PAUSED", self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"]))["state"])
        self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + a["id"], {"state": "PAUSED"}))  # no change
        resumed = self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + a["id"], {"state": "RUNNING"}))
        self.assertEqual("RUNNING", resumed["state"])
        self.assertEqual("RUNNING", self.assertStatus(200, self.req("GET", "/v2/tasks/" + task["id"]))["state"])
        self.assertEqual("RUNNING", self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"]))["state"])
        self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + a["id"],
                                        {"state": "SUCCESS", "output": json.dumps({"n": 7})}))
        # Mistral 15's JsonType: the output is a dict (or its JSON text).
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        self.assertFault(400, self.req("PUT", "/v2/action_executions/" + a["id"], {"state": "PAUSED"}),
                         "Invalid state transition from SUCCESS to PAUSED.")
        slow = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "slow"}))
        time.sleep(0.3)
        nap = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % slow["id"]))["tasks"][0]
        sync = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % nap["id"]))["action_executions"][0]
        self.assertFault(400, self.req("PUT", "/v2/action_executions/" + sync["id"], {"state": "PAUSED"}),
                         "Transition to the PAUSED state is only supported for asynchronous action execution.")

    def sub_executions(self, parent_id, count):
        deadline = time.time() + 10
        while True:
            subs = self.assertStatus(200, self.req("GET", "/v2/executions?root_execution_id=" + parent_id))
            subs = [e for e in subs["executions"] if e["id"] != parent_id]
            if len(subs) >= count or time.time() > deadline:
                return subs
            time.sleep(0.1)

    def test_cancelling_a_sub_execution_cancels_its_task_and_parent(self):
        """As Mistral: the cancelled sub-workflow's result (cancel=True)
        cancels the workflow task that started it (no transition followed),
        and the parent, once nothing else runs, is CANCELLED naming it; a
        with-items task ends CANCELLED at its first cancelled item."""
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "calls_waits"}))
        sub = self.sub_executions(ex["id"], 1)[0]
        self.assertStatus(200, self.req("PUT", "/v2/executions/" + sub["id"],
                                        {"state": "CANCELLED", "state_info": "not needed"}))
        done = self.wait_done(ex["id"])
        self.assertEqual(("CANCELLED", "Cancelled tasks: one"), (done["state"], done["state_info"]))
        self.assertEqual({"result": "Cancelled tasks: one"}, json.loads(done["output"]))
        tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"]
        self.assertEqual([("one", "CANCELLED", "not needed")], [(t["name"], t["state"], t["state_info"]) for t in tasks])

        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "items_of_waits"}))
        subs = self.sub_executions(ex["id"], 2)
        self.assertEqual(2, len(subs))
        self.assertStatus(200, self.req("PUT", "/v2/executions/" + subs[0]["id"], {"state": "CANCELLED"}))
        done = self.wait_done(ex["id"])
        self.assertEqual(("CANCELLED", "Cancelled tasks: each"), (done["state"], done["state_info"]))
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
        self.assertEqual(("CANCELLED", "One or more actions was cancelled."), (task["state"], task["state_info"]))

    def test_run_an_action_ad_hoc(self):
        plain = self.assertStatus(201, self.req("POST", "/v2/action_executions",
                                                {"name": "std.echo", "input": json.dumps({"output": "hi"})}))
        self.assertEqual("SUCCESS", plain["state"])
        self.assertEqual({"result": "hi"}, json.loads(plain["output"]))
        self.assertIsNone(plain["id"])
        saved = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.echo", "input": {"output": 1}, "params": {"save_result": True, "run_sync": True}}))
        self.assertEqual(saved["id"], self.assertStatus(200, self.req("GET", "/v2/action_executions/" + saved["id"]))["id"])
        background = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.noop", "params": {"save_result": True}}))
        self.assertEqual("RUNNING", background["state"])
        for _ in range(100):
            if self.req("GET", "/v2/action_executions/" + background["id"])[1]["state"] != "RUNNING":
                break
            time.sleep(0.05)
        self.assertEqual("SUCCESS", self.req("GET", "/v2/action_executions/" + background["id"])[1]["state"])
        self.assertFault(400, self.req("POST", "/v2/action_executions", {"name": "std.echo", "input": {}}),
                         "missing=['output']")
        self.assertFault(400, self.req("POST", "/v2/action_executions", {"name": "std.async_noop",
                                                                         "params": {"run_sync": True}}),
                         "does not support synchronous execution")

    def test_run_on_its_own_as_mistrals_start_action(self):
        # Answers as Mistral 15's (frozen from its API in-process).
        # A run not stored shows the description and namespace it was given.
        bare = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.echo", "input": {"output": 1}, "description": "d", "workflow_namespace": "ns1"}))
        self.assertEqual((None, "d", "ns1", None), (bare["id"], bare["description"], bare["workflow_namespace"],
                                                    bare["accepted"]))
        # Stored after a synchronous run: not accepted (no task took it), no
        # description when none was given.
        saved = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.echo", "input": {"output": 2}, "params": {"save_result": True, "run_sync": True}}))
        got = self.assertStatus(200, self.req("GET", "/v2/action_executions/" + saved["id"]))
        self.assertEqual((False, None), (got["accepted"], got["description"]))
        # params.timeout: the executor's limit, eventlet's words.
        started = time.time()
        late = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.sleep", "input": {"seconds": 5}, "params": {"timeout": 1, "run_sync": True}}))
        self.assertLess(time.time() - started, 4)
        self.assertEqual("ERROR", late["state"])
        self.assertRegex(json.loads(late["output"])["result"],
                         r"^The action raised an exception \[action=<mistral\.actions\.std_actions\.SleepAction "
                         r"object at 0x[0-9a-f]+>, action_ex_id=None, msg='1 second'\]$")
        timed = self.assertStatus(201, self.req("POST", "/v2/action_executions", {
            "name": "std.sleep", "input": {"seconds": 5}, "params": {"timeout": 0.5, "save_result": True}}))
        for _ in range(100):
            row = self.assertStatus(200, self.req("GET", "/v2/action_executions/" + timed["id"]))
            if row["state"] != "RUNNING":
                break
            time.sleep(0.05)
        self.assertEqual("ERROR", row["state"])
        self.assertIn("action_ex_id=%s, msg='0.5 seconds'" % timed["id"], json.loads(row["output"])["result"])
        self.assertFault(400, self.req("POST", "/v2/action_executions", {
            "name": "std.noop", "params": {"timeout": "soon"}}), "params.timeout must be a number")
        # A PUT without a state: WSME's Unset.
        self.assertFault(400, self.req("PUT", "/v2/action_executions/" + saved["id"], {}),
                         "Error. Expected one of ['SUCCESS', 'ERROR', 'CANCELLED', 'PAUSED', 'RUNNING'], actual: Unset")

    def test_run_a_yaml_ad_hoc_action(self):
        # An ad-hoc action of YAML runs on its own as Mistral 15 runs it
        # (answers frozen from its API in-process): its base chain unfolds,
        # base-input evaluated over its input with the defaults (which the
        # answer shows); bad input names the ad-hoc action; stored runs too.
        # The output transforms apply only to a run Mistral schedules (saved
        # and not run_sync): its direct run (actions.RegularAction.run)
        # answers the base action's result as it is.
        actions = """---
version: '2.0'
direct_greet:
  base: std.echo
  base-input:
    output: "Hello, <% $.who %>"
  input:
    - who: world
  output: <% $ %>
direct_list:
  base: std.echo
  base-input:
    output: [<% $.a %>, 2]
  input:
    - a
  output: <% $.sum() %>
direct_chain:
  base: direct_greet
  base-input:
    who: chained <% $.x %>
  input:
    - x
"""
        status, body, _ = self.server.request("POST", "/v2/actions", actions, content_type="text/plain")
        self.assertEqual(201, status, body)
        run = lambda body: self.req("POST", "/v2/action_executions", body)  # noqa: E731
        bob = self.assertStatus(201, run({"name": "direct_greet", "input": {"who": "bob"}}))
        self.assertEqual(({"who": "bob"}, {"result": "Hello, bob"}, "SUCCESS"),
                         (json.loads(bob["input"]), json.loads(bob["output"]), bob["state"]))
        self.assertEqual((None, None, None, None, None), (bob["id"], bob["accepted"], bob["project_id"], bob["tags"],
                                                          bob["workflow_name"]))
        self.assertNotIn("task_name", bob)
        world = self.assertStatus(201, run({"name": "direct_greet"}))
        self.assertEqual(({"who": "world"}, {"result": "Hello, world"}),
                         (json.loads(world["input"]), json.loads(world["output"])))
        self.assertEqual({"result": [5, 2]}, json.loads(self.assertStatus(201, run({"name": "direct_list",
                                                                                   "input": {"a": 5}}))["output"]))
        synced = self.assertStatus(201, run({"name": "direct_list", "input": {"a": 5},
                                             "params": {"save_result": True, "run_sync": True}}))
        self.assertEqual(({"result": [5, 2]}, False), (json.loads(synced["output"]), synced["accepted"]))
        scheduled = self.assertStatus(201, run({"name": "direct_list", "input": {"a": 5},
                                                "params": {"save_result": True}}))
        for _ in range(100):
            got = self.assertStatus(200, self.req("GET", "/v2/action_executions/" + scheduled["id"]))
            if got["state"] != "RUNNING":
                break
            time.sleep(0.05)
        self.assertEqual(({"result": 7}, True), (json.loads(got["output"]), got["accepted"]))
        chained = self.assertStatus(201, run({"name": "direct_chain", "input": {"x": 7}}))
        self.assertEqual({"result": "Hello, chained 7"}, json.loads(chained["output"]))
        self.assertFault(400, run({"name": "direct_greet", "input": {"nope": 1}}),
                         "Invalid input [name=direct_greet, class=mistral.actions.adhoc.AdHocAction, "
                         "unexpected=['nope']]")
        self.assertFault(400, run({"name": "direct_list"}),
                         "Invalid input [name=direct_list, class=mistral.actions.adhoc.AdHocAction, missing=['a']]")
        self.assertFault(400, run({"name": "no_such_action"}), "Failed to find action [action_name=no_such_action]")
        self.assertFault(400, run({"input": {}}), "Please provide at least action name to run action.")
        saved = self.assertStatus(201, run({"name": "direct_greet", "input": {"who": "saved"},
                                            "params": {"save_result": True}}))
        self.assertEqual(("RUNNING", None, None), (saved["state"], saved["output"], saved["workflow_name"]))
        for _ in range(100):
            done = self.assertStatus(200, self.req("GET", "/v2/action_executions/" + saved["id"]))
            if done["state"] != "RUNNING":
                break
            time.sleep(0.05)
        self.assertEqual(("SUCCESS", {"result": "Hello, saved"}), (done["state"], json.loads(done["output"])))

    def test_a_task_held_by_wait_after_shows_what_it_published(self):
        # Mistral 15's Task.complete publishes before wait-after holds the
        # task (RUNNING_DELAYED, shown DELAYED, with the policy's words).
        wf = ("version: '2.0'\nheld_wf:\n  tasks:\n    t1:\n      action: std.echo output=5\n"
              "      publish:\n        x: <% task().result %>\n      wait-after: 2\n")
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "held_wf"}))
        url = "/v2/executions/%s/tasks?fields=name,state,state_info,published" % ex["id"]
        for _ in range(100):
            tasks = self.assertStatus(200, self.req("GET", url))["tasks"]
            if tasks and tasks[0]["state"] == "DELAYED":
                break
            time.sleep(0.02)
        self.assertEqual(("DELAYED", "Delayed by 'wait-after' policy [delay=2]", {"x": 5}),
                         (tasks[0]["state"], tasks[0]["state_info"], json.loads(tasks[0]["published"])))
        done = self.wait_done(ex["id"])
        self.assertEqual("SUCCESS", done["state"])

    def test_report(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "lit"}))
        self.wait_done(ex["id"])
        report = self.assertStatus(200, self.req("GET", "/v2/executions/%s/report" % ex["id"]))
        self.assertEqual({"total_tasks_count": 2, "running_tasks_count": 0, "success_tasks_count": 2,
                          "error_tasks_count": 0, "idle_tasks_count": 0, "paused_tasks_count": 0,
                          "estimated_time": 0},  # not running
                         report["statistics"])
        # A running execution of a workflow with finished runs (the slow
        # one above takes 3 s): the mean minus what it has run, in seconds.
        first = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "slow"}))
        running = self.assertStatus(200, self.req("GET", "/v2/executions/%s/report" % first["id"]))
        self.assertIn(running["statistics"]["estimated_time"], (-1, 1, 2, 3))
        self.wait_done(first["id"])
        second = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "slow"}))
        estimate = self.assertStatus(200, self.req("GET", "/v2/executions/%s/report" % second["id"]))
        self.assertIn(estimate["statistics"]["estimated_time"], (2, 3))
        root = report["root_workflow_execution"]
        self.assertEqual(ex["id"], root["id"])
        self.assertEqual(["hello", "done"], [t["name"] for t in root["task_executions"]])
        action = root["task_executions"][0]["action_executions"][0]
        self.assertEqual("std.echo", action["name"])
        # Mistral's column default: first_heartbeat_timeout (3600 s) after
        # the action's creation, in whole seconds.
        created = datetime.datetime.strptime(action["created_at"], "%Y-%m-%d %H:%M:%S")
        beat = datetime.datetime.strptime(action["last_heartbeat"], "%Y-%m-%d %H:%M:%S")
        self.assertIn((beat - created).total_seconds(), (3599, 3600))
        only = self.assertStatus(200, self.req("GET", "/v2/executions/%s/report?statistics_only=true" % ex["id"]))
        self.assertNotIn("root_workflow_execution", only)
        errors = self.assertStatus(200, self.req("GET", "/v2/executions/%s/report?errors_only=true" % ex["id"]))
        self.assertEqual([], errors["root_workflow_execution"]["task_executions"])
        self.assertFault(400, self.req("GET", "/v2/executions/%s/report?max_depth=x" % ex["id"]), "max_depth")

    def test_skip_a_failed_task(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "needs_env"}))
        self.assertEqual("ERROR", self.wait_done(ex["id"])["state"])
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
        skipped = self.assertStatus(200, self.req("PUT", "/v2/tasks/" + task["id"], {"state": "SKIPPED"}))
        self.assertEqual("SKIPPED", skipped["state"])
        self.assertEqual("Task was skipped.", skipped["state_info"])
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        self.assertFault(400, self.req("PUT", "/v2/tasks/" + task["id"], {"state": "SKIPPED"}),
                         "(Bora skips a failed task only; this one is SKIPPED.)")

    def test_rerun_a_failed_task(self):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "needs_env"}))
        self.assertEqual("ERROR", self.wait_done(ex["id"])["state"])
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
        # Mistral 15's words (frozen from its API in-process).
        self.assertFault(400, self.req("PUT", "/v2/tasks/" + task["id"], {"state": "SUCCESS", "reset": True}),
                         "Invalid task state. Only updating task to rerun is supported.")
        self.assertFault(400, self.req("PUT", "/v2/tasks/" + task["id"], {"state": "RUNNING"}),
                         "Invalid input for field/attribute reset. Value: 'None'. Mandatory field missing.")
        self.assertFault(400, self.req("PUT", "/v2/tasks/" + task["id"], {"state": "RUNNING", "reset": False}),
                         "Only with-items task has the option to not reset.")
        rerun = self.assertStatus(200, self.req("PUT", "/v2/tasks/" + task["id"], {
            "state": "RUNNING", "reset": True, "env": json.dumps({"value": "now set"})}))
        self.assertIn(rerun["state"], ("RUNNING", "SUCCESS"))
        # As Mistral's answer: the task before the executor ran the new action.
        self.assertEqual("[]", rerun["result"])
        done = self.wait_done(ex["id"])
        self.assertEqual("SUCCESS", done["state"])
        self.assertEqual('"now set"', self.assertStatus(200, self.req("GET", "/v2/tasks/" + task["id"]))["result"])
        self.assertFault(400, self.req("PUT", "/v2/tasks/" + task["id"], {"state": "RUNNING", "reset": True}),
                         "must be in ERROR for rerun")
        # Mistral refuses any state but RUNNING first: Bora's skip of a task
        # not in ERROR starts with those words.
        self.assertFault(400, self.req("PUT", "/v2/tasks/" + task["id"], {"state": "SKIPPED"}),
                         "Invalid task state. Only updating task to rerun is supported. (Bora skips a failed task "
                         "only; this one is SUCCESS.)")

    def test_bad_requests(self):
        self.assertFault(400, self.req("POST", "/v2/executions", {}), "Workflow ID or workflow name must be provided")
        self.assertFault(404, self.req("POST", "/v2/executions", {"workflow_name": "nope"}), "Workflow not found")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "input": {"x": 1}}),
                         "unexpected=['x']")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "input": "[1]"}),
                         "must be a dictionary")
        # WSME's words lead with Python's json error (Mistral 15's answer),
        # then where the JSON broke.
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "input": "notjson"}),
                         "Invalid input for field/attribute wf_ex. Value: '{'workflow_name': 'lit', 'input': "
                         "'notjson'}'. Expecting value: line 1 column 1 (char 0)")
        self.assertFault(400, self.req("POST", "/v2/executions", "notjson", content_type="application/json"),
                         "Request is not in valid JSON format")
        self.assertFault(400, self.req("POST", "/v2/executions", " ", content_type="application/json"),
                         'Missing argument: "wf_ex"')
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "lit", "colour": 1}),
                         "Unknown attribute")
        self.assertFault(404, self.req("GET", "/v2/tasks/00000000-0000-4000-8000-000000000000"),
                         "Task execution not found")

    def test_client_supplied_id_is_idempotent(self):
        ex_id = "12345678-1234-4234-8234-123456789abc"
        first = self.assertStatus(201, self.req("POST", "/v2/executions", {"id": ex_id, "workflow_name": "lit"}))
        again = self.assertStatus(201, self.req("POST", "/v2/executions", {"id": ex_id, "workflow_name": "lit"}))
        self.assertEqual(ex_id, first["id"])
        self.assertEqual(first["created_at"], again["created_at"])

    @unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed")
    def test_with_the_client(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}

        def mistral(*args):
            p = MistralClientWorker.shared().run(["--os-mistral-url", self.server.url] + list(args), env, timeout=60)
            self.assertEqual(0, p.returncode, p.stderr)
            return p.stdout

        created = json.loads(mistral("execution-create", "lit", '{"who": "cli"}', "-f", "json"))
        done = self.wait_done(created["ID"])
        self.assertEqual("SUCCESS", done["state"])
        self.assertEqual({"greeting": "hi"}, json.loads(mistral("execution-get-output", created["ID"])))
        tasks = json.loads(mistral("task-list", created["ID"], "-f", "json"))
        self.assertEqual({"hello", "done"}, {t["Name"] for t in tasks})
        hello = [t for t in tasks if t["Name"] == "hello"][0]
        self.assertEqual("hello", json.loads(mistral("task-get-result", hello["ID"])))
        actions = json.loads(mistral("action-execution-list", hello["ID"], "-f", "json"))
        self.assertEqual("std.echo", actions[0]["Name"])
        self.assertIn("SUCCESS", mistral("execution-list"))
        # Pause, resume and cancel with execution-update; finish an async
        # action. The workflow waits on an asynchronous action, so it stays
        # open however slowly the client starts (no race with a timer).
        waits = json.loads(mistral("execution-create", "waits", "-f", "json"))
        self.assertEqual("PAUSED", json.loads(mistral("execution-update", waits["ID"], "-s", "PAUSED",
                                                      "-f", "json"))["State"])
        self.assertEqual("RUNNING", json.loads(mistral("execution-update", waits["ID"], "-s", "RUNNING",
                                                       "-f", "json"))["State"])
        nap = json.loads(mistral("execution-create", "waits", "-f", "json"))
        self.assertEqual("CANCELLED", json.loads(mistral("execution-update", nap["ID"], "-s", "CANCELLED",
                                                         "-f", "json"))["State"])
        deadline = time.time() + 20
        actions = []
        while not actions:
            self.assertLess(time.time(), deadline, "the async action never started")
            tasks = json.loads(mistral("task-list", waits["ID"], "-f", "json"))
            if tasks:
                actions = json.loads(mistral("action-execution-list", tasks[0]["ID"], "-f", "json"))
        mistral("action-execution-update", actions[0]["ID"], "--state", "SUCCESS", "--output", '{"ok": true}')
        self.assertEqual("SUCCESS", self.wait_done(waits["ID"])["state"])
        self.assertEqual({"answer": {"ok": True}}, json.loads(mistral("execution-get-output", waits["ID"])))
        mistral("execution-delete", waits["ID"])
        # task-rerun with an environment.
        failing = json.loads(mistral("execution-create", "needs_env", "-f", "json"))
        self.assertEqual("ERROR", self.wait_done(failing["ID"])["state"])
        task = json.loads(mistral("task-list", failing["ID"], "-f", "json"))[0]
        mistral("task-rerun", task["ID"], "--env", '{"value": "from the client"}')
        self.assertEqual("SUCCESS", self.wait_done(failing["ID"])["state"])
        self.assertEqual("from the client", json.loads(mistral("task-get-result", task["ID"])))


class RecoveryTest(unittest.TestCase):
    """SIGKILL in the middle of running actions, then a restart."""

    WF = """---
version: '2.0'
rerun_me:
  tasks:
    nap:
      action: std.sleep seconds=2
      safe-rerun: true
      on-success: after
    after:
      action: std.noop
lost:
  tasks:
    nap:
      action: std.sleep seconds=2
"""

    def test_running_actions_after_a_kill(self):
        from bora_server import BoraServer
        server = BoraServer().start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", self.WF)[0])
            ids = {}
            for wf in ("rerun_me", "lost"):
                status, body, _ = server.request("POST", "/v2/executions", {"workflow_name": wf})
                self.assertEqual(201, status, body)
                ids[wf] = body["id"]
            time.sleep(0.3)
            server.kill()
            server.start()
            deadline = time.time() + 20
            states = {}
            while time.time() < deadline:
                states = {wf: server.request("GET", "/v2/executions/" + i)[1]["state"] for wf, i in ids.items()}
                if all(s not in ("RUNNING", "IDLE") for s in states.values()):
                    break
                time.sleep(0.1)
            self.assertEqual({"rerun_me": "SUCCESS", "lost": "ERROR"}, states)
            lost = server.request("GET", "/v2/executions/" + ids["lost"])[1]
            self.assertIn("result is lost", lost["state_info"])
            self.assertIn("safe-rerun", lost["state_info"])
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
