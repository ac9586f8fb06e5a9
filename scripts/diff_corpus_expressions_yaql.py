#!/usr/bin/python3
"""Differential campaign over YAQL as users write it: every `<% ... %>` of
the real workflows in ../shared/corpora/ (publish, input, with-items,
on-* conditions, retry, concurrency, ... wherever Mistral evaluates text),
evaluated with the real Mistral and with `bora eval --batch` against
several synthetic contexts per workflow, then mutated; and a hand-written
library of realistic snippet templates by category with random
parameters. Prints where the two answers differ, grouped by class.

Contexts: each workflow gets --contexts data contexts built from its
input names and defaults and from the paths its expressions read
(`$.a.b`, `task(x).result.a`, `env().a`, `execution().input.a`), with the
leaf's type guessed from the method or operator that follows it, and
values of varied types (strings, numbers, lists of dicts, nulls, nested
dicts, big ints, unicode). Context 0 keeps the workflow's own input
defaults. env() reads the context's `__env` in both. task() and
execution() read Mistral's database, which this evaluator has not: the
expression is rewritten to read what they would answer from the context
(`task(x)` -> `$T.get(x)`, `execution()` -> `$E`, with `let(T => $.T_,
E => $.E_) -> (...)`), shaped as Mistral's task() and execution() answer.

Mutations (--mutations per expression): a numeric or string literal
changed, a method's arguments changed, a path applied to another context
value, a second common method chained.

Evaluation and comparison are diff_expressions.py's, the noise filters
(object addresses, set and keys() order, lone surrogates)
diff_random_expressions.py's; an error on both sides is the same answer.

Run with Debian's /usr/bin/python3:
  scripts/diff_corpus_expressions_yaql.py [--bora build/src/cli/bora] [--seed 1]
      [--contexts 4] [--mutations 3] [--templates 3000] [--part corpus|mutations|templates]
      [--show 3] [--json diffs.jsonl] [--print]
"""
import argparse
import collections
import glob
import json
import os
import random
import re
import resource
import signal
import sys
import warnings
import zlib

warnings.filterwarnings("ignore")
import yaml  # noqa: E402

import diff_expressions as dx  # noqa: E402
import diff_random_expressions as dr  # noqa: E402

sys.stdout.reconfigure(errors="backslashreplace")

CORPORA = os.path.join(dx.HERE, "..", "..", "shared", "corpora")
INLINE = re.compile(r"<%.*?%>")  # Mistral's INLINE_YAQL_REGEXP (no DOTALL)
R = random.Random()


def pick(*xs):
    return R.choice(xs)


# ------------------------------------------------------------- mining
class Workflow:
    def __init__(self, where):
        self.where = where
        self.inputs = {}  # name -> default (or a marker: no default)
        self.texts = []   # strings holding <% %> (whole, as Mistral evaluates them)


NO_DEFAULT = object()


