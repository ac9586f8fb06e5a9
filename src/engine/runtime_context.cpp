// engine/runtime_context: to and from the stored runtime_context values.
#include "runtime_context.h"

namespace bora::engine {

namespace {

int64_t int_or_zero(const Value& v) { return v.is_int() ? v.as_int() : 0; }

}  // namespace

WithItemsProgress WithItemsProgress::from_value(const Value& v) {
  WithItemsProgress p;
  if (!v.is_dict()) return p;
  p.count = int_or_zero(v["count"]);
  p.next = int_or_zero(v["next"]);
  p.concurrency = int_or_zero(v["concurrency"]);
  p.done = int_or_zero(v["done"]);
  p.failed = v["failed"].truthy();
  return p;
}

Value WithItemsProgress::to_value() const {
  return Value::dict({{"count", Value(count)},
                      {"next", Value(next)},
                      {"concurrency", Value(concurrency)},
                      {"done", Value(done)},
                      {"failed", Value(failed)}});
}

}  // namespace bora::engine
