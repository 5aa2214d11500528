// Scenario files as a client experiences them, over HTTP.

#include <algorithm>
#include <future>
#include <set>
#include <regex>
#include <thread>

#include "graphfake/scenarios.h"
#include "support/http_support.h"
#include "support/temp_files.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

class Scenarios : public FakeTest {
 protected:
  void SetUp() override {}  // each test starts the fake with its own scenario

  void start(const std::string& scenario, VirtualClock::Mode mode = VirtualClock::Mode::manual) {
    file_ = std::make_unique<TempScenarioFile>(scenario);
    clock_ = std::make_shared<VirtualClock>(VirtualClock::default_start(), mode);
    Options options;
    options.clock = clock_;
    options.scenario_paths = {file_->path()};
    options.dialect.data_profile = DataProfile::documented;  // the tests count the documented columns
    fake_ = std::make_unique<Server>(options);
    client_ = std::make_unique<httplib::Client>(fake_->base_url());
  }

  std::vector<std::string> statuses(const std::string& location, int polls) {
    std::vector<std::string> seen;
    for (int i = 0; i < polls; ++i) seen.push_back(Json::parse(get(location)->body)["status"]);
    return seen;
  }

  std::unique_ptr<TempScenarioFile> file_;
};

constexpr const char* kFailedNoData = R"({
  "rules": [{ "timeline": [
    { "status": "running", "polls": 1 },
    { "status": "failed", "error": { "code": "5000", "message": "No data available" } } ] }]
})";

// Graph docs, Get operation: the failed example, copied exactly.
constexpr const char* kDocumentedFailedOperation = R"({
  "@odata.type": "#microsoft.graph.partners.billing.failedOperation",
  "id": "6fe687d7-1e0f-4bd6-9091-4672691f64bc",
  "status": "failed",
  "createdDateTime": "2023-03-09T08:12:53",
  "lastActionDateTime": "2023-03-09T08:37:48.5046691Z",
  "error": {
    "message": "No data available",
    "code": "5000"
  }
})";

TEST_F(Scenarios, FailedTimeline_EndsInTheDocumentedFailedOperation) {
  start(kFailedNoData);
  const auto served = poll_to_completion(start_export());
  const auto documented = Json::parse(kDocumentedFailedOperation);
  for (const auto& [name, value] : documented.items()) {
    ASSERT_TRUE(served.contains(name)) << name;
    EXPECT_EQ(served[name].type(), value.type()) << name;
  }
  EXPECT_EQ(served["@odata.type"], documented["@odata.type"]);
  EXPECT_EQ(served["status"], "failed");
  EXPECT_EQ(served["error"]["code"], "5000");
  EXPECT_EQ(served["error"]["message"], "No data available");
  EXPECT_FALSE(served.contains("resourceLocation"));
}

TEST_F(Scenarios, FailedOperation_StaysFailedAndIsAnswered200) {
  start(kFailedNoData);
  const auto location = start_export();
  poll_to_completion(location);
  clock_->advance(1h);
  auto again = get(location);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(Json::parse(again->body)["status"], "failed");
  EXPECT_FALSE(again->has_header("Retry-After"));
}

TEST_F(Scenarios, TimeBasedPhases_MoveOnlyWhenTheClockDoes) {
  start(R"({"rules": [{ "timeline": [
    { "status": "notStarted", "after": "30s", "retryAfter": "10s" },
    { "status": "running", "after": "2m", "retryAfter": "30s" },
    { "status": "succeeded" } ] }]})");
  const auto location = start_export();
  EXPECT_EQ(statuses(location, 3), (std::vector<std::string>{"notStarted", "notStarted", "notStarted"}));
  clock_->advance(30s);
  auto running = get(location);
  EXPECT_EQ(Json::parse(running->body)["status"], "running");
  EXPECT_EQ(running->get_header_value("Retry-After"), "30");
  EXPECT_EQ(Json::parse(running->body)["lastActionDateTime"], "2025-01-01T00:00:30.000Z");
  clock_->advance(2min - 1ms);
  EXPECT_EQ(Json::parse(get(location)->body)["status"], "running");
  clock_->advance(1ms);
  const auto done = Json::parse(get(location)->body);
  EXPECT_EQ(done["status"], "succeeded");
  EXPECT_EQ(done["lastActionDateTime"], "2025-01-01T00:02:30.000Z");
}

