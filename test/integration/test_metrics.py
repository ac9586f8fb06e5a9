"""GET /metrics: Prometheus' text format, checked by `promtool check metrics`
(Debian's prometheus package) and by a strict parser here, with values that
move by what the test did: executions started and finished (success,
failure, with-items), task transitions, actions and their latency, HTTP
requests by route template, a cron trigger firing; the process and database
figures; [metrics] listen (a port of its own), require_auth, enabled and
max_label_values."""
import http.client
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from bora_server import BoraServer, BoraTestCase

PROMTOOL = shutil.which("promtool")

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')


def unescape(value):
    return re.sub(r'\\(.)', lambda m: "\n" if m.group(1) == "n" else m.group(1), value)


def parse_metrics(test, text):
    """{(name, ((label, value), ...)): float}, checking the format as it goes:
    HELP and TYPE before a family's samples, known types, every sample in a
    declared family, histogram buckets cumulative up to +Inf == _count."""
    types, samples = {}, {}
    test.assertTrue(text.endswith("\n"), "the text must end with a newline")
    for line in text.splitlines():
        test.assertTrue(line, "no empty lines")
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            test.assertIn(kind, ("counter", "gauge", "histogram"), line)
            test.assertNotIn(name, types, "TYPE given twice: " + line)
            types[name] = kind
            continue
        m = SAMPLE.match(line)
        test.assertIsNotNone(m, "not a sample line: %r" % line)
        name, labels_text, value = m.group(1), m.group(3) or "", m.group(4)
        labels, pos = [], 0
        while pos < len(labels_text):
            lm = LABEL.match(labels_text, pos)
            test.assertIsNotNone(lm, "bad labels: %r" % line)
            labels.append((lm.group(1), unescape(lm.group(2))))
            pos = lm.end()
        family = re.sub(r'_(bucket|sum|count)$', "", name)
        test.assertTrue(name in types or types.get(family) == "histogram", "sample of no family: " + line)
        key = (name, tuple(sorted(labels)))
        test.assertNotIn(key, samples, "sample given twice: " + line)
        samples[key] = float(value)
    for name, kind in types.items():
        if kind != "histogram":
            continue
        series = {}
        for (n, labels), v in samples.items():
            if n == name + "_bucket":
                rest = tuple(l for l in labels if l[0] != "le")
                le = dict(labels)["le"]
                series.setdefault(rest, []).append((float(le), v))
        for rest, buckets in series.items():
            buckets.sort()
            counts = [v for _, v in buckets]
            test.assertEqual(counts, sorted(counts), "buckets must be cumulative: %s %s" % (name, rest))
            test.assertEqual(float("inf"), buckets[-1][0])
            test.assertEqual(counts[-1], samples[(name + "_count", rest)])
            test.assertIn((name + "_sum", rest), samples)
    return types, samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def http_get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode(), dict(resp.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def root_of(server):
    return server.url[: -len("/v2")]


OK_WF = """---
version: '2.0'
m_ok:
  tasks:
    t1:
      action: std.echo output="hi"
"""

FAIL_WF = """---
version: '2.0'
m_fail:
  tasks:
    t1:
      action: std.fail
"""

ITEMS_WF = """---
version: '2.0'
m_items:
  tasks:
    t1:
      with-items: x in [1, 2, 3]
      action: std.echo output=<% $.x %>
"""


class MetricsTest(BoraTestCase):
    def scrape(self, check_with_promtool=True):
        status, text, headers = http_get(root_of(self.server) + "/metrics")
        self.assertEqual(200, status, text)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers)
        if check_with_promtool and PROMTOOL:
            p = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True,
                               timeout=60)
            self.assertEqual(0, p.returncode, "promtool check metrics:\n%s%s" % (p.stdout, p.stderr))
        return parse_metrics(self, text)[1]

    def define(self, text):
        self.assertStatus(201, self.req("POST", "/v2/workflows", text, content_type="text/plain"))

    def run_wf(self, name, expect):
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": name}))
        self.assertEqual(expect, self.wait_done(ex["id"])["state"])

    @unittest.skipIf(PROMTOOL is None, "promtool is absent (Debian package prometheus): "
                                       "scripts/install-deps.sh --with-test installs it")
    def test_promtool_accepts_the_text_after_work(self):
        self.define(OK_WF.replace("m_ok", "m_promtool"))
        self.run_wf("m_promtool", "SUCCESS")
        self.scrape(check_with_promtool=True)

    def test_values_move_by_the_work_done(self):
        for wf in (OK_WF, FAIL_WF, ITEMS_WF):
            self.define(wf)
        before = self.scrape()
        self.run_wf("m_ok", "SUCCESS")
        self.run_wf("m_ok", "SUCCESS")
        self.run_wf("m_fail", "ERROR")
        self.run_wf("m_items", "SUCCESS")
        after = self.scrape()

        def delta(name, **labels):
            return value(after, name, **labels) - value(before, name, **labels)

        started = "bora_workflow_executions_started_total"
        finished = "bora_workflow_executions_finished_total"
        self.assertEqual(2, delta(started, workflow="m_ok"))
        self.assertEqual(1, delta(started, workflow="m_fail"))
        self.assertEqual(1, delta(started, workflow="m_items"))
        self.assertEqual(2, delta(finished, workflow="m_ok", state="SUCCESS"))
        self.assertEqual(1, delta(finished, workflow="m_fail", state="ERROR"))
        self.assertEqual(0, delta(finished, workflow="m_fail", state="SUCCESS"))
        self.assertEqual(1, delta(finished, workflow="m_items", state="SUCCESS"))
        # Four tasks, each created RUNNING; three succeeded, one failed.
        self.assertEqual(4, delta("bora_task_transitions_total", **{"from": "NONE", "to": "RUNNING"}))
        self.assertEqual(3, delta("bora_task_transitions_total", **{"from": "RUNNING", "to": "SUCCESS"}))
        self.assertEqual(1, delta("bora_task_transitions_total", **{"from": "RUNNING", "to": "ERROR"}))
        # Two echoes, three items of echo, one fail.
        self.assertEqual(5, delta("bora_actions_total", action="std.echo", outcome="success"))
        self.assertEqual(1, delta("bora_actions_total", action="std.fail", outcome="error"))
        self.assertEqual(5, delta("bora_action_duration_seconds_count", action="std.echo"))
        # Requests by route template, never by path (no execution id as a label).
        self.assertEqual(4, delta("bora_http_requests_total", method="POST", route="/v2/executions", status="201"))
        self.assertGreaterEqual(delta("bora_http_requests_total", method="GET", route="/v2/executions/{id}",
                                      status="200"), 4)
        self.assertEqual(4, delta("bora_http_request_duration_seconds_count", method="POST", route="/v2/executions"))
        self.assertGreaterEqual(delta("bora_http_requests_total", method="GET", route="/metrics", status="200"), 1)
        for (name, labels) in after:
            for _, v in labels:
                self.assertIsNone(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-.*", v), "an id as a label: %s %s" %
                                  (name, labels))
        # The engine applied batches and committed them.
        self.assertGreater(delta("bora_engine_batch_size_count"), 0)
        self.assertGreater(delta("bora_database_commit_duration_seconds_count"), 0)
        self.assertEqual(0, value(after, "bora_engine_queue_depth"))
        self.assertIn(("bora_engine_actions_running", ()), after)
        self.assertEqual(0, value(after, "bora_delayed_calls_overdue"))
        self.assertIn(("bora_delayed_calls_due", ()), after)

    def wait_for_value(self, name, wanted, seconds=10):
        deadline = time.time() + seconds
        while True:
            got = value(self.scrape(check_with_promtool=False), name)
            if wanted(got) or time.time() > deadline:
                return got
            time.sleep(0.05)

    def test_event_stream_subscribers_and_pending_notifications(self):
        # An SSE subscriber counts while it is connected.
        host, port = root_of(self.server)[len("http://"):].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/v2/events", headers={"Accept": "text/event-stream"})
        stream = conn.getresponse()  # kept: the socket closes with it
        self.assertEqual(200, stream.status)
        self.assertEqual(1, self.wait_for_value("bora_event_stream_subscribers", lambda v: v == 1))
        stream.close()
        conn.close()
        self.assertEqual(0, self.wait_for_value("bora_event_stream_subscribers", lambda v: v == 0))
        # A webhook nobody answers: its events wait in the outbox, retried.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            dead = s.getsockname()[1]
        self.define(OK_WF.replace("m_ok", "m_notify"))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {
            "workflow_name": "m_notify",
            "params": {"notify": [{"type": "webhook", "url": "http://127.0.0.1:%d/hook" % dead}]}}))
        self.assertEqual("SUCCESS", self.wait_done(ex["id"])["state"])
        # WORKFLOW_LAUNCHED, TASK_LAUNCHED, TASK_SUCCEEDED, WORKFLOW_SUCCEEDED
        self.assertEqual(4, self.wait_for_value("bora_notifications_pending", lambda v: v == 4))

    def test_unmatched_paths_are_one_series(self):
        before = self.scrape(check_with_promtool=False)
        for i in range(3):
            self.assertStatus(404, self.req("GET", "/v2/no_such_thing_%d" % i))
        after = self.scrape(check_with_promtool=False)
        self.assertEqual(3, value(after, "bora_http_requests_total", method="GET", route="unmatched", status="404") -
                         value(before, "bora_http_requests_total", method="GET", route="unmatched", status="404"))

    def test_process_database_and_build_figures(self):
        s = self.scrape(check_with_promtool=False)
        self.assertGreater(value(s, "process_resident_memory_bytes"), 1 << 20)
        self.assertGreater(value(s, "process_virtual_memory_bytes"), value(s, "process_resident_memory_bytes"))
        self.assertGreater(value(s, "process_open_fds"), 3)
        self.assertGreaterEqual(value(s, "process_max_fds"), value(s, "process_open_fds"))
        self.assertGreater(value(s, "process_threads"), 3)
        self.assertGreaterEqual(value(s, "process_cpu_seconds_total"), 0)
        self.assertLess(abs(time.time() - value(s, "process_start_time_seconds")), 3600)
        db_file = os.path.join(self.server.tmp, "bora.db")
        self.assertGreaterEqual(value(s, "bora_database_size_bytes"), os.path.getsize(db_file))
        version = subprocess.run([os.environ.get("BORA_BINARY", "bora"), "version"], capture_output=True,
                                 text=True, timeout=30).stdout
        builds = [labels for (name, labels) in s if name == "bora_build_info"]
        self.assertEqual(1, len(builds))
        self.assertIn(dict(builds[0])["version"], version)
        self.assertEqual(1, value(s, "bora_build_info", **dict(builds[0])))

    def test_cpu_seconds_grow_with_work(self):
        before = self.scrape(check_with_promtool=False)
        deadline = time.time() + 10
        while time.time() < deadline:
            after = self.scrape(check_with_promtool=False)
            if value(after, "process_cpu_seconds_total") > value(before, "process_cpu_seconds_total"):
                return
        self.fail("process_cpu_seconds_total did not grow")

    def test_a_cron_trigger_firing_is_counted(self):
        self.define(OK_WF.replace("m_ok", "m_cron"))
        self.assertStatus(201, self.req("POST", "/v2/cron_triggers", {
            # A pattern that never comes due while the test runs (a minute's
            # one could fire on its own before `before` is read).
            "name": "leap_days", "workflow_name": "m_cron", "pattern": "0 0 29 2 *"}))
        before = self.scrape(check_with_promtool=False)
        # The trigger is made due now (instead of waiting for the next
        # minute): the server's own loop fires it.
        with sqlite3.connect(os.path.join(self.server.tmp, "bora.db"), timeout=10) as db:
            db.execute("UPDATE cron_triggers_v2 SET next_execution_time = 0 WHERE name = 'leap_days'")
        deadline = time.time() + 20
        while time.time() < deadline:
            after = self.scrape(check_with_promtool=False)
            if value(after, "bora_workflow_executions_finished_total", workflow="m_cron", state="SUCCESS") >= 1:
                break
            time.sleep(0.05)
        # Read again: a scrape is no snapshot. The batch's commit counts the
        # firing, then the start and the finish; a scrape that read the
        # firing's line before that commit and the finish's after it shows
        # the finish without the firing (seen under the sanitizers' load).
        after = self.scrape(check_with_promtool=False)
        self.assertEqual(1, value(after, "bora_cron_trigger_firings_total") -
                         value(before, "bora_cron_trigger_firings_total"))
        self.assertEqual(1, value(after, "bora_workflow_executions_started_total", workflow="m_cron"))


