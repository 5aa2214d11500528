#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graphfake/clock.h"

namespace graphfake::domain {

// Decides whether a request's Authorization header may call the
// partner-billing APIs, as Graph would: 401 InvalidAuthenticationToken for a
// missing, malformed, expired or wrong-audience token; 403 for a valid token
// without PartnerBilling.Read.All. Throws core::GraphError; returns if allowed.
// What Graph sends with every 401; deliberately without claims=, which would
// send clients into a conditional-access challenge flow.
inline constexpr const char* kBearerChallenge =
    "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", "
    "client_id=\"00000003-0000-0000-c000-000000000000\"";

class Authenticator {
 public:
  // With accepted tokens, exactly those are accepted (whatever they hold);
  // without, any JWT-shaped token whose claims pass (signatures unchecked).
  explicit Authenticator(std::vector<std::string> accepted_tokens);

  void authorize(std::string_view authorization_header, TimePoint now) const;

 private:
  std::vector<std::string> accepted_tokens_;
};

}  // namespace graphfake::domain
