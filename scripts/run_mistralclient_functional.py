#!/usr/bin/python3
"""Runs python-mistralclient's own functional CLI tests against Bora.

The suite is Debian's python3-mistralclient's
mistralclient/tests/functional/cli/v2/test_cli_v2.py (143 tests, 4.5.0): it
drives the real `mistral` command through tempest.lib's CLI helpers. With
WITHOUT_AUTH set, each command is `mistral --os-mistral-url
http://localhost:8989/v2 ...` (the URL is hard-coded in the suite), no
Keystone. The tests still read the clouds 'devstack-admin' (and, for one
test, 'devstack-alt') with os-client-config: a clouds.yaml with dummy
credentials is given through OS_CLIENT_CONFIG_FILE.

Bora runs on a free loopback port with authentication off (its default),
SQLite in a temp folder, and [api] allow_action_execution_deletion = True as
Mistral's devstack plugin (the gate that runs this suite) sets it. The
suite's URL (MISTRAL_URL, http://localhost:8989/v2) is its classes'
`_mistral_url`, set to that server's as tempest's config would set it; the
tests' code is run as it is.

The tests read their YAML files relative to the cwd
(functionaltests/resources/v2/...), and write scratch files there ('input',
'wf.yaml', 'env.yaml', ...): each worker runs in its own temp copy of
test/data/mistralclient_functional, never in the repository.

Several tests count what the whole project holds (execution-list gives 2,
task-list gives 2, --rootsonly gives 1), so one server cannot serve two
tests at once. Serial by default; with --workers N each worker has its own
Bora, tests dealt out one by one.

Per-test timeout: tempest's OS_TEST_TIMEOUT (fixtures.Timeout), --timeout.

    /usr/bin/python3 scripts/run_mistralclient_functional.py [--workers N]
        [--timeout S] [--keep DIR] [-k SUBSTRING ...] [--multi-tenancy]

--multi-tenancy runs instead the suite's test_cli_multi_tenancy.py (31
tests: the admin user of project 'admin' and the user alt_demo of project
'alt_demo', each command authenticated through Keystone), plus
test_cli_v2's NegativeCLITests.test_target_action_execution (also Keystone;
--no-target-action leaves it out). A private Keystone
(test/support/keystone_server.py: uwsgi on a loopback port, SQLite in its
own temp folder) gets the projects 'service' (Bora's service user `bora`,
roles admin and service), 'alt_demo' (user alt_demo, role member) and its
bootstrap admin; the clouds 'devstack-admin' and 'devstack-alt' point at
it with those real credentials. Bora runs with Keystone auth on
(KeystoneServer.write_mistral_conf: [pecan] auth_enable, its
[keystone_authtoken]) and allow_action_execution_deletion; WITHOUT_AUTH is
not set. Mistral's gate installs mistral-extra (the OpenStack actions the
tests list and run: glance.images_list, heat.stacks_list): Bora loads its
OpenStack pack instead (build/plugins/openstack.so, or BORA_OPENSTACK_PACK;
--no-openstack-pack leaves it out). Keystone is stopped by its pid and its
folder removed at the end.

Prints passed / failed / errored / skipped and, for each failure, the test
and the first lines of its assertion or of the CLI's stderr. Exit status 0
when every test that ran passed (or was skipped), 1 otherwise."""

