// Namespaces: isolated fakes behind one port, chosen by "/_ns/{name}/" or the
// X-Graphfake-Namespace header, over real HTTP and through the C++ API.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "graphfake/admin.h"
#include "support/http_support.h"
#include "support/test_values.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHeader = "X-Graphfake-Namespace";

std::string prefix(const std::string& name) { return "/_ns/" + name; }

std::vector<std::string> ids_of(const std::vector<OperationInfo>& operations) {
  std::vector<std::string> ids;
  for (const auto& operation : operations) ids.push_back(operation.id);
  return ids;
}

std::vector<std::string> ids_of(const ClientReport& report) {
  std::vector<std::string> ids;
  for (const auto& operation : report.operations) ids.push_back(operation.operation_id);
  return ids;
}

bool disjoint(const std::vector<std::string>& one, const std::vector<std::string>& other) {
  const std::set<std::string> seen(one.begin(), one.end());
  return std::none_of(other.begin(), other.end(), [&](const std::string& id) { return seen.contains(id); });
}

class Namespaces : public FakeTest {
 protected:
  // POSTs a billed-reconciliation export under /_ns/{name}/ and returns its Location.
  std::string start_export_in(const std::string& name, const std::string& invoice_id = "G016907411") {
    return accepted_location(post_json(prefix(name) + kBilledExportPath, export_body(invoice_id)));
  }

  static std::string export_body(const std::string& invoice_id = "G016907411") {
    return Json{{"invoiceId", invoice_id}, {"attributeSet", "full"}}.dump();
  }

  static std::string accepted_location(const httplib::Result& result) {
    if (!result || result->status != 202) {
      ADD_FAILURE() << "export was not accepted: "
                    << (result ? std::to_string(result->status) + " " + result->body : "no response");
      return {};
    }
    return result->get_header_value("Location");
  }

  // Admin requests carry no Graph token. `path` starts after "/_graphfake".
  httplib::Result admin_get(const std::string& path, httplib::Headers headers = {}) {
    return client_->Get(path.c_str(), headers);
  }
  httplib::Result admin_post(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return client_->Post(path.c_str(), headers, body, "application/json");
  }
  httplib::Result admin_put(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
    return client_->Put(path.c_str(), headers, body, "application/json");
  }
  httplib::Result admin_delete(const std::string& path) { return client_->Delete(path.c_str()); }

  static Json json_of(const httplib::Result& result, int status) {
    if (!result) {
      ADD_FAILURE() << "no response";
      return {};
    }
    EXPECT_EQ(result->status, status) << result->body;
    if (!Json::accept(result->body)) {
      ADD_FAILURE() << "not JSON: " << result->body;
      return {};
    }
    return Json::parse(result->body);
  }

  // The error of an admin error answer, checked for its envelope.
  static Json admin_error_of(const httplib::Result& result, int status, const std::string& code) {
    const auto body = json_of(result, status);
    const auto error = body.value("error", Json::object());
    EXPECT_EQ(error.value("code", ""), code) << body;
    EXPECT_FALSE(error.value("message", "").empty()) << body;
    return error;
  }

  std::string ns_base(const std::string& name) const { return fake_->base_url() + prefix(name); }
};

// --- independence -------------------------------------------------------------------

TEST_F(Namespaces, TwoNamespaces_OneRunsToSucceededWhileTheOtherStaysWhereItWas) {
  auto a = fake_->create_namespace("a");
  auto b = fake_->create_namespace("b");
  const auto in_a = start_export_in("a");
  const auto in_b = start_export_in("b");
  ASSERT_FALSE(in_a.empty());
  ASSERT_FALSE(in_b.empty());

  a.advance_clock(1min);
  EXPECT_EQ(poll_to_completion(in_a)["status"], "succeeded");

  EXPECT_EQ(a.now(), t0 + 1min);
  EXPECT_EQ(b.now(), t0);
  EXPECT_EQ(clock_->now(), t0);
  const auto b_operations = b.operations();
  ASSERT_EQ(b_operations.size(), 1u);
  EXPECT_EQ(b_operations[0].status, OperationStatus::not_started);
  EXPECT_EQ(b_operations[0].polls, 0u);
  const auto polled_b = Json::parse(get(in_b)->body);
  EXPECT_EQ(polled_b["status"], "notStarted");
  EXPECT_EQ(Json::parse(get(in_b)->body)["status"], "running");
  EXPECT_EQ(a.operations().at(0).status, OperationStatus::succeeded);
}

