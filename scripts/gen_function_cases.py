#!/usr/bin/python3
"""Freezes what the real Mistral (python3-mistral 15) answers for whole
expression strings that use Mistral's own functions (json_dump, json_pp,
yaml_dump, yaml_parse) and the yaql behaviours production workbooks lean on
(collection attribution `$.servers.name`, list() unpacking iterators), into
test/data/expr/functions/cases.jsonl: {"text", "context", "result"|"error"}.
Checked by test/unit/expr/facade/function_cases_test.cpp through Bora's
MistralExpressions. Run with Debian's /usr/bin/python3."""
import warnings

warnings.filterwarnings("ignore")
from frozen_cases import freeze  # noqa: E402

CTX = {
    "servers": [{"name": "web", "ip": {"v4": "10.0.0.1"}, "tags": ["a"]},
                {"name": "db", "ip": {"v4": "10.0.0.2"}, "tags": []}],
    "listing": {"items": [{"name": "x"}, {"name": "y"}]},
    "nested": [[{"a": 1}], [{"a": 2}, {"a": 3}]],
    "mixed": [{"name": "a"}, {"other": 1}],
    "empty": [],
    "l": [3, 1, 2],
    "d": {"z": 1, "a": {"y": [1, {"b": 2}]}, "m": "multi\nline"},
    "s": "text with\nnewline and \"quotes\" and \u00e9",
    # Text PyYAML's resolver would read back as another type (a date, an
    # int, a float, a bool, null, the merge and value keys), which
    # safe_dump quotes, and text it keeps plain ('._', '0o17', '1e3', 'y').
    "yq": ["2024-02-29", "2024-02-29T12:30:00", "2001-12-14 21:59:43.10 -5",
           "2001-12-14t21:59:43.10-05:00", "2024-01-01 10:00:00 Z", "2002-1-1",
           "2024-1-1 1:00:00", "0x1A", "0o17", "017", "1_000", "0b101", "1:20",
           "-1:20", "190:20:30", "1:20:30.5", ".5", "._", "1e3", "1.0e+3", ".inf",
           "-.inf", ".NaN", "+.nan", "Yes", "off", "y", "n", "~", "", "<<", "=",
           "---", "...", "...a", "- a", "a #b", "a:", ":a"],
    # Keys PyYAML cannot write as `key:` (empty, multiline, 128 characters
    # with their tag): `? key` and `: value` lines.
    "yk": {"": [1, {"b": 2}], "a\nb": {"c": ""}, "k" * 123: 1, "k" * 122: 2,
           "word " * 30: "v"},
}

