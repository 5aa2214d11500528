// GET .../operations/{id}: the long-running operation a client polls.
#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "support/http_support.h"
#include "support/test_values.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

bool is_rfc3339_utc(const std::string& text) {
  static const std::regex kFormat(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z)");
  return std::regex_match(text, kFormat);
}

class Operation : public FakeTest {};

TEST_F(Operation, DefaultTimeline_NotStartedOnceRunningTwiceThenSucceeded) {
  const auto location = start_export();
  std::vector<std::string> statuses;
  std::vector<std::string> types;
  for (int poll = 0; poll < 5; ++poll) {
    auto result = get(location);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    const auto body = Json::parse(result->body);
    statuses.push_back(body["status"]);
    types.push_back(body["@odata.type"]);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"notStarted", "running", "running", "succeeded", "succeeded"}));
  EXPECT_EQ(types, (std::vector<std::string>{kRunningType, kRunningType, kRunningType, kSuccessType, kSuccessType}));
}

TEST_F(Operation, NonTerminalPolls_CarryIntegerRetryAfter) {
  const auto location = start_export();
  for (int poll = 0; poll < 3; ++poll) {
    auto result = get(location);
    ASSERT_TRUE(result);
    EXPECT_TRUE(std::regex_match(result->get_header_value("Retry-After"), std::regex("[0-9]+")))
        << "poll " << poll << ": '" << result->get_header_value("Retry-After") << "'";
  }
}

TEST_F(Operation, TerminalPoll_HasNoRetryAfter) {
  const auto location = start_export();
  poll_to_completion(location);
  auto result = get(location);
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->has_header("Retry-After"));
}

TEST_F(Operation, Body_HasIdAndJsonContentType) {
  const auto location = start_export();
  auto result = get(location);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("Content-Type").rfind("application/json", 0), 0u);
  const auto body = Json::parse(result->body);
  EXPECT_EQ(location.substr(location.rfind('/') + 1), body["id"]);
}

TEST_F(Operation, Timestamps_AreRfc3339Utc) {
  const auto location = start_export();
  for (int poll = 0; poll < 4; ++poll) {
    const auto body = Json::parse(get(location)->body);
    EXPECT_TRUE(is_rfc3339_utc(body["createdDateTime"])) << body["createdDateTime"];
    EXPECT_TRUE(is_rfc3339_utc(body["lastActionDateTime"])) << body["lastActionDateTime"];
  }
}

TEST_F(Operation, LastActionDateTime_IsWhenTheCurrentPhaseBegan) {
  const auto location = start_export();  // at 00:00:00
  clock_->advance(10s);
  const auto first = Json::parse(get(location)->body);  // notStarted, poll at 00:00:10
  clock_->advance(10s);
  const auto second = Json::parse(get(location)->body);  // running since the poll at 00:00:10
  clock_->advance(10s);
  const auto third = Json::parse(get(location)->body);  // still running

  EXPECT_EQ(first["createdDateTime"], "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(first["lastActionDateTime"], "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(second["lastActionDateTime"], "2025-01-01T00:00:10.000Z");
  EXPECT_EQ(third["lastActionDateTime"], "2025-01-01T00:00:10.000Z");
  EXPECT_EQ(third["createdDateTime"], "2025-01-01T00:00:00.000Z");
}

TEST_F(Operation, Succeeded_CarriesManifestInlineAndAsNavigationLink) {
  const auto body = poll_to_completion(start_export());
  ASSERT_EQ(body["status"], "succeeded");
  ASSERT_TRUE(body.contains("resourceLocation"));
  ASSERT_TRUE(body["resourceLocation"].is_object());
  const std::string link = body["resourceLocation@odata.navigationLink"];
  EXPECT_EQ(link, fake_->base_url() + "/v1.0/reports/partners/billing/manifests/" +
                      body["resourceLocation"]["id"].get<std::string>());

  auto manifest = get(link);
  ASSERT_TRUE(manifest);
  ASSERT_EQ(manifest->status, 200);
  auto served = Json::parse(manifest->body);
  served.erase("@odata.context");
  EXPECT_EQ(served, body["resourceLocation"]);
}

TEST_F(Operation, Succeeded_StaysSucceededWithTheSameManifest) {
  const auto location = start_export();
  const auto done = poll_to_completion(location);
  for (int poll = 0; poll < 3; ++poll) {
    clock_->advance(1h);
    const auto again = Json::parse(get(location)->body);
    EXPECT_EQ(again["status"], "succeeded");
    EXPECT_EQ(again["resourceLocation"]["id"], done["resourceLocation"]["id"]);
    EXPECT_EQ(again["lastActionDateTime"], done["lastActionDateTime"]);
  }
}

TEST_F(Operation, BetaExport_LinksManifestUnderBeta) {
  auto result = post_json("/beta/reports/partners/billing/reconciliation/billed/export", R"({"invoiceId":"G1"})");
  ASSERT_TRUE(result);
  const auto body = poll_to_completion(result->get_header_value("Location"));
  EXPECT_EQ(body["resourceLocation@odata.navigationLink"].get<std::string>().rfind(fake_->base_url() + "/beta/", 0),
            0u);
}

TEST_F(Operation, UnknownId_Returns404WithGraphEnvelope) {
  auto result = get("/v1.0/reports/partners/billing/operations/6fe687d7-1e0f-4bd6-9091-4672691f64bc");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  const auto body = Json::parse(result->body);
  EXPECT_EQ(body["error"]["code"], "itemNotFound");
  EXPECT_TRUE(body["error"]["innerError"].contains("request-id"));
}

TEST_F(Operation, MalformedId_Returns400) {
  auto result = get("/v1.0/reports/partners/billing/operations/not-a-guid");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "BadRequest");
}

