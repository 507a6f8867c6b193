#include "http/stream_writer.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <utility>

namespace kiln::http {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// A client that takes longer than this to accept one write is dropped.
constexpr auto kWriteTimeout = std::chrono::seconds(60);
// After the last chunk, the client gets this long to close first (see session.cc: closing
// with unread input resets the connection).
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr std::string_view kLastChunk = "0\r\n\r\n";

void AppendChunk(std::string_view data, std::string& out) {
  char size[20];
  int n = std::snprintf(size, sizeof(size), "%zx\r\n", data.size());
  out.append(size, static_cast<size_t>(n));
  out.append(data);
  out.append("\r\n");
}

class StreamWriter : public std::enable_shared_from_this<StreamWriter> {
 public:
  StreamWriter(Socket socket, bool chunked, std::shared_ptr<StreamChannel> channel,
               ConnectionLimiter::Slot slot)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        chunked_(chunked),
        channel_(std::move(channel)),
        slot_(std::move(slot)) {}

  void Start(std::string head);

 private:
  void Drain();
  void Write();
  void OnWritten(error_code ec);
  void WatchForClose();
  void FinishAndLinger();
  void Close();

  Socket socket_;
  asio::steady_timer timer_;  // the current write's deadline, then the linger
  const bool chunked_;
  std::shared_ptr<StreamChannel> channel_;
  ConnectionLimiter::Slot slot_;  // the connection counts until the writer goes
  std::string out_;               // the bytes being written
  char read_byte_ = 0;
  bool writing_ = false;
  bool ending_ = false;  // the last bytes are queued
  bool closed_ = false;
};

void StreamWriter::Start(std::string head) {
  out_ = std::move(head);
  Write();
  WatchForClose();
  std::weak_ptr<StreamWriter> weak = weak_from_this();
  auto executor = socket_.get_executor();
  // The pump calls this on its thread; a weak reference, so a queued wake-up never keeps a
  // closed connection alive.
  channel_->SetWaker([weak, executor] {
    asio::post(executor, [weak] {
      if (auto self = weak.lock()) self->Drain();
    });
  });
}

void StreamWriter::Drain() {
  if (writing_ || closed_ || ending_) return;
  bool ended = false;
  std::string data = channel_->TakeAll(&ended);
  out_.clear();
  if (!data.empty()) {
    if (chunked_) {
      AppendChunk(data, out_);
    } else {
      out_ = std::move(data);
    }
  }
  if (ended) {
    ending_ = true;
    if (chunked_) out_.append(kLastChunk);
  }
  if (!out_.empty()) return Write();
  if (ending_) FinishAndLinger();
}

void StreamWriter::Write() {
  writing_ = true;
  timer_.expires_after(kWriteTimeout);
  timer_.async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->Close();  // the client stopped reading
  });
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this()](error_code ec, size_t) { self->OnWritten(ec); });
}

void StreamWriter::OnWritten(error_code ec) {
  writing_ = false;
  timer_.cancel();
  if (ec) return Close();
  if (ending_) return FinishAndLinger();
  Drain();
}

void StreamWriter::WatchForClose() {
  // An event-stream client sends nothing after its request, so any read completing with
  // an error (EOF included) means it went away; stray bytes are ignored.
  socket_.async_read_some(asio::buffer(&read_byte_, 1),
                          [self = shared_from_this()](error_code ec, size_t) {
                            if (ec) return self->Close();
                            if (!self->closed_) self->WatchForClose();
                          });
}

void StreamWriter::FinishAndLinger() {
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  channel_->Close();
  timer_.expires_after(kLingerTimeout);
  timer_.async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->Close();
  });
}

void StreamWriter::Close() {
  if (closed_) return;
  closed_ = true;
  channel_->Close();
  timer_.cancel();
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

}  // namespace

void StartStreamWriter(Socket socket, std::string head, bool chunked,
                       std::shared_ptr<StreamChannel> channel, ConnectionLimiter::Slot slot) {
  auto writer = std::make_shared<StreamWriter>(std::move(socket), chunked, std::move(channel),
                                               std::move(slot));
  writer->Start(std::move(head));
}

}  // namespace kiln::http
