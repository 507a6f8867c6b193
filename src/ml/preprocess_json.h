// A fitted preprocess chain as JSON, for storing it with a model and re-applying it at serving:
//   {"format": "kiln-preprocess-v1",
//    "impute": [{"column", "strategy": "mean|median|most_frequent", "type", "value"}],
//    "cross_product": [{"left", "right"}], "cross_concat": [{"left", "right"}],
//    "label_encode": [{"column", "type", "categories": [text, ...]}], "one_hot": [same],
//    "standardize": [{"column", "mean", "std"}], "minmax": [{"column", "min", "max"}],
//    "inputs": [{"column", "type"}]}   (the training table's columns; optional when read)
// "type" is a ColumnTypeName; categories are CellText in code order. Doubles are written in
// shortest round-trip form, so a chain read back applies bit-identically.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "ml/preprocess.h"

namespace kiln::ml {

inline constexpr const char* kPreprocessFormat = "kiln-preprocess-v1";

// `fitted` as JSON. Never fails (FitPreprocess keeps every double finite).
nlohmann::json PreprocessToJson(const FittedPreprocess& fitted);

// The chain in `json`. Errors: kInvalidArgument "preprocess JSON: <field> ..." naming the
// missing or mistyped field (e.g. "standardize[0].mean is not a number") or a wrong format.
Result<FittedPreprocess> PreprocessFromJson(const nlohmann::json& json);

// The chain stored in the file `path`; the whole parsed file goes to `document` when given (for
// keys beyond the chain, e.g. "profile"). Errors: kInvalidArgument naming the file (unreadable,
// not JSON, or a bad field as PreprocessFromJson).
Result<FittedPreprocess> ReadPreprocessFile(const std::string& path,
                                            nlohmann::json* document = nullptr);

// PreprocessToJson(fitted) as indented text. Errors: kInvalidArgument when a column name or
// category is not valid UTF-8 (JSON cannot hold it).
Result<std::string> PreprocessJsonText(const FittedPreprocess& fitted);

}  // namespace kiln::ml
