// Every way a request on a blob path can go wrong, each answered as Azure
// Storage answers it: its status, the error code in x-ms-error-code, and the
// XML body <?xml …?><Error><Code>…</Code><Message>…\nRequestId:…\nTime:…
// </Message></Error> (Azure Storage, Status and error codes) — never Graph's
// JSON, whichever layer of the fake refuses it.
#include <algorithm>
#include <cctype>

#include "support/http_support.h"
#include "support/raw_socket.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

struct BlobErrorCase {
  std::string name;
  std::string request;  // the whole request, bytes as sent
  int status;
  std::string code;
};

// The header's value in a raw response (whose head is lower-cased).
std::string blob_error_header(const RawResponse& response, std::string_view name) {
  const auto key = "\r\n" + std::string(name) + ":";
  const auto at = response.head.find(key);
  if (at == std::string::npos) return "<absent>";
  auto value = response.head.substr(at + key.size(), response.head.find("\r\n", at + key.size()) - at - key.size());
  value.erase(0, value.find_first_not_of(' '));
  return value;
}

std::string lower_case_of(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A request as a client library would frame it, closing the connection after.
std::string blob_request(std::string_view method, std::string_view target, std::string_view headers = "",
                         std::string_view body = "") {
  std::string request = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  request += std::string(headers) + "Connection: close\r\n";
  if (!body.empty()) request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return request + "\r\n" + std::string(body);
}

class BlobErrors : public FakeTest {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.request_timeout = 1s;  // for the request whose head never ends
    return options;
  }

  void SetUp() override {
    FakeTest::SetUp();
    fake_->admin().load_scenarios({{"blob-faults.json", R"({"rules": [
      {"name": "busy", "match": {"invoiceId": "G000000503"}, "timeline": [{"status": "succeeded", "rows": 5}],
       "faults": [{"on": "blob", "status": 503}]},
      {"name": "broken", "match": {"invoiceId": "G000000500"}, "timeline": [{"status": "succeeded", "rows": 5}],
       "faults": [{"on": "blob", "status": 500}]},
      {"name": "denied", "match": {"invoiceId": "G000000403"}, "timeline": [{"status": "succeeded", "rows": 5}],
       "faults": [{"on": "blob", "status": 403, "code": "AuthorizationPermissionMismatch"}]},
      {"name": "list only", "match": {"invoiceId": "G000000401"},
       "timeline": [{"status": "succeeded", "rows": 5, "sas": {"permissions": "l"}}]},
      {"name": "not yet", "match": {"invoiceId": "G000000425"},
       "timeline": [{"status": "succeeded", "rows": 5, "sas": {"permissions": "rl", "startsIn": "10m"}}]}]})"}},
                                  Admin::Load::replace);
    blob_ = path_on(fake_->base_url(), blob_url(poll_to_completion(start_export())["resourceLocation"]));
    blob_path_ = blob_.substr(0, blob_.find('?'));
    directory_ = blob_path_.substr(0, blob_path_.rfind('/'));
    sas_ = blob_.substr(blob_.find('?') + 1);
  }

  std::string faulty_blob(const std::string& invoice) {
    return path_on(fake_->base_url(), blob_url(poll_to_completion(start_export(invoice))["resourceLocation"]));
  }

  std::optional<RawResponse> send(const std::string& request) {
    RawSocket socket(fake_->port());
    if (!socket.connected()) return std::nullopt;
    // A refusal may come before the fake takes all of an oversized request.
    static_cast<void>(socket.send(request));
    return socket.read_response();
  }

  // The status, x-ms-error-code and Azure's XML error body, with the
  // request id the headers carry.
  void expect_azure_error(const BlobErrorCase& error_case) {
    SCOPED_TRACE(error_case.name);
    const auto response = send(error_case.request);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, error_case.status) << response->head << "\n" << response->body;
    EXPECT_EQ(blob_error_header(*response, "x-ms-error-code"), lower_case_of(error_case.code));
    const auto request_id = blob_error_header(*response, "x-ms-request-id");
    EXPECT_NE(request_id, "<absent>");
    EXPECT_EQ(blob_error_header(*response, "x-ms-version"), "2021-08-06");
    EXPECT_EQ(blob_error_header(*response, "content-type"), "application/xml");
    const std::string start = "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + error_case.code +
                              "</Code><Message>";
    EXPECT_EQ(response->body.substr(0, start.size()), start) << response->body;
    EXPECT_NE(response->body.find("\nRequestId:" + request_id + "\nTime:"), std::string::npos) << response->body;
    EXPECT_TRUE(response->body.ends_with("</Error>")) << response->body;
  }

  std::string blob_;       // path and SAS of a blob a manifest lists
  std::string blob_path_;  // without the SAS
  std::string directory_;  // the manifest's rootDirectory, as a path
  std::string sas_;
};

