#include "domain/blob_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/stopped.h"
#include "graphfake/clock.h"
#include "unit_test_values.h"

namespace graphfake::domain {
namespace {

using unit_test::t0;

using namespace std::chrono_literals;

// Row i is the line "i\n": enough to tell blobs apart without the generator.
class CountingLines final : public data::LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override { out += std::to_string(index) + "\n"; }
};

// CountingLines that also count the rows generated, from any thread.
class TalliedLines final : public data::LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override {
    ++generated_;
    out += std::to_string(index) + "\n";
  }
  std::uint64_t generated() const { return generated_; }

 private:
  mutable std::atomic<std::uint64_t> generated_ = 0;
};

class BlobStoreTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Manifest> publish(std::uint64_t rows, std::uint64_t per_blob,
                                         std::string directory = "v1/PartnerTenantId=t/Fragment=full",
                                         std::shared_ptr<const data::LineSource> lines = std::make_shared<CountingLines>()) {
    ManifestSpec spec;
    spec.container = "container";
    spec.directory = std::move(directory);
    spec.partner_tenant_id = "t";
    spec.row_count = rows;
    spec.rows_per_blob = per_blob;
    spec.lines = std::move(lines);
    return store_.publish(std::move(spec), t0);
  }

  std::multimap<std::string, std::string> sas_query(const Manifest& manifest, TimePoint at = t0,
                                                    const SasTerms& terms = {}) const {
    std::multimap<std::string, std::string> query;
    for (const auto& [name, value] : store_.grant_sas(manifest, at, terms).fields) query.emplace(name, value);
    return query;
  }

  static std::string blob_path(const Manifest& manifest, std::size_t index) {
    return manifest.root_path + "/" + manifest.blob_name(index);
  }

  std::pair<std::string, std::string> first_blob_etags_beside_twin(std::shared_ptr<const data::LineSource> twin_lines);

  core::IdGenerator ids_{1};
  core::IdGenerator chance_{2};
  BlobStore store_{ids_, chance_, 42};
};

TEST_F(BlobStoreTest, RowsAreSplitIntoBlobsOfAtMostRowsPerBlob) {
  const auto manifest = publish(250, 100);
  ASSERT_EQ(manifest->blob_count, 3u);
  EXPECT_EQ(manifest->blob(0).first_row, 0u);
  EXPECT_EQ(manifest->blob(0).row_count, 100u);
  EXPECT_EQ(manifest->blob(2).first_row, 200u);
  EXPECT_EQ(manifest->blob(2).row_count, 50u);
}

TEST_F(BlobStoreTest, AnExactMultipleLeavesNoEmptyBlob) {
  EXPECT_EQ(publish(200, 100)->blob_count, 2u);
}

TEST_F(BlobStoreTest, ZeroRowsPerBlobMeansOneBlob) {
  const auto manifest = publish(250, 0);
  ASSERT_EQ(manifest->blob_count, 1u);
  EXPECT_EQ(manifest->blob(0).row_count, 250u);
}

TEST_F(BlobStoreTest, AnEmptyExportStillHasOneEmptyBlob) {
  const auto manifest = publish(0, 100);
  ASSERT_EQ(manifest->blob_count, 1u);
  EXPECT_EQ(manifest->blob(0).row_count, 0u);
}

TEST_F(BlobStoreTest, BlobNamesAreNumberedInOrderFromTheFirstNumber) {
  const auto manifest = publish(300, 100);
  for (std::size_t i = 0; i < manifest->blob_count; ++i) {
    EXPECT_EQ(manifest->blob_name(i).substr(0, 11), fmt::format("part-{:05}-", manifest->first_blob_number + i))
        << manifest->blob_name(i);
  }
}

TEST_F(BlobStoreTest, BlobNamesOfOneManifestShareOneGuidAsSparkWritesThem) {
  const auto manifest = publish(300, 100);
  const auto first = manifest->first_blob_number;
  EXPECT_EQ(manifest->blob_name(0), fmt::format("part-{:05}-{}.c000.json.gz", first, manifest->blob_run_id));
  EXPECT_EQ(manifest->blob_name(2), fmt::format("part-{:05}-{}.c000.json.gz", first + 2, manifest->blob_run_id));
}

