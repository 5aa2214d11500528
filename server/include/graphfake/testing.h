#pragma once

// GoogleTest helpers: assertions and gmock matchers over what a fake's
// clients did. Link graphfake::testing (it brings GTest::gmock).
//
//   EXPECT_EXPORT_REQUESTED(fake, "G016907411");
//   EXPECT_POLLS(fake, operation_id, 3);
//   EXPECT_CLIENT_BEHAVED(fake);  // or EXPECT_CLIENT_HONOURED_RETRY_AFTER(fake)
//   using namespace graphfake::gtest;
//   EXPECT_THAT(fake.admin().journal(), Contains(AllOf(IsPoll(), HasStatus(429))));
//
// `fake` is a graphfake::Server or any Admin: fake.admin(), a namespace's
// LocalAdmin, or an HttpAdmin (graphfake/http_admin.h) reaching a graphfake
// binary started elsewhere.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graphfake/admin.h"
#include "graphfake/server.h"

// --- assertions ---------------------------------------------------------------------

// The journal holds an export request for the invoice, whatever it was answered.
#define EXPECT_EXPORT_REQUESTED(fake_or_admin, invoice_id) \
  EXPECT_PRED_FORMAT2(::graphfake::gtest::ExportRequested, fake_or_admin, invoice_id)
#define ASSERT_EXPORT_REQUESTED(fake_or_admin, invoice_id) \
  ASSERT_PRED_FORMAT2(::graphfake::gtest::ExportRequested, fake_or_admin, invoice_id)

// The journal holds exactly n polls of the operation (its id, any case).
#define EXPECT_POLLS(fake_or_admin, operation_id, n) \
  EXPECT_PRED_FORMAT3(::graphfake::gtest::PollsOf, fake_or_admin, operation_id, n)
#define ASSERT_POLLS(fake_or_admin, operation_id, n) \
  ASSERT_PRED_FORMAT3(::graphfake::gtest::PollsOf, fake_or_admin, operation_id, n)

// ClientReport::honoured_retry_after(): no poll, and no export sent again,
// before the Retry-After last advertised for it elapsed.
#define EXPECT_CLIENT_HONOURED_RETRY_AFTER(fake_or_admin) \
  EXPECT_PRED_FORMAT1(::graphfake::gtest::ClientHonouredRetryAfter, fake_or_admin)
#define ASSERT_CLIENT_HONOURED_RETRY_AFTER(fake_or_admin) \
  ASSERT_PRED_FORMAT1(::graphfake::gtest::ClientHonouredRetryAfter, fake_or_admin)

// ClientReport::clean(): Retry-After honoured, no polls after a terminal
// status, every poll to its Location and of an operation the fake gave out,
// client-request-id on every request.
#define EXPECT_CLIENT_BEHAVED(fake_or_admin) \
  EXPECT_PRED_FORMAT1(::graphfake::gtest::ClientBehaved, fake_or_admin)
#define ASSERT_CLIENT_BEHAVED(fake_or_admin) \
  ASSERT_PRED_FORMAT1(::graphfake::gtest::ClientBehaved, fake_or_admin)

