"""The web UI as the server hands it out (issue 17 part 4): GET / sends a
browser (Accept: text/html) to /ui/ while API clients keep Mistral's
version document; /ui/ serves the files compiled into the binary, gzipped
when the client accepts it, with ETags and caching headers, and index.html
for the UI's own routes. What the pages do is tested in a real browser
(test/browser/)."""
import gzip
import http.client
import re
import unittest
import urllib.parse

from bora_server import BoraTestCase


class UiServingTest(BoraTestCase):
    def get(self, path, headers=None):
        """(status, headers with lower-cased names, raw body): no redirect
        is followed, no decoding is done."""
        u = urllib.parse.urlsplit(self.server.url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def index(self):
        status, headers, body = self.get("/ui/")
        if status == 404 and b"built without its web UI" in body:
            self.skipTest("this bora was built with BORA_WITH_UI=OFF")
        self.assertEqual(200, status, body[:300])
        return headers, body.decode()

    def test_browser_is_sent_to_the_ui_and_clients_get_the_versions(self):
        status, headers, _ = self.get("/", {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        self.assertEqual(302, status)
        self.assertEqual("/ui/", headers["location"])
        for accept in ({"Accept": "application/json"}, {"Accept": "*/*"}, {}):
            status, _, body = self.get("/", accept)
            self.assertEqual(200, status, accept)
            self.assertIn(b'"versions"', body, accept)
        status, headers, _ = self.get("/ui")
        self.assertEqual(302, status)
        self.assertEqual("/ui/", headers["location"])

    def test_index_and_its_assets(self):
        headers, html = self.index()
        self.assertTrue(headers["content-type"].startswith("text/html"))
        self.assertEqual("no-cache", headers["cache-control"])
        self.assertIn('<div id="app">', html)
        assets = re.findall(r'(?:src|href)="(/ui/assets/[^"]+)"', html)
        self.assertTrue(any(a.endswith(".js") for a in assets), html)
        self.assertTrue(any(a.endswith(".css") for a in assets), html)
        for a in assets:
            status, h, plain = self.get(a)
            self.assertEqual(200, status, a)
            self.assertIn("immutable", h["cache-control"])
            self.assertNotIn("content-encoding", h)
            self.assertTrue(h["content-type"].startswith("text/javascript" if a.endswith(".js") else "text/css"), h)
            # The gzipped copy is the same file, and smaller.
            status, hz, packed = self.get(a, {"Accept-Encoding": "gzip, deflate, br"})
            self.assertEqual(200, status)
            self.assertEqual("gzip", hz["content-encoding"])
            self.assertEqual("Accept-Encoding", hz["vary"])
            self.assertEqual(plain, gzip.decompress(packed))
            self.assertLess(len(packed), len(plain))
            # Refused gzip (q=0) is honoured.
            _, hq, body = self.get(a, {"Accept-Encoding": "gzip;q=0, identity"})
            self.assertNotIn("content-encoding", hq)
            self.assertEqual(plain, body)
            # A cached copy is revalidated with its ETag: 304, no body.
            status, h2, body = self.get(a, {"If-None-Match": h["etag"]})
            self.assertEqual(304, status)
            self.assertEqual(b"", body)
            self.assertEqual(h["etag"], h2["etag"])

    def test_client_side_routes_get_index_and_missing_files_404(self):
        _, html = self.index()
        for route in ("/ui/executions/0b1c", "/ui/workflows/abc/start", "/ui/cron_triggers"):
            status, headers, body = self.get(route)
            self.assertEqual(200, status, route)
            self.assertEqual(html, body.decode(), route)
        for missing in ("/ui/assets/nope.js", "/ui/favicon.ico", "/ui/a/b/c.map"):
            status, _, _ = self.get(missing)
            self.assertEqual(404, status, missing)


if __name__ == "__main__":
    unittest.main()