TEXTS = r"""
<% $.servers.name %>
<% $.servers.ip.v4 %>
<% $.servers.tags %>
<% [$.listing][0].items.name %>
<% $.nested.a %>
<% $.empty.name %>
<% $.mixed.name %>
<% $.servers.where($.name = 'db').ip.v4 %>
<% $.servers.name.len() %>
<% $.servers?.name %>
<% $.l.x %>
<% range(2).x %>
<% list(range(0, 3)) %>
<% list(range(3), range(2)) %>
<% list([1], [2]) %>
<% list(1, [2, 3]) %>
<% list($.l.select($ * 2)) %>
<% list($.l.where($ > 1)) %>
<% list($.l.skip(1)) %>
<% list($.l.take(2)) %>
<% list($.l.distinct()) %>
<% list($.l.reverse()) %>
<% list($.l.concat([4])) %>
<% list($.l.orderBy($)) %>
<% list($.l.toList()) %>
<% list($.l.zip([1, 2, 3])) %>
<% list($.l.enumerate()) %>
<% list($.l.append(9)) %>
<% list($.l.slice(2)) %>
<% list($.l.groupBy($)) %>
<% list($.l) %>
<% list() %>
<% json_dump($.d) %>
<% json_dump($.s) %>
<% json_dump($.servers) %>
<% json_pp($.d) %>
<% json_pp($.s) %>
<% json_pp($.servers) %>
<% json_pp([1, [2, []], {}]) %>
<% json_pp(0) %>
{{ json_dump([{}] | map(attribute='a') | list) }}
{{ [{}] | map(attribute='a') | list | json_dump }}
{{ json_dump(_.d | dictsort) }}
<% json_parse('[1]')[5] %>
<% json_parse([1]) %>
<% json_parse({a => 1}) %>
{{ json_parse([1]) }}
<% yaml_parse(1) %>
<% yaml_parse(null) %>
<% yaml_parse([1]) %>
<% yaml_parse({a => 1}) %>
<% yaml_parse(1.5) %>
{{ yaml_parse([1]) }}
{{ yaml_parse({'a': 1}) }}
{{ yaml_parse(true) }}
<% json_parse('abc') %>
<% json_parse('') %>
<% json_parse('[1,') %>
<% json_parse('{"a" 1}') %>
<% json_parse('{a: 1}') %>
<% json_parse('[1] x') %>
<% json_parse('"abc') %>
<% json_parse('[1 2]') %>
<% json_parse('{"a": 1,}') %>
<% json_parse('[1,]') %>
<% json_parse('"a\\qb"') %>
<% json_parse('  \n  x') %>
<% json_parse(1) %>
<% json_parse(null) %>
<% json_parse('{"a":1} ') %>
<% json_parse('tru') %>
<% json_parse('-') %>
<% json_parse('01') %>
<% json_parse('[1.]') %>
{{ json_parse('{"a" 1}') }}
{{ 'x' | json_parse }}
{{ json_parse('[1,\n 2,\n x]') }}
<% json_parse('"\u00e9" x') %>
<% yaml_parse('[1, 2]')[-3] %>
<% json_parse('[1]')[0] %>
{{ json_pp((1, (2,))) }}
{{ yaml_dump({'a': (1,)}) }}
{{ yaml_dump(_.d.items() | list) }}
{{ (_.d | dictsort) | json_dump }}
<% yaml_dump(set(1, 2)) %>
<% yaml_dump(set()) %>
<% json_pp('') %>
<% json_pp([]) %>
<% json_pp(null) %>
<% json_pp() %>
{{ 1 | json_pp }}
{{ _.d | json_pp }}
{{ 1 | json_pp(0) }}
{{ 1 | json_pp([2]) }}
{{ json_pp([]) is string }}
{{ 'json_dump' is filter }}{{ 'task' is filter }}
<% yaml_dump($.d) %>
<% yaml_dump($.servers) %>
<% yaml_dump($.s) %>
<% yaml_dump('plain') %>
<% yaml_dump('on') %>
<% yaml_dump('yes') %>
<% yaml_dump('123') %>
<% yaml_dump('') %>
<% yaml_dump(null) %>
<% yaml_dump(1.5) %>
<% yaml_dump(true) %>
<% yaml_dump([]) %>
<% yaml_dump({}) %>
<% yaml_dump({a => 'a very long string that goes past eighty characters for sure, yes indeed it does go past it, twice over'}) %>
<% yaml_dump('a very long plain string at the root that goes past eighty characters for sure, yes indeed') %>
<% yaml_dump({'k: v' => '#x', 'n' => 'null', 't' => 'True', 'dash' => '- x', 'e' => 'é'}) %>
<% yaml_dump($.yq) %>
{{ yaml_dump(_.yq) }}
<% yaml_dump(dict($.yq.select([$, $]))) %>
{% for s in _.yq %}{{ yaml_dump({s: s}) }}{% endfor %}
<% $.yq.select(yaml_dump($)) %>
{% for s in _.yq %}{{ yaml_dump(s) }}|{% endfor %}
<% yaml_dump($.yk) %>
{{ yaml_dump([_.yk]) }}
<% yaml_dump({'' => ''}) %>
<% yaml_dump([1, 2, 3].repeat(2)) %>
<% str([json_parse('{"a": 1}').keys()]) %>
<% yaml_dump([1, 2].memorize()) %>
<% json_dump(range(3).memorize()) %>
<% json_dump([1].slice(-1)).startsWith('"<generator object slice_') %>
<% json_dump([1, 2].splitWhere(1 / 0)).startsWith('"<generator object split_where at 0x') %>
<% json_pp([1, 2].splitWhere(1 / 0)).startsWith('"<generator object split_where at 0x') %>
<% json_pp([1, 2].splitWhere($ > 1)).startsWith('"<generator object split_where at 0x') %>
<% json_pp([[1, 2].distinct()]).indexOf('"<generator object distinct at 0x') > 0 %>
<% json_dump([1, 2].select(1 / 0)) %>
<% json_pp($.l.select($)) %>
<% yaml_parse('[._, .5, 1e3, 0o17]') %>
<% yaml_parse('a: yes') %>
<% yaml_parse('a: on') %>
<% yaml_parse('a: 010') %>
<% yaml_parse('a: 1e3') %>
<% yaml_parse('a: ~') %>
<% yaml_parse('[1, two, {3: 4}]') %>
{{ json_dump(_.d) }}
{{ yaml_dump(_.servers) }}
{{ yaml_dump({none: 1}) }}
{{ yaml_dump({none: 1, 'a': 2}) }}
{{ yaml_dump({'b': 1, 2: 2, 'a': 3}) }}
{{ yaml_dump({1: 'x', 2.5: 'y', true: 3}) }}
{{ yaml_dump({2: 'x', 1: 'y'}) }}
{{ yaml_dump({'b': {false: 1}, 'a': [{3: none}]}) }}
{{ yaml_dump({12345678901234567890: 1, 0.5: 2}) }}
{{ yaml_dump({1e20: 1, -0.5: 2}) }}
{{ yaml_dump({'a': 1e20, 'b': 1e-7, 'c': 2.5}) }}
{{ yaml_dump({'1': 1, 'null': 2}) }}
<% yaml_dump({1 => x, null => 2}) %>
<% yaml_dump({'b' => [1, {2 => 3}], a => 1}) %>
{{ _.servers | map(attribute='name') | list }}
<% yaml_dump([pow(2, 100)]) %>
<% json_dump({a => pow(2, 100)}) %>
<% json_pp([-pow(2, 70), 1.5]) %>
<% yaml_parse('a: 123456789012345678901234') %>
<% yaml_parse('[0x1_0000_0000_0000_0000, -0b1_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000_0000, 100_000_000_000_000_000_000:00, 0777777777777777777777777]') %>
<% json_parse('[123456789012345678901234, -9223372036854775809]') %>
{{ json_parse('[123456789012345678901234]') }}
<% str([pow(2, 70), 1.5]) %>
{{ [2 ** 70] | tojson }}
<% {pow(2, 70) => 1} %>
{{ {2 ** 70: 1} }}
big: <% pow(2, 70) %>, {{ -(2 ** 70) }}
<% json_dump(1, 2) %>
<% json_dump(data => 1) %>
<% json_dump(1, data => 2) %>
<% json_dump() %>
<% $.servers.json_dump() %>
<% json_pp(1, 2) %>
<% json_pp(data => $.l) %>
<% yaml_dump() %>
<% yaml_dump(1, 2) %>
<% yaml_parse('a: 1', 2) %>
<% json_parse('1', 2) %>
<% json_parse(data => '[1]') %>
<% 'x'.json_parse() %>
{{ 1 | json_dump(3, true) }}
{{ 1 | json_pp(3, true) }}
{{ 1 | yaml_dump(3, true) }}
{{ 1 | json_dump(nope=1) }}
{{ 1 | json_pp(attribute='k') }}
{{ json_dump(1, 2) }}
{{ json_dump() }}
{{ json_dump(data='[2]') }}
{{ json_dump(1, data=2) }}
{{ '[1]' | json_parse(data='2') }}
{{ '[1]' | yaml_dump(data='2') }}
{{ json_parse(context=1) }}
{{ yaml_parse('a: 1', 2) }}
{{ yaml_parse() }}
{{ uuid(1, 2) }}
{{ 1 | uuid(2) }}
{{ 1 | global(2, 3) }}
{{ global() }}
{{ env(1) }}
{{ 1 | execution(2) }}
{{ task('a', 'b') }}
{{ tasks(1, 2, 3, 4, 5) }}
{{ executions(1, 2, 3, 4, 5, 6) }}
{{ task(nope=1) }}
{{ task('a', task_name='b') }}
{{ 1 | tasks(nope=2) }}
"""

