// The scenario library (scenarios/*.json): every rule of every file walked
// end to end, exactly as the file promises (docs/scenarios.md). The
// expectations are read from the files themselves, so a new file is covered
// as soon as it is added.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "graphfake/scenarios.h"
#include "support/http_support.h"

namespace graphfake::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

constexpr const char* kRunningType = "#microsoft.graph.partners.billing.runningOperation";
constexpr const char* kSuccessType = "#microsoft.graph.partners.billing.exportSuccessOperation";
constexpr const char* kFailedType = "#microsoft.graph.partners.billing.failedOperation";
constexpr const char* kNavigationLink = "resourceLocation@odata.navigationLink";
constexpr std::size_t kFullColumnCount = 47;
constexpr std::size_t kBasicColumnCount = 35;
constexpr std::uint64_t kMaxLibraryRows = 20000;  // the library's tests must stay fast

// What the server does where a file says nothing (the zero Options).
constexpr std::uint64_t kDefaultRows = 250;
constexpr std::uint64_t kDefaultRowsPerBlob = 100;
constexpr auto kDefaultRetryAfter = 1s;
constexpr auto kDefaultSasValidFor = 1h;

// Requests tried, in order, to find one that a rule's match fits and no
// earlier rule of its file does. A file whose regex none of these fits makes
// its test fail: add an example here.
const std::vector<std::string> kInvoiceCandidates = {
    "G016907411", "G000000001", "G000000123", "G000000404", "G000000503", "G900000001",
    "G912345678", "G999999999", "G000000400", "G000000499", "G100000001", "G000000999"};
const std::vector<std::string> kHeaderValueCandidates = {
    "docs-exact", "1", "true", "yes", "on", "throttle", "slow", "fail", "test", "abc"};

// The library as docs/scenarios.md and the brief describe it.
const std::vector<std::string> kDocumentedFiles = {
    "happy-path.json",   "slow-export.json", "failed-no-data.json", "multi-blob-large.json",
    "expired-sas.json",  "docs-exact.json",  "inline-only.json",    "basic-mismatch.json",
    "mixed-invoices.json"};

// __FILE__ is absolute in this build: client-tests/ is next to scenarios/.
fs::path library_dir() { return fs::path(__FILE__).parent_path().parent_path() / "scenarios"; }

std::vector<fs::path> library_files() {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(library_dir(), error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // the order a directory is loaded in
  return files;
}

Json read_json(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

Millis duration_of(const Json& value) {
  static const std::regex kDuration(R"((\d+)(ms|s|m|h))");
  std::smatch parts;
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (!std::regex_match(text, parts, kDuration)) throw std::runtime_error("not a duration: " + text);
  const auto amount = std::stoll(parts[1]);
  if (parts[2] == "ms") return Millis(amount);
  if (parts[2] == "s") return std::chrono::seconds(amount);
  if (parts[2] == "m") return std::chrono::minutes(amount);
  return std::chrono::hours(amount);
}

std::string rfc3339_ms(TimePoint at) {
  const auto ms = std::chrono::floor<Millis>(at);
  const auto seconds = std::chrono::floor<std::chrono::seconds>(ms);
  const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>((ms - seconds).count()));
  return text;
}

std::string ascii_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A JSON Lines row, read without building a DOM (the large exports stay
// fast under the sanitizers): how many properties it has, and its
// InvoiceNumber.
struct RowSummary {
  std::size_t keys = 0;
  std::string invoice;
};

class RowScanner final : public nlohmann::json_sax<nlohmann::json> {
 public:
  RowSummary row;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t& text) override {
    if (depth_ == 1 && invoice_next_) row.invoice = text;
    return value();
  }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) top_is_object_ = true;
    ++depth_;
    invoice_next_ = false;
    return true;
  }
  bool key(string_t& name) override {
    if (depth_ == 1) {
      ++row.keys;
      invoice_next_ = name == "InvoiceNumber";
    }
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = e.what();
    return false;
  }

  bool top_is_object() const { return top_is_object_; }
  const std::string& error() const { return error_; }

 private:
  bool value() {
    invoice_next_ = false;
    return true;
  }

  int depth_ = 0;
  bool invoice_next_ = false;
  bool top_is_object_ = false;
  std::string error_;
};