namespace graphfake {

namespace gtest {
namespace detail {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

inline const HeaderPairs::value_type* find_header(const HeaderPairs& headers, std::string_view name) {
  for (const auto& header : headers) {
    if (iequals(header.first, name)) return &header;
  }
  return nullptr;
}

// 2025-01-01T00:00:12Z, or 2025-01-01T00:00:12.250Z.
inline std::string format_time(TimePoint at) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(at);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss time{ms - day};
  std::ostringstream out;
  out.fill('0');
  out.width(4);
  out << static_cast<int>(date.year()) << '-';
  out.width(2);
  out << static_cast<unsigned>(date.month()) << '-';
  out.width(2);
  out << static_cast<unsigned>(date.day()) << 'T';
  out.width(2);
  out << time.hours().count() << ':';
  out.width(2);
  out << time.minutes().count() << ':';
  out.width(2);
  out << time.seconds().count();
  if (const auto fraction = time.subseconds().count(); fraction != 0) {
    out << '.';
    out.width(3);
    out << fraction;
  }
  out << 'Z';
  return out.str();
}

// 18 s, 0.25 s
inline std::string format_seconds(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  std::string text = std::to_string(ms / 1000);
  if (auto fraction = ms % 1000; fraction != 0) {
    if (fraction < 0) fraction = -fraction;
    std::string digits = std::to_string(fraction);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text + " s";
}

inline std::string quoted(std::string_view text) { return ::testing::PrintToString(std::string(text)); }

// `expression`, followed by its value when the expression is not that value
// spelled out.
inline std::string expression_and_value(const char* expression, const std::string& value_text) {
  if (value_text == expression) return expression;
  return std::string(expression) + " (" + value_text + ")";
}

inline std::string entry_line(const JournalEntry& entry) {
  std::ostringstream out;
  PrintTo(entry, &out);
  return out.str();
}

inline std::string dropped_note(const Admin& admin) {
  const auto dropped = admin.journal_dropped();
  if (dropped == 0) return {};
  return "\n(the journal dropped its " + std::to_string(dropped) +
         " oldest entries to stay within Options::journal_capacity)";
}

inline std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

inline std::string early_polls_text(const OperationBehaviour& operation,
                                    const std::map<std::uint64_t, const JournalEntry*>& by_sequence) {
  std::string text = plural(operation.early_polls.size(), "poll", "polls") + " before its Retry-After elapsed:";
  for (const auto& early : operation.early_polls) {
    text += "\n      poll #" + std::to_string(early.sequence);
    if (const auto it = by_sequence.find(early.sequence); it != by_sequence.end()) {
      text += " at " + format_time(it->second->at);
    }
    text += ", " + format_seconds(early.early_by) + " early";
  }
  return text;
}

// Every finding of the report as "  operation <id> (...):\n    - ..." lines;
// with retry_after_only, only those honoured_retry_after() looks at.
inline std::string report_findings(const Admin& admin, const ClientReport& report, bool retry_after_only) {
  const auto journal = admin.journal();
  std::map<std::uint64_t, const JournalEntry*> by_sequence;
  for (const auto& entry : journal) by_sequence.emplace(entry.sequence, &entry);

  std::string text;
  std::uint64_t without_id_in_operations = 0;
  for (const auto& operation : report.operations) {
    without_id_in_operations += operation.requests_without_client_request_id;
    std::vector<std::string> findings;
    if (!operation.early_polls.empty()) findings.push_back(early_polls_text(operation, by_sequence));
    if (operation.ignored_429s != 0) {
      findings.push_back(plural(operation.ignored_429s, "poll", "polls") + " before the Retry-After of a 429");
    }
    if (!retry_after_only) {
      if (operation.polls_after_success != 0) {
        findings.push_back(plural(operation.polls_after_success, "poll", "polls") +
                           " after one was told \"succeeded\"");
      }
      if (operation.failed_operation_retries != 0) {
        findings.push_back(plural(operation.failed_operation_retries, "poll", "polls") +
                           " after one was told \"failed\" (a failed operation never recovers: export again)");
      }
      if (operation.polls_to_other_url != 0) {
        findings.push_back(plural(operation.polls_to_other_url, "poll", "polls") + " to a URL other than its Location");
      }
      if (operation.requests_without_client_request_id != 0) {
        findings.push_back(plural(operation.requests_without_client_request_id, "request", "requests") +
                           " without client-request-id");
      }
    }
    if (findings.empty()) continue;
    text += "\n  operation " + operation.operation_id + " (" + plural(operation.polls, "poll", "polls");
    if (!operation.location.empty()) text += ", Location " + operation.location;
    text += "):";
    for (const auto& finding : findings) text += "\n    - " + finding;
  }
  if (report.ignored_export_429s != 0) {
    text += "\n  " + plural(report.ignored_export_429s, "export", "exports") +
            " sent again before the Retry-After of the 429 that refused it";
  }
  if (!retry_after_only && report.polls_of_unknown_operations != 0) {
    text += "\n  " + plural(report.polls_of_unknown_operations, "poll", "polls") +
            " of operation ids the fake never gave out";
  }
  if (!retry_after_only && report.requests_without_client_request_id > without_id_in_operations) {
    text += "\n  " +
            plural(report.requests_without_client_request_id - without_id_in_operations, "Graph request", "Graph requests") +
            " outside any operation without client-request-id";
  }
  return text;
}

template <typename Field, typename Arg>
class FieldMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
 public:
  FieldMatcher(const char* name, Field JournalEntry::*field, ::testing::Matcher<Arg> inner)
      : name_(name), field_(field), inner_(std::move(inner)) {}

  bool MatchAndExplain(const JournalEntry& entry, ::testing::MatchResultListener* listener) const override {
    ::testing::StringMatchResultListener inner_listener;
    const bool matched = inner_.MatchAndExplain(entry.*field_, &inner_listener);
    *listener << "whose " << name_ << " is " << ::testing::PrintToString(entry.*field_);
    if (!inner_listener.str().empty()) *listener << ", " << inner_listener.str();
    return matched;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has " << name_ << " that ";
    inner_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has " << name_ << " that ";
    inner_.DescribeNegationTo(os);
  }

 private:
  const char* name_;
  Field JournalEntry::*field_;
  ::testing::Matcher<Arg> inner_;
};

class EndpointMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
 public:
  EndpointMatcher(Endpoint endpoint, std::string what) : endpoint_(endpoint), what_(std::move(what)) {}

