// The fake as a busy CI or a hostile client meets it over real sockets:
// many keep-alive connections, pipelined and half-closed requests, heads
// trickled byte by byte, bodies and heads past the limits. Every case ends
// with the fake still answering.

#include <zlib.h>

#include <memory>
#include <thread>
#include <vector>

#include "support/http_support.h"
#include "support/raw_socket.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

const std::string kHealth = "GET /_graphfake/health HTTP/1.1\r\nHost: fake\r\n\r\n";

std::string export_request(const std::string& body, const std::string& extra_headers = {}) {
  return "POST /v1.0/reports/partners/billing/reconciliation/billed/export HTTP/1.1\r\nHost: fake\r\n"
         "Authorization: Bearer " +
         make_token() + "\r\nContent-Type: application/json\r\n" + extra_headers + "\r\n" + body;
}

std::string gzipped(std::string_view text) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

bool answers_health(const Server& fake) {
  RawSocket socket(fake.port());
  if (!socket.send(kHealth)) return false;
  const auto response = socket.read_response();
  return response && response->status == 200;
}

TEST(Connections, MoreKeepAliveClientsThanThreadsOnceWereAreAllServed) {
  Server fake;
  std::vector<std::unique_ptr<RawSocket>> clients;
  for (int i = 0; i < 128; ++i) {
    clients.push_back(std::make_unique<RawSocket>(fake.port()));
    ASSERT_TRUE(clients.back()->send(kHealth));
  }
  // Every connection stays open, and every one is answered, twice.
  for (int round = 0; round < 2; ++round) {
    for (auto& client : clients) {
      const auto response = client->read_response();
      ASSERT_TRUE(response) << "a keep-alive client was left waiting";
      EXPECT_EQ(response->status, 200);
      if (round == 0) {
        ASSERT_TRUE(client->send(kHealth));
      }
    }
  }
}

TEST(Connections, PastMaxConnectionsTheNextIsAnswered503AtOnce) {
  Server fake({.max_connections = 4});
  std::vector<std::unique_ptr<RawSocket>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawSocket>(fake.port()));
    ASSERT_TRUE(held.back()->send(kHealth));
    ASSERT_TRUE(held.back()->read_response());
  }
  RawSocket one_more(fake.port());
  const auto refused = one_more.read_response();
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_NE(refused->head.find("retry-after: 1"), std::string::npos);
  EXPECT_EQ(Json::parse(refused->body)["error"]["code"], "ServiceUnavailable");
  EXPECT_TRUE(one_more.closed_by_server());

  held.pop_back();  // a slot frees as soon as the server sees the close
  bool served = false;
  for (int attempt = 0; attempt < 200 && !served; ++attempt) {
    served = answers_health(fake);
    if (!served) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(served);
}

TEST(Connections, ClientsTricklingTheirHeadsDoNotStopOthers) {
  Server fake({.request_timeout = 500ms});
  std::vector<std::unique_ptr<RawSocket>> trickling;
  for (int i = 0; i < 32; ++i) {
    trickling.push_back(std::make_unique<RawSocket>(fake.port()));
    ASSERT_TRUE(trickling.back()->send("GET /_graphfake/health HTTP/1.1\r\n"));
  }
  for (int byte = 0; byte < 3; ++byte) {
    for (auto& socket : trickling) socket->send("X");
    EXPECT_TRUE(answers_health(fake));
    std::this_thread::sleep_for(100ms);
  }
  // Each trickler is cut off with a 408 once its head is overdue.
  for (auto& socket : trickling) {
    const auto response = socket->read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 408);
    EXPECT_TRUE(socket->closed_by_server());
  }
  EXPECT_TRUE(answers_health(fake));
}

TEST(Connections, PipelinedRequestsAreAllAnsweredAndJournaledInOrder) {
  Server fake;
  RawSocket socket(fake.port());
  std::string pipeline;
  for (int i = 0; i < 10; ++i) {
    pipeline += "GET /v1.0/reports/partners/billing/operations/" + std::to_string(i) + " HTTP/1.1\r\nHost: fake\r\n\r\n";
  }
  ASSERT_TRUE(socket.send(pipeline));
  for (int i = 0; i < 10; ++i) {
    const auto response = socket.read_response();
    ASSERT_TRUE(response) << "pipelined request " << i << " was not answered";
    EXPECT_EQ(response->status, 401);
  }
  const auto journal = fake.admin().journal();
  ASSERT_EQ(journal.size(), 10u);
  EXPECT_EQ(journal.back().path, "/v1.0/reports/partners/billing/operations/9");
}