TEST_F(Scenarios, AutoAdvanceClock_CompletesTimedPhasesInImmediatePolls) {
  start(R"({"rules": [{ "timeline": [
    { "status": "notStarted", "after": "30s", "retryAfter": "30s" },
    { "status": "running", "after": "5m", "retryAfter": "60s" },
    { "status": "succeeded" } ] }]})",
        VirtualClock::Mode::auto_advance);
  const auto location = start_export();
  // 30 s of notStarted, then 5 polls of 60 s: done on the 7th poll, no sleeping.
  EXPECT_EQ(statuses(location, 7), (std::vector<std::string>{"notStarted", "running", "running", "running", "running",
                                                             "running", "succeeded"}));
}

TEST_F(Scenarios, RulesMatchOnHeaders_FirstMatchWins) {
  start(R"({"rules": [
    { "match": { "header": { "X-Test-Case": "fail" } },
      "timeline": [ { "status": "failed", "error": { "code": "5000", "message": "No data available" } } ] },
    { "match": { "invoiceId": { "regex": "G9\\d+" } },
      "timeline": [ { "status": "failed", "error": { "code": "9", "message": "nines" } } ] },
    { "timeline": [ { "status": "succeeded", "rows": 3 } ] } ]})");
  auto export_with = [&](const std::string& invoice, httplib::Headers headers) {
    auto result = post_json(kBilledExportPath, Json{{"invoiceId", invoice}}.dump(), std::move(headers));
    return Json::parse(get(result->get_header_value("Location"))->body);
  };
  EXPECT_EQ(export_with("G900", {{"x-test-case", "fail"}})["error"]["code"], "5000");
  EXPECT_EQ(export_with("G900", {})["error"]["code"], "9");
  EXPECT_EQ(export_with("G9", {})["status"], "succeeded");
  EXPECT_EQ(export_with("XG900", {})["status"], "succeeded");
}

// A backtracking engine takes exponential time on this pair; RE2 answers at
// once, so the export is served and so is everyone else.
TEST_F(Scenarios, NestedQuantifierRegex_DoesNotHoldTheExportUp) {
  start(R"({"rules": [
    { "match": { "invoiceId": { "regex": "(a+)+$" } },
      "timeline": [ { "status": "failed", "error": { "code": "5000", "message": "No data available" } } ] },
    { "timeline": [ { "status": "succeeded", "rows": 3 } ] } ]})");
  auto result = post_json(kBilledExportPath, Json{{"invoiceId", std::string(40, 'a') + "b"}}.dump());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
  EXPECT_EQ(Json::parse(get(result->get_header_value("Location"))->body)["status"], "succeeded");
  EXPECT_EQ(client_->Get("/_graphfake/health")->status, 200);
}

TEST_F(Scenarios, NavigationLinkStyle_ServesOnlyTheLinkLikeTheDocs) {
  start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "resourceLocation": "navigationLink" } ] }]})");
  const auto body = poll_to_completion(start_export());
  EXPECT_FALSE(body.contains("resourceLocation"));
  ASSERT_TRUE(body.contains("resourceLocation@odata.navigationLink"));
  EXPECT_EQ(get(body["resourceLocation@odata.navigationLink"])->status, 200);
}

TEST_F(Scenarios, InlineStyle_ServesOnlyTheObject) {
  start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "resourceLocation": "inline" } ] }]})");
  const auto body = poll_to_completion(start_export());
  EXPECT_TRUE(body["resourceLocation"].is_object());
  EXPECT_FALSE(body.contains("resourceLocation@odata.navigationLink"));
}

TEST_F(Scenarios, ManifestShape_ControlsBlobsRowsAndColumns) {
  start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "rows": 10, "blobs": 4, "attributeSet": "basic" } ] }]})");
  const auto manifest = poll_to_completion(start_export("G1", "full"))["resourceLocation"];
  ASSERT_EQ(manifest["blobCount"], 4);
  EXPECT_NE(manifest["rootDirectory"].get<std::string>().find("Fragment=basic"), std::string::npos);
  std::vector<std::size_t> rows_per_blob;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto rows = json_lines(gunzip(get_unauthenticated(blob_url(manifest, i))->body));
    rows_per_blob.push_back(rows.size());
    for (const auto& row : rows) EXPECT_EQ(row.size(), 35u);
  }
  EXPECT_EQ(rows_per_blob, (std::vector<std::size_t>{3, 3, 2, 2}));
}

