// api/trigger_trust: the Keystone trust a trigger (cron or event) fires
// through when no user is present (mistral/services/triggers.py): created
// from the caller's token when the trigger is, deleted with it. Private to
// the api module.
#pragma once

#include <optional>
#include <string>

#include "bora/api/context.h"
#include "bora/api/http.h"

namespace bora::api {

// With Keystone on and a token: a trust from the caller to Bora's service
// user (its id); nullopt otherwise. A refusal throws (BoraError).
std::optional<std::string> create_trigger_trust(ApiContext& ctx, const Request& req);
// Deletes it; a trust that cannot be deleted is logged, as Mistral does.
void delete_trigger_trust(ApiContext& ctx, const Request& req, const std::string& trust_id);

}  // namespace bora::api
