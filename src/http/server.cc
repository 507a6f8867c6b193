#include "http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "http/connection_limiter.h"
#include "http/log_throttle.h"
#include "http/request_guard.h"
#include "http/response_head.h"
#include "http/session.h"
#include "http/stream_pool.h"

namespace kiln::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Refusals and failed accepts come in floods: one log line per period at most.
constexpr auto kLogPeriod = std::chrono::seconds(10);

// The whole answer to a connection over a cap, sent before closing it.
std::string RefusalAnswer(const std::string& message) {
  Response response = Response::Error(503, "TEMPORARILY_UNAVAILABLE", message);
  std::string out;
  AppendResponseHead(response, 503, 11, false, response.body.size(), out);
  return out + response.body;
}

Status Validate(const ServerOptions& options) {
  if (options.max_connections_per_client == 0) {
    return InvalidArgument("the connection cap per client must be at least 1");
  }
  if (options.max_streams < 1 || options.max_streams_per_client < 1) {
    return InvalidArgument("the event stream caps must be at least 1");
  }
  return Status::Ok();
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router)
      : options_(std::move(options)),
        router_(router),
        streams_(options_.max_streams, options_.max_streams_per_client),
        refusals_(kLogPeriod),
        accept_failures_(kLogPeriod),
        stream_refusals_(kLogPeriod),
        total_refusal_(RefusalAnswer("Too many open connections; try again later")),
        client_refusal_(RefusalAnswer("Too many open connections from this client")) {}

  Result<uint16_t> Start();
  void Stop();

 private:
  Result<tcp::endpoint> Resolve();
  Status Listen(const tcp::endpoint& endpoint);
  void Accept();
  void OnAccept(boost::system::error_code ec, Socket socket);
  // Sends the 503 answer for a connection over a cap and closes it, without blocking.
  void Refuse(Socket& socket, const std::string& peer, ConnectionLimiter::Refusal why);
  void RetryAcceptLater();
  void Run(asio::io_context& context);
  std::string Address() const { return options_.host + ":" + std::to_string(options_.port); }

  const ServerOptions options_;
  const Router& router_;
  Mutex mutex_;  // serializes Start and Stop
  bool started_ GUARDED_BY(mutex_) = false;
  bool stopped_ GUARDED_BY(mutex_) = false;
  // One io_context per I/O thread, each run by its thread alone: a connection lives on one
  // of them, so its handlers need no strand and its reactor sees no lock contention.
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  // The acceptor has a context and thread of its own, so that a busy I/O thread never holds
  // new connections back; it deals them out to the I/O contexts in turn.
  std::unique_ptr<asio::io_context> accept_context_;
  std::vector<asio::executor_work_guard<Executor>> guards_;  // idle I/O threads keep running
  std::unique_ptr<asio::basic_socket_acceptor<tcp, Executor>> acceptor_;
  std::unique_ptr<asio::steady_timer> retry_timer_;
  size_t next_context_ = 0;  // only the acceptor's handlers touch it
  std::vector<std::thread> threads_;
  StreamPool streams_;
  std::optional<RequestGuard> guard_;         // set by Start
  std::optional<ConnectionLimiter> limiter_;  // set by Start
  std::optional<SessionShared> shared_;       // set by Start
  LogThrottle refusals_;
  LogThrottle accept_failures_;
  LogThrottle stream_refusals_;
  const std::string total_refusal_;
  const std::string client_refusal_;
};

Result<uint16_t> Server::Impl::Start() {
  MutexLock lock(mutex_);
  if (started_) return FailedPrecondition("server already started");
  if (stopped_) return FailedPrecondition("server was stopped; create a new one");
  KILN_RETURN_IF_ERROR(Validate(options_));
  Result<RequestGuard> guard =
      RequestGuard::Create(options_.host, options_.allowed_hosts, options_.cors_allowed_origins);
  if (!guard.ok()) return guard.status();
  guard_.emplace(std::move(*guard));
  const size_t max_connections = options_.max_connections > 0
                                     ? options_.max_connections
                                     : DefaultMaxConnections(RaiseOpenFileLimit());
  limiter_.emplace(max_connections, options_.max_connections_per_client);
  shared_.emplace(SessionShared{router_, options_, *guard_, streams_, stream_refusals_});
  int threads = options_.threads > 0 ? options_.threads
                                     : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  // Hint 1: each context has a single thread, so Asio never wakes another for it.
  for (int i = 0; i < threads; ++i) contexts_.push_back(std::make_unique<asio::io_context>(1));
  accept_context_ = std::make_unique<asio::io_context>(1);
  Result<tcp::endpoint> endpoint = Resolve();
  Status status = endpoint.ok() ? Listen(*endpoint) : endpoint.status();
  if (!status.ok()) {
    acceptor_.reset();
    accept_context_.reset();
    contexts_.clear();
    return status;
  }
  uint16_t port = acceptor_->local_endpoint().port();
  retry_timer_ = std::make_unique<asio::steady_timer>(*accept_context_);
  Accept();
  for (auto& context : contexts_) {
    guards_.push_back(asio::make_work_guard(context->get_executor()));
    asio::io_context* own = context.get();
    threads_.emplace_back([this, own] { Run(*own); });
  }
  threads_.emplace_back([this] { Run(*accept_context_); });
  started_ = true;
  return port;
}

