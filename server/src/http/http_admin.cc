// HttpAdmin: the Admin calls as requests to the admin API, over httplib's
// client (the only HTTP client the library has).
#include "graphfake/http_admin.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "admin/admin_json.h"
#include "namespaces/fake_namespace.h"

namespace graphfake {
namespace {

using nlohmann::json;

// Everything but RFC 3986's unreserved characters escaped: safe in a path
// segment and in a query.
std::string percent_encoded(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string with_query(std::string path, const std::multimap<std::string, std::string>& parameters) {
  char separator = '?';
  for (const auto& [name, value] : parameters) {
    path += separator + percent_encoded(name) + "=" + percent_encoded(value);
    separator = '&';
  }
  return path;
}

std::multimap<std::string, std::string> with_page(std::multimap<std::string, std::string> parameters, Page page) {
  parameters.emplace("$top", std::to_string(page.top));
  parameters.emplace("$skip", std::to_string(page.skip));
  return parameters;
}

// "https://host:8443/_ns/a" -> {"https://host:8443", "/_ns/a"}.
std::pair<std::string, std::string> origin_and_prefix(const std::string& base_url) {
  const auto scheme_end = base_url.find("://");
  if (scheme_end == std::string::npos || (!base_url.starts_with("http://") && !base_url.starts_with("https://"))) {
    throw std::invalid_argument(fmt::format("HttpAdmin needs an http:// or https:// base URL, not '{}'.", base_url));
  }
  const auto path_start = base_url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return {base_url, ""};
  std::string prefix = base_url.substr(path_start);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return {base_url.substr(0, path_start), prefix};
}

}  // namespace

struct HttpAdmin::Impl {
  Impl(std::string url, HttpAdminOptions options_in) : base_url(std::move(url)), options(std::move(options_in)) {
    while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
    auto [origin, path_prefix] = origin_and_prefix(base_url);
    prefix = std::move(path_prefix) + "/_graphfake";
    client = std::make_unique<httplib::Client>(origin);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.timeout);
    const auto microseconds = std::chrono::duration_cast<std::chrono::microseconds>(options.timeout - seconds);
    client->set_connection_timeout(seconds.count(), microseconds.count());
    client->set_read_timeout(seconds.count(), microseconds.count());
    client->set_write_timeout(seconds.count(), microseconds.count());
    if (!options.ca_file.empty()) client->set_ca_cert_path(options.ca_file.c_str());
    if (!options.admin_token.empty()) client->set_bearer_token_auth(options.admin_token.c_str());
  }

  // The answer's JSON, or what the admin API's error says, thrown.
  // A 503 (every slot for large answers taken, or every connection) is
  // answered before anything is done: sent again after its Retry-After,
  // while the call's timeout allows.
  json call(const std::string& method, const std::string& path, const std::string& body = {}) const {
    const std::string target = prefix + path;
    const auto result = send_until_served(method, target, body);
    json answer = json::parse(result->body, nullptr, false);
    if (answer.is_discarded()) {
      throw std::runtime_error(fmt::format("graphfake admin at {}: {} {} answered {} with a body that is not JSON.",
                                           base_url, method, target, result->status));
    }
    if (result->status >= 400) throw_error(result->status, answer, method, target);
    return answer;
  }

  // A 200 answer's body as text (a page rather than JSON), or the admin API's error, thrown.
  std::string call_text(const std::string& path) const {
    const std::string target = prefix + path;
    auto result = send_until_served("GET", target, {});
    if (result->status == 200) return std::move(result->body);
    json answer = json::parse(result->body, nullptr, false);
    if (answer.is_discarded()) {
      throw std::runtime_error(fmt::format("graphfake admin at {}: GET {} answered {} with a body that is not JSON.",
                                           base_url, target, result->status));
    }
    throw_error(result->status, answer, "GET", target);
  }

  httplib::Result send_until_served(const std::string& method, const std::string& target,
                                    const std::string& body) const {
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    std::unique_lock lock(mutex);
    auto result = send(method, target, body);
    while (result && result->status == 503 && result->has_header("Retry-After")) {
      const auto wait =
          std::chrono::seconds(std::clamp(std::atoi(result->get_header_value("Retry-After").c_str()), 1, 5));
      if (std::chrono::steady_clock::now() + wait > deadline) break;
      std::this_thread::sleep_for(wait);
      result = send(method, target, body);
    }
    lock.unlock();
    if (!result) {
      throw std::runtime_error(fmt::format("graphfake admin at {}: {} {} failed: {}.", base_url, method, target,
                                           httplib::to_string(result.error())));
    }
    return result;
  }

  [[noreturn]] void throw_error(int status, const json& answer, const std::string& method,
                                const std::string& target) const {
    const auto error = answer.find("error");
    const auto is_text = [&](const char* name) { return error->contains(name) && (*error)[name].is_string(); };
    if (error == answer.end() || !error->is_object() || !is_text("code") || !is_text("message")) {
      throw std::runtime_error(fmt::format("graphfake admin at {}: {} {} answered {} without an admin error.", base_url,
                                           method, target, status));
    }
    const auto& code = (*error)["code"].get_ref<const std::string&>();
    if (code == "invalidScenario" && error->contains("details") && (*error)["details"].is_array()) {
      std::vector<std::string> details;
      for (const auto& detail : (*error)["details"])
        details.push_back(detail.is_string() ? detail.get<std::string>() : detail.dump());
      throw ScenarioError(std::move(details));
    }
    throw AdminError(status, code, (*error)["message"].get<std::string>());
  }