TEST_F(BlobErrors, EveryRefusalOnABlobPathIsAzureXmlWithItsErrorCode) {
  std::string tampered = blob_;
  tampered.replace(tampered.find("sig=") + 4, 4, "AAAA");
  std::string many_headers;
  for (int i = 0; i < 101; ++i) many_headers += "x-h" + std::to_string(i) + ": v\r\n";
  const std::string long_header = "x-long: " + std::string(70 * 1024, 'a') + "\r\n";
  const std::vector<BlobErrorCase> cases = {
      {"no SAS", blob_request("GET", blob_path_), 403, "AuthenticationFailed"},
      {"a changed signature", blob_request("GET", tampered), 403, "AuthenticationFailed"},
      {"a SAS field given twice", blob_request("GET", blob_ + "&sp=rl"), 403, "AuthenticationFailed"},
      {"a blob the manifest does not list",
       blob_request("GET", directory_ + "/part-00000-missing.c000.json.gz?" + sas_), 404, "BlobNotFound"},
      {"a blob in a subdirectory", blob_request("GET", directory_ + "/sub/x.json.gz?" + sas_), 404, "BlobNotFound"},
      {"the account", blob_request("GET", "/devstoreaccount1"), 404, "ResourceNotFound"},
      {"a container", blob_request("GET", "/devstoreaccount1/billed?restype=container"), 404, "ResourceNotFound"},
      {"POST", blob_request("POST", blob_, "", "x"), 405, "UnsupportedHttpVerb"},
      {"PUT", blob_request("PUT", blob_, "", "x"), 405, "UnsupportedHttpVerb"},
      {"DELETE", blob_request("DELETE", blob_), 405, "UnsupportedHttpVerb"},
      {"PATCH", blob_request("PATCH", blob_, "", "x"), 405, "UnsupportedHttpVerb"},
      {"OPTIONS", blob_request("OPTIONS", blob_), 405, "UnsupportedHttpVerb"},
      {"a range past the blob", blob_request("GET", blob_, "x-ms-range: bytes=99999999-\r\n"), 416, "InvalidRange"},
      {"If-Match another ETag", blob_request("GET", blob_, "If-Match: \"0x8D0000000000000\"\r\n"), 412,
       "ConditionNotMet"},
      {"If-Unmodified-Since before the blob",
       blob_request("GET", blob_, "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT\r\n"), 412, "ConditionNotMet"},
      {"If-None-Match *", blob_request("GET", blob_, "If-None-Match: *\r\n"), 400, "UnsatisfiableCondition"},
      {"If-Modified-Since twice",
       blob_request("GET", blob_,
                    "If-Modified-Since: Mon, 01 Jan 2024 00:00:00 GMT\r\nIf-Modified-Since: Mon, 01 Jan 2024 "
                    "00:00:00 GMT\r\n"),
       400, "MultipleConditionHeadersNotSupported"},
      {"a scripted 503", blob_request("GET", faulty_blob("G000000503")), 503, "ServerBusy"},
      {"a scripted 500", blob_request("GET", faulty_blob("G000000500")), 500, "InternalError"},
      {"a scripted 403", blob_request("GET", faulty_blob("G000000403")), 403, "AuthorizationPermissionMismatch"},
      {"a namespace prefix naming no namespace", blob_request("GET", "/_ns/nowhere" + blob_), 404,
       "ResourceNotFound"},
      {"a namespace header naming no namespace", blob_request("GET", blob_, "X-Graphfake-Namespace: nowhere\r\n"),
       404, "ResourceNotFound"},
      {"an overlong target", blob_request("GET", "/devstoreaccount1/c/" + std::string(10'000, 'a')), 414,
       "InvalidUri"},
      {"too many header fields", blob_request("GET", blob_, many_headers), 431, "InvalidHeaderValue"},
      {"an overlong head", blob_request("GET", blob_, long_header), 431, "InvalidHeaderValue"},
      {"a body past the limit",
       "PUT " + blob_path_ + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2097152\r\n\r\n", 413,
       "RequestBodyTooLarge"},
      {"a header line without a colon", blob_request("GET", blob_, "no colon here\r\n"), 400, "InvalidInput"},
      {"a control character in the target", blob_request("GET", blob_path_ + "\x01" + "x"), 400, "InvalidInput"},
      {"an HTTP version it does not speak", "GET " + blob_ + " HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505,
       "UnsupportedHttpVersion"},
      {"no Host", "GET " + blob_ + " HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "InvalidInput"},
      {"an unknown Content-Encoding", blob_request("PUT", blob_, "Content-Encoding: br\r\n", "x"), 415,
       "InvalidInput"},
      {"an unknown Transfer-Encoding",
       "PUT " + blob_ + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501,
       "InvalidInput"},
      {"both Transfer-Encoding and Content-Length",
       "PUT " + blob_ + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 400,
       "InvalidInput"},
      {"a Content-Length that is not a number", blob_request("PUT", blob_, "Content-Length: five\r\n"), 400,
       "InvalidInput"},
      {"broken chunk framing",
       "PUT " + blob_ + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400,
       "InvalidInput"},
      {"an expectation it cannot meet", blob_request("PUT", blob_, "Expect: 200-ok\r\n", "x"), 417, "InvalidInput"},
      {"a head that never ends", "GET " + blob_ + " HTTP/1.1\r\nHost: 127.0.0.1\r\n", 408, "RequestTimeout"},
  };
  for (const auto& error_case : cases) expect_azure_error(error_case);
}

TEST_F(BlobErrors, AnExpiredSasIsAzureXml) {
  clock_->advance(2h);
  expect_azure_error({"an expired SAS", blob_request("GET", blob_), 403, "AuthenticationFailed"});
}

// A scenario's "sas" has the fake sign a SAS Azure refuses, validly: the
// refusal is Azure's, not a scripted fault's.
TEST_F(BlobErrors, AScenarioSasWithoutReadIsRefusedWithAuthorizationPermissionMismatch) {
  const auto blob = faulty_blob("G000000401");
  EXPECT_NE(blob.find("&sp=l&"), std::string::npos) << blob;
  expect_azure_error({"a SAS without read", blob_request("GET", blob), 403, "AuthorizationPermissionMismatch"});
}

TEST_F(BlobErrors, AScenarioSasStartingLaterIsRefusedUntilItsStart) {
  const auto blob = faulty_blob("G000000425");
  EXPECT_NE(blob.find("&st="), std::string::npos) << blob;
  expect_azure_error({"a SAS not yet valid", blob_request("GET", blob), 403, "AuthenticationFailed"});
  const auto refused = send(blob_request("GET", blob));
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->body.find("Signature not valid in the specified time frame"), std::string::npos) << refused->body;
  clock_->advance(10min);
  const auto served = send(blob_request("GET", blob));
  ASSERT_TRUE(served);
  EXPECT_EQ(served->status, 200) << served->head;
}

TEST_F(BlobErrors, AHeadRefusalCarriesTheCodeInItsHeaderOnly) {
  const auto result = client_->Head(blob_path_.c_str());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 403);
  EXPECT_EQ(result->get_header_value("x-ms-error-code"), "AuthenticationFailed");
  EXPECT_FALSE(result->get_header_value("x-ms-request-id").empty());
  EXPECT_TRUE(result->body.empty());
}

TEST_F(BlobErrors, IfNoneMatchOfTheEtagIs304WithConditionNotMetAndNoBody) {
  const auto served = get_unauthenticated(blob_);
  ASSERT_TRUE(served);
  const auto etag = served->get_header_value("ETag");
  const auto response = send(blob_request("GET", blob_, "If-None-Match: " + etag + "\r\n"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 304);
  EXPECT_EQ(blob_error_header(*response, "x-ms-error-code"), "conditionnotmet");
  EXPECT_EQ(blob_error_header(*response, "etag"), lower_case_of(etag));
  EXPECT_TRUE(response->body.empty());
}

}  // namespace
}  // namespace graphfake::testing
