#!/usr/bin/python3
"""Freezes what the real Mistral (Debian's python3-mistral 15) says of each
workflow file of ../shared/corpora/mistral-realworld: accepted, or refused
with the first line of its error. Writes test/data/lang/corpus_verdicts.json,
which test/integration/test_corpus_acceptance.py compares with `bora
validate`. The corpus itself stays in ../shared (it is read at test time).

Mistral's own rule is what its API applies on create:
get_workflow_list_spec_from_yaml / get_workbook_spec_from_yaml with
validation on (mistral/services/workflows.py, workbooks.py).

Run with Debian's /usr/bin/python3 (it has python3-mistral):
  /usr/bin/python3 scripts/gen_corpus_verdicts.py [CORPUS_DIR]"""
import hashlib
import json
import logging
import os
import sys
import warnings

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

from mistral.lang import parser  # noqa: E402

# Where Bora follows a later Mistral than Debian's 15 on purpose: `on-skip`
# and `publish-on-skip` are in Mistral's master branch (mistral/lang/v2/
# tasks.py, TaskSpec and its on-skip transitions), and Bora implements them.
LATER_MISTRAL = {
    "Netcracker/qubership-mistral/tests/robot/workflows/task_skip_with_on_skip.yaml":
        "on-skip and publish-on-skip: accepted by Mistral's master branch, which Bora follows here",
}

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "mistral-realworld")
OUT = os.path.join(ROOT, "test", "data", "lang", "corpus_verdicts.json")


def definition_names(kind, spec):
    """The names Mistral stores definitions under (its models' `name`)."""
    if kind == "workbook":
        yield spec.get_name()
        for wf in spec.get_workflows():
            yield spec.get_name() + "." + wf.get_name()
        for action in spec.get_actions():
            yield spec.get_name() + "." + action.get_name()
    else:
        for wf in spec.get_workflows():
            yield wf.get_name()


def verdict(kind, text):
    try:
        if kind == "workbook":
            spec = parser.get_workbook_spec_from_yaml(text, validate=True)
        else:
            spec = parser.get_workflow_list_spec_from_yaml(text, validate=True)
        # mistral/db/v2/sqlalchemy/models.py: validate_name_has_no_spaces,
        # applied when the definition row is written.
        for name in definition_names(kind, spec):
            if name and " " in name:
                return {"mistral": "refuse",
                        "error": "InvalidModelException: Name '%s' must not contain spaces" % name}
        return {"mistral": "accept"}
    except Exception as e:  # every refusal Mistral's API would answer with
        first = (str(e).splitlines() or [""])[0]
        return {"mistral": "refuse", "error": type(e).__name__ + ": " + first[:200]}


def main():
    corpus = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CORPUS)
    manifest = json.load(open(os.path.join(corpus, "manifest.json")))
    out = []
    for entry in manifest["files"]:
        raw = open(os.path.join(corpus, entry["file"]), "rb").read()
        text = raw.decode("utf-8", errors="surrogateescape")
        v = verdict(entry["kind"], text)
        v.update({"file": entry["file"], "kind": entry["kind"],
                  "sha256": hashlib.sha256(raw).hexdigest()})
        if entry["file"] in LATER_MISTRAL:
            v["bora"] = "accept"
            v["why"] = LATER_MISTRAL[entry["file"]]
        out.append(v)
        print(("." if v["mistral"] == "accept" else "x"), end="", flush=True, file=sys.stderr)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"generator": "scripts/gen_corpus_verdicts.py", "mistral": "python3-mistral 15 (Debian)",
                   "files": out}, f, indent=1, sort_keys=False)
        f.write("\n")
    accepted = sum(1 for v in out if v["mistral"] == "accept")
    print(f"\n{len(out)} files: Mistral accepts {accepted}, refuses {len(out) - accepted}", file=sys.stderr)


if __name__ == "__main__":
    main()
