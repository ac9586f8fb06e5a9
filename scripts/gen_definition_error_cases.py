#!/usr/bin/python3
"""Freeze the real Mistral's words for refused definitions.

Clients and scripts written for Mistral match on the start of its error
text ("Task 'b' not found.", "Definition could not be parsed:", "Invalid
array in 'with-items' clause: ..."), so Bora's error for the same
definition must start with the same words (lang/problem.h,
Problem::mistral). This runs each definition through Mistral's own parser
(Debian's python3-mistral) and writes test/data/lang/mistral_error_words.json:
per case the definition, Mistral's whole message, and `starts_with`, the
part of it Bora must reproduce: the message cut where Python's rendering of
data begins (a dict's repr, PyYAML's or json's own explanation), and for
a schema refusal only Mistral's generic "Invalid DSL:".

Run: /usr/bin/python3 scripts/gen_definition_error_cases.py
"""
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")
from mistral.lang import parser  # noqa: E402

HEAD = "version: '2.0'\n"
CASES = {
    "task_link_not_found": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n",
    "task_link_not_found_on_error_list": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n"
                                                "      on-error:\n        - nope: <% true %>\n",
    "reverse_requires_not_found": HEAD + "wf:\n  type: reverse\n  tasks:\n    a:\n      action: std.noop\n"
                                         "      requires: [c]\n",
    "yaml_unparsable": HEAD + "wf:\n  tasks: [\n",
    "yaml_bad_indentation": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n     b: 1\n",
    "with_items_invalid_array": HEAD + "wf:\n  tasks:\n    a:\n      with-items: x in [1, 2,]\n"
                                       "      action: std.noop\n",
    "with_items_single_quotes": HEAD + "wf:\n  tasks:\n    a:\n      with-items: x in ['a', 'b']\n"
                                       "      action: std.noop\n",
    "with_items_wrong_format": HEAD + "wf:\n  tasks:\n    a:\n      with-items: x on y\n      action: std.noop\n",
    "with_items_not_strings": HEAD + "wf:\n  tasks:\n    a:\n      with-items: [1]\n      action: std.noop\n",
    "no_start_task": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
                            "    b:\n      action: std.noop\n      on-success: a\n",
    "join_all_no_inbound": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      join: all\n",
    "join_not_enough_inbound": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
                                      "    b:\n      join: 2\n      action: std.noop\n",
    "workflow_name_uuid": HEAD + "123e4567-e89b-12d3-a456-426614174000:\n  tasks:\n    a:\n      action: std.noop\n",
    "task_name_too_long": HEAD + "wf:\n  tasks:\n    " + "t" * 256 + ":\n      action: std.noop\n",
    "join_task_name_too_long": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: " +
                               "j" * 209 + "\n    " + "j" * 209 + ":\n      join: all\n      action: std.noop\n",
    "no_tasks": HEAD + "wf:\n  description: x\n",
    "unknown_task_attribute": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-sucess: b\n",
}

# Where Python's rendering of data begins in a message: Bora words that
# part its own way (with line:column and a hint).
DATA_MARKERS = ["\n", " while ", " {'", " error: ", " expected "]


def starts_with(message):
    if message.startswith("Invalid DSL:"):
        return "Invalid DSL:"
    cut = len(message)
    for m in DATA_MARKERS:
        at = message.find(m)
        if at >= 0:
            cut = min(cut, at)
    return message[:cut].rstrip()


def main():
    out = []
    for name, text in CASES.items():
        try:
            parser.get_workflow_list_spec_from_yaml(text)
            sys.exit("Mistral accepted case %s: it is not a refusal" % name)
        except Exception as e:  # Mistral's DSLParsingException / InvalidModelException
            msg = str(e)
        out.append({"name": name, "definition": text, "mistral_error": msg, "starts_with": starts_with(msg)})
    path = os.path.join(os.path.dirname(__file__), "..", "test", "data", "lang", "mistral_error_words.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "scripts/gen_definition_error_cases.py (python3-mistral)", "cases": out}, f,
                  indent=1, sort_keys=True)
        f.write("\n")
    print("%d cases written to %s" % (len(out), os.path.normpath(path)))


if __name__ == "__main__":
    main()
