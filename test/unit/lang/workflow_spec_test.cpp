// Workflow-level attributes and the spec Value round trip.
#include <catch2/catch.hpp>

#include "bora/lang/parser.h"
#include "lang_test_util.h"

using namespace bora;
using namespace bora::lang;
using bora::lang::test::read_data;

TEST_CASE("a direct workflow with every workflow attribute parses", "[lang][workflow]") {
  auto r = parse_workflows(read_data("valid/direct_full.yaml"));
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  REQUIRE(r->workflows.size() == 1);
  const WorkflowSpec& wf = *r->workflows[0];
  CHECK(wf.name == "create_vm");
  CHECK(wf.type == WorkflowType::Direct);
  CHECK(wf.description == "Simple workflow example");
  CHECK(wf.tags == std::vector<std::string>{"vm", "demo"});
  REQUIRE(wf.input.size() == 4);
  CHECK(wf.input[0].name == "vm_name");
  CHECK_FALSE(wf.input[0].default_value.has_value());
  CHECK(wf.input[2].name == "flavor_ref");
  CHECK(*wf.input[2].default_value == Value(2));
  REQUIRE(wf.input[3].default_value.has_value());
  CHECK(wf.input[3].default_value->is_null());
  CHECK(wf.output["vm_id"] == Value("<% $.vm_id %>"));
  CHECK(wf.output_on_error["error"] == Value("<% $.err %>"));
  CHECK(wf.vars["counter"] == Value(0));
  REQUIRE(wf.task_defaults.has_value());
  REQUIRE(wf.task_defaults->policies.retry.has_value());
  CHECK(wf.task_defaults->policies.retry->count == Value(2));
  REQUIRE(wf.task_defaults->on_error.has_value());
  CHECK(wf.task_defaults->on_error->next[0].task == "handle_error");
  REQUIRE(wf.tasks.size() == 4);
  CHECK(wf.tasks[0].name == "create_server");
  CHECK(wf.tasks[3].name == "handle_error");
  REQUIRE(wf.task("notify") != nullptr);
  CHECK(wf.task("missing") == nullptr);
  auto starts = wf.start_tasks();
  REQUIRE(starts.size() == 1);
  CHECK(starts[0]->name == "create_server");
}

TEST_CASE("task-defaults transitions apply to tasks without their own, minus the task itself", "[lang][workflow]") {
  auto r = parse_workflows(read_data("valid/direct_full.yaml"));
  REQUIRE(r.ok());
  const WorkflowSpec& wf = *r->workflows[0];
  auto on_error = wf.on_error_of(*wf.task("notify"));
  REQUIRE(on_error.size() == 1);
  CHECK(on_error[0].task == "handle_error");
  CHECK(wf.on_error_of(*wf.task("handle_error")).empty());
  // create_server has its own on-error, which wins.
  CHECK(wf.on_error_of(*wf.task("create_server")).size() == 2);
}

TEST_CASE("a task's every attribute is parsed", "[lang][task]") {
  auto r = parse_workflows(read_data("valid/direct_full.yaml"));
  REQUIRE(r.ok());
  const WorkflowSpec& wf = *r->workflows[0];
  const TaskSpec& create = *wf.task("create_server");
  CHECK(create.action == "nova.servers_create");
  CHECK(Value(create.input)["name"] == Value("<% $.vm_name %>"));
  CHECK(Value(create.input)["flavor"] == Value("<% $.flavor_ref %>"));
  CHECK(create.publish["vm_id"] == Value("<% task().result.id %>"));
  CHECK(create.keep_result == Value(true));
  CHECK(create.safe_rerun.is_null());

  const TaskSpec& wait = *wf.task("wait_for_instance");
  CHECK(Value(wait.input)["status"] == Value("ACTIVE"));
  REQUIRE(wait.policies.retry.has_value());
  CHECK(wait.policies.retry->count == Value(15));
  CHECK(wait.policies.retry->delay == Value(5));
  CHECK(wait.policies.retry->break_on == Value("<% $.stop %>"));
  CHECK(wait.policies.wait_before == Value(1));
  CHECK(wait.policies.wait_after == Value("<% $.pause %>"));
  CHECK(wait.policies.timeout == Value(60));
  CHECK(wait.policies.pause_before == Value(false));
  CHECK(wait.policies.concurrency == Value(3));
  CHECK(wait.policies.fail_on == Value("<% $.bad %>"));
  CHECK(wait.keep_result == Value(false));
  CHECK(wait.safe_rerun == Value(true));
  CHECK(wait.target == Value("<% $.host %>"));

  const TaskSpec& notify = *wf.task("notify");
  CHECK(notify.is_workflow_task());
  CHECK(notify.workflow == "notify_wf");
  CHECK(notify.action.empty());
  CHECK(Value(notify.input)["to"] == Value("ops"));
  CHECK(Value(notify.input)["subject"] == Value("created"));
  CHECK(notify.join == Value("all"));
  CHECK(notify.publish_on_error["failed"] == Value(true));

  const TaskSpec& handle = *wf.task("handle_error");
  CHECK(Value(handle.input)["output"] == Value("error"));
}

