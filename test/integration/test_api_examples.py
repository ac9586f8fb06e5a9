"""docs/API-examples.md stays true: the scenario of scripts/gen_api_examples.py
runs against a fresh server; every served route must have an example in the
document, with the status code the server gives today."""

import os
import re
import sys
import unittest
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import gen_api_examples  # noqa: E402
from bora_server import BoraServer  # noqa: E402


def documented_statuses():
    with open(gen_api_examples.DOC) as f:
        text = f.read()
    out = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        route = re.match(r"`([A-Z]+ [^`]+)`", section).group(1)
        out[route] = int(re.search(r"^HTTP (\d+)", section, flags=re.M).group(1))
    return out


def built_without_ui(url):
    """A bora configured with -DBORA_WITH_UI=OFF answers /ui/ with a page saying so."""
    base = url[: -len("/v2")] if url.endswith("/v2") else url
    try:
        with urllib.request.urlopen(base + "/ui/", timeout=10):
            return False
    except urllib.error.HTTPError as e:
        return e.code == 404 and b"built without its web UI" in e.read()


class ApiExamplesTest(unittest.TestCase):
    def test_every_route_has_a_true_example(self):
        server = BoraServer(env=gen_api_examples.SERVER_ENV).start()
        try:
            all_routes, examples = gen_api_examples.collect(server)
            without_ui = built_without_ui(server.url)
        finally:
            server.cleanup()
        documented = documented_statuses()
        for method, template in all_routes:
            key = method + " " + template
            self.assertIn(key, examples, "the scenario of scripts/gen_api_examples.py does not call " + key)
            self.assertIn(key, documented, key + " has no example in docs/API-examples.md: run "
                          "scripts/gen_api_examples.py")
            status = examples[key][3]
            if template.startswith("/ui") and without_ui:
                continue  # a build with BORA_WITH_UI=OFF (the sanitizer build) serves no UI
            self.assertEqual(documented[key], status,
                             key + ": the documented status differs from the server's (regenerate the examples)")
        served = {m + " " + t for m, t in all_routes}
        self.assertEqual(set(), set(documented) - served, "documented routes the server does not have")


if __name__ == "__main__":
    unittest.main()
