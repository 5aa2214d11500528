#include "graphfake/client/billing_client.h"

#include <random>
#include <stdexcept>

#include "blob_download.h"
#include "pacing.h"
#include "request_ids.h"
#include "service_errors.h"
#include "transport.h"
#include "url.h"

namespace graphfake::client {
namespace {

using namespace detail;

// Request ids draw from a stream of their own, so a retry's back-off draw
// does not change the ids of the requests after it.
constexpr std::uint64_t kRequestIdStream = 0x9E3779B97F4A7C15ull;

const char* export_path(ExportKind kind) {
  switch (kind) {
    case ExportKind::billed_reconciliation:
      return "reconciliation/billed";
    case ExportKind::unbilled_reconciliation:
      return "reconciliation/unbilled";
    case ExportKind::billed_usage:
      return "usage/billed";
    case ExportKind::unbilled_usage:
      return "usage/unbilled";
  }
  throw std::invalid_argument("unknown ExportKind");
}

nlohmann::json export_body(const ExportRequest& request) {
  if (request.kind == ExportKind::billed_reconciliation || request.kind == ExportKind::billed_usage) {
    return {{"invoiceId", request.invoice_id}, {"attributeSet", request.attribute_set}};
  }
  return {{"billingPeriod", request.billing_period},
          {"currencyCode", request.currency_code},
          {"attributeSet", request.attribute_set}};
}

std::string ascii_lower(std::string text) {
  for (auto& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

nlohmann::json parse_body(const HttpResponse& response, const std::string& url) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) throw ProtocolError("the response body is not a JSON object", url);
  return body;
}

// The string at `key`, or empty when it is absent or not a string.
std::string optional_string(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string required_string(const nlohmann::json& object, const char* key, const std::string& url) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string() || found->get<std::string>().empty()) {
    throw ProtocolError(std::string("the manifest has no ") + key, url);
  }
  return found->get<std::string>();
}

Manifest parse_manifest(const nlohmann::json& body, const std::string& url) {
  if (!body.is_object()) throw ProtocolError("the manifest is not a JSON object", url);
  Manifest manifest;
  manifest.id = optional_string(body, "id");
  manifest.root_directory = required_string(body, "rootDirectory", url);
  // Clients join with "/" and "?"; tolerate a service that already added them.
  if (manifest.root_directory.back() == '/') manifest.root_directory.pop_back();
  manifest.sas_token = required_string(body, "sasToken", url);
  if (manifest.sas_token.front() == '?') manifest.sas_token.erase(0, 1);

  const auto blobs = body.find("blobs");
  if (blobs == body.end() || !blobs->is_array()) throw ProtocolError("the manifest has no blobs array", url);
  for (const auto& blob : *blobs) {
    if (!blob.is_object()) throw ProtocolError("a manifest blob is not an object", url);
    manifest.blobs.push_back({required_string(blob, "name", url), optional_string(blob, "partitionValue")});
  }
  // A count that disagrees means rows would go missing or be invented: a
  // reconciliation must not carry on as if it were complete.
  if (const auto count = body.find("blobCount"); count != body.end()) {
    if (!count->is_number_integer() || count->get<std::int64_t>() != static_cast<std::int64_t>(manifest.blobs.size())) {
      throw ProtocolError("the manifest's blobCount " + count->dump() + " disagrees with its " +
                              std::to_string(manifest.blobs.size()) + " blobs",
                          url);
    }
  }
  return manifest;
}

}  // namespace

ExportRequest ExportRequest::billed_reconciliation(std::string invoice_id, std::string attribute_set) {
  return {ExportKind::billed_reconciliation, std::move(invoice_id), {}, {}, std::move(attribute_set)};
}

ExportRequest ExportRequest::unbilled_reconciliation(std::string billing_period, std::string currency_code,
                                                     std::string attribute_set) {
  return {ExportKind::unbilled_reconciliation,
          {},
          std::move(billing_period),
          std::move(currency_code),
          std::move(attribute_set)};
}

ExportRequest ExportRequest::billed_usage(std::string invoice_id, std::string attribute_set) {
  return {ExportKind::billed_usage, std::move(invoice_id), {}, {}, std::move(attribute_set)};
}

ExportRequest ExportRequest::unbilled_usage(std::string billing_period, std::string currency_code,
                                            std::string attribute_set) {
  return {
      ExportKind::unbilled_usage, {}, std::move(billing_period), std::move(currency_code), std::move(attribute_set)};
}

std::string Manifest::blob_url(std::size_t index) const {
  return root_directory + "/" + blobs.at(index).name + "?" + sas_token;
}

struct BillingClient::Impl {
  Impl(Options options_in, std::uint64_t seed)
      : options(std::move(options_in)),
        pacing(options.clock ? options.clock : std::make_shared<SteadyClock>(),
               Backoff(options.backoff_base, options.backoff_cap, seed), options.max_attempts, options.on_event),
        transport({options.connect_timeout, options.read_timeout, options.ca_cert_file, options.verify_certificate}),
        request_ids(seed ^ kRequestIdStream) {}

