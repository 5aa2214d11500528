#include "admin/admin_routes.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "graphfake/clock.h"
#include "graphfake/server.h"

namespace graphfake::admin {
namespace {

class AdminRoutes : public ::testing::Test {
 protected:
  // Serves GET `path` under /_graphfake and returns the response unsent.
  handlers::Reply get(const std::string& path) {
    const std::string sent = "/_graphfake" + path;
    const handlers::Call call{"GET", sent, sent, no_headers_, no_parameters_, ""};
    return answer_admin(call, AdminRequest{namespaces::namespace_target(sent, nullptr), "http://127.0.0.1:1"},
                        registry_);
  }

  const handlers::Headers no_headers_{};
  const std::multimap<std::string, std::string> no_parameters_{};

  namespaces::NamespaceRegistry registry_{[] {
    Options options;
    options.clock = std::make_shared<VirtualClock>();
    return options;
  }()};
};

// A listing or report is held in memory until its client has read it, so
// only eight are in flight at once: a client that never reads cannot make
// the fake hold more.
TEST_F(AdminRoutes, ANinthLargeAnswerInFlightIs503WithRetryAfter) {
  std::vector<handlers::Reply> unsent;
  for (const char* path : {"/journal", "/journal/unmatched", "/operations", "/report", "/journal", "/journal",
                           "/operations", "/report"}) {
    unsent.push_back(get(path));
    ASSERT_EQ(unsent.back().status, 200) << path;
  }
  const auto refused = get("/journal");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.header("Retry-After"), "1");
  EXPECT_NE(refused.body.find("\"serviceUnavailable\""), std::string::npos) << refused.body;
}

TEST_F(AdminRoutes, ALargeAnswerSentFreesItsSlot) {
  std::vector<handlers::Reply> unsent;
  for (int i = 0; i < 8; ++i) unsent.push_back(get("/journal"));
  unsent.pop_back();
  EXPECT_EQ(get("/report").status, 200);
}

TEST_F(AdminRoutes, SmallAnswersNeedNoSlot) {
  std::vector<handlers::Reply> unsent;
  for (int i = 0; i < 8; ++i) unsent.push_back(get("/journal"));
  EXPECT_EQ(get("/health").status, 200);
  EXPECT_EQ(get("/clock").status, 200);
}

}  // namespace
}  // namespace graphfake::admin
