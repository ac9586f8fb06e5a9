"""Hostile nesting over HTTP (issue 12, findings 2 and 7): expressions and
templates nested past [expressions] max_depth, deep JSON, values built
deeper at run time, and billion-laughs YAML. Each is refused (400 for
create, valid=false for validate, as Mistral answers) with the limit, the
path and line:column, fast, and the server still answers afterwards."""

import json
import re
import time
import unittest

from bora_server import BoraTestCase

LIMIT = "nested deeper than 200 levels"
LINE_COL = re.compile(r"\b\d+:\d+: ")


def workflow(value, name="deep"):
    # The hostile value is the publish of task t, on line 7.
    return ("version: '2.0'\n%s:\n  tasks:\n    t:\n      action: std.noop\n      publish:\n"
            "        x: %s\n" % (name, json.dumps(value)))


HOSTILE = {
    "jinja_not": "{{ " + "not " * 100000 + "1 }}",
    "jinja_minus": "{{ " + "- " * 200000 + "1 }}",
    "jinja_filters": "{{ 1" + "|abs" * 100000 + " }}",
    "jinja_plus_chain": "{{ 1" + " + 1" * 100000 + " }}",
    "jinja_if_blocks": "{% if true %}" * 10000 + "x" + "{% endif %}" * 10000,
    "jinja_for_blocks": "{% for i in [1] %}" * 10000 + "x" + "{% endfor %}" * 10000,
    "yaql_not": "<% " + "not " * 100000 + "true %>",
    "yaql_minus": "<% " + "-" * 200000 + "1 %>",
    "yaql_dots": "<% $" + ".a" * 100000 + " %>",
    "yaql_parens": "<% " + "(" * 100000 + "1" + ")" * 100000 + " %>",
}


