#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from the project's test data.

    fuzz_seeds.py SOURCE_DIR OUT_DIR

OUT_DIR/<target>/ gets one file per seed, named by its SHA-1 (as libFuzzer
names what it adds), for the targets of test/fuzz: yaml_spec (the definitions
of test/data/lang, test/workflows and examples/), yaql and jinja (the frozen
expression cases and the expressions found in those definitions), json (the
cases' contexts and results), cron
(test/data/scheduler) and http_router (requests for every route of the
OpenAPI description, definitions posted and then read, updated and deleted).
Generated at build time, never committed: the corpora follow the test data.
Standard library only.
"""
import hashlib
import json
import os
import re
import sys

MAX_SEED = 16 * 1024  # larger inputs only slow the fuzzer down


def main():
    src, out = sys.argv[1], sys.argv[2]
    seeds = {t: set() for t in ("yaml_spec", "yaql", "jinja", "json", "cron", "http_router")}

    definitions = []  # (kind, text)
    for sub in ("valid", "invalid"):
        folder = os.path.join(src, "test", "data", "lang", sub)
        for name in sorted(os.listdir(folder)):
            if name.endswith(".yaml"):
                text = read(os.path.join(folder, name))
                kind = "workbooks" if "workbook" in name else "actions" if name == "actions.yaml" else "workflows"
                definitions.append((kind, text))
    examples = os.path.join(src, "examples")
    for name in sorted(os.listdir(examples)):
        if name.endswith(".yaml"):
            definitions.append(("workbooks" if "workbook" in name else "workflows", read(os.path.join(examples, name))))

    # The workflow cases (test/workflows/<area>/*.yaml): their definitions
    # are top-level literal blocks, read without a YAML library.
    cases = os.path.join(src, "test", "workflows")
    for area in sorted(os.listdir(cases)):
        folder = os.path.join(cases, area)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".yaml"):
                blocks = literal_blocks(read(os.path.join(folder, name)))
                for key, kind in (("definition", "workflows"), ("workbook", "workbooks"), ("actions", "actions")):
                    if key in blocks:
                        definitions.append((kind, blocks[key]))

    for _, text in definitions:
        seeds["yaml_spec"].add(text)
        for expr in re.findall(r"<%(.*?)%>", text):
            seeds["yaql"].add(expr.strip())
        for expr in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", text):
            seeds["jinja"].add(expr)

    for case in jsonl(os.path.join(src, "test", "data", "expr", "yaql", "cases.jsonl")):
        seeds["yaql"].add(case["expr"])
        seeds["json"].add(json.dumps(case.get("context")))
        if "result" in case:
            seeds["json"].add(json.dumps(case["result"], indent=1))
    for case in jsonl(os.path.join(src, "test", "data", "expr", "jinja", "cases.jsonl")):
        seeds["jinja"].add(case["text"])
        if "result" in case:
            seeds["json"].add(json.dumps(case["result"]))
    # What a hand would try first: nesting, escapes, numbers at their edges.
    seeds["json"].update([
        '[' * 50 + ']' * 50, '{"a": {"b": {"c": [1, 2.5, -0.0, 1e308, -9223372036854775808]}}}',
        '"\\ud83d\\ude00 \\u00e9 \\n \\" \\\\"', '18446744073709551616', '1.7976931348623157e308',
        '{"": null, "x": true, "y": false}', '  [1 , 2 ]  '])

    for case in json.loads(read(os.path.join(src, "test", "data", "scheduler", "cron_cases.json"))):
        seeds["cron"].add(case["pattern"])
    seeds["cron"].update(["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "0 0 L * *",
                          "*/15 9-17 * jan-mar mon-fri", "0 0 29 2 *", "59 23 31 12 7", "1,2,3-9/2 * * * *"])

    seeds["http_router"] = http_seeds(src, definitions)

    # Inputs that once crashed a target (test/fuzz/regressions/<target>/):
    # replayed by CTest with the seeds, so a regression fails the suite.
    regressions = os.path.join(src, "test", "fuzz", "regressions")
    for target in os.listdir(regressions):
        folder = os.path.join(regressions, target)
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as f:
                seeds[target].add(f.read())

    for target, items in seeds.items():
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            os.remove(os.path.join(folder, old))
        for item in items:
            data = item.encode("utf-8") if isinstance(item, str) else item
            if 0 < len(data) <= MAX_SEED:
                with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
                    f.write(data)


def http_seeds(src, definitions):
    """Raw HTTP/1.1 requests, several per seed where one builds on another."""
    def request(method, target, body=None, ctype="application/json", headers=()):
        head = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1:8989", *headers]
        data = b"" if body is None else body.encode("utf-8")
        if body is not None:
            head += [f"Content-Type: {ctype}", f"Content-Length: {len(data)}"]
        return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + data

    out = set()
    routes = re.findall(r"^  (/\S*):", read(os.path.join(src, "src", "api", "openapi.yaml")), re.M)
    for route in routes:
        path = re.sub(r"\{[^}]+\}", "wf", route)
        out.add(request("GET", path))
        out.add(request("DELETE", path))
        out.add(request("GET", path + "?limit=2&sort_keys=name&sort_dirs=desc&marker=x&fields=id,name"))
    out.add(request("GET", "/v2/workflows?name=in:a,b&created_at=gt:2020-01-01&namespace=ns",
                    headers=["X-Project-Id: p1", "X-Roles: admin"]))
    for kind, text in definitions[:40]:
        post = request("POST", f"/v2/{kind}", text, "text/plain", ["X-Project-Id: p1"])
        name = re.search(r"^(?:name: *)?([A-Za-z_][\w.-]*):?\s*$", text, re.M)
        item = name.group(1) if name else "wf"
        out.add(post + request("GET", f"/v2/{kind}/{item}") + request("PUT", f"/v2/{kind}", text, "text/plain")
                + request("GET", f"/v2/{kind}?limit=1") + request("DELETE", f"/v2/{kind}/{item}"))
        out.add(request("POST", f"/v2/{kind}/validate", text, "text/plain"))
    out.add(request("POST", "/v2/environments", json.dumps({"name": "env1", "variables": {"a": 1}}))
            + request("PUT", "/v2/environments", json.dumps({"name": "env1", "variables": {"b": [2]}}))
            + request("GET", "/v2/environments/env1"))
    wf = "version: '2.0'\nwf:\n  tasks:\n    t1:\n      action: std.noop\n"
    out.add(request("POST", "/v2/workflows", wf, "text/plain")
            + request("POST", "/v2/cron_triggers", json.dumps(
                {"name": "c1", "workflow_name": "wf", "pattern": "*/5 * * * *", "workflow_input": {}}))
            + request("GET", "/v2/cron_triggers/c1")
            + request("POST", "/v2/event_triggers", json.dumps(
                {"name": "e1", "workflow_id": "wf", "exchange": "x", "topic": "t", "event": "e"}))
            + request("POST", "/v2/workflows/wf/members", json.dumps({"member_id": "p2"})))
    out.add(request("POST", "/v2/code_sources?name=m1", "module.exports = {};", "text/plain")
            + request("GET", "/v2/code_sources/m1")
            + request("POST", "/v2/dynamic_actions", json.dumps({"name": "d1", "class_name": "A",
                                                                 "code_source_id": "m1"})))
    out.add(request("POST", "/v2/executions", json.dumps({"workflow_name": "wf", "input": "{}"})))
    out.add(request("POST", "/v2/action_executions", json.dumps({"name": "std.noop", "run_sync": True})))
    out.add(request("GET", "/v2/workflows/%ff%00?x=%zz&&=", headers=["Transfer-Encoding: chunked"]) + b"0\r\n\r\n")
    # Media types (api/content_negotiation.h), XML bodies (api/wsme_xml_body.h), CORS (api/cors.h).
    out.add(request("GET", "/v2/workflows", headers=["Accept: application/json;q=0.5, text/*;q=0.7, */*;q=0"])
            + request("GET", "/v2/executions/x", headers=["Accept: text/xml"])
            + request("OPTIONS", "/v2/executions", headers=["Origin: https://a.example", "Access-Control-Request-Method: PUT",
                                                            "Access-Control-Request-Headers: X-Auth-Token, x"]))
    out.add(request("POST", "/v2/executions", '<e><workflow_name>wf</workflow_name><input>{"a": 1}</input>'
                    '<tags><item>x</item></tags></e>', "text/xml", ["Accept: application/xml"])
            + request("POST", "/v2/cron_triggers", "<c><name>c</name><remaining_executions>2</remaining_executions>"
                      "<workflow_input nil=\"true\"/></c>", "text/xml"))
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def literal_blocks(text):
    """The top-level `key: |` blocks of a YAML file, dedented by two."""
    out, key = {}, None
    for line in text.split("\n"):
        m = re.match(r"^([a-z_]+): \|[-+]?$", line)
        if m:
            key = m.group(1)
            out[key] = ""
        elif key and (line.startswith("  ") or not line):
            out[key] += line[2:] + "\n"
        else:
            key = None
    return {k: v.rstrip("\n") + "\n" for k, v in out.items()}


def jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


if __name__ == "__main__":
    main()
