#!/usr/bin/python3
"""bench_cluster: the scenarios of issue 14 part 6 through the REST API, on
a private MariaDB with 1, 2 and 3 Bora nodes, and on SQLite (one node)
beside them. A benchmark prints figures; it is not a timed test.

    bench/cluster/bench_cluster.py [--build BUILD] [--nodes 1,2,3]
                                   [--scenarios chain50,items1000,items10000,join500,throughput]
                                   [--no-sqlite] [--no-mariadb] [--repeat N] [--warmup N]
    make bench-cluster            (the same, from the top directory)

Everything runs on loopback: mariadbd is started by
test/support/mariadb_server.py (its data in a temporary folder, stopped by
pid), each `bora server` by test/integration/bora_server.py on a free port
with a fresh database (a new MariaDB database per run, a new SQLite file).

Scenarios (each on a fresh database, every node serving the whole API):
  chain50     one execution of 50 sequential std.noop tasks per node, all
              at once; POST to SUCCESS seen by GET
  items1000   one with-items over 1 000 std.echo items per node
  items10000  the same over 10 000 items (issue 14's size)
  join500     one fan-out of 500 std.noop tasks joined by `join: all` per
              node
  throughput  3 000 executions of a 3-task workflow POSTed by 20 clients
              (round-robin over the nodes), timed until all succeeded; the
              p99 of the POST latency
With N nodes the first four run N executions at once, one started through
each node, so the figure is the cluster's (each scenario but throughput
runs --warmup rounds, 20 by default, then --repeat rounds on the same
nodes, 5 by default, and the median counted round is shown; the warm-up
is there because a fresh MariaDB database grows each table's file 1 MiB
at a time, each growth an fsync: 22 fsyncs for the first chain50 rounds
against 1.5 once the files have grown, a cost a server pays once in its
life, not per execution): task transitions/s over all of
them (a transition = one task or with-items item run and its result
applied). On MariaDB the server's status counters around each run say
where the time goes: statements executed (prepared and plain), commits,
InnoDB row lock waits and their time, log fsyncs, each per transition.

The last table puts MariaDB with one node beside SQLite: the ratio is
SQLite's rate / MariaDB's (the issue's target: at most 2).
"""
import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "test", "support"))
sys.path.insert(0, os.path.join(ROOT, "test", "integration"))

WAIT_LIMIT = 600  # seconds any one scenario may take before it is reported as not finished
POLL = 0.05       # seconds between two GETs of an execution's state (their reads count in the statements)
CLIENTS = 20
THROUGHPUT_EXECUTIONS = 3000


def chain(n):
    y = "version: '2.0'\nchain:\n  tasks:\n"
    for i in range(n):
        y += "    t%d:\n      action: std.noop\n" % i
        if i + 1 < n:
            y += "      on-success: t%d\n" % (i + 1)
    return y


def items(n):
    return ("version: '2.0'\nitems:\n  tasks:\n    each:\n      with-items: i in <%% range(%d) %%>\n"
            "      action: std.echo output=<%% $.i %%>\n" % n)


def join(n):
    y = "version: '2.0'\nfan:\n  tasks:\n    start:\n      action: std.noop\n      on-success:\n"
    y += "".join("        - p%d\n" % i for i in range(n))
    y += "".join("    p%d:\n      action: std.noop\n      on-success: [j]\n" % i for i in range(n))
    y += "    j:\n      join: all\n      action: std.noop\n"
    return y


THREE = ("version: '2.0'\nthree:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
         "    b:\n      action: std.echo output=<% 1 + 1 %>\n      on-success: c\n    c:\n      action: std.noop\n")

# name -> (definition, workflow, task transitions of one execution)
SCENARIOS = {
    "chain50": (chain(50), "chain", 50),
    "items1000": (items(1000), "items", 1000),
    "items10000": (items(10000), "items", 10000),
    "join500": (join(500), "fan", 502),
    "throughput": (THREE, "three", 3),
}


class Client:
    """One keep-alive HTTP connection to one node."""

    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.prefix = u.hostname, u.port, u.path.rstrip("/")
        self.conn = None

    def request(self, method, path, body=None, content_type="application/json"):
        data = None
        headers = {}
        if body is not None:
            data = body if isinstance(body, bytes) else (body.encode() if isinstance(body, str) else
                                                          json.dumps(body).encode())
            headers["Content-Type"] = content_type
        for attempt in (1, 2):  # a keep-alive connection the server closed is opened again once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, self.prefix + path, body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        try:
            return resp.status, json.loads(raw)
        except ValueError:
            return resp.status, raw.decode(errors="replace")


