#!/usr/bin/python3
"""Random workflow cases that combine engine features, run in the real
Mistral 15 and in Bora, to find where the two differ.

A seeded generator writes workflow cases (the format of
test/workflows/README.md) into test/workflows_random/<area>/: direct and
reverse workflows, workbooks, sub-workflows and ad-hoc actions that mix
transitions with yaql and jinja conditions, engine commands, advanced
publish (branch/global/atomic), joins, with-items, policies, publish and
publish-on-error, output and output-on-error, input defaults, env(),
failing actions and expressions, and steps (rerun, pause/resume, cancel).

The cases avoid timing races by construction: every task publishes only
variables named after itself; an expression reads only variables and
task() results of tasks that are certain to have ended before it (its
dominators); a task reached from two tasks has a join; the tasks before a
partial join (`join: one` or a number, whose merge depends on which branch
arrives first) publish nothing; workflows with engine commands, tasks()
or steps run one task at a time; real delays are 0 or 1 s.

    diff_random_workflows.py gen --seed S [--count N]   write cases
    diff_random_workflows.py mistral [NAME...]          Mistral's expect (gen_engine_cases.py)
    diff_random_workflows.py bora [NAME...]             Bora's runner, the cases that differ
    diff_random_workflows.py recheck NAME...            run those in Mistral again, compare
    diff_random_workflows.py run --seeds 1,2,3 [--count N]   all of the above

Cases Mistral refuses (a definition it rejects, a step it refuses) are
deleted and listed. Run with Debian's /usr/bin/python3 (python3-mistral).
"""
import argparse
import copy
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = os.path.dirname(HERE)
OUT = os.path.join(MAIN, "test", "workflows_random")
RUNNER = os.environ.get("BORA_WORKFLOW_RUNNER", os.path.join(MAIN, "build", "test", "workflows", "workflow_cases"))

sys.path.insert(0, HERE)


# ---------------------------------------------------------------- YAML ----

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def ytext(doc):
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=4096, allow_unicode=True)


# ---------------------------------------------------------- generator ----

ADHOC = {
    "a_echo": {"base": "std.echo", "base-input": {"output": "<% $.x %>"}, "input": ["x"]},
    "a_add": {"base": "std.echo", "base-input": {"output": "<% $.a + $.b %>"}, "input": ["a", {"b": 10}],
              "output": "<% $ * 2 %>"},
    "a_wrap": {"base": "std.echo", "base-input": {"output": {"v": "<% $.x %>", "k": "{{ _.tag }}"}},
               "input": ["x", {"tag": "t"}], "output": "<% $.v %>"},
    "a_fail": {"base": "std.fail"},
    "a_nested": {"base": "a_add", "base-input": {"a": "<% $.z %>"}, "input": ["z"]},
    "a_bad": {"base": "std.echo", "base-input": {"output": "<% $.x.nothing %>"}, "input": [{"x": 1}]},
}


class Wf:
    """One workflow being generated."""

    def __init__(self, name, mode, ntasks):
        self.name = name
        self.mode = mode  # "par" (parallel branches), "seq" (one task at a time), "reverse"
        self.names = ["t%d" % (i + 1) for i in range(ntasks)]
        self.edges = {n: [] for n in self.names}  # parent -> [(kind, child)]
        self.parents = {n: [] for n in self.names}
        self.dom = {}
        self.racy = set()
        self.tasks = {}
        self.published = {n: [] for n in self.names}  # variables each task publishes
        self.inputs = {}


# Differences already found (the report of the first runs): the generator
# avoids them unless --known, so that the next runs find other ones.
#  join-policies: a join task that waited (WAITING) runs without its
#    before-start policies in Mistral (timeout, wait-before, pause-before).
#  adhoc-base-input: the text of an error in an ad-hoc action's base-input.
#  keep-result-expr: Mistral never evaluates a keep-result expression.
#  adhoc-repr: an ad-hoc action's object in "The action raised an exception".
#  join-inline: a join task loses its inline action parameters.
#  rerun-no-reset: reset: false on a task without with-items (the REST
#    check Bora makes in its engine; the generator calls Mistral's engine).
KNOWN = {"join-policies", "adhoc-base-input", "keep-result-expr", "adhoc-repr", "join-inline", "rerun-no-reset"}
AVOID = set(KNOWN)