TEST_F(Scenarios, RulesMatchOnKindCurrencyAndPeriod) {
  start(R"({"rules": [
    { "name": "no INR last month", "match": { "kind": "unbilledUsage", "currencyCode": "INR", "billingPeriod": "last" },
      "timeline": [ { "status": "failed", "error": { "code": "5000", "message": "No data available" } } ] },
    { "name": "billed usage is quick", "match": { "kind": "billedUsage" },
      "timeline": [ { "status": "succeeded", "rows": 3 } ] } ]})");
  auto export_of = [&](const std::string& path, const std::string& body) {
    auto accepted = post_json("/v1.0/reports/partners/billing/" + path, body);
    EXPECT_EQ(accepted->status, 202) << accepted->body;
    return accepted->get_header_value("Location");
  };
  const auto usage = R"({"currencyCode":"INR","billingPeriod":"last"})";
  EXPECT_EQ(poll_to_completion(export_of("usage/unbilled/export", usage))["status"], "failed");
  EXPECT_EQ(statuses(export_of("reconciliation/unbilled/export", usage), 1), std::vector<std::string>{"notStarted"});
  EXPECT_EQ(statuses(export_of("usage/unbilled/export", R"({"currencyCode":"INR","billingPeriod":"current"})"), 1),
            std::vector<std::string>{"notStarted"});
  EXPECT_EQ(poll_to_completion(export_of("usage/billed/export", R"({"invoiceId":"G1"})"))["resourceLocation"]["blobCount"],
            1);
}

TEST_F(Scenarios, SeedAndNumbersShapeTheRows) {
  start(R"({"rules": [
    { "match": { "invoiceId": "G-strings" }, "timeline": [ { "status": "succeeded", "rows": 5, "numbers": "strings" } ] },
    { "match": { "invoiceId": "G-seed" }, "timeline": [ { "status": "succeeded", "rows": 5, "seed": 99 } ] },
    { "timeline": [ { "status": "succeeded", "rows": 5 } ] } ]})");
  auto rows_of = [&](const std::string& invoice) {
    const auto manifest = poll_to_completion(start_export(invoice))["resourceLocation"];
    return json_lines(gunzip(get_unauthenticated(blob_url(manifest, 0))->body));
  };
  const auto as_strings = rows_of("G-strings");
  EXPECT_TRUE(as_strings.at(0).at("Total").is_string()) << as_strings.at(0);
  EXPECT_TRUE(rows_of("G-plain").at(0).at("Total").is_number());
  // The same invoice id under another seed bills other customers.
  const auto reseeded = rows_of("G-seed");
  start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "rows": 5 } ] }]})");
  EXPECT_NE(rows_of("G-seed").at(0).at("CustomerId"), reseeded.at(0).at("CustomerId"));
}

TEST_F(Scenarios, SasValidFor_SetsTheLifetimeOfEveryIssuedSas) {
  start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "sasValidFor": "1m" } ] }]})");
  const auto location = start_export();
  const auto url = blob_url(poll_to_completion(location)["resourceLocation"]);
  clock_->advance(59s);
  EXPECT_EQ(get_unauthenticated(url)->status, 200);
  clock_->advance(1s);
  EXPECT_EQ(get_unauthenticated(url)->status, 403);
  EXPECT_EQ(get_unauthenticated(blob_url(Json::parse(get(location)->body)["resourceLocation"]))->status, 200);
}

TEST_F(Scenarios, ConcurrentExports_FollowIndependentTimelines) {
  start(R"({"rules": [
    { "match": { "invoiceId": { "regex": "FAST.*" } }, "timeline": [ { "status": "succeeded", "rows": 1 } ] },
    { "timeline": [ { "status": "running", "polls": 3 }, { "status": "succeeded", "rows": 1 } ] } ]})");
  constexpr int kClients = 8;
  std::vector<std::vector<std::string>> seen(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client(fake_->base_url());
      const std::string invoice = (c % 2 == 0 ? "FAST-" : "SLOW-") + std::to_string(c);
      auto accepted = client.Post(kBilledExportPath, auth_headers(), Json{{"invoiceId", invoice}}.dump(), "application/json");
      if (!accepted) return;
      const auto path = path_on(fake_->base_url(), accepted->get_header_value("Location"));
      for (int poll = 0; poll < 4; ++poll) {
        if (auto result = client.Get(path.c_str(), auth_headers())) seen[c].push_back(Json::parse(result->body)["status"]);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int c = 0; c < kClients; ++c) {
    SCOPED_TRACE(c);
    const std::vector<std::string> fast{"succeeded", "succeeded", "succeeded", "succeeded"};
    const std::vector<std::string> slow{"running", "running", "running", "succeeded"};
    EXPECT_EQ(seen[c], c % 2 == 0 ? fast : slow);
  }
}

