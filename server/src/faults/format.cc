#include "faults/format.h"

#include <vector>

#include "model/operation_status.h"

namespace graphfake::faults {
namespace {

using core::Field;
using core::json_array;
using core::json_integer;
using core::json_number;
using core::json_object;
using core::json_string;

constexpr unsigned kExport = point_bit(Fault::On::export_request);
constexpr unsigned kPoll = point_bit(Fault::On::poll);
constexpr unsigned kManifest = point_bit(Fault::On::manifest);
constexpr unsigned kBlob = point_bit(Fault::On::blob);
// The points whose faults can answer with an error status.
constexpr unsigned kWithStatus = kExport | kPoll | kBlob;

constexpr Property kProperties[] = {
    {{"on", json_string, kPointNames, true, "the response the fault replaces"}, Role::point, kEveryPoint},
    {{"requests", json_array, {}, false, "the Nth export request the rule matched, 1-based"}, Role::trigger, kExport},
    {{"polls", json_array, {}, false, "the Nth poll of the operation, 1-based"}, Role::trigger, kPoll},
    {{"phase", json_string, model::kOperationStatusNames, false, "only while the operation has this status"},
     Role::trigger, kPoll},
    {{"after", json_string, {}, false, "only once the operation is at least this old"}, Role::trigger, kPoll},
    {{"blobs", json_array, {}, false, "these blob indexes, 0-based"}, Role::trigger, kBlob},
    {{"probability", json_number, {}, false, "the chance the fault fires, 0 < p <= 1"}, Role::trigger, kWithStatus},
    {{"status", json_integer, {}, false, "answer with this HTTP error status"}, Role::action, kWithStatus},
    {{"retryAfter", json_string, {}, false, "with status: the Retry-After, whole seconds"}, Role::status_detail,
     kWithStatus},
    {{"code", json_string, {}, false, "with status: the error code"}, Role::status_detail, kWithStatus},
    {{"message", json_string, {}, false, "with status: the error message"}, Role::status_detail, kWithStatus},
    {{"body", json_string, kBodyNames, false, "answer 200 with a broken body"}, Role::action, kPoll},
    {{"location", json_string, kLocationNames, false, "accept the export with a bad Location"}, Role::action,
     kExport},
    {{"gzip", json_string, kGzipNames, false, "serve broken gzip"}, Role::action, kBlob},
    {{"resetAtByte", json_integer, {}, false, "drop the connection after this many bytes"}, Role::action, kBlob},
    {{"extraContentLength", json_integer, {}, false, "Content-Length claims this many bytes more"}, Role::action,
     kBlob},
    {{"blobCountDelta", json_integer, {}, false, "blobCount differs from the blobs listed by this much"},
     Role::action, kManifest},
    {{"drop", json_string, kDropNames, false, "close the connection without answering"}, Role::action, kExport},
    {{"delay", json_string | json_object, {}, false, "hold the response back"}, Role::delay, kEveryPoint},
};

constexpr Field kUniformDelay[] = {
    {"distribution", json_string, std::span(kDistributionNames).first<1>(), true, "uniform"},
    {"min", json_string, {}, true, "the shortest delay"},
    {"max", json_string, {}, true, "the longest delay, not less than min"},
};

constexpr Field kLogNormalDelay[] = {
    {"distribution", json_string, std::span(kDistributionNames).last<1>(), true, "logNormal"},
    {"median", json_string, {}, true, "the median delay"},
    {"sigma", json_number, {}, true, "the spread of the underlying normal, 0 < sigma <= 4"},
    {"max", json_string, {}, false, "a cap, not less than median and not 0"},
};

}  // namespace

std::span<const Property> properties() { return kProperties; }

const Property* find_property(std::string_view name) {
  for (const auto& property : kProperties) {
    if (property.field.name == name) return &property;
  }
  return nullptr;
}

std::span<const core::Field> fields() {
  static const std::vector<Field> fields = [] {
    std::vector<Field> out;
    for (const auto& property : kProperties) out.push_back(property.field);
    return out;
  }();
  return fields;
}

std::span<const core::Field> uniform_delay_fields() { return kUniformDelay; }
std::span<const core::Field> log_normal_delay_fields() { return kLogNormalDelay; }

}  // namespace graphfake::faults
