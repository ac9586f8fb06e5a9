"""A private Keystone for the tests: Debian's python3-keystone served by
uwsgi on a free loopback port, with its own keystone.conf, SQLite database
(WAL) and fernet keys in a temporary folder; stopped by pid.

    ks = KeystoneServer().start()       # db_sync, fernet/credential setup, bootstrap
    ks.add_project("alpha"); ks.add_user("alice", "alpha", "member")
    token = ks.token("alice", "alpha")  # a project-scoped token
    ks.stop(); ks.start_again()         # Keystone gone, then back (same data)
    ks.cleanup()

Only the standard library; every wait is bounded. available() says whether
the Debian packages are installed (tests skip with a message when not)."""

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

KEYSTONE_MANAGE = "/usr/bin/keystone-manage"
KEYSTONE_WSGI = "/usr/bin/keystone-wsgi-public"
UWSGI = "/usr/bin/uwsgi"
UWSGI_PYTHON_PLUGIN = "/usr/lib/uwsgi/plugins/python3_plugin.so"
START_TIMEOUT = 180  # seconds: the first request imports all of Keystone (slow on a loaded machine)
ADMIN_PASSWORD = "admin-secret"


def missing():
    """What is not installed (empty when Keystone can run)."""
    need = {KEYSTONE_MANAGE: "python3-keystone", KEYSTONE_WSGI: "python3-keystone", UWSGI: "uwsgi",
            UWSGI_PYTHON_PLUGIN: "uwsgi-plugin-python3"}
    return sorted({pkg for path, pkg in need.items() if not os.path.exists(path)})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KeystoneError(RuntimeError):
    pass


