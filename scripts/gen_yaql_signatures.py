#!/usr/bin/python3
"""Writes src/expr/yaql/signature_table.cpp: every overload of every function
the real Mistral's yaql context holds (yaql 2.0's standard library as
Mistral configures it, plus Mistral's own functions: json_pp, task, env...),
read from the registered FunctionDefinitions, not from their source text.

For each overload: its name, whether it is called as a function, a method
or both (@specs.method / @specs.extension_method), whether mapping
arguments stay positional (@specs.no_kwargs), and its parameters as yaql
matches them once the hidden ones (context, engine, delegates, injected
values) are taken out: the name a keyword argument uses (the camelCase
alias), the position, the type check yaql applies (yaqltypes: String,
Integer, Iterable, Lambda ...), whether null passes, whether it has a
default, and the `*args` / `**kwargs` catch-alls.

src/expr/yaql/signatures.cpp matches calls against the table the way
yaql's runner does (runner.choose_overload, FunctionDefinition.map_args).

Run with Debian's /usr/bin/python3 (python3-yaql, python3-mistral):
  scripts/gen_yaql_signatures.py
"""
import collections.abc
import datetime
import os
import re
import warnings

warnings.filterwarnings("ignore")

import yaql  # noqa: E402
from yaql.language import specs, utils, yaqltypes  # noqa: E402
import mistral.expressions.yaql_expression as mistral_yaql  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "expr", "yaql", "signature_table.cpp")


def python_type_kind(t):
    """The ParamType of a yaqltypes.PythonType (or a subclass of it)."""
    # The specific smart types first: they subclass PythonType.
    if isinstance(t, yaqltypes.String):
        return "String"
    if isinstance(t, yaqltypes.Integer):
        return "Integer"
    if isinstance(t, yaqltypes.Number):
        return "Number"
    if isinstance(t, yaqltypes.DateTime):
        return "DateTime"
    if isinstance(t, yaqltypes.Iterator):
        return "Iterator"
    if isinstance(t, yaqltypes.Iterable):
        return "Iterable"
    if isinstance(t, yaqltypes.Sequence):
        return "Sequence"
    pt = t.python_type
    if isinstance(pt, tuple):
        raise SystemExit("unexpected tuple type %r" % (pt,))
    known = {
        object: "Any", str: "String", bool: "Bool", type(None): "None",
        collections.abc.Mapping: "Mapping", collections.abc.Set: "Set",
        datetime.datetime: "DateTime", datetime.timedelta: "TimeSpan",
        re.Pattern: "Regex", collections.abc.Iterator: "Iterator",
        utils.MappingRule: "MappingRuleValue",
    }
    if pt is int:
        # Python's bool is an int: PythonType(int) takes true and false,
        # yaqltypes.Integer (above) does not.
        return "Int"
    if pt in known:
        return known[pt]
    name = pt.__name__
    if name == "OrderingIterable":
        return "OrderingIterable"
    if name == "ContextBase":
        return "ContextObject"
    raise SystemExit("unexpected python type %r" % (pt,))


def kind_of(t):
    if isinstance(t, yaqltypes.Lambda):
        return "MethodLambda" if t.method else "Lambda"
    if isinstance(t, yaqltypes.MappingRule):
        return "MappingRule"
    if isinstance(t, yaqltypes.Keyword):
        return "Keyword"
    if isinstance(t, yaqltypes.StringConstant):
        return "StringConstant"
    if isinstance(t, yaqltypes.YaqlExpression):
        return "Expression"
    if type(t).__name__ == "Yaqlized":
        return "Yaqlized"
    if isinstance(t, yaqltypes.PythonType):
        return python_type_kind(t)
    raise SystemExit("unexpected yaql type %r" % (t,))


def overloads():
    """(level, name, FunctionDefinition): level 0 is Mistral's own
    functions, 1 yaql's standard library, 2 the root context."""
    ctx = mistral_yaql.get_yaql_context({})
    level = -1
    while ctx is not None:
        functions = getattr(ctx, "_functions", {})
        if functions:
            level += 1
        for name in sorted(functions):
            for fd in functions[name]:
                yield level, name, fd
        ctx = ctx.parent


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    rows = []
    params = []
    for level, name, fd in overloads():
        fd = fd.strip_hidden_parameters()
        first = len(params)
        ordered = sorted(fd.parameters.items(),
                         key=lambda kv: (kv[0] == "**", kv[1].position is None,
                                         kv[1].position if kv[1].position is not None else 0))
        for key, p in ordered:
            t = p.value_type
            kind = kind_of(t)
            nullable = bool(getattr(t, "nullable", False))
            if key == "*":
                role = "Varargs"
            elif key == "**":
                role = "Varkw"
            elif p.position is None:
                role = "KeywordOnly"
            else:
                role = "Positional"
            has_default = p.default is not specs.NO_DEFAULT
            params.append("  {%s, ParamType::%s, ParamRole::%s, %s, %s}," % (
                c_string(p.alias or p.name), kind, role, "true" if nullable else "false",
                "true" if has_default else "false"))
        form = ("FunctionOrMethod" if fd.is_function and fd.is_method
                else "Method" if fd.is_method else "Function")
        # The call's shape at a glance (the check of a call without
        # keywords needs nothing else): positional parameters, how many of
        # them have no default, *args, **kwargs, keyword-only ones without
        # a default.
        positional = [p for k, p in ordered if k not in ("*", "**") and p.position is not None]
        required = [p for p in positional if p.default is specs.NO_DEFAULT]
        keyword_only_required = [p for k, p in ordered if k not in ("*", "**") and p.position is None
                                 and p.default is specs.NO_DEFAULT]
        if positional[:len(required)] != required:
            raise SystemExit("%s: a parameter without a default after one with" % name)
        rows.append("  {%s, %d, CallForm::%s, %s, %d, %d, %d, %d, %s, %s, %s}," % (
            c_string(name), level, form, "true" if fd.no_kwargs else "false", first, len(params) - first,
            len(positional), len(required), "true" if "*" in fd.parameters else "false",
            "true" if "**" in fd.parameters else "false", "true" if keyword_only_required else "false"))
    rows.sort(key=lambda r: r.split(",")[0])  # by name (stable: overload order kept)
    with open(OUT, "w") as f:
        f.write("// GENERATED by scripts/gen_yaql_signatures.py from yaql %s as Mistral %s configures it\n"
                "// (its registered FunctionDefinitions, hidden parameters taken out). Do not edit:\n"
                "// re-run the script with Debian's /usr/bin/python3.\n" % (yaql.__version__, mistral_version()))
        f.write('#include "signatures.h"\n\nnamespace bora::expr::yaql {\n\n')
        f.write("const SignatureParameter kSignatureParameters[] = {\n%s\n};\n\n" % "\n".join(params))
        f.write("// Sorted by name; a name's overloads in yaql's order.\n")
        f.write("const SignatureOverload kSignatureOverloads[] = {\n%s\n};\n\n" % "\n".join(rows))
        f.write("const size_t kSignatureOverloadCount = %d;\n\n}  // namespace bora::expr::yaql\n" % len(rows))
    print("wrote %d overloads, %d parameters to %s" % (len(rows), len(params), os.path.normpath(OUT)))


def mistral_version():
    try:
        from importlib import metadata
        return metadata.version("mistral")
    except Exception:
        return "15"


if __name__ == "__main__":
    main()
