#!/usr/bin/python3
"""A tiny stand-in for a compute API, for examples/create_vm.yaml: on
loopback only, standard library only.

  POST   /servers                 -> 201 {"id", "name", "status": "BUILD"}
  GET    /servers/ID              -> 200 {"id", "status"}: BUILD twice, then ACTIVE
  POST   /floating_ips            -> 201 {"ip": "192.0.2.10"}
  PUT    /servers/ID/floating_ip  -> 200 {"id", "floating_ip"}
  DELETE /servers/ID              -> 204

Usage: stub_cloud.py [PORT]   (default 8999; 0 picks a free port, printed)"""
import json
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVERS = {}


class Cloud(BaseHTTPRequestHandler):
    def reply(self, status, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def do_POST(self):
        if self.path == "/servers":
            req = self.body()
            sid = str(uuid.uuid4())
            SERVERS[sid] = {"id": sid, "name": req.get("name"), "status": "BUILD", "polls": 0}
            return self.reply(201, {k: v for k, v in SERVERS[sid].items() if k != "polls"})
        if self.path == "/floating_ips":
            return self.reply(201, {"ip": "192.0.2.10"})
        self.reply(404, {"error": "no such resource"})

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "servers" and parts[1] in SERVERS:
            s = SERVERS[parts[1]]
            s["polls"] += 1
            if s["polls"] > 2:
                s["status"] = "ACTIVE"
            return self.reply(200, {"id": s["id"], "status": s["status"]})
        self.reply(404, {"error": "no such server"})

    def do_PUT(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "servers" and parts[1] in SERVERS and parts[2] == "floating_ip":
            return self.reply(200, {"id": parts[1], "floating_ip": self.body().get("ip")})
        self.reply(404, {"error": "no such server"})

    def do_DELETE(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "servers" and SERVERS.pop(parts[1], None):
            return self.reply(204)
        self.reply(404, {"error": "no such server"})

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 8999), Cloud)
    print("stub cloud on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()