  bool MatchAndExplain(const JournalEntry& entry, ::testing::MatchResultListener* listener) const override {
    if (entry.endpoint == endpoint_) return true;
    *listener << "whose endpoint is " << quoted(to_string(entry.endpoint));
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "is " << what_ << " (endpoint " << quoted(to_string(endpoint_)) << ")";
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not " << what_ << " (endpoint " << quoted(to_string(endpoint_)) << ")";
  }

 private:
  Endpoint endpoint_;
  std::string what_;
};

class IdMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
 public:
  IdMatcher(const char* what, std::string JournalEntry::*field, std::string id, bool ignore_case)
      : what_(what), field_(field), id_(std::move(id)), ignore_case_(ignore_case) {}

  bool MatchAndExplain(const JournalEntry& entry, ::testing::MatchResultListener* listener) const override {
    const auto& actual = entry.*field_;
    if (ignore_case_ ? iequals(actual, id_) : actual == id_) return true;
    if (actual.empty()) {
      *listener << "which is for no " << what_;
    } else {
      *listener << "which is for " << what_ << " " << quoted(actual);
    }
    return false;
  }
  void DescribeTo(std::ostream* os) const override { describe(os, "is"); }
  void DescribeNegationTo(std::ostream* os) const override { describe(os, "is not"); }

 private:
  void describe(std::ostream* os, const char* verb) const {
    *os << verb << " for " << what_ << " " << quoted(id_);
    if (ignore_case_) *os << " (ignoring case)";
  }

  const char* what_;
  std::string JournalEntry::*field_;
  std::string id_;
  bool ignore_case_;
};

class HeaderMatcher : public ::testing::MatcherInterface<const JournalEntry&> {
 public:
  HeaderMatcher(bool request, std::string name, ::testing::Matcher<const std::string&> value)
      : request_(request), name_(std::move(name)), value_(std::move(value)) {}

  bool MatchAndExplain(const JournalEntry& entry, ::testing::MatchResultListener* listener) const override {
    const auto& headers = request_ ? entry.request_headers : entry.response_headers;
    std::vector<std::string> values;
    for (const auto& [name, value] : headers) {
      if (!iequals(name, name_)) continue;
      if (value_.Matches(value)) return true;
      values.push_back(value);
    }
    if (values.empty()) {
      *listener << "which has no " << kind() << " header " << quoted(name_);
      return false;
    }
    *listener << "whose " << kind() << " header " << quoted(name_) << " is ";
    for (std::size_t i = 0; i < values.size(); ++i) *listener << (i == 0 ? "" : ", ") << quoted(values[i]);
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has a " << kind() << " header " << quoted(name_) << " whose value ";
    value_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has no " << kind() << " header " << quoted(name_) << " whose value ";
    value_.DescribeTo(os);
  }

 private:
  const char* kind() const { return request_ ? "request" : "response"; }

