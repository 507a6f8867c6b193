#include "common/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace kiln {
namespace {

// RFC 4648, section 10.
TEST(Base64Test, EncodesTheRfcVectors) {
  EXPECT_EQ(EncodeBase64(""), "");
  EXPECT_EQ(EncodeBase64("f"), "Zg==");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeBase64("foob"), "Zm9vYg==");
  EXPECT_EQ(EncodeBase64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodesTheRfcVectors) {
  for (const char* text : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(DecodeBase64(EncodeBase64(text)), std::string(text)) << text;
  }
  EXPECT_EQ(DecodeBase64("Zm9vYmE="), "fooba");
}

TEST(Base64Test, RoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (size_t n = 0; n <= bytes.size(); n += 37) {
    const std::string part = bytes.substr(0, n);
    EXPECT_EQ(DecodeBase64(EncodeBase64(part)), part);
    EXPECT_EQ(DecodeBase64Url(EncodeBase64Url(part)), part);
  }
  EXPECT_EQ(EncodeBase64("\xfb\xff"), "+/8=");
  EXPECT_EQ(EncodeBase64Url("\xfb\xff"), "-_8");
}

TEST(Base64Test, RefusesMalformedStandardText) {
  for (const char* text : {"Zg", "Zg=", "Zm9vY", "Z===", "====", "Zg==Zg==", "Zm=v", "Zm9v\n",
                           "Zm 9v", "Zm9-", "Zm9_", "Zm9v*A=="}) {
    EXPECT_FALSE(DecodeBase64(text).has_value()) << text;
  }
}

TEST(Base64Test, UrlSafeIsUnpaddedAndRefusesTheStandardAlphabet) {
  EXPECT_EQ(EncodeBase64Url("f"), "Zg");
  EXPECT_EQ(EncodeBase64Url("fo"), "Zm8");
  EXPECT_EQ(EncodeBase64Url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(DecodeBase64Url("Zg"), "f");
  EXPECT_EQ(DecodeBase64Url("Zm8"), "fo");
  EXPECT_EQ(DecodeBase64Url("-_8"), "\xfb\xff");
  for (const char* text : {"Z", "Zg==", "Zm8=", "+/8", "Zm9vY", "Zm 8"}) {
    EXPECT_FALSE(DecodeBase64Url(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace kiln
