"""Reads and writes the workflow case files of test/workflows/<area>/<case>.yaml
(the format is described in test/workflows/README.md) for the scripts that
produce them: scripts/gen_engine_cases.py (answers of the real Mistral) and
the one-time conversion of the former test/data/engine/cases.jsonl.

A case file is the part a person writes (source, workflow, input, params,
steps, actions, workbook, definition, http) followed by `expect:`, the
part the generator writes. Texts that carry a volatile part are written
with a matcher: ids as <id>, Python object reprs as <action>, and a text
holding a Python traceback or Mistral's dump of its context (", data=") as
`!prefix` of its first line. Needs python3-yaml (a developer's tool: the
tests read the files with Bora's own YAML reader)."""
import os
import re

import yaml

# BORA_WORKFLOW_CASES_DIR: another folder of cases in the same format (the
# random cases of scripts/diff_random_workflows.py); test/workflows by default.
ROOT = os.environ.get("BORA_WORKFLOW_CASES_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "test", "workflows")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
OBJECT = re.compile(r"<mistral\.actions\.[\w.]+ object at 0x[0-9a-f]+>")
# Another object's repr (urllib3's connection in a std.http failure): its
# address is where it happened to be.
ADDRESS = re.compile(r" object at 0x[0-9a-f]+>")
# The order of a case file's keys: what a person writes, then the expected part.
INPUT_KEYS = ("source", "http", "workflow", "count_actions", "input", "params", "seed", "timeout", "settle", "steps", "actions", "workbook", "definition")


class Prefix(str):
    """An expected text that the actual one starts with."""


class Any:
    """Any value."""


def _prefix(dumper, value):
    return dumper.represent_scalar("!prefix", str(value), style='"' if "\n" in value else None)


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    def represent_str(self, value):
        # Definitions and other multi-line texts as literal blocks.
        style = "|" if "\n" in value and not value.startswith(" ") else None
        return self.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _Dumper.represent_str)
_Dumper.add_representer(Prefix, _prefix)
_Dumper.add_representer(Any, lambda d, v: d.represent_scalar("!any", ""))
_Loader.add_constructor("!prefix", lambda loader, node: Prefix(loader.construct_scalar(node)))
_Loader.add_constructor("!any", lambda loader, node: Any())


def expected_text(text):
    """The matcher-form of a text from Mistral."""
    if not isinstance(text, str):
        return text
    text = ADDRESS.sub(" object at 0x...>", OBJECT.sub("<action>", UUID.sub("<id>", text)))
    if "Traceback" in text or ", data=" in text:
        return Prefix(text.split("\n")[0].split(", data=")[0])
    return text


def expected_value(value):
    if isinstance(value, str):
        return expected_text(value)
    if isinstance(value, list):
        return [expected_value(v) for v in value]
    if isinstance(value, dict):
        return {k: expected_value(v) for k, v in value.items()}
    return value


def expected_part(state, state_info, output, tasks, subworkflows=None):
    """`expect:` from what the engine did; tasks are dicts with name, state,
    state_info, published, result (and actions, the states of its action
    executions, "STATE" or "STATE unaccepted", when the case counts them); subworkflows (written when there are
    any) dicts with workflow, task (the workflow task that started it),
    state, state_info."""
    tasks = sorted(tasks, key=lambda t: (t["name"], t["state"], repr(t.get("result"))))
    def task_part(t):
        row = {"name": t["name"], "state": t["state"], "state_info": expected_text(t.get("state_info")),
               "published": expected_value(t.get("published") or {}),
               "result": expected_value(t.get("result"))}
        if "actions" in t:  # `count_actions: true`
            row["actions"] = sorted(t["actions"])
        return row

    part = {
        "state": state,
        "state_info": expected_text(state_info),
        "output": expected_value(output if output is not None else {}),
        "tasks": [task_part(t) for t in tasks],
    }
    if subworkflows:
        subs = sorted(subworkflows, key=lambda s: (s["task"], s["workflow"], s["state"]))
        part["subworkflows"] = [{"workflow": s["workflow"], "task": s["task"], "state": s["state"],
                                 "state_info": expected_text(s.get("state_info"))} for s in subs]
    return part


def load(path):
    with open(path) as f:
        text = f.read()
    case = yaml.load(text, Loader=_Loader)
    # The comment lines at the top of a file are kept when it is rewritten.
    lines = []
    for line in text.split("\n"):
        if not line.startswith("#"):
            break
        lines.append(line[1:].strip())
    if lines:
        case["comment"] = "\n".join(lines)
    case["name"] = os.path.splitext(os.path.basename(path))[0]
    case["path"] = path
    return case


def all_paths():
    out = []
    for area in sorted(os.listdir(ROOT)):
        d = os.path.join(ROOT, area)
        if os.path.isdir(d):
            out += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".yaml")]
    return out


def dump(path, case):
    """Writes a case: the written part in INPUT_KEYS order, then `expect`."""
    parts = []
    header = case.get("comment")
    if header:
        parts.append("".join("# " + line + "\n" for line in header.strip().split("\n")))
    for key in INPUT_KEYS:
        if case.get(key) is not None:
            # Scalars in block style (a definition as a literal block), the
            # innermost collections of input, params and steps in flow style.
            flow = None if isinstance(case[key], (dict, list)) else False
            parts.append(yaml.dump({key: case[key]}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                   width=4096, default_flow_style=flow))
    if case.get("expect") is not None:
        parts.append(yaml.dump({"expect": case["expect"]}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                               width=4096, default_flow_style=False))
    # PyYAML ends a document whose last scalar keeps its trailing newlines
    # (`|+`) with "..."; between two keys that would end the file's
    # document.
    parts = [p[:-4] if p.endswith("\n...\n") else p for p in parts]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(parts))
