// The scenario library (scenarios/*.json): every rule of every file walked
// end to end, exactly as the file promises (docs/scenarios.md). The
// expectations are read from the files themselves, so a new file is covered
// as soon as it is added.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <re2/re2.h>

#include "graphfake/scenarios.h"
#include "support/http_support.h"
#include "support/test_values.h"

namespace graphfake::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

constexpr const char* kFailedType = "#microsoft.graph.partners.billing.failedOperation";
constexpr const char* kNavigationLink = "resourceLocation@odata.navigationLink";
constexpr std::uint64_t kMaxLibraryRows = 20000;  // the library's tests must stay fast

// What the server does where a file says nothing (the zero Options).
constexpr std::uint64_t kDefaultRows = 250;
constexpr std::uint64_t kDefaultRowsPerBlob = 100;
constexpr auto kDefaultRetryAfter = 1s;
constexpr auto kDefaultSasValidFor = 1h;
constexpr const char* kDefaultNumbers = "numbers";
// The timeline presets' defaults (docs/scenarios.md, "Presets").
constexpr auto kDefaultGeneratedAgo = 6h;
constexpr auto kDefaultPresetRunsFor = 5min;
constexpr auto kDefaultPresetRetryAfter = 10s;
// What "evolution" changes (docs/scenarios.md, "evolution").
constexpr const char* kUnknownSuccessType = "#microsoft.graph.partners.billing.partitionedExportSuccessOperation";
const std::vector<std::string> kUnknownPropertySuffixes = {"Version", "RetentionDays", "IsPreview",
                                                           "Diagnostics", "Tags", "ReplacedBy"};

// The four exports (Graph docs, the four export pages; see docs/sources.md)
// as scenario files name them, tried in this order for a rule that does not
// say which it takes, where each is served, and how many data columns each
// attribute set gives (Graph docs, attributeSet enum type).
struct ExportKind {
  std::string_view name;
  std::string_view path;  // below /{version}/reports/partners/billing
  bool billed;            // names an invoice; else a currency and a billing period
  std::size_t full_columns;
  std::size_t basic_columns;
};

constexpr std::array<ExportKind, 4> kKinds{{
    {"billedReconciliation", "/reconciliation/billed/export", true, 47, 35},
    {"unbilledReconciliation", "/reconciliation/unbilled/export", false, 47, 35},
    {"billedUsage", "/usage/billed/export", true, 54, 30},
    {"unbilledUsage", "/usage/unbilled/export", false, 54, 30},
}};

const ExportKind& kind_named(const std::string& name) {
  const auto it = std::find_if(kKinds.begin(), kKinds.end(), [&](const ExportKind& k) { return k.name == name; });
  if (it == kKinds.end()) throw std::runtime_error("not an export kind: " + name);
  return *it;
}

// Requests tried, in order, to find one that a rule's match fits and no
// earlier rule of its file does. A file whose regex none of these fits makes
// its test fail: add an example here.
const std::vector<std::string> kInvoiceCandidates = {
    "G016907411", "G000000001", "G000000123", "G000000404", "G000000503", "G900000001",
    "G912345678", "G999999999", "G000000400", "G000000499", "G100000001", "G000000999"};
const std::vector<std::string> kHeaderValueCandidates = {
    "docs-exact", "invalid-token", "missing-permission", "1", "true", "yes", "on", "throttle", "slow", "fail",
    "test", "abc"};
const std::vector<std::string> kCurrencyCandidates = {"USD", "EUR", "GBP", "INR", "AUD", "JPY", "CAD", "NZD"};
const std::vector<std::string> kBillingPeriods = {"current", "last"};

// The library as docs/scenarios.md and the brief describe it.
const std::vector<std::string> kDocumentedFiles = {
    "happy-path.json",     "slow-export.json",      "failed-no-data.json",       "multi-blob-large.json",
    "expired-sas.json",    "docs-exact.json",       "inline-only.json",          "basic-mismatch.json",
    "mixed-invoices.json", "flaky-polls.json",      "operation-disappears.json", "throttled-export.json",
    "invalid-token.json",  "broken-responses.json", "slow-network.json",         "corrupt-blob.json",
    "export-family.json",  "already-generated.json", "generating-for-minutes.json", "export-drops.json",
    "bad-location.json",   "lying-content-length.json", "seeded-chance.json",    "zero-row-export.json",
    "newer-service.json",  "older-invoices.json"};

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
// fast under the sanitizers): how many properties it has, how many of their
// values are JSON numbers, and its InvoiceNumber.
struct RowSummary {
  std::size_t keys = 0;
  std::size_t numbers = 0;
  std::string invoice;
};

