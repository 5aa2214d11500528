// HttpAdmin against answers the graphfake binary gives rarely or never: a
// busy 503 and an error that is not the admin API's. A plain server plays
// the fake.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include "graphfake/http_admin.h"

namespace graphfake::testing {
namespace {

// A server on an ephemeral loopback port, stopped when it goes.
class StandInFake {
 public:
  explicit StandInFake(httplib::Server::Handler clock_handler) {
    server_.Get("/_graphfake/clock", std::move(clock_handler));
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening: a connection waits in the backlog until the loop accepts it.
    serving_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~StandInFake() {
    server_.stop();
    serving_.join();
  }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread serving_;
};

TEST(HttpAdminAnswers, A503WithRetryAfterIsSentAgainAfterIt) {
  std::atomic<int> asked{0};
  StandInFake fake([&](const httplib::Request&, httplib::Response& res) {
    if (asked.fetch_add(1) == 0) {
      res.status = 503;
      res.set_header("Retry-After", "1");
      res.set_content(R"({"error": {"code": "serviceUnavailable", "message": "busy"}})", "application/json");
      return;
    }
    res.set_content(R"({"now": "2025-01-01T00:00:00.000Z"})", "application/json");
  });
  const HttpAdmin admin(fake.base_url());
  EXPECT_EQ(admin.now(), VirtualClock::default_start());
  EXPECT_EQ(asked.load(), 2);
}

TEST(HttpAdminAnswers, A503PastTheTimeoutIsAnAdminError) {
  StandInFake fake([&](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "5");
    res.set_content(R"({"error": {"code": "serviceUnavailable", "message": "busy"}})", "application/json");
  });
  const HttpAdmin admin(fake.base_url(), HttpAdminOptions{.timeout = std::chrono::milliseconds(500)});
  try {
    admin.now();
    FAIL() << "no AdminError";
  } catch (const AdminError& error) {
    EXPECT_EQ(error.status(), 503);
    EXPECT_EQ(error.code(), "serviceUnavailable");
  }
}

TEST(HttpAdminAnswers, AnErrorWhoseCodeIsNoTextIsARuntimeErrorNamingTheUrl) {
  StandInFake fake([&](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content(R"({"error": {"code": 7, "message": "odd"}})", "application/json");
  });
  const HttpAdmin admin(fake.base_url());
  try {
    admin.now();
    FAIL() << "no runtime_error";
  } catch (const AdminError&) {
    FAIL() << "an answer that is not the admin API's is no AdminError";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(fake.base_url()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace graphfake::testing
