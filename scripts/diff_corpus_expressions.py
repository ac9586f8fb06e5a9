#!/usr/bin/python3
"""Differential campaign over Jinja2 expressions AS USERS WRITE THEM: every
Jinja template ({{ }} and {% %}) found in the real workflows under
../shared/corpora/ (and in the workflow texts of Mistral's own unit tests),
each evaluated against several synthetic data contexts built from the
names it reads and the workflow's inputs (strings, numbers, lists of dicts,
nulls, nested dicts, the inputs' defaults), then mutated (filter arguments
swapped, literals of another type, other context values read, a filter
appended); plus a hand-written library of realistic template snippets by
category (string methods, format and %, dict and list building, loops,
macros, namespace, whitespace control, dates as strings, unicode, big
numbers, sorting, groupby, map/select chains, json and yaml) filled with
random parameters.

Each case is evaluated with the real Mistral and with `bora eval --batch`;
evaluation and comparison are diff_expressions.py's (imported, not copied):
an error on both sides is the same answer, values compare with their JSON
types. A tool to find differences, not a test: what it finds is fixed in
src/expr/jinja and frozen into gen_jinja_cases.py.

StackStorm's orquesta spells the data context ctx(): `ctx().x`, `ctx('x')`
and `ctx(x)` are read as Mistral's `_.x` (the original is kept too);
`task('t')` is Mistral's database lookup, which the evaluator alone cannot
do: it is read as the task's record held in the context (`_.__tasks['t']`),
so that what users chain after it is compared. env() reads `__env`, as in
Mistral.

Run with Debian's /usr/bin/python3:
  scripts/diff_corpus_expressions.py [--only jinja] [--bora build/src/cli/bora]
      [--seed 1] [--contexts 6] [--mutations 8] [--library 3000]
      [--corpora ../shared/corpora] [--show 3] [--json diffs.jsonl] [--print] [--errors]
"""
import argparse
import collections
import glob
import json
import os
import random
import re
import sys

import diff_expressions as dx

sys.stdout.reconfigure(errors="backslashreplace")

HERE = os.path.dirname(os.path.abspath(__file__))
MISTRAL_TESTS = "/usr/lib/python3/dist-packages/mistral/tests"

# ------------------------------------------------------------ the corpus
JINJA = re.compile(r"{{.*?}}|{%.*?%}", re.S)


def yaml_files(root):
    out = []
    for pattern in ("**/*.yaml", "**/*.yml"):
        out += glob.glob(os.path.join(root, pattern), recursive=True)
    return sorted(set(out))


def walk(node, strings, inputs):
    """Collects the strings holding Jinja and the names a workflow declares
    (input, vars, publish, output), with their defaults."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("input", "vars", "output", "parameters") and isinstance(v, list):
                for item in v:
                    if isinstance(item, str):
                        inputs.setdefault(item, None)
                    elif isinstance(item, dict):
                        for name, default in item.items():
                            if isinstance(name, str):
                                inputs[name] = default
            if k in ("publish", "publish-on-error", "output", "vars") and isinstance(v, dict):
                for name in v:
                    if isinstance(name, str):
                        inputs.setdefault(name, None)
            if k == "parameters" and isinstance(v, dict):
                for name, spec in v.items():
                    default = spec.get("default") if isinstance(spec, dict) else None
                    inputs.setdefault(name, default)
            walk(v, strings, inputs)
    elif isinstance(node, list):
        for x in node:
            walk(x, strings, inputs)
    elif isinstance(node, str) and ("{{" in node or "{%" in node):
        strings.append(node)


def corpus_templates(root):
    """[(template, {input: default}, source)] from the YAML files under root
    and the workflow texts in Mistral's unit tests."""
    import yaml

    out = []
    for path in yaml_files(root):
        try:
            with open(path, encoding="utf-8") as f:
                docs = list(yaml.safe_load_all(f))
        except Exception:  # noqa: BLE001 -- a file YAML cannot read has nothing to give
            continue
        strings, inputs = [], {}
        for d in docs:
            walk(d, strings, inputs)
        for s in strings:
            out.append((s, inputs, os.path.relpath(path, root)))
    # Mistral's own tests: workflow texts in Python strings; each line
    # holding Jinja, from its value on.
    for path in glob.glob(os.path.join(MISTRAL_TESTS, "**/*.py"), recursive=True):
        try:
            text = open(path, encoding="utf-8").read()
        except OSError:
            continue
        for line in text.splitlines():
            if "{{" not in line and "{%" not in line:
                continue
            m = re.match(r"\s*(?:-\s*)?[\w-]+:\s*(.*)$", line) or re.match(r"\s*-\s*(.*)$", line)
            value = (m.group(1) if m else line).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if ("{{" in value and "}}" in value) or ("{%" in value and "%}" in value):
                out.append((value, {}, "mistral:" + os.path.relpath(path, MISTRAL_TESTS)))
    return out


def mistral_spelling(t):
    """orquesta's ctx() and Mistral's task() as the data context reads them."""
    t = re.sub(r"\bctx\(\)\.", "_.", t)
    t = re.sub(r"\bctx\(\s*['\"](\w+)['\"]\s*\)", r"_.\1", t)
    t = re.sub(r"\bctx\(\s*(\w+)\s*\)", r"_.\1", t)
    t = re.sub(r"\bctx\(\)", "_", t)
    t = re.sub(r"\btask\(\s*(['\"]\w+['\"])\s*\)", r"_.__tasks[\1]", t)
    t = re.sub(r"\btask\(\)", "_.__task", t)
    t = re.sub(r"\bexecution\(\)", "_.__execution", t)
    t = re.sub(r"\btasks\([^()]*\)", "_.__task_list", t)
    return t


# What the evaluator alone cannot answer (Mistral reads its database).
NEEDS_DB = re.compile(r"\b(?:tasks|executions|execution|global)\(")


# --------------------------------------------------------- the contexts
# What the names a template reads are given: the types users' data has.
LEAVES = [
    "web-1", "", "Hello, World", "Jörg Müller straße", "42", "2.5", "true", "2024-02-29T12:30:00",
    "a,b,,c", "  padded  ", "line1\nline2", "x" * 90, "ǅemo 😀", "10.0.0.5", "http://example.org/a?b=1",
    0, 1, -7, 3, 12345678901234567890, 2 ** 64, 2.5, -0.5, 1e20, 0.1, 1.0, True, False, None,
    [], {}, [1, 2, 3], [3, 1, 2, 1], ["b", "A", "c"], ["pear", "Apple", "fig", ""],
    [{"name": "ann", "age": 31, "tags": ["a"]}, {"name": "Bob", "age": 25, "tags": []}, {"name": "cy", "age": None}],
    {"x": 1, "y": {"z": "deep"}, "list": [1, 2]}, {"code": 200, "body": {"items": [1, 2], "next": None}},
    [[1, 2], [3]], [None, 1, "a"], {"a": None}, [1.5, 2, "3"],
]
TASK = {"id": "a1b2", "name": "t", "state": "SUCCESS", "state_info": None, "type": "ACTION",
        "workflow_execution_id": "w1", "created_at": "2024-01-01 00:00:00", "updated_at": "2024-01-01 00:00:01",
        "spec": {"action": "std.noop"}, "published": {}}


