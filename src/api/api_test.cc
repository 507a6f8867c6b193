#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "api/app.h"
#include "api/app_test_fixture.h"
#include "api/endpoint.h"
#include "api/error_mapping.h"
#include "api/request_args.h"

namespace kiln::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------- error mapping

TEST(ErrorMappingTest, EveryCodeHasItsHttpStatusAndMlflowCode) {
  struct Row {
    StatusCode code;
    int http_status;
    std::string error_code;
  };
  const std::vector<Row> table = {
      {StatusCode::kInvalidArgument, 400, "INVALID_PARAMETER_VALUE"},
      {StatusCode::kNotFound, 404, "RESOURCE_DOES_NOT_EXIST"},
      {StatusCode::kAlreadyExists, 400, "RESOURCE_ALREADY_EXISTS"},
      {StatusCode::kFailedPrecondition, 400, "INVALID_PARAMETER_VALUE"},
      {StatusCode::kResourceExhausted, 429, "REQUEST_LIMIT_EXCEEDED"},
      {StatusCode::kUnauthenticated, 401, "UNAUTHENTICATED"},
      {StatusCode::kPermissionDenied, 403, "PERMISSION_DENIED"},
      {StatusCode::kUnavailable, 503, "TEMPORARILY_UNAVAILABLE"},
      {StatusCode::kInternal, 500, "INTERNAL_ERROR"},
  };
  for (const Row& row : table) {
    HttpError mapped = MapStatus(row.code);
    EXPECT_EQ(mapped.http_status, row.http_status) << StatusCodeName(row.code);
    EXPECT_EQ(std::string(mapped.error_code), row.error_code) << StatusCodeName(row.code);

    http::Response response = ErrorResponse(Status(row.code, "the \"reason\" here"));
    EXPECT_EQ(response.status, row.http_status);
    EXPECT_EQ(response.content_type, "application/json");
    json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_EQ(body.value("error_code", ""), row.error_code);
    EXPECT_EQ(body.value("message", ""), "the \"reason\" here");
  }
  EXPECT_EQ(MapStatus(StatusCode::kOk).http_status, 200);
}

TEST(ErrorMappingTest, InvalidUtf8InMessageStillGivesJson) {
  http::Response response = ErrorResponse(InvalidArgument("bad key '\xff\xfe'"));
  EXPECT_EQ(response.status, 400);
  json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_NE(body["message"].get<std::string>().find("bad key"), std::string::npos);
}

TEST(ErrorMappingTest, ServerFoldersAreHiddenInErrorAnswers) {
  HidePathInErrors("/srv/kiln-test-data", "<data folder>");
  HidePathInErrors("/srv/kiln-test-data/", "<data folder>");  // registered once
  HidePathInErrors("/", "<root>");                            // ignored: would hide every path
  EXPECT_EQ(HideServerPaths("cannot read '/srv/kiln-test-data/artifacts/x': gone"),
            "cannot read '<data folder>/artifacts/x': gone");
  EXPECT_EQ(HideServerPaths("at /srv/kiln-test-data and /srv/kiln-test-data2/x"),
            "at <data folder> and /srv/kiln-test-data2/x");
  http::Response response = ErrorResponse(NotFound("no file '/srv/kiln-test-data/kiln.db'"));
  EXPECT_EQ(json::parse(response.body)["message"], "no file '<data folder>/kiln.db'");
}

// ---------------------------------------------------------------- RequestArgs

http::Request MakeRequest(std::string body, std::multimap<std::string, std::string> query = {}) {
  http::Request request;
  request.method = "POST";
  request.path = "/x";
  request.target = "/x";
  request.body = std::move(body);
  request.query = std::move(query);
  return request;
}

RequestArgs Args(const std::string& body, std::multimap<std::string, std::string> query = {}) {
  Result<RequestArgs> args = RequestArgs::FromRequest(MakeRequest(body, std::move(query)));
  EXPECT_TRUE(args.ok()) << body << ": " << args.status().ToString();
  return args.ok() ? *args : RequestArgs(json::object(), "");
}

