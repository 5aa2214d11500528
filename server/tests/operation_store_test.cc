#include "domain/operation_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <latch>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "graphfake/clock.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::t0;

using namespace std::chrono_literals;
using model::OperationStatus;

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

// Records every publish call; answers with "manifest-<n>", of `blobs` blobs.
class PublishRecorder {
 public:
  struct Call {
    OperationView view;
    TimePoint at;
  };

  explicit PublishRecorder(std::size_t blobs = 1) : blobs_(blobs) {}

  OperationStore::PublishManifest callback() {
    return [this](const OperationView& view, const model::Phase&, TimePoint at) {
      std::lock_guard lock(mutex_);
      calls_.push_back({view, at});
      return OperationStore::Published{"manifest-" + std::to_string(calls_.size()), blobs_};
    };
  }

  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  const std::size_t blobs_;
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

std::shared_ptr<const model::Timeline> shared(model::Timeline timeline) {
  return std::make_shared<const model::Timeline>(std::move(timeline));
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
    return store_.create(billed_request(), shared(std::move(timeline)), now);
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

// Publishing takes locks of its own (the blob store's): it runs outside the
// store's lock, so it may even read the store without deadlocking.
TEST(OperationStorePublish, PublishingRunsOutsideTheStoresLock) {
  core::IdGenerator ids{1};
  core::IdGenerator chance{2};
  OperationStore* self = nullptr;
  std::string seen_while_publishing;
  OperationStore store(ids, chance, [&](const OperationView& view, const model::Phase&, TimePoint at) {
    seen_while_publishing = to_string(self->find(view.id, at).value().status);
    return OperationStore::Published{"m", 1};
  });
  self = &store;
  const auto id = store.create(billed_request(), shared(model::default_timeline(2s)), t0).id;
  for (int poll = 0; poll < 4; ++poll) store.poll(id, t0);
  EXPECT_EQ(seen_while_publishing, "succeeded");
  EXPECT_EQ(store.find(id, t0)->manifest_id, "m");
}

// The fourth poll of the default timeline finds it succeeded and publishes.
// `publish` runs on a thread of its own; once it is publishing, a second
// poll is made and its answer returned. The publisher lingers so that the
// second poll arrives while it publishes.
template <typename Publish>
std::optional<OperationStore::PollOutcome> poll_while_publishing(Publish&& publish, model::Timeline timeline) {
  core::IdGenerator ids{1};
  core::IdGenerator chance{2};
  std::latch publishing(1);
  std::atomic<int> calls{0};
  OperationStore store(ids, chance, [&](const OperationView&, const model::Phase&, TimePoint) {
    if (calls.fetch_add(1) == 0) {
      publishing.count_down();
      std::this_thread::sleep_for(100ms);
    }
    return publish(calls.load());
  });
  const auto id = store.create(billed_request(), shared(std::move(timeline)), t0).id;
  for (int poll = 0; poll < 3; ++poll) store.poll(id, t0);
  std::thread publisher([&] {
    try {
      store.poll(id, t0);
    } catch (const std::exception&) {
      // A failed publish fails the poll that made it, as any thrown error does.
    }
  });
  publishing.wait();
  auto outcome = store.poll(id, t0);
  publisher.join();
  return outcome;
}

TEST(OperationStorePublish, APollMadeWhileAPublishFailsPublishesItself) {
  const auto outcome = poll_while_publishing(
      [](int call) {
        if (call == 1) throw std::runtime_error("the first publish fails");
        return OperationStore::Published{"m", 1};
      },
      model::default_timeline(2s));
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->operation.status, OperationStatus::succeeded);
  EXPECT_EQ(outcome->operation.manifest_id, "m");
}

TEST(OperationStorePublish, AFaultedPollMadeWhilePublishingShowsTheManifest) {
  auto timeline = model::default_timeline(2s);
  faults::Fault broken_body;
  broken_body.on = faults::Fault::On::poll;
  broken_body.polls = {5};
  broken_body.body = faults::Fault::Body::unknown_status;
  timeline.poll_faults.push_back(broken_body);
  const auto outcome = poll_while_publishing([](int) { return OperationStore::Published{"m", 1}; }, timeline);
  ASSERT_TRUE(outcome.has_value());
  ASSERT_TRUE(outcome->fault.has_value()) << "the fifth poll is answered by its fault";
  EXPECT_EQ(outcome->operation.status, OperationStatus::succeeded);
  EXPECT_EQ(outcome->operation.manifest_id, "m");
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
      ids[t] = store_.create(billed_request("G00000000" + std::to_string(t)), shared(model::default_timeline(1s)), t0).id;
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

// --- the admin view: list, find, history --------------------------------------------

std::vector<std::string> statuses_of(const std::vector<PhaseRecord>& history) {
  std::vector<std::string> statuses;
  for (const auto& record : history) statuses.emplace_back(to_string(record.status));
  return statuses;
}

// running for `running_for`, then succeeded: phases that end by time alone.
model::Timeline timed_timeline(std::chrono::milliseconds running_for) {
  model::Timeline timeline;
  timeline.phases.push_back({OperationStatus::running, std::nullopt, running_for, 5s, {}});
  timeline.phases.push_back({OperationStatus::succeeded, std::nullopt, std::nullopt, 5s, {}, model::ManifestShape{}});
  return timeline;
}

TEST_F(OperationStoreTest, List_OfAnEmptyStoreIsEmpty) { EXPECT_TRUE(store_.list(t0).empty()); }

TEST_F(OperationStoreTest, List_ShowsOperationsInCreationOrder) {
  // Ids are random GUIDs, so their sorted order is not the creation order.
  std::vector<std::string> created;
  for (int i = 0; i < 8; ++i) {
    created.push_back(store_.create(billed_request("G00000000" + std::to_string(i)), shared(model::default_timeline(1s)),
                                    t0 + std::chrono::seconds(i))
                          .id);
  }
  const auto listed = store_.list(t0 + 1h);
  ASSERT_EQ(listed.size(), created.size());
  for (std::size_t i = 0; i < created.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(listed[i].id, created[i]);
    EXPECT_EQ(listed[i].invoice_id, "G00000000" + std::to_string(i));
    EXPECT_EQ(listed[i].created_at, t0 + std::chrono::seconds(i));
  }
}

TEST_F(OperationStoreTest, List_DoesNotCountAPoll) {
  const auto id = create().id;
  for (int i = 0; i < 5; ++i) store_.list(t0);
  EXPECT_EQ(store_.list(t0).at(0).polls, 0u);
  EXPECT_EQ(poll(id).status, OperationStatus::not_started);
}

TEST_F(OperationStoreTest, Find_DescribesTheOperationAndItsRequest) {
  const auto created = store_.create(billed_request(), shared(model::default_timeline(2s)), t0, "slow.json: slow");
  const auto info = store_.find(created.id, t0);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->id, created.id);
  EXPECT_EQ(info->kind, ExportKind::billed_reconciliation);
  EXPECT_EQ(info->api_version, "beta");
  EXPECT_EQ(info->invoice_id, "G016907411");
  EXPECT_EQ(info->attribute_set, "basic");
  EXPECT_EQ(info->status, OperationStatus::not_started);
  EXPECT_EQ(info->phase, 0u);
  EXPECT_EQ(info->phase_count, 3u);
  EXPECT_EQ(info->polls, 0u);
  EXPECT_EQ(info->created_at, t0);
  EXPECT_EQ(info->scenario_rule, "slow.json: slow");
  EXPECT_TRUE(info->manifest_id.empty());
}

TEST_F(OperationStoreTest, Find_DoesNotCountAPoll) {
  const auto id = create().id;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_.find(id, t0).has_value());
  EXPECT_EQ(store_.find(id, t0)->polls, 0u);
  // Polls of the default timeline still start from its first phase.
  EXPECT_EQ(poll(id).status, OperationStatus::not_started);
  EXPECT_EQ(poll(id).status, OperationStatus::running);
}

