#include "faults/fault.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/ids.h"
#include "faults/apply.h"
#include "faults/pick.h"

namespace graphfake::faults {
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

// ---------------------------------------------------------------------------
// The trigger checks of each fault point
// ---------------------------------------------------------------------------

TEST(PickAtPoints, ExportFaultsFireOnTheListedRequestsOnly) {
  core::IdGenerator chance(1);
  auto second = with_status(429);
  second.requests = {2};
  const std::vector<Fault> faults{second};
  EXPECT_EQ(pick_export(faults, 1, chance).response, nullptr);
  EXPECT_EQ(pick_export(faults, 2, chance).response, &faults[0]);
}

TEST(PickAtPoints, PollFaultsCheckPollPhaseAndAge) {
  core::IdGenerator chance(1);
  auto gone = with_status(410);
  gone.polls = {3};
  gone.phase = model::OperationStatus::running;
  gone.after = 1min;
  const std::vector<Fault> faults{gone};
  const auto running = model::OperationStatus::running;
  EXPECT_EQ(pick_poll(faults, 3, running, 2min, chance).response, &faults[0]);
  EXPECT_EQ(pick_poll(faults, 2, running, 2min, chance).response, nullptr);
  EXPECT_EQ(pick_poll(faults, 3, model::OperationStatus::succeeded, 2min, chance).response, nullptr);
  EXPECT_EQ(pick_poll(faults, 3, running, 59s, chance).response, nullptr);
}

TEST(PickAtPoints, BlobFaultsFireOnTheListedIndexes) {
  core::IdGenerator chance(1);
  auto first = with_status(503);
  first.blobs = {0};
  const std::vector<Fault> faults{first};
  EXPECT_EQ(pick_blob(faults, 0, chance).response, &faults[0]);
  EXPECT_EQ(pick_blob(faults, 1, chance).response, nullptr);
}

TEST(PickAtPoints, ManifestFaultsTakeTheFirstDeltaAndTheFirstDelay) {
  Fault minus;
  minus.blob_count_delta = -1;
  Fault plus;
  plus.blob_count_delta = 1;
  const std::vector<Fault> faults{with_delay(1s), minus, plus, with_delay(2s)};
  const auto pick = pick_manifest(faults);
  EXPECT_EQ(pick.response, &faults[1]);
  EXPECT_EQ(pick.delay, &faults[0]);
}

// A fault whose other triggers do not hold draws nothing: the next draw is
// the one it would have taken.
TEST(PickAtPoints, ProbabilityIsDrawnOnlyWhenTheOtherTriggersHold) {
  auto unlisted = with_status(503);
  unlisted.blobs = {7};
  unlisted.probability = 0.5;
  core::IdGenerator picked(42);
  core::IdGenerator untouched(42);
  pick_blob(std::vector<Fault>{unlisted}, 0, picked);
  EXPECT_EQ(picked.next(), untouched.next());
}

// ---------------------------------------------------------------------------
// Scripted errors: the scenario's code and message, or the usual ones
// ---------------------------------------------------------------------------

TEST(ScriptedErrors, GraphAndAzureHaveTheirOwnUsualCodes) {
  auto busy = with_status(503);
  busy.retry_after = 5s;
  const auto graph = graph_error(busy);
  EXPECT_EQ(graph.status, 503);
  EXPECT_EQ(graph.code, "ServiceUnavailable");
  EXPECT_EQ(graph.message, "The service is temporarily unavailable. Please retry later.");
  EXPECT_EQ(graph.retry_after, 5s);
  const auto azure = azure_error(busy);
  EXPECT_EQ(azure.code, "ServerBusy");
  EXPECT_EQ(azure.message, "The server is currently unable to receive requests. Please retry your request.");
  EXPECT_EQ(azure.retry_after, 5s);
}

TEST(ScriptedErrors, AStatusWithoutAUsualPairGetsAGenericOne) {
  EXPECT_EQ(graph_error(with_status(418)).code, "Error");
  EXPECT_EQ(graph_error(with_status(418)).message, "Scripted error 418.");
  EXPECT_EQ(azure_error(with_status(418)).code, "InvalidInput");
}

TEST(ScriptedErrors, TheScenariosCodeAndMessageWin) {
  auto named = with_status(500);
  named.code = "Oops";
  named.message = "Broken on purpose.";
  EXPECT_EQ(graph_error(named).code, "Oops");
  EXPECT_EQ(azure_error(named).message, "Broken on purpose.");
}

// ---------------------------------------------------------------------------
// bend() and flip(): a blob's bytes on the wire
// ---------------------------------------------------------------------------

Fault blob_fault() {
  Fault fault;
  fault.on = Fault::On::blob;
  return fault;
}

TEST(BlobBend, NoFaultServesEveryByteAsIs) {
  const auto wire = bend(nullptr, 1000);
  EXPECT_EQ(wire.size, 1000U);
  EXPECT_EQ(wire.stop_at, 1000U);
  EXPECT_EQ(wire.declared_extra, 0U);
  EXPECT_EQ(wire.corrupt_from, wire.corrupt_to);
}

TEST(BlobBend, TruncatedServesTheFirstHalfWithAMatchingLength) {
  auto fault = blob_fault();
  fault.gzip = Fault::Gzip::truncated;
  const auto wire = bend(&fault, 1001);
  EXPECT_EQ(wire.size, 500U);
  EXPECT_EQ(wire.stop_at, 500U);
}

TEST(BlobBend, CorruptFlipsSixteenBytesInTheMiddle) {
  auto fault = blob_fault();
  fault.gzip = Fault::Gzip::corrupt;
  const auto wire = bend(&fault, 1000);
  EXPECT_EQ(wire.size, 1000U);
  EXPECT_EQ(wire.corrupt_from, 500U);
  EXPECT_EQ(wire.corrupt_to, 516U);
}

// The gzip header stays whole, so inflating fails in the data, and the
// damage stops at the blob's end.
TEST(BlobBend, CorruptSparesTheHeaderOfASmallBlob) {
  auto fault = blob_fault();
  fault.gzip = Fault::Gzip::corrupt;
  const auto wire = bend(&fault, 20);
  EXPECT_EQ(wire.corrupt_from, 10U);
  EXPECT_EQ(wire.corrupt_to, 20U);
}

TEST(BlobBend, ResetStopsAtTheByteButNotPastTheBlob) {
  auto fault = blob_fault();
  fault.reset_at_byte = 100;
  EXPECT_EQ(bend(&fault, 1000).stop_at, 100U);
  EXPECT_EQ(bend(&fault, 1000).size, 1000U);
  EXPECT_EQ(bend(&fault, 50).stop_at, 50U);
}

TEST(BlobBend, ExtraContentLengthIsDeclaredNotSent) {
  auto fault = blob_fault();
  fault.extra_content_length = 50;
  const auto wire = bend(&fault, 1000);
  EXPECT_EQ(wire.declared_extra, 50U);
  EXPECT_EQ(wire.stop_at, 1000U);
}

TEST(BlobFlip, FlipsOnlyTheCorruptPositionsOfAChunk) {
  BlobWire wire{100, 0, 100, 10, 13};
  std::string chunk(8, '\x0F');
  flip(chunk, 8, wire);  // positions 8..15: 10, 11 and 12 are corrupt
  EXPECT_EQ(chunk, std::string("\x0F\x0F\xF0\xF0\xF0\x0F\x0F\x0F", 8));
}

TEST(BlobFlip, AChunkOutsideTheRangeIsUntouched) {
  BlobWire wire{100, 0, 100, 10, 13};
  std::string chunk = "abcd";
  flip(chunk, 13, wire);
  EXPECT_EQ(chunk, "abcd");
  flip(chunk, 6, wire);
  EXPECT_EQ(chunk, "abcd");
}

}  // namespace
}  // namespace graphfake::faults