TEST(RequestArgsTest, MalformedOrNonObjectBodyIsInvalidArgument) {
  for (const char* body : {"{bad json", "{\"a\": }", "{\"a\": 1} trailing", "nul"}) {
    Result<RequestArgs> args = RequestArgs::FromRequest(MakeRequest(body));
    ASSERT_FALSE(args.ok()) << body;
    EXPECT_EQ(args.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(args.status().message().find("Malformed JSON"), std::string::npos);
  }
  for (const char* body : {"[1, 2]", "\"text\"", "42", "null"}) {
    Result<RequestArgs> args = RequestArgs::FromRequest(MakeRequest(body));
    ASSERT_FALSE(args.ok()) << body;
    EXPECT_EQ(args.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(args.status().message().find("object"), std::string::npos) << args.status().message();
  }
  // Nesting beyond the limit is refused before parsing; ordinary nesting is fine.
  const std::string deep = "{\"a\": " + std::string(200, '[') + std::string(200, ']') + "}";
  Result<RequestArgs> too_deep = RequestArgs::FromRequest(MakeRequest(deep));
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.status().code(), StatusCode::kInvalidArgument);
  const std::string shallow = "{\"a\": " + std::string(10, '[') + std::string(10, ']') + "}";
  EXPECT_TRUE(RequestArgs::FromRequest(MakeRequest(shallow)).ok());
  // Brackets inside strings do not count.
  const std::string in_string = "{\"a\": \"" + std::string(200, '[') + "\"}";
  EXPECT_TRUE(RequestArgs::FromRequest(MakeRequest(in_string)).ok());
  // Too many values (however small their text) are refused before parsing.
  std::string many = "{\"a\": [";
  for (size_t i = 0; i <= kMaxJsonValues; ++i) many += i ? ",[]" : "[]";
  many += "]}";
  Result<RequestArgs> too_many = RequestArgs::FromRequest(MakeRequest(many));
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(too_many.status().message(),
            "Malformed JSON request body: more than 1000000 values (arrays, objects and list "
            "items); send less at once");
  // An empty or blank body is no arguments at all.
  EXPECT_FALSE(Args("").Has("x"));
  EXPECT_FALSE(Args(" \r\n\t").Has("x"));
}

TEST(RequestArgsTest, ScanJsonCountsContainersAndCommasOutsideStrings) {
  EXPECT_EQ(ScanJson("").values, 0u);
  EXPECT_EQ(ScanJson("[]").values, 1u);
  EXPECT_EQ(ScanJson("[1,2,3]").values, 3u);     // 4 values - 1
  EXPECT_EQ(ScanJson("[[],[],[]]").values, 6u);  // 4 arrays + 2 commas: at most twice 4
  EXPECT_EQ(ScanJson("{\"a\": 1, \"b\": [1, 2]}").values, 4u);
  EXPECT_EQ(ScanJson("{\"a\": \"[,],{\\\"\"}").values, 1u);
  EXPECT_EQ(ScanJson("[[[]]]").depth, 3);
  // An MLflow log-batch at its limits (1000 metrics, 100 params, 100 tags) is far below the cap.
  std::string batch = "{\"run_id\": \"r\", \"metrics\": [";
  for (int i = 0; i < 1000; ++i) {
    batch += std::string(i ? "," : "") +
             "{\"key\": \"m\", \"value\": 1.5, \"timestamp\": 1, \"step\": 2}";
  }
  batch += "], \"params\": [], \"tags\": []}";
  EXPECT_LT(ScanJson(batch).values * 100, kMaxJsonValues);
}

TEST(RequestArgsTest, MissingFieldMessageNamesTheField) {
  RequestArgs args = Args(R"({"other": "x", "nothing": null})");
  Result<std::string> missing = args.RequiredString("run_id");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.status().message(), "Missing value for required parameter 'run_id'.");
  EXPECT_FALSE(args.RequiredString("nothing").ok());  // null counts as missing
  EXPECT_NE(args.RequiredInt("timestamp").status().message().find("'timestamp'"),
            std::string::npos);
  EXPECT_NE(args.RequiredDouble("value").status().message().find("'value'"), std::string::npos);
  EXPECT_NE(args.RequiredObject("dataset").status().message().find("'dataset'"), std::string::npos);
  Result<std::string> either = args.RequiredStringOf({"run_id", "run_uuid"});
  EXPECT_NE(either.status().message().find("'run_id'"), std::string::npos);
  EXPECT_EQ(*args.OptionalString("absent", "fallback"), "fallback");
}

