#include "data/usage_generator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <utility>

#include "data/azure_meters.h"
#include "data/fixed_point.h"
#include "data/json_line_writer.h"
#include "data/row_generator_impl.h"
#include "data/usage_schema.h"

namespace graphfake::data {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr int kAmountScale = kUsageAmountScale;
constexpr int kUnitPriceScale = kMeterPriceScale;
constexpr int kQuantityScale = kMeterQuantityScale;
constexpr int kRateScale = kExchangeRateScale;

// ROUNDDOWN(EffectiveUnitPrice * Quantity, 8), in USD.
std::int64_t pricing_pre_tax_total(std::int64_t effective_unit_price, std::int64_t quantity) {
  return multiply_round_down(effective_unit_price, quantity, pow10(kQuantityScale));
}

// ROUNDDOWN(PricingPreTaxTotal * PCToBCExchangeRate * (100 - CreditPercentage) / 100, 8),
// in the billing currency: a fully credited row costs the partner nothing.
std::int64_t billing_pre_tax_total(std::int64_t pricing_total, std::int64_t rate_nano,
                                   int credit_percent) {
  return multiply_round_down(pricing_total, rate_nano * (100 - credit_percent),
                             pow10(kRateScale) * 100);
}

// ---------------------------------------------------------------------------
// What a customer runs in Azure. Everything here is a function of the
// customer's place in the profile, so every row agrees on it.

// Azure subscriptions under one Azure plan; Partner Center calls them entitlements.
constexpr std::size_t kMaxEntitlements = 3;
constexpr std::array<std::string_view, 6> kEntitlementNames{
    "Azure subscription 1", "Production", "Development", "Shared Services", "Dev/Test", "Sandbox"};

struct Entitlements {
  std::size_t count = 0;
  std::array<Guid, kMaxEntitlements> ids{};
  std::array<std::string_view, kMaxEntitlements> names{};
};

Entitlements entitlements_of(const BillingContext& context, std::size_t customer_index) {
  SplitMix64 random = context.random(Stream::entitlement, customer_index);
  Entitlements entitlements;
  entitlements.count = 1 + random.below(kMaxEntitlements);
  // Consecutive names from a random start: distinct within a customer.
  const std::uint64_t first_name = random.below(kEntitlementNames.size());
  for (std::size_t i = 0; i < entitlements.count; ++i) {
    entitlements.ids[i] = random_guid(random);
    entitlements.names[i] = kEntitlementNames[(first_name + i) % kEntitlementNames.size()];
  }
  return entitlements;
}

constexpr std::uint64_t kResourcesPerEntitlement = 8;
constexpr std::array<std::string_view, 8> kResourceGroups{
    "rg-prod-web", "rg-prod-data", "rg-shared-services", "rg-dev",
    "rg-monitoring", "NetworkWatcherRG", "DefaultResourceGroup-EUS", "rg-backup"};
constexpr std::array<std::string_view, 6> kWorkloads{"web", "api", "data", "app", "ops", "core"};
// Tags as Azure reports them: the JSON text of an object, or nothing.
constexpr std::array<std::string_view, 5> kTags{
    "",
    R"({"environment":"production","costCenter":"CC-1001"})",
    R"({"environment":"development"})",
    R"({"owner":"it-ops","environment":"production"})",
    R"({"project":"migration"})",
};

struct Resource {
  const AzureMeter* meter;
  std::string_view group;
  std::string_view workload;
  int number;  // 1..99, as in "vm-web-07"
  std::string_view tags;
};

Resource resource_of(const BillingContext& context, std::size_t customer_index,
                     std::size_t entitlement_index, std::uint64_t slot) {
  const std::uint64_t resource_index =
      (customer_index * kMaxEntitlements + entitlement_index) * kResourcesPerEntitlement + slot;
  SplitMix64 random = context.random(Stream::resource, resource_index);
  const std::span<const AzureMeter> meters = azure_meters();
  Resource resource;
  resource.meter = &meters[random.below(meters.size())];
  resource.group = kResourceGroups[random.below(kResourceGroups.size())];
  resource.workload = kWorkloads[random.below(kWorkloads.size())];
  resource.number = static_cast<int>(random.between(1, 99));
  resource.tags = kTags[random.below(kTags.size())];
  return resource;
}

// /subscriptions/{EntitlementId}/resourceGroups/{group}/providers/{type}/{name}
std::string resource_uri(const Guid& entitlement_id, const Resource& resource) {
  std::string uri = "/subscriptions/";
  append_guid(uri, entitlement_id);
  uri += "/resourceGroups/";
  uri += resource.group;
  uri += "/providers/";
  uri += resource.meter->resource_type;
  uri += '/';
  uri += resource.meter->resource_prefix;
  uri += '-';
  uri += resource.workload;
  uri += '-';
  uri += static_cast<char>('0' + resource.number / 10);
  uri += static_cast<char>('0' + resource.number % 10);
  return uri;
}

// A savings plan a customer bought; its order id is what monthly
// reconciliation data calls ReservationOrderId.
struct SavingsPlan {
  Guid order_id;
  Guid id;
};

std::optional<SavingsPlan> savings_plan_of(const BillingContext& context,
                                           std::size_t customer_index) {
  SplitMix64 random = context.random(Stream::savings_plan, customer_index);
  if (!random.percent(50)) return std::nullopt;
  const Guid order_id = random_guid(random);
  return SavingsPlan{order_id, random_guid(random)};
}

// ---------------------------------------------------------------------------
// One row.

// Shares of rows, in percent: refunds give back an earlier day's usage, and
// credits make a row free to the partner.
constexpr int kRefundPercent = 2;
constexpr int kAzureCreditPercent = 4;
// Of eligible usage of a customer with a savings plan, the share it covers.
constexpr int kSavingsPlanCoveragePercent = 70;

constexpr std::string_view kSavingsPlan = "SavingsPlan";

struct UsageRow {
  Account account;
  AzurePlan plan;
  Guid entitlement_id;
  std::string_view entitlement_name;
  Resource resource;
  sys_days usage_day;
  bool refund = false;
  std::int64_t quantity = 0;              // at kQuantityScale
  std::int64_t effective_unit_price = 0;  // at kAmountScale
  int partner_earned_credit_percent = 0;
  int credit_percent = 0;
  std::optional<SavingsPlan> benefit;  // the savings plan that covers the row
  std::int64_t pricing_total = 0;      // at kAmountScale, USD
  std::int64_t billing_total = 0;      // at kAmountScale, billing currency
};

UsageRow usage_row(const InvoiceProfile& profile, const BillingContext& context,
                   std::uint64_t index) {
  SplitMix64 row = context.random(Stream::usage_row, index);
  const std::size_t customer_index = row.below(profile.customers.size());
  const Entitlements entitlements = entitlements_of(context, customer_index);
  const std::size_t entitlement_index = row.below(entitlements.count);

  UsageRow usage;
  usage.account = account_of(context, profile, customer_index);
  usage.plan = azure_plan_of(context, customer_index);
  usage.entitlement_id = entitlements.ids[entitlement_index];
  usage.entitlement_name = entitlements.names[entitlement_index];
  usage.resource = resource_of(context, customer_index, entitlement_index,
                               row.below(kResourcesPerEntitlement));
  const AzureMeter& meter = *usage.resource.meter;
  usage.usage_day =
      context.month.first + days{row.below(static_cast<std::uint64_t>(context.month.days_with_data))};

  // A day's share of the largest plausible month, small amounts far more
  // common than large ones (nested draw).
  const std::int64_t daily_max = std::max<std::int64_t>(1, meter.max_monthly_quantity_micro / 28);
  const std::int64_t consumed = row.between(1, row.between(1, daily_max));
  usage.refund = row.percent(kRefundPercent);
  usage.quantity = usage.refund ? -consumed : consumed;

  usage.partner_earned_credit_percent =
      usage.plan.earns_partner_credit ? kPartnerEarnedCreditPercent : 0;
  usage.credit_percent = row.percent(kAzureCreditPercent) ? 100 : 0;
  const std::optional<SavingsPlan> savings_plan = savings_plan_of(context, customer_index);
  if (savings_plan && meter.savings_plan_eligible && row.percent(kSavingsPlanCoveragePercent)) {
    usage.benefit = savings_plan;
  }

  // Documented: usage a savings plan covers reports its quantity at no cost.
  usage.effective_unit_price =
      usage.benefit ? 0
                    : meter.price_micro * pow10(kAmountScale - kUnitPriceScale) *
                          (100 - usage.partner_earned_credit_percent) / 100;
  usage.pricing_total = pricing_pre_tax_total(usage.effective_unit_price, usage.quantity);
  usage.billing_total =
      billing_pre_tax_total(usage.pricing_total, context.rate_nano, usage.credit_percent);
  return usage;
}

}  // namespace

