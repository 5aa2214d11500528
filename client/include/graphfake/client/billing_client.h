#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "graphfake/client/clock.h"
#include "graphfake/client/errors.h"

namespace graphfake::client {

// A client for Microsoft Graph's partner-billing exports that does what a
// careful partner integration does: export, poll honouring Retry-After,
// read the manifest inline or by link, and stream every blob's rows,
// resuming broken downloads. Failures are the exceptions in errors.h.
//
//   graphfake::client::BillingClient client({.base_url = fake.base_url(), .token = token});
//   std::uint64_t rows = client.export_rows(
//       graphfake::client::ExportRequest::billed_reconciliation("G016907411"),
//       [](const nlohmann::json& row) { ledger.add(row.at("Total").get<double>()); });
//
// Not thread-safe: use one client per thread.

enum class ExportKind { billed_reconciliation, unbilled_reconciliation, billed_usage, unbilled_usage };

// What to export; make one with the factory for its kind.
struct ExportRequest {
  ExportKind kind = ExportKind::billed_reconciliation;
  std::string invoice_id{};            // billed kinds
  std::string billing_period{};        // unbilled kinds: "current" or "last"
  std::string currency_code{};         // unbilled kinds, e.g. "USD"
  std::string attribute_set = "full";  // or "basic"

  static ExportRequest billed_reconciliation(std::string invoice_id, std::string attribute_set = "full");
  static ExportRequest unbilled_reconciliation(std::string billing_period, std::string currency_code,
                                               std::string attribute_set = "full");
  static ExportRequest billed_usage(std::string invoice_id, std::string attribute_set = "full");
  static ExportRequest unbilled_usage(std::string billing_period, std::string currency_code,
                                      std::string attribute_set = "full");
};

struct Blob {
  std::string name;
  std::string partition_value;
};

// Where a finished export's data is.
struct Manifest {
  std::string id;
  std::string root_directory;
  std::string sas_token;  // without a leading '?'
  std::vector<Blob> blobs;

  // rootDirectory + "/" + name + "?" + sasToken
  std::string blob_url(std::size_t index) const;
};

// Something the client worked around, for logs and tests.
struct Event {
  enum class Kind {
    retrying,           // a retryable status or a transport failure; `detail` says which and the wait
    relative_location,  // the 202's Location was relative; `url` is what it resolved to, `detail` the header
    resuming_download,  // a blob broke off, or a resume brought nothing; `detail` is the next request's Range
  };
  Kind kind;
  std::string url;
  std::string detail;
};

struct Options {
  std::string base_url = "https://graph.microsoft.com";  // no trailing slash
  std::string version = "v1.0";                          // or "beta"
  std::string token{};                                   // sent as "Authorization: Bearer <token>" to Graph only

  // Seeds client-request-ids and back-off jitter; unset draws one from
  // std::random_device, so two runs do not send the same request ids.
  std::optional<std::uint64_t> seed{};
  // Null means SteadyClock.
  std::shared_ptr<Clock> clock{};

  // Requests made per call before a retryable failure is final (export,
  // each poll, manifest, each blob). A blob request that received bytes
  // before breaking off does not count: it made progress.
  int max_attempts = 5;
  // Back-off when no Retry-After says how long: see Backoff.
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_cap{60'000};
  // How long wait_for_completion may take in all, retries included.
  std::chrono::milliseconds completion_timeout{std::chrono::hours(1)};

  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{60'000};

  // https: a PEM bundle of CAs to trust instead of the system's, and whether
  // to check the server's certificate at all (off only for self-signed test
  // certificates).
  std::string ca_cert_file{};
  bool verify_certificate = true;

  std::function<void(const Event&)> on_event{};
};

using RowHandler = std::function<void(const nlohmann::json& row)>;

class BillingClient {
 public:
  explicit BillingClient(Options options);
  ~BillingClient();
  BillingClient(const BillingClient&) = delete;
  BillingClient& operator=(const BillingClient&) = delete;

  // POSTs the export and returns the operation's absolute URL (the 202's
  // Location, resolved against the request URL when relative).
  std::string start_export(const ExportRequest& request);

  // Polls the operation until it succeeds and returns its manifest, read
  // inline from resourceLocation or fetched from its navigation link.
  // Throws OperationFailedError if it failed, TimeoutError if it would not
  // finish within Options::completion_timeout.
  Manifest wait_for_completion(const std::string& operation_url);

  // Downloads one blob (no Authorization header: the SAS is the credential),
  // gunzips it as it arrives and hands each JSON Lines row to `on_row`.
  // Returns the number of rows. An exception from `on_row` stops the
  // download and propagates.
  std::uint64_t download_blob(const Manifest& manifest, std::size_t index, const RowHandler& on_row);

  // Every blob of the manifest, in order; returns the number of rows.
  std::uint64_t download_rows(const Manifest& manifest, const RowHandler& on_row);

  // start_export, wait_for_completion and download_rows in one call.
  std::uint64_t export_rows(const ExportRequest& request, const RowHandler& on_row);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphfake::client
