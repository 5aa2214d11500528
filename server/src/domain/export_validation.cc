#include "domain/export_validation.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/graph_error.h"
#include "core/strings.h"

namespace graphfake::domain {
namespace {

using core::bad_request;
using nlohmann::json;

void require_json_content_type(std::string_view content_type) {
  const auto media_type = core::ascii_lower(content_type.substr(0, content_type.find(';')));
  const auto trimmed_end = media_type.find_last_not_of(" \t");
  const auto trimmed = trimmed_end == std::string::npos ? std::string() : media_type.substr(0, trimmed_end + 1);
  if (trimmed != "application/json") {
    throw core::GraphError(
        415, "UnsupportedMediaType",
        content_type.empty()
            ? std::string("The request has no Content-Type header; export actions take 'application/json'.")
            : fmt::format("Content-Type '{}' is not supported; export actions take 'application/json'.",
                          content_type));
  }
}

json parse_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw bad_request("The request body is empty; export actions take a JSON object.");
  }
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& e) {
    throw bad_request(fmt::format("The request body is not valid JSON: {}", e.what()));
  }
  if (!parsed.is_object()) {
    throw bad_request(fmt::format("The request body must be a JSON object, not {}.", parsed.type_name()));
  }
  return parsed;
}

std::string json_text(const json& value) { return value.dump(); }

std::string required_string(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end()) {
    throw bad_request(fmt::format("The parameter '{}' is required for the operation 'export'.", name));
  }
  if (!it->is_string()) {
    throw bad_request(fmt::format("The parameter '{}' must be a string, not {}.", name, json_text(*it)));
  }
  auto value = it->get<std::string>();
  if (value.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw bad_request(fmt::format("The parameter '{}' must not be empty.", name));
  }
  // Real ids are a dozen characters; the value also becomes a blob path
  // segment, which must stay a usable URL.
  constexpr std::size_t kMaxLength = 256;
  if (value.size() > kMaxLength) {
    throw bad_request(fmt::format("The parameter '{}' is longer than {} characters.", name, kMaxLength));
  }
  return value;
}

model::AttributeSet attribute_set(const json& body) {
  const auto it = body.find("attributeSet");
  if (it == body.end()) return model::AttributeSet::full;
  if (!it->is_string()) {
    throw bad_request(fmt::format(
        "The parameter 'attributeSet' must be one of 'full', 'basic', not {}.", json_text(*it)));
  }
  const auto& value = it->get_ref<const std::string&>();
  if (value == "full") return model::AttributeSet::full;
  if (value == "basic") return model::AttributeSet::basic;
  if (value == "unknownFutureValue") {
    throw bad_request(
        "The value 'unknownFutureValue' of the parameter 'attributeSet' is an evolvable-enum sentinel "
        "and cannot be requested; use 'full' or 'basic'.");
  }
  throw bad_request(fmt::format(
      "The value '{}' is not valid for the parameter 'attributeSet'; use 'full' or 'basic'.", value));
}

void reject_unknown_parameters(const json& body, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : body.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw bad_request(fmt::format(
          "The parameter '{}' in the request payload is not a valid parameter for the operation 'export'.",
          name));
    }
  }
}

}  // namespace

model::ExportRequest parse_export_request(model::ExportKind kind, model::ApiVersion version,
                                          std::string_view content_type, std::string_view body) {
  require_json_content_type(content_type);
  const json object = parse_object(body);

  model::ExportRequest request;
  request.kind = kind;
  request.version = version;
  switch (kind) {
    case model::ExportKind::billed_reconciliation:
      reject_unknown_parameters(object, {"invoiceId", "attributeSet"});
      request.invoice_id = required_string(object, "invoiceId");
      request.attribute_set = attribute_set(object);
      break;
  }
  return request;
}

}  // namespace graphfake::domain
