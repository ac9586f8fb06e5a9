#!/usr/bin/env python3
"""A private 3-node MariaDB Galera cluster for tests, on loopback.

Each node is a mariadbd (test/support/mariadb_server.py's MariaDbServer)
with its own data folder under one temporary folder and its own ports: the
client port, Galera's group communication (gcomm, 4567 on a real host),
incremental state transfer (IST, 4568) and full state transfer (SST with
rsync, 4444). Node 1 bootstraps the cluster (--wsrep-new-cluster), nodes 2
and 3 join it (a full SST from a donor), and start() waits, bounded, until
every node reports wsrep_cluster_size = 3 and Synced.

    with GaleraCluster() as cluster:
        cluster.url(0, "bora_x")        # node 1's mysql://... URL
        cluster.multi_host_url("bora_x")  # mysql://...@h:p1,h:p2,h:p3/bora_x
        cluster.kill(1)                 # SIGKILL node 2 by its pid
        cluster.restart(1)              # back, through IST, Synced again

As a wrapper (CTest): `galera_cluster.py -- COMMAND` runs COMMAND with
BORA_TEST_GALERA_URLS set to the nodes' URLs (space separated, without a
database name), then stops the cluster. Exits 77 (CTest's skip code) when
galera-4 or mariadbd is not installed.

Every wait is bounded; every server is stopped by its pid; the folder is
removed at the end.
"""
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time

from mariadb_server import PASSWORD, USER, MariaDbServer, MariaDbUnavailable, free_port, run_wrapped

PROVIDERS = ("/usr/lib/galera/libgalera_smm.so", "/usr/lib/libgalera_smm.so",
             "/usr/lib/x86_64-linux-gnu/galera/libgalera_smm.so")
SYNC_TIMEOUT = 90.0  # a joiner's full SST of a fresh datadir takes a few seconds here


def find_provider():
    for path in PROVIDERS:
        if os.path.exists(path):
            return os.path.realpath(path)
    return None