// Every line of a JSON Lines text; throws on a line that is not a JSON object.
std::vector<RowSummary> scan_rows(std::string_view text) {
  std::vector<RowSummary> rows;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) throw std::runtime_error("last line has no trailing newline");
    const auto line = text.substr(0, end);
    RowScanner scanner;
    if (!nlohmann::json::sax_parse(line.begin(), line.end(), &scanner) || !scanner.top_is_object()) {
      throw std::runtime_error("line " + std::to_string(rows.size() + 1) + " is not a JSON object: " +
                               scanner.error());
    }
    rows.push_back(std::move(scanner.row));
    text.remove_prefix(end + 1);
  }
  return rows;
}

Json default_timeline() {
  return Json::parse(R"([{"status": "notStarted", "polls": 1},
                          {"status": "running", "polls": 2},
                          {"status": "succeeded"}])");
}

Json timeline_of(const Json& rule) { return rule.contains("timeline") ? rule["timeline"] : default_timeline(); }

std::string rule_name(const Json& rules, std::size_t index) {
  return rules[index].value("name", "rule " + std::to_string(index));
}

// ---------------------------------------------------------------------------
// Requests, and which rule takes them (docs/scenarios.md, "match").

struct ExportCall {
  std::string version = "v1.0";
  std::string invoice_id = "G016907411";
  std::string attribute_set = "full";
  std::vector<std::pair<std::string, std::string>> headers;
};

std::ostream& operator<<(std::ostream& os, const ExportCall& call) {
  os << "POST /" << call.version << "/.../billed/export {invoiceId: " << call.invoice_id
     << ", attributeSet: " << call.attribute_set << "}";
  for (const auto& [name, value] : call.headers) os << " " << name << ": " << value;
  return os;
}

bool text_fits(const Json& expected, const std::string& value) {
  if (expected.is_string()) return expected.get<std::string>() == value;
  return std::regex_match(value, std::regex(expected.at("regex").get<std::string>(), std::regex::ECMAScript));
}

bool kind_fits(const Json& match) {
  if (!match.contains("kind")) return true;
  const Json kinds = match["kind"].is_array() ? match["kind"] : Json::array({match["kind"]});
  return std::find(kinds.begin(), kinds.end(), Json("billedReconciliation")) != kinds.end();
}

// The test's own reading of "the first rule whose match fits".
bool rule_fits(const Json& rule, const ExportCall& call) {
  if (!rule.contains("match")) return true;
  const Json& match = rule["match"];
  if (!kind_fits(match)) return false;
  if (match.contains("version") && match["version"] != call.version) return false;
  if (match.contains("invoiceId") && !text_fits(match["invoiceId"], call.invoice_id)) return false;
  if (match.contains("attributeSet") && match["attributeSet"] != call.attribute_set) return false;
  if (match.contains("header")) {
    for (const auto& [name, expected] : match["header"].items()) {
      const bool carried = std::any_of(call.headers.begin(), call.headers.end(), [&](const auto& header) {
        return ascii_lower(header.first) == ascii_lower(name) && text_fits(expected, header.second);
      });
      if (!carried) return false;
    }
  }
  return true;
}

struct Plan {
  enum class Kind { walk, skip, fail } kind = Kind::fail;
  ExportCall call;
  std::string why;
};

// An export that rule `index` takes: its match fits, no earlier rule's does.
Plan plan_for(const Json& rules, std::size_t index) {
  const Json& rule = rules[index];
  const Json match = rule.value("match", Json::object());
  Plan plan;
  if (!kind_fits(match)) {
    plan.kind = Plan::Kind::skip;
    plan.why = "only billedReconciliation exports are served today; this rule matches " + match["kind"].dump();
    return plan;
  }
  ExportCall call;
  call.version = match.value("version", "v1.0");
  call.attribute_set = match.value("attributeSet", "full");
  if (match.contains("header")) {
    for (const auto& [name, expected] : match["header"].items()) {
      std::optional<std::string> value;
      if (expected.is_string()) {
        value = expected.get<std::string>();
      } else {
        for (const auto& candidate : kHeaderValueCandidates) {
          if (text_fits(expected, candidate)) {
            value = candidate;
            break;
          }
        }
      }
      if (!value) {
        plan.why = "no value in kHeaderValueCandidates fits header '" + name + "': " + expected.dump() +
                   "; add an example to the test";
        return plan;
      }
      call.headers.emplace_back(name, *value);
    }
  }
  std::vector<std::string> invoices;
  if (match.contains("invoiceId") && match["invoiceId"].is_string()) {
    invoices = {match["invoiceId"].get<std::string>()};
  } else {
    for (const auto& candidate : kInvoiceCandidates) {
      if (!match.contains("invoiceId") || text_fits(match["invoiceId"], candidate)) invoices.push_back(candidate);
    }
  }
  if (invoices.empty()) {
    plan.why = "no invoice id in kInvoiceCandidates fits " + match["invoiceId"].dump() +
               "; add an example to the test";
    return plan;
  }
  std::string shadowed_by;
  for (const auto& invoice : invoices) {
    call.invoice_id = invoice;
    if (!rule_fits(rule, call)) {
      plan.why = "the test's request does not fit the rule's own match (test bug)";
      return plan;
    }
    std::size_t earlier = 0;
    while (earlier < index && !rule_fits(rules[earlier], call)) ++earlier;
    if (earlier == index) {
      plan.kind = Plan::Kind::walk;
      plan.call = call;
      return plan;
    }
    if (shadowed_by.empty()) shadowed_by = rule_name(rules, earlier);
  }
  plan.kind = Plan::Kind::skip;
  plan.why = "rule '" + rule_name(rules, index) + "' is shadowed: every request tried for it is taken by an earlier "
             "rule (first: '" + shadowed_by + "'), so first-match-wins never lets it decide";
  return plan;
}

