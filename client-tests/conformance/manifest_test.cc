// The manifest (Graph docs, Get manifest and manifest resource type; see
// docs/sources.md), for each export kind.
#include "conformance/suite.h"

namespace graphfake::conformance {
namespace {

class Manifest : public ExportKindTest {};
// The layouts observed in real manifests are the usage exports' only; a
// reconciliation export's (Q10) is an open question, answered in OpenQuestions.
class ManifestLayout : public ExportAttributeSetTest {};

TEST_P(Manifest, HasEveryPropertyWithItsTypeAndBlobCountMatchingBlobs) {
  const auto& run = full_export();
  ASSERT_FALSE(run.manifest.is_null()) << "no manifest: " << joined(run.violations);
  EXPECT_CONFORMS(check_manifest(run.manifest));
}

TEST_P(Manifest, InlineAndLinkedManifestsAgree) {
  const auto& run = full_export();
  for (const auto& violation : run.violations) {
    EXPECT_EQ(violation.find("manifest"), std::string::npos) << violation;
  }
}

TEST_P(Manifest, NavigationLinkIsOnTheRequestOrigin) {
  const auto& run = full_export();
  if (!run.operation.contains(kNavigationLink)) GTEST_SKIP() << "this server serves the manifest inline only";
  const std::string link = run.operation[kNavigationLink];
  const std::string manifests = target().base_url + "/" + target().version + "/reports/partners/billing/manifests/";
  EXPECT_EQ(link.rfind(manifests, 0), 0u) << link << " is not under " << manifests;
}

TEST_P(ManifestLayout, RootDirectory_FollowsTheObservedLayoutOfItsKind) {
  const auto& run = shared_run();
  ASSERT_FALSE(run.manifest.is_null()) << "no manifest: " << joined(run.violations);
  EXPECT_CONFORMS(check_usage_layout(run.manifest, run.request));
}

INSTANTIATE_TEST_SUITE_P(, Manifest, ::testing::ValuesIn(kExportKinds), ReadableTestName());
INSTANTIATE_TEST_SUITE_P(, ManifestLayout, each_attribute_set_of(kUsageKinds), ReadableTestName());

TEST(ManifestLookup, UnknownManifest_Returns404WithGraphEnvelope) {
  Session session(target());
  auto result =
      session.get("/" + target().version + "/reports/partners/billing/manifests/00000000-0000-4000-8000-000000000000");
  ASSERT_TRUE(result);
  EXPECT_CONFORMS(check_error(*result, 404));
}

}  // namespace
}  // namespace graphfake::conformance
