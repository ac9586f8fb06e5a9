#!/usr/bin/python3
"""Freeze Mistral's verdict on every definition its language unit tests parse.

Mistral's own language tests (Debian's python3-mistral,
mistral/tests/unit/lang/: v2/test_workflows.py, v2/test_tasks.py,
v2/test_actions.py, v2/test_workbook.py and test_spec_caching.py) build
hundreds of workflow, workbook and action definitions, most by applying
changes to a base dictionary and dumping it as YAML, and expect the parser
to accept or refuse each. Bora must give the same verdict
(test/unit/lang/mistral_lang_suite_test.cpp).

Rather than rewrite each test's construction by hand, this runs those tests
with Mistral's parser entry points (mistral.lang.parser.
get_workflow_list_spec_from_yaml, get_workbook_spec_from_yaml,
get_action_list_spec_from_yaml) wrapped, so the YAML text each test feeds
them is recorded exactly, under the name of the test that built it. Each
distinct text is then parsed again through the same entry point with
validate=True, and the verdict (accept or refuse), Mistral's whole message
and its first line are written to test/data/lang/mistral_lang_suite.json.
The tests themselves must pass (their expectations are Mistral's verdicts);
the script stops if one fails, or if a re-parse disagrees with what the test
saw.

Run: /usr/bin/python3 scripts/gen_lang_suite_cases.py
"""
import inspect
import json
import os
import sys
import threading
import unittest
import warnings

# Python orders a set by the hash seed, and Mistral builds some schemas'
# `required` lists from sets (they show in the verbose part of its
# messages): a fixed seed keeps the frozen file the same from run to run.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

warnings.filterwarnings("ignore")
from mistral.lang import parser  # noqa: E402

MODULES = [
    "mistral.tests.unit.lang.v2.test_workflows",
    "mistral.tests.unit.lang.v2.test_tasks",
    "mistral.tests.unit.lang.v2.test_actions",
    "mistral.tests.unit.lang.v2.test_workbook",
    "mistral.tests.unit.lang.test_spec_caching",
]

ENTRY_POINTS = {
    "workflows": "get_workflow_list_spec_from_yaml",
    "workbook": "get_workbook_spec_from_yaml",
    "actions": "get_action_list_spec_from_yaml",
}
ORIGINAL = {kind: getattr(parser, fn) for kind, fn in ENTRY_POINTS.items()}
TEST_DIR = os.path.dirname(inspect.getfile(__import__("mistral.tests.unit.lang", fromlist=["x"])))

state = threading.local()
current_test = [None]
calls = []  # (test id, kind, text, validate, refused)


def called_from_tests():
    """Whether a lang test (not a fixture such as the DB's preinstalled
    workflows) made this call."""
    f = sys._getframe(2)
    while f is not None:
        if f.f_code.co_filename.startswith(TEST_DIR + os.sep):
            return True
        f = f.f_back
    return False


def wrap(kind):
    original = ORIGINAL[kind]

    def recorded(text, validate=True):
        depth = getattr(state, "depth", 0)
        record = depth == 0 and isinstance(text, str) and called_from_tests()
        state.depth = depth + 1
        try:
            result = original(text, validate=validate)
        except Exception:
            if record:
                calls.append((current_test[0], kind, text, validate, True))
            raise
        finally:
            state.depth = depth
        if record:
            calls.append((current_test[0], kind, text, validate, False))
        return result

    return recorded


class Result(unittest.TestResult):
    def startTest(self, test):
        current_test[0] = test.id()
        super().startTest(test)


def run_tests():
    for kind, fn in ENTRY_POINTS.items():
        setattr(parser, fn, wrap(kind))
    # Loading creates the test instances, whose __init__ keeps the parser
    # function (v2/base.py): the wrappers are in place before.
    suite = unittest.defaultTestLoader.loadTestsFromNames(MODULES)
    result = Result()
    suite.run(result)
    for kind, fn in ENTRY_POINTS.items():
        setattr(parser, fn, ORIGINAL[kind])
    problems = result.errors + result.failures
    if problems or result.testsRun == 0:
        for test, tb in problems:
            print(test.id(), tb, file=sys.stderr)
        sys.exit("Mistral's lang tests did not all pass (%d run)" % result.testsRun)
    return result.testsRun


def short_name(test_id):
    # mistral.tests.unit.lang.v2.test_tasks.TaskSpecValidation.test_inputs
    parts = test_id.split(".")
    return parts[-3] + "." + parts[-1]


def main():
    ran = run_tests()
    cases = []
    seen = set()
    variants = {}
    for test_id, kind, text, validate, refused in calls:
        if not validate:
            continue  # Mistral's verdict without validation is not what Bora gives
        key = (kind, text)
        if key in seen:
            continue
        seen.add(key)
        base = short_name(test_id)
        variants[base] = variants.get(base, 0) + 1
        try:
            ORIGINAL[kind](text, validate=True)
            error = None
        except Exception as e:  # DSLParsingException and its kinds
            error = str(e)
        if (error is not None) != refused:
            sys.exit("%s: Mistral's verdict differs from the test's run" % base)
        case = {
            "name": "%s#%d" % (base, variants[base]),
            "kind": kind,
            "definition": text,
            "verdict": "refuse" if error is not None else "accept",
            "mistral_error": error,  # null when accepted
            "first_line": error.split("\n", 1)[0] if error is not None else None,
        }
        cases.append(case)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "data", "lang",
                        "mistral_lang_suite.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "scripts/gen_lang_suite_cases.py (python3-mistral's lang unit tests)",
                   "cases": cases}, f, indent=1, sort_keys=True)
        f.write("\n")
    accepted = sum(1 for c in cases if c["verdict"] == "accept")
    print("%d tests run; %d cases (%d accept, %d refuse) written to %s" %
          (ran, len(cases), accepted, len(cases) - accepted, os.path.normpath(path)))


if __name__ == "__main__":
    main()
