#!/usr/bin/python3
"""Freezes what the real Mistral (python3-mistral 15, yaql 2.0) answers for
YAQL expressions into test/data/expr/yaql/cases.jsonl, one JSON object per
line: {"expr", "context", "result"} or {"expr", "context", "error"}.
Bora's tests compare its YAQL engine with these answers and need no Python.
Run with Debian's /usr/bin/python3."""
import warnings

warnings.filterwarnings("ignore")
import os

from frozen_cases import freeze  # noqa: E402
import python_string_cases  # noqa: E402

CTX = {
    "a": 1, "b": 2.5, "s": "Hello World", "n": None, "t": True, "f": False,
    "l": [3, 1, 2], "words": ["pear", "apple", "fig"], "empty": [], "e": {},
    "d": {"x": 1, "y": {"z": "deep"}, "list": [1, 2]},
    "people": [{"name": "ann", "age": 31, "team": "a"}, {"name": "bob", "age": 25, "team": "b"},
               {"name": "cid", "age": 40, "team": "a"}],
    "u": "héllo wörld", "num_s": "42", "csv": "a,b,,c",
    # JSON numbers beyond a double: Python's json reads an int of any size
    # (Bora's JSON reader sets aside what RapidJSON cannot scan)
    "huge": 10 ** 400, "inf": float("inf"),
}

EXPRS = """
1
-1
1.5
'str'
"dq"
`raw\\`q`
true
false
null
$
$.a
$.b
$.s
$.n
$.missing
$.d.x
$.d.y.z
$.d.y.nope
$.d.list[0]
$.d.list[-1]
$.d.list[2]
$.l[0]
$.l[1]
$.d['x']
$.d['nope']
$.people[0].name
$.people.len()
1 + 2
1 + 2 * 3
(1 + 2) * 3
7 / 2
-7 / 2
7.0 / 2
7 / 2.0
7 mod 3
-7 mod 3
7.5 mod 2
10 - 3 - 2
2 * 3 + 4 * 5
1 / 0
1.0 / 0
'a' + 'b'
'ab' * 3
3 * 'ab'
[1, 2] + [3]
[1, 2, 3] - [2]
{a => 1} + {b => 2}
1 + 'a'
-$.a
+$.a
-$.b
not true
not $.n
not 0
1 = 1
1 = 1.0
1 != 2
'a' = 'a'
null = null
$.n = null
1 < 2
2 <= 2
3 > 2.5
'a' < 'b'
[1, 2] < [1, 3]
1 < 'a'
1 in [1, 2]
5 in [1, 2]
'x' in $.d
'zz' in $.d
'ell' in $.s
1 and 2
0 and 2
0 or 'x'
1 or 2
null or false
true and not false
1 = 1 and 2 = 2
1 = 2 or 3 = 3
not 1 = 2
'abc' =~ 'b'
'abc' =~ '^b'
'abc' !~ 'z'
$.s =~ 'W.r'
[1, 2, 3]
[]
{a => 1, b => [1, 2]}
{}
[$.a, $.b]
$.l.len()
$.s.len()
$.d.len()
len($.l)
$.u.len()
$.s.toUpper()
$.s.toLower()
$.u.toUpper()
'  pad  '.trim()
'xxpadxx'.trim('x')
'  pad  '.trimLeft()
'  pad  '.trimRight()
$.s.split()
$.csv.split(',')
$.csv.split(',', 1)
'a b  c'.split(' ')
$.s.replace('o', '0')
$.s.replace('o', '0', 1)
$.s.startsWith('Hell')
$.s.startsWith('x')
$.s.endsWith('World')
$.s.substring(6)
$.s.substring(0, 5)
$.s.substring(-5)
$.s.indexOf('o')
$.s.lastIndexOf('o')
$.s.indexOf('zz')
str(123)
str($.d)
str(null)
str(true)
str(1.5)
concat('a', 'b', 1)
'{0}-{1}'.format('a', 2)
'{}{}'.format(1, 2)
'{x}!'.format(x => 5)
', '.join($.words)
$.words.join(', ')
$.l.join('-')
isString($.s)
isString(1)
$.l.where($ > 1)
$.l.select($ * 10)
$.people.where($.age > 30).select($.name)
$.people.select($.name)
$.l.orderBy($)
$.l.orderByDescending($)
$.words.orderBy($)
$.people.orderBy($.age).select($.name)
$.words.orderBy($.len())
$.l.first()
$.l.last()
$.empty.first()
$.empty.first('def')
[5].single()
$.l.single()
$.l.sum()
[1.5, 2].sum()
$.l.min()
$.l.max()
min(3, 1)
max(3, 1)
$.l.avg()
$.l.count()
$.l.count($ > 1)
$.l.any($ > 2)
$.l.all($ > 0)
$.empty.any()
$.l.skip(1)
$.l.take(2)
$.l.limit(1)
range(5)
range(2, 5)
range(0, 10, 3)
range(5, 0, -2)
zip([1, 2], ['a', 'b'])
zip([1, 2, 3], [4])
[[1, 2], [3, [4]]].flatten()
$.words.enumerate()
[1, 2, 1, 3, 2].distinct()
$.l.reverse()
$.people.groupBy($.team).select($[0])
$.people.groupBy($.team, $.name)
[1, 2, 3].contains(2)
$.l.contains(9)
$.d.containsKey('x')
$.d.containsKey('q')
$.d.containsValue(1)
$.l.indexOf(2)
$.l.indexOf(9)
$.empty.isEmpty()
$.l.isEmpty()
''.isEmpty()
list(1, 2, 3)
list($.l)
dict(a => 1, b => 2)
dict([['a', 1], ['b', 2]])
$.d.get('x')
$.d.get('q')
$.d.get('q', 5)
$.d.set('x', 9)
$.d.set(w => 3)
$.d.delete('x')
$.d.values()
{a => 1}.mergeWith({b => 2})
{a => {x => 1}}.mergeWith({a => {y => 2}})
$.people.selectMany([$.name, $.age])
$.l.append(4)
$.l.insert(0, 9)
$.l.toList()
$.people.toDict($.name, $.age)
int('42')
int(3.9)
int(-3.9)
int(true)
int('x')
float('1.5')
float(2)
bool(0)
bool('x')
isInteger(1)
isInteger(1.0)
isNumber(1.5)
isBoolean(true)
isList($.l)
isDict($.d)
abs(-3)
abs(-2.5)
pow(2, 10)
pow(2, 0.5)
round(2.5)
round(3.5)
round(2.675, 2)
switch($.a > 0 => 'pos', true => 'neg')
switch($.a < 0 => 'neg')
coalesce(null, 2, 3)
coalesce(null, null)
let(x => 2) -> $x + 1
let(x => 2, y => 3) -> $x * $y
$.a -> $ + 1
$.l[$ > 1]
$.people[$.age < 30].select($.name)
unknownFn()
$.s.unknownMethod()
1 +
(1
[1, 2
'unterminated
$.d.y?.z
$.n?.z
$.l.where($ > 1).select($ * 2).sum()
$.words.where($.startsWith('p')).len()
$.people.where($.team = 'a').select($.age).max()
$.d.x + $.d.list[1]
$.s.split(' ').select($.toUpper()).join('_')
$.l.select($ + $.l.len())
zip([1, 2, 3], [4, 5])
zip($.l, $.words, [true, false, null])
[1, 2].zip([3, 4])
zipLongest([1, 2, 3], [4])
[1, 2, 3].zipLongest([4])
[1].zipLongest([2, 3], default => 0)
$.l.takeWhile($ > 2)
[1, 2, 3, 4, 1].takeWhile($ < 3)
[1, 2, 3, 4, 1].skipWhile($ < 3)
$.l.skipWhile($ > 5)
$.l.indexWhere($ < 3)
$.l.indexWhere($ > 10)
[1, 2, 1, 2].lastIndexWhere($ = 1)
range(7).slice(3)
[].slice(2)
range(5).splitAt(2)
range(5).splitAt(10)
[].splitAt(1)
[1, 2, 3, 4].aggregate($1 + $2)
[1, 2, 3].aggregate($1 * $2, 10)
[].aggregate($1 + $2, 5)
$.words.aggregate($1 + '-' + $2)
[1, 2, 3, 4].accumulate($1 + $2)
[1, 2, 3].accumulate($1 + $2, 100)
'abc'.matches('b.')
'abc'.matches('^b')
$.s.matches('W[a-z]+')
$.words.where($.matches('^[af]')).len()
$.people.orderBy($.team).thenBy($.age).select($.name)
$.people.orderBy($.team).thenByDescending($.age).select($.name)
$.people.orderByDescending($.team).thenBy($.name).select($.name)
[[1, 'b'], [0, 'z'], [1, 'a']].orderBy($[0]).thenBy($[1])
[[1, 'b', 2], [1, 'b', 1], [0, 'z', 5]].orderBy($[0]).thenBy($[1]).thenByDescending($[2])
regex('a.c').matches('abc')
regex('A.c').matches('abc')
regex('A.c', ignoreCase => true).matches('abc')
regex('a.c', true).matches('xAbC')
'abc'.matches(regex('B', ignoreCase => true))
regex('a.c').search('cabc')
regex('a.c').search('cabc', $)
regex('a.c').search('cabc', $.start)
regex('a(.)c').search('xabc', [$.start, $.end, $2.value, $2.start])
regex('a(.)(x)?c').search('abc', $3)
regex('zz').search('abc')
regex('a.c').searchAll('abcadc')
regex('a.c').searchAll('abcadc', $)
regex('(a)(.)c').searchAll('abcadc', $2.value + $3.value)
regex('q').searchAll('abc')
regex('a.c').searchAll('é abc', $.start)
regex('b').split('abcbd')
regex('b').split('abcbd', 1)
regex('(b)').split('abcbd')
'abcbd'.split(regex('b'))
'a1b22c333'.split(regex('[0-9]+'))
regex('a(.)c').replace('abcadc', '<\\1>')
regex('a.c').replace('abcadc', 'x', 1)
'abcadc'.replace(regex('a.c'), 'x')
'abcadc'.replace(regex('a(.)c'), '\\1\\1', 1)
regex('a.c').replaceBy('abcadc', switch($.value = 'abc' => xx, $.value = 'adc' => yy))
'abcadc'.replaceBy(regex('a(.)c'), $2.value.toUpper())
'abcadc'.replaceBy(regex('a.c'), str($.start), 1)
escapeRegex('a.b*c')
escapeRegex('plain_word_1')
escapeRegex('x+y=z?')
isRegex(regex('x'))
isRegex('x')
'abc' =~ regex('B', true)
'abc' !~ regex('B')
'a\\nb' =~ regex('^b', multiLine => true)
'a\\nb' =~ regex('^b')
'a\\nb' =~ regex('a.b', dotAll => true)
'a\\nb' =~ regex('a.b')
$.s =~ regex('w.RLD', ignoreCase => true)
$.words.where($ =~ regex('^[af]')).len()
regex('(')
'x' =~ '('
regex(1)
regex('a').search(1)
datetime(2015, 9, 29)
datetime(2015, 9, 29, 10, 20, 30, 123)
datetime(2015, 9, 29).year
[datetime(2015, 1, 1).month, datetime(2015, 1, 1).day, datetime(2015, 1, 1).weekday]
datetime(2015, 1, 2, 3, 4, 5).hour + datetime(2015, 1, 2, 3, 4, 5).minute + datetime(2015, 1, 2, 3, 4, 5).second
datetime(2016, 2, 29, 23, 59).format('%Y-%m-%d %H:%M:%S')
datetime(2015, 1, 1).format('%a %A %b %B %j %y %p %I %w')
datetime(2015, 7, 4, 15).format('%I %p')
datetime(2015, 1, 1, offset => timespan(hours => 2)).format('%H:%M %z')
datetime(2015, 1, 1, offset => timespan(hours => 2)).utc.hour
datetime(2015, 1, 1, offset => timespan(hours => 2)).offset.hours
datetime(2015, 1, 1, offset => timespan(hours => -5))
datetime(2015, 1, 1, offset => timespan(hours => 2)).timestamp
datetime(1445203200)
datetime(1445203200).year
datetime(1445203200.5).microsecond
datetime(0).timestamp
datetime('2015-03-04')
datetime('2015-03-04T05:06:07')
datetime('2015-03-04 05:06:07.250')
datetime('2015-03-04T05:06:07+02:00').hour
datetime('2015/03/04 05:06', '%Y/%m/%d %H:%M')
datetime('04.03.2015', '%d.%m.%Y').month
datetime(2015, 1, 1) + timespan(days => 31)
(datetime(2015, 1, 1) + timespan(days => 31)).month
(datetime(2015, 3, 1) - timespan(days => 1)).day
(datetime(2016, 3, 1) - timespan(days => 1)).day
(datetime(2015, 1, 1) - datetime(2014, 1, 1)).days
(datetime(2015, 1, 1, 12) - datetime(2015, 1, 1)).hours
timespan(days => 1, hours => 2).hours
timespan(hours => 36).days
timespan(minutes => 90).hours
timespan(seconds => 90).minutes
timespan(milliseconds => 1500).seconds
timespan(microseconds => 1500).milliseconds
timespan(1, 2, 3, 4).seconds
(timespan(hours => 1) + timespan(minutes => 30)).minutes
(timespan(hours => 1) - timespan(minutes => 30)).minutes
(timespan(hours => 1) * 3).hours
(2 * timespan(hours => 1)).minutes
(timespan(hours => 3) / 2).minutes
timespan(hours => 3) / timespan(minutes => 30)
(-timespan(hours => 1)).seconds
timespan(hours => 1) > timespan(minutes => 59)
timespan(hours => 1) = timespan(minutes => 60)
datetime(2015, 1, 1) < datetime(2015, 1, 2)
datetime(2015, 1, 1) >= datetime(2015, 1, 2)
datetime(2015, 1, 1) = datetime(2015, 1, 1)
datetime(2015, 1, 1, 2, offset => timespan(hours => 2)) = datetime(2015, 1, 1)
datetime(2015, 1, 1, 12, 30).date
datetime(2015, 1, 1, 12, 30).time.minutes
datetime(2015, 3, 4, 5, 6, 7).replace(year => 2020)
datetime(2015, 3, 4, 5, 6, 7).replace(month => 12, day => 25).format('%m-%d')
isDatetime(datetime(2015, 1, 1))
isDatetime('2015-01-01')
isTimespan(timespan(hours => 1))
isTimespan(1)
utctz().hours
now() > datetime(2020, 1, 1)
(now() - now()).days < 1
now(offset => timespan(hours => 3)).offset.hours
isDatetime(now())
datetime(2015, 13, 1)
datetime(2015, 2, 30)
datetime('not a date')
set(3, 1, 2)
set($.l)
set($.l.select($))
set('b', 'a', 'b')
set()
set(1, true, 1.0)
set(null, 1)
$.l.toSet()
$.words.toSet()
$.people.toSet()
isSet(set(1))
isSet($.l)
isDict(set(1))
isIterable(set(1))
set(1, 2).len()
set(1, 2).count()
2 in set(1, 2)
set(1, 2) = set(2, 1, 1)
set(1, 2) != set(2, 1)
set(1, 2) = [1, 2]
set(1, 2) < set(1, 2, 3)
set(1, 2) <= set(1, 2)
set(1, 2, 3) > set(3)
set(1, 2) >= set(1, 3)
set(1, 2) < [1, 2, 3]
set(1, 2) + set(2, 3)
set(1, 2) + [3]
[3] + set(1, 2)
set(1, 2, 3) - set(2)
set(1, 2).union(set(3))
set(1, 2).union([3])
set(1, 2).intersect(set(2, 3))
set(1, 2).difference(set(2, 3))
set(1, 2).symmetricDifference(set(2, 3))
set(1, 2).add(3, null)
set(1, 2).add([1])
set(1, 2, 3).remove(2, 9)
[1, 2].remove(2)
set(2, 1).select($ * 10).orderBy($)
set(2, 1).where($ > 1)
set(2, 1).orderBy($)
set(1)[0]
str(set(1, 2))
str(set())
'{0}'.format(set(1))
[1, 2, 3, 4].delete(1, -1)
[1, 2, 3].delete(-1)
$.l.delete(0, 2)
set(1, 2).delete(0)
$.l.replace(0, 9)
$.l.replace(1, 9, -1)
$.l.replace(5, 9)
$.l.replaceMany(1, [7, 8])
$.l.replaceMany(0, [], 2)
$.l.insert(-1, 9)
$.l.select($).insert(-1, 9)
$.l.select($).insert(10, 9)
$.l.insert(10, 9)
set(1).insert(0, 2)
$.l.insertMany(1, [7, 8])
$.l.insertMany(-1, [7])
$.l.insertMany(9, [7])
{null => 1, true => 2, false => 3, 1.5 => 4}
dict(null => 1)
'a-null-true'.replace({null => x, true => y})
let(5) -> $
let(5, 6) -> [$, $1, $2]
let(x => 1) -> $.a
with(5, 6) -> [$, $1, $2]
with() -> $.a
[2, 3].unpack() -> $1 * $2
[2, 3].unpack(a, b) -> $a - $b
[2, 3].unpack(a) -> $a
$.l.unpack(x, y, z) -> [$z, $y, $x]
def(f, $ * 2) -> f(3)
def(f, $1 + $2) -> [f(1, 2), f('a', 'b')]
def(fact, switch($ <= 1 => 1, true => $ * fact($ - 1))) -> fact(10)
def(f, f($)) -> f(1)
def(inc, $ + 1) -> $.l.select(inc($))
2.switchCase(a, b, c)
0.switchCase(a, b, c)
9.switchCase(a, b, c)
1.switchCase()
selectCase(false, true, true)
selectCase(false)
selectCase($.a > 5, $.a > 0)
selectAllCases(false, true, $.t)
examine(0, 1, a, null)
$.l.assert(len($) = 3).select($ + 1)
$.l.assert(len($) > 3)
$.a.assert($ > 5, 'too small')
call(len, [$.l], {})
call(toUpper, [], {}, 'ab')
call(max, [1, 5], {})
call(nonexistent, [], {})
sequence().take(3)
sequence(5, -2).skip(2).take(3)
sequence(1).select($ * $).takeWhile($ < 50)
sequence().where($ mod 3 = 0).select($ * 2).take(3)
sequence().first()
1.repeat().limit(5)
'ab'.repeat(2)
$.words.cycle().take(5)
$.empty.cycle().take(5)
[1, 2].cycle().select($ + 1).first()
sequence().select($ * 2)
sequence().len()
$.l.memorize()
[1, 2].join([3, 4], true, [$1, $2])
$.people.join($.words, $1.name.len() = $2.len(), [$1.name, $2])
$.words.join('+')
datetime('2015-8-29')
datetime('20080903')
datetime('20080903T102030')
datetime('Sep 3 2008')
datetime('September 3, 2008 10:20')
datetime('3 Sep 2008')
datetime('Wed, 03 Sep 2008 10:20:30 +0200')
datetime('Wed, 03 Sep 2008 10:20:30 +0200').offset.hours
datetime('8/29/2015')
datetime('29.8.2015')
datetime('2008-09-03 10am')
datetime('10 pm Sep 3 2008')
datetime('2015/08/29 10:20:30.5')
datetime('03-09-08')
datetime('13-09-08')
datetime('080903')
datetime('Thu Sep 25 10:36:28 2003')
datetime('Sep 3 2008 10:20 -05:00')
datetime('3rd of September 2008')
datetime('2008.09.03')
datetime('1/2/99')
datetime('garbage words')
datetime('Tuesday, 21. November 2006 04:30PM', '%A, %d. %B %Y %I:%M%p')
datetime('Sep 3 08 12AM', '%b %d %y %I%p')
$.d[x, 5]
$.d[nope, 5]
$.d['nope', $.a]
$.d.get(nope, default => 3)
[0, null].any()
[].any()
[0].all()
$.empty.first(default => 3)
$.empty.last(default => 4)
{a => [1], b => 2}.mergeWith({a => [2], b => 3})
{a => [1]}.mergeWith({a => [2]}, $1 + $2)
{a => 1}.mergeWith({a => 2}, $1 + $2, max($1, $2))
{a => [1, 2]}.mergeWith({a => [2, 3]})
{a => {b => 1}}.mergeWith({a => {b => 2, c => 3}}, maxLevels => 1)
{a => {b => 1}}.mergeWith({a => {c => 3}})
{a => 1}.mergeWith({a => {c => 3}})
{a => 1}.mergeWith({a => [3]})
[1, 2, 3, 4].groupBy($ mod 2, $, $.sum())
[1, 2, 3, 4].groupBy($ mod 2, aggregator => $.len())
$.people.groupBy($.team, $.age, $.max())
[[1, 2], [3]].groupBy(len($), $, [$[0], $[1].len()])
[1, [2, 3]].concat([4], [5])
$.l.concat(set(9))
'abcb'.indexOf('b', 2)
'abcb'.lastIndexOf('b', 0, 2)
'cabcdab'.indexOf('bc', 2, 2)
'cabcdbc'.lastIndexOf('bc', 2, 5)
'cabcdab'.indexOf('ab', -3)
$.u.indexOf('l')
$.u.lastIndexOf('l')
'a,b,c'.rightSplit(',', 1)
' a b  c '.rightSplit(null, 1)
$.s.rightSplit()
' a b  c '.split(null, 1)
[1, 2, 1].indexOf(1, 1)
[1, 2, 1].lastIndexOf(1)
$.d.deleteAll([x, nope])
$.l.deleteAll([1])
""".strip().splitlines()

