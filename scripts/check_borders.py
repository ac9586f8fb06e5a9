#!/usr/bin/env python3
"""The module borders, checked over the #include lines (docs/ARCHITECTURE.md).

Every file of include/bora/<module>/ and src/<module>/ may include the
public headers (include/bora/<other>/) of the modules its row of ALLOWED
names, and private files (quoted paths resolved next to it) only of its own
src/<module>/. Anything else fails with file:line and the rule broken.

    scripts/check_borders.py [--root DIR]   # exit 0 when every border holds
    scripts/check_borders.py --self-test    # the check must fail on fixtures

PENDING lists the crossings other parts of issue 13 remove; the
coordinator empties it when merging them. An entry that no longer occurs
is reported too, so the list cannot outlive its reason.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

# module -> modules whose public headers it may include (besides its own).
# The direction: cli -> api -> services -> engine -> catalog -> storage,
# executor, scheduler, lang, expr -> core. Services may call the engine (the
# execution rules of the API); the engine asks the catalog, never services.
ALLOWED = {
    "core": set(),
    "expr": {"core"},
    "lang": {"expr", "core"},
    "storage": {"core"},
    "scheduler": {"core"},
    # The OTLP exporter; only cli wires it, the others see core/trace.h.
    "telemetry": {"core"},
    # Who is calling: Keystone tokens, trusts, the security context (and the
    # policy engine); the API authenticates through it.
    "identity": {"storage", "core"},
    "executor": {"expr", "core"},
    # Who a caller is (tokens, OIDC) and what it may do (policy); storage for trusts.
    "identity": {"storage", "core"},
    "catalog": {"storage", "executor", "lang", "core"},
    "engine": {"catalog", "storage", "executor", "scheduler", "lang", "expr", "core"},
    "services": {"engine", "catalog", "storage", "executor", "scheduler", "lang", "expr", "core"},
    # The sources of event triggers (the RabbitMQ listener, the webhook
    # route) and their dispatcher, which starts workflows through the
    # engine; only cli assembles them (it adds the route to api's router).
    "events": {"api", "services", "engine", "storage", "expr", "core"},
    "api": {"services", "engine", "catalog", "identity", "storage", "lang", "core"},
    "cli": None,  # anything: it assembles the binary
}

# (file, included header) crossings that other helpers' parts of issue 13
# remove; each names who removes it.
PENDING = [
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def module_files(root):
    """(module, path relative to root) for every C++ file of a module."""
    for top in ("include/bora", "src"):
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for module in sorted(os.listdir(base)):
            folder = os.path.join(base, module)
            if not os.path.isdir(folder):
                continue
            for dirpath, _, names in os.walk(folder):
                for name in sorted(names):
                    if name.endswith((".h", ".hpp", ".cpp", ".cc", ".in")):
                        yield module, os.path.relpath(os.path.join(dirpath, name), root)


def private_owner(root, path, target):
    """The module whose src/ folder a quoted include resolves into (next to
    the including file, or spelled from the root or from src/), or None."""
    here = os.path.dirname(os.path.join(root, path))
    src = os.path.join(root, "src")
    for candidate in (os.path.join(here, target), os.path.join(root, target), os.path.join(src, target)):
        candidate = os.path.normpath(candidate)
        if not os.path.isfile(candidate):
            continue
        rel = os.path.relpath(candidate, src)
        parts = rel.split(os.sep)
        return parts[0] if not rel.startswith("..") and len(parts) > 1 else None
    return None


def violations(root):
    found = []
    seen_pending = set()
    unknown = set()
    for module, path in module_files(root):
        if module not in ALLOWED:
            if module not in unknown:
                unknown.add(module)
                found.append(f"{path}: module {module} has no row in the borders table: add it to ALLOWED "
                             "in scripts/check_borders.py and to docs/ARCHITECTURE.md")
            continue
        allowed = ALLOWED[module]
        public = path.startswith("include" + os.sep) or path.startswith("include/")
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            for lineno, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                quote, target = m.groups()
                where = f"{path}:{lineno}"
                if target.startswith("bora/"):
                    other = target.split("/")[1] if target.count("/") >= 2 else None
                    if other is None or other == module or allowed is None:
                        continue
                    if other in allowed:
                        continue
                    if (path, target) in PENDING:
                        seen_pending.add((path, target))
                        continue
                    rule = (f"{module} may include only " + ", ".join(sorted(allowed | {module}))
                            if allowed or module == "core" else f"{module} includes nothing of other modules")
                    found.append(f"{where}: {module} includes {target}: {rule} (docs/ARCHITECTURE.md)")
                    continue
                if quote != '"':
                    continue
                owner = private_owner(root, path, target)
                if owner is None:
                    continue
                if public:
                    found.append(f"{where}: public header includes the private file {target} of src/{owner}/: "
                                 "interfaces live in include/bora/<module>/")
                elif owner != module:
                    found.append(f"{where}: {module} includes {target}, a private file of src/{owner}/: "
                                 f"use include/bora/{owner}/ instead")
    stale = [f"{p}: PENDING lists {t}, which it no longer includes: remove the entry"
             for p, t in PENDING if (p, t) not in seen_pending and os.path.exists(os.path.join(root, p))]
    return found, stale


def check(root):
    found, stale = violations(root)
    for v in found + stale:
        print(v)
    if found or stale:
        print(f"module borders: {len(found) + len(stale)} problem(s)", file=sys.stderr)
        return 1
    print("module borders: hold")
    return 0


# A fixture tree, one file per rule, each breaking it once; and one file
# that keeps every rule (it must not be reported).
FIXTURE = {
    "include/bora/core/value.h": '#include "bora/storage/records.h"\n',
    "src/api/views.cpp": '#include "bora/api/views.h"\n#include "bora/executor/action_descriptor.h"\n',
    "src/engine/runner.cpp": '#include "bora/catalog/catalog.h"\n#include "../api/router_impl.h"\n'
                             '#include "bora/api/router.h"\n',
    "src/engine/local.h": "",
    "src/engine/task.cpp": '#include "local.h"\n#include "bora/services/workflows.h"\n',
    "src/api/router_impl.h": "",
    "include/bora/lang/specs.h": '#include "../../../src/lang/private.h"\n#include "bora/expr/budget.h"\n',
    "src/lang/private.h": "",
    "src/cli/main.cpp": '#include "bora/api/router.h"\n#include "bora/executor/executor.h"\n',
    "src/plugins/pack.cpp": '#include "bora/core/value.h"\n',
}
EXPECTED = [
    "include/bora/core/value.h:1: core includes bora/storage/records.h",
    "src/api/views.cpp:2: api includes bora/executor/action_descriptor.h",
    "src/engine/runner.cpp:2: engine includes ../api/router_impl.h, a private file of src/api/",
    "src/engine/runner.cpp:3: engine includes bora/api/router.h",
    "src/engine/task.cpp:2: engine includes bora/services/workflows.h",
    "include/bora/lang/specs.h:1: public header includes the private file",
    "src/plugins/pack.cpp: module plugins has no row in the borders table",
]


def self_test():
    with tempfile.TemporaryDirectory() as root:
        for path, text in FIXTURE.items():
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        run = subprocess.run([sys.executable, os.path.abspath(__file__), "--root", root, "--no-pending"],
                             capture_output=True, text=True)
        lines = run.stdout.splitlines()
        problems = []
        if run.returncode != 1:
            problems.append(f"exit {run.returncode} on a tree that breaks the rules, expected 1")
        for want in EXPECTED:
            if not any(line.startswith(want) for line in lines):
                problems.append(f"not reported: {want}")
        if len(lines) != len(EXPECTED):
            problems.append(f"{len(lines)} reports, expected {len(EXPECTED)}:\n  " + "\n  ".join(lines))
        # The same tree without its violations passes.
        os.remove(os.path.join(root, "src/plugins/pack.cpp"))
        os.rmdir(os.path.join(root, "src/plugins"))
        for path in list(FIXTURE):
            if not os.path.exists(os.path.join(root, path)):
                continue
            with open(os.path.join(root, path), "w") as f:
                f.write("")
        clean = subprocess.run([sys.executable, os.path.abspath(__file__), "--root", root, "--no-pending"],
                               capture_output=True, text=True)
        if clean.returncode != 0:
            problems.append(f"exit {clean.returncode} on a clean tree:\n{clean.stdout}")
    for p in problems:
        print("self-test:", p)
    print("self-test:", "failed" if problems else "passed")
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    parser.add_argument("--self-test", action="store_true", help="check the checker on a fixture tree")
    parser.add_argument("--no-pending", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if args.no_pending:
        PENDING.clear()
    return check(os.path.abspath(args.root))


if __name__ == "__main__":
    sys.exit(main())