TEST_F(BlobStoreTest, FirstBlobNumbersAreFrom5To199AsRealManifestsShow) {
  std::set<std::size_t> numbers;
  for (int i = 0; i < 40; ++i) {
    const auto first = publish(1, 1)->first_blob_number;
    EXPECT_GE(first, 5u);
    EXPECT_LE(first, 199u);
    numbers.insert(first);
  }
  EXPECT_GT(numbers.size(), 1u);  // drawn per manifest, not one constant
}

TEST_F(BlobStoreTest, FirstBlobNumbersFollowTheSeed) {
  core::IdGenerator same_ids{1};
  core::IdGenerator same_chance{2};
  BlobStore same{same_ids, same_chance, 42};
  ManifestSpec spec;
  spec.container = "container";
  spec.directory = "v1";
  spec.lines = std::make_shared<CountingLines>();
  for (int i = 0; i < 5; ++i) {
    const auto mine = publish(1, 1);
    EXPECT_EQ(same.publish(spec, t0)->first_blob_number, mine->first_blob_number);
  }
}

TEST_F(BlobStoreTest, EveryBlobNameLeadsBackToItsIndex) {
  const auto manifest = publish(300, 100);
  for (std::size_t i = 0; i < manifest->blob_count; ++i) EXPECT_EQ(manifest->blob_index(manifest->blob_name(i)), i);
}