  bool request_;
  std::string name_;
  ::testing::Matcher<const std::string&> value_;
};

}  // namespace detail

// --- predicate-formatters (what the macros above call) -----------------------------

inline ::testing::AssertionResult ExportRequested(const char* fake_expression, const char* invoice_expression,
                                                  const Admin& admin, const std::string& invoice_id) {
  const auto exports = admin.journal({.endpoint = Endpoint::export_request});
  for (const auto& entry : exports) {
    if (entry.invoice_id == invoice_id) return ::testing::AssertionSuccess();
  }
  auto failure = ::testing::AssertionFailure();
  failure << "Expected: an export request for invoice "
          << detail::expression_and_value(invoice_expression, detail::quoted(invoice_id)) << " in the journal of "
          << fake_expression << "\n  Actual: ";
  if (exports.empty()) {
    failure << "no export was requested (the journal holds " << detail::plural(admin.count(), "entry", "entries")
            << ")";
  } else {
    failure << "none for that invoice; " << detail::plural(exports.size(), "export was", "exports were")
            << " requested:";
    for (const auto& entry : exports) failure << "\n    " << detail::entry_line(entry);
  }
  return failure << detail::dropped_note(admin);
}

inline ::testing::AssertionResult ExportRequested(const char* fake_expression, const char* invoice_expression,
                                                  Server& fake, const std::string& invoice_id) {
  return ExportRequested(fake_expression, invoice_expression, fake.admin(), invoice_id);
}

inline ::testing::AssertionResult PollsOf(const char* fake_expression, const char* operation_expression,
                                          const char* count_expression, const Admin& admin,
                                          const std::string& operation_id, std::size_t expected) {
  const auto all_polls = admin.journal({.endpoint = Endpoint::operation});
  std::vector<const JournalEntry*> polls;
  for (const auto& entry : all_polls) {
    if (detail::iequals(entry.operation_id, operation_id)) polls.push_back(&entry);
  }
  if (polls.size() == expected) return ::testing::AssertionSuccess();

  auto failure = ::testing::AssertionFailure();
  failure << "Expected: " << detail::expression_and_value(count_expression, std::to_string(expected))
          << " polls of operation " << detail::expression_and_value(operation_expression, detail::quoted(operation_id))
          << " in the journal of " << fake_expression << "\n  Actual: "
          << detail::plural(polls.size(), "poll", "polls") << (polls.empty() ? "" : ":");
  for (const auto* entry : polls) failure << "\n    " << detail::entry_line(*entry);
  if (polls.empty()) {
    // Perhaps a different id: name the operations that were polled.
    std::vector<std::pair<std::string, std::size_t>> polled;
    for (const auto& entry : all_polls) {
      auto it = std::find_if(polled.begin(), polled.end(), [&](const auto& p) { return p.first == entry.operation_id; });
      if (it == polled.end()) {
        polled.emplace_back(entry.operation_id, 1);
      } else {
        ++it->second;
      }
    }
    if (polled.empty()) failure << "; no operation was polled";
    for (std::size_t i = 0; i < polled.size(); ++i) {
      failure << (i == 0 ? "; operations polled: " : ", ")
              << (polled[i].first.empty() ? std::string("(no operation)") : polled[i].first) << " ("
              << detail::plural(polled[i].second, "poll", "polls") << ")";
    }
  }
  return failure << detail::dropped_note(admin);
}

inline ::testing::AssertionResult PollsOf(const char* fake_expression, const char* operation_expression,
                                          const char* count_expression, Server& fake, const std::string& operation_id,
                                          std::size_t expected) {
  return PollsOf(fake_expression, operation_expression, count_expression, fake.admin(), operation_id, expected);
}

