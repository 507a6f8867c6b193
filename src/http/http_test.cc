#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/percent.h"
#include "http/message.h"
#include "http/router.h"
#include "http/uri.h"

namespace kiln::http {
namespace {

using nlohmann::json;

Request MakeRequest(const std::string& method, const std::string& path) {
  Request request;
  request.method = method;
  request.path = path;
  request.target = path;
  return request;
}

Handler Named(const std::string& name) {
  return [name](Request&) { return Response::Json(200, json{{"route", name}}.dump()); };
}

std::string RouteOf(const Response& response) { return json::parse(response.body)["route"]; }

// ---------------------------------------------------------------------------- Router

TEST(RouterTest, FallbackTakesOnlyPathsNoRouteMatches) {
  Router router;
  router.Add("GET", "/api/v1/runs/{id}", AccessPolicy::kPublic, Named("run"));
  router.Add("POST", "/api/v1/things", AccessPolicy::kPublic, Named("things"));
  Request unknown = MakeRequest("GET", "/pipelines/iris");
  EXPECT_EQ(router.Dispatch(unknown).status, 404);  // no fallback yet
  router.SetFallback(AccessPolicy::kPublic, Named("fallback"));
  Request route = MakeRequest("GET", "/api/v1/runs/7");
  EXPECT_EQ(RouteOf(router.Dispatch(route)), "run");
  EXPECT_EQ(RouteOf(router.Dispatch(unknown)), "fallback");
  // A known path with another method stays a 405, not the fallback's.
  Request wrong_method = MakeRequest("GET", "/api/v1/things");
  EXPECT_EQ(router.Dispatch(wrong_method).status, 405);
}

TEST(RouterTest, ListsEveryRouteWithItsPolicyThenTheFallback) {
  Router router;
  router.Add("GET", "/api/v1/runs/{id}", AccessPolicy::kPublic, Named("run"));
  router.Add("POST", "/api/v1/things", AccessPolicy::kPublic, Named("things"), RouteOptions{1024});
  EXPECT_EQ(router.Routes().size(), 2u);
  router.SetFallback(AccessPolicy::kPublic, Named("fallback"));
  const std::vector<RouteInfo> routes = router.Routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].method, "GET");
  EXPECT_EQ(routes[0].pattern, "/api/v1/runs/{id}");
  EXPECT_STREQ(AccessPolicyName(routes[0].policy), "public");
  EXPECT_EQ(routes[1].max_body_bytes, 1024u);
  EXPECT_EQ(routes[2].method, "*");
  EXPECT_EQ(routes[2].pattern, "*");
}

TEST(RouterTest, GuardSeesThePolicyAndMayAnswerInsteadOfTheHandler) {
  Router router;
  router.Add("GET", "/open", AccessPolicy::kPublic, Named("open"));
  router.SetFallback(AccessPolicy::kPublic, Named("fallback"));
  std::vector<std::string> guarded;
  router.SetGuard([&guarded](Request& request, AccessPolicy policy) -> std::optional<Response> {
    guarded.push_back(request.path + " " + AccessPolicyName(policy));
    if (request.Header("authorization").empty()) {
      return Response::Error(401, "UNAUTHENTICATED", "who are you?");
    }
    Identity ada;
    ada.user = "ada";
    request.context.identity = ada;
    return std::nullopt;
  });
  Request anonymous = MakeRequest("GET", "/open");
  EXPECT_EQ(router.Dispatch(anonymous).status, 401);
  Request to_fallback = MakeRequest("GET", "/index.html");
  EXPECT_EQ(router.Dispatch(to_fallback).status, 401);
  Request known = MakeRequest("GET", "/open");
  known.headers["authorization"] = "Bearer x";
  EXPECT_EQ(RouteOf(router.Dispatch(known)), "open");
  EXPECT_EQ(known.context.identity->user, "ada");
  // Unknown methods and paths are answered before any guard: nothing to protect there.
  Request wrong_method = MakeRequest("POST", "/open");
  EXPECT_EQ(router.Dispatch(wrong_method).status, 405);
  EXPECT_EQ(guarded,
            (std::vector<std::string>{"/open public", "/index.html public", "/open public"}));
}

