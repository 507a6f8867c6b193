// ServingMetrics: request counts, latency histograms, rows and predicted classes per
// deployment and model version, rendered for Prometheus (/metrics). Built for the hot path:
// every prediction request from every HTTP I/O thread updates it without a shared lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "serving/serving_metrics_text.h"

namespace kiln::serving {

// Upper bounds (seconds) of the latency histogram's buckets; a last one, +Inf, follows.
inline constexpr std::array<double, 16> kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

// The version of a request that failed before a model version was chosen (e.g. a malformed
// body or an unknown deployment); rendered as version="" (Prometheus: no version). Negative
// versions are taken as kNoVersion.
inline constexpr int64_t kNoVersion = 0;

// Distinct class labels counted per series; further labels are counted as class="".
inline constexpr size_t kMaxClassLabels = 256;

// How many rows of a request were predicted as `label` (a view: only read during Observe).
struct ClassCount {
  std::string_view label;
  int64_t count = 0;
};

// The counters of one (deployment, version). Owned by ServingMetrics; stays valid (at the same
// address) for its lifetime. Thread-safe; Observe is lock-free (relaxed atomics, striped per
// thread) except the first time a series sees a status code beyond 16 per stripe or a new
// class label, which take a short per-series lock.
class ServingSeries {
 public:
  ServingSeries(std::string deployment, int64_t version);
  ~ServingSeries();
  ServingSeries(const ServingSeries&) = delete;
  ServingSeries& operator=(const ServingSeries&) = delete;

  const std::string& deployment() const { return deployment_; }
  int64_t version() const { return version_; }

  // Counts one request answered with HTTP `code` after `latency_seconds` (negative or NaN
  // counts as 0), `rows` rows predicted and, for classifiers, the rows per predicted class
  // (empty for regressors and failed requests).
  void Observe(int code, double latency_seconds, int64_t rows,
               std::span<const ClassCount> predictions = {});

  // Counts what a request sent that the model could not take as it was: `ignored_fields` fields
  // that are not model inputs (each name once per request) and `unseen_values` categories not
  // seen in training. Called only when one is non-zero (two relaxed atomic adds).
  void CountInputIssues(int64_t ignored_fields, int64_t unseen_values);

  // A consistent-enough copy of the counters: each is read once, so the histogram's buckets
  // and count always agree; other counters may lag by in-flight requests.
  struct Snapshot {
    std::map<int, int64_t> requests_by_code;
    std::array<int64_t, kLatencyBuckets.size() + 1> buckets{};  // per bucket, not cumulative
    double latency_sum_seconds = 0;
    int64_t rows = 0;
    std::map<std::string, int64_t> predictions_by_class;
    int64_t ignored_fields = 0;
    int64_t unseen_values = 0;
  };
  Snapshot Read() const;

 private:
  struct Stripe;

  void CountCode(Stripe& stripe, int code);
  // The slot index of `label` (registering it), trying `hint` first; kMaxClassLabels when full.
  size_t ClassIndex(std::string_view label, size_t hint);

  const std::string deployment_;
  const int64_t version_;
  std::unique_ptr<Stripe[]> stripes_;
  // kMaxClassLabels labels; [0, num_classes_) are published and never change.
  std::unique_ptr<std::string[]> class_labels_;
  std::atomic<size_t> num_classes_{0};
  mutable Mutex mu_;  // also serializes registering class labels
  std::map<int, int64_t> overflow_codes_ GUARDED_BY(mu_);  // codes beyond a stripe's slots
  std::atomic<int64_t> ignored_fields_{0};                 // rare: not striped
  std::atomic<int64_t> unseen_values_{0};
};

// All series of a server, by deployment and version. Thread-safe.
class ServingMetrics {
 public:
  ServingMetrics();
  ~ServingMetrics();
  ServingMetrics(const ServingMetrics&) = delete;
  ServingMetrics& operator=(const ServingMetrics&) = delete;

  // The series of (deployment, version), created on first use; callers on the hot path may
  // keep the reference (e.g. with the loaded model version) and call its Observe directly.
  // Series are never removed. `deployment` should name a known deployment: every distinct
  // name becomes a Prometheus series. Takes a shared lock (exclusive on creation).
  ServingSeries& Series(std::string_view deployment, int64_t version);

  // Series(deployment, version).Observe(...). A small per-thread cache of recent series makes
  // repeated calls lock-free.
  void Observe(std::string_view deployment, int64_t version, int code, double latency_seconds,
               int64_t rows, std::span<const ClassCount> predictions = {});

  // All series in Prometheus text format 0.0.4, sorted by deployment and version:
  // kiln_serving_requests_total{deployment,version,code}, kiln_serving_errors_total
  // {deployment,version} (codes >= 400), kiln_serving_request_duration_seconds (histogram),
  // kiln_serving_rows_total and kiln_serving_predictions_total{deployment,version,class},
  // kiln_serving_ignored_fields_total and kiln_serving_unseen_categories_total
  // {deployment,version}; then the `extra` families as given. Thread-safe; never fails.
  std::string RenderPrometheus(const std::vector<MetricFamily>& extra = {}) const;

 private:
  // Orders (deployment, version) keys; finds std::string keys by std::string_view.
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      const std::string_view da = a.first, db = b.first;
      return da != db ? da < db : a.second < b.second;
    }
  };
  using Key = std::pair<std::string, int64_t>;

  const uint64_t id_;  // distinguishes instances in the per-thread cache
  mutable SharedMutex mu_;
  std::map<Key, std::unique_ptr<ServingSeries>, KeyLess> series_ GUARDED_BY(mu_);
};

}  // namespace kiln::serving
