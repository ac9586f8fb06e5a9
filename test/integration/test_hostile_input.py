"""Hostile input at every entry point (issue 12, findings 3 and 9): text that
is not UTF-8 is refused with its offset before anything is stored, output
of actions is stored readably, a damaged row never breaks a list, JSON
bodies refuse unknown attributes, time filters are checked, and slow or
silent clients cannot hold connections."""

import http.client
import http.server
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

from bora_server import OPEN_ADMIN_RULES, BoraServer, BoraTestCase

BAD_WF = b"version: '2.0'\nwf\xff:\n  tasks:\n    t:\n      action: std.noop\n"
FFFD = "\ufffd"


def raw_request(server, method, path, body=None, headers=None):
    """http.client with bytes anywhere (urllib refuses them in the path)."""
    host, port = server.url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", errors="replace")
        try:
            return resp.status, json.loads(data)
        except ValueError:
            return resp.status, data
    finally:
        conn.close()


class InvalidUtf8IsRefusedTest(BoraTestCase):
    policy = OPEN_ADMIN_RULES  # code sources and public definitions as a plain project
    def assertRefused(self, result, *needles):
        body = self.assertFault(400, result, "not valid UTF-8")
        for n in needles:
            self.assertIn(n, body["faultstring"])
        return body

    def assertNothingStored(self):
        for coll in ("workflows", "workbooks", "environments", "cron_triggers", "code_sources"):
            body = self.assertStatus(200, self.req("GET", "/v2/" + coll))
            for item in body[coll]:
                self.assertNotIn(FFFD, json.dumps(item, ensure_ascii=False), coll)

    def test_yaml_bodies_name_offset_line_and_column(self):
        for path in ("/v2/workflows", "/v2/workflows?scope=public", "/v2/workbooks", "/v2/actions",
                     "/v2/workflows/validate"):
            self.assertRefused(self.req("POST", path, BAD_WF), "byte 0xff at offset 17 (line 2, column 3)")
        self.assertRefused(self.req("PUT", "/v2/workflows", BAD_WF), "offset 17")
        desc = b"---\nversion: '2.0'\nwb:\n  description: caf\xe9\n  workflows: {}\n"
        self.assertRefused(self.req("POST", "/v2/workbooks", desc), "line 4")
        js = b"class A { }\n// \xc0\xaf\n"
        self.assertRefused(self.req("POST", "/v2/code_sources?name=cs", js), "offset 15")
        self.assertNothingStored()
        # Another project sees a healthy list.
        self.assertStatus(200, self.req("GET", "/v2/workflows", headers={"X-Project-Id": "other"}))

    def test_json_bodies_raw_bytes_refused_lone_surrogate_escapes_kept_in_values(self):
        env_raw = b'{"name": "e1", "description": "d\xff", "variables": "{}"}'
        self.assertRefused(self.req("POST", "/v2/environments", env_raw, content_type="application/json"),
                           "offset 32 (line 1, column 33)")
        # json.dumps writes a lone surrogate as the escape \udc00. Python's
        # json reads it as a str holding that character: Mistral keeps it in
        # a JSON value (variables, input) and gives it back; in a text
        # column its database fails (a 500), where Bora answers a 400.
        env = self.assertStatus(201, self.req("POST", "/v2/environments",
                                              {"name": "e2", "variables": {"k": "\udc00", "\udfff": "\ud800x"}}))
        self.assertEqual({"k": "\udc00", "\udfff": "\ud800x"}, json.loads(env["variables"]))
        got = self.assertStatus(200, self.req("GET", "/v2/environments/e2"))
        self.assertEqual({"k": "\udc00", "\udfff": "\ud800x"}, json.loads(got["variables"]))
        for path, body, field in (
                ("/v2/environments", {"name": "e3\ud800", "variables": {}}, "name"),
                ("/v2/environments", {"name": "e4", "description": "d\udfff", "variables": {}}, "description"),
                ("/v2/cron_triggers", {"name": "c\udc00", "workflow_name": "x", "pattern": "* * * * *"}, "name"),
                ("/v2/executions", {"workflow_name": "x", "tags": ["t\ud800"]}, "tags")):
            fault = self.assertFault(400, self.req("POST", path, body), "surrogates not allowed")
            self.assertIn("field/attribute " + field, fault["faultstring"])
        ad_hoc = self.assertStatus(201, self.req("POST", "/v2/action_executions",
                                                 {"name": "std.echo", "input": {"output": "\udc00"}}))
        self.assertEqual({"result": "\udc00"}, json.loads(ad_hoc["output"]))
        wf = ("version: '2.0'\nsur:\n  input: [a]\n  output:\n    o: <% $.a %>\n    n: <% len($.a) %>\n"
              "  tasks:\n    t:\n      action: std.noop\n")
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                             {"workflow_name": "sur", "input": json.dumps({"a": "\udc00\ud800"})}))
        ex = self.wait_done(ex["id"])
        self.assertEqual("SUCCESS", ex["state"], ex)
        self.assertEqual({"o": "\udc00\ud800", "n": 2}, json.loads(ex["output"]))
        self.assertStatus(200, self.req("GET", "/v2/executions"))
        self.assertStatus(200, self.req("GET", "/v2/action_executions"))

    def test_query_strings_are_checked_after_percent_decoding(self):
        self.assertRefused(self.req("GET", "/v2/workflows?name=%FF"), "query parameter 'name'")
        self.assertRefused(self.req("GET", "/v2/workflows?%C0%AF=1"), "query parameter name")
        ok = b"version: '2.0'\nwfq:\n  tasks:\n    t:\n      action: std.noop\n"
        self.assertRefused(self.req("POST", "/v2/workflows?namespace=ns%ED%A0%80", ok), "offset 2")
        self.assertRefused(self.req("POST", "/v2/code_sources?name=cs%FE", "class A {}"))
        self.assertNothingStored()

    def test_path_segments_and_headers(self):
        status, body = raw_request(self.server, "GET", "/v2/workflows/%FF")
        self.assertEqual(400, status, body)
        self.assertIn("path", body["faultstring"])
        status, body = raw_request(self.server, "GET", "/v2/workflows",
                                   headers={"X-Project-Id": b"proj\xff"})
        self.assertEqual(400, status, body)
        self.assertIn("x-project-id", body["faultstring"])
        status, body = raw_request(self.server, "GET", "/v2/workflows", headers={"Host": b"h\xfe:1"})
        self.assertEqual(400, status, body)

    def test_valid_non_ascii_text_still_works(self):
        wf = "version: '2.0'\nwf_é:\n  description: café €\n  tasks:\n    t:\n      action: std.noop\n"
        created = self.assertStatus(201, self.req("POST", "/v2/workflows", wf.encode()))
        self.assertEqual("wf_é", created["workflows"][0]["name"])
        env = self.assertStatus(201, self.req("POST", "/v2/environments",
                                              {"name": "env_😀", "variables": {"k": "\U0001F600"}}))
        self.assertEqual("env_😀", env["name"])
        got = self.assertStatus(200, self.req("GET", "/v2/workflows?name=" + urllib.parse.quote("wf_é")))
        self.assertEqual(1, len(got["workflows"]))


