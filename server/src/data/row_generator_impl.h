#pragma once

// The members of RowGenerator, for the family source files that instantiate it.
//
// `Rows` provides:
//   static constexpr model::ExportFamily kFamily;  // its columns and amounts: data/export_family.h
//   template <typename Use>
//   static void with_row(const InvoiceProfile&, const BillingContext&, std::uint64_t index, Use&& use);
//       builds row `index` and calls use(row); the row may view values that
//       live only as long as the call
//   static void write(JsonLineWriter&, const InvoiceProfile&, const BillingContext&, const Row&);
//       every column of the family's schema, in order
//   static const Customer& customer(const Row&);
//   static std::array<std::int64_t, RowAmounts::kMaxColumns> amounts(const Row&);
//       in the order of the family's amount columns, as `write` prints them

#include <utility>

#include "core/ids.h"
#include "data/export_family.h"
#include "data/json_line_writer.h"
#include "data/row_generator.h"

namespace graphfake::data {

template <typename Rows>
RowGenerator<Rows>::RowGenerator(InvoiceProfile profile, std::uint64_t seed, model::AttributeSet set,
                                 LineFormat format)
    : profile_(std::move(profile)),
      context_(describe_billing(profile_, seed)),
      layout_(make_line_layout(Rows::kFamily, profile_.billed, set, format)) {
  std::string first_row;
  append_line(0, first_row);
  content_digest_ = core::hash64(first_row, 0);
}

template <typename Rows>
void RowGenerator<Rows>::append_line(std::uint64_t index, std::string& out) const {
  Rows::with_row(profile_, context_, index, [&](const auto& row) {
    JsonLineWriter writer(out, family_data(Rows::kFamily).columns, layout_);
    Rows::write(writer, profile_, context_, row);
    writer.finish();
  });
}

template <typename Rows>
std::span<const std::string_view> RowGenerator<Rows>::amount_columns() const {
  return family_data(Rows::kFamily).amount_columns;
}

template <typename Rows>
int RowGenerator<Rows>::amount_scale() const {
  return family_data(Rows::kFamily).amount_scale;
}

template <typename Rows>
int RowGenerator<Rows>::printed_amount_scale() const {
  return layout_.printed_amount_scale;
}

template <typename Rows>
RowAmounts RowGenerator<Rows>::amounts(std::uint64_t index) const {
  RowAmounts amounts;
  Rows::with_row(profile_, context_, index, [&](const auto& row) {
    const Customer& customer = Rows::customer(row);
    amounts.customer_id = customer.id;
    amounts.customer_name = customer.name;
    amounts.values = Rows::amounts(row);
  });
  // Every family's rows are billed in the profile's currency.
  amounts.currency = profile_.billing_currency;
  return amounts;
}

}  // namespace graphfake::data
