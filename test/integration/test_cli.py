"""The `bora` binary's subcommands as a user runs them: help, version,
validate (examples accepted, broken definitions refused with line:column)."""

import glob
import json
import os
import tempfile
import time as _time
import shutil
import subprocess
import unittest

BORA = os.environ.get("BORA_BINARY", "bora")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(*args, stdin=None):
    p = subprocess.run([BORA] + list(args), input=stdin, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


class HelpTest(unittest.TestCase):
    def test_help_lists_every_command(self):
        rc, out, _ = run("--help")
        self.assertEqual(0, rc)
        for cmd in ("server", "run", "eval", "validate", "db", "version"):
            self.assertIn(cmd, out)

    def test_each_command_has_help(self):
        rc, out, _ = run("--help")
        commands = [line.split()[0] for line in out.splitlines()
                    if line.startswith("  ") and line.strip()]
        self.assertGreaterEqual(len(commands), 3)
        for cmd in commands:
            rc, text, err = run(cmd, "--help")
            self.assertEqual(0, rc, "%s --help: %s" % (cmd, err))
            self.assertIn("Usage: bora " + cmd, text)

    def test_unknown_command_and_option(self):
        rc, _, err = run("frobnicate")
        self.assertEqual(2, rc)
        self.assertIn("unknown command 'frobnicate'", err)
        rc, _, err = run("validate", "--nope", "x.yaml")
        self.assertEqual(2, rc)
        self.assertIn("unknown option --nope", err)

    def test_version(self):
        rc, out, _ = run("version")
        self.assertEqual(0, rc)
        self.assertRegex(out, r"^bora \d+\.\d+")


class DbTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="bora-db-")
        self.url = "sqlite:///" + os.path.join(self.tmp, "sub", "bora.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_upgrade_creates_then_is_a_no_op(self):
        rc, out, err = run("db", "version", "--db", self.url)
        self.assertEqual(0, rc, err)
        self.assertIn("schema version 0", out)
        rc, out, err = run("db", "upgrade", "--db", self.url)
        self.assertEqual(0, rc, err)
        self.assertRegex(out, r"upgraded from schema version 0 to \d+")
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "sub", "bora.db")))
        rc, out, _ = run("db", "upgrade", "--db", self.url)
        self.assertEqual(0, rc)
        self.assertIn("already at schema version", out)

    def test_bad_usage_and_urls(self):
        rc, _, err = run("db")
        self.assertEqual(2, rc)
        self.assertIn("bora db upgrade", err)
        rc, _, err = run("db", "upgrade", "--db", "postgresql://x")
        self.assertEqual(1, rc)
        self.assertIn("unsupported database URL", err)
        rc, _, err = run("db", "upgrade", "--db", "mysql://u@127.0.0.1/bora")
        self.assertEqual(1, rc)
        self.assertIn("MySQL", err)


class EvalTest(unittest.TestCase):
    def test_expressions_and_errors(self):
        rc, out, _ = run("eval", "<% [3, 1, 2].orderBy($) %>")
        self.assertEqual(0, rc)
        self.assertEqual([1, 2, 3], json.loads(out))
        rc, out, _ = run("eval", "{{ [1, 2] | sum }} items")
        self.assertEqual(0, rc)
        self.assertEqual("3 items", json.loads(out))
        rc, out, err = run("eval", "<% $.missing %>")
        self.assertEqual(1, rc)
        self.assertIn("Can not evaluate YAQL expression [expression=$.missing, error='missing'", err)
        rc, _, err = run("eval")
        self.assertEqual(2, rc)

    def test_env_as_a_workflow_sees_it(self):
        # env() reads the data context's __env, which --env also sets (as a
        # workflow's context holds its env); Jinja without one is Python's
        # KeyError, yaql's None (Mistral 15's answers).
        with tempfile.TemporaryDirectory() as tmp:
            env_file, ctx_file = os.path.join(tmp, "env.json"), os.path.join(tmp, "ctx.json")
            with open(env_file, "w") as f:
                json.dump({"e": 1}, f)
            with open(ctx_file, "w") as f:
                json.dump({"__env": {"z": 2}, "a": 1}, f)
            for args, want in ((["--env", env_file, "{{ env().e }}"], 1), (["--env", env_file, "{{ _.__env.e }}"], 1),
                               (["--context", ctx_file, "{{ env().z }}"], 2), (["--context", ctx_file, "<% env().z %>"], 2),
                               (["<% env() %>"], None)):
                rc, out, err = run("eval", *args)
                self.assertEqual((0, want), (rc, json.loads(out)), err)
            rc, _, err = run("eval", "{{ env() }}")
            self.assertEqual(1, rc)
            self.assertIn("error='__env', data={}]", err)

    def test_batch(self):
        lines = "\n".join([json.dumps({"id": 1, "expr": "<% $.x + 1 %>", "context": {"x": 1}}),
                           json.dumps({"id": 2, "expr": "{{ _.x }}", "context": {"x": "a"}}),
                           "garbage",
                           json.dumps({"id": 4, "expr": "<% 1 / 0 %>", "context": {}})]) + "\n"
        p = subprocess.run([BORA, "eval", "--batch", "-"], input=lines, capture_output=True, text=True, timeout=30)
        self.assertEqual(0, p.returncode, p.stderr)
        out = [json.loads(line) for line in p.stdout.splitlines()]
        self.assertEqual({"id": 1, "result": 2}, out[0])
        self.assertEqual({"id": 2, "result": "a"}, out[1])
        self.assertIn("error", out[2])
        self.assertEqual(4, out[3]["id"])
        self.assertIn("division", out[3]["error"])


class RunTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="bora-run-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_success_prints_output_and_progress(self):
        path = self.write("ok.yaml", "version: '2.0'\nok:\n  input:\n    - who\n  tasks:\n"
                                     "    a:\n      action: std.echo output=1\n      publish: {seen: yes, who: <% $.who %>}\n"
                                     "      on-success: b\n    b:\n      action: std.noop\n")
        rc, out, err = run("run", path, "who=Ada")
        self.assertEqual(0, rc, err)
        # As Mistral: a default output is the published data, not the input.
        self.assertEqual({"seen": True, "who": "Ada"}, json.loads(out))
        self.assertRegex(err, r"\] a +SUCCESS")
        self.assertRegex(err, r"\] b +SUCCESS")
        self.assertIn("workflow ok: SUCCESS", err)
        rc, out, err = run("run", path, "--input", '{"who": 3}')
        self.assertEqual(0, rc, err)
        self.assertEqual(3, json.loads(out)["who"])

    def test_examples_run(self):
        rc, out, err = run("run", os.path.join(ROOT, "examples", "hello.yaml"), "name=Ada")
        self.assertEqual(0, rc, err)
        self.assertEqual({"greeting": "Hello, Ada!"}, json.loads(out))
        wb = os.path.join(ROOT, "examples", "deploy_workbook.yaml")
        rc, out, err = run("run", wb, "--workflow", "deploy.release", "version=1.2")
        self.assertEqual(0, rc, err)
        self.assertEqual("app-1.2.tar.gz", json.loads(out)["artifact"])
        rc, out, err = run("run", wb, "--workflow", "deploy.rollout", "--task", "install")
        self.assertEqual(0, rc, err)
        self.assertRegex(err, r"\] install +SUCCESS")

    def test_create_vm_example_against_the_stub_cloud(self):
        # std.http against a loopback stub started by the example's script.
        script = os.path.join(ROOT, "examples", "run_create_vm.sh")
        p = subprocess.run(["sh", script, BORA], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, PATH="/usr/bin:" + os.environ.get("PATH", "")))
        self.assertEqual(0, p.returncode, p.stderr)
        out = json.loads(p.stdout)
        self.assertEqual("192.0.2.10", out["floating_ip"])
        self.assertTrue(out["server_id"])
        self.assertRegex(p.stderr, r"\] wait_for_server +SUCCESS")

    def test_terminal_progress_view(self):
        # stderr on a terminal: a live block redrawn in place (ANSI), each
        # ended task printed once; stdout (a pipe) still gets only the JSON.
        import pty
        path = self.write("live.yaml", "version: '2.0'\nlive:\n  tasks:\n    each:\n"
                                       "      with-items: i in <% range(6) %>\n      concurrency: 2\n"
                                       "      action: std.echo\n      input: {output: <% $.i %>, delay: 0.1}\n")
        master, slave = pty.openpty()
        try:
            p = subprocess.run([BORA, "run", path], stdout=subprocess.PIPE, stderr=slave, timeout=60,
                               env=dict(os.environ, TERM="xterm"))
            os.close(slave)
            slave = None
            chunks = []
            while True:  # bounded: the pty ends once its writer is gone
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
            err = b"".join(chunks).decode(errors="replace")
        finally:
            if slave is not None:
                os.close(slave)
            os.close(master)
        self.assertEqual(0, p.returncode, err)
        self.assertEqual({}, json.loads(p.stdout))
        self.assertIn("\x1b[", err)  # redrawn in place
        self.assertIn("workflow live RUNNING", err)
        self.assertRegex(err, r"each +RUNNING \d/6 items")
        self.assertEqual(1, err.count("] each"))  # the ended task once
        self.assertIn("workflow live: SUCCESS", err)

    def test_ctrl_c_cancels_and_exits_130(self):
        import signal
        import time as _time
        path = self.write("slow.yaml", "version: '2.0'\nslow:\n  tasks:\n    nap:\n      action: std.sleep seconds=30\n")
        db = "sqlite:///" + os.path.join(self.tmp, "run.db")
        p = subprocess.Popen([BORA, "run", path, "--db", db], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _time.sleep(1.0)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        self.assertEqual(130, p.returncode, err)
        self.assertIn("cancelled", err)

    def test_failure_exit_code_and_message(self):
        path = self.write("bad.yaml", "version: '2.0'\nbad:\n  tasks:\n    t:\n"
                                      "      action: std.fail error_data=\"disk full\"\n")
        rc, out, err = run("run", path)
        self.assertEqual(1, rc)
        self.assertIn("Failure caused by error in tasks: t", err)
        self.assertIn("disk full", err)

    def test_executor_threads_come_from_the_configuration(self):
        # bora run sizes its executor pool by [executor] threads, as the server does.
        path = self.write("par.yaml", "version: '2.0'\npar:\n  tasks:\n"
                                      "    a:\n      action: std.sleep seconds=1\n"
                                      "    b:\n      action: std.sleep seconds=1\n")

        def timed(threads):
            env = dict(os.environ, BORA_EXECUTOR_THREADS=str(threads))
            start = _time.monotonic()
            p = subprocess.run([BORA, "run", path], capture_output=True, text=True, timeout=60, env=env)
            return p.returncode, p.stderr, _time.monotonic() - start

        rc, err, one = timed(1)
        self.assertEqual(0, rc, err)
        self.assertGreaterEqual(one, 2.0)  # the two sleeps one after the other
        rc, err, two = timed(2)
        self.assertEqual(0, rc, err)
        self.assertLess(two, one)
        rc, err, _ = timed(0)
        self.assertEqual(2, rc)
        self.assertIn("[executor] threads must be between 1 and 1024", err)

    def test_usage_errors(self):
        two = self.write("two.yaml", "version: '2.0'\nw1:\n  tasks:\n    t:\n      action: std.noop\n"
                                     "w2:\n  tasks:\n    t:\n      action: std.noop\n")
        rc, _, err = run("run", two)
        self.assertEqual(2, rc)
        self.assertIn("--workflow", err)
        rc, out, err = run("run", two, "--workflow", "w2")
        self.assertEqual(0, rc, err)
        rc, _, err = run("run")
        self.assertEqual(2, rc)
        rc, _, err = run("run", two, "--input", "[1]")
        self.assertEqual(2, rc)
        self.assertIn("JSON object", err)
        broken = self.write("broken.yaml", "version: '2.0'\nx:\n  tasks:\n    t:\n      on-success: nowhere\n")
        rc, _, err = run("run", broken)
        self.assertEqual(1, rc)
        self.assertIn("nowhere", err)


class ValidateTest(unittest.TestCase):
    def test_examples_are_valid(self):
        files = sorted(glob.glob(os.path.join(ROOT, "examples", "*.yaml")))
        self.assertGreaterEqual(len(files), 5)
        rc, out, err = run("validate", *files)
        self.assertEqual(0, rc, err)
        self.assertEqual(len(files), out.count(": valid "))

    def test_every_problem_with_position(self):
        path = os.path.join(ROOT, "test", "data", "lang", "invalid", "many_problems.yaml")
        rc, out, err = run("validate", path)
        self.assertEqual(1, rc)
        self.assertIn("many_problems.yaml:15:7: wf1.tasks.t1.on-sucess: unknown task attribute 'on-sucess'; "
                      "did you mean 'on-success'?", err)
        self.assertIn("13 problems", err)

    def test_stdin_and_kind(self):
        text = "version: '2.0'\nwf:\n  tasks:\n    t1:\n      action: std.noop\n      on-success: t9\n"
        rc, _, err = run("validate", "-", stdin=text)
        self.assertEqual(1, rc)
        self.assertIn("<stdin>:6:19:", err)
        self.assertIn("t9", err)
        rc, out, _ = run("validate", "--kind", "workflow", "-", stdin=text.replace("t9", "t2") + "    t2:\n      action: std.noop\n")
        self.assertEqual(0, rc)
        self.assertIn("valid workflow definition (1 workflow: wf)", out)
        rc, _, err = run("validate", "--kind", "gizmo", "-", stdin=text)
        self.assertEqual(2, rc)
        self.assertIn("--kind must be", err)

    def test_unreadable_file(self):
        rc, _, err = run("validate", "/nonexistent/wf.yaml")
        self.assertEqual(1, rc)
        self.assertIn("cannot open '/nonexistent/wf.yaml'", err)

    def test_garbage_input_is_an_error_not_a_crash(self):
        for text in ["", "\x00\x01\x02", "[[[[", "version: '2.0'\n" + "a: [" * 5000, "- 1\n- 2\n"]:
            rc, _, err = run("validate", "-", stdin=text)
            self.assertEqual(1, rc, repr(text[:30]))
            self.assertTrue(err.strip(), repr(text[:30]))


if __name__ == "__main__":
    unittest.main()
