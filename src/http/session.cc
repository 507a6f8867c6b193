#include "http/session.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include "http/framing.h"
#include "http/internal_error.h"
#include "http/response_head.h"
#include "http/security_headers.h"
#include "http/stream_writer.h"
#include "http/uri.h"

namespace kiln::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Stream = beast::basic_stream<tcp, Executor>;

// Drops idle keep-alive connections and clients that are slow to send their headers.
constexpr auto kHeaderTimeout = std::chrono::seconds(60);
// A body that stalls this long is dropped even when its average rate is still fine (see
// ServerOptions::min_body_bytes_per_second for the rate).
constexpr auto kBodyIdleTimeout = std::chrono::seconds(60);
// Budget of each write; a file body is written chunk by chunk, each with this budget, so
// a large download is not cut off while it makes progress.
constexpr auto kWriteTimeout = std::chrono::seconds(60);
// After an error response, unread input is drained this long before closing: closing a
// socket with unread data sends a reset, which can make the client lose the response.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr size_t kDrainChunk = 16 * 1024;
// MLflow search requests can carry long filters in the query string.
constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool IsMalformedHttp(const beast::error_code& ec) {
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return false;
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

unsigned ValidStatus(int status) { return status >= 100 && status <= 999 ? status : 500; }

template <class Message>
void SetSecurityHeaders(const Response& response, Message& message) {
  std::string_view fields = kSecurityFields;
  while (!fields.empty()) {
    const size_t end = fields.find("\r\n");
    const std::string_view field = fields.substr(0, end);
    const size_t colon = field.find(": ");
    message.set(field.substr(0, colon), field.substr(colon + 2));
    fields.remove_prefix(end + 2);
  }
  if (!SetsOwnCsp(response)) message.set(kCspName, kDefaultCsp);
}

template <class Message>
void SetHeaders(const Response& response, bool keep_alive, Message& message) {
  if (!response.content_type.empty()) {
    message.set(bhttp::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) {
    if (IsSafeHeader(name, value)) {
      message.insert(name, value);
    } else {
      spdlog::warn("dropping unsafe response header {}", name);
    }
  }
  SetSecurityHeaders(response, message);
  message.keep_alive(keep_alive);
}

void ToUpper(std::string& s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

void ToLower(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Socket socket, Peer peer, ConnectionLimiter::Slot slot, SessionShared& shared)
      : shared_(shared),
        options_(shared.options),
        client_key_(std::move(peer.key)),
        slot_(std::move(slot)),
        stream_(std::move(socket)),
        body_timer_(stream_.get_executor()) {
    request_.context.peer = std::move(peer.address);
  }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  using Parser = bhttp::request_parser<bhttp::string_body>;

  void ReadHeader();
  void OnHeader(beast::error_code ec);
  // The answer to give instead of reading the body and dispatching: bad framing, a bad
  // target, the RequestGuard's refusal or preflight answer, a body over the route's limit.
  // Fills request_ but its body and sets the parser's body limit.
  std::optional<Response> CheckHeader();
  // Parses what the buffer holds past the header (usually the whole body, which arrives with
  // it), sparing an asynchronous read that would only complete through the scheduler.
  void ParseBuffered(beast::error_code& ec);
  void ReadBody();
  void ReadSomeBody();
  // When the current body read must have completed: what the minimum rate allows for the
  // bytes received so far, and no later than kBodyIdleTimeout from now.
  Clock::time_point BodyDeadline() const;
  void OnReadError(beast::error_code ec);
  void Handle();
  bool FillHead(const Parser::value_type& message);
  void FillHeaders(const Parser::value_type& message);
  // Fills request_.context for the request about to be dispatched: its id (the client's valid
  // X-Request-Id, else a new one), no identity yet, and its deadline.
  void StartContext();
  void Send(Response response, unsigned version, bool keep_alive);
  // Writes `response` with its body from memory, then calls `then(*this, ec)`.
  template <class Then>
  void SendPlain(Response& response, unsigned version, bool keep_alive, Then then);
  void SendFile(Response& response, unsigned version, bool keep_alive);
  void SendStream(Response& response, unsigned version);
  void WriteFileChunk();
  void OnWritten(beast::error_code ec);
  // Answers `response` without reading further requests, drains what the client still
  // sends for a moment and closes.
  void SendAndClose(Response response);
  void DrainSome();
  void LogAccess() const;

  SessionShared& shared_;
  const ServerOptions& options_;
  const std::string client_key_;
  ConnectionLimiter::Slot slot_;  // handed to the stream writer when a stream takes over
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  // Kept across requests so that their strings reuse capacity.
  Request request_;
  std::string head_;  // the response being written: status line and fields, then body_
  std::string body_;
  std::optional<bhttp::response<bhttp::file_body>> file_response_;
  std::optional<bhttp::response_serializer<bhttp::file_body>> file_serializer_;
  int status_ = 0;
  bool head_request_ = false;
  bool close_after_write_ = false;
  Clock::time_point start_;
  size_t body_limit_ = 0;  // of the current request
  Clock::time_point body_start_;
  uint64_t body_received_ = 0;     // bytes of the current body read since body_start_
  asio::steady_timer body_timer_;  // the current body read's deadline (BodyDeadline)
  bool body_too_slow_ = false;     // body_timer_ cancelled the read
};

void Session::ReadHeader() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  // The server's limit until the header names the route (CheckHeader).
  body_limit_ = options_.max_body_bytes;
  parser_->body_limit(body_limit_);
  stream_.expires_after(kHeaderTimeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
}

void Session::OnHeader(beast::error_code ec) {
  start_ = Clock::now();
  if (ec) return OnReadError(ec);
  if (std::optional<Response> answer = CheckHeader()) return SendAndClose(std::move(*answer));
  if (!parser_->is_done() && buffer_.size() > 0) ParseBuffered(ec);
  if (ec) return OnReadError(ec);
  if (parser_->is_done()) return Handle();
  const auto& header = parser_->get();
  // curl and others wait for "100 Continue" before sending a large body.
  if (header.version() >= 11 && beast::iequals(header[bhttp::field::expect], "100-continue")) {
    stream_.expires_after(kWriteTimeout);
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (!ec) self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

std::optional<Response> Session::CheckHeader() {
  const Parser::value_type& header = parser_->get();
  // Beast reads a body with an unknown coding as none, and its bytes as the next request.
  if (header.count(bhttp::field::transfer_encoding) > 0) {
    std::vector<std::string_view> codings;
    auto [first, last] = header.equal_range(bhttp::field::transfer_encoding);
    for (auto it = first; it != last; ++it) codings.push_back(it->value());
    const std::string error =
        FramingError(codings, header.count(bhttp::field::content_length) > 0, header.version());
    if (!error.empty()) return Response::Error(400, "BAD_REQUEST", error);
  }
  if (!FillHead(header)) {
    return Response::Error(400, "BAD_REQUEST", "Malformed percent-encoding in the request target");
  }
  if (std::optional<Response> answer = shared_.guard.Check(request_, header.version())) {
    return answer;
  }
  const boost::optional<uint64_t> length = parser_->content_length();
  // Most bodies are small: below every route's limit, the route need not be looked up.
  const size_t smallest = shared_.router.SmallestBodyLimit();
  const bool may_exceed = smallest > 0 && (!length || *length > smallest);
  const size_t route_limit =
      may_exceed ? shared_.router.BodyLimit(request_.method, request_.path) : 0;
  body_limit_ =
      route_limit > 0 ? std::min(route_limit, options_.max_body_bytes) : options_.max_body_bytes;
  if (length && *length > body_limit_) {
    return Response::Error(
        413, "BAD_REQUEST",
        "Request body exceeds the limit of " + std::to_string(body_limit_) + " bytes");
  }
  // A chunked body is counted against the limit as it arrives.
  parser_->body_limit(body_limit_);
  return std::nullopt;
}

void Session::ParseBuffered(beast::error_code& ec) {
  const size_t used = parser_->put(buffer_.data(), ec);
  buffer_.consume(used);
  if (ec == bhttp::error::need_more) ec = {};
}

void Session::ReadBody() {
  body_start_ = Clock::now();
  body_received_ = 0;
  ReadSomeBody();
}

void Session::ReadSomeBody() {
  // The stream's own timeout would close the socket; this deadline only cancels the read, so
  // that the client still gets the 408.
  stream_.expires_never();
  body_timer_.expires_at(BodyDeadline());
  body_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    // A wait that fired just before the read completed and re-armed the timer is stale.
    if (ec || Clock::now() < self->body_timer_.expiry()) return;
    self->body_too_slow_ = true;
    self->stream_.socket().cancel(ec);
  });
  bhttp::async_read_some(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, size_t bytes) {
                           self->body_timer_.cancel();
                           if (ec) return self->OnReadError(ec);
                           self->body_received_ += bytes;
                           if (self->parser_->is_done()) return self->Handle();
                           self->ReadSomeBody();
                         });
}

Clock::time_point Session::BodyDeadline() const {
  const Clock::time_point idle = Clock::now() + kBodyIdleTimeout;
  if (options_.min_body_bytes_per_second == 0) return idle;
  const std::chrono::duration<double> earned(
      static_cast<double>(body_received_) /
      static_cast<double>(options_.min_body_bytes_per_second));
  const Clock::time_point by_rate =
      body_start_ + options_.body_grace + std::chrono::duration_cast<Clock::duration>(earned);
  return std::min(by_rate, idle);
}

void Session::OnReadError(beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    return SendAndClose(Response::Error(
        413, "BAD_REQUEST",
        "Request body exceeds the limit of " + std::to_string(body_limit_) + " bytes"));
  }
  if (ec == bhttp::error::header_limit) {
    return SendAndClose(Response::Error(
        431, "BAD_REQUEST",
        "Request headers exceed the limit of " + std::to_string(kHeaderLimit) + " bytes"));
  }
  if (IsMalformedHttp(ec)) {
    return SendAndClose(
        Response::Error(400, "BAD_REQUEST", "Malformed HTTP request: " + ec.message()));
  }
  if (body_too_slow_) {
    body_too_slow_ = false;
    return SendAndClose(Response::Error(408, "BAD_REQUEST",
                                        "Request body too slow: it must arrive at " +
                                            std::to_string(options_.min_body_bytes_per_second) +
                                            " bytes per second or more"));
  }
  // Otherwise the peer went away or timed out: nothing to answer, the session just ends.
}

