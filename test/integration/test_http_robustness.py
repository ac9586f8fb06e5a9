"""The HTTP layer under bad input: unknown paths and methods, oversized and
malformed requests get a clear 4xx in Mistral's error shape, and the server
keeps serving afterwards."""

import socket
import time
import unittest

from bora_server import BoraServer, BoraTestCase

# pecan answers its own errors in JSON to a client that asks for JSON, as
# tempest and the OpenStack SDKs do; without an Accept header it writes
# webob's text page (test_content_negotiation.py has every form).
JSON = {"Accept": "application/json"}


class RootTest(BoraTestCase):
    def test_versions_document(self):
        body = self.assertStatus(200, self.req("GET", "/"))
        base = self.server.url[: -len("/v2")]
        self.assertEqual({"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
            {"href": base + "/v2", "target": "v2", "rel": "self"}]}]}, body)

    def test_v2_root(self):
        body = self.assertStatus(200, self.req("GET", "/v2/"))
        self.assertEqual({"uri": self.server.url}, body)

    def test_v2_without_its_slash_is_redirected_as_pecan_does(self):
        status, body, headers = self.server.request("GET", "/v2?a=1&b=x%20y", headers=JSON)
        self.assertEqual(302, status)
        self.assertEqual(self.server.url + "/?a=1&b=x%20y", headers.get("Location"))
        self.assertEqual({"code": 302, "title": "Found", "description": None}, body)

    def test_services_lists_this_process(self):
        body = self.assertStatus(200, self.req("GET", "/v2/services"))
        self.assertEqual(["api_group", "engine_group", "executor_group"],
                         sorted(s["type"] for s in body["services"]))
        self.assertEqual(1, len({s["name"] for s in body["services"]}))

    def test_unknown_path_is_pecans_404(self):
        # Mistral 15's answers (pecan's own error bodies).
        self.assertEqual({"code": 404, "title": "Not Found", "description": None},
                         self.assertStatus(404, self.req("GET", "/v2/nothing-here", headers=JSON)))
        self.assertEqual({"code": 404, "title": "Not Found", "description": ""}, self.assertStatus(
            404, self.req("GET", "/v2/executions/123e4567-e89b-12d3-a456-426614174000/nothing", headers=JSON)))
        status, body, headers = self.req("GET", "/v2/nothing-here")
        self.assertEqual((404, "text/plain; charset=UTF-8", "404 Not Found\n\nThe resource could not be found.\n\n   "),
                         (status, headers.get("Content-Type"), body))

    def test_wrong_method_is_pecans_405(self):
        self.assertEqual({"code": 405, "title": "Method Not Allowed", "description": ""},
                         self.assertStatus(405, self.req("PATCH", "/v2/workflows", {}, headers=JSON)))
        # An item of a nested list Mistral's RestController only lists.
        for path in ("/v2/executions/123e4567-e89b-12d3-a456-426614174000/tasks/x",
                     "/v2/tasks/123e4567-e89b-12d3-a456-426614174000/workflow_executions/x"):
            self.assertEqual({"code": 405, "title": "Method Not Allowed", "description": ""},
                             self.assertStatus(405, self.req("GET", path, headers=JSON)))
        # Mistral's root controllers answer any method (pecan's index).
        self.assertStatus(302, self.req("DELETE", "/v2"))
        self.assertStatus(200, self.req("PUT", "/v2/", {}))
        # A collection of resources the method takes by id: WSME's missing
        # argument (Mistral's RestController calls the method without it).
        for method, path, name in (("DELETE", "/v2/workflows", "identifier"), ("DELETE", "/v2/environments", "name"),
                                   ("DELETE", "/v2/executions", "id"), ("PUT", "/v2/executions", "id")):
            self.assertFault(400, self.req(method, path, {} if method == "PUT" else None),
                             'Missing argument: "%s"' % name)
        # With the trailing slash too (Mistral 15's answer); the hint names
        # the path once.
        body = self.assertFault(400, self.req("DELETE", "/v2/workflows/"), 'Missing argument: "identifier"')
        self.assertIn("/v2/workflows/<identifier>", body["faultstring"])
        # Mistral 15's order (WSME's): unknown query arguments, then the
        # body, then the missing one; a query argument of its name gives it.
        self.assertFault(400, self.req("DELETE", "/v2/executions?x=1"), 'Unknown argument: "x"')
        self.assertFault(400, self.req("PUT", "/v2/tasks?x=1", {"reset": True}), 'Unknown argument: "x"')
        self.assertFault(400, self.req("PUT", "/v2/tasks", {}),
                         "Invalid input for field/attribute reset. Value: 'None'. Mandatory field missing.")
        self.assertFault(400, self.req("PUT", "/v2/tasks", {"reset": True}), 'Missing argument: "id"')
        self.assertFault(400, self.req("PUT", "/v2/executions", {"state": 5}),
                         "Invalid input for field/attribute state. Value: '5'. Wrong type. Expected '<class 'str'>', "
                         "got '<class 'int'>'")
        self.assertFault(400, self.req("PUT", "/v2/event_triggers", {"foo": 5}),
                         "Unknown attribute for argument event_trigger: foo")
        self.assertFault(400, self.req("PUT", "/v2/event_triggers", {}), 'Missing argument: "id"')
        self.assertFault(400, self.req("DELETE", "/v2/event_triggers"), 'Missing argument: "id"')
        wf = "version: '2.0'\nby_query:\n  tasks:\n    t:\n      action: std.noop\n"
        self.assertStatus(201, self.req("POST", "/v2/workflows", wf))
        ex = self.assertStatus(201, self.req("POST", "/v2/executions", {"workflow_name": "by_query"}))
        described = self.assertStatus(200, self.req("PUT", "/v2/executions?id=" + ex["id"], {"description": "q"}))
        self.assertEqual("q", described["description"])
        for _ in range(100):
            if self.assertStatus(200, self.req("GET", "/v2/executions/" + ex["id"]))["state"] != "RUNNING":
                break
            time.sleep(0.05)
        self.assertStatus(204, self.req("DELETE", "/v2/executions?id=%s&force=1" % ex["id"]))
        self.assertStatus(404, self.req("GET", "/v2/executions/" + ex["id"]))