TEST_CASE("task-level policies win over task-defaults when merged", "[lang][policies]") {
  auto r = parse_workflows(read_data("valid/direct_full.yaml"));
  REQUIRE(r.ok());
  const WorkflowSpec& wf = *r->workflows[0];
  auto merged = merge_policies(wf.task("create_server")->policies, wf.task_defaults->policies);
  REQUIRE(merged.retry.has_value());
  CHECK(merged.retry->count == Value(2));
  merged = merge_policies(wf.task("wait_for_instance")->policies, wf.task_defaults->policies);
  CHECK(merged.retry->count == Value(15));
  CHECK(merged.timeout == Value(60));
}

TEST_CASE("a task with neither action nor workflow runs std.noop", "[lang][task]") {
  auto r = parse_workflows("version: '2.0'\nwf:\n  tasks:\n    t1:\n      on-success: t2\n    t2:\n      action: std.noop\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  CHECK(r->workflows[0]->tasks[0].action == "std.noop");
}

TEST_CASE("dynamic action names stay expressions", "[lang][task]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  tasks:\n    t1:\n      action: <% $.action_name %> a=1\n    t2:\n      action: "
      "<% $.other %>\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  CHECK(r->workflows[0]->tasks[0].action == "<% $.action_name %>");
  CHECK(*r->workflows[0]->tasks[0].input.find("a") == Value(1));
  CHECK(r->workflows[0]->tasks[1].action == "<% $.other %>");
}

TEST_CASE("inline parameters follow Mistral's value rules", "[lang][task]") {
  auto r = parse_workflows(
      "version: '2.0'\nwf:\n  tasks:\n    t1:\n      action: std.echo a=1 b=\"two words\" c='x' d=true e=null "
      "f=[1, 2] g=<% $.x %> h={{ _.y }}\n");
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const Dict& in = r->workflows[0]->tasks[0].input.as_dict();
  CHECK(in.find("a")->as_int() == 1);
  CHECK(*in.find("b") == Value("two words"));
  CHECK(*in.find("c") == Value("x"));
  CHECK(*in.find("d") == Value(true));
  CHECK(in.find("e")->is_null());
  CHECK(*in.find("f") == Value::list({1, 2}));
  CHECK(*in.find("g") == Value("<% $.x %>"));
  CHECK(*in.find("h") == Value("{{ _.y }}"));
}

TEST_CASE("the stored spec matches Mistral's shape and rebuilds the same workflow", "[lang][workflow][spec]") {
  auto r = parse_workflows(read_data("valid/two_workflows.yaml"));
  REQUIRE(r.ok());
  const WorkflowSpec& wf1 = *r->workflows[0];
  // Mistral: the definition plus name/version, and type/name/version on each task.
  CHECK(wf1.data["name"] == Value("wf1"));
  CHECK(wf1.data["version"] == Value("2.0"));
  CHECK(wf1.data["tasks"]["t1"]["type"] == Value("direct"));
  CHECK(wf1.data["tasks"]["t1"]["name"] == Value("t1"));
  CHECK(wf1.data["tasks"]["t1"]["action"] == Value("std.echo output=\"x\" a=1"));
  CHECK(wf1.data["input"] == Value::list({"a", Value::dict({{"b", 5}})}));
  const WorkflowSpec& wf2 = *r->workflows[1];
  CHECK(wf2.data["tasks"]["t1"]["type"] == Value("reverse"));

  auto back = workflow_from_value(wf1.data);
  INFO(test::dump(back.problems()));
  REQUIRE(back.ok());
  const WorkflowSpec& again = **back;
  CHECK(again.name == "wf1");
  CHECK(again.tasks.size() == 2);
  CHECK(Value(again.tasks[0].input)["output"] == Value("x"));
  REQUIRE(again.tasks[1].policies.retry.has_value());
  CHECK(again.tasks[1].policies.retry->count == Value(3));
  CHECK(again.data == wf1.data);
}

TEST_CASE("a broken stored spec reports problems without positions", "[lang][workflow][spec]") {
  Value bad = Value::dict({{"name", "w"}, {"version", "2.0"}, {"tasks", Value::dict({})}});
  auto back = workflow_from_value(bad);
  REQUIRE_FALSE(back.ok());
  CHECK(back.problems()[0].path == "tasks");
  CHECK_FALSE(back.problems()[0].pos.known());
}

TEST_CASE("a reverse workflow parses requires, with task-defaults", "[lang][reverse]") {
  auto r = parse_workflows(read_data("valid/reverse.yaml"));
  INFO(test::dump(r.problems()));
  REQUIRE(r.ok());
  const WorkflowSpec& wf = *r->workflows[0];
  CHECK(wf.type == WorkflowType::Reverse);
  CHECK(wf.task("t1")->requires_ == std::vector<std::string>{"init"});
  CHECK(wf.task("t2")->requires_ == std::vector<std::string>{"t1", "init"});
  CHECK(wf.requires_of(*wf.task("init")).empty());
  CHECK(wf.requires_of(*wf.task("t1")) == std::vector<std::string>{"init"});
}

TEST_CASE("version may be written as 2.0, 2 or '2.0'", "[lang][version]") {
  for (const char* v : {"'2.0'", "2.0", "2", "\"2\""}) {
    auto r = parse_workflows(std::string("version: ") + v + "\nwf:\n  tasks:\n    t:\n      action: std.noop\n");
    INFO(v << "\n" << test::dump(r.problems()));
    CHECK(r.ok());
  }
}

TEST_CASE("every valid data file parses (all checked against Mistral 15 too)", "[lang][data]") {
  for (const char* f : {"valid/direct_full.yaml", "valid/reverse.yaml", "valid/two_workflows.yaml",
                        "valid/publish_scopes.yaml", "valid/with_items_fanout.yaml"}) {
    auto r = parse_workflows(read_data(f));
    INFO(f << "\n" << test::dump(r.problems()));
    CHECK(r.ok());
  }
  CHECK(parse_workbook(read_data("valid/workbook.yaml")).ok());
  CHECK(parse_actions(read_data("valid/actions.yaml")).ok());
}

TEST_CASE("the language guide's publishing and fan-out shapes", "[lang][data]") {
  auto p = parse_workflows(read_data("valid/publish_scopes.yaml"));
  REQUIRE(p.ok());
  const WorkflowSpec& wf = *p->workflows[0];
  CHECK(wf.task("start")->on_success->publish->global["my_global"] == Value("<% $.my_var + 1 %>"));
  auto complete = wf.on_complete_of(*wf.task("check"));
  REQUIRE(complete.size() == 2);
  CHECK(complete[1].task == "fail");
  CHECK(*complete[1].params.find("msg") == Value("unexpected value"));

  auto f = parse_workflows(read_data("valid/with_items_fanout.yaml"));
  REQUIRE(f.ok());
  const TaskSpec& send = f->workflows[0]->tasks[0];
  REQUIRE(send.with_items.size() == 2);
  CHECK(send.with_items[1].var == "address");
  CHECK(Value(send.input)["to_addrs"] == Value::list({"<% $.address %>"}));
  auto merged = merge_policies(send.policies, f->workflows[0]->task_defaults->policies);
  CHECK(merged.timeout == Value(120));
  CHECK(merged.retry->delay == Value(5));
}
