#!/usr/bin/python3
"""Differential campaign over COMPOSED expressions: a seeded random
generator writes nested YAQL and Jinja2 expressions of the kind workflow
authors write (chains of yaql methods with lambdas, `$` rebound inside
them and by `->`/`let`, indexers with defaults, string building, mixed
int/float/bigint arithmetic, set algebra, regexes, switch, fixed-date
datetime arithmetic; Jinja filter chains, tests, if/for/set/macro/namespace,
loop variables, inline if-else, slicing, `%` and format, whitespace
control, Mistral's functions) over a context shaped like task results,
evaluates each with the real Mistral and with `bora eval --batch`, and
prints where the two answers differ, grouped by class.

diff_expressions.py walks one function, filter or operator at a time over
edge values; this one reaches what only composition shows (a value handed
from one call to the next, a lambda's `$`, a loop's scope). Evaluation and
comparison are diff_expressions.py's (imported, not copied); an error on
both sides is the same answer, as there.

Run with Debian's /usr/bin/python3:
  scripts/diff_random_expressions.py [--bora build/src/cli/bora] [--seed 1]
      [--count 20000] [--only yaql|jinja] [--depth 3] [--show 3]
      [--json diffs.jsonl] [--print]
"""
import argparse
import collections
import json
import os
import random
import re
import sys

import diff_expressions as dx

sys.stdout.reconfigure(errors="backslashreplace")

# What a task's result and a workflow's input look like: nested lists of
# dicts, unicode, big ints, nulls, floats, strings holding numbers/dates.
CTX = {
    "vms": [
        {"name": "web-1", "id": "a1", "status": "ACTIVE", "cpu": 2, "mem": 2048.5, "ip": "10.0.0.5",
         "tags": ["web", "prod"], "meta": {"zone": "nova", "owner": "ann"}, "disk": None},
        {"name": "db-ü", "id": "b2", "status": "ERROR", "cpu": 8, "mem": 16384, "ip": "10.0.0.7",
         "tags": ["db"], "meta": {"zone": "az2", "owner": "bob"}, "disk": 100},
        {"name": "Cache-3", "id": "c3", "status": "ACTIVE", "cpu": 1, "mem": 512.25, "ip": None,
         "tags": [], "meta": {"zone": "nova", "owner": "Åsa"}, "disk": 20},
        {"name": "web-2", "id": "d4", "status": "BUILD", "cpu": 4, "mem": 4096, "ip": "10.0.0.9",
         "tags": ["web", "canary"], "meta": {"zone": "az2", "owner": "ann"}, "disk": 0},
    ],
    "nums": [5, 3, 8, 1, 9, 2, 8],
    "floats": [1.5, 2.25, -0.5, 10.0],
    "words": ["pear", "Apple", "fig", "straße", "Émile", ""],
    "count": 3, "ratio": 0.75, "big": 12345678901234567890, "neg": -7, "zero": 0,
    "name": "Jörg Müller", "msg": "Hello, World", "csv": "a,b,,c", "path": "/var/log/app.log",
    "num_s": "42", "float_s": "2.5", "date_s": "2024-02-29T12:30:00", "empty": [], "nothing": None,
    "flag": True, "off": False, "edict": {},
    "result": {"code": 200, "body": {"items": [1, 2, 3], "next": None, "total": 3},
               "headers": {"Content-Type": "application/json", "X-Count": "3"}},
    "matrix": [[1, 2], [3, 4], [], [5]],
    "env": {"region": "eu-west", "retries": 3, "debug": False},
}

R = random.Random()


def pick(*xs):
    return R.choice(xs)


def chance(p):
    return R.random() < p


# ------------------------------------------------------------------ YAQL
# A scope says what `$` is where the expression is written: the whole
# context, one vm (inside a lambda over $.vms), a number, a string, a list.
Y_INT = ["0", "1", "2", "3", "-1", "10", "100", "7", "pow(2, 64)", "12345678901234567890", "-3"]
Y_FLOAT = ["0.5", "2.5", "-1.5", "1.0", "3.14", "1e3", "0.1"]
Y_STR = ["'a'", "''", "'web'", "'ACTIVE'", "'é'", "'ß'", "'x,y'", "' pad '", "'Straße'", "'10'", "'-'", "', '",
         "'{0}-{1}'", "'ab'", "\"dq\"", "'日本'"]
VM_KEYS_NUM = ["cpu", "mem", "disk"]
VM_KEYS_STR = ["name", "id", "status", "ip"]