TEST(RouterTest, MatchesLiteralRoutes) {
  Router router;
  router.Add("GET", "/api/2.0/mlflow/experiments/get", AccessPolicy::kPublic, Named("get"));
  router.Add("POST", "/api/2.0/mlflow/experiments/create", AccessPolicy::kPublic, Named("create"));
  Request get = MakeRequest("GET", "/api/2.0/mlflow/experiments/get");
  EXPECT_EQ(RouteOf(router.Dispatch(get)), "get");
  Request create = MakeRequest("POST", "/api/2.0/mlflow/experiments/create");
  EXPECT_EQ(RouteOf(router.Dispatch(create)), "create");
}

TEST(RouterTest, FillsSegmentParams) {
  Router router;
  router.Add("GET", "/models/{name}/versions/{version}", AccessPolicy::kPublic, Named("version"));
  Request request = MakeRequest("GET", "/models/iris/versions/3");
  Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(request.path_params["name"], "iris");
  EXPECT_EQ(request.path_params["version"], "3");
}

TEST(RouterTest, SegmentParamNeedsANonEmptySegment) {
  Router router;
  router.Add("GET", "/runs/{id}", AccessPolicy::kPublic, Named("run"));
  Request empty = MakeRequest("GET", "/runs/");
  EXPECT_EQ(router.Dispatch(empty).status, 404);
  Request deeper = MakeRequest("GET", "/runs/a/b");
  EXPECT_EQ(router.Dispatch(deeper).status, 404);
}

TEST(RouterTest, TailParamTakesTheRestOfThePath) {
  Router router;
  router.Add("GET", "/artifacts/{path...}", AccessPolicy::kPublic, Named("artifact"));
  Request nested = MakeRequest("GET", "/artifacts/a/b/c.txt");
  EXPECT_EQ(router.Dispatch(nested).status, 200);
  EXPECT_EQ(nested.path_params["path"], "a/b/c.txt");
  Request slash = MakeRequest("GET", "/artifacts/");
  EXPECT_EQ(router.Dispatch(slash).status, 200);
  EXPECT_EQ(slash.path_params["path"], "");
  Request bare = MakeRequest("GET", "/artifacts");
  EXPECT_EQ(router.Dispatch(bare).status, 200);
  EXPECT_EQ(bare.path_params["path"], "");
  Request doubled = MakeRequest("GET", "/artifacts/a//b/");
  router.Dispatch(doubled);
  EXPECT_EQ(doubled.path_params["path"], "a//b/");
}

TEST(RouterTest, TailParamSeesDecodedTraversal) {
  Router router;
  router.Add("GET", "/files/{path...}", AccessPolicy::kPublic, Named("file"));
  Request request = MakeRequest("GET", *PercentDecode("/files/a/%2e%2e/%2E%2E/etc", false));
  EXPECT_EQ(router.Dispatch(request).status, 200);
  EXPECT_EQ(request.path_params["path"], "a/../../etc");
}

TEST(RouterTest, LiteralWinsOverParamWhateverTheOrder) {
  Router router;
  router.Add("GET", "/runs/{id}", AccessPolicy::kPublic, Named("param"));
  router.Add("GET", "/runs/search", AccessPolicy::kPublic, Named("literal"));
  router.Add("GET", "/files/{path...}", AccessPolicy::kPublic, Named("tail"));
  router.Add("GET", "/files/{dir}/list", AccessPolicy::kPublic, Named("param-then-literal"));
  Request search = MakeRequest("GET", "/runs/search");
  EXPECT_EQ(RouteOf(router.Dispatch(search)), "literal");
  Request run = MakeRequest("GET", "/runs/42");
  EXPECT_EQ(RouteOf(router.Dispatch(run)), "param");
  Request list = MakeRequest("GET", "/files/x/list");
  EXPECT_EQ(RouteOf(router.Dispatch(list)), "param-then-literal");
  Request other = MakeRequest("GET", "/files/x/other");
  EXPECT_EQ(RouteOf(router.Dispatch(other)), "tail");
}

