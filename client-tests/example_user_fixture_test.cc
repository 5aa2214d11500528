// The example to copy first: a user's own GoogleTest fixture that starts the
// fake in-process with a scenario file, points the code under test at it,
// and asserts on how that code copes. Only the public API is used:
// graphfake/server.h, graphfake/token.h and the GoogleTest helpers of
// graphfake/testing.h (link graphfake::testing).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "graphfake/server.h"
#include "graphfake/testing.h"
#include "graphfake/token.h"

namespace {

using Json = nlohmann::json;

// Stands in for the user's code under test: it exports an invoice's
// reconciliation data and counts the rows, retrying throttled exports.
class InvoiceRowCounter {
 public:
  InvoiceRowCounter(std::string graph_base_url, std::string token)
      : graph_(graph_base_url), base_url_(std::move(graph_base_url)), token_(std::move(token)) {}

  int export_attempts() const { return attempts_; }

  std::size_t count_rows(const std::string& invoice_id) {
    const httplib::Headers auth{{"Authorization", "Bearer " + token_}};
    const std::string body = Json{{"invoiceId", invoice_id}, {"attributeSet", "basic"}}.dump();
    std::string location;
    while (location.empty()) {
      if (++attempts_ > 5) throw std::runtime_error("export throttled 5 times");
      auto accepted = graph_.Post("/v1.0/reports/partners/billing/reconciliation/billed/export", auth, body,
                                  "application/json");
      if (!accepted || (accepted->status != 202 && accepted->status != 429)) throw std::runtime_error("export refused");
      location = accepted->get_header_value("Location");
    }
    const std::string operation = location.substr(base_url_.size());
    Json done;
    for (int poll = 0; poll < 100 && done.is_null(); ++poll) {
      const Json body = Json::parse(graph_.Get(operation, auth)->body);
      if (body["status"] == "succeeded") done = body;
    }
    const Json& manifest = done.at("resourceLocation");
    std::size_t rows = 0;
    for (const auto& blob : manifest["blobs"]) {
      const std::string url = manifest["rootDirectory"].get<std::string>() + "/" + blob["name"].get<std::string>() +
                              "?" + manifest["sasToken"].get<std::string>();
      const std::string text = gunzip(graph_.Get(url.substr(base_url_.size()))->body);
      rows += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    }
    return rows;
  }

 private:
  static std::string gunzip(const std::string& bytes) {
    z_stream stream{};
    inflateInit2(&stream, 15 + 16);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    std::string out;
    char buffer[16384];
    int status = Z_OK;
    while (status == Z_OK) {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof buffer;
      status = inflate(&stream, Z_NO_FLUSH);
      out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    return out;
  }

  httplib::Client graph_;
  std::string base_url_;
  std::string token_;
  int attempts_ = 0;
};

// The fixture: one fake per test, following a scenario from the library,
// on a clock that moves by every Retry-After it advertises (so nothing
// sleeps).
class InvoiceRowCounterTest : public ::testing::Test {
 protected:
  void start_fake(const std::string& scenario_file) {
    graphfake::Options options;
    options.scenario_paths = {(scenarios_dir() / scenario_file).string()};
    options.clock = std::make_shared<graphfake::VirtualClock>(graphfake::VirtualClock::default_start(),
                                                              graphfake::VirtualClock::Mode::auto_advance);
    fake_ = std::make_unique<graphfake::Server>(options);
  }

  InvoiceRowCounter counter() const { return InvoiceRowCounter(fake_->base_url(), graphfake::make_token()); }

  static std::filesystem::path scenarios_dir() {
    return std::filesystem::path(__FILE__).parent_path().parent_path() / "scenarios";
  }

  std::unique_ptr<graphfake::Server> fake_;
};

TEST_F(InvoiceRowCounterTest, RetriesAThrottledExportUntilItIsAccepted) {
  start_fake("throttled-export.json");  // the first two attempts get 429
  auto under_test = counter();
  under_test.count_rows("G016907411");
  EXPECT_EQ(under_test.export_attempts(), 3);
  // What the fake saw: two throttled exports, and a client that waited out
  // every Retry-After before trying again.
  using namespace graphfake::gtest;
  EXPECT_THAT(fake_->admin().journal(), ::testing::Contains(::testing::AllOf(IsExport(), HasStatus(429))).Times(2));
  EXPECT_CLIENT_HONOURED_RETRY_AFTER(*fake_);
}

TEST_F(InvoiceRowCounterTest, CountsTheRowsOfEveryBlob) {
  start_fake("multi-blob-large.json");  // 20 000 rows in 8 blobs
  EXPECT_EQ(counter().count_rows("G016907411"), 20000u);
}

}  // namespace
