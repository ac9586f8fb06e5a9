"""REST parsing as Mistral's WSME and pecan do it (issue 20, part 7).
Each expected answer is the one Mistral 15 gave to the same request,
asked in-process through its own API test base
(mistral.tests.unit.api.base.APITest, three workflows on sqlite):

  GET /v2/workflows?limit=1&fields=name ->
    next ...?sort_keys=created_at,id&sort_dirs=asc,asc&limit=1&marker=<id>&fields=id,name
  GET /v2/workflows?limit=1&sort_keys=name&sort_dirs=desc ->
    next ...?sort_keys=name,id&sort_dirs=desc,asc&limit=1&marker=<id>
  GET /v2/workflows?sort_keys=id,name&sort_dirs=desc&limit=1 ->
    next ...?sort_keys=id,name&sort_dirs=desc,asc&...
  GET /v2/workflows?sort_keys=Name,name&limit=1 -> next ...?sort_keys=name,id&sort_dirs=asc,asc&...
  GET /v2/workflows?sort_keys=name,&sort_dirs=DESC&limit=1 -> ...?sort_keys=name,id&sort_dirs=desc,asc&...
  GET /v2/workflows?fields=name,name&limit=1 -> ...&fields=id,name
  GET /v2/workflows?sort_keys=name,name&sort_dirs=asc,desc ->
    400 "Length of sort_keys must be equal or greater than sort_dirs."
  GET /v2/workflows?&limit=1 -> 200 (the empty field ignored)
  GET /v2/workflows?limit=1&limit=2 -> 400 "... Value: '['1', '2']'. unable to convert to int ..."

(sort_keys and fields are Mistral's UniqueListType, sort_dirs its ListType:
trimmed, lower-cased, empty items dropped, duplicates kept once; its
_paginate_query appends `id`, ascending, to the sort keys it then shows in
the next link.) Booleans are Python's bool(str) (python-mistralclient sends
`force=True`), numeric strings as integers (WSME's int())."""

import urllib.parse

from bora_server import BoraTestCase

NOOP = "%s:\n  tasks:\n    t:\n      action: std.noop\n"
WORKFLOWS = "---\nversion: '2.0'\n" + "".join(NOOP % n for n in ("rp_a", "rp_b", "rp_c")) + \
    "rp_slow:\n  tasks:\n    nap:\n      action: std.sleep seconds=30\n" + \
    "rp_two:\n  tasks:\n    t1:\n      action: std.noop\n    t2:\n      action: std.noop\n"
CRON_WF = "---\nversion: '2.0'\n" + NOOP % "rp_cron_wf"

ADMIN = {"X-Roles": "admin"}


