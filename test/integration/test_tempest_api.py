"""Mistral's own API test suite (Debian's mistral-tempest-plugin,
`mistral_tempest_tests.tests.api`, run by Debian's python3-tempest) against
Bora, authenticating through a private Keystone (issue 15 part 6, issue 20
part 8).

Keystone is test/support/keystone_server.py's (uwsgi on a loopback port);
Bora runs with mistral.conf's [pecan] auth_enable and is registered in
Keystone's catalog as the `workflowv2` service, where tempest finds it.
Tempest makes its own admin, primary and alt users and projects for each
test class (dynamic credentials, as Mistral's gate runs it).

The Debian package lacks the YAML files its tests upload; they are read at
run time from ../shared/corpora/mistral-tempest-resources (BORA_SHARED_DIR
names the shared folder when it is elsewhere; without it the test exits 77,
skipped). A copy of the plugin plus those files is assembled in the temp
folder, never in the repository.

The suite runs in a child process (`python3 test_tempest_api.py --child
DIR`: tempest reads its configuration at import time from
TEMPEST_CONFIG_DIR), which writes each test's outcome to a JSON file. The
tests that cannot pass here for a reason outside Bora are the list in
docs/IDENTITY.md, section "Mistral's tempest suite" (and docs/API.md):
exactly those must fail, so a new failure fails CI and a listed test that
starts passing fails it too.

Time, measured on the 2-core machine: the run was CPU-bound on Keystone
(tempest's dynamic credentials make ~27 Keystone calls per class, and Bora
validates every token): uwsgi used 219 of the run's 241 CPU-seconds, Bora
1.6, and the run took 152 s alone. With Keystone's in-memory cache in one
process (test/support/keystone_server.py) Keystone uses 29 CPU-seconds
and the run takes 54 s."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import keystone_server  # noqa: E402
from outcome_recorder import recorder_class  # noqa: E402
from bora_server import BoraServer  # noqa: E402
from test_plugins import BUILD  # noqa: E402

PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
PLUGIN = "/usr/lib/python3/dist-packages/mistral_tempest_tests"
SHARED = os.environ.get("BORA_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
RESOURCES = os.path.join(SHARED, "corpora", "mistral-tempest-resources")
IDENTITY_DOC = os.path.join(ROOT, "docs", "IDENTITY.md")
# Bora's mistral-extra: the OpenStack pack built next to bora.
OPENSTACK_PACK = os.environ.get("BORA_OPENSTACK_PACK") or os.path.join(BUILD or "/", "plugins", "openstack.so")
API_DOC = os.path.join(ROOT, "docs", "API.md")
SUITE_TIMEOUT = 480  # seconds for the whole tempest run (it takes ~1/4 of that)
CLASS_PREFIX = "mistral_tempest_tests.tests.api.v2."
# Test processes run side by side (stestr's way: whole classes to each),
# so that the suite's waits (tempest's 1 s polls, a workflow's wait-before)
# and its Keystone round trips overlap (Keystone serves them on threads).
WORKERS = 2


# -- the child: runs the suite with tempest's configuration ---------------
def run_child(workdir, worker, workers):
    """Discovers mistral_tempest_tests.tests.api and runs this worker's
    share of its test classes (every workers-th, as stestr splits by
    class); writes {test id: {"outcome": ..., "seconds": ..., "detail":
    ...}} to workdir/results-<worker>.json."""
    results = {}

    def record(test, outcome, seconds, detail):
        tid = re.sub(r"\[.*\]$", "", test.id())
        results[tid] = {"outcome": outcome, "seconds": seconds, "detail": detail[-3000:]}

    Recorder = recorder_class(record)

    lib = os.path.join(workdir, "lib")
    suite = unittest.defaultTestLoader.discover(
        os.path.join(lib, "mistral_tempest_tests", "tests", "api"), pattern="test_*.py", top_level_dir=lib)

    def classes(s):
        for t in s:
            if isinstance(t, unittest.TestSuite) and any(isinstance(c, unittest.TestSuite) for c in t):
                yield from classes(t)
            elif isinstance(t, unittest.TestSuite):
                yield t
            else:  # a module that failed to import
                yield unittest.TestSuite([t])

    mine = unittest.TestSuite([c for i, c in enumerate(classes(suite)) if i % workers == worker])
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=2, resultclass=Recorder)
    runner.run(mine)
    with open(os.path.join(workdir, "results-%d.json" % worker), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)


# -- the list of tests that fail for a reason outside Bora ----------------
def documented_failures(path=IDENTITY_DOC):
    """{test name: reason} from the table under the tempest section's
    "Tests that do not pass here" heading: rows `| Class.test_name | reason |`."""
    out = {}
    in_section = False
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                in_section = "do not pass here" in line
                continue
            m = re.match(r"\|\s*`?([A-Za-z0-9_]+\.test_[A-Za-z0-9_]+)`?\s*\|(.*)\|\s*$", line)
            if in_section and m:
                out[m.group(1)] = m.group(2).strip()
    return out


def internet_reachable(host="wiki.openstack.org", port=80, timeout=3):
    """Whether std.http's targets in the suite (public web sites) can be
    reached from here: the tests that call them pass only then."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def short_name(test_id):
    """ClassName.test_name of a tempest test id (or of a setUpClass error)."""
    m = re.match(r"setUpClass \((.*)\)", test_id)
    if m:
        return m.group(1).split(".")[-1] + ".setUpClass"
    return ".".join(test_id.split(".")[-2:])