class MariaDbCounters:
    """The server's global status counters that say where the time goes."""
    NAMES = ("Com_stmt_execute", "Com_commit", "Questions", "Innodb_row_lock_waits", "Innodb_row_lock_time",
             "Innodb_data_fsyncs", "Com_rollback")

    def __init__(self, server):
        self.server = server

    def read(self):
        out = self.server.sql("SHOW GLOBAL STATUS WHERE Variable_name IN (%s)" %
                              ",".join("'%s'" % n for n in self.NAMES))
        values = {}
        for line in out.splitlines()[1:]:
            name, _, value = line.partition("\t")
            values[name] = int(value)
        return values


def wait_all(clients, ids, deadline):
    """Polls each execution through the node that started it until it ends;
    returns {id: state}."""
    states = {}
    pending = list(zip(ids, clients))
    while pending and time.monotonic() < deadline:
        left = []
        for ex_id, client in pending:
            status, body = client.request("GET", "/executions/" + ex_id)
            state = body.get("state") if isinstance(body, dict) else None
            if state in ("SUCCESS", "ERROR", "CANCELLED"):
                states[ex_id] = state
            else:
                left.append((ex_id, client))
        pending = left
        if pending:
            time.sleep(POLL)
    for ex_id, _ in pending:
        states[ex_id] = "NOT FINISHED"
    return states


def run_parallel(nodes, scenario, repeat, warmup=0):
    """One execution per node at once, `repeat` times over on the same
    nodes (a node's prepared statements and caches warm, as in a server
    that runs for days; one sample of a 0.1 s scenario moved by a factor
    1.5 from run to run here); (median seconds, transitions of one round,
    note, transitions of all rounds)."""
    definition, workflow, transitions = SCENARIOS[scenario]
    clients = [Client(n.url) for n in nodes]
    status, body = clients[0].request("POST", "/workflows", definition, "text/plain")
    if status != 201:
        return None, 0, "the workflow was refused: %r" % (body,), 0
    # Rounds first that are not counted: a fresh database's tables grow
    # their files a page at a time, each growth an fsync on MariaDB (13 per
    # chain50 round, beside its one redo write); a server that has run for
    # a while has grown them.
    for _ in range(warmup):
        seconds, note = one_round(clients, workflow)
        if seconds is None:
            return None, 0, note, 0
    rounds = []
    for _ in range(max(1, repeat)):
        seconds, note = one_round(clients, workflow)
        if seconds is None:
            return None, 0, note, 0
        rounds.append((seconds, note))
    rounds.sort()
    seconds, note = rounds[len(rounds) // 2]
    if len(rounds) > 1:
        note += "; median of %d rounds, %.2f to %.2f s" % (len(rounds), rounds[0][0], rounds[-1][0])
    return seconds, transitions * len(nodes), note, transitions * len(nodes) * (len(rounds) + warmup)


def one_round(clients, workflow):
    """(seconds, note) of one execution per client's node, or (None, why)."""
    t0 = time.monotonic()
    ids = []
    slowest_post = 0.0
    for c in clients:
        s = time.monotonic()
        status, body = c.request("POST", "/executions", {"workflow_name": workflow})
        slowest_post = max(slowest_post, time.monotonic() - s)
        if status != 201:
            return None, "POST /v2/executions answered %d: %r" % (status, body)
        ids.append(body["id"])
    states = wait_all(clients, ids, t0 + WAIT_LIMIT)
    seconds = time.monotonic() - t0
    bad = {i: s for i, s in states.items() if s != "SUCCESS"}
    if bad:
        return None, "executions did not succeed: %r" % bad
    # The POST answers once the transaction that creates the execution
    # committed: with-items start at most [engine] with_items_batch items
    # in it, whatever the list's size.
    return seconds, "%d execution(s), %.2f s, slowest POST %.0f ms" % (len(clients), seconds, slowest_post * 1000)


def count_succeeded(client):
    """How many executions succeeded, page by page (a page holds at most
    the API's [api] max_limit)."""
    n, marker = 0, ""
    while True:
        status, body = client.request("GET", "/executions?state=SUCCESS&fields=id&sort_keys=id&limit=1000" + marker)
        page = body.get("executions", []) if isinstance(body, dict) else []
        n += len(page)
        if len(page) < 1000:
            return n
        marker = "&marker=" + page[-1]["id"]


def run_throughput(nodes):
    """THROUGHPUT_EXECUTIONS executions from CLIENTS clients, round-robin
    over the nodes; (seconds, transitions, note, p99 ms)."""
    definition, workflow, transitions = SCENARIOS["throughput"]
    setup = Client(nodes[0].url)
    status, body = setup.request("POST", "/workflows", definition, "text/plain")
    if status != 201:
        return None, 0, "the workflow was refused: %r" % (body,), 0
    latencies, failures, created = [], [], []
    lock = threading.Lock()
    per_client = THROUGHPUT_EXECUTIONS // CLIENTS

    def client_loop(k):
        c = Client(nodes[k % len(nodes)].url)
        mine, ids = [], []
        for _ in range(per_client):
            s = time.monotonic()
            try:
                status, body = c.request("POST", "/executions", {"workflow_name": workflow})
            except OSError as e:
                status, body = 0, str(e)
            mine.append(time.monotonic() - s)
            if status == 201:
                ids.append(body["id"])
            else:
                with lock:
                    failures.append((status, str(body)[:200]))
        with lock:
            latencies.extend(mine)
            created.extend(ids)

    t0 = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_LIMIT)
    total = per_client * CLIENTS
    # Until every execution succeeded: count them through each node in turn.
    deadline = t0 + WAIT_LIMIT
    done = 0
    turn = 0
    while time.monotonic() < deadline:
        c = Client(nodes[turn % len(nodes)].url)
        turn += 1
        done = count_succeeded(c)
        if done >= total:
            break
        time.sleep(0.05)
    seconds = time.monotonic() - t0
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
    p99 = latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)] * 1000 if latencies else 0
    note = "%d accepted, %d errors, %d succeeded in %.2f s; POST p50 %.0f ms, p99 %.0f ms" % (
        len(created), len(failures), done, seconds, p50, p99)
    if failures:
        note += "; first error %r" % (failures[0],)
    if failures or done < total:
        return None, 0, note, p99
    return seconds, total * transitions, note, p99


