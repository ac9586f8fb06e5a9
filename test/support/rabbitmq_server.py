#!/usr/bin/env python3
"""A private RabbitMQ broker for tests: Debian's rabbitmq-server (its system
service is not used) on a loopback port, with its own epmd on a loopback
port, its node name, config, mnesia, log and cookie in a temp folder; both
stopped by their pids. Every wait is bounded.

    with RabbitMqServer() as mq:
        mq.url            # rabbit://guest:guest@127.0.0.1:PORT/
        mq.restart()      # stop (SIGTERM, then SIGKILL) and start again, same data
        mq.stop(); mq.start()

    RabbitMqServer(tls=True)  # also a TLS listener (mq.tls_port), with a CA,
                              # a server and a client certificate made by
                              # openssl in the temp folder (mq.ca_file,
                              # mq.client_cert, mq.client_key); the broker
                              # requires the client's certificate

RabbitMqUnavailable is raised when rabbitmq-server or epmd is not
installed (the tests then exit 77, CTest's skip code).
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mariadb_server import free_port  # noqa: E402  (one loopback port finder for the support servers)

START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


class RabbitMqUnavailable(Exception):
    pass


class RabbitMqServer:
    def __init__(self, tls=False):
        self.epmd = shutil.which("epmd", path="/usr/bin:/usr/lib/erlang/bin:" + os.environ.get("PATH", ""))
        if not (os.path.exists(SERVER) and self.epmd):
            raise RabbitMqUnavailable(
                "rabbitmq-server (and its epmd) is not installed (apt-get install rabbitmq-server; "
                "scripts/install-deps.sh --with-test does)")
        self.tmp = tempfile.mkdtemp(prefix="bora-rabbitmq-")
        self.port = free_port()
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.node = "bora-test-%d@localhost" % self.port
        self.tls_port = free_port() if tls else None
        if tls:
            self._make_certificates()
        self.proc = None
        self.epmd_proc = None
        self.starts = 0
        self._write_files()

    @property
    def url(self):
        return "rabbit://guest:guest@127.0.0.1:%d/" % self.port

    def _write_files(self):
        for d in ("mnesia", "log", "home"):
            os.makedirs(os.path.join(self.tmp, d), exist_ok=True)
        # Loopback only; guest may log in over loopback (RabbitMQ's default).
        with open(os.path.join(self.tmp, "rabbitmq.conf"), "w") as f:
            f.write("listeners.tcp.1 = 127.0.0.1:%d\n" % self.port)
            f.write("loopback_users.guest = true\n")
            # The test machine's disk may be fuller than RabbitMQ's default
            # alarm (50 MB free) allows for long; publishers must not block.
            f.write("disk_free_limit.absolute = 1MB\n")
            if self.tls_port:
                # Clients must show a certificate the test CA signed.
                f.write("listeners.ssl.1 = 127.0.0.1:%d\n" % self.tls_port)
                f.write("ssl_options.cacertfile = %s\n" % self.ca_file)
                f.write("ssl_options.certfile = %s\n" % os.path.join(self.tmp, "tls", "server.pem"))
                f.write("ssl_options.keyfile = %s\n" % os.path.join(self.tmp, "tls", "server.key"))
                f.write("ssl_options.verify = verify_peer\n")
                f.write("ssl_options.fail_if_no_peer_cert = true\n")
        with open(os.path.join(self.tmp, "enabled_plugins"), "w") as f:
            f.write("[].\n")
        with open(os.path.join(self.tmp, "rabbitmq-env.conf"), "w") as f:
            f.write("")
        cookie = os.path.join(self.tmp, "home", ".erlang.cookie")
        with open(cookie, "w") as f:
            f.write("BORATESTCOOKIE%d" % self.port)
        os.chmod(cookie, 0o400)

    def _make_certificates(self):
        """A CA, a server certificate for 127.0.0.1/localhost and a client
        certificate, made with openssl in the temp folder; plus a second,
        unrelated CA (other_ca_file) that verifies nothing here."""
        openssl = shutil.which("openssl")
        if not openssl:
            raise RabbitMqUnavailable("openssl is not installed (apt-get install openssl)")
        d = os.path.join(self.tmp, "tls")
        os.makedirs(d, exist_ok=True)

        def run(*args):
            subprocess.run([openssl] + list(args), cwd=d, check=True, timeout=60,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        for ca in ("ca", "other_ca"):
            run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=bora test %s" % ca,
                "-keyout", ca + ".key", "-out", ca + ".pem")
        ext = os.path.join(d, "server.ext")
        with open(ext, "w") as f:
            f.write("subjectAltName = IP:127.0.0.1, DNS:localhost\n")
        for name, subject, extfile in (("server", "/CN=localhost", ext), ("client", "/CN=bora", None)):
            run("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key",
                "-out", name + ".csr")
            args = ["x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-days", "2", "-out", name + ".pem"]
            if extfile:
                args += ["-extfile", extfile]
            run(*args)
        for name in os.listdir(d):
            os.chmod(os.path.join(d, name), 0o644)  # the broker's Erlang VM reads them
        self.ca_file = os.path.join(d, "ca.pem")
        self.other_ca_file = os.path.join(d, "other_ca.pem")
        self.client_cert = os.path.join(d, "client.pem")
        self.client_key = os.path.join(d, "client.key")

    def _env(self):
        env = dict(os.environ)
        env.update({
            "HOME": os.path.join(self.tmp, "home"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": os.path.join(self.tmp, "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": os.path.join(self.tmp, "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": os.path.join(self.tmp, "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": os.path.join(self.tmp, "mnesia"),
            "RABBITMQ_LOG_BASE": os.path.join(self.tmp, "log"),
            "RABBITMQ_PID_FILE": os.path.join(self.tmp, "rabbitmq.pid"),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            # The node's distribution listens on loopback only.
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        })
        return env

    def _listening(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                # The AMQP port answers a protocol header with connection.start.
                s.sendall(b"AMQP\x00\x00\x09\x01")
                s.settimeout(1.0)
                return len(s.recv(8)) > 0
        except OSError:
            return False

    def _tls_listening(self):
        try:
            with socket.create_connection(("127.0.0.1", self.tls_port), timeout=0.5):
                return True
        except OSError:
            return False

    def start(self):
        if self.epmd_proc is None or self.epmd_proc.poll() is not None:
            self.epmd_proc = subprocess.Popen(
                [self.epmd, "-port", str(self.epmd_port), "-address", "127.0.0.1"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self._env(), start_new_session=True)
        log = open(os.path.join(self.tmp, "server-%d.out" % self.starts), "wb")
        self.starts += 1
        # Its own session: the script and the Erlang VM it starts are one
        # process group, which stop() can end whole.
        self.proc = subprocess.Popen([SERVER], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                     env=self._env(), cwd=self.tmp, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not (self._listening() and (not self.tls_port or self._tls_listening())):
            if self.proc.poll() is not None:
                raise RuntimeError("rabbitmq-server exited at start:\n" + self.log_tail())
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("rabbitmq-server did not listen within %.0f s:\n%s" % (START_TIMEOUT, self.log_tail()))
            time.sleep(0.2)
        return self

    def stop(self):
        """SIGTERM to the server script (it stops the node), SIGKILL to its
        process group past STOP_TIMEOUT."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of this group is left
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        # The port is free again before a restart binds it.
        deadline = time.monotonic() + STOP_TIMEOUT
        while self._listening() and time.monotonic() < deadline:
            time.sleep(0.2)

    def restart(self):
        self.stop()
        return self.start()

    def cleanup(self):
        self.stop()
        if self.epmd_proc and self.epmd_proc.poll() is None:
            self.epmd_proc.terminate()
            try:
                self.epmd_proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.epmd_proc.kill()
                self.epmd_proc.wait(timeout=STOP_TIMEOUT)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def log_tail(self, n=4000):
        out = ""
        for d in (self.tmp, os.path.join(self.tmp, "log")):
            try:
                names = sorted(os.listdir(d))
            except OSError:
                continue
            for name in names:
                path = os.path.join(d, name)
                if os.path.isfile(path) and (name.endswith(".out") or name.endswith(".log")):
                    with open(path, "rb") as f:
                        out += "== %s\n%s\n" % (name, f.read()[-n:].decode(errors="replace"))
        return out

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


