#include "scenario/scenario.h"

#include <fmt/format.h>

#include "faults/format.h"
#include "scenario/reader.h"

// A rule's "faults" and their delays. Which properties a fault takes, and on
// which fault point, is faults/'s table; this reads a file by it.
namespace graphfake::scenario {

using namespace std::chrono_literals;

std::optional<faults::Fault> Reader::fault(const json& value, const std::string& at) {
  const auto errors_at_start = errors_.size();
  if (!object_with_only(value, at, faults::fields())) return std::nullopt;
  using Fault = faults::Fault;
  const auto on_it = value.find("on");
  if (on_it == value.end()) {
    fail(at, "a fault needs \"on\": \"export\", \"poll\", \"manifest\" or \"blob\"");
    return std::nullopt;
  }
  const auto on = one_of(*on_it, at + "/on", faults::kPointNames, faults::kPoints);
  if (!on) return std::nullopt;
  Fault fault;
  fault.on = *on;
  const auto errors_before = errors_.size();

  using faults::Role;
  const auto on_name = on_it->get<std::string>();
  int actions = 0;
  bool misplaced = false;
  for (const auto& [key, item] : value.items()) {
    const auto* property = faults::find_property(key);
    // Unknown properties were reported above.
    if (property == nullptr || property->role == Role::point || property->role == Role::delay ||
        property->role == Role::status_detail) {
      continue;
    }
    if (!property->applies_to(*on)) {
      fail(at + "/" + key, fmt::format("does not apply to faults on \"{}\"", on_name));
      misplaced = true;
      continue;
    }
    if (property->role == Role::action) ++actions;
  }
  // A misplaced action is the mistake to report, not the count it leaves.
  const bool unknown_keys = errors_before != errors_at_start;
  if (!misplaced && !unknown_keys && (actions > 1 || (actions == 0 && !value.contains("delay")))) {
    std::vector<std::string_view> names;
    for (const auto& property : faults::properties()) {
      if (property.role == Role::action && property.applies_to(*on)) names.push_back(property.field.name);
    }
    fail(at, fmt::format("a fault on \"{}\" needs at most one of {}, and a \"delay\" if it has none", on_name,
                         quoted(names)));
  }

  if (const auto it = value.find("requests"); it != value.end()) fault.requests = numbers(*it, at + "/requests", 1);
  if (const auto it = value.find("polls"); it != value.end()) fault.polls = numbers(*it, at + "/polls", 1);
  if (const auto it = value.find("blobs"); it != value.end()) fault.blobs = numbers(*it, at + "/blobs", 0);
  if (const auto it = value.find("phase"); it != value.end()) {
    fault.phase = one_of(*it, at + "/phase", model::kOperationStatusNames, model::kOperationStatuses);
  }
  if (const auto it = value.find("after"); it != value.end()) fault.after = duration(*it, at + "/after");
  if (const auto it = value.find("probability"); it != value.end()) {
    if (!it->is_number() || it->get<double>() <= 0.0 || it->get<double>() > 1.0) {
      fail(at + "/probability", fmt::format("expected a number greater than 0 and at most 1, got {}", shown(*it)));
    } else {
      fault.probability = it->get<double>();
    }
  }

  if (const auto it = value.find("status"); it != value.end()) {
    if (const auto status = integer(*it, at + "/status", 400, 599, "an HTTP error status")) {
      fault.status = static_cast<int>(*status);
    }
  }
  for (const auto& property : faults::properties()) {
    const std::string key(property.field.name);
    if (property.role == Role::status_detail && value.contains(key) && !value.contains("status")) {
      fail(at + "/" + key, "applies only to a fault with a \"status\"");
    }
  }
  if (const auto it = value.find("retryAfter"); it != value.end()) {
    fault.retry_after = whole_seconds(*it, at + "/retryAfter", "Retry-After");
  }
  if (const auto it = value.find("code"); it != value.end()) {
    if (auto code = string(*it, at + "/code")) fault.code = std::move(*code);
  }
  if (const auto it = value.find("message"); it != value.end()) {
    if (auto message = string(*it, at + "/message")) fault.message = std::move(*message);
  }
  if (const auto it = value.find("body"); it != value.end()) {
    fault.body = one_of(*it, at + "/body", faults::kBodyNames, faults::kBodies);
  }
  if (const auto it = value.find("location"); it != value.end()) {
    fault.location = one_of(*it, at + "/location", faults::kLocationNames, faults::kLocations);
  }
  if (const auto it = value.find("drop"); it != value.end()) {
    fault.drop = one_of(*it, at + "/drop", faults::kDropNames, faults::kDrops);
  }
  if (const auto it = value.find("gzip"); it != value.end()) {
    fault.gzip = one_of(*it, at + "/gzip", faults::kGzipNames, faults::kGzips);
  }
  if (const auto it = value.find("resetAtByte"); it != value.end())
    fault.reset_at_byte = count(*it, at + "/resetAtByte", 0);
  if (const auto it = value.find("extraContentLength"); it != value.end()) {
    if (const auto extra = integer(*it, at + "/extraContentLength", 1, kMaxExtraContentLength, "a number of bytes")) {
      fault.extra_content_length = static_cast<std::uint64_t>(*extra);
    }
  }
  if (const auto it = value.find("blobCountDelta"); it != value.end()) {
    const auto delta = integer(*it, at + "/blobCountDelta", -static_cast<std::int64_t>(kMaxBlobs),
                               static_cast<std::int64_t>(kMaxBlobs), "a whole number");
    if (delta == 0) {
      fail(at + "/blobCountDelta", "0 would leave blobCount as it is; give a difference other than 0");
    } else if (delta) {
      fault.blob_count_delta = *delta;
    }
  }
  if (const auto it = value.find("delay"); it != value.end()) fault.delay = latency(*it, at + "/delay");
  if (errors_.size() != errors_before) return std::nullopt;
  return fault;
}

// "2s" for a fixed delay, or a distribution to draw each delay from.
std::optional<faults::Latency> Reader::latency(const json& value, const std::string& at) {
  using Distribution = faults::Latency::Distribution;
  faults::Latency latency;
  if (value.is_string()) {
    const auto fixed = duration(value, at);
    if (!fixed) return std::nullopt;
    latency.fixed = *fixed;
    return latency;
  }
  if (!value.is_object()) {
    fail(at, fmt::format("expected a duration like \"2s\" or a distribution object, got {}", shown(value)));
    return std::nullopt;
  }
  const auto kind = value.find("distribution");
  if (kind == value.end()) {
    fail(at, "a delay object needs \"distribution\": \"uniform\" or \"logNormal\"");
    return std::nullopt;
  }
  const auto distribution = one_of(*kind, at + "/distribution", faults::kDistributionNames, faults::kDistributions);
  if (!distribution) return std::nullopt;
  latency.distribution = *distribution;
  const auto errors_before = errors_.size();
  const auto required = [&](const char* key) -> std::optional<std::chrono::milliseconds> {
    const auto it = value.find(key);
    if (it == value.end()) {
      fail(at, fmt::format("a {} delay needs \"{}\"", kind->get<std::string>(), key));
      return std::nullopt;
    }
    return duration(*it, at + "/" + key);
  };
  if (*distribution == Distribution::uniform) {
    if (!object_with_only(value, at, faults::uniform_delay_fields())) return std::nullopt;
    const auto min = required("min");
    const auto max = required("max");
    if (min && max && *max < *min) {
      fail(at + "/max", fmt::format("must not be less than \"min\" ({})", shown(value["min"])));
    }
    latency.min = min.value_or(0ms);
    latency.max = max.value_or(0ms);
  } else {
    if (!object_with_only(value, at, faults::log_normal_delay_fields())) return std::nullopt;
    latency.median = required("median").value_or(0ms);
    const auto sigma = value.find("sigma");
    if (sigma == value.end()) {
      fail(at, "a logNormal delay needs \"sigma\"");
    } else if (!sigma->is_number() || sigma->get<double>() <= 0.0 || sigma->get<double>() > 4.0) {
      fail(at + "/sigma", fmt::format("expected a number greater than 0 and at most 4, got {}", shown(*sigma)));
    } else {
      latency.sigma = sigma->get<double>();
    }
    if (const auto max = value.find("max"); max != value.end()) {
      const auto cap = duration(*max, at + "/max");
      if (cap && *cap < latency.median) {
        fail(at + "/max", fmt::format("must not be less than \"median\" ({})", shown(value["median"])));
      } else if (cap && cap->count() == 0) {
        fail(at + "/max", "a cap of 0 would hold nothing back; leave \"max\" out for no cap");
      } else if (cap) {
        latency.max = *cap;
      }
    }
  }
  if (errors_.size() != errors_before) return std::nullopt;
  return latency;
}

}  // namespace graphfake::scenario
