#include "data/usage_generator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "data/invoice_profile.h"
#include "data/reconciliation_generator.h"
#include "data/usage_schema.h"
#include "data_line_support.h"

namespace graphfake::data {
namespace {

using model::AttributeSet;
using model::ExportKind;
using nlohmann::ordered_json;
using readback::keys_of;
using readback::number_text;
using readback::units;

__extension__ using Wide = __int128;

constexpr std::uint64_t kUsageSeed = 77;
constexpr std::uint64_t kUsageSampleRows = 3000;
const std::regex kGuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

InvoiceProfile usage_sample_profile() { return readback::sample_profile_for(ExportKind::billed_usage, kUsageSeed); }

// A row as printed and as parsed.
struct Row {
  std::string raw;
  ordered_json json;
};

// Generated and parsed once: parsing dominates these tests.
const std::vector<Row>& sample_rows() {
  static const std::vector<Row> rows = [] {
    const UsageGenerator generator(usage_sample_profile(), kUsageSeed, AttributeSet::full, readback::kDocumentedLines);
    std::vector<Row> parsed;
    for (std::string& raw : readback::raw_lines(generator, kUsageSampleRows)) {
      ordered_json json = ordered_json::parse(raw);
      parsed.push_back({std::move(raw), std::move(json)});
    }
    return parsed;
  }();
  return rows;
}

// ROUNDDOWN(PricingPreTaxTotal * PCToBCExchangeRate * (100 - CreditPercentage) / 100, 8),
// from the printed values.
std::int64_t expected_billing_total(const std::string& raw) {
  const Wide pricing = units(number_text(raw, "PricingPreTaxTotal"), 8);
  const Wide rate = units(number_text(raw, "PCToBCExchangeRate"), 9);
  const Wide credit = units(number_text(raw, "CreditPercentage"), 0);
  return static_cast<std::int64_t>(pricing * rate * (100 - credit) / (Wide{1'000'000'000} * 100));
}

std::vector<std::string> documented_keys(AttributeSet set) {
  const auto names = usage_column_names(set);
  return {names.begin(), names.end()};
}

TEST(UsageLine, Full_HasExactlyThe54DocumentedColumnsInOrder) {
  const std::vector<std::string> expected = documented_keys(AttributeSet::full);
  ASSERT_EQ(expected.size(), 54U);
  for (const Row& row : sample_rows()) ASSERT_EQ(keys_of(row.json), expected);
}

TEST(UsageLine, Basic_HasExactlyThe30BasicColumnsInOrder) {
  const UsageGenerator generator(usage_sample_profile(), kUsageSeed, AttributeSet::basic, readback::kDocumentedLines);
  const std::vector<std::string> expected = documented_keys(AttributeSet::basic);
  ASSERT_EQ(expected.size(), 30U);
  for (const ordered_json& line : readback::parsed_lines(generator, 300)) {
    ASSERT_EQ(keys_of(line), expected);
  }
}

TEST(UsageLine, Basic_HoldsTheFullLinesValuesForItsColumns) {
  const UsageGenerator basic(usage_sample_profile(), kUsageSeed, AttributeSet::basic, readback::kDocumentedLines);
  for (std::uint64_t i = 0; i < 200; ++i) {
    const ordered_json line = ordered_json::parse(readback::raw_line(basic, i));
    for (const auto& item : line.items()) {
      EXPECT_EQ(item.value(), sample_rows()[i].json.at(item.key())) << "row " << i << " " << item.key();
    }
  }
}

TEST(UsageLine, PricingPreTaxTotalIsEffectiveUnitPriceTimesQuantityRoundedDown) {
  for (const Row& row : sample_rows()) {
    const Wide price = units(number_text(row.raw, "EffectiveUnitPrice"), 8);
    const Wide quantity = units(number_text(row.raw, "Quantity"), 6);
    const auto expected = static_cast<std::int64_t>(price * quantity / 1'000'000);
    EXPECT_EQ(units(number_text(row.raw, "PricingPreTaxTotal"), 8), expected) << row.raw;
  }
}

TEST(UsageLine, BillingPreTaxTotalIsPricingTotalAtTheRateRoundedDownLessCredit) {
  for (const Row& row : sample_rows()) {
    EXPECT_EQ(units(number_text(row.raw, "BillingPreTaxTotal"), 8), expected_billing_total(row.raw))
        << row.raw;
  }
}

TEST(UsageLine, EffectiveUnitPriceIsUnitPriceLessPartnerEarnedCredit) {
  std::set<std::int64_t> credits_seen;
  for (const Row& row : sample_rows()) {
    if (row.json.at("BenefitType") == "SavingsPlan") continue;
    const std::int64_t unit_price = units(number_text(row.raw, "UnitPrice"), 8);
    const std::int64_t earned = units(number_text(row.raw, "PartnerEarnedCreditPercentage"), 0);
    EXPECT_TRUE(earned == 0 || earned == 15) << earned;
    credits_seen.insert(earned);
    EXPECT_EQ(units(number_text(row.raw, "EffectiveUnitPrice"), 8), unit_price * (100 - earned) / 100)
        << row.raw;
  }
  EXPECT_TRUE(credits_seen.contains(15));
}

TEST(UsageLine, PartnerEarnedCreditIsTheSameOnEveryRowOfACustomer) {
  std::map<std::string, ordered_json> credit_of;
  for (const Row& row : sample_rows()) {
    const auto [entry, added] = credit_of.emplace(row.json.at("CustomerId").get<std::string>(),
                                                  row.json.at("PartnerEarnedCreditPercentage"));
    EXPECT_EQ(entry->second, row.json.at("PartnerEarnedCreditPercentage")) << entry->first;
  }
}

TEST(UsageLine, CreditedRowsCostThePartnerNothing) {
  int credited = 0;
  for (const Row& row : sample_rows()) {
    const auto credit = row.json.at("CreditPercentage").get<int>();
    const auto type = row.json.at("CreditType").get<std::string>();
    if (credit == 0) {
      EXPECT_EQ(type, "Credit Not Applied");
      continue;
    }
    ++credited;
    EXPECT_EQ(credit, 100);
    EXPECT_EQ(type, "Azure Credit Applied");
    EXPECT_EQ(number_text(row.raw, "BillingPreTaxTotal"), "0");
  }
  EXPECT_GT(credited, 30);
  EXPECT_LT(credited, 300);
}

TEST(UsageLine, SavingsPlanRowsNameTheirBenefitAndReportQuantityAtNoCost) {
  int covered = 0;
  for (const Row& row : sample_rows()) {
    const auto order = row.json.at("BenefitOrderID").get<std::string>();
    const auto benefit = row.json.at("BenefitID").get<std::string>();
    if (row.json.at("BenefitType") != "SavingsPlan") {
      EXPECT_EQ(row.json.at("BenefitType"), "");
      EXPECT_EQ(order, "");
      EXPECT_EQ(benefit, "");
      continue;
    }
    ++covered;
    EXPECT_TRUE(std::regex_match(order, kGuid)) << order;
    EXPECT_TRUE(std::regex_match(benefit, kGuid)) << benefit;
    EXPECT_NE(order, benefit);
    EXPECT_EQ(number_text(row.raw, "EffectiveUnitPrice"), "0");
    EXPECT_EQ(number_text(row.raw, "PricingPreTaxTotal"), "0");
    EXPECT_NE(number_text(row.raw, "Quantity"), "0");
  }
  EXPECT_GT(covered, 10);
}

TEST(UsageLine, ACustomerHasOneSavingsPlan) {
  std::map<std::string, std::string> plan_of;
  for (const Row& row : sample_rows()) {
    if (row.json.at("BenefitType") != "SavingsPlan") continue;
    const auto [entry, added] = plan_of.emplace(row.json.at("CustomerId").get<std::string>(),
                                                row.json.at("BenefitOrderID").get<std::string>());
    EXPECT_EQ(entry->second, row.json.at("BenefitOrderID"));
  }
  EXPECT_FALSE(plan_of.empty());
}

TEST(UsageLine, RefundsAreNegativeQuantitiesAndAmounts) {
  int refunds = 0;
  for (const Row& row : sample_rows()) {
    const auto type = row.json.at("ChargeType").get<std::string>();
    EXPECT_TRUE(type == "New" || type == "Refund") << type;
    const bool negative = units(number_text(row.raw, "Quantity"), 6) < 0;
    EXPECT_EQ(negative, type == "Refund") << row.raw;
    if (!negative) continue;
    ++refunds;
    EXPECT_LE(units(number_text(row.raw, "PricingPreTaxTotal"), 8), 0);
    EXPECT_LE(units(number_text(row.raw, "BillingPreTaxTotal"), 8), 0);
    EXPECT_GT(units(number_text(row.raw, "UnitPrice"), 6), 0);
  }
  EXPECT_GT(refunds, 15);
}

TEST(UsageLine, QuantitiesAreFractionalWithAtMostSixDecimals) {
  const std::regex six_decimals("-?(0|[1-9]\\d*)(\\.\\d{1,6})?");
  int fractional = 0;
  for (const Row& row : sample_rows()) {
    const std::string quantity = number_text(row.raw, "Quantity");
    EXPECT_TRUE(std::regex_match(quantity, six_decimals)) << quantity;
    if (quantity.find('.') != std::string::npos) ++fractional;
  }
  EXPECT_GT(fractional, static_cast<int>(kUsageSampleRows) / 2);
}

TEST(UsageLine, AmountsHaveAtMostTheEightDecimalsOfTheAmountScale) {
  const std::regex eight_decimals("-?(0|[1-9]\\d*)(\\.\\d{1,8})?");
  for (const Row& row : sample_rows()) {
    for (const char* column : {"BillingPreTaxTotal", "PricingPreTaxTotal", "EffectiveUnitPrice"}) {
      const std::string text = number_text(row.raw, column);
      EXPECT_TRUE(std::regex_match(text, eight_decimals)) << column << " = " << text;
    }
  }
}

TEST(UsageLine, UsageDateIsMidnightOfADayAndChargeDatesSpanTheMonth) {
  const InvoiceProfile profile = usage_sample_profile();
  const std::string month = profile.billing_month_yyyymm().insert(4, "-");
  std::set<std::string> days;
  for (const Row& row : sample_rows()) {
    const auto usage = row.json.at("UsageDate").get<std::string>();
    EXPECT_TRUE(usage.starts_with(month)) << usage;
    EXPECT_TRUE(usage.ends_with("T00:00:00Z")) << usage;
    days.insert(usage);
    EXPECT_EQ(row.json.at("ChargeStartDate"), month + "-01T00:00:00Z");
    EXPECT_LE(row.json.at("ChargeStartDate").get<std::string>(), usage);
    EXPECT_GE(row.json.at("ChargeEndDate").get<std::string>(), usage);
  }
  EXPECT_GE(days.size(), 28U);
}

TEST(UsageLine, ResourceUriIsUnderTheEntitlementsSubscriptionAndResourceGroup) {
  for (const Row& row : sample_rows()) {
    const std::string prefix = "/subscriptions/" + row.json.at("EntitlementId").get<std::string>() +
                               "/resourceGroups/" + row.json.at("ResourceGroup").get<std::string>() +
                               "/providers/" + row.json.at("ConsumedService").get<std::string>() + "/";
    EXPECT_TRUE(row.json.at("ResourceURI").get<std::string>().starts_with(prefix))
        << row.json.at("ResourceURI") << " not under " << prefix;
  }
}

TEST(UsageLine, AnEntitlementAlwaysBelongsToOneCustomerUnderOneName) {
  std::map<std::string, std::pair<std::string, std::string>> owner_of;
  for (const Row& row : sample_rows()) {
    const auto id = row.json.at("EntitlementId").get<std::string>();
    EXPECT_TRUE(std::regex_match(id, kGuid)) << id;
    const std::pair owner{row.json.at("CustomerId").get<std::string>(),
                          row.json.at("EntitlementDescription").get<std::string>()};
    const auto [entry, added] = owner_of.emplace(id, owner);
    EXPECT_EQ(entry->second, owner) << id;
  }
  EXPECT_GT(owner_of.size(), usage_sample_profile().customers.size());
}

TEST(UsageLine, AMeterIdAlwaysNamesTheSameMeter) {
  const std::vector<std::string> meter_columns{"MeterType", "MeterCategory", "MeterSubCategory",
                                               "MeterName", "MeterRegion",   "Unit",
                                               "UnitType",  "UnitPrice",     "ProductId"};
  std::map<std::string, ordered_json> first_of;
  for (const Row& row : sample_rows()) {
    const auto [entry, added] = first_of.emplace(row.json.at("MeterId").get<std::string>(), row.json);
    for (const std::string& column : meter_columns) {
      EXPECT_EQ(row.json.at(column), entry->second.at(column)) << column;
    }
  }
  EXPECT_GT(first_of.size(), 5U);
}

TEST(UsageLine, SubscriptionIdIsTheCustomersAzurePlanAsReconciliationBillsIt) {
  const ReconciliationGenerator reconciliation(usage_sample_profile(), kUsageSeed, AttributeSet::full, readback::kDocumentedLines);
  std::map<std::string, std::string> plan_of;
  for (const ordered_json& line : readback::parsed_lines(reconciliation, 1500)) {
    if (line.at("SubscriptionDescription") != "Azure plan") continue;
    plan_of[line.at("CustomerId").get<std::string>()] = line.at("SubscriptionId").get<std::string>();
  }
  ASSERT_FALSE(plan_of.empty());
  for (const Row& row : sample_rows()) {
    const auto plan = plan_of.find(row.json.at("CustomerId").get<std::string>());
    if (plan == plan_of.end()) continue;
    EXPECT_EQ(row.json.at("SubscriptionId"), plan->second);
    EXPECT_EQ(row.json.at("SubscriptionDescription"), "Azure plan");
  }
}

TEST(UsageLine, PartnerAndCurrenciesAreTheSameOnEveryRow) {
  const InvoiceProfile profile = usage_sample_profile();
  const std::string partner_name = sample_rows().front().json.at("PartnerName").get<std::string>();
  EXPECT_FALSE(partner_name.empty());
  for (const Row& row : sample_rows()) {
    EXPECT_EQ(row.json.at("PartnerId"), profile.partner_tenant_id);
    EXPECT_EQ(row.json.at("PartnerName"), partner_name);
    EXPECT_EQ(row.json.at("BillingCurrency"), "EUR");
    EXPECT_EQ(row.json.at("PricingCurrency"), "USD");
    EXPECT_EQ(number_text(row.raw, "PCToBCExchangeRate"), "0.846202666");
  }
}

TEST(UsageLine, TagsAndAdditionalInfoAreJsonObjectText) {
  int tagged = 0;
  for (const Row& row : sample_rows()) {
    const auto tags = row.json.at("Tags").get<std::string>();
    if (!tags.empty()) {
      ++tagged;
      EXPECT_TRUE(ordered_json::parse(tags).is_object()) << tags;
    }
    EXPECT_TRUE(ordered_json::parse(row.json.at("AdditionalInfo").get<std::string>()).is_object());
  }
  EXPECT_GT(tagged, 0);
}

TEST(UsageLine, PartnerAndResellerMpnIdsAgreeWithReconciliation) {
  const ReconciliationGenerator reconciliation(usage_sample_profile(), kUsageSeed, AttributeSet::full, readback::kDocumentedLines);
  std::map<std::string, std::pair<ordered_json, ordered_json>> mpn_ids_of;
  for (const ordered_json& line : readback::parsed_lines(reconciliation, 500)) {
    mpn_ids_of[line.at("CustomerId").get<std::string>()] = {line.at("MpnId"), line.at("Tier2MpnId")};
  }
  for (const Row& row : sample_rows()) {
    const auto found = mpn_ids_of.find(row.json.at("CustomerId").get<std::string>());
    if (found == mpn_ids_of.end()) continue;
    EXPECT_EQ(row.json.at("MpnId"), found->second.first);
    EXPECT_EQ(row.json.at("Tier2MpnId"), found->second.second);
  }
}

TEST(UsageLine, AmountsAreThePrintedTotalsOfTheRow) {
  const UsageGenerator generator(usage_sample_profile(), kUsageSeed, AttributeSet::basic, readback::kDocumentedLines);
  EXPECT_EQ(generator.amount_scale(), 8);
  ASSERT_EQ(generator.amount_columns().size(), 2U);
  EXPECT_EQ(generator.amount_columns()[0], "BillingPreTaxTotal");
  EXPECT_EQ(generator.amount_columns()[1], "PricingPreTaxTotal");
  for (std::uint64_t i = 0; i < 500; ++i) {
    const Row& row = sample_rows()[i];
    const RowAmounts amounts = generator.amounts(i);
    EXPECT_EQ(amounts.customer_id, row.json.at("CustomerId").get<std::string>());
    EXPECT_EQ(amounts.customer_name, row.json.at("CustomerName").get<std::string>());
    EXPECT_EQ(amounts.currency, "EUR");
    EXPECT_EQ(amounts.values[0], units(number_text(row.raw, "BillingPreTaxTotal"), 8));
    EXPECT_EQ(amounts.values[1], units(number_text(row.raw, "PricingPreTaxTotal"), 8));
  }
}

TEST(UsageLine, TheLargestRatesFollowTheSameRoundingWithoutOverflow) {
  const InvoiceProfile profile = make_unbilled_profile(kUsageSeed, "IDR", 2025, 2, readback::kSamplePartner);
  const UsageGenerator generator(profile, kUsageSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const std::string& raw : readback::raw_lines(generator, 300)) {
    EXPECT_EQ(units(number_text(raw, "BillingPreTaxTotal"), 8), expected_billing_total(raw)) << raw;
  }
}

}  // namespace
}  // namespace graphfake::data
