// identity/policy_defaults: Mistral's RBAC rules with their in-code
// defaults (mistral/policies/*.py), the rules a policy file overrides, and
// the sample file oslopolicy-sample-generator prints for them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bora::identity {

struct PolicyOperation {
  std::string method;  // "POST"
  std::string path;    // "/v2/workflows"
};

struct PolicyDefault {
  std::string name;         // "workflows:create"
  std::string check;        // "rule:admin_or_owner"
  std::string description;  // "Create a new workflow." ("" for the base rules)
  std::vector<PolicyOperation> operations;
};

// Every rule Mistral registers, in its order.
const std::vector<PolicyDefault>& mistral_policy_defaults();
// The default named `name`, or null for a name Mistral does not register.
const PolicyDefault* find_policy_default(std::string_view name);

// The commented YAML sample of every default, as
// `oslopolicy-sample-generator --namespace mistral` prints it
// (`bora policy-generate`).
std::string policy_sample_yaml();

}  // namespace bora::identity