TEST_F(OperationStoreTest, Find_CountsEveryPollSoFar) {
  const auto id = create().id;
  for (int i = 0; i < 6; ++i) poll(id);
  EXPECT_EQ(store_.find(id, t0)->polls, 6u);
}

TEST_F(OperationStoreTest, Find_UnknownIdIsNullopt) {
  create();
  EXPECT_FALSE(store_.find("00000000-0000-4000-8000-000000000000", t0).has_value());
  EXPECT_FALSE(store_.find("", t0).has_value());
}

TEST_F(OperationStoreTest, Find_IdMatchesInAnyCase) {
  const auto id = create().id;
  const auto info = store_.find(upper(id), t0);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->id, id);
}

TEST_F(OperationStoreTest, Find_ShowsWhereTheClockPutsTheOperationWithoutMovingIt) {
  const auto id = create(timed_timeline(2min), t0).id;
  EXPECT_EQ(store_.find(id, t0 + 1min)->status, OperationStatus::running);
  const auto later = store_.find(id, t0 + 3min);
  EXPECT_EQ(later->status, OperationStatus::succeeded);
  EXPECT_EQ(later->phase, 1u);
  // Only a poll moves it, so its history and manifest wait for one.
  EXPECT_EQ(statuses_of(later->history), (std::vector<std::string>{"running"}));
  EXPECT_TRUE(later->manifest_id.empty());
  EXPECT_TRUE(published_.calls().empty());
}

