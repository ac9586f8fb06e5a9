#!/usr/bin/python3
"""Freezes how Mistral 15's API answers each Accept header: which media type
pecan picks for a WSME controller (JSON or XML), a text/plain definition
upload and a validator, when it refuses with 406, and the form of the
errors pecan raises itself (JSON, webob's HTML or plain text page).

    /usr/bin/python3 scripts/gen_content_negotiation_cases.py

Runs the real Mistral's pecan application in-process (its engine test base:
sqlite, auth off; python3-mistral and python3-oslotest installed) and
writes test/data/api/content_negotiation.json, which
test/integration/test_content_negotiation.py replays against `bora server`.
Identifiers, dates, the project and the server's address are normalised
(normalise() below, used by the test too)."""

import json
import os
import re
import sys
import time
import warnings

from mistral_api_app import record_with_mistral, write_cases

warnings.filterwarnings("ignore")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "test", "data", "api", "content_negotiation.json")
# webob's acceptable_offers itself, over headers the requests above do not
# try (test/unit/api/content_negotiation_test.cpp reads it).
OFFERS_OUT = os.path.join(ROOT, "test", "data", "api", "accept_offers.json")
OFFER_SETS = [["application/xml", "text/xml", "application/json"], ["text/plain"],
              ["text/plain", "text/html", "application/json"], ["text/html", "application/json"]]
HEADERS = [
    None, "", "*/*", "application/json", "Application/JSON", "text/*", "application/*", "*", "*/json", "bogus",
    "text/html;level=1", "text/plain; q=0.5, application/json; q=0.7", "text/plain ; q=0.5",
    "text/plain;Q=0.5", "text/plain;q=1.0", "text/plain;q=1.001", "text/plain;q=0.", "text/plain;q=.5",
    "text/plain;q=0.5;ext", "text/plain;q=0.5;ext=1;ext2=\"a b\"", 'text/plain;a="x\\"y"',
    'text/plain;a="unterminated', "text/plain;q=0, text/plain", "text/plain, text/plain;q=0",
    "*/*;q=0.5, text/plain;q=0", "text/*;q=0.2, */*;q=0.1, application/json;q=0.3",
    ",,", ", ,", "text/plain,", "text/plain ,application/json", "text/plain,\tapplication/json",
    "text/plain;;q=1", "text/plain;q=0.5 ;x=y", "application/json;charset=utf-8",
    "application/json;charset=utf-8, text/plain;q=0.1", "text/plain;q=0.5;q=0.2", "te xt/plain", "text/",
    "/plain", "text/plain/x", "a/b;q=0.333,c/d;q=0.3333", "*/*;q=0.001", "application/xml;q=0,text/*",
]

WF = """version: '2.0'
neg_wf:
  input:
    - who: "é<&>"
  output:
    greeting: <% $.who %>
  tasks:
    t:
      action: std.echo output=<% $.who %>
      publish:
        said: <% task().result %>
"""

WF2 = WF.replace("neg_wf", "neg_wf2")

WB = """version: '2.0'
name: neg_wb
workflows:
  w:
    tasks:
      t:
        action: std.noop
"""

ACTION = """version: '2.0'
neg_action:
  description: says it
  base: std.echo
  base-input:
    output: <% $.text %>
  input:
    - text
"""

