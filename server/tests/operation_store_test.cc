#include "domain/operation_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <latch>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "graphfake/clock.h"

namespace graphfake::domain {
namespace {

using namespace std::chrono_literals;
using model::OperationStatus;

const TimePoint t0 = VirtualClock::default_start();

bool is_lower_case_guid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

int rank(OperationStatus status) {
  switch (status) {
    case OperationStatus::not_started:
      return 0;
    case OperationStatus::running:
      return 1;
    case OperationStatus::succeeded:
    case OperationStatus::failed:
      return 2;
  }
  return -1;
}

// Records every publish call; answers with "manifest-<n>".
class PublishRecorder {
 public:
  struct Call {
    OperationView view;
    TimePoint at;
  };

  OperationStore::PublishManifest callback() {
    return [this](const OperationView& view, const model::Phase&, TimePoint at) {
      std::lock_guard lock(mutex_);
      calls_.push_back({view, at});
      return "manifest-" + std::to_string(calls_.size());
    };
  }

  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

model::ExportRequest billed_request(std::string invoice_id = "G016907411") {
  model::ExportRequest request;
  request.kind = model::ExportKind::billed_reconciliation;
  request.version = model::ApiVersion::beta;
  request.invoice_id = std::move(invoice_id);
  request.attribute_set = model::AttributeSet::basic;
  return request;
}

model::Timeline failing_timeline() {
  model::Timeline timeline;
  timeline.phases.push_back({OperationStatus::not_started, 1, std::nullopt, 3s, {}});
  timeline.phases.push_back({OperationStatus::running, 1, std::nullopt, 3s, {}});
  timeline.phases.push_back(
      {OperationStatus::failed, std::nullopt, std::nullopt, 3s, model::OperationFailure{"5000", "No data available"}});
  return timeline;
}

class OperationStoreTest : public ::testing::Test {
 protected:
  core::IdGenerator ids_{1};
  core::IdGenerator chance_{2};
  PublishRecorder published_;
  OperationStore store_{ids_, chance_, published_.callback()};

  OperationView create(model::Timeline timeline = model::default_timeline(2s), TimePoint now = t0) {
    return store_.create(billed_request(), std::move(timeline), now);
  }

  OperationView poll(const std::string& id, TimePoint now = t0) {
    auto outcome = store_.poll(id, now);
    if (!outcome) ADD_FAILURE() << "poll of " << id << " found nothing";
    return outcome ? outcome->operation : OperationView{};
  }
};

TEST_F(OperationStoreTest, CreateReturnsNotStartedAtNow) {
  const auto view = create(model::default_timeline(2s), t0 + 5s);
  EXPECT_EQ(view.status, OperationStatus::not_started);
  EXPECT_EQ(view.created_at, t0 + 5s);
  EXPECT_EQ(view.last_action_at, t0 + 5s);
  EXPECT_EQ(view.retry_after, 2s);
  EXPECT_FALSE(view.failure.has_value());
  EXPECT_TRUE(view.manifest_id.empty());
}

TEST_F(OperationStoreTest, CreateAssignsALowerCaseGuidId) {
  const auto view = create();
  EXPECT_TRUE(is_lower_case_guid(view.id)) << view.id;
}

TEST_F(OperationStoreTest, CreateCarriesTheRequest) {
  const auto view = create();
  EXPECT_EQ(view.request.invoice_id, "G016907411");
  EXPECT_EQ(view.request.version, model::ApiVersion::beta);
  EXPECT_EQ(view.request.attribute_set, model::AttributeSet::basic);
  EXPECT_EQ(poll(view.id).request.invoice_id, "G016907411");
}

TEST_F(OperationStoreTest, EachCreateGetsADistinctId) {
  const auto a = create();
  const auto b = create();
  EXPECT_NE(a.id, b.id);
}

TEST_F(OperationStoreTest, CreateDoesNotPublish) {
  create();
  EXPECT_TRUE(published_.calls().empty());
}

TEST_F(OperationStoreTest, PollsFollowTheDefaultTimeline) {
  const auto id = create().id;
  std::vector<OperationStatus> seen;
  for (int i = 0; i < 6; ++i) seen.push_back(poll(id).status);
  EXPECT_EQ(seen, (std::vector<OperationStatus>{OperationStatus::not_started, OperationStatus::running,
                                                OperationStatus::running, OperationStatus::succeeded,
                                                OperationStatus::succeeded, OperationStatus::succeeded}));
}

TEST_F(OperationStoreTest, NothingIsPublishedBeforeSucceeded) {
  const auto id = create().id;
  for (int i = 0; i < 3; ++i) {
    const auto view = poll(id);
    EXPECT_NE(view.status, OperationStatus::succeeded);
    EXPECT_TRUE(view.manifest_id.empty());
  }
  EXPECT_TRUE(published_.calls().empty());
}

TEST_F(OperationStoreTest, PublishIsCalledExactlyOnceWhenSucceeded) {
  const auto id = create().id;
  for (int i = 0; i < 10; ++i) poll(id, t0 + std::chrono::seconds(i));
  const auto calls = published_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].view.id, id);
  EXPECT_EQ(calls[0].view.status, OperationStatus::succeeded);
  EXPECT_EQ(calls[0].view.request.invoice_id, "G016907411");
}

TEST_F(OperationStoreTest, SucceededViewCarriesThePublishedManifestId) {
  const auto id = create().id;
  OperationView view;
  for (int i = 0; i < 4; ++i) view = poll(id);
  ASSERT_EQ(view.status, OperationStatus::succeeded);
  EXPECT_EQ(view.manifest_id, "manifest-1");
  EXPECT_EQ(poll(id).manifest_id, "manifest-1");
}

TEST_F(OperationStoreTest, PublishIsToldTheInstantTheOperationSucceeded) {
  const auto id = create().id;
  poll(id, t0 + 1s);
  poll(id, t0 + 2s);
  poll(id, t0 + 3s);  // the last running poll: running ends here
  const auto view = poll(id, t0 + 60s);
  ASSERT_EQ(view.status, OperationStatus::succeeded);
  EXPECT_EQ(view.last_action_at, t0 + 3s);
  const auto calls = published_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at, t0 + 3s);
}

