// Streamed responses (Response::stream) on a real Server on port 0, read with raw sockets.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "http/client.h"
#include "http/server.h"

namespace kiln::http {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// What a test producer shares with the test.
struct Script {
  std::atomic<bool> release{false};    // lets the producer go on after its first chunk
  std::atomic<bool> destroyed{false};  // the server released the producer
  std::atomic<bool> endless{false};    // never ends: waits until the client leaves
};

// Yields "one", waits for `release`, yields "two" and "three", then ends.
class ScriptedStream : public EventStream {
 public:
  explicit ScriptedStream(std::shared_ptr<Script> script) : script_(std::move(script)) {}
  ~ScriptedStream() override { script_->destroyed = true; }

  std::optional<std::string> Next(milliseconds wait) override {
    if (step_ == 0) return Emit("one");
    if (script_->endless || !script_->release) {
      std::this_thread::sleep_for(std::min(wait, milliseconds(20)));
      return "";
    }
    if (step_ == 1) return Emit("two");
    if (step_ == 2) return Emit("three");
    return std::nullopt;
  }

 private:
  std::string Emit(const char* text) {
    ++step_;
    return text;
  }
  std::shared_ptr<Script> script_;
  int step_ = 0;
};

// A blocking socket whose reads give up after two seconds.
class RawSocket {
 public:
  // Connects from `from`, a loopback address: each is another client to the server.
  explicit RawSocket(uint16_t port, const char* from = "127.0.0.1") : socket_(io_context_) {
    socket_.open(asio::ip::tcp::v4());
    socket_.bind({asio::ip::make_address(from), 0});
    socket_.connect({asio::ip::address_v4::loopback(), port});
    timeval timeout{2, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  void Write(std::string_view data) { asio::write(socket_, asio::buffer(data)); }
  // Reads until `needle` arrived, EOF or the timeout; returns everything read so far.
  std::string ReadUntil(std::string_view needle) {
    char buffer[4096];
    while (received_.find(needle) == std::string::npos) {
      boost::system::error_code ec;
      size_t n = socket_.read_some(asio::buffer(buffer), ec);
      if (ec) break;
      received_.append(buffer, n);
    }
    return received_;
  }
  std::string ReadToEof() { return ReadUntil(std::string_view("\x01\x02 never", 9)); }
  void Close() { socket_.close(); }

 private:
  asio::io_context io_context_;
  asio::ip::tcp::socket socket_;
  std::string received_;
};

constexpr std::string_view kGet = "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

class StreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/stream", AccessPolicy::kPublic,
                [this](Request&) { return StreamResponse(); });
    router_.Add("HEAD", "/stream", AccessPolicy::kPublic,
                [this](Request&) { return StreamResponse(); });
  }

  Response StreamResponse() {
    Response response;
    response.content_type = "text/event-stream";
    StreamBody body;
    body.producer = std::make_shared<ScriptedStream>(script_);
    body.heartbeat = ": ping\n\n";
    body.heartbeat_every = heartbeat_every_;
    response.stream = std::move(body);
    return response;
  }

  uint16_t Start(int max_streams = 64, int max_streams_per_client = 16) {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    options.max_streams = max_streams;
    options.max_streams_per_client = max_streams_per_client;
    server_ = std::make_unique<Server>(options, router_);
    Result<uint16_t> port = server_->Start();
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    return port.ok() ? *port : 0;
  }

