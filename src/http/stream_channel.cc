#include "http/stream_channel.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

namespace kiln::http {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A client this far behind holds up the producer rather than the server's memory.
constexpr size_t kMaxBufferedBytes = 256 * 1024;
// Upper bound of one producer wait, so the pump notices a gone client or a stop quickly.
constexpr milliseconds kPollSlice{250};

}  // namespace

bool StreamChannel::Push(std::string chunk, std::stop_token stop) {
  {
    MutexLock lock(mu_);
    lock.Wait(space_, stop,
              [this]() REQUIRES(mu_) { return closed_ || bytes_ < kMaxBufferedBytes; });
    if (closed_ || stop.stop_requested()) return false;
    bytes_ += chunk.size();
    chunks_.push_back(std::move(chunk));
  }
  Wake();
  return true;
}

void StreamChannel::End() {
  {
    MutexLock lock(mu_);
    ended_ = true;
  }
  Wake();
}

bool StreamChannel::closed() const {
  MutexLock lock(mu_);
  return closed_;
}

void StreamChannel::SetWaker(std::function<void()> wake) {
  bool pending;
  {
    MutexLock lock(mu_);
    wake_ = std::move(wake);
    pending = !chunks_.empty() || ended_;
  }
  if (pending) Wake();
}

std::string StreamChannel::TakeAll(bool* ended) {
  std::string out;
  {
    MutexLock lock(mu_);
    out.reserve(bytes_);
    for (std::string& chunk : chunks_) out += chunk;
    chunks_.clear();
    bytes_ = 0;
    *ended = ended_;
  }
  space_.notify_all();
  return out;
}

void StreamChannel::Close() {
  {
    MutexLock lock(mu_);
    closed_ = true;
    chunks_.clear();
    bytes_ = 0;
    wake_ = nullptr;
  }
  space_.notify_all();
}

void StreamChannel::Wake() {
  std::function<void()> wake;
  {
    MutexLock lock(mu_);
    wake = wake_;
  }
  if (wake) wake();
}

namespace {

// How long the producer may wait before a heartbeat falls due, within one poll slice.
milliseconds NextWait(const StreamBody& body, Clock::time_point last_write) {
  if (body.heartbeat.empty()) return kPollSlice;
  auto due = last_write + body.heartbeat_every - Clock::now();
  auto wait = std::chrono::duration_cast<milliseconds>(due);
  return std::clamp(wait, milliseconds(1), kPollSlice);
}

void Pump(std::stop_token stop, const StreamBody& body, StreamChannel& channel) {
  Clock::time_point last_write = Clock::now();
  while (!stop.stop_requested() && !channel.closed()) {
    std::optional<std::string> chunk = body.producer->Next(NextWait(body, last_write));
    if (!chunk) return channel.End();
    if (chunk->empty()) {
      if (body.heartbeat.empty() || Clock::now() - last_write < body.heartbeat_every) continue;
      *chunk = body.heartbeat;
    }
    last_write = Clock::now();
    if (!channel.Push(std::move(*chunk), stop)) return;
  }
}

}  // namespace

void PumpStream(std::stop_token stop, StreamBody body, std::shared_ptr<StreamChannel> channel) {
  try {
    Pump(stop, body, *channel);
  } catch (const std::exception& e) {
    // The client sees the body end early; the server carries on.
    spdlog::error("event stream producer threw: {}", e.what());
    channel->End();
  }
  body.producer.reset();
}

}  // namespace kiln::http