TEST(RouterTest, UnknownPathIs404Json) {
  Router router;
  router.Add("GET", "/a", AccessPolicy::kPublic, Named("a"));
  Request request = MakeRequest("GET", "/b");
  Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  json body = json::parse(response.body);
  EXPECT_EQ(body["error_code"], "ENDPOINT_NOT_FOUND");
  EXPECT_NE(body["message"].get<std::string>().find("/b"), std::string::npos);
}

TEST(RouterTest, KnownPathWithOtherMethodIs405) {
  Router router;
  router.Add("GET", "/runs/{id}", AccessPolicy::kPublic, Named("get"));
  router.Add("DELETE", "/runs/{id}", AccessPolicy::kPublic, Named("delete"));
  router.Add("GET", "/runs/{id}", AccessPolicy::kPublic, Named("duplicate"));
  Request request = MakeRequest("POST", "/runs/7");
  Response response = router.Dispatch(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(json::parse(response.body)["error_code"], "BAD_REQUEST");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, DELETE");
}

TEST(RouterTest, LiteralPathWithOtherMethodFallsBackToParamRoute) {
  Router router;
  router.Add("POST", "/runs/search", AccessPolicy::kPublic, Named("search"));
  router.Add("GET", "/runs/{id}", AccessPolicy::kPublic, Named("get"));
  Request get = MakeRequest("GET", "/runs/search");
  EXPECT_EQ(RouteOf(router.Dispatch(get)), "get");
  EXPECT_EQ(get.path_params["id"], "search");
  Request post = MakeRequest("POST", "/runs/search");
  EXPECT_EQ(RouteOf(router.Dispatch(post)), "search");
  EXPECT_TRUE(post.path_params.empty());
  Request put = MakeRequest("PUT", "/runs/search");
  Response response = router.Dispatch(put);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.at(0).second, "GET, POST");
}

TEST(RouterTest, PatternsAndPathsAreNormalized) {
  Router router;
  router.Add("GET", "no/leading/slash", AccessPolicy::kPublic, Named("literal"));
  Request request = MakeRequest("GET", "/no/leading/slash");
  EXPECT_EQ(RouteOf(router.Dispatch(request)), "literal");
  Request relative = MakeRequest("GET", "no/leading/slash");
  EXPECT_EQ(router.Dispatch(relative).status, 404);
  Request trailing = MakeRequest("GET", "/no/leading/slash/");
  EXPECT_EQ(router.Dispatch(trailing).status, 404);
}

TEST(RouterTest, ThrowingHandlerGives500) {
  Router router;
  router.Add("GET", "/std", AccessPolicy::kPublic,
             [](Request&) -> Response { throw std::runtime_error("boom"); });
  router.Add("GET", "/other", AccessPolicy::kPublic, [](Request&) -> Response { throw 42; });
  for (const char* path : {"/std", "/other"}) {
    Request request = MakeRequest("GET", path);
    Response response = router.Dispatch(request);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(json::parse(response.body)["error_code"], "INTERNAL_ERROR");
  }
}

TEST(RouterTest, RootPath) {
  Router router;
  router.Add("GET", "/", AccessPolicy::kPublic, Named("root"));
  Request root = MakeRequest("GET", "/");
  EXPECT_EQ(RouteOf(router.Dispatch(root)), "root");
  Request other = MakeRequest("GET", "/x");
  EXPECT_EQ(router.Dispatch(other).status, 404);
}

