#!/usr/bin/python3
"""Freezes how Mistral 15's API answers cross-origin requests (oslo.middleware's
CORS filter around the application, configured by [cors]), HEAD and OPTIONS,
and the links it writes behind a reverse proxy ([oslo_middleware]
enable_proxy_headers_parsing).

    /usr/bin/python3 scripts/gen_cors_cases.py

Runs the real Mistral's application in-process (its engine test base, as
scripts/gen_content_negotiation_cases.py) once per configuration below and
writes test/data/api/cors.json, which test/integration/test_cors.py replays
against `bora server` started with the same options."""

import json
import os
import sys
import unittest
import warnings

warnings.filterwarnings("ignore")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "test", "data", "api", "cors.json")

DASH = "https://dash.example.com"
PREFLIGHT = [("GET", None), ("DELETE", None), ("TRACE", None), ("PUT", "X-Auth-Token, content-type"),
             ("POST", "X-Project-Id,X-Bogus"), ("PATCH", " accept , ,x-roles ")]
REQUESTS = []  # (method, path, headers)
for origin in [None, DASH, "https://other.example.com", "http://dash.example.com"]:
    o = {} if origin is None else {"Origin": origin}
    REQUESTS += [
        ("GET", "/v2/workflows", o),
        ("GET", "/v2/no_such_collection", dict(o, Accept="application/json")),
        ("GET", "/", dict(o, Accept="application/json")),
        ("HEAD", "/", o),
        ("HEAD", "/v2/workflows", o),
        ("OPTIONS", "/v2/workflows", o),
        ("OPTIONS", "/v2/no_such_collection", o),
        ("OPTIONS", "/", o),
    ]
    for method, asked in PREFLIGHT:
        h = dict(o, **{"Access-Control-Request-Method": method})
        if asked is not None:
            h["Access-Control-Request-Headers"] = asked
        REQUESTS.append(("OPTIONS", "/v2/executions", h))
PROXIED = [
    ("GET", "/v2", {"Accept": "application/json", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com"}),
    ("GET", "/", {"Accept": "application/json", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com:8443",
                  "X-Forwarded-Prefix": "/workflow"}),
    ("GET", "/v2/", {"Accept": "application/json", "Forwarded": "for=192.0.2.60;proto=https;host=a.example.com, "
                                                                "for=10.0.0.1;proto=http;host=b"}),
    ("GET", "/", {"Accept": "application/json", "Forwarded": "For=\"x\";Proto=https", "X-Forwarded-Host": "ignored"}),
    ("GET", "/v2/workflows?limit=1", {"Accept": "application/json", "X-Forwarded-Proto": "https"}),
]
CONFIGS = [
    {"name": "one origin", "cors": {"allowed_origin": [DASH, "http://localhost:3000"]}, "requests": REQUESTS},
    {"name": "any origin, no credentials, no cache",
     "cors": {"allowed_origin": ["*"], "allow_credentials": False, "max_age": 0,
              "expose_headers": ["X-Request-Id"], "allow_methods": ["GET", "TRACE"], "allow_headers": ["X-Bogus"]},
     "requests": [r for r in REQUESTS if r[2].get("Origin") in (None, DASH)]},
    {"name": "behind a proxy", "oslo_middleware": {"enable_proxy_headers_parsing": True},
     "requests": PROXIED + [("POST", "/v2/workflows", {"Content-Type": "text/plain"})]},
    {"name": "proxy headers ignored", "requests": PROXIED},
]

WF = "version: '2.0'\ncors_wf:\n  tasks:\n    t:\n      action: std.noop\n"
WF2 = WF.replace("cors_wf", "cors_wf2")

# What the test compares: these response headers (others differ between
# servers for reasons of their own: Server, Date, Content-Length of bodies
# that carry ids).
HEADERS = ["Content-Type", "Vary", "Location", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
           "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Access-Control-Allow-Methods",
           "Access-Control-Allow-Headers", "Allow"]


def main():
    sys.argv = sys.argv[:1]
    import pecan
    import pecan.testing
    from unittest import mock
    from mistral.api import app as pecan_app
    from mistral.services import periodic
    from mistral.tests.unit.engine import base
    from mistral.tests.unit.mstrlfixtures import policy_fixtures

    out = []

    class Record(base.EngineTestCase):
        def test_record(self):
            from oslo_config import cfg
            from oslo_middleware import cors, http_proxy_to_wsgi
            opts = {"cors": cors.CORS_OPTS, "oslo_middleware": http_proxy_to_wsgi.OPTS}
            for group, group_opts in opts.items():
                cfg.CONF.register_opts(group_opts, group)
            for config in CONFIGS:
                for group, group_opts in opts.items():  # each configuration from the defaults
                    for opt in group_opts:
                        cfg.CONF.clear_override(opt.name, group)
                    for k, v in config.get(group, {}).items():
                        self.override_config(k, v, group=group)
                self.override_config("auth_enable", False, group="pecan")
                self.override_config("enabled", False, group="cron_trigger")
                app = pecan.testing.load_test_app(dict(pecan_app.get_pecan_config()))
                p = mock.patch("mistral.context.MistralContext.from_environ")
                p.start().return_value = self.ctx
                self.useFixture(policy_fixtures.PolicyFixture())
                cases = []
                app.post("/v2/workflows", params=WF.encode(), content_type="text/plain", expect_errors=True)
                for method, path, headers in config["requests"]:
                    kw = {"expect_errors": True, "headers": dict(headers)}
                    body = None
                    if method == "POST":
                        body = WF2
                        kw["params"] = body.encode()
                        kw["content_type"] = headers["Content-Type"]
                        kw["headers"].pop("Content-Type")
                    if method == "OPTIONS":
                        r = app.options(path, **kw)
                    elif method == "HEAD":
                        r = app.head(path, **kw)
                    else:
                        r = getattr(app, method.lower())(path, **kw)
                    cases.append({"method": method, "path": path, "headers": headers, "body": body,
                                  "status": r.status_int,
                                  "response_headers": {h: r.headers[h] for h in HEADERS if h in r.headers},
                                  "response": r.body.decode("utf-8", "replace")})
                p.stop()
                app.delete("/v2/workflows/cors_wf", expect_errors=True)
                app.delete("/v2/workflows/cors_wf2", expect_errors=True)
                out.append({"name": config["name"], "cors": config.get("cors", {}),
                            "oslo_middleware": config.get("oslo_middleware", {}), "cases": cases})
            periodic.stop_all_periodic_tasks()

    result = unittest.TextTestRunner(verbosity=0).run(unittest.TestLoader().loadTestsFromTestCase(Record))
    if not result.wasSuccessful():
        sys.exit(1)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote %d configurations, %d cases to %s" % (len(out), sum(len(c["cases"]) for c in out), OUT))


if __name__ == "__main__":
    main()
