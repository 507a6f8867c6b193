#include "serving/serving_metrics.h"

#include <cmath>
#include <limits>

namespace kiln::serving {
namespace {

// Stripes spread threads over separate cache lines; Read sums them.
constexpr size_t kStripes = 8;
// Status codes kept per stripe without a lock (a deployment sees a handful).
constexpr size_t kCodeSlots = 16;
constexpr int kEmptyCode = std::numeric_limits<int>::min();

size_t ThisThreadStripe() {
  static std::atomic<size_t> next{0};
  thread_local const size_t stripe = next.fetch_add(1, std::memory_order_relaxed) % kStripes;
  return stripe;
}

size_t BucketOf(double seconds) {
  size_t i = 0;
  while (i < kLatencyBuckets.size() && seconds > kLatencyBuckets[i]) ++i;
  return i;
}

}  // namespace

struct alignas(64) ServingSeries::Stripe {
  struct CodeSlot {
    std::atomic<int> code{kEmptyCode};
    std::atomic<int64_t> count{0};
  };
  std::array<CodeSlot, kCodeSlots> codes;
  std::array<std::atomic<int64_t>, kLatencyBuckets.size() + 1> buckets{};
  std::atomic<int64_t> sum_nanos{0};
  std::atomic<int64_t> rows{0};
  std::array<std::atomic<int64_t>, kMaxClassLabels + 1> classes{};  // last: overflow
};

ServingSeries::ServingSeries(std::string deployment, int64_t version)
    : deployment_(std::move(deployment)),
      version_(version),
      stripes_(std::make_unique<Stripe[]>(kStripes)),
      class_labels_(std::make_unique<std::string[]>(kMaxClassLabels)) {}

ServingSeries::~ServingSeries() = default;

void ServingSeries::Observe(int code, double latency_seconds, int64_t rows,
                            std::span<const ClassCount> predictions) {
  Stripe& s = stripes_[ThisThreadStripe()];
  if (!(latency_seconds > 0)) latency_seconds = 0;  // also NaN
  latency_seconds = std::min(latency_seconds, 1e9);
  CountCode(s, code);
  s.buckets[BucketOf(latency_seconds)].fetch_add(1, std::memory_order_relaxed);
  s.sum_nanos.fetch_add(std::llround(latency_seconds * 1e9), std::memory_order_relaxed);
  if (rows != 0) s.rows.fetch_add(rows, std::memory_order_relaxed);
  for (size_t i = 0; i < predictions.size(); ++i) {
    const size_t slot = ClassIndex(predictions[i].label, i);
    s.classes[slot].fetch_add(predictions[i].count, std::memory_order_relaxed);
  }
}

void ServingSeries::CountInputIssues(int64_t ignored_fields, int64_t unseen_values) {
  if (ignored_fields != 0) ignored_fields_.fetch_add(ignored_fields, std::memory_order_relaxed);
  if (unseen_values != 0) unseen_values_.fetch_add(unseen_values, std::memory_order_relaxed);
}

void ServingSeries::CountCode(Stripe& stripe, int code) {
  for (auto& slot : stripe.codes) {
    int seen = slot.code.load(std::memory_order_relaxed);
    if (seen == kEmptyCode) {
      slot.code.compare_exchange_strong(seen, code, std::memory_order_relaxed);
      seen = slot.code.load(std::memory_order_relaxed);
    }
    if (seen == code) {
      slot.count.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  MutexLock lock(mu_);
  ++overflow_codes_[code];
}

size_t ServingSeries::ClassIndex(std::string_view label, size_t hint) {
  size_t n = num_classes_.load(std::memory_order_acquire);
  // Callers usually pass a model's classes in the same order every time.
  if (hint < n && class_labels_[hint] == label) return hint;
  for (size_t i = 0; i < n; ++i) {
    if (class_labels_[i] == label) return i;
  }
  if (n == kMaxClassLabels) return kMaxClassLabels;
  MutexLock lock(mu_);
  n = num_classes_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) {
    if (class_labels_[i] == label) return i;
  }
  if (n == kMaxClassLabels) return kMaxClassLabels;
  class_labels_[n] = std::string(label);
  num_classes_.store(n + 1, std::memory_order_release);
  return n;
}

ServingSeries::Snapshot ServingSeries::Read() const {
  Snapshot snap;
  const size_t classes = num_classes_.load(std::memory_order_acquire);
  std::vector<int64_t> class_counts(kMaxClassLabels + 1, 0);
  int64_t sum_nanos = 0;
  for (size_t k = 0; k < kStripes; ++k) {
    const Stripe& s = stripes_[k];
    for (const auto& slot : s.codes) {
      const int code = slot.code.load(std::memory_order_relaxed);
      if (code != kEmptyCode) snap.requests_by_code[code] += slot.count.load();
    }
    for (size_t b = 0; b < s.buckets.size(); ++b) snap.buckets[b] += s.buckets[b].load();
    sum_nanos += s.sum_nanos.load(std::memory_order_relaxed);
    snap.rows += s.rows.load(std::memory_order_relaxed);
    for (size_t c = 0; c <= kMaxClassLabels; ++c) class_counts[c] += s.classes[c].load();
  }
  snap.latency_sum_seconds = static_cast<double>(sum_nanos) / 1e9;
  snap.ignored_fields = ignored_fields_.load(std::memory_order_relaxed);
  snap.unseen_values = unseen_values_.load(std::memory_order_relaxed);
  for (size_t c = 0; c < classes; ++c)
    snap.predictions_by_class[class_labels_[c]] += class_counts[c];
  if (class_counts[kMaxClassLabels] > 0) {
    snap.predictions_by_class[""] += class_counts[kMaxClassLabels];
  }
  MutexLock lock(mu_);
  for (const auto& [code, count] : overflow_codes_) snap.requests_by_code[code] += count;
  return snap;
}

}  // namespace kiln::serving