class GaleraNode(MariaDbServer):
    """One member: a MariaDbServer with the wsrep options of the cluster."""

    def __init__(self, cluster, index):
        super().__init__()
        self.cluster = cluster
        self.index = index
        self.tmp = os.path.join(cluster.tmp, "node%d" % (index + 1))
        os.makedirs(self.tmp)
        self.port = free_port()
        self.gcomm_port = free_port()
        self.ist_port = free_port()
        self.sst_port = free_port()
        # Set for the one start that bootstraps the cluster.
        self.bootstrap = False
        # The position recovered from the datadir after a kill (IST then
        # sends only the writes missed).
        self.start_position = None

    def user_options(self):
        # Run by root, the node runs as the system's mysql account: the
        # rsync daemon of a joiner's SST, started by root, would switch to
        # "nobody" and could not write the data folder.
        return ["--user=" + self.cluster.run_as] if self.cluster.run_as else []

    def server_options(self):
        peers = ",".join("127.0.0.1:%d" % n.gcomm_port for n in self.cluster.nodes)
        provider_options = ";".join([
            "gmcast.listen_addr=tcp://127.0.0.1:%d" % self.gcomm_port,
            "ist.recv_addr=127.0.0.1:%d" % self.ist_port,
            "gcache.size=64M",
            # A killed peer is suspected after 3 s and evicted after 6 s
            # (defaults 5 s and 15 s): the cluster's writes stall no longer
            # than that while the view changes.
            "evs.suspect_timeout=PT3S", "evs.inactive_timeout=PT6S", "evs.inactive_check_period=PT1S",
            "evs.keepalive_period=PT1S",
            "pc.wait_prim_timeout=PT30S",
        ])
        options = [
            "--wsrep-on=ON",
            "--wsrep-provider=" + self.cluster.provider,
            "--wsrep-cluster-name=bora_test_" + os.path.basename(self.cluster.tmp),
            "--wsrep-cluster-address=gcomm://" + ("" if self.bootstrap else peers),
            "--wsrep-node-name=node%d" % (self.index + 1),
            "--wsrep-node-address=127.0.0.1:%d" % self.gcomm_port,
            "--wsrep-node-incoming-address=127.0.0.1:%d" % self.port,
            "--wsrep-sst-method=rsync",
            "--wsrep-sst-receive-address=127.0.0.1:%d" % self.sst_port,
            "--wsrep-provider-options=" + provider_options,
            # What Galera needs of the server (docs/DEPLOY.md "Galera").
            "--binlog-format=ROW",
            "--default-storage-engine=InnoDB",
            "--innodb-autoinc-lock-mode=2",
            "--wsrep-slave-threads=2",
        ]
        if self.bootstrap:
            options.append("--wsrep-new-cluster")
        if self.start_position:
            options.append("--wsrep-start-position=" + self.start_position)
        return options

    def recover_position(self):
        """After a crash grastate.dat says seqno -1: `mariadbd
        --wsrep-recover` reads the last committed position out of InnoDB,
        so that the restart asks for an IST from there, not a full SST."""
        log = os.path.join(self.tmp, "recover.log")
        self.start_position = None
        subprocess.run(self.command(["--wsrep-recover", f"--log-error={log}"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        try:
            with open(log, errors="replace") as f:
                found = re.findall(r"WSREP: Recovered position:\s*(\S+:-?\d+)", f.read())
        except OSError:
            found = []
        self.start_position = found[-1] if found else None
        return self.start_position

    def status(self, name):
        out = self._sql("SHOW GLOBAL STATUS LIKE '%s'" % name, check=False)
        if out.returncode != 0:
            return None
        lines = out.stdout.decode().splitlines()
        return lines[1].split("\t")[1] if len(lines) > 1 else None

    def synced(self, size):
        return (self.proc is not None and self.proc.poll() is None
                and self.status("wsrep_local_state_comment") == "Synced"
                and self.status("wsrep_cluster_size") == str(size)
                and self.status("wsrep_ready") == "ON")


class GaleraCluster:
    def __init__(self, size=3):
        self.provider = find_provider()
        if not self.provider:
            raise MariaDbUnavailable("galera-4 is not installed (apt-get install galera-4; "
                                     "scripts/install-deps.sh does)")
        if not shutil.which("rsync"):
            raise MariaDbUnavailable("rsync (Galera's state transfer) is not installed")
        MariaDbServer()  # raises MariaDbUnavailable without mariadbd
        self.size = size
        self.run_as = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("mysql")
                self.run_as = "mysql"
            except KeyError:
                raise MariaDbUnavailable("run as root, the Galera test needs the system account 'mysql' "
                                         "(made by the mariadb-server package)")
        self.tmp = None
        self.nodes = []

    def url(self, index, database=""):
        return self.nodes[index].url(database)

    def multi_host_url(self, database="", order=None):
        hosts = ",".join("127.0.0.1:%d" % self.nodes[i].port for i in (order or range(self.size)))
        return f"mysql://{USER}:{PASSWORD}@{hosts}/{database}"

    def start(self):
        self.tmp = tempfile.mkdtemp(prefix="bora-galera-")
        try:
            self.nodes = [GaleraNode(self, i) for i in range(self.size)]
            for node in self.nodes:
                os.makedirs(node.datadir)
            if self.run_as:
                for root, dirs, files in os.walk(self.tmp):
                    for name in [root] + [os.path.join(root, d) for d in dirs]:
                        shutil.chown(name, self.run_as, self.run_as)
            first = self.nodes[0]
            first.install()
            first.bootstrap = True
            first.launch()
            first.bootstrap = False  # a restart of node 1 joins the others
            # mariadbd answers `SELECT 1` before wsrep is ready; until then
            # a write is refused ("WSREP has not yet prepared node for
            # application use"), so the user is made once the node is Synced.
            self.wait_synced(SYNC_TIMEOUT, size=1)
            first.create_user()  # replicated to the joiners with their SST
            for node in self.nodes[1:]:
                # An empty data folder: the SST (rsync) brings the donor's.
                self.launch_joiner(node)
            self.wait_synced(SYNC_TIMEOUT)
        except BaseException:
            self.stop()
            raise
        return self

    # Galera's own race on a loaded machine: gcomm sets the scheduling
    # parameters of a thread that has already ended ("Failed to set thread
    # schedparams ... No such process") and the node aborts before it
    # joins; started again, it joins.
    SCHEDPARAM_RACE = "Failed to set thread schedparams"

    def launch_joiner(self, node, attempts=3):
        for attempt in range(attempts):
            try:
                node.launch(timeout=SYNC_TIMEOUT)
                return
            except RuntimeError as e:
                if self.SCHEDPARAM_RACE not in str(e) or attempt + 1 == attempts:
                    raise
                time.sleep(1)

    def wait_synced(self, timeout, size=None):
        size = size or self.size
        live = [n for n in self.nodes if n.proc is not None and n.proc.poll() is None]
        deadline = time.monotonic() + timeout
        while not all(n.synced(size) for n in live):
            if time.monotonic() > deadline:
                states = {n.index + 1: (n.status("wsrep_local_state_comment"), n.status("wsrep_cluster_size"))
                          for n in live}
                raise RuntimeError("the Galera cluster did not reach %d Synced nodes within %.0f s: %s\n%s"
                                   % (size, timeout, states, live[-1].log_tail()))
            time.sleep(0.2)

    def kill(self, index):
        """SIGKILLs one node by its pid; waits (bounded) until the others
        form a primary component without it."""
        self.nodes[index].kill()
        self.wait_synced(SYNC_TIMEOUT, size=self.size - 1)

    def restart(self, index):
        """Starts a killed node again on its data folder (an IST of what it
        missed) and waits until the whole cluster is Synced."""
        node = self.nodes[index]
        node.recover_position()
        self.launch_joiner(node)
        self.wait_synced(SYNC_TIMEOUT)

    def stop(self):
        for node in reversed(self.nodes):
            node.stop(keep_files=True)
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv):
    return run_wrapped(
        argv, "galera_cluster.py", GaleraCluster,
        lambda cluster, took: "galera_cluster: %d nodes Synced in %.1f s (ports %s)"
        % (cluster.size, took, [n.port for n in cluster.nodes]),
        lambda cluster: {"BORA_TEST_GALERA_URLS": " ".join(n.url() for n in cluster.nodes)})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
