// The data-row checks' own tests (conformance/data_rows.h), against rows
// written by hand: shaped as real export files are, as Graph's documentation
// suggests, in the legacy camelCase reconciliation layout, and broken in one
// chosen way each.
#include <gmock/gmock.h>

#include "conformance/data_rows.h"

namespace graphfake::conformance {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// A row as written: each key with its value's JSON text, in order.
using WrittenRow = std::vector<std::pair<std::string, std::string>>;

std::string line_of(const WrittenRow& row) {
  std::string text = "{";
  for (const auto& [key, value] : row) text += (text.size() > 1 ? "," : "") + Json(key).dump() + ":" + value;
  return text + "}\n";
}

std::string quoted(std::string_view text) { return Json(text).dump(); }

std::string fixed(std::string_view integer, std::string_view fraction, int scale) {
  return std::string(integer) + "." + std::string(fraction) + std::string(scale - fraction.size(), '0');
}

WrittenRow& set_value(WrittenRow& row, std::string_view key, std::string value) {
  for (auto& [name, written] : row) {
    if (name == key) written = std::move(value);
  }
  return row;
}

WrittenRow without(WrittenRow row, std::string_view key) {
  std::erase_if(row, [&](const auto& member) { return member.first == key; });
  return row;
}

// A usage value as real files write it (observed in real export files).
std::string real_usage_value(ExportKind kind, const std::string& column) {
  const bool billed = kind == ExportKind::billed_usage;
  if (column == "UsageDate") return quoted("2024-02-13");
  if (column == "ChargeStartDate" || column == "ChargeEndDate") return quoted("2024-02-01T00:00:00.000Z");
  if (column == "Tags") return quoted(R"({"env":"prod"})");
  if (column == "AdditionalInfo") return quoted("");
  if (column == "UnitPrice") return billed ? fixed("0", "0209496384791679", 32) : "0.0209496384791679";
  if (column == "EffectiveUnitPrice") return billed ? "0E-32" : "0.0099";
  if (column == "PCToBCExchangeRate") return billed ? fixed("1", "", 32) : "1.0";
  if (column == "Quantity") return fixed("23", "200004", 18);
  if (column == "BillingPreTaxTotal" || column == "PricingPreTaxTotal") return fixed("0", "486031696515249", 20);
  if (column == "PartnerEarnedCreditPercentage") return fixed("15", "", 28);
  if (column == "CreditPercentage") return "0E-28";
  return quoted(column == "ChargeType" ? "New" : "x");
}

// A full usage row as real files have it: PCToBCExchangeRateDate after
// PCToBCExchangeRate, BenefitId before BenefitOrderId, no InvoiceNumber when
// unbilled, and (unbilled) the credit percentages left out as null.
WrittenRow real_usage_row(ExportKind kind) {
  WrittenRow row;
  for (const auto& column : columns_of(kind, "full")) {
    if (column == "BenefitOrderID") continue;
    if (!is_billed(kind) && (column == "InvoiceNumber" || column == "PartnerEarnedCreditPercentage" ||
                             column == "CreditPercentage")) {
      continue;
    }
    row.emplace_back(column == "BenefitID" ? "BenefitId" : column, real_usage_value(kind, column));
    if (column == "PCToBCExchangeRate") row.emplace_back("PCToBCExchangeRateDate", quoted("2024-02-01T00:00:00.000Z"));
    if (column == "BenefitID") row.emplace_back("BenefitOrderId", quoted(""));
  }
  return row;
}

// A full reconciliation row as real files have it: an Azure consumption line
// (without SubscriptionStartDate and SubscriptionEndDate) when `azure`.
WrittenRow real_reconciliation_row(bool azure) {
  static const std::set<std::string> kTwoPlaces = {"UnitPrice", "EffectiveUnitPrice", "Quantity",
                                                   "Subtotal",  "TaxTotal",           "Total"};
  WrittenRow row;
  for (const auto& column : columns_of(ExportKind::billed_reconciliation, "full")) {
    std::string value = quoted(column == "ChargeType" ? "new" : "x");
    if (kTwoPlaces.count(column)) value = column == "TaxTotal" ? "0.00" : "28.80";
    if (column == "BillableQuantity" || column == "PCToBCExchangeRate") value = fixed("19", "", 10);
    if (column.find("Date") != std::string::npos) value = quoted("2024-02-01T00:00:00.000Z");
    if (column == "ProductQualifiers") value = R"(["AddOn"])";
    if (column == "PriceAdjustmentDescription") value = quoted(R"(["15% Partner earned credit for services managed"])");
    if (azure && (column == "SubscriptionStartDate" || column == "SubscriptionEndDate")) continue;
    row.emplace_back(column, value);
  }
  return row;
}

// A full usage row as Graph's documentation suggests it: the table's keys
// and order (no PCToBCExchangeRateDate; BenefitOrderID before BenefitID),
// numbers in shortest form, timestamps without milliseconds.
WrittenRow documented_usage_row() {
  WrittenRow row;
  for (const auto& column : columns_of(ExportKind::billed_usage, "full")) {
    std::string value = quoted("x");
    if (numeric_columns(ExportKind::billed_usage).count(column)) value = column == "UnitPrice" ? "0.0209496384791679" : "0";
    if (column.find("Date") != std::string::npos) value = quoted("2024-02-13T00:00:00Z");
    if (column == "Tags" || column == "AdditionalInfo") value = quoted("{}");
    row.emplace_back(column, value);
  }
  return row;
}

// A reconciliation row of an older invoice as real files have it: camelCase,
// resellerMpnId and totalForCustomer, productQualifiers among the product
// columns.
WrittenRow legacy_reconciliation_row() {
  WrittenRow row;
  for (const char* key : {"partnerId", "customerId", "customerName", "customerDomainName", "customerCountry",
                          "invoiceNumber", "mpnId", "resellerMpnId", "orderId"}) {
    row.emplace_back(key, quoted("x"));
  }
  row.emplace_back("orderDate", quoted("2023-10-01T00:00:00.000Z"));
  for (const char* key : {"productId", "skuId", "availabilityId", "productName", "skuName"}) {
    row.emplace_back(key, quoted("x"));
  }
  row.emplace_back("productQualifiers", R"(["AddOn"])");
  row.emplace_back("chargeType", quoted("new"));
  for (const char* key : {"unitPrice", "effectiveUnitPrice"}) row.emplace_back(key, "28.80");
  row.emplace_back("unitType", quoted("x"));
  for (const char* key : {"quantity", "subtotal", "taxTotal", "totalForCustomer"}) row.emplace_back(key, "28.80");
  row.emplace_back("currency", quoted("EUR"));
  row.emplace_back("billableQuantity", fixed("1", "", 10));
  row.emplace_back("subscriptionStartDate", quoted("2023-10-01T00:00:00.000Z"));
  row.emplace_back("subscriptionEndDate", quoted("2024-09-30T00:00:00.000Z"));
  return row;
}

DataRowsReport checked(ExportKind kind, const std::vector<WrittenRow>& rows, std::string_view attribute_set = "full") {
  std::string text;
  for (const auto& row : rows) text += line_of(row);
  return check_data_rows(text, kind, attribute_set);
}

std::vector<std::string> all_sentences(const DataRowsReport& report) {
  std::vector<std::string> sentences;
  for (const auto& finding : report.findings) sentences.push_back(finding.sentence);
  return sentences;
}

TEST(DataRowChecks, BilledUsageRowsShapedAsRealFiles_KeepTheContractAndAreLikeRealFiles) {
  const auto report = checked(ExportKind::billed_usage, {real_usage_row(ExportKind::billed_usage),
                                                         real_usage_row(ExportKind::billed_usage)});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings), IsEmpty());
  EXPECT_THAT(all_sentences(report), Contains("billedUsage full: rows have 55 keys; Graph's table lists 54 full columns"));
  EXPECT_THAT(all_sentences(report),
              Contains(HasSubstr("billedUsage full: decimal places as in real files: "
                                 "BillingPreTaxTotal 20, CreditPercentage 28, zeros as 0E-n, EffectiveUnitPrice 32")));
}