TEST_F(BlobStoreTest, NumbersPast99999TakeSixDigitsAndLeadBackToTheirIndex) {
  const auto manifest = publish(100'000, 1);  // nothing is kept per blob: cheap
  const auto last = manifest->blob_count - 1;
  EXPECT_EQ(manifest->blob_name(last).find(fmt::format("part-{}-", manifest->first_blob_number + last)), 0u);
  EXPECT_EQ(manifest->blob_index(manifest->blob_name(last)), last);
}

TEST_F(BlobStoreTest, ANameOfANumberOutsideTheManifestsIsNoBlobOfTheManifest) {
  const auto manifest = publish(300, 100);
  const auto first = manifest->first_blob_number;
  const auto named = [&](std::string_view number, std::string_view suffix = ".c000.json.gz") {
    return manifest->blob_index(fmt::format("part-{}-{}{}", number, manifest->blob_run_id, suffix));
  };
  EXPECT_EQ(named(fmt::format("{:05}", first + 3)), std::nullopt);
  EXPECT_EQ(named(fmt::format("{:05}", first - 1)), std::nullopt);
  EXPECT_EQ(named(fmt::format("{:04}", first + 1)), std::nullopt);
  EXPECT_EQ(named(fmt::format("{:05}", first + 1), ".c000.json"), std::nullopt);
  EXPECT_EQ(named(fmt::format("{:05}", first + 1)), 1u);
}

TEST_F(BlobStoreTest, RowsSpreadOverAGivenBlobCountGoOneMoreToTheFirstBlobs) {
  ManifestSpec spec;
  spec.container = "c";
  spec.directory = "d";
  spec.row_count = 10;
  spec.blob_count = 3;
  spec.lines = std::make_shared<CountingLines>();
  const auto manifest = store_.publish(std::move(spec), t0);
  ASSERT_EQ(manifest->blob_count, 3u);
  EXPECT_EQ(manifest->blob(0).row_count, 4u);
  EXPECT_EQ(manifest->blob(1).first_row, 4u);
  EXPECT_EQ(manifest->blob(1).row_count, 3u);
  EXPECT_EQ(manifest->blob(2).first_row, 7u);
  EXPECT_EQ(manifest->blob(2).row_count, 3u);
}

TEST_F(BlobStoreTest, RootPathIsAccountContainerDirectory) {
  EXPECT_EQ(publish(1, 1)->root_path, "/devstoreaccount1/container/v1/PartnerTenantId=t/Fragment=full");
}

TEST_F(BlobStoreTest, SasIsADirectorySasWhoseDepthCountsTheDirectorySegments) {
  const auto manifest = publish(1, 1);
  const auto fields = store_.grant_sas(*manifest, t0).fields;
  auto value = [&](const std::string& name) {
    for (const auto& [key, v] : fields) {
      if (key == name) return v;
    }
    return std::string("<absent>");
  };
  EXPECT_EQ(value("sr"), "d");
  EXPECT_EQ(value("sp"), "rl");
  EXPECT_EQ(value("sdd"), "3");
  EXPECT_EQ(value("se"), "2025-01-01T01:00:00Z");
  EXPECT_EQ(value("ske"), "2025-01-02T00:00:00Z");
}

TEST_F(BlobStoreTest, SasQueryIsPercentEncodedWithoutLeadingQuestionMark) {
  const auto query = store_.grant_sas(*publish(1, 1), t0).query();
  EXPECT_NE(query.front(), '?');
  EXPECT_NE(query.find("se=2025-01-01T01%3A00%3A00Z"), std::string::npos) << query;
  EXPECT_EQ(query.find(':'), std::string::npos) << query;
}

TEST_F(BlobStoreTest, ManifestsAreFoundByIdCaseInsensitively) {
  const auto manifest = publish(1, 1);
  std::string upper = manifest->id;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(store_.find_manifest(upper), manifest);
  EXPECT_EQ(store_.find_manifest("00000000-0000-4000-8000-000000000000"), nullptr);
}

TEST_F(BlobStoreTest, OpenWithTheIssuedSasReturnsTheBlobAndItsGzipSize) {
  const auto manifest = publish(10, 4);
  const auto opened = store_.open(blob_path(*manifest, 1), sas_query(*manifest), t0).outcome;
  ASSERT_TRUE(std::holds_alternative<BlobHandle>(opened));
  const auto& blob = std::get<BlobHandle>(opened);
  EXPECT_EQ(blob.blob.first_row, 4u);
  ASSERT_NE(blob.indexing, nullptr);
  EXPECT_EQ(blob.index()->size, data::build_gzip_index(CountingLines(), 4, 4).size);
  EXPECT_EQ(blob.etag.front(), '"');
}

TEST_F(BlobStoreTest, ASecondOpenOfABlobReusesItsIndexWithoutGeneratingRows) {
  const auto lines = std::make_shared<TalliedLines>();
  const auto manifest = publish(5000, 0, "v1/PartnerTenantId=t/Fragment=full", lines);
  const auto first = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  const auto first_index = first.index();
  EXPECT_EQ(lines->generated(), 5000u);
  const auto second = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  EXPECT_EQ(second.index(), first_index);
  EXPECT_EQ(lines->generated(), 5000u);
  EXPECT_EQ(first.etag, second.etag);
}

TEST_F(BlobStoreTest, ConcurrentFirstOpensOfABlobIndexItOnce) {
  const auto lines = std::make_shared<TalliedLines>();
  const auto manifest = publish(20000, 0, "v1/PartnerTenantId=t/Fragment=full", lines);
  const auto query = sas_query(*manifest);
  std::vector<std::shared_ptr<const data::GzipIndex>> seen(4);
  std::vector<std::thread> openers;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    openers.emplace_back([&, i] {
      seen[i] = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), query, t0).outcome).index();
    });
  }
  for (auto& opener : openers) opener.join();
  EXPECT_EQ(lines->generated(), 20000u);
  for (const auto& index : seen) EXPECT_EQ(index, seen[0]);
}

TEST_F(BlobStoreTest, BlobSizesAreTheIndexedGzipSizesInBlobOrder) {
  const auto manifest = publish(10, 4);
  const auto sizes = store_.blob_sizes(*manifest);
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], data::build_gzip_index(CountingLines(), 0, 4).size);
  EXPECT_EQ(sizes[2], data::build_gzip_index(CountingLines(), 8, 2).size);
  const auto opened = std::get<BlobHandle>(store_.open(blob_path(*manifest, 2), sas_query(*manifest), t0).outcome);
  EXPECT_EQ(opened.index()->size, sizes[2]);
}

