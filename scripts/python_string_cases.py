"""The string sections of gen_jinja_cases.py and gen_yaql_cases.py:
Python's %-formatting, str.format and its mini-language, Unicode case
mapping and classification, and string literal escapes, each written the
way a template writes it. Frozen (from the real Mistral) into
test/data/expr/<kind>/strings.jsonl, errors compared word for word."""
import itertools

# A width of 10**9 is not here: Python builds the gigabyte, Bora's budget
# refuses it (test/data/expr/budget/hostile.jsonl).

PCT_CONVS = "dioxXeEfFgGcrsa"
PCT_FLAGS = ["", "-", "+", " ", "#", "0"]
PCT_SIZES = ["", "8.3"]
SPECS = ["", ">8", "<8", "^8", "*^9", "=+8", "08.2f", "+.3e", ",", "_x", "#b", "#o", "#X", ".1%", "g", ".3", ".2s",
         "c", "n", "z.1f", ",.2f", "x>6", "-", " "]
# Texts whose case and classes differ from ASCII's: special casings that
# change length, title-case digraphs, final sigma, digits and numerals of
# other scripts, non-ASCII spaces.
TEXTS = ["ß", "Straße", "ǆ", "ǅungla", "ﬁre", "ΑΣ ΟΔΟΣ", "aΣb", "Σ", "İstanbul", "héllo wörld", "HÉLLO", "١٢٣", "½",
         "²", "Ⅻ", "\u00a0\u2003", "ａｂｃ", "ŉ", "ΐ", "ꭰ", "ᾳ", "Ǳ ǲ ǳ", "ﬀ", "they're bill's", "x1y", "123", "",
         "Hello World", "hello-world (x)", "ǈ", "ɐ", "ꞵ", "𐐨"]
STR_METHODS = ["upper", "lower", "title", "capitalize", "swapcase", "casefold", "isalpha", "isdigit", "isdecimal",
               "isnumeric", "isalnum", "isupper", "islower", "isspace", "istitle"]
JINJA_VALUES = ["42", "-7", "2.5", "-0.001", "'ab'", "true", "none", "[1, 2]"]
YAQL_VALUES = ["42", "-7", "2.5", "-0.001", "'héllo'", "true", "null", "[1, 2]", "{a => 1}"]
ESCAPES = [r"\u00e9", r"\x41", r"a\nb", r"\t|", r"\N{BULLET}", r"\N{LATIN SMALL LETTER E WITH ACUTE}", r"\101",
           r"\777", r"\0", r"\q", r"\\", r"\'", r"\"", r"\U0001F600", r"\a\b\f\v\r", r"\xZZ", r"\u00",
           r"\U00110000", r"\N{NO SUCH NAME}", r"\N{bullet}", r"\x4", r"\8",
           # formal aliases (NameAliases.txt): an abbreviation, a correction, a control
           r"\N{NBSP}", r"\N{LATIN CAPITAL LETTER GHA}", r"\N{line feed}", r"\N{ZWJ}"]


def quote(text, q="'"):
    return q + text.replace("\\", "\\\\").replace(q, "\\" + q) + q


def jinja_escape_cases():
    """Jinja's escapes: a malformed one is a TemplateSyntaxError, which
    Bora words with its own position, so these are compared loosely
    (frozen as generated cases: an error only has to be an error)."""
    out = []
    for e in ESCAPES:
        out.append("{{ '%s' }}" % e.replace("'", "\\'") if e not in (r"\'",) else "{{ '\\'' }}")
        out.append('{{ "%s" }}' % e if e != r"\"" else '{{ "\\"" }}')
    out += [r"{{ '\é' }}", r"{{ 'a\
b' }}", r"{{ 'tab\there' | length }}", r"{{ '\u00e9' == 'é' }}"]
    return out


