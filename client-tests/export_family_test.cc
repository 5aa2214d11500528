// All four exports of the family (Graph docs, the four export pages; see
// docs/sources.md) walked end to end, over http and https: export → poll →
// manifest → every blob, each blob's rows carrying their kind's columns (Graph
// docs, attributeSet enum type), its rootDirectory laid out as its kind's
// (observed in real manifests), and the money in the rows adding up, to the
// last decimal place, to what the fake says the export's totals are.
#include <gmock/gmock.h>

#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "support/http_support.h"
#include "support/temp_files.h"

namespace graphfake::testing {
namespace {

__extension__ using Wide = __int128;

struct Kind {
  const char* name;  // as scenario files and the admin API name it
  const char* path;  // below /{version}/reports/partners/billing
  const char* body;  // the docs' example body, but for attributeSet
  bool usage;
  bool billed;
};

constexpr Kind kBilledReconciliation{"billedReconciliation", "/reconciliation/billed/export",
                                     R"({"invoiceId":"G016907411")", false, true};
constexpr Kind kUnbilledReconciliation{"unbilledReconciliation", "/reconciliation/unbilled/export",
                                       R"({"currencyCode":"EUR","billingPeriod":"current")", false, false};
constexpr Kind kBilledUsage{"billedUsage", "/usage/billed/export", R"({"invoiceId":"G016907411")", true, true};
constexpr Kind kUnbilledUsage{"unbilledUsage", "/usage/unbilled/export",
                              R"({"currencyCode":"AUD","billingPeriod":"last")", true, false};

// Graph docs, attributeSet enum type: the usage table, in the row order of
// its beta version; Basic "No" rows marked.
const std::vector<std::pair<std::string, bool>> kUsageColumns = {
    {"PartnerId", true}, {"PartnerName", true}, {"CustomerId", true}, {"CustomerName", true},
    {"CustomerDomainName", false}, {"CustomerCountry", false}, {"MpnId", false}, {"Tier2MpnId", false},
    {"InvoiceNumber", true}, {"ProductId", true}, {"SkuId", true}, {"AvailabilityId", false},
    {"SkuName", true}, {"ProductName", false}, {"PublisherName", true}, {"PublisherId", false},
    {"SubscriptionDescription", false}, {"SubscriptionId", true}, {"ChargeStartDate", true},
    {"ChargeEndDate", true}, {"UsageDate", true}, {"MeterType", false}, {"MeterCategory", false},
    {"MeterId", false}, {"MeterSubCategory", false}, {"MeterName", false}, {"MeterRegion", false},
    {"Unit", false}, {"ResourceLocation", false}, {"ConsumedService", false}, {"ResourceGroup", false},
    {"ResourceURI", true}, {"ChargeType", true}, {"UnitPrice", true}, {"Quantity", true}, {"UnitType", true},
    {"BillingPreTaxTotal", true}, {"BillingCurrency", true}, {"PricingPreTaxTotal", true},
    {"PricingCurrency", true}, {"ServiceInfo1", false}, {"ServiceInfo2", false}, {"Tags", false},
    {"AdditionalInfo", true}, {"EffectiveUnitPrice", true}, {"PCToBCExchangeRate", true},
    {"EntitlementId", true}, {"EntitlementDescription", false}, {"PartnerEarnedCreditPercentage", false},
    {"CreditPercentage", true}, {"CreditType", true}, {"BenefitOrderID", true}, {"BenefitID", false},
    {"BenefitType", true}};

// Graph docs, attributeSet enum type: the reconciliation table, in its
// order; Basic "No" rows marked.
const std::vector<std::pair<std::string, bool>> kReconciliationColumns = {
    {"PartnerId", true}, {"CustomerId", true}, {"CustomerName", true}, {"CustomerDomainName", false},
    {"CustomerCountry", false}, {"InvoiceNumber", true}, {"MpnId", false}, {"Tier2MpnId", true},
    {"OrderId", true}, {"OrderDate", true}, {"ProductId", true}, {"SkuId", true}, {"AvailabilityId", true},
    {"SkuName", true}, {"ProductName", true}, {"ChargeType", true}, {"UnitPrice", true}, {"Quantity", false},
    {"Subtotal", true}, {"TaxTotal", true}, {"Total", true}, {"Currency", true},
    {"PriceAdjustmentDescription", true}, {"PublisherName", true}, {"PublisherId", false},
    {"SubscriptionDescription", false}, {"SubscriptionId", true}, {"ChargeStartDate", true},
    {"ChargeEndDate", true}, {"TermAndBillingCycle", true}, {"EffectiveUnitPrice", true}, {"UnitType", false},
    {"AlternateId", false}, {"BillableQuantity", true}, {"BillingFrequency", false}, {"PricingCurrency", true},
    {"PCToBCExchangeRate", true}, {"PCToBCExchangeRateDate", false}, {"MeterDescription", false},
    {"ReservationOrderId", true}, {"CreditReasonCode", true}, {"SubscriptionStartDate", true},
    {"SubscriptionEndDate", true}, {"ReferenceId", true}, {"ProductQualifiers", false}, {"PromotionId", true},
    {"ProductCategory", true}};

std::vector<std::string> expected_columns(const Kind& kind, const std::string& attribute_set) {
  std::vector<std::string> names;
  for (const auto& [name, in_basic] : kind.usage ? kUsageColumns : kReconciliationColumns) {
    if (attribute_set == "full" || in_basic) names.push_back(name);
  }
  return names;
}

// The raw text of a numeric value in a data line, quoted or not: parsing as
// double would lose the cents the totals are checked to.
std::string raw_number(const std::string& line, const std::string& key) {
  const std::regex pattern("\"" + key + "\":\"?(-?[0-9]+(\\.[0-9]+)?)\"?[,}]");
  std::smatch match;
  if (!std::regex_search(line, match, pattern)) {
    ADD_FAILURE() << key << " is not a number in " << line;
    return "0";
  }
  return match[1];
}

// Decimal text as an integer count of 10^-scale units; the text must not
// carry more places than `scale`.
Wide fixed_point(const std::string& text, int scale) {
  const bool negative = text.starts_with('-');
  const auto digits = negative ? text.substr(1) : text;
  const auto dot = digits.find('.');
  std::string fraction = dot == std::string::npos ? "" : digits.substr(dot + 1);
  if (static_cast<int>(fraction.size()) > scale) ADD_FAILURE() << text << " has more than " << scale << " places";
  fraction.resize(static_cast<std::size_t>(scale), '0');
  Wide units = 0;
  for (char c : digits.substr(0, dot) + fraction) units = units * 10 + (c - '0');
  return negative ? -units : units;
}

struct Sums {
  std::uint64_t rows = 0;
  std::vector<Wide> values;
};

using Transport = bool;  // true: https

struct Case {
  Kind kind;
  std::string attribute_set;
  Transport https;
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return std::string(info.param.kind.name) + "_" + info.param.attribute_set + (info.param.https ? "_https" : "_http");
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.kind.name << " " << c.attribute_set << (c.https ? " over https" : " over http");
}

class ExportFamilyWalk : public FakeTest, public ::testing::WithParamInterface<Case> {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.rows_per_export = 420;
    options.rows_per_blob = 150;  // three blobs, the last one short
    if (GetParam().https) {
      options.tls_certificate_file = certificate_.certificate;
      options.tls_private_key_file = certificate_.key;
    }
    return options;
  }

