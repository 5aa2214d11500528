// The graphfake binary as CI runs it: a child process, its ready line, the
// flow over HTTP, then SIGTERM.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/child_process.h"
#include "support/http_support.h"
#include "support/raw_socket.h"
#include "support/temp_files.h"

namespace graphfake::testing {
namespace {

TEST(Binary, ReadyLine_IsJsonWithBaseUrlPortAndToken) {
  Child child({"--port", "0"});
  const auto ready = Json::parse(child.read_line());
  EXPECT_EQ(ready["event"], "ready");
  EXPECT_EQ(ready["base_url"], "http://127.0.0.1:" + std::to_string(ready["port"].get<int>()));
  EXPECT_FALSE(ready["token"].get<std::string>().empty());
}

TEST(Binary, WalksTheWholeFlowThenExitsCleanlyOnSigterm) {
  Child child({"--port", "0", "--seed", "3"});
  const auto ready = Json::parse(child.read_line());
  const std::string base_url = ready["base_url"];
  const httplib::Headers auth{{"Authorization", "Bearer " + ready["token"].get<std::string>()}};
  httplib::Client client(base_url);

  auto accepted = client.Post(kBilledExportPath, auth, R"({"invoiceId":"G016907411"})", "application/json");
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202);
  const auto operation_path = path_on(base_url, accepted->get_header_value("Location"));
  Json operation = Json::object();
  for (int poll = 0; poll < 10 && operation.value("status", "") != "succeeded"; ++poll) {
    operation = Json::parse(client.Get(operation_path.c_str(), auth)->body);
  }
  ASSERT_EQ(operation["status"], "succeeded");
  const auto& manifest = operation["resourceLocation"];
  const auto blob_path = path_on(base_url, blob_url(manifest, 0));
  auto blob = client.Get(blob_path.c_str());
  ASSERT_TRUE(blob);
  ASSERT_EQ(blob->status, 200);
  EXPECT_FALSE(json_lines(gunzip(blob->body)).empty());

  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(), 0);
}

// A poll held by a ten-minute scripted delay, a client that stops reading a
// large blob and idle keep-alive connections: SIGTERM still ends the
// process (were it to wait for any of them, ctest's timeout would fail this
// test) and the report is written.
TEST(Binary, Sigterm_StopsWhateverItsRequestsAreDoingAndWritesTheReport) {
  const TempDir dir;
  write_text(dir.file("held.json"), R"({"rules": [{"name": "held",
    "timeline": [{"status": "succeeded", "rows": 50000, "blobs": 1}],
    "faults": [{"on": "poll", "polls": [2], "delay": "10m"}]}]})");
  const auto report = dir.file("report.json");
  Child child({"--scenario", dir.file("held.json"), "--report", report});
  const auto ready = Json::parse(child.read_line());
  const std::string base_url = ready["base_url"];
  const std::uint16_t port = ready["port"];
  const httplib::Headers auth{{"Authorization", "Bearer " + ready["token"].get<std::string>()}};
  httplib::Client client(base_url);
  const auto location = client.Post(kBilledExportPath, auth, R"({"invoiceId":"G016907411"})", "application/json")
                            ->get_header_value("Location");
  const auto operation = Json::parse(client.Get(path_on(base_url, location), auth)->body);
  ASSERT_EQ(operation["status"], "succeeded");

  RawSocket not_reading(port, 4096);
  ASSERT_TRUE(not_reading.send("GET " + path_on(base_url, blob_url(operation["resourceLocation"], 0)) +
                               " HTTP/1.1\r\nHost: fake\r\n\r\n"));
  RawSocket held(port);
  ASSERT_TRUE(held.send("GET " + path_on(base_url, location) + " HTTP/1.1\r\nHost: fake\r\nAuthorization: " +
                        auth.begin()->second + "\r\n\r\n"));
  std::vector<std::unique_ptr<RawSocket>> idle;
  for (int i = 0; i < 50; ++i) idle.push_back(std::make_unique<RawSocket>(port));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // every request is under way

  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(), 0);
  std::ifstream written(report);
  const auto document = Json::parse(written);
  EXPECT_EQ(document["default"]["operations"].size(), 1u);
}