TEST(DataRowChecks, UnbilledUsageRowsShapedAsRealFiles_AreLikeRealFilesAndSayWhatTheyLeaveOut) {
  const auto report = checked(ExportKind::unbilled_usage, {real_usage_row(ExportKind::unbilled_usage)});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings), IsEmpty());
  EXPECT_THAT(all_sentences(report), Contains("unbilledUsage full: no row carries InvoiceNumber, as in real files"));
  EXPECT_THAT(all_sentences(report),
              Contains("unbilledUsage full: rows leave out CreditPercentage (1 of 1 rows), PartnerEarnedCreditPercentage "
                       "(1 of 1 rows), as real files leave out the key of a null value"));
}

TEST(DataRowChecks, ReconciliationRowsShapedAsRealFiles_AreLikeRealFiles) {
  const auto report =
      checked(ExportKind::billed_reconciliation, {real_reconciliation_row(false), real_reconciliation_row(true)});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings), IsEmpty());
  EXPECT_THAT(all_sentences(report), Contains("billedReconciliation full: rows have 45 to 47 keys; Graph's table lists "
                                              "47 full columns"));
  EXPECT_THAT(all_sentences(report), Contains("billedReconciliation full: ProductQualifiers is a JSON array, as in real files"));
}

TEST(DataRowChecks, UsageRowsShapedAsDocumented_KeepTheContractAndSayHowTheyDifferFromRealFiles) {
  const auto report = checked(ExportKind::billed_usage, {documented_usage_row()});
  EXPECT_THAT(report.violations, IsEmpty());
  const auto unlike = unlike_real_files(report.findings);
  EXPECT_THAT(unlike, Contains(HasSubstr("no row carries PCToBCExchangeRateDate; real full files have it")));
  EXPECT_THAT(unlike, Contains("billedUsage full: keys are not in the order real files have: line 1 has BenefitID "
                               "after BenefitOrderID; real files have it before"));
  EXPECT_THAT(unlike, Contains("billedUsage full: ChargeStartDate, ChargeEndDate are YYYY-MM-DDThh:mm:ssZ; real files "
                               "have YYYY-MM-DDThh:mm:ss.fffZ (milliseconds)"));
  EXPECT_THAT(unlike, Contains("billedUsage full: UsageDate is YYYY-MM-DDThh:mm:ssZ; real files have the date only, "
                               "YYYY-MM-DD"));
  EXPECT_THAT(unlike, Contains("billedUsage full: UnitPrice has 16 decimal places in every value; real files give every "
                               "value 32 decimal places, a zero as 0E-32"));
  EXPECT_THAT(unlike, Contains("billedUsage full: Quantity has 0 decimal places in every value, zeros written out; real "
                               "files give every value 18 decimal places, a zero as 0E-18"));
}