import argparse
import ast
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, ".."))
BORA = os.environ.get("BORA_BINARY", os.path.join(ROOT, "build", "src", "cli", "bora"))
DATA = os.path.join(ROOT, "test", "data", "mistralclient_functional")
PYTHON = "/usr/bin/python3"
MODULE = "mistralclient.tests.functional.cli.v2.test_cli_v2"
MT_MODULE = "mistralclient.tests.functional.cli.v2.test_cli_multi_tenancy"
MT_EXTRA = MODULE + ".NegativeCLITests.test_target_action_execution"
SUPPORT = os.path.join(ROOT, "test", "support")
sys.dont_write_bytecode = True  # nothing written into test/support
sys.path.insert(0, SUPPORT)
from outcome_recorder import recorder_class  # noqa: E402  (test/support)
# Bora's OpenStack pack, built beside the binary (build/plugins/openstack.so)
OPENSTACK_PACK = os.environ.get("BORA_OPENSTACK_PACK", os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(BORA))), "plugins", "openstack.so"))
START_TIMEOUT = 30  # seconds for Bora to listen
STOP_TIMEOUT = 10
DEFAULT_TEST_TIMEOUT = 150  # seconds per test (the suite's own waits are up to 180 s)
COMMAND_TIMEOUT = 120  # seconds for one `mistral` command in the warm client
SUITE_TIMEOUT = 3600  # seconds for a worker's whole share

CLOUDS_YAML = """\
clouds:
  devstack-admin:
    auth:
      auth_url: http://127.0.0.1:5/identity/v3
      username: admin
      password: dummy-password
      project_name: admin
      user_domain_id: default
      project_domain_id: default
    identity_api_version: 3
  devstack-alt:
    auth:
      auth_url: http://127.0.0.1:5/identity/v3
      username: alt_demo
      password: dummy-password
      project_name: alt_demo
      user_domain_id: default
      project_domain_id: default
    identity_api_version: 3
"""

BORA_CONF = """\
[api]
allow_action_execution_deletion = True
"""


# -- Bora -------------------------------------------------------------------
class Bora:
    """`bora server` on a free loopback port with SQLite in `folder`; `url`
    once started."""

    def __init__(self, folder, conf=None):
        self.folder = folder
        self.conf = conf  # a configuration file to use as it is (else BORA_CONF)
        self.log_path = os.path.join(folder, "bora.log")
        self.proc = None
        self.url = None

    def start(self):
        conf = self.conf
        if conf is None:
            conf = os.path.join(self.folder, "bora.conf")
            with open(conf, "w") as f:
                f.write(BORA_CONF)
                # The OpenStack pack, Bora's mistral-extra, as Mistral's gate
                # installs it: its preinstalled workflows (create_instance)
                # are what test_workflow_list_with_filter lists.
                if os.path.exists(OPENSTACK_PACK):
                    packs = os.path.join(self.folder, "packs")
                    os.makedirs(packs, exist_ok=True)
                    link = os.path.join(packs, "openstack.so")
                    if not os.path.exists(link):
                        os.symlink(OPENSTACK_PACK, link)
                    f.write("[executor]\nplugin_dirs = %s\n" % packs)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BORA_")}
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BORA, "server", "--config", conf, "--host", "127.0.0.1", "--port", "0",
             "--db", "sqlite:///" + os.path.join(self.folder, "bora.db")],
            stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL, env=env)
        deadline = time.time() + START_TIMEOUT
        buf = b""
        while time.time() < deadline and self.proc.poll() is None:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
                m = re.search(rb"listening on (http://[\w.:]+/v2)", buf)
                if m:
                    self.url = m.group(1).decode()
                    return self
        self.stop()
        raise RuntimeError("bora server did not start: %r\n%s" % (buf[-500:], self.logs()[-3000:]))

    def logs(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()  # by its own pid
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT)
        self.proc.stdout.close()
        self.log.close()
        self.proc = None


# -- the child: one worker, its Bora, its share of the tests ---------------
def all_tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from all_tests(t)
        else:
            yield t


def short_id(test_id):
    """Class.test_name (or what a failed import / setUpClass reports)."""
    test_id = re.sub(r"\[.*\]$", "", test_id)
    m = re.match(r"(\w+) \((.*)\)", test_id)
    if m:  # setUpClass (module.Class), tearDownClass (...)
        return m.group(2).split(".")[-1] + "." + m.group(1)
    return ".".join(test_id.split(".")[-2:])


