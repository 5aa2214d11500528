#include "domain/auth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "core/base64.h"
#include "core/graph_error.h"
#include "graphfake/clock.h"
#include "graphfake/token.h"

namespace graphfake::domain {
namespace {

using core::GraphError;
using namespace std::chrono_literals;

const TimePoint kNow = VirtualClock::default_start();
constexpr const char* kOpaque = "secret-test-token";

std::optional<GraphError> error_of(const Authenticator& auth, std::string_view header, TimePoint now = kNow) {
  try {
    auth.authorize(header, now);
  } catch (const GraphError& e) {
    return e;
  }
  return std::nullopt;
}

// As a fake started without --token judges the header: by a JWT's claims.
std::optional<GraphError> error_of(std::string_view header, TimePoint now = kNow) {
  return error_of(Authenticator({}), header, now);
}

// As a fake started with --token secret-test-token judges it.
std::optional<GraphError> configured_error_of(std::string_view header) {
  return error_of(Authenticator({kOpaque}), header);
}

std::string bearer(const std::string& token) { return "Bearer " + token; }

std::string jwt(const std::string& payload_json) {
  return core::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + core::base64url_encode(payload_json) + ".";
}

std::optional<std::string> header_value(const GraphError& error, std::string_view name) {
  for (const auto& [key, value] : error.headers()) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                     return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                   })) {
      return value;
    }
  }
  return std::nullopt;
}

