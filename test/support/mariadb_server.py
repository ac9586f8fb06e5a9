#!/usr/bin/env python3
"""A private MariaDB server for tests: its own data folder under /tmp, a
loopback port, a socket in that folder, stopped by its pid.

As a module:
    with MariaDbServer() as db:
        db.url("bora_x")   # mysql://bora:...@127.0.0.1:PORT/bora_x

As a wrapper (CTest): runs a command with BORA_TEST_MYSQL_URL set to the
server's URL without a database name (mysql://bora:PW@127.0.0.1:PORT/),
then stops the server and exits with the command's status:
    mariadb_server.py -- ./bora_unit_storage
Exits 77 (CTest's skip code) with a message when mariadbd is not installed.

Every wait is bounded; the server is stopped by its pid (SIGTERM, then
SIGKILL), and its folder removed.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

USER = "bora"
PASSWORD = "bora-test-pw"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


def find_program(*names):
    for name in names:
        path = shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin:" + os.environ.get("PATH", ""))
        if path:
            return path
    return None


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MariaDbUnavailable(Exception):
    pass


class MariaDbServer:
    def __init__(self):
        self.mariadbd = find_program("mariadbd", "mysqld")
        self.install_db = find_program("mariadb-install-db", "mysql_install_db")
        self.client = find_program("mariadb", "mysql")
        if not (self.mariadbd and self.install_db and self.client):
            raise MariaDbUnavailable(
                "mariadbd, mariadb-install-db or the mariadb client is not installed "
                "(apt-get install mariadb-server; scripts/install-deps.sh does)")
        self.tmp = None
        self.proc = None
        self.port = None

    @property
    def socket_path(self):
        return os.path.join(self.tmp, "mysqld.sock")

    def url(self, database=""):
        return f"mysql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{database}"

    @property
    def datadir(self):
        return os.path.join(self.tmp, "data")

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix="bora-mariadb-")
        try:
            self.install()
            self.port = free_port()
            self.launch()
            self.create_user()
        except BaseException:
            self.stop()
            raise
        return self

    def install(self):
        """A fresh data folder with the system tables (mariadb-install-db)."""
        # --no-defaults: nothing from /etc/mysql (the system's server, if
        # any, keeps its own port, socket and files).
        # Native AIO off: each InnoDB takes Linux AIO contexts, and with the
        # Galera nodes and the other suites' servers running at once the
        # system's fs.aio-max-nr ran out (mariadb-install-db then fails).
        # Its error output is shown when it fails; a second try starts over.
        command = [self.install_db, "--no-defaults", f"--datadir={self.datadir}",
                   "--auth-root-authentication-method=normal", "--skip-test-db",
                   "--innodb-use-native-aio=0"] + self.user_options()
        for attempt in (1, 2):
            done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
            if done.returncode == 0:
                return
            print("mariadb-install-db failed (attempt %d, exit %d):\n%s" % (
                attempt, done.returncode, done.stderr.decode(errors="replace")[-3000:]), file=sys.stderr)
            shutil.rmtree(self.datadir, ignore_errors=True)
        raise subprocess.CalledProcessError(done.returncode, command, stderr=done.stderr)

    def user_options(self):
        """mariadbd refuses to run as root unless told to."""
        return ["--user=root"] if os.geteuid() == 0 else []

    def server_options(self):
        """Options beyond the common ones (a Galera node adds its wsrep_*)."""
        return []

    def command(self, extra=()):
        """mariadbd's command line on this server's folder and port."""
        return [self.mariadbd, "--no-defaults", f"--datadir={self.datadir}", f"--port={self.port}",
                "--bind-address=127.0.0.1", f"--socket={self.socket_path}",
                f"--pid-file={os.path.join(self.tmp, 'mariadbd.pid')}", "--skip-name-resolve",
                # Small and quick for tests: durability is still real
                # (innodb_flush_log_at_trx_commit=1 is the default).
                "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=48M", "--max-allowed-packet=256M",
                "--max-connections=500", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin",
                "--skip-log-bin", "--innodb-lock-wait-timeout=10", "--innodb-use-native-aio=0"] + self.server_options() + list(extra) + \
            self.user_options()

    def launch(self, timeout=START_TIMEOUT, extra=()):
        """Starts mariadbd on the existing data folder and waits (bounded)
        until it answers on its socket."""
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)  # left by a killed server: readiness is the new one's socket
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.command(extra),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("mariadbd exited at start:\n" + self.log_tail())
            if os.path.exists(self.socket_path) and self._sql("SELECT 1", check=False).returncode == 0:
                break
            if time.monotonic() > deadline:
                tail = self.log_tail()
                self.kill()  # the caller's stop() removes the folder
                raise RuntimeError(f"mariadbd did not answer within {timeout:.0f} s:\n" + tail)
            time.sleep(0.1)

    def create_user(self):
        self._sql(f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}'; "
                  f"CREATE USER '{USER}'@'localhost' IDENTIFIED BY '{PASSWORD}'; "
                  f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'127.0.0.1'; "
                  f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'localhost'; FLUSH PRIVILEGES")

    def kill(self):
        """SIGKILL by pid (a crash: nothing flushed, nothing said to peers)."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT)

    def _sql(self, sql, check=True):
        done = subprocess.run([self.client, "--no-defaults", f"--socket={self.socket_path}", "-uroot", "-e", sql],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
        if check and done.returncode != 0:
            # The client's own message (what the server refused) in the failure.
            raise RuntimeError("mariadb client exited %d on %r: %s" % (
                done.returncode, sql[:200], done.stderr.decode(errors="replace").strip()))
        return done

    def sql(self, sql):
        """Runs SQL as root through the socket; returns its output."""
        return self._sql(sql).stdout.decode()

    @property
    def log_path(self):
        return os.path.join(self.tmp, "mariadbd.log")

    def log_tail(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-4000:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self, keep_files=False):
        """Stops the server by its pid (SIGTERM, then SIGKILL) and removes
        its folder unless keep_files (a restart follows)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT)
        self.proc = None
        if self.tmp and not keep_files:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def run_wrapped(argv, program, make_server, ready, env_of):
    """The wrapper mode of the support servers: `program -- COMMAND`
    starts the server (make_server(); MariaDbUnavailable: exit 77, CTest's
    skip), runs COMMAND with env_of(server) added to the environment, stops
    the server by its pid and returns COMMAND's status. ready(server,
    seconds) is the line printed once the server is up."""
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        print(f"usage: {program} -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1:]
    try:
        server = make_server()
    except MariaDbUnavailable as e:
        print(f"SKIPPED: {e}", file=sys.stderr)
        return 77
    # SIGTERM (a test runner's timeout, a Ctrl-C sent as TERM) still stops
    # the server by its pid and removes its folder.
    def stop_on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop_on_term)
    started = time.monotonic()
    with server:
        print(ready(server, time.monotonic() - started), file=sys.stderr, flush=True)
        proc = subprocess.Popen(command, env=dict(os.environ, **env_of(server)))
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait(timeout=STOP_TIMEOUT)
            return 130


def main(argv):
    return run_wrapped(
        argv, "mariadb_server.py", MariaDbServer,
        lambda server, took: f"mariadb_server: mariadbd on 127.0.0.1:{server.port} ready in {took:.1f} s",
        lambda server: {"BORA_TEST_MYSQL_URL": server.url(), "BORA_TEST_MYSQL_SOCKET": server.socket_path})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
