#!/usr/bin/python3
"""Freezes how Mistral 15's REST API answers queries and bodies across its
collections: list parameters (limit, marker, sort keys and directions,
fields, filters with each operator, unknown parameters), lookups by name
and id, and bodies that are wrong in each way a client gets them wrong
(types, unknown fields, missing ones, states that cannot be reached).

    /usr/bin/python3 scripts/gen_rest_cases.py

Runs the real Mistral's pecan application in-process (its engine test base:
sqlite, auth off; python3-mistral and python3-oslotest installed), sends
REQUESTS in order and writes test/data/api/rest_cases.json, which
test/integration/test_rest_cases.py replays against `bora server`.

A request may capture values of its answer (`capture`: name -> a path into
the JSON, e.g. "id" or "tasks.0.id") that later paths and bodies use as
{name}. Answers are compared as JSON after normalise(): ids that were
captured read <name>, other ids <id>, dates <date>, the project P, the
server's address <base>. A collection whose order Mistral leaves to its
ids (the default sort on created_at, equal for objects created together)
is compared in any order (`unordered`)."""

import json
import os
import re
import sys
import time
import urllib.parse
import warnings

from mistral_api_app import record_with_mistral, write_cases

warnings.filterwarnings("ignore")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "test", "data", "api", "rest_cases.json")

WF = """version: '2.0'
rest_wf:
  description: echoes
  tags: [alpha, beta]
  input:
    - who
    - greeting: hello
  output:
    said: <% $.said %>
  tasks:
    say:
      action: std.echo output="<% $.greeting %>, <% $.who %>"
      publish:
        said: <% task().result %>
rest_fail:
  tags: [beta]
  tasks:
    boom:
      action: std.fail
      on-error: cleanup
    cleanup:
      action: std.noop
      publish:
        cleaned: <% task().name %>
rest_items:
  tasks:
    each:
      with-items: x in <% [1, 2, 3] %>
      action: std.echo output=<% $.x %>
"""

WF_MORE = """version: '2.0'
rest_async:
  tasks:
    hold:
      action: std.async_noop
      publish:
        held: <% task().result %>
rest_parent:
  input:
    - n: 1
  tasks:
    call:
      workflow: rest_wf
      input:
        who: <% $.n %>
      publish:
        got: <% task().result %>
rest_reverse:
  type: reverse
  tasks:
    first:
      action: std.echo output=1
    second:
      action: std.echo output=2
      requires: [first]
"""

WB = """version: '2.0'
name: rest_wb
tags: [gamma]
workflows:
  inner:
    tasks:
      t:
        action: std.noop
"""

ACTION = """version: '2.0'
rest_action:
  description: says it
  tags: [delta]
  base: std.echo
  base-input:
    output: <% $.text %>
  input:
    - text
"""

# Stored, listed with `fields` holding `interface` and `input`, and
# deleted again (so that no other case sees them): the interface then
# shows the spec column as Mistral stores it (WorkflowSpec.to_dict(): the
# task's inline parameters merged into its `input`, `type`, `name` and
# `version` added to each task, `name` and `version` to the workflow).
WF_SPEC = """version: '2.0'
spec_wf:
  description: the stored spec
  input:
    - a
    - b: {x: 1}
    - c: yes
    - d: 1.0e+3
  vars:
    v: <% $.a %>
  task-defaults:
    retry:
      count: 2
      delay: 1
    on-error: [last]
  tasks:
    first:
      action: std.echo output=<% $.a %>
      input:
        extra: 1
      with-items: i in <% [1, 2] %>
      concurrency: 1
      on-success:
        - second: <% true %>
        - last
    second:
      action: std.noop
      wait-before: 0
      publish: {x: 1}
    last:
      workflow: rest_wf who=x
      keep-result: false
spec_rev:
  type: reverse
  tasks:
    one:
      action: std.echo output="2024-02-29"
      input: {k: 1}
    two:
      requires: one
      action: std.noop
"""

ENV = {"name": "rest_env", "description": "an env", "variables": {"k": "v", "n": [1, 2]}}

UNKNOWN = "123e4567-e89b-12d3-a456-426614174000"

# Bora refuses a time filter whose value is no time (400, what and how to
# fix it); Mistral compares it with SQLite's text and affinity rules (`lt:9`
# matches nothing, `lt:yesterday` everything) or MySQL's, an answer that
# depends on its database (docs/API.md). `refused` cases freeze Mistral's
# answer and expect Bora's 400.
NOT_A_TIME = "a time filter value that is no time"


def R(method, path, body=None, ctype=None, **kw):
    """One request. body: a str sent as is (ctype text/plain unless given),
    anything else as JSON."""
    r = {"method": method, "path": path}
    if body is not None:
        if isinstance(body, str):
            r["body"] = body
            r["content_type"] = ctype or "text/plain"
        else:
            r["body"] = json.dumps(body)
            r["content_type"] = ctype or "application/json"
    r.update(kw)
    return r


REQUESTS = [
    R("POST", "/v2/workflows", WF, capture={"wf_id": "workflows.0.id"}),
    R("POST", "/v2/workbooks", WB),
    R("POST", "/v2/actions", ACTION, capture={"action_id": "actions.0.id"}),
    R("POST", "/v2/environments", ENV),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": "you"}, "description": "ok run"},
      capture={"ex_ok": "id"}, wait=2),
    R("POST", "/v2/executions", {"workflow_name": "rest_fail"}, capture={"ex_err": "id"}, wait=2),
    R("POST", "/v2/executions", {"workflow_name": "rest_items", "params": {"env": "rest_env"}},
      capture={"ex_items": "id"}, wait=2),
    R("GET", "/v2/executions/{ex_ok}/tasks", capture={"task_ok": "tasks.0.id"}),
    R("GET", "/v2/tasks/{task_ok}/action_executions", capture={"ae_ok": "action_executions.0.id"}),
    R("GET", "/v2/executions/{ex_err}/tasks?name=boom", capture={"task_err": "tasks.0.id"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron", "workflow_name": "rest_wf", "pattern": "0 2 * * *",
                                    "workflow_input": {"who": "cron"}, "remaining_executions": 3}),
    R("POST", "/v2/workflows", WF_MORE),
    R("POST", "/v2/executions", {"workflow_name": "rest_parent", "input": {"n": 7}},
      capture={"ex_parent": "id"}, wait=3),
    R("GET", "/v2/executions/{ex_parent}/tasks", capture={"task_call": "tasks.0.id"}),
    R("GET", "/v2/executions?task_execution_id={task_call}", capture={"ex_sub": "executions.0.id"}),
    R("POST", "/v2/executions", {"workflow_name": "rest_reverse", "params": {"task_name": "second"}},
      capture={"ex_reverse": "id"}, wait=2),
    R("POST", "/v2/executions", {"workflow_name": "rest_async"}, capture={"ex_async": "id"}, wait=2),
    R("GET", "/v2/executions/{ex_async}/tasks", capture={"task_hold": "tasks.0.id"}),
    R("GET", "/v2/tasks/{task_hold}/action_executions", capture={"ae_hold": "action_executions.0.id"}),
    R("POST", "/v2/executions", {"workflow_name": "rest_async", "description": "to cancel"},
      capture={"ex_cancel": "id"}, wait=2),
]

# The objects every recording starts from (diff_random_rest.py's too).
SETUP = list(REQUESTS)