class NestingLimitsTest(BoraTestCase):

    def assertAlive(self):
        self.assertStatus(200, self.req("GET", "/v2/workflows"), "server must still answer")

    def assertLimitMessage(self, text, path):
        self.assertIn(LIMIT, text)
        self.assertIn("[expressions] max_depth", text)
        self.assertIn(path, text)
        self.assertRegex(text, LINE_COL)
        self.assertLess(len(text), 2000, "the message must not echo the whole hostile expression")

    def test_hostile_expressions_in_workflows(self):
        for label, value in HOSTILE.items():
            with self.subTest(label):
                start = time.time()
                body = self.assertStatus(200, self.req("POST", "/v2/workflows/validate", workflow(value)))
                self.assertFalse(body["valid"])
                self.assertLimitMessage(body["error"], "deep.tasks.t.publish.x")
                body = self.assertFault(400, self.req("POST", "/v2/workflows", workflow(value)))
                self.assertLimitMessage(body["faultstring"], "deep.tasks.t.publish.x")
                self.assertIn("7:", body["faultstring"])  # the line of the value
                self.assertLess(time.time() - start, 10)
                self.assertAlive()
        # Nothing half-stored.
        self.assertStatus(404, self.req("GET", "/v2/workflows/deep"))

    def test_hostile_expressions_in_workbooks_and_actions(self):
        value = HOSTILE["jinja_not"]
        wb = ("version: '2.0'\nname: wbdeep\nworkflows:\n  w:\n    tasks:\n      t:\n        action: std.noop\n"
              "        publish:\n          x: %s\n" % json.dumps(value))
        body = self.assertFault(400, self.req("POST", "/v2/workbooks", wb))
        self.assertLimitMessage(body["faultstring"], "publish.x")
        body = self.assertStatus(200, self.req("POST", "/v2/workbooks/validate", wb))
        self.assertFalse(body["valid"])
        self.assertIn(LIMIT, body["error"])
        action = ("version: '2.0'\ndeep_action:\n  base: std.echo\n  base-input:\n    output: %s\n"
                  % json.dumps(HOSTILE["yaql_not"]))
        body = self.assertFault(400, self.req("POST", "/v2/actions", action))
        self.assertLimitMessage(body["faultstring"], "base-input.output")
        self.assertAlive()

    def test_sane_nesting_is_accepted(self):
        value = "{{ " + "not " * 20 + "true }}"
        self.assertStatus(201, self.req("POST", "/v2/workflows", workflow(value, "sane")))

    def test_deep_json_input_is_refused(self):
        self.assertStatus(201, self.req("POST", "/v2/workflows", workflow("<% $.x %>", "echo_input")
                                        .replace("  tasks:", "  input: [x]\n  tasks:")))
        deep = "[" * 100000 + "]" * 100000
        body = '{"workflow_name": "echo_input", "input": "{\\"x\\": %s}"}' % deep
        status, reply, _ = self.req("POST", "/v2/executions", body, content_type="application/json")
        self.assertEqual(400, status, reply)
        raw = '{"workflow_name": "echo_input", "input": {"x": %s}}' % deep
        status, reply, _ = self.req("POST", "/v2/executions", raw, content_type="application/json")
        self.assertEqual(400, status, reply)
        self.assertIn("nested deeper than 1000", json.dumps(reply))
        self.assertAlive()

    def test_value_built_deeper_at_run_time_fails_the_task(self):
        for name, expr in (("grow_yaql", "<% range(100000).reduce([$1], []) %>"),
                           ("grow_jinja", "{{ [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[$.x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] }}"
                            .replace("$.x", "_.x"))):
            with self.subTest(name):
                wf = workflow(expr, name).replace("  tasks:", "  input: [x]\n  tasks:")
                self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
                x = "[" * 980 + "]" * 980  # text: Python's json recurses per level
                ex = self.assertStatus(201, self.req("POST", "/v2/executions",
                                                     {"workflow_name": name, "input": '{"x": %s}' % x}))
                done = self.wait_done(ex["id"], timeout=60)
                self.assertEqual("ERROR", done["state"], done)
                self.assertIn("nested deeper than 1000 levels", done.get("state_info") or "")
                self.assertAlive()

    def test_billion_laughs_is_text_read_fast(self):
        # Mistral's loader (mistral.utils.safe_yaml) reads `&` and `*` as
        # plain text, and so does Bora for a definition: nothing expands,
        # each line is a string (refused: not a workflow), at once.
        bomb = "version: '2.0'\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in range(1, 12):
            prev = "*a%d" % (i - 1)
            bomb += "lol%d: &a%d [%s]\n" % (i, i, ", ".join([prev] * 9))
        rss_before = self.rss_kib()
        for route in ("/v2/workflows", "/v2/workbooks", "/v2/actions"):
            with self.subTest(route):
                start = time.time()
                status, body, _ = self.req("POST", route, bomb)
                elapsed = time.time() - start
                self.assertEqual(400, status, body)
                self.assertNotIn("YAML nodes", body["faultstring"])
                if route == "/v2/workflows":
                    self.assertIn("'&a1 [*a0, *a0, ", body["faultstring"])
                self.assertLess(elapsed, 0.5)
        # What the three requests added to the server's resident memory (an
        # expansion would need terabytes). Not the whole: the sanitizer
        # build's binary and shadow memory alone are most of 150 MiB.
        grown = self.rss_kib() - rss_before
        self.assertLess(grown, 64 * 1024, "resident memory grew by %d KiB with billion laughs" % grown)
        self.assertAlive()

    def rss_kib(self):
        with open("/proc/%d/status" % self.server.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0




class ConfiguredDepthTest(BoraTestCase):
    """[expressions] max_depth is read by bora server (here from the
    environment, BORA_EXPRESSIONS_MAX_DEPTH) and named in the refusal."""

    @classmethod
    def setUpClass(cls):
        from bora_server import BoraServer
        cls.server = BoraServer(env={"BORA_EXPRESSIONS_MAX_DEPTH": "20"}).start()

    def test_lower_limit_applies(self):
        body = self.assertFault(400, self.req("POST", "/v2/workflows", workflow("{{ " + "not " * 30 + "true }}")))
        self.assertIn("nested deeper than 20 levels", body["faultstring"])
        self.assertStatus(201, self.req("POST", "/v2/workflows", workflow("<% " + "not " * 10 + "true %>", "ok")))

    def test_out_of_range_value_is_refused_at_start(self):
        from bora_server import BoraServer
        bad = BoraServer(env={"BORA_EXPRESSIONS_MAX_DEPTH": "100000"})
        try:
            with self.assertRaises(RuntimeError) as e:
                bad.start()
            self.assertIn("[expressions] max_depth must be between 1 and 1000", str(e.exception))
        finally:
            bad.cleanup()


if __name__ == "__main__":
    unittest.main()
