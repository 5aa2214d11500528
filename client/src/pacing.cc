#include "pacing.h"

#include "graphfake/client/retry_after.h"

namespace graphfake::client::detail {

using std::chrono::milliseconds;

Pacing::Pacing(std::shared_ptr<Clock> clock, Backoff backoff, int max_attempts,
               std::function<void(const Event&)> on_event)
    : clock_(std::move(clock)), backoff_(backoff), max_attempts_(max_attempts), on_event_(std::move(on_event)) {}

void Pacing::emit(Event::Kind kind, const std::string& url, std::string detail) const {
  if (on_event_) on_event_(Event{kind, url, std::move(detail)});
}

std::optional<milliseconds> Pacing::retry_after(const HttpResponse& response) const {
  const auto value = response.header("Retry-After");
  if (value.empty()) return std::nullopt;
  // An HTTP-date is measured from the response's own Date, written by the
  // clock that chose the date; the client's clock only when there is none.
  return parse_retry_after(value, parse_http_date(response.header("Date")).value_or(clock_->now()));
}

milliseconds Pacing::wait_after(const HttpResponse& response, unsigned retry) {
  if (const auto advised = retry_after(response)) return *advised;
  return backoff_.delay(retry);
}

void Pacing::pause(milliseconds wait, const Deadline* deadline) {
  if (deadline) {
    // Giving up now beats sleeping to find out the same thing.
    const auto now = clock_->now();
    if (now + wait > deadline->end) {
      throw TimeoutError(deadline->operation_url, std::chrono::duration_cast<milliseconds>(now - deadline->start),
                         deadline->timeout);
    }
  }
  clock_->sleep_for(wait);
}

void Pacing::retry(const std::string& url, const std::string& failure, milliseconds wait, int attempt,
                   const Deadline* deadline) {
  emit(Event::Kind::retrying, url,
       failure + "; attempt " + std::to_string(attempt + 1) + " of " + std::to_string(max_attempts_) + " in " +
           std::to_string(wait.count()) + " ms");
  pause(wait, deadline);
}

}  // namespace graphfake::client::detail