class _Stub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"binary \xff\xfe\x00 and latin-1 caf\xe9"
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class ActionOutputIsStoredReadablyTest(BoraTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stub = http.server.HTTPServer(("127.0.0.1", 0), _Stub)
        threading.Thread(target=cls.stub.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.stub.shutdown()
        cls.stub.server_close()
        super().tearDownClass()

    def run_wf(self, name, action):
        wf = ("version: '2.0'\n%s:\n  tasks:\n    t:\n      action: %s\n      publish:\n"
              "        got: <%% task().result %%>\n  output:\n    got: <%% $.got %%>\n" % (name, action))
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": name}))
        return self.wait_done(ex["id"])

    def assertListsReadable(self):
        for coll in ("executions", "tasks", "action_executions"):
            self.assertStatus(200, self.req("GET", "/v2/" + coll))

    def test_std_http_binary_body_becomes_replacement_characters(self):
        url = "http://127.0.0.1:%d/bin" % self.stub.server_address[1]
        ex = self.run_wf("http_bin", "std.http url='%s'" % url)
        self.assertEqual("SUCCESS", ex["state"], ex)
        content = json.loads(ex["output"])["got"]["content"]
        # What b'...'.decode('utf-8', errors='replace') shows.
        self.assertEqual(b"binary \xff\xfe\x00 and latin-1 caf\xe9".decode("utf-8", errors="replace"), content)
        self.assertListsReadable()

    def test_javascript_lone_surrogate_is_kept_and_stored_readably(self):
        # A JavaScript string holds a lone surrogate as Python's str does.
        ex = self.run_wf("js_sur", "std.javascript script='return \"a\" + String.fromCharCode(0xD800) + \"b\";'")
        self.assertEqual("SUCCESS", ex["state"], ex)
        self.assertEqual("a\ud800b", json.loads(ex["output"])["got"])
        self.assertListsReadable()


class DamagedRowsTest(BoraTestCase):
    """Rows written outside Bora (or by an older version) that cannot be
    decoded are left out of lists, and stay readable and deletable by id."""
    policy = OPEN_ADMIN_RULES  # code sources and public definitions as a plain project

    def create(self, name):
        wf = "version: '2.0'\n%s:\n  tasks:\n    t:\n      action: std.noop\n" % name
        return self.assertStatus(201, self.req("POST", "/v2/workflows?scope=public", wf))["workflows"][0]

    def db(self):
        path = self.server.db_url[len("sqlite:///"):]
        conn = sqlite3.connect(path, timeout=10)
        conn.text_factory = bytes
        return conn

    def test_bad_rows_are_skipped_and_removable(self):
        good = self.create("good_wf")
        bad_json = self.create("bad_json_wf")
        bad_text = self.create("bad_text_wf")
        env = self.assertStatus(201, self.req("POST", "/v2/environments", {"name": "env_bad", "variables": {}}))
        with self.db() as conn:
            conn.execute("UPDATE workflow_definitions_v2 SET spec = CAST(X'7b2261223a2022ff227d' AS TEXT) "
                         "WHERE id = ?", (bad_json["id"],))
            conn.execute("UPDATE workflow_definitions_v2 SET definition = CAST(X'7766ff0a' AS TEXT), "
                         "name = CAST(X'62616dff' AS TEXT) WHERE id = ?", (bad_text["id"],))
            conn.execute("UPDATE environments_v2 SET variables = 'not json' WHERE id = ?", (env["id"],))
        for project in (None, "another-project"):
            headers = {"X-Project-Id": project} if project else {}
            listed = self.assertStatus(200, self.req("GET", "/v2/workflows", headers=headers))["workflows"]
            ids = [w["id"] for w in listed]
            self.assertIn(good["id"], ids)
            self.assertNotIn(bad_json["id"], ids)
            # Text that is not UTF-8 is shown with U+FFFD, never breaks the answer.
            self.assertIn(bad_text["id"], ids)
            self.assertIn("bam" + FFFD, [w["name"] for w in listed])
        # A page is filled past a damaged row, so a full page still has its next link.
        page = self.assertStatus(200, self.req("GET", "/v2/workflows?limit=2&sort_keys=created_at"))
        self.assertEqual([good["id"], bad_text["id"]], [w["id"] for w in page["workflows"]])
        self.assertIn("next", page)
        self.assertStatus(200, self.req("GET", "/v2/environments"))
        self.assertIn(bad_json["id"], self.server.logs())
        self.assertIn(env["id"], self.server.logs())
        # By id: readable, and removable.
        self.assertStatus(200, self.req("GET", "/v2/workflows/" + bad_json["id"]))
        self.assertStatus(200, self.req("GET", "/v2/environments/env_bad"))
        self.assertStatus(204, self.req("DELETE", "/v2/workflows/" + bad_json["id"]))
        self.assertStatus(204, self.req("DELETE", "/v2/workflows/" + bad_text["id"]))
        self.assertStatus(204, self.req("DELETE", "/v2/environments/env_bad"))
        listed = self.assertStatus(200, self.req("GET", "/v2/workflows"))["workflows"]
        self.assertEqual([good["id"]], [w["id"] for w in listed if w["id"] in
                                         (good["id"], bad_json["id"], bad_text["id"])])


    def test_damaged_executions_tasks_and_actions(self):
        wf = "version: '2.0'\nex_wf:\n  tasks:\n    t:\n      action: std.echo output=1\n"
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        ids = []
        for _ in range(3):
            ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "ex_wf"}))
            self.wait_done(ex["id"])
            ids.append(ex["id"])
        damaged = ids[1]
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % damaged))["tasks"][0]
        action = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))
        action = action["action_executions"][0]
        with self.db() as conn:
            for col in ("input", "output", "params", "context", "spec", "runtime_context"):
                conn.execute("UPDATE workflow_executions_v2 SET %s = CAST(X'7bff' AS TEXT) WHERE id = ?" % col,
                             (damaged,))
            for col in ("spec", "runtime_context", "in_context", "next_tasks"):
                conn.execute("UPDATE task_executions_v2 SET %s = '[' WHERE id = ?" % col, (task["id"],))
            for col in ("input", "output", "spec", "runtime_context"):
                conn.execute("UPDATE action_executions_v2 SET %s = '{' WHERE id = ?" % col, (action["id"],))
        listed = self.assertStatus(200, self.req("GET", "/v2/executions"))["executions"]
        self.assertEqual(sorted(set(ids) - {damaged}), sorted(e["id"] for e in listed if e["id"] in ids))
        self.assertNotIn(task["id"], [t["id"] for t in self.assertStatus(200, self.req("GET", "/v2/tasks"))["tasks"]])
        self.assertNotIn(action["id"], [a["id"] for a in self.assertStatus(
            200, self.req("GET", "/v2/action_executions"))["action_executions"]])
        self.assertStatus(200, self.req("GET", "/v2/executions/" + damaged))
        self.assertStatus(200, self.req("GET", "/v2/tasks/" + task["id"]))
        self.assertStatus(200, self.req("GET", "/v2/action_executions/" + action["id"]))
        self.assertStatus(204, self.req("DELETE", "/v2/executions/" + damaged))
        self.assertFault(404, self.req("GET", "/v2/executions/" + damaged))


