"""Definition versions (issue 19 part 3, docs/API.md "Definition versions"):
every create and update of a workflow, workbook or ad-hoc action is kept as
a numbered version (text, sha256, project, time); an execution records and
keeps the version it runs, even while the workflow is updated twice under
it; an execution can start at an older version; an old version can be
restored; versions are as visible as their definition and go with it; the
real python-mistralclient keeps working on versioned workflows."""

import hashlib
import json
import time
import unittest

from bora_server import MISTRAL, BoraTestCase, MistralClientMixin


def workflow_text(step):
    # `hold` waits for the test (an asynchronous action), so that updates
    # happen while the execution runs; then the version's own task runs.
    return """---
version: '2.0'
deploy:
  output:
    seen: <%% $.seen %%>
  tasks:
    hold:
      action: std.async_noop
      on-success: [%s]
    %s:
      action: std.echo output="%s"
      publish:
        seen: <%% task().result %%>
""" % (step, step, step)


WORKBOOK = """---
version: '2.0'
name: wb
workflows:
  inner:
    tasks:
      t:
        action: std.echo output="%s"
"""

ACTION = """---
version: '2.0'
shout:
  base: std.echo
  base-input:
    output: "%s"
"""

OTHER = {"X-Project-Id": "someone-else"}


class DefinitionVersionsTest(MistralClientMixin, BoraTestCase):
    def versions(self, path, query=""):
        return self.assertStatus(200, self.req("GET", path + "/versions" + query))["versions"]

    def start(self, **extra):
        body = dict({"workflow_name": "deploy"}, **extra)
        return self.assertStatus(201, self.req("POST", "/v2/executions", body))

    def release(self, ex_id):
        """Completes the execution's `hold` action and waits for the end."""
        deadline = time.time() + 20
        while time.time() < deadline:
            tasks = self.assertStatus(200, self.req("GET", "/v2/tasks?workflow_execution_id=" + ex_id))["tasks"]
            hold = [t for t in tasks if t["name"] == "hold"]
            if hold:
                actions = self.assertStatus(200, self.req(
                    "GET", "/v2/tasks/%s/action_executions" % hold[0]["id"]))["action_executions"]
                running = [a for a in actions if a["state"] == "RUNNING"]
                if running:
                    self.assertStatus(200, self.req("PUT", "/v2/action_executions/" + running[0]["id"],
                                                    {"state": "SUCCESS", "output": "null"}))
                    return self.wait_done(ex_id)
            time.sleep(0.02)
        self.fail("no running hold action in " + ex_id)

    def test_workflow_versions_across_updates_under_a_running_execution(self):
        self.assertStatus(201, self.req("POST", "/v2/workflows", workflow_text("one")))
        first = self.versions("/v2/workflows/deploy")
        self.assertEqual([1], [v["version"] for v in first])
        v1 = first[0]
        self.assertEqual(hashlib.sha256(v1["definition"].encode()).hexdigest(), v1["checksum"])
        self.assertIn('output="one"', v1["definition"])
        self.assertTrue(v1["created_at"])
        self.assertIn("project_id", v1)

        running = self.start()
        self.assertEqual(1, running["workflow_version"])
        # Two updates while it runs.
        self.assertStatus(200, self.req("PUT", "/v2/workflows", workflow_text("two")))
        self.assertStatus(200, self.req("PUT", "/v2/workflows/deploy", workflow_text("three")))
        listed = self.versions("/v2/workflows/deploy")
        self.assertEqual([1, 2, 3], [v["version"] for v in listed])
        self.assertEqual(3, len({v["checksum"] for v in listed}))
        # An update that changes nothing adds no version.
        self.assertStatus(200, self.req("PUT", "/v2/workflows", workflow_text("three")))
        self.assertEqual(3, len(self.versions("/v2/workflows/deploy")))

        done = self.release(running["id"])
        self.assertEqual("SUCCESS", done["state"], done)
        self.assertEqual({"seen": "one"}, json.loads(done["output"]), "the execution kept its own definition")
        self.assertEqual(1, done["workflow_version"])

        two = self.assertStatus(200, self.req("GET", "/v2/workflows/deploy/versions/2"))
        self.assertEqual(2, two["version"])
        self.assertIn('output="two"', two["definition"])
        wf_id = self.assertStatus(200, self.req("GET", "/v2/workflows/deploy"))["id"]
        self.assertEqual(two, self.assertStatus(200, self.req("GET", "/v2/workflows/%s/versions/2" % wf_id)))
        self.assertFault(404, self.req("GET", "/v2/workflows/deploy/versions/9"), "Version 9")
        self.assertFault(400, self.req("GET", "/v2/workflows/deploy/versions/first"), "not a version number")

        # The current definition runs as version 3; version 1 on request.
        latest = self.start()
        self.assertEqual(3, latest["workflow_version"])
        self.assertEqual({"seen": "three"}, json.loads(self.release(latest["id"])["output"]))
        old = self.start(workflow_version=1)
        self.assertEqual(1, old["workflow_version"])
        self.assertEqual({"seen": "one"}, json.loads(self.release(old["id"])["output"]))
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "deploy", "workflow_version": 7}),
                         "no version 7")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "deploy", "workflow_version": 0}),
                         "workflow_version")

        # Restoring version 1 is a new version with its text.
        restored = self.assertStatus(201, self.req("POST", "/v2/workflows/deploy/versions/1/restore"))
        self.assertEqual(4, restored["version"])
        self.assertEqual(v1["checksum"], restored["checksum"])
        current = self.assertStatus(200, self.req("GET", "/v2/workflows/deploy"))
        self.assertIn('output="one"', current["definition"])
        self.assertEqual(4, self.start()["workflow_version"])

        # Mistral's list conventions: limit, next link, sort.
        page = self.assertStatus(200, self.req("GET", "/v2/workflows/deploy/versions?limit=2"))
        self.assertEqual([1, 2], [v["version"] for v in page["versions"]])
        self.assertIn("marker=", page["next"])
        self.assertIn("/v2/workflows/deploy/versions?", page["next"])
        rest = self.assertStatus(200, self.req("GET", page["next"][page["next"].index("/v2/"):]))
        self.assertEqual([3, 4], [v["version"] for v in rest["versions"]])
        desc = self.versions("/v2/workflows/deploy", "?sort_keys=version&sort_dirs=desc&fields=version,checksum")
        self.assertEqual([4, 3, 2, 1], [v["version"] for v in desc])
        self.assertNotIn("definition", desc[0])

        # Exactly as visible as the workflow: another project sees nothing.
        self.assertFault(404, self.req("GET", "/v2/workflows/deploy/versions", headers=OTHER))
        self.assertFault(404, self.req("GET", "/v2/workflows/deploy/versions/1", headers=OTHER))
        self.assertFault(404, self.req("POST", "/v2/workflows/deploy/versions/1/restore", headers=OTHER))

    def test_workbook_and_action_versions_and_deletion(self):
        self.assertStatus(201, self.req("POST", "/v2/workbooks", WORKBOOK % "a"))
        self.assertStatus(200, self.req("PUT", "/v2/workbooks", WORKBOOK % "b"))
        wb = self.versions("/v2/workbooks/wb")
        self.assertEqual([1, 2], [v["version"] for v in wb])
        self.assertIn('output="b"', wb[1]["definition"])
        # The workbook's workflows are versioned too.
        self.assertEqual([1, 2], [v["version"] for v in self.versions("/v2/workflows/wb.inner")])
        restored = self.assertStatus(201, self.req("POST", "/v2/workbooks/wb/versions/1/restore"))
        self.assertEqual(3, restored["version"])
        self.assertIn('output="a"', self.assertStatus(200, self.req("GET", "/v2/workbooks/wb"))["definition"])

        self.assertStatus(201, self.req("POST", "/v2/actions", ACTION % "x"))
        self.assertStatus(200, self.req("PUT", "/v2/actions", ACTION % "y"))
        actions = self.versions("/v2/actions/shout")
        self.assertEqual([1, 2], [v["version"] for v in actions])
        self.assertEqual(hashlib.sha256(actions[1]["definition"].encode()).hexdigest(), actions[1]["checksum"])
        self.assertEqual(3, self.assertStatus(201, self.req("POST", "/v2/actions/shout/versions/1/restore"))["version"])
        self.assertFault(404, self.req("GET", "/v2/actions/shout/versions", headers=OTHER))

        # Deleting a definition deletes its versions: a new one starts at 1.
        self.assertStatus(204, self.req("DELETE", "/v2/actions/shout"))
        self.assertFault(404, self.req("GET", "/v2/actions/shout/versions"))
        self.assertStatus(201, self.req("POST", "/v2/actions", ACTION % "z"))
        self.assertEqual([1], [v["version"] for v in self.versions("/v2/actions/shout")])
        self.assertStatus(204, self.req("DELETE", "/v2/workbooks/wb"))
        self.assertFault(404, self.req("GET", "/v2/workbooks/wb/versions"))
        # A workflow deleted on its own takes its versions along.
        self.assertStatus(204, self.req("DELETE", "/v2/workflows/wb.inner"))
        self.assertFault(404, self.req("GET", "/v2/workflows/wb.inner/versions"))

    @unittest.skipUnless(MISTRAL, "python3-mistralclient is not installed (scripts/install-deps.sh --with-test)")
    def test_the_client_on_versioned_workflows(self):
        path = self.write("client.yaml", workflow_text("one").replace("deploy:", "client_wf:"))
        self.mistral_json("workflow-create", path)
        path = self.write("client2.yaml", workflow_text("two").replace("deploy:", "client_wf:"))
        updated = self.mistral_json("workflow-update", path)
        self.assertEqual("client_wf", updated[0]["Name"])
        shown = self.mistral_json("workflow-get", "client_wf")
        self.assertEqual("client_wf", shown["Name"])
        definition = self.mistral("workflow-get-definition", "client_wf").stdout
        self.assertIn('output="two"', definition)
        ex = self.mistral_json("execution-create", "client_wf")
        self.assertEqual("RUNNING", ex["State"])
        got = self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["ID"]))
        self.assertEqual(2, got["workflow_version"])
        self.assertEqual({"seen": "two"}, json.loads(self.release(ex["ID"])["output"]))
        self.assertEqual("SUCCESS", self.mistral_json("execution-get", ex["ID"])["State"])
        self.assertEqual([1, 2], [v["version"] for v in self.versions("/v2/workflows/client_wf")])


if __name__ == "__main__":
    unittest.main()
