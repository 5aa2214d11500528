#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/graph_error.h"
#include "domain/blob_store.h"
#include "domain/operation_store.h"
#include "graphfake/dialect.h"

namespace graphfake::domain {

// Where a response is going: URLs in bodies are built on the origin and API
// version the client used, so they work however it reached the fake.
struct ResponseOrigin {
  std::string origin;  // "http://127.0.0.1:8080"
  model::ApiVersion version = model::ApiVersion::v1_0;
  std::string base_path{};  // what every path starts with: "/_ns/shard-1" in a namespace, else empty

  std::string base() const { return origin + base_path; }
};

std::string operation_url(const ResponseOrigin& to, std::string_view operation_id);

// The @odata.type (in the billing namespace) of a succeeded operation under
// model::Evolution::unknown_subtype: a type derived from
// exportSuccessOperation that no client knows, as a newer service might
// send. Its status still says succeeded, and it still carries the manifest.
inline constexpr std::string_view kUnknownSuccessSubtype = "partitionedExportSuccessOperation";

// The manifest as GET manifests/{id} returns it (with @odata.context).
nlohmann::ordered_json render_manifest_entity(const ManifestRead& read, const ResponseOrigin& to);

// runningOperation, exportSuccessOperation (manifest inline in
// resourceLocation and linked by resourceLocation@odata.navigationLink), or
// failedOperation. `manifest` is required for a succeeded operation.
nlohmann::ordered_json render_operation(const OperationView& operation, const ManifestRead* manifest,
                                        const ResponseOrigin& to,
                                        Dialect::Timestamps timestamps = Dialect::Timestamps::rfc3339);

// The Location of an accepted export, as a scripted fault may have bent it:
// empty when it is to be left out.
std::string location_header(const ResponseOrigin& to, std::string_view operation_id,
                            std::optional<faults::Fault::Location> fault);

// A poll's 200 body when a fault breaks it: JSON cut off halfway, or a
// status value clients have never seen ("unknownFutureValue").
std::string render_broken_operation(const OperationView& operation, const ManifestRead* manifest,
                                    const ResponseOrigin& to, Dialect::Timestamps timestamps,
                                    faults::Fault::Body fault);

struct ErrorContext {
  std::string request_id;
  std::string client_request_id;
  TimePoint now{};
};

nlohmann::ordered_json render_graph_error(const core::GraphError& error, const ErrorContext& context);

std::string render_storage_error(const StorageError& error, const ErrorContext& context);

}  // namespace graphfake::domain
