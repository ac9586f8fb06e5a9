// api/resources: each REST resource registers its routes on the router.
// One file per resource in src/api/resources/, named after Mistral's.
#pragma once

#include "bora/api/router.h"

namespace bora::api {

class ApiContext;  // api/context.h: what handlers share (storage, config)

// GET / and GET /v2: the version documents.
void register_root_resource(Router& router);

}  // namespace bora::api