TEST_F(Namespaces, TwoNamespaces_OperationsJournalsAndReportsAreDisjoint) {
  auto a = fake_->create_namespace("a");
  auto b = fake_->create_namespace("b");
  poll_to_completion(start_export_in("a"));
  start_export_in("a", "G000000002");
  get(start_export_in("b"));

  const auto a_ids = ids_of(a.operations());
  const auto b_ids = ids_of(b.operations());
  EXPECT_EQ(a_ids.size(), 2u);
  EXPECT_EQ(b_ids.size(), 1u);
  EXPECT_TRUE(disjoint(a_ids, b_ids));

  const auto a_journal = a.journal();
  const auto b_journal = b.journal();
  EXPECT_EQ(a_journal.size(), 6u);  // two exports, four polls
  EXPECT_EQ(b_journal.size(), 2u);
  for (const auto& entry : a_journal) {
    EXPECT_EQ(entry.path.rfind("/_ns/a/", 0), 0u) << entry.path;
    EXPECT_TRUE(std::find(b_ids.begin(), b_ids.end(), entry.operation_id) == b_ids.end()) << entry.operation_id;
  }
  for (const auto& entry : b_journal) {
    EXPECT_EQ(entry.path.rfind("/_ns/b/", 0), 0u) << entry.path;
    EXPECT_TRUE(std::find(a_ids.begin(), a_ids.end(), entry.operation_id) == a_ids.end()) << entry.operation_id;
  }

  EXPECT_EQ(ids_of(a.client_report()), a_ids);
  EXPECT_EQ(ids_of(b.client_report()), b_ids);
}

TEST_F(Namespaces, TwoNamespaces_TheDefaultNamespaceSeesNoneOfIt) {
  fake_->create_namespace("a");
  fake_->create_namespace("b");
  poll_to_completion(start_export_in("a"));
  get(start_export_in("b"));
  post_json(kBilledExportPath, export_body(), {{kHeader, "b"}});

  auto& fallback = fake_->admin();
  EXPECT_TRUE(fallback.operations().empty());
  EXPECT_EQ(fallback.count(), 0u);
  EXPECT_TRUE(fallback.client_report().operations.empty());
  EXPECT_EQ(json_of(admin_get("/_graphfake/operations"), 200)["operations"], Json::array());
  EXPECT_EQ(json_of(admin_get("/_graphfake/journal"), 200)["count"], 0);
}

TEST_F(Namespaces, ClientReport_PollsThatFollowAPrefixedLocationAreNotPollsToAnotherUrl) {
  auto a = fake_->create_namespace("a");
  poll_to_completion(start_export_in("a"));
  const auto report = a.client_report();
  ASSERT_EQ(report.operations.size(), 1u);
  EXPECT_EQ(report.operations[0].location.rfind(ns_base("a") + "/", 0), 0u) << report.operations[0].location;
  EXPECT_EQ(report.operations[0].polls, 4u);
  EXPECT_EQ(report.operations[0].polls_to_other_url, 0u);
}

// --- the prefix and the header ------------------------------------------------------

TEST_F(Namespaces, ExportViaPrefix_LocationCarriesThePrefix) {
  fake_->create_namespace("a");
  const auto location = start_export_in("a");
  EXPECT_EQ(location.rfind(ns_base("a") + kOperationsPath, 0), 0u) << location;
  EXPECT_EQ(location, ns_base("a") + kOperationsPath + operation_id_of(location));
}

