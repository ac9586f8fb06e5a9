"""Cron triggers over HTTP and with the real client: creation rules
(pattern and/or first execution time, count, workflow input checked),
next execution times, lookups by name or id, deletion, and a workflow that
cannot be deleted while a trigger uses it."""

import datetime
import json
import os
import unittest

from bora_server import MISTRAL, BoraTestCase, MistralClientWorker

WF = """---
version: '2.0'
nightly_wf:
  input:
    - who
    - greeting: Hi
  tasks:
    t:
      action: std.noop
"""



class CronTriggersTest(BoraTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows", WF)
        assert status == 201, body
        cls.wf_id = body["workflows"][0]["id"]

    def test_pattern_trigger(self):
        body = self.assertStatus(201, self.req("POST", "/v2/cron_triggers", {
            "name": "every5", "workflow_name": "nightly_wf", "pattern": "*/5 * * * *",
            "workflow_input": {"who": "ops"}, "remaining_executions": 3}))
        self.assertEqual("nightly_wf", body["workflow_name"])
        self.assertEqual(self.wf_id, body["workflow_id"])
        self.assertEqual(3, body["remaining_executions"])
        self.assertEqual('{"who": "ops"}', body["workflow_input"])
        nxt = datetime.datetime.strptime(body["next_execution_time"], "%Y-%m-%d %H:%M:%S")
        self.assertEqual(0, nxt.minute % 5)
        self.assertEqual(0, nxt.second)
        now = datetime.datetime.utcnow()
        self.assertTrue(now < nxt <= now + datetime.timedelta(minutes=5, seconds=1))
        self.assertIsNone(body["first_execution_time"])
        # WSME reads an integer field with int(): a numeric string is a number.
        as_text = self.assertStatus(201, self.req("POST", "/v2/cron_triggers", {
            "name": "every5text", "workflow_name": "nightly_wf", "pattern": "*/5 * * * *",
            "workflow_input": {"who": "ops"}, "remaining_executions": "42"}))
        self.assertEqual(42, as_text["remaining_executions"])
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", {
            "name": "every5bad", "workflow_name": "nightly_wf", "pattern": "*/5 * * * *",
            "workflow_input": {"who": "ops"}, "remaining_executions": "forty"}), "remaining_executions")
        by_name = self.assertStatus(200, self.req("GET", "/v2/cron_triggers/every5"))
        by_id = self.assertStatus(200, self.req("GET", "/v2/cron_triggers/" + body["id"]))
        self.assertEqual(by_name, by_id)
        self.assertFault(409, self.req("POST", "/v2/cron_triggers", {
            "name": "every5", "workflow_name": "nightly_wf", "pattern": "* * * * *",
            "workflow_input": {"who": "x"}}), "Duplicate entry for cron trigger ['name', 'project_id']: every5")
        # The workflow is in use.
        self.assertFault(400, self.req("DELETE", "/v2/workflows/nightly_wf"),
                         "Can't delete workflow that has cron triggers associated")
        listed = self.assertStatus(200, self.req("GET", "/v2/cron_triggers?workflow_name=nightly_wf"))
        self.assertIn("every5", [t["name"] for t in listed["cron_triggers"]])
        self.assertStatus(204, self.req("DELETE", "/v2/cron_triggers/every5"))
        self.assertFault(404, self.req("GET", "/v2/cron_triggers/every5"),
                         "Cron trigger not found [identifier=every5]")

    def test_first_execution_time_trigger(self):
        first = (datetime.datetime.utcnow() + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
        body = self.assertStatus(201, self.req("POST", "/v2/cron_triggers", {
            "name": "once", "workflow_id": self.wf_id, "first_execution_time": first,
            "workflow_input": '{"who": "me"}'}))
        self.assertEqual(first + ":00", body["next_execution_time"])
        self.assertEqual(first + ":00", body["first_execution_time"])
        self.assertEqual(1, body["remaining_executions"])
        # Mistral's column default for a trigger without a pattern ("never").
        self.assertEqual("0 0 30 2 0", body["pattern"])
        self.assertStatus(204, self.req("DELETE", "/v2/cron_triggers/" + body["id"]))

    def test_first_execution_time_is_read_as_pythons_strptime(self):
        # datetime.strptime(value, '%Y-%m-%d %H:%M'), Mistral 15's words.
        base = {"name": "when", "workflow_id": self.wf_id, "workflow_input": {"who": "x"}}
        for value, words in (("2030-01-01T10:00", "time data '2030-01-01T10:00' does not match format "
                                                  "'%Y-%m-%d %H:%M'"),
                             ("2031-05-05 05:05:05", "unconverted data remains: :05"),
                             ("2030-01-01 10:60", "unconverted data remains: 0"),
                             ("2030-01-01 24:00", "does not match format"),
                             ("2030-02-30 10:00", "day is out of range for month")):
            self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, first_execution_time=value)),
                             words)
        # Its regex takes single digits and several blanks.
        made = self.assertStatus(201, self.req("POST", "/v2/cron_triggers",
                                               dict(base, first_execution_time="2030-1-2  3:4")))
        self.assertEqual("2030-01-02 03:04:00", made["first_execution_time"])
        self.assertStatus(204, self.req("DELETE", "/v2/cron_triggers/when"))

    def test_refusals(self):
        base = {"name": "bad", "workflow_name": "nightly_wf", "workflow_input": {"who": "x"}}
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", base),
                         "Pattern or first_execution_time must be specified.")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, pattern="61 * * * *")),
                         "The specified pattern is not valid: 61 * * * *")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, first_execution_time="2000-01-01 00:00")),
                         "first_execution_time must be at least 1 minute in the future.")
        soon = (datetime.datetime.utcnow() + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, first_execution_time=soon,
                                                                         remaining_executions=3)),
                         "Pattern must be provided if count is superior to 1.")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, pattern="* * * * *",
                                                                         remaining_executions=0)),
                         "remaining_executions")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, pattern="* * * * *",
                                                                         workflow_input={})),
                         "Invalid input [name=nightly_wf, class=DirectWorkflowSpec, missing=['who']]")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, pattern="* * * * *",
                                                                         workflow_input={"who": 1, "x": 2})),
                         "unexpected=['x']")
        self.assertFault(404, self.req("POST", "/v2/cron_triggers", dict(base, pattern="* * * * *",
                                                                         workflow_name="nope")),
                         "Workflow not found")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, pattern="* * * * *", colour=1)),
                         "Unknown attribute")
        # A name is looked up in the default namespace only, whatever the
        # trigger's workflow_params (Mistral's get_workflow_definition with
        # namespace=''); the workflow_id names one of another namespace.
        status, body, _ = self.server.request("POST", "/v2/workflows?namespace=cron_ns",
                                              "version: '2.0'\nns_only_wf:\n  tasks:\n    t:\n      action: std.noop\n")
        self.assertEqual(201, status, body)
        ns_wf_id = body["workflows"][0]["id"]
        for params in ({}, {"namespace": "cron_ns"}):
            self.assertFault(404, self.req("POST", "/v2/cron_triggers",
                                           {"name": "bad", "workflow_name": "ns_only_wf", "pattern": "* * * * *",
                                            "workflow_params": params}),
                             "Workflow not found [workflow_identifier=ns_only_wf, namespace=]")
        by_id = self.assertStatus(201, self.req("POST", "/v2/cron_triggers",
                                                {"name": "ns_by_id", "workflow_id": ns_wf_id, "pattern": "0 5 * * *"}))
        self.assertEqual("ns_only_wf", by_id["workflow_name"])
        self.assertStatus(204, self.req("DELETE", "/v2/cron_triggers/ns_by_id"))
        # Mistral looks the workflow up by None.
        self.assertFault(404, self.req("POST", "/v2/cron_triggers", {"name": "bad", "pattern": "* * * * *"}),
                         "Workflow not found [workflow_identifier=None, namespace=]")
        # No selected month has the day, whatever the weekday (croniter:
        # "failed to find next date").
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(base, pattern="0 0 30 2 0")),
                         "The specified pattern is not valid: 0 0 30 2 0")
        self.assertEqual([], self.assertStatus(200, self.req("GET", "/v2/cron_triggers?name=bad"))["cron_triggers"])

    @unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed")
    def test_with_the_client(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}

        def mistral(*args):
            return MistralClientWorker.shared().run(["--os-mistral-url", self.server.url] + list(args), env, timeout=60)

        p = mistral("cron-trigger-create", "cli_trigger", "nightly_wf", '{"who": "cli"}', "--pattern", "0 2 * * *")
        self.assertEqual(0, p.returncode, p.stderr)
        self.assertIn("0 2 * * *", p.stdout)
        p = mistral("cron-trigger-list")
        self.assertIn("cli_trigger", p.stdout)
        p = mistral("cron-trigger-get", "cli_trigger")
        self.assertRegex(p.stdout, r"Next execution time\s*\|\s*\d{4}-\d\d-\d\d 02:00:00")
        p = mistral("cron-trigger-create", "x", "nightly_wf", '{"who": 1}', "--pattern", "* * * 13 *")
        self.assertNotEqual(0, p.returncode)
        self.assertIn("month value 13", p.stderr + p.stdout)
        p = mistral("cron-trigger-delete", "cli_trigger")
        self.assertEqual(0, p.returncode, p.stderr)


