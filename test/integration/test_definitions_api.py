"""The definitions API over raw HTTP: /v2/workflows, /v2/workbooks,
/v2/actions and /v2/environments with Mistral's shapes, status codes and
error texts; list parameters and next links; namespaces, scopes and
projects; bad input answered with a clear 4xx and the server still serving;
and a database that survives a restart."""

import json
import os
import re
import unittest

from bora_server import OPEN_ADMIN_RULES, BoraServer, BoraTestCase

TWO_WFS = """---
version: '2.0'
first:
  input:
    - a
    - b: 5
  output:
    sum: <% $.a + $.b %>
  tasks:
    t1:
      action: std.noop
second:
  type: reverse
  tasks:
    t2:
      action: std.echo output=2
"""

ONE_WF = """---
version: '2.0'
lonely:
  tags: [blue, green]
  tasks:
    t:
      action: std.noop
"""

WORKBOOK = """---
version: '2.0'
name: book
tags: [shelf]
actions:
  hello:
    base: std.echo
    base-input:
      output: hello <% $.who %>
    input:
      - who
workflows:
  main:
    tasks:
      say:
        action: book.hello who=me
"""

ACTIONS = """---
version: '2.0'
a1:
  base: std.echo
  base-input:
    output: <% $.x %>
  input:
    - x
    - y: 7
a2:
  description: second
  base: std.noop
"""

TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