struct UsageRows {
  static constexpr model::ExportFamily kFamily = model::ExportFamily::usage;

  template <typename Use>
  static void with_row(const InvoiceProfile& profile, const BillingContext& context, std::uint64_t index, Use&& use) {
    use(usage_row(profile, context, index));
  }

  static void write(JsonLineWriter& w, const InvoiceProfile& profile, const BillingContext& context,
                    const UsageRow& usage);

  static const Customer& customer(const UsageRow& usage) { return *usage.account.customer; }

  static std::array<std::int64_t, RowAmounts::kMaxColumns> amounts(const UsageRow& usage) {
    return {usage.billing_total, usage.pricing_total};
  }
};

void UsageRows::write(JsonLineWriter& w, const InvoiceProfile& profile, const BillingContext& context,
                      const UsageRow& usage) {
  const Customer& customer = *usage.account.customer;
  const AzureMeter& meter = *usage.resource.meter;
  w.text("PartnerId", profile.partner_tenant_id);
  w.text("PartnerName", context.partner_name);
  w.text("CustomerId", customer.id);
  w.text("CustomerName", customer.name);
  w.text("CustomerDomainName", customer.domain);
  w.text("CustomerCountry", customer.country);
  w.digits("MpnId", context.partner_mpn_id);
  w.digits("Tier2MpnId", usage.account.reseller_mpn_id);
  w.text("InvoiceNumber", profile.invoice_id);
  w.text("ProductId", meter.product_id);
  w.text("SkuId", meter.sku_id);
  w.text("AvailabilityId", meter.availability_id);
  w.text("SkuName", meter.sku_name);
  w.text("ProductName", meter.product_name);
  w.text("PublisherName", kPublisherName);
  // First-party products have no marketplace publisher id.
  w.text("PublisherId", "");
  w.text("SubscriptionDescription", kAzurePlanName);
  w.guid("SubscriptionId", usage.plan.subscription_id);
  w.date("ChargeStartDate", context.month.first);
  w.date("ChargeEndDate", context.month.last);
  w.date("UsageDate", usage.usage_day);
  w.text("MeterType", meter.meter_type);
  w.text("MeterCategory", meter.category);
  w.text("MeterId", meter.meter_id);
  w.text("MeterSubCategory", meter.sub_category);
  w.text("MeterName", meter.name);
  w.text("MeterRegion", meter.region);
  w.text("Unit", meter.unit);
  w.text("ResourceLocation", meter.resource_location);
  w.text("ConsumedService", meter.consumed_service);
  w.text("ResourceGroup", usage.resource.group);
  w.text("ResourceURI", resource_uri(usage.entitlement_id, usage.resource));
  w.text("ChargeType", usage.refund ? "Refund" : "New");
  w.number("UnitPrice", {meter.price_micro, kUnitPriceScale});
  w.number("Quantity", {usage.quantity, kQuantityScale});
  w.text("UnitType", meter.unit_type);
  w.number("BillingPreTaxTotal", {usage.billing_total, kAmountScale});
  w.text("BillingCurrency", profile.billing_currency);
  w.number("PricingPreTaxTotal", {usage.pricing_total, kAmountScale});
  w.text("PricingCurrency", profile.pricing_currency);
  w.text("ServiceInfo1", "");
  w.text("ServiceInfo2", "");
  w.text("Tags", usage.resource.tags);
  w.text("AdditionalInfo", meter.additional_info);
  w.number("EffectiveUnitPrice", {usage.effective_unit_price, kAmountScale});
  w.number("PCToBCExchangeRate", {context.rate_nano, kRateScale});
  w.date("PCToBCExchangeRateDate", context.month.first);
  w.guid("EntitlementId", usage.entitlement_id);
  w.text("EntitlementDescription", usage.entitlement_name);
  const DataVocabulary& vocabulary = w.vocabulary();
  if (!profile.billed && vocabulary.unbilled_partner_credit_null_when_none && usage.partner_earned_credit_percent == 0) {
    w.absent("PartnerEarnedCreditPercentage");
  } else {
    w.number("PartnerEarnedCreditPercentage", {usage.partner_earned_credit_percent, 0});
  }
  w.number("CreditPercentage", {usage.credit_percent, 0});
  w.text("CreditType", usage.credit_percent != 0                  ? vocabulary.azure_credit_applied
                       : usage.partner_earned_credit_percent != 0 ? vocabulary.partner_earned_credit_applied
                                                                  : vocabulary.credit_not_applied);
  w.guid("BenefitOrderID", usage.benefit ? std::optional(usage.benefit->order_id) : std::nullopt);
  w.guid("BenefitID", usage.benefit ? std::optional(usage.benefit->id) : std::nullopt);
  w.text("BenefitType", usage.benefit ? kSavingsPlan : vocabulary.no_benefit_type);
}

template class RowGenerator<UsageRows>;

}  // namespace graphfake::data
