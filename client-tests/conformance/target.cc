#include "conformance/target.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "graphfake/server.h"
#include "graphfake/token.h"

namespace graphfake::conformance {
namespace {

std::string environment(const char* name, std::string fallback = "") {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

std::optional<std::chrono::seconds> seconds_from(const char* name) {
  const std::string text = environment(name);
  if (text.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    const long long value = std::stoll(text, &used);
    if (used == text.size() && value >= 0) return std::chrono::seconds(value);
  } catch (const std::exception&) {
  }
  throw std::runtime_error(fmt::format("{}='{}': expected a whole number of seconds", name, text));
}

// scheme://host[:port] of an absolute URL, and the rest.
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw std::runtime_error("not an absolute URL: " + url);
  const auto path_start = url.find('/', scheme_end + 3);
  if (path_start == std::string::npos) return {url, "/"};
  return {url.substr(0, path_start), url.substr(path_start)};
}

std::vector<ExportKind> export_kinds_from(const char* name, const std::vector<ExportKind>& fallback) {
  const std::string text = environment(name);
  if (text.empty()) return fallback;
  std::vector<ExportKind> kinds;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    std::string_view entry = std::string_view(text).substr(start, end - start);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    const auto named = export_kind_named(entry);
    if (!named) {
      throw std::runtime_error(fmt::format("{}='{}': expected a comma-separated list of billedReconciliation, "
                                           "unbilledReconciliation, billedUsage, unbilledUsage",
                                           name, text));
    }
    kinds.push_back(*named);
    start = end + 1;
  }
  return kinds;
}

Target read_target() {
  Target target;
  target.base_url = environment("GRAPH_BASE_URL");
  target.version = environment("GRAPH_API_VERSION", "v1.0");
  target.invoice_id = environment("GRAPH_INVOICE_ID", "G016907411");
  target.currency_code = environment("GRAPH_CURRENCY_CODE", target.currency_code);
  target.billing_period = environment("GRAPH_BILLING_PERIOD", target.billing_period);
  target.export_kinds = export_kinds_from("GRAPH_EXPORT_KINDS", target.export_kinds);
  target.ca_file = environment("GRAPH_CA_FILE");
  if (target.version != "v1.0" && target.version != "beta") {
    throw std::runtime_error("GRAPH_API_VERSION='" + target.version + "': expected v1.0 or beta");
  }
  if (target.billing_period != "current" && target.billing_period != "last") {
    throw std::runtime_error("GRAPH_BILLING_PERIOD='" + target.billing_period + "': expected current or last");
  }
  if (target.base_url.empty()) {
    static Server fake;  // lives as long as the process
    target.base_url = fake.base_url();
    target.token = make_token();
    target.in_process = true;
    target.max_retry_after = std::chrono::seconds(0);  // its default timeline moves by polls, not time
  } else {
    while (!target.base_url.empty() && target.base_url.back() == '/') target.base_url.pop_back();
    split_url(target.base_url);
    target.token = environment("GRAPH_TOKEN");
    if (target.token.empty()) throw std::runtime_error("GRAPH_BASE_URL is set but GRAPH_TOKEN is not");
    target.poll_timeout = std::chrono::seconds(3600);
  }
  if (const auto timeout = seconds_from("GRAPH_POLL_TIMEOUT_SECONDS")) target.poll_timeout = *timeout;
  if (const auto cap = seconds_from("GRAPH_MAX_RETRY_AFTER_SECONDS")) target.max_retry_after = *cap;
  return target;
}

}  // namespace

std::string Target::name() const { return in_process ? "the in-process fake at " + base_url : base_url; }

bool Target::asks_for(ExportKind kind) const {
  return std::find(export_kinds.begin(), export_kinds.end(), kind) != export_kinds.end();
}

RequestedExport Target::request_for(ExportKind kind, const std::string& attribute_set) const {
  return {.kind = kind,
          .attribute_set = attribute_set,
          .invoice_id = invoice_id,
          .currency_code = currency_code,
          .billing_period = billing_period};
}

const Target& target() {
  static const Target kTarget = read_target();
  return kTarget;
}

Session::Session(const Target& target) : target_(target) {}

httplib::Client& Session::client_for(const std::string& origin) {
  auto& client = clients_[origin];
  if (!client) {
    client = std::make_unique<httplib::Client>(origin);
    client->set_connection_timeout(std::chrono::seconds(10));
    client->set_read_timeout(std::chrono::seconds(120));
    // Said outright rather than left to httplib's default, which has changed
    // between versions: an https target must present a certificate we trust.
    client->enable_server_certificate_verification(true);
    if (!target_.ca_file.empty()) client->set_ca_cert_path(target_.ca_file.c_str());
  }
  return *client;
}

std::string Session::next_client_request_id() {
  const std::uint64_t high = ids_();
  const std::uint64_t low = ids_();
  last_client_request_id_ =
      fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff, high & 0xfff,
                  0x8000 | (low >> 48 & 0x3fff), low & 0xffffffffffffULL);
  return last_client_request_id_;
}