class Gen:
    def __init__(self, seed, index):
        self.rng = random.Random("%s-%s" % (seed, index))
        self.seed = seed
        self.index = index
        self.used_adhoc = set()
        self.subs = {}  # name -> Wf dict
        self.notes = []
        self.env = None
        self.flaky = None

    # ---- small pieces ----

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(list(seq))

    def input_values(self):
        r = self.rng
        return {"n": r.randint(0, 5), "s": self.pick(["abc", "x", ""]),
                "lst": self.pick([[], [1], [1, 2], [3, 1, 2], [0, 2]]), "flag": self.chance(0.5)}

    def value_expr(self, wf, task, dominators, jinja=None):
        """A value expression reading inputs, env and the dominators."""
        r = self.rng
        jinja = self.chance(0.35) if jinja is None else jinja
        doms = [d for d in dominators if d not in wf.racy]
        pubs = [(d, v) for d in doms for v in wf.published[d]]
        choices = ["lit", "n", "s", "lst", "mix"]
        if wf.inputs:
            choices += ["n", "s"]
        if self.env is not None:
            choices.append("env")
        if doms:
            choices += ["task", "task"]
        if pubs:
            choices += ["var", "var", "var"]
        if self.chance(0.06):
            choices = ["missing"]
        elif self.chance(0.05):
            choices = ["execution"]
        c = self.pick(choices)
        if c == "lit":
            return self.pick([1, "hello", [1, 2], {"k": "v"}, True, None])
        if c == "n":
            op = self.pick(["", " + 1", " * 2", " > 2"])
            var = "n" if "n" in wf.inputs else "y"
            if var == "y":
                op = self.pick(["", " = 2"])
            return "{{ _.%s%s }}" % (var, op) if jinja else "<%% $.%s%s %%>" % (var, op)
        if "n" not in wf.inputs and c in ("s", "lst", "mix"):
            return "{{ _.x }}" if jinja else self.pick(["<% $.x %>", "<% [$.x, $.y] %>"])
        if c == "s":
            return "{{ _.s ~ '!' }}" if jinja else "<% $.s + '!' %>"
        if c == "lst":
            return "{{ _.lst | length }}" if jinja else self.pick(["<% $.lst.len() %>", "<% $.lst %>",
                                                                   "<% $.lst.select($ * 10) %>"])
        if c == "mix":
            return "n=<% $.n %> s=<% $.s %>" if not jinja else "n={{ _.n }}"
        if c == "env":
            k = self.pick(sorted(self.env))
            return "{{ env().%s }}" % k if jinja else "<%% env().%s %%>" % k
        if c == "task":
            d = self.pick(doms)
            if jinja:
                return self.pick(["{{ task('%s').result }}" % d, "{{ task('%s').state }}" % d])
            return self.pick(["<%% task(%s).result %%>" % d, "<%% task(%s).state %%>" % d,
                              "<%% task(%s).published %%>" % d])
        if c == "var":
            d, v = self.pick(pubs)
            return "{{ _.%s }}" % v if jinja else self.pick(["<%% $.%s %%>" % v, "<%% [$.%s, 1] %%>" % v])
        if c == "execution":
            return self.pick(["<% execution().input.n %>", "<% execution().name %>", "{{ execution().params }}",
                              "<% execution().input %>"])
        if c == "missing":
            return self.pick(["<% $.nope.deeper %>", "<% $.n.nothing %>", "{{ _.nope.deeper }}",
                              "<% task(nosuch).result %>", "<% $.lst[7] %>"])
        raise AssertionError(c)

    def condition(self, wf, task, dominators, own=True):
        jinja = self.chance(0.35)
        opts = []
        if wf.inputs:
            opts += ["n", "flag", "lst"]
        if own and wf.mode != "reverse":
            opts += ["result", "result"]
        pubs = [(d, v) for d in dominators if d not in wf.racy for v in wf.published[d]]
        if pubs:
            opts.append("var")
        opts += ["const"]
        c = self.pick(opts)
        if "n" not in wf.inputs and c in ("n", "flag", "lst"):
            return "{{ _.x == _.y }}" if jinja else self.pick(["<% $.x = $.y %>", "<% $.x != null %>"])
        if c == "n":
            k = self.rng.randint(0, 5)
            return "{{ _.n > %d }}" % k if jinja else "<%% $.n > %d %%>" % k
        if c == "flag":
            return self.pick(["{{ _.flag }}", "{{ not _.flag }}"]) if jinja else self.pick(["<% $.flag %>", "<% not $.flag %>"])
        if c == "lst":
            return "{{ _.lst | length > 1 }}" if jinja else "<% $.lst.len() > 1 %>"
        if c == "result":
            return self.pick(["{{ task().result }}", "{{ task().result == 'hello' }}"]) if jinja else \
                self.pick(["<% task().result %>", "<% task().result = 'hello' %>", "<% task().result != null %>"])
        if c == "var":
            d, v = self.pick(pubs)
            return "{{ _.%s is defined }}" % v if jinja else "<%% $.%s != null %%>" % v
        return self.pick(["<% true %>", "<% false %>", "{{ true }}", "{{ false }}"])

    # ---- structure ----

    def structure(self, wf):
        names = wf.names
        n = len(names)
        if wf.mode == "reverse":
            for i, t in enumerate(names[1:], 1):
                for p in self.rng.sample(names[:i], k=min(i, self.rng.randint(0, 2))):
                    wf.edges[p].append(("requires", t))
                    wf.parents[t].append(p)
            return
        if wf.mode == "par":
            for i, t in enumerate(names[:-1]):
                later = names[i + 1:]
                k = self.pick([0, 1, 1, 1, 2, 2]) if i < n - 1 else 0
                for c in self.rng.sample(later, k=min(k, len(later))):
                    kind = self.pick(["on-success"] * 4 + ["on-error", "on-complete", "on-complete"])
                    wf.edges[t].append((kind, c))
                    wf.parents[c].append(t)
            return
        # seq: at most one task runs at a time.
        for i, t in enumerate(names[:-1]):
            later = names[i + 1:i + 3]
            if self.chance(0.35):
                c = self.pick(later)
                wf.edges[t].append(("on-complete", c))
                wf.parents[c].append(t)
            else:
                for kind in ("on-success", "on-error"):
                    if self.chance(0.7 if kind == "on-success" else 0.45):
                        c = self.pick(later)
                        wf.edges[t].append((kind, c))
                        wf.parents[c].append(t)
        # Only the tasks reached from the first one: a task without a
        # parent would start at once, beside it.
        reach, todo = set(), [names[0]]
        while todo:
            t = todo.pop()
            if t not in reach:
                reach.add(t)
                todo += [c for _, c in wf.edges[t]]
        wf.names = [t for t in names if t in reach]
        wf.parents = {t: [p for p in wf.parents[t] if p in reach] for t in wf.names}
        wf.edges = {t: wf.edges[t] for t in wf.names}

    def dominators(self, wf):
        order = wf.names
        for t in order:
            ps = wf.parents[t]
            if not ps:
                wf.dom[t] = set()
            elif wf.mode == "reverse" or (wf.mode == "par" and wf.tasks.get(t, {}).get("join") == "all"):
                s = set()
                for p in ps:
                    s |= wf.dom[p] | {p}
                wf.dom[t] = s
            else:
                s = None
                for p in ps:
                    x = wf.dom[p] | {p}
                    s = x if s is None else s & x
                wf.dom[t] = s

    def ancestors(self, wf, t):
        out, todo = set(), list(wf.parents[t])
        while todo:
            p = todo.pop()
            if p not in out:
                out.add(p)
                todo += wf.parents[p]
        return out

    # ---- tasks ----

    def action_part(self, wf, t, doms, spec, allow_sub=True):
        r = self.rng
        kinds = ["echo"] * 5 + ["echo_inline"] * 2 + ["noop"] * 2 + ["fail"] * 2 + ["sleep", "adhoc", "adhoc",
                                                                                    "items", "items", "timeout"]
        if allow_sub:
            kinds += ["sub", "sub", "sub"]
        if self.flaky == (wf.name, t):
            kinds = ["flaky"]
        if "join" in spec and "join-policies" in AVOID:
            kinds = [x for x in kinds if x != "timeout"]
        if "join" in spec and "join-inline" in AVOID:
            kinds = [x for x in kinds if x not in ("echo_inline", "sleep", "fail", "adhoc", "items")]
        k = self.pick(kinds)
        if k == "echo":
            spec["action"] = "std.echo"
            spec["input"] = {"output": self.value_expr(wf, t, doms)}
            if self.chance(0.1):
                spec["input"]["delay"] = self.pick([0, 1])
        elif k == "echo_inline":
            v = self.value_expr(wf, t, doms, jinja=False)
            if isinstance(v, str) and v.startswith("<%"):
                spec["action"] = "std.echo output=%s" % v
            else:
                spec["action"] = "std.echo output=%s" % self.pick(["'hello'", "1", "hello"])
        elif k == "noop":
            spec["action"] = "std.noop"
        elif k == "fail":
            spec["action"] = self.pick(["std.fail", "std.fail error_data='boom'"])
        elif k == "sleep":
            spec["action"] = "std.sleep seconds=%d" % self.pick([0, 1])
        elif k == "timeout":
            spec["action"] = "std.async_noop"
            spec["timeout"] = 1
        elif k == "adhoc":
            a = self.pick(sorted(x for x in ADHOC if not (x == "a_bad" and "adhoc-base-input" in AVOID)
                                 and not (x == "a_fail" and "adhoc-repr" in AVOID)))
            self.used_adhoc.add(a)
            if a == "a_nested":
                self.used_adhoc.add("a_add")
            spec["action"] = a
            inp = {}
            for p in ADHOC[a].get("input", []):
                if isinstance(p, str):
                    inp[p] = self.value_expr(wf, t, doms) if p == "x" else self.pick([1, 2, "<% $.n %>"])
                elif self.chance(0.5):
                    name = list(p)[0]
                    inp[name] = self.pick([5, "<% $.n %>"]) if name != "tag" else "T"
            if inp:
                spec["input"] = inp
        elif k == "items":
            self.with_items(wf, t, doms, spec)
        elif k == "sub":
            self.sub_call(wf, t, doms, spec)
        elif k == "flaky":
            # Fails while env().fix is null (a rerun step passes one).
            spec["action"] = self.pick(["std.echo output=<% env().fix.toUpper() %>",
                                        "std.echo output={{ env().fix.upper() }}"])
        return k

    def with_items(self, wf, t, doms, spec):
        r = self.rng
        src = self.pick(["<% $.lst %>", "<% $.lst %>", "[1, 2, 3]", "<% [] %>", "<% range(0, 3) %>",
                         "{{ _.lst }}"])
        if self.chance(0.3):
            spec["with-items"] = ["i in %s" % src, "j in %s" % self.pick(["[\"a\", \"b\", \"c\"]", "<% ['x', 'y', 'z'] %>"])]
            out = "<% str($.i) + '-' + $.j %>"
        else:
            spec["with-items"] = "i in %s" % src
            out = self.pick(["<% $.i %>", "<% $.i * 10 %>", "{{ _.i }}", "<% $.i + $.n %>"])
        what = self.pick(["echo", "echo", "bad", "sub", "adhoc"])
        if what == "echo":
            spec["action"] = "std.echo"
            spec["input"] = {"output": out}
        elif what == "bad":
            # Some items fail: 10 / i for i = 0.
            spec["action"] = "std.echo"
            spec["input"] = {"output": "<% 10 / $.i %>" if "j in" not in str(spec["with-items"]) else out}
        elif what == "adhoc":
            self.used_adhoc.add("a_add")
            spec["action"] = "a_add"
            spec["input"] = {"a": "<% $.i %>"} if "j in" not in str(spec["with-items"]) else {"a": 1}
        else:
            name = self.make_sub(item=True)
            spec["workflow"] = name
            spec["input"] = {"x": "<% $.i %>"}
        if self.chance(0.4):
            spec["concurrency"] = self.pick([1, 2])

    def make_sub(self, item=False):
        name = "sub%d" % (len(self.subs) + 1)
        self.subs[name] = None  # taken: a sub-workflow calls only those made after it
        if item:
            # Fails for some items: the item is odd, or equal to `bad`.
            doc = {"input": ["x", {"bad": self.pick([1, 2, 3, -1])}],
                   "tasks": {"check": {"action": "std.echo output=<% $.x %>",
                                       "publish": {"got": "<% task().result %>"},
                                       "on-success": [{"fail": "<% $.x = $.bad %>"}, "done"]},
                             "done": {"action": "std.echo output=<% $.x * 2 %>", "publish": {"out": "<% task().result %>"}}},
                   "output": {"out": "<% $.out %>"}}
            if self.chance(0.5):
                doc["output-on-error"] = {"why": "<% $.got %>"}
            self.subs[name] = doc
            return name
        # A small random sequential sub-workflow.
        sub = Wf(name, "seq", self.rng.randint(1, 3))
        sub.inputs = {"x": None, "y": self.pick([2, "d"])}
        doc = self.build(sub, allow_sub=False)
        self.subs[name] = doc
        return name

    def sub_call(self, wf, t, doms, spec):
        name = self.make_sub()
        spec["workflow"] = name
        inp = {"x": self.value_expr(wf, t, doms)}
        if self.chance(0.4):
            inp["y"] = self.pick([7, "<% $.n %>"])
        if self.chance(0.1):
            inp["unknown_input"] = 1  # an input the sub-workflow does not declare
        spec["input"] = inp

    def policies(self, wf, t, spec, kind):
        r = self.rng
        join = "join" in spec and "join-policies" in AVOID
        if self.chance(0.25):
            retry = {"count": self.pick([1, 2, 3]), "delay": self.pick([0, 0, 1])}
            if self.chance(0.3):
                retry["break-on"] = self.pick(["<% $.n > 2 %>", "{{ _.flag }}", "<% false %>", "<% true %>"])
            if self.chance(0.3):
                retry["continue-on"] = self.pick(["<% task().result = 'hello' %>", "<% $.n < 3 %>", "{{ false }}",
                                                  "<% task().result != null %>"])
            spec["retry"] = retry
        if self.chance(0.12) and not join:
            spec["wait-before"] = self.pick([0, 1])
        if self.chance(0.12):
            spec["wait-after"] = self.pick([0, 1])
        if self.chance(0.1):
            spec["keep-result"] = self.pick([False] if "keep-result-expr" in AVOID else [False, "<% $.flag %>"])
        if self.chance(0.08):
            spec["safe-rerun"] = True
        if "timeout" not in spec and self.chance(0.06) and kind in ("sleep",):
            spec["timeout"] = 5

    def publish(self, wf, t, doms, spec):
        if self.chance(0.6):
            v = "v_%s" % t
            spec["publish"] = {v: self.pick(["<% task().result %>", "{{ task().result }}", "<% task().state %>"])}
            if self.chance(0.3):
                spec["publish"]["w_%s" % t] = self.value_expr(wf, t, doms)
            wf.published[t] += list(spec["publish"])
        if self.chance(0.3):
            e = "e_%s" % t
            spec["publish-on-error"] = {e: self.pick(["<% task().result %>", "<% task().state_info %>",
                                                      "{{ task().state }}", "<% $.n %>"])}
            wf.published[t].append(e)

    def transitions(self, wf, t, doms, spec):
        seq = wf.mode == "seq"
        by_kind = {}
        for kind, c in wf.edges[t]:
            by_kind.setdefault(kind, []).append(c)
        kinds = ["on-success", "on-error", "on-complete"]
        for kind in kinds:
            entries = []
            for c in by_kind.get(kind, []):
                if self.chance(0.35):
                    entries.append({c: self.condition(wf, t, doms)})
                else:
                    entries.append(c)
            if seq and self.chance(0.3):
                cmd = self.pick(["fail", "succeed", "pause", "noop", "fail msg='stop here'",
                                 "succeed msg='done early'", "fail msg=<% $.n %>"])
                cmd_entry = {cmd: self.condition(wf, t, doms)} if self.chance(0.6) else cmd
                if self.chance(0.5):
                    entries.insert(0, cmd_entry)
                else:
                    entries.append(cmd_entry)
            if not entries and not (self.chance(0.08)):
                continue
            # Advanced form: publish (branch/global/atomic) and next.
            if self.chance(0.25) and t not in wf.racy:
                pub = {}
                for scope in self.rng.sample(["branch", "global", "atomic"], k=self.rng.randint(1, 2)):
                    var = "%s_%s_%s" % (scope[0], kind.split("-")[1][:3], t)
                    pub[scope] = {var: self.pick(["<% task().result %>", "<% task().state %>", "{{ _.n }}",
                                                  "<% $.n + 1 %>"])}
                    wf.published[t].append(var)
                block = {"publish": pub}
                if entries:
                    block["next"] = entries
                spec[kind] = block
            elif entries:
                spec[kind] = entries

    def build(self, wf, allow_sub=True):
        """The workflow's definition (a dict)."""
        self.structure(wf)
        if self.flaky == (wf.name, None):
            self.flaky = (wf.name, self.pick(wf.names))
        # Joins: a task reached from two tasks (parallel mode) must join.
        if wf.mode == "par":
            for t in wf.names:
                ps = wf.parents[t]
                if len(ps) >= 2:
                    j = self.pick(["all", "all", "all", "one", len(ps), 1]) if len(ps) > 1 else "all"
                    wf.tasks[t] = {"join": j}
        self.dominators(wf)
        if wf.mode == "par":
            for t in wf.names:
                j = wf.tasks.get(t, {}).get("join")
                if j is not None and j != "all" and j != len(wf.parents[t]):
                    wf.racy |= self.ancestors(wf, t) - wf.dom[t]
        for t in wf.names:
            doms = wf.dom[t]
            spec = dict(wf.tasks.get(t, {}))
            if wf.mode == "seq" and self.chance(0.1) and wf.parents[t]:
                spec["join"] = self.pick(["all", 1])
            if wf.mode == "reverse" and wf.parents[t]:
                spec["requires"] = list(wf.parents[t])
            if t in wf.racy:
                # Which branch reaches a partial join first is a race: keep
                # them quiet and quick.
                spec["action"] = self.pick(["std.noop", "std.fail"] if "join" in spec else
                                           ["std.noop", "std.echo output=1", "std.fail"])
                kind = "noop"
            else:
                kind = self.action_part(wf, t, doms, spec, allow_sub=allow_sub)
                self.policies(wf, t, spec, kind)
                self.publish(wf, t, doms, spec)
            if wf.mode == "seq" and self.chance(0.08) and t != wf.names[0] and not (
                    "join" in spec and "join-policies" in AVOID):
                spec["pause-before"] = True
            if wf.mode != "reverse":
                self.transitions(wf, t, doms, spec)
            wf.tasks[t] = spec
        doc = {}
        if wf.mode == "reverse":
            doc["type"] = "reverse"
        if wf.inputs:
            doc["input"] = [k if v is None else {k: v} for k, v in wf.inputs.items()]
        # Output: variables of tasks that are not racy (unique names).
        pubs = [v for t in wf.names if t not in wf.racy for v in wf.published[t]]
        out = {}
        for v in self.rng.sample(pubs, k=min(len(pubs), self.rng.randint(0, 3))):
            out["o_" + v] = self.pick(["<%% $.%s %%>" % v, "{{ _.%s }}" % v])
        if self.chance(0.3):
            out["o_n"] = self.pick(["<% $.n %>", "<% $.x %>", "{{ _.y }}"]) if wf.name.startswith("sub") else "<% $.n %>"
        if self.chance(0.15) and wf.mode != "reverse":
            out["o_tasks"] = "<% tasks().select($.name).orderBy($) %>" if wf.mode == "seq" else "<% tasks().len() >= 0 %>"
        if wf.name.startswith("sub") and not out:
            out["r"] = "<% $.x %>"
        if out:
            doc["output"] = out
        if self.chance(0.25):
            doc["output-on-error"] = {"oe": self.pick(["<% $.n %>", "<% execution().state %>", "failed",
                                                       "{{ _.x }}" if wf.name.startswith("sub") else "{{ _.s }}"])}
        if self.chance(0.12) and wf.mode != "reverse":
            # Engine commands only: a default transition to a task would
            # start a second branch.
            doc["task-defaults"] = self.pick([
                {"retry": {"count": 1, "delay": 0}}, {"wait-before": 0},
                {"on-error": [self.pick(["succeed", "fail msg='by default'", "noop"])]},
                {"on-complete": [{"fail": "<% $.n > 3 %>"}]},
                {"on-success": ["noop"], "retry": {"count": 1, "delay": 0, "break-on": "<% $.flag %>"}}])
            if wf.name.startswith("sub"):
                doc["task-defaults"].pop("on-complete", None)
            if wf.mode == "par":
                for k in ("on-error", "on-complete", "on-success"):
                    doc["task-defaults"].pop(k, None)
            if not doc["task-defaults"]:
                del doc["task-defaults"]
        doc["tasks"] = wf.tasks
        return doc

    # ---- the case ----

    def case(self):
        r = self.rng
        area = self.pick(["direct", "direct", "seq", "seq", "reverse", "rerun", "lifecycle", "workbook"])
        mode = {"direct": "par", "seq": "seq", "reverse": "reverse", "rerun": "seq", "lifecycle": "seq",
                "workbook": self.pick(["par", "seq"])}[area]
        wf = Wf("wf", mode, self.rng.randint(2, 6 if mode != "reverse" else 5))
        wf.inputs = {"n": None, "s": "abc", "lst": [1, 2], "flag": True}
        inp = self.input_values()
        for k in list(inp):
            if k != "n" and self.chance(0.4):
                del inp[k]  # the default
        if self.chance(0.5):
            self.env = {"k": self.pick(["ev", 3]), "fix": None}
        steps = None
        if area == "rerun":
            self.env = {"k": "ev", "fix": None}
            self.flaky = ("wf", None)  # a task reached, chosen by build()
        doc = self.build(wf)
        wfs = {"wf": doc}
        wfs.update(self.subs)
        params = {}
        if self.env is not None:
            params["env"] = dict(self.env)
        if mode == "reverse":
            params["task_name"] = wf.names[-1] if self.chance(0.8) else self.pick(wf.names)
        if area == "rerun":
            t = self.flaky[1]
            steps = [{"rerun": {"task": t, "reset": True if "rerun-no-reset" in AVOID else self.pick([True, True, False]), "env": {"fix": "ok"}}}]
        elif area == "lifecycle":
            # Pause the workflow (a pause command or pause-before), then
            # resume it, cancel it or stop it.
            t = self.pick(wf.names[1:] or wf.names)
            if self.chance(0.5) and not ("join" in doc["tasks"][t] and "join-policies" in AVOID):
                doc["tasks"][t]["pause-before"] = True
            else:
                first = wf.names[0]
                spec = doc["tasks"][first]
                k = self.pick(["on-success", "on-complete", "on-error"])
                cur = spec.get(k)
                if isinstance(cur, dict):
                    cur.setdefault("next", []).insert(0, "pause")
                else:
                    spec[k] = ["pause"] + (cur or [])
            last = self.pick([{"resume": True}, {"resume": True}, {"resume": {"env": {"k": "new"}}},
                              {"cancel": "stopped"}, {"fail": "failed by hand"}, {"succeed": "done by hand"}])
            steps = [last]
            if "resume" in last and self.chance(0.3):
                steps.append({"resume": True})
        case = {"comment": "Random case %s/%s (scripts/diff_random_workflows.py): %s" % (self.seed, self.index, area),
                "source": "mistral", "workflow": "wf", "input": inp, "timeout": 12}
        if params:
            case["params"] = params
        if steps:
            case["steps"] = steps
        if self.chance(0.15):
            case["count_actions"] = True
        actions = {a: copy.deepcopy(ADHOC[a]) for a in sorted(self.used_adhoc)}
        if area == "workbook":
            wb = {"version": "2.0", "name": "wb"}
            if actions:
                wb["actions"] = actions
            wb["workflows"] = wfs
            case["workbook"] = ytext(wb)
            case["workflow"] = "wb.wf"
        else:
            if actions:
                case["actions"] = ytext(dict({"version": "2.0"}, **actions))
            case["definition"] = ytext(dict({"version": "2.0"}, **wfs))
        # A workflow that pauses, or ends by a command while tasks run, is
        # read soon after (gen_engine_cases.py waits 0.3 s): a join its last
        # transition satisfied is still WAITING in Mistral then, though its
        # refresh job starts it while paused (joins/join_satisfied_then_pause),
        # and a with-items task goes on with its items after a `fail`
        # (with_items/with_items_goes_on_after_workflow_failed). Give them time.
        text = case.get("definition", "") + case.get("workbook", "")
        if re.search(r"\b(pause|fail|succeed)\b", text):
            case["settle"] = 2
        return area, case


