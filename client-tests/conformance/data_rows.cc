#include "conformance/data_rows.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace graphfake::conformance {
namespace {

// One top-level member of a row, as written: a number's text keeps its
// decimal places ("0E-20", "28.80"), which a parsed double loses.
enum class ValueType { null, boolean, number, string, array, object };
struct Member {
  std::string key;
  ValueType type = ValueType::null;
  std::string text;  // a number's text, a string's value
};

// Reads a row's top-level members in order, without building the row.
class TopLevelMembers {
 public:
  std::vector<Member> members;
  bool is_object = false;

  bool null() { return value(ValueType::null, ""); }
  bool boolean(bool) { return value(ValueType::boolean, ""); }
  bool number_integer(Json::number_integer_t number) { return value(ValueType::number, std::to_string(number)); }
  bool number_unsigned(Json::number_unsigned_t number) { return value(ValueType::number, std::to_string(number)); }
  bool number_float(Json::number_float_t, const std::string& text) { return value(ValueType::number, text); }
  bool string(std::string& text) { return value(ValueType::string, text); }
  bool binary(Json::binary_t&) { return value(ValueType::string, ""); }
  bool start_object(std::size_t) {
    if (depth_ == 0) {
      is_object = true;
    } else {
      value(ValueType::object, "");
    }
    ++depth_;
    return true;
  }
  bool key(std::string& name) {
    if (depth_ == 1) key_ = name;
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    if (depth_ == 0) return false;  // not an object: stop here
    value(ValueType::array, "");
    ++depth_;
    return true;
  }
  bool end_array() {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  bool value(ValueType type, const std::string& text) {
    if (depth_ == 0) return false;  // a scalar row: not an object
    if (depth_ == 1) members.push_back({key_, type, text});
    return true;
  }
  int depth_ = 0;
  std::string key_;
};

// A decimal as written: "-12.50", "0E-20", "1.5e3".
struct DecimalText {
  int scale = 0;  // fraction digits less the exponent, as Java's BigDecimal counts them
  bool zero = false;
  bool exponent_form = false;
  bool shortest = false;  // no trailing zero in the fraction but for "1.0"
};

std::optional<DecimalText> read_decimal(std::string_view text) {
  std::size_t at = 0;
  if (at < text.size() && text[at] == '-') ++at;
  const std::size_t integer_start = at;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
  if (at == integer_start) return std::nullopt;
  bool zero = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(integer_start),
                          text.begin() + static_cast<std::ptrdiff_t>(at), [](char c) { return c == '0'; });
  std::string_view fraction;
  if (at < text.size() && text[at] == '.') {
    const std::size_t fraction_start = ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
    if (at == fraction_start) return std::nullopt;
    fraction = text.substr(fraction_start, at - fraction_start);
    zero = zero && fraction.find_first_not_of('0') == std::string_view::npos;
  }
  int exponent = 0;
  const bool exponent_form = at < text.size() && (text[at] == 'e' || text[at] == 'E');
  if (exponent_form) {
    ++at;
    const bool negative = at < text.size() && text[at] == '-';
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
    const std::size_t exponent_start = at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) && exponent < 100000) {
      exponent = exponent * 10 + (text[at++] - '0');
    }
    if (at == exponent_start) return std::nullopt;
    if (negative) exponent = -exponent;
  }
  if (at != text.size()) return std::nullopt;
  const bool fraction_shortest = fraction.empty() || fraction == "0" || fraction.back() != '0';
  return DecimalText{.scale = static_cast<int>(fraction.size()) - exponent,
                     .zero = zero,
                     .exponent_form = exponent_form,
                     .shortest = fraction_shortest && !(zero && exponent_form)};
}

// How a date column's value is written.
enum class DateForm { milliseconds, seconds, other_fraction, offset, date_only, empty };