// The statuses a client that polls immediately after each Retry-After sees,
// worked out from the file alone (docs/scenarios.md, "timeline" and "Time").
std::vector<std::string> statuses_when_waiting_retry_after(const Json& timeline) {
  std::vector<std::string> seen;
  Millis now{0};
  Millis entered{0};
  Millis last_poll{0};
  std::size_t phase = 0;
  int polls_in_phase = 0;
  const auto retry_after = [](const Json& p) {
    return p.contains("retryAfter") ? duration_of(p["retryAfter"]) : Millis(kDefaultRetryAfter);
  };
  for (int poll = 0; poll < 10000; ++poll) {
    while (phase + 1 < timeline.size()) {
      const Json& p = timeline[phase];
      const int polls = p.value("polls", 0);
      const Millis lasts = p.contains("after") ? duration_of(p["after"]) : 0ms;
      if (polls_in_phase < polls || now < entered + lasts) break;
      Millis ended = entered + lasts;
      if (polls > 0) ended = std::max(ended, last_poll);
      entered = ended;
      ++phase;
      polls_in_phase = 0;
    }
    const std::string status = timeline[phase]["status"];
    seen.push_back(status);
    ++polls_in_phase;
    last_poll = now;
    if (status == "succeeded" || status == "failed") break;
    now += retry_after(timeline[phase]);
  }
  return seen;
}

// ---------------------------------------------------------------------------
// A fake started with given scenario paths, and a client that walks it.

class ScenarioWalk {
 protected:
  // Starts (or restarts) the fake on a fresh virtual clock.
  void start(Options options = {}, VirtualClock::Mode mode = VirtualClock::Mode::manual) {
    client_.reset();
    fake_.reset();
    clock_ = std::make_shared<VirtualClock>(VirtualClock::default_start(), mode);
    options.clock = clock_;
    try {
      fake_ = std::make_unique<Server>(std::move(options));
    } catch (const ScenarioError& e) {
      FAIL() << "the fake refused the scenario files:\n" << e.what();
    }
    client_ = std::make_unique<httplib::Client>(fake_->base_url());
  }

  void stop() {
    client_.reset();
    fake_.reset();
  }

  httplib::Result get(const std::string& url) {
    const std::string path = url.rfind("http", 0) == 0 ? path_on(fake_->base_url(), url) : url;
    return client_->Get(path.c_str(), {{"Authorization", "Bearer " + token_}});
  }

  // Blobs are read with the SAS alone.
  httplib::Result download(const std::string& url) {
    return client_->Get(path_on(fake_->base_url(), url).c_str());
  }

  std::string start_export(const ExportCall& call) {
    httplib::Headers headers{{"Authorization", "Bearer " + token_}};
    for (const auto& [name, value] : call.headers) headers.emplace(name, value);
    const Json body = {{"invoiceId", call.invoice_id}, {"attributeSet", call.attribute_set}};
    const auto path = "/" + call.version + "/reports/partners/billing/reconciliation/billed/export";
    auto result = client_->Post(path.c_str(), headers, body.dump(), "application/json");
    if (!result || result->status != 202) {
      ADD_FAILURE() << call << " was not accepted: "
                    << (result ? std::to_string(result->status) + " " + result->body : "no response");
      return {};
    }
    return result->get_header_value("Location");
  }

  struct Polled {
    std::optional<std::string> retry_after;  // absent: no Retry-After header
    Json body;
  };

