// The reference client (graphfake::client) against the in-process fake: what
// a careful partner integration does, one behaviour per test. The fake runs
// on an auto-advancing virtual clock and the client on a clock that records
// each sleep instead of sleeping, so no test waits.
#include <zlib.h>

#include <regex>
#include <set>
#include <thread>

#include "graphfake/client/backoff.h"
#include "graphfake/client/billing_client.h"
#include "graphfake/client/retry_after.h"
#include "support/http_support.h"
#include "support/recording_clock.h"
#include "support/temp_files.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;
namespace gc = graphfake::client;
using Sleeps = std::vector<std::chrono::milliseconds>;

constexpr const char* kVersion4GuidPattern = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

using Row = nlohmann::json;

class ReferenceClient : public ::testing::Test {
 protected:
  // Starts the fake, following `scenario` when given one.
  void start(const std::string& scenario = {}) {
    Options options;
    options.clock = server_clock_;
    options.dialect.data_profile = DataProfile::documented;  // the tests count the documented columns
    if (!scenario.empty()) {
      file_ = std::make_unique<TempScenarioFile>(scenario);
      options.scenario_paths = {file_->path()};
    }
    fake_ = std::make_unique<Server>(options);
    options_.base_url = fake_->base_url();
    options_.token = make_token();
    options_.seed = 7;
    options_.clock = clock_;
    options_.on_event = [this](const gc::Event& event) { events_.push_back(event); };
  }

  // Made on first use, so a test can change options_ after start().
  gc::BillingClient& client() {
    if (!client_) client_ = std::make_unique<gc::BillingClient>(options_);
    return *client_;
  }

  std::vector<gc::Event> events(gc::Event::Kind kind) const {
    std::vector<gc::Event> matching;
    for (const auto& event : events_) {
      if (event.kind == kind) matching.push_back(event);
    }
    return matching;
  }

  gc::Manifest finished_export(const std::string& attribute_set = "full") {
    return client().wait_for_completion(
        client().start_export(gc::ExportRequest::billed_reconciliation("G016907411", attribute_set)));
  }

  std::shared_ptr<VirtualClock> server_clock_ =
      std::make_shared<VirtualClock>(VirtualClock::default_start(), VirtualClock::Mode::auto_advance);
  std::shared_ptr<RecordingClock> clock_ = std::make_shared<RecordingClock>();
  std::unique_ptr<TempScenarioFile> file_;
  std::unique_ptr<Server> fake_;
  gc::Options options_;
  std::vector<gc::Event> events_;
  std::unique_ptr<gc::BillingClient> client_;
  std::vector<Row> rows_;
  gc::RowHandler keep_rows_ = [this](const Row& row) { rows_.push_back(row); };
};

// -- The whole flow -----------------------------------------------------------

constexpr const char* kThreeBlobs =
    R"({"rules": [{ "timeline": [ { "status": "succeeded", "rows": 2500, "rowsPerBlob": 1000 } ] }]})";

TEST_F(ReferenceClient, MultiBlobFullExport_DeliversEveryRowWithThe47FullColumns) {
  start(kThreeBlobs);
  const auto manifest = finished_export("full");
  ASSERT_EQ(manifest.blobs.size(), 3u);
  EXPECT_EQ(client().download_rows(manifest, keep_rows_), 2500u);
  ASSERT_EQ(rows_.size(), 2500u);
  for (const auto& row : rows_) ASSERT_EQ(row.size(), 47u) << row.dump();
  EXPECT_TRUE(events_.empty()) << "nothing needed working around";
}

TEST_F(ReferenceClient, MultiBlobBasicExport_DeliversEveryRowWithThe35BasicColumns) {
  start(kThreeBlobs);
  const auto rows = client().export_rows(gc::ExportRequest::billed_reconciliation("G016907411", "basic"), keep_rows_);
  EXPECT_EQ(rows, 2500u);
  ASSERT_EQ(rows_.size(), 2500u);
  for (const auto& row : rows_) ASSERT_EQ(row.size(), 35u) << row.dump();
}

TEST_F(ReferenceClient, Rows_BelongToTheRequestedInvoice) {
  start();
  client().export_rows(gc::ExportRequest::billed_reconciliation("G000000123"), keep_rows_);
  ASSERT_EQ(rows_.size(), 250u);  // the fake's default export
  for (const auto& row : rows_) ASSERT_EQ(row.at("InvoiceNumber"), "G000000123");
}

