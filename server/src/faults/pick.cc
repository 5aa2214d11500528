#include "faults/pick.h"

#include <algorithm>

namespace graphfake::faults {
namespace {

// An empty trigger list holds for every number.
bool listed(const std::vector<std::uint64_t>& numbers, std::uint64_t n) {
  return numbers.empty() || std::find(numbers.begin(), numbers.end(), n) != numbers.end();
}

bool fires(const Fault& fault, core::IdGenerator& chance) {
  return fault.probability >= 1.0 || chance.draw(fault.probability);
}

}  // namespace

FaultPick pick_export(const std::vector<Fault>& faults, std::uint64_t request, core::IdGenerator& chance) {
  return pick_faults(faults,
                     [&](const Fault& fault) { return listed(fault.requests, request) && fires(fault, chance); });
}

FaultPick pick_poll(const std::vector<Fault>& faults, std::uint64_t poll, model::OperationStatus status,
                    TimePoint::duration age, core::IdGenerator& chance) {
  return pick_faults(faults, [&](const Fault& fault) {
    if (!listed(fault.polls, poll)) return false;
    if (fault.phase && *fault.phase != status) return false;
    if (fault.after && age < *fault.after) return false;
    return fires(fault, chance);
  });
}

FaultPick pick_manifest(const std::vector<Fault>& faults) {
  return pick_faults(faults, [](const Fault&) { return true; });
}

FaultPick pick_blob(const std::vector<Fault>& faults, std::uint64_t blob, core::IdGenerator& chance) {
  return pick_faults(faults, [&](const Fault& fault) { return listed(fault.blobs, blob) && fires(fault, chance); });
}

}  // namespace graphfake::faults