TEST_F(BlobStoreTest, EtagsDifferBetweenBlobsWithDifferentBytes) {
  const auto manifest = publish(10, 4);
  const auto first = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  const auto second = std::get<BlobHandle>(store_.open(blob_path(*manifest, 2), sas_query(*manifest), t0).outcome);
  EXPECT_NE(first.etag, second.etag);
}

TEST_F(BlobStoreTest, OpenOfAnUnknownBlobWithAValidSasIsBlobNotFound) {
  const auto manifest = publish(1, 1);
  const auto opened = store_.open(manifest->root_path + "/part-99999.json.gz", sas_query(*manifest), t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).status, 404);
  EXPECT_EQ(std::get<StorageError>(opened).code, "BlobNotFound");
}

TEST_F(BlobStoreTest, OpenOfAnUnknownBlobWithoutSasIsAuthenticationFailedFirst) {
  const auto manifest = publish(1, 1);
  const auto opened = store_.open(manifest->root_path + "/part-99999.json.gz", {}, t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).status, 403);
}

TEST_F(BlobStoreTest, OpenWithoutSignatureIsAuthenticationFailed) {
  const auto manifest = publish(1, 1);
  const auto opened = store_.open(blob_path(*manifest, 0), {}, t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).status, 403);
  EXPECT_EQ(std::get<StorageError>(opened).code, "AuthenticationFailed");
}

TEST_F(BlobStoreTest, OpenWithAChangedFieldIsAuthenticationFailed) {
  const auto manifest = publish(1, 1);
  auto query = sas_query(*manifest);
  query.find("sp")->second = "rwl";
  const auto opened = store_.open(blob_path(*manifest, 0), query, t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_NE(std::get<StorageError>(opened).detail.find("Signature did not match"), std::string::npos);
}

TEST_F(BlobStoreTest, OpenWithAnExtendedExpiryIsAuthenticationFailed) {
  const auto manifest = publish(1, 1);
  auto query = sas_query(*manifest);
  query.find("se")->second = "2099-01-01T00:00:00Z";
  EXPECT_TRUE(std::holds_alternative<StorageError>(store_.open(blob_path(*manifest, 0), query, t0).outcome));
}

TEST_F(BlobStoreTest, OpenWithAFieldGivenTwiceIsAuthenticationFailed) {
  const auto manifest = publish(1, 1);
  auto query = sas_query(*manifest);
  query.emplace("sig", query.find("sig")->second);
  const auto opened = store_.open(blob_path(*manifest, 0), query, t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_NE(std::get<StorageError>(opened).detail.find("'sig' must appear exactly once"), std::string::npos);
}

TEST_F(BlobStoreTest, OpenIsAllowedUntilTheInstantOfExpiry) {
  const auto manifest = publish(1, 1);
  EXPECT_TRUE(std::holds_alternative<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0 + 1h - 1ms).outcome));
  const auto expired = store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0 + 1h).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(expired));
  EXPECT_NE(std::get<StorageError>(expired).detail.find("Signed expiry time"), std::string::npos);
}

