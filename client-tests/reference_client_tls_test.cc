// The reference client (graphfake::client) against the in-process fake over
// https: trusting only the fake's throw-away certificate it does the whole
// flow, and a client that cannot verify the fake fails at once with a
// TransportError. As in reference_client_test.cc, the fake's clock
// auto-advances and the client's records its sleeps, so no test waits.

#include <fstream>
#include <set>

#include "graphfake/client/billing_client.h"
#include "support/http_support.h"
#include "support/recording_clock.h"
#include "support/temp_files.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;
namespace gc = graphfake::client;

class ReferenceClientTls : public ::testing::Test {
 protected:
  // Starts the fake over https, following `scenario` when given one; the
  // client trusts the fake's certificate and nothing else.
  void start(const std::string& scenario = {}) {
    Options options;
    options.clock = server_clock_;
    options.tls_certificate_file = files_.certificate;
    options.tls_private_key_file = files_.key;
    if (!scenario.empty()) {
      const auto path = dir_.file("scenario.json");
      std::ofstream(path) << scenario;
      options.scenario_paths = {path};
    }
    fake_ = std::make_unique<Server>(options);
    options_.base_url = fake_->base_url();
    options_.token = make_token();
    options_.seed = 7;
    options_.clock = clock_;
    options_.ca_cert_file = files_.certificate;
    // A handshake that stalled instead of failing shows as a failed test, not a ctest timeout.
    options_.connect_timeout = 5s;
    options_.read_timeout = 5s;
    options_.on_event = [this](const gc::Event& event) { events_.push_back(event); };
  }

  // Made on first use, so a test can change options_ after start().
  gc::BillingClient& client() {
    if (!client_) client_ = std::make_unique<gc::BillingClient>(options_);
    return *client_;
  }

  // The TransportError the first request of an export fails with; fails the
  // test if it does not.
  std::string refused_export() {
    try {
      client().start_export(gc::ExportRequest::billed_reconciliation("G016907411"));
    } catch (const gc::TransportError& error) {
      EXPECT_EQ(error.url(), fake_->base_url() + kBilledExportPath);
      return error.what();
    }
    ADD_FAILURE() << "the export was accepted";
    return {};
  }

  TempDir dir_;
  CertificateFiles files_{dir_};
  std::shared_ptr<VirtualClock> server_clock_ =
      std::make_shared<VirtualClock>(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
  std::shared_ptr<RecordingClock> clock_ = std::make_shared<RecordingClock>();
  std::unique_ptr<Server> fake_;
  gc::Options options_;
  std::vector<gc::Event> events_;
  std::unique_ptr<gc::BillingClient> client_;
  std::uint64_t rows_ = 0;
  gc::RowHandler count_rows_ = [this](const nlohmann::json&) { ++rows_; };
};

TEST_F(ReferenceClientTls, MultiBlobExport_TrustingOnlyTheFakesCertificate_StreamsEveryBlobFromTheHttpsOrigin) {
  start(R"({"rules": [{ "timeline": [
    { "status": "running", "polls": 2 },
    { "status": "succeeded", "rows": 2500, "rowsPerBlob": 1000 } ] }]})");
  ASSERT_TRUE(fake_->base_url().starts_with("https://")) << fake_->base_url();

  const auto operation = client().start_export(gc::ExportRequest::billed_reconciliation("G016907411"));
  EXPECT_TRUE(operation.starts_with(fake_->base_url() + "/v1.0/")) << operation;
  const auto manifest = client().wait_for_completion(operation);
  EXPECT_EQ(clock_->sleeps(), (std::vector<std::chrono::milliseconds>{1s, 1s})) << "polled while running";

  ASSERT_EQ(manifest.blobs.size(), 3u);
  const std::vector<std::uint64_t> rows_per_blob{1000, 1000, 500};
  for (std::size_t i = 0; i < manifest.blobs.size(); ++i) {
    EXPECT_TRUE(manifest.blob_url(i).starts_with(fake_->base_url() + "/")) << manifest.blob_url(i);
    EXPECT_EQ(client().download_blob(manifest, i, count_rows_), rows_per_blob[i]) << "blob " << i;
  }
  EXPECT_EQ(rows_, 2500u);
  EXPECT_TRUE(events_.empty()) << "nothing needed working around";
}

