// The wire format of the admin API under /_graphfake/ (docs/admin-api.md),
// asserted through raw HTTP: JSON member names and shapes, status and error
// codes, headers (Allow, WWW-Authenticate), paging links, the validation of
// bodies and query parameters and its messages, the admin token, scenario
// paths and the scenario root, namespace names, HEAD, requests httplib's
// client never sends, and the walk a test written only against HTTP takes.
// What the admin surface does, as opposed to how it is said on the wire, is
// in admin_test.cc, which holds both implementations of graphfake::Admin
// (LocalAdmin and HttpAdmin) to it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "support/http_support.h"
#include "support/temp_files.h"
#include "support/test_values.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kTwoMinutesRule = R"({"rules": [{"name": "two minutes", "timeline": [
  {"status": "running", "after": "2m", "retryAfter": "30s"},
  {"status": "succeeded", "rows": 10}]}]})";

// A request written byte for byte, for what httplib's client never sends.
struct RawAnswer {
  int status = 0;
  std::string body;
};

RawAnswer raw_request(std::uint16_t port, const std::string& request) {
  RawAnswer answer;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return answer;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    std::string received;
    char buffer[4096];
    // Read up to the end of the body its Content-Length announces: the
    // server may keep the connection open whatever the request said.
    std::size_t complete = std::string::npos;
    while (complete == std::string::npos || received.size() < complete) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
      const auto head_end = received.find("\r\n\r\n");
      if (complete == std::string::npos && head_end != std::string::npos) {
        std::string head = received.substr(0, head_end);
        std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
        const auto length_at = head.find("\r\ncontent-length:");
        const std::size_t length =
            length_at == std::string::npos ? 0 : std::stoul(head.substr(length_at + 17, head.find("\r\n", length_at + 2)));
        complete = head_end + 4 + length;
      }
    }
    if (received.rfind("HTTP/1.1 ", 0) == 0) answer.status = std::stoi(received.substr(9, 3));
    const auto body = received.find("\r\n\r\n");
    if (body != std::string::npos) answer.body = received.substr(body + 4);
  }
  ::close(fd);
  return answer;
}

class AdminHttp : public FakeTest {
 protected:
  // Admin requests carry no Graph token: the admin API does not ask for one.
  httplib::Result admin_get(const std::string& path, httplib::Headers headers = {}) {
    return client_->Get(("/_graphfake" + path).c_str(), headers);
  }
  httplib::Result admin_post(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return client_->Post(("/_graphfake" + path).c_str(), headers, body, "application/json");
  }
  httplib::Result admin_put(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return client_->Put(("/_graphfake" + path).c_str(), headers, body, "application/json");
  }

  // The body of a 200 answer, as JSON.
  static Json ok(const httplib::Result& result) {
    if (!result) {
      ADD_FAILURE() << "no response";
      return {};
    }
    EXPECT_EQ(result->status, 200) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    return Json::parse(result->body);
  }

