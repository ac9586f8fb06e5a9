// /v2/actions: Mistral's ActionsController (api/controllers/v2/action.py):
// the built-in std actions with their input signatures, plus ad-hoc actions
// defined in YAML (created, updated, deleted here), and the dynamic actions
// (listed, managed under /v2/dynamic_actions). As Mistral does, the list is
// assembled from every source and filtered, sorted and paged in
// memory.
#include <fmt/format.h>

#include <set>

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
#include "bora/services/action_definitions.h"
#include "bora/storage/database.h"

namespace bora::api {

namespace {

const ListSpec& action_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s{{"created_at", "name", "scope", "tags", "updated_at", "description", "definition", "is_system", "input",
                "namespace"},
               {"id", "name", "description", "input", "namespace", "project_id", "scope", "definition", "is_system",
                "tags", "created_at", "updated_at"},
               {},
               "name",
               1000,
               false,
               true};
    s.text_arguments = {"input"};  // wtypes.text in ActionsController.get_all
    return s;
  }();
  return spec;
}

// The answer to a create or update: Mistral's resource built from the
// stored row, where an action without parameters has input None (its reads
// show "").
Value actions_body(const std::vector<storage::ActionDefinition>& actions) {
  std::vector<Value> items;
  for (const auto& a : actions) {
    Value view = action_view(a);
    if (view["input"] == Value("")) view = view.with("input", Value());
    items.push_back(std::move(view));
  }
  return Value::dict({{"actions", Value(std::move(items))}});
}

}  // namespace

