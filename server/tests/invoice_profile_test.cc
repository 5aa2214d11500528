#include "data/invoice_profile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace graphfake::data {
namespace {

constexpr std::string_view kPartner = "0e195b37-4574-4539-bc42-0e539b9684c0";

bool same_profile(const InvoiceProfile& a, const InvoiceProfile& b) {
  if (a.billing_year != b.billing_year || a.billing_month != b.billing_month ||
      a.billing_currency != b.billing_currency || a.pricing_currency != b.pricing_currency ||
      a.pc_to_bc_exchange_rate != b.pc_to_bc_exchange_rate ||
      a.customers.size() != b.customers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.customers.size(); ++i) {
    const Customer& x = a.customers[i];
    const Customer& y = b.customers[i];
    if (x.id != y.id || x.name != y.name || x.domain != y.domain || x.country != y.country) {
      return false;
    }
  }
  return true;
}

std::string invoice_id(int n) { return "G0" + std::to_string(58'476'700 + n); }

TEST(InvoiceProfile, SameInputsGiveTheSameProfile) {
  const InvoiceProfile a = make_invoice_profile(42, "G058476717", kPartner);
  const InvoiceProfile b = make_invoice_profile(42, "G058476717", kPartner);
  EXPECT_TRUE(same_profile(a, b));
}

TEST(InvoiceProfile, CarriesTheInvoiceAndPartnerItWasMadeFor) {
  const InvoiceProfile profile = make_invoice_profile(42, "G058476717", kPartner);
  EXPECT_EQ(profile.invoice_id, "G058476717");
  EXPECT_EQ(profile.partner_tenant_id, kPartner);
}

TEST(InvoiceProfile, DifferentSeedsGiveDifferentProfiles) {
  const InvoiceProfile a = make_invoice_profile(1, "G058476717", kPartner);
  const InvoiceProfile b = make_invoice_profile(2, "G058476717", kPartner);
  EXPECT_FALSE(same_profile(a, b));
  EXPECT_NE(a.customers.front().id, b.customers.front().id);
}

TEST(InvoiceProfile, DifferentInvoicesGiveDifferentProfiles) {
  const InvoiceProfile a = make_invoice_profile(42, "G058476717", kPartner);
  const InvoiceProfile b = make_invoice_profile(42, "G058476718", kPartner);
  EXPECT_FALSE(same_profile(a, b));
}

TEST(InvoiceProfile, DifferentPartnersGiveDifferentProfiles) {
  const InvoiceProfile a = make_invoice_profile(42, "G058476717", kPartner);
  const InvoiceProfile b =
      make_invoice_profile(42, "G058476717", "6e75cca6-47f0-47a3-a928-9d5315750bd9");
  EXPECT_FALSE(same_profile(a, b));
}

TEST(InvoiceProfile, BillingMonthFallsBetweenFebruary2024AndDecember2025) {
  std::set<int> months_seen;
  for (int n = 0; n < 500; ++n) {
    const InvoiceProfile profile = make_invoice_profile(7, invoice_id(n), kPartner);
    const int month_index = profile.billing_year * 12 + profile.billing_month - 1;
    EXPECT_GE(month_index, 2024 * 12 + 1) << profile.billing_month_yyyymm();
    EXPECT_LE(month_index, 2025 * 12 + 11) << profile.billing_month_yyyymm();
    months_seen.insert(month_index);
  }
  EXPECT_GT(months_seen.size(), 12U);
}

TEST(InvoiceProfile, BillingMonthYyyymmIsZeroPadded) {
  InvoiceProfile profile;
  profile.billing_year = 2024;
  profile.billing_month = 3;
  EXPECT_EQ(profile.billing_month_yyyymm(), "202403");
  profile.billing_month = 10;
  EXPECT_EQ(profile.billing_month_yyyymm(), "202410");
}

TEST(InvoiceProfile, BillingCurrencyComesFromRealisticSetAndPricingIsUsd) {
  const std::set<std::string> known{"USD", "EUR", "GBP", "AUD", "CAD", "INR", "JPY",
                                    "NZD", "SEK", "DKK", "NOK", "CHF", "SGD"};
  std::set<std::string> seen;
  for (int n = 0; n < 500; ++n) {
    const InvoiceProfile profile = make_invoice_profile(7, invoice_id(n), kPartner);
    EXPECT_TRUE(known.contains(profile.billing_currency)) << profile.billing_currency;
    EXPECT_EQ(profile.pricing_currency, "USD");
    seen.insert(profile.billing_currency);
  }
  EXPECT_GE(seen.size(), 6U);
}

TEST(InvoiceProfile, UsdBillingHasExchangeRateOneAndOthersAPlausibleNineDecimalRate) {
  bool saw_usd = false;
  bool saw_other = false;
  for (int n = 0; n < 300; ++n) {
    const InvoiceProfile profile = make_invoice_profile(7, invoice_id(n), kPartner);
    const double rate = profile.pc_to_bc_exchange_rate;
    if (profile.billing_currency == "USD") {
      saw_usd = true;
      EXPECT_EQ(rate, 1.0);
      continue;
    }
    saw_other = true;
    EXPECT_GT(rate, 0.5) << profile.billing_currency;
    EXPECT_LT(rate, 200.0) << profile.billing_currency;
    EXPECT_NE(rate, 1.0);
    const double nano = rate * 1e9;
    EXPECT_NEAR(nano, std::round(nano), 1e-3) << "more than 9 decimals: " << rate;
  }
  EXPECT_TRUE(saw_usd);
  EXPECT_TRUE(saw_other);
}

TEST(InvoiceProfile, HasThreeToTwelveCustomersWithGuidIdsAndOnmicrosoftDomains) {
  const std::regex guid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const std::regex domain("[a-z0-9]+\\.onmicrosoft\\.com");
  const std::regex country("[A-Z]{2}");
  std::set<std::size_t> counts;
  for (int n = 0; n < 200; ++n) {
    const InvoiceProfile profile = make_invoice_profile(7, invoice_id(n), kPartner);
    EXPECT_GE(profile.customers.size(), 3U);
    EXPECT_LE(profile.customers.size(), 12U);
    counts.insert(profile.customers.size());
    for (const Customer& customer : profile.customers) {
      EXPECT_TRUE(std::regex_match(customer.id, guid)) << customer.id;
      EXPECT_TRUE(std::regex_match(customer.domain, domain)) << customer.domain;
      EXPECT_TRUE(std::regex_match(customer.country, country)) << customer.country;
      EXPECT_FALSE(customer.name.empty());
    }
  }
  EXPECT_TRUE(counts.contains(3));
  EXPECT_TRUE(counts.contains(12));
}

TEST(InvoiceProfile, CustomersOfOneInvoiceAreDistinct) {
  for (int n = 0; n < 200; ++n) {
    const InvoiceProfile profile = make_invoice_profile(7, invoice_id(n), kPartner);
    std::set<std::string> ids;
    std::set<std::string> names;
    std::set<std::string> domains;
    for (const Customer& customer : profile.customers) {
      ids.insert(customer.id);
      names.insert(customer.name);
      domains.insert(customer.domain);
    }
    EXPECT_EQ(ids.size(), profile.customers.size());
    EXPECT_EQ(names.size(), profile.customers.size());
    EXPECT_EQ(domains.size(), profile.customers.size());
  }
}

TEST(InvoiceProfile, CustomerCountriesFitTheBillingCurrency) {
  const std::set<std::string> euro_area{"DE", "FR", "NL", "IE", "ES", "IT", "AT", "BE", "FI"};
  for (int n = 0; n < 300; ++n) {
    const InvoiceProfile profile = make_invoice_profile(7, invoice_id(n), kPartner);
    for (const Customer& customer : profile.customers) {
      if (profile.billing_currency == "EUR") {
        EXPECT_TRUE(euro_area.contains(customer.country)) << customer.country;
      } else if (profile.billing_currency == "GBP") {
        EXPECT_EQ(customer.country, "GB");
      } else if (profile.billing_currency == "INR") {
        EXPECT_EQ(customer.country, "IN");
      }
    }
  }
}

// --- unbilled profiles ----------------------------------------------------------

TEST(UnbilledProfile, IsInTheRequestedCurrencyAndMonthWithoutAnInvoice) {
  const InvoiceProfile profile = make_unbilled_profile(42, "BRL", 2025, 7, kPartner);
  EXPECT_FALSE(profile.billed);
  EXPECT_EQ(profile.invoice_id, "");
  EXPECT_EQ(profile.partner_tenant_id, kPartner);
  EXPECT_EQ(profile.billing_currency, "BRL");
  EXPECT_EQ(profile.pricing_currency, "USD");
  EXPECT_EQ(profile.billing_month_yyyymm(), "202507");
  EXPECT_FALSE(profile.customers.empty());
}

TEST(UnbilledProfile, SameInputsGiveTheSameProfile) {
  EXPECT_TRUE(same_profile(make_unbilled_profile(42, "EUR", 2025, 7, kPartner),
                           make_unbilled_profile(42, "EUR", 2025, 7, kPartner)));
}

TEST(UnbilledProfile, SeedCurrencyMonthAndPartnerEachChangeTheProfile) {
  const InvoiceProfile base = make_unbilled_profile(42, "EUR", 2025, 7, kPartner);
  EXPECT_FALSE(same_profile(base, make_unbilled_profile(43, "EUR", 2025, 7, kPartner)));
  EXPECT_FALSE(same_profile(base, make_unbilled_profile(42, "GBP", 2025, 7, kPartner)));
  EXPECT_FALSE(same_profile(base, make_unbilled_profile(42, "EUR", 2025, 8, kPartner)));
  EXPECT_FALSE(same_profile(base, make_unbilled_profile(42, "EUR", 2024, 7, kPartner)));
  EXPECT_FALSE(same_profile(
      base, make_unbilled_profile(42, "EUR", 2025, 7, "6e75cca6-47f0-47a3-a928-9d5315750bd9")));
}

TEST(UnbilledProfile, CustomersComeFromTheCurrencysMarket) {
  const std::vector<std::pair<std::string, std::string>> markets{
      {"BRL", "BR"}, {"ZAR", "ZA"}, {"KRW", "KR"}, {"MXN", "MX"}, {"PLN", "PL"}, {"CZK", "CZ"},
      {"HUF", "HU"}, {"TRY", "TR"}, {"HKD", "HK"}, {"TWD", "TW"}, {"THB", "TH"}, {"MYR", "MY"},
      {"IDR", "ID"}, {"PHP", "PH"}, {"ILS", "IL"}, {"AED", "AE"}, {"SAR", "SA"}, {"CNY", "CN"},
      {"EGP", "EG"}, {"NGN", "NG"}, {"KES", "KE"}, {"ARS", "AR"}, {"CLP", "CL"}, {"COP", "CO"},
      {"PEN", "PE"}, {"GBP", "GB"}, {"JPY", "JP"}};
  for (const auto& [currency, country] : markets) {
    const InvoiceProfile profile = make_unbilled_profile(7, currency, 2025, 3, kPartner);
    for (const Customer& customer : profile.customers) {
      EXPECT_EQ(customer.country, country) << currency;
    }
  }
}

TEST(UnbilledProfile, MarketRatesAreWithinFivePercentOfTheUsualRate) {
  const std::vector<std::pair<std::string, double>> usual{
      {"BRL", 5.0}, {"KRW", 1350.0}, {"IDR", 15700.0}, {"AED", 3.6725}, {"CLP", 930.0}, {"EUR", 0.92}};
  for (const auto& [currency, rate] : usual) {
    for (int month = 1; month <= 12; ++month) {
      const double actual = make_unbilled_profile(7, currency, 2025, month, kPartner).pc_to_bc_exchange_rate;
      EXPECT_NEAR(actual, rate, rate * 0.05) << currency;
      const double nano = actual * 1e9;
      EXPECT_NEAR(nano, std::round(nano), 1e-3) << "more than 9 decimals: " << actual;
    }
  }
}

TEST(UnbilledProfile, UsdHasExchangeRateOne) {
  EXPECT_EQ(make_unbilled_profile(7, "USD", 2025, 3, kPartner).pc_to_bc_exchange_rate, 1.0);
}

TEST(UnbilledProfile, CurrencyWithoutAMarketGetsUsCustomersAndASeededRate) {
  std::set<double> rates;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const InvoiceProfile profile = make_unbilled_profile(seed, "VND", 2025, 3, kPartner);
    EXPECT_EQ(profile.billing_currency, "VND");
    for (const Customer& customer : profile.customers) EXPECT_EQ(customer.country, "US");
    // 0.5 to 50, give or take the ±4% every market's rate drifts by.
    EXPECT_GE(profile.pc_to_bc_exchange_rate, 0.48);
    EXPECT_LE(profile.pc_to_bc_exchange_rate, 52.1);
    EXPECT_EQ(profile.pc_to_bc_exchange_rate,
              make_unbilled_profile(seed, "VND", 2025, 3, kPartner).pc_to_bc_exchange_rate);
    rates.insert(profile.pc_to_bc_exchange_rate);
  }
  EXPECT_GT(rates.size(), 15U);
}

TEST(UnbilledProfile, RejectsAMalformedCurrencyCode) {
  for (const char* code : {"usd", "US", "EURO", "", "U1D"}) {
    EXPECT_THROW(make_unbilled_profile(7, code, 2025, 3, kPartner), std::invalid_argument) << code;
  }
}

TEST(UnbilledProfile, RejectsAMonthOutsideOneToTwelve) {
  EXPECT_THROW(make_unbilled_profile(7, "USD", 2025, 0, kPartner), std::invalid_argument);
  EXPECT_THROW(make_unbilled_profile(7, "USD", 2025, 13, kPartner), std::invalid_argument);
}

TEST(InvoiceProfile, IsBilled) {
  EXPECT_TRUE(make_invoice_profile(42, "G058476717", kPartner).billed);
}

}  // namespace
}  // namespace graphfake::data
