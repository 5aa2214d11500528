#include "domain/export_validation.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <span>
#include <utility>

#include "core/excerpt.h"
#include "core/graph_error.h"
#include "core/json_input.h"
#include "core/strings.h"
#include "model/currency.h"
#include "model/export_kinds.h"

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
                          core::text_excerpt(content_type)));
  }
}

json parse_object(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw bad_request("The request body is empty; export actions take a JSON object.");
  }
  auto parsed = core::read_json(body, core::kRequestBodyLimits);
  if (const auto* problem = std::get_if<core::JsonProblem>(&parsed)) {
    throw bad_request(fmt::format("The request body is not valid JSON: {}.", problem->reason));
  }
  auto& object = std::get<json>(parsed);
  if (!object.is_object()) {
    throw bad_request(fmt::format("The request body must be a JSON object, not {}.", object.type_name()));
  }
  return std::move(object);
}

// The body's parameters under their documented names. Matching without
// regard to case, two spellings of one name are ambiguous and refused.
using Parameters = std::map<std::string_view, const json*>;

Parameters bind_parameters(const json& body, std::span<const model::RequestField> known, bool ignore_case) {
  Parameters bound;
  std::map<std::string_view, std::string_view> spelled_as;
  for (const auto& [name, value] : body.items()) {
    const auto it = std::find_if(known.begin(), known.end(), [&name = name, ignore_case](model::RequestField field) {
      const auto candidate = model::to_string(field);
      return ignore_case ? core::ascii_lower(candidate) == core::ascii_lower(name) : candidate == name;
    });
    if (it == known.end()) {
      throw bad_request(fmt::format(
          "The parameter '{}' in the request payload is not a valid parameter for the operation 'export'.",
          core::text_excerpt(name)));
    }
    const auto documented = model::to_string(*it);
    if (const auto earlier = spelled_as.find(documented); earlier != spelled_as.end()) {
      throw bad_request(fmt::format("The parameter '{}' is given twice, as '{}' and as '{}'.", documented,
                                    earlier->second, name));
    }
    spelled_as.emplace(documented, name);
    bound.emplace(documented, &value);
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
    throw bad_request(fmt::format("The parameter '{}' must be a string, not {}.", name, core::json_excerpt(parameter)));
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

// An optional or required enum parameter: its documented members, matched
// without regard to case when the dialect says so. `unknownFutureValue` is
// every evolvable enum's sentinel and never a valid request.
template <typename Enum>
std::optional<Enum> enum_parameter(const Parameters& parameters, std::string_view name,
                                   std::initializer_list<std::pair<std::string_view, Enum>> members,
                                   bool ignore_case) {
  const auto it = parameters.find(name);
  if (it == parameters.end()) return std::nullopt;
  std::string listed;
  std::size_t position = 0;
  for (const auto& member : members) {
    const bool last = ++position == members.size();
    listed += fmt::format("{}'{}'", position == 1 ? "" : (last ? " or " : ", "), member.first);
  }
  const json& parameter = *it->second;
  if (!parameter.is_string()) {
    throw bad_request(
        fmt::format("The parameter '{}' must be one of {}, not {}.", name, listed, core::json_excerpt(parameter)));
  }
  const auto& given = parameter.get_ref<const std::string&>();
  const auto spelled = [&](std::string_view text) { return ignore_case ? core::ascii_lower(text) : std::string(text); };
  for (const auto& [member, value] : members) {
    if (spelled(member) == spelled(given)) return value;
  }
  if (spelled(given) == spelled("unknownFutureValue")) {
    throw bad_request(fmt::format(
        "The value 'unknownFutureValue' of the parameter '{}' is an evolvable-enum sentinel and cannot be "
        "requested; use {}.",
        name, listed));
  }
  throw bad_request(fmt::format("The value '{}' is not valid for the parameter '{}'; use {}.", core::text_excerpt(given),
                                name, listed));
}

model::AttributeSet attribute_set(const Parameters& parameters, bool ignore_case) {
  return enum_parameter<model::AttributeSet>(
             parameters, model::to_string(model::RequestField::attribute_set),
             {{"full", model::AttributeSet::full}, {"basic", model::AttributeSet::basic}}, ignore_case)
      .value_or(model::AttributeSet::full);
}

model::BillingPeriod billing_period(const Parameters& parameters, bool ignore_case) {
  const auto name = model::to_string(model::RequestField::billing_period);
  const auto period = enum_parameter<model::BillingPeriod>(
      parameters, name, {{"current", model::BillingPeriod::current}, {"last", model::BillingPeriod::last}},
      ignore_case);
  if (!period) throw bad_request(fmt::format("The parameter '{}' is required for the operation 'export'.", name));
  return *period;
}

// ISO 4217 codes are upper case; a dialect that binds without regard to case
// takes "usd" as well.
std::string currency_code(const Parameters& parameters, bool ignore_case) {
  const auto name = model::to_string(model::RequestField::currency_code);
  const std::string given = required_string(parameters, name);
  const std::string upper = core::ascii_upper(given);
  if (model::is_iso4217_currency(ignore_case ? upper : given)) return upper;
  if (model::is_iso4217_currency(upper)) {
    throw bad_request(fmt::format(
        "The value '{}' is not valid for the parameter '{}'; ISO 4217 codes are upper case: '{}'.", given, name,
        upper));
  }
  throw bad_request(fmt::format(
      "The value '{}' is not valid for the parameter '{}'; use an ISO 4217 currency code such as 'USD'.",
      core::text_excerpt(given), name));
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
  const auto fields = model::describe(kind).request_fields;
  const auto parameters = bind_parameters(object, fields, ignore_case);
  for (const auto field : fields) {
    switch (field) {
      case model::RequestField::invoice_id:
        request.invoice_id = required_string(parameters, model::to_string(field));
        break;
      case model::RequestField::currency_code: request.currency_code = currency_code(parameters, ignore_case); break;
      case model::RequestField::billing_period: request.billing_period = billing_period(parameters, ignore_case); break;
      case model::RequestField::attribute_set: request.attribute_set = attribute_set(parameters, ignore_case); break;
    }
  }
  return request;
}

}  // namespace graphfake::domain
