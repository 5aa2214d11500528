#include "data/reconciliation_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/ids.h"
#include "data/reconciliation_schema.h"

namespace graphfake::data {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// ---------------------------------------------------------------------------
// Randomness. Every value is a hash of (seed, invoice, stream, index), so any
// row can be produced alone and the output never depends on a standard
// library's RNG or distribution implementation.

using core::mix64;

// A lock-free stream for the hot path (core::IdGenerator serialises callers).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  // Modulo bias is irrelevant for the ranges used here.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low) + 1));
  }
  bool percent(int chance) { return below(100) < static_cast<std::uint64_t>(chance); }

 private:
  std::uint64_t state_;
};

enum class Stream : std::uint64_t { row = 1, subscription, azure_plan, partner, reseller };

SplitMix64 stream_random(std::uint64_t key, Stream stream, std::uint64_t index) {
  return SplitMix64(mix64(
      key ^ mix64(static_cast<std::uint64_t>(stream) * 0x9e3779b97f4a7c15ULL + mix64(index))));
}

struct Guid {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
};

Guid random_guid(SplitMix64& random) { return {random.next(), random.next()}; }

// Order and alternate ids look like Partner Center's 12-hex-digit form ("6dc5c039750a").
std::uint64_t random_hex_id(SplitMix64& random) { return random.next() & 0xffffffffffffULL; }

// ---------------------------------------------------------------------------
// Fixed-point arithmetic. Money is reconciled to the cent, so amounts are
// integers and the documented ROUNDDOWNs are integer truncations.

__extension__ using Wide = __int128;

struct Decimal {
  std::int64_t units = 0;
  int scale = 0;  // value = units / 10^scale
};

constexpr int kMoneyScale = 2;
constexpr int kPriceScale = 6;
constexpr int kUsageQuantityScale = 6;
constexpr int kRateScale = 9;
constexpr std::array<std::int64_t, 19> kPow10{1,
                                              10,
                                              100,
                                              1'000,
                                              10'000,
                                              100'000,
                                              1'000'000,
                                              10'000'000,
                                              100'000'000,
                                              1'000'000'000,
                                              10'000'000'000,
                                              100'000'000'000,
                                              1'000'000'000'000,
                                              10'000'000'000'000,
                                              100'000'000'000'000,
                                              1'000'000'000'000'000,
                                              10'000'000'000'000'000,
                                              100'000'000'000'000'000,
                                              1'000'000'000'000'000'000};

// Integer division truncates toward zero, which is exactly Excel's ROUNDDOWN.
std::int64_t multiply_round_down(std::int64_t a, std::int64_t b, std::int64_t divisor) {
  return static_cast<std::int64_t>(Wide{a} * b / divisor);
}

std::int64_t multiply_round_half_away(std::int64_t a, std::int64_t b, std::int64_t divisor) {
  const Wide product = Wide{a} * b;
  const Wide half = divisor / 2;
  return static_cast<std::int64_t>((product < 0 ? product - half : product + half) / divisor);
}

// ROUNDDOWN(ROUNDDOWN(EffectiveUnitPrice * BillableQuantity, 2) * PCToBCExchangeRate, 2)
std::int64_t usage_subtotal_cents(std::int64_t effective_price_micro, std::int64_t quantity_micro,
                                  std::int64_t rate_nano) {
  const std::int64_t pricing_cents =
      multiply_round_down(effective_price_micro, quantity_micro,
                          kPow10[kPriceScale + kUsageQuantityScale - kMoneyScale]);
  return multiply_round_down(pricing_cents, rate_nano, kPow10[kRateScale]);
}

// ROUNDDOWN(EffectiveUnitPrice * PCToBCExchangeRate, 2) * BillableQuantity
std::int64_t license_subtotal_cents(std::int64_t effective_price_micro, std::int64_t quantity,
                                    std::int64_t rate_nano) {
  const std::int64_t unit_cents = multiply_round_down(
      effective_price_micro, rate_nano, kPow10[kPriceScale + kRateScale - kMoneyScale]);
  return unit_cents * quantity;
}

// ---------------------------------------------------------------------------
// Dates.

struct BillingMonth {
  sys_days first;
  sys_days last;
  int length = 0;
};