  // The error of an error answer, checked for its envelope.
  static Json error_of(const httplib::Result& result, int status, const std::string& code) {
    if (!result) {
      ADD_FAILURE() << "no response";
      return {};
    }
    EXPECT_EQ(result->status, status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    if (!Json::accept(result->body)) {
      ADD_FAILURE() << "not JSON: " << result->body;
      return {};
    }
    const auto body = Json::parse(result->body);
    EXPECT_EQ(body.size(), 1u) << body;
    const auto& error = body.value("error", Json::object());
    EXPECT_EQ(error.value("code", ""), code) << body;
    EXPECT_TRUE(error.contains("message") && error["message"].is_string() && !error["message"].empty()) << body;
    return error;
  }

  std::string load(const std::string& method, const std::string& name, const std::string& rule_json) {
    const auto body = Json{{"files", Json::array({Json{{"name", name}, {"content", Json::parse(rule_json)}}})}}.dump();
    auto result = method == "PUT" ? admin_put("/scenarios", body) : admin_post("/scenarios", body);
    return result ? result->body : std::string();
  }

  Json journal(const std::string& query = "") { return ok(admin_get("/journal" + query)); }

  TempDir dir_;
};

// Started with --scenario-root: {"paths": [...]} loads files inside dir_.
class AdminHttpWithScenarioRoot : public AdminHttp {
 protected:
  Options options() override {
    auto options = AdminHttp::options();
    options.scenario_root = dir_.path().string();
    return options;
  }
};

class AdminHttpOnTheSystemClock : public AdminHttp {
 protected:
  Options options() override { return Options{}; }
};

class AdminHttpWithToken : public AdminHttp {
 protected:
  Options options() override {
    auto options = AdminHttp::options();
    options.admin_token = "admin-secret";
    return options;
  }
  static httplib::Headers admin_auth() { return {{"Authorization", "Bearer admin-secret"}}; }
};

class AdminHttpWithSmallJournal : public AdminHttp {
 protected:
  Options options() override {
    auto options = AdminHttp::options();
    options.journal_capacity = 2;
    return options;
  }
};

// --- health and reset ---------------------------------------------------------------

TEST_F(AdminHttp, Health_AnswersReadyWithTheClocksTime) {
  const auto body = ok(admin_get("/health"));
  EXPECT_EQ(body, (Json{{"status", "ready"}, {"now", "2025-01-01T00:00:00.000Z"}}));
}

TEST_F(AdminHttp, Health_AnswersHeadAsItAnswersGet) {
  auto result = client_->Head("/_graphfake/health");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_TRUE(result->body.empty());
}

TEST_F(AdminHttp, Reset_AnswersResetWithTheRewoundClocksTime) {
  start_export();
  clock_->advance(1h);
  EXPECT_EQ(ok(admin_post("/reset", "{}")), (Json{{"reset", true}, {"now", "2025-01-01T00:00:00.000Z"}}));
}

TEST_F(AdminHttp, Reset_WithAnEmptyBodyIsServed) {
  EXPECT_EQ(ok(admin_post("/reset", ""))["reset"], true);
}

// httplib waits out its 5 s read timeout for the body of a POST without
// Content-Length and refuses it before routing; the admin API must still
// answer in its own format, say what to do, and not log a Graph request.
// What `curl -X POST URL` sends: no Content-Length, which HTTP/1.1 reads as
// an empty body (RFC 9112, section 6.3).
TEST_F(AdminHttp, PostWithoutContentLength_IsServedAsAnEmptyBody) {
  start_export();
  const auto answer = raw_request(fake_->port(), "POST /_graphfake/reset HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                 "Accept: */*\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(ok(admin_get("/operations"))["operations"], Json::array());
}

// --- scenarios ----------------------------------------------------------------------

TEST_F(AdminHttp, Scenarios_PostAppendsFilesGivenAsJsonAndAnswersTheListing) {
  load("POST", "fails.json", kFailsRule);
  auto result = admin_post("/scenarios", Json{{"files", Json::array({Json{{"name", "slow.json"},
                                                                          {"content", Json::parse(kTwoMinutesRule)}}})}}
                                             .dump());
  const auto expected = Json{{"files", Json::array({Json{{"name", "fails.json"}, {"rules", Json::array({"fails"})}},
                                                    Json{{"name", "slow.json"}, {"rules", Json::array({"two minutes"})}}})}};
  EXPECT_EQ(ok(result), expected);
  EXPECT_EQ(ok(admin_get("/scenarios")), expected);
}

TEST_F(AdminHttp, Scenarios_PutReplacesWithFilesGivenAsText) {
  load("POST", "fails.json", kFailsRule);
  auto result = admin_put("/scenarios", Json{{"files", Json::array({Json{{"name", "slow.json"},
                                                                         {"content", kTwoMinutesRule}}})}}
                                            .dump());
  EXPECT_EQ(ok(result)["files"], Json::array({Json{{"name", "slow.json"}, {"rules", Json::array({"two minutes"})}}}));
}

TEST_F(AdminHttp, Scenarios_PathsAre403ByDefaultAlikeForAFileThatExistsAndOneThatDoesNot) {
  std::ofstream(dir_.file("secret.json")) << kFailsRule;
  const auto existing = admin_put("/scenarios", Json{{"paths", Json::array({dir_.file("secret.json")})}}.dump());
  const auto missing = admin_put("/scenarios", Json{{"paths", Json::array({dir_.file("missing.json")})}}.dump());
  error_of(existing, 403, "scenarioPathsDisabled");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, existing->status);
  EXPECT_EQ(missing->body, existing->body);
  EXPECT_EQ(existing->body.find("secret"), std::string::npos) << existing->body;
  EXPECT_EQ(ok(admin_get("/scenarios"))["files"], Json::array());
}

TEST_F(AdminHttpWithScenarioRoot, Scenarios_AnAbsolutePathInsideTheScenarioRootLoads) {
  std::ofstream(dir_.file("fails.json")) << kFailsRule;
  auto result = admin_put("/scenarios", Json{{"paths", Json::array({dir_.file("fails.json")})}}.dump());
  EXPECT_EQ(ok(result)["files"][0]["name"], dir_.file("fails.json"));
}

TEST_F(AdminHttpWithScenarioRoot, Scenarios_APathRelativeToTheScenarioRootLoads) {
  std::ofstream(dir_.file("fails.json")) << kFailsRule;
  EXPECT_EQ(ok(admin_put("/scenarios", R"({"paths": ["fails.json"]})"))["files"][0]["name"], "fails.json");
}

TEST_F(AdminHttpWithScenarioRoot, Scenarios_APathLeadingOutOfTheScenarioRootIs403NamingNothing) {
  const auto result = admin_put("/scenarios", R"({"paths": ["../../etc/passwd"]})");
  error_of(result, 403, "scenarioPathOutsideRoot");
  EXPECT_EQ(result->body.find("passwd"), std::string::npos) << result->body;
}

TEST_F(AdminHttp, Scenarios_AnInvalidFileIs400InvalidScenarioWithEveryErrorInDetails) {
  auto result = admin_put("/scenarios", R"({"files": [
      {"name": "good.json", "content": {"rules": [{"name": "good"}]}},
      {"name": "bad.json", "content": {"rules": [{"timeline": [{"status": "running", "after": 30}, {"status": "succeeded"}]}],
                                       "colour": "red"}}]})");
  const auto error = error_of(result, 400, "invalidScenario");
  ASSERT_TRUE(error.contains("details") && error["details"].is_array()) << error;
  EXPECT_EQ(error["details"].size(), 2u) << error;
  for (const auto& line : error["details"]) EXPECT_TRUE(line.is_string()) << line;
}

TEST_F(AdminHttpWithScenarioRoot, Scenarios_AMissingPathIs400InvalidScenarioWithTheErrorInDetails) {
  const auto missing = dir_.file("missing.json");
  const auto error = error_of(admin_post("/scenarios", Json{{"paths", Json::array({missing})}}.dump()), 400,
                              "invalidScenario");
  ASSERT_TRUE(error["details"].is_array()) << error;
  EXPECT_EQ(error["details"].size(), 1u) << error;
}

TEST_F(AdminHttp, Scenarios_ContentTextThatIsNotJsonIs400InvalidScenarioNotBadRequest) {
  const auto error = error_of(admin_post("/scenarios", R"({"files": [{"name": "text.json", "content": "{not json"}]})"),
                              400, "invalidScenario");
  EXPECT_EQ(error["details"].size(), 1u) << error;
}

// Without a token: the admin API is open by default, so anyone may send it.
TEST_F(AdminHttp, Scenarios_ContentNestedAHundredThousandDeepIs400AndTheFakeAnswersOn) {
  const std::string nested = std::string(100'000, '[') + std::string(100'000, ']');
  for (const std::string& body : {R"({"files": [{"name": "deep.json", "content": )" + nested + "}]}",
                                  R"({"files": [{"name": "deep.json", "content": {"rules": )" + nested + "}}]}"}) {
    error_of(admin_post("/scenarios", body), 400, "badRequest");
  }
  EXPECT_EQ(ok(admin_get("/health"))["status"], "ready");
}

TEST_F(AdminHttp, Scenarios_BodiesThatAreNotALoadAre400) {
  for (const char* body : {"", "not json", "[]", R"({})", R"({"files": [], "paths": []})", R"({"files": {}})",
                           R"({"paths": "a.json"})", R"({"paths": [1]})", R"({"files": [{"name": "a.json"}]})",
                           R"({"files": [{"content": {}}]})", R"({"files": [], "extra": 1})"}) {
    SCOPED_TRACE(body);
    error_of(admin_post("/scenarios", body), 400, "badRequest");
    error_of(admin_put("/scenarios", body), 400, "badRequest");
  }
  EXPECT_EQ(ok(admin_get("/scenarios"))["files"], Json::array());
}

// --- the clock ----------------------------------------------------------------------

TEST_F(AdminHttp, Clock_AdvanceAnswersTheNewTime) {
  EXPECT_EQ(ok(admin_post("/clock/advance", R"({"by": "90s"})")), (Json{{"now", "2025-01-01T00:01:30.000Z"}}));
}

TEST_F(AdminHttp, Clock_AdvanceTakesEveryUnit) {
  ok(admin_post("/clock/advance", R"({"by": "250ms"})"));
  ok(admin_post("/clock/advance", R"({"by": "1s"})"));
  ok(admin_post("/clock/advance", R"({"by": "2m"})"));
  EXPECT_EQ(ok(admin_post("/clock/advance", R"({"by": "3h"})"))["now"], "2025-01-01T03:02:01.250Z");
}

TEST_F(AdminHttp, Clock_AdvanceWithoutAGoodDurationIs400) {
  for (const char* body : {R"({"by": "90"})", R"({"by": "-5s"})", R"({"by": "1.5m"})", R"({"by": "2d"})",
                           R"({"by": 90})", R"({})", "90s", ""}) {
    SCOPED_TRACE(body);
    error_of(admin_post("/clock/advance", body), 400, "badRequest");
  }
  EXPECT_EQ(clock_->now(), VirtualClock::default_start());
}

TEST_F(AdminHttp, Clock_PutWithoutAGoodTimeIs400) {
  for (const char* body : {R"({"now": "2025-01-01"})", R"({"now": "2025-13-01T00:00:00Z"})",
                           R"({"now": "2025-01-01T00:00:00+01:00"})", R"({"now": 0})", R"({})", "now"}) {
    SCOPED_TRACE(body);
    error_of(admin_put("/clock", body), 400, "badRequest");
  }
  EXPECT_EQ(clock_->now(), VirtualClock::default_start());
}

// The clock counts nanoseconds in 64 bits: a time past 2262-04-11 once
// overflowed the conversion and wrapped the clock to 1816.
TEST_F(AdminHttp, Clock_PutToATimeTheClockCannotHoldIs400NotAWrappedClock) {
  auto result = admin_put("/clock", R"({"now": "9999-12-31T23:59:59Z"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400) << result->body;
  EXPECT_GE(clock_->now(), VirtualClock::default_start());
}

// Each advance is checked against a year, but not the time it lands on:
// from 2200 (the latest a PUT accepts) sixty-three years' advances pass
// 2262-04-11, where the 64-bit nanosecond count wraps to 1677.
TEST_F(AdminHttp, Clock_AdvancesThatTogetherPassWhatTheClockCanCountAreRefused) {
  ok(admin_put("/clock", R"({"now": "2200-01-01T00:00:00Z"})"));
  auto previous = clock_->now();
  for (int year = 0; year < 70; ++year) {
    auto result = admin_post("/clock/advance", R"({"by": "8784h"})");
    ASSERT_TRUE(result);
    if (result->status != 200) {
      error_of(result, 400, "badClockMove");
      break;
    }
    ASSERT_GT(clock_->now(), previous) << "the clock wrapped after " << year + 1 << " advances: " << result->body;
    previous = clock_->now();
  }
  EXPECT_EQ(clock_->now(), previous);
}

// --- operations ---------------------------------------------------------------------

TEST_F(AdminHttp, Operations_ListIsEmptyAtFirst) {
  EXPECT_EQ(ok(admin_get("/operations")), (Json{{"operations", Json::array()}, {"total", 0}, {"evicted", 0}}));
}

TEST_F(AdminHttp, Operations_APageLinksTheNextWithItsTopAndSkip) {
  for (int i = 0; i < 5; ++i) start_export();
  const auto page = ok(admin_get("/operations?$top=2&$skip=1"));
  EXPECT_EQ(page["operations"].size(), 2u);
  EXPECT_EQ(page["total"], 5);
  EXPECT_EQ(page["@odata.nextLink"], fake_->base_url() + "/_graphfake/operations?$top=2&$skip=3");
  const auto last = ok(client_->Get(path_on(fake_->base_url(), page["@odata.nextLink"].get<std::string>()).c_str()));
  EXPECT_EQ(last["operations"].size(), 2u);
  EXPECT_FALSE(last.contains("@odata.nextLink")) << last;
}

TEST_F(AdminHttp, Operations_WithoutTopAPageHolds100AndLinksTheRest) {
  for (int i = 0; i < 101; ++i) start_export();
  const auto page = ok(admin_get("/operations"));
  EXPECT_EQ(page["operations"].size(), 100u);
  EXPECT_EQ(page["@odata.nextLink"], fake_->base_url() + "/_graphfake/operations?$top=100&$skip=100");
}

TEST_F(AdminHttp, Operations_APageOfNoneOrMoreThan1000OrNotANumberIs400) {
  for (const char* query : {"?$top=0", "?$top=1001", "?$top=ten", "?$skip=-1", "?$skip="}) {
    SCOPED_TRACE(query);
    error_of(admin_get(std::string("/operations") + query), 400, "badRequest");
  }
}

TEST_F(AdminHttp, Operations_ListsEachOperationInTheDocumentedShape) {
  load("POST", "slow.json", kTwoMinutesRule);
  start_export("G000000002");
  clock_->advance(1s);
  const auto second = operation_id_of(start_export("G000000001", "basic"));
  const auto operations = ok(admin_get("/operations"))["operations"];
  ASSERT_EQ(operations.size(), 2u);
  const auto expected = Json{{"id", second},
                             {"kind", "billedReconciliation"},
                             {"apiVersion", "v1.0"},
                             {"invoiceId", "G000000001"},
                             {"attributeSet", "basic"},
                             {"status", "running"},
                             {"phase", 0},
                             {"phaseCount", 2},
                             {"polls", 0},
                             {"createdDateTime", "2025-01-01T00:00:01.000Z"},
                             {"history", Json::array({Json{{"status", "running"},
                                                           {"enteredDateTime", "2025-01-01T00:00:01.000Z"}}})},
                             {"scenarioRule", "slow.json: two minutes"},
                             {"manifestId", ""}};
  EXPECT_EQ(operations[1], expected);
}

TEST_F(AdminHttp, Operations_GetOneAnswersTheObjectTheListingHolds) {
  const auto location = start_export();
  get(location);
  const auto operation = ok(admin_get("/operations/" + operation_id_of(location)));
  EXPECT_EQ(operation["id"], operation_id_of(location));
  EXPECT_EQ(ok(admin_get("/operations"))["operations"][0], operation);
}

TEST_F(AdminHttp, Totals_InTheDocumentedShapeWithSumsAsDecimalText) {
  const auto location = start_export();
  poll_to_completion(location);
  const auto totals = ok(admin_get("/operations/" + operation_id_of(location) + "/totals"));
  EXPECT_EQ(totals["operationId"], operation_id_of(location));
  EXPECT_EQ(totals["kind"], "billedReconciliation");
  EXPECT_EQ(totals["columns"], (Json{"Subtotal", "TaxTotal", "Total"}));
  EXPECT_EQ(totals["scale"], 2);
  EXPECT_EQ(totals["all"]["rows"], 250);
  ASSERT_EQ(totals["byCurrency"].size(), 1u);
  EXPECT_EQ(totals["byCurrency"][0]["rows"], 250);
  EXPECT_TRUE(totals["byCurrency"][0]["Total"].is_string()) << "sums are exact decimal text";
  EXPECT_EQ(totals["byCurrency"][0]["Total"], totals["all"]["Total"]);
  ASSERT_FALSE(totals["byCustomer"].empty());
  for (const auto& customer : totals["byCustomer"]) {
    EXPECT_TRUE(customer["customerName"].is_string()) << customer;
    EXPECT_TRUE(customer["rows"].is_number_unsigned()) << customer;
  }
}

TEST_F(AdminHttp, Force_FailedWithoutAnErrorIsNoDataAvailable) {
  const auto location = start_export();
  ok(admin_post("/operations/" + operation_id_of(location) + "/force", R"({"status": "failed"})"));
  const auto polled = Json::parse(get(location)->body);
  EXPECT_EQ(polled["error"]["code"], "5000");
  EXPECT_EQ(polled["error"]["message"], "No data available");
}

TEST_F(AdminHttp, Force_AnswersTheOperationAsTheForceLeftIt) {
  const auto id = operation_id_of(start_export());
  const auto forced = ok(admin_post("/operations/" + id + "/force", R"({"status": "succeeded"})"));
  EXPECT_EQ(forced["id"], id);
  EXPECT_EQ(forced["status"], "succeeded");
  EXPECT_EQ(forced["manifestId"], "");
}

TEST_F(AdminHttp, Force_OrdersThatCannotBeReadAre400BadRequest) {
  const auto path = "/operations/" + operation_id_of(start_export()) + "/force";
  for (const char* body : {"", "not json", "[]", R"({"phase": -1})", R"({"phase": "1"})", R"({"phase": 1.5})",
                           R"({"status": 1})", R"({"status": "failed", "error": {"code": "1"}})",
                           R"({"status": "failed", "error": "boom"})", R"({"state": "failed"})"}) {
    SCOPED_TRACE(body);
    error_of(admin_post(path, body), 400, "badRequest");
  }
}

// --- the journal --------------------------------------------------------------------

TEST_F(AdminHttp, Journal_ListsEntriesWithCountAndDroppedInTheDocumentedShape) {
  const auto location = start_export();
  get(location, {{"client-request-id", "poll-1"}});
  const auto body = journal();
  EXPECT_EQ(body["count"], 2);
  EXPECT_EQ(body["dropped"], 0);
  ASSERT_EQ(body["entries"].size(), 2u);
  const auto& poll = body["entries"][1];
  std::vector<std::string> keys;
  for (const auto& item : poll.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"sequence", "dateTime", "method", "path", "query", "requestHeaders",
                                            "requestBody", "status", "responseHeaders", "endpoint", "operationId",
                                            "operationStatus", "scenarioRule", "invoiceId"}));
  EXPECT_EQ(poll["sequence"], 2);
  EXPECT_EQ(poll["dateTime"], "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(poll["method"], "GET");
  EXPECT_EQ(poll["path"], kOperationsPath + operation_id_of(location));
  EXPECT_EQ(poll["status"], 200);
  EXPECT_EQ(poll["endpoint"], "operation");
  EXPECT_EQ(poll["operationId"], operation_id_of(location));
  EXPECT_TRUE(std::any_of(poll["requestHeaders"].begin(), poll["requestHeaders"].end(), [](const Json& header) {
    return header == Json{{"name", "client-request-id"}, {"value", "poll-1"}};
  })) << poll["requestHeaders"];
  EXPECT_TRUE(std::any_of(poll["responseHeaders"].begin(), poll["responseHeaders"].end(), [](const Json& header) {
    return header == Json{{"name", "Retry-After"}, {"value", "1"}};
  })) << poll["responseHeaders"];
}

TEST_F(AdminHttp, Journal_FiltersByEachQueryParameter) {
  const auto location = start_export();
  const auto id = operation_id_of(location);
  poll_to_completion(location);
  start_export("G000000002");
  get(std::string(kOperationsPath) + kUnknownOperationId);                                 // 404
  get("/v1.0/reports/partners/billing/operation/" + std::string(kUnknownOperationId));  // unmatched

  EXPECT_EQ(journal("?method=POST")["count"], 2);
  EXPECT_EQ(journal("?path=*/operations/*")["count"], 5);
  EXPECT_EQ(journal("?operationId=" + id)["count"], 5);
  EXPECT_EQ(journal("?status=404")["count"], 2);
  EXPECT_EQ(journal("?endpoint=export")["count"], 2);
  EXPECT_EQ(journal("?endpoint=unmatched")["count"], 1);
  EXPECT_EQ(journal("?method=GET&endpoint=operation&status=200")["count"], 4);
  EXPECT_EQ(journal("?method=DELETE")["entries"], Json::array());
}

TEST_F(AdminHttp, JournalCount_AnswersTheNumberMatching) {
  const auto location = start_export();
  poll_to_completion(location);
  EXPECT_EQ(ok(admin_get("/journal/count")), (Json{{"count", 5}}));
  EXPECT_EQ(ok(admin_get("/journal/count?method=GET&path=*/operations/*")), (Json{{"count", 4}}));
  EXPECT_EQ(ok(admin_get("/journal/count?endpoint=blob")), (Json{{"count", 0}}));
}

TEST_F(AdminHttp, Journal_APageLinksTheNextKeepingTheFilters) {
  for (const char* invoice : {"G000000001", "G000000002", "G000000003"}) get(start_export(invoice));
  const auto page = journal("?method=POST&$top=2");
  EXPECT_EQ(page["count"], 2);
  EXPECT_EQ(page["total"], 3);
  ASSERT_EQ(page["@odata.nextLink"], fake_->base_url() + "/_graphfake/journal?method=POST&$top=2&$skip=2");
  const auto last = ok(client_->Get(path_on(fake_->base_url(), page["@odata.nextLink"].get<std::string>()).c_str()));
  EXPECT_EQ(last["count"], 1);
  EXPECT_EQ(last["entries"][0]["method"], "POST");
  EXPECT_FALSE(last.contains("@odata.nextLink")) << last;
}

TEST_F(AdminHttp, Journal_APageOfMoreThan1000Is400) {
  error_of(admin_get("/journal?$top=1001"), 400, "badRequest");
  error_of(admin_get("/journal/unmatched?$top=0"), 400, "badRequest");
}

TEST_F(AdminHttp, JournalUnmatched_ListsUnmatchedRequestsAndOnlyTheyHaveANearestRoute) {
  start_export();
  get("/v1.0/reports/partners/billing/operation/" + std::string(kUnknownOperationId));
  const auto body = ok(admin_get("/journal/unmatched"));
  EXPECT_EQ(body["count"], 1);
  ASSERT_EQ(body["entries"].size(), 1u);
  EXPECT_EQ(body["entries"][0]["endpoint"], "unmatched");
  EXPECT_EQ(body["entries"][0]["nearestRoute"], "GET /v1.0/reports/partners/billing/operations/{id}");
  EXPECT_FALSE(journal("?endpoint=export")["entries"][0].contains("nearestRoute"));
}

TEST_F(AdminHttp, Journal_AnUnknownFilterIs400) {
  const auto error = error_of(admin_get("/journal?verb=GET"), 400, "badRequest");
  EXPECT_NE(error["message"].get<std::string>().find("verb"), std::string::npos) << error;
  error_of(admin_get("/journal/count?operation=x"), 400, "badRequest");
}

TEST_F(AdminHttp, Journal_AStatusThatIsNotANumberIs400) {
  for (const char* status : {"ok", "", "200x", "2.5"}) {
    SCOPED_TRACE(status);
    error_of(admin_get(std::string("/journal?status=") + status), 400, "badRequest");
  }
}

TEST_F(AdminHttp, Journal_AdminRequestsAreNotRecorded) {
  admin_get("/health");
  admin_post("/clock/advance", R"({"by": "1s"})");
  admin_get("/nothing-here");
  admin_get("/journal");
  EXPECT_EQ(journal()["count"], 0);
}

TEST_F(AdminHttpWithSmallJournal, Journal_BothListingsSayHowManyEntriesWereDropped) {
  for (int i = 0; i < 5; ++i) start_export();
  EXPECT_EQ(journal()["dropped"], 3);
  EXPECT_EQ(ok(admin_get("/journal/unmatched"))["dropped"], 3);
}

// --- routes and envelopes -----------------------------------------------------------

TEST_F(AdminHttp, UnknownAdminRoute_Is404AdminRouteNotFound) {
  error_of(admin_get("/nothing"), 404, "adminRouteNotFound");
  error_of(client_->Get("/_graphfake"), 404, "adminRouteNotFound");
  error_of(admin_get("/journal/everything"), 404, "adminRouteNotFound");
  error_of(admin_get("/operations/" + std::string(kUnknownOperationId) + "/history"), 404, "adminRouteNotFound");
}

TEST_F(AdminHttp, KnownAdminRouteWithTheWrongMethod_Is405NamingTheMethodsItTakes) {
  EXPECT_EQ(error_of(admin_get("/reset"), 405, "methodNotAllowed").value("message", ""),
            "/_graphfake/reset takes POST, not GET.");
  error_of(admin_post("/health", "{}"), 405, "methodNotAllowed");
  error_of(admin_put("/clock/advance", R"({"by": "1s"})"), 405, "methodNotAllowed");
  error_of(client_->Delete("/_graphfake/journal"), 405, "methodNotAllowed");
  error_of(admin_get("/operations/" + std::string(kUnknownOperationId) + "/force"), 405, "methodNotAllowed");
}

TEST_F(AdminHttp, KnownAdminRouteWithTheWrongMethod_NamesEveryMethodItTakesInAllow) {
  const auto result = client_->Delete("/_graphfake/scenarios");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 405);
  EXPECT_EQ(result->get_header_value("Allow"), "GET, POST, PUT");
}

TEST_F(AdminHttp, APathMerelyStartingLikeTheAdminPrefixIsAGraphPath) {
  auto result = client_->Get("/_graphfakes/health");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(journal("?endpoint=unmatched")["count"], 1);
}

// --- the admin token ----------------------------------------------------------------

TEST_F(AdminHttpWithToken, RequestsWithoutTheTokenAre401WithWwwAuthenticate) {
  const auto refused = [](const httplib::Result& result) {
    error_of(result, 401, "adminTokenRequired");
    EXPECT_EQ(result ? result->get_header_value("WWW-Authenticate") : "", "Bearer realm=\"graphfake admin\"");
  };
  refused(admin_get("/health"));
  refused(admin_post("/reset", "{}"));
  refused(admin_get("/journal"));
  refused(admin_get("/nothing-here"));
}

TEST_F(AdminHttpWithToken, AWrongTokenOrAGraphTokenIs401) {
  error_of(admin_get("/health", {{"Authorization", "Bearer wrong"}}), 401, "adminTokenRequired");
  error_of(admin_get("/health", {{"Authorization", "admin-secret"}}), 401, "adminTokenRequired");
  error_of(admin_get("/health", auth_headers()), 401, "adminTokenRequired");
}

TEST_F(AdminHttpWithToken, TheTokenIsAccepted) {
  EXPECT_EQ(ok(admin_get("/health", admin_auth()))["status"], "ready");
  EXPECT_EQ(ok(admin_post("/clock/advance", R"({"by": "1m"})", admin_auth()))["now"], "2025-01-01T00:01:00.000Z");
}

// An auth scheme is case-insensitive (RFC 9110, section 11.1), as the Graph routes
// already treat it.
TEST_F(AdminHttpWithToken, TheTokenIsAcceptedWhateverTheCaseOfTheBearerScheme) {
  EXPECT_EQ(ok(admin_get("/health", {{"Authorization", "bearer admin-secret"}}))["status"], "ready");
}

// A browser opening a page sends no Authorization header (docs/dashboard.md).
TEST_F(AdminHttpWithToken, ThePagesTakeTheTokenAsTheAccessTokenParameter) {
  for (const char* page : {"/ui", "/report.html"}) {
    SCOPED_TRACE(page);
    const auto result = admin_get(std::string(page) + "?access_token=admin-secret");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_EQ(result->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(result->get_header_value("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store");
    error_of(admin_get(std::string(page) + "?access_token=wrong"), 401, "adminTokenRequired");
    error_of(admin_get(page), 401, "adminTokenRequired");
  }
}

TEST_F(AdminHttpWithToken, OnlyThePagesTakeTheAccessTokenParameter) {
  error_of(admin_get("/health?access_token=admin-secret"), 401, "adminTokenRequired");
  error_of(admin_get("/report?access_token=admin-secret"), 401, "adminTokenRequired");
  error_of(admin_post("/reset?access_token=admin-secret", "{}"), 401, "adminTokenRequired");
}

TEST_F(AdminHttp, Timeline_OfAnOperationIsItsArticleWithAnSvgNamingIt) {
  const auto id = operation_id_of(start_export());
  const auto result = admin_get("/operations/" + id + "/timeline");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body.rfind("<article class=\"operation\" id=\"op-" + id + "\"", 0), 0u) << result->body;
  EXPECT_NE(result->body.find("<svg class=\"timeline\" id=\"timeline-" + id + "\""), std::string::npos);
}

TEST_F(AdminHttp, Timeline_OfAnUnknownOperationIs404) {
  error_of(admin_get("/operations/00000000-0000-4000-8000-000000000000/timeline"), 404, "operationNotFound");
}

TEST_F(AdminHttpWithToken, ARefusedRequestChangesNothing) {
  start_export();
  error_of(admin_post("/reset", "{}"), 401, "adminTokenRequired");
  error_of(admin_post("/clock/advance", R"({"by": "1h"})"), 401, "adminTokenRequired");
  EXPECT_EQ(fake_->admin().operations().size(), 1u);
  EXPECT_EQ(clock_->now(), VirtualClock::default_start());
}

TEST_F(AdminHttpWithToken, GraphRequestsNeedOnlyTheirOwnToken) {
  auto result = post_json(kBilledExportPath, R"({"invoiceId":"G016907411","attributeSet":"full"})");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 202);
}

TEST_F(AdminHttpWithToken, TheInProcessAdminNeedsNoToken) {
  start_export();
  EXPECT_EQ(fake_->admin().count(), 1u);
  fake_->admin().reset();
  EXPECT_EQ(fake_->admin().count(), 0u);
}

// --- end to end, over HTTP only -----------------------------------------------------

TEST_F(AdminHttp, EndToEnd_ResetLoadExportAdvancePollAndVerifyUsingOnlyHttp) {
  httplib::Client http(fake_->base_url());
  const httplib::Headers graph = {{"Authorization", "Bearer " + token_}};
  const auto admin_json = [](const httplib::Result& result) {
    EXPECT_TRUE(result && result->status == 200) << (result ? result->body : "no response");
    return result ? Json::parse(result->body) : Json();
  };

  admin_json(http.Post("/_graphfake/reset", "{}", "application/json"));
  const auto loaded = admin_json(http.Put("/_graphfake/scenarios",
                                          Json{{"files", Json::array({Json{{"name", "e2e.json"},
                                                                           {"content", Json::parse(kTwoMinutesRule)}}})}}
                                              .dump(),
                                          "application/json"));
  ASSERT_EQ(loaded["files"][0]["rules"], Json::array({"two minutes"}));

  auto accepted = http.Post(kBilledExportPath, graph, R"({"invoiceId":"G016907411","attributeSet":"full"})",
                            "application/json");
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202);
  const auto location = accepted->get_header_value("Location");
  const auto id = operation_id_of(location);
  const auto poll = [&] {
    auto result = http.Get(path_on(fake_->base_url(), location).c_str(), graph);
    EXPECT_TRUE(result && result->status == 200);
    return result;
  };

  auto first = poll();
  EXPECT_EQ(Json::parse(first->body)["status"], "running");
  EXPECT_EQ(first->get_header_value("Retry-After"), "30");
  EXPECT_EQ(admin_json(http.Post("/_graphfake/clock/advance", R"({"by": "90s"})", "application/json"))["now"],
            "2025-01-01T00:01:30.000Z");
  EXPECT_EQ(Json::parse(poll()->body)["status"], "running");
  admin_json(http.Post("/_graphfake/clock/advance", R"({"by": "30s"})", "application/json"));
  const auto done = Json::parse(poll()->body);
  ASSERT_EQ(done["status"], "succeeded");
  EXPECT_EQ(done["lastActionDateTime"], "2025-01-01T00:02:00.000Z");

  const auto recorded = admin_json(http.Get(("/_graphfake/journal?operationId=" + id).c_str()));
  ASSERT_EQ(recorded["count"], 4);
  const auto& entries = recorded["entries"];
  EXPECT_EQ(entries[0]["method"], "POST");
  EXPECT_EQ(entries[0]["endpoint"], "export");
  EXPECT_EQ(entries[0]["status"], 202);
  EXPECT_EQ(entries[0]["scenarioRule"], "e2e.json: two minutes");
  const std::vector<std::string> times = {"2025-01-01T00:00:00.000Z", "2025-01-01T00:01:30.000Z",
                                          "2025-01-01T00:02:00.000Z"};
  for (std::size_t i = 1; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(entries[i]["method"], "GET");
    EXPECT_EQ(entries[i]["endpoint"], "operation");
    EXPECT_EQ(entries[i]["status"], 200);
    EXPECT_EQ(entries[i]["path"], kOperationsPath + id);
    EXPECT_EQ(entries[i]["dateTime"], times[i - 1]);
    EXPECT_EQ(entries[i]["scenarioRule"], "e2e.json: two minutes");
  }
  EXPECT_EQ(admin_json(http.Get("/_graphfake/journal/count?method=GET&path=*/operations/*"))["count"], 3);
  EXPECT_EQ(admin_json(http.Get("/_graphfake/journal/unmatched"))["count"], 0);

  const auto operations = admin_json(http.Get("/_graphfake/operations"))["operations"];
  ASSERT_EQ(operations.size(), 1u);
  EXPECT_EQ(operations[0]["id"], id);
  EXPECT_EQ(operations[0]["status"], "succeeded");
  EXPECT_EQ(operations[0]["polls"], 3);
  EXPECT_EQ(operations[0]["scenarioRule"], "e2e.json: two minutes");
  EXPECT_EQ(operations[0]["manifestId"], done["resourceLocation"]["id"]);
  EXPECT_EQ(operations[0]["history"],
            Json::array({Json{{"status", "running"}, {"enteredDateTime", "2025-01-01T00:00:00.000Z"}},
                         Json{{"status", "succeeded"}, {"enteredDateTime", "2025-01-01T00:02:00.000Z"}}}));
}

// --- more filters and the clock to the millisecond --------------------------------

TEST_F(AdminHttp, JournalUnmatched_FiltersByMethod) {
  get("/v1.0/reports/partners/billing/operation/" + std::string(kUnknownOperationId));
  post_json("/v1.0/reports/partners/billing/reconciliation/billed/exports", "{}");
  get("/nothing-here");
  const auto posts = ok(admin_get("/journal/unmatched?method=POST"));
  EXPECT_EQ(posts["count"], 1);
  ASSERT_EQ(posts["entries"].size(), 1u);
  EXPECT_EQ(posts["entries"][0]["method"], "POST");
  EXPECT_EQ(posts["entries"][0]["endpoint"], "unmatched");
  EXPECT_EQ(ok(admin_get("/journal/unmatched?method=GET"))["count"], 2);
  EXPECT_EQ(ok(admin_get("/journal/unmatched"))["count"], 3);
}

TEST_F(AdminHttp, Clock_PutSetsItToTheMillisecond) {
  EXPECT_EQ(ok(admin_put("/clock", R"({"now": "2025-01-01T00:05:00.250Z"})"))["now"], "2025-01-01T00:05:00.250Z");
  EXPECT_EQ(ok(admin_get("/clock")), (Json{{"now", "2025-01-01T00:05:00.250Z"}}));
  EXPECT_EQ(clock_->now(), VirtualClock::default_start() + 5min + 250ms);
}

TEST_F(AdminHttp, Journal_TakesAnInvoiceIdFilter) {
  get(start_export("G000000001"));
  start_export("G000000002");
  const auto body = journal("?invoiceId=G000000001");
  EXPECT_EQ(body["count"], 2);
  for (const auto& entry : body["entries"]) EXPECT_EQ(entry["invoiceId"], "G000000001") << entry;
}

// --- what the admin API refuses, and how it says so ----------------------------------

TEST_F(AdminHttp, Clock_ABodyWithAnotherPropertyIs400) {
  error_of(admin_put("/clock", R"({"now": "2025-01-01T00:05:00Z", "zone": "UTC"})"), 400, "badRequest");
  error_of(admin_post("/clock/advance", R"({"by": "1s", "again": true})"), 400, "badRequest");
  EXPECT_EQ(clock_->now(), VirtualClock::default_start());
}

TEST_F(AdminHttp, Clock_PutBeforeTheEpochIs400NamingTheRangeWhateverTheYear) {
  for (const char* now : {"1969-12-31T23:59:59Z", "1677-09-21T00:12:43Z", "0001-01-01T00:00:00Z"}) {
    SCOPED_TRACE(now);
    const auto error = error_of(admin_put("/clock", Json{{"now", now}}.dump()), 400, "badRequest");
    EXPECT_NE(error["message"].get<std::string>().find("from 1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z"),
              std::string::npos)
        << error;
  }
  EXPECT_EQ(clock_->now(), VirtualClock::default_start());
}

TEST_F(AdminHttp, Journal_APagingParameterGivenTwiceIs400) {
  error_of(admin_get("/journal?$top=5&$top=7"), 400, "badRequest");
  error_of(admin_get("/operations?$skip=1&$skip=2"), 400, "badRequest");
}

TEST_F(AdminHttp, Journal_ASkipTooLargeSaysSoWithTheMaximum) {
  const auto error = error_of(admin_get("/journal?$skip=1000000000000000000000"), 400, "badRequest");
  EXPECT_EQ(error["message"], "'$skip' is too large: at most 18446744073709551615, not '1000000000000000000000'.");
}

TEST_F(AdminHttp, Journal_ANegativeStatusIsRefusedAsAWordIs) {
  for (const char* status : {"-1", "abc", "600"}) {
    SCOPED_TRACE(status);
    error_of(admin_get(std::string("/journal?status=") + status), 400, "badRequest");
  }
  EXPECT_EQ(journal("?status=0")["count"], 0);
}

TEST_F(AdminHttp, Operations_AnIdHoldingANulIsQuotedWholeInTheMessage) {
  const auto error = error_of(admin_get("/operations/ab%00cd"), 404, "operationNotFound");
  EXPECT_EQ(error["message"], "There is no operation 'ab\\u0000cd'.");
}

TEST_F(AdminHttp, Scenarios_AFileNamedEmptyOrLongerThan255BytesOrWithASlashIs400) {
  for (const auto& name : {std::string(), std::string(256, 'n'), std::string("a/b.json"), std::string("a\0b", 3)}) {
    const auto body = Json{{"files", Json::array({Json{{"name", name}, {"content", Json::parse(kFailsRule)}}})}};
    error_of(admin_post("/scenarios", body.dump()), 400, "badRequest");
  }
  EXPECT_EQ(ok(admin_get("/scenarios"))["files"], Json::array());
}

TEST_F(AdminHttpWithScenarioRoot, Scenarios_APathHoldingANulIs400) {
  std::ofstream(dir_.file("ok.json")) << kFailsRule;
  error_of(admin_put("/scenarios", Json{{"paths", Json::array({std::string("ok.json\0anything", 16)})}}.dump()), 400,
           "badRequest");
  EXPECT_EQ(ok(admin_get("/scenarios"))["files"], Json::array());
}

TEST_F(AdminHttpWithScenarioRoot, Scenarios_TheRootItselfLoadsItsFiles) {
  std::ofstream(dir_.file("fails.json")) << kFailsRule;
  EXPECT_EQ(ok(admin_put("/scenarios", R"({"paths": ["."]})"))["files"][0]["name"], "./fails.json");
}

TEST_F(AdminHttp, Namespaces_DotAndDotDotAreNotNames) {
  for (const char* name : {".", ".."}) {
    SCOPED_TRACE(name);
    error_of(admin_post("/namespaces", Json{{"name", name}}.dump()), 400, "badNamespaceName");
  }
  EXPECT_EQ(ok(admin_get("/namespaces"))["namespaces"], Json::array());
}

}  // namespace
}  // namespace graphfake::testing
