#include "http/response_head.h"

#include <gtest/gtest.h>

namespace kiln::http {
namespace {

// What every response carries (security_headers.h).
constexpr std::string_view kSecurity =
    "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n"
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'; sandbox\r\n";

std::string Head(const Response& response, unsigned version, bool keep_alive, size_t length) {
  std::string out = "kept|";  // appends, never replaces
  AppendResponseHead(response, static_cast<unsigned>(response.status), version, keep_alive, length,
                     out);
  return out;
}

TEST(ResponseHeadTest, KeepAliveHttp11NeedsNoConnectionField) {
  Response r = Response::Json(200, "{}");
  r.headers.emplace_back("X-Request-Id", "abc");
  EXPECT_EQ(Head(r, 11, true, 2),
            "kept|HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: abc\r\n" +
                std::string(kSecurity) + "Content-Length: 2\r\n\r\n");
}

TEST(ResponseHeadTest, ConnectionFieldFollowsTheVersion) {
  Response r = Response::Error(404, "RESOURCE_DOES_NOT_EXIST", "no");
  r.content_type.clear();
  const std::string security(kSecurity);
  EXPECT_EQ(Head(r, 11, false, 5), "kept|HTTP/1.1 404 Not Found\r\n" + security +
                                       "Content-Length: 5\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(Head(r, 10, true, 5), "kept|HTTP/1.0 404 Not Found\r\n" + security +
                                      "Content-Length: 5\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(Head(r, 10, false, 5),
            "kept|HTTP/1.0 404 Not Found\r\n" + security + "Content-Length: 5\r\n\r\n");
}

TEST(ResponseHeadTest, BodilessStatusesHaveNoLength) {
  Response r;
  r.content_type.clear();
  for (int status : {101, 204, 304}) {
    r.status = status;
    EXPECT_EQ(Head(r, 11, true, 0).find("Content-Length"), std::string::npos) << status;
    EXPECT_TRUE(IsBodilessStatus(static_cast<unsigned>(status)));
  }
  EXPECT_FALSE(IsBodilessStatus(200));
  r.status = 299;  // no standard reason
  EXPECT_EQ(Head(r, 11, true, 0), "kept|HTTP/1.1 299 <unknown-status>\r\n" +
                                      std::string(kSecurity) + "Content-Length: 0\r\n\r\n");
}

TEST(ResponseHeadTest, UnsafeFieldsAreDropped) {
  Response r = Response::Json(200, "");
  r.headers.emplace_back("X-Split", "a\r\nSet-Cookie: x=1");
  r.headers.emplace_back("Bad Name", "v");
  r.headers.emplace_back("", "v");
  r.headers.emplace_back("X-Ok", "fine");
  r.content_type = "text/plain\r\nX-Injected: 1";
  EXPECT_EQ(Head(r, 11, true, 0), "kept|HTTP/1.1 200 OK\r\nX-Ok: fine\r\n" +
                                      std::string(kSecurity) + "Content-Length: 0\r\n\r\n");
  EXPECT_TRUE(IsSafeHeader("X-Ok", "fine"));
  EXPECT_FALSE(IsSafeHeader("X-Nul", std::string_view("a\0b", 3)));
}

TEST(ResponseHeadTest, AResponsesOwnPolicyReplacesTheDefault) {
  Response r = Response::Json(200, "");
  r.content_type = "text/html";
  r.headers.emplace_back("Content-Security-Policy", "default-src 'self'");
  const std::string head = Head(r, 11, true, 0);
  EXPECT_NE(head.find("Content-Security-Policy: default-src 'self'\r\n"), std::string::npos);
  EXPECT_EQ(head.find("sandbox"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Frame-Options: DENY\r\n"), std::string::npos) << head;
}

}  // namespace
}  // namespace kiln::http
