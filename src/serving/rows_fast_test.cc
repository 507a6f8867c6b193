#include "serving/rows_fast.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace kiln::serving {
namespace {

using nlohmann::json;

const Signature kIris = {{"sepal_length", "float64"},
                         {"sepal_width", "float64"},
                         {"petal_length", "float64"},
                         {"petal_width", "float64"}};
const Signature kMixed = {{"x", "float64"}, {"n", "int64"}, {"b", "bool"}, {"s", "string"}};

// Whether two tables have the same columns, types, validity and values, bit for bit.
::testing::AssertionResult SameTable(const ml::Table& a, const ml::Table& b) {
  if (a.ColumnNames() != b.ColumnNames() || a.num_rows() != b.num_rows()) {
    return ::testing::AssertionFailure() << "different columns or row counts";
  }
  for (size_t c = 0; c < a.num_columns(); ++c) {
    const ml::Column& x = a.column(c);
    const ml::Column& y = b.column(c);
    if (x.type() != y.type() || x.valid() != y.valid() || x.ValueCount() != y.ValueCount()) {
      return ::testing::AssertionFailure() << "column " << x.name() << " differs in type/validity";
    }
    bool same = true;
    switch (x.type()) {
      case ml::ColumnType::kFloat64:
        same = std::memcmp(x.doubles().data(), y.doubles().data(),
                           x.doubles().size() * sizeof(double)) == 0;
        break;
      case ml::ColumnType::kInt64:
        same = x.ints() == y.ints();
        break;
      case ml::ColumnType::kBool:
        same = x.bools() == y.bools();
        break;
      case ml::ColumnType::kString:
        same = x.strings() == y.strings();
        break;
    }
    if (!same) return ::testing::AssertionFailure() << "column " << x.name() << " values differ";
  }
  return ::testing::AssertionSuccess();
}

// The slow path as the native route runs it: nlohmann's DOM, then TableFromRecords.
Result<ml::Table> Slow(const std::string& body, const Signature& signature, ExtraFields& extra) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("rows")) {
    return InvalidArgument("not a rows body");
  }
  return TableFromRecords(doc["rows"], signature, "rows", extra);
}

// The fast path with extra fields ignored (the default) or refused.
std::optional<ml::Table> Fast(std::string_view body, const Signature& signature,
                              bool refuse = false) {
  ExtraFields extra{refuse, {}};
  return FastTableFromNativeRows(body, signature, extra);
}

// The property: the fast path declines, or agrees exactly with the slow path (the table and the
// ignored field names). Returns whether the fast path accepted.
bool CheckEquivalent(const std::string& body, const Signature& signature, bool refuse = false) {
  ExtraFields fast_extra{refuse, {}};
  std::optional<ml::Table> fast = FastTableFromNativeRows(body, signature, fast_extra);
  if (!fast) return false;
  ExtraFields slow_extra{refuse, {}};
  Result<ml::Table> slow = Slow(body, signature, slow_extra);
  EXPECT_TRUE(slow.ok()) << "fast accepted what the slow path refuses: " << body << " ("
                         << slow.status().message() << ")";
  if (slow.ok()) {
    EXPECT_TRUE(SameTable(*fast, *slow)) << body;
    // The same names (nlohmann orders an object's keys; the fast path meets them in the body's
    // order), as many of them when there are more than the list holds.
    std::vector<std::string> a = fast_extra.ignored, b = slow_extra.ignored;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (!fast_extra.unlisted && !slow_extra.unlisted) {
      EXPECT_EQ(a, b) << body;
    }
    EXPECT_EQ(a.size(), b.size()) << body;
    EXPECT_EQ(fast_extra.unlisted, slow_extra.unlisted) << body;
  }
  return true;
}

