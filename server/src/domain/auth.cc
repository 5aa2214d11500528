#include "domain/auth.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <sstream>

#include "core/base64.h"
#include "core/excerpt.h"
#include "core/graph_error.h"
#include "core/json_input.h"
#include "core/strings.h"
#include "graphfake/token.h"

namespace graphfake::domain {
namespace {

using nlohmann::json;

core::GraphError unauthorized(std::string message) {
  return core::GraphError(401, "InvalidAuthenticationToken", std::move(message),
                          {{"WWW-Authenticate", kBearerChallenge}});
}

// A JWT's header and claims are flat objects; a deeper one is not a token.
constexpr core::JsonLimits kTokenJsonLimits{16};

std::optional<json> decode_segment(std::string_view segment) {
  const auto bytes = core::base64url_decode(segment);
  if (!bytes) return std::nullopt;
  auto value = core::read_json(*bytes, kTokenJsonLimits);
  auto* object = std::get_if<json>(&value);
  if (object == nullptr || !object->is_object()) return std::nullopt;
  return std::move(*object);
}

// NumericDate claims may be any JSON number, far beyond 64-bit seconds;
// compared as doubles they need no conversion that could overflow.
std::optional<double> numeric_date(const json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (!it->is_number()) throw unauthorized(fmt::format("The token's '{}' claim is not a number.", name));
  return it->get<double>();
}

std::vector<std::string> granted_permissions(const json& claims) {
  std::vector<std::string> granted;
  if (const auto roles = claims.find("roles"); roles != claims.end() && roles->is_array()) {
    for (const auto& role : *roles) {
      if (role.is_string()) granted.push_back(role.get<std::string>());
    }
  }
  if (const auto scp = claims.find("scp"); scp != claims.end() && scp->is_string()) {
    std::istringstream scopes(scp->get<std::string>());
    for (std::string scope; scopes >> scope;) granted.push_back(scope);
  }
  return granted;
}

void check_jwt(std::string_view token, TimePoint now) {
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  if (first_dot == std::string_view::npos || second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos) {
    throw unauthorized("IDX14100: JWT is not well formed, there are no dots (.).");
  }
  const auto header = decode_segment(token.substr(0, first_dot));
  const auto claims = decode_segment(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (!header || !claims) {
    throw unauthorized("IDX14102: Unable to decode the header or payload of the JWT as Base64Url JSON.");
  }

  const double since_epoch = std::chrono::duration<double>(now.time_since_epoch()).count();
  if (const auto exp = numeric_date(*claims, "exp"); exp && *exp <= since_epoch) {
    throw unauthorized("Lifetime validation failed, the token is expired.");
  }
  if (const auto nbf = numeric_date(*claims, "nbf"); nbf && *nbf > since_epoch) {
    throw unauthorized("Lifetime validation failed, the token is not yet valid (nbf).");
  }
  if (const auto aud = claims->find("aud"); aud != claims->end()) {
    const bool graph_audience = aud->is_string() && (*aud == "https://graph.microsoft.com" ||
                                                     *aud == "https://graph.microsoft.com/" ||
                                                     *aud == "00000003-0000-0000-c000-000000000000");
    if (!graph_audience) throw unauthorized("Access token validation failure. Invalid audience.");
  }

  const auto granted = granted_permissions(*claims);
  if (std::find(granted.begin(), granted.end(), kPartnerBillingPermission) == granted.end()) {
    std::string listed;
    for (const auto& permission : granted) listed += (listed.empty() ? "" : ",") + permission;
    throw core::GraphError(
        403, "Forbidden",
        fmt::format("Missing role permissions on the request. API requires one of '{}'. Roles on the "
                    "request '{}'.",
                    kPartnerBillingPermission, core::text_excerpt(listed, 200)));
  }
}

}  // namespace

Authenticator::Authenticator(std::vector<std::string> accepted_tokens)
    : accepted_tokens_(std::move(accepted_tokens)) {}

void Authenticator::authorize(std::string_view authorization_header, TimePoint now) const {
  if (authorization_header.empty()) throw unauthorized("Access token is empty.");
  constexpr std::string_view kScheme = "bearer ";
  const bool bearer = authorization_header.size() > kScheme.size() &&
                      core::iequals(authorization_header.substr(0, kScheme.size()), kScheme);
  if (!bearer) throw unauthorized("Access token is empty.");

  auto token = authorization_header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) throw unauthorized("Access token is empty.");

  // Configured tokens are the only ones: the fake verifies no signature, so
  // reading a JWT's claims would let any unsigned token in.
  if (!accepted_tokens_.empty()) {
    if (std::find(accepted_tokens_.begin(), accepted_tokens_.end(), token) == accepted_tokens_.end()) {
      throw unauthorized("Access token validation failure: not a token the fake was configured to accept.");
    }
    return;
  }
  check_jwt(token, now);
}

}  // namespace graphfake::domain