class WorkflowsTest(BoraTestCase):
    def test_create_two_workflows_then_get_list_update_delete(self):
        body = self.assertStatus(201, self.req("POST", "/v2/workflows?namespace=ns1", TWO_WFS))
        wfs = {w["name"]: w for w in body["workflows"]}
        self.assertEqual({"first", "second"}, set(wfs))
        first = wfs["first"]
        # Mistral writes defaults as "%s" of their Python value.
        self.assertEqual('a, b="5"', first["input"])
        self.assertEqual({"input": ["a", {"b": 5}], "output": ["sum"]}, first["interface"])
        self.assertEqual("ns1", first["namespace"])
        self.assertEqual("private", first["scope"])
        self.assertRegex(first["created_at"], TIME)
        # A create's answer leaves the update time out, as Mistral's; reads show it null.
        self.assertNotIn("updated_at", first)
        # Each workflow of a document keeps its own definition.
        self.assertIn("first:", first["definition"])
        self.assertNotIn("second:", first["definition"])
        self.assertIn("version:", first["definition"])

        got = self.assertStatus(200, self.req("GET", "/v2/workflows/first?namespace=ns1"))
        self.assertEqual(first["id"], got["id"])
        # Through WSME, Mistral renders the interface as JSON text.
        self.assertEqual({"input": ["a", {"b": 5}], "output": ["sum"]}, json.loads(got["interface"]))
        by_id = self.assertStatus(200, self.req("GET", "/v2/workflows/" + first["id"]))
        self.assertEqual("first", by_id["name"])

        updated = self.assertStatus(200, self.req("PUT", "/v2/workflows?namespace=ns1",
                                                  TWO_WFS.replace("b: 5", "b: 6")))
        up = {w["name"]: w for w in updated["workflows"]}
        self.assertEqual('a, b="6"', up["first"]["input"])
        self.assertEqual(first["id"], up["first"]["id"])
        self.assertRegex(up["first"]["updated_at"], TIME)
        # A workflow stored again as it is keeps its update time (null when
        # never changed): Mistral's onupdate moves it only with a change
        # (python-mistralclient's functional test_workflow_update checks it).
        self.assertIsNone(up["second"]["updated_at"])
        again = self.assertStatus(200, self.req("PUT", "/v2/workflows?namespace=ns1",
                                                TWO_WFS.replace("b: 5", "b: 6")))
        self.assertEqual({w["name"]: w["updated_at"] for w in updated["workflows"]},
                         {w["name"]: w["updated_at"] for w in again["workflows"]})

        # Update of one workflow by its id returns that workflow alone.
        one = self.assertStatus(200, self.req("PUT", "/v2/workflows/%s?namespace=ns1" % wfs["second"]["id"],
                                              TWO_WFS.split("second:")[0].replace("first:", "second:")
                                              + "\n"))
        self.assertEqual(wfs["second"]["id"], one["id"])
        self.assertFault(400, self.req("PUT", "/v2/workflows/%s?namespace=ns1" % first["id"], TWO_WFS),
                         "More than one workflows are not supported for update with identifier")

        self.assertStatus(204, self.req("DELETE", "/v2/workflows/first?namespace=ns1"))
        self.assertFault(404, self.req("GET", "/v2/workflows/first?namespace=ns1"),
                         "Workflow not found [workflow_identifier=first, namespace=ns1]")
        self.assertFault(404, self.req("DELETE", "/v2/workflows/first?namespace=ns1"), "Workflow not found")
        self.assertStatus(204, self.req("DELETE", "/v2/workflows/second?namespace=ns1"))

    def test_duplicate_is_409_and_other_namespace_is_fine(self):
        self.assertStatus(201, self.req("POST", "/v2/workflows", ONE_WF))
        self.assertFault(409, self.req("POST", "/v2/workflows", ONE_WF),
                         "Duplicate entry for WorkflowDefinition ['name', 'namespace', 'project_id']: lonely, ,")
        self.assertStatus(201, self.req("POST", "/v2/workflows?namespace=other", ONE_WF))
        both = self.assertStatus(200, self.req("GET", "/v2/workflows?name=lonely"))["workflows"]
        self.assertEqual({"", "other"}, {w["namespace"] for w in both})
        for ns in ("", "other"):
            self.assertStatus(204, self.req("DELETE", "/v2/workflows/lonely?namespace=" + ns))

    def test_invalid_definitions_are_400_with_every_problem(self):
        bad = ONE_WF.replace("action: std.noop", "action: std.noop\n      on-success: [nowhere]\n      colour: red")
        body = self.assertFault(400, self.req("POST", "/v2/workflows", bad))
        self.assertIn("nowhere", body["faultstring"])
        self.assertIn("colour", body["faultstring"])
        self.assertRegex(body["faultstring"], r"\d+:\d+")
        self.assertFault(400, self.req("POST", "/v2/workflows", "version: '2.0'\nwf: [unclosed"))
        self.assertFault(400, self.req("POST", "/v2/workflows", "wf:\n  tasks: {}\n"), "version")
        self.assertFault(400, self.req("POST", "/v2/workflows", ""), "empty")
        self.assertFault(400, self.req("POST", "/v2/workflows", ONE_WF, content_type="multipart/form-data"),
                         "text/plain")
        self.assertFault(400, self.req("POST", "/v2/workflows?scope=secret", ONE_WF),
                         "Scope must be one of the following")
        # A document with only its version: Mistral's BaseListSpec words first.
        for kind in ("workflows", "actions"):
            body = self.assertFault(400, self.req("POST", "/v2/" + kind, "---\nversion: '2.0'\n"))
            self.assertTrue(body["faultstring"].startswith(
                "At least one item must be in the list [data={'version': '2.0'}]. 2:1: no "), body)
        self.assertEqual([], self.assertStatus(200, self.req("GET", "/v2/workflows?name=lonely"))["workflows"])

    def test_expression_syntax_errors_are_refused_when_stored(self):
        bad = ONE_WF.replace("action: std.noop", "action: std.echo output=<% $.a + %>")
        body = self.assertFault(400, self.req("POST", "/v2/workflows", bad), "YAQL syntax error in <% $.a + %>")
        self.assertRegex(body["faultstring"], r"\d+:\d+: lonely.tasks.t.action")
        jinja = ONE_WF.replace("action: std.noop", "action: std.noop\n      publish:\n        x: '{{ _.a + }}'")
        self.assertFault(400, self.req("POST", "/v2/workflows", jinja), "Jinja2 syntax error")
        res = self.assertStatus(200, self.req("POST", "/v2/workflows/validate", bad))
        self.assertFalse(res["valid"])
        self.assertIn("YAQL syntax error", res["error"])

    def test_validate(self):
        self.assertEqual({"valid": True}, self.assertStatus(200, self.req("POST", "/v2/workflows/validate", ONE_WF)))
        # An empty body is an empty document (Mistral 15: 200, not valid).
        for kind in ("workflows", "workbooks", "actions"):
            empty = self.assertStatus(200, self.req("POST", "/v2/%s/validate" % kind, ""))
            self.assertFalse(empty["valid"])
            self.assertTrue(empty["error"].startswith("Invalid DSL: 'version' is a required property"), empty)
            self.assertFault(400, self.req("POST", "/v2/" + kind, ""), "Invalid DSL: 'version' is a required property")
        body = self.assertStatus(200, self.req("POST", "/v2/workflows/validate",
                                               ONE_WF.replace("std.noop", "std.noop\n      requires: [x]")))
        self.assertFalse(body["valid"])
        self.assertIn("requires", body["error"])

    def test_name_with_spaces_is_valid_but_not_stored(self):
        # Mistral's models refuse it when storing (validate_name_has_no_spaces);
        # its validate endpoints only parse, and call it valid (Mistral 15).
        docs = {"workflows": "version: '2.0'\nmy wf:\n  tasks:\n    t: {action: std.noop}\n",
                "workbooks": "version: '2.0'\nname: my wb\nworkflows:\n  wf1:\n    tasks:\n      t: {action: std.noop}\n",
                "actions": "version: '2.0'\nmy act:\n  base: std.noop\n"}
        for kind, text in docs.items():
            name = text.split("\n")[1].split(":")[1 if kind == "workbooks" else 0].strip()
            res = self.assertStatus(200, self.req("POST", "/v2/%s/validate" % kind, text))
            self.assertTrue(res["valid"], res)
            self.assertIn("must not contain spaces", res["warnings"][0])
            body = self.assertFault(400, self.req("POST", "/v2/" + kind, text))
            self.assertTrue(body["faultstring"].startswith("Name '%s' must not contain spaces" % name), body)
            self.assertEqual(404, self.req("GET", "/v2/%s/%s" % (kind, name.replace(" ", "%20")))[0])

    def test_update_looks_up_before_refusing_a_name_with_spaces(self):
        # Mistral 15's updates look the stored definition up before its
        # model refuses the name (answers frozen from Mistral 15 side by side).
        self.assertStatus(201, self.req("POST", "/v2/actions", "version: '2.0'\nact1:\n  base: std.echo\n"))
        self.assertStatus(201, self.req("POST", "/v2/workflows", ONE_WF))
        spaced_act = "version: '2.0'\na b:\n  base: std.echo\n"
        spaced_wf = "version: '2.0'\nw x:\n  tasks:\n    t:\n      action: std.noop\n"
        cases = [
            ("/v2/actions", spaced_act, 404, "Action definition not found [action_name=a b, namespace=]"),
            ("/v2/actions/zz", spaced_act, 404, "Action definition not found [action_name=zz, namespace=]"),
            ("/v2/actions/act1", spaced_act, 400, "Name 'a b' must not contain spaces"),
            ("/v2/actions", "version: '2.0'\nact1:\n  base: std.noop\n" + spaced_act[15:], 404,
             "Action definition not found [action_name=a b, namespace=]"),
            ("/v2/actions/act1", "version: '2.0'\nact1:\n  base: std.noop\n" + spaced_act[15:], 400,
             "More than one actions are not supported for update with identifier. [identifier: act1]"),
            ("/v2/workflows", spaced_wf, 404, "Workflow not found [workflow_identifier=w x, namespace=]"),
            ("/v2/workflows/lonely", spaced_wf, 400, "Name 'w x' must not contain spaces"),
            ("/v2/workbooks", "version: '2.0'\nname: a b\nworkflows:\n  w:\n    tasks:\n      t:\n"
             "        action: std.noop\n", 404, "Workbook not found [name=a b, namespace=]"),
        ]
        for path, text, status, words in cases:
            body = self.assertFault(status, self.req("PUT", path, text))
            self.assertTrue(body["faultstring"].startswith(words), (path, body))
        # Nothing of a refused update is kept.
        self.assertEqual("std.echo", yaml_base(self.assertStatus(200, self.req("GET", "/v2/actions/act1"))))

    def test_list_parameters_and_next_link(self):
        names = ["w%d" % i for i in range(5)]
        for n in names:
            self.assertStatus(201, self.req("POST", "/v2/workflows?namespace=lst", ONE_WF.replace("lonely", n)))
        page = self.assertStatus(200, self.req("GET", "/v2/workflows?namespace=lst&limit=2&sort_keys=name&sort_dirs=desc"))
        self.assertEqual(["w4", "w3"], [w["name"] for w in page["workflows"]])
        self.assertIn("next", page)
        self.assertIn("marker=" + page["workflows"][-1]["id"], page["next"])
        seen = self.follow_pages("/v2/workflows?namespace=lst&limit=2&sort_keys=name&sort_dirs=desc", "workflows")
        self.assertEqual(list(reversed(names)), [w["name"] for w in seen])

        only = self.assertStatus(200, self.req("GET", "/v2/workflows?namespace=lst&fields=name&name=in:w1,w3&sort_keys=name"))
        self.assertEqual([{"id": only["workflows"][0]["id"], "name": "w1"}, {"id": only["workflows"][1]["id"],
                                                                             "name": "w3"}], only["workflows"])
        tagged = self.assertStatus(200, self.req("GET", "/v2/workflows?tags=green&name=w2"))["workflows"]
        self.assertEqual(["w2"], [w["name"] for w in tagged])
        self.assertEqual([], self.assertStatus(200, self.req("GET", "/v2/workflows?tags=red"))["workflows"])
        later = self.assertStatus(200, self.req("GET", "/v2/workflows?namespace=lst&created_at=gte:2000-01-01%2000:00:00"))
        self.assertEqual(5, len(later["workflows"]))
        self.assertFault(400, self.req("GET", "/v2/workflows?created_at=gt:yesterday"), "yesterday")
        self.assertFault(400, self.req("GET", "/v2/workflows?limit=-1"), "Limit must be positive")
        self.assertFault(400, self.req("GET", "/v2/workflows?sort_dirs=sideways"), "Unknown sort direction")
        self.assertFault(400, self.req("GET", "/v2/workflows?fields=nope"), "Some fields do not exist")
        self.assertFault(400, self.req("GET", "/v2/workflows?colour=red"), "Unknown argument")
        self.assertFault(404, self.req("GET", "/v2/workflows?marker=00000000-0000-4000-8000-000000000000"))
        self.assertEqual([], self.assertStatus(200, self.req(
            "GET", "/v2/workflows?name=" + "x'%20OR%20'1'='1"))["workflows"])
        for n in names:
            self.assertStatus(204, self.req("DELETE", "/v2/workflows/%s?namespace=lst" % n))