TEST_F(BlobStoreTest, ASasTheFakeSignedWithoutReadIsAuthorizationPermissionMismatch) {
  const auto manifest = publish(1, 1);
  const auto opened = store_.open(blob_path(*manifest, 0), sas_query(*manifest, t0, {.permissions = "l"}), t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  const auto& error = std::get<StorageError>(opened);
  EXPECT_EQ(error.status, 403);
  EXPECT_EQ(error.code, "AuthorizationPermissionMismatch");
  EXPECT_EQ(error.message, "This request is not authorized to perform this operation using this permission.");
}

TEST_F(BlobStoreTest, ASasWithReadAmongOtherPermissionsOpensTheBlob) {
  const auto manifest = publish(1, 1);
  const auto query = sas_query(*manifest, t0, {.permissions = "racwdl"});
  EXPECT_TRUE(std::holds_alternative<BlobHandle>(store_.open(blob_path(*manifest, 0), query, t0).outcome));
}

TEST_F(BlobStoreTest, ASasWhoseStartIsStillToComeIsRefusedWithItsTimeFrame) {
  const auto manifest = publish(1, 1);
  const auto query = sas_query(*manifest, t0, {.start_offset = 10min});
  const auto opened = store_.open(blob_path(*manifest, 0), query, t0 + 9min).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  const auto& error = std::get<StorageError>(opened);
  EXPECT_EQ(error.status, 403);
  EXPECT_EQ(error.code, "AuthenticationFailed");
  EXPECT_EQ(error.detail,
            "Signature not valid in the specified time frame: Start [Wed, 01 Jan 2025 00:10:00 GMT] - Expiry [Wed, "
            "01 Jan 2025 01:00:00 GMT] - Current [Wed, 01 Jan 2025 00:09:00 GMT]");
}

TEST_F(BlobStoreTest, ASasOpensFromItsStart) {
  const auto manifest = publish(1, 1);
  const auto query = sas_query(*manifest, t0, {.start_offset = 10min});
  EXPECT_TRUE(std::holds_alternative<BlobHandle>(store_.open(blob_path(*manifest, 0), query, t0 + 10min).outcome));
}

TEST_F(BlobStoreTest, AnExpiredSasWithAStartIsRefusedWithItsTimeFrame) {
  const auto manifest = publish(1, 1);
  const auto query = sas_query(*manifest, t0, {.start_offset = -5min});
  const auto opened = store_.open(blob_path(*manifest, 0), query, t0 + 2h).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).detail,
            "Signature not valid in the specified time frame: Start [Tue, 31 Dec 2024 23:55:00 GMT] - Expiry [Wed, "
            "01 Jan 2025 01:00:00 GMT] - Current [Wed, 01 Jan 2025 02:00:00 GMT]");
}

TEST_F(BlobStoreTest, AnExpiredSasWithoutAStartNamesNowAsTheStart) {
  const auto manifest = publish(1, 1);
  const auto opened = store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0 + 2h).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).code, "AuthenticationFailed");
  EXPECT_EQ(std::get<StorageError>(opened).detail,
            "Signed expiry time [Wed, 01 Jan 2025 01:00:00 GMT] must be after signed start time [Wed, 01 Jan 2025 "
            "02:00:00 GMT]");
}

TEST_F(BlobStoreTest, TheTimeFrameIsCheckedBeforeThePermission) {
  const auto manifest = publish(1, 1);
  const auto query = sas_query(*manifest, t0, {.permissions = "l"});
  const auto opened = store_.open(blob_path(*manifest, 0), query, t0 + 2h).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).code, "AuthenticationFailed");
}

TEST_F(BlobStoreTest, TheStartIsSignedBetweenSvAndSe) {
  const auto query = store_.grant_sas(*publish(1, 1), t0, {.start_offset = -5min}).query();
  EXPECT_NE(query.find("&sv=2021-08-06&st=2024-12-31T23%3A55%3A00Z&se="), std::string::npos) << query;
}

TEST_F(BlobStoreTest, ARemovedStartIsAChangedSignature) {
  const auto manifest = publish(1, 1);
  auto query = sas_query(*manifest, t0, {.start_offset = 10min});
  query.erase("st");
  const auto opened = store_.open(blob_path(*manifest, 0), query, t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_NE(std::get<StorageError>(opened).detail.find("Signature did not match"), std::string::npos);
}

TEST_F(BlobStoreTest, ADirectorySasCoversItsSubdirectoriesWhereNoBlobIs) {
  const auto manifest = publish(1, 1);
  const auto opened =
      store_.open(manifest->root_path + "/sub/" + manifest->blob_name(0), sas_query(*manifest), t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).code, "BlobNotFound");
}

TEST_F(BlobStoreTest, ASasWhoseDepthReachesPastThePathIsAChangedSignature) {
  const auto manifest = publish(1, 1);
  const auto opened = store_.open(manifest->root_path, sas_query(*manifest), t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).code, "AuthenticationFailed");
}