TEST_F(ReferenceClient, Export_SendsBearerJsonAndAGuidClientRequestId) {
  // The rule matches only an export carrying all three headers; its failure
  // code is how the test learns that it matched.
  start(std::string(R"({"rules": [{ "match": { "header": {
      "Authorization": { "regex": "Bearer .+" },
      "Content-Type": { "regex": "application/json.*" },
      "client-request-id": { "regex": ")") +
        kVersion4GuidPattern + R"(" } } },
    "timeline": [ { "status": "failed", "error": { "code": "headersMatched", "message": "as expected" } } ] }]})");
  try {
    finished_export();
    FAIL() << "the export did not match the header rule";
  } catch (const gc::OperationFailedError& error) {
    EXPECT_EQ(error.code(), "headersMatched");
  }
}

// -- Polling and Retry-After ----------------------------------------------------

TEST_F(ReferenceClient, Poll_SleepsExactlyTheRetryAfterEachPollAdvertises) {
  start(R"({"rules": [{ "timeline": [
    { "status": "notStarted", "polls": 1, "retryAfter": "7s" },
    { "status": "running", "polls": 2, "retryAfter": "3s" },
    { "status": "succeeded", "rows": 10 } ] }]})");
  finished_export();
  EXPECT_EQ(clock_->sleeps(), (Sleeps{7s, 3s, 3s}));
  // The fake moved its own clock by the same advice, so the two agree.
  EXPECT_EQ(server_clock_->now(), VirtualClock::default_start() + 13s);
}

TEST_F(ReferenceClient, Poll_WaitsOutTimeBasedPhasesAtTheAdvertisedPace) {
  start(R"({"rules": [{ "timeline": [
    { "status": "notStarted", "after": "30s", "retryAfter": "10s" },
    { "status": "running", "after": "2m", "retryAfter": "30s" },
    { "status": "succeeded", "rows": 10 } ] }]})");
  finished_export();
  EXPECT_EQ(clock_->sleeps(), (Sleeps{10s, 10s, 10s, 30s, 30s, 30s, 30s}));
}

TEST_F(ReferenceClient, Export_429IsRetriedAfterItsRetryAfterThenAccepted) {
  start(R"({"rules":[{"faults":[{"on":"export","requests":[1],"status":429,"retryAfter":"5s"}]}]})");
  const auto location = client().start_export(gc::ExportRequest::billed_reconciliation("G016907411"));
  EXPECT_EQ(location.rfind(fake_->base_url() + "/v1.0/reports/partners/billing/operations/", 0), 0u) << location;
  EXPECT_EQ(clock_->sleeps(), (Sleeps{5s}));
  const auto retries = events(gc::Event::Kind::retrying);
  ASSERT_EQ(retries.size(), 1u);
  EXPECT_NE(retries[0].detail.find("429"), std::string::npos) << retries[0].detail;
  EXPECT_EQ(client().wait_for_completion(location).blobs.size(), 3u);
}

TEST_F(ReferenceClient, Poll_503sAreRetriedAfterTheirRetryAfter) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "polls": [2, 3], "status": 503, "retryAfter": "3s" } ] }]})");
  finished_export();
  // notStarted (1 s), two 503s (3 s each), running twice (1 s each), succeeded.
  EXPECT_EQ(clock_->sleeps(), (Sleeps{1s, 3s, 3s, 1s, 1s}));
  EXPECT_EQ(events(gc::Event::Kind::retrying).size(), 2u);
}

TEST_F(ReferenceClient, Poll_503sBeyondMaxAttemptsAreAGraphErrorWithTheRequestId) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "status": 503, "retryAfter": "2s" } ] }]})");
  options_.max_attempts = 3;
  try {
    finished_export();
    FAIL() << "no error";
  } catch (const gc::GraphError& error) {
    EXPECT_EQ(error.status(), 503);
    EXPECT_EQ(error.code(), "ServiceUnavailable");
    EXPECT_TRUE(std::regex_match(error.request_id(), std::regex(kVersion4GuidPattern))) << error.request_id();
    EXPECT_TRUE(std::regex_match(error.client_request_id(), std::regex(kVersion4GuidPattern))) << error.client_request_id();
  }
  EXPECT_EQ(clock_->sleeps(), (Sleeps{2s, 2s}));
}