# What Mistral's functions return is Python's data, which yaql does not
# convert: its lists print as lists, are not equal to yaql's tuples and,
# like its dicts, cannot be hashed.
TEXTS += "\n".join("<% " + e + " %>" for e in r"""
str(json_parse('[1,[2,3],{"a":[4]}]'))
str(yaml_parse('[1, 2]'))
str(json_parse('{"a":[1]}').a)
str(json_parse('[1]').toList())
str(json_parse('[1]') * 2)
str(let(x => json_parse('[1]')) -> [$x, $x])
json_parse('[1]') = [1]
json_parse('[1]') = json_parse('[1]')
json_parse('[1]') = json_parse('[1]').toList()
[json_parse('[1]')].contains([1])
json_parse('[[1]]').indexOf([1])
json_parse('[[1]]').distinct()
json_parse('[1]').distinct()
set(json_parse('[1]'))
dict(json_parse('[1]') => 1)
json_parse('[[1]]').groupBy($)
json_parse('[1]')[5]
json_parse('[1]').isList()
json_parse('[{"a":1},{"a":1}]').distinct()
json_parse('{"a":1}') = {a => 1}
json_parse('{"a":1}') in [{a => 1}]
json_parse('[{"a":1}]').groupBy($)
json_parse('[{"a":1}]').groupBy($.a)
dict(json_parse('{"a":1}') => 1)
[json_parse('{"a":1}')].toSet()
'{0:>5}'.format(json_parse('{"a":1}'))
str(json_parse('{"a":1}').keys())
str(json_parse('{"a":[1]}').items())
str(json_parse('{"a":{"b":1}}').values())
json_parse('{"a":[1]}').mergeWith({a => [2]})
{a => [2]}.mergeWith(json_parse('{"a":[1]}'))
json_parse('{"a":[1]}').mergeWith(json_parse('{"a":[2]}'))
str(json_parse('{"a":[1]}').mergeWith(json_parse('{"a":[2]}')))
json_parse(set(1, 2))
yaml_parse(set(1, 2))
""".strip().splitlines())

