#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace graphfake::client {

// How long a Retry-After value asks the client to wait (RFC 9110, section 10.2.3):
// delay-seconds ("120", also the fractional "2.128" an old Graph doc shows)
// or an HTTP-date in any of its three forms ("Sun, 06 Nov 1994 08:49:37 GMT",
// "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"), measured
// from `now`; a date already past means no wait. nullopt when the value is
// neither. Waits are capped at a day so a wild value cannot overflow.
//
//   parse_retry_after("Wed, 01 Jan 2025 00:00:30 GMT", date_header_time)  // 30 s
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

// An HTTP-date in any of the three forms above; nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view value);

}  // namespace graphfake::client
