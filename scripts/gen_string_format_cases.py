#!/usr/bin/python3
"""Freezes Python's answers for core/python_string_format into
test/data/core/string_format.jsonl: one JSON object per line,
{"op": "percent"|"format"|"spec", ...inputs..., "result"|"error"}.
  percent: fmt % args (args a tuple when "tuple" is true, else the value)
  format:  fmt.format(*args, **kwargs)
  spec:    format(value, spec)
A matrix of conversions x flags x widths x precisions x values, then
hand-written cases for the rules around it. Run with Debian's /usr/bin/python3."""
import itertools
import json
import os

INTS = [0, -42, 123456789, True, 2**70, -(2**64)]
FLOATS = [-0.0, 3.14159, 1e-7, 1e22, float("-inf"), float("nan")]
STRS = ["", "héllo"]
OTHERS = [None, [1, "a"]]

PCT_CONVS = "diouxXeEfFgGcrsa"
PCT_FLAGS = ["", "-", "+", " ", "#", "0", "-0", "+#0"]
PCT_WIDTHS = ["", "8"]
PCT_PRECS = ["", ".3"]

SPEC_TYPES = ["", "d", "b", "o", "x", "X", "c", "n", "e", "E", "f", "F", "g", "G", "%", "s"]
SPEC_PREFIXES = ["", "<", ">", "^", "=", "*^", "0", "+", " ", "-", "#", "z", "08", "+010", ",", "_", "010,", "x<6",
                 "=+8", "#012_"]
SPEC_PRECS = ["", ".0", ".3"]


def run(case):
    try:
        if case["op"] == "percent":
            args = tuple(case["args"]) if case.get("tuple") else case["args"]
            result = case["fmt"] % args
        elif case["op"] == "format":
            result = case["fmt"].format(*case["args"], **case.get("kwargs", {}))
        else:
            result = format(case["value"], case["spec"])
        case["result"] = result
    except Exception as e:  # Python's words are the expected error
        case["error"] = str(e) if not isinstance(e, KeyError) else repr(e.args[0])
    return case


def matrix():
    values = INTS + FLOATS + STRS + OTHERS
    for conv, flag, width, prec in itertools.product(PCT_CONVS, PCT_FLAGS, PCT_WIDTHS, PCT_PRECS):
        fmt = "%" + flag + width + prec + conv
        for v in values:
            if conv in "rsa" and flag not in ("", "-", "0"):
                continue  # flags do not apply to text: a few suffice (below)
            yield {"op": "percent", "fmt": "<" + fmt + ">", "args": [v], "tuple": True}
    for t, prefix, prec in itertools.product(SPEC_TYPES, SPEC_PREFIXES, SPEC_PRECS):
        for v in INTS + FLOATS + STRS:
            yield {"op": "spec", "value": v, "spec": prefix + prec + t}