TEST_F(BlobStoreTest, ALaterGrantOpensTheBlobAfterAnEarlierOneExpired) {
  const auto manifest = publish(1, 1);
  const auto later = t0 + 5h;
  EXPECT_TRUE(std::holds_alternative<StorageError>(store_.open(blob_path(*manifest, 0), sas_query(*manifest, t0), later).outcome));
  EXPECT_TRUE(std::holds_alternative<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest, later), later).outcome));
}

TEST_F(BlobStoreTest, ASasForTheSameDirectoryOpensAnotherManifestsBlob) {
  const auto first = publish(1, 1);
  const auto second = publish(1, 1);
  EXPECT_TRUE(std::holds_alternative<BlobHandle>(store_.open(blob_path(*first, 0), sas_query(*second), t0).outcome));
}

TEST_F(BlobStoreTest, ASasForAnotherDirectoryDoesNotOpenTheBlob) {
  const auto first = publish(1, 1, "v1/PartnerTenantId=t/Fragment=full");
  const auto second = publish(1, 1, "v1/PartnerTenantId=t/Fragment=basic");
  EXPECT_TRUE(std::holds_alternative<StorageError>(store_.open(blob_path(*first, 0), sas_query(*second), t0).outcome));
}

TEST_F(BlobStoreTest, ASasFromAStoreWithAnotherKeyDoesNotOpenTheBlob) {
  core::IdGenerator other_ids{1};
  core::IdGenerator other_chance{2};
  BlobStore other{other_ids, other_chance, 43};
  const auto manifest = publish(1, 1);
  std::multimap<std::string, std::string> query;
  for (const auto& [name, value] : other.grant_sas(*manifest, t0).fields) query.emplace(name, value);
  EXPECT_TRUE(std::holds_alternative<StorageError>(store_.open(blob_path(*manifest, 0), query, t0).outcome));
}

TEST_F(BlobStoreTest, ABlobNameUnderAnotherManifestsDirectoryIsMissing) {
  const auto first = publish(10, 10, "v1/first");
  const auto second = publish(10, 10, "v1/second");
  const auto opened =
      store_.open(second->root_path + "/" + first->blob_name(0), sas_query(*second), t0).outcome;
  ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
  EXPECT_EQ(std::get<StorageError>(opened).code, "BlobNotFound");
}

// --- forgetting a manifest ----------------------------------------------------------

TEST_F(BlobStoreTest, Forget_TheManifestIsNoLongerFoundButRemembered) {
  const auto manifest = publish(10, 10);
  store_.forget(manifest->id);
  EXPECT_EQ(store_.find_manifest(manifest->id), nullptr);
  EXPECT_TRUE(store_.forgotten(manifest->id));
}

TEST_F(BlobStoreTest, Forget_AManifestNeverPublishedIsNotRemembered) {
  store_.forget("0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e");
  EXPECT_FALSE(store_.forgotten("0b5c0f3e-6c2a-4a8e-9d7e-1f2a3b4c5d6e"));
}

TEST_F(BlobStoreTest, Forget_ItsBlobsAreMissingAsAzureSaysIt) {
  const auto manifest = publish(20, 10);
  const auto query = sas_query(*manifest);
  store_.forget(manifest->id);
  for (std::size_t i = 0; i < manifest->blob_count; ++i) {
    const auto opened = store_.open(blob_path(*manifest, i), query, t0).outcome;
    ASSERT_TRUE(std::holds_alternative<StorageError>(opened));
    EXPECT_EQ(std::get<StorageError>(opened).status, 404);
    EXPECT_EQ(std::get<StorageError>(opened).code, "BlobNotFound");
  }
}

TEST_F(BlobStoreTest, Forget_ABlobAlreadyOpenedStillServesItsBytes) {
  const auto manifest = publish(20, 10);
  const auto opened = std::get<BlobHandle>(store_.open(blob_path(*manifest, 1), sas_query(*manifest), t0).outcome);
  store_.forget(manifest->id);
  EXPECT_EQ(opened.blob.first_row, 10u);
  EXPECT_GT(opened.index()->size, 0u);
  EXPECT_EQ(opened.manifest->id, manifest->id);
}

