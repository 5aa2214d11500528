#include "data/billing_context.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/ids.h"

namespace graphfake::data {
namespace {

// Fictitious Cloud Solution Providers, in the style of Microsoft's sample companies.
constexpr std::array<std::string_view, 8> kPartnerNames{
    "Contoso Cloud Solutions",  "Fabrikam IT Services",   "Northwind Cloud Partners",
    "Adatum Managed Services",  "Tailspin Technology Group", "Woodgrove Digital",
    "Proseware Cloud",          "Litware Systems Integration",
};

// What the export's rows are about: its invoice, or for unbilled data the
// currency and month it is asked for.
std::string export_identity(const InvoiceProfile& profile) {
  if (profile.billed) return profile.invoice_id;
  return fmt::format("unbilled/{}/{}", profile.billing_currency, profile.billing_month_yyyymm());
}

}  // namespace

BillingContext describe_billing(const InvoiceProfile& profile, std::uint64_t seed) {
  if (profile.customers.empty()) {
    throw std::invalid_argument(
        fmt::format("billing profile {} has no customers to bill", export_identity(profile)));
  }
  const std::uint64_t seed_key = core::mix64(seed);
  // The partner's MPN id and name belong to the partner, so all its exports agree.
  SplitMix64 partner = stream_random(core::hash64(profile.partner_tenant_id, seed_key),
                                     static_cast<std::uint64_t>(Stream::partner), 0);
  BillingContext context;
  context.key = core::hash64(profile.partner_tenant_id, core::hash64(export_identity(profile), seed_key));
  context.rate_nano =
      static_cast<std::int64_t>(std::llround(profile.pc_to_bc_exchange_rate * 1e9));
  context.month = billing_month_of(profile.billing_year, profile.billing_month);
  if (profile.data_through_day) {
    if (*profile.data_through_day < 1 || *profile.data_through_day > context.month.length) {
      throw std::invalid_argument(fmt::format("day {} is not in the billing month {}", *profile.data_through_day,
                                              profile.billing_month_yyyymm()));
    }
    context.month.days_with_data = *profile.data_through_day;
  }
  context.partner_mpn_id = static_cast<std::uint32_t>(partner.between(1'000'000, 6'999'999));
  context.partner_name = kPartnerNames[partner.below(kPartnerNames.size())];
  return context;
}

Account account_of(const BillingContext& context, const InvoiceProfile& profile,
                   std::size_t customer_index) {
  SplitMix64 random = context.random(Stream::reseller, customer_index);
  // Most customers of an indirect provider come through a reseller.
  const bool via_reseller = random.percent(70);
  return {&profile.customers[customer_index],
          via_reseller ? static_cast<std::uint32_t>(random.between(1'000'000, 6'999'999)) : 0U};
}

AzurePlan azure_plan_of(const BillingContext& context, std::size_t customer_index) {
  SplitMix64 random = context.random(Stream::azure_plan, customer_index);
  AzurePlan plan;
  plan.subscription_id = random_guid(random);
  plan.order_id = random_hex_id(random);
  plan.alternate_id = random_hex_id(random);
  const auto months_ago = static_cast<int>(random.between(1, 48));
  plan.ordered = {add_months(context.month.first, -months_ago) + std::chrono::days{random.between(0, 27)},
                  random_second_of_day(random)};
  plan.earns_partner_credit = random.percent(80);
  return plan;
}

}  // namespace graphfake::data
