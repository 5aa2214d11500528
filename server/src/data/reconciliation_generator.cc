#include "data/reconciliation_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "data/azure_meters.h"
#include "data/fixed_point.h"
#include "data/json_line_writer.h"
#include "data/reconciliation_schema.h"
#include "data/row_generator_impl.h"

namespace graphfake::data {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr int kMoneyScale = kReconciliationAmountScale;
// Offers are priced like meters, in micro-USD.
constexpr int kPriceScale = kMeterPriceScale;
constexpr int kUsageQuantityScale = kMeterQuantityScale;
constexpr int kRateScale = kExchangeRateScale;
constexpr int kSecondsPerDay = 24 * 60 * 60;

// ROUNDDOWN(ROUNDDOWN(EffectiveUnitPrice * BillableQuantity, 2) * PCToBCExchangeRate, 2)
std::int64_t usage_subtotal_cents(std::int64_t effective_price_micro, std::int64_t quantity_micro,
                                  std::int64_t rate_nano) {
  const std::int64_t pricing_cents =
      multiply_round_down(effective_price_micro, quantity_micro,
                          pow10(kPriceScale + kUsageQuantityScale - kMoneyScale));
  return multiply_round_down(pricing_cents, rate_nano, pow10(kRateScale));
}

// ROUNDDOWN(EffectiveUnitPrice * PCToBCExchangeRate, 2) * BillableQuantity
std::int64_t license_subtotal_cents(std::int64_t effective_price_micro, std::int64_t quantity,
                                    std::int64_t rate_nano) {
  const std::int64_t unit_cents = multiply_round_down(
      effective_price_micro, rate_nano, pow10(kPriceScale + kRateScale - kMoneyScale));
  return unit_cents * quantity;
}

// ---------------------------------------------------------------------------
// Catalogue: a small but recognisable slice of the CSP price list (USD).

struct Commitment {
  std::string_view term_and_billing_cycle;
  std::string_view billing_frequency;
  int term_months = 0;  // 0 for one-time purchases
  bool billed_yearly = false;
};

constexpr Commitment kMonthlyTerm{"One-Month commitment for monthly billing", "Monthly", 1, false};
constexpr Commitment kAnnualTermMonthlyBilling{"One-Year commitment for monthly billing", "Monthly",
                                               12, false};
constexpr Commitment kAnnualTermYearlyBilling{"One-Year commitment for yearly billing", "Annual",
                                              12, true};
constexpr Commitment kThreeYearTermMonthlyBilling{"Three-Years commitment for monthly billing",
                                                  "Monthly", 36, false};
// Documented: BillingFrequency is blank for one-time charges.
constexpr Commitment kOneTimePurchase{"", "", 0, false};

enum class OfferKind { seat_license, one_year_reservation, three_year_reservation, software };

struct Offer {
  OfferKind kind;
  std::string_view product_id;
  std::string_view sku_id;
  std::string_view availability_id;
  std::string_view product_name;
  std::string_view sku_name;
  std::string_view category;
  // Monthly price on an annual commitment for seats, monthly fee for
  // reservations, one-time price for software; in micro-USD.
  std::int64_t price_micro;
  bool add_on;
  int weight;
};

constexpr std::array<Offer, 19> kOffers{{
    {OfferKind::seat_license, "CFQ7TTC0LH18", "0001", "CFQ7TTC0TL2N",
     "Microsoft 365 Business Basic", "Microsoft 365 Business Basic", "Microsoft 365", 6'000'000,
     false, 10},
    {OfferKind::seat_license, "CFQ7TTC0LDPB", "0001", "CFQ7TTC0TKLK",
     "Microsoft 365 Business Standard", "Microsoft 365 Business Standard", "Microsoft 365",
     12'500'000, false, 12},
    {OfferKind::seat_license, "CFQ7TTC0LCHC", "0002", "CFQ7TTC0TGMX",
     "Microsoft 365 Business Premium", "Microsoft 365 Business Premium", "Microsoft 365",
     22'000'000, false, 10},
    {OfferKind::seat_license, "CFQ7TTC0LFLZ", "0001", "CFQ7TTC0TTJN", "Microsoft 365 E3",
     "Microsoft 365 E3", "Microsoft 365", 36'000'000, false, 8},
    {OfferKind::seat_license, "CFQ7TTC0LFLX", "0002", "CFQ7TTC0TT8W", "Microsoft 365 E5",
     "Microsoft 365 E5", "Microsoft 365", 57'000'000, false, 3},
    {OfferKind::seat_license, "CFQ7TTC0LF8R", "0001", "CFQ7TTC0TH5Q", "Office 365 E1",
     "Office 365 E1", "Microsoft 365", 10'000'000, false, 4},
    {OfferKind::seat_license, "CFQ7TTC0LF8Q", "0001", "CFQ7TTC0TH3V", "Office 365 E3",
     "Office 365 E3", "Microsoft 365", 23'000'000, false, 6},
    {OfferKind::seat_license, "CFQ7TTC0LH16", "0001", "CFQ7TTC0TL1R", "Exchange Online (Plan 1)",
     "Exchange Online (Plan 1)", "Microsoft 365", 4'000'000, false, 6},
    {OfferKind::seat_license, "CFQ7TTC0L3PB", "0001", "CFQ7TTC0TJ9C", "Power BI Pro",
     "Power BI Pro", "Power Platform", 10'000'000, false, 4},
    {OfferKind::seat_license, "CFQ7TTC0HD33", "0002", "CFQ7TTC0TFQ4", "Visio Plan 2",
     "Visio Plan 2", "Microsoft 365", 15'000'000, false, 2},
    {OfferKind::seat_license, "CFQ7TTC0HDN1", "0002", "CFQ7TTC0TG2D", "Project Plan 3",
     "Project Plan 3", "Microsoft 365", 30'000'000, false, 2},
    {OfferKind::seat_license, "CFQ7TTC0J1FV", "0001", "CFQ7TTC0TF1B",
     "Microsoft Teams Phone Standard", "Microsoft Teams Phone Standard", "Microsoft 365", 8'000'000,
     true, 4},
    {OfferKind::seat_license, "CFQ7TTC0MM8R", "0002", "CFQ7TTC0V2KJ", "Microsoft 365 Copilot",
     "Microsoft 365 Copilot", "Microsoft 365", 30'000'000, true, 2},
    {OfferKind::seat_license, "CFQ7TTC0LFK4", "0001", "CFQ7TTC0TFH2",
     "Dynamics 365 Sales Enterprise Edition", "Dynamics 365 Sales Enterprise Edition",
     "Dynamics 365", 95'000'000, false, 2},
    {OfferKind::seat_license, "CFQ7TTC0LH3N", "0001", "CFQ7TTC0TL3S",
     "Dynamics 365 Business Central Essentials", "Dynamics 365 Business Central Essentials",
     "Dynamics 365", 70'000'000, false, 2},
    {OfferKind::one_year_reservation, "DZH318Z0BQ5S", "0K8K", "DZH318Z0CSFQ",
     "Virtual Machines Dsv5 Series", "Reserved VM Instance, Standard_D2s_v5, US East, 1 Year",
     "Azure", 41'320'000, false, 2},
    {OfferKind::three_year_reservation, "DZH318Z0BQ5S", "0K8M", "DZH318Z0CSFR",
     "Virtual Machines Dsv5 Series", "Reserved VM Instance, Standard_D2s_v5, US East, 3 Years",
     "Azure", 26'590'000, false, 1},
    {OfferKind::software, "DG7GMGF0D65N", "0004", "DG7GMGF0D6B2", "Windows Server 2022",
     "Windows Server 2022 Standard - 16 Core License Pack", "Software", 1'069'000'000, false, 1},
    {OfferKind::software, "DG7GMGF0FKZV", "0002", "DG7GMGF0FLKP", "SQL Server 2022 Standard",
     "SQL Server 2022 Standard - 2 Core License Pack", "Software", 3'945'000'000, false, 1},
}};

constexpr std::string_view kEmptyJsonArray = "[]";
// The documented sample CreditReasonCode: Azure consumption given back under
// an Azure Credit Offer.
constexpr std::string_view kAzureCreditOffer = "Azure Credit Offer";

struct Promotion {
  int discount_percent;
  std::string_view adjustment_description;
};
constexpr std::array<Promotion, 4> kPromotions{{
    {10, R"(["10.0% Promotion discount"])"},
    {15, R"(["15.0% Promotion discount"])"},
    {20, R"(["20.0% Promotion discount"])"},
    {25, R"(["25.0% Promotion discount"])"},
}};

// Standard VAT/GST (or a typical US sales tax) of the customer's country, in
// basis points. Countries outside the table are billed tax-free.
int tax_basis_points(std::string_view country) {
  struct CountryTax {
    std::string_view country;
    int basis_points;
  };
  static constexpr std::array<CountryTax, 44> kTaxes{{
      {"US", 600},  {"MX", 1600}, {"CL", 1900}, {"CO", 1900}, {"DE", 1900}, {"FR", 2000},
      {"NL", 2100}, {"IE", 2300}, {"ES", 2100}, {"IT", 2200}, {"AT", 2000}, {"BE", 2100},
      {"FI", 2400}, {"GB", 2000}, {"AU", 1000}, {"CA", 1300}, {"IN", 1800}, {"JP", 1000},
      {"NZ", 1500}, {"SE", 2500}, {"DK", 2500}, {"NO", 2500}, {"CH", 810},  {"SG", 900},
      {"ZA", 1500}, {"KR", 1000}, {"PL", 2300}, {"CZ", 2100}, {"HU", 2700}, {"TR", 2000},
      {"TW", 500},  {"TH", 700},  {"MY", 800},  {"ID", 1100}, {"PH", 1200}, {"IL", 1700},
      {"AE", 500},  {"SA", 1500}, {"CN", 600},  {"EG", 1400}, {"NG", 750},  {"KE", 1600},
      {"AR", 2100}, {"PE", 1800},
  }};
  const auto* found = std::find_if(kTaxes.begin(), kTaxes.end(),
                                   [&](const CountryTax& tax) { return tax.country == country; });
  return found == kTaxes.end() ? 0 : found->basis_points;
}

// ---------------------------------------------------------------------------
// License-style subscriptions; several rows may bill the same one.

struct Subscription {
  const Offer* offer;
  const Commitment* commitment;
  std::int64_t seats;
  Guid id;
  std::uint64_t order_id;
  std::uint64_t alternate_id;
  std::optional<Guid> reservation_order_id;
  Timestamp ordered;
  bool purchased_this_month;
  const Promotion* promotion;  // null when list price applies
  std::string promotion_id;
};

constexpr std::uint64_t kSubscriptionsPerCustomer = 4;

const Commitment& pick_seat_commitment(SplitMix64& random) {
  const std::uint64_t ticket = random.below(10);
  if (ticket < 3) return kMonthlyTerm;
  if (ticket < 8) return kAnnualTermMonthlyBilling;
  return kAnnualTermYearlyBilling;
}

std::int64_t pick_quantity(OfferKind kind, SplitMix64& random) {
  switch (kind) {
    case OfferKind::seat_license:
      return random.percent(60) ? random.between(1, 25) : random.between(26, 300);
    case OfferKind::one_year_reservation:
    case OfferKind::three_year_reservation: return random.between(1, 10);
    case OfferKind::software: return random.between(1, 20);
  }
  return 1;
}

Subscription subscription_of(const BillingContext& context, std::uint64_t slot) {
  SplitMix64 random = context.random(Stream::subscription, slot);
  Subscription subscription;
  subscription.offer = &pick_weighted<Offer>(random, kOffers);
  const OfferKind kind = subscription.offer->kind;
  switch (kind) {
    case OfferKind::seat_license: subscription.commitment = &pick_seat_commitment(random); break;
    case OfferKind::one_year_reservation:
      subscription.commitment = &kAnnualTermMonthlyBilling;
      break;
    case OfferKind::three_year_reservation:
      subscription.commitment = &kThreeYearTermMonthlyBilling;
      break;
    case OfferKind::software: subscription.commitment = &kOneTimePurchase; break;
  }
  subscription.seats = pick_quantity(kind, random);
  subscription.id = random_guid(random);
  subscription.order_id = random_hex_id(random);
  subscription.alternate_id = random_hex_id(random);
  if (kind == OfferKind::one_year_reservation || kind == OfferKind::three_year_reservation) {
    subscription.reservation_order_id = random_guid(random);
  }

  // One-time purchases only reach the invoice of the month they were bought in.
  subscription.purchased_this_month = kind == OfferKind::software || random.percent(15);
  const BillingMonth& month = context.month;
  sys_days ordered_day;
  if (subscription.purchased_this_month) {
    ordered_day = month.first + days{random.below(static_cast<std::uint64_t>(month.days_with_data))};
  } else {
    // Yearly-billed terms only appear in their anniversary month, so they
    // must have started a whole number of years ago.
    const auto months_ago = static_cast<int>(
        subscription.commitment->billed_yearly ? 12 * random.between(1, 3) : random.between(1, 35));
    ordered_day = add_months(month.first, -months_ago) + days{random.between(0, 27)};
  }
  subscription.ordered = {ordered_day, random_second_of_day(random)};

  subscription.promotion = nullptr;
  if (kind == OfferKind::seat_license && random.percent(15)) {
    subscription.promotion = &kPromotions[random.below(kPromotions.size())];
    subscription.promotion_id =
        fmt::format("{}:1:CFQ7TTC0{:04X}", subscription.offer->product_id, random.below(0x10000));
  }
  return subscription;
}

// ---------------------------------------------------------------------------
// One line's values, in schema order.

struct Line {
  const Account* account = nullptr;
  std::uint64_t order_id = 0;
  Timestamp order_date;
  std::string_view product_id;
  std::string_view sku_id;
  std::string_view availability_id;
  std::string_view sku_name;
  std::string_view product_name;
  std::string_view charge_type;
  Decimal unit_price;
  Decimal quantity;
  std::int64_t subtotal_cents = 0;
  std::int64_t tax_cents = 0;
  std::string_view price_adjustment_description = kEmptyJsonArray;
  std::string_view subscription_description;
  Guid subscription_id;
  sys_days charge_start;
  sys_days charge_end;
  std::string_view term_and_billing_cycle;
  Decimal effective_unit_price;
  std::string_view unit_type;
  std::uint64_t alternate_id = 0;
  Decimal billable_quantity;
  std::string_view billing_frequency;
  std::string_view meter_description;
  std::optional<Guid> reservation_order_id;
  std::string_view credit_reason_code;
  sys_days subscription_start;
  sys_days subscription_end;
  Guid reference_id;
  bool add_on = false;                 // ProductQualifiers: the profile's add-on qualifier
  bool partner_earned_credit = false;  // PriceAdjustmentDescription: the profile's partner-earned credit
  // Azure consumption under the customer's plan, and what identifies the
  // plan's meter (a profile may derive ReservationOrderId from it).
  bool consumption = false;
  std::uint64_t consumption_key = 0;
  std::string_view promotion_id;
  std::string_view product_category;
};

// A month of one meter's consumption under the customer's Azure plan; or, for
// a credit, the same consumption given back: negative quantity and amounts.
Line usage_line(const BillingContext& context, const Account& account, const AzurePlan& plan,
                bool credit, SplitMix64& row) {
  const std::span<const AzureMeter> meters = azure_meters();
  const std::uint64_t meter_index = row.below(meters.size());
  const AzureMeter& meter = meters[meter_index];
  Line line;
  line.account = &account;
  line.consumption = true;
  line.consumption_key = core::mix64(plan.subscription_id.high ^ core::mix64(plan.subscription_id.low + meter_index));
  line.order_id = plan.order_id;
  line.order_date = plan.ordered;
  line.product_id = meter.product_id;
  line.sku_id = meter.sku_id;
  line.availability_id = meter.availability_id;
  line.sku_name = meter.sku_name;
  line.product_name = meter.product_name;
  line.charge_type = "New";
  line.unit_price = {meter.price_micro, kPriceScale};
  // Documented sample: usage lines carry Quantity 1; BillableQuantity is the consumption.
  line.quantity = {1, 0};

  std::int64_t effective_price = meter.price_micro;
  if (plan.earns_partner_credit) {
    effective_price =
        multiply_round_half_away(meter.price_micro, 100 - kPartnerEarnedCreditPercent, 100);
    line.partner_earned_credit = true;
  }
  // Nested draw: small consumptions are far more common than large ones.
  const std::int64_t consumed = row.between(1, row.between(1, meter.max_monthly_quantity_micro));
  const std::int64_t consumption = credit ? -consumed : consumed;
  line.subtotal_cents = usage_subtotal_cents(effective_price, consumption, context.rate_nano);
  if (credit) line.credit_reason_code = kAzureCreditOffer;

  line.subscription_description = kAzurePlanName;
  line.subscription_id = plan.subscription_id;
  line.charge_start = context.month.first;
  line.charge_end = context.month.last;
  line.effective_unit_price = {effective_price, kPriceScale};
  line.unit_type = meter.unit_type;
  line.alternate_id = plan.alternate_id;
  line.billable_quantity = {consumption, kUsageQuantityScale};
  line.billing_frequency = "Monthly";
  line.meter_description = meter.description;
  line.subscription_start = plan.ordered.day;
  line.subscription_end = end_of_term(plan.ordered.day, 12, context.month.last);
  line.product_category = "Azure";
  return line;
}

struct Charge {
  std::string_view type;
  Timestamp event;
  sys_days start;
  sys_days end;
  std::int64_t quantity;
  bool prorated;  // billed for the days left in the month, not the whole month
};

Charge charge_for(const BillingContext& context, const Subscription& subscription, SplitMix64& row) {
  const BillingMonth& month = context.month;
  const Commitment& commitment = *subscription.commitment;
  const OfferKind kind = subscription.offer->kind;
  const sys_days ordered_day = subscription.ordered.day;

  if (kind == OfferKind::software) {
    return {"New", subscription.ordered, ordered_day, ordered_day, subscription.seats, false};
  }
  if (subscription.purchased_this_month) {
    const bool yearly = commitment.billed_yearly;
    // New-commerce seats may be cancelled for a prorated refund within 7 days.
    if (kind == OfferKind::seat_license && row.percent(15)) {
      const auto days_left = (month.last_day_with_data() - ordered_day).count();
      const sys_days cancelled =
          ordered_day + days{row.between(0, std::min<std::int64_t>(6, days_left))};
      return {"Cancel",
              {cancelled, random_second_of_day(row)},
              ordered_day,
              month.last,
              -subscription.seats,
              !yearly};
    }
    return {"New", subscription.ordered, ordered_day, month.last, subscription.seats, !yearly};
  }
  if (commitment.billed_yearly) {
    // A renewal not due yet in a period in progress is shown as of its last day.
    const sys_days anniversary = std::min(
        month.first + days{static_cast<unsigned>(year_month_day{ordered_day}.day()) - 1}, month.last_day_with_data());
    return {"Renew",
            {anniversary, subscription.ordered.second_of_day},
            anniversary,
            month.last,
            subscription.seats,
            false};
  }
  if (kind == OfferKind::seat_license && row.percent(10)) {
    const sys_days added =
        month.days_with_data > 1 ? month.first + days{row.between(1, month.days_with_data - 1)} : month.first;
    return {"Add quantity",
            {added, random_second_of_day(row)},
            added,
            month.last,
            row.between(1, 5),
            true};
  }
  const bool anniversary_month =
      months_between(ordered_day, month.first) % commitment.term_months == 0;
  return {anniversary_month ? "Renew" : "Cycle charge",
          {month.first, subscription.ordered.second_of_day},
          month.first,
          month.last,
          subscription.seats,
          false};
}

Line license_line(const BillingContext& context, const Account& account,
                  const Subscription& subscription, SplitMix64& row) {
  const Offer& offer = *subscription.offer;
  const Commitment& commitment = *subscription.commitment;
  const Charge charge = charge_for(context, subscription, row);

  std::int64_t list_price = offer.price_micro;
  // New-commerce monthly terms cost 20% more than annual ones.
  if (&commitment == &kMonthlyTerm) list_price = list_price * 6 / 5;
  if (commitment.billed_yearly) list_price *= 12;
  std::int64_t effective_price = list_price;
  if (subscription.promotion != nullptr) {
    effective_price =
        multiply_round_half_away(list_price, 100 - subscription.promotion->discount_percent, 100);
  }
  if (charge.prorated) {
    const auto days_billed = (charge.end - charge.start).count() + 1;
    effective_price = multiply_round_half_away(effective_price, days_billed, context.month.length);
  }

  Line line;
  line.account = &account;
  line.order_id = subscription.order_id;
  line.order_date = charge.event;
  line.product_id = offer.product_id;
  line.sku_id = offer.sku_id;
  line.availability_id = offer.availability_id;
  line.sku_name = offer.sku_name;
  line.product_name = offer.product_name;
  line.charge_type = charge.type;
  line.unit_price = {list_price, kPriceScale};
  line.quantity = {charge.quantity, 0};
  line.subtotal_cents = license_subtotal_cents(effective_price, charge.quantity, context.rate_nano);
  if (subscription.promotion != nullptr) {
    line.price_adjustment_description = subscription.promotion->adjustment_description;
    line.promotion_id = subscription.promotion_id;
  }
  line.subscription_description = offer.sku_name;
  line.subscription_id = subscription.id;
  line.charge_start = charge.start;
  line.charge_end = charge.end;
  line.term_and_billing_cycle = commitment.term_and_billing_cycle;
  line.effective_unit_price = {effective_price, kPriceScale};
  line.alternate_id = subscription.alternate_id;
  line.billable_quantity = {charge.quantity, 0};
  line.billing_frequency = commitment.billing_frequency;
  line.reservation_order_id = subscription.reservation_order_id;
  line.subscription_start = subscription.ordered.day;
  // The term in force at month end, so every line of a subscription agrees.
  line.subscription_end =
      commitment.term_months == 0
          ? subscription.ordered.day
          : end_of_term(subscription.ordered.day, commitment.term_months, context.month.last);
  line.add_on = offer.add_on;
  line.product_category = offer.category;
  return line;
}

// ---------------------------------------------------------------------------
// Rows.

// Most lines of a real invoice are Azure consumption; the rest are seats,
// reservations and software.
constexpr int kUsageLinePercent = 60;
// Of the consumption lines, the share that are credits. Drawn from a stream of
// their own so that every other line reads as it did before credits existed.
constexpr int kCreditLinePercent = 4;

// Standard VAT/GST of the customer's country on the line, rounded to the cent.
std::int64_t tax_cents(const Line& line) {
  return multiply_round_half_away(line.subtotal_cents,
                                  tax_basis_points(line.account->customer->country), 10'000);
}

// Builds row `index` and hands it to `use`, which must not keep it: the line
// views an account and a subscription that live only as long as this call.
template <typename Use>
void with_line(const InvoiceProfile& profile, const BillingContext& context, std::uint64_t index,
               Use&& use) {
  SplitMix64 row = context.random(Stream::reconciliation_row, index);
  const std::uint64_t customer_count = profile.customers.size();
  const auto finish = [&](Line& line) {
    line.reference_id = random_guid(row);
    line.tax_cents = tax_cents(line);
    // Documented: BillingFrequency is blank for unbilled lines.
    if (!profile.billed) line.billing_frequency = "";
    use(static_cast<const Line&>(line));
  };

  if (row.percent(kUsageLinePercent)) {
    const std::size_t customer_index = row.below(customer_count);
    const Account account = account_of(context, profile, customer_index);
    const bool credit =
        context.random(Stream::reconciliation_credit, index).percent(kCreditLinePercent);
    Line line = usage_line(context, account, azure_plan_of(context, customer_index), credit, row);
    finish(line);
  } else {
    const std::uint64_t slot = row.below(customer_count * kSubscriptionsPerCustomer);
    const Account account = account_of(context, profile, slot % customer_count);
    const Subscription subscription = subscription_of(context, slot);
    Line line = license_line(context, account, subscription, row);
    finish(line);
  }
}

}  // namespace

struct ReconciliationRows {
  static constexpr model::ExportFamily kFamily = model::ExportFamily::reconciliation;

  template <typename Use>
  static void with_row(const InvoiceProfile& profile, const BillingContext& context, std::uint64_t index, Use&& use) {
    with_line(profile, context, index, std::forward<Use>(use));
  }

  static void write(JsonLineWriter& w, const InvoiceProfile& profile, const BillingContext& context,
                    const Line& line);

  static const Customer& customer(const Line& line) { return *line.account->customer; }

  static std::array<std::int64_t, RowAmounts::kMaxColumns> amounts(const Line& line) {
    return {line.subtotal_cents, line.tax_cents, line.subtotal_cents + line.tax_cents};
  }
};

void ReconciliationRows::write(JsonLineWriter& w, const InvoiceProfile& profile, const BillingContext& context,
                               const Line& line) {
  const Customer& customer = *line.account->customer;
  w.text("PartnerId", profile.partner_tenant_id);
  w.text("CustomerId", customer.id);
  w.text("CustomerName", customer.name);
  w.text("CustomerDomainName", customer.domain);
  w.text("CustomerCountry", customer.country);
  w.text("InvoiceNumber", profile.invoice_id);
  w.digits("MpnId", context.partner_mpn_id);
  w.digits("Tier2MpnId", line.account->reseller_mpn_id);
  w.hex_id("OrderId", line.order_id);
  w.date("OrderDate", line.order_date);
  w.text("ProductId", line.product_id);
  w.text("SkuId", line.sku_id);
  w.text("AvailabilityId", line.availability_id);
  w.text("SkuName", line.sku_name);
  w.text("ProductName", line.product_name);
  w.text("ChargeType", line.charge_type);
  w.number("UnitPrice", line.unit_price);
  w.number("Quantity", line.quantity);
  w.number("Subtotal", {line.subtotal_cents, kMoneyScale});
  w.number("TaxTotal", {line.tax_cents, kMoneyScale});
  w.number("Total", {line.subtotal_cents + line.tax_cents, kMoneyScale});
  w.text("Currency", profile.billing_currency);
  const DataVocabulary& vocabulary = w.vocabulary();
  w.text("PriceAdjustmentDescription", line.partner_earned_credit ? vocabulary.partner_earned_credit_adjustment
                                                                  : line.price_adjustment_description);
  w.text("PublisherName", kPublisherName);
  // First-party products have no marketplace publisher id.
  w.text("PublisherId", "");
  w.text("SubscriptionDescription", line.subscription_description);
  w.guid("SubscriptionId", line.subscription_id);
  w.date("ChargeStartDate", line.charge_start);
  if (line.consumption && vocabulary.consumption_period_ends_at_last_second) {
    w.date("ChargeEndDate", Timestamp{line.charge_end, kSecondsPerDay - 1});
  } else {
    w.date("ChargeEndDate", line.charge_end);
  }
  w.text("TermAndBillingCycle", line.term_and_billing_cycle);
  w.number("EffectiveUnitPrice", line.effective_unit_price);
  w.text("UnitType", line.unit_type);
  w.hex_id("AlternateId", line.alternate_id);
  w.number("BillableQuantity", line.billable_quantity);
  w.text("BillingFrequency", line.billing_frequency);
  w.text("PricingCurrency", profile.pricing_currency);
  w.number("PCToBCExchangeRate", {context.rate_nano, kRateScale});
  w.date("PCToBCExchangeRateDate", context.month.first);
  w.text("MeterDescription", line.meter_description);
  if (line.reservation_order_id || !vocabulary.reservation_order_on_every_line) {
    w.guid("ReservationOrderId", line.reservation_order_id);
  } else if (line.consumption) {
    w.digest("ReservationOrderId", line.consumption_key);
  } else {
    w.guid("ReservationOrderId", line.subscription_id);
  }
  w.text("CreditReasonCode", line.credit_reason_code);
  if (line.consumption && !vocabulary.consumption_subscription_dates) {
    w.absent("SubscriptionStartDate");
    w.absent("SubscriptionEndDate");
  } else {
    w.date("SubscriptionStartDate", line.subscription_start);
    w.date("SubscriptionEndDate", line.subscription_end);
  }
  w.guid("ReferenceId", line.reference_id);
  w.array("ProductQualifiers", line.add_on ? vocabulary.add_on_qualifiers : kEmptyJsonArray);
  w.text("PromotionId", line.promotion_id);
  w.text("ProductCategory", line.product_category);
}

template class RowGenerator<ReconciliationRows>;

}  // namespace graphfake::data
