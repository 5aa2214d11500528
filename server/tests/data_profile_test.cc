// The data profiles, held to what real export files show (observed), to the
// documentation's tables (documented) and to the legacy camelCase
// reconciliation files (legacy-camel). Key orders and formats are transcribed
// here independently of the profile tables.
#include "data/data_profile.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <span>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "data/export_data.h"
#include "data/export_totals.h"
#include "data/json_line_writer.h"
#include "data/usage_schema.h"
#include "data_line_support.h"

namespace graphfake::data::profile_test {

using model::AttributeSet;
using model::ExportKind;
using nlohmann::ordered_json;
using Keys = std::vector<std::string>;

constexpr std::uint64_t kProfileSeed = 23;
constexpr std::uint64_t kProfileRows = 1500;

std::vector<std::string> profile_lines(ExportKind kind, AttributeSet set, const LineFormat& format,
                                       std::uint64_t count = kProfileRows) {
  const auto source =
      make_line_source(kind, readback::sample_profile_for(kind, kProfileSeed), kProfileSeed, set, format);
  return readback::raw_lines(*source, count);
}

LineFormat profile_format(DataProfile profile) { return LineFormat{.profile = profile}; }

Keys without(Keys keys, const std::set<std::string>& left_out) {
  std::erase_if(keys, [&](const std::string& key) { return left_out.count(key) != 0; });
  return keys;
}

// Real billed usage files: the documented order with PCToBCExchangeRateDate
// after PCToBCExchangeRate, and BenefitId before BenefitOrderId.
const Keys kObservedBilledUsageFull{
    "PartnerId", "PartnerName", "CustomerId", "CustomerName", "CustomerDomainName", "CustomerCountry", "MpnId",
    "Tier2MpnId", "InvoiceNumber", "ProductId", "SkuId", "AvailabilityId", "SkuName", "ProductName",
    "PublisherName", "PublisherId", "SubscriptionDescription", "SubscriptionId", "ChargeStartDate",
    "ChargeEndDate", "UsageDate", "MeterType", "MeterCategory", "MeterId", "MeterSubCategory", "MeterName",
    "MeterRegion", "Unit", "ResourceLocation", "ConsumedService", "ResourceGroup", "ResourceURI", "ChargeType",
    "UnitPrice", "Quantity", "UnitType", "BillingPreTaxTotal", "BillingCurrency", "PricingPreTaxTotal",
    "PricingCurrency", "ServiceInfo1", "ServiceInfo2", "Tags", "AdditionalInfo", "EffectiveUnitPrice",
    "PCToBCExchangeRate", "PCToBCExchangeRateDate", "EntitlementId", "EntitlementDescription",
    "PartnerEarnedCreditPercentage", "CreditPercentage", "CreditType", "BenefitId", "BenefitOrderId",
    "BenefitType"};

// Graph's basic usage columns, in the observed order.
const Keys kObservedBilledUsageBasic{
    "PartnerId", "PartnerName", "CustomerId", "CustomerName", "InvoiceNumber", "ProductId", "SkuId", "SkuName",
    "PublisherName", "SubscriptionId", "ChargeStartDate", "ChargeEndDate", "UsageDate", "ResourceURI",
    "ChargeType", "UnitPrice", "Quantity", "UnitType", "BillingPreTaxTotal", "BillingCurrency",
    "PricingPreTaxTotal", "PricingCurrency", "AdditionalInfo", "EffectiveUnitPrice", "PCToBCExchangeRate",
    "EntitlementId", "CreditPercentage", "CreditType", "BenefitOrderId", "BenefitType"};

const Keys kObservedReconciliationFull{
    "PartnerId", "CustomerId", "CustomerName", "CustomerDomainName", "CustomerCountry", "InvoiceNumber", "MpnId",
    "Tier2MpnId", "OrderId", "OrderDate", "ProductId", "SkuId", "AvailabilityId", "SkuName", "ProductName",
    "ChargeType", "UnitPrice", "Quantity", "Subtotal", "TaxTotal", "Total", "Currency",
    "PriceAdjustmentDescription", "PublisherName", "PublisherId", "SubscriptionDescription", "SubscriptionId",
    "ChargeStartDate", "ChargeEndDate", "TermAndBillingCycle", "EffectiveUnitPrice", "UnitType", "AlternateId",
    "BillableQuantity", "BillingFrequency", "PricingCurrency", "PCToBCExchangeRate", "PCToBCExchangeRateDate",
    "MeterDescription", "ReservationOrderId", "CreditReasonCode", "SubscriptionStartDate", "SubscriptionEndDate",
    "ReferenceId", "ProductQualifiers", "PromotionId", "ProductCategory"};

const std::set<std::string> kReconciliationNotBasic{
    "CustomerDomainName", "CustomerCountry", "MpnId", "Quantity", "PublisherId", "SubscriptionDescription",
    "UnitType", "AlternateId", "BillingFrequency", "PCToBCExchangeRateDate", "MeterDescription",
    "ProductQualifiers"};

// The legacy camelCase reconciliation file: resellerMpnId, totalForCustomer,
// the product, price and quantity columns re-ordered, subscription dates last.
const Keys kLegacyCamelReconciliationFull{
    "partnerId", "customerId", "customerName", "customerDomainName", "customerCountry", "invoiceNumber", "mpnId",
    "resellerMpnId", "orderId", "orderDate", "productId", "skuId", "availabilityId", "productName", "skuName",
    "productQualifiers", "chargeType", "unitPrice", "effectiveUnitPrice", "unitType", "quantity", "subtotal",
    "taxTotal", "totalForCustomer", "currency", "priceAdjustmentDescription", "publisherName", "publisherId",
    "subscriptionDescription", "subscriptionId", "chargeStartDate", "chargeEndDate", "termAndBillingCycle",
    "alternateId", "billableQuantity", "billingFrequency", "pricingCurrency", "pcToBCExchangeRate",
    "pcToBCExchangeRateDate", "meterDescription", "reservationOrderId", "creditReasonCode", "referenceId",
    "promotionId", "productCategory", "subscriptionStartDate", "subscriptionEndDate"};

// The keys of each line must be `expected` in order, less only keys whose
// value may be null; returns how many lines lacked each such key.
std::map<std::string, int> expect_keys(const std::vector<std::string>& lines, const Keys& expected,
                                       const std::set<std::string>& nullable = {}) {
  std::map<std::string, int> absent;
  for (const std::string& raw : lines) {
    const Keys keys = readback::keys_of(ordered_json::parse(raw));
    std::set<std::string> missing;
    for (const std::string& key : expected) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) missing.insert(key);
    }
    for (const std::string& key : missing) {
      EXPECT_TRUE(nullable.count(key)) << key << " missing from " << raw;
      ++absent[key];
    }
    EXPECT_EQ(keys, without(expected, missing)) << raw;
    if (::testing::Test::HasFailure()) break;
  }
  return absent;
}

