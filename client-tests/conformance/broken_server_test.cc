// The suite's own tests: a stand-in server that breaks the contract in one
// chosen way must make the conformance checks say exactly that, and the same
// stand-in without a defect must pass them all. The checks of the other
// export kinds are held to rows and manifests such a server would send.
#include <gmock/gmock.h>

#include <atomic>
#include <cctype>
#include <thread>

#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

enum class Defect {
  none,
  relative_location,
  pascal_case_status,
  missing_odata_type,
  no_retry_after_while_running,
  client_request_id_not_echoed,
  blob_count_off_by_one,
  missing_column,
  not_gzip,
  word_in_numeric_column,
  // Not a defect: the other plausible answers to the open questions
  // (docs/conformance.md): camelCase keys, numbers as strings, a
  // createdDateTime without offset.
  other_dialect,
};

// A row with every full column of `kind`: numbers where the kind has them,
// "G1" as the invoice. The other dialect (Q9) spells keys in camelCase
// and numbers as strings.
Json row_of(ExportKind kind, bool other_dialect) {
  Json row;
  for (const auto& column : columns_of(kind, "full")) {
    const std::string key =
        other_dialect ? std::string(1, static_cast<char>(std::tolower(column[0]))) + column.substr(1) : column;
    if (column == "InvoiceNumber") {
      row[key] = "G1";
    } else if (numeric_columns(kind).count(column)) {
      row[key] = other_dialect ? Json("-1.25") : Json(1.25);
    } else {
      row[key] = "x";
    }
  }
  return row;
}

// Just enough of the API for one export: accepted, running once, then
// succeeded with an inline manifest of one blob of one row.
class StandIn {
 public:
  explicit StandIn(Defect defect) : defect_(defect) {
    server_.Post(R"(/v1\.0/reports/partners/billing/reconciliation/billed/export)",
                 [this](const httplib::Request& req, httplib::Response& res) {
                   graph_headers(req, res);
                   const std::string path = "/v1.0/reports/partners/billing/operations/" + std::string(kOperationId);
                   res.set_header("Location", defect_ == Defect::relative_location ? path : origin_ + path);
                   res.status = 202;
                 });
    server_.Get(R"(/v1\.0/reports/partners/billing/operations/(.+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  graph_headers(req, res);
                  const bool done = polls_++ > 0;
                  Json body;
                  if (defect_ != Defect::missing_odata_type) {
                    body["@odata.type"] = std::string(done ? kSuccessType : kRunningType);
                  }
                  body["id"] = kOperationId;
                  body["status"] = done ? (defect_ == Defect::pascal_case_status ? "Succeeded" : "succeeded") : "running";
                  body["createdDateTime"] = defect_ == Defect::other_dialect ? "2025-01-01T00:00:00"
                                                                              : "2025-01-01T00:00:00Z";
                  body["lastActionDateTime"] = "2025-01-01T00:00:01Z";
                  if (done) body["resourceLocation"] = manifest();
                  if (!done && defect_ != Defect::no_retry_after_while_running) res.set_header("Retry-After", "1");
                  res.set_content(body.dump(), "application/json");
                });
    server_.Get("/blobs/part-00000.json.gz", [this](const httplib::Request&, httplib::Response& res) {
      Json row = row_of(ExportKind::billed_reconciliation, defect_ == Defect::other_dialect);
      if (defect_ == Defect::missing_column) row.erase("Quantity");
      if (defect_ == Defect::word_in_numeric_column) row["UnitPrice"] = "n/a";
      const std::string text = row.dump() + "\n";
      res.set_content(defect_ == Defect::not_gzip ? text : gzipped(text), "application/octet-stream");
    });
    const int port = server_.bind_to_any_port("127.0.0.1");
    origin_ = "http://127.0.0.1:" + std::to_string(port);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
    target_.base_url = origin_;
    target_.token = "token";
    target_.invoice_id = "G1";
    target_.version = "v1.0";
    target_.max_retry_after = std::chrono::seconds(0);
  }

  ~StandIn() {
    server_.stop();
    thread_.join();
  }

  // The violations a run of the suite's export walk finds, blobs included.
  Violations violations() {
    Session session(target_);
    auto run = run_export(session, ExportKind::billed_reconciliation, "full");
    Violations found = run.violations;
    if (!run.manifest.is_null()) {
      for (auto& v : check_manifest(run.manifest)) found.push_back(v);
      auto blob = session.download(blob_url(run.manifest, 0));
      if (blob) {
        for (auto& v : read_blob(blob->body, ExportKind::billed_reconciliation, "full").violations) {
          found.push_back(v);
        }
      }
    }
    return found;
  }

 private:
  static constexpr const char* kOperationId = "6fe687d7-1e0f-4bd6-9091-4672691f64bc";

  void graph_headers(const httplib::Request& req, httplib::Response& res) const {
    res.set_header("request-id", "0a3bb2a6-2dfa-4ad8-b4c5-7f1d0c8e5d11");
    if (defect_ != Defect::client_request_id_not_echoed) {
      res.set_header("client-request-id", req.get_header_value("client-request-id"));
    }
  }

  Json manifest() const {
    return {{"id", "a1b2"},
            {"schemaVersion", "2"},
            {"dataFormat", "compressedJSON"},
            {"createdDateTime", "2025-01-01T00:00:01Z"},
            {"eTag", "e"},
            {"partnerTenantId", "t"},
            {"rootDirectory", origin_ + "/blobs"},
            {"sasToken", "sv=2020-10-02&sig=x"},
            {"partitionType", "default"},
            {"blobCount", defect_ == Defect::blob_count_off_by_one ? 2 : 1},
            {"blobs", Json::array({{{"name", "part-00000.json.gz"}, {"partitionValue", "default"}}})}};
  }

  Defect defect_;
  httplib::Server server_;
  std::thread thread_;
  std::string origin_;
  Target target_;
  std::atomic<int> polls_{0};
};