TEST(RequestArgsTest, NestedFieldsAreNamedWithTheirPath) {
  RequestArgs args = Args(R"({"metrics": [{"key": "a"}, {"value": 1}], "d": {"x": 1}})");
  auto metrics = args.ObjectList("metrics");
  ASSERT_TRUE(metrics.ok());
  ASSERT_EQ(metrics->size(), 2u);
  EXPECT_EQ(*(*metrics)[0].RequiredString("key"), "a");
  Result<std::string> key = (*metrics)[1].RequiredString("key");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("'metrics[1].key'"), std::string::npos)
      << key.status().message();
  auto nested = args.RequiredObject("d");
  ASSERT_TRUE(nested.ok());
  EXPECT_NE(nested->RequiredString("x").status().message().find("'d.x'"), std::string::npos);
  EXPECT_EQ(Args(R"({"metrics": [1]})").ObjectList("metrics").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Args(R"({"metrics": {}})").ObjectList("metrics").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(Args("{}").ObjectList("metrics")->empty());
}

TEST(RequestArgsTest, WrongTypesAreInvalidArgumentNamingTheField) {
  RequestArgs args = Args(
      R"({"name": 5, "step": "five", "start": 1.5, "flag": "maybe", "list": [1, "a"], "value": {}})");
  Result<std::string> name = args.RequiredString("name");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(name.status().message().find("'name'"), std::string::npos) << name.status().message();
  Result<int64_t> step = args.RequiredInt("step");
  ASSERT_FALSE(step.ok());
  EXPECT_NE(step.status().message().find("'step'"), std::string::npos);
  EXPECT_FALSE(args.RequiredInt("start").ok());  // 1.5 is not an integer
  EXPECT_FALSE(args.OptionalBool("flag", false).ok());
  EXPECT_FALSE(args.StringList("list").ok());
  EXPECT_FALSE(args.RequiredDouble("value").ok());
  EXPECT_FALSE(args.RequiredObject("name").ok());
}

TEST(RequestArgsTest, IntegersMayComeAsStringsOrWholeDoubles) {
  RequestArgs args = Args(
      R"({"a": "1700000000123", "b": 42, "c": 3.0, "d": "9007199254740993", "e": "-7", "f": "", "g": "12abc"})");
  EXPECT_EQ(*args.RequiredInt("a"), 1700000000123);
  EXPECT_EQ(*args.RequiredInt("b"), 42);
  EXPECT_EQ(*args.RequiredInt("c"), 3);
  EXPECT_EQ(*args.RequiredInt("d"), 9007199254740993);  // beyond double precision, exact
  EXPECT_EQ(*args.RequiredInt("e"), -7);
  EXPECT_FALSE(args.RequiredInt("f").ok());
  EXPECT_FALSE(args.RequiredInt("g").ok());
  // Out of int64 range is an error, never a wrapped value.
  RequestArgs huge = Args(
      R"({"u": 18446744073709551615, "s": "99999999999999999999", "max": 9223372036854775807})");
  EXPECT_EQ(huge.RequiredInt("u").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(huge.RequiredInt("s").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*huge.RequiredInt("max"), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(args.OptionalInt("absent")->has_value());
}

TEST(RequestArgsTest, DoublesAcceptNonFiniteSpellings) {
  RequestArgs args = Args(
      R"({"a": NaN, "b": Infinity, "c": -Infinity, "d": "NaN", "e": "-Infinity", "f": "2.5", "g": 7, "h": [NaN, 1]})");
  EXPECT_TRUE(std::isnan(*args.RequiredDouble("a")));
  EXPECT_EQ(*args.RequiredDouble("b"), INFINITY);
  EXPECT_EQ(*args.RequiredDouble("c"), -INFINITY);
  EXPECT_TRUE(std::isnan(*args.RequiredDouble("d")));
  EXPECT_EQ(*args.RequiredDouble("e"), -INFINITY);
  EXPECT_EQ(*args.RequiredDouble("f"), 2.5);
  EXPECT_EQ(*args.RequiredDouble("g"), 7.0);
  EXPECT_TRUE(args.object().at("h").is_array());
  EXPECT_FALSE(Args(R"({"x": "two"})").RequiredDouble("x").ok());
}

TEST(RequestArgsTest, QuoteNonFiniteTokensLeavesStringsAlone) {
  EXPECT_EQ(QuoteNonFiniteTokens(R"({"v": NaN, "w": -Infinity, "x": [Infinity]})"),
            R"({"v": "NaN", "w": "-Infinity", "x": ["Infinity"]})");
  const std::string in_strings = R"({"NaN": "NaN and Infinity", "k": "say \"NaN\" -Infinity"})";
  EXPECT_EQ(QuoteNonFiniteTokens(in_strings), in_strings);
  const std::string escaped_backslash = R"({"k": "ends with \\", "v": NaN})";
  EXPECT_EQ(QuoteNonFiniteTokens(escaped_backslash), R"({"k": "ends with \\", "v": "NaN"})");
  RequestArgs args = Args(R"({"key": "NaN-ish name", "value": NaN})");
  EXPECT_EQ(*args.RequiredString("key"), "NaN-ish name");
  EXPECT_TRUE(std::isnan(*args.RequiredDouble("value")));
}

