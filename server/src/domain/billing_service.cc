#include "domain/billing_service.h"

#include <fmt/format.h>

#include <cctype>

#include "core/graph_error.h"
#include "data/reconciliation_generator.h"

namespace graphfake::domain {
namespace {

bool is_guid(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

// Invoice ids are free text to the API; in a blob path they must stay one
// plain segment.
std::string path_segment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    out.push_back(std::isalnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_');
  }
  return out;
}

void require_guid(std::string_view id, std::string_view what) {
  if (!is_guid(id)) {
    throw core::bad_request(fmt::format("Invalid {} id '{}': expected a GUID.", what, id));
  }
}

std::string next_month_yyyymm(const data::InvoiceProfile& profile) {
  const int month = profile.billing_month % 12 + 1;
  const int year = profile.billing_year + (profile.billing_month == 12 ? 1 : 0);
  return fmt::format("{:04}{:02}", year, month);
}

}  // namespace

BillingService::BillingService(const Options& options)
    : options_(options),
      clock_(options.clock ? options.clock : std::make_shared<SystemClock>()),
      ids_(options.seed),
      authenticator_(options.accepted_tokens),
      blobs_(ids_),
      operations_(ids_, [this](const OperationView& operation, TimePoint at) {
        return publish_manifest(operation, at);
      }) {
  if (options_.partner_tenant_id.empty()) {
    options_.partner_tenant_id = core::guid_from(core::hash64("partner-tenant", options.seed));
  }
}

void BillingService::authorize(std::string_view authorization_header, TimePoint now) const {
  authenticator_.authorize(authorization_header, now);
}

OperationView BillingService::start_export(model::ExportRequest request, TimePoint now) {
  return operations_.create(std::move(request), model::default_timeline(options_.retry_after), now);
}

BillingService::OperationRead BillingService::poll_operation(std::string_view id, TimePoint now) {
  require_guid(id, "operation");
  auto operation = operations_.poll(id, now);
  if (!operation) {
    throw core::item_not_found(fmt::format("The operation '{}' does not exist.", id));
  }
  std::shared_ptr<const Manifest> manifest;
  if (!operation->manifest_id.empty()) manifest = blobs_.find_manifest(operation->manifest_id);
  return OperationRead{std::move(*operation), std::move(manifest)};
}

std::shared_ptr<const Manifest> BillingService::manifest(std::string_view id) const {
  require_guid(id, "manifest");
  auto manifest = blobs_.find_manifest(id);
  if (!manifest) throw core::item_not_found(fmt::format("The manifest '{}' does not exist.", id));
  return manifest;
}

std::variant<BlobHandle, StorageError> BillingService::open_blob(
    std::string_view path, const std::multimap<std::string, std::string>& query, TimePoint now) {
  return blobs_.open(path, query, now);
}

std::string BillingService::publish_manifest(const OperationView& operation, TimePoint at) {
  const auto& request = operation.request;
  auto profile = data::make_invoice_profile(options_.seed, request.invoice_id, options_.partner_tenant_id);
  // Reconciliation layouts are not observed anywhere; this mirrors billed usage.
  const auto directory = fmt::format(
      "v1/PartnerTenantId={}/BillingMonth={}/InvoiceId={}/InvoiceVersion={}080000/Fragment={}/"
      "PartitionType=default",
      options_.partner_tenant_id, profile.billing_month_yyyymm(), path_segment(request.invoice_id),
      next_month_yyyymm(profile), model::to_string(request.attribute_set));

  ManifestSpec spec;
  spec.container = "billedreconciliationfastpath";
  spec.directory = directory;
  spec.partner_tenant_id = options_.partner_tenant_id;
  spec.row_count = options_.rows_per_export;
  spec.rows_per_blob = options_.rows_per_blob;
  spec.lines = std::make_shared<data::ReconciliationGenerator>(std::move(profile), options_.seed,
                                                               request.attribute_set);
  return blobs_.publish(std::move(spec), at)->id;
}

}  // namespace graphfake::domain
