"""Runs `mistral` commands for the integration tests in one warm process.

The `mistral` command is python-mistralclient's MistralShell (cliff). A new
process per command spends ~0.6 s of its ~0.85 s importing the client, its
keystoneauth and osprofiler: the suites run some 300 commands between the
two builds, which was minutes of CI's 2 cores. This process imports the
client once and runs each command as /usr/bin/mistral would, in a fresh
MistralShell with its own argv, environment, stdout and stderr: the same
code parses the arguments, calls Bora and formats what it prints.

Protocol: one JSON object per line on stdin, {"argv": [...], "env": {...}}
and optionally "cwd" (the folder the command runs in: the paths it is given
are relative to it); one per line on stdout, {"rc": int, "stdout": str,
"stderr": str}.
"""
import contextlib
import io
import json
import logging
import os
import sys

from mistralclient.shell import MistralShell


def run(argv, env):
    sys.argv = ["mistral"] + list(argv)  # what its usage and errors name
    os.environ.clear()
    os.environ.update(env)
    out, err = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = MistralShell().run(argv)
        except SystemExit as e:  # argparse: --help, a bad argument
            if e.code is None:
                rc = 0
            elif isinstance(e.code, int):
                rc = e.code
            else:
                print(e.code, file=sys.stderr)
                rc = 1
        except Exception as e:  # what the real command would die of
            print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
            rc = 1
    # cliff adds its console handler to the root logger at every run.
    root.handlers[:] = handlers
    root.setLevel(level)
    return {"rc": rc if rc is not None else 0, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main():
    reply = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("cwd"):
            os.chdir(request["cwd"])
        reply.write(json.dumps(run(request["argv"], request["env"])) + "\n")
        reply.flush()


if __name__ == "__main__":
    main()
