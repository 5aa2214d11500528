#include "domain/export_validation.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

#include "core/graph_error.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::case_insensitive;
using unit_test::kJsonContentType;
using unit_test::nested_arrays;

using core::GraphError;
using model::ApiVersion;
using model::AttributeSet;
using model::ExportKind;

constexpr const char* kValidBody = R"({"invoiceId":"G016907411"})";

model::ExportRequest parse(std::string_view content_type, std::string_view body,
                           ApiVersion version = ApiVersion::v1_0) {
  return parse_export_request(ExportKind::billed_reconciliation, version, content_type, body, Dialect{});
}


model::ExportRequest parse_ignoring_case(std::string_view body) {
  return parse_export_request(ExportKind::billed_reconciliation, ApiVersion::v1_0, kJsonContentType, body, case_insensitive());
}

std::optional<GraphError> error_ignoring_case(std::string_view body) {
  try {
    parse_ignoring_case(body);
  } catch (const GraphError& e) {
    return e;
  }
  return std::nullopt;
}

std::optional<GraphError> error_of(std::string_view content_type, std::string_view body) {
  try {
    parse(content_type, body);
  } catch (const GraphError& e) {
    return e;
  }
  return std::nullopt;
}

std::optional<GraphError> error_of_body(std::string_view body) { return error_of(kJsonContentType, body); }

// --- Content-Type -----------------------------------------------------------

class AcceptedContentType : public ::testing::TestWithParam<const char*> {};

TEST_P(AcceptedContentType, IsAccepted) {
  const auto error = error_of(GetParam(), kValidBody);
  EXPECT_FALSE(error.has_value()) << error->status() << " " << error->message();
}

INSTANTIATE_TEST_SUITE_P(ExportValidation, AcceptedContentType,
                         ::testing::Values("application/json", "application/json; charset=utf-8",
                                           "application/json;charset=UTF-8", "Application/JSON",
                                           "APPLICATION/JSON; CHARSET=utf-8",
                                           "application/json;odata.metadata=minimal;odata.streaming=true",
                                           "application/json ; charset=utf-8", "application/json "));

class RejectedContentType : public ::testing::TestWithParam<const char*> {};

TEST_P(RejectedContentType, IsUnsupportedMediaType415) {
  const auto error = error_of(GetParam(), kValidBody);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 415);
  EXPECT_EQ(error->code(), "UnsupportedMediaType");
  EXPECT_NE(error->message().find("application/json"), std::string::npos) << error->message();
}

INSTANTIATE_TEST_SUITE_P(ExportValidation, RejectedContentType,
                         ::testing::Values("text/plain", "text/plain; charset=utf-8", "application/xml",
                                           "text/json", "application/jsonp", "application/json-patch+json",
                                           "application/x-www-form-urlencoded", "multipart/form-data",
                                           "application", "json", ";charset=utf-8"));

TEST(ExportValidation, TextPlainIsRejectedNamingTheContentType) {
  const auto error = error_of("text/plain", kValidBody);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 415);
  EXPECT_EQ(error->code(), "UnsupportedMediaType");
  EXPECT_NE(error->message().find("text/plain"), std::string::npos) << error->message();
}

TEST(ExportValidation, MissingContentTypeIs415SayingItIsMissing) {
  const auto error = error_of("", kValidBody);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 415);
  EXPECT_EQ(error->code(), "UnsupportedMediaType");
  EXPECT_NE(error->message().find("Content-Type"), std::string::npos) << error->message();
}

TEST(ExportValidation, ContentTypeIsCheckedBeforeTheBody) {
  const auto error = error_of("text/plain", "this is not json");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 415);
}

// --- Body shape ---------------------------------------------------------------

struct BadBody {
  const char* name;
  const char* body;
};

void PrintTo(const BadBody& c, std::ostream* os) { *os << c.name; }

class RejectedBody : public ::testing::TestWithParam<BadBody> {};

TEST_P(RejectedBody, IsBadRequest400) {
  const auto error = error_of_body(GetParam().body);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->code(), "BadRequest");
  EXPECT_FALSE(error->message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    ExportValidation, RejectedBody,
    ::testing::Values(BadBody{"Empty", ""}, BadBody{"Whitespace", " \r\n\t "},
                      BadBody{"UnclosedObject", R"({"invoiceId":"G016907411")"},
                      BadBody{"UnquotedKey", R"({invoiceId:"G016907411"})"}, BadBody{"PlainText", "invoiceId=G1"},
                      BadBody{"TrailingGarbage", R"({"invoiceId":"G016907411"} x)"},
                      BadBody{"TrailingComma", R"({"invoiceId":"G016907411",})"},
                      BadBody{"SingleQuotes", "{'invoiceId':'G016907411'}"},
                      BadBody{"Array", R"([{"invoiceId":"G016907411"}])"}, BadBody{"EmptyArray", "[]"},
                      BadBody{"String", R"("G016907411")"}, BadBody{"Number", "42"}, BadBody{"Null", "null"},
                      BadBody{"Boolean", "true"},
                      BadBody{"InvalidUtf8InString", "{\"invoiceId\":\"G01\xff\xfe\"}"}),
    [](const ::testing::TestParamInfo<BadBody>& info) { return std::string(info.param.name); });

