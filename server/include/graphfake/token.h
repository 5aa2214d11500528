#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graphfake/clock.h"

namespace graphfake {

inline constexpr const char* kPartnerBillingPermission = "PartnerBilling.Read.All";

// The claims of a JWT-shaped bearer token. The fake does not verify
// signatures; it reads roles/scp, aud, nbf and exp like Graph would.
struct TokenClaims {
  std::vector<std::string> roles{kPartnerBillingPermission};  // application permissions
  std::string scp{};  // delegated permissions, space-separated
  std::string audience = "https://graph.microsoft.com";
  std::string tenant_id{};
  std::optional<TimePoint> not_before{};
  std::optional<TimePoint> expires_at{};
};

// An unsigned JWT (alg "none") carrying `claims`, usable as
// "Authorization: Bearer <token>" against a graphfake Server started
// without Options::accepted_tokens (with them, only those are accepted).
std::string make_token(const TokenClaims& claims = {});

}  // namespace graphfake