void Session::Handle() {
  Parser::value_type& message = parser_->get();
  unsigned version = message.version();
  bool keep_alive = message.keep_alive();
  request_.body = std::move(message.body());
  head_request_ = request_.method == "HEAD";
  StartContext();
  Response response = shared_.router.Dispatch(request_);
  // Do not hold a large upload for as long as the connection stays idle.
  request_.body = std::string();
  Send(std::move(response), version, keep_alive);
}

bool Session::FillHead(const Parser::value_type& message) {
  request_.method.assign(message.method_string());
  ToUpper(request_.method);
  std::string_view target = message.target();
  request_.target.assign(target);
  request_.query.clear();
  request_.path_params.clear();
  request_.body.clear();
  FillHeaders(message);
  size_t question = target.find('?');
  if (!PercentDecodeTo(target.substr(0, question), false, request_.path)) return false;
  // A NUL byte in a path can only be an attack on file-system code further down.
  if (request_.path.find('\0') != std::string::npos) return false;
  if (question == std::string_view::npos) return true;
  return ParseQueryString(target.substr(question + 1), request_.query);
}

void Session::StartContext() {
  RequestContext& context = request_.context;
  auto sent = request_.headers.find("x-request-id");
  if (sent != request_.headers.end() && IsValidRequestId(sent->second)) {
    context.request_id = sent->second;
  } else {
    context.request_id = NewRequestId();
  }
  context.identity.reset();
  context.deadline = start_ + options_.request_deadline;
}

