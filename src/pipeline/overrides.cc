#include "pipeline/overrides.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "pipeline/yaml_reader.h"

namespace kiln::pipeline {
namespace {

// Characters that end a bare value; a backslash makes any of them (or a space) literal.
constexpr std::string_view kSpecials = ",()[]{}'\"\\";
constexpr std::string_view kEscapable = ",()[]{}'\"\\=: \t";
constexpr uint64_t kMaxRangeSize = uint64_t{1} << 62;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}
bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

// The end of the `${...}` whose '{' is at `pos` (one past its '}'), or npos when unterminated.
size_t InterpolationEnd(std::string_view text, size_t pos) {
  int depth = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    if (text[i] == '}' && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

Status ColumnError(std::string_view text, size_t pos, std::string_view what) {
  return InvalidArgument("override '" + std::string(text) + "': column " + std::to_string(pos + 1) +
                         ": " + std::string(what));
}

// A recursive-descent parser for the value part of one override.
class ValueParser {
 public:
  ValueParser(std::string_view text, size_t pos) : text_(text), pos_(pos) {}
  Result<OverrideValue> ParseValue();

 private:
  struct Element {
    ParamLiteral literal;
    bool quoted = false;
    size_t pos = 0;
  };

  Status Error(size_t pos, std::string_view what) const { return ColumnError(text_, pos, what); }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }
  std::string FunctionNameAt(size_t pos) const;
  Result<bool> AfterItem(char closer, size_t open_pos);
  Result<std::vector<Element>> ParseItems(char closer, size_t open_pos, std::string_view what);
  Result<Element> ParseItem(char closer, std::string_view what);
  Result<Element> ParseList();
  Result<Element> ParseQuoted();
  Result<Element> ParseBare();
  Result<OverrideValue> ParseFunction(const std::string& name);
  Result<OverrideValue> ParseChoice(size_t name_pos, size_t open_pos);
  Result<std::vector<double>> ParseNumbers(std::string_view name, size_t open_pos, bool* integer,
                                           std::vector<size_t>* positions);
  Result<OverrideValue> ParseRange(size_t name_pos, size_t open_pos);
  Result<OverrideValue> ParseInterval(size_t name_pos, size_t open_pos);

  std::string_view text_;  // the whole override, for messages and columns
  size_t pos_;
};

// The name of a function call starting at `pos` ("choice" in "choice(1,2)"), or "".
std::string ValueParser::FunctionNameAt(size_t pos) const {
  if (pos >= text_.size() || !IsIdentStart(text_[pos])) return "";
  size_t end = pos;
  while (end < text_.size() && IsIdentChar(text_[end])) ++end;
  if (end >= text_.size() || text_[end] != '(') return "";
  return std::string(text_.substr(pos, end - pos));
}

Result<OverrideValue> ValueParser::ParseValue() {
  SkipSpaces();
  OverrideValue value;
  if (AtEnd()) {  // `key=`: the empty string
    value.quoted = true;
    return value;
  }
  const std::string name = FunctionNameAt(pos_);
  if (!name.empty()) return ParseFunction(name);
  KILN_ASSIGN_OR_RETURN(std::vector<Element> items, ParseItems('\0', 0, "choice item"));
  if (items.size() == 1) {
    value.value = std::move(items[0].literal);
    value.quoted = items[0].quoted;
    return value;
  }
  value.kind = OverrideValue::Kind::kChoice;
  for (Element& item : items) {
    value.choices.push_back(std::move(item.literal));
    value.choices_quoted.push_back(item.quoted);
  }
  return value;
}

// Consumes what follows an item: a ',' (true: another item follows), the closer or the end.
Result<bool> ValueParser::AfterItem(char closer, size_t open_pos) {
  const size_t space = pos_;
  SkipSpaces();
  if (AtEnd()) {
    if (closer != '\0') return Error(open_pos, std::string("missing '") + closer + "'");
    return false;
  }
  const char c = Peek();
  if (c == ',') {
    ++pos_;
    return true;
  }
  if (closer != '\0' && c == closer) {
    ++pos_;
    return false;
  }
  if (pos_ > space) return Error(space, "unexpected whitespace (quote values that contain spaces)");
  return Error(pos_, std::string("unexpected '") + c + "'");
}

// Items separated by ',' up to `closer` (consumed) or, for '\0', the end of the text.
Result<std::vector<ValueParser::Element>> ValueParser::ParseItems(char closer, size_t open_pos,
                                                                  std::string_view what) {
  std::vector<Element> items;
  SkipSpaces();
  if (closer != '\0' && !AtEnd() && Peek() == closer) {
    ++pos_;
    return items;
  }
  bool more = true;
  while (more) {
    KILN_ASSIGN_OR_RETURN(Element item, ParseItem(closer, what));
    items.push_back(std::move(item));
    KILN_ASSIGN_OR_RETURN(more, AfterItem(closer, open_pos));
  }
  return items;
}

Result<ValueParser::Element> ValueParser::ParseItem(char closer, std::string_view what) {
  SkipSpaces();
  if (AtEnd() || Peek() == ',' || (closer != '\0' && Peek() == closer)) {
    return Error(pos_, "empty " + std::string(what));
  }
  const char c = Peek();
  if (c == '[') return ParseList();
  if (c == '\'' || c == '"') return ParseQuoted();
  if (c == '{') return Error(pos_, "dicts are not supported");
  if (c == '(' || c == ')' || c == ']' || c == '}')
    return Error(pos_, std::string("unexpected '") + c + "'");
  const std::string name = FunctionNameAt(pos_);
  if (name == "choice" || name == "range" || name == "interval") {
    return Error(pos_, name + "(...) must be the whole value");
  }
  if (!name.empty()) {
    return Error(pos_, "unknown function '" + name + "' (expected choice, range or interval)");
  }
  return ParseBare();
}

Result<ValueParser::Element> ValueParser::ParseList() {
  Element element;
  element.pos = pos_;
  element.literal.is_list = true;
  ++pos_;
  KILN_ASSIGN_OR_RETURN(std::vector<Element> items, ParseItems(']', element.pos, "list item"));
  for (Element& item : items) {
    element.quoted = element.quoted || item.quoted;
    element.literal.items.push_back(std::move(item.literal));
  }
  return element;
}

Result<ValueParser::Element> ValueParser::ParseQuoted() {
  Element element;
  element.pos = pos_;
  element.quoted = true;
  const char quote = Peek();
  for (++pos_; !AtEnd(); ++pos_) {
    const char c = Peek();
    if (c == quote) {
      ++pos_;
      return element;
    }
    const bool escape = c == '\\' && pos_ + 1 < text_.size() &&
                        (text_[pos_ + 1] == quote || text_[pos_ + 1] == '\\');
    if (escape) ++pos_;
    element.literal.scalar += Peek();
  }
  return Error(element.pos, "unterminated quote");
}

Result<ValueParser::Element> ValueParser::ParseBare() {
  Element element;
  element.pos = pos_;
  std::string& out = element.literal.scalar;
  bool escaped = false;
  while (!AtEnd()) {
    const char c = Peek();
    if (c == '$' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '{') {
      const size_t end = InterpolationEnd(text_, pos_ + 1);
      if (end == std::string_view::npos) return Error(pos_, "unterminated '${'");
      out.append(text_.substr(pos_, end - pos_));
      pos_ = end;
    } else if (c == '\\' && pos_ + 1 < text_.size() &&
               kEscapable.find(text_[pos_ + 1]) != std::string_view::npos) {
      out += text_[pos_ + 1];
      pos_ += 2;
      escaped = true;
    } else if (IsSpace(c) || (c != '\\' && kSpecials.find(c) != std::string_view::npos)) {
      break;
    } else if (std::iscntrl(static_cast<unsigned char>(c))) {
      return Error(pos_, "unexpected control character");
    } else {
      out += c;
      ++pos_;
    }
  }
  if (!escaped && EqualsNoCase(out, "null")) {
    return Error(element.pos, "null is not supported (quote it for the string, or use ~KEY)");
  }
  return element;
}

Result<OverrideValue> ValueParser::ParseFunction(const std::string& name) {
  const size_t name_pos = pos_;
  if (name != "choice" && name != "range" && name != "interval") {
    return Error(name_pos, "unknown function '" + name + "' (expected choice, range or interval)");
  }
  pos_ += name.size();
  const size_t open_pos = pos_++;
  Result<OverrideValue> value = name == "choice"  ? ParseChoice(name_pos, open_pos)
                                : name == "range" ? ParseRange(name_pos, open_pos)
                                                  : ParseInterval(name_pos, open_pos);
  if (!value.ok()) return value;
  SkipSpaces();
  if (!AtEnd()) return Error(pos_, "unexpected text after " + name + "(...)");
  return value;
}

Result<OverrideValue> ValueParser::ParseChoice(size_t name_pos, size_t open_pos) {
  KILN_ASSIGN_OR_RETURN(std::vector<Element> items, ParseItems(')', open_pos, "choice item"));
  if (items.empty()) return Error(name_pos, "choice() needs at least one item");
  OverrideValue value;
  value.kind = OverrideValue::Kind::kChoice;
  for (Element& item : items) {
    value.choices.push_back(std::move(item.literal));
    value.choices_quoted.push_back(item.quoted);
  }
  return value;
}

// The arguments of range() or interval(): unquoted finite numbers. `integer`: all are ints.
Result<std::vector<double>> ValueParser::ParseNumbers(std::string_view name, size_t open_pos,
                                                      bool* integer,
                                                      std::vector<size_t>* positions) {
  KILN_ASSIGN_OR_RETURN(std::vector<Element> items, ParseItems(')', open_pos, "argument"));
  std::vector<double> numbers;
  *integer = true;
  for (const Element& item : items) {
    int64_t whole = 0;
    double number = 0;
    const std::string& text = item.literal.scalar;
    positions->push_back(item.pos);
    if (!item.quoted && !item.literal.is_list && ParseIntText(text, &whole)) {
      numbers.push_back(static_cast<double>(whole));
    } else if (!item.quoted && !item.literal.is_list && ParseNumberText(text, &number) &&
               std::isfinite(number)) {
      numbers.push_back(number);
      *integer = false;
    } else {
      const std::string shown = item.literal.is_list ? "a list" : "'" + text + "'";
      return Error(item.pos, std::string(name) + ": expected a number, found " + shown);
    }
  }
  return numbers;
}

Result<OverrideValue> ValueParser::ParseRange(size_t name_pos, size_t open_pos) {
  OverrideValue value;
  value.kind = OverrideValue::Kind::kRange;
  std::vector<size_t> at;
  KILN_ASSIGN_OR_RETURN(std::vector<double> n,
                        ParseNumbers("range", open_pos, &value.integer, &at));
  if (n.empty() || n.size() > 3) {
    return Error(name_pos, "range() takes 1 to 3 numbers (start, stop, step), found " +
                               std::to_string(n.size()));
  }
  value.start = n.size() == 1 ? 0 : n[0];
  value.stop = n.size() == 1 ? n[0] : n[1];
  value.step = n.size() == 3 ? n[2] : 1;
  if (value.step == 0) return Error(at[2], "range step must not be 0");
  return value;
}

Result<OverrideValue> ValueParser::ParseInterval(size_t name_pos, size_t open_pos) {
  OverrideValue value;
  value.kind = OverrideValue::Kind::kInterval;
  std::vector<size_t> at;
  KILN_ASSIGN_OR_RETURN(std::vector<double> n,
                        ParseNumbers("interval", open_pos, &value.integer, &at));
  if (n.size() != 2) {
    return Error(name_pos,
                 "interval() takes 2 numbers (low, high), found " + std::to_string(n.size()));
  }
  value.low = n[0];
  value.high = n[1];
  if (value.low >= value.high) {
    return Error(name_pos,
                 "interval low " + FormatFloat(n[0]) + " must be below high " + FormatFloat(n[1]));
  }
  return value;
}

// OK if `key` (at `pos` in `text`) is dotted segments of key characters.
Status CheckKey(std::string_view text, std::string_view key, size_t pos) {
  if (key.empty()) return ColumnError(text, pos, "missing key");
  size_t segment_start = 0;
  for (size_t i = 0; i <= key.size(); ++i) {
    if (i == key.size() || key[i] == '.') {
      if (i == segment_start) return ColumnError(text, pos + i, "empty key segment");
      segment_start = i + 1;
    } else if (!IsKeyChar(key[i])) {
      return ColumnError(text, pos + i, std::string("unexpected '") + key[i] + "' in key");
    }
  }
  return Status::Ok();
}

std::vector<std::string> SplitKey(std::string_view key) {
  std::vector<std::string> segments(1);
  for (char c : key) {
    if (c == '.') {
      segments.emplace_back();
    } else {
      segments.back() += c;
    }
  }
  return segments;
}

// The target of STEP.rest (rest = the segments after the step).
bool ResolveStepRest(const std::vector<std::string>& rest, OverrideTarget* target) {
  using Kind = OverrideTarget::Kind;
  if (rest.size() == 1) {
    const bool field = rest[0] == "timeout_seconds" || rest[0] == "retries";
    target->kind = field ? Kind::kStepField : Kind::kStepParam;
    target->name = rest[0];
    return true;
  }
  if (rest.size() != 2) return false;
  if (rest[0] == "params") {
    target->kind = Kind::kStepParam;
    target->name = rest[1];
    return true;
  }
  if (rest[0] == "resources" && (rest[1] == "cpus" || rest[1] == "memory_mb")) {
    target->kind = Kind::kStepField;
    target->name = "resources." + rest[1];
    return true;
  }
  return false;
}

bool NeedsQuotes(std::string_view text) {
  if (text.empty() || EqualsNoCase(text, "null")) return true;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const size_t end = InterpolationEnd(text, i + 1);
      if (end == std::string_view::npos) return true;
      i = end - 1;
    } else if (IsSpace(c) || std::iscntrl(static_cast<unsigned char>(c)) ||
               kSpecials.find(c) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string Quote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

bool LooksTyped(const std::string& text) {
  int64_t whole = 0;
  double number = 0;
  bool flag = false;
  return ParseIntText(text, &whole) || ParseNumberText(text, &number) || ParseBoolText(text, &flag);
}

std::string FormatLiteral(const ParamLiteral& literal, bool quoted) {
  if (!literal.is_list) {
    const bool quote = NeedsQuotes(literal.scalar) || (quoted && LooksTyped(literal.scalar));
    return quote ? Quote(literal.scalar) : literal.scalar;
  }
  std::string text = "[";
  for (size_t i = 0; i < literal.items.size(); ++i) {
    text += (i ? "," : "") + FormatLiteral(literal.items[i], quoted);
  }
  return text + "]";
}

bool InsideRange(const OverrideValue& range, uint64_t index) {
  const double value = range.start + static_cast<double>(index) * range.step;
  return range.step > 0 ? value < range.stop : value > range.stop;
}

}  // namespace

Result<Override> ParseOverride(std::string_view text) {
  Override result;
  result.text = std::string(text);
  size_t pos = 0;
  if (text.substr(0, 2) == "++") {
    result.op = Override::Op::kForceAdd;
    pos = 2;
  } else if (!text.empty() && (text[0] == '+' || text[0] == '~')) {
    result.op = text[0] == '+' ? Override::Op::kAdd : Override::Op::kDelete;
    pos = 1;
  }
  const size_t equals = text.find('=', pos);
  const std::string_view key =
      text.substr(pos, equals == std::string_view::npos ? text.npos : equals - pos);
  KILN_RETURN_IF_ERROR(CheckKey(text, key, pos));
  result.key = std::string(key);
  Result<OverrideTarget> target = ResolveKey(key);
  if (!target.ok()) {
    return InvalidArgument("override '" + result.text + "': " + target.status().message());
  }
  if (equals == std::string_view::npos) {
    if (result.op == Override::Op::kDelete) return result;
    const std::string hint =
        result.op == Override::Op::kSet ? " (use ~" + result.key + " to delete)" : "";
    return InvalidArgument("override '" + result.text + "': missing '='" + hint);
  }
  result.has_value = true;
  KILN_ASSIGN_OR_RETURN(result.value, ValueParser(text, equals + 1).ParseValue());
  if (result.op == Override::Op::kDelete && IsSweep(result)) {
    return ColumnError(text, equals + 1, "a delete cannot sweep");
  }
  return result;
}

Result<std::vector<Override>> ParseOverrides(const std::vector<std::string>& texts) {
  std::vector<Override> overrides;
  std::map<std::string, std::string> seen;  // canonical key -> the override that set it
  for (const std::string& text : texts) {
    KILN_ASSIGN_OR_RETURN(Override parsed, ParseOverride(text));
    KILN_ASSIGN_OR_RETURN(OverrideTarget target, ResolveKey(parsed.key));
    auto [it, inserted] = seen.emplace(CanonicalKey(target), text);
    if (!inserted) {
      return InvalidArgument("override '" + text + "': " + TargetPath(target) +
                             " is already set by override '" + it->second + "'");
    }
    overrides.push_back(std::move(parsed));
  }
  return overrides;
}

bool IsSweep(const Override& override) {
  return override.has_value && override.value.kind != OverrideValue::Kind::kValue;
}

Result<OverrideTarget> ResolveKey(std::string_view key) {
  const std::vector<std::string> segments = SplitKey(key);
  OverrideTarget target;
  if (segments.size() == 1 || (segments.size() == 2 && segments[0] == "params")) {
    target.name = segments.back();
    return target;
  }
  const size_t first = segments[0] == "steps" && segments.size() >= 3 ? 1 : 0;
  target.step = segments[first];
  const std::vector<std::string> rest(segments.begin() + first + 1, segments.end());
  if (segments[0] != "params" && ResolveStepRest(rest, &target)) return target;
  return InvalidArgument("unknown key form '" + std::string(key) +
                         "' (expected NAME, params.NAME, STEP.PARAM, STEP.params.PARAM, "
                         "STEP.timeout_seconds, STEP.retries or STEP.resources.cpus|memory_mb)");
}

std::string CanonicalKey(const OverrideTarget& target) {
  switch (target.kind) {
    case OverrideTarget::Kind::kPipelineParam:
      return target.name;
    case OverrideTarget::Kind::kStepParam:
      return target.step + ".params." + target.name;
    case OverrideTarget::Kind::kStepField:
      return target.step + "." + target.name;
  }
  return target.name;
}

std::string TargetPath(const OverrideTarget& target) {
  if (target.kind == OverrideTarget::Kind::kPipelineParam) return "params." + target.name;
  return "steps." + CanonicalKey(target);
}

std::string FormatValue(const ParamLiteral& literal) { return FormatLiteral(literal, false); }

std::string FormatOverrideValue(const OverrideValue& value) {
  return FormatLiteral(value.value, value.quoted);
}

uint64_t RangeSize(const OverrideValue& range) {
  const double span = (range.stop - range.start) / range.step;
  if (!(span > 0)) return 0;  // also NaN
  if (span >= 0x1p52)
    return span >= static_cast<double>(kMaxRangeSize) ? kMaxRangeSize : static_cast<uint64_t>(span);
  // ceil(span) may be off by one through rounding; settle it against the values themselves.
  uint64_t size = static_cast<uint64_t>(std::ceil(span));
  while (size > 0 && !InsideRange(range, size - 1)) --size;
  while (InsideRange(range, size)) ++size;
  return size;
}

ParamLiteral RangeItem(const OverrideValue& range, uint64_t index) {
  const double value = range.start + static_cast<double>(index) * range.step;
  ParamLiteral literal;
  literal.scalar = range.integer ? std::to_string(static_cast<int64_t>(std::llround(value)))
                                 : FormatFloat(value);
  return literal;
}

std::string FormatFloat(double number, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*g", digits, number);
  std::string text = buffer;
  if (text.find_first_of(".eEni") == std::string::npos) text += ".0";
  return text;
}

}  // namespace kiln::pipeline