class ProjectsTest(BoraTestCase):
    policy = OPEN_ADMIN_RULES  # publicizes as a plain project
    def as_project(self, project, method, path, body=None):
        return self.req(method, path, body, headers={"X-Project-Id": project})

    def test_private_is_invisible_public_is_read_only(self):
        self.assertStatus(201, self.as_project("p1", "POST", "/v2/workflows", ONE_WF))
        self.assertStatus(201, self.as_project("p1", "POST", "/v2/workflows?scope=public",
                                               ONE_WF.replace("lonely", "shared")))
        seen_by_p2 = self.assertStatus(200, self.as_project("p2", "GET", "/v2/workflows"))["workflows"]
        self.assertEqual(["shared"], [w["name"] for w in seen_by_p2])
        self.assertEqual("p1", seen_by_p2[0]["project_id"])
        self.assertFault(404, self.as_project("p2", "GET", "/v2/workflows/lonely"))
        self.assertFault(403, self.as_project("p2", "DELETE", "/v2/workflows/shared"),
                         "Can not access WorkflowDefinition resource of other projects")
        self.assertFault(403, self.as_project("p2", "PUT", "/v2/workflows",
                                              ONE_WF.replace("lonely", "shared")))
        # p2 may have its own "lonely".
        self.assertStatus(201, self.as_project("p2", "POST", "/v2/workflows", ONE_WF))
        admin = {"X-Project-Id": "p3", "X-Roles": "admin"}
        everything = self.assertStatus(200, self.req("GET", "/v2/workflows?all_projects=true", headers=admin))
        self.assertEqual(3, len(everything["workflows"]))