class Y:
    def __init__(self, depth):
        self.max = depth

    # ---- numbers
    def num(self, d, sc):
        if d <= 0 or chance(0.25):
            return self.num_leaf(sc)
        c = R.randrange(20)
        if c < 5:
            return "%s %s %s" % (self.num(d - 1, sc), pick("+", "-", "*", "/", "mod", "+", "*"),
                                 self.num(d - 1, sc))
        if c == 5:
            return "(%s)" % self.num(d - 1, sc)
        if c == 6:
            return "%s.len()" % self.lst(d - 1, sc) if chance(0.5) else "len(%s)" % self.str(d - 1, sc)
        if c == 7:
            return "%s.%s()" % (self.numlist(d - 1, sc), pick("sum", "max", "min", "count", "first", "last",
                                                               "len"))
        if c == 8:
            return "%s(%s)" % (pick("abs", "round", "int", "float", "sign"), self.num(d - 1, sc))
        if c == 9:
            return "int(%s)" % pick("$.num_s", "'7'", "' 12 '", "'1_000'", "$.count", "'-3'", "2.7", "-2.7")
        if c == 10:
            return "%s.%s(%s)" % (self.str(d - 1, sc), pick("indexOf", "lastIndexOf"), pick(*Y_STR))
        if c == 11:
            return "%s.%s(%s)" % (self.numlist(d - 1, sc), pick("indexOf", "lastIndexOf"), self.num_leaf(sc))
        if c == 12:
            return "%s[%s]" % (self.numlist(d - 1, sc), pick("0", "-1", "1", "10, 0", "2, -1"))
        if c == 13:
            return "%s.aggregate($1 + $2, %s)" % (self.numlist(d - 1, sc), pick("0", "0.5", "100"))
        if c == 14:
            return "switch(%s > 3 => %s, %s => %s, true => %s)" % (
                self.num(d - 1, sc), self.num(d - 1, sc), self.bool(d - 1, sc), self.num(d - 1, sc),
                self.num(d - 1, sc))
        if c == 15:
            return "%s.%s" % (self.timespan(d - 1), pick("days", "hours", "minutes", "seconds", "microseconds",
                                                         "totalSeconds", "totalHours", "totalDays"))
        if c == 16:
            return "%s.%s" % (self.dt(d - 1), pick("year", "month", "day", "hour", "minute", "weekday",
                                                   "dayOfYear", "second", "microsecond"))
        if c == 17:
            return "%s.where(%s).count()" % (self.vmlist(d - 1, sc), self.bool(d - 1, "vm"))
        if c == 18:
            return "let(x => %s, y => %s) -> $x %s $y" % (self.num(d - 1, sc), self.num(d - 1, sc),
                                                         pick("+", "*", "-", "mod", "/"))
        if c == 19 and chance(0.5):
            return pick("%s(%s, %s)" % (pick("bitwiseAnd", "bitwiseOr", "bitwiseXor", "shiftBitsLeft",
                                             "shiftBitsRight"), pick("12", "5", "-3", "$.count"), pick("1", "3", "10")),
                        "bitwiseNot(%s)" % pick("0", "5", "-1"),
                        "%s.reduce($1 %s $2%s)" % (self.numlist(d - 1, sc), pick("+", "*", "-"), pick("", ", 1")),
                        "json_parse(%s).len()" % pick("'[1, 2]'", "'{\"a\": 1}'", "json_dump(%s)" % self.lst(d - 1, sc)),
                        "%s.lastIndexWhere(%s)" % (self.numlist(d - 1, sc), self.bool(d - 1, "num")),
                        "%s.single()" % self.numlist(d - 1, sc),
                        "%s.timestamp" % self.dt(d - 1))
        return "%s.indexWhere(%s)" % (self.numlist(d - 1, sc), self.bool(d - 1, "num"))

    def num_leaf(self, sc):
        opts = [pick(*Y_INT), pick(*Y_FLOAT), pick("$.count", "$.ratio", "$.big", "$.neg", "$.zero",
                                                    "$.result.code", "$.env.retries", "$.result.body.total")]
        if sc == "vm":
            opts += ["$.cpu", "$.mem", "$.cpu", "$.disk"]
        elif sc == "num":
            opts += ["$", "$", "$"]
        elif sc == "pair":
            opts += ["$[0]", "$[1]"]
        if sc != "root":
            opts = [o for o in opts if not o.startswith("$.") or sc == "vm" and o in ("$.cpu", "$.mem", "$.disk")]
        return pick(*opts)

    # ---- strings
    def str(self, d, sc):
        if d <= 0 or chance(0.25):
            return self.str_leaf(sc)
        c = R.randrange(21)
        if c < 3:
            return "%s + %s" % (self.str(d - 1, sc), self.str(d - 1, sc))
        if c == 3:
            return "str(%s)" % self.any(d - 1, sc)
        if c == 4:
            return "%s.%s()" % (self.str(d - 1, sc), pick("toUpper", "toLower", "trim", "trimLeft", "trimRight",
                                                          "norm", "reverse"))
        if c == 5:
            return "'{0}: {1}'.format(%s, %s)" % (self.any(d - 1, sc), self.any(d - 1, sc))
        if c == 6:
            return "%s.join(%s)" % (self.strlist(d - 1, sc), pick("', '", "'-'", "''"))
        if c == 7:
            return "%s.substring(%s)" % (self.str(d - 1, sc), pick("1", "1, 2", "-2", "0, -1", "2, 10"))
        if c == 8:
            return "%s.replace(%s, %s)" % (self.str(d - 1, sc), pick("'a'", "'e'", "','", "'-'"),
                                           pick("'X'", "''", "'ü'"))
        if c == 9:
            return "%s.split(%s)[%s]" % (self.str(d - 1, sc), pick("','", "'-'", "' '", "'/'"),
                                         pick("0", "-1", "1", "5, 'none'"))
        if c == 10:
            return "regex(%s).replace(%s, %s)" % (pick("'[aeiou]'", "'\\\\d+'", "'(\\\\w)(\\\\w*)'", "'^w'"),
                                                 self.str(d - 1, sc), pick("'#'", "'\\\\2\\\\1'", "''"))
        if c == 11:
            return "%s.regexReplace(%s, %s)" % (self.str(d - 1, sc), pick("'\\\\s+'", "'[0-9]'", "'^.'"),
                                               pick("'_'", "''"))
        if c == 12:
            return "json_dump(%s)" % self.any(d - 1, sc) if chance(0.7) else "yaml_dump(%s)" % self.any(d - 1, sc)
        if c == 13:
            return "%s.format(%s)" % (self.dt(d - 1), pick("'%Y-%m-%d'", "'%H:%M'", "'%j %A'", "'%s'"))
        if c == 14:
            return "%s.select($.%s).first(%s)" % (self.vmlist(d - 1, sc), pick(*VM_KEYS_STR), pick("''", "null"))
        if c == 15:
            return "%s.concat(%s)" % (self.str(d - 1, sc), self.str(d - 1, sc))
        if c == 16:
            return "coalesce(%s, %s)" % (pick("$.nothing", "null", self.str(d - 1, sc)), self.str(d - 1, sc))
        if c == 17:
            return "%s.toCharArray()[%s]" % (self.str(d - 1, sc), pick("0", "-1", "1"))
        if c == 18:
            return "regex(%s).search(%s)" % (pick("'\\\\d+'", "'[A-Z]\\\\w*'", "'(?i)web'"), self.str(d - 1, sc))
        if c == 19:
            return "%s -> $.%s" % (self.vm(d - 1, sc), pick(*VM_KEYS_STR))
        if chance(0.4):
            s = self.str(d - 1, sc)
            return pick("hex(%s)" % self.num(d - 1, sc), "escapeRegex(%s)" % s,
                        "%s.rightSplit(%s, 1)[0]" % (s, pick("','", "' '", "'-'")),
                        "regex(%s).replaceBy(%s, $.value.toUpper())" % (pick("'[aeiou]'", "'\\w+'"), s),
                        "regex('(\\w)(\\w)').searchAll(%s).select($.value).join('|')" % s,
                        "json_pp(%s)" % self.any(d - 1, sc), "str(yaml_parse(%s))" % pick(
                            "'a: [1, 2]'", "'- x'", "'k: [a, {b: c}]'", "'1e3'"),
                        "%s.format('%%Y %%H:%%M %%z')" % pick("%s.date" % self.dt(d - 1), "%s.utc" % self.dt(d - 1)),
                        "str(%s.%s)" % (self.dt(d - 1), pick("date", "time", "offset", "utc")),
                        "examine(%s)" % pick("'x'", "1", "[]") if False else "%s.toCharArray().join('.')" % s,
                        "yaml_dump(%s)" % self.str(d - 1, sc),
                        "str(%s.rightSplit(%s))" % (s, pick("", "' ', 1", "','")))
        return "selectCase(%s, %s).switchCase(%s, %s, %s)" % (
            self.bool(d - 1, sc), self.bool(d - 1, sc), self.str_leaf(sc), self.str_leaf(sc), self.str_leaf(sc))

    def str_leaf(self, sc):
        opts = [pick(*Y_STR), pick("$.name", "$.msg", "$.csv", "$.path", "$.num_s", "$.date_s",
                                    "$.result.headers.get('Content-Type')", "$.vms[0].name", "$.env.region")]
        if sc == "vm":
            opts = [pick(*Y_STR), "$.%s" % pick(*VM_KEYS_STR), "$.meta.zone", "$.meta.owner"]
        elif sc == "str":
            opts = [pick(*Y_STR), "$", "$"]
        elif sc in ("num", "pair"):
            opts = [pick(*Y_STR)]
        return pick(*opts)

    # ---- booleans
    def bool(self, d, sc):
        if d <= 0 or chance(0.2):
            return self.cmp(d, sc)
        c = R.randrange(12)
        if c < 2:
            return "%s %s %s" % (self.bool(d - 1, sc), pick("and", "or"), self.bool(d - 1, sc))
        if c == 2:
            return "not %s" % self.bool(d - 1, sc) if chance(0.5) else "not (%s)" % self.bool(d - 1, sc)
        if c == 3:
            return "%s in %s" % (self.scalar(d - 1, sc), pick(self.lst(d - 1, sc), "$.words", "$.nums", "$.env"))
        if c == 4:
            return "%s.%s(%s)" % (self.lst(d - 1, sc), pick("any", "all"),
                                  self.bool(d - 1, pick("vm", "num")) if chance(0.3) else "")
        if c == 5:
            return "%s =~ %s" % (self.str(d - 1, sc), pick("'^w'", "'\\\\d'", "'ü'", "'(?i)active'", "'^$'"))
        if c == 6:
            return "%s.%s(%s)" % (self.str(d - 1, sc), pick("startsWith", "endsWith", "contains"), pick(*Y_STR))
        if c == 7:
            return "%s.%s(%s)" % (pick("$.vms", "$.nums", "$.words", "$.result", "$.env"),
                                  pick("contains", "containsKey", "containsValue"), self.scalar(d - 1, sc))
        if c == 8:
            return "%s(%s)" % (pick("isInteger", "isString", "isList", "isDict", "isNumber", "isBoolean",
                                    "isEmpty" if False else "isSet"), self.any(d - 1, sc))
        if c == 9:
            return "%s.isEmpty()" % self.lst(d - 1, sc)
        if c == 10:
            return "%s < %s" % (self.dt(d - 1), self.dt(d - 1))
        if chance(0.5):
            return pick("isIterable(%s)" % self.lst(d - 1, sc), "isDatetime(%s)" % pick(self.dt(d - 1), "$.date_s"),
                        "isTimespan(%s)" % self.timespan(d - 1), "isRegex(regex('a'))",
                        "regex(%s).matches(%s)" % (pick("'^w'", "'\\d+'", "'(?i)WEB'"), self.str(d - 1, sc)),
                        "%s.matches(%s)" % (self.str(d - 1, sc), pick("'^w'", "'\\d+'")),
                        "isEmpty(%s)" % self.str(d - 1, sc) if False else
                        "%s.isEmpty()" % self.lst_more(d - 1, sc))
        return self.cmp(d, sc)

    def cmp(self, d, sc):
        op = pick("=", "!=", "<", ">", "<=", ">=")
        k = R.randrange(5)
        if k == 0:
            return "%s %s %s" % (self.num(d - 1, sc), op, self.num(d - 1, sc))
        if k == 1:
            return "%s %s %s" % (self.str(d - 1, sc), op, self.str(d - 1, sc))
        if k == 2:
            return "%s %s %s" % (self.any(d - 1, sc), op, self.any(d - 1, sc))
        if k == 3:
            return "%s %s null" % (self.any(d - 1, sc), pick("=", "!="))
        return "%s %s %s" % (self.lst(d - 1, sc), pick("=", "!="), self.lst(d - 1, sc))

    # ---- lists
    def numlist(self, d, sc):
        if d <= 0 or chance(0.3):
            return pick("$.nums", "$.floats", "[1, 2, 3]", "[]", "[2.5, 1, pow(2, 70)]", "range(5)",
                        "$.result.body.items", "[3, 3, 1]")
        c = R.randrange(10)
        if c == 0:
            return "%s.select(%s)" % (self.numlist(d - 1, sc), self.num(d - 1, "num"))
        if c == 1:
            return "%s.where(%s)" % (self.numlist(d - 1, sc), self.bool(d - 1, "num"))
        if c == 2:
            return "%s.%s(%s)" % (self.numlist(d - 1, sc), pick("orderBy", "orderByDescending"),
                                  pick("$", "-$", "$ mod 3", "str($)"))
        if c == 3:
            return "%s.select($.%s)" % (self.vmlist(d - 1, sc), pick(*VM_KEYS_NUM))
        if c == 4:
            return "%s.%s(%s)" % (self.numlist(d - 1, sc), pick("skip", "take", "limit"), pick("1", "2", "0",
                                                                                             "10"))
        if c == 5:
            return "%s.%s()" % (self.numlist(d - 1, sc), pick("distinct", "reverse", "toList", "flatten"))
        if c == 6:
            return "range(%s, %s)" % (pick("0", "1", "-2"), pick("3", "5", "$.count"))
        if c == 7:
            return "%s + %s" % (self.numlist(d - 1, sc), self.numlist(d - 1, sc))
        if c == 8:
            return "%s.accumulate($1 + $2)" % self.numlist(d - 1, sc)
        return "$.matrix.selectMany($)" if chance(0.5) else "$.matrix.where($.len() > 0).select($.sum())"

    def strlist(self, d, sc):
        if d <= 0 or chance(0.3):
            return pick("$.words", "['a', 'b']", "[]", "$.vms.name", "$.result.headers.keys()",
                        "$.csv.split(',')", "$.vms.selectMany($.tags)")
        c = R.randrange(7)
        if c == 0:
            return "%s.select(%s)" % (self.strlist(d - 1, sc), self.str(d - 1, "str"))
        if c == 1:
            return "%s.where(%s)" % (self.strlist(d - 1, sc), self.bool(d - 1, "str"))
        if c == 2:
            return "%s.orderBy(%s)" % (self.strlist(d - 1, sc), pick("$", "$.toLower()", "$.len()", "-$.len()"))
        if c == 3:
            return "%s.select($.%s)" % (self.vmlist(d - 1, sc), pick(*VM_KEYS_STR))
        if c == 4:
            return "%s.split(%s)" % (self.str(d - 1, sc), pick("','", "' '", "", "'/'"))
        if c == 5:
            return "%s.select(str($))" % self.numlist(d - 1, sc)
        return "%s.distinct()" % self.strlist(d - 1, sc)

    def vmlist(self, d, sc):
        if d <= 0 or chance(0.4) or sc != "root":
            return pick("$.vms", "$.vms", "[]") if sc == "root" else "[{cpu => 1, name => 'x'}]"
        c = R.randrange(5)
        if c == 0:
            return "%s.where(%s)" % (self.vmlist(d - 1, sc), self.bool(d - 1, "vm"))
        if c == 1:
            return "%s.%s($.%s)" % (self.vmlist(d - 1, sc), pick("orderBy", "orderByDescending"),
                                    pick(*(VM_KEYS_NUM + ["name", "status"])))
        if c == 2:
            return "%s.orderBy($.status).thenByDescending($.cpu)" % self.vmlist(d - 1, sc)
        if c == 3:
            return "%s.%s(%s)" % (self.vmlist(d - 1, sc), pick("skip", "take"), pick("1", "2"))
        return "%s.distinct($.meta.zone)" % self.vmlist(d - 1, sc)

    def vm(self, d, sc):
        if sc != "root":
            return "{cpu => 2, name => 'n', tags => ['a'], meta => {zone => 'z'}}"
        return pick("$.vms[0]", "$.vms[1]", "$.vms.first()", "$.vms.last()",
                    "%s.first({name => 'none', cpu => 0})" % self.vmlist(d, sc))

    def lst(self, d, sc):
        c = R.randrange(19)
        if c >= 14:
            return self.lst_more(d, sc)
        if c < 3:
            return self.numlist(d, sc)
        if c < 5:
            return self.strlist(d, sc)
        if c < 6:
            return self.vmlist(d, sc)
        if d <= 0:
            return pick("[]", "[1, 'a', null]", "$.empty" if sc == "root" else "[null]")
        if c == 6:
            return "%s.select([%s, %s])" % (self.vmlist(d - 1, sc), self.any(d - 1, "vm"), self.any(d - 1, "vm"))
        if c == 7:
            return "%s.%s(%s)" % (self.numlist(d - 1, sc), pick("union", "intersect", "difference",
                                                               "symmetricDifference"), self.numlist(d - 1, sc))
        if c == 8:
            return "%s.groupBy(%s)" % (self.numlist(d - 1, sc), pick("$ mod 2", "$ > 3", "str($)"))
        if c == 9:
            return "%s.groupBy($.meta.zone, $.name)" % self.vmlist(d - 1, sc)
        if c == 10:
            return "zip(%s, %s)" % (self.lst(d - 1, sc), self.lst(d - 1, sc))
        if c == 11:
            return "%s.select([$, %s]).orderBy($[1]).select($[0])" % (self.numlist(d - 1, sc),
                                                                      self.num(d - 1, "num"))
        if c == 12:
            return "%s.enumerate(1).select($[0] * $[1])" % self.numlist(d - 1, sc)
        return "[%s, %s]" % (self.any(d - 1, sc), self.any(d - 1, sc))

    # yaql's queries.py and collections.py beyond the common chains:
    # predicates that stop reading (skipWhile, takeWhile), slicing and
    # splitting, positional edits, padding, laziness (memorize, cycle,
    # sequence), joins, groupBy's aggregator, views, and an iterator bound
    # by let() read more than once (Python's iterator is used up).
    def lst_more(self, d, sc):
        if d <= 0:
            return pick("[]", "[1, 'a', null]", "[[1, 2], [3]]")
        c = R.randrange(16)
        nl = self.numlist(d - 1, sc)
        if c == 0:
            return "%s.%s(%s)" % (nl, pick("skipWhile", "takeWhile"), self.bool(d - 1, "num"))
        if c == 1:
            return "%s.%s(%s)" % (nl, pick("slice", "splitAt"), pick("1", "2", "3", "0", "-1"))
        if c == 2:
            return "%s.%s(%s)" % (nl, pick("splitWhere", "sliceWhere"), self.bool(d - 1, "num"))
        if c == 3:
            return "%s.%s" % (nl, pick("insert(1, %s)" % self.scalar(d - 1, sc), "delete(1)", "delete(0, 2)",
                                       "replace(0, %s)" % self.scalar(d - 1, sc), "replaceMany(1, [7, 8])",
                                       "insertMany(-1, [0])", "insertMany(1, [0, 0])", "delete(-1)",
                                       "replace(1, 0, -1)"))
        if c == 4:
            return "%s.%s" % (nl, pick("defaultIfEmpty([0])", "memorize()", "append(%s)" % self.scalar(d - 1, sc),
                                       "cycle().take(5)", "repeat(2)", "toSet()", "single()",
                                       "lastIndexWhere($ > 2)"))
        if c == 5:
            return pick("sequence(%s, %s).take(4)" % (pick("0", "1", "-2"), pick("1", "2", "-1")),
                        "sequence().where($ mod 3 = 0).select($ * 2).take(3)",
                        "%s.repeat().take(3)" % self.scalar(d - 1, sc))
        if c == 6:
            return "zipLongest(%s, %s%s)" % (nl, self.lst(d - 1, sc), pick("", ", default => 0"))
        if c == 7:
            vl = self.vmlist(d - 1, sc)
            return "%s.join(%s, $1.%s = $2.%s, [$1.name, $2.%s])" % (
                vl, pick("$.vms", vl), pick("status", "cpu"), pick("status", "cpu"), pick("id", "cpu", "status"))
        if c == 8:
            return "%s.groupBy($.%s, $.%s, aggregator => %s)" % (
                self.vmlist(d - 1, sc), pick("status", "meta.zone", "cpu"), pick("name", "cpu", "mem"),
                pick("[$[0], $[1].len()]", "$.len()", "[$[0], $[1].sum()]"))
        if c == 9:
            return "%s.%s()" % (self.dct(d - 1, sc), pick("keys", "values", "items"))
        if c == 10:
            return "%s.generate($ < %s, $ + %s)" % (pick("0", "1", "-3"), pick("5", "10"), pick("1", "3"))
        if c == 11:
            reads = ["$x.len()", "$x.sum()", "$x.first(0)", "$x.first(0)", "list($x)", "$x", "$x.any()",
                     "$x.take(1)", "$x.contains(%s)" % self.num_leaf("num"), "$x.skip(1).first(-1)",
                     "$x.where($ > 2).first(-1)", "%s in $x" % self.num_leaf("num"), "$x.max(0)" if False else
                     "$x.count()", "$x.indexOf(%s)" % self.num_leaf("num"), "$x.all($ > 0)", "$x.join(',')"]
            return "let(x => %s) -> [%s]" % (nl, ", ".join(R.sample(reads, R.randrange(2, 5))))
        if c == 12:
            return "with(%s) -> [$1.len(), $1.toList(), $1.first(null)]" % nl
        if c == 13:
            return "%s.selectMany(%s)" % (self.vmlist(d - 1, sc), pick("$.tags", "[$.name, $.cpu]", "$.meta.keys()"))
        if c == 14:
            return "%s.select(%s).%s" % (nl, pick("[$, $ * 2]", "str($)"), pick("flatten()", "distinct()",
                                                                                  "enumerate()"))
        return "%s.mergeWith(%s%s)" % (self.dct(d - 1, sc), self.dct(d - 1, sc), pick(
            "", ", listMerger => $1 + $2", ", maxLevels => 1", ", itemMerger => $2"))

    # ---- dicts
    def dct(self, d, sc):
        if d <= 0 or chance(0.3):
            return pick("$.result", "$.env", "$.edict", "{a => 1, b => [2]}", "$.result.headers") if sc == "root" \
                else "{a => 1}"
        c = R.randrange(8)
        if c == 0:
            return "{%s => %s, k => %s}" % (pick("x", "'é'", "1", "null"), self.any(d - 1, sc), self.any(d - 1, sc))
        if c == 1:
            return "%s.set(%s, %s)" % (self.dct(d - 1, sc), pick("'k'", "code", "'body'"), self.any(d - 1, sc))
        if c == 2:
            return "%s.toDict($.%s, %s)" % (self.vmlist(d - 1, sc), pick("name", "id"), self.any(d - 1, "vm"))
        if c == 3:
            return "dict(%s)" % pick("a => 1, b => 2", "[['a', 1], ['b', 2]]", "zip([1, 2], ['x', 'y'])")
        if c == 4:
            return "%s.delete(%s)" % (self.dct(d - 1, sc), pick("'code'", "'a'", "'region'"))
        if c == 5:
            return "%s.mergeWith(%s)" % (self.dct(d - 1, sc), self.dct(d - 1, sc))
        if c == 6:
            return "%s.meta" % self.vm(d - 1, sc)
        return "%s.get(%s, %s)" % (pick("$.result", "{a => {b => 1}}"), pick("'body'", "'a'", "'zz'"),
                                   pick("{}", "null"))

    # ---- datetimes (fixed, never now())
    def dt(self, d):
        base = pick("datetime(2024, 2, 29)", "datetime(2024, 2, 29, 12, 30)", "datetime(2023, 12, 31, 23, 59, 59)",
                    "datetime('2024-02-29T12:30:00')", "datetime(1970, 1, 1)", "datetime(2024, 3, 10, 1, 2, 3, 456)")
        if d <= 0 or chance(0.4):
            return base
        c = R.randrange(3)
        if c == 0:
            return "%s %s %s" % (base, pick("+", "-"), self.timespan(d - 1))
        if c == 1:
            return "%s.replace(%s)" % (base, pick("year => 2025", "day => 1", "hour => 0, minute => 5"))
        return "(%s + %s)" % (base, self.timespan(d - 1))

    def timespan(self, d):
        base = pick("timespan(days => 1)", "timespan(hours => 36, minutes => 5)", "timespan(seconds => -90)",
                    "timespan(days => 1.5)", "timespan(milliseconds => 1500)", "timespan(weeks => 1)")
        if d <= 0 or chance(0.4):
            return base
        c = R.randrange(3)
        if c == 0:
            return "(%s - %s)" % (self.dt(d - 1), self.dt(d - 1))
        if c == 1:
            return "%s %s %s" % (base, pick("*", "/"), pick("2", "0.5", "3"))
        return "(%s + %s)" % (base, base)

    # ---- anything
    def scalar(self, d, sc):
        return pick(self.num, self.str, self.bool)(d, sc)

    def any(self, d, sc):
        return pick(self.num, self.str, self.bool, self.lst, self.dct, self.num, self.str)(d, sc)

    def top(self):
        d = self.max
        c = R.randrange(12)
        if c == 0:
            return "$.vms.where(%s).select([$.name, %s]).orderBy($[1]).toList()" % (self.bool(d - 1, "vm"),
                                                                                 self.any(d - 1, "vm"))
        if c == 1:
            return "%s -> %s" % (self.lst(d - 1, "root"), pick("$.len()", "[$.first(null), $.last(null)]",
                                                               "$.take(2)", "$.select(str($)).join('|')"))
        if c == 2:
            return "$.vms.select({n => $.name, up => %s, x => %s})" % (self.bool(d - 1, "vm"),
                                                                      self.any(d - 1, "vm"))
        return self.any(d, "root")