# yaml_parse's timestamps are PyYAML's: a date (which Mistral cannot
# store), a naive datetime, a datetime.timezone one with Z or an offset;
# yaql reads them as its datetimes (the operators take a naive one as UTC).
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
yaml_parse('2024-02-29')
yaml_parse('a: 2024-02-29')
str(yaml_parse('2024-02-29'))
str(yaml_parse('a: 2024-02-29'))
'{0}'.format(yaml_parse('2024-02-29'))
yaml_parse('2024-02-29') = yaml_parse('a: 2024-02-29').a
yaml_parse('2024-02-29') = '2024-02-29'
yaml_parse('2024-02-29').year
len(yaml_parse('2024-02-29'))
isDatetime(yaml_parse('2024-02-29'))
json_dump(yaml_parse('a: 2024-02-29'))
yaml_parse('[2024-02-30]')
yaml_parse('2024-02-29 10:00:00')
yaml_parse('a: 2024-02-29 10:00:00')
yaml_parse('2024-02-29T10:00:00Z')
yaml_parse('2024-02-29T10:00:00+02:00')
str(yaml_parse('2024-02-29 10:00:00'))
str(yaml_parse('[2024-02-29 10:00:00]'))
str(yaml_parse('[2024-02-29T10:00:00Z]'))
str(yaml_parse('[2024-02-29T10:00:00.5+02:00]'))
str(yaml_parse('[2024-02-29, 2024-2-1, 2024-02-29 1:02:03.1234567, 2024-02-29t01:02:03-5, "2024-02-29", 2024-02-29 10:00:00 Z]'))
yaml_parse('2024-02-29 10:00:00').year
yaml_parse('2024-02-29 10:00:00').format('%Y %H')
isDatetime(yaml_parse('2024-02-29 10:00:00'))
yaml_parse('2024-02-29 10:00:00') + timespan(days => 1)
str([yaml_parse('2024-02-29 10:00:00') + timespan(days => 1)])
str([yaml_parse('2024-02-29T10:00:00+02:00') + timespan(days => 1)])
yaml_parse('[2024-02-29 10:00:00]')[0].offset.hours
yaml_parse('[2024-02-29 10:00:00]')[0].timestamp
yaml_parse('2024-02-29 10:00:00') = datetime(2024, 2, 29, 10)
yaml_parse('2024-02-29 10:00:00Z') = datetime(2024, 2, 29, 10)
yaml_parse('2024-02-29 10:00:00') < datetime(2024, 2, 29, 11)
json_dump(yaml_parse('a: 2024-02-29 10:00:00'))
json_dump(datetime(2024, 2, 29))
json_pp([datetime(2024, 2, 29, 1, 2, 3, 4)])
""".strip().splitlines())

# yaml_dump writes a date or a datetime as PyYAML's timestamp
# representer does: isoformat (' ' between date and time), plain.
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
yaml_dump(yaml_parse('2020-01-02'))
yaml_dump(yaml_parse('a: 2020-01-02'))
yaml_dump(yaml_parse('a: [2020-01-02, 2020-01-02 10:00:00, 2020-01-02T10:00:00Z, 2020-01-02 10:00:00.5+02:00]'))
yaml_dump(yaml_parse('2020-01-02 10:00:00'))
yaml_dump(datetime(2020, 1, 2))
yaml_dump([datetime(2020, 1, 2, 3, 4, 5, 6)])
yaml_dump({a => datetime('2024-02-29T10:00:00Z'), b => '2024-02-29'})
yaml_dump({datetime(2020, 1, 2) => 1})
yaml_dump({yaml_parse('2020-01-02') => [yaml_parse('2020-01-03')]})
yaml_dump(datetime(2024, 2, 29, 10, offset => timespan(hours => -5)))
""".strip().splitlines())