def reads(t):
    """{name: shape}: what the template reads of _ (attributes, indexes)."""
    shapes = {}
    for m in re.finditer(r"\b_((?:\.\w+|\[\s*(?:'[^']*'|\"[^\"]*\"|-?\d+)\s*\])+)", t):
        path = re.findall(r"\.(\w+)|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]|\[\s*(-?\d+)\s*\]", m.group(1))
        node = shapes
        for attr, k1, k2, idx in path:
            key = attr or k1 or k2 or int(idx)
            node = node.setdefault(key, {})
    return shapes


def fit(shape, r):
    """A value read as the shape reads it (a dict by name, a list by index),
    its leaves drawn from LEAVES."""
    if not shape:
        return r.choice(LEAVES)
    if all(isinstance(k, int) for k in shape):
        n = max(abs(k) + (0 if k < 0 else 1) for k in shape)
        return [fit(shape.get(i, shape.get(i - n, {})), r) for i in range(n + r.randrange(2))]
    out = {}
    for k, sub in shape.items():
        out[str(k)] = fit(sub, r)
    if r.random() < 0.3:
        out["extra"] = r.choice(LEAVES)
    return out


def contexts(t, inputs, r, count):
    """count data contexts for template t: the inputs' defaults, values that
    fit what it reads, then values of any type."""
    shapes = reads(t)
    names = set(shapes) | set(inputs)
    out = []
    for i in range(count):
        ctx = {}
        for name in sorted(names, key=str):
            if i == 0 and inputs.get(name) is not None:
                ctx[name] = inputs[name]
            elif i <= 1 or r.random() < 0.5:
                ctx[name] = fit(shapes.get(name, {}), r)
            else:
                ctx[name] = r.choice(LEAVES)
        if "__tasks" in shapes or "__task" in shapes:
            tasks = {}
            for name, sub in shapes.get("__tasks", {}).items():
                task = dict(TASK, name=name)
                task["result"] = fit(sub.get("result", {}), r) if i else {"stdout": "ok\n", "result": {}}
                tasks[name] = task
            ctx["__tasks"] = tasks
            ctx["__task"] = dict(TASK, result=fit(shapes.get("__task", {}).get("result", {}), r))
        if "__task_list" in shapes:
            ctx["__task_list"] = [dict(TASK, name="t%d" % k, result=r.choice(LEAVES)) for k in range(r.randrange(4))]
        if "__execution" in shapes:
            ctx["__execution"] = {"id": "w1", "name": "wf", "spec": {"name": "wf"}, "params": {},
                                  "input": {k: v for k, v in ctx.items() if not k.startswith("__")},
                                  "created_at": "2024-01-01 00:00:00", "updated_at": "2024-01-01 00:00:01",
                                  "root_execution_id": None}
        ctx["__env"] = {"region": "eu-west", "retries": 3, "debug": False, "names": ["a", "b"]}
        out.append(json.loads(json.dumps(ctx)))  # as JSON carries it (int keys become text)
    return out


# --------------------------------------------------------- the mutations
LITERALS = ["0", "1", "-1", "2", "10", "2.5", "''", "'x'", "','", "' '", "none", "true", "false", "[]", "[1, 2]",
            "{}", "{'a': 1}", "'é'", "2 ** 70", "'%s'", "'{}'", "('a', 'b')"]
APPENDED = ["string", "length", "list", "sort", "first", "last", "tojson", "int", "float", "default('d')",
            "join(',')", "upper", "trim", "unique | list", "reverse | list", "dictsort", "items | list", "pprint",
            "json_dump", "yaml_dump", "sum", "min", "max", "count", "wordcount", "title", "capitalize",
            "batch(2) | list", "map('string') | list", "select | list", "reject('none') | list", "abs", "round(1)",
            "e", "truncate(10)", "center(12)", "indent(2)", "replace('a', 'b')", "format", "urlencode",
            "selectattr('name') | list", "map(attribute='name') | list", "groupby('name') | list", "tojson(2)",
            "string | length", "list | length", "bool", "string | reverse", "slice(2) | list", "random is defined"]


def split_args(s):
    """The top-level comma-separated pieces of an argument list."""
    out, depth, cur, quote = [], 0, "", None
    for ch in s:
        if quote:
            cur += ch
            if ch == quote:
                quote = None
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x.strip() for x in out]


CALL = re.compile(r"(\|\s*\w+|\.\w+)\(([^()]*)\)")
LITERAL = re.compile(r"'[^'\\]*'|\"[^\"\\]*\"|\b\d+(?:\.\d+)?\b|\b(?:none|None|true|True|false|False)\b")
VALUE = re.compile(r"\b_\.\w+(?:\.\w+)*")
EXPR_END = re.compile(r"\s*-?}}")


def mutations(t, names, r, count):
    out = set()
    for _ in range(count * 3):
        if len(out) >= count:
            break
        kind = r.randrange(5)
        if kind == 0:  # a call's arguments swapped, dropped or one more
            calls = list(CALL.finditer(t))
            if not calls:
                continue
            m = r.choice(calls)
            args = split_args(m.group(2)) if m.group(2).strip() else []
            choice = r.randrange(3)
            if choice == 0 and len(args) >= 2:
                i, j = r.sample(range(len(args)), 2)
                args[i], args[j] = args[j], args[i]
            elif choice == 1 and args:
                args.pop(r.randrange(len(args)))
            else:
                args.insert(r.randrange(len(args) + 1), r.choice(LITERALS))
            out.add(t[:m.start()] + "%s(%s)" % (m.group(1), ", ".join(args)) + t[m.end():])
        elif kind == 1:  # a literal of another type
            lits = list(LITERAL.finditer(t))
            if not lits:
                continue
            m = r.choice(lits)
            out.add(t[:m.start()] + r.choice(LITERALS) + t[m.end():])
        elif kind == 2:  # another context value read
            vals = list(VALUE.finditer(t))
            if not vals or not names:
                continue
            m = r.choice(vals)
            out.add(t[:m.start()] + "_." + r.choice(names) + t[m.end():])
        elif kind == 3:  # a filter appended to an output
            ends = list(EXPR_END.finditer(t))
            if not ends:
                continue
            m = r.choice(ends)
            out.add(t[:m.start()] + " | " + r.choice(APPENDED) + t[m.start():])
        else:  # an output wrapped in a filter's argument or an inline if
            m = re.search(r"{{-?\s*(.*?)\s*-?}}", t, re.S)
            if not m:
                continue
            e = m.group(1)
            wrap = r.choice(["(%s) if %s else 'none'", "[%s] | first", "(%s, 1) | first", "%s ~ ''",
                             "(%s) | default('empty', true)", "(%s) is string", "(%s) in ['a', 1]"])
            out.add(t[:m.start(1)] + wrap.replace("%s", e, 1).replace("%s", e) + t[m.end(1):])
    return sorted(out)


