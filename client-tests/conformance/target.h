#pragma once

// The server the conformance suite is held against, chosen by environment:
//
//   (unset)            the fake, started in this process
//   GRAPH_BASE_URL     any running server: the graphfake binary, or
//                      https://graph.microsoft.com with a real token
//   GRAPH_TOKEN        the bearer token for it (required with GRAPH_BASE_URL)
//   GRAPH_INVOICE_ID   an invoice the partner has, for the billed exports
//                      (default G016907411)
//   GRAPH_CURRENCY_CODE    the unbilled exports' currency (default USD)
//   GRAPH_BILLING_PERIOD   the unbilled exports' period: current (default)
//                          or last
//   GRAPH_EXPORT_KINDS     the exports to ask the target for, comma-separated
//                          (default all four: billedReconciliation,
//                          unbilledReconciliation,billedUsage,unbilledUsage);
//                          a partner may have no data for some
//   GRAPH_API_VERSION  v1.0 (default) or beta
//   GRAPH_CA_FILE      a PEM file of certificates to trust, for https
//   GRAPH_POLL_TIMEOUT_SECONDS       how long an export may take (default
//                                    60 for the fake, 3600 otherwise)
//   GRAPH_MAX_RETRY_AFTER_SECONDS    the longest wait a Retry-After gets
//                                    (default: as long as it says; 0 for a
//                                    fake whose clock auto-advances)
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "conformance/contract.h"

namespace graphfake::conformance {

struct Target {
  std::string base_url;  // no trailing slash
  std::string token;
  std::string invoice_id;
  std::string currency_code = "USD";
  std::string billing_period = "current";
  std::vector<ExportKind> export_kinds{kExportKinds.begin(), kExportKinds.end()};
  std::string version;
  std::string ca_file;
  std::chrono::seconds poll_timeout{60};
  std::optional<std::chrono::seconds> max_retry_after;
  // Scripting (scenario files) needs a fake this process controls.
  bool in_process = false;

  std::string name() const;
  bool asks_for(ExportKind kind) const;
  // An export of `kind` for this target's invoice, or its currency and period.
  RequestedExport request_for(ExportKind kind, const std::string& attribute_set) const;
};

// Read once from the environment; the in-process fake starts on first use.
// Throws std::runtime_error naming a missing or malformed variable.
const Target& target();

// HTTP to the target (and to wherever its manifests point), as a careful
// client does it: a bearer token on Graph requests, a fresh client-request-id
// on each, none on blob downloads (the SAS is the credential).
class Session {
 public:
  explicit Session(const Target& target);

  // `path` on the target, version included: "/v1.0/reports/...".
  // An Authorization in `extra` replaces the target's token.
  httplib::Result post(const std::string& path, const std::string& body, httplib::Headers extra = {});
  httplib::Result post_without_token(const std::string& path, const std::string& body, httplib::Headers extra = {});
  // `url` absolute, or a path on the target.
  httplib::Result get(const std::string& url, httplib::Headers extra = {});
  httplib::Result get_without_token(const std::string& url, httplib::Headers extra = {});
  httplib::Result download(const std::string& url);

  const std::string& last_client_request_id() const { return last_client_request_id_; }
  const Target& target() const { return target_; }

 private:
  httplib::Client& client_for(const std::string& origin);
  std::string next_client_request_id();
  httplib::Result send_get(const std::string& url, httplib::Headers headers);

  const Target& target_;
  std::mt19937_64 ids_{0x5eed};
  std::string last_client_request_id_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;
};

// One export walked to its end, with what the contract says of each step.
struct ExportRun {
  RequestedExport request;
  std::string client_request_id;  // sent with the export
  httplib::Response accepted;
  std::string location;
  std::string operation_id;
  std::vector<httplib::Response> polls;
  Json operation;  // the terminal answer
  Json manifest;   // for a succeeded export: from resourceLocation or the navigation link
  Violations violations;
};

// POSTs an export of `kind` (Target::request_for) and polls it, honouring
// Retry-After (capped as the target says), until it ends or the target's
// poll timeout passes; reads the manifest if it succeeded.
ExportRun run_export(Session& session, ExportKind kind, const std::string& attribute_set);

// One run per kind and attribute set per process: against the real service
// an export takes minutes, so the tests of every contract area share it.
const ExportRun& shared_export(ExportKind kind, const std::string& attribute_set);

// rootDirectory + "/" + name + "?" + sasToken.
std::string blob_url(const Json& manifest, std::size_t index);

}  // namespace graphfake::conformance
