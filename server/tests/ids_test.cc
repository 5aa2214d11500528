#include "core/ids.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace graphfake::core {
namespace {

// 8-4-4-4-12 lower-case hex, version nibble 4, variant nibble 8..b.
::testing::AssertionResult IsLowerCaseV4Guid(const std::string& text) {
  if (text.size() != 36) return ::testing::AssertionFailure() << "'" << text << "' is not 36 characters";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return ::testing::AssertionFailure() << "'" << text << "' has no '-' at " << i;
      continue;
    }
    const bool lower_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!lower_hex) {
      return ::testing::AssertionFailure() << "'" << text << "' has a non lower-case hex digit at " << i;
    }
  }
  if (text[14] != '4') return ::testing::AssertionFailure() << "'" << text << "' is not version 4";
  const char variant = text[19];
  if (variant != '8' && variant != '9' && variant != 'a' && variant != 'b') {
    return ::testing::AssertionFailure() << "'" << text << "' does not carry the RFC 4122 variant";
  }
  return ::testing::AssertionSuccess();
}

TEST(IdGenerator, SameSeedGivesSameSequence) {
  IdGenerator a(42);
  IdGenerator b(42);
  for (int i = 0; i < 100; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a.next(), b.next());
  }
}

TEST(IdGenerator, SameSeedGivesSameGuidsAndTexts) {
  IdGenerator a(7);
  IdGenerator b(7);
  EXPECT_EQ(a.guid(), b.guid());
  EXPECT_EQ(a.text(20, kAlphanumeric), b.text(20, kAlphanumeric));
  EXPECT_EQ(a.guid(), b.guid());
}

TEST(IdGenerator, DifferentSeedsGiveDifferentSequences) {
  IdGenerator a(1);
  IdGenerator b(2);
  std::vector<std::uint64_t> from_a;
  std::vector<std::uint64_t> from_b;
  for (int i = 0; i < 16; ++i) {
    from_a.push_back(a.next());
    from_b.push_back(b.next());
  }
  EXPECT_NE(from_a, from_b);
  IdGenerator c(1);
  IdGenerator d(2);
  EXPECT_NE(c.guid(), d.guid());
}

TEST(IdGenerator, SuccessiveValuesDiffer) {
  IdGenerator ids(3);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(ids.next());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(IdGenerator, GuidIsLowerCaseRfc4122Version4) {
  IdGenerator ids(12345);
  for (int i = 0; i < 200; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(IsLowerCaseV4Guid(ids.guid()));
  }
}

TEST(IdGenerator, GuidsAreDistinct) {
  IdGenerator ids(99);
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) seen.insert(ids.guid());
  EXPECT_EQ(seen.size(), 500u);
}

TEST(IdGenerator, TextHasRequestedLength) {
  for (std::size_t length : {0u, 1u, 7u, 8u, 9u, 16u, 33u, 100u}) {
    SCOPED_TRACE(length);
    IdGenerator ids(5);
    EXPECT_EQ(ids.text(length, kAlphanumeric).size(), length);
  }
}

TEST(IdGenerator, TextDrawsOnlyFromAlphabet) {
  IdGenerator ids(11);
  for (std::string_view alphabet : {kAlphanumeric, std::string_view("xyz"), std::string_view("0123456789abcdef")}) {
    SCOPED_TRACE(std::string(alphabet));
    const auto text = ids.text(256, alphabet);
    for (char c : text) EXPECT_NE(alphabet.find(c), std::string_view::npos) << "'" << c << "'";
  }
}

TEST(IdGenerator, TextWithSingleLetterAlphabetRepeatsIt) {
  IdGenerator ids(8);
  EXPECT_EQ(ids.text(12, "Q"), std::string(12, 'Q'));
}

TEST(IdGenerator, TextUsesMoreThanOneLetterOfTheAlphabet) {
  IdGenerator ids(21);
  const auto text = ids.text(64, kAlphanumeric);
  const std::set<char> distinct(text.begin(), text.end());
  EXPECT_GT(distinct.size(), 10u);
}

TEST(GuidFrom, IsDeterministic) {
  for (std::uint64_t key : {0ULL, 1ULL, 42ULL, 0xffffffffffffffffULL}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(guid_from(key), guid_from(key));
    EXPECT_TRUE(IsLowerCaseV4Guid(guid_from(key)));
  }
}

TEST(GuidFrom, DifferentKeysGiveDifferentGuids) {
  std::set<std::string> seen;
  for (std::uint64_t key = 0; key < 256; ++key) seen.insert(guid_from(key));
  EXPECT_EQ(seen.size(), 256u);
}

TEST(Hash64, SameTextAndSeedGiveSameHash) {
  EXPECT_EQ(hash64("G016907411", 7), hash64("G016907411", 7));
}

TEST(Hash64, DiffersBySeed) {
  EXPECT_NE(hash64("G016907411", 1), hash64("G016907411", 2));
  EXPECT_NE(hash64("", 1), hash64("", 2));
  EXPECT_NE(hash64("G016907411"), hash64("G016907411", 1));
}

TEST(Hash64, DiffersByText) {
  EXPECT_NE(hash64("G016907411", 1), hash64("G016907412", 1));
  EXPECT_NE(hash64("ab", 1), hash64("ba", 1));
}

TEST(Mix64, IsAPureFunctionThatSpreadsNearbyInputs) {
  EXPECT_EQ(mix64(123), mix64(123));
  EXPECT_NE(mix64(0), mix64(1));
  EXPECT_NE(mix64(1), mix64(2));
}

}  // namespace
}  // namespace graphfake::core