TEST(ConformanceChecks, AServerThatKeepsTheContract_HasNoViolations) {
  StandIn server(Defect::none);
  EXPECT_THAT(server.violations(), IsEmpty());
}

TEST(ConformanceChecks, AServerGivingTheOtherPlausibleAnswers_HasNoViolations) {
  StandIn server(Defect::other_dialect);
  EXPECT_THAT(server.violations(), IsEmpty());
}

TEST(ConformanceChecks, RelativeLocation_IsReportedAsNotAbsolute) {
  StandIn server(Defect::relative_location);
  EXPECT_THAT(server.violations(),
              Contains(HasSubstr("Location '/v1.0/reports/partners/billing/operations/6fe687d7-1e0f-4bd6-9091-4672691f64bc' "
                                 "is not absolute")));
}

TEST(ConformanceChecks, PascalCaseStatus_IsReportedWithTheExactCasingExpected) {
  StandIn server(Defect::pascal_case_status);
  EXPECT_THAT(server.violations(),
              Contains(HasSubstr(R"(status "Succeeded" is not one of notStarted, running, succeeded, failed (exact casing))")));
}

TEST(ConformanceChecks, MissingODataType_IsReportedWithTheTypeExpected) {
  StandIn server(Defect::missing_odata_type);
  EXPECT_THAT(server.violations(),
              Contains(HasSubstr(R"(@odata.type absent for status "running" is not "#microsoft.graph.partners.billing.runningOperation")")));
}

TEST(ConformanceChecks, RunningWithoutRetryAfter_IsReported) {
  StandIn server(Defect::no_retry_after_while_running);
  EXPECT_THAT(server.violations(), Contains(HasSubstr("a running operation's Retry-After '' is not whole seconds")));
}

TEST(ConformanceChecks, ClientRequestIdNotEchoed_IsReported) {
  StandIn server(Defect::client_request_id_not_echoed);
  EXPECT_THAT(server.violations(), Contains(HasSubstr("client-request-id '' does not echo the one sent")));
}

TEST(ConformanceChecks, BlobCountThatDisagreesWithBlobs_IsReported) {
  StandIn server(Defect::blob_count_off_by_one);
  EXPECT_THAT(server.violations(), Contains("manifest.blobCount 2 is not blobs.length 1"));
}

TEST(ConformanceChecks, RowMissingAColumn_IsReportedNamingIt) {
  StandIn server(Defect::missing_column);
  EXPECT_THAT(server.violations(), Contains(HasSubstr("(missing: Quantity; extra: none)")));
}

TEST(ConformanceChecks, WordInANumericColumn_IsReportedNamingTheColumn) {
  StandIn server(Defect::word_in_numeric_column);
  EXPECT_THAT(server.violations(), Contains("line 1: UnitPrice is neither a number nor a string holding one: \"n/a\""));
}

TEST(ConformanceChecks, BlobThatIsNotGzip_IsReported) {
  StandIn server(Defect::not_gzip);
  EXPECT_THAT(server.violations(), Contains("the blob does not start with the gzip magic 1f 8b"));
}

Violations usage_row_violations(ExportKind kind, const Json& row) {
  return read_blob(gzipped(row.dump() + "\n"), kind, "full").violations;
}

TEST(ConformanceChecks, UsageRowWithEveryColumn_HasNoViolations) {
  EXPECT_THAT(usage_row_violations(ExportKind::billed_usage, row_of(ExportKind::billed_usage, false)), IsEmpty());
}

TEST(ConformanceChecks, WordInAUsageNumericColumn_IsReportedNamingTheColumn) {
  Json row = row_of(ExportKind::billed_usage, false);
  row["BillingPreTaxTotal"] = "n/a";
  EXPECT_THAT(usage_row_violations(ExportKind::billed_usage, row),
              Contains("line 1: BillingPreTaxTotal is neither a number nor a string holding one: \"n/a\""));
}

TEST(ConformanceChecks, BilledUsageRowWithoutInvoiceNumber_IsReportedNamingIt) {
  Json row = row_of(ExportKind::billed_usage, false);
  row.erase("InvoiceNumber");
  EXPECT_THAT(usage_row_violations(ExportKind::billed_usage, row),
              Contains(HasSubstr("54 full billedUsage columns (missing: InvoiceNumber; extra: none)")));
}

TEST(ConformanceChecks, UnbilledUsageRowWithoutTheColumnsUnbilledLinesMayLack_HasNoViolations) {
  Json row = row_of(ExportKind::unbilled_usage, false);
  for (const char* column : {"InvoiceNumber", "BenefitOrderID", "BenefitID"}) row.erase(column);
  EXPECT_THAT(usage_row_violations(ExportKind::unbilled_usage, row), IsEmpty());
}

// A manifest of an unbilled usage export, basic, laid out as real ones are.
Json unbilled_usage_manifest(const std::string& fragment) {
  return {{"partnerTenantId", "d0aaafc0-4f56-478a-b986-fd9eb70046d6"},
          {"rootDirectory",
           "https://adlsreconprodeastus2001.blob.core.windows.net/unbilledusagefastpath/v1/202403040206/"
           "PartnerTenantId=d0aaafc0-4f56-478a-b986-fd9eb70046d6/BillingMonth=202402/Currency=AUD/Fragment=" +
               fragment + "/PartitionType=default"}};
}

const RequestedExport kUnbilledUsageBasic = {.kind = ExportKind::unbilled_usage,
                                             .attribute_set = "basic",
                                             .invoice_id = "",
                                             .currency_code = "AUD",
                                             .billing_period = "current"};

TEST(ConformanceChecks, UsageLayoutOfARealManifest_HasNoViolations) {
  EXPECT_THAT(check_usage_layout(unbilled_usage_manifest("basic"), kUnbilledUsageBasic), IsEmpty());
}

TEST(ConformanceChecks, UsageLayoutWithAnotherFragment_IsReportedWithTheLayoutExpected) {
  EXPECT_THAT(check_usage_layout(unbilled_usage_manifest("full"), kUnbilledUsageBasic),
              Contains(HasSubstr("does not end in /{YYYYMMDDhhmm}/PartnerTenantId=d0aaafc0-4f56-478a-b986-fd9eb70046d6/"
                                 "BillingMonth={YYYYMM}/Currency=AUD/Fragment=basic/PartitionType=default")));
}

}  // namespace
}  // namespace graphfake::conformance