# ------------------------------------------------ the hand-written library
# Each entry: a template with {slots}, filled from SLOTS (or from its own
# pools after a '|': "{n|0,1,5}"). Grouped by what users write.
SLOTS = {
    "s": ["'Hello, World'", "'  padded text  '", "'a,b,,c'", "'Jörg Müller'", "'straße'", "''", "'web-01.prod'",
          "'ǅemo'", "'x.y.z'", "'line1\\nline2\\r\\nline3'", "'İstanbul'", "'😀 smile'", "'tab\\there'",
          "_.name", "_.msg", "_.path", "_.csv", "'%s'", "'{}'", "'a' * 30"],
    "sep": ["','", "'.'", "' '", "'-'", "''", "none", "', '", "'ab'", "'\\n'"],
    "n": ["0", "1", "2", "-1", "3", "10", "none", "true", "2.5", "'2'"],
    "w": ["0", "5", "10", "20", "-3", "80", "1"],
    "fill": ["'*'", "'-'", "' '", "'ab'", "''", "1", "'é'"],
    "num": ["0", "1", "-7", "3.14159", "2 ** 64", "12345678901234567890", "1e20", "0.1 + 0.2", "1/3", "-0.0",
            "1e-5", "123456789.123456789", "10 ** 20 / 3", "2 ** 53 + 1", "_.count", "_.big", "_.ratio", "true",
            "1e16", "1.5e300 * 10", "-2 ** 63", "7 // 2", "-7 // 2", "-7 % 3", "7.5 % 2", "2 ** -1", "10 / 4"],
    "fmt": ["'%s'", "'%d'", "'%5d|'", "'%-5d|'", "'%05d'", "'%+d'", "'%x'", "'%X'", "'%o'", "'%e'", "'%.2f'",
            "'%10.3f|'", "'%g'", "'%G'", "'%r'", "'%a'", "'%c'", "'%i'", "'%u'", "'%%%s'", "'%#x'", "'%.3s'",
            "'%*d'", "'% d'", "'%.0f'", "'%s and %s'", "'%(k)s'", "'%s%%'"],
    "pyfmt": ["'{}'", "'{:>10}|'", "'{:<8}|'", "'{:^9}|'", "'{:*^9}'", "'{:,}'", "'{:_}'", "'{:.2%}'", "'{:.3f}'",
              "'{:e}'", "'{:x}'", "'{:#b}'", "'{:08.3f}'", "'{!r}'", "'{!s:>6}'", "'{0}{0}'", "'{:+}'", "'{:g}'",
              "'{:n}'", "'{:c}'", "'{:d}'", "'{:10}|'", "'{0[0]}'", "'{k}'", "'{:=+8}'"],
    "list": ["[3, 1, 2]", "['b', 'A', 'c', 'a']", "[]", "[1, '1', 1.0]", "[none, 0, '']", "_.nums", "_.words",
             "_.vms", "[[1, 2], [3]]", "['x']", "range(5) | list", "[1.5, 2, -3]", "_.matrix", "[true, false]",
             "['10', '9', '100']", "[{'a': 1}, {'a': 2}]", "(1, 2, 3)"],
    "dict": ["{'a': 1, 'b': 2}", "{}", "{'b': [1], 'a': {'c': none}}", "_.result", "_.meta", "{'k': 'v', 'K': 'V'}",
             "{1: 'one', 'x': 2}", "_.vms[0]", "{'a': 'é', 'z': 2.5}"],
    "attr": ["'name'", "'cpu'", "'mem'", "'meta.zone'", "'tags'", "'disk'", "'status'", "'ip'", "'nope'",
             "'tags.0'", "'cpu,name'", "'meta.owner'"],
    "val": ["_.nums", "_.words", "_.vms", "_.name", "_.count", "_.nothing", "_.result", "_.big", "_.empty",
            "_.edict", "_.ratio", "_.flag", "_.date_s", "_.num_s", "_.matrix", "_.csv", "_.floats", "'abc'", "1",
            "none", "[1, [2, [3]]]", "{'a': [1, {'b': none}]}", "'2024-01-01'", "'yes'", "'1e3'", "'0x1A'"],
    "yaml": ["'a: 1'", "'- x\\n- y'", "'yes'", "'no'", "'on'", "'1e3'", "'1.0e+3'", "'0x1A'", "'0o17'", "'017'",
             "'~'", "'null'", "'2020-01-01'", "'12:30'", "'1_000'", "'\"quoted\"'", "'a: [1, 2]\\nb: {c: d}'",
             "'.inf'", "'-.nan'", "'!!str 1'", "'a: b: c'", "''", "'[1, 2'", "'Yes'", "'TRUE'", "'+1'", "'1:30'",
             "'key: |\\n  text\\n'", "'a: &x 1\\nb: *x'", "'é: ü'", "'1e400'", "'123456789012345678901234567890'"],
    "json": ["'{\"a\": 1}'", "'[1, 2.0, \"x\"]'", "'1e400'", "'NaN'", "'-Infinity'", "'123456789012345678901234567890'",
             "'1.0'", "'\"\\\\u00e9\"'", "'{\"a\": {\"b\": [null, true]}}'", "'[1,]'", "''", "'tru'", "' 7 '",
             "'{\"a\": 1, \"a\": 2}'", "'1.5e3'", "'-0'", "'-0.0'"],
    "case": ["true", "false"],
    "rev": ["true", "false"],
    "test": ["'equalto', 2", "'gt', 1", "'odd'", "'even'", "'none'", "'string'", "'number'", "'defined'",
             "'in', [1, 2]", "'ne', 'a'", "'lower'", "'sequence'", "'mapping'", "'divisibleby', 3", "'sameas', none",
             "'truthy'", "'ge', 2", "'iterable'", "'boolean'", "'integer'", "'float'", "'undefined'", "'callable'"],
    "filter": ["'upper'", "'string'", "'int'", "'float'", "'length'", "'lower'", "'trim'", "'abs'", "'list'",
               "'first'", "'title'", "'default', 'x'", "'round'", "'e'", "'tojson'", "'join', '-'", "'reverse'"],
}