TEST(RequestArgsTest, QueryParametersMergeAndRepeatAsLists) {
  RequestArgs args = Args("", {{"experiment_ids", "1"}, {"experiment_ids", "2"}, {"run_id", "r"}});
  EXPECT_EQ(*args.StringList("experiment_ids"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(*args.StringList("run_id"), (std::vector<std::string>{"r"}));
  EXPECT_EQ(*args.RequiredString("run_id"), "r");
  RequestArgs ints = Args("", {{"max_results", "25"}, {"flag", "true"}});
  EXPECT_EQ(*ints.RequiredInt("max_results"), 25);
  EXPECT_TRUE(*ints.OptionalBool("flag", false));
  // Body fields win over query parameters.
  RequestArgs both = Args(R"({"run_id": "from-body"})", {{"run_id", "from-query"}, {"x", "q"}});
  EXPECT_EQ(*both.RequiredString("run_id"), "from-body");
  EXPECT_EQ(*both.RequiredString("x"), "q");
}

// ---------------------------------------------------------------- full round trips

class AppTest : public AppFixture {
 protected:
  Reply Post(const std::string& endpoint, const json& body) {
    return Call("POST", "/api/2.0/mlflow/" + endpoint, body.dump());
  }

  std::string CreateRun(const std::string& experiment_id) {
    Reply run = Post("runs/create", {{"experiment_id", experiment_id}, {"start_time", "1000"}});
    EXPECT_EQ(run.status, 200) << run.body.dump();
    return run.body["run"]["info"]["run_id"].get<std::string>();
  }
};

TEST_F(AppTest, ExperimentRunLogBatchAndGetRun) {
  Reply exp = Post("experiments/create", {{"name", "exp"}});
  ASSERT_EQ(exp.status, 200) << exp.body.dump();
  const std::string exp_id = exp.body["experiment_id"].get<std::string>();
  EXPECT_EQ(exp_id, "1");
  Reply got = Call("GET", "/api/2.0/mlflow/experiments/get", "", {{"experiment_id", exp_id}});
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body["experiment"]["name"], "exp");

  Reply run = Post("runs/create", {{"experiment_id", exp_id},
                                   {"run_name", "first"},
                                   {"start_time", "1700000000000"},
                                   {"tags", json::array({{{"key", "team"}, {"value", "ml"}}})}});
  ASSERT_EQ(run.status, 200) << run.body.dump();
  const std::string run_id = run.body["run"]["info"]["run_id"].get<std::string>();
  EXPECT_EQ(run.body["run"]["info"]["run_name"], "first");
  EXPECT_EQ(run.body["run"]["info"]["start_time"], 1700000000000);

  // Python's json module sends bare NaN; int64 fields may be strings.
  const std::string batch = R"({"run_id": ")" + run_id + R"(",
      "metrics": [{"key": "loss", "value": NaN, "timestamp": 5, "step": 0},
                  {"key": "acc", "value": 0.5, "timestamp": "6", "step": "1"},
                  {"key": "big", "value": Infinity, "timestamp": 7}],
      "params": [{"key": "lr", "value": "0.1"}],
      "tags": [{"key": "note", "value": "NaN stays a string"}]})";
  Reply logged = Call("POST", "/api/2.0/mlflow/runs/log-batch", batch);
  ASSERT_EQ(logged.status, 200) << logged.body.dump();
  EXPECT_EQ(logged.body, json::object());

  Reply fetched = Call("GET", "/ajax-api/2.0/mlflow/runs/get", "", {{"run_id", run_id}});
  ASSERT_EQ(fetched.status, 200) << fetched.body.dump();
  const json& data = fetched.body["run"]["data"];
  std::map<std::string, json> metrics;
  for (const json& m : data["metrics"]) metrics[m["key"].get<std::string>()] = m;
  EXPECT_EQ(metrics["loss"]["value"], "NaN");
  EXPECT_EQ(metrics["acc"]["value"], 0.5);
  EXPECT_EQ(metrics["acc"]["step"], 1);
  EXPECT_EQ(metrics["acc"]["timestamp"], 6);
  EXPECT_EQ(metrics["big"]["value"], "Infinity");
  ASSERT_EQ(data["params"].size(), 1u);
  EXPECT_EQ(data["params"][0]["value"], "0.1");
  std::map<std::string, std::string> tags;
  for (const json& t : data["tags"])
    tags[t["key"].get<std::string>()] = t["value"].get<std::string>();
  EXPECT_EQ(tags["note"], "NaN stays a string");
  EXPECT_EQ(tags["team"], "ml");
  EXPECT_EQ(tags["mlflow.runName"], "first");

  Reply history = Call("GET", "/api/2.0/mlflow/metrics/get-history", "",
                       {{"run_id", run_id}, {"metric_key", "acc"}});
  ASSERT_EQ(history.status, 200);
  ASSERT_EQ(history.body["metrics"].size(), 1u);
  EXPECT_EQ(history.body["metrics"][0]["value"], 0.5);
}

