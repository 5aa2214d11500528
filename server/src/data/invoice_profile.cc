#include "data/invoice_profile.h"

#include <fmt/format.h>

#include <array>
#include <numeric>
#include <span>
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
  int weight;                  // how common among CSP partners
  std::span<const std::string_view> countries;
};

constexpr std::array<std::string_view, 7> kUsdCountries{"US", "US", "US", "US", "MX", "CL", "CO"};
constexpr std::array<std::string_view, 10> kEurCountries{"DE", "DE", "FR", "NL", "IE",
                                                         "ES", "IT", "AT", "BE", "FI"};
constexpr std::array<std::string_view, 1> kGbpCountries{"GB"};
constexpr std::array<std::string_view, 1> kAudCountries{"AU"};
constexpr std::array<std::string_view, 1> kCadCountries{"CA"};
constexpr std::array<std::string_view, 1> kInrCountries{"IN"};
constexpr std::array<std::string_view, 1> kJpyCountries{"JP"};
constexpr std::array<std::string_view, 1> kNzdCountries{"NZ"};
constexpr std::array<std::string_view, 1> kSekCountries{"SE"};
constexpr std::array<std::string_view, 1> kDkkCountries{"DK"};
constexpr std::array<std::string_view, 1> kNokCountries{"NO"};
constexpr std::array<std::string_view, 1> kChfCountries{"CH"};
constexpr std::array<std::string_view, 1> kSgdCountries{"SG"};

constexpr std::array<CurrencyMarket, 13> kMarkets{{
    {"USD", 1'000'000'000, 30, kUsdCountries},
    {"EUR", 920'000'000, 25, kEurCountries},
    {"GBP", 790'000'000, 10, kGbpCountries},
    {"AUD", 1'520'000'000, 8, kAudCountries},
    {"CAD", 1'360'000'000, 6, kCadCountries},
    {"INR", 83'500'000'000, 6, kInrCountries},
    {"JPY", 150'000'000'000, 5, kJpyCountries},
    {"NZD", 1'650'000'000, 3, kNzdCountries},
    {"SEK", 10'500'000'000, 2, kSekCountries},
    {"DKK", 6'900'000'000, 2, kDkkCountries},
    {"NOK", 10'600'000'000, 1, kNokCountries},
    {"CHF", 880'000'000, 1, kChfCountries},
    {"SGD", 1'340'000'000, 1, kSgdCountries},
}};

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
  static constexpr std::array<Form, 24> kForms{{
      {"US", "Inc."},   {"MX", "S.A. de C.V."}, {"CL", "SpA"},       {"DE", "GmbH"},
      {"FR", "SAS"},    {"NL", "B.V."},         {"IE", "Ltd"},       {"ES", "S.L."},
      {"IT", "S.r.l."}, {"AT", "GmbH"},         {"BE", "BV"},        {"FI", "Oy"},
      {"GB", "Ltd"},    {"AU", "Pty Ltd"},      {"CA", "Inc."},      {"IN", "Pvt. Ltd."},
      {"JP", "K.K."},   {"NZ", "Limited"},      {"SE", "AB"},        {"DK", "ApS"},
      {"NO", "AS"},     {"CH", "AG"},           {"SG", "Pte. Ltd."}, {"CO", "S.A.S."},
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
    // Partial Fisher-Yates: names (and so domains) never repeat in one invoice.
    const std::size_t pick = i + below(random, order.size() - i);
    std::swap(order[i], order[pick]);
    const CompanyName& company = kCompanies[order[i]];
    const std::string_view country = market.countries[below(random, market.countries.size())];

    Customer customer;
    customer.id = random.guid();
    customer.name = fmt::format("{} {}", company.name, legal_form(country));
    customer.domain = fmt::format("{}.onmicrosoft.com", company.slug);
    customer.country = std::string(country);
    customers.push_back(std::move(customer));
  }
  return customers;
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
  // next to the spec's real-world examples.
  constexpr int kFirstMonthIndex = 2024 * 12 + 1;
  constexpr int kMonthCount = 23;
  const int month_index = kFirstMonthIndex + between(random, 0, kMonthCount - 1);
  profile.billing_year = month_index / 12;
  profile.billing_month = month_index % 12 + 1;

  const CurrencyMarket& market = pick_market(random);
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
  return profile;
}

}  // namespace graphfake::data
