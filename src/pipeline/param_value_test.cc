#include "pipeline/param_value.h"

#include <gtest/gtest.h>

namespace kiln::pipeline {
namespace {

TEST(ParamValueTest, ToStringForSubstitution) {
  EXPECT_EQ(ToString(ParamValue{int64_t{3}}), "3");
  EXPECT_EQ(ToString(ParamValue{0.5}), "0.5");
  EXPECT_EQ(ToString(ParamValue{true}), "true");
  EXPECT_EQ(ToString(ParamValue{std::string("x")}), "x");
  EXPECT_EQ(ToString(ParamValue{std::vector<ParamValue>{{int64_t{1}}, {int64_t{2}}}}), "1,2");
}

TEST(ParamValueTest, ChecksTypeRangeAndEnum) {
  ParamSpec spec;
  spec.type = ParamType::kFloat;
  spec.min = 0;
  spec.max = 1;
  EXPECT_TRUE(CheckParamValue(spec, ParamValue{int64_t{1}}).ok());
  EXPECT_EQ(CheckParamValue(spec, ParamValue{1.5}).message(), "1.5 is above the maximum 1");
  EXPECT_EQ(CheckParamValue(spec, ParamValue{std::string("a")}).message(),
            "expected a float, found 'a'");
  spec = ParamSpec{};
  spec.type = ParamType::kEnum;
  spec.values = {"a", "b"};
  EXPECT_TRUE(CheckParamValue(spec, ParamValue{std::string("b")}).ok());
  EXPECT_EQ(CheckParamValue(spec, ParamValue{std::string("c")}).message(),
            "'c' is not one of a, b");
  spec.type = ParamType::kList;
  spec.item_type = ParamType::kEnum;
  EXPECT_EQ(
      CheckParamValue(spec, ParamValue{std::vector<ParamValue>{{std::string("c")}}}).message(),
      "item 0: 'c' is not one of a, b");
}

}  // namespace
}  // namespace kiln::pipeline