TEST_F(Scenarios, ExportFault_ThrottlesTheFirstTwoAttemptsThenAccepts) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "requests": [1, 2], "status": 429, "retryAfter": "7s" } ] }]})");
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto throttled = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
    ASSERT_TRUE(throttled);
    EXPECT_EQ(throttled->status, 429);
    EXPECT_EQ(throttled->get_header_value("Retry-After"), "7");
    EXPECT_EQ(Json::parse(throttled->body)["error"]["code"], "TooManyRequests");
    EXPECT_FALSE(throttled->has_header("Location"));
  }
  auto accepted = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 202);
}

TEST_F(Scenarios, ExportFault_WithItsOwnCodeAndMessage) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "status": 403, "code": "accessDenied", "message": "No billing role." } ] }]})");
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "accessDenied");
  EXPECT_EQ(Json::parse(result->body)["error"]["message"], "No billing role.");
}

TEST_F(Scenarios, ExportFault_401CarriesTheBearerChallenge) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "status": 401 } ] }]})");
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
  EXPECT_EQ(result->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u);
}

TEST_F(Scenarios, LocationFaults_BendTheLocationOfAnAcceptedExport) {
  start(R"({"rules": [{ "faults": [
    { "on": "export", "requests": [1], "location": "relative" },
    { "on": "export", "requests": [2], "location": "missing" },
    { "on": "export", "requests": [3], "location": "wrongHost" } ] }]})");
  auto relative = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  EXPECT_EQ(relative->status, 202);
  const auto path = relative->get_header_value("Location");
  EXPECT_EQ(path.rfind("/v1.0/reports/partners/billing/operations/", 0), 0u) << path;
  EXPECT_EQ(get(path)->status, 200) << "the operation behind a relative Location exists";

  auto missing = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  EXPECT_EQ(missing->status, 202);
  EXPECT_FALSE(missing->has_header("Location"));

  auto wrong = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  const auto url = wrong->get_header_value("Location");
  EXPECT_EQ(url.rfind("http://wrong-host.invalid:" + std::to_string(fake_->port()) + "/v1.0/", 0), 0u) << url;
}

TEST_F(Scenarios, DropBeforeCreate_ClosesTheConnectionAndCreatesNothing) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "requests": [1], "drop": "beforeCreate" } ] }]})");
  EXPECT_FALSE(post_json(kBilledExportPath, R"({"invoiceId":"G1"})")) << "the first export should get no response";
  const auto location = start_export();  // the retry is the rule's 2nd export, and succeeds
  EXPECT_EQ(location.substr(location.rfind('/') + 1).size(), 36u);
}

TEST_F(Scenarios, DropAfterCreate_LeavesAnOperationTheClientNeverHeardOf) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "requests": [1], "drop": "afterCreate" } ] }]})");
  EXPECT_FALSE(post_json(kBilledExportPath, R"({"invoiceId":"G1"})"));
  const auto retry = start_export();
  // Ids come from the seeded generator in order: the retry's operation is
  // the second one, so the dropped request did create the first.
  Server twin({.clock = std::make_shared<VirtualClock>()});
  httplib::Client to_twin(twin.base_url());
  const auto first_id = path_on(twin.base_url(), to_twin.Post(kBilledExportPath, auth_headers(), R"({"invoiceId":"G1"})",
                                                              "application/json")->get_header_value("Location"));
  EXPECT_NE(path_on(fake_->base_url(), retry), first_id);
  EXPECT_EQ(get(first_id)->status, 200) << "the operation created before the drop exists";
}

TEST_F(Scenarios, DropAfterCreate_IsJournaledOnceWithNoStatus) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "requests": [1], "drop": "afterCreate" } ] }]})");
  EXPECT_FALSE(post_json(kBilledExportPath, R"({"invoiceId":"G1"})"));
  const auto entries = fake_->admin().journal();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].status, 0) << "a dropped exchange got no answer";
  EXPECT_EQ(fake_->admin().client_report().graph_requests, 1u);
}