class RequestShapeTest(BoraTestCase):
    policy = OPEN_ADMIN_RULES  # code sources and public definitions as a plain project
    # Members without Keystone: projects from X-Project-Id may share.
    config_text = "[api]\nresource_sharing_without_auth = true\n"
    def test_unknown_body_attributes_are_refused_as_wsme_does(self):
        self.assertFault(400, self.req("POST", "/v2/action_executions", {"name": "std.noop", "bogus": 1}),
                         "Unknown attribute for argument action_ex: bogus")
        self.assertEqual([], self.assertStatus(200, self.req("GET", "/v2/action_executions"))["action_executions"])
        self.assertFault(400, self.req("POST", "/v2/executions", {"workflow_name": "x", "zz": 1, "aa": 2}),
                         "Unknown attributes for argument wf_ex: aa, zz")
        self.assertFault(400, self.req("POST", "/v2/environments", {"name": "e", "variables": {}, "vars": 1}),
                         "Unknown attribute for argument env: vars")
        self.assertFault(400, self.req("POST", "/v2/cron_triggers",
                                       {"name": "c", "workflow_name": "w", "patern": "* * * * *"}),
                         "Unknown attribute for argument cron_trigger: patern")
        self.assertFault(400, self.req("POST", "/v2/event_triggers", {"name": "t", "queue": "q"}),
                         "Unknown attribute for argument event_trigger: queue")
        self.assertFault(400, self.req("POST", "/v2/dynamic_actions", {"name": "d", "class": "C"}),
                         "Unknown attribute for argument dyn_action: class")
        self.assertFault(400, self.req("PUT", "/v2/tasks/nope", {"state": "RUNNING", "rest": True}),
                         "Unknown attribute for argument task: rest")
        # Declared attributes are still accepted.
        self.assertStatus(201, self.req("POST", "/v2/environments",
                                        {"name": "e_ok", "variables": {}, "description": "d", "scope": "private"}))
        self.assertStatus(201, self.req("POST", "/v2/action_executions",
                                        {"name": "std.noop", "input": {}, "description": "d", "params": {}}))

    def test_members_take_no_query_parameters(self):
        wf = "version: '2.0'\nshared_wf:\n  tasks:\n    t:\n      action: std.noop\n"
        wf_id = self.assertStatus(201, self.req("POST", "/v2/workflows", wf))["workflows"][0]["id"]
        base = "/v2/workflows/%s/members" % wf_id
        self.assertStatus(201, self.req("POST", base, {"member_id": "p2"}))
        self.assertEqual(1, len(self.assertStatus(200, self.req("GET", base))["members"]))
        for q in ("?limit=1", "?member_id=zz", "?sort_keys=created_at", "?fields=id"):
            self.assertFault(400, self.req("GET", base + q), "Unknown argument: \"")
        self.assertFault(400, self.req("GET", base + "/p2?x=1"), "Unknown argument: \"x\"")
        self.assertFault(400, self.req("POST", base, {"member_id": "p3", "statu": "accepted"}),
                         "Unknown attribute for argument member_info: statu")

    def test_time_filters_must_be_times_on_every_list(self):
        for coll in ("actions", "workflows", "workbooks", "executions", "tasks", "action_executions",
                     "environments", "cron_triggers", "event_triggers", "code_sources", "dynamic_actions"):
            for q in ("created_at=gt:not a date", "updated_at=2024-13-45", "created_at=in:2024-01-01 00:00:00,x"):
                self.assertFault(400, self.req("GET", "/v2/%s?%s" % (coll, q.replace(" ", "%20"))),
                                 "expected a UTC time")
            self.assertStatus(200, self.req("GET", "/v2/%s?created_at=gte:2020-01-01%%2000:00:00" % coll))
        self.assertFault(400, self.req("GET", "/v2/tasks?started_at=lt:yesterday"), "started_at")
        self.assertFault(400, self.req("GET", "/v2/cron_triggers?next_execution_time=soon"), "next_execution_time")


