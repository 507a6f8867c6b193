// ServingMetrics::RenderPrometheus (declared in serving/serving_metrics.h).
#include "serving/serving_metrics.h"

namespace kiln::serving {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

struct SeriesView {
  Labels labels;  // deployment, version
  ServingSeries::Snapshot snap;
};

Labels With(Labels labels, std::string name, std::string value) {
  labels.emplace_back(std::move(name), std::move(value));
  return labels;
}

void AppendSample(const std::string& name, const Labels& labels, double value, std::string& out) {
  out += name;
  AppendLabels(labels, out);
  out += ' ';
  out += FormatSampleValue(value);
  out += '\n';
}

void AppendHeader(const std::string& name, const char* type, const char* help, std::string& out) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void AppendHistogram(const std::vector<SeriesView>& views, std::string& out) {
  const std::string name = "kiln_serving_request_duration_seconds";
  AppendHeader(name, "histogram", "Time to answer a prediction request, in seconds.", out);
  for (const auto& v : views) {
    int64_t cumulative = 0;
    for (size_t b = 0; b < v.snap.buckets.size(); ++b) {
      cumulative += v.snap.buckets[b];
      const std::string le =
          b < kLatencyBuckets.size() ? FormatSampleValue(kLatencyBuckets[b]) : "+Inf";
      AppendSample(name + "_bucket", With(v.labels, "le", le), static_cast<double>(cumulative),
                   out);
    }
    AppendSample(name + "_sum", v.labels, v.snap.latency_sum_seconds, out);
    AppendSample(name + "_count", v.labels, static_cast<double>(cumulative), out);
  }
}

void AppendCounters(const std::vector<SeriesView>& views, std::string& out) {
  AppendHeader("kiln_serving_requests_total", "counter",
               "Prediction requests answered, by HTTP status code.", out);
  for (const auto& v : views) {
    for (const auto& [code, n] : v.snap.requests_by_code) {
      AppendSample("kiln_serving_requests_total", With(v.labels, "code", std::to_string(code)),
                   static_cast<double>(n), out);
    }
  }
  AppendHeader("kiln_serving_errors_total", "counter",
               "Prediction requests answered with a 4xx or 5xx status code.", out);
  for (const auto& v : views) {
    int64_t errors = 0;
    for (const auto& [code, n] : v.snap.requests_by_code) errors += code >= 400 ? n : 0;
    AppendSample("kiln_serving_errors_total", v.labels, static_cast<double>(errors), out);
  }
}

void AppendRowsAndClasses(const std::vector<SeriesView>& views, std::string& out) {
  AppendHeader("kiln_serving_rows_total", "counter", "Rows (instances) predicted.", out);
  for (const auto& v : views) {
    AppendSample("kiln_serving_rows_total", v.labels, static_cast<double>(v.snap.rows), out);
  }
  AppendHeader("kiln_serving_predictions_total", "counter",
               "Predicted rows per class label (classifiers only).", out);
  for (const auto& v : views) {
    for (const auto& [label, n] : v.snap.predictions_by_class) {
      AppendSample("kiln_serving_predictions_total", With(v.labels, "class", label),
                   static_cast<double>(n), out);
    }
  }
}

void AppendInputIssues(const std::vector<SeriesView>& views, std::string& out) {
  AppendHeader("kiln_serving_ignored_fields_total", "counter",
               "Request fields that are not model inputs, ignored (each name once per request).",
               out);
  for (const auto& v : views) {
    AppendSample("kiln_serving_ignored_fields_total", v.labels,
                 static_cast<double>(v.snap.ignored_fields), out);
  }
  AppendHeader("kiln_serving_unseen_categories_total", "counter",
               "Request values not seen in training by a one_hot or label_encode step, encoded "
               "as all zeros or missing.",
               out);
  for (const auto& v : views) {
    AppendSample("kiln_serving_unseen_categories_total", v.labels,
                 static_cast<double>(v.snap.unseen_values), out);
  }
}

}  // namespace

std::string ServingMetrics::RenderPrometheus(const std::vector<MetricFamily>& extra) const {
  std::vector<SeriesView> views;
  {
    ReaderMutexLock lock(mu_);
    for (const auto& [key, series] : series_) {
      const std::string version = key.second > 0 ? std::to_string(key.second) : "";
      views.push_back({{{"deployment", key.first}, {"version", version}}, series->Read()});
    }
  }
  std::string out;
  AppendCounters(views, out);
  AppendHistogram(views, out);
  AppendRowsAndClasses(views, out);
  AppendInputIssues(views, out);
  for (const auto& family : extra) AppendFamily(family, out);
  return out;
}

}  // namespace kiln::serving