std::string_view pattern_of(DateForm form) {
  switch (form) {
    case DateForm::milliseconds: return "YYYY-MM-DDThh:mm:ss.fffZ";
    case DateForm::seconds: return "YYYY-MM-DDThh:mm:ssZ";
    case DateForm::other_fraction: return "YYYY-MM-DDThh:mm:ss with other than 3 fraction digits";
    case DateForm::offset: return "a timestamp with a numeric offset";
    case DateForm::date_only: return "YYYY-MM-DD";
    case DateForm::empty: return "\"\"";
  }
  return "";
}

// Digits where `shape` has 'd', the same character elsewhere.
bool has_shape(std::string_view text, std::string_view shape) {
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(text[i])) : text[i] != shape[i]) return false;
  }
  return true;
}

std::optional<DateForm> date_form_of(std::string_view text) {
  if (text.empty()) return DateForm::empty;
  if (has_shape(text, "dddd-dd-dd")) return DateForm::date_only;
  if (text.size() < 19 || !has_shape(text.substr(0, 19), "dddd-dd-ddTdd:dd:dd")) return std::nullopt;
  std::string_view rest = text.substr(19);
  std::size_t fraction_digits = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (fraction_digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[fraction_digits]))) {
      ++fraction_digits;
    }
    if (fraction_digits == 0 || fraction_digits > 7) return std::nullopt;
    rest.remove_prefix(fraction_digits);
  }
  if (rest == "Z") {
    if (fraction_digits == 0) return DateForm::seconds;
    return fraction_digits == 3 ? DateForm::milliseconds : DateForm::other_fraction;
  }
  if (has_shape(rest, "+dd:dd") || has_shape(rest, "-dd:dd")) return DateForm::offset;
  return std::nullopt;
}

const std::vector<std::string>& date_columns(ExportKind kind) {
  static const std::vector<std::string> kReconciliation = {"OrderDate",           "ChargeStartDate",
                                                           "ChargeEndDate",       "PCToBCExchangeRateDate",
                                                           "SubscriptionStartDate", "SubscriptionEndDate"};
  static const std::vector<std::string> kUsage = {"ChargeStartDate", "ChargeEndDate", "UsageDate",
                                                  "PCToBCExchangeRateDate"};
  return is_usage(kind) ? kUsage : kReconciliation;
}

// Observed in real files: every date column is a timestamp with milliseconds
// but usage's UsageDate, which is the date only.
DateForm real_date_form(std::string_view column) {
  return column == "UsageDate" ? DateForm::date_only : DateForm::milliseconds;
}

// Columns that hold the text of JSON (observed in real files), and what it is.
const std::map<std::string, ValueType>& json_text_columns(ExportKind kind) {
  static const std::map<std::string, ValueType> kReconciliation = {{"PriceAdjustmentDescription", ValueType::array}};
  static const std::map<std::string, ValueType> kUsage = {{"Tags", ValueType::object},
                                                          {"AdditionalInfo", ValueType::object}};
  return is_usage(kind) ? kUsage : kReconciliation;
}

// The decimal places real files give a numeric column in every value
// (observed in real files): fixed, or the shortest form a double prints.
struct RealScale {
  int places = 0;
  bool shortest = false;
  bool zero_in_exponent_form = false;  // "0E-20" rather than "0.00…"
};