void Session::FillHeaders(const Parser::value_type& message) {
  request_.headers.clear();
  for (const auto& field : message) {
    std::string name(field.name_string());
    ToLower(name);
    auto [it, inserted] = request_.headers.try_emplace(std::move(name), field.value());
    // Repeated headers combine into one comma-separated value (RFC 9110, 5.3).
    if (!inserted) {
      it->second += ", ";
      it->second += field.value();
    }
  }
}

void Session::Send(Response response, unsigned version, bool keep_alive) {
  // Whatever failed inside, the client learns only that it did, and an id to quote.
  if (response.status == 500) response = HideInternalError(response, request_);
  shared_.guard.AddCorsHeaders(request_, response);
  status_ = static_cast<int>(ValidStatus(response.status));
  close_after_write_ = !keep_alive;
  // HEAD gets the header of an ordinary empty response: no producer runs for it.
  if (response.stream && !head_request_) return SendStream(response, version);
  response.stream.reset();
  if (response.file_path) return SendFile(response, version, keep_alive);
  SendPlain(response, version, keep_alive,
            [](Session& self, beast::error_code ec) { self.OnWritten(ec); });
}

template <class Then>
void Session::SendPlain(Response& response, unsigned version, bool keep_alive, Then then) {
  const unsigned status = ValidStatus(response.status);
  body_ = IsBodilessStatus(status) ? std::string() : std::move(response.body);
  head_.clear();
  AppendResponseHead(response, status, version, keep_alive, body_.size(), head_);
  // HEAD announces the length GET would send, but the bytes must not follow.
  if (head_request_) body_.clear();
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
  stream_.expires_after(kWriteTimeout);
  asio::async_write(
      stream_, buffers,
      [self = shared_from_this(), then](beast::error_code ec, size_t) { then(*self, ec); });
}

