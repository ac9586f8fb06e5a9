"""OpenID Connect ([auth] auth_type = keycloak-oidc) against a small issuer
this test runs on loopback: it publishes Keycloak's paths (discovery and the
realm's JWKS) and signs tokens with keys it generates (python3-cryptography).
Bora verifies them locally: the realm is the project, realm_access.roles
the roles; expired tokens, another audience, forged signatures and missing
tokens are 401; a rotated key is fetched once; policy applies to the
token's roles; an unreachable issuer is 503."""

import base64
import json
import os
import shutil
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bora_server import BoraServer

try:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
except ImportError:  # pragma: no cover
    rsa = None

WF = """version: '2.0'
%s:
  tasks:
    t:
      action: std.noop
"""


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_bytes(n, length=None):
    return n.to_bytes(length or (n.bit_length() + 7) // 8, "big")


class Key:
    def __init__(self, kid, alg="RS256"):
        self.kid, self.alg = kid, alg
        if alg == "RS256":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self.private = ec.generate_private_key(ec.SECP256R1())

    def jwk(self):
        pub = self.private.public_key().public_numbers()
        if self.alg == "RS256":
            return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": b64url(int_bytes(pub.n)),
                    "e": b64url(int_bytes(pub.e))}
        return {"kty": "EC", "crv": "P-256", "use": "sig", "kid": self.kid, "x": b64url(int_bytes(pub.x, 32)),
                "y": b64url(int_bytes(pub.y, 32))}

    def sign(self, claims):
        header = {"alg": self.alg, "typ": "JWT", "kid": self.kid}
        data = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
        if self.alg == "RS256":
            sig = self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        else:
            r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
            sig = int_bytes(r, 32) + int_bytes(s, 32)
        return data.decode() + "." + b64url(sig)


class Issuer:
    """Keycloak's URLs for any realm: /realms/<realm>/.well-known/... and
    /realms/<realm>/protocol/openid-connect/certs."""

    def __init__(self):
        self.keys = []
        self.fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = self.path.split("/")
                if len(parts) < 3 or parts[1] != "realms":
                    self.send_error(404)
                    return
                realm = parts[2]
                base = "%s/realms/%s" % (issuer.url, realm)
                if self.path.endswith("/.well-known/openid-configuration"):
                    body = {"issuer": base, "jwks_uri": base + "/protocol/openid-connect/certs"}
                elif self.path.endswith("/protocol/openid-connect/certs"):
                    issuer.fetches += 1
                    body = {"keys": [k.jwk() for k in issuer.keys]}
                else:
                    self.send_error(404)
                    return
                raw = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def token(self, key, realm="tenant-a", roles=("member",), exp_in=300, aud="bora", **extra):
        claims = {"iss": "%s/realms/%s" % (self.url, realm), "sub": "user-" + realm, "aud": aud,
                  "preferred_username": "alice", "realm_access": {"roles": list(roles)},
                  "iat": int(time.time()), "exp": int(time.time()) + exp_in}
        claims.update(extra)
        return key.sign(claims)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@unittest.skipIf(rsa is None, "python3-cryptography is not installed (scripts/install-deps.sh --with-test)")
class OidcTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.issuer = Issuer()
        cls.key = Key("key-1")
        cls.issuer.keys = [cls.key, Key("ec-1", "ES256")]
        cls.dir = tempfile.mkdtemp(prefix="bora-oidc-")
        conf = os.path.join(cls.dir, "bora.conf")
        with open(conf, "w") as f:
            f.write("[pecan]\nauth_enable = true\n[auth]\nauth_type = keycloak-oidc\n"
                    "[keycloak_oidc]\nauth_url = %s\naudience = bora\nleeway = 5\njwks_refetch_interval = 1\n"
                    % cls.issuer.url)
        cls.server = BoraServer(["--config", conf]).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.issuer.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def call(self, method, path, token=None, body=None, headers=None, content_type=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        return self.server.request(method, path, body, content_type=content_type, headers=h)

    def assertUnauthorized(self, result, contains):
        status, body, headers = result
        self.assertEqual(401, status, body)
        self.assertIn("Failed to validate access token", body["faultstring"])
        self.assertIn(contains, body["faultstring"])
        self.assertIn("Bearer", headers.get("WWW-Authenticate", ""))

    def test_public_paths_and_missing_token(self):
        self.assertEqual(200, self.call("GET", "/")[0])
        self.assertEqual(200, self.call("GET", "/v2/")[0])
        self.assertUnauthorized(self.call("GET", "/v2/workflows"), "Auth token must be provided")
        # Forged identity headers alone are nothing.
        self.assertUnauthorized(self.call("GET", "/v2/workflows", headers={"X-Project-Id": "tenant-a",
                                                                            "X-Roles": "admin"}), "Auth token")

    def test_token_is_the_identity(self):
        token = self.issuer.token(self.key, "tenant-a")
        status, body, _ = self.call("POST", "/v2/workflows", token, WF % "oidc_wf", {"X-Project-Id": "tenant-b"},
                                    "text/plain")
        self.assertEqual(201, status, body)
        self.assertEqual("tenant-a", body["workflows"][0]["project_id"])  # the realm, not the header
        # Mistral's X-Auth-Token carries the token as well; ES256 tokens too.
        es = self.issuer.token(self.issuer.keys[1], "tenant-a")
        status, body, _ = self.server.request("GET", "/v2/workflows/oidc_wf", headers={"X-Auth-Token": es})
        self.assertEqual(200, status, body)
        # Another realm is another project.
        other = self.issuer.token(self.key, "tenant-b")
        self.assertEqual(404, self.call("GET", "/v2/workflows/oidc_wf", other)[0])

    def test_roles_feed_the_policy(self):
        member = self.issuer.token(self.key, "tenant-a", roles=["member"])
        admin = self.issuer.token(self.key, "tenant-a", roles=["member", "admin"])
        status, body, _ = self.call("GET", "/v2/executions?all_projects=true", member)
        self.assertEqual(403, status, body)
        self.assertEqual(200, self.call("GET", "/v2/executions?all_projects=true", admin)[0])
        # X-Roles from the client does not make a member an admin.
        self.assertEqual(403, self.call("GET", "/v2/executions?all_projects=true", member,
                                        headers={"X-Roles": "admin"})[0])

    def test_bad_tokens(self):
        self.assertUnauthorized(self.call("GET", "/v2/workflows", self.issuer.token(self.key, exp_in=-120)),
                                "expired")
        self.assertUnauthorized(self.call("GET", "/v2/workflows", self.issuer.token(self.key, aud="other")),
                                "not meant for bora")
        self.assertUnauthorized(self.call("GET", "/v2/workflows",
                                          self.issuer.token(self.key, nbf=int(time.time()) + 600)), "nbf")
        forged = Key("key-1")  # the same kid, not the issuer's key
        self.assertUnauthorized(self.call("GET", "/v2/workflows", self.issuer.token(forged)), "does not verify")
        self.assertUnauthorized(self.call("GET", "/v2/workflows", "not-a-jwt"), "not a JWT")
        token = self.issuer.token(self.key)
        header, payload, sig = token.split(".")
        none = b64url(json.dumps({"alg": "none", "kid": "key-1"}).encode()) + "." + payload + "."
        self.assertUnauthorized(self.call("GET", "/v2/workflows", none), "'none'")

    def test_key_rotation(self):
        realm = "rotating"
        old = self.key
        self.assertEqual(200, self.call("GET", "/v2/workflows", self.issuer.token(old, realm))[0])
        before = self.issuer.fetches
        # The issuer rotates: a token with the new kid makes Bora read the
        # keys again, once.
        new = Key("key-2")
        self.issuer.keys = [new, self.issuer.keys[1]]
        try:
            time.sleep(1.1)  # [keycloak_oidc] jwks_refetch_interval = 1
            self.assertEqual(200, self.call("GET", "/v2/workflows", self.issuer.token(new, realm))[0])
            self.assertEqual(before + 1, self.issuer.fetches)
            for _ in range(5):
                self.assertEqual(200, self.call("GET", "/v2/workflows", self.issuer.token(new, realm))[0])
            self.assertEqual(before + 1, self.issuer.fetches)
            # A flood of unknown kids within the interval fetches nothing more.
            stranger = Key("k")
            for i in range(20):
                stranger.kid = "unknown-%d" % i
                self.assertEqual(401, self.call("GET", "/v2/workflows", self.issuer.token(stranger, realm))[0])
            self.assertLessEqual(self.issuer.fetches, before + 2)
        finally:
            self.issuer.keys = [old, self.issuer.keys[1]]


@unittest.skipIf(rsa is None, "python3-cryptography is not installed (scripts/install-deps.sh --with-test)")
class IssuerDownTest(unittest.TestCase):
    def test_unreachable_issuer_is_503(self):
        issuer = Issuer()
        key = Key("key-1")
        issuer.keys = [key]
        token = issuer.token(key)
        issuer.stop()  # its port is closed now
        d = tempfile.mkdtemp(prefix="bora-oidc-")
        conf = os.path.join(d, "bora.conf")
        with open(conf, "w") as f:
            f.write("[api]\nauth_enable = true\n[auth]\nauth_type = keycloak-oidc\n"
                    "[keycloak_oidc]\nauth_url = %s\nfetch_timeout = 2\n" % issuer.url)
        server = BoraServer(["--config", conf]).start()
        try:
            status, body, _ = server.request("GET", "/v2/workflows", headers={"Authorization": "Bearer " + token})
            self.assertEqual(503, status, body)
            self.assertIn("Failed to validate access token", body["faultstring"])
        finally:
            server.cleanup()
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