std::optional<RealScale> real_scale(ExportKind kind, std::string_view column) {
  static const std::map<std::string, RealScale, std::less<>> kReconciliation = {
      {"UnitPrice", {2}},      {"EffectiveUnitPrice", {2}}, {"Quantity", {2}},
      {"Subtotal", {2}},       {"TaxTotal", {2}},           {"Total", {2}},
      {"BillableQuantity", {10}}, {"PCToBCExchangeRate", {10}}};
  static const std::map<std::string, RealScale, std::less<>> kBilledUsage = {
      {"UnitPrice", {32, false, true}},          {"EffectiveUnitPrice", {32, false, true}},
      {"PCToBCExchangeRate", {32, false, true}}, {"Quantity", {18, false, true}},
      {"BillingPreTaxTotal", {20, false, true}}, {"PricingPreTaxTotal", {20, false, true}},
      {"PartnerEarnedCreditPercentage", {28, false, true}}, {"CreditPercentage", {28, false, true}}};
  // Unbilled usage: quantity and totals as billed usage has them, but
  // EffectiveUnitPrice and PCToBCExchangeRate in shortest form ("0.0",
  // "1.0", "0.0099"); its other numeric columns were not described.
  static const std::map<std::string, RealScale, std::less<>> kUnbilledUsage = {
      {"Quantity", {18, false, true}},
      {"BillingPreTaxTotal", {20, false, true}},
      {"PricingPreTaxTotal", {20, false, true}},
      {"EffectiveUnitPrice", {0, true}},
      {"PCToBCExchangeRate", {0, true}}};
  const auto& table = kind == ExportKind::billed_usage     ? kBilledUsage
                      : kind == ExportKind::unbilled_usage ? kUnbilledUsage
                                                           : kReconciliation;
  const auto it = table.find(column);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

// Usage keys in the order real files have them: Graph's table (its beta
// page's row order) with PCToBCExchangeRateDate right after
// PCToBCExchangeRate and BenefitID before BenefitOrderID. Reconciliation
// keys come in the table's order. As column_key spells them.
std::vector<std::string> real_key_order(ExportKind kind) {
  std::vector<std::string> order;
  for (const auto& column : columns_of(kind, "full")) {
    if (column == "BenefitOrderID") continue;
    order.push_back(column_key(column));
    if (column == "PCToBCExchangeRate" && is_usage(kind)) order.push_back(column_key(kUsageColumnBeyondTheTable));
    if (column == "BenefitID") order.push_back(column_key("BenefitOrderID"));
  }
  return order;
}

// A violation seen on many rows, said once: where first, and how often.
class RowViolations {
 public:
  void add(std::size_t line, const std::string& what, const std::string& example = "") {
    auto [it, added] = seen_.try_emplace(what);
    if (added) {
      it->second.first_line = line;
      it->second.example = example;
      order_.push_back(what);
    }
    ++it->second.rows;
  }

  void append_to(Violations& out, const std::string& prefix) const {
    for (const auto& what : order_) {
      const auto& seen = seen_.at(what);
      std::string sentence = prefix + "line " + std::to_string(seen.first_line) + ": " + what;
      if (!seen.example.empty()) sentence += ": " + seen.example;
      if (seen.rows > 1) sentence += " (and on " + std::to_string(seen.rows - 1) + " more lines)";
      out.push_back(std::move(sentence));
    }
  }

 private:
  struct Seen {
    std::size_t first_line = 0;
    std::size_t rows = 0;
    std::string example;
  };
  std::map<std::string, Seen> seen_;
  std::vector<std::string> order_;
};

struct NumberColumn {
  std::size_t values = 0;
  std::size_t strings = 0;
  int min_scale = std::numeric_limits<int>::max();
  int max_scale = std::numeric_limits<int>::min();
  std::size_t zeros_in_exponent_form = 0;
  std::size_t zeros_written_out = 0;
  std::size_t not_shortest = 0;
  std::string example_not_shortest;
};

struct JsonTextColumn {
  std::size_t holding_expected = 0;
  std::size_t empty = 0;
  std::size_t holding_other = 0;
};

// Everything the rows of one blob showed, gathered row by row.
class RowsSeen {
 public:
  RowsSeen(ExportKind kind, std::string_view attribute_set) : kind_(kind), attribute_set_(attribute_set) {
    for (const auto& column : columns_of(kind, "full")) documented_.emplace(column_key(column), column);
    if (is_usage(kind)) documented_.emplace(column_key(kUsageColumnBeyondTheTable), kUsageColumnBeyondTheTable);
    for (const auto& column : columns_of(kind, attribute_set)) in_set_.push_back(column_key(column));
    const auto order = real_key_order(kind);
    for (std::size_t i = 0; i < order.size(); ++i) real_position_.emplace(order[i], i);
  }

  void add(std::size_t line, const std::vector<Member>& members);
  void report(DataRowsReport& report, const std::string& prefix) const;

  RowViolations violations;

 private:
  void add_key_facts(std::size_t line, const std::vector<Member>& members, bool legacy_layout);
  void add_number(const std::string& column, const Member& member);
  void add_date(std::size_t line, const std::string& column, const Member& member);
  void add_json_text(std::size_t line, const std::string& column, ValueType expected, const Member& member);
  void add_product_qualifiers(std::size_t line, const Member& member);

  void report_keys(std::vector<DataFinding>& out, const std::string& prefix) const;
  void report_numbers(std::vector<DataFinding>& out, const std::string& prefix) const;
  void report_dates(std::vector<DataFinding>& out, const std::string& prefix) const;
  void report_json_columns(std::vector<DataFinding>& out, const std::string& prefix) const;

  ExportKind kind_;
  std::string attribute_set_;
  std::map<std::string, std::string> documented_;  // column_key → documented spelling
  std::vector<std::string> in_set_;                // column_key of the attribute set's columns
  std::map<std::string, std::size_t> real_position_;

  std::size_t rows_ = 0;
  std::size_t min_keys_ = std::numeric_limits<std::size_t>::max();
  std::size_t max_keys_ = 0;
  std::set<std::string> casings_;  // of rows not in the legacy layout
  std::size_t legacy_rows_ = 0;
  std::set<std::string> legacy_extra_;    // keys of legacy rows that are no documented column
  std::set<std::string> legacy_missing_;  // documented columns legacy rows lack
  std::optional<std::string> order_break_;
  std::map<std::string, std::size_t> left_out_;  // documented column → rows without it
  std::size_t rows_with_rate_date_ = 0;
  std::size_t rows_with_invoice_number_ = 0;
  std::map<std::string, NumberColumn> numbers_;
  std::map<std::string, std::map<DateForm, std::size_t>> dates_;
  std::map<std::string, JsonTextColumn> json_texts_;
  std::size_t qualifier_arrays_ = 0;
  std::size_t qualifier_strings_ = 0;
};

std::string casing_of(std::string_view key) {
  if (key.empty()) return "an empty key";
  if (std::isupper(static_cast<unsigned char>(key.front()))) return "PascalCase";
  const bool any_upper = std::any_of(key.begin(), key.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  return any_upper ? "camelCase" : "lowercase";
}

void RowsSeen::add(std::size_t line, const std::vector<Member>& members) {
  ++rows_;
  bool legacy_layout = false;
  std::set<std::string> keys_seen;
  for (const auto& member : members) {
    legacy_layout = legacy_layout || (!is_usage(kind_) && is_legacy_reconciliation_key(member.key));
    if (!keys_seen.insert(member.key).second) violations.add(line, "key " + member.key + " appears twice");
    if (member.type == ValueType::null) {
      violations.add(line, member.key + " is null; real files leave out the key of a null value");
    }
  }
  add_key_facts(line, members, legacy_layout);
  const auto& numeric = numeric_columns(kind_);
  const auto& dates = date_columns(kind_);
  const auto& json_texts = json_text_columns(kind_);
  for (const auto& member : members) {
    const auto documented = documented_.find(column_key(member.key));
    if (documented == documented_.end() || member.type == ValueType::null) continue;
    const std::string& column = documented->second;
    if (numeric.count(column)) add_number(column, member);
    if (std::find(dates.begin(), dates.end(), column) != dates.end()) add_date(line, column, member);
    if (const auto json_text = json_texts.find(column); json_text != json_texts.end()) {
      add_json_text(line, column, json_text->second, member);
    }
    if (column == "ProductQualifiers") add_product_qualifiers(line, member);
  }
}

void RowsSeen::add_key_facts(std::size_t line, const std::vector<Member>& members, bool legacy_layout) {
  min_keys_ = std::min(min_keys_, members.size());
  max_keys_ = std::max(max_keys_, members.size());
  std::set<std::string> columns;
  for (const auto& member : members) columns.insert(column_key(member.key));
  if (columns.count(column_key(kUsageColumnBeyondTheTable))) ++rows_with_rate_date_;
  if (columns.count("invoicenumber")) ++rows_with_invoice_number_;
  if (legacy_layout) {
    ++legacy_rows_;
    for (const auto& member : members) {
      if (!documented_.count(column_key(member.key))) legacy_extra_.insert(member.key);
    }
    for (const auto& column : in_set_) {
      if (!columns.count(column)) legacy_missing_.insert(documented_.at(column));
    }
    return;
  }
  for (const auto& member : members) casings_.insert(casing_of(member.key));
  for (const auto& column : in_set_) {
    if (!columns.count(column)) ++left_out_[documented_.at(column)];
  }
  if (order_break_) return;
  std::optional<std::size_t> previous_position;
  std::string previous_key;
  for (const auto& member : members) {
    const auto position = real_position_.find(column_key(member.key));
    if (position == real_position_.end()) continue;
    if (previous_position && position->second < *previous_position) {
      order_break_ = "line " + std::to_string(line) + " has " + member.key + " after " + previous_key +
                     "; real files have it before";
      return;
    }
    previous_position = position->second;
    previous_key = member.key;
  }
}

void RowsSeen::add_number(const std::string& column, const Member& member) {
  if (member.type != ValueType::number && member.type != ValueType::string) return;
  // A string that holds no number is read_blob's violation, not a shape.
  const auto decimal = read_decimal(member.text);
  if (!decimal) return;
  auto& seen = numbers_[column];
  ++seen.values;
  if (member.type == ValueType::string) ++seen.strings;
  seen.min_scale = std::min(seen.min_scale, decimal->scale);
  seen.max_scale = std::max(seen.max_scale, decimal->scale);
  if (decimal->zero) ++(decimal->exponent_form ? seen.zeros_in_exponent_form : seen.zeros_written_out);
  if (!decimal->shortest && seen.not_shortest++ == 0) seen.example_not_shortest = member.text;
}

void RowsSeen::add_date(std::size_t line, const std::string& column, const Member& member) {
  const auto form = member.type == ValueType::string ? date_form_of(member.text) : std::nullopt;
  if (!form) {
    violations.add(line, column + " is neither an ISO 8601 date nor a timestamp",
                   member.type == ValueType::string ? Json(member.text).dump() : member.text);
    return;
  }
  ++dates_[column][*form];
}

void RowsSeen::add_json_text(std::size_t line, const std::string& column, ValueType expected, const Member& member) {
  if (member.type != ValueType::string) {
    violations.add(line, column + " is not a string holding JSON text");
    return;
  }
  auto& seen = json_texts_[column];
  if (member.text.empty()) {
    ++seen.empty;
    return;
  }
  if (!Json::accept(member.text)) {
    violations.add(line, column + " does not hold JSON text", Json(member.text).dump());
    return;
  }
  const Json held = Json::parse(member.text);
  const bool as_expected = expected == ValueType::array ? held.is_array() : held.is_object();
  ++(as_expected ? seen.holding_expected : seen.holding_other);
}

void RowsSeen::add_product_qualifiers(std::size_t line, const Member& member) {
  if (member.type == ValueType::array) {
    ++qualifier_arrays_;
  } else if (member.type == ValueType::string && Json::accept(member.text) && Json::parse(member.text).is_array()) {
    ++qualifier_strings_;
  } else {
    violations.add(line, "ProductQualifiers is neither a JSON array nor a string holding one");
  }
}

std::string listed(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

std::string of_rows(std::size_t some, std::size_t all) {
  return std::to_string(some) + " of " + std::to_string(all) + " rows";
}

void RowsSeen::report_keys(std::vector<DataFinding>& out, const std::string& prefix) const {
  const std::size_t documented_count = columns_of(kind_, attribute_set_).size();
  out.push_back({prefix + "rows have " +
                 (min_keys_ == max_keys_ ? std::to_string(max_keys_)
                                         : std::to_string(min_keys_) + " to " + std::to_string(max_keys_)) +
                 " keys; Graph's table lists " + std::to_string(documented_count) + " " + attribute_set_ + " columns"});
  if (legacy_rows_ > 0) {
    out.push_back({prefix + of_rows(legacy_rows_, rows_) +
                       " are in the legacy camelCase reconciliation layout (resellerMpnId for Tier2MpnId, "
                       "totalForCustomer for Total); real files show it only for older invoices, and PascalCase "
                       "documented names otherwise",
                   true});
    std::vector<std::string> extra(legacy_extra_.begin(), legacy_extra_.end());
    std::vector<std::string> missing(legacy_missing_.begin(), legacy_missing_.end());
    out.push_back({prefix + "legacy-layout rows carry keys outside Graph's table: " +
                   (extra.empty() ? "none" : listed(extra)) + "; and lack documented columns: " +
                   (missing.empty() ? "none" : listed(missing))});
  }
  if (legacy_rows_ < rows_) {
    // A one-word name ("Unit") is all lower case in camelCase too.
    std::set<std::string> casings = casings_;
    if (casings.count("camelCase")) casings.erase("lowercase");
    if (casings == std::set<std::string>{"PascalCase"}) {
      out.push_back({prefix + "keys are PascalCase, as in real files"});
    } else {
      out.push_back({prefix + "keys are " + listed({casings.begin(), casings.end()}) +
                         "; real files use the documented PascalCase names",
                     true});
    }
    if (order_break_) {
      out.push_back({prefix + "keys are not in the order real files have: " + *order_break_, true});
    } else {
      out.push_back({prefix + (is_usage(kind_) ? "keys are in the order real files have (Graph's table, with "
                                                 "PCToBCExchangeRateDate after PCToBCExchangeRate and BenefitId "
                                                 "before BenefitOrderId)"
                                               : "keys are in the documented order, as in real files")});
    }
  }
  if (is_usage(kind_)) {
    const bool full = attribute_set_ == "full";
    if (rows_with_rate_date_ == rows_) {
      out.push_back({prefix + "every row carries PCToBCExchangeRateDate, which Graph's table leaves out" +
                     (full ? ", as real full files do" : " (not seen in real basic files)")});
    } else if (rows_with_rate_date_ == 0) {
      out.push_back({prefix + "no row carries PCToBCExchangeRateDate" +
                         (full ? "; real full files have it after PCToBCExchangeRate" : " (not seen in real basic files)"),
                     full});
    } else {
      out.push_back({prefix + of_rows(rows_with_rate_date_, rows_) + " carry PCToBCExchangeRateDate"});
    }
  }
  if (!is_billed(kind_)) {
    const bool usage = is_usage(kind_);
    if (rows_with_invoice_number_ == 0) {
      out.push_back({prefix + "no row carries InvoiceNumber" + (usage ? ", as in real files" : "")});
    } else {
      out.push_back({prefix + of_rows(rows_with_invoice_number_, rows_) + " carry InvoiceNumber" +
                         (usage ? "; real unbilled usage files have no such key" : " (Q8)"),
                     usage});
    }
  }
  std::vector<std::string> left_out;
  for (const auto& [column, count] : left_out_) {
    if (column != "InvoiceNumber") left_out.push_back(column + " (" + of_rows(count, rows_) + ")");
  }
  if (!left_out.empty()) {
    out.push_back({prefix + "rows leave out " + listed(left_out) + ", as real files leave out the key of a null value"});
  }
}

std::string places(int min_scale, int max_scale) {
  if (min_scale == max_scale) return std::to_string(max_scale) + " decimal places in every value";
  return std::to_string(min_scale) + " to " + std::to_string(max_scale) + " decimal places";
}

void RowsSeen::report_numbers(std::vector<DataFinding>& out, const std::string& prefix) const {
  std::size_t values = 0;
  std::size_t strings = 0;
  std::vector<std::string> as_real;
  std::vector<std::string> unknown;
  for (const auto& [column, seen] : numbers_) {
    values += seen.values;
    strings += seen.strings;
    const auto real = real_scale(kind_, column);
    std::string zeros;
    if (seen.zeros_in_exponent_form > 0) zeros += ", zeros as 0E-n";
    if (seen.zeros_written_out > 0) zeros += ", zeros written out";
    if (!real) {
      unknown.push_back(column + " " + places(seen.min_scale, seen.max_scale) + zeros);
    } else if (real->shortest) {
      if (seen.not_shortest == 0) {
        as_real.push_back(column + " in shortest form");
      } else {
        out.push_back({prefix + column + " is not in shortest form in " + std::to_string(seen.not_shortest) +
                           " values (" + seen.example_not_shortest + "); real files write it as a double prints",
                       true});
      }
    } else {
      const bool fixed = seen.min_scale == real->places && seen.max_scale == real->places;
      const bool zeros_as_real = real->zero_in_exponent_form ? seen.zeros_written_out == 0
                                                             : seen.zeros_in_exponent_form == 0;
      if (fixed && zeros_as_real) {
        as_real.push_back(column + " " + std::to_string(real->places) + zeros);
      } else {
        out.push_back({prefix + column + " has " + places(seen.min_scale, seen.max_scale) + zeros +
                           "; real files give every value " + std::to_string(real->places) + " decimal places" +
                           (real->zero_in_exponent_form ? ", a zero as 0E-" + std::to_string(real->places) : ""),
                       true});
      }
    }
  }
  if (values == 0) return;
  if (strings == 0) {
    out.push_back({prefix + "numeric columns are JSON numbers, as in real files"});
  } else {
    out.push_back({prefix + (strings == values ? "every" : std::to_string(strings) + " of " + std::to_string(values)) +
                       " numeric value" + (strings == values ? " is a string" : "s are strings") +
                       " holding a number; real files have JSON numbers (Q9)",
                   true});
  }
  if (!as_real.empty()) {
    out.push_back({prefix + "decimal places as in real files: " + listed(as_real)});
  }
  if (!unknown.empty()) {
    out.push_back({prefix + "decimal places of columns real files were not described for: " + listed(unknown)});
  }
}

void RowsSeen::report_dates(std::vector<DataFinding>& out, const std::string& prefix) const {
  std::vector<std::string> as_real;
  // What was seen instead of the real form, and the real form → columns.
  std::map<std::pair<std::string, DateForm>, std::vector<std::string>> unlike;
  for (const auto& column : date_columns(kind_)) {
    const auto seen = dates_.find(column);
    if (seen == dates_.end()) continue;
    const auto& forms = seen->second;
    const DateForm real = real_date_form(column);
    std::vector<std::string> other_forms;
    for (const auto& [form, count] : forms) {
      if (form == DateForm::empty) {
        out.push_back({prefix + column + " is \"\" in " + of_rows(count, rows_)});
      } else if (form != real) {
        other_forms.push_back(std::string(pattern_of(form)));
      }
    }
    if (other_forms.empty()) {
      as_real.push_back(column);
    } else {
      unlike[{listed(other_forms), real}].push_back(column);
    }
  }
  for (const auto& [forms, columns] : unlike) {
    out.push_back({prefix + listed(columns) + (columns.size() == 1 ? " is " : " are ") + forms.first +
                       (forms.second == DateForm::date_only
                            ? "; real files have the date only, YYYY-MM-DD"
                            : "; real files have YYYY-MM-DDThh:mm:ss.fffZ (milliseconds)"),
                   true});
  }
  if (!as_real.empty()) {
    out.push_back({prefix + "dates as in real files (YYYY-MM-DDThh:mm:ss.fffZ" +
                   (is_usage(kind_) ? std::string(", UsageDate YYYY-MM-DD") : std::string()) + "): " +
                   listed(as_real)});
  }
}

void RowsSeen::report_json_columns(std::vector<DataFinding>& out, const std::string& prefix) const {
  for (const auto& [column, seen] : json_texts_) {
    const bool array = json_text_columns(kind_).at(column) == ValueType::array;
    const std::string held = array ? "a JSON array" : "a JSON object";
    if (seen.holding_other == 0) {
      out.push_back({prefix + column + " holds the text of " + held + " or \"\", as in real files"});
    } else {
      out.push_back({prefix + column + " holds other JSON than " + held + " in " + of_rows(seen.holding_other, rows_) +
                         "; real files hold " + held + " or \"\"",
                     true});
    }
  }
  if (qualifier_strings_ > 0) {
    out.push_back({prefix + "ProductQualifiers is a string holding a JSON array in " +
                       of_rows(qualifier_strings_, rows_) + "; real files have the array itself",
                   true});
  } else if (qualifier_arrays_ > 0) {
    out.push_back({prefix + "ProductQualifiers is a JSON array, as in real files"});
  }
}

void RowsSeen::report(DataRowsReport& report, const std::string& prefix) const {
  if (rows_ == 0) return;
  report_keys(report.findings, prefix);
  report_numbers(report.findings, prefix);
  report_dates(report.findings, prefix);
  report_json_columns(report.findings, prefix);
}

}  // namespace

DataRowsReport check_data_rows(std::string_view text, ExportKind kind, std::string_view attribute_set) {
  DataRowsReport report;
  const std::string prefix = std::string(name_of(kind)) + " " + std::string(attribute_set) + ": ";
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
    report.violations.push_back(prefix + "the data starts with a UTF-8 byte order mark");
    text.remove_prefix(kByteOrderMark.size());
  }
  RowsSeen seen(kind, attribute_set);
  bool framed = true;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const auto end = text.find('\n');
    if (end == std::string_view::npos) {
      report.violations.push_back(prefix + "the last line (line " + std::to_string(line) + ") does not end in \\n");
      framed = false;
    }
    std::string_view row = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (row.find('\r') != std::string_view::npos) {
      seen.violations.add(line, "holds a CR; real files end lines in \\n alone");
      framed = false;
      if (row.back() == '\r') row.remove_suffix(1);
    }
    if (row.empty()) {
      seen.violations.add(line, "is blank");
      framed = false;
      continue;
    }
    TopLevelMembers members;
    const bool parsed = Json::sax_parse(row, &members);
    if (!parsed || !members.is_object) {
      seen.violations.add(line, "is not a JSON object", std::string(row.substr(0, 120)));
      framed = false;
      continue;
    }
    ++report.rows;
    seen.add(line, members.members);
  }
  seen.violations.append_to(report.violations, prefix);
  if (framed && report.rows > 0) {
    report.findings.push_back({prefix + std::to_string(report.rows) +
                               " rows, one JSON object a line, each ending in \\n, without byte order mark or CR"});
  }
  seen.report(report, prefix);
  return report;
}

std::vector<std::string> unlike_real_files(const std::vector<DataFinding>& findings) {
  std::vector<std::string> sentences;
  for (const auto& finding : findings) {
    if (finding.unlike_real_files) sentences.push_back(finding.sentence);
  }
  return sentences;
}

}  // namespace graphfake::conformance