# Python's ints are unbounded: arithmetic, comparisons and conversions past
# int64 stay exact (core/python_int).
# IndexError as Python words it: a Python list (split, rightSplit,
# json_parse's) against a tuple (data, literals, list()); no sort method.
EXPRS += """
'a/b'.split('/')[1]
$.s.split(' ')[5]
'abc'.rightSplit('/')[5]
$.l[5]
[1, 2][5]
list(1, 2)[5]
$.l.toList()[5]
'a/b'.split('/')[-1]
'a/b'.split('/').insert(0, 'x')[9]
$.l.sort()
sort($.l)
$.__env
$.a.__b
__x
$__x
$._x
{__a => 1}
{a => 1}.items()
{a => 1}.keys()
{a => 1}.items().toList()
dict({a => 1}.items())
list({a => 1}.items())
{a => 1}.items().select($)
{}.items()
[{a => 1}.items()]
{b => {a => 1}.items()}
($.e.items())
[[1, 2], [3]].min()
[[1, 2], [3]].max()
min([1], [2])
[].max()
[].min(5)
[1, 'a'].max()
""".strip().splitlines()

EXPRS += """
concat()
{1 => 'a'}.keys()
{1 => 2}.keys().first() + 1
{null => 1}.keys()
{true => 1, 1.5 => 2}.keys()
{1 => 'a'}.get('1')
{1 => 'a'}.get(1)
{'1' => 'a'}.get(1)
{1 => 'a'}[1]
{1 => 'a'} = {'1' => 'a'}
{null => 1, true => 2, 1.5 => 3, 7 => 4}
{[1, 2] => 3}
{[1, 2] => 3}.get([1, 2])
{[1, 2] => 3}.keys().first()
str({[1, 2] => 3})
str({1 => 2, null => 3})
{{a => 1} => 2}
{1 => 2}.items().first()
dict([[1, 'a'], [2, 'b']]).keys()
dict([[1, 'a']]).containsKey(1)
dict([[1, 'a']]).containsKey('1')
[1, 2].toDict($, $ * 2)
[1, 2].toDict($, $ * 2).keys().sum()
{1 => 2}.set(1, 3)
{1 => 2}.delete(1)
{1 => 2}.mergeWith({1 => 3, 2 => 4})
'a-1'.replace({1 => x})
{set(1, 2) => 1}
pow(0, -1)
pow(0.0, -2)
pow(-8, 0.5)
pow(10.0, 400)
null < set(1, 2)
null > set(1, 2)
null <= set(1, 2)
null >= set(1, 2)
set(1, 2) > null
call(len, [], {sequence => [1, 2]})
call(max, [1, 5], {})
12345678901234567890 + 1
12345678901234567890 - 12345678901234567891
9223372036854775807 + 1
-9223372036854775808 - 1
9223372036854775807 * 2
4294967296 * 4294967296 * 4294967296
-(-9223372036854775808)
-12345678901234567890
100000000000000000000 / 3
-100000000000000000000 / 3
100000000000000000000 / -7
100000000000000000000 mod 7
-100000000000000000000 mod 7
100000000000000000000 mod -7
100000000000000000000 / 0
100000000000000000000 / 2.5
100000000000000000000 + 0.5
12345678901234567890 = 12345678901234567890
12345678901234567890 = 12345678901234567891
12345678901234567890 != 12345678901234567890.0
9007199254740993 = 9007199254740992.0
9007199254740993 > 9007199254740992.0
12345678901234567890 > 12345678901234567889
-12345678901234567890 < 1
12345678901234567890 < 1.5
12345678901234567890 in [1, 12345678901234567890]
pow(2, 100)
pow(-3, 41)
pow(2, 100, 1000007)
pow(12345678901234567890, 3, -97)
pow(2, -2)
pow(2.0, 100)
abs(-12345678901234567890)
abs(-9223372036854775808)
int('99999999999999999999')
int(' -1_000_000_000_000_000_000 ')
int(12345678901234567890)
float(12345678901234567890)
float(pow(10, 400))
pow(10, 400) + 0.5
str(12345678901234567890)
str(pow(2, 64)) + '!'
isInteger(pow(2, 64))
isNumber(pow(2, 64))
max(12345678901234567890, 12345678901234567891)
[3, 12345678901234567890, -12345678901234567890, 0].orderBy($)
range(9223372036854775806, 9223372036854775809)
range(12345678901234567890, 12345678901234567880, -3)
len(range(0, 100000000000000000000, 10000000000000000000))
bitwiseAnd(pow(2, 70) + 5, 7)
bitwiseOr(pow(2, 70), 1)
bitwiseXor(-pow(2, 70), 3)
bitwiseNot(pow(2, 70))
shiftBitsLeft(1, 100)
shiftBitsRight(-pow(2, 70) - 3, 3)
shiftBitsRight(pow(2, 70), 100)
hex(pow(2, 70) - 1)
hex(-pow(2, 70))
sign(-pow(2, 70))
round(pow(2, 70))
round(pow(2, 70), -5)
sequence(9223372036854775806).take(3)
sequence(0, 9223372036854775807).take(3)
[12345678901234567890].distinct()
[12345678901234567890, 12345678901234567890].toSet().len()
{12345678901234567890 => 1}
dict(a => 12345678901234567890)
pow(2, 1000) mod 1000007
len(str(pow(7, 3000)))
$.huge
$.huge + 1
str($.huge).len()
$.huge > $.inf
str($.inf)
$.inf
'héllo'.substring(1, 2)
'ß'.substring(1)
'ǅx'.substring(-2)
'12'.substring(-3, 2)
'abc'.substring(-1, 1)
$.u.substring(3)
'abc'.replace('', '-')
'abc'.replace('', '-', 2)
''.replace('', '-')
'héllo'.replace('', '|')
[null, 1].join('a')
[[1, 2], [3]].join(',')
[true, 1.5].join('-')
'-'.join([null, 'x'])
[1, 2, 3].selectMany({a => 3})
$.people.selectMany($)
[[1, 2], 3, 'ab'].selectMany($)
['b', 'a'].sum()
[[1, 2], [3]].sum()
[[1], [2]].sum([0])
[1, 2.5].sum()
[].sum()
[].sum(0)
[null, 1].max()
[2, null].min()
[3, null, 1].orderBy($)
[3, null, 1].orderByDescending($)
$.people.orderBy(null).name
[3, 1, 2].max(null)
[1, 2, 3].take(true)
[1, 2, 3].skip(true)
[1, 2, 3].limit(false)
range(true)
[1, 2, 3].enumerate(true)
[1, 2, 3].skip(-1)
[1, 2, 3].take(-1)
[1, 2, 3].slice(-1)
[1, 2, 3].select($).limit(-1)
[1, 2, 3].slice(0)
[1, 2, 3].slice(true)
[1, 2, 3].splitAt(-1)
[1, 2, 3].splitAt(true)
float(' 12 ')
float('1_000.5')
float('0x1A')
float('inf')
1e20
2x
1.5e3
12abc + 1
$.l[0]x
1..2
3_000
12.5x
1 .. 2
3.
[1,2][1]x
""".strip().splitlines()

