#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace graphfake::data {

// The money one row carries, as a totals report sums it.
struct RowAmounts {
  static constexpr std::size_t kMaxColumns = 3;

  std::string_view customer_id;
  std::string_view customer_name;
  std::string_view currency;  // the currency the row is billed in
  // In the order of LineSource::amount_columns(), fixed point at
  // LineSource::amount_scale() decimal places, exactly as the row prints them.
  std::array<std::int64_t, kMaxColumns> values{};
};

// A data file is a sequence of JSON Lines addressed by row index. Producing
// any row must not require producing the rows before it, so that blobs (and
// ranges inside them) can start anywhere.
class LineSource {
 public:
  virtual ~LineSource() = default;
  // Appends row `index` as one JSON object followed by '\n'.
  virtual void append_line(std::uint64_t index, std::string& out) const = 0;

  // The money columns a totals report sums ("Subtotal", "TaxTotal", "Total"
  // for reconciliation), at most RowAmounts::kMaxColumns of them. A source
  // without money (test lines) has none.
  virtual std::span<const std::string_view> amount_columns() const { return {}; }
  // Decimal places the amount values are kept at.
  virtual int amount_scale() const { return 0; }
  // Decimal places the lines print every amount column with, at least
  // amount_scale(): the values padded with zeros.
  virtual int printed_amount_scale() const { return amount_scale(); }
  // Row `index`'s amounts, the same values append_line writes.
  virtual RowAmounts amounts(std::uint64_t /*index*/) const { return {}; }
  // A digest of what the lines are made from, different whenever their text
  // is (another seed, profile, format or attribute set), known without
  // making them: it goes into a blob's ETag. Sources whose text never
  // changes (test lines) keep 0.
  virtual std::uint64_t content_digest() const { return 0; }
};

}  // namespace graphfake::data
