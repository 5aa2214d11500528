#include "graphfake/token.h"

#include <nlohmann/json.hpp>

#include "core/base64.h"

namespace graphfake {
namespace {

std::int64_t epoch_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string make_token(const TokenClaims& claims) {
  nlohmann::ordered_json payload;
  payload["aud"] = claims.audience;
  if (!claims.tenant_id.empty()) {
    payload["iss"] = "https://sts.windows.net/" + claims.tenant_id + "/";
    payload["tid"] = claims.tenant_id;
  }
  if (!claims.roles.empty()) payload["roles"] = claims.roles;
  if (!claims.scp.empty()) payload["scp"] = claims.scp;
  if (claims.not_before) payload["nbf"] = epoch_seconds(*claims.not_before);
  if (claims.expires_at) payload["exp"] = epoch_seconds(*claims.expires_at);

  const std::string header = R"({"alg":"none","typ":"JWT"})";
  return core::base64url_encode(header) + "." + core::base64url_encode(payload.dump()) + ".";
}

}  // namespace graphfake
