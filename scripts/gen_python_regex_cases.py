#!/usr/bin/env python3
"""Freezes what Python's re.compile says about patterns (the error text, or
null when it compiles) into test/data/core/python_regex_errors.json, read by
test/unit/core/python_regex_syntax_test.cpp. Mistral compiles YAQL's regex
patterns with Python's re, so these are the messages a workflow author sees
there. Run with the Python Mistral runs on (Debian 12: 3.11)."""
import json
import re
import sys
import warnings
from pathlib import Path

PATTERNS = [
    # groups and balance
    "(", "((a", "(a(b", ")", "a)", "()", "()*", "(?:)*", "(a|b", "a|b)", "(?:a", "a\nb(", "é(",
    # repeats
    "*a", "a**", "a{3}*", "a*?*", "a*+*", "a{2}?", "a++", "a{1,2}?+", "a**?", "|*", "(*)", "(?:*)", "x|+",
    "^*", "$*", "\\b*", "(?=a)*", "(?i)*", "a{2,1}", "a{,2}", "a{1,}", "a{}", "a{1,2", "x{,", "a{,}", "{", "a{x}",
    "a{99999999999}",
    # sets
    "[a", "[]", "[^]", "[]a]", "[^]a]", "[a-]", "[-a]", "[z-a]", "[b-a]", "[a-\\d]", "[\\d-z]", "[\\A]", "[\\b]",
    "[\\8]", "[\\q]", "[a-z0-9_]", "[\\]]", "[\\\\]", "[\\x41-\\x5a]", "[\\u00e9]", "[é-ü]", "[ü-é]",
    # escapes
    "\\", "a\\", "a\\q", "\\p{L}", "\\x4", "\\x4g", "\\x41", "\\u12", "\\u00e9", "\\U00110000", "\\U0001F600",
    "\\N", "\\N{", "\\N{LATIN SMALL LETTER A", "\\8", "\\08", "\\0", "\\400", "\\377", "\\1", "(a)\\1",
    "(a)\\2", "(a\\1)", "\\d\\D\\s\\S\\w\\W", "\\A\\Z\\b\\B", "\\.\\*\\-\\ ", "\\a\\f\\n\\r\\t\\v",
    # names and extensions
    "(?P<1>a)", "(?P<a>x)(?P<a>y)", "(?P=b)", "(?P<a>x)(?P=a", "(?P=a)(?P<a>x)", "(a(?P=x))", "(?P<a-b>x)",
    "(?P<a>x", "(?P<ab", "(?P", "(?Px)", "(?<a>x)", "(?P<é>a)", "(?P<1a>x)", "(?P<a>b)\\1*", "(?P<>a)",
    "(?P<a>x)(?P=a)", "(?", "(?z)", "(?#abc", "(?#abc)", "a(?#x)*", "(?>a)", "(?=a)", "(?!a)",
    "(?(1)a|b)", "(?(x)a)", "(a)(?(1)a|b|c)", "(?(0)a)", "(a)(?(2)a)", "(?(1a)a)", "(a)(?(1)b)", "(?P<n>a)(?(n)b|c)",
    # flags
    "(?i)(?m)a", "(?i)a(?m)b", "a(?i)", "(?iz)", "(?i", "(?-)", "(?i-:a)", "(?-i:a)", "(?i-i:a)", "(?a)", "(?L)",
    "(?u)", "(?x) a # c", "(?x)[ ]#", "(?x) ( a", "(?x)\\ ", "(?i:a)", "(?-a:b)", "(?s-m:x)",
    # look-behind width
    "(?<=a+)b", "(?<=ab|c)", "(?<=a|b)", "(?<=a{2})", "(?<=a{1,2})", "(?<!a*)", "(?<=\\b)a", "(?<=(?P<a>ab))(?<=(?P=a))",
    "(?<=a(?=b))", "(?<=[ab]c)", "(?<=\\d{3})",
    # ordinary patterns
    "^[a-z]+@[a-z]+\\.com$", "(\\d+)-(\\d+)", "a.b|c*d?", "(?P<year>\\d{4})-(?P<month>\\d\\d)", "",
]


def main():
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for p in PATTERNS:
            try:
                re.compile(p)
                error = None
            except re.error as e:
                error = str(e)
            except OverflowError as e:
                error = str(e)
            out.append({"pattern": p, "error": error})
    path = Path(__file__).resolve().parent.parent / "test/data/core/python_regex_errors.json"
    path.write_text(json.dumps({"python": sys.version.split()[0], "cases": out}, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(out)} patterns written to {path}")


if __name__ == "__main__":
    main()
