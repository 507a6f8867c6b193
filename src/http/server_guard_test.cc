// The Server's defences on the wire: framing, Host and Origin checks, per-route body limits,
// slow bodies, connection caps, security headers and hidden internal errors. A real Server on
// port 0, driven by raw sockets (from several loopback addresses where the client matters).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"

namespace kiln::http {
namespace {

namespace asio = boost::asio;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A blocking socket from a chosen loopback address whose reads give up after `timeout_s`.
class Raw {
 public:
  explicit Raw(uint16_t port, const char* from = "127.0.0.1", int timeout_s = 5)
      : socket_(io_context_) {
    socket_.open(asio::ip::tcp::v4());
    socket_.bind({asio::ip::make_address(from), 0});
    socket_.connect({asio::ip::address_v4::loopback(), port});
    timeval timeout{timeout_s, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  void Write(std::string_view data) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(data), ec);
  }
  // Everything until the server closes (or a reset, or the timeout).
  std::string ReadToEof() {
    std::string received;
    char buffer[4096];
    while (true) {
      boost::system::error_code ec;
      size_t n = socket_.read_some(asio::buffer(buffer), ec);
      if (ec) return received;
      received.append(buffer, n);
    }
  }
  // Reads until a whole response with a Content-Length body arrived.
  std::string ReadResponse() {
    std::string received;
    char buffer[4096];
    while (true) {
      const size_t end = received.find("\r\n\r\n");
      if (end != std::string::npos) {
        const size_t length_at = received.find("Content-Length: ");
        const size_t length =
            length_at < end ? std::stoul(received.substr(length_at + 16)) : size_t{0};
        if (received.size() >= end + 4 + length) return received;
      }
      boost::system::error_code ec;
      size_t n = socket_.read_some(asio::buffer(buffer), ec);
      if (ec) return received;
      received.append(buffer, n);
    }
  }

 private:
  asio::io_context io_context_;
  asio::ip::tcp::socket socket_;
};

int StatusOf(const std::string& response) {
  return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0;
}

json BodyOf(const std::string& response) {
  return json::parse(response.substr(response.find("\r\n\r\n") + 4), nullptr, false);
}

class ServerGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/echo", AccessPolicy::kPublic, [this](Request& r) { return Count(r); });
    router_.Add("POST", "/echo", AccessPolicy::kPublic, [this](Request& r) { return Count(r); });
    router_.Add(
        "POST", "/small", AccessPolicy::kPublic, [this](Request& r) { return Count(r); },
        RouteOptions{16});
    router_.Add("GET", "/throw", AccessPolicy::kPublic, [](Request&) -> Response {
      throw std::runtime_error("boom at /srv/secret/kiln.db");
    });
    router_.Add("GET", "/page", AccessPolicy::kPublic, [](Request&) {
      Response response;
      response.content_type = "text/html";
      response.body = "<p>hi</p>";
      response.headers.emplace_back("Content-Security-Policy", "default-src 'self'");
      return response;
    });
  }

  Response Count(Request& request) {
    ++served_;
    return Response::Json(200, json{{"body", request.body}, {"target", request.target}}.dump());
  }

  uint16_t Start(ServerOptions options = {}) {
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    server_ = std::make_unique<Server>(options, router_);
    Result<uint16_t> port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    port_ = port.ok() ? *port : 0;
    return port_;
  }

  std::string Exchange(const std::string& request, const char* from = "127.0.0.1") {
    Raw raw(port_, from);
    raw.Write(request);
    return raw.ReadToEof();
  }

  Router router_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::atomic<int> served_{0};
};

