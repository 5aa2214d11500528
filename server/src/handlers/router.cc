#include "handlers/router.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "core/strings.h"
#include "domain/blob_store.h"
#include "model/export_kinds.h"

namespace graphfake::handlers {
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

bool is_collection(std::string_view segment) {
  return core::iequals(segment, "operations") || core::iequals(segment, "manifests");
}

// The export whose path `first` and `second` spell, if any.
const model::ExportKindInfo* export_at(std::string_view first, std::string_view second) {
  for (const auto& info : model::export_kinds()) {
    if (core::iequals(first, info.path[0]) && core::iequals(second, info.path[1])) return &info;
  }
  return nullptr;
}

// Whether some export's path starts with `first`.
bool is_export_parent(std::string_view first) {
  const auto kinds = model::export_kinds();
  return std::any_of(kinds.begin(), kinds.end(), [&](const auto& info) { return core::iequals(first, info.path[0]); });
}

// Walks the billing resource tree as far as `rest` follows it and names the
// segment where it leaves the tree.
std::string first_unknown_segment(const std::vector<std::string_view>& rest) {
  if (rest.empty()) return "billing";
  const bool export_parent = is_export_parent(rest[0]);
  const bool collection = is_collection(rest[0]);
  if (!export_parent && !collection) return std::string(rest[0]);
  if (collection) return std::string(rest.size() > 2 ? rest[2] : rest.back());
  if (rest.size() < 2) return std::string(rest[0]);
  if (export_at(rest[0], rest[1]) == nullptr) return std::string(rest[1]);
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
      route.endpoint = RouteKind::graph_unknown;
      route.detail = s.size() > i + 1 ? std::string(s[i + 1]) : std::string(s.back());
      return route;
    }
  }
  const std::vector<std::string_view> rest(s.begin() + 4, s.end());

  if (rest.size() == 3 && is_export_action(rest[2])) {
    if (const auto* info = export_at(rest[0], rest[1])) {
      route.allowed_methods = "POST";
      route.endpoint = RouteKind::export_action;
      route.export_kind = info->kind;
      return route;
    }
  }
  if (rest.size() == 2 && is_collection(rest[0])) {
    route.endpoint = core::iequals(rest[0], "operations") ? RouteKind::operation : RouteKind::manifest;
    route.id = std::string(rest[1]);
    route.allowed_methods = "GET";
    return route;
  }
  if (rest.size() == 1 && is_collection(rest[0])) {
    route.endpoint = RouteKind::unsupported;
    route.detail = "listing " + std::string(rest[0]);
    route.allowed_methods = "GET";
    return route;
  }
  route.endpoint = RouteKind::graph_unknown;
  route.detail = first_unknown_segment(rest);
  return route;
}

}  // namespace

Route match_route(std::string_view path) {
  const auto segments = split_path(path);
  if (segments.empty()) return Route{RouteKind::not_found, {}, {}, {}, "/", {}};

  for (const auto version : model::kApiVersions) {
    if (core::iequals(segments[0], model::to_string(version))) return graph_route(version, segments);
  }
  // Everything under the storage account is Azure's: errors there are its
  // XML, the account and its containers included.
  if (segments[0] == domain::BlobStore::kAccount) {
    Route route;
    route.endpoint = RouteKind::blob;
    route.allowed_methods = "GET, HEAD";
    if (segments.size() < 3) route.detail = segments.size() == 1 ? "account" : "container";
    return route;
  }
  return Route{RouteKind::not_found, {}, {}, {}, std::string(segments[0]), {}};
}

namespace {

struct KnownRoute {
  std::string_view method;
  std::string path;
};

// Every route the fake serves under the Graph APIs, an API version's exports
// (in kind order) and then its collections, as nearest_route names them.
const std::vector<KnownRoute>& known_routes() {
  static const std::vector<KnownRoute> routes = [] {
    std::vector<KnownRoute> all;
    for (const auto version : model::kApiVersions) {
      const auto base = fmt::format("/{}/reports/partners/billing", model::to_string(version));
      for (const auto& info : model::export_kinds()) {
        all.push_back({"POST", fmt::format("{}/{}/{}/export", base, info.path[0], info.path[1])});
      }
      all.push_back({"GET", base + "/operations/{id}"});
      all.push_back({"GET", base + "/manifests/{id}"});
    }
    return all;
  }();
  return routes;
}

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
  for (const auto& known : known_routes()) {
    const auto cost = edit_distance(normalised, core::ascii_lower(known.path)) + (known.method == method ? 0 : kMethodCost);
    if (best == nullptr || cost < best_cost) {
      best = &known;
      best_cost = cost;
    }
  }
  return fmt::format("{} {}", best->method, best->path);
}

}  // namespace graphfake::handlers