# An iterator whose items fail, held unread in a list or dict: json_dump
# reads it (oslo's writer writes its str() when reading it is a TypeError,
# as accumulate()'s of nothing is, and a generator's always). (yaml_dump
# cannot represent it: PyYAML's message prints the object's address.)
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
json_dump([[0].select(1 / $), 1])
json_dump([].accumulate($1 + $2).select($))
json_dump([].accumulate($1 + $2).limit(2))
json_dump([].accumulate($1 + $2).skip(1))
json_dump([].accumulate($1 + $2).where(true))
json_dump({a => [].accumulate($1 + $2).limit(2)})
json_dump([[].accumulate($1 + $2).limit(2)])
json_dump({a => [].accumulate($1 + $2)})
json_pp([].accumulate($1 + $2).limit(2))
json_dump([0].select($ + 'a').limit(1))
json_dump([0].select(1 / $).limit(1))
""".strip().splitlines())

# Keys that are tuples or yaql's FrozenDicts (`{[1, 2] => x}`): yaml_dump
# writes them as PyYAML does (`? - 1`, sorted as Python compares tuples,
# the dict's order where Python cannot compare); json_dump's to_primitive
# makes a FrozenDict holding one its str(), and json refuses one in a
# Python dict it reaches itself. A frozenset key (`{set(1) => 2}`) the
# same way; PyYAML cannot represent it.
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
yaml_dump({[1,2] => 2})
yaml_dump({[1,2] => 2, a => 1})
yaml_dump({a => 1, [1,2] => 2})
yaml_dump({[2] => 1, [1,2] => 2})
yaml_dump({[1,2] => 2, 3 => 1})
yaml_dump({[] => 2})
yaml_dump({{a=>1} => 2, b => 3})
yaml_dump({dict() => 2})
yaml_dump([{[1,'x y'] => {c => [1]}}])
yaml_dump({[1] => [2,3]})
yaml_dump({[[1,2],3] => 1})
yaml_dump({[1] => []})
yaml_dump({[1,'a'] => 1, [1,2] => 2})
yaml_dump({[1,2] => 1, [0,'a'] => 2})
yaml_dump({[1, true] => 1, [1, 0.5] => 2, [1] => 3})
yaml_dump({['b'] => 1, ['a', 'z'] => 2, ['a'] => 3})
yaml_dump({[null] => 1, [null, 1] => 2})
yaml_dump([{[1] => {[2] => 3}}])
yaml_dump({['x' * 130] => 1})
json_dump({[1,2] => 2})
json_dump({a => {[1,2] => 2}})
json_dump([{[1,2] => 2}, 3])
json_dump({[1,2] => {b => 1}, c => 2})
json_dump({x => 1, [1,2] => 2})
json_pp({[1,2] => 2})
json_dump({{a=>1} => 2})
json_dump({a => {b => {[1] => 2}}})
json_dump({a => {b => {c => {[1] => 2}}}})
json_dump({[1,2] => 'x', b => [1, {c => 'd'}]})
json_dump({[1,2] => 'x', b => json_parse('{"q": 1}')})
json_dump({[1,2] => datetime(2020,1,1)})
json_dump({[1,2] => 1.5, b => null, c => true})
json_dump({[1,2] => 'é'})
json_pp({[1,2] => 'a\nb'})
json_dump({[[1,2],3] => 1})
json_dump([{[1] => 2}].select($))
json_dump({[1] => set(1,2)})
json_dump({[1] => $.l})
json_dump($.nested.toDict($, 1))
json_dump({set(1) => 2})
json_pp({set(1) => 2})
json_dump([1].toDict(set($)))
yaml_dump({set(1) => 2})
yaml_dump({a => {set(1) => 2}})
""".strip().splitlines())
TEXTS += r"""
{{ yaml_dump({(1,2): 3}) }}
{{ yaml_dump({(1,): [2, 3], (0, 'b'): {'c': 1}}) }}
{{ yaml_dump([{(1,): 2}]) }}
{{ yaml_dump({(1, 'a'): 1, (1, 2): 2}) }}
{{ yaml_dump({(): 1, 'a': 2}) }}
{{ yaml_dump({('a', ('b',)): 1}) }}
{{ json_dump({(1,2): 3}) }}
{{ (1,2) in {(1,2): 3} }}
{{ (1,2) not in {(1,2): 3} }}
{{ (1,3) in {(1,2): 3} }}
{{ (1.0,2) in {(1,2): 3} }}
{{ (true,2) in {(1,2): 3} }}
{{ {(1,2): 3, (1.0, 2): 4} | string }}
{{ {(1,2): 3}[(1.0,2)] }}
{{ {(1,(2,)): 3}[(1,(2.0,))] }}
"""