TEST_F(Scenarios, PollFault_503DoesNotMoveTheOperation) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "polls": [2, 3], "status": 503, "retryAfter": "3s" } ] }]})");
  const auto location = start_export();
  EXPECT_EQ(Json::parse(get(location)->body)["status"], "notStarted");
  for (int poll = 2; poll <= 3; ++poll) {
    auto flaky = get(location);
    EXPECT_EQ(flaky->status, 503);
    EXPECT_EQ(flaky->get_header_value("Retry-After"), "3");
    EXPECT_EQ(Json::parse(flaky->body)["error"]["code"], "ServiceUnavailable");
  }
  // The default timeline resumes where it was: running twice, then done.
  EXPECT_EQ(statuses(location, 3), (std::vector<std::string>{"running", "running", "succeeded"}));
}

TEST_F(Scenarios, PollFault_Transient404ThenTheOperationAppears) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "polls": [1], "status": 404 } ] }]})");
  const auto location = start_export();
  EXPECT_EQ(get(location)->status, 404);
  EXPECT_EQ(Json::parse(get(location)->body)["status"], "notStarted");
}

TEST_F(Scenarios, PollFault_410OnceTheOperationIsOlderThanItsTtl) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "after": "1h", "status": 410 } ] }]})");
  const auto location = start_export();
  poll_to_completion(location);
  clock_->advance(59min);
  EXPECT_EQ(get(location)->status, 200);
  clock_->advance(1min);
  auto gone = get(location);
  EXPECT_EQ(gone->status, 410);
  EXPECT_EQ(Json::parse(gone->body)["error"]["code"], "gone");
}

TEST_F(Scenarios, PollFault_OnlyInTheNamedPhase) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "phase": "running", "status": 500 } ] }]})");
  const auto location = start_export();
  EXPECT_EQ(get(location)->status, 200);  // notStarted
  EXPECT_EQ(get(location)->status, 500);  // would be running
  EXPECT_EQ(get(location)->status, 500);  // still would be
}

TEST_F(Scenarios, PollFault_BodyThatIsNotJson) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "polls": [1], "body": "notJson" } ] }]})");
  const auto location = start_export();
  auto broken = get(location);
  EXPECT_EQ(broken->status, 200);
  EXPECT_FALSE(Json::accept(broken->body)) << broken->body;
  EXPECT_EQ(Json::parse(get(location)->body)["status"], "notStarted");
}

TEST_F(Scenarios, PollFault_UnknownStatusValue) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "polls": [2], "body": "unknownStatus" } ] }]})");
  const auto location = start_export();
  get(location);
  const auto body = Json::parse(get(location)->body);
  EXPECT_EQ(body["status"], "unknownFutureValue");
  EXPECT_EQ(body["@odata.type"], "#microsoft.graph.partners.billing.runningOperation");
}

TEST_F(Scenarios, ProbabilityFaults_AreDrawnFromTheSeed) {
  const std::string scenario =
      R"({"rules": [{ "faults": [ { "on": "poll", "probability": 0.5, "status": 503 } ] }]})";
  auto pattern = [&] {
    start(scenario);
    const auto location = start_export();
    std::string seen;
    for (int poll = 0; poll < 40; ++poll) seen += get(location)->status == 503 ? 'x' : '.';
    return seen;
  };
  const auto first = pattern();
  EXPECT_EQ(first, pattern());
  EXPECT_NE(first.find('x'), std::string::npos);
  EXPECT_NE(first.find('.'), std::string::npos);
}

class BlobFaults : public Scenarios {
 protected:
  // Four blobs of 10 rows; `faults` scripts what happens to them.
  Json manifest_with(const std::string& faults) {
    start(R"({"rules": [{ "timeline": [ { "status": "succeeded", "rows": 40, "rowsPerBlob": 10 } ], "faults": )" +
          faults + "}]}");
    return poll_to_completion(start_export())["resourceLocation"];
  }
};

