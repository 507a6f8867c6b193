#include "exec/artifact_lineage.h"

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

namespace kiln::exec {
namespace {

using pipeline::LineageEdge;
using pipeline::PipelineRunRecord;
using pipeline::StepRecord;

const StepRecord* FindStep(const PipelineRunRecord& run, const std::string& name) {
  for (const StepRecord& step : run.steps) {
    if (step.step == name) return &step;
  }
  return nullptr;
}

// The name of `step`'s output with `digest`; "" when it has none.
std::string OutputWith(const StepRecord& step, const std::string& digest) {
  for (const pipeline::StepOutput& output : step.outputs) {
    if (output.digest == digest) return output.name;
  }
  return "";
}

// The first step of `run`, other than `except`, with a tracking run and an output `digest`.
const StepRecord* ProducerIn(const PipelineRunRecord& run, const std::string& digest,
                             const std::string& except) {
  for (const StepRecord& step : run.steps) {
    if (step.step != except && !step.run_id.empty() && !OutputWith(step, digest).empty()) {
      return &step;
    }
  }
  return nullptr;
}

// What a step run's tracking tags say about it.
struct StepRunFacts {
  std::string pipeline_run_id;  // mlflow.parentRunId
  std::string step;             // kiln.step
  std::string cache_key;        // kiln.cache_key
  bool cached = false;          // kiln.cached = true, or a kiln.cached_from
};

class Tracer {
 public:
  Tracer(pipeline::RunRecords& records, tracking::TrackingService& tracking)
      : records_(records), tracking_(tracking) {}

  // The pipeline run `run_id` is or belongs to; nullopt when neither.
  Result<std::optional<std::string>> PipelineRunOf(const std::string& run_id) {
    KILN_ASSIGN_OR_RETURN(const PipelineRunRecord* run, Load(run_id));
    if (run != nullptr) return std::optional<std::string>(run_id);
    KILN_ASSIGN_OR_RETURN(std::optional<StepRunFacts> facts, Facts(run_id));
    if (!facts || facts->pipeline_run_id.empty()) return std::optional<std::string>();
    return std::optional<std::string>(facts->pipeline_run_id);
  }

  Status Trace(const std::string& pipeline_run_id, const std::string& digest) {
    KILN_ASSIGN_OR_RETURN(const PipelineRunRecord* run, Load(pipeline_run_id));
    if (run == nullptr) return Status::Ok();
    const StepRecord* producer = ProducerIn(*run, digest, "");
    if (producer == nullptr) return Status::Ok();
    std::deque<Pending> pending{{run, producer, digest}};
    while (!pending.empty()) {
      Pending item = pending.front();
      pending.pop_front();
      KILN_RETURN_IF_ERROR(Visit(item, pending));
    }
    return Status::Ok();
  }

  ArtifactLineage Take() { return std::move(lineage_); }

 private:
  // A step of a run whose output `digest` the graph needs.
  struct Pending {
    const PipelineRunRecord* run;
    const StepRecord* step;
    std::string digest;
  };
  using Located = std::pair<const PipelineRunRecord*, const StepRecord*>;

  // Shows the step run that computed `item`'s results (Origin) and follows the inputs `item`'s
  // own run fed it: a cached step of this run read what this run's upstream steps wrote, which
  // may have come from elsewhere (a dataset) than the origin's (a file with the same bytes).
  Status Visit(const Pending& item, std::deque<Pending>& pending) {
    KILN_ASSIGN_OR_RETURN(Located origin, Origin({item.run, item.step}));
    const auto [origin_run, step] = origin;
    AddEdge({"step_run", step->run_id, "artifact", item.digest,
             "output:" + OutputWith(*item.step, item.digest)});
    if (!visited_.insert(step->run_id).second) return Status::Ok();
    KILN_ASSIGN_OR_RETURN(int64_t reused_by, CountReuses(*step));
    lineage_.steps.push_back({step->run_id, origin_run->run_id, origin_run->pipeline_name,
                              step->step, step->started_ms, reused_by});
    KILN_ASSIGN_OR_RETURN(std::vector<LineageEdge> edges,
                          records_.Lineage("step_run", item.step->run_id));
    for (LineageEdge edge : edges) {
      if (edge.dst_kind != "step_run" || edge.dst_id != item.step->run_id) continue;
      edge.dst_id = step->run_id;
      AddEdge(edge);
      if (edge.src_kind != "artifact") continue;
      const StepRecord* upstream = ProducerIn(*item.run, edge.src_id, item.step->step);
      if (upstream != nullptr) pending.push_back({item.run, upstream, edge.src_id});
    }
    return Status::Ok();
  }