# Found by scripts/diff_random_expressions.py (composed expressions): a
# replacement template is read whole before any match (a bad group
# reference fails on a text without a match), strftime's %s (the C
# library's: mktime of the local fields, this machine's zone being UTC).
EXPRS += r"""
regex('\\d+').replace('ab', '\\2\\1')
regex('(a)').replace('bbb', '\\2')
regex('(a)').replace('bab', '\\g<1>x')
regex('(?P<x>a)').replace('bbb', '\\g<y>')
datetime(2024, 2, 29, 12, 30).format('%s')
datetime(1970, 1, 2).format('%s|%Y')
""".strip().splitlines()

# Calls inside and outside yaql's signatures (src/expr/yaql/signature_table.cpp,
# scripts/gen_yaql_signatures.py): yaql refuses a method called as a
# function and the reverse ("Unknown function/method"), a wrong arity, a
# keyword a function does not take, an argument of the wrong type
# ("No function/method ... matches supplied arguments"); the wording is
# compared exactly. And calls it accepts, which must keep answering.
SIGNATURE_EXPRS = r"""
toUpper('a')
select($.l, $)
where([1], true)
repeat('x', 2)
'x'.repeat(2)
1.repeat().take(3)
'a'.isString()
1.isInteger()
$.l.isList()
$.d.isDict()
$.s.str()
'12'.int()
2.abs()
3.range()
'x'.regex()
$.s.let()
len(1, 2)
len()
$.s.len(1)
'a'.toUpper(1)
'abc'.substring()
$.l.take()
$.l.take(1, 2)
abs(1, 2)
pow(2)
'a'.trim('a', 'b')
'a'.trim(foo => 'a')
'a'.trim(chars => 'a')
'a,b'.split(separator => ',')
'a,b'.split(sep => ',')
'a b c'.split(maxSplits => 1)
$.l.take(count => 1)
$.l.take(n => 1)
range(stop => 3)
range(3, stop => 4)
format('{a}', a => 1)
'{0}{x}'.format(1, x => 2)
$.l.zipLongest([1], default => 0)
$.l.zip([1], default => 0)
'abc'.take(1)
$.l.toUpper()
len(1)
len(null)
1.len()
'ab'.select($)
$.d.select($)
$.d.len()
len($.d)
$.l.take('1')
$.l.take(1.5)
$.l.take(true)
range(1.5)
range(true)
'abc'.substring('1')
'abc'.substring(true)
'abc'.substring(1, length => 1)
timespan(seconds => true)
timespan(hours => true).hours
abs('a')
abs(true)
'-'.join([1, 2])
$.l.join(1)
'a'.trim(null)
null.toUpper()
isEmpty(null)
norm(null)
$.l.keys()
$.d.keys()
set(1, 2).len()
dict(a => 1)
dict([[1, 2]])
dict(1)
$.d.set(b => 2)
$.d.set(b, 2)
$.d.set(1)
$.l.select(1)
$.l.where($ > 0, 2)
$.l.thenBy($)
$.l.orderBy($).thenBy($)
$.l.orderBy($).thenByDescending(-$)
$.l.where($ > 1).len()
$.l.select($).len()
len($.l.select($))
'abc'.len()
len('abc')
$.s.len()
$.l.len()
len($.l)
'abc'.indexOf('b', 1)
'abc'.indexOf('b', '1')
$.l.indexOf(2)
'abc'.toCharArray()
'abc'.characters()
$.d.'x'
$.d.(1)
$.s.($)
'abc'[0]
$.l[0]
$.l['0']
let(x => 1)
let(x => 1) -> $x
$.l.first($ > 1)
$.l.first(0)
[].first(0)
$.l.any()
any($.l)
$.l.sum()
sum($.l)
$.l.max()
max(1, 2)
max($.l)
$.l.count()
count($.l)
$.l.distinct()
distinct($.l)
'abc'.matches('b')
matches('abc', 'b')
'abc'.toLower().toUpper()
$.people.select($.name).join(', ')
$.people.where($.age > 30).select($.name)
$.d.get('x')
$.d.get('nope', 0)
$.d.get()
$.d.containsKey('x')
$.l.contains(1)
'abc'.contains('a')
$.l.append(4)
append($.l, 4)
$.l.concat([4])
concat($.l, [4])
concat('a', 'b')
'a'.concat('b')
[].accumulate($)
[].accumulate($1 + $2, seed => 5)
[1, 2].accumulate($1 + $2, seed => 5)
$.d.set(key => 2)
$.d.get(key => 'x')
'a b'.split(maxSplits => 1, separator => ' ')
$.l.select($)[0]
$.l.map($)[0]
$.l.where(true)[0]
$.l.filter(true)[0]
$.l.append(1)[0]
$.l.distinct()[0]
$.l.reverse()[0]
[[1]].flatten()[0]
$.l.skip(1)[0]
$.l.take(1)[0]
$.l.limit(1)[0]
$.l.selectMany([$])[0]
$.l.takeWhile(true)[0]
$.l.skipWhile(false)[0]
$.l.delete(0)[0]
$.l.concat([1])[0]
concat($.l, [1])[0]
range(3)[0]
$.l.enumerate()[0]
1.repeat(2)[0]
$.l.insertMany(0, [1])[0]
$.l.replace(0, 1)[0]
$.l.replaceMany(0, [1])[0]
$.l.zip($.l)[0]
$.l.zipLongest($.l)[0]
$.l.accumulate($1+$2)[0]
generate(0, $ < 3, $ + 1)[0]
$.l.memorize()[0]
$.l.join($.l, true, $1)[0]
$.l.toList()[0]
$.l.orderBy($)[0]
$.l.groupBy($)[0]
$.l.slice(1)[0]
$.l.splitAt(1)[0]
$.l.sliceWhere(true)[0]
$.l.splitWhere(true)[0]
$.l.toSet()[0]
$.d.keys()[0]
$.d.values()[0]
$.d.items()[0]
list($.l.select($))[0]
$.l.insert(0, 1)[0]
$.l.select($).insert(0, 1)[0]
$.l.cycle()[0]
$.s.split('b')[0]
regex('b').split($.s)[0]
$.d.keys().len()
$.d.items().len()
$.l.select($).insert(0, 1).len()
$.l.groupBy($).len()
$.l.orderBy($).count()
$.l.orderBy($).toList().len()
$.d.values().toList().len()
$.d.values().count()
$.d.keys().toSet()
$.l.select($).insert(0, 9)
$.l.orderBy($).select($)
call(len, [$.l], {})
call(len, $.l.select([$]), {})
'a,b,,c'.norm('a')
norm('a', 'a')
norm('  x  ')
{a => 1, b => 2}.set()
{}.set({a => 3})
$.d.set({x => 2, q => 3})
[1, 2, 3].toDict([1])
[1, 2, 3].toDict({a => 3})
$.people.toDict($)
$.people.toDict([$])
$.people.toDict($.name)
[[1, 2]].toDict($)
[1].toDict([$, 1])
$.l.toDict(set($))
$.l.toDict($, [$])
[[1, 2], [3]].toDict($.len())
characters()
characters(null)
characters(false)
characters(true).len()
characters(digits => true).orderBy($)
characters(hexdigits => true).orderBy($)
characters(asciiLowercase => true).len()
characters(asciiLetters => true, digits => true).len()
characters(printable => true).len()
characters(punctuation => true).orderBy($).join('')
characters(whitespace => true).len()
characters(octdigits => true).orderBy($)
characters(letters => true)
characters(lowercase => true)
characters(1)
characters(digits => 1)
characters(false, true).orderBy($)
true.switchCase()
true.switchCase(1)
true.switchCase(0, 1)
false.switchCase(0, 1)
pow(2, 70).switchCase(1, 2)
(-1).switchCase(1, 2)
bitwiseNot(true)
bitwiseNot(false)
bitwiseNot(5)
$.l.where($ > 1) = [3, 2]
$.l.where($ > 1) != [3, 2]
$.l.select($) = $.l.select($)
$.l.orderBy($) = [1, 2, 3]
$.l.skip(1) = [1, 2]
$.l.distinct() != [3, 1, 2]
$.l.select($) + [1] = [3, 1, 2, 1]
$.l + [1] = [3, 1, 2, 1]
[$.l.select($), 1] = [[3, 1, 2], 1]
{a => $.l.where(true)} = {a => [3, 1, 2]}
$.d.keys() = ['x', 'y', 'list']
$.d.keys() = $.d.keys()
$.d.values() = $.d.values()
$.l.toList() = [3, 1, 2]
$.l.select($).toList() = [3, 1, 2]
$.people.name = ['ann', 'bob', 'cid']
$.people.name.len()
$.people.name.first()
isList($.people.name)
$.people.foo = 1
isList($.l.select($))
isList($.l.orderBy($))
isList($.d.keys())
isList($.l)
isList('a,b'.split(','))
isSet($.d.keys())
isSet($.d.values())
str($.l.select($)).startsWith('<map object at 0x')
str($.l.where($)).startsWith('<filter object at 0x')
str($.l.distinct()).startsWith('<generator object distinct at 0x')
str($.l.orderBy($)).startsWith('<yaql.standard_library.queries.OrderingIterable object at 0x')
str($.l.select($) + [1]).startsWith('<itertools.chain object at 0x')
str($.people.name).startsWith('<map object at 0x')
str([1, $.l.reverse()]).startsWith('(1, <reversed object at 0x')
'{0}'.format($.l.skip(1)).startsWith('<itertools.islice object at 0x')
'{0}'.format([$.l.skip(1)]).startsWith('(<itertools.islice object at 0x')
$.l.select(1/0) = [1]
$.l.select(1/0).where(true) != 1
[$.l.where(1/0)] = 1
$.l.orderBy(1/0) = [1]
$.people.select($.foo) = 1
str($.l.select(1/0)).startsWith('<map')
isList($.l.select(1/0))
isIterable($.l.select(1/0))
[].accumulate($1 + $2) = 1
$.l.select(1/0).len() = 1
$.l.select(1/0).reverse() = 1
$.l.groupBy(1/0) = 1
[].accumulate($1 + $2).take(0).len()
str(1.0 mod -1)
$.l.where(false) and 1
$.l.where(false) or 1
not $.l.where(false)
bool($.l.where(false))
bool($.l.orderBy($).where(false))
not $.d.keys().where(false)
[$.l.where(false)].all()
[$.l.where(false), []].all()
$.l.all([])
$.l.where([].select($)).len()
switch($.l.where(false) => 1, true => 2)
$.l.select(1/0) and 1
$.people.where($.age > 30).first()
{k => [1]}.mergeWith({k => [2].select($)})
{k => 1}.mergeWith({k => [2].where(true)})
{a => 1, k => [1]}.mergeWith({b => 2}.set('k', [2].select($)))
{k => [1]}.mergeWith({k => [2]})
{k => {x => [1]}}.mergeWith({k => {x => $.l.skip(1)}})
$.people.where($.age > 99).first('none')
$.people.where($.age > 99).first()
$.people.where($.team = 'b').select($.name).first()
[1, 0].select(1 / $).first()
[1, 0].select(1 / $).take(1)
[1, 0].select(1 / $).take(2)
[1, 0].select(1 / $).take(2) = 1
[1, 0].where(1 / $).any()
['a', 'b'].where(-1 = $.vms.name).join('') != 'x'
'{0}: {1}'.format($.d.keys(), $.d.values())
str(-1.0 mod 1)
str(0 mod -1.5)
str(2.5 mod -1)
$.l.select(1/0).take(0).len()
$.l.select(1/0).where(true).take(0)
$.l.select(1/0).take(1)
isString($.people.select($.foo))
isString($.l.foo)
isList($.people.foo)
'{0}: {1}'.format($.l.where($.foo), 1).startsWith('<filter object at 0x')
let(x => $.l.where($ > 1)) -> [$x.len(), $x.len()]
let(x => $.l.select($)) -> [$x, $x]
let(x => $.people.name) -> [$x.len(), $x.len()]
let(x => range(3)) -> [$x.sum(), list($x)]
let(x => $.l.skip(1)) -> [$x.len(), $x.len()]
let(x => $.l.distinct()) -> [$x.toList(), $x.toList()]
let(x => $.l.where($ > 0)) -> $x.len() + $x.len()
let(x => $.l.where($ > 0)) -> {a => $x.len(), b => $x.len()}
let(x => $.l.where($ > 0)) -> [$x.first(), $x.first(), $x.first(0), $x.first(0)]
let(x => $.l.where($ > 0)) -> [$x.first(), $x.len()]
let(x => $.l.where($ > 0)) -> [$x.take(2), $x]
let(x => $.l.where($ > 0)) -> [$x.limit(1).len(), $x]
let(x => $.l.where($ > 0)) -> [$x.takeWhile($ > 2), $x]
let(x => $.l.where($ > 0)) -> [$x.where($ < 2).first(), $x]
let(x => $.l.where($ > 0)) -> [$x.select($ * 10).first(), $x]
let(x => $.l.where($ > 0)) -> [$x.skip(1).first(), $x]
let(x => $.l.where($ > 0)) -> [$x.any(), $x]
let(x => $.l.where($ > 0)) -> [$x.any($ < 2), $x]
let(x => $.l.where($ > 0)) -> [$x.all($ > 2), $x]
let(x => $.l.where($ > 0)) -> [$x.all(), $x]
let(x => $.l.where($ > 0)) -> [$x.contains(1), $x]
let(x => $.l.where($ > 0)) -> [$x.indexOf(1), $x]
let(x => $.l.where($ > 0)) -> [$x.indexOf(7), $x]
let(x => $.l.where($ > 0)) -> [1 in $x, $x]
let(x => $.l.where($ > 0)) -> [$x.join(','), $x]
let(x => $.l.where($ > 0)) -> [$x.sum(), $x.max()]
let(x => $.l.where($ > 0)) -> [$x.reverse(), $x]
let(x => $.l.where($ > 0)) -> [$x = $x, $x != $x, $x = [3, 1, 2], $x.len()]
let(x => $.l.where($ > 0)) -> [str($x).startsWith('<filter object at 0x'), $x.len()]
let(x => $.l.where($ > 0)) -> $x[0]
let(x => $.l.where($ > 0)) -> let(y => $x) -> [$y.len(), $x.len()]
let(x => $.l.where($ > 0), y => 1) -> [$x.len(), $x, $y]
let($.l.where($ > 0)) -> [$1.len(), $.len()]
with($.l.where($ > 0)) -> [$1.len(), $1.len()]
let(x => $.l.where($ > 0).memorize()) -> [$x.len(), $x.len()]
let(x => list($.l.where($ > 0))) -> [$x.len(), $x.len()]
let(x => $.l.orderBy($)) -> [$x.sum(), $x.sum()]
let(x => $.people.where($.age > 30)) -> {count => $x.len(), names => $x.name}
let(x => $.l.where($ > 0)) -> [[$x], $x.len()]
let(x => $.l.where($ > 0)) -> [{a => $x}, $x.len()]
let(x => $.l.where($ > 0)) -> {a => $x, b => $x.len(), c => $x.take(1)}
let(x => $.l.where($ > 0)) -> [$x.skip(1).first(-1), $x.take(1), $x.count()]
let(x => range(5)) -> [$x, $x.any(), $x.where($ > 2).first(-1), $x.skip(1).first(-1)]
let(x => $.l.where($ > 0)) -> [$x, $x.join(','), 1 in $x]
let(x => $.l.where($ > 0)) -> [$x.reverse(), $x.len()]
let(x => $.people.where(true)) -> [$x.name, $x.len()]
let(x => $.l.where($ > 0)) -> [$x.select($ * 2), $x.first()]
range(-2, 5).repeat(2)
$.l.select($).repeat(3)
$.l.orderBy($).repeat(2)
$.l.repeat(2)
$.l.where($ > 1).repeat(2).select($.len())
$.l.where($ > 1).repeat(1)
[1, 2, 3].orderBy($ mod 3).accumulate($1 + $2).repeat(2)
let(x => $.l.where($ > 1)) -> [isList($x), $x.len()]
let(x => $.l.where($ > 1)) -> [isIterable($x), $x.len()]
let(x => $.l.where($ > 1)) -> [isString($x), $x.len()]
let(x => $.l.where($ > 1)) -> ['{0}'.format($x).startsWith('<filter'), $x.len()]
let(x => $.l.where($ > 1)) -> [$x != null, $x.len()]
let(x => $.l.where($ > 1)) -> [bool($x), $x.len()]
let(x => $.l.where($ > 1)) -> [not $x, $x.len()]
let(x => $.l.where($ > 1)) -> [$x and 1, $x.len()]
let(x => $.l.where($ > 1)) -> [switch($x => 1, true => 2), $x.len()]
let(x => $.l.where($ > 1)) -> [any($x), $x.len()]
let(x => $.l.where($ > 1)) -> [all($x, $ > 2), $x.len()]
let(x => $.l.where($ > 1)) -> [any($x, $ > 1), list($x)]
let(x => [0, 1].select($)) -> [all($x), list($x)]
any([0, 1])
let(x => $.l.where($ > 1)) -> [$x.concat([1]), $x.len()]
str([3, 1, 2].toSet())
str(set(3, 1, 2))
str([2.5, 1, pow(2, 70)].toSet())
str([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].toSet())
str([100, 33, 17, 8, 1, -1, -2, 64, 1000000].toSet())
str(range(40).select(40 - $).toSet())
str(range(30).select($ * 8).toSet())
str([true, 5, false, 2.0].toSet())
str(set(3, 1, 2).union(set(9, 0)))
str(set(3, 1, 2).add(0))
str([pow(2, 64), -pow(2, 64), pow(2, 61) - 1, pow(2, 61), 12345678901234567890].toSet())
str(set(8, 16, 24, 0))
str(set(7, 15, 23, 31, 39, 47))
str([0.5, 1.5, -0.25, 3.75, -7, 0.1, 2.2, 1000000.5].toSet())
let(active => $.people.where($.team = 'a')) -> $.people.select($active.len())
let(active => $.people.where($.team = 'a')) -> switch($active.len() > 0 => $active.name, true => [])
let(active => $.people.where($.team = 'a')) -> $active.len() > 0 and $active.first().name
let(ids => $.people.select($.team)) -> dict(ids => $ids, count => $ids.len())
let(ids => $.people.select($.team)) -> {ids => $ids, count => $ids.len()}
let(ids => $.people.select($.team)) -> {count => $ids.len(), ids => $ids}
let(ids => $.people.select($.team).toList()) -> {count => $ids.len(), ids => $ids}
let(n => $.l.where($ > 2)) -> $n.sum() / $n.len()
let(names => $.people.name) -> $names.join(', ') + ' (' + str($names.len()) + ')'
let(a => $.l.where($ > 2), b => $.l.where($ < 5)) -> $a.toSet().intersect($b.toSet())
with($.people.where($.age > 26)) -> [$1.name, $1.len()]
let(x => $.people.where($.age > 26)) -> $x.select($.name).concat($x.select($.team))
let(x => $.people.where($.age > 26)) -> $x.orderBy($.age).select($.name) + $x.select($.team)
let(x => $.people.where($.age > 26)) -> [$x.where($.team = 'a').len(), $x.where($.team = 'b').len()]
let(x => $.people.where($.age > 26)) -> {a => $x.first(), b => $x.last()}
let(x => $.people.where($.age > 26)) -> $x.any($.age > 35) or $x.len() > 2
let(x => range(3)) -> $x.select($ * 2)
let(x => $.l.distinct()) -> $x.orderBy($)
dict([[1, 2]], k => 3)
dict(k => $.l.where($ > 1), n => 1)
let(x => $.l.where($ > 1)) -> dict(a => $x, b => $x.len(), c => 1)
let(x => $.l.where($ > 1)) -> dict(a => $x.take(1), b => $x.first())
'{0}: {1}'.format($.s, [$.d.keys(), range(5).last()])
str([$.d.keys()])
str({a => $.d.values()})
str([$.d.items()])
str([{a => 1}.keys(), $.l.select($)]).startsWith("(KeysView({'a': 1}), <map object at 0x")
str($.d.keys())
isIterable(let(x => range(-2, $.a).select($.words.min())) -> [$x.len(), $x, $x.first(0), $x.indexOf($)])
let(x => $.l.select(1 / 0)) -> 1
let(x => $.l.select(1 / 0)) -> $x.len()
let(x => $.l.select(1 / 0)) -> $x
let(x => $.l.select(1 / 0)) -> [$x].len()
let(x => $.l.select(1 / 0)) -> str($x).startsWith('<map')
let(x => $.l.select(1 / 0)) -> $x = 1
let(x => $.l.select(1 / 0)) -> $x.take(0)
let(x => $.l.select(1 / 0)) -> $x.first()
let(x => $.l.select(1 / 0)) -> isIterable($x)
let(x => $.l.select(1 / 0), y => 2) -> $y
let(x => $.l.select(1 / 0)) -> let(y => $x) -> 3
let(x => [1].orderBy(1 / 0)) -> 1
let(x => [1].select(1 / 0).reverse()) -> 1
$.l.slice(-1) = null
[3, 3, 1].slice(-1) != [1]
$.l.slice(-1)
$.l.slice(-1).len()
[$.l.slice(-1)].len()
$.l.slice('a')
let(x => range(0, 5)) -> [$x.any(), $x.join(',')]
let(x => range(5) + range(5)) -> [$x.any(), list($x)]
let(x => [0, 0, 1].select($)) -> [$x.all(), list($x)]
let(x => [0, 0, 1].select($)) -> [$x.any($ > 0), list($x)]
str([1, 2].memorize())
isList(range(1, 3).memorize())
range(1, 3).memorize() = [1, 2]
list(range(1, 3).memorize())
range(1, 3).memorize().len()
range(1, 3).memorize()
let(x => range(1, 4).memorize()) -> [$x.len(), $x.first(), list($x), $x]
let(x => $.l.where($ > 1).memorize()) -> [$x.len(), $x.len()]
range(1, 3).memorize()[0]
[1, 2].memorize()[0]
$.l.select($).memorize().select($ * 2)
range(3).memorize() and true
set(range(3).memorize())
$.l.orderBy($).memorize().len()
list([1, 2].memorize())
isInteger({1 => $.people.select([$.nope])})
isDict({1 => $.people.select([$.nope])})
isList([$.people.select([$.nope])])
isList({1 => $.people.select($.nope)})
isString([$.l.select(1 / 0)])
isIterable([$.l.select(1 / 0)])
isSet([$.l.select(1 / 0)])
isInteger([1 / 0])
isInteger({1 => $.people.select([[{cpu => 1, name => 'x'}].select($.ip).first(null), ' pad ']), k => regex('\\d+').search('ab'.toCharArray()[1])})
str(range(1, 3).memorize()).startsWith('<yaql.language.utils.memorize.<locals>.RememberingIterator object at 0x')
false or let(x => 2) -> $x * 3
true or let(x => 2) -> $x * 3
1 and let(x => 2) -> $x * 3
0 and let(x => 2) -> $x * 3
let(x => 2) or 5 -> $x
let(x => 2) and let(y => 3) -> [$x, $y]
null or with(4) -> $1 + 1
(false or let(x => 2)) -> $x
false or (let(x => 2) -> $x)
[] or [1, 2].unpack(a, b) -> $a + $b
pow(2, 64) + -1.5 <= datetime(2024, 3, 10, 1, 2, 3, 456).weekday or let(x => $.a, y => 2.5) -> $x * $y = null
$.l.where(false) or let(x => 1) -> $x
str(let(x => 1) -> $.l.select($))
let(x => 1) -> $.l.select($) = [5]
isList(let(x => 1) -> $.l.select($))
let(x => 1) -> $.l.select(1 / 0)
[let(x => 1) -> $.l.select(1 / 0)].len()
(let(x => 1) -> $.l.select(1 / 0)) = 1
list(let(x => 1) -> $.l.select($))
let(x => 1) -> $.l.select($) and true
let(x => 1) -> [$.l.where($ > 8)]
let(x => {a => 1}) -> $x.keys()
let(x => {a => [1]}) -> $x.items()
str(let(x => 1) -> $.l.select($)).startsWith('<map object at 0x')
str(let(x => $.l.where($ > 1)) -> $x).startsWith('<filter object at 0x')
'{0}'.format(let(x => $.l.where($ > 1)) -> $x).startsWith('<filter object at 0x')
str(let(x => [1, 2, 3].where($ > 1)) -> [0.5 in $x, $x.first(0), $x, $x.indexOf($)]).startsWith('(False, 0, <filter object at 0x')
str($.l.repeat(2))
str($.l.select($).repeat(2)).startsWith('repeat(<map object at 0x')
'{0}'.format([1, 'a'].repeat(3))
str([$.l.repeat(1)])
str(1.repeat(2))
[{cpu => 1, name => 'x'}].join([{cpu => 1, name => 'x'}], $1.cpu = $2.cpu, [$1.name, $2.status]) != 1
[{cpu => 1, name => 'x'}].join([{cpu => 1, name => 'x'}], $1.cpu = $2.cpu, [$1.name, $2.status])
[[{cpu => 1, name => 'x'}].join([{cpu => 1, name => 'x'}], $1.cpu = $2.cpu, [$1.name, $2.status])].len()
[1, 2].join([2, 3], $1 = $2, [$1, $2])
str([1, 2].join([2, 3], $1 = $2, [$1, $2])).startsWith('<generator object join')
null <= [{cpu => 1}].select($.disk)
null < [{cpu => 1}].select($.disk)
[{cpu => 1}].select($.disk) > null
[{cpu => 1}].select($.disk) >= null
1 <= [{cpu => 1}].select($.disk)
null <= [1].select($)
null > [1].select($)
[1].select(1/0) < [1].select(1/0)
[$.l.select(1 / 0)].len()
[$.l.select(1 / 0), 1].len()
[$.l.select(1 / 0), 1 / 0].len()
[$.l.select(1 / 0), $.l.where($.x)].count()
{a => $.l.select(1 / 0), b => 1}.len()
{a => $.l.select(1 / 0), a => 2}.len()
{a => $.l.select(1 / 0), b => 1 / 0}.len()
len([$.l.select(1 / 0)])
len([[$.l.select(1 / 0)], 3])
count([$.l.select(1 / 0)])
[$.l.select(1 / 0), 2][1]
[$.l.select(1 / 0), 2][-1]
[$.l.select(1 / 0), 2][0]
[$.l.select(1 / 0), 2][5]
[$.l.select(1 / 0), 1 / 0][0]
[$.l.select(1 / 0), 2, 1 / 0][1]
([$.l.select(1 / 0)]).len()
[$.l.select(1 / 0)].len() + 1
[$.people.select($.nope), $.people.where($.cpu > 'a')].len()
str(datetime(2024, 2, 29, 12, 30))
str([datetime(2024, 2, 29, 12, 30)])
str({a => datetime(2024, 2, 29, 12, 30, 1, 5)})
str([datetime(2024, 2, 29, 12, 30, offset => timespan(hours => 2))])
str([datetime(2024, 2, 29, 12, 30, offset => timespan(hours => -5, minutes => -30))])
str(datetime(2024, 2, 29, 12, 30, offset => timespan(hours => 2)))
str(timespan(hours => 36, minutes => 5))
str([timespan(hours => 36, minutes => 5, microseconds => 7)])
str([timespan(seconds => -90)])
str(timespan(seconds => -90))
str([timespan()])
str(datetime(2024, 2, 29).time)
str(datetime(2024, 2, 29).utc)
str(datetime(2024, 2, 29).date)
str(now(offset => timespan(hours => 1)).offset)
'{0}'.format(datetime(2024, 2, 29))
'{0}'.format([datetime(2024, 2, 29)])
'x' + str(datetime(2024, 2, 29))
str(regex('a.c'))
str([regex('a.c')])
str([datetime('2024-02-29T12:30:00+02:00')])
str([datetime(2024, 2, 29, 12, 30, 0, 500000)])
str([timespan(days => -1)])
str([timespan(days => 1, microseconds => -1)])
str([datetime(2024, 2, 29, offset => timespan())])
str([datetime(0)])
str([datetime('2024-02-29')])
str([datetime(2024, 2, 29, 12, 30, 5)])
str([datetime(2024, 2, 29, 12, 30, 5).date, datetime(2024, 2, 29, 12, 30, 5).utc])
str([regex('a.c', ignoreCase => true)])
str(regex('a.c', multiLine => true, dotAll => true))
str([datetime(2024, 2, 29, offset => timespan(hours => 2)).utc])
str([datetime(2024, 2, 29, offset => timespan(hours => 2)) - timespan(hours => 1)])
str([datetime(2024, 2, 29, 1, offset => timespan(hours => 2)).date])
str([datetime(2024, 2, 29, 12, 30, 5).replace(hour => 1)])
str([datetime(2024, 2, 29, 12) + timespan(hours => 1)])
""".strip().splitlines()