TEST_F(Operation, IdIsMatchedCaseInsensitively) {
  auto location = start_export();
  const auto id_start = location.rfind('/') + 1;
  std::transform(location.begin() + static_cast<std::ptrdiff_t>(id_start), location.end(),
                 location.begin() + static_cast<std::ptrdiff_t>(id_start), ::toupper);
  auto result = get(location);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
}

TEST_F(Operation, Post_Returns405AllowingGet) {
  const auto location = start_export();
  auto result = post_json(path_on(fake_->base_url(), location), "{}");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 405);
  EXPECT_EQ(result->get_header_value("Allow"), "GET");
}

TEST_F(Operation, Operations_ProgressIndependently) {
  const auto first = start_export("G1");
  const auto second = start_export("G2");
  get(first);
  get(first);
  EXPECT_EQ(Json::parse(get(second)->body)["status"], "notStarted");
  EXPECT_EQ(Json::parse(get(first)->body)["status"], "running");
}

TEST_F(Operation, ConcurrentPolls_AdvanceOncePerPollAndPublishOneManifest) {
  const auto location = start_export();
  const auto path = path_on(fake_->base_url(), location);
  constexpr int kThreads = 8;
  constexpr int kPollsEach = 5;
  std::vector<std::vector<std::string>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client(fake_->base_url());
      for (int poll = 0; poll < kPollsEach; ++poll) {
        auto result = client.Get(path.c_str(), auth_headers());
        if (!result) continue;
        const auto body = Json::parse(result->body);
        seen[t].push_back(body["status"].get<std::string>() + "|" +
                          (body.contains("resourceLocation") ? body["resourceLocation"]["id"].get<std::string>()
                                                             : std::string()));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::multiset<std::string> statuses;
  std::set<std::string> manifests;
  const std::vector<std::string> order{"notStarted", "running", "succeeded"};
  for (const auto& sequence : seen) {
    ASSERT_EQ(sequence.size(), static_cast<std::size_t>(kPollsEach));
    std::size_t previous = 0;
    for (const auto& entry : sequence) {
      const auto status = entry.substr(0, entry.find('|'));
      const auto rank = static_cast<std::size_t>(std::find(order.begin(), order.end(), status) - order.begin());
      EXPECT_GE(rank, previous) << "a thread saw the operation go backwards";
      previous = rank;
      statuses.insert(status);
      if (status == "succeeded") manifests.insert(entry.substr(entry.find('|') + 1));
    }
  }
  // 40 polls: exactly 1 notStarted and 2 running, whatever the interleaving.
  EXPECT_EQ(statuses.count("notStarted"), 1u);
  EXPECT_EQ(statuses.count("running"), 2u);
  EXPECT_EQ(statuses.count("succeeded"), static_cast<std::size_t>(kThreads * kPollsEach - 3));
  EXPECT_EQ(manifests.size(), 1u);
}

}  // namespace
}  // namespace graphfake::testing
