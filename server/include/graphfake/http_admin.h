#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graphfake/admin.h"

namespace graphfake {

struct HttpAdminOptions {
  // The fake's --admin-token (Options::admin_token), sent as
  // "Authorization: Bearer …"; empty when it was started without one.
  std::string admin_token{};
  // For an https base URL: the PEM file of the certificate authority to
  // trust, e.g. the one --tls made (Server::tls_ca_file()). Empty: the
  // system's authorities.
  std::string ca_file{};
  // How long one admin call may take, connecting included.
  std::chrono::milliseconds timeout{30'000};
};

// The Admin of a fake reached over HTTP: the graphfake binary a CI job
// started, or a Server in another process. Each call is one request (or,
// for journal() and operations(), one per page) to the admin API under
// `base_url`/_graphfake/ (docs/admin-api.md); a namespace's base URL
// (".../_ns/shard-1") reaches that namespace.
//
//   graphfake::HttpAdmin admin("http://127.0.0.1:8080");
//   admin.load_scenarios({{"slow.json", text}},
//   graphfake::Admin::Load::replace); EXPECT_CLIENT_BEHAVED(admin);  //
//   graphfake/testing.h
//
// An error answer throws what LocalAdmin throws for the same call: AdminError
// with the answer's status, code and message, or ScenarioError with every
// error of an invalid scenario file. A fake that cannot be reached, or an
// answer that is not the admin API's, throws std::runtime_error naming the
// URL. Calls may be made from several threads; they are sent one at a time.
//
// journal() and operations() read page after page: entries dropped, or
// operations evicted, between two pages shift the ones after them. Times
// come as the admin API writes them, to the millisecond. A 503 with
// Retry-After (the fake busy sending other listings) is sent again after
// it, within the timeout.
class HttpAdmin final : public Admin {
 public:
  explicit HttpAdmin(std::string base_url, std::string admin_token = {});
  HttpAdmin(std::string base_url, HttpAdminOptions options);
  ~HttpAdmin() override;
  HttpAdmin(HttpAdmin&&) noexcept;
  HttpAdmin& operator=(HttpAdmin&&) noexcept;

  const std::string& base_url() const;

  void reset() override;
  std::vector<ScenarioFileInfo> scenarios() const override;
  void load_scenarios(const std::vector<ScenarioSource>& sources, Load how) override;
  void load_scenario_files(const std::vector<std::string>& paths, Load how) override;
  TimePoint now() const override;
  void advance_clock(std::chrono::milliseconds by) override;
  void set_clock(TimePoint to) override;
  std::vector<OperationInfo> operations() const override;
  OperationPage operations_page(Page page = {}) const override;
  OperationInfo operation(const std::string& id) const override;
  OperationInfo force(const std::string& id, const PhaseOrder& order) override;
  ExportTotals expected_totals(const std::string& operation_id) const override;
  std::vector<JournalEntry> journal(const JournalQuery& query = {}) const override;
  JournalPage journal_page(const JournalQuery& query = {}, Page page = {}) const override;
  std::size_t count(const JournalQuery& query = {}) const override;
  std::uint64_t journal_dropped() const override;
  ClientReport client_report() const override;
  std::string report_html() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphfake
