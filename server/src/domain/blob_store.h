#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/ids.h"
#include "data/gzip_stream.h"
#include "data/line_source.h"
#include "domain/indexing_workers.h"
#include "domain/tombstones.h"
#include "graphfake/clock.h"
#include "model/operation.h"

namespace graphfake::domain {

// One blob of a manifest: the rows it holds. Nothing is kept per blob: its
// rows and its name follow from the manifest and its index.
struct BlobEntry {
  std::size_t index = 0;  // in the manifest's order
  std::uint64_t first_row = 0;
  std::uint64_t row_count = 0;
};

// A directory-scoped, read+list SAS shaped like the user-delegation SAS the
// real service issues. Fields are kept decoded, in issue order.
struct SasGrant {
  std::vector<std::pair<std::string, std::string>> fields;
  TimePoint expires_at{};

  // The query string the manifest shows as sasToken (no leading '?').
  std::string query() const;
};

// What a SAS grants beyond its directory. The real service issues "rl" from
// the moment it signs, with no st; other terms let a test have the fake sign
// a SAS that Azure would refuse (no read permission, not yet valid), to see
// how a client takes that refusal.
struct SasTerms {
  std::string permissions{"rl"};  // sp
  // When set, the SAS carries st: the signing time plus this (negative: earlier).
  std::optional<std::chrono::seconds> start_offset{};
};

// The directory a directory SAS of depth `sdd` signs for a blob at `path`
// ("/{account}/{container}/{directory}/.../{blob}"): the container and the
// sdd levels below it, which must leave at least the blob's name below them.
// None for an sdd that is no depth or is deeper than that.
std::optional<std::string_view> signed_directory_of(std::string_view path, std::string_view sdd);

struct Manifest {
  std::string id;
  std::string operation_id;  // the export that published it
  TimePoint created_at{};
  std::string schema_version;
  std::string data_format;
  std::string partition_type;
  bool lists_blob_sizes = false;  // each blob also shows sizeInBytes and itemCount
  std::string etag;
  std::string partner_tenant_id;
  // Absolute path on the fake itself ("/{account}/{container}/v1/..."); the
  // rendered rootDirectory prefixes the origin the client used.
  std::string root_path;
  std::string sas_object_id;       // skoid: the principal the SAS is delegated from
  std::size_t sas_directory_depth;  // sdd
  std::chrono::seconds sas_valid_for{3600};
  // The rows, in blob_count blobs of rows_per_blob each (the last holds the
  // rest) or, with rows_per_blob 0, spread evenly (the first blobs one more).
  std::uint64_t row_count = 0;
  std::uint64_t rows_per_blob = 0;
  std::size_t blob_count = 1;
  // The GUID in every blob's name: as Spark names the files of one write,
  // part-00005-<guid>.c000.json.gz, part-00006-<guid>.c000.json.gz, ...
  std::string blob_run_id;
  // The number in the first blob's name. Real manifests' names do not start
  // at 0 (part-00005, part-00103, part-00149): each Spark task numbers its
  // file, and the tasks that wrote nothing leave gaps.
  std::size_t first_blob_number = 0;
  std::shared_ptr<const data::LineSource> lines;
  std::vector<faults::Fault> blob_faults;
  std::int64_t blob_count_delta = 0;  // what blobCount claims beyond blobs.length
  std::optional<faults::Latency> read_delay;  // held on each read of the manifest resource
  bool unknown_properties = false;  // the manifest and its blobs show properties no client knows (model::Evolution)
  SasTerms sas_terms{};             // what each SAS issued for it grants

  BlobEntry blob(std::size_t index) const;  // index < blob_count
  std::string blob_name(std::size_t index) const;
  // The index of the blob `name` names, when it is one of this manifest's.
  std::optional<std::size_t> blob_index(std::string_view name) const;
};

// A manifest as served, with the SAS issued for this response.
struct ManifestRead {
  std::shared_ptr<const Manifest> manifest;
  SasGrant sas;
  // Each blob's gzip length, in blob order, when the manifest lists sizes.
  std::vector<std::uint64_t> blob_sizes{};
};

// What publish() needs to know; the store chooses ids and names.
struct ManifestSpec {
  std::string operation_id;
  std::string schema_version;
  std::string data_format;
  std::string partition_type;
  bool lists_blob_sizes = false;
  std::string container;
  std::string directory;  // below the container, no leading or trailing '/'
  std::string partner_tenant_id;
  std::uint64_t row_count = 0;
  std::uint64_t rows_per_blob = 0;           // 0 = everything in one blob
  std::optional<std::uint64_t> blob_count;   // instead: this many blobs, rows spread evenly
  std::chrono::seconds sas_valid_for{3600};
  std::shared_ptr<const data::LineSource> lines;
  std::vector<faults::Fault> blob_faults;
  std::int64_t blob_count_delta = 0;
  std::optional<faults::Latency> read_delay;
  bool unknown_properties = false;
  SasTerms sas_terms{};
};

// Azure Storage's answer to a blob request that cannot be served.
struct StorageError {
  int status;
  std::string code;     // x-ms-error-code
  std::string message;
  std::string detail;   // AuthenticationErrorDetail, when there is one
  std::optional<std::chrono::seconds> retry_after{};
};

struct BlobHandle {
  std::shared_ptr<const Manifest> manifest;
  BlobEntry blob;
  // Its gzip index (its size, and where a range starts), built or being
  // built by one pass shared with every other request for the blob.
  std::shared_ptr<data::GzipIndexing> indexing;
  std::stop_token stop;  // the store's: waiting for the index ends once it is requested
  std::string etag;  // quoted, as on the wire
  // A scripted fault that breaks the bytes served (gzip, reset, length).
  std::optional<faults::Fault> fault;