TEST_F(OperationStoreTest, LastActionIsTheInstantEachPhaseWasEntered) {
  const auto id = create(model::default_timeline(2s), t0).id;
  EXPECT_EQ(poll(id, t0 + 1s).last_action_at, t0);       // notStarted since creation
  EXPECT_EQ(poll(id, t0 + 4s).last_action_at, t0 + 1s);  // running since the notStarted poll
  EXPECT_EQ(poll(id, t0 + 9s).last_action_at, t0 + 1s);
}

TEST_F(OperationStoreTest, TerminalSucceededIsSticky) {
  const auto id = create().id;
  OperationView view;
  for (int i = 0; i < 4; ++i) view = poll(id, t0 + std::chrono::seconds(i));
  ASSERT_EQ(view.status, OperationStatus::succeeded);
  const auto settled_at = view.last_action_at;
  for (int i = 1; i <= 20; ++i) {
    SCOPED_TRACE(i);
    const auto later = poll(id, t0 + std::chrono::hours(i));
    EXPECT_EQ(later.status, OperationStatus::succeeded);
    EXPECT_EQ(later.last_action_at, settled_at);
    EXPECT_EQ(later.manifest_id, view.manifest_id);
  }
  EXPECT_EQ(published_.calls().size(), 1u);
}

TEST_F(OperationStoreTest, UnknownIdIsNullopt) {
  create();
  EXPECT_FALSE(store_.poll("00000000-0000-4000-8000-000000000000", t0).has_value());
  EXPECT_FALSE(store_.poll("", t0).has_value());
  EXPECT_FALSE(store_.poll("not-a-guid", t0).has_value());
}

TEST_F(OperationStoreTest, EmptyStoreFindsNothing) { EXPECT_FALSE(store_.poll("anything", t0).has_value()); }

TEST_F(OperationStoreTest, UpperCaseIdFindsTheOperation) {
  const auto created = create();
  const auto view = store_.poll(upper(created.id), t0);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->operation.id, created.id);
}

TEST_F(OperationStoreTest, PollsByAnyCaseAdvanceTheSameOperation) {
  const auto id = create().id;
  EXPECT_EQ(poll(upper(id)).status, OperationStatus::not_started);
  EXPECT_EQ(poll(id).status, OperationStatus::running);
  EXPECT_EQ(poll(upper(id)).status, OperationStatus::running);
  EXPECT_EQ(poll(id).status, OperationStatus::succeeded);
}

TEST_F(OperationStoreTest, OperationsAdvanceIndependently) {
  const auto a = create().id;
  const auto b = create().id;
  for (int i = 0; i < 4; ++i) poll(a);
  EXPECT_EQ(poll(b).status, OperationStatus::not_started);
  EXPECT_EQ(poll(a).status, OperationStatus::succeeded);
}

TEST_F(OperationStoreTest, ClockGoingBackwardsDoesNotMoveLastActionBackwards) {
  const auto created = create(model::default_timeline(2s), t0);
  const auto id = created.id;
  // Each poll happens at an earlier wall-clock time than the previous one.
  const TimePoint times[] = {t0 + 100s, t0 + 50s, t0 + 10s, t0 - 1h, t0 - 2h, t0 - 3h};
  TimePoint previous = created.last_action_at;
  for (const auto now : times) {
    const auto view = poll(id, now);
    SCOPED_TRACE(model::to_string(view.status));
    EXPECT_GE(view.last_action_at, previous);
    EXPECT_EQ(view.created_at, t0);
    previous = view.last_action_at;
  }
  EXPECT_EQ(previous, t0 + 100s);
}

TEST_F(OperationStoreTest, ClockBehindCreationDoesNotPrecedeCreatedAt) {
  const auto id = create(model::default_timeline(2s), t0).id;
  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    const auto view = poll(id, t0 - std::chrono::minutes(i + 1));
    EXPECT_GE(view.last_action_at, view.created_at);
  }
}