TEST(FastRowsTest, AcceptsTheCommonForms) {
  const std::vector<std::string> iris = {
      R"({"rows": [{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}]})",
      R"({"rows":[{"petal_width":0.2,"sepal_width":3.5,"petal_length":1.4,"sepal_length":5}]})",
      " \t\r\n{ \"rows\" : [ { \"sepal_length\" : -0 , \"sepal_width\" : -0.0 , \"petal_length\""
      " : 1e3 , \"petal_width\" : null } , {\"sepal_length\":1E-3,\"sepal_width\":2.5e+2,"
      "\"petal_length\":-1.25E-2,\"petal_width\":9007199254740993} ] } \n",
      R"({"rows":[{"sepal_length":1.7976931348623157e308,"sepal_width":4.9e-324,)"
      R"("petal_length":-9223372036854775808,"petal_width":9223372036854775807}]})",
      R"({"rows":[{"sepal_length":0.1000000000000000055511151231257827021181583404541015625,)"
      R"("sepal_width":123456789012345678901234567890.5,"petal_length":0,"petal_width":0.0}]})",
  };
  for (const std::string& body : iris) EXPECT_TRUE(CheckEquivalent(body, kIris)) << body;
  const std::vector<std::string> mixed = {
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a b"}]})",
      R"({"rows":[{"s":"","b":false,"n":-3.0,"x":-2}]})",
      R"({"rows":[{"x":null,"n":null,"b":null,"s":null},{"x":1.5,"n":4e2,"b":true,"s":"z"}]})",
      R"({"rows":[{"x":1,"n":9.1e18,"b":true,"s":"{[,:]}"}]})",
  };
  for (const std::string& body : mixed) EXPECT_TRUE(CheckEquivalent(body, kMixed)) << body;
}

TEST(FastRowsTest, DeclinesUnusualForms) {
  const std::vector<std::string> bodies = {
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a\"b"}]})",                  // escape
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"\u00e9"}]})",                // escape
      "{\"rows\":[{\"x\":1,\"n\":2,\"b\":true,\"s\":\"\xc3\xa9\"}]}",     // non-ASCII
      "{\"rows\":[{\"x\":1,\"n\":2,\"b\":true,\"s\":\"a\tb\"}]}",         // control byte
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a","s":"b"}]})",             // duplicate key
      R"({"rows":[{"x":1,"n":2,"b":true}]})",                             // missing key
      R"({"rows":[{"x":1,"n":2,"b":true,"t":"a"}]})",                     // unknown, missing
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a","t":[1]}]})",             // nested extra
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a","t":"\n"}]})",            // escaped extra
      R"({"rows":[{"x":+1,"n":2,"b":true,"s":"a"}]})",                    // leading +
      R"({"rows":[{"x":01,"n":2,"b":true,"s":"a"}]})",                    // leading zero
      R"({"rows":[{"x":.5,"n":2,"b":true,"s":"a"}]})",                    // no integer part
      R"({"rows":[{"x":5.,"n":2,"b":true,"s":"a"}]})",                    // no fraction digits
      R"({"rows":[{"x":1e,"n":2,"b":true,"s":"a"}]})",                    // no exponent digits
      R"({"rows":[{"x":0x1,"n":2,"b":true,"s":"a"}]})",                   // hex
      R"({"rows":[{"x":NaN,"n":2,"b":true,"s":"a"}]})",                   // nan
      R"({"rows":[{"x":Infinity,"n":2,"b":true,"s":"a"}]})",              // inf
      R"({"rows":[{"x":1e400,"n":2,"b":true,"s":"a"}]})",                 // overflow
      R"({"rows":[{"x":1e-400,"n":2,"b":true,"s":"a"}]})",                // underflow
      R"({"rows":[{"x":1,"n":9223372036854775808,"b":true,"s":"a"}]})",   // beyond int64
      R"({"rows":[{"x":18446744073709551616,"n":2,"b":true,"s":"a"}]})",  // beyond uint64
      R"({"rows":[{"x":1,"n":2.5,"b":true,"s":"a"}]})",                   // not integral
      R"({"rows":[{"x":1,"n":9.3e18,"b":true,"s":"a"}]})",         // too big for the int test
      R"({"rows":[{"x":"1","n":2,"b":true,"s":"a"}]})",            // string for a number
      R"({"rows":[{"x":true,"n":2,"b":true,"s":"a"}]})",           // bool for a number
      R"({"rows":[{"x":1,"n":2,"b":1,"s":"a"}]})",                 // number for a bool
      R"({"rows":[{"x":1,"n":2,"b":true,"s":3}]})",                // number for a string
      R"({"rows":[{"x":[1],"n":2,"b":true,"s":"a"}]})",            // nesting
      R"({"rows":[{"x":{},"n":2,"b":true,"s":"a"}]})",             // nesting
      R"({"rows":[{"x":1,"n":2,"b":True,"s":"a"}]})",              // bad literal
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a"}]} x)",            // trailing garbage
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a"}]}})",             // trailing garbage
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a"},]})",             // trailing comma
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a",}]})",             // trailing comma
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a"}],"id":1})",       // another key
      R"({"id":1,"rows":[{"x":1,"n":2,"b":true,"s":"a"}]})",       // another key
      R"({"rows":[]})",                                            // empty batch
      R"({"rows":{}})",                                            // not a list
      R"({"rows":[1]})",                                           // not an object
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a"})",                // truncated
      R"([{"x":1,"n":2,"b":true,"s":"a"}])",                       // not an object
      R"({"columns":["x","n","b","s"],"data":[[1,2,true,"a"]]})",  // split (slow path)
      "\xef\xbb\xbf{\"rows\":[{\"x\":1,\"n\":2,\"b\":true,\"s\":\"a\"}]}",  // BOM
      "{\"rows\":[{\"x\":1,\"n\":2,\"b\":true,\"s\":\"a\"}]}\f",            // not JSON space
      std::string("{\"rows\":[{\"x\":1,\"n\":2,\"b\":true,\"s\":\"a\"}]}") + '\0',
      "",
  };
  for (const std::string& body : bodies) {
    EXPECT_FALSE(Fast(body, kMixed).has_value()) << body;
  }
}

