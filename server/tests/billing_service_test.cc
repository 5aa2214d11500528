#include "domain/billing_service.h"

#include <fmt/chrono.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <variant>

#include "core/graph_error.h"
#include "core/stopped.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::billed;

using namespace std::chrono_literals;
using model::OperationStatus;

class BillingServiceTest : public ::testing::Test {
 protected:
  Options options(std::uint64_t seed = 1) {
    Options o;
    o.seed = seed;
    o.clock = clock_;
    o.rows_per_export = 30;
    o.rows_per_blob = 10;
    return o;
  }

  using OperationRead_t = BillingService::OperationRead;

  OperationRead_t complete(BillingService& service, const std::string& invoice) {
    return complete(service, billed(invoice));
  }

  OperationRead_t complete(BillingService& service, model::ExportRequest request) {
    const auto id = service.start_export(std::move(request), {}, clock_->now()).operation->id;
    OperationRead_t read = service.poll_operation(id, clock_->now());
    while (read.operation.status != OperationStatus::succeeded) read = service.poll_operation(id, clock_->now());
    return read;
  }

  std::shared_ptr<VirtualClock> clock_ = std::make_shared<VirtualClock>();
};

TEST_F(BillingServiceTest, ExportsFollowTheDefaultTimeline) {
  BillingService service(options());
  const auto id = service.start_export(billed("G1"), {}, clock_->now()).operation->id;
  std::vector<OperationStatus> seen;
  for (int poll = 0; poll < 4; ++poll) seen.push_back(service.poll_operation(id, clock_->now()).operation.status);
  EXPECT_EQ(seen, (std::vector<OperationStatus>{OperationStatus::not_started, OperationStatus::running,
                                                OperationStatus::running, OperationStatus::succeeded}));
}

// A reset answers held requests of the service it replaces at once, but work
// they are doing (indexing a blob, summing totals) finishes.
TEST_F(BillingServiceTest, StopHoldingLeavesTotalsToFinish) {
  BillingService service(options());
  const auto read = complete(service, "G1");
  service.stop_holding();
  EXPECT_EQ(service.expected_totals(read.operation.id, clock_->now()).operation_id, read.operation.id);
}

TEST_F(BillingServiceTest, StopStopsTotals) {
  BillingService service(options());
  const auto read = complete(service, "G1");
  service.stop();
  EXPECT_THROW(service.expected_totals(read.operation.id, clock_->now()), core::Stopped);
}

TEST_F(BillingServiceTest, RetryAfterComesFromTheOptions) {
  auto o = options();
  o.retry_after = 7s;
  BillingService service(o);
  const auto id = service.start_export(billed("G1"), {}, clock_->now()).operation->id;
  EXPECT_EQ(service.poll_operation(id, clock_->now()).operation.retry_after, 7s);
}

TEST_F(BillingServiceTest, SucceededOperationsCarryAManifestWithBlobsSizedByTheOptions) {
  BillingService service(options());
  const auto read = complete(service, "G1");
  ASSERT_TRUE(read.manifest.has_value());
  EXPECT_EQ(read.manifest->manifest->blob_count, 3u);
  EXPECT_EQ(read.manifest->manifest->blob(2).row_count, 10u);
}

TEST_F(BillingServiceTest, RunningOperationsCarryNoManifest) {
  BillingService service(options());
  const auto id = service.start_export(billed("G1"), {}, clock_->now()).operation->id;
  EXPECT_FALSE(service.poll_operation(id, clock_->now()).manifest.has_value());
}

TEST_F(BillingServiceTest, ManifestPathNamesTenantMonthInvoiceAndFragment) {
  BillingService service(options());
  const auto& manifest = *complete(service, "G016907411").manifest->manifest;
  EXPECT_NE(manifest.root_path.find("/PartnerTenantId=" + manifest.partner_tenant_id + "/"), std::string::npos);
  EXPECT_NE(manifest.root_path.find("/InvoiceId=G016907411/"), std::string::npos) << manifest.root_path;
  EXPECT_NE(manifest.root_path.find("/Fragment=full/PartitionType=default"), std::string::npos) << manifest.root_path;
}

TEST_F(BillingServiceTest, TheSasIsMintedAtTheTimeOfTheRead) {
  BillingService service(options());
  const auto id = complete(service, "G1").operation.id;
  clock_->advance(3h);
  const auto later = service.poll_operation(id, clock_->now());
  EXPECT_EQ(later.manifest->sas.expires_at, clock_->now() + 1h);
}

