#!/usr/bin/python3
"""Writes docs/API-examples.md: one real request and response for every
route the server has, recorded against a freshly started `bora server`.

    BORA_BINARY=build/src/cli/bora /usr/bin/python3 scripts/gen_api_examples.py

test/integration/test_api_examples.py runs the same scenario in CI and fails
when a served route has no example or a recorded status code changed, so
the examples stay true."""

import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "test", "integration"))

from bora_server import BORA, BoraServer  # noqa: E402

DOC = os.path.join(ROOT, "docs", "API-examples.md")

WF = """---
version: '2.0'
hello:
  input:
    - who: world
  output:
    greeting: <% $.greeting %>
  tasks:
    greet:
      action: std.echo output="Hello, <% $.who %>"
      publish:
        greeting: <% task().result %>
      on-success: child
    child:
      workflow: kid
kid:
  tasks:
    noop:
      action: std.noop
"""

WB = """---
version: '2.0'
name: ops
workflows:
  check:
    tasks:
      ping:
        action: std.noop
"""

ACTION = """---
version: '2.0'
shout:
  base: std.echo
  base-input:
    output: <% $.text %>
  input:
    - text
"""

MODULE = """function Greeter(input) { this.name = input.name; }
Greeter.prototype.run = function (context) { return "Hi, " + this.name; };
"""


def routes():
    out = subprocess.run([BORA, "server", "--list-routes"], capture_output=True, text=True, check=True).stdout
    return [tuple(line.split(" ", 1)) for line in out.splitlines() if line.strip()]


def route_of(method, path, all_routes):
    path = path.split("?")[0]
    for m, template in all_routes:
        if m != method:
            continue
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return m + " " + template
    return None


# Mistral's default policy keeps code sources and dynamic actions to admins.
ADMIN = {"X-Roles": "admin"}


