#include "http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>

namespace kiln::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

struct Url {
  std::string host;
  std::string port;
  std::string prefix;  // a path the targets are appended to, without a trailing '/'
};

bool ValidPort(std::string_view port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value > 0 && value < 65536;
}

// Accepts "http://host:port", "http://[::1]:port" and "http://host" (port 80), each
// optionally followed by a path prefix.
Result<Url> ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  Status invalid =
      InvalidArgument("invalid server URL '" + std::string(url) + "', expected http://host:port");
  if (!url.starts_with(kScheme)) return invalid;
  url.remove_prefix(kScheme.size());
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  Url out;
  if (slash != std::string_view::npos) out.prefix = url.substr(slash);
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  size_t host_end = 0;
  if (authority.starts_with('[')) {
    host_end = authority.find(']');
    if (host_end == std::string_view::npos) return invalid;
    out.host = authority.substr(1, host_end - 1);
    ++host_end;
  } else {
    host_end = std::min(authority.find(':'), authority.size());
    out.host = authority.substr(0, host_end);
  }
  std::string_view rest = authority.substr(host_end);
  if (rest.empty()) {
    out.port = "80";
  } else if (rest.front() == ':' && ValidPort(rest.substr(1))) {
    out.port = rest.substr(1);
  } else {
    return invalid;
  }
  if (out.host.empty()) return invalid;
  return out;
}

bool IsClosedByPeer(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted;
}