TEST(DataRowChecks, ProductQualifiersAsAString_IsReportedUnlikeRealFilesNotFailed) {
  WrittenRow row = real_reconciliation_row(false);
  set_value(row, "ProductQualifiers", quoted("[]"));
  const auto report = checked(ExportKind::billed_reconciliation, {row});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings),
              Contains("billedReconciliation full: ProductQualifiers is a string holding a JSON array in 1 of 1 rows; "
                       "real files have the array itself"));
}

TEST(DataRowChecks, LegacyCamelCaseReconciliationRow_KeepsTheContractAndIsReportedAsTheLegacyLayout) {
  const auto report = checked(ExportKind::billed_reconciliation, {legacy_reconciliation_row()});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings),
              Contains(HasSubstr("1 of 1 rows are in the legacy camelCase reconciliation layout (resellerMpnId for "
                                 "Tier2MpnId, totalForCustomer for Total)")));
  EXPECT_THAT(all_sentences(report), Contains(AllOf(HasSubstr("legacy-layout rows carry keys outside Graph's table: none"),
                                                    HasSubstr("lack documented columns: AlternateId"))));
}

TEST(DataRowChecks, LegacyCamelCaseReconciliationRow_PassesTheColumnContractOfReadBlob) {
  EXPECT_THAT(read_blob(gzipped(line_of(legacy_reconciliation_row())), ExportKind::billed_reconciliation,
                        "full")
                  .violations,
              IsEmpty());
}

