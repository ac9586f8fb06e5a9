// Exact equality for comparing with Mistral's answers: 1 is not 1.0, true
// is not 1, dicts equal whatever their order.
#pragma once

#include "bora/core/value.h"

namespace bora::test {

inline bool same(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  if (a.is_list()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!same(a.as_list()[i], b.as_list()[i])) return false;
    return true;
  }
  if (a.is_dict()) {
    if (a.size() != b.size()) return false;
    for (const auto& [k, v] : a.as_dict()) {
      const Value* w = b.find(k);
      if (!w || !same(v, *w)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace bora::test
