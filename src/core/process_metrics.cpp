// core/process_metrics: the process_* metrics every Prometheus client
// library exposes, from Linux's /proc, so dashboards made for them work.
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bora/core/metrics.h"
#include "bora/core/version.h"

namespace bora::metrics {

namespace {

// The fields of /proc/self/stat after the command name (which may hold
// spaces and parentheses, so the split starts after its last ')'):
// fields[0] is the state, the 3rd field of proc(5).
std::vector<std::string> stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> fields;
  auto close = text.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(text.substr(close + 1));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

// Field n of proc(5)'s numbering (n >= 3).
std::optional<double> stat_field(size_t n) {
  auto fields = stat_fields();
  if (fields.size() <= n - 3) return std::nullopt;
  try {
    return std::stod(fields[n - 3]);
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<double> boot_time_seconds() {
  std::ifstream in("/proc/stat");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("btime ", 0) == 0) return std::stod(line.substr(6));
  return std::nullopt;
}

std::optional<double> open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double n = 0;
  while (dirent* e = readdir(dir))
    if (e->d_name[0] != '.') ++n;
  closedir(dir);
  return n - 1;  // the descriptor of the listing itself
}

}  // namespace

void register_process_metrics() {
  static bool done = [] {
    auto& r = Registry::global();
    static std::vector<CallbackHandle> handles;  // for the process's life
    double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    handles.push_back(r.callback("process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                                 Type::Counter, [ticks]() -> std::optional<double> {
                                   auto user = stat_field(14), system = stat_field(15);
                                   if (!user || !system) return std::nullopt;
                                   return (*user + *system) / ticks;
                                 }));
    handles.push_back(r.callback("process_resident_memory_bytes", "Resident memory size, in bytes.", Type::Gauge,
                                 [page]() -> std::optional<double> {
                                   auto pages = stat_field(24);
                                   if (!pages) return std::nullopt;
                                   return *pages * page;
                                 }));
    handles.push_back(r.callback("process_virtual_memory_bytes", "Virtual memory size, in bytes.", Type::Gauge,
                                 [] { return stat_field(23); }));
    handles.push_back(r.callback("process_threads", "Threads of the process.", Type::Gauge,
                                 [] { return stat_field(20); }));
    handles.push_back(r.callback("process_start_time_seconds",
                                 "Start time of the process since the Unix epoch, in seconds.", Type::Gauge,
                                 [ticks]() -> std::optional<double> {
                                   auto start = stat_field(22);
                                   auto boot = boot_time_seconds();
                                   if (!start || !boot) return std::nullopt;
                                   return *boot + *start / ticks;
                                 }));
    handles.push_back(r.callback("process_open_fds", "Open file descriptors.", Type::Gauge, open_fds));
    handles.push_back(r.callback("process_max_fds", "The most file descriptors the process may open.", Type::Gauge,
                                 []() -> std::optional<double> {
                                   rlimit limit{};
                                   if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
                                   return static_cast<double>(limit.rlim_cur);
                                 }));
    r.gauge("bora_build_info", "The version of this Bora; the value is always 1.", {"version"})
        .gauge({kVersion})
        .set(1);
    return true;
  }();
  (void)done;
}

}  // namespace bora::metrics
