// Create, get, update, remove for every record type; Mistral's not-found
// and duplicate texts; every field survives the round trip.
#include <catch2/catch.hpp>

#include "temp_db.h"

using namespace bora;
using namespace bora::storage;

namespace {

// A sample of each record with every field set to something non-default.
template <class R>
struct Sample;

Timestamp t0() { return from_micros(1'700'000'000'123'456); }

template <>
struct Sample<WorkbookDefinition> {
  static WorkbookDefinition make() {
    WorkbookDefinition r;
    r.name = "wb";
    r.namespace_ = "ns";
    r.definition = "version: '2.0'\nname: wb\n";
    r.spec = Value::dict({{"name", Value("wb")}});
    r.tags = Value::list({Value("a")});
    r.scope = "public";
    r.project_id = "p1";
    return r;
  }
  static Repository<WorkbookDefinition>& repo(Transaction& tx) { return tx.workbooks(); }
  static void change(WorkbookDefinition& r) { r.definition = "changed"; }
  static bool changed(const WorkbookDefinition& r) { return r.definition == "changed"; }
};

template <>
struct Sample<WorkflowDefinition> {
  static WorkflowDefinition make() {
    WorkflowDefinition r;
    r.name = "wf";
    r.definition = "text";
    r.spec = Value::dict({{"tasks", Value::dict({})}});
    r.tags = Value::list({});
    r.project_id = "p1";
    r.workbook_name = "wb";
    r.checksum = "abc";
    return r;
  }
  static Repository<WorkflowDefinition>& repo(Transaction& tx) { return tx.workflow_definitions(); }
  static void change(WorkflowDefinition& r) { r.workbook_name.reset(); }
  static bool changed(const WorkflowDefinition& r) { return !r.workbook_name; }
};

template <>
struct Sample<ActionDefinition> {
  static ActionDefinition make() {
    ActionDefinition r;
    r.name = "my.action";
    r.definition = "text";
    r.description = "does things";
    r.input = "a, b=2";
    r.attributes = Value::dict({{"x", Value(int64_t(1))}});
    r.project_id = "p1";
    return r;
  }
  static Repository<ActionDefinition>& repo(Transaction& tx) { return tx.action_definitions(); }
  static void change(ActionDefinition& r) { r.description.reset(); }
  static bool changed(const ActionDefinition& r) { return !r.description; }
};

template <>
struct Sample<Environment> {
  static Environment make() {
    Environment r;
    r.name = "env";
    r.description = "d";
    r.variables = Value::dict({{"big", Value(int64_t(9007199254740993))}, {"f", Value(0.1)}});
    r.project_id = "p1";
    return r;
  }
  static Repository<Environment>& repo(Transaction& tx) { return tx.environments(); }
  static void change(Environment& r) { r.variables = Value::dict({}); }
  static bool changed(const Environment& r) { return r.variables.is_dict() && r.variables.size() == 0; }
};

template <>
struct Sample<WorkflowExecution> {
  static WorkflowExecution make() {
    WorkflowExecution r;
    r.name = "wf";
    r.workflow_name = "wf";
    r.workflow_id = "wf-id";
    r.state = storage::State::Running;
    r.state_info = "info";
    r.input = Value::dict({{"a", Value("ü")}});
    r.params = Value::dict({{"env", Value::dict({})}});
    r.project_id = "p1";
    return r;
  }
  static Repository<WorkflowExecution>& repo(Transaction& tx) { return tx.workflow_executions(); }
  static void change(WorkflowExecution& r) { r.state = storage::State::Success; }
  static bool changed(const WorkflowExecution& r) { return r.state == storage::State::Success; }
};

template <>
struct Sample<ActionExecution> {
  static ActionExecution make() {
    ActionExecution r;
    r.name = "std.echo";
    r.state = storage::State::Running;
    r.input = Value::dict({{"output", Value("x")}});
    r.is_sync = true;
    r.last_heartbeat = t0();
    r.project_id = "p1";
    return r;
  }
  static Repository<ActionExecution>& repo(Transaction& tx) { return tx.action_executions(); }
  static void change(ActionExecution& r) { r.is_sync.reset(); }
  static bool changed(const ActionExecution& r) { return !r.is_sync; }
};

template <>
struct Sample<DelayedCall> {
  static DelayedCall make() {
    DelayedCall r;
    r.target = "task.retry";
    r.arguments = Value::dict({{"task_ex_id", Value("t")}});
    r.key = "k";
    r.execution_time = t0();
    return r;
  }
  static Repository<DelayedCall>& repo(Transaction& tx) { return tx.delayed_calls(); }
  static void change(DelayedCall& r) { r.owner = "node-1"; }
  static bool changed(const DelayedCall& r) { return r.owner == "node-1"; }
};

template <>
struct Sample<ResourceMember> {
  static ResourceMember make() {
    ResourceMember r;
    r.resource_id = "wf-id";
    r.project_id = "p1";
    r.member_id = "p2";
    return r;
  }
  static Repository<ResourceMember>& repo(Transaction& tx) { return tx.resource_members(); }
  static void change(ResourceMember& r) { r.status = "accepted"; }
  static bool changed(const ResourceMember& r) { return r.status == "accepted"; }
};

}  // namespace

TEMPLATE_TEST_CASE("repository round trip", "[storage]", WorkbookDefinition, WorkflowDefinition, ActionDefinition,
                   Environment, WorkflowExecution, ActionExecution, DelayedCall, ResourceMember) {
  using S = Sample<TestType>;
  auto db = bora::storage::test::open_migrated("sqlite://");
  TestType created = db->write([](Transaction& tx) { return S::repo(tx).create(S::make()).value(); });
  CHECK(is_uuid(created.id));
  CHECK(created.created_at != Timestamp{});
  CHECK_FALSE(created.updated_at);

  auto got = db->read([&](Transaction& tx) { return S::repo(tx).get(created.id, ProjectScope::all()); });
  REQUIRE(got.ok());
  CHECK(got->id == created.id);
  CHECK(got->created_at == created.created_at);

  TestType modified = *got;
  S::change(modified);
  auto updated = db->write([&](Transaction& tx) { return S::repo(tx).update(modified); });
  REQUIRE(updated.ok());
  CHECK(updated->updated_at);
  auto reread = db->read([&](Transaction& tx) { return S::repo(tx).get(created.id, ProjectScope::all()).value(); });
  CHECK(S::changed(reread));
  CHECK(reread.updated_at);

  auto removed = db->write([&](Transaction& tx) { return S::repo(tx).remove(created.id); });
  CHECK(removed.ok());
  auto gone = db->read([&](Transaction& tx) { return S::repo(tx).get(created.id, ProjectScope::all()); });
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().kind == ErrorKind::NotFound);
  CHECK_THAT(gone.error().message, Catch::Contains(created.id));
  auto again = db->write([&](Transaction& tx) { return S::repo(tx).remove(created.id); });
  CHECK(again.error().kind == ErrorKind::NotFound);
  TestType ghost = S::make();
  ghost.id = generate_uuid();
  auto upd = db->write([&](Transaction& tx) { return S::repo(tx).update(ghost); });
  CHECK(upd.error().kind == ErrorKind::NotFound);
}

TEST_CASE("every field survives a round trip") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  auto env = db->write([](Transaction& tx) { return tx.environments().create(Sample<Environment>::make()).value(); });
  auto got = db->read(
      [&](Transaction& tx) { return tx.environments().get(env.id, bora::storage::ProjectScope::all()).value(); });
  CHECK(got.name == "env");
  CHECK(got.description == std::optional<std::string>("d"));
  CHECK(got.variables["big"].as_int() == 9007199254740993);
  CHECK(got.variables["f"].is_double());
  CHECK(got.project_id == "p1");
  CHECK(got.scope == "private");

