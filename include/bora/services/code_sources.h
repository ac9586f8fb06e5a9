// services/code_sources: modules of user code that dynamic actions are built
// from (Mistral's code sources, api/controllers/v2/code_source.py). A
// module is stored as it is, as Mistral stores it: what compiles as
// JavaScript is JavaScript, anything else Python (executor/dynamic_action.h).
// Where Python modules are not taken, only JavaScript is stored: a syntax
// error in it is a 400 that says so.
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

// `python`: whether a Python module may be stored (ApiContext::
// python_code_sources); when not, one is refused with a 400 that says how
// to allow it.
Result<storage::CodeSource> create_code_source(storage::Transaction& tx, const std::string& name,
                                               const std::string& content, const std::string& namespace_,
                                               const std::string& scope, const Caller& caller, bool python);
// A new content (and scope) for the code source; its version grows by one.
Result<storage::CodeSource> update_code_source(storage::Transaction& tx, const std::string& identifier,
                                               const std::string& content, const std::string& namespace_,
                                               const std::string& scope, const Caller& caller, bool python);
// With the dynamic actions built from it (Mistral's ON DELETE CASCADE).
Result<void> delete_code_source(storage::Transaction& tx, const std::string& identifier,
                                const std::string& namespace_, const Caller& caller);

}  // namespace bora::services
