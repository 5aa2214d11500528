#pragma once

// Which of a rule's faults shape one response, at each fault point: the
// trigger checks of export requests, polls, manifests and blobs.
#include <cstdint>
#include <vector>

#include "core/ids.h"
#include "faults/fault.h"
#include "graphfake/clock.h"
#include "model/operation_status.h"

namespace graphfake::faults {

// The faults that shape one response: the first whose triggers hold among
// those with a response action, and the first whose triggers hold among
// those with a delay. Picked apart, so that a catch-all latency listed first
// does not hide the specific errors listed after it.
struct FaultPick {
  const Fault* response = nullptr;
  const Fault* delay = nullptr;
};

// `holds(fault)` decides a fault's triggers (drawing its probability); it is
// asked only about faults that could still add to the pick, in list order.
template <class Holds>
FaultPick pick_faults(const std::vector<Fault>& faults, Holds&& holds) {
  FaultPick pick;
  for (const auto& fault : faults) {
    const bool adds_response = pick.response == nullptr && fault.replaces_response();
    const bool adds_delay = pick.delay == nullptr && fault.delay.has_value();
    if (!(adds_response || adds_delay) || !holds(fault)) continue;
    if (adds_response) pick.response = &fault;
    if (adds_delay) pick.delay = &fault;
    if (pick.response != nullptr && pick.delay != nullptr) break;
  }
  return pick;
}

// A fault's probability is drawn from `chance` only once its other triggers
// hold, so a request that no fault lists draws nothing.

// `request`: the Nth export this rule matched (1-based).
FaultPick pick_export(const std::vector<Fault>& faults, std::uint64_t request, core::IdGenerator& chance);

// `poll`: the Nth poll the operation's timeline answered (1-based);
// `status`: what the operation is at it; `age`: how long ago it was created.
FaultPick pick_poll(const std::vector<Fault>& faults, std::uint64_t poll, model::OperationStatus status,
                    TimePoint::duration age, core::IdGenerator& chance);

// Manifest faults take no trigger: the first with an action (blobCountDelta)
// and the first with a delay shape every manifest served for the export.
FaultPick pick_manifest(const std::vector<Fault>& faults);

// `blob`: the blob's index in its manifest (0-based).
FaultPick pick_blob(const std::vector<Fault>& faults, std::uint64_t blob, core::IdGenerator& chance);

}  // namespace graphfake::faults
