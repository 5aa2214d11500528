#include "http/router.h"

#include <fmt/format.h>

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
    route.endpoint = Endpoint::export_action;
    const bool usage = core::iequals(rest[0], "usage");
    const bool billed = core::iequals(rest[1], "billed");
    route.export_kind = usage ? (billed ? model::ExportKind::billed_usage : model::ExportKind::unbilled_usage)
                              : (billed ? model::ExportKind::billed_reconciliation
                                        : model::ExportKind::unbilled_reconciliation);
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
  // Everything under the storage account is Azure's: errors there are its
  // XML, the account and its containers included.
  if (segments[0] == domain::BlobStore::kAccount) {
    Route route;
    route.endpoint = Endpoint::blob;
    route.allowed_methods = "GET, HEAD";
    if (segments.size() < 3) route.detail = segments.size() == 1 ? "account" : "container";
    return route;
  }
  return Route{Endpoint::not_found, {}, {}, {}, std::string(segments[0]), {}};
}

namespace {

struct KnownRoute {
  std::string_view method;
  std::string_view path;
};

constexpr KnownRoute kKnownRoutes[] = {
    {"POST", "/v1.0/reports/partners/billing/reconciliation/billed/export"},
    {"POST", "/v1.0/reports/partners/billing/reconciliation/unbilled/export"},
    {"POST", "/v1.0/reports/partners/billing/usage/billed/export"},
    {"POST", "/v1.0/reports/partners/billing/usage/unbilled/export"},
    {"GET", "/v1.0/reports/partners/billing/operations/{id}"},
    {"GET", "/v1.0/reports/partners/billing/manifests/{id}"},
    {"POST", "/beta/reports/partners/billing/reconciliation/billed/export"},
    {"POST", "/beta/reports/partners/billing/reconciliation/unbilled/export"},
    {"POST", "/beta/reports/partners/billing/usage/billed/export"},
    {"POST", "/beta/reports/partners/billing/usage/unbilled/export"},
    {"GET", "/beta/reports/partners/billing/operations/{id}"},
    {"GET", "/beta/reports/partners/billing/manifests/{id}"},
};

bool looks_like_guid(std::string_view segment) {
  if (segment.size() != 36) return false;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (segment[i] == '-')) return false;
  }
  return true;
}

std::string with_ids_as_placeholders(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const auto segment = path.substr(start, end - start);
    out += looks_like_guid(segment) ? std::string("{id}") : core::ascii_lower(segment);
    if (end == path.size()) break;
    out += '/';
    start = end + 1;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string nearest_route(std::string_view method, std::string_view path) {
  // A wrong method is a likelier slip than several wrong characters, but
  // not free: it costs as much as three.
  constexpr std::size_t kMethodCost = 3;
  const auto normalised = with_ids_as_placeholders(path);
  const KnownRoute* best = nullptr;
  std::size_t best_cost = 0;
  for (const auto& known : kKnownRoutes) {
    const auto cost = edit_distance(normalised, core::ascii_lower(known.path)) + (known.method == method ? 0 : kMethodCost);
    if (best == nullptr || cost < best_cost) {
      best = &known;
      best_cost = cost;
    }
  }
  return fmt::format("{} {}", best->method, best->path);
}

}  // namespace graphfake::http
