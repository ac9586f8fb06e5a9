"""Starts the built `bora` binary on a free loopback port for a test, and
talks HTTP to it. Only loopback addresses; every wait is bounded."""

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import unittest
import urllib.error
import urllib.request

BORA = os.environ.get("BORA_BINARY", "bora")
# The real python-mistralclient (Debian's python3-mistralclient).
MISTRAL = shutil.which("mistral", path="/usr/bin:" + os.environ.get("PATH", ""))
START_TIMEOUT = 30  # seconds

# A policy file for the suites that act as plain projects where Mistral's
# defaults want an admin (publicizing, all_projects, code sources and dynamic
# actions): Bora let every project do them before it enforced Mistral's
# policy, and those suites test visibility and input checks, not the policy
# (test_policy.py tests Mistral's defaults). The base rule every admin-only
# default refers to is opened; everything else stays Mistral's.
OPEN_ADMIN_RULES = {"admin_only": "@"}


class BoraServer:
    def __init__(self, extra_args=(), db_url=None, env=None, policy=None):
        self.tmp = tempfile.mkdtemp(prefix="bora-it-")
        # sqlite:/// + an absolute path = four slashes, as in Mistral.
        # BORA_TEST_MYSQL_URL (mysql://USER:PASS@HOST:PORT/, set by
        # test/support/mariadb_server.py): a fresh database on that server
        # instead, which bora creates (the integration suite on MariaDB).
        mysql = os.environ.get("BORA_TEST_MYSQL_URL")
        if db_url is None and mysql:
            db_url = mysql + "bora_it_" + uuid.uuid4().hex[:16]
        self.db_url = db_url or "sqlite:///" + os.path.join(self.tmp, "bora.db")
        self.extra_args = list(extra_args)
        self.env = dict(os.environ, **(env or {}))
        if policy is not None:  # rule name -> rule, as [oslo_policy] policy_file (JSON is YAML)
            path = os.path.join(self.tmp, "policy.yaml")
            with open(path, "w") as f:
                json.dump(policy, f)
            self.env["BORA_OSLO_POLICY_POLICY_FILE"] = path
        self.proc = None
        self.url = None
        self.log_path = os.path.join(self.tmp, "server.log")

    def start(self):
        if getattr(self, "log", None):
            self.log.close()
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BORA, "server", "--host", "127.0.0.1", "--port", "0", "--db", self.db_url]
            + self.extra_args,
            stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        deadline = time.time() + START_TIMEOUT
        line = b""
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if b"listening on" in line:
                self.url = line.decode().strip().split("listening on ")[1]
                return self
        self.stop()
        raise RuntimeError("bora server did not start: %r\n%s" % (line, self.logs()))

    def logs(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def kill(self):
        """SIGKILL: what a crash looks like."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if getattr(self, "log", None):
            self.log.close()
            self.log = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- HTTP ---------------------------------------------------------------
    def request(self, method, path, body=None, content_type=None, headers=None, timeout=30):
        """Returns (status, parsed JSON body or text, headers); a reply
        slower than `timeout` seconds raises."""
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode()
                hdrs.setdefault("Content-Type", content_type or "application/json")
            else:
                data = body.encode() if isinstance(body, str) else body
                hdrs.setdefault("Content-Type", content_type or "text/plain")
        base = self.url[: -len("/v2")] if self.url.endswith("/v2") else self.url
        req = urllib.request.Request(base + path, data=data, method=method, headers=hdrs)
        try:
            with _OPENER.open(req, timeout=timeout) as resp:
                return resp.status, _decode(resp.read()), dict(resp.headers)
        except urllib.error.HTTPError as e:
            return e.code, _decode(e.read()), dict(e.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to check, not to follow (GET /v2 is 302)."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _decode(raw):
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


class BoraTestCase(unittest.TestCase):
    """One server for the whole class (fast), a fresh database per class."""

    server_args = ()
    policy = None  # a policy file's rules (OPEN_ADMIN_RULES), or Mistral's defaults
    server_env = None  # extra environment of the server process
    config_text = None  # a bora.conf the server starts with (--config), or none
    workflows = None  # workflow definitions (YAML text) created once the server is up

    @classmethod
    def setUpClass(cls):
        cls.server = BoraServer(cls.server_args, policy=cls.policy, env=cls.server_env)
        if cls.config_text is not None:
            path = os.path.join(cls.server.tmp, "bora.conf")
            with open(path, "w") as f:
                f.write(cls.config_text)
            cls.server.extra_args += ["--config", path]
        cls.server.start()
        if cls.workflows is not None:
            status, body, _ = cls.server.request("POST", "/v2/workflows", cls.workflows, content_type="text/plain")
            if status != 201:
                cls.server.cleanup()
                raise RuntimeError("the test's workflows were refused: %r" % (body,))

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def req(self, method, path, body=None, **kw):
        return self.server.request(method, path, body, **kw)

    def assertStatus(self, expected, result, msg=""):
        status, body, _ = result
        self.assertEqual(expected, status, "%s: body=%r" % (msg, body))
        return body

    def wait_done(self, ex_id, timeout=20):
        """The execution once it is no longer RUNNING/IDLE (bounded wait)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            ex = self.assertStatus(200, self.req("GET", "/v2/executions/" + ex_id))
            if ex["state"] not in ("RUNNING", "IDLE"):
                return ex
            time.sleep(0.05)
        self.fail("execution %s did not finish" % ex_id)

    def follow_pages(self, url, collection, most=10):
        """Every item of a list, page by page through the `next` links
        (at most `most` pages)."""
        items = []
        for _ in range(most):
            page = self.assertStatus(200, self.req("GET", url))
            items += page[collection]
            if "next" not in page:
                return items
            url = page["next"][page["next"].index("/v2/"):]
        self.fail("more than %d pages from %s" % (most, url))

    def assertFault(self, status, result, contains=None):
        body = self.assertStatus(status, result)
        self.assertIsInstance(body, dict, "error body must be JSON: %r" % (body,))
        self.assertIn("faultstring", body)
        if contains:
            self.assertIn(contains, body["faultstring"])
        return body


class MistralClientWorker:
    """The `mistral` command, run in one warm python-mistralclient process
    (mistral_client_worker.py) instead of a new process per command: the
    same client code, without its 0.6 s of imports each time."""

    _shared = None

    @classmethod
    def shared(cls):
        if cls._shared is None or cls._shared.proc.poll() is not None:
            cls._shared = cls()
            atexit.register(cls._shared.stop)
        return cls._shared

    def __init__(self):
        # The interpreter /usr/bin/mistral names (Debian's, where the
        # client is installed), whichever python runs the tests.
        with open(MISTRAL) as f:
            interpreter = f.readline()[2:].strip() or sys.executable
        worker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mistral_client_worker.py")
        self.proc = subprocess.Popen([interpreter, worker], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)

    def run(self, argv, env, timeout, cwd=None):
        request = {"argv": argv, "env": env}
        if cwd:
            request["cwd"] = cwd
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            raise subprocess.TimeoutExpired(["mistral"] + argv, timeout)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the mistral client worker died running: mistral " + " ".join(argv))
        done = json.loads(line)
        return subprocess.CompletedProcess(["mistral"] + argv, done["rc"], done["stdout"], done["stderr"])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


class MistralClientMixin:
    """Runs the `mistral` CLI against self.server; files it reads are
    written to the server's own temporary folder (removed with it)."""

    def mistral(self, *args, ok=True, project=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        argv = ["--os-mistral-url", self.server.url]
        if project:
            argv += ["--os-project-id", project]  # sent as X-Project-Id
        p = MistralClientWorker.shared().run(argv + list(args), env, timeout=60)
        if ok:
            self.assertEqual(0, p.returncode, "mistral %s failed:\n%s%s" % (" ".join(args), p.stdout, p.stderr))
        return p

    def mistral_json(self, *args, **kw):
        return json.loads(self.mistral(*args, "-f", "json", **kw).stdout)

    def write(self, name, text):
        path = os.path.join(self.server.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path