TEST_F(ReferenceClient, FailedOperation_IsAnOperationFailedErrorWithTheServicesCode) {
  start(R"({"rules": [{ "timeline": [
    { "status": "running", "polls": 1 },
    { "status": "failed", "error": { "code": "5000", "message": "No data available" } } ] }]})");
  const auto location = client().start_export(gc::ExportRequest::billed_reconciliation("G016907411"));
  try {
    client().wait_for_completion(location);
    FAIL() << "no error";
  } catch (const gc::OperationFailedError& error) {
    EXPECT_EQ(error.code(), "5000");
    EXPECT_EQ(error.message(), "No data available");
    EXPECT_EQ(error.operation_url(), location);
  }
}

TEST_F(ReferenceClient, TotalTimeout_IsATimeoutErrorWithoutSleepingPastIt) {
  start(R"({"rules": [{ "timeline": [
    { "status": "notStarted", "after": "10m", "retryAfter": "60s" },
    { "status": "succeeded" } ] }]})");
  options_.completion_timeout = 5min;
  try {
    finished_export();
    FAIL() << "no timeout";
  } catch (const gc::TimeoutError& error) {
    EXPECT_EQ(error.waited(), 5min);
  }
  EXPECT_EQ(clock_->sleeps(), Sleeps(5, 60s));
}

TEST_F(ReferenceClient, RelativeLocation_IsResolvedAgainstTheExportUrlAndReported) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "location": "relative" } ] }]})");
  const auto location = client().start_export(gc::ExportRequest::billed_reconciliation("G016907411"));
  EXPECT_EQ(location.rfind(fake_->base_url() + "/v1.0/reports/partners/billing/operations/", 0), 0u) << location;
  const auto reported = events(gc::Event::Kind::relative_location);
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].url, location);
  EXPECT_EQ(fake_->base_url() + reported[0].detail, location);
  EXPECT_EQ(client().wait_for_completion(location).blobs.size(), 3u);
}

TEST_F(ReferenceClient, EveryExportKind_RunsToCompletionAndReadsEveryRow) {
  start();
  const gc::ExportRequest requests[] = {
      gc::ExportRequest::billed_reconciliation("G016907411"),
      gc::ExportRequest::unbilled_reconciliation("last", "EUR", "basic"),
      gc::ExportRequest::billed_usage("G016907411", "basic"),
      gc::ExportRequest::unbilled_usage("current", "USD"),
  };
  for (const auto& request : requests) {
    std::uint64_t rows_seen = 0;
    EXPECT_EQ(client().export_rows(request, [&](const nlohmann::json&) { ++rows_seen; }), 250u);
    EXPECT_EQ(rows_seen, 250u);
  }
}

TEST_F(ReferenceClient, ClientRequestIds_AreFreshPerRequestAndFollowTheSeed) {
  start();
  auto ids_of_two_requests = [&](std::uint64_t seed) {
    auto options = options_;
    options.seed = seed;
    gc::BillingClient client(options);
    std::vector<std::string> ids;
    for (int i = 0; i < 2; ++i) {
      try {
        // Not an ISO 4217 code: a 400 that carries the id it was sent with.
        client.start_export(gc::ExportRequest::unbilled_reconciliation("last", "EURO"));
      } catch (const gc::GraphError& error) {
        ids.push_back(error.client_request_id());
      }
    }
    return ids;
  };
  const auto first = ids_of_two_requests(11);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_NE(first[0], first[1]);
  EXPECT_EQ(first, ids_of_two_requests(11));
  EXPECT_NE(first, ids_of_two_requests(12));
}

// -- The manifest ----------------------------------------------------------------

// Each read of manifests/{id} is held 750 ms, which the fake's clock records:
// the holds count the reads.
constexpr const char* kManifestFrom = R"({"rules": [{
  "timeline": [ { "status": "succeeded", "rows": 30, "rowsPerBlob": 10, "resourceLocation": "%s" } ],
  "faults": [ { "on": "manifest", "delay": "750ms" } ] }]})";

std::string manifest_from(const std::string& style) {
  return std::regex_replace(kManifestFrom, std::regex("%s"), style);
}

TEST_F(ReferenceClient, InlineOnlyManifest_IsReadFromTheOperation) {
  start(manifest_from("inline"));
  EXPECT_EQ(client().export_rows(gc::ExportRequest::billed_reconciliation("G1"), keep_rows_), 30u);
  EXPECT_TRUE(server_clock_->holds().empty()) << "the manifest resource was read";
}

