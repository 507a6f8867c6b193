// RunWatcher: follows pipeline runs until each is final and turns their changes into view
// events. A run the server is executing is followed through its long-polled change feed
// (GET .../changes), which reports each event as it happens; any other run is polled
// (GET /api/v1/pipeline-runs/{id}) and its step states compared between polls.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cli/api_caller.h"
#include "cli/run_view.h"

namespace kiln::cli {

// A run to follow: its id and the label the view prints with its events ("" for one run).
struct WatchedRun {
  std::string run_id;
  std::string label;
};

class RunWatcher {
 public:
  // `poll_interval` paces polled runs; `interrupted` is asked every round, and once it says
  // true every run is sent a cancel (once) and still followed to its end.
  RunWatcher(ApiCaller& api, RunView& view, std::chrono::milliseconds poll_interval,
             std::function<bool()> interrupted);

  // Follows until every run is final and returns the runs as GET returns them, in order.
  // Errors: those of the API calls.
  Result<std::vector<nlohmann::json>> Follow(const std::vector<WatchedRun>& runs);

 private:
  struct Followed {
    WatchedRun run;
    size_t next_event = 0;  // the change feed's cursor
    bool live = true;       // false: polled instead
    bool final = false;
    nlohmann::json last;  // the last polled state
  };

  void CancelAll(const std::vector<Followed>& runs);
  Status FollowChanges(Followed& run, std::chrono::milliseconds wait);
  Status PollState(Followed& run);
  void DiffStep(const Followed& run, const nlohmann::json* old, const nlohmann::json& step);
  std::string LogTail(const std::string& run_id, const std::string& step);

  ApiCaller& api_;
  RunView& view_;
  const std::chrono::milliseconds poll_interval_;
  const std::function<bool()> interrupted_;
};

}  // namespace kiln::cli