class RowScanner final : public nlohmann::json_sax<nlohmann::json> {
 public:
  RowSummary row;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return number(); }
  bool number_unsigned(number_unsigned_t) override { return number(); }
  bool number_float(number_float_t, const string_t&) override { return number(); }
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
      invoice_next_ = name == "InvoiceNumber" || name == "invoiceNumber";  // the latter legacy camelCase
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
  bool number() {
    if (depth_ == 1) ++row.numbers;
    return value();
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

std::string millis_text(Millis span) { return std::to_string(span.count()) + "ms"; }

// A rule's timeline preset as an object ({"preset": ...}, parameters), or
// null when the rule writes its phases (or has none).
Json preset_of(const Json& rule) {
  if (!rule.contains("timeline")) return Json();
  const Json& timeline = rule["timeline"];
  if (timeline.is_string()) return Json{{"preset", timeline}};
  return timeline.is_object() ? timeline : Json();
}

// How long before the export an already generated manifest was created;
// zero for any other timeline.
Millis generated_ago_of(const Json& rule) {
  const Json preset = preset_of(rule);
  if (preset.is_null() || preset["preset"] != "alreadyGenerated") return 0ms;
  return preset.contains("generatedAgo") ? duration_of(preset["generatedAgo"]) : Millis(kDefaultGeneratedAgo);
}

// The phases a rule's operations go through, a preset written out as
// docs/scenarios.md does.
Json timeline_of(const Json& rule) {
  if (!rule.contains("timeline")) return default_timeline();
  const Json preset = preset_of(rule);
  if (preset.is_null()) return rule["timeline"];
  if (preset["preset"] == "alreadyGenerated") return Json::array({{{"status", "succeeded"}}});
  const Millis wait =
      preset.contains("retryAfter") ? duration_of(preset["retryAfter"]) : Millis(kDefaultPresetRetryAfter);
  const Millis runs = preset.contains("runsFor") ? duration_of(preset["runsFor"]) : Millis(kDefaultPresetRunsFor);
  return Json::array({{{"status", "notStarted"}, {"after", millis_text(wait)}, {"retryAfter", millis_text(wait)}},
                      {{"status", "running"}, {"after", millis_text(runs - wait)}, {"retryAfter", millis_text(wait)}},
                      {{"status", "succeeded"}}});
}

bool evolves(const Json& rule, const std::string& change) {
  const Json evolution = rule.value("evolution", Json::array());
  return std::find(evolution.begin(), evolution.end(), change) != evolution.end();
}

// Whether `object` carries the properties "unknownProperties" adds, named
// from `prefix`.
bool has_unknown_properties(const Json& object, const std::string& prefix) {
  return std::all_of(kUnknownPropertySuffixes.begin(), kUnknownPropertySuffixes.end(),
                     [&](const std::string& suffix) { return object.contains(prefix + suffix); });
}

std::string rule_name(const Json& rules, std::size_t index) {
  return rules[index].value("name", "rule " + std::to_string(index));
}

// ---------------------------------------------------------------------------
// Requests, and which rule takes them (docs/scenarios.md, "match").

struct ExportCall {
  std::string kind = "billedReconciliation";
  std::string version = "v1.0";
  std::string invoice_id = "G016907411";   // billed kinds
  std::string currency_code = "USD";       // unbilled kinds
  std::string billing_period = "current";  // unbilled kinds
  std::string attribute_set = "full";
  std::vector<std::pair<std::string, std::string>> headers;
};

std::string export_path(const ExportCall& call) {
  return "/" + call.version + "/reports/partners/billing" + std::string(kind_named(call.kind).path);
}

Json export_body(const ExportCall& call) {
  if (kind_named(call.kind).billed) return {{"invoiceId", call.invoice_id}, {"attributeSet", call.attribute_set}};
  return {{"currencyCode", call.currency_code},
          {"billingPeriod", call.billing_period},
          {"attributeSet", call.attribute_set}};
}

std::ostream& operator<<(std::ostream& os, const ExportCall& call) {
  os << "POST " << export_path(call) << " " << export_body(call).dump();
  for (const auto& [name, value] : call.headers) os << " " << name << ": " << value;
  return os;
}

bool text_fits(const Json& expected, const std::string& value) {
  if (expected.is_string()) return expected.get<std::string>() == value;
  // The loader's engine, so the test predicts what the fake does.
  return RE2::FullMatch(value, RE2(expected.at("regex").get<std::string>()));
}

// The kinds a match takes, in the order it lists them; every kind when it
// names none.
std::vector<std::string> kinds_of(const Json& match) {
  std::vector<std::string> kinds;
  if (!match.contains("kind")) {
    for (const auto& kind : kKinds) kinds.emplace_back(kind.name);
  } else if (match["kind"].is_array()) {
    for (const auto& kind : match["kind"]) kinds.push_back(kind);
  } else {
    kinds.push_back(match["kind"]);
  }
  return kinds;
}

// The test's own reading of "the first rule whose match fits".
bool rule_fits(const Json& rule, const ExportCall& call) {
  if (!rule.contains("match")) return true;
  const Json& match = rule["match"];
  const bool billed = kind_named(call.kind).billed;
  const auto kinds = kinds_of(match);
  if (std::find(kinds.begin(), kinds.end(), call.kind) == kinds.end()) return false;
  if (match.contains("version") && match["version"] != call.version) return false;
  // A billed export has no currency or period, an unbilled one no invoice:
  // a match that names one never fits the other.
  if (match.contains("invoiceId") && (!billed || !text_fits(match["invoiceId"], call.invoice_id))) return false;
  if (match.contains("currencyCode") && (billed || !text_fits(match["currencyCode"], call.currency_code))) {
    return false;
  }
  if (match.contains("billingPeriod") && (billed || match["billingPeriod"] != call.billing_period)) return false;
  if (match.contains("attributeSet") && match["attributeSet"] != call.attribute_set) return false;
  if (match.contains("header")) {
    for (const auto& [name, expected] : match["header"].items()) {
      // Init-captures: clang 14 cannot capture structured bindings.
      const bool carried =
          std::any_of(call.headers.begin(), call.headers.end(), [&name = name, &expected = expected](const auto& header) {
            return ascii_lower(header.first) == ascii_lower(name) && text_fits(expected, header.second);
          });
      if (!carried) return false;
    }
  }
  return true;
}

// The values to try for `property` of `match`: the one it names, else those
// of `candidates` its regex fits, or all of them when it says nothing.
std::vector<std::string> values_fitting(const Json& match, const std::string& property,
                                        const std::vector<std::string>& candidates) {
  if (!match.contains(property)) return candidates;
  const Json& expected = match[property];
  if (expected.is_string()) return {expected.get<std::string>()};
  std::vector<std::string> fitting;
  std::copy_if(candidates.begin(), candidates.end(), std::back_inserter(fitting),
               [&](const std::string& candidate) { return text_fits(expected, candidate); });
  return fitting;
}

struct Plan {
  enum class Kind { walk, skip, fail } kind = Kind::fail;
  ExportCall call;
  std::string why;
};

// An export that rule `index` takes: its match fits, no earlier rule's does.
// Kinds are tried in the order the rule lists them (kKinds' when it lists
// none), so an unrestricted rule is walked with a billed reconciliation.
Plan plan_for(const Json& rules, std::size_t index) {
  const Json& rule = rules[index];
  const Json match = rule.value("match", Json::object());
  Plan plan;
  ExportCall call;
  call.version = match.value("version", "v1.0");
  call.attribute_set = match.value("attributeSet", "full");
  if (match.contains("header")) {
    for (const auto& [name, expected] : match["header"].items()) {
      const auto values = values_fitting(match["header"], name, kHeaderValueCandidates);
      if (values.empty()) {
        plan.why = "no value in kHeaderValueCandidates fits header '" + name + "': " + expected.dump() +
                   "; add an example to the test";
        return plan;
      }
      call.headers.emplace_back(name, values.front());
    }
  }
  std::vector<ExportCall> calls;  // every request tried that fits the rule's own match
  const auto keep_if_fits = [&] {
    if (rule_fits(rule, call)) calls.push_back(call);
  };
  for (const auto& kind : kinds_of(match)) {
    call.kind = kind;
    if (kind_named(kind).billed) {
      for (const auto& invoice : values_fitting(match, "invoiceId", kInvoiceCandidates)) {
        call.invoice_id = invoice;
        keep_if_fits();
      }
      continue;
    }
    for (const auto& currency : values_fitting(match, "currencyCode", kCurrencyCandidates)) {
      for (const auto& period : values_fitting(match, "billingPeriod", kBillingPeriods)) {
        call.currency_code = currency;
        call.billing_period = period;
        keep_if_fits();
      }
    }
  }
  if (calls.empty()) {
    plan.why = "no request the test tries fits " + match.dump() +
               ": add an example to kInvoiceCandidates or kCurrencyCandidates, unless the match names properties "
               "no kind it takes has (invoiceId fits only billed exports, currencyCode and billingPeriod only "
               "unbilled ones)";
    return plan;
  }
  std::string shadowed_by;
  for (const auto& candidate : calls) {
    std::size_t earlier = 0;
    while (earlier < index && !rule_fits(rules[earlier], candidate)) ++earlier;
    if (earlier == index) {
      plan.kind = Plan::Kind::walk;
      plan.call = candidate;
      return plan;
    }
    if (shadowed_by.empty()) shadowed_by = rule_name(rules, earlier);
  }
  plan.kind = Plan::Kind::skip;
  plan.why = "rule '" + rule_name(rules, index) + "' is shadowed: every request tried for it is taken by an earlier "
             "rule (first: '" + shadowed_by + "'), so first-match-wins never lets it decide";
  return plan;
}

// ---------------------------------------------------------------------------
// What the file promises, worked out from the file alone.

bool is_terminal(const std::string& status) { return status == "succeeded" || status == "failed"; }

Millis retry_after_of(const Json& phase) {
  if (is_terminal(phase["status"])) return 0ms;  // terminal answers carry no Retry-After
  return phase.contains("retryAfter") ? duration_of(phase["retryAfter"]) : Millis(kDefaultRetryAfter);
}

// Where an operation is in its timeline (docs/scenarios.md, "timeline"):
// times are ages, measured from the export's acceptance.
struct TimelineState {
  std::size_t phase = 0;
  int polls_in_phase = 0;  // unfaulted polls it has answered
  Millis entered{0};
  Millis last_poll{0};
};

// Moves past every phase that has ended at `age`: a phase ends once it has
// answered its `polls` and its `after` has passed, at the later of the two.
TimelineState settle(const Json& timeline, TimelineState state, Millis age) {
  while (state.phase + 1 < timeline.size()) {
    const Json& p = timeline[state.phase];
    const int polls = p.value("polls", 0);
    const Millis lasts = p.contains("after") ? duration_of(p["after"]) : 0ms;
    if (state.polls_in_phase < polls || age < state.entered + lasts) break;
    Millis ended = state.entered + lasts;
    if (polls > 0) ended = std::max(ended, state.last_poll);
    state.entered = ended;
    ++state.phase;
    state.polls_in_phase = 0;
  }
  return state;
}

// Faults (docs/scenarios.md, "faults").

// The faults that shape what a client is answered. A fault with only a
// delay holds an answer back without changing it; on the manual clock the
// walks use, it does not move time either, so it is left out.
Json faults_of(const Json& rule) {
  static const std::set<std::string> kActions = {"status", "body",       "location",           "drop",
                                                 "gzip",   "resetAtByte", "extraContentLength", "blobCountDelta"};
  Json faults = Json::array();
  for (const auto& fault : rule.value("faults", Json::array())) {
    bool acts = false;
    for (const auto& action : kActions) acts = acts || fault.contains(action);
    if (acts) faults.push_back(fault);
  }
  return faults;
}

double probability_of(const Json& fault) { return fault.value("probability", 1.0); }

// The trigger `key` ("requests" or "polls") holds for the Nth request.
bool listed(const Json& fault, const char* key, std::uint64_t n) {
  if (!fault.contains(key)) return true;
  const Json& numbers = fault[key];
  return std::any_of(numbers.begin(), numbers.end(), [&](const Json& v) { return v.get<std::uint64_t>() == n; });
}

// The largest request number any `on` fault of the rule names under `key`.
std::uint64_t last_listed(const Json& rule, const std::string& on, const char* key) {
  std::uint64_t last = 0;
  for (const auto& fault : faults_of(rule)) {
    if (fault["on"] != on || !fault.contains(key)) continue;
    for (const auto& n : fault[key]) last = std::max(last, n.get<std::uint64_t>());
  }
  return last;
}

bool has_chance_faults(const Json& rule) {
  const Json& faults = faults_of(rule);
  return std::any_of(faults.begin(), faults.end(), [](const Json& f) { return probability_of(f) < 1.0; });
}

// How the fake may answer a request: by one of `faults` (indices into the
// rule's faults, in the rule's order: those whose triggers other than
// `probability` hold, up to the first that cannot miss), or `unfaulted` when
// none of them has to fire. Without `probability`, exactly one answer.
struct Possible {
  std::vector<std::size_t> faults;
  bool unfaulted = true;

  bool certain() const { return faults.size() + (unfaulted ? 1 : 0) == 1; }
};

// `would_be`: the status an unfaulted answer to a poll would carry; `age`:
// how old the operation is.
Possible possible_answers(const Json& rule, const std::string& on, std::uint64_t n, const std::string& would_be = "",
                          Millis age = 0ms) {
  Possible possible;
  const Json& faults = faults_of(rule);
  for (std::size_t i = 0; i < faults.size(); ++i) {
    const Json& fault = faults[i];
    if (fault["on"] != on) continue;
    if (on == "export") {
      if (!listed(fault, "requests", n)) continue;
    } else {
      if (!listed(fault, "polls", n)) continue;
      if (fault.contains("phase") && fault["phase"] != would_be) continue;
      if (fault.contains("after") && age < duration_of(fault["after"])) continue;
    }
    possible.faults.push_back(i);
    if (probability_of(fault) >= 1.0) {
      possible.unfaulted = false;
      break;
    }
  }
  return possible;
}

// Graph's usual code for a status (docs/scenarios.md, "faults", and the
// statuses a client is most likely to branch on); empty: not pinned down.
std::string usual_code(int status) {
  switch (status) {
    case 401: return "InvalidAuthenticationToken";
    case 403: return "Forbidden";
    case 404: return "itemNotFound";
    case 410: return "gone";
    case 429: return "TooManyRequests";
    case 503: return "ServiceUnavailable";
    default: return "";
  }
}

constexpr std::uint64_t kMaxBlindExports = 5;  // a blind client's export attempts
constexpr std::uint64_t kMaxBlindPolls = 200;  // ...and polls of the operation it gets

// The answers a client that retries a refused export at once, and polls
// again after each Retry-After it is given, sees (docs/scenarios.md,
// "timeline", "faults" and "Time"): "POST 429" for a refused export, "GET
// 503" for a poll answered with an error, "notJson" for a body that is not
// JSON, else the status the body carries. The rule's faults must not depend
// on chance.
std::vector<std::string> answers_when_waiting_retry_after(const Json& rule) {
  std::vector<std::string> seen;
  const Json& faults = faults_of(rule);
  bool accepted = false;
  for (std::uint64_t n = 1; n <= kMaxBlindExports && !accepted; ++n) {
    const Possible possible = possible_answers(rule, "export", n);
    if (possible.unfaulted) {
      accepted = true;
    } else if (const Json& fault = faults[possible.faults.front()]; fault.contains("status")) {
      seen.push_back("POST " + std::to_string(fault["status"].get<int>()));
    } else if (fault.contains("drop")) {
      seen.push_back("POST dropped");
    } else if (fault["location"] == "missing") {
      seen.push_back("POST 202 without Location");
    } else {
      accepted = true;  // a bent Location still leads to the operation
    }
  }
  if (!accepted) return seen;

  const Json timeline = timeline_of(rule);
  TimelineState state;
  Millis age{0};
  for (std::uint64_t n = 1; n <= kMaxBlindPolls; ++n) {
    const TimelineState now = settle(timeline, state, age);
    const std::string would_be = timeline[now.phase]["status"];
    const Possible possible = possible_answers(rule, "poll", n, would_be, age);
    if (!possible.unfaulted) {
      const Json& fault = faults[possible.faults.front()];
      if (fault.contains("status")) {
        seen.push_back("GET " + std::to_string(fault["status"].get<int>()));
        age += fault.contains("retryAfter") ? duration_of(fault["retryAfter"]) : 0ms;
      } else {
        seen.push_back(fault["body"] == "notJson" ? "notJson" : "unknownFutureValue");
        // The operation has not moved on: it is still as last seen.
        age += retry_after_of(timeline[state.phase]);
      }
      continue;
    }
    state = now;
    seen.push_back(would_be);
    if (is_terminal(would_be)) break;
    ++state.polls_in_phase;
    state.last_poll = age;
    age += retry_after_of(timeline[state.phase]);
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
    exports_by_rule_.clear();
    seen_by_chance_.clear();
    generated_seen_.clear();
    operation_ = {};
    clock_ = std::make_shared<VirtualClock>(VirtualClock::default_start(), mode);
    options.clock = clock_;
    // The walk counts each kind's documented columns on every row.
    options.dialect.data_profile = DataProfile::documented;
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

  httplib::Result post_export(const ExportCall& call) {
    httplib::Headers headers{{"Authorization", "Bearer " + token_}};
    for (const auto& [name, value] : call.headers) headers.emplace(name, value);
    return client_->Post(export_path(call).c_str(), headers, export_body(call).dump(), "application/json");
  }

  std::string operations_path(const std::string& version) const {
    return "/" + version + "/reports/partners/billing/operations/";
  }

  // The fake's origin with its host replaced, as a `wrongHost` Location has it.
  std::string wrong_origin() const {
    const std::string& origin = fake_->base_url();
    const auto host_at = origin.find("://") + 3;
    const auto port_at = origin.find(':', host_at);
    return origin.substr(0, host_at) + "wrong-host.invalid" +
           (port_at == std::string::npos ? "" : origin.substr(port_at));
  }

  // A Location as a client resolves it against the export's URL: a path is
  // on the fake's origin. A wrong host is put right, so the walk can go on.
  std::string resolve(const std::string& location) const {
    if (location.rfind("/", 0) == 0) return fake_->base_url() + location;
    const std::string wrong = wrong_origin();
    if (location.rfind(wrong + "/", 0) == 0) return fake_->base_url() + location.substr(wrong.size());
    return location;
  }

  // ---- Faults as a client meets them (docs/scenarios.md, "faults").

  static constexpr std::size_t kUnfaulted = static_cast<std::size_t>(-1);

  // Why `response` is not the answer `fault` scripts (nullptr: the answer
  // with no fault) to an `on` request; empty when it is.
  std::string mismatch(const Json* fault, const std::string& on, const ExportCall& call,
                       const httplib::Response& response) const {
    std::vector<std::string> why;
    const auto expect = [&](bool holds, const std::string& what) {
      if (!holds) why.push_back(what);
    };
    const std::string location = response.get_header_value("Location");
    const std::string under = operations_path(call.version);
    if (fault != nullptr && fault->contains("drop")) {
      return "HTTP " + std::to_string(response.status) +
             ": answered, though the fault closes the connection unanswered";
    }
    if (fault == nullptr || fault->contains("location") || fault->contains("body")) {
      const int status = on == "export" ? 202 : 200;
      if (response.status != status) {
        return "HTTP " + std::to_string(response.status) + ", not " + std::to_string(status);
      }
    }
    if (fault == nullptr && on == "export") {
      expect(location.rfind(fake_->base_url() + under, 0) == 0,
             "Location '" + location + "' is not an operation on " + fake_->base_url());
    } else if (fault == nullptr) {
      expect(Json::accept(response.body), "the body is not JSON");
      if (Json::accept(response.body)) {
        const Json body = Json::parse(response.body);
        static const std::set<std::string> kStatuses = {"notStarted", "running", "succeeded", "failed"};
        expect(body.contains("status") && body["status"].is_string() && kStatuses.count(body["status"]),
               "no known status: " + body.value("status", Json()).dump());
      }
    } else if (fault->contains("location")) {
      const std::string kind = (*fault)["location"];
      if (kind == "missing") {
        expect(!response.has_header("Location"), "a Location: " + location);
      } else if (kind == "relative") {
        expect(location.rfind(under, 0) == 0, "Location '" + location + "' is not a path under " + under);
      } else {
        expect(location.rfind(wrong_origin() + under, 0) == 0,
               "Location '" + location + "' is not under " + wrong_origin() + under);
      }
    } else if (fault->contains("body")) {
      if ((*fault)["body"] == "notJson") {
        expect(!Json::accept(response.body), "the body is JSON");
        expect(response.body.rfind("{", 0) == 0, "the body is not JSON cut off: " + response.body.substr(0, 80));
      } else {
        expect(Json::accept(response.body), "the body is not JSON");
        if (Json::accept(response.body)) {
          const Json body = Json::parse(response.body);
          expect(body.value("status", Json()) == "unknownFutureValue",
                 "status " + body.value("status", Json()).dump() + ", not \"unknownFutureValue\"");
          expect(!operation_.id.empty() && body.value("id", Json()) == operation_.id,
                 "id " + body.value("id", Json()).dump() + " is not the operation's");
        }
      }
    } else {
      const int status = (*fault)["status"];
      if (response.status != status) {
        return "HTTP " + std::to_string(response.status) + ", not " + std::to_string(status);
      }
      const auto seconds = [](const Json& d) {
        return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration_of(d)).count());
      };
      const std::string retry_after = fault->contains("retryAfter") ? seconds((*fault)["retryAfter"]) : "(none)";
      const std::string sent = response.has_header("Retry-After") ? response.get_header_value("Retry-After") : "(none)";
      expect(sent == retry_after, "Retry-After " + sent + ", not " + retry_after);
      if (on == "export") expect(!response.has_header("Location"), "a refused export has a Location: " + location);
      if (status == 401) {
        expect(response.get_header_value("WWW-Authenticate").rfind("Bearer ", 0) == 0,
               "WWW-Authenticate '" + response.get_header_value("WWW-Authenticate") + "' is not a Bearer challenge");
      }
      if (!Json::accept(response.body)) {
        why.push_back("the body is not Graph's error envelope: " + response.body.substr(0, 200));
      } else {
        const Json body = Json::parse(response.body);
        const Json error = body.value("error", Json());
        const std::string code = fault->value("code", usual_code(status));
        const Json sent_code = error.is_object() ? error.value("code", Json()) : Json();
        const Json sent_message = error.is_object() ? error.value("message", Json()) : Json();
        if (code.empty()) {
          expect(sent_code.is_string() && !sent_code.get<std::string>().empty(), "no error.code: " + body.dump());
        } else {
          expect(sent_code == code, "error.code " + sent_code.dump() + ", not \"" + code + "\"");
        }
        if (fault->contains("message")) {
          expect(sent_message == (*fault)["message"],
                 "error.message " + sent_message.dump() + ", not " + (*fault)["message"].dump());
        } else {
          expect(sent_message.is_string() && !sent_message.get<std::string>().empty(),
                 "no error.message: " + body.dump());
        }
        expect(error.is_object() && error.value("innerError", Json()).is_object(),
               "no error.innerError: " + body.dump());
      }
    }
    std::string text;
    for (const auto& reason : why) text += (text.empty() ? "" : "; ") + reason;
    return text;
  }

  // Which of the `possible` answers to the Nth `on` request `response` is: a
  // fault's index, or kUnfaulted. Fails when it is none of them.
  void identify(const Json& rule, const std::string& key, const Possible& possible, const std::string& on,
                std::uint64_t n, const ExportCall& call, const httplib::Response& response, std::size_t& answer) {
    const Json& faults = faults_of(rule);
    std::string why;
    for (const auto index : possible.faults) {
      const std::string reason = mismatch(&faults[index], on, call, response);
      if (reason.empty()) {
        answer = index;
        if (probability_of(faults[index]) < 1.0) seen_by_chance_.insert({key, index});
        return;
      }
      why += "  faults[" + std::to_string(index) + "] " + faults[index].dump() + ": " + reason + "\n";
    }
    if (possible.unfaulted) {
      const std::string reason = mismatch(nullptr, on, call, response);
      if (reason.empty()) {
        answer = kUnfaulted;
        return;
      }
      why += "  no fault: " + reason + "\n";
    }
    FAIL() << on << " request " << n << " (at " << rfc3339_ms(clock_->now())
           << ") is not answered as the file says:\n" << why << "got HTTP " << response.status << " "
           << response.body.substr(0, 400);
  }

  // The id of the operation created last, if the fake keeps any.
  std::string newest_operation_id() {
    const auto kept = fake_->admin().operations();
    return kept.empty() ? std::string() : kept.back().id;
  }

  // The export `rule` takes, accepted: refused attempts are checked against
  // the faults that refuse them and retried after their Retry-After, a
  // missing Location is retried, a bent one resolved. Not `accepted` when
  // the rule refuses every export (a few attempts show it): then there is
  // no timeline to walk.
  void accept_export(const Json& rule, const std::string& key, const ExportCall& call, bool& accepted) {
    accepted = false;
    const Json& faults = faults_of(rule);
    std::uint64_t& count = exports_by_rule_[key];
    const std::uint64_t bound =
        count + last_listed(rule, "export", "requests") + 3 + (has_chance_faults(rule) ? 100 : 0);
    int refused_for_good = 0;
    while (count < bound) {
      const std::uint64_t n = ++count;
      const Possible possible = possible_answers(rule, "export", n);
      const auto newest_before = newest_operation_id();
      auto result = post_export(call);
      if (!result) {
        // Closed unanswered: only a drop does that, and "afterCreate" leaves
        // an operation behind that "beforeCreate" does not. A client retries.
        const bool created = newest_operation_id() != newest_before;
        const auto drop = std::find_if(possible.faults.begin(), possible.faults.end(), [&](std::size_t f) {
          return faults[f].contains("drop") && (faults[f]["drop"] == "afterCreate") == created;
        });
        ASSERT_NE(drop, possible.faults.end())
            << "no response to export attempt " << n << ", which " << (created ? "created" : "did not create")
            << " an operation, and no drop that does so scripted";
        if (probability_of(faults[*drop]) < 1.0) seen_by_chance_.insert({key, *drop});
        continue;
      }
      std::size_t answer = kUnfaulted;
      ASSERT_NO_FATAL_FAILURE(identify(rule, key, possible, "export", n, call, *result, answer));
      std::string location = result->get_header_value("Location");
      if (answer != kUnfaulted) {
        const Json& fault = faults[answer];
        if (fault.contains("status")) {
          // A rule that refuses every export: a few refusals are all there is.
          if (!fault.contains("requests") && probability_of(fault) >= 1.0 && ++refused_for_good == 3) return;
          if (fault.contains("retryAfter")) clock_->advance(duration_of(fault["retryAfter"]));  // a patient client
          continue;
        }
        if (fault["location"] == "missing") continue;  // nothing to poll: export again
        location = resolve(location);
      }
      operation_ = {};
      operation_.rule = rule;
      operation_.key = key;
      operation_.call = call;
      operation_.location = location;
      operation_.id = location.substr(location.rfind('/') + 1);
      operation_.created = clock_->now();
      accepted = true;
      return;
    }
    FAIL() << "no export accepted in " << bound << " attempts";
  }

  struct Polled {
    bool answered = false;                   // false: the rule's faults answer every poll now
    std::optional<std::string> retry_after;  // absent: no Retry-After header
    Json body;
  };

  // The operation's next answer that is not a scripted fault, `would_be`
  // the status it must carry: polls until one comes, checking each faulted
  // answer against the fault the file scripts for it (by the request's
  // number, the operation's age and `would_be`). A faulted poll does not
  // move the operation, nor does the walk move the clock, so when a fault
  // that no request number limits answers, it answers every poll from then
  // on: after a few, the walk ends there (not `answered`).
  void poll(const std::string& would_be, Polled& polled) {
    polled = {};
    if (operation_.stopped) return;
    const Json& faults = faults_of(operation_.rule);
    const Millis age = std::chrono::duration_cast<Millis>(clock_->now() - operation_.created);
    int faulted_for_good = 0;
    for (int attempt = 0; attempt < 1000; ++attempt) {
      const std::uint64_t n = ++operation_.requests;
      const Possible possible = possible_answers(operation_.rule, "poll", n, would_be, age);
      auto result = get(operation_.location);
      ASSERT_TRUE(result) << "no response to request " << n << " for " << operation_.location;
      std::size_t answer = kUnfaulted;
      ASSERT_NO_FATAL_FAILURE(
          identify(operation_.rule, operation_.key, possible, "poll", n, operation_.call, *result, answer));
      if (answer == kUnfaulted) {
        polled.answered = true;
        if (result->has_header("Retry-After")) polled.retry_after = result->get_header_value("Retry-After");
        polled.body = Json::parse(result->body);
        return;
      }
      if (!possible.unfaulted && !faults[possible.faults.back()].contains("polls") && ++faulted_for_good == 3) {
        operation_.stopped = true;
        return;
      }
    }
    FAIL() << "1000 polls at " << rfc3339_ms(clock_->now()) << " all answered by faults";
  }

  void expect_waiting(const std::string& status, std::chrono::seconds retry_after, TimePoint phase_began) {
    Polled polled;
    ASSERT_NO_FATAL_FAILURE(poll(status, polled));
    if (!polled.answered) return;
    Json& body = polled.body;
    ASSERT_EQ(body["status"], status) << "at " << rfc3339_ms(clock_->now()) << ": " << body.dump();
    EXPECT_EQ(body["@odata.type"], kRunningType);
    EXPECT_EQ(polled.retry_after.value_or("(none)"), std::to_string(retry_after.count()));
    EXPECT_EQ(body["lastActionDateTime"], rfc3339_ms(phase_began)) << "when the phase began";
    EXPECT_FALSE(body.contains("resourceLocation"));
    EXPECT_FALSE(body.contains(kNavigationLink));
    EXPECT_FALSE(body.contains("error"));
    EXPECT_EQ(has_unknown_properties(body, "operation"), evolves(operation_.rule, "unknownProperties")) << body.dump();
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

  void expect_succeeded(const Json& phase, const ExportCall& call, const Json& operation) {
    const bool unknown_properties = evolves(operation_.rule, "unknownProperties");
    EXPECT_EQ(operation["@odata.type"],
              evolves(operation_.rule, "unknownSubtype") ? kUnknownSuccessType : kSuccessType);
    EXPECT_EQ(has_unknown_properties(operation, "operation"), unknown_properties) << operation.dump();
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
    const ExportKind& kind = kind_named(call.kind);
    const std::string delivered = phase.value("attributeSet", call.attribute_set);
    const std::size_t columns =
        (delivered == "basic" ? kind.basic_columns : kind.full_columns) + (phase.contains("extraColumn") ? 1 : 0);
    const std::string invoice = kind.billed ? call.invoice_id : "";  // unbilled charges are on no invoice yet
    const bool quoted_numbers = phase.value("numbers", kDefaultNumbers) == "strings";
    // The walk's server writes the documentation's columns; a phase choosing
    // another data profile leaves out null values and renames columns, which
    // the data profile tests hold row by row.
    const bool documented_columns = phase.value("dataProfile", "documented") == "documented";
    const auto sas_valid_for = std::chrono::duration_cast<std::chrono::seconds>(
        phase.contains("sasValidFor") ? duration_of(phase["sasValidFor"]) : Millis(kDefaultSasValidFor));

    Json manifest;
    ASSERT_NO_FATAL_FAILURE(manifest_of(operation, style, call.version, manifest));
    const auto read_at = clock_->now();
    std::int64_t blob_count_delta = 0;
    for (const auto& fault : faults_of(operation_.rule)) {
      if (fault["on"] == "manifest" && fault.contains("blobCountDelta") && blob_count_delta == 0) {
        blob_count_delta = fault["blobCountDelta"];
      }
    }
    EXPECT_EQ(manifest["blobCount"], static_cast<std::int64_t>(blobs) + blob_count_delta);
    ASSERT_EQ(manifest["blobs"].size(), blobs) << "blobs listed";
    EXPECT_EQ(has_unknown_properties(manifest, "manifest"), unknown_properties) << manifest.dump();
    for (const auto& blob : manifest["blobs"]) {
      EXPECT_EQ(has_unknown_properties(blob, "blob"), unknown_properties) << blob.dump();
    }
    // Already generated data: created before the export that first asked
    // for it, and the same manifest for a later export of the same data.
    // Otherwise the manifest is created as the export succeeds.
    if (const Millis ago = generated_ago_of(operation_.rule); ago > 0ms) {
      const auto [first_seen, inserted] =
          generated_seen_.emplace(manifest.value("id", ""), rfc3339_ms(operation_.created - ago));
      EXPECT_EQ(manifest["createdDateTime"], first_seen->second)
          << (inserted ? "generatedAgo before the export" : "as when an earlier export of the same data read it");
    } else {
      EXPECT_EQ(manifest["createdDateTime"], operation["lastActionDateTime"]);
    }

    if (sas_valid_for == 0s) {
      // Born expired, and so is every SAS a re-read mints: nothing to download.
      auto result = download(blob_url(manifest, 0));
      ASSERT_TRUE(result);
      EXPECT_EQ(result->status, 403);
      return;
    }

    // Every blob, not just the first: broken as its fault says, or whole.
    std::uint64_t total = 0;
    std::uint64_t broken_rows = 0;
    std::uint64_t wrong_columns = 0;
    std::uint64_t wrong_invoice = 0;
    std::uint64_t wrong_numbers = 0;
    std::optional<std::size_t> whole_blob;
    std::string whole_bytes;
    for (std::size_t i = 0; i < manifest["blobs"].size(); ++i) {
      auto result = download(blob_url(manifest, i));
      const auto fault = blob_fault(operation_.rule, i);
      // A fault left to chance may not fire: then the blob comes whole.
      const bool by_chance = fault && probability_of(faults_of(operation_.rule)[*fault]) < 1.0;
      if (fault && !(by_chance && result && result->status == 200)) {
        if (by_chance) seen_by_chance_.insert({operation_.key, *fault});
        ASSERT_NO_FATAL_FAILURE(expect_broken_blob(faults_of(operation_.rule)[*fault], i, result));
        broken_rows += rows_in_blob(phase, rows, blobs, i);
        continue;
      }
      ASSERT_TRUE(result) << "blob " << i;
      ASSERT_EQ(result->status, 200) << "blob " << i << ": " << result->body;
      if (!whole_blob && !fault) {
        whole_blob = i;
        whole_bytes = result->body;
      }
      for (const auto& row : scan_rows(gunzip(result->body))) {
        ++total;
        if (documented_columns && row.keys != columns) ++wrong_columns;
        if (row.invoice != invoice) ++wrong_invoice;
        // Every kind's rows carry money, so a row spelled with JSON numbers has some.
        if (quoted_numbers != (row.numbers == 0)) ++wrong_numbers;
      }
    }
    EXPECT_EQ(total + broken_rows, rows) << "rows over all " << blobs << " blobs, " << broken_rows
                                         << " of them in broken ones";
    EXPECT_EQ(wrong_columns, 0u) << "rows without the " << columns << " " << delivered << " " << call.kind
                                 << " columns";
    EXPECT_EQ(wrong_invoice, 0u) << "rows whose InvoiceNumber is not \"" << invoice << "\"";
    EXPECT_EQ(wrong_numbers, 0u) << "rows not spelling numbers as "
                                 << (quoted_numbers ? "strings" : "JSON numbers");
    if (!whole_blob) return;  // every blob is broken: no SAS left to test against

    // The SAS works until sasValidFor has passed since the manifest was read,
    // then the blob store refuses it; a fresh read gives a working one.
    const auto url = blob_url(manifest, *whole_blob);
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
    ASSERT_NO_FATAL_FAILURE(poll("succeeded", polled));
    if (!polled.answered) return;
    Json& again = polled.body;
    ASSERT_EQ(again["status"], "succeeded");
    Json fresh;
    ASSERT_NO_FATAL_FAILURE(manifest_of(again, style, call.version, fresh));
    EXPECT_EQ(fresh["id"], manifest["id"]);
    EXPECT_NE(fresh["sasToken"], manifest["sasToken"]) << "a re-read mints a new SAS";
    auto renewed = download(blob_url(fresh, *whole_blob));
    ASSERT_TRUE(renewed);
    EXPECT_EQ(renewed->status, 200) << "with the re-read SAS: " << renewed->body;
    EXPECT_EQ(renewed->body, whole_bytes);
  }

  // The first blob fault that acts on blob `index`, as an index into the
  // rule's faults_of(); none when the blob is served whole.
  static std::optional<std::size_t> blob_fault(const Json& rule, std::size_t index) {
    const Json faults = faults_of(rule);
    for (std::size_t f = 0; f < faults.size(); ++f) {
      if (faults[f]["on"] == "blob" && listed(faults[f], "blobs", index)) return f;
    }
    return std::nullopt;
  }

  // Rows in blob `index` (docs/scenarios.md, "succeeded": `blobs` spreads
  // rows evenly, the first blobs taking one more; `rowsPerBlob` fills each).
  static std::uint64_t rows_in_blob(const Json& phase, std::uint64_t rows, std::uint64_t blobs, std::size_t index) {
    if (phase.contains("blobs")) return rows / blobs + (index < rows % blobs ? 1 : 0);
    const std::uint64_t per_blob = phase.value("rowsPerBlob", kDefaultRowsPerBlob);
    return std::min(per_blob, rows - std::min(rows, index * per_blob));
  }

  // A blob download answered as its fault scripts (docs/scenarios.md, "faults").
  void expect_broken_blob(const Json& fault, std::size_t index, const httplib::Result& result) {
    const std::string what = "blob " + std::to_string(index) + " under " + fault.dump();
    if (fault.contains("resetAtByte") || fault.contains("extraContentLength")) {
      EXPECT_FALSE(result) << what << ": the download should break off, got "
                           << (result ? std::to_string(result->body.size()) + " bytes" : "");
      return;
    }
    ASSERT_TRUE(result) << what;
    if (fault.contains("status")) {
      EXPECT_EQ(result->status, fault["status"].get<int>()) << what;
      EXPECT_FALSE(result->get_header_value("x-ms-error-code").empty()) << what;
      if (fault.contains("code")) {
        EXPECT_EQ(result->get_header_value("x-ms-error-code"), fault["code"]) << what;
      }
      return;
    }
    ASSERT_EQ(result->status, 200) << what;
    EXPECT_EQ(result->get_header_value("Content-Length"), std::to_string(result->body.size())) << what;
    EXPECT_THROW(gunzip(result->body), std::runtime_error) << what << ": the bytes inflate cleanly";
  }

  // Walks an export through `rule` (Json::object(): no rule, the default)
  // as a client would: its export faults, then the phases of its timeline,
  // each as the file describes it, with the poll faults the file scripts in
  // between. `key` names the rule: export faults count the exports each
  // rule has matched on this fake.
  void walk(const Json& rule, const ExportCall& call, const std::string& key) {
    SCOPED_TRACE(::testing::Message() << call);
    bool accepted = false;
    ASSERT_NO_FATAL_FAILURE(accept_export(rule, key, call, accepted));
    if (!accepted) return;  // every export refused, as the file says: no timeline to walk
    const Json timeline = timeline_of(rule);
    TimePoint began = operation_.created;
    const auto created = rfc3339_ms(began);
    for (std::size_t i = 0; i < timeline.size(); ++i) {
      const Json& phase = timeline[i];
      const std::string status = phase["status"];
      SCOPED_TRACE(::testing::Message() << "phase " << i << " " << phase.dump());
      if (is_terminal(status)) {
        ASSERT_NO_FATAL_FAILURE(expect_terminal(phase, call, began, created));
        ASSERT_NO_FATAL_FAILURE(expect_listed_polls(status));
        return;
      }
      const int polls = phase.value("polls", 0);
      const Millis lasts = phase.contains("after") ? duration_of(phase["after"]) : 0ms;
      const auto retry_after = std::chrono::duration_cast<std::chrono::seconds>(retry_after_of(phase));
      if (polls == 0 && lasts == 0ms) continue;  // over before any poll can see it
      // It answers `polls` polls (at least the one that enters it)...
      for (int p = 0; p < std::max(polls, 1); ++p) {
        ASSERT_NO_FATAL_FAILURE(expect_waiting(status, retry_after, began));
        if (operation_.stopped) return;
      }
      if (lasts > 0ms) {
        // ...and lasts `after`: still in it just before the end.
        const TimePoint ends = began + lasts;
        clock_->set(std::max<TimePoint>(clock_->now(), ends - 1ms));
        ASSERT_NO_FATAL_FAILURE(expect_waiting(status, retry_after, began));
        if (operation_.stopped) return;
        clock_->set(ends);
        began = ends;
      } else {
        began = clock_->now();  // it ended with its last poll
      }
    }
    FAIL() << "the timeline has no terminal phase";
  }

  void expect_terminal(const Json& phase, const ExportCall& call, TimePoint began, const std::string& created) {
    const std::string status = phase["status"];
    Polled polled;
    ASSERT_NO_FATAL_FAILURE(poll(status, polled));
    if (!polled.answered) return;
    Json operation = polled.body;
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
      ASSERT_NO_FATAL_FAILURE(expect_succeeded(phase, call, operation));
    }
    // Terminal states are sticky.
    clock_->advance(2h);
    ASSERT_NO_FATAL_FAILURE(poll(status, polled));
    if (!polled.answered) return;
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

  // Every poll number a fault names is reached, even past the timeline's end.
  void expect_listed_polls(const std::string& terminal) {
    const std::uint64_t last = last_listed(operation_.rule, "poll", "polls");
    while (!operation_.stopped && operation_.requests < last) {
      Polled polled;
      ASSERT_NO_FATAL_FAILURE(poll(terminal, polled));
      if (polled.answered) {
        EXPECT_EQ(polled.body["status"], terminal);
      }
    }
  }

  // A poll fault with an `after` fires once the operation is that old, and
  // not a millisecond before: two fresh exports, one polled just before,
  // one just at that age, each poll checked against the file (the
  // timeline's state computed from the file).
  void expect_after_faults_fire_on_time(const Json& rule, const std::string& key, const ExportCall& call) {
    const Json& faults = faults_of(rule);
    const Json timeline = timeline_of(rule);
    for (std::size_t f = 0; f < faults.size(); ++f) {
      const Json& fault = faults[f];
      if (fault["on"] != "poll" || !fault.contains("after") || probability_of(fault) < 1.0) continue;
      const Millis after = duration_of(fault["after"]);
      for (const Millis age : {after - 1ms, after}) {
        SCOPED_TRACE(::testing::Message() << "faults[" << f << "] " << fault.dump() << ", polled at age " << age.count()
                                          << " ms");
        bool accepted = false;
        ASSERT_NO_FATAL_FAILURE(accept_export(rule, key, call, accepted));
        if (!accepted) return;
        clock_->set(operation_.created + age);
        TimelineState state;
        bool shown = false;  // a poll that only `after` kept from (or let) this fault answer
        for (int p = 0; p < 10 && !shown; ++p) {
          const TimelineState now = settle(timeline, state, age);
          const std::string would_be = timeline[now.phase]["status"];
          const std::uint64_t n = ++operation_.requests;
          const Possible possible = possible_answers(rule, "poll", n, would_be, age);
          const Possible once_old = possible_answers(rule, "poll", n, would_be, after);
          shown = once_old.certain() && !once_old.faults.empty() && once_old.faults.front() == f;
          auto result = get(operation_.location);
          ASSERT_TRUE(result);
          std::size_t answer = kUnfaulted;
          ASSERT_NO_FATAL_FAILURE(identify(rule, key, possible, "poll", n, call, *result, answer));
          if (answer == kUnfaulted) {
            EXPECT_EQ(Json::parse(result->body)["status"], would_be);
            state = now;
            ++state.polls_in_phase;
            state.last_poll = age;
          }
        }
        if (!fault.contains("polls") && !fault.contains("phase")) {
          EXPECT_TRUE(shown) << "no poll in 10 where only the age decides whether this fault answers";
        }
      }
    }
  }

  // What a client that knows nothing about the file sees: it exports
  // (again, while refused or given no Location), polls, waits each
  // Retry-After (faulted answers' too), then reads every blob. Absolute URLs
  // are written relative to the fake, so two fakes can be compared.
  struct Trace {
    std::vector<std::string> statuses;  // as answers_when_waiting_retry_after() writes them
    std::vector<std::string> responses;
    std::size_t blobs = 0;
    std::size_t rows = 0;
  };

  // `waits`: the client sleeps each Retry-After it is given, on a refused
  // export or on a poll (here: advances the clock); false for an
  // auto-advancing clock, which does it by itself (docs/scenarios.md, "Time").
  Trace blind_walk(const ExportCall& call, bool waits = true, bool reads_blobs = true) {
    Trace trace;
    const auto relative = [&](std::string text) {
      for (const auto& [origin, name] : {std::pair{fake_->base_url(), std::string("{origin}")},
                                         std::pair{wrong_origin(), std::string("{wrong-origin}")}}) {
        for (auto at = text.find(origin); at != std::string::npos; at = text.find(origin, at)) {
          text.replace(at, origin.size(), name);
        }
      }
      return text;
    };
    // Under --clock auto the clock also moves by every scripted delay; a
    // patient client on a real network lives through them too.
    std::size_t delays_lived = 0;
    const auto live_through_delays = [&] {
      if (!waits) return;
      const auto holds = clock_->holds();
      for (; delays_lived < holds.size(); ++delays_lived) clock_->advance(holds[delays_lived]);
    };
    std::string location;
    for (std::uint64_t attempt = 0; attempt < kMaxBlindExports && location.empty(); ++attempt) {
      auto result = post_export(call);
      live_through_delays();
      if (!result) {  // the connection closed unanswered: export again
        trace.statuses.push_back("POST dropped");
        trace.responses.push_back("POST dropped");
        continue;
      }
      trace.responses.push_back("POST " + std::to_string(result->status) + " Retry-After: " +
                                result->get_header_value("Retry-After") + " Location: " +
                                relative(result->get_header_value("Location")) + " " + relative(result->body));
      if (result->status != 202) {
        trace.statuses.push_back("POST " + std::to_string(result->status));
        const std::string retry_after = result->get_header_value("Retry-After");
        if (waits && !retry_after.empty()) clock_->advance(std::chrono::seconds(std::stoll(retry_after)));
      } else if (!result->has_header("Location")) {
        trace.statuses.push_back("POST 202 without Location");
      } else {
        location = resolve(result->get_header_value("Location"));
      }
    }
    if (location.empty()) return trace;
    Json operation;
    for (std::uint64_t attempt = 0; attempt < kMaxBlindPolls; ++attempt) {
      auto result = get(location);
      live_through_delays();
      if (!result) {
        ADD_FAILURE() << "no response";
        return trace;
      }
      const std::string retry_after = result->get_header_value("Retry-After");
      trace.responses.push_back(std::to_string(result->status) + " Retry-After: " + retry_after + " " +
                                relative(result->body));
      std::string seen;
      if (result->status != 200) {
        seen = "GET " + std::to_string(result->status);
      } else if (!Json::accept(result->body)) {
        seen = "notJson";
      } else {
        operation = Json::parse(result->body);
        seen = operation.value("status", "");
      }
      trace.statuses.push_back(seen);
      if (is_terminal(seen)) break;
      if (waits) clock_->advance(std::chrono::seconds(std::stoll(retry_after.empty() ? "0" : retry_after)));
    }
    if (operation.value("status", "") != "succeeded" || !reads_blobs) return trace;
    Json manifest = operation.value("resourceLocation", Json());
    if (operation.contains(kNavigationLink)) {
      auto result = get(operation[kNavigationLink].get<std::string>());
      live_through_delays();
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
      live_through_delays();
      if (!result) {
        ADD_FAILURE() << "no blob";
        return trace;
      }
      if (result->status == 200) trace.rows += json_lines(gunzip(result->body)).size();
      trace.responses.push_back("blob " + std::to_string(i) + " " + std::to_string(result->status) + " " +
                                std::to_string(result->body.size()) + " bytes, hash " +
                                std::to_string(std::hash<std::string>{}(result->body)));
    }
    return trace;
  }

  // The operation being walked.
  struct Operation {
    Json rule = Json::object();
    std::string key;
    ExportCall call;
    std::string location;  // absolute, on the fake
    std::string id;
    TimePoint created{};
    std::uint64_t requests = 0;  // every GET of it so far, faulted or not
    bool stopped = false;        // faults answer every poll now: the walk ends
  };

  std::shared_ptr<VirtualClock> clock_;
  std::unique_ptr<Server> fake_;
  std::unique_ptr<httplib::Client> client_;
  std::string token_ = make_token();
  Operation operation_;
  std::map<std::string, std::uint64_t> exports_by_rule_;           // export requests each rule matched
  std::set<std::pair<std::string, std::size_t>> seen_by_chance_;  // (rule, fault) with a probability, seen firing
  std::map<std::string, std::string> generated_seen_;  // already generated manifests read: id to createdDateTime
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

// How the walker names a rule, for the fake's per-rule export counts.
std::string rule_key(const fs::path& file, std::size_t rule) {
  return file.filename().string() + "#" + std::to_string(rule);
}

constexpr int kWalksForChance = 30;  // walks a rule's faults with a probability get to show up in

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
  const Json& rule = rules[c.rule];
  const std::string key = rule_key(c.file, c.rule);
  ASSERT_NO_FATAL_FAILURE(walk(rule, plan.call, key));
  ASSERT_NO_FATAL_FAILURE(expect_after_faults_fire_on_time(rule, key, plan.call));
  // A fault left to chance must show up, within a bounded number of walks
  // (every answer of each checked as above).
  const Json& faults = faults_of(rule);
  const auto unseen = [&] {
    std::vector<std::size_t> left;
    for (std::size_t i = 0; i < faults.size(); ++i) {
      if (probability_of(faults[i]) < 1.0 && !seen_by_chance_.count({key, i})) left.push_back(i);
    }
    return left;
  };
  for (int again = 1; again < kWalksForChance && !unseen().empty(); ++again) {
    ASSERT_NO_FATAL_FAILURE(walk(rule, plan.call, key));
  }
  for (const auto i : unseen()) {
    ADD_FAILURE() << "faults[" << i << "] " << faults[i].dump() << " never fired in " << kWalksForChance << " walks";
  }
}

// Whether `held` is a delay `delay` (docs/scenarios.md, "Delays") can give.
bool delay_explains(const Json& delay, Millis held) {
  if (delay.is_string()) return held == duration_of(delay);
  if (delay["distribution"] == "uniform") return duration_of(delay["min"]) <= held && held <= duration_of(delay["max"]);
  return !delay.contains("max") || held <= duration_of(delay["max"]);
}

// Every delay a rule scripts holds some answer of a walk back, by an amount
// its form allows.
TEST_P(ScenarioLibrary, RuleDelaysHoldAnswersAsScripted) {
  const RuleCase& c = GetParam();
  ASSERT_TRUE(c.load_error.empty()) << c.file << ": " << c.load_error;
  const Json document = read_json(c.file);
  const Json& rule = document.at("rules")[c.rule];
  std::vector<Json> delays;
  for (const auto& fault : rule.value("faults", Json::array())) {
    if (fault.contains("delay")) delays.push_back(fault);
  }
  if (delays.empty()) GTEST_SKIP() << "the rule scripts no delay";
  const Plan plan = plan_for(document.at("rules"), c.rule);
  if (plan.kind == Plan::Kind::skip) GTEST_SKIP() << c.file.filename().string() << ": " << plan.why;
  ASSERT_EQ(plan.kind, Plan::Kind::walk) << c.file.filename().string() << ": " << plan.why;

  Options options;
  options.scenario_paths = {c.file.string()};
  ASSERT_NO_FATAL_FAILURE(start(options));
  blind_walk(plan.call);
  const auto holds = clock_->holds();
  for (const auto& fault : delays) {
    EXPECT_TRUE(std::any_of(holds.begin(), holds.end(), [&](Millis held) { return delay_explains(fault["delay"], held); }))
        << fault.dump() << " held no answer back; holds: " << holds.size();
  }
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
  ASSERT_NO_FATAL_FAILURE(start(options, VirtualClock::Mode::auto_advance));
  const Trace hasty = blind_walk(plan.call, /*waits=*/false, /*reads_blobs=*/false);
  if (!has_chance_faults(rules[c.rule])) {
    EXPECT_EQ(hasty.statuses, answers_when_waiting_retry_after(rules[c.rule]));
  }
  // Response for response what a client that waits each Retry-After gets
  // from a fake whose clock only it moves: faulted polls' Retry-After too.
  ASSERT_NO_FATAL_FAILURE(start(options));
  const Trace patient = blind_walk(plan.call, /*waits=*/true, /*reads_blobs=*/false);
  EXPECT_EQ(hasty.responses.size(), patient.responses.size());
  for (std::size_t i = 0; i < std::min(hasty.responses.size(), patient.responses.size()); ++i) {
    if (hasty.responses[i] == patient.responses[i]) continue;
    ADD_FAILURE() << "answer " << i << " differs under --clock auto from a client's that waits:\n  auto:    "
                  << hasty.responses[i] << "\n  waiting: " << patient.responses[i];
    break;
  }
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

bool leaves_faults_to_chance(const Json& document) {
  for (const auto& rule : document.at("rules")) {
    for (const auto& fault : rule.value("faults", Json::array())) {
      if (fault.contains("probability")) return true;
    }
  }
  return false;
}

// The library's faults fire by request number, phase and age, so a
// client's test against a file gives the same answers every run, whatever
// the seed; a file that leaves faults to chance says that they follow the
// seed (ScenarioLibrarySet.SeededChance_SameSeedSameAnswers holds it to that).
TEST_P(ScenarioFile, LeavesFaultsToChanceOnlyWhereItSaysTheSeedDecides) {
  const Json document = read_json(GetParam());
  if (!leaves_faults_to_chance(document)) return;
  EXPECT_NE(document.value("description", "").find("seed"), std::string::npos)
      << "a file with faults left to chance says that the seed decides them";
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

// Faults left to chance are drawn from the seeded generator: two fakes
// with the same seed give a client the same answers, blob bytes included.
TEST_F(ScenarioLibrarySet, SeededChance_SameSeedSameAnswers) {
  std::size_t files = 0;
  for (const auto& file : library_files()) {
    const Json document = read_json(file);
    if (!leaves_faults_to_chance(document)) continue;
    ++files;
    const Json& rules = document.at("rules");
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const Plan plan = plan_for(rules, i);
      if (plan.kind != Plan::Kind::walk) continue;
      SCOPED_TRACE(file.filename().string() + ": " + rule_name(rules, i));
      std::vector<Trace> traces;
      for (int run = 0; run < 2; ++run) {
        Options options;
        options.seed = 20251207;
        options.scenario_paths = {file.string()};
        ASSERT_NO_FATAL_FAILURE(start(std::move(options)));
        traces.push_back(blind_walk(plan.call));
      }
      EXPECT_EQ(traces[0].responses, traces[1].responses);
      EXPECT_GT(traces[0].responses.size(), 2u);
    }
  }
  EXPECT_GE(files, 1u) << "the library shows faults left to chance (seeded-chance.json)";
}

// alreadyGenerated, as docs/scenarios.md states it: succeeded at the first
// poll; the manifest created generatedAgo before the export; a second
// export of the same invoice later gets the same manifest, still older
// than it, with a SAS signed when served.
TEST_F(ScenarioLibrarySet, AlreadyGenerated_FirstPollSucceededWithAnOlderSharedManifestAndAFreshSas) {
  const auto file = library_dir() / "already-generated.json";
  const Json rule = read_json(file)["rules"][0];
  const Millis ago = generated_ago_of(rule);
  ASSERT_GE(ago, 1h) << "hours older, as the docs say";
  Options options;
  options.scenario_paths = {file.string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options)));
  const ExportCall call;
  std::vector<Json> manifests;
  std::vector<TimePoint> exported_at;
  for (int repeat = 0; repeat < 2; ++repeat) {
    bool accepted = false;
    ASSERT_NO_FATAL_FAILURE(accept_export(rule, rule_key(file, 0), call, accepted));
    ASSERT_TRUE(accepted);
    exported_at.push_back(clock_->now());
    auto first = get(operation_.location);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200);
    const Json operation = Json::parse(first->body);
    EXPECT_EQ(operation["status"], "succeeded") << "at the first poll";
    EXPECT_FALSE(first->has_header("Retry-After"));
    EXPECT_EQ(operation["createdDateTime"], rfc3339_ms(exported_at.back())) << "the operation is the new export's";
    manifests.push_back(operation["resourceLocation"]);
    const std::string sas = manifests.back()["sasToken"];
    // skt: when the SAS was signed, the moment it was served.
    const std::string signed_at = rfc3339_ms(exported_at.back()).substr(0, 19);
    std::string encoded;
    for (char c : signed_at) encoded += c == ':' ? std::string("%3A") : std::string(1, c);
    EXPECT_NE(sas.find("skt=" + encoded + "Z"), std::string::npos) << sas;
    auto blob = download(blob_url(manifests.back(), 0));
    ASSERT_TRUE(blob);
    EXPECT_EQ(blob->status, 200) << "the fresh SAS opens the blob: " << blob->body;
    clock_->advance(3h);  // the first SAS (valid 1 h) has long expired
  }
  EXPECT_EQ(manifests[1]["id"], manifests[0]["id"]) << "the same already generated manifest";
  EXPECT_EQ(manifests[1]["createdDateTime"], rfc3339_ms(exported_at[0] - ago));
  EXPECT_LT(manifests[1]["createdDateTime"].get<std::string>(), rfc3339_ms(exported_at[1]));
  EXPECT_NE(manifests[1]["sasToken"], manifests[0]["sasToken"]) << "each read signs its own SAS";
  // Another invoice's data is another manifest.
  ExportCall other;
  other.invoice_id = "G000000123";
  bool accepted = false;
  ASSERT_NO_FATAL_FAILURE(accept_export(rule, rule_key(file, 0), other, accepted));
  ASSERT_TRUE(accepted);
  auto polled = get(operation_.location);
  ASSERT_TRUE(polled);
  EXPECT_NE(Json::parse(polled->body)["resourceLocation"]["id"], manifests[0]["id"]);
}