TEST(ExportValidation, NonObjectBodyMessageSaysAnObjectIsExpected) {
  const auto error = error_of_body("[]");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message().find("object"), std::string::npos) << error->message();
}

// --- hostile bodies -----------------------------------------------------------

struct DeepParameter {
  const char* name;
  ExportKind kind;
  const char* other_parameters;
};

void PrintTo(const DeepParameter& c, std::ostream* os) { *os << c.name; }

class DeeplyNestedParameter : public ::testing::TestWithParam<DeepParameter> {};

TEST_P(DeeplyNestedParameter, IsRefusedWith400SayingHowDeepABodyMayBe) {
  const auto& c = GetParam();
  const auto body = std::string("{") + c.other_parameters + "\"" + c.name + "\":" + nested_arrays(75'000) + "}";
  try {
    parse_export_request(c.kind, ApiVersion::v1_0, kJsonContentType, body, Dialect{});
    FAIL() << "the body was accepted";
  } catch (const GraphError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "BadRequest");
    EXPECT_EQ(e.message(), "The request body is not valid JSON: the JSON is nested deeper than 64 levels.");
  }
}

INSTANTIATE_TEST_SUITE_P(
    ExportValidation, DeeplyNestedParameter,
    ::testing::Values(DeepParameter{"invoiceId", ExportKind::billed_reconciliation, ""},
                      DeepParameter{"attributeSet", ExportKind::billed_reconciliation, R"("invoiceId":"G1",)"},
                      DeepParameter{"currencyCode", ExportKind::unbilled_reconciliation, R"("billingPeriod":"last",)"},
                      DeepParameter{"billingPeriod", ExportKind::unbilled_usage, R"("currencyCode":"USD",)"}),
    [](const ::testing::TestParamInfo<DeepParameter>& info) { return std::string(info.param.name); });

TEST(ExportValidation, LargeNonStringValueIsQuotedByItsStartOnly) {
  const auto error = error_of_body(R"({"invoiceId":)" + nested_arrays(60) + "}");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The parameter 'invoiceId' must be a string, not " + std::string(57, '[') + "....");
}

TEST(ExportValidation, LongInvalidEnumValueIsQuotedByItsStartOnly) {
  const auto error = error_of_body(R"({"invoiceId":"G1","attributeSet":")" + std::string(100'000, 'x') + "\"}");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The value '" + std::string(57, 'x') +
                                  "...' is not valid for the parameter 'attributeSet'; use 'full' or 'basic'.");
}

TEST(ExportValidation, LongUnknownPropertyNameIsQuotedByItsStartOnly) {
  const auto error = error_of_body(R"({")" + std::string(100'000, 'p') + R"(":1})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The parameter '" + std::string(57, 'p') +
                                  "...' in the request payload is not a valid parameter for the operation 'export'.");
}

TEST(ExportValidation, PropertyGivenTwiceIsRefused) {
  const auto error = error_of_body(R"({"invoiceId":"G1","invoiceId":"G2"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->message(), "The request body is not valid JSON: the property 'invoiceId' is given twice.");
}

TEST(ExportValidation, NulByteAndMoreAfterTheBodyAreRefused) {
  const auto error = error_of_body(std::string(kValidBody) + '\0' + "{}");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->message(), "The request body is not valid JSON: unexpected bytes after the JSON value at byte 26.");
}

TEST(ExportValidation, MalformedBodyIsDescribedWithoutTheParsersMessage) {
  const auto error = error_of_body(R"({"invoiceId":)");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The request body is not valid JSON: the JSON ends early.");
}

// --- invoiceId ----------------------------------------------------------------

struct BadInvoice {
  const char* name;
  const char* body;
};

void PrintTo(const BadInvoice& c, std::ostream* os) { *os << c.body; }

class RejectedInvoiceId : public ::testing::TestWithParam<BadInvoice> {};

TEST_P(RejectedInvoiceId, IsBadRequestNamingInvoiceId) {
  const auto error = error_of_body(GetParam().body);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->code(), "BadRequest");
  EXPECT_NE(error->message().find("'invoiceId'"), std::string::npos) << error->message();
}