# One entry per collection: its path, a field every item has, a name one item has.
COLLECTIONS = [
    ("workflows", "name", "rest_wf"),
    ("workbooks", "name", "rest_wb"),
    ("environments", "name", "rest_env"),
    ("executions", "workflow_name", "rest_fail"),
    ("tasks", "name", "boom"),
    ("action_executions", "name", "std.fail"),
    ("cron_triggers", "name", "rest_cron"),
]
for coll, field, value in COLLECTIONS:
    one = "%s=%s" % (field, value)
    REQUESTS += [
        R("GET", "/v2/%s?%s" % (coll, one)),
        R("GET", "/v2/%s?%s=eq:%s" % (coll, field, value)),
        R("GET", "/v2/%s?%s=neq:%s&fields=%s" % (coll, field, value, field), unordered=True),
        R("GET", "/v2/%s?%s=in:%s,nothing&fields=%s" % (coll, field, value, field), unordered=True),
        R("GET", "/v2/%s?%s=nin:nothing&fields=%s" % (coll, field, field), unordered=True),
        R("GET", "/v2/%s?%s=has:rest&fields=%s" % (coll, field, field), unordered=True),
        R("GET", "/v2/%s?%s=gt:a&fields=%s" % (coll, field, field), unordered=True),
        R("GET", "/v2/%s?%s=lte:rest_wf&fields=%s" % (coll, field, field), unordered=True),
        R("GET", "/v2/%s?%s=bogus:x" % (coll, field)),
        R("GET", "/v2/%s?%s=" % (coll, field), unordered=True),
        R("GET", "/v2/%s?fields=%s&sort_keys=%s&sort_dirs=desc" % (coll, field, field), unordered=field != "name"),
        R("GET", "/v2/%s?fields=%s&sort_keys=%s&limit=1&%s" % (coll, field, field, one)),
        R("GET", "/v2/%s?limit=0" % coll),
        R("GET", "/v2/%s?limit=-1" % coll),
        R("GET", "/v2/%s?limit=abc" % coll),
        R("GET", "/v2/%s?limit=1.5" % coll),
        R("GET", "/v2/%s?limit=&%s" % (coll, one)),
        R("GET", "/v2/%s?sort_keys=bogus" % coll),
        R("GET", "/v2/%s?sort_keys=%s,%s" % (coll, field, field), unordered=True),
        R("GET", "/v2/%s?sort_dirs=up" % coll),
        R("GET", "/v2/%s?sort_keys=%s&sort_dirs=asc,desc" % (coll, field)),
        R("GET", "/v2/%s?sort_keys=%s,id&sort_dirs=desc&fields=%s" % (coll, field, field), unordered=True),
        R("GET", "/v2/%s?fields=bogus" % coll),
        R("GET", "/v2/%s?fields=id&%s" % (coll, one)),
        R("GET", "/v2/%s?fields=%s,%s&%s" % (coll, field, field, one)),
        R("GET", "/v2/%s?fields=&%s" % (coll, one)),
        R("GET", "/v2/%s?marker=not-an-id" % coll),
        R("GET", "/v2/%s?marker=%s" % (coll, UNKNOWN)),
        R("GET", "/v2/%s?bogus=1" % coll),
        R("GET", "/v2/%s?created_at=gte:2000-01-01&fields=%s" % (coll, field), unordered=True),
        R("GET", "/v2/%s?created_at=lt:2000-01-01" % coll),
        R("GET", "/v2/%s?created_at=yesterday" % coll, refused=NOT_A_TIME),
        R("GET", "/v2/%s?updated_at=&%s" % (coll, one), refused=NOT_A_TIME),
        R("GET", "/v2/%s/%s" % (coll, UNKNOWN)),
        R("GET", "/v2/%s/nothing_by_this_name" % coll),
        R("DELETE", "/v2/%s/%s" % (coll, UNKNOWN)),
    ]

# WSME's order and pecan's arguments, found by diff_random_rest.py: every
# known argument is converted before the unknown ones are named (all of
# them, in a set's order); a sub-collection's path argument given again in
# the query is read there (the bare "Expected a uuid" of Mistral's type)
# and overrides the path; each sub-collection takes its controller's
# arguments only.
ARGUMENT_CASES = [
    R("GET", "/v2/workflows?bogus=1&other=2&fields=name"),
    R("GET", "/v2/tasks?marker=not-an-id&bogus=1"),
    R("GET", "/v2/tasks?id=neq:{task_err}&type=eq:x&fields=name"),
    R("GET", "/v2/executions/{ex_items}/tasks?workflow_execution_id=nin:{ex_err}"),
    R("GET", "/v2/executions/{ex_items}/tasks?workflow_execution_id=bogus&fields=name"),
    R("GET", "/v2/executions/{ex_ok}/tasks?workflow_execution_id={ex_err}&fields=name,state", unordered=True),
    R("GET", "/v2/executions/{ex_ok}/tasks?workflow_execution_id=eq:{ex_err}&fields=name", unordered=True),
    R("GET", "/v2/tasks/{task_ok}/action_executions?task_execution_id={task_err}&fields=name,state"),
    R("GET", "/v2/tasks/{task_ok}/action_executions?task_execution_id=in:{task_err}"),
    R("GET", "/v2/tasks/{task_ok}/action_executions?workflow_id={wf_id}&task_execution_id=x"),
    R("GET", "/v2/executions/{ex_parent}/executions?id={ex_ok}"),
    R("GET", "/v2/executions/{ex_parent}/executions?id=bogus:{ex_err}"),
    R("GET", "/v2/executions/{ex_parent}/executions?id=nin:{ex_ok}&fields=input"),
    R("GET", "/v2/executions/{ex_parent}/executions?fields=state&bogus=1&id=eq:{ex_ok}"),
    R("GET", "/v2/tasks/{task_call}/executions?id={ex_ok}"),
    R("GET", "/v2/tasks/{task_call}/workflow_executions?root_execution_id={ex_ok}&include_output=true"),
    R("GET", "/v2/tasks/{task_call}/workflow_executions?project_id=x&nulls=state_info&fields=state"),
    R("GET", "/v2/tasks/{task_call}/workflow_executions?task_execution_id={task_ok}&fields=workflow_name"),
    R("GET", "/v2/tasks/{task_call}/workflow_executions?task_execution_id=in:{task_ok}"),
    # `fields` with an attribute that is no column before others: Mistral
    # zips the row (its columns only) with all the fields, so the next
    # attributes take the next columns' values, checked by their types.
    R("GET", "/v2/tasks?workflow_execution_id={ex_err}&fields=name,result,state", unordered=True),
    R("GET", "/v2/tasks?workflow_execution_id={ex_err}&fields=name,reset,state"),
    R("GET", "/v2/tasks?workflow_execution_id={ex_ok}&fields=published,env,processed"),
    R("GET", "/v2/tasks?workflow_execution_id={ex_err}&fields=env,state_info,state"),
    R("GET", "/v2/tasks?workflow_execution_id={ex_ok}&fields=reset,published_global,name"),
    R("GET", "/v2/executions?fields=published_global,state&workflow_name=rest_wf"),
    R("GET", "/v2/executions?fields=source_execution_id,description&workflow_name=rest_fail"),
    R("GET", "/v2/action_executions?fields=params,name&task_execution_id={task_ok}"),
    R("GET", "/v2/action_executions?task_execution_id={task_ok}&fields=task_name,workflow_namespace"),
    R("GET", "/v2/action_executions?task_execution_id={task_ok}&fields=task_name,accepted,input"),
    R("GET", "/v2/workflows?fields=scope,interface,name"),
    R("GET", "/v2/workflows?fields=interface,definition,scope&name=rest_wf"),
    R("GET", "/v2/workflows?fields=interface,input,definition&name=rest_wf"),
    R("GET", "/v2/workflows?name=rest_wf&fields=name,interface"),
    R("POST", "/v2/workflows?namespace=spec_ns", WF_SPEC),
    R("GET", "/v2/workflows?fields=interface,input&namespace=spec_ns"),
    R("GET", "/v2/workflows?fields=interface,input&namespace=spec_ns&limit=1&sort_keys=name"),
    R("GET", "/v2/workflows?fields=interface,scope,input&namespace=spec_ns"),
    R("GET", "/v2/workflows?fields=interface,tags,input&namespace=spec_ns"),
    R("GET", "/v2/workflows?fields=input,name,interface&namespace=spec_ns"),
    R("DELETE", "/v2/workflows/spec_wf?namespace=spec_ns"),
    R("DELETE", "/v2/workflows/spec_rev?namespace=spec_ns"),
    # Text arguments where other controllers type them; an action list's
    # namespace as its providers look it up; a task's result, no column.
    R("GET", "/v2/workflows?input=gt:n&fields=name"),
    R("GET", "/v2/actions?name=has:rest&input=lt:z&fields=name"),
    R("GET", "/v2/actions?name=has:rest&namespace=lte:&fields=name"),
    R("GET", "/v2/actions?name=has:rest&namespace=eq:&fields=name"),
    R("GET", "/v2/actions?name=has:rest&namespace=&fields=name", drop=["definition"]),
    R("GET", "/v2/actions?name=has:rest&namespace=nin:x&namespace=&fields=name", drop=["definition"]),
    R("GET", "/v2/tasks?result=x&fields=name"),
    R("GET", "/v2/workflows?name=nothing&name=rest_wf&fields=name"),
    # `fields` is checked before the sort keys (where the query sorts); a
    # `has` is SQL's LIKE unescaped (`_` any character, `%` any text); an
    # integer attribute's minimum before the method's own checks.
    R("GET", "/v2/workbooks?sort_keys=definition,bogus&fields=definition,bogus"),
    R("GET", "/v2/workflows?sort_keys=bogus&fields=name"),
    R("GET", "/v2/environments?name=has:rest_%25&fields=name"),
    R("GET", "/v2/environments?name=has:r_st&fields=name"),
    R("GET", "/v2/environments?name=has:%25&fields=name"),
    R("GET", "/v2/workflows?name=has:rest_w_&fields=name"),
    R("GET", "/v2/executions?description=has:ok_run&fields=description"),
    # A cron trigger's first time is checked before its pattern; a repeated
    # `nulls` is its last; an environment's attributes given as null are
    # stored so by an update (a NULL scope is then neither private nor
    # public), the column's default by a create.
    R("POST", "/v2/cron_triggers", {"name": "rest_cron_o", "workflow_name": "rest_wf",
                                    "pattern": "61 * * * *", "first_execution_time": "2000-01-01 00:00"}),
    R("GET", "/v2/executions?fields=workflow_name&nulls=bogus&nulls=task_execution_id&workflow_name=rest_fail"),
    R("GET", "/v2/executions?fields=workflow_name&nulls=task_execution_id&nulls=bogus"),
    R("POST", "/v2/environments", {"name": "rest_env_n", "variables": {"a": 1}, "scope": None}),
    R("PUT", "/v2/environments", {"name": "rest_env_n", "description": None, "variables": None}),
    R("PUT", "/v2/environments", {"name": "rest_env_n", "scope": None}),
    R("GET", "/v2/environments/rest_env_n"),
    R("GET", "/v2/environments?name=rest_env_n&fields=scope"),
    R("GET", "/v2/environments?scope=private&fields=name&name=has:rest_env"),
    R("GET", "/v2/environments?scope=neq:public&fields=name&name=has:rest_env"),
    R("DELETE", "/v2/environments/rest_env_n"),
    # A workbook's namespace as a path segment (pecan's positional argument).
    R("GET", "/v2/workbooks/a%2Fb"),
    R("GET", "/v2/workbooks/rest_wb/other"),
    R("GET", "/v2/workbooks/rest_wb/"),
    R("DELETE", "/v2/workbooks/nothing/ns"),
    R("POST", "/v2/cron_triggers", {"workflow_name": "rest_fail", "remaining_executions": -1}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron_m", "workflow_name": "rest_fail", "pattern": "0 2 * * *",
                                    "remaining_executions": "0"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron_m", "workflow_name": "rest_fail", "pattern": "0 2 * * *",
                                    "remaining_executions": 0.5}),
]

