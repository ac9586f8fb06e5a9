// core/metrics: the process's Prometheus metrics. A registry of families
// (counters, gauges, histograms with fixed buckets), each declaring its
// label names up front; callback gauges read at scrape time; and the text
// exposition format 0.0.4 that GET /metrics serves (docs/OPERATIONS.md,
// "Metrics", lists every metric Bora exposes).
//
// Cheap on the hot path: a series is found once per call under a shared
// lock (no allocation once it exists) and updated with atomics; code that
// counts something very often keeps the series reference.
//
// Label values are bounded: names the code chooses (states, route
// templates) are bounded by the code, names users choose (workflows,
// actions) by set_max_label_values() per label of a family; a value beyond
// it is counted under "__other__", so a project creating workflows without
// end cannot grow the process's memory. Never an id as a label value.
//
// Increments made inside a storage transaction must count only if it
// commits: a Deferred on the thread holds them until commit() (the engine
// wraps each batch's transaction in one), and drops them otherwise.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace bora::metrics {

// The value a label takes when its family already holds the most distinct
// values allowed for it.
inline constexpr std::string_view kOtherLabelValue = "__other__";

// Label values, in the order the family declared its label names.
using LabelValues = std::initializer_list<std::string_view>;

class Counter {
 public:
  // v >= 0 (a counter only goes up).
  void inc(double v = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }
  void apply(double v) { value_.fetch_add(v, std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // bounds: the buckets' upper bounds, increasing (+Inf is implied); they
  // belong to the family and outlive the series.
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double v);
  void apply(double v);
  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bound, then +Inf
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Latency buckets in seconds, 1 ms to 60 s.
const std::vector<double>& default_seconds_buckets();

enum class Type { Counter, Gauge, Histogram };

// One metric name with its series, one per combination of label values.
class Family {
 public:
  Family(const class Registry& owner, std::string name, std::string help, Type type,
         std::vector<std::string> label_names, std::vector<double> bounds);
  ~Family();
  const std::string& name() const { return name_; }
  Type type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // The series for these label values (as many as the family has names),
  // created on first use. The reference stays valid for the process.
  Counter& counter(LabelValues values = {});
  Gauge& gauge(LabelValues values = {});
  Histogram& histogram(LabelValues values = {});

  void expose(std::string& out) const;

 private:
  struct Series;
  Series& series(LabelValues values);

  const class Registry& owner_;  // its max_label_values()
  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::shared_mutex mutex_;
  // Key: the label values joined by '\x1f' (which no label value is given
  // here: the values come from names, states and templates).
  std::map<std::string, std::unique_ptr<Series>, std::less<>> series_;
  std::vector<std::set<std::string, std::less<>>> distinct_;  // per label
};

// Removes its callback gauge when destroyed (the owner of what the
// callback reads goes first).
class CallbackHandle {
 public:
  CallbackHandle() = default;
  CallbackHandle(class Registry* registry, uint64_t id) : registry_(registry), id_(id) {}
  CallbackHandle(CallbackHandle&& o) noexcept : registry_(o.registry_), id_(o.id_) { o.registry_ = nullptr; }
  CallbackHandle& operator=(CallbackHandle&& o) noexcept;
  ~CallbackHandle();

 private:
  class Registry* registry_ = nullptr;
  uint64_t id_ = 0;
};

class Registry {
 public:
  // The process's registry, which GET /metrics exposes.
  static Registry& global();

  // The family of this name, created on first call; a later call with
  // the same name returns it (the type and labels must agree: a mismatch
  // is a programming error and throws std::logic_error).
  Family& counter(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  Family& gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  Family& histogram(const std::string& name, const std::string& help, std::vector<std::string> label_names = {},
                    const std::vector<double>& bounds = default_seconds_buckets());

  // A gauge (or counter, for process_cpu_seconds_total) whose value is read
  // when scraped; nullopt leaves it out of that scrape. When several live
  // callbacks share a name (two engines in one test process), the latest
  // registered is exposed. Callbacks run on the scraping thread (a reader
  // of the database is fine; the engine's loop is never involved).
  [[nodiscard]] CallbackHandle callback(const std::string& name, const std::string& help, Type type,
                                        std::function<std::optional<double>()> read);

  // The text exposition format 0.0.4, families in name order.
  std::string expose() const;

  // The most distinct values one label of one family may take
  // ([metrics] max_label_values); applies to values not seen yet.
  void set_max_label_values(size_t n) { max_label_values_.store(n); }
  size_t max_label_values() const { return max_label_values_.load(); }

 private:
  friend class CallbackHandle;
  Family& family(const std::string& name, const std::string& help, Type type, std::vector<std::string> label_names,
                 std::vector<double> bounds);
  void remove_callback(uint64_t id);

  struct Callback {
    uint64_t id;
    std::string name;
    std::string help;
    Type type;
    std::function<std::optional<double>()> read;
  };
  mutable std::mutex mutex_;  // families_
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
  mutable std::shared_mutex callbacks_mutex_;  // callbacks_ (shared while a scrape runs them)
  std::vector<Callback> callbacks_;
  uint64_t next_callback_id_ = 1;
  std::atomic<size_t> max_label_values_{1000};
};

// Holds the counter increments and histogram observations made on this
// thread while it lives, and applies them on commit(); destroyed without
// commit() (the transaction rolled back), it drops them. Nests: an inner
// one's commit() hands its increments to the outer one. After commit()
// the thread counts at once again.
class Deferred {
 public:
  Deferred();
  ~Deferred();
  Deferred(const Deferred&) = delete;
  Deferred& operator=(const Deferred&) = delete;
  void commit();

  // For Counter and Histogram: true when v was held here.
  static bool hold(Counter* c, double v);
  static bool hold(Histogram* h, double v);

 private:
  struct Held {
    void* series;
    double v;
    bool histogram;
  };
  std::vector<Held> held_;
  Deferred* outer_;
};

// The process's own metrics in the global registry, read from /proc at
// scrape time with their standard names (process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_threads,
// process_start_time_seconds), and bora_build_info{version=...} 1. Once per
// process; later calls do nothing.
void register_process_metrics();

// Seconds since `start` on the steady clock, for histograms of durations.
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace bora::metrics
