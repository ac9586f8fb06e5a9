#include "bora/core/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bora::metrics {

namespace {

thread_local Deferred* current_deferred = nullptr;

constexpr char kKeySeparator = '\x1f';

// Go's ParseFloat reads what fmt writes (shortest round trip), except the
// infinities and NaN, which the format spells its own way.
void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", v);
  }
}

// HELP text escapes backslash and newline; label values also the quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
}

const char* type_name(Type t) {
  switch (t) {
    case Type::Counter: return "counter";
    case Type::Gauge: return "gauge";
    case Type::Histogram: return "histogram";
  }
  return "untyped";
}

void append_header(std::string& out, const std::string& name, const std::string& help, Type type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type_name(type);
  out += '\n';
}

// {a="x",b="y"} (with `extra` appended, for le=), or nothing without labels.
void append_labels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    append_escaped(out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void Counter::inc(double v) {
  if (!Deferred::hold(this, v)) apply(v);
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double v) {
  if (!Deferred::hold(this, v)) apply(v);
}

void Histogram::apply(double v) {
  size_t i = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  // The count is the +Inf bucket's, so that a scrape racing an observation
  // still reads a consistent histogram.
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

const std::vector<double>& default_seconds_buckets() {
  static const std::vector<double> buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                           0.25,  0.5,    1,     2.5,  5,     10,   30, 60};
  return buckets;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// -- Family -------------------------------------------------------------

struct Family::Series {
  std::vector<std::string> values;
  Counter counter;
  Gauge gauge;
  std::optional<Histogram> histogram;
};

Family::Family(const Registry& owner, std::string name, std::string help, Type type,
               std::vector<std::string> label_names, std::vector<double> bounds)
    : owner_(owner),
      name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)),
      distinct_(label_names_.size()) {}

Family::~Family() = default;

Family::Series& Family::series(LabelValues values) {
  if (values.size() != label_names_.size()) {
    throw std::logic_error(fmt::format("metric {} has {} labels, given {} values", name_, label_names_.size(),
                                       values.size()));
  }
  // The key is built in a buffer the thread keeps: no allocation per call
  // once it has grown.
  thread_local std::string key;
  key.clear();
  for (auto v : values) {
    key.append(v);
    key += kKeySeparator;
  }
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(key); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  if (auto it = series_.find(key); it != series_.end()) return *it->second;
  // A new combination: each value not seen yet counts against its label's
  // bound, past which it becomes __other__.
  size_t cap = owner_.max_label_values();
  std::vector<std::string> kept;
  kept.reserve(values.size());
  size_t i = 0;
  for (auto v : values) {
    auto& seen = distinct_[i++];
    if (seen.find(v) != seen.end()) {
      kept.emplace_back(v);
    } else if (seen.size() < cap) {
      seen.emplace(v);
      kept.emplace_back(v);
    } else {
      kept.emplace_back(kOtherLabelValue);
    }
  }
  std::string bounded_key;
  for (const auto& v : kept) {
    bounded_key += v;
    bounded_key += kKeySeparator;
  }
  auto it = series_.find(bounded_key);
  if (it == series_.end()) {
    auto s = std::make_unique<Series>();
    s->values = std::move(kept);
    if (type_ == Type::Histogram) s->histogram.emplace(bounds_);
    it = series_.emplace(std::move(bounded_key), std::move(s)).first;
  }
  return *it->second;
}

Counter& Family::counter(LabelValues values) { return series(values).counter; }
Gauge& Family::gauge(LabelValues values) { return series(values).gauge; }
Histogram& Family::histogram(LabelValues values) {
  if (type_ != Type::Histogram) throw std::logic_error("metric " + name_ + " is not a histogram");
  return *series(values).histogram;
}

void Family::expose(std::string& out) const {
  append_header(out, name_, help_, type_);
  std::shared_lock lock(mutex_);
  for (const auto& [key, s] : series_) {
    if (type_ == Type::Histogram) {
      auto snap = s->histogram->snapshot();
      for (size_t i = 0; i <= bounds_.size(); ++i) {
        std::string le;
        if (i < bounds_.size()) append_number(le, bounds_[i]);
        else le = "+Inf";
        out += name_;
        out += "_bucket";
        append_labels(out, label_names_, s->values, "le", le);
        out += ' ';
        out += std::to_string(snap.cumulative[i]);
        out += '\n';
      }
      out += name_;
      out += "_sum";
      append_labels(out, label_names_, s->values);
      out += ' ';
      append_number(out, snap.sum);
      out += '\n';
      out += name_;
      out += "_count";
      append_labels(out, label_names_, s->values);
      out += ' ';
      out += std::to_string(snap.count);
      out += '\n';
      continue;
    }
    out += name_;
    append_labels(out, label_names_, s->values);
    out += ' ';
    append_number(out, type_ == Type::Counter ? s->counter.value() : s->gauge.value());
    out += '\n';
  }
}

// -- Registry -----------------------------------------------------------

Registry& Registry::global() {
  static Registry* registry = new Registry();  // never destroyed: threads may count during exit
  return *registry;
}

