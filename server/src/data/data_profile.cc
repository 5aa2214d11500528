#include "data/data_profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "data/export_family.h"
#include "data/json_line_writer.h"

namespace graphfake::data {
namespace {

// Printing choices, named as the tables below use them. (Built by
// assignment: designated initializers would have to name every member.)
constexpr ValueFormat kAsWritten{};
constexpr ValueFormat kAbsent = [] {
  ValueFormat format;
  format.omitted = true;
  return format;
}();
constexpr ValueFormat text_style(TextStyle style, std::string_view constant_value = {}) {
  ValueFormat format;
  format.text = style;
  format.constant = constant_value;
  return format;
}
constexpr ValueFormat date_style(DateStyle style) {
  ValueFormat format;
  format.date = style;
  return format;
}
constexpr ValueFormat number_style(NumberStyle style, int scale = 0) {
  ValueFormat format;
  format.number = style;
  format.scale = scale;
  return format;
}
constexpr ValueFormat kEmpty = text_style(TextStyle::always_empty);
constexpr ValueFormat kCamelWords = text_style(TextStyle::camel_words);
constexpr ValueFormat constant(std::string_view value) { return text_style(TextStyle::constant, value); }
constexpr ValueFormat kMilliseconds = date_style(DateStyle::milliseconds);
constexpr ValueFormat kDateOnly = date_style(DateStyle::date_only);
constexpr ValueFormat kJavaDouble = number_style(NumberStyle::java_double);
constexpr ValueFormat fixed(int scale) { return number_style(NumberStyle::fixed, scale); }
constexpr ValueFormat fixed_zero_exponent(int scale) { return number_style(NumberStyle::fixed_zero_exponent, scale); }
constexpr ValueFormat kZeroAsDigit = [] {
  ValueFormat format;
  format.zero_as_digit = true;
  return format;
}();
constexpr ValueFormat kArray = [] {
  ValueFormat format;
  format.array = true;
  return format;
}();

// Real usage files (nine blobs of one partner, 2023-2025; docs/fidelity.md):
// 55 keys in billed usage, PCToBCExchangeRateDate after PCToBCExchangeRate and
// BenefitId before BenefitOrderId; unbilled usage without InvoiceNumber;
// fixed decimal places per column, zeros in exponent form; millisecond
// timestamps and a date-only UsageDate. Basic flags are Graph's.
constexpr std::array<ProfileColumn, 55> kObservedUsage{{
    {"PartnerId", "PartnerId", true, kAsWritten, kAsWritten},
    {"PartnerName", "PartnerName", true, kAsWritten, kAsWritten},
    {"CustomerId", "CustomerId", true, kAsWritten, kAsWritten},
    {"CustomerName", "CustomerName", true, kAsWritten, kAsWritten},
    {"CustomerDomainName", "CustomerDomainName", false, kAsWritten, kEmpty},
    {"CustomerCountry", "CustomerCountry", false, kAsWritten, kAsWritten},
    {"MpnId", "MpnId", false, kEmpty, kEmpty},
    {"Tier2MpnId", "Tier2MpnId", false, kEmpty, kEmpty},
    {"InvoiceNumber", "InvoiceNumber", true, kAsWritten, kAbsent},
    {"ProductId", "ProductId", true, kAsWritten, kAsWritten},
    {"SkuId", "SkuId", true, kAsWritten, kAsWritten},
    {"AvailabilityId", "AvailabilityId", false, kAsWritten, kEmpty},
    {"SkuName", "SkuName", true, kAsWritten, kAsWritten},
    {"ProductName", "ProductName", false, kAsWritten, kAsWritten},
    {"PublisherName", "PublisherName", true, kAsWritten, kAsWritten},
    {"PublisherId", "PublisherId", false, kAsWritten, kAsWritten},
    {"SubscriptionDescription", "SubscriptionDescription", false, kEmpty, kEmpty},
    {"SubscriptionId", "SubscriptionId", true, kAsWritten, kAsWritten},
    {"ChargeStartDate", "ChargeStartDate", true, kMilliseconds, kMilliseconds},
    {"ChargeEndDate", "ChargeEndDate", true, kMilliseconds, kMilliseconds},
    {"UsageDate", "UsageDate", true, kDateOnly, kDateOnly},
    {"MeterType", "MeterType", false, kAsWritten, kAsWritten},
    {"MeterCategory", "MeterCategory", false, kAsWritten, kAsWritten},
    {"MeterId", "MeterId", false, kAsWritten, kAsWritten},
    {"MeterSubCategory", "MeterSubCategory", false, kAsWritten, kAsWritten},
    {"MeterName", "MeterName", false, kAsWritten, kAsWritten},
    {"MeterRegion", "MeterRegion", false, kAsWritten, kAsWritten},
    {"Unit", "Unit", false, kAsWritten, kAsWritten},
    {"ResourceLocation", "ResourceLocation", false, kAsWritten, kAsWritten},
    {"ConsumedService", "ConsumedService", false, kAsWritten, kAsWritten},
    {"ResourceGroup", "ResourceGroup", false, kAsWritten, kAsWritten},
    {"ResourceURI", "ResourceURI", true, kAsWritten, kAsWritten},
    {"ChargeType", "ChargeType", true, constant("New"), constant("Usage")},
    {"UnitPrice", "UnitPrice", true, fixed_zero_exponent(32), fixed_zero_exponent(32)},
    {"Quantity", "Quantity", true, fixed_zero_exponent(18), fixed_zero_exponent(18)},
    {"UnitType", "UnitType", true, constant("Unit"), constant("Unit")},
    {"BillingPreTaxTotal", "BillingPreTaxTotal", true, fixed_zero_exponent(20), fixed_zero_exponent(20)},
    {"BillingCurrency", "BillingCurrency", true, kAsWritten, kAsWritten},
    {"PricingPreTaxTotal", "PricingPreTaxTotal", true, fixed_zero_exponent(20), fixed_zero_exponent(20)},
    {"PricingCurrency", "PricingCurrency", true, kAsWritten, kAsWritten},
    {"ServiceInfo1", "ServiceInfo1", false, kEmpty, kEmpty},
    {"ServiceInfo2", "ServiceInfo2", false, kAsWritten, kAsWritten},
    {"Tags", "Tags", false, kAsWritten, kAsWritten},
    {"AdditionalInfo", "AdditionalInfo", true, kAsWritten, kAsWritten},
    {"EffectiveUnitPrice", "EffectiveUnitPrice", true, fixed_zero_exponent(32), kJavaDouble},
    {"PCToBCExchangeRate", "PCToBCExchangeRate", true, fixed_zero_exponent(32), kJavaDouble},
    {"PCToBCExchangeRateDate", "PCToBCExchangeRateDate", false, kMilliseconds, kMilliseconds},
    {"EntitlementId", "EntitlementId", true, kAsWritten, kAsWritten},
    {"EntitlementDescription", "EntitlementDescription", false, kAsWritten, kAsWritten},
    {"PartnerEarnedCreditPercentage", "PartnerEarnedCreditPercentage", false, fixed_zero_exponent(28),
     fixed_zero_exponent(28)},
    {"CreditPercentage", "CreditPercentage", true, fixed_zero_exponent(28), fixed_zero_exponent(28)},
    {"CreditType", "CreditType", true, kAsWritten, kAsWritten},
    {"BenefitId", "BenefitID", false, kEmpty, kEmpty},
    {"BenefitOrderId", "BenefitOrderID", true, kAsWritten, kAsWritten},
    {"BenefitType", "BenefitType", true, kAsWritten, kAsWritten},
}};

// Real reconciliation files: the documented keys in the documented order;
// money and Quantity with 2 decimals, BillableQuantity and PCToBCExchangeRate
// with 10; ChargeType camel-cased; Tier2MpnId "0" when there is none;
// ProductQualifiers an array. Unbilled files are assumed to print alike.
constexpr ValueFormat kMoney = fixed(2);
constexpr ValueFormat kTenPlaces = fixed(10);
constexpr std::array<ProfileColumn, 47> kObservedReconciliation{{
    {"PartnerId", "PartnerId", true, kAsWritten, kAsWritten},
    {"CustomerId", "CustomerId", true, kAsWritten, kAsWritten},
    {"CustomerName", "CustomerName", true, kAsWritten, kAsWritten},
    {"CustomerDomainName", "CustomerDomainName", false, kAsWritten, kAsWritten},
    {"CustomerCountry", "CustomerCountry", false, kAsWritten, kAsWritten},
    {"InvoiceNumber", "InvoiceNumber", true, kAsWritten, kAsWritten},
    {"MpnId", "MpnId", false, kAsWritten, kAsWritten},
    {"Tier2MpnId", "Tier2MpnId", true, kZeroAsDigit, kZeroAsDigit},
    {"OrderId", "OrderId", true, kAsWritten, kAsWritten},
    {"OrderDate", "OrderDate", true, kMilliseconds, kMilliseconds},
    {"ProductId", "ProductId", true, kAsWritten, kAsWritten},
    {"SkuId", "SkuId", true, kAsWritten, kAsWritten},
    {"AvailabilityId", "AvailabilityId", true, kAsWritten, kAsWritten},
    {"SkuName", "SkuName", true, kAsWritten, kAsWritten},
    {"ProductName", "ProductName", true, kAsWritten, kAsWritten},
    {"ChargeType", "ChargeType", true, kCamelWords, kCamelWords},
    {"UnitPrice", "UnitPrice", true, kMoney, kMoney},
    {"Quantity", "Quantity", false, kMoney, kMoney},
    {"Subtotal", "Subtotal", true, kMoney, kMoney},
    {"TaxTotal", "TaxTotal", true, kMoney, kMoney},
    {"Total", "Total", true, kMoney, kMoney},
    {"Currency", "Currency", true, kAsWritten, kAsWritten},
    {"PriceAdjustmentDescription", "PriceAdjustmentDescription", true, kAsWritten, kAsWritten},
    {"PublisherName", "PublisherName", true, kAsWritten, kAsWritten},
    {"PublisherId", "PublisherId", false, kEmpty, kEmpty},
    {"SubscriptionDescription", "SubscriptionDescription", false, kAsWritten, kAsWritten},
    {"SubscriptionId", "SubscriptionId", true, kAsWritten, kAsWritten},
    {"ChargeStartDate", "ChargeStartDate", true, kMilliseconds, kMilliseconds},
    {"ChargeEndDate", "ChargeEndDate", true, kMilliseconds, kMilliseconds},
    {"TermAndBillingCycle", "TermAndBillingCycle", true, kAsWritten, kAsWritten},
    {"EffectiveUnitPrice", "EffectiveUnitPrice", true, kMoney, kMoney},
    {"UnitType", "UnitType", false, kAsWritten, kAsWritten},
    {"AlternateId", "AlternateId", false, kAsWritten, kAsWritten},
    {"BillableQuantity", "BillableQuantity", true, kTenPlaces, kTenPlaces},
    {"BillingFrequency", "BillingFrequency", false, kEmpty, kEmpty},
    {"PricingCurrency", "PricingCurrency", true, kAsWritten, kAsWritten},
    {"PCToBCExchangeRate", "PCToBCExchangeRate", true, kTenPlaces, kTenPlaces},
    {"PCToBCExchangeRateDate", "PCToBCExchangeRateDate", false, kMilliseconds, kMilliseconds},
    {"MeterDescription", "MeterDescription", false, kAsWritten, kAsWritten},
    {"ReservationOrderId", "ReservationOrderId", true, kAsWritten, kAsWritten},
    {"CreditReasonCode", "CreditReasonCode", true, kAsWritten, kAsWritten},
    {"SubscriptionStartDate", "SubscriptionStartDate", true, kMilliseconds, kMilliseconds},
    {"SubscriptionEndDate", "SubscriptionEndDate", true, kMilliseconds, kMilliseconds},
    {"ReferenceId", "ReferenceId", true, kAsWritten, kAsWritten},
    {"ProductQualifiers", "ProductQualifiers", false, kArray, kArray},
    {"PromotionId", "PromotionId", true, kAsWritten, kAsWritten},
    {"ProductCategory", "ProductCategory", true, kAsWritten, kAsWritten},
}};

// The legacy camelCase reconciliation file real partners meet for older
// invoices: Tier2MpnId renamed resellerMpnId, Total renamed totalForCustomer,
// the product, price and quantity columns re-ordered and the subscription
// dates last, as real files show them; the columns between those real files
// name are in their documented order (inferred). Printed as observed.
constexpr std::array<ProfileColumn, 47> kLegacyCamelReconciliation{{
    {"partnerId", "PartnerId", true, kAsWritten, kAsWritten},
    {"customerId", "CustomerId", true, kAsWritten, kAsWritten},
    {"customerName", "CustomerName", true, kAsWritten, kAsWritten},
    {"customerDomainName", "CustomerDomainName", false, kAsWritten, kAsWritten},
    {"customerCountry", "CustomerCountry", false, kAsWritten, kAsWritten},
    {"invoiceNumber", "InvoiceNumber", true, kAsWritten, kAsWritten},
    {"mpnId", "MpnId", false, kAsWritten, kAsWritten},
    {"resellerMpnId", "Tier2MpnId", true, kZeroAsDigit, kZeroAsDigit},
    {"orderId", "OrderId", true, kAsWritten, kAsWritten},
    {"orderDate", "OrderDate", true, kMilliseconds, kMilliseconds},
    {"productId", "ProductId", true, kAsWritten, kAsWritten},
    {"skuId", "SkuId", true, kAsWritten, kAsWritten},
    {"availabilityId", "AvailabilityId", true, kAsWritten, kAsWritten},
    {"productName", "ProductName", true, kAsWritten, kAsWritten},
    {"skuName", "SkuName", true, kAsWritten, kAsWritten},
    {"productQualifiers", "ProductQualifiers", false, kArray, kArray},
    {"chargeType", "ChargeType", true, kCamelWords, kCamelWords},
    {"unitPrice", "UnitPrice", true, kMoney, kMoney},
    {"effectiveUnitPrice", "EffectiveUnitPrice", true, kMoney, kMoney},
    {"unitType", "UnitType", false, kAsWritten, kAsWritten},
    {"quantity", "Quantity", false, kMoney, kMoney},
    {"subtotal", "Subtotal", true, kMoney, kMoney},
    {"taxTotal", "TaxTotal", true, kMoney, kMoney},
    {"totalForCustomer", "Total", true, kMoney, kMoney},
    {"currency", "Currency", true, kAsWritten, kAsWritten},
    {"priceAdjustmentDescription", "PriceAdjustmentDescription", true, kAsWritten, kAsWritten},
    {"publisherName", "PublisherName", true, kAsWritten, kAsWritten},
    {"publisherId", "PublisherId", false, kEmpty, kEmpty},
    {"subscriptionDescription", "SubscriptionDescription", false, kAsWritten, kAsWritten},
    {"subscriptionId", "SubscriptionId", true, kAsWritten, kAsWritten},
    {"chargeStartDate", "ChargeStartDate", true, kMilliseconds, kMilliseconds},
    {"chargeEndDate", "ChargeEndDate", true, kMilliseconds, kMilliseconds},
    {"termAndBillingCycle", "TermAndBillingCycle", true, kAsWritten, kAsWritten},
    {"alternateId", "AlternateId", false, kAsWritten, kAsWritten},
    {"billableQuantity", "BillableQuantity", true, kTenPlaces, kTenPlaces},
    {"billingFrequency", "BillingFrequency", false, kEmpty, kEmpty},
    {"pricingCurrency", "PricingCurrency", true, kAsWritten, kAsWritten},
    {"pcToBCExchangeRate", "PCToBCExchangeRate", true, kTenPlaces, kTenPlaces},
    {"pcToBCExchangeRateDate", "PCToBCExchangeRateDate", false, kMilliseconds, kMilliseconds},
    {"meterDescription", "MeterDescription", false, kAsWritten, kAsWritten},
    {"reservationOrderId", "ReservationOrderId", true, kAsWritten, kAsWritten},
    {"creditReasonCode", "CreditReasonCode", true, kAsWritten, kAsWritten},
    {"referenceId", "ReferenceId", true, kAsWritten, kAsWritten},
    {"promotionId", "PromotionId", true, kAsWritten, kAsWritten},
    {"productCategory", "ProductCategory", true, kAsWritten, kAsWritten},
    {"subscriptionStartDate", "SubscriptionStartDate", true, kMilliseconds, kMilliseconds},
    {"subscriptionEndDate", "SubscriptionEndDate", true, kMilliseconds, kMilliseconds},
}};

constexpr DataVocabulary kDocumentedVocabulary{
    .credit_not_applied = "Credit Not Applied",
    .partner_earned_credit_applied = "Credit Not Applied",
    .azure_credit_applied = "Azure Credit Applied",
    .no_benefit_type = "",
    .unbilled_partner_credit_null_when_none = false,
    .partner_earned_credit_adjustment = R"(["15.0% Partner earned credit for services managed"])",
    .add_on_qualifiers = R"(["Add-on"])",
    .consumption_subscription_dates = true,
    .consumption_period_ends_at_last_second = false,
    .reservation_order_on_every_line = false,
};

constexpr DataVocabulary kObservedVocabulary{
    .credit_not_applied = "Credit Not Applied",
    .partner_earned_credit_applied = "Partner Earned Credit Applied",
    .azure_credit_applied = "Azure Credit Applied",
    .no_benefit_type = "Charge",
    .unbilled_partner_credit_null_when_none = true,
    .partner_earned_credit_adjustment = R"(["15% Partner earned credit for services managed"])",
    .add_on_qualifiers = R"(["AddOn"])",
    .consumption_subscription_dates = false,
    .consumption_period_ends_at_last_second = true,
    .reservation_order_on_every_line = true,
};

bool is_fixed(NumberStyle style) {
  return style == NumberStyle::fixed || style == NumberStyle::fixed_zero_exponent;
}

}  // namespace

std::span<const ProfileColumn> profile_columns(model::ExportFamily family, DataProfile profile) {
  static const std::vector<ProfileColumn> kDocumentedReconciliation =
      documented_columns(family_data(model::ExportFamily::reconciliation).columns);
  static const std::vector<ProfileColumn> kDocumentedUsage =
      documented_columns(family_data(model::ExportFamily::usage).columns);
  const bool usage = family == model::ExportFamily::usage;
  switch (profile) {
    case DataProfile::documented:
      if (usage) return kDocumentedUsage;
      return kDocumentedReconciliation;
    case DataProfile::legacy_camel:
      if (usage) return kObservedUsage;
      return kLegacyCamelReconciliation;
    case DataProfile::observed: break;
  }
  if (usage) return kObservedUsage;
  return kObservedReconciliation;
}

const DataVocabulary& data_vocabulary(DataProfile profile) {
  return profile == DataProfile::documented ? kDocumentedVocabulary : kObservedVocabulary;
}

std::vector<ProfileColumn> documented_columns(std::span<const Column> schema) {
  std::vector<ProfileColumn> columns;
  for (const Column& column : schema) {
    if (column.documented) columns.push_back({column.name, column.name, column.in_basic, kAsWritten, kAsWritten});
  }
  return columns;
}

LineLayout make_line_layout(std::span<const Column> schema, std::span<const ProfileColumn> columns, bool billed,
                            model::AttributeSet set, const LineFormat& format) {
  LineLayout layout;
  layout.slots.resize(schema.size());
  layout.vocabulary = &data_vocabulary(format.profile);
  layout.numbers_as_strings = format.numbers == Dialect::Numbers::strings;
  std::size_t previous_source = 0;
  for (const ProfileColumn& column : columns) {
    const ValueFormat& printing = billed ? column.billed : column.unbilled;
    if (printing.omitted || (set == model::AttributeSet::basic && !column.in_basic)) continue;
    const auto source = std::find_if(schema.begin(), schema.end(),
                                     [&](const Column& candidate) { return candidate.name == column.source; });
    if (source == schema.end()) {
      throw std::logic_error(fmt::format("profile {} names column {}, which the schema lacks",
                                         to_string(format.profile), column.source));
    }
    const auto index = static_cast<std::size_t>(source - schema.begin());
    if (!layout.keys.empty() && index < previous_source) layout.in_schema_order = false;
    previous_source = index;
    LineLayout::Slot& slot = layout.slots[index];
    slot.output = static_cast<int>(layout.keys.size());
    slot.format = printing;
    if (format.product_qualifiers && column.source == "ProductQualifiers") {
      slot.format.array = *format.product_qualifiers == Dialect::ProductQualifiers::array;
    }
    const std::string key = format.keys ? spell_key(column.key, *format.keys) : std::string(column.key);
    layout.keys.push_back(fmt::format("\"{}\":", key));
  }
  if (format.extra_column) {
    append_json_string(layout.extra_column, format.extra_column->name);
    layout.extra_column += ':';
    append_json_string(layout.extra_column, format.extra_column->value);
  }
  return layout;
}

LineLayout make_line_layout(model::ExportFamily family, bool billed, model::AttributeSet set,
                            const LineFormat& format) {
  const FamilyData& data = family_data(family);
  LineLayout layout = make_line_layout(data.columns, profile_columns(family, format.profile), billed, set, format);
  layout.amount_scale = data.amount_scale;
  layout.printed_amount_scale = data.amount_scale;
  for (std::size_t i = 0; i < data.columns.size(); ++i) {
    const LineLayout::Slot& slot = layout.slots[i];
    if (data.columns[i].name == data.amount_columns.front() && slot.output >= 0 && is_fixed(slot.format.number)) {
      layout.printed_amount_scale = slot.format.scale;
    }
  }
  return layout;
}

}  // namespace graphfake::data
