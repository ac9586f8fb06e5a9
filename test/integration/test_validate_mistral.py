"""`bora validate --mistral` (issue 19 part 4, docs/LANGUAGE.md): every
Bora-only construct reported with line:column and a hint, exit status 1
when there is one, 0 for plain Mistral; found by key in the YAML, so that
`compensate`, `rollback` and `rollback-on-error` are found whether or not
this build's parser knows them."""

import os
import re
import subprocess
import tempfile
import unittest

BORA = os.environ.get("BORA_BINARY", "bora")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

PLAIN = """---
version: '2.0'
wf:
  tasks:
    a:
      action: std.noop
      retry: count=3 delay=1
      on-error:
        - fail
"""

EVERYTHING = """---
version: '2.0'
wf:
  rollback-on-error: true
  task-defaults:
    retry: count=2 delay=1 jitter=full
  tasks:
    create:
      action: std.noop
      compensate: std.echo output="undo"
      retry:
        count: 5
        delay: 1
        backoff: exponential
        max-delay: 60
      on-error:
        - rollback
    attach:
      action: std.noop
      on-complete:
        - rollback(msg="attach failed"): <% false %>
      on-success:
        next:
          - rollback msg="no"
"""

WORKBOOK = """---
version: '2.0'
name: wb
workflows:
  inner:
    tasks:
      t:
        action: std.noop
        retry: count=1 delay=1 backoff=linear
"""


def run(*args):
    p = subprocess.run([BORA] + list(args), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


class ValidateMistralTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="bora-validate-")

    def tearDown(self):
        for f in os.listdir(self.tmp):
            os.remove(os.path.join(self.tmp, f))
        os.rmdir(self.tmp)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def reported(self, err, path):
        """(line, column, yaml path) of each Bora-only construct reported."""
        out = []
        for line in err.splitlines():
            m = re.match(re.escape(path) + r":(\d+):(\d+): (.+?): Bora-only", line)
            if m:
                out.append((int(m.group(1)), int(m.group(2)), m.group(3)))
        return out

    def test_plain_mistral_is_portable(self):
        path = self.write("plain.yaml", PLAIN)
        rc, out, err = run("validate", "--mistral", path)
        self.assertEqual(0, rc, err)
        self.assertIn("no Bora-only construct", out)

    def test_every_construct_with_line_and_column(self):
        path = self.write("all.yaml", EVERYTHING)
        rc, out, err = run("validate", "--mistral", path)
        self.assertEqual(1, rc, out + err)
        found = self.reported(err, path)
        self.assertEqual([
            (4, 3, "wf.rollback-on-error"),
            (6, 12, "wf.task-defaults.retry"),
            (10, 7, "wf.tasks.create.compensate"),
            (14, 9, "wf.tasks.create.retry.backoff"),
            (15, 9, "wf.tasks.create.retry.max-delay"),
            (17, 11, "wf.tasks.create.on-error[0]"),
            (21, 11, "wf.tasks.attach.on-complete[0].rollback(msg=\"attach failed\")"),
            (24, 13, "wf.tasks.attach.on-success.next[0]"),
        ], found, err)
        self.assertIn("8 Bora-only constructs", err)
        # Each says what to do for Mistral.
        self.assertIn("remove it, the delay is then fixed", err)
        self.assertIn("use fail and undo the work in on-error paths", err)
        # Without --mistral, no portability report.
        rc, out, err = run("validate", path)
        self.assertNotIn("Bora-only", err)

    def test_workbooks_and_the_example(self):
        path = self.write("wb.yaml", WORKBOOK)
        rc, out, err = run("validate", "--mistral", path)
        self.assertEqual(1, rc, out + err)
        self.assertEqual([(9, 16, "workflows.inner.tasks.t.retry")], self.reported(err, path))
        self.assertIn("'backoff'", err)
        example = os.path.join(ROOT, "examples", "retry_backoff.yaml")
        rc, out, err = run("validate", "--mistral", example)
        self.assertEqual(1, rc, out + err)
        self.assertEqual(3, len(self.reported(err, example)), err)
        self.assertIn("valid workflow definition", out)


if __name__ == "__main__":
    unittest.main()
