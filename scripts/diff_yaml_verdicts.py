#!/usr/bin/python3
"""Differential campaign over YAML reading (a tool, not a test): Bora's
reading of YAML text against PyYAML's, which Mistral reads with.

1. Edge cases (--cases): definitions whose YAML holds tags, control
   characters, escapes, tabs, odd keys and scalars, each given to Mistral's
   own parser (mistral.lang.parser, its SafeLoader) and to `bora validate`;
   prints where one accepts and the other refuses.
2. Tabs (--tabs SEED): real workflow files of ../shared/corpora with a tab
   put in a random place of a random line (a space replaced, inserted,
   at a line's end or start), read by yaml.safe_load and by Bora's
   yaml_parse(); prints where one refuses for the tab and the other not.
3. Breaks and blocks (--breaks SEED): small documents of every scalar
   style and block scalar header (keep, strip, indentation indicators)
   with NEL, LS or PS put at random places, read by yaml.safe_load and by
   Bora's yaml_parse(); prints where the verdicts or the values differ.

4. Words (--words SEED): real workflow files with one or two characters
   deleted or inserted at random (brackets, quotes, ':', '- ', a line
   break, a tab, ...); where Mistral's parser refuses the YAML, Mistral's
   first line ("Definition could not be parsed: while parsing a flow
   sequence") against the start of `bora server`'s validate answer;
   prints each kind of difference once, and writes its text.

Run with Debian's /usr/bin/python3 (python3-mistral):
  diff_yaml_verdicts.py [--bora build/src/cli/bora] --cases
  diff_yaml_verdicts.py [--bora ...] --tabs 1 [--files 200]
  diff_yaml_verdicts.py [--bora ...] --breaks 1 [--count 1000]
  diff_yaml_verdicts.py [--bora ...] --words 1 [--count 400]
"""
import argparse
import glob
import json
import os
import random
import subprocess
import tempfile
import warnings

import yaml

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "..", "shared", "corpora")

