#include "data/reconciliation_schema.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace graphfake::data {
namespace {

using Names = std::vector<std::string_view>;

// Graph docs, attributeSet enum type (its reconciliation table, see
// docs/sources.md), transcribed independently of the implementation.
const Names kDocumentedFullOrder{
    "PartnerId",
    "CustomerId",
    "CustomerName",
    "CustomerDomainName",
    "CustomerCountry",
    "InvoiceNumber",
    "MpnId",
    "Tier2MpnId",
    "OrderId",
    "OrderDate",
    "ProductId",
    "SkuId",
    "AvailabilityId",
    "SkuName",
    "ProductName",
    "ChargeType",
    "UnitPrice",
    "Quantity",
    "Subtotal",
    "TaxTotal",
    "Total",
    "Currency",
    "PriceAdjustmentDescription",
    "PublisherName",
    "PublisherId",
    "SubscriptionDescription",
    "SubscriptionId",
    "ChargeStartDate",
    "ChargeEndDate",
    "TermAndBillingCycle",
    "EffectiveUnitPrice",
    "UnitType",
    "AlternateId",
    "BillableQuantity",
    "BillingFrequency",
    "PricingCurrency",
    "PCToBCExchangeRate",
    "PCToBCExchangeRateDate",
    "MeterDescription",
    "ReservationOrderId",
    "CreditReasonCode",
    "SubscriptionStartDate",
    "SubscriptionEndDate",
    "ReferenceId",
    "ProductQualifiers",
    "PromotionId",
    "ProductCategory",
};

const Names kDocumentedBasicOrder{
    "PartnerId",
    "CustomerId",
    "CustomerName",
    "InvoiceNumber",
    "Tier2MpnId",
    "OrderId",
    "OrderDate",
    "ProductId",
    "SkuId",
    "AvailabilityId",
    "SkuName",
    "ProductName",
    "ChargeType",
    "UnitPrice",
    "Subtotal",
    "TaxTotal",
    "Total",
    "Currency",
    "PriceAdjustmentDescription",
    "PublisherName",
    "SubscriptionId",
    "ChargeStartDate",
    "ChargeEndDate",
    "TermAndBillingCycle",
    "EffectiveUnitPrice",
    "BillableQuantity",
    "PricingCurrency",
    "PCToBCExchangeRate",
    "ReservationOrderId",
    "CreditReasonCode",
    "SubscriptionStartDate",
    "SubscriptionEndDate",
    "ReferenceId",
    "PromotionId",
    "ProductCategory",
};

TEST(ReconciliationSchema, FullSetHas47ColumnsInDocumentedOrder) {
  const Names names = reconciliation_column_names(model::AttributeSet::full);
  EXPECT_EQ(names.size(), 47U);
  EXPECT_EQ(names, kDocumentedFullOrder);
}

TEST(ReconciliationSchema, BasicSetHas35DocumentedColumnsInFullOrder) {
  const Names names = reconciliation_column_names(model::AttributeSet::basic);
  EXPECT_EQ(names.size(), 35U);
  EXPECT_EQ(names, kDocumentedBasicOrder);
}

TEST(ReconciliationSchema, BasicKeepsTier2MpnIdButDropsQuantity) {
  const Names names = reconciliation_column_names(model::AttributeSet::basic);
  EXPECT_NE(std::find(names.begin(), names.end(), "Tier2MpnId"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "Quantity"), names.end());
}

TEST(ReconciliationSchema, ColumnTableMatchesFullNamesAndBasicFlags) {
  const auto columns = reconciliation_columns();
  ASSERT_EQ(columns.size(), kDocumentedFullOrder.size());
  const Names basic = reconciliation_column_names(model::AttributeSet::basic);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    EXPECT_EQ(columns[i].name, kDocumentedFullOrder[i]);
    const bool listed_in_basic =
        std::find(basic.begin(), basic.end(), columns[i].name) != basic.end();
    EXPECT_EQ(columns[i].in_basic, listed_in_basic) << columns[i].name;
  }
}

}  // namespace
}  // namespace graphfake::data
