#include "http/admin_routes.h"

#include <fmt/format.h>

#include "core/strings.h"
#include "core/time_format.h"
#include "domain/admin_json.h"
#include "graphfake/scenarios.h"

namespace graphfake::http {
namespace {

using nlohmann::ordered_json;

void write(httplib::Response& res, int status, const ordered_json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, ordered_json::error_handler_t::replace), "application/json");
}

void write_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                 const std::vector<std::string>& details = {}) {
  ordered_json error = {{"code", code}, {"message", message}};
  if (!details.empty()) error["details"] = details;
  write(res, status, {{"error", std::move(error)}});
}

ordered_json journal_json(const std::vector<JournalEntry>& entries, std::uint64_t dropped) {
  ordered_json list = ordered_json::array();
  for (const auto& entry : entries) list.push_back(domain::to_json(entry));
  return {{"count", entries.size()}, {"dropped", dropped}, {"entries", std::move(list)}};
}

ordered_json scenarios_json(const Admin& admin) {
  ordered_json files = ordered_json::array();
  for (const auto& file : admin.scenarios()) files.push_back(domain::to_json(file));
  return {{"files", std::move(files)}};
}

void load(Admin& admin, std::string_view body, Admin::Load how) {
  auto request = domain::scenarios_from(body);
  if (auto* sources = std::get_if<std::vector<ScenarioSource>>(&request)) {
    admin.load_scenarios(*sources, how);
  } else {
    admin.load_scenario_files(std::get<std::vector<std::string>>(request), how);
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

void dispatch(const httplib::Request& req, httplib::Response& res, Admin& admin) {
  const auto segments = segments_of(req.path);
  const std::string& method = req.method;
  const auto at = [&](std::initializer_list<std::string_view> expected) {
    return segments.size() == expected.size() && std::equal(segments.begin(), segments.end(), expected.begin());
  };
  const auto time_json = [&] {
    return ordered_json{{"now", core::rfc3339_ms(admin.now())}};
  };

  if (at({"health"}) && method == "GET") return write(res, 200, {{"status", "ready"}, {"now", core::rfc3339_ms(admin.now())}});
  if (at({"reset"}) && method == "POST") {
    admin.reset();
    return write(res, 200, {{"reset", true}, {"now", core::rfc3339_ms(admin.now())}});
  }
  if (at({"scenarios"})) {
    if (method == "GET") return write(res, 200, scenarios_json(admin));
    if (method == "POST" || method == "PUT") {
      load(admin, req.body, method == "PUT" ? Admin::Load::replace : Admin::Load::append);
      return write(res, 200, scenarios_json(admin));
    }
  }
  if (at({"clock"})) {
    if (method == "GET") return write(res, 200, time_json());
    if (method == "PUT") {
      admin.set_clock(domain::clock_setting_from(req.body));
      return write(res, 200, time_json());
    }
  }
  if (at({"clock", "advance"}) && method == "POST") {
    admin.advance_clock(domain::clock_advance_from(req.body));
    return write(res, 200, time_json());
  }
  if (at({"operations"}) && method == "GET") {
    ordered_json list = ordered_json::array();
    for (const auto& operation : admin.operations()) list.push_back(domain::to_json(operation));
    return write(res, 200, {{"operations", std::move(list)}});
  }
  if (segments.size() == 2 && segments[0] == "operations" && method == "GET") {
    return write(res, 200, domain::to_json(admin.operation(segments[1])));
  }
  if (segments.size() == 3 && segments[0] == "operations" && segments[2] == "force" && method == "POST") {
    return write(res, 200, domain::to_json(admin.force(segments[1], domain::phase_order_from(req.body))));
  }
  if (at({"journal"}) && method == "GET") {
    return write(res, 200, journal_json(admin.journal(domain::journal_query_from(req.params)), admin.journal_dropped()));
  }
  if (at({"journal", "count"}) && method == "GET") {
    return write(res, 200, {{"count", admin.count(domain::journal_query_from(req.params))}});
  }
  if (at({"journal", "unmatched"}) && method == "GET") {
    JournalQuery query;
    query.endpoint = "unmatched";
    return write(res, 200, journal_json(admin.journal(query), admin.journal_dropped()));
  }
  write_error(res, 404, "adminRouteNotFound",
              fmt::format("No admin endpoint answers {} {}; see docs/admin-api.md.", method, req.path));
}

}  // namespace

bool is_admin_path(std::string_view path) {
  return path == kAdminPrefix || (path.starts_with(kAdminPrefix) && path[kAdminPrefix.size()] == '/');
}

void answer_unreadable_admin_request(httplib::Response& res) {
  write_error(res, res.status, "unreadableRequest",
              "The request could not be read as HTTP. A POST or PUT needs a body with a Content-Length: with curl, "
              "add -d '' when there is nothing to send.");
}

void serve_admin(const httplib::Request& req, httplib::Response& res, Admin& admin, const std::string& admin_token) {
  // The scheme is case-insensitive (RFC 9110 §11.1); the token is not.
  const auto authorization = req.get_header_value("Authorization");
  const bool authorized = authorization.size() == 7 + admin_token.size() &&
                          core::ascii_lower(authorization.substr(0, 7)) == "bearer " &&
                          authorization.substr(7) == admin_token;
  if (!admin_token.empty() && !authorized) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"graphfake admin\"");
    return write_error(res, 401, "adminTokenRequired",
                       "The admin API needs 'Authorization: Bearer <admin token>' (the fake's --admin-token).");
  }
  try {
    dispatch(req, res, admin);
  } catch (const AdminError& error) {
    write_error(res, error.status(), error.code(), error.what());
  } catch (const ScenarioError& error) {
    write_error(res, 400, "invalidScenario", "The scenario files have errors; nothing was loaded.", error.errors());
  }
}

}  // namespace graphfake::http