TEST_F(OperationStoreTest, History_StartsWithThePhaseItWasCreatedIn) {
  const auto id = create(model::default_timeline(2s), t0 + 7s).id;
  const auto history = store_.find(id, t0 + 7s)->history;
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].status, OperationStatus::not_started);
  EXPECT_EQ(history[0].entered_at, t0 + 7s);
}

TEST_F(OperationStoreTest, History_ListsEachPhaseAPollFoundWithWhenItWasEntered) {
  const auto id = create(model::default_timeline(2s), t0).id;
  poll(id, t0 + 1s);  // notStarted ends here
  poll(id, t0 + 2s);
  poll(id, t0 + 3s);  // running ends here
  poll(id, t0 + 4s);
  poll(id, t0 + 5s);
  const auto info = store_.find(id, t0 + 5s);
  EXPECT_EQ(statuses_of(info->history), (std::vector<std::string>{"notStarted", "running", "succeeded"}));
  EXPECT_EQ(info->history[0].entered_at, t0);
  EXPECT_EQ(info->history[1].entered_at, t0 + 1s);
  EXPECT_EQ(info->history[2].entered_at, t0 + 3s);
  EXPECT_EQ(info->manifest_id, "manifest-1");
}

TEST_F(OperationStoreTest, History_APhaseNoPollSawIsNotListed) {
  model::Timeline timeline;
  timeline.phases.push_back({OperationStatus::not_started, std::nullopt, 10s, 1s, {}});
  timeline.phases.push_back({OperationStatus::running, std::nullopt, 10s, 1s, {}});
  timeline.phases.push_back({OperationStatus::succeeded, std::nullopt, std::nullopt, 1s, {}, model::ManifestShape{}});
  const auto id = create(timeline, t0).id;
  poll(id, t0 + 1h);
  EXPECT_EQ(statuses_of(store_.find(id, t0 + 1h)->history), (std::vector<std::string>{"notStarted", "succeeded"}));
}

// --- force ----------------------------------------------------------------------------

class ForceTest : public OperationStoreTest {
 protected:
  OperationInfo force(const std::string& id, PhaseOrder order, TimePoint now = t0) {
    return store_.force(id, order, forced_manifest_, now);
  }

  // Runs `order` expecting an AdminError, and returns it.
  AdminError refusal(const std::string& id, PhaseOrder order, TimePoint now = t0) {
    try {
      force(id, std::move(order), now);
    } catch (const AdminError& error) {
      return error;
    }
    ADD_FAILURE() << "force was not refused";
    return AdminError(0, "", "");
  }

  static PhaseOrder phase(std::size_t n) {
    PhaseOrder order;
    order.phase = n;
    return order;
  }
  static PhaseOrder status(OperationStatus s) {
    PhaseOrder order;
    order.status = s;
    return order;
  }

  static model::ManifestShape manifest_of(std::uint64_t rows) {
    model::ManifestShape shape;
    shape.rows = rows;
    return shape;
  }

  model::ManifestShape forced_manifest_ = manifest_of(42);
};