REQUESTS += ARGUMENT_CASES

REQUESTS += [
    # workflows
    R("GET", "/v2/workflows/rest_wf"),
    R("GET", "/v2/workflows/{wf_id}"),
    R("GET", "/v2/workflows/rest_wf?namespace=other"),
    R("GET", "/v2/workflows?created_at=gt:yesterday&fields=name", refused=NOT_A_TIME),
    R("GET", "/v2/workflows?created_at=lt:yesterday&fields=name", refused=NOT_A_TIME),
    R("GET", "/v2/workflows?created_at=neq:yesterday&fields=name", refused=NOT_A_TIME),
    R("GET", "/v2/workflows?created_at=in:yesterday,2000-01-01&fields=name", refused=NOT_A_TIME),
    R("GET", "/v2/workflows?updated_at=neq:&fields=name", refused=NOT_A_TIME),
    R("GET", "/v2/workflows?created_at=gt:2000&fields=name", refused=NOT_A_TIME),
    R("GET", "/v2/workflows?created_at=gt:2000-01-01T00:00:00&fields=name", unordered=True),
    R("GET", "/v2/workflows?created_at=2000-01-01&fields=name", unordered=True),
    R("GET", "/v2/executions?created_at=gt:9&fields=workflow_name", refused=NOT_A_TIME),
    R("GET", "/v2/executions?created_at=lt:9&fields=workflow_name", refused=NOT_A_TIME),
    R("GET", "/v2/executions?created_at=lt:2&fields=workflow_name", refused=NOT_A_TIME),
    R("GET", "/v2/workflows?tags=beta&fields=name", unordered=True),
    R("GET", "/v2/workflows?tags=alpha,beta&fields=name", unordered=True),
    R("GET", "/v2/workflows?scope=private&fields=name", unordered=True),
    R("GET", "/v2/workflows?scope=bogus"),
    R("GET", "/v2/workflows?input=who&fields=name,input"),
    R("GET", "/v2/workflows?namespace=&fields=name", unordered=True),
    R("POST", "/v2/workflows", WF),
    R("POST", "/v2/workflows", ""),
    R("POST", "/v2/workflows", "version: '2.0'\n"),
    R("POST", "/v2/workflows", "just text"),
    R("POST", "/v2/workflows", "version: '2.0'\nrest_wf_json:\n  tasks:\n    t:\n      action: std.noop\n",
      ctype="application/json"),
    R("POST", "/v2/workflows?scope=bogus", WF.replace("rest_", "rest2_")),
    R("PUT", "/v2/workflows", WF.replace("echoes", "echoes again")),
    R("PUT", "/v2/workflows/{wf_id}", WF),
    R("PUT", "/v2/workflows", "version: '2.0'\nno_such_wf:\n  tasks:\n    t:\n      action: std.noop\n"),
    R("POST", "/v2/workflows/validate", WF),
    R("POST", "/v2/workflows/validate", "version: '2.0'\nbad:\n  tasks:\n    t:\n      action: std.noop\n"
                                        "      on-success: nowhere\n"),
    R("POST", "/v2/workflows/validate", ""),
    R("DELETE", "/v2/workflows/rest_wf"),
    # workbooks
    R("GET", "/v2/workbooks/rest_wb"),
    R("GET", "/v2/workbooks?tags=gamma&fields=name"),
    R("POST", "/v2/workbooks", WB),
    R("POST", "/v2/workbooks", "version: '2.0'\nworkflows: {}\n"),
    R("PUT", "/v2/workbooks", WB.replace("gamma", "epsilon")),
    R("PUT", "/v2/workbooks", WB.replace("rest_wb", "no_such_wb")),
    R("POST", "/v2/workbooks/validate", WB),
    R("POST", "/v2/workbooks/validate", "version: '2.0'\nname: x\nworkflows: 5\n"),
    # A workflows document sent as a workbook: its workflows are unknown
    # top-level keys, listed sorted, before the missing name.
    R("POST", "/v2/workbooks/validate", WF),
    R("POST", "/v2/workbooks", WF),
    # actions
    R("GET", "/v2/actions/rest_action"),
    R("GET", "/v2/actions/{action_id}"),
    R("GET", "/v2/actions?name=rest_action&fields=name,input,description,tags,is_system"),
    R("GET", "/v2/actions?tags=delta&fields=name"),
    # Bora describes the std actions in its own words (docs/API.md).
    R("GET", "/v2/actions?name=std.noop&fields=name,input,is_system,scope", drop=["description"]),
    R("GET", "/v2/actions?name=in:std.echo,std.fail&fields=name,input&sort_keys=name", drop=["description"]),
    # What `mistral-db-manage populate` registers (std.wait_ssh); Bora's
    # definition and description are its own words.
    R("GET", "/v2/actions/std.wait_ssh", drop=["definition", "description"]),
    R("GET", "/v2/actions?name=std.wait_ssh&fields=name,input,scope,tags", drop=["definition", "description"]),
    R("GET", "/v2/actions?is_system=false&fields=name"),
    R("GET", "/v2/actions?is_system=bogus&fields=name"),
    R("POST", "/v2/actions", ACTION),
    R("PUT", "/v2/actions", ACTION.replace("says it", "says it again")),
    R("DELETE", "/v2/actions/std.echo"),
    R("POST", "/v2/actions/validate", ACTION),
    R("POST", "/v2/actions/validate", "version: '2.0'\nbad_action:\n  base: 5\n"),
    # environments
    R("GET", "/v2/environments/rest_env"),
    R("POST", "/v2/environments", ENV),
    R("POST", "/v2/environments", {"name": "rest_env2"}),
    R("POST", "/v2/environments", {"variables": {"a": 1}}),
    R("POST", "/v2/environments", {"name": "rest_env3", "variables": "not json"}),
    R("POST", "/v2/environments", {"name": "rest_env4", "variables": "{\"a\": 1}", "scope": "public"}),
    R("POST", "/v2/environments", {"name": "rest_env5", "variables": {}, "scope": "bogus"}),
    R("POST", "/v2/environments", {"name": "rest_env6", "variables": [1, 2]}),
    R("POST", "/v2/environments", {"name": "rest_env7", "variables": {}, "bogus": 1}),
    R("POST", "/v2/environments", {"name": 5, "variables": {}}),
    R("POST", "/v2/environments", "[1, 2]", ctype="application/json"),
    R("POST", "/v2/environments", "{not json", ctype="application/json"),
    R("PUT", "/v2/environments", {"name": "rest_env", "variables": {"k": "w"}}),
    R("PUT", "/v2/environments", {"name": "rest_env", "description": "only this"}),
    R("PUT", "/v2/environments", {"name": "no_such_env", "variables": {}}),
    R("PUT", "/v2/environments", {"variables": {}}),
    R("GET", "/v2/environments?fields=name,variables,description,scope&name=rest_env"),
    R("DELETE", "/v2/environments/rest_env4"),
    # executions
    R("GET", "/v2/executions/{ex_ok}"),
    R("GET", "/v2/executions/{ex_err}"),
    R("GET", "/v2/executions/{ex_items}"),
    R("GET", "/v2/executions?state=SUCCESS&fields=workflow_name,state", unordered=True),
    R("GET", "/v2/executions?state=ERROR&fields=workflow_name,state,state_info"),
    R("GET", "/v2/executions?state=BOGUS"),
    R("GET", "/v2/executions?state=in:SUCCESS,ERROR&fields=workflow_name", unordered=True),
    R("GET", "/v2/executions?include_output=true&workflow_name=rest_wf"),
    R("GET", "/v2/executions?include_output=bogus&workflow_name=rest_wf"),
    R("GET", "/v2/executions?description=ok%20run&fields=description"),
    R("GET", "/v2/executions?workflow_id={wf_id}&fields=workflow_name"),
    R("GET", "/v2/executions?input=%7B%22who%22%3A%20%22you%22%7D&fields=workflow_name,input"),
    R("GET", "/v2/executions?params=%7B%7D&fields=workflow_name"),
    R("GET", "/v2/executions?task_execution_id={task_ok}"),
    R("GET", "/v2/executions?root_execution_id={ex_ok}"),
    R("GET", "/v2/executions?fields=workflow_name,output,params&workflow_name=rest_items"),
    R("GET", "/v2/executions/{ex_ok}/report"),
    R("GET", "/v2/executions/{ex_err}/report?errors_only=true"),
    R("GET", "/v2/executions/{ex_ok}/report?max_depth=bogus"),
    R("GET", "/v2/executions/{ex_ok}/tasks?fields=name,state"),
    R("GET", "/v2/executions/{ex_ok}/executions"),
    R("POST", "/v2/executions", {}),
    R("POST", "/v2/executions", {"workflow_name": "no_such_wf"}),
    R("POST", "/v2/executions", {"workflow_id": UNKNOWN}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf"}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": 1, "bogus": 2}}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": "not json"}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": [1]}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": 1}, "params": "not json"}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": 1}, "params": {"env": "no_env"}}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": 1}, "bogus": 1}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "workflow_namespace": "other", "input": {"who": 1}}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": 1}, "state": "PAUSED"}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": 1}, "id": "not-a-uuid"}),
    R("POST", "/v2/executions", {"source_execution_id": UNKNOWN}),
    R("PUT", "/v2/executions/{ex_ok}", {}),
    R("PUT", "/v2/executions/{ex_ok}", {"state": "RUNNING"}),
    R("PUT", "/v2/executions/{ex_ok}", {"state": "BOGUS"}),
    R("PUT", "/v2/executions/{ex_ok}", {"state": "PAUSED"}),
    R("PUT", "/v2/executions/{ex_ok}", {"state": "ERROR", "state_info": "x"}),
    R("PUT", "/v2/executions/{ex_ok}", {"description": "renamed", "state": "PAUSED"}),
    R("PUT", "/v2/executions/{ex_ok}", {"description": "renamed"}),
    R("PUT", "/v2/executions/{ex_ok}", {"params": {"env": {"a": 1}}}),
    R("PUT", "/v2/executions/{ex_ok}", {"bogus": 1}),
    R("PUT", "/v2/executions/{ex_err}", {"state": "SUCCESS"}),
    R("PUT", "/v2/executions/{ex_err}", {"state": "CANCELLED"}),
    R("PUT", "/v2/executions/%s" % UNKNOWN, {"state": "PAUSED"}),
    # tasks
    R("GET", "/v2/tasks/{task_ok}"),
    R("GET", "/v2/tasks/{task_err}"),
    R("GET", "/v2/tasks?workflow_execution_id={ex_err}&fields=name,state,state_info", unordered=True),
    R("GET", "/v2/tasks?workflow_execution_id={ex_items}&fields=name,state,published,runtime_context"),
    R("GET", "/v2/tasks?workflow_name=rest_fail&fields=name,state,type", unordered=True),
    R("GET", "/v2/tasks?state=ERROR&fields=name"),
    R("GET", "/v2/tasks?processed=true&fields=name", unordered=True),
    R("GET", "/v2/tasks?reset=true"),
    R("GET", "/v2/tasks?env=%7B%7D"),
    R("PUT", "/v2/tasks/{task_ok}", {"state": "RUNNING"}),
    R("PUT", "/v2/tasks/{task_ok}", {"state": "RUNNING", "reset": True}),
    R("PUT", "/v2/tasks/{task_err}", {"state": "SUCCESS"}),
    R("PUT", "/v2/tasks/{task_err}", {}),
    # `reset: null` is None to WSME, which its mandatory check takes: the
    # state is checked next.
    R("PUT", "/v2/tasks/{task_err}", {"state": "", "reset": None}),
    R("PUT", "/v2/tasks/{task_ok}", {"state": "RUNNING", "reset": None}),
    R("PUT", "/v2/tasks/%s" % UNKNOWN, {"state": "RUNNING", "reset": True}),
    # action executions
    R("GET", "/v2/action_executions/{ae_ok}"),
    R("GET", "/v2/action_executions?task_execution_id={task_ok}"),
    R("GET", "/v2/action_executions?task_execution_id={task_ok}&fields=name,output,input,accepted"),
    R("GET", "/v2/action_executions?workflow_name=rest_fail&fields=name,state,state_info", unordered=True),
    R("GET", "/v2/action_executions?state=ERROR&fields=name,state"),
    R("GET", "/v2/action_executions?accepted=false&fields=name"),
    R("GET", "/v2/action_executions?include_output=true&task_execution_id={task_ok}"),
    R("GET", "/v2/action_executions?output=%7B%7D"),
    R("GET", "/v2/tasks/{task_ok}/action_executions?fields=name,output"),
    R("GET", "/v2/tasks/{task_ok}/action_executions/{ae_ok}"),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "hi"}},
      drop=["id", "created_at", "updated_at"]),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": "{\"output\": \"as text\"}"}),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "s"},
                                        "params": {"save_result": True, "run_sync": True}}),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "s"}, "params": {"run_sync": "x"}}),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"bogus": 1}}),
    R("POST", "/v2/action_executions", {"name": "std.echo"}),
    R("POST", "/v2/action_executions", {"name": "no.such"}),
    R("POST", "/v2/action_executions", {"input": {"output": 1}}),
    R("POST", "/v2/action_executions", {"name": "std.fail"}),
    R("POST", "/v2/action_executions", {"name": "rest_action", "input": {"text": "ad hoc"}}),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": [1]}),
    R("PUT", "/v2/action_executions/{ae_ok}", {"state": "SUCCESS", "output": "changed"}),
    R("PUT", "/v2/action_executions/{ae_ok}", {"state": "BOGUS"}),
    R("PUT", "/v2/action_executions/{ae_ok}", {}),
    R("PUT", "/v2/action_executions/%s" % UNKNOWN, {"state": "SUCCESS", "output": "x"}),
    # cron triggers
    R("GET", "/v2/cron_triggers/rest_cron"),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron", "workflow_name": "rest_wf", "pattern": "0 2 * * *"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron2", "workflow_name": "rest_wf", "pattern": "bogus"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron3", "workflow_name": "no_such_wf", "pattern": "0 2 * * *"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron4", "workflow_name": "rest_wf"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron5", "workflow_name": "rest_wf", "pattern": "0 2 * * *",
                                    "remaining_executions": 0}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron6", "workflow_name": "rest_wf", "pattern": "0 2 * * *",
                                    "remaining_executions": "x"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron7", "workflow_name": "rest_wf", "pattern": "0 2 * * *",
                                    "first_execution_time": "2000-01-01 00:00"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron8", "workflow_name": "rest_wf", "pattern": "0 2 * * *",
                                    "workflow_input": "not json"}),
    R("POST", "/v2/cron_triggers", {"workflow_name": "rest_wf", "pattern": "0 2 * * *"}),
    R("POST", "/v2/cron_triggers", {"name": "rest_cron9", "workflow_name": "rest_wf", "pattern": "*/5 * * * *",
                                    "workflow_params": {"env": {"x": 1}}, "workflow_input": {"who": "x"}},
      drop=["next_execution_time"]),
    R("GET", "/v2/cron_triggers?workflow_name=rest_wf&fields=name,pattern,remaining_executions",
      unordered=True),
    R("GET", "/v2/cron_triggers?pattern=0%202%20*%20*%20*&fields=name"),
    R("DELETE", "/v2/cron_triggers/rest_cron9"),
    R("DELETE", "/v2/cron_triggers/rest_cron9"),
    # members
    R("GET", "/v2/workflows/{wf_id}/members"),
    R("POST", "/v2/workflows/{wf_id}/members", {"member_id": "other"}),
    R("POST", "/v2/workflows/{wf_id}/members", {}),
    R("GET", "/v2/workflows/{wf_id}/members/other"),
    R("PUT", "/v2/workflows/{wf_id}/members/other", {"status": "accepted"}),
    R("GET", "/v2/workflows/{wf_id}/members"),
    R("DELETE", "/v2/workflows/{wf_id}/members/other"),
    R("GET", "/v2/bogus_resource/{wf_id}/members"),
    # sub-workflows, reverse workflows, running executions
    R("GET", "/v2/executions/{ex_parent}"),
    R("GET", "/v2/executions/{ex_sub}"),
    R("GET", "/v2/executions/{ex_parent}/executions"),
    R("GET", "/v2/executions/{ex_parent}/executions?fields=workflow_name,state"),
    R("GET", "/v2/executions/{ex_sub}/executions"),
    R("GET", "/v2/executions?root_execution_id={ex_parent}&fields=workflow_name,task_execution_id"),
    R("GET", "/v2/executions/{ex_parent}/report"),
    R("GET", "/v2/executions/{ex_parent}/report?max_depth=0"),
    R("GET", "/v2/executions/{ex_parent}/report?max_depth=1&errors_only=true"),
    R("GET", "/v2/tasks/{task_call}"),
    R("GET", "/v2/tasks/{task_call}/workflow_executions"),
    R("GET", "/v2/tasks/{task_call}/executions"),
    R("GET", "/v2/tasks/{task_call}/action_executions"),
    R("GET", "/v2/executions/{ex_reverse}"),
    R("GET", "/v2/executions/{ex_reverse}/tasks?fields=name,state,result&sort_keys=name"),
    R("POST", "/v2/executions", {"workflow_name": "rest_reverse"}),
    R("POST", "/v2/executions", {"workflow_name": "rest_reverse", "params": {"task_name": "nothing"}}),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "input": {"who": 1}, "params": {"task_name": "say"}},
      drop=["id", "created_at", "updated_at"], wait=2),
    R("GET", "/v2/executions/{ex_async}"),
    R("GET", "/v2/tasks/{task_hold}"),
    R("GET", "/v2/action_executions/{ae_hold}"),
    R("DELETE", "/v2/executions/{ex_async}"),
    R("PUT", "/v2/executions/{ex_async}", {"state": "PAUSED"}, wait=1),
    R("PUT", "/v2/executions/{ex_async}", {"state": "PAUSED"}),
    R("PUT", "/v2/executions/{ex_async}", {"params": {"env": {"k": "paused"}}}),
    R("GET", "/v2/executions/{ex_async}?fields=state,params"),
    R("PUT", "/v2/executions/{ex_async}", {"state": "RUNNING"}, wait=1),
    R("PUT", "/v2/executions/{ex_async}", {"state": "RUNNING"}),
    R("PUT", "/v2/executions/{ex_async}", {"state": "SUCCESS"}),
    R("PUT", "/v2/action_executions/{ae_hold}", {"state": "RUNNING"}),
    R("PUT", "/v2/action_executions/{ae_hold}", {"state": "SUCCESS", "output": {"done": True}}, wait=2),
    R("PUT", "/v2/action_executions/{ae_hold}", {"state": "SUCCESS", "output": "again"}),
    R("GET", "/v2/executions/{ex_async}"),
    R("GET", "/v2/tasks/{task_hold}"),
    R("PUT", "/v2/executions/{ex_cancel}", {"state": "CANCELLED", "state_info": "no longer needed"}, wait=2),
    R("GET", "/v2/executions/{ex_cancel}"),
    R("GET", "/v2/executions/{ex_cancel}/tasks?fields=name,state,state_info"),
    R("GET", "/v2/action_executions?task_execution_id={task_hold}&fields=name,state,output"),
    # (Mistral 15 fails with a KeyError 500 on a source_execution_id without a description)
    R("POST", "/v2/executions", {"source_execution_id": "{ex_ok}", "description": "copy"},
      drop=["id", "created_at", "updated_at"], wait=2),
    R("POST", "/v2/executions", {"source_execution_id": "{ex_ok}", "description": "copy", "input": {"who": "other"}},
      drop=["id", "created_at", "updated_at"], wait=2),
    # What the body names replaces the source's (merge_dicts): both empty,
    # no workflow; an empty name alone leaves the source's workflow id.
    R("POST", "/v2/executions", {"source_execution_id": "{ex_ok}", "description": "copy", "workflow_name": "",
                                 "workflow_id": ""}),
    R("POST", "/v2/executions", {"source_execution_id": "{ex_ok}", "description": "copy2", "workflow_name": "",
                                 "input": {"who": "again"}},
      drop=["id", "created_at", "updated_at"], wait=2),
    # The merged workflow_id (the source's) is what starts, whatever name.
    R("POST", "/v2/executions", {"source_execution_id": "{ex_ok}", "description": "copy3", "workflow_name": "rest_fail",
                                 "input": {"who": "third"}},
      drop=["id", "created_at", "updated_at"], wait=2),
    R("POST", "/v2/executions", {"workflow_id": "{wf_id}", "input": {"who": "by id"}},
      drop=["id", "created_at", "updated_at"], wait=2),
    R("POST", "/v2/executions", {"workflow_id": "{wf_id}", "workflow_name": "rest_fail"}),
    R("GET", "/v2/executions?fields=workflow_name,description,state&sort_keys=description&sort_dirs=desc"
             "&description=neq:"),
    # namespaces and scopes
    R("POST", "/v2/workflows?namespace=ns1", WF.replace("echoes", "in ns1"),
      capture={"wf_ns1": "workflows.0.id"}),
    R("POST", "/v2/workflows?namespace=ns1", WF),
    R("GET", "/v2/workflows/rest_wf?namespace=ns1"),
    R("GET", "/v2/workflows/{wf_ns1}"),
    R("GET", "/v2/workflows?namespace=ns1&fields=name,namespace", unordered=True),
    R("GET", "/v2/workflows?namespace=in:ns1,ns2&fields=name,namespace", unordered=True),
    R("GET", "/v2/workflows?namespace=neq:&fields=name,namespace&name=rest_wf"),
    R("GET", "/v2/workflows?name=rest_wf&fields=name,namespace,description", unordered=True),
    R("PUT", "/v2/workflows?namespace=ns1", WF.replace("echoes", "in ns1 again")),
    R("PUT", "/v2/workflows?namespace=ns2", WF),
    R("POST", "/v2/executions", {"workflow_name": "rest_wf", "workflow_namespace": "ns1", "input": {"who": "ns"}},
      capture={"ex_ns1": "id"}, wait=2),
    R("GET", "/v2/executions/{ex_ns1}"),
    R("GET", "/v2/executions?workflow_namespace=ns1&fields=workflow_name,workflow_namespace,params"),
    R("GET", "/v2/tasks?workflow_namespace=ns1&fields=name,workflow_namespace"),
    R("GET", "/v2/action_executions?workflow_namespace=ns1&fields=name,workflow_namespace"),
    R("DELETE", "/v2/workflows/rest_wf?namespace=ns2"),
    R("POST", "/v2/workflows?scope=public", "version: '2.0'\nrest_public:\n  tasks:\n    t:\n      action: std.noop\n"),
    R("GET", "/v2/workflows/rest_public"),
    R("GET", "/v2/workflows?scope=public&fields=name,scope"),
    R("PUT", "/v2/workflows?scope=private", "version: '2.0'\nrest_public:\n  tasks:\n    t:\n      action: std.noop\n"),
    R("PUT", "/v2/workflows/{wf_ns1}", WF.replace("rest_wf", "rest_renamed")),
    R("PUT", "/v2/workflows/{wf_ns1}", "version: '2.0'\nrest_renamed:\n  tasks:\n    t:\n      action: std.noop\n"),
    R("PUT", "/v2/workflows/%s" % UNKNOWN, "version: '2.0'\nx:\n  tasks:\n    t:\n      action: std.noop\n"),
    R("DELETE", "/v2/workflows/{wf_ns1}"),
    R("DELETE", "/v2/workflows/rest_wf?namespace=ns1"),
    R("POST", "/v2/workbooks?namespace=ns1", WB),
    R("GET", "/v2/workbooks/rest_wb?namespace=ns1"),
    R("GET", "/v2/workbooks?namespace=ns1&fields=name,namespace"),
    R("GET", "/v2/workflows?name=rest_wb.inner&fields=name,namespace", unordered=True),
    R("DELETE", "/v2/workbooks/rest_wb?namespace=ns1"),
    R("POST", "/v2/actions?namespace=ns1", ACTION),
    R("GET", "/v2/actions/rest_action?namespace=ns1"),
    R("GET", "/v2/actions?namespace=ns1&fields=name,namespace&name=rest_action"),
    R("DELETE", "/v2/actions/rest_action?namespace=ns1"),
    R("POST", "/v2/actions?scope=bogus", ACTION.replace("rest_action", "rest_action2")),
    # environments and executions' params
    R("POST", "/v2/environments", {"name": "rest_env_s", "variables": "{\"a\": [1, {\"b\": null}]}",
                                   "description": "from text"}),
    R("GET", "/v2/environments/rest_env_s"),
    R("PUT", "/v2/environments", {"name": "rest_env_s", "variables": "{\"a\": 2}", "scope": "public"}),
    R("PUT", "/v2/environments", {"name": "rest_env_s", "scope": "bogus"}),
    R("GET", "/v2/environments?scope=public&fields=name,scope,variables"),
    R("POST", "/v2/executions", {"workflow_name": "rest_items", "params": {"env": {"inline": True}},
                                 "description": "inline env"}, capture={"ex_env": "id"}, wait=2),
    R("GET", "/v2/executions/{ex_env}?fields=params,description"),
    R("POST", "/v2/executions", {"workflow_name": "rest_items", "params": {"env": "rest_env_s",
                                                                           "notify": [{"type": "bogus"}]}},
      refused="a notifier type that is none (Mistral stores it and never notifies)"),
    R("POST", "/v2/executions", {"workflow_name": "rest_items", "params": {"evaluate_env": False, "env": {"x": 1}}},
      drop=["id", "created_at", "updated_at"], wait=2),
    R("POST", "/v2/executions", {"workflow_name": "rest_items", "params": {"read_only": True}},
      drop=["id", "created_at", "updated_at"], wait=2),
    R("DELETE", "/v2/environments/rest_env_s"),
    # reruns
    R("PUT", "/v2/tasks/{task_err}", {"state": "RUNNING", "reset": True, "env": "{\"k\": 1}"}, wait=2),
    R("GET", "/v2/executions/{ex_err}?fields=state,state_info"),
    R("GET", "/v2/executions/{ex_err}/tasks?fields=name,state&sort_keys=name", unordered=True),
    R("PUT", "/v2/tasks/{task_err}", {"state": "RUNNING", "reset": False}),
    # (not state SKIPPED: Bora's skip of a failed task, which Mistral 15 does
    # not have; test_executions_api)
    R("PUT", "/v2/tasks/{task_err}", {"state": "RUNNING", "reset": True}, wait=2),
    R("GET", "/v2/executions/{ex_err}/tasks?fields=name,state&sort_keys=name", unordered=True),
    R("PUT", "/v2/tasks/{task_ok}", {"state": "RUNNING", "reset": "yes"}),
    R("PUT", "/v2/tasks/{task_ok}", {"state": "RUNNING", "env": "not json"}),
    # action executions run directly
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "d"}, "description": "described"},
      drop=["id", "created_at", "updated_at"]),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "n"},
                                        "params": {"save_result": False}},
      drop=["id", "created_at", "updated_at"]),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "a"}, "params": {"run_sync": False}},
      drop=["id", "created_at", "updated_at", "state", "output"]),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "t"}, "params": {"timeout": 5}},
      drop=["id", "created_at", "updated_at"]),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "w"}, "workflow_name": "rest_wf"}),
    R("POST", "/v2/action_executions", {"name": "std.echo", "input": {"output": "n"}, "namespace": "ns1"}),
    R("POST", "/v2/action_executions", {"name": "std.http", "input": {"url": "http://127.0.0.1:1/x"},
                                        "params": {"run_sync": True}},
      drop=["id", "created_at", "updated_at"]),
    R("GET", "/v2/action_executions?task_execution_id=null&fields=name,state,description",
      unordered=True),
    R("GET", "/v2/action_executions?description=described&fields=name,description,output"),
    # more lookups and lists
    R("GET", "/v2/event_triggers"),
    R("GET", "/v2/event_triggers/%s" % UNKNOWN),
    R("GET", "/v2/event_triggers?limit=abc"),
    R("GET", "/v2/executions?all_projects=true&fields=workflow_name&workflow_name=rest_fail"),
    R("GET", "/v2/executions?all_projects=bogus&fields=workflow_name&workflow_name=rest_fail"),
    R("GET", "/v2/executions?project_id=not-a-uuid"),
    R("GET", "/v2/executions?nulls=description&fields=workflow_name&workflow_name=rest_fail"),
    R("GET", "/v2/executions?include_output=1&workflow_name=rest_fail&fields=workflow_name,output"),
    R("GET", "/v2/executions?workflow_name=rest_fail&sort_keys=workflow_name&sort_dirs=DESC&fields=workflow_name"),
    R("GET", "/v2/executions?workflow_name=rest_fail&sort_keys=Workflow_Name&fields=workflow_name"),
    R("GET", "/v2/executions?workflow_name=rest_fail&fields=%20workflow_name%20,STATE"),
    R("GET", "/v2/executions?workflow_name=rest_fail&limit=1000000"),
    R("GET", "/v2/tasks?workflow_execution_id=not-a-uuid"),
    R("GET", "/v2/tasks?processed=&fields=name&name=boom"),
    R("GET", "/v2/action_executions?accepted=0&fields=name&name=std.fail"),
    R("GET", "/v2/workbooks/rest_wb?fields=name"),
    R("GET", "/v2/workflows/rest_wf?fields=name,input"),
    R("GET", "/v2/workflows/rest_wf?bogus=1"),
    R("POST", "/v2/workflows/validate?namespace=x", WF),
    R("POST", "/v2/executions", "workflow_name=rest_wf", ctype="application/x-www-form-urlencoded"),
    R("POST", "/v2/executions", "{\"workflow_name\": \"rest_wf\", \"input\": {\"who\": 1},}", ctype="application/json"),
    R("PUT", "/v2/executions", {}),
    R("DELETE", "/v2/executions"),
    R("GET", "/v2/cron_triggers/rest_cron?fields=name"),
    R("PUT", "/v2/cron_triggers/rest_cron", {"pattern": "0 3 * * *"}),
    # pages
    R("GET", "/v2/workflows?limit=2&sort_keys=name&fields=name", capture={"next": "next"}),
    R("GET", "{next}", capture={"next": "next"}),
    R("GET", "{next}"),
    R("GET", "/v2/executions?limit=1&sort_keys=workflow_name,description&sort_dirs=asc,desc"
             "&fields=workflow_name,description", capture={"next": "next"}),
    R("GET", "{next}"),
    R("GET", "/v2/tasks?limit=1&sort_keys=name&sort_dirs=desc&fields=name&workflow_name=rest_fail",
      capture={"next": "next"}),
    R("GET", "{next}"),
    R("GET", "/v2/workflows?limit=1&sort_keys=name&sort_dirs=desc&fields=name,tags&tags=beta",
      capture={"next": "next"}),
    R("GET", "{next}"),
    R("GET", "/v2/environments?limit=1&marker=&fields=name"),
    R("GET", "/v2/action_executions?limit=1&sort_keys=name&sort_dirs=desc&fields=name,state&name=neq:std.echo",
      capture={"next": "next"}),
    R("GET", "{next}"),
    # root
    R("GET", "/"),
    R("GET", "/v2/"),
    # (not /v2/services: Mistral answers it only with a coordination backend,
    # 406 "Service API is not supported." without; Bora's nodes always have one)
    # deleting what is used, then cleaning up
    R("DELETE", "/v2/workflows/rest_wf"),
    R("DELETE", "/v2/cron_triggers/rest_cron"),
    R("DELETE", "/v2/executions/{ex_ok}"),
    R("GET", "/v2/executions/{ex_ok}"),
    R("DELETE", "/v2/workflows/rest_wf"),
    R("DELETE", "/v2/environments/rest_env"),
    R("DELETE", "/v2/workbooks/rest_wb"),
    R("DELETE", "/v2/actions/rest_action"),
]

