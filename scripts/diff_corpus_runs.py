#!/usr/bin/python3
"""Differential campaign over the corpus of real workflows (a tool, not a
test): every workflow of every file of ../shared/corpora/mistral-realworld
that Mistral accepts (test/data/lang/corpus_verdicts.json) is run on the real
Mistral and on Bora, and the two runs are compared.

1. Each workflow becomes a workflow case (test/workflows/README.md) in
   OUT/corpus/: the file as `definition:` or `workbook:`, the workflow's
   name, an input that gives each required parameter its own name as a
   string, or with --inputs typed a value of the kind its name suggests
   (optional ones keep their defaults), and for a reverse workflow
   its last task as `task_name`.
2. scripts/gen_engine_cases.py's in-process Mistral (python3-mistral 15:
   sqlite, fake transport, local executor) writes each case's `expect:`.
3. Bora's in-process runner (`workflow_cases --dir OUT`) runs the same files
   and prints what differs.

Nothing here needs a network: actions that reach out (std.http to a public
site, std.ssh, OpenStack and StackStorm actions) fail on both sides, and the
comparison is then of states and of the wording of the failures.

Run with Debian's /usr/bin/python3 (python3-mistral, python3-oslotest):
  diff_corpus_runs.py --runner ../build/test/workflows/workflow_cases \
      [--out /tmp/corpus_cases] [--only SUBSTRING] [--timeout 8] [--inputs names|typed]
      [--skip-mistral]
"""
import argparse
import json
import os
import re
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "mistral-realworld")
VERDICTS = os.path.join(ROOT, "test", "data", "lang", "corpus_verdicts.json")

sys.path.insert(0, HERE)
import workflow_case_files as case_files  # noqa: E402


def case_name(path, wf):
    base = re.sub(r"[^A-Za-z0-9]+", "_", os.path.splitext(path)[0] + "__" + wf).strip("_")
    return base[-150:]


def typed_value(name):
    """--inputs typed: a value of the kind the parameter's name suggests."""
    n = name.lower()
    if any(w in n for w in ("count", "num", "timeout", "port", "size", "retries", "delay", "limit", "index")):
        return 2
    if n.startswith(("is_", "enable", "force", "debug", "use_", "skip", "dry")) or n.endswith(("_enabled", "_flag")):
        return True
    if n.endswith(("s", "_list", "ids")) and not n.endswith(("ss", "status", "address")):
        return [name + "_1", name + "_2"]
    if n.endswith(("env", "params", "parameters", "options", "config", "data", "dict", "map")):
        return {"key": name}
    return name


def workflow_input(spec):
    out = {}
    for p in spec.get("input") or []:
        if isinstance(p, str):
            out[p] = typed_value(p) if OPTS.inputs == "typed" else p
    return out


def run_params(spec):
    if spec.get("type") == "reverse":
        tasks = list((spec.get("tasks") or {}).keys())
        if tasks:
            return {"task_name": tasks[-1]}
    return None


def make_cases(out_dir, only):
    with open(VERDICTS) as f:
        files = json.load(f)["files"]
    area = os.path.join(out_dir, "corpus")
    os.makedirs(area, exist_ok=True)
    made = 0
    for entry in files:
        if entry["mistral"] != "accept":
            continue
        if only and only not in entry["file"]:
            continue
        path = os.path.join(CORPUS, entry["file"])
        with open(path) as f:
            text = f.read()
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if entry["kind"] == "workbook":
            wfs = {doc["name"] + "." + k: v for k, v in (doc.get("workflows") or {}).items()}
        else:
            wfs = {k: v for k, v in doc.items() if k not in ("version", "name", "description")}
        for name, spec in wfs.items():
            if not isinstance(spec, dict):
                continue
            case = {"source": "mistral", "workflow": name, "timeout": OPTS.timeout}
            inp = workflow_input(spec)
            if inp:
                case["input"] = inp
            params = run_params(spec)
            if params:
                case["params"] = params
            case["workbook" if entry["kind"] == "workbook" else "definition"] = text
            case["comment"] = entry["file"]
            case_files.dump(os.path.join(area, case_name(entry["file"], name) + ".yaml"), case)
            made += 1
    return made


def freeze(out_dir):
    case_files.ROOT = out_dir
    import gen_engine_cases as gen
    import unittest
    gen.Freeze.cases = gen.load_cases(set())
    unittest.TextTestRunner(verbosity=0).run(unittest.TestSuite([gen.Freeze("test_freeze")]))
    for case in gen.Freeze.results:
        p = case.pop("path")
        case.pop("name")
        case_files.dump(p, case)
    # A case Mistral could not run at all is no comparison: drop it.
    for name in gen.Freeze.failed:
        os.remove(os.path.join(out_dir, "corpus", name + ".yaml"))
    print("Mistral ran %d cases, could not run %d" % (len(gen.Freeze.results), len(gen.Freeze.failed)),
          file=sys.stderr)


def compare(out_dir, runner):
    proc = subprocess.run([runner, "--dir", out_dir], capture_output=True, text=True, timeout=3600)
    print(proc.stdout)
    print(proc.stderr, file=sys.stderr)


OPTS = None


def main():
    global OPTS
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", default=os.path.join(ROOT, "build", "test", "workflows", "workflow_cases"))
    ap.add_argument("--out", default="/tmp/corpus_cases")
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=int, default=8)
    ap.add_argument("--inputs", choices=["names", "typed"], default="names",
                    help="required inputs: each its own name, or a value of the kind its name suggests")
    ap.add_argument("--skip-mistral", action="store_true", help="compare the cases already frozen in OUT")
    OPTS = ap.parse_args()
    if not OPTS.skip_mistral:
        print("made %d cases" % make_cases(OPTS.out, OPTS.only), file=sys.stderr)
        freeze(OPTS.out)
    compare(OPTS.out, OPTS.runner)
    return 0


if __name__ == "__main__":
    sys.exit(main())
