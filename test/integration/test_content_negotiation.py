"""Content negotiation as Mistral's pecan and WSME do it (issue 20, REST).

test/data/api/content_negotiation.json holds the real Mistral 15's answers
(scripts/gen_content_negotiation_cases.py) to requests that differ in their
Accept header: JSON or XML from the WSME controllers, 406 where pecan finds
no media type it may answer in, and the JSON, HTML or plain-text pages of
the errors pecan raises itself (404, 405, 406, the redirect of /v2). Each
request is replayed here, in the same order, against `bora server`; the
status, the media type and the body (normalised the generator's way) must be
Mistral's.

Where Mistral fails (the definition controllers' 406 pages: its
ContentTypeHook breaks webob's rendering and the WSGI server answers 500),
Bora answers the 406 page pecan meant to send (docs/API.md). A fault's
message is Mistral's, to which Bora may add its hint (how to fix it)."""

import http.client
import json
import os
import re
import sys
import urllib.parse

from bora_server import BoraTestCase

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from gen_content_negotiation_cases import normalise  # noqa: E402

CASES = os.path.join(ROOT, "test", "data", "api", "content_negotiation.json")
FAULT = re.compile(r"(<faultstring>|\"faultstring\": \")(.*?)(</faultstring>|\", \"debuginfo\")")


def split_fault(body):
    """(body with its fault message taken out, the message)."""
    m = FAULT.search(body)
    if not m:
        return body, None
    return body[:m.start(2)] + body[m.end(2):], m.group(2)


class ContentNegotiationTest(BoraTestCase):
    def raw(self, method, path, content_type, body, accept):
        """(status, Content-Type, body text) of one request, headers as given."""
        url = urllib.parse.urlsplit(self.server.url)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            if accept is not None:
                conn.putheader("Accept", accept)
            data = body.encode() if body is not None else None
            if data is not None:
                conn.putheader("Content-Type", content_type)
                conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            r = conn.getresponse()
            return r.status, r.getheader("Content-Type"), r.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def test_answers_as_mistral(self):
        with open(CASES) as f:
            cases = json.load(f)
        base = "http://127.0.0.1:%d" % urllib.parse.urlsplit(self.server.url).port
        ex = None  # the execution the case file's POST started, for its {ex}
        for case in cases:
            what = "%s %s Accept=%r" % (case["method"], case["path"], case["accept"])
            with self.subTest(what):
                status, ctype, body = self.raw(case["method"], case["path"].replace("{ex}", str(ex)),
                                               case["content_type"], case["body"], case["accept"])
                if "mistral_failed" in case:
                    self.assertEqual(406, status, body)
                    continue
                self.assertEqual(case["status"], status, body)
                want_type = (case["response_content_type"] or "").lower()
                self.assertEqual(want_type, (ctype or "").lower(), body)
                want, want_fault = split_fault(case["response"])
                got, got_fault = split_fault(normalise(body, base))
                self.assertEqual(want, got)
                if want_fault is not None:
                    self.assertTrue(got_fault.startswith(want_fault), (want_fault, got_fault))
                if case["method"] == "POST" and case["path"] == "/v2/executions" and status == 201:
                    m = re.search(r'<id>([^<]*)</id>|"id": "([^"]*)"', body)
                    ex = m.group(1) or m.group(2)
                    self.wait_done(ex)
