#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/line_source.h"
#include "model/export.h"

namespace graphfake::data {

// Billed invoice reconciliation line items for one invoice. Row `i` is a pure
// function of (seed, profile, attribute set, format, i).
class ReconciliationGenerator final : public LineSource {
 public:
  ReconciliationGenerator(InvoiceProfile profile, std::uint64_t seed, model::AttributeSet set,
                          LineFormat format = {});

  void append_line(std::uint64_t index, std::string& out) const override;

  const InvoiceProfile& profile() const { return profile_; }

 private:
  InvoiceProfile profile_;
  std::uint64_t seed_;
  model::AttributeSet set_;
  LineFormat format_;
  std::vector<std::string> keys_;  // each schema column's key as this format spells it
};

}  // namespace graphfake::data