class MembersNeedAuthenticationTest(BoraTestCase):
    """Mistral's auth_enable_check: without authentication nothing is shared,
    whatever the arguments (it runs before WSME reads them)."""

    def test_every_members_call_is_refused_without_authentication(self):
        wf = self.assertStatus(201, self.req("POST", "/v2/workflows", ONE_WF))["workflows"][0]
        members = "/v2/workflows/%s/members" % wf["id"]
        for method, path, body in (("GET", members, None), ("POST", members, {"member_id": "p2"}),
                                   ("GET", members + "/p2?x=1", None), ("PUT", members + "/p2", {"status": "accepted"}),
                                   ("DELETE", members + "/p2", None), ("DELETE", members, None)):
            self.assertFault(400, self.req(method, path, body),
                             "Resource sharing feature can only be supported with authentication enabled.")
        # As Mistral 15 routes them: a workflow named by other than a UUID
        # is refused first (its _lookup), authentication or not.
        self.assertFault(400, self.req("GET", "/v2/workflows/lonely/members"),
                         "Only support UUID as resource identifier in resource sharing feature.")


class MembersTest(BoraTestCase):
    policy = OPEN_ADMIN_RULES  # publicizes as a plain project
    # Members without Keystone: projects from X-Project-Id may share.
    config_text = "[api]\nresource_sharing_without_auth = true\n"
    def as_project(self, project, method, path, body=None):
        return self.req(method, path, body, headers={"X-Project-Id": project})

    def test_share_accept_see_reject_delete(self):
        wf = self.assertStatus(201, self.as_project("owner", "POST", "/v2/workflows",
                                                    ONE_WF.replace("lonely", "sharedwf")))["workflows"][0]
        members = "/v2/workflows/%s/members" % wf["id"]
        self.assertFault(404, self.as_project("guest", "GET", "/v2/workflows/" + wf["id"]))
        m = self.assertStatus(201, self.as_project("owner", "POST", members, {"member_id": "guest"}))
        self.assertEqual({"resource_id": wf["id"], "resource_type": "workflow", "project_id": "owner",
                          "member_id": "guest", "status": "pending"},
                         {k: m[k] for k in ("resource_id", "resource_type", "project_id", "member_id", "status")})
        self.assertFault(409, self.as_project("owner", "POST", members, {"member_id": "guest"}),
                         "Duplicate entry for ResourceMember")
        # Pending: still invisible. The owner cannot accept for the member.
        self.assertFault(404, self.as_project("guest", "GET", "/v2/workflows/" + wf["id"]))
        self.assertFault(404, self.as_project("owner", "PUT", members + "/guest", {"status": "accepted"}))
        acc = self.assertStatus(200, self.as_project("guest", "PUT", members + "/guest", {"status": "accepted"}))
        self.assertEqual("accepted", acc["status"])
        self.assertEqual("sharedwf", self.assertStatus(200, self.as_project(
            "guest", "GET", "/v2/workflows/" + wf["id"]))["name"])
        listed = self.assertStatus(200, self.as_project("guest", "GET", "/v2/workflows"))["workflows"]
        self.assertIn("sharedwf", [w["name"] for w in listed])
        self.assertEqual(["guest"], [x["member_id"] for x in self.assertStatus(
            200, self.as_project("owner", "GET", members))["members"]])
        self.assertEqual([], self.assertStatus(200, self.as_project("stranger", "GET", members))["members"])
        # The member cannot change or delete the workflow.
        self.assertFault(403, self.as_project("guest", "DELETE", "/v2/workflows/" + wf["id"]))
        self.assertStatus(200, self.as_project("guest", "PUT", members + "/guest", {"status": "rejected"}))
        self.assertFault(404, self.as_project("guest", "GET", "/v2/workflows/" + wf["id"]))
        self.assertFault(404, self.as_project("guest", "DELETE", members + "/guest"))
        self.assertStatus(204, self.as_project("owner", "DELETE", members + "/guest"))
        self.assertFault(404, self.as_project("owner", "GET", members + "/guest"), "Resource member not found")
        self.assertFault(400, self.as_project("owner", "POST", "/v2/workflows/sharedwf/members", {"member_id": "x"}),
                         "Only support UUID")
        self.assertFault(400, self.as_project("owner", "POST", members, {}), "Member id must be provided.")
        # The member left out: WSME's missing argument (Mistral's answer read
        # from its MembersController.delete); a UUID in braces names it too.
        self.assertFault(400, self.as_project("owner", "DELETE", members), 'Missing argument: "member_id"')
        self.assertStatus(200, self.as_project("owner", "GET", "/v2/workflows/%%7B%s%%7D/members" % wf["id"]))
        pub = self.assertStatus(201, self.as_project("owner", "POST", "/v2/workflows?scope=public",
                                                     ONE_WF.replace("lonely", "pubwf")))["workflows"][0]
        self.assertFault(400, self.as_project("owner", "POST", "/v2/workflows/%s/members" % pub["id"],
                                              {"member_id": "guest"}), "Only private resource could be shared.")