  // One poll: 200 and a JSON body, else a fatal failure.
  void poll(const std::string& location, Polled& polled) {
    auto result = get(location);
    ASSERT_TRUE(result) << "no response polling " << location;
    ASSERT_EQ(result->status, 200) << result->body;
    polled.retry_after.reset();
    if (result->has_header("Retry-After")) polled.retry_after = result->get_header_value("Retry-After");
    polled.body = Json::parse(result->body);
  }

  void expect_waiting(const std::string& location, const std::string& status, std::chrono::seconds retry_after,
                      TimePoint phase_began) {
    Polled polled;
    ASSERT_NO_FATAL_FAILURE(poll(location, polled));
    Json& body = polled.body;
    ASSERT_EQ(body["status"], status) << "at " << rfc3339_ms(clock_->now()) << ": " << body.dump();
    EXPECT_EQ(body["@odata.type"], kRunningType);
    EXPECT_EQ(polled.retry_after.value_or("(none)"), std::to_string(retry_after.count()));
    EXPECT_EQ(body["lastActionDateTime"], rfc3339_ms(phase_began)) << "when the phase began";
    EXPECT_FALSE(body.contains("resourceLocation"));
    EXPECT_FALSE(body.contains(kNavigationLink));
    EXPECT_FALSE(body.contains("error"));
  }

  // The manifest of a succeeded operation, from where `style` says it is.
  void manifest_of(const Json& operation, const std::string& style, const std::string& version, Json& manifest) {
    const std::string links_under = fake_->base_url() + "/" + version + "/reports/partners/billing/manifests/";
    if (style == "inline") {
      EXPECT_FALSE(operation.contains(kNavigationLink)) << "inline: no navigation link";
    } else {
      ASSERT_TRUE(operation.contains(kNavigationLink)) << style << ": a navigation link: " << operation.dump();
      const std::string link = operation[kNavigationLink];
      EXPECT_EQ(link.rfind(links_under, 0), 0u) << link;
      auto served = get(link);
      ASSERT_TRUE(served);
      ASSERT_EQ(served->status, 200) << served->body;
      manifest = Json::parse(served->body);
      manifest.erase("@odata.context");
      EXPECT_EQ(link, links_under + manifest.value("id", ""));
    }
    if (style == "navigationLink") {
      EXPECT_FALSE(operation.contains("resourceLocation")) << "navigationLink: no inline manifest";
      return;
    }
    ASSERT_TRUE(operation.contains("resourceLocation")) << style << ": the manifest inline: " << operation.dump();
    ASSERT_TRUE(operation["resourceLocation"].is_object());
    // Read at the same instant, the linked manifest is the inline one.
    if (style == "both") {
      EXPECT_EQ(manifest, operation["resourceLocation"]);
    }
    manifest = operation["resourceLocation"];
  }

  void expect_succeeded(const std::string& location, const Json& phase, const ExportCall& call,
                        const Json& operation) {
    EXPECT_EQ(operation["@odata.type"], kSuccessType);
    EXPECT_FALSE(operation.contains("error"));
    const std::string style = phase.value("resourceLocation", "both");
    const std::uint64_t rows = phase.value("rows", kDefaultRows);
    std::uint64_t blobs = 1;
    if (phase.contains("blobs")) {
      blobs = phase["blobs"].get<std::uint64_t>();
    } else {
      const std::uint64_t per_blob = phase.value("rowsPerBlob", kDefaultRowsPerBlob);
      blobs = std::max<std::uint64_t>(1, (rows + per_blob - 1) / per_blob);
    }
    const std::string delivered = phase.value("attributeSet", call.attribute_set);
    const std::size_t columns = delivered == "basic" ? kBasicColumnCount : kFullColumnCount;
    const auto sas_valid_for = std::chrono::duration_cast<std::chrono::seconds>(
        phase.contains("sasValidFor") ? duration_of(phase["sasValidFor"]) : Millis(kDefaultSasValidFor));

    Json manifest;
    ASSERT_NO_FATAL_FAILURE(manifest_of(operation, style, call.version, manifest));
    const auto read_at = clock_->now();
    EXPECT_EQ(manifest["blobCount"], blobs);
    ASSERT_EQ(manifest["blobs"].size(), blobs) << "blobs listed";

    if (sas_valid_for == 0s) {
      // Born expired, and so is every SAS a re-read mints: nothing to download.
      auto result = download(blob_url(manifest, 0));
      ASSERT_TRUE(result);
      EXPECT_EQ(result->status, 403);
      return;
    }

    // Every blob, not just the first.
    std::uint64_t total = 0;
    std::uint64_t wrong_columns = 0;
    std::uint64_t wrong_invoice = 0;
    std::string first_blob;
    for (std::size_t i = 0; i < manifest["blobs"].size(); ++i) {
      auto result = download(blob_url(manifest, i));
      ASSERT_TRUE(result);
      ASSERT_EQ(result->status, 200) << "blob " << i << ": " << result->body;
      if (i == 0) first_blob = result->body;
      for (const auto& row : scan_rows(gunzip(result->body))) {
        ++total;
        if (row.keys != columns) ++wrong_columns;
        if (row.invoice != call.invoice_id) ++wrong_invoice;
      }
    }
    EXPECT_EQ(total, rows) << "rows over all " << blobs << " blobs";
    EXPECT_EQ(wrong_columns, 0u) << "rows without the " << columns << " " << delivered << " columns";
    EXPECT_EQ(wrong_invoice, 0u) << "rows of another invoice than " << call.invoice_id;

    // The SAS works until sasValidFor has passed since the manifest was read,
    // then the blob store refuses it; a fresh read gives a working one.
    const auto url = blob_url(manifest, 0);
    const auto expiry = std::chrono::floor<std::chrono::seconds>(read_at) + sas_valid_for;
    clock_->set(std::max<TimePoint>(clock_->now(), expiry - 1ms));
    auto before = download(url);
    ASSERT_TRUE(before);
    EXPECT_EQ(before->status, 200) << "just before the SAS expires: " << before->body;
    clock_->set(expiry);
    auto after = download(url);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 403) << "once sasValidFor (" << sas_valid_for.count() << " s) has passed";
    EXPECT_EQ(after->get_header_value("x-ms-error-code"), "AuthenticationFailed");

