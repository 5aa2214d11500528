#include "model/operation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "graphfake/clock.h"
#include "unit_test_values.h"

namespace graphfake::model {
namespace {

using unit_test::t0;

using namespace std::chrono_literals;

Progress fresh(TimePoint created) {
  Progress progress;
  progress.phase_entered_at = created;
  progress.last_poll_at = created;
  return progress;
}

// What OperationStore::poll does with a timeline: settle at `now`, report the
// phase, then count the poll.
struct Poller {
  Timeline timeline;
  Progress progress = fresh(t0);

  OperationStatus poll(TimePoint now) {
    progress = settle(timeline, progress, now);
    const auto status = timeline.phases.at(progress.phase).status;
    progress.polls_in_phase += 1;
    progress.last_poll_at = now;
    return status;
  }
};

Phase phase(OperationStatus status, std::optional<int> polls, std::optional<std::chrono::milliseconds> duration) {
  Phase p;
  p.status = status;
  p.polls = polls;
  p.duration = duration;
  return p;
}

Phase terminal(OperationStatus status = OperationStatus::succeeded) {
  return phase(status, std::nullopt, std::nullopt);
}

TEST(OperationStatusText, SpellsStatusesAsOnTheWire) {
  EXPECT_EQ(to_string(OperationStatus::not_started), "notStarted");
  EXPECT_EQ(to_string(OperationStatus::running), "running");
  EXPECT_EQ(to_string(OperationStatus::succeeded), "succeeded");
  EXPECT_EQ(to_string(OperationStatus::failed), "failed");
}

TEST(OperationStatusText, OnlySucceededAndFailedAreTerminal) {
  EXPECT_FALSE(is_terminal(OperationStatus::not_started));
  EXPECT_FALSE(is_terminal(OperationStatus::running));
  EXPECT_TRUE(is_terminal(OperationStatus::succeeded));
  EXPECT_TRUE(is_terminal(OperationStatus::failed));
}

TEST(DefaultTimeline, IsOneNotStartedPollTwoRunningPollsThenSucceeded) {
  const auto timeline = default_timeline(7s);
  ASSERT_EQ(timeline.phases.size(), 3u);
  EXPECT_EQ(timeline.phases[0].status, OperationStatus::not_started);
  EXPECT_EQ(timeline.phases[0].polls, 1);
  EXPECT_EQ(timeline.phases[1].status, OperationStatus::running);
  EXPECT_EQ(timeline.phases[1].polls, 2);
  EXPECT_EQ(timeline.phases[2].status, OperationStatus::succeeded);
  for (const auto& p : timeline.phases) {
    EXPECT_FALSE(p.duration.has_value());
    EXPECT_EQ(p.retry_after, 7s);
    EXPECT_FALSE(p.failure.has_value());
  }
}

TEST(DefaultTimeline, PollsSeeNotStartedRunningRunningThenSucceededForever) {
  Poller poller{default_timeline(1s)};
  const std::vector<OperationStatus> expected{
      OperationStatus::not_started, OperationStatus::running,   OperationStatus::running,
      OperationStatus::succeeded,   OperationStatus::succeeded, OperationStatus::succeeded,
      OperationStatus::succeeded};
  std::vector<OperationStatus> seen;
  for (std::size_t i = 0; i < expected.size(); ++i) seen.push_back(poller.poll(t0));
  EXPECT_EQ(seen, expected);
}

TEST(DefaultTimeline, SequenceDoesNotDependOnTimeBetweenPolls) {
  Poller poller{default_timeline(1s)};
  EXPECT_EQ(poller.poll(t0 + 1h), OperationStatus::not_started);
  EXPECT_EQ(poller.poll(t0 + 2h), OperationStatus::running);
  EXPECT_EQ(poller.poll(t0 + 3h), OperationStatus::running);
  EXPECT_EQ(poller.poll(t0 + 4h), OperationStatus::succeeded);
}

TEST(DefaultTimeline, WithoutPollsTimeAloneDoesNotMoveIt) {
  const auto settled = settle(default_timeline(1s), fresh(t0), t0 + 24h * 365);
  EXPECT_EQ(settled.phase, 0u);
  EXPECT_EQ(settled.phase_entered_at, t0);
}

TEST(Settle, PollsOnlyPhaseEndsAtTheInstantOfItsLastPoll) {
  Poller poller{default_timeline(1s)};
  ASSERT_EQ(poller.poll(t0 + 3s), OperationStatus::not_started);
  ASSERT_EQ(poller.poll(t0 + 8s), OperationStatus::running);
  EXPECT_EQ(poller.progress.phase_entered_at, t0 + 3s);
  ASSERT_EQ(poller.poll(t0 + 9s), OperationStatus::running);
  ASSERT_EQ(poller.poll(t0 + 20s), OperationStatus::succeeded);
  EXPECT_EQ(poller.progress.phase_entered_at, t0 + 9s);
}

TEST(Settle, DurationOnlyPhaseHasNotEndedJustBeforeItsDuration) {
  const Timeline timeline{{phase(OperationStatus::running, std::nullopt, 10s), terminal()}};
  const auto settled = settle(timeline, fresh(t0), t0 + 10s - 1ns);
  EXPECT_EQ(settled.phase, 0u);
  EXPECT_EQ(settled.phase_entered_at, t0);
}

TEST(Settle, DurationOnlyPhaseEndsExactlyAtEntryPlusDuration) {
  const Timeline timeline{{phase(OperationStatus::running, std::nullopt, 10s), terminal()}};
  const auto settled = settle(timeline, fresh(t0), t0 + 10s);
  EXPECT_EQ(settled.phase, 1u);
  EXPECT_EQ(settled.phase_entered_at, t0 + 10s);
  EXPECT_EQ(settled.polls_in_phase, 0);
}

TEST(Settle, NextPhaseIsEnteredWhenTheDurationEndedNotWhenSettled) {
  const Timeline timeline{{phase(OperationStatus::running, std::nullopt, 10s), terminal()}};
  const auto settled = settle(timeline, fresh(t0), t0 + 1h);
  EXPECT_EQ(settled.phase, 1u);
  EXPECT_EQ(settled.phase_entered_at, t0 + 10s);
}

TEST(Settle, ChainedDurationPhasesEachStartWhereThePreviousEnded) {
  const Timeline timeline{{phase(OperationStatus::not_started, std::nullopt, 5s),
                           phase(OperationStatus::running, std::nullopt, 7500ms), terminal()}};
  const auto mid = settle(timeline, fresh(t0), t0 + 6s);
  EXPECT_EQ(mid.phase, 1u);
  EXPECT_EQ(mid.phase_entered_at, t0 + 5s);

  const auto end = settle(timeline, fresh(t0), t0 + 100s);
  EXPECT_EQ(end.phase, 2u);
  EXPECT_EQ(end.phase_entered_at, t0 + 12500ms);

  const auto exact = settle(timeline, fresh(t0), t0 + 12500ms);
  EXPECT_EQ(exact.phase, 2u);
  const auto before = settle(timeline, fresh(t0), t0 + 12499ms);
  EXPECT_EQ(before.phase, 1u);
}

TEST(Settle, PollsAndDurationPhaseWaitsForTheDurationAfterThePolls) {
  const Timeline timeline{{phase(OperationStatus::running, 2, 10s), terminal()}};
  Progress progress = fresh(t0);
  progress.polls_in_phase = 2;
  progress.last_poll_at = t0 + 2s;
  const auto early = settle(timeline, progress, t0 + 5s);
  EXPECT_EQ(early.phase, 0u);

  const auto done = settle(timeline, progress, t0 + 10s);
  EXPECT_EQ(done.phase, 1u);
  EXPECT_EQ(done.phase_entered_at, t0 + 10s);
}

TEST(Settle, PollsAndDurationPhaseWaitsForThePollsAfterTheDuration) {
  const Timeline timeline{{phase(OperationStatus::running, 2, 10s), terminal()}};
  Progress progress = fresh(t0);
  progress.polls_in_phase = 1;
  progress.last_poll_at = t0 + 1s;
  const auto not_enough_polls = settle(timeline, progress, t0 + 1h);
  EXPECT_EQ(not_enough_polls.phase, 0u);
  EXPECT_EQ(not_enough_polls.phase_entered_at, t0);
}

TEST(Settle, PollsAndDurationPhaseEndsAtTheLaterOfTheTwoConditions) {
  Poller poller{{{phase(OperationStatus::running, 2, 10s), terminal()}}};
  ASSERT_EQ(poller.poll(t0 + 12s), OperationStatus::running);
  ASSERT_EQ(poller.poll(t0 + 13s), OperationStatus::running);
  ASSERT_EQ(poller.poll(t0 + 14s), OperationStatus::succeeded);
  EXPECT_EQ(poller.progress.phase_entered_at, t0 + 13s);
}

TEST(Settle, PhaseWithNeitherPollsNorDurationPassesAtItsEntryInstant) {
  const Timeline timeline{{phase(OperationStatus::running, std::nullopt, 4s),
                           phase(OperationStatus::running, std::nullopt, std::nullopt), terminal()}};
  const auto settled = settle(timeline, fresh(t0), t0 + 1h);
  EXPECT_EQ(settled.phase, 2u);
  EXPECT_EQ(settled.phase_entered_at, t0 + 4s);
}

TEST(Settle, TerminalPhaseNeverMoves) {
  const auto timeline = default_timeline(1s);
  Progress progress;
  progress.phase = 2;
  progress.polls_in_phase = 1000;
  progress.phase_entered_at = t0 + 5s;
  progress.last_poll_at = t0 + 6s;
  const auto settled = settle(timeline, progress, t0 + 24h * 3650);
  EXPECT_EQ(settled.phase, 2u);
  EXPECT_EQ(settled.polls_in_phase, 1000);
  EXPECT_EQ(settled.phase_entered_at, t0 + 5s);
  EXPECT_EQ(settled.last_poll_at, t0 + 6s);
}

TEST(Settle, FailedTerminalPhaseNeverMoves) {
  Timeline timeline{{phase(OperationStatus::running, 1, std::nullopt), terminal(OperationStatus::failed)}};
  timeline.phases[1].failure = OperationFailure{"5000", "No data available"};
  Poller poller{timeline};
  EXPECT_EQ(poller.poll(t0), OperationStatus::running);
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(poller.poll(t0 + std::chrono::hours(i)), OperationStatus::failed);
  }
  EXPECT_EQ(poller.progress.phase, 1u);
}

TEST(Settle, SinglePhaseTimelineIsTerminalFromTheStart) {
  const Timeline timeline{{terminal()}};
  Progress progress = fresh(t0);
  progress.polls_in_phase = 3;
  const auto settled = settle(timeline, progress, t0 + 1h);
  EXPECT_EQ(settled.phase, 0u);
  EXPECT_EQ(settled.phase_entered_at, t0);
}

TEST(Settle, IsPureSameInputSameOutput) {
  const Timeline timeline{{phase(OperationStatus::not_started, 1, 3s), phase(OperationStatus::running, std::nullopt, 5s),
                           terminal()}};
  Progress progress = fresh(t0);
  progress.polls_in_phase = 1;
  progress.last_poll_at = t0 + 1s;
  for (const auto now : {t0, t0 + 2s, t0 + 3s, t0 + 7s, t0 + 8s, t0 + 1h}) {
    SCOPED_TRACE((now - t0).count());
    const auto a = settle(timeline, progress, now);
    const auto b = settle(timeline, progress, now);
    EXPECT_EQ(a.phase, b.phase);
    EXPECT_EQ(a.polls_in_phase, b.polls_in_phase);
    EXPECT_EQ(a.phase_entered_at, b.phase_entered_at);
    EXPECT_EQ(a.last_poll_at, b.last_poll_at);
  }
}

TEST(Settle, SettlingTwiceAtTheSameInstantChangesNothing) {
  const Timeline timeline{{phase(OperationStatus::not_started, std::nullopt, 3s),
                           phase(OperationStatus::running, std::nullopt, 5s), terminal()}};
  const auto once = settle(timeline, fresh(t0), t0 + 4s);
  const auto twice = settle(timeline, once, t0 + 4s);
  EXPECT_EQ(twice.phase, once.phase);
  EXPECT_EQ(twice.phase_entered_at, once.phase_entered_at);
  EXPECT_EQ(twice.polls_in_phase, once.polls_in_phase);
}

TEST(Settle, ClockBeforeEntryDoesNotEndADurationPhase) {
  const Timeline timeline{{phase(OperationStatus::running, std::nullopt, 10s), terminal()}};
  const auto settled = settle(timeline, fresh(t0), t0 - 1h);
  EXPECT_EQ(settled.phase, 0u);
}

}  // namespace
}  // namespace graphfake::model