def skip_unless_available(tls=False):
    """Exits 77 (CTest's skip) when a test cannot run here: no
    python3-amqp to publish with, no rabbitmq-server (or, with tls, no
    openssl)."""
    try:
        import amqp  # noqa: F401  python3-amqp
    except ImportError:
        print("skipped: publishing needs Debian's python3-amqp (scripts/install-deps.sh --with-test)")
        sys.exit(77)
    try:
        RabbitMqServer(tls=tls).cleanup()
    except RabbitMqUnavailable as e:
        print("skipped:", e)
        sys.exit(77)


def publish_notification(port, event_type, payload, context, message_id=None, exchange="nova",
                         topic="notifications", priority="info", publisher_id="compute.host1"):
    """One notification as oslo.messaging's messagingv2 driver sends it (the
    2.0 envelope, _context_* keys, a topic exchange, routing key
    <topic>.<priority>, persistent, with publisher confirms), through
    Debian's python3-amqp on the plain port; returns its message_id."""
    import amqp  # python3-amqp: the tests check it is there first

    message_id = message_id or str(uuid.uuid4())
    msg = {"message_id": message_id, "publisher_id": publisher_id, "event_type": event_type,
           "priority": priority.upper(), "payload": payload,
           "timestamp": "2026-12-02 10:00:00.000000", "_unique_id": uuid.uuid4().hex}
    for k, v in context.items():
        msg["_context_" + k] = v
    body = json.dumps({"oslo.version": "2.0", "oslo.message": json.dumps(msg)})
    conn = amqp.Connection(host="127.0.0.1:%d" % port, userid="guest", password="guest", virtual_host="/",
                           connect_timeout=10)
    conn.connect()
    try:
        ch = conn.channel()
        ch.confirm_select()  # basic_publish returns once the broker has it (on disk: persistent)
        ch.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
        ch.basic_publish(amqp.Message(body, content_type="application/json", delivery_mode=2),
                         exchange=exchange, routing_key="%s.%s" % (topic, priority))
    finally:
        conn.close()
    return message_id


if __name__ == "__main__":
    # A manual check: start, print the URL, stop.
    t0 = time.monotonic()
    with RabbitMqServer() as mq:
        print("listening:", mq.url, "in %.1f s" % (time.monotonic() - t0))
        t1 = time.monotonic()
        mq.restart()
        print("restarted in %.1f s" % (time.monotonic() - t1))