TEST(RouterTest, BodyLimitIsTheMatchingRoutesDeclaredLimit) {
  Router router;
  router.Add("POST", "/api/v1/pipeline-runs", AccessPolicy::kPublic, Named("submit"),
             RouteOptions{1024});
  router.Add("POST", "/api/v1/runs/{id}/log", AccessPolicy::kPublic, Named("log"),
             RouteOptions{2048});
  router.Add("PUT", "/api/v1/files/{path...}", AccessPolicy::kPublic, Named("put"));
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/pipeline-runs"), 1024u);
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/runs/7/log"), 2048u);
  EXPECT_EQ(router.BodyLimit("PUT", "/api/v1/files/a/b"), 0u);      // no declared limit
  EXPECT_EQ(router.BodyLimit("GET", "/api/v1/pipeline-runs"), 0u);  // no such route
  EXPECT_EQ(router.BodyLimit("POST", "/elsewhere"), 0u);
  EXPECT_EQ(router.BodyLimit("POST", ""), 0u);
  EXPECT_EQ(router.SmallestBodyLimit(), 1024u);
  EXPECT_EQ(Router().SmallestBodyLimit(), 0u);
}

// ---------------------------------------------------------------------------- Message

TEST(PercentDecodeTest, DecodesEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc%2f", false), "a b/c/");
  EXPECT_EQ(PercentDecode("%2e%2E", false), "..");
  EXPECT_EQ(PercentDecode("", false), "");
  EXPECT_EQ(PercentDecode("%E2%82%AC", false), "\xE2\x82\xAC");
  EXPECT_EQ(PercentDecode("%00", false), std::string(1, '\0'));
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b%2B", true), "a b+");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

TEST(PercentDecodeTest, RejectsMalformedEscapes) {
  for (const char* bad : {"%G1", "%1G", "%4", "%", "abc%", "%%", "a%zzb", "%4%41"}) {
    EXPECT_EQ(PercentDecode(bad, false), std::nullopt) << bad;
  }
}

TEST(QueryStringTest, ParsesRepeatedAndEmptyValues) {
  std::multimap<std::string, std::string> query;
  ASSERT_TRUE(ParseQueryString("a=1&b=x+y&a=2&&flag&c=%2F%3D&d=", query));
  EXPECT_EQ(query.size(), 6u);
  Request request;
  request.query = query;
  EXPECT_EQ(request.QueryParam("b"), "x y");
  EXPECT_EQ(request.QueryParam("flag"), "");
  EXPECT_EQ(request.QueryParam("c"), "/=");
  EXPECT_EQ(request.QueryParam("missing"), std::nullopt);
  EXPECT_EQ(request.QueryParams("a"), (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(request.QueryParams("missing").empty());
  EXPECT_FALSE(ParseQueryString("a=%zz", query));
}

TEST(RequestTest, HeaderByLowerCaseName) {
  Request request;
  request.headers["content-type"] = "text/plain";
  EXPECT_EQ(request.Header("content-type"), "text/plain");
  EXPECT_EQ(request.Header("x-missing"), "");
}

TEST(ResponseTest, ErrorEscapesTheMessage) {
  Response response = Response::Error(400, "INVALID_PARAMETER_VALUE",
                                      "bad \"name\"\\ with\nnewline\t and \x01 control");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/json");
  json body = json::parse(response.body);
  EXPECT_EQ(body["error_code"], "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(body["message"], "bad \"name\"\\ with\nnewline\t and \x01 control");
}

TEST(ResponseTest, ErrorSurvivesInvalidUtf8) {
  Response response = Response::Error(400, "BAD_REQUEST", "bytes \xff\xfe here");
  json body = json::parse(response.body);
  EXPECT_NE(body["message"].get<std::string>().find("bytes"), std::string::npos);
}

TEST(ResponseTest, JsonKeepsTheBody) {
  Response response = Response::Json(201, R"({"a":1})");
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"a":1})");
  EXPECT_FALSE(response.file_path.has_value());
}

}  // namespace
}  // namespace kiln::http
