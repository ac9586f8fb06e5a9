// /v2/workflows: Mistral's WorkflowsController (api/controllers/v2/workflow.py).
// Definitions travel as YAML text; one document may hold several workflows.
#include "bora/api/authorize.h"
#include "bora/api/collection_query.h"
#include "bora/api/context.h"
#include "bora/api/list_params.h"
#include "bora/api/query_args.h"
#include "bora/api/resources.h"
#include "bora/api/views.h"
#include "bora/catalog/catalog.h"
#include "bora/lang/parser.h"
#include "bora/services/definition_check.h"
#include "bora/services/workflow_definitions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

const ListSpec& workflow_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s{
        {"created_at", "name", "scope", "tags", "updated_at", "input", "definition", "project_id", "namespace"},
        {"id", "name", "namespace", "input", "interface", "definition", "tags", "scope", "project_id", "checksum",
         "created_at", "updated_at"},
        {},
        "created_at"};
    s.own_fields = {"checksum"};
    s.not_columns = {"interface"};
    s.text_arguments = {"input"};  // wtypes.text in WorkflowsController.get_all
    s.attribute_types = {{"interface", 'j'}, {"tags", 'l'}, {"scope", 'e'}};
    return s;
  }();
  return spec;
}

Value workflows_body(const std::vector<storage::WorkflowDefinition>& wfs) {
  std::vector<Value> items;
  for (const auto& w : wfs) items.push_back(workflow_view(w, false));
  return Value::dict({{"workflows", Value(std::move(items))}});
}

}  // namespace

