#include "conformance/answers.h"
#include "conformance/json_access.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>

namespace graphfake::conformance {
namespace {

// The key a row spells `pascal_name` with, whatever its casing; empty when
// the row has no such column.
std::string key_for(const Json& row, std::string_view pascal_name) {
  for (const auto& [key, value] : row.items()) {
    if (key.size() == pascal_name.size() &&
        std::equal(key.begin(), key.end(), pascal_name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return key;
    }
  }
  return {};
}

const Json& column(const Json& row, std::string_view pascal_name) { return member(row, key_for(row, pascal_name)); }

// The first row of a gzip JSON Lines blob; null when there is none.
Json first_row(std::string_view gzip_bytes) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return nullptr;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip_bytes.data()));
  stream.avail_in = static_cast<uInt>(gzip_bytes.size());
  std::string text;
  char buffer[16384];
  int status = Z_OK;
  while (status == Z_OK && text.find('\n') == std::string::npos) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    text.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  const auto line = text.substr(0, text.find('\n'));
  return Json::accept(line) ? Json::parse(line) : Json(nullptr);
}

Answer key_casing(const Json& row) {
  const std::string question = "Q9 data key casing";
  // Observed in real files of older invoices: reconciliation rows in
  // camelCase with Tier2MpnId and Total renamed.
  for (const auto& [key, value] : row.items()) {
    if (is_legacy_reconciliation_key(key)) {
      return {question, "the legacy camelCase reconciliation layout (" + key + ")", "--data-profile legacy-camel"};
    }
  }
  const std::string key = key_for(row, "PCToBCExchangeRate");
  if (key == "PCToBCExchangeRate") return {question, "PascalCase (PCToBCExchangeRate)", ""};
  if (key == "pcToBCExchangeRate") return {question, "camelCase (pcToBCExchangeRate)", "--data-keys camelCase"};
  if (key == "pctobcexchangerate") return {question, "lowercase (pctobcexchangerate)", "--data-keys lowercase"};
  if (key.empty()) return {question, "no PCToBCExchangeRate column to tell by", "", false};
  return {question, key, "", false};
}

}  // namespace