TEST_F(ForceTest, Phase_MovesToALaterPhaseAtOnce) {
  const auto id = create(failing_timeline(), t0).id;
  const auto info = force(id, phase(1), t0 + 5s);
  EXPECT_EQ(info.status, OperationStatus::running);
  EXPECT_EQ(info.phase, 1u);
  EXPECT_EQ(info.phase_count, 3u);
  ASSERT_EQ(info.history.size(), 2u);
  EXPECT_EQ(info.history[1].status, OperationStatus::running);
  EXPECT_EQ(info.history[1].entered_at, t0 + 5s);
}

TEST_F(ForceTest, Phase_TheNextPollSeesTheForcedPhaseAndItsTimelineGoesOn) {
  const auto id = create(failing_timeline(), t0).id;
  force(id, phase(1), t0 + 5s);
  const auto running = poll(id, t0 + 6s);
  EXPECT_EQ(running.status, OperationStatus::running);
  EXPECT_EQ(running.last_action_at, t0 + 5s);
  // The running phase answers its one poll, then the timeline ends as scripted.
  EXPECT_EQ(poll(id, t0 + 7s).status, OperationStatus::failed);
}

TEST_F(ForceTest, Phase_DoesNotCountAPoll) {
  const auto id = create(failing_timeline()).id;
  poll(id);
  force(id, phase(2));
  EXPECT_EQ(store_.find(id, t0)->polls, 1u);
}

TEST_F(ForceTest, Phase_ToTheLastPhaseOfASucceedingTimelinePublishesOnTheNextPoll) {
  const auto id = create().id;
  const auto info = force(id, phase(2));
  EXPECT_EQ(info.status, OperationStatus::succeeded);
  EXPECT_TRUE(info.manifest_id.empty());
  EXPECT_TRUE(published_.calls().empty());
  const auto view = poll(id);
  EXPECT_EQ(view.status, OperationStatus::succeeded);
  EXPECT_EQ(view.manifest_id, "manifest-1");
  EXPECT_EQ(published_.calls().size(), 1u);
}

TEST_F(ForceTest, Failed_ReplacesTheRestOfTheTimelineWithTheGivenError) {
  const auto id = create().id;  // would have succeeded
  poll(id);
  PhaseOrder order = status(OperationStatus::failed);
  order.error_code = "9001";
  order.error_message = "Forced by the test";
  const auto info = force(id, order, t0 + 7s);
  EXPECT_EQ(info.status, OperationStatus::failed);
  EXPECT_EQ(info.phase, 2u);  // right after running, where it was
  EXPECT_EQ(info.phase_count, 3u);
  EXPECT_EQ(statuses_of(info.history), (std::vector<std::string>{"notStarted", "failed"}));

  for (int i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    const auto view = poll(id, t0 + std::chrono::minutes(i + 1));
    EXPECT_EQ(view.status, OperationStatus::failed);
    ASSERT_TRUE(view.failure.has_value());
    EXPECT_EQ(view.failure->code, "9001");
    EXPECT_EQ(view.failure->message, "Forced by the test");
    EXPECT_EQ(view.last_action_at, t0 + 7s);
  }
  EXPECT_TRUE(published_.calls().empty());
}

TEST_F(ForceTest, Failed_WithoutAnErrorUsesNoDataAvailable) {
  const auto id = create().id;
  force(id, status(OperationStatus::failed));
  const auto view = poll(id);
  ASSERT_TRUE(view.failure.has_value());
  EXPECT_EQ(view.failure->code, "5000");
  EXPECT_EQ(view.failure->message, "No data available");
}

TEST_F(ForceTest, Failed_FromTheFirstPhaseLeavesOnlyThatPhaseBeforeIt) {
  const auto id = create().id;
  const auto info = force(id, status(OperationStatus::failed));
  EXPECT_EQ(info.phase, 1u);
  EXPECT_EQ(info.phase_count, 2u);
}

