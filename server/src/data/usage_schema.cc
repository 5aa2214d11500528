#include "data/usage_schema.h"

#include <array>

namespace graphfake::data {
namespace {

// Graph's attributeSet table for billed/unbilled usage (Graph docs,
// attributeSet enum type:
// https://learn.microsoft.com/graph/api/resources/partners-billing-attributeset?view=graph-rest-1.0),
// in the row order of the page's beta version, spelled as Graph spells it
// (BenefitOrderID, BenefitID), and PCToBCExchangeRateDate, which real files
// carry and the table does not list, where real files have it. Order matters:
// it is the order the rows' writing code gives values in.
constexpr std::array<Column, 55> kColumns{{
    {"PartnerId", true},
    {"PartnerName", true},
    {"CustomerId", true},
    {"CustomerName", true},
    {"CustomerDomainName", false},
    {"CustomerCountry", false},
    {"MpnId", false},
    {"Tier2MpnId", false},
    {"InvoiceNumber", true},
    {"ProductId", true},
    {"SkuId", true},
    {"AvailabilityId", false},
    {"SkuName", true},
    {"ProductName", false},
    {"PublisherName", true},
    {"PublisherId", false},
    {"SubscriptionDescription", false},
    {"SubscriptionId", true},
    {"ChargeStartDate", true},
    {"ChargeEndDate", true},
    {"UsageDate", true},
    {"MeterType", false},
    {"MeterCategory", false},
    {"MeterId", false},
    {"MeterSubCategory", false},
    {"MeterName", false},
    {"MeterRegion", false},
    {"Unit", false},
    {"ResourceLocation", false},
    {"ConsumedService", false},
    {"ResourceGroup", false},
    {"ResourceURI", true},
    {"ChargeType", true},
    {"UnitPrice", true},
    {"Quantity", true},
    {"UnitType", true},
    {"BillingPreTaxTotal", true},
    {"BillingCurrency", true},
    {"PricingPreTaxTotal", true},
    {"PricingCurrency", true},
    {"ServiceInfo1", false},
    {"ServiceInfo2", false},
    {"Tags", false},
    {"AdditionalInfo", true},
    {"EffectiveUnitPrice", true},
    {"PCToBCExchangeRate", true},
    {"PCToBCExchangeRateDate", false, false},
    {"EntitlementId", true},
    {"EntitlementDescription", false},
    {"PartnerEarnedCreditPercentage", false},
    {"CreditPercentage", true},
    {"CreditType", true},
    {"BenefitOrderID", true},
    {"BenefitID", false},
    {"BenefitType", true},
}};

}  // namespace

std::span<const Column> usage_columns() { return kColumns; }

std::vector<std::string_view> usage_column_names(model::AttributeSet set) {
  return column_names(kColumns, set);
}

}  // namespace graphfake::data
