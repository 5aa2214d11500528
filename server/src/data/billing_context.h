#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "data/billing_calendar.h"
#include "data/invoice_profile.h"
#include "data/random.h"

namespace graphfake::data {

// PCToBCExchangeRate is quoted to 9 decimals.
inline constexpr int kExchangeRateScale = 9;
// What Azure plan usage earns a partner that manages it (PEC).
inline constexpr int kPartnerEarnedCreditPercent = 15;

// The kinds of derived value. Each draws from a stream of its own, so adding
// a draw to one kind never shifts the values of another; listed in one place
// so that no two kinds share a stream. Numbers are part of the output: never
// renumber.
enum class Stream : std::uint64_t {
  reconciliation_row = 1,
  subscription = 2,
  azure_plan = 3,
  partner = 4,
  reseller = 5,
  reconciliation_credit = 6,
  usage_row = 7,
  entitlement = 8,
  resource = 9,
  savings_plan = 10,
};

// What every row of one profile's exports shares, reconciliation and usage
// alike, so the two describe the same customers' same subscriptions.
struct BillingContext {
  std::uint64_t key = 0;  // the profile under the seed: every stream hangs off it
  std::int64_t rate_nano = 0;  // PCToBCExchangeRate at kExchangeRateScale
  BillingMonth month;
  std::uint32_t partner_mpn_id = 0;
  std::string_view partner_name;

  SplitMix64 random(Stream stream, std::uint64_t index) const {
    return stream_random(key, static_cast<std::uint64_t>(stream), index);
  }
};

// Throws std::invalid_argument for a profile without customers or a valid month.
BillingContext describe_billing(const InvoiceProfile& profile, std::uint64_t seed);

// A customer as the partner bills it.
struct Account {
  const Customer* customer;
  std::uint32_t reseller_mpn_id;  // 0 when the partner sells direct
};

Account account_of(const BillingContext& context, const InvoiceProfile& profile,
                   std::size_t customer_index);

// A customer's Azure plan: one CSP subscription under which all its Azure
// consumption is billed.
inline constexpr std::string_view kAzurePlanName = "Azure plan";

struct AzurePlan {
  Guid subscription_id;
  std::uint64_t order_id;
  std::uint64_t alternate_id;
  Timestamp ordered;
  bool earns_partner_credit;
};

AzurePlan azure_plan_of(const BillingContext& context, std::size_t customer_index);

}  // namespace graphfake::data
