// StreamChannel: hands the chunks of a streamed response from its stream thread (the pump,
// which calls the producer) to the connection's writer on an I/O thread. Internal to http/.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

#include "common/mutex.h"
#include "http/event_stream.h"

namespace kiln::http {

// Thread-safe; shared by the pump and the writer.
class StreamChannel {
 public:
  // Pump side. Queues `chunk` and wakes the writer; blocks while the writer is more than
  // a buffer behind (a slow client). False when the writer closed or `stop` fired.
  bool Push(std::string chunk, std::stop_token stop);
  // Pump side. No more chunks come; wakes the writer.
  void End();
  // Pump side. True once the writer closed: the client went away.
  bool closed() const;

  // Writer side. `wake` is called (on the pump's thread) whenever there is something new
  // to take; it must only post work. Calls it at once if something is already queued.
  void SetWaker(std::function<void()> wake);
  // Writer side. Everything queued so far, concatenated; sets `*ended` when the body is
  // complete and nothing is left.
  std::string TakeAll(bool* ended);
  // Writer side. The connection is gone; Push returns false from now on.
  void Close();

 private:
  void Wake() EXCLUDES(mu_);

  mutable Mutex mu_;
  std::condition_variable_any space_;
  std::deque<std::string> chunks_ GUARDED_BY(mu_);
  size_t bytes_ GUARDED_BY(mu_) = 0;
  bool ended_ GUARDED_BY(mu_) = false;
  bool closed_ GUARDED_BY(mu_) = false;
  std::function<void()> wake_ GUARDED_BY(mu_);
};

// The body of a stream thread: pulls `body.producer` into `channel`, adding heartbeats,
// until the body ends, the channel closes or `stop` fires. Releases the producer before
// returning.
void PumpStream(std::stop_token stop, StreamBody body, std::shared_ptr<StreamChannel> channel);

}  // namespace kiln::http