def generate(seed, count, out=OUT):
    import workflow_case_files as cf
    paths = []
    for i in range(count):
        area, case = Gen(seed, i).case()
        name = "r%s_%03d_%s" % (seed, i, area)
        path = os.path.join(out, area, name + ".yaml")
        cf.dump(path, case)
        paths.append(path)
    return paths


# ------------------------------------------------------------ running ----

def run_mistral(names, root=OUT, log=None):
    """gen_engine_cases.py on the cases; returns the names Mistral refused."""
    env = dict(os.environ, BORA_WORKFLOW_CASES_DIR=root)
    p = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "gen_engine_cases.py")] + list(names),
                       env=env, capture_output=True, text=True)
    if log:
        with open(log, "a") as f:
            f.write(p.stderr)
    refused = re.findall(r"^FAILED (\S+) (.*)$", p.stderr, re.M)
    return refused


def run_bora(names=(), root=OUT):
    p = subprocess.run([RUNNER, "--dir", root] + list(names), capture_output=True, text=True)
    diffs, cur = {}, None
    for line in p.stdout.split("\n"):
        m = re.match(r"^FAIL (\S+)", line)
        if m:
            cur = os.path.splitext(os.path.basename(m.group(1)))[0]
            diffs[cur] = ""
        elif cur and line.startswith("  "):
            diffs[cur] += line + "\n"
        else:
            cur = None
    summary = [l for l in p.stdout.split("\n") if " cases, " in l]
    return diffs, (summary[-1] if summary else p.stdout[-500:] + p.stderr[-500:])


