#include "admin/admin_routes.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <atomic>
#include <memory>
#include <optional>

#include "core/excerpt.h"
#include "core/strings.h"
#include "core/time_format.h"
#include "admin/admin_json.h"
#include "admin/scenario_paths.h"
#include "dashboard/render.h"
#include "dashboard/ui_page.h"
#include "graphfake/scenarios.h"

namespace graphfake::admin {
namespace {

using handlers::Call;
using namespaces::kAdminPrefix;
using namespaces::kNamespaceHeader;
using namespaces::kNamespacePrefix;
using handlers::Reply;

using nlohmann::ordered_json;

void write(Reply& res, int status, const ordered_json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, ordered_json::error_handler_t::replace), "application/json");
}

void write_error(Reply& res, int status, const std::string& code, const std::string& message,
                 const std::vector<std::string>& details = {}) {
  ordered_json error = {{"code", code}, {"message", message}};
  if (!details.empty()) error["details"] = details;
  write(res, status, {{"error", std::move(error)}});
}

ordered_json scenarios_json(const Admin& admin) {
  ordered_json files = ordered_json::array();
  for (const auto& file : admin.scenarios()) files.push_back(to_json(file));
  return {{"files", std::move(files)}};
}

// Paths are read only from inside the scenario root (admin/scenario_paths.h).
void load(Admin& admin, std::string_view body, Admin::Load how, const std::string& scenario_root) {
  auto request = scenarios_from(body);
  if (auto* sources = std::get_if<std::vector<ScenarioSource>>(&request)) {
    admin.load_scenarios(*sources, how);
  } else {
    admin.load_scenarios(read_confined_scenarios(std::get<std::vector<std::string>>(request), scenario_root),
                         how);
  }
}

// Splits "/_graphfake/operations/{id}/force" into its segments after the prefix.
std::vector<std::string> segments_of(std::string_view path) {
  std::vector<std::string> segments;
  path.remove_prefix(kAdminPrefix.size());
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto end = path.find('/');
    segments.emplace_back(path.substr(0, end));
    path.remove_prefix(end == std::string_view::npos ? path.size() : end);
  }
  return segments;
}

// What one admin call needs: the request, the namespace's Admin, the
// segment a "{}" of the route's pattern stood for.
struct AdminCall {
  const Call& req;
  Reply& res;
  const AdminRequest& request;
  namespaces::NamespaceRegistry& registry;
  LocalAdmin admin;
  std::string argument;
};

struct AdminRoute {
  std::vector<std::string_view> pattern;  // "{}" matches any one segment
  std::string_view method;
  // Namespace management is served only outside any namespace.
  bool outside_namespaces_only = false;
  void (*serve)(AdminCall& call);
};

ordered_json time_json(const Admin& admin) { return {{"now", core::rfc3339_ms(admin.now())}}; }

ordered_json namespace_json(const AdminCall& call, const std::string& name) {
  return {{"name", name}, {"baseUrl", call.request.origin + std::string(kNamespacePrefix) + name}};
}

JournalQuery unmatched_query(const Call& req) {
  auto query = journal_query_from(req.params);
  if (query.endpoint && *query.endpoint != Endpoint::unmatched) {
    throw AdminError(400, "badRequest",
                     fmt::format("journal/unmatched lists unmatched requests only; for endpoint '{}' ask {}/journal.",
                                 to_string(*query.endpoint), kAdminPrefix));
  }
  query.endpoint = Endpoint::unmatched;
  return query;
}

// A listing page or a client report can take tens of MB to build, held
// until the client has read it, so only a few are in flight at once in the
// process: one more is answered 503 with Retry-After, rather than letting
// connections that never read their answers exhaust memory.
constexpr int kMaxLargeAnswersInFlight = 8;
std::atomic<int> large_answers_in_flight{0};

// Takes a slot for the answer about to be built into `c.res`, released once
// it is sent; false, with the 503 written, when every slot is taken.
bool reserve_large_answer(AdminCall& c) {
  if (large_answers_in_flight.fetch_add(1) >= kMaxLargeAnswersInFlight) {
    large_answers_in_flight.fetch_sub(1);
    write_error(c.res, 503, "serviceUnavailable",
                fmt::format("{} listings or reports are being sent already; retry after the Retry-After seconds.",
                            kMaxLargeAnswersInFlight));
    c.res.set_header("Retry-After", "1");
    return false;
  }
  c.res.held_until_sent = std::shared_ptr<void>(nullptr, [](void*) { large_answers_in_flight.fetch_sub(1); });
  return true;
}

// The pages load nothing from elsewhere: the report nothing at all, the
// dashboard only the admin API of the fake that served it.
constexpr std::string_view kReportPagePolicy = "default-src 'none'; style-src 'unsafe-inline'";
constexpr std::string_view kUiPagePolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'";