  void SetUp() override {
    FakeTest::SetUp();
    if (GetParam().https) {
      client_->set_ca_cert_path(certificate_.certificate.c_str());
      client_->enable_server_certificate_verification(true);
    }
  }

  std::string export_path(const std::string& version = "v1.0") const {
    return "/" + version + "/reports/partners/billing" + GetParam().kind.path;
  }
  std::string export_body() const {
    return std::string(GetParam().kind.body) + R"(,"attributeSet":")" + GetParam().attribute_set + "\"}";
  }

  // Export, poll to the end (moving the clock by each Retry-After) and
  // return the manifest.
  Json walk_to_manifest() {
    auto accepted = post_json(export_path(), export_body());
    if (!accepted || accepted->status != 202) {
      ADD_FAILURE() << "export not accepted: " << (accepted ? accepted->body : httplib::to_string(accepted.error()));
      return {};
    }
    location_ = accepted->get_header_value("Location");
    const auto operation = poll_to_completion(location_);
    if (operation.value("status", "") != "succeeded") {
      ADD_FAILURE() << "export did not succeed: " << operation.dump();
      return {};
    }
    return operation.at("resourceLocation");
  }

  // Every blob's lines, as text.
  std::vector<std::string> download_lines(const Json& manifest) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < manifest.at("blobs").size(); ++i) {
      auto blob = get_unauthenticated(blob_url(manifest, i));
      if (!blob || blob->status != 200) {
        ADD_FAILURE() << "blob " << i << " not served";
        continue;
      }
      const auto text = gunzip(blob->body);
      std::size_t start = 0;
      for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
      }
      EXPECT_EQ(start, text.size()) << "blob " << i << " does not end with a newline";
    }
    return lines;
  }

  TempDir dir_;
  CertificateFiles certificate_{dir_};
  std::string location_;
};

