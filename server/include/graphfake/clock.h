#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <stop_token>
#include <vector>

namespace graphfake {

using TimePoint = std::chrono::system_clock::time_point;

// The one source of "now" for a server: operation phases, Retry-After,
// timestamps, SAS and token expiry all read it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // The server has just told a client to wait `wait` before polling again.
  // Only an auto-advancing VirtualClock acts on it.
  virtual void retry_after_advertised(std::chrono::seconds wait) { (void)wait; }
  // A scenario scripted a delay: hold the response back by `delay`. Real
  // time passes, unless `interrupt` is signalled (the server is stopping).
  virtual void hold(std::chrono::milliseconds delay, std::stop_token interrupt);
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// Time that moves only when a test moves it, so time-based behaviour is
// tested without sleeping. Safe to advance while the server is serving.
//
//   auto clock = std::make_shared<graphfake::VirtualClock>();
//   graphfake::Server fake({.clock = clock});
//   clock->advance(std::chrono::hours(2));  // every SAS issued so far expires
//
// With auto_advance, every Retry-After the server advertises moves the clock
// that far, as if the client had waited: a real client that sleeps is not
// needed to get through "2 minutes" of running.
//
// Scripted delays cost no wall time either: the clock records them (see
// holds()) instead of sleeping, and an auto-advancing clock moves by them.
//
// It never shows a time past latest(): a move beyond it (an advance, a set,
// an auto-advance) stops there instead of wrapping round.
class VirtualClock final : public Clock {
 public:
  enum class Mode { manual, auto_advance };

  // 2025-01-01T00:00:00Z unless told otherwise.
  explicit VirtualClock(TimePoint start = default_start(), Mode mode = Mode::manual);

  TimePoint now() const override;
  void advance(std::chrono::system_clock::duration by);
  void set(TimePoint to);
  void retry_after_advertised(std::chrono::seconds wait) override;
  void hold(std::chrono::milliseconds delay, std::stop_token interrupt) override;

  Mode mode() const { return mode_; }

  // The delays the server held responses back by, in the order held: the
  // latest kMaxHolds of them.
  std::vector<std::chrono::milliseconds> holds() const;
  static constexpr std::size_t kMaxHolds = 100'000;

  static TimePoint default_start();
  // 2200-01-01T00:00:00Z. The clock counts nanoseconds in 64 bits, up to
  // 2262; the margin leaves room for the waits the fake adds to its time.
  static TimePoint latest();

 private:
  std::atomic<std::chrono::system_clock::rep> ticks_;
  Mode mode_;
  mutable std::mutex holds_mutex_;
  std::deque<std::chrono::milliseconds> holds_;
};

// "250ms", "30s", "5m", "2h": a duration as scenario files, the admin API
// and the binary's options write one. nullopt for anything else.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// A time a virtual clock may show, as the admin API's PUT /clock and the
// binary's --clock-start take it: RFC 3339 ("2025-01-01T00:05:00Z", a
// fraction of a second allowed), from 1970-01-01T00:00:00Z to
// VirtualClock::latest(). Else what is wrong, ready to follow the value's
// name: "must be from … to …".
std::variant<TimePoint, std::string> parse_clock_time(std::string_view text);

}  // namespace graphfake