// A page's URL may carry the admin token (?access_token=): it must not
// reach another site as a Referer, nor stay in a cache.
void write_page(Reply& res, std::string page, std::string_view policy) {
  res.status = 200;
  res.set_content(std::move(page), "text/html; charset=utf-8");
  res.set_header("Content-Security-Policy", std::string(policy));
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

const std::vector<AdminRoute>& admin_routes() {
  static const std::vector<AdminRoute> routes = {
      {{"health"}, "GET", false,
       [](AdminCall& c) { write(c.res, 200, {{"status", "ready"}, {"now", core::rfc3339_ms(c.admin.now())}}); }},
      {{"reset"}, "POST", false,
       [](AdminCall& c) {
         check_reset_body(c.req.body);
         c.admin.reset();
         write(c.res, 200, {{"reset", true}, {"now", core::rfc3339_ms(c.admin.now())}});
       }},
      {{"scenarios"}, "GET", false, [](AdminCall& c) { write(c.res, 200, scenarios_json(c.admin)); }},
      {{"scenarios"}, "POST", false,
       [](AdminCall& c) {
         load(c.admin, c.req.body, Admin::Load::append, c.registry.default_namespace().options().scenario_root);
         write(c.res, 200, scenarios_json(c.admin));
       }},
      {{"scenarios"}, "PUT", false,
       [](AdminCall& c) {
         load(c.admin, c.req.body, Admin::Load::replace, c.registry.default_namespace().options().scenario_root);
         write(c.res, 200, scenarios_json(c.admin));
       }},
      {{"clock"}, "GET", false, [](AdminCall& c) { write(c.res, 200, time_json(c.admin)); }},
      {{"clock"}, "PUT", false,
       [](AdminCall& c) {
         c.admin.set_clock(clock_setting_from(c.req.body));
         write(c.res, 200, time_json(c.admin));
       }},
      {{"clock", "advance"}, "POST", false,
       [](AdminCall& c) {
         c.admin.advance_clock(clock_advance_from(c.req.body));
         write(c.res, 200, time_json(c.admin));
       }},
      {{"operations"}, "GET", false,
       [](AdminCall& c) {
         if (!reserve_large_answer(c)) return;
         write(c.res, 200,
               to_json(c.admin.operations_page(operations_page_from(c.req.params)),
                               c.request.origin + std::string(c.req.sent_path), c.req.params));
       }},
      {{"operations", "{}"}, "GET", false,
       [](AdminCall& c) { write(c.res, 200, to_json(c.admin.operation(c.argument))); }},
      {{"operations", "{}", "totals"}, "GET", false,
       [](AdminCall& c) { write(c.res, 200, to_json(c.admin.expected_totals(c.argument))); }},
      {{"operations", "{}", "force"}, "POST", false,
       [](AdminCall& c) {
         write(c.res, 200, to_json(c.admin.force(c.argument, phase_order_from(c.req.body))));
       }},
      {{"journal"}, "GET", false,
       [](AdminCall& c) {
         if (!reserve_large_answer(c)) return;
         write(c.res, 200,
               to_json(c.admin.journal_page(journal_query_from(c.req.params),
                                                    page_from(c.req.params)),
                               c.request.origin + std::string(c.req.sent_path), c.req.params));
       }},
      {{"journal", "count"}, "GET", false,
       [](AdminCall& c) { write(c.res, 200, {{"count", c.admin.count(journal_query_from(c.req.params))}}); }},
      {{"journal", "unmatched"}, "GET", false,
       [](AdminCall& c) {
         if (!reserve_large_answer(c)) return;
         write(c.res, 200,
               to_json(c.admin.journal_page(unmatched_query(c.req), page_from(c.req.params)),
                               c.request.origin + std::string(c.req.sent_path), c.req.params));
       }},
      {{"report"}, "GET", false,
       [](AdminCall& c) {
         if (reserve_large_answer(c)) write(c.res, 200, to_json(c.admin.client_report()));
       }},
      {{"report.html"}, "GET", false,
       [](AdminCall& c) {
         if (!reserve_large_answer(c)) return;
         write_page(c.res, c.admin.report_html(), kReportPagePolicy);
       }},
      {{"ui"}, "GET", false, [](AdminCall& c) { write_page(c.res, dashboard::ui_page(), kUiPagePolicy); }},
      {{"operations", "{}", "timeline"}, "GET", false,
       [](AdminCall& c) {
         const auto operation = c.admin.operation(c.argument);
         JournalQuery query;
         query.operation_id = operation.id;
         const auto timeline = dashboard::timeline_of(operation.id, c.admin.journal(query));
         c.res.status = 200;
         c.res.set_content(dashboard::operation_article(operation, timeline), "text/html; charset=utf-8");
       }},
      {{"namespaces"}, "GET", true,
       [](AdminCall& c) {
         ordered_json list = ordered_json::array();
         for (const auto& name : c.registry.names()) list.push_back(namespace_json(c, name));
         write(c.res, 200, {{"namespaces", std::move(list)}});
       }},
      {{"namespaces"}, "POST", true,
       [](AdminCall& c) {
         const auto name = namespace_name_from(c.req.body);
         c.registry.create(name);
         write(c.res, 201, namespace_json(c, name));
       }},
      {{"namespaces", "{}"}, "DELETE", true,
       [](AdminCall& c) {
         const auto report = c.registry.remove(c.argument);
         write(c.res, 200, {{"deleted", c.argument}, {"report", to_json(report)}});
       }},
  };
  return routes;
}

// The route's argument when `segments` fit its pattern.
std::optional<std::string> fit(const AdminRoute& route, const std::vector<std::string>& segments) {
  if (segments.size() != route.pattern.size()) return std::nullopt;
  std::string argument;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (route.pattern[i] == "{}") {
      argument = segments[i];
    } else if (route.pattern[i] != segments[i]) {
      return std::nullopt;
    }
  }
  return argument;
}

