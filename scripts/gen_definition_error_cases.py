#!/usr/bin/python3
"""Freeze the real Mistral's words for refused definitions.

Clients and scripts written for Mistral match on the start of its error
text ("Task 'b' not found.", "Definition could not be parsed:", "Invalid
array in 'with-items' clause: ..."), so Bora's error for the same
definition must start with the same words (lang/problem.h,
Problem::mistral). This runs each definition through Mistral's own parser
(Debian's python3-mistral) and writes test/data/lang/mistral_error_words.json:
per case the definition, Mistral's whole message, and `starts_with`, the
part of it Bora must reproduce: the message cut where Python's rendering of
data begins (a dict's repr, PyYAML's or json's own explanation), and for
a schema refusal ("Invalid DSL: <jsonschema's message>", or the workflow
`type` no spec class has) Mistral's whole first line, which Bora computes
as Mistral does (lang/mistral_schema). `document` says which entry point
parses it: workflows (get_workflow_list_spec_from_yaml), workbook
(get_workbook_spec_from_yaml) or actions (get_action_list_spec_from_yaml).

Run: /usr/bin/python3 scripts/gen_definition_error_cases.py
"""
import json
import os
import sys
import warnings

# Python orders a set by the hash seed, and Mistral builds some schemas'
# `required` lists from sets (they show in the verbose part of its messages):
# a fixed seed keeps the frozen file the same from run to run.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

warnings.filterwarnings("ignore")
from mistral.lang import parser  # noqa: E402

