#include "data/invoice_profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "core/ids.h"

namespace graphfake::data {
namespace {

// Profiles are made once per invoice, so the shared (locking) id generator is
// cheap enough; modulo bias is irrelevant for these small ranges.
std::uint64_t below(core::IdGenerator& random, std::uint64_t bound) {
  return random.next() % bound;
}

int between(core::IdGenerator& random, int low, int high) {
  return low + static_cast<int>(below(random, static_cast<std::uint64_t>(high - low) + 1));
}

struct CurrencyMarket {
  std::string_view code;
  std::int64_t usd_rate_nano;  // typical USD→currency rate, in 1e-9 units
  // How common among CSP partners' invoices. The markets after the first
  // thirteen weigh 0, so that the invoices existing seeds describe stay as
  // they were: they serve unbilled data asked for in their currency.
  int weight;
  // Where its customers are: ISO 3166 codes separated by spaces, a country
  // listed as often as it is likely.
  std::string_view countries;

  std::size_t country_count() const { return (countries.size() + 1) / 3; }
  std::string_view country(std::size_t index) const { return countries.substr(index * 3, 2); }
};

constexpr std::array<CurrencyMarket, 38> kMarkets{{
    {"USD", 1'000'000'000, 30, "US US US US MX CL CO"},
    {"EUR", 920'000'000, 25, "DE DE FR NL IE ES IT AT BE FI"},
    {"GBP", 790'000'000, 10, "GB"},
    {"AUD", 1'520'000'000, 8, "AU"},
    {"CAD", 1'360'000'000, 6, "CA"},
    {"INR", 83'500'000'000, 6, "IN"},
    {"JPY", 150'000'000'000, 5, "JP"},
    {"NZD", 1'650'000'000, 3, "NZ"},
    {"SEK", 10'500'000'000, 2, "SE"},
    {"DKK", 6'900'000'000, 2, "DK"},
    {"NOK", 10'600'000'000, 1, "NO"},
    {"CHF", 880'000'000, 1, "CH"},
    {"SGD", 1'340'000'000, 1, "SG"},
    {"BRL", 5'000'000'000, 0, "BR"},
    {"ZAR", 18'500'000'000, 0, "ZA"},
    {"KRW", 1'350'000'000'000, 0, "KR"},
    {"MXN", 17'500'000'000, 0, "MX"},
    {"PLN", 4'000'000'000, 0, "PL"},
    {"CZK", 23'000'000'000, 0, "CZ"},
    {"HUF", 360'000'000'000, 0, "HU"},
    {"TRY", 32'000'000'000, 0, "TR"},
    {"HKD", 7'800'000'000, 0, "HK"},
    {"TWD", 32'000'000'000, 0, "TW"},
    {"THB", 36'000'000'000, 0, "TH"},
    {"MYR", 4'700'000'000, 0, "MY"},
    {"IDR", 15'700'000'000'000, 0, "ID"},
    {"PHP", 56'000'000'000, 0, "PH"},
    {"ILS", 3'700'000'000, 0, "IL"},
    {"AED", 3'672'500'000, 0, "AE"},
    {"SAR", 3'750'000'000, 0, "SA"},
    {"CNY", 7'200'000'000, 0, "CN"},
    {"EGP", 48'000'000'000, 0, "EG"},
    {"NGN", 1'500'000'000'000, 0, "NG"},
    {"KES", 130'000'000'000, 0, "KE"},
    {"ARS", 900'000'000'000, 0, "AR"},
    {"CLP", 930'000'000'000, 0, "CL"},
    {"COP", 3'950'000'000'000, 0, "CO"},
    {"PEN", 3'750'000'000, 0, "PE"},
}};

// A currency outside the table has no market of its own: its customers are in
// the US, the largest CSP market, and its rate is drawn (see
// make_unbilled_profile).
constexpr std::string_view kFallbackCountries = "US";

const CurrencyMarket& pick_market(core::IdGenerator& random) {
  const int total =
      std::accumulate(kMarkets.begin(), kMarkets.end(), 0,
                      [](int sum, const CurrencyMarket& m) { return sum + m.weight; });
  int ticket = between(random, 0, total - 1);
  for (const CurrencyMarket& market : kMarkets) {
    if (ticket < market.weight) return market;
    ticket -= market.weight;
  }
  return kMarkets.front();
}

struct CompanyName {
  std::string_view name;
  std::string_view slug;  // explicit, so non-ASCII names still get ASCII domains
};

// Microsoft's own fictitious companies, plus two non-ASCII names so that
// clients meet real UTF-8 in customer names.
constexpr std::array<CompanyName, 32> kCompanies{{
    {"Contoso", "contoso"},
    {"Fabrikam", "fabrikam"},
    {"Northwind Traders", "northwindtraders"},
    {"Adventure Works", "adventureworks"},
    {"Tailspin Toys", "tailspintoys"},
    {"Wingtip Toys", "wingtiptoys"},
    {"Woodgrove Bank", "woodgrovebank"},
    {"Litware", "litware"},
    {"Proseware", "proseware"},
    {"Alpine Ski House", "alpineskihouse"},
    {"Coho Winery", "cohowinery"},
    {"Lucerne Publishing", "lucernepublishing"},
    {"Margie's Travel", "margiestravel"},
    {"Trey Research", "treyresearch"},
    {"Wide World Importers", "wideworldimporters"},
    {"Fourth Coffee", "fourthcoffee"},
    {"Humongous Insurance", "humongousinsurance"},
    {"Blue Yonder Airlines", "blueyonderairlines"},
    {"Relecloud", "relecloud"},
    {"A. Datum Corporation", "adatum"},
    {"Graphic Design Institute", "graphicdesigninstitute"},
    {"Southridge Video", "southridgevideo"},
    {"VanArsdel", "vanarsdel"},
    {"Bellows College", "bellowscollege"},
    {"Best For You Organics", "bestforyouorganics"},
    {"Consolidated Messenger", "consolidatedmessenger"},
    {"City Power & Light", "citypowerlight"},
    {"Lamna Healthcare", "lamnahealthcare"},
    {"First Up Consultants", "firstupconsultants"},
    {"Nod Publishers", "nodpublishers"},
    {"Müller Präzisionstechnik", "muellerpraezision"},
    {"Café Lumière", "cafelumiere"},
}};

std::string_view legal_form(std::string_view country) {
  struct Form {
    std::string_view country;
    std::string_view suffix;
  };
  static constexpr std::array<Form, 46> kForms{{
      {"US", "Inc."},       {"MX", "S.A. de C.V."}, {"CL", "SpA"},        {"DE", "GmbH"},
      {"FR", "SAS"},        {"NL", "B.V."},         {"IE", "Ltd"},        {"ES", "S.L."},
      {"IT", "S.r.l."},     {"AT", "GmbH"},         {"BE", "BV"},         {"FI", "Oy"},
      {"GB", "Ltd"},        {"AU", "Pty Ltd"},      {"CA", "Inc."},       {"IN", "Pvt. Ltd."},
      {"JP", "K.K."},       {"NZ", "Limited"},      {"SE", "AB"},         {"DK", "ApS"},
      {"NO", "AS"},         {"CH", "AG"},           {"SG", "Pte. Ltd."},  {"CO", "S.A.S."},
      {"BR", "Ltda."},      {"ZA", "(Pty) Ltd"},    {"KR", "Co., Ltd."},  {"PL", "Sp. z o.o."},
      {"CZ", "s.r.o."},     {"HU", "Kft."},         {"TR", "A.Ş."},       {"HK", "Limited"},
      {"TW", "Co., Ltd."},  {"TH", "Co., Ltd."},    {"MY", "Sdn. Bhd."},  {"ID", "Tbk."},
      {"PH", "Inc."},       {"IL", "Ltd."},         {"AE", "LLC"},        {"SA", "LLC"},
      {"CN", "Co., Ltd."},  {"EG", "S.A.E."},       {"NG", "Ltd"},        {"KE", "Ltd"},
      {"AR", "S.A."},       {"PE", "S.A.C."},
  }};
  for (const Form& form : kForms) {
    if (form.country == country) return form.suffix;
  }
  return "Ltd";
}

std::vector<Customer> make_customers(core::IdGenerator& random, const CurrencyMarket& market) {
  const int count = between(random, 3, 12);
  std::array<std::size_t, kCompanies.size()> order{};
  std::iota(order.begin(), order.end(), std::size_t{0});

  std::vector<Customer> customers;
  customers.reserve(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
    // Partial Fisher-Yates: names (and so domains) never repeat in one profile.
    const std::size_t pick = i + below(random, order.size() - i);
    std::swap(order[i], order[pick]);
    const CompanyName& company = kCompanies[order[i]];
    const std::string_view country = market.country(below(random, market.country_count()));

    Customer customer;
    customer.id = random.guid();
    customer.name = fmt::format("{} {}", company.name, legal_form(country));
    customer.domain = fmt::format("{}.onmicrosoft.com", company.slug);
    customer.country = std::string(country);
    customers.push_back(std::move(customer));
  }
  return customers;
}

// Bills `profile` in `market`'s currency at about its usual rate, to customers
// of the market.
void bill_in(core::IdGenerator& random, const CurrencyMarket& market, InvoiceProfile& profile) {
  profile.billing_currency = std::string(market.code);
  profile.pricing_currency = "USD";
  if (market.code != "USD") {
    // Within ±4% of the typical rate, at the 9 decimals Partner Center quotes.
    const std::int64_t drift_basis_points = between(random, -400, 400);
    const std::int64_t rate_nano = market.usd_rate_nano +
                                   market.usd_rate_nano / 10'000 * drift_basis_points +
                                   between(random, 0, 999'999);
    profile.pc_to_bc_exchange_rate = static_cast<double>(rate_nano) / 1e9;
  }
  profile.customers = make_customers(random, market);
}

}  // namespace

std::string InvoiceProfile::billing_month_yyyymm() const {
  return fmt::format("{:04}{:02}", billing_year, billing_month);
}

InvoiceProfile make_invoice_profile(std::uint64_t seed, std::string_view invoice_id,
                                    std::string_view partner_tenant_id) {
  core::IdGenerator random(core::hash64(partner_tenant_id, core::hash64(invoice_id, seed)));

  InvoiceProfile profile;
  profile.invoice_id = std::string(invoice_id);
  profile.partner_tenant_id = std::string(partner_tenant_id);

  // February 2024 .. December 2025: recent enough that the months look current
  // next to real manifests (2024, observed) and the Graph docs' examples.
  constexpr int kFirstMonthIndex = 2024 * 12 + 1;
  constexpr int kMonthCount = 23;
  const int month_index = kFirstMonthIndex + between(random, 0, kMonthCount - 1);
  profile.billing_year = month_index / 12;
  profile.billing_month = month_index % 12 + 1;

  bill_in(random, pick_market(random), profile);
  return profile;
}

InvoiceProfile make_unbilled_profile(std::uint64_t seed, std::string_view currency_code, int year,
                                     int month, std::string_view partner_tenant_id) {
  const bool well_formed = currency_code.size() == 3 &&
                           std::all_of(currency_code.begin(), currency_code.end(),
                                       [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!well_formed) {
    throw std::invalid_argument(
        fmt::format("'{}' is not an ISO 4217 currency code", currency_code));
  }
  if (month < 1 || month > 12) {
    throw std::invalid_argument(fmt::format("{}-{} is not a billing month", year, month));
  }

  InvoiceProfile profile;
  profile.billed = false;
  profile.partner_tenant_id = std::string(partner_tenant_id);
  profile.billing_year = year;
  profile.billing_month = month;
  core::IdGenerator random(core::hash64(
      partner_tenant_id,
      core::hash64(fmt::format("unbilled/{}/{}", currency_code, profile.billing_month_yyyymm()),
                   seed)));

  const auto* known = std::find_if(kMarkets.begin(), kMarkets.end(),
                                   [&](const CurrencyMarket& m) { return m.code == currency_code; });
  if (known != kMarkets.end()) {
    bill_in(random, *known, profile);
  } else {
    // A usual rate anywhere from 0.5 to 50 units per dollar, drawn like the
    // rest of the profile, so the same request always gets the same rate.
    const auto usd_rate_nano = static_cast<std::int64_t>(500'000'000 + below(random, 49'500'000'001));
    bill_in(random, {currency_code, usd_rate_nano, 0, kFallbackCountries}, profile);
  }
  return profile;
}

}  // namespace graphfake::data