class QueryArgumentsTest(BoraTestCase):
    """The query arguments of Mistral's WSME-exposed methods (api/query_args.h)."""

    def test_single_resources_take_only_their_declared_arguments(self):
        # WSME reads a wsexpose'd method's arguments before the method runs:
        # an undeclared one is refused before any lookup, and nothing is stored.
        # Expected answers: Mistral 15's.
        wf = "version: '2.0'\nargs_wf:\n  tasks:\n    t:\n      action: std.noop\n"
        self.assertStatus(201, self.req("POST", "/v2/workflows?foo=1", wf))  # plain pecan: ignored
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "args_wf"}))
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        unknown = 'Unknown argument: "foo"'
        for method, path, body in (
                ("GET", "/v2/executions/%s?foo=bar" % ex["id"], None),
                ("PUT", "/v2/executions/%s?foo=1" % ex["id"], {"description": "x"}),
                ("DELETE", "/v2/executions/%s?foo=1" % ex["id"], None),
                ("POST", "/v2/executions?foo=1", {"workflow_name": "args_wf"}),
                ("GET", "/v2/workflows/nope?foo=1", None),
                ("DELETE", "/v2/workflows/args_wf?foo=1", None),
                ("GET", "/v2/environments/nope?foo=1", None),
                ("POST", "/v2/environments?foo=1", {"name": "env_foo", "variables": {}}),
                ("GET", "/v2/actions/std.echo?foo=1", None),
                ("GET", "/v2/cron_triggers/nope?foo=1", None),
                ("GET", "/v2/services?foo=1", None),
                ("GET", "/v2/executions/%s/report?foo=1" % ex["id"], None),
                ("GET", "/v2/executions/%s/executions?foo=1" % ex["id"], None)):
            self.assertFault(400, self.req(method, path, body), unknown)
        self.assertFault(404, self.req("GET", "/v2/environments/env_foo"))
        self.assertEqual(1, len(self.assertStatus(200, self.req(
            "GET", "/v2/executions?workflow_name=args_wf"))["executions"]))
        # Declared ones are taken; a path's uuid argument is checked first.
        self.assertEqual("args_wf", self.assertStatus(200, self.req("GET", "/v2/workflows/args_wf?namespace="))["name"])
        self.assertFault(400, self.req("GET", "/v2/event_triggers/notauuid?foo=1"),
                         "Invalid input for field/attribute id. Value: 'notauuid'. unable to convert to uuid. "
                         "Error: Expected a uuid but received notauuid.")
        self.assertFault(400, self.req("GET", "/v2/executions/notauuid/report"),
                         "Invalid input for field/attribute workflow_execution_id. Value: 'notauuid'.")
        self.assertFault(400, self.req("GET", "/v2/tasks/notauuid/executions"),
                         "Invalid input for field/attribute id. Value: 'notauuid'.")
        self.assertFault(400, self.req("GET", "/v2/executions/notauuid/tasks"),
                         "Invalid input for field/attribute workflow_execution_id. Value: 'notauuid'.")
        # int arguments are Python's int(str).
        self.assertFault(400, self.req("GET", "/v2/executions/%s/report?max_depth=1.5" % ex["id"]),
                         "Invalid input for field/attribute max_depth. Value: '1.5'. unable to convert to int. "
                         "Error: invalid literal for int() with base 10: '1.5'")
        self.assertStatus(200, self.req("GET", "/v2/executions/%s/report?max_depth=%%201" % ex["id"]))
        self.assertStatus(200, self.req("GET", "/v2/executions?limit=%201_0"))
        # bool arguments are Python's bool(str): any text but '' is true.
        report = "/v2/executions/%s/report" % ex["id"]
        for flag in ("errors_only=false", "errors_only=0", "errors_only=maybe", "errors_only=True"):
            self.assertEqual([], self.assertStatus(200, self.req("GET", report + "?" + flag))[
                "root_workflow_execution"]["task_executions"], flag)
        self.assertEqual(1, len(self.assertStatus(200, self.req("GET", report + "?errors_only="))[
            "root_workflow_execution"]["task_executions"]))
        listed = self.assertStatus(200, self.req("GET", "/v2/executions?workflow_name=args_wf&include_output=false"))
        self.assertIn("output", listed["executions"][0])
        # A task's action execution under its task (TasksActionExecutionController.get).
        task = self.assertStatus(200, self.req("GET", "/v2/executions/%s/tasks" % ex["id"]))["tasks"][0]
        action = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions" % task["id"]))[
            "action_executions"][0]
        got = self.assertStatus(200, self.req("GET", "/v2/tasks/%s/action_executions/%s" % (task["id"], action["id"])))
        self.assertEqual((action["id"], "std.noop", {"result": None}), (got["id"], got["name"], json.loads(got["output"])))
        self.assertFault(400, self.req("GET", "/v2/tasks/%s/action_executions/%s?foo=1" % (task["id"], action["id"])),
                         unknown)


