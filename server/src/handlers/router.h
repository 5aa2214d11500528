#pragma once

#include <string>
#include <string_view>

#include "model/export.h"

namespace graphfake::handlers {

enum class RouteKind {
  export_action,        // POST .../{reconciliation|usage}/{billed|unbilled}/export
  operation,            // GET .../operations/{id}
  manifest,             // GET .../manifests/{id}
  unsupported,          // a real Graph path the fake does not serve
  graph_unknown,        // under /v1.0 or /beta, but no such resource
  blob,                 // GET/HEAD /{account}/{container}/{blob path}, and the account and containers
  not_found,            // outside every API the fake serves
};

struct Route {
  RouteKind endpoint = RouteKind::not_found;
  model::ApiVersion version = model::ApiVersion::v1_0;
  model::ExportKind export_kind = model::ExportKind::billed_reconciliation;
  std::string id;
  // For unsupported / graph_unknown / not_found: what to name in the error;
  // for a blob route, "account" or "container" when it names no blob.
  std::string detail;
  // Methods the endpoint answers (for 405 and the Allow header).
  std::string_view allowed_methods;
};

// Maps a decoded request path to what it addresses. Graph segments match
// case-insensitively, as Graph's do; both action spellings ("export" and
// "microsoft.graph.partners.billing.export") address the same action.
Route match_route(std::string_view path);

// For a request no route serves: the route it most likely meant, as
// "GET /v1.0/reports/partners/billing/operations/{id}" (the nearest by
// edit distance, GUID segments standing for {id}).
std::string nearest_route(std::string_view method, std::string_view path);

}  // namespace graphfake::handlers
