"""Regular expressions cannot take the server down (issue 12, findings 1
and 6): a long subject used to overflow std::regex's recursion (SIGSEGV,
replayed at every start by safe-rerun recovery), a catastrophic pattern
froze the engine. On PCRE2 with budgets the first is simply answered, the
second fails its task with a message naming the option, and everything
else keeps running."""

import json
import time
import unittest

from bora_server import BoraServer, BoraTestCase

WFS = """---
version: '2.0'
regex_long_subject:
  tasks:
    t:
      action: std.noop
      safe-rerun: true
      publish:
        x: <% regex('a*c').matches('a' * 100000) %>
        y: <% ('a' * 100000 + 'c') =~ 'a*c' %>
regex_catastrophic:
  tasks:
    t:
      action: std.noop
      publish:
        x: <% regex('(a+)+$').matches('a' * 30 + '!') %>
regex_catastrophic_input:
  tasks:
    t:
      action: std.echo output=<% ('a' * 30 + '!') =~ '(a+)+$' %>
regex_catastrophic_many:
  tasks:
    t:
      with-items: i in <% range(0, 50) %>
      action: std.echo output=<% regex('(a|aa)+$').search('a' * 40 + '!') %>
hello:
  tasks:
    t:
      action: std.echo output="hi"
      publish:
        said: <% task().result %>
"""


def tasks_of(case, ex_id):
    return case.assertStatus(200, case.req("GET", "/v2/tasks?workflow_execution_id=" + ex_id))["tasks"]


class RegexBudgetTest(BoraTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, body, _ = cls.server.request("POST", "/v2/workflows", WFS)
        assert status == 201, body

    def start(self, name):
        return self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": name}))

    def assert_hello_runs(self):
        started = time.time()
        done = self.wait_done(self.start("hello")["id"], timeout=10)
        self.assertEqual("SUCCESS", done["state"])
        self.assertEqual({"said": "hi"}, json.loads(done["output"]))
        self.assertLess(time.time() - started, 10)

    def test_long_subject_is_answered_and_survives_a_restart(self):
        ex = self.start("regex_long_subject")
        done = self.wait_done(ex["id"])
        self.assertEqual("SUCCESS", done["state"], done.get("state_info"))
        task = self.assertStatus(200, self.req("GET", "/v2/tasks/" + tasks_of(self, ex["id"])[0]["id"]))
        self.assertEqual({"x": False, "y": True}, json.loads(task["published"]))
        # Recovery at start used to run the crashing expression again.
        self.server.stop()
        self.server.start()
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        self.assert_hello_runs()

    def test_catastrophic_patterns_fail_their_task_with_the_option(self):
        for name in ("regex_catastrophic", "regex_catastrophic_input", "regex_catastrophic_many"):
            with self.subTest(workflow=name):
                started = time.time()
                ex = self.start(name)
                self.assert_hello_runs()  # while it runs, or after: the engine is not frozen
                done = self.wait_done(ex["id"], timeout=30)
                self.assertLess(time.time() - started, 30)
                self.assertEqual("ERROR", done["state"])
                tasks = tasks_of(self, ex["id"])
                self.assertEqual(["ERROR"], [t["state"] for t in tasks])
                info = tasks[0]["state_info"] or ""
                self.assertIn("needed more than 10000000 match steps", info)
                self.assertIn("[expressions] regex_match_limit", info)
                self.assertIn("regular expression '(a", info)
        status, _, _ = self.req("GET", "/v2/executions")
        self.assertEqual(200, status)


class RegexBudgetOptionTest(unittest.TestCase):
    """The limit is an option: a small one is reached sooner, and says so."""

    def test_configured_match_limit(self):
        server = BoraServer(env={"BORA_EXPRESSIONS_REGEX_MATCH_LIMIT": "5000"}).start()
        try:
            status, body, _ = server.request("POST", "/v2/workflows", WFS)
            self.assertEqual(201, status, body)
            status, ex, _ = server.request("POST", "/v2/executions", {"workflow_name": "regex_catastrophic"})
            self.assertEqual(201, status, ex)
            deadline = time.time() + 20
            while time.time() < deadline:
                status, done, _ = server.request("GET", "/v2/executions/" + ex["id"])
                if done["state"] not in ("RUNNING", "IDLE"):
                    break
                time.sleep(0.05)
            self.assertEqual("ERROR", done["state"])
            self.assertIn("more than 5000 match steps", done["state_info"])
        finally:
            server.cleanup()

    def test_bad_option_value_is_refused_at_start(self):
        server = BoraServer(env={"BORA_EXPRESSIONS_REGEX_TIME_LIMIT_MS": "soon"})
        try:
            with self.assertRaises(RuntimeError) as failure:
                server.start()
            self.assertIn("regex_time_limit_ms", str(failure.exception))
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
