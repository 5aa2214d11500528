#include "scenario/scenario.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "graphfake/scenarios.h"
#include "unit_test_values.h"

namespace graphfake::scenario {
namespace {

using unit_test::nested_arrays;

using namespace std::chrono_literals;
using model::ApiVersion;
using model::AttributeSet;
using model::ExportKind;
using model::ExportRequest;
using model::OperationStatus;
using model::ResourceLocationStyle;

constexpr const char* kFile = "throttled.json";

// What the server passes: retry_after 1 s, 250 rows, 100 rows per blob.
Defaults server_defaults() {
  Defaults defaults;
  defaults.retry_after = 1s;
  defaults.manifest.rows = 250;
  defaults.manifest.rows_per_blob = 100;
  return defaults;
}

std::vector<std::string> texts_of(const std::vector<LoadError>& errors) {
  std::vector<std::string> texts;
  for (const auto& error : errors) texts.push_back(error.text());
  return texts;
}

// The error lines parsing `text` gives; empty (plus a test failure) when it parses.
std::vector<std::string> errors_of(const std::string& text, const Defaults& defaults = server_defaults()) {
  const auto parsed = parse_scenario(kFile, text, defaults);
  const auto* errors = std::get_if<std::vector<LoadError>>(&parsed);
  if (errors == nullptr) {
    ADD_FAILURE() << "expected errors, but the file parsed: " << text;
    return {};
  }
  return texts_of(*errors);
}

// The set parsing `text` gives; empty (plus a test failure listing the errors) when it does not parse.
ScenarioSet parsed(const std::string& text, const Defaults& defaults = server_defaults()) {
  auto result = parse_scenario(kFile, text, defaults);
  if (auto* errors = std::get_if<std::vector<LoadError>>(&result)) {
    std::string all;
    for (const auto& line : texts_of(*errors)) all += "\n  " + line;
    ADD_FAILURE() << "expected the file to parse, got:" << all;
    return {};
  }
  return std::get<ScenarioSet>(std::move(result));
}

// Builders for one-rule files.
std::string one_rule(const std::string& body) { return R"({"rules": [{)" + body + "}]}"; }
std::string with_match(const std::string& match) { return one_rule(R"("match": )" + match); }
std::string with_timeline(const std::string& timeline) { return one_rule(R"("timeline": )" + timeline); }
// `phase` as /rules/0/timeline/0, followed by a plain succeeded phase.
std::string with_waiting(const std::string& phase) {
  return with_timeline("[" + phase + R"(, {"status": "succeeded"}])");
}
// `phase` as the only (terminal) phase: /rules/0/timeline/0.
std::string with_terminal(const std::string& phase) { return with_timeline("[" + phase + "]"); }

// ---------------------------------------------------------------------------
// LoadError
// ---------------------------------------------------------------------------

TEST(ScenarioLoadError, TextIsFileThenPointerThenReason) {
  const LoadError error{"throttled.json", "/rules/0/name", "expected a non-empty string, got \"\""};
  EXPECT_EQ(error.text(), R"(throttled.json: /rules/0/name: expected a non-empty string, got "")");
}

// ---------------------------------------------------------------------------
// Parser errors: one row per kind of mistake, with the exact message.
// ---------------------------------------------------------------------------

struct ErrorCase {
  std::string name;
  std::string text;
  std::string message;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class ScenarioParseError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ScenarioParseError, IsReportedAloneWithFilePointerAndReason) {
  const auto& c = GetParam();
  EXPECT_EQ(errors_of(c.text), std::vector<std::string>{c.message});
}

const ErrorCase kTopLevelErrors[] = {
    {"NotJson", R"({"rules": [})", "throttled.json: /: not valid JSON: unexpected '}' at byte 11"},
    {"TopLevelIsAnArray", R"([{"rules": []}])", R"(throttled.json: /: expected an object, got [{"rules":[]}])"},
    {"TopLevelIsAString", R"("rules")", R"(throttled.json: /: expected an object, got "rules")"},
    {"UnknownTopLevelKey", R"({"rules": [{}], "colour": "red"})",
     "throttled.json: /colour: unknown property (expected one of $schema, description, rules)"},
    {"DescriptionNotAString", R"({"description": 5, "rules": [{}]})",
     "throttled.json: /description: expected a non-empty string, got 5"},
    {"RulesMissing", R"({"description": "no rules"})", "throttled.json: /rules: expected a non-empty array of rules"},
    {"RulesEmpty", R"({"rules": []})", "throttled.json: /rules: expected a non-empty array of rules"},
    {"RulesNotAnArray", R"({"rules": {"name": "x"}})", "throttled.json: /rules: expected a non-empty array of rules"},
    {"RuleNotAnObject", R"({"rules": [5]})", "throttled.json: /rules/0: expected an object, got 5"},
    {"UnknownRuleKey", one_rule(R"("colour": "red")"),
     "throttled.json: /rules/0/colour: unknown property (expected one of name, match, timeline, faults, "
     "earlyPolls, evolution)"},
    {"EvolutionNotAnArray", one_rule(R"("evolution": "unknownSubtype")"),
     R"(throttled.json: /rules/0/evolution: expected a non-empty array of "unknownProperties", "unknownSubtype", )"
     R"(got "unknownSubtype")"},
    {"EvolutionEmpty", one_rule(R"("evolution": [])"),
     R"(throttled.json: /rules/0/evolution: expected a non-empty array of "unknownProperties", "unknownSubtype", )"
     "got []"},
    {"EvolutionUnknown", one_rule(R"("evolution": ["renamedProperties"])"),
     R"(throttled.json: /rules/0/evolution/0: expected one of "unknownProperties", "unknownSubtype", got )"
     R"("renamedProperties")"},
    {"EvolutionGivenTwice", one_rule(R"("evolution": ["unknownProperties", "unknownProperties"])"),
     R"(throttled.json: /rules/0/evolution/1: "unknownProperties" is given twice)"},
    {"EmptyName", one_rule(R"("name": "")"), R"(throttled.json: /rules/0/name: expected a non-empty string, got "")"},
    {"NameNotAString", one_rule(R"("name": 3)"), "throttled.json: /rules/0/name: expected a non-empty string, got 3"},
    {"LongValueIsShortenedToSixtyCharacters",
     one_rule(R"("name": ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])"),
     R"(throttled.json: /rules/0/name: expected a non-empty string, got ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...)"},
};
INSTANTIATE_TEST_SUITE_P(ScenarioTopLevel, ScenarioParseError, ::testing::ValuesIn(kTopLevelErrors),
                         [](const auto& info) { return info.param.name; });

const ErrorCase kMatchErrors[] = {
    {"MatchNotAnObject", with_match(R"("everything")"),
     R"(throttled.json: /rules/0/match: expected an object, got "everything")"},
    {"UnknownMatchKeyListsTheAllowedKeys", with_match(R"({"colour": "red"})"),
     "throttled.json: /rules/0/match/colour: unknown property (expected one of kind, version, invoiceId, "
     "currencyCode, billingPeriod, attributeSet, header)"},
    {"KindUnknown", with_match(R"({"kind": "usage"})"),
     R"(throttled.json: /rules/0/match/kind: expected one of "billedReconciliation", "unbilledReconciliation", )"
     R"("billedUsage", "unbilledUsage", got "usage")"},
    {"KindNotAString", with_match(R"({"kind": 1})"),
     R"(throttled.json: /rules/0/match/kind: expected one of "billedReconciliation", "unbilledReconciliation", )"
     R"("billedUsage", "unbilledUsage", got 1)"},
    {"KindEmptyArray", with_match(R"({"kind": []})"),
     "throttled.json: /rules/0/match/kind: expected a kind or a non-empty array of kinds"},
    {"KindArrayWithABadElementNamesItsIndex", with_match(R"({"kind": ["billedUsage", "billedUsag"]})"),
     R"(throttled.json: /rules/0/match/kind/1: expected one of "billedReconciliation", "unbilledReconciliation", )"
     R"("billedUsage", "unbilledUsage", got "billedUsag")"},
    {"VersionUnknown", with_match(R"({"version": "v2"})"),
     R"(throttled.json: /rules/0/match/version: expected one of "v1.0", "beta", got "v2")"},
    {"InvoiceIdNumber", with_match(R"({"invoiceId": 404})"),
     R"(throttled.json: /rules/0/match/invoiceId: expected a string or {"regex": "..."}, got 404)"},
    {"RegexObjectWithoutRegex", with_match(R"({"invoiceId": {}})"),
     R"(throttled.json: /rules/0/match/invoiceId: expected a string or {"regex": "..."}, got {})"},
    {"RegexObjectWithExtraKey", with_match(R"({"invoiceId": {"regex": "G.*", "flags": "i"}})"),
     "throttled.json: /rules/0/match/invoiceId/flags: unknown property (expected one of regex)"},
    {"RegexEmpty", with_match(R"({"invoiceId": {"regex": ""}})"),
     R"(throttled.json: /rules/0/match/invoiceId/regex: expected a non-empty string, got "")"},
    {"RegexInvalidSyntax", with_match(R"({"invoiceId": {"regex": "G(0"}})"),
     "throttled.json: /rules/0/match/invoiceId/regex: not a valid RE2 regular expression: missing ): G(0"},
    {"CurrencyCodeNumber", with_match(R"({"currencyCode": 840})"),
     R"(throttled.json: /rules/0/match/currencyCode: expected a string or {"regex": "..."}, got 840)"},
    {"BillingPeriodUnknown", with_match(R"({"billingPeriod": "previous"})"),
     R"(throttled.json: /rules/0/match/billingPeriod: expected one of "current", "last", got "previous")"},
    {"AttributeSetUnknown", with_match(R"({"attributeSet": "all"})"),
     R"(throttled.json: /rules/0/match/attributeSet: expected one of "full", "basic", got "all")"},
    {"HeaderNotAnObject", with_match(R"({"header": "x-test: 1"})"),
     R"(throttled.json: /rules/0/match/header: expected an object of header name to value, got "x-test: 1")"},
    {"HeaderEmptyObject", with_match(R"({"header": {}})"),
     "throttled.json: /rules/0/match/header: expected an object of header name to value, got {}"},
    {"HeaderValueNumber", with_match(R"({"header": {"X-Test": 1}})"),
     R"(throttled.json: /rules/0/match/header/X-Test: expected a string or {"regex": "..."}, got 1)"},
    {"HeaderNameIsEscapedInThePointer", with_match(R"({"header": {"a/b~c": true}})"),
     R"(throttled.json: /rules/0/match/header/a~1b~0c: expected a string or {"regex": "..."}, got true)"},
};
INSTANTIATE_TEST_SUITE_P(ScenarioMatchProperty, ScenarioParseError, ::testing::ValuesIn(kMatchErrors),
                         [](const auto& info) { return info.param.name; });

const std::string kNotATimeline = R"(expected a non-empty array of phases, or a preset ("alreadyGenerated", )"
                                  R"("generatingForMinutes") by name or as {"preset": ...}, got)";

const ErrorCase kTimelineErrors[] = {
    {"TimelineEmpty", with_timeline("[]"),
     "throttled.json: /rules/0/timeline: " + kNotATimeline + " []"},
    {"TimelineNotAnArray", with_timeline(R"({"status": "succeeded"})"),
     "throttled.json: /rules/0/timeline: " + kNotATimeline + R"( {"status":"succeeded"})"},
    {"TimelineNumber", with_timeline("3"), "throttled.json: /rules/0/timeline: " + kNotATimeline + " 3"},
    {"PresetUnknown", with_timeline(R"("neverFinishes")"),
     R"(throttled.json: /rules/0/timeline: expected one of "alreadyGenerated", "generatingForMinutes", got )"
     R"("neverFinishes")"},
    {"PresetObjectNameUnknown", with_timeline(R"({"preset": "fast"})"),
     R"(throttled.json: /rules/0/timeline/preset: expected one of "alreadyGenerated", "generatingForMinutes", )"
     R"(got "fast")"},
    {"PresetUnknownParameter", with_timeline(R"({"preset": "alreadyGenerated", "rows": 5})"),
     "throttled.json: /rules/0/timeline/rows: unknown property (expected one of preset, generatedAgo, runsFor, "
     "retryAfter)"},
    {"PresetParameterOfTheOtherPreset", with_timeline(R"({"preset": "alreadyGenerated", "retryAfter": "10s"})"),
     R"(throttled.json: /rules/0/timeline/retryAfter: belongs to the "generatingForMinutes" preset, not )"
     R"("alreadyGenerated")"},
    {"PresetGeneratedAgoZero", with_timeline(R"({"preset": "alreadyGenerated", "generatedAgo": "0ms"})"),
     "throttled.json: /rules/0/timeline/generatedAgo: already generated data is older than the export: expected a "
     R"(duration above 0, got "0ms")"},
    {"PresetGeneratedAgoNotADuration", with_timeline(R"({"preset": "alreadyGenerated", "generatedAgo": 6})"),
     R"(throttled.json: /rules/0/timeline/generatedAgo: expected a duration like "30s", got 6)"},
    {"PresetRetryAfterZero", with_timeline(R"({"preset": "generatingForMinutes", "retryAfter": "0s"})"),
     "throttled.json: /rules/0/timeline/retryAfter: the first Retry-After is the time notStarted lasts: expected "
     R"(at least "1s", got "0s")"},
    {"PresetRetryAfterFractional", with_timeline(R"({"preset": "generatingForMinutes", "retryAfter": "1500ms"})"),
     R"(throttled.json: /rules/0/timeline/retryAfter: Retry-After is whole seconds, got "1500ms")"},
    {"PresetRunsForNotPastTheFirstRetryAfter",
     with_timeline(R"({"preset": "generatingForMinutes", "runsFor": "15s", "retryAfter": "15s"})"),
     R"(throttled.json: /rules/0/timeline/runsFor: the export runs longer than its first Retry-After (15 s), )"
     R"(got "15s")"},
    {"PhaseNotAnObject", with_timeline(R"(["succeeded"])"),
     R"(throttled.json: /rules/0/timeline/0: expected a phase object with a "status", got "succeeded")"},
    {"PhaseWithoutStatus", with_timeline(R"([{"rows": 5}])"),
     R"(throttled.json: /rules/0/timeline/0: expected a phase object with a "status", got {"rows":5})"},
    {"PhaseStatusUnknown", with_timeline(R"([{"status": "done"}])"),
     R"(throttled.json: /rules/0/timeline/0/status: expected one of "notStarted", "running", "succeeded", )"
     R"("failed", got "done")"},
    {"TerminalPhaseNotLast",
     with_timeline(R"([{"status": "failed", "error": {"code": "1", "message": "m"}}, {"status": "succeeded"}])"),
     R"(throttled.json: /rules/0/timeline/0/status: "failed" ends the operation, so it must be the last phase)"},
    {"LastPhaseNotTerminal", with_timeline(R"([{"status": "notStarted", "polls": 1}, {"status": "running", "polls": 1}])"),
     R"(throttled.json: /rules/0/timeline/1/status: the last phase must be "succeeded" or "failed", got "running")"},
    {"WaitingPhaseWithoutPollsOrAfter", with_waiting(R"({"status": "notStarted"})"),
     R"(throttled.json: /rules/0/timeline/0: a notStarted phase needs "polls", "after" or both, to say when it ends)"},
    {"RunningPhaseWithOnlyRetryAfter", with_waiting(R"({"status": "running", "retryAfter": "5s"})"),
     R"(throttled.json: /rules/0/timeline/0: a running phase needs "polls", "after" or both, to say when it ends)"},
    {"PollsZero", with_waiting(R"({"status": "running", "polls": 0})"),
     "throttled.json: /rules/0/timeline/0/polls: expected a whole number of at least 1, got 0"},
    {"PollsNegative", with_waiting(R"({"status": "running", "polls": -1})"),
     "throttled.json: /rules/0/timeline/0/polls: expected a whole number of at least 1, got -1"},
    {"PollsAString", with_waiting(R"({"status": "running", "polls": "2"})"),
     R"(throttled.json: /rules/0/timeline/0/polls: expected a whole number of at least 1, got "2")"},
    {"PollsFractional", with_waiting(R"({"status": "running", "polls": 1.5})"),
     "throttled.json: /rules/0/timeline/0/polls: expected a whole number of at least 1, got 1.5"},
    {"AfterWithoutUnit", with_waiting(R"({"status": "running", "after": "30"})"),
     R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got "30")"},
    {"AfterWithUnknownUnit", with_waiting(R"({"status": "running", "after": "30x"})"),
     R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got "30x")"},
    {"AfterAsANumber", with_waiting(R"({"status": "running", "after": 30})"),
     R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got 30)"},
    {"AfterEmpty", with_waiting(R"({"status": "running", "after": ""})"),
     R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got "")"},
    {"AfterFractional", with_waiting(R"({"status": "running", "after": "1.5s"})"),
     R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got "1.5s")"},
    {"AfterNegative", with_waiting(R"({"status": "running", "after": "-1s"})"),
     R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got "-1s")"},
    {"AfterUnitOnly", with_waiting(R"({"status": "running", "after": "s"})"),
     R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got "s")"},
    {"RetryAfterNotADuration", with_waiting(R"({"status": "running", "polls": 1, "retryAfter": 5})"),
     R"(throttled.json: /rules/0/timeline/0/retryAfter: expected a duration like "30s", got 5)"},
    {"RetryAfterNotWholeSeconds", with_waiting(R"({"status": "running", "polls": 1, "retryAfter": "1500ms"})"),
     R"(throttled.json: /rules/0/timeline/0/retryAfter: Retry-After is whole seconds, got "1500ms")"},
    {"UnknownWaitingPhaseKey", with_waiting(R"({"status": "running", "polls": 1, "timeout": "1s"})"),
     "throttled.json: /rules/0/timeline/0/timeout: unknown property (expected one of status, polls, after, "
     "retryAfter)"},
};
INSTANTIATE_TEST_SUITE_P(ScenarioTimeline, ScenarioParseError, ::testing::ValuesIn(kTimelineErrors),
                         [](const auto& info) { return info.param.name; });

const ErrorCase kSucceededErrors[] = {
    {"RowsNegative", with_terminal(R"({"status": "succeeded", "rows": -1})"),
     "throttled.json: /rules/0/timeline/0/rows: expected a whole number of at least 0, got -1"},
    {"RowsAString", with_terminal(R"({"status": "succeeded", "rows": "5000"})"),
     R"(throttled.json: /rules/0/timeline/0/rows: expected a whole number of at least 0, got "5000")"},
    {"RowsPerBlobZero", with_terminal(R"({"status": "succeeded", "rowsPerBlob": 0})"),
     "throttled.json: /rules/0/timeline/0/rowsPerBlob: expected a whole number of at least 1, got 0"},
    {"BlobsZero", with_terminal(R"({"status": "succeeded", "blobs": 0})"),
     "throttled.json: /rules/0/timeline/0/blobs: expected a whole number of at least 1, got 0"},
    {"RowsPerBlobAndBlobsTogether", with_terminal(R"({"status": "succeeded", "rowsPerBlob": 10, "blobs": 2})"),
     R"(throttled.json: /rules/0/timeline/0/blobs: give "rowsPerBlob" or "blobs", not both)"},
    {"TooManyBlobsFromRowsPerBlob", with_terminal(R"({"status": "succeeded", "rows": 10000000, "rowsPerBlob": 1})"),
     "throttled.json: /rules/0/timeline/0: this export would have 10000000 blobs; at most 100000 are allowed"},
    {"TooManyBlobsFromBlobs", with_terminal(R"({"status": "succeeded", "blobs": 100001})"),
     "throttled.json: /rules/0/timeline/0: this export would have 100001 blobs; at most 100000 are allowed"},
    {"AttributeSetUnknown", with_terminal(R"({"status": "succeeded", "attributeSet": "partial"})"),
     R"(throttled.json: /rules/0/timeline/0/attributeSet: expected one of "full", "basic", got "partial")"},
    {"ResourceLocationUnknown", with_terminal(R"({"status": "succeeded", "resourceLocation": "link"})"),
     R"(throttled.json: /rules/0/timeline/0/resourceLocation: expected one of "both", "inline", "navigationLink", )"
     R"(got "link")"},
    {"SasValidForNotADuration", with_terminal(R"({"status": "succeeded", "sasValidFor": 3600})"),
     R"(throttled.json: /rules/0/timeline/0/sasValidFor: expected a duration like "30s", got 3600)"},
    {"UnknownSucceededPhaseKey", with_terminal(R"({"status": "succeeded", "polls": 1})"),
     "throttled.json: /rules/0/timeline/0/polls: unknown property (expected one of status, rows, rowsPerBlob, "
     "blobs, attributeSet, seed, numbers, dataProfile, extraColumn, resourceLocation, sasValidFor, sas)"},
    {"DataProfileUnknown", with_terminal(R"({"status": "succeeded", "dataProfile": "real"})"),
     R"(throttled.json: /rules/0/timeline/0/dataProfile: expected one of "observed", "documented", "legacy-camel", )"
     R"(got "real")"},
    {"ExtraColumnWithoutValue", with_terminal(R"({"status": "succeeded", "extraColumn": {"name": "NewColumn"}})"),
     R"(throttled.json: /rules/0/timeline/0/extraColumn: missing "value", the column's value on every row)"},
    {"ExtraColumnValueNotAString",
     with_terminal(R"({"status": "succeeded", "extraColumn": {"name": "NewColumn", "value": 7}})"),
     "throttled.json: /rules/0/timeline/0/extraColumn/value: expected a string, got 7"},
    {"SeedNegative", with_terminal(R"({"status": "succeeded", "seed": -7})"),
     "throttled.json: /rules/0/timeline/0/seed: expected a whole number of at least 0, got -7"},
    {"NumbersUnknown", with_terminal(R"({"status": "succeeded", "numbers": "text"})"),
     R"(throttled.json: /rules/0/timeline/0/numbers: expected one of "numbers", "strings", got "text")"},
    {"SasPermissionsOutOfAzuresOrder", with_terminal(R"({"status": "succeeded", "sas": {"permissions": "lr"}})"),
     R"(throttled.json: /rules/0/timeline/0/sas/permissions: expected Azure's permission letters, each at most )"
     R"(once, in its order "racwdxyltfmeopi" ("rl", "l"), got "lr")"},
    {"SasPermissionNotAzures", with_terminal(R"({"status": "succeeded", "sas": {"permissions": "rz"}})"),
     R"(throttled.json: /rules/0/timeline/0/sas/permissions: expected Azure's permission letters, each at most )"
     R"(once, in its order "racwdxyltfmeopi" ("rl", "l"), got "rz")"},
    {"SasStartsInNegative", with_terminal(R"({"status": "succeeded", "sas": {"startsIn": "-10m"}})"),
     R"(throttled.json: /rules/0/timeline/0/sas/startsIn: expected a duration like "30s", got "-10m")"},
    {"SasUnknownKey", with_terminal(R"({"status": "succeeded", "sas": {"expiry": "1h"}})"),
     "throttled.json: /rules/0/timeline/0/sas/expiry: unknown property (expected one of permissions, startsIn)"},
};
INSTANTIATE_TEST_SUITE_P(ScenarioSucceededPhase, ScenarioParseError, ::testing::ValuesIn(kSucceededErrors),
                         [](const auto& info) { return info.param.name; });

const ErrorCase kFailedErrors[] = {
    {"FailedWithoutError", with_terminal(R"({"status": "failed"})"),
     R"(throttled.json: /rules/0/timeline/0: a failed phase needs "error": {"code": "...", "message": "..."})"},
    {"ErrorNotAnObject", with_terminal(R"({"status": "failed", "error": "boom"})"),
     R"(throttled.json: /rules/0/timeline/0/error: expected an object, got "boom")"},
    {"ErrorWithoutCode", with_terminal(R"({"status": "failed", "error": {"message": "No data"}})"),
     R"(throttled.json: /rules/0/timeline/0/error: missing "code")"},
    {"ErrorWithoutMessage", with_terminal(R"({"status": "failed", "error": {"code": "5000"}})"),
     R"(throttled.json: /rules/0/timeline/0/error: missing "message")"},
    {"ErrorWithEmptyMessage", with_terminal(R"({"status": "failed", "error": {"code": "5000", "message": ""}})"),
     R"(throttled.json: /rules/0/timeline/0/error/message: expected a non-empty string, got "")"},
    {"ErrorWithNumericCode", with_terminal(R"({"status": "failed", "error": {"code": 5000, "message": "m"}})"),
     "throttled.json: /rules/0/timeline/0/error/code: expected a non-empty string, got 5000"},
    {"ErrorWithExtraKey",
     with_terminal(R"({"status": "failed", "error": {"code": "5000", "message": "m", "target": "x"}})"),
     "throttled.json: /rules/0/timeline/0/error/target: unknown property (expected one of code, message)"},
    {"UnknownFailedPhaseKey",
     with_terminal(R"({"status": "failed", "rows": 1, "error": {"code": "5000", "message": "m"}})"),
     "throttled.json: /rules/0/timeline/0/rows: unknown property (expected one of status, error)"},
};
INSTANTIATE_TEST_SUITE_P(ScenarioFailedPhase, ScenarioParseError, ::testing::ValuesIn(kFailedErrors),
                         [](const auto& info) { return info.param.name; });

// `fault` as /rules/0/faults/0.
std::string with_fault(const std::string& fault) { return one_rule(R"("faults": [)" + fault + "]"); }

const ErrorCase kFaultErrors[] = {
    {"FaultWithoutOn", with_fault(R"({"status": 500})"),
     R"(throttled.json: /rules/0/faults/0: a fault needs "on": "export", "poll", "manifest" or "blob")"},
    {"FaultOnUnknownPoint", with_fault(R"({"on": "token", "status": 500})"),
     R"(throttled.json: /rules/0/faults/0/on: expected one of "export", "poll", "manifest", "blob", got "token")"},
    {"FaultUnknownKey", with_fault(R"({"on": "poll", "status": 500, "when": 3})"),
     "throttled.json: /rules/0/faults/0/when: unknown property (expected one of on, requests, polls, phase, after, "
     "blobs, probability, status, retryAfter, code, message, body, location, gzip, resetAtByte, "
     "extraContentLength, blobCountDelta, drop, delay)"},
    {"FaultWithNeitherActionNorDelay", with_fault(R"({"on": "poll", "polls": [2]})"),
     R"(throttled.json: /rules/0/faults/0: a fault on "poll" needs at most one of "status", "body", and a "delay" )"
     R"(if it has none)"},
    {"FaultWithTwoActions", with_fault(R"({"on": "poll", "status": 500, "body": "notJson", "delay": "1s"})"),
     R"(throttled.json: /rules/0/faults/0: a fault on "poll" needs at most one of "status", "body", and a "delay" )"
     R"(if it has none)"},
    {"TriggerOfAnotherPoint", with_fault(R"({"on": "export", "polls": [1], "status": 500})"),
     R"(throttled.json: /rules/0/faults/0/polls: does not apply to faults on "export")"},
    {"ActionOfAnotherPoint", with_fault(R"({"on": "poll", "drop": "beforeCreate"})"),
     R"(throttled.json: /rules/0/faults/0/drop: does not apply to faults on "poll")"},
    {"ManifestFaultWithATrigger", with_fault(R"({"on": "manifest", "probability": 0.5, "delay": "1s"})"),
     R"(throttled.json: /rules/0/faults/0/probability: does not apply to faults on "manifest")"},
    {"StatusNotAnError", with_fault(R"({"on": "export", "status": 302})"),
     "throttled.json: /rules/0/faults/0/status: expected an HTTP error status from 400 to 599, got 302"},
    {"RetryAfterWithoutStatus", with_fault(R"({"on": "poll", "body": "notJson", "retryAfter": "2s"})"),
     R"(throttled.json: /rules/0/faults/0/retryAfter: applies only to a fault with a "status")"},
    {"RetryAfterNotWholeSeconds", with_fault(R"({"on": "poll", "status": 503, "retryAfter": "1500ms"})"),
     R"(throttled.json: /rules/0/faults/0/retryAfter: Retry-After is whole seconds, got "1500ms")"},
    {"PollIndexZero", with_fault(R"({"on": "poll", "polls": [0], "status": 500})"),
     "throttled.json: /rules/0/faults/0/polls/0: expected a whole number of at least 1, got 0"},
    {"ProbabilityAboveOne", with_fault(R"({"on": "poll", "probability": 1.5, "status": 500})"),
     "throttled.json: /rules/0/faults/0/probability: expected a number greater than 0 and at most 1, got 1.5"},
    {"BodyUnknown", with_fault(R"({"on": "poll", "body": "empty"})"),
     R"(throttled.json: /rules/0/faults/0/body: expected one of "notJson", "unknownStatus", got "empty")"},
    {"BlobCountDeltaZero", with_fault(R"({"on": "manifest", "blobCountDelta": 0})"),
     "throttled.json: /rules/0/faults/0/blobCountDelta: 0 would leave blobCount as it is; give a difference other "
     "than 0"},
    {"BlobCountDeltaPastTheMostBlobsAnExportHas",
     with_fault(R"({"on": "manifest", "blobCountDelta": 9223372036854775807})"),
     "throttled.json: /rules/0/faults/0/blobCountDelta: expected a whole number from -100000 to 100000, got "
     "9223372036854775807"},
    {"BlobCountDeltaOfTheLargestUnsignedNumber",
     with_fault(R"({"on": "manifest", "blobCountDelta": 18446744073709551615})"),
     "throttled.json: /rules/0/faults/0/blobCountDelta: expected a whole number from -100000 to 100000, got "
     "18446744073709551615"},
    {"ExtraContentLengthPastAGigabyte", with_fault(R"({"on": "blob", "extraContentLength": 18446744073709551615})"),
     "throttled.json: /rules/0/faults/0/extraContentLength: expected a number of bytes from 1 to 1073741824, got "
     "18446744073709551615"},
    {"StatusThatANarrowingWouldMakeAnError", with_fault(R"({"on": "export", "status": 4294967696})"),
     "throttled.json: /rules/0/faults/0/status: expected an HTTP error status from 400 to 599, got 4294967696"},
    {"DelayANumber", with_fault(R"({"on": "poll", "delay": 2000})"),
     R"(throttled.json: /rules/0/faults/0/delay: expected a duration like "2s" or a distribution object, got 2000)"},
    {"DelayBadDuration", with_fault(R"({"on": "poll", "delay": "2 s"})"),
     R"(throttled.json: /rules/0/faults/0/delay: expected a duration like "30s", got "2 s")"},
    {"DelayWithoutDistribution", with_fault(R"({"on": "poll", "delay": {"min": "1s", "max": "2s"}})"),
     R"(throttled.json: /rules/0/faults/0/delay: a delay object needs "distribution": "uniform" or "logNormal")"},
    {"DelayUnknownDistribution", with_fault(R"({"on": "poll", "delay": {"distribution": "normal"}})"),
     R"(throttled.json: /rules/0/faults/0/delay/distribution: expected one of "uniform", "logNormal", got "normal")"},
    {"UniformWithoutMax", with_fault(R"({"on": "blob", "delay": {"distribution": "uniform", "min": "1s"}})"),
     R"(throttled.json: /rules/0/faults/0/delay: a uniform delay needs "max")"},
    {"UniformMaxBelowMin",
     with_fault(R"({"on": "blob", "delay": {"distribution": "uniform", "min": "2s", "max": "1s"}})"),
     R"(throttled.json: /rules/0/faults/0/delay/max: must not be less than "min" ("2s"))"},
    {"UniformUnknownKey",
     with_fault(R"({"on": "blob", "delay": {"distribution": "uniform", "min": "1s", "max": "2s", "median": "1s"}})"),
     "throttled.json: /rules/0/faults/0/delay/median: unknown property (expected one of distribution, min, max)"},
    {"LogNormalWithoutSigma", with_fault(R"({"on": "export", "delay": {"distribution": "logNormal", "median": "1s"}})"),
     R"(throttled.json: /rules/0/faults/0/delay: a logNormal delay needs "sigma")"},
    {"LogNormalSigmaZero",
     with_fault(R"({"on": "export", "delay": {"distribution": "logNormal", "median": "1s", "sigma": 0}})"),
     "throttled.json: /rules/0/faults/0/delay/sigma: expected a number greater than 0 and at most 4, got 0"},
    {"LogNormalSigmaTooWide",
     with_fault(R"({"on": "export", "delay": {"distribution": "logNormal", "median": "1s", "sigma": 5}})"),
     "throttled.json: /rules/0/faults/0/delay/sigma: expected a number greater than 0 and at most 4, got 5"},
    {"LogNormalCapBelowMedian",
     with_fault(R"({"on": "export", "delay": {"distribution": "logNormal", "median": "1s", "sigma": 1, "max": "500ms"}})"),
     R"(throttled.json: /rules/0/faults/0/delay/max: must not be less than "median" ("1s"))"},
    {"LogNormalCapOfZero",
     with_fault(R"({"on": "export", "delay": {"distribution": "logNormal", "median": "0s", "sigma": 1, "max": "0s"}})"),
     R"(throttled.json: /rules/0/faults/0/delay/max: a cap of 0 would hold nothing back; leave "max" out for no cap)"},
    {"LogNormalUnknownKey",
     with_fault(R"({"on": "export", "delay": {"distribution": "logNormal", "median": "1s", "sigma": 1, "min": "1s"}})"),
     "throttled.json: /rules/0/faults/0/delay/min: unknown property (expected one of distribution, median, sigma, "
     "max)"},
};
INSTANTIATE_TEST_SUITE_P(ScenarioFault, ScenarioParseError, ::testing::ValuesIn(kFaultErrors),
                         [](const auto& info) { return info.param.name; });

// Delays parse into what the server samples from.
const faults::Fault& only_poll_fault(const ScenarioSet& set) { return set.rules.at(0).poll_faults.at(0); }

TEST(ScenarioParse, DelayAsADurationIsAFixedDelay) {
  const auto set = parsed(with_fault(R"({"on": "poll", "delay": "250ms"})"));
  const auto& delay = only_poll_fault(set).delay;
  ASSERT_TRUE(delay.has_value());
  EXPECT_EQ(delay->distribution, faults::Latency::Distribution::fixed);
  EXPECT_EQ(delay->fixed, 250ms);
  EXPECT_FALSE(only_poll_fault(set).replaces_response());
}

TEST(ScenarioParse, UniformDelayKeepsItsBounds) {
  const auto set = parsed(with_fault(R"({"on": "poll", "delay": {"distribution": "uniform", "min": "1s", "max": "3s"}})"));
  const auto& delay = *only_poll_fault(set).delay;
  EXPECT_EQ(delay.distribution, faults::Latency::Distribution::uniform);
  EXPECT_EQ(delay.min, 1s);
  EXPECT_EQ(delay.max, 3s);
}

TEST(ScenarioParse, LogNormalDelayWithoutMaxHasNoCap) {
  const auto set =
      parsed(with_fault(R"({"on": "poll", "delay": {"distribution": "logNormal", "median": "200ms", "sigma": 0.5}})"));
  const auto& delay = *only_poll_fault(set).delay;
  EXPECT_EQ(delay.distribution, faults::Latency::Distribution::log_normal);
  EXPECT_EQ(delay.median, 200ms);
  EXPECT_DOUBLE_EQ(delay.sigma, 0.5);
  EXPECT_EQ(delay.max, 0ms);
}

TEST(ScenarioParse, DelayAndStatusTogetherMakeADelayedError) {
  const auto set = parsed(with_fault(R"({"on": "poll", "status": 503, "delay": "1s"})"));
  EXPECT_TRUE(only_poll_fault(set).replaces_response());
  EXPECT_EQ(only_poll_fault(set).delay->fixed, 1s);
}

TEST(ScenarioParse, RetryAfterInWholeSecondsGivenAsMillisecondsIsAccepted) {
  const auto set = parsed(with_waiting(R"({"status": "running", "polls": 1, "retryAfter": "2000ms"})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  EXPECT_EQ(set.rules[0].timeline->phases.at(0).retry_after, 2s);
}

TEST(ScenarioParse, RetryAfterOfZeroSecondsIsAccepted) {
  const auto set = parsed(with_waiting(R"({"status": "running", "polls": 1, "retryAfter": "0s"})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  EXPECT_EQ(set.rules[0].timeline->phases.at(0).retry_after, 0s);
}

// Limits hold however large "rows" is: nothing may wrap around near 2^64.
TEST(ScenarioParse, RowsNearTheLargestWholeNumberAreRejectedByTheRowLimit) {
  EXPECT_EQ(errors_of(with_terminal(R"({"status": "succeeded", "rows": 18446744073709551615, "rowsPerBlob": 2})")),
            std::vector<std::string>{"throttled.json: /rules/0/timeline/0/rows: at most 100000000 rows are allowed, "
                                     "got 18446744073709551615"});
}

TEST(ScenarioParse, TooManyBlobsAtTheRowLimitAreRejected) {
  EXPECT_EQ(errors_of(with_terminal(R"({"status": "succeeded", "rows": 100000000, "rowsPerBlob": 1})")),
            std::vector<std::string>{"throttled.json: /rules/0/timeline/0: this export would have "
                                     "100000000 blobs; at most 100000 are allowed"});
}

TEST(ScenarioParse, DurationsLongerThanAYearAreRejected) {
  EXPECT_EQ(errors_of(with_waiting(R"({"status": "running", "after": "8761h"})")),
            std::vector<std::string>{"throttled.json: /rules/0/timeline/0/after: durations are at most 365 days "
                                     "(\"8760h\"), got \"8761h\""});
}

TEST(ScenarioParse, EveryMistakeInAFileIsReportedInDocumentOrder) {
  const std::string text = R"({
    "colour": 1,
    "rules": [
      {"name": ""},
      {"match": {"version": "v2"}},
      {"timeline": [{"status": "running", "after": 30}, {"status": "succeeded", "rows": -1}]},
      {"name": "fine"}
    ]
  })";
  EXPECT_EQ(errors_of(text),
            (std::vector<std::string>{
                "throttled.json: /colour: unknown property (expected one of $schema, description, rules)",
                R"(throttled.json: /rules/0/name: expected a non-empty string, got "")",
                R"(throttled.json: /rules/1/match/version: expected one of "v1.0", "beta", got "v2")",
                R"(throttled.json: /rules/2/timeline/0/after: expected a duration like "30s", got 30)",
                "throttled.json: /rules/2/timeline/1/rows: expected a whole number of at least 0, got -1",
            }));
}

TEST(ScenarioParse, MistakesInsideOnePhaseAreAllReported) {
  EXPECT_EQ(errors_of(with_waiting(R"({"status": "running", "polls": 0, "after": "soon", "retryAfter": "1500ms"})")),
            (std::vector<std::string>{
                "throttled.json: /rules/0/timeline/0/polls: expected a whole number of at least 1, got 0",
                R"(throttled.json: /rules/0/timeline/0/after: expected a duration like "30s", got "soon")",
                R"(throttled.json: /rules/0/timeline/0/retryAfter: Retry-After is whole seconds, got "1500ms")",
            }));
}

// ---------------------------------------------------------------------------
// Valid files
// ---------------------------------------------------------------------------

TEST(ScenarioParse, OmittedRetryAfterRowsAndRowsPerBlobComeFromTheDefaults) {
  Defaults defaults;
  defaults.retry_after = 7s;
  defaults.manifest.rows = 250;
  defaults.manifest.rows_per_blob = 100;
  defaults.manifest.sas_valid_for = 600s;
  const auto set = parsed(with_waiting(R"({"status": "running", "polls": 1})"), defaults);
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  const auto& phases = set.rules[0].timeline->phases;
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[0].retry_after, 7s);
  ASSERT_TRUE(phases[1].manifest.has_value());
  const auto& shape = *phases[1].manifest;
  EXPECT_EQ(shape.rows, 250u);
  EXPECT_EQ(shape.rows_per_blob, 100u);
  EXPECT_FALSE(shape.blob_count.has_value());
  EXPECT_FALSE(shape.attribute_set.has_value());
  EXPECT_EQ(shape.resource_location, ResourceLocationStyle::both);
  EXPECT_EQ(shape.sas_valid_for, 600s);
}

TEST(ScenarioParse, ExplicitValuesOverrideTheDefaults) {
  const auto set = parsed(with_timeline(R"([
    {"status": "notStarted", "polls": 3, "retryAfter": "10s"},
    {"status": "succeeded", "rows": 5000, "rowsPerBlob": 1000, "attributeSet": "basic", "sasValidFor": "2h"}
  ])"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  const auto& phases = set.rules[0].timeline->phases;
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[0].status, OperationStatus::not_started);
  EXPECT_EQ(phases[0].polls, 3);
  EXPECT_FALSE(phases[0].duration.has_value());
  EXPECT_EQ(phases[0].retry_after, 10s);
  EXPECT_EQ(phases[1].status, OperationStatus::succeeded);
  ASSERT_TRUE(phases[1].manifest.has_value());
  EXPECT_EQ(phases[1].manifest->rows, 5000u);
  EXPECT_EQ(phases[1].manifest->rows_per_blob, 1000u);
  EXPECT_EQ(phases[1].manifest->attribute_set, AttributeSet::basic);
  EXPECT_EQ(phases[1].manifest->sas_valid_for, 2h);
  EXPECT_FALSE(phases[1].failure.has_value());
}

TEST(ScenarioParse, SeedAndNumbersShapeTheData) {
  const auto set = parsed(with_terminal(R"({"status": "succeeded", "seed": 42, "numbers": "strings"})"));
  const auto& shape = *set.rules.at(0).timeline->phases.at(0).manifest;
  EXPECT_EQ(shape.seed, 42u);
  EXPECT_EQ(shape.numbers_as_strings, true);
}

TEST(ScenarioParse, WithoutSeedOrNumbersTheServersApply) {
  const auto set = parsed(with_terminal(R"({"status": "succeeded"})"));
  const auto& shape = *set.rules.at(0).timeline->phases.at(0).manifest;
  EXPECT_FALSE(shape.seed.has_value());
  EXPECT_FALSE(shape.numbers_as_strings.has_value());
}

TEST(ScenarioParse, DataProfileAndExtraColumnShapeTheData) {
  const auto set = parsed(with_terminal(
      R"({"status": "succeeded", "dataProfile": "legacy-camel", "extraColumn": {"name": "Region", "value": ""}})"));
  const auto& shape = *set.rules.at(0).timeline->phases.at(0).manifest;
  EXPECT_EQ(shape.data_profile, DataProfile::legacy_camel);
  EXPECT_EQ(shape.extra_column, (model::ExtraColumn{"Region", ""}));
}

TEST(ScenarioParse, WithoutDataProfileTheServersApplies) {
  const auto set = parsed(with_terminal(R"({"status": "succeeded"})"));
  const auto& shape = *set.rules.at(0).timeline->phases.at(0).manifest;
  EXPECT_FALSE(shape.data_profile.has_value());
  EXPECT_FALSE(shape.extra_column.has_value());
}

TEST(ScenarioParse, ZeroRowsIsAccepted) {
  const auto set = parsed(with_terminal(R"({"status": "succeeded", "rows": 0})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  ASSERT_TRUE(set.rules[0].timeline->phases.at(0).manifest.has_value());
  EXPECT_EQ(set.rules[0].timeline->phases.at(0).manifest->rows, 0u);
}

TEST(ScenarioParse, BlobsGivesTheBlobCount) {
  const auto set = parsed(with_terminal(R"({"status": "succeeded", "rows": 10, "blobs": 4})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  const auto& shape = set.rules[0].timeline->phases.at(0).manifest;
  ASSERT_TRUE(shape.has_value());
  EXPECT_EQ(shape->rows, 10u);
  EXPECT_EQ(shape->blob_count, std::optional<std::uint64_t>(4));
}

TEST(ScenarioParse, ExactlyTheMaximumNumberOfBlobsIsAccepted) {
  const auto set = parsed(with_terminal(R"({"status": "succeeded", "rows": 100000, "rowsPerBlob": 1})"));
  ASSERT_EQ(set.rules.size(), 1u);
}

TEST(ScenarioParse, PollsAndAfterAreBothKept) {
  const auto set = parsed(with_waiting(R"({"status": "running", "polls": 2, "after": "30s"})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  const auto& phase = set.rules[0].timeline->phases.at(0);
  EXPECT_EQ(phase.status, OperationStatus::running);
  EXPECT_EQ(phase.polls, 2);
  EXPECT_EQ(phase.duration, std::optional<std::chrono::milliseconds>(30s));
}

TEST(ScenarioParse, FailedPhaseCarriesCodeAndMessage) {
  const auto set = parsed(with_timeline(R"([
    {"status": "running", "polls": 2, "retryAfter": "5s"},
    {"status": "failed", "error": {"code": "5000", "message": "No data available"}}
  ])"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  const auto& phases = set.rules[0].timeline->phases;
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[1].status, OperationStatus::failed);
  ASSERT_TRUE(phases[1].failure.has_value());
  EXPECT_EQ(phases[1].failure->code, "5000");
  EXPECT_EQ(phases[1].failure->message, "No data available");
  EXPECT_FALSE(phases[1].manifest.has_value());
}

TEST(ScenarioParse, RuleNamesDefaultToRuleAndTheirIndex) {
  const auto set = parsed(R"({"rules": [{}, {"name": "slow"}, {}]})");
  ASSERT_EQ(set.rules.size(), 3u);
  EXPECT_EQ(set.rules[0].name, "rule 0");
  EXPECT_EQ(set.rules[1].name, "slow");
  EXPECT_EQ(set.rules[2].name, "rule 2");
}

TEST(ScenarioParse, EarlyPollsThrottleParsesToThrottle) {
  const auto set = parsed(one_rule(R"("earlyPolls": "throttle")"));
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_EQ(set.rules[0].early_polls, model::EarlyPolls::throttle);
}

TEST(ScenarioParse, EarlyPollsOtherThanServeOrThrottleIsAnErrorNamingIt) {
  EXPECT_EQ(errors_of(one_rule(R"("earlyPolls": "sometimes")")),
            std::vector<std::string>{
                R"(throttled.json: /rules/0/earlyPolls: expected "serve" or "throttle", got "sometimes")"});
}

TEST(ScenarioParse, EvolutionSetsWhatItNames) {
  const auto set = parsed(R"({"rules": [{"evolution": ["unknownProperties"]}, {"evolution": ["unknownSubtype"]},
                                         {"evolution": ["unknownSubtype", "unknownProperties"]}, {}]})");
  ASSERT_EQ(set.rules.size(), 4u);
  EXPECT_TRUE(set.rules[0].evolution.unknown_properties);
  EXPECT_FALSE(set.rules[0].evolution.unknown_subtype);
  EXPECT_FALSE(set.rules[1].evolution.unknown_properties);
  EXPECT_TRUE(set.rules[1].evolution.unknown_subtype);
  EXPECT_TRUE(set.rules[2].evolution.unknown_properties);
  EXPECT_TRUE(set.rules[2].evolution.unknown_subtype);
  EXPECT_FALSE(set.rules[3].evolution.unknown_properties);
  EXPECT_FALSE(set.rules[3].evolution.unknown_subtype);
}

TEST(ScenarioParse, AlreadyGeneratedByNameSucceedsAtOnceWithAManifestSixHoursOld) {
  const auto set = parsed(with_timeline(R"("alreadyGenerated")"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline);
  const auto& phases = set.rules[0].timeline->phases;
  ASSERT_EQ(phases.size(), 1u);
  EXPECT_EQ(phases[0].status, OperationStatus::succeeded);
  ASSERT_TRUE(phases[0].manifest);
  EXPECT_EQ(phases[0].manifest->generated_before, std::optional<std::chrono::milliseconds>(6h));
  EXPECT_EQ(phases[0].manifest->rows, 250u) << "the server's default manifest";
  EXPECT_EQ(phases[0].manifest->rows_per_blob, 100u);
}

TEST(ScenarioParse, AlreadyGeneratedTakesHowLongAgo) {
  const auto set = parsed(with_timeline(R"({"preset": "alreadyGenerated", "generatedAgo": "90m"})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline);
  EXPECT_EQ(set.rules[0].timeline->phases.at(0).manifest->generated_before,
            std::optional<std::chrono::milliseconds>(90min));
}

TEST(ScenarioParse, GeneratingForMinutesByNameIsQueuedTenSecondsThenRunsToFiveMinutes) {
  const auto set = parsed(with_timeline(R"("generatingForMinutes")"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline);
  const auto& phases = set.rules[0].timeline->phases;
  ASSERT_EQ(phases.size(), 3u);
  EXPECT_EQ(phases[0].status, OperationStatus::not_started);
  EXPECT_EQ(phases[0].duration, std::optional<std::chrono::milliseconds>(10s));
  EXPECT_FALSE(phases[0].polls) << "clock-driven, not counted in polls";
  EXPECT_EQ(phases[0].retry_after, 10s);
  EXPECT_EQ(phases[1].status, OperationStatus::running);
  EXPECT_EQ(phases[1].duration, std::optional<std::chrono::milliseconds>(5min - 10s));
  EXPECT_FALSE(phases[1].polls);
  EXPECT_EQ(phases[1].retry_after, 10s);
  EXPECT_EQ(phases[2].status, OperationStatus::succeeded);
  ASSERT_TRUE(phases[2].manifest);
  EXPECT_FALSE(phases[2].manifest->generated_before) << "generated now, not before";
}

TEST(ScenarioParse, GeneratingForMinutesTakesItsDurationAndRetryAfter) {
  const auto set =
      parsed(with_timeline(R"({"preset": "generatingForMinutes", "runsFor": "12m", "retryAfter": "15s"})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline);
  const auto& phases = set.rules[0].timeline->phases;
  ASSERT_EQ(phases.size(), 3u);
  EXPECT_EQ(phases[0].duration, std::optional<std::chrono::milliseconds>(15s));
  EXPECT_EQ(phases[0].retry_after, 15s);
  EXPECT_EQ(phases[1].duration, std::optional<std::chrono::milliseconds>(12min - 15s));
  EXPECT_EQ(phases[1].retry_after, 15s);
}

TEST(ScenarioParse, EveryRuleKeepsTheFileLabel) {
  const auto result = parse_scenario("dir/no-data.json", R"({"rules": [{}, {}]})", server_defaults());
  const auto* set = std::get_if<ScenarioSet>(&result);
  ASSERT_NE(set, nullptr);
  ASSERT_EQ(set->rules.size(), 2u);
  EXPECT_EQ(set->rules[0].file, "dir/no-data.json");
  EXPECT_EQ(set->rules[1].file, "dir/no-data.json");
}

TEST(ScenarioParse, SchemaAndDescriptionAreAccepted) {
  const auto set = parsed(R"({
    "$schema": "schema/scenario.schema.json",
    "description": "Invoice G000000404 has no data; everything else succeeds slowly.",
    "rules": [{"name": "all"}]
  })");
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_EQ(set.rules[0].name, "all");
}

TEST(ScenarioParse, RuleWithoutMatchOrTimelineMatchesAnythingWithTheDefaultTimeline) {
  const auto set = parsed(R"({"rules": [{}]})");
  ASSERT_EQ(set.rules.size(), 1u);
  const auto& rule = set.rules[0];
  EXPECT_FALSE(rule.timeline.has_value());
  EXPECT_TRUE(rule.match.kinds.empty());
  EXPECT_FALSE(rule.match.version.has_value());
  EXPECT_FALSE(rule.match.invoice_id.has_value());
  EXPECT_FALSE(rule.match.attribute_set.has_value());
  EXPECT_TRUE(rule.match.headers.empty());
}

TEST(ScenarioParse, TheDocumentedExampleParses) {
  const auto set = parsed(R"({
    "$schema": "schema/scenario.schema.json",
    "description": "Invoice G000000404 has no data; everything else succeeds slowly.",
    "rules": [
      {
        "name": "no data",
        "match": { "invoiceId": "G000000404" },
        "timeline": [
          { "status": "running", "polls": 2, "retryAfter": "5s" },
          { "status": "failed", "error": { "code": "5000", "message": "No data available" } }
        ]
      },
      {
        "name": "slow",
        "timeline": [
          { "status": "notStarted", "after": "30s", "retryAfter": "10s" },
          { "status": "running", "after": "2m", "retryAfter": "30s" },
          { "status": "succeeded", "rows": 5000, "rowsPerBlob": 1000 }
        ]
      }
    ]
  })");
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_EQ(set.rules[0].name, "no data");
  EXPECT_EQ(set.rules[1].name, "slow");
  ASSERT_TRUE(set.rules[1].timeline.has_value());
  ASSERT_EQ(set.rules[1].timeline->phases.size(), 3u);
  EXPECT_EQ(set.rules[1].timeline->phases[1].duration, std::optional<std::chrono::milliseconds>(2min));
  EXPECT_EQ(set.rules[1].timeline->phases[1].retry_after, 30s);
}

// --- durations ---------------------------------------------------------------

struct DurationCase {
  std::string name;
  std::string text;
  std::chrono::milliseconds expected;
};

void PrintTo(const DurationCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class ScenarioDuration : public ::testing::TestWithParam<DurationCase> {};

TEST_P(ScenarioDuration, ConvertsToMilliseconds) {
  const auto& c = GetParam();
  const auto set = parsed(with_waiting(R"({"status": "running", "after": ")" + c.text + R"("})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  const auto& phase = set.rules[0].timeline->phases.at(0);
  EXPECT_EQ(phase.duration, std::optional<std::chrono::milliseconds>(c.expected));
  EXPECT_FALSE(phase.polls.has_value());
}

const DurationCase kDurations[] = {
    {"Milliseconds", "250ms", 250ms}, {"Seconds", "30s", 30s}, {"Minutes", "2m", 2min},
    {"Hours", "1h", 1h},              {"ZeroSeconds", "0s", 0ms}, {"ManyDigits", "123456789ms", 123456789ms},
};
INSTANTIATE_TEST_SUITE_P(ScenarioUnits, ScenarioDuration, ::testing::ValuesIn(kDurations),
                         [](const auto& info) { return info.param.name; });

// --- resourceLocation ----------------------------------------------------------

struct LocationCase {
  std::string spelling;
  ResourceLocationStyle style;
};

void PrintTo(const LocationCase& c, std::ostream* os) { *os << '"' << c.spelling << '"'; }

class ScenarioResourceLocation : public ::testing::TestWithParam<LocationCase> {};

TEST_P(ScenarioResourceLocation, MapsToItsStyle) {
  const auto& c = GetParam();
  const auto set = parsed(with_terminal(R"({"status": "succeeded", "resourceLocation": ")" + c.spelling + R"("})"));
  ASSERT_EQ(set.rules.size(), 1u);
  ASSERT_TRUE(set.rules[0].timeline.has_value());
  const auto& shape = set.rules[0].timeline->phases.at(0).manifest;
  ASSERT_TRUE(shape.has_value());
  EXPECT_EQ(shape->resource_location, c.style);
}

const LocationCase kLocations[] = {
    {"both", ResourceLocationStyle::both},
    {"inline", ResourceLocationStyle::inline_object},
    {"navigationLink", ResourceLocationStyle::navigation_link},
};
INSTANTIATE_TEST_SUITE_P(ScenarioStyles, ScenarioResourceLocation, ::testing::ValuesIn(kLocations),
                         [](const auto& info) { return info.param.spelling; });

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------

// The Match a file with `{"rules": [{"match": <json>}]}` gives.
Match match_of(const std::string& json) {
  const auto set = parsed(with_match(json));
  return set.rules.empty() ? Match{} : set.rules[0].match;
}

ExportRequest request(std::string invoice_id = "G000000001", ApiVersion version = ApiVersion::v1_0,
                      AttributeSet attribute_set = AttributeSet::full) {
  ExportRequest r;
  r.kind = ExportKind::billed_reconciliation;
  r.version = version;
  r.invoice_id = std::move(invoice_id);
  r.attribute_set = attribute_set;
  return r;
}

TEST(ScenarioTextMatch, PlainTextMatchesOnlyTheSameValue) {
  const TextMatch match{"G1", nullptr};
  EXPECT_TRUE(match.matches("G1"));
  EXPECT_FALSE(match.matches("g1"));
  EXPECT_FALSE(match.matches("G10"));
  EXPECT_FALSE(match.matches(""));
}

TEST(ScenarioTextMatch, RegexMustMatchTheWholeValue) {
  const auto match = std::get<TextMatch>(compile_regex("G").result);
  EXPECT_TRUE(match.matches("G"));
  EXPECT_FALSE(match.matches("G1"));
  EXPECT_FALSE(match.matches("AG"));
}

TEST(ScenarioMatch, EmptyMatchFitsEveryRequest) {
  const auto match = match_of("{}");
  EXPECT_TRUE(match.matches(request(), {}));
  EXPECT_TRUE(match.matches(request("", ApiVersion::beta, AttributeSet::basic), {{"x-test", "1"}}));
}

TEST(ScenarioMatch, KindStringFitsThatKind) {
  EXPECT_TRUE(match_of(R"({"kind": "billedReconciliation"})").matches(request(), {}));
}

TEST(ScenarioMatch, KindStringOfAnotherKindDoesNotFit) {
  EXPECT_FALSE(match_of(R"({"kind": "billedUsage"})").matches(request(), {}));
}

TEST(ScenarioMatch, KindArrayFitsWhenItHoldsTheRequestsKind) {
  EXPECT_TRUE(match_of(R"({"kind": ["unbilledUsage", "billedReconciliation"]})").matches(request(), {}));
}

TEST(ScenarioMatch, KindArrayWithoutTheRequestsKindDoesNotFit) {
  EXPECT_FALSE(match_of(R"({"kind": ["unbilledUsage", "billedUsage"]})").matches(request(), {}));
}

TEST(ScenarioMatch, VersionFitsOnlyThatVersion) {
  const auto match = match_of(R"({"version": "beta"})");
  EXPECT_TRUE(match.matches(request("G1", ApiVersion::beta), {}));
  EXPECT_FALSE(match.matches(request("G1", ApiVersion::v1_0), {}));
}

TEST(ScenarioMatch, InvoiceIdStringFitsOnlyTheExactValue) {
  const auto match = match_of(R"({"invoiceId": "G000000404"})");
  EXPECT_TRUE(match.matches(request("G000000404"), {}));
  EXPECT_FALSE(match.matches(request("G0000004040"), {}));
  EXPECT_FALSE(match.matches(request("g000000404"), {}));
}

TEST(ScenarioMatch, InvoiceIdStringIsNotARegex) {
  EXPECT_FALSE(match_of(R"({"invoiceId": "G.*"})").matches(request("G1"), {}));
}

TEST(ScenarioMatch, InvoiceIdRegexFitsWhenItMatchesTheWholeValue) {
  const auto match = match_of(R"({"invoiceId": {"regex": "G0+4\\d\\d"}})");
  EXPECT_TRUE(match.matches(request("G000000404"), {}));
  EXPECT_TRUE(match.matches(request("G0499"), {}));
  EXPECT_FALSE(match.matches(request("G000000504"), {}));
}

TEST(ScenarioMatch, InvoiceIdRegexMatchingOnlyPartOfTheValueDoesNotFit) {
  const auto match = match_of(R"({"invoiceId": {"regex": "G"}})");
  EXPECT_FALSE(match.matches(request("G1"), {}));
  EXPECT_TRUE(match.matches(request("G"), {}));
}

TEST(ScenarioMatch, AttributeSetFitsOnlyThatSet) {
  const auto match = match_of(R"({"attributeSet": "basic"})");
  EXPECT_TRUE(match.matches(request("G1", ApiVersion::v1_0, AttributeSet::basic), {}));
  EXPECT_FALSE(match.matches(request("G1", ApiVersion::v1_0, AttributeSet::full), {}));
}

model::ExportRequest unbilled_request(std::string currency, model::BillingPeriod period,
                                      model::ExportKind kind = model::ExportKind::unbilled_usage) {
  model::ExportRequest unbilled;
  unbilled.kind = kind;
  unbilled.currency_code = std::move(currency);
  unbilled.billing_period = period;
  return unbilled;
}

TEST(ScenarioMatch, KindFitsEachOfTheSiblingExports) {
  EXPECT_TRUE(match_of(R"({"kind": "unbilledUsage"})").matches(unbilled_request("USD", model::BillingPeriod::current), {}));
  EXPECT_FALSE(match_of(R"({"kind": "unbilledReconciliation"})")
                   .matches(unbilled_request("USD", model::BillingPeriod::current), {}));
}

TEST(ScenarioMatch, CurrencyCodeFitsOnlyThatCurrency) {
  const auto match = match_of(R"({"currencyCode": "EUR"})");
  EXPECT_TRUE(match.matches(unbilled_request("EUR", model::BillingPeriod::current), {}));
  EXPECT_FALSE(match.matches(unbilled_request("USD", model::BillingPeriod::current), {}));
}

TEST(ScenarioMatch, CurrencyCodeRegexFitsTheWholeValue) {
  const auto match = match_of(R"j({"currencyCode": {"regex": "(EUR|GBP)"}})j");
  EXPECT_TRUE(match.matches(unbilled_request("GBP", model::BillingPeriod::last), {}));
  EXPECT_FALSE(match.matches(unbilled_request("USD", model::BillingPeriod::last), {}));
}

TEST(ScenarioMatch, CurrencyCodeNeverFitsABilledExport) {
  EXPECT_FALSE(match_of(R"({"currencyCode": {"regex": ".*"}})").matches(request(), {}));
}

TEST(ScenarioMatch, BillingPeriodFitsOnlyThatPeriod) {
  const auto match = match_of(R"({"billingPeriod": "last"})");
  EXPECT_TRUE(match.matches(unbilled_request("USD", model::BillingPeriod::last), {}));
  EXPECT_FALSE(match.matches(unbilled_request("USD", model::BillingPeriod::current), {}));
  EXPECT_FALSE(match.matches(request(), {}));
}

TEST(ScenarioMatch, InvoiceIdNeverFitsAnUnbilledExport) {
  EXPECT_FALSE(match_of(R"({"invoiceId": {"regex": ".*"}})")
                   .matches(unbilled_request("USD", model::BillingPeriod::current), {}));
}

TEST(ScenarioMatch, HeaderNameIsCaseInsensitive) {
  EXPECT_TRUE(match_of(R"({"header": {"X-Test": "throttle"}})").matches(request(), {{"x-test", "throttle"}}));
}

TEST(ScenarioMatch, HeaderValueMustBeExactlyTheGivenString) {
  const auto match = match_of(R"({"header": {"x-test-case": "throttle"}})");
  EXPECT_FALSE(match.matches(request(), {{"x-test-case", "throttled"}}));
  EXPECT_FALSE(match.matches(request(), {{"x-test-case", "Throttle"}}));
}

TEST(ScenarioMatch, HeaderValueRegexMatchesTheWholeValue) {
  const auto match = match_of(R"({"header": {"x-test-case": {"regex": "throttle-[0-9]+"}}})");
  EXPECT_TRUE(match.matches(request(), {{"x-test-case", "throttle-42"}}));
  EXPECT_FALSE(match.matches(request(), {{"x-test-case", "throttle-42x"}}));
}

TEST(ScenarioMatch, MissingHeaderDoesNotFit) {
  EXPECT_FALSE(match_of(R"({"header": {"x-test-case": "throttle"}})").matches(request(), {{"x-other", "throttle"}}));
}

TEST(ScenarioMatch, EveryGivenHeaderMustBePresent) {
  const auto match = match_of(R"({"header": {"x-a": "1", "x-b": "2"}})");
  EXPECT_TRUE(match.matches(request(), {{"x-b", "2"}, {"x-a", "1"}}));
  EXPECT_FALSE(match.matches(request(), {{"x-a", "1"}}));
}

TEST(ScenarioMatch, EveryGivenPropertyMustFit) {
  const auto match =
      match_of(R"({"kind": "billedReconciliation", "version": "beta", "invoiceId": "G1", "attributeSet": "basic",
                   "header": {"x-test": "1"}})");
  const auto fitting = request("G1", ApiVersion::beta, AttributeSet::basic);
  const RequestHeaders headers{{"x-test", "1"}};
  EXPECT_TRUE(match.matches(fitting, headers));
  EXPECT_FALSE(match.matches(request("G2", ApiVersion::beta, AttributeSet::basic), headers));
  EXPECT_FALSE(match.matches(request("G1", ApiVersion::v1_0, AttributeSet::basic), headers));
  EXPECT_FALSE(match.matches(request("G1", ApiVersion::beta, AttributeSet::full), headers));
  EXPECT_FALSE(match.matches(fitting, {}));
}

TEST(ScenarioFirstMatch, ReturnsTheFirstFittingRuleInOrder) {
  const auto set = parsed(R"({"rules": [
    {"name": "other invoice", "match": {"invoiceId": "G2"}},
    {"name": "first fit", "match": {"invoiceId": {"regex": "G1.*"}}},
    {"name": "catch-all"}
  ]})");
  ASSERT_EQ(set.rules.size(), 3u);
  EXPECT_EQ(set.first_match(request("G1"), {}), &set.rules[1]);
  EXPECT_EQ(set.first_match(request("G2"), {}), &set.rules[0]);
  EXPECT_EQ(set.first_match(request("G3"), {}), &set.rules[2]);
}

TEST(ScenarioFirstMatch, ReturnsNullWhenNoRuleFits) {
  const auto set = parsed(R"({"rules": [{"match": {"invoiceId": "G2"}}, {"match": {"version": "beta"}}]})");
  ASSERT_EQ(set.rules.size(), 2u);
  EXPECT_EQ(set.first_match(request("G1", ApiVersion::v1_0), {}), nullptr);
}

TEST(ScenarioFirstMatch, EmptySetMatchesNothing) { EXPECT_EQ(ScenarioSet{}.first_match(request(), {}), nullptr); }

// ---------------------------------------------------------------------------
// Limits: what a hostile or absurd file costs, and how it is refused
// ---------------------------------------------------------------------------

std::string with_invoice_regex(const std::string& pattern) {
  return with_match(R"({"invoiceId": {"regex": )" + nlohmann::json(pattern).dump() + "}}");
}

TEST(ScenarioLimits, FileNestedAHundredThousandLevelsIsAnError) {
  EXPECT_EQ(errors_of(R"({"rules": )" + nested_arrays(100'000) + "}"),
            std::vector<std::string>{"throttled.json: /: not valid JSON: the JSON is nested deeper than 256 levels"});
}

TEST(ScenarioLimits, ValueNestedToTheDepthLimitIsReportedWhereItIs) {
  // The file, the rules and the rule are three levels; the name takes the rest.
  EXPECT_EQ(errors_of(one_rule(R"("name": )" + nested_arrays(253))),
            std::vector<std::string>{"throttled.json: /rules/0/name: expected a non-empty string, got " +
                                     std::string(57, '[') + "..."});
}

TEST(ScenarioLimits, PropertyGivenTwiceIsAnError) {
  EXPECT_EQ(errors_of(R"({"rules": [{}], "rules": []})"),
            std::vector<std::string>{"throttled.json: /: not valid JSON: the property 'rules' is given twice"});
}

TEST(ScenarioLimits, NulByteAfterTheFileIsAnError) {
  EXPECT_EQ(errors_of(std::string(R"({"rules": [{}]})") + '\0' + "x"),
            std::vector<std::string>{
                "throttled.json: /: not valid JSON: unexpected bytes after the JSON value at byte 15"});
}

TEST(ScenarioLimits, RegexOfTwentyThousandNestedGroupsIsAnErrorNamingTheLimit) {
  const auto pattern = std::string(20'000, '(') + "a" + std::string(20'000, ')');
  EXPECT_EQ(errors_of(with_invoice_regex(pattern)),
            std::vector<std::string>{"throttled.json: /rules/0/match/invoiceId/regex: a regular expression is at "
                                     "most 1024 characters, got 40001"});
}

TEST(ScenarioLimits, RegexOfExactlyTheLimitInCharactersCompiles) {
  // 1024 characters of two bytes each.
  std::string pattern;
  for (int i = 0; i < 1024; ++i) pattern += "\u00e9";
  EXPECT_EQ(parsed(with_match(R"({"invoiceId": {"regex": ")" + pattern + R"("}})")).rules.size(), 1u);
}

TEST(ScenarioLimits, RegexRepetitionOverAThousandIsAnErrorQuotingRe2) {
  EXPECT_EQ(errors_of(with_invoice_regex("a{99999}")),
            std::vector<std::string>{"throttled.json: /rules/0/match/invoiceId/regex: not a valid RE2 regular "
                                     "expression: invalid repetition size: {99999} (a count is at most 1000, and "
                                     "counts nested in one another multiply)"});
}

TEST(ScenarioLimits, AThousandRulesOfOverlongRepetitionsAreEachAnError) {
  std::string rules;
  for (int i = 0; i < 1000; ++i) {
    rules += std::string(i == 0 ? "" : ",") + R"({"match": {"invoiceId": {"regex": "a{99999}"}}})";
  }
  const auto errors = errors_of(R"({"rules": [)" + rules + "]}");
  ASSERT_EQ(errors.size(), 1000u);
  EXPECT_EQ(errors[999].substr(0, errors[999].find(" (")),
            "throttled.json: /rules/999/match/invoiceId/regex: not a valid RE2 regular expression: invalid "
            "repetition size: {99999}");
}

std::string rules_with_regexes(int count) {
  std::string rules;
  for (int i = 0; i < count; ++i) {
    rules += std::string(i == 0 ? "" : ",") + R"({"match": {"invoiceId": {"regex": "G[0-9]+"}}})";
  }
  return R"({"rules": [)" + rules + "]}";
}

TEST(ScenarioLimits, RegexPastTheLoadsBudgetIsAnErrorAndTheRestCompile) {
  const auto errors = errors_of(rules_with_regexes(static_cast<int>(kMaxRegexesPerLoad) + 1));
  EXPECT_EQ(errors, std::vector<std::string>{"throttled.json: /rules/1000/match/invoiceId/regex: one load compiles at "
                                             "most 1000 regular expressions, across its files"});
}

TEST(ScenarioLimits, RegexBudgetIsSharedByTheFilesOfOneLoad) {
  LoadBudget budget;
  const auto text = rules_with_regexes(600);
  EXPECT_TRUE(std::holds_alternative<ScenarioSet>(parse_scenario("a.json", text, server_defaults(), budget)));
  const auto second = parse_scenario("b.json", text, server_defaults(), budget);
  ASSERT_TRUE(std::holds_alternative<std::vector<LoadError>>(second));
  EXPECT_EQ(std::get<std::vector<LoadError>>(second).size(), 200u);
}

TEST(ScenarioLimits, RegexNeedingTooMuchMemoryIsAnError) {
  EXPECT_EQ(errors_of(with_invoice_regex("\\pL{1000}")),
            std::vector<std::string>{"throttled.json: /rules/0/match/invoiceId/regex: the regular expression is too "
                                     "complex: RE2 would need more than 32 KiB for it"});
}

TEST(ScenarioLimits, ACompiledRegexCostsItsLoadAtLeastAnInstructionPerRepetition) {
  const auto compiled = compile_regex("a{1000}");
  ASSERT_TRUE(std::holds_alternative<TextMatch>(compiled.result));
  EXPECT_GE(compiled.units, 1000u);
  EXPECT_EQ(std::get<TextMatch>(compiled.result).compile_units, compiled.units);
}

TEST(ScenarioLimits, ARegexThatDoesNotParseCostsItsBytes) {
  const auto pattern = std::string(1000, '.') + "(";
  EXPECT_EQ(compile_regex(pattern).units, pattern.size());
}

TEST(ScenarioLimits, AUnicodeClassCostsItsParseWhateverProgramItMakes) {
  EXPECT_GE(compile_regex("\\p{Greek}").units, kUnicodeClassUnits);
  EXPECT_GE(compile_regex("[\\pL\\PN]").units, 2 * kUnicodeClassUnits);
}

TEST(ScenarioLimits, AnEscapedBackslashBeforeAPIsNoUnicodeClass) {
  EXPECT_LT(compile_regex("\\\\p").units, kUnicodeClassUnits);
}

TEST(ScenarioLimits, ARegexRefusedAsTooComplexCostsWhatTheLargestProgramWould) {
  EXPECT_EQ(compile_regex("\\pL{1000}").units, kTooComplexUnits + kUnicodeClassUnits + 9);
}

TEST(ScenarioLimits, ARegexPastTheLoadsInstructionBudgetIsRefusedAndSoIsEveryOneAfterIt) {
  LoadBudget budget;
  budget.units_left = 25;  // enough for one a{10} (5 bytes, 14 instructions), not two
  const auto parsed = parse_scenario(kFile, R"({"rules": [{"match": {"invoiceId": {"regex": "a{10}"}}},
    {"match": {"invoiceId": {"regex": "a{10}"}}}, {"match": {"invoiceId": {"regex": "a"}}}]})",
                                     server_defaults(), budget);
  ASSERT_TRUE(std::holds_alternative<std::vector<LoadError>>(parsed));
  const auto past = "compiling the regular expressions of one load costs at most 100000 units (one per byte of a "
                    "pattern and per instruction of its RE2 program), across its files; this one takes the load past "
                    "that";
  EXPECT_EQ(texts_of(std::get<std::vector<LoadError>>(parsed)),
            (std::vector<std::string>{std::string("throttled.json: /rules/1/match/invoiceId/regex: ") + past,
                                      std::string("throttled.json: /rules/2/match/invoiceId/regex: ") + past}));
  EXPECT_EQ(budget.units_left, 0u);
}

TEST(ScenarioLimits, AUnicodeClassPastTheBudgetIsRefusedBeforeItIsParsed) {
  LoadBudget budget;
  budget.units_left = kUnicodeClassUnits - 1;
  const auto parsed = parse_scenario(kFile, with_invoice_regex("\\pL"), server_defaults(), budget);
  ASSERT_TRUE(std::holds_alternative<std::vector<LoadError>>(parsed));
  EXPECT_EQ(budget.units_left, 0u);
}

// A thousand rules of a pattern RE2 compiles slowly (its nested optional
// repetitions make it several thousand instructions) cost no more than the
// budget: the first are refused as too complex, the rest uncompiled.
TEST(ScenarioLimits, AThousandCostlyRegexesStopAtTheLoadsBudget) {
  std::string rules;
  for (int i = 0; i < 1000; ++i) {
    rules += std::string(i == 0 ? "" : ",") +
             R"j({"match": {"invoiceId": {"regex": "(?:a{0,1000})|(?:b{0,1000})|(?:c{0,1000})|(?:d{0,1000})"}}})j";
  }
  const auto errors = errors_of(R"({"rules": [)" + rules + "]}");
  ASSERT_EQ(errors.size(), 1000u);
  const auto pattern_bytes = std::string_view("(?:a{0,1000})|(?:b{0,1000})|(?:c{0,1000})|(?:d{0,1000})").size();
  const auto refused_compiled = kRegexUnitsPerLoad / (kTooComplexUnits + pattern_bytes);
  EXPECT_NE(errors[refused_compiled - 1].find("too complex"), std::string::npos) << errors[refused_compiled - 1];
  EXPECT_NE(errors[refused_compiled].find("takes the load past that"), std::string::npos) << errors[refused_compiled];
  EXPECT_NE(errors[999].find("takes the load past that"), std::string::npos) << errors[999];
}

TEST(ScenarioFootprint, CountsRegexesTheirCompileCostAndTheirMemoryCap) {
  const auto set = parsed(with_invoice_regex("G[0-9]+"));
  const auto counted = footprint(set);
  EXPECT_EQ(counted.regexes, 1u);
  EXPECT_EQ(counted.regex_units, set.rules[0].match.invoice_id->compile_units);
  EXPECT_GT(counted.bytes, kRegexMemoryBytes);
}

TEST(ScenarioFootprint, GrowsWithTheRulesTexts) {
  const auto small = footprint(parsed(one_rule(R"("name": "a")")));
  const auto large = footprint(parsed(one_rule(R"("name": ")" + std::string(10'000, 'a') + "\"")));
  EXPECT_EQ(small.regexes, 0u);
  EXPECT_GE(large.bytes, small.bytes + 9'999);
}

TEST(ScenarioFootprint, OfTwoSetsIsTheSumOfEach) {
  auto total = footprint(parsed(with_invoice_regex("G1")));
  total += footprint(parsed(with_invoice_regex("G2")));
  EXPECT_EQ(total.regexes, 2u);
}

TEST(ScenarioLimits, LookbehindIsAnErrorGivingRe2sReason) {
  EXPECT_EQ(errors_of(with_invoice_regex("(?<=G)0+")),
            std::vector<std::string>{"throttled.json: /rules/0/match/invoiceId/regex: not a valid RE2 regular "
                                     "expression: invalid perl operator: (?<"});
}

TEST(ScenarioLimits, RegexErrorQuotesOnlyTheStartOfTheOffendingFragment) {
  const auto errors = errors_of(with_invoice_regex("(" + std::string(1000, 'a')));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "throttled.json: /rules/0/match/invoiceId/regex: not a valid RE2 regular expression: "
                       "missing ): (" + std::string(56, 'a') + "...");
}

TEST(ScenarioLimits, NestedQuantifiersMatchWithoutBacktracking) {
  const auto match = std::get<TextMatch>(compile_regex("(a+)+$").result);
  EXPECT_FALSE(match.matches(std::string(40, 'a') + "b"));
  EXPECT_TRUE(match.matches(std::string(40, 'a')));
}

// ---------------------------------------------------------------------------
// load_scenarios / check_scenario_files
// ---------------------------------------------------------------------------

class ScenarioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = std::filesystem::temp_directory_path() /
            (std::string("graphfake-scenario_test-") + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(root_);
    ASSERT_TRUE(std::filesystem::create_directories(root_));
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  // Writes `text` to root/relative (creating directories) and returns its path.
  std::string write(const std::string& relative, const std::string& text) {
    const auto path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    EXPECT_TRUE(out) << "cannot write " << path;
    return path.string();
  }

  std::string mkdir(const std::string& relative) {
    const auto path = root_ / relative;
    std::filesystem::create_directories(path);
    return path.string();
  }

  std::string path(const std::string& relative) const { return (root_ / relative).string(); }

  static std::string named_rules(std::initializer_list<const char*> names) {
    std::string rules;
    for (const auto* name : names) rules += std::string(rules.empty() ? "" : ", ") + R"({"name": ")" + name + R"("})";
    return R"({"rules": [)" + rules + "]}";
  }

  static std::vector<std::string> names_of(const ScenarioSet& set) {
    std::vector<std::string> names;
    for (const auto& rule : set.rules) names.push_back(rule.name);
    return names;
  }

  std::filesystem::path root_;
};

TEST_F(ScenarioFiles, DirectoryLoadsOnlyJsonFilesInNameOrderWithRulesConcatenated) {
  const auto dir = mkdir("lib");
  write("lib/b.json", named_rules({"b1", "b2"}));
  write("lib/a.json", named_rules({"a1"}));
  write("lib/c.json", named_rules({"c1"}));
  write("lib/readme.txt", "not a scenario");
  write("lib/old.json.bak", "not a scenario either");
  mkdir("lib/nested.json");
  write("lib/sub/d.json", named_rules({"d1"}));

  const auto loaded = load_scenarios({dir}, server_defaults());
  const auto* set = std::get_if<ScenarioSet>(&loaded);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(names_of(*set), (std::vector<std::string>{"a1", "b1", "b2", "c1"}));
  ASSERT_EQ(set->rules.size(), 4u);
  EXPECT_EQ(set->rules[0].file, path("lib/a.json"));
  EXPECT_EQ(set->rules[1].file, path("lib/b.json"));
  EXPECT_EQ(set->rules[2].file, path("lib/b.json"));
  EXPECT_EQ(set->rules[3].file, path("lib/c.json"));
}

TEST_F(ScenarioFiles, PathsLoadInTheOrderGiven) {
  const auto z = write("z.json", named_rules({"z1"}));
  const auto dir = mkdir("lib");
  write("lib/a.json", named_rules({"a1"}));
  const auto m = write("m.json", named_rules({"m1", "m2"}));

  const auto loaded = load_scenarios({z, dir, m}, server_defaults());
  const auto* set = std::get_if<ScenarioSet>(&loaded);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(names_of(*set), (std::vector<std::string>{"z1", "a1", "m1", "m2"}));
}

TEST_F(ScenarioFiles, LoadedRulesUseTheGivenDefaults) {
  const auto file = write("a.json", with_waiting(R"({"status": "running", "polls": 1})"));
  Defaults defaults = server_defaults();
  defaults.retry_after = 9s;
  const auto loaded = load_scenarios({file}, defaults);
  const auto* set = std::get_if<ScenarioSet>(&loaded);
  ASSERT_NE(set, nullptr);
  ASSERT_EQ(set->rules.size(), 1u);
  ASSERT_TRUE(set->rules[0].timeline.has_value());
  EXPECT_EQ(set->rules[0].timeline->phases.at(0).retry_after, 9s);
}

TEST_F(ScenarioFiles, MissingPathIsAnErrorNamingIt) {
  const auto missing = path("absent.json");
  const auto loaded = load_scenarios({missing}, server_defaults());
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(texts_of(*errors), std::vector<std::string>{missing + ": /: no such file or directory"});
}

TEST_F(ScenarioFiles, APathThatIsNotARegularFileIsAnErrorSayingSo) {
  const auto loaded = load_scenarios({"/dev/null"}, server_defaults());
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(texts_of(*errors), std::vector<std::string>{"/dev/null: /: not a regular file"});
}

TEST_F(ScenarioFiles, APathHoldingANulIsAnErrorRatherThanTheFileBeforeIt) {
  const auto file = write("ok.json", named_rules({"ok"}));
  const auto loaded = load_scenarios({file + std::string(1, '\0') + "anything"}, server_defaults());
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(texts_of(*errors), std::vector<std::string>{file + "\\u0000anything: /: a path cannot hold a NUL byte"});
}

TEST_F(ScenarioFiles, TheSameFileTwiceInOneLoadIsAnError) {
  const auto file = write("a.json", named_rules({"a1"}));
  const auto loaded = load_scenarios({file, file}, server_defaults());
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(texts_of(*errors), std::vector<std::string>{file + ": /: another file of this load has the same name: "
                                                                "rules are told apart by their file's name"});
}

TEST_F(ScenarioFiles, EmptyDirectoryIsAnError) {
  const auto dir = mkdir("empty");
  const auto loaded = load_scenarios({dir}, server_defaults());
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(texts_of(*errors), std::vector<std::string>{dir + ": /: the directory holds no *.json scenario file"});
}

TEST_F(ScenarioFiles, DirectoryWithoutJsonFilesIsAnError) {
  const auto dir = mkdir("texts");
  write("texts/a.txt", named_rules({"a1"}));
  const auto loaded = load_scenarios({dir}, server_defaults());
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(texts_of(*errors), std::vector<std::string>{dir + ": /: the directory holds no *.json scenario file"});
}

TEST_F(ScenarioFiles, ErrorsFromSeveralFilesAreAllReportedInLoadOrder) {
  const auto dir = mkdir("lib");
  write("lib/a.json", one_rule(R"("name": "")"));
  write("lib/b.json", R"({"rules": [{"match": {"version": "v2"}}, {"timeline": []}]})");
  const auto loaded = load_scenarios({dir}, server_defaults());
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  const auto a = path("lib/a.json");
  const auto b = path("lib/b.json");
  EXPECT_EQ(texts_of(*errors),
            (std::vector<std::string>{
                a + R"(: /rules/0/name: expected a non-empty string, got "")",
                b + R"(: /rules/0/match/version: expected one of "v1.0", "beta", got "v2")",
                b + ": /rules/1/timeline: " + kNotATimeline + " []",
            }));
}

TEST_F(ScenarioFiles, AnErrorInOneFileMeansNoSetAtAll) {
  const auto good = write("good.json", named_rules({"good"}));
  const auto bad = write("bad.json", "not json");
  const auto loaded = load_scenarios({good, bad}, server_defaults());
  EXPECT_FALSE(std::holds_alternative<ScenarioSet>(loaded));
  const auto* errors = std::get_if<std::vector<LoadError>>(&loaded);
  ASSERT_NE(errors, nullptr);
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ((*errors)[0].file, bad);
}

TEST_F(ScenarioFiles, AMissingPathAmongGoodOnesMeansNoSetAtAll) {
  const auto good = write("good.json", named_rules({"good"}));
  const auto loaded = load_scenarios({good, path("absent")}, server_defaults());
  EXPECT_FALSE(std::holds_alternative<ScenarioSet>(loaded));
}

TEST_F(ScenarioFiles, CheckScenarioFilesReturnsEveryErrorLine) {
  const auto a = write("a.json", one_rule(R"("name": "")"));
  const auto missing = path("absent.json");
  // Path errors (found while expanding the paths) come before content
  // errors, whatever the order of the paths; only the lines are asserted.
  auto lines = graphfake::check_scenario_files({a, missing});
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{
                       a + R"(: /rules/0/name: expected a non-empty string, got "")",
                       missing + ": /: no such file or directory",
                   }));
}

TEST_F(ScenarioFiles, CheckScenarioFilesReturnsNothingForValidFiles) {
  const auto a = write("a.json", named_rules({"a1"}));
  EXPECT_TRUE(graphfake::check_scenario_files({a}).empty());
}

TEST(ScenarioErrorText, WhatJoinsTheErrorsWithNewlines) {
  const graphfake::ScenarioError error({"a.json: /: first", "b.json: /rules: second"});
  EXPECT_STREQ(error.what(), "a.json: /: first\nb.json: /rules: second");
  EXPECT_EQ(error.errors(), (std::vector<std::string>{"a.json: /: first", "b.json: /rules: second"}));
}

TEST(ScenarioErrorText, SingleErrorHasNoNewline) {
  const graphfake::ScenarioError error({"a.json: /: only"});
  EXPECT_STREQ(error.what(), "a.json: /: only");
}

}  // namespace
}  // namespace graphfake::scenario
