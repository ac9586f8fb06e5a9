"""Cross-origin requests, HEAD, OPTIONS and proxy headers as Mistral answers them.

test/data/api/cors.json holds the real Mistral 15's answers
(scripts/gen_cors_cases.py), one block per configuration: [cors] (an allowed
origin; any origin without credentials or preflight cache) and [oslo_middleware]
enable_proxy_headers_parsing (on, off). For each, a `bora server` starts with
the same options and gets the same requests: the status, the CORS headers
(and Vary, Location, Allow, Content-Type) and the body must be Mistral's, its
host ("localhost" in Mistral's test application) standing for Bora's."""

import http.client
import json
import os
import sys
import urllib.parse
import unittest

from bora_server import BoraServer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from gen_content_negotiation_cases import normalise  # noqa: E402
from gen_cors_cases import HEADERS, WF  # noqa: E402

CASES = os.path.join(ROOT, "test", "data", "api", "cors.json")


def config_text(block):
    lines = []
    for section in ("cors", "oslo_middleware"):
        if block[section]:
            lines.append("[%s]" % section)
            for k, v in block[section].items():
                v = ",".join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else str(v)
                lines.append("%s = %s" % (k, v))
    return "\n".join(lines) + "\n"


class CorsTest(unittest.TestCase):
    def raw(self, port, method, path, headers, body):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            data = body.encode() if body is not None else None
            if data is not None:
                conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            r = conn.getresponse()
            return r.status, {k: v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def test_answers_as_mistral(self):
        with open(CASES) as f:
            blocks = json.load(f)
        for block in blocks:
            server = BoraServer()
            path = os.path.join(server.tmp, "bora.conf")
            with open(path, "w") as f:
                f.write(config_text(block))
            server.extra_args += ["--config", path]
            server.start()
            try:
                port = urllib.parse.urlsplit(server.url).port
                here = "127.0.0.1:%d" % port
                status, _, _ = self.raw(port, "POST", "/v2/workflows", {"Content-Type": "text/plain"}, WF)
                self.assertEqual(201, status)
                for case in block["cases"]:
                    what = "%s: %s %s %r" % (block["name"], case["method"], case["path"], case["headers"])
                    with self.subTest(what):
                        status, headers, body = self.raw(port, case["method"], case["path"], case["headers"],
                                                         case["body"])
                        self.assertEqual(case["status"], status, body)
                        got = {h: headers[h].replace(here, "localhost") for h in HEADERS if h in headers}
                        self.assertEqual(case["response_headers"], got)
                        # Mistral's test application has no Host header: its
                        # host is SERVER_NAME:SERVER_PORT, "localhost:80",
                        # which webob shortens only for http.
                        self.assertEqual(normalise(case["response"].replace("localhost:80/", "localhost/"),
                                                   "http://localhost"),
                                         normalise(body.replace(here, "localhost"), "http://localhost"))
            finally:
                server.cleanup()


if __name__ == "__main__":
    unittest.main()
