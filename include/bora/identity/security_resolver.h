// identity/security_resolver: an action's security context made complete
// just before it runs, on the executor thread (engine::EngineOptions::
// complete_security). An execution started by a user already holds the
// full context (their token); one fired by a cron trigger holds only its
// trust, and gets a trust-scoped token here (cached until shortly before it
// expires), as Mistral's security.create_context does when the trigger
// fires; with auth off, the project (and no token). Every answer has all of
// mistral_lib's SecurityContext fields.
#pragma once

#include <functional>
#include <memory>

#include "bora/core/value.h"
#include "bora/identity/keystone_client.h"

namespace bora::identity {

// client: null with authentication off. fields: auth_uri, cafile, region.
std::function<Value(const Value&)> security_resolver(std::shared_ptr<KeystoneClient> client, SecurityFields fields);

}  // namespace bora::identity
