#include "tracing_setup.h"

#include <string>

#include "bora/core/log.h"
#include "bora/core/trace.h"
#include "bora/telemetry/otlp_exporter.h"

namespace bora::cli {

Result<std::shared_ptr<void>> start_tracing(const Config& config) {
  auto enabled = config.get_bool("tracing", "enabled", false);
  if (!enabled) return enabled.error();
  if (!*enabled) return std::shared_ptr<void>();
  telemetry::OtlpOptions o;
  o.endpoint = config.get_or("tracing", "otlp_endpoint", "");
  if (o.endpoint.rfind("http://", 0) != 0 && o.endpoint.rfind("https://", 0) != 0)
    return bad_input("[tracing] otlp_endpoint must be an http:// or https:// URL (the collector's OTLP/HTTP "
                     "receiver, e.g. http://127.0.0.1:4318), not '" + o.endpoint + "'");
  o.service_name = config.get_or("tracing", "service_name", "bora");
  if (o.service_name.empty()) return bad_input("[tracing] service_name must not be empty");
  std::string ratio_text = config.get_or("tracing", "sample_ratio", "1.0");
  double ratio = -1;
  try {
    size_t used = 0;
    ratio = std::stod(ratio_text, &used);
    if (used != ratio_text.size()) ratio = -1;
  } catch (const std::exception&) {
  }
  if (!(ratio >= 0 && ratio <= 1))
    return bad_input("[tracing] sample_ratio must be a number from 0 to 1, not '" + ratio_text + "'");
  struct Bound {
    const char* name;
    long fallback, low, high;
  };
  long values[3];
  int i = 0;
  for (const Bound& b : {Bound{"max_queue", 2048, 1, 1'000'000}, Bound{"batch_size", 512, 1, 100'000},
                         Bound{"export_timeout_ms", 10'000, 100, 600'000}}) {
    auto v = config.get_int("tracing", b.name, b.fallback);
    if (!v) return v.error();
    if (*v < b.low || *v > b.high)
      return bad_input(std::string("[tracing] ") + b.name + " must be between " + std::to_string(b.low) + " and " +
                       std::to_string(b.high) + ", not " + std::to_string(*v));
    values[i++] = *v;
  }
  o.max_queue = static_cast<size_t>(values[0]);
  o.batch_size = static_cast<size_t>(values[1]);
  o.export_timeout = std::chrono::milliseconds(values[2]);
  auto exporter = std::make_shared<telemetry::OtlpExporter>(o);
  trace::install(exporter, ratio);
  log::info("telemetry", "tracing on: spans go to {}/v1/traces (service {}, sample ratio {})", o.endpoint,
            o.service_name, ratio);
  // Dropped at exit: tracing off first (no new spans), then the exporter
  // sends what it holds.
  return std::shared_ptr<void>(nullptr, [exporter](void*) mutable {
    trace::install(nullptr);
    exporter.reset();
  });
}

}  // namespace bora::cli