httplib::Result Session::post(const std::string& path, const std::string& body, httplib::Headers extra) {
  if (!extra.count("Authorization")) extra.emplace("Authorization", "Bearer " + target_.token);
  return post_without_token(path, body, std::move(extra));
}

httplib::Result Session::post_without_token(const std::string& path, const std::string& body,
                                            httplib::Headers extra) {
  extra.emplace("client-request-id", next_client_request_id());
  const auto [origin, base_path] = split_url(target_.base_url + path);
  return client_for(origin).Post(base_path.c_str(), extra, body, "application/json");
}

httplib::Result Session::send_get(const std::string& url, httplib::Headers headers) {
  const std::string absolute = url.rfind("http", 0) == 0 ? url : target_.base_url + url;
  const auto [origin, path] = split_url(absolute);
  return client_for(origin).Get(path.c_str(), headers);
}

httplib::Result Session::get(const std::string& url, httplib::Headers extra) {
  if (!extra.count("Authorization")) extra.emplace("Authorization", "Bearer " + target_.token);
  extra.emplace("client-request-id", next_client_request_id());
  return send_get(url, std::move(extra));
}

httplib::Result Session::get_without_token(const std::string& url, httplib::Headers extra) {
  extra.emplace("client-request-id", next_client_request_id());
  return send_get(url, std::move(extra));
}

httplib::Result Session::download(const std::string& url) { return send_get(url, {}); }

std::string blob_url(const Json& manifest, std::size_t index) {
  return manifest.at("rootDirectory").get<std::string>() + "/" +
         manifest.at("blobs").at(index).at("name").get<std::string>() + "?" +
         manifest.at("sasToken").get<std::string>();
}

ExportRun run_export(Session& session, ExportKind kind, const std::string& attribute_set) {
  const Target& target = session.target();
  ExportRun run;
  run.request = target.request_for(kind, attribute_set);
  auto accepted = session.post(export_path(kind, target.version), run.request.body().dump());
  run.client_request_id = session.last_client_request_id();
  if (!accepted) {
    run.violations.push_back("the export got no response: " + httplib::to_string(accepted.error()));
    return run;
  }
  run.accepted = *accepted;
  for (auto& v : check_export_accepted(*accepted, target.base_url, target.version)) run.violations.push_back(v);
  for (auto& v : check_graph_headers(*accepted, run.client_request_id)) run.violations.push_back(v);
  if (accepted->status != 202 || !accepted->has_header("Location")) return run;
  run.location = accepted->get_header_value("Location");
  run.operation_id = run.location.substr(run.location.rfind('/') + 1);

  const auto deadline = std::chrono::steady_clock::now() + target.poll_timeout;
  while (true) {
    auto polled = session.get(run.location);
    if (!polled) {
      run.violations.push_back("a poll got no response: " + httplib::to_string(polled.error()));
      return run;
    }
    run.polls.push_back(*polled);
    for (auto& v : check_operation(*polled, run.operation_id)) {
      run.violations.push_back("poll " + std::to_string(run.polls.size()) + ": " + v);
    }
    if (polled->status != 200 || !Json::accept(polled->body)) return run;
    const Json body = Json::parse(polled->body);
    const std::string status = body.value("status", "");
    if (status == "succeeded" || status == "failed") {
      run.operation = body;
      break;
    }
    // A status outside the contract (already reported) never ends: stop here.
    if (status != "notStarted" && status != "running") return run;
    if (std::chrono::steady_clock::now() >= deadline) {
      run.violations.push_back("the export did not end within " + std::to_string(target.poll_timeout.count()) + " s");
      return run;
    }
    auto wait = std::chrono::seconds(std::atoll(polled->get_header_value("Retry-After").c_str()));
    if (target.max_retry_after) wait = std::min(wait, *target.max_retry_after);
    std::this_thread::sleep_for(wait);
  }
  if (run.operation.value("status", "") != "succeeded") return run;

  if (run.operation.contains(kNavigationLink)) {
    auto linked = session.get(run.operation[kNavigationLink].get<std::string>());
    if (!linked || linked->status != 200 || !Json::accept(linked->body)) {
      run.violations.push_back("the manifest's navigation link does not answer 200 with JSON");
    } else {
      run.manifest = Json::parse(linked->body);
      run.manifest.erase("@odata.context");
    }
  }
  if (run.operation.contains("resourceLocation")) {
    Json inline_manifest = run.operation["resourceLocation"];
    if (!run.manifest.is_null() && run.manifest.value("id", "") != inline_manifest.value("id", "")) {
      run.violations.push_back("the linked manifest's id is not the inline manifest's");
    }
    run.manifest = std::move(inline_manifest);
  }
  return run;
}

const ExportRun& shared_export(ExportKind kind, const std::string& attribute_set) {
  static std::mutex mutex;
  static std::map<std::pair<ExportKind, std::string>, ExportRun> runs;
  std::lock_guard lock(mutex);
  const auto key = std::make_pair(kind, attribute_set);
  auto it = runs.find(key);
  if (it == runs.end()) {
    Session session(target());
    it = runs.emplace(key, run_export(session, kind, attribute_set)).first;
  }
  return it->second;
}

}  // namespace graphfake::conformance