TEST_F(ForceTest, Succeeded_ReplacesTheRestOfTheTimelineAndPublishesOnTheNextPoll) {
  const auto id = create(failing_timeline()).id;  // would have failed
  const auto info = force(id, status(OperationStatus::succeeded), t0 + 3s);
  EXPECT_EQ(info.status, OperationStatus::succeeded);
  EXPECT_EQ(info.phase_count, 2u);
  EXPECT_TRUE(info.manifest_id.empty());
  EXPECT_TRUE(published_.calls().empty());

  const auto view = poll(id, t0 + 4s);
  EXPECT_EQ(view.status, OperationStatus::succeeded);
  EXPECT_FALSE(view.failure.has_value());
  EXPECT_EQ(view.manifest_id, "manifest-1");
  EXPECT_EQ(view.last_action_at, t0 + 3s);
  const auto calls = published_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at, t0 + 3s);
  EXPECT_EQ(store_.find(id, t0 + 4s)->manifest_id, "manifest-1");
}

TEST_F(ForceTest, Succeeded_PublishesTheManifestShapeItWasGiven) {
  std::optional<std::uint64_t> rows;
  OperationStore store(ids_, chance_, [&](const OperationView&, const model::Phase& succeeded, TimePoint) {
    rows = succeeded.manifest ? std::optional(succeeded.manifest->rows) : std::nullopt;
    return OperationStore::Published{"m", 1};
  });
  const auto id = store.create(billed_request(), shared(failing_timeline()), t0).id;
  store.force(id, status(OperationStatus::succeeded), forced_manifest_, t0);
  store.poll(id, t0);
  EXPECT_EQ(rows, std::optional<std::uint64_t>(42));
}

TEST_F(ForceTest, Refused_UnknownIdIs404) {
  create();
  const auto error = refusal("00000000-0000-4000-8000-000000000000", status(OperationStatus::failed));
  EXPECT_EQ(error.status(), 404);
  EXPECT_EQ(error.code(), "operationNotFound");
}

TEST_F(ForceTest, Refused_ASucceededOperationIs409) {
  const auto id = create().id;
  for (int i = 0; i < 4; ++i) poll(id);
  const auto error = refusal(id, status(OperationStatus::failed));
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "operationTerminal");
}

TEST_F(ForceTest, Refused_AFailedOperationIs409) {
  const auto id = create(failing_timeline()).id;
  for (int i = 0; i < 3; ++i) poll(id);
  EXPECT_EQ(refusal(id, status(OperationStatus::succeeded)).status(), 409);
}

TEST_F(ForceTest, Refused_AForcedTerminalOperationIs409) {
  const auto id = create().id;
  force(id, status(OperationStatus::failed));
  EXPECT_EQ(refusal(id, status(OperationStatus::succeeded)).status(), 409);
  EXPECT_EQ(refusal(id, status(OperationStatus::failed)).status(), 409);
}

TEST_F(ForceTest, Refused_AnOperationWhoseTimeRanOutIs409EvenBeforeAPollSawIt) {
  const auto id = create(timed_timeline(1min), t0).id;
  EXPECT_EQ(refusal(id, status(OperationStatus::failed), t0 + 2min).status(), 409);
}

TEST_F(ForceTest, Refused_TheCurrentPhaseIs400) {
  const auto id = create().id;
  poll(id);
  poll(id);  // running, with a poll of that phase still to answer
  const auto error = refusal(id, phase(1));
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "badPhaseOrder");
}

TEST_F(ForceTest, Refused_AnEarlierPhaseIs400) {
  const auto id = create(failing_timeline()).id;
  force(id, phase(1));
  EXPECT_EQ(refusal(id, phase(0)).status(), 400);
}

TEST_F(ForceTest, Refused_APhasePastTheTimelineIs400) {
  const auto id = create(failing_timeline()).id;
  EXPECT_EQ(refusal(id, phase(3)).status(), 400);
  EXPECT_EQ(refusal(id, phase(1000)).status(), 400);
}

TEST_F(ForceTest, Refused_BothAPhaseAndAStatusIs400) {
  const auto id = create().id;
  PhaseOrder order = phase(1);
  order.status = OperationStatus::failed;
  const auto error = refusal(id, order);
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "badPhaseOrder");
}

TEST_F(ForceTest, Refused_NeitherAPhaseNorAStatusIs400) {
  const auto id = create().id;
  EXPECT_EQ(refusal(id, PhaseOrder{}).status(), 400);
}

