#include "domain/blob_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include "core/base64.h"
#include "core/strings.h"
#include "core/time_format.h"
#include "faults/apply.h"
#include "faults/pick.h"

namespace graphfake::domain {
namespace {

using namespace std::chrono_literals;

// The SAS fields, in the order the real service writes them; st (which it
// leaves out) where Azure's SDKs put it, before se.
constexpr std::string_view kSasFieldNames[] = {"skoid", "sktid", "skt", "ske", "sks", "skv", "sv",
                                               "st",    "se",    "sr",  "sp",  "sdd", "sig"};
constexpr std::string_view kOptionalSasField = "st";

std::string percent_encode(std::string_view value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::size_t depth_of(std::string_view directory) {
  return static_cast<std::size_t>(std::count(directory.begin(), directory.end(), '/')) + 1;
}

StorageError permission_mismatch() {
  return StorageError{403, "AuthorizationPermissionMismatch",
                      "This request is not authorized to perform this operation using this permission.", ""};
}

// The blobs an export's rows go into: an export with no rows still
// delivers one (empty) file.
std::size_t blob_count_of(const ManifestSpec& spec) {
  if (spec.blob_count) return static_cast<std::size_t>(std::max<std::uint64_t>(1, *spec.blob_count));
  const std::uint64_t per_blob = spec.rows_per_blob == 0 ? spec.row_count : spec.rows_per_blob;
  if (per_blob == 0) return 1;
  return static_cast<std::size_t>(
      std::max<std::uint64_t>(1, spec.row_count / per_blob + (spec.row_count % per_blob != 0 ? 1 : 0)));
}

// Indexing a blob is compressing it: one thread per core of the machines
// the fake is built for (two) makes a pass about twice as fast.
constexpr std::size_t kIndexingThreads = 2;
// A blob too large for its index to be within reach (BlobHandle) is indexed
// as soon as its manifest is published, so that a client reading its length
// first (a HEAD, or a ranged GET, as the Azure SDKs start) waits less or
// not at all; smaller blobs are indexed on demand, quickly. At most this
// many rows of each manifest (about a minute of both cores) are indexed
// ahead, in blob order.
constexpr std::uint64_t kIndexAheadMinRows = BlobHandle::kRowsWorthWaitingFor;
constexpr std::uint64_t kIndexAheadRows = 10'000'000;
constexpr std::uint64_t kEtagSeed = 0x45546167;  // "ETag"

constexpr std::string_view kBlobNamePrefix = "part-";
constexpr std::string_view kBlobNameSuffix = ".c000.json.gz";

StorageError authentication_failed(std::string detail) {
  return StorageError{403, "AuthenticationFailed",
                      "Server failed to authenticate the request. Make sure the value of Authorization "
                      "header is formed correctly including the signature.",
                      std::move(detail)};
}

// The Azure error a blob fault scripts.
StorageError scripted_error(const faults::Fault& fault) {
  auto error = faults::azure_error(fault);
  return StorageError{error.status, std::move(error.code), std::move(error.message), "", error.retry_after};
}

}  // namespace

std::optional<std::string_view> signed_directory_of(std::string_view path, std::string_view sdd) {
  std::size_t depth = 0;
  const auto [end, ec] = std::from_chars(sdd.data(), sdd.data() + sdd.size(), depth);
  if (ec != std::errc() || end != sdd.data() + sdd.size() || depth == 0) return std::nullopt;
  // Past the leading '/', the account and the container: then depth more
  // segments, which the path must have (and depth + 2 must not wrap).
  if (depth > static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'))) return std::nullopt;
  std::size_t at = 0;
  for (std::size_t segment = 0; segment < depth + 2; ++segment) {
    at = path.find('/', at + 1);
    if (at == std::string_view::npos) return std::nullopt;
  }
  return path.substr(0, at);
}

BlobEntry Manifest::blob(std::size_t index) const {
  if (rows_per_blob != 0) {
    const auto first = index * rows_per_blob;
    return BlobEntry{index, first, std::min(rows_per_blob, row_count - first)};
  }
  const auto base = row_count / blob_count;
  const auto longer = row_count % blob_count;  // the first this many hold one row more
  return BlobEntry{index, index * base + std::min<std::uint64_t>(index, longer), base + (index < longer ? 1 : 0)};
}

std::string Manifest::blob_name(std::size_t index) const {
  return fmt::format("{}{:05}-{}{}", kBlobNamePrefix, first_blob_number + index, blob_run_id, kBlobNameSuffix);
}

std::optional<std::size_t> Manifest::blob_index(std::string_view name) const {
  // The number runs from the prefix to the next '-': five digits, or more past 99 999.
  const auto digits = name.substr(std::min(name.size(), kBlobNamePrefix.size()));
  std::size_t number = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  const auto digits_end = digits.data() + digits.size();
  if (ec != std::errc() || end == digits.data() || end == digits_end || *end != '-' || number < first_blob_number ||
      number - first_blob_number >= blob_count) {
    return std::nullopt;
  }
  const auto index = number - first_blob_number;
  if (name != blob_name(index)) return std::nullopt;
  return index;
}

std::string SasGrant::query() const {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + percent_encode(value);
  }
  return out;
}

BlobStore::BlobStore(core::IdGenerator& ids, core::IdGenerator& chance, std::uint64_t signing_key,
                     std::size_t remembered_evictions, std::stop_token stop)
    : ids_(ids),
      chance_(chance),
      stop_(std::move(stop)),
      signing_key_(signing_key),
      forgotten_(remembered_evictions),
      workers_(kIndexingThreads, stop_) {}

std::shared_ptr<const Manifest> BlobStore::publish(ManifestSpec spec, TimePoint at) {
  auto manifest = std::make_shared<Manifest>();
  manifest->id = ids_.guid();
  manifest->created_at = at;
  manifest->etag = ids_.text(17, core::kAlphanumeric);
  manifest->operation_id = std::move(spec.operation_id);
  manifest->schema_version = std::move(spec.schema_version);
  manifest->data_format = std::move(spec.data_format);
  manifest->partition_type = std::move(spec.partition_type);
  manifest->lists_blob_sizes = spec.lists_blob_sizes;
  manifest->partner_tenant_id = spec.partner_tenant_id;
  manifest->root_path = fmt::format("/{}/{}/{}", kAccount, spec.container, spec.directory);
  manifest->sas_object_id = ids_.guid();
  manifest->sas_directory_depth = depth_of(spec.directory);
  manifest->sas_valid_for = spec.sas_valid_for;
  manifest->lines = std::move(spec.lines);
  manifest->blob_faults = std::move(spec.blob_faults);
  manifest->blob_count_delta = spec.blob_count_delta;
  manifest->read_delay = spec.read_delay;
  manifest->unknown_properties = spec.unknown_properties;
  manifest->sas_terms = std::move(spec.sas_terms);

  manifest->row_count = spec.row_count;
  manifest->blob_count = blob_count_of(spec);
  manifest->rows_per_blob = spec.blob_count ? 0 : spec.rows_per_blob;
  manifest->blob_run_id = ids_.guid();
  // 5 to 199, as real first names are; drawn from the run id (so from the
  // seed) rather than the generator, so no other id moves.
  manifest->first_blob_number = 5 + core::hash64(manifest->blob_run_id, signing_key_) % 195;

  {
    std::lock_guard lock(mutex_);
    manifests_.emplace(manifest->id, manifest);
    manifests_by_blob_run_.emplace(manifest->blob_run_id, manifest);
  }
  index_ahead(*manifest);
  return manifest;
}

std::shared_ptr<const Manifest> BlobStore::find_manifest(std::string_view id) const {
  std::lock_guard lock(mutex_);
  const auto it = manifests_.find(core::ascii_lower(id));
  return it == manifests_.end() ? nullptr : it->second;
}

void BlobStore::forget(std::string_view manifest_id) {
  std::lock_guard lock(mutex_);
  const auto it = manifests_.find(core::ascii_lower(manifest_id));
  if (it == manifests_.end()) return;
  const auto& manifest = *it->second;
  const std::string_view run = manifest.blob_run_id;
  indexes_.erase(indexes_.lower_bound(BlobKey{run, 0}), indexes_.upper_bound(BlobKey{run, manifest.blob_count}));
  manifests_by_blob_run_.erase(run);
  forgotten_.add(manifest.id);
  manifests_.erase(it);
}

bool BlobStore::forgotten(std::string_view manifest_id) const {
  std::lock_guard lock(mutex_);
  return forgotten_.contains(manifest_id);
}

SasGrant BlobStore::grant_sas(const Manifest& manifest, TimePoint now, const SasTerms& terms) const {
  const auto start = std::chrono::floor<std::chrono::seconds>(now);
  SasGrant sas;
  // Lifetimes as observed on the real service: key valid 24 h, SAS 1 h.
  sas.expires_at = start + manifest.sas_valid_for;
  sas.fields = {{"skoid", manifest.sas_object_id},
                {"sktid", manifest.partner_tenant_id},
                {"skt", core::rfc3339_seconds(start)},
                {"ske", core::rfc3339_seconds(start + 24h)},
                {"sks", "b"},
                {"skv", "2021-08-06"},
                {"sv", "2021-08-06"}};
  if (terms.start_offset) sas.fields.emplace_back("st", core::rfc3339_seconds(start + *terms.start_offset));
  sas.fields.insert(sas.fields.end(), {{"se", core::rfc3339_seconds(sas.expires_at)},
                                       {"sr", "d"},
                                       {"sp", terms.permissions},
                                       {"sdd", std::to_string(manifest.sas_directory_depth)}});
  sas.fields.emplace_back("sig", sign(manifest.root_path, sas.fields));
  return sas;
}

std::string BlobStore::sign(std::string_view directory,
                            const std::vector<std::pair<std::string, std::string>>& fields) const {
  std::string canonical(directory);
  for (const auto& [name, value] : fields) canonical += "\n" + name + "=" + value;
  std::string digest;
  for (std::uint64_t lane = 0; lane < 4; ++lane) {
    const auto word = core::hash64(canonical, signing_key_ + lane);
    for (int byte = 0; byte < 8; ++byte) digest.push_back(static_cast<char>((word >> (8 * byte)) & 0xff));
  }
  return core::base64_encode(digest);
}

// In Azure's order: the fields, the signature, the time window, then the
// permission the operation needs (Get Blob and Get Blob Properties: read).
std::optional<StorageError> BlobStore::check_sas(std::string_view path,
                                                 const std::multimap<std::string, std::string>& query,
                                                 TimePoint now) const {
  if (query.find("sig") == query.end()) {
    return authentication_failed("The request carries no SAS signature (sig).");
  }
  std::vector<std::pair<std::string, std::string>> signed_fields;
  std::string signature;
  for (const auto name : kSasFieldNames) {
    const auto [first, last] = query.equal_range(std::string(name));
    if (first == last && name == kOptionalSasField) continue;
    if (first == last || std::next(first) != last) {
      return authentication_failed(
          fmt::format("Signature fields not well formed: '{}' must appear exactly once.", name));
    }
    if (name == "sig") {
      signature = first->second;
    } else {
      signed_fields.emplace_back(name, first->second);
    }
  }
  const auto directory = signed_directory_of(path, query.find("sdd")->second);
  if (!directory || signature != sign(*directory, signed_fields)) {
    return authentication_failed("Signature did not match. The SAS was not issued for this directory, or one of "
                                 "its fields was changed.");
  }
  const auto& expiry_text = query.find("se")->second;
  const auto expiry = core::parse_rfc3339_seconds(expiry_text);
  const auto shown_expiry = expiry ? core::http_date(*expiry) : expiry_text;
  if (const auto start_field = query.find("st"); start_field != query.end()) {
    const auto start = core::parse_rfc3339_seconds(start_field->second);
    if (!start || !expiry || now < *start || now >= *expiry) {
      return authentication_failed(
          fmt::format("Signature not valid in the specified time frame: Start [{}] - Expiry [{}] - Current [{}]",
                      start ? core::http_date(*start) : start_field->second, shown_expiry, core::http_date(now)));
    }
  } else if (!expiry || now >= *expiry) {
    return authentication_failed(fmt::format("Signed expiry time [{}] must be after signed start time [{}]",
                                             shown_expiry, core::http_date(now)));
  }
  if (query.find("sp")->second.find('r') == std::string::npos) return permission_mismatch();
  return std::nullopt;
}

BlobOpening BlobStore::open(std::string_view path, const std::multimap<std::string, std::string>& query,
                            TimePoint now) {
  if (auto error = check_sas(path, query, now)) return {*std::move(error), std::nullopt};

  std::shared_ptr<const Manifest> manifest;
  std::size_t index = 0;
  {
    // part-00005-<run id>.c000.json.gz: the run id picks the manifest, which
    // must then list the name in the directory asked for.
    const auto slash = path.rfind('/');
    const auto name = path.substr(slash + 1);
    const auto run_start = name.find('-', kBlobNamePrefix.size()) + 1;  // 0 when there is no '-'
    std::lock_guard lock(mutex_);
    const auto it = run_start != 0 && name.starts_with(kBlobNamePrefix)
                        ? manifests_by_blob_run_.find(name.substr(run_start, 36))
                        : manifests_by_blob_run_.end();
    if (it != manifests_by_blob_run_.end() && it->second->root_path == path.substr(0, slash)) {
      if (const auto found = it->second->blob_index(name)) {
        manifest = it->second;
        index = *found;
      }
    }
  }
  if (!manifest) {
    return {StorageError{404, "BlobNotFound", "The specified blob does not exist.", ""}, std::nullopt};
  }

  const auto pick = faults::pick_blob(manifest->blob_faults, index, chance_);
  std::optional<faults::Latency> delay;
  if (pick.delay != nullptr) delay = pick.delay->delay;
  if (pick.response != nullptr && pick.response->status) return {scripted_error(*pick.response), delay};
  std::optional<faults::Fault> fault;
  if (pick.response != nullptr) fault = *pick.response;

  const auto blob = manifest->blob(index);
  auto indexing = index_of(*manifest, blob);
  if (!indexing->index()) workers_.wanted(indexing);
  // Known before the bytes are made: from the blob's name (its manifest's
  // run GUID and its index), its row count and the digest of what its rows
  // are made from. The name alone repeats across servers of one seed whose
  // data differs (another profile or scenario), and a client keeping ETags
  // across a restart would take one blob's bytes for another's.
  const std::string fingerprint = fmt::format("{}:{}:{}", manifest->blob_name(index), blob.row_count,
                                              manifest->lines->content_digest());
  const auto etag = fmt::format("\"0x8D{:013X}\"", core::hash64(fingerprint, kEtagSeed) & 0xFFFFFFFFFFFFFULL);
  return {BlobHandle{manifest, blob, std::move(indexing), stop_, etag, std::move(fault)}, delay};
}

std::vector<std::uint64_t> BlobStore::blob_sizes(const Manifest& manifest) const {
  std::vector<std::shared_ptr<data::GzipIndexing>> passes;
  passes.reserve(manifest.blob_count);
  for (std::size_t i = 0; i < manifest.blob_count; ++i) {
    passes.push_back(index_of(manifest, manifest.blob(i)));
    if (!passes.back()->index()) workers_.wanted(passes.back());
  }
  std::vector<std::uint64_t> sizes;
  sizes.reserve(manifest.blob_count);
  for (const auto& pass : passes) sizes.push_back(pass->wait(stop_)->size);
  return sizes;
}

std::shared_ptr<data::GzipIndexing> BlobStore::index_of(const Manifest& manifest, const BlobEntry& blob) const {
  const BlobKey key{manifest.blob_run_id, blob.index};
  std::lock_guard lock(mutex_);
  const auto it = manifests_by_blob_run_.find(key.first);
  if (it == manifests_by_blob_run_.end() || it->second.get() != &manifest) {
    // Forgotten meanwhile: indexed for the request that opened it, not kept.
    return std::make_shared<data::GzipIndexing>(manifest.lines, blob.first_row, blob.row_count);
  }
  auto& cached = indexes_[key];
  if (!cached || cached->failed()) {
    cached = std::make_shared<data::GzipIndexing>(manifest.lines, blob.first_row, blob.row_count);
  }
  return cached;
}

void BlobStore::index_ahead(const Manifest& manifest) {
  std::uint64_t rows = 0;
  for (std::size_t i = 0; i < manifest.blob_count && rows < kIndexAheadRows; ++i) {
    const auto blob = manifest.blob(i);
    if (blob.row_count < kIndexAheadMinRows) continue;
    rows += blob.row_count;
    workers_.ahead(index_of(manifest, blob));
  }
}

}  // namespace graphfake::domain
