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
class Authenticator {
 public:
  explicit Authenticator(std::vector<std::string> accepted_tokens);

  void authorize(std::string_view authorization_header, TimePoint now) const;

 private:
  std::vector<std::string> accepted_tokens_;
};

}  // namespace graphfake::domain
