#!/usr/bin/python3
"""Differential campaign: evaluates a large generated set of YAQL and Jinja2
expressions with the real Mistral (mistral.expressions.evaluate, as
frozen_cases.py does) and with the built `bora eval --batch` (one process
per batch), and prints where the two answers differ, grouped by class.

A tool to find differences, not a test: what it finds is fixed and then
frozen into the generators' case lists (gen_yaql_cases.py,
gen_jinja_cases.py, python_string_cases.py), which the unit tests pin.

An error on both sides counts as the same answer (the wording of generated
errors is yaql's or Jinja's internals), unless --errors; a value against an error, or two
different values, is a difference. Values compare with their JSON types
(1, 1.0 and true differ), sets as multisets.

Run with Debian's /usr/bin/python3:
  scripts/diff_expressions.py [--bora build/src/cli/bora] [--only yaql|jinja]
                              [--show 5] [--json diffs.jsonl] [--grep TEXT] [--errors]
"""
import argparse
import collections
import itertools
import json
import re
import math
import os
import subprocess
import sys
import warnings

sys.stdout.reconfigure(errors="backslashreplace")

warnings.filterwarnings("ignore")
from frozen_cases import mistral_result  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

CTX = {
    "a": 1, "b": 2.5, "s": "Hello World", "u": "héllo wörld ß", "n": None, "t": True,
    "l": [3, 1, 2], "words": ["pear", "apple", "fig"], "empty": [],
    "d": {"x": 1, "y": {"z": "deep"}, "list": [1, 2]},
    "people": [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}],
    "big": 12345678901234567890, "long": "word " * 30,
}

# ---------------------------------------------------------------- YAQL
# Functions whose answer depends on time, chance, the database or the
# process (or that never end read whole) are left out.
YAQL_SKIP = {"now", "localtz", "random", "uuid", "env", "execution", "executions", "task", "tasks", "global",
             "sequence", "cycle", "repeat", "generate", "generateMany", "def", "call", "assert", "datetime"}
YAQL_VALUES = ["1", "-2", "0", "2.5", "-0.5", "'abc'", "''", "'héllo'", "'a,b,,c'", "' x '", "[1, 2, 3]", "[]",
               "[3, 1, 2]", "['b', 'a']", "[[1, 2], [3]]", "{a => 1, b => 2}", "{}", "null", "true", "false",
               "pow(2, 70)", "set(1, 2)", "[null, 1]", "'Ab12'"]
YAQL_ARGS = ["1", "0", "-1", "2", "'a'", "''", "[1]", "null", "true", "$ > 1", "{a => 3}", "2.5"]
YAQL_LAMBDA_FUNCS = ["where", "select", "selectMany", "orderBy", "orderByDescending", "groupBy", "any", "all",
                     "indexWhere", "lastIndexWhere", "takeWhile", "skipWhile", "splitWhere", "sliceWhere",
                     "distinct", "aggregate", "reduce", "accumulate", "sum", "max", "min", "first", "single",
                     "count", "last", "toDict", "filter", "map", "enumerate", "isEmpty", "memorize"]
YAQL_LAMBDAS = ["$", "$ * 2", "$ > 1", "str($)", "-$", "$ mod 2", "[$]", "$1 + $2", "$ = 2", "null"]
YAQL_STRINGS = ["'abc'", "'Hello World'", "''", "'  pad  '", "'a,b,,c'", "'héllo'", "'ß'", "'a\\nb'", "'x.y.z'",
                "'aaa'", "'12'", "'ǅx'"]
YAQL_STR_CALLS = ["toUpper()", "toLower()", "len()", "trim()", "trimLeft()", "trimRight()", "trim('a')",
                  "split()", "split(',')", "split(',', 1)", "rightSplit(',', 1)", "rightSplit()", "split('')",
                  "replace('a', 'X')", "replace('a', 'X', 1)", "replace('', '-')", "indexOf('a')",
                  "indexOf('a', 1)", "indexOf('a', 1, 2)", "lastIndexOf('a')", "lastIndexOf('a', 0, 2)",
                  "substring(1)", "substring(1, 2)", "substring(-2)", "substring(-3, 2)", "substring(1, -1)",
                  "startsWith('a')", "startsWith('b', 'a')", "endsWith('c')", "characters()", "toCharArray()",
                  "concat('x')", "join(['1', '2'])", "format(1)", "format('{0}', 2)", "matches('a')",
                  "norm()", "isEmpty()", "contains('a')", "reverse()", "str()", "int()", "float()", "bool()",
                  "len()", "first()", "last()", "toList()", "toSet()", "distinct()", "list()", "count()",
                  "select($)", "where($ = 'a')", "orderBy($)", "max()", "min()", "sum()", "* 2", "+ 'z'",
                  "in 'abc'", "< 'b'", "= 'abc'", "[0]", "[-1]", "[1, 'dflt']", "[10]", "join('-')"]


