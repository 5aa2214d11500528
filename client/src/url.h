#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace graphfake::client::detail {

// An absolute http(s) URL split where a connection and a request part.
struct Url {
  std::string origin;  // "https://host[:port]", the connection to reuse
  std::string target;  // "/path?query", what the request line carries ("/" when empty)
};

// nullopt unless `url` is an absolute http or https URL with a host.
std::optional<Url> split_url(std::string_view url);

// `reference` (a non-empty Location or link) resolved against the URL it came from,
// as RFC 3986, section 5.2 does for absolute, network-path, absolute-path, query
// and relative-path references. Dot segments are kept as they are: the
// service's own paths have none.
std::string resolve_url(std::string_view base, std::string_view reference);

// `url` with the value of its SAS signature (sig=) replaced, for errors and
// logs: the rest of the SAS helps diagnose, the signature is a credential.
std::string redact_signature(std::string_view url);

}  // namespace graphfake::client::detail