HEAD = "version: '2.0'\n"
WORKFLOW_CASES = {
    "task_link_not_found": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n",
    "task_link_not_found_on_error_list": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n"
                                                "      on-error:\n        - nope: <% true %>\n",
    "reverse_requires_not_found": HEAD + "wf:\n  type: reverse\n  tasks:\n    a:\n      action: std.noop\n"
                                         "      requires: [c]\n",
    "yaml_unparsable": HEAD + "wf:\n  tasks: [\n",
    "yaml_bad_indentation": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n     b: 1\n",
    # Mistral's SafeLoader (mistral.utils.safe_yaml): `&`, `*` and `@` start
    # plain text; a plain `*` or `&` alone has PyYAML's yaml tag, which no
    # constructor takes; an anchor before a flow mapping is text up to its ':'.
    "yaml_plain_star_alone": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo output=1\n"
                                    "      publish:\n        x: *\n",
    "yaml_plain_ampersand_alone": HEAD + "wf:\n  input:\n    - a: &\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_anchor_before_flow_mapping": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n"
                                              "      input: &in {k: 1}\n",
    "yaml_anchor_before_block_mapping": HEAD + "wf: &w\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_merge_key_of_alias": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n"
                                      "    b:\n      <<: *a\n",
    # Tags SafeConstructor has no constructor for; characters PyYAML's
    # Reader does not take; a plain `=` (tag:yaml.org,2002:value).
    "yaml_tag_local": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo output=1\n"
                             "      publish:\n        x: !custom v\n",
    "yaml_tag_python_name": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo\n      input:\n"
                                   "        output: !!python/name:os.system x\n",
    "yaml_tag_unknown_core": HEAD + "wf:\n  vars:\n    v: !!foo x\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_tag_local_on_mapping": HEAD + "wf: !wf\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_tag_directive_prefix": "%TAG !e! tag:example.com,2000:\n---\n" + HEAD +
                                 "wf:\n  vars:\n    v: !e!foo x\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_control_character": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo output=\"a\x07b\"\n",
    "yaml_delete_character": HEAD + "wf:\n  description: a\x7fb\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_plain_equals_value": HEAD + "wf:\n  vars:\n    v: =\n  tasks:\n    a:\n      action: std.noop\n",
    # PyYAML separates and indents with spaces only: a tab outside quotes,
    # a block scalar's content and a comment is refused.
    "yaml_tab_after_colon": HEAD + "wf:\n  tasks:\n    a:\n      action:\tstd.noop\n",
    "yaml_tab_indentation": HEAD + "wf:\n  tasks:\n    a:\n\taction: std.noop\n",
    "yaml_trailing_tab": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\t\n",
    "yaml_tab_in_plain_scalar": HEAD + "wf:\n  description: a\tb\n  tasks:\n    a:\n      action: std.noop\n",
    # PyYAML's stream rules: one document; '%' at a line's start is a directive.
    # YAML that PyYAML's scanner or parser stops on: Mistral's first line
    # is PyYAML's context ("while parsing a flow sequence") or problem.
    "yaml_flow_sequence_unclosed": HEAD + "wf:\n  tasks:\n    a: [1\n",
    "yaml_flow_sequence_after_comma": HEAD + "wf:\n  input: [b,\n",
    "yaml_flow_sequence_opened": HEAD + "wf:\n  input: [\n",
    "yaml_flow_sequence_two_lines": HEAD + "wf:\n  input: [b, c\nd: e\n",
    "yaml_flow_sequence_closed_by_brace": HEAD + "wf:\n  tasks:\n    a: {b: [c}\n",
    "yaml_flow_mapping_unclosed": HEAD + "wf:\n  tasks:\n    a: {b: 1\n",
    "yaml_flow_mapping_no_comma": HEAD + "wf:\n  tasks:\n    a: {b: 1 c: 2}\n",
    "yaml_flow_mapping_after_comma": HEAD + "wf:\n  vars: {b,\n",
    "yaml_flow_mapping_closed_by_bracket": HEAD + "wf:\n  tasks:\n    a: [b, {c: d]\n",
    "yaml_flow_end_as_value": HEAD + "wf:\n  tasks:\n    a: ]\n",
    "yaml_flow_mapping_end_as_value": HEAD + "wf:\n  tasks:\n    a: }\n",
    "yaml_flow_end_after_value": HEAD + "wf:\n  tasks:\n    a: [b, c]]\n",
    "yaml_flow_end_in_sequence": HEAD + "wf:\n  input:\n    - [a]]\n",
    "yaml_flow_end_as_item": HEAD + "wf:\n  input:\n    - ]\n",
    "yaml_double_quoted_unclosed": HEAD + "wf:\n  tasks:\n    a: \"abc\n",
    "yaml_single_quoted_unclosed": HEAD + "wf:\n  tasks:\n    a: 'abc\n",
    "yaml_single_quoted_unclosed_lines": HEAD + "wf:\n  description: 'abc\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_unknown_escape": HEAD + "wf:\n  description: \"a\\qb\"\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_bad_hex_escape": HEAD + "wf:\n  description: \"a\\x4g\"\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_percent_value": HEAD + "wf:\n  tasks:\n    a: %x\n",
    "yaml_backquote_value": HEAD + "wf:\n  tasks:\n    a: `x\n",
    "yaml_block_scalar_bad_header": HEAD + "wf:\n  description: |x\n    y\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_key_after_sequence": HEAD + "wf:\n  tasks:\n    a:\n      - b\n      c: 1\n",
    "yaml_item_after_mapping": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      - b\n",
    "yaml_text_after_quoted": HEAD + "wf:\n  description: 'b'c\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_text_after_double_quoted": HEAD + "wf:\n  description: \"b\"c\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_outdented_key": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n   b: 1\n",
    "yaml_key_after_top_sequence": "- a\nb: 1\n",
    "yaml_item_after_top_mapping": HEAD + "- b\n",
    "yaml_sequence_key": HEAD + "[a, b]: c\n",
    "yaml_mapping_key": HEAD + "wf:\n  vars:\n    {a: 1}: c\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_text_after_flow_value": HEAD + "wf:\n  input: [a] b\n",
    "yaml_sequence_in_item_outdented": HEAD + "wf:\n  input:\n  - a\n   - b\n",
    "yaml_two_documents": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n---\nx: 1\n",
    "yaml_trailing_document_start": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n---\n",
    "yaml_document_after_end": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n...\nx: 1\n",
    "yaml_directive_after_content": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n%FOO bar\n",
    "yaml_directive_without_name": "---\n%\n",
    "yaml_directive_without_document_start": "%YAML 1.1\n" + HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n",
    # PyYAML's types that are no JSON type: a plain timestamp is a date or
    # datetime, !!binary bytes, !!set a set; Mistral's schemas refuse them
    # where they check a value. Explicit tags PyYAML's constructor fails on.
    "yaml_date_in_task_input": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo\n      input:\n"
                                      "        output: 2020-01-01\n",
    "yaml_datetime_in_vars": HEAD + "wf:\n  vars:\n    at: 2020-01-01 10:00:00Z\n  tasks:\n    a:\n"
                                    "      action: std.noop\n",
    "yaml_date_in_publish": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      publish:\n"
                                   "        day: 2021-02-28\n",
    "yaml_date_as_input_default": HEAD + "wf:\n  input:\n    - since: 2020-01-01\n  tasks:\n    a:\n"
                                         "      action: std.noop\n",
    "yaml_binary_in_output": HEAD + "wf:\n  output:\n    b: !!binary aGVsbG8=\n  tasks:\n    a:\n"
                                    "      action: std.noop\n",
    "yaml_set_in_vars": HEAD + "wf:\n  vars:\n    s: !!set {a}\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_timestamp_tag_in_vars": HEAD + "wf:\n  vars:\n    d: !!timestamp 2020-01-01\n  tasks:\n    a:\n"
                                         "      action: std.noop\n",
    "yaml_date_out_of_range": HEAD + "wf:\n  vars:\n    d: 2020-13-01\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_bool_tag_not_a_bool": HEAD + "wf:\n  vars:\n    b: !!bool maybe\n  tasks:\n    a:\n"
                                       "      action: std.noop\n",
    "yaml_int_tag_not_an_int": HEAD + "wf:\n  vars:\n    n: !!int abc\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_float_tag_not_a_float": HEAD + "wf:\n  vars:\n    n: !!float ABC\n  tasks:\n    a:\n"
                                         "      action: std.noop\n",
    # Keys PyYAML reads as no text where Mistral's schemas match key
    # patterns: Python's TypeError out of re.search (a 500 from its API).
    "yaml_int_task_name": HEAD + "wf:\n  tasks:\n    10:\n      action: std.noop\n",
    "yaml_int_publish_key": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      publish:\n"
                                   "        5: 1\n",
    "yaml_bool_vars_key": HEAD + "wf:\n  vars:\n    yes: 1\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_float_input_key": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo\n      input:\n"
                                   "        1.5: x\n",
    # NEL is a line break to PyYAML; a block mapping's key needs its ':'
    # (yaml-cpp read a lone line as a key with a null value).
    "yaml_nel_in_plain_scalar": HEAD + "wf:\n  description: a\x85b\n  tasks:\n    a:\n      action: std.noop\n",
    # LS ends a line too (kept as a character in content where a '\n' folds);
    # and what yaml-cpp read as a second document after a flow mapping.
    "yaml_ls_in_plain_scalar": HEAD + "wf:\n  description: a\u2028b\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_ps_in_comment": HEAD + "wf:\n  # note\u2029tasks: x\n  tasks:\n    a:\n      action: std.noop\n",
    # A value on the line after its key, no deeper than the key: yaml-cpp
    # took it as the value, PyYAML scans it as a key without ':'.
    "yaml_value_not_indented": HEAD + "wf:\n  description:\n  'text'\n  tasks:\n    a:\n      action: std.noop\n",
    "yaml_flow_value_not_indented": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo\n      input:\n"
                                           "      {output: 1}\n",
    "yaml_after_flow_document": "{version: '2.0', wf: {tasks: {a: {action: std.noop}}}}\nextra\n",
    "yaml_task_attribute_without_colon": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n"
                                                "      on-complete\n",
    "yaml_input_key_without_colon": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo\n      input:\n"
                                           "        output: 1\n        extra\n",
    "yaml_workflow_key_without_colon": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n  description\n",
    # An empty entry of a flow collection (yaml-cpp reads a null).
    "yaml_flow_sequence_empty_entry": HEAD + "wf:\n  vars:\n    l: [1,,2]\n  tasks:\n    a:\n"
                                             "      action: std.noop\n",
    "yaml_flow_sequence_leading_comma": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n"
                                               "      on-success: [, b]\n    b:\n      action: std.noop\n",
    "yaml_flow_mapping_empty_entry": HEAD + "wf:\n  tasks:\n    a:\n      action: std.echo\n"
                                            "      input: {output: 1,,x: 2}\n",
    "with_items_invalid_array": HEAD + "wf:\n  tasks:\n    a:\n      with-items: x in [1, 2,]\n"
                                       "      action: std.noop\n",
    "with_items_single_quotes": HEAD + "wf:\n  tasks:\n    a:\n      with-items: x in ['a', 'b']\n"
                                       "      action: std.noop\n",
    "with_items_wrong_format": HEAD + "wf:\n  tasks:\n    a:\n      with-items: x on y\n      action: std.noop\n",
    "with_items_not_strings": HEAD + "wf:\n  tasks:\n    a:\n      with-items: [1]\n      action: std.noop\n",
    "no_start_task": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
                            "    b:\n      action: std.noop\n      on-success: a\n",
    "join_all_no_inbound": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      join: all\n",
    "join_not_enough_inbound": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: b\n"
                                      "    b:\n      join: 2\n      action: std.noop\n",
    "workflow_name_uuid": HEAD + "123e4567-e89b-12d3-a456-426614174000:\n  tasks:\n    a:\n      action: std.noop\n",
    "task_name_too_long": HEAD + "wf:\n  tasks:\n    " + "t" * 256 + ":\n      action: std.noop\n",
    "join_task_name_too_long": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-success: " +
                               "j" * 209 + "\n    " + "j" * 209 + ":\n      join: all\n      action: std.noop\n",
    "no_tasks": HEAD + "wf:\n  description: x\n",
    "unknown_task_attribute": HEAD + "wf:\n  tasks:\n    a:\n      action: std.noop\n      on-sucess: b\n",
}