// Names no status has ("Failed", "") are refused where an order is read:
// AdminJson.PhaseOrder_AStatusNoOperationHasIs400.
TEST_F(ForceTest, Refused_AStatusOtherThanSucceededOrFailedIs400) {
  const auto id = create().id;
  for (const auto s : {OperationStatus::running, OperationStatus::not_started}) {
    SCOPED_TRACE(to_string(s));
    const auto error = refusal(id, status(s));
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.code(), "badPhaseOrder");
  }
}

TEST_F(ForceTest, Refused_LeavesTheOperationAsItWas) {
  const auto id = create(failing_timeline()).id;
  poll(id);
  const auto before = store_.find(id, t0);
  refusal(id, status(OperationStatus::running));
  refusal(id, phase(0));
  refusal(id, PhaseOrder{});
  const auto after = store_.find(id, t0);
  EXPECT_EQ(after->phase, before->phase);
  EXPECT_EQ(after->phase_count, before->phase_count);
  EXPECT_EQ(after->polls, before->polls);
  EXPECT_EQ(statuses_of(after->history), statuses_of(before->history));
  EXPECT_EQ(poll(id).status, OperationStatus::running);
}

TEST_F(ForceTest, Forced_LeavesOtherOperationsSharingItsTimelineAlone) {
  const auto timeline = shared(model::default_timeline(2s));
  const auto forced = store_.create(billed_request(), timeline, t0).id;
  const auto other = store_.create(billed_request(), timeline, t0).id;
  force(forced, status(OperationStatus::failed));
  EXPECT_EQ(store_.find(other, t0)->phase_count, 3u);
  EXPECT_EQ(poll(other).status, OperationStatus::not_started);
}

// --- paging -----------------------------------------------------------------------

TEST_F(OperationStoreTest, ListPage_SkipsThenTakesTopOldestFirst) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(create().id);
  const auto page = store_.list(t0, Page{.skip = 1, .top = 2});
  ASSERT_EQ(page.operations.size(), 2u);
  EXPECT_EQ(page.operations[0].id, created[1]);
  EXPECT_EQ(page.operations[1].id, created[2]);
  EXPECT_EQ(page.total, 5u);
  ASSERT_TRUE(page.next.has_value());
  EXPECT_EQ(page.next->skip, 3u);
}

TEST_F(OperationStoreTest, ListPage_TheLastPageHasNoNext) {
  for (int i = 0; i < 3; ++i) create();
  const auto page = store_.list(t0, Page{.skip = 1, .top = 2});
  EXPECT_EQ(page.operations.size(), 2u);
  EXPECT_FALSE(page.next.has_value());
}

TEST_F(OperationStoreTest, ListPage_EndsWithTheOperationWhoseJsonPassesTheByteLimit) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(create().id);
  const auto page = store_.list(t0, Page{.skip = 0, .top = 5}, 1);
  ASSERT_EQ(page.operations.size(), 1u);
  EXPECT_EQ(page.operations[0].id, created[0]);
  ASSERT_TRUE(page.next.has_value());
  EXPECT_EQ(page.next->skip, 1u);
  EXPECT_EQ(page.next->top, 5u);
}

// --- eviction ---------------------------------------------------------------------

TEST(OperationStore, ACapacityOfZeroIsRefused) {
  core::IdGenerator ids{1};
  core::IdGenerator chance{2};
  EXPECT_THROW(OperationStore(ids, chance, PublishRecorder().callback(), 0), std::invalid_argument);
}

TEST(OperationStore, ABlobCapacityOfZeroIsRefused) {
  core::IdGenerator ids{1};
  core::IdGenerator chance{2};
  EXPECT_THROW(OperationStore(ids, chance, PublishRecorder().callback(), 10, {}, 0), std::invalid_argument);
}

// A store that keeps three operations, recording the manifests it forgets.
class EvictionTest : public ::testing::Test {
 protected:
  std::string create() { return store_.create(billed_request(), shared(model::default_timeline(1s)), t0).id; }

  void poll_to_success(const std::string& id) {
    for (int poll = 0; poll < 4; ++poll) store_.poll(id, t0);
    ASSERT_EQ(store_.find(id, t0)->status, OperationStatus::succeeded);
  }

