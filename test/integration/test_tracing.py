"""Tracing (issue 18 parts 2 and 3): W3C traceparent on API calls, carried
through the execution, its tasks, actions and sub-workflows, sent on
std.http calls; spans exported over OTLP/HTTP JSON to a receiver started
here; trace ids in JSON logs; Mistral's workflow trace lines. With tracing
off, nothing is sent."""

import json
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bora_server import BoraServer

WAIT = 20  # seconds, every wait below is bounded by it

DEFINITION = """
version: '2.0'
traced:
  input:
    - url
  tasks:
    call:
      action: std.http url=<% $.url %>
      on-success: [sub]
    sub:
      workflow: traced_child
traced_child:
  tasks:
    inner:
      action: std.noop
waits:
  tasks:
    hold:
      action: std.async_noop
      on-success: [after]
    after:
      action: std.noop
"""

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


class Recorder:
    """A loopback HTTP server keeping what it is sent."""

    def __init__(self):
        self.requests = []  # (path, headers dict lower-cased, body bytes)
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _take(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                with recorder.lock:
                    recorder.requests.append(
                        (self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            do_GET = _take
            do_POST = _take

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def taken(self):
        with self.lock:
            return list(self.requests)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def spans_of(requests):
    """Every span of the OTLP requests received, with a few checks of shape."""
    out = []
    for path, headers, body in requests:
        assert path == "/v1/traces", path
        assert headers.get("content-type") == "application/json", headers
        doc = json.loads(body)
        for rs in doc["resourceSpans"]:
            names = {a["key"]: a["value"] for a in rs["resource"]["attributes"]}
            assert names["service.name"] == {"stringValue": "bora-test"}, names
            for ss in rs["scopeSpans"]:
                out.extend(ss["spans"])
    return out


def attrs(span):
    return {a["key"]: list(a["value"].values())[0] for a in span["attributes"]}


class TracingOn(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.collector = Recorder()
        cls.target = Recorder()
        cls.server = BoraServer(env={
            "BORA_TRACING_ENABLED": "true",
            "BORA_TRACING_OTLP_ENDPOINT": cls.collector.url,
            "BORA_TRACING_SERVICE_NAME": "bora-test",
            "BORA_LOGGING_FORMAT": "json",
            "BORA_LOGGING_WORKFLOW_TRACE": "true",
        }).start()
        status, body, _ = cls.server.request("POST", "/v2/workflows", DEFINITION)
        assert status == 201, body

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.collector.close()
        cls.target.close()

    def run_traced(self, headers):
        status, ex, _ = self.server.request(
            "POST", "/v2/executions",
            {"workflow_name": "traced", "input": json.dumps({"url": self.target.url + "/hello"})},
            headers=headers)
        self.assertEqual(201, status, ex)
        deadline = time.time() + WAIT
        while time.time() < deadline:
            _, got, _ = self.server.request("GET", "/v2/executions/" + ex["id"])
            if got["state"] not in ("RUNNING", "IDLE"):
                break
            time.sleep(0.05)
        self.assertEqual("SUCCESS", got["state"], got)
        return ex["id"]

    def wait_spans(self, trace_id, count):
        deadline = time.time() + WAIT
        while time.time() < deadline:
            spans = [s for s in spans_of(self.collector.taken()) if s["traceId"] == trace_id]
            if len(spans) >= count:
                return spans
            time.sleep(0.1)
        self.fail("only %d spans of trace %s arrived: %r" % (len(spans), trace_id, spans))

    def test_caller_trace_through_execution_tasks_actions_and_http(self):
        ex_id = self.run_traced({
            "traceparent": "00-%s-%s-01" % (CALLER_TRACE, CALLER_SPAN),
            "tracestate": "congo=t61rcWkgMzE",
        })
        # API call, workflow, 2 tasks, 1 action (std.http), the sub-workflow,
        # its task and its action: 8 at least (GETs of the wait loop too).
        spans = self.wait_spans(CALLER_TRACE, 8)
        by_name = {}
        for s in spans:
            by_name.setdefault(s["name"], []).append(s)
        api = by_name["POST /v2/executions"][0]
        self.assertEqual(CALLER_SPAN, api["parentSpanId"])
        self.assertEqual(2, api["kind"])  # SERVER
        self.assertEqual("congo=t61rcWkgMzE", api.get("traceState"))
        self.assertEqual("/v2/executions", attrs(api)["http.route"])
        self.assertEqual("201", attrs(api)["http.response.status_code"])
        self.assertLessEqual(int(api["startTimeUnixNano"]), int(api["endTimeUnixNano"]))

        wf = by_name["workflow traced"][0]
        self.assertEqual(api["spanId"], wf["parentSpanId"])
        self.assertEqual(ex_id, attrs(wf)["mistral.execution.id"])
        self.assertEqual("SUCCESS", attrs(wf)["mistral.execution.state"])
        self.assertEqual("traced", attrs(wf)["mistral.workflow.name"])

        call = by_name["task call"][0]
        self.assertEqual(wf["spanId"], call["parentSpanId"])
        self.assertEqual("call", attrs(call)["mistral.task.name"])
        self.assertEqual("SUCCESS", attrs(call)["mistral.task.state"])
        http = by_name["action std.http"][0]
        self.assertEqual(call["spanId"], http["parentSpanId"])
        self.assertEqual("std.http", attrs(http)["mistral.action.name"])
        self.assertEqual(attrs(call)["mistral.task_execution.id"], attrs(http)["mistral.task_execution.id"])

        # The sub-workflow inherits the trace, under the task that started it.
        sub_task = by_name["task sub"][0]
        child = by_name["workflow traced_child"][0]
        self.assertEqual(sub_task["spanId"], child["parentSpanId"])
        inner = by_name["task inner"][0]
        self.assertEqual(child["spanId"], inner["parentSpanId"])
        noop = by_name["action std.noop"][0]
        self.assertEqual(inner["spanId"], noop["parentSpanId"])

        # std.http carried the trace, the action's span as parent.
        sent = [h for p, h, _ in self.target.taken() if p == "/hello"]
        self.assertTrue(sent)
        self.assertEqual("00-%s-%s-01" % (CALLER_TRACE, http["spanId"]), sent[-1].get("traceparent"))
        self.assertEqual("congo=t61rcWkgMzE", sent[-1].get("tracestate"))

        # JSON logs: the workflow trace lines, with the execution's trace id.
        deadline = time.time() + WAIT
        while time.time() < deadline:
            lines = [json.loads(l) for l in self.server.logs().splitlines() if l.startswith("{")]
            trace_lines = [l for l in lines if l["component"] == "workflow_trace"
                           and l.get("execution_id") == ex_id]
            if any("-> SUCCESS" in l["message"] and l["message"].startswith("Workflow 'traced'")
                   for l in trace_lines):
                break
            time.sleep(0.1)
        messages = [l["message"] for l in trace_lines]
        self.assertTrue(any(m.startswith("Starting workflow [name=traced, input=") for m in messages), messages)
        self.assertIn("Workflow 'traced' [RUNNING -> SUCCESS, msg=None] (execution_id=%s,task_ex_id=None)"
                      % ex_id, messages)
        self.assertTrue(any(m.startswith("Task 'call' (") and "[None -> RUNNING, msg=None]" in m
                            for m in messages), messages)
        self.assertTrue(any(m.startswith("Task 'call' (") and "[RUNNING -> SUCCESS, msg=None]" in m
                            for m in messages), messages)
        for l in trace_lines:
            self.assertEqual(CALLER_TRACE, l.get("trace_id"), l)
            self.assertEqual("info", l["level"])
        # The action's line names its task and carries the action's span.
        action_lines = [l for l in lines if l["component"] == "workflow_trace"
                        and l["message"].startswith("Action 'std.http'")
                        and l.get("trace_id") == CALLER_TRACE]
        self.assertTrue(action_lines, messages)
        self.assertIn("(task_name=call, task_ex_id=%s) [RUNNING -> SUCCESS, Result [data="
                      % attrs(call)["mistral.task_execution.id"], action_lines[0]["message"])
        self.assertEqual(http["spanId"], action_lines[0].get("span_id"))

    def test_without_traceparent_a_new_trace(self):
        status, ex, _ = self.server.request(
            "POST", "/v2/executions",
            {"workflow_name": "traced_child"})
        self.assertEqual(201, status, ex)
        deadline = time.time() + WAIT
        wf = None
        while time.time() < deadline and wf is None:
            for s in spans_of(self.collector.taken()):
                if s["name"] == "workflow traced_child" and attrs(s)["mistral.execution.id"] == ex["id"]:
                    wf = s
            time.sleep(0.1)
        self.assertIsNotNone(wf, "the execution's span did not arrive")
        self.assertNotEqual(CALLER_TRACE, wf["traceId"])
        self.assertRegex(wf["traceId"], "^[0-9a-f]{32}$")
        api = [s for s in spans_of(self.collector.taken()) if s["spanId"] == wf["parentSpanId"]]
        self.assertEqual(1, len(api), "the API call's span is the execution's parent")
        self.assertEqual("POST /v2/executions", api[0]["name"])
        self.assertNotIn("parentSpanId", api[0])  # a root: no caller's trace

    def test_invalid_traceparent_is_ignored(self):
        status, body, _ = self.server.request(
            "GET", "/v2/workflows",
            headers={"traceparent": "00-%s-%s-01" % ("0" * 32, CALLER_SPAN)})
        self.assertEqual(200, status, body)
        deadline = time.time() + WAIT
        found = []
        while time.time() < deadline and not found:
            found = [s for s in spans_of(self.collector.taken()) if s["name"] == "GET /v2/workflows"]
            time.sleep(0.1)
        self.assertTrue(found)
        self.assertNotEqual("0" * 32, found[-1]["traceId"])
        self.assertNotIn("parentSpanId", found[-1])

    def test_z_trace_survives_a_restart(self):
        """The execution's trace is stored: after a restart, the tasks and
        actions that finish still join it, under the same parents."""
        trace_id = "0af7651916cd43dd8448eb211c80319c"
        status, ex, _ = self.server.request(
            "POST", "/v2/executions", {"workflow_name": "waits"},
            headers={"traceparent": "00-%s-b7ad6b7169203331-01" % trace_id})
        self.assertEqual(201, status, ex)
        deadline = time.time() + WAIT
        running = []
        while time.time() < deadline and not running:
            _, body, _ = self.server.request("GET", "/v2/executions/%s/tasks" % ex["id"])
            tasks = body["tasks"]
            if tasks:
                _, acts, _ = self.server.request("GET", "/v2/tasks/%s/action_executions" % tasks[0]["id"])
                running = [a for a in acts["action_executions"] if a["state"] == "RUNNING"]
            time.sleep(0.05)
        self.assertTrue(running, "the async action did not start")
        api = self.wait_spans(trace_id, 1)
        api = [s for s in api if s["name"] == "POST /v2/executions"][0]
        self.server.stop()
        self.server.start()
        status, body, _ = self.server.request(
            "PUT", "/v2/action_executions/" + running[0]["id"], {"state": "SUCCESS", "output": '{"done": true}'})
        self.assertEqual(200, status, body)
        spans = self.wait_spans(trace_id, 6)  # the POST, workflow, 2 tasks, 2 actions (the PUT has a trace of its own)
        by_name = {s["name"]: s for s in spans}
        wf = by_name["workflow waits"]
        self.assertEqual(api["spanId"], wf["parentSpanId"])
        self.assertEqual(wf["spanId"], by_name["task hold"]["parentSpanId"])
        self.assertEqual(by_name["task hold"]["spanId"], by_name["action std.async_noop"]["parentSpanId"])
        self.assertEqual(wf["spanId"], by_name["task after"]["parentSpanId"])
        self.assertEqual("SUCCESS", attrs(wf)["mistral.execution.state"])


class TracingOff(unittest.TestCase):
    """The default: no span is sent, no traceparent goes out."""

    def test_nothing_sent(self):
        collector, target = Recorder(), Recorder()
        server = BoraServer(env={"BORA_TRACING_OTLP_ENDPOINT": collector.url}).start()
        try:
            status, body, _ = server.request("POST", "/v2/workflows", DEFINITION)
            self.assertEqual(201, status, body)
            status, ex, _ = server.request(
                "POST", "/v2/executions",
                {"workflow_name": "traced", "input": json.dumps({"url": target.url + "/hello"})},
                headers={"traceparent": "00-%s-%s-01" % (CALLER_TRACE, CALLER_SPAN)})
            self.assertEqual(201, status, ex)
            deadline = time.time() + WAIT
            while time.time() < deadline:
                _, got, _ = server.request("GET", "/v2/executions/" + ex["id"])
                if got["state"] not in ("RUNNING", "IDLE"):
                    break
                time.sleep(0.05)
            self.assertEqual("SUCCESS", got["state"], got)
            time.sleep(1.5)  # longer than the exporter's flush interval
            self.assertEqual([], collector.taken())
            sent = [h for p, h, _ in target.taken() if p == "/hello"]
            self.assertEqual(1, len(sent))
            self.assertNotIn("traceparent", sent[0])
            self.assertNotIn("workflow_trace", server.logs())
        finally:
            server.cleanup()
            collector.close()
            target.close()

    def test_bad_options_refused_at_start(self):
        server = BoraServer(env={"BORA_TRACING_ENABLED": "true", "BORA_TRACING_SAMPLE_RATIO": "2"})
        try:
            with self.assertRaises(RuntimeError):
                server.start()
            self.assertIn("[tracing] sample_ratio must be a number from 0 to 1", server.logs())
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
