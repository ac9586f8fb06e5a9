// The catalog's lookups: Mistral's namespace fallbacks, workbook siblings,
// the order of action kinds, and what each caller may see.
#include <catch2/catch.hpp>

#include <memory>

#include "bora/catalog/catalog.h"
#include "bora/storage/database.h"

namespace bora::catalog {
namespace {

struct Rows {
  std::unique_ptr<storage::Database> db = storage::Database::open("sqlite://").value();
  Rows() { db->upgrade().value(); }

  std::string workflow(const std::string& name, const std::string& ns, const std::string& project,
                       const std::string& scope = "private") {
    storage::WorkflowDefinition w;
    w.name = name;
    w.namespace_ = ns;
    w.project_id = project;
    w.scope = scope;
    w.spec = Value(Dict{});
    return db->write([&](storage::Transaction& tx) { return tx.workflow_definitions().create(w); }).value().id;
  }
  void adhoc(const std::string& name, const std::string& ns, const std::string& project) {
    storage::ActionDefinition a;
    a.name = name;
    a.namespace_ = ns;
    a.project_id = project;
    a.spec = Value(Dict{});
    db->write([&](storage::Transaction& tx) { return tx.action_definitions().create(a); }).value();
  }
  void dynamic(const std::string& name, const std::string& ns, const std::string& project) {
    storage::CodeSource c;
    c.name = "module_" + name + "_" + ns;
    c.namespace_ = ns;
    c.project_id = project;
    c.content = "function Run(input) {}";
    auto source = db->write([&](storage::Transaction& tx) { return tx.code_sources().create(c); }).value();
    storage::DynamicActionDefinition d;
    d.name = name;
    d.namespace_ = ns;
    d.class_name = "Run";
    d.code_source_id = source.id;
    d.code_source_name = source.name;
    d.project_id = project;
    db->write([&](storage::Transaction& tx) { return tx.dynamic_actions().create(d); }).value();
  }
  void environment(const std::string& name, const std::string& project, const std::string& scope, int marker) {
    storage::Environment e;
    e.name = name;
    e.project_id = project;
    e.scope = scope;
    e.variables = Value::dict({{"marker", Value(int64_t{marker})}});
    db->write([&](storage::Transaction& tx) { return tx.environments().create(e); }).value();
  }
  void share(const std::string& workflow_id, const std::string& owner, const std::string& member,
             const std::string& status) {
    storage::ResourceMember m;
    m.resource_id = workflow_id;
    m.project_id = owner;
    m.member_id = member;
    m.status = status;
    db->write([&](storage::Transaction& tx) { return tx.resource_members().create(m); }).value();
  }
  template <class F>
  auto ask(const Caller& caller, F&& f) {
    return db->read([&](storage::Transaction& tx) {
      Catalog catalog(tx, caller);
      return f(catalog);
    });
  }
};

const Caller p1{"p1", false};
const Caller p2{"p2", false};
const Caller admin{"p9", true};

TEST_CASE("a workflow is found by name in its namespace, by id, or not at all with Mistral's text", "[catalog]") {
  Rows rows;
  std::string id = rows.workflow("wf", "ns1", "p1");
  rows.workflow("wf", "", "p1");
  auto in_ns = rows.ask(p1, [](Catalog& c) { return c.workflow("wf", std::string("ns1")); });
  REQUIRE(in_ns.ok());
  CHECK(in_ns->id == id);
  auto by_id = rows.ask(p1, [&](Catalog& c) { return c.workflow(id, std::nullopt); });
  REQUIRE(by_id.ok());
  CHECK(by_id->namespace_ == "ns1");
  auto missing = rows.ask(p1, [](Catalog& c) { return c.workflow("nope", std::string("ns1")); });
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::NotFound);
  CHECK(missing.error().message == "Workflow not found [workflow_identifier=nope, namespace=ns1]");
}

TEST_CASE("a workflow is visible to its project, to all when public, to members that accepted, to admins",
          "[catalog]") {
  Rows rows;
  std::string private_id = rows.workflow("mine", "", "p1");
  std::string public_id = rows.workflow("open", "", "p1", "public");
  auto sees = [&](const Caller& who, const std::string& id) {
    return rows.ask(who, [&](Catalog& c) { return c.workflow(id, std::nullopt).ok(); });
  };
  CHECK(sees(p1, private_id));
  CHECK_FALSE(sees(p2, private_id));
  CHECK(sees(p2, public_id));
  CHECK(sees(admin, private_id));

  rows.share(private_id, "p1", "p3", "pending");
  CHECK_FALSE(sees(Caller{"p3", false}, private_id));
  rows.share(private_id, "p1", "p2", "accepted");
  CHECK(sees(p2, private_id));
  CHECK_FALSE(sees(Caller{"p3", false}, private_id));
  CHECK_FALSE(sees(Caller{"p4", false}, private_id));
  // A membership shares read-only: an update does not find the row.
  CHECK_FALSE(rows.ask(p2, [&](Catalog& c) { return c.workflow_to_modify(private_id, "").has_value(); }));
  CHECK(rows.ask(p1, [&](Catalog& c) { return c.workflow_to_modify("mine", "").has_value(); }));
  // A cron trigger's workflow by id, as its project sees it.
  CHECK(rows.ask(p2, [&](Catalog& c) { return c.workflow_by_id(private_id).has_value(); }));
  CHECK_FALSE(rows.ask(Caller{"p4", false}, [&](Catalog& c) { return c.workflow_by_id(private_id).has_value(); }));
}

TEST_CASE("a sub-workflow is looked for in the parent's namespace, then the default one, then in the workbook",
          "[catalog]") {
  Rows rows;
  std::string in_default = rows.workflow("child", "", "p1");
  std::string in_ns = rows.workflow("child", "ns1", "p1");
  std::string sibling = rows.workflow("wb.helper", "ns1", "p1");
  auto find = [&](const std::string& name, const Place& parent) {
    auto found = rows.ask(p1, [&](Catalog& c) { return c.subworkflow(name, parent); });
    return found ? found->id : std::string("none");
  };
  CHECK(find("child", {"ns1", "parent"}) == in_ns);
  CHECK(find("child", {"ns2", "parent"}) == in_default);
  CHECK(find("child", {"", "parent"}) == in_default);
  CHECK(find("helper", {"ns1", "wb.parent"}) == sibling);
  CHECK(find("helper", {"ns1", "parent"}) == "none");
  // Another project's private workflow of that name is not found.
  rows.workflow("theirs", "", "p2");
  CHECK(find("theirs", {"", "parent"}) == "none");
}

TEST_CASE("an action name means an ad-hoc action, else a dynamic one, else a std one", "[catalog]") {
  Rows rows;
  // Mistral 15's providers look in the ad-hoc actions first: one named like
  // a std action shadows it, in its project only.
  rows.adhoc("std.echo", "", "p1");
  rows.adhoc("greet", "", "p1");
  rows.adhoc("greet", "ns1", "p1");
  rows.adhoc("wb.notify", "ns1", "p1");
  rows.dynamic("greet", "", "p1");
  rows.dynamic("compute", "", "p1");
  auto meaning = [&](const std::string& name, const Place& where) {
    return rows.ask(p1, [&](Catalog& c) { return c.action(name, where); });
  };
  auto echo = meaning("std.echo", {"ns1", "wf"});
  REQUIRE(echo.adhoc);
  CHECK(echo.adhoc->name == "std.echo");
  CHECK_FALSE(echo.std_action);
  auto echo_elsewhere = rows.ask(p2, [&](Catalog& c) { return c.action("std.echo", {"", "wf"}); });
  REQUIRE(echo_elsewhere.std_action);
  CHECK(echo_elsewhere.std_action->name == "std.echo");
  CHECK_FALSE(echo_elsewhere.adhoc);

  auto greet_ns = meaning("greet", {"ns1", "wf"});
  REQUIRE(greet_ns.adhoc);
  CHECK(greet_ns.adhoc->namespace_ == "ns1");
  CHECK_FALSE(greet_ns.dynamic);
  auto greet_fallback = meaning("greet", {"ns2", "wf"});
  REQUIRE(greet_fallback.adhoc);
  CHECK(greet_fallback.adhoc->namespace_.empty());

  CHECK(meaning("notify", {"ns1", "wb.wf"}).adhoc);
  CHECK_FALSE(meaning("notify", {"ns1", "wf"}).found());

  auto compute = meaning("compute", {"ns1", "wf"});
  REQUIRE(compute.dynamic);
  CHECK(compute.dynamic->class_name == "Run");
  CHECK(compute.dynamic->content == "function Run(input) {}");
  CHECK_FALSE(compute.adhoc);

  // Another project's private actions mean nothing to p2.
  CHECK_FALSE(rows.ask(p2, [&](Catalog& c) { return c.action("compute", {"", "wf"}).found(); }));
  CHECK(rows.ask(admin, [&](Catalog& c) { return c.action("compute", {"", "wf"}).found(); }));
}

TEST_CASE("a dynamic action is found by id or by name, else NotFound in Mistral's words", "[catalog]") {
  Rows rows;
  rows.dynamic("compute", "ns1", "p1");
  auto by_name = rows.ask(p1, [](Catalog& c) { return c.dynamic_action("compute", "ns1"); });
  REQUIRE(by_name.ok());
  auto by_id = rows.ask(p1, [&](Catalog& c) { return c.dynamic_action(by_name->id, ""); });
  REQUIRE(by_id.ok());
  CHECK(by_id->name == "compute");
  auto missing = rows.ask(p1, [](Catalog& c) { return c.dynamic_action("compute", ""); });
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "Dynamic Action not found [name=compute,namespace=]");
  auto source = rows.ask(p1, [](Catalog& c) { return c.code_source("module_compute_ns1", "ns1"); });
  REQUIRE(source.ok());
  CHECK(source->content == "function Run(input) {}");
  CHECK_FALSE(rows.ask(p2, [](Catalog& c) { return c.code_source("module_compute_ns1", "ns1").ok(); }));
}