def yaql_function_names():
    import mistral.expressions.yaql_expression as y
    ctx = y.get_yaql_context({})
    names = set()
    while ctx is not None:
        names |= set(getattr(ctx, "_functions", {}).keys())
        ctx = ctx.parent
    return sorted(n for n in names if n[0].isalpha() and n not in YAQL_SKIP)


def yaql_exprs():
    out = []
    for f in yaql_function_names():
        out.append("%s()" % f)
        for v in YAQL_VALUES:
            out.append("%s(%s)" % (f, v))
            out.append("%s.%s()" % (v, f))
        for v, a in itertools.product(YAQL_VALUES[::2], YAQL_ARGS):
            out.append("%s.%s(%s)" % (v, f, a))
        for a, b in itertools.product(YAQL_ARGS[:6], YAQL_ARGS[:6]):
            out.append("%s(%s, %s)" % (f, a, b))
    for f, lam in itertools.product(YAQL_LAMBDA_FUNCS, YAQL_LAMBDAS):
        for v in ["[3, 1, 2, 1]", "[]", "['b', 'a', 'b']", "$.people", "{a => 1, b => 2}"]:
            out.append("%s.%s(%s)" % (v, f, lam))
    for s, call in itertools.product(YAQL_STRINGS, YAQL_STR_CALLS):
        out.append("%s.%s" % (s, call) if call[0].isalpha() else "%s %s" % (s, call) if call[0] != "[" else s + call)
    ops = ["+", "-", "*", "/", "mod", "=", "!=", "<", ">", "<=", ">=", "and", "or", "in", "=~", "!~", "->", "?."]
    for op, a, b in itertools.product(ops, YAQL_VALUES, YAQL_VALUES[::3]):
        out.append("%s %s %s" % (a, op, b))
    for v in YAQL_VALUES:
        out += ["str(%s)" % v, "'<' + str(%s) + '>'" % v, "[%s]" % v, "{k => %s}" % v, "{%s => 1}" % v,
                "'{0} {1}'.format(%s, 'x')" % v, "%s.dict(1, 2)" % v, "[%s, %s].distinct()" % (v, v),
                "%s.isList()" % v, "%s = %s" % (v, v), "[%s][0]" % v, "let(x => %s) -> $x" % v,
                "format('{0!r}', %s)" % v, "json_dump(%s)" % v, "json_pp(%s)" % v, "yaml_dump(%s)" % v]
    out += ["$.%s" % k for k in CTX] + ["$.d.y.z", "$.people.name", "$.people.age.sum()", "$.d.get(x)",
                                         "$.d.keys()", "$.d.values()", "$.d.items()", "$.big + 1",
                                         "$.u.toUpper()", "$.long.len()", "str($.big)", "$.people[1].name",
                                         "$.d.list.select($ * $.len())", "$.l.orderBy(-$)"]
    # range() over 2**70 items: Python reads it whole (Mistral's result is a list)
    return [e for e in out if not ("range" in e and "pow(2, 70)" in e)]


# --------------------------------------------------------------- Jinja
JINJA_SKIP_FILTERS = {"random", "uuid", "env", "execution", "executions", "task", "tasks", "global"}
JINJA_VALUES = ["1", "-2", "0", "2.5", "-0.5", "'abc'", "''", "'héllo wörld'", "'a b  c'", "'<b>x</b> & y'",
                "[1, 2, 3]", "[]", "[3, 1, 2]", "['b', 'A', 'a']", "[[1, 2], [3]]", "{'a': 1, 'b': 2}", "{}",
                "none", "true", "false", "2 ** 70", "(1, 2)", "'Straße'", "'x' * 100", "[{'k': 2}, {'k': 1}]",
                "'http://x.org y'", "1e20", "12345.678", "'42'", "' 12 '", "'0x1A'", "'1.5e3'"]
