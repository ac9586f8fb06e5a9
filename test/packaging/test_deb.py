"""The Debian package (make deb), built, linted, installed and used on this
machine: what an operator does with it.

Needs root and dpkg (CI runs as root); otherwise it exits 77, which CTest
reports as skipped, never as passed. It leaves the machine as it found it:
the package is purged at the end (and before, if a failed run left it)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

BUILD = os.environ.get("BORA_BUILD_DIR", "")
SKIP = 77


def sh(*cmd, check=True, timeout=300, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


def installed():
    r = sh("dpkg-query", "-W", "-f=${Status}", "bora", check=False)
    return r.returncode == 0 and "installed" in r.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "text/plain" if isinstance(body, bytes) else "application/json")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.loads(r.read() or b"null")


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bora-deb-")
        if installed():
            sh("dpkg", "--purge", "bora")
        # The package of this build tree (cpack with the tree's configuration).
        sh("cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-G", "DEB", "-B", cls.tmp)
        debs = [f for f in os.listdir(cls.tmp) if f.endswith(".deb")]
        assert len(debs) == 1, debs
        cls.deb = os.path.join(cls.tmp, debs[0])

    @classmethod
    def tearDownClass(cls):
        if installed():
            sh("dpkg", "--purge", "bora", check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_package(self):
        self.assertRegex(os.path.basename(self.deb), r"^bora_\d+\.\d+\.\d+_amd64\.deb$")
        info = sh("dpkg-deb", "-f", self.deb, "Depends").stdout
        # dpkg-shlibdeps found the libraries the binary links.
        for lib in ("libsqlite3-0", "libcurl4", "libyaml-cpp", "libpcre2-8-0", "adduser"):
            self.assertIn(lib, info)
        conffiles = sh("dpkg-deb", "--ctrl-tarfile", self.deb)  # readable control archive
        self.assertEqual(conffiles.returncode, 0)

        # lintian: no error (warnings are printed for the log).
        if shutil.which("lintian"):
            r = sh("lintian", "--fail-on", "error", "--tag-display-limit", "0", self.deb, check=False, timeout=600)
            print(r.stdout, r.stderr, file=sys.stderr)
            self.assertEqual(r.returncode, 0, "lintian found errors:\n" + r.stdout)
        else:
            self.fail("lintian is not installed (scripts/install-deps.sh installs it)")

        # Install: the user, the state directory and the schema exist.
        sh("dpkg", "-i", self.deb)
        self.assertTrue(installed())
        self.assertIn("bora", sh("/usr/bin/bora", "version").stdout.lower())
        self.assertIn("/var/lib/bora", sh("getent", "passwd", "bora").stdout)
        self.assertTrue(os.path.isfile("/etc/bora/bora.conf"))
        db = "/var/lib/bora/bora.db"
        self.assertTrue(os.path.isfile(db), "postinst did not create the database")
        self.assertEqual(sh("stat", "-c", "%U", db).stdout.strip(), "bora")
        version = sh("runuser", "-u", "bora", "--", "/usr/bin/bora", "db", "version", "--config",
                     "/etc/bora/bora.conf").stdout
        self.assertRegex(version, r"\d")
        # The unit is valid as systemd reads it (its man pages exist now).
        r = sh("systemd-analyze", "verify", "/lib/systemd/system/bora.service", check=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertTrue(sh("man", "-w", "bora-server").stdout.strip().endswith("bora-server.1.gz"))

        # The installed binary serves, as the service's user, on its
        # database, and stops on SIGTERM.
        port = free_port()
        proc = subprocess.Popen(["runuser", "-u", "bora", "--", "/usr/bin/bora", "server", "--config",
                                 "/etc/bora/bora.conf", "--port", str(port)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.time() + 30
            line = b""
            while time.time() < deadline and b"listening on" not in line:
                line = proc.stdout.readline()
                if not line:
                    break
            self.assertIn(b"listening on", line, proc.stderr.read(4000) if proc.poll() is not None else b"")
            base = "http://127.0.0.1:%d/v2" % port
            wf = b"version: '2.0'\ndeb_check:\n  tasks:\n    t:\n      action: std.echo output='packaged'\n"
            status, _ = http("POST", base + "/workflows", wf)
            self.assertEqual(status, 201)
            status, ex = http("POST", base + "/executions", {"workflow_name": "deb_check"})
            self.assertEqual(status, 201)
            for _ in range(100):
                _, ex = http("GET", base + "/executions/" + ex["id"])
                if ex["state"] != "RUNNING":
                    break
                time.sleep(0.1)
            self.assertEqual(ex["state"], "SUCCESS", ex.get("state_info"))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
                self.fail("bora server did not stop within 20 s of SIGTERM")
            finally:
                proc.stdout.close()
                proc.stderr.close()

        # Remove keeps the data and the configuration; purge deletes them.
        sh("dpkg", "-r", "bora")
        self.assertFalse(os.path.exists("/usr/bin/bora"))
        self.assertTrue(os.path.isfile(db), "dpkg -r deleted the database")
        self.assertTrue(os.path.isfile("/etc/bora/bora.conf"))
        sh("dpkg", "--purge", "bora")
        self.assertFalse(os.path.exists("/var/lib/bora"))
        self.assertFalse(os.path.exists("/etc/bora/bora.conf"))


if __name__ == "__main__":
    if os.geteuid() != 0 or not shutil.which("dpkg") or not BUILD:
        print("skipped: needs root, dpkg and BORA_BUILD_DIR", file=sys.stderr)
        sys.exit(SKIP)
    unittest.main(verbosity=2)
