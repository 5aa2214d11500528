// The library as a user embeds it: start, read base_url, stop.
#include <regex>

#include "support/http_support.h"

namespace graphfake::testing {
namespace {

TEST(Embedding, DefaultOptions_ListenOnAnEphemeralLoopbackPort) {
  Server fake;
  EXPECT_NE(fake.port(), 0);
  EXPECT_EQ(fake.base_url(), "http://127.0.0.1:" + std::to_string(fake.port()));
}

TEST(Embedding, Constructor_ReturnsOnceRequestsAreServed) {
  Server fake;
  httplib::Client client(fake.base_url());
  auto result = client.Get("/v1.0/reports/partners/billing/operations/6fe687d7-1e0f-4bd6-9091-4672691f64bc");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 401);
}

TEST(Embedding, TwoServers_ShareNoOperations) {
  Server first;
  Server second;
  const auto token = make_token();
  httplib::Client to_first(first.base_url());
  auto accepted = to_first.Post(kBilledExportPath, {{"Authorization", "Bearer " + token}}, R"({"invoiceId":"G1"})",
                                "application/json");
  ASSERT_TRUE(accepted);
  ASSERT_EQ(accepted->status, 202);
  const auto location = accepted->get_header_value("Location");
  const auto path = path_on(first.base_url(), location);

  httplib::Client to_second(second.base_url());
  EXPECT_EQ(to_second.Get(path.c_str(), {{"Authorization", "Bearer " + token}})->status, 404);
  EXPECT_EQ(to_first.Get(path.c_str(), {{"Authorization", "Bearer " + token}})->status, 200);
}

TEST(Embedding, TwoServersWithOneSeed_GiveTheSameIds) {
  Server first({.seed = 7});
  Server second({.seed = 7});
  const auto token = make_token();
  auto location_of = [&](const Server& fake) {
    httplib::Client client(fake.base_url());
    return path_on(fake.base_url(), client.Post(kBilledExportPath, {{"Authorization", "Bearer " + token}},
                                                R"({"invoiceId":"G1"})", "application/json")
                                        ->get_header_value("Location"));
  };
  EXPECT_EQ(location_of(first), location_of(second));
}

TEST(Embedding, BusyPort_ThrowsNamingTheAddress) {
  Server first;
  try {
    Server second({.port = first.port()});
    FAIL() << "a second server bound the same port";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("127.0.0.1:" + std::to_string(first.port())), std::string::npos)
        << error.what();
  }
}

TEST(Embedding, Stop_RefusesNewConnectionsAndIsIdempotent) {
  Server fake;
  const auto url = fake.base_url();
  fake.stop();
  fake.stop();
  httplib::Client client(url);
  EXPECT_FALSE(client.Get("/"));
}


TEST(Embedding, KeepAliveClient_IsServedManyRequestsOnOneConnection) {
  Server fake;
  httplib::Client client(fake.base_url());
  client.set_keep_alive(true);
  for (int i = 0; i < 20; ++i) {
    auto result = client.Get("/");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 404);
    // httplib closes after 5 requests by default, marking the last "Connection: close".
    EXPECT_EQ(result->get_header_value("Connection"), "") << "request " << i;
  }
}

}  // namespace
}  // namespace graphfake::testing
