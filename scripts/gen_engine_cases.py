#!/usr/bin/python3
"""Freezes what the real Mistral (python3-mistral 15, run in-process the way
its own engine tests run it: sqlite, fake transport, local executor) does with
each workflow in scripts/engine_cases/*.yaml into
test/data/engine/cases.jsonl, one JSON object per line:

  {"name", "definition", "actions", "workflow", "input", "params",
   "state", "state_info", "output",
   "tasks": [{"name", "state", "state_info", "published", "result"}, ...]}

Tasks are sorted by (name, state, result). Bora's integration test
test/integration/test_engine_conformance.py runs the same definitions through
Bora's REST API and compares; it needs no Python Mistral.

Each case file is YAML:  name / workflow / input / params / actions (text) /
definition (text).  Run with Debian's /usr/bin/python3; needs python3-mistral
and python3-oslotest.  Usage: gen_engine_cases.py [CASE_NAME ...]"""
import glob
import json
import os
import re
import sys
import time
import unittest
import warnings

warnings.filterwarnings("ignore")

import yaml  # noqa: E402

from mistral.db.v2 import api as db_api  # noqa: E402
from mistral.services import adhoc_actions  # noqa: E402
from mistral.services import workbooks as wb_service  # noqa: E402
from mistral.services import workflows as wf_service  # noqa: E402
from mistral.tests.unit.engine import base  # noqa: E402
from mistral.workflow import data_flow  # noqa: E402
from mistral.workflow import states  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "engine_cases")
OUT = os.path.join(HERE, "..", "test", "data", "engine", "cases.jsonl")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DONE = (states.SUCCESS, states.ERROR, states.CANCELLED, states.PAUSED)


def load_cases(names):
    cases = []
    for path in sorted(glob.glob(os.path.join(CASES_DIR, "*.yaml"))):
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if doc and (not names or doc["name"] in names):
                    cases.append(doc)
    return cases


def norm(text):
    return UUID.sub("<id>", text) if isinstance(text, str) else text


class Freeze(base.EngineTestCase):
    cases = []
    results = []
    failed = []

    def wait_done(self, wf_ex_id, case):
        deadline = time.time() + case.get("timeout", 30)
        while time.time() < deadline:
            with db_api.transaction():
                ex = db_api.get_workflow_execution(wf_ex_id)
                if ex.state in DONE:
                    return
            time.sleep(0.05)

    def run_case(self, case):
        db_api.delete_workflow_executions()
        db_api.delete_workflow_definitions()
        for a in db_api.get_action_definitions(is_system=False):
            db_api.delete_action_definition(a.name)
        for wb in db_api.get_workbooks():
            db_api.delete_workbook(wb.name)
        if case.get("actions"):
            adhoc_actions.create_actions(case["actions"])
        if case.get("workbook"):
            wb_service.create_workbook_v2(case["workbook"])
        if case.get("definition"):
            wf_service.create_workflows(case["definition"])
        wf_ex = self.engine.start_workflow(
            case["workflow"], wf_input=case.get("input") or {},
            **(case.get("params") or {}))
        self.wait_done(wf_ex.id, case)
        # `rerun: {task, reset, env}`: once the execution has ended, rerun
        # that task (PUT /v2/tasks/{id} in the API) and wait again.
        if case.get("rerun"):
            r = case["rerun"]
            with db_api.transaction():
                t_id = [t.id for t in db_api.get_workflow_execution(wf_ex.id).task_executions
                        if t.name == r["task"]][0]
            self.engine.rerun_workflow(t_id, reset=r.get("reset", True), env=r.get("env"))
            time.sleep(0.2)
            self.wait_done(wf_ex.id, case)
        # Let the engine settle: a PAUSED workflow may still finish tasks.
        time.sleep(case.get("settle", 0.3))
        with db_api.transaction():
            ex = db_api.get_workflow_execution(wf_ex.id)
            tasks = []
            for t in ex.task_executions:
                res = None
                if t.state in (states.SUCCESS, states.ERROR):
                    res = data_flow.get_task_execution_result(t)
                tasks.append({
                    "name": t.name, "state": t.state,
                    "state_info": norm(t.state_info),
                    "published": t.published, "result": res,
                })
            tasks.sort(key=lambda t: (t["name"], t["state"],
                                      json.dumps(t["result"], sort_keys=True)))
            out = {k: case.get(k) for k in
                   ("name", "definition", "actions", "workbook", "workflow", "input", "params",
                    "rerun")}
            out.update(state=ex.state, state_info=norm(ex.state_info),
                       output=ex.output, tasks=tasks)
            return out

    def test_freeze(self):
        for case in self.cases:
            try:
                self.results.append(self.run_case(case))
                print("froze", case["name"], self.results[-1]["state"], file=sys.stderr)
            except Exception as e:  # a case Mistral refuses is a case to fix
                print("FAILED", case["name"], str(e).splitlines()[0][:300],
                      file=sys.stderr)
                self.failed.append(case["name"])


def main():
    Freeze.cases = load_cases(set(sys.argv[1:]))
    suite = unittest.TestSuite([Freeze("test_freeze")])
    ok = unittest.TextTestRunner(verbosity=0).run(suite).wasSuccessful()
    if not ok or Freeze.failed:
        print("cases Mistral refused:", Freeze.failed, file=sys.stderr)
    existing = {}
    if sys.argv[1:] and os.path.exists(OUT):
        with open(OUT) as f:
            for line in f:
                c = json.loads(line)
                existing[c["name"]] = c
    for r in Freeze.results:
        existing[r["name"]] = r
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        for name in sorted(existing):
            f.write(json.dumps(existing[name], sort_keys=True) + "\n")
    print("wrote %d cases to %s" % (len(existing), OUT), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
