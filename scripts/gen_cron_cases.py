#!/usr/bin/python3
"""Freezes croniter's answers (the library Mistral's cron triggers use) for
a set of patterns and start times into test/data/scheduler/cron_cases.json,
so that Bora's cron tests need no Python. Run with Debian's /usr/bin/python3
(python3-croniter, a dependency of python3-mistral)."""
import datetime
import json
import os

from croniter import croniter

PATTERNS = [
    "* * * * *", "*/5 * * * *", "0 * * * *", "30 2 * * *", "0 0 1 * *", "0 0 * * 0", "0 0 * * 7",
    "15,45 9-17 * * mon-fri", "0 12 1,15 * *", "0 0 1 1 *", "0 0 29 2 *", "0 0 31 * *", "0 8 * jan,jul *",
    "5/15 * * * *", "0 0 13 * fri", "0 0 L * *", "0 6 * * 1-5/2", "59 23 31 12 *", "0 0 1-7 * sun",
    "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "0 */6 * * *", "10-20/5 1 * * *", "0 0 * 2 *",
    # croniter's sixth field: seconds.
    "0 0 1 1 * *", "*/5 * * * * 30", "* * * * * */10", "0 12 * * mon-fri 15", "30 2 * * * 0,30",
]
STARTS = ["2026-11-25 04:03:21", "2024-02-28 23:59:00", "2023-12-31 23:59:59", "2026-01-01 00:00:00",
          "2025-06-15 12:34:56"]

cases = []
for p in PATTERNS:
    for s in STARTS:
        start = datetime.datetime.strptime(s, "%Y-%m-%d %H:%M:%S")
        it = croniter(p, start)
        nexts = [it.get_next(datetime.datetime).strftime("%Y-%m-%d %H:%M:%S") for _ in range(4)]
        cases.append({"pattern": p, "start": s, "next": nexts})

out = os.path.join(os.path.dirname(__file__), "..", "test", "data", "scheduler", "cron_cases.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=1)
print("wrote %d cases to %s" % (len(cases), out))