TEST_P(ExportFamilyWalk, EveryBlobHoldsRowsWithExactlyTheKindsColumnsInOrder) {
  const auto manifest = walk_to_manifest();
  ASSERT_FALSE(manifest.is_null());
  EXPECT_EQ(manifest.at("blobCount"), 3);
  const auto lines = download_lines(manifest);
  ASSERT_EQ(lines.size(), 420u);
  const auto expected = expected_columns(GetParam().kind, GetParam().attribute_set);
  for (const auto& line : lines) {
    const auto row = Json::parse(line);
    std::vector<std::string> keys;
    for (const auto& [key, value] : row.items()) keys.push_back(key);
    ASSERT_EQ(keys, expected) << line;
  }
}

TEST_P(ExportFamilyWalk, RowsNameTheInvoiceOfABilledExportAndNoneOfAnUnbilledOne) {
  const auto manifest = walk_to_manifest();
  ASSERT_FALSE(manifest.is_null());
  std::set<std::string> invoices;
  for (const auto& line : download_lines(manifest)) invoices.insert(Json::parse(line).at("InvoiceNumber"));
  EXPECT_EQ(invoices, std::set<std::string>{GetParam().kind.billed ? "G016907411" : ""});
}

TEST_P(ExportFamilyWalk, RootDirectoryIsLaidOutAsTheKindsRealManifestsAreOnTheRequestsOrigin) {
  const auto manifest = walk_to_manifest();
  ASSERT_FALSE(manifest.is_null());
  const std::string root = manifest.at("rootDirectory");
  const std::string tenant = manifest.at("partnerTenantId");
  const std::string prefix = fake_->base_url() + "/devstoreaccount1/" +
                             (GetParam().kind.billed ? "billed" : "unbilled") +
                             (GetParam().kind.usage ? "usage" : "reconciliation") + "fastpath/v1/";
  const std::string fragment = "/Fragment=" + GetParam().attribute_set + "/PartitionType=default";
  const std::string layout =
      GetParam().kind.billed
          ? "PartnerTenantId=" + tenant + "/BillingMonth=[0-9]{6}/InvoiceId=G016907411/InvoiceVersion=[0-9]{12}"
          : "[0-9]{12}/PartnerTenantId=" + tenant + "/BillingMonth=[0-9]{6}/Currency=" +
                Json::parse(std::string(GetParam().kind.body) + "}").at("currencyCode").get<std::string>();
  EXPECT_THAT(root, ::testing::MatchesRegex(prefix + layout + fragment));
}