# ------------------------------------------------------------------ Jinja
J_NUM = ["0", "1", "2", "3", "-1", "10", "7", "2 ** 64", "12345678901234567890", "2.5", "-1.5", "0.1", "1e3",
         "_.count", "_.ratio", "_.big", "_.neg", "_.result.code", "_.env.retries"]
J_STR = ["'a'", "''", "'web'", "'ACTIVE'", "'é'", "'ß'", "'x,y'", "' pad '", "'Straße'", "'10'", "'-'", "', '",
         "'%s=%d'", "'{}-{}'", "\"dq\"", "'日本'", "_.name", "_.msg", "_.csv", "_.path", "_.num_s", "_.date_s",
         "_.env.region", "_.vms[0].name"]


class J:
    def __init__(self, depth):
        self.max = depth
        self.vars = []   # names a for/set/macro made visible: (name, kind)

    def num(self, d):
        if d <= 0 or chance(0.25):
            vs = [v for v, k in self.vars if k == "num"]
            return pick(*J_NUM) if not vs or chance(0.5) else pick(*vs)
        c = R.randrange(14)
        if c < 4:
            return "%s %s %s" % (self.num(d - 1), pick("+", "-", "*", "/", "//", "%", "**" if False else "+"),
                                 self.num(d - 1))
        if c == 4:
            return "(%s)" % self.num(d - 1)
        if c == 5:
            return "%s | %s" % (self.lst(d - 1), pick("length", "sum", "max", "min", "count", "first", "last"))
        if c == 6:
            return "%s | %s" % (self.num(d - 1), pick("abs", "int", "float", "round", "round(1, 'floor')",
                                                      "round(2)"))
        if c == 7:
            return "%s | %s" % (self.str(d - 1), pick("int", "float", "length", "int(base=16)", "int(-1)"))
        if c == 8:
            return "%s | sum(attribute='%s')" % (self.vmlist(d - 1), pick("cpu", "mem", "disk"))
        if c == 9:
            return "(%s if %s else %s)" % (self.num(d - 1), self.bool(d - 1), self.num(d - 1))
        if c == 10:
            return "%s[%s]" % (self.numlist(d - 1), pick("0", "-1", "1"))
        if c == 11:
            return "%s.%s(%s)" % (self.str(d - 1), pick("find", "count", "rfind"), pick(*J_STR[:12]))
        if c == 12:
            return "%s | map(attribute='%s') | select('number') | list | max" % (self.vmlist(d - 1),
                                                                               pick("cpu", "mem", "disk"))
        if chance(0.5):
            return self.num_more(d)
        return "%s | selectattr('%s') | list | length" % (self.vmlist(d - 1), pick("ip", "disk", "tags"))

    # What templates also compute numbers with: list and dict methods, the
    # filters' other arguments, Python's int/str conversions.
    def num_more(self, d):
        c = R.randrange(9)
        if c == 0:
            return "%s.%s(%s)" % (self.numlist(d - 1), pick("index", "count"), pick("1", "3", "8", "2.5"))
        if c == 1:
            return "%s | length" % self.dct(d - 1)
        if c == 2:
            return "(%s | %s(attribute='%s')).%s" % (self.vmlist(d - 1), pick("max", "min"),
                                                   pick("cpu", "mem", "name"), pick("cpu", "disk", "mem"))
        if c == 3:
            return "%s | %s(%s)" % (self.str(d - 1), pick("int", "float"), pick("0", "-1", "default=7", "2.5"))
        if c == 4:
            return "%s | round(%s, '%s')" % (self.num(d - 1), pick("0", "1", "2"), pick("ceil", "floor", "common"))
        if c == 5:
            return "%s.get(%s, %s)" % (self.dct(d - 1), pick("'code'", "'region'", "'a'", "'x'", "1"),
                                       self.num(d - 1))
        if c == 6:
            return "%s | sum(start=%s)" % (self.numlist(d - 1), pick("10", "0.5", "-1"))
        if c == 7:
            return "(%s).%s()" % (self.str(d - 1), pick("__len__", "isdigit", "count"))
        return "%s | map(attribute='%s', default=%s) | sum" % (self.vmlist(d - 1), pick("disk", "cpu", "x"),
                                                               pick("0", "1"))

    def str(self, d):
        if d <= 0 or chance(0.25):
            vs = [v for v, k in self.vars if k == "str"]
            return pick(*J_STR) if not vs or chance(0.5) else pick(*vs)
        c = R.randrange(20)
        if c < 3:
            return "%s %s %s" % (self.str(d - 1), pick("~", "+", "~"), self.any(d - 1) if chance(0.4) else
                                 self.str(d - 1))
        if c == 3:
            return "%s | %s" % (self.str(d - 1), pick("upper", "lower", "title", "capitalize", "trim", "reverse",
                                                      "center(9)", "truncate(5, true, '')", "replace('a', 'ä')",
                                                      "e", "striptags", "wordcount", "urlencode"))
        if c == 4:
            return "%s | join(%s)" % (self.lst(d - 1), pick("', '", "'-'", "", "attribute='name'"))
        if c == 5:
            return "'%s' %% (%s, %s)" % (pick("%s=%s", "%s/%d", "%r:%s", "%-5s|%5s", "%.2f %s"), self.any(d - 1),
                                        self.num(d - 1))
        if c == 6:
            return "%s.format(%s, %s)" % (pick("'{}-{}'", "'{0!r} {1}'", "'{:>6}{}'", "'{1}{0}'"),
                                          self.any(d - 1), self.any(d - 1))
        if c == 7:
            return "(%s)%s" % (self.str(d - 1), pick("[0]", "[-1]", "[1:3]", "[::-1]", "[:2]", "[-3:]"))
        if c == 8:
            return "%s.%s()" % (self.str(d - 1), pick("upper", "strip", "title", "swapcase", "casefold", "lstrip",
                                                      "capitalize"))
        if c == 9:
            return "%s.split(%s)%s" % (self.str(d - 1), pick("','", "", "'/'", "'-'"), pick("[0]", "[-1]", "| first",
                                                                                           "| last"))
        if c == 10:
            return "%s | %s" % (self.any(d - 1), pick("string", "tojson", "json_dump", "yaml_dump", "pprint"))
        if c == 11:
            return "%s | format(%s)" % (pick("'%s-%s'", "'%d items'", "'<%s>'"), self.any(d - 1) + ", 1")
        if c == 12:
            return "%s | default(%s)" % (pick("_.nothing", "_.missing", "_.name", "undefined_var", "''"),
                                         self.str(d - 1))
        if c == 13:
            return "%s | default(%s, true)" % (pick("_.nothing", "''", "_.words[5]", "0"), self.str(d - 1))
        if c == 14:
            return "%s | regex_replace(%s, %s)" % (self.str(d - 1), pick("'[aeiou]'", "'\\\\d+'"), "'#'") \
                if False else "%s.replace(%s, %s)" % (self.str(d - 1), pick("'a'", "','"), pick("'_'", "''"))
        if c == 15:
            return "(%s | first)" % self.strlist(d - 1)
        if c == 16:
            return "%s | indent(%s)" % (self.str(d - 1), pick("2", "2, true", "first=true"))
        if c == 17:
            return "(%s) | string | %s" % (self.num(d - 1), pick("length", "upper", "list | join('.')"))
        if c == 18:
            return "%s.zfill(5)" % self.str(d - 1) if chance(0.5) else "%s.ljust(6, '*')" % self.str(d - 1)
        if chance(0.6):
            return self.str_more(d)
        return "(%s | list | sort | join)" % self.str(d - 1)

    # More of what templates do with text: str methods with arguments,
    # str.format with names and specs, %-formatting from a dict, the
    # filters' other arguments.
    def str_more(self, d):
        c = R.randrange(14)
        if c == 0:
            return "%s.%s(%s)%s" % (self.str(d - 1), pick("rsplit", "split"), pick("'-', 1", "',', 1", "None, 1"),
                                    pick("[0]", "[-1]", " | join('+')"))
        if c == 1:
            return "%s.%s(%s) | join('|')" % (self.str(d - 1), pick("partition", "rpartition"), pick("'-'", "','"))
        if c == 2:
            return "%s.join(%s)" % (pick("', '", "'-'", "''"), self.strlist(d - 1))
        if c == 3:
            return "%s.format(%s=%s, b=%s)" % (pick("'{a}/{b}'", "'{a!r:>8}{b}'", "'{b[0]}{a}'", "'{a:^9}'"),
                                               "a", self.any(d - 1), self.strlist(d - 1))
        if c == 4:
            return "'%%(code)s %%(body)s' %% %s" % self.dct(d - 1)
        if c == 5:
            return "%s.%s(%s)" % (self.str(d - 1), pick("removeprefix", "removesuffix", "strip", "rstrip",
                                                        "lstrip"), pick("'a'", "'-'", "' '", "'web'"))
        if c == 6:
            return "%s.%s(%s, %s)" % (self.str(d - 1), pick("center", "rjust", "ljust"), pick("7", "3"),
                                      pick("'*'", "'-'"))
        if c == 7:
            return "'{:%s}'.format(%s)" % (pick(",", ".2f", ">8", "08.3f", "x", "+d", ".1%", "e", "_"),
                                          self.num(d - 1))
        if c == 8:
            return "%s | %s" % (self.str(d - 1), pick("wordwrap(5)", "truncate(8)", "truncate(6, false, '..', 0)",
                                                      "indent(2, blank=true)", "replace('a', '', 1)",
                                                      "filesizeformat", "urlize", "forceescape", "title"))
        if c == 9:
            return "%s | filesizeformat%s" % (self.num(d - 1), pick("", "(true)"))
        if c == 10:
            return "%s | dictsort(%s) | join(',')" % (self.dct(d - 1), pick("", "true", "false, 'value'",
                                                                        "reverse=true"))
        if c == 11:
            return "%s | xmlattr" % pick("{'class': 'a b', 'id': none}", "{'data-x': '<&>'}", "_.env")
        if c == 12:
            return "%s.splitlines()%s" % (pick("'a\\nb\\r\\nc'", "_.msg", "'x\\n'"),
                                          pick(" | join('|')", " | length | string", "[0]"))
        return "%s.%s()" % (self.str(d - 1), pick("isdigit", "isalpha", "isupper", "istitle", "isspace",
                                                  "isidentifier", "isnumeric"))

    def bool(self, d):
        if d <= 0 or chance(0.2):
            return self.cmp(d)
        c = R.randrange(10)
        if c < 2:
            return "%s %s %s" % (self.bool(d - 1), pick("and", "or"), self.bool(d - 1))
        if c == 2:
            return "not %s" % self.bool(d - 1)
        if c == 3:
            return "%s %s %s" % (self.scalar(d - 1), pick("in", "not in"), self.lst(d - 1) if chance(0.7) else
                                 self.str(d - 1))
        if c == 4:
            return "%s is %s" % (self.any(d - 1), pick("defined", "undefined", "none", "number", "string",
                                                       "mapping", "sequence", "iterable", "odd", "even",
                                                       "divisibleby(3)", "integer", "float", "boolean",
                                                       "true", "false", "lower", "upper", "sameas(none)",
                                                       "in([1, 'a'])", "eq 3", "gt(2)"))
        if c == 5:
            return "%s is not %s" % (self.any(d - 1), pick("none", "string", "number", "defined"))
        if c == 6:
            return "%s | %s" % (self.lst(d - 1), pick("select | list | length > 0", "reject('none') | list"))
        if c == 7:
            return "%s.startswith(%s)" % (self.str(d - 1), pick(*J_STR[:12]))
        if c == 8 and chance(0.7):
            k = R.randrange(5)
            if k == 0:
                return "%s %s %s" % (pick("'code'", "'region'", "'a'", "1", "'Content-Type'"), pick("in", "not in"),
                                     self.dct(d - 1))
            if k == 1:
                return "%s is %s" % (self.any(d - 1), pick("in(%s)" % self.lst(d - 1), "ge 2", "ne 'a'", "lt(3)",
                                                           "callable", "escaped", "mapping", "le 0", "filter",
                                                           "test"))
            if k == 2:
                return "%s.endswith((%s, %s))" % (self.str(d - 1), pick(*J_STR[:8]), pick(*J_STR[:8]))
            if k == 3:
                return "%s.get(%s) is none" % (self.dct(d - 1), pick("'code'", "'next'", "'z'"))
            return "%s | selectattr('%s', '%s') | list | length > %s" % (
                self.vmlist(d - 1), pick("status", "cpu", "meta.zone"), pick("defined", "string", "number", "none"),
                pick("0", "1"))
        return self.cmp(d)

    def cmp(self, d):
        op = pick("==", "!=", "<", ">", "<=", ">=")
        k = R.randrange(4)
        if k == 0:
            return "%s %s %s" % (self.num(d - 1), op, self.num(d - 1))
        if k == 1:
            return "%s %s %s" % (self.str(d - 1), op, self.str(d - 1))
        if k == 2:
            return "%s %s %s" % (self.any(d - 1), pick("==", "!="), self.any(d - 1))
        return "%s %s %s" % (self.lst(d - 1), op, self.lst(d - 1))

    def numlist(self, d):
        if d <= 0 or chance(0.3):
            return pick("_.nums", "_.floats", "[1, 2, 3]", "[]", "[2.5, 1, 2 ** 70]", "range(5)",
                        "_.result.body.items", "[3, 3, 1]", "(1, 2)")
        c = R.randrange(8)
        if c == 0:
            return "%s | map(%s) | list" % (self.numlist(d - 1), pick("'abs'", "'int'", "'float'", "'round'"))
        if c == 1:
            return "%s | %s(%s) | list" % (self.numlist(d - 1), pick("select", "reject"),
                                           pick("'odd'", "'even'", "'>', 2", "'divisibleby', 3", "'number'",
                                                "'ge', 5", "'in', [1, 8]"))
        if c == 2:
            return "%s | sort%s" % (self.numlist(d - 1), pick("", "(reverse=true)"))
        if c == 3:
            return "%s | map(attribute='%s') | list" % (self.vmlist(d - 1), pick("cpu", "mem"))
        if c == 4:
            return "%s | unique | list" % self.numlist(d - 1)
        if c == 5:
            return "(%s)[%s]" % (self.numlist(d - 1), pick("1:", ":-1", "::2", "1:3", "::-1"))
        if c == 6:
            return "%s + %s" % (self.numlist(d - 1), self.numlist(d - 1))
        return "range(%s, %s)" % (pick("0", "1", "-2"), pick("3", "5", "_.count"))

    def strlist(self, d):
        if d <= 0 or chance(0.3):
            return pick("_.words", "['a', 'b']", "[]", "_.vms | map(attribute='name')", "_.result.headers.keys()",
                        "_.csv.split(',')", "_.result.headers")
        c = R.randrange(6)
        if c == 0:
            return "%s | map('%s') | list" % (self.strlist(d - 1), pick("upper", "lower", "trim", "capitalize",
                                                                      "length", "string", "reverse"))
        if c == 1:
            return "%s | select(%s) | list" % (self.strlist(d - 1), pick("'lower'", "'string'", "", "'in', ['fig']",
                                                                        "'equalto', 'pear'"))
        if c == 2:
            return "%s | sort(%s) | list" % (self.strlist(d - 1), pick("", "case_sensitive=true", "reverse=true"))
        if c == 3:
            return "%s.split(%s)" % (self.str(d - 1), pick("','", "", "'/'"))
        if c == 4:
            return "%s | map(attribute='%s') | list" % (self.vmlist(d - 1), pick("name", "status", "meta.zone",
                                                                               "ip"))
        return "%s | list | unique | list" % self.str(d - 1)

    def vmlist(self, d):
        if d <= 0 or chance(0.4):
            return pick("_.vms", "_.vms", "[]")
        c = R.randrange(6)
        if c == 0:
            return "%s | selectattr('%s'%s) | list" % (self.vmlist(d - 1), pick("status", "cpu", "ip", "meta.zone"),
                                                       pick(", 'equalto', 'ACTIVE'", ", '>', 1", "",
                                                            ", 'in', ['nova']", ", 'none'"))
        if c == 1:
            return "%s | rejectattr('%s') | list" % (self.vmlist(d - 1), pick("ip", "disk", "tags"))
        if c == 2:
            return "%s | sort(attribute='%s'%s)" % (self.vmlist(d - 1), pick("cpu", "name", "meta.zone,cpu",
                                                                             "status", "mem"),
                                                    pick("", ", reverse=true"))
        if c == 3:
            return "(%s)[%s]" % (self.vmlist(d - 1), pick("1:", ":2", "::-1"))
        if c == 4:
            return "%s | unique(attribute='status') | list" % self.vmlist(d - 1)
        return "%s | batch(2) | first" % self.vmlist(d - 1)

    def lst(self, d):
        c = R.randrange(10)
        if c < 3:
            return self.numlist(d)
        if c < 5:
            return self.strlist(d)
        if c < 6:
            return self.vmlist(d)
        if d <= 0:
            return pick("[]", "[1, 'a', none]", "_.matrix")
        if c == 6:
            return "%s | groupby('%s') | map('list') | list" % (self.vmlist(d - 1), pick("status", "meta.zone",
                                                                                     "cpu"))
        if c == 7:
            return "%s | batch(%s, %s) | list" % (self.lst(d - 1), pick("2", "3"), pick("0", "none", "'-'"))
        if c == 8:
            return "%s | slice(2) | list" % self.lst(d - 1)
        if chance(0.5):
            k = R.randrange(7)
            if k == 0:
                return "%s.%s() | list" % (self.dct(d - 1), pick("keys", "values", "items"))
            if k == 1:
                return "%s | dictsort(%s)" % (self.dct(d - 1), pick("", "by='value'", "reverse=true"))
            if k == 2:
                return "%s | map(attribute='tags') | sum(start=[])" % self.vmlist(d - 1)
            if k == 3:
                return "%s | reverse | list" % self.lst(d - 1)
            if k == 4:
                return "%s | groupby('%s') | map(attribute='grouper') | list" % (self.vmlist(d - 1),
                                                                               pick("status", "cpu"))
            if k == 5:
                return "%s | map('%s') | list" % (self.strlist(d - 1), pick("int", "float", "default('z')",
                                                                           "truncate(3)", "center(4)"))
            return "%s | items | list" % self.dct(d - 1)
        return "[%s, %s]" % (self.any(d - 1), self.any(d - 1))

    def dct(self, d):
        if d <= 0 or chance(0.4):
            return pick("_.result", "_.env", "_.edict", "{'a': 1, 'b': [2]}", "_.result.headers", "_.vms[1].meta")
        c = R.randrange(5)
        if c == 0:
            return "{%s: %s, 'k': %s}" % (pick("'x'", "'é'", "1", "none"), self.any(d - 1), self.any(d - 1))
        if c == 1:
            return "dict(%s, z=%s)" % (self.dct(d - 1), self.any(d - 1))
        if c == 2:
            return "%s | json_dump | json_parse" % self.dct(d - 1)
        if c == 3:
            return "%s | yaml_dump | yaml_parse" % self.dct(d - 1)
        return "(%s)[%s]" % (self.vmlist(d - 1), pick("0", "-1"))

    def scalar(self, d):
        return pick(self.num, self.str, self.bool)(d)

    def any(self, d):
        return pick(self.num, self.str, self.bool, self.lst, self.dct, self.num, self.str)(d)

    def expr(self):
        return self.any(self.max)

    # whole templates: statements around expressions
    def template(self):
        d = self.max
        c = R.randrange(16)
        ws = lambda: pick("", "-")  # noqa: E731
        if c < 4:
            return "{{ %s }}" % self.expr()
        if c == 4:
            return "%s: {{ %s }}!" % (pick("x", "Ergebnis", ""), self.expr())
        if c == 5:
            self.vars.append(("x", "num"))
            body = "{{ loop.index }}/{{ loop.length }}:{{ %s }}{{ '' if loop.last else ',' }}" % self.num(d - 1)
            out = "{%% for x in %s %%}%s{%% else %%}none{%% endfor %%}" % (self.numlist(d - 1), body)
            self.vars.pop()
            return out
        if c == 6:
            body = "{{ vm.name }}={{ %s }}{%% if not loop.last %%};{%% endif %%}" % pick(
                "vm.cpu * 2", "vm.meta.zone | upper", "vm.tags | join('+')", "vm.ip | default('-', true)",
                "loop.revindex", "loop.cycle('a', 'b')", "loop.previtem.name if loop.previtem else '^'",
                "loop.changed(vm.status)", "vm['mem'] | round", "vm.tags | length")
            return "{%% for vm in %s %s%%}%s{%% endfor %%}" % (self.vmlist(d - 1), pick("", "if vm.cpu > 1 "), body)
        if c == 7:
            self.vars.append(("y", "str"))
            out = "{%% set y = %s %%}{{ y }}|{{ %s }}" % (self.str(d - 1), self.str(d - 1))
            self.vars.pop()
            return out
        if c == 8:
            return ("{%% set ns = namespace(total=0, names=[]) %%}{%% for vm in %s %%}"
                    "{%% set ns.total = ns.total + vm.%s %%}{%% endfor %%}{{ ns.total }}") % (
                self.vmlist(d - 1), pick("cpu", "mem"))
        if c == 9:
            self.vars.append(("a", "num"))
            out = ("{%% macro f(a, b='%s') %%}[{{ %s }}|{{ b }}]{%% endmacro %%}{{ f(%s) }}{{ f(1, b=%s) }}") % (
                pick("x", "ü", ""), self.num(d - 1), self.num(d - 1), self.str(d - 1))
            self.vars.pop()
            return out
        if c == 10:
            return "{%% if %s %%}yes{%% elif %s %%}mid{%% else %%}no{%% endif %%}" % (self.bool(d - 1),
                                                                                  self.bool(d - 1))
        if c == 11:
            return "a\n  {%%%s if %s %s%%}\n  b {{ %s }}\n  {%%%s endif %s%%}\nc" % (
                ws(), self.bool(d - 1), ws(), self.str(d - 1), ws(), ws())
        if c == 12:
            return "{%% for k, v in %s | dictsort %%}{{ k }}={{ v }} {%% endfor %%}" % self.dct(d - 1)
        if c == 13:
            return "{%% for k, v in %s.items() %%}{{ k ~ ':' ~ v | string }},{%% endfor %%}" % self.dct(d - 1)
        if c == 14:
            return "{%% filter upper %%}{{ %s }}{%% endfilter %%}" % self.str(d - 1)
        if chance(0.6):
            return self.template_more(d)
        return "{{ %s }} and {{ %s }}" % (self.expr(), self.expr())

    # The statements and idioms workflows also write: lists built in a loop
    # (append on a namespace's list, update of a dict), with, set blocks,
    # call blocks, cycler/joiner, unpacking, loop filters and loop.*.
    def template_more(self, d):
        c = R.randrange(13)
        if c == 0:
            return ("{%% set ns = namespace(out=[]) %%}{%% for vm in %s %%}{%% set _ = ns.out.append(vm.%s) %%}"
                    "{%% endfor %%}{{ ns.out }}") % (self.vmlist(d - 1), pick("name", "cpu", "ip", "meta.zone"))
        if c == 1:
            if chance(0.5):
                return ("{%% set acc = {} %%}{%% for vm in %s %%}{%% set _ = acc.setdefault(vm.%s, []).append(vm.%s) "
                        "%%}{%% endfor %%}{{ acc }}") % (self.vmlist(d - 1), pick("status", "meta.zone", "cpu"),
                                                          pick("name", "id", "mem"))
            return ("{%% set acc = {} %%}{%% for vm in %s %%}{%% set _ = acc.update({vm.%s: vm.%s}) %%}"
                    "{%% endfor %%}{{ acc | tojson }}") % (self.vmlist(d - 1), pick("name", "id"),
                                                           pick("status", "cpu", "tags"))
        if c == 2:
            return "{%% with a = %s, b = %s %%}{{ a }}-{{ b }}{%% endwith %%}" % (self.any(d - 1), self.str(d - 1))
        if c == 3:
            return "{%% set t %%}{{ %s }}{%% endset %%}{{ t | length }}:{{ t }}" % self.expr()
        if c == 4:
            return ("{%% macro box(w) %%}[{{ caller(w) }}]{%% endmacro %%}"
                    "{%% call(v) box(%s) %%}{{ v }}{%% endcall %%}") % self.any(d - 1)
        if c == 5:
            return ("{%% set c = cycler('odd', 'even') %%}{%% set j = joiner('; ') %%}{%% for x in %s %%}"
                    "{{ j() }}{{ c.next() }}:{{ x }}{%% endfor %%}") % self.lst(d - 1)
        if c == 6:
            return "{%% for k, v in %s.items() if v %%}{{ loop.index0 }}{{ k }}{%% endfor %%}" % self.dct(d - 1)
        if c == 7:
            return "{%% set a, b = %s %%}{{ b }}/{{ a }}" % pick("[1, 2]", "'xy'", "_.csv.split(',', 1)",
                                                                 "(%s, %s)" % (self.num(d - 1), self.str(d - 1)))
        if c == 8:
            return ("{%% for x in %s %%}{%% if loop.first %%}^{%% endif %%}{{ x }}{{ loop.revindex0 }}"
                    "{%% if loop.last %%}${%% endif %%}{%% endfor %%}") % self.lst(d - 1)
        if c == 9:
            return ("{%% set l = %s | list %%}{%% set _ = l.%s %%}{{ l }}") % (
                self.lst(d - 1), pick("append(1)", "extend(['z'])", "insert(0, 'h')", "reverse()", "pop()",
                                      "remove(1)", "sort()", "clear()"))
        if c == 10:
            return ("{%% for row in %s %%}{%% for x in row %%}{{ x }}{{ ',' if not loop.last }}{%% endfor %%}"
                    "{{ ';' if not loop.last }}{%% endfor %%}") % pick("_.matrix", "_.vms | map(attribute='tags')",
                                                                      "[[1, 2], 'ab']")
        if c == 11:
            return self.in_place(d)
        return "{%% raw %%}{{ %s }}{%% endraw %%}{{ %s }}" % (pick("x", "'a'"), self.expr())

    # A list or dict changed in place is one object however it is reached:
    # other names, a namespace's attribute, a list holding it, a bound
    # method, the data context `_` it came from, a loop over it.
    def in_place(self, d):
        list_op = lambda: pick("append(%s)" % self.any(d - 1), "append([1])", "extend(%s)" % self.lst(d - 1),  # noqa: E731
                               "insert(%s, %s)" % (pick("0", "-1", "9"), self.scalar(d - 1)), "pop()", "pop(0)",
                               "remove(1)", "sort()", "sort(reverse=true)", "reverse()", "clear()")
        dict_op = lambda: pick("update(z=%s)" % self.any(d - 1), "update(%s)" % self.dct(d - 1),  # noqa: E731
                               "setdefault('k', [])", "setdefault('a', %s)" % self.scalar(d - 1), "pop('a', 0)",
                               "pop('zz')", "popitem()", "clear()")
        k = R.randrange(7)
        if k == 0:
            return ("{%% set l = %s | list %%}{%% set m = l %%}{%% set ns = namespace(x=l) %%}{%% set w = [l] %%}"
                    "{%% set _z = m.%s %%}{%% set _z = ns.x.%s %%}{{ l }}|{{ ns.x }}|{{ w }}|{{ l is sameas ns.x }}") % (
                self.lst(d - 1), list_op(), list_op())
        if k == 1:
            path, ops = pick(("nums", list_op), ("vms[0].tags", list_op), ("matrix[0]", list_op), ("env", dict_op),
                             ("vms[1].meta", dict_op), ("result.body", dict_op), ("empty", list_op))
            return "{%% set m = _.%s %%}{%% set _x = m.%s %%}{%% set _y = _.%s.%s %%}{{ _.%s }}|{{ m }}" % (
                path, ops(), path, ops(), path.split(".")[0].split("[")[0])
        if k == 2:
            return ("{%% set q = %s | list %%}{%% for x in q %%}{%% if q | length < %s %%}{%% set _z = q.%s %%}"
                    "{%% endif %%}{{ loop.index }}{{ '' if loop.last else ',' }}{%% endfor %%}{{ q }}") % (
                self.lst(d - 1), pick("4", "6"), pick("append(x)", "extend([x, x])", "append(loop.index)", "pop()"))
        if k == 3:
            return ("{%% set rows = [] %%}{%% for vm in %s %%}{%% set row = {'n': vm.name, 'tags': []} %%}"
                    "{%% set _z = rows.append(row) %%}{%% for t in vm.tags %%}{%% set _z = row.tags.append(t | upper) %%}"
                    "{%% endfor %%}{%% set _z = row.update(c=vm.%s) %%}{%% endfor %%}{{ rows }}") % (
                self.vmlist(d - 1), pick("cpu", "meta", "tags"))
        if k == 4:
            return ("{%% set l = [] %%}{%% set ap = l.append %%}{%% set _z = ap(%s) %%}{%% set _z = l.append(%s) %%}"
                    "{%% set _z = ap(%s) %%}{{ l }}") % (self.scalar(d - 1), self.any(d - 1), self.any(d - 1))
        if k == 5:
            return "{%% set d = dict(%s) %%}{%% set e = d %%}{{ e.%s }}{{ e.%s }}{{ d }}" % (self.dct(d - 1), dict_op(),
                                                                                          dict_op())
        return ("{%% set acc = {} %%}{%% for vm in %s %%}{%% set g = acc.setdefault(vm.%s, {'n': 0, 'names': []}) %%}"
                "{%% set _z = g.update(n=g.n + 1) %%}{%% set _z = g.names.append(vm.name) %%}{%% endfor %%}{{ acc }}") % (
            self.vmlist(d - 1), pick("status", "meta.zone", "cpu"))


