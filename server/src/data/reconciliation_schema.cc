#include "data/reconciliation_schema.h"

#include <array>

namespace graphfake::data {
namespace {

// Graph's attributeSet table for billed/unbilled invoice reconciliation, in
// its order (Graph docs, attributeSet enum type:
// https://learn.microsoft.com/graph/api/resources/partners-billing-attributeset?view=graph-rest-1.0).
// Order matters: it is the key order of a line.
constexpr std::array<Column, 47> kColumns{{
    {"PartnerId", true},
    {"CustomerId", true},
    {"CustomerName", true},
    {"CustomerDomainName", false},
    {"CustomerCountry", false},
    {"InvoiceNumber", true},
    {"MpnId", false},
    {"Tier2MpnId", true},
    {"OrderId", true},
    {"OrderDate", true},
    {"ProductId", true},
    {"SkuId", true},
    {"AvailabilityId", true},
    {"SkuName", true},
    {"ProductName", true},
    {"ChargeType", true},
    {"UnitPrice", true},
    {"Quantity", false},
    {"Subtotal", true},
    {"TaxTotal", true},
    {"Total", true},
    {"Currency", true},
    {"PriceAdjustmentDescription", true},
    {"PublisherName", true},
    {"PublisherId", false},
    {"SubscriptionDescription", false},
    {"SubscriptionId", true},
    {"ChargeStartDate", true},
    {"ChargeEndDate", true},
    {"TermAndBillingCycle", true},
    {"EffectiveUnitPrice", true},
    {"UnitType", false},
    {"AlternateId", false},
    {"BillableQuantity", true},
    {"BillingFrequency", false},
    {"PricingCurrency", true},
    {"PCToBCExchangeRate", true},
    {"PCToBCExchangeRateDate", false},
    {"MeterDescription", false},
    {"ReservationOrderId", true},
    {"CreditReasonCode", true},
    {"SubscriptionStartDate", true},
    {"SubscriptionEndDate", true},
    {"ReferenceId", true},
    {"ProductQualifiers", false},
    {"PromotionId", true},
    {"ProductCategory", true},
}};

}  // namespace

std::span<const Column> reconciliation_columns() { return kColumns; }

std::vector<std::string_view> reconciliation_column_names(model::AttributeSet set) {
  return column_names(kColumns, set);
}

}  // namespace graphfake::data