std::vector<Answer> answers_of(const ExportRun& run, std::string_view first_blob_gzip,
                               std::optional<int> pascal_case_request_status) {
  std::vector<Answer> answers;
  const Json& op = run.operation;
  const Json& manifest = run.manifest;

  const bool linked = op.contains(kNavigationLink);
  const bool embedded = op.contains("resourceLocation");
  if (linked && embedded) {
    answers.push_back({"Q1 resourceLocation", "inline object and navigation link", ""});
  } else if (embedded) {
    answers.push_back({"Q1 resourceLocation", "inline object only", R"(scenario "resourceLocation": "inline")"});
  } else if (linked) {
    answers.push_back(
        {"Q1 resourceLocation", "navigation link only", R"(scenario "resourceLocation": "navigationLink")"});
  }

  const Json& format = member(manifest, "dataFormat");
  if (format == "compressedJSON") {
    answers.push_back({"Q3 dataFormat", "compressedJSON", ""});
  } else if (format == "compressedJSONLines") {
    answers.push_back({"Q3 dataFormat", "compressedJSONLines", "--data-format compressedJSONLines"});
  } else {
    answers.push_back({"Q3 dataFormat", shown(format), "", false});
  }

  const std::string literals = shown(member(manifest, "schemaVersion")) + " / " + shown(member(manifest, "partitionType"));
  if (literals == R"("2" / "default")") {
    answers.push_back({"Q4 schemaVersion / partitionType", literals, ""});
  } else if (literals == R"("1" / "Default")") {
    answers.push_back({"Q4 schemaVersion / partitionType", literals, "--manifest-literals documented"});
  } else {
    answers.push_back({"Q4 schemaVersion / partitionType", literals, "", false});
  }

  const Json& blob = member(manifest, "blobs").is_array() && !manifest["blobs"].empty() ? manifest["blobs"][0] : Json();
  const bool sizes = blob.contains("sizeInBytes") && blob.contains("itemCount");
  if (sizes) {
    answers.push_back({"Q5 blob sizeInBytes / itemCount", "listed", "--blob-sizes"});
  } else if (blob.contains("sizeInBytes") || blob.contains("itemCount")) {
    answers.push_back({"Q5 blob sizeInBytes / itemCount", "only one of them listed", "", false});
  } else {
    answers.push_back({"Q5 blob sizeInBytes / itemCount", "not listed", ""});
  }

  const Json row = first_row(first_blob_gzip);
  if (row.is_object()) {
    answers.push_back(key_casing(row));
    const Json& price = column(row, "UnitPrice");
    if (price.is_number()) {
      answers.push_back({"Q9 numbers in data", "JSON numbers", ""});
    } else if (price.is_string()) {
      answers.push_back({"Q9 numbers in data", "strings", "--data-numbers string"});
    } else {
      answers.push_back({"Q9 numbers in data", "UnitPrice is " + shown(price), "", false});
    }
    const Json& qualifiers = column(row, "ProductQualifiers");
    if (qualifiers.is_array()) {
      answers.push_back({"Q9 ProductQualifiers", "an array", ""});
    } else if (qualifiers.is_string()) {
      answers.push_back({"Q9 ProductQualifiers", "a string holding an array", "--product-qualifiers text"});
    } else if (!qualifiers.is_null()) {
      answers.push_back({"Q9 ProductQualifiers", shown(qualifiers), "", false});
    }
  } else {
    answers.push_back({"Q9 data files", "the first blob has no row to tell by", "", false});
  }

  if (!is_usage(run.request.kind) && !manifest.is_null()) {
    const std::string question = "Q10 reconciliation blob layout";
    const std::string billing = is_billed(run.request.kind) ? "billed" : "unbilled";
    if (check_usage_layout(manifest, run.request).empty()) {
      answers.push_back({question, "mirrors " + billing + " usage's observed layout", ""});
    } else {
      answers.push_back({question, shown(member(manifest, "rootDirectory")), "", false});
    }
  }

  if (run.accepted.has_header("Retry-After")) {
    answers.push_back({"Q13 Retry-After on the 202", run.accepted.get_header_value("Retry-After"), "", false});
  } else {
    answers.push_back({"Q13 Retry-After on the 202", "none", ""});
  }
  for (const auto& poll : run.polls) {
    if (!poll.has_header("Retry-After")) continue;
    const auto value = poll.get_header_value("Retry-After");
    answers.push_back({"Q13 Retry-After on a running poll", value + " s",
                       value == "1" ? "" : "scenario \"retryAfter\": \"" + value + "s\""});
    break;
  }

  if (pascal_case_request_status) {
    if (*pascal_case_request_status == 202) {
      answers.push_back({"Q14 PascalCase request body", "accepted", "--case-insensitive-requests"});
    } else {
      // The fake refuses it as any unknown parameter: 400.
      answers.push_back({"Q14 PascalCase request body",
                         "refused with HTTP " + std::to_string(*pascal_case_request_status), "",
                         *pascal_case_request_status == 400});
    }
  }

  const Json& created = member(op, "createdDateTime");
  if (created.is_string() && is_rfc3339(created.get<std::string>())) {
    answers.push_back({"Q15 operation timestamps", "RFC 3339 with offset", ""});
  } else if (created.is_string() && is_unzoned_timestamp(created.get<std::string>())) {
    answers.push_back({"Q15 operation timestamps", "without offset (" + created.get<std::string>() + ")",
                       "--timestamps documented"});
  } else {
    answers.push_back({"Q15 operation timestamps", shown(created), "", false});
  }
  return answers;
}

std::string graphfake_flags_for(const std::vector<Answer>& answers) {
  std::string flags;
  for (const auto& answer : answers) {
    if (answer.how_the_fake_gives_it.rfind("--", 0) != 0) continue;
    flags += (flags.empty() ? "" : " ") + answer.how_the_fake_gives_it;
  }
  return flags;
}

}  // namespace graphfake::conformance