TEST_F(BlobStoreTest, Forget_OtherManifestsKeepTheirBlobs) {
  const auto forgotten = publish(10, 10, "v1/forgotten");
  const auto kept = publish(10, 10, "v1/kept");
  store_.forget(forgotten->id);
  EXPECT_TRUE(std::holds_alternative<BlobHandle>(store_.open(blob_path(*kept, 0), sas_query(*kept), t0).outcome));
}

TEST_F(BlobStoreTest, EtagOfABlobIsTheSameBeforeAndAfterItIsIndexed) {
  const auto manifest = publish(5000, 0);
  const auto first = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  const auto etag_before = first.etag;
  first.index();
  const auto second = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  ASSERT_NE(second.indexing->index(), nullptr);
  EXPECT_EQ(second.etag, etag_before);
}

// The ETags of the first blob of an export of ten rows, published in this
// store (CountingLines) and in a twin store of the same seed with `twin_lines`.
std::pair<std::string, std::string> BlobStoreTest::first_blob_etags_beside_twin(
    std::shared_ptr<const data::LineSource> twin_lines) {
  core::IdGenerator ids{1};
  core::IdGenerator chance{2};
  BlobStore twin{ids, chance, 42};
  ManifestSpec spec;
  spec.container = "container";
  spec.directory = "v1/PartnerTenantId=t/Fragment=full";
  spec.partner_tenant_id = "t";
  spec.row_count = 10;
  spec.lines = std::move(twin_lines);
  const auto twin_manifest = twin.publish(spec, t0);
  const auto manifest = publish(10, 0);
  EXPECT_EQ(manifest->blob_name(0), twin_manifest->blob_name(0));
  const auto mine = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  const auto theirs =
      std::get<BlobHandle>(twin.open(blob_path(*twin_manifest, 0), sas_query(*twin_manifest), t0).outcome);
  return {mine.etag, theirs.etag};
}

TEST_F(BlobStoreTest, EtagsOfTheSameBlobAgreeBetweenStoresOfTheSameSeed) {
  const auto [mine, theirs] = first_blob_etags_beside_twin(std::make_shared<CountingLines>());
  EXPECT_EQ(mine, theirs);
}

// Rows of other text than CountingLines', as another profile gives.
class RenamedLines final : public data::LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override { out += "row " + std::to_string(index) + "\n"; }
  std::uint64_t content_digest() const override { return 1; }
};

TEST_F(BlobStoreTest, EtagsOfTheSameBlobNameDifferBetweenStoresWhoseRowsDiffer) {
  const auto [mine, theirs] = first_blob_etags_beside_twin(std::make_shared<RenamedLines>());
  EXPECT_NE(mine, theirs);
}

TEST_F(BlobStoreTest, ConcurrentIndexingAheadAndOnRequest_MakesALargeBlobOnce) {
  const auto lines = std::make_shared<TalliedLines>();
  const std::uint64_t rows = BlobHandle::kRowsWorthWaitingFor * 3;
  const auto manifest = publish(rows, 0, "v1/PartnerTenantId=t/Fragment=full", lines);
  const auto opened = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  EXPECT_EQ(opened.index()->size, data::build_gzip_index(CountingLines(), 0, rows).size);
  EXPECT_EQ(lines->generated(), rows);
}

TEST_F(BlobStoreTest, ConcurrentFirstOpensOfALargeBlobShareOnePassWithTheWorkers) {
  const auto lines = std::make_shared<TalliedLines>();
  const std::uint64_t rows = BlobHandle::kRowsWorthWaitingFor * 2;
  const auto manifest = publish(rows, 0, "v1/PartnerTenantId=t/Fragment=full", lines);
  const auto query = sas_query(*manifest);
  std::vector<std::shared_ptr<const data::GzipIndex>> seen(3);
  {
    std::vector<std::jthread> openers;
    for (auto& index : seen) {
      openers.emplace_back([&] {
        index = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), query, t0).outcome).index();
      });
    }
  }
  EXPECT_EQ(lines->generated(), rows);
  for (const auto& index : seen) EXPECT_EQ(index, seen[0]);
}