def use_warm_client():
    """Runs the suite's `mistral` commands in one warm python-mistralclient
    process (test/integration/mistral_client_worker.py: a fresh
    MistralShell per command, with the command's argv, environment and
    folder) instead of a new process each: the same client code parses the
    arguments, calls Bora and prints, without ~0.6 s of imports per
    command (some 1 000 commands, minutes of a 2-core machine). tempest's
    execute() is replaced with one that hands `mistral` commands to it,
    raising CommandFailed as tempest does; other commands (`openstack`)
    still run as processes. BORA_MISTRAL_COLD=1 (--cold) keeps processes."""
    import shlex
    from tempest.lib import exceptions
    from tempest.lib.cli import base
    sys.path.insert(0, os.path.join(ROOT, "test", "integration"))
    from bora_server import MistralClientWorker
    cold = base.execute

    def execute(cmd, action, flags="", params="", fail_ok=False, merge_stderr=False, cli_dir="/usr/bin",
                prefix=""):
        argv = shlex.split(" ".join([prefix, os.path.join(cli_dir, cmd), flags, action, params]).strip())
        if prefix or os.path.basename(argv[0]) != "mistral":
            return cold(cmd, action, flags, params, fail_ok, merge_stderr, cli_dir, prefix)
        done = MistralClientWorker.shared().run(argv[1:], dict(os.environ), COMMAND_TIMEOUT, cwd=os.getcwd())
        out = done.stdout + (done.stderr if merge_stderr else "")
        if not fail_ok and done.returncode != 0:
            raise exceptions.CommandFailed(done.returncode, argv, out.encode(),
                                           b"" if merge_stderr else done.stderr.encode())
        return out
    base.execute = execute