void dispatch(const Call& req, Reply& res, const AdminRequest& request, namespaces::NamespaceRegistry& registry) {
  const auto segments = segments_of(request.target.path);
  const bool in_namespace = request.target.name != namespaces::NamespaceRegistry::kDefaultName;
  auto fake = registry.find(request.target.name);
  if (!fake) {
    return write_error(res, 404, "namespaceNotFound",
                       fmt::format("There is no namespace '{}'; create it with POST {}/namespaces.",
                                   core::text_excerpt(request.target.name), kAdminPrefix));
  }
  std::vector<std::string_view> allowed;
  for (const auto& route : admin_routes()) {
    if (route.outside_namespaces_only && in_namespace) continue;
    auto argument = fit(route, segments);
    if (!argument) continue;
    // HEAD is GET without the body, which the connection leaves out.
    const bool method_fits = route.method == req.method || (req.method == "HEAD" && route.method == "GET");
    if (!method_fits) {
      allowed.push_back(route.method);
      continue;
    }
    AdminCall call{req, res, request, registry, LocalAdmin(std::move(fake)), std::move(*argument)};
    return route.serve(call);
  }
  if (!allowed.empty()) {
    res.set_header("Allow", fmt::format("{}", fmt::join(allowed, ", ")));
    return write_error(res, 405, "methodNotAllowed",
                       fmt::format("{} takes {}, not {}.", core::text_excerpt(req.sent_path, 200),
                                   fmt::join(allowed, " or "), core::text_excerpt(req.method)));
  }
  const bool namespace_management = !segments.empty() && segments.front() == "namespaces";
  write_error(res, 404, "adminRouteNotFound",
              namespace_management && in_namespace
                  ? fmt::format("Namespaces are managed outside any namespace: {}/namespaces, without '{}' or "
                                "the {} header.",
                                kAdminPrefix, kNamespacePrefix, kNamespaceHeader)
                  : fmt::format("No admin endpoint answers {} {}; see docs/admin-api.md.", core::text_excerpt(req.method),
                                core::text_excerpt(req.sent_path, 200)));
}

// The pages a browser opens by their URL, which cannot send an
// Authorization header, take the token as the access_token query parameter
// too (as RFC 6750, "Bearer Token Usage", allows); the dashboard's script
// then sends the header with every call.
bool is_browser_page(const Call& req, const AdminRequest& request) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  const auto segments = segments_of(request.target.path);
  return segments.size() == 1 && (segments.front() == "ui" || segments.front() == "report.html");
}

std::string page_token(const Call& req) {
  const auto [first, last] = req.params.equal_range("access_token");
  if (first == last || std::next(first) != last) return {};
  return first->second;
}

}  // namespace

Reply answer_unreadable_admin_request(int status, std::string_view reason) {
  Reply res;
  write_error(res, status, "unreadableRequest", fmt::format("The request could not be read: {}.", reason));
  return res;
}

Reply answer_admin(const Call& req, const AdminRequest& request, namespaces::NamespaceRegistry& registry) {
  Reply res;
  // The scheme is case-insensitive (RFC 9110, section 11.1); the token is not.
  const auto& admin_token = registry.default_namespace().options().admin_token;
  const auto authorization = req.header("Authorization");
  const bool authorized = (authorization.size() == 7 + admin_token.size() &&
                           core::ascii_lower(authorization.substr(0, 7)) == "bearer " &&
                           authorization.substr(7) == admin_token) ||
                          (is_browser_page(req, request) && page_token(req) == admin_token);
  if (!admin_token.empty() && !authorized) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"graphfake admin\"");
    write_error(res, 401, "adminTokenRequired",
                "The admin API needs 'Authorization: Bearer <admin token>' (the fake's --admin-token); the pages "
                "ui and report.html take it as ?access_token=<admin token> too.");
    return res;
  }
  try {
    dispatch(req, res, request, registry);
  } catch (const AdminError& error) {
    write_error(res, error.status(), error.code(), error.what());
  } catch (const ScenarioError& error) {
    write_error(res, 400, "invalidScenario", "The scenario files have errors; nothing was loaded.", error.errors());
  }
  return res;
}

}  // namespace graphfake::admin