    Polled polled;
    ASSERT_NO_FATAL_FAILURE(poll(location, polled));
    Json& again = polled.body;
    ASSERT_EQ(again["status"], "succeeded");
    Json fresh;
    ASSERT_NO_FATAL_FAILURE(manifest_of(again, style, call.version, fresh));
    EXPECT_EQ(fresh["id"], manifest["id"]);
    EXPECT_NE(fresh["sasToken"], manifest["sasToken"]) << "a re-read mints a new SAS";
    auto renewed = download(blob_url(fresh, 0));
    ASSERT_TRUE(renewed);
    EXPECT_EQ(renewed->status, 200) << "with the re-read SAS: " << renewed->body;
    EXPECT_EQ(renewed->body, first_blob);
  }

  // Walks an operation through `timeline` as a client would, checking each
  // phase as the file describes it.
  void walk(const Json& timeline, const ExportCall& call) {
    SCOPED_TRACE(::testing::Message() << call);
    const auto location = start_export(call);
    ASSERT_FALSE(location.empty());
    TimePoint began = clock_->now();
    const auto created = rfc3339_ms(began);
    for (std::size_t i = 0; i < timeline.size(); ++i) {
      const Json& phase = timeline[i];
      const std::string status = phase["status"];
      SCOPED_TRACE(::testing::Message() << "phase " << i << " " << phase.dump());
      if (status == "succeeded" || status == "failed") {
        ASSERT_NO_FATAL_FAILURE(expect_terminal(location, phase, call, began, created));
        return;
      }
      const int polls = phase.value("polls", 0);
      const Millis lasts = phase.contains("after") ? duration_of(phase["after"]) : 0ms;
      const auto retry_after = phase.contains("retryAfter")
                                   ? std::chrono::duration_cast<std::chrono::seconds>(duration_of(phase["retryAfter"]))
                                   : std::chrono::seconds(kDefaultRetryAfter);
      if (polls == 0 && lasts == 0ms) continue;  // over before any poll can see it
      // It answers `polls` polls (at least the one that enters it)...
      for (int p = 0; p < std::max(polls, 1); ++p) {
        ASSERT_NO_FATAL_FAILURE(expect_waiting(location, status, retry_after, began));
      }
      if (lasts > 0ms) {
        // ...and lasts `after`: still in it just before the end.
        const TimePoint ends = began + lasts;
        clock_->set(std::max<TimePoint>(clock_->now(), ends - 1ms));
        ASSERT_NO_FATAL_FAILURE(expect_waiting(location, status, retry_after, began));
        clock_->set(ends);
        began = ends;
      } else {
        began = clock_->now();  // it ended with its last poll
      }
    }
    FAIL() << "the timeline has no terminal phase";
  }

  void expect_terminal(const std::string& location, const Json& phase, const ExportCall& call, TimePoint began,
                       const std::string& created) {
    Polled polled;
    ASSERT_NO_FATAL_FAILURE(poll(location, polled));
    Json operation = polled.body;
    const std::string status = phase["status"];
    ASSERT_EQ(operation["status"], status) << "at " << rfc3339_ms(clock_->now()) << ": " << operation.dump();
    EXPECT_FALSE(polled.retry_after) << "Retry-After: " << polled.retry_after.value_or("");
    EXPECT_EQ(operation["lastActionDateTime"], rfc3339_ms(began)) << "when the terminal phase began";
    EXPECT_EQ(operation["createdDateTime"], created);
    if (status == "failed") {
      EXPECT_EQ(operation["@odata.type"], kFailedType);
      ASSERT_TRUE(operation.contains("error")) << operation.dump();
      EXPECT_EQ(operation["error"]["code"], phase["error"]["code"]);
      EXPECT_EQ(operation["error"]["message"], phase["error"]["message"]);
      EXPECT_FALSE(operation.contains("resourceLocation"));
      EXPECT_FALSE(operation.contains(kNavigationLink));
    } else {
      ASSERT_NO_FATAL_FAILURE(expect_succeeded(location, phase, call, operation));
    }
    // Terminal states are sticky.
    clock_->advance(2h);
    ASSERT_NO_FATAL_FAILURE(poll(location, polled));
    Json& later = polled.body;
    EXPECT_EQ(later["status"], status);
    EXPECT_EQ(later["lastActionDateTime"], operation["lastActionDateTime"]);
    EXPECT_EQ(later.value(kNavigationLink, ""), operation.value(kNavigationLink, ""));
    if (operation.contains("resourceLocation")) {
      EXPECT_EQ(later["resourceLocation"]["id"], operation["resourceLocation"]["id"]);
    }
    if (operation.contains("error")) {
      EXPECT_EQ(later["error"], operation["error"]);
    }
  }

  // What a client that knows nothing about the file sees: it polls, waits
  // each Retry-After, then reads every blob. Absolute URLs are written
  // relative to the fake, so two fakes can be compared.
  struct Trace {
    std::vector<std::string> statuses;
    std::vector<std::string> responses;
    std::size_t blobs = 0;
    std::size_t rows = 0;
  };

  // `waits`: the client sleeps each Retry-After (here: advances the clock);
  // false for an auto-advancing clock, which does it by itself.
  Trace blind_walk(const ExportCall& call, bool waits = true, bool reads_blobs = true) {
    Trace trace;
    const auto relative = [&](std::string text) {
      const auto& origin = fake_->base_url();
      for (auto at = text.find(origin); at != std::string::npos; at = text.find(origin, at)) {
        text.replace(at, origin.size(), "{origin}");
      }
      return text;
    };
    const auto location = start_export(call);
    trace.responses.push_back("Location: " + relative(location));
    Json operation;
    for (int attempt = 0; attempt < 1000; ++attempt) {
      auto result = get(location);
      if (!result) {
        ADD_FAILURE() << "no response";
        return trace;
      }
      operation = Json::parse(result->body);
      const std::string status = operation.value("status", "");
      const std::string retry_after = result->get_header_value("Retry-After");
      trace.statuses.push_back(status);
      trace.responses.push_back(std::to_string(result->status) + " Retry-After: " + retry_after + " " +
                                relative(result->body));
      if (status != "notStarted" && status != "running") break;
      if (waits) clock_->advance(std::chrono::seconds(std::stoll(retry_after.empty() ? "0" : retry_after)));
    }
    if (operation.value("status", "") != "succeeded" || !reads_blobs) return trace;
    Json manifest = operation.value("resourceLocation", Json());
    if (operation.contains(kNavigationLink)) {
      auto result = get(operation[kNavigationLink].get<std::string>());
      if (!result) {
        ADD_FAILURE() << "no manifest";
        return trace;
      }
      trace.responses.push_back("manifest " + std::to_string(result->status) + " " + relative(result->body));
      manifest = Json::parse(result->body);
    }
    trace.blobs = manifest["blobs"].size();
    for (std::size_t i = 0; i < trace.blobs; ++i) {
      auto result = download(blob_url(manifest, i));
      if (!result) {
        ADD_FAILURE() << "no blob";
        return trace;
      }
      trace.rows += json_lines(gunzip(result->body)).size();
      trace.responses.push_back("blob " + std::to_string(i) + " " + std::to_string(result->status) + " " +
                                std::to_string(result->body.size()) + " bytes, hash " +
                                std::to_string(std::hash<std::string>{}(result->body)));
    }
    return trace;
  }

  std::shared_ptr<VirtualClock> clock_;
  std::unique_ptr<Server> fake_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_ = make_token();
};