TEST_F(AppTest, SearchRunsWithRepeatedQueryParameters) {
  const std::string a =
      Post("experiments/create", {{"name", "a"}}).body["experiment_id"].get<std::string>();
  const std::string b =
      Post("experiments/create", {{"name", "b"}}).body["experiment_id"].get<std::string>();
  Post("experiments/create", {{"name", "c"}});
  CreateRun(a);
  CreateRun(b);
  Reply found = Call("GET", "/api/2.0/mlflow/runs/search", "",
                     {{"experiment_ids", a}, {"experiment_ids", b}, {"max_results", "10"}});
  ASSERT_EQ(found.status, 200) << found.body.dump();
  EXPECT_EQ(found.body["runs"].size(), 2u);

  Reply paged = Post("runs/search", {{"experiment_ids", json::array({a, b})}, {"max_results", 1}});
  ASSERT_EQ(paged.status, 200);
  EXPECT_EQ(paged.body["runs"].size(), 1u);
  ASSERT_TRUE(paged.body.contains("next_page_token"));
  Reply next = Post("runs/search", {{"experiment_ids", json::array({a, b})},
                                    {"max_results", 1},
                                    {"page_token", paged.body["next_page_token"]}});
  ASSERT_EQ(next.status, 200);
  EXPECT_EQ(next.body["runs"].size(), 1u);
  EXPECT_NE(next.body["runs"][0]["info"]["run_id"], paged.body["runs"][0]["info"]["run_id"]);
  EXPECT_FALSE(next.body.contains("next_page_token"));
}

