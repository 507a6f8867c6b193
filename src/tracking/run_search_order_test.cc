// runs/search order and paging against a reference computed in C++ from every run of a
// randomized store: ties, NaN, infinities, missing metrics, deleted runs, several experiments
// and order keys, every page size, and both statement shapes (run_search_page.h) mixed within
// one paging sequence, so that a token from one shape is continued by the other.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "tracking/run_rows.h"
#include "tracking/run_search_page.h"
#include "tracking/run_search_sql.h"
#include "tracking/tracking_service.h"

namespace kiln::tracking {
namespace {

namespace fs = std::filesystem;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What the test knows about a run, independently of the store.
struct RunModel {
  std::string id, name, experiment_id, status = "RUNNING", lifecycle = "active";
  int64_t start_time = 0;
  std::optional<int64_t> end_time;
  std::map<std::string, double> metrics;  // the latest value of each key; NaN kept as NaN
  std::map<std::string, std::string> params, tags;
};

// A sort key value: absent (NULL), a number or a text, compared as SQLite does.
using Key = std::variant<std::monostate, double, std::string>;

Key OrderValue(const RunModel& run, const OrderByClause& order) {
  auto from = [&](const std::map<std::string, std::string>& m) -> Key {
    auto it = m.find(order.key);
    return it == m.end() ? Key() : Key(it->second);
  };
  switch (order.entity) {
    case FilterEntity::kMetric: {
      auto it = run.metrics.find(order.key);
      if (it == run.metrics.end() || std::isnan(it->second)) return Key();
      return it->second;
    }
    case FilterEntity::kParam:
      return from(run.params);
    case FilterEntity::kTag:
      return from(run.tags);
    default:
      break;
  }
  const std::string& k = order.key;
  if (k == "start_time") return static_cast<double>(run.start_time);
  if (k == "end_time") return run.end_time ? Key(static_cast<double>(*run.end_time)) : Key();
  if (k == "run_name") return run.name;
  if (k == "status") return run.status;
  ADD_FAILURE() << "the reference does not know attribute " << k;
  return Key();
}

// MLflow's order as Kiln implements it: per order_by item, runs with a value first, then by
// the value in the item's direction; ties by the next item, then run_id ascending. Without
// order_by items, start_time descending.
std::vector<std::string> ReferenceOrder(std::vector<const RunModel*> runs,
                                        const std::vector<std::string>& order_by) {
  std::vector<OrderByClause> orders;
  for (const std::string& text : order_by) orders.push_back(*ParseOrderBy(text));
  if (orders.empty()) orders.push_back({FilterEntity::kAttribute, "start_time", false});
  auto less = [&](const RunModel* a, const RunModel* b) {
    for (const OrderByClause& order : orders) {
      const Key x = OrderValue(*a, order), y = OrderValue(*b, order);
      const bool x_null = x.index() == 0, y_null = y.index() == 0;
      if (x_null != y_null) return y_null;
      if (x_null || x == y) continue;
      return order.ascending ? x < y : y < x;
    }
    return a->id < b->id;
  };
  std::sort(runs.begin(), runs.end(), less);
  std::vector<std::string> ids;
  for (const RunModel* run : runs) ids.push_back(run->id);
  return ids;
}

// A filter and the reference predicate for it (Kiln's semantics: a comparison on a metric
// needs a value, NaN never compares; IS NULL on a metric means no entry at all).
struct FilterCase {
  std::string text;
  std::function<bool(const RunModel&)> matches;
};

std::optional<double> Metric(const RunModel& run, const std::string& key) {
  auto it = run.metrics.find(key);
  if (it == run.metrics.end() || std::isnan(it->second)) return std::nullopt;
  return it->second;
}

std::optional<std::string> Text(const std::map<std::string, std::string>& m,
                                const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::vector<FilterCase> Filters() {
  auto acc = [](const RunModel& r) { return Metric(r, "acc"); };
  auto group = [](const RunModel& r) { return Text(r.params, "group"); };
  return {
      {"", [](const RunModel&) { return true; }},
      {"metrics.acc > 0.5", [=](const RunModel& r) { return acc(r) && *acc(r) > 0.5; }},
      {"metrics.acc <= 0.5", [=](const RunModel& r) { return acc(r) && *acc(r) <= 0.5; }},
      {"metrics.acc = 0.25", [=](const RunModel& r) { return acc(r) && *acc(r) == 0.25; }},
      {"metrics.acc != 0.25", [=](const RunModel& r) { return acc(r) && *acc(r) != 0.25; }},
      {"metrics.acc > 0.2 AND metrics.acc < 0.8",
       [=](const RunModel& r) { return acc(r) && *acc(r) > 0.2 && *acc(r) < 0.8; }},
      {"metrics.acc IS NULL", [](const RunModel& r) { return !r.metrics.count("acc"); }},
      {"metrics.acc IS NOT NULL", [](const RunModel& r) { return r.metrics.count("acc") > 0; }},
      {"params.group = 'a'", [=](const RunModel& r) { return group(r) == "a"; }},
      {"params.group != 'b'", [=](const RunModel& r) { return group(r) && *group(r) != "b"; }},
      {"metrics.loss > 0.3 AND params.group IN ('a', 'c')",
       [=](const RunModel& r) {
         auto loss = Metric(r, "loss");
         return loss && *loss > 0.3 && (group(r) == "a" || group(r) == "c");
       }},
      {"attributes.status = 'FINISHED'", [](const RunModel& r) { return r.status == "FINISHED"; }},
      {"tags.team = 'x' AND metrics.acc >= 0",
       [=](const RunModel& r) { return Text(r.tags, "team") == "x" && acc(r) && *acc(r) >= 0; }},
  };
}

const std::vector<std::vector<std::string>> kOrders = {
    {"metrics.acc DESC"},
    {"metrics.acc ASC"},
    {"metrics.acc"},
    {"metrics.acc DESC", "params.group ASC"},
    {"metrics.acc ASC", "metrics.loss DESC"},
    {"metrics.acc DESC", "start_time DESC"},
    {"metrics.loss DESC", "attributes.run_name", "tags.team DESC"},
    {"metrics.nothing DESC"},
    {"metrics.`acc` DESC", "metrics.acc ASC", "end_time ASC"},
    {"params.group DESC", "metrics.acc DESC"},
    {},
};

// Budgets that make the walk's window as small as it can be, or bounded a little above the
// page, so that small stores exercise both the walk and its fallback to the general statement.
const std::vector<MetricWalkBudget> kBudgets = {{10, 1000}, {1, 0}, {2, 0}, {1, 3}, {4, 0}};

class RunSearchOrderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "kiln_search_order_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = store::OpenSqliteStore((dir_ / "kiln.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    service_ = std::make_unique<TrackingService>(*store_, "mlflow-artifacts:");
    ASSERT_TRUE(service_->Init().ok());
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A metric value drawn to give many ties, NaN and infinities; nullopt: not logged.
  static std::optional<double> DrawMetric(std::mt19937& rng) {
    const int pick = std::uniform_int_distribution<int>(0, 99)(rng);
    if (pick < 15) return std::nullopt;
    if (pick < 25) return kNaN;
    if (pick < 29) return kInf;
    if (pick < 32) return -kInf;
    if (pick < 70) return std::uniform_int_distribution<int>(0, 4)(rng) * 0.25;
    return std::uniform_int_distribution<int>(-20, 120)(rng) / 100.0;
  }

  void Populate(int runs, unsigned seed) {
    std::mt19937 rng(seed);
    auto chance = [&](int percent) {
      return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
    };
    for (const char* name : {"e0", "e1", "e2"}) {
      auto id = service_->CreateExperiment(name, "", {});
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      experiments_.push_back(*id);
    }
    for (int i = 0; i < runs; ++i) {
      RunModel model;
      const int pick = std::uniform_int_distribution<int>(0, 9)(rng);
      model.experiment_id = experiments_[pick < 6 ? 0 : pick < 9 ? 1 : 2];
      model.name = "run-" + std::to_string(std::uniform_int_distribution<int>(0, 20)(rng));
      model.start_time = 1000 + std::uniform_int_distribution<int>(0, 40)(rng);
      CreateRunRequest request;
      request.experiment_id = model.experiment_id;
      request.run_name = model.name;
      request.start_time = model.start_time;
      request.user_id = "tester";
      auto run = service_->CreateRun(request);
      ASSERT_TRUE(run.ok()) << run.status().ToString();
      model.id = run->info.run_id;
      Batch batch;
      for (const char* key : {"acc", "loss"}) {
        std::optional<double> value = DrawMetric(rng);
        if (!value) continue;
        // An earlier step with another value: only the latest one orders the run.
        batch.metrics.push_back({key, 0.5 - *value, 1, 0});
        batch.metrics.push_back({key, *value, 2, 1});
        model.metrics[key] = *value;
      }
      if (!chance(20)) {
        model.params["group"] =
            std::string(1, "abc"[std::uniform_int_distribution<int>(0, 2)(rng)]);
        batch.params.push_back({"group", model.params["group"]});
      }
      if (chance(60)) {
        model.tags["team"] = chance(50) ? "x" : "y";
        batch.tags.push_back({"team", model.tags["team"]});
      }
      ASSERT_TRUE(service_->LogBatch(model.id, batch).ok());
      if (chance(30)) {
        model.status = "FINISHED";
        model.end_time = 5000 + std::uniform_int_distribution<int>(0, 5)(rng);
        ASSERT_TRUE(service_->UpdateRun({model.id, "FINISHED", model.end_time, std::nullopt}).ok());
      }
      if (chance(15)) {
        model.lifecycle = "deleted";
        ASSERT_TRUE(service_->DeleteRun(model.id).ok());
      }
      runs_.push_back(std::move(model));
    }
  }

  std::vector<std::string> Expected(const RunQuery& query, const FilterCase& filter) const {
    std::vector<const RunModel*> matching;
    for (const RunModel& run : runs_) {
      const bool in_view = query.view == ViewType::kAll ||
                           (run.lifecycle == "active") == (query.view == ViewType::kActiveOnly);
      const bool in_scope =
          query.experiment_ids.empty() ||
          std::count(query.experiment_ids.begin(), query.experiment_ids.end(), run.experiment_id);
      if (in_view && in_scope && filter.matches(run)) matching.push_back(&run);
    }
    return ReferenceOrder(matching, query.order_by);
  }

  // Every page through TrackingService::SearchRuns, run ids in order.
  std::vector<std::string> PageThroughService(RunQuery query) {
    std::vector<std::string> ids;
    query.page_token.clear();
    for (int pages = 0; pages <= static_cast<int>(runs_.size()) + 1; ++pages) {
      auto page = service_->SearchRuns(query);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      for (const tracking::Run& run : page->items) ids.push_back(run.info.run_id);
      EXPECT_TRUE(!page->items.empty() || page->next_page_token.empty());
      if (page->next_page_token.empty()) break;
      query.page_token = page->next_page_token;
    }
    return ids;
  }

  // Every page through ReadRunSearchPage, with a budget drawn per page.
  std::vector<std::string> PageThroughBudgets(RunQuery query, std::mt19937& rng) {
    auto sql = BuildRunSearchSql(query);
    EXPECT_TRUE(sql.ok()) << sql.status().ToString();
    std::vector<std::string> ids;
    if (!sql.ok()) return ids;
    std::string token;
    Status status = store_->Read([&](store::Session& s) -> Status {
      for (int pages = 0; pages <= static_cast<int>(runs_.size()) + 1; ++pages) {
        const MetricWalkBudget& budget =
            kBudgets[std::uniform_int_distribution<size_t>(0, kBudgets.size() - 1)(rng)];
        KILN_ASSIGN_OR_RETURN(Page<store::Row> page, ReadRunSearchPage(s, *sql, query.max_results,
                                                                       token, budget, &trace_));
        for (const store::Row& row : page.items) ids.push_back(RunInfoFromRow(row).run_id);
        if (page.next_page_token.empty()) break;
        token = page.next_page_token;
      }
      return Status::Ok();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return ids;
  }

  fs::path dir_;
  std::unique_ptr<store::MetaStore> store_;
  std::unique_ptr<TrackingService> service_;
  std::vector<std::string> experiments_;
  std::vector<RunModel> runs_;
  RunSearchTrace trace_;
};

TEST_F(RunSearchOrderTest, EveryOrderFilterScopeViewAndPageSizeMatchesTheReference) {
  Populate(120, 7);
  std::mt19937 rng(11);
  const std::vector<int64_t> page_sizes = {1, 3, 7, 16, 50, 1000};
  const std::vector<std::vector<std::string>> scopes = {
      {experiments_[0]}, {experiments_[0], experiments_[1]}, {}};
  size_t combination = 0;
  size_t compared = 0;
  for (const std::vector<std::string>& order_by : kOrders) {
    for (const FilterCase& filter : Filters()) {
      for (const std::vector<std::string>& scope : scopes) {
        for (ViewType view : {ViewType::kActiveOnly, ViewType::kDeletedOnly, ViewType::kAll}) {
          RunQuery query;
          query.experiment_ids = scope;
          query.filter = filter.text;
          query.order_by = order_by;
          query.view = view;
          const std::vector<std::string> expected = Expected(query, filter);
          compared += expected.size();
          std::string what = "filter '" + filter.text + "', order_by";
          for (const std::string& o : order_by) what += " '" + o + "'";
          what += ", " + std::to_string(scope.size()) + " experiments, view " +
                  std::to_string(static_cast<int>(view));
          // Each combination gets one page size; the sizes take turns.
          query.max_results = page_sizes[combination++ % page_sizes.size()];
          ASSERT_EQ(PageThroughBudgets(query, rng), expected)
              << what << ", pages of " << query.max_results;
          // The public call, which also loads every run's data: for a share of them too.
          if (combination % 5 != 0) continue;
          query.max_results = page_sizes[(combination / 5) % page_sizes.size()];
          ASSERT_EQ(PageThroughService(query), expected)
              << what << ", pages of " << query.max_results << " through SearchRuns";
        }
      }
    }
  }
  EXPECT_GT(compared, 20000u);
  // Both statement shapes answered pages, and the walk both succeeded and gave up.
  EXPECT_GT(trace_.walks, 1000);
  EXPECT_GT(trace_.walks_too_short, 100);
  EXPECT_GT(trace_.without_value, 100);
  EXPECT_GT(trace_.general, 1000);
}

// With the default budget, the benchmark's query shapes are answered by the walk alone, and
// a filter keeping few of the best runs falls back to the general statement once.
TEST_F(RunSearchOrderTest, DefaultBudgetWalksForThePageAndFallsBackForRareMatches) {
  Populate(1500, 3);
  auto read = [&](const std::string& filter, const std::string& order, RunSearchTrace& trace) {
    RunQuery query;
    query.experiment_ids = {experiments_[0]};
    query.filter = filter;
    query.order_by = {order};
    query.max_results = 100;
    auto sql = BuildRunSearchSql(query);
    ASSERT_TRUE(sql.ok());
    ASSERT_TRUE(store_
                    ->Read([&](store::Session& s) -> Status {
                      return ReadRunSearchPage(s, *sql, 100, "", {}, &trace).status();
                    })
                    .ok());
  };
  RunSearchTrace fast;
  read("metrics.acc > 0.5", "metrics.acc DESC", fast);
  read("", "metrics.acc DESC", fast);
  EXPECT_EQ(fast.walks, 2);
  EXPECT_EQ(fast.general, 0);
  EXPECT_EQ(fast.walks_too_short, 0);
  RunSearchTrace rare;
  read("attributes.status = 'FINISHED' AND tags.team = 'x'", "metrics.acc DESC", rare);
  EXPECT_EQ(rare.walks, 1);
  EXPECT_EQ(rare.walks_too_short, 1);
  EXPECT_EQ(rare.general, 1);
}

}  // namespace
}  // namespace kiln::tracking
