"""What an action can reach (docs/SECURITY.md), against the built server and
a real HTTP server the test starts on loopback: std.http refuses file://,
gopher://, dict:// and a redirect to file:// (with every configuration);
[executor] denied_networks refuses 127.0.0.0/8 while ::1 stays reachable;
[executor] deny_own_api_port keeps actions off Bora's own API; std.ssh reads
keys only from [executor] ssh_private_key_dir. Both ways an action runs are
checked: inside a workflow (the engine's executor) and run directly
(POST /v2/action_executions)."""

import http.server
import json
import os
import socket
import threading
import time
import unittest

from bora_server import BoraServer


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"served": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _V6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def _serve(address):
    cls = _V6Server if ":" in address else http.server.ThreadingHTTPServer
    server = cls((address, 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


WORKFLOW = """---
version: '2.0'
reach:
  input: [url, redirects]
  tasks:
    call:
      action: std.http url=<% $.url %> allow_redirects=<% $.redirects %>
      publish:
        answer: <% task().result.content %>
"""


class ReachCase(unittest.TestCase):
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.web4 = _serve("127.0.0.1")
        cls.url4 = "http://127.0.0.1:%d" % cls.web4.server_address[1]
        cls.server = BoraServer(env=cls.env).start()
        status, body, _ = cls.server.request("POST", "/v2/workflows", WORKFLOW)
        assert status == 201, body

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.web4.shutdown()
        cls.web4.server_close()

    # Both ways an action runs; each returns (failed, result text).
    def run_direct(self, name, action_input):
        status, body, _ = self.server.request("POST", "/v2/action_executions", {
            "name": name, "input": action_input, "params": {"run_sync": True}})
        self.assertEqual(201, status, body)
        output = json.loads(body["output"]) if isinstance(body["output"], str) else body["output"]
        return body["state"] == "ERROR", json.dumps(output["result"])

    def run_in_workflow(self, url, redirects=False):
        status, ex, _ = self.server.request("POST", "/v2/executions", {
            "workflow_name": "reach", "input": {"url": url, "redirects": redirects}})
        self.assertEqual(201, status, ex)
        deadline = time.time() + 30
        while time.time() < deadline:
            _, ex, _ = self.server.request("GET", "/v2/executions/" + ex["id"])
            if ex["state"] not in ("RUNNING", "IDLE"):
                break
            time.sleep(0.05)
        return ex["state"] == "ERROR", (ex.get("state_info") or "") + json.dumps(ex.get("output"))

    def assertRefused(self, url, expected, redirects=False):
        for failed, text in (self.run_direct("std.http", {"url": url, "allow_redirects": redirects}),
                             self.run_in_workflow(url, redirects)):
            self.assertTrue(failed, "%s was reached: %s" % (url, text))
            self.assertIn(expected, text)
            self.assertNotIn("root:x:0:0", text)

    def assertReached(self, url):
        failed, text = self.run_direct("std.http", {"url": url})
        self.assertFalse(failed, text)
        self.assertIn("served", text)
        failed, text = self.run_in_workflow(url)
        self.assertFalse(failed, text)


class DefaultConfiguration(ReachCase):
    """Nothing configured: only the schemes are limited."""

    def test_file_gopher_dict_are_refused(self):
        for url in ("file:///etc/passwd", "file:///proc/self/environ", "gopher://127.0.0.1:70/_x",
                    "dict://127.0.0.1:2628/show:db"):
            self.assertRefused(url, "Failed to send HTTP request: No connection adapters were found for '%s'" % url)

    def test_mistral_http_too(self):
        # Asynchronous: run in the background, then read its state.
        status, a, _ = self.server.request("POST", "/v2/action_executions", {
            "name": "std.mistral_http", "input": {"url": "file:///etc/passwd"},
            "params": {"save_result": True}})
        self.assertEqual(201, status, a)
        deadline = time.time() + 30
        while a["state"] == "RUNNING" and time.time() < deadline:
            time.sleep(0.05)
            _, a, _ = self.server.request("GET", "/v2/action_executions/" + a["id"])
        self.assertEqual("ERROR", a["state"], a)
        self.assertIn("Failed to send HTTP request: No connection adapters were found for 'file:///etc/passwd'",
                      a["output"])
        self.assertNotIn("root:x:0:0", a["output"])

    def test_redirect_to_file_is_refused(self):
        url = self.url4 + "/redirect?to=file:///etc/passwd"
        self.assertRefused(url, "No connection adapters were found for 'file:///etc/passwd'", redirects=True)

    def test_http_still_works(self):
        self.assertReached(self.url4 + "/fine")


class DeniedLoopbackV4(ReachCase):
    """denied_networks = 127.0.0.0/8: IPv4 loopback refused, ::1 allowed."""

    env = {"BORA_EXECUTOR_DENIED_NETWORKS": "127.0.0.0/8, 169.254.0.0/16"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.web6 = _serve("::1")
        cls.url6 = "http://[::1]:%d" % cls.web6.server_address[1]

    @classmethod
    def tearDownClass(cls):
        cls.web6.shutdown()
        cls.web6.server_close()
        super().tearDownClass()

    def test_ipv4_loopback_is_refused_by_every_name(self):
        port = self.web4.server_address[1]
        for url in ("http://127.0.0.1:%d/x" % port, "http://127.0.0.2:%d/x" % port,
                    "http://[::ffff:127.0.0.1]:%d/x" % port, "http://127.1:%d/x" % port):
            self.assertRefused(url, "[executor] denied_networks")
        self.assertRefused("http://127.0.0.1:%d/x" % port,
                           "127.0.0.1 (port %d) is in 127.0.0.0/8, which [executor] denied_networks denies" % port)

    def test_the_bora_api_itself_is_refused(self):
        self.assertRefused(self.server.url + "/executions", "[executor] denied_networks")

    def test_ipv6_loopback_is_allowed(self):
        self.assertReached(self.url6 + "/fine")

    def test_redirect_into_a_denied_network_is_refused(self):
        target = self.url4 + "/secret"
        self.assertRefused(self.url6 + "/redirect?to=" + target, "may not connect to '%s'" % target,
                           redirects=True)

    def test_schemes_still_refused(self):
        self.assertRefused("file:///etc/passwd", "No connection adapters were found for 'file:///etc/passwd'")


class DeniedOwnPort(ReachCase):
    """deny_own_api_port = true: Bora's API is off limits, the rest is not."""

    env = {"BORA_EXECUTOR_DENY_OWN_API_PORT": "true"}

    def test_own_api_is_refused(self):
        port = self.server.url.rsplit(":", 1)[1].split("/")[0]
        for host in ("127.0.0.1", "localhost", "127.0.0.2", "[::ffff:127.0.0.1]", "0.0.0.0"):
            self.assertRefused("http://%s:%s/v2/executions" % (host, port),
                               "is this server's own API, which [executor] deny_own_api_port denies")

    def test_redirect_to_own_api_is_refused(self):
        self.assertRefused(self.url4 + "/redirect?to=" + self.server.url + "/executions",
                           "[executor] deny_own_api_port", redirects=True)

    def test_other_local_services_are_reached(self):
        self.assertReached(self.url4 + "/fine")


class SshKeyDirectory(unittest.TestCase):
    """ssh_private_key_dir: key files from there only; refused before any
    connection (no SSH server is needed to see the refusal)."""

    @classmethod
    def setUpClass(cls):
        cls.server = BoraServer()
        keys = os.path.join(cls.server.tmp, "keys")
        os.makedirs(keys)
        with open(os.path.join(cls.server.tmp, "outside_key"), "w") as f:
            f.write("-----BEGIN OPENSSH PRIVATE KEY-----\nnot really\n")
        os.symlink(os.path.join(cls.server.tmp, "outside_key"), os.path.join(keys, "link_out"))
        cls.server.env["BORA_EXECUTOR_SSH_PRIVATE_KEY_DIR"] = keys
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_traversal_absolute_and_links_are_refused(self):
        for name in ("../outside_key", "../../../../etc/passwd", "/etc/shadow",
                     os.path.join(self.server.tmp, "outside_key"), "link_out"):
            status, body, _ = self.server.request("POST", "/v2/action_executions", {
                "name": "std.ssh", "params": {"run_sync": True},
                "input": {"cmd": "id", "host": "127.0.0.1:1", "username": "root",
                          "private_key_filename": name}})
            self.assertEqual(201, status, body)
            self.assertEqual("ERROR", body["state"], body)
            self.assertIn("std.ssh may not read private_key_filename '%s'" % name, body["output"])
            self.assertIn("[executor] ssh_private_key_dir", body["output"])


class BadOption(unittest.TestCase):
    def test_a_bad_network_stops_the_server_with_a_clear_message(self):
        server = BoraServer(env={"BORA_EXECUTOR_DENIED_NETWORKS": "127.0.0.0/8, 10.0.0.0/40"})
        try:
            with self.assertRaises(RuntimeError):
                server.start()
            self.assertIn("[executor] denied_networks: '10.0.0.0/40' is not a network", server.logs())
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