LIBRARY = {
    "string methods": [
        "{{ {s}.split({sep}) }}", "{{ {s}.split({sep}, {n}) }}", "{{ {s}.rsplit({sep}, {n}) }}",
        "{{ {s}.strip({sep}) }}", "{{ {s}.lstrip({fill}) }}", "{{ {s}.replace({sep}, {fill}) }}",
        "{{ {s}.replace({sep}, {fill}, {n}) }}", "{{ {s}.center({w}, {fill}) }}", "{{ {s}.ljust({w}, {fill}) }}|",
        "{{ {s}.rjust({w}) }}", "{{ {s}.zfill({w}) }}", "{{ {s}.partition({sep}) }}", "{{ {s}.rpartition({sep}) }}",
        "{{ {s}.find({sep}, {n}) }}", "{{ {s}.count({sep}) }}", "{{ {s}.startswith(({sep}, {fill})) }}",
        "{{ {s}.endswith({sep}, {n}) }}", "{{ {s}.title() }}", "{{ {s}.capitalize() }}", "{{ {s}.swapcase() }}",
        "{{ {s}.casefold() }}", "{{ {s}.expandtabs({w}) }}", "{{ {s}.splitlines({case}) }}",
        "{{ {sep}.join({list}) }}", "{{ {sep}.join({s}) }}", "{{ {s}.index({sep}) }}", "{{ {s}.isdigit() }}",
        "{{ {s}.upper().lower() == {s}.lower() }}", "{{ {s}[{n}:] }}", "{{ {s}[::{n}] }}", "{{ {s}[-{w}:] }}",
        "{{ {s}.removeprefix({sep}) }}", "{{ {s} | replace({sep}, {fill}) }}", "{{ {s} | truncate({w}) }}",
        "{{ {s} | truncate({w}, {case}, {fill}, {n}) }}", "{{ {s} | wordwrap({w}) }}", "{{ {s} | center({w}) }}",
        "{{ {s} | indent({w}, {case}, {case}) }}", "{{ {s} | wordcount }}", "{{ {s} | striptags }}",
        "{{ {s} | urlencode }}", "{{ {s} | title }}", "{{ {s} | list | reverse | join }}",
        "{{ {s}.split({sep}) | map('trim') | reject('equalto', '') | list }}", "{{ ({s} ~ {s}) | length }}",
        "{{ {s}.encode('utf-8') | length }}", "{{ {s}.format({val}) }}", "{{ {s} * {n} }}", "{{ {s} in {list} }}",
    ],
    "format and %": [
        "{{ {fmt} % {num} }}", "{{ {fmt} % ({num},) }}", "{{ {fmt} | format({num}) }}", "{{ {fmt} % {val} }}",
        "{{ {pyfmt}.format({num}) }}", "{{ {pyfmt}.format({val}) }}", "{{ {pyfmt}.format({s}) }}",
        "{{ '%s-%s' % ({s}, {num}) }}", "{{ '%(a)s/%(b)05.1f' % {'a': {s}, 'b': {num}} }}",
        "{{ '{0}:{1}'.format({s}, {num}) }}", "{{ '{a}-{b}'.format(a={s}, b={num}) }}", "{{ {fmt} % () }}",
        "{{ '%s' | format({list}) }}", "{{ '%s %s' | format({s}, {val}) }}", "{{ {fmt} | format(*{list}) }}",
        "{{ '{:>{w}}'.format({s}, w={w}) }}", "{{ {pyfmt}.format(*{list}) }}",
    ],
    "dict and list building": [
        "{% set d = {} %}{% set _x = d.update({'k': {val}}) %}{{ d }}",
        "{% set d = {dict} %}{% set _x = d.update(z={val}) %}{{ d | dictsort }}",
        "{% set l = [] %}{% for x in {list} %}{% set _x = l.append(x) %}{% endfor %}{{ l }}",
        "{% set l = {list} | list %}{% set _x = l.extend({list}) %}{{ l }}",
        "{% set l = {list} | list %}{% set _x = l.insert({n}, {val}) %}{{ l }}",
        "{% set l = {list} | list %}{{ l.pop() if l else 'empty' }}{{ l }}",
        "{{ {dict}.get({attr}, {val}) }}", "{{ {dict}.items() | list }}", "{{ {dict} | dictsort({case}, 'value') }}",
        "{{ {dict}.keys() | list | sort }}", "{{ {dict}.values() | list }}", "{{ dict({dict}, x={val}) }}",
        "{{ {list}[{n}:{w}] }}", "{{ {list}[::-1] }}", "{{ {list} + {list} }}", "{{ {list} | unique | list }}",
        "{{ {list} | batch({w}, {fill}) | list }}", "{{ {list} | slice({w}) | list }}", "{{ {dict} | list }}",
        "{{ {dict}.setdefault('new', {val}) }}", "{{ {dict} | items | list }}", "{{ {dict} | tojson }}",
        "{{ {list} | zip_longest is defined }}", "{% set d = {dict} %}{{ d.pop({attr}, 'none') }}{{ d }}",
        "{{ {list}.index({val}) }}", "{{ {list}.count({val}) }}", "{{ {list} | length }} {{ {dict} | length }}",
        "{{ dict(a={val}, b={list}) }}", "{{ ({list} | list) * 2 }}", "{{ {dict}[{attr}] | default('-') }}",
    ],
    "loops": [
        "{% for x in {list} %}{{ loop.index }}/{{ loop.length }}:{{ x }}{% if not loop.last %},{% endif %}{% else %}none{% endfor %}",
        "{% for x in {list} %}{{ loop.revindex0 }}{{ loop.first }}{{ loop.cycle('a', 'b') }}{% endfor %}",
        "{% for x in {list} if x %}{{ loop.previtem }}>{{ x }}>{{ loop.nextitem }};{% endfor %}",
        "{% for x in {list} %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}",
        "{% for k, v in {dict} | dictsort %}{{ k }}={{ v }}{{ ',' if not loop.last }}{% endfor %}",
        "{% for k, v in {dict}.items() %}{{ k }}:{{ v | tojson }} {% endfor %}",
        "{% for x in {list} %}{% for y in {list} %}{{ loop.depth }}{{ loop.index }}{% endfor %}{% endfor %}",
        "{% for x in {val} recursive %}{% if x is iterable and x is not string %}[{{ loop(x) }}]{% else %}{{ x }}{% endif %}{% endfor %}",
        "{% for a, b in {list} | batch(2) %}{{ a }}-{{ b }} {% endfor %}",
        "{% for x in range({w}) %}{{ x }}{% else %}empty{% endfor %}",
        "{% for x in {list} | sort(reverse={rev}) %}{{ x }}{% endfor %}",
        "{% for x in {list} %}{% set y = x %}{% endfor %}{{ y is defined }}",
        "{% for x in {list} %}{{ loop.index0 * {n} }} {% endfor %}",
    ],
    "macros": [
        "{% macro m(a, b={val}) %}{{ a }}|{{ b }}{% endmacro %}{{ m({s}) }}{{ m({s}, b={num}) }}",
        "{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m({val}, {num}, k={s}) }}",
        "{% macro row(x) %}<td>{{ x | e }}</td>{% endmacro %}{% for x in {list} %}{{ row(x) }}{% endfor %}",
        "{% macro wrap() %}[{{ caller() }}]{% endmacro %}{% call wrap() %}{{ {s} }}{% endcall %}",
        "{% macro f(x) %}{{ x * 2 }}{% endmacro %}{{ f({num}) | trim }}",
        "{% macro f(x) %}{{ x | tojson }}{% endmacro %}{{ {list} | map('string') | map('length') | list }}{{ f({val}) }}",
        "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1) | int }}{% endif %}{% endmacro %}{{ fact({w}) }}",
    ],
    "namespace": [
        "{% set ns = namespace(total=0) %}{% for x in {list} %}{% set ns.total = ns.total + (x | int) %}{% endfor %}{{ ns.total }}",
        "{% set ns = namespace(found=false, items=[]) %}{% for x in {list} %}{% if x %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}{{ ns.items }}",
        "{% set ns = namespace(s='') %}{% for x in {list} %}{% set ns.s = ns.s ~ x ~ {sep} %}{% endfor %}{{ ns.s }}",
        "{% set ns = namespace(d={dict}) %}{% set _x = ns.d.update({'n': {num}}) %}{{ ns.d }}",
        "{% set ns = namespace() %}{% set ns.a = {val} %}{{ ns.a }}{{ ns }}",
        "{% set ns = namespace(m=none) %}{% for x in {list} %}{% if ns.m is none or x > ns.m %}{% set ns.m = x %}{% endif %}{% endfor %}{{ ns.m }}",
    ],
    "whitespace control": [
        "a\n  {%- for x in {list} %}\n  {{ x }}\n  {%- endfor %}\nb",
        "{% for x in {list} -%}\n {{ x }} \n{%- endfor %}",
        "x  {{- {s} -}}  y", "{%- if {val} -%}\n yes \n{%- else -%}\n no \n{%- endif -%}",
        "{% set x = {val} -%}\n\n{{ x }}\n", "  {%+ if true %} t {% endif %}  ", "{{ {s} }}\n{# note #}\n{{ {num} }}",
        "{% raw %}{{ {s} }}{% endraw %}", "line\n{% if true %}\nin\n{% endif %}\nend",
    ],
    "dates as strings": [
        "{{ {date}[:10] }}", "{{ {date}.split('T')[0].split('-') | map('int') | list }}", "{{ {date} < {date} }}",
        "{{ {date}.replace('T', ' ') }}", "{{ ({date} | string)[11:16] }}", "{{ [{date}, {date}] | sort | first }}",
        "{{ {date}.startswith('2024') }}", "{{ '%s-%02d' % ({date}[:4], {w} | int) }}", "{{ {date} | yaml_parse }}",
        "{{ {date} | yaml_parse | string }}", "{{ ({date} | yaml_parse) == {date} }}", "{{ {date} | json_dump }}",
    ],
    "unicode": [
        "{{ {u} | upper }}", "{{ {u} | lower }}", "{{ {u} | title }}", "{{ {u} | capitalize }}",
        "{{ {u} | length }}", "{{ {u}[1:3] }}", "{{ {u} | center(11, '·') }}", "{{ {u} | truncate(5, true, '…', 0) }}",
        "{{ {u} | wordwrap(4) }}", "{{ {u} | urlencode }}", "{{ {u} | tojson }}", "{{ {u} | json_dump }}",
        "{{ {u} | yaml_dump }}", "{{ {u}.casefold() }}", "{{ {u}.isalpha() }}", "{{ {u} | list }}",
        "{{ {u} | reverse }}", "{{ [{u}, 'a', 'Z'] | sort }}", "{{ {u}.encode() }}", "{{ {u} | e }}",
        "{{ {u}.swapcase() }}", "{{ {u} | pprint }}", "{{ [{u}] }}", "{{ {u}.split() }}",
    ],
    "numbers printing": [
        "{{ {num} }}", "x{{ {num} }}", "{{ [{num}] }}", "{{ {'k': {num}} }}", "{{ {num} | round({n}) }}",
        "{{ {num} | round({n}, 'floor') }}", "{{ {num} | int }}", "{{ {num} | float }}", "{{ {num} | abs }}",
        "{{ {num} | string }}", "{{ {num} * {num} }}", "{{ {num} / {num} }}", "{{ {num} // {n} }}",
        "{{ {num} % {n} }}", "{{ {num} ** 2 }}", "{{ {num} | tojson }}", "{{ {num} | json_dump }}",
        "{{ {num} | yaml_dump }}", "{{ {num} | filesizeformat }}", "{{ {num} | filesizeformat(true) }}",
        "{{ [{num}, {num}] | sum }}", "{{ [{num}, {num}] | max }}", "{{ {num} > {num} }}", "{{ {num} ~ '' }}",
        "{{ '%d' % {num} }}", "{{ '%.2f' % {num} }}", "{{ {num} | int(base=16) }}", "{{ '{:,.2f}'.format({num}) }}",
    ],
    "sorting": [
        "{{ {list} | sort }}", "{{ {list} | sort(reverse={rev}, case_sensitive={case}) }}",
        "{{ _.vms | sort(attribute={attr}) | map(attribute='name') | list }}",
        "{{ _.vms | sort(attribute={attr}, reverse={rev}) | map(attribute={attr}) | list }}",
        "{{ _.words | sort(case_sensitive={case}) }}", "{{ {list} | unique(case_sensitive={case}) | list }}",
        "{{ _.vms | unique(attribute={attr}) | map(attribute='id') | list }}", "{{ {list} | min }}",
        "{{ _.vms | max(attribute={attr}) }}", "{{ _.vms | min(attribute={attr}, case_sensitive={case}) }}",
        "{{ {dict} | dictsort(by='value', reverse={rev}) }}", "{{ {list} | sort | reverse | list }}",
        "{{ _.people | sort(attribute='age') | map(attribute='name') | join(',') }}",
    ],
    "groupby": [
        "{% for g, items in _.vms | groupby({attr}) %}{{ g }}:{{ items | map(attribute='name') | join(',') }};{% endfor %}",
        "{{ _.vms | groupby({attr}) | map(attribute='grouper') | list }}",
        "{{ _.vms | groupby({attr}, default='none') | map('first') | list }}",
        "{{ _.words | groupby('0') | list }}", "{{ _.vms | groupby({attr}, case_sensitive={case}) | length }}",
        "{% for g in _.people | groupby('age') %}{{ g.grouper }}={{ g.list | length }} {% endfor %}",
        "{{ {list} | groupby('a') | list }}",
    ],
    "map/select chains": [
        "{{ _.vms | map(attribute={attr}) | list }}", "{{ _.vms | map(attribute={attr}, default={val}) | list }}",
        "{{ {list} | map({filter}) | list }}", "{{ {list} | select({test}) | list }}",
        "{{ {list} | reject({test}) | list }}", "{{ _.vms | selectattr({attr}) | map(attribute='name') | list }}",
        "{{ _.vms | selectattr({attr}, {test}) | list | length }}", "{{ _.vms | rejectattr({attr}, 'none') | list | count }}",
        "{{ _.vms | selectattr('status', 'equalto', 'ACTIVE') | map(attribute={attr}) | join(',') }}",
        "{{ _.vms | map(attribute='tags') | sum(start=[]) | unique | list }}", "{{ _.vms | sum(attribute='cpu') }}",
        "{{ {list} | map('string') | select('ne', '1') | map('upper') | list }}",
        "{{ _.vms | map(attribute='meta') | map(attribute='zone') | unique | sort | list }}",
        "{{ {list} | select | list }}", "{{ {list} | map({filter}) | select({test}) | first }}",
    ],
    "json and yaml": [
        "{{ {val} | json_dump }}", "{{ {val} | yaml_dump }}", "{{ {val} | tojson }}", "{{ {val} | tojson(2) }}",
        "{{ {yaml} | yaml_parse }}", "{{ {json} | json_parse }}", "{{ ({val} | json_dump) | json_parse }}",
        "{{ ({val} | yaml_dump) | yaml_parse }}", "{{ json_dump({val}) }}", "{{ yaml_dump({val}) }}",
        "{{ json_parse({json}) }}", "{{ yaml_parse({yaml}) }}", "{{ {yaml} | yaml_parse | json_dump }}",
        "{{ {yaml} | yaml_parse | tojson }}", "{{ {yaml} | yaml_parse | string }}", "{{ ({yaml} | yaml_parse) is string }}",
        "x{{ {yaml} | yaml_parse }}", "{{ [{yaml} | yaml_parse] }}", "{{ {json} | json_parse | yaml_dump }}",
        "{{ {'a': {val}, 'b': [{num}, {s}]} | json_dump }}", "{{ {'a': {val}, 'b': [{num}, {s}]} | yaml_dump }}",
    ],
}
LIBRARY.update({
    "conditions and tests": [
        "{% if {val} is defined and {val} %}yes{% elif {val} is none %}none{% else %}no{% endif %}",
        "{{ 'a' if {val} else 'b' }}", "{{ {val} if {val} is number else {num} }}", "{{ {val} is {test1} }}",
        "{{ {val} is not {test1} }}", "{{ {val} in {list} }}", "{{ {s} in {val} }}", "{{ {val} == {val} }}",
        "{{ {val} != {list} }}", "{{ {val} < {val} }}", "{{ {num} < {s} }}", "{{ not {val} }}",
        "{{ {val} and {val} or {num} }}", "{{ ({val} or {list}) | length }}", "{{ {val} is sameas {val} }}",
        "{{ {val} is divisibleby({n}) }}", "{{ {val} is eq({num}) }}", "{{ {val} is in({list}) }}",
        "{{ {val} | select({test}) | list }}",
    ],
    "concatenation and conversion": [
        "{{ {val} ~ {s} }}", "{{ {s} ~ {val} ~ {num} }}", "{{ {s} + {val} }}", "{{ {list} + {val} }}",
        "{{ {val} | string }}", "{{ {val} | int }}", "{{ {val} | float }}", "{{ {val} | int({num}) }}",
        "{{ {numstr} | int }}", "{{ {numstr} | float }}", "{{ {numstr} | int(base={base}) }}",
        "{{ {numstr} | int(-1, {base}) }}", "{{ {numstr} | float('x') }}", "{{ {val} | list }}",
        "{{ {val} | bool }}", "{{ {val} | default({s}) }}", "{{ {val} | default({s}, true) }}",
        "{{ {val} | d({num}, {case}) }}", "{{ {val} | count }}", "{{ {val} | first }}", "{{ {val} | last }}",
        "{{ {val} | join({sep}) }}", "{{ {val} | sum }}", "{{ {val} | abs }}", "{{ {val} | reverse }}",
        "{{ {val} | unique | list }}", "{{ {val} | sort }}", "{{ {val} | items | list }}", "{{ {val} | dictsort }}",
        "{{ {val} | capitalize }}", "{{ {val} | wordcount }}", "{{ {val} | urlencode }}", "{{ {val} | xmlattr }}",
        "{{ {val} | filesizeformat }}", "{{ {val} | striptags }}", "{{ {val} | trim({sep}) }}",
        "{{ {val} | center({w}) }}", "{{ {val} | batch({w}) | list }}", "{{ {val} | random is defined }}",
    ],
    "blocks": [
        "{% set x %}{{ {s} }}-{{ {num} }}{% endset %}{{ x | length }}:{{ x }}",
        "{% set x | upper %}{{ {s} }}{% endset %}{{ x }}", "{% with a = {val}, b = {num} %}{{ a }}{{ b }}{% endwith %}",
        "{% filter upper %}{{ {s} }} and {{ {val} }}{% endfilter %}", "{% filter replace({sep}, '+') %}{{ {val} }}{% endfilter %}",
        "{% set a, b = {list2} %}{{ a }}|{{ b }}", "{% for a, b in {dict}.items() %}{{ a }}={{ b }};{% endfor %}",
        "{% for k in {dict} %}{{ k }},{% endfor %}", "{% if {val} %}{% set x = 1 %}{% endif %}{{ x is defined }}",
        "{% set x = {val} %}{% for i in range(2) %}{% set x = i %}{% endfor %}{{ x }}",
        "{% for x in {list} %}{{ x }}{% if loop.index is divisibleby 2 %}|{% endif %}{% endfor %}",
        "{{ range({w}) | list }}", "{{ range({n}, {w}, 2) | list }}", "{{ range({w}) | map('string') | join }}",
        "{{ range({w})[{n}] }}", "{{ range({w}) | length }}", "{{ range({w}) | sum }}", "{{ range({w}) | reverse | list }}",
    ],
    "indexing and slicing": [
        "{{ {s}[{n}] }}", "{{ {s}[{n}:{w}] }}", "{{ {s}[::-{w}] }}", "{{ {list}[{n}] }}", "{{ {list}[-{w}:] }}",
        "{{ {list}[{n}:{w}:2] }}", "{{ {dict}[{s}] }}", "{{ {dict}.{ident} }}", "{{ {dict}[{attr}] is defined }}",
        "{{ _.vms[{n}].name }}", "{{ _.vms[{n}]['meta'].zone }}", "{{ _.result.body['items'][{n}] }}",
        "{{ _.result['body'].next is none }}", "{{ _.result.headers['X-Count'] | int + 1 }}",
        "{{ (_.vms | first).tags[{n}] }}", "{{ _.matrix[{n}][{n}] }}", "{{ {val}[0] }}", "{{ {val}.{ident} }}",
        "{{ {val}[{s}] }}", "{{ {val}[1:] }}",
    ],
    "http results": [
        "{{ json_parse(_.http.content).items | map(attribute='id') | list }}",
        "{{ (_.http.content | json_parse).items | selectattr('state', 'equalto', {state}) | list | length }}",
        "{{ _.http.status == 200 and (_.http.content | json_parse).total > {num} }}",
        "{{ _.http.headers['Content-Type'].split(';')[0] }}", "{{ _.http.content | length }}",
        "{{ (_.http.content | json_parse) | dictsort | first }}", "{{ _.http.content | json_parse | json_dump }}",
        "{{ (_.http.content | json_parse).items | map(attribute={attr2}) | select | join(', ') }}",
        "{{ (_.http.content | json_parse)['items'][{n}][{attr2}] | default('-') }}",
        "{% for it in (_.http.content | json_parse).items %}{{ it.id }}:{{ it.state | lower }}{{ ',' if not loop.last }}{% endfor %}",
        "{{ _.http.content | json_parse | tojson(2) }}", "{{ _.http.content | json_parse | yaml_dump }}",
        "{{ _.http.content | yaml_parse | pprint }}", "{{ (_.http.content | json_parse).items | groupby('state') | map('first') | list }}",
    ],
})
LIBRARY.update({
    "filter chains": ["{{ {val} | {chain} }}", "{{ ({val} | {chain}) ~ '' }}", "x{{ {val} | {chain} | {chain} }}",
                      "{{ {list} | {chain} | {chain} | {chain} }}", "{{ {dict} | {chain} }}", "{{ {s} | {chain} | {chain} }}"],
    "loops, more": [
        "{% for x in {list} if x is number %}{{ x }}{% else %}none{% endfor %}",
        "{% for x in {list} %}{{ loop.changed(x, loop.index is even) }}{% endfor %}",
        "{% for k, v in {dict} | dictsort(reverse={rev}) %}{{ loop.index }}{{ k }}{% endfor %}",
        "{% for a in {list} %}{% for b in {list} %}{{ loop.depth0 }}{{ loop.length }}{% endfor %}{% endfor %}",
        "{% for x in {val} | list | batch(2, {fill}) %}{{ x | join('') }};{% endfor %}",
        "{% for x in {val} | list | slice(2, {fill}) %}{{ x }};{% endfor %}",
        "{% for x in {list} %}{{ loop.cycle(*{list2} | list) }}{% endfor %}",
        "{% for x in {list} %}{{ x }}{% if loop.last %}!{% elif loop.first %}^{% endif %}{% endfor %}",
        "{% for item in _.vms | sort(attribute={attr}) %}{{ item.name }}:{{ loop.previtem.name if loop.previtem }}|{% endfor %}",
        "{% set total = namespace(v=0) %}{% for vm in _.vms %}{% set total.v = total.v + (vm[{attr}] | int(0)) %}{% endfor %}{{ total.v }}",
    ],
    "macros, more": [
        "{% macro m(a, b) %}{{ a }}-{{ b }}-{{ varargs }}-{{ kwargs }}{% endmacro %}{{ m({val}) }}",
        "{% macro m(a, b) %}{{ a }}-{{ b }}{% endmacro %}{{ m({val}, {val}, {val}) }}",
        "{% macro m(a, b=1) %}{{ a }}-{{ b }}{% endmacro %}{{ m(b={val}, a={num}) }}",
        "{% macro m(x) %}{{ caller(x) }}{% endmacro %}{% call(v) m({val}) %}[{{ v | tojson }}]{% endcall %}",
        "{% macro m() %}{{ caller() | upper }}{% endmacro %}{% call m() %}{{ {s} }}{% endcall %}",
        "{% macro tree(n) %}{% if n is mapping %}{% for k, v in n | dictsort %}{{ k }}({{ tree(v) }}){% endfor %}{% else %}{{ n }}{% endif %}{% endmacro %}{{ tree({dict}) }}",
    ],
})
SLOTS.update({
    "test1": ["defined", "undefined", "none", "number", "string", "mapping", "iterable", "sequence", "callable",
              "odd", "even", "lower", "upper", "true", "false", "boolean", "integer", "float", "escaped",
              "sameas none", "divisibleby 3", "eq 1", "ne 'a'", "lt 5", "in [1, 2]", "filter", "test"],
    "numstr": ["'42'", "' 42 '", "'4_2'", "'+5'", "'-0'", "'1e3'", "'1.5'", "'0x1A'", "'0o17'", "'0b101'", "'1,000'",
               "'nan'", "'inf'", "'-Infinity'", "''", "'١٢'", "'12345678901234567890123'", "'1_000.5'", "'.5'",
               "'5.'", "'0x'", "'  -7\n'", "'1e400'", "'٣.٥'", "'True'"],
    "base": ["2", "8", "10", "16", "0", "36", "1", "37", "-1", "none", "'16'"],
    "list2": ["[1, 2]", "(1, 2)", "'ab'", "[1, 2, 3]", "{'a': 1, 'b': 2}", "[[1, 2]]", "range(2)"],
    "ident": ["a", "name", "items", "keys", "get", "upper", "x", "zone", "nope", "length", "count", "real"],
    "state": ["'ok'", "'OK'", "'failed'", "'none'"],
    "attr2": ["'id'", "'state'", "'name'", "'nope'", "'tags'"],
})
SLOTS["chain"] = APPENDED
SLOTS["val"] = SLOTS["val"] + ["_.http", "(1, 'a')", "range(3)", "'<b>&amp;</b>'", "'a' | safe", "-0.0", "1e16",
                               "0.1", "'1'", "' '", "[none]", "{'b': 1, 'a': [2, {}]}", "_.vms[0].meta",
                               "_.floats", "2 ** 65", "'x\ny'", "'\t'", "[[]]", "{1: 2}"]
