// The manifest (§3.6, §4.1–§4.7).
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

TEST(Manifest, HasEveryPropertyWithItsTypeAndBlobCountMatchingBlobs) {
  const auto& run = shared_export("full");
  ASSERT_FALSE(run.manifest.is_null()) << "no manifest: " << joined(run.violations);
  EXPECT_CONFORMS(check_manifest(run.manifest));
}

TEST(Manifest, InlineAndLinkedManifestsAgree) {
  const auto& run = shared_export("full");
  for (const auto& violation : run.violations) {
    EXPECT_EQ(violation.find("manifest"), std::string::npos) << violation;
  }
}

TEST(Manifest, NavigationLinkIsOnTheRequestOrigin) {
  const auto& run = shared_export("full");
  if (!run.operation.contains(kNavigationLink)) GTEST_SKIP() << "this server serves the manifest inline only";
  const std::string link = run.operation[kNavigationLink];
  const std::string manifests = target().base_url + "/" + target().version + "/reports/partners/billing/manifests/";
  EXPECT_EQ(link.rfind(manifests, 0), 0u) << link << " is not under " << manifests;
}

TEST(Manifest, UnknownManifest_Returns404WithGraphEnvelope) {
  Session session(target());
  auto result =
      session.get("/" + target().version + "/reports/partners/billing/manifests/00000000-0000-4000-8000-000000000000");
  ASSERT_TRUE(result);
  EXPECT_CONFORMS(check_error(*result, 404));
}

}  // namespace
}  // namespace graphfake::conformance
