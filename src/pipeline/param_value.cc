#include "pipeline/param_value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <system_error>

#include "pipeline/yaml_reader.h"

namespace kiln::pipeline {
namespace {

constexpr const char* kTypeNames[] = {"int", "float", "bool", "string", "enum", "list"};

const char* Article(ParamType type) {
  return type == ParamType::kInt || type == ParamType::kEnum ? "an" : "a";
}

// The shortest text that reads back as the same double, so substituted values lose nothing.
std::string FormatNumber(double number) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), number);
  return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

// A spec for one list item: the list's item type with its range and values.
ParamSpec ItemSpec(const ParamSpec& spec) {
  ParamSpec item = spec;
  item.type = spec.item_type;
  return item;
}

Status CheckRange(const ParamSpec& spec, double number, const std::string& shown) {
  if (spec.min && number < *spec.min) {
    return InvalidArgument(shown + " is below the minimum " + FormatNumber(*spec.min));
  }
  if (spec.max && number > *spec.max) {
    return InvalidArgument(shown + " is above the maximum " + FormatNumber(*spec.max));
  }
  return Status::Ok();
}

Status TypeMismatch(const ParamSpec& spec, const ParamValue& value) {
  const std::string shown = std::holds_alternative<std::vector<ParamValue>>(value.value)
                                ? "a list"
                                : "'" + ToString(value) + "'";
  return InvalidArgument(std::string("expected ") + Article(spec.type) + " " +
                         ParamTypeName(spec.type) + ", found " + shown);
}

Status CheckEnum(const ParamSpec& spec, const std::string& text) {
  if (std::find(spec.values.begin(), spec.values.end(), text) != spec.values.end()) {
    return Status::Ok();
  }
  std::string allowed;
  for (const auto& v : spec.values) allowed += (allowed.empty() ? "" : ", ") + v;
  return InvalidArgument("'" + text + "' is not one of " + allowed);
}

Status CheckList(const ParamSpec& spec, const std::vector<ParamValue>& items) {
  const ParamSpec item_spec = ItemSpec(spec);
  for (size_t i = 0; i < items.size(); ++i) {
    Status status = CheckParamValue(item_spec, items[i]);
    if (!status.ok()) {
      return InvalidArgument("item " + std::to_string(i) + ": " + status.message());
    }
  }
  return Status::Ok();
}

Result<ParamValue> ConvertScalar(ParamType type, const std::string& text) {
  switch (type) {
    case ParamType::kInt: {
      int64_t number = 0;
      if (ParseIntText(text, &number)) return ParamValue{number};
      break;
    }
    case ParamType::kFloat: {
      double number = 0;
      if (ParseNumberText(text, &number)) return ParamValue{number};
      break;
    }
    case ParamType::kBool: {
      bool flag = false;
      if (ParseBoolText(text, &flag)) return ParamValue{flag};
      break;
    }
    case ParamType::kString:
    case ParamType::kEnum:
      return ParamValue{text};
    case ParamType::kList:
      return InvalidArgument("expected a list, found '" + text + "'");
  }
  return InvalidArgument(std::string("expected ") + Article(type) + " " + ParamTypeName(type) +
                         ", found '" + text + "'");
}

}  // namespace

const char* ParamTypeName(ParamType type) {
  const int index = static_cast<int>(type);
  return index >= 0 && index < 6 ? kTypeNames[index] : "unknown";
}

bool ParamTypeFromName(std::string_view name, ParamType* type) {
  for (int i = 0; i < 6; ++i) {
    if (name == kTypeNames[i]) {
      *type = static_cast<ParamType>(i);
      return true;
    }
  }
  return false;
}

std::string ToString(const ParamValue& value) {
  struct Visitor {
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return FormatNumber(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const std::vector<ParamValue>& items) const {
      std::string joined;
      for (size_t i = 0; i < items.size(); ++i) joined += (i ? "," : "") + ToString(items[i]);
      return joined;
    }
  };
  return std::visit(Visitor{}, value.value);
}

Status CheckParamValue(const ParamSpec& spec, const ParamValue& value) {
  const auto& v = value.value;
  switch (spec.type) {
    case ParamType::kInt:
      if (!std::holds_alternative<int64_t>(v)) return TypeMismatch(spec, value);
      return CheckRange(spec, static_cast<double>(std::get<int64_t>(v)), ToString(value));
    case ParamType::kFloat:
      if (std::holds_alternative<int64_t>(v)) {
        return CheckRange(spec, static_cast<double>(std::get<int64_t>(v)), ToString(value));
      }
      if (!std::holds_alternative<double>(v)) return TypeMismatch(spec, value);
      return CheckRange(spec, std::get<double>(v), ToString(value));
    case ParamType::kBool:
      return std::holds_alternative<bool>(v) ? Status::Ok() : TypeMismatch(spec, value);
    case ParamType::kString:
      return std::holds_alternative<std::string>(v) ? Status::Ok() : TypeMismatch(spec, value);
    case ParamType::kEnum:
      if (!std::holds_alternative<std::string>(v)) return TypeMismatch(spec, value);
      return CheckEnum(spec, std::get<std::string>(v));
    case ParamType::kList:
      if (!std::holds_alternative<std::vector<ParamValue>>(v)) return TypeMismatch(spec, value);
      return CheckList(spec, std::get<std::vector<ParamValue>>(v));
  }
  return Status::Ok();
}

Result<ParamValue> ConvertLiteral(const ParamSpec& spec, const ParamLiteral& literal,
                                  std::string_view file, std::string_view path) {
  ParamValue value;
  if (spec.type == ParamType::kList) {
    if (!literal.is_list) {
      return MarkedError(file, literal.mark, path,
                         "expected a list, found '" + literal.scalar + "'");
    }
    std::vector<ParamValue> items;
    for (size_t i = 0; i < literal.items.size(); ++i) {
      const ParamLiteral& item = literal.items[i];
      const std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
      if (item.is_list)
        return MarkedError(file, item.mark, item_path, "nested lists are not allowed");
      Result<ParamValue> typed = ConvertScalar(spec.item_type, item.scalar);
      if (!typed.ok()) return MarkedError(file, item.mark, item_path, typed.status().message());
      items.push_back(std::move(typed).value());
    }
    value.value = std::move(items);
  } else {
    if (literal.is_list)
      return MarkedError(file, literal.mark, path,
                         "expected " + std::string(Article(spec.type)) + " " +
                             ParamTypeName(spec.type) + ", found a list");
    Result<ParamValue> typed = ConvertScalar(spec.type, literal.scalar);
    if (!typed.ok()) return MarkedError(file, literal.mark, path, typed.status().message());
    value = std::move(typed).value();
  }
  Status status = CheckParamValue(spec, value);
  if (!status.ok()) return MarkedError(file, literal.mark, path, status.message());
  return value;
}

}  // namespace kiln::pipeline