# --------------------------------------------------------------- running
def known_noise(text, py, bora):
    """Differences accepted as they are: none by text since Bora holds lone
    surrogates as Python does (2026-12-07); Python's random set and hash
    order are told apart by the callers."""
    return None


# Also reversed (`| reverse`: ">...f7x0 ta") and upper-cased (`| upper`).
# An address whose hex digits a replace() rewrote (`.replace('a', 'X')`:
# `at 0x7fe9X0e890>`), or whose space a split() took, too.
ADDRESS = re.compile(r"0x[^\s<>'\"]{6,16}(?=>)|\b0x[0-9a-f]{6,16}\b|(?<= at | ta )x?[0-9a-f]+(?=>)|"
                     r"(?<=>)[0-9a-f]{6,16}x0(?= ta )", re.I)


def without_addresses(v):
    """An object's address (`<map object at 0x7f...>`) differs from one run
    to the next: compared as a pattern, any address is the same."""
    if isinstance(v, str):
        return ADDRESS.sub("0x...", v)
    if isinstance(v, list):
        return [without_addresses(x) for x in v]
    if isinstance(v, dict):
        return {without_addresses(k): without_addresses(x) for k, x in v.items()}
    return v


def set_order(text):
    """An expression whose answer walks a set in Python's order: yaql's
    union/intersect/difference and toSet over strings, Jinja's unique over
    a set, dict order of a set read as keys."""
    return bool(re.search(r"\b(union|intersect|difference|symmetricDifference|toSet|set)\(", text))