TEST(FastRowsTest, SkipsExtraScalarFieldsUnlessRefused) {
  const std::vector<std::string> bodies = {
      R"({"rows":[{"id":7,"x":1,"n":2,"b":true,"s":"a"}]})",
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a","id":"r-1","note":null}]})",
      R"({"rows":[{"x":1,"id":1.5e3,"n":2,"b":true,"s":"a"},{"x":2,"n":3,"b":false,"s":"b"}]})",
      R"({"rows":[{"x":1,"n":2,"b":true,"s":"a","t":true},{"t":false,"x":1,"n":2,"b":true,"s":"a"}]})",
  };
  for (const std::string& body : bodies) {
    EXPECT_TRUE(CheckEquivalent(body, kMixed)) << body;
    EXPECT_FALSE(Fast(body, kMixed, /*refuse=*/true).has_value()) << body;
  }
  ExtraFields extra;
  ASSERT_TRUE(FastTableFromNativeRows(bodies[1], kMixed, extra).has_value());
  EXPECT_EQ(extra.ignored, (std::vector<std::string>{"id", "note"}));
  ExtraFields none;
  ASSERT_TRUE(FastTableFromNativeRows(R"({"rows":[{"x":1,"n":2,"b":true,"s":"a"}]})", kMixed, none)
                  .has_value());
  EXPECT_TRUE(none.ignored.empty());
  EXPECT_EQ(none.ignored.capacity(), 0u);  // the common case allocates nothing for extras
}

TEST(FastRowsTest, ListsAtMostTheFirstIgnoredNames) {
  std::string body = R"({"rows":[{"x":1,"n":2,"b":true,"s":"a")";
  for (int i = 0; i < 200; ++i) body += ",\"e" + std::to_string(i) + "\":" + std::to_string(i);
  body += "}]}";
  EXPECT_TRUE(CheckEquivalent(body, kMixed));
  ExtraFields extra;
  ASSERT_TRUE(FastTableFromNativeRows(body, kMixed, extra).has_value());
  ASSERT_EQ(extra.ignored.size(), kMaxIgnoredNames);
  EXPECT_EQ(extra.ignored.front(), "e0");
  EXPECT_TRUE(extra.unlisted);
}

TEST(FastRowsTest, DeclinesSignaturesItCannotMatch) {
  EXPECT_FALSE(Fast(R"({"rows":[{}]})", {}).has_value());
  const Signature twice = {{"x", "float64"}, {"x", "float64"}};
  EXPECT_FALSE(Fast(R"({"rows":[{"x":1,"x":2}]})", twice).has_value());
}

// {"rows": [{"x": 1}, ...]} with `rows` rows.
std::string OnesBody(size_t rows) {
  std::string body = R"({"rows":[)";
  for (size_t i = 0; i < rows; ++i) body += (i ? "," : "") + std::string(R"({"x":1})");
  return body + "]}";
}

TEST(FastRowsTest, TakesBatchesUpToTheLimit) {
  const Signature one = {{"x", "float64"}};
  EXPECT_TRUE(CheckEquivalent(OnesBody(kMaxBatchRows), one));
  EXPECT_FALSE(Fast(OnesBody(kMaxBatchRows + 1), one).has_value());
}

// Random bodies of valid rows, written in many legal ways.
class BodyMaker {
 public:
  explicit BodyMaker(uint64_t seed) : rng_(seed) {}