class KeystoneServer:
    def __init__(self, token_expiration=3600, threads=4):
        self.home = {"admin": "admin"}  # user -> the project token() scopes to
        self.tmp = tempfile.mkdtemp(prefix="bora-keystone-")
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.conf = os.path.join(self.tmp, "keystone.conf")
        self.log_path = os.path.join(self.tmp, "keystone.log")
        self.proc = None
        self.log = None
        self.token_expiration = token_expiration
        # One uwsgi process, with threads for clients that call at once
        # (tempest's workers, a server validating tokens meanwhile): its
        # in-memory cache is then the only one, so a write (a revocation, a
        # deleted user, a grant) invalidates what it must at once, which
        # separate processes' caches would not.
        self.threads = threads
        self._admin_token = None
        self.ids = {}  # "project:alpha", "user:alice", "role:member" -> id

    # -- lifecycle -----------------------------------------------------------
    def start(self):
        db = os.path.join(self.tmp, "keystone.db")
        with open(self.conf, "w") as f:
            f.write(
                "[DEFAULT]\nlog_file = %(log)s\n"
                "[database]\nconnection = sqlite:///%(db)s\n"
                "[token]\nprovider = fernet\nexpiration = %(exp)d\n"
                # Keystone's cache in the process's memory (oslo.cache: "test
                # environments with a single instance of the server"): without
                # it each call re-reads roles, projects and the catalog through
                # SQLAlchemy. Measured with Mistral's tempest suite on the
                # 2-core machine: Keystone's CPU 219 s -> 29 s, the run 152 s -> 54 s.
                "[cache]\nenabled = true\nbackend = dogpile.cache.memory\n"
                "[fernet_tokens]\nkey_repository = %(tmp)s/fernet-keys\n"
                "[fernet_receipts]\nkey_repository = %(tmp)s/fernet-keys\n"
                "[credential]\nkey_repository = %(tmp)s/credential-keys\n"
                # bcrypt at its cheapest: test users, not real passwords.
                "[identity]\npassword_hash_rounds = 4\n"
                % {"log": os.path.join(self.tmp, "keystone-app.log"), "db": db, "exp": self.token_expiration,
                   "tmp": self.tmp})
        manage = [KEYSTONE_MANAGE, "--config-file", self.conf]
        self._run(manage + ["db_sync"])
        # SQLite's default rollback journal makes readers and the writer
        # lock each other out ("database is locked" under uwsgi's threads);
        # WAL is a property of the file, set once here.
        with sqlite3.connect(db) as c:
            c.execute("PRAGMA journal_mode=WAL")
        for what in ("fernet_setup", "credential_setup"):
            self._run(manage + [what, "--keystone-user", "root", "--keystone-group", "root"])
        self._run(manage + ["bootstrap", "--bootstrap-password", ADMIN_PASSWORD,
                            "--bootstrap-admin-url", self.url + "/v3",
                            "--bootstrap-public-url", self.url + "/v3",
                            "--bootstrap-internal-url", self.url + "/v3",
                            "--bootstrap-region-id", "RegionOne"])
        self._serve()
        return self

    def _run(self, cmd):
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise KeystoneError("%s failed:\n%s%s" % (" ".join(cmd[2:3] + cmd[3:4]), p.stdout, p.stderr))

    def _serve(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [UWSGI, "--plugin", "python3", "--http-socket", "127.0.0.1:%d" % self.port,
             "--wsgi-file", KEYSTONE_WSGI, "--master", "--processes", "1", "--threads", str(self.threads),
             "--die-on-term", "--lazy-apps", "--need-app", "--buffer-size", "65535",
             # uwsgi's http-socket closes connections after each answer;
             # saying so keeps clients (keystoneauth) from reusing one and
             # meeting a reset (seen once with `openstack workflow list`).
             "--add-header", "Connection: close"],
            stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL,
            env=dict(os.environ, OS_KEYSTONE_CONFIG_FILES=self.conf))
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/v3", timeout=5) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise KeystoneError("keystone did not start on %s:\n%s" % (self.url, self.logs()))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None
        if self.log:
            self.log.close()
            self.log = None

    def start_again(self, token_expiration=None):
        """After stop(): the same database and keys, served again; with
        token_expiration, the tokens issued from now on live that many
        seconds (tokens issued before keep their expiry)."""
        if token_expiration is not None:
            with open(self.conf) as f:
                text = f.read()
            text = re.sub(r"(?m)^expiration = \d+$", "expiration = %d" % token_expiration, text)
            with open(self.conf, "w") as f:
                f.write(text)
            self.token_expiration = token_expiration
        self._serve()
        return self

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def logs(self):
        out = ""
        for name in ("keystone.log", "keystone-app.log"):
            try:
                with open(os.path.join(self.tmp, name), "rb") as f:
                    out += f.read().decode(errors="replace")[-6000:]
            except OSError:
                pass
        return out

    # -- the API -------------------------------------------------------------
    def call(self, method, path, body=None, token=None, headers=None):
        """(status, JSON body or None, headers)."""
        hdrs = dict(headers or {})
        if token:
            hdrs["X-Auth-Token"] = token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                return r.status, json.loads(raw) if raw else None, r.headers
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw), e.headers
            except ValueError:
                return e.code, raw.decode(errors="replace"), e.headers

    def token(self, user, project=None, password=None, trust_id=None, unscoped=False):
        """A token for user (password auth), scoped to project (default: the user's)."""
        auth = {"identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password or self.password_of(user)}}}}
        if trust_id:
            auth["scope"] = {"OS-TRUST:trust": {"id": trust_id}}
        elif not unscoped:
            auth["scope"] = {"project": {"name": project or self.home[user], "domain": {"id": "default"}}}
        status, body, headers = self.call("POST", "/v3/auth/tokens", {"auth": auth})
        if status != 201:
            raise KeystoneError("token for %s: %s %r" % (user, status, body))
        return headers["X-Subject-Token"]

    def admin_token(self):
        if not self._admin_token:
            self._admin_token = self.token("admin", "admin", password=ADMIN_PASSWORD)
        return self._admin_token

    def password_of(self, user):
        return ADMIN_PASSWORD if user == "admin" else user + "-pw"

    def write_mistral_conf(self, path, default_extra="", authtoken_extra="", extra=""):
        """A mistral.conf that points Bora at this Keystone as the user `bora`
        (which the caller adds): auth on, keystonemiddleware's option names;
        `default_extra` and `authtoken_extra` lines go into [DEFAULT] and
        [keystone_authtoken], `extra` is appended (other sections)."""
        with open(path, "w") as f:
            f.write("[DEFAULT]\nauth_type = keystone\n" + default_extra + "[pecan]\nauth_enable = True\n"
                    "[keystone_authtoken]\nwww_authenticate_uri = %(url)s/v3\nauth_url = %(url)s\n"
                    "auth_type = password\nusername = bora\npassword = %(pw)s\nproject_name = service\n"
                    "user_domain_name = Default\nproject_domain_name = Default\nhttp_connect_timeout = 30\n"
                    % {"url": self.url, "pw": self.password_of("bora")} + authtoken_extra + extra)
        return path

    def _admin(self, method, path, body=None, expect=(200, 201, 204)):
        status, out, _ = self.call(method, path, body, token=self.admin_token())
        if status not in expect:
            raise KeystoneError("%s %s: %s %r" % (method, path, status, out))
        return out

    def role_id(self, name):
        key = "role:" + name
        if key not in self.ids:
            roles = self._admin("GET", "/v3/roles?name=" + name)["roles"]
            self.ids[key] = roles[0]["id"] if roles else self._admin("POST", "/v3/roles", {"role": {"name": name}})["role"]["id"]
        return self.ids[key]

    def add_project(self, name):
        self.admin_token()
        p = self._admin("POST", "/v3/projects", {"project": {"name": name, "domain_id": "default"}})["project"]
        self.ids["project:" + name] = p["id"]
        return p["id"]

    def project_id(self, name):
        if name == "admin" and "project:admin" not in self.ids:
            self.ids["project:admin"] = self._admin("GET", "/v3/projects?name=admin")["projects"][0]["id"]
        return self.ids["project:" + name]

    def add_user(self, name, project, *roles):
        """A user with roles on project (their home project for token())."""
        self.admin_token()
        u = self._admin("POST", "/v3/users", {"user": {
            "name": name, "domain_id": "default", "password": self.password_of(name),
            "default_project_id": self.project_id(project)}})["user"]
        self.ids["user:" + name] = u["id"]
        self.home[name] = project
        for role in roles:
            self.grant(name, project, role)
        return u["id"]

    def grant(self, user, project, role):
        self._admin("PUT", "/v3/projects/%s/users/%s/roles/%s" % (
            self.project_id(project), self.ids["user:" + user], self.role_id(role)))

    def revoke_token(self, token):
        status, out, _ = self.call("DELETE", "/v3/auth/tokens", token=self.admin_token(),
                                   headers={"X-Subject-Token": token})
        if status != 204:
            raise KeystoneError("revoke: %s %r" % (status, out))

    def register_service(self, name, service_type, url, region="RegionOne"):
        """A catalog entry: service + public/internal/admin endpoints at url."""
        s = self._admin("POST", "/v3/services", {"service": {"name": name, "type": service_type}})["service"]
        for iface in ("public", "internal", "admin"):
            self._admin("POST", "/v3/endpoints", {"endpoint": {
                "service_id": s["id"], "interface": iface, "url": url, "region_id": region}})
        return s["id"]

    def trusts_of(self, user):
        status, out, _ = self.call("GET", "/v3/OS-TRUST/trusts?trustor_user_id=" + self.ids["user:" + user],
                                   token=self.admin_token())
        return out.get("trusts", []) if status == 200 else []