def jinja_cases():
    out = []
    for conv, flag, size in itertools.product(PCT_CONVS, PCT_FLAGS, PCT_SIZES):
        for v in JINJA_VALUES:
            out.append("{{ '<%%%s%s%s>' %% %s }}" % (flag, size, conv, v))
    out += [
        "{{ '%s-%05.2f' % ('a', 2.5) }}", "{{ '%s' % (1, 2) }}", "{{ '%s' % [1, 2] }}", "{{ '%s %s' % [1, 2] }}",
        "{{ '%s %s' % (1,) }}", "{{ 'x' % (1,) }}", "{{ 'x' % [1] }}", "{{ 'x' % 1 }}", "{{ '%s' % () }}",
        "{{ '%(a)s and %(b)r' % {'a': 1, 'b': 'x'} }}", "{{ '%(a)s' % {'b': 1} }}", "{{ '%(a)s' % (1,) }}",
        "{{ '%(a' % {'a': 1} }}", "{{ '%' % () }}", "{{ '%5' % 1 }}", "{{ '%q' % 1 }}", "{{ '100%% %d' % 3 }}",
        "{{ '%*d|%-*d|' % (5, 1, 4, 2) }}", "{{ '%.*f' % (2, 3.14159) }}", "{{ '%*d' % ('a', 1) }}",
        "{{ '%c%c' % (72, 'i') }}", "{{ '%c' % 'ab' }}", "{{ '%d' % 'x' }}", "{{ '%x' % 2.5 }}", "{{ '%f' % 'x' }}",
        "{{ '%s' % _.d }}", "{{ '%(x)s-%(list)s' % _.d }}", "{{ '%r' % _.words }}", "{{ '%d items' % (_.l | length) }}",
        "{{ '%s' | format(_.l) }}", "{{ '%s %s' | format(1, 2) }}", "{{ '%s' | format(1, 2) }}",
        "{{ '%(a)s-%(b)s' | format(a=1, b='z') }}", "{{ '%s' | format(a=1) }}", "{{ 'x' | format }}",
        "{{ '%s' | format }}", "{{ '%s' | format(1, a=2) }}", "{{ '%5.1f%%' | format(99.44) }}",
        "{{ '%-6s|%6s' | format('ab', 'cd') }}", "{{ '%r' | format('é') }}", "{{ '%a' | format('é') }}",
        "{{ '%x' % 10**9 }}",
    ]
    for spec in SPECS:
        for v in JINJA_VALUES:
            out.append("{{ '{:%s}'.format(%s) }}" % (spec, v))
    for conv in "rsa":
        for v in JINJA_VALUES + ["'é'"]:
            out.append("{{ '{!%s:>10}'.format(%s) }}" % (conv, v))
    out += [
        "{{ '{} {}'.format(1, 2) }}", "{{ '{0} {1} {0}'.format('a', 'b') }}", "{{ '{name}: {0}'.format(1, name='n') }}",
        "{{ '{}'.format() }}", "{{ '{2}'.format(1) }}", "{{ '{x}'.format() }}", "{{ '{0}{}'.format(1, 2) }}",
        "{{ '{}{0}'.format(1, 2) }}", "{{ '{0[x]} {0[list][1]}'.format(_.d) }}", "{{ '{0.x} {0.y.z}'.format(_.d) }}",
        "{{ '{0.nope}'.format(_.d) }}", "{{ '{0[nope]}'.format(_.d) }}", "{{ '{0[1]}'.format(_.words) }}",
        "{{ '{0[7]}'.format(_.words) }}", "{{ '{0.real}|{0.imag}'.format(3) }}", "{{ '{0._x}'.format(3) }}",
        "{{ '{0[0]}'.format('xyz') }}", "{{ '{p[name]} is {p[age]}'.format(p=_.people[0]) }}",
        "{{ '{:{}}|'.format('a', 5) }}", "{{ '{:{w}.{p}f}'.format(3.14159, w=9, p=2) }}", "{{ '{0:{1:{2}}}'.format(1, 2, 3) }}",
        "{{ '{{}} {{0}} {}}}'.format(1) }}", "{{ '{{{0}}}'.format(1) }}", "{{ '}'.format() }}", "{{ '{'.format() }}",
        "{{ '{0'.format(1) }}", "{{ '{0!x}'.format(1) }}", "{{ '{0!'.format(1) }}", "{{ '{0!rr}'.format(1) }}",
        "{{ '{:>4}'.format(none) }}", "{{ '{:x}'.format([1]) }}", "{{ '{:5.2fx}'.format(1.0) }}", "{{ '{:,_}'.format(1) }}",
        "{{ '{:d}'.format(1.5) }}", "{{ '{:s}'.format(1) }}", "{{ '{:=5}'.format('a') }}", "{{ '{:+}'.format('a') }}",
        "{{ '{:c}'.format(1114112) }}", "{{ '{:,x}'.format(255) }}", "{{ '{:.2}'.format(12) }}",
        "{{ '{:é^9}'.format('x') }}", "{{ '{:.2}'.format('héllo') }}",
        "{{ '{}'.format(_.d) }}", "{{ '{}'.format(_.l) }}", "{{ '{}|{}'.format(true, 1.0) }}",
        # repr() escapes what is not printable: controls, format characters, separators
        r"{{ '%r' % '\u200b\u3000\x85\ufeff\U000e0001\ue000 é\x7f' }}", r"{{ '{!r}'.format(['\u2028', '\xad']) }}",
        r"{{ '{!a}'.format('\u200b😀') }}",
        "{{ '{x}-{y[z]}'.format_map(_.d) }}", "{{ '{nope}'.format_map(_.d) }}", "{{ '{0}'.format_map(_.d) }}",
        "{{ '{}'.format_map(_.d, 1) }}",
        # Python's whitespace is Unicode's: split() and strip() without arguments
        "{{ '\u3000a\u00a0b\u2003 c\u0085'.split() }}", "{{ '\u3000a\u00a0b\u2003 c\u0085'.rsplit(none, 1) }}",
        "{{ '\u3000 ab\u00a0'.strip() }}|{{ '\u3000 ab\u00a0'.lstrip() }}|{{ '\u3000 ab\u00a0'.rstrip() }}",
        "{{ 'éaéxé'.strip('é') }}", "{{ 'xyhixy'.strip('yx') }}", "{{ '\u3000a b'.split(none, 1) }}",
    ]
    for t in TEXTS:
        for m in STR_METHODS:
            out.append("{{ %s.%s() }}" % (quote(t), m))
        for f in ["upper", "lower", "title", "capitalize"]:
            out.append("{{ %s | %s }}" % (quote(t), f))
    return out