  std::vector<std::string> kept() const {
    std::vector<std::string> ids;
    for (const auto& operation : store_.list(t0)) ids.push_back(operation.id);
    return ids;
  }

  core::IdGenerator ids_{1};
  core::IdGenerator chance_{2};
  PublishRecorder published_;
  std::vector<std::string> forgotten_;
  OperationStore store_{ids_, chance_, published_.callback(), 3,
                        [this](const std::string& manifest_id) { forgotten_.push_back(manifest_id); }};
};

TEST_F(EvictionTest, WithNoneFinishedTheOldestIsEvicted) {
  create();
  const auto b = create();
  const auto c = create();
  const auto d = create();
  EXPECT_EQ(kept(), (std::vector<std::string>{b, c, d}));
}

TEST_F(EvictionTest, AFinishedOperationIsEvictedBeforeOlderUnfinishedOnes) {
  const auto a = create();
  const auto b = create();
  const auto c = create();
  poll_to_success(c);
  const auto d = create();
  EXPECT_EQ(kept(), (std::vector<std::string>{a, b, d}));
}

TEST_F(EvictionTest, TheOldestFinishedIsEvictedFirst) {
  const auto a = create();
  const auto b = create();
  const auto c = create();
  poll_to_success(c);
  poll_to_success(b);
  const auto d = create();
  EXPECT_EQ(kept(), (std::vector<std::string>{a, c, d}));
}

TEST_F(EvictionTest, AFailedOperationCountsAsFinished) {
  const auto a = create();
  const auto b = store_.create(billed_request(), shared(failing_timeline()), t0).id;
  const auto c = create();
  for (int poll = 0; poll < 3; ++poll) store_.poll(b, t0);
  const auto d = create();
  EXPECT_EQ(kept(), (std::vector<std::string>{a, c, d}));
}

TEST_F(EvictionTest, AnEvictedOperationIsUnknownButRememberedInAnyCase) {
  const auto a = create();
  for (int i = 0; i < 3; ++i) create();
  EXPECT_FALSE(store_.poll(a, t0).has_value());
  EXPECT_FALSE(store_.find(a, t0).has_value());
  EXPECT_TRUE(store_.evicted(a));
  EXPECT_TRUE(store_.evicted(upper(a)));
}

TEST_F(EvictionTest, GettingAnEvictedOperationIs404SayingItWasEvicted) {
  const auto a = create();
  for (int i = 0; i < 3; ++i) create();
  try {
    store_.get(a, t0);
    FAIL() << "an evicted operation was found";
  } catch (const AdminError& error) {
    EXPECT_EQ(error.status(), 404);
    EXPECT_EQ(error.code(), "operationNotFound");
    EXPECT_NE(std::string(error.what()).find("evicted"), std::string::npos) << error.what();
  }
}

TEST_F(EvictionTest, AKeptOrNeverGivenIdIsNotEvicted) {
  const auto a = create();
  EXPECT_FALSE(store_.evicted(a));
  EXPECT_FALSE(store_.evicted("0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e"));
}

TEST_F(EvictionTest, TheManifestOfAnEvictedOperationIsForgottenWithIt) {
  const auto a = create();
  poll_to_success(a);
  for (int i = 0; i < 3; ++i) create();
  EXPECT_EQ(forgotten_, (std::vector<std::string>{"manifest-1"}));
}

TEST_F(EvictionTest, AnOperationWithoutAManifestForgetsNothing) {
  for (int i = 0; i < 5; ++i) create();
  EXPECT_TRUE(forgotten_.empty());
}

TEST_F(EvictionTest, EvictionsAreCountedInTheListing) {
  for (int i = 0; i < 5; ++i) create();
  const auto page = store_.list(t0, Page{});
  EXPECT_EQ(page.total, 3u);
  EXPECT_EQ(page.evicted, 2u);
}