SLOTS["date"] = ["'2024-02-29T12:30:00'", "_.date_s", "'2020-01-01'", "'2020-01-01 10:00:00'", "'1999-12-31T23:59:59Z'",
                 "'2024-1-2'"]
SLOTS["u"] = ["'straße'", "'İIıi'", "'ǅǆǄ'", "'Ωμέγα'", "'日本語テキスト'", "'😀👍🏽'", "'e\\u0301'", "'ﬁﬂ'",
              "'Ａ１'", "_.name", "'Ǉubljana ǈ'", "'ΣΑΣ'"]


def fill(template, r):
    def one(m):
        name = m.group(1)
        if "|" in name:
            return r.choice(name.split("|", 1)[1].split(","))
        return r.choice(SLOTS[name])
    # {slot} inside a template: a slot name (dict literals keep their braces)
    return re.sub(r"{(\w+(?:\|[^{}]*)?)}", lambda m: one(m) if m.group(1).split("|")[0] in SLOTS else m.group(0),
                  template)


LIBRARY_CTX = {
    "vms": [
        {"name": "web-1", "id": "a1", "status": "ACTIVE", "cpu": 2, "mem": 2048.5, "ip": "10.0.0.5",
         "tags": ["web", "prod"], "meta": {"zone": "nova", "owner": "ann"}, "disk": None},
        {"name": "db-ü", "id": "b2", "status": "ERROR", "cpu": 8, "mem": 16384, "ip": "10.0.0.7",
         "tags": ["db"], "meta": {"zone": "az2", "owner": "Bob"}, "disk": 100},
        {"name": "Cache-3", "id": "c3", "status": "active", "cpu": 1, "mem": 512.25, "ip": None,
         "tags": [], "meta": {"zone": "Nova", "owner": "Åsa"}, "disk": 20},
        {"name": "web-2", "id": "d4", "status": "BUILD", "cpu": 4, "mem": 4096, "ip": "10.0.0.9",
         "tags": ["web", "canary"], "meta": {"zone": "az2", "owner": "ann"}},
    ],
    "people": [{"name": "ann", "age": 31}, {"name": "Bob", "age": 25}, {"name": "cy", "age": 31}],
    "nums": [5, 3, 8, 1, 9, 2, 8], "floats": [1.5, 2.25, -0.5, 10.0], "words": ["pear", "Apple", "fig", "straße", "Émile", ""],
    "count": 3, "ratio": 0.75, "big": 12345678901234567890, "name": "Jörg Müller", "msg": "Hello, World",
    "csv": "a,b,,c", "path": "/var/log/app.log", "num_s": "42", "date_s": "2024-02-29T12:30:00", "empty": [],
    "nothing": None, "flag": True, "edict": {}, "meta": {"zone": "nova", "owner": "ann"},
    "result": {"code": 200, "body": {"items": [1, 2, 3], "next": None}, "headers": {"X-Count": "3"}},
    "matrix": [[1, 2], [3, 4], [], [5]],
    "__env": {"region": "eu-west", "retries": 3},
    "http": {"status": 200, "headers": {"Content-Type": "application/json; charset=utf-8", "X-Count": "3"},
             "content": json.dumps({"total": 3, "next": None, "items": [
                 {"id": "i-1", "state": "ok", "name": "Ä", "tags": ["a"], "size": 1.5},
                 {"id": "i-2", "state": "FAILED", "name": None, "tags": [], "size": 10 ** 20},
                 {"id": "i-3", "state": "OK", "name": "c", "size": -0.0}]})},
}