# Code sources and dynamic actions: a Python module, as Mistral's users
# write them. Their policy rules (admin only by default) are opened on both
# sides: CODE_SOURCE_RULES here, test_rest_cases' policy file there.
PY_SOURCE = """from mistral_lib import actions


class Hello(actions.Action):
    \"\"\"Greets someone.\"\"\"

    def __init__(self, name, greeting="Hello"):
        super().__init__()
        self.name = name
        self.greeting = greeting

    def run(self, context):
        return "%s, %s!" % (self.greeting, self.name)


class Anything(actions.Action):
    def __init__(self, **kwargs):
        super().__init__()
        self.kwargs = kwargs

    def run(self, context):
        return sorted(self.kwargs)
"""
CODE_SOURCE_RULES = ("code_sources:", "dynamic_actions:")
REQUESTS += [
    R("POST", "/v2/code_sources?name=rest_py", PY_SOURCE, capture={"cs_id": "id"}),
    R("POST", "/v2/code_sources?name=rest_py", PY_SOURCE),
    R("GET", "/v2/code_sources/rest_py"),
    R("GET", "/v2/code_sources/{cs_id}"),
    R("GET", "/v2/code_sources/nothing_by_this_name"),
    R("GET", "/v2/code_sources?fields=name,version,scope"),
    R("PUT", "/v2/code_sources?identifier=rest_py", PY_SOURCE.replace("Greets", "Greets warmly")),
    R("GET", "/v2/code_sources?fields=name,version&name=rest_py"),
    R("POST", "/v2/dynamic_actions", {"name": "rest_hello", "class_name": "Hello", "code_source_name": "rest_py"},
      capture={"da_id": "id"}),
    R("POST", "/v2/dynamic_actions", {"name": "rest_any", "class_name": "Anything", "code_source_id": "{cs_id}"}),
    R("POST", "/v2/dynamic_actions", {"name": "rest_x", "class_name": "Hello"}),
    R("POST", "/v2/dynamic_actions", {"name": "rest_x", "class_name": "Hello", "code_source_name": "nope"}),
    R("POST", "/v2/dynamic_actions", {"name": "rest_hello", "class_name": "Hello", "code_source_name": "rest_py"}),
    R("GET", "/v2/dynamic_actions/rest_hello"),
    R("GET", "/v2/dynamic_actions/{da_id}"),
    R("GET", "/v2/dynamic_actions?fields=name,class_name,code_source_name&sort_keys=name"),
    R("PUT", "/v2/dynamic_actions", {"name": "rest_hello", "class_name": "Hello", "scope": "private"}),
    R("PUT", "/v2/dynamic_actions", {"class_name": "Hello"}),
    # The lists take Mistral's arguments only (no version, class name or
    # code source); a code source's `actions` is a field with no column.
    R("GET", "/v2/code_sources?version=1&fields=name"),
    R("GET", "/v2/code_sources?content=x&bogus=1&fields=name"),
    R("GET", "/v2/code_sources?fields=version,actions&name=rest_py"),
    R("GET", "/v2/code_sources?fields=actions,version&name=rest_py"),
    R("GET", "/v2/dynamic_actions?class_name=Hello&fields=name"),
    R("GET", "/v2/dynamic_actions?code_source_name=rest_py&code_source_id=x&fields=name"),
    R("GET", "/v2/dynamic_actions?name=rest_hello&fields=name,class_name"),
    # Any text is stored as it is, an empty one too (Python modules are
    # taken here); an unknown code source is a 404 whatever the body.
    R("POST", "/v2/code_sources?name=rest_broken", "def broken(:\n"),
    R("POST", "/v2/code_sources?name=rest_empty", ""),
    R("PUT", "/v2/code_sources?identifier=rest_empty", "function f( {"),
    R("PUT", "/v2/code_sources?identifier=nothing_by_this_name", ""),
    R("PUT", "/v2/code_sources?identifier=nothing_by_this_name&scope=bogus", "x = 1\n"),
    # Mistral stores first: a taken name is the unique key's 409 whatever
    # the scope; a dynamic action's code source is looked up before
    # anything else is checked.
    R("POST", "/v2/code_sources?name=rest_py&scope=bogus", "x = 1\n"),
    R("POST", "/v2/dynamic_actions", {"name": "rest_y", "code_source_name": "nothing", "code_source_id": UNKNOWN}),
    R("POST", "/v2/dynamic_actions", {"code_source_name": "nothing"}),
    # An ad-hoc action of the default namespace updated with another one
    # moves there (Mistral's lookup falls back to the default namespace).
    R("POST", "/v2/actions", "version: '2.0'\nrest_moving:\n  base: std.noop\n"),
    R("PUT", "/v2/actions?namespace=rest_other", "version: '2.0'\nrest_moving:\n  base: std.echo output=1\n"),
    R("GET", "/v2/actions/rest_moving"),
    R("GET", "/v2/actions/rest_moving?namespace=rest_other"),
    R("DELETE", "/v2/actions/rest_moving?namespace=rest_other"),
    # A report's arguments are converted before an unknown one is named.
    R("GET", "/v2/executions/%s/report?max_depth=x&bogus=1" % UNKNOWN),
    R("GET", "/v2/executions/%s/report?errors_only=true&max_depth=2.5" % UNKNOWN),
    R("DELETE", "/v2/code_sources/rest_broken"),
    R("DELETE", "/v2/code_sources/rest_empty"),
    R("GET", "/v2/actions/rest_hello"),
    R("GET", "/v2/actions/rest_any"),
    R("GET", "/v2/actions?name=rest_hello"),
    R("POST", "/v2/action_executions", {"name": "rest_hello", "input": {"name": "you"}}),
    R("POST", "/v2/action_executions", {"name": "rest_hello", "input": {"name": "you", "greeting": "Hi"}}),
    R("POST", "/v2/action_executions", {"name": "rest_any", "input": {"b": 1, "a": 2}}),
    # In a workflow: the task and its action execution.
    R("POST", "/v2/workflows", "version: '2.0'\nrest_dyn_wf:\n  tasks:\n    hello:\n"
                               "      action: rest_hello name=<% 'wf' %>\n      publish:\n"
                               "        said: <% task().result %>\n"),
    R("POST", "/v2/executions", {"workflow_name": "rest_dyn_wf"}, capture={"ex_dyn": "id"}, wait=2),
    R("GET", "/v2/executions/{ex_dyn}?fields=state,output"),
    R("GET", "/v2/tasks?workflow_execution_id={ex_dyn}&fields=name,state,published,result"),
    R("GET", "/v2/action_executions?workflow_name=rest_dyn_wf&fields=name,state,input,output,accepted"),
    R("DELETE", "/v2/executions/{ex_dyn}"),
    R("DELETE", "/v2/workflows/rest_dyn_wf"),
    R("DELETE", "/v2/dynamic_actions/rest_any"),
    R("DELETE", "/v2/code_sources/rest_py"),
    R("GET", "/v2/dynamic_actions/rest_hello"),
    R("GET", "/v2/code_sources/rest_py"),
]

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DATE = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?")
# Fields one server has and the other does not keep: Bora's own
# (docs/API.md: a workflow's checksum, an execution's workflow_version, a
# with-items task's items progress, a compensation's compensates, the
# warnings a validate answer adds about what Mistral takes but is likely
# a mistake).
EXTRA = ("checksum", "workflow_version", "items", "compensates", "warnings")


