#include "pipeline/cron.h"

#include <cctype>
#include <limits>
#include <vector>

#include "common/text.h"

namespace kiln::pipeline {
namespace {

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct Field {
  const char* name;
  int min;
  int max;
  const char* const* names = nullptr;  // names[i] stands for names_base + i
  int name_count = 0;
  int names_base = 0;
};

constexpr Field kFields[] = {
    {"minute", 0, 59},
    {"hour", 0, 23},
    {"day of month", 1, 31},
    {"month", 1, 12, kMonthNames, 12, 1},
    {"day of week", 0, 7, kDayNames, 7, 0},
};

constexpr int64_t kMsPerMinute = 60'000;
constexpr int64_t kMinutesPerDay = 1'440;
constexpr int64_t kSearchDays = 366 * 8 + 1;

struct Macro {
  const char* name;
  const char* expansion;
};

constexpr Macro kMacros[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::vector<std::string_view> SplitWhitespace(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Reports problems in one field of one expression.
class FieldParser {
 public:
  FieldParser(std::string_view expr, const Field& field) : expr_(expr), field_(field) {}
  Result<std::bitset<64>> Parse(std::string_view text) const;

 private:
  Status Error(std::string_view what) const {
    return InvalidArgument("cron \"" + std::string(expr_) + "\": " + field_.name + ": " +
                           std::string(what));
  }
  Status ParseItem(std::string_view item, std::bitset<64>* bits) const;
  Result<int> ParseValue(std::string_view text) const;
  Result<int> ParseStep(std::string_view text) const;

  std::string_view expr_;
  const Field& field_;
};

Result<std::bitset<64>> FieldParser::Parse(std::string_view text) const {
  std::bitset<64> bits;
  for (std::string_view item : SplitOn(text, ',')) {
    if (item.empty()) return Error("empty list item in '" + std::string(text) + "'");
    KILN_RETURN_IF_ERROR(ParseItem(item, &bits));
  }
  return bits;
}

Status FieldParser::ParseItem(std::string_view item, std::bitset<64>* bits) const {
  const size_t slash = item.find('/');
  const std::string_view base = item.substr(0, slash);
  int step = 1;
  if (slash != std::string_view::npos) {
    KILN_ASSIGN_OR_RETURN(step, ParseStep(item.substr(slash + 1)));
  }
  int low = field_.min;
  int high = field_.max;
  const size_t dash = base.find('-');
  if (base != "*" && dash != std::string_view::npos) {
    KILN_ASSIGN_OR_RETURN(low, ParseValue(base.substr(0, dash)));
    KILN_ASSIGN_OR_RETURN(high, ParseValue(base.substr(dash + 1)));
    if (low > high) return Error("range " + std::string(base) + " is backwards");
  } else if (base != "*") {
    KILN_ASSIGN_OR_RETURN(low, ParseValue(base));
    if (slash == std::string_view::npos) high = low;
  }
  for (int value = low; value <= high; value += step) bits->set(value);
  return Status::Ok();
}

Result<int> FieldParser::ParseValue(std::string_view text) const {
  const std::string lower = Lower(text);
  for (int i = 0; i < field_.name_count; ++i) {
    if (lower == field_.names[i]) return field_.names_base + i;
  }
  const bool digits = !text.empty() && text.size() <= 4 &&
                      text.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digits) {
    const std::string hint = field_.name_count ? " or name" : "";
    return Error("'" + std::string(text) + "' is not a number" + hint);
  }
  const int value = std::stoi(std::string(text));
  if (value < field_.min || value > field_.max) {
    return Error(std::to_string(value) + " is out of range " + std::to_string(field_.min) + "-" +
                 std::to_string(field_.max));
  }
  return value;
}

Result<int> FieldParser::ParseStep(std::string_view text) const {
  const bool digits = !text.empty() && text.size() <= 4 &&
                      text.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digits) return Error("step '" + std::string(text) + "' is not a number");
  const int step = std::stoi(std::string(text));
  if (step == 0) return Error("step must not be 0");
  return step;
}

Result<std::string_view> ExpandMacro(std::string_view expr, std::string_view trimmed) {
  const std::string lower = Lower(trimmed);
  for (const Macro& macro : kMacros) {
    if (lower == macro.name) return std::string_view(macro.expansion);
  }
  return InvalidArgument("cron \"" + std::string(expr) + "\": unknown macro " +
                         std::string(trimmed) +
                         " (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or "
                         "@hourly)");
}

// Copies the low `N` bits of `bits`.
template <size_t N>
std::bitset<N> Narrow(const std::bitset<64>& bits) {
  std::bitset<N> narrow;
  for (size_t i = 0; i < N; ++i) narrow[i] = bits[i];
  return narrow;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The civil date of a day since 1970-01-01 (Howard Hinnant's algorithm).
void CivilFromDays(int64_t days, int* month, int* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
}

bool DayMatches(const CronSchedule& s, int64_t days) {
  int month = 0;
  int day = 0;
  CivilFromDays(days, &month, &day);
  if (!s.months[month]) return false;
  const int weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  const bool dom = s.days_of_month[day];
  const bool dow = s.days_of_week[weekday];
  if (s.day_of_month_restricted && s.day_of_week_restricted) return dom || dow;
  return dom && dow;
}

// The first firing minute of a matching day at or after minute `from` of it, or -1.
int FirstMinuteOfDay(const CronSchedule& s, int from) {
  for (int hour = from / 60; hour < 24; ++hour) {
    if (!s.hours[hour]) continue;
    for (int minute = hour == from / 60 ? from % 60 : 0; minute < 60; ++minute) {
      if (s.minutes[minute]) return hour * 60 + minute;
    }
  }
  return -1;
}

}  // namespace

Result<CronSchedule> ParseCron(std::string_view expr) {
  std::vector<std::string_view> fields = SplitWhitespace(expr);
  if (fields.size() == 1 && fields[0].front() == '@') {
    KILN_ASSIGN_OR_RETURN(std::string_view expansion, ExpandMacro(expr, fields[0]));
    fields = SplitWhitespace(expansion);
  }
  if (fields.size() != 5) {
    return InvalidArgument("cron \"" + std::string(expr) +
                           "\": expected 5 fields (minute hour day-of-month month day-of-week) "
                           "or a macro such as @daily, found " +
                           std::to_string(fields.size()));
  }
  std::bitset<64> bits[5];
  for (int i = 0; i < 5; ++i) {
    KILN_ASSIGN_OR_RETURN(bits[i], FieldParser(expr, kFields[i]).Parse(fields[i]));
  }
  if (bits[4][7]) bits[4].set(0);  // 7 is Sunday too
  CronSchedule schedule;
  schedule.minutes = Narrow<60>(bits[0]);
  schedule.hours = Narrow<24>(bits[1]);
  schedule.days_of_month = Narrow<32>(bits[2]);
  schedule.months = Narrow<13>(bits[3]);
  schedule.days_of_week = Narrow<7>(bits[4]);
  schedule.day_of_month_restricted = fields[2].front() != '*';
  schedule.day_of_week_restricted = fields[4].front() != '*';
  return schedule;
}

int64_t NextFireMs(const CronSchedule& schedule, int64_t after_ms) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 2;
  if (after_ms > kLimit || after_ms < -kLimit) return -1;  // keeps the arithmetic in range
  const int64_t first = FloorDiv(after_ms, kMsPerMinute) + 1;
  int64_t day = FloorDiv(first, kMinutesPerDay);
  int from = static_cast<int>(first - day * kMinutesPerDay);
  for (int64_t i = 0; i <= kSearchDays; ++i, ++day, from = 0) {
    if (!DayMatches(schedule, day)) continue;
    const int minute = FirstMinuteOfDay(schedule, from);
    if (minute >= 0) return (day * kMinutesPerDay + minute) * kMsPerMinute;
  }
  return -1;
}

}  // namespace kiln::pipeline
