// services/code_sources: modules of user code that dynamic actions are built
// from (Mistral's code sources, api/controllers/v2/code_source.py). Bora's
// are JavaScript: the content is compiled before it is stored, so a syntax
// error (or a Python module) is refused with a 400 that says so.
#pragma once

#include <optional>
#include <string>

#include "bora/core/error.h"
#include "bora/services/caller.h"
#include "bora/storage/transaction.h"

namespace bora::services {

Result<storage::CodeSource> create_code_source(storage::Transaction& tx, const std::string& name,
                                               const std::string& content, const std::string& namespace_,
                                               const std::string& scope, const Caller& caller);
// A new content (and scope) for the code source; its version grows by one.
Result<storage::CodeSource> update_code_source(storage::Transaction& tx, const std::string& identifier,
                                               const std::string& content, const std::string& namespace_,
                                               const std::string& scope, const Caller& caller);
// With the dynamic actions built from it (Mistral's ON DELETE CASCADE).
Result<void> delete_code_source(storage::Transaction& tx, const std::string& identifier,
                                const std::string& namespace_, const Caller& caller);

}  // namespace bora::services