# Python's set order, which changes from one process to the next.
SETS = [("{'public', 'private'}", "{'private', 'public'}"), ("one of: public, private", "one of: private, public")]


def normalise_text(text, base, ids):
    text = text.replace(base, "<base>")
    text = re.sub(r" object at 0x[0-9a-f]+>", " object at 0x...>", text)
    for a, b in SETS:
        text = text.replace(a, b)
    for name, value in ids.items():
        if value:
            text = text.replace(value, "<%s>" % name)
    text = UUID.sub("<id>", text)
    text = DATE.sub("<date>", text)
    return text


def normalise(value, base, ids, drop=()):
    """The JSON answer with what differs between servers for reasons of
    their own taken out (see the module's text)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in EXTRA or k in drop:
                continue
            if k == "project_id" and isinstance(v, str):
                out[k] = "P"
                continue
            out[k] = normalise(v, base, ids, drop)
        return out
    if isinstance(value, list):
        return [normalise(v, base, ids, drop) for v in value]
    if isinstance(value, str):
        return normalise_text(value, base, ids)
    return value


def stable(answer, unordered):
    """The frozen answer as it is on every run: jsonschema's dump of the
    schema after a validation error's first line (its dicts in Python's
    hash order; Bora gives the first line, then its own) cut off, and an
    unordered collection sorted."""
    if isinstance(answer, dict):
        answer = dict(answer)
        for k in ("faultstring", "error"):
            if isinstance(answer.get(k), str) and "\n\nFailed validating" in answer[k]:
                answer[k] = answer[k].split("\n\nFailed validating")[0]
        if unordered:
            for k, v in answer.items():
                if isinstance(v, list):
                    answer[k] = sorted(v, key=lambda item: json.dumps(item, sort_keys=True))
    return answer


def dig(value, path):
    for part in path.split("."):
        if isinstance(value, list):
            value = value[int(part)] if len(value) > int(part) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def link_path(value):
    """A captured link as a path to request (the server's address off)."""
    if isinstance(value, str) and value.startswith("http"):
        parts = urllib.parse.urlsplit(value)
        return parts.path + ("?" + parts.query if parts.query else "")
    return value


def fill(text, ids):
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), m.group(0))), text) if text else text


