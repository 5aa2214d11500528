#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace graphfake::core {

std::string base64_encode(std::string_view bytes);
// URL-safe alphabet, no padding (JWT segments).
std::string base64url_encode(std::string_view bytes);
// Accepts the URL-safe alphabet, with or without padding; nullopt if malformed.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace graphfake::core
