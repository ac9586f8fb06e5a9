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

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix="bora-mariadb-")
        datadir = os.path.join(self.tmp, "data")
        as_root = ["--user=root"] if os.geteuid() == 0 else []
        # --no-defaults: nothing from /etc/mysql (the system's server, if
        # any, keeps its own port, socket and files).
        subprocess.run(
            [self.install_db, "--no-defaults", f"--datadir={datadir}", "--auth-root-authentication-method=normal",
             "--skip-test-db"] + as_root,
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        self.port = free_port()
        log = open(os.path.join(self.tmp, "mariadbd.log"), "wb")
        self.proc = subprocess.Popen(
            [self.mariadbd, "--no-defaults", f"--datadir={datadir}", f"--port={self.port}",
             "--bind-address=127.0.0.1", f"--socket={self.socket_path}",
             f"--pid-file={os.path.join(self.tmp, 'mariadbd.pid')}", "--skip-name-resolve",
             # Small and quick for tests: durability is still real
             # (innodb_flush_log_at_trx_commit=1 is the default).
             "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=48M", "--max-allowed-packet=256M",
             "--max-connections=500", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin",
             "--skip-log-bin", "--innodb-lock-wait-timeout=10"] + as_root,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("mariadbd exited at start:\n" + self.log_tail())
            if os.path.exists(self.socket_path) and self._sql("SELECT 1", check=False).returncode == 0:
                break
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"mariadbd did not answer within {START_TIMEOUT:.0f} s")
            time.sleep(0.1)
        self._sql(f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{PASSWORD}'; "
                  f"CREATE USER '{USER}'@'localhost' IDENTIFIED BY '{PASSWORD}'; "
                  f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'127.0.0.1'; "
                  f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'localhost'; FLUSH PRIVILEGES")
        return self

    def _sql(self, sql, check=True):
        return subprocess.run([self.client, "--no-defaults", f"--socket={self.socket_path}", "-uroot", "-e", sql],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, check=check)

    def sql(self, sql):
        """Runs SQL as root through the socket; returns its output."""
        return self._sql(sql).stdout.decode()

    def log_tail(self):
        try:
            with open(os.path.join(self.tmp, "mariadbd.log"), "rb") as f:
                return f.read()[-4000:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT)
        self.proc = None
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv):
    if "--" not in argv or argv.index("--") == len(argv) - 1:
        print("usage: mariadb_server.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    command = argv[argv.index("--") + 1:]
    try:
        server = MariaDbServer()
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
        print(f"mariadb_server: mariadbd on 127.0.0.1:{server.port} ready in {time.monotonic() - started:.1f} s",
              file=sys.stderr, flush=True)
        env = dict(os.environ, BORA_TEST_MYSQL_URL=server.url(), BORA_TEST_MYSQL_SOCKET=server.socket_path)
        proc = subprocess.Popen(command, env=env)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.terminate()
            proc.wait(timeout=STOP_TIMEOUT)
            return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