Result<tcp::endpoint> Server::Impl::Resolve() {
  boost::system::error_code ec;
  tcp::resolver resolver(*accept_context_);
  auto results = resolver.resolve(options_.host, std::to_string(options_.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return Unavailable("cannot listen on " + Address() + ": " +
                       (ec ? ec.message() : std::string("host not found")));
  }
  return results.begin()->endpoint();
}

Status Server::Impl::Listen(const tcp::endpoint& endpoint) {
  acceptor_ =
      std::make_unique<asio::basic_socket_acceptor<tcp, Executor>>(accept_context_->get_executor());
  boost::system::error_code ec;
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Unavailable("cannot listen on " + Address() + ": " + ec.message());
  return Status::Ok();
}

void Server::Impl::Accept() {
  asio::io_context& context = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  acceptor_->async_accept(
      context.get_executor(),
      [this](boost::system::error_code ec, Socket socket) { OnAccept(ec, std::move(socket)); });
}

void Server::Impl::OnAccept(boost::system::error_code ec, Socket socket) {
  if (ec == asio::error::operation_aborted) return;
  if (ec) {
    // Typically out of file descriptors; retrying at once would spin.
    if (uint64_t count = accept_failures_.Count()) {
      spdlog::warn("accept on {} failed {} time(s) since the last report: {}", Address(), count,
                   ec.message());
    }
    RetryAcceptLater();
    return;
  }
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  Peer peer;
  if (!ec) {
    peer.address = remote.address().to_string();
    peer.key = ClientKey(remote.address());
  }
  ConnectionLimiter::Refusal why = ConnectionLimiter::Refusal::kNone;
  std::optional<ConnectionLimiter::Slot> slot = limiter_->TryAcquire(peer.key, why);
  if (!slot) {
    Refuse(socket, peer.address, why);
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    StartSession(std::move(socket), std::move(peer), std::move(*slot), *shared_);
  }
  Accept();
}

void Server::Impl::Refuse(Socket& socket, const std::string& peer, ConnectionLimiter::Refusal why) {
  const bool client = why == ConnectionLimiter::Refusal::kClient;
  boost::system::error_code ec;
  // A fresh socket's send buffer takes the answer at once; if not, the client only gets the
  // close. Never wait: this is the accept thread.
  socket.non_blocking(true, ec);
  const std::string& answer = client ? client_refusal_ : total_refusal_;
  if (!ec) socket.write_some(asio::buffer(answer), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
  if (uint64_t count = refusals_.Count()) {
    spdlog::warn(
        "refused {} connection(s) since the last report, the latest from {}: {}", count, peer,
        client
            ? std::to_string(limiter_->max_per_client()) +
                  " connections from that client are open (--max-connections-per-client)"
            : std::to_string(limiter_->max_total()) + " connections are open (--max-connections)");
  }
}

void Server::Impl::RetryAcceptLater() {
  retry_timer_->expires_after(std::chrono::milliseconds(50));
  retry_timer_->async_wait([this](boost::system::error_code ec) {
    if (!ec) Accept();
  });
}

void Server::Impl::Run(asio::io_context& context) {
  // Handlers are guarded by the router, but an exception escaping elsewhere must cost
  // one connection, not the process.
  while (true) {
    try {
      context.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http server thread caught: {}", e.what());
    }
  }
}

void Server::Impl::Stop() {
  MutexLock lock(mutex_);
  if (stopped_) return;
  stopped_ = true;
  if (!started_) return;
  accept_context_->stop();
  for (auto& context : contexts_) context->stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  // Before the io_contexts go: the stream threads post to them.
  streams_.StopAll();
  boost::system::error_code ec;
  acceptor_->close(ec);
  acceptor_.reset();
  retry_timer_.reset();
  guards_.clear();
  // Destroying the io_contexts destroys the pending handlers and with them the sessions
  // they own, which closes every open connection.
  accept_context_.reset();
  contexts_.clear();
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Start() { return impl_->Start(); }

void Server::Stop() { impl_->Stop(); }

}  // namespace kiln::http