def setUpModule():
    missing = keystone_server.missing()
    for path, pkg in ((PLUGIN, "mistral-tempest-plugin"), ("/usr/lib/python3/dist-packages/tempest", "python3-tempest")):
        if not os.path.isdir(path):
            missing.append(pkg)
    if missing:
        print("skipped: the tempest suite needs the Debian packages %s" % ", ".join(missing))
        sys.exit(77)
    if not os.path.isdir(RESOURCES):
        print("skipped: no tempest resource files at %s (set BORA_SHARED_DIR)" % RESOURCES, file=sys.stderr)
        sys.exit(77)


class TempestApiSuiteTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.started = time.time()
        cls.tmp = tempfile.mkdtemp(prefix="bora-tempest-")
        ks = cls.ks = keystone_server.KeystoneServer()
        cls.bora = None
        try:
            ks.start()
            ks.add_project("service")
            ks.add_user("bora", "service", "admin", "service")
            # [api] allow_action_execution_deletion as Mistral's devstack
            # plugin (the gate's deployment) sets it; the OpenStack pack
            # loaded, as the gate installs mistral-extra (its preinstalled
            # public workflows are what test_get_list_workflows looks for).
            extra = "[api]\nallow_action_execution_deletion = True\n"
            if os.path.exists(OPENSTACK_PACK):
                packs = os.path.join(cls.tmp, "packs")
                os.mkdir(packs)
                os.symlink(os.path.abspath(OPENSTACK_PACK), os.path.join(packs, "openstack.so"))
                extra += "[executor]\nplugin_dirs = %s\n" % packs
            conf = ks.write_mistral_conf(os.path.join(cls.tmp, "mistral.conf"), extra=extra)
            cls.bora = BoraServer(["--config", conf]).start()
            ks.register_service("mistral", "workflowv2", cls.bora.url)
            cls.keystone_ready = time.time()
            cls.results = cls.run_suite()
        except Exception:
            print(ks.logs()[-4000:], file=sys.stderr)
            cls.tearDownClass()
            raise
        cls.finished = time.time()

    @classmethod
    def tearDownClass(cls):
        if cls.bora:
            cls.bora.cleanup()
            cls.bora = None
        cls.ks.cleanup()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        print("\ntempest suite: %.1f s in all (Keystone and Bora started in %.1f s)"
              % (time.time() - cls.started, getattr(cls, "keystone_ready", cls.started) - cls.started),
              file=sys.stderr)

    @classmethod
    def write_tempest_conf(cls, etc):
        """tempest.conf: identity v3 at the private Keystone, Mistral found
        in the catalog as workflowv2, no other service. Tempest's dynamic
        credentials, as Mistral's gate runs it: each test class gets its own
        admin, primary and alt users and projects, made and deleted with the
        bootstrap admin (the suite relies on that isolation: its classes
        leave workflows and executions behind in their projects)."""
        ks = cls.ks
        os.makedirs(etc)
        with open(os.path.join(etc, "tempest.conf"), "w") as f:
            f.write("[DEFAULT]\nlog_dir = %(tmp)s\nlog_file = tempest.log\n"
                    "[oslo_concurrency]\nlock_path = %(tmp)s/lock\n"
                    "[auth]\nuse_dynamic_credentials = True\ncreate_isolated_networks = False\n"
                    "admin_username = admin\nadmin_password = %(pw)s\nadmin_project_name = admin\n"
                    "admin_domain_name = Default\ndefault_credentials_domain_name = Default\n"
                    "[identity]\nauth_version = v3\nuri_v3 = %(ks)s/v3\nregion = RegionOne\n"
                    "v3_endpoint_type = public\nadmin_role = admin\n"
                    "[identity-feature-enabled]\napi_v2 = False\napi_v3 = True\n"
                    "[service_available]\nmistral = True\nnova = False\nneutron = False\nglance = False\n"
                    "cinder = False\nswift = False\n"
                    "[mistral_api]\nservice_api_supported = True\n"
                    % {"tmp": cls.tmp, "pw": keystone_server.ADMIN_PASSWORD, "ks": ks.url})

    @classmethod
    def run_suite(cls):
        work = os.path.join(cls.tmp, "tempest")
        lib = os.path.join(work, "lib")
        # The plugin, and its resources where its get_resource() looks
        # (mistral_tempest_tests/tests/resources/), in the temp folder.
        pkg = os.path.join(lib, "mistral_tempest_tests")
        shutil.copytree(PLUGIN, pkg, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(RESOURCES, os.path.join(pkg, "tests", "resources"))
        etc = os.path.join(work, "etc")
        cls.write_tempest_conf(etc)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env.update({"PYTHONPATH": lib, "TEMPEST_CONFIG_DIR": etc, "TEMPEST_CONFIG": "tempest.conf",
                    "OSLO_LOCK_PATH": os.path.join(cls.tmp, "lock"), "PYTHONDONTWRITEBYTECODE": "1"})
        procs = []
        deadline = time.time() + SUITE_TIMEOUT
        for worker in range(WORKERS):
            log = open(os.path.join(cls.tmp, "tempest-run-%d.log" % worker), "wb")
            procs.append((subprocess.Popen(
                [PYTHON, os.path.abspath(__file__), "--child", work, str(worker), str(WORKERS)], cwd=work, env=env,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL), log))
        try:
            for p, log in procs:
                p.wait(timeout=max(1, deadline - time.time()))
        finally:
            for p, log in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait(timeout=10)
                log.close()
        cls.run_log = ""
        for worker in range(WORKERS):
            with open(os.path.join(cls.tmp, "tempest-run-%d.log" % worker), errors="replace") as f:
                cls.run_log += f.read()
        results = {}
        for worker, (p, _) in enumerate(procs):
            path = os.path.join(work, "results-%d.json" % worker)
            if not os.path.exists(path):
                raise AssertionError("tempest worker %d wrote no results (exit %s):\n%s"
                                     % (worker, p.returncode, cls.run_log[-6000:]))
            with open(path) as f:
                results.update(json.load(f))
        keep = os.environ.get("BORA_TEMPEST_RESULTS")
        if keep:  # for a developer: each test's outcome, time and details, and tempest's log
            os.makedirs(keep, exist_ok=True)
            with open(os.path.join(keep, "results.json"), "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
            shutil.copy(os.path.join(cls.tmp, "tempest.log"), keep)
        return results

    def test_suite_ran(self):
        # All nine modules of the api suite (about a hundred tests) ran.
        classes = {tid.rsplit(".", 1)[0] for tid in self.results if not tid.startswith("setUpClass")}
        self.assertGreaterEqual(len(self.results), 95, self.run_log[-3000:])
        for module in ("test_action_executions", "test_actions", "test_cron_triggers", "test_event_triggers",
                       "test_executions", "test_services", "test_tasks", "test_workbooks", "test_workflows"):
            self.assertTrue(any(c.startswith(CLASS_PREFIX + module + ".") for c in classes), module)

    def test_exactly_the_documented_tests_fail(self):
        documented = documented_failures()
        online = internet_reachable()
        expected = {name for name, reason in documented.items()
                    if not (online and "internet" in reason.lower())}
        failed = {}
        for tid, r in self.results.items():
            if r["outcome"] in ("fail", "error"):
                failed[short_name(tid)] = r["detail"]
        new = {name: failed[name] for name in sorted(set(failed) - expected)}
        self.assertEqual({}, new, "tempest tests failing that docs/IDENTITY.md does not list:\n" +
                         "\n".join("%s:\n%s" % kv for kv in new.items()))
        passing = sorted(expected - set(failed))
        self.assertEqual([], passing, "listed in docs/IDENTITY.md as failing, but they pass: "
                         "take them off the list")

    def test_the_list_is_in_both_documents(self):
        with open(API_DOC) as f:
            api = f.read()
        documented = documented_failures()
        for name in documented:
            self.assertIn(name, api, "docs/API.md does not list %s" % name)

    def test_skips_are_the_suites_own(self):
        # Only what the suite itself skips (its @testtools.skip'd tests):
        # no test is skipped for a service or feature Bora lacks.
        skipped = {short_name(t): r["detail"] for t, r in self.results.items() if r["outcome"] == "skip"}
        for name, reason in skipped.items():
            self.assertNotIn("is required", reason, name)
            self.assertNotIn("not supported", reason, name)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        run_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        unittest.main()