  auto ex = db->write([](Transaction& tx) {
    return tx.workflow_executions().create(Sample<WorkflowExecution>::make()).value();
  });
  auto gx = db->read(
      [&](Transaction& tx) { return tx.workflow_executions().get(ex.id, bora::storage::ProjectScope::all()).value(); });
  CHECK(gx.input["a"].as_string() == "ü");
  CHECK(gx.state_info == std::optional<std::string>("info"));
  CHECK_FALSE(gx.task_execution_id);
  CHECK(gx.output.is_null());

  auto ax = db->write([](Transaction& tx) {
    return tx.action_executions().create(Sample<ActionExecution>::make()).value();
  });
  auto ga = db->read(
      [&](Transaction& tx) { return tx.action_executions().get(ax.id, bora::storage::ProjectScope::all()).value(); });
  CHECK(ga.is_sync == std::optional<bool>(true));
  CHECK(ga.last_heartbeat == std::optional<Timestamp>(t0()));
}

TEST_CASE("duplicates are conflicts with Mistral's texts") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  db->write([](Transaction& tx) { tx.workflow_definitions().create(Sample<WorkflowDefinition>::make()).value(); });
  auto dup = db->write([](Transaction& tx) {
    return tx.workflow_definitions().create(Sample<WorkflowDefinition>::make());
  });
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().kind == ErrorKind::Conflict);
  CHECK(dup.error().message ==
        "Duplicate entry for WorkflowDefinition ['name', 'namespace', 'project_id']: wf, , None");

  // Same name in another namespace or project is a different workflow.
  auto other_ns = db->write([](Transaction& tx) {
    auto r = Sample<WorkflowDefinition>::make();
    r.namespace_ = "other";
    return tx.workflow_definitions().create(r);
  });
  CHECK(other_ns.ok());

  db->write([](Transaction& tx) { tx.environments().create(Sample<Environment>::make()).value(); });
  auto env_dup = db->write([](Transaction& tx) { return tx.environments().create(Sample<Environment>::make()); });
  REQUIRE_FALSE(env_dup.ok());
  CHECK(env_dup.error().message == "Duplicate entry for Environment ['name', 'project_id']: env, None");

  // An update that collides is a conflict too.
  auto second = db->write([](Transaction& tx) {
    auto r = Sample<Environment>::make();
    r.name = "env2";
    return tx.environments().create(r).value();
  });
  second.name = "env";
  auto clash = db->write([&](Transaction& tx) { return tx.environments().update(second); });
  CHECK(clash.error().kind == ErrorKind::Conflict);
}