void register_actions_resource(Router& router, ApiContext& ctx) {
  router.add("POST", "/v2/actions/validate", [](const Request& req, const PathParams&) {
    auto check = services::as_validated(
        services::check_definition(definition_text(req, "action definition"), lang::DocumentKind::Actions));
    return validation_response(check.valid(), check.valid() ? "" : lang::problems_to_error(check.problems).message,
                               services::warning_lines(check.problems));
  }, Produces::PecanJson);

  router.add_pecan_controller("POST", "/v2/actions", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "actions:create");
    authorize_publicize(ctx, req, "actions", definition_target(req).scope);
    std::string text = definition_text(req, "action definition");
    auto created = ctx.db.write([&](storage::Transaction& tx) {
      return services::create_actions(tx, text, definition_target(req), caller_of(req));
    });
    Value body = actions_body(created.value());
    List items;
    for (const auto& a : body["actions"].as_list()) items.push_back(created_view(a));
    return json_response(Value::dict({{"actions", Value(std::move(items))}}), 201);
  });

  auto update = [&ctx](const Request& req, const PathParams& p) {
    authorize(ctx, req, "actions:update");
    authorize_publicize(ctx, req, "actions", definition_target(req).scope);
    std::string text = definition_text(req, "action definition");
    std::optional<std::string> identifier;
    if (!p.empty()) identifier = p[0];
    auto updated = ctx.db.write([&](storage::Transaction& tx) {
      return services::update_actions(tx, text, definition_target(req), identifier, caller_of(req));
    });
    return json_response(actions_body(updated.value()));
  };
  router.add_pecan_controller("PUT", "/v2/actions", update);
  router.add_pecan_controller("PUT", "/v2/actions/{identifier}", update);

  router.add("GET", "/v2/actions", [&ctx](const Request& req, const PathParams&) {
    authorize(ctx, req, "actions:list");
    ListParams params = parse_list_params(req, action_list_spec());
    // Mistral's get_all(namespace=''): without one, the default namespace's
    // actions (its next link shows the filter, namespace=eq:).
    if (std::none_of(params.filters.begin(), params.filters.end(),
                     [](const Filter& f) { return f.field == "namespace"; }))
      scope_to(params, action_list_spec(), "namespace", "", false);
    // Mistral's filter_utils.match_filter ignores a filter on an attribute
    // the action's descriptor lacks: a built-in one has no id, times, tags,
    // definition or is_system, and none has `input` (its params_spec).
    // Mistral hands its namespace argument as given to the action providers,
    // which look that namespace up by equality: with an operator (`eq:x`,
    // `neq:`) none is named so, and nothing is listed.
    std::optional<std::string> raw_namespace = req.query_param("namespace");
    auto keep = [&](const Value& view, bool builtin) {
      if (raw_namespace && !raw_namespace->empty()) {
        const Value* ns = view.find("namespace");
        if (!ns || !ns->is_string() || ns->as_string() != *raw_namespace) return false;
      }
      return std::all_of(params.filters.begin(), params.filters.end(), [&](const Filter& f) {
        static const std::set<std::string> builtin_lacks = {"id",         "created_at", "updated_at", "tags",
                                                            "definition", "input",      "is_system"};
        if (f.field == "input" || (builtin && builtin_lacks.count(f.field))) return true;
        return matches_filter(view, f);
      });
    };
    // The providers' order (ad-hoc, dynamic, built-in) is kept among equal
    // sort keys: an ad-hoc action named like a built-in one comes first.
    std::vector<Value> items;
    storage::ListQuery everything{caller_of(req).visible(lists_other_projects(params))};
    auto rows =
        ctx.db.read([&](storage::Transaction& tx) { return tx.action_definitions().list(everything); }).value();
    for (const auto& a : rows)
      if (Value v = action_view(a); keep(v, false)) items.push_back(std::move(v));
    ctx.db
        .read([&](storage::Transaction& tx) -> Result<void> {
          auto dynamic = tx.dynamic_actions().list(everything);
          if (!dynamic) return dynamic.error();
          catalog::Catalog names(tx, caller_of(req));
          for (const auto& d : *dynamic) {
            auto python = names.python_dynamic_action(d);
            // A dynamic action's descriptor lacks what a built-in one lacks.
            if (Value v = dynamic_action_as_action_view(d, python ? &*python : nullptr); keep(v, true))
              items.push_back(std::move(v));
          }
          return {};
        })
        .value();
    for (const auto& d : catalog::Catalog::builtin_actions())
      if (Value v = std_action_view(d); keep(v, true)) items.push_back(std::move(v));
    ListParams sorted_only = params;  // filtered above
    sorted_only.filters.clear();
    sorted_only.marker.reset();
    sorted_only.limit = 0;
    auto all = query_in_memory(std::move(items), sorted_only, "id");
    // Mistral's page: from the action *named* by the marker (a std action's
    // id is its name; an ad-hoc one's id, a UUID, names none, and an
    // unknown marker neither: the page starts at the first), that action
    // included, so a next link (the last item's id) starts the next page
    // with it; a page is cut only when a limit is given (else the marker
    // is ignored).
    bool limited = req.query_param("limit").has_value();
    size_t start = 0;
    if (params.marker && limited) {
      auto it = std::find_if(all.begin(), all.end(), [&](const Value& v) {
        const Value* name = v.find("name");
        return name && name->is_string() && name->as_string() == *params.marker;
      });
      if (it != all.end()) start = static_cast<size_t>(it - all.begin());
    }
    size_t end = all.size();
    if (limited) end = std::min(end, start + static_cast<size_t>(params.limit));
    std::vector<Value> page(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(start)),
                            std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(end)));
    return json_response(list_body(req, "actions", params, std::move(page)));
  });

  // Mistral's get(identifier, namespace='') and delete(...): pecan also
  // takes the namespace as a path segment, which python-mistralclient uses
  // (/v2/actions/<name>/<namespace>).
  auto get_action = [&ctx](const Request& req, const std::string& identifier, const std::string& ns) {
    authorize(ctx, req, "actions:get");
    // Mistral's providers in order: ad-hoc, dynamic, built-in (an ad-hoc
    // action named like a built-in one shadows it).
    return ctx.db.read([&](storage::Transaction& tx) {
      catalog::Catalog names(tx, caller_of(req));
      // Mistral's action providers find an action by its name (not its id),
      // in the namespace given, then in the default one.
      for (const std::string& in : ns.empty() ? std::vector<std::string>{""} : std::vector<std::string>{ns, ""}) {
        if (auto adhoc = names.adhoc_action(identifier, in); adhoc && adhoc->name == identifier)
          return json_response(action_view(*adhoc));
        if (auto dynamic = names.dynamic_action(identifier, in); dynamic && dynamic->name == identifier) {
          auto python = names.python_dynamic_action(*dynamic);
          return json_response(dynamic_action_as_action_view(*dynamic, python ? &*python : nullptr));
        }
      }
      if (auto builtin = catalog::Catalog::builtin_action(identifier)) return json_response(std_action_view(*builtin));
      throw BoraError(ErrorKind::NotFound, fmt::format("Action not found [name={}, namespace={}]", identifier, ns));
    });
  };
  auto delete_action = [&ctx](const Request& req, const std::string& identifier, const std::string& ns) {
    authorize(ctx, req, "actions:delete");
    ctx.db
        .write([&](storage::Transaction& tx) { return services::delete_action(tx, identifier, ns, caller_of(req)); })
        .value();
    return no_content();
  };
  router.add("GET", "/v2/actions/{identifier}", [get_action](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    return get_action(req, p[0], namespace_param(req));
  });
  router.add("GET", "/v2/actions/{identifier}/{namespace}", [get_action](const Request& req, const PathParams& p) {
    QueryArgs args(req, {});
    return get_action(req, p[0], p[1]);
  });
  router.add("DELETE", "/v2/actions/{identifier}", [delete_action](const Request& req, const PathParams& p) {
    QueryArgs args(req, {"namespace"});
    return delete_action(req, p[0], namespace_param(req));
  });
  router.add("DELETE", "/v2/actions/{identifier}/{namespace}",
             [delete_action](const Request& req, const PathParams& p) {
               QueryArgs args(req, {});
               return delete_action(req, p[0], p[1]);
             });
}

}  // namespace bora::api