void register_workflows_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/workflows/validate", [](const Request& req, const PathParams&) {
    auto check = services::as_validated(
        services::check_definition(definition_text(req, "workflow definition"), lang::DocumentKind::Workflows));
    return validation_response(check.valid(), check.valid() ? "" : lang::problems_to_error(check.problems).message,
                               services::warning_lines(check.problems));
  }, Produces::PecanJson);

  router.add_pecan_controller("POST", "/v2/workflows", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "workflows:create");
    authorize_publicize(ctx, req, "workflows", definition_target(req).scope);
    std::string text = definition_text(req, "workflow definition");
    auto created = ctx.db.write([&](storage::Transaction& tx) {
      return services::create_workflows(tx, text, definition_target(req), caller_of(req));
    });
    Value body = workflows_body(created.value());
    List items;
    for (const auto& w : body["workflows"].as_list()) items.push_back(created_view(w));
    return json_response(Value::dict({{"workflows", Value(std::move(items))}}), 201);
  });

  auto update = [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "workflows:update");
    authorize_publicize(ctx, req, "workflows", definition_target(req).scope);
    std::string text = definition_text(req, "workflow definition");
    std::optional<std::string> identifier;
    if (!p.empty()) identifier = p[0];
    auto updated = ctx.db.write([&](storage::Transaction& tx) {
      return services::update_workflows(tx, text, definition_target(req), identifier, caller_of(req));
    });
    if (identifier) return json_response(workflow_view(updated.value().front(), false));
    return json_response(workflows_body(updated.value()));
  };
  router.add_pecan_controller("PUT", "/v2/workflows", update);
  router.add_pecan_controller("PUT", "/v2/workflows/{identifier}", update);

  router.add("GET", "/v2/workflows", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "workflows:list");
    ListParams params = parse_list_params(req, workflow_list_spec());
    if (std::find(params.fields.begin(), params.fields.end(), "input") != params.fields.end()) {
      // Mistral reads `input` from the spec column it asks for instead, at
      // the end of the fields (below), and sets the interface with it.
      // With `interface` also asked for, that column is never reached: the
      // fields after the interface take the next columns' values.
      std::vector<std::string> asked = params.fields;
      std::erase(asked, "input");
      asked.push_back("spec");
      std::vector<std::string> columns = asked;
      std::erase(columns, "interface");
      params.assigned.clear();
      if (std::find(asked.begin(), asked.end(), "interface") != asked.end())
        for (size_t i = 0; i < columns.size(); ++i) params.assigned.emplace_back(asked[i], columns[i]);
      std::erase(params.unshown, "interface");
    }
    if (params.all_projects) authorize(ctx, req, "workflows:list:all_projects");
    // `input` is shown, not stored: filter on it in memory.
    ListParams stored = params;
    std::erase_if(stored.filters, [](const Filter& f) { return f.field == "input"; });
    bool in_memory = stored.filters.size() != params.filters.size();
    storage::ListQuery q = to_list_query(stored, caller_of(req));
    if (in_memory) {
      q.limit = 0;
      q.marker.reset();
    }
    auto rows = ctx.db
                    .read([&](storage::Transaction& tx) {
                      q.scope = catalog::Catalog(tx, caller_of(req)).workflow_scope(lists_other_projects(params));
                      return tx.workflow_definitions().list(q);
                    })
                    .value();
    // With both `input` and `interface` asked for, the attributes from the
    // interface on take the next columns' values, the last one the stored
    // spec itself (Mistral's WorkflowSpec.to_dict(), as Bora stores it).
    const bool with_input = std::find(params.fields.begin(), params.fields.end(), "input") != params.fields.end();
    const bool with_interface =
        std::find(params.fields.begin(), params.fields.end(), "interface") != params.fields.end();
    const bool spec_shown = with_input && with_interface;
    std::vector<Value> items;
    for (const auto& w : rows) {
      Value item = workflow_view(w, true);
      if (spec_shown) item = item.with("spec", w.spec);
      items.push_back(std::move(item));
    }
    if (in_memory) {
      ListParams rest = params;
      std::erase_if(rest.filters, [](const Filter& f) { return f.field != "input"; });
      items = query_in_memory(std::move(items), rest, "id");
    }
    // Mistral's Workflow.from_dict sets the interface with the input (from
    // the spec it reads for it): `fields=input` shows the interface too, as
    // JSON text. Taken from the views before `fields` projects them.
    std::map<std::string, Value> interfaces;  // by id
    if (with_input && !with_interface) {
      for (const auto& item : items) {
        const Value* id = item.find("id");
        const Value* interface = item.find("interface");
        if (!id || !id->is_string() || !interface) continue;
        interfaces[id->as_string()] =
            interface->is_string() ? *interface : Value(to_json(*interface, JsonFormat::python()));
      }
    }
    Value body = list_body(req, "workflows", params, std::move(items));
    // Mistral's get_workflow_definitions reads `input` from the spec
    // column: it takes `input` out of the requested fields and appends
    // `spec`, and its next link lists them so.
    if (const Value* next = body.find("next"); next && with_input) {
      std::vector<std::string> read = params.fields;
      std::erase(read, "input");
      read.push_back("spec");
      std::string shown = "&fields=", text = next->as_string();
      for (size_t i = 0; i < params.fields.size(); ++i) shown += (i ? "," : "") + params.fields[i];
      if (auto at = text.rfind(shown); at != std::string::npos && at + shown.size() == text.size()) {
        std::string now = "&fields=";
        for (size_t i = 0; i < read.size(); ++i) now += (i ? "," : "") + read[i];
        body = body.with("next", Value(text.substr(0, at) + now));
      }
    }
    if (!interfaces.empty()) {
      // In its place among the attributes (after input), as WSME writes it.
      List listed = body["workflows"].as_list();
      for (auto& item : listed) {
        const Value* id = item.find("id");
        auto it = id && id->is_string() ? interfaces.find(id->as_string()) : interfaces.end();
        if (it == interfaces.end()) continue;
        Dict placed;
        for (const auto& [name, v] : item.as_dict()) {
          placed.set(name, v);
          if (name == "input") placed.set("interface", it->second);
        }
        item = Value(std::move(placed));
      }
      body = body.with("workflows", Value(std::move(listed)));
    }
    return json_response(body);
  });

  router.add("GET", "/v2/workflows/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    authorize(ctx, req, "workflows:get");
    // Mistral's get(identifier, namespace=''): a name without a namespace
    // is looked up in the default namespace only (an id matches anywhere).
    std::optional<std::string> ns = req.query_param("namespace").value_or("");
    auto wf = ctx.db.read(
        [&](storage::Transaction& tx) { return catalog::Catalog(tx, caller_of(req)).workflow(p[0], ns); });
    return json_response(workflow_view(wf.value(), true));
  });

  router.add("DELETE", "/v2/workflows/{identifier}", [&ctx](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    authorize(ctx, req, "workflows:delete");
    ctx.db
        .write([&](storage::Transaction& tx) {
          return services::delete_workflow(tx, p[0], namespace_param(req), caller_of(req));
        })
        .value();
    return no_content();
  });
}

}  // namespace bora::api
