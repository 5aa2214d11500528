#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "graphfake/clock.h"

namespace graphfake::core {

// 2024-10-08T00:57:36.037Z — what real manifests and operations carry.
std::string rfc3339_ms(TimePoint t);
// 2023-03-09T08:37:48.5046691Z — .NET's round-trip form, seven fraction
// digits (100 ns ticks), as the documentation's lastActionDateTime shows.
std::string rfc3339_ticks(TimePoint t);
// 2024-10-08T00:57:36.037250000Z — a time whole, as parse_rfc3339 reads it
// back: what HttpAdmin sends to set a clock.
std::string rfc3339_nanoseconds(TimePoint t);
// 2024-10-08T00:57:36Z — SAS fields (skt, se, ske) before URL-encoding.
std::string rfc3339_seconds(TimePoint t);
// 2024-10-08T00:57:36 — the innerError.date of Graph error envelopes, and
// the documentation's createdDateTime.
std::string iso_seconds_unzoned(TimePoint t);
// Parses exactly the rfc3339_seconds form; nullopt for anything else,
// and for a time a TimePoint cannot hold (before 1677-09-22, after
// 2262-04-11).
std::optional<TimePoint> parse_rfc3339_seconds(std::string_view text);
// Also takes a fraction of a second, up to nanoseconds: "…T00:05:00.250Z".
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// The earliest time a virtual clock is set to or starts at: the Unix epoch.
TimePoint earliest_clock_time();
// A time a virtual clock may be set to or start at (the admin API's PUT
// /clock and the binary's --clock-start alike): parse_rfc3339's form, from
// earliest_clock_time() to VirtualClock::latest(). Else what is wrong,
// ready to follow the value's name: "must be from … to …".
std::variant<TimePoint, std::string> parse_clock_time(std::string_view text);
// Tue, 08 Oct 2024 00:57:36 GMT — Date, Last-Modified.
std::string http_date(TimePoint t);
// Parses exactly the http_date form (RFC 1123, which Azure Storage's
// conditional headers take; the weekday must be the date's); nullopt for
// anything else.
std::optional<TimePoint> parse_http_date(std::string_view text);

}  // namespace graphfake::core