WRITTEN = [
    # % with tuples, single values, lists and mappings as Python treats them
    {"op": "percent", "fmt": "%s-%05.2f", "args": ["a", 2.5], "tuple": True},
    {"op": "percent", "fmt": "%s", "args": [1, 2], "tuple": False},
    {"op": "percent", "fmt": "%s %s", "args": [1, 2], "tuple": False},
    {"op": "percent", "fmt": "%s", "args": [1, 2], "tuple": True},
    {"op": "percent", "fmt": "%s %s %s", "args": [1, 2], "tuple": True},
    {"op": "percent", "fmt": "x", "args": [1], "tuple": False},
    {"op": "percent", "fmt": "x", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "x", "args": 1, "tuple": False},
    {"op": "percent", "fmt": "x", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "x", "args": [], "tuple": True},
    {"op": "percent", "fmt": "%s", "args": [], "tuple": True},
    {"op": "percent", "fmt": "%s", "args": None, "tuple": False},
    {"op": "percent", "fmt": "%s", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%s %s", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%(a)s-%(b)05d", "args": {"a": "x", "b": 42}, "tuple": False},
    {"op": "percent", "fmt": "%(a)s %(a)r", "args": {"a": "x"}, "tuple": False},
    {"op": "percent", "fmt": "%(a)s %(b)s", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%(a)s", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "%(a)s", "args": [1], "tuple": False},
    {"op": "percent", "fmt": "%(a(b))s", "args": {"a(b)": 2}, "tuple": False},
    {"op": "percent", "fmt": "%(a", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%(a)", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%(a)s %s", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%s %(a)s", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%(a)*d", "args": {"a": 1}, "tuple": False},
    {"op": "percent", "fmt": "%", "args": [], "tuple": True},
    {"op": "percent", "fmt": "abc%", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "%5", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "100%% %s", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "%5%", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "%5%", "args": [], "tuple": True},
    {"op": "percent", "fmt": "%q", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "ab%é", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "é%z", "args": [1], "tuple": True},
    {"op": "percent", "fmt": "%ld %hd %Lf", "args": [1, 2, 3.5], "tuple": True},
    {"op": "percent", "fmt": "%*d|%-*d|", "args": [5, 1, 4, 2], "tuple": True},
    {"op": "percent", "fmt": "%*d|", "args": [-5, 1], "tuple": True},
    {"op": "percent", "fmt": "%.*f", "args": [2, 3.14159], "tuple": True},
    {"op": "percent", "fmt": "%.*s", "args": [-1, "abc"], "tuple": True},
    {"op": "percent", "fmt": "%*.*f", "args": [8, 2, 3.14159], "tuple": True},
    {"op": "percent", "fmt": "%*d", "args": ["a", 1], "tuple": True},
    {"op": "percent", "fmt": "%.*d", "args": [1.5, 1], "tuple": True},
    {"op": "percent", "fmt": "%*d", "args": [3], "tuple": True},
    {"op": "percent", "fmt": "%c", "args": ["ab"], "tuple": True},
    {"op": "percent", "fmt": "%c", "args": [1114112], "tuple": True},
    {"op": "percent", "fmt": "%c", "args": [-1], "tuple": True},
    {"op": "percent", "fmt": "%c", "args": [233], "tuple": True},
    {"op": "percent", "fmt": "%d", "args": [1e20], "tuple": True},
    {"op": "percent", "fmt": "%d", "args": [-2.5e19], "tuple": True},
    {"op": "percent", "fmt": "%.5s|%-6.2s|%6r", "args": ["abcdefg", "héllo", "é"], "tuple": True},
    {"op": "percent", "fmt": "%05s|%+s|% s|%#s|%-5a|", "args": ["a", "b", "c", "d", "é"], "tuple": True},
    {"op": "percent", "fmt": "%s %r %a", "args": [[1, "é"], {"k": None}, ["é"]], "tuple": True},
    {"op": "percent", "fmt": "%s|%r", "args": [True, 1e16], "tuple": True},
    {"op": "percent", "fmt": "%d|%x|%o|%+X", "args": [-9223372036854775808] * 4, "tuple": True},
    {"op": "spec", "value": -9223372036854775808, "spec": "#_b"},
    {"op": "spec", "value": 9223372036854775807, "spec": ",d"},
    # str.format: numbering, fields, conversions, nested specs, escapes, errors
    {"op": "format", "fmt": "{} {}", "args": [1, 2]},
    {"op": "format", "fmt": "{0} {1} {0}", "args": ["a", "b"]},
    {"op": "format", "fmt": "{1}{0}", "args": ["a", "b"]},
    {"op": "format", "fmt": "{name}-{0}", "args": [1], "kwargs": {"name": "n"}},
    {"op": "format", "fmt": "{0[key]} {0[list][1]}", "args": [{"key": "v", "list": [5, 6]}]},
    {"op": "format", "fmt": "{0[1]} {0[0]}", "args": [["x", "y"]]},
    {"op": "format", "fmt": "{0[2]}", "args": ["héllo"]},
    {"op": "format", "fmt": "{0[9]}", "args": ["abc"]},
    {"op": "format", "fmt": "{0[a]}", "args": ["abc"]},
    {"op": "format", "fmt": "{0[5]}", "args": [[1]]},
    {"op": "format", "fmt": "{0[a]}", "args": [[1]]},
    {"op": "format", "fmt": "{0[1]}", "args": [{"1": "x"}]},
    {"op": "format", "fmt": "{0[b]}", "args": [{"a": 1}]},
    {"op": "format", "fmt": "{0[a]}", "args": [5]},
    {"op": "format", "fmt": "{0.real} {0.imag} {0.numerator} {0.denominator}", "args": [7]},
    {"op": "format", "fmt": "{0.real} {0.imag}", "args": [2.5]},
    {"op": "format", "fmt": "{0.foo}", "args": [2]},
    {"op": "format", "fmt": "{0.a}", "args": [{"a": 1}]},
    {"op": "format", "fmt": "{0.}", "args": [1]},
    {"op": "format", "fmt": "{0[]}", "args": [[1]]},
    {"op": "format", "fmt": "{0[0]x}", "args": [[1]]},
    {"op": "format", "fmt": "{0[0}", "args": [[1]]},
    {"op": "format", "fmt": "{0!r} {0!s} {0!a}", "args": ["é"]},
    {"op": "format", "fmt": "{0!r:>10}|{1!s:^7}|", "args": ["x", [1]]},
    {"op": "format", "fmt": "{!r}", "args": [None]},
    {"op": "format", "fmt": "{0!x}", "args": [1]},
    {"op": "format", "fmt": "{0!}", "args": [1]},
    {"op": "format", "fmt": "{0!", "args": [1]},
    {"op": "format", "fmt": "{0!rr}", "args": [1]},
    {"op": "format", "fmt": "{0!r", "args": [1]},
    {"op": "format", "fmt": "{0:{1}}|{0:{2}{1}}|", "args": [3, 5, "<"]},
    {"op": "format", "fmt": "{:{}.{}f}", "args": [3.14159, 10, 2]},
    {"op": "format", "fmt": "{0:{1:{2}}}", "args": [1, 2, 3]},
    {"op": "format", "fmt": "{{}} {{0}} {}}}", "args": [1]},
    {"op": "format", "fmt": "{{{0}}}", "args": [1]},
    {"op": "format", "fmt": "}", "args": []},
    {"op": "format", "fmt": "a}b", "args": []},
    {"op": "format", "fmt": "{", "args": []},
    {"op": "format", "fmt": "ab{", "args": []},
    {"op": "format", "fmt": "{0", "args": [1]},
    {"op": "format", "fmt": "{0:", "args": [1]},
    {"op": "format", "fmt": "{a{b}", "args": []},
    {"op": "format", "fmt": "{}", "args": []},
    {"op": "format", "fmt": "{2}", "args": [1]},
    {"op": "format", "fmt": "{x}", "args": []},
    {"op": "format", "fmt": "{0}{}", "args": [1, 2]},
    {"op": "format", "fmt": "{}{0}", "args": [1, 2]},
    {"op": "format", "fmt": "{}{x}{}", "args": [1, 2], "kwargs": {"x": 3}},
    {"op": "format", "fmt": "{:}", "args": [None]},
    {"op": "format", "fmt": "{:>4}", "args": [None]},
    {"op": "format", "fmt": "{:x}", "args": [[1]]},
    {"op": "format", "fmt": "{:5}|{:<5}|{:^5}|{:>5}", "args": [True, "ab", 1.5, "c"]},
    {"op": "format", "fmt": "{:99999999999999999999}", "args": [1]},
    {"op": "format", "fmt": "{:.}", "args": [1.0]},
    {"op": "format", "fmt": "{:5.2fx}", "args": [1.0]},
    {"op": "format", "fmt": "{:,_}", "args": [1]},
    {"op": "format", "fmt": "{:_,}", "args": [1]},
    {"op": "format", "fmt": "{:é^9}|{:🙂<3}|", "args": ["x", "y"]},
    {"op": "format", "fmt": "{:.2}", "args": ["héllo"]},
    {"op": "format", "fmt": "{:05}", "args": ["ab"]},
    {"op": "format", "fmt": "{:0>5}", "args": ["ab"]},
    {"op": "format", "fmt": "{:d}", "args": [1.0]},
    {"op": "format", "fmt": "{:c}", "args": [1114112]},
    {"op": "format", "fmt": "{:%}", "args": [True]},
    {"op": "format", "fmt": "{:,}", "args": [-1234567.891]},
    {"op": "format", "fmt": "{:010,.1f}", "args": [-1234.5]},
    {"op": "format", "fmt": "{:0=12,}", "args": [1234]},
    {"op": "format", "fmt": "{:_o}|{:_b}|{:#_x}", "args": [123456, 255, 1000000]},
    {"op": "format", "fmt": "{:,x}", "args": [255]},
    {"op": "format", "fmt": "{:,n}", "args": [255]},
    {"op": "format", "fmt": "{:.3}|{:.3}|{:#.3}|{:.0}", "args": [100.0, 1.0, 1.0, 2.5]},
    {"op": "format", "fmt": "{:.1}|{:g}|{:.3g}|{:#g}", "args": [1e20, 1e-5, 0.0001234, 2.0]},
    {"op": "format", "fmt": "{:z.1f}|{:z}|{:zf}", "args": [-0.01, -0.0, -0.0]},
]


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "data", "core",
                       "string_format.jsonl")
    n = 0
    with open(out, "w") as f:
        for case in WRITTEN + list(matrix()):
            case = run(case)
            # JSON has no inf/nan: such a value is written as a string the test reads back
            for key in ("value",):
                if isinstance(case.get(key), float) and (case[key] != case[key] or case[key] in (float("inf"), float("-inf"))):
                    case[key] = {"float": repr(case[key])}
            if "args" in case and isinstance(case["args"], list):
                case["args"] = [{"float": repr(a)} if isinstance(a, float) and (a != a or abs(a) == float("inf")) else a
                                for a in case["args"]]
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
            n += 1
    print("wrote %d cases to %s" % (n, os.path.normpath(out)))


if __name__ == "__main__":
    main()
