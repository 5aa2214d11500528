#include "faults/fault.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace graphfake::faults {
namespace {

// Durations in scenario files stop at a year; a log-normal tail must too.
constexpr std::chrono::milliseconds kLongestDelay = std::chrono::hours(24 * 365);

}  // namespace

std::chrono::milliseconds sample(const Latency& latency, double u1, double u2) {
  using std::chrono::milliseconds;
  switch (latency.distribution) {
    case Latency::Distribution::fixed:
      return latency.fixed;
    case Latency::Distribution::uniform: {
      const auto span = static_cast<double>((latency.max - latency.min).count() + 1);
      const auto offset = std::min(static_cast<milliseconds::rep>(u1 * span), (latency.max - latency.min).count());
      return latency.min + milliseconds(offset);
    }
    case Latency::Distribution::log_normal: {
      // Box-Muller, written out so the figures do not depend on the
      // standard library's choice of normal_distribution algorithm.
      const double z = std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
      const double drawn = static_cast<double>(latency.median.count()) * std::exp(latency.sigma * z);
      const auto cap = latency.max.count() > 0 ? latency.max : kLongestDelay;
      if (!(drawn < static_cast<double>(cap.count()))) return cap;
      return milliseconds(static_cast<milliseconds::rep>(std::llround(drawn)));
    }
  }
  return milliseconds(0);
}

bool Fault::replaces_response() const {
  return status || body || location || drop || gzip || reset_at_byte || extra_content_length || blob_count_delta;
}

}  // namespace graphfake::faults