class RestParsingTest(BoraTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows?namespace=rp", WORKFLOWS,
                                             content_type="text/plain")
        assert status == 201, body
        status, body, _ = cls.server.request("POST", "/v2/workflows", CRON_WF, content_type="text/plain")
        assert status == 201, body

    def next_query(self, query):
        """The next link's query (after the path), the last id of the page."""
        page = self.assertStatus(200, self.req("GET", "/v2/workflows?namespace=rp&" + query))
        self.assertIn("next", page, query)
        path, _, q = page["next"].partition("?")
        self.assertTrue(path.endswith("/v2/workflows"), page["next"])
        return q, page["workflows"][-1]["id"]

    def test_next_links_carry_the_implicit_id_sort_key(self):
        for query, want in [
            ("limit=1&fields=name", "sort_keys=created_at,id&sort_dirs=asc,asc&namespace=eq:rp&limit=1&marker={}"
                                    "&fields=id,name"),
            ("limit=1&sort_keys=name&sort_dirs=desc", "sort_keys=name,id&sort_dirs=desc,asc&namespace=eq:rp&limit=1"
                                                      "&marker={}"),
            ("limit=1&sort_keys=id,name&sort_dirs=desc", "sort_keys=id,name&sort_dirs=desc,asc&namespace=eq:rp"
                                                         "&limit=1&marker={}"),
            ("limit=1&sort_keys=Name,name", "sort_keys=name,id&sort_dirs=asc,asc&namespace=eq:rp&limit=1&marker={}"),
            ("limit=1&sort_keys=name,&sort_dirs=DESC", "sort_keys=name,id&sort_dirs=desc,asc&namespace=eq:rp"
                                                       "&limit=1&marker={}"),
            ("limit=1&fields=name,name", "sort_keys=created_at,id&sort_dirs=asc,asc&namespace=eq:rp&limit=1"
                                         "&marker={}&fields=id,name"),
        ]:
            q, last = self.next_query(query)
            self.assertEqual(want.format(last), q, query)
        # Following the links pages through every workflow once, in order.
        seen = self.follow_pages("/v2/workflows?namespace=rp&limit=1&sort_keys=name&sort_dirs=desc", "workflows")
        self.assertEqual(["rp_two", "rp_slow", "rp_c", "rp_b", "rp_a"], [w["name"] for w in seen])

    def test_next_links_list_the_filters_in_mistrals_order(self):
        # Mistral 15 (the same APITest base): the filters follow its
        # controller's keyword arguments, whatever the query's order:
        #   GET /v2/workflows?limit=1&namespace=rp&name=in:rp_a,rp_b&created_at=gte:2000-01-01 ->
        #     ...?sort_keys=created_at,id&sort_dirs=asc,asc&created_at=gte:2000-01-01&name=in:['rp_a', 'rp_b']
        #     &namespace=eq:rp&limit=1&marker=<id>
        # Bora writes the in-list as Mistral does, and reads that list back,
        # so the link gives the next page (Mistral splits it on ',' and finds
        # nothing).
        q, last = self.next_query("limit=1&name=in:rp_a,rp_b&created_at=gte:2000-01-01")
        self.assertEqual("sort_keys=created_at,id&sort_dirs=asc,asc&created_at=gte:2000-01-01&name=in:['rp_a', 'rp_b']"
                         "&namespace=eq:rp&limit=1&marker=" + last, q)
        following = self.assertStatus(200, self.req("GET", "/v2/workflows?" + urllib.parse.quote(q, safe="=&:,")))
        self.assertEqual(["rp_b"], [w["name"] for w in following["workflows"]])

    def test_a_sub_collections_next_link_keeps_its_parent(self):
        # Mistral 15: GET /v2/executions/<ex>/tasks?limit=1&state=SUCCESS&name=t1 ->
        #   /v2/tasks?sort_keys=created_at,id&sort_dirs=asc,asc&workflow_execution_id=eq:<ex>&state=eq:SUCCESS
        #   &name=eq:t1&limit=1&marker=<id>
        # and GET /v2/executions?limit=1&state=SUCCESS&workflow_name=s&task_execution_id=<t> ->
        #   ...&workflow_name=eq:s&task_execution_id=eq:<t>&state=eq:SUCCESS&limit=1&marker=<id>
        # Before, Bora's link for a sub-collection dropped the parent: its
        # next page listed every execution's tasks.
        ex_ids = []
        for _ in range(2):
            ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                                 {"workflow_name": "rp_two", "workflow_namespace": "rp"}))
            self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
            ex_ids.append(ex["id"])
        ex_id = ex_ids[0]
        page = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks?limit=1&name=neq:zz&state=SUCCESS"
                                               % ex_id))
        path, _, q = page["next"].partition("?")
        self.assertTrue(path.endswith("/v2/tasks"), page["next"])
        self.assertEqual("sort_keys=created_at,id&sort_dirs=asc,asc&workflow_execution_id=eq:%s&state=eq:SUCCESS"
                         "&name=neq:zz&limit=1&marker=%s" % (ex_id, page["tasks"][-1]["id"]), q)
        tasks = self.follow_pages("/v2/executions/%s/tasks?limit=1" % ex_id, "tasks")
        self.assertEqual(["t1", "t2"], sorted(t["name"] for t in tasks))
        self.assertEqual({ex_id}, {t["workflow_execution_id"] for t in tasks})
        # The action executions of one task: the task is carried at its
        # place among the filters.
        t1 = [t for t in tasks if t["name"] == "t1"][0]
        page = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions?limit=1&state=SUCCESS"
                                               % t1["id"]))
        path, _, q = page["next"].partition("?")
        self.assertTrue(path.endswith("/v2/action_executions"), page["next"])
        self.assertEqual("sort_keys=created_at,id&sort_dirs=asc,asc&task_execution_id=eq:%s&state=eq:SUCCESS"
                         "&limit=1&marker=%s" % (t1["id"], page["action_executions"][-1]["id"]), q)
        actions = self.follow_pages("/v2/tasks/%s/action_executions?limit=1" % t1["id"], "action_executions")
        self.assertEqual([t1["id"]], [a["task_execution_id"] for a in actions])

    def test_duplicate_sort_keys_count_once(self):
        self.assertFault(400, self.req("GET", "/v2/workflows?sort_keys=name,name&sort_dirs=asc,desc"),
                         "Length of sort_keys must be equal or greater than sort_dirs.")
        listed = self.assertStatus(200, self.req("GET", "/v2/workflows?namespace=rp&sort_keys=name,NAME"))
        self.assertEqual(["rp_a", "rp_b", "rp_c", "rp_slow", "rp_two"], [w["name"] for w in listed["workflows"]])

    def test_fields_mistral_declares_without_a_column(self):
        # Mistral's resources declare them, so `fields` takes them, but its
        # `fields` query selects columns: at the end they are never shown.
        # Mistral 15 zips the requested names with the columns it selected,
        # so a name without a column before a column's name takes that
        # column's value (or fails WSME's type check: rest_cases.json), and
        # so does Bora (docs/API.md).
        ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                             {"workflow_name": "rp_a", "workflow_namespace": "rp"}))
        self.wait_done(ex["id"])
        for field in ("env", "reset", "published_global"):
            tasks = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks?fields=%s" % (ex["id"], field)))
            self.assertEqual([["id"]], [sorted(t) for t in tasks["tasks"]], field)
        named = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks?fields=name,env" % ex["id"]))
        self.assertEqual([["id", "name"]], [sorted(t) for t in named["tasks"]])
        actions = self.assertStatus(200, self.req("GET", "/v2/action_executions?fields=task_name,name&limit=1"))
        self.assertEqual(["id", "task_name"], sorted(actions["action_executions"][0]))
        self.assertEqual("std.noop", actions["action_executions"][0]["task_name"])  # the action's name
        # A workflow's input is read from its spec column: Mistral's next
        # link lists `spec` in its place (Mistral 15's answer).
        page = self.assertStatus(200, self.req("GET", "/v2/workflows?limit=1&fields=name,input,tags"))
        self.assertTrue(page["next"].endswith("&fields=id,name,tags,spec"), page["next"])
        self.assertEqual(["id", "input", "interface", "name", "tags"], sorted(page["workflows"][0]))
        # A sort key that is no column: oslo.db's words (Mistral's 500).
        for url in ("/v2/tasks?sort_keys=env", "/v2/tasks?sort_keys=nope", "/v2/workflows?sort_keys=interface"):
            self.assertTrue(self.assertFault(400, self.req("GET", url))["faultstring"].startswith(
                "Sort key supplied is invalid: " + url.rsplit("=", 1)[1]), url)

    def test_pecan_controllers_answer_faultstring_alone(self):
        # Mistral's wrap_pecan_controller_exception (the text/plain
        # definition routes): {"faultstring": ...}; the WSME routes keep
        # faultcode and debuginfo.
        broken = "version: '2.0'\nwf_broken:\n  tasks: 5\n"
        for method, path in (("POST", "/v2/workflows"), ("PUT", "/v2/workflows"), ("POST", "/v2/workbooks"),
                             ("POST", "/v2/actions")):
            status, body, _ = self.req(method, path, broken, content_type="text/plain")
            self.assertEqual(400, status, path)
            self.assertEqual(["faultstring"], sorted(body), path)
            self.assertTrue(body["faultstring"].startswith("Invalid DSL: "), body)
        missing = "version: '2.0'\nrp_none:\n  tasks:\n    t: {action: std.noop}\n"
        status, body, _ = self.req("PUT", "/v2/workflows", missing, content_type="text/plain")
        self.assertEqual((404, {"faultstring": "Workflow not found [workflow_identifier=rp_none, namespace=]"}),
                         (status, body))
        status, body, _ = self.req("GET", "/v2/workflows/rp_none")
        self.assertEqual(["debuginfo", "faultcode", "faultstring"], sorted(body))

    def test_empty_query_fields_are_ignored(self):
        for query in ("?&namespace=rp", "?namespace=rp&&", "?&&namespace=rp&limit=2&"):
            listed = self.assertStatus(200, self.req("GET", "/v2/workflows" + query))
            self.assertTrue(listed["workflows"], query)
        ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                             {"workflow_name": "rp_a", "workflow_namespace": "rp"}))
        self.wait_done(ex["id"])
        tasks = self.assertStatus(200, self.req("GET", "/v2/tasks?&workflow_execution_id=" + ex["id"]))["tasks"]
        self.assertEqual(["t"], [t["name"] for t in tasks])

    def test_characters_wsgi_passes_on_unescaped(self):
        # A client that does not escape `{}` (curl -g) or writes a stray `%`:
        # WebOb reads them literally, and so Mistral answers the query.
        listed = self.assertStatus(200, self.req("GET", "/v2/cron_triggers?workflow_input={}"))
        self.assertEqual([], listed["cron_triggers"])
        for query in ("?name=a%zz", "?name=x|y^z", "?name=%"):
            self.assertEqual([], self.assertStatus(200, self.req("GET", "/v2/workflows" + query))["workflows"], query)

    def test_booleans_as_python_sends_them(self):
        # DELETE ?force=True, as python-mistralclient's execution-delete
        # --force sends it, and the other forms WSME reads as true.
        for form in ("True", "true", "1"):
            ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                                 {"workflow_name": "rp_slow", "workflow_namespace": "rp"}))
            self.assertStatus(204, self.req("DELETE", "/v2/executions/%s?force=%s" % (ex["id"], form)))
            self.assertStatus(404, self.req("GET", "/v2/executions/" + ex["id"]))
        # all_projects=True (an admin's), and the report's flags.
        for form in ("True", "true", "1"):
            self.assertStatus(200, self.req("GET", "/v2/executions?all_projects=" + form, headers=ADMIN))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                             {"workflow_name": "rp_a", "workflow_namespace": "rp"}))
        self.wait_done(ex["id"])
        # WSME converts a bool argument with Python's bool(str): any text but
        # '' is true, "False" and "0" too (python-mistralclient sends True or
        # ''). Mistral 15 answers so.
        for form in ("True", "true", "1", "False", "0", "maybe", ""):
            report = self.assertStatus(200, self.req("GET", "/v2/executions/%s/report?statistics_only=%s"
                                                     % (ex["id"], form)))
            self.assertEqual(form != "", "root_workflow_execution" not in report, form)

    def test_typed_filters_as_wsme_reads_them(self):
        # Mistral 15's answers: a filter its controller types is converted
        # as that type, without an operator.
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "rp_a", "workflow_namespace": "rp", "description": "typed"}))
        self.wait_done(ex["id"])
        tasks = "/v2/tasks?workflow_execution_id=" + ex["id"]
        # bool(str): "false" is true, "" is false; the next link says eq:True.
        self.assertEqual(1, len(self.assertStatus(200, self.req("GET", tasks + "&processed=false"))["tasks"]))
        self.assertEqual(0, len(self.assertStatus(200, self.req("GET", tasks + "&processed="))["tasks"]))
        page = self.assertStatus(200, self.req("GET", "/v2/action_executions?accepted=true&limit=1"))
        self.assertIn("&accepted=eq:True&", page["next"] if "next" in page else "&accepted=eq:True&")
        # uuid arguments: the value is checked, an operator dropped.
        self.assertFault(400, self.req("GET", "/v2/executions?workflow_id=notuuid"),
                         "Invalid input for field/attribute workflow_id. Value: 'notuuid'. unable to convert to uuid. "
                         "Error: Expected a uuid but received notuuid.")
        self.assertFault(400, self.req("GET", "/v2/executions?task_execution_id=in:a,b"),
                         "Expected a uuid but received ['a', 'b'].")
        wf_id = ex["workflow_id"]
        self.assertEqual([ex["id"]], [e["id"] for e in self.assertStatus(200, self.req(
            "GET", "/v2/executions?workflow_id=eq:%s&fields=id&description=typed" % wf_id))["executions"]])
        # JSON arguments compare as JSON, whatever the blanks.
        for text in ('{"namespace": "rp", "env": {}}', '{"namespace":"rp","env":{}}'):
            found = self.assertStatus(200, self.req("GET", "/v2/executions?fields=id&description=typed&params="
                                                    + urllib.parse.quote(text)))
            self.assertEqual([ex["id"]], [e["id"] for e in found["executions"]], text)
        self.assertFault(400, self.req("GET", "/v2/executions?input=notjson"),
                         "Invalid input for field/attribute input. Value: 'notjson'. unable to convert to json. "
                         "Error: Expecting value: line 1 column 1 (char 0)")
        self.assertEqual(1, len(self.assertStatus(200, self.req("GET", tasks + "&published=%7B%7D"))["tasks"]))
        # An integer argument takes no operator.
        self.assertFault(400, self.req("GET", "/v2/cron_triggers?remaining_executions=gt:1"),
                         "Invalid input for field/attribute remaining_executions. Value: 'gt:1'. unable to convert to "
                         "integer. Error: invalid literal for int() with base 10: 'gt:1'")

    def test_repeated_and_ordered_arguments_as_wsme_converts_them(self):
        # Mistral 15's answers. pecan hands a repeated argument to WSME as
        # the list of its values: a typed one (int, uuid, json) cannot
        # convert it, a text one takes the last value.
        int_error = "int() argument must be a string, a bytes-like object or a real number, not 'list'"
        self.assertFault(400, self.req("GET", "/v2/workflows?limit=1&limit=2&limit=3"),
                         "Invalid input for field/attribute limit. Value: '['1', '2', '3']'. unable to convert to int. "
                         "Error: " + int_error)
        self.assertFault(400, self.req("GET", "/v2/workflows?marker=&marker="),
                         "Invalid input for field/attribute marker. Value: '['', '']'. unable to convert to uuid. "
                         "Error: Expected a uuid but received ['', ''].")
        self.assertFault(400, self.req("GET", "/v2/executions?task_execution_id=eq:x&task_execution_id=y"),
                         "Value: '['eq:x', 'y']'. unable to convert to uuid. Error: Expected a uuid but received "
                         "['eq:x', 'y'].")
        self.assertFault(400, self.req("GET", "/v2/executions?input=x&input=%7B%7D"),
                         "Invalid input for field/attribute input. Value: '['x', '{}']'. unable to convert to json. "
                         "Error: Expecting value: line 1 column 2 (char 1)")
        self.assertFault(400, self.req("GET", "/v2/cron_triggers?remaining_executions=1&remaining_executions=2"),
                         "Value: '['1', '2']'. unable to convert to integer. Error: " + int_error)
        self.assertFault(400, self.req("GET", "/v2/executions/%s/report?max_depth=1&max_depth=2"
                                       % "00000000-0000-0000-0000-000000000000"),
                         "Invalid input for field/attribute max_depth. Value: '['1', '2']'")
        names = self.assertStatus(200, self.req("GET", "/v2/workflows?name=rp_a&name=rp_b&fields=name"))
        self.assertEqual(["rp_b"], [w["name"] for w in names["workflows"]])
        # The arguments are converted in the order of the controller's
        # signature (pecan passes them positionally), before an unknown one
        # is refused.
        self.assertFault(400, self.req("GET", "/v2/workflows?limit=x&marker=y"),
                         "field/attribute marker. Value: 'y'")
        self.assertFault(400, self.req("GET", "/v2/workflows?bogus=1&limit=x"), "field/attribute limit. Value: 'x'")
        self.assertFault(400, self.req("GET", "/v2/executions?root_execution_id=x&task_execution_id=y"),
                         "field/attribute task_execution_id. Value: 'y'")
        self.assertFault(400, self.req("GET", "/v2/executions?input=x&limit=y"), "field/attribute limit. Value: 'y'")
        self.assertFault(400, self.req("GET", "/v2/executions?output=x&input=y"), "field/attribute input. Value: 'y'")
        self.assertFault(400, self.req("GET", "/v2/tasks?workflow_execution_id=x&workflow_id=y"),
                         "field/attribute workflow_id. Value: 'y'")

    def test_arguments_mistral_declares_without_a_column(self):
        # Mistral 15 declares them (a task's reset and env, an action
        # execution's task_name and params), converts them as WSME does,
        # checks the fields, then fails its query (500): Bora refuses them
        # there, naming the column that is missing.
        self.assertFault(400, self.req("GET", "/v2/tasks?env=x"),
                         "Invalid input for field/attribute env. Value: 'x'. unable to convert to json. "
                         "Error: Expecting value: line 1 column 1 (char 0)")
        self.assertFault(400, self.req("GET", "/v2/action_executions?params=x"),
                         "Invalid input for field/attribute params. Value: 'x'. unable to convert to json.")
        self.assertFault(400, self.req("GET", "/v2/tasks?fields=state,bogus&reset=false"),
                         "Some fields do not exist  [bogus]")
        for url, name in (("/v2/tasks?reset=false", "reset"), ("/v2/tasks?env=%7B%7D", "env"),
                          ("/v2/action_executions?task_name=t", "task_name"),
                          ("/v2/action_executions?params=%7B%7D", "params")):
            self.assertFault(400, self.req("GET", url), "Filter supplied is invalid: " + name + " (not a column of")

    def test_body_attributes_typed_as_wsme_reads_them(self):
        # Mistral 15's answers: text attributes take strings, bool ones
        # WSME's words or numbers, read-only ones nothing; a body error comes
        # before any lookup.
        nowhere = "/v2/tasks/9f5c4d8e-1b2a-4c3d-8e9f-0a1b2c3d4e5f"
        self.assertFault(400, self.req("PUT", nowhere, {}),
                         "Invalid input for field/attribute reset. Value: 'None'. Mandatory field missing.")
        self.assertFault(400, self.req("PUT", nowhere, {"reset": "x"}),
                         "Invalid input for field/attribute task. Value: '{'reset': 'x'}'. "
                         "Value not an unambiguous boolean: x")
        self.assertFault(400, self.req("PUT", nowhere, {"reset": 1.5}), "Value not an unambiguous boolean: 1.5")
        for word in ("yes", "f", "1", True, 0):
            self.assertFault(404, self.req("PUT", nowhere, {"reset": word, "state": "RUNNING"}),
                             "Task execution not found")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "nowhere", "project_id": "p"}),
                         "Invalid input for field/attribute project_id. Value: 'p'. Cannot set read only field.")
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "nowhere", "description": 5}),
                         "Invalid input for field/attribute description. Value: '5'. Wrong type.")
        self.assertFault(400, self.req("POST", "/v2/event_triggers", {"name": "a", "created_at": None}),
                         "Invalid input for field/attribute created_at. Value: 'None'. Cannot set read only field.")
        self.assertFault(400, self.req("POST", "/v2/action_executions", {"name": "std.noop", "accepted": "maybe"}),
                         "Invalid input for field/attribute action_ex. Value: '{'name': 'std.noop', 'accepted': "
                         "'maybe'}'. Value not an unambiguous boolean: maybe")

    def test_body_attributes_checked_in_the_resources_order(self):
        # Mistral 15's answers: WSME converts the attributes in the
        # resource's order, JSON ones included, before the method reads any
        # (its own checks, a lookup); a read-only one is refused whatever its
        # type; the scope's Enum cannot look a list up.
        self.assertFault(400, self.req("POST", "/v2/cron_triggers",
                                       {"name": "c", "workflow_name": "x", "pattern": "0 5 * * *",
                                        "workflow_input": "private", "scope": "true"}),
                         "Invalid input for field/attribute cron_trigger. Value: '{'name': 'c', 'workflow_name': 'x', "
                         "'pattern': '0 5 * * *', 'workflow_input': 'private', 'scope': 'true'}'. Expecting value: "
                         "line 1 column 1 (char 0)")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", {"workflow_params": "PAUSED"}),
                         "Expecting value: line 1 column 1 (char 0)")
        self.assertFault(400, self.req("POST", "/v2/event_triggers", {"topic": "t", "workflow_input": True}),
                         "Invalid input for field/attribute event_trigger. Value: '{'topic': 't', 'workflow_input': "
                         "True}'. the JSON object must be str, bytes or bytearray, not bool")
        self.assertFault(400, self.req("PUT", "/v2/environments", {"name": "rp_nowhere", "variables": "true"}),
                         "JsonType field value must be a dictionary [actual=True]")
        self.assertFault(400, self.req("POST", "/v2/environments", {"name": "e", "variables": "x", "id": None}),
                         "Invalid input for field/attribute env.")
        self.assertFault(400, self.req("POST", "/v2/environments", {"name": "e", "project_id": 1}),
                         "Invalid input for field/attribute project_id. Value: '1'. Cannot set read only field.")
        self.assertFault(400, self.req("POST", "/v2/environments", {"name": "e", "scope": [1]}),
                         "Invalid input for field/attribute scope. Value: '[1]'. unhashable type: 'list'")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", {"name": "c", "scope": {}}),
                         "Invalid input for field/attribute scope. Value: '{}'. unhashable type: 'dict'")
        # JsonType reads an empty text as JSON too; IntegerType is int();
        # an event trigger's workflow_id is Mistral's uuid type.
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "rp_a", "input": ""}),
                         "Invalid input for field/attribute wf_ex. Value: '{'workflow_name': 'rp_a', 'input': ''}'. "
                         "Expecting value: line 1 column 1 (char 0)")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", {"remaining_executions": "ERROR"}),
                         "Invalid input for field/attribute cron_trigger. Value: '{'remaining_executions': 'ERROR'}'. "
                         "invalid literal for int() with base 10: 'ERROR'")
        for workflow_id, shown in (("", ""), ("x", "x"), ("in:a,b", "['a', 'b']")):
            self.assertFault(400, self.req("POST", "/v2/event_triggers",
                                           {"name": "e", "workflow_id": workflow_id, "exchange": "a", "topic": "b",
                                            "event": "c", "scope": "nope"}),
                             "Expected a uuid but received %s." % shown)

    def test_numeric_strings_for_integer_fields(self):
        body = {"name": "rp_count", "workflow_name": "rp_cron_wf", "pattern": "0 0 1 1 *",
                "remaining_executions": "42"}
        trigger = self.assertStatus(201, self.req("POST", "/v2/cron_triggers", body))
        self.assertEqual(42, trigger["remaining_executions"])
        # Python's int(): a float is cut, a boolean is 0 or 1 (Mistral 15).
        for i, (given, count) in enumerate(((1.5, 1), (True, 1), (" 7 ", 7))):
            made = self.assertStatus(201, self.req("POST", "/v2/cron_triggers",
                                                   dict(body, name="rp_count%d" % i, remaining_executions=given)))
            self.assertEqual(count, made["remaining_executions"], given)
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", dict(body, name="rp_bad", remaining_executions=0.5)),
                         "Invalid input for field/attribute remaining_executions. Value: '0'. Value should be greater "
                         "or equal to 1")
        body = dict(body, name="rp_bad", remaining_executions="forty")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers", body), "remaining_executions")


if __name__ == "__main__":
    import unittest
    unittest.main()