TEST_F(BillingServiceTest, PartnerTenantIdDerivesFromTheSeedUnlessGiven) {
  BillingService first(options(1));
  BillingService same(options(1));
  BillingService other(options(2));
  const auto tenant = [&](BillingService& s) { return complete(s, "G1").manifest->manifest->partner_tenant_id; };
  EXPECT_EQ(tenant(first), tenant(same));
  EXPECT_NE(tenant(first), tenant(other));

  auto given = options();
  given.partner_tenant_id = "0e195b37-4574-4539-bc42-0e539b9684c0";
  BillingService configured(given);
  EXPECT_EQ(tenant(configured), "0e195b37-4574-4539-bc42-0e539b9684c0");
}

TEST_F(BillingServiceTest, RequestIdsDoNotShiftResourceIds) {
  BillingService quiet(options());
  BillingService chatty(options());
  for (int i = 0; i < 5; ++i) (void)chatty.new_request_id();
  EXPECT_EQ(quiet.start_export(billed("G1"), {}, clock_->now()).operation->id, chatty.start_export(billed("G1"), {}, clock_->now()).operation->id);
}

TEST_F(BillingServiceTest, MalformedOperationIdIsBadRequest) {
  BillingService service(options());
  try {
    (void)service.poll_operation("not-a-guid", clock_->now());
    FAIL();
  } catch (const core::GraphError& error) {
    EXPECT_EQ(error.status(), 400);
  }
}

TEST_F(BillingServiceTest, UnknownManifestIsItemNotFound) {
  BillingService service(options());
  try {
    (void)service.manifest("8fe347d7-1e0f-4bd6-9091-4672691f32db", clock_->now());
    FAIL();
  } catch (const core::GraphError& error) {
    EXPECT_EQ(error.status(), 404);
    EXPECT_EQ(error.code(), "itemNotFound");
  }
}

TEST_F(BillingServiceTest, ZeroMaxConnectionsIsRejected) {
  auto o = options();
  o.max_connections = 0;
  EXPECT_THROW(BillingService{o}, std::invalid_argument);
}

TEST_F(BillingServiceTest, NonPositiveRequestTimeoutIsRejected) {
  auto o = options();
  o.request_timeout = 0ms;
  EXPECT_THROW(BillingService{o}, std::invalid_argument);
}

TEST_F(BillingServiceTest, NegativeKeepAliveTimeoutIsRejected) {
  auto o = options();
  o.keep_alive_timeout = -1s;
  EXPECT_THROW(BillingService{o}, std::invalid_argument);
}

// --- eviction ---------------------------------------------------------------------

core::GraphError graph_error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const core::GraphError& error) {
    return error;
  }
  ADD_FAILURE() << "no GraphError";
  return core::GraphError(0, "", "");
}

TEST_F(BillingServiceTest, PollOfAnEvictedOperationIs410Gone) {
  auto o = options();
  o.max_operations = 1;
  BillingService service(o);
  const auto evicted = service.start_export(billed("G1"), {}, clock_->now()).operation->id;
  service.start_export(billed("G2"), {}, clock_->now());
  const auto error = graph_error_of([&] { service.poll_operation(evicted, clock_->now()); });
  EXPECT_EQ(error.status(), 410);
  EXPECT_EQ(error.code(), "gone");
}

TEST_F(BillingServiceTest, PollOfAnIdNeverGivenOutIsStill404) {
  auto o = options();
  o.max_operations = 1;
  BillingService service(o);
  service.start_export(billed("G1"), {}, clock_->now());
  service.start_export(billed("G2"), {}, clock_->now());
  EXPECT_EQ(graph_error_of([&] { service.poll_operation("8fe347d7-1e0f-4bd6-9091-4672691f32db", clock_->now()); })
                .status(),
            404);
}

TEST_F(BillingServiceTest, ManifestOfAnEvictedOperationIs410Gone) {
  auto o = options();
  o.max_operations = 1;
  BillingService service(o);
  const auto manifest_id = complete(service, "G1").manifest->manifest->id;
  service.start_export(billed("G2"), {}, clock_->now());
  const auto error = graph_error_of([&] { service.manifest(manifest_id, clock_->now()); });
  EXPECT_EQ(error.status(), 410);
  EXPECT_EQ(error.code(), "gone");
}