  bool WaitDestroyed(milliseconds limit = milliseconds(3000)) {
    auto deadline = Clock::now() + limit;
    while (!script_->destroyed && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    return script_->destroyed;
  }

  Router router_;
  std::shared_ptr<Script> script_ = std::make_shared<Script>();
  milliseconds heartbeat_every_{15000};
  std::unique_ptr<Server> server_;
};

TEST_F(StreamTest, WritesChunksAsTheyComeThenCloses) {
  RawSocket socket(Start());
  socket.Write(kGet);
  std::string first = socket.ReadUntil("one\r\n");
  EXPECT_NE(first.find("HTTP/1.1 200"), std::string::npos) << first;
  EXPECT_NE(first.find("Content-Type: text/event-stream"), std::string::npos);
  EXPECT_NE(first.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_NE(first.find("Connection: close"), std::string::npos);
  EXPECT_NE(first.find("\r\n\r\n3\r\none\r\n"), std::string::npos) << first;
  EXPECT_EQ(first.find("two"), std::string::npos);  // not before the producer made it
  script_->release = true;
  std::string all = socket.ReadToEof();
  EXPECT_NE(all.find("two"), std::string::npos) << all;
  EXPECT_TRUE(all.ends_with("three\r\n0\r\n\r\n")) << all;
  EXPECT_TRUE(WaitDestroyed());
}

TEST_F(StreamTest, Http10GetsTheRawBodyUntilClose) {
  RawSocket socket(Start());
  script_->release = true;
  socket.Write("GET /stream HTTP/1.0\r\n\r\n");
  std::string all = socket.ReadToEof();
  EXPECT_EQ(all.find("chunked"), std::string::npos) << all;
  EXPECT_TRUE(all.ends_with("\r\n\r\nonetwothree")) << all;
}

TEST_F(StreamTest, ClientDisconnectStopsTheProducer) {
  script_->endless = true;
  RawSocket socket(Start());
  socket.Write(kGet);
  socket.ReadUntil("one\r\n");
  EXPECT_FALSE(script_->destroyed);
  socket.Close();
  EXPECT_TRUE(WaitDestroyed());
}

TEST_F(StreamTest, WritesHeartbeatsWhileIdle) {
  heartbeat_every_ = milliseconds(50);
  RawSocket socket(Start());
  socket.Write(kGet);
  std::string got = socket.ReadUntil(": ping\n\n");
  EXPECT_NE(got.find("8\r\n: ping\n\n\r\n"), std::string::npos) << got;
  script_->release = true;
  EXPECT_TRUE(socket.ReadToEof().ends_with("0\r\n\r\n"));
}

TEST_F(StreamTest, StreamsBeyondTheCapGet503) {
  script_->endless = true;
  uint16_t port = Start(1);
  RawSocket first(port);
  first.Write(kGet);
  first.ReadUntil("one\r\n");
  Client client("http://127.0.0.1:" + std::to_string(port));
  Result<Response> refused = client.Send("GET", "/stream");
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_EQ(refused->status, 503);
  EXPECT_NE(refused->body.find("TEMPORARILY_UNAVAILABLE"), std::string::npos);
}

// One client cannot take every slot: its streams beyond its share get 503, others' still open.
TEST_F(StreamTest, StreamsBeyondTheCapPerClientGet503) {
  script_->endless = true;
  uint16_t port = Start(4, 1);
  RawSocket first(port);
  first.Write(kGet);
  first.ReadUntil("one\r\n");
  RawSocket second(port);
  second.Write(kGet);
  std::string refused = second.ReadToEof();
  EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;
  EXPECT_NE(refused.find("from this client"), std::string::npos) << refused;
  RawSocket other_client(port, "127.0.0.2");
  other_client.Write(kGet);
  std::string served = other_client.ReadUntil("one\r\n");
  EXPECT_NE(served.find("HTTP/1.1 200"), std::string::npos) << served;
}

TEST_F(StreamTest, HeadGetsHeadersOnly) {
  RawSocket socket(Start());
  socket.Write("HEAD /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string all = socket.ReadToEof();
  EXPECT_NE(all.find("HTTP/1.1 200"), std::string::npos) << all;
  EXPECT_EQ(all.find("\r\n\r\n") + 4, all.size()) << "a body after the header: " << all;
  EXPECT_TRUE(script_->destroyed);
}

TEST_F(StreamTest, StopWithAnOpenStreamReleasesIt) {
  script_->endless = true;
  RawSocket socket(Start());
  socket.Write(kGet);
  socket.ReadUntil("one\r\n");
  auto start = Clock::now();
  server_->Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(script_->destroyed);
}

}  // namespace
}  // namespace kiln::http