TEST_F(BlobFaults, StatusOnOneBlob_IsAnAzureErrorOnThatBlobOnly) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "blobs": [1], "status": 503, "retryAfter": "2s" } ])");
  auto failing = get_unauthenticated(blob_url(manifest, 1));
  EXPECT_EQ(failing->status, 503);
  EXPECT_EQ(failing->get_header_value("x-ms-error-code"), "ServerBusy");
  EXPECT_EQ(failing->get_header_value("Retry-After"), "2");
  EXPECT_NE(failing->body.find("<Code>ServerBusy</Code>"), std::string::npos);
  for (std::size_t i : {0u, 2u, 3u}) EXPECT_EQ(get_unauthenticated(blob_url(manifest, i))->status, 200) << i;
}

TEST_F(BlobFaults, TruncatedGzip_IsHalfTheBytesWithAMatchingLength) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "blobs": [0], "gzip": "truncated" } ])");
  const auto whole = get_unauthenticated(blob_url(manifest, 1))->body;  // an unbroken blob of the same size class
  auto truncated = get_unauthenticated(blob_url(manifest, 0));
  ASSERT_TRUE(truncated);
  EXPECT_EQ(truncated->status, 200);
  EXPECT_EQ(truncated->get_header_value("Content-Length"), std::to_string(truncated->body.size()));
  EXPECT_THROW(gunzip(truncated->body), std::runtime_error);
  EXPECT_NO_THROW(gunzip(whole));
}

TEST_F(BlobFaults, CorruptGzip_HasTheRightLengthButDoesNotInflate) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "blobs": [2], "gzip": "corrupt" } ])");
  auto corrupt = get_unauthenticated(blob_url(manifest, 2));
  ASSERT_TRUE(corrupt);
  EXPECT_EQ(corrupt->status, 200);
  EXPECT_EQ(static_cast<unsigned char>(corrupt->body[0]), 0x1f);
  std::string rows;
  try {
    rows = gunzip(corrupt->body);
  } catch (const std::runtime_error&) {
    return;  // the deflate stream or its checksum is broken, as scripted
  }
  FAIL() << "a corrupt blob inflated cleanly to " << rows.size() << " bytes";
}

TEST_F(BlobFaults, CorruptGzip_ARangeSeesTheSameBrokenBytesAtTheSameOffsets) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "blobs": [2], "gzip": "corrupt" } ])");
  const auto whole = get_unauthenticated(blob_url(manifest, 2))->body;
  const auto from = whole.size() / 2 - 8;
  auto slice = get_unauthenticated(blob_url(manifest, 2),
                                   {{"Range", "bytes=" + std::to_string(from) + "-" + std::to_string(from + 31)}});
  ASSERT_TRUE(slice);
  EXPECT_EQ(slice->status, 206);
  EXPECT_EQ(slice->body, whole.substr(from, 32));
}

TEST_F(BlobFaults, ResetAtByte_DropsTheConnectionMidBody) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "blobs": [0], "resetAtByte": 100 } ])");
  auto reset = get_unauthenticated(blob_url(manifest, 0));
  EXPECT_FALSE(reset) << "the download should fail, got " << (reset ? reset->body.size() : 0) << " bytes";
}

TEST_F(BlobFaults, ContentLengthThatLies_EndsBeforeItsClaim) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "extraContentLength": 50 } ])");
  EXPECT_FALSE(get_unauthenticated(blob_url(manifest, 3)));
}

TEST_F(BlobFaults, ProbabilityBlobFaults_AreDrawnFromTheSeed) {
  auto pattern = [&] {
    const auto manifest = manifest_with(R"([ { "on": "blob", "probability": 0.5, "status": 500 } ])");
    std::string seen;
    for (int round = 0; round < 10; ++round) {
      for (std::size_t i = 0; i < 4; ++i) seen += get_unauthenticated(blob_url(manifest, i))->status == 500 ? 'x' : '.';
    }
    return seen;
  };
  const auto first = pattern();
  EXPECT_EQ(first, pattern());
  EXPECT_NE(first.find('x'), std::string::npos);
  EXPECT_NE(first.find('.'), std::string::npos);
}

TEST_F(BlobFaults, ManifestBlobCountDelta_MakesBlobCountDisagreeWithBlobs) {
  const auto manifest = manifest_with(R"([ { "on": "manifest", "blobCountDelta": 1 } ])");
  EXPECT_EQ(manifest["blobs"].size(), 4u);
  EXPECT_EQ(manifest["blobCount"], 5);
}

// Scripted delays. On a virtual clock no wall time passes: the clock records
// each delay the server held a response back by, which is what these check.
using Holds = std::vector<std::chrono::milliseconds>;

