#include "data/usage_schema.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace graphfake::data {
namespace {

using Names = std::vector<std::string_view>;

// Graph docs, attributeSet enum type (its usage table, see docs/sources.md), in
// the row order of the page's beta version, without PCToBCExchangeRateDate
// (which Graph's table does not list), transcribed independently of the implementation.
const Names kDocumentedUsageFullOrder{
    "PartnerId",          "PartnerName",        "CustomerId",
    "CustomerName",       "CustomerDomainName", "CustomerCountry",
    "MpnId",              "Tier2MpnId",         "InvoiceNumber",
    "ProductId",          "SkuId",              "AvailabilityId",
    "SkuName",            "ProductName",        "PublisherName",
    "PublisherId",        "SubscriptionDescription", "SubscriptionId",
    "ChargeStartDate",    "ChargeEndDate",      "UsageDate",
    "MeterType",          "MeterCategory",      "MeterId",
    "MeterSubCategory",   "MeterName",          "MeterRegion",
    "Unit",               "ResourceLocation",   "ConsumedService",
    "ResourceGroup",      "ResourceURI",        "ChargeType",
    "UnitPrice",          "Quantity",           "UnitType",
    "BillingPreTaxTotal", "BillingCurrency",    "PricingPreTaxTotal",
    "PricingCurrency",    "ServiceInfo1",       "ServiceInfo2",
    "Tags",               "AdditionalInfo",     "EffectiveUnitPrice",
    "PCToBCExchangeRate", "EntitlementId",      "EntitlementDescription",
    "PartnerEarnedCreditPercentage", "CreditPercentage", "CreditType",
    "BenefitOrderID",     "BenefitID",          "BenefitType",
};

// The rows whose Basic flag is Yes, in the same order.
const Names kDocumentedUsageBasicOrder{
    "PartnerId",          "PartnerName",     "CustomerId",         "CustomerName",
    "InvoiceNumber",      "ProductId",       "SkuId",              "SkuName",
    "PublisherName",      "SubscriptionId",  "ChargeStartDate",    "ChargeEndDate",
    "UsageDate",          "ResourceURI",     "ChargeType",         "UnitPrice",
    "Quantity",           "UnitType",        "BillingPreTaxTotal", "BillingCurrency",
    "PricingPreTaxTotal", "PricingCurrency", "AdditionalInfo",     "EffectiveUnitPrice",
    "PCToBCExchangeRate", "EntitlementId",   "CreditPercentage",   "CreditType",
    "BenefitOrderID",     "BenefitType",
};

TEST(UsageSchema, FullSetHasThe54DocumentedColumnsInSeqOrder) {
  const Names names = usage_column_names(model::AttributeSet::full);
  EXPECT_EQ(names.size(), 54U);
  EXPECT_EQ(names, kDocumentedUsageFullOrder);
}

TEST(UsageSchema, BasicSetHasThe30DocumentedColumnsInFullOrder) {
  const Names names = usage_column_names(model::AttributeSet::basic);
  EXPECT_EQ(names.size(), 30U);
  EXPECT_EQ(names, kDocumentedUsageBasicOrder);
}

TEST(UsageSchema, LeavesOutPCToBCExchangeRateDate) {
  const Names names = usage_column_names(model::AttributeSet::full);
  EXPECT_EQ(std::find(names.begin(), names.end(), "PCToBCExchangeRateDate"), names.end());
}

TEST(UsageSchema, FollowsGraphNotThePredecessorForUnitUnitTypeAndAdditionalInfo) {
  const Names basic = usage_column_names(model::AttributeSet::basic);
  const auto in_basic = [&](std::string_view name) {
    return std::find(basic.begin(), basic.end(), name) != basic.end();
  };
  EXPECT_FALSE(in_basic("Unit"));
  EXPECT_TRUE(in_basic("UnitType"));
  EXPECT_TRUE(in_basic("AdditionalInfo"));
}

TEST(UsageSchema, SpellsBenefitIdsAsGraphDoes) {
  const Names names = usage_column_names(model::AttributeSet::full);
  EXPECT_NE(std::find(names.begin(), names.end(), "BenefitOrderID"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "BenefitID"), names.end());
}

}  // namespace
}  // namespace graphfake::data