class EventTriggersTest(BoraTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows", WF)
        assert status == 201, body
        cls.wf_id = body["workflows"][0]["id"]

    def test_lifecycle_and_rules(self):
        body = self.assertStatus(201, self.req("POST", "/v2/event_triggers", {
            "name": "on_create", "workflow_id": self.wf_id, "exchange": "nova", "topic": "notifications",
            "event": "compute.instance.create.end", "workflow_input": {"who": "nova"}}))
        self.assertEqual("nova", body["exchange"])
        self.assertEqual('{"who": "nova"}', body["workflow_input"])
        self.assertEqual("private", body["scope"])
        got = self.assertStatus(200, self.req("GET", "/v2/event_triggers/" + body["id"]))
        self.assertEqual(body, got)
        upd = self.assertStatus(200, self.req("PUT", "/v2/event_triggers/" + body["id"], {"name": "renamed"}))
        self.assertEqual("renamed", upd["name"])
        self.assertIsNotNone(upd["updated_at"])
        self.assertFault(400, self.req("PUT", "/v2/event_triggers/" + body["id"], {"topic": "other"}),
                         "Can not update fields ['exchange', 'topic', 'event'] of event trigger.")
        self.assertFault(409, self.req("POST", "/v2/event_triggers", {
            "name": "again", "workflow_id": self.wf_id, "exchange": "nova", "topic": "notifications",
            "event": "compute.instance.create.end", "workflow_input": {"who": "x"}}), "Duplicate entry for EventTrigger")
        self.assertFault(400, self.req("DELETE", "/v2/workflows/nightly_wf"),
                         "Can't delete workflow that has event triggers associated")
        listed = self.assertStatus(200, self.req("GET", "/v2/event_triggers?exchange=nova"))["event_triggers"]
        self.assertEqual(["renamed"], [t["name"] for t in listed])
        self.assertStatus(204, self.req("DELETE", "/v2/event_triggers/" + body["id"]))
        self.assertFault(404, self.req("GET", "/v2/event_triggers/" + body["id"]), "Event trigger not found")

    @unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed")
    def test_with_the_client(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}

        def mistral(*args):
            p = MistralClientWorker.shared().run(["--os-mistral-url", self.server.url] + list(args), env, timeout=60)
            self.assertEqual(0, p.returncode, p.stderr)
            return p.stdout

        created = json.loads(mistral("event-trigger-create", "cli_event", self.wf_id, "nova", "notifications",
                                     "compute.instance.delete.end", '{"who": "cli"}', "-f", "json"))
        self.assertEqual("cli_event", created["Name"])
        self.assertIn("cli_event", mistral("event-trigger-list"))
        self.assertIn("compute.instance.delete.end", mistral("event-trigger-get", created["ID"]))
        mistral("event-trigger-delete", created["ID"])
        self.assertNotIn("cli_event", mistral("event-trigger-list"))

    def test_refusals(self):
        self.assertFault(400, self.req("POST", "/v2/event_triggers", {"name": "x", "workflow_id": self.wf_id}),
                         "must be provided for creating event trigger")
        self.assertFault(400, self.req("POST", "/v2/event_triggers", {
            "name": "x", "workflow_id": self.wf_id, "exchange": "e", "topic": "t", "event": "v",
            "workflow_input": {}}), "missing=['who']")
        self.assertFault(404, self.req("POST", "/v2/event_triggers", {
            "name": "x", "workflow_id": "00000000-0000-4000-8000-000000000000", "exchange": "e", "topic": "t",
            "event": "v"}), "Workflow not found [workflow_id=00000000-0000-4000-8000-000000000000]")
        # Mistral 15: an update stores the input it is given, unchecked.
        trig = self.assertStatus(201, self.req("POST", "/v2/event_triggers", {
            "name": "unchecked", "workflow_id": self.wf_id, "exchange": "e", "topic": "t", "event": "unchecked",
            "workflow_input": {"who": "w"}}))
        upd = self.assertStatus(200, self.req("PUT", "/v2/event_triggers/" + trig["id"], {"workflow_input": {"a": 1}}))
        self.assertEqual({"a": 1}, json.loads(upd["workflow_input"]))
        dup = self.req("POST", "/v2/event_triggers", {
            "name": "again", "workflow_id": self.wf_id, "exchange": "e", "topic": "t", "event": "unchecked",
            "workflow_input": {"who": "w"}})
        self.assertFault(409, dup, ", %s, None" % self.wf_id)


if __name__ == "__main__":
    unittest.main()