JINJA_ARGS = ["", "(1)", "(0)", "(-1)", "(2)", "('a')", "('')", "(true)", "(none)", "('k')", "(3, true)",
              "(2, 'x')", "(attribute='k')", "(reverse=true)", "(10, '.')", "(5, true, '...')", "('a', 'b')",
              "(2, 'ceil')", "(1, 'floor')", "(case_sensitive=true)", "(base=16)", "(start=10)"]


def jinja_exprs():
    import mistral.expressions.jinja_expression as j
    out = []
    filters = sorted(f for f in j._environment.filters if f not in JINJA_SKIP_FILTERS)
    for f, v, a in itertools.product(filters, JINJA_VALUES, JINJA_ARGS):
        out.append("{{ %s | %s%s }}" % (v, f, a))
    for f, v in itertools.product(filters, JINJA_VALUES[::2]):
        out.append("x={{ %s | %s }}" % (v, f))
        out.append("{{ %s | %s | list }}" % (v, f))
    tests = sorted(j._environment.tests)
    for t, v in itertools.product(tests, JINJA_VALUES):
        out.append("{{ %s is %s }}" % (v, t))
        out.append("{{ %s is %s 2 }}" % (v, t))
        out.append("{{ %s is not %s('a') }}" % (v, t))
    str_methods = [m for m in dir(str) if not m.startswith("_") and m not in ("maketrans",)]
    texts = ["'abc'", "'Hello World'", "''", "'  pad  '", "'a,b,,c'", "'héllo'", "'ß'", "'a\\tb'", "'x.y.z'",
             "'12'", "'ǅx'", "'a\\nb\\r\\nc'", "'ΑΣ'", "'١٢'", "'Ab12'", "'%s-%d'"]
    str_args = ["", "('a')", "(',')", "(',', 1)", "(1)", "(10)", "(10, '*')", "('a', 'X')", "('a', 'X', 1)",
                "(None)", "(1, 3)", "('utf-8')", "(['x', 'y'])", "('{}')", "((1, 2))", "(4)", "('ab', 'ba')",
                "(true)", "(-1)", "('.', 1)"]
    for t, m, a in itertools.product(texts, str_methods, str_args):
        out.append("{{ %s.%s%s }}" % (t, m, a if a else "()"))
    for v, m in itertools.product(["[3, 1, 2, 1]", "[]", "{'a': 1, 'b': 2}", "{}", "(1, 2)"],
                                  ["index(1)", "count(1)", "get('a')", "get('z', 0)", "items()", "keys()",
                                   "values()", "copy()", "__len__()", "index(9)", "get(1)"]):
        out.append("{{ %s.%s }}" % (v, m))
    ops = ["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", ">", "<=", ">=", "and", "or", "in", "not in", "~"]
    for op, a, b in itertools.product(ops, JINJA_VALUES[:24], JINJA_VALUES[:24:3]):
        if op == "**" and b in ("2 ** 70", "'x' * 100"):
            continue
        out.append("{{ %s %s %s }}" % (a, op, b))
    for v in JINJA_VALUES:
        out += ["{{ [%s] }}" % v, "{{ {'k': %s} }}" % v, "<{{ %s }}>" % v, "{{ (%s, 1) }}" % v,
                "{{ '%%s' %% (%s,) }}" % v, "{{ '%%r|%%s' %% (%s, %s) }}" % (v, v), "{{ '{!r}'.format(%s) }}" % v,
                "{{ %s | string | length }}" % v, "{% set x = " + v + " %}{{ x }}",
                "{% for i in " + v + " %}{{ loop.index }}:{{ i }};{% endfor %}", "{{ %s | json_dump }}" % v,
                "{{ %s | yaml_dump }}" % v, "{{ %s | tojson }}" % v, "{{ %s | pprint }}" % v]
    out += ["{{ _.%s }}" % k for k in CTX] + ["{{ _.people | map(attribute='name') | join(',') }}",
                                              "{{ _.long | wordwrap(20) }}", "{{ _.u | wordwrap(5) }}",
                                              "{{ _.u | urlize }}", "{{ _.big + 1 }}", "{{ _.d | pprint }}",
                                              "{{ _.people | pprint }}", "{{ range(40) | list | pprint }}"]
    return out