def node_env(i):
    # A short heartbeat is not needed: nothing dies here. Distinct ids.
    return {"BORA_CLUSTER_NODE_ID": "bench-%d" % (i + 1)}


def run_scenario(backend, n_nodes, scenario, mariadb, binary, repeat=1, warmup=0):
    from bora_server import BoraServer
    nodes = []
    tmp = tempfile.mkdtemp(prefix="bora-bench-cluster-")
    if backend == "sqlite":
        url = "sqlite:///" + os.path.join(tmp, "bora.db")
    else:
        url = mariadb.url("bora_bench_" + uuid.uuid4().hex[:12])
    result = {"backend": backend, "nodes": n_nodes, "scenario": scenario}
    try:
        for i in range(n_nodes):
            nodes.append(BoraServer(db_url=url, env=node_env(i)).start())
        counters = MariaDbCounters(mariadb) if backend == "mariadb" else None
        before = counters.read() if counters else None
        cpu_before = [process_cpu(n.proc.pid) for n in nodes]
        if scenario == "throughput":
            seconds, transitions, note, p99 = run_throughput(nodes)
            result["p99_ms"] = p99
        else:
            seconds, transitions, note, all_transitions = run_parallel(nodes, scenario, repeat, warmup)
            result["all_transitions"] = all_transitions
        result["cpu_s"] = sum(process_cpu(n.proc.pid) - c for n, c in zip(nodes, cpu_before))
        if counters:
            after = counters.read()
            result["counters"] = {k: after.get(k, 0) - before.get(k, 0) for k in MariaDbCounters.NAMES}
        result.update(seconds=seconds, transitions=transitions, note=note)
        if seconds:
            result["rate"] = transitions / seconds
            if scenario == "throughput":
                result["executions_per_s"] = THROUGHPUT_EXECUTIONS // CLIENTS * CLIENTS / seconds
    finally:
        for n in nodes:
            n.cleanup()
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def process_cpu(pid):
    """User + system CPU seconds of a process so far (/proc/PID/stat)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def print_row(r):
    label = "%-8s %d node%s" % (r["backend"], r["nodes"], "s" if r["nodes"] > 1 else " ")
    if not r.get("seconds"):
        print("%-17s %-11s FAILED: %s" % (label, r["scenario"], r.get("note")), flush=True)
        return
    figure = "%8.0f transitions/s" % r["rate"]
    if r["scenario"] == "throughput":
        figure += ", %6.1f executions/s, p99 %5.0f ms" % (r["executions_per_s"], r["p99_ms"])
    where = ""
    c = r.get("counters")
    if c:
        t = r.get("all_transitions") or r["transitions"]
        where = ("  per transition: %.1f statements (%.1f prepared), %.2f commits, %.2f fsyncs; "
                 "lock waits %d (%d ms), rollbacks %d" % (
                     c["Questions"] / t, c["Com_stmt_execute"] / t, c["Com_commit"] / t,
                     c["Innodb_data_fsyncs"] / t, c["Innodb_row_lock_waits"], c["Innodb_row_lock_time"],
                     c["Com_rollback"]))
    print("%-17s %-11s %s  (%s; server CPU %.1f s)%s" % (label, r["scenario"], figure, r["note"], r["cpu_s"], where),
          flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"), help="the build directory (default: build)")
    p.add_argument("--nodes", default="1,2,3", help="node counts on MariaDB (default 1,2,3)")
    p.add_argument("--scenarios", default=",".join(SCENARIOS), help="default: all")
    p.add_argument("--no-sqlite", action="store_true")
    p.add_argument("--no-mariadb", action="store_true")
    p.add_argument("--buffer-pool", default="1G", help="mariadbd's innodb_buffer_pool_size (default 1G)")
    p.add_argument("--warmup", type=int, default=20,
                   help="rounds run before the counted ones, on the same nodes (default 20; 0: a fresh database)")
    p.add_argument("--repeat", type=int, default=5,
                   help="rounds of each scenario but throughput, on the same nodes; the median is shown (default 5)")
    args = p.parse_args()
    binary = os.path.abspath(os.path.join(args.build, "src", "cli", "bora"))
    if not os.access(binary, os.X_OK):
        print("bench_cluster: no bora binary at %s (build it: ninja -C %s bora)" % (binary, args.build),
              file=sys.stderr)
        return 2
    os.environ["BORA_BINARY"] = binary
    os.environ.pop("BORA_TEST_MYSQL_URL", None)  # the bench chooses each node's database itself
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        print("bench_cluster: unknown scenario(s) %s; known: %s" % (", ".join(unknown), ", ".join(SCENARIOS)),
              file=sys.stderr)
        return 2
    counts = [int(n) for n in args.nodes.split(",") if n]
    import bora_server
    bora_server.BORA = binary
    with open("/proc/loadavg") as f:
        print("bench_cluster: %d cores, load average %s at start; %s" % (
            os.cpu_count(), " ".join(f.read().split()[:3]), binary), flush=True)
    results = []
    if not args.no_sqlite:
        for s in scenarios:
            r = run_scenario("sqlite", 1, s, None, binary, args.repeat, args.warmup)
            print_row(r)
            results.append(r)
    if not args.no_mariadb:
        from mariadb_server import MariaDbServer, MariaDbUnavailable

        class BenchMariaDb(MariaDbServer):
            """The tests' private mariadbd, sized as a server is (docs/DEPLOY.md):
            the tests' 64 MiB buffer pool and 48 MiB redo log made every
            scenario after items10000 pay for flushing the earlier ones' pages."""

            def server_options(self):
                return ["--innodb-buffer-pool-size=%s" % args.buffer_pool, "--innodb-log-file-size=512M"]

        try:
            server = BenchMariaDb()
        except MariaDbUnavailable as e:
            print("bench_cluster: MariaDB skipped: %s" % e, flush=True)
            server = None
        if server:
            with server:
                for n in counts:
                    for s in scenarios:
                        r = run_scenario("mariadb", n, s, server, binary, args.repeat, args.warmup)
                        print_row(r)
                        results.append(r)
    sqlite = {r["scenario"]: r for r in results if r["backend"] == "sqlite" and r.get("rate")}
    one = {r["scenario"]: r for r in results if r["backend"] == "mariadb" and r["nodes"] == 1 and r.get("rate")}
    if sqlite and one:
        print("\nMariaDB (1 node) beside SQLite: ratio = SQLite's rate / MariaDB's (target <= 2)")
        for s in scenarios:
            if s in sqlite and s in one:
                print("  %-11s SQLite %8.0f  MariaDB %8.0f transitions/s  ratio %.2f" % (
                    s, sqlite[s]["rate"], one[s]["rate"], sqlite[s]["rate"] / one[s]["rate"]))
    with open("/proc/loadavg") as f:
        print("bench_cluster: load average %s at the end" % " ".join(f.read().split()[:3]))
    return 0 if all(r.get("rate") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