// Every line's `key` text (the raw JSON value) matches `pattern`.
void expect_values(const std::vector<std::string>& lines, const std::string& key, const std::string& pattern) {
  const std::regex value(pattern);
  const std::regex member("\"" + key + "\":(\"(?:[^\"\\\\]|\\\\.)*\"|\\[[^\\]]*\\]|[^,}]*)");
  int seen = 0;
  for (const std::string& raw : lines) {
    std::smatch match;
    if (!std::regex_search(raw, match, member)) continue;
    ++seen;
    ASSERT_TRUE(std::regex_match(match[1].str(), value)) << key << " = " << match[1] << " does not match " << pattern;
  }
  EXPECT_GT(seen, 0) << key;
}

const std::string kFixed32 = R"(-?\d+\.\d{32}|0E-32)";
const std::string kFixed28 = R"(-?\d+\.\d{28}|0E-28)";
const std::string kFixed20 = R"(-?\d+\.\d{20}|0E-20)";
const std::string kFixed18 = R"(-?\d+\.\d{18}|0E-18)";
const std::string kJavaDouble = R"(-?(\d+\.\d+|\d\.\d+E-?\d+))";
const std::string kMillisecondTimestamp = R"("\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")";

// --- observed: usage ------------------------------------------------------------

TEST(ObservedProfile, BilledUsageFullHasThe55KeysOfRealFilesInTheirOrder) {
  expect_keys(profile_lines(ExportKind::billed_usage, AttributeSet::full, {}), kObservedBilledUsageFull);
}

TEST(ObservedProfile, BilledUsageBasicHasGraphsBasicKeysInTheObservedOrder) {
  expect_keys(profile_lines(ExportKind::billed_usage, AttributeSet::basic, {}), kObservedBilledUsageBasic);
}

TEST(ObservedProfile, UnbilledUsageHasNoInvoiceNumberAndLeavesANullPartnerCreditOut) {
  const auto absent = expect_keys(profile_lines(ExportKind::unbilled_usage, AttributeSet::full, {}),
                                  without(kObservedBilledUsageFull, {"InvoiceNumber"}),
                                  {"PartnerEarnedCreditPercentage"});
  ASSERT_TRUE(absent.count("PartnerEarnedCreditPercentage")) << "some rows have 53 keys";
  EXPECT_LT(absent.at("PartnerEarnedCreditPercentage"), static_cast<int>(kProfileRows)) << "others 54";
}

TEST(ObservedProfile, BilledUsageNumbersHaveTheirColumnsFixedScalesAndZerosInExponentForm) {
  const auto lines = profile_lines(ExportKind::billed_usage, AttributeSet::full, {});
  expect_values(lines, "UnitPrice", kFixed32);
  expect_values(lines, "EffectiveUnitPrice", kFixed32);
  expect_values(lines, "PCToBCExchangeRate", kFixed32);
  expect_values(lines, "Quantity", kFixed18);
  expect_values(lines, "BillingPreTaxTotal", kFixed20);
  expect_values(lines, "PricingPreTaxTotal", kFixed20);
  expect_values(lines, "PartnerEarnedCreditPercentage", R"(15\.0{28}|0E-28)");
  expect_values(lines, "CreditPercentage", R"(100\.0{28}|0E-28)");
}

TEST(ObservedProfile, UnbilledUsagePrintsPriceAndRateInShortestFormAndTheRestAtFixedScales) {
  const auto lines = profile_lines(ExportKind::unbilled_usage, AttributeSet::full, {});
  expect_values(lines, "EffectiveUnitPrice", kJavaDouble);
  expect_values(lines, "PCToBCExchangeRate", kJavaDouble);
  expect_values(lines, "UnitPrice", kFixed32);
  expect_values(lines, "Quantity", kFixed18);
  expect_values(lines, "BillingPreTaxTotal", kFixed20);
}

TEST(ObservedProfile, UsageTimestampsHaveMillisecondsAndUsageDateIsADate) {
  for (const ExportKind kind : {ExportKind::billed_usage, ExportKind::unbilled_usage}) {
    const auto lines = profile_lines(kind, AttributeSet::full, {}, 200);
    for (const char* key : {"ChargeStartDate", "ChargeEndDate", "PCToBCExchangeRateDate"}) {
      expect_values(lines, key, kMillisecondTimestamp);
    }
    expect_values(lines, "UsageDate", R"("\d{4}-\d\d-\d\d")");
  }
}

TEST(ObservedProfile, UsageValuesAreTheObservedEnumerationsAndEmptyStrings) {
  const auto billed = profile_lines(ExportKind::billed_usage, AttributeSet::full, {});
  expect_values(billed, "ChargeType", R"("New")");
  expect_values(billed, "UnitType", R"("Unit")");
  expect_values(billed, "CreditType",
                R"("Partner Earned Credit Applied"|"Azure Credit Applied"|"Credit Not Applied")");
  expect_values(billed, "BenefitType", R"("Charge"|"SavingsPlan")");
  for (const char* key : {"MpnId", "Tier2MpnId", "SubscriptionDescription", "ServiceInfo1", "BenefitId"}) {
    expect_values(billed, key, R"("")");
  }
  expect_values(billed, "Tags", R"("(\{.*\})?")");
  expect_values(billed, "AdditionalInfo", R"("\{.*\}")");
  const auto unbilled = profile_lines(ExportKind::unbilled_usage, AttributeSet::full, {}, 300);
  expect_values(unbilled, "ChargeType", R"("Usage")");
  expect_values(unbilled, "CustomerDomainName", R"("")");
  expect_values(unbilled, "AvailabilityId", R"("")");
}

// --- observed: reconciliation -------------------------------------------------

TEST(ObservedProfile, ReconciliationHasTheDocumentedKeysLessNullSubscriptionDatesOnAzureLines) {
  for (const ExportKind kind : {ExportKind::billed_reconciliation, ExportKind::unbilled_reconciliation}) {
    const auto lines = profile_lines(kind, AttributeSet::full, {});
    const auto absent =
        expect_keys(lines, kObservedReconciliationFull, {"SubscriptionStartDate", "SubscriptionEndDate"});
    EXPECT_GT(absent.at("SubscriptionStartDate"), 0) << "Azure consumption lines have 45 keys";
    EXPECT_LT(absent.at("SubscriptionStartDate"), static_cast<int>(kProfileRows)) << "license lines 47";
    for (const std::string& raw : lines) {
      const ordered_json line = ordered_json::parse(raw);
      const bool consumption = line.at("MeterDescription") != "";  // Azure plan consumption, not reservations
      EXPECT_EQ(line.contains("SubscriptionStartDate"), !consumption) << raw;
    }
  }
}

TEST(ObservedProfile, ReconciliationBasicHasTheDocumentedBasicKeys) {
  expect_keys(profile_lines(ExportKind::billed_reconciliation, AttributeSet::basic, {}),
              without(kObservedReconciliationFull, kReconciliationNotBasic),
              {"SubscriptionStartDate", "SubscriptionEndDate"});
}

TEST(ObservedProfile, ReconciliationMoneyHasTwoPlacesAndQuantityAndRateTen) {
  const auto lines = profile_lines(ExportKind::billed_reconciliation, AttributeSet::full, {});
  for (const char* key : {"UnitPrice", "Quantity", "Subtotal", "TaxTotal", "Total", "EffectiveUnitPrice"}) {
    expect_values(lines, key, R"(-?\d+\.\d\d)");
  }
  expect_values(lines, "BillableQuantity", R"(-?\d+\.\d{10})");
  expect_values(lines, "PCToBCExchangeRate", R"(\d+\.\d{10})");
}

TEST(ObservedProfile, ReconciliationValuesHaveTheObservedSpellings) {
  const auto lines = profile_lines(ExportKind::billed_reconciliation, AttributeSet::full, {});
  expect_values(lines, "ChargeType", R"re("(new|renew|addQuantity|cancel|cycleCharge)")re");
  expect_values(lines, "ProductQualifiers", R"(\[\]|\["AddOn"\])");
  expect_values(lines, "PriceAdjustmentDescription", R"("\[(\\"[^\\]*\\")?\]")");
  expect_values(lines, "Tier2MpnId", R"("\d+")");
  for (const char* key : {"PublisherId", "BillingFrequency"}) expect_values(lines, key, R"("")");
  for (const char* key : {"OrderDate", "ChargeStartDate", "ChargeEndDate", "SubscriptionStartDate"}) {
    expect_values(lines, key, kMillisecondTimestamp);
  }
  int earned_credit = 0;
  for (const std::string& raw : lines) {
    const ordered_json line = ordered_json::parse(raw);
    const auto adjustment = ordered_json::parse(line.at("PriceAdjustmentDescription").get<std::string>());
    ASSERT_TRUE(adjustment.is_array()) << raw;
    if (!adjustment.empty() && adjustment[0] == "15% Partner earned credit for services managed") ++earned_credit;
    const bool consumption = line.at("MeterDescription") != "";
    const std::string reservation = line.at("ReservationOrderId");
    if (consumption) {
      EXPECT_TRUE(std::regex_match(reservation, std::regex("[0-9a-f]{64}"))) << raw;
      EXPECT_TRUE(line.at("ChargeEndDate").get<std::string>().ends_with("T23:59:59.000Z")) << raw;
    } else if (reservation.size() != 64 && line.at("SkuName").get<std::string>().find("Reserved") == std::string::npos) {
      EXPECT_EQ(reservation, line.at("SubscriptionId")) << raw;
    }
  }
  EXPECT_GT(earned_credit, 0);
}

// --- legacy-camel ---------------------------------------------------------------

TEST(LegacyCamelProfile, ReconciliationHasTheRenamedAndReorderedCamelCaseKeys) {
  const auto lines = profile_lines(ExportKind::billed_reconciliation, AttributeSet::full,
                                   profile_format(DataProfile::legacy_camel));
  expect_keys(lines, kLegacyCamelReconciliationFull, {"subscriptionStartDate", "subscriptionEndDate"});
  expect_values(lines, "totalForCustomer", R"(-?\d+\.\d\d)");
  expect_values(lines, "resellerMpnId", R"("\d+")");
}

TEST(LegacyCamelProfile, ReconciliationLinesCarryTheObservedLinesValues) {
  const auto observed = profile_lines(ExportKind::unbilled_reconciliation, AttributeSet::full, {}, 300);
  const auto legacy = profile_lines(ExportKind::unbilled_reconciliation, AttributeSet::full,
                                    profile_format(DataProfile::legacy_camel), 300);
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const ordered_json line = ordered_json::parse(observed[i]);
    const ordered_json camel = ordered_json::parse(legacy[i]);
    EXPECT_EQ(camel.at("totalForCustomer"), line.at("Total"));
    EXPECT_EQ(camel.at("resellerMpnId"), line.at("Tier2MpnId"));
    EXPECT_EQ(camel.at("pcToBCExchangeRate"), line.at("PCToBCExchangeRate"));
    EXPECT_EQ(camel.size(), line.size());
  }
}

TEST(LegacyCamelProfile, UsageIsWrittenAsObserved) {
  for (const ExportKind kind : {ExportKind::billed_usage, ExportKind::unbilled_usage}) {
    EXPECT_EQ(profile_lines(kind, AttributeSet::full, profile_format(DataProfile::legacy_camel), 200),
              profile_lines(kind, AttributeSet::full, {}, 200));
  }
}

// --- documented -------------------------------------------------------------------

TEST(DocumentedProfile, UsageHasTheDocumentedTablesKeysAndShortestNumbers) {
  const auto lines = profile_lines(ExportKind::billed_usage, AttributeSet::full, readback::kDocumentedLines);
  const auto names = usage_column_names(AttributeSet::full);
  expect_keys(lines, Keys(names.begin(), names.end()));
  const std::string shortest = R"(-?(0|[1-9]\d*)(\.\d*[1-9])?)";
  for (const char* key : {"UnitPrice", "Quantity", "BillingPreTaxTotal", "EffectiveUnitPrice", "CreditPercentage"}) {
    expect_values(lines, key, shortest);
  }
  expect_values(lines, "UsageDate", R"("\d{4}-\d\d-\d\dT00:00:00Z")");
}

TEST(DocumentedProfile, ReconciliationHasProductQualifiersAsTextAndEveryKey) {
  const auto lines =
      profile_lines(ExportKind::billed_reconciliation, AttributeSet::full, readback::kDocumentedLines);
  expect_keys(lines, kObservedReconciliationFull);
  expect_values(lines, "ProductQualifiers", R"("\[\]"|"\[\\"Add-on\\"\]")");
  expect_values(lines, "ChargeType", R"re("(New|Renew|Add quantity|Cancel|Cycle charge)")re");
}

// --- overrides and the extra column ---------------------------------------------

TEST(DataProfileOverrides, ProductQualifiersAsTextOverridesTheObservedArray) {
  const auto lines = profile_lines(ExportKind::billed_reconciliation, AttributeSet::full,
                                   {.product_qualifiers = Dialect::ProductQualifiers::text}, 300);
  expect_values(lines, "ProductQualifiers", R"("\[\]"|"\[\\"AddOn\\"\]")");
}

TEST(DataProfileOverrides, NumbersAsStringsQuoteTheFixedScaleDigits) {
  const auto lines = profile_lines(ExportKind::billed_usage, AttributeSet::full,
                                   {.numbers = Dialect::Numbers::strings}, 200);
  expect_values(lines, "UnitPrice", "\"(" + kFixed32 + ")\"");
}

TEST(ExtraColumn, IsTheLastKeyOfEveryRowInEveryProfile) {
  const LineFormat formats[] = {
      {.extra_column = model::ExtraColumn{"ServicePeriod", "2025-01"}},
      {.profile = DataProfile::documented, .extra_column = model::ExtraColumn{"ServicePeriod", "2025-01"}},
      {.profile = DataProfile::legacy_camel, .extra_column = model::ExtraColumn{"ServicePeriod", "2025-01"}},
  };
  for (const LineFormat& format : formats) {
    for (const ExportKind kind : {ExportKind::billed_reconciliation, ExportKind::unbilled_usage}) {
      for (const AttributeSet set : {AttributeSet::full, AttributeSet::basic}) {
        for (const std::string& raw : profile_lines(kind, set, format, 50)) {
          const ordered_json line = ordered_json::parse(raw);
          EXPECT_EQ(readback::keys_of(line).back(), "ServicePeriod") << raw;
          EXPECT_EQ(line.at("ServicePeriod"), "2025-01");
        }
      }
    }
  }
}

// --- what the observed profile is for -------------------------------------------

