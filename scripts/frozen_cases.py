"""Shared by gen_yaql_cases.py and gen_jinja_cases.py: evaluates each source
with the real Mistral (mistral.expressions.evaluate) against the context the
case records, and writes test/data/expr/<kind>/cases.jsonl. Generated
(matrix) cases get an empty context and, when they fail, "error_any": only
the failure is compared, not yaql's or Jinja's wording. A set result is
frozen sorted, with "unordered": compared as a multiset."""
import json
import os

import mistral.expressions as expressions
from mistral_lib import utils as mistral_utils


def mistral_result(text, context):
    """What Mistral answers, as frozen: (result, unordered). A set is
    sorted ("unordered": compared as a multiset), a tuple is a list, any
    other value that is not JSON is what Mistral stores of it (an iterator's
    items, a datetime's text); raises what Mistral raises."""
    result = expressions.evaluate(text, context)
    unordered = False
    if isinstance(result, (set, frozenset)):
        # Python's set order is its hash order (random for strings).
        result = sorted(result, key=repr)
        unordered = True
    if isinstance(result, tuple):
        result = list(result)
    try:
        json.dumps(result)
    except TypeError:
        # What Mistral stores of a value that is not JSON: its database
        # columns write values with mistral_lib's to_json_str (oslo's
        # to_primitive): an iterator or a view becomes its items, a
        # datetime "%Y-%m-%dT%H:%M:%S.%f"; what that refuses ("Circular
        # reference detected") or raises (a generator failing when read)
        # is the error.
        result = json.loads(mistral_utils.to_json_str(result))
    return result, unordered


def freeze(kind, key, written, generated, context, wrap=lambda s: s, name="cases"):
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "data", "expr", kind,
                       name + ".jsonl")
    n = 0
    with open(out, "w") as f:
        for source in written + sorted(generated):
            source = source.strip() if kind == "yaql" else source
            if not source:
                continue
            case = {key: source, "context": {} if source in generated else context}
            try:
                result, unordered = mistral_result(wrap(source), case["context"])
                if unordered:
                    case["unordered"] = True
                case["result"] = result
            except Exception as e:
                msg = str(e)
                if "error=" in msg:
                    msg = msg.split("error=", 1)[1].rsplit(", data=", 1)[0]
                # CPython words its RecursionError by where the limit hit
                # ("... while calling a Python object" or nothing), which
                # moves from run to run: one wording is frozen.
                if msg.startswith("maximum recursion depth exceeded"):
                    msg = "maximum recursion depth exceeded while calling a Python object"
                case["error"] = msg
                if source in generated:
                    case["error_any"] = True
            try:
                line = json.dumps(case, ensure_ascii=False)
                line.encode("utf-8")
            except UnicodeEncodeError:
                # Surrogates in the answer (a pair written as two \u
                # escapes): frozen as Mistral stores it, through JSON, where
                # a pair becomes the character it encodes.
                line = json.dumps(json.loads(json.dumps(case)), ensure_ascii=False)
            f.write(line + "\n")
            n += 1
    print("wrote %d cases to %s" % (n, os.path.normpath(out)))
