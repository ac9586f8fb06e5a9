#!/usr/bin/python3
"""Differential campaign over the workflows of Mistral's own engine tests (a
tool, not a test): every workflow, workbook and ad-hoc action text written in
mistral/tests/unit/engine/*.py (and the other unit test folders named with
--tests) is run on the real Mistral and on Bora, and the two runs compared.

Mistral's tests assert on its database and mocks, so they cannot run against
Bora as they are; the texts they feed its engine can. Each string constant
of a test module that PyYAML reads as a version 2.0 document becomes one case
per workflow it holds (a workbook's workflows by their full names), with the
ad-hoc action documents of the same module as the case's `actions:`. The
input gives each required parameter its own name (or, with --inputs typed, a
value of the kind its name suggests), as diff_corpus_runs.py does; its case
building, freezing (scripts/gen_engine_cases.py's in-process Mistral) and
comparison (`workflow_cases --dir OUT`) are used here, not copied.

Tests that register their own Python action classes reach actions neither
side has: both fail, and the wording of the failures is compared.

Run with Debian's /usr/bin/python3 (python3-mistral, python3-oslotest):
  diff_mistral_engine_tests.py --runner ../build/test/workflows/workflow_cases \
      [--out /tmp/engine_test_cases] [--tests engine,workflow] [--only SUBSTRING]
      [--timeout 8] [--inputs names|typed] [--skip-mistral]
"""
import argparse
import ast
import glob
import os
import shutil
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import diff_corpus_runs as corpus  # noqa: E402
import workflow_case_files as case_files  # noqa: E402

MISTRAL_TESTS = "/usr/lib/python3/dist-packages/mistral/tests/unit"
NOT_WORKFLOWS = ("version", "name", "description", "tags", "namespace")


def documents(path):
    """Every string constant of the module that is a version 2.0 mapping."""
    with open(path) as f:
        tree = ast.parse(f.read())
    seen = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value
        if "version" not in text or text in seen:
            continue
        seen.add(text)
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if isinstance(doc, dict) and str(doc.get("version")) == "2.0":
            yield text, doc


def literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def start_calls(path):
    """The test functions' start_workflow calls whose arguments are written
    out: (workflow name, input, params, the strings of that function).
    Mistral's tests run their workflows with these inputs."""
    with open(path) as f:
        tree = ast.parse(f.read())
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        local = {n.value for n in ast.walk(fn) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        # Names the function binds once to a written-out value.
        bound = {}
        for a in ast.walk(fn):
            if isinstance(a, ast.Assign) and len(a.targets) == 1 and isinstance(a.targets[0], ast.Name):
                v = literal(a.value)
                bound[a.targets[0].id] = v if a.targets[0].id not in bound else None
        for call in ast.walk(fn):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "start_workflow" and call.args):
                continue
            name = literal(call.args[0])
            if not isinstance(name, str):
                continue
            wf_input, params, ok = None, {}, True
            for kw in call.keywords:
                value = bound.get(kw.value.id) if isinstance(kw.value, ast.Name) else literal(kw.value)
                if value is None:
                    ok = False
                elif kw.arg == "wf_input":
                    wf_input = value
                elif kw.arg in ("env", "task_name", "evaluate_env", "namespace"):
                    params[kw.arg] = value
                elif kw.arg in ("description", "wf_namespace"):
                    continue
                else:
                    ok = False
            if ok and (wf_input or params):
                yield name, wf_input, params, local


def kind_of(doc):
    if "workflows" in doc or ("actions" in doc and "name" in doc):
        return "workbook"
    bodies = [v for k, v in doc.items() if k not in NOT_WORKFLOWS]
    if bodies and all(isinstance(v, dict) and "base" in v for v in bodies):
        return "actions"
    if bodies and all(isinstance(v, dict) for v in bodies):
        return "workflows"
    return None


def make_cases(out_dir, folders, only):
    area = os.path.join(out_dir, "corpus")
    shutil.rmtree(area, ignore_errors=True)
    os.makedirs(area)
    made = 0
    for folder in folders:
        for path in sorted(glob.glob(os.path.join(MISTRAL_TESTS, folder, "test_*.py"))):
            module = os.path.relpath(path, MISTRAL_TESTS)
            if only and only not in module:
                continue
            docs = [(text, doc, kind_of(doc)) for text, doc in documents(path)]
            actions = [text for text, _, kind in docs if kind == "actions"]
            for n, (text, doc, kind) in enumerate(docs):
                if kind == "workbook":
                    wfs = {doc.get("name", "wb") + "." + k: v for k, v in (doc.get("workflows") or {}).items()}
                elif kind == "workflows":
                    wfs = {k: v for k, v in doc.items() if k not in NOT_WORKFLOWS}
                else:
                    continue
                for name, spec in wfs.items():
                    if not isinstance(spec, dict) or not isinstance(spec.get("tasks"), dict):
                        continue
                    case = {"source": "mistral", "workflow": name, "timeout": corpus.OPTS.timeout}
                    inp = corpus.workflow_input(spec)
                    if inp:
                        case["input"] = inp
                    params = corpus.run_params(spec)
                    if params:
                        case["params"] = params
                    if actions and kind == "workflows":
                        # One document per module: its first definition of each action.
                        merged = {"version": "2.0"}
                        for a in actions:
                            for k, v in yaml.safe_load(a).items():
                                merged.setdefault(k, v)
                        case["actions"] = yaml.safe_dump(merged, sort_keys=False)
                    case["workbook" if kind == "workbook" else "definition"] = text
                    case["comment"] = module
                    file_name = corpus.case_name("%s_%d" % (module[:-3], n), name) + ".yaml"
                    case_files.dump(os.path.join(area, file_name), case)
                    made += 1
                    # Again with each input Mistral's own tests give it.
                    # A call belongs to the texts its function holds, or
                    # to the module's when it holds none.
                    for k, (wf, wf_input, params, local) in enumerate(start_calls(path)):
                        local_docs = local & {t for t, _, _ in docs}
                        if wf != name.split(".")[-1]:
                            continue
                        if text not in local_docs and (local_docs or not module_level(path, text)):
                            continue
                        called = dict(case)
                        called.pop("input", None)
                        called.pop("params", None)
                        if wf_input:
                            called["input"] = wf_input
                        if params:
                            called["params"] = params
                        file_name = corpus.case_name("%s_%d_call%d" % (module[:-3], n, k), name) + ".yaml"
                        case_files.dump(os.path.join(area, file_name), called)
                        made += 1
    return made


def module_level(path, text):
    with open(path) as f:
        tree = ast.parse(f.read())
    return any(isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value == text
               for node in tree.body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", default=os.path.join(corpus.ROOT, "build", "test", "workflows", "workflow_cases"))
    ap.add_argument("--out", default="/tmp/engine_test_cases")
    ap.add_argument("--tests", default="engine", help="folders of mistral/tests/unit, comma separated")
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=int, default=8)
    ap.add_argument("--inputs", choices=["names", "typed"], default="names")
    ap.add_argument("--skip-mistral", action="store_true", help="compare the cases already frozen in OUT")
    corpus.OPTS = ap.parse_args()
    opts = corpus.OPTS
    if not opts.skip_mistral:
        print("made %d cases" % make_cases(opts.out, opts.tests.split(","), opts.only), file=sys.stderr)
        corpus.freeze(opts.out)
    corpus.compare(opts.out, opts.runner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