TEST_F(EvictionTest, PollsRacingEvictionFindTheOperationOrNothing) {
  constexpr int kThreads = 4;
  std::mutex latest_mutex;
  std::string latest = create();  // what the pollers poll: the operation next in line for eviction, soon
  std::latch start(kThreads + 1);
  std::atomic<bool> done = false;
  std::atomic<int> mismatches = 0;
  std::vector<std::thread> pollers;
  for (int t = 0; t < kThreads; ++t) {
    pollers.emplace_back([&] {
      start.arrive_and_wait();
      while (!done) {
        const auto id = [&] {
          std::lock_guard lock(latest_mutex);
          return latest;
        }();
        if (const auto outcome = store_.poll(id, t0); outcome && outcome->operation.id != id) ++mismatches;
      }
    });
  }
  start.arrive_and_wait();
  for (int i = 0; i < 2000; ++i) {
    auto id = create();
    std::lock_guard lock(latest_mutex);
    latest = std::move(id);
  }
  done = true;
  for (auto& poller : pollers) poller.join();
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(store_.list(t0).size(), 3u);
}

// A store that keeps ten operations but only ten blobs: each manifest lists four.
class BlobEvictionTest : public ::testing::Test {
 protected:
  std::string succeeded() {
    const auto id = store_.create(billed_request(), shared(model::default_timeline(1s)), t0).id;
    for (int poll = 0; poll < 4; ++poll) store_.poll(id, t0);
    return id;
  }

  std::vector<std::string> kept() const {
    std::vector<std::string> ids;
    for (const auto& operation : store_.list(t0)) ids.push_back(operation.id);
    return ids;
  }

  core::IdGenerator ids_{1};
  core::IdGenerator chance_{2};
  PublishRecorder published_{4};
  std::vector<std::string> forgotten_;
  OperationStore store_{ids_, chance_, published_.callback(), 10,
                        [this](const std::string& manifest_id) { forgotten_.push_back(manifest_id); }, 10};
};

TEST_F(BlobEvictionTest, PublishingPastTheBlobCapacityEvictsTheOldestFinished) {
  const auto a = succeeded();
  const auto b = succeeded();
  const auto c = succeeded();
  EXPECT_EQ(kept(), (std::vector<std::string>{b, c}));
  EXPECT_EQ(forgotten_, (std::vector<std::string>{"manifest-1"}));
  EXPECT_TRUE(store_.evicted(a));
}

TEST_F(BlobEvictionTest, UnfinishedOperationsHoldNoBlobsAndStay) {
  const auto waiting = store_.create(billed_request(), shared(model::default_timeline(1s)), t0).id;
  const auto a = succeeded();
  const auto b = succeeded();
  const auto c = succeeded();
  EXPECT_EQ(kept(), (std::vector<std::string>{waiting, b, c}));
}

TEST_F(BlobEvictionTest, AManifestListingMoreThanTheCapacityIsKeptAlone) {
  core::IdGenerator ids{1};
  core::IdGenerator chance{2};
  PublishRecorder huge(25);
  OperationStore store(ids, chance, huge.callback(), 10, {}, 10);
  const auto first = store.create(billed_request(), shared(model::default_timeline(1s)), t0).id;
  for (int poll = 0; poll < 4; ++poll) store.poll(first, t0);
  const auto second = store.create(billed_request(), shared(model::default_timeline(1s)), t0).id;
  for (int poll = 0; poll < 4; ++poll) store.poll(second, t0);
  ASSERT_EQ(store.list(t0).size(), 1u);
  EXPECT_EQ(store.list(t0)[0].id, second);
  EXPECT_EQ(store.list(t0)[0].status, OperationStatus::succeeded);
}

TEST_F(BlobEvictionTest, EvictingForTheOperationCountGivesTheBlobsBack) {
  core::IdGenerator ids{1};
  core::IdGenerator chance{2};
  PublishRecorder four(4);
  OperationStore store(ids, chance, four.callback(), 2, {}, 8);
  std::vector<std::string> created;
  for (int i = 0; i < 4; ++i) {
    created.push_back(store.create(billed_request(), shared(model::default_timeline(1s)), t0).id);
    for (int poll = 0; poll < 4; ++poll) store.poll(created.back(), t0);
  }
  // Two kept of four blobs each: within 8, so none was evicted for blobs.
  std::vector<std::string> kept;
  for (const auto& operation : store.list(t0)) kept.push_back(operation.id);
  EXPECT_EQ(kept, (std::vector<std::string>{created[2], created[3]}));
}

}  // namespace
}  // namespace graphfake::domain