class ServerWith(unittest.TestCase):
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.server = BoraServer(env=cls.env).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()


class SeparateListenerTest(ServerWith):
    env = {"BORA_METRICS_LISTEN": "127.0.0.1:0", "BORA_METRICS_MAX_LABEL_VALUES": "2"}

    def metrics_url(self):
        deadline = time.time() + 10
        while time.time() < deadline:
            m = re.search(r"serving /metrics on (http://\S+/metrics)", self.server.logs())
            if m:
                return m.group(1)
            time.sleep(0.05)
        self.fail("no metrics listener in the log:\n" + self.server.logs())

    def test_metrics_on_their_own_port_only(self):
        url = self.metrics_url()
        status, text, _ = http_get(url)
        self.assertEqual(200, status)
        self.assertIn("# TYPE process_resident_memory_bytes gauge", text)
        self.assertEqual(404, http_get(url.replace("/metrics", "/v2/workflows"))[0])
        self.assertEqual(404, http_get(root_of(self.server) + "/metrics")[0])
        self.assertEqual(200, http_get(root_of(self.server) + "/v2/workflows")[0])

    def test_workflow_names_beyond_the_bound_are_other(self):
        for i in range(4):
            self.assertEqual(201, self.server.request("POST", "/v2/workflows", OK_WF.replace("m_ok", "cap%d" % i),
                                                      content_type="text/plain")[0])
        for i in range(4):
            status, ex, _ = self.server.request("POST", "/v2/executions", {"workflow_name": "cap%d" % i})
            self.assertEqual(201, status)
        deadline = time.time() + 20
        while time.time() < deadline:
            _, s = parse_metrics(self, http_get(self.metrics_url())[1])
            total = sum(v for (n, labels), v in s.items() if n == "bora_workflow_executions_finished_total")
            if total >= 4:
                break
            time.sleep(0.05)
        names = {dict(labels)["workflow"] for (n, labels) in s if n == "bora_workflow_executions_finished_total"}
        self.assertEqual(3, len(names), names)  # two names, then __other__
        self.assertIn("__other__", names)
        self.assertEqual(4, total)


