// The parameters of the three sibling exports (Graph docs, their export
// pages; see docs/sources.md): unbilled exports take currencyCode +
// billingPeriod, billed usage takes invoiceId like the billed reconciliation
// export.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/graph_error.h"
#include "domain/export_validation.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::case_insensitive;
using unit_test::kJsonContentType;

using core::GraphError;
using model::ApiVersion;
using model::AttributeSet;
using model::BillingPeriod;
using model::ExportKind;

model::ExportRequest parse(ExportKind kind, std::string_view body, Dialect dialect = {}) {
  return parse_export_request(kind, ApiVersion::v1_0, kJsonContentType, body, dialect);
}

std::optional<GraphError> error_of(ExportKind kind, std::string_view body, Dialect dialect = {}) {
  try {
    parse(kind, body, dialect);
  } catch (const GraphError& e) {
    return e;
  }
  return std::nullopt;
}

class UnbilledExport : public ::testing::TestWithParam<ExportKind> {};

TEST_P(UnbilledExport, DocsExampleBodyIsParsed) {
  const auto request = parse(GetParam(), R"({"attributeSet":"full","billingPeriod":"current","currencyCode":"USD"})");
  EXPECT_EQ(request.kind, GetParam());
  EXPECT_EQ(request.currency_code, "USD");
  EXPECT_EQ(request.billing_period, BillingPeriod::current);
  EXPECT_EQ(request.attribute_set, AttributeSet::full);
  EXPECT_TRUE(request.invoice_id.empty());
}

TEST_P(UnbilledExport, LastPeriodAndBasicSetAreParsed) {
  const auto request = parse(GetParam(), R"({"currencyCode":"EUR","billingPeriod":"last","attributeSet":"basic"})");
  EXPECT_EQ(request.billing_period, BillingPeriod::last);
  EXPECT_EQ(request.attribute_set, AttributeSet::basic);
}

TEST_P(UnbilledExport, AttributeSetDefaultsToFull) {
  EXPECT_EQ(parse(GetParam(), R"({"currencyCode":"USD","billingPeriod":"current"})").attribute_set, AttributeSet::full);
}

TEST_P(UnbilledExport, WithoutCurrencyCode_Returns400NamingIt) {
  const auto error = error_of(GetParam(), R"({"billingPeriod":"current"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->message(), "The parameter 'currencyCode' is required for the operation 'export'.");
}

TEST_P(UnbilledExport, WithoutBillingPeriod_Returns400NamingIt) {
  const auto error = error_of(GetParam(), R"({"currencyCode":"USD"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The parameter 'billingPeriod' is required for the operation 'export'.");
}

TEST_P(UnbilledExport, UnknownBillingPeriod_Returns400ListingTheMembers) {
  const auto error = error_of(GetParam(), R"({"currencyCode":"USD","billingPeriod":"previous"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(),
            "The value 'previous' is not valid for the parameter 'billingPeriod'; use 'current' or 'last'.");
}

TEST_P(UnbilledExport, UnknownFutureValueBillingPeriod_Returns400AsASentinel) {
  const auto error = error_of(GetParam(), R"({"currencyCode":"USD","billingPeriod":"unknownFutureValue"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message().find("evolvable-enum sentinel"), std::string::npos) << error->message();
}

TEST_P(UnbilledExport, NumericBillingPeriod_Returns400) {
  const auto error = error_of(GetParam(), R"({"currencyCode":"USD","billingPeriod":1})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The parameter 'billingPeriod' must be one of 'current' or 'last', not 1.");
}

TEST_P(UnbilledExport, CurrencyOutsideIso4217_Returns400) {
  const auto error = error_of(GetParam(), R"({"currencyCode":"ABC","billingPeriod":"current"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(),
            "The value 'ABC' is not valid for the parameter 'currencyCode'; use an ISO 4217 currency code such as "
            "'USD'.");
}

TEST_P(UnbilledExport, LowerCaseCurrency_Returns400SuggestingUpperCase) {
  const auto error = error_of(GetParam(), R"({"currencyCode":"usd","billingPeriod":"current"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message().find("upper case: 'USD'"), std::string::npos) << error->message();
}

TEST_P(UnbilledExport, LowerCaseCurrency_IsUpperCasedUnderTheCaseInsensitiveDialect) {
  const auto request =
      parse(GetParam(), R"({"CurrencyCode":"usd","BillingPeriod":"Last","AttributeSet":"Basic"})", case_insensitive());
  EXPECT_EQ(request.currency_code, "USD");
  EXPECT_EQ(request.billing_period, BillingPeriod::last);
  EXPECT_EQ(request.attribute_set, AttributeSet::basic);
}

TEST_P(UnbilledExport, InvoiceId_Returns400AsNotAParameterOfThisExport) {
  const auto error = error_of(GetParam(), R"({"currencyCode":"USD","billingPeriod":"current","invoiceId":"G1"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message().find("'invoiceId'"), std::string::npos) << error->message();
}

TEST_P(UnbilledExport, NumericCurrencyCode_Returns400) {
  const auto error = error_of(GetParam(), R"({"currencyCode":840,"billingPeriod":"current"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The parameter 'currencyCode' must be a string, not 840.");
}

INSTANTIATE_TEST_SUITE_P(ExportValidation, UnbilledExport,
                         ::testing::Values(ExportKind::unbilled_reconciliation, ExportKind::unbilled_usage),
                         [](const auto& info) { return std::string(model::to_string(info.param)); });

TEST(ExportValidation, BilledUsageTakesInvoiceIdAndAttributeSet) {
  const auto request = parse(ExportKind::billed_usage, R"({"invoiceId" : "G016907411", "attributeSet" : "full"})");
  EXPECT_EQ(request.kind, ExportKind::billed_usage);
  EXPECT_EQ(request.invoice_id, "G016907411");
  EXPECT_TRUE(request.currency_code.empty());
}

TEST(ExportValidation, BilledUsageWithoutInvoiceId_Returns400NamingIt) {
  const auto error = error_of(ExportKind::billed_usage, R"({"attributeSet":"basic"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The parameter 'invoiceId' is required for the operation 'export'.");
}

TEST(ExportValidation, BilledUsageRefusesCurrencyCode) {
  const auto error = error_of(ExportKind::billed_usage, R"({"invoiceId":"G1","currencyCode":"USD"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message().find("'currencyCode'"), std::string::npos) << error->message();
}

}  // namespace
}  // namespace graphfake::domain
