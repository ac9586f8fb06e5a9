// plugins/openstack/call: one action run: the row's request built from the
// input, sent as the execution's user, and the answer shaped as the python
// client's method returns it.
#pragma once

#include <string>

#include "json_util.h"
#include "operations.h"
#include "session.h"

namespace bora_openstack {

struct Answer {
  int status;        // BORA_RESULT_OK, _ERROR or _RAISED
  std::string json;  // the result, the error, or the exception's message (a JSON string)
};

Answer run_operation(const Operation& op, const Json& input, Session& session);

// openstack.request: any call of any service in the catalog.
extern const char* const kRequestSignature;
Answer run_request(const Json& input, Session& session);

}  // namespace bora_openstack
