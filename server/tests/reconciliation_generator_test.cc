#include "data/reconciliation_generator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/reconciliation_schema.h"
#include "data_line_support.h"

namespace graphfake::data {
namespace {

using model::AttributeSet;
using nlohmann::ordered_json;

__extension__ using Wide = __int128;

constexpr std::uint64_t kReconciliationSeed = 20241008;
constexpr std::string_view kInvoice = "G058476717";
constexpr std::string_view kReconciliationPartner = "6e75cca6-47f0-47a3-a928-9d5315750bd9";
constexpr std::uint64_t kReconciliationSampleRows = 3000;

const std::set<std::string> kNumberColumns{
    "UnitPrice", "Quantity",           "Subtotal",         "TaxTotal",
    "Total",     "EffectiveUnitPrice", "BillableQuantity", "PCToBCExchangeRate"};
const std::set<std::string> kDateColumns{"OrderDate",
                                         "ChargeStartDate",
                                         "ChargeEndDate",
                                         "PCToBCExchangeRateDate",
                                         "SubscriptionStartDate",
                                         "SubscriptionEndDate"};
const std::set<std::string> kMoneyColumns{"Subtotal", "TaxTotal", "Total"};

InvoiceProfile reconciliation_sample_profile() { return make_invoice_profile(kReconciliationSeed, kInvoice, kReconciliationPartner); }

// A euro invoice with the documented sample rate, so conversions really round.
InvoiceProfile euro_profile() {
  InvoiceProfile profile = reconciliation_sample_profile();
  profile.billing_currency = "EUR";
  profile.pc_to_bc_exchange_rate = 0.846202666;
  return profile;
}

using readback::keys_of;
using readback::number_text;
using readback::raw_line;
using readback::units;

std::vector<std::string> raw_lines(const LineSource& source, std::uint64_t count = kReconciliationSampleRows) {
  return readback::raw_lines(source, count);
}

std::vector<ordered_json> parsed_lines(const LineSource& source, std::uint64_t count = kReconciliationSampleRows) {
  return readback::parsed_lines(source, count);
}

std::vector<std::string> expected_keys(AttributeSet set) {
  std::vector<std::string> keys;
  for (std::string_view name : reconciliation_column_names(set)) keys.emplace_back(name);
  return keys;
}

// Lines from several invoices, for behaviours that only some subscriptions show.
std::vector<ordered_json> lines_of_several_invoices() {
  std::vector<ordered_json> lines;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const ReconciliationGenerator generator(make_invoice_profile(seed, kInvoice, kReconciliationPartner), seed,
                                            AttributeSet::full, readback::kDocumentedLines);
    for (ordered_json& line : parsed_lines(generator, 600)) lines.push_back(std::move(line));
  }
  return lines;
}

bool is_usage_line(const ordered_json& line) {
  // Only consumption lines name a meter.
  return !line.at("MeterDescription").get<std::string>().empty();
}

TEST(ReconciliationGenerator, AppendsOneJsonObjectTerminatedByNewline) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  std::string out = "previous\n";
  generator.append_line(0, out);
  ASSERT_TRUE(out.starts_with("previous\n"));
  const std::string line = out.substr(std::string("previous\n").size());
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_TRUE(ordered_json::parse(line).is_object());
}

TEST(ReconciliationGenerator, FullLinesCarryAll47KeysInSchemaOrder) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const std::vector<std::string> expected = expected_keys(AttributeSet::full);
  ASSERT_EQ(expected.size(), 47U);
  for (const ordered_json& line : parsed_lines(generator, 500)) {
    ASSERT_EQ(keys_of(line), expected);
  }
}

TEST(ReconciliationGenerator, BasicLinesCarryThe35BasicKeysInSchemaOrder) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::basic, readback::kDocumentedLines);
  const std::vector<std::string> expected = expected_keys(AttributeSet::basic);
  ASSERT_EQ(expected.size(), 35U);
  for (const ordered_json& line : parsed_lines(generator, 500)) {
    ASSERT_EQ(keys_of(line), expected);
  }
}