H = "version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo\n      input:\n        output: "
EDGE = {
    "tag_custom": H + "!custom x\n",
    "tag_python": H + "!!python/name:os.system x\n",
    "tag_str": H + "!!str 5\n",
    "tag_int": H + "!!int '5'\n",
    "tag_unknown_core": H + "!!foo x\n",
    "tag_directive": "%TAG !e! tag:example.com,2000:\n---\n" + H + "!e!foo x\n",
    "tab_after_value": H + "x\t\n",
    "tab_in_quotes": H + "'x\ty'\n",
    "crlf": H.replace("\n", "\r\n") + "x\r\n",
    "bom": "\ufeff" + H + "x\n",
    "control_char": H + "a\x07b\n",
    "del_char": H + "a\x7fb\n",
    "escape_N": H + "\"\\N\"\n",
    "escape_x": H + "\"\\x41\"\n",
    "plain_colon_nospace": H + "a:b\n",
    "flow_trailing_comma": H + "[1, 2,]\n",
    "question_key": "version: '2.0'\nwf:\n  tasks:\n    ? t\n    : action: std.noop\n",
    "null_key": "version: '2.0'\nwf:\n  tasks:\n    ~: {action: std.noop}\n",
    "alias_text": H + "*.log\n",
    "anchor_text": H + "&x [1, 2]\n",
    "at_text": H + "@me\n",
    "star_alone": H + "*\n",
    "merge_inline": "version: '2.0'\nwf:\n  tasks:\n    t:\n      <<: {action: std.noop}\n",
    "merge_alias": "version: '2.0'\nwf:\n  tasks:\n    t:\n      <<: *x\n",
    "equals_key": "version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo\n      input:\n        =: 1\n",
    "equals_value": H + "=\n",
    # Python objects Mistral refuses, explicit tags its constructor fails
    # on, an empty flow entry, keys that are no text, NEL as a line break,
    # a key without its ':' (alike since 2026-12-06), LS and PS, a second
    # document without `---`, lone surrogate escapes (alike since 2026-12-07).
    "date_plain": H + "2020-01-01\n",
    "datetime_in_list": H + "[2020-01-01 10:00:00]\n",
    "date_key": H + "{2020-01-01: x}\n",
    "tag_int_bad": H + "!!int abc\n",
    "tag_float_bad": H + "!!float abc\n",
    "date_out_of_range": H + "2020-13-01\n",
    "flow_map_empty_entry": H + "{a: 1,,b: 2}\n",
    "flow_trailing_comma_map": H + "{a: 1,}\n",
    "flow_quoted_items": H + "['a', \"b\", 'c']\n",
    "key_without_colon": H + "1\n        extra\n",
    "quoted_key_without_colon": H + "1\n        'extra'\n",
    "nel_in_quotes": H + "\"a\u0085b\"\n",
    "nel_in_comment": H + "x # c\u0085      y: 1\n",
    # LS and PS (U+2028, U+2029) are line breaks too, kept in content.
    "ls_in_quotes": H + "\"a\u2028  b\"\n",
    "ls_in_single_quotes": H + "'a\u2029b'\n",
    "ls_plain_continued": H + "a\u2028          b\n",
    "ls_plain_ends_line": H + "a\u2028b\n",
    "ls_in_comment": H + "x # c\u2028      y: 1\n",
    "ls_in_block": H + "|\n          a\u2028          b\n",
    "ls_ends_block": H + "|\n          a\u2028b\n",
    # yaml-cpp began a second document where PyYAML's parser refuses.
    "value_not_indented": "a:\n'x'\n",
    "flow_value_not_indented": "version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo\n      input:\n      {output: 1}\n",
    "folded_keep": H + ">+\n          x\n\n\n",
    "list_then_line": "- a\n- b\nc\n",
    "flow_then_line": "{version: '2.0'}\nx\n",
    "tag_binary": H + "!!binary aGVsbG8=\n",
    "tag_set": H + "!!set {a, b}\n",
    "tag_timestamp": H + "!!timestamp 2020-01-01\n",
    "tag_bool_bad": H + "!!bool maybe\n",
    "nel_char": H + "a\u0085b\n",
    "surrogate_escape": H + "\"\\ud83d\"\n",
    "flow_empty_entry": H + "[1,,2]\n",
    "int_task_name": "version: '2.0'\nwf:\n  tasks:\n    10:\n      action: std.noop\n",
    "int_publish_key": H + "x\n      publish:\n        5: 1\n",
}


# Mistral's parser takes these, and its create then fails on them (a 500:
# its database cannot store a date): Bora's refusal is the alike verdict.
STORE_FAILS = {"datetime_in_list", "date_key"}


