#include "http/router.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/strings.h"
#include "domain/blob_store.h"

namespace graphfake::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto end = path.find('/');
    segments.push_back(path.substr(0, end));
    path.remove_prefix(end == std::string_view::npos ? path.size() : end);
  }
  return segments;
}

bool is_export_action(std::string_view segment) {
  return core::iequals(segment, "export") || core::iequals(segment, "microsoft.graph.partners.billing.export");
}

// Walks the billing resource tree as far as `rest` follows it and names the
// segment where it leaves the tree.
std::string first_unknown_segment(const std::vector<std::string_view>& rest) {
  if (rest.empty()) return "billing";
  const bool export_parent = core::iequals(rest[0], "reconciliation") || core::iequals(rest[0], "usage");
  const bool collection = core::iequals(rest[0], "operations") || core::iequals(rest[0], "manifests");
  if (!export_parent && !collection) return std::string(rest[0]);
  if (collection) return std::string(rest.size() > 2 ? rest[2] : rest.back());
  if (rest.size() < 2) return std::string(rest[0]);
  if (!core::iequals(rest[1], "billed") && !core::iequals(rest[1], "unbilled")) return std::string(rest[1]);
  if (rest.size() < 3) return std::string(rest[1]);
  if (!is_export_action(rest[2])) return std::string(rest[2]);
  return std::string(rest.size() > 3 ? rest[3] : rest[2]);
}

Route graph_route(model::ApiVersion version, const std::vector<std::string_view>& s) {
  Route route;
  route.version = version;
  const std::string_view prefix[] = {"reports", "partners", "billing"};
  for (std::size_t i = 0; i < 3; ++i) {
    if (s.size() <= i + 1 || !core::iequals(s[i + 1], prefix[i])) {
      route.endpoint = Endpoint::graph_unknown;
      route.detail = s.size() > i + 1 ? std::string(s[i + 1]) : std::string(s.back());
      return route;
    }
  }
  const std::vector<std::string_view> rest(s.begin() + 4, s.end());

  if (rest.size() == 3 && (core::iequals(rest[0], "reconciliation") || core::iequals(rest[0], "usage")) &&
      (core::iequals(rest[1], "billed") || core::iequals(rest[1], "unbilled")) && is_export_action(rest[2])) {
    route.allowed_methods = "POST";
    if (core::iequals(rest[0], "reconciliation") && core::iequals(rest[1], "billed")) {
      route.endpoint = Endpoint::export_action;
      route.export_kind = model::ExportKind::billed_reconciliation;
    } else {
      route.endpoint = Endpoint::unsupported;
      route.detail = std::string(rest[0]) + "/" + std::string(rest[1]) + " export";
    }
    return route;
  }
  if (rest.size() == 2 && (core::iequals(rest[0], "operations") || core::iequals(rest[0], "manifests"))) {
    route.endpoint = core::iequals(rest[0], "operations") ? Endpoint::operation : Endpoint::manifest;
    route.id = std::string(rest[1]);
    route.allowed_methods = "GET";
    return route;
  }
  if (rest.size() == 1 && (core::iequals(rest[0], "operations") || core::iequals(rest[0], "manifests"))) {
    route.endpoint = Endpoint::unsupported;
    route.detail = "listing " + std::string(rest[0]);
    route.allowed_methods = "GET";
    return route;
  }
  route.endpoint = Endpoint::graph_unknown;
  route.detail = first_unknown_segment(rest);
  return route;
}

}  // namespace

Route match_route(std::string_view path) {
  const auto segments = split_path(path);
  if (segments.empty()) return Route{Endpoint::not_found, {}, {}, {}, "/", {}};

  if (core::iequals(segments[0], "v1.0")) return graph_route(model::ApiVersion::v1_0, segments);
  if (core::iequals(segments[0], "beta")) return graph_route(model::ApiVersion::beta, segments);
  if (segments[0] == domain::BlobStore::kAccount && segments.size() >= 3) {
    Route route;
    route.endpoint = Endpoint::blob;
    route.allowed_methods = "GET, HEAD";
    return route;
  }
  return Route{Endpoint::not_found, {}, {}, {}, std::string(segments[0]), {}};
}

}  // namespace graphfake::http
