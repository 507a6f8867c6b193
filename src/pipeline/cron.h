// Cron schedules: the five-field syntax of Vixie cron, evaluated in UTC.
//   "*/15 9-17 * * MON-FRI", "0 0 1,15 * *", "30 4 * JAN,JUL SUN", "@daily"
// Pure functions; thread-safe.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kiln::pipeline {

// The set of minutes a schedule fires at. A bit is set for each allowed value.
struct CronSchedule {
  std::bitset<60> minutes;        // 0-59
  std::bitset<24> hours;          // 0-23
  std::bitset<32> days_of_month;  // 1-31 (bit 0 unused)
  std::bitset<13> months;         // 1-12 (bit 0 unused)
  std::bitset<7> days_of_week;    // 0-6, 0 = Sunday
  // Vixie's rule: a field is restricted unless it starts with '*' (so "*/2" is not). When both
  // day fields are restricted a day matches if either matches, otherwise both must.
  bool day_of_month_restricted = false;
  bool day_of_week_restricted = false;
};

// Parses five fields (minute hour day-of-month month day-of-week) separated by whitespace, each
// a list of `*`, `N`, `A-B`, `*/S`, `A-B/S` or `A/S` (A to the maximum, step S); months may be
// JAN-DEC and days SUN-SAT (case-insensitive); day of week 7 is Sunday too. Also @yearly,
// @annually, @monthly, @weekly, @daily, @midnight and @hourly. Errors: kInvalidArgument naming
// the expression, the field and the value, e.g. `cron "0 25 * * *": hour: 25 is out of range
// 0-23`; also for a wrong field count, an unknown macro, a step of 0 and a backwards range.
Result<CronSchedule> ParseCron(std::string_view expr);

// The first minute boundary strictly after `after_ms` (ms since the Unix epoch, UTC) at which
// the schedule fires, in ms; -1 if it does not fire within the next 8 years plus a day (enough
// for Feb 29 across a skipped leap year, so -1 means never, e.g. "0 0 31 4 *"). Takes at most
// a few thousand cheap day checks.
int64_t NextFireMs(const CronSchedule& schedule, int64_t after_ms);

}  // namespace kiln::pipeline