  // The complete index, waiting for (and helping with) the pass that builds
  // it. Throws core::Stopped once the store stops.
  std::shared_ptr<const data::GzipIndex> index() const { return indexing->wait(stop); }
  // Whether the index is complete, or so nearly that waiting for it takes
  // well under a second: fewer than kRowsWorthWaitingFor rows are left.
  bool index_within_reach() const { return indexing->rows_left() < kRowsWorthWaitingFor; }
  // About 0.3 s of both cores (0.6 s of one) at the full attribute set.
  static constexpr std::uint64_t kRowsWorthWaitingFor = 100'000;
};

// What a blob request gets, and how long a scenario holds it back.
struct BlobOpening {
  std::variant<BlobHandle, StorageError> outcome;
  std::optional<faults::Latency> delay;
};

// The storage account the manifests point at: manifests by id, blobs by
// path, and the SAS that guards them.
class BlobStore {
 public:
  static constexpr std::string_view kAccount = "devstoreaccount1";

  // `signing_key` stands in for the account key: SAS signatures are a keyed
  // hash of the directory and the SAS fields.
  // `chance` draws for blob faults scripted with a probability.
  // The ids of the latest `remembered_evictions` forgotten manifests are
  // kept, to tell them from ids never given out. Indexing a blob throws
  // core::Stopped once `stop` is requested.
  BlobStore(core::IdGenerator& ids, core::IdGenerator& chance, std::uint64_t signing_key,
            std::size_t remembered_evictions = 100'000, std::stop_token stop = {});

  std::shared_ptr<const Manifest> publish(ManifestSpec spec, TimePoint at);
  std::shared_ptr<const Manifest> find_manifest(std::string_view id) const;
  // Drops the manifest, its blobs and their cached indexes: its blobs are
  // then missing (404 BlobNotFound). Requests already serving them finish.
  void forget(std::string_view manifest_id);
  // Whether `id` is that of a manifest forget() dropped.
  bool forgotten(std::string_view manifest_id) const;

  // A SAS for the manifest's directory, valid from `now` for the manifest's
  // sas_valid_for (an hour unless a scenario says otherwise). The
  // real service mints a new one each time it serves a manifest, so a
  // client that comes back later gets a working token.
  SasGrant grant_sas(const Manifest& manifest, TimePoint now, const SasTerms& terms = {}) const;

  // Each blob's length as served, in blob order. The first call for a
  // manifest indexes every blob not yet indexed (one generation pass each,
  // several at once); later ones are answered from the cache.
  std::vector<std::uint64_t> blob_sizes(const Manifest& manifest) const;

  // `path` is the request path ("/devstoreaccount1/..."), `query` its
  // decoded parameters. The SAS is checked before the blob is looked up, as
  // Azure does: any SAS the fake signed for a directory holding the blob
  // (sdd levels below the container), within its st..se and granting read,
  // opens it.
  // The blob's index need not be complete: see BlobHandle::index().
  BlobOpening open(std::string_view path, const std::multimap<std::string, std::string>& query, TimePoint now);

  // Indexes nothing more ahead of requests (a reset: the service is being
  // replaced); requests already made are still served.
  void stop_indexing_ahead() { workers_.stop_ahead(); }

 private:
  std::string sign(std::string_view directory, const std::vector<std::pair<std::string, std::string>>& fields) const;
  std::optional<StorageError> check_sas(std::string_view path, const std::multimap<std::string, std::string>& query,
                                        TimePoint now) const;
  // The pass that builds (or built) the blob's gzip index: one per blob,
  // shared by everyone asking until it completes, and cached after. Only a
  // blob still published is cached; a pass that failed is started again.
  std::shared_ptr<data::GzipIndexing> index_of(const Manifest& manifest, const BlobEntry& blob) const;
  // Queues the manifest's large blobs for indexing before any request.
  void index_ahead(const Manifest& manifest);

  core::IdGenerator& ids_;
  core::IdGenerator& chance_;
  std::stop_token stop_;
  std::uint64_t signing_key_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Manifest>, std::less<>> manifests_;
  // Each manifest by the GUID its blobs' names carry; a key views the
  // manifest's own blob_run_id, which the entry keeps alive.
  std::map<std::string_view, std::shared_ptr<const Manifest>, std::less<>> manifests_by_blob_run_;
  // A cache: a blob's bytes never change, only whether they were indexed.
  // Kept while the manifest is: 48 bytes per data::kGzipSegmentRows rows
  // plus a few hundred per blob (~470 KiB for 10 million rows).
  // Keyed by the blob's run id (as manifests_by_blob_run_, whose entry
  // outlives this one) and index.
  using BlobKey = std::pair<std::string_view, std::size_t>;
  mutable std::map<BlobKey, std::shared_ptr<data::GzipIndexing>> indexes_;
  Tombstones forgotten_;
  // Declared last: its threads stop, and are joined, before the rest goes.
  mutable IndexingWorkers workers_;
};

}  // namespace graphfake::domain
