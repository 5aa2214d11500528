#include "model/fault.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "core/ids.h"

namespace graphfake::model {
namespace {

using namespace std::chrono_literals;
using Distribution = Latency::Distribution;

Latency uniform(std::chrono::milliseconds min, std::chrono::milliseconds max) {
  Latency latency;
  latency.distribution = Distribution::uniform;
  latency.min = min;
  latency.max = max;
  return latency;
}

Latency log_normal(std::chrono::milliseconds median, double sigma, std::chrono::milliseconds cap = 0ms) {
  Latency latency;
  latency.distribution = Distribution::log_normal;
  latency.median = median;
  latency.sigma = sigma;
  latency.max = cap;
  return latency;
}

// ---------------------------------------------------------------------------
// sample(): delays from two uniform draws
// ---------------------------------------------------------------------------

TEST(LatencySample, FixedIgnoresTheDraws) {
  Latency fixed;
  fixed.fixed = 1234ms;
  EXPECT_EQ(sample(fixed, 0.0, 0.0), 1234ms);
  EXPECT_EQ(sample(fixed, 0.999, 0.5), 1234ms);
}

TEST(LatencySample, UniformReachesBothBounds) {
  EXPECT_EQ(sample(uniform(100ms, 200ms), 0.0, 0.0), 100ms);
  EXPECT_EQ(sample(uniform(100ms, 200ms), 0.9999999, 0.0), 200ms);
}

TEST(LatencySample, UniformWithEqualBoundsIsThatValue) {
  EXPECT_EQ(sample(uniform(250ms, 250ms), 0.7, 0.0), 250ms);
}

TEST(LatencySample, UniformSpreadsEvenlyOverItsRange) {
  core::IdGenerator draws(7);
  std::vector<int> buckets(10);
  for (int i = 0; i < 10'000; ++i) {
    const auto held = sample(uniform(0ms, 999ms), draws.unit(), draws.unit());
    ASSERT_GE(held, 0ms);
    ASSERT_LE(held, 999ms);
    buckets.at(static_cast<std::size_t>(held.count() / 100)) += 1;
  }
  for (const int count : buckets) EXPECT_NEAR(count, 1000, 150);
}

TEST(LatencySample, LogNormalAtTheMiddleDrawIsTheMedian) {
  // u2 = 1/4 makes cos(2*pi*u2) zero, so the normal draw is 0 and e^0 = 1.
  EXPECT_EQ(sample(log_normal(300ms, 0.8), 0.5, 0.25), 300ms);
}

TEST(LatencySample, LogNormalHalfTheDrawsFallBelowTheMedian) {
  core::IdGenerator draws(11);
  std::vector<std::chrono::milliseconds> held;
  for (int i = 0; i < 10'001; ++i) held.push_back(sample(log_normal(400ms, 0.6), draws.unit(), draws.unit()));
  std::nth_element(held.begin(), held.begin() + 5000, held.end());
  EXPECT_NEAR(static_cast<double>(held[5000].count()), 400.0, 20.0);
}

TEST(LatencySample, LogNormalIsCappedByItsMax) {
  // u1 near 1 and u2 = 0 give a normal draw of about +8.6 sigma.
  EXPECT_EQ(sample(log_normal(100ms, 2.0, 5s), 0.999999999999999, 0.0), 5s);
}

TEST(LatencySample, LogNormalWithoutMaxStopsAtAYear) {
  EXPECT_EQ(sample(log_normal(std::chrono::hours(24), 4.0), 0.999999999999999, 0.0), std::chrono::hours(24 * 365));
}

// ---------------------------------------------------------------------------
// pick_faults(): responses and delays are picked apart
// ---------------------------------------------------------------------------

Fault with_status(int status) {
  Fault fault;
  fault.status = status;
  return fault;
}

Fault with_delay(std::chrono::milliseconds held) {
  Fault fault;
  Latency latency;
  latency.fixed = held;
  fault.delay = latency;
  return fault;
}

const auto always = [](const Fault&) { return true; };

TEST(PickFaults, ACatchAllDelayListedFirstDoesNotHideALaterError) {
  const std::vector<Fault> faults{with_delay(1s), with_status(503)};
  const auto pick = pick_faults(faults, always);
  EXPECT_EQ(pick.delay, &faults[0]);
  EXPECT_EQ(pick.response, &faults[1]);
}

TEST(PickFaults, FirstResponseAndFirstDelayWin) {
  const std::vector<Fault> faults{with_status(500), with_delay(1s), with_status(503), with_delay(2s)};
  const auto pick = pick_faults(faults, always);
  EXPECT_EQ(pick.response, &faults[0]);
  EXPECT_EQ(pick.delay, &faults[1]);
}

TEST(PickFaults, AFaultWithBothGivesBoth) {
  auto both = with_status(503);
  both.delay = with_delay(1s).delay;
  const std::vector<Fault> faults{both, with_delay(2s)};
  const auto pick = pick_faults(faults, always);
  EXPECT_EQ(pick.response, &faults[0]);
  EXPECT_EQ(pick.delay, &faults[0]);
}

TEST(PickFaults, FaultsWhoseTriggersDoNotHoldAreSkipped) {
  const std::vector<Fault> faults{with_status(500), with_status(503)};
  const auto pick = pick_faults(faults, [&](const Fault& fault) { return &fault == &faults[1]; });
  EXPECT_EQ(pick.response, &faults[1]);
  EXPECT_EQ(pick.delay, nullptr);
}

// Each trigger check may draw a probability, so faults that cannot add to
// the pick must not be asked: it would shift every later draw.
TEST(PickFaults, OnlyFaultsThatCouldStillAddAreAsked) {
  const std::vector<Fault> faults{with_status(500), with_status(503), with_delay(1s), with_delay(2s)};
  std::vector<const Fault*> asked;
  pick_faults(faults, [&](const Fault& fault) {
    asked.push_back(&fault);
    return true;
  });
  EXPECT_EQ(asked, (std::vector<const Fault*>{&faults[0], &faults[2]}));
}

TEST(PickFaults, NoFaultsPickNothing) {
  const auto pick = pick_faults(std::vector<Fault>{}, always);
  EXPECT_EQ(pick.response, nullptr);
  EXPECT_EQ(pick.delay, nullptr);
}

}  // namespace
}  // namespace graphfake::model