TEST_F(ReferenceClient, NavigationLinkOnlyManifest_IsFetchedOnceWithTheToken) {
  start(manifest_from("navigationLink"));
  // The fake answers 401 to a manifest read without the bearer token.
  EXPECT_EQ(client().export_rows(gc::ExportRequest::billed_reconciliation("G1"), keep_rows_), 30u);
  EXPECT_EQ(server_clock_->holds(), (std::vector<std::chrono::milliseconds>{750ms}));
}

TEST_F(ReferenceClient, ManifestWhoseBlobCountDisagrees_IsAProtocolError) {
  start(R"({"rules": [{ "faults": [ { "on": "manifest", "blobCountDelta": 1 } ] }]})");
  EXPECT_THROW(finished_export(), gc::ProtocolError);
}

// -- Blobs -----------------------------------------------------------------------

std::string blob_rule(const std::string& faults) {
  return R"({"rules": [{ "timeline": [ { "status": "succeeded", "rows": 2000, "rowsPerBlob": 1000 } ], "faults": )" +
         faults + "}]}";
}

TEST_F(ReferenceClient, Blob500_IsRetriedWithGrowingBackoffThenAStorageErrorWithItsCode) {
  start(blob_rule(R"([ { "on": "blob", "blobs": [0], "status": 500 } ])"));
  options_.max_attempts = 3;
  const auto manifest = finished_export();
  try {
    client().download_blob(manifest, 0, keep_rows_);
    FAIL() << "no error";
  } catch (const gc::StorageError& error) {
    EXPECT_EQ(error.status(), 500);
    EXPECT_EQ(error.code(), "InternalError");  // x-ms-error-code
    EXPECT_FALSE(error.request_id().empty());  // x-ms-request-id
    EXPECT_NE(error.url().find("sig=REDACTED"), std::string::npos) << "the SAS signature is a credential";
  }
  EXPECT_TRUE(rows_.empty());
  // No Retry-After, so back-off: 0.5-1 s, then 1-2 s (Options' 1 s base).
  const auto sleeps = clock_->sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_GE(sleeps[0], 500ms);
  EXPECT_LE(sleeps[0], 1000ms);
  EXPECT_GE(sleeps[1], 1000ms);
  EXPECT_LE(sleeps[1], 2000ms);
  EXPECT_EQ(events(gc::Event::Kind::retrying).size(), 2u);
}

TEST_F(ReferenceClient, Blob503_IsRetriedAfterItsRetryAfterAndOtherBlobsAreUntouched) {
  start(blob_rule(R"([ { "on": "blob", "blobs": [1], "status": 503, "retryAfter": "4s" } ])"));
  options_.max_attempts = 2;
  const auto manifest = finished_export();
  EXPECT_EQ(client().download_blob(manifest, 0, keep_rows_), 1000u);
  EXPECT_THROW(client().download_blob(manifest, 1, keep_rows_), gc::StorageError);
  EXPECT_EQ(clock_->sleeps(), (Sleeps{4s}));
}

TEST_F(ReferenceClient, ConnectionResetMidBlob_IsResumedFromTheBytesReceivedThenATypedError) {
  // The fault cuts every request for the blob at the same absolute byte, a
  // resumed range included: the client must try, then give up saying why.
  start(blob_rule(R"([ { "on": "blob", "blobs": [0], "resetAtByte": 1000 } ])"));
  options_.max_attempts = 3;
  const auto manifest = finished_export();
  try {
    client().download_blob(manifest, 0, keep_rows_);
    FAIL() << "no error";
  } catch (const gc::DownloadInterruptedError& error) {
    EXPECT_EQ(error.blob_name(), manifest.blobs[0].name);
    EXPECT_EQ(error.bytes_received(), 1000u);
    EXPECT_EQ(error.resume_attempts(), 3);
    EXPECT_NE(std::string(error.what()).find("byte 1000"), std::string::npos) << error.what();
  }
  const auto resumes = events(gc::Event::Kind::resuming_download);
  ASSERT_EQ(resumes.size(), 3u);
  for (const auto& resume : resumes) EXPECT_EQ(resume.detail, "bytes=1000-");
  EXPECT_LT(rows_.size(), 1000u);
}