TEST_F(AppTest, ClientErrorsMapToMlflowErrors) {
  Reply unknown = Call("POST", "/api/2.0/mlflow/no/such/endpoint", "{}");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error_code"], "ENDPOINT_NOT_FOUND");
  Reply wrong_method = Call("GET", "/api/2.0/mlflow/runs/create");
  EXPECT_EQ(wrong_method.status, 405);

  Reply huge_time = Call("POST", "/api/2.0/mlflow/runs/create",
                         R"({"experiment_id": "0", "start_time": 18446744073709551615})");
  EXPECT_EQ(huge_time.status, 400);
  EXPECT_NE(huge_time.body["message"].get<std::string>().find("'start_time'"), std::string::npos);

  Reply malformed = Call("POST", "/api/2.0/mlflow/experiments/create", "{\"name\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.body["error_code"], "INVALID_PARAMETER_VALUE");
  EXPECT_NE(malformed.body["message"].get<std::string>().find("Malformed"), std::string::npos);

  Reply missing = Post("experiments/create", json::object());
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body["message"].get<std::string>().find("'name'"), std::string::npos);

  Reply wrong_type = Post("experiments/create", {{"name", 12}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.body["error_code"], "INVALID_PARAMETER_VALUE");

  ASSERT_EQ(Post("experiments/create", {{"name", "dup"}}).status, 200);
  Reply dup = Post("experiments/create", {{"name", "dup"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.body["error_code"], "RESOURCE_ALREADY_EXISTS");

  Reply no_run = Call("GET", "/api/2.0/mlflow/runs/get", "", {{"run_id", "0123"}});
  EXPECT_EQ(no_run.status, 404);
  EXPECT_EQ(no_run.body["error_code"], "RESOURCE_DOES_NOT_EXIST");

  Reply bad_filter = Post("runs/search", {{"filter", "metrics.acc >"}});
  EXPECT_EQ(bad_filter.status, 400);
  EXPECT_NE(bad_filter.body["message"].get<std::string>().find("position"), std::string::npos);

  const std::string run_id = CreateRun("0");
  ASSERT_EQ(Post("runs/delete", {{"run_id", run_id}}).status, 200);
  Reply deleted = Post("runs/log-parameter", {{"run_id", run_id}, {"key", "k"}, {"value", "v"}});
  EXPECT_EQ(deleted.status, 400);
  EXPECT_EQ(deleted.body["error_code"], "INVALID_PARAMETER_VALUE");
}

TEST_F(AppTest, OversizedBatchesAreRefusedAndChangeNothing) {
  const std::string run_id = CreateRun("0");
  json metrics = json::array();
  for (int i = 0; i < 1001; ++i) {
    metrics.push_back({{"key", "m"}, {"value", i}, {"timestamp", i}, {"step", i}});
  }
  Reply too_many = Post("runs/log-batch", {{"run_id", run_id}, {"metrics", metrics}});
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.body["error_code"], "INVALID_PARAMETER_VALUE");
  EXPECT_NE(too_many.body["message"].get<std::string>().find("1000"), std::string::npos);

  json params = json::array();
  for (int i = 0; i < 101; ++i)
    params.push_back({{"key", "p" + std::to_string(i)}, {"value", "v"}});
  Reply too_many_params = Post("runs/log-batch", {{"run_id", run_id}, {"params", params}});
  EXPECT_EQ(too_many_params.status, 400);

  Reply run = Call("GET", "/api/2.0/mlflow/runs/get", "", {{"run_id", run_id}});
  ASSERT_EQ(run.status, 200);
  EXPECT_FALSE(run.body["run"]["data"].contains("metrics"));
  EXPECT_FALSE(run.body["run"]["data"].contains("params"));
}

TEST_F(AppTest, RegistryRoundTrip) {
  const std::string run_id = CreateRun("0");
  Reply model = Post("registered-models/create", {{"name", "iris"}});
  ASSERT_EQ(model.status, 200) << model.body.dump();
  EXPECT_EQ(model.body["registered_model"]["name"], "iris");
  Reply version = Post("model-versions/create",
                       {{"name", "iris"}, {"source", "mlflow-artifacts:/0/x"}, {"run_id", run_id}});
  ASSERT_EQ(version.status, 200) << version.body.dump();
  EXPECT_EQ(version.body["model_version"]["version"], "1");
  EXPECT_EQ(version.body["model_version"]["status"], "READY");

  ASSERT_EQ(Post("registered-models/alias", {{"name", "iris"}, {"alias", "prod"}, {"version", "1"}})
                .status,
            200);
  Reply by_alias = Call("GET", "/api/2.0/mlflow/registered-models/alias", "",
                        {{"name", "iris"}, {"alias", "prod"}});
  ASSERT_EQ(by_alias.status, 200) << by_alias.body.dump();
  EXPECT_EQ(by_alias.body["model_version"]["run_id"], run_id);

  Reply reserved =
      Post("registered-models/alias", {{"name", "iris"}, {"alias", "latest"}, {"version", "1"}});
  EXPECT_EQ(reserved.status, 400);
  Reply dup = Post("registered-models/create", {{"name", "iris"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(dup.body["error_code"], "RESOURCE_ALREADY_EXISTS");
  Reply missing =
      Call("GET", "/api/2.0/mlflow/model-versions/get", "", {{"name", "iris"}, {"version", "2"}});
  EXPECT_EQ(missing.status, 404);
}

TEST_F(AppTest, PipelineAndModuleRoutesDeclareSmallBodyLimits) {
  const http::Router& router = app_->router();
  constexpr size_t kMiB = size_t{1} << 20;
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/pipeline-runs"), kMiB);
  EXPECT_EQ(router.BodyLimit("PUT", "/api/v1/pipelines/a/b"), kMiB);
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/pipelines/validate"), kMiB);
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/schedules"), kMiB);
  EXPECT_EQ(router.BodyLimit("POST", "/api/v1/modules"), 16 * kMiB);
}

// Every route declares its policy where it is registered (Router::Add requires one); the listing
// is what a role matrix walks, so it must hold every route exactly once, with sane policies.
TEST_F(AppTest, RouterListsEveryRouteOnceWithItsPolicy) {
  app_->ServeWebUi((dir_ / "no-ui").string());
  const std::vector<http::RouteInfo> routes = app_->router().Routes();
  std::map<std::pair<std::string, std::string>, std::string> policy_of;
  for (const http::RouteInfo& route : routes) {
    const std::string policy = http::AccessPolicyName(route.policy);
    EXPECT_NE(policy, "unknown") << route.pattern;
    EXPECT_TRUE(policy_of.emplace(std::make_pair(route.method, route.pattern), policy).second)
        << route.method << " " << route.pattern << " is registered twice";
    // Nothing that changes state is open to anonymous callers; reading needs a viewer at least
    // except for health checks and the web UI's files.
    if (policy == "public") {
      EXPECT_TRUE(route.method == "GET" || route.method == "*") << route.pattern;
      EXPECT_TRUE(route.pattern == "*" || route.pattern.find("health") != std::string::npos)
          << route.pattern;
    }
    // Deleting an object needs its owner (deleting a tag, an alias or an unfinished upload
    // changes one).
    const bool deletes_a_part = route.pattern.find("tag") != std::string::npos ||
                                route.pattern.find("alias") != std::string::npos ||
                                route.pattern.find("/upload") != std::string::npos;
    if (route.method == "DELETE" && !deletes_a_part) {
      EXPECT_EQ(policy, "owner") << route.pattern;
    }
  }
  const std::vector<std::tuple<std::string, std::string, std::string>> expected = {
      {"POST", "/api/2.0/mlflow/runs/log-metric", "runner"},
      {"GET", "/ajax-api/2.0/mlflow/runs/get", "viewer"},
      {"POST", "/api/2.0/mlflow/runs/search", "viewer"},
      {"POST", "/api/2.0/mlflow/experiments/create", "editor"},
      {"POST", "/api/2.0/mlflow/runs/delete", "owner"},
      {"POST", "/api/v1/pipeline-runs", "runner"},
      {"PUT", "/api/v1/pipelines/{name...}", "editor"},
      {"POST", "/serve/{name}/predict", "viewer"},
      {"GET", "/metrics", "viewer"},
      {"GET", "/api/v1/health", "public"},
      {"*", "*", "public"}};
  for (const auto& [method, pattern, policy] : expected) {
    auto found = policy_of.find({method, pattern});
    ASSERT_NE(found, policy_of.end()) << method << " " << pattern;
    EXPECT_EQ(found->second, policy) << method << " " << pattern;
  }
  EXPECT_GT(routes.size(), 150u);
}

TEST_F(AppTest, HandlersSeeTheRequestContext) {
  http::Request request;
  request.method = "GET";
  request.path = request.target = "/probe";
  request.context.request_id = "ctx-test-1";
  request.context.peer = "192.0.2.9";
  http::Router router;
  std::string seen_id, seen_peer;
  router.Add("GET", "/probe", http::AccessPolicy::kPublic,
             JsonEndpoint([&](const RequestContext& ctx, const RequestArgs&) -> Result<json> {
               seen_id = ctx.request_id;
               seen_peer = ctx.peer;
               return json::object();
             }));
  EXPECT_EQ(router.Dispatch(request).status, 200);
  EXPECT_EQ(seen_id, "ctx-test-1");
  EXPECT_EQ(seen_peer, "192.0.2.9");
}

// Requests from the network (peer set) are held to the server's settings; the CLI's are not.
TEST_F(AppTest, NetworkClientsBaseDirMustLieInThePipelineRoots) {
  http::Request request;
  request.method = "POST";
  request.path = request.target = "/api/v1/pipelines/validate";
  request.body = R"({"spec": "name: p\nsteps:\n  a:\n    command: [\"true\"]\n", "base_dir": "/"})";
  request.headers["content-type"] = "application/json";
  request.context.peer = "192.0.2.1";
  http::Response remote = app_->Handle(request);
  EXPECT_EQ(remote.status, 403) << remote.body;
  EXPECT_NE(remote.body.find("--pipeline-roots"), std::string::npos) << remote.body;
  request.context.peer = "";
  http::Response local = app_->Handle(request);
  EXPECT_EQ(local.status, 200) << local.body;
}

}  // namespace
}  // namespace kiln::api