class WorkbooksTest(BoraTestCase):
    def test_lifecycle(self):
        wb = self.assertStatus(201, self.req("POST", "/v2/workbooks", WORKBOOK))
        self.assertEqual("book", wb["name"])
        self.assertEqual(["shelf"], wb["tags"])
        self.assertEqual(WORKBOOK, wb["definition"])
        wf = self.assertStatus(200, self.req("GET", "/v2/workflows/book.main"))
        self.assertIn("say:", wf["definition"])
        action = self.assertStatus(200, self.req("GET", "/v2/actions/book.hello"))
        self.assertEqual("who", action["input"])
        # Mistral 15 prints its model's project_id before the insert set it.
        self.assertFault(409, self.req("POST", "/v2/workbooks", WORKBOOK),
                         "Duplicate entry for WorkbookDefinition ['name', 'namespace', 'project_id']: ")
        self.assertIn(", None", self.req("POST", "/v2/workbooks", WORKBOOK)[1]["faultstring"])
        listed = self.assertStatus(200, self.req("GET", "/v2/workbooks"))["workbooks"]
        self.assertEqual(["book"], [w["name"] for w in listed])
        updated = self.assertStatus(200, self.req("PUT", "/v2/workbooks", WORKBOOK.replace("shelf", "desk")))
        self.assertEqual(["desk"], updated["tags"])
        self.assertEqual(wb["id"], updated["id"])
        self.assertEqual({"valid": True}, self.assertStatus(200, self.req("POST", "/v2/workbooks/validate",
                                                                          WORKBOOK)))
        self.assertFalse(self.assertStatus(200, self.req("POST", "/v2/workbooks/validate",
                                                         "version: '2.0'\nworkflows: 3\n"))["valid"])
        self.assertStatus(204, self.req("DELETE", "/v2/workbooks/book"))
        self.assertFault(404, self.req("GET", "/v2/workbooks/book"),
                         "Workbook not found [name=book, namespace=]")
        self.assertFault(404, self.req("PUT", "/v2/workbooks", WORKBOOK), "Workbook not found")
        self.assertFault(400, self.req("POST", "/v2/workbooks", "version: '2.0'\nname: x\nworkflows: 3\n"))


