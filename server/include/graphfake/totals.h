#pragma once

// What an export's data adds up to.
#include <cstdint>
#include <string>
#include <vector>

#include "graphfake/operations.h"

namespace graphfake {

// Sums of an export's money columns, exact to the last decimal place its
// rows print: what a reconciliation tool that read every row of every blob
// must arrive at.
struct AmountSums {
  std::uint64_t rows = 0;
  std::vector<std::string> sums;  // decimal text ("-1234.50"), one per ExportTotals::columns
};

struct ExportTotals {
  std::string operation_id;
  ExportKind kind = ExportKind::billed_reconciliation;
  // Reconciliation: "Subtotal", "TaxTotal", "Total" (in the row's Currency).
  // Usage: "BillingPreTaxTotal" (in BillingCurrency), "PricingPreTaxTotal"
  // (in PricingCurrency), grouped by BillingCurrency.
  std::vector<std::string> columns;
  int scale = 0;  // decimal places of every sum
  AmountSums all;  // every row; a sum across currencies is only meaningful with one currency
  struct Currency {
    std::string currency;
    AmountSums amounts;
  };
  struct Customer {
    std::string customer_id;
    std::string customer_name;
    std::string currency;
    AmountSums amounts;
  };
  std::vector<Currency> by_currency;  // by currency code
  std::vector<Customer> by_customer;  // by customer id, then currency
};

}  // namespace graphfake
