#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace graphfake::data {

struct Customer {
  std::string id;  // GUID
  std::string name;
  std::string domain;   // e.g. fabrikam.onmicrosoft.com
  std::string country;  // ISO 3166 alpha-2
};

// Everything about one billing month that every row of its exports must
// agree on. Billed data belongs to an invoice and is a pure function of (seed,
// invoice id, partner tenant): the same invoice always describes the same
// month, currency and customers. Unbilled data belongs to a currency and a
// month not invoiced yet, and is a pure function of (seed, currency, month,
// partner tenant).
struct InvoiceProfile {
  bool billed = true;
  std::string invoice_id;  // empty for unbilled data
  std::string partner_tenant_id;
  int billing_year = 0;
  int billing_month = 0;  // 1..12
  std::string billing_currency;  // ISO 4217, e.g. "EUR"
  std::string pricing_currency;  // "USD"
  double pc_to_bc_exchange_rate = 1.0;
  std::vector<Customer> customers;
  // A period in progress (unbilled, current) has charges only up to this day
  // of its month; unset, the whole month has.
  std::optional<int> data_through_day;

  // "YYYYMM", as used in blob paths (BillingMonth=...).
  std::string billing_month_yyyymm() const;
};

InvoiceProfile make_invoice_profile(std::uint64_t seed, std::string_view invoice_id,
                                    std::string_view partner_tenant_id);

// The unbilled charges of `month` of `year`, billed in `currency_code` (three
// upper-case letters, ISO 4217), to customers of that currency's market.
// Throws std::invalid_argument for a malformed code or month.
InvoiceProfile make_unbilled_profile(std::uint64_t seed, std::string_view currency_code, int year,
                                     int month, std::string_view partner_tenant_id);

}  // namespace graphfake::data
