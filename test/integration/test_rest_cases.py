"""Mistral's REST answers across its collections (issue 20, REST).

test/data/api/rest_cases.json holds the real Mistral 15's answers
(scripts/gen_rest_cases.py) to list queries (limit, marker, sort keys and
directions, fields, each filter operator, unknown parameters), lookups,
and bodies wrong in each way a client gets them wrong. Each request is
replayed here, in the same order, against `bora server`; its status and its
JSON (normalised the generator's way) must be Mistral's. A fault's message
is Mistral's, to which Bora may add its hint (how to fix it). Where
Mistral fails with a 500 (a KeyError on a missing field, a database error)
Bora answers a 4xx that says what is wrong (docs/API.md).

    python3 test/integration/test_rest_cases.py            (as a test)
    BORA_REST_DIFF=1 python3 test/integration/test_rest_cases.py   (every difference, one line each)
    BORA_REST_CASES=FILE ...   (another recording: scripts/diff_random_rest.py)"""

import json
import os
import sys
import time
import unittest
import urllib.parse

from bora_server import BoraTestCase

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from gen_rest_cases import dig, fill, link_path, normalise, stable  # noqa: E402

# BORA_REST_CASES: another recording (scripts/diff_random_rest.py's).
CASES = os.environ.get("BORA_REST_CASES") or os.path.join(ROOT, "test", "data", "api", "rest_cases.json")


def is_fault(value):
    return isinstance(value, dict) and "faultstring" in value


def first_line(text):
    """Mistral's message to its first line: what follows is jsonschema's
    dump of the schema, which Bora does not repeat."""
    return str(text).split("\n")[0]


def unknown_arguments(text):
    """The names WSME's 'Unknown argument: "a, b"' or 'Unknown attributes
    for argument x: a, b' lists (a Python set's order, which changes from
    one process to the next), or None."""
    text = str(text)
    if text.startswith('Unknown argument: "'):
        return sorted(text[len('Unknown argument: "'):].split('"')[0].split(", "))
    if text.startswith("Unknown attributes for argument "):
        argument, _, names = text[len("Unknown attributes for argument "):].partition(": ")
        return [argument] + sorted(names.split(", "))
    return None


def canonical(value):
    return json.dumps(value, sort_keys=True)


def difference(case, status, answer):
    """None when Bora's answer is Mistral's, else what differs."""
    want = case["response"]
    if case.get("refused"):
        if status == 400 and is_fault(answer):
            return None
        return "Bora refuses %s with a 400, got %d %s" % (case["refused"], status, canonical(answer)[:300])
    if case["status"] == 500:
        if status < 500:
            return None
        return "Mistral's 500 should be an answer here, got %d %s" % (status, canonical(answer)[:300])
    if status != case["status"]:
        return "status %d, Mistral %d: %s | Mistral: %s" % (status, case["status"], canonical(answer)[:300],
                                                           canonical(want)[:300])
    if is_fault(want):
        if not is_fault(answer):
            return "no fault: %s" % canonical(answer)[:300]
        names = unknown_arguments(want["faultstring"])
        if names is not None and names == unknown_arguments(answer["faultstring"]):
            return None
        if not str(answer["faultstring"]).startswith(first_line(want["faultstring"])):
            return "fault %r | Mistral %r" % (answer["faultstring"], want["faultstring"])
        return None
    if isinstance(want, dict) and "valid" in want and isinstance(answer, dict) and "error" in want:
        # A validator's error: Mistral's first line, then Bora's.
        if answer.get("valid") is not False or not str(answer.get("error")).startswith(first_line(want["error"])):
            return "validation %s | Mistral %s" % (canonical(answer)[:300], canonical(want)[:300])
        return None
    if case.get("unordered"):
        answer = stable(answer, True)  # as the generator froze Mistral's
    if canonical(want) != canonical(answer):
        return "body: " + describe(want, answer)
    return None


def describe(want, got, where=""):
    """Where two JSON values differ, with both sides (Bora's, Mistral's)."""
    if isinstance(want, dict) and isinstance(got, dict):
        parts = [describe(want.get(k), got.get(k), "%s.%s" % (where, k))
                 for k in sorted(set(want) | set(got)) if canonical(want.get(k)) != canonical(got.get(k))]
        return "; ".join(parts)
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        parts = [describe(w, g, "%s[%d]" % (where, i)) for i, (w, g) in enumerate(zip(want, got))
                 if canonical(w) != canonical(g)]
        return "; ".join(parts[:3])
    return "%s: %s | Mistral %s" % (where or "answer", canonical(got)[:400], canonical(want)[:400])


class RestCasesTest(BoraTestCase):
    # The generator opens code sources' and dynamic actions' rules (admin
    # only by Mistral's default policy) and nothing else; Python code
    # sources are taken without authentication here.
    policy = {"%s:%s" % (kind, op): "@" for kind in ("code_sources", "dynamic_actions")
              for op in ("create", "delete", "get", "list", "update", "publicize")}
    config_text = "[python_actions]\ncode_sources = true\n"

    def replay(self, report):
        with open(CASES) as f:
            cases = json.load(f)
        base = "http://127.0.0.1:%d" % urllib.parse.urlsplit(self.server.url).port
        ids = {}
        for case in cases:
            path = fill(case["path"], ids)
            body = fill(case.get("body"), ids)
            status, answer, _ = self.req(case["method"], path, body,
                                         content_type=case.get("content_type"))
            for name, where in case["capture"].items():
                ids[name] = link_path(dig(answer, where))
            if case["wait"]:
                self.wait_quiet(case["wait"])
            answer = normalise(answer if answer != "" else None, base, ids, case.get("drop", ()))
            report("%s %s%s" % (case["method"], case["path"], " " + case["body"][:80] if case.get("body") else ""),
                   difference(case, status, answer))

    def wait_quiet(self, seconds):
        """Mistral's generator slept; Bora's executions are over sooner:
        wait until none runs (bounded by the generator's sleep)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            status, body, _ = self.req("GET", "/v2/executions?state=RUNNING&fields=state")
            if status == 200 and not body.get("executions"):
                return
            time.sleep(0.05)

    def test_answers_as_mistral(self):
        if os.environ.get("BORA_REST_DIFF"):
            found = []

            def report(what, diff):
                if diff:
                    found.append("%s\n    %s" % (what, diff))
            self.replay(report)
            print("\n%d differ:\n%s" % (len(found), "\n".join(found)))
            return

        def check(what, diff):
            with self.subTest(what):
                self.assertIsNone(diff)
        self.replay(check)


if __name__ == "__main__":
    unittest.main()
