// services/caller: the Caller moved to the catalog (catalog/caller.h),
// which decides visibility. These names keep the services' spelling
// working while the other parts of issue 13 are merged; new code includes
// bora/catalog/caller.h.
#pragma once

#include "bora/catalog/caller.h"

namespace bora::services {

using catalog::Caller;
using catalog::check_modify_access;
using catalog::check_scope;

}  // namespace bora::services