// generatingForMinutes, as docs/scenarios.md states it: notStarted for the
// first Retry-After, running until runsFor has passed on the clock (however
// often it is polled), Retry-After in the 10 to 15 s clients use, then
// succeeded.
TEST_F(ScenarioLibrarySet, GeneratingForMinutes_RunsForMinutesOnTheClockWithItsRetryAfter) {
  const auto file = library_dir() / "generating-for-minutes.json";
  const Json rule = read_json(file)["rules"][0];
  const Json timeline = timeline_of(rule);
  ASSERT_EQ(timeline.size(), 3u);
  const auto wait = std::chrono::duration_cast<std::chrono::seconds>(duration_of(timeline[0]["retryAfter"]));
  const Millis runs = duration_of(timeline[0]["after"]) + duration_of(timeline[1]["after"]);
  EXPECT_GE(wait, 10s);
  EXPECT_LE(wait, 15s);
  EXPECT_GE(runs, 1min);
  Options options;
  options.scenario_paths = {file.string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options)));
  bool accepted = false;
  ASSERT_NO_FATAL_FAILURE(accept_export(rule, rule_key(file, 0), ExportCall{}, accepted));
  ASSERT_TRUE(accepted);
  const TimePoint created = clock_->now();
  std::vector<std::string> statuses;
  while (statuses.size() < 1000) {
    // A client that polls five times as often as told still waits as long.
    for (int hurried = 0; hurried < 5; ++hurried) {
      auto result = get(operation_.location);
      ASSERT_TRUE(result);
      const Json body = Json::parse(result->body);
      statuses.push_back(body["status"]);
      if (statuses.back() == "succeeded") break;
      EXPECT_EQ(result->get_header_value("Retry-After"), std::to_string(wait.count()));
      clock_->advance(wait / 5);
    }
    if (statuses.back() == "succeeded") break;
  }
  ASSERT_EQ(statuses.back(), "succeeded");
  EXPECT_EQ(clock_->now() - created, runs) << "succeeded once runsFor had passed, not before";
  EXPECT_EQ(statuses.front(), "notStarted");
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "notStarted"), 5) << "for the first Retry-After";
  EXPECT_EQ(static_cast<std::size_t>(std::count(statuses.begin(), statuses.end(), "running")),
            statuses.size() - 6);
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
    ASSERT_NO_FATAL_FAILURE(walk(rules[i], plan.call, rule_key(file, i)));
  }
  EXPECT_EQ(decided.size(), rules.size()) << "every rule of mixed-invoices.json decides some export";
  // The header rule is later than the invoice rules: G000000404 with the
  // header still fails, as the first rule says.
  ExportCall both;
  both.invoice_id = "G000000404";
  both.headers = {{"X-GraphFake-Scenario", "docs-exact"}};
  ASSERT_TRUE(rule_fits(rules[0], both));
  ASSERT_NO_FATAL_FAILURE(walk(rules[0], both, rule_key(file, 0)));
  // Header names match whatever their case.
  ExportCall shouted;
  shouted.headers = {{"X-GRAPHFAKE-SCENARIO", "docs-exact"}};
  ASSERT_EQ(rules[3].value("name", ""), "documentation shape");
  ASSERT_TRUE(rule_fits(rules[3], shouted));
  walk(rules[3], shouted, rule_key(file, 3));
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
  // that fits across all of them, its faults included. The header
  // invalid-token.json matches on is tried too, and the other three kinds:
  // a catch-all in an earlier file takes them first.
  std::vector<std::pair<std::string, Json>> all_rules;  // (key, rule)
  for (const auto& file : library_files()) {
    const Json document = read_json(file);
    for (std::size_t i = 0; i < document.at("rules").size(); ++i) {
      all_rules.emplace_back(rule_key(file, i), document["rules"][i]);
    }
  }
  ASSERT_FALSE(all_rules.empty());
  std::vector<ExportCall> calls;
  for (const auto& invoice : {"G016907411", "G000000404", "G900000001"}) {
    calls.emplace_back().invoice_id = invoice;
  }
  for (const auto& value : {"invalid-token", "missing-permission"}) {
    calls.emplace_back().headers = {{"x-graphfake-scenario", value}};
  }
  for (const auto& kind : {"unbilledReconciliation", "billedUsage", "unbilledUsage"}) calls.emplace_back().kind = kind;
  for (const auto& call : calls) {
    const auto first = std::find_if(all_rules.begin(), all_rules.end(),
                                    [&](const auto& entry) { return rule_fits(entry.second, call); });
    const bool none = first == all_rules.end();
    SCOPED_TRACE(none ? std::string("the default") : "first fit: " + first->first);
    ASSERT_NO_FATAL_FAILURE(walk(none ? Json::object() : first->second, call, none ? "" : first->first));
  }
}

