#include "cli/run_view.h"

#include <fmt/format.h>

#include <sstream>

namespace kiln::cli {
namespace {

using exec::RunEvent;
using pipeline::RunState;

std::string Seconds(int64_t ms) { return fmt::format("{:.2f} s", static_cast<double>(ms) / 1000); }

std::string Indented(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out += "      | " + line + "\n";
  return out;
}

std::string Describe(const std::string& label, const RunEvent& e) {
  const std::string who = label.empty() ? e.step : label + " " + e.step;
  switch (e.kind) {
    case RunEvent::Kind::kStepStarted:
      return fmt::format("  started    {}{}", who,
                         e.attempt > 1 ? fmt::format(" (attempt {})", e.attempt) : "");
    case RunEvent::Kind::kStepRetrying:
      return fmt::format("  retrying   {}  after attempt {}: {}", who, e.attempt, e.message);
    case RunEvent::Kind::kRunFinished:
      return fmt::format("{}run {} {}{}", label.empty() ? "" : label + ": ",
                         pipeline::RunStateName(e.state), Seconds(e.elapsed_ms),
                         e.message.empty() ? "" : " - " + e.message);
    case RunEvent::Kind::kStepFinished:
      break;
  }
  switch (e.state) {
    case RunState::kSucceeded:
      return fmt::format("  succeeded  {}  {}", who, Seconds(e.elapsed_ms));
    case RunState::kCached:
      return fmt::format("  cached     {}", who);
    case RunState::kFailed:
      return fmt::format("  FAILED     {}  {}\n{}", who, e.message, Indented(e.log_tail));
    case RunState::kSkipped:
      return fmt::format("  skipped    {}  ({})", who, e.message);
    default:
      return fmt::format("  {:<10} {}  {}", pipeline::RunStateName(e.state), who, e.message);
  }
}

}  // namespace

RunView::RunView(std::FILE* out, bool live, size_t total_steps)
    : out_(out), live_(live), total_steps_(total_steps), start_(std::chrono::steady_clock::now()) {}

void RunView::OnEvent(const std::string& label, const RunEvent& event) {
  MutexLock lock(mu_);
  if (event.kind == RunEvent::Kind::kStepStarted && event.attempt <= 1) ++running_;
  if (event.kind == RunEvent::Kind::kStepFinished) {
    if (event.state != RunState::kCached && event.state != RunState::kSkipped && running_ > 0 &&
        event.attempt > 0) {
      --running_;
    }
    if (event.state == RunState::kSucceeded) ++succeeded_;
    if (event.state == RunState::kCached) ++cached_;
    if (event.state == RunState::kFailed) ++failed_;
    if (event.state == RunState::kSkipped || event.state == RunState::kCancelled) ++skipped_;
  }
  PrintLine(Describe(label, event));
}

void RunView::Tick() {
  MutexLock lock(mu_);
  if (!live_ || closed_) return;
  std::fprintf(out_, "\r\033[K%s", StatusLine().c_str());
  std::fflush(out_);
}

void RunView::Close() {
  MutexLock lock(mu_);
  if (live_ && !closed_) std::fprintf(out_, "\r\033[K");
  closed_ = true;
  std::fflush(out_);
}

void RunView::PrintLine(const std::string& line) {
  if (live_ && !closed_) std::fprintf(out_, "\r\033[K");
  std::string text = line;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  std::fprintf(out_, "%s\n", text.c_str());
  if (live_ && !closed_) std::fprintf(out_, "%s", StatusLine().c_str());
  std::fflush(out_);
}

std::string RunView::StatusLine() const {
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start_)
                           .count();
  const size_t done = succeeded_ + cached_ + failed_ + skipped_;
  return fmt::format("[{}] {}/{} steps done: {} running, {} succeeded, {} cached, {} failed",
                     Seconds(elapsed), done, total_steps_, running_, succeeded_, cached_, failed_);
}

}  // namespace kiln::cli
