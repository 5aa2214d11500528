#include "core/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <ostream>
#include <utility>

namespace graphfake::core {
namespace {

struct Vector {
  const char* plain;
  const char* standard;
  const char* url;
};

void PrintTo(const Vector& c, std::ostream* os) { *os << '"' << c.plain << '"'; }

// RFC 4648, section 10 test vectors; the URL-safe form is the same without padding.
class Base64Rfc4648 : public ::testing::TestWithParam<Vector> {};

TEST_P(Base64Rfc4648, StandardEncodingMatchesVector) {
  EXPECT_EQ(base64_encode(GetParam().plain), GetParam().standard);
}

TEST_P(Base64Rfc4648, UrlEncodingIsUnpadded) {
  EXPECT_EQ(base64url_encode(GetParam().plain), GetParam().url);
}

TEST_P(Base64Rfc4648, UrlDecodingWithoutPaddingGivesPlain) {
  const auto decoded = base64url_decode(GetParam().url);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, GetParam().plain);
}

TEST_P(Base64Rfc4648, UrlDecodingWithPaddingGivesPlain) {
  // The vectors use no '+' or '/', so the padded standard form is also valid URL-safe input.
  const auto decoded = base64url_decode(GetParam().standard);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, GetParam().plain);
}

INSTANTIATE_TEST_SUITE_P(Rfc4648, Base64Rfc4648,
                         ::testing::Values(Vector{"", "", ""}, Vector{"f", "Zg==", "Zg"},
                                           Vector{"fo", "Zm8=", "Zm8"}, Vector{"foo", "Zm9v", "Zm9v"},
                                           Vector{"foob", "Zm9vYg==", "Zm9vYg"},
                                           Vector{"fooba", "Zm9vYmE=", "Zm9vYmE"},
                                           Vector{"foobar", "Zm9vYmFy", "Zm9vYmFy"}));

TEST(Base64, StandardAlphabetUsesPlusAndSlash) {
  EXPECT_EQ(base64_encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
  EXPECT_EQ(base64_encode(std::string("\xfb\xff", 2)), "+/8=");
}

TEST(Base64, UrlAlphabetUsesMinusAndUnderscore) {
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\xbf", 3)), "-_-_");
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8");
}

TEST(Base64, EncodesNulBytes) {
  EXPECT_EQ(base64_encode(std::string(3, '\0')), "AAAA");
  EXPECT_EQ(base64_encode(std::string(1, '\0')), "AA==");
}

TEST(Base64Url, RoundTripsEveryByteValue) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  const auto encoded = base64url_encode(all);
  EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos) << encoded;
  const auto decoded = base64url_decode(encoded);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, all);
}

TEST(Base64Url, RoundTripsEveryLengthAndAlignment) {
  std::string all;
  for (int b = 255; b >= 0; --b) all.push_back(static_cast<char>(b));
  for (std::size_t length = 0; length <= 64; ++length) {
    SCOPED_TRACE(length);
    const auto bytes = all.substr(256 - 64 - length % 3, length);
    const auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64Url, DecodeRejectsCharactersOutsideTheUrlAlphabet) {
  for (const char* text : {"Zm9v+mFy", "Zm9v/mFy", "Zm9v YmFy", "Zm9v*mFy", "Zm9v\nYmFy", "Zm9v.mFy",
                           "Zm=vYmFy", "Zg==Zg==", "Z\xc3\xa9vYmFy"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(base64url_decode(text).has_value());
  }
}

TEST(Base64Url, DecodeRejectsNulByteInInput) {
  EXPECT_FALSE(base64url_decode(std::string("Zm9\0", 4)).has_value());
}

TEST(Base64Url, DecodeRejectsImpossibleLengths) {
  // A lone 6-bit character cannot carry a byte: length % 4 == 1 is never valid.
  for (const char* text : {"A", "Z", "Zm9vY", "Zm9vYmFyZ", "A===", "Zm9vY==="}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(base64url_decode(text).has_value());
  }
}

TEST(Base64Url, DecodeOfEmptyIsEmpty) {
  const auto decoded = base64url_decode("");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, "");
}

TEST(Base64Url, DecodeAcceptsUrlSafeCharacters) {
  const auto decoded = base64url_decode("-_-_");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, std::string("\xfb\xff\xbf", 3));
}

TEST(Base64Url, DecodesJwtHeaderSegment) {
  const auto decoded = base64url_decode("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, R"({"alg":"none","typ":"JWT"})");
}

}  // namespace
}  // namespace graphfake::core
