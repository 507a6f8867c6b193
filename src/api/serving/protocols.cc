#include "api/serving/protocols.h"

#include <optional>
#include <utility>

#include "api/request_args.h"
#include "api/serving/formats.h"
#include "serving/prediction_text.h"
#include "serving/rows_fast.h"

namespace kiln::api::serving_api {
namespace {

using nlohmann::json;
using serving::AppendJsonLiteral;
using serving::PredictRows;
using serving::ScoredRequest;

constexpr int kMaxDepth = 32;
// A full batch (serving::kMaxBatchRows rows) of up to 200 features, in any protocol's layout:
// parsing a body costs ~50-100 bytes per value, so this bounds it to ~200 MB.
constexpr size_t kMaxValues = 200 * serving::kMaxBatchRows;

using Parser = Result<ml::Table> (*)(const json&, const serving::Signature&, serving::ExtraFields&);

// The body parsed to JSON, then read by `parse`.
Result<PredictRows> ReadDocument(Parser parse, const std::string& body,
                                 const ml::ModelPackage& package, serving::ExtraFields extra) {
  KILN_ASSIGN_OR_RETURN(json document, ParsePredictBody(body));
  KILN_ASSIGN_OR_RETURN(ml::Table rows, parse(document, package.signature, extra));
  return PredictRows{std::move(rows), std::move(document), std::move(extra)};
}

class Native final : public serving::PredictProtocol {
 public:
  // The DOM-free fast path first; whatever it declines (including every invalid body) goes
  // through the full parser, which gives the errors.
  Result<PredictRows> Read(const std::string& body, const ml::ModelPackage& package,
                           bool strict) const override {
    serving::ExtraFields extra{strict, {}};
    std::optional<ml::Table> rows =
        serving::FastTableFromNativeRows(body, package.signature, extra);
    if (rows) return PredictRows{std::move(*rows), json(), std::move(extra)};
    extra.ignored.clear();
    return ReadDocument(ParseNative, body, package, std::move(extra));
  }

  std::string Answer(const ScoredRequest& s) const override {
    std::string out = "{\"model\":{\"name\":";
    AppendJsonLiteral(out, s.model.name);
    out += ",\"version\":" + std::to_string(s.model.version) + "},\"predictions\":";
    out += s.objects;
    out += ",\"request_id\":";
    AppendJsonLiteral(out, s.request_id);
    if (!s.warnings.empty()) {
      out += ",\"warnings\":[";
      for (size_t i = 0; i < s.warnings.size(); ++i) {
        if (i > 0) out += ',';
        AppendJsonLiteral(out, s.warnings[i]);
      }
      out += ']';
    }
    out += '}';
    return out;
  }
};

class Mlflow final : public serving::PredictProtocol {
 public:
  Result<PredictRows> Read(const std::string& body, const ml::ModelPackage& package,
                           bool strict) const override {
    return ReadDocument(ParseMlflow, body, package, serving::ExtraFields{strict, {}});
  }

  std::string Answer(const ScoredRequest& s) const override {
    json answer = MlflowAnswer(s.model.package(), s.predictions);
    if (!s.warnings.empty()) answer["warnings"] = s.warnings;
    return answer.dump();
  }
};

class Kserve final : public serving::PredictProtocol {
 public:
  Result<PredictRows> Read(const std::string& body, const ml::ModelPackage& package,
                           bool strict) const override {
    return ReadDocument(ParseKserve, body, package, serving::ExtraFields{strict, {}});
  }

  std::string Answer(const ScoredRequest& s) const override {
    const json& body = s.request.document;
    json answer = {{"model_name", s.model.name},
                   {"model_version", std::to_string(s.model.version)},
                   {"id", s.request_id},
                   {"outputs", KserveOutputs(s.model.package(), s.predictions)}};
    if (body.contains("id") && body["id"].is_string()) {
      answer["id"] = body["id"];
      answer["parameters"] = {{"request_id", s.request_id}};
    }
    if (!s.warnings.empty()) answer["parameters"]["warnings"] = s.warnings;
    return answer.dump();
  }
};

}  // namespace

const serving::PredictProtocol& NativeProtocol() {
  static const Native protocol;
  return protocol;
}

const serving::PredictProtocol& MlflowProtocol() {
  static const Mlflow protocol;
  return protocol;
}

const serving::PredictProtocol& KserveProtocol() {
  static const Kserve protocol;
  return protocol;
}

Result<json> ParsePredictBody(const std::string& body) {
  const JsonShape shape = ScanJson(body);
  if (shape.depth > kMaxDepth) {
    return InvalidArgument("the body nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  if (shape.values > kMaxValues) {
    return InvalidArgument("the body holds more than " + std::to_string(kMaxValues) +
                           " JSON values; send at most " + std::to_string(serving::kMaxBatchRows) +
                           " rows per request");
  }
  json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return InvalidArgument("the body is not valid JSON");
  return document;
}

}  // namespace kiln::api::serving_api
