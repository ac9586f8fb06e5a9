"""Bora behind a real Keystone (Debian's python3-keystone under uwsgi, on a
loopback port, its own SQLite database; test/support/keystone_server.py):
tokens validated with Bora's service credentials, project isolation with
real tokens, forged headers ignored, expired/revoked tokens, Keystone
stopped mid-test (503, then recovery), a cron trigger firing through its
trust after the user's token was revoked and deleting its trust with it,
and the real `mistral` and `openstack workflow` commands finding Bora in
Keystone's catalog with OS_* variables.

Skipped (exit 77) only when the Debian packages are missing. ~60 s, most of
it Keystone's own start."""

import json
import os
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import keystone_server  # noqa: E402
from bora_server import BoraServer  # noqa: E402

MISSING = keystone_server.missing()
TOKEN_CACHE_TIME = 2  # seconds: how long a revoked token may still work
# Seconds Keystone's tokens live in the last two tests (an expired user
# token with a service token): short, since the test waits for it to
# expire; long enough for a service token to be used on a loaded machine
# (6 s was not: beside Mistral's tempest suite and the workflow cases over
# HTTP on 2 cores, Keystone took longer than that to issue a service token
# and validate it, which then had expired).
SHORT_TOKEN_LIFE = 20

WORKFLOW = """version: '2.0'
hello:
  tasks:
    t:
      action: std.echo output=hi
"""

# A dynamic action that returns the security context it was given
# (mistral_lib's ActionContext.security), so the test sees what actions see.
CODE_SOURCE = """
function WhoAmI(input) {}
WhoAmI.prototype.run = function (context) { return context.security; };
"""

WHOAMI_WORKFLOW = """version: '2.0'
whoami:
  tasks:
    t:
      action: who_am_i
      publish:
        security: <% task().result %>
  output:
    security: <% $.security %>
"""

# The same in Python, as Mistral's users write it: with authentication on,
# Python code sources are taken by default.
PYTHON_CODE_SOURCE = """from mistral_lib import actions


class WhoAmI(actions.Action):
    def run(self, context):
        return {"project_id": context.security.project_id, "user_id": context.security.user_id}
"""


def setUpModule():
    if MISSING:
        print("skipped: Keystone needs the Debian packages %s (scripts/install-deps.sh)" % ", ".join(MISSING))
        sys.exit(77)


class KeystoneAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.started = time.time()
        ks = cls.ks = keystone_server.KeystoneServer()
        try:
            ks.start()
            ks.add_project("service")
            ks.add_user("bora", "service", "admin", "service")
            ks.add_project("alpha")
            ks.add_project("beta")
            ks.add_user("alice", "alpha", "member")
            ks.add_user("bob", "beta", "member")
            ks.add_user("rita", "alpha", "reader")
            ks.add_user("root", "alpha", "admin")
            # transport_url, memcached_servers and the notifications' driver
            # as a real mistral.conf has them.
            conf = ks.write_mistral_conf(
                os.path.join(ks.tmp, "mistral.conf"),
                authtoken_extra="token_cache_time = %d\nmemcached_servers = localhost:11211\n" % TOKEN_CACHE_TIME,
                default_extra="transport_url = rabbit://guest:guest@localhost:5672/\n",
                extra="[oslo_messaging_notifications]\ndriver = noop\n")
            cls.bora = BoraServer(["--config", conf]).start()
            ks.register_service("mistral", "workflowv2", cls.bora.url)
        except Exception:
            print(ks.logs())
            ks.cleanup()
            raise
        cls.create_cron_trigger()
        cls.alice = ks.token("alice")
        cls.bob = ks.token("bob")
        cls.root = ks.token("root")

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "bora", None):
            cls.bora.cleanup()
        cls.ks.cleanup()
        print("\nKeystone test class took %.1f s" % (time.time() - cls.started), file=sys.stderr)

    def call(self, method, path, token=None, body=None, headers=None, **kw):
        h = dict(headers or {})
        if token:
            h["X-Auth-Token"] = token
        return self.bora.request(method, path, body, headers=h, **kw)

    def ok(self, expected, result):
        status, body, _ = result
        self.assertEqual(expected, status, body)
        return body

    # -- part 1 / 2: tokens ---------------------------------------------------
    def test_public_paths_need_no_token(self):
        for path in ("/", "/v2/", "/healthz"):
            self.assertEqual(200, self.call("GET", path)[0], path)

    def test_missing_and_bad_tokens_are_401_with_keystones_challenge(self):
        for token in (None, "not-a-token", "gAAAAABforged"):
            status, body, headers = self.call("GET", "/v2/workflows", token)
            self.assertEqual(401, status, body)
            self.assertEqual('Keystone uri="%s/v3"' % self.ks.url, headers.get("WWW-Authenticate"))
            self.assertIn("faultstring", body)
            self.assertIn("Failed to validate access token", body["faultstring"])
            self.assertNotIn("gAAAAABforged", body["faultstring"])  # the token is never echoed

    def test_projects_are_isolated_and_forged_headers_ignored(self):
        created = self.ok(201, self.call("POST", "/v2/workflows", self.alice, WORKFLOW.replace("hello", "iso_wf")))
        wf = created["workflows"][0]
        self.assertEqual(self.ks.project_id("alpha"), wf["project_id"])
        # bob (beta) does not see it, even claiming alpha's project and admin.
        forged = {"X-Project-Id": self.ks.project_id("alpha"), "X-Roles": "admin"}
        names = [w["name"] for w in self.ok(200, self.call("GET", "/v2/workflows", self.bob, headers=forged))["workflows"]]
        self.assertNotIn("iso_wf", names)
        self.assertEqual(404, self.call("GET", "/v2/workflows/" + wf["id"], self.bob, headers=forged)[0])
        # Without a token the forged headers get nothing at all.
        self.assertEqual(401, self.call("GET", "/v2/workflows", None, headers=forged)[0])
        # bob may not list all projects' executions (not admin: Mistral's
        # executions:list:all_projects is admin_only, a 403) ...
        ex = self.ok(201, self.call("POST", "/v2/executions", self.alice, {"workflow_name": "iso_wf"}))
        denied = self.call("GET", "/v2/executions?all_projects=true", self.bob)
        self.assertEqual(403, denied[0], denied)
        self.assertNotIn(ex["id"], json.dumps(denied[1]))
        # ... an admin of Keystone may.
        listed = self.ok(200, self.call("GET", "/v2/executions?all_projects=true", self.root))["executions"]
        self.assertIn(ex["id"], [e["id"] for e in listed])

    def test_revoked_token_stops_within_token_cache_time(self):
        token = self.ks.token("alice")
        self.ok(200, self.call("GET", "/v2/workflows", token))
        self.ks.revoke_token(token)
        deadline = time.time() + TOKEN_CACHE_TIME + 5
        while time.time() < deadline and self.call("GET", "/v2/workflows", token)[0] == 200:
            time.sleep(0.2)
        self.assertEqual(401, self.call("GET", "/v2/workflows", token)[0])
        self.assertLess(time.time() - (deadline - TOKEN_CACHE_TIME - 5), TOKEN_CACHE_TIME + 3)

    def test_expired_token_is_401(self):
        # A Keystone whose tokens live 2 s would be a second Keystone; an
        # expired token is what Keystone answers 404 for, as for a revoked
        # one: a token of a user deleted since is refused the same way.
        self.ks.add_user("temp", "alpha", "member")
        token = self.ks.token("temp")
        self.ok(200, self.call("GET", "/v2/workflows", token))
        self.ks._admin("DELETE", "/v3/users/" + self.ks.ids["user:temp"])
        deadline = time.time() + TOKEN_CACHE_TIME + 5
        while time.time() < deadline and self.call("GET", "/v2/workflows", token)[0] == 200:
            time.sleep(0.2)
        self.assertEqual(401, self.call("GET", "/v2/workflows", token)[0])

    def test_zz_keystone_stopped_is_503_then_recovers(self):
        token = self.ks.token("bob")  # not cached yet
        self.ks.stop()
        try:
            status, body, headers = self.call("GET", "/v2/workflows", token)
            self.assertEqual(503, status, body)
            self.assertIn("Keystone", body["faultstring"])
        finally:
            # Back with short-lived tokens, which the service token test
            # after this one needs (one restart for both; tokens issued
            # before, like this one, keep their hour).
            self.ks.start_again(token_expiration=SHORT_TOKEN_LIFE)
        self.ok(200, self.call("GET", "/v2/workflows", token))

    # -- keystonemiddleware's service tokens (X-Service-Token) ----------------
    def test_zzz_service_tokens_are_checked_and_let_an_expired_user_token_through(self):
        if self.ks.token_expiration != SHORT_TOKEN_LIFE:  # run on its own
            self.ks.stop()
            self.ks.start_again(token_expiration=SHORT_TOKEN_LIFE)
        user = self.ks.token("alice")
        issued = time.time()
        # A service's token (bora holds the `service` role, Keystone's
        # service_token_roles default) with a valid user token: the caller
        # is still the user.
        wf = self.ok(201, self.call("POST", "/v2/workflows", user, WORKFLOW.replace("hello", "svc_wf"),
                                    headers={"X-Service-Token": self.ks.token("bora", "service")}))
        self.assertEqual(self.ks.project_id("alpha"), wf["workflows"][0]["project_id"])
        # A bad service token refuses the request however good the user token.
        status, body, headers = self.call("GET", "/v2/workflows", user, headers={"X-Service-Token": "gAAAAABforged"})
        self.assertEqual(401, status, body)
        self.assertIn("service token", body["faultstring"])
        self.assertIn("Keystone uri=", headers.get("WWW-Authenticate", ""))
        # A user's token as a service token: no service role, refused
        # (service_token_roles_required, keystonemiddleware's default).
        status, body, _ = self.call("GET", "/v2/workflows", user, headers={"X-Service-Token": self.ks.token("bob")})
        self.assertEqual(401, status, body)
        self.assertIn("service_token_roles", body["faultstring"])
        # The user token expires: alone it is refused; with a service token
        # holding the service role it is still accepted (allow_expired), as
        # for a long operation another service completes for the user.
        time.sleep(max(0.0, issued + SHORT_TOKEN_LIFE + 1 - time.time()))
        status, body, _ = self.call("GET", "/v2/workflows", user)
        self.assertEqual(401, status, body)
        names = [w["name"] for w in self.ok(200, self.call(
            "GET", "/v2/workflows", user, headers={"X-Service-Token": self.ks.token("bora", "service")}))["workflows"]]
        self.assertIn("svc_wf", names)
        # A revoked token gets no such leeway.
        revoked = self.ks.token("alice")
        self.ks.revoke_token(revoked)
        status, body, _ = self.call("GET", "/v2/workflows", revoked,
                                    headers={"X-Service-Token": self.ks.token("bora", "service")})
        self.assertEqual(401, status, body)

    # -- part 3: security context and trusts ---------------------------------
    def test_actions_see_the_starters_security_context(self):
        # alpha's admin adds the code (an admin operation by Mistral's default policy).
        source = self.ok(201, self.call("POST", "/v2/code_sources?name=who", self.root, CODE_SOURCE,
                                        content_type="text/plain"))
        self.ok(201, self.call("POST", "/v2/dynamic_actions", self.root,
                               {"name": "who_am_i", "class_name": "WhoAmI", "code_source_id": source["id"]}))
        self.ok(201, self.call("POST", "/v2/workflows", self.alice, WHOAMI_WORKFLOW))
        ex = self.ok(201, self.call("POST", "/v2/executions", self.alice, {"workflow_name": "whoami"}))
        ex = self.wait_done(ex["id"], self.alice)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        sec = json.loads(ex["output"])["security"]
        self.assertEqual(self.ks.project_id("alpha"), sec["project_id"])
        self.assertEqual(self.ks.ids["user:alice"], sec["user_id"])
        self.assertEqual(self.alice, sec["auth_token"])
        self.assertEqual(self.ks.url + "/v3", sec["auth_uri"])
        self.assertFalse(sec["is_trust_scoped"])
        self.assertIn("workflowv2", [s["type"] for s in sec["service_catalog"]])
        if subprocess.run(["/usr/bin/python3", "-c", "import mistral_lib"], capture_output=True).returncode:
            return  # no mistral-lib: the Python part is test_dynamic_actions' to skip
        py = self.ok(201, self.call("POST", "/v2/code_sources?name=who_py", self.root, PYTHON_CODE_SOURCE,
                                    content_type="text/plain"))
        self.ok(201, self.call("POST", "/v2/dynamic_actions", self.root,
                               {"name": "who_am_i_py", "class_name": "WhoAmI", "code_source_id": py["id"]}))
        run = self.ok(201, self.call("POST", "/v2/action_executions", self.alice, {"name": "who_am_i_py"}))
        self.assertEqual({"result": {"project_id": self.ks.project_id("alpha"), "user_id": self.ks.ids["user:alice"]}},
                         json.loads(run["output"]))

    def wait_done(self, ex_id, token, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            ex = self.ok(200, self.call("GET", "/v2/executions/" + ex_id, token))
            if ex["state"] not in ("RUNNING", "IDLE"):
                return ex
            time.sleep(0.1)
        self.fail("execution %s did not finish" % ex_id)

    @classmethod
    def create_cron_trigger(cls):
        """carol's trigger, created first (it fires at the next minute,
        while the other tests run), then her token is revoked."""
        ks = cls.ks
        ks.add_user("carol", "beta", "member")
        carol = ks.token("carol")
        # Code sources and dynamic actions are admin operations in Mistral's
        # default policy: beta's admin adds them, carol (a member) uses them.
        ks.add_user("bea", "beta", "admin")
        bea = ks.token("bea")

        def ok(result):
            assert result[0] == 201, result
            return result[1]
        source = ok(cls.bora.request("POST", "/v2/code_sources?name=who2", CODE_SOURCE, content_type="text/plain",
                                     headers={"X-Auth-Token": bea}))
        ok(cls.bora.request("POST", "/v2/dynamic_actions", {
            "name": "who_am_i", "class_name": "WhoAmI", "code_source_id": source["id"]},
            headers={"X-Auth-Token": bea}))
        ok(cls.bora.request("POST", "/v2/workflows", WHOAMI_WORKFLOW, headers={"X-Auth-Token": carol}))
        cls.trigger = ok(cls.bora.request("POST", "/v2/cron_triggers", {
            "name": "every_minute", "workflow_name": "whoami", "pattern": "* * * * *"},
            headers={"X-Auth-Token": carol}))
        cls.trusts_at_creation = ks.trusts_of("carol")
        ks.revoke_token(carol)

    def test_y_cron_trigger_fires_with_its_trust_after_the_token_is_revoked(self):
        trusts = self.trusts_at_creation
        self.assertEqual(1, len(trusts), trusts)
        trust = trusts[0]
        self.assertTrue(trust["impersonation"])
        self.assertEqual(self.ks.ids["user:bora"], trust["trustee_user_id"])
        trigger = self.trigger
        # The trigger fires at the next minute: at most ~60 s away.
        admin = self.root
        deadline = time.time() + 75
        fired = []
        while time.time() < deadline and not fired:
            time.sleep(1)
            fired = [e for e in self.ok(200, self.call("GET", "/v2/executions?all_projects=true", admin))["executions"]
                     if e["workflow_name"] == "whoami" and e["project_id"] == self.ks.project_id("beta")]
        self.assertTrue(fired, "the cron trigger did not fire")
        ex = self.wait_done(fired[0]["id"], admin)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        sec = json.loads(ex["output"])["security"]
        self.assertTrue(sec["is_trust_scoped"])
        self.assertEqual(trust["id"], sec["trust_id"])
        self.assertEqual(self.ks.ids["user:carol"], sec["user_id"])  # impersonation
        self.assertEqual(self.ks.project_id("beta"), sec["project_id"])
        # The trust-scoped token is a real, valid one.
        status, _, _ = self.ks.call("GET", "/v3/auth/tokens", token=self.ks.admin_token(),
                                    headers={"X-Subject-Token": sec["auth_token"]})
        self.assertEqual(200, status)
        # Deleting the trigger deletes the trust.
        carol2 = self.ks.token("carol")
        self.assertEqual(204, self.call("DELETE", "/v2/cron_triggers/" + trigger["id"], carol2)[0])
        self.assertEqual([], self.ks.trusts_of("carol"))

    def test_y_event_trigger_fires_with_its_trust(self):
        """An event trigger gets a trust too (Mistral's create_event_trigger),
        and its executions act through it, whoever sent the event; deleting
        the trigger deletes the trust."""
        self.ks.add_user("dora", "beta", "member")
        dora = self.ks.token("dora")
        wf = [w for w in self.ok(200, self.call("GET", "/v2/workflows", dora))["workflows"]
              if w["name"] == "whoami"][0]
        trigger = self.ok(201, self.call("POST", "/v2/event_triggers", dora, body={
            "name": "on_boot", "workflow_id": wf["id"], "exchange": "nova", "topic": "notifications",
            "event": "compute.instance.create.end"}))
        [trust] = self.ks.trusts_of("dora")
        self.assertEqual(self.ks.ids["user:bora"], trust["trustee_user_id"])
        # The webhook (src/events/): the event of dora's project fires it.
        fired = self.ok(201, self.call("POST", "/v2/event_triggers/%s/events" % trigger["id"], dora,
                                       body={"payload": {"instance_id": "i-1"}}))
        ex = self.wait_done(fired["workflow_execution_id"], dora)
        self.assertEqual("SUCCESS", ex["state"], ex.get("state_info"))
        sec = json.loads(ex["output"])["security"]
        self.assertTrue(sec["is_trust_scoped"])
        self.assertEqual(trust["id"], sec["trust_id"])
        self.assertEqual(self.ks.ids["user:dora"], sec["user_id"])  # impersonation
        self.assertEqual(204, self.call("DELETE", "/v2/event_triggers/" + trigger["id"], dora)[0])
        self.assertEqual([], self.ks.trusts_of("dora"))

    # -- part 4: the real clients through the catalog --------------------------
    def os_env(self, user, project):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env.update({"OS_AUTH_URL": self.ks.url + "/v3", "OS_USERNAME": user,
                    "OS_PASSWORD": self.ks.password_of(user), "OS_PROJECT_NAME": project,
                    "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
                    "OS_IDENTITY_API_VERSION": "3", "OS_REGION_NAME": "RegionOne",
                    "OS_INTERFACE": "public"})
        return env

    def run_cli(self, cmd, env):
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=90, env=env)
        self.assertEqual(0, p.returncode, "%s:\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
        return p.stdout

    @unittest.skipUnless(shutil.which("mistral") and shutil.which("openstack"),
                         "python3-mistralclient and python3-openstackclient are needed")
    def test_mistral_and_openstack_commands_find_bora_in_the_catalog(self):
        path = os.path.join(self.ks.tmp, "cli_wf.yaml")
        with open(path, "w") as f:
            f.write(WORKFLOW.replace("hello", "cli_wf"))
        env = self.os_env("alice", "alpha")
        out = json.loads(self.run_cli(["mistral", "workflow-create", path, "-f", "json"], env))
        self.assertEqual("cli_wf", out[0]["Name"])
        self.assertEqual(self.ks.project_id("alpha"), out[0]["Project ID"])
        listed = json.loads(self.run_cli(["openstack", "workflow", "list", "-f", "json"], env))
        self.assertIn("cli_wf", [w["Name"] for w in listed])
        # bob's project does not see it through the CLI either.
        listed = json.loads(self.run_cli(["openstack", "workflow", "list", "-f", "json"], self.os_env("bob", "beta")))
        self.assertNotIn("cli_wf", [w["Name"] for w in listed])


if __name__ == "__main__":
    unittest.main()