def bora_validate(bora, text):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(text)
    try:
        p = subprocess.run([bora, "validate", f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    return "accept" if p.returncode == 0 else "refuse: " + (p.stdout + p.stderr).split("\n")[0][:120]


def run_cases(bora):
    from mistral.lang import parser
    differ = 0
    for name, text in EDGE.items():
        try:
            parser.get_workflow_list_spec_from_yaml(text)
            m = "accept"
        except Exception as e:  # noqa: BLE001 (any refusal is a verdict)
            m = "refuse: " + str(e).split("\n")[0][:100]
        b = bora_validate(bora, text)
        if name in STORE_FAILS and m == "accept":
            m = "refuse: (at create: a 500)"
        if m.split(":")[0] != b.split(":")[0]:
            differ += 1
            print("DIFF %s\n  Mistral: %s\n  Bora:    %s" % (name, m, b))
    print("%d cases, %d differ" % (len(EDGE), differ))


def pyyaml_verdict(text):
    try:
        yaml.safe_load(text)
        return "ok"
    except yaml.YAMLError as e:
        return "tab" if "'\\t'" in str(e) else "other"
    except Exception:  # noqa: BLE001
        return "other"


def bora_verdict(bora, text):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"t": text}, f)
    try:
        p = subprocess.run([bora, "eval", "--context", f.name, "<% yaml_parse($.t) %>"], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    out = p.stdout + p.stderr
    if p.returncode == 0 and "Can not evaluate" not in out:
        return "ok"
    return "tab" if ("found character '\\t'" in out or "illegal tab" in out) else "other"


def run_tabs(bora, seed, count):
    rnd = random.Random(seed)
    files = sorted(glob.glob(os.path.join(CORPUS, "**", "*.yaml"), recursive=True))
    rnd.shuffle(files)
    compared = differ = 0
    for path in files[:count]:
        with open(path, errors="replace") as f:
            text = f.read()
        if len(text) > 20000 or pyyaml_verdict(text) != "ok":
            continue
        for _ in range(3):
            lines = text.split("\n")
            k = rnd.randrange(len(lines))
            line = lines[k]
            mode = rnd.choice(["replace_space", "insert", "end", "start"])
            spaces = [i for i, c in enumerate(line) if c == " "]
            if mode == "replace_space" and spaces:
                i = rnd.choice(spaces)
                line = line[:i] + "\t" + line[i + 1:]
            elif mode == "insert" and line:
                i = rnd.randrange(len(line) + 1)
                line = line[:i] + "\t" + line[i:]
            elif mode == "end":
                line += "\t"
            else:
                line = "\t" + line
            lines[k] = line
            mutated = "\n".join(lines)
            p, b = pyyaml_verdict(mutated), bora_verdict(bora, mutated)
            compared += 1
            if p != "other" and (p == "tab") != (b == "tab"):
                differ += 1
                print("DIFF %s:%d %r PyYAML=%s Bora=%s" % (os.path.relpath(path, CORPUS), k + 1, line[:100], p, b))
    print("%d mutated files compared, %d differ" % (compared, differ))


BREAK_BASES = ["a: x\n  y\n", "a: \"x y\"\nb: 'p q'\n", "a: |\n  x\n  y\n\nb: 1\n", "a: >\n  x\n  y\n   z\n  w\n",
               "- a b\n- 'c d'\n- \"e\\nf\"\n", "k:\n  m: plain text here\n  n: [a, b c]\n", "a: {x: 1, y: \"z w\"}\n",
               "a: |-\n  one\n\n  two\n", "a: >+\n  x\n\n  y\n\n", "? \"k q\"\n: v\n", "a: x # c\nb: y\n",
               "a:\n- b c\n- d\n", "a: 'x\n  y'\n", "a: \"x\\\n  y\"\n"]
BLOCK_HEADS = ["|", ">", "|+", ">+", "|-", ">-", ">2+", "|2", ">+ # c"]


def break_documents(rnd, count):
    """Documents with PyYAML's other line breaks put in, and block scalars
    of every header with blank, more-indented and comment-like lines."""
    def block(indent):
        lines = []
        for _ in range(rnd.randint(1, 5)):
            r = rnd.random()
            if r < .2:
                lines.append("")
            elif r < .3:
                lines.append(" " * rnd.randint(0, indent + 2))
            elif r < .45:
                lines.append(" " * (indent + rnd.randint(1, 3)) + rnd.choice(["more", "  x", "- y"]))
            else:
                lines.append(" " * indent + rnd.choice(["a b", "c", "d e f", "# not comment", "x: y"]))
        return "\n".join(lines) + "\n"
    for _ in range(count):
        if rnd.random() < .5:
            s = rnd.choice(BREAK_BASES)
        else:
            h = rnd.choice(BLOCK_HEADS)
            s = rnd.choice([lambda: "a: " + h + "\n" + block(2) + rnd.choice(["", "\n\n", "b: 1\n", "# c\n"]),
                            lambda: "k:\n  m: " + h + "\n" + block(4) + rnd.choice(["", "  n: 2\n", "\n  n: 2\n"]),
                            lambda: "- " + h + "\n" + block(2) + rnd.choice(["", "- z\n", "\n\n"])])()
        for _ in range(rnd.randint(0, 3)):
            i = rnd.randint(0, len(s))
            s = s[:i] + rnd.choice(["\u2028", "\u2029", "\x85", " ", "\n"]) + s[i:]
        yield s


def run_breaks(bora, seed, count):
    docs = list(break_documents(random.Random(seed), count))
    lines = [json.dumps({"id": i, "expr": "<% yaml_parse($.t) %>", "context": {"t": d}}) for i, d in enumerate(docs)]
    out = subprocess.run([bora, "eval", "--batch", "-"], input="\n".join(lines) + "\n", capture_output=True,
                         text=True).stdout.split("\n")  # not splitlines(): LS and PS are in the answers
    differ = 0
    for doc, line in zip(docs, out):
        try:
            want = ("ok", yaml.safe_load(doc))
        except yaml.YAMLError as e:
            want = ("refused", str(e).split("\n")[0])
        answer = json.loads(line)
        got = ("ok", answer["result"]) if "result" in answer else ("refused", answer["error"])
        if got[0] != want[0] or (got[0] == "ok" and json.loads(json.dumps(want[1])) != got[1]):
            differ += 1
            print("DIFF %r\n  PyYAML: %r\n  Bora:   %r" % (doc, want, (got[0], str(got[1])[:200])))
    print("%d documents compared, %d differ" % (len(docs), differ))


MUTATIONS = ["[", "]", "{", "}", "'", '"', ":", ": ", "- ", ",", "\n", " ", "#", "%", "`", "|", ">", "?", "\t",
             "\\", "!"]


def run_words(bora, seed, count):
    import re
    import urllib.error
    import urllib.request
    from mistral.lang import parser
    rnd = random.Random(seed)
    files = sorted(glob.glob(os.path.join(CORPUS, "mistral-realworld", "**", "*.yaml"), recursive=True))
    server = subprocess.Popen([bora, "server", "--port", "0", "--db", "sqlite://", "--log-level", "error"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = None
        for _ in range(50):
            line = server.stdout.readline()
            m = re.search(r"listening on http://[^:]+:(\d+)", line)
            if m:
                port = m.group(1)
                break
        if not port:
            raise SystemExit("bora server did not start")
        tried = differ = 0
        kinds = {}
        for _ in range(count):
            text = open(rnd.choice(files)).read()
            for _ in range(rnd.randint(1, 2)):
                at = rnd.randrange(max(1, len(text)))
                if rnd.random() < 0.4:
                    text = text[:at] + text[at + 1:]
                else:
                    text = text[:at] + rnd.choice(MUTATIONS) + text[at:]
            try:
                parser.get_workflow_list_spec_from_yaml(text)
                continue
            except Exception as e:  # noqa: BLE001 (only the YAML reader's refusals are compared)
                message = str(e)
            if not message.startswith("Definition could not be parsed: "):
                continue
            want = message.split("\n")[0]
            tried += 1
            req = urllib.request.Request("http://127.0.0.1:%s/v2/workflows/validate" % port, data=text.encode(),
                                         headers={"Content-Type": "text/plain"})
            try:
                answer = json.loads(urllib.request.urlopen(req, timeout=30).read())
            except urllib.error.HTTPError as e:
                answer = json.loads(e.read())
            got = answer.get("error") or ""
            if got.startswith(want):
                continue
            differ += 1
            kind = (want, re.split(r" \d+:\d+: ", got.split("\n")[0])[0])  # Bora's words, before line:column
            kinds[kind] = kinds.get(kind, 0) + 1
            if kinds[kind] == 1:
                path = os.path.join(tempfile.gettempdir(), "yaml_words_%d_%d.yaml" % (seed, differ))
                with open(path, "w") as f:
                    f.write(text)
                print("DIFF %s\n  Mistral: %s\n  Bora:    %s" % (path, want, got.split("\n")[0][:200]))
        print("%d YAML refusals compared, %d differ" % (tried, differ))
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bora", default=os.path.join(ROOT, "build", "src", "cli", "bora"))
    ap.add_argument("--cases", action="store_true")
    ap.add_argument("--tabs", type=int, metavar="SEED")
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--breaks", type=int, metavar="SEED")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--words", type=int, metavar="SEED")
    opts = ap.parse_args()
    if opts.cases:
        run_cases(opts.bora)
    if opts.tabs is not None:
        run_tabs(opts.bora, opts.tabs, opts.files)
    if opts.breaks is not None:
        run_breaks(opts.bora, opts.breaks, opts.count)
    if opts.words is not None:
        run_words(opts.bora, opts.words, opts.count)


if __name__ == "__main__":
    main()
