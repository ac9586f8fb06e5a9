"""`bora server --config mistral.conf` with a real Mistral configuration:
the sample Debian's python3-mistral generates (oslo-config-generator over
Mistral's, keystonemiddleware's, oslo.log's, oslo.messaging's, oslo.db's and
oslo.policy's options), with every option that has a default set to it.
Bora must start, name what it does not use in its log (one note each, never
a refusal), and with [pecan] auth_enable = True refuse calls without a
token (401 with keystonemiddleware's challenge) while the public paths
answer.

Skipped (exit 77) only when oslo-config-generator or python3-mistral is
missing. ~25 s (the generator imports all of Mistral)."""

import os
import re
import subprocess
import sys
import unittest

from bora_server import BoraServer

GENERATOR = "/usr/bin/oslo-config-generator"
NAMESPACES = ["mistral.config", "keystonemiddleware.auth_token", "oslo.log", "oslo.messaging", "oslo.db",
              "oslo.policy"]


def setUpModule():
    if not os.path.exists(GENERATOR) or not os.path.exists("/usr/lib/python3/dist-packages/mistral/config.py"):
        print("skipped: needs python3-mistral and python3-oslo.config (oslo-config-generator)")
        sys.exit(77)


def mistral_sample():
    cmd = [GENERATOR] + [a for ns in NAMESPACES for a in ("--namespace", ns)]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if p.returncode != 0:
        raise RuntimeError("oslo-config-generator failed:\n" + p.stderr)
    return p.stdout


def with_defaults_set(sample, overrides):
    """Every '#name = value' with a value becomes 'name = value' (a file
    that sets every option to Mistral's default), then overrides
    {section: {name: value}} replace or add options."""
    out, section = [], None
    for line in sample.splitlines():
        m = re.match(r"^\[(.+)\]$", line)
        if m:
            section = m.group(1)
            out.append(line)
            for name, value in overrides.get(section, {}).items():
                out.append("%s = %s" % (name, value))
            continue
        m = re.match(r"^#([A-Za-z_][\w.-]*) = (.*)$", line)
        if m and m.group(2) not in ("", "<None>") and m.group(1) not in overrides.get(section, {}):
            out.append("%s = %s" % (m.group(1), m.group(2)))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


class MistralConfTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sample = mistral_sample()

    def start(self, overrides):
        server = BoraServer()
        path = os.path.join(server.tmp, "mistral.conf")
        with open(path, "w") as f:
            f.write(with_defaults_set(self.sample, overrides))
        server.extra_args = ["--config", path]
        self.addCleanup(server.cleanup)
        return server.start(), path

    def test_a_mistral_conf_with_every_default_is_accepted(self):
        server, path = self.start({"pecan": {"auth_enable": "False"}})
        self.assertEqual(200, server.request("GET", "/v2/workflows")[0])
        logs = server.logs()
        # Sections Bora does not use are named once each, with their options.
        self.assertEqual(1, logs.count("section [oslo_messaging_kafka] is not used by Bora; ignored"), logs)
        self.assertIn("section [coordination] is not used by Bora; ignored", logs)
        # Options of Mistral's sections Bora reads that it does not use: one line each.
        self.assertEqual(1, logs.count("[keystone_authtoken] memcache_pool_maxsize is not used by Bora; ignored"), logs)
        self.assertIn("[DEFAULT] rpc_response_timeout is not used by Bora; ignored", logs)
        # What Bora reads is not reported.
        self.assertNotIn("[pecan] auth_enable is not used", logs)
        self.assertNotIn("[keystone_authtoken] www_authenticate_uri is not used", logs)
        # The messaging options are read now (event triggers, src/events/).
        self.assertNotIn("section [oslo_messaging_rabbit] is not used", logs)
        self.assertNotIn("[DEFAULT] transport_url is not used", logs)

    def test_auth_enable_true_needs_a_token(self):
        server, _ = self.start({
            "pecan": {"auth_enable": "True"},
            "keystone_authtoken": {"www_authenticate_uri": "http://127.0.0.1:9/v3", "auth_url": "http://127.0.0.1:9",
                                   "auth_type": "password", "username": "mistral", "password": "pw",
                                   "project_name": "service", "http_connect_timeout": "2"}})
        for path in ("/", "/v2/"):
            self.assertEqual(200, server.request("GET", path)[0], path)
        status, body, headers = server.request("GET", "/v2/workflows", headers={"X-Project-Id": "p", "X-Roles": "admin"})
        self.assertEqual(401, status, body)
        self.assertEqual('Keystone uri="http://127.0.0.1:9/v3"', headers.get("WWW-Authenticate"))
        self.assertIn("Authentication required", body["faultstring"])
        # A token, but no Keystone at that address: 503, never a pass.
        status, body, _ = server.request("GET", "/v2/workflows", headers={"X-Auth-Token": "some-token"})
        self.assertEqual(503, status, body)
        self.assertIn("Keystone could not be asked", body["faultstring"])

    def refused_at_start(self, conf):
        """`bora server` with this mistral.conf exits non-zero: its output."""
        server = BoraServer()
        self.addCleanup(server.cleanup)
        path = os.path.join(server.tmp, "mistral.conf")
        with open(path, "w") as f:
            f.write(conf)
        p = subprocess.run([os.environ.get("BORA_BINARY", "bora"), "server", "--config", path, "--port", "0",
                            "--db", server.db_url], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(0, p.returncode)
        return p.stderr + p.stdout

    def test_auth_enable_without_credentials_is_refused_at_start(self):
        out = self.refused_at_start("[pecan]\nauth_enable = True\n[keystone_authtoken]\nauth_url = http://127.0.0.1:9\n")
        self.assertIn("username, password and project_name", out)

    def test_validation_mode_other_than_mandatory_is_noted_and_every_definition_validated(self):
        server, _ = self.start({"pecan": {"auth_enable": "False"}, "api": {"validation_mode": "disabled"}})
        self.assertIn("[api] validation_mode = disabled: Bora validates every definition", server.logs())
        broken = "version: '2.0'\nwf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
        status, body, _ = server.request("POST", "/v2/workflows?skip_validation", body=broken,
                                         headers={"Content-Type": "text/plain"})
        self.assertEqual(400, status, body)
        self.assertTrue(body["faultstring"].startswith("Task 'b' not found."), body)
        self.assertEqual(0, len(server.request("GET", "/v2/workflows")[1]["workflows"]))

    def test_validation_mode_outside_its_choices_is_refused_at_start(self):
        out = self.refused_at_start("[api]\nvalidation_mode = sometimes\n")
        self.assertIn("[api] validation_mode must be enabled, mandatory or disabled, not 'sometimes'", out)


if __name__ == "__main__":
    unittest.main()
