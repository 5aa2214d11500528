#include "data/line_format.h"

#include <gtest/gtest.h>

namespace graphfake::data {
namespace {

using KeyCase = Dialect::KeyCase;

TEST(SpellKey, PascalCaseIsTheDocumentedName) {
  EXPECT_EQ(spell_key("PCToBCExchangeRate", KeyCase::pascal), "PCToBCExchangeRate");
}

TEST(SpellKey, CamelCaseLowersTheFirstWord) {
  EXPECT_EQ(spell_key("PartnerId", KeyCase::camel), "partnerId");
  EXPECT_EQ(spell_key("MpnId", KeyCase::camel), "mpnId");
  EXPECT_EQ(spell_key("Tier2MpnId", KeyCase::camel), "tier2MpnId");
}

TEST(SpellKey, CamelCaseLowersALeadingAcronymButNotTheNextWordsCapital) {
  EXPECT_EQ(spell_key("PCToBCExchangeRate", KeyCase::camel), "pcToBCExchangeRate");
  EXPECT_EQ(spell_key("PCToBCExchangeRateDate", KeyCase::camel), "pcToBCExchangeRateDate");
}

TEST(SpellKey, CamelCaseLowersAnAllCapitalName) {
  EXPECT_EQ(spell_key("ID", KeyCase::camel), "id");
}

TEST(SpellKey, LowerCaseLowersEveryLetter) {
  EXPECT_EQ(spell_key("PCToBCExchangeRate", KeyCase::lower), "pctobcexchangerate");
}

TEST(SpellKey, PascalCaseCapitalisesACamelCaseName) {
  EXPECT_EQ(spell_key("resellerMpnId", KeyCase::pascal), "ResellerMpnId");
}

TEST(LineFormat, TakesTheDataChoicesOfADialect) {
  Dialect dialect;
  dialect.data_profile = DataProfile::legacy_camel;
  dialect.data_keys = KeyCase::camel;
  dialect.data_numbers = Dialect::Numbers::strings;
  dialect.product_qualifiers = Dialect::ProductQualifiers::array;
  const auto format = LineFormat::of(dialect);
  EXPECT_EQ(format.profile, DataProfile::legacy_camel);
  EXPECT_EQ(format.keys, KeyCase::camel);
  EXPECT_EQ(format.numbers, Dialect::Numbers::strings);
  EXPECT_EQ(format.product_qualifiers, Dialect::ProductQualifiers::array);
}

}  // namespace
}  // namespace graphfake::data
