#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/billing_context.h"
#include "data/data_profile.h"
#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/line_source.h"
#include "model/export.h"

namespace graphfake::data {

// What the generators of every export family share: the rows of one profile
// under one seed, row `i` a pure function of (seed, profile, attribute set,
// format, i), each line written through the family's schema and its amounts
// read from the same row. `Rows` is a family's row content (what it must
// provide: row_generator_impl.h); each family's source file defines it and
// instantiates its generator there, once.
template <typename Rows>
class RowGenerator final : public LineSource {
 public:
  // Throws std::invalid_argument for a profile without customers or a valid month.
  RowGenerator(InvoiceProfile profile, std::uint64_t seed, model::AttributeSet set, LineFormat format = {});

  void append_line(std::uint64_t index, std::string& out) const override;
  std::span<const std::string_view> amount_columns() const override;
  int amount_scale() const override;
  int printed_amount_scale() const override;
  RowAmounts amounts(std::uint64_t index) const override;
  std::uint64_t content_digest() const override { return content_digest_; }

 private:
  InvoiceProfile profile_;
  BillingContext context_;
  LineLayout layout_;  // the keys and printing of this format's lines
  // Of the first row's text: its keys, their printing and the seeded values.
  std::uint64_t content_digest_ = 0;
};

}  // namespace graphfake::data