TEST(Binary, Sigint_AlsoExitsCleanly) {
  Child child({});
  ASSERT_FALSE(child.read_line().empty());
  child.signal(SIGINT);
  EXPECT_EQ(child.wait(), 0);
}

TEST(Binary, PortFile_HoldsThePortOnceReady) {
  const auto path = std::filesystem::temp_directory_path() / ("graphfake-port-" + std::to_string(getpid()));
  std::filesystem::remove(path);
  Child child({"--port-file", path.string()});
  const auto ready = Json::parse(child.read_line());
  std::ifstream file(path);
  int port = 0;
  file >> port;
  EXPECT_EQ(port, ready["port"].get<int>());
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(), 0);
  std::filesystem::remove(path);
}

TEST(Binary, ConfiguredToken_IsTheOnePrintedAndAccepted) {
  Child child({"--token", "ci-secret"});
  const auto ready = Json::parse(child.read_line());
  EXPECT_EQ(ready["token"], "ci-secret");
  httplib::Client client(ready["base_url"].get<std::string>());
  auto result = client.Post(kBilledExportPath, {{"Authorization", "Bearer ci-secret"}}, R"({"invoiceId":"G1"})",
                            "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
}

TEST(Binary, UnknownOption_ExitsWith2AndSaysWhy) {
  Child child({"--prot", "8080"});
  EXPECT_EQ(child.wait(), 2);
  EXPECT_NE(child.read_stderr().find("unknown option '--prot'"), std::string::npos);
}

TEST(Binary, InvalidPort_ExitsWith2AndSaysWhy) {
  Child child({"--port", "70000"});
  EXPECT_EQ(child.wait(), 2);
  EXPECT_NE(child.read_stderr().find("--port"), std::string::npos);
}

TEST(Binary, BusyPort_ExitsWith1NamingTheAddress) {
  Server occupant;
  Child child({"--port", std::to_string(occupant.port())});
  EXPECT_EQ(child.wait(), 1);
  EXPECT_NE(child.read_stderr().find("127.0.0.1:" + std::to_string(occupant.port())), std::string::npos);
}

// A scenario file in the temp directory, removed with the object.
class TempScenario {
 public:
  explicit TempScenario(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("graphfake-binary-" + std::to_string(getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json")) {
    std::ofstream(path_) << text;
  }
  ~TempScenario() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// POSTs an export and returns the path of its operation.
std::string export_path(httplib::Client& client, const httplib::Headers& auth, const std::string& base_url) {
  return path_on(base_url, client.Post(kBilledExportPath, auth, R"({"invoiceId":"G1"})", "application/json")
                               ->get_header_value("Location"));
}

std::string poll_status(httplib::Client& client, const httplib::Headers& auth, const std::string& path) {
  return Json::parse(client.Get(path.c_str(), auth)->body)["status"];
}

TEST(Binary, Scenario_DecidesTheTimeline) {
  const TempScenario scenario(R"({"rules": [{ "timeline": [
    { "status": "failed", "error": { "code": "5000", "message": "No data available" } } ] }]})");
  Child child({"--scenario", scenario.path()});
  const auto ready = Json::parse(child.read_line());
  httplib::Client client(ready["base_url"].get<std::string>());
  const httplib::Headers auth{{"Authorization", "Bearer " + ready["token"].get<std::string>()}};
  const auto location =
      client.Post(kBilledExportPath, auth, R"({"invoiceId":"G1"})", "application/json")->get_header_value("Location");
  EXPECT_EQ(poll_status(client, auth, path_on(ready["base_url"].get<std::string>(), location)), "failed");
}