void Session::SendFile(Response& response, unsigned version, bool keep_alive) {
  beast::error_code ec;
  bhttp::file_body::value_type file;
  file.open(response.file_path->c_str(), beast::file_mode::scan, ec);
  if (ec) {
    spdlog::debug("cannot open {}: {}", *response.file_path, ec.message());
    return Send(Response::Error(404, "RESOURCE_DOES_NOT_EXIST", "File not found"), version,
                keep_alive);
  }
  file_response_.emplace();
  file_response_->version(version);
  file_response_->result(ValidStatus(response.status));
  SetHeaders(response, keep_alive, *file_response_);
  file_response_->body() = std::move(file);
  file_response_->prepare_payload();
  file_serializer_.emplace(*file_response_);
  if (!head_request_) return WriteFileChunk();
  stream_.expires_after(kWriteTimeout);
  bhttp::async_write_header(
      stream_, *file_serializer_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnWritten(ec); });
}

void Session::SendStream(Response& response, unsigned version) {
  auto channel = std::make_shared<StreamChannel>();
  const StreamPool::Started started = shared_.streams.TryStart(
      client_key_, [body = std::move(*response.stream), channel](std::stop_token stop) mutable {
        PumpStream(stop, std::move(body), std::move(channel));
      });
  if (started != StreamPool::Started::kYes) {
    const bool mine = started == StreamPool::Started::kClientFull;
    const std::string why =
        mine ? "this client has " + std::to_string(options_.max_streams_per_client) + " open"
             : std::to_string(options_.max_streams) + " are open";
    if (uint64_t count = shared_.stream_refusals.Count()) {
      spdlog::warn("refused {} event stream(s) since the last report, the latest from {}: {}",
                   count, request_.context.peer, why);
    }
    return Send(Response::Error(503, "TEMPORARILY_UNAVAILABLE",
                                mine ? "Too many open event streams from this client"
                                     : "Too many open event streams"),
                version, false);
  }
  bhttp::response<bhttp::empty_body> header;
  header.version(version);
  header.result(ValidStatus(response.status));
  SetHeaders(response, false, header);
  header.set(bhttp::field::cache_control, "no-cache");
  // HTTP/1.0 has no chunks: the body ends when the connection closes.
  const bool chunked = version >= 11;
  if (chunked) header.chunked(true);
  std::ostringstream head;
  head << header.base();
  LogAccess();
  StartStreamWriter(stream_.release_socket(), head.str(), chunked, std::move(channel),
                    std::move(slot_));
}

void Session::WriteFileChunk() {
  stream_.expires_after(kWriteTimeout);
  bhttp::async_write_some(stream_, *file_serializer_,
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (ec || self->file_serializer_->is_done()) {
                              return self->OnWritten(ec);
                            }
                            self->WriteFileChunk();
                          });
}

void Session::OnWritten(beast::error_code ec) {
  LogAccess();
  body_ = std::string();  // frees the body now rather than at the next request
  file_serializer_.reset();
  file_response_.reset();
  if (ec) return;
  if (close_after_write_) {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    return;
  }
  ReadHeader();
}

void Session::SendAndClose(Response response) {
  bool have_header = parser_ && parser_->is_header_done();
  request_.method = have_header ? std::string(parser_->get().method_string()) : "-";
  request_.target = have_header ? std::string(parser_->get().target()) : "-";
  status_ = static_cast<int>(ValidStatus(response.status));
  head_request_ = false;
  SendPlain(response, 11, false, [](Session& self, beast::error_code ec) {
    self.LogAccess();
    if (ec) return;
    self.stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    self.stream_.expires_after(kLingerTimeout);
    self.DrainSome();
  });
}

void Session::DrainSome() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(kDrainChunk),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (!ec) self->DrainSome();
                          });
}

void Session::LogAccess() const {
  if (!options_.access_log) return;
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  // The path as sent, still percent-encoded: a decoded one could carry spaces or line
  // breaks into the log. The query string is left out, as it may carry secrets.
  std::string_view path = request_.target;
  path = path.substr(0, path.find('?'));
  spdlog::info("{} {} {} {:.2f}", request_.method, path, status_, ms);
}

}  // namespace

void StartSession(Socket socket, Peer peer, ConnectionLimiter::Slot slot, SessionShared& shared) {
  std::make_shared<Session>(std::move(socket), std::move(peer), std::move(slot), shared)->Start();
}

}  // namespace kiln::http
