"""200 concurrent clients listing and creating executions against one
server for a while (BORA_LOAD_SECONDS, default 60): no request may fail,
and every execution the server acknowledged (201) must exist and succeed.
Loopback only; every loop is bounded by the clock."""
import json
import os
import threading
import time
import unittest

from bora_server import BoraServer

CLIENTS = 200
SECONDS = float(os.environ.get("BORA_LOAD_SECONDS", "60"))
WF = """
version: '2.0'
load_wf:
  tasks:
    a:
      action: std.noop
      on-success: [b]
    b:
      action: std.echo output=<% 1 + 1 %>
"""


class LoadTest(unittest.TestCase):
    def test_200_clients_list_and_create(self):
        server = BoraServer(extra_args=["--log-level", "warning"],
                            env={"BORA_API_WORKERS": "4"}).start()
        try:
            self.assertEqual(201, server.request("POST", "/v2/workflows", WF)[0])
            created, errors = [], []
            lock = threading.Lock()
            stop_at = time.time() + SECONDS

            def client(n):
                i = 0
                while time.time() < stop_at:
                    i += 1
                    try:
                        if i % 2:
                            status, body, _ = server.request("POST", "/v2/executions",
                                                             {"workflow_name": "load_wf"})
                            if status == 201:
                                with lock:
                                    created.append(body["id"])
                                continue
                        else:
                            status, body, _ = server.request("GET", "/v2/executions?limit=20&fields=id,state")
                            if status == 200 and isinstance(body, dict) and "executions" in body:
                                continue
                        with lock:
                            errors.append((status, str(body)[:200]))
                    except Exception as e:  # a refused or reset connection is a failure too
                        with lock:
                            errors.append(("exception", repr(e)[:200]))

            threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=SECONDS + 120)
            self.assertEqual([], errors[:10], "%d failed requests" % len(errors))
            self.assertGreater(len(created), CLIENTS)

            # Nothing acknowledged is lost: every created execution succeeds.
            wanted = set(created)
            deadline = time.time() + 120
            done = set()
            while time.time() < deadline and done != wanted:
                marker, done = None, set()
                while True:  # page through every successful execution
                    q = "/v2/executions?state=SUCCESS&fields=id&limit=1000"
                    status, body, _ = server.request("GET", q + ("&marker=" + marker if marker else ""))
                    self.assertEqual(200, status, body)
                    page = [e["id"] for e in body["executions"]]
                    done.update(page)
                    if len(page) < 1000:
                        break
                    marker = page[-1]
                time.sleep(0.5)
            self.assertEqual(set(), wanted - done, "acknowledged executions that did not succeed")
            print("\n%d executions created by %d clients in %.0f s, all succeeded" % (len(created), CLIENTS, SECONDS))
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