TEST_F(ReferenceClient, ConnectionResetOnSomeRequests_IsResumedAndEveryRowArrivesOnce) {
  // Seeded: the same requests meet the same resets every run.
  start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "rows": 2000, "rowsPerBlob": 250 } ],
    "faults": [ { "on": "blob", "probability": 0.5, "resetAtByte": 3000 } ] }]})");
  options_.max_attempts = 10;
  const auto manifest = finished_export();
  ASSERT_EQ(manifest.blobs.size(), 8u);
  EXPECT_EQ(client().download_rows(manifest, keep_rows_), 2000u);
  ASSERT_EQ(rows_.size(), 2000u);
  EXPECT_FALSE(events(gc::Event::Kind::resuming_download).empty()) << "no blob was reset: pick another probability";
  std::set<std::string> ids;
  for (const auto& row : rows_) ids.insert(row.dump());
  EXPECT_EQ(ids.size(), rows_.size()) << "a row was delivered twice";
}

TEST_F(ReferenceClient, ContentLengthThatLies_IsResumedAndFoundComplete) {
  // All the bytes arrive, then the connection closes short of the claimed
  // length; a resume at the end is answered 416, which proves nothing is missing.
  start(blob_rule(R"([ { "on": "blob", "blobs": [0], "extraContentLength": 50 } ])"));
  const auto manifest = finished_export();
  EXPECT_EQ(client().download_blob(manifest, 0, keep_rows_), 1000u);
  EXPECT_EQ(events(gc::Event::Kind::resuming_download).size(), 1u);
}

TEST_F(ReferenceClient, CorruptGzip_IsABlobDataErrorNamingTheBlob) {
  start(blob_rule(R"([ { "on": "blob", "blobs": [1], "gzip": "corrupt" } ])"));
  const auto manifest = finished_export();
  try {
    client().download_rows(manifest, keep_rows_);
    FAIL() << "no error";
  } catch (const gc::BlobDataError& error) {
    // Flipped deflate bytes may still inflate, to a line that is not JSON,
    // before the gzip checksum would catch them: either way, this blob.
    EXPECT_EQ(error.blob_name(), manifest.blobs[1].name);
  }
  EXPECT_GE(rows_.size(), 1000u) << "blob 0 was delivered first";
}

TEST_F(ReferenceClient, TruncatedGzip_IsABlobDataErrorSayingItEndsEarly) {
  start(blob_rule(R"([ { "on": "blob", "blobs": [0], "gzip": "truncated" } ])"));
  const auto manifest = finished_export();
  try {
    client().download_blob(manifest, 0, keep_rows_);
    FAIL() << "no error";
  } catch (const gc::BlobDataError& error) {
    EXPECT_EQ(error.blob_name(), manifest.blobs[0].name);
    EXPECT_NE(std::string(error.what()).find("ends early"), std::string::npos) << error.what();
  }
}

std::string gzip(const std::string& text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(ReferenceClientBlobs, MalformedLine_IsABlobDataErrorNamingBlobAndLine) {
  // The fake only writes good rows, so a plain server serves a bad one.
  httplib::Server storage;
  const auto body = gzip("{\"Row\":1}\n{\"Row\":2}\n{\"Row\":3,\n{\"Row\":4}\n");
  storage.Get("/container/part-00000.json.gz", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/octet-stream");
  });
  const int port = storage.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { storage.listen_after_bind(); });

  const gc::Manifest manifest{"m",
                              "http://127.0.0.1:" + std::to_string(port) + "/container",
                              "sv=2021-08-06&sig=x",
                              {{"part-00000.json.gz", "default"}}};
  gc::BillingClient client({.base_url = "http://127.0.0.1:" + std::to_string(port), .seed = 1});
  std::vector<Row> rows;
  try {
    client.download_blob(manifest, 0, [&](const Row& row) { rows.push_back(row); });
    ADD_FAILURE() << "no error";
  } catch (const gc::BlobDataError& error) {
    EXPECT_EQ(error.blob_name(), "part-00000.json.gz");
    EXPECT_EQ(error.line(), 3u);
  }
  EXPECT_EQ(rows.size(), 2u);
  storage.stop();
  serving.join();
}

// -- Timing: Retry-After and back-off --------------------------------------------

const auto kNow = VirtualClock::default_start();  // Wed, 01 Jan 2025 00:00:00 GMT