# A matrix of every binary operator over operands of every type, and of
# common functions over the same values: results are compared exactly;
# for these generated cases an error only has to be an error ("error_any"),
# since its text is yaql's internal wording for an unlikely input.
OPERANDS = ["1", "-2", "7", "2.5", "0", "'ab'", "''", "[1, 2]", "[]", "{a => 1}", "null", "true", "false"]
BINARY = ["+", "-", "*", "/", "mod", "=", "!=", "<", ">", "<=", ">=", "and", "or", "in"]
UNARY_FUNCS = ["len({})", "str({})", "int({})", "float({})", "bool({})", "isString({})", "isInteger({})",
               "isList({})", "isDict({})", "not {}", "-{}", "{} = null", "list({})", "isNumber({})",
               "isBoolean({})", "abs({})", "{}.len()"]


# Refusals whose wording prints one of yaql's Python objects (an ordering
# iterable, a dict view, a map object, with its address): compared loosely,
# as the generated cases are (so written without the context).
SIGNATURE_LOOSE = r"""
[3, 1, 2].orderBy($).len()
len([3, 1, 2].orderBy($))
{a => 1}.values().len()
len({a => 1}.values())
[3, 1, 2].orderBy($).thenBy($).thenByDescending($).len()
[3, 1, 2].orderBy($).select($).thenBy($)
[3, 1, 2].select($).thenBy($)
{a => 1}.keys().union(set(1))
""".strip().splitlines()


