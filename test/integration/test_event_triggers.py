"""Event triggers that fire (issue 16, part 4), on a real RabbitMQ: a private
rabbitmq-server on loopback (test/support/rabbitmq_server.py), notifications
published the way oslo.messaging's notifier publishes them (messagingv2
envelope, _context_* keys, a topic exchange, routing key <topic>.<priority>,
persistent, with publisher confirms) through Debian's python3-amqp.

Checked: a matching notification starts the trigger's workflow with its
input and params and the event in params.event_params (the event
definitions file's properties); other event types, other topics and other
projects' private triggers start nothing, public triggers fire for every
project; the same message delivered twice starts one execution; a crash of
Bora between the commit and the acknowledgement, a notification published
while Bora is down, and restarts of RabbitMQ (Bora stopped, then Bora
running) lose and double nothing; and the webhook route.

Skipped (exit 77) when rabbitmq-server or python3-amqp is missing, or the
bora under test was built without librabbitmq. About 45 s on a quiet
machine (100 s on a loaded one), most of it RabbitMQ's starts."""

import json
import os
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))

from bora_server import OPEN_ADMIN_RULES, BoraServer  # noqa: E402

import rabbitmq_server  # noqa: E402

WAIT = 30  # seconds: the longest any event may take to fire

WORKFLOW = """version: '2.0'
on_event:
  input:
    - greeting: none
  tasks:
    t:
      action: std.echo output=<% execution().params.event_params %>
      publish:
        seen: <% task().result %>
  output:
    event: <% $.seen %>
    greeting: <% $.greeting %>
    env_k: <% env().k %>
"""

# Mistral's event definitions file format: the last matching entry wins.
DEFINITIONS = """
- event_types: compute.instance.*
  properties:
    resource_id: <% $.payload.instance_id %>
    service: <% $.publisher %>
- event_types: [compute.instance.create.end, compute.instance.create.error]
  properties:
    resource_id: <% $.payload.instance_id %>
    project: <% $.context.project_id %>
    user: <% $.context.user_id %>
    service: <% $.publisher %>
"""

CREATE = "compute.instance.create.end"
DELETE = "compute.instance.delete.end"
RESIZE = "compute.instance.resize.end"
ATTACH = "compute.instance.volume.attach"


def setUpModule():
    rabbitmq_server.skip_unless_available()


class EventTriggersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.started = time.monotonic()
        cls.mq = rabbitmq_server.RabbitMqServer().start()
        cls.server = None
        try:
            cls.conf = os.path.join(cls.mq.tmp, "mistral.conf")
            defs = os.path.join(cls.mq.tmp, "event_definitions.yaml")
            with open(defs, "w") as f:
                f.write(DEFINITIONS)
            with open(cls.conf, "w") as f:
                f.write("[DEFAULT]\ntransport_url = %s\n" % cls.mq.url)
                # host and topic: Mistral's options for its own RPC server,
                # accepted and not used.
                f.write("[event_engine]\nevent_definitions_cfg_file = %s\nhost = 0.0.0.0\n" % defs)
                f.write("topic = mistral_event_engine\ntrigger_refresh_interval = 1\n")
                # Durable queues and persistent messages survive a broker
                # restart; reconnect fast in a test.
                f.write("[oslo_messaging_rabbit]\namqp_durable_queues = true\nrabbit_retry_interval = 1\n"
                        "rabbit_retry_backoff = 1\nrabbit_interval_max = 2\n")
            # Publicizing a trigger is admin-only in Mistral's policy.
            cls.server = BoraServer(["--config", cls.conf], policy=OPEN_ADMIN_RULES)
            cls.server.start()
        except RuntimeError as e:
            logs = cls.server.logs() if cls.server else ""
            if cls.server:
                cls.server.cleanup()
            cls.mq.cleanup()
            if "built without librabbitmq" in logs or "built without librabbitmq" in str(e):
                print("skipped: this bora was built without librabbitmq")
                sys.exit(77)
            raise
        except BaseException:
            if cls.server:
                cls.server.cleanup()
            cls.mq.cleanup()
            raise
        try:
            cls.set_up_triggers()
        except BaseException:
            # Nothing started here outlives a failed setup.
            cls.server.cleanup()
            cls.mq.cleanup()
            raise

    @classmethod
    def set_up_triggers(cls):
        # Two projects (X-Project-Id with authentication off), each with its
        # own workflow; alpha's private trigger, beta's private twin, and
        # beta's public trigger on another event.
        cls.wf = {}
        for project in ("alpha", "beta"):
            status, body, _ = cls.request(project, "POST", "/v2/workflows", WORKFLOW)
            assert status == 201, body
            cls.wf[project] = body["workflows"][0]["id"]
        cls.t_alpha = cls.trigger("alpha", "alpha_create", CREATE, workflow_input={"greeting": "hello"},
                                  workflow_params={"env": {"k": "from-trigger"}})
        cls.t_beta = cls.trigger("beta", "beta_create", CREATE)
        cls.t_public = cls.trigger("beta", "beta_public_delete", DELETE, scope="public")
        # Mistral's matching: the listener of the (exchange, topic) a
        # notification arrives on takes it when one of its triggers' events
        # matches (oslo's NotificationFilter: a regular expression matched
        # at the start), then every trigger of that event fires, whatever
        # its own exchange and topic.
        cls.t_resize_nova = cls.trigger("alpha", "resize_nova", RESIZE)
        cls.t_resize_glance = cls.trigger("alpha", "resize_glance", RESIZE, exchange="glance", topic="images")
        cls.t_volume_prefix = cls.trigger("alpha", "volume_prefix", "compute.instance.volume", exchange="cinder",
                                          topic="volumes")
        cls.t_attach = cls.trigger("alpha", "attach_versioned", ATTACH, topic="versioned")
        # Every (exchange, topic) is bound once its triggers are read: four
        # pairs with five priorities each.
        cls.wait_metric("bora_event_listener_bindings", lambda v: v >= 20)

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server:
                cls.server.cleanup()
        finally:
            cls.mq.cleanup()
        print("\n[event triggers: %.1f s]" % (time.monotonic() - cls.started), file=sys.stderr)

    # -- helpers --------------------------------------------------------------
    @classmethod
    def request(cls, project, method, path, body=None):
        return cls.server.request(method, path, body, headers={"X-Project-Id": project})

    @classmethod
    def trigger(cls, project, name, event, scope=None, workflow_input=None, workflow_params=None,
                exchange="nova", topic="notifications"):
        body = {"name": name, "workflow_id": cls.wf[project], "exchange": exchange, "topic": topic,
                "event": event}
        if scope:
            body["scope"] = scope
        if workflow_input is not None:
            body["workflow_input"] = workflow_input
        if workflow_params is not None:
            body["workflow_params"] = workflow_params
        status, got, _ = cls.request(project, "POST", "/v2/event_triggers", body)
        assert status == 201, got
        return got["id"]

    @classmethod
    def metric(cls, name):
        status, text, _ = cls.server.request("GET", "/metrics")
        assert status == 200, text
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return None

    @classmethod
    def wait_metric(cls, name, ok, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = cls.metric(name)
            if v is not None and ok(v):
                return v
            time.sleep(0.2)
        raise AssertionError("%s did not reach the expected value (last %r)\n%s"
                             % (name, cls.metric(name), cls.server.logs()[-4000:]))

    def publish(self, event_type, instance_id, project="alpha", message_id=None, exchange="nova",
                topic="notifications", priority="info"):
        return rabbitmq_server.publish_notification(
            self.mq.port, event_type, {"instance_id": instance_id, "state": "active"},
            {"project_id": project, "user_id": "u-" + project, "request_id": "req-" + instance_id,
             "roles": ["member"]},
            message_id=message_id, exchange=exchange, topic=topic, priority=priority)

    def executions(self, project):
        status, body, _ = self.request(project, "GET", "/v2/executions?limit=1000")
        self.assertEqual(200, status, body)
        return body["executions"]

    def fired_for(self, project, instance_id):
        out = []
        for ex in self.executions(project):
            params = ex.get("params")
            if isinstance(params, str):
                params = json.loads(params)
            ev = (params or {}).get("event_params") or {}
            if ev.get("resource_id") == instance_id:
                out.append(ex)
        return out

    def wait_fired(self, project, instance_id, count=1):
        deadline = time.monotonic() + WAIT
        got = []
        while time.monotonic() < deadline:
            got = self.fired_for(project, instance_id)
            if len(got) >= count:
                return got
            time.sleep(0.2)
        self.fail("%s: %d execution(s) for %s, expected %d\n%s"
                  % (project, len(got), instance_id, count, self.server.logs()[-6000:]))

    def settle(self):
        """Everything published before is applied: a marker published after
        it, on the same queue, has fired (one consumer, applied in order)."""
        marker = "marker-" + uuid.uuid4().hex[:8]
        self.publish(CREATE, marker, project="alpha")
        self.wait_fired("alpha", marker)

    def wait_done(self, project, ex_id):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            status, ex, _ = self.request(project, "GET", "/v2/executions/" + ex_id)
            self.assertEqual(200, status, ex)
            if ex["state"] not in ("RUNNING", "IDLE"):
                return ex
            time.sleep(0.1)
        self.fail("execution %s did not finish" % ex_id)

    # -- the tests (in name order: the restarts come last) --------------------
    def test_1_matching_notification_fires_with_the_event(self):
        type(self).first_message_id = self.publish(CREATE, "i-1", project="alpha")
        [ex] = self.wait_fired("alpha", "i-1")
        done = self.wait_done("alpha", ex["id"])
        self.assertEqual("SUCCESS", done["state"], done)
        event = {"resource_id": "i-1", "project": "alpha", "user": "u-alpha", "service": "compute.host1"}
        params = json.loads(done["params"]) if isinstance(done["params"], str) else done["params"]
        self.assertEqual(event, params["event_params"])
        self.assertEqual({"k": "from-trigger"}, params["env"])  # the trigger's workflow_params
        output = json.loads(done["output"]) if isinstance(done["output"], str) else done["output"]
        self.assertEqual({"event": event, "greeting": "hello", "env_k": "from-trigger"}, output)
        # Mistral's description, as its json.dumps writes it.
        self.assertEqual(json.dumps({"description": "Workflow execution created by event trigger '(%s)'."
                                     % self.t_alpha,
                                     "triggered_by": {"type": "event_trigger", "id": self.t_alpha,
                                                      "name": "alpha_create"}}),
                         done["description"])
        # beta's private trigger on the same event did not fire for alpha's event.
        self.settle()
        self.assertEqual([], self.fired_for("beta", "i-1"))
        self.assertGreaterEqual(self.metric("bora_event_trigger_firings_total"), 1)

    def test_2_what_does_not_match_fires_nothing(self):
        self.publish("compute.instance.update", "i-nomatch-type")          # another event type
        self.publish(CREATE, "i-nomatch-topic", topic="versioned")          # a topic no trigger has
        self.publish(CREATE, "i-nomatch-exchange", exchange="glance")      # an exchange no trigger has
        self.publish(CREATE, "i-gamma", project="gamma")                   # a project with no trigger
        self.publish(CREATE, "i-error-priority", priority="error")        # another priority: still fires
        self.settle()
        for project in ("alpha", "beta"):
            for iid in ("i-nomatch-type", "i-nomatch-topic", "i-nomatch-exchange", "i-gamma"):
                self.assertEqual([], self.fired_for(project, iid), (project, iid))
        self.assertEqual(1, len(self.fired_for("alpha", "i-error-priority")))

    def test_3_other_projects_triggers_and_public_ones(self):
        # beta's own event fires beta's private trigger, not alpha's.
        self.publish(CREATE, "i-beta", project="beta")
        [ex] = self.wait_fired("beta", "i-beta")
        self.assertEqual("beta", ex["project_id"])
        # A public trigger fires for any project's event, in its owner's project.
        self.publish(DELETE, "i-del", project="alpha")
        [pub] = self.wait_fired("beta", "i-del")
        self.assertEqual("beta", pub["project_id"])
        self.settle()
        self.assertEqual([], self.fired_for("alpha", "i-beta"))
        self.assertEqual([], self.fired_for("alpha", "i-del"))

    def test_4_a_message_delivered_twice_starts_one_execution(self):
        mid = str(uuid.uuid4())
        self.publish(CREATE, "i-twice", message_id=mid)
        self.publish(CREATE, "i-twice", message_id=mid)
        self.wait_fired("alpha", "i-twice")
        self.settle()
        self.assertEqual(1, len(self.fired_for("alpha", "i-twice")))

    def test_4b_every_trigger_of_the_event_fires_whatever_its_topic(self):
        # On nova/notifications: resize_nova's listener takes it, and
        # resize_glance (glance/images) fires too.
        self.publish(RESIZE, "i-resize")
        fired = self.wait_fired("alpha", "i-resize", count=2)
        by = sorted(json.loads(ex["description"])["triggered_by"]["name"] for ex in fired)
        self.assertEqual(["resize_glance", "resize_nova"], by)
        # On cinder/volumes, whose only trigger's event is
        # "compute.instance.volume": that listener's filter does not take a
        # resize, so nothing fires, although two triggers wait for it.
        self.publish(RESIZE, "i-resize-cinder", exchange="cinder", topic="volumes")
        # It takes compute.instance.volume.attach (the filter matches at the
        # start, as Python's re.match): attach_versioned (nova/versioned)
        # fires, the event being exactly its own.
        self.publish(ATTACH, "i-attach", exchange="cinder", topic="volumes")
        [ex] = self.wait_fired("alpha", "i-attach")
        self.assertEqual("attach_versioned", json.loads(ex["description"])["triggered_by"]["name"])
        self.settle()
        self.assertEqual([], self.fired_for("alpha", "i-resize-cinder"))
        self.assertEqual(2, len(self.fired_for("alpha", "i-resize")))
        self.assertEqual(1, len(self.fired_for("alpha", "i-attach")))

    def test_4c_a_message_delivered_after_its_execution_was_deleted_starts_nothing(self):
        mid = str(uuid.uuid4())
        self.publish(CREATE, "i-deleted", message_id=mid)
        [ex] = self.wait_fired("alpha", "i-deleted")
        self.wait_done("alpha", ex["id"])
        status, body, _ = self.request("alpha", "DELETE", "/v2/executions/" + ex["id"])
        self.assertEqual(204, status, body)
        self.assertEqual([], self.fired_for("alpha", "i-deleted"))
        self.publish(CREATE, "i-deleted", message_id=mid)
        self.settle()
        self.assertEqual([], self.fired_for("alpha", "i-deleted"))
        self.assertIn("message %s was delivered again; execution %s has it already" % (mid, ex["id"]),
                      self.server.logs())
        # The webhook's message ids are remembered the same way.
        path = "/v2/event_triggers/%s/events" % self.t_alpha
        status, first, _ = self.request("alpha", "POST", path,
                                        {"payload": {"instance_id": "w-deleted"}, "message_id": "hook-deleted"})
        self.assertEqual(201, status, first)
        self.wait_done("alpha", first["workflow_execution_id"])
        status, body, _ = self.request("alpha", "DELETE", "/v2/executions/" + first["workflow_execution_id"])
        self.assertEqual(204, status, body)
        status, again, _ = self.request("alpha", "POST", path,
                                        {"payload": {"instance_id": "w-deleted"}, "message_id": "hook-deleted"})
        self.assertEqual(200, status, again)
        self.assertTrue(again["repeated"])
        self.assertEqual(first["workflow_execution_id"], again["workflow_execution_id"])
        self.assertEqual([], self.fired_for("alpha", "w-deleted"))

    def test_5_webhook(self):
        path = "/v2/event_triggers/%s/events" % self.t_alpha
        status, body, _ = self.request("alpha", "POST", path,
                                       {"payload": {"instance_id": "w-1"}, "message_id": "hook-1"})
        self.assertEqual(201, status, body)
        self.assertEqual({"event_trigger_id", "message_id", "workflow_execution_id", "repeated"}, set(body))
        self.assertFalse(body["repeated"])
        done = self.wait_done("alpha", body["workflow_execution_id"])
        params = json.loads(done["params"]) if isinstance(done["params"], str) else done["params"]
        self.assertEqual({"resource_id": "w-1", "project": "alpha", "user": None, "service": "webhook"},
                         params["event_params"])
        # The same message_id again: the same execution, nothing new.
        status, again, _ = self.request("alpha", "POST", path,
                                        {"payload": {"instance_id": "w-1"}, "message_id": "hook-1"})
        self.assertEqual(200, status, again)
        self.assertTrue(again["repeated"])
        self.assertEqual(body["workflow_execution_id"], again["workflow_execution_id"])
        self.assertEqual(1, len(self.fired_for("alpha", "w-1")))
        # Refusals: another project's private trigger is not even visible;
        # an event_type that is not the trigger's; unknown attributes.
        status, err, _ = self.request("beta", "POST", path, {"payload": {}})
        self.assertEqual(404, status, err)
        status, err, _ = self.request("alpha", "POST", path, {"event_type": DELETE})
        self.assertEqual(400, status, err)
        self.assertIn("is not the event of trigger", err["faultstring"])
        status, err, _ = self.request("alpha", "POST", path, {"bogus": 1})
        self.assertEqual(400, status, err)
        self.assertIn("bogus", err["faultstring"])
        status, err, _ = self.request("alpha", "POST", "/v2/event_triggers/%s/events" % uuid.uuid4(), {})
        self.assertEqual(404, status, err)
        # A public trigger fires for another project's webhook call, in its
        # owner's project.
        status, pub, _ = self.request("alpha", "POST", "/v2/event_triggers/%s/events" % self.t_public,
                                      {"payload": {"instance_id": "w-pub"}})
        self.assertEqual(201, status, pub)
        self.assertEqual(1, len(self.wait_fired("beta", "w-pub")))

    def test_6_restarts_of_bora_and_rabbitmq_lose_and_double_nothing(self):
        # Bora dies after committing the execution of "i-crash" and before
        # acknowledging it (BORA_TEST_EXIT_BEFORE_EVENT_ACK).
        self.server.stop()
        self.server.env["BORA_TEST_EXIT_BEFORE_EVENT_ACK"] = "1"
        self.server.start()
        self.wait_metric("bora_event_listener_bindings", lambda v: v >= 20)
        self.publish(CREATE, "i-crash")
        self.server.proc.wait(timeout=WAIT)
        self.assertEqual(3, self.server.proc.returncode, self.server.logs()[-3000:])
        self.server.stop()
        del self.server.env["BORA_TEST_EXIT_BEFORE_EVENT_ACK"]
        # Published while Bora is down; then RabbitMQ restarts (durable
        # queue, persistent messages): both are still there.
        self.publish(CREATE, "i-while-down")
        self.mq.restart()
        self.server.start()
        self.wait_fired("alpha", "i-while-down")
        self.settle()
        self.assertEqual(1, len(self.fired_for("alpha", "i-crash")))  # redelivered, recognised:
        self.assertRegex(self.server.logs(), r"message \S+ was delivered again; execution \S+ has it already")
        self.assertEqual(1, len(self.fired_for("alpha", "i-while-down")))
        # RabbitMQ goes away under a running Bora: it reconnects (bounded
        # backoff) and goes on.
        self.mq.stop()
        self.wait_metric("bora_event_listener_connected", lambda v: v == 0)
        self.mq.start()
        self.wait_metric("bora_event_listener_connected", lambda v: v == 1)
        self.wait_metric("bora_event_listener_bindings", lambda v: v >= 20)
        self.publish(CREATE, "i-after-reconnect")
        self.wait_fired("alpha", "i-after-reconnect")
        self.settle()
        for iid in ("i-1", "i-twice", "i-crash", "i-while-down", "i-after-reconnect"):
            self.assertEqual(1, len(self.fired_for("alpha", iid)), iid)
        logs = self.server.logs()
        self.assertIn("reconnecting in", logs)


if __name__ == "__main__":
    unittest.main()