def strings_in(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            if isinstance(k, str):
                yield k
            yield from strings_in(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings_in(v)


def workflows_in(node, where, out):
    """Every dict with `tasks` is a workflow; the rest of a document's
    strings go to a workflow with no input."""
    if isinstance(node, dict):
        if isinstance(node.get("tasks"), dict):
            wf = Workflow(where)
            for i in node.get("input") or []:
                if isinstance(i, str):
                    wf.inputs[i] = NO_DEFAULT
                elif isinstance(i, dict) and len(i) == 1:
                    k, v = next(iter(i.items()))
                    wf.inputs[str(k)] = v
            wf.texts = [s for s in strings_in(node) if "<%" in s]
            out.append(wf)
            return
        for k, v in node.items():
            workflows_in(v, "%s/%s" % (where, k), out)
    elif isinstance(node, list):
        for v in node:
            workflows_in(v, where, out)


def mine():
    files = sorted(set(glob.glob(os.path.join(CORPORA, "**", "*.yaml"), recursive=True) +
                       glob.glob(os.path.join(CORPORA, "**", "*.yml"), recursive=True)))
    wfs = []
    for path in files:
        rel = os.path.relpath(path, CORPORA)
        try:
            with open(path, encoding="utf-8") as f:
                docs = list(yaml.safe_load_all(f))
        except Exception:  # noqa: BLE001 -- a file YAML refuses: its text's expressions alone
            with open(path, encoding="utf-8", errors="replace") as f:
                wf = Workflow(rel)
                wf.texts = INLINE.findall(f.read())
                wfs.append(wf)
            continue
        found = []
        for doc in docs:
            workflows_in(doc, rel, found)
            if not found:
                wf = Workflow(rel)
                wf.texts = [s for s in strings_in(doc) if "<%" in s]
                if wf.texts:
                    found.append(wf)
        wfs += found
    for wf in wfs:
        # Jinja's texts are the Jinja helper's; a text mixing both is Mistral's
        # choice by the first delimiter, left out here.
        wf.texts = list(dict.fromkeys(t for t in wf.texts if INLINE.search(t) and "{{" not in t and "{%" not in t))
    return [wf for wf in wfs if wf.texts]


# ------------------------------------------------------- rewriting
def balanced(text, start):
    """Index after the parenthesis closing the one at text[start] ('(')."""
    depth, i, quote = 0, start, None
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"`":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


TASK_CALL = re.compile(r"(?<![\w.$])task\(")
EXEC_CALL = re.compile(r"(?<![\w.$])execution\(\s*\)")


def rewrite(expr):
    """task(x) -> $T.get(x), task() -> $T.get('__current'), execution() ->
    $E; returns (text, task names read) or (None, None) when nothing was."""
    names = []
    out, pos, changed = [], 0, False
    for m in TASK_CALL.finditer(expr):
        if m.start() < pos:
            continue
        end = balanced(expr, m.end() - 1)
        if end < 0:
            return None, None
        arg = expr[m.end():end - 1].strip()
        inner, _ = rewrite(arg) if "task(" in arg or "execution(" in arg else (None, None)
        arg = inner or arg
        out.append(expr[pos:m.start()])
        out.append("$T.get(%s)" % (arg or "'__current'"))
        names.append(arg.strip("'\"") if arg else "__current")
        pos, changed = end, True
    out.append(expr[pos:])
    text = "".join(out)
    text2 = EXEC_CALL.sub("$E", text)
    if not changed and text2 == expr:
        return None, None
    return text2, names


def wrap_rewritten(expr):
    text, names = rewrite(expr)
    if text is None:
        return expr, []
    return "let(T => $.T_, E => $.E_) -> (%s)" % text, names


# ------------------------------------------------------- shape guess
STR_METHODS = {"split", "rightSplit", "replace", "toUpper", "toLower", "startsWith", "endsWith", "substring",
               "indexOf", "lastIndexOf", "trim", "trimLeft", "trimRight", "format", "matches", "characters",
               "toCharArray", "norm", "regexReplace", "isEmpty"}
LIST_METHODS = {"select", "where", "first", "last", "len", "count", "sum", "distinct", "orderBy", "flatten",
                "toSet", "any", "all", "skip", "take", "join", "groupBy", "max", "min", "toList", "selectMany",
                "aggregate", "reduce", "indexWhere", "contains", "toDict", "orderByDescending", "insert",
                "append", "delete", "single", "enumerate", "zip", "union", "concat", "limit"}
DICT_METHODS = {"keys", "values", "items", "get", "containsKey", "containsValue", "set", "mergeWith",
                "deleteAll"}

CHAIN = re.compile(
    r"(?P<root>(?<![\w$])\$(?![\w$])|\benv\(\)|\$T\.get\((?P<task>[^()]*)\)|\$E(?!\w))"
    r"(?P<path>(?:\.[A-Za-z_]\w*(?!\w)(?!\s*\())*)"
    r"(?:\.(?P<method>[A-Za-z_]\w*)\s*\(|(?P<index>\[)|\s*(?P<op>[<>]=?|!?=|\+|-|\*|/|mod)\s*(?P<rhs>\d|'|\"))?")


class Node:
    def __init__(self):
        self.kids = {}
        self.hints = set()

    def at(self, path):
        n = self
        for p in path:
            n = n.kids.setdefault(p, Node())
        return n


def hint_of(m):
    if m.group("method"):
        meth = m.group("method")
        return "str" if meth in STR_METHODS else "list" if meth in LIST_METHODS else \
            "dict" if meth in DICT_METHODS else None
    if m.group("index"):
        return "list"
    if m.group("op"):
        return "num" if m.group("rhs") == "'" and m.group("op") in "+" or m.group("rhs").isdigit() else "str"
    return None


def shapes(texts):
    """root Node ($), env Node, {task name: Node}, execution Node, lambda keys."""
    root, env, exe, tasks, keys = Node(), Node(), Node(), collections.defaultdict(Node), set()
    for t in texts:
        for m in CHAIN.finditer(t):
            path = [p for p in m.group("path").split(".") if p]
            r = m.group("root")
            if r == "$":
                node = root.at(path)
                if path:
                    keys.add(path[0])
            elif r.startswith("env"):
                node = env.at(path)
            elif r == "$E":
                node = exe.at(path)
            else:
                node = tasks[m.group("task").strip().strip("'\"") or "__current"].at(path)
            h = hint_of(m)
            if h:
                node.hints.add(h)
    return root, env, exe, tasks, keys


# Values of varied types, by the guessed type and the context's number.
POOL = {
    "str": ["web-1", "", "Héllo wörld ß", "a,b,,c", "42", "2024-02-29T12:30:00", "  pad  ", "ÅSA-日本",
            "true", "None", "x.y.z", "http://host:8080/v2/x?y=1", "a b  c", "ǅx", "1.5e3", "-7"],
    "num": [3, 0, -7, 2.5, 12345678901234567890, 1, 100, -0.5, 1e20, 10 ** 30, 0.1],
    "list": [["a", "b"], [3, 1, 2], [], [{"name": "n1", "id": 1}, {"name": "n2", "id": None}], [None, 1, "x"],
             [[1, 2], [3]], ["Ünï", "", "b,c"], [1.5, -2, 10 ** 20]],
    "dict": [{"a": 1, "b": "x"}, {}, {"k": None, "nested": {"z": [1, 2]}}, {"ü": "ß", "1": 2}],
    "any": ["text", 0, None, [1, "2", None], {"k": "v", "n": [1, {"m": 2}]}, 12345678901234567890, "日本",
            True, -1.25, [], {}, "", False],
}


def value_for(node, variant, item_keys):
    hints = node.hints
    if node.kids:
        d = {k: value_for(node.kids[k], variant + i, item_keys) for i, k in enumerate(sorted(node.kids))}
        if ("list" in hints or variant % 4 == 3) and variant % 2:
            # a list of such dicts: yaql reads `$.xs.name` over its items
            return [d, {k: value_for(node.kids[k], variant + 7 + i, item_keys) for i, k in enumerate(sorted(node.kids))}]
        if variant % 5 == 4:
            d["extra_ü"] = pick(*POOL["any"])
        return d
    if variant % 6 == 5 and not hints:
        return None
    kind = sorted(hints)[variant % len(hints)] if hints else ("any" if variant % 3 else "str")
    if kind == "list" and item_keys and variant % 2 == 0:
        pool = [{k: pick("v%d" % i, i, None, "ü%d" % i, [i]) for k in sorted(item_keys)[:6]} for i in range(3)]
        return pool[:1 + variant % 3]
    vals = POOL[kind]
    return vals[(variant * 7 + R.randrange(len(vals))) % len(vals)]


def task_value(name, node, variant, item_keys):
    res = node.kids.get("result")
    published = node.kids.get("published")
    return {
        "id": "0b5f8fd3-4c5d-4c1e-9a59-1f1a6b0b%04d" % (zlib.crc32(name.encode()) % 10000),
        "name": name if name != "__current" else "current_task",
        "spec": {"action": "std.noop", "name": name},
        "state": ["SUCCESS", "ERROR", "RUNNING"][variant % 3],
        "state_info": None if variant % 2 == 0 else "Failed to run action [error=boom é]",
        "result": value_for(res, variant, item_keys) if res else pick(*POOL["any"]),
        "published": value_for(published, variant, item_keys) if published else {},
        "type": "ACTION",
        "workflow_execution_id": "7d3bb6c0-3f0e-4b9b-8f9e-1a2b3c4d5e6f",
        "created_at": "2024-02-29 12:30:00",
        "updated_at": None if variant % 3 == 1 else "2024-02-29 12:31:05",
    }


def contexts_for(wf, n):
    root, env, exe, tasks, keys = shapes(wf.texts)
    uses_execution = any(EXEC_CALL.search(t) for t in wf.texts)
    item_keys = set(keys) | {"name", "id"}
    out = []
    for v in range(n):
        ctx = {}
        for k, node in root.kids.items():
            ctx[k] = value_for(node, v + len(ctx), item_keys)
        for k, default in wf.inputs.items():
            if v == 0 and default is not NO_DEFAULT:
                ctx[k] = default
            elif k not in ctx:
                ctx[k] = value_for(Node(), v + len(ctx), item_keys)
        ctx["__env"] = value_for(env, v, item_keys) if env.kids else {"region": "eu", "n": v}
        if not isinstance(ctx["__env"], dict):
            ctx["__env"] = {"v": ctx["__env"]}
        if tasks:
            ctx["T_"] = {name: task_value(name, node, v + i, item_keys)
                         for i, (name, node) in enumerate(sorted(tasks.items()))}
        if not uses_execution:
            out.append(ctx)
            continue
        ex_input = value_for(exe.kids["input"], v, item_keys) if "input" in exe.kids else \
            {k: ctx.get(k) for k in wf.inputs}
        ctx["E_"] = {"id": "7d3bb6c0-3f0e-4b9b-8f9e-1a2b3c4d5e6f", "name": "wb.wf_%d" % v,
                     "spec": {"name": "wf", "tasks": {}}, "input": ex_input, "params": {"env": ctx["__env"]},
                     "created_at": "2024-02-29 12:30:00", "updated_at": "2024-02-29 12:31:05",
                     "root_execution_id": None if v % 2 == 0 else "7d3bb6c0"}
        out.append(ctx)
    return out


def rewrite_text(text):
    """The whole string with each <% e %> rewritten (task()/execution())."""
    def one(m):
        inner = m.group(0)[2:-2]
        w, _ = wrap_rewritten(inner.strip())
        return "<% " + w + " %>" if w != inner.strip() else m.group(0)
    return INLINE.sub(one, text)


# -------------------------------------------------------- mutations
NUM_LIT = re.compile(r"(?<![\w.$'\"])-?\d+(?:\.\d+)?(?![\w.])")
STR_LIT = re.compile(r"'(?:[^'\\]|\\.)*'")
METHOD_CALL = re.compile(r"\.([A-Za-z_]\w*)\(")
NUM_ALT = ["0", "-1", "2", "2.5", "100000000000000000000", "-0.5", "1", "10"]
STR_ALT = ["''", "'é'", "'1'", "','", "' '", "'{0}'", "'a.b'", "'Ünï'", "'%s'", "'\\n'", "'-'", "'ß'"]
ARG_ALT = {
    "split": ["", "','", "' ', 1", "',', -1", "',', 0", "null", "'', 1"],
    "rightSplit": ["", "','", "',', 1", "' ', 0"],
    "replace": ["'a', 'b'", "'', '-'", "'a', 'b', 1", "'a', 'b', -1", "'a', 'b', 0"],
    "get": ["'x'", "'x', 'd'", "null", "1", "'name', []"],
    "join": ["','", "''", "', '", "1"],
    "format": ["1", "'a', 'b'", "null", "[1]", "x => 1"],
    "substring": ["1", "-2", "1, 2", "-3, 2", "0, -1", "10"],
    "first": ["", "null", "'d'", "[]"],
    "last": ["", "null", "0"],
    "select": ["$", "str($)", "[$]", "$.name", "{k => $}"],
    "where": ["$", "$ != null", "$.name = 'x'", "true", "len(str($)) > 1"],
    "orderBy": ["$", "str($)", "-len(str($))"],
    "indexOf": ["'a'", "'a', 1", "'', -1", "1"],
    "toDict": ["$", "str($), $", "$[0], $[1]"],
    "contains": ["'a'", "1", "null", "''"],
    "len": [""],
    "startsWith": ["'a'", "''", "'a', 'b'"],
    "take": ["1", "0", "-1", "10"],
    "skip": ["1", "0", "-1", "10"],
}
CHAINED = [".len()", ".first()", ".last()", ".str()", ".toUpper()", ".split(',')", ".select($)", ".distinct()",
           ".orderBy($)", ".where($ != null)", ".keys()", ".values()", ".join(',')", ".isEmpty()", "[0]", "[-1, 'd']",
           ".toSet()", ".flatten()", ".sum()", ".max()", ".count()", ".get('name')", ".items()", ".toList()",
           ".replace('a', 'b')", ".trim()", ".int()", ".float()", ".bool()", ".contains('x')", ".name",
           ".toDict($, $)", ".format(1)", ".concat([1])", ".len() > 0", " = null", " + 1", " + ''", ".isList()",
           ".isString()", ".toCharArray()"]
WRAPS = ["str({})", "len({})", "json_dump({})", "yaml_dump({})", "coalesce({}, 'dflt')", "isEmpty({})",
         "list({})", "bool({})", "switch({} => 1, true => 0)", "[{}]", "{{k => {}}}", "let(x => {}) -> $x",
         "({}) -> $", "dict(a => {})", "json_parse(json_dump({}))", "yaml_parse(yaml_dump({}))",
         "int({})", "float({})", "{} in [null, '', 0]", "not {}"]


SIBLINGS = [("first", "last"), ("select", "where"), ("keys", "values"), ("toUpper", "toLower"),
            ("split", "rightSplit"), ("max", "min"), ("orderBy", "orderByDescending"), ("startsWith", "endsWith"),
            ("indexOf", "lastIndexOf"), ("any", "all"), ("take", "skip"), ("toList", "toSet"), ("trim", "trimLeft"),
            ("len", "count"), ("distinct", "reverse"), ("containsKey", "containsValue"), ("items", "keys"),
            ("flatten", "distinct"), ("sum", "len"), ("join", "split")]
OPERATORS = [(" = ", " != "), (" and ", " or "), (" + ", " - "), (" > ", " <= "), (" < ", " >= "), (" in ", " = "),
             (" * ", " / "), (" != ", " = ")]


def swap(expr):
    """A method swapped for its sibling, or an operator for another."""
    if R.random() < 0.5:
        calls = [(m, y) for a, b in SIBLINGS for x, y in ((a, b), (b, a)) for m in re.finditer(r"\.%s\(" % x, expr)]
        if calls:
            m, y = pick(*calls)
            return expr[:m.start()] + "." + y + "(" + expr[m.end():]
    ops = [(m, y) for a, b in OPERATORS for m in re.finditer(re.escape(a), expr) for y in (b,)]
    if ops:
        m, y = pick(*ops)
        return expr[:m.start()] + y + expr[m.end():]
    return None


def mutate(expr, ctx_keys):
    if R.random() < 0.2:
        swapped = swap(expr)
        if swapped:
            return swapped
    kind = R.randrange(6)
    if kind == 0:
        lits = list(NUM_LIT.finditer(expr))
        if lits:
            m = pick(*lits)
            return expr[:m.start()] + pick(*NUM_ALT) + expr[m.end():]
        kind = 1
    if kind == 1:
        lits = list(STR_LIT.finditer(expr))
        if lits:
            m = pick(*lits)
            return expr[:m.start()] + pick(*(STR_ALT + NUM_ALT[:3] + ["null", "[]"])) + expr[m.end():]
        kind = 2
    if kind == 2:
        calls = [m for m in METHOD_CALL.finditer(expr)]
        if calls:
            m = pick(*calls)
            end = balanced(expr, m.end() - 1)
            if end > 0:
                alts = ARG_ALT.get(m.group(1)) or ["", "1", "'a'", "null", "$", "[]"]
                return expr[:m.end()] + pick(*alts) + ")" + expr[end:]
        kind = 3
    if kind == 3:
        paths = list(re.finditer(r"(?<![\w$])\$\.([A-Za-z_]\w*)", expr))
        if paths and ctx_keys:
            m = pick(*paths)
            return expr[:m.start(1)] + pick(*ctx_keys) + expr[m.end(1):]
        kind = 4
    if kind == 4:
        return "(%s)%s" % (expr, pick(*CHAINED))
    return pick(*WRAPS).format("(%s)" % expr)


# --------------------------------------------------------- templates
# Hand-written snippets as users write them, by category, with random
# parameters. Context: diff_random_expressions.CTX (vms, nums, words, ...).
def S():
    return pick("$.msg", "$.name", "$.csv", "$.path", "$.num_s", "$.date_s", "'a-b-c-d'", "'  x y  '",
                "'Straße ǅ ß'", "''", "'a,,b,'", "'日本語テキスト'", "$.vms[0].name", "'1.5'", "'AbC'", "'ıİ'")


def N():
    return pick("0", "1", "-1", "2", "-2", "3", "$.count", "$.neg", "$.zero", "$.big", "2.5", "-0.5", "1e3",
                "pow(2, 64)", "$.ratio", "7", "-7", "0.1", "1e20", "123456789012345678901234567890")


def L():
    return pick("$.nums", "$.words", "$.vms", "$.floats", "$.matrix", "$.empty", "[1, 'a', null]",
                "[[1, 2], [3, [4]]]", "$.vms.name", "$.vms.tags", "$.result.body.items", "[3, 1, 2, 1]",
                "['b', 'A', 'a', 'B']", "[1, 2.0, true]", "[null, 0, '']")


def D():
    return pick("$.result", "$.env", "$.edict", "$.vms[0]", "$.result.headers", "{a => 1, b => [2]}",
                "dict(x => null)", "{1 => 'one', 'k' => {n => 2}}", "$.vms[1].meta")


def LAM():
    return pick("$", "$.name", "str($)", "$ * 2", "len(str($))", "[$]", "$.cpu", "$.status", "-$", "$ mod 3",
                "$.meta.zone", "{n => $}", "$ = null", "$ > 2")


def FMT():
    return pick("'{0}'", "'{}'", "'{0:>8}'", "'{0:08.3f}'", "'{0!r}'", "'{0:x}'", "'{0:,}'", "'{:^10}'",
                "'{0[name]}'", "'{0:e}'", "'{0:%}'", "'{0:+d}'", "'{0:.2}'", "'{0!s:>5}'", "'{{x}} {0}'",
                "'{name}'", "'{0:b}'", "'{0:_}'", "'{0:g}'", "'{0:c}'", "'{0:o}'", "'{0:#x}'", "'{0:=+8}'",
                "'{0:.0f}'", "'{0:10.4}'", "'{0!a}'", "'{0:s}'", "'{0:n}'")


def DT():
    return pick("datetime(2024, 2, 29)", "datetime(2024, 2, 29, 12, 30, 5)", "datetime($.date_s)",
                "datetime('2024-01-01T10:00:00+02:00')", "datetime('2024-03-10 01:02')", "datetime('Mar 5 2020')",
                "datetime('2020-05-05T01:02:03.123456Z')", "datetime(0)", "datetime(1700000000)",
                "datetime('2024-02-29', '%Y-%m-%d')", "datetime(year => 2000, month => 1, day => 1)",
                "datetime('5/6/2021')", "datetime('2021-W05')", "datetime('12:30')", "datetime(1.5e9)",
                "datetime('20240229T123000')", "datetime('2024-02-29T12:30:00-05:30')")


def TS():
    return pick("timespan(days => 1)", "timespan(hours => -3, minutes => 30)", "timespan(seconds => 90.5)",
                "timespan(days => 400, microseconds => 7)", "timespan()", "timespan(weeks => 2)",
                "timespan(milliseconds => 1500)", "timespan(days => -1, seconds => 1)")


def RX():
    return pick("'\\\\d+'", "'(\\\\w+)-(\\\\d+)'", "'^a'", "'[,;]'", "'(?P<k>\\\\w+)=(?P<v>\\\\w*)'", "'\\\\s+'",
                "'(a)|(b)'", "'.*'", "'x*'", "'(?i)web'", "'[ä-ü]'", "'\\\\bword\\\\b'", "'(\\\\d)(\\\\d)?'", "''")


TEMPLATES = {
    "strings": [
        lambda: "%s.split(%s, %s)" % (S(), pick("','", "' '", "'-'", "null", "'b'"), pick("1", "0", "-1", "2", "5")),
        lambda: "%s.rightSplit(%s, %s)" % (S(), pick("','", "' '", "'-'", "null"), pick("1", "0", "-1", "2")),
        lambda: "%s.split(%s)" % (S(), pick("", "','", "', '", "maxSplits => 1", "' ', maxSplits => -2")),
        lambda: "%s.replace(%s, %s, %s)" % (S(), pick("'a'", "'-'", "''", "'ß'", "','"), pick("'X'", "''", "'ü'"),
                                            pick("1", "0", "-1", "2", "100")),
        lambda: "%s.replace(%s)" % (S(), pick("{a => 'A', b => 'B'}", "{'-' => ''}", "{}", "{'' => 'x'}")),
        lambda: "%s.format(%s)" % (FMT(), pick(N(), S(), L(), D(), "null", "true", "name => 'x'", "$.vms[0]")),
        lambda: "format(%s, %s, %s)" % (FMT(), N(), S()),
        lambda: "%s.substring(%s)" % (S(), pick("1", "-2", "0, -1", "-3, 2", "5, 100", "1, 0", "-100", "2, -5")),
        lambda: "%s.%s(%s)" % (S(), pick("indexOf", "lastIndexOf"), pick("'a'", "'-'", "''", "'a', -2", "'a', 1, 2",
                                                                         "'a', -5, 3", "'-', 3")),
        lambda: "%s.%s()" % (S(), pick("toUpper", "toLower", "trim", "trimLeft", "trimRight", "norm", "reverse",
                                       "len", "isEmpty", "characters", "toCharArray", "str", "int", "float")),
        lambda: "%s.%s(%s)" % (S(), pick("trim", "trimLeft", "trimRight"), pick("'a'", "' -'", "''", "'ß '")),
        lambda: "%s.join(%s)" % (pick("','", "''", "' | '", "'é'"), L()),
        lambda: "%s.join(%s)" % (L(), pick("','", "''", "' | '", "1")),
        lambda: "str(%s)" % pick(N(), S(), L(), D(), DT(), TS(), "null", "true", "false", "set(1, 2)",
                                "$.vms[0].meta.items()", "regex('a')", "$.floats[0]", "1.0", "1e16", "1e-5",
                                "0.1 + 0.2", "float('inf')", "-0.0", "1/3"),
        lambda: "%s + %s" % (S(), pick(S(), "str(%s)" % N(), N())),
        lambda: "%s * %s" % (S(), pick("2", "0", "-1", "3")),
        lambda: "%s.%s(%s)" % (S(), pick("startsWith", "endsWith"), pick("'a'", "''", "'a', 'x'", "'Ab'")),
        lambda: "concat(%s, %s)" % (S(), S()),
        lambda: "%s in %s" % (pick("'a'", "''", "'ß'"), S()),
        lambda: "%s.toUpper().toLower() = %s.toLower()" % (S(), S()),
        lambda: "%s[%s]" % (S(), pick("0", "-1", "100", "1, 'd'")),
    ],
    "collections": [
        lambda: "%s.select(%s)" % (L(), LAM()),
        lambda: "%s.where(%s)" % (L(), LAM()),
        lambda: "%s.orderBy(%s)%s" % (L(), LAM(), pick("", ".thenBy(%s)" % LAM(), ".thenByDescending(%s)" % LAM())),
        lambda: "%s.orderByDescending(%s).thenBy(%s)" % (L(), LAM(), LAM()),
        lambda: "%s.groupBy(%s%s)" % (L(), LAM(), pick("", ", %s" % LAM(), ", %s, $.len()" % LAM(),
                                                      ", aggregator => $.len()")),
        lambda: "%s.distinct(%s)" % (L(), pick("", LAM())),
        lambda: "%s.flatten(%s)" % (L(), pick("", "1", "0", "-1")),
        lambda: "%s.zip(%s%s)" % (L(), L(), pick("", ", %s" % L())),
        lambda: "dict(%s)" % pick("%s.zip(%s)" % (L(), L()), "a => 1, b => null", "[[1, 2], [3, 4]]",
                                 "$.vms.select([$.name, $.cpu])", "[]", "[['a', 1], ['a', 2]]"),
        lambda: "%s.toDict(%s%s)" % (L(), LAM(), pick("", ", %s" % LAM())),
        lambda: "%s.mergeWith(%s%s)" % (D(), D(), pick("", ", $.first()", ", maxLevels => 1",
                                                       ", listMerger => $1 + $2", ", itemMerger => $2")),
        lambda: "%s.%s(%s)" % (L(), pick("sum", "max", "min"), pick("", LAM())),
        lambda: "%s.%s(%s)" % (L(), pick("first", "last"), pick("", "null", "'d'", "0")),
        lambda: "%s.%s(%s)" % (L(), pick("skip", "take", "limit"), pick("0", "1", "-1", "100", "2")),
        lambda: "%s[%s]" % (L(), pick("0", "-1", "-100", "100", "1, 'd'", "-1, null", "10, []")),
        lambda: "%s.%s()" % (L(), pick("len", "count", "toSet", "reverse", "isEmpty", "distinct", "toList",
                                       "enumerate", "single", "any", "all", "memorize")),
        lambda: "%s.%s(%s)" % (L(), pick("contains", "indexOf", "lastIndexOf"), pick(N(), S(), "null", "[1, 2]")),
        lambda: "%s.selectMany(%s)" % (L(), pick("$", "[$, $]", "$.tags", "str($).toCharArray()")),
        lambda: "%s.aggregate(%s%s)" % (L(), pick("$1 + $2", "$1 + [$2]", "max($1, $2)"), pick("", ", 0", ", []")),
        lambda: "%s.%s(%s)" % (L(), pick("any", "all", "indexWhere", "takeWhile", "skipWhile"), LAM()),
        lambda: "%s + %s" % (L(), L()),
        lambda: "%s.%s(%s)" % (L(), pick("union", "intersect", "difference", "symmetricDifference"), L()),
        lambda: "len(%s)" % pick(L(), D(), S(), N(), "null", "set(1, 2)", DT(), "true"),
        lambda: "%s.insert(%s, %s)" % (L(), pick("0", "-1", "100"), N()),
        lambda: "%s.%s(%s)" % (L(), pick("append", "delete", "replace", "replaceMany"), pick("0", "1, 2", "-1")),
        lambda: "%s.select(%s).where(%s).orderBy(%s)" % ("$.vms", LAM(), LAM(), LAM()),
        lambda: "%s.groupBy($.%s, $.name).select([$[0], $[1].len()])" % ("$.vms", pick("status", "meta.zone", "cpu")),
        lambda: "%s.slice(%s)" % (L(), pick("2", "1", "0")),
        lambda: "range(%s).select(%s)" % (pick("3", "0, 10, 3", "5, 0, -2", "-2"), LAM()),
    ],
    "dicts": [
        lambda: "{%s => %s}" % (pick("k", "'k'", "1", "null", "true", "'é'", "1.5"), pick(N(), S(), L(), D())),
        lambda: "dict(%s => %s, %s => %s)" % (pick("a", "b"), N(), pick("c", "a"), S()),
        lambda: "%s.get(%s%s)" % (D(), pick("'a'", "'code'", "'nope'", "1", "null", "'ü'"),
                                 pick("", ", 'd'", ", null", ", []")),
        lambda: "%s.%s()" % (D(), pick("keys", "values", "items", "len", "isEmpty")),
        lambda: "%s.set(%s, %s)" % (D(), pick("'a'", "'new'", "1"), pick(N(), S(), "null")),
        lambda: "%s.set(%s)" % (D(), pick("{a => 2}", "{}", "{x => {y => 1}}")),
        lambda: "%s.delete(%s)" % (D(), pick("'a'", "'nope'", "'a', 'b'", "1")),
        lambda: "%s.deleteAll(%s)" % (D(), pick("['a']", "[]", "['a', 'nope']")),
        lambda: "%s[%s]" % (D(), pick("'a'", "'code'", "'nope'", "'nope', 'd'", "1")),
        lambda: "%s.%s" % (D(), pick("a", "code", "body", "nope", "items")),
        lambda: "%s.%s(%s)" % (D(), pick("containsKey", "containsValue", "contains"), pick("'a'", "1", "null")),
        lambda: "%s.items().select([$[0], $[1]])" % D(),
        lambda: "%s.keys().orderBy($)" % D(),
        lambda: "%s.values().where($ != null)" % D(),
        lambda: "%s.toDict($.name, $.%s)" % ("$.vms", pick("cpu", "meta", "tags", "status")),
        lambda: "%s.items().toDict($[0], $[1])" % D(),
        lambda: "dict(%s.items())" % D(),
        lambda: "%s + %s" % (D(), D()),
        lambda: "%s = %s" % (D(), D()),
        lambda: "%s.mergeWith(%s).keys()" % (D(), D()),
    ],
    "dates": [
        lambda: DT(),
        lambda: "%s.format(%s)" % (DT(), pick("'%Y-%m-%d'", "'%H:%M:%S.%f'", "'%A %d %B'", "'%s'", "'%j %U %w'",
                                              "'%c'", "'%x %X'", "'%z %Z'", "'%%'", "'%y%m'", "'%I %p'", "'%G-W%V'")),
        lambda: "%s %s %s" % (DT(), pick("+", "-"), TS()),
        lambda: "%s - %s" % (DT(), DT()),
        lambda: "%s %s %s" % (DT(), pick("<", ">", "=", "!=", "<=", ">="), DT()),
        lambda: "%s.%s" % (DT(), pick("year", "month", "day", "hour", "minute", "second", "microsecond",
                                      "weekday", "dayOfYear", "date", "time", "offset", "timestamp", "utc")),
        lambda: "%s.%s" % (TS(), pick("days", "hours", "minutes", "seconds", "microseconds", "milliseconds",
                                      "totalSeconds", "totalHours", "totalMinutes", "totalMilliseconds",
                                      "totalMicroseconds", "totalDays")),
        lambda: "%s %s %s" % (TS(), pick("+", "-", "*", "/", "<", "="), pick(TS(), "2", "0.5")),
        lambda: "str(%s)" % pick(DT(), TS()),
        lambda: "int(%s.timestamp)" % DT(),
        lambda: "%s.replace(%s)" % (DT(), pick("year => 2000", "day => 1", "month => 2, day => 30", "hour => 0")),
        lambda: "[%s, %s].orderBy($)" % (DT(), DT()),
        lambda: "json_dump(%s)" % DT(),
        lambda: "-%s" % TS(),
        lambda: "%s.%s" % (DT(), pick("isoformat()", "toUtc()")),
        lambda: "datetime(%s)" % pick("'2024-13-01'", "'tomorrow'", "''", "'2024'", "'10 Jan'", "'2024/02/29'",
                                      "'Thu, 29 Feb 2024 12:30:00 GMT'", "'29.02.2024'", "'2024-02-29 25:00'"),
    ],
    "regex": [
        lambda: "regex(%s).%s(%s)" % (RX(), pick("matches", "search", "searchAll", "split"), S()),
        lambda: "regex(%s).replace(%s, %s%s)" % (RX(), S(), pick("'#'", "'\\\\1'", "'<\\\\g<0>>'", "''"),
                                                 pick("", ", 1", ", 0", ", -1")),
        lambda: "%s.%s(%s)" % (S(), pick("matches", "regexReplace", "search", "searchAll", "regexSplit"),
                               RX() + pick("", ", 'X'")),
        lambda: "%s =~ %s" % (S(), RX()),
        lambda: "%s !~ %s" % (S(), RX()),
        lambda: "regex(%s).search(%s, $.groups)" % (RX(), S()),
        lambda: "regex(%s).searchAll(%s, $.value)" % (RX(), S()),
        lambda: "regex(%s, %s).matches(%s)" % (RX(), pick("ignoreCase => true", "multiLine => true",
                                                          "dotAll => true"), S()),
        lambda: "regex(%s).split(%s, %s)" % (RX(), S(), pick("1", "0", "-1")),
        lambda: "regex(%s).search(%s)" % (RX(), S()),
        lambda: "escapeRegex(%s)" % S(),
    ],
    "numbers": [
        lambda: "%s %s %s" % (N(), pick("+", "-", "*", "/", "mod", "//", "<", "=", ">="), N()),
        lambda: "%s(%s)" % (pick("int", "float", "round", "abs", "str", "bool", "sign"), pick(N(), S(), "null",
                                                                                           "'0x1f'", "' 7 '",
                                                                                           "'1e3'", "true")),
        lambda: "round(%s, %s)" % (N(), pick("0", "1", "2", "-1", "-2")),
        lambda: "%s / 0" % N(),
        lambda: "%s mod %s" % (pick("-7", "7", "-7.5", "7.5", "$.big"), pick("3", "-3", "2.5", "-0.5", "0")),
        lambda: "pow(%s, %s)" % (N(), pick("2", "0", "-1", "0.5", "3", "70")),
        lambda: "pow(%s, %s, %s)" % (pick("2", "3", "-2"), pick("10", "0"), pick("7", "-7", "1")),
        lambda: "float(%s)" % pick("'inf'", "'nan'", "'-0'", "'1_0'", "'1e400'", "1e308 * 10", "$.big"),
        lambda: "[%s, %s, %s]" % (N(), N(), N()),
        lambda: "%s.%s()" % (pick("[1, 2.5, -3]", "$.nums", "$.floats", "[$.big, 1]"), pick("sum", "max", "min")),
        lambda: "max(%s, %s)" % (N(), N()),
        lambda: "-%s" % N(),
        lambda: "%s(%s, %s)" % (pick("bitwiseAnd", "bitwiseOr", "bitwiseXor", "shiftBitsLeft", "shiftBitsRight"),
                                N(), pick("1", "3", "0", "64")),
        lambda: "%s.isInteger() and %s.isNumber()" % (N(), N()),
        lambda: "str(%s / %s)" % (N(), pick("3", "7", "0.1", "-4")),
    ],
    "formats": [
        lambda: "json_parse(%s)" % pick("'[1, 2.0, \"x\", null, true]'", "'{\"a\": {\"b\": [1]}}'", "'1e400'",
                                        "'\"\\\\u00e9\"'", "'NaN'", "'12345678901234567890'", "' 1 '", "'{}'",
                                        "'[1,]'", "''", "json_dump(%s)" % pick(L(), D(), S(), N())),
        lambda: "json_dump(%s)" % pick(L(), D(), S(), N(), "null", "true", "{a => [1, {b => 'é'}]}", "$.vms[0]",
                                       "set(1)", DT()),
        lambda: "yaml_dump(%s)" % pick(L(), D(), S(), N(), "null", "true", "$.vms", "'2024-02-29'", "'yes'",
                                       "'a: b'", "'- x'", "''", "'multi\\nline'", "$.vms[0].meta"),
        lambda: "yaml_parse(%s)" % pick("'a: 1'", "'- 1\\n- x'", "'2024-02-29'", "'yes'", "'~'", "'1e3'",
                                        "'0o17'", "'{a: [1, 2]}'", "'x: !!str 1'", "'a: b: c'", "''",
                                        "yaml_dump(%s)" % pick(L(), D())),
        lambda: "json_parse(json_dump(%s)) = %s" % ((lambda v: (v, v))(pick(L(), D(), S(), N()))),
        lambda: "json_pp(%s)" % pick(L(), D(), "null"),
    ],
    "control": [
        lambda: "let(x => %s, y => %s) -> %s" % (pick(N(), S(), L()), pick(N(), D()),
                                                 pick("$x + $y", "[$x, $y]", "$x.len()", "{a => $x}", "$", "$1")),
        lambda: "%s -> %s" % (pick(L(), D(), S(), N()), pick("$.len()", "$[0]", "str($)", "$.first()", "[$, $]")),
        lambda: "switch(%s)" % ", ".join(pick("%s > 2 => %s" % (N(), S()), "%s => %s" % (LAM().replace("$", "$.count"),
                                                                                          N()),
                                              "$.flag => 'f'", "true => %s" % L(), "null => 1", "0 => 2")
                                         for _ in range(R.randint(1, 3))),
        lambda: "coalesce(%s, %s%s)" % (pick("null", "$.nothing", "$.nope", "''", "0", "[]"), pick(N(), S(), "null"),
                                        pick("", ", 'z'")),
        lambda: "isEmpty(%s)" % pick(L(), D(), S(), N(), "null", "0", "false", "' '"),
        lambda: "%s.isEmpty()" % pick(L(), D(), S()),
        lambda: "%s and %s or %s" % (pick(N(), S(), "null", L()), pick(N(), S(), L()), pick(N(), S(), "null")),
        lambda: "not %s" % pick(N(), S(), L(), D(), "null"),
        lambda: "%s.%s()" % (pick(N(), S(), L(), D(), "null", "true", DT()),
                             pick("isString", "isList", "isDict", "isInteger", "isNumber", "isBoolean", "isSet",
                                  "isDatetime", "isTimespan", "isRegex")),
        lambda: "%s ?. %s" % (pick(D(), "null", "$.nothing"), pick("a", "code", "nope")),
        lambda: "$.vms.where($.%s).select(%s)" % (pick("ip", "disk", "tags", "meta.zone = 'nova'", "cpu > 2"), LAM()),
        lambda: "%s.%s" % (pick("$.vms", "$.vms.meta", "$.matrix", "$.words"), pick("name", "zone", "len", "nope")),
    ],
}


# The idioms the corpus uses most (get with a default, coalesce, where/
# select chains, dict building, joins of names, splits of paths), over the
# context's task-result-like data, with random parts.
def VMF():
    return pick("name", "id", "status", "cpu", "mem", "ip", "tags", "meta", "disk", "meta.zone", "meta.owner")


def VMP():
    return pick("$.status = 'ACTIVE'", "$.cpu > 2", "$.ip != null", "$.tags.contains('web')", "$.disk",
                "$.name.startsWith('web')", "$.meta.zone in ['nova', 'az2']", "not $.tags", "$.mem >= 1024",
                "$.name =~ '^w'", "len($.tags) > 1", "$.get('disk', 0) > 10", "$.meta.get('owner') = 'ann'")


TEMPLATES["workflow"] = [
    lambda: "$.vms.where(%s).select($.%s)" % (VMP(), VMF()),
    lambda: "$.vms.where(%s).%s" % (VMP(), VMF()),
    lambda: "$.vms.select($.%s)%s" % (VMF(), pick("", ".distinct()", ".where($ != null)", ".first(null)", ".last()",
                                                  ".flatten()", ".join(', ')", ".orderBy($)", ".len()", ".max()")),
    lambda: "dict($.vms.select([$.%s, $.%s]))" % (VMF(), VMF()),
    lambda: "$.vms.toDict($.%s, $.%s)" % (pick("name", "id"), VMF()),
    lambda: "$.result.get(%s, %s)%s" % (pick("'body'", "'code'", "'nope'", "'headers'"), pick("{}", "[]", "null", "0"),
                                        pick("", ".get('items', [])", ".items", ".get('X-Count')", ".len()")),
    lambda: "coalesce(%s, %s, %s)" % (pick("$.nothing", "$.result.body.next", "$.env.get('nope')"),
                                      pick("$.env.region", "null", "$.vms[0].disk", "$.edict.get('x')"), pick("'d'", "0")),
    lambda: "$.vms.%s.join(%s)" % (pick("name", "id", "status", "ip"), pick("', '", "','", "' '", "'\\n'")),
    lambda: "$.vms.sum($.%s)" % pick("cpu", "mem", "disk"),
    lambda: "$.vms.select($.%s).%s()" % (pick("cpu", "mem", "disk", "name"), pick("max", "min", "sum", "distinct")),
    lambda: "$.path.split(%s)[%s]" % (pick("'/'", "'.'", "'/var'"), pick("-1", "0", "1", "-2", "10, 'x'")),
    lambda: "$.csv.split(',').where($ != '')%s" % pick("", ".len()", ".join('|')", ".select($.toUpper())"),
    lambda: "$.msg.replace(%s, %s).%s()" % (pick("','", "' '", "'l'"), pick("''", "'_'"), pick("toLower", "toUpper", "trim", "len")),
    lambda: "let(%s => $.vms.%s) -> $%s%s" % ((lambda v: (v, VMF(), v, pick(".len()", ".first()", "[0]", ".where($ != null)",
                                                                              ".distinct().len()", "")))(pick("ids", "x", "names"))),
    lambda: "'%s'.format(%s, %s)" % (pick("{0}-{1}", "{0}: {1}", "{1}/{0}", "{}:{}", "{0!r}={1}"), pick("$.name", "$.count", "$.vms[0].name", "$.big"),
                                    pick("$.count", "$.ratio", "$.vms.len()", "$.env.region", "$.nothing")),
    lambda: "str(%s) + %s + str(%s)" % (pick("$.count", "$.big", "$.ratio", "$.nothing", "$.vms[0].mem"), pick("'/'", "' '", "''"),
                                         pick("$.neg", "$.flag", "$.floats[0]", "$.result.code")),
    lambda: "%s(%s)%s" % (pick("int", "float", "str", "bool"), pick("$.num_s", "$.float_s", "$.count", "$.result.headers.get('X-Count')",
                                                                     "$.vms[0].mem", "$.flag"), pick("", " + 1", " * 2", " / 3")),
    lambda: "$.date_s.substring(%s)" % pick("0, 10", "11", "-8", "0, 4"),
    lambda: "datetime($.date_s)%s" % pick(".format('%Y')", ".year", " + timespan(days => 1)", ".date", ".weekday",
                                          " > datetime(2024, 1, 1)", ".format('%d/%m/%Y %H:%M')"),
    lambda: "$.vms.select({name => $.name, %s => $.%s})" % (pick("zone", "cpu", "t"), VMF()),
    lambda: "$.vms.groupBy($.%s, $.%s)" % (pick("status", "meta.zone", "cpu"), VMF()),
    lambda: "$.vms.groupBy($.%s, $.%s, [$[0], $[1].len()])" % (pick("status", "meta.zone"), VMF()),
    lambda: "$.vms.orderBy($.%s)%s.select($.name)%s" % (pick("cpu", "mem", "name", "status", "disk"),
                                                        pick("", ".thenBy($.name)", ".thenByDescending($.cpu)"),
                                                        pick("", ".take(2)", ".first()", ".skip(1)")),
    lambda: "$.vms.first().get(%s, %s)%s" % (pick("'disk'", "'nope'", "'meta'"), pick("0", "{}", "null"), pick("", " + 1", ".zone")),
    lambda: "range(%s).select(%s)" % (pick("0, $.count", "$.count", "1, len($.vms)"), pick("$ * 10", "$.vms[$].name", "str($)")),
    lambda: "$.matrix.%s" % pick("flatten().sum()", "select($.len())", "where($).len()", "selectMany($)", "flatten().max()"),
    lambda: "$.env.set(%s, %s)" % (pick("'retries'", "'new'", "'debug'"), pick("$.env.retries + 1", "null", "[1]", "{a => 1}")),
    lambda: "$.env.mergeWith(%s)" % pick("{region => 'us'}", "{extra => {a => 1}}", "$.result.headers", "{}", "$.vms[0].meta"),
    lambda: "$.result.body.items.%s" % pick("last()", "first()", "sum()", "len()", "select($ * 2)", "contains(2)", "indexOf(3)"),
    lambda: "%s$.result.body.next" % pick("not ", "bool(", "isEmpty("),
    lambda: "$.vms.select($.tags).flatten().distinct()%s" % pick("", ".len()", ".orderBy($)"),
    lambda: "$.vms.name.select($.split('-')[%s])" % pick("0", "-1", "1"),
    lambda: "$.vms.%s(%s)" % (pick("any", "all", "indexWhere", "where", "first", "single"), VMP()),
    lambda: "switch(%s => %s, %s => %s, true => %s)" % (pick("$.count > 2", "$.flag", "$.nothing", "$.vms.len() = 4"), pick("'a'", "1", "$.name"),
                                                       pick("$.off", "$.zero", "$.empty"), pick("'b'", "null"), pick("'c'", "$.env")),
    lambda: "$.vms.where(%s).len() %s %s" % (VMP(), pick(">", "=", "<", "!="), pick("0", "1", "$.count")),
    lambda: "$.words.%s" % pick("select($.toLower()).distinct()", "orderBy($.toLower())", "where($).join('-')",
                               "select($.len()).sum()", "select($[0]).join('')", "toSet().len()"),
    lambda: "concat(%s, %s)" % (pick("$.name", "'x'", "$.vms[0].name"), pick("'-'", "str($.count)", "$.msg")),
    lambda: "$.result.headers.%s" % pick("keys().toList()", "values().toList()", "items().select($[0])", "get('Content-Type')",
                                        "containsKey('X-Count')", "len()"),
    lambda: "%s in $.vms.%s" % (pick("'web-1'", "'ACTIVE'", "2", "null"), pick("name", "status", "cpu", "disk")),
    lambda: "$.vms.select($.%s).where($ != null).%s" % (pick("disk", "ip"), pick("len()", "first()", "sum()", "join(',')")),
]


def template_exprs(count):
    cats = sorted(TEMPLATES)
    out = []
    for i in range(count):
        cat = cats[i % len(cats)]
        out.append((cat, pick(*TEMPLATES[cat])()))
    return out


# -------------------------------------------------------------- main
CHUNK = 2000
# What answers differently from one call to the next, or needs Mistral's
# database (global() reads the execution's context from it).
UNREPEATABLE = re.compile(r"(?<![\w.$])(now|localtz|uuid|random|global|executions|tasks)\(")


class OutOfBounds(Exception):
    pass


def on_alarm(*_):
    raise OutOfBounds("python: out of time")


def python_answer(text, ctx_text):
    """Mistral's answer, bounded: an expression that runs Python out of
    time or memory (a range of 10**20 read whole) is left out."""
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(5)
    try:
        answer = dx.python_answer(text, json.loads(ctx_text))
        # a huge answer (a text repeated 10**8 times) is left out, not kept
        if answer[0] == "value" and len(json.dumps(answer[1])) > 1 << 20:
            return ("error", "python: out of time")
        return answer
    except (OutOfBounds, MemoryError):
        return ("error", "python: out of time")
    finally:
        signal.alarm(0)


def compare(cases, bora_path, args):
    """cases: [(group, text, context)]; prints and returns the differences."""
    print("evaluating %d expressions with Mistral and %s, %d at a time ..." % (
        len(cases), os.path.normpath(bora_path), CHUNK), file=sys.stderr)
    sys.setrecursionlimit(3000)
    classes = collections.defaultdict(list)
    noise = collections.Counter()
    errors_both = 0
    per_group = collections.Counter()
    # In chunks: an error's text holds the whole data context, kept only
    # for the differences.
    for start in range(0, len(cases), CHUNK):
        part = cases[start:start + CHUNK]
        ctx_texts = [json.dumps(c) for _, _, c in part]
        py = [python_answer(t, ct) for (_, t, _), ct in zip(part, ctx_texts)]
        bora = dx.bora_answers(bora_path, [(t, ct) for (_, t, _), ct in zip(part, ctx_texts)])
        for (group, text, ctx), ct, p, b in zip(part, ctx_texts, py, bora):
            if UNREPEATABLE.search(text):
                noise["time, chance or the database (now, uuid, random, global)"] += 1
                continue
            if p == ("error", "python: out of time") or p == ("error", "") and "result" in b:
                noise["python out of time or memory"] += 1
                continue
            p = (p[0], dr.without_addresses(p[1])) + tuple(p[2:])
            b = dr.without_addresses(b)
            if p[0] == "error" and "error" in b:
                errors_both += 1
            if dx.same(p, b):
                continue
            why = dr.known_noise(text, p, b) or ("keys() view order" if dr.keys_view_order(text, p, b) else None) or (
                "set order" if dr.set_order(text) and p[0] == "value" and "result" in b and
                dr.deep_sorted(p[1]) == dr.deep_sorted(b["result"]) else None)
            if why:
                noise[why] += 1
                continue
            per_group[group] += 1
            if "error" in b:
                b = dict(b, error=dx.error_text(b["error"]))
            classes[dx.classify(text, p, b)].append((text, ct, p, b))
        print("  ... %d done, %d differ" % (min(start + CHUNK, len(cases)), sum(per_group.values())),
              file=sys.stderr)
    total = sum(len(v) for v in classes.values())
    for cls in sorted(classes, key=lambda c: -len(classes[c])):
        print("== %s: %d" % (cls, len(classes[cls])))
        by_head = collections.defaultdict(list)
        for item in classes[cls]:
            by_head[dx.head(item[0])].append(item)
        for h in sorted(by_head, key=lambda h: -len(by_head[h])):
            print("  -- %s: %d" % (h, len(by_head[h])))
            for text, ct, p, b in sorted(by_head[h], key=lambda x: len(x[0]) + len(x[1]) // 4)[:args.show]:
                pv = p[1] if p[0] == "value" else "ERROR " + p[1][:200]
                bv = b.get("result", "ERROR " + str(b.get("error"))[:200])
                print("     %s\n        context: %s\n        mistral: %s\n        bora:    %s" % (
                    text.replace("\n", "\\n")[:400], ct[:300], json.dumps(pv, ensure_ascii=False)[:300],
                    json.dumps(bv, ensure_ascii=False)[:300]))
    if args.json:
        with open(args.json, "w", errors="backslashreplace") as f:
            for cls, items in classes.items():
                for text, ct, p, b in items:
                    f.write(json.dumps({"class": cls, "text": text, "context": json.loads(ct), "mistral": list(p),
                                        "bora": b}, ensure_ascii=False) + "\n")
    print("\n%d expressions (%d an error in both), %d differ (%s)%s" % (
        len(cases), errors_both, total, ", ".join("%s %d" % kv for kv in sorted(per_group.items())),
        "".join("; %d %s left out" % (n, w) for w, n in noise.items())))
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bora", default=os.path.join(dx.HERE, "..", "build", "src", "cli", "bora"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--contexts", type=int, default=4, help="data contexts per workflow")
    ap.add_argument("--mutations", type=int, default=3, help="mutants per corpus expression and context")
    ap.add_argument("--templates", type=int, default=3000, help="template snippets")
    ap.add_argument("--part", action="append", choices=["corpus", "mutations", "templates"])
    ap.add_argument("--show", type=int, default=3, help="examples printed per class")
    ap.add_argument("--json", help="write every difference as JSON lines here")
    ap.add_argument("--grep", help="only expressions containing this text")
    ap.add_argument("--print", action="store_true", help="only print the cases")
    args = ap.parse_args()
    # Python's memory bounded: a MemoryError is an answer left out
    resource.setrlimit(resource.RLIMIT_AS, (12 << 30, resource.RLIM_INFINITY))
    R.seed(args.seed)
    dr.R.seed(args.seed)
    parts = set(args.part or ["corpus", "mutations", "templates"])

    cases = []
    if parts & {"corpus", "mutations"}:
        wfs = mine()
        n_expr = sum(len(wf.texts) for wf in wfs)
        print("mined %d workflows, %d texts holding YAQL" % (len(wfs), n_expr), file=sys.stderr)
        for wf in wfs:
            ctxs = contexts_for(wf, args.contexts)
            keys = sorted(k for k in ctxs[0] if k not in ("__env", "T_", "E_")) if ctxs else []
            for text in wf.texts:
                whole = rewrite_text(text)
                for c in ctxs:
                    if "corpus" in parts:
                        cases.append(("corpus", whole, c))
                if "mutations" in parts:
                    for m in INLINE.finditer(text):
                        inner = m.group(0)[2:-2].strip()
                        w, _ = wrap_rewritten(inner)
                        for c in ctxs:
                            for _ in range(args.mutations):
                                # mutate the user's part, keep the let() wrapper
                                if w != inner:
                                    body = w[len("let(T => $.T_, E => $.E_) -> ("):-1]
                                    mutant = "let(T => $.T_, E => $.E_) -> (%s)" % mutate(body, keys)
                                else:
                                    mutant = mutate(inner, keys)
                                cases.append(("mutations", "<% " + mutant + " %>", c))
    if "templates" in parts:
        cases += [("templates:" + cat, "<% " + e + " %>", dr.CTX) for cat, e in template_exprs(args.templates)]
    seen = set()
    uniq = []
    for g, t, c in cases:
        key = (t, json.dumps(c, sort_keys=True))
        if key not in seen:
            seen.add(key)
            uniq.append((g, t, c))
    cases = uniq
    if args.grep:
        cases = [c for c in cases if args.grep in c[1]]
    if args.print:
        for g, t, c in cases:
            print("%s\t%s\t%s" % (g, t.replace("\n", "\\n"), json.dumps(c, ensure_ascii=False)))
        return
    compare(cases, args.bora, args)


if __name__ == "__main__":
    main()