# (method, path, content type, body, Accept or None for no header, seconds to wait first)
REQUESTS = [("POST", "/v2/workflows", "text/plain", WF, None, 0)]
for accept in [None, "", "*/*", "application/json", "application/xml", "text/xml", "application/*", "text/*", "*",
               "bogus", "image/png", "text/plain", "text/html", "APPLICATION/XML",
               "application/json;q=0.5,application/xml;q=0.4", "application/xml;q=0.5,application/json;q=0.5",
               "application/json,application/xml", "text/plain,application/json;q=0", "application/json;q=0",
               "*/*;q=0", "*/*;q=0.1,application/xml;q=0", "application/xml;charset=utf-8",
               "application/json;q=0.1234", "application/json ;q=0.5", "application/json,,text/xml;q=0.5",
               ",application/xml", ", application/json", 'a/b;x="<br>",c/d',
               "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]:
    REQUESTS.append(("GET", "/v2/workflows/neg_wf", None, None, accept, 0))
for accept in [None, "*/*", "application/json", "image/png", "text/html", "bogus", "text/plain;q=0",
               "application/json,text/plain;q=0.5", "text/html,application/xhtml+xml,*/*;q=0.8",
               "text/plain;q=0.5,application/json;q=0.6", "text/*", "application/xml"]:
    REQUESTS.append(("POST", "/v2/workflows/validate", "text/plain", WF2, accept, 0))
    REQUESTS.append(("PUT", "/v2/workflows", "text/plain", WF, accept, 0))
for accept in [None, "*/*", "application/json", "application/xml", "text/html", "text/plain",
               "text/plain;q=0.5,application/json;q=0.4", "bogus", "image/png"]:
    REQUESTS.append(("GET", "/v2/no_such_collection", None, None, accept, 0))
    REQUESTS.append(("GET", "/v2/executions/123e4567-e89b-12d3-a456-426614174000/nothing", None, None, accept, 0))
    REQUESTS.append(("PATCH", "/v2/workflows", "application/json", "{}", accept, 0))
    REQUESTS.append(("GET", "/v2", None, None, accept, 0))
    REQUESTS.append(("DELETE", "/v2", None, None, accept, 0))
    REQUESTS.append(("GET", "/v2/workflows/no_such_wf", None, None, accept, 0))
    REQUESTS.append(("GET", "/v2/workflows", None, None, accept, 0))
REQUESTS += [
    ("GET", "/v2/workflows?fields=name,input,tags&name=neg_wf", None, None, "application/xml", 0),
    ("GET", "/v2/", None, None, "application/xml", 0),
    ("GET", "/v2/", None, None, "image/png", 0),
    ("GET", "/", None, None, "application/xml", 0),
    ("GET", "/", None, None, "image/png", 0),
    ("POST", "/v2/executions", "application/json", '{"workflow_name": "neg_wf", "input": {"who": "ü"}}',
     "application/xml", 0),
    ("POST", "/v2/executions", "application/json", '{"workflow_name": "no_such_wf"}', "text/plain", 0),
    ("POST", "/v2/environments", "application/json",
     '{"name": "neg_env", "variables": {"k": [1, 2.5, true, null, "x"], "n": {"a": "é"}}, "description": "d"}',
     "application/xml", 0),
    ("GET", "/v2/environments/neg_env", None, None, "text/xml", 0),
    ("DELETE", "/v2/environments/neg_env", None, None, "application/xml", 0),
    ("DELETE", "/v2/environments/neg_env", None, None, "application/xml", 0),
    ("POST", "/v2/workbooks", "text/plain", WB, "*/*", 0),
    ("GET", "/v2/workbooks/neg_wb", None, None, "application/xml", 0),
    ("POST", "/v2/actions", "text/plain", ACTION, "*/*", 0),
    ("GET", "/v2/actions/neg_action", None, None, "application/xml", 0),
    ("GET", "/v2/actions?name=neg_action", None, None, "application/json", 0),
    ("POST", "/v2/cron_triggers", "application/json",
     '{"name": "neg_cron", "workflow_name": "neg_wf", "pattern": "0 2 * * *", "remaining_executions": 3,'
     ' "workflow_input": {"who": "x"}}', "application/xml", 0),
    ("GET", "/v2/cron_triggers/neg_cron", None, None, "application/xml", 0),
    ("GET", "/v2/executions?fields=state,input", None, None, "application/xml", 0),
    ("GET", "/v2/tasks?fields=name,state,published,result", None, None, "application/xml", 0),
    ("GET", "/v2/action_executions?fields=name,state,input,output,accepted", None, None, "application/xml", 0),
    ("GET", "/v2/tasks?fields=name,state,published,result", None, None, "application/json", 0),
    ("GET", "/v2/actions?fields=name,input&name=neg_action", None, None, "application/xml", 0),
    # {ex}: the execution the POST above started (each server's own id).
    ("GET", "/v2/executions/{ex}/report", None, None, "application/xml", 0),
    ("GET", "/v2/executions/{ex}", None, None, "text/xml", 0),
]
# Bodies in XML: WSME reads text/xml (application/xml is its 415). Where
# Mistral's XML reading fails with a 500 (XML or JSON text that does not
# parse, an integer that is not one), Bora answers 400: not frozen here.
XML_EX = ('<execution><workflow_name>neg_wf</workflow_name><input>{"who": "x"}</input><description>d</description>'
          '<tags><item>x</item><item>y</item></tags><params>{"env": {"k": 1}}</params><bogus>1</bogus></execution>')
REQUESTS += [
    ("POST", "/v2/executions", "text/xml", XML_EX, "application/json", 0),
    ("POST", "/v2/executions", "application/xml", XML_EX, "application/json", 0),
    ("POST", "/v2/executions", "text/xml", '<a><workflow_name nil="true"/></a>', "application/json", 0),
    ("POST", "/v2/executions", "text/xml", "<a><workflow_name>neg_wf</workflow_name><input>[1]</input></a>",
     "application/json", 0),
    ("POST", "/v2/executions", "text/xml", "<a><workflow_name>neg_wf</workflow_name><project_id>p</project_id></a>",
     "application/json", 0),
    ("POST", "/v2/executions", "text/xml", "<a><workflow_name>neg_wf</workflow_name><input>[]</input></a>",
     "application/xml", 0),
    ("PUT", "/v2/executions/{ex}", "text/xml", "<e><description>renamed &amp; <![CDATA[<kept>]]></description></e>",
     "application/json", 0),
    ("POST", "/v2/cron_triggers", "text/xml",
     "<c><name>neg_xml_cron</name><workflow_name>neg_wf</workflow_name><workflow_input>{\"who\": \"y\"}"
     "</workflow_input><pattern>0 3 * * *</pattern><remaining_executions> 2 </remaining_executions></c>",
     "application/json", 0),
    ("POST", "/v2/action_executions", "text/xml",
     '<a><name>std.echo</name><input>{"output": "\u00e9"}</input><params>{"run_sync": true}</params></a>',
     "application/json", 0),
    ("PUT", "/v2/tasks/no_such_task", "text/xml", "<t><reset>False</reset><state>RUNNING</state></t>",
     "application/json", 0),
    ("POST", "/v2/environments", "text/xml", "", "application/json", 0),
]
for accept in ["image/png", "application/xml", "text/html"]:
    REQUESTS += [
        ("GET", "/v2/executions/123e4567-e89b-12d3-a456-426614174000/tasks/x", None, None, accept, 0),
        ("DELETE", "/v2/workflows", None, None, accept, 0),
        ("PUT", "/v2/executions", "application/json", "{}", accept, 0),
        ("GET", "/v2/executions?bogus=1", None, None, accept, 0),
    ]

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DATE = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?")


def normalise(text, base):
    """What differs between two servers for reasons of their own: ids,
    times, the project, the address; and what Mistral answers that Bora
    does not keep (its checksums)."""
    text = text.replace(base, "<base>")
    text = UUID.sub("<id>", text)
    text = DATE.sub("<date>", text)
    text = re.sub(r"<project_id>[^<]*</project_id>", "<project_id>P</project_id>", text)
    text = re.sub(r'"project_id": "[^"]*"', '"project_id": "P"', text)
    text = re.sub(r"<checksum>[^<]*</checksum>|<checksum />", "", text)
    text = re.sub(r', "checksum": "[^"]*"|, "checksum": null', "", text)
    # Bora's own field (the kept version an execution runs, docs/API.md).
    text = re.sub(r"<workflow_version>[^<]*</workflow_version>|<workflow_version nil=\"true\" />", "", text)
    text = re.sub(r', "workflow_version": (\d+|null)', "", text)
    return text


def main():
    cases = []

    def record(app):
        ex = None
        for method, path, ctype, body, accept, wait in REQUESTS:
            if wait:
                time.sleep(wait)
            asked = path
            path = path.replace("{ex}", str(ex))
            headers = {} if accept is None else {"Accept": accept}
            kw = {"expect_errors": True, "headers": headers}
            if body is not None:
                kw["params"] = body.encode()
                kw["content_type"] = ctype
            try:
                r = getattr(app, method.lower())(path, **kw)
            except TypeError as e:
                # The definition controllers' ContentTypeHook sets JSON
                # on pecan's 406 before webob renders its page, which
                # then fails ("You cannot set the body to a text value
                # without a charset"): the WSGI server's 500. Bora
                # answers the 406 page pecan meant (docs/API.md).
                cases.append({"method": method, "path": asked, "content_type": ctype, "body": body,
                              "accept": accept, "status": 500, "mistral_failed": str(e)})
                continue
            cases.append({
                "method": method, "path": asked, "content_type": ctype, "body": body, "accept": accept,
                "status": r.status_int,
                "response_content_type": r.headers.get("Content-Type"),
                "response": normalise(r.body.decode("utf-8", "replace"), "http://localhost"),
            })
            if method == "POST" and path == "/v2/executions" and r.status_int == 201:
                m = re.search(r'<id>([^<]*)</id>|"id": "([^"]*)"', r.body.decode())
                ex = m.group(1) or m.group(2)
                time.sleep(2)  # the execution ends before the next reads

    from webob import acceptparse
    offers = []
    for header in HEADERS:
        for offer_set in OFFER_SETS:
            accept = acceptparse.create_accept_header(header)
            offers.append({"accept": header, "offers": offer_set,
                           "acceptable": [o for o, _ in accept.acceptable_offers(offer_set)]})
    with open(OFFERS_OUT, "w") as f:
        json.dump(offers, f, indent=1)
        f.write("\n")

    if not record_with_mistral(record):
        sys.exit(1)
    write_cases(cases, OUT)


if __name__ == "__main__":
    main()
