"""A slow action run with run_sync does not hold other requests: handlers
hand their work to the engine and answer when it is done (docs/API.md), so
40 concurrent run_sync std.sleep requests on a server with 4 handler
threads leave GET /v2/workflows answering at once, and the sleeps run side
by side on the executor pool. (When handlers waited for the action, the
4 handler threads were taken by the first 4 sleeps: every other request
queued behind them.)"""

import threading
import time
import unittest

from bora_server import BoraServer

SLEEP = 3  # seconds each action sleeps
CLIENTS = 40


class NonBlockingApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = BoraServer(("--log-level", "warning"), env={
            "BORA_API_HANDLER_THREADS": "4",
            "BORA_EXECUTOR_THREADS": str(CLIENTS),
        }).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_slow_run_sync_actions_do_not_hold_other_requests(self):
        results = [None] * CLIENTS
        answered_at = [None] * CLIENTS

        def run(i):
            params = {"run_sync": True, "save_result": i % 2 == 0}
            results[i] = self.server.request("POST", "/v2/action_executions", {
                "name": "std.sleep", "input": {"seconds": SLEEP}, "params": params})
            answered_at[i] = time.monotonic()

        started = time.monotonic()
        threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # the sleeps are in flight

        for _ in range(5):
            before = time.monotonic()
            status, body, _ = self.server.request("GET", "/v2/workflows")
            took = time.monotonic() - before
            self.assertEqual(200, status, body)
            self.assertLess(took, 1.0, "GET /v2/workflows waited %.2f s behind the sleeping actions" % took)
        self.assertTrue(all(a is None for a in answered_at),
                        "a sleep answered before the GETs were done: the test proves nothing")

        for t in threads:
            t.join(timeout=60)
        for i, (status, body, _) in enumerate(results):
            self.assertEqual(201, status, body)
            self.assertEqual("SUCCESS", body["state"], body)
            if i % 2 == 0:  # save_result: stored, and readable
                self.assertIsNotNone(body["id"])
                status, stored, _ = self.server.request("GET", "/v2/action_executions/" + body["id"])
                self.assertEqual(200, status, stored)
                self.assertEqual("SUCCESS", stored["state"])
            else:
                self.assertIsNone(body["id"])
        # All ran at once on the executor pool, not 4 at a time.
        last = max(answered_at) - started
        self.assertLess(last, SLEEP * 3, "40 sleeps of %d s took %.1f s" % (SLEEP, last))


if __name__ == "__main__":
    unittest.main()
