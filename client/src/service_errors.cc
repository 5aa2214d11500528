#include "service_errors.h"

#include <nlohmann/json.hpp>

namespace graphfake::client::detail {
namespace {

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string xml_element(const std::string& body, const std::string& name) {
  const auto open = body.find("<" + name + ">");
  if (open == std::string::npos) return {};
  const auto start = open + name.size() + 2;
  const auto close = body.find("</" + name + ">", start);
  return close == std::string::npos ? std::string() : body.substr(start, close - start);
}

}  // namespace

bool is_retryable(Service service, int status) {
  switch (status) {
    case 429:
    case 503:
    case 504:
      return true;
    case 408:
    case 500:
    case 502:
      return service == Service::storage;
    default:
      return false;
  }
}

GraphError graph_error(const std::string& url, const HttpResponse& response, const std::string& client_request_id) {
  std::string code;
  std::string message;
  std::string request_id = response.header("request-id");
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& error = body["error"];
    code = string_at(error, "code");
    message = string_at(error, "message");
    // Graph's docs spell it both ways.
    for (const char* inner : {"innerError", "innererror"}) {
      if (request_id.empty() && error.contains(inner) && error[inner].is_object()) {
        request_id = string_at(error[inner], "request-id");
      }
    }
  } else {
    // Not the envelope (a proxy's page, say): the start of it still helps.
    message = response.body.substr(0, 200);
  }
  return GraphError(url, response.status, code, message, request_id, client_request_id);
}

StorageError storage_error(const std::string& url, const HttpResponse& response) {
  std::string code = response.header("x-ms-error-code");
  if (code.empty()) code = xml_element(response.body, "Code");
  return StorageError(url, response.status, code, xml_element(response.body, "Message"),
                      response.header("x-ms-request-id"));
}

}  // namespace graphfake::client::detail