# Hand-written: the gaps named in issue 20 and whatever a class of
# differences needs a closer look at.
WRITTEN_JINJA = r"""
{% macro m() %}{{ varargs }}{% endmacro %}{{ m(1, 2) }}
{% macro m() %}{{ varargs }}{% endmacro %}{{ m() }}
{% macro m(a) %}{{ varargs | length }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=1) }}
{% set t = (1, 2) %}{{ t }}
{% set t = (1,) %}{{ t }}
{% set t = () %}{{ t }}
{% set a, b = (1, 2) %}{{ a }}{{ b }}
{{ (1, 2) }}
{{ [(1, 2), (3,)] }}
{{ {'k': (1, 2)} }}
{% set x = 5 %}{% macro m() %}{{ x }}{% endmacro %}{{ m() }}
{% macro m() %}{{ x }}{% endmacro %}{% set x = 5 %}{{ m() }}
{% macro m() %}{{ y }}{% endmacro %}{% for y in [1] %}{{ m() }}{% endfor %}
{% macro m() %}{{ _.a }}{% endmacro %}{{ m() }}
{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}in{% endcall %}
{% macro m() %}[{{ caller(1) }}]{% endmacro %}{% call(v) m() %}v={{ v }}{% endcall %}
{% macro m(x) %}{% set x = x + 1 %}{{ x }}{% endmacro %}{{ m(1) }}
{% macro m() %}{% set z = 1 %}{% endmacro %}{{ m() }}{{ z is defined }}
{% macro outer() %}{% macro inner() %}i{% endmacro %}{{ inner() }}{% endmacro %}{{ outer() }}
{% set x = 1 %}{% macro m(x=x) %}{{ x }}{% endmacro %}{{ m() }}
{% macro m() %}{{ m.name }}{% endmacro %}{{ m() }}
{% macro m(a, b=2) %}{{ m.arguments }}{% endmacro %}{{ m(1) }}
{% macro m() %}{% endmacro %}{{ m.catch_varargs }}
{{ range(30) | list | pprint }}
{{ range(40) | list | pprint }}
{{ {'aaaaaaaaaa': 1, 'bbbbbbbbbb': 2, 'cccccccccc': 3, 'dddddddddd': 4, 'eeeeeeeeee': 5, 'ffff': 6} | pprint }}
{{ ['x' * 50, 'y' * 50] | pprint }}
{{ 'x' * 100 | pprint }}
{{ ('x ' * 60) | pprint }}
{{ [[1, 2] * 20, {'a': [3] * 30}] | pprint }}
{{ {'b': 1, 'a': 2} | pprint }}
{{ (1, 2) | pprint }}
{{ [none, true, 1.5, 'é'] | pprint }}
{{ 'héllo wörld straße ñandú' | wordwrap(6) }}
{{ 'ééééé ééééééééé éé' | wordwrap(5) }}
{{ 'a-b-c d-e-f' | wordwrap(3) }}
{{ 'visit http://exämple.org or wörld.com' | urlize }}
{{ 'mail x@ÿ.com' | urlize }}
{{ 'www.exämple.com' | urlize }}
{{ 'see (http://x.org).' | urlize }}
{{ 'http://x.org/' ~ 'a' * 40 | urlize(10) }}
{{ '<b>%s</b>' | safe % '<i>' }}
{{ ('<b>%s</b>' | safe) % '<i>' }}
{{ ('<b>%s %s</b>' | safe) % ('<i>', '&') }}
{{ ('<b>%(x)s</b>' | safe) % {'x': '<i>'} }}
{{ ('%s' | safe) % 1 }}
{{ '<i>' | e }}
{{ ('<i>' | e) ~ '<b>' }}
{{ ('<i>' | e) + '<b>' }}
{{ '\N{NBSP}' }}
{{ '\N{NULL}' }}
{{ '\N{LINE FEED}' }}
{{ '\N{BYTE ORDER MARK}' }}
{{ '\N{ZWSP}' }}
{{ '\ud800' | length }}
{{ '\ud800' }}
{{ '\ud800' | tojson }}
{{ '\ud83d\ude00' | length }}
{{ '\ud83d\ude00' }}
{{ ['\ud800'] | json_dump }}
""".strip().splitlines()