BillingMonth billing_month_of(const InvoiceProfile& profile) {
  const std::chrono::year year{profile.billing_year};
  const std::chrono::month month{static_cast<unsigned>(profile.billing_month)};
  const year_month_day first = year / month / 1;
  if (!first.ok()) {
    throw std::invalid_argument(fmt::format("invoice {} has no valid billing month ({}-{})",
                                            profile.invoice_id, profile.billing_year,
                                            profile.billing_month));
  }
  const sys_days last{year / month / std::chrono::last};
  return {sys_days{first}, last, static_cast<int>((last - sys_days{first}).count()) + 1};
}

struct Timestamp {
  sys_days day;
  int second_of_day = 0;
};

int random_second_of_day(SplitMix64& random) {
  return static_cast<int>(random.below(24 * 60 * 60));
}

sys_days add_months(sys_days day, int count) {
  year_month_day date{day};
  date += std::chrono::months{count};
  if (!date.ok()) date = date.year() / date.month() / std::chrono::last;
  return sys_days{date};
}

int months_between(sys_days from, sys_days to) {
  const year_month_day a{from};
  const year_month_day b{to};
  return (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
         static_cast<int>(static_cast<unsigned>(b.month())) -
         static_cast<int>(static_cast<unsigned>(a.month()));
}

// Last day of the commitment term (renewed every `term_months`) in force on `day`.
sys_days end_of_term(sys_days start, int term_months, sys_days day) {
  int terms = 1;
  while (add_months(start, terms * term_months) <= day) ++terms;
  return add_months(start, terms * term_months) - days{1};
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

// Azure plan meters, billed on consumption in arrears.
struct Meter {
  std::string_view product_id;
  std::string_view sku_id;
  std::string_view availability_id;
  std::string_view product_name;
  std::string_view sku_name;
  std::string_view description;
  std::string_view unit_type;
  std::int64_t price_micro;         // USD per unit
  std::int64_t max_quantity_micro;  // largest plausible monthly consumption
};

constexpr std::array<Meter, 11> kMeters{{
    {"DZH318Z0BNZ5", "006G", "DZH318Z08B80", "Tables", "Tables - LRS", "Tables - LRS Data Stored",
     "1 GB/Month", 45'000, 5'000'000'000},
    {"DZH318Z0BNVX", "0050", "DZH318Z0BRT1", "Bandwidth Inter-Region",
     "Bandwidth Inter-Region - Intra Continent - North America",
     "Intra Continent Data Transfer Out", "1 GB", 20'000, 2'000'000'000},
    {"DZH318Z0BQ5S", "00TG", "DZH318Z0BZ4H", "Virtual Machines Dsv5 Series", "Standard_D2s_v5",
     "Virtual Machines Dsv5 Series - D2s v5 - US East", "1 Hour", 96'000, 744'000'000},
    {"DZH318Z0BPM4", "003X", "DZH318Z0C3JF", "Azure App Service Basic Plan", "Basic Plan - B1",
     "B1 App", "1 Hour", 75'000, 744'000'000},
    {"DZH318Z0BQXL", "004B", "DZH318Z0C4WS", "SQL Database Single Standard", "Standard - S0",
     "S0 DTUs", "1/Day", 483'900, 31'000'000},
    {"DZH318Z0BNVW", "0037", "DZH318Z0BWNL", "Log Analytics", "Analytics Logs",
     "Analytics Logs Data Ingestion", "1 GB", 2'300'000, 500'000'000},
    {"DZH318Z0BQPS", "000Q", "DZH318Z0BXRK", "Key Vault", "Standard", "Standard Operations", "10K",
     30'000, 100'000'000},
    {"DZH318Z0BNZB", "0003", "DZH318Z0BSKH", "Azure DNS", "Public Zone", "Public Zone", "1/Month",
     500'000, 20'000'000},
    {"DZH318Z0BQ4D", "0002", "DZH318Z0C2N6", "Functions", "Standard", "Standard Execution Time",
     "1 GB Second", 16, 900'000'000'000},
    {"DZH318Z0BP88", "000F", "DZH318Z0BWPQ", "Premium SSD Managed Disks", "P10 LRS", "P10 LRS Disk",
     "1/Month", 19'710'000, 10'000'000},
    {"DZH318Z0BNXM", "0046", "DZH318Z0BVSX", "Backup", "Standard", "Azure VM Protected Instances",
     "1/Month", 10'000'000, 40'000'000},
}};

constexpr std::string_view kPublisherName = "Microsoft Corporation";
constexpr std::string_view kEmptyJsonArray = "[]";
constexpr std::string_view kPartnerEarnedCredit =
    R"(["15.0% Partner earned credit for services managed"])";
constexpr int kPartnerEarnedCreditPercent = 15;
constexpr std::string_view kAddOnQualifiers = R"(["Add-on"])";

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
  static constexpr std::array<CountryTax, 24> kTaxes{{
      {"US", 600},  {"MX", 1600}, {"CL", 1900}, {"CO", 1900}, {"DE", 1900}, {"FR", 2000},
      {"NL", 2100}, {"IE", 2300}, {"ES", 2100}, {"IT", 2200}, {"AT", 2000}, {"BE", 2100},
      {"FI", 2400}, {"GB", 2000}, {"AU", 1000}, {"CA", 1300}, {"IN", 1800}, {"JP", 1000},
      {"NZ", 1500}, {"SE", 2500}, {"DK", 2500}, {"NO", 2500}, {"CH", 810},  {"SG", 900},
  }};
  const auto* found = std::find_if(kTaxes.begin(), kTaxes.end(),
                                   [&](const CountryTax& tax) { return tax.country == country; });
  return found == kTaxes.end() ? 0 : found->basis_points;
}

const Offer& pick_offer(SplitMix64& random) {
  static constexpr int kTotalWeight = [] {
    int total = 0;
    for (const Offer& offer : kOffers) total += offer.weight;
    return total;
  }();
  auto ticket = static_cast<int>(random.below(kTotalWeight));
  for (const Offer& offer : kOffers) {
    if (ticket < offer.weight) return offer;
    ticket -= offer.weight;
  }
  return kOffers.front();
}

// ---------------------------------------------------------------------------
// What the rows of one invoice share.

struct Invoice {
  const InvoiceProfile& profile;
  std::uint64_t key;
  std::int64_t rate_nano;
  BillingMonth month;
  std::uint32_t partner_mpn_id;
};

Invoice describe_invoice(const InvoiceProfile& profile, std::uint64_t seed) {
  const std::uint64_t seed_key = mix64(seed);
  // The MPN id belongs to the partner, so every invoice of a partner agrees.
  SplitMix64 partner =
      stream_random(core::hash64(profile.partner_tenant_id, seed_key), Stream::partner, 0);
  return {
      profile, core::hash64(profile.partner_tenant_id, core::hash64(profile.invoice_id, seed_key)),
      static_cast<std::int64_t>(std::llround(profile.pc_to_bc_exchange_rate * 1e9)),
      billing_month_of(profile), static_cast<std::uint32_t>(partner.between(1'000'000, 6'999'999))};
}

struct Account {
  const Customer* customer;
  std::uint32_t reseller_mpn_id;  // 0 when the partner sells direct
  int tax_basis_points;
};

Account account_of(const Invoice& invoice, std::size_t customer_index) {
  const Customer& customer = invoice.profile.customers[customer_index];
  SplitMix64 random = stream_random(invoice.key, Stream::reseller, customer_index);
  // Most customers of an indirect provider come through a reseller.
  const bool via_reseller = random.percent(70);
  return {&customer,
          via_reseller ? static_cast<std::uint32_t>(random.between(1'000'000, 6'999'999)) : 0U,
          tax_basis_points(customer.country)};
}

struct AzurePlan {
  Guid subscription_id;
  std::uint64_t order_id;
  std::uint64_t alternate_id;
  Timestamp ordered;
  bool earns_partner_credit;
};

AzurePlan azure_plan_of(const Invoice& invoice, std::size_t customer_index) {
  SplitMix64 random = stream_random(invoice.key, Stream::azure_plan, customer_index);
  AzurePlan plan;
  plan.subscription_id = random_guid(random);
  plan.order_id = random_hex_id(random);
  plan.alternate_id = random_hex_id(random);
  const auto months_ago = static_cast<int>(random.between(1, 48));
  plan.ordered = {add_months(invoice.month.first, -months_ago) + days{random.between(0, 27)},
                  random_second_of_day(random)};
  plan.earns_partner_credit = random.percent(80);
  return plan;
}

// A license-style subscription; several rows may bill the same one.
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

Subscription subscription_of(const Invoice& invoice, std::uint64_t slot) {
  SplitMix64 random = stream_random(invoice.key, Stream::subscription, slot);
  Subscription subscription;
  subscription.offer = &pick_offer(random);
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
  const BillingMonth& month = invoice.month;
  sys_days ordered_day;
  if (subscription.purchased_this_month) {
    ordered_day = month.first + days{random.below(static_cast<std::uint64_t>(month.length))};
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
  sys_days subscription_start;
  sys_days subscription_end;
  Guid reference_id;
  std::string_view product_qualifiers = kEmptyJsonArray;
  std::string_view promotion_id;
  std::string_view product_category;
};

Line usage_line(const Invoice& invoice, const Account& account, const AzurePlan& plan,
                SplitMix64& row) {
  const Meter& meter = kMeters[row.below(kMeters.size())];
  Line line;
  line.account = &account;
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
    line.price_adjustment_description = kPartnerEarnedCredit;
  }
  // Nested draw: small consumptions are far more common than large ones.
  const std::int64_t consumption = row.between(1, row.between(1, meter.max_quantity_micro));
  line.subtotal_cents = usage_subtotal_cents(effective_price, consumption, invoice.rate_nano);

  line.subscription_description = "Azure plan";
  line.subscription_id = plan.subscription_id;
  line.charge_start = invoice.month.first;
  line.charge_end = invoice.month.last;
  line.effective_unit_price = {effective_price, kPriceScale};
  line.unit_type = meter.unit_type;
  line.alternate_id = plan.alternate_id;
  line.billable_quantity = {consumption, kUsageQuantityScale};
  line.billing_frequency = "Monthly";
  line.meter_description = meter.description;
  line.subscription_start = plan.ordered.day;
  line.subscription_end = end_of_term(plan.ordered.day, 12, invoice.month.last);
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

Charge charge_for(const Invoice& invoice, const Subscription& subscription, SplitMix64& row) {
  const BillingMonth& month = invoice.month;
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
      const auto days_left = (month.last - ordered_day).count();
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
    const sys_days anniversary =
        month.first + days{static_cast<unsigned>(year_month_day{ordered_day}.day()) - 1};
    return {"Renew",
            {anniversary, subscription.ordered.second_of_day},
            anniversary,
            month.last,
            subscription.seats,
            false};
  }
  if (kind == OfferKind::seat_license && row.percent(10)) {
    const sys_days added = month.first + days{row.between(1, month.length - 1)};
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

Line license_line(const Invoice& invoice, const Account& account, const Subscription& subscription,
                  SplitMix64& row) {
  const Offer& offer = *subscription.offer;
  const Commitment& commitment = *subscription.commitment;
  const Charge charge = charge_for(invoice, subscription, row);

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
    effective_price = multiply_round_half_away(effective_price, days_billed, invoice.month.length);
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
  line.subtotal_cents = license_subtotal_cents(effective_price, charge.quantity, invoice.rate_nano);
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
          : end_of_term(subscription.ordered.day, commitment.term_months, invoice.month.last);
  if (offer.add_on) line.product_qualifiers = kAddOnQualifiers;
  line.product_category = offer.category;
  return line;
}

// ---------------------------------------------------------------------------
// JSON output.

// Digits are written by hand: fmt's back-inserter path dominated profiles of
// this hot loop.
constexpr std::string_view kHexDigits = "0123456789abcdef";

void append_hex(std::string& out, std::uint64_t value, int width) {
  std::array<char, 16> digits{};
  for (int i = width - 1; i >= 0; --i) {
    digits[static_cast<std::size_t>(i)] = kHexDigits[value & 0xf];
    value >>= 4;
  }
  out.append(digits.data(), static_cast<std::size_t>(width));
}

// Zero-padded to at least `min_width` digits.
void append_decimal_digits(std::string& out, std::uint64_t value, int min_width) {
  std::array<char, 20> digits{};
  std::size_t start = digits.size();
  do {
    digits[--start] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 || digits.size() - start < static_cast<std::size_t>(min_width));
  out.append(digits.data() + start, digits.size() - start);
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t unescaped_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;  // UTF-8 bytes pass through
    out.append(text, unescaped_from, i - unescaped_from);
    unescaped_from = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u";
        append_hex(out, c, 4);
        break;
    }
  }
  out.append(text, unescaped_from);
  out += '"';
}

// Shortest exact decimal text: 12.10 prints as 12.1, 1.000000000 as 1.
void append_decimal(std::string& out, Decimal value) {
  if (value.units < 0) out += '-';
  const std::uint64_t magnitude = value.units < 0 ? 0 - static_cast<std::uint64_t>(value.units)
                                                  : static_cast<std::uint64_t>(value.units);
  const auto unit = static_cast<std::uint64_t>(kPow10[static_cast<std::size_t>(value.scale)]);
  append_decimal_digits(out, magnitude / unit, 1);
  std::uint64_t fraction = magnitude % unit;
  if (fraction == 0) return;
  int digits = value.scale;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  out += '.';
  append_decimal_digits(out, fraction, digits);
}

// Writes keys in schema order, skipping those outside the attribute set. Key
// names are checked against the schema so the two cannot drift apart.
class LineWriter {
 public:
  LineWriter(std::string& out, model::AttributeSet set, const LineFormat& format,
             std::span<const std::string> keys)
      : out_(out),
        columns_(reconciliation_columns()),
        keys_(keys),
        basic_only_(set == model::AttributeSet::basic),
        numbers_as_strings_(format.numbers == Dialect::Numbers::strings),
        qualifiers_as_array_(format.product_qualifiers == Dialect::ProductQualifiers::array) {
    out_ += '{';
  }

  void text(std::string_view name, std::string_view value) {
    if (key(name)) append_json_string(out_, value);
  }
  void guid(std::string_view name, const std::optional<Guid>& value) {
    if (!key(name)) return;
    if (!value) {
      out_ += "\"\"";
      return;
    }
    // Version 4, RFC 4122 variant, like the GUIDs Entra ID hands out.
    out_ += '"';
    append_hex(out_, value->high >> 32, 8);
    out_ += '-';
    append_hex(out_, value->high >> 16, 4);
    out_ += "-4";
    append_hex(out_, value->high, 3);
    out_ += '-';
    append_hex(out_, 0x8000 | ((value->low >> 48) & 0x3fff), 4);
    out_ += '-';
    append_hex(out_, value->low, 12);
    out_ += '"';
  }
  void hex_id(std::string_view name, std::uint64_t value) {
    if (!key(name)) return;
    out_ += '"';
    append_hex(out_, value, 12);
    out_ += '"';
  }
  void mpn_id(std::string_view name, std::uint32_t value) {
    if (!key(name)) return;
    out_ += '"';
    if (value != 0) append_decimal_digits(out_, value, 1);
    out_ += '"';
  }
  // `array_text` is a JSON array's text: written as it is, or as a string.
  void array(std::string_view name, std::string_view array_text) {
    if (!key(name)) return;
    if (qualifiers_as_array_) {
      out_ += array_text;
    } else {
      append_json_string(out_, array_text);
    }
  }
  void number(std::string_view name, Decimal value) {
    if (!key(name)) return;
    if (numbers_as_strings_) out_ += '"';
    append_decimal(out_, value);
    if (numbers_as_strings_) out_ += '"';
  }
  void money(std::string_view name, std::int64_t cents) { number(name, {cents, kMoneyScale}); }
  void date(std::string_view name, Timestamp value) {
    if (!key(name)) return;
    const year_month_day date{value.day};
    const auto seconds = static_cast<unsigned>(value.second_of_day);
    out_ += '"';
    append_decimal_digits(out_, static_cast<unsigned>(static_cast<int>(date.year())), 4);
    out_ += '-';
    append_decimal_digits(out_, static_cast<unsigned>(date.month()), 2);
    out_ += '-';
    append_decimal_digits(out_, static_cast<unsigned>(date.day()), 2);
    out_ += 'T';
    append_decimal_digits(out_, seconds / 3600, 2);
    out_ += ':';
    append_decimal_digits(out_, seconds / 60 % 60, 2);
    out_ += ':';
    append_decimal_digits(out_, seconds % 60, 2);
    out_ += "Z\"";
  }
  void date(std::string_view name, sys_days day) { date(name, Timestamp{day, 0}); }

  void finish() {
    if (next_column_ != columns_.size()) {
      throw std::logic_error("reconciliation line is missing schema columns");
    }
    out_ += "}\n";
  }

 private:
  bool key(std::string_view name) {
    if (next_column_ >= columns_.size() || columns_[next_column_].name != name) {
      throw std::logic_error(
          fmt::format("reconciliation column {} written out of schema order", name));
    }
    const std::size_t index = next_column_++;
    if (basic_only_ && !columns_[index].in_basic) return false;
    out_ += first_key_ ? "\"" : ",\"";
    out_ += keys_[index];
    out_ += "\":";
    first_key_ = false;
    return true;
  }

  std::string& out_;
  std::span<const Column> columns_;
  std::span<const std::string> keys_;
  bool basic_only_;
  bool numbers_as_strings_;
  bool qualifiers_as_array_;
  std::size_t next_column_ = 0;
  bool first_key_ = true;
};

void write_line(const Invoice& invoice, const Line& line, model::AttributeSet set, const LineFormat& format,
                std::span<const std::string> keys, std::string& out) {
  const InvoiceProfile& profile = invoice.profile;
  const Customer& customer = *line.account->customer;
  const std::int64_t tax_cents =
      multiply_round_half_away(line.subtotal_cents, line.account->tax_basis_points, 10'000);

  LineWriter w(out, set, format, keys);
  w.text("PartnerId", profile.partner_tenant_id);
  w.text("CustomerId", customer.id);
  w.text("CustomerName", customer.name);
  w.text("CustomerDomainName", customer.domain);
  w.text("CustomerCountry", customer.country);
  w.text("InvoiceNumber", profile.invoice_id);
  w.mpn_id("MpnId", invoice.partner_mpn_id);
  w.mpn_id("Tier2MpnId", line.account->reseller_mpn_id);
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
  w.money("Subtotal", line.subtotal_cents);
  w.money("TaxTotal", tax_cents);
  w.money("Total", line.subtotal_cents + tax_cents);
  w.text("Currency", profile.billing_currency);
  w.text("PriceAdjustmentDescription", line.price_adjustment_description);
  w.text("PublisherName", kPublisherName);
  // First-party products have no marketplace publisher id.
  w.text("PublisherId", "");
  w.text("SubscriptionDescription", line.subscription_description);
  w.guid("SubscriptionId", line.subscription_id);
  w.date("ChargeStartDate", line.charge_start);
  w.date("ChargeEndDate", line.charge_end);
  w.text("TermAndBillingCycle", line.term_and_billing_cycle);
  w.number("EffectiveUnitPrice", line.effective_unit_price);
  w.text("UnitType", line.unit_type);
  w.hex_id("AlternateId", line.alternate_id);
  w.number("BillableQuantity", line.billable_quantity);
  w.text("BillingFrequency", line.billing_frequency);
  w.text("PricingCurrency", profile.pricing_currency);
  w.number("PCToBCExchangeRate", {invoice.rate_nano, kRateScale});
  w.date("PCToBCExchangeRateDate", invoice.month.first);
  w.text("MeterDescription", line.meter_description);
  w.guid("ReservationOrderId", line.reservation_order_id);
  w.text("CreditReasonCode", "");
  w.date("SubscriptionStartDate", line.subscription_start);
  w.date("SubscriptionEndDate", line.subscription_end);
  w.guid("ReferenceId", line.reference_id);
  w.array("ProductQualifiers", line.product_qualifiers);
  w.text("PromotionId", line.promotion_id);
  w.text("ProductCategory", line.product_category);
  w.finish();
}

// Most lines of a real invoice are Azure consumption; the rest are seats,
// reservations and software.
constexpr int kUsageLinePercent = 60;

}  // namespace

ReconciliationGenerator::ReconciliationGenerator(InvoiceProfile profile, std::uint64_t seed,
                                                 model::AttributeSet set, LineFormat format)
    : profile_(std::move(profile)), seed_(seed), set_(set), format_(format) {
  for (const Column& column : reconciliation_columns()) keys_.push_back(spell_key(column.name, format_.keys));
  if (profile_.customers.empty()) {
    throw std::invalid_argument(
        fmt::format("invoice {} has no customers to bill", profile_.invoice_id));
  }
  billing_month_of(profile_);  // rejects an invalid month now rather than on the first row
}

void ReconciliationGenerator::append_line(std::uint64_t index, std::string& out) const {
  const Invoice invoice = describe_invoice(profile_, seed_);
  SplitMix64 row = stream_random(invoice.key, Stream::row, index);
  const std::uint64_t customer_count = profile_.customers.size();

  if (row.percent(kUsageLinePercent)) {
    const std::size_t customer_index = row.below(customer_count);
    const Account account = account_of(invoice, customer_index);
    Line line = usage_line(invoice, account, azure_plan_of(invoice, customer_index), row);
    line.reference_id = random_guid(row);
    write_line(invoice, line, set_, format_, keys_, out);
  } else {
    const std::uint64_t slot = row.below(customer_count * kSubscriptionsPerCustomer);
    const Account account = account_of(invoice, slot % customer_count);
    // Outlives `line`, which views its promotion id.
    const Subscription subscription = subscription_of(invoice, slot);
    Line line = license_line(invoice, account, subscription, row);
    line.reference_id = random_guid(row);
    write_line(invoice, line, set_, format_, keys_, out);
  }
}

}  // namespace graphfake::data
