#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "graphfake/client/backoff.h"
#include "graphfake/client/billing_client.h"
#include "transport.h"

namespace graphfake::client::detail {

// When to try again and how long to wait first: the service's Retry-After
// when it gives one, seeded back-off when not, and never past a deadline.
// Reports each retry as an Event.
class Pacing {
 public:
  // The time wait_for_completion may still spend.
  struct Deadline {
    Clock::TimePoint start;
    Clock::TimePoint end;
    std::string operation_url;
    std::chrono::milliseconds timeout;
  };

  Pacing(std::shared_ptr<Clock> clock, Backoff backoff, int max_attempts, std::function<void(const Event&)> on_event);

  int max_attempts() const { return max_attempts_; }
  Clock::TimePoint now() const { return clock_->now(); }

  void emit(Event::Kind kind, const std::string& url, std::string detail) const;

  std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response) const;
  std::chrono::milliseconds backoff(unsigned retry) { return backoff_.delay(retry); }
  // retry_after when the response has one, else backoff(retry).
  std::chrono::milliseconds wait_after(const HttpResponse& response, unsigned retry);

  // Sleeps `wait`; throws TimeoutError instead if that would pass `deadline`.
  void pause(std::chrono::milliseconds wait, const Deadline* deadline);
  // Reports a retry of `url` after `failure` (attempt `attempt` failed), then pauses.
  void retry(const std::string& url, const std::string& failure, std::chrono::milliseconds wait, int attempt,
             const Deadline* deadline);

 private:
  std::shared_ptr<Clock> clock_;
  Backoff backoff_;
  int max_attempts_;
  std::function<void(const Event&)> on_event_;
};

}  // namespace graphfake::client::detail