WRITTEN_YAQL = r"""
{[1, 2] => 3}
{[1, 2] => 3}.keys()
str({[1, 2] => 3})
{[1, [2]] => 3}
dict([[1, 2], 3]])
[[1, 2]].toSet()
set([1, 2], [1, 2]).len()
{[] => 1}
call(len, [], {sequence => [1, 2]})
call(len, [[1, 2]], {})
call(sum, [[1, 2]], {})
call(max, [1, 2], {})
call(format, ['{0}', 1], {})
call(toUpper, [], {}, 'a')
call(join, [['a', 'b']], {}, ',')
call(substring, ['abc', 1], {length => 1})
'\N{NBSP}'
'\N{NULL}'
'\N{ZWSP}'
'\ud800'.len()
'\ud800'
json_dump('\ud800')
'\ud83d\ude00'.len()
""".strip().splitlines()

# JSON input: what Mistral answers for numbers beyond a double.
JSON_CONTEXTS = [
    ('{"x": 1' + "0" * 400 + '}', ["<% $.x %>", "<% $.x + 1 %>", "<% str($.x).len() %>", "{{ _.x }}",
                                    "{{ _.x | string | length }}"]),
    ('{"x": 1e400}', ["<% $.x %>", "<% str($.x) %>", "{{ _.x }}", "{{ _.x | string }}"]),
    ('{"x": -1e400}', ["<% $.x %>", "{{ _.x > 0 }}"]),
    ('{"x": 1.5e308}', ["<% $.x * 10 %>", "{{ _.x * 10 }}"]),
]


def python_answer(text, context):
    """What frozen_cases.py freezes: ("value", v, unordered) or ("error", msg)."""
    try:
        result, unordered = mistral_result(text, context)
        # as JSON carries it: int and bool dict keys become text
        return ("value", json.loads(json.dumps(result)), unordered)
    except RecursionError:
        return ("error", "recursion")
    except Exception as e:  # noqa: BLE001 -- any failure is an answer here
        msg = str(e)
        if "error=" in msg:
            msg = msg.split("error=", 1)[1].rsplit(", data=", 1)[0]
        return ("error", msg)


def typed(v):
    """JSON value with its type kept: 1, 1.0 and True compare unequal."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, float):
        return ("f", "nan" if math.isnan(v) else v)
    if isinstance(v, list):
        return ("l", tuple(typed(x) for x in v))
    if isinstance(v, dict):
        return ("d", tuple((k, typed(x)) for k, x in v.items()))
    if isinstance(v, str):
        # The address in a Python object's repr is where it happened to be.
        return ("s", ADDRESS.sub(lambda m: m.group(0)[:6] + "?>", v))
    return ("s", v)


ADDRESS = re.compile(r" at 0x[0-9a-f]+>| AT 0X[0-9A-F]+>")


def error_text(msg):
    """The error= part of Mistral's "Can not evaluate ... [expression=...,
    error=..., data=...]" (Bora's errors have the same form)."""
    if "error=" in msg:
        msg = msg.split("error=", 1)[1].rsplit(", data=", 1)[0]
    return msg


WORDING = False  # --errors: errors must be worded alike too


def same(py, bora):
    if py[0] == "error" or "error" in bora:
        if WORDING and py[0] == "error" and "error" in bora:
            return py[1] == error_text(bora["error"])
        return py[0] == "error" and "error" in bora
    if py[2]:
        return isinstance(bora["result"], list) and sorted(map(repr, map(typed, py[1]))) == sorted(
            map(repr, map(typed, bora["result"])))
    return typed(py[1]) == typed(bora["result"])