# json_pp prints `data or context`: an empty iterator is true (printed
# `[]`), an empty view or list false (yaql's context, which fails).
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
json_pp($.l.where(false))
json_pp([].where(true))
json_pp([].orderBy($))
json_pp({}.keys())
json_pp({}.values())
json_pp([])
json_pp(data => [].select($))
""".strip().splitlines())

# yaml_parse reads a plain key that is a timestamp as a date or a datetime
# too; a date prints as str() in a refusal, is hashable; json_dump writes a
# datetime key as Mistral stores a datetime and refuses a date, timedelta
# or regex key as Python's json does.
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
yaml_parse('2020-01-01').len()
yaml_parse('2020-01-01 10:00:00').len()
yaml_parse('2020-01-01').foo()
[yaml_parse('2020-01-01')].toSet()
str(yaml_parse('{2020-01-01: 1}'))
yaml_parse('{2020-01-01: 1}')
json_dump(yaml_parse('{2020-01-01: 1}'))
yaml_dump(yaml_parse('{2020-01-01: 1}'))
yaml_parse('{2020-01-01: 1}').keys().first().year
yaml_parse('{2020-01-01 10:00:00: 1}')
str(yaml_parse('{2020-01-01 10:00:00: 1, "2020-01-02": 2}'))
json_dump({regex('a') => 1})
json_dump({datetime(2020, 1, 1) => 1})
json_dump({timespan(days => 1) => 1})
json_pp({datetime(2020, 1, 1) => 1})
""".strip().splitlines())

