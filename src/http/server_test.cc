// A real Server on port 0 driven by the Client and, where the wire format matters, by a
// raw socket.
#include "http/server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>
#include <vector>

#include "http/client.h"

namespace kiln::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using nlohmann::json;

Response Echo(Request& request) {
  json query = json::object();
  for (const auto& [key, value] : request.query) query[key].push_back(value);
  json body = {{"method", request.method},     {"path", request.path},
               {"target", request.target},     {"query", query},
               {"body", request.body},         {"content_type", request.Header("content-type")},
               {"params", request.path_params}};
  return Response::Json(200, body.dump());
}

// Waits until `count` handlers are inside at once; proves requests run in parallel.
Response Rendezvous(std::atomic<int>& inside, int count) {
  ++inside;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (inside.load() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Response::Json(200, json{{"met", inside.load() >= count}}.dump());
}

// A raw connection for what the Client cannot express: pipelining, bad HTTP, chunking.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(io_context_) {
    socket_.connect({asio::ip::address_v4::loopback(), port});
  }
  void Write(std::string_view data) { asio::write(socket_, asio::buffer(data)); }
  bhttp::response<bhttp::string_body> Read() {
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket_, buffer_, response);
    return response;
  }
  void ReadHeadResponse(bhttp::response_parser<bhttp::empty_body>& parser) {
    bhttp::read(socket_, buffer_, parser);
  }
  bool ReadsEof() {
    boost::system::error_code ec;
    char byte;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_context_;
  asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/echo", AccessPolicy::kPublic, Echo);
    router_.Add("POST", "/echo", AccessPolicy::kPublic, Echo);
    router_.Add("GET", "/files/{path...}", AccessPolicy::kPublic, Echo);
    router_.Add("GET", "/throw", AccessPolicy::kPublic,
                [](Request&) -> Response { throw std::runtime_error("boom"); });
    router_.Add("GET", "/download", AccessPolicy::kPublic, [this](Request&) {
      Response response;
      response.content_type = "text/plain";
      response.file_path = file_path_;
      response.headers.emplace_back("X-Kind", "file");
      return response;
    });
    router_.Add("GET", "/rendezvous", AccessPolicy::kPublic,
                [this](Request&) { return Rendezvous(inside_, 2); });
  }

  uint16_t StartServer(ServerOptions options = {}) {
    options.port = 0;
    options.access_log = false;
    if (options.threads == 0) options.threads = 2;
    server_ = std::make_unique<Server>(options, router_);
    Result<uint16_t> port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    port_ = port.ok() ? *port : 0;
    return port_;
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

  Router router_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::string file_path_;
  std::atomic<int> inside_{0};
};

json BodyOf(const Response& response) { return json::parse(response.body); }

TEST_F(ServerTest, GetRoundTripWithQueryParams) {
  StartServer();
  Client client(BaseUrl());
  Result<Response> response = client.Send("GET", "/echo?a=1&b=x+y&a=2&c=%2F%26");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "application/json");
  json body = BodyOf(*response);
  EXPECT_EQ(body["method"], "GET");
  EXPECT_EQ(body["path"], "/echo");
  EXPECT_EQ(body["target"], "/echo?a=1&b=x+y&a=2&c=%2F%26");
  EXPECT_EQ(body["query"]["a"], json({"1", "2"}));
  EXPECT_EQ(body["query"]["b"], json({"x y"}));
  EXPECT_EQ(body["query"]["c"], json({"/&"}));
}

TEST_F(ServerTest, PostRoundTripWithBody) {
  StartServer();
  Client client(BaseUrl());
  Result<Response> response = client.Send("post", "/echo", R"({"name":"exp"})");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  json body = BodyOf(*response);
  EXPECT_EQ(body["method"], "POST");
  EXPECT_EQ(body["body"], R"({"name":"exp"})");
  EXPECT_EQ(body["content_type"], "application/json");
}

TEST_F(ServerTest, DecodesThePathBeforeRouting) {
  StartServer();
  Client client(BaseUrl());
  Result<Response> response = client.Send("GET", "/files/a/%2e%2e/%2E%2e/etc%2Fpasswd");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(BodyOf(*response)["params"]["path"], "a/../../etc/passwd");
}

TEST_F(ServerTest, MalformedEscapeOrNulInPathIs400) {
  StartServer();
  Client client(BaseUrl());
  for (const char* target : {"/files/%zz", "/files/a%00b", "/echo?a=%4"}) {
    Result<Response> response = client.Send("GET", target);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 400) << target;
    EXPECT_EQ(BodyOf(*response)["error_code"], "BAD_REQUEST");
  }
}

