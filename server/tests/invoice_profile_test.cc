#include "data/invoice_profile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>
#include <string>

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

}  // namespace
}  // namespace graphfake::data
