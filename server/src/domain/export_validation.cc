#include "domain/export_validation.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

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

// The body's parameters under their documented names. Matching without
// regard to case, two spellings of one name are ambiguous and refused.
using Parameters = std::map<std::string_view, const json*>;

Parameters bind_parameters(const json& body, std::initializer_list<std::string_view> known, bool ignore_case) {
  Parameters bound;
  std::map<std::string_view, std::string_view> spelled_as;
  for (const auto& [name, value] : body.items()) {
    const auto it = std::find_if(known.begin(), known.end(), [&](std::string_view candidate) {
      return ignore_case ? core::ascii_lower(candidate) == core::ascii_lower(name) : candidate == name;
    });
    if (it == known.end()) {
      throw bad_request(fmt::format(
          "The parameter '{}' in the request payload is not a valid parameter for the operation 'export'.",
          name));
    }
    if (const auto earlier = spelled_as.find(*it); earlier != spelled_as.end()) {
      throw bad_request(fmt::format("The parameter '{}' is given twice, as '{}' and as '{}'.", *it, earlier->second,
                                    name));
    }
    spelled_as.emplace(*it, name);
    bound.emplace(*it, &value);
  }
  return bound;
}

std::string required_string(const Parameters& parameters, std::string_view name) {
  const auto it = parameters.find(name);
  if (it == parameters.end()) {
    throw bad_request(fmt::format("The parameter '{}' is required for the operation 'export'.", name));
  }
  const json& parameter = *it->second;
  if (!parameter.is_string()) {
    throw bad_request(fmt::format("The parameter '{}' must be a string, not {}.", name, json_text(parameter)));
  }
  auto value = parameter.get<std::string>();
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

model::AttributeSet attribute_set(const Parameters& parameters, bool ignore_case) {
  const auto it = parameters.find("attributeSet");
  if (it == parameters.end()) return model::AttributeSet::full;
  const json& parameter = *it->second;
  if (!parameter.is_string()) {
    throw bad_request(fmt::format(
        "The parameter 'attributeSet' must be one of 'full', 'basic', not {}.", json_text(parameter)));
  }
  const auto& given = parameter.get_ref<const std::string&>();
  const auto value = ignore_case ? core::ascii_lower(given) : given;
  if (value == "full") return model::AttributeSet::full;
  if (value == "basic") return model::AttributeSet::basic;
  if (value == (ignore_case ? "unknownfuturevalue" : "unknownFutureValue")) {
    throw bad_request(
        "The value 'unknownFutureValue' of the parameter 'attributeSet' is an evolvable-enum sentinel "
        "and cannot be requested; use 'full' or 'basic'.");
  }
  throw bad_request(fmt::format(
      "The value '{}' is not valid for the parameter 'attributeSet'; use 'full' or 'basic'.", given));
}

}  // namespace

model::ExportRequest parse_export_request(model::ExportKind kind, model::ApiVersion version,
                                          std::string_view content_type, std::string_view body,
                                          const Dialect& dialect) {
  require_json_content_type(content_type);
  const json object = parse_object(body);

  const bool ignore_case = dialect.case_insensitive_requests;
  model::ExportRequest request;
  request.kind = kind;
  request.version = version;
  switch (kind) {
    case model::ExportKind::billed_reconciliation: {
      const auto parameters = bind_parameters(object, {"invoiceId", "attributeSet"}, ignore_case);
      request.invoice_id = required_string(parameters, "invoiceId");
      request.attribute_set = attribute_set(parameters, ignore_case);
      break;
    }
  }
  return request;
}

}  // namespace graphfake::domain