TEST_F(ServerTest, RouterErrorsReachTheClient) {
  StartServer();
  Client client(BaseUrl());
  Result<Response> missing = client.Send("GET", "/nowhere");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(BodyOf(*missing)["error_code"], "ENDPOINT_NOT_FOUND");
  Result<Response> thrown = client.Send("GET", "/throw");
  ASSERT_TRUE(thrown.ok());
  EXPECT_EQ(thrown->status, 500);
  EXPECT_EQ(BodyOf(*thrown)["error_code"], "INTERNAL_ERROR");
  Result<Response> wrong_method = client.Send("DELETE", "/echo");
  ASSERT_TRUE(wrong_method.ok());
  EXPECT_EQ(wrong_method->status, 405);
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneClient) {
  StartServer();
  Client client(BaseUrl());
  for (int i = 0; i < 500; ++i) {
    Result<Response> response = client.Send("POST", "/echo", std::to_string(i));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    ASSERT_EQ(BodyOf(*response)["body"], std::to_string(i));
  }
}

TEST_F(ServerTest, KeepAliveAndPipeliningOnOneConnection) {
  uint16_t port = StartServer();
  RawConnection connection(port);
  connection.Write(
      "GET /echo?n=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc");
  auto first = connection.Read();
  EXPECT_EQ(first.result_int(), 200u);
  EXPECT_TRUE(first.keep_alive());
  EXPECT_EQ(json::parse(first.body())["query"]["n"], json({"1"}));
  auto second = connection.Read();
  EXPECT_EQ(json::parse(second.body())["body"], "abc");
  connection.Write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  auto last = connection.Read();
  EXPECT_EQ(last.result_int(), 200u);
  EXPECT_FALSE(last.keep_alive());
  EXPECT_TRUE(connection.ReadsEof());
}

TEST_F(ServerTest, BodyOverTheLimitIs413Json) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  Client client(BaseUrl());
  Result<Response> at_limit = client.Send("POST", "/echo", std::string(1024, 'x'));
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  EXPECT_EQ(at_limit->status, 200);
  Result<Response> over = client.Send("POST", "/echo", std::string(4096, 'x'));
  ASSERT_TRUE(over.ok()) << over.status().ToString();
  EXPECT_EQ(over->status, 413);
  json body = BodyOf(*over);
  EXPECT_EQ(body["error_code"], "BAD_REQUEST");
  EXPECT_NE(body["message"].get<std::string>().find("1024 bytes"), std::string::npos);
  Result<Response> after = client.Send("GET", "/echo");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->status, 200);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413AndCloses) {
  ServerOptions options;
  options.max_body_bytes = 10;
  uint16_t port = StartServer(options);
  RawConnection connection(port);
  connection.Write(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
  auto response = connection.Read();
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_EQ(json::parse(response.body())["error_code"], "BAD_REQUEST");
  EXPECT_TRUE(connection.ReadsEof());
}

TEST_F(ServerTest, MalformedHttpIs400JsonAndCloses) {
  uint16_t port = StartServer();
  RawConnection connection(port);
  connection.Write("GET /echo HTTP/1.1\r\nBad Header Line\r\n\r\n");
  auto response = connection.Read();
  EXPECT_EQ(response.result_int(), 400u);
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_EQ(json::parse(response.body())["error_code"], "BAD_REQUEST");
  EXPECT_TRUE(connection.ReadsEof());
}

TEST_F(ServerTest, HeadResponsesCarryNoBody) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("kiln_http_head_" + std::to_string(getpid()));
  std::ofstream(path) << "twelve bytes";
  file_path_ = path.string();
  router_.Add("HEAD", "/echo", AccessPolicy::kPublic, Echo);
  router_.Add("HEAD", "/download", AccessPolicy::kPublic, [this](Request&) {
    Response response;
    response.file_path = file_path_;
    return response;
  });
  uint16_t port = StartServer();
  RawConnection connection(port);
  // Were a body sent after either HEAD response, it would be read as the next response.
  connection.Write(
      "HEAD /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "HEAD /download HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
      "GET /echo?after=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  bhttp::response_parser<bhttp::empty_body> echo_head;
  echo_head.skip(true);
  connection.ReadHeadResponse(echo_head);
  EXPECT_EQ(echo_head.get().result_int(), 200u);
  EXPECT_NE(echo_head.get()[bhttp::field::content_length], "0");
  bhttp::response_parser<bhttp::empty_body> file_head;
  file_head.skip(true);
  connection.ReadHeadResponse(file_head);
  EXPECT_EQ(file_head.get()[bhttp::field::content_length], "12");
  auto after = connection.Read();
  EXPECT_EQ(json::parse(after.body())["query"]["after"], json({"1"}));
  std::filesystem::remove(path);
}

TEST_F(ServerTest, AnswersExpectContinue) {
  uint16_t port = StartServer();
  RawConnection connection(port);
  connection.Write(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: "
      "100-continue\r\n\r\n");
  EXPECT_EQ(connection.Read().result_int(), 100u);
  connection.Write("hello");
  auto response = connection.Read();
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(json::parse(response.body())["body"], "hello");
}

TEST_F(ServerTest, StreamsFiles) {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("kiln_http_test_" + std::to_string(getpid()));
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  std::ofstream(path) << content;
  file_path_ = path.string();
  StartServer();
  Client client(BaseUrl());
  Result<Response> response = client.Send("GET", "/download");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "text/plain");
  EXPECT_EQ(response->body, content);
  bool has_kind = false;
  for (const auto& [name, value] : response->headers) has_kind |= name == "x-kind";
  EXPECT_TRUE(has_kind);
  std::filesystem::remove(path);
  Result<Response> missing = client.Send("GET", "/download");
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(BodyOf(*missing)["error_code"], "RESOURCE_DOES_NOT_EXIST");
}

