#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/line_format.h"
#include "data/schema_column.h"
#include "graphfake/dialect.h"
#include "model/export.h"
#include "model/export_kinds.h"

namespace graphfake::data {

// How a profile prints one column's values. Every choice a profile makes
// about printing lives in its column table (data_profile.cc), one row per key.
enum class NumberStyle : std::uint8_t {
  shortest,             // exact, no trailing zeros: 12.1, 1, 0
  fixed,                // exactly `scale` decimals: 12.10, 0.00
  fixed_zero_exponent,  // exactly `scale` decimals, zero as 0E-<scale>
  java_double,          // as Java prints a double: 1.0, 0.0, 0.0099, 1.7E-4
};
enum class DateStyle : std::uint8_t {
  seconds,       // 2024-03-01T13:05:00Z
  milliseconds,  // 2024-03-01T13:05:00.000Z
  date_only,     // 2024-03-01
};
enum class TextStyle : std::uint8_t {
  as_written,    // the row's value
  always_empty,  // "" on every row
  camel_words,   // "Add quantity" as "addQuantity"
  constant,      // ValueFormat::constant on every row
};

struct ValueFormat {
  bool omitted = false;  // the export has no such key in this profile
  NumberStyle number = NumberStyle::shortest;
  int scale = 0;  // decimals of a fixed number
  DateStyle date = DateStyle::seconds;
  TextStyle text = TextStyle::as_written;
  std::string_view constant{};
  bool zero_as_digit = false;  // a digits column's 0 as "0", not ""
  bool array = false;          // a JSON array value as the array, not its text
};

// One key of a profile's lines, in key order.
struct ProfileColumn {
  std::string_view key;     // as the profile spells it
  std::string_view source;  // the schema column (data/schema_column.h) whose value it prints
  bool in_basic;
  ValueFormat billed;
  ValueFormat unbilled;
};

// The keys of `family`'s lines under `profile`, in order (legacy_camel
// differs from observed only for reconciliation).
std::span<const ProfileColumn> profile_columns(model::ExportFamily family, DataProfile profile);

// The values a profile chooses where it differs in content, not printing.
struct DataVocabulary {
  // Usage: CreditType of a row with neither credit, with partner-earned
  // credit, and with an Azure credit; BenefitType of a row no benefit covers.
  std::string_view credit_not_applied;
  std::string_view partner_earned_credit_applied;
  std::string_view azure_credit_applied;
  std::string_view no_benefit_type;
  // Unbilled usage: PartnerEarnedCreditPercentage is null (absent) on rows
  // whose plan earns none.
  bool unbilled_partner_credit_null_when_none;
  // Reconciliation: the PriceAdjustmentDescription of partner-earned
  // credit and the ProductQualifiers of an add-on, as JSON array text.
  std::string_view partner_earned_credit_adjustment;
  std::string_view add_on_qualifiers;
  // Azure consumption lines: SubscriptionStartDate/EndDate present, and the
  // charge period ending at the last second of its last day.
  bool consumption_subscription_dates;
  bool consumption_period_ends_at_last_second;
  // ReservationOrderId on every line: the SubscriptionId of a license line,
  // a 64-hex-digit hash on an Azure line.
  bool reservation_order_on_every_line;
};

const DataVocabulary& data_vocabulary(DataProfile profile);

// One export's line layout, resolved once per generator: for each schema
// column, where its key goes and how its value prints.
struct LineLayout {
  struct Slot {
    int output = -1;  // key position; -1 when the line has no such key
    ValueFormat format;
  };
  std::vector<Slot> slots;          // by schema column
  std::vector<std::string> keys;    // by key position: the quoted key and its colon, "\"PartnerId\":"
  bool in_schema_order = true;      // key positions rise with schema order
  bool numbers_as_strings = false;  // numeric values quoted
  std::string extra_column;         // "\"name\":\"value\"", or empty
  const DataVocabulary* vocabulary = nullptr;
  int printed_amount_scale = 0;  // decimals the family's amount columns print with
  int amount_scale = 0;          // decimals the rows' amount values are kept at
};

// The documented profile's columns over `schema`: its documented columns,
// each printed in its plainest form.
std::vector<ProfileColumn> documented_columns(std::span<const Column> schema);

// The layout of lines with `columns`' keys whose values come in `schema`'s
// order. Throws std::logic_error if a profile column names a column the
// schema lacks.
LineLayout make_line_layout(std::span<const Column> schema, std::span<const ProfileColumn> columns, bool billed,
                            model::AttributeSet set, const LineFormat& format);

// The layout of `family`'s lines, with its amount columns' scales.
LineLayout make_line_layout(model::ExportFamily family, bool billed, model::AttributeSet set,
                            const LineFormat& format);

}  // namespace graphfake::data
