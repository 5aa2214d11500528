#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "graphfake/server.h"
#include "graphfake/token.h"

namespace graphfake::testing {

using Json = nlohmann::ordered_json;

std::string gunzip(std::string_view compressed);
std::vector<Json> json_lines(std::string_view text);

// The path and query of an absolute URL on `origin`; fails the test if the
// URL is on another origin.
std::string path_on(std::string_view origin, std::string_view url);

// rootDirectory + "/" + name + "?" + sasToken: the URL a client downloads a
// manifest's blob from.
std::string blob_url(const Json& manifest, std::size_t index = 0);

inline constexpr const char* kBilledExportPath = "/v1.0/reports/partners/billing/reconciliation/billed/export";

// The operation id a Location ends with.
inline std::string operation_id_of(const std::string& location) { return location.substr(location.rfind('/') + 1); }

// A client-request-id for tests of a well-behaved client.
inline constexpr const char* kClientRequestId = "7d3f1c2a-9b4e-4c6d-8e2f-0a1b2c3d4e5f";

// Two polls of running, each told to wait 30 s, then succeeded.
inline constexpr const char* kTwoSlowPolls = R"({"rules": [{"name": "two slow polls", "timeline": [
  {"status": "running", "polls": 2, "retryAfter": "30s"},
  {"status": "succeeded", "rows": 10}]}]})";

// The same, but an early poll is answered 429 instead of served.
inline constexpr const char* kTwoSlowPollsThrottled = R"({"rules": [{"name": "strict", "earlyPolls": "throttle",
  "timeline": [
  {"status": "running", "polls": 2, "retryAfter": "30s"},
  {"status": "succeeded", "rows": 10}]}]})";

// A fake on an ephemeral port with a virtual clock, and a client for it.
class FakeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Override to configure the fake before it starts.
  virtual Options options();

  httplib::Headers auth_headers(httplib::Headers extra = {}) const;

  httplib::Result post_json(const std::string& path, const std::string& body,
                            httplib::Headers extra = {});
  // `url` may be absolute on the fake's origin, or a path.
  httplib::Result get(const std::string& url, httplib::Headers extra = {});
  httplib::Result get_unauthenticated(const std::string& url, httplib::Headers extra = {});

  // POSTs a billed-reconciliation export and returns its Location.
  std::string start_export(const std::string& invoice_id = "G016907411",
                           const std::string& attribute_set = "full");
  // Polls until succeeded or failed (bounded) and returns the final body.
  Json poll_to_completion(const std::string& location);

  std::shared_ptr<VirtualClock> clock_ = std::make_shared<VirtualClock>();
  std::unique_ptr<Server> fake_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_ = make_token();
};

}  // namespace graphfake::testing