TEST(ReconciliationGenerator, BasicLineHoldsTheFullLinesValuesForItsColumns) {
  const ReconciliationGenerator full(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const ReconciliationGenerator basic(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::basic, readback::kDocumentedLines);
  for (std::uint64_t i = 0; i < 200; ++i) {
    const ordered_json full_line = ordered_json::parse(raw_line(full, i));
    const ordered_json basic_line = ordered_json::parse(raw_line(basic, i));
    for (const auto& item : basic_line.items()) {
      EXPECT_EQ(item.value(), full_line.at(item.key())) << "row " << i << " " << item.key();
    }
  }
}

TEST(ReconciliationGenerator, NumericColumnsAreJsonNumbers) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const ordered_json& line : parsed_lines(generator, 500)) {
    for (const std::string& column : kNumberColumns) {
      EXPECT_TRUE(line.at(column).is_number()) << column << " in " << line.dump();
    }
  }
}

TEST(ReconciliationGenerator, DateColumnsAreIsoUtcStrings) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const std::regex iso(
      "\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\dZ");
  for (const ordered_json& line : parsed_lines(generator, 500)) {
    for (const std::string& column : kDateColumns) {
      ASSERT_TRUE(line.at(column).is_string()) << column;
      EXPECT_TRUE(std::regex_match(line.at(column).get<std::string>(), iso))
          << column << " = " << line.at(column);
    }
  }
}

TEST(ReconciliationGenerator, EveryOtherColumnIsAString) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const ordered_json& line : parsed_lines(generator, 500)) {
    for (const auto& item : line.items()) {
      if (kNumberColumns.contains(item.key())) continue;
      EXPECT_TRUE(item.value().is_string()) << item.key() << " = " << item.value();
    }
  }
}

TEST(ReconciliationGenerator, InvoiceWideValuesComeFromTheProfile) {
  const InvoiceProfile profile = euro_profile();
  const ReconciliationGenerator generator(profile, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const ordered_json& line : parsed_lines(generator, 500)) {
    EXPECT_EQ(line.at("PartnerId"), profile.partner_tenant_id);
    EXPECT_EQ(line.at("InvoiceNumber"), profile.invoice_id);
    EXPECT_EQ(line.at("Currency"), "EUR");
    EXPECT_EQ(line.at("PricingCurrency"), "USD");
    EXPECT_EQ(line.at("PCToBCExchangeRate").get<double>(), 0.846202666);
    EXPECT_EQ(line.at("PublisherName"), "Microsoft Corporation");
  }
}

TEST(ReconciliationGenerator, CustomerColumnsDescribeOneProfileCustomer) {
  const InvoiceProfile profile = reconciliation_sample_profile();
  std::map<std::string, const Customer*> customers_by_id;
  for (const Customer& customer : profile.customers) customers_by_id[customer.id] = &customer;
  const ReconciliationGenerator generator(profile, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  std::set<std::string> billed;
  for (const ordered_json& line : parsed_lines(generator)) {
    const auto found = customers_by_id.find(line.at("CustomerId").get<std::string>());
    ASSERT_NE(found, customers_by_id.end()) << line.at("CustomerId");
    EXPECT_EQ(line.at("CustomerName"), found->second->name);
    EXPECT_EQ(line.at("CustomerDomainName"), found->second->domain);
    EXPECT_EQ(line.at("CustomerCountry"), found->second->country);
    billed.insert(found->first);
  }
  EXPECT_EQ(billed.size(), profile.customers.size());
}

TEST(ReconciliationGenerator, ChargeDatesFallInsideTheBillingMonth) {
  const InvoiceProfile profile = reconciliation_sample_profile();
  const std::string month = profile.billing_month_yyyymm().insert(4, "-");
  const ReconciliationGenerator generator(profile, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const ordered_json& line : parsed_lines(generator)) {
    const auto start = line.at("ChargeStartDate").get<std::string>();
    const auto end = line.at("ChargeEndDate").get<std::string>();
    EXPECT_TRUE(start.starts_with(month)) << start << " outside " << month;
    EXPECT_TRUE(end.starts_with(month)) << end << " outside " << month;
    EXPECT_LE(start, end);
  }
}

TEST(ReconciliationGenerator, SubscriptionsStartNoLaterThanTheyEnd) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const ordered_json& line : parsed_lines(generator)) {
    EXPECT_LE(line.at("SubscriptionStartDate").get<std::string>(),
              line.at("SubscriptionEndDate").get<std::string>());
    EXPECT_LE(line.at("SubscriptionStartDate").get<std::string>(),
              line.at("ChargeEndDate").get<std::string>());
  }
}

TEST(ReconciliationGenerator, TotalIsSubtotalPlusTaxToTheCent) {
  const ReconciliationGenerator generator(euro_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const std::string& line : raw_lines(generator)) {
    const std::int64_t subtotal = units(number_text(line, "Subtotal"), 2);
    const std::int64_t tax = units(number_text(line, "TaxTotal"), 2);
    EXPECT_EQ(units(number_text(line, "Total"), 2), subtotal + tax) << line;
  }
}

TEST(ReconciliationGenerator, TaxIsAPlausibleShareOfTheSubtotal) {
  const ReconciliationGenerator generator(euro_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const std::string& line : raw_lines(generator)) {
    const std::int64_t subtotal = units(number_text(line, "Subtotal"), 2);
    const std::int64_t tax = units(number_text(line, "TaxTotal"), 2);
    // Same sign as the subtotal and no more than 30% of it, give or take a cent.
    EXPECT_LE(std::abs(tax) * 100, std::abs(subtotal) * 30 + 100) << line;
    EXPECT_GE(tax * subtotal, 0) << line;
  }
}

TEST(ReconciliationGenerator, MoneyIsPrintedWithAtMostTwoDecimals) {
  const ReconciliationGenerator generator(euro_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const std::regex money("-?(0|[1-9]\\d*)(\\.\\d{1,2})?");
  for (const std::string& line : raw_lines(generator)) {
    for (const std::string& column : kMoneyColumns) {
      const std::string text = number_text(line, column);
      EXPECT_TRUE(std::regex_match(text, money)) << column << " = " << text;
      EXPECT_FALSE(text.find('.') != std::string::npos && text.back() == '0')
          << column << " has a trailing zero: " << text;
    }
  }
}

TEST(ReconciliationGenerator, UsageSubtotalFollowsTheDocumentedRounding) {
  for (const InvoiceProfile& profile : {reconciliation_sample_profile(), euro_profile()}) {
    const ReconciliationGenerator generator(profile, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
    int usage_lines = 0;
    for (const std::string& raw : raw_lines(generator)) {
      if (!is_usage_line(ordered_json::parse(raw))) continue;
      ++usage_lines;
      const Wide price = units(number_text(raw, "EffectiveUnitPrice"), 6);
      const Wide quantity = units(number_text(raw, "BillableQuantity"), 6);
      const Wide rate = units(number_text(raw, "PCToBCExchangeRate"), 9);
      // ROUNDDOWN(ROUNDDOWN(EffectiveUnitPrice*BillableQuantity,2)*PCToBCExchangeRate,2)
      const Wide pricing_cents = price * quantity / 10'000'000'000LL;
      const auto expected = static_cast<std::int64_t>(pricing_cents * rate / 1'000'000'000LL);
      EXPECT_EQ(units(number_text(raw, "Subtotal"), 2), expected) << raw;
    }
    EXPECT_GT(usage_lines, 100);
  }
}

TEST(ReconciliationGenerator, LicenseSubtotalFollowsTheDocumentedRounding) {
  for (const InvoiceProfile& profile : {reconciliation_sample_profile(), euro_profile()}) {
    const ReconciliationGenerator generator(profile, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
    int license_lines = 0;
    for (const std::string& raw : raw_lines(generator)) {
      if (is_usage_line(ordered_json::parse(raw))) continue;
      ++license_lines;
      const Wide price = units(number_text(raw, "EffectiveUnitPrice"), 6);
      const Wide rate = units(number_text(raw, "PCToBCExchangeRate"), 9);
      const std::int64_t quantity = units(number_text(raw, "BillableQuantity"), 0);
      // ROUNDDOWN(EffectiveUnitPrice*PCToBCExchangeRate,2)*BillableQuantity
      const auto unit_cents = static_cast<std::int64_t>(price * rate / 10'000'000'000'000LL);
      EXPECT_EQ(units(number_text(raw, "Subtotal"), 2), unit_cents * quantity) << raw;
    }
    EXPECT_GT(license_lines, 100);
  }
}

bool is_credit_line(const ordered_json& line) {
  return !line.at("CreditReasonCode").get<std::string>().empty();
}

TEST(ReconciliationGenerator, UsageLinesHaveFractionalBillableQuantities) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  int fractional = 0;
  for (const ordered_json& line : parsed_lines(generator)) {
    if (!is_usage_line(line) || is_credit_line(line)) continue;
    const double quantity = line.at("BillableQuantity").get<double>();
    EXPECT_GT(quantity, 0.0);
    if (quantity != std::floor(quantity)) ++fractional;
  }
  EXPECT_GT(fractional, 100);
}

TEST(ReconciliationGenerator, CreditLinesGiveBackAzureConsumptionWithNegativeAmounts) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  int credits = 0;
  for (const ordered_json& line : parsed_lines(generator)) {
    if (!is_credit_line(line)) continue;
    ++credits;
    EXPECT_EQ(line.at("CreditReasonCode"), "Azure Credit Offer");
    EXPECT_TRUE(is_usage_line(line)) << line.dump();
    EXPECT_LT(line.at("BillableQuantity").get<double>(), 0.0);
    EXPECT_LE(line.at("Subtotal").get<double>(), 0.0);
    EXPECT_LE(line.at("TaxTotal").get<double>(), 0.0);
    EXPECT_LE(line.at("Total").get<double>(), 0.0);
  }
  // About 2.4% of lines: a few dozen in a sample, never most of it.
  EXPECT_GT(credits, 20);
  EXPECT_LT(credits, 300);
}

TEST(ReconciliationGenerator, AmountsAreThePrintedSubtotalTaxAndTotalOfTheRow) {
  const ReconciliationGenerator generator(euro_profile(), kReconciliationSeed, AttributeSet::basic, readback::kDocumentedLines);
  EXPECT_EQ(generator.amount_scale(), 2);
  const std::vector<std::string_view> columns(generator.amount_columns().begin(),
                                              generator.amount_columns().end());
  EXPECT_EQ(columns, (std::vector<std::string_view>{"Subtotal", "TaxTotal", "Total"}));
  const std::vector<std::string> lines = raw_lines(generator, 500);
  for (std::uint64_t i = 0; i < lines.size(); ++i) {
    const ordered_json line = ordered_json::parse(lines[i]);
    const RowAmounts amounts = generator.amounts(i);
    EXPECT_EQ(amounts.customer_id, line.at("CustomerId").get<std::string>());
    EXPECT_EQ(amounts.customer_name, line.at("CustomerName").get<std::string>());
    EXPECT_EQ(amounts.currency, "EUR");
    for (std::size_t c = 0; c < columns.size(); ++c) {
      EXPECT_EQ(amounts.values[c], units(number_text(lines[i], columns[c]), 2)) << columns[c];
    }
  }
}

TEST(ReconciliationGenerator, UnbilledLinesHaveNoInvoiceNumberAndNoBillingFrequency) {
  const InvoiceProfile profile = make_unbilled_profile(kReconciliationSeed, "EUR", 2025, 6, kReconciliationPartner);
  const ReconciliationGenerator generator(profile, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const ordered_json& line : parsed_lines(generator, 500)) {
    EXPECT_EQ(line.at("InvoiceNumber"), "");
    EXPECT_EQ(line.at("BillingFrequency"), "");
    EXPECT_EQ(line.at("Currency"), "EUR");
  }
}

TEST(ReconciliationGenerator, LicenseLinesBillWholeUnits) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (const ordered_json& line : parsed_lines(generator)) {
    if (is_usage_line(line)) continue;
    EXPECT_TRUE(line.at("BillableQuantity").is_number_integer()) << line.dump();
    EXPECT_EQ(line.at("Quantity"), line.at("BillableQuantity"));
  }
}

TEST(ReconciliationGenerator, ChargeTypesComeFromTheNewCommerceSet) {
  const std::set<std::string> known{"New", "Renew", "Cycle charge", "Cancel", "Add quantity"};
  std::set<std::string> seen;
  for (const ordered_json& line : lines_of_several_invoices()) {
    const auto type = line.at("ChargeType").get<std::string>();
    EXPECT_TRUE(known.contains(type)) << type;
    seen.insert(type);
  }
  EXPECT_EQ(seen, known);
}

TEST(ReconciliationGenerator, CancellationsAreNegativeQuantitiesAndAmounts) {
  int cancellations = 0;
  for (const ordered_json& line : lines_of_several_invoices()) {
    if (line.at("ChargeType") != "Cancel") continue;
    ++cancellations;
    EXPECT_LT(line.at("Quantity").get<double>(), 0.0);
    EXPECT_LT(line.at("BillableQuantity").get<double>(), 0.0);
    EXPECT_LE(line.at("Subtotal").get<double>(), 0.0);
    EXPECT_LE(line.at("Total").get<double>(), 0.0);
    EXPECT_GT(line.at("UnitPrice").get<double>(), 0.0);
  }
  EXPECT_GT(cancellations, 0);
}

TEST(ReconciliationGenerator, AdjustmentAndQualifierColumnsHoldJsonArrayText) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  int partner_earned_credit = 0;
  for (const ordered_json& line : parsed_lines(generator)) {
    for (const char* column : {"PriceAdjustmentDescription", "ProductQualifiers"}) {
      const ordered_json array = ordered_json::parse(line.at(column).get<std::string>());
      ASSERT_TRUE(array.is_array()) << column;
      for (const auto& element : array) EXPECT_TRUE(element.is_string());
    }
    if (line.at("PriceAdjustmentDescription") ==
        R"(["15.0% Partner earned credit for services managed"])") {
      ++partner_earned_credit;
      EXPECT_LT(line.at("EffectiveUnitPrice").get<double>(), line.at("UnitPrice").get<double>());
    }
  }
  EXPECT_GT(partner_earned_credit, 0);
}

// --- spellings where the real files are not known (Dialect) --------------------

ReconciliationGenerator generator_with(LineFormat format, AttributeSet set = AttributeSet::full) {
  format.profile = DataProfile::documented;
  return ReconciliationGenerator(reconciliation_sample_profile(), kReconciliationSeed, set, format);
}

TEST(ReconciliationGenerator, CamelCaseKeysSpellEachSchemaColumnInOrder) {
  const auto generator = generator_with({.keys = Dialect::KeyCase::camel});
  std::vector<std::string> expected;
  for (const auto& key : expected_keys(AttributeSet::basic)) expected.push_back(spell_key(key, Dialect::KeyCase::camel));
  const auto basic = generator_with({.keys = Dialect::KeyCase::camel}, AttributeSet::basic);
  for (const ordered_json& line : parsed_lines(basic, 50)) ASSERT_EQ(keys_of(line), expected);
  const ordered_json line = ordered_json::parse(raw_line(generator, 0));
  EXPECT_TRUE(line.contains("partnerId"));
  EXPECT_TRUE(line.contains("pcToBCExchangeRate"));
  EXPECT_FALSE(line.contains("PartnerId"));
}

TEST(ReconciliationGenerator, LowerCaseKeysAreTheSchemaNamesLowered) {
  const ordered_json line = ordered_json::parse(raw_line(generator_with({.keys = Dialect::KeyCase::lower}), 0));
  std::vector<std::string> expected;
  for (const auto& key : expected_keys(AttributeSet::full)) expected.push_back(spell_key(key, Dialect::KeyCase::lower));
  EXPECT_EQ(keys_of(line), expected);
}