// ---------------------------------------------------------------------------
// One case per rule of every file in scenarios/.

struct RuleCase {
  fs::path file;
  std::size_t rule = 0;
  std::string name;
  std::string load_error;  // the file could not be read as a scenario file

  friend void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.file.filename().string() << " rule " << c.rule; }
};

std::string identifier(const std::string& text) {
  std::string out;
  for (unsigned char c : text) out.push_back(std::isalnum(c) ? static_cast<char>(c) : '_');
  return out;
}

std::vector<RuleCase> rule_cases() {
  std::vector<RuleCase> cases;
  for (const auto& file : library_files()) {
    const auto stem = identifier(file.stem().string());
    try {
      const Json document = read_json(file);
      const Json& rules = document.at("rules");
      if (!rules.is_array() || rules.empty()) throw std::runtime_error("\"rules\" is not a non-empty array");
      for (std::size_t i = 0; i < rules.size(); ++i) {
        cases.push_back({file, i, stem + "_" + std::to_string(i) + "_" + identifier(rule_name(rules, i)), ""});
      }
    } catch (const std::exception& e) {
      cases.push_back({file, 0, stem + "_unreadable", e.what()});
    }
  }
  return cases;
}

std::vector<fs::path> file_cases() { return library_files(); }

class ScenarioLibrary : public ScenarioWalk, public ::testing::TestWithParam<RuleCase> {
 protected:
  void TearDown() override { stop(); }
};

