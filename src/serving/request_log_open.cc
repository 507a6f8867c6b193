// RequestLog::Open: replays the segments and the feedback into the index, the segment table
// and the quality sums, cutting off records torn by a kill.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "serving/request_log.h"
#include "serving/request_log_state.h"

namespace kiln::serving {
namespace {

namespace fs = std::filesystem;

// Writer lanes are one per core up to this: each indexes up to max_indexed_requests.
constexpr unsigned kMaxLanes = 4;

// Numbers of the files named requests-NNNNNNNN.jsonl in `dir`, ascending.
Result<std::vector<uint32_t>> ListSegments(const std::string& dir) {
  std::vector<uint32_t> numbers;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    unsigned number = 0;
    char tail[8] = {};
    if (name.size() == 23 && std::sscanf(name.c_str(), "requests-%8u.%5s", &number, tail) == 2 &&
        std::string(tail) == "jsonl") {
      numbers.push_back(number);
    }
  }
  if (ec) return Internal("cannot list " + dir + ": " + ec.message());
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

// The replay runs in Open, before the state is shared with any other thread, so it takes no
// locks; the analysis is off for it and for Open.
Status ReplaySegment(RequestLog::State& s, uint32_t number) NO_THREAD_SAFETY_ANALYSIS {
  SegmentInfo info;
  info.number = number;
  info.path = s.SegmentPath(number);
  KILN_ASSIGN_OR_RETURN(std::string contents, ReadWholeFile(info.path));
  KILN_ASSIGN_OR_RETURN(uint64_t torn, DropTornTail(info.path, contents, IsWholeRequestLine));
  if (torn > 0) {
    spdlog::warn("request log: cut {} bytes left by a kill (unused room or a torn record) off {}",
                 torn, info.path);
  }
  s.torn_bytes += torn;
  s.segments.push_back(std::move(info));
  SegmentInfo& segment = s.segments.back();
  RequestIndex& index = s.lanes.front()->index;  // replayed requests all go to the first lane
  size_t skipped = 0;
  ForEachLine(contents, [&](std::string_view line, uint64_t offset) NO_THREAD_SAFETY_ANALYSIS {
    auto header = ParseRequestHeader(line);
    if (!header.ok()) {
      ++skipped;
      return;
    }
    segment.Note(header->time_ms, header->deployment, offset, line.size());
    index.Add(header->request_id, RecordLocation{number, static_cast<uint32_t>(offset),
                                                 static_cast<uint32_t>(line.size())});
  });
  segment.bytes = contents.size();
  if (skipped > 0) {
    spdlog::warn("request log: skipped {} unreadable lines of {}", skipped, s.SegmentPath(number));
  }
  s.skipped_lines += skipped;
  return Status::Ok();
}

Status ReplayFeedback(RequestLog::State& s) NO_THREAD_SAFETY_ANALYSIS {
  const std::string path = s.dir + "/feedback.jsonl";
  std::error_code ec;
  if (fs::exists(path, ec)) {
    KILN_ASSIGN_OR_RETURN(std::string contents, ReadWholeFile(path));
    KILN_ASSIGN_OR_RETURN(uint64_t torn, DropTornTail(path, contents, [](std::string_view line) {
                            return ParseFeedbackLine(line).ok();
                          }));
    if (torn > 0) spdlog::warn("request log: cut a torn feedback of {} bytes off {}", torn, path);
    s.torn_bytes += torn;
    ForEachLine(contents, [&](std::string_view line, uint64_t) NO_THREAD_SAFETY_ANALYSIS {
      auto record = ParseFeedbackLine(line);
      if (!record.ok()) {
        ++s.skipped_lines;
        return;
      }
      s.ReplayFeedback(*record);
    });
  }
  KILN_ASSIGN_OR_RETURN(AppendOnlyFile file, AppendOnlyFile::Open(path));
  s.feedback.emplace(std::move(file));
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<RequestLog>> RequestLog::Open(
    const std::string& dir, RequestLogOptions options) NO_THREAD_SAFETY_ANALYSIS {
  if (options.segment_bytes == 0 || options.segment_bytes > (uint64_t{1} << 30)) {
    return InvalidArgument("segment_bytes must be between 1 and 1 GiB");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create " + dir + ": " + ec.message());
  auto state = std::make_unique<State>();
  KILN_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(dir + "/LOCK"));
  state->lock.emplace(std::move(lock));
  state->dir = dir;
  state->options = options;
  // A lane per core, up to kMaxLanes; each starts its segment on its first append.
  const unsigned lanes = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxLanes);
  for (unsigned i = 0; i < lanes; ++i) {
    state->lanes.push_back(std::make_unique<WriterLane>());
    state->lanes.back()->index = RequestIndex(options.max_indexed_requests);
  }
  KILN_ASSIGN_OR_RETURN(std::vector<uint32_t> numbers, ListSegments(dir));
  for (uint32_t number : numbers) KILN_RETURN_IF_ERROR(ReplaySegment(*state, number));
  if (!numbers.empty()) state->next_segment = numbers.back() + 1;
  // The newest segment goes on filling: it becomes the first lane's.
  if (!state->segments.empty()) {
    WriterLane& first = *state->lanes.front();
    KILN_ASSIGN_OR_RETURN(MappedSegment file,
                          MappedSegment::Open(state->segments.back().path, options.segment_bytes));
    first.active.emplace(std::move(file));
    first.info = std::move(state->segments.back());
    state->segments.pop_back();
  }
  KILN_RETURN_IF_ERROR(ReplayFeedback(*state));
  return std::unique_ptr<RequestLog>(new RequestLog(std::move(state)));
}

}  // namespace kiln::serving
