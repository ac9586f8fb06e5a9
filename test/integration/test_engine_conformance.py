"""Runs every workflow case of test/workflows/<area>/*.yaml (the format:
test/workflows/README.md) through Bora's REST API, in real time, and
compares what Bora does with the case's `expect`: the execution's state,
state_info and output, and each task's state, state_info, published values
and result. The in-process runner (CTest `workflow_cases`) runs the same
files in virtual time; this one checks the HTTP path end to end.

The files are read through `workflow_cases --export` (Bora's own YAML
reader, so both runners read them alike; this test stays in Python's
standard library). Each case gets its own namespace, so cases with the same
workflow names do not collide; ad-hoc actions are deleted after their case.
A case marked `http: skip <reason>` is left to the in-process runner."""
import concurrent.futures
import json
import os
import re
import subprocess
import time
import unittest

from bora_server import BoraTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ACTION = re.compile(r"<mistral\.actions\.[\w.]+ object at 0x[0-9a-f]+>|<bora action [\w.]+>")
ADDRESS = re.compile(r" object at 0x[0-9a-f]+>")  # another object's (urllib3's connection)
DONE = ("SUCCESS", "ERROR", "CANCELLED", "PAUSED")
WAIT = 30  # seconds, per case and step
# Actions whose result comes from outside (PUT /v2/action_executions/{id}):
# an execution whose only running actions are these has settled.
ASYNC_ACTIONS = ("std.async_noop", "std.mistral_http")


# Cases at once (phase()): 8 keep a 2-core machine's server busy while the
# test's threads mostly sleep (4 for a sanitizer build's server, 2-5 times
# slower); 3 of those that time their steps.
SANITIZED = os.environ.get("BORA_SANITIZED", "") in ("1", "ON", "TRUE", "true")
WORKERS = int(os.environ.get("BORA_CASE_WORKERS", "4" if SANITIZED else "8"))
TIMED_WORKERS = 3


def phase(case):
    """When the case runs (test_cases): 0 beside every other case of phase
    0; 1 (it times its steps, `at`, or waits for what happens after the
    end, `settle`) beside a few others of phase 1 on an otherwise quiet
    server, as a late timer there would fail it; 2 (it defines ad-hoc
    actions, whose names are global and which a workbook case's short
    name could find) alone."""
    if case.get("actions"):
        return 2
    if "settle" in case or any(isinstance(step, dict) and "at" in step for step in case.get("steps") or []):
        return 1
    return 0


def runner_binary():
    path = os.environ.get("BORA_WORKFLOW_CASES")
    if path:
        return path
    return os.path.join(HERE, "..", "..", "build", "test", "workflows", "workflow_cases")


def rest_completable(case):
    """Whether the case's `complete:` steps can go through the REST API: as
    Mistral's, an action execution's output there is a dict (its JsonType),
    so a scalar result or error can only be sent in-process."""
    for step in case.get("steps") or []:
        arg = step.get("complete") if isinstance(step, dict) else None
        if not isinstance(arg, dict) or arg.get("cancel"):
            continue
        value = arg["error"] if "error" in arg else arg.get("result")
        if value is not None and not isinstance(value, dict):
            return False
        if "error" in arg and value is None:
            return False
    return True