def run_child(workdir, worker, workers, patterns, names=(MODULE,), conf=None):
    """Starts Bora (in this process's network namespace; with `conf`, that
    configuration file), runs every workers-th selected test of `names`
    (modules or tests), writes workdir/results-<worker>.json:
    {Class.test: {"outcome", "seconds", "detail"}}."""
    wdir = os.path.join(workdir, "worker-%d" % worker)
    cwd = os.path.join(wdir, "cwd")
    results = {}
    out_path = os.path.join(workdir, "results-%d.json" % worker)

    def record(test, outcome, seconds, detail):
        tid = short_id(test.id())
        if tid in results and results[tid]["outcome"] != "pass":
            return  # the first problem (a cleanup's error comes after the failure)
        results[tid] = {"outcome": outcome, "seconds": seconds, "detail": detail[:100000]}

    Recorder = recorder_class(record)

    def on_term(signum, frame):  # the parent's stop: through `finally`, which stops Bora
        raise KeyboardInterrupt("terminated")

    signal.signal(signal.SIGTERM, on_term)
    bora = Bora(wdir, conf)
    try:
        if not os.environ.get("BORA_MISTRAL_COLD"):
            use_warm_client()
        bora.start()
        os.chdir(cwd)
        suite = unittest.defaultTestLoader.loadTestsFromNames(list(names))
        # The suite's server URL, as its configuration (MISTRAL_URL).
        for t in all_tests(suite):
            for cls in type(t).__mro__:
                if "_mistral_url" in vars(cls):
                    cls._mistral_url = bora.url
        tests = [t for t in all_tests(suite)
                 if not patterns or any(p in t.id() for p in patterns)]
        mine = unittest.TestSuite([t for i, t in enumerate(tests) if i % workers == worker])
        runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=2, resultclass=Recorder)
        runner.run(mine)
    except BaseException:
        results["worker-%d.startup" % worker] = {"outcome": "error", "seconds": 0,
                                                 "detail": traceback.format_exc()}
    finally:
        bora.stop()
        with open(out_path, "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)


# -- the parent ------------------------------------------------------------
def wait_workers(procs):
    """Waits for the workers [(Popen, log)], SUITE_TIMEOUT in all."""
    deadline = time.time() + SUITE_TIMEOUT
    for p, _ in procs:
        try:
            p.wait(timeout=max(1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass


def stop_workers(procs):
    """Stops the workers still running, each by its own pid (a child stops
    its Bora in `finally`), and closes their logs."""
    for p, log in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=STOP_TIMEOUT + 5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=STOP_TIMEOUT)
        log.close()


def first_lines(detail, most=12):
    """The exception of a traceback (skipping the frames), its first lines;
    for a failed CLI command (tempest's CommandFailed), the command and its
    stderr: its first lines, or the end of a traceback it printed."""
    lines = detail.splitlines()
    last_frame = max((i for i, l in enumerate(lines) if l.startswith("  File ")), default=-1)
    i = last_frame + 1
    while 0 < i < len(lines) and lines[i].startswith("    "):
        i += 1
    exc = [l for l in lines[max(i, 0):] if l.strip()]
    text = "\n".join(exc)
    if "CommandFailed" in text:
        cmd = re.search(r"Command '(.*?)' returned non-zero exit status (\d+)", text, re.S)
        err = re.search(r"\nstderr:\n(b?(['\"]).*\2)\s*$", text, re.S)
        try:
            stderr = ast.literal_eval(err.group(1)) if err else ""
        except (ValueError, SyntaxError):
            stderr = err.group(1)
        if isinstance(stderr, bytes):
            stderr = stderr.decode(errors="replace")
        err_lines = [l for l in stderr.splitlines() if l.strip()]
        if any(l.startswith("Traceback") for l in err_lines):  # --debug: the exception it ends with
            err_lines = err_lines[-1:]
        head = ["CommandFailed: %s (exit %s)" % (cmd.group(1), cmd.group(2)) if cmd else exc[0]]
        exc = head + ["stderr: " + l for l in err_lines]
    return "\n".join(exc[:most])


def keystone_module():
    """test/support/keystone_server.py (used as it is); exits when the
    Debian packages Keystone needs are not installed."""
    sys.dont_write_bytecode = True  # nothing written into test/support
    import keystone_server
    missing = keystone_server.missing()
    if missing:
        sys.exit("--multi-tenancy needs the Debian packages %s" % ", ".join(missing))
    return keystone_server


def write_clouds(path, ks):
    """The suite's two clouds at the private Keystone, real credentials."""
    with open(path, "w") as f:
        f.write("clouds:\n")
        for cloud, user, project in (("devstack-admin", "admin", "admin"),
                                     ("devstack-alt", "alt_demo", "alt_demo")):
            f.write("  %s:\n    auth:\n      auth_url: %s/v3\n      username: %s\n"
                    "      password: %s\n      project_name: %s\n      user_domain_id: default\n"
                    "      project_domain_id: default\n    identity_api_version: 3\n"
                    "    region_name: RegionOne\n"
                    % (cloud, ks.url, user, ks.password_of(user), project))


def main_multi_tenancy(args):
    """--multi-tenancy: Keystone, then the workers as in main(), with
    authentication on."""
    started = time.time()
    if not os.path.exists(BORA):
        sys.exit("no bora binary at %s (build it, or set BORA_BINARY)" % BORA)
    for cmd in ("mistral", "openstack"):
        if not shutil.which(cmd, path="/usr/bin"):
            sys.exit("no /usr/bin/%s: install python3-mistralclient and python3-openstackclient" % cmd)
    keystone_server = keystone_module()
    tmp = tempfile.mkdtemp(prefix="bora-mistralclient-mt-")
    ks = None
    procs = []
    failed = False
    try:
        ks = keystone_server.KeystoneServer(threads=max(4, 2 * args.workers))
        ks.start()
        ks.add_project("service")
        ks.add_user("bora", "service", "admin", "service")
        # devstack's alternate user: its own project, the member role.
        ks.add_project("alt_demo")
        ks.add_user("alt_demo", "alt_demo", "member")
        keystone_ready = time.time()
        print("keystone at %s ready in %.1f s" % (ks.url, keystone_ready - started), file=sys.stderr)
        clouds = os.path.join(tmp, "clouds.yaml")
        write_clouds(clouds, ks)
        packs = ""
        if not args.no_openstack_pack:
            if not os.path.exists(OPENSTACK_PACK):
                raise RuntimeError("no OpenStack pack at %s (--no-openstack-pack runs without it)"
                                   % OPENSTACK_PACK)
            folder = os.path.join(tmp, "packs")
            os.mkdir(folder)
            os.symlink(OPENSTACK_PACK, os.path.join(folder, "openstack.so"))
            packs = "[executor]\nplugin_dirs = %s\n" % folder
        conf = ks.write_mistral_conf(os.path.join(tmp, "mistral.conf"),
                                     extra="[api]\nallow_action_execution_deletion = True\n" + packs)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env.pop("WITHOUT_AUTH", None)
        env.update({"OS_CLIENT_CONFIG_FILE": clouds, "OS_TEST_TIMEOUT": str(args.timeout),
                    "PYTHONDONTWRITEBYTECODE": "1", "HOME": tmp,
                    "OS_MISTRALCLIENT_EXEC_DIR": "/usr/bin",
                    "PATH": "/usr/bin:/bin:" + os.environ.get("PATH", "")})
        for k in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
            env.pop(k, None)
        env["no_proxy"] = env["NO_PROXY"] = "localhost,127.0.0.1"
        names = [MT_MODULE] + ([] if args.no_target_action else [MT_EXTRA])
        for w in range(args.workers):
            wdir = os.path.join(tmp, "worker-%d" % w)
            shutil.copytree(DATA, os.path.join(wdir, "cwd"))
            child = [PYTHON, os.path.abspath(__file__), "--child-mt", tmp, str(w), str(args.workers),
                     conf, ",".join(names)] + args.patterns
            log = open(os.path.join(wdir, "run.log"), "wb")
            procs.append((subprocess.Popen(child, env=env, stdout=log, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL), log))
        wait_workers(procs)
    except BaseException:
        failed = True
        raise
    finally:
        stop_workers(procs)
        if ks is not None:
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                with open(os.path.join(args.keep, "keystone.log"), "w") as f:
                    f.write(ks.logs())
            ks.cleanup()  # uwsgi stopped by its pid, its folder removed
        if failed:
            shutil.rmtree(tmp, ignore_errors=True)  # else report() removes it
    return report(args, tmp, procs, started)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=1,
                    help="parallel workers, each with its own Bora")
    ap.add_argument("--timeout", type=int, default=DEFAULT_TEST_TIMEOUT, help="seconds per test")
    ap.add_argument("--keep", help="copy each test's outcome (results.json) and Bora's logs here")
    ap.add_argument("-k", dest="patterns", action="append", default=[],
                    help="run only the tests whose id contains this (repeatable)")
    ap.add_argument("--lines", type=int, default=12, help="lines of detail per failure")
    ap.add_argument("--cold", action="store_true",
                    help="run each `mistral` command as a process of its own (not in one warm client)")
    ap.add_argument("--multi-tenancy", action="store_true",
                    help="run test_cli_multi_tenancy through a private Keystone (auth on)")
    ap.add_argument("--no-target-action", action="store_true",
                    help="with --multi-tenancy: leave out NegativeCLITests.test_target_action_execution")
    ap.add_argument("--no-openstack-pack", action="store_true",
                    help="with --multi-tenancy: do not load Bora's OpenStack pack (mistral-extra's stand-in)")
    args = ap.parse_args()
    if args.cold:
        os.environ["BORA_MISTRAL_COLD"] = "1"
    if args.multi_tenancy:
        return main_multi_tenancy(args)

    started = time.time()
    if not os.path.exists(BORA):
        sys.exit("no bora binary at %s (build it, or set BORA_BINARY)" % BORA)
    if not shutil.which("mistral", path="/usr/bin"):
        sys.exit("no /usr/bin/mistral: install python3-mistralclient")

    tmp = tempfile.mkdtemp(prefix="bora-mistralclient-")
    clouds = os.path.join(tmp, "clouds.yaml")
    with open(clouds, "w") as f:
        f.write(CLOUDS_YAML)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update({"WITHOUT_AUTH": "1", "OS_CLIENT_CONFIG_FILE": clouds, "OS_TEST_TIMEOUT": str(args.timeout),
                "PYTHONDONTWRITEBYTECODE": "1", "HOME": tmp,
                # where the suite looks for `mistral` when it authenticates (one test)
                "OS_MISTRALCLIENT_EXEC_DIR": "/usr/bin",
                "PATH": "/usr/bin:/bin:" + os.environ.get("PATH", "")})
    env.pop("http_proxy", None)
    env.pop("HTTP_PROXY", None)
    env["no_proxy"] = env["NO_PROXY"] = "localhost,127.0.0.1"
    procs = []
    try:
        for w in range(args.workers):
            wdir = os.path.join(tmp, "worker-%d" % w)
            shutil.copytree(DATA, os.path.join(wdir, "cwd"))
            child = [PYTHON, os.path.abspath(__file__), "--child", tmp, str(w), str(args.workers)] + args.patterns
            log = open(os.path.join(wdir, "run.log"), "wb")
            procs.append((subprocess.Popen(child, env=env, stdout=log, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL), log))
        wait_workers(procs)
    finally:
        stop_workers(procs)

    return report(args, tmp, procs, started)


def report(args, tmp, procs, started):
    """Gathers the workers' results, removes tmp, prints the summary."""
    results = {}
    for w, (p, _) in enumerate(procs):
        path = os.path.join(tmp, "results-%d.json" % w)
        if os.path.exists(path):
            with open(path) as f:
                results.update(json.load(f))
        else:
            with open(os.path.join(tmp, "worker-%d" % w, "run.log"), errors="replace") as f:
                tail = f.read()[-3000:]
            results["worker-%d.no-results" % w] = {"outcome": "error", "seconds": 0,
                                                   "detail": "exit %s\n%s" % (p.returncode, tail)}
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        with open(os.path.join(args.keep, "results.json"), "w") as f:
            json.dump(results, f, indent=1, sort_keys=True)
        for w in range(args.workers):
            for name in ("bora.log", "run.log"):
                src = os.path.join(tmp, "worker-%d" % w, name)
                if os.path.exists(src):
                    shutil.copy(src, os.path.join(args.keep, "worker-%d-%s" % (w, name)))
    shutil.rmtree(tmp, ignore_errors=True)

    counts = {k: 0 for k in ("pass", "fail", "error", "skip")}
    for r in results.values():
        counts[r["outcome"]] += 1
    bad = sorted(t for t, r in results.items() if r["outcome"] in ("fail", "error"))
    for t in bad:
        r = results[t]
        where = re.findall(r'File "[^"]*/mistralclient/tests/functional/[^"]*?(\w+\.py)", line (\d+)', r["detail"])
        print("%s %s (%.1f s%s)" % (r["outcome"].upper(), t, r["seconds"],
                                    ", at %s:%s" % where[-1] if where else ""))
        for line in first_lines(r["detail"], args.lines).splitlines():
            print("    " + line[:400])
    for t in sorted(t for t, r in results.items() if r["outcome"] == "skip"):
        print("SKIP %s: %s" % (t, results[t]["detail"]))
    print("\n%d tests: %d passed, %d failed, %d errored, %d skipped; %.1f s (%d worker%s)"
          % (len(results), counts["pass"], counts["fail"], counts["error"], counts["skip"],
             time.time() - started, args.workers, "s" if args.workers > 1 else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "--child":
        run_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:])
    elif len(sys.argv) >= 7 and sys.argv[1] == "--child-mt":
        run_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[7:],
                  names=sys.argv[6].split(","), conf=sys.argv[5])
    else:
        sys.exit(main())