INSTANTIATE_TEST_SUITE_P(
    ExportValidation, RejectedInvoiceId,
    ::testing::Values(BadInvoice{"Missing", "{}"}, BadInvoice{"MissingWithAttributeSet", R"({"attributeSet":"full"})"},
                      BadInvoice{"Empty", R"({"invoiceId":""})"}, BadInvoice{"Spaces", R"({"invoiceId":"   "})"},
                      BadInvoice{"Tab", R"({"invoiceId":"\t"})"},
                      BadInvoice{"Newline", R"({"invoiceId":"\n"})"},
                      BadInvoice{"CrLfAndSpaces", R"({"invoiceId":" \r\n "})"},
                      BadInvoice{"Null", R"({"invoiceId":null})"}, BadInvoice{"Number", R"({"invoiceId":16907411})"},
                      BadInvoice{"Boolean", R"({"invoiceId":true})"},
                      BadInvoice{"Array", R"({"invoiceId":["G016907411"]})"},
                      BadInvoice{"Object", R"({"invoiceId":{"id":"G016907411"}})"}),
    [](const ::testing::TestParamInfo<BadInvoice>& info) { return std::string(info.param.name); });

TEST(ExportValidation, InvoiceIdIsCarriedVerbatim) {
  const auto request = parse(kJsonContentType, R"({"invoiceId":"G016907411"})");
  EXPECT_EQ(request.invoice_id, "G016907411");
}

// --- attributeSet -------------------------------------------------------------

TEST(ExportValidation, AttributeSetDefaultsToFull) {
  EXPECT_EQ(parse(kJsonContentType, kValidBody).attribute_set, AttributeSet::full);
}

TEST(ExportValidation, AttributeSetFullIsAccepted) {
  EXPECT_EQ(parse(kJsonContentType, R"({"invoiceId":"G016907411","attributeSet":"full"})").attribute_set, AttributeSet::full);
}

TEST(ExportValidation, AttributeSetBasicIsAccepted) {
  EXPECT_EQ(parse(kJsonContentType, R"({"invoiceId":"G016907411","attributeSet":"basic"})").attribute_set,
            AttributeSet::basic);
}

TEST(ExportValidation, AttributeSetUnknownFutureValueIsRejected) {
  const auto error = error_of_body(R"({"invoiceId":"G016907411","attributeSet":"unknownFutureValue"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->code(), "BadRequest");
  EXPECT_NE(error->message().find("unknownFutureValue"), std::string::npos) << error->message();
  EXPECT_NE(error->message().find("'attributeSet'"), std::string::npos) << error->message();
}

struct BadAttributeSet {
  const char* name;
  const char* value;  // JSON text
};

void PrintTo(const BadAttributeSet& c, std::ostream* os) { *os << c.value; }

class RejectedAttributeSet : public ::testing::TestWithParam<BadAttributeSet> {};

TEST_P(RejectedAttributeSet, IsBadRequestNamingAttributeSet) {
  const auto body = std::string(R"({"invoiceId":"G016907411","attributeSet":)") + GetParam().value + "}";
  const auto error = error_of_body(body);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->code(), "BadRequest");
  EXPECT_NE(error->message().find("'attributeSet'"), std::string::npos) << error->message();
}

INSTANTIATE_TEST_SUITE_P(
    ExportValidation, RejectedAttributeSet,
    ::testing::Values(BadAttributeSet{"Abbreviation", R"("fu")"}, BadAttributeSet{"PascalCase", R"("Full")"},
                      BadAttributeSet{"UpperCase", R"("BASIC")"}, BadAttributeSet{"Empty", R"("")"},
                      BadAttributeSet{"PaddedValue", R"(" full")"}, BadAttributeSet{"NumericMember", "1"},
                      BadAttributeSet{"Number", "42"}, BadAttributeSet{"Null", "null"},
                      BadAttributeSet{"Boolean", "false"}, BadAttributeSet{"Array", R"(["full"])"}),
    [](const ::testing::TestParamInfo<BadAttributeSet>& info) { return std::string(info.param.name); });

