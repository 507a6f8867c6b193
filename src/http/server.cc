#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "http/session.h"
#include "http/stream_pool.h"

namespace kiln::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router)
      : options_(std::move(options)), router_(router), streams_(options_.max_streams) {}

  Result<uint16_t> Start();
  void Stop();

 private:
  Result<tcp::endpoint> Resolve();
  Status Listen(const tcp::endpoint& endpoint);
  void Accept();
  void OnAccept(boost::system::error_code ec, StrandSocket socket);
  void RetryAcceptLater();
  void Run();
  std::string Address() const { return options_.host + ":" + std::to_string(options_.port); }

  const ServerOptions options_;
  const Router& router_;
  std::mutex mutex_;  // serializes Start and Stop
  bool started_ = false;
  bool stopped_ = false;
  std::unique_ptr<asio::io_context> io_context_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::steady_timer> retry_timer_;
  std::vector<std::thread> threads_;
  StreamPool streams_;
};

Result<uint16_t> Server::Impl::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_) return FailedPrecondition("server already started");
  if (stopped_) return FailedPrecondition("server was stopped; create a new one");
  int threads = options_.threads > 0 ? options_.threads
                                     : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  io_context_ = std::make_unique<asio::io_context>(threads);
  Result<tcp::endpoint> endpoint = Resolve();
  Status status = endpoint.ok() ? Listen(*endpoint) : endpoint.status();
  if (!status.ok()) {
    acceptor_.reset();
    io_context_.reset();
    return status;
  }
  uint16_t port = acceptor_->local_endpoint().port();
  retry_timer_ = std::make_unique<asio::steady_timer>(*io_context_);
  Accept();
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
  started_ = true;
  return port;
}

Result<tcp::endpoint> Server::Impl::Resolve() {
  boost::system::error_code ec;
  tcp::resolver resolver(*io_context_);
  auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Unavailable("cannot listen on " + Address() + ": " +
                       (ec ? ec.message() : std::string("host not found")));
  }
  return results.begin()->endpoint();
}

Status Server::Impl::Listen(const tcp::endpoint& endpoint) {
  acceptor_ = std::make_unique<tcp::acceptor>(asio::make_strand(*io_context_));
  boost::system::error_code ec;
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Unavailable("cannot listen on " + Address() + ": " + ec.message());
  return Status::Ok();
}

void Server::Impl::Accept() {
  // Each connection gets its own strand: the stream's timeout timer and its I/O must
  // not run concurrently when several threads run the io_context.
  acceptor_->async_accept(asio::make_strand(*io_context_),
                          [this](boost::system::error_code ec, StrandSocket socket) {
                            OnAccept(ec, std::move(socket));
                          });
}

void Server::Impl::OnAccept(boost::system::error_code ec, StrandSocket socket) {
  if (ec == asio::error::operation_aborted) return;
  if (ec) {
    // Typically out of file descriptors; retrying at once would spin.
    spdlog::warn("accept on {} failed: {}", Address(), ec.message());
    RetryAcceptLater();
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  StartSession(std::move(socket), router_, options_, streams_);
  Accept();
}

void Server::Impl::RetryAcceptLater() {
  retry_timer_->expires_after(std::chrono::milliseconds(50));
  retry_timer_->async_wait([this](boost::system::error_code ec) {
    if (!ec) Accept();
  });
}

void Server::Impl::Run() {
  // Handlers are guarded by the router, but an exception escaping elsewhere must cost
  // one connection, not the process.
  while (true) {
    try {
      io_context_->run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http server thread caught: {}", e.what());
    }
  }
}

void Server::Impl::Stop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopped_) return;
  stopped_ = true;
  if (!started_) return;
  io_context_->stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  // Before the io_context goes: the stream threads post to it and hold its strands.
  streams_.StopAll();
  boost::system::error_code ec;
  acceptor_->close(ec);
  acceptor_.reset();
  retry_timer_.reset();
  // Destroying the io_context destroys the pending handlers and with them the sessions
  // they own, which closes every open connection.
  io_context_.reset();
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Start() { return impl_->Start(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace kiln::http
