#include "pipeline/cron.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <vector>

namespace kiln::pipeline {
namespace {

CronSchedule Parse(const std::string& expr) {
  Result<CronSchedule> schedule = ParseCron(expr);
  EXPECT_TRUE(schedule.ok()) << expr << ": " << schedule.status().message();
  return schedule.ok() ? *schedule : CronSchedule{};
}

std::string ParseError(const std::string& expr) {
  Result<CronSchedule> schedule = ParseCron(expr);
  EXPECT_FALSE(schedule.ok()) << expr;
  if (schedule.ok()) return "";
  EXPECT_EQ(schedule.status().code(), StatusCode::kInvalidArgument);
  return schedule.status().message();
}

template <size_t N>
std::vector<int> Bits(const std::bitset<N>& bits) {
  std::vector<int> set;
  for (size_t i = 0; i < N; ++i) {
    if (bits[i]) set.push_back(static_cast<int>(i));
  }
  return set;
}

// Milliseconds since the epoch of a UTC civil time.
int64_t Ms(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

int64_t Next(const std::string& expr, int64_t after_ms) {
  return NextFireMs(Parse(expr), after_ms);
}

using Ints = std::vector<int>;

TEST(ParseCronTest, Star) {
  CronSchedule s = Parse("* * * * *");
  EXPECT_EQ(s.minutes.count(), 60u);
  EXPECT_EQ(s.hours.count(), 24u);
  EXPECT_EQ(Bits(s.days_of_month).front(), 1);
  EXPECT_EQ(s.days_of_month.count(), 31u);
  EXPECT_EQ(s.months.count(), 12u);
  EXPECT_FALSE(s.months[0]);
  EXPECT_EQ(s.days_of_week.count(), 7u);
  EXPECT_FALSE(s.day_of_month_restricted);
  EXPECT_FALSE(s.day_of_week_restricted);
}

TEST(ParseCronTest, NumbersRangesStepsAndLists) {
  EXPECT_EQ(Bits(Parse("*/15 * * * *").minutes), (Ints{0, 15, 30, 45}));
  EXPECT_EQ(Bits(Parse("7 * * * *").minutes), (Ints{7}));
  EXPECT_EQ(Bits(Parse("* 9-12 * * *").hours), (Ints{9, 10, 11, 12}));
  EXPECT_EQ(Bits(Parse("* 1-10/3 * * *").hours), (Ints{1, 4, 7, 10}));
  EXPECT_EQ(Bits(Parse("1,5,10-20/4 * * * *").minutes), (Ints{1, 5, 10, 14, 18}));
  EXPECT_EQ(Bits(Parse("5/20 * * * *").minutes), (Ints{5, 25, 45}));
  EXPECT_EQ(Bits(Parse("* * */10 * *").days_of_month), (Ints{1, 11, 21, 31}));
  EXPECT_EQ(Bits(Parse("* * * */5 *").months), (Ints{1, 6, 11}));
  EXPECT_EQ(Bits(Parse("3,3,3 * * * *").minutes), (Ints{3}));
  EXPECT_EQ(Bits(Parse("  0   0\t1 * *  ").minutes), (Ints{0}));
}

TEST(ParseCronTest, Names) {
  EXPECT_EQ(Bits(Parse("0 0 * JAN,jul,Dec *").months), (Ints{1, 7, 12}));
  EXPECT_EQ(Bits(Parse("0 0 * mar-MAY *").months), (Ints{3, 4, 5}));
  EXPECT_EQ(Bits(Parse("0 0 * * MON-FRI").days_of_week), (Ints{1, 2, 3, 4, 5}));
  EXPECT_EQ(Bits(Parse("0 0 * * sun,Sat").days_of_week), (Ints{0, 6}));
  EXPECT_EQ(Bits(Parse("0 0 * * 7").days_of_week), (Ints{0}));
  EXPECT_EQ(Bits(Parse("0 0 * * 5-7").days_of_week), (Ints{0, 5, 6}));
  EXPECT_EQ(Bits(Parse("0 0 * * */2").days_of_week), (Ints{0, 2, 4, 6}));
}

TEST(ParseCronTest, RestrictedDayFields) {
  CronSchedule both = Parse("0 0 13 * FRI");
  EXPECT_TRUE(both.day_of_month_restricted);
  EXPECT_TRUE(both.day_of_week_restricted);
  CronSchedule star_step = Parse("0 0 */2 * 1");  // Vixie: a leading '*' is not a restriction
  EXPECT_FALSE(star_step.day_of_month_restricted);
  EXPECT_TRUE(star_step.day_of_week_restricted);
  EXPECT_TRUE(Parse("0 0 1-31 * *").day_of_month_restricted);
}

TEST(ParseCronTest, Macros) {
  const std::string daily = "0 0 * * *";
  auto same = [](const CronSchedule& a, const CronSchedule& b) {
    return a.minutes == b.minutes && a.hours == b.hours && a.days_of_month == b.days_of_month &&
           a.months == b.months && a.days_of_week == b.days_of_week &&
           a.day_of_month_restricted == b.day_of_month_restricted &&
           a.day_of_week_restricted == b.day_of_week_restricted;
  };
  EXPECT_TRUE(same(Parse("@yearly"), Parse("0 0 1 1 *")));
  EXPECT_TRUE(same(Parse("@annually"), Parse("0 0 1 1 *")));
  EXPECT_TRUE(same(Parse("@monthly"), Parse("0 0 1 * *")));
  EXPECT_TRUE(same(Parse("@weekly"), Parse("0 0 * * 0")));
  EXPECT_TRUE(same(Parse("@daily"), Parse(daily)));
  EXPECT_TRUE(same(Parse("@midnight"), Parse(daily)));
  EXPECT_TRUE(same(Parse("@hourly"), Parse("0 * * * *")));
  EXPECT_TRUE(same(Parse(" @DAILY "), Parse(daily)));
  EXPECT_FALSE(same(Parse("@hourly"), Parse(daily)));
}

TEST(ParseCronTest, Errors) {
  EXPECT_EQ(ParseError("0 25 * * *"), "cron \"0 25 * * *\": hour: 25 is out of range 0-23");
  EXPECT_EQ(ParseError("60 * * * *"), "cron \"60 * * * *\": minute: 60 is out of range 0-59");
  EXPECT_EQ(ParseError("* * 0 * *"), "cron \"* * 0 * *\": day of month: 0 is out of range 1-31");
  EXPECT_EQ(ParseError("* * 32 * *"), "cron \"* * 32 * *\": day of month: 32 is out of range 1-31");
  EXPECT_EQ(ParseError("* * * 13 *"), "cron \"* * * 13 *\": month: 13 is out of range 1-12");
  EXPECT_EQ(ParseError("* * * * 8"), "cron \"* * * * 8\": day of week: 8 is out of range 0-7");
  EXPECT_EQ(ParseError("* * * FOO *"),
            "cron \"* * * FOO *\": month: 'FOO' is not a number or name");
  EXPECT_EQ(ParseError("* * * * MONDAY"),
            "cron \"* * * * MONDAY\": day of week: 'MONDAY' is not a number or name");
  EXPECT_EQ(ParseError("x * * * *"), "cron \"x * * * *\": minute: 'x' is not a number");
  EXPECT_EQ(ParseError("-1 * * * *"), "cron \"-1 * * * *\": minute: '' is not a number");
  EXPECT_EQ(ParseError("*/0 * * * *"), "cron \"*/0 * * * *\": minute: step must not be 0");
  EXPECT_EQ(ParseError("*/x * * * *"), "cron \"*/x * * * *\": minute: step 'x' is not a number");
  EXPECT_EQ(ParseError("* 5-1 * * *"), "cron \"* 5-1 * * *\": hour: range 5-1 is backwards");
  EXPECT_EQ(ParseError("* * * * SAT-SUN"),
            "cron \"* * * * SAT-SUN\": day of week: range SAT-SUN is backwards");
  EXPECT_EQ(ParseError("1,,2 * * * *"), "cron \"1,,2 * * * *\": minute: empty list item in '1,,2'");
  EXPECT_NE(ParseError("* * * *").find("expected 5 fields"), std::string::npos);
  EXPECT_NE(ParseError("* * * *").find("found 4"), std::string::npos);
  EXPECT_NE(ParseError("0 * * * * *").find("found 6"), std::string::npos);
  EXPECT_NE(ParseError("").find("found 0"), std::string::npos);
  EXPECT_EQ(ParseError("@reboot"),
            "cron \"@reboot\": unknown macro @reboot (expected @yearly, @annually, @monthly, "
            "@weekly, @daily, @midnight or @hourly)");
  EXPECT_NE(ParseError("@daily 5").find("expected 5 fields"), std::string::npos);
  EXPECT_NE(ParseError("99999 * * * *").find("'99999' is not a number"), std::string::npos);
}

TEST(NextFireTest, EveryMinuteIsStrictlyAfter) {
  EXPECT_EQ(Next("* * * * *", Ms(2024, 5, 1, 12, 0)), Ms(2024, 5, 1, 12, 1));
  EXPECT_EQ(Next("* * * * *", Ms(2024, 5, 1, 12, 0, 30)), Ms(2024, 5, 1, 12, 1));
  EXPECT_EQ(Next("* * * * *", Ms(2024, 5, 1, 12, 0) - 1), Ms(2024, 5, 1, 12, 0));
  EXPECT_EQ(Next("* * * * *", Ms(2024, 5, 1, 23, 59, 59)), Ms(2024, 5, 2));
}

TEST(NextFireTest, WithinAndAcrossDays) {
  EXPECT_EQ(Next("15 10,14 * * *", Ms(2024, 5, 1, 10, 20)), Ms(2024, 5, 1, 14, 15));
  EXPECT_EQ(Next("15 10,14 * * *", Ms(2024, 5, 1, 14, 15)), Ms(2024, 5, 2, 10, 15));
  EXPECT_EQ(Next("15 10,14 * * *", Ms(2024, 5, 1, 9, 0)), Ms(2024, 5, 1, 10, 15));
  EXPECT_EQ(Next("*/15 9-17 * * *", Ms(2024, 5, 1, 17, 45)), Ms(2024, 5, 2, 9, 0));
}

TEST(NextFireTest, MonthAndYearBoundaries) {
  EXPECT_EQ(Next("0 0 1 * *", Ms(2024, 1, 31, 23, 59, 59)), Ms(2024, 2, 1));
  EXPECT_EQ(Next("0 0 1 1 *", Ms(2024, 6, 15)), Ms(2025, 1, 1));
  EXPECT_EQ(Next("59 23 31 12 *", Ms(2024, 12, 31, 23, 59)), Ms(2025, 12, 31, 23, 59));
  EXPECT_EQ(Next("0 0 31 * *", Ms(2024, 4, 1)), Ms(2024, 5, 31));
  EXPECT_EQ(Next("@monthly", Ms(2023, 12, 15)), Ms(2024, 1, 1));
  EXPECT_EQ(Next("@yearly", Ms(2024, 1, 1)), Ms(2025, 1, 1));
}

TEST(NextFireTest, LeapYears) {
  EXPECT_EQ(Next("0 0 29 2 *", Ms(2024, 3, 1)), Ms(2028, 2, 29));
  EXPECT_EQ(Next("0 0 29 2 *", Ms(2023, 1, 1)), Ms(2024, 2, 29));
  EXPECT_EQ(Next("0 0 29 2 *", Ms(2096, 3, 1)), Ms(2104, 2, 29));  // 2100 is no leap year
  EXPECT_EQ(Next("0 0 29 2 *", Ms(2000, 1, 1)), Ms(2000, 2, 29));  // 2000 is
  EXPECT_EQ(Next("0 0 * 3 *", Ms(2024, 2, 28, 12)), Ms(2024, 3, 1));
}

TEST(NextFireTest, NeverFires) {
  EXPECT_EQ(Next("0 0 31 4 *", Ms(2024, 1, 1)), -1);
  EXPECT_EQ(Next("0 0 30 2 *", Ms(2024, 1, 1)), -1);
  EXPECT_EQ(NextFireMs(CronSchedule{}, Ms(2024, 1, 1)), -1);
}

TEST(NextFireTest, RareSchedulesAreFast) {
  const auto start = std::chrono::steady_clock::now();
  CronSchedule never = Parse("59 23 31 2 *");
  for (int i = 0; i < 100; ++i) EXPECT_EQ(NextFireMs(never, Ms(2024, 1, 1) + i), -1);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(NextFireTest, DayOfMonthOrDayOfWeek) {
  // 2024-09-01 is a Sunday; the 6th is a Friday and so is the 13th.
  EXPECT_EQ(Next("0 0 13 * FRI", Ms(2024, 9, 1)), Ms(2024, 9, 6));
  EXPECT_EQ(Next("0 0 13 * FRI", Ms(2024, 9, 7)), Ms(2024, 9, 13));
  EXPECT_EQ(Next("0 0 13 * *", Ms(2024, 9, 1)), Ms(2024, 9, 13));
  EXPECT_EQ(Next("0 0 * * FRI", Ms(2024, 9, 1)), Ms(2024, 9, 6));
  EXPECT_EQ(Next("0 0 1 * MON", Ms(2024, 9, 2, 1)), Ms(2024, 9, 9));  // Monday 9th before Oct 1
  // A leading '*' keeps the AND rule: odd days that are Mondays (the 2nd is even).
  EXPECT_EQ(Next("0 0 */2 * MON", Ms(2024, 9, 1)), Ms(2024, 9, 9));
  EXPECT_EQ(Next("0 0 * * *", Ms(2024, 9, 1)), Ms(2024, 9, 2));
}

TEST(NextFireTest, DaysOfWeek) {
  EXPECT_EQ(Next("30 9 * * 1-5", Ms(2024, 9, 7, 10)), Ms(2024, 9, 9, 9, 30));  // Sat -> Mon
  EXPECT_EQ(Next("0 12 * * 7", Ms(2024, 9, 2)), Ms(2024, 9, 8, 12));           // 7 is Sunday
  EXPECT_EQ(Next("0 12 * * 0", Ms(2024, 9, 2)), Ms(2024, 9, 8, 12));
  EXPECT_EQ(Next("@weekly", Ms(2024, 9, 4)), Ms(2024, 9, 8));
  EXPECT_EQ(Next("0 0 * JAN MON", Ms(2024, 2, 1)), Ms(2025, 1, 6));
}

TEST(NextFireTest, BeforeTheEpoch) {
  EXPECT_EQ(Next("0 0 1 1 *", Ms(1969, 6, 1)), 0);
  EXPECT_EQ(Next("* * * * *", -1), 0);
  EXPECT_EQ(Next("* * * * *", -60001), -60000);
  EXPECT_EQ(Next("0 0 * * THU", Ms(1969, 12, 30)), 0);  // 1970-01-01 was a Thursday
}

}  // namespace
}  // namespace kiln::pipeline