def scenario(server):
    """Yields (method, path, body, status, response) for each call made."""
    calls = []

    def call(method, path, body=None, headers=None):
        status, resp, _ = server.request(method, path, body, headers=headers)
        calls.append((method, path, body, status, resp))
        return resp

    def wait(ex_id):
        deadline = time.time() + 20
        while time.time() < deadline:
            status, ex, _ = server.request("GET", "/v2/executions/" + ex_id)
            if ex["state"] not in ("RUNNING", "IDLE"):
                return ex
            time.sleep(0.05)
        raise RuntimeError("execution %s did not finish" % ex_id)

    call("GET", "/")
    call("GET", "/v2")
    # Mistral's root controllers expose pecan's index, which answers any method.
    for method in ("HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"):
        call(method, "/")
        call(method, "/v2")
    call("GET", "/healthz")
    call("GET", "/readyz")
    call("POST", "/v2/workflows/validate", WF)
    wf = call("POST", "/v2/workflows", WF)["workflows"][0]
    call("PUT", "/v2/workflows", WF)
    hello_only = WF.split("\nkid:")[0] + "\n"  # PUT by identifier takes one workflow
    call("PUT", "/v2/workflows/" + wf["id"], hello_only)
    call("GET", "/v2/workflows?limit=1&fields=name,input")
    call("GET", "/v2/workflows/hello")
    # Definition versions (Bora's own): every create and update is kept.
    call("GET", "/v2/workflows/hello/versions?fields=version,checksum,created_at")
    call("GET", "/v2/workflows/hello/versions/1")
    call("POST", "/v2/workflows/hello/versions/1/restore")
    call("POST", "/v2/workbooks/validate", WB)
    call("POST", "/v2/workbooks", WB)
    call("PUT", "/v2/workbooks", WB)
    call("GET", "/v2/workbooks")
    call("GET", "/v2/workbooks/ops")
    # The namespace as a path segment (pecan's positional argument).
    call("POST", "/v2/workbooks?namespace=lab_ns", WB)
    call("GET", "/v2/workbooks/ops/lab_ns")
    call("DELETE", "/v2/workbooks/ops/lab_ns")
    call("GET", "/v2/workbooks/ops/versions?fields=version,checksum")
    call("GET", "/v2/workbooks/ops/versions/1")
    call("POST", "/v2/workbooks/ops/versions/1/restore")
    call("POST", "/v2/actions/validate", ACTION)
    call("POST", "/v2/actions", ACTION)
    call("PUT", "/v2/actions", ACTION)
    call("PUT", "/v2/actions/shout", ACTION)
    call("GET", "/v2/actions?name=std.echo")
    call("GET", "/v2/actions/shout")
    # python-mistralclient's form: the namespace as a path segment.
    call("GET", "/v2/actions/shout/ops_namespace")
    call("GET", "/v2/actions/shout/versions?fields=version,checksum")
    call("GET", "/v2/actions/shout/versions/1")
    call("POST", "/v2/actions/shout/versions/1/restore")
    call("POST", "/v2/environments", {"name": "lab", "variables": json.dumps({"site": "lab"}),
                                      "description": "the lab"})
    call("PUT", "/v2/environments", {"name": "lab", "variables": json.dumps({"site": "lab-2"})})
    call("GET", "/v2/environments")
    call("GET", "/v2/environments/lab")
    call("POST", "/v2/cron_triggers", {"name": "nightly", "workflow_name": "kid", "pattern": "0 2 * * *",
                                       "remaining_executions": 3})
    call("GET", "/v2/cron_triggers")
    call("GET", "/v2/cron_triggers/nightly")
    call("POST", "/v2/workflows/%s/members" % wf["id"], {"member_id": "guest"})
    call("GET", "/v2/workflows/%s/members" % wf["id"])
    call("GET", "/v2/workflows/%s/members/guest" % wf["id"])
    call("PUT", "/v2/workflows/%s/members/guest" % wf["id"], {"status": "accepted"},
         headers={"X-Project-Id": "guest"})
    # Without a member: Mistral's (WSME's) 400 Missing argument.
    call("DELETE", "/v2/workflows/%s/members" % wf["id"])
    et = call("POST", "/v2/event_triggers", {"name": "on_boot", "workflow_id": wf["id"], "exchange": "nova",
                                             "topic": "notifications", "event": "compute.instance.create.end"})
    call("PUT", "/v2/event_triggers/" + et["id"], {"name": "on_create"})
    call("GET", "/v2/event_triggers")
    call("GET", "/v2/event_triggers/" + et["id"])
    # Bora's webhook (docs/API.md "Event trigger webhook"): the event starts
    # the trigger's workflow; the same message_id again starts nothing.
    fired = call("POST", "/v2/event_triggers/%s/events" % et["id"],
                 {"payload": {"instance_id": "42"}, "message_id": "deploy-42"})
    wait(fired["workflow_execution_id"])
    call("POST", "/v2/code_sources?name=greeter", MODULE, headers=ADMIN)
    call("PUT", "/v2/code_sources?identifier=greeter", MODULE, headers=ADMIN)
    call("PUT", "/v2/code_sources/greeter", MODULE, headers=ADMIN)
    call("GET", "/v2/code_sources?fields=name,version", headers=ADMIN)
    call("GET", "/v2/code_sources/greeter", headers=ADMIN)
    call("POST", "/v2/dynamic_actions", {"name": "greet", "class_name": "Greeter", "code_source_name": "greeter"}, headers=ADMIN)
    call("PUT", "/v2/dynamic_actions", {"name": "greet", "class_name": "Greeter"}, headers=ADMIN)
    call("GET", "/v2/dynamic_actions", headers=ADMIN)
    call("GET", "/v2/dynamic_actions/greet", headers=ADMIN)
    call("GET", "/v2/services")
    status, _, _ = server.request("GET", "/v2/openapi.json")
    calls.append(("GET", "/v2/openapi.json", None, status, "(the OpenAPI 3 document, about 40 KiB)"))
    status, _, _ = server.request("GET", "/metrics")
    calls.append(("GET", "/metrics", None, status,
                  "(Prometheus' text format 0.0.4, every metric of docs/OPERATIONS.md \"Metrics\")"))

    ex = call("POST", "/v2/executions", {"workflow_name": "hello", "input": json.dumps({"who": "Ada"}),
                                         "description": "first run"})
    wait(ex["id"])
    call("GET", "/v2/executions?workflow_name=hello&limit=5")
    # The event stream never ends, so its examples here are its refusals;
    # docs/API.md "Event stream" shows the stream itself.
    call("GET", "/v2/events?last_event_id=yesterday")
    call("GET", "/v2/executions/%s/events?colour=red" % ex["id"])
    call("GET", "/v2/ws?event_types=TASK_FAILED")
    call("GET", "/v2/executions/" + ex["id"])
    call("PUT", "/v2/executions/" + ex["id"], {"description": "renamed"})
    call("GET", "/v2/executions/%s/report" % ex["id"])
    call("GET", "/v2/executions/%s/executions" % ex["id"])
    tasks = call("GET", "/v2/executions/%s/tasks" % ex["id"])["tasks"]
    call("GET", "/v2/tasks?workflow_execution_id=%s&name=greet" % ex["id"])
    greet = [t for t in tasks if t["name"] == "greet"][0]
    child = [t for t in tasks if t["name"] == "child"][0]
    call("GET", "/v2/tasks/" + greet["id"])
    call("GET", "/v2/tasks/%s/executions" % child["id"])
    call("GET", "/v2/tasks/%s/workflow_executions" % child["id"])
    actions = call("GET", "/v2/tasks/%s/action_executions?include_output=true" % greet["id"])
    call("GET", "/v2/action_executions?limit=2")
    call("GET", "/v2/action_executions/" + actions["action_executions"][0]["id"])
    call("GET", "/v2/tasks/%s/action_executions/%s" % (greet["id"], actions["action_executions"][0]["id"]))
    call("POST", "/v2/action_executions", {"name": "std.echo", "input": json.dumps({"output": "on its own"})})
    pending = call("POST", "/v2/action_executions", {"name": "std.async_noop",
                                                     "params": json.dumps({"save_result": True})})
    call("PUT", "/v2/action_executions/" + pending["id"], {"state": "SUCCESS", "output": json.dumps({"answer": "done"})})
    call("DELETE", "/v2/action_executions/" + pending["id"])

    failing = call("POST", "/v2/executions", {"workflow_name": "kid"})
    wait(failing["id"])
    # Bora's rollback (docs/LANGUAGE.md "Rollback"): kid has nothing to undo.
    call("POST", "/v2/executions/%s/rollback" % failing["id"], {"message": "undo it"})
    wait(failing["id"])
    rerun_wf = call("POST", "/v2/workflows", "---\nversion: '2.0'\nflaky:\n  tasks:\n    t:\n"
                    "      action: std.echo output=<% env().x %>\n")["workflows"][0]
    flaky = call("POST", "/v2/executions", {"workflow_id": rerun_wf["id"]})
    wait(flaky["id"])
    t = server.request("GET", "/v2/executions/%s/tasks" % flaky["id"])[1]["tasks"][0]
    call("PUT", "/v2/tasks/" + t["id"], {"state": "RUNNING", "reset": True, "env": json.dumps({"x": 1})})
    wait(flaky["id"])
    # The web UI's files (docs/UI.md): HTML and scripts, shown by what they
    # are; asked for without following the redirect.
    for path, what in (("/ui", "(a redirect to /ui/, where the web UI's page is)"),
                       ("/ui/executions", "(the web UI's index.html: /ui/executions is one of its pages)")):
        u = urllib.parse.urlsplit(server.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            conn.request("GET", path)
            status = conn.getresponse().status
        finally:
            conn.close()
        calls.append(("GET", path, None, status, what))
    call("DELETE", "/v2/executions/" + flaky["id"])

    call("DELETE", "/v2/dynamic_actions/greet", headers=ADMIN)
    call("DELETE", "/v2/code_sources/greeter", headers=ADMIN)
    call("DELETE", "/v2/event_triggers/" + et["id"])
    call("DELETE", "/v2/workflows/%s/members/guest" % wf["id"])
    call("DELETE", "/v2/cron_triggers/nightly")
    call("DELETE", "/v2/environments/lab")
    call("DELETE", "/v2/actions/shout")
    # The namespaced form (python-mistralclient's); gone now: its 404.
    call("DELETE", "/v2/actions/shout/ops_namespace")
    call("DELETE", "/v2/workbooks/ops")
    call("DELETE", "/v2/workflows/" + rerun_wf["id"])
    return calls


def render_body(body):
    if body is None:
        return ""
    if isinstance(body, (dict, list)):
        return json.dumps(body, indent=2)
    return body


def shorten(resp):
    """Long lists are cut to their first two items: enough to show shape."""
    if isinstance(resp, dict):
        out = {}
        for k, v in resp.items():
            if isinstance(v, list) and len(v) > 2:
                out[k] = v[:2] + ["... (%d more)" % (len(v) - 2)]
            else:
                out[k] = v
        return out
    return resp


def collect(server):
    """{"METHOD /template": first (method, path, body, status, response)}."""
    all_routes = routes()
    examples = {}
    for c in scenario(server):
        key = route_of(c[0], c[1], all_routes)
        if key and key not in examples:
            examples[key] = c
    return all_routes, examples


# The server's options: deleting action executions run on their own, and
# members shared between projects from X-Project-Id (no Keystone here).
SERVER_ENV = {"BORA_API_ALLOW_ACTION_EXECUTION_DELETION": "true", "BORA_API_RESOURCE_SHARING_WITHOUT_AUTH": "true"}


def main():
    server = BoraServer(env=SERVER_ENV).start()
    try:
        all_routes, examples = collect(server)
    finally:
        server.cleanup()
    missing = [m + " " + t for m, t in all_routes if m + " " + t not in examples]
    if missing:
        sys.exit("no example for: " + ", ".join(missing))
    lines = ["# Bora's REST API: one real example per route", "",
             "Generated by `scripts/gen_api_examples.py` against a fresh `bora server` (ids and times are",
             "those of that run; the server ran with `[api] allow_action_execution_deletion = true` and",
             "`[api] resource_sharing_without_auth = true`).",
             "`test/integration/test_api_examples.py` replays the scenario in CI and fails when a route",
             "has no example here or a status code differs. The reference with every parameter is",
             "`docs/API.md`; long lists are cut to their first two items.", ""]
    for m, t in all_routes:
        method, path, body, status, resp = examples[m + " " + t]
        lines += ["## `%s %s`" % (m, t), "", "```", "%s %s" % (method, path)]
        if body is not None:
            ctype = "application/json" if isinstance(body, (dict, list)) else "text/plain"
            lines += ["Content-Type: " + ctype, "", render_body(body).rstrip()]
        lines += ["```", "", "```", "HTTP %d" % status]
        if resp not in ("", None):
            lines += ["", resp if isinstance(resp, str) else json.dumps(shorten(resp), indent=2)]
        lines += ["```", ""]
    with open(DOC, "w") as f:
        f.write("\n".join(lines))
    print("wrote %s (%d routes)" % (DOC, len(all_routes)))


if __name__ == "__main__":
    main()
