#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace graphfake::core {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A Graph error as the domain raises it; the HTTP layer renders it once into
// {"error":{"code","message","innerError":{...}}}.
class GraphError : public std::runtime_error {
 public:
  GraphError(int status, std::string code, std::string message, HeaderList headers = {})
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        headers_(std::move(headers)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  std::string message() const { return what(); }
  const HeaderList& headers() const { return headers_; }

 private:
  int status_;
  std::string code_;
  HeaderList headers_;
};

inline GraphError bad_request(std::string message) {
  return GraphError(400, "BadRequest", std::move(message));
}

inline GraphError item_not_found(std::string message) {
  return GraphError(404, "itemNotFound", std::move(message));
}

// What the predecessor API answered for an operation or manifest past its
// time (Partner Center's Invoicing and reconciliation API v2 (beta), see
// docs/sources.md): the client must start a new export.
inline GraphError gone(std::string message) { return GraphError(410, "gone", std::move(message)); }

}  // namespace graphfake::core