TEST_F(ScenarioLibrarySet, InvalidToken_RefusesOnlyTheExportsThatAskForIt) {
  // No catch-all: an export without the header falls through every rule of
  // the file to what comes after it, here the default.
  const auto file = library_dir() / "invalid-token.json";
  const Json rules = read_json(file)["rules"];
  Options options;
  options.scenario_paths = {file.string()};
  ASSERT_NO_FATAL_FAILURE(start(std::move(options)));
  std::vector<ExportCall> calls(1);
  for (const auto& value : {"invalid-token", "missing-permission"}) {
    calls.emplace_back().headers = {{"X-GraphFake-Scenario", value}};
  }
  std::set<std::size_t> refusing;
  for (const auto& call : calls) {
    const auto first =
        std::find_if(rules.begin(), rules.end(), [&](const Json& rule) { return rule_fits(rule, call); });
    if (call.headers.empty()) {
      ASSERT_EQ(first, rules.end()) << "a rule of invalid-token.json takes an export without the header";
    } else {
      ASSERT_NE(first, rules.end()) << call;
      refusing.insert(static_cast<std::size_t>(first - rules.begin()));
    }
    const std::size_t index = static_cast<std::size_t>(first - rules.begin());
    SCOPED_TRACE(first == rules.end() ? std::string("the default") : rule_name(rules, index));
    ASSERT_NO_FATAL_FAILURE(walk(first == rules.end() ? Json::object() : *first, call,
                                 first == rules.end() ? "" : rule_key(file, index)));
  }
  EXPECT_EQ(refusing.size(), rules.size()) << "every rule of the file takes one of the exports";
}

}  // namespace
}  // namespace graphfake::testing