def yaql_cases():
    out = []
    for spec in SPECS:
        for v in YAQL_VALUES:
            out.append("'{0:%s}'.format(%s)" % (spec, v))
    for conv in "rsa":
        for v in YAQL_VALUES + ["'é'", "set(1)"]:
            out.append("'{0!%s:>10}'.format(%s)" % (conv, v))
    out += [
        "'{} {}'.format(1, 2)", "'{0} {1} {0}'.format(a, b)", "format('{0}-{1}', 1, 2)", "format('{x}', x => 1)",
        "'{name}: {0}'.format(1, name => 'n')", "'{}'.format()", "'{2}'.format(1)", "'{x}'.format()",
        "'{0}{}'.format(1, 2)", "'{}{0}'.format(1, 2)", "'{0[x]} {0[list][1]}'.format($.d)", "'{0.x}'.format($.d)",
        "'{0[nope]}'.format($.d)", "'{0[1]}'.format($.words)", "'{0[7]}'.format($.words)", "'{0[a]}'.format($.words)",
        "'{0.real}|{0.imag}'.format(3)", "'{0[0]}'.format('xyz')", "'{:{}}|'.format('a', 5)",
        "'{0:{1:{2}}}'.format(1, 2, 3)", "'}'.format()", "'{'.format()",
        "'{0!x}'.format(1)", "'{:>4}'.format(null)", "'{:5.2fx}'.format(1.0)", "'{:d}'.format(1.5)",
        "'{:c}'.format(1114112)", "'{:,x}'.format(255)", "'{:.2}'.format(12)", "'{:é^9}'.format('x')",
        "'{}'.format($.d)", "'{}'.format($.l)", "'{}|{}'.format(true, 1.0)",
        "'{}'.format(set(1, 2).len())", "'{0:>9}|'.format(str($.l))",
        r"'{0!r}'.format('\u200b\u3000\x85\ufeff\U000e0001\ue000 é')", r"'{0}'.format(['\u2028', '\xad'])",
        r"'\u3000a\u00a0b\u2003 c\u0085'.split()", r"'\u3000 ab\u00a0'.trim()", r"'\u3000 ab\u00a0'.trimLeft()",
        r"'\u3000 ab\u00a0'.trimRight()", r"'éaéxé'.trim('é')", r"'\u3000a b c'.split(maxSplits => 1)",
        r"norm('\u3000 \u00a0')",
    ]
    for t in TEXTS:
        for f in ["toUpper", "toLower"]:
            out.append("%s.%s()" % (quote(t), f))
    for e in ESCAPES:
        out.append("'%s'" % e.replace("'", "\\'") if e != r"\'" else "'\\''")
        out.append('"%s"' % e if e != r"\"" else '"\\""')
    out += [r"'\é'", r"'\u00e9' = 'é'", r"len('\U0001F600')"]
    return out