def bora_answers(bora, cases, chunk=2000):
    """cases: [(text, context_json_text)] -> [{"result"} | {"error"}]."""
    out = []
    for start in range(0, len(cases), chunk):
        part = cases[start:start + chunk]
        lines = "".join('{"id": %d, "expr": %s, "context": %s}\n' % (i, json.dumps(t), c)
                        for i, (t, c) in enumerate(part))
        try:
            p = subprocess.run([bora, "eval", "--batch", "-"], input=lines.encode(), capture_output=True,
                               timeout=600)
            answers = [json.loads(x) for x in p.stdout.decode("utf-8", "surrogatepass").splitlines() if x.strip()]
        except subprocess.TimeoutExpired:
            answers = []
        if len(answers) != len(part):
            if len(part) == 1:
                out.append({"error": "bora crashed or hung (exit %s)" % (p.returncode if answers == [] else "?"),
                            "crash": True})
                continue
            half = max(1, len(part) // 2)
            out += bora_answers(bora, part[:half], half) + bora_answers(bora, part[half:], half)
            continue
        out += answers  # in order, one per line (a line bora cannot read has "id": null)
    return out


def classify(text, py, bora):
    kind = "jinja" if ("{{" in text or "{%" in text) else "yaql"
    if bora.get("crash"):
        what = "bora crash"
    elif py[0] == "error" and "error" in bora:
        what = "errors worded differently"
    elif py[0] == "error":
        what = "bora value, python error"
    elif "error" in bora:
        what = "bora error, python value"
    else:
        what = "values differ"
    return "%s: %s" % (kind, what)


def head(text):
    """The function, filter or method a case is about, for grouping."""
    import re
    m = re.search(r"\|\s*(\w+)", text) or re.search(r"\bis\s+(?:not\s+)?(\w+)", text) or \
        re.search(r"\.(\w+)\(", text) or re.search(r"(\w+)\(", text)
    return m.group(1) if m else text[:20]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bora", default=os.path.join(HERE, "..", "build", "src", "cli", "bora"))
    ap.add_argument("--only", choices=["yaql", "jinja"])
    ap.add_argument("--show", type=int, default=3, help="examples printed per class")
    ap.add_argument("--json", help="write every difference as JSON lines here")
    ap.add_argument("--grep", help="only expressions containing this text")
    ap.add_argument("--errors", action="store_true", help="errors on both sides must be worded alike")
    args = ap.parse_args()
    global WORDING
    WORDING = args.errors

    ctx_text = json.dumps(CTX)
    cases = []
    if args.only != "jinja":
        cases += [("<% " + e + " %>", CTX, ctx_text) for e in WRITTEN_YAQL + yaql_exprs()]
    if args.only != "yaql":
        cases += [(t, CTX, ctx_text) for t in WRITTEN_JINJA + jinja_exprs()]
    for raw, texts in JSON_CONTEXTS:
        for t in texts:
            if args.only and (t.startswith("<%") != (args.only == "yaql")):
                continue
            cases.append((t, json.loads(raw), raw))
    seen = set()
    cases = [c for c in cases if not (c[0] in seen or seen.add(c[0]))]
    if args.grep:
        cases = [c for c in cases if args.grep in c[0]]
    print("evaluating %d expressions with Mistral ..." % len(cases), file=sys.stderr)
    sys.setrecursionlimit(3000)
    py = [python_answer(t, c) for t, c, _ in cases]
    print("... and with %s" % os.path.normpath(args.bora), file=sys.stderr)
    bora = bora_answers(args.bora, [(t, c) for t, _, c in cases])

    classes = collections.defaultdict(list)
    for (text, _, _), p, b in zip(cases, py, bora):
        if not same(p, b):
            classes[classify(text, p, b)].append((text, p, b))
    total = sum(len(v) for v in classes.values())
    heads = collections.Counter(head(t) for v in classes.values() for t, _, _ in v)
    for cls in sorted(classes, key=lambda c: -len(classes[c])):
        print("== %s: %d" % (cls, len(classes[cls])))
        by_head = collections.defaultdict(list)
        for item in classes[cls]:
            by_head[head(item[0])].append(item)
        for h in sorted(by_head, key=lambda h: -len(by_head[h])):
            print("  -- %s: %d" % (h, len(by_head[h])))
            for text, p, b in by_head[h][:args.show]:
                pv = p[1] if p[0] == "value" else "ERROR " + p[1][:150]
                bv = b.get("result", "ERROR " + str(b.get("error"))[:150])
                print("     %s\n        mistral: %s\n        bora:    %s" % (
                    text.replace("\n", "\\n"), json.dumps(pv, ensure_ascii=False)[:300],
                    json.dumps(bv, ensure_ascii=False)[:300]))
    if args.json:
        with open(args.json, "w", errors="backslashreplace") as f:
            for cls, items in classes.items():  # noqa

                for text, p, b in items:
                    f.write(json.dumps({"class": cls, "text": text, "mistral": list(p), "bora": b},
                                       ensure_ascii=False) + "\n")
    print("\n%d expressions, %d differ (%s)" % (len(cases), total, ", ".join(
        "%s %d" % (h, n) for h, n in heads.most_common(15))))


if __name__ == "__main__":
    main()
