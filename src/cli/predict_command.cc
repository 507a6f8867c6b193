#include "cli/predict_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/client_flags.h"
#include "cli/exit_codes.h"
#include "cli/package_fetch.h"
#include "ml/csv_reader.h"
#include "ml/file_io.h"
#include "ml/predictor.h"
#include "ml/table_file.h"

namespace kiln::cli {
namespace fs = std::filesystem;
namespace {

using nlohmann::json;

struct PredictCommandFlags : ClientFlags {
  PredictFlags predict;
};

// JSON rows ([{"col": value, ...}, ...]) as CSV text, so both inputs share one reader.
Result<std::string> JsonRowsAsCsv(const std::string& text, const std::string& path) {
  json rows = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!rows.is_array() || rows.empty() || !rows[0].is_object()) {
    return InvalidArgument(path + ": expected a JSON list of row objects");
  }
  std::vector<std::string> columns;
  for (const auto& [key, value] : rows[0].items()) columns.push_back(key);
  auto cell = [](const json& v) -> std::string {
    if (v.is_null()) return "";
    std::string s = v.is_string() ? v.get<std::string>() : v.dump();
    return "\"" + std::regex_replace(s, std::regex("\""), "\"\"") + "\"";
  };
  std::string csv;
  for (size_t c = 0; c < columns.size(); ++c) csv += (c ? "," : "") + cell(columns[c]);
  csv += "\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r].is_object())
      return InvalidArgument(path + ": row " + std::to_string(r + 1) + " is not an object");
    for (size_t c = 0; c < columns.size(); ++c) {
      csv += (c ? "," : "") + cell(rows[r].value(columns[c], json(nullptr)));
    }
    csv += "\n";
  }
  return csv;
}

Result<ml::Table> ReadRows(const std::string& path) {
  Result<ml::FileBytes> bytes = ml::ReadFileBytes(path);
  if (!bytes.ok()) return InvalidArgument("cannot read input '" + path + "'");
  if (fs::path(path).extension() != ".json") return ml::ReadCsvString(bytes->view(), {}, path);
  KILN_ASSIGN_OR_RETURN(std::string csv, JsonRowsAsCsv(std::string(bytes->view()), path));
  return ml::ReadCsvString(csv, {}, path);
}

Status Predict(ApiCaller& api, const PredictFlags& flags) {
  KILN_ASSIGN_OR_RETURN(ml::Table rows, ReadRows(flags.input));
  KILN_ASSIGN_OR_RETURN(FetchedPackage fetched, FetchModelPackage(api, flags.model));
  KILN_ASSIGN_OR_RETURN(std::unique_ptr<ml::Predictor> predictor, ml::LoadPredictor(fetched.dir()));
  KILN_ASSIGN_OR_RETURN(ml::Predictions predictions, predictor->Predict(rows));
  ml::PrintUnseenCategories(predictions.unseen);
  const std::string csv = ml::FormatCsv(ml::PredictionsTable(predictor->package(), predictions));
  if (flags.output.empty()) {
    std::cout << csv;
    return Status::Ok();
  }
  return ml::WriteFileAtomically(flags.output, csv);
}

}  // namespace

int PredictRows(ApiCaller& api, const PredictFlags& flags) {
  Status status = Predict(api, flags);
  return status.ok() ? kExitOk : Fail(status, "kiln models predict");
}

void AddPredictCommand(CLI::App& models, int& rc) {
  auto flags = std::make_shared<PredictCommandFlags>();
  CLI::App* predict = models.add_subcommand("predict", "Score rows with a registered model");
  AddClientFlags(*predict, *flags);
  predict->add_option("MODEL", flags->predict.model, "NAME@ALIAS or NAME@VERSION")->required();
  predict->add_option("--input", flags->predict.input, "rows.csv (with a header) or rows.json")
      ->required();
  predict->add_option("-o,--output", flags->predict.output, "Write the CSV here, not to stdout");
  predict->callback([flags, &rc] {
    rc = WithApi(*flags, false, [&](ApiCaller& a) { return PredictRows(a, flags->predict); });
  });
}

}  // namespace kiln::cli