TEST_F(Namespaces, ExportViaPrefix_LocationManifestAndBlobAreFollowedWithoutTheHeader) {
  auto a = fake_->create_namespace("a");
  const auto done = poll_to_completion(start_export_in("a"));
  ASSERT_EQ(done["status"], "succeeded") << done;

  const auto& manifest = done["resourceLocation"];
  EXPECT_EQ(manifest["rootDirectory"].get<std::string>().rfind(ns_base("a") + "/", 0), 0u) << manifest;
  const auto blob = get_unauthenticated(blob_url(manifest));
  ASSERT_TRUE(blob);
  ASSERT_EQ(blob->status, 200) << blob->body;
  const auto lines = json_lines(gunzip(blob->body));
  EXPECT_FALSE(lines.empty());
  EXPECT_EQ(a.count({.endpoint = Endpoint::blob}), 1u);
  EXPECT_EQ(fake_->admin().count(), 0u);
}

TEST_F(Namespaces, ExportViaPrefix_TheNavigationLinkCarriesThePrefixAndServesTheManifest) {
  fake_->create_namespace("a");
  const auto done = poll_to_completion(start_export_in("a"));
  ASSERT_TRUE(done.contains("resourceLocation@odata.navigationLink")) << done;
  const auto link = done["resourceLocation@odata.navigationLink"].get<std::string>();
  EXPECT_EQ(link.rfind(ns_base("a") + "/v1.0/", 0), 0u) << link;
  const auto manifest = get(link);
  ASSERT_TRUE(manifest);
  ASSERT_EQ(manifest->status, 200) << manifest->body;
  EXPECT_EQ(Json::parse(manifest->body)["id"], done["resourceLocation"]["id"]);
}

TEST_F(Namespaces, ExportViaHeader_LocationCarriesThePrefix) {
  auto a = fake_->create_namespace("a");
  const auto location = accepted_location(post_json(kBilledExportPath, export_body(), {{kHeader, "a"}}));
  EXPECT_EQ(location.rfind(ns_base("a") + kOperationsPath, 0), 0u) << location;
  EXPECT_EQ(ids_of(a.operations()), std::vector<std::string>{operation_id_of(location)});
  EXPECT_TRUE(fake_->admin().operations().empty());
  // Following it without the header stays in the namespace.
  EXPECT_EQ(get(location)->status, 200);
}

TEST_F(Namespaces, ThePrefixWinsOverTheHeader) {
  auto a = fake_->create_namespace("a");
  auto b = fake_->create_namespace("b");
  const auto location = accepted_location(post_json(prefix("a") + kBilledExportPath, export_body(), {{kHeader, "b"}}));
  EXPECT_EQ(location.rfind(ns_base("a") + "/", 0), 0u) << location;
  EXPECT_EQ(a.operations().size(), 1u);
  EXPECT_TRUE(b.operations().empty());
}

// --- ids ----------------------------------------------------------------------------

TEST_F(Namespaces, AnOperationPolledInAnotherNamespace_Is404) {
  fake_->create_namespace("a");
  fake_->create_namespace("b");
  const auto id = operation_id_of(start_export_in("a"));
  EXPECT_EQ(get(prefix("a") + kOperationsPath + id)->status, 200);
  EXPECT_EQ(get(prefix("b") + kOperationsPath + id)->status, 404);
  EXPECT_EQ(get(kOperationsPath + id)->status, 404);
  EXPECT_EQ(get(kOperationsPath + id, {{kHeader, "b"}})->status, 404);
}

TEST_F(Namespaces, FirstOperationIds_DifferBetweenNamespacesAndAreStableAcrossServers) {
  const auto first_ids = [](Server& server) {
    server.create_namespace("a");
    server.create_namespace("b");
    httplib::Client http(server.base_url());
    const httplib::Headers graph = {{"Authorization", "Bearer " + make_token()}};
    std::vector<std::string> ids;
    for (const std::string name : {"a", "b"}) {
      const auto location = accepted_location(
          http.Post((prefix(name) + kBilledExportPath).c_str(), graph, export_body(), "application/json"));
      ids.push_back(operation_id_of(location));
    }
    return ids;
  };
  const auto here = first_ids(*fake_);
  Server other({.clock = std::make_shared<VirtualClock>()});
  const auto there = first_ids(other);
  ASSERT_EQ(here.size(), 2u);
  EXPECT_NE(here[0], here[1]);
  EXPECT_EQ(here, there);
  EXPECT_NE(here[0], operation_id_of(start_export()));
}

