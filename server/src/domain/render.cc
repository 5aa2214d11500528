#include "domain/render.h"

#include <fmt/format.h>

#include "core/time_format.h"

namespace graphfake::domain {
namespace {

constexpr std::string_view kNamespace = "#microsoft.graph.partners.billing.";

std::string billing_root(const ResponseOrigin& to) {
  return fmt::format("{}/{}/reports/partners/billing", to.base(), model::to_string(to.version));
}

std::string entity_context(const ResponseOrigin& to, std::string_view entity_set) {
  return fmt::format("{}/{}/$metadata#reports/partners/billing/{}/$entity", to.base(), model::to_string(to.version),
                     entity_set);
}

// Properties a newer service might add (model::Evolution), one of each
// JSON type, so that a client that maps them strictly, or only tolerates
// strings, shows it. Fixed values: they change nothing of what the object
// means.
void add_unknown_properties(nlohmann::ordered_json& object, std::string_view prefix) {
  object[fmt::format("{}Version", prefix)] = "2.1";
  object[fmt::format("{}RetentionDays", prefix)] = 30;
  object[fmt::format("{}IsPreview", prefix)] = false;
  object[fmt::format("{}Diagnostics", prefix)] = {{"region", "eastus2"}, {"attempt", 1}};
  object[fmt::format("{}Tags", prefix)] = nlohmann::ordered_json::array({"billing"});
  object[fmt::format("{}ReplacedBy", prefix)] = nullptr;
}

nlohmann::ordered_json render_manifest(const ManifestRead& read, const ResponseOrigin& to) {
  const Manifest& manifest = *read.manifest;
  nlohmann::ordered_json blobs = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < manifest.blob_count; ++i) {
    nlohmann::ordered_json entry = {{"name", manifest.blob_name(i)}, {"partitionValue", "default"}};
    if (i < read.blob_sizes.size()) {
      entry["sizeInBytes"] = read.blob_sizes[i];
      entry["itemCount"] = manifest.blob(i).row_count;
    }
    if (manifest.unknown_properties) add_unknown_properties(entry, "blob");
    blobs.push_back(std::move(entry));
  }
  // Property order as real manifests show it.
  nlohmann::ordered_json body = {
      {"id", manifest.id},
      {"createdDateTime", core::rfc3339_ms(manifest.created_at)},
      {"schemaVersion", manifest.schema_version},
      {"dataFormat", manifest.data_format},
      {"partitionType", manifest.partition_type},
      {"eTag", manifest.etag},
      {"partnerTenantId", manifest.partner_tenant_id},
      {"rootDirectory", to.base() + manifest.root_path},
      {"sasToken", read.sas.query()},
      {"blobCount", static_cast<std::int64_t>(manifest.blob_count) + manifest.blob_count_delta},
      {"blobs", std::move(blobs)}
  };
  if (manifest.unknown_properties) add_unknown_properties(body, "manifest");
  return body;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string_view operation_type(model::OperationStatus status, const model::Evolution& evolution) {
  switch (status) {
    case model::OperationStatus::succeeded:
      return evolution.unknown_subtype ? kUnknownSuccessSubtype : "exportSuccessOperation";
    case model::OperationStatus::failed:
      return "failedOperation";
    default:
      return "runningOperation";
  }
}

}  // namespace

std::string operation_url(const ResponseOrigin& to, std::string_view operation_id) {
  return fmt::format("{}/operations/{}", billing_root(to), operation_id);
}

nlohmann::ordered_json render_manifest_entity(const ManifestRead& read, const ResponseOrigin& to) {
  nlohmann::ordered_json body = {{"@odata.context", entity_context(to, "manifests")}};
  body.update(render_manifest(read, to));
  return body;
}

nlohmann::ordered_json render_operation(const OperationView& operation, const ManifestRead* manifest,
                                        const ResponseOrigin& to, Dialect::Timestamps timestamps) {
  nlohmann::ordered_json body;
  body["@odata.context"] = entity_context(to, "operations");
  body["@odata.type"] = fmt::format("{}{}", kNamespace, operation_type(operation.status, operation.evolution));
  body["id"] = operation.id;
  body["status"] = model::to_string(operation.status);
  if (timestamps == Dialect::Timestamps::documented) {
    body["createdDateTime"] = core::iso_seconds_unzoned(operation.created_at);
    body["lastActionDateTime"] = core::rfc3339_ticks(operation.last_action_at);
  } else {
    body["createdDateTime"] = core::rfc3339_ms(operation.created_at);
    body["lastActionDateTime"] = core::rfc3339_ms(operation.last_action_at);
  }
  if (operation.status == model::OperationStatus::succeeded && manifest != nullptr) {
    using Style = model::ResourceLocationStyle;
    if (operation.resource_location != Style::inline_object) {
      body["resourceLocation@odata.navigationLink"] =
          fmt::format("{}/manifests/{}", billing_root(to), manifest->manifest->id);
    }
    if (operation.resource_location != Style::navigation_link) {
      body["resourceLocation"] = render_manifest(*manifest, to);
    }
  }
  if (operation.status == model::OperationStatus::failed && operation.failure) {
    body["error"] = {{"code", operation.failure->code}, {"message", operation.failure->message}};
  }
  if (operation.evolution.unknown_properties) add_unknown_properties(body, "operation");
  return body;
}

std::string location_header(const ResponseOrigin& to, std::string_view operation_id,
                            std::optional<faults::Fault::Location> fault) {
  using Location = faults::Fault::Location;
  const auto url = operation_url(to, operation_id);
  if (!fault) return url;
  switch (*fault) {
    case Location::missing:
      return {};
    case Location::relative:
      return url.substr(to.origin.size());
    case Location::wrong_host: {
      // Keep the scheme, port and path, so only the host is wrong. An IPv6
      // host ("[::1]:8080") has colons of its own before the port's.
      const auto host_at = to.origin.find("://") + 3;
      const auto port_at = to.origin.rfind(':');
      const auto bracket_at = to.origin.rfind(']');
      const bool has_port = port_at != std::string::npos && port_at >= host_at &&
                            (bracket_at == std::string::npos || port_at > bracket_at);
      return to.origin.substr(0, host_at) + "wrong-host.invalid" + (has_port ? to.origin.substr(port_at) : "") +
             url.substr(to.origin.size());
    }
  }
  return url;
}

std::string render_broken_operation(const OperationView& operation, const ManifestRead* manifest,
                                    const ResponseOrigin& to, Dialect::Timestamps timestamps,
                                    faults::Fault::Body fault) {
  auto body = render_operation(operation, manifest, to, timestamps);
  if (fault == faults::Fault::Body::unknown_status) {
    body["status"] = "unknownFutureValue";
    return body.dump();
  }
  const auto text = body.dump();
  return text.substr(0, text.size() / 2);
}

nlohmann::ordered_json render_graph_error(const core::GraphError& error, const ErrorContext& context) {
  return {{"error",
           {{"code", error.code()},
            {"message", error.message()},
            {"innerError",
             {{"date", core::iso_seconds_unzoned(context.now)},
              {"request-id", context.request_id},
              {"client-request-id", context.client_request_id}}}}}};
}

std::string render_storage_error(const StorageError& error, const ErrorContext& context) {
  std::string xml = fmt::format(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{}</Code><Message>{}\nRequestId:{}\n"
      "Time:{}</Message>",
      xml_escape(error.code), xml_escape(error.message), context.request_id, core::rfc3339_ms(context.now));
  if (!error.detail.empty()) {
    xml += fmt::format("<AuthenticationErrorDetail>{}</AuthenticationErrorDetail>", xml_escape(error.detail));
  }
  xml += "</Error>";
  return xml;
}

}  // namespace graphfake::domain
