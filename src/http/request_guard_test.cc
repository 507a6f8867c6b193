// The pure pieces of the server's defences: Host matching, origins, framing, the guard built
// from them, the connection and stream caps, the log throttle and internal-error hiding.
#include "http/request_guard.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/connection_limiter.h"
#include "http/framing.h"
#include "http/host_policy.h"
#include "http/internal_error.h"
#include "http/log_throttle.h"
#include "http/origin_policy.h"
#include "http/stream_pool.h"

namespace kiln::http {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------- Host

TEST(HostNameOfTest, StripsPortAndBrackets) {
  EXPECT_EQ(HostNameOf("Example.com:8080"), "Example.com");
  EXPECT_EQ(HostNameOf("localhost"), "localhost");
  EXPECT_EQ(HostNameOf("[::1]:80"), "::1");
  EXPECT_EQ(HostNameOf("[::1]"), "::1");
  EXPECT_EQ(HostNameOf("127.0.0.1:"), "127.0.0.1");
}

TEST(HostNameOfTest, RefusesMalformedValues) {
  for (const char* bad : {"", ":80", "[::1", "[::1]x", "a b", "a:b", "evil.com@127.0.0.1", "a,b",
                          "[g::1]", "host:80:90", "a/b"}) {
    EXPECT_FALSE(HostNameOf(bad).has_value()) << bad;
  }
}

TEST(HostPolicyTest, LoopbackAndLiterals) {
  for (const char* name : {"localhost", "LocalHost", "127.0.0.1", "127.3.4.5", "::1"}) {
    EXPECT_TRUE(IsLoopbackName(name)) << name;
  }
  for (const char* name : {"localhost.evil.com", "128.0.0.1", "0.0.0.0", "::", "evil"}) {
    EXPECT_FALSE(IsLoopbackName(name)) << name;
  }
  EXPECT_TRUE(IsIpLiteral("10.1.2.3"));
  EXPECT_TRUE(IsIpLiteral("fe80::1"));
  EXPECT_FALSE(IsIpLiteral("10.1.2"));
  EXPECT_FALSE(IsIpLiteral("example.com"));
  EXPECT_TRUE(IsWildcardAddress("0.0.0.0"));
  EXPECT_TRUE(IsWildcardAddress("::"));
  EXPECT_FALSE(IsWildcardAddress("127.0.0.1"));
}

TEST(HostPolicyTest, WildcardPatterns) {
  EXPECT_TRUE(MatchesHostPattern("*", "anything.at.all"));
  EXPECT_TRUE(MatchesHostPattern("*.example.com", "a.example.com"));
  EXPECT_TRUE(MatchesHostPattern("*.example.com", "A.B.Example.COM"));
  EXPECT_FALSE(MatchesHostPattern("*.example.com", "example.com"));
  EXPECT_FALSE(MatchesHostPattern("*.example.com", "evilexample.com"));
  EXPECT_FALSE(MatchesHostPattern("*.example.com", "a.example.com.evil.net"));
  EXPECT_TRUE(MatchesHostPattern("kiln.lan", "KILN.lan"));
  EXPECT_FALSE(MatchesHostPattern("kiln.lan", "kiln.lan.evil.net"));
}

TEST(HostAllowListTest, DefaultsOnLoopback) {
  HostAllowList hosts("127.0.0.1", {});
  for (const char* ok :
       {"127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "127.0.0.2"}) {
    EXPECT_TRUE(hosts.Allows(ok)) << ok;
  }
  // DNS rebinding: the attacker's name, resolving to 127.0.0.1.
  for (const char* bad : {"rebind.evil.com:8080", "10.0.0.5:8080", "", "a b"}) {
    EXPECT_FALSE(hosts.Allows(bad)) << bad;
  }
}

TEST(HostAllowListTest, WildcardListenAddressAllowsIpLiteralsOnly) {
  HostAllowList hosts("0.0.0.0", {});
  EXPECT_TRUE(hosts.Allows("192.168.1.7:8080"));
  EXPECT_TRUE(hosts.Allows("[fe80::1]:8080"));
  EXPECT_FALSE(hosts.Allows("kiln.lan:8080"));
  HostAllowList named("kiln.lan", {});
  EXPECT_TRUE(named.Allows("Kiln.Lan:8080"));
  EXPECT_FALSE(named.Allows("192.168.1.7:8080"));
}

TEST(HostAllowListTest, ConfiguredPatternsIgnoreTheirPorts) {
  HostAllowList hosts("127.0.0.1", {"kiln.example.com:443", "*.corp.net", "[fd00::5]"});
  EXPECT_TRUE(hosts.Allows("kiln.example.com"));
  EXPECT_TRUE(hosts.Allows("build.corp.net:8080"));
  EXPECT_TRUE(hosts.Allows("[fd00::5]:8080"));
  EXPECT_FALSE(hosts.Allows("corp.net"));
  EXPECT_TRUE(HostAllowList("127.0.0.1", {"*"}).Allows("whatever.example"));
}

// ---------------------------------------------------------------------------- Origin

TEST(OriginTest, Normalizes) {
  EXPECT_EQ(NormalizeOrigin("HTTPS://App.Example.com"), "https://app.example.com");
  EXPECT_EQ(NormalizeOrigin("https://app.example.com:443/"), "https://app.example.com");
  EXPECT_EQ(NormalizeOrigin("http://127.0.0.1:80"), "http://127.0.0.1");
  EXPECT_EQ(NormalizeOrigin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(NormalizeOrigin("http://[::1]:8080"), "http://[::1]:8080");
  for (const char* bad : {"null", "", "example.com", "https://", "https://a.com/path",
                          "https://user@a.com", "https://a.com?x", "ht tp://a.com"}) {
    EXPECT_FALSE(NormalizeOrigin(bad).has_value()) << bad;
  }
}

TEST(OriginTest, OfAUrl) {
  EXPECT_EQ(OriginOfUrl("http://127.0.0.1:8080/pipelines/x?y=1#z"), "http://127.0.0.1:8080");
  EXPECT_EQ(OriginOfUrl("https://Evil.com"), "https://evil.com");
  EXPECT_FALSE(OriginOfUrl("/relative/path").has_value());
  EXPECT_FALSE(OriginOfUrl("about:blank").has_value());
}

TEST(OriginTest, SameOriginComparesHostAndPort) {
  EXPECT_TRUE(IsSameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_TRUE(IsSameOrigin("https://kiln.example.com", "Kiln.Example.com:443"));
  EXPECT_TRUE(IsSameOrigin("http://kiln.example.com", "kiln.example.com"));
  EXPECT_FALSE(IsSameOrigin("http://127.0.0.1:9999", "127.0.0.1:8080"));
  EXPECT_FALSE(IsSameOrigin("http://localhost:8080", "127.0.0.1:8080"));
  EXPECT_FALSE(IsSameOrigin("ftp://127.0.0.1:8080", "127.0.0.1:8080"));
}

TEST(OriginTest, StateChangingMethods) {
  for (const char* method : {"GET", "HEAD", "OPTIONS"}) EXPECT_FALSE(IsStateChanging(method));
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE", "PROPFIND"}) {
    EXPECT_TRUE(IsStateChanging(method)) << method;
  }
}

// ---------------------------------------------------------------------------- Framing

TEST(FramingTest, AcceptsOnlyASingleChunked) {
  EXPECT_EQ(FramingError({}, true, 11), "");
  EXPECT_EQ(FramingError({}, false, 10), "");
  EXPECT_EQ(FramingError({"chunked"}, false, 11), "");
  EXPECT_EQ(FramingError({"Chunked "}, false, 11), "");
  for (const char* coding :
       {"gzip", "gzip, chunked", "chunked, gzip", "identity", "chunked,", "", "chunked;q=1"}) {
    EXPECT_NE(FramingError({coding}, false, 11), "") << coding;
  }
  EXPECT_NE(FramingError({"chunked"}, true, 11), "");           // with Content-Length
  EXPECT_NE(FramingError({"chunked"}, false, 10), "");          // HTTP/1.0
  EXPECT_NE(FramingError({"gzip", "chunked"}, false, 11), "");  // two field lines
  EXPECT_NE(FramingError({"gzip"}, false, 11).find("'gzip'"), std::string::npos);
}

// ---------------------------------------------------------------------------- RequestGuard

Request Make(const std::string& method, std::map<std::string, std::string> headers) {
  Request request;
  request.method = method;
  request.path = request.target = "/api/v1/pipeline-runs";
  request.headers = std::move(headers);
  return request;
}

RequestGuard Guard(std::vector<std::string> origins = {}) {
  Result<RequestGuard> guard = RequestGuard::Create("127.0.0.1", {}, origins);
  EXPECT_TRUE(guard.ok()) << guard.status().ToString();
  return std::move(*guard);
}

std::string Message(const std::optional<Response>& response) {
  return json::parse(response->body)["message"];
}

TEST(RequestGuardTest, HostIsRequiredOnHttp11AndChecked) {
  RequestGuard guard = Guard();
  std::optional<Response> missing = guard.Check(Make("GET", {}), 11);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 400);
  EXPECT_FALSE(guard.Check(Make("GET", {}), 10));
  std::optional<Response> rebound = guard.Check(Make("GET", {{"host", "evil.com:8080"}}), 11);
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 403);
  EXPECT_NE(Message(rebound).find("evil.com:8080"), std::string::npos);
  EXPECT_NE(Message(rebound).find("--allowed-hosts"), std::string::npos);
  EXPECT_FALSE(guard.Check(Make("GET", {{"host", "127.0.0.1:8080"}}), 11));
}

TEST(RequestGuardTest, ForeignOriginsCannotChangeState) {
  RequestGuard guard = Guard();
  const std::string host = "127.0.0.1:8080";
  // The server's own pages and non-browser clients pass.
  EXPECT_FALSE(guard.Check(Make("POST", {{"host", host}}), 11));
  EXPECT_FALSE(guard.Check(Make("POST", {{"host", host}, {"origin", "http://" + host}}), 11));
  EXPECT_FALSE(
      guard.Check(Make("DELETE", {{"host", host}, {"referer", "http://" + host + "/runs/1"}}), 11));
  // A foreign page can read nothing, but may not change anything either.
  EXPECT_FALSE(guard.Check(Make("GET", {{"host", host}, {"origin", "http://evil.com"}}), 11));
  for (auto headers :
       std::vector<std::map<std::string, std::string>>{{{"origin", "http://evil.com"}},
                                                       {{"origin", "null"}},
                                                       {{"origin", "http://127.0.0.1:9999"}},
                                                       {{"origin", "garbage"}},
                                                       {{"referer", "http://evil.com/page.html"}},
                                                       {{"referer", "not a url"}}}) {
    headers["host"] = host;
    std::optional<Response> refused = guard.Check(Make("POST", headers), 11);
    ASSERT_TRUE(refused) << headers.begin()->second;
    EXPECT_EQ(refused->status, 403);
    EXPECT_EQ(json::parse(refused->body)["error_code"], "PERMISSION_DENIED");
  }
  std::optional<Response> refused =
      guard.Check(Make("PUT", {{"host", host}, {"origin", "http://evil.com"}}), 11);
  EXPECT_NE(Message(refused).find("http://evil.com"), std::string::npos);
  EXPECT_NE(Message(refused).find("--cors-allowed-origins"), std::string::npos);
}

TEST(RequestGuardTest, ListedOriginsPassAndGetCorsAnswers) {
  RequestGuard guard = Guard({"https://app.example.com"});
  const std::string host = "127.0.0.1:8080";
  EXPECT_FALSE(
      guard.Check(Make("POST", {{"host", host}, {"origin", "https://app.example.com"}}), 11));
  std::optional<Response> preflight =
      guard.Check(Make("OPTIONS", {{"host", host},
                                   {"origin", "https://app.example.com"},
                                   {"access-control-request-method", "POST"}}),
                  11);
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  std::map<std::string, std::string> fields(preflight->headers.begin(), preflight->headers.end());
  EXPECT_EQ(fields["Access-Control-Allow-Origin"], "https://app.example.com");
  EXPECT_NE(fields["Access-Control-Allow-Headers"].find("Content-Type"), std::string::npos);
  EXPECT_NE(fields["Access-Control-Allow-Headers"].find("Authorization"), std::string::npos);
  EXPECT_EQ(fields["Vary"], "Origin");
  EXPECT_FALSE(fields["Access-Control-Max-Age"].empty());
  std::optional<Response> foreign_preflight =
      guard.Check(Make("OPTIONS", {{"host", host},
                                   {"origin", "https://evil.com"},
                                   {"access-control-request-method", "POST"}}),
                  11);
  ASSERT_TRUE(foreign_preflight);
  EXPECT_EQ(foreign_preflight->status, 403);

  Response listed;
  guard.AddCorsHeaders(Make("GET", {{"origin", "https://app.example.com"}}), listed);
  std::map<std::string, std::string> listed_fields(listed.headers.begin(), listed.headers.end());
  EXPECT_EQ(listed_fields["Access-Control-Allow-Origin"], "https://app.example.com");
  EXPECT_EQ(listed_fields["Vary"], "Origin");
  Response other;
  guard.AddCorsHeaders(Make("GET", {{"origin", "https://evil.com"}}), other);
  for (const auto& [name, value] : other.headers) EXPECT_NE(name, "Access-Control-Allow-Origin");
  Response none;
  Guard().AddCorsHeaders(Make("GET", {{"origin", "https://evil.com"}}), none);
  EXPECT_TRUE(none.headers.empty());
}

TEST(RequestGuardTest, MalformedAllowedOriginIsInvalidArgument) {
  Result<RequestGuard> guard = RequestGuard::Create("127.0.0.1", {}, {"app.example.com"});
  ASSERT_FALSE(guard.ok());
  EXPECT_EQ(guard.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(guard.status().message().find("app.example.com"), std::string::npos);
}

// ---------------------------------------------------------------------------- Caps

TEST(ConnectionLimiterTest, CapsInTotalAndPerClient) {
  ConnectionLimiter limiter(3, 2);
  ConnectionLimiter::Refusal why;
  std::optional<ConnectionLimiter::Slot> a1 = limiter.TryAcquire("a", why);
  std::optional<ConnectionLimiter::Slot> a2 = limiter.TryAcquire("a", why);
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(limiter.TryAcquire("a", why));
  EXPECT_EQ(why, ConnectionLimiter::Refusal::kClient);
  std::optional<ConnectionLimiter::Slot> b1 = limiter.TryAcquire("b", why);
  ASSERT_TRUE(b1);
  EXPECT_FALSE(limiter.TryAcquire("c", why));
  EXPECT_EQ(why, ConnectionLimiter::Refusal::kTotal);
  EXPECT_EQ(limiter.open(), 3u);
  a1.reset();
  EXPECT_EQ(limiter.open(), 2u);
  ConnectionLimiter::Slot moved = std::move(*a2);
  a2.reset();
  EXPECT_EQ(limiter.open(), 2u);
  EXPECT_TRUE(limiter.TryAcquire("a", why));  // released again at once: a temporary
}

TEST(ConnectionLimiterTest, ClientKeys) {
  namespace ip = boost::asio::ip;
  EXPECT_EQ(ClientKey(ip::make_address("10.1.2.3")), "10.1.2.3");
  EXPECT_EQ(ClientKey(ip::make_address("::ffff:10.1.2.3")), "10.1.2.3");
  EXPECT_EQ(ClientKey(ip::make_address("::1")), "::1");
  EXPECT_EQ(ClientKey(ip::make_address("2001:db8:1:2:3:4:5:6")),
            ClientKey(ip::make_address("2001:db8:1:2:ffff::9")));
  EXPECT_NE(ClientKey(ip::make_address("2001:db8:1:2::1")),
            ClientKey(ip::make_address("2001:db8:1:3::1")));
  EXPECT_EQ(ClientKey(ip::make_address("2001:db8:1:2::1")), "2001:0db8:0001:0002::/64");
}

TEST(ConnectionLimiterTest, DefaultFromTheOpenFileLimit) {
  EXPECT_EQ(DefaultMaxConnections(1024), 768u);
  EXPECT_EQ(DefaultMaxConnections(20000), 15000u);
  EXPECT_EQ(DefaultMaxConnections(1 << 20), 16384u);
  EXPECT_EQ(DefaultMaxConnections(10), 16u);
  EXPECT_GE(RaiseOpenFileLimit(), 16u);
}

TEST(StreamPoolTest, CapsStreamsPerClient) {
  StreamPool pool(3, 2);
  std::atomic<bool> release{false};
  auto task = [&release](std::stop_token stop) {
    while (!release && !stop.stop_requested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  EXPECT_EQ(pool.TryStart("a", task), StreamPool::Started::kYes);
  EXPECT_EQ(pool.TryStart("a", task), StreamPool::Started::kYes);
  EXPECT_EQ(pool.TryStart("a", task), StreamPool::Started::kClientFull);
  EXPECT_EQ(pool.TryStart("b", task), StreamPool::Started::kYes);
  EXPECT_EQ(pool.TryStart("c", task), StreamPool::Started::kFull);
  release = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (pool.active() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  release = false;
  EXPECT_EQ(pool.TryStart("a", task), StreamPool::Started::kYes);
  EXPECT_EQ(pool.TryStart("a", task), StreamPool::Started::kYes);
  pool.StopAll();
  EXPECT_EQ(pool.TryStart("a", task), StreamPool::Started::kStopped);
}

TEST(LogThrottleTest, OneLinePerPeriodWithTheCount) {
  LogThrottle throttle(std::chrono::milliseconds(200));
  EXPECT_EQ(throttle.Count(), 1u);
  EXPECT_EQ(throttle.Count(), 0u);
  EXPECT_EQ(throttle.Count(), 0u);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(throttle.Count(), 3u);
}

// ---------------------------------------------------------------------------- 500s

TEST(InternalErrorTest, HidesTheDetailsBehindAnId) {
  Request request = Make("GET", {});
  Response failed = Response::Error(500, "INTERNAL_ERROR",
                                    "cannot open database '/srv/kiln/kiln.db': SELECT x FROM t");
  Response hidden = HideInternalError(failed, request);
  EXPECT_EQ(hidden.status, 500);
  json body = json::parse(hidden.body);
  EXPECT_EQ(body["error_code"], "INTERNAL_ERROR");
  const std::string id = body["request_id"];
  EXPECT_EQ(body["message"], "Internal error (request id " + id + ")");
  EXPECT_EQ(hidden.body.find("/srv"), std::string::npos);
  EXPECT_EQ(hidden.body.find("SELECT"), std::string::npos);
  EXPECT_FALSE(id.empty());
}

TEST(InternalErrorTest, QuotesTheRequestsOwnId) {
  Request request = Make("GET", {});
  request.context.request_id = "client-id-7";
  Response hidden = HideInternalError(Response::Error(500, "INTERNAL_ERROR", "x"), request);
  EXPECT_EQ(json::parse(hidden.body)["request_id"], "client-id-7");
  bool header = false;
  for (const auto& [name, value] : hidden.headers)
    header |= name == "X-Request-Id" && value == "client-id-7";
  EXPECT_TRUE(header);
}

}  // namespace
}  // namespace kiln::http