Family& Registry::family(const std::string& name, const std::string& help, Type type,
                         std::vector<std::string> label_names, std::vector<double> bounds) {
  if (!valid_name(name)) throw std::logic_error("invalid metric name: " + name);
  for (const auto& l : label_names)
    if (!valid_name(l) || l == "le" || l.rfind("__", 0) == 0) throw std::logic_error("invalid label name: " + l);
  if (!std::is_sorted(bounds.begin(), bounds.end()) ||
      std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end())
    throw std::logic_error("histogram buckets of " + name + " must increase");
  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) {
    // Declared twice (two call sites, or a test): the same family, if the
    // declarations agree (the first declaration's help and buckets stay).
    if (it->second->type() != type || it->second->label_names() != label_names)
      throw std::logic_error("metric " + name + " declared twice with different types or labels");
    return *it->second;
  }
  auto f = std::make_unique<Family>(*this, name, help, type, std::move(label_names), std::move(bounds));
  return *families_.emplace(name, std::move(f)).first->second;
}

Family& Registry::counter(const std::string& name, const std::string& help, std::vector<std::string> label_names) {
  return family(name, help, Type::Counter, std::move(label_names), {});
}

Family& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names) {
  return family(name, help, Type::Gauge, std::move(label_names), {});
}

Family& Registry::histogram(const std::string& name, const std::string& help, std::vector<std::string> label_names,
                            const std::vector<double>& bounds) {
  return family(name, help, Type::Histogram, std::move(label_names), bounds);
}

CallbackHandle Registry::callback(const std::string& name, const std::string& help, Type type,
                                  std::function<std::optional<double>()> read) {
  if (!valid_name(name) || type == Type::Histogram) throw std::logic_error("invalid callback metric: " + name);
  std::unique_lock lock(callbacks_mutex_);
  uint64_t id = next_callback_id_++;
  callbacks_.push_back({id, name, help, type, std::move(read)});
  return CallbackHandle(this, id);
}

void Registry::remove_callback(uint64_t id) {
  std::unique_lock lock(callbacks_mutex_);
  std::erase_if(callbacks_, [&](const Callback& c) { return c.id == id; });
}

std::string Registry::expose() const {
  std::vector<const Family*> families;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, f] : families_) families.push_back(f.get());
  }
  // Callbacks run under the shared lock, so that what they read (an engine,
  // the database) cannot go while a scrape reads it: its handle's removal
  // waits for the scrape.
  std::shared_lock callbacks_lock(callbacks_mutex_);
  // The latest registration of each name (callbacks_ is in registration order).
  std::map<std::string, const Callback*, std::less<>> latest;
  for (const auto& c : callbacks_) latest[c.name] = &c;

  std::string out;
  out.reserve(16 * 1024);
  auto f = families.begin();
  auto c = latest.begin();
  // Families and callbacks merged in name order.
  while (f != families.end() || c != latest.end()) {
    if (c == latest.end() || (f != families.end() && (*f)->name() < c->first)) {
      (*f++)->expose(out);
      continue;
    }
    const Callback& cb = *c->second;
    ++c;
    std::optional<double> v;
    try {
      v = cb.read();
    } catch (...) {
      v.reset();  // a source that failed is left out of this scrape
    }
    if (!v) continue;
    append_header(out, cb.name, cb.help, cb.type);
    out += cb.name;
    out += ' ';
    append_number(out, *v);
    out += '\n';
  }
  return out;
}

CallbackHandle& CallbackHandle::operator=(CallbackHandle&& o) noexcept {
  if (this != &o) {
    if (registry_) registry_->remove_callback(id_);
    registry_ = o.registry_;
    id_ = o.id_;
    o.registry_ = nullptr;
  }
  return *this;
}

CallbackHandle::~CallbackHandle() {
  if (registry_) registry_->remove_callback(id_);
}

// -- Deferred -----------------------------------------------------------

Deferred::Deferred() : outer_(current_deferred) { current_deferred = this; }

Deferred::~Deferred() { current_deferred = outer_; }

void Deferred::commit() {
  current_deferred = outer_;
  for (const Held& h : held_) {
    if (h.histogram) static_cast<Histogram*>(h.series)->observe(h.v);  // the outer one holds it, if any
    else static_cast<Counter*>(h.series)->inc(h.v);
  }
  held_.clear();
  // What follows the commit on this thread counts at once (or in the outer one).
}

bool Deferred::hold(Counter* c, double v) {
  Deferred* d = current_deferred;
  if (!d) return false;
  // A run of increments of one series (a with-items task's items) is one entry.
  if (!d->held_.empty() && d->held_.back().series == c && !d->held_.back().histogram) {
    d->held_.back().v += v;
  } else {
    d->held_.push_back({c, v, false});
  }
  return true;
}

bool Deferred::hold(Histogram* h, double v) {
  Deferred* d = current_deferred;
  if (!d) return false;
  d->held_.push_back({h, v, true});
  return true;
}

}  // namespace bora::metrics