TEST_F(BillingServiceTest, BlobOfAnEvictedOperationIsMissingAsAzureSaysIt) {
  auto o = options();
  o.max_operations = 1;
  BillingService service(o);
  const auto read = complete(service, "G1");
  const auto& manifest = *read.manifest->manifest;
  std::multimap<std::string, std::string> sas;
  for (const auto& [name, value] : read.manifest->sas.fields) sas.emplace(name, value);
  service.start_export(billed("G2"), {}, clock_->now());
  const auto opened = service.open_blob(manifest.root_path + "/" + manifest.blob_name(0), sas, clock_->now());
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).status, 404);
  EXPECT_EQ(std::get<StorageError>(opened).code, "BlobNotFound");
}

// --- already generated data ------------------------------------------------------

scenario::ScenarioSet already_generated_rules(const Options& options) {
  auto parsed = scenario::parse_scenario(
      "already.json", R"({"rules": [{"timeline": {"preset": "alreadyGenerated", "generatedAgo": "2h"}}]})",
      scenario_defaults(options));
  return std::get<scenario::ScenarioSet>(std::move(parsed));
}

TEST_F(BillingServiceTest, AlreadyGeneratedManifestIsOlderThanTheExportAndSucceedsAtTheFirstPoll) {
  BillingService service(options(), already_generated_rules(options()));
  const auto exported_at = clock_->now();
  const auto id = service.start_export(billed("G1"), {}, exported_at).operation->id;
  clock_->advance(1s);
  const auto read = service.poll_operation(id, clock_->now());
  EXPECT_EQ(read.operation.status, OperationStatus::succeeded);
  ASSERT_TRUE(read.manifest);
  EXPECT_EQ(read.manifest->manifest->created_at, exported_at - 2h);
  EXPECT_EQ(read.manifest->sas.expires_at, std::chrono::floor<std::chrono::seconds>(clock_->now()) + 1h)
      << "signed when served";
}

TEST_F(BillingServiceTest, AlreadyGeneratedManifestIsSharedByExportsOfTheSameDataOnly) {
  BillingService service(options(), already_generated_rules(options()));
  const auto first = complete(service, "G1").manifest->manifest;
  clock_->advance(30min);
  const auto again = complete(service, "G1").manifest->manifest;
  const auto other = complete(service, "G2").manifest->manifest;
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->created_at, first->created_at);
  EXPECT_NE(other->id, first->id);
}

model::ExportRequest unbilled_for_sharing(std::string currency) {
  model::ExportRequest request;
  request.kind = model::ExportKind::unbilled_reconciliation;
  request.currency_code = std::move(currency);
  return request;
}

// An unbilled folder is named for the minute its data was snapshot: the
// shared manifest's, not the minute each export asked.
TEST_F(BillingServiceTest, AlreadyGeneratedUnbilledManifestIsSharedAndItsFolderIsNamedForItsCreation) {
  BillingService service(options(), already_generated_rules(options()));
  const auto first = complete(service, unbilled_for_sharing("EUR")).manifest->manifest;
  clock_->advance(30min);
  const auto again = complete(service, unbilled_for_sharing("EUR")).manifest->manifest;
  const auto other = complete(service, unbilled_for_sharing("USD")).manifest->manifest;
  EXPECT_EQ(again->id, first->id);
  EXPECT_NE(other->id, first->id);
  const auto created = std::chrono::floor<std::chrono::minutes>(first->created_at);
  const auto snapshot = fmt::format("/v1/{:%Y%m%d%H%M}/", created);
  EXPECT_NE(first->root_path.find(snapshot), std::string::npos) << first->root_path << " lacks " << snapshot;
}

// The manifest of an operation forced to succeed evolves as the operation
// does: a newer service is newer in all it sends.
TEST_F(BillingServiceTest, ForcedSuccessOfAnEvolvedOperationPublishesAnEvolvedManifest) {
  auto parsed = scenario::parse_scenario("newer.json", R"({"rules": [{"evolution": ["unknownProperties"],
    "timeline": [{"status": "running", "polls": 100}, {"status": "succeeded"}]}]})",
                                         scenario_defaults(options()));
  BillingService service(options(), std::get<scenario::ScenarioSet>(std::move(parsed)));
  const auto id = service.start_export(billed("G1"), {}, clock_->now()).operation->id;
  PhaseOrder order;
  order.status = OperationStatus::succeeded;
  service.force(id, order, clock_->now());
  const auto read = service.poll_operation(id, clock_->now());
  ASSERT_TRUE(read.manifest);
  EXPECT_TRUE(read.operation.evolution.unknown_properties);
  EXPECT_TRUE(read.manifest->manifest->unknown_properties);
}