// RFC 9112 6.1/6.3: a coding the server does not apply makes the body's end unknown; were the
// body read as the next request, a proxy in front would disagree (request smuggling).
TEST_F(ServerGuardTest, TransferCodingsOtherThanChunkedAre400AndClose) {
  Start();
  const std::string smuggled = "GET /echo?smuggled=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (const std::string te : {"gzip", "gzip, chunked", "chunked, gzip", "identity"}) {
    std::string all =
        Exchange("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: " + te + "\r\n\r\n" +
                 smuggled);
    EXPECT_EQ(StatusOf(all), 400) << te << ": " << all;
    EXPECT_EQ(all.find("HTTP/1.1", 10), std::string::npos) << te << ": a second answer";
  }
  std::string both = Exchange(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n"
      "Transfer-Encoding: gzip\r\n\r\nabc" +
      smuggled);
  EXPECT_EQ(StatusOf(both), 400) << both;
  EXPECT_EQ(served_.load(), 0);
  // Plain chunked still works.
  std::string chunked = Exchange(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(chunked), 200) << chunked;
  EXPECT_EQ(BodyOf(chunked)["body"], "abc");
}

TEST_F(ServerGuardTest, ForeignHostIs403AndMissingHostIs400) {
  Start();
  std::string rebound = Exchange("GET /echo HTTP/1.1\r\nHost: rebind.evil.com:8080\r\n\r\n");
  EXPECT_EQ(StatusOf(rebound), 403) << rebound;
  EXPECT_NE(BodyOf(rebound)["message"].get<std::string>().find("rebind.evil.com"),
            std::string::npos);
  std::string missing = Exchange("GET /echo HTTP/1.1\r\n\r\n");
  EXPECT_EQ(StatusOf(missing), 400) << missing;
  std::string http10 = Exchange("GET /echo HTTP/1.0\r\n\r\n");
  EXPECT_EQ(StatusOf(http10), 200) << http10;
  std::string local =
      Exchange("GET /echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(local), 200) << local;
  EXPECT_EQ(served_.load(), 2);
}

TEST_F(ServerGuardTest, CrossOriginWritesAre403BeforeTheBodyIsRead) {
  Start();
  std::string refused = Exchange(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n"
      "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(StatusOf(refused), 403) << refused;
  EXPECT_EQ(served_.load(), 0);
  const std::string own = "http://127.0.0.1:" + std::to_string(port_);
  std::string same =
      Exchange("POST /echo HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
               "\r\nOrigin: " + own + "\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(StatusOf(same), 200) << same;
}

TEST_F(ServerGuardTest, ListedOriginsGetCorsHeaders) {
  ServerOptions options;
  options.cors_allowed_origins = {"https://app.example.com"};
  Start(options);
  std::string preflight = Exchange(
      "OPTIONS /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example.com\r\n"
      "Access-Control-Request-Method: POST\r\n\r\n");
  EXPECT_EQ(StatusOf(preflight), 204) << preflight;
  EXPECT_NE(preflight.find("Access-Control-Allow-Origin: https://app.example.com"),
            std::string::npos);
  std::string answer = Exchange(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://app.example.com\r\n"
      "Connection: close\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(StatusOf(answer), 200) << answer;
  EXPECT_NE(answer.find("Access-Control-Allow-Origin: https://app.example.com"), std::string::npos);
  EXPECT_NE(answer.find("Vary: Origin"), std::string::npos);
  std::string other = Exchange(
      "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(other), 200);
  EXPECT_EQ(other.find("Access-Control-Allow-Origin"), std::string::npos) << other;
}

TEST_F(ServerGuardTest, MalformedAllowedOriginFailsTheStart) {
  ServerOptions options;
  options.port = 0;
  options.cors_allowed_origins = {"app.example.com"};
  Server server(options, router_);
  Result<uint16_t> started = server.Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ServerGuardTest, EveryResponseCarriesTheSecurityHeaders) {
  Start();
  for (const char* target : {"/echo", "/nowhere", "/page"}) {
    std::string all = Exchange("GET " + std::string(target) +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const std::string head = all.substr(0, all.find("\r\n\r\n"));
    EXPECT_NE(head.find("X-Content-Type-Options: nosniff"), std::string::npos) << head;
    EXPECT_NE(head.find("X-Frame-Options: DENY"), std::string::npos) << head;
    EXPECT_NE(head.find("Referrer-Policy: same-origin"), std::string::npos) << head;
    EXPECT_EQ(head.find("Content-Security-Policy"), head.rfind("Content-Security-Policy"))
        << "one policy only: " << head;
    if (std::string(target) == "/page") {
      EXPECT_NE(head.find("Content-Security-Policy: default-src 'self'"), std::string::npos);
    } else {
      EXPECT_NE(head.find("Content-Security-Policy: default-src 'none'; frame-ancestors 'none'; "
                          "sandbox"),
                std::string::npos)
          << head;
    }
  }
}

TEST_F(ServerGuardTest, InternalErrorsCarryOnlyAnId) {
  Start();
  std::string all = Exchange("GET /throw HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(all), 500);
  json body = BodyOf(all);
  EXPECT_EQ(body["error_code"], "INTERNAL_ERROR");
  EXPECT_FALSE(body["request_id"].get<std::string>().empty());
  EXPECT_EQ(all.find("boom"), std::string::npos) << all;
  EXPECT_EQ(all.find("/srv"), std::string::npos) << all;
  EXPECT_NE(all.find("X-Request-Id: " + body["request_id"].get<std::string>()), std::string::npos);
}

TEST_F(ServerGuardTest, RouteBodyLimitIsEnforcedBeforeTheBody) {
  Start();
  std::string ok = Exchange(
      "POST /small HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 16\r\n\r\n" +
      std::string(16, 'x'));
  EXPECT_EQ(StatusOf(ok), 200) << ok;
  // Refused on the header alone: the client never has to send the body.
  std::string over =
      Exchange("POST /small HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n");
  EXPECT_EQ(StatusOf(over), 413) << over;
  EXPECT_NE(BodyOf(over)["message"].get<std::string>().find("16 bytes"), std::string::npos);
  std::string chunked = Exchange(
      "POST /small HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "10\r\n0123456789abcdef\r\n1\r\nx\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(chunked), 413) << chunked;
  // Other routes keep the server's limit.
  std::string other = Exchange(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 100\r\n\r\n" +
      std::string(100, 'x'));
  EXPECT_EQ(StatusOf(other), 200) << other;
}

TEST_F(ServerGuardTest, TrickledBodyIsCutOffWhileANormalOneIsNot) {
  ServerOptions options;
  options.body_grace = std::chrono::seconds(1);
  options.min_body_bytes_per_second = 1000;
  Start(options);
  Raw slow(port_);
  slow.Write("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n");
  const auto started = Clock::now();
  std::thread trickle([&slow] {
    for (int i = 0; i < 40; ++i) {
      slow.Write("x");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::string cut = slow.ReadToEof();
  const auto took = Clock::now() - started;
  trickle.join();
  EXPECT_EQ(StatusOf(cut), 408) << cut;
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(served_.load(), 0);
  // A body that arrives in a few pieces at a reasonable pace is served.
  Raw fine(port_);
  fine.Write(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
      "6000\r\n\r\n");
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    fine.Write(std::string(2000, 'y'));
  }
  EXPECT_EQ(StatusOf(fine.ReadToEof()), 200);
}

// Idle connections from one client (a flood of them) must not lock out the others.
TEST_F(ServerGuardTest, ConnectionsBeyondTheCapsAreRefusedOthersServed) {
  ServerOptions options;
  options.max_connections = 4;
  options.max_connections_per_client = 2;
  Start(options);
  std::vector<std::unique_ptr<Raw>> idle;
  for (int i = 0; i < 2; ++i) idle.push_back(std::make_unique<Raw>(port_, "127.0.0.1"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // accepted and counted
  std::string refused = Exchange("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "127.0.0.1");
  EXPECT_TRUE(refused.empty() || StatusOf(refused) == 503) << refused;
  if (!refused.empty()) {
    EXPECT_NE(refused.find("from this client"), std::string::npos);
  }
  std::string other =
      Exchange("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "127.0.0.2");
  EXPECT_EQ(StatusOf(other), 200) << other;
  for (int i = 0; i < 2; ++i) idle.push_back(std::make_unique<Raw>(port_, "127.0.0.3"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::string full = Exchange("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "127.0.0.4");
  EXPECT_TRUE(full.empty() || StatusOf(full) == 503) << full;
  // Closed connections give their places back.
  idle.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::string again =
      Exchange("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "127.0.0.1");
  EXPECT_EQ(StatusOf(again), 200) << again;
}

}  // namespace
}  // namespace kiln::http
