#include "dashboard/render.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "unit_test_values.h"

namespace graphfake::dashboard {
namespace {

using unit_test::t0;

using namespace std::chrono_literals;

constexpr const char* kDrawnOperation = "7e57ab1e-0000-4000-8000-000000000001";

JournalEntry drawn_poll(std::uint64_t sequence, TimePoint at, std::optional<int> retry_after,
                        const std::string& operation_id = kDrawnOperation) {
  JournalEntry e;
  e.sequence = sequence;
  e.at = at;
  e.method = "GET";
  e.path = "/v1.0/reports/partners/billing/operations/" + operation_id;
  e.status = 200;
  e.endpoint = Endpoint::operation;
  e.operation_id = operation_id;
  e.operation_status = OperationStatus::running;
  e.request_headers = {{"client-request-id", "c"}};
  if (retry_after) e.response_headers.emplace_back("Retry-After", std::to_string(*retry_after));
  return e;
}

OperationInfo drawn_operation(const std::string& id, std::string invoice = "G000000007") {
  OperationInfo info;
  info.id = id;
  info.invoice_id = std::move(invoice);
  info.attribute_set = "full";
  info.phase_count = 2;
  return info;
}

TEST(DashboardRender, EscapesTextForHtml) {
  EXPECT_EQ(html_escaped(R"(<a href="x">&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
}

TEST(DashboardRender, ReplacesControlCharactersHtmlDoesNotAllow) {
  EXPECT_EQ(html_escaped(std::string("a\x01" "b\n")), "a\xEF\xBF\xBD" "b\n");
}

TEST(DashboardRender, TimelineSvgNamesItsOperationAndTitlesEachMarkInWords) {
  const auto timeline = timeline_of(kDrawnOperation, {drawn_poll(1, t0, 10), drawn_poll(2, t0 + 2s, 10)});

  const auto svg = timeline_svg(timeline);

  EXPECT_NE(svg.find(std::string("id=\"timeline-") + kDrawnOperation + "\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("<g class=\"mark poll early\" data-sequence=\"2\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>#2 at +2.0 s: GET poll, answered 200 running, Retry-After 10 s; EARLY by 8.0 s</title>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<rect class=\"window\""), std::string::npos) << svg;
}

TEST(DashboardRender, TimelineSvgEscapesWhatTheClientSent) {
  auto entry = drawn_poll(1, t0, std::nullopt);
  entry.endpoint = Endpoint::blob;
  entry.request_headers.emplace_back("range", "bytes=<script>");
  const auto svg = timeline_svg(timeline_of(kDrawnOperation, {entry}));
  EXPECT_EQ(svg.find("<script>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("bytes=&lt;script&gt;"), std::string::npos) << svg;
}

TEST(DashboardRender, MarksABlobWhoseBytesAFaultBent) {
  auto entry = drawn_poll(1, t0, std::nullopt);
  entry.endpoint = Endpoint::blob;
  entry.fault = "gzip truncated";
  const auto svg = timeline_svg(timeline_of(kDrawnOperation, {entry}));
  EXPECT_NE(svg.find("<g class=\"mark blob bent\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("class=\"g-bent\""), std::string::npos) << svg;
}

TEST(DashboardRender, ReportPageHasNoScriptAndNamesTheInvoice) {
  NamespaceView view;
  view.operations = {drawn_operation(kDrawnOperation)};
  view.journal = {drawn_poll(1, t0, 10)};

  const auto page = report_page({view});

  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_NE(page.find("invoice G000000007"), std::string::npos);
  EXPECT_NE(page.find(std::string("<article class=\"operation\" id=\"op-") + kDrawnOperation), std::string::npos);
}

TEST(DashboardRender, ReportPageDrawsOperationsWithFindingsFirstPastTheCap) {
  NamespaceView view;
  for (std::size_t i = 0; i <= kMaxDrawnOperations; ++i) {
    view.operations.push_back(drawn_operation(fmt::format("op-{:04}", i)));
  }
  const auto& last = view.operations.back().id;
  view.journal = {drawn_poll(1, t0, 10, last), drawn_poll(2, t0 + 1s, 10, last)};
  view.report.operations.resize(1);
  view.report.operations[0].operation_id = last;
  view.report.operations[0].early_polls.push_back(EarlyPoll{2, 9s});

  const auto page = report_page({view});

  EXPECT_NE(page.find("<article class=\"operation\" id=\"op-" + last + "\""), std::string::npos);
  EXPECT_EQ(page.find("<article class=\"operation\" id=\"op-op-0199\""), std::string::npos);
  EXPECT_NE(page.find(fmt::format("{} of {} operations are drawn", kMaxDrawnOperations, kMaxDrawnOperations + 1)),
            std::string::npos);
}

}  // namespace
}  // namespace graphfake::dashboard
