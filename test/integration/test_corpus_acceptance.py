"""Accept what Mistral accepts, refuse what it refuses (issue 20, part 6).

The corpus is 551 workflow and workbook files from public repositories,
kept outside the project in ../shared/corpora/mistral-realworld (read at
run time, never copied in). What the real Mistral 15 says of each file is
frozen in test/data/lang/corpus_verdicts.json by
scripts/gen_corpus_verdicts.py (Mistral's parser with validation on, as its
API applies on create, plus its rule that definition names hold no
spaces). `bora validate` must give the same verdict for every file; where
Bora would be stricter than Mistral it accepts with a warning, and
`bora validate --strict` refuses those.

BORA_SHARED_DIR points at the shared folder when it is not ../shared
beside the repository; without it the test exits 77 (skipped)."""

import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest

BORA = os.environ.get("BORA_BINARY", "bora")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("BORA_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(SHARED, "corpora", "mistral-realworld")
VERDICTS = os.path.join(ROOT, "test", "data", "lang", "corpus_verdicts.json")


def validate(path, *extra):
    p = subprocess.run([BORA, "validate", *extra, path], capture_output=True, timeout=60)
    out = (p.stdout + p.stderr).decode("utf-8")  # Bora never prints half a character
    return p.returncode, out


def load():
    with open(VERDICTS) as f:
        return json.load(f)["files"]


class CorpusAcceptanceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(CORPUS):
            print("skipped: no corpus at %s (set BORA_SHARED_DIR)" % CORPUS, file=sys.stderr)
            sys.exit(77)
        cls.entries = load()
        cls.results = {}

        def one(entry):
            path = os.path.join(CORPUS, entry["file"])
            return entry["file"], validate(path)

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            for name, res in pool.map(one, cls.entries):
                cls.results[name] = res

    def test_corpus_is_the_frozen_one(self):
        changed = []
        for e in self.entries:
            with open(os.path.join(CORPUS, e["file"]), "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != e["sha256"]:
                    changed.append(e["file"])
        self.assertEqual([], changed, "corpus files changed since the verdicts were frozen: "
                         "re-run scripts/gen_corpus_verdicts.py")
        self.assertGreaterEqual(len(self.entries), 551)

    def test_same_verdict_as_mistral(self):
        wrong = []
        for e in self.entries:
            rc, out = self.results[e["file"]]
            self.assertIn(rc, (0, 1), "%s: bora validate exited %d: %s" % (e["file"], rc, out))
            bora = "accept" if rc == 0 else "refuse"
            # "bora": the one place Bora follows Mistral's later release (the
            # generator's LATER_MISTRAL says which and why).
            expected = e.get("bora", e["mistral"])
            if bora != expected:
                why = e.get("error", "") if expected == "refuse" else out.strip().splitlines()[0]
                wrong.append("%s: Mistral %ss, Bora %ss (%s)" % (e["file"], expected, bora, why[:300]))
        self.assertEqual([], wrong, "\n".join(wrong))

    def test_accepted_with_warnings_are_refused_by_strict(self):
        warned = [e for e in self.entries
                  if e["mistral"] == "accept" and ": warning: " in self.results[e["file"]][1]]
        # The corpus holds duplicate keys, a misspelt workflow attribute and
        # repeated input parameters: Mistral takes them, Bora says so.
        self.assertGreaterEqual(len(warned), 3)
        for e in warned:
            rc, out = validate(os.path.join(CORPUS, e["file"]), "--strict")
            self.assertEqual(1, rc, "%s: --strict should refuse: %s" % (e["file"], out))
            self.assertIn("refused by --strict", out)

    def test_refusals_name_line_and_column(self):
        for e in self.entries:
            if e.get("bora", e["mistral"]) != "refuse":
                continue
            rc, out = self.results[e["file"]]
            first = out.strip().splitlines()[0]
            self.assertRegex(first, r":\d+:\d+: ", "%s: %s" % (e["file"], first))


class WarningRulesTest(unittest.TestCase):
    """The rules behind the warnings, on small files of our own."""

    def write(self, text):
        fd, path = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def test_duplicate_key_keeps_the_last_value(self):
        path = self.write("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.fail\n      action: std.noop\n")
        rc, out = validate(path)
        self.assertEqual(0, rc, out)
        self.assertIn(":6:7: wf.tasks.t.action: warning: duplicate key 'action' (first defined at line 5)", out)
        rc, out = validate(path, "--strict")
        self.assertEqual(1, rc, out)
        # The last value is the one that runs, as with PyYAML.
        p = subprocess.run([BORA, "run", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(0, p.returncode, p.stdout + p.stderr)

    def test_no_break_space_inside_jinja(self):
        path = self.write("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo output={{\u00a0_.x\u00a0}}\n"
                          "  input:\n    - x: 1\n")
        rc, out = validate(path)
        self.assertEqual(0, rc, out)

    def test_broken_jinja_message_is_whole_characters(self):
        path = self.write("version: '2.0'\nwf:\n  tasks:\n    t:\n      action: std.echo output={{ \u00e9 }}\n")
        rc, out = validate(path)
        self.assertEqual(1, rc, out)
        self.assertIn("unexpected char '\u00e9'", out)


if __name__ == "__main__":
    unittest.main()
