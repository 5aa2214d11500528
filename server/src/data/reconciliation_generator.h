#pragma once

#include <cstdint>
#include <string>

#include "data/invoice_profile.h"
#include "data/line_source.h"
#include "model/export.h"

namespace graphfake::data {

// Billed invoice reconciliation line items for one invoice. Row `i` is a pure
// function of (seed, profile, attribute set, i).
class ReconciliationGenerator final : public LineSource {
 public:
  ReconciliationGenerator(InvoiceProfile profile, std::uint64_t seed, model::AttributeSet set);

  void append_line(std::uint64_t index, std::string& out) const override;

  const InvoiceProfile& profile() const { return profile_; }

 private:
  InvoiceProfile profile_;
  std::uint64_t seed_;
  model::AttributeSet set_;
};

}  // namespace graphfake::data
