// api/authorize: Mistral's acl.enforce(rule, context) at the top of every
// API operation: the caller's credentials (api::Request: project, user,
// roles) against the policy rule named as Mistral names it
// ("workflows:create"), with Mistral's target (the caller's own project and
// user). A denial throws BoraError(Forbidden): 403 with Mistral's text.
#pragma once

#include <string_view>

#include "bora/api/context.h"
#include "bora/api/http.h"
#include "bora/identity/policy.h"

namespace bora::api {

identity::PolicyCredentials policy_credentials(const Request& request);

void authorize(const ApiContext& ctx, const Request& request, std::string_view rule);

// "<resource>:publicize" when a definition is stored with scope 'public'
// (resource: "workflows", "environments", ...), as Mistral's controllers do
// after the create/update check.
void authorize_publicize(const ApiContext& ctx, const Request& request, std::string_view resource,
                         std::string_view scope);

}  // namespace bora::api
