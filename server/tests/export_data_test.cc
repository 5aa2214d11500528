#include "data/export_data.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "data/line_format.h"
#include "data/reconciliation_schema.h"
#include "data/usage_schema.h"
#include "data_line_support.h"

namespace graphfake::data {
namespace {

using model::AttributeSet;
using model::ExportKind;
using nlohmann::ordered_json;
using readback::keys_of;
using readback::number_text;
using readback::raw_line;
using readback::sample_profile_for;

constexpr std::uint64_t kDataSeed = 20250611;
constexpr std::uint64_t kRows = 400;

const std::set<std::string> kReconciliationNumbers{
    "UnitPrice", "Quantity",           "Subtotal",         "TaxTotal",
    "Total",     "EffectiveUnitPrice", "BillableQuantity", "PCToBCExchangeRate"};
const std::set<std::string> kUsageNumbers{"UnitPrice",
                                          "Quantity",
                                          "BillingPreTaxTotal",
                                          "PricingPreTaxTotal",
                                          "EffectiveUnitPrice",
                                          "PCToBCExchangeRate",
                                          "PartnerEarnedCreditPercentage",
                                          "CreditPercentage"};

struct ExportShape {
  ExportKind kind;
  AttributeSet set;
};

std::string shape_name(const ::testing::TestParamInfo<ExportShape>& info) {
  return std::string(model::to_string(info.param.kind)) + "_" +
         std::string(model::to_string(info.param.set));
}

std::shared_ptr<const LineSource> source_for(ExportShape shape, std::uint64_t seed = kDataSeed,
                                             LineFormat format = readback::kDocumentedLines) {
  return make_line_source(shape.kind, sample_profile_for(shape.kind, seed), seed, shape.set, format);
}

// Generated and parsed once per shape: parsing dominates these tests.
struct Sample {
  std::vector<std::string> raw;
  std::vector<ordered_json> parsed;
};

const Sample& sample_of(ExportShape shape) {
  static std::map<std::tuple<ExportKind, AttributeSet>, Sample> samples;
  auto [entry, added] = samples.try_emplace({shape.kind, shape.set});
  if (added) {
    const auto source = source_for(shape);
    entry->second.raw = readback::raw_lines(*source, kRows);
    for (const std::string& raw : entry->second.raw) {
      entry->second.parsed.push_back(ordered_json::parse(raw));
    }
  }
  return entry->second;
}

class ExportLines : public ::testing::TestWithParam<ExportShape> {
 protected:
  const Sample& sample() const { return sample_of(GetParam()); }
  bool usage() const { return model::is_usage(GetParam().kind); }
  std::vector<std::string> documented_columns() const {
    const auto names = usage() ? usage_column_names(GetParam().set)
                               : reconciliation_column_names(GetParam().set);
    return {names.begin(), names.end()};
  }
  const std::set<std::string>& number_columns() const {
    return usage() ? kUsageNumbers : kReconciliationNumbers;
  }
};

TEST_P(ExportLines, EveryLineIsOneJsonObjectEndingInOneNewline) {
  for (const std::string& raw : sample().raw) {
    ASSERT_FALSE(raw.empty());
    EXPECT_EQ(raw.find('\n'), raw.size() - 1) << raw;
    EXPECT_TRUE(ordered_json::parse(raw).is_object());
  }
}

TEST_P(ExportLines, ColumnsAreExactlyTheDocumentedOnesInOrder) {
  const std::vector<std::string> expected = documented_columns();
  for (const ordered_json& line : sample().parsed) ASSERT_EQ(keys_of(line), expected);
}

TEST_P(ExportLines, ChargeDatesFallInsideTheBillingMonth) {
  const InvoiceProfile profile = sample_profile_for(GetParam().kind, kDataSeed);
  const std::string month = profile.billing_month_yyyymm().insert(4, "-");
  std::vector<std::string> columns{"ChargeStartDate", "ChargeEndDate"};
  if (usage()) columns.emplace_back("UsageDate");
  for (const ordered_json& line : sample().parsed) {
    for (const std::string& column : columns) {
      const auto date = line.at(column).get<std::string>();
      EXPECT_TRUE(date.starts_with(month)) << column << " " << date << " outside " << month;
    }
  }
}

TEST_P(ExportLines, InvoiceNumberIsTheInvoiceWhenBilledAndEmptyWhenUnbilled) {
  const std::string expected = model::is_billed(GetParam().kind) ? "G058476717" : "";
  for (const ordered_json& line : sample().parsed) EXPECT_EQ(line.at("InvoiceNumber"), expected);
}

TEST_P(ExportLines, NumericColumnsAreJsonNumbersAndTheRestStrings) {
  for (const ordered_json& line : sample().parsed) {
    for (const auto& item : line.items()) {
      if (number_columns().contains(item.key())) {
        EXPECT_TRUE(item.value().is_number()) << item.key() << " = " << item.value();
      } else {
        EXPECT_TRUE(item.value().is_string()) << item.key() << " = " << item.value();
      }
    }
  }
}

TEST_P(ExportLines, NumbersAsStringsQuoteEveryNumberWithTheSameDigits) {
  const auto quoted = source_for(GetParam(), kDataSeed,
                                 {.profile = DataProfile::documented, .numbers = Dialect::Numbers::strings});
  for (std::uint64_t i = 0; i < 200; ++i) {
    const std::string& plain = sample().raw[i];
    const ordered_json line = ordered_json::parse(raw_line(*quoted, i));
    for (const auto& item : line.items()) {
      ASSERT_TRUE(item.value().is_string()) << item.key();
      if (number_columns().contains(item.key())) {
        EXPECT_EQ(item.value().get<std::string>(), number_text(plain, item.key())) << item.key();
      }
    }
  }
}

TEST_P(ExportLines, CamelCaseKeysSpellEachDocumentedColumn) {
  const auto camel = source_for(GetParam(), kDataSeed, {.profile = DataProfile::documented, .keys = Dialect::KeyCase::camel});
  std::vector<std::string> expected;
  for (const std::string& name : documented_columns()) {
    expected.push_back(spell_key(name, Dialect::KeyCase::camel));
  }
  for (std::uint64_t i = 0; i < 50; ++i) {
    const ordered_json line = ordered_json::parse(raw_line(*camel, i));
    ASSERT_EQ(keys_of(line), expected);
    for (const auto& item : sample().parsed[i].items()) {
      EXPECT_EQ(line.at(spell_key(item.key(), Dialect::KeyCase::camel)), item.value());
    }
  }
}

TEST_P(ExportLines, ASubscriptionAlwaysBelongsToTheSameCustomer) {
  std::map<std::string, std::string> customer_of;
  for (const ordered_json& line : sample().parsed) {
    const auto [entry, added] = customer_of.emplace(line.at("SubscriptionId").get<std::string>(),
                                                    line.at("CustomerId").get<std::string>());
    EXPECT_EQ(entry->second, line.at("CustomerId")) << entry->first;
  }
  EXPECT_LT(customer_of.size(), kRows);
}

TEST_P(ExportLines, SameSeedGivesTheSameBytes) {
  EXPECT_EQ(readback::raw_lines(*source_for(GetParam()), 300),
            std::vector<std::string>(sample().raw.begin(), sample().raw.begin() + 300));
}

TEST_P(ExportLines, DifferentSeedGivesDifferentBytes) {
  const auto other = source_for(GetParam(), kDataSeed + 1);
  EXPECT_NE(raw_line(*other, 0), sample().raw[0]);
  EXPECT_NE(readback::raw_lines(*other, 100),
            std::vector<std::string>(sample().raw.begin(), sample().raw.begin() + 100));
}

TEST_P(ExportLines, RowGeneratedAloneEqualsTheRowGeneratedInSequence) {
  const auto fresh = source_for(GetParam());
  for (std::uint64_t i : {399U, 0U, 217U, 3U}) {
    EXPECT_EQ(raw_line(*fresh, i), sample().raw[i]) << "row " << i;
  }
}

TEST_P(ExportLines, FarRowsAreProducedDirectly) {
  const auto source = source_for(GetParam());
  const std::uint64_t far = 5'000'000'000'000ULL;
  EXPECT_EQ(keys_of(ordered_json::parse(raw_line(*source, far))), documented_columns());
  EXPECT_EQ(raw_line(*source, far), raw_line(*source, far));
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindAndAttributeSet, ExportLines,
    ::testing::Values(ExportShape{ExportKind::billed_reconciliation, AttributeSet::full},
                      ExportShape{ExportKind::billed_reconciliation, AttributeSet::basic},
                      ExportShape{ExportKind::unbilled_reconciliation, AttributeSet::full},
                      ExportShape{ExportKind::unbilled_reconciliation, AttributeSet::basic},
                      ExportShape{ExportKind::billed_usage, AttributeSet::full},
                      ExportShape{ExportKind::billed_usage, AttributeSet::basic},
                      ExportShape{ExportKind::unbilled_usage, AttributeSet::full},
                      ExportShape{ExportKind::unbilled_usage, AttributeSet::basic}),
    shape_name);

TEST(MakeLineSource, RejectsAnUnbilledProfileForABilledKind) {
  const InvoiceProfile unbilled = sample_profile_for(ExportKind::unbilled_usage, kDataSeed);
  for (ExportKind kind : {ExportKind::billed_reconciliation, ExportKind::billed_usage}) {
    EXPECT_THROW(make_line_source(kind, unbilled, kDataSeed, AttributeSet::full, {}),
                 std::invalid_argument);
  }
}

TEST(MakeLineSource, RejectsABilledProfileForAnUnbilledKind) {
  const InvoiceProfile billed = sample_profile_for(ExportKind::billed_usage, kDataSeed);
  for (ExportKind kind : {ExportKind::unbilled_reconciliation, ExportKind::unbilled_usage}) {
    EXPECT_THROW(make_line_source(kind, billed, kDataSeed, AttributeSet::full, {}),
                 std::invalid_argument);
  }
}

TEST(MakeLineSource, RejectsAProfileWithoutCustomers) {
  InvoiceProfile profile = sample_profile_for(ExportKind::billed_usage, kDataSeed);
  profile.customers.clear();
  EXPECT_THROW(make_line_source(ExportKind::billed_usage, profile, kDataSeed, AttributeSet::full, {}),
               std::invalid_argument);
}

// Every date a row prints that says when something happened (not a period's
// end or a term's), for a period in progress.
std::vector<std::string> event_dates(const ordered_json& line) {
  std::vector<std::string> dates;
  for (const char* column : {"UsageDate", "OrderDate", "ChargeStartDate"}) {
    if (line.contains(column)) dates.push_back(line.at(column).get<std::string>());
  }
  return dates;
}

class PeriodInProgress : public ::testing::TestWithParam<ExportKind> {};

TEST_P(PeriodInProgress, HasNoChargeOrUsageAfterItsLastDayWithData) {
  InvoiceProfile profile = make_unbilled_profile(kDataSeed, "EUR", 2025, 6, readback::kSamplePartner);
  profile.data_through_day = 9;
  const auto source = make_line_source(GetParam(), profile, kDataSeed, AttributeSet::full, {});
  bool saw_the_last_day = false;
  for (const ordered_json& line : readback::parsed_lines(*source, 3000)) {
    for (const std::string& date : event_dates(line)) {
      if (!date.starts_with("2025-06")) continue;  // a renewal term that began in an earlier month
      EXPECT_LE(date.substr(0, 10), "2025-06-09") << line.dump();
      saw_the_last_day = saw_the_last_day || date.starts_with("2025-06-09");
    }
  }
  EXPECT_TRUE(saw_the_last_day);
}

TEST_P(PeriodInProgress, OnItsFirstDayHasDataOfThatDayOnly) {
  InvoiceProfile profile = make_unbilled_profile(kDataSeed, "EUR", 2025, 6, readback::kSamplePartner);
  profile.data_through_day = 1;
  const auto source = make_line_source(GetParam(), profile, kDataSeed, AttributeSet::full, {});
  for (const ordered_json& line : readback::parsed_lines(*source, 1000)) {
    for (const std::string& date : event_dates(line)) {
      if (date.starts_with("2025-06")) {
        EXPECT_TRUE(date.starts_with("2025-06-01")) << line.dump();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ExportLines, PeriodInProgress,
                         ::testing::Values(ExportKind::unbilled_reconciliation, ExportKind::unbilled_usage),
                         [](const auto& info) { return std::string(model::to_string(info.param)); });

TEST(MakeLineSource, RejectsADayWithDataOutsideTheMonth) {
  InvoiceProfile profile = make_unbilled_profile(kDataSeed, "EUR", 2025, 6, readback::kSamplePartner);
  profile.data_through_day = 31;
  EXPECT_THROW(make_line_source(ExportKind::unbilled_usage, profile, kDataSeed, AttributeSet::full, {}),
               std::invalid_argument);
}

TEST(MakeLineSource, RejectsAnInvalidBillingMonth) {
  InvoiceProfile profile = sample_profile_for(ExportKind::billed_usage, kDataSeed);
  profile.billing_month = 13;
  EXPECT_THROW(make_line_source(ExportKind::billed_usage, profile, kDataSeed, AttributeSet::full, {}),
               std::invalid_argument);
}

}  // namespace
}  // namespace graphfake::data