// A shared manifest stays while any operation holding it does, and goes
// with the last.
TEST_F(BillingServiceTest, AlreadyGeneratedManifestGoesWithTheLastOperationHoldingIt) {
  auto o = options();
  o.max_operations = 2;
  BillingService service(o, already_generated_rules(o));
  const auto manifest_id = complete(service, "G1").manifest->manifest->id;
  const auto holder = complete(service, "G1");
  ASSERT_EQ(holder.manifest->manifest->id, manifest_id);
  complete(service, "G2");  // evicts the first holder
  EXPECT_EQ(service.poll_operation(holder.operation.id, clock_->now()).manifest->manifest->id, manifest_id);
  EXPECT_EQ(service.manifest(manifest_id, clock_->now()).manifest->id, manifest_id);
  complete(service, "G3");  // evicts the last
  EXPECT_EQ(graph_error_of([&] { service.manifest(manifest_id, clock_->now()); }).status(), 410);
  const auto fresh = complete(service, "G1").manifest->manifest;
  EXPECT_NE(fresh->id, manifest_id) << "generated anew once the old one is gone";
}

// max_blobs bounds what memory holds: a shared manifest's blobs once.
TEST_F(BillingServiceTest, AlreadyGeneratedManifestCountsItsBlobsOnceAgainstMaxBlobs) {
  auto o = options();
  o.max_blobs = 5;  // a manifest of 30 rows at 10 a blob lists 3
  BillingService service(o, already_generated_rules(o));
  const auto first = complete(service, "G1");
  const auto second = complete(service, "G1");
  ASSERT_EQ(second.manifest->manifest->id, first.manifest->manifest->id);
  EXPECT_EQ(service.poll_operation(first.operation.id, clock_->now()).operation.status, OperationStatus::succeeded)
      << "not evicted: the two hold 3 blobs, not 6";
}

TEST_F(BillingServiceTest, ZeroMaxOperationsIsRejected) {
  auto o = options();
  o.max_operations = 0;
  EXPECT_THROW(BillingService{o}, std::invalid_argument);
}

TEST_F(BillingServiceTest, ScenarioRootThatIsNotADirectoryIsRejected) {
  auto o = options();
  o.scenario_root = "/nonexistent/graphfake-scenario-root";
  EXPECT_THROW(BillingService{o}, std::invalid_argument);
}

// --- the auto-advancing clock's limit ---------------------------------------------------

TEST_F(BillingServiceTest, AutoClockPollThatWouldPassTheLatestTimeIsRefusedNamingTheLimit) {
  auto clock = std::make_shared<VirtualClock>(VirtualClock::latest() - 1h, VirtualClock::Mode::auto_advance);
  auto o = options();
  o.clock = clock;
  o.retry_after = 2h;
  BillingService service(o);
  const auto id = service.start_export(billed("G1"), {}, clock->now()).operation->id;
  const auto error = graph_error_of([&] { service.poll_operation(id, clock->now()); });
  EXPECT_EQ(error.status(), 500);
  EXPECT_EQ(error.code(), "clockLimitReached");
  EXPECT_NE(error.message().find("2200-01-01T00:00:00Z"), std::string::npos) << error.message();
  EXPECT_EQ(clock->now(), VirtualClock::latest() - 1h);
}

TEST_F(BillingServiceTest, AutoClockPollsUpToTheLatestTimeAreAnswered) {
  auto clock = std::make_shared<VirtualClock>(VirtualClock::latest() - 2h, VirtualClock::Mode::auto_advance);
  auto o = options();
  o.clock = clock;
  o.retry_after = 1h;
  BillingService service(o);
  const auto id = service.start_export(billed("G1"), {}, clock->now()).operation->id;
  service.poll_operation(id, clock->now());
  service.poll_operation(id, clock->now());
  EXPECT_EQ(clock->now(), VirtualClock::latest());
}

}  // namespace
}  // namespace graphfake::domain
