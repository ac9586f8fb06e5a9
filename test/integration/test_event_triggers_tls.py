"""Event triggers over TLS to RabbitMQ ([oslo_messaging_rabbit] ssl,
ssl_ca_file, ssl_cert_file, ssl_key_file, ssl_version; ?ssl=1 and amqps://
in transport_url, as oslo.messaging reads them): a private rabbitmq-server
with a TLS listener that requires a client certificate, the CA and the
certificates made by openssl in the test's temp folder
(test/support/rabbitmq_server.py RabbitMqServer(tls=True)).

Checked: Bora verifies the broker with the CA, shows its client
certificate, and a notification published (on the plain port) fires the
trigger; the same through the URL's query and through amqps://; a CA that
did not sign the broker's certificate, and a missing client certificate,
keep the listener disconnected, saying why; an unreadable file or an
unknown ssl_version refuses the start naming the option.

Skipped (exit 77) when rabbitmq-server, openssl or python3-amqp is missing,
or the bora under test was built without librabbitmq."""

import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from bora_server import BoraServer  # noqa: E402
import rabbitmq_server  # noqa: E402

WAIT = 30  # seconds: the longest any event may take to fire

WORKFLOW = """version: '2.0'
on_tls_event:
  tasks:
    t:
      action: std.echo output=<% execution().params.event_params %>
"""
EVENT = "compute.instance.create.end"


def setUpModule():
    rabbitmq_server.skip_unless_available(tls=True)


class EventTriggersTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mq = rabbitmq_server.RabbitMqServer(tls=True).start()
        cls.servers = []

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.cleanup()
        cls.mq.cleanup()

    def bora(self, url, rabbit="", expect_start=True):
        """A Bora listening on `url` with these [oslo_messaging_rabbit] lines."""
        conf = os.path.join(self.mq.tmp, "mistral-%d.conf" % len(self.servers))
        with open(conf, "w") as f:
            f.write("[DEFAULT]\ntransport_url = %s\n[event_engine]\ntrigger_refresh_interval = 1\n" % url)
            # Durable, as the publisher declares the exchange; reconnect fast.
            f.write("[oslo_messaging_rabbit]\namqp_durable_queues = true\nrabbit_retry_interval = 1\n"
                    "rabbit_retry_backoff = 1\nrabbit_interval_max = 2\n" + rabbit)
        server = BoraServer(["--config", conf])
        self.servers.append(server)
        try:
            server.start()
        except RuntimeError as e:
            if "built without librabbitmq" in server.logs() + str(e):
                print("skipped: this bora was built without librabbitmq")
                sys.exit(77)
            if expect_start:
                raise
            return server
        if not expect_start:
            self.fail("bora started with a configuration it should refuse:\n" + server.logs()[-3000:])
        return server

    def metric(self, server, name):
        status, text, _ = server.request("GET", "/metrics")
        self.assertEqual(200, status, text)
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    def wait_connected(self, server, bound=False):
        """Connected (and, when bound, its trigger's queue bound)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.metric(server, "bora_event_listener_connected") == 1 and (
                    not bound or (self.metric(server, "bora_event_listener_bindings") or 0) >= 5):
                return
            time.sleep(0.2)
        self.fail("the listener did not connect and bind over TLS\n" + server.logs()[-4000:])

    def fires(self, server, instance_id):
        status, body, _ = server.request("POST", "/v2/workflows", WORKFLOW, content_type="text/plain")
        self.assertEqual(201, status, body)
        wf_id = body["workflows"][0]["id"]
        status, trig, _ = server.request("POST", "/v2/event_triggers", {
            "name": "tls_" + instance_id, "workflow_id": wf_id, "exchange": "nova", "topic": "notifications",
            "event": EVENT})
        self.assertEqual(201, status, trig)
        self.wait_connected(server, bound=True)
        # Authentication off: triggers belong to Mistral's default project.
        rabbitmq_server.publish_notification(self.mq.port, EVENT, {"instance_id": instance_id},
                                             {"project_id": "<default-project>", "user_id": "u"})
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            status, body, _ = server.request("GET", "/v2/executions")
            self.assertEqual(200, status, body)
            for ex in body["executions"]:
                params = json.loads(ex["params"]) if isinstance(ex["params"], str) else ex["params"]
                if (params.get("event_params") or {}).get("project_id") == "<default-project>":
                    return ex
            time.sleep(0.2)
        self.fail("the notification fired nothing over TLS\n" + server.logs()[-4000:])

    def stop(self, server):
        server.cleanup()
        self.servers.remove(server)

    def url(self, host="localhost", scheme="rabbit", query=""):
        return "%s://guest:guest@%s:%d/%s" % (scheme, host, self.mq.tls_port, query)

    def certs(self, ca=None):
        return "ssl_ca_file = %s\nssl_cert_file = %s\nssl_key_file = %s\n" % (
            ca or self.mq.ca_file, self.mq.client_cert, self.mq.client_key)

    def test_1_verified_tls_with_a_client_certificate_fires(self):
        server = self.bora(self.url(), "ssl = true\nssl_version = TLSv1_2\n" + self.certs())
        self.fires(server, "i-tls")
        self.assertRegex(server.logs(), r"connected to RabbitMQ localhost:%d \(vhost /, TLS\)" % self.mq.tls_port)
        self.stop(server)

    def test_2_tls_from_the_url_query_and_amqps(self):
        server = self.bora(self.url(query="?ssl=1&ssl_ca_file=%s&ssl_cert_file=%s&ssl_key_file=%s"
                                    % (self.mq.ca_file, self.mq.client_cert, self.mq.client_key)))
        self.fires(server, "i-query")
        self.stop(server)
        # librabbitmq matches the URL's host with the certificate's DNS
        # names: an IP address connects with the host name left unchecked.
        server = self.bora(self.url(host="127.0.0.1"),
                           "ssl = true\nssl_enforce_hostname_verification = false\n" + self.certs())
        self.wait_connected(server)
        self.stop(server)
        server = self.bora(self.url(scheme="amqps"), self.certs())
        self.wait_connected(server)
        self.stop(server)

    def test_3_an_unverified_broker_or_no_client_certificate_never_connects(self):
        # The broker's certificate is not signed by this CA.
        server = self.bora(self.url(), "ssl = true\n" + self.certs(ca=self.mq.other_ca_file))
        # No client certificate: the broker refuses the handshake.
        bare = self.bora(self.url(), "ssl = true\nssl_ca_file = %s\n" % self.mq.ca_file)
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and not (
                "cannot connect over TLS" in server.logs() and "RabbitMQ localhost" in bare.logs()):
            time.sleep(0.2)
        for s in (server, bare):
            self.assertEqual(0, self.metric(s, "bora_event_listener_connected"), s.logs()[-3000:])
            self.assertNotIn("consuming notifications", s.logs())
        self.assertIn("cannot connect over TLS", server.logs())
        self.stop(server)
        self.stop(bare)

    def test_4_options_that_cannot_be_used_refuse_the_start(self):
        server = self.bora(self.url(), "ssl = true\nssl_ca_file = /nonexistent/ca.pem\n", expect_start=False)
        self.assertIn("ssl_ca_file = /nonexistent/ca.pem: cannot be read", server.logs())
        server = self.bora(self.url(), "ssl = true\nssl_version = SSLv3\n", expect_start=False)
        self.assertIn("ssl_version = SSLv3", server.logs())
        server = self.bora(self.url(), "ssl = true\nssl_cert_file = %s\n" % self.mq.client_cert, expect_start=False)
        self.assertIn("ssl_cert_file and ssl_key_file go together", server.logs())
        server = self.bora(self.url(query="?ssl=maybe"), expect_start=False)
        self.assertIn("?ssl=maybe is not a boolean", server.logs())

if __name__ == "__main__":
    unittest.main()