def matrix():
    for op in BINARY:
        for a in OPERANDS:
            for b in OPERANDS:
                yield "%s %s %s" % (a, op, b)
    for f in UNARY_FUNCS:
        for a in OPERANDS:
            yield f.format(a)


# Python's lists inside yaql: what split() and list.insert return (and
# Mistral's functions: gen_function_cases.py) is not converted to tuples,
# so it prints as a list, is not equal to a tuple and cannot be hashed;
# dict views print as Python's.
EXPRS += """
str('a,b'.split(','))
let(x => 'a b'.split()) -> str($x)
'{0}'.format('a b'.split())
str('a,b'.rightSplit(','))
str(dict(a => 'a b'.split()))
str(['a b'.split()])
str('a b'.split().insert(0, 1))
str([1, 2].insert(0, 3))
str($.l.insert(0, 3))
'a b'.split() = ['a', 'b']
'a b'.split() = list('a', 'b')
'a b'.split() in [['a', 'b']]
['a b'.split()].distinct()
$.l.select({a => $}).distinct()
'{0:>5}'.format($.d)
str($.d.keys())
str($.d.values())
str($.d.items())
str(dict().keys())
{a => 1}.mergeWith({a => {b => 1}})
int([1, 2])
float({a => 1})
int(set(1))
float([])
[1, 2].unpack('a')
[1, 2, 3].unpack('a', 'b')
[1, 2].unpack()
with(1)
str(range(5).splitAt(2))
str([].splitAt(1))
range(5).splitAt(2) = [[0, 1], [2, 3, 4]]
hex(2.5)
hex(null)
[1].enumerate(null)
pow(2, 70) * 'ab'
[1] * pow(2, 70)
'héllo'.in 'abc'
'é' ! 1
'\\ud83d\\ude00'
'a\\ud83d\\ude00b'
dict([1, 2, 3])
dict(['b', 'a'])
dict([[1, 2], [3]])
dict(set(1, 2))
dict([null, 1])
dict(['ab', 'cd'])
dict([[1, 2, 3]])
dict([{a => 1, b => 2}])
dict(['é€'])
set(1, 2).unpack()
""".strip().splitlines()

# A datetime's zone as Python holds it: dateutil reads a zero offset
# named UTC (Z, +00:00, UTC) as tzlocal() on a UTC host (this one, as
# Mistral's), GMT as tzutc(); strptime's %z gives a datetime.timezone; the
# operators, date, utc and replace keep the zone.
EXPRS += """
str([datetime('2024-02-29T10:00:00Z')])
str([datetime('2024-02-29T10:00:00+00:00')])
str([datetime('2024-02-29T10:00:00-00:00')])
str([datetime('2024-02-29T10:00:00z')])
str([datetime('20240229T100000Z')])
str([datetime('2024-02-29 10:00:00 UTC')])
str([datetime('Feb 29 2024 10:00 UTC')])
str([datetime('2024-02-29 10:00:00 GMT')])
str([datetime('2024-02-29 10:00 +0000')])
str({a => datetime('2024-02-29T10:00:00Z')})
str([datetime('2024-02-29T10:00:00Z').utc, datetime('2024-02-29T10:00:00Z').date])
str([datetime('2024-02-29T10:00:00Z') + timespan(hours => 1), timespan(hours => 1) + datetime('2024-02-29T10:00:00Z')])
str([datetime('2024-02-29T10:00:00Z') - timespan(hours => 1)])
str([datetime('2024-02-29T10:00:00Z').replace(hour => 1)])
str([datetime('2024-02-29T10:00:00Z').replace(offset => timespan())])
str(datetime('2024-02-29T10:00:00Z'))
datetime('2024-02-29T10:00:00Z')
datetime('2024-02-29T10:00:00Z') = datetime(2024, 2, 29, 10)
datetime('2024-02-29 10:00:00 UTC').hour
str([datetime('2024-02-29 10:00 +0000', '%Y-%m-%d %H:%M %z')])
str([datetime('2024-02-29 10:00 +0200', '%Y-%m-%d %H:%M %z')])
str([datetime('2024-02-29 10:00 -0200', '%Y-%m-%d %H:%M %z') + timespan(days => 1)])
str(datetime('2024-02-29 10:00 +0000', '%Y-%m-%d %H:%M %z'))
""".strip().splitlines()

# orderBy over dict keys() views compares them as yaql's `<` does, a
# proper-subset test, in Python's sort (equal or unrelated views keep their
# order); x.repeat(n) of an iterator is the one iterator object n times,
# each true.
EXPRS += """
[1, 2].select([$, {a => 1}.keys()]).orderBy($[1])
[1, 2].select({a => $}.keys()).orderBy($)
[1, 2].select([$, {a => 1}.delete('code').keys()]).orderBy($[1])
[{a => 1}.keys(), {b => 1}.keys()].orderBy($)
[{a => 1, b => 2}.keys(), {b => 1}.keys(), {}.keys()].orderBy($).select($.len())
[{a => 1, b => 2}.keys(), {b => 1}.keys(), {c => 1, d => 2, e => 3}.keys(), {}.keys()].orderByDescending($).select($.len())
[3, 1, 2].select({a => $}.keys()).orderByDescending($)
$.people.select([$.name, $.keys()]).orderByDescending($[1]).select($[0])
$.people.select({a => $.age}.keys()).orderBy($)
[1, 2].select({a => $}.values()).orderBy($)
[1, 2].select([{a => $}.keys()]).orderBy($)
range(0, 3).accumulate($1 + $2).repeat(2).all()
not $.l.where($ > 5).select($).repeat(2).all()
$.l.select($).repeat(3).all()
[].select($).repeat(2).all()
$.l.orderBy($).repeat(2).all()
$.l.select($).repeat(2).any()
""".strip().splitlines()

# One Python iterator bound to a variable, read while it is being read:
# select/where pull one item at a time, so a lambda reading the variable
# takes what is left; any/all/in/contains/indexOf read as far as their
# loop goes, also through select/where stages on any collection (the items
# after the one found are never made). A value holding the iterator unread
# (`$x or y`, coalesce, d.set(k, $x)) is read when the literal is, after
# the other items; a def() function gives what its body gives.
EXPRS += """
let(x => $.l.where($ > 1)) -> $x.select($x.len())
let(x => $.l.select($)) -> $x.select($x.sum())
let(x => $.l.select($)) -> $x.where($x.len() > 0)
let(x => $.people.select($.age)) -> $x.select($x.take(1))
let(x => $.people.select($.age)) -> $x.select(list($x.take(1)))
let(x => $.people.select($.age)) -> $x.select($ + $x.first(0)).len()
let(x => $.people.select($.name)) -> $x.select($x.join(','))
let(x => $.l.select($)) -> $x.select($x.len()).select($x.len())
let(x => $.l.select($)) -> [$x.select($ * 2), $x.len()]
let(x => $.l.select($)) -> $x.select($ * 2).len() + $x.len()
let(x => $.l.where($ > 0)) -> $x.where($ > 1).select([$, $x.first(null)])
let(x => $.l.select(1 / ($ - 1))) -> [$x.select($), 1][1]
let(x => $.l.where($ > 0)) -> $x.all($x.len() > 0)
let(x => $.l.where($ > 0)) -> $x.any($x.len() > 10)
let(x => $.l.where($ > 0)) -> [$x.any($ < 2), $x.len()]
let(x => $.l.where($ > 0)) -> [$x.all($ > 1), $x]
let(x => $.l.select($)) -> [1 in $x.select($), $x.len()]
let(x => $.l.select($)) -> [$x.select($ * 2).indexOf(2), $x.len()]
1 in [1, 0].select(1 / $)
2 in [1, 2, 0].select(2 / $).where($ > 0)
[1, 0].select(1 / $).contains(1)
[1, 0].select(1 / $).any($ = 1)
[1, 0].select(1 / $).all($ > 5)
[3, 1, 0].where($ < 3).select(1 / $).indexOf(1)
4 in sequence().select($ * 2)
'cid' in $.people.where($.age > 30).select($.name)
5 in [1, 0, 2].select(2 / $)
let(x => $.l.select($)) -> [{a => 1}.set('k', $x), $x.len()]
let(x => $.l.select($)) -> [{a => 1}.set({k => $x}), $x.len()]
let(x => $.l.select($)) -> [{}.set(k, $x), $x.first()]
let(x => $.l.select($)) -> [$x or 1, $x.len()]
let(x => $.l.select($)) -> [$x or 1, $x.first()]
let(x => $.l.select($)) -> {a => $x or 1, b => $x.take(2)}
let(x => $.l.select($)) -> [coalesce($x, 1), $x.len()]
let(x => $.l.select($)) -> [coalesce(null, $x), $x.len()]
let(x => $.l.select($)) -> [$x.first(), coalesce($x, 2)]
let(x => $.l.where($ > 5)) -> [$x or 1, $x.len()]
let(x => $.l.select($)) -> str($x or 1)
str($.l.select($) or 1)
str(null or $.l.select($))
str(true and $.l.select($))
str(0 or $.l.orderBy($))
isList(null or $.l.select($))
str(null and $.l.where(true))
(null or $.l.select($))[0]
not (false or [].select($))
def(f, $1.where($ > 1)) -> let(y => f($.l)) -> [$y.len(), $y.len()]
def(f, $1.where($ > 1)) -> str(f($.l))
def(f, $1.where($ > 1)) -> f($.l) = f($.l)
def(f, $1.where($ > 1)) -> isList(f($.l))
def(f, $1.select($ * 2)) -> f($.l)[0]
def(f, $1.orderBy($)) -> str(f($.l))
def(f, $1.select($)) -> let(x => f($.l)) -> [$x.first(), $x.first()]
def(f, $1.select($)) -> let(x => f($.l)) -> [$x.take(2), $x.first(), $x.len()]
def(f, $1.select(1 / $)) -> [f([0, 1]), 1][1]
def(f, $1.where($ > 9)) -> bool(f($.l))
def(f, [$1, $1]) -> str(f(2))
def(first, 1) -> let(x => $.l.select($)) -> [first(), $x.len()]
""".strip().splitlines()

# A dict a function built holds the iterators and views it was given as
# they are: str() prints Python's objects (d.set, dict(k => v), mergeWith,
# toDict), what is stored is their items.
EXPRS += """
str({a => 1}.set('k', [1].select($)))
'{0}: {1}'.format(dict(a => 1, b => 2).set('k', ['a', 'b'].select($).orderBy(-$.len())), 1)
str({}.set({k => [1].select($)}))
str([1, 2].toDict($, [$].select($)))
str($.people.toDict($.name, [$.age].where(true)))
str({a => 1}.mergeWith({b => [1].select($)}))
str({a => [1]}.mergeWith({a => [2].select($)}))
str(dict(a => [1].select($)))
str({a => {b => 1}}.set('a', [1].select($)))
{a => 1}.set('k', [1].select($))
str({a => 1}.set('k', {b => 1}.keys()))
str({a => [1].select($)}.set('k', 2))
str({a => [1].select($)}.set('a', 2))
str({a => [1].select($), b => 1}.set({b => [2].select($)}))
str({a => 1}.set('k', [1].select($)).set(j, [2].where(true)))
str([{a => 1}.set('k', [1].select($))])
str([1, 2].toDict($, $ * 2))
""".strip().splitlines()

# defaultIfEmpty() of an iterator that is not empty gives it back
# memorized: a RememberingIterator, read again at each read.
EXPRS += """
str($.people.selectMany([$.age]).defaultIfEmpty([0]))
str([[1]].selectMany($).defaultIfEmpty([0]))
str([].select($).defaultIfEmpty([0]))
str([1].defaultIfEmpty([0]))
isList($.people.selectMany([$.age]).defaultIfEmpty([0]))
str([$.people.selectMany([$.age]).defaultIfEmpty([0])])
str($.l.orderBy($).defaultIfEmpty([0]))
let(x => $.people.selectMany([$.age]).defaultIfEmpty([0])) -> [$x.len(), $x.len()]
let(x => [].select($).defaultIfEmpty([0])) -> [$x.len(), $x.len()]
""".strip().splitlines()