class ActionsTest(BoraTestCase):
    def test_std_actions_listed_with_signatures(self):
        body = self.assertStatus(200, self.req("GET", "/v2/actions"))
        names = [a["name"] for a in body["actions"]]
        self.assertEqual(sorted(names), names)
        echo = [a for a in body["actions"] if a["name"] == "std.echo"][0]
        self.assertEqual("output, delay=0", echo["input"])
        self.assertEqual("std.echo", echo["id"])
        got = self.assertStatus(200, self.req("GET", "/v2/actions/std.http"))
        self.assertTrue(got["input"].startswith('url, method="GET"'))
        self.assertFault(404, self.req("GET", "/v2/actions/std.nothing"), "Action not found")
        page = self.assertStatus(200, self.req("GET", "/v2/actions?limit=3"))
        self.assertEqual(3, len(page["actions"]))
        self.assertIn("next", page)
        # Mistral 15's next link carries `namespace=eq:`, which its action
        # providers take as a namespace's name: its next page is empty
        # (Mistral 15's answer, rest_cases.json). Asked without it, its
        # action pages start *at* the action the marker names (the last
        # item's id, a std action's name), so the next page repeats it; an
        # unknown marker, or one without a limit, starts at the first.
        self.assertIn("namespace=eq:&", page["next"])
        nxt = self.assertStatus(200, self.req("GET", page["next"][page["next"].index("/v2/"):]))
        self.assertEqual([], nxt["actions"])
        marker = page["next"].rsplit("marker=", 1)[1]
        again = self.assertStatus(200, self.req("GET", "/v2/actions?limit=3&marker=" + marker))
        self.assertEqual(names[2:5], [a["name"] for a in again["actions"]])
        listed = lambda q: [a["name"] for a in self.assertStatus(200, self.req("GET", "/v2/actions?" + q))["actions"]]
        self.assertEqual(names[:2], listed("marker=nope&limit=2"))
        self.assertEqual(names, listed("marker=std.echo"))
        self.assertEqual(["std.echo"], listed("marker=std.echo&limit=1"))
        self.assertEqual(["std.echo"], [a["name"] for a in self.assertStatus(
            200, self.req("GET", "/v2/actions?name=std.echo"))["actions"]])

    def test_list_as_mistrals_action_provider(self):
        # Mistral 15's get_all(namespace=''): without a namespace, the default
        # namespace's actions; `fields` is taken and ignored.
        other = "---\nversion: '2.0'\nns_only_act:\n  base: std.noop\n"
        self.assertStatus(201, self.req("POST", "/v2/actions?namespace=nsx", other))
        names = lambda q: [a["name"] for a in self.assertStatus(200, self.req("GET", "/v2/actions?" + q))["actions"]]
        self.assertEqual([], names("name=ns_only_act"))
        self.assertEqual(["ns_only_act"], names("name=ns_only_act&namespace=nsx"))
        whole = self.assertStatus(200, self.req("GET", "/v2/actions?name=std.echo&fields=name,bogus"))["actions"][0]
        self.assertEqual("output, delay=0", whole["input"])
        page = self.assertStatus(200, self.req("GET", "/v2/actions?limit=1&fields=name"))
        self.assertEqual("sort_keys=name,id&sort_dirs=asc,asc&namespace=eq:&limit=1&marker=" + page["actions"][0]["id"],
                         page["next"].partition("?")[2])

    def test_adhoc_lifecycle(self):
        body = self.assertStatus(201, self.req("POST", "/v2/actions", ACTIONS))
        acts = {a["name"]: a for a in body["actions"]}
        self.assertEqual('x, y=7', acts["a1"]["input"])
        self.assertEqual("second", acts["a2"]["description"])
        self.assertEqual(ACTIONS, acts["a1"]["definition"])
        self.assertFalse(acts["a1"]["is_system"])
        self.assertFault(409, self.req("POST", "/v2/actions", ACTIONS), "Duplicate entry for Action")
        listed = [a["name"] for a in self.assertStatus(200, self.req("GET", "/v2/actions"))["actions"]]
        self.assertIn("a1", listed)
        self.assertIn("std.noop", listed)
        # Mistral 15's action providers find an action by name, in the
        # namespace given and then the default one; not by its id.
        got = self.assertStatus(200, self.req("GET", "/v2/actions/a1?namespace=elsewhere"))
        self.assertEqual("a1", got["name"])
        # python-mistralclient's form: the namespace as a path segment.
        self.assertEqual("a1", self.assertStatus(200, self.req("GET", "/v2/actions/a1/elsewhere"))["name"])
        # Mistral's match_filter ignores a filter on what an action lacks:
        # std actions have no creation time.
        since = self.assertStatus(200, self.req("GET", "/v2/actions?created_at=gt:2000-01-01&fields=name"))
        self.assertIn("std.noop", [a["name"] for a in since["actions"]])
        self.assertFault(404, self.req("GET", "/v2/actions/" + acts["a1"]["id"]),
                         "Action not found [name=%s, namespace=]" % acts["a1"]["id"])
        upd = self.assertStatus(200, self.req("PUT", "/v2/actions", ACTIONS.replace("second", "2nd")))
        self.assertEqual("2nd", {a["name"]: a for a in upd["actions"]}["a2"]["description"])
        self.assertEqual({"valid": True}, self.assertStatus(200, self.req("POST", "/v2/actions/validate", ACTIONS)))
        # An ad-hoc action named like a built-in one is stored and shadows
        # it until deleted, as Mistral's providers (ad-hoc first) have it.
        shadow = self.assertStatus(201, self.req("POST", "/v2/actions", "version: '2.0'\nstd.echo:\n  base: std.noop\n"))
        self.assertEqual("std.noop", yaml_base(self.req("GET", "/v2/actions/std.echo")[1]))
        both = self.assertStatus(200, self.req("GET", "/v2/actions?name=std.echo"))["actions"]
        self.assertEqual([shadow["actions"][0]["id"], "std.echo"], [a["id"] for a in both])
        self.assertStatus(201, self.req("POST", "/v2/workflows", "version: '2.0'\nuses_echo:\n  tasks:\n"
                                                                   "    t:\n      action: std.echo output=5\n"))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "uses_echo"}))
        done = self.wait_done(ex["id"])
        self.assertEqual("ERROR", done["state"])
        self.assertIn("Invalid input [name=std.echo, class=mistral.actions.adhoc.AdHocAction, unexpected=['output']]",
                      done["state_info"])
        self.assertStatus(204, self.req("DELETE", "/v2/actions/std.echo"))
        self.assertEqual("", self.assertStatus(200, self.req("GET", "/v2/actions/std.echo"))["definition"])
        self.assertFault(404, self.req("DELETE", "/v2/actions/std.echo"),
                         "Action definition not found [action_name=std.echo, namespace=]: std.echo is a built-in")
        self.assertFault(404, self.req("PUT", "/v2/actions", "version: '2.0'\nstd.noop:\n  base: std.echo output=1\n"),
                         "Action definition not found [action_name=std.noop, namespace=]")
        self.assertStatus(204, self.req("DELETE", "/v2/actions/a1"))
        self.assertStatus(204, self.req("DELETE", "/v2/actions/a2"))
        self.assertFault(404, self.req("DELETE", "/v2/actions/a2"), "not found")