TEST_CASE("deleting an execution deletes its tasks and their action executions") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  auto wf_ex = db->write([](Transaction& tx) {
    return tx.workflow_executions().create(Sample<WorkflowExecution>::make()).value();
  });
  db->write([&](Transaction& tx) {
    TaskExecution t;
    t.name = "t1";
    t.workflow_execution_id = wf_ex.id;
    t.workflow_name = "wf";
    t.workflow_id = "wf-id";
    t.state = storage::State::Running;
    auto task = tx.task_executions().create(t).value();
    auto a = Sample<ActionExecution>::make();
    a.task_execution_id = task.id;
    tx.action_executions().create(a).value();
  });
  db->write([&](Transaction& tx) { tx.workflow_executions().remove(wf_ex.id).value(); });
  auto counts = db->read([](Transaction& tx) {
    return std::pair(tx.task_executions().count({}, bora::storage::ProjectScope::all()).value(),
                     tx.action_executions().count({}, bora::storage::ProjectScope::all()).value());
  });
  CHECK(counts.first == 0);
  CHECK(counts.second == 0);
}

TEST_CASE("a task execution must belong to an existing workflow execution") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  // The foreign key refuses it; that is a bug in the caller, so it throws.
  try {
    (void)db->write([](Transaction& tx) {
      TaskExecution t;
      t.name = "orphan";
      t.workflow_execution_id = "no-such-execution";
      t.workflow_name = "wf";
      t.workflow_id = "x";
      t.state = storage::State::Running;
      return tx.task_executions().create(t);
    });
    FAIL("the orphan task was stored");
  } catch (const BoraError& e) {
    CHECK(e.kind() == ErrorKind::Conflict);
  }
  CHECK(db->read([](Transaction& tx) {
    return tx.task_executions().count({}, bora::storage::ProjectScope::all()).value();
  }) == 0);
}

TEST_CASE("an execution's state_info is cut to 65 500 characters when written, as Mistral's models cut it") {
  auto db = bora::storage::test::open_migrated("sqlite://");
  // 70 000 characters, two bytes each: the cut counts characters.
  std::string long_info;
  for (int i = 0; i < 70000; ++i) long_info += "\xc3\xa9";
  auto wf_ex = db->write([&](Transaction& tx) {
    auto w = Sample<WorkflowExecution>::make();
    w.state_info = long_info;
    return tx.workflow_executions().create(w).value();
  });
  std::string expected = long_info.substr(0, 65500 * 2) + "...";
  CHECK(wf_ex.state_info == expected);
  auto task = db->write([&](Transaction& tx) {
    TaskExecution t;
    t.name = "t1";
    t.workflow_execution_id = wf_ex.id;
    t.workflow_name = "wf";
    t.workflow_id = "wf-id";
    t.state_info = "short";
    auto created = tx.task_executions().create(t).value();
    CHECK(created.state_info == "short");
    created.state_info = long_info;
    return tx.task_executions().update(created).value();
  });
  CHECK(task.state_info == expected);
  auto read = db->read([&](Transaction& tx) {
    return std::pair(tx.workflow_executions().find(wf_ex.id, ProjectScope::all())->state_info,
                     tx.task_executions().find(task.id, ProjectScope::all())->state_info);
  });
  CHECK(read.first == expected);
  CHECK(read.second == expected);
}