  // A Graph request, retried as is_retryable says; returns a 2xx response.
  HttpResponse call_graph(const std::string& method, const std::string& url, const std::string& body,
                          const Pacing::Deadline* deadline) {
    for (int attempt = 1;; ++attempt) {
      const auto client_request_id = request_ids.next();
      const Headers headers = {{"Authorization", "Bearer " + options.token},
                               {"Accept", "application/json"},
                               {"client-request-id", client_request_id}};
      const auto outcome =
          method == "POST" ? transport.post(url, headers, body, "application/json") : transport.get(url, headers);
      const bool last = attempt >= options.max_attempts;
      if (outcome.complete) {
        const auto& response = *outcome.response;
        if (is_success(response.status)) return response;
        if (last || !is_retryable(Service::graph, response.status)) {
          throw graph_error(url, response, client_request_id);
        }
        pacing.retry(url, "answered " + std::to_string(response.status),
                     pacing.wait_after(response, static_cast<unsigned>(attempt - 1)), attempt, deadline);
        continue;
      }
      // Exports only create a read-only report, so repeating a POST whose
      // answer was lost costs at most a duplicate operation.
      if (last || !outcome.worth_retrying) {
        throw TransportError(
            method + " " + url + " failed (attempt " + std::to_string(attempt) + "): " + outcome.failure, url);
      }
      pacing.retry(url, outcome.failure, pacing.backoff(static_cast<unsigned>(attempt - 1)), attempt, deadline);
    }
  }

  Manifest manifest_of(const nlohmann::json& operation, const std::string& operation_url,
                       const Pacing::Deadline& deadline) {
    if (const auto inline_manifest = operation.find("resourceLocation");
        inline_manifest != operation.end() && inline_manifest->is_object()) {
      return parse_manifest(*inline_manifest, operation_url);
    }
    const auto link = operation.find("resourceLocation@odata.navigationLink");
    if (link == operation.end() || !link->is_string() || link->get<std::string>().empty()) {
      throw ProtocolError("the succeeded operation has neither resourceLocation nor its navigation link",
                          operation_url);
    }
    const auto manifest_url = resolve_url(operation_url, link->get<std::string>());
    const auto response = call_graph("GET", manifest_url, {}, &deadline);
    return parse_manifest(parse_body(response, manifest_url), manifest_url);
  }

  Options options;
  Pacing pacing;
  Transport transport;
  RequestIds request_ids;
};

namespace {

std::uint64_t seed_of(const Options& options) {
  if (options.seed) return *options.seed;
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

BillingClient::BillingClient(Options options) {
  if (!split_url(options.base_url)) throw std::invalid_argument("base_url is not an http(s) URL: " + options.base_url);
  if (options.max_attempts < 1) throw std::invalid_argument("max_attempts must be at least 1");
  const auto seed = seed_of(options);
  impl_ = std::make_unique<Impl>(std::move(options), seed);
}

BillingClient::~BillingClient() = default;

std::string BillingClient::start_export(const ExportRequest& request) {
  const auto url = impl_->options.base_url + "/" + impl_->options.version + "/reports/partners/billing/" +
                   export_path(request.kind) + "/export";
  const auto response = impl_->call_graph("POST", url, export_body(request).dump(), nullptr);
  if (response.status != 202) {
    throw ProtocolError("the export answered " + std::to_string(response.status) + ", not 202 Accepted", url);
  }
  const auto location = response.header("Location");
  if (location.empty()) throw ProtocolError("the 202 Accepted has no Location header", url);
  if (split_url(location)) return location;
  // The documentation promises an absolute URL; a relative one still has
  // one meaning, so use it, and say so.
  auto resolved = resolve_url(url, location);
  if (!split_url(resolved)) throw ProtocolError("the Location '" + location + "' is not an http(s) URL", url);
  impl_->pacing.emit(Event::Kind::relative_location, resolved, location);
  return resolved;
}

Manifest BillingClient::wait_for_completion(const std::string& operation_url) {
  auto& impl = *impl_;
  const auto start = impl.pacing.now();
  const Pacing::Deadline deadline{start, start + impl.options.completion_timeout, operation_url,
                                  impl.options.completion_timeout};
  unsigned unadvised_polls = 0;
  while (true) {
    const auto response = impl.call_graph("GET", operation_url, {}, &deadline);
    const auto operation = parse_body(response, operation_url);
    const auto status = operation.find("status");
    if (status == operation.end() || !status->is_string()) {
      throw ProtocolError("the operation has no status", operation_url);
    }
    // Compared without case, as the service's own samples do.
    const auto state = ascii_lower(status->get<std::string>());
    if (state == "succeeded") return impl.manifest_of(operation, operation_url, deadline);
    if (state == "failed") {
      const auto error = operation.find("error");
      if (error == operation.end() || !error->is_object()) {
        throw OperationFailedError(operation_url, "", "the failed operation carries no error");
      }
      throw OperationFailedError(operation_url, optional_string(*error, "code"), optional_string(*error, "message"));
    }
    // notStarted, running, or a value added after this client was written:
    // all mean "not yet". Back-off counts only the polls no Retry-After paced.
    const auto advised = impl.pacing.retry_after(response);
    impl.pacing.pause(advised ? *advised : impl.pacing.backoff(unadvised_polls++), &deadline);
  }
}

std::uint64_t BillingClient::download_blob(const Manifest& manifest, std::size_t index, const RowHandler& on_row) {
  if (index >= manifest.blobs.size()) throw std::out_of_range("no blob " + std::to_string(index) + " in the manifest");
  return detail::download_blob(impl_->transport, impl_->pacing, impl_->request_ids, manifest, index, on_row);
}

std::uint64_t BillingClient::download_rows(const Manifest& manifest, const RowHandler& on_row) {
  std::uint64_t rows = 0;
  for (std::size_t index = 0; index < manifest.blobs.size(); ++index) rows += download_blob(manifest, index, on_row);
  return rows;
}

std::uint64_t BillingClient::export_rows(const ExportRequest& request, const RowHandler& on_row) {
  return download_rows(wait_for_completion(start_export(request)), on_row);
}

}  // namespace graphfake::client