TEST(DataRowChecks, UsageRowsShapedAsRealFiles_PassTheColumnContractOfReadBlob) {
  for (const ExportKind kind : {ExportKind::billed_usage, ExportKind::unbilled_usage}) {
    EXPECT_THAT(read_blob(gzipped(line_of(real_usage_row(kind))), kind, "full").violations, IsEmpty())
        << name_of(kind);
  }
}

TEST(DataRowChecks, NullValue_IsAViolationNamingTheKey) {
  WrittenRow row = real_usage_row(ExportKind::billed_usage);
  set_value(row, "CreditPercentage", "null");
  EXPECT_THAT(checked(ExportKind::billed_usage, {row}).violations,
              Contains("billedUsage full: line 1: CreditPercentage is null; real files leave out the key of a null value"));
}

TEST(DataRowChecks, ViolationOnManyRows_IsSaidOnceWithHowManyMore) {
  WrittenRow row = real_usage_row(ExportKind::billed_usage);
  set_value(row, "CreditPercentage", "null");
  EXPECT_THAT(checked(ExportKind::billed_usage, {row, row, row}).violations,
              Contains(HasSubstr("line 1: CreditPercentage is null; real files leave out the key of a null value "
                                 "(and on 2 more lines)")));
}

TEST(DataRowChecks, ScaleThatVariesInAFixedScaleColumn_IsReportedWithItsRange) {
  WrittenRow other = real_usage_row(ExportKind::billed_usage);
  set_value(other, "Quantity", "1.5");
  const auto report = checked(ExportKind::billed_usage, {real_usage_row(ExportKind::billed_usage), other});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings),
              Contains(HasSubstr("billedUsage full: Quantity has 1 to 18 decimal places; real files give every value 18")));
}

TEST(DataRowChecks, ZeroWrittenOutInAUsageColumn_IsReportedUnlikeRealFiles) {
  WrittenRow row = real_usage_row(ExportKind::billed_usage);
  set_value(row, "Quantity", fixed("0", "", 18));
  EXPECT_THAT(unlike_real_files(checked(ExportKind::billed_usage, {row}).findings),
              Contains(HasSubstr("Quantity has 18 decimal places in every value, zeros written out; real files give "
                                 "every value 18 decimal places, a zero as 0E-18")));
}

TEST(DataRowChecks, NumbersAsStrings_AreReportedUnlikeRealFilesNotFailed) {
  WrittenRow row = real_reconciliation_row(false);
  set_value(row, "Subtotal", quoted("28.80"));
  const auto report = checked(ExportKind::billed_reconciliation, {row});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings),
              Contains("billedReconciliation full: 1 of 8 numeric values are strings holding a number; real files have "
                       "JSON numbers (Q9)"));
}

TEST(DataRowChecks, CamelCaseKeysOutsideTheLegacyLayout_AreReportedNotFailed) {
  WrittenRow row;
  for (const auto& [key, value] : real_usage_row(ExportKind::billed_usage)) {
    row.emplace_back(std::string(1, static_cast<char>(std::tolower(key[0]))) + key.substr(1), value);
  }
  const auto report = checked(ExportKind::billed_usage, {row});
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings),
              Contains("billedUsage full: keys are camelCase; real files use the documented PascalCase names"));
}

TEST(DataRowChecks, KeysOutOfOrder_AreReportedNamingTheFirstPair) {
  WrittenRow row = real_reconciliation_row(false);
  std::swap(row[0], row[1]);
  EXPECT_THAT(unlike_real_files(checked(ExportKind::billed_reconciliation, {row}).findings),
              Contains("billedReconciliation full: keys are not in the order real files have: line 1 has PartnerId "
                       "after CustomerId; real files have it before"));
}