def record_cases(requests, out):
    """Sends `requests` in order to the real Mistral and writes its
    answers to `out` (also diff_random_rest.py's recorder)."""
    cases = []

    def record(app):
        from mistral.api import access_control

        enforce = access_control.enforce

        def open_code_sources(action, *args, **kwargs):
            return True if action.startswith(CODE_SOURCE_RULES) else enforce(action, *args, **kwargs)

        access_control.enforce = open_code_sources
        ids = {}
        for req in requests:
            path = fill(req["path"], ids)
            body = fill(req.get("body"), ids)
            kw = {"expect_errors": True}
            if body is not None:
                kw["params"] = body.encode()
                kw["content_type"] = req["content_type"]
            try:
                r = getattr(app, req["method"].lower())(path, **kw)
            except Exception as e:  # noqa: BLE001 - what the WSGI server makes a 500 of
                print("mistral raised on %s %s: %r" % (req["method"], path, e))
                continue
            text = r.body.decode("utf-8", "replace")
            try:
                answer = json.loads(text) if text else None
            except ValueError:
                answer = text
            for name, where in req.get("capture", {}).items():
                got = dig(answer, where)
                if not got:
                    raise RuntimeError("%s %s: nothing at %s in %r" % (req["method"], path, where, answer))
                ids[name] = link_path(got)
            case = dict(req)
            case.pop("capture", None)
            case.pop("wait", None)
            case["capture"] = req.get("capture", {})
            case["wait"] = req.get("wait", 0)
            case["status"] = r.status_int
            case["response"] = stable(normalise(answer, "http://localhost", ids, req.get("drop", ())),
                                      req.get("unordered"))
            cases.append(case)
            if req.get("wait"):
                time.sleep(req["wait"])

    if not record_with_mistral(record):
        sys.exit(1)
    write_cases(cases, out)


def main():
    record_cases(REQUESTS, OUT)


if __name__ == "__main__":
    main()
