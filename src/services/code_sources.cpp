#include "bora/services/code_sources.h"

#include <fmt/format.h>

#include "bora/catalog/catalog.h"
#include "bora/core/ids.h"
#include "bora/executor/dynamic_action.h"

namespace bora::services {

using storage::CodeSource;
using storage::Filter;
using storage::FilterOp;

namespace {

// With Python code sources allowed, any text is stored as Mistral stores
// it (what is no JavaScript is a Python module, which fails when its
// action runs if it is no valid one); without, only JavaScript.
Result<void> check_content(const std::string& name, const std::string& content, bool python) {
  if (python) return {};
  if (auto problem = executor::check_code_source(name, content)) return bad_input(*problem);
  if (!python && executor::code_source_language(content) == executor::CodeLanguage::python)
    return bad_input(fmt::format(
        "Code source '{}' is Python, and this server takes Python code sources only with authentication on: "
        "their actions run as the server's user, and without authentication anyone who reaches the API may "
        "claim the admin role. Turn authentication on ([pecan] auth_enable = true), or set [python_actions] "
        "code_sources = true when a proxy in front of Bora authenticates its callers; JavaScript code sources "
        "need neither (docs/API.md, \"Code sources and dynamic actions\").",
        name));
  return {};
}

}  // namespace

Result<CodeSource> create_code_source(storage::Transaction& tx, const std::string& name, const std::string& content,
                                      const std::string& namespace_, const std::string& scope, const Caller& caller,
                                      bool python) {
  if (name.empty()) return bad_input("A code source needs a name: POST /v2/code_sources?name=NAME");
  CodeSource c;
  c.name = name;
  c.namespace_ = namespace_;
  c.content = content;
  c.version = 1;
  c.scope = scope;
  c.project_id = caller.project_id;
  if (auto s = check_scope(scope); !s) {
    // Mistral stores first: a name its unique key already holds is that
    // key's 409 (the storage's own words), whatever the scope.
    auto taken = catalog::Catalog(tx, caller).code_source(name, namespace_);
    if (taken && taken->name == name && taken->namespace_ == namespace_ && taken->project_id == caller.project_id) {
      c.scope = "private";
      if (auto dup = tx.code_sources().create(std::move(c)); !dup) return dup.error();
    }
    return s.error();
  }
  if (auto ok = check_content(name, content, python); !ok) return ok.error();
  return tx.code_sources().create(std::move(c));
}

Result<CodeSource> update_code_source(storage::Transaction& tx, const std::string& identifier,
                                      const std::string& content, const std::string& namespace_,
                                      const std::string& scope, const Caller& caller, bool python) {
  // Mistral looks the code source up first: an unknown one is a 404,
  // whatever the scope.
  auto existing = catalog::Catalog(tx, caller).code_source(identifier, namespace_);
  if (!existing) return existing.error();
  if (auto s = check_scope(scope); !s) return s.error();
  if (auto a = check_modify_access(caller, "CodeSource", existing->id, existing->project_id, false); !a)
    return a.error();
  if (auto c = check_content(existing->name, content, python); !c) return c.error();
  existing->content = content;
  existing->scope = scope;
  existing->version += 1;
  return tx.code_sources().update(std::move(existing).value());
}

Result<void> delete_code_source(storage::Transaction& tx, const std::string& identifier,
                                const std::string& namespace_, const Caller& caller) {
  auto existing = catalog::Catalog(tx, caller).code_source(identifier, namespace_);
  if (!existing) return existing.error();
  if (auto a = check_modify_access(caller, "CodeSource", existing->id, existing->project_id, false); !a)
    return a.error();
  if (auto r = tx.dynamic_actions().remove_where({Filter{"code_source_id", FilterOp::Eq, {existing->id}}}); !r)
    return r.error();
  return tx.code_sources().remove(existing->id);
}

}  // namespace bora::services