class RawHttpTest(BoraTestCase):
    server_args = ("--log-level", "warning")

    def raw(self, data, read=65536):
        host, port = self.server.url.split("//")[1].split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(data)
            chunks = b""
            try:
                while len(chunks) < read:
                    c = s.recv(read)
                    if not c:
                        break
                    chunks += c
            except socket.timeout:
                pass
            return chunks.decode(errors="replace")

    def assertStillServing(self):
        self.assertStatus(200, self.req("GET", "/v2/"))

    def test_v2_redirect_with_a_host_that_is_no_url(self):
        # Found by the http_router fuzz target (regressions/http_router/
        # v2_redirect_host_not_a_url): the Location was parsed whole, and a
        # Host header that is not a URL's host made a 500.
        reply = self.raw(b"GET /v2?a=b%20c HTTP/1.1\r\nHost: 127.0.0 POST4 /v2\r\nConnection: close\r\n\r\n")
        self.assertTrue(reply.startswith("HTTP/1.1 302"), reply)
        self.assertIn("/v2/?a=b%20c\r\n", reply)
        self.assertStillServing()

    def test_huge_body_is_413(self):
        body = "x" * (11 * 1024 * 1024)
        status, fault, _ = self.req("POST", "/v2/workflows", body)
        self.assertEqual(413, status)
        self.assertIn("larger than the limit", fault["faultstring"])
        self.assertStillServing()

    def test_declared_huge_body_is_refused_before_reading(self):
        reply = self.raw(b"POST /v2/workflows HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n")
        self.assertIn("413", reply.split("\r\n")[0])
        self.assertStillServing()

    def test_huge_headers_are_431_naming_the_option(self):
        reply = self.raw(b"GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (70 * 1024) + b"\r\n\r\n")
        self.assertIn("431", reply.split("\r\n")[0])
        self.assertIn("[api] max_header_size", reply)
        self.assertStillServing()

    def test_malformed_request_is_400(self):
        reply = self.raw(b"THIS IS NOT HTTP\r\n\r\n")
        self.assertIn("400", reply.split("\r\n")[0] if reply else "400 (closed)")
        self.assertStillServing()

    def test_garbage_bytes_and_disconnects(self):
        for data in [b"\x00" * 100, b"GET / HTTP/1.1\r\n", b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\n\r\n"]:
            try:
                self.raw(data, read=1)
            except OSError:
                pass
        self.assertStillServing()


class IoThreadsNeverWaitTest(unittest.TestCase):
    """A handler that waits (a synchronous action, an engine commit) runs on
    the handler pool, so with a single I/O thread other requests are still
    read and answered while it waits."""

    def test_a_waiting_handler_does_not_hold_other_requests(self):
        import threading
        import time
        server = BoraServer(extra_args=["--log-level", "warning"],
                            env={"BORA_API_WORKERS": "1"}).start()
        try:
            slow = {}

            def run_sleep():
                slow["answer"] = server.request("POST", "/v2/action_executions", {
                    "name": "std.sleep", "input": {"seconds": 3}, "params": {"run_sync": True}})

            sleeper = threading.Thread(target=run_sleep)
            started = time.monotonic()
            sleeper.start()
            time.sleep(0.3)  # the sleep action is running now
            status, _, _ = server.request("GET", "/v2/workflows")
            answered_in = time.monotonic() - started
            sleeper.join(timeout=30)
            self.assertEqual(200, status)
            # The sleep takes 3 s; the list must not have waited for it.
            self.assertLess(answered_in, 2.0)
            self.assertEqual(201, slow["answer"][0], slow["answer"][1])
            self.assertGreaterEqual(time.monotonic() - started, 3.0)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