def deep_sorted(v):
    """v with every list's items sorted (at any depth), types kept."""
    if isinstance(v, list):
        return sorted((deep_sorted(x) for x in v), key=repr)
    if isinstance(v, dict):
        return sorted((k, deep_sorted(x)) for k, x in v.items())
    return dx.typed(v)


def keys_view_order(text, py, bora):
    """A yaql dict's keys() view leaves Mistral as a Python set of its keys
    (convert_output_data): text keys (and None) come in their hash order,
    which PYTHONHASHSEED (unset in Mistral's service) makes random from
    one process to the next, wherever the view sits in the answer. Bora
    orders numbers as CPython does and keeps the others in the dict's
    order; such an answer is compared with every list's items in any
    order."""
    return ".keys()" in text and "<%" in text and py[0] == "value" and "result" in bora and \
        deep_sorted(py[1]) == deep_sorted(bora["result"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bora", default=os.path.join(dx.HERE, "..", "build", "src", "cli", "bora"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=20000, help="expressions per language")
    ap.add_argument("--only", choices=["yaql", "jinja"])
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--show", type=int, default=3, help="examples printed per class")
    ap.add_argument("--json", help="write every difference as JSON lines here")
    ap.add_argument("--print", action="store_true", help="only print the generated expressions")
    args = ap.parse_args()
    R.seed(args.seed)

    texts = []
    if args.only != "jinja":
        y = Y(args.depth)
        texts += ["<% " + y.top() + " %>" for _ in range(args.count)]
    if args.only != "yaql":
        j = J(args.depth)
        texts += [j.template() for _ in range(args.count)]
    seen = set()
    texts = [t for t in texts if not (t in seen or seen.add(t))]
    if args.print:
        for t in texts:
            print(t.replace("\n", "\\n"))
        return
    ctx_text = json.dumps(CTX)
    print("evaluating %d expressions with Mistral ..." % len(texts), file=sys.stderr)
    sys.setrecursionlimit(3000)
    # A fresh copy for each: a few of Python's functions change what they
    # are given in place (it is not Bora's to copy that).
    py = [dx.python_answer(t, json.loads(ctx_text)) for t in texts]
    print("... and with %s" % os.path.normpath(args.bora), file=sys.stderr)
    bora = dx.bora_answers(args.bora, [(t, ctx_text) for t in texts])

    classes = collections.defaultdict(list)
    noise = collections.Counter()
    errors_both = 0
    for text, p, b in zip(texts, py, bora):
        p = (p[0], without_addresses(p[1])) + tuple(p[2:])
        b = without_addresses(b)
        if p[0] == "error" and "error" in b:
            errors_both += 1
        if dx.same(p, b):
            continue
        if p[0] == "value" and "result" in b and "0x..." in json.dumps(p[1]) and isinstance(p[1], list) and \
                isinstance(b["result"], list) and sorted(map(json.dumps, p[1])) == sorted(map(json.dumps, b["result"])):
            # Items ordered by a text holding an object's address.
            noise["address order"] += 1
            continue
        why = known_noise(text, p, b) or ("keys() view order" if keys_view_order(text, p, b) else None) or ("set order" if set_order(text) and p[0] == "value" and "result" in b
                                          and sorted(map(repr, map(dx.typed, p[1] if isinstance(p[1], list) else
                                                                   [p[1]]))) ==
                                          sorted(map(repr, map(dx.typed, b["result"] if isinstance(
                                              b["result"], list) else [b["result"]]))) else None)
        if why:
            noise[why] += 1
            continue
        classes[dx.classify(text, p, b)].append((text, p, b))
    total = sum(len(v) for v in classes.values())
    for cls in sorted(classes, key=lambda c: -len(classes[c])):
        print("== %s: %d" % (cls, len(classes[cls])))
        for text, p, b in sorted(classes[cls], key=lambda x: len(x[0]))[:args.show]:
            pv = p[1] if p[0] == "value" else "ERROR " + p[1][:200]
            bv = b.get("result", "ERROR " + str(b.get("error"))[:200])
            print("     %s\n        mistral: %s\n        bora:    %s" % (
                text.replace("\n", "\\n"), json.dumps(pv, ensure_ascii=False)[:300],
                json.dumps(bv, ensure_ascii=False)[:300]))
    if args.json:
        with open(args.json, "w", errors="backslashreplace") as f:
            for cls, items in classes.items():
                for text, p, b in items:
                    f.write(json.dumps({"class": cls, "text": text, "mistral": list(p), "bora": b},
                                       ensure_ascii=False) + "\n")
    print("\n%d expressions (%d an error in both), %d differ%s" % (
        len(texts), errors_both, total,
        "".join("; %d %s left out" % (n, w) for w, n in noise.items())))


if __name__ == "__main__":
    main()