TEST(ObservedProfile, A32PlaceDecimalDoesNotSurviveADoubleRoundTrip) {
  const auto lines = profile_lines(ExportKind::billed_usage, AttributeSet::full, {}, 50);
  int lost = 0;
  for (const std::string& raw : lines) {
    const std::string text = readback::number_text(raw, "PCToBCExchangeRate");
    ASSERT_EQ(text.size(), 34U) << text;  // "0." and 32 places
    const double parsed = std::strtod(text.c_str(), nullptr);
    if (fmt::format("{:.32f}", parsed) != text) ++lost;
  }
  EXPECT_EQ(lost, 50) << "the rate 0.846202666 has no exact double";
}

TEST(ObservedProfile, AmountsParsedAsDoubleMissTheTotalsWhileTheirExactDigitsAddUp) {
  const auto source = make_line_source(ExportKind::billed_usage,
                                       readback::sample_profile_for(ExportKind::billed_usage, kProfileSeed),
                                       kProfileSeed, AttributeSet::full, {});
  const ExportTotals totals = sum_amounts(*source, 0, kProfileRows);
  ASSERT_EQ(totals.scale, 20);
  double as_double = 0;
  Wide exact = 0;
  for (const std::string& raw : readback::raw_lines(*source, kProfileRows)) {
    const nlohmann::json line = nlohmann::json::parse(raw);
    as_double += line.at("BillingPreTaxTotal").get<double>();
    exact += readback::exact_units(readback::number_text(raw, "BillingPreTaxTotal"), 20);
  }
  const std::string expected = format_fixed(totals.by_currency.front().totals.sums[0], 20);
  EXPECT_EQ(format_fixed(exact, 20), expected);
  EXPECT_NE(fmt::format("{:.20f}", as_double), expected);
}

// --- printing, on a table of its own ---------------------------------------------

constexpr std::array<Column, 1> kPrintedColumn{{{"Value", true}}};

std::string printed(const ValueFormat& format, Decimal value) {
  const ProfileColumn column{"Value", "Value", true, format, format};
  const LineLayout layout = make_line_layout(kPrintedColumn, std::span(&column, 1), true, AttributeSet::full, {});
  std::string out;
  JsonLineWriter w(out, kPrintedColumn, layout);
  w.number("Value", value);
  w.finish();
  return out.substr(9, out.size() - 11);  // between {"Value": and }\n
}

ValueFormat number_format(NumberStyle style, int scale = 0) {
  ValueFormat format;
  format.number = style;
  format.scale = scale;
  return format;
}

TEST(ProfilePrinting, FixedScalesPadTheExactDigitsBeyondAnInt64) {
  EXPECT_EQ(printed(number_format(NumberStyle::fixed_zero_exponent, 32), {846202666, 9}),
            "0.84620266600000000000000000000000");
  EXPECT_EQ(printed(number_format(NumberStyle::fixed_zero_exponent, 28), {15, 0}),
            "15.0000000000000000000000000000");
  EXPECT_EQ(printed(number_format(NumberStyle::fixed_zero_exponent, 20), {-123, 8}), "-0.00000123000000000000");
}

TEST(ProfilePrinting, AZeroKeepsItsScaleInExponentForm) {
  EXPECT_EQ(printed(number_format(NumberStyle::fixed_zero_exponent, 32), {0, 8}), "0E-32");
  EXPECT_EQ(printed(number_format(NumberStyle::fixed, 2), {0, 8}), "0.00");
}

TEST(ProfilePrinting, AFixedScaleBelowTheValuesRoundsHalfAwayFromZero) {
  EXPECT_EQ(printed(number_format(NumberStyle::fixed, 2), {10'625'000, 6}), "10.63");
  EXPECT_EQ(printed(number_format(NumberStyle::fixed, 2), {-10'625'000, 6}), "-10.63");
  EXPECT_EQ(printed(number_format(NumberStyle::fixed, 2), {-4'000, 6}), "0.00");
}

TEST(ProfilePrinting, JavaDoubleFormHasAPointAndAnExponentOutsideItsRange) {
  EXPECT_EQ(printed(number_format(NumberStyle::java_double), {1'000'000'000, 9}), "1.0");
  EXPECT_EQ(printed(number_format(NumberStyle::java_double), {0, 8}), "0.0");
  EXPECT_EQ(printed(number_format(NumberStyle::java_double), {990'000, 8}), "0.0099");
  EXPECT_EQ(printed(number_format(NumberStyle::java_double), {1'360, 8}), "1.36E-5");
  EXPECT_EQ(printed(number_format(NumberStyle::java_double), {100'000'000, 1}), "1.0E7");
}

}  // namespace graphfake::data::profile_test