# yaml_dump finds a view or an iterator that a dict set() or delete()
# made holds (PyYAML cannot represent it).
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
yaml_dump({x => 1, k => {a => 1}.keys()}.set('body', 3).delete('region'))
yaml_dump({x => 1}.set(k, {a => 1}.values()))
yaml_dump({x => 1, k => {a => 1}.keys()}.delete(k))
yaml_dump({null => {a => 1}.keys()})
yaml_dump({}.mergeWith({x => [1].select($)}))
yaml_dump({a => 1}.mergeWith({x => [1, 2].groupBy($), a => 2}))
yaml_dump({x => [1].select($)}.mergeWith({x => [2]}))
yaml_dump({x => {y => [1].select($)}}.mergeWith({x => {z => 1}}))
""".strip().splitlines())

# A result inside a longer text is Python's str() of what yaql's output
# conversion (convert_output_data) makes of it: a set, and a dict's keys()
# or items() view, is a Python set ({1, 2}, set()), a tuple a list, a
# datetime, timespan or regex inside a collection its repr, nothing stored
# as JSON first (corpus campaign: `distro in <% $.distros.items() %>`
# with an empty dict is "distro in set()"). Sets of text are left out:
# their order is the process's hash seed.
TEXTS += "\n" + "\n".join("x <% " + e + " %>" for e in r"""
set(1, 2)
set()
[set(1)]
{a => set(3, 1)}
{a => 1}.keys()
{}.keys()
[{}.keys()]
{}.items()
[{}.items()]
{a => 1}.items()
{3 => 1, 1 => 2}.keys()
[{3 => 1, 1 => 2}.keys()]
$.l.toSet()
set(1, 2).union(set(3))
set('a')
set(null)
set(1.5, 2)
set(true)
[1, 2].select(set($))
$.d.values().toSet()
let(x => set(1)) -> $x
{1 => 2, 1.5 => null}
set([1])
set({a => 1})
[datetime(2020, 1, 1)]
{a => datetime(2020, 1, 1)}
[datetime(2020, 1, 1, 5, 6, 7, 8)]
[datetime('2020-01-01T10:00:00+02:00')]
[datetime(2020, 1, 1).date]
set(datetime(2020, 1, 1))
[timespan(days => 1)]
[timespan(hours => -3, microseconds => 5)]
[regex('a')]
[regex('a', ignoreCase => true)]
{datetime(2020, 1, 1) => 1}
[1, 'a', null, true, 1.5].select($)
[1.0, 1e20, -0.0, 1e-7]
['a\'b', "x\"y"]
$.d.set(k, set(1))
[1, 2].toDict($, set($))
[1, 2].groupBy($ mod 2)
""".strip().splitlines())

# Mistral strips an expression with Python's str.strip() (a no-break space,
# an em space, an ideographic space around it); yaql's lexer skips
# ' \t\r\n' only, a no-break space inside is a lexical error (corpus: st2contrib's vsphere packs write `<%\u00a0$.vm_id\u00a0%>`).
TEXTS += "\n" + "\n".join([
    "<%\u00a0$.l\u00a0%>",
    "x <%\u2003$.l[0]\u3000%>",
    "<% $.l\u00a0.len() %>",
])

# list() unpacks a mapped attribution (`$.servers.name` is Python's map
# over the servers), and an item of it that mapped over a list in turn:
# yaql's list() flattens every iterator it meets (mutation campaign:
# `list($.do_manual_install.pack)`, `list($.x.result.parameters.asg)`).
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
list($.servers.name)
list(($.servers.name))
list($.servers.ip.v4)
list($.servers.tags)
list($.nested.a)
list($.nested.a, 5)
len(list($.nested.a))
list($.nested?.a)
list($.listing.items.name)
list([$.nested, $.nested].a)
list([{p => 1}, {p => [2]}].p)
list($.mixed.name)
list($.d.a.y)
""".strip().splitlines())