# `v in a + b` over an iterator is itertools.chain: b's items are made only
# when a does not hold v; a dict's items() view held in select()'s items
# or a dict set() or dict() built fails Mistral's output as it does at the
# top; list() of an ordering iterable or a view holds the object.
EXPRS += """
1 in range(5) + [0].select(1 / $)
7 in range(5) + [0].select(1 / $)
3 in [0].select(1 / $) + range(5)
3 in range(5) + [1]
true in range(5) + $.l.orderByDescending($).select($.nope)
$.people.select({x => $.items()})
[1].select({a => 1}.items())
dict(a => 1).set('body', $.d.set(code, 1).items())
dict(a => {b => 1}.items())
[1].select({}.items())
str(list($.l.orderBy($)))
str(list({a => 1}.keys()))
str(list({a => 1}.values()))
str([list($.l.orderBy($))])
list($.l.orderBy($))
let(x => range(5).distinct().orderByDescending($)) -> str([$x.count(), list($x)])
""".strip().splitlines()

# `v in d.items()` unpacks v into a key and a value, as ItemsView does.
EXPRS += """
null in {a => 1}.items()
1 in {a => 1}.items()
2.5 in {a => 1}.items()
[a, 1] in {a => 1}.items()
[a, 2] in {a => 1}.items()
[a] in {a => 1}.items()
[a, 1, 2] in {a => 1}.items()
'ab' in {a => 'b'}.items()
{a => 1} in {a => 1}.items()
[[1], 2] in {a => 1}.items()
['x', 1] in $.d.items()
$.people.where($.age in {a => 1}.items()).select($.name)
""".strip().splitlines()

# mergeWith of a receiver's iterator with another's tuple or dict is
# _merge_dicts' TypeError, naming the iterator's class.
EXPRS += """
{a => [1].select($)}.mergeWith({a => [2]})
{a => [1].select($)}.mergeWith({a => {b => 1}})
{a => [1].orderBy($)}.mergeWith({a => [2]})
{a => [1].distinct()}.mergeWith({a => [2]})
{a => [1].take(1)}.mergeWith({a => [2]})
{a => [1].select($)}.mergeWith({a => 2})
{a => 1}.set(a, [1].where(true)).mergeWith({a => [2]})
$.e.mergeWith({k => $.l.where($ > 1)}).mergeWith({k => [1, 2]})
$.d.delete('x').mergeWith({k => $.l.where($ > 1)}).delete('y').mergeWith({k => [1]})
{k => $.l.select($).flatten()}.mergeWith({k => [1]}.mergeWith($.d))
""".strip().splitlines()

# mergeWith replaces with another's view as with an iterator.
EXPRS += """
{k => 1}.mergeWith({k => {a => 1}.keys()})
{k => 'a'}.mergeWith({k => {a => 1}.values()})
$.d.mergeWith($.d.delete('x').mergeWith({a => 1}.set('k', $.s))).mergeWith({x => 2, k => $.e.items()}.mergeWith({a => 1, b => [2]}.delete('a')))
""".strip().splitlines()

# An iterator whose items fail, held unread in a list or dict (a literal,
# dict(k => v), d.set(k, v), toDict's values, select's or where's lambda):
# the container is made, counted, indexed and printed; what reads the
# iterator fails (the result, a function given it, flatten; json_dump
# and yaml_dump: scripts/gen_function_cases.py).
EXPRS += """
str(dict(a => [1, 0].select(1 / $)))
dict(a => [1, 0].select(1 / $)).len()
dict(a => [1, 0].select(1 / $)).keys()
dict(a => [1, 0].select(1 / $)).get(b, 5)
dict(a => [1, 0].select(1 / $), b => 2).b
dict(a => [1, 0].select(1 / $))
{a => [1, 0].select(1 / $), b => 2}.b
{a => [1, 0].select(1 / $), b => 2}.len()
str({a => [1, 0].select(1 / $)})
{a => [0].select(1 / $)}.a
{a => [0].select(1 / $)}.a.len()
{a => [0].select(1 / $)}.containsKey(a)
{a => [0].select(1 / $), b => 1}.delete(a)
{a => [0].select(1 / $), b => 1}.get(b, 2)
[1, 2].toDict($, [0].select(1 / $))
[1, 2].toDict($, [0].select(1 / $)).len()
str([1, 2].toDict($, [0].select(1 / $)))
[1, 2].toDict($, [0].select(1 / $)).keys()
isDict([1, 2].toDict($, [0].select(1 / $)))
{a => 1}.set(b, [0].select(1 / $)).len()
{a => 1}.set(b, [0].select(1 / $)).a
str({a => 1}.set(b, [0].select(1 / $)))
str({a => 1}.mergeWith({b => [0].select(1 / $)}))
{a => 1}.mergeWith({b => [0].select(1 / $)}).len()
dict([[a, [0].select(1 / $)]]).len()
[{a => [0].select(1 / $)}][0].len()
let(d => {a => [0].select(1 / $)}) -> $d.len()
let(d => dict(a => [0].select(1 / $))) -> $d.keys()
dict(a => [0].select(1 / $)).values().count()
[[0].select(1 / $), 2].last()
[[0].select(1 / $), 2].select($).len()
[[0].select(1 / $), 2].select(str($)).join(' ')
[[0].select(1 / $), 2].where($ = 2)
[[0].select(1 / $), 2].select($)
[[0].select(1 / $), 1].reverse().last()
[[0].select(1 / $), 1].take(1).len()
[[0].select(1 / $)].flatten().len()
[[0].select(1 / $), [1]].selectMany($)
[[0].select(1 / $), 1].sum()
[[0].select(1 / $), 1].contains(1)
[1, 2].select([0].select(1 / $)).len()
[1, 2].select([0].select(1 / $))
[1, 2].select([0].select(1 / $)).take(1).len()
[1, 2].select([0].select(1 / $)).limit(1).len()
[1].where([0].select(1 / $))
[1, 2].select([$].select(1 / ($ - 1))).where(true).len()
let(x => [[0].select(1 / $), 1]) -> $x.len()
let(x => [[0].select(1 / $), 1]) -> $x.count()
let(x => {a => [0].select(1 / $)}) -> $x.len()
let(x => [0].select(1 / $)) -> [$x, 1].len()
let(x => [0].select(1 / $)) -> {a => $x}.len()
let(x => [0].select(1 / $)) -> [$x, 1][1]
with([[0].select(1 / $), 1]) -> $1.len()
with([0].select(1 / $)) -> [$1].count()
""".strip().splitlines()

# groupBy()'s groups are Python lists (yaql's setdefault(key, [])): printed
# as lists, never equal to a tuple, unhashable. A def() function is no
# method: `x.f()` is the library's method or unknown.
EXPRS += """
str([1, 2, 3].groupBy($ mod 2).first())
str([1, 2, 3].groupBy($ mod 2).first()[1])
[1, 2, 3].groupBy($ mod 2).select(str($))
str(list([1, 2, 3].groupBy($ mod 2)))
[1, 2, 3].groupBy($ mod 2).first()[1] = [1, 3]
[1, 2, 3].groupBy($ mod 2).distinct()
[1, 2, 3].groupBy($ mod 2).toSet()
[1, 2, 3].groupBy($ mod 2, $, str($))
[1, 2, 3].groupBy($ mod 2, $, $ + [1])
[1, 2, 3].groupBy($ mod 2, $, $ + $)
$.people.groupBy($.team, $.name, str($))
$.people.groupBy($.team, $.age, $.sum())
$.people.groupBy($.team, $.age, [$[0], $[1]])
def(f, $1 + 1) -> 2.f()
def(f, $1.len()) -> $.l.f()
def(f, $1 + 1) -> 2.f(1)
def(f, $1 + 1) -> [2].select($.f())
def(len, 7) -> $.l.len()
def(len, 7) -> len($.l)
def(f, $1 + 1) -> [2].select(f($))
""".strip().splitlines()

# keys() and items() views compare as Python's sets (Set.__eq__): in any
# order, a FrozenDict's ItemsView unpacking each key of the other side; an
# items() view held in toDict()'s values (through delete()) fails the
# output as at the top.
EXPRS += """
{a => 1, b => 2}.keys() = {b => 1, a => 2}.keys()
{a => 1, b => 2}.items() = {b => 2, a => 1}.items()
{a => 1, b => 2}.items() != {b => 2, a => 1}.items()
{a => 1}.keys() = {a => 1}.items()
{a => 1}.keys() != {a => 1}.items()
{ab => 1}.keys() = {a => 'b'}.items()
{a => 1}.items() = {a => 1}.keys()
{a => 1}.keys() = {b => 1}.items()
{1 => 1}.keys() = {a => 1}.items()
{}.keys() = {}.items()
{a => 1, b => 1}.keys() = {a => 1}.items()
$.d.keys() = $.d.items()
$.d.keys() = $.d.keys()
$.people.toDict($.name, {a => 1}.items())
$.people.toDict($.name, {a => 1}.items()).delete('ann')
$.people.toDict($.name, {a => 1}.keys())
{a => {b => 1}.items(), c => 1}.delete(a)
{a => {b => 1}.items(), c => 1}.delete(c)
[1].toDict($, {}.items())
""".strip().splitlines()

# groupBy() as yaql's loop runs it: the value lambda, then the key lambda,
# then the key's hash, item after item; over an iterator variable the
# lambdas that read it again take what is left of it; a lambda that is an
# iterator variable gives the one object (one group as a key, read when
# the output is). Its aggregator is yaql's GroupAggregator, run in the map
# over the groups when the result is read (a failure is the reader's):
# a resolution error or an IndexError makes it try yaql 1.1.1's way,
# (key, values) giving the pair, for that group and the later ones.
EXPRS += """
[1].groupBy(1/0, [][1])
[1].groupBy([$], [][1])
[1].groupBy([$], $ / 0)
let(x => [1,2,3].select($)) -> $x.groupBy($x.len())
let(x => [1,2,3].select($)) -> $x.groupBy($, $x.len())
let(x => [1,2,3].select($)) -> $x.groupBy($, $, $x.len())
let(x => [1,2,3,4,5].select($)) -> $x.groupBy($x.first())
let(x => [1,2,3,4,5].where($ > 0)) -> $x.groupBy($ mod 2, $x.first(9))
let(x => [1,2,3].select($)) -> $x.select($).groupBy($x.len())
let(x => [1,2,3,4].select($)) -> $x.where($ > 1).groupBy($x.len())
let(x => [1,2,3].select($)) -> [$x.groupBy($), $x.len()]
let(x => [1,2,3].select($)) -> $x.groupBy($, $x)
let(x => [1,2,3].select($)) -> $x.groupBy($x.len(), $x.len())
let(x => [1,2,3].select($)) -> $x.groupBy($x.first(), $x.first())
let(x => [1,2,3,4].select($)) -> $x.groupBy($x.take(1).sum(), aggregator => $x.len())
let(x => [1,2,3,4].select($)) -> $x.groupBy(keySelector => $x.take(1).sum(), valueSelector => [$, $x.first(0)])
let(x => [1,2,3].select($)) -> $x.groupBy($x)
let(x => [1,2,3].select($)) -> $x.groupBy($x, $x)
let(x => [1,2,3].select($)) -> $x.groupBy($, $x, $.len())
let(x => [1,2,3].select($)) -> $x.groupBy($, $x, $[0].len())
let(y => [1,2].select($)) -> [1,2].groupBy($y)
let(y => [1,2].select($)) -> [1,2].groupBy($, $y)
let(y => [1,2].select($)) -> [1,2].groupBy($, [$y])
let(y => [1,2].select($)) -> [1,2].groupBy($, $y.take(1))
[[1].groupBy($, $, 1/0), 2][1]
[1].groupBy($, $, 1/0).len()
str([1].groupBy($, $, 1/0))
[1].groupBy($, $, 1/0).isList()
isList([1].groupBy($, $, 1/0))
let(x => [1].groupBy($, $, 1/0)) -> 3
[1].groupBy($, $, 1/0)
[1,2,3].groupBy($ mod 2, $, $[5])
[1,2,3].groupBy($ mod 2, $, $.foo())
[1,2,3].groupBy($ mod 2, $, foo($))
[1,2,3].groupBy($ mod 2, $, $.len(2))
[1,2,3].groupBy($ mod 2, $, len($, 2))
[1,3,2,4].groupBy($ mod 2, $, $[2])
[2,1,3].groupBy($ mod 2, $, [$[0]+1, $[1]])
[2,1,3].groupBy($ mod 2, $, [$[0]+1, $[1]].select($))
[2,1,3].groupBy($ mod 2, $, str($[1]) + 'a')
[2,1,3].groupBy($ mod 2, $, {a => $[1], b => 2})
[2,1,3].groupBy($ mod 2, $, set($[1], 2))
[2,1,3].groupBy($ mod 2, $, $[1] + 1)
[1,3].groupBy($ mod 2, $, [1, $.len()])
[1,3].groupBy($ mod 2, $, [1, $[5]])
[1,3].groupBy($ mod 2, $, $.select($))
[1,3,2,4].groupBy($ mod 2, $, [$[0], $.len()])
[1,3,2,4].groupBy($ mod 2, $, [$[0], $.len()]).len()
[[1, 2], [1, 3]].groupBy($[0], $[1], [$[0], $.len()])
[0].select(1/$).isList()
[0].where(1/$).str()
[0].orderBy(1/$).isIterable()
[0].select(1/$).format('{0}')
[0].groupBy($, $, 1/0).bool()
""".strip().splitlines()

