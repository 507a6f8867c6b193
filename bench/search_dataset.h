// The search dataset: one experiment of N runs (default 100,000; KILN_BENCH_SEARCH_RUNS
// overrides), each with metrics acc, loss and f1 and params lr, depth and seed, written
// through TrackingService. acc is uniform in [0, 1) from a fixed seed, so the filter
// "metrics.acc > 0.9" matches about 10% of the runs. Populated once and cached in
// /tmp/kiln-bench-search-N-v1 (KILN_BENCH_SEARCH_DIR overrides) so reruns start at once;
// a folder without its completion marker is rebuilt.
#pragma once

#include <cstdint>
#include <string>

#include "tracking/tracking_service.h"

namespace kiln::bench {

struct SearchDataset {
  std::string data_dir;       // a Kiln data folder: kiln.db (+ artifacts/)
  std::string experiment_id;  // the experiment holding the runs
  int64_t runs = 0;
};

// The dataset, populated on first use (dies on failure). Thread-safe.
const SearchDataset& GetSearchDataset();
// An in-process TrackingService over the dataset's database.
tracking::TrackingService& SearchTracking();

}  // namespace kiln::bench
