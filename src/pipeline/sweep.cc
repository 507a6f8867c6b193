#include "pipeline/sweep.h"

#include <cmath>
#include <random>
#include <set>

#include "pipeline/yaml_reader.h"

namespace kiln::pipeline {
namespace {

constexpr size_t kMaxSamples = 10000;

using Points = std::vector<std::vector<Override>>;

Status OverrideError(const Override& o, std::string_view what) {
  return InvalidArgument("override '" + o.text + "': " + std::string(what));
}

std::string PointText(const Override& o) {
  const char* prefix = o.op == Override::Op::kAdd        ? "+"
                       : o.op == Override::Op::kForceAdd ? "++"
                                                         : "";
  return prefix + o.key + "=" + FormatOverrideValue(o.value);
}

// `sweep` with one chosen value.
Override Pick(const Override& sweep, ParamLiteral literal, bool quoted) {
  Override point;
  point.op = sweep.op;
  point.key = sweep.key;
  point.has_value = true;
  point.value.value = std::move(literal);
  point.value.quoted = quoted;
  point.swept = true;
  point.text = PointText(point);
  return point;
}

Result<uint64_t> CheckedRangeSize(const Override& o) {
  const uint64_t size = RangeSize(o.value);
  if (size == 0) return OverrideError(o, o.text.substr(o.text.find('=') + 1) + " is empty");
  return size;
}

Result<uint64_t> GridSize(const Override& o) {
  switch (o.value.kind) {
    case OverrideValue::Kind::kChoice:
      return static_cast<uint64_t>(o.value.choices.size());
    case OverrideValue::Kind::kRange:
      return CheckedRangeSize(o);
    case OverrideValue::Kind::kInterval:
      return OverrideError(o, "interval(...) needs --sample N (a grid cannot enumerate it)");
    case OverrideValue::Kind::kValue:
      break;
  }
  return 1;
}

Override GridValue(const Override& o, uint64_t index) {
  if (o.value.kind == OverrideValue::Kind::kChoice) {
    return Pick(o, o.value.choices[index], o.value.choices_quoted[index]);
  }
  return Pick(o, RangeItem(o.value, index), false);
}

uint64_t SaturatingMultiply(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

// A uniform index in [0, n), n >= 1, by rejection (no modulo bias).
uint64_t UniformIndex(std::mt19937_64& rng, uint64_t n) {
  const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
  uint64_t x = rng();
  while (x < threshold) x = rng();
  return x % n;
}

// A uniform double in [0, 1) from the top 53 bits.
double UniformUnit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// A uniform int in [low, high] (inclusive).
int64_t UniformInt(std::mt19937_64& rng, int64_t low, int64_t high) {
  const uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
  const uint64_t offset = span == 0 ? rng() : UniformIndex(rng, span);
  return static_cast<int64_t>(static_cast<uint64_t>(low) + offset);
}

// A uniform float in [low, high), short when 6 digits keep it inside.
std::string UniformFloatText(std::mt19937_64& rng, double low, double high) {
  double value = low + UniformUnit(rng) * (high - low);
  if (value >= high) value = low;  // rounding at the top
  const std::string brief = FormatFloat(value, 6);
  double parsed = 0;
  if (ParseNumberText(brief, &parsed) && parsed >= low && (parsed < high || low == high)) {
    return brief;
  }
  return FormatFloat(value, 17);
}

// True if `o` names a pipeline param declared float in `spec`.
bool TargetsFloatParam(const Override& o, const PipelineSpec& spec) {
  Result<OverrideTarget> target = ResolveKey(o.key);
  if (!target.ok() || target->kind != OverrideTarget::Kind::kPipelineParam) return false;
  const ParamSpec* param = spec.FindParam(target->name);
  return param && param->type == ParamType::kFloat;
}

Override DrawSweep(const Override& o, const PipelineSpec& spec, std::mt19937_64& rng) {
  const OverrideValue& v = o.value;
  if (v.kind == OverrideValue::Kind::kChoice) {
    const uint64_t index = UniformIndex(rng, v.choices.size());
    return Pick(o, v.choices[index], v.choices_quoted[index]);
  }
  if (v.kind == OverrideValue::Kind::kRange) {
    return Pick(o, RangeItem(v, UniformIndex(rng, RangeSize(v))), false);
  }
  ParamLiteral literal;
  if (v.integer && !TargetsFloatParam(o, spec)) {
    literal.scalar =
        std::to_string(UniformInt(rng, static_cast<int64_t>(v.low), static_cast<int64_t>(v.high)));
  } else {
    literal.scalar = UniformFloatText(rng, v.low, v.high);
  }
  return Pick(o, std::move(literal), false);
}

bool IsSamplable(const ParamSpec& p) {
  switch (p.type) {
    case ParamType::kInt:
      return p.min && p.max && std::ceil(*p.min) <= std::floor(*p.max);
    case ParamType::kFloat:
      return p.min && p.max && *p.min <= *p.max;
    case ParamType::kEnum:
      return !p.values.empty();
    case ParamType::kBool:
      return true;
    default:
      return false;
  }
}

ParamLiteral DrawParam(const ParamSpec& p, std::mt19937_64& rng) {
  ParamLiteral literal;
  if (p.type == ParamType::kInt) {
    literal.scalar = std::to_string(UniformInt(rng, static_cast<int64_t>(std::ceil(*p.min)),
                                               static_cast<int64_t>(std::floor(*p.max))));
  } else if (p.type == ParamType::kFloat) {
    literal.scalar = UniformFloatText(rng, *p.min, *p.max);
  } else if (p.type == ParamType::kEnum) {
    literal.scalar = p.values[UniformIndex(rng, p.values.size())];
  } else {
    literal.scalar = UniformIndex(rng, 2) ? "true" : "false";
  }
  return literal;
}

// The declared pipeline params a sweep-less random search samples.
Result<std::vector<const ParamSpec*>> SamplableParams(const std::vector<Override>& overrides,
                                                      const PipelineSpec& spec) {
  std::set<std::string> named;
  for (const Override& o : overrides) {
    Result<OverrideTarget> target = ResolveKey(o.key);
    if (target.ok() && target->kind == OverrideTarget::Kind::kPipelineParam) {
      named.insert(target->name);
    }
  }
  std::vector<const ParamSpec*> params;
  for (const ParamSpec& p : spec.params) {
    if (!named.count(p.name) && IsSamplable(p)) params.push_back(&p);
  }
  if (params.empty()) {
    return InvalidArgument(
        "nothing to sample: no sweep override (e.g. lr=interval(0.001,0.1)) and no pipeline "
        "param is an int or float with min and max, an enum or a bool");
  }
  return params;
}

Points SampleDeclared(const std::vector<Override>& overrides,
                      const std::vector<const ParamSpec*>& params, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Points points(n, overrides);
  for (std::vector<Override>& point : points) {
    for (const ParamSpec* p : params) {
      Override drawn;
      drawn.key = p->name;
      drawn.has_value = true;
      drawn.value.value = DrawParam(*p, rng);
      drawn.swept = true;
      drawn.text = PointText(drawn);
      point.push_back(std::move(drawn));
    }
  }
  return points;
}

}  // namespace

Result<Points> ExpandGrid(const std::vector<Override>& overrides, size_t max_points) {
  std::vector<uint64_t> sizes(overrides.size(), 1);
  uint64_t total = 1;
  for (size_t i = 0; i < overrides.size(); ++i) {
    if (!IsSweep(overrides[i])) continue;
    KILN_ASSIGN_OR_RETURN(sizes[i], GridSize(overrides[i]));
    total = SaturatingMultiply(total, sizes[i]);
  }
  if (total > max_points) {
    return InvalidArgument("the sweep has " + std::to_string(total) +
                           " points, more than the limit " + std::to_string(max_points));
  }
  Points points(total);
  for (uint64_t p = 0; p < total; ++p) {
    std::vector<Override>& point = points[p];
    point.resize(overrides.size());
    uint64_t rest = p;  // mixed-radix digits, the last sweep fastest
    for (size_t i = overrides.size(); i-- > 0;) {
      const bool sweep = IsSweep(overrides[i]);
      point[i] = sweep ? GridValue(overrides[i], rest % sizes[i]) : overrides[i];
      rest /= sizes[i];
    }
  }
  return points;
}

Result<Points> SamplePoints(const std::vector<Override>& overrides, const PipelineSpec& spec,
                            size_t n, uint64_t seed) {
  if (n < 1 || n > kMaxSamples) {
    return InvalidArgument("the sample count must be 1.." + std::to_string(kMaxSamples) +
                           ", found " + std::to_string(n));
  }
  bool any_sweep = false;
  for (const Override& o : overrides) {
    if (!IsSweep(o)) continue;
    any_sweep = true;
    if (o.value.kind == OverrideValue::Kind::kRange)
      KILN_RETURN_IF_ERROR(CheckedRangeSize(o).status());
  }
  if (!any_sweep) {
    KILN_ASSIGN_OR_RETURN(std::vector<const ParamSpec*> params, SamplableParams(overrides, spec));
    return SampleDeclared(overrides, params, n, seed);
  }
  std::mt19937_64 rng(seed);
  Points points(n);
  for (std::vector<Override>& point : points) {
    for (const Override& o : overrides) point.push_back(IsSweep(o) ? DrawSweep(o, spec, rng) : o);
  }
  return points;
}

std::string DescribePoint(const std::vector<Override>& point) {
  bool any_swept = false;
  for (const Override& o : point) any_swept = any_swept || o.swept;
  std::string text;
  for (const Override& o : point) {
    if (any_swept && !o.swept) continue;
    std::string part;
    if (IsSweep(o)) {
      part = o.text;
    } else if (o.op == Override::Op::kDelete) {
      part = "~" + o.key + (o.has_value ? "=" + FormatOverrideValue(o.value) : "");
    } else {
      part = o.key + "=" + FormatOverrideValue(o.value);
    }
    text += (text.empty() ? "" : " ") + part;
  }
  return text;
}

}  // namespace kiln::pipeline