  httplib::Result send(const std::string& method, const std::string& target, const std::string& body) const {
    if (method == "GET") return client->Get(target.c_str());
    if (method == "POST") return client->Post(target.c_str(), body, "application/json");
    return client->Put(target.c_str(), body, "application/json");
  }

  std::string base_url;
  HttpAdminOptions options;
  std::string prefix;  // the path every admin request starts with
  std::unique_ptr<httplib::Client> client;
  mutable std::mutex mutex;  // httplib's client serves one request at a time
};

HttpAdmin::HttpAdmin(std::string base_url, std::string admin_token)
    : HttpAdmin(std::move(base_url), HttpAdminOptions{.admin_token = std::move(admin_token)}) {}

HttpAdmin::HttpAdmin(std::string base_url, HttpAdminOptions options)
    : impl_(std::make_unique<Impl>(std::move(base_url), std::move(options))) {}

HttpAdmin::~HttpAdmin() = default;
HttpAdmin::HttpAdmin(HttpAdmin&&) noexcept = default;
HttpAdmin& HttpAdmin::operator=(HttpAdmin&&) noexcept = default;

const std::string& HttpAdmin::base_url() const { return impl_->base_url; }

void HttpAdmin::reset() { impl_->call("POST", "/reset"); }

std::vector<ScenarioFileInfo> HttpAdmin::scenarios() const {
  return admin::scenario_files_from(impl_->call("GET", "/scenarios"));
}

void HttpAdmin::load_scenarios(const std::vector<ScenarioSource>& sources, Load how) {
  impl_->call(how == Load::append ? "POST" : "PUT", "/scenarios", admin::scenarios_body(sources));
}

void HttpAdmin::load_scenario_files(const std::vector<std::string>& paths, Load how) {
  impl_->call(how == Load::append ? "POST" : "PUT", "/scenarios", admin::scenario_paths_body(paths));
}

TimePoint HttpAdmin::now() const { return admin::time_from(impl_->call("GET", "/clock")); }

void HttpAdmin::advance_clock(std::chrono::milliseconds by) {
  // A duration on the wire has no sign: refused here as LocalAdmin refuses it.
  if (by.count() < 0) throw AdminError(400, "badClockMove", std::string(namespaces::kBackwardClockMove));
  impl_->call("POST", "/clock/advance", admin::clock_advance_body(by));
}

void HttpAdmin::set_clock(TimePoint to) { impl_->call("PUT", "/clock", admin::clock_setting_body(to)); }

std::vector<OperationInfo> HttpAdmin::operations() const {
  std::vector<OperationInfo> all;
  std::optional<Page> page = Page{0, Page::kMaxTop};
  while (page) {
    auto found = operations_page(*page);
    for (auto& operation : found.operations) all.push_back(std::move(operation));
    page = found.next;
  }
  return all;
}

OperationPage HttpAdmin::operations_page(Page page) const {
  return admin::operation_page_from(impl_->call("GET", with_query("/operations", with_page({}, page))), page);
}

OperationInfo HttpAdmin::operation(const std::string& id) const {
  return admin::operation_from(impl_->call("GET", "/operations/" + percent_encoded(id)));
}

OperationInfo HttpAdmin::force(const std::string& id, const PhaseOrder& order) {
  return admin::operation_from(
      impl_->call("POST", "/operations/" + percent_encoded(id) + "/force", admin::body_of(order)));
}

ExportTotals HttpAdmin::expected_totals(const std::string& operation_id) const {
  return admin::totals_from(impl_->call("GET", "/operations/" + percent_encoded(operation_id) + "/totals"));
}

std::vector<JournalEntry> HttpAdmin::journal(const JournalQuery& query) const {
  std::vector<JournalEntry> all;
  std::optional<Page> page = Page{0, Page::kMaxTop};
  while (page) {
    auto found = journal_page(query, *page);
    for (auto& entry : found.entries) all.push_back(std::move(entry));
    page = found.next;
  }
  return all;
}

JournalPage HttpAdmin::journal_page(const JournalQuery& query, Page page) const {
  return admin::journal_page_from(
      impl_->call("GET", with_query("/journal", with_page(admin::parameters_of(query), page))), page);
}

std::size_t HttpAdmin::count(const JournalQuery& query) const {
  const auto answer = impl_->call("GET", with_query("/journal/count", admin::parameters_of(query)));
  if (!answer.contains("count") || !answer["count"].is_number_unsigned()) {
    throw std::runtime_error(fmt::format("graphfake admin at {}: the journal count is not a number.", base_url()));
  }
  return answer["count"].get<std::size_t>();
}

std::uint64_t HttpAdmin::journal_dropped() const { return journal_page({}, Page{0, 1}).dropped; }

ClientReport HttpAdmin::client_report() const { return admin::report_from(impl_->call("GET", "/report")); }

std::string HttpAdmin::report_html() const { return impl_->call_text("/report.html"); }

}  // namespace graphfake