TEST(Connections, RequestFollowedByAHalfCloseIsAlwaysAnswered) {
  Server fake;
  for (int i = 0; i < 50; ++i) {
    RawSocket socket(fake.port());
    ASSERT_TRUE(socket.send(kHealth));
    socket.shutdown_write();
    const auto response = socket.read_response();
    ASSERT_TRUE(response) << "attempt " << i;
    EXPECT_EQ(response->status, 200);
  }
}

TEST(Connections, ChunkedBodyPastTheLimitIs413InGraphsEnvelope) {
  Server fake;
  RawSocket socket(fake.port());
  std::string request = export_request("", "Transfer-Encoding: chunked\r\n");
  const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
  socket.send(request);
  for (int i = 0; i < 40; ++i) {
    if (!socket.send(chunk)) break;  // the server may answer and close before all of it is sent
  }
  const auto response = socket.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(Json::parse(response->body)["error"]["code"], "RequestEntityTooLarge");
  EXPECT_TRUE(answers_health(fake));
}

TEST(Connections, GzipBodyThatInflatesPastTheLimitIs413) {
  Server fake;
  RawSocket socket(fake.port());
  const auto bomb = gzipped(std::string(50 * 1024 * 1024, ' '));
  ASSERT_TRUE(socket.send(export_request(bomb, "Content-Encoding: gzip\r\nContent-Length: " +
                                                   std::to_string(bomb.size()) + "\r\n")));
  const auto response = socket.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(answers_health(fake));
}

TEST(Connections, GzipEncodedExportIsAccepted) {
  Server fake;
  RawSocket socket(fake.port());
  const auto body = gzipped(R"({"invoiceId":"G016907411","attributeSet":"full"})");
  ASSERT_TRUE(socket.send(export_request(body, "Content-Encoding: gzip\r\nContent-Length: " +
                                                   std::to_string(body.size()) + "\r\n")));
  const auto response = socket.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 202);
}

TEST(Connections, TooManyHeaderFieldsIs431AndNothingIsKeptOfThem) {
  Server fake;
  RawSocket socket(fake.port());
  std::string request = "GET /v1.0/reports/partners/billing/operations/x HTTP/1.1\r\nHost: fake\r\n";
  for (int i = 0; i < 50'000; ++i) request += "X-Header-" + std::to_string(i) + ": v\r\n";
  socket.send(request + "\r\n");
  const auto response = socket.read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(Json::parse(response->body)["error"]["code"], "RequestHeaderFieldsTooLarge");
  const auto journal = fake.admin().journal();
  ASSERT_EQ(journal.size(), 1u);
  EXPECT_LT(journal[0].request_headers.size(), 10u);
  EXPECT_TRUE(answers_health(fake));
}

TEST(Connections, StopCutsOffAClientThatDoesNotRead) {
  Server fake({.clock = std::make_shared<VirtualClock>(), .rows_per_export = 50'000, .rows_per_blob = 50'000});
  httplib::Client client(fake.base_url());
  const httplib::Headers auth{{"Authorization", "Bearer " + make_token()}};
  const auto location =
      client.Post(kBilledExportPath, auth, R"({"invoiceId":"G016907411"})", "application/json")->get_header_value("Location");
  Json operation = Json::object();
  for (int poll = 0; poll < 20 && operation.value("status", "") != "succeeded"; ++poll) {
    fake.admin().advance_clock(std::chrono::seconds(10));
    operation = Json::parse(client.Get(path_on(fake.base_url(), location), auth)->body);
  }
  ASSERT_EQ(operation["status"], "succeeded");
  RawSocket reader(fake.port(), 4096);
  const auto url = path_on(fake.base_url(), blob_url(operation["resourceLocation"], 0));
  ASSERT_TRUE(reader.send("GET " + url + " HTTP/1.1\r\nHost: fake\r\n\r\n"));
  std::this_thread::sleep_for(200ms);  // the server fills the socket buffers, then waits on the client
  fake.stop();  // returns: a test that hangs here fails by ctest's timeout
  EXPECT_TRUE(reader.closed_by_server());
}

}  // namespace
}  // namespace graphfake::testing
