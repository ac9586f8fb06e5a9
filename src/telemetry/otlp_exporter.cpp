// telemetry/otlp_exporter: the queue and the thread that posts batches.
#include "bora/telemetry/otlp_exporter.h"

#include <curl/curl.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "bora/core/log.h"
#include "bora/core/version.h"

namespace bora::telemetry {

class OtlpExporter::Impl {
 public:
  explicit Impl(OtlpOptions options) : options_(std::move(options)) {
    url_ = options_.endpoint;
    while (!url_.empty() && url_.back() == '/') url_.pop_back();
    url_ += "/v1/traces";
    thread_ = std::thread([this] { run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  void push(trace::Span span) {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= options_.max_queue) {
        // Never wait for the collector: the work goes on, the span is lost
        // and counted (logged now and then below).
        ++stats_.dropped;
        return;
      }
      queue_.push_back(std::move(span));
      if (queue_.size() < options_.batch_size) return;
    }
    wake_.notify_one();
  }

  Stats stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  void run() {
    CURL* curl = curl_easy_init();
    uint64_t dropped_logged = 0;
    for (;;) {
      std::vector<trace::Span> batch;
      bool last = false;
      {
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, options_.flush_interval,
                       [&] { return stopping_ || queue_.size() >= options_.batch_size; });
        size_t n = std::min(queue_.size(), options_.batch_size);
        for (size_t i = 0; i < n; ++i) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        last = stopping_ && queue_.empty();
        if (stats_.dropped > dropped_logged) {
          log::warning("telemetry", "{} spans dropped so far: the export queue ([tracing] max_queue = {}) was full",
                       stats_.dropped, options_.max_queue);
          dropped_logged = stats_.dropped;
        }
      }
      if (!batch.empty()) send(curl, batch);
      if (last) break;
    }
    if (curl) curl_easy_cleanup(curl);
  }

  void send(CURL* curl, const std::vector<trace::Span>& batch) {
    bool ok = false;
    long status = 0;
    std::string why;
    if (curl) {
      std::string body = otlp_json(batch, options_.service_name, kVersion);
      curl_easy_reset(curl);
      curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
      curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.export_timeout.count()));
      curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
      CURLcode rc = curl_easy_perform(curl);
      curl_slist_free_all(headers);
      if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        ok = status >= 200 && status < 300;
        if (!ok) why = "HTTP " + std::to_string(status);
      } else {
        why = curl_easy_strerror(rc);
      }
    } else {
      why = "libcurl could not start";
    }
    std::lock_guard lock(mutex_);
    if (ok) {
      stats_.exported += batch.size();
      return;
    }
    // One line per failing streak, not one per batch.
    if (stats_.failed == failed_logged_) log::warning("telemetry", "exporting {} spans to {} failed: {}", batch.size(), url_, why);
    stats_.failed += batch.size();
    failed_logged_ = stats_.failed;
  }

  OtlpOptions options_;
  std::string url_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<trace::Span> queue_;
  bool stopping_ = false;
  Stats stats_;
  uint64_t failed_logged_ = 0;
  std::thread thread_;
};

OtlpExporter::OtlpExporter(OtlpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
OtlpExporter::~OtlpExporter() = default;
void OtlpExporter::export_span(trace::Span span) { impl_->push(std::move(span)); }
OtlpExporter::Stats OtlpExporter::stats() const { return impl_->stats(); }

}  // namespace bora::telemetry