def wf(body):
    """A workflows document with one workflow `wf`."""
    return HEAD + "wf:\n" + body


def task(attrs, extra_tasks=""):
    """A direct workflow whose task `a` has these attributes (one per line)."""
    lines = "".join("      " + line + "\n" for line in attrs.split("\n"))
    return wf("  tasks:\n    a:\n" + lines + extra_tasks)


def reverse_task(attrs):
    lines = "".join("      " + line + "\n" for line in attrs.split("\n"))
    return wf("  type: reverse\n  tasks:\n    a:\n" + lines)


B = "    b:\n      action: std.noop\n"
NOOP = "action: std.noop\n"

# Definitions Mistral's JSON schemas refuse: Bora's error starts with
# Mistral's whole first line ("Invalid DSL: <jsonschema's message>").
SCHEMA_WORKFLOW_CASES = {
    "schema_root_list": "- 1\n- 2\n",
    "schema_root_string": "abc\n",
    "schema_version_negative": "version: -1\nwf:\n  tasks:\n    a:\n      action: std.noop\n",
    "schema_workflow_not_dict": HEAD + "wf: 5\n",
    "schema_workflow_empty": HEAD + "wf: {}\n",
    "schema_wf_type_unknown": wf("  type: sideways\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_type_int": wf("  type: 5\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_input_not_list": wf("  input: 5\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_input_duplicate": wf("  input: [a, a]\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_input_multi_key": wf("  input:\n    - a: 1\n      b: 2\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_input_empty": wf("  input: []\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_input_item_int": wf("  input: [1]\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_input_empty_name": wf("  input: ['']\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_output_list": wf("  output: [1]\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_output_empty": wf("  output: {}\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_output_on_error_string": wf("  output-on-error: x\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_vars_list": wf("  vars: [a]\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_tags_string": wf("  tags: x\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_tags_duplicate": wf("  tags: [a, a]\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_task_defaults_list": wf("  task-defaults: [1]\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_task_defaults_unknown": wf("  task-defaults:\n    foo: 1\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_task_defaults_retry_count": wf("  task-defaults:\n    retry: {count: -1, delay: 1}\n"
                                             "  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_task_defaults_timeout": wf("  task-defaults:\n    timeout: abc\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_task_defaults_on_error": wf("  task-defaults:\n    on-error: 5\n  tasks:\n    a:\n      action: std.noop\n"),
    "schema_wf_tasks_list": wf("  tasks: [a]\n"),
    "schema_wf_tasks_empty": wf("  tasks: {}\n"),
    "schema_task_not_dict": wf("  tasks:\n    a: 5\n"),
    "schema_task_empty": wf("  tasks:\n    a: {}\n"),
    "schema_task_action_and_workflow": task("action: std.noop\nworkflow: other"),
    "schema_task_action_int": task("action: 5"),
    "schema_task_action_empty": task("action: ''"),
    "schema_task_workflow_list": task("workflow: [x]"),
    "schema_task_input_list": task(NOOP + "input: [1]"),
    "schema_task_input_empty": task(NOOP + "input: {}"),
    "schema_task_publish_string": task(NOOP + "publish: x"),
    "schema_task_publish_on_error_list": task(NOOP + "publish-on-error: [x]"),
    "schema_task_with_items_int": task(NOOP + "with-items: 5"),
    "schema_task_with_items_duplicate": task(NOOP + "with-items: ['x in [1]', 'x in [1]']"),
    "schema_task_join_string": task(NOOP + "join: some"),
    "schema_task_join_negative": task(NOOP + "join: -1"),
    "schema_task_retry_word": task(NOOP + "retry: abc"),
    "schema_task_retry_line_no_delay": task(NOOP + "retry: count=3 break-on=x"),
    "schema_task_retry_count_negative": task(NOOP + "retry: {count: -1, delay: 1}"),
    "schema_task_retry_delay_word": task(NOOP + "retry: {count: 1, delay: abc}"),
    "schema_task_retry_break_on_int": task(NOOP + "retry: {count: 1, delay: 1, break-on: 5}"),
    "schema_task_retry_no_delay": task(NOOP + "retry: {count: 1}"),
    "schema_task_retry_unknown": task(NOOP + "retry: {count: 1, delay: 1, foo: 2}"),
    "schema_task_retry_int": task(NOOP + "retry: 5"),
    "schema_task_timeout_negative": task(NOOP + "timeout: -5"),
    "schema_task_timeout_word": task(NOOP + "timeout: abc"),
    "schema_task_wait_before_bool": task(NOOP + "wait-before: true"),
    "schema_task_wait_after_float": task(NOOP + "wait-after: 1.5"),
    "schema_task_pause_before_int": task(NOOP + "pause-before: 5"),
    "schema_task_concurrency_word": task(NOOP + "concurrency: many"),
    "schema_task_safe_rerun_word": task(NOOP + "safe-rerun: maybe"),
    "schema_task_keep_result_int": task(NOOP + "keep-result: 2"),
    "schema_task_target_int": task(NOOP + "target: 5"),
    "schema_task_fail_on_word": task(NOOP + "fail-on: abc"),
    "schema_task_tags_int": task(NOOP + "tags: 5"),
    "schema_task_description_int": task(NOOP + "description: 5"),
    "schema_task_on_success_int": task(NOOP + "on-success: 5"),
    "schema_task_on_success_duplicates": task(NOOP + "on-success: [b, b]", B),
    "schema_task_on_success_list_int": task(NOOP + "on-success: [1]"),
    "schema_task_on_success_empty_list": task(NOOP + "on-success: []"),
    "schema_task_on_success_two_words": task(NOOP + "on-success: b c", B),
    "schema_task_on_success_dict_typo": task(NOOP + "on-success: {nxt: b}", B),
    "schema_task_on_error_next_int": task(NOOP + "on-error: {next: 5}"),
    "schema_task_on_complete_publish_list": task(NOOP + "on-complete: {publish: [1], next: b}", B),
    "schema_task_on_complete_publish_unknown": task(NOOP + "on-complete:\n  publish: {foo: {x: 1}}\n  next: b", B),
    "schema_task_on_success_condition_not_expression": task(NOOP + "on-success:\n  - b: x", B),
    "schema_task_requires_in_direct": task(NOOP + "requires: [b]", B),
    "schema_task_unknown_and_bad_timeout": task(NOOP + "timeout: -1\nfoo: 1"),
    "schema_task_two_bad_policies": task(NOOP + "timeout: -1\nwait-before: -2"),
    "schema_second_task_bad": task(NOOP + "on-success: b", "    b:\n      action: std.noop\n      timeout: x\n"),
    "schema_second_workflow_bad": HEAD + "wf1:\n  tasks:\n    a:\n      action: std.noop\n"
                                         "wf2:\n  tasks:\n    a:\n      action: std.noop\n      timeout: x\n",
    "schema_reverse_requires_int": reverse_task(NOOP + "requires: 5"),
    "schema_reverse_requires_duplicate": reverse_task(NOOP + "requires: [b, b]"),
    "schema_reverse_join": reverse_task(NOOP + "join: all"),
    "schema_reverse_on_success": reverse_task(NOOP + "on-success: b"),
}

WORKBOOK_HEAD = "version: '2.0'\nname: wb\n"
WB_WF = "workflows:\n  wf:\n    tasks:\n      a:\n        action: std.noop\n"

SCHEMA_WORKBOOK_CASES = {
    "schema_wb_name_int": "version: '2.0'\nname: 5\n" + WB_WF,
    "schema_wb_no_name": "version: '2.0'\n" + WB_WF,
    "schema_wb_unknown_key": WORKBOOK_HEAD + "foo: 1\n" + WB_WF,
    "schema_wb_description_int": WORKBOOK_HEAD + "description: 5\n" + WB_WF,
    "schema_wb_tags_duplicate": WORKBOOK_HEAD + "tags: [a, a]\n" + WB_WF,
    "schema_wb_workflows_list": WORKBOOK_HEAD + "workflows: [1]\n",
    "schema_wb_actions_empty": WORKBOOK_HEAD + "actions: {}\n" + WB_WF,
    "schema_wb_workflow_bad_name": WORKBOOK_HEAD + "workflows:\n  bad name:\n    tasks:\n      a:\n"
                                                   "        action: std.noop\n",
    "schema_wb_workflow_null": WORKBOOK_HEAD + "workflows:\n  wf:\n",
    "schema_wb_workflows_version": WORKBOOK_HEAD + "workflows:\n  version: 3\n  wf:\n    tasks:\n      a:\n"
                                                   "        action: std.noop\n",
    "schema_wb_action_string": WORKBOOK_HEAD + "actions:\n  act: abc\n",
    "schema_wb_action_no_base": WORKBOOK_HEAD + "actions:\n  act:\n    input: [x]\n",
    "schema_wb_action_input_duplicate": WORKBOOK_HEAD + "actions:\n  act:\n    base: std.echo\n    input: [x, x]\n",
    "schema_wb_task_timeout": WORKBOOK_HEAD + "workflows:\n  wf:\n    tasks:\n      a:\n        action: std.noop\n"
                                              "        timeout: -1\n",
    "schema_wb_workflow_input": WORKBOOK_HEAD + "workflows:\n  wf:\n    input: 5\n    tasks:\n      a:\n"
                                                "        action: std.noop\n",
}

ACT = "version: '2.0'\nact:\n"

SCHEMA_ACTION_CASES = {
    "schema_act_base_int": ACT + "  base: 5\n",
    "schema_act_no_base": ACT + "  input: [x]\n",
    "schema_act_base_input_list": ACT + "  base: std.echo\n  base-input: [1]\n",
    "schema_act_input_duplicate": ACT + "  base: std.echo\n  input: [a, a]\n",
    "schema_act_input_int": ACT + "  base: std.echo\n  input: 5\n",
    "schema_act_input_multi_key": ACT + "  base: std.echo\n  input:\n    - a: 1\n      b: 2\n",
    "schema_act_unknown": ACT + "  base: std.echo\n  foo: 1\n",
    "schema_act_not_dict": ACT[:-1] + " 5\n",
    "schema_act_description_int": ACT + "  base: std.echo\n  description: 5\n",
    "schema_act_tags_string": ACT + "  base: std.echo\n  tags: x\n",
    "schema_act_root_list": "- 1\n",
}

CASES = [("workflows", n, t) for n, t in WORKFLOW_CASES.items()]
CASES += [("workflows", n, t) for n, t in SCHEMA_WORKFLOW_CASES.items()]
CASES += [("workbook", n, t) for n, t in SCHEMA_WORKBOOK_CASES.items()]
CASES += [("actions", n, t) for n, t in SCHEMA_ACTION_CASES.items()]

# Where Python's rendering of data begins in a message: Bora words that
# part its own way (with line:column and a hint).
DATA_MARKERS = ["\n", " while ", " {'", " error: ", " expected "]


# Mistral's words for a schema refusal, which Bora reproduces whole
# (lang/mistral_schema): its first line.
NOT_PARSED = "Definition could not be parsed: "
SCHEMA_LEADS = ("Invalid DSL:", "Failed to find a specification class to instantiate")


def starts_with(message):
    # PyYAML's first line (its context, "while parsing a block mapping", or
    # its problem when it has none) names what it stopped on; the lines
    # after it quote the text, which Bora shows with line:column instead.
    if message.startswith(SCHEMA_LEADS) or message.startswith(NOT_PARSED):
        return message.split("\n", 1)[0].rstrip()
    if message.startswith(SCHEMA_LEADS):
        return message.split("\n", 1)[0]
    cut = len(message)
    for m in DATA_MARKERS:
        at = message.find(m)
        if at >= 0:
            cut = min(cut, at)
    return message[:cut].rstrip()


# Each document kind through its own entry point, as the API parses it.
PARSE = {
    "workflows": parser.get_workflow_list_spec_from_yaml,
    "workbook": parser.get_workbook_spec_from_yaml,
    "actions": parser.get_action_list_spec_from_yaml,
}


def main():
    out = []
    for document, name, text in CASES:
        try:
            PARSE[document](text)
            sys.exit("Mistral accepted case %s: it is not a refusal" % name)
        except Exception as e:  # Mistral's DSLParsingException / InvalidModelException
            msg = str(e)
        out.append({"name": name, "document": document, "definition": text, "mistral_error": msg,
                    "starts_with": starts_with(msg)})
    path = os.path.join(os.path.dirname(__file__), "..", "test", "data", "lang", "mistral_error_words.json")
    with open(path, "w") as f:
        json.dump({"generated_by": "scripts/gen_definition_error_cases.py (python3-mistral)", "cases": out}, f,
                  indent=1, sort_keys=True)
        f.write("\n")
    print("%d cases written to %s" % (len(out), os.path.normpath(path)))


if __name__ == "__main__":
    main()