TEST_P(ScenarioLibrary, RuleWalksEndToEndAsTheFileSays) {
  const RuleCase& c = GetParam();
  ASSERT_TRUE(c.load_error.empty()) << c.file << ": " << c.load_error;
  const Json document = read_json(c.file);
  const Json& rules = document.at("rules");
  const Plan plan = plan_for(rules, c.rule);
  if (plan.kind == Plan::Kind::skip) GTEST_SKIP() << c.file.filename().string() << ": " << plan.why;
  ASSERT_EQ(plan.kind, Plan::Kind::walk) << c.file.filename().string() << ": " << plan.why;

  Options options;
  options.scenario_paths = {c.file.string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options)));
  walk(timeline_of(rules[c.rule]), plan.call);
}

// --clock auto: every advertised Retry-After moves the clock, so a client
// that never sleeps sees exactly what a patient one would.
TEST_P(ScenarioLibrary, RuleUnderAutoAdvancingClockNeedsNoWaiting) {
  const RuleCase& c = GetParam();
  ASSERT_TRUE(c.load_error.empty()) << c.file << ": " << c.load_error;
  const Json document = read_json(c.file);
  const Json& rules = document.at("rules");
  const Plan plan = plan_for(rules, c.rule);
  if (plan.kind == Plan::Kind::skip) GTEST_SKIP() << c.file.filename().string() << ": " << plan.why;
  ASSERT_EQ(plan.kind, Plan::Kind::walk) << c.file.filename().string() << ": " << plan.why;

  Options options;
  options.scenario_paths = {c.file.string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options), VirtualClock::Mode::auto_advance));
  const auto expected = statuses_when_waiting_retry_after(timeline_of(rules[c.rule]));
  const Trace trace = blind_walk(plan.call, /*waits=*/false, /*reads_blobs=*/false);
  EXPECT_EQ(trace.statuses, expected);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioLibrary, ::testing::ValuesIn(rule_cases()),
                         [](const ::testing::TestParamInfo<RuleCase>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// Each file on its own.

class ScenarioFile : public ::testing::TestWithParam<fs::path> {};

TEST_P(ScenarioFile, IsValidAndSaysWhatItTests) {
  const fs::path& file = GetParam();
  EXPECT_EQ(check_scenario_files({file.string()}), std::vector<std::string>{});
  const Json document = read_json(file);
  EXPECT_EQ(document.value("$schema", ""), "schema/scenario.schema.json");
  ASSERT_TRUE(document.contains("description"));
  ASSERT_TRUE(document["description"].is_string());
  EXPECT_GE(document["description"].get<std::string>().size(), 40u) << "a sentence on what client behaviour it tests";
}

TEST_P(ScenarioFile, KeepsRowCountsModest) {
  const Json document = read_json(GetParam());
  for (const auto& rule : document.at("rules")) {
    for (const auto& phase : timeline_of(rule)) {
      EXPECT_LE(phase.value("rows", std::uint64_t{0}), kMaxLibraryRows) << phase.dump();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioFile, ::testing::ValuesIn(file_cases()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           return identifier(info.param.stem().string());
                         });

// ---------------------------------------------------------------------------
// The library as a whole.

class ScenarioLibrarySet : public ScenarioWalk, public ::testing::Test {
 protected:
  void TearDown() override { stop(); }
};

TEST_F(ScenarioLibrarySet, HoldsEveryDocumentedScenario) {
  std::set<std::string> present;
  for (const auto& file : library_files()) present.insert(file.filename().string());
  for (const auto& name : kDocumentedFiles) EXPECT_TRUE(present.count(name)) << library_dir() / name;
}

TEST_F(ScenarioLibrarySet, MixedInvoices_FirstMatchWins) {
  // The same file, several invoices at once on one fake: each gets its rule.
  const auto file = library_dir() / "mixed-invoices.json";
  const Json rules = read_json(file)["rules"];
  Options options;
  options.scenario_paths = {file.string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options)));
  std::set<std::size_t> decided;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Plan plan = plan_for(rules, i);
    if (plan.kind != Plan::Kind::walk) continue;
    decided.insert(i);
    SCOPED_TRACE(rule_name(rules, i));
    ASSERT_NO_FATAL_FAILURE(walk(timeline_of(rules[i]), plan.call));
  }
  EXPECT_EQ(decided.size(), rules.size()) << "every rule of mixed-invoices.json decides some export";
  // The header rule is later than the invoice rules: G000000404 with the
  // header still fails, as the first rule says.
  ExportCall both;
  both.invoice_id = "G000000404";
  both.headers = {{"X-GraphFake-Scenario", "docs-exact"}};
  ASSERT_TRUE(rule_fits(rules[0], both));
  ASSERT_NO_FATAL_FAILURE(walk(timeline_of(rules[0]), both));
  // Header names match whatever their case.
  ExportCall shouted;
  shouted.headers = {{"X-GRAPHFAKE-SCENARIO", "docs-exact"}};
  ASSERT_EQ(rules[3].value("name", ""), "documentation shape");
  ASSERT_TRUE(rule_fits(rules[3], shouted));
  walk(timeline_of(rules[3]), shouted);
}