TEST(ReferenceClientTiming, RetryAfter_DelaySecondsAreThatManySeconds) {
  EXPECT_EQ(gc::parse_retry_after("120", kNow), std::chrono::milliseconds(120s));
  EXPECT_EQ(gc::parse_retry_after(" 5 ", kNow), std::chrono::milliseconds(5s));
  EXPECT_EQ(gc::parse_retry_after("0", kNow), std::chrono::milliseconds(0));
  EXPECT_EQ(gc::parse_retry_after("2.128", kNow), std::chrono::milliseconds(2128));  // an old Graph doc's sample
}

TEST(ReferenceClientTiming, RetryAfter_HttpDateIsTheTimeUntilThatDate) {
  EXPECT_EQ(gc::parse_retry_after("Wed, 01 Jan 2025 00:00:30 GMT", kNow), std::chrono::milliseconds(30s));
  EXPECT_EQ(gc::parse_retry_after("Wed, 01 Jan 2025 02:00:00 GMT", kNow - 1h), std::chrono::milliseconds(3h));
}

TEST(ReferenceClientTiming, RetryAfter_AcceptsTheObsoleteRfc850AndAsctimeDateForms) {
  EXPECT_EQ(gc::parse_retry_after("Wednesday, 01-Jan-25 00:01:00 GMT", kNow), std::chrono::milliseconds(60s));
  EXPECT_EQ(gc::parse_retry_after("Wed Jan  1 00:02:00 2025", kNow), std::chrono::milliseconds(120s));
}

TEST(ReferenceClientTiming, RetryAfter_DateInThePastMeansRetryAtOnce) {
  EXPECT_EQ(gc::parse_retry_after("Tue, 31 Dec 2024 23:59:00 GMT", kNow), std::chrono::milliseconds(0));
}

TEST(ReferenceClientTiming, RetryAfter_AnythingElseIsNoAdvice) {
  for (const char* value :
       {"", "soon", "-5", "5s", "1e3", "Wed, 32 Jan 2025 00:00:00 GMT", "Wed, 01 Jan 2025 24:00:00 GMT",
        "Wed, 01 Foo 2025 00:00:00 GMT", "Wed, 01 Jan 2025 00:00:00 UTC"}) {
    EXPECT_FALSE(gc::parse_retry_after(value, kNow).has_value()) << "'" << value << "'";
  }
}

TEST(ReferenceClientTiming, RetryAfter_IsCappedAtADay) {
  EXPECT_EQ(gc::parse_retry_after("99999999999999999999", kNow), std::chrono::milliseconds(24h));
  EXPECT_EQ(gc::parse_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", kNow), std::chrono::milliseconds(24h));
}

TEST(ReferenceClientTiming, HttpDate_ReadsTheImfFixdateExactly) {
  EXPECT_EQ(gc::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            std::chrono::sys_days(std::chrono::year(1994) / 11 / 6) + 8h + 49min + 37s);
}

std::vector<std::chrono::milliseconds> waits(std::uint64_t seed, unsigned count) {
  gc::Backoff backoff(1s, 60s, seed);
  std::vector<std::chrono::milliseconds> out;
  for (unsigned retry = 0; retry < count; ++retry) out.push_back(backoff.delay(retry));
  return out;
}

TEST(ReferenceClientTiming, Backoff_IsTheSameForTheSameSeed) {
  EXPECT_EQ(waits(42, 10), waits(42, 10));
  EXPECT_NE(waits(42, 10), waits(43, 10)) << "the jitter ignores the seed";
}

TEST(ReferenceClientTiming, Backoff_GrowsWithinItsJitterBandUpToTheCap) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto seen = waits(seed, 10);
    for (unsigned retry = 0; retry < seen.size(); ++retry) {
      const auto ceiling = std::min<std::chrono::milliseconds>(1s * (1 << retry), 60s);
      EXPECT_GE(seen[retry], ceiling / 2) << "seed " << seed << " retry " << retry;
      EXPECT_LE(seen[retry], ceiling) << "seed " << seed << " retry " << retry;
      // Up to the cap the bands do not overlap, so each wait is at least the last.
      if (retry > 0 && ceiling < 60s) {
        EXPECT_GE(seen[retry], seen[retry - 1]);
      }
    }
  }
}

TEST(ReferenceClientTiming, Backoff_JitterSpreadsClientsThatFailedTogether) {
  std::set<std::chrono::milliseconds::rep> first_waits;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) first_waits.insert(waits(seed, 1)[0].count());
  EXPECT_GT(first_waits.size(), 10u);
}

}  // namespace
}  // namespace graphfake::testing
