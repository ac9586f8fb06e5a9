"""The real python-mistralclient (`mistral` CLI, Debian's
python3-mistralclient), unmodified, against Bora: create, list, show, update
and delete workflows, workbooks, ad-hoc actions and environments, and read
Bora's errors the way it reads Mistral's."""

import json
import os
import unittest

from bora_server import MISTRAL, BoraServer, MistralClientMixin

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

WF = """---
version: '2.0'
greet:
  input:
    - name
    - greeting: Hello
  output:
    text: <% $.text %>
  tasks:
    say:
      action: std.echo output="<% $.greeting %>, <% $.name %>"
      publish:
        text: <% task().result %>
"""

ACTION = """---
version: '2.0'
shout:
  description: Echoes its text in capitals.
  base: std.echo
  base-input:
    output: <% $.text.toUpper() %>
  input:
    - text
"""


@unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed (scripts/install-deps.sh --with-test)")
class ClientDefinitionsTest(MistralClientMixin, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # member-* between projects from X-Project-Id: sharing without Keystone.
        cls.server = BoraServer(env={"BORA_API_RESOURCE_SHARING_WITHOUT_AUTH": "true"}).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()




    def test_workflow_lifecycle(self):
        path = self.write("greet.yaml", WF)
        created = self.mistral_json("workflow-create", path)
        self.assertEqual(1, len(created))
        wf = created[0]
        self.assertEqual("greet", wf["Name"])
        self.assertEqual('name, greeting="Hello"', wf["Input"])
        self.assertEqual("private", wf["Scope"])

        listed = self.mistral_json("workflow-list")
        self.assertIn("greet", [w["Name"] for w in listed])

        shown = self.mistral_json("workflow-get", "greet")
        self.assertEqual(wf["ID"], shown["ID"])
        by_id = self.mistral_json("workflow-get", wf["ID"])
        self.assertEqual("greet", by_id["Name"])

        definition = self.mistral("workflow-get-definition", "greet").stdout
        self.assertIn("std.echo", definition)

        updated = self.mistral_json("workflow-update", self.write("greet2.yaml", WF.replace("Hello", "Hi")))
        self.assertEqual('name, greeting="Hi"', updated[0]["Input"])
        self.assertTrue(updated[0]["Updated at"])

        # A second create of the same name is refused with Mistral's 409 text.
        dup = self.mistral("workflow-create", path, ok=False)
        self.assertNotEqual(0, dup.returncode)
        self.assertIn("Duplicate entry for WorkflowDefinition", dup.stderr + dup.stdout)

        self.mistral("workflow-delete", "greet")
        gone = self.mistral("workflow-get", "greet", ok=False)
        self.assertNotEqual(0, gone.returncode)
        self.assertIn("not found", (gone.stderr + gone.stdout).lower())

    def test_workflow_validate_and_invalid_create(self):
        bad = self.write("bad.yaml", WF.replace("action: std.echo", "action: std.echo\n      on-success: nowhere"))
        res = self.mistral_json("workflow-validate", bad)
        self.assertFalse(res["Valid"])
        self.assertIn("nowhere", res["Error"])
        p = self.mistral("workflow-create", bad, ok=False)
        self.assertNotEqual(0, p.returncode)
        self.assertIn("nowhere", p.stderr + p.stdout)
        ok = self.mistral_json("workflow-validate", self.write("ok.yaml", WF))
        self.assertTrue(ok["Valid"])

    def test_workbook_lifecycle(self):
        path = os.path.join(ROOT, "examples", "deploy_workbook.yaml")
        wb = self.mistral_json("workbook-create", path)
        self.assertEqual("deploy", wb["Name"])
        self.assertIn("deploy", [w["Name"] for w in self.mistral_json("workbook-list")])
        self.assertIn("name: deploy", self.mistral("workbook-get-definition", "deploy").stdout)
        # The workbook's workflows and action are visible under qualified names.
        names = [w["Name"] for w in self.mistral_json("workflow-list")]
        self.assertIn("deploy.release", names)
        actions = [a["Name"] for a in self.mistral_json("action-list")]
        self.assertIn("deploy.notify", actions)
        self.mistral_json("workbook-update", path)
        self.mistral("workbook-delete", "deploy")
        self.assertNotIn("deploy", [w["Name"] for w in self.mistral_json("workbook-list")])
        # As in Mistral, deleting a workbook leaves its workflows in place.
        names = [w["Name"] for w in self.mistral_json("workflow-list")]
        self.assertIn("deploy.release", names)

    def test_actions(self):
        listed = {a["Name"]: a for a in self.mistral_json("action-list")}
        self.assertIn("std.echo", listed)
        self.assertEqual("output, delay=0", listed["std.echo"]["Input"])
        self.assertTrue(self.mistral_json("action-get", "std.http")["Input"].startswith('url, method="GET", params=null'))

        created = self.mistral_json("action-create", self.write("shout.yaml", ACTION))
        self.assertEqual("shout", created[0]["Name"])
        self.assertEqual("text", created[0]["Input"])
        self.assertIn("base: std.echo", self.mistral("action-get-definition", "shout").stdout)
        self.mistral_json("action-update", self.write("shout2.yaml", ACTION.replace("capitals", "CAPITALS")))
        self.assertEqual("Echoes its text in CAPITALS.", self.mistral_json("action-get", "shout")["Description"])
        self.mistral("action-delete", "shout")
        self.assertNotIn("shout", [a["Name"] for a in self.mistral_json("action-list")])

        p = self.mistral("action-delete", "std.echo", ok=False)
        self.assertNotEqual(0, p.returncode)

    def test_environments(self):
        env = {"name": "staging", "description": "the staging cloud",
               "variables": {"url": "http://127.0.0.1:9", "retries": 3}}
        created = self.mistral_json("environment-create", self.write("env.json", json.dumps(env)))
        self.assertEqual("staging", created["Name"])
        shown = self.mistral_json("environment-get", "staging")
        self.assertEqual(env["variables"], json.loads(shown["Variables"]))
        self.assertIn("staging", [e["Name"] for e in self.mistral_json("environment-list")])
        env["variables"]["retries"] = 5
        self.mistral_json("environment-update", self.write("env2.yaml", json.dumps(env)))
        self.assertEqual(5, json.loads(self.mistral_json("environment-get", "staging")["Variables"])["retries"])
        self.mistral("environment-delete", "staging")
        self.assertNotIn("staging", [e["Name"] for e in self.mistral_json("environment-list")])


    def test_members(self):
        wf = self.mistral_json("workflow-create", self.write("shared.yaml", WF.replace("greet:", "shared_wf:")))[0]
        member = self.mistral_json("member-create", wf["ID"], "workflow", "other-project")
        self.assertEqual("pending", member["Status"])
        listed = self.mistral_json("member-list", wf["ID"], "workflow")
        self.assertEqual(["other-project"], [m["Member ID"] for m in listed])
        self.mistral("member-delete", wf["ID"], "workflow", "other-project")
        self.assertEqual([], [m for m in self.mistral_json("member-list", wf["ID"], "workflow") if m["Member ID"]])


if __name__ == "__main__":
    unittest.main()