  std::string Body(const Signature& signature, size_t rows) {
    std::string out = Space() + "{" + Space() + "\"rows\"" + Space() + ":" + Space() + "[";
    for (size_t r = 0; r < rows; ++r) out += (r ? "," : "") + Space() + Row(signature) + Space();
    return out + "]" + Space() + "}" + Space();
  }

 private:
  std::string Row(const Signature& signature) {
    std::vector<size_t> order(signature.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (Pick(3) == 0) std::shuffle(order.begin(), order.end(), rng_);
    std::string out = "{";
    for (size_t k = 0; k < order.size(); ++k) {
      const auto& [name, type] = signature[order[k]];
      out += (k ? "," : "") + Space() + "\"" + name + "\"" + Space() + ":" + Space();
      out += Value(type) + Space();
    }
    return out + "}";
  }

  std::string Value(const std::string& type) {
    if (Pick(8) == 0) return "null";
    if (type == "string")
      return "\"" + std::string(Pick(6), static_cast<char>('a' + Pick(26))) + "\"";
    if (type == "bool") return Pick(2) ? "true" : "false";
    if (type == "int64") return Int();
    return Pick(3) == 0 ? Int() : Real();
  }

  std::string Int() {
    static const char* kForms[] = {"0",
                                   "-0",
                                   "7",
                                   "-12",
                                   "1e3",
                                   "2.0",
                                   "-4E+1",
                                   "9.1e18",
                                   "9223372036854775807",
                                   "-9223372036854775808",
                                   "1.0e0"};
    if (Pick(2)) return kForms[Pick(std::size(kForms))];
    return std::to_string(static_cast<int64_t>(rng_()) >> Pick(64));
  }

  std::string Real() {
    static const char* kForms[] = {"-0.0",
                                   "0.1",
                                   "1e-7",
                                   "2.5E+300",
                                   "4.9e-324",
                                   "2.2250738585072014e-308",
                                   "1.7976931348623157e308",
                                   "0.30000000000000004",
                                   "123456789.123456789e-5",
                                   "1.00000000000000011102230246251565404236316680908203125"};
    if (Pick(2)) return kForms[Pick(std::size(kForms))];
    double v;
    const uint64_t bits = rng_();
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) v = 1.5;
    char text[64];
    std::snprintf(text, sizeof text, Pick(2) ? "%.17g" : "%.6e", v);
    std::string out = text;
    if (out.find_first_of(".e") == std::string::npos) out += ".0";
    return out;
  }

  std::string Space() {
    static const char* kSpaces[] = {"", "", "", " ", "\n", "\t", "\r\n  "};
    return kSpaces[Pick(std::size(kSpaces))];
  }
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }

  std::mt19937_64 rng_;
};

TEST(FastRowsTest, GeneratedBodiesMatchTheSlowPath) {
  BodyMaker maker(42);
  size_t accepted = 0, tried = 0;
  for (const Signature* signature : {&kIris, &kMixed}) {
    for (size_t i = 0; i < 400; ++i) {
      const size_t rows = i % 10 == 0 ? 100 : 1 + i % 3;
      const std::string body = maker.Body(*signature, rows);
      ++tried;
      if (CheckEquivalent(body, *signature)) ++accepted;
    }
  }
  // A few values are denormals or big exponents the fast path may leave alone; most are common.
  EXPECT_GT(accepted, tried * 9 / 10);
  std::printf("generated: %zu of %zu taken by the fast path\n", accepted, tried);
}

TEST(FastRowsTest, MutatedBodiesNeverDisagree) {
  BodyMaker maker(7);
  std::mt19937_64 rng(9);
  size_t accepted = 0;
  const std::string alphabet = " \t\n{}[]:,\"\\-+.eE0123456789truefalsnxbs\x80";
  for (size_t i = 0; i < 3000; ++i) {
    std::string body = maker.Body(kMixed, 1 + i % 3);
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      const size_t at = rng() % body.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          body.erase(at, 1);
          break;
        case 1:
          body.insert(body.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          body[at] = c;
      }
      if (body.empty()) body = "{";
    }
    if (CheckEquivalent(body, kMixed)) ++accepted;
  }
  // Some edits (inside strings, digits, whitespace) keep the body valid; most break it.
  std::printf("mutated: %zu of 3000 taken by the fast path\n", accepted);
  EXPECT_GT(accepted, 100u);
  EXPECT_LT(accepted, 2000u);
}

}  // namespace
}  // namespace kiln::serving