// Rows that are not made until the gate opens, so that the pass an open()
// starts on the indexing threads cannot finish before a test stops the store.
class GatedLines final : public data::LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override {
    open_.wait(false);
    out += std::to_string(index) + "\n";
  }
  void open() const {
    open_ = true;
    open_.notify_all();
  }

 private:
  mutable std::atomic<bool> open_{false};
};

TEST_F(BlobStoreTest, ConcurrentIndexing_WaitingAfterTheStoreStopsThrowsStopped) {
  const auto lines = std::make_shared<GatedLines>();
  std::stop_source stopping;
  BlobStore stopped{ids_, chance_, 42, 100, stopping.get_token()};
  // Opens the gate before the store joins its threads, however the test ends.
  const std::shared_ptr<void> open_at_exit(nullptr, [&lines](void*) { lines->open(); });
  ManifestSpec spec;
  spec.container = "container";
  spec.directory = "v1/PartnerTenantId=t/Fragment=full";
  spec.partner_tenant_id = "t";
  spec.row_count = 20000;
  spec.lines = lines;
  const auto manifest = stopped.publish(spec, t0);
  std::multimap<std::string, std::string> query;
  for (const auto& [name, value] : stopped.grant_sas(*manifest, t0).fields) query.emplace(name, value);
  const auto opened = std::get<BlobHandle>(stopped.open(blob_path(*manifest, 0), query, t0).outcome);
  stopping.request_stop();
  EXPECT_THROW(opened.index(), core::Stopped);
}

TEST_F(BlobStoreTest, ConcurrentIndexingAhead_StopsUnfinishedWhenTheStoreIsDestroyed) {
  const auto lines = std::make_shared<TalliedLines>();
  {
    core::IdGenerator ids{1};
    core::IdGenerator chance{2};
    BlobStore doomed{ids, chance, 42};
    ManifestSpec spec;
    spec.container = "container";
    spec.directory = "v1/PartnerTenantId=t/Fragment=full";
    spec.partner_tenant_id = "t";
    spec.row_count = 200'000'000;  // minutes to index
    spec.lines = lines;
    doomed.publish(spec, t0);
  }
  EXPECT_LT(lines->generated(), 200'000'000u);
}

TEST_F(BlobStoreTest, ConcurrentIndexing_ABlobForgottenMeanwhileStillGetsItsIndex) {
  const auto lines = std::make_shared<TalliedLines>();
  const std::uint64_t rows = BlobHandle::kRowsWorthWaitingFor * 2;
  const auto manifest = publish(rows, 0, "v1/PartnerTenantId=t/Fragment=full", lines);
  const auto opened = std::get<BlobHandle>(store_.open(blob_path(*manifest, 0), sas_query(*manifest), t0).outcome);
  store_.forget(manifest->id);
  EXPECT_EQ(opened.index()->size, data::build_gzip_index(CountingLines(), 0, rows).size);
}

// An sdd so large that adding the account and container to it would wrap
// names no directory, rather than the path's first few characters.
TEST(SignedDirectory, AnSddDeeperThanThePathSignsNoDirectory) {
  const std::string path = "/devstoreaccount1/billed/a/b/part-00005.json.gz";
  EXPECT_EQ(signed_directory_of(path, "2"), std::optional<std::string_view>("/devstoreaccount1/billed/a/b"));
  EXPECT_EQ(signed_directory_of(path, "3"), std::nullopt) << "no blob name left below";
  EXPECT_EQ(signed_directory_of(path, std::to_string(std::numeric_limits<std::size_t>::max() - 1)), std::nullopt);
  EXPECT_EQ(signed_directory_of(path, std::to_string(std::numeric_limits<std::size_t>::max())), std::nullopt);
}

}  // namespace
}  // namespace graphfake::domain