TEST_F(Scenarios, ExportDelay_IsHeldBeforeTheAnswerWithoutMovingAManualClock) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "delay": "2s" } ] }]})");
  auto accepted = post_json(kBilledExportPath, R"({"invoiceId":"G1"})");
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 202);
  EXPECT_EQ(clock_->holds(), Holds{2s});
  EXPECT_EQ(clock_->now(), VirtualClock::default_start());
}

TEST_F(Scenarios, ExportDelay_MovesAnAutoAdvancingClock) {
  start(R"({"rules": [{ "faults": [ { "on": "export", "delay": "1500ms" } ] }]})", VirtualClock::Mode::auto_advance);
  ASSERT_EQ(post_json(kBilledExportPath, R"({"invoiceId":"G1"})")->status, 202);
  EXPECT_EQ(clock_->now(), VirtualClock::default_start() + 1500ms);
}

TEST_F(Scenarios, PollDelay_OnlyOnTheNamedPoll) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "polls": [2], "delay": "5s" } ] }]})");
  const auto location = start_export();
  EXPECT_EQ(statuses(location, 3), (std::vector<std::string>{"notStarted", "running", "running"}));
  EXPECT_EQ(clock_->holds(), Holds{5s});
}

TEST_F(Scenarios, DelayedError_IsHeldThenAnswered) {
  start(R"({"rules": [{ "faults": [ { "on": "poll", "polls": [1], "status": 503, "retryAfter": "3s", "delay": "1s" } ] }]})");
  auto throttled = get(start_export());
  ASSERT_TRUE(throttled);
  EXPECT_EQ(throttled->status, 503);
  EXPECT_EQ(throttled->get_header_value("Retry-After"), "3");
  EXPECT_EQ(clock_->holds(), Holds{1s});
}

TEST_F(Scenarios, CatchAllDelay_DoesNotHideALaterError) {
  start(R"({"rules": [{ "faults": [
    { "on": "poll", "delay": { "distribution": "uniform", "min": "100ms", "max": "200ms" } },
    { "on": "poll", "polls": [2], "status": 503 } ] }]})");
  const auto location = start_export();
  std::vector<int> seen;
  for (int poll = 0; poll < 3; ++poll) seen.push_back(get(location)->status);
  EXPECT_EQ(seen, (std::vector<int>{200, 503, 200}));
  const auto holds = clock_->holds();
  ASSERT_EQ(holds.size(), 3u);
  for (const auto held : holds) {
    EXPECT_GE(held, 100ms);
    EXPECT_LE(held, 200ms);
  }
}

TEST_F(Scenarios, ManifestDelay_HoldsEachReadOfTheManifestResource) {
  start(R"({"rules": [{ "faults": [ { "on": "manifest", "delay": "750ms" } ] }]})");
  const auto operation = poll_to_completion(start_export());
  EXPECT_TRUE(clock_->holds().empty()) << "polls that embed the manifest are not manifest reads";
  const auto link = operation["resourceLocation@odata.navigationLink"].get<std::string>();
  ASSERT_EQ(get(link)->status, 200);
  ASSERT_EQ(get(link)->status, 200);
  EXPECT_EQ(clock_->holds(), (Holds{750ms, 750ms}));
}

TEST_F(BlobFaults, BlobDelay_OnlyOnTheNamedBlobs) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "blobs": [2], "delay": "3s" } ])");
  for (std::size_t i = 0; i < 4; ++i) ASSERT_EQ(get_unauthenticated(blob_url(manifest, i))->status, 200) << i;
  EXPECT_EQ(clock_->holds(), Holds{3s});
}

TEST_F(BlobFaults, DelayedBlobError_IsHeldThenAnswered) {
  const auto manifest = manifest_with(R"([ { "on": "blob", "blobs": [0], "status": 500, "delay": "2s" } ])");
  EXPECT_EQ(get_unauthenticated(blob_url(manifest, 0))->status, 500);
  EXPECT_EQ(clock_->holds(), Holds{2s});
}

