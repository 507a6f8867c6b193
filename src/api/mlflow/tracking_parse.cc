#include "api/mlflow/tracking_parse.h"

namespace kiln::api::mlflow {

using tracking::Tag;

Result<std::vector<Tag>> ParseTags(const RequestArgs& args, const std::string& field) {
  KILN_ASSIGN_OR_RETURN(std::vector<RequestArgs> items, args.ObjectList(field));
  std::vector<Tag> tags;
  for (const RequestArgs& item : items) {
    Tag tag;
    KILN_ASSIGN_OR_RETURN(tag.key, item.RequiredString("key"));
    KILN_ASSIGN_OR_RETURN(tag.value, item.OptionalString("value"));
    tags.push_back(std::move(tag));
  }
  return tags;
}

Result<tracking::Metric> ParseMetric(const RequestArgs& args) {
  tracking::Metric metric;
  KILN_ASSIGN_OR_RETURN(metric.key, args.RequiredString("key"));
  KILN_ASSIGN_OR_RETURN(metric.value, args.RequiredDouble("value"));
  KILN_ASSIGN_OR_RETURN(metric.timestamp, args.RequiredInt("timestamp"));
  KILN_ASSIGN_OR_RETURN(std::optional<int64_t> step, args.OptionalInt("step"));
  metric.step = step.value_or(0);
  return metric;
}

Result<tracking::ViewType> ParseViewType(const RequestArgs& args, const std::string& field) {
  Result<std::string> text = args.OptionalString(field, "ACTIVE_ONLY");
  if (!text.ok()) return text.status();
  const std::string_view view = *text;
  if (view == "ACTIVE_ONLY" || view == "1") return tracking::ViewType::kActiveOnly;
  if (view == "DELETED_ONLY" || view == "2") return tracking::ViewType::kDeletedOnly;
  if (view == "ALL" || view == "3") return tracking::ViewType::kAll;
  return InvalidArgument("Invalid value '" + *text + "' for parameter '" + field +
                         "': expected ACTIVE_ONLY, DELETED_ONLY or ALL");
}

Result<tracking::Batch> ParseBatch(const RequestArgs& args) {
  tracking::Batch batch;
  KILN_ASSIGN_OR_RETURN(std::vector<RequestArgs> metrics, args.ObjectList("metrics"));
  for (const RequestArgs& item : metrics) {
    KILN_ASSIGN_OR_RETURN(tracking::Metric metric, ParseMetric(item));
    batch.metrics.push_back(std::move(metric));
  }
  KILN_ASSIGN_OR_RETURN(batch.params, ParseTags(args, "params"));
  KILN_ASSIGN_OR_RETURN(batch.tags, ParseTags(args, "tags"));
  return batch;
}

namespace {

Result<tracking::Dataset> ParseDataset(const RequestArgs& args) {
  tracking::Dataset d;
  KILN_ASSIGN_OR_RETURN(d.name, args.RequiredString("name"));
  KILN_ASSIGN_OR_RETURN(d.digest, args.RequiredString("digest"));
  KILN_ASSIGN_OR_RETURN(d.source_type, args.RequiredString("source_type"));
  KILN_ASSIGN_OR_RETURN(d.source, args.RequiredString("source"));
  KILN_ASSIGN_OR_RETURN(d.schema, args.OptionalString("schema"));
  KILN_ASSIGN_OR_RETURN(d.profile, args.OptionalString("profile"));
  return d;
}

}  // namespace

Result<std::vector<tracking::DatasetInput>> ParseDatasetInputs(const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::vector<RequestArgs> items, args.ObjectList("datasets"));
  std::vector<tracking::DatasetInput> inputs;
  for (const RequestArgs& item : items) {
    tracking::DatasetInput input;
    KILN_ASSIGN_OR_RETURN(RequestArgs dataset, item.RequiredObject("dataset"));
    KILN_ASSIGN_OR_RETURN(input.dataset, ParseDataset(dataset));
    KILN_ASSIGN_OR_RETURN(input.tags, ParseTags(item, "tags"));
    inputs.push_back(std::move(input));
  }
  return inputs;
}

}  // namespace kiln::api::mlflow