TEST_F(OperationStoreTest, DurationTimelineSucceedsWhenItsTimeHasPassed) {
  model::Timeline timeline;
  timeline.phases.push_back({OperationStatus::running, std::nullopt, 30s, 5s, {}});
  timeline.phases.push_back({OperationStatus::succeeded, std::nullopt, std::nullopt, 5s, {}});
  const auto id = create(timeline, t0).id;
  EXPECT_EQ(poll(id, t0 + 29s).status, OperationStatus::running);
  EXPECT_TRUE(published_.calls().empty());
  const auto view = poll(id, t0 + 45s);
  EXPECT_EQ(view.status, OperationStatus::succeeded);
  EXPECT_EQ(view.last_action_at, t0 + 30s);
  const auto calls = published_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at, t0 + 30s);
}

TEST_F(OperationStoreTest, FailedTerminalPhaseReportsTheFailure) {
  const auto id = create(failing_timeline()).id;
  EXPECT_EQ(poll(id).status, OperationStatus::not_started);
  EXPECT_EQ(poll(id).status, OperationStatus::running);
  const auto view = poll(id);
  EXPECT_EQ(view.status, OperationStatus::failed);
  ASSERT_TRUE(view.failure.has_value());
  EXPECT_EQ(view.failure->code, "5000");
  EXPECT_EQ(view.failure->message, "No data available");
  EXPECT_EQ(view.retry_after, 3s);
}

TEST_F(OperationStoreTest, FailedOperationNeverPublishes) {
  const auto id = create(failing_timeline()).id;
  for (int i = 0; i < 20; ++i) {
    SCOPED_TRACE(i);
    const auto view = poll(id, t0 + std::chrono::minutes(i));
    EXPECT_TRUE(view.manifest_id.empty());
    if (i >= 2) {
      EXPECT_EQ(view.status, OperationStatus::failed);
    }
  }
  EXPECT_TRUE(published_.calls().empty());
}

TEST_F(OperationStoreTest, NonTerminalViewsCarryNoFailure) {
  const auto id = create(failing_timeline()).id;
  EXPECT_FALSE(poll(id).failure.has_value());
  EXPECT_FALSE(poll(id).failure.has_value());
}

TEST_F(OperationStoreTest, ConcurrentPollsPublishOnceAndEachThreadSeesProgressInOrder) {
  constexpr int kThreads = 8;
  constexpr int kPollsPerThread = 50;
  const auto id = create().id;

  std::vector<std::vector<OperationView>> seen(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kPollsPerThread; ++i) {
        auto view = store_.poll(t % 2 == 0 ? id : upper(id), t0 + std::chrono::milliseconds(i));
        if (view) seen[t].push_back(std::move(view->operation));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(published_.calls().size(), 1u);

  std::map<OperationStatus, int> totals;
  for (int t = 0; t < kThreads; ++t) {
    SCOPED_TRACE(t);
    ASSERT_EQ(seen[t].size(), static_cast<std::size_t>(kPollsPerThread));
    for (std::size_t i = 0; i < seen[t].size(); ++i) {
      const auto& view = seen[t][i];
      totals[view.status] += 1;
      if (view.status == OperationStatus::succeeded) {
        EXPECT_EQ(view.manifest_id, "manifest-1");
      }
      if (i > 0) {
        const auto& before = seen[t][i - 1];
        EXPECT_LE(rank(before.status), rank(view.status)) << "poll " << i;
        EXPECT_LE(before.last_action_at, view.last_action_at) << "poll " << i;
      }
    }
  }
  // The polls were serialised: exactly one saw notStarted and two saw running.
  EXPECT_EQ(totals[OperationStatus::not_started], 1);
  EXPECT_EQ(totals[OperationStatus::running], 2);
  EXPECT_EQ(totals[OperationStatus::succeeded], kThreads * kPollsPerThread - 3);
  EXPECT_EQ(totals[OperationStatus::failed], 0);
}

TEST_F(OperationStoreTest, ConcurrentCreatesAndPollsKeepOperationsApart) {
  constexpr int kThreads = 8;
  std::vector<std::string> ids(kThreads);
  std::vector<std::vector<OperationStatus>> seen(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      ids[t] = store_.create(billed_request("G00000000" + std::to_string(t)), model::default_timeline(1s), t0).id;
      for (int i = 0; i < 5; ++i) {
        const auto view = store_.poll(ids[t], t0);
        if (view) seen[t].push_back(view->operation.status);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(published_.calls().size(), static_cast<std::size_t>(kThreads));
  for (int t = 0; t < kThreads; ++t) {
    SCOPED_TRACE(t);
    EXPECT_EQ(seen[t], (std::vector<OperationStatus>{OperationStatus::not_started, OperationStatus::running,
                                                     OperationStatus::running, OperationStatus::succeeded,
                                                     OperationStatus::succeeded}));
    EXPECT_EQ(poll(ids[t]).request.invoice_id, "G00000000" + std::to_string(t));
  }
}

}  // namespace
}  // namespace graphfake::domain