TEST_CASE("an environment name means the caller's own first, then a public one of another project",
          "[catalog]") {
  Rows rows;
  rows.environment("shared", "p2", "public", 2);
  auto marker = [&](const Caller& who) {
    auto env = rows.ask(who, [](Catalog& c) { return c.environment("shared"); });
    return env ? env->variables["marker"].as_int() : int64_t{-1};
  };
  CHECK(marker(p1) == 2);
  rows.environment("shared", "p1", "private", 1);
  CHECK(marker(p1) == 1);
  CHECK(marker(p2) == 2);
  auto missing = rows.ask(p1, [](Catalog& c) { return c.environment("nope"); });
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "Environment not found [name=nope]");
}

TEST_CASE("the built-in actions are listed by name with Mistral's input signature", "[catalog]") {
  auto all = Catalog::builtin_actions();
  REQUIRE(all.size() > 5);
  CHECK(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; }));
  auto echo = Catalog::builtin_action("std.echo");
  REQUIRE(echo);
  CHECK(echo->input == "output, delay=0");
  auto http = Catalog::builtin_action("std.http");
  REQUIRE(http);
  CHECK(http->input.rfind("url, method=\"GET\"", 0) == 0);
  CHECK_FALSE(Catalog::builtin_action("std.nope"));
  CHECK_FALSE(Catalog::builtin_action("greet"));
}

}  // namespace
}  // namespace bora::catalog