TEST_F(Scenarios, RandomDelays_AreDrawnFromTheSeed) {
  const std::string scenario = R"({"rules": [{ "faults": [
    { "on": "poll", "delay": { "distribution": "logNormal", "median": "300ms", "sigma": 0.8, "max": "20s" } } ] }]})";
  auto drawn = [&] {
    start(scenario);
    const auto location = start_export();
    for (int poll = 0; poll < 20; ++poll) get(location);
    return clock_->holds();
  };
  const auto first = drawn();
  ASSERT_EQ(first.size(), 20u);
  EXPECT_EQ(first, drawn());
  EXPECT_NE(*std::min_element(first.begin(), first.end()), *std::max_element(first.begin(), first.end()));
}

// A clock whose delays take real time, like the system clock's, and which
// says when one has begun.
class SignallingClock final : public Clock {
 public:
  TimePoint now() const override { return VirtualClock::default_start(); }
  void hold(std::chrono::milliseconds delay, std::stop_token interrupt) override {
    holding_.set_value();
    Clock::hold(delay, std::move(interrupt));
  }
  std::future<void> holding() { return holding_.get_future(); }

 private:
  std::promise<void> holding_;
};

TEST(ScenarioDelays, StoppingTheServer_CutsARealDelayShort) {
  const TempScenarioFile file(R"({"rules": [{ "faults": [ { "on": "export", "delay": "10m" } ] }]})");
  auto clock = std::make_shared<SignallingClock>();
  auto holding = clock->holding();
  Options options;
  options.clock = clock;
  options.scenario_paths = {file.path()};
  Server fake(options);
  httplib::Client client(fake.base_url());
  auto request = std::async(std::launch::async, [&] {
    return client.Post(kBilledExportPath, {{"Authorization", "Bearer " + make_token()}}, R"({"invoiceId":"G1"})",
                       "application/json");
  });
  holding.wait();
  fake.stop();  // returns only once every worker is done, so a hang here is the failure
  request.wait();
  SUCCEED();
}

TEST(ScenarioDeterminism, SameSeedAndScenario_GiveTheSameResponsesAndBytes) {
  const TempScenarioFile file(R"({"rules": [{ "timeline": [
    { "status": "running", "polls": 1 }, { "status": "succeeded", "rows": 40, "rowsPerBlob": 15 } ] }]})");
  auto walk = [&] {
    Options options;
    options.seed = 99;
    options.clock = std::make_shared<VirtualClock>();
    options.scenario_paths = {file.path()};
    Server fake(options);
    httplib::Client client(fake.base_url());
    const httplib::Headers auth{{"Authorization", "Bearer " + make_token()}};
    const auto location =
        client.Post(kBilledExportPath, auth, R"({"invoiceId":"G1"})", "application/json")->get_header_value("Location");
    std::string transcript;
    Json operation;
    for (int poll = 0; poll < 2; ++poll) {
      const auto body = client.Get(path_on(fake.base_url(), location).c_str(), auth)->body;
      transcript += body + "\n";
      operation = Json::parse(body);
    }
    for (std::size_t i = 0; i < operation["resourceLocation"]["blobs"].size(); ++i) {
      transcript += client.Get(path_on(fake.base_url(), blob_url(operation["resourceLocation"], i)).c_str())->body;
    }
    // The port differs between the two servers; everything else must not.
    return std::regex_replace(transcript, std::regex("127\\.0\\.0\\.1:\\d+"), "HOST");
  };
  const auto first = walk();
  EXPECT_NE(first.find("succeeded"), std::string::npos);
  EXPECT_EQ(first, walk());
}

TEST(ScenarioLoading, AFileWithErrors_KeepsTheServerFromStartingAndNamesEveryError) {
  const TempScenarioFile file(R"({"rules": [{ "timeline": [ { "status": "running", "after": 30 }, { "status": "done" } ] }]})");
  try {
    Server fake({.scenario_paths = {file.path()}});
    FAIL() << "the server started with a broken scenario";
  } catch (const ScenarioError& error) {
    ASSERT_EQ(error.errors().size(), 2u) << error.what();
    EXPECT_EQ(error.errors()[0], file.path() + ": /rules/0/timeline/0/after: expected a duration like \"30s\", got 30");
    EXPECT_NE(error.errors()[1].find("/rules/0/timeline/1/status"), std::string::npos) << error.errors()[1];
  }
}

TEST(ScenarioLoading, AMissingFile_IsAnError) {
  EXPECT_THROW(Server({.scenario_paths = {"/nonexistent/graphfake-scenario.json"}}), ScenarioError);
}

}  // namespace
}  // namespace graphfake::testing