TEST_F(ServerTest, TwoThreadsServeConcurrentClients) {
  ServerOptions options;
  options.threads = 2;
  StartServer(options);
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      Client client(BaseUrl());
      for (int i = 0; i < 200; ++i) {
        std::string body = std::to_string(c) + ":" + std::to_string(i);
        Result<Response> response = client.Send("POST", "/echo", body);
        if (!response.ok() || BodyOf(*response)["body"] != body) ++failures;
      }
    });
  }
  for (std::thread& thread : clients) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(ServerTest, TwoThreadsRunHandlersInParallel) {
  ServerOptions options;
  options.threads = 2;
  StartServer(options);
  std::vector<int> met(2, 0);  // not vector<bool>: its bits share words across threads
  std::vector<std::thread> clients;
  for (int c = 0; c < 2; ++c) {
    clients.emplace_back([&, c] {
      Client client(BaseUrl());
      Result<Response> response = client.Send("GET", "/rendezvous");
      met[c] = response.ok() && BodyOf(*response)["met"] == true;
    });
  }
  for (std::thread& thread : clients) thread.join();
  EXPECT_EQ(met[0], 1);
  EXPECT_EQ(met[1], 1);
}

TEST_F(ServerTest, StopIsIdempotentAndClosesTheService) {
  StartServer();
  Client client(BaseUrl());
  ASSERT_TRUE(client.Send("GET", "/echo").ok());
  server_->Stop();
  server_->Stop();
  Result<Response> after = client.Send("GET", "/echo");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().code(), StatusCode::kUnavailable);
  server_.reset();  // the destructor stops once more

  Server never_started(ServerOptions{}, router_);
  never_started.Stop();
  never_started.Stop();
}

TEST_F(ServerTest, StartTwiceFails) {
  StartServer();
  EXPECT_FALSE(server_->Start().ok());
}

TEST_F(ServerTest, BusyPortIsUnavailableNamingTheAddress) {
  uint16_t port = StartServer();
  ServerOptions options;
  options.port = port;
  Server second(options, router_);
  Result<uint16_t> result = second.Start();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(result.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << result.status().message();
}

TEST_F(ServerTest, ClientReconnectsAfterServerRestart) {
  uint16_t port = StartServer();
  Client client(BaseUrl());
  ASSERT_TRUE(client.Send("GET", "/echo").ok());
  server_.reset();
  ServerOptions options;
  options.port = port;
  options.access_log = false;
  Server restarted(options, router_);
  ASSERT_TRUE(restarted.Start().ok());
  Result<Response> response = client.Send("GET", "/echo");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
}

// Collects log lines; the access log is written when a response has been sent, which
// can be just after the client has read it.
class LineSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> WaitForLines(size_t count) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (lines_.size() >= count) return lines_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    lines_.emplace_back(message.payload.data(), message.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

TEST_F(ServerTest, WritesOneAccessLogLinePerRequest) {
  auto sink = std::make_shared<LineSink>();
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("access_test", sink));
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  Server server(options, router_);
  Result<uint16_t> port = server.Start();
  ASSERT_TRUE(port.ok());
  Client client("http://127.0.0.1:" + std::to_string(*port));
  ASSERT_TRUE(client.Send("GET", "/echo?x=1").ok());
  ASSERT_TRUE(client.Send("GET", "/nowhere").ok());
  std::vector<std::string> lines = sink->WaitForLines(2);
  server.Stop();
  spdlog::set_default_logger(previous);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(GET /echo 200 \d+\.\d\d)"))) << lines[0];
  EXPECT_TRUE(std::regex_match(lines[1], std::regex(R"(GET /nowhere 404 \d+\.\d\d)"))) << lines[1];
}

TEST(ClientTest, RejectsBadUrls) {
  for (const char* url : {"ftp://x:1", "http://", "http://host:abc", "http://host:99999",
                          "127.0.0.1:80", "http://[::1"}) {
    Client client(url);
    Result<Response> response = client.Send("GET", "/");
    ASSERT_FALSE(response.ok()) << url;
    EXPECT_EQ(response.status().code(), StatusCode::kInvalidArgument) << url;
  }
}

TEST(ClientTest, UnreachableServerIsUnavailable) {
  Router router;
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  uint16_t port = 0;
  {
    Server server(options, router);
    Result<uint16_t> started = server.Start();
    ASSERT_TRUE(started.ok());
    port = *started;
  }
  Client client("http://127.0.0.1:" + std::to_string(port));
  Result<Response> response = client.Send("GET", "/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace kiln::http