def find_path(name, root=OUT):
    for area in os.listdir(root):
        p = os.path.join(root, area, name + ".yaml")
        if os.path.exists(p):
            return p
    return None


def recheck(names, root=OUT):
    """Runs the cases in Mistral again (in a temporary folder) and says which
    answers changed: Mistral's own nondeterminism."""
    import workflow_case_files as cf
    tmp = tempfile.mkdtemp(prefix="recheck")
    for n in names:
        p = find_path(n, root)
        os.makedirs(os.path.join(tmp, "x"), exist_ok=True)
        shutil.copy(p, os.path.join(tmp, "x", n + ".yaml"))
    run_mistral(names, tmp)
    changed = []
    for n in names:
        a = cf.load(find_path(n, root)).get("expect")
        b = cf.load(os.path.join(tmp, "x", n + ".yaml")).get("expect")
        if yaml.dump(a, Dumper=cf._Dumper) != yaml.dump(b, Dumper=cf._Dumper):
            changed.append(n)
    shutil.rmtree(tmp)
    return changed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["gen", "mistral", "bora", "recheck", "run"])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--dir", default=OUT)
    ap.add_argument("--known", action="store_true", help="also generate the differences already found (KNOWN)")
    a = ap.parse_args()
    if a.known:
        AVOID.clear()
    if a.cmd == "gen":
        for p in generate(a.seed, a.count, a.dir):
            print(p)
    elif a.cmd == "mistral":
        for name, why in run_mistral(a.names, a.dir):
            print("refused", name, why)
    elif a.cmd == "bora":
        diffs, summary = run_bora(a.names, a.dir)
        for n, d in sorted(diffs.items()):
            print("DIFF", n)
            print(d, end="")
        print(summary)
    elif a.cmd == "recheck":
        print("changed in Mistral:", recheck(a.names, a.dir))
    elif a.cmd == "run":
        total = 0
        for seed in a.seeds.split(","):
            paths = generate(seed, a.count, a.dir)
            names = [os.path.splitext(os.path.basename(p))[0] for p in paths]
            refused = run_mistral(names, a.dir, log=os.path.join(a.dir, "mistral.log"))
            for name, why in refused:
                os.remove(find_path(name, a.dir))
                print("refused by Mistral:", name, why[:200])
            total += len(names) - len(refused)
        diffs, summary = run_bora((), a.dir)
        print(summary)
        changed = recheck(sorted(diffs), a.dir) if diffs else []
        for n in sorted(diffs):
            print("DIFF", n, "(Mistral changed its answer on a second run)" if n in changed else "")
            print(diffs[n], end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