# An iterator held in a list or a set is one object there: toSet(),
# set(), toList() and list() of a literal or of select()'s lambda print it
# as Python's object (a set's other items first: an iterator is hashed by
# its address), hash it by identity (an iterator whose items fail too:
# the output reads it), and a keys() or items() view among the items is
# Python's unhashable set. An iterator whose items fail, taken out of its
# list or dict (an index, first(), get()), prints as the object in str()
# and format(), is true, is no list or dict but iterable, and has no
# str(), bool() or type-test method.
EXPRS += """
str([[1].select($)].toSet())
str([1, 2].select([$].select($)).toSet()).len()
str([[0].select(1/$)].toSet())
str(list([[1].select($)]))
str([[1].select($)].toList())
str(set([[1].select($)]))
str([[1].select($), 2].toList())
str([1, 2].select([$].select($)).toList())
str(list([[1].select($)], 3))
'{0}'.format([[1].select($)].toSet())
str([[1].orderBy($)].toSet())
[[1].select($), 2].toSet()
[[1].select($), 2].toSet().len()
[[0].select(1/$), 1].toSet()
str([{a => 1}.keys()].toSet())
[{a => 1}.items()].toSet()
[{a => 1}.values()].toSet().len()
set({a => 1}.keys())
set({a => 1}.keys(), 2)
set(1, {a => 1}.items())
set({a => 1}.values())
str([[0].select(1/$), 1][0])
str([[0].select(1/$), 1].first())
let(x => [[0].select(1/$), 1]) -> str($x[0])
str({a => [0].select(1/$)}.get(a))
str({a => [0].select(1/$)}.values().first())
'{0}'.format([[0].select(1/$), 1][0])
bool([[0].select(1/$), 1][0])
str([[0].select(1/$), 1][0].len())
str([[[0].select(1/$)], 1][0][0])
isList([[0].select(1/$), 1][0])
isIterable([[0].select(1/$), 1][0])
isDict([[0].select(1/$), 1][0])
isString([[0].select(1/$), 1][0])
[[0].select(1/$), 1][0].str()
[[0].select(1/$), 1][0].isList()
[[0].select(1/$), 1][0].format(1)
[[1].select($), [1].select($)].toSet().len()
[[1].select($), [1]].toSet().len()
[[1].select($), [1], [1]].toSet().len()
[1, 2].select([1].select($)).toSet().len()
""".strip().splitlines()

# A dict's keys() view leaves as yaql's output makes it, a Python set of
# its keys: numbers in CPython's set order, wherever the view sits (text
# keys' order is random from one Mistral process to the next).
EXPRS += """
[{3 => 1, 1 => 2}.keys()]
list({3 => 1, 1 => 2}.keys())
[1].select({3 => 1, 1 => 2}.keys())
{a => {3 => 1, 1 => 2, 17 => 0, 9 => 1}.keys()}
[{30 => 1, 1 => 2, 9 => 3}.keys(), 5]
[{3 => 1, 1 => 2}.values()]
{3 => 1, 1 => 2}.keys().select($)
[{2.5 => 1, 1 => 2}.keys()]
""".strip().splitlines()

# yaql's datetime, date, timespan and regex objects: a receiver yaql
# refuses prints as str() does; they are hashable (a set, a dict key); a
# datetime key leaves as Mistral stores a datetime, a date, timedelta or
# regex key is refused by Python's json (the output's C encoder names the
# type in full) (yaml_parse and json_dump: gen_function_cases.py).
EXPRS += """
datetime(2020, 1, 1).len()
timespan(days => 1).len()
datetime(2020, 1, 1).foo()
regex('a').len()
[datetime(2020, 1, 1)].toSet()
[timespan(days => 1)].toSet()
[datetime(2020, 1, 1), datetime(2020, 1, 1)].toSet().len()
{datetime(2020, 1, 1) => 1}
dict(datetime(2020, 1, 1) => 1)
[{datetime(2020, 1, 1) => 1}]
{datetime(2020, 1, 1, 5, 6, 7, 8) => {datetime(2020, 1, 2) => 2}}
{timespan(days => 1) => 1}
{regex('a') => 1}
""".strip().splitlines()

# Found by the random campaigns (seeds 2405 to 3011): yaql's arithmetic
# takes no iterator whose items fail (no overload, before it is read)
# except `+` with another collection, and no iterator or view at all in
# `*`; lists and dicts compare item by item as Python's ([1] = [true]); an
# items() view held in a dict mergeWith() makes fails the output; toDict(),
# delete() and deleteAll() give Python's dict (its views are dict_keys...).
EXPRS += """
[1].select($) * 2
2 * [1].select($)
{a => 1}.keys() * 2
{a => 1}.values() * 2
[1].orderBy($) * 2
range(3) * 2
[1] * 2
'a b'.split() * 2
[1].select(1/0) * 2
[1].select(1/0) - 2
[1].select(1/0) mod 2
[1].select(1/0) + [2]
[1].select(1/0) + {a => 1}
[1].select(1/0) + 'a'
[1].select(1/0) + [2].select($)
[1].select(1/0) + null
(1/0) + [1].select(1/0)
[1].select(1/0) + (1/0)
[1].select(1/0) + $.a
$.a + [1].select(1/0)
[1].select(1/0) + set(1)
let(x => [3].cpu) -> $x + 2.5
let(x => [3].cpu) -> $x + 2.5 = 1
[[3, 3]].any(let(x => $.cpu) -> $x + 2.5 = 1)
[3].cpu + 2.5
[].accumulate($1 + $2) + 5
[1].select(1/0) + [2] = 3
[1] = [true]
[true] = [1]
[1] != [true]
{a => 1} = {a => true}
[[1]] = [[true]]
[1, true] = [true, 1]
{a => [1]} = {a => [1.0]}
[[1], [true]].distinct()
[[1, 2]].contains([true, 2])
'a b'.split() = ['a', 'b']
$.people.toDict($.name, {a => 1}.items()).mergeWith({x => 1})
$.people.toDict($.name, {a => 1}.items()).mergeWith({ann => 1, bob => 2})
{x => 1}.mergeWith($.people.toDict($.name, {a => 1}.items()))
$.people.toDict($.name, {a => 1}.keys()).mergeWith({x => 1})
str([1].toDict($, $).values())
str([1].toDict($, $).keys())
str([1].toDict($, $).items())
str({a => 1}.delete(a).values())
str({a => 1}.deleteAll([a]).values())
str([1].toDict($, $).delete(1).keys())
str([1].toDict($, $).set(3, 4).keys())
[[1].toDict($, $)].toSet()
[1].toDict($, $) = {1 => 1}
[{3 => 1, 1 => 2}.toDict($.key, $.value).keys()]
""".strip().splitlines()

# Behind a receiver whose items fail, yaql evaluates a method's arguments
# (all but its lambdas) before anything reads the receiver: an error one
# raises comes first; slice(0) reads nothing, slice(-1) is islice's
# refusal; an items() view as a dict literal's value under a null, number
# or boolean key fails the output too (random campaigns 3920, 4627).
EXPRS += """
[1].select(1/0).take([][1])
[1].select(1/0).append([][1])
[1].select(1/0).append([].isEmpty())
[1].select(1/0).append([1].isEmpty()) != 1
[1].select(1/0).select([][1])
[1].select(1/0).concat([2], [][5])
[1].select(1/0).join([1], true, [][1])
[1].select(1/0).zip([][1])
[1].select(1/0).sum([][1])
[1].select(1/0).where(true).first([][1])
[1].select(1/0).first([][1])
[1].select(1/0).first(5)
[1].select($).where(1/0).first([][1])
[1].select(1/0).aggregate($1 + $2, [][1])
[1].select(1/0).defaultIfEmpty([][1])
let(x => [1].select($)) -> [[1].select(1/0).append($x), $x.len()][1]
[{cpu => 1}].select($.disk).slice(0)
[{cpu => 1}].select($.disk).slice(0).all(false)
[1].select(1/0).slice(1).all(false)
[1].select(1/0).slice(-1)
[[1].select(1/0).slice(-1), 2][1]
{null => {a => 1}.items(), k => 1}
{1 => {a => 1}.items()}
{1 => {}.items()}
{true => {a => 1}.items()}
""".strip().splitlines()

# 1, 1.0 and true (0, 0.0, false) are one dict key, as Python's equal
# keys with one hash: the dict holds the first one written, the value the
# last; lookups, delete() and set() find it by any of them.
EXPRS += """
{1 => 1, true => 2}
{true => 1, 1 => 2}
{1 => 1, true => 2}.len()
{1.0 => 1, 1 => 2}
{0 => 1, false => 2, 0.0 => 3}
dict(1 => 1, true => 2)
dict([[1, 1], [1.0, 2]])
{1 => 2}.containsKey(true)
{1 => 2}.get(1.0)
{1 => 2}[true]
{1 => 2}[1.0, 5]
{1 => 2}.delete(true)
{1 => 2}.deleteAll([1.0])
{1 => 2}.set(true, 3)
{1 => 2}.set({true => 3})
[1, true, 1.0].toDict($, $)
str({1 => 1, true => 2})
str({true => 1, 1.0 => 2})
{2 => 1, 2.0 => 2, 2.5 => 3}
""".strip().splitlines()

# A set as a dict key is yaql's frozenset, which hashes: the dict works
# (str(), len(), get() and containsKey() by set equality); Mistral's
# output, which makes it a set, fails, as a keys() view holding it does
# (json_dump and yaml_dump: gen_function_cases.py).
EXPRS += """
str({set(1) => 2})
len({set(1) => 2})
{set(1) => 2}.get(set(1))
{set(1, 2) => 2}.get(set(2, 1))
{set('a', 'b') => 1, set('b', 'a') => 2}.get(set('b', 'a'))
len({set('a', 'b') => 1, set('b', 'a') => 2})
{set(1) => 2}.containsKey(set(1, 1))
{set(1) => 2}.get(set(2), 5)
{set() => 1}.get(set())
{set(1) => 2}.values()
{set(1) => 2}.keys().len()
{set(1) => 2, a => 3}.delete(set(1))
{set(1) => 2} = {set(1) => 2}
{set(1) => 2}.set(a, 1).len()
{set(1) => 2}.mergeWith({b => 1}).len()
[1].toDict(set($)).len()
str([1].toDict(set($)))
let(x => {set(1) => 2}) -> $x.get(set(1))
{set(1) => 2}
{set(1) => 2}.keys()
{set(1) => 2}.items()
{set(1) => 2}.set(set(1), 3)
[1].toDict(set($))
""".strip().splitlines()

# accumulate() is Python's generator: first(), take(n), limit(n), any()
# and takeWhile() get its first items though a later one fails; take(0) reads nothing,
# through where() and orderBy() stages either; yaml_dump finds a view or an
# iterator a dict set() or delete() made holds (random campaigns 5536, 5637).
EXPRS += """
[1, [2]].accumulate($1 + $2).any()
[1, [2]].accumulate($1 + $2).first()
[1, 2, [2]].accumulate($1 + $2).take(2)
[1, 2, [2]].accumulate($1 + $2).take(3)
[[1, 2, [2]].accumulate($1 + $2).take(3), 5][1]
[1, [2]].accumulate($1 + $2, 10).first()
[].accumulate($1 + $2).orderBy($ mod 3).where(true).take(0).len()
[].accumulate($1 + $2).first()
[].accumulate($1 + $2, 5).first()
[null, 1].accumulate($1 + $2).limit(1)
[1, [2]].accumulate($1 + $2).first(7)
[1, [2]].accumulate($1 + $2).any($ > 5)
[1, [2]].accumulate($1 + $2).where(true).first()
[1, 2, [2]].accumulate($1 + $2).where($ > 1).first()
[1, 2, [2]].accumulate($1 + $2).select($ * 10).take(2)
[1, 2, [2]].accumulate($1 + $2).where($ > 5).first(0)
[1, [2]].accumulate($1 + $2).where(1/0).first()
[1, 'a', 2].accumulate($1 + $2).takeWhile(false)
[1, 2, 'a'].accumulate($1 + $2).takeWhile($ < 3)
[1, 2, 'a'].accumulate($1 + $2).takeWhile($ < 5)
[1, 2, 3].accumulate($1 + $2).takeWhile($ < 5)
[1, 'a'].accumulate($1 + $2, 0).takeWhile($ < 1)
[1, 'a'].accumulate($1 + $2).select($ * 2).takeWhile($ < 1)
""".strip().splitlines()

# yaql's names are Python's \w (str.isalnum() or '_', no decimal digit
# first); any other character outside a string, a curly quote, an
# arrow, an ellipsis, is a lexical error naming the whole character.
EXPRS += """
let(é => 1) -> $é
{ǅx => 5}.ǅx
{a² => 4}.a²
[1, 日本]
é
é()
{a => 1}.a’
‘a’
1 → 1
1 · 2
$.a…
$.٣a
$.l\u00a0.len()
""".replace("\\u00a0", "\u00a0").strip().splitlines()

# Datetimes and timespans order as their operators compare them (orderBy,
# max, min); max(a, b) and min(a, b) as functions compare the two values
# whatever they are (the collection form is a method only), a tie is a
# for max, b for min, and reduce(min) takes the later of equal items;
# a negative count or maxSplit of a regex replaces or splits nothing
# (Python's re); strftime is glibc's for every code but %f, %z and %Z,
# with its flags and widths (corpus campaign templates).
EXPRS += r"""
[datetime(2020, 1, 1), datetime(2019, 1, 1)].orderBy($)
[datetime(2020, 1, 1), datetime(2019, 1, 1)].orderByDescending($)
[datetime(2020, 1, 1), datetime(2019, 1, 1)].max()
[datetime(2020, 1, 1), datetime(2019, 1, 1)].min()
max(datetime(2020, 1, 1), datetime(2019, 1, 1))
[timespan(days => 1), timespan(days => -1)].orderBy($).select(str($))
[timespan(days => 1), timespan(days => -1)].max().days
[datetime(2020, 1, 1), 1].orderBy($)
[datetime(2020, 1, 1), null].orderBy($)
['2020-01-02', '2019-05-01'].orderBy(datetime($))
[datetime(2020, 1, 1), datetime(2020, 1, 1, 1, offset => timespan(hours => 1))].orderBy($).select($.hour)
max([3, 1], 0)
max([], 1)
max([], [1])
min(1, 1.0)
max(1.0, 1)
max(1, 1.0)
min(1.0, 1)
[1, 1.0].min()
[1.0, 1].min()
[1, 1.0].max()
[3, 1].min(1.0)
[3, 1].max(3.0)
regex('a').split('babab', -1)
regex('a').split('babab', -2)
regex('a').replace('babab', 'x', -1)
'babab'.split(regex('a'), -1)
regex('x*').replace('AbC', '-', -1)
datetime(2024, 2, 29, 7, 5, 3, 12).format('%c|%x|%X|%D|%e|%C|%g|%G|%V|%u|%U|%W|%h|%R|%r|%P|%k|%l')
datetime(2024, 2, 29, 7, 5, 3, 12).format('%Q|%q|%+|%E|%i|%1|%-')
datetime(2024, 2, 29, 0, 5).format('%10a|%^10B|%-10d|%_5m|%-I|%l|%#p|%^p|%#a|%010a|%-j|%-y|%_H|%0e|%3u|%#Z|%^c')
datetime(2021, 1, 3).format('%G %V %U %W %u %w %g')
datetime(2020, 12, 31).format('%G %V %U %W %u')
datetime(2019, 12, 30).format('%G %V %U %W %u')
datetime(2024, 12, 30).format('%G-W%V-%u')
datetime(2024, 2, 29).format('%-d/%-m/%Y %-H:%M')
datetime(2024, 2, 29).format('%Ey %Od')
datetime(5, 1, 1).format('%Y %G %C %y %c %x %g')
datetime(2024, 2, 29, offset => timespan(hours => 2)).format('%z %Z %c|%#Z|%^Z|%5Z')
""".strip().splitlines()