# json_dump and json_pp write with oslo's to_primitive as json's default:
# a yaql dict (a FrozenDict: the data's dicts, dict literals, dict()) goes
# one level deeper each time and is None past max_depth 3, a Python dict
# (json_parse's, toDict's) or a list adds no level; a set inside is a
# list; yaml_dump cannot represent a set at any depth; a generator (distinct,
# selectMany) a dict built by set(), dict() or toDict() holds is written as
# its str() (to_primitive's nasty types) (mutation campaign:
# json_parse(json_dump($)) of a workflow's context lost __env's depth).
TEXTS += "\n" + "\n".join("<% " + e + " %>" for e in r"""
json_dump($.d)
json_dump($)
json_pp($.d)
json_dump(data => $.d)
json_dump({a => {b => {c => {d => {}}}}})
json_dump({a => {b => {c => {d => {e => {}}}}}})
json_dump([[[[[{a => 1}]]]]])
json_dump({a => {b => {c => [{d => 1}]}}})
json_dump({a => {b => {c => {d => datetime(2020, 1, 1)}}}})
json_dump(json_parse('{"a": {"b": {"c": {"d": {"e": 1}}}}}'))
json_dump({a => json_parse('{"b": {"c": {"d": {"e": 1}}}}')})
json_dump(json_parse('{"b": {"c": {"d": {"e": 1}}}}').set(x, {a => {b => {c => {d => 1}}}}))
json_dump(dict(a => dict(b => dict(c => dict(d => 1)))))
json_dump([$.d].toDict('k', $))
json_dump({x => $.d})
json_parse(json_dump({x => $.d}))
json_dump({a => {b => {c => set(1)}}})
json_dump([set({a => 1})])
json_dump({a => set({b => {c => {d => 1}}})})
json_pp({a => set(1)})
json_dump([{a => 1}, {a => 1}].toSet())
json_dump(set({a => 1}))
json_pp(set({a => 1}))
json_dump({k => set({a => 1})})
yaml_dump(set({a => 1}))
json_dump({}.set(a, [1, 2].distinct()))
json_dump({}.set(a => [1, 2].distinct()))
json_dump(dict(a => [1, 2].distinct()))
json_dump([1].toDict($, [1, 2].distinct()))
json_dump([1].toDict($, [1, 2].selectMany([$])))
json_dump([1].toDict($, [1, 2].skipWhile(false)))
json_dump({}.set(a, [1, 2].select($)))
json_dump({b => 1}.set('a', [1, 2].distinct()))
yaml_dump({a => set(1)})
yaml_dump([1, [set()]])
""".strip().splitlines())

# PyYAML's line breaks and document structure in yaml_parse: LS and PS
# (U+2028, U+2029) end a line and are kept in a scalar's content where a
# '\n' folds, NEL is a '\n'; a folded `>+` keeps its trailing blank
# lines; a key without its ':', a value no deeper than its key, an entry
# without a key and a second document without `---` are refused. Frozen
# with an empty context, and only the failure is compared: PyYAML's
# message lays out its marks in its own way.
YAML_STRUCTURE = [("<% yaml_parse('" + t + "') %>") for t in r"""
a: "x\u2028  y"
a: \'x\u2028y\'
a: x\u2028  y
a: x\u2028b: 2
# c\u2028a: 1
a: |\n  x\u2028  y\n
a: |\n  x\u2028y\n
a: "x \u2028\n  y"
a: >\n  x\u2028  y\n  z\n
a: [a\u2028, b]
a: "x\u2029\u2028y"
a: x  \u2028\n\n  y z\n
a:\n  b: x\u2028   y\n  c: 1\n
a: |+\n  x\u2028  y\n\n\nb: 1\n
a: >-\n  x\n  y\u2028  z\n\n   w\n  v\n
{a: "x\u2028 y", b: [c\u2028 d]}
a: x\n  y\u2028  z\n
a: x\u0085  y
a: 1 # x\u0085b: 2
a: 1\nb\n
a: 1\nb
- a\n- b\nc\n
a:\n  b: 1\n  c\n
a: 1\nb\nc: 2\n
[1]\n2\n
- a\n-b\n
a:\n- b\nc\n
a: >+\n  x\n\n\nb: 1
a: >+\n  x\n  y\n\n
k:\n  m: >2+\n    x\n     y\n\n  n: 2
- |2\n   x\n  y\n
a:\n|\n  x
a:\n\'x\'
a:\n{b: 1}
? k\n: v
a: 1\n: y
{: y}
- a\n- : b
""".strip().splitlines()]
YAML_STRUCTURE += [r"{{ yaml_parse('a: x\u2028  y') }}", r"{{ yaml_parse('- a\n- b\nc') }}"]

if __name__ == "__main__":
    written = [t for t in TEXTS.strip().splitlines() if t.strip()]
    freeze("functions", "text", written, YAML_STRUCTURE, CTX)