def library_cases(r, count):
    items = [(cat, t) for cat, ts in LIBRARY.items() for t in ts]
    out = []
    for i in range(count):
        cat, t = items[i % len(items)] if i < len(items) else r.choice(items)
        out.append((fill(t, r), cat))
    return out


# ------------------------------------------------------------- the run
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bora", default=os.path.join(HERE, "..", "build", "src", "cli", "bora"))
    ap.add_argument("--only", choices=["jinja"], default="jinja", help="(Jinja only: YAQL has its own campaign)")
    ap.add_argument("--corpora", default=os.path.join(HERE, "..", "..", "shared", "corpora"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--contexts", type=int, default=6, help="data contexts per corpus template")
    ap.add_argument("--mutations", type=int, default=8, help="mutations per corpus template")
    ap.add_argument("--library", type=int, default=3000, help="cases drawn from the hand-written library")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--show", type=int, default=3)
    ap.add_argument("--json", help="write every difference as JSON lines here")
    ap.add_argument("--print", action="store_true", help="print the cases, evaluate nothing")
    ap.add_argument("--errors", action="store_true", help="errors on both sides must be worded alike")
    args = ap.parse_args()
    dx.WORDING = args.errors
    r = random.Random(args.seed)

    cases = []  # (text, context, origin)
    if not args.no_corpus:
        found = corpus_templates(args.corpora)
        seen = set()
        for text, inputs, source in found:
            for t in dict.fromkeys([text, mistral_spelling(text)]):
                if t in seen or NEEDS_DB.search(t):
                    continue
                seen.add(t)
                ctxs = contexts(t, inputs, r, args.contexts)
                names = sorted({k for c in ctxs for k in c if not k.startswith("__")})
                for c in ctxs:
                    cases.append((t, c, "corpus " + source))
                for m in mutations(t, names, r, args.mutations):
                    for c in r.sample(ctxs, min(2, len(ctxs))):
                        cases.append((m, c, "mutation " + source))
        print("%d Jinja templates in the corpus (%d distinct)" % (len(found), len(seen)), file=sys.stderr)
    for t, cat in library_cases(r, args.library):
        cases.append((t, LIBRARY_CTX, "library " + cat))
    uniq = {}
    for t, c, origin in cases:
        uniq.setdefault((t, json.dumps(c, sort_keys=True)), (t, c, origin))
    cases = list(uniq.values())
    if args.print:
        for t, c, origin in cases:
            print(json.dumps({"text": t, "origin": origin}, ensure_ascii=False))
        return

    print("evaluating %d cases with Mistral ..." % len(cases), file=sys.stderr)
    sys.setrecursionlimit(3000)
    # A template may change its context in place (`d.update(...)`): each
    # evaluation gets a copy of its own, read from the JSON Bora is given.
    texts = [json.dumps(c) for _, c, _ in cases]
    py = [dx.python_answer(t, json.loads(c)) for (t, _, _), c in zip(cases, texts)]
    print("... and with %s" % os.path.normpath(args.bora), file=sys.stderr)
    bora = dx.bora_answers(args.bora, [(t, c) for (t, _, _), c in zip(cases, texts)])

    classes = collections.defaultdict(list)
    both_errors = 0
    for (text, c, origin), p, b in zip(cases, py, bora):
        if p[0] == "error" and "error" in b:
            both_errors += 1
        if not dx.same(p, b):
            classes[dx.classify(text, p, b)].append((text, c, origin, p, b))
    total = sum(len(v) for v in classes.values())
    origins = collections.Counter(o.split()[0] + " " + (o.split(" ", 1)[1] if o.startswith("library") else "")
                                  for v in classes.values() for _, _, o, _, _ in v)
    for cls in sorted(classes, key=lambda k: -len(classes[k])):
        print("== %s: %d" % (cls, len(classes[cls])))
        by_head = collections.defaultdict(list)
        for item in classes[cls]:
            by_head[dx.head(item[0])].append(item)
        for h in sorted(by_head, key=lambda k: -len(by_head[k])):
            print("  -- %s: %d" % (h, len(by_head[h])))
            for text, c, origin, p, b in by_head[h][:args.show]:
                pv = p[1] if p[0] == "value" else "ERROR " + p[1][:150]
                bv = b.get("result", "ERROR " + dx.error_text(str(b.get("error")))[:150])
                print("     %s   [%s]\n        context: %s\n        mistral: %s\n        bora:    %s" % (
                    text.replace("\n", "\\n"), origin, json.dumps(c, ensure_ascii=False)[:200],
                    json.dumps(pv, ensure_ascii=False)[:300], json.dumps(bv, ensure_ascii=False)[:300]))
    if args.json:
        with open(args.json, "w", errors="backslashreplace") as f:
            for cls, items in classes.items():
                for text, c, origin, p, b in items:
                    f.write(json.dumps({"class": cls, "text": text, "context": c, "origin": origin,
                                        "mistral": list(p), "bora": b}, ensure_ascii=False) + "\n")
    print("\n%d cases (%d an error in both), %d differ (%s)" % (
        len(cases), both_errors, total, ", ".join("%s%d" % (o, n) for o, n in origins.most_common(12))))


if __name__ == "__main__":
    main()