TEST(Binary, AutoClock_CompletesMinutesOfPhasesInImmediatePolls) {
  const TempScenario scenario(R"({"rules": [{ "timeline": [
    { "status": "running", "after": "10m", "retryAfter": "5m" }, { "status": "succeeded" } ] }]})");
  Child child({"--scenario", scenario.path(), "--clock", "auto"});
  const auto ready = Json::parse(child.read_line());
  const std::string base_url = ready["base_url"];
  httplib::Client client(base_url);
  const httplib::Headers auth{{"Authorization", "Bearer " + ready["token"].get<std::string>()}};
  const auto path = export_path(client, auth, base_url);
  EXPECT_EQ(poll_status(client, auth, path), "running");
  EXPECT_EQ(poll_status(client, auth, path), "running");
  EXPECT_EQ(poll_status(client, auth, path), "succeeded");
}

TEST(Binary, VirtualClock_StartsWhereToldAndStaysThere) {
  Child child({"--clock", "virtual", "--clock-start", "2024-10-08T00:57:30Z"});
  const auto ready = Json::parse(child.read_line());
  const std::string base_url = ready["base_url"];
  httplib::Client client(base_url);
  const httplib::Headers auth{{"Authorization", "Bearer " + ready["token"].get<std::string>()}};
  const auto path = export_path(client, auth, base_url);
  const auto operation = Json::parse(client.Get(path.c_str(), auth)->body);
  EXPECT_EQ(operation["createdDateTime"], "2024-10-08T00:57:30.000Z");
  EXPECT_EQ(operation["lastActionDateTime"], "2024-10-08T00:57:30.000Z");
}

TEST(Binary, BrokenScenario_ExitsWith1ListingEveryError) {
  const TempScenario scenario(R"({"rules": [{ "timeline": [ { "status": "running", "after": 30 } ] }], "extra": 1})");
  Child child({"--scenario", scenario.path()});
  EXPECT_EQ(child.wait(), 1);
  const auto errors = child.read_stderr();
  EXPECT_NE(errors.find(scenario.path() + ": /rules/0/timeline/0/after: expected a duration like \"30s\", got 30"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find(scenario.path() + ": /extra: unknown property"), std::string::npos) << errors;
}

TEST(Binary, Check_ValidFile_Exits0) {
  const TempScenario scenario(R"({"rules": [{ "match": { "invoiceId": "G1" } }]})");
  Child child({"--check", scenario.path()});
  EXPECT_EQ(child.wait(), 0);
}

TEST(Binary, Check_InvalidFile_Exits1NamingFilePointerAndReason) {
  const TempScenario scenario(R"({"rules": [{ "match": { "colour": "blue" } }]})");
  Child child({"--check", scenario.path()});
  EXPECT_EQ(child.wait(), 1);
  EXPECT_NE(child.read_stderr().find(scenario.path() + ": /rules/0/match/colour: unknown property"), std::string::npos);
}

TEST(Binary, Check_FileNestedTooDeep_Exits1NamingFilePointerAndReason) {
  const TempScenario scenario(R"({"rules": )" + std::string(100'000, '[') + std::string(100'000, ']') + "}");
  Child child({"--check", scenario.path()});
  EXPECT_EQ(child.wait(), 1);
  const auto errors = child.read_stderr();
  EXPECT_NE(errors.find(scenario.path() + ": /: not valid JSON: the JSON is nested deeper than 256 levels"),
            std::string::npos)
      << errors;
}

TEST(Binary, Check_RegexOfTwentyThousandNestedGroups_Exits1NamingFilePointerAndReason) {
  const TempScenario scenario(R"({"rules": [{"match": {"invoiceId": {"regex": ")" + std::string(20'000, '(') + "a" +
                              std::string(20'000, ')') + R"("}}}]})");
  Child child({"--check", scenario.path()});
  EXPECT_EQ(child.wait(), 1);
  const auto errors = child.read_stderr();
  EXPECT_NE(errors.find(scenario.path() + ": /rules/0/match/invoiceId/regex: a regular expression is at most 1024 "
                                          "characters, got 40001"),
            std::string::npos)
      << errors;
}

TEST(Binary, Help_ListsTheOptionsAndExits0) {
  Child child({"--help"});
  const auto first_line = child.read_line();
  EXPECT_EQ(child.wait(), 0);
  EXPECT_NE(first_line.find("Usage: graphfake"), std::string::npos);
}

}  // namespace
}  // namespace graphfake::testing