TEST(ReconciliationGenerator, KeyCasingChangesOnlyTheKeys) {
  const auto pascal = parsed_lines(generator_with({}), 100);
  const auto lower = parsed_lines(generator_with({.keys = Dialect::KeyCase::lower}), 100);
  for (std::size_t i = 0; i < pascal.size(); ++i) {
    for (const auto& item : pascal[i].items()) {
      EXPECT_EQ(lower[i].at(spell_key(item.key(), Dialect::KeyCase::lower)), item.value()) << item.key();
    }
  }
}

TEST(ReconciliationGenerator, NumbersAsStringsQuoteExactlyTheNumericColumnsWithTheSameDigits) {
  const auto numbers = raw_lines(generator_with({}), 200);
  const auto strings = raw_lines(generator_with({.numbers = Dialect::Numbers::strings}), 200);
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const ordered_json quoted = ordered_json::parse(strings[i]);
    for (const auto& column : kNumberColumns) {
      ASSERT_TRUE(quoted.at(column).is_string()) << column;
      EXPECT_EQ(quoted.at(column).get<std::string>(), number_text(numbers[i], column)) << column;
    }
    for (const auto& item : quoted.items()) EXPECT_TRUE(item.value().is_string()) << item.key();
  }
}

TEST(ReconciliationGenerator, ProductQualifiersAsArrayIsTheArrayItself) {
  const auto text = parsed_lines(generator_with({}));
  const auto arrays = parsed_lines(generator_with({.product_qualifiers = Dialect::ProductQualifiers::array}));
  int add_ons = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const ordered_json& qualifiers = arrays[i].at("ProductQualifiers");
    ASSERT_TRUE(qualifiers.is_array());
    EXPECT_EQ(qualifiers, ordered_json::parse(text[i].at("ProductQualifiers").get<std::string>()));
    if (!qualifiers.empty()) ++add_ons;
    // Only ProductQualifiers is in question; the adjustment column keeps its text.
    EXPECT_TRUE(arrays[i].at("PriceAdjustmentDescription").is_string());
  }
  EXPECT_GT(add_ons, 0);
}

TEST(ReconciliationGenerator, ReservationOrderIdIsAGuidOrEmptyAndNeverOnUsage) {
  const std::regex guid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  int reservations = 0;
  for (const ordered_json& line : lines_of_several_invoices()) {
    const auto id = line.at("ReservationOrderId").get<std::string>();
    if (id.empty()) continue;
    ++reservations;
    EXPECT_TRUE(std::regex_match(id, guid)) << id;
    EXPECT_FALSE(is_usage_line(line));
  }
  EXPECT_GT(reservations, 0);
}

TEST(ReconciliationGenerator, BillingFrequencyIsBlankOnlyForOneTimePurchases) {
  int one_time = 0;
  for (const ordered_json& line : lines_of_several_invoices()) {
    const auto frequency = line.at("BillingFrequency").get<std::string>();
    EXPECT_TRUE(frequency == "Monthly" || frequency == "Annual" || frequency.empty()) << frequency;
    if (!frequency.empty()) continue;
    ++one_time;
    EXPECT_EQ(line.at("ChargeType"), "New");
    EXPECT_EQ(line.at("ChargeStartDate"), line.at("ChargeEndDate"));
    EXPECT_EQ(line.at("TermAndBillingCycle"), "");
  }
  EXPECT_GT(one_time, 0);
}

TEST(ReconciliationGenerator, MpnIdsAreSevenDigitsAndResellersFollowTheCustomer) {
  const std::regex seven_digits("[1-9]\\d{6}");
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  std::set<std::string> partner_mpn_ids;
  std::map<std::string, std::string> reseller_by_customer;
  for (const ordered_json& line : parsed_lines(generator)) {
    const auto mpn_id = line.at("MpnId").get<std::string>();
    EXPECT_TRUE(std::regex_match(mpn_id, seven_digits)) << mpn_id;
    partner_mpn_ids.insert(mpn_id);
    const auto reseller = line.at("Tier2MpnId").get<std::string>();
    EXPECT_TRUE(reseller.empty() || std::regex_match(reseller, seven_digits)) << reseller;
    const auto [entry, inserted] =
        reseller_by_customer.emplace(line.at("CustomerId").get<std::string>(), reseller);
    EXPECT_EQ(entry->second, reseller);
  }
  EXPECT_EQ(partner_mpn_ids.size(), 1U);
}

TEST(ReconciliationGenerator, LinesOfOneSubscriptionAgreeOnItsDetails) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const std::vector<std::string> shared{"CustomerId",
                                        "OrderId",
                                        "TermAndBillingCycle",
                                        "AlternateId",
                                        "SubscriptionStartDate",
                                        "SubscriptionEndDate",
                                        "ReservationOrderId",
                                        "BillingFrequency"};
  std::map<std::string, ordered_json> first_line_of;
  int repeats = 0;
  for (const ordered_json& line : parsed_lines(generator)) {
    const auto [entry, inserted] =
        first_line_of.emplace(line.at("SubscriptionId").get<std::string>(), line);
    if (inserted) continue;
    ++repeats;
    for (const std::string& column : shared) {
      EXPECT_EQ(line.at(column), entry->second.at(column)) << column;
    }
    if (!is_usage_line(line)) {
      EXPECT_EQ(line.at("ProductId"), entry->second.at("ProductId"));
    }
  }
  EXPECT_GT(repeats, 0);
}