def yaml_base(view):
    """The base of an ad-hoc action's view (its definition's `base:` line)."""
    return [l.split(":", 1)[1].strip() for l in view["definition"].splitlines() if l.strip().startswith("base:")][0]


class EnvironmentsTest(BoraTestCase):
    def test_lifecycle(self):
        env = {"name": "dev", "description": "d", "variables": {"k": [1, 2]}, "scope": "private"}
        created = self.assertStatus(201, self.req("POST", "/v2/environments", env))
        self.assertEqual({"k": [1, 2]}, json.loads(created["variables"]))
        self.assertRegex(created["created_at"], TIME)
        # The client sends variables as JSON text.
        as_text = dict(env, name="dev2", variables=json.dumps({"a": 1}))
        self.assertEqual({"a": 1}, json.loads(self.assertStatus(201, self.req("POST", "/v2/environments",
                                                                              as_text))["variables"]))
        self.assertFault(409, self.req("POST", "/v2/environments", env),
                         "Duplicate entry for Environment ['name', 'project_id']: %s, None" % env["name"])
        # WSME refuses an attribute the resource does not declare, and one it
        # declares read-only, before the controller's own check refuses the
        # other attributes it does not take (Mistral 15's answers).
        self.assertFault(400, self.req("POST", "/v2/environments", dict(env, name="x", colour="red")),
                         "Unknown attribute for argument env: colour")
        self.assertFault(400, self.req("POST", "/v2/environments", dict(env, name="x", project_id="p")),
                         "Invalid input for field/attribute project_id. Value: 'p'. Cannot set read only field.")
        self.assertFault(400, self.req("POST", "/v2/environments", dict(env, name="x", project_id=None)),
                         "Invalid input for field/attribute project_id. Value: 'None'. Cannot set read only field.")
        self.assertFault(400, self.req("POST", "/v2/environments", dict(env, name="x", id="p")),
                         "Only: ['name', 'description', 'variables', 'scope'] are allowed")
        self.assertFault(400, self.req("POST", "/v2/environments", {"name": 5}),
                         "Invalid input for field/attribute name. Value: '5'. Wrong type. Expected '<class 'str'>', "
                         "got '<class 'int'>'")
        self.assertFault(400, self.req("POST", "/v2/environments", dict(env, name="y", variables=[1])),
                         "the JSON object must be str, bytes or bytearray, not list")
        self.assertFault(400, self.req("POST", "/v2/environments", "{not json", content_type="application/json"),
                         "Request is not in valid JSON format")
        # WSME reads JSON alone: another media type is its 415, a form's
        # fields are unknown arguments (Mistral 15's answers).
        self.assertFault(415, self.req("POST", "/v2/environments", '{"name": "t"}', content_type="text/plain"),
                         "Unknown mimetype: text/plain")
        self.assertFault(400, self.req("POST", "/v2/environments", '{"name": "t"}',
                                       content_type="application/x-www-form-urlencoded"),
                         'Unknown argument: "{"name": "t"}"')
        # Without a name Mistral stores one (NULL, as often as asked: lists
        # show them, no URL reaches them); an empty name once per project.
        # A create's answer shows what was sent, null included (Mistral 15's).
        for _ in range(2):
            nameless = self.assertStatus(201, self.req("POST", "/v2/environments", {"description": "no name"}))
            self.assertEqual({"id", "description", "scope", "project_id", "created_at"}, set(nameless))
        nulls = self.assertStatus(201, self.req("POST", "/v2/environments",
                                                {"name": None, "description": None, "variables": None}))
        self.assertEqual((None, None, None), (nulls["name"], nulls["description"], nulls["variables"]))
        self.assertStatus(201, self.req("POST", "/v2/environments", {"name": "", "description": "empty"}))
        self.assertFault(409, self.req("POST", "/v2/environments", {"name": ""}),
                         "Duplicate entry for Environment ['name', 'project_id']: , None")
        listed = self.assertStatus(200, self.req("GET", "/v2/environments?sort_keys=name&fields=name,description"))
        self.assertEqual([None, None, None, "", "dev", "dev2"], [e["name"] for e in listed["environments"]])
        self.assertEqual(["empty"], [e["description"] for e in self.assertStatus(
            200, self.req("GET", "/v2/environments?name="))["environments"]])
        self.assertFault(400, self.req("PUT", "/v2/environments", {"description": "no name"}),
                         "Name of the environment is not provided.")
        # A body's scope is WSME's Enum (Mistral 15's words).
        for bad in ("secret", 5):
            self.assertFault(400, self.req("POST", "/v2/environments", dict(env, name="z", scope=bad)),
                             "Invalid input for field/attribute scope. Value: '%s'. Value should be one of: "
                             "private, public" % bad)
        # Without variables: none, as Mistral stores it (left out of the
        # create's answer, null when read); an execution gets an empty env.
        bare = self.assertStatus(201, self.req("POST", "/v2/environments", {"name": "bare"}))
        self.assertNotIn("variables", bare)
        self.assertIsNone(self.assertStatus(200, self.req("GET", "/v2/environments/bare"))["variables"])
        self.assertStatus(204, self.req("DELETE", "/v2/environments/bare"))
        updated = self.assertStatus(200, self.req("PUT", "/v2/environments", {"name": "dev", "variables": {"k": 3}}))
        self.assertEqual({"k": 3}, json.loads(updated["variables"]))
        self.assertEqual("d", updated["description"])
        listed = self.assertStatus(200, self.req("GET", "/v2/environments?sort_keys=name"))["environments"]
        self.assertEqual(["dev", "dev2"], [e["name"] for e in listed if e["name"]])
        self.assertEqual("dev", self.assertStatus(200, self.req("GET", "/v2/environments/dev"))["name"])
        self.assertStatus(204, self.req("DELETE", "/v2/environments/dev"))
        self.assertFault(404, self.req("GET", "/v2/environments/dev"), "Environment not found [name=dev]")
        self.assertFault(404, self.req("PUT", "/v2/environments", {"name": "dev", "variables": {}}))
        # Mistral checks the name (update) and the keys before it asks
        # whether the caller may publicize (Mistral 15's answers).
        self.assertFault(400, self.req("PUT", "/v2/environments", {"name": "", "scope": "public"}),
                         "Name of the environment is not provided.")
        self.assertFault(400, self.req("PUT", "/v2/environments", {"name": "dev2", "id": "i", "scope": "public"}),
                         "Only: ['description', 'variables', 'scope'] are allowed")
        self.assertFault(400, self.req("POST", "/v2/environments", {"name": "n", "id": "i", "scope": "public"}),
                         "Only: ['name', 'description', 'variables', 'scope'] are allowed")
        self.assertFault(403, self.req("PUT", "/v2/environments", {"name": "dev2", "scope": "public"}),
                         "Operation forbidden")


class PersistenceTest(unittest.TestCase):
    def test_definitions_survive_a_restart_and_kill(self):
        server = BoraServer().start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", ONE_WF)[0])
            self.assertEqual(201, server.request("POST", "/v2/environments", {"name": "e", "variables": {}})[0])
            server.kill()  # SIGKILL: nothing acknowledged may be lost
            server.start()
            status, body, _ = server.request("GET", "/v2/workflows/lonely")
            self.assertEqual(200, status, body)
            self.assertEqual(200, server.request("GET", "/v2/environments/e")[0])
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