TEST(ExportValidation, InvalidAttributeSetMessageQuotesTheValue) {
  const auto error = error_of_body(R"({"invoiceId":"G016907411","attributeSet":"fu"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message().find("'fu'"), std::string::npos) << error->message();
}

// --- unknown properties ---------------------------------------------------------

TEST(ExportValidation, UnknownPropertyIsRejectedWithODataMessage) {
  const auto error = error_of_body(R"({"invoiceId":"G016907411","foo":"bar"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->code(), "BadRequest");
  EXPECT_EQ(error->message(),
            "The parameter 'foo' in the request payload is not a valid parameter for the operation 'export'.");
}

TEST(ExportValidation, UnknownPropertyIsRejectedWhateverItsValue) {
  for (const char* value : {"null", "1", "{}", "[]", R"("full")"}) {
    SCOPED_TRACE(value);
    const auto error = error_of_body(std::string(R"({"invoiceId":"G016907411","foo":)") + value + "}");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status(), 400);
    EXPECT_NE(error->message().find("'foo'"), std::string::npos) << error->message();
  }
}

TEST(ExportValidation, ParametersOfSiblingExportsAreUnknownForBilledReconciliation) {
  for (const char* name : {"currencyCode", "billingPeriod"}) {
    SCOPED_TRACE(name);
    const auto error = error_of_body(std::string(R"({"invoiceId":"G016907411",")") + name + R"(":"USD"})");
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status(), 400);
    EXPECT_EQ(error->message(), std::string("The parameter '") + name +
                                    "' in the request payload is not a valid parameter for the operation 'export'.");
  }
}

// --- names and values without regard to case (Dialect) ------------------------

TEST(ExportValidation, PascalCaseParameterNameIsUnknownByDefault) {
  const auto error = error_of_body(R"({"InvoiceId":"G016907411"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(),
            "The parameter 'InvoiceId' in the request payload is not a valid parameter for the operation 'export'.");
}

TEST(ExportValidation, IgnoringCase_MicrosoftSampleBodyIsParsed) {
  const auto request = parse_ignoring_case(R"({"InvoiceId":"G016907411","AttributeSet":"Full"})");
  EXPECT_EQ(request.invoice_id, "G016907411");
  EXPECT_EQ(request.attribute_set, AttributeSet::full);
}

TEST(ExportValidation, IgnoringCase_EnumValueInAnyCaseIsBound) {
  EXPECT_EQ(parse_ignoring_case(R"({"invoiceId":"G1","attributeSet":"BASIC"})").attribute_set, AttributeSet::basic);
}

TEST(ExportValidation, IgnoringCase_TheDocumentedSpellingStillWorks) {
  const auto request = parse_ignoring_case(R"({"invoiceId":"G016907411","attributeSet":"basic"})");
  EXPECT_EQ(request.invoice_id, "G016907411");
  EXPECT_EQ(request.attribute_set, AttributeSet::basic);
}

TEST(ExportValidation, IgnoringCase_TwoSpellingsOfOneParameterAreRefused) {
  const auto error = error_ignoring_case(R"({"invoiceId":"G1","INVOICEID":"G2"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 400);
  EXPECT_EQ(error->message(), "The parameter 'invoiceId' is given twice, as 'INVOICEID' and as 'invoiceId'.");
}

TEST(ExportValidation, IgnoringCase_UnknownParameterIsStillRefused) {
  const auto error = error_ignoring_case(R"({"InvoiceId":"G1","Currency":"USD"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(),
            "The parameter 'Currency' in the request payload is not a valid parameter for the operation 'export'.");
}

TEST(ExportValidation, IgnoringCase_MissingInvoiceIdIsNamedAsDocumented) {
  const auto error = error_ignoring_case(R"({"AttributeSet":"Full"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The parameter 'invoiceId' is required for the operation 'export'.");
}

TEST(ExportValidation, IgnoringCase_UnknownFutureValueIsStillRefused) {
  const auto error = error_ignoring_case(R"({"InvoiceId":"G1","AttributeSet":"UnknownFutureValue"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->message().find("evolvable-enum sentinel"), std::string::npos) << error->message();
}

TEST(ExportValidation, IgnoringCase_InvalidValueIsQuotedAsSent) {
  const auto error = error_ignoring_case(R"({"InvoiceId":"G1","AttributeSet":"Fu"})");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message(), "The value 'Fu' is not valid for the parameter 'attributeSet'; use 'full' or 'basic'.");
}

// --- result -------------------------------------------------------------------

TEST(ExportValidation, VersionV1IsCarriedIntoTheResult) {
  EXPECT_EQ(parse(kJsonContentType, kValidBody, ApiVersion::v1_0).version, ApiVersion::v1_0);
}

TEST(ExportValidation, VersionBetaIsCarriedIntoTheResult) {
  EXPECT_EQ(parse(kJsonContentType, kValidBody, ApiVersion::beta).version, ApiVersion::beta);
}

TEST(ExportValidation, KindIsCarriedIntoTheResult) {
  EXPECT_EQ(parse(kJsonContentType, kValidBody).kind, ExportKind::billed_reconciliation);
}

TEST(ExportValidation, WellFormedRequestWithAllParametersIsParsed) {
  const auto request = parse("application/json; charset=utf-8",
                             "\n  {\"attributeSet\": \"basic\", \"invoiceId\": \"G031809528\"}\n", ApiVersion::beta);
  EXPECT_EQ(request.kind, ExportKind::billed_reconciliation);
  EXPECT_EQ(request.version, ApiVersion::beta);
  EXPECT_EQ(request.invoice_id, "G031809528");
  EXPECT_EQ(request.attribute_set, AttributeSet::basic);
}

}  // namespace
}  // namespace graphfake::domain
