// The parts of linear models that need no solver: the design matrix, scoring and the JSON form.
#include "ml/linear_model.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace kiln::ml {
namespace {

template <typename T>
Status CopyColumn(const Column& column, const std::vector<T>& values, size_t c, DenseMatrix& m) {
  for (size_t r = 0; r < m.rows; ++r) {
    if (!column.IsValid(r)) {
      return InvalidArgument("column '" + column.name() + "' is missing a value at row " +
                             std::to_string(r) +
                             ": linear models take no missing values (impute them first)");
    }
    m.values[r * m.cols + c] = static_cast<double>(values[r]);
  }
  return Status::Ok();
}

const char* LinkName(LinearLink link) {
  switch (link) {
    case LinearLink::kIdentity:
      return "identity";
    case LinearLink::kLogistic:
      return "logistic";
    case LinearLink::kSoftmax:
      return "softmax";
  }
  return "identity";
}

}  // namespace

Result<DenseMatrix> DesignMatrix(const Table& table, const std::vector<std::string>& features) {
  DenseMatrix m{table.num_rows(), features.size(), {}};
  m.values.resize(m.rows * m.cols);
  for (size_t c = 0; c < features.size(); ++c) {
    KILN_ASSIGN_OR_RETURN(const Column* column, table.Find(features[c]));
    switch (column->type()) {
      case ColumnType::kFloat64:
        KILN_RETURN_IF_ERROR(CopyColumn(*column, column->doubles(), c, m));
        break;
      case ColumnType::kInt64:
        KILN_RETURN_IF_ERROR(CopyColumn(*column, column->ints(), c, m));
        break;
      case ColumnType::kBool:
        KILN_RETURN_IF_ERROR(CopyColumn(*column, column->bools(), c, m));
        break;
      case ColumnType::kString:
        return InvalidArgument("column '" + column->name() +
                               "' holds strings: encode it first (preprocess one_hot or label)");
    }
  }
  return m;
}

std::vector<double> LinearScores(const LinearModel& model, const DenseMatrix& x) {
  const size_t k = model.outputs();
  const size_t width = model.link == LinearLink::kLogistic ? 2 : k;
  std::vector<double> out(x.rows * width);
  std::vector<double> z(k);
  for (size_t r = 0; r < x.rows; ++r) {
    const double* row = &x.values[r * x.cols];
    for (size_t o = 0; o < k; ++o) {
      double sum = model.intercept[o];
      for (size_t c = 0; c < x.cols; ++c) sum += model.coef[o][c] * row[c];
      z[o] = sum;
    }
    double* dst = &out[r * width];
    if (model.link == LinearLink::kIdentity) {
      dst[0] = z[0];
    } else if (model.link == LinearLink::kLogistic) {
      dst[1] = 1.0 / (1.0 + std::exp(-z[0]));
      dst[0] = 1.0 - dst[1];
    } else {
      const double top = *std::max_element(z.begin(), z.end());
      double total = 0;
      for (size_t o = 0; o < k; ++o) total += dst[o] = std::exp(z[o] - top);
      for (size_t o = 0; o < k; ++o) dst[o] /= total;
    }
  }
  return out;
}

nlohmann::json LinearModelToJson(const LinearModel& model) {
  return {{"link", LinkName(model.link)},   {"coef", model.coef},
          {"intercept", model.intercept},   {"l2", model.l2},
          {"iterations", model.iterations}, {"converged", model.converged}};
}

Result<LinearModel> LinearModelFromJson(const nlohmann::json& j) {
  auto bad = [](const std::string& field) {
    return InvalidArgument("linear model: field '" + field + "' is missing or malformed");
  };
  if (!j.is_object()) return bad("(root)");
  LinearModel m;
  const std::string link = j.value("link", "");
  if (link == "identity") {
    m.link = LinearLink::kIdentity;
  } else if (link == "logistic") {
    m.link = LinearLink::kLogistic;
  } else if (link == "softmax") {
    m.link = LinearLink::kSoftmax;
  } else {
    return bad("link");
  }
  try {
    m.coef = j.at("coef").get<std::vector<std::vector<double>>>();
    m.intercept = j.at("intercept").get<std::vector<double>>();
  } catch (const nlohmann::json::exception&) {
    return bad("coef");
  }
  const size_t outputs = m.link == LinearLink::kSoftmax ? m.coef.size() : 1;
  const size_t least = m.link == LinearLink::kSoftmax ? 2 : 1;
  if (m.coef.size() != outputs || m.intercept.size() != outputs || outputs < least) {
    return bad("intercept");
  }
  for (const auto& row : m.coef) {
    if (row.size() != m.coef[0].size()) return bad("coef");
  }
  m.l2 = j.value("l2", 0.0);
  m.iterations = j.value("iterations", 0);
  m.converged = j.value("converged", true);
  return m;
}

}  // namespace kiln::ml