TEST(ReconciliationGenerator, SameInputsGiveIdenticalBytes) {
  const ReconciliationGenerator a(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const ReconciliationGenerator b(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  EXPECT_EQ(raw_lines(a, 500), raw_lines(b, 500));
}

TEST(ReconciliationGenerator, DifferentSeedsGiveDifferentLines) {
  const ReconciliationGenerator a(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const ReconciliationGenerator b(reconciliation_sample_profile(), kReconciliationSeed + 1, AttributeSet::full, readback::kDocumentedLines);
  EXPECT_NE(raw_line(a, 0), raw_line(b, 0));
  EXPECT_NE(raw_lines(a, 100), raw_lines(b, 100));
}

TEST(ReconciliationGenerator, DifferentInvoicesGiveDifferentLines) {
  InvoiceProfile other = reconciliation_sample_profile();
  other.invoice_id = "G058476718";
  const ReconciliationGenerator a(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const ReconciliationGenerator b(other, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (std::uint64_t i = 0; i < 20; ++i) {
    const ordered_json line_a = ordered_json::parse(raw_line(a, i));
    ordered_json line_b = ordered_json::parse(raw_line(b, i));
    line_b["InvoiceNumber"] = line_a.at("InvoiceNumber");
    EXPECT_NE(line_a, line_b) << "row " << i << " differs only by invoice number";
  }
}

TEST(ReconciliationGenerator, RowDoesNotDependOnRowsProducedBefore) {
  const ReconciliationGenerator sequential(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const ReconciliationGenerator direct(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const std::vector<std::string> in_order = raw_lines(sequential, 1000);
  for (std::uint64_t i : {999U, 0U, 517U, 3U}) {
    EXPECT_EQ(raw_line(direct, i), in_order[i]) << "row " << i;
  }
  EXPECT_NE(in_order[0], in_order[1]);
}

TEST(ReconciliationGenerator, FarRowsAreProducedDirectly) {
  const ReconciliationGenerator generator(reconciliation_sample_profile(), kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  const std::uint64_t far = 1'000'000'000'000ULL;
  const ordered_json line = ordered_json::parse(raw_line(generator, far));
  EXPECT_EQ(keys_of(line), expected_keys(AttributeSet::full));
  EXPECT_EQ(raw_line(generator, far), raw_line(generator, far));
}

TEST(ReconciliationGenerator, EscapesAnyCustomerTextIntoValidJson) {
  InvoiceProfile profile = reconciliation_sample_profile();
  const std::string tricky = std::string("Quote\" Back\\slash / New\nline\tTab\r\b\f") + '\x01' +
                             '\x1f' + "\x7f Müller 東京 😀";
  profile.customers = {
      {"c2f5a1d4-0000-4000-8000-000000000001", tricky, "tricky.onmicrosoft.com", "DE"}};
  profile.invoice_id = "G\"0\\1";
  const ReconciliationGenerator generator(profile, kReconciliationSeed, AttributeSet::full, readback::kDocumentedLines);
  for (std::uint64_t i = 0; i < 20; ++i) {
    const std::string raw = raw_line(generator, i);
    for (std::size_t j = 0; j + 1 < raw.size(); ++j) {
      ASSERT_GE(static_cast<unsigned char>(raw[j]), 0x20) << "raw control byte at " << j;
    }
    const ordered_json line = ordered_json::parse(raw);
    EXPECT_EQ(line.at("CustomerName"), tricky);
    EXPECT_EQ(line.at("InvoiceNumber"), "G\"0\\1");
  }
}

TEST(ReconciliationGenerator, RejectsAProfileWithoutCustomers) {
  InvoiceProfile profile = reconciliation_sample_profile();
  profile.customers.clear();
  EXPECT_THROW(ReconciliationGenerator(profile, kReconciliationSeed, AttributeSet::full), std::invalid_argument);
}

TEST(ReconciliationGenerator, RejectsAnInvalidBillingMonth) {
  InvoiceProfile profile = reconciliation_sample_profile();
  profile.billing_month = 13;
  EXPECT_THROW(ReconciliationGenerator(profile, kReconciliationSeed, AttributeSet::full), std::invalid_argument);
}

}  // namespace
}  // namespace graphfake::data