std::string Lower(std::string_view in) {
  std::string out(in);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

template <class Fields>
Response HeaderToResponse(const bhttp::response_header<Fields>& header) {
  Response response;
  response.status = static_cast<int>(header.result_int());
  response.content_type = std::string(header[bhttp::field::content_type]);
  for (const auto& field : header) {
    response.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  return response;
}

Response ToResponse(bhttp::response<bhttp::string_body>&& message) {
  Response response = HeaderToResponse(message.base());
  response.body = std::move(message.body());
  return response;
}

using StreamParser = bhttp::response_parser<bhttp::buffer_body>;

// Boost 1.74 compares a Content-Length with an empty (boost::none) limit as exceeding it, so
// "no limit" is spelled as the largest one.
constexpr std::uint64_t kNoBodyLimit = std::numeric_limits<std::uint64_t>::max();

}  // namespace

class Client::Impl {
 public:
  explicit Impl(std::string base_url) : base_url_(std::move(base_url)), socket_(io_context_) {
    Result<Url> url = ParseUrl(base_url_);
    if (url.ok()) {
      url_ = std::move(url).value();
    } else {
      url_status_ = url.status();
    }
  }

  Result<Response> Send(const std::string& method, const std::string& target,
                        const std::string& body, const std::string& content_type);
  Result<Response> Fetch(const std::string& target, const Client::BodySink& sink);

 private:
  bhttp::request<bhttp::string_body> BuildRequest(const std::string& method,
                                                  const std::string& target,
                                                  const std::string& body,
                                                  const std::string& content_type) const;
  Status Connect();
  beast::error_code RoundTrip(bhttp::request<bhttp::string_body>& request,
                              bhttp::response<bhttp::string_body>& response);
  beast::error_code WriteAndReadHeader(bhttp::request<bhttp::string_body>& request,
                                       StreamParser& parser);
  Status ReadBody(StreamParser& parser, Response& response, const Client::BodySink& sink);
  void Close();

  std::string base_url_;
  Url url_;
  Status url_status_;
  asio::io_context io_context_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

Result<Response> Client::Impl::Send(const std::string& method, const std::string& target,
                                    const std::string& body, const std::string& content_type) {
  KILN_RETURN_IF_ERROR(url_status_);
  bhttp::request<bhttp::string_body> request = BuildRequest(method, target, body, content_type);
  bool reused = socket_.is_open();
  if (!reused) KILN_RETURN_IF_ERROR(Connect());
  bhttp::response<bhttp::string_body> response;
  beast::error_code ec = RoundTrip(request, response);
  // A kept-alive connection may have been closed by the server (idle timeout, restart)
  // just before we wrote; that is worth exactly one retry on a fresh connection.
  if (ec && reused && IsClosedByPeer(ec)) {
    Close();
    KILN_RETURN_IF_ERROR(Connect());
    response = {};
    ec = RoundTrip(request, response);
  }
  if (ec) {
    Close();
    return Unavailable(method + " " + base_url_ + target + " failed: " + ec.message());
  }
  if (!response.keep_alive()) Close();
  return ToResponse(std::move(response));
}

bhttp::request<bhttp::string_body> Client::Impl::BuildRequest(
    const std::string& method, const std::string& target, const std::string& body,
    const std::string& content_type) const {
  bhttp::request<bhttp::string_body> request;
  bhttp::verb verb = bhttp::string_to_verb(method);
  if (verb == bhttp::verb::unknown) {
    request.method_string(method);
  } else {
    request.method(verb);
  }
  request.target(url_.prefix + target);
  request.version(11);
  request.set(bhttp::field::host, url_.host + ":" + url_.port);
  request.set(bhttp::field::user_agent, "kiln");
  if (!body.empty()) {
    request.set(bhttp::field::content_type, content_type);
    request.body() = body;
  }
  request.keep_alive(true);
  request.prepare_payload();
  return request;
}

Status Client::Impl::Connect() {
  beast::error_code ec;
  tcp::resolver resolver(io_context_);
  auto endpoints = resolver.resolve(url_.host, url_.port, ec);
  if (!ec) asio::connect(socket_, endpoints, ec);
  if (ec) {
    Close();
    return Unavailable("cannot connect to " + url_.host + ":" + url_.port + ": " + ec.message());
  }
  socket_.set_option(tcp::no_delay(true), ec);
  buffer_.clear();
  return Status::Ok();
}

beast::error_code Client::Impl::RoundTrip(bhttp::request<bhttp::string_body>& request,
                                          bhttp::response<bhttp::string_body>& response) {
  beast::error_code ec;
  bhttp::write(socket_, request, ec);
  if (ec) return ec;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);  // the caller asked for the whole body
  // A HEAD response announces a length but carries no body.
  parser.skip(request.method() == bhttp::verb::head);
  bhttp::read(socket_, buffer_, parser, ec);
  if (!ec) response = parser.release();
  return ec;
}

beast::error_code Client::Impl::WriteAndReadHeader(bhttp::request<bhttp::string_body>& request,
                                                   StreamParser& parser) {
  beast::error_code ec;
  bhttp::write(socket_, request, ec);
  if (!ec) bhttp::read_header(socket_, buffer_, parser, ec);
  return ec;
}

Result<Response> Client::Impl::Fetch(const std::string& target, const Client::BodySink& sink) {
  KILN_RETURN_IF_ERROR(url_status_);
  bhttp::request<bhttp::string_body> request = BuildRequest("GET", target, "", "");
  bool reused = socket_.is_open();
  if (!reused) KILN_RETURN_IF_ERROR(Connect());
  auto parser = std::make_unique<StreamParser>();
  parser->body_limit(kNoBodyLimit);
  beast::error_code ec = WriteAndReadHeader(request, *parser);
  // As in Send: one retry when a kept-alive connection was closed before any of the answer.
  if (ec && reused && IsClosedByPeer(ec)) {
    Close();
    KILN_RETURN_IF_ERROR(Connect());
    parser = std::make_unique<StreamParser>();
    parser->body_limit(kNoBodyLimit);
    ec = WriteAndReadHeader(request, *parser);
  }
  if (ec) {
    Close();
    return Unavailable("GET " + base_url_ + target + " failed: " + ec.message());
  }
  Response response = HeaderToResponse(parser->get().base());
  Status read = ReadBody(*parser, response, sink);
  if (!read.ok() || !parser->get().keep_alive()) Close();
  if (!read.ok()) return read;
  return response;
}

Status Client::Impl::ReadBody(StreamParser& parser, Response& response,
                              const Client::BodySink& sink) {
  std::string piece(64 * 1024, '\0');
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    beast::error_code ec;
    bhttp::read(socket_, buffer_, parser, ec);
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec) return Unavailable("reading the answer failed: " + ec.message());
    std::string_view got(piece.data(), piece.size() - parser.get().body().size);
    if (response.status != 200) {
      response.body.append(got);
    } else if (!got.empty()) {
      KILN_RETURN_IF_ERROR(sink(got));
    }
  }
  return Status::Ok();
}

void Client::Impl::Close() {
  beast::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  buffer_.clear();
}

Client::Client(std::string base_url) : impl_(std::make_unique<Impl>(std::move(base_url))) {}

Client::~Client() = default;

Result<Response> Client::Send(const std::string& method, const std::string& target,
                              const std::string& body, const std::string& content_type) {
  return impl_->Send(method, target, body, content_type);
}

Result<Response> Client::Fetch(const std::string& target, const BodySink& sink) {
  return impl_->Fetch(target, sink);
}

}  // namespace kiln::http