TEST_F(ReferenceClientTls, NavigationLinkOnlyManifest_IsFetchedOverHttpsWithTheToken) {
  // Each read of manifests/{id} is held 750 ms, which the fake's clock
  // records: the holds count the reads. Without the token it would be a 401.
  start(R"({"rules": [{
    "timeline": [ { "status": "succeeded", "rows": 30, "rowsPerBlob": 10, "resourceLocation": "navigationLink" } ],
    "faults": [ { "on": "manifest", "delay": "750ms" } ] }]})");
  EXPECT_EQ(client().export_rows(gc::ExportRequest::billed_reconciliation("G1"), count_rows_), 30u);
  EXPECT_EQ(server_clock_->holds(), (std::vector<std::chrono::milliseconds>{750ms}));
}

TEST_F(ReferenceClientTls, ConnectionsResetMidBlob_AreResumedOverHttpsAndEveryRowArrivesOnce) {
  // Seeded: the same requests meet the same resets every run.
  start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "rows": 2000, "rowsPerBlob": 250 } ],
    "faults": [ { "on": "blob", "probability": 0.5, "resetAtByte": 3000 } ] }]})");
  options_.max_attempts = 10;
  std::set<std::string> rows;
  const auto rows_delivered = client().export_rows(gc::ExportRequest::billed_reconciliation("G016907411"),
                                                   [&](const nlohmann::json& row) { rows.insert(row.dump()); });
  EXPECT_EQ(rows_delivered, 2000u);
  EXPECT_EQ(rows.size(), 2000u) << "a row was delivered twice";
  EXPECT_FALSE(events_.empty()) << "no blob was reset: pick another probability";
  for (const auto& event : events_) EXPECT_EQ(event.kind, gc::Event::Kind::resuming_download) << event.detail;
}

TEST_F(ReferenceClientTls, ClientTrustingOnlyTheSystemCas_FailsVerificationAtOnceWithoutRetrying) {
  start();
  options_.ca_cert_file.clear();
  const auto message = refused_export();
  EXPECT_NE(message.find("(attempt 1): SSLServerVerification"), std::string::npos) << message;
  EXPECT_TRUE(events_.empty()) << "a certificate that fails to verify fails the same way next time";
  EXPECT_TRUE(clock_->sleeps().empty());
}

TEST_F(ReferenceClientTls, ClientTrustingAnotherCertificate_FailsVerificationAtOnceWithoutRetrying) {
  start();
  const CertificateFiles other(dir_, "other");
  options_.ca_cert_file = other.certificate;
  const auto message = refused_export();
  EXPECT_NE(message.find("(attempt 1): SSLServerVerification"), std::string::npos) << message;
  EXPECT_TRUE(events_.empty());
}

TEST_F(ReferenceClientTls, CaFileThatDoesNotExist_FailsLoadingCertificatesAtOnceWithoutRetrying) {
  start();
  options_.ca_cert_file = dir_.file("missing.crt");
  const auto message = refused_export();
  EXPECT_NE(message.find("(attempt 1): SSLLoadingCerts"), std::string::npos) << message;
  EXPECT_TRUE(events_.empty());
}

TEST_F(ReferenceClientTls, VerificationOff_ExportsFromTheSelfSignedFakeWithoutItsCertificate) {
  start();
  options_.ca_cert_file.clear();
  options_.verify_certificate = false;
  EXPECT_EQ(client().export_rows(gc::ExportRequest::billed_reconciliation("G016907411"), count_rows_), 250u);
}

}  // namespace
}  // namespace graphfake::testing