// A 401 the way Graph sends it: InvalidAuthenticationToken and a Bearer
// challenge that does not push the client into a claims challenge.
::testing::AssertionResult IsUnauthorized(const std::optional<GraphError>& error) {
  if (!error) return ::testing::AssertionFailure() << "the request was authorized";
  if (error->status() != 401) {
    return ::testing::AssertionFailure() << "status " << error->status() << " (" << error->message() << ")";
  }
  if (error->code() != "InvalidAuthenticationToken") return ::testing::AssertionFailure() << "code " << error->code();
  const auto challenge = header_value(*error, "WWW-Authenticate");
  if (!challenge) return ::testing::AssertionFailure() << "no WWW-Authenticate header";
  if (challenge->rfind("Bearer", 0) != 0) {
    return ::testing::AssertionFailure() << "challenge does not start with Bearer: " << *challenge;
  }
  if (challenge->find("claims=") != std::string::npos) {
    return ::testing::AssertionFailure() << "challenge carries claims=: " << *challenge;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsAuthorized(const std::optional<GraphError>& error) {
  if (!error) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << error->status() << " " << error->code() << ": " << error->message();
}

// --- missing or malformed header --------------------------------------------------

class HeaderWithoutToken : public ::testing::TestWithParam<const char*> {};

TEST_P(HeaderWithoutToken, IsUnauthorizedWithBearerChallenge) { EXPECT_TRUE(IsUnauthorized(error_of(GetParam()))); }

INSTANTIATE_TEST_SUITE_P(Authenticator, HeaderWithoutToken,
                         ::testing::Values("", "Bearer", "Bearer ", "Bearer     ", "bearer ", "Basic dXNlcjpwYXNz",
                                           "Basic secret-test-token", "Token secret-test-token",
                                           "Bearersecret-test-token", "secret-test-token"));

TEST(Authenticator, EmptyHeaderSaysAccessTokenIsEmpty) {
  const auto error = error_of("");
  ASSERT_TRUE(IsUnauthorized(error));
  EXPECT_EQ(error->message(), "Access token is empty.");
}

// --- opaque tokens ----------------------------------------------------------------

TEST(Authenticator, ConfiguredOpaqueTokenIsAccepted) {
  EXPECT_TRUE(IsAuthorized(configured_error_of(bearer(kOpaque))));
}

TEST(Authenticator, ConfiguredOpaqueTokenIsAcceptedWithSurroundingSpaces) {
  EXPECT_TRUE(IsAuthorized(configured_error_of("Bearer   secret-test-token  ")));
}

TEST(Authenticator, EveryConfiguredOpaqueTokenIsAccepted) {
  const Authenticator auth({"first", "second"});
  EXPECT_NO_THROW(auth.authorize("Bearer first", kNow));
  EXPECT_NO_THROW(auth.authorize("Bearer second", kNow));
}

TEST(Authenticator, UnknownOpaqueTokenIsUnauthorized) {
  for (const char* token : {"not-the-token", "SECRET-TEST-TOKEN", "secret-test-toke", "secret-test-token2"}) {
    SCOPED_TRACE(token);
    EXPECT_TRUE(IsUnauthorized(configured_error_of(bearer(token))));
  }
}

TEST(Authenticator, UnsignedJwtGrantingThePermissionIsUnauthorizedWhenTokensAreConfigured) {
  EXPECT_TRUE(IsUnauthorized(
      configured_error_of(bearer(jwt(R"({"aud":"https://graph.microsoft.com","roles":["PartnerBilling.Read.All"]})")))));
}

TEST(Authenticator, MadeTokenIsUnauthorizedWhenTokensAreConfigured) {
  EXPECT_TRUE(IsUnauthorized(configured_error_of(bearer(make_token()))));
}

TEST(Authenticator, ConfiguredJwtShapedTokenIsAcceptedWithoutReadingItsClaims) {
  TokenClaims claims;
  claims.expires_at = kNow - 1h;
  const auto expired = make_token(claims);
  EXPECT_TRUE(IsAuthorized(error_of(Authenticator({expired}), bearer(expired))));
}

TEST(Authenticator, NoConfiguredTokensStillRejectsOpaqueStrings) {
  const Authenticator auth({});
  try {
    auth.authorize("Bearer anything", kNow);
    FAIL() << "authorized an opaque token nobody configured";
  } catch (const GraphError& e) {
    EXPECT_TRUE(IsUnauthorized(e));
  }
}

// --- JWT-shaped tokens ---------------------------------------------------------------

TEST(Authenticator, DefaultMadeTokenIsAccepted) { EXPECT_TRUE(IsAuthorized(error_of(bearer(make_token())))); }

TEST(Authenticator, MadeTokenIsAcceptedWithNoOpaqueTokensConfigured) {
  const Authenticator auth({});
  EXPECT_NO_THROW(auth.authorize(bearer(make_token()), kNow));
}

TEST(Authenticator, BearerSchemeIsCaseInsensitive) {
  for (const char* scheme : {"bearer ", "BEARER ", "BeArEr ", "Bearer "}) {
    SCOPED_TRACE(scheme);
    EXPECT_TRUE(IsAuthorized(error_of(std::string(scheme) + make_token())));
    EXPECT_TRUE(IsAuthorized(configured_error_of(std::string(scheme) + kOpaque)));
  }
}

TEST(Authenticator, RolesWithoutPartnerBillingPermissionAreForbidden) {
  TokenClaims claims;
  claims.roles = {"User.Read.All", "Directory.Read.All"};
  const auto error = error_of(bearer(make_token(claims)));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 403);
  EXPECT_EQ(error->code(), "Forbidden");
  EXPECT_NE(error->message().find("PartnerBilling.Read.All"), std::string::npos) << error->message();
}

TEST(Authenticator, TokenWithNoPermissionsAtAllIsForbidden) {
  TokenClaims claims;
  claims.roles = {};
  const auto error = error_of(bearer(make_token(claims)));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 403);
  EXPECT_EQ(error->code(), "Forbidden");
}

TEST(Authenticator, PermissionNameMustMatchExactly) {
  for (const char* role : {"PartnerBilling.Read", "PartnerBilling.Read.AllX", "partnerbilling.read.all",
                           " PartnerBilling.Read.All"}) {
    SCOPED_TRACE(role);
    TokenClaims claims;
    claims.roles = {role};
    const auto error = error_of(bearer(make_token(claims)));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status(), 403);
  }
}

TEST(Authenticator, PartnerBillingAmongOtherRolesIsAccepted) {
  TokenClaims claims;
  claims.roles = {"User.Read.All", "PartnerBilling.Read.All"};
  EXPECT_TRUE(IsAuthorized(error_of(bearer(make_token(claims)))));
}

TEST(Authenticator, DelegatedScopeWithPartnerBillingIsAccepted) {
  TokenClaims claims;
  claims.roles = {};
  claims.scp = "User.Read PartnerBilling.Read.All";
  EXPECT_TRUE(IsAuthorized(error_of(bearer(make_token(claims)))));
}

TEST(Authenticator, DelegatedScopeWithoutPartnerBillingIsForbidden) {
  TokenClaims claims;
  claims.roles = {};
  claims.scp = "User.Read Mail.Read";
  const auto error = error_of(bearer(make_token(claims)));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->status(), 403);
  EXPECT_EQ(error->code(), "Forbidden");
}

TEST(Authenticator, ExpiredTokenIsUnauthorized) {
  TokenClaims claims;
  claims.expires_at = kNow - 1s;
  EXPECT_TRUE(IsUnauthorized(error_of(bearer(make_token(claims)))));
}

TEST(Authenticator, TokenExpiringAtNowIsUnauthorized) {
  TokenClaims claims;
  claims.expires_at = kNow;
  EXPECT_TRUE(IsUnauthorized(error_of(bearer(make_token(claims)))));
}

TEST(Authenticator, TokenExpiringInTheFutureIsAccepted) {
  TokenClaims claims;
  claims.expires_at = kNow + 1s;
  EXPECT_TRUE(IsAuthorized(error_of(bearer(make_token(claims)))));
}

TEST(Authenticator, ExpiryIsJudgedAgainstTheNowPassedIn) {
  TokenClaims claims;
  claims.expires_at = kNow + 1h;
  const auto token = bearer(make_token(claims));
  EXPECT_TRUE(IsAuthorized(error_of(token, kNow + 59min)));
  EXPECT_TRUE(IsUnauthorized(error_of(token, kNow + 61min)));
}

TEST(Authenticator, NotBeforeInTheFutureIsUnauthorized) {
  TokenClaims claims;
  claims.not_before = kNow + 5min;
  EXPECT_TRUE(IsUnauthorized(error_of(bearer(make_token(claims)))));
}

TEST(Authenticator, NotBeforeInThePastIsAccepted) {
  TokenClaims claims;
  claims.not_before = kNow - 5min;
  claims.expires_at = kNow + 55min;
  EXPECT_TRUE(IsAuthorized(error_of(bearer(make_token(claims)))));
}

TEST(Authenticator, WrongAudienceIsUnauthorized) {
  for (const char* audience : {"https://management.azure.com", "https://graph.windows.net", "api://my-app",
                               "https://graph.microsoft.com.evil.example", ""}) {
    SCOPED_TRACE(audience);
    TokenClaims claims;
    claims.audience = audience;
    EXPECT_TRUE(IsUnauthorized(error_of(bearer(make_token(claims)))));
  }
}

TEST(Authenticator, GraphAudienceSpellingsAreAccepted) {
  for (const char* audience : {"https://graph.microsoft.com", "https://graph.microsoft.com/",
                               "00000003-0000-0000-c000-000000000000"}) {
    SCOPED_TRACE(audience);
    TokenClaims claims;
    claims.audience = audience;
    EXPECT_TRUE(IsAuthorized(error_of(bearer(make_token(claims)))));
  }
}

TEST(Authenticator, NonStringAudienceIsUnauthorized) {
  EXPECT_TRUE(IsUnauthorized(error_of(bearer(jwt(R"({"aud":["https://graph.microsoft.com"],"roles":["PartnerBilling.Read.All"]})")))));
}

TEST(Authenticator, NonNumericExpiryIsUnauthorized) {
  EXPECT_TRUE(IsUnauthorized(error_of(bearer(jwt(R"({"aud":"https://graph.microsoft.com","exp":"tomorrow","roles":["PartnerBilling.Read.All"]})")))));
}

TEST(Authenticator, ExpiryFarBeyondTheInt64SecondsRangeIsNotExpired) {
  // RFC 7519 NumericDate is any JSON number; these are all far in the future.
  for (const char* exp : {"1e19", "18446744073709551615", "9.3e18"}) {
    SCOPED_TRACE(exp);
    const auto payload = std::string(R"({"aud":"https://graph.microsoft.com","roles":["PartnerBilling.Read.All"],"exp":)") +
                         exp + "}";
    EXPECT_TRUE(IsAuthorized(error_of(bearer(jwt(payload)))));
  }
}

TEST(Authenticator, HandWrittenJwtWithPermissionIsAccepted) {
  EXPECT_TRUE(IsAuthorized(error_of(bearer(jwt(R"({"aud":"https://graph.microsoft.com","roles":["PartnerBilling.Read.All"]})")))));
}

struct Malformed {
  const char* name;
  std::string token;
};

void PrintTo(const Malformed& c, std::ostream* os) { *os << c.name; }

class MalformedJwt : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedJwt, IsUnauthorized) { EXPECT_TRUE(IsUnauthorized(error_of(bearer(GetParam().token)))); }

const std::string kGoodHeader = core::base64url_encode(R"({"alg":"none","typ":"JWT"})");
const std::string kGoodPayload = core::base64url_encode(R"({"aud":"https://graph.microsoft.com","roles":["PartnerBilling.Read.All"]})");

INSTANTIATE_TEST_SUITE_P(
    Authenticator, MalformedJwt,
    ::testing::Values(Malformed{"PayloadNotBase64", kGoodHeader + ".!!!not*base64!!!."},
                      Malformed{"HeaderNotBase64", "%%%." + kGoodPayload + "."},
                      Malformed{"PayloadImpossibleBase64Length", kGoodHeader + ".A."},
                      Malformed{"PayloadNotJson", kGoodHeader + "." + core::base64url_encode("not json at all") + "."},
                      Malformed{"PayloadJsonArray", kGoodHeader + "." + core::base64url_encode(R"(["PartnerBilling.Read.All"])") + "."},
                      Malformed{"PayloadJsonString", kGoodHeader + "." + core::base64url_encode(R"("x")") + "."},
                      Malformed{"HeaderNotJson", core::base64url_encode("nope") + "." + kGoodPayload + "."},
                      Malformed{"EmptyPayload", kGoodHeader + ".."},
                      Malformed{"OneDot", kGoodHeader + "." + kGoodPayload},
                      Malformed{"FourSegments", kGoodHeader + "." + kGoodPayload + ".sig.extra"},
                      Malformed{"JustDots", ".."}),
    [](const ::testing::TestParamInfo<Malformed>& info) { return std::string(info.param.name); });

TEST(Authenticator, ForbiddenIsNotReportedForAMalformedToken) {
  // A broken token must be a 401 even when its claims would lack the permission.
  const auto error = error_of(bearer(kGoodHeader + "." + core::base64url_encode("{") + "."));
  EXPECT_TRUE(IsUnauthorized(error));
}

}  // namespace
}  // namespace graphfake::domain