inline ::testing::AssertionResult ClientHonouredRetryAfter(const char* fake_expression, const Admin& admin) {
  const auto report = admin.client_report();
  if (report.honoured_retry_after()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "Expected: the client honours every Retry-After " << fake_expression
                                       << " advertised\n  Actual: it did not:"
                                       << detail::report_findings(admin, report, true) << detail::dropped_note(admin);
}

inline ::testing::AssertionResult ClientHonouredRetryAfter(const char* fake_expression, Server& fake) {
  return ClientHonouredRetryAfter(fake_expression, fake.admin());
}

inline ::testing::AssertionResult ClientBehaved(const char* fake_expression, const Admin& admin) {
  const auto report = admin.client_report();
  if (report.clean()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "Expected: a clean client report from " << fake_expression
                                       << "\n  Actual: the report found:"
                                       << detail::report_findings(admin, report, false) << detail::dropped_note(admin);
}

inline ::testing::AssertionResult ClientBehaved(const char* fake_expression, Server& fake) {
  return ClientBehaved(fake_expression, fake.admin());
}

// --- matchers on JournalEntry -------------------------------------------------------

using JournalEntryMatcher = ::testing::Matcher<const JournalEntry&>;

// A billed-reconciliation export request (POST .../export).
inline JournalEntryMatcher IsExport() {
  return ::testing::MakeMatcher(new detail::EndpointMatcher(Endpoint::export_request, "an export request"));
}
// A request for an operation (GET .../operations/{id}).
inline JournalEntryMatcher IsPoll() {
  return ::testing::MakeMatcher(new detail::EndpointMatcher(Endpoint::operation, "a poll"));
}
// A request for a manifest (GET .../manifests/{id}).
inline JournalEntryMatcher IsManifestRead() {
  return ::testing::MakeMatcher(new detail::EndpointMatcher(Endpoint::manifest, "a manifest read"));
}
// A request for a blob of a manifest.
inline JournalEntryMatcher IsBlobDownload() {
  return ::testing::MakeMatcher(new detail::EndpointMatcher(Endpoint::blob, "a blob download"));
}
// A request to a path the fake does not serve.
inline JournalEntryMatcher IsUnmatched() {
  return ::testing::MakeMatcher(new detail::EndpointMatcher(Endpoint::unmatched, "an unmatched request"));
}

// The HTTP status answered (0: a scripted fault closed the connection).
// HasStatus(429), HasStatus(::testing::Ge(400)).
inline JournalEntryMatcher HasStatus(::testing::Matcher<int> status) {
  return ::testing::MakeMatcher(new detail::FieldMatcher<int, int>("status", &JournalEntry::status, std::move(status)));
}

// The request started or touched this operation; ids compare ignoring case.
inline JournalEntryMatcher ForOperation(std::string operation_id) {
  return ::testing::MakeMatcher(
      new detail::IdMatcher("operation", &JournalEntry::operation_id, std::move(operation_id), true));
}

// The export was for this invoice, or the request touched an operation,
// manifest or blob of one for it.
inline JournalEntryMatcher ForInvoice(std::string invoice_id) {
  return ::testing::MakeMatcher(new detail::IdMatcher("invoice", &JournalEntry::invoice_id, std::move(invoice_id), false));
}

// HasMethod("GET").
inline JournalEntryMatcher HasMethod(::testing::Matcher<const std::string&> method) {
  return ::testing::MakeMatcher(
      new detail::FieldMatcher<std::string, const std::string&>("method", &JournalEntry::method, std::move(method)));
}

// The path, without the query: HasPath("/v1.0/..."), HasPath(::testing::StartsWith("/beta/")).
inline JournalEntryMatcher HasPath(::testing::Matcher<const std::string&> path) {
  return ::testing::MakeMatcher(
      new detail::FieldMatcher<std::string, const std::string&>("path", &JournalEntry::path, std::move(path)));
}

// A header the client sent, its name in any case, with a value the matcher
// accepts (any value when left out).
inline JournalEntryMatcher HasRequestHeader(std::string name,
                                            ::testing::Matcher<const std::string&> value = ::testing::_) {
  return ::testing::MakeMatcher(new detail::HeaderMatcher(true, std::move(name), std::move(value)));
}

// A header the fake answered with, its name in any case.
inline JournalEntryMatcher HasResponseHeader(std::string name,
                                             ::testing::Matcher<const std::string&> value = ::testing::_) {
  return ::testing::MakeMatcher(new detail::HeaderMatcher(false, std::move(name), std::move(value)));
}

}  // namespace gtest

}  // namespace graphfake