class RequireAuthTest(ServerWith):
    env = {"BORA_METRICS_REQUIRE_AUTH": "true"}

    def test_admin_role_required(self):
        url = root_of(self.server) + "/metrics"
        status, body, _ = http_get(url)
        self.assertEqual(401, status)
        self.assertIn("require_auth", body)
        self.assertEqual(403, http_get(url, {"X-Project-Id": "p1", "X-Roles": "member"})[0])
        status, text, _ = http_get(url, {"X-Project-Id": "p1", "X-Roles": "admin"})
        self.assertEqual(200, status)
        self.assertIn("bora_http_requests_total", text)
        # The API itself is unchanged.
        self.assertEqual(200, http_get(root_of(self.server) + "/v2/workflows")[0])


class DisabledTest(ServerWith):
    env = {"BORA_METRICS_ENABLED": "false"}

    def test_not_served(self):
        self.assertEqual(404, http_get(root_of(self.server) + "/metrics")[0])


class BadOptionsTest(unittest.TestCase):
    def test_malformed_listen_is_refused_at_start(self):
        server = BoraServer(env={"BORA_METRICS_LISTEN": "nowhere"})
        try:
            with self.assertRaises(RuntimeError) as e:
                server.start()
            self.assertIn("[metrics] listen must be host:port", str(e.exception))
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