TEST(DataRowChecks, LastRowWithoutNewline_IsAViolation) {
  std::string text = line_of(real_reconciliation_row(false));
  text.pop_back();
  EXPECT_THAT(check_data_rows(text, ExportKind::billed_reconciliation, "full").violations,
              Contains("billedReconciliation full: the last line (line 1) does not end in \\n"));
}

TEST(DataRowChecks, ByteOrderMark_IsAViolation) {
  const std::string text = "\xEF\xBB\xBF" + line_of(real_reconciliation_row(false));
  EXPECT_THAT(check_data_rows(text, ExportKind::billed_reconciliation, "full").violations,
              Contains("billedReconciliation full: the data starts with a UTF-8 byte order mark"));
}

TEST(DataRowChecks, CarriageReturnLineEnd_IsAViolation) {
  std::string text = line_of(real_reconciliation_row(false));
  text.insert(text.size() - 1, "\r");
  EXPECT_THAT(check_data_rows(text, ExportKind::billed_reconciliation, "full").violations,
              Contains("billedReconciliation full: line 1: holds a CR; real files end lines in \\n alone"));
}

TEST(DataRowChecks, BlankLine_IsAViolation) {
  const std::string text = line_of(real_reconciliation_row(false)) + "\n";
  EXPECT_THAT(check_data_rows(text, ExportKind::billed_reconciliation, "full").violations,
              Contains("billedReconciliation full: line 2: is blank"));
}

TEST(DataRowChecks, DateColumnHoldingNoDate_IsAViolationQuotingIt) {
  WrittenRow row = real_usage_row(ExportKind::billed_usage);
  set_value(row, "UsageDate", quoted("13/02/2024"));
  EXPECT_THAT(checked(ExportKind::billed_usage, {row}).violations,
              Contains("billedUsage full: line 1: UsageDate is neither an ISO 8601 date nor a timestamp: \"13/02/2024\""));
}

TEST(DataRowChecks, TagsThatHoldNoJson_IsAViolation) {
  WrittenRow row = real_usage_row(ExportKind::billed_usage);
  set_value(row, "Tags", quoted("env=prod"));
  EXPECT_THAT(checked(ExportKind::billed_usage, {row}).violations,
              Contains("billedUsage full: line 1: Tags does not hold JSON text: \"env=prod\""));
}

TEST(DataRowChecks, RowThatIsNoObject_IsAViolation) {
  EXPECT_THAT(check_data_rows("[1,2]\n", ExportKind::billed_usage, "basic").violations,
              Contains("billedUsage basic: line 1: is not a JSON object: [1,2]"));
}

TEST(DataRowChecks, RepeatedKey_IsAViolation) {
  WrittenRow row = real_usage_row(ExportKind::billed_usage);
  row.emplace_back("PartnerId", quoted("y"));
  EXPECT_THAT(checked(ExportKind::billed_usage, {row}).violations,
              Contains("billedUsage full: line 1: key PartnerId appears twice"));
}

TEST(DataRowChecks, BasicRowsWithoutPCToBCExchangeRateDate_AreNotCalledUnlikeRealFiles) {
  WrittenRow row;
  const auto& basic = columns_of(ExportKind::billed_usage, "basic");
  for (const auto& member : without(real_usage_row(ExportKind::billed_usage), "PCToBCExchangeRateDate")) {
    const std::string documented = member.first == "BenefitOrderId" ? "BenefitOrderID" : member.first;
    if (std::find(basic.begin(), basic.end(), documented) != basic.end()) row.push_back(member);
  }
  const auto report = checked(ExportKind::billed_usage, {row}, "basic");
  EXPECT_THAT(report.violations, IsEmpty());
  EXPECT_THAT(unlike_real_files(report.findings), IsEmpty());
  EXPECT_THAT(all_sentences(report), Contains("billedUsage basic: rows have 30 keys; Graph's table lists 30 basic columns"));
}

}  // namespace
}  // namespace graphfake::conformance