  // The step run that computed `at`'s results: itself, or for a cached step the first step
  // run with the same cache key that was not cached and wrote the same output.
  Result<Located> Origin(Located at) {
    const StepRecord& step = *at.second;
    if (!step.cached || step.outputs.empty()) return at;
    KILN_ASSIGN_OR_RETURN(std::vector<std::string> producers,
                          ProducersOf(step.outputs.front().digest));
    for (const std::string& run_id : producers) {
      KILN_ASSIGN_OR_RETURN(std::optional<StepRunFacts> facts, Facts(run_id));
      if (!facts || facts->cached || facts->cache_key != step.cache_key) continue;
      KILN_ASSIGN_OR_RETURN(const PipelineRunRecord* run, Load(facts->pipeline_run_id));
      const StepRecord* original = run == nullptr ? nullptr : FindStep(*run, facts->step);
      if (original != nullptr && original->run_id == run_id) return Located{run, original};
    }
    return at;
  }

  // How many cached step runs with `step`'s cache key wrote its first output.
  Result<int64_t> CountReuses(const StepRecord& step) {
    if (step.outputs.empty() || step.cache_key.empty()) return int64_t{0};
    KILN_ASSIGN_OR_RETURN(std::vector<std::string> producers,
                          ProducersOf(step.outputs.front().digest));
    int64_t count = 0;
    for (const std::string& run_id : producers) {
      KILN_ASSIGN_OR_RETURN(std::optional<StepRunFacts> facts, Facts(run_id));
      if (facts && facts->cached && facts->cache_key == step.cache_key) ++count;
    }
    return count;
  }

  // The step runs with an output `digest`, oldest first (any pipeline: filtered by callers).
  Result<std::vector<std::string>> ProducersOf(const std::string& digest) {
    KILN_ASSIGN_OR_RETURN(std::vector<LineageEdge> edges, records_.Lineage("artifact", digest));
    std::vector<std::string> run_ids;
    for (const LineageEdge& e : edges) {
      if (e.src_kind == "step_run" && e.dst_kind == "artifact" && e.dst_id == digest &&
          e.label.rfind("output:", 0) == 0) {
        run_ids.push_back(e.src_id);
      }
    }
    return run_ids;
  }

  // The tags of step run `run_id` (read once); nullopt when the run does not exist.
  Result<std::optional<StepRunFacts>> Facts(const std::string& run_id) {
    auto found = facts_.find(run_id);
    if (found != facts_.end()) return found->second;
    Result<tracking::Run> run = tracking_.GetRun(run_id);
    std::optional<StepRunFacts> facts;
    if (run.ok()) {
      facts.emplace();
      for (const tracking::Tag& tag : run->tags) {
        if (tag.key == "mlflow.parentRunId") facts->pipeline_run_id = tag.value;
        if (tag.key == "kiln.step") facts->step = tag.value;
        if (tag.key == "kiln.cache_key") facts->cache_key = tag.value;
        if (tag.key == "kiln.cached_from" || (tag.key == "kiln.cached" && tag.value == "true")) {
          facts->cached = true;
        }
      }
    } else if (run.status().code() != StatusCode::kNotFound) {
      return run.status();
    }
    return facts_.emplace(run_id, facts).first->second;
  }

  // The pipeline run `id` (loaded once), or nullptr when it does not exist.
  Result<const PipelineRunRecord*> Load(const std::string& id) {
    auto found = runs_.find(id);
    if (found != runs_.end()) return found->second ? &*found->second : nullptr;
    Result<PipelineRunRecord> run = records_.Get(id);
    if (!run.ok() && run.status().code() != StatusCode::kNotFound) return run.status();
    auto& slot = runs_[id];
    if (run.ok()) slot = std::move(*run);
    return slot ? &*slot : nullptr;
  }

  void AddEdge(const LineageEdge& e) {
    if (edge_keys_.insert({e.src_kind, e.src_id, e.dst_kind, e.dst_id, e.label}).second) {
      lineage_.edges.push_back(e);
    }
  }

  pipeline::RunRecords& records_;
  tracking::TrackingService& tracking_;
  std::map<std::string, std::optional<PipelineRunRecord>> runs_;  // node-based: stable pointers
  std::map<std::string, std::optional<StepRunFacts>> facts_;
  std::set<std::string> visited_;  // step run ids already in the graph
  std::set<std::tuple<std::string, std::string, std::string, std::string, std::string>> edge_keys_;
  ArtifactLineage lineage_;
};

}  // namespace

Result<ArtifactLineage> TraceArtifact(pipeline::RunRecords& records,
                                      tracking::TrackingService& tracking,
                                      const std::string& run_id, const std::string& digest) {
  Tracer tracer(records, tracking);
  KILN_ASSIGN_OR_RETURN(std::optional<std::string> pipeline_run, tracer.PipelineRunOf(run_id));
  if (pipeline_run) KILN_RETURN_IF_ERROR(tracer.Trace(*pipeline_run, digest));
  return tracer.Take();
}

}  // namespace kiln::exec