// --- unknown namespaces -------------------------------------------------------------

TEST_F(Namespaces, UnknownNamespace_AGraphRequestIs404InGraphsEnvelopeJournaledInTheDefault) {
  const auto path = prefix("nope") + kOperationsPath + kUnknownOperationId;
  const auto result = get(path);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  const auto body = Json::parse(result->body);
  ASSERT_TRUE(body.contains("error")) << body;
  EXPECT_EQ(body["error"]["code"], "ResourceNotFound");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("nope"), std::string::npos) << body;
  EXPECT_TRUE(body["error"].contains("innerError")) << body;
  EXPECT_FALSE(result->get_header_value("request-id").empty());

  const auto unmatched = fake_->admin().journal({.endpoint = Endpoint::unmatched});
  ASSERT_EQ(unmatched.size(), 1u);
  EXPECT_EQ(unmatched[0].path, path);
  EXPECT_EQ(unmatched[0].status, 404);
}

TEST_F(Namespaces, UnknownNamespace_AGraphRequestByHeaderIs404JournaledInTheDefault) {
  const auto result = post_json(kBilledExportPath, export_body(), {{kHeader, "nope"}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(Json::parse(result->body)["error"]["code"], "ResourceNotFound");
  EXPECT_TRUE(fake_->admin().operations().empty());
  EXPECT_EQ(fake_->admin().count({.endpoint = Endpoint::unmatched}), 1u);
}

TEST_F(Namespaces, UnknownNamespace_AnAdminRequestIs404NamespaceNotFound) {
  admin_error_of(admin_get("/_ns/nope/_graphfake/clock"), 404, "namespaceNotFound");
  admin_error_of(admin_get("/_graphfake/clock", {{kHeader, "nope"}}), 404, "namespaceNotFound");
  EXPECT_EQ(fake_->admin().count(), 0u);
}

TEST_F(Namespaces, DeletedNamespace_RequestsToItAre404) {
  fake_->create_namespace("a");
  const auto location = start_export_in("a");
  fake_->delete_namespace("a");
  EXPECT_EQ(get(location)->status, 404);
  admin_error_of(admin_get("/_ns/a/_graphfake/operations"), 404, "namespaceNotFound");
}

// --- namespaces over HTTP -----------------------------------------------------------

TEST_F(Namespaces, HttpCreate_Is201WithNameAndBaseUrl) {
  const auto body = json_of(admin_post("/_graphfake/namespaces", R"({"name": "a"})"), 201);
  EXPECT_EQ(body, (Json{{"name", "a"}, {"baseUrl", fake_->base_url() + "/_ns/a"}}));
  EXPECT_EQ(body["baseUrl"], fake_->base_url("a"));
  EXPECT_EQ(fake_->namespaces(), std::vector<std::string>{"a"});
}

TEST_F(Namespaces, HttpCreate_TheBaseUrlServesTheNamespace) {
  const auto base = json_of(admin_post("/_graphfake/namespaces", R"({"name": "a"})"), 201)["baseUrl"];
  const auto location = accepted_location(post_json(path_on(fake_->base_url(), base.get<std::string>()) +
                                                    kBilledExportPath, export_body()));
  EXPECT_EQ(location.rfind(base.get<std::string>() + "/", 0), 0u) << location;
  EXPECT_EQ(fake_->admin("a").operations().size(), 1u);
}

TEST_F(Namespaces, HttpList_ListsTheNamedOnesSorted) {
  EXPECT_EQ(json_of(admin_get("/_graphfake/namespaces"), 200), (Json{{"namespaces", Json::array()}}));
  json_of(admin_post("/_graphfake/namespaces", R"({"name": "b"})"), 201);
  json_of(admin_post("/_graphfake/namespaces", R"({"name": "a"})"), 201);
  const auto listed = json_of(admin_get("/_graphfake/namespaces"), 200);
  EXPECT_EQ(listed, (Json{{"namespaces", Json::array({Json{{"name", "a"}, {"baseUrl", fake_->base_url("a")}},
                                                      Json{{"name", "b"}, {"baseUrl", fake_->base_url("b")}}})}}));
}

TEST_F(Namespaces, HttpCreate_ADuplicateIs409) {
  json_of(admin_post("/_graphfake/namespaces", R"({"name": "a"})"), 201);
  admin_error_of(admin_post("/_graphfake/namespaces", R"({"name": "a"})"), 409, "namespaceExists");
  admin_error_of(admin_post("/_graphfake/namespaces", R"({"name": "default"})"), 409, "namespaceExists");
}

TEST_F(Namespaces, HttpCreate_ABadNameIs400) {
  for (const std::string& name : {std::string(), std::string("a b"), std::string("a/b"), std::string(65, 'n')}) {
    SCOPED_TRACE(name);
    admin_error_of(admin_post("/_graphfake/namespaces", Json{{"name", name}}.dump()), 400, "badNamespaceName");
  }
  EXPECT_TRUE(fake_->namespaces().empty());
}

TEST_F(Namespaces, HttpCreate_ABodyWithoutANameIs400) {
  for (const char* body : {"", "{}", R"({"name": 1})", "not json"}) {
    SCOPED_TRACE(body);
    const auto result = admin_post("/_graphfake/namespaces", body);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 400) << result->body;
  }
  EXPECT_TRUE(fake_->namespaces().empty());
}

TEST_F(Namespaces, HttpDelete_Is200AndThenRequestsToItAre404) {
  json_of(admin_post("/_graphfake/namespaces", R"({"name": "a"})"), 201);
  const auto location = start_export_in("a");
  const auto deleted = json_of(admin_delete("/_graphfake/namespaces/a"), 200);
  EXPECT_EQ(deleted["deleted"], "a");
  EXPECT_EQ(deleted["report"]["operations"].size(), 1u) << "its final client report";
  EXPECT_TRUE(fake_->namespaces().empty());
  EXPECT_EQ(json_of(admin_get("/_graphfake/namespaces"), 200)["namespaces"], Json::array());
  EXPECT_EQ(get(location)->status, 404);
  EXPECT_EQ(post_json(prefix("a") + kBilledExportPath, export_body())->status, 404);
  admin_error_of(admin_get("/_ns/a/_graphfake/clock"), 404, "namespaceNotFound");
}

TEST_F(Namespaces, HttpDelete_AnUnknownNamespaceIs404) {
  admin_error_of(admin_delete("/_graphfake/namespaces/nope"), 404, "namespaceNotFound");
}

TEST_F(Namespaces, HttpDelete_TheDefaultIs400) {
  admin_error_of(admin_delete("/_graphfake/namespaces/default"), 400, "defaultNamespace");
  EXPECT_EQ(json_of(admin_get("/_graphfake/health"), 200)["status"], "ready");
}

TEST_F(Namespaces, HttpNamespaces_InsideANamespaceIs404AdminRouteNotFound) {
  fake_->create_namespace("a");
  admin_error_of(admin_get("/_ns/a/_graphfake/namespaces"), 404, "adminRouteNotFound");
  admin_error_of(admin_post("/_ns/a/_graphfake/namespaces", R"({"name": "b"})"), 404, "adminRouteNotFound");
  admin_error_of(admin_post("/_graphfake/namespaces", R"({"name": "b"})", {{kHeader, "a"}}), 404,
                 "adminRouteNotFound");
  admin_error_of(admin_delete("/_ns/a/_graphfake/namespaces/a"), 404, "adminRouteNotFound");
  EXPECT_EQ(fake_->namespaces(), std::vector<std::string>{"a"});
}

TEST_F(Namespaces, HttpNamespaces_TheWrongMethodIs405WithAllow) {
  const auto result = admin_put("/_graphfake/namespaces", R"({"name": "a"})");
  admin_error_of(result, 405, "methodNotAllowed");
  EXPECT_EQ(result->get_header_value("Allow"), "GET, POST");
}

// --- the admin API inside a namespace -----------------------------------------------

TEST_F(Namespaces, AdminInANamespace_ByPrefixOrHeaderControlsThatNamespacesClock) {
  auto a = fake_->create_namespace("a");
  EXPECT_EQ(json_of(admin_post("/_ns/a/_graphfake/clock/advance", R"({"by": "90s"})"), 200)["now"],
            "2025-01-01T00:01:30.000Z");
  EXPECT_EQ(json_of(admin_post("/_graphfake/clock/advance", R"({"by": "10s"})", {{kHeader, "a"}}), 200)["now"],
            "2025-01-01T00:01:40.000Z");
  EXPECT_EQ(a.now(), t0 + 100s);
  EXPECT_EQ(clock_->now(), t0);
  EXPECT_EQ(json_of(admin_get("/_graphfake/clock"), 200)["now"], "2025-01-01T00:00:00.000Z");
}

TEST_F(Namespaces, AdminInANamespace_TheWrongMethodIs405) {
  fake_->create_namespace("a");
  const auto result = admin_get("/_ns/a/_graphfake/reset");
  admin_error_of(result, 405, "methodNotAllowed");
  EXPECT_EQ(result->get_header_value("Allow"), "POST");
}

TEST_F(Namespaces, ResetInANamespace_LeavesTheDefaultsOperationsAndJournalUntouched) {
  auto a = fake_->create_namespace("a");
  const auto in_default = start_export();
  get(in_default);
  start_export_in("a");
  a.advance_clock(1h);
  clock_->advance(1min);

  EXPECT_EQ(json_of(admin_post("/_ns/a/_graphfake/reset", "{}"), 200),
            (Json{{"reset", true}, {"now", "2025-01-01T00:00:00.000Z"}}));

  EXPECT_TRUE(a.operations().empty());
  EXPECT_EQ(a.count(), 0u);
  EXPECT_EQ(a.now(), t0);
  EXPECT_EQ(ids_of(fake_->admin().operations()), std::vector<std::string>{operation_id_of(in_default)});
  EXPECT_EQ(fake_->admin().count(), 2u);
  EXPECT_EQ(clock_->now(), t0 + 1min);
  EXPECT_EQ(get(in_default)->status, 200);
}

TEST_F(Namespaces, ResetOfTheDefault_LeavesANamespaceUntouched) {
  auto a = fake_->create_namespace("a");
  const auto in_a = start_export_in("a");
  start_export();
  json_of(admin_post("/_graphfake/reset", "{}"), 200);
  EXPECT_TRUE(fake_->admin().operations().empty());
  EXPECT_EQ(ids_of(a.operations()), std::vector<std::string>{operation_id_of(in_a)});
  EXPECT_EQ(a.count(), 1u);
}

TEST_F(Namespaces, ScenariosLoadedIntoOneNamespace_DoNotApplyInAnother) {
  fake_->create_namespace("a");
  fake_->create_namespace("b");
  const auto body = Json{{"files", Json::array({Json{{"name", "x.json"}, {"content", Json::parse(kFailsRule)}}})}};
  const auto loaded = json_of(admin_put("/_ns/a/_graphfake/scenarios", body.dump()), 200);
  EXPECT_EQ(loaded["files"], Json::array({Json{{"name", "x.json"}, {"rules", Json::array({"fails"})}}}));

  EXPECT_EQ(Json::parse(get(start_export_in("a"))->body)["status"], "failed");
  EXPECT_EQ(Json::parse(get(start_export_in("b"))->body)["status"], "notStarted");
  EXPECT_EQ(Json::parse(get(start_export())->body)["status"], "notStarted");
  EXPECT_EQ(json_of(admin_get("/_ns/b/_graphfake/scenarios"), 200)["files"], Json::array());
  EXPECT_EQ(json_of(admin_get("/_graphfake/scenarios"), 200)["files"], Json::array());
}

TEST_F(Namespaces, ScenariosLoadedIntoTheDefault_DoNotApplyInANamespace) {
  fake_->create_namespace("a");
  const auto body = Json{{"files", Json::array({Json{{"name", "x.json"}, {"content", Json::parse(kFailsRule)}}})}};
  json_of(admin_put("/_graphfake/scenarios", body.dump()), 200);
  EXPECT_EQ(Json::parse(get(start_export())->body)["status"], "failed");
  EXPECT_EQ(Json::parse(get(start_export_in("a"))->body)["status"], "notStarted");
}

// --- the C++ API --------------------------------------------------------------------

TEST_F(Namespaces, Api_CreateNamespaceReturnsAnAdminThatControlsIt) {
  auto a = fake_->create_namespace("a");
  a.advance_clock(5min);
  EXPECT_EQ(json_of(admin_get("/_ns/a/_graphfake/clock"), 200)["now"], "2025-01-01T00:05:00.000Z");
  const auto location = start_export_in("a");
  EXPECT_EQ(ids_of(a.operations()), std::vector<std::string>{operation_id_of(location)});
  a.force(operation_id_of(location), {.status = OperationStatus::failed});
  EXPECT_EQ(Json::parse(get(location)->body)["status"], "failed");
}

TEST_F(Namespaces, Api_AdminHandlesOfOneNamespaceControlTheSameNamespace) {
  auto created = fake_->create_namespace("a");
  auto looked_up = fake_->admin("a");
  auto copy = created;
  created.advance_clock(1s);
  looked_up.advance_clock(1s);
  copy.advance_clock(1s);
  EXPECT_EQ(fake_->admin("a").now(), t0 + 3s);
  EXPECT_EQ(clock_->now(), t0);
}

TEST_F(Namespaces, Api_BaseUrlNamesTheNamespacesPrefix) {
  fake_->create_namespace("a");
  EXPECT_EQ(fake_->base_url("a"), fake_->base_url() + "/_ns/a");
  EXPECT_EQ(fake_->base_url("default"), fake_->base_url());
}

TEST_F(Namespaces, Api_NamespacesListsTheNamedOnesSorted) {
  EXPECT_TRUE(fake_->namespaces().empty());
  fake_->create_namespace("shard-2");
  fake_->create_namespace("shard-1");
  EXPECT_EQ(fake_->namespaces(), (std::vector<std::string>{"shard-1", "shard-2"}));
}

TEST_F(Namespaces, Api_DeleteNamespaceRemovesIt) {
  fake_->create_namespace("a");
  fake_->create_namespace("b");
  fake_->delete_namespace("a");
  EXPECT_EQ(fake_->namespaces(), std::vector<std::string>{"b"});
  EXPECT_EQ(admin_error([&] { fake_->admin("a"); }).status(), 404);
  EXPECT_EQ(post_json(prefix("a") + kBilledExportPath, export_body())->status, 404);
}

TEST_F(Namespaces, Api_AdminOfAnUnknownNameThrows404) {
  const auto error = admin_error([&] { fake_->admin("nope"); });
  EXPECT_EQ(error.status(), 404);
  EXPECT_EQ(error.code(), "namespaceNotFound");
}

TEST_F(Namespaces, Api_AdminOfDefaultIsTheDefaultNamespace) {
  start_export();
  EXPECT_EQ(fake_->admin("default").operations().size(), 1u);
  fake_->admin("default").advance_clock(1s);
  EXPECT_EQ(clock_->now(), t0 + 1s);
}

TEST_F(Namespaces, Api_CreateOrDeleteThatCannotBeDoneThrows) {
  fake_->create_namespace("a");
  EXPECT_EQ(admin_error([&] { fake_->create_namespace("a"); }).status(), 409);
  EXPECT_EQ(admin_error([&] { fake_->create_namespace("default"); }).status(), 409);
  EXPECT_EQ(admin_error([&] { fake_->create_namespace("a b"); }).status(), 400);
  EXPECT_EQ(admin_error([&] { fake_->delete_namespace("default"); }).status(), 400);
  EXPECT_EQ(admin_error([&] { fake_->delete_namespace("nope"); }).status(), 404);
}

}  // namespace
}  // namespace graphfake::testing
