"""GET /v2/openapi.json: a valid OpenAPI 3 document whose operations are
exactly the routes the server has (`bora server --list-routes`), both ways:
a route missing from the description, or a described operation the server
does not serve, fails CI."""
import subprocess
import unittest

from bora_server import BORA, BoraTestCase

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class OpenApiTest(BoraTestCase):
    def test_description_matches_the_routes(self):
        doc = self.assertStatus(200, self.req("GET", "/v2/openapi.json"))
        self.assertTrue(doc["openapi"].startswith("3."))
        self.assertIn("title", doc["info"])
        described = set()
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if method in METHODS:
                    described.add("%s %s" % (method.upper(), path))
                    self.assertIn("responses", op, "%s %s has no responses" % (method, path))
        listed = subprocess.run([BORA, "server", "--list-routes", "--log-level", "error"],
                                capture_output=True, text=True, timeout=30, check=True).stdout
        served = set(line.strip() for line in listed.splitlines() if line.strip())
        self.assertGreater(len(served), 50)
        self.assertEqual(set(), served - described, "routes served but not described")
        self.assertEqual(set(), described - served, "operations described but not served")

    def test_references_resolve(self):
        doc = self.assertStatus(200, self.req("GET", "/v2/openapi.json"))

        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "$ref":
                        target = doc
                        for part in v.lstrip("#/").split("/"):
                            self.assertIn(part, target, "unresolved $ref " + v)
                            target = target[part]
                    else:
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(doc["paths"])
        # Every {param} of a path is declared as a path parameter.
        for path, item in doc["paths"].items():
            names = set()
            for p in item.get("parameters", []):
                ref = p.get("$ref")
                p = doc["components"]["parameters"][ref.split("/")[-1]] if ref else p
                if p["in"] == "path":
                    names.add(p["name"])
            for segment in path.split("/"):
                if segment.startswith("{"):
                    self.assertIn(segment.strip("{}"), names, path)


if __name__ == "__main__":
    unittest.main()