class CommandLineFilesTest(unittest.TestCase):
    """bora validate and bora run read files and arguments, not requests:
    the same check, with the file's line and column."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="bora-utf8-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def bora(self, *args):
        binary = os.environ.get("BORA_BINARY", "bora").encode()
        return subprocess.run([binary] + list(args), capture_output=True, timeout=60, cwd=self.tmp)

    def test_validate_and_run_refuse_bytes_that_are_not_utf8(self):
        path = os.path.join(self.tmp, "bad.yaml")
        with open(path, "wb") as f:
            f.write(BAD_WF)
        for cmd in ("validate", "run"):
            p = self.bora(cmd.encode(), path.encode())
            self.assertNotEqual(0, p.returncode)
            err = (p.stdout + p.stderr).decode(errors="replace")
            self.assertIn("not valid UTF-8", err, cmd)
            self.assertIn("2:3", err.replace("line 2, column 3", "2:3"), cmd)
        good = os.path.join(self.tmp, "good.yaml")
        with open(good, "wb") as f:
            f.write(b"version: '2.0'\nwf:\n  input: [x]\n  tasks:\n    t:\n      action: std.echo output=<% $.x %>\n")
        p = self.bora(b"run", good.encode(), b"x=caf\xff")
        self.assertEqual(2, p.returncode, p.stderr)
        self.assertIn(b"not valid UTF-8", p.stderr)
        p = self.bora(b"run", good.encode(), "x=café".encode())
        self.assertEqual(0, p.returncode, p.stderr)


class ConnectionLimitsTest(unittest.TestCase):
    """Short limits, so that the test is quick; the defaults are documented
    in config/bora.conf."""

    @classmethod
    def setUpClass(cls):
        cls.server = BoraServer(("--log-level", "warning"), env={
            "BORA_API_HEADER_READ_TIMEOUT": "1", "BORA_API_BODY_READ_TIMEOUT": "1",
            "BORA_API_KEEPALIVE_TIMEOUT": "2", "BORA_API_MAX_CONNECTIONS": "20"}).start()
        cls.host, port = cls.server.url.split("//")[1].split("/")[0].split(":")
        cls.port = int(port)

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def connect(self):
        return socket.create_connection((self.host, self.port), timeout=10)

    def read_all(self, s):
        data = b""
        while True:
            try:
                c = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not c:
                break
            data += c
        return data

    def assertServing(self):
        status, _, _ = self.server.request("GET", "/v2/")
        self.assertEqual(200, status)

    def test_body_shorter_than_content_length_gets_408_quickly(self):
        with self.connect() as s:
            s.sendall(b"POST /v2/environments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100\r\n\r\n{\"name\": ")
            t0 = time.time()
            reply = self.read_all(s)
            elapsed = time.time() - t0
        self.assertTrue(reply.startswith(b"HTTP/1.1 408"), reply[:200])
        self.assertIn(b"body_read_timeout", reply)
        self.assertLess(elapsed, 8)
        self.assertServing()

    def test_slowloris_headers_are_cut_and_connections_capped(self):
        socks = []
        try:
            for _ in range(30):
                s = self.connect()
                s.sendall(b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                socks.append(s)
            t0 = time.time()
            replies = [self.read_all(s) for s in socks]
            elapsed = time.time() - t0
        finally:
            for s in socks:
                s.close()
        refused = [r for r in replies if r.startswith(b"HTTP/1.1 503")]
        timed_out = [r for r in replies if r.startswith(b"HTTP/1.1 408")]
        self.assertGreaterEqual(len(refused), 10, replies[:3])
        self.assertIn(b"max_connections", refused[0])
        self.assertIn(b"Retry-After", refused[0])
        self.assertEqual(30, len(refused) + len(timed_out), [r[:40] for r in replies])
        self.assertLess(elapsed, 15)
        time.sleep(0.5)
        self.assertServing()

    def test_idle_keepalive_connection_is_closed(self):
        with self.connect() as s:
            s.sendall(b"GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n")
            first = s.recv(65536)
            self.assertTrue(first.startswith(b"HTTP/1.1 200"), first)
            t0 = time.time()
            rest = self.read_all(s)
            elapsed = time.time() - t0
        self.assertEqual(b"", rest)
        self.assertGreater(elapsed, 1)
        self.assertLess(elapsed, 8)


if __name__ == "__main__":
    unittest.main()
