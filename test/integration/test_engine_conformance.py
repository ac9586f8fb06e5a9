"""Runs every workflow frozen in test/data/engine/cases.jsonl through Bora's
REST API and compares what Bora does with what the real Mistral did
(scripts/gen_engine_cases.py froze it): the execution's state, state_info and
output, and each task's state, state_info, published values and result.

Each case gets its own namespace, so cases with the same workflow names do not
collide; ad-hoc actions are deleted after their case. Ids in texts are
compared as <id>. Where Mistral's text carries a Python traceback or a dump of
its internal context, only the first line up to that dump is compared."""
import json
import os
import re
import time
import unittest

from bora_server import BoraTestCase

CASES = os.path.join(os.path.dirname(__file__), "..", "data", "engine", "cases.jsonl")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DONE = ("SUCCESS", "ERROR", "CANCELLED", "PAUSED")
WAIT = 30  # seconds, per case


def info_key(text):
    """The comparable part of a state_info."""
    if not isinstance(text, str):
        return text
    text = UUID.sub("<id>", text)
    if "Traceback" in text or ", data=" in text:
        text = text.split("\n")[0]
        text = text.split(", data=")[0]
    text = re.sub(r"<mistral\.actions\.[\w.]+ object at 0x[0-9a-f]+>", "<action>", text)
    text = re.sub(r"<bora action [\w.]+>", "<action>", text)
    return text


def normalized(value):
    """info_key applied to every string inside a value (outputs carry texts)."""
    if isinstance(value, str):
        return info_key(value)
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    return value


def load_cases():
    with open(CASES) as f:
        return [json.loads(line) for line in f if line.strip()]


class EngineConformanceTest(BoraTestCase):
    def wait_done(self, ex_id):
        deadline = time.time() + WAIT
        while True:
            st, ex, _ = self.req("GET", "/v2/executions/" + ex_id)
            if ex["state"] in DONE or time.time() > deadline:
                return ex
            time.sleep(0.02)

    def run_case(self, case):
        ns = case["name"]
        if case.get("actions"):
            st, body, _ = self.req("POST", "/v2/actions", case["actions"],
                                    content_type="text/plain")
            self.assertEqual(st, 201, body)
        try:
            if case.get("workbook"):
                st, body, _ = self.req("POST", "/v2/workbooks?namespace=" + ns,
                                        case["workbook"], content_type="text/plain")
                self.assertEqual(st, 201, body)
            if case.get("definition"):
                st, body, _ = self.req("POST", "/v2/workflows?namespace=" + ns,
                                        case["definition"], content_type="text/plain")
                self.assertEqual(st, 201, body)
            req = {"workflow_name": case["workflow"], "workflow_namespace": ns,
                   "input": json.dumps(case.get("input") or {}),
                   "params": json.dumps(case.get("params") or {})}
            st, ex, _ = self.req("POST", "/v2/executions", req)
            self.assertEqual(st, 201, ex)
            ex = self.wait_done(ex["id"])
            if case.get("rerun"):
                r = case["rerun"]
                st, tl, _ = self.req("GET", "/v2/tasks?workflow_execution_id=" + ex["id"])
                t_id = [t["id"] for t in tl["tasks"] if t["name"] == r["task"]][0]
                body = {"state": "RUNNING", "reset": r.get("reset", True)}
                if r.get("env"):
                    body["env"] = json.dumps(r["env"])
                st, t, _ = self.req("PUT", "/v2/tasks/" + t_id, body)
                self.assertEqual(st, 200, t)
                time.sleep(0.2)
                ex = self.wait_done(ex["id"])
            time.sleep(0.2)  # a paused workflow may still finish running tasks
            st, ex, _ = self.req("GET", "/v2/executions/" + ex["id"])
            st, tl, _ = self.req("GET", "/v2/tasks?workflow_execution_id=" + ex["id"])
            # A task's result is only in GET /v2/tasks/{id}, as in Mistral.
            return ex, [self.req("GET", "/v2/tasks/" + t["id"])[1] for t in tl["tasks"]]
        finally:
            if case.get("actions"):
                st, body, _ = self.req("GET", "/v2/actions?scope=private&limit=1000")
                for a in body.get("actions", []):
                    if a["name"] in case["actions"] and not a["name"].startswith("std."):
                        self.req("DELETE", "/v2/actions/" + a["name"])

    def check(self, case):
        ex, tasks = self.run_case(case)
        # Each case runs in a namespace of its own; Mistral's ran in "".
        ns_text = "namespace=" + case["name"]
        ex = json.loads(json.dumps(ex).replace(ns_text, "namespace="))
        tasks = json.loads(json.dumps(tasks).replace(ns_text, "namespace="))
        got = {
            "state": ex["state"], "state_info": info_key(ex.get("state_info")),
            "output": normalized(json.loads(ex.get("output") or "{}")),
        }
        want = {"state": case["state"], "state_info": info_key(case["state_info"]),
                "output": normalized(case["output"])}
        got_tasks = []
        for t in tasks:
            res = None
            if t["state"] in ("SUCCESS", "ERROR"):
                res = json.loads(t["result"]) if t.get("result") else None
            got_tasks.append({
                "name": t["name"], "state": t["state"],
                "state_info": info_key(t.get("state_info")),
                "published": normalized(json.loads(t.get("published") or "{}")),
                "result": normalized(res),
            })
        got_tasks.sort(key=lambda t: (t["name"], t["state"],
                                      json.dumps(t["result"], sort_keys=True)))
        # A null `published` (Mistral's DB) is "{}" in its API, as in Bora's.
        want_tasks = [dict(t, state_info=info_key(t["state_info"]), published=normalized(t["published"] or {}),
                           result=normalized(t["result"])) for t in case["tasks"]]
        got["tasks"] = got_tasks
        want["tasks"] = want_tasks
        return got, want

    def test_cases(self):
        only = os.environ.get("BORA_CASES")
        failures = []
        for case in load_cases():
            if only and case["name"] not in only.split(","):
                continue
            with self.subTest(case=case["name"]):
                got, want = self.check(case)
                if got != want:
                    failures.append(case["name"])
                self.assertEqual(got, want, case["name"])
        if failures:
            print("\nfailing cases:", ",".join(failures))


if __name__ == "__main__":
    unittest.main()