# toDict() takes yaql's dicts (FrozenDicts, hashable) as keys; what
# fails is Mistral's output of such a dict or of its keys() (mutation
# campaign: `$.ips_list.toDict($, {})` tested with bool(), len(), not).
EXPRS += r"""
$.people.toDict($, $.name).len()
$.people.toDict($, 1)
str($.people.take(1).toDict($, 1))
[{a => 1}, {a => 1}].toDict($, 2).len()
[{a => 1}, {a => 1}].toDict($, 2).values()
[{a => 1}, {a => 1}].toDict($, 2).keys()
[{a => 1}, {a => 1}].toDict($, 2).keys().first().a
[{a => [1]}].toDict($, 1).len()
[{a => 1}].toDict($, 1).get({a => 1})
bool($.people.toDict($, {}))
{{a => 1} => 2}.keys()
[{{a => 1} => 2}.keys()]
{{a => 1} => 2}.keys().len()
""".strip().splitlines()

# orderBy's keys are computed as Python's sort compares items: none with
# fewer than two, a thenBy key only for items that tie on every key before
# (template campaign: `$.vms.orderBy($.name).thenBy(-$)`); insert into an
# iterator (a mapped attribution, an ordering, a values() view) is yaql's
# lazy one (a negative position drops the value), into a keys() view none.
EXPRS += r"""
[1].orderBy($.x)
[].orderBy($.x)
[1].orderBy($).thenBy($.x)
[1, 2].orderBy($).thenBy($.x)
[1, 1].orderBy($).thenBy($.x)
[{n => 2}, {n => 1}].orderBy($.n).thenBy(-$)
[{n => 2}, {n => 1}, {n => 2, m => 0}].orderBy($.n).thenBy($.m)
[{n => 2, m => 3}, {n => 1}, {n => 2, m => 0}].orderBy($.n).thenBy($.m).thenBy(-$)
[{n => 2, m => 3}, {n => 1}, {n => 2, m => 3, k => 1}, {n => 2, m => 3, k => 0}].orderBy($.n).thenBy($.m).thenByDescending($.k)
[null, 0, ''].orderBy(len(str($))).thenBy($.name)
[3, 1, 2, 1].orderByDescending($).thenBy(str($))
[1, 2.0, true].orderBy(str($)).thenByDescending($ > 2)
[{a => 1, b => 2}, {a => 1, b => 1}, {a => 0, b => 5}].orderBy($.a).thenByDescending($.b)
$.people.orderBy($.team).thenBy(-$.age).name
$.people.orderBy($.name).thenBy(-$)
$.people.name.insert(-1, 0)
$.people.name.insert(1, 0)
$.people.name.insert(9, 0)
$.l.orderBy($).insert(-1, 0)
$.l.orderBy($).insert(1, 0)
{a => 1}.keys().insert(-1, 0)
{a => 1}.items().insert(-1, 0)
{a => 1}.values().insert(-1, 0)
{a => 1}.values().insert(0, 0)
""".strip().splitlines()

# A name over a collection whose items lack it is a map that fails only
# when read: a predicate (any, all, indexWhere, takeWhile, skipWhile,
# sliceWhere, splitWhere), `not`, switch's conditions and bool() test the
# object, which is true; a name over that map is a map again (template
# campaign: `$.matrix.any($.meta.zone)`, `$.vms.tags.where($.meta.zone)`).
EXPRS += r"""
bool([1, 2].meta)
[[1, 2]].any($.meta)
[[1, 2]].all($.meta)
[[1, 2]].indexWhere($.meta)
[[1, 2]].lastIndexWhere($.meta)
[[1, 2], [3]].takeWhile($.status)
[[1, 2], [3]].skipWhile($.status)
[[1, 2], [3]].sliceWhere($.meta)
[[1, 2], [3]].splitWhere($.meta)
$.people.select([$.name]).where($.meta.zone)
[[1, 2], [3]].any($.meta.zone)
[[1]].where($.name.x.y)
bool([1].a.b)
[1].a.b
[[1]].where(not $.name)
[[1]].all(not $.name)
switch([1].meta => 1)
switch([1].meta.x => 1, true => 2)
not [1].meta
[1].meta and 3
[1, 2].meta or 5
[1].all($.name)
[[1, 2]].any($.meta.len() > 0)
[[1, 2]].select($.meta)
[[1, 2]].first($.meta)
""".strip().splitlines()

# distinct's and groupBy's key that is one of yaql's iterator objects
# (`$.select(...)`, a name mapped over a list, one whose items fail)
# hashes by its identity: each item is its own (template campaign:
# `$.matrix.distinct($.name)`).
EXPRS += r"""
[[1, 2], [3, 4], [], [5]].distinct($.name)
[[1, 2], [3, [4]]].distinct($.meta.zone)
[[1, 2], [1, 2]].distinct($.x).len()
[[{x => 1}], [{x => 1}]].distinct($.x)
[[1], [1]].distinct($.select($))
[[1], [1]].distinct($.where(true))
[[1], [1]].distinct($.orderBy($))
[[1], [1]].distinct($)
[[1], [1]].distinct($.toList())
[[1], [1]].groupBy($.select($)).len()
[[{x => 1}], [{x => 1}]].groupBy($.x)
[[1, 2], [3]].groupBy($.numa_node).select(str($)).len()
[[1, 2], [3]].groupBy($.numa_node).len()
[[1, 2], [3]].groupBy($.numa_node)
[['a'], ['b', 'c']].groupBy($ * 2, $.cpu, $.len())
[['a'], ['b', 'c']].groupBy($.len(), $.cpu, $.len())
[['a'], ['b', 'c']].groupBy($.len(), $.cpu)
[['a'], ['b', 'c']].groupBy($.len(), $.cpu).len()
[['a'], ['b', 'c']].groupBy($.len(), $.cpu, $[0])
$.people.groupBy($.team).len()
""".strip().splitlines()

# mergeWith: a set, a datetime is no mapping (nor a sequence): the item
# merger takes it (the second value by default).
EXPRS += r"""
{a => set(1)}.mergeWith({a => set(2)})
{a => set(1)}.mergeWith({a => set(2)}).a.len()
{a => set(1)}.mergeWith({a => [2]}).a
{a => [1]}.mergeWith({a => set(2)})
{a => {b => 1}}.mergeWith({a => set(2)})
{a => set(2)}.mergeWith({a => {b => 1}})
{a => datetime(2020, 1, 1)}.mergeWith({a => datetime(2021, 1, 1)})
{a => {b => 1}}.mergeWith({a => datetime(2021, 1, 1)})
{a => datetime(2020, 1, 1)}.mergeWith({a => {b => 1}})
{a => set(1)}.mergeWith({a => set(2)}, itemMerger => $1.union($2)).a.len()
{a => timespan(days => 1)}.mergeWith({a => {b => 1}})
{a => regex('a')}.mergeWith({a => {b => 1}})
{a => datetime(2020, 1, 1)}.mergeWith({a => [1]})
""".strip().splitlines()

# Python's zip stops at the first collection that ends: zipped onto an
# empty one, a query whose items fail is never read (mutation campaign:
# `dict($.packages.zip($.result.select(...)))` with no packages).
EXPRS += r"""
[].zip([1, 2].select($.x))
dict([].zip([1, 2].select($.x)))
[1].zip([1, 2].select($.x))
[].zip([1, 2].where($.x()))
[].zip(1/0)
[].zip([1].select(1/0))
[].zip(5)
[].zip([1], 5)
[].zip(set(1))
[].zip('ab')
$.empty.zip($.people.select($.values().first(null).get(x)))
""".strip().splitlines()

# format(): an iterator object or a dict view given a format spec refuses it
# (object.__format__), an index or attribute on it fails as Python's
# (template campaign: `'{0:>8}'.format($.vms.tags)`).
EXPRS += r"""
'{0:>8}'.format($.people.name)
'{:>8}'.format($.people.name)
'{x:>8}'.format(x => $.people.name)
'{0:>8}'.format([1].select($))
'{0:>8}'.format([1].where($))
'{0:>8}'.format([1].skip(0))
'{0:>8}'.format([1].distinct())
'{0:>8}'.format($.d.keys())
'{0:>8}'.format($.d.values())
'{0:>8}'.format([1].orderBy($))
'{0:>8}'.format([1].reverse())
'{0:>8}'.format(range(3))
'{1:>8}{0}'.format(1, [1].select($))
'{0:{1}}'.format([1].select($), '>8')
'{0[0]:>8}'.format([1].select($))
'{0.x.y}'.format([1].select($))
'{x[a]}'.format(x => $.d.keys())
'{:>3}{:>8}'.format(1, [1].select($))
format('{0:>8}', [1].select($))
""".strip().splitlines()

# An empty set and a zero timespan are false, as Python finds them, in
# not, and, or, switch, where, all, bool(), selectCase, examine (mutation
# campaign seed 4: `not ($.a.toSet().intersect($.b.toSet()))`).
EXPRS += r"""
not set(1).intersect(set(2))
bool(set())
bool(set(1))
not set()
set() and 1
set() or 5
set(1) or 5
switch(set() => 1, true => 2)
[set(), set(1)].where($)
[1].toSet().difference([1].toSet()) or 'none'
not $.l.toSet().intersect($.words.toSet())
bool(timespan())
bool(timespan(seconds => 1))
not timespan()
timespan() or 1
[timespan(), timespan(days => 1)].where($).len()
[set(), 1].all()
[set(1), 1].all()
[set()].any()
selectCase(set(), true)
examine(set(), timespan(), datetime(2020, 1, 1), regex('a'))
[set()].where(not $).len()
""".strip().splitlines()

# An int beyond 64 bits as substring()'s start or length slices as
# Python's (past either end), as insert()'s position is past either end
# of yaql's generator and an OverflowError for Python's list.insert
# (mutation campaign: `$.package.substring(100000000000000000000, 1)`).
EXPRS += r"""
'x.y.z'.substring(100000000000000000000, 1)
'x.y.z'.substring(0, 100000000000000000000)
'x.y.z'.substring(-100000000000000000000, 2)
'x.y.z'.substring(1, -100000000000000000000)
'x.y.z'.substring(start => 100000000000000000000)
['a', 'b'].select(str($)).insert(100000000000000000000, 'z')
['a', 'b'].select($).insert(-100000000000000000000, 'z')
['a', 'b'].insert(100000000000000000000, 'z')
['a', 'b'].insert(-100000000000000000000, 'z')
""".strip().splitlines()

# One of yaql's iterator objects looked for in a collection (`in`) is
# equal to none of its items: not read, its items' failures never happen
# (mutation campaign seed 6: `(...where(...).select(...).distinct()) in
# [null, '', 0]`).
EXPRS += r"""
[1].select($) in [[1]]
[1] in [[1]]
$.l.where($ > 0) in [[3, 1, 2], null]
$.l.orderBy($) in [[1, 2, 3]]
$.l.distinct() in [null, '', 0]
$.people.where($.name.any($.x)).select($.n).distinct() in [null, '', 0]
[[1]].select($.x) in [1]
[[1]].select($.x) in 'abc'
[1].select($) in 'abc'
[1].select($) in {a => 1}
1 in $.l.select($)
$.l.toSet() in [set(1, 2, 3)]
$.l.select($) in set([3, 1, 2])
""".strip().splitlines()

# Refused as Mistral refuses them, but Python's message prints the
# iterator's address, which changes from one run to the next.
ITERATOR_LOOSE = ['let(x => $.l.where($ > 0)) -> $x.isList()', 'let(x => $.l.orderBy($)) -> $x.len()']


def main():
    # A pattern that does not compile is an error in both, in different
    # words (Python's re against C++'s ECMAScript std::regex).
    bad_patterns = {"regex('(')", "'x' =~ '('", "regex('a.c')",
                    # out-of-range dates and unparsable strings: errors in both, worded by
                    # Python's datetime/dateutil there and by Bora here
                    "datetime(2015, 13, 1)", "datetime(2015, 2, 30)", "datetime('not a date')",
                    "datetime('garbage words')",
                    # Python's recursion limit there, the evaluation's depth budget here
                    "def(f, f($)) -> f(1)",
                    # an infinite sequence read whole: yaql runs out of memory,
                    # Bora refuses at once (never run through the real yaql)
                    }
    infinite = {"sequence().select($ * 2)", "sequence().len()"}
    # The expressions of yaql's own test suite (yaql/tests/test_*.py, the
    # ones with no data and a deterministic answer; scripts/
    # yaql_suite_exprs.txt), with no context, errors compared loosely.
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "yaql_suite_exprs.txt")) as f:
        suite = {line.rstrip("\n") for line in f if line.strip()} - set(EXPRS)
    written = [e for e in EXPRS if e not in infinite] + [e for e in SIGNATURE_EXPRS if e not in EXPRS]
    freeze("yaql", "expr", written,
           set(matrix()) | bad_patterns | suite | set(SIGNATURE_LOOSE) | set(ITERATOR_LOOSE), CTX,
           wrap=lambda e: "<% " + e + " %>")
    # Python's strings (str.format, Unicode case, escapes): strings.jsonl
    freeze("yaql", "expr", python_string_cases.yaql_cases(), set(), CTX, wrap=lambda e: "<% " + e + " %>",
           name="strings")


if __name__ == "__main__":
    main()