TEST_P(ExportFamilyWalk, MoneyInTheRowsAddsUpToTheExpectedTotalsByCurrencyAndCustomer) {
  const auto manifest = walk_to_manifest();
  ASSERT_FALSE(manifest.is_null());
  const auto totals = fake_->admin().expected_totals(operation_id_of(location_));
  ASSERT_FALSE(totals.columns.empty());
  const std::string currency_column = GetParam().kind.usage ? "BillingCurrency" : "Currency";

  std::map<std::string, Sums> by_currency;
  std::map<std::pair<std::string, std::string>, Sums> by_customer;
  for (const auto& line : download_lines(manifest)) {
    const auto row = Json::parse(line);
    const std::string currency = row.at(currency_column);
    auto& currency_sums = by_currency[currency];
    auto& customer_sums = by_customer[{row.at("CustomerId"), currency}];
    currency_sums.values.resize(totals.columns.size());
    customer_sums.values.resize(totals.columns.size());
    ++currency_sums.rows;
    ++customer_sums.rows;
    for (std::size_t c = 0; c < totals.columns.size(); ++c) {
      const Wide value = fixed_point(raw_number(line, totals.columns[c]), totals.scale);
      currency_sums.values[c] += value;
      customer_sums.values[c] += value;
    }
  }

  auto expect_sums = [&](const AmountSums& expected, const Sums& read, const std::string& what) {
    EXPECT_EQ(expected.rows, read.rows) << what;
    ASSERT_EQ(expected.sums.size(), read.values.size()) << what;
    for (std::size_t c = 0; c < read.values.size(); ++c) {
      EXPECT_TRUE(fixed_point(expected.sums[c], totals.scale) == read.values[c])
          << what << " " << totals.columns[c] << ": the fake says " << expected.sums[c];
    }
  };
  ASSERT_EQ(totals.by_currency.size(), by_currency.size());
  for (const auto& group : totals.by_currency) {
    ASSERT_TRUE(by_currency.count(group.currency)) << group.currency;
    expect_sums(group.amounts, by_currency.at(group.currency), "currency " + group.currency);
  }
  ASSERT_EQ(totals.by_customer.size(), by_customer.size());
  for (const auto& group : totals.by_customer) {
    const auto key = std::make_pair(group.customer_id, group.currency);
    ASSERT_TRUE(by_customer.count(key)) << group.customer_id;
    expect_sums(group.amounts, by_customer.at(key), "customer " + group.customer_name);
  }
  EXPECT_EQ(totals.all.rows, 420u);
}

class UnbilledPeriod : public FakeTest {
 protected:
  Json manifest_for(const std::string& period) {
    auto accepted = post_json("/v1.0/reports/partners/billing/reconciliation/unbilled/export",
                              R"({"currencyCode":"GBP","billingPeriod":")" + period + "\"}");
    EXPECT_EQ(accepted->status, 202) << accepted->body;
    return poll_to_completion(accepted->get_header_value("Location")).at("resourceLocation");
  }
};

TEST_F(UnbilledPeriod, CurrentIsTheMonthTheExportIsRequestedInUpToYesterdayOnTheFakesClock) {
  using namespace std::chrono;
  clock_->set(TimePoint{sys_days{2025y / March / 17} + 9h + 45min});
  const auto manifest = manifest_for("current");
  EXPECT_THAT(manifest.at("rootDirectory").get<std::string>(),
              ::testing::HasSubstr("/v1/202503170945/PartnerTenantId="));
  EXPECT_THAT(manifest.at("rootDirectory").get<std::string>(), ::testing::HasSubstr("/BillingMonth=202503/"));
  const auto rows = json_lines(gunzip(get_unauthenticated(blob_url(manifest, 0))->body));
  // Charges reach the data a day after they happen: none after the 16th yet.
  for (const auto& row : rows) {
    const auto start = row.at("ChargeStartDate").get<std::string>();
    EXPECT_TRUE(start >= "2025-03-01" && start < "2025-03-17") << row.dump();
  }
}

TEST_F(UnbilledPeriod, LastIsTheMonthBeforeAcrossAYearEnd) {
  clock_->set(TimePoint{std::chrono::sys_days{std::chrono::year{2025} / 1 / 1}});
  EXPECT_THAT(manifest_for("last").at("rootDirectory").get<std::string>(),
              ::testing::HasSubstr("/BillingMonth=202412/Currency=GBP/"));
}

std::vector<Case> every_case() {
  std::vector<Case> cases;
  for (const Kind& kind : {kBilledReconciliation, kUnbilledReconciliation, kBilledUsage, kUnbilledUsage}) {
    for (const char* set : {"full", "basic"}) {
      for (const bool https : {false, true}) cases.push_back({kind, set, https});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(ExportFamily, ExportFamilyWalk, ::testing::ValuesIn(every_case()), case_name);

}  // namespace
}  // namespace graphfake::testing