def load_cases():
    out = subprocess.run([runner_binary(), "--export"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def normalized(value):
    """What the runners compare: ids as <id>, action object reprs as <action>."""
    if isinstance(value, str):
        return ADDRESS.sub(" object at 0x...>", ACTION.sub("<action>", UUID.sub("<id>", value)))
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    return value


def matches(want, got):
    """Expected (with matchers) against actual, as test/workflows/runner.cpp."""
    if isinstance(want, dict) and len(want) == 1:
        if "!prefix" in want:
            return isinstance(got, str) and got.startswith(want["!prefix"])
        if "!any" in want:
            return True
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(matches(w, got[k]) for k, w in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(matches(w, g) for w, g in zip(want, got))
    if isinstance(want, bool) or isinstance(got, bool):  # Bora's types: True is not 1
        return type(want) is type(got) and want == got
    return want == got


def normalized_actions(expect, workflow_tasks):
    """`expect` with the sub-workflow executions of the workflow tasks
    without their "unaccepted" mark: the REST API does not show it."""
    if not workflow_tasks:
        return expect
    expect = json.loads(json.dumps(expect))
    for t in expect.get("tasks", []):
        if t["name"] in workflow_tasks and "actions" in t:
            t["actions"] = sorted(a.replace(" unaccepted", "") for a in t["actions"])
    return expect


def tasks_match(want, got):
    """Each expected task takes the first unused actual task it matches."""
    if len(want) != len(got):
        return False
    used = [False] * len(got)
    for w in want:
        for i, g in enumerate(got):
            if not used[i] and matches(w, g):
                used[i] = True
                break
        else:
            return False
    return True


class EngineConformanceTest(BoraTestCase):
    def execution(self, ex_id):
        return self.req("GET", "/v2/executions/" + ex_id)[1]

    def wait_done(self, ex_id, until=None, ns=None):
        """Until the execution is done, or (with `until`, a time.time()) that
        time; with `ns`, also until it waits for the outside (README.md: a
        step then happens), as the in-process runner's idle engine says."""
        deadline = time.time() + WAIT
        outside = 0  # polls in a row that found it waiting for the outside
        while True:
            ex = self.execution(ex_id)
            now = time.time()
            if until is not None and now >= until:
                return ex
            if ex["state"] in DONE or now > deadline:
                return ex
            outside = outside + 1 if ns and ex["state"] == "RUNNING" and self.waits_for_outside(ns) else 0
            if outside >= 3:
                return ex
            time.sleep(0.1 if ns else 0.02)

    def waits_for_outside(self, ns):
        """Every action still running in the case's namespace is an
        asynchronous one (its result comes from outside), and at least one
        runs."""
        st, al, _ = self.req("GET", "/v2/action_executions?state=RUNNING&limit=1000")
        mine = [a for a in al.get("action_executions", []) if a.get("workflow_namespace") == ns]
        return bool(mine) and all(a["name"] in ASYNC_ACTIONS for a in mine)

    def task_id(self, ex_id, name):
        """The task's failed execution, if it has one (what a rerun or skip takes)."""
        st, tl, _ = self.req("GET", "/v2/tasks?workflow_execution_id=" + ex_id)
        named = [t for t in tl["tasks"] if t["name"] == name]
        return sorted(named, key=lambda t: t["state"] != "ERROR")[0]["id"]

    def running_action(self, ex_id, task):
        deadline = time.time() + WAIT
        while time.time() < deadline:
            st, tl, _ = self.req("GET", "/v2/tasks?workflow_execution_id=" + ex_id)
            for t in tl["tasks"]:
                if t["name"] == task:
                    st, al, _ = self.req("GET", "/v2/tasks/%s/action_executions" % t["id"])
                    running = [a for a in al.get("action_executions", []) if a["state"] == "RUNNING"]
                    if running:
                        return running[0]["id"]
            time.sleep(0.02)
        self.fail("no running action of task " + task)

    def step(self, ex_id, step):
        for kind in ("rerun", "skip"):
            if kind in step:
                arg = step[kind]
                arg = arg if isinstance(arg, dict) else {"task": arg}
                body = {"state": "RUNNING" if kind == "rerun" else "SKIPPED", "reset": arg.get("reset", True)}
                if arg.get("env"):
                    body["env"] = json.dumps(arg["env"])
                st, t, _ = self.req("PUT", "/v2/tasks/" + self.task_id(ex_id, arg["task"]), body)
                self.assertEqual(st, 200, t)
                return
        states = {"pause": "PAUSED", "resume": "RUNNING", "cancel": "CANCELLED", "fail": "ERROR", "succeed": "SUCCESS"}
        for kind, state in states.items():
            if kind in step:
                body = {"state": state}
                arg = step[kind]
                if isinstance(arg, str):
                    body["state_info"] = arg
                if kind == "resume" and isinstance(arg, dict) and arg.get("env"):
                    body["params"] = json.dumps({"env": arg["env"]})
                st, ex, _ = self.req("PUT", "/v2/executions/" + ex_id, body)
                self.assertEqual(st, 200, ex)
                return
        if "complete" in step:
            arg = step["complete"]
            if arg.get("cancel"):
                body = {"state": "CANCELLED"}
            elif "error" in arg:
                body = {"state": "ERROR", "output": json.dumps(arg["error"])}
            elif arg.get("result") is None:
                # A null result (left out, Mistral's REST makes it {}).
                body = {"state": "SUCCESS", "output": None}
            else:
                body = {"state": "SUCCESS", "output": json.dumps(arg["result"])}
            st, a, _ = self.req("PUT", "/v2/action_executions/" + self.running_action(ex_id, arg["task"]), body)
            self.assertEqual(st, 200, a)
            return
        self.fail("unknown step %r" % step)

    def run_case(self, case):
        ns = case["name"]
        if case.get("actions"):
            st, body, _ = self.req("POST", "/v2/actions", case["actions"], content_type="text/plain")
            self.assertEqual(st, 201, body)
        try:
            if case.get("workbook"):
                st, body, _ = self.req("POST", "/v2/workbooks?namespace=" + ns, case["workbook"],
                                       content_type="text/plain")
                self.assertEqual(st, 201, body)
            if case.get("definition"):
                st, body, _ = self.req("POST", "/v2/workflows?namespace=" + ns, case["definition"],
                                       content_type="text/plain")
                self.assertEqual(st, 201, body)
            req = {"workflow_name": case["workflow"], "workflow_namespace": ns,
                   "input": json.dumps(case.get("input") or {}),
                   "params": json.dumps(case.get("params") or {})}
            started = time.time()
            st, ex, _ = self.req("POST", "/v2/executions", req)
            self.assertEqual(st, 201, ex)
            for step in case.get("steps") or []:
                # A step with `at` happens that many seconds after the start;
                # without, once the execution has ended (or paused).
                # A `complete` step waits for its action, not for the end.
                until = started + step["at"] if "at" in step else None
                if "complete" not in step:
                    self.wait_done(ex["id"], until, ns)
                elif until is not None:
                    time.sleep(max(0, until - time.time()))
                self.step(ex["id"], step)
                time.sleep(0.2)
            # An execution expected to end is waited for until it ends (or
            # WAIT): one whose only running action is asynchronous may
            # still be ended by a timer (a timeout) that a loaded machine
            # fires late, after the shortcut for waiting executions.
            ex = self.wait_done(ex["id"], None, None if case["expect"].get("state") in DONE else ns)
            # A paused workflow may still finish running tasks; `settle: S`:
            # what still happens in an ended execution (README.md).
            time.sleep(case.get("settle", 0.2))
            ex = self.execution(ex["id"])
            st, tl, _ = self.req("GET", "/v2/tasks?workflow_execution_id=" + ex["id"])
            # The executions below it (`subworkflows:`), each with the name
            # of the workflow task that started it.
            st, el, _ = self.req("GET", "/v2/executions?limit=1000&root_execution_id=" + ex["id"])
            subs = []
            for sub in el.get("executions", []):
                if sub["id"] == ex["id"] or not sub.get("task_execution_id"):
                    continue
                parent_task = self.req("GET", "/v2/tasks/" + sub["task_execution_id"])[1]
                subs.append({"workflow": sub["workflow_name"], "task": parent_task.get("name"),
                             "state": sub["state"], "state_info": sub.get("state_info")})
            # A task's result is only in GET /v2/tasks/{id}, as in Mistral.
            return ex, [self.req("GET", "/v2/tasks/" + t["id"])[1] for t in tl["tasks"]], subs
        finally:
            if case.get("actions"):
                st, body, _ = self.req("GET", "/v2/actions?scope=private&limit=1000")
                for a in body.get("actions", []):
                    if a["name"] in case["actions"] and not a["name"].startswith("std."):
                        self.req("DELETE", "/v2/actions/" + a["name"])

    def observed(self, case):
        """(what the case gave, normalised; the names of its workflow tasks)."""
        workflow_tasks = set()  # names of the workflow tasks (count_actions)
        ex, tasks, subs = self.run_case(case)
        # Each case runs in a namespace of its own; the expected texts have "".
        ns_text = "namespace=" + case["name"]
        ex = json.loads(json.dumps(ex).replace(ns_text, "namespace="))
        tasks = json.loads(json.dumps(tasks).replace(ns_text, "namespace="))
        got_tasks = []
        for t in tasks:
            res = None
            if t["state"] in ("SUCCESS", "ERROR"):
                res = json.loads(t["result"]) if t.get("result") else None
            row = {"name": t["name"], "state": t["state"], "state_info": t.get("state_info"),
                   "published": json.loads(t.get("published") or "{}"), "result": res}
            if case.get("count_actions"):
                if t.get("type") == "WORKFLOW":
                    # A sub-workflow execution shows no `accepted` in the
                    # REST API (nor in Mistral's): its states only, compared
                    # with the expected ones without the mark (normalized_actions).
                    below = self.req("GET", "/v2/executions?task_execution_id=%s&limit=1000" % t["id"])[1]
                    row["actions"] = sorted(e["state"] for e in below["executions"])
                    workflow_tasks.add(t["name"])
                else:
                    actions = self.req("GET", "/v2/tasks/%s/action_executions" % t["id"])[1]["action_executions"]
                    row["actions"] = sorted(a["state"] + ("" if a["accepted"] else " unaccepted") for a in actions)
            got_tasks.append(row)
        subs = json.loads(json.dumps(subs).replace(ns_text, "namespace="))
        return normalized({"state": ex["state"], "state_info": ex.get("state_info"),
                           "output": json.loads(ex.get("output") or "{}"), "tasks": got_tasks,
                           "subworkflows": subs}), workflow_tasks

    def outcome(self, case):
        """observed(case), or the exception it raised (run in a worker)."""
        try:
            return self.observed(case)
        except BaseException as e:  # noqa: BLE001 - re-raised in the case's subTest
            return e

    def test_cases(self):
        only = os.environ.get("BORA_CASES")
        failures = []
        cases = load_cases()
        self.assertGreater(len(cases), 150)
        cases = [c for c in cases
                 if not (only and c["name"] not in only.split(","))
                 and not str(c.get("http", "")).startswith("skip") and rest_completable(c)]
        # Most of a case's time is waiting (its delays, timers, the polls):
        # cases run side by side, each in its namespace, in three phases
        # (phase(): 447 s one by one, about 100 s so).
        outcomes = {}
        for number, workers in enumerate((WORKERS, TIMED_WORKERS, 1)):
            batch = [c for c in cases if phase(c) == number]
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                for case, result in zip(batch, pool.map(self.outcome, batch)):
                    outcomes[case["name"]] = result
        for case in cases:
            with self.subTest(case=case["path"]):
                result = outcomes[case["name"]]
                if isinstance(result, BaseException):
                    raise result
                got, workflow_tasks = result
                want = normalized_actions(case["expect"], workflow_tasks)
                ok = all(matches(want[k], got[k]) for k in ("state", "state_info", "output")) and \
                    tasks_match(want["tasks"], got["tasks"]) and \
                    ("subworkflows" not in want or tasks_match(want["subworkflows"], got["subworkflows"]))
                if not ok:
                    failures.append(case["name"])
                    self.fail("%s\nwant %s\ngot  %s" % (case["path"], json.dumps(want, indent=1),
                                                        json.dumps(got, indent=1)))
        if failures:
            print("\nfailing cases:", ",".join(failures))


if __name__ == "__main__":
    unittest.main()
