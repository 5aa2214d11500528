#include "domain/blob_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "core/base64.h"
#include "core/time_format.h"

namespace graphfake::domain {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

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

SasGrant issue_sas(core::IdGenerator& ids, std::string_view partner_tenant_id, std::size_t depth,
                   TimePoint at) {
  using namespace std::chrono_literals;
  std::string signature_bytes;
  for (int i = 0; i < 4; ++i) {
    const auto word = ids.next();
    signature_bytes.append(reinterpret_cast<const char*>(&word), sizeof word);
  }
  SasGrant sas;
  // Lifetimes as observed on the real service: key valid 24 h, SAS 1 h.
  sas.expires_at = at + 1h;
  sas.fields = {{"skoid", ids.guid()},
                {"sktid", std::string(partner_tenant_id)},
                {"skt", core::rfc3339_seconds(at)},
                {"ske", core::rfc3339_seconds(at + 24h)},
                {"sks", "b"},
                {"skv", "2021-08-06"},
                {"sv", "2021-08-06"},
                {"se", core::rfc3339_seconds(sas.expires_at)},
                {"sr", "d"},
                {"sp", "rl"},
                {"sdd", std::to_string(depth)},
                {"sig", core::base64_encode(signature_bytes)}};
  return sas;
}

StorageError authentication_failed(std::string detail) {
  return StorageError{403, "AuthenticationFailed",
                      "Server failed to authenticate the request. Make sure the value of Authorization "
                      "header is formed correctly including the signature.",
                      std::move(detail)};
}

std::optional<StorageError> check_sas(const SasGrant& sas,
                                      const std::multimap<std::string, std::string>& query,
                                      TimePoint now) {
  if (query.find("sig") == query.end()) {
    return authentication_failed("The request carries no SAS signature (sig).");
  }
  for (const auto& [name, issued] : sas.fields) {
    const auto [first, last] = query.equal_range(name);
    if (first == last || std::next(first) != last || first->second != issued) {
      return authentication_failed(
          name == "sig" ? "Signature did not match."
                        : fmt::format("Signature fields not well formed: '{}' differs from the SAS "
                                      "the manifest issued.",
                                      name));
    }
  }
  if (now >= sas.expires_at) {
    return authentication_failed(fmt::format("Signed expiry time [{}] must be after signed start time [{}]",
                                             core::http_date(sas.expires_at), core::http_date(now)));
  }
  return std::nullopt;
}

}  // namespace

std::string SasGrant::query() const {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += name + "=" + percent_encode(value);
  }
  return out;
}

BlobStore::BlobStore(core::IdGenerator& ids) : ids_(ids) {}

std::shared_ptr<const Manifest> BlobStore::publish(ManifestSpec spec, TimePoint at) {
  auto manifest = std::make_shared<Manifest>();
  manifest->id = ids_.guid();
  manifest->created_at = at;
  manifest->etag = ids_.text(17, core::kAlphanumeric);
  manifest->partner_tenant_id = spec.partner_tenant_id;
  manifest->root_path = fmt::format("/{}/{}/{}", kAccount, spec.container, spec.directory);
  manifest->sas = issue_sas(ids_, spec.partner_tenant_id, depth_of(spec.directory), at);
  manifest->lines = std::move(spec.lines);

  const std::uint64_t per_blob = spec.rows_per_blob == 0 ? spec.row_count : spec.rows_per_blob;
  // An export with no rows still delivers one (empty) file.
  const std::uint64_t blob_count = per_blob == 0 ? 1 : std::max<std::uint64_t>(1, (spec.row_count + per_blob - 1) / per_blob);
  for (std::uint64_t i = 0; i < blob_count; ++i) {
    const std::uint64_t first = i * per_blob;
    manifest->blobs.push_back(BlobEntry{fmt::format("part-{:05}-{}.c000.json.gz", i, ids_.guid()), first,
                                        std::min(per_blob, spec.row_count - first)});
  }

  std::lock_guard lock(mutex_);
  manifests_.emplace(manifest->id, manifest);
  for (std::size_t i = 0; i < manifest->blobs.size(); ++i) {
    blobs_by_path_.emplace(manifest->root_path + "/" + manifest->blobs[i].name, std::pair{manifest, i});
  }
  return manifest;
}

std::shared_ptr<const Manifest> BlobStore::find_manifest(std::string_view id) const {
  std::lock_guard lock(mutex_);
  const auto it = manifests_.find(lower(id));
  return it == manifests_.end() ? nullptr : it->second;
}

std::variant<BlobHandle, StorageError> BlobStore::open(
    std::string_view path, const std::multimap<std::string, std::string>& query, TimePoint now) {
  std::shared_ptr<const Manifest> manifest;
  std::size_t index = 0;
  {
    std::lock_guard lock(mutex_);
    const auto it = blobs_by_path_.find(path);
    if (it != blobs_by_path_.end()) std::tie(manifest, index) = it->second;
  }
  if (!manifest) {
    return StorageError{404, "BlobNotFound", "The specified blob does not exist.", ""};
  }
  if (auto error = check_sas(manifest->sas, query, now)) return *std::move(error);

  const BlobEntry& blob = manifest->blobs[index];
  const auto stats = stats_of(*manifest, blob);
  const auto etag = fmt::format("\"0x8D{:013X}\"",
                                ((std::uint64_t{stats.crc32} << 20) ^ stats.size) & 0xFFFFFFFFFFFFFULL);
  return BlobHandle{manifest, &blob, stats, etag};
}

data::GzipStats BlobStore::stats_of(const Manifest& manifest, const BlobEntry& blob) {
  const std::string key = manifest.root_path + "/" + blob.name;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = stats_by_path_.find(key); it != stats_by_path_.end()) return it->second;
  }
  // Measured outside the lock: it streams the whole blob once. Racing
  // measurements of one blob agree, because the bytes are deterministic.
  const auto stats = data::measure_gzip(*manifest.lines, blob.first_row, blob.row_count);
  std::lock_guard lock(mutex_);
  stats_by_path_.emplace(key, stats);
  return stats;
}

}  // namespace graphfake::domain