TEST_F(ScenarioLibrarySet, DefaultBehaviour_IsExactlyHappyPath) {
  const ExportCall call;
  ASSERT_NO_FATAL_FAILURE(start());
  const Trace built_in = blind_walk(call);
  Options options;
  options.scenario_paths = {(library_dir() / "happy-path.json").string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options)));
  const Trace scripted = blind_walk(call);

  EXPECT_EQ(built_in.statuses, (std::vector<std::string>{"notStarted", "running", "running", "succeeded"}));
  EXPECT_EQ(built_in.blobs, 3u);
  EXPECT_EQ(built_in.rows, 250u);
  EXPECT_EQ(scripted.statuses, built_in.statuses);
  EXPECT_EQ(scripted.blobs, built_in.blobs);
  EXPECT_EQ(scripted.rows, built_in.rows);
  // Same seed, same requests: the same responses and blob bytes.
  EXPECT_EQ(scripted.responses, built_in.responses);
}

TEST_F(ScenarioLibrarySet, WholeDirectory_LoadsAsOneSetInNameOrder) {
  EXPECT_EQ(check_scenario_files({library_dir().string()}), std::vector<std::string>{});
  Options options;
  options.scenario_paths = {library_dir().string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options)));

  // Loaded as one set, files in name order: an export gets the first rule
  // that fits across all of them.
  std::vector<std::pair<std::string, Json>> all_rules;
  for (const auto& file : library_files()) {
    const Json document = read_json(file);
    for (const auto& rule : document.at("rules")) all_rules.emplace_back(file.filename().string(), rule);
  }
  ASSERT_FALSE(all_rules.empty());
  for (const auto& invoice : {"G016907411", "G000000404", "G900000001"}) {
    ExportCall call;
    call.invoice_id = invoice;
    const auto first = std::find_if(all_rules.begin(), all_rules.end(),
                                    [&](const auto& entry) { return rule_fits(entry.second, call); });
    const Json timeline = first == all_rules.end() ? default_timeline() : timeline_of(first->second);
    SCOPED_TRACE(first == all_rules.end() ? std::string("the default") : "first fit in " + first->first);
    ASSERT_NO_FATAL_FAILURE(walk(timeline, call));
  }
}

}  // namespace
}  // namespace graphfake::testing
