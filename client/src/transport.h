#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httplib {
class Client;
}

namespace graphfake::client::detail {

struct Url;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;  // empty when a BodyStream took it

  // The first value of `name`, compared case-insensitively; empty when absent.
  std::string header(std::string_view name) const;
};

inline bool is_success(int status) { return status >= 200 && status < 300; }

// Where a 2xx response's body goes as it arrives, instead of into
// HttpResponse::body. Error bodies are always kept whole, for the error.
struct BodyStream {
  std::function<void(const HttpResponse& head)> on_head;
  std::function<void(std::string_view bytes)> on_bytes;
};

// What one request came to.
struct Outcome {
  std::optional<HttpResponse> response;  // set once the status line and headers arrived
  bool complete = false;                 // and the whole body after them
  std::string failure;                   // why not, when !complete
  bool worth_retrying = true;            // false when trying again cannot help (a certificate, a bad URL)
};

struct TransportOptions {
  std::chrono::milliseconds connect_timeout;
  std::chrono::milliseconds read_timeout;
  std::string ca_cert_file;
  bool verify_certificate;
};

// One request at a time over keep-alive connections, one per origin. It
// never retries; it only says whether a failure could go differently next
// time. The only code that includes httplib.
class Transport {
 public:
  explicit Transport(TransportOptions options);
  ~Transport();

  // An exception thrown by `stream` ends the request, closes its
  // connection, and propagates.
  Outcome get(const std::string& url, const Headers& headers, const BodyStream* stream = nullptr);
  Outcome post(const std::string& url, const Headers& headers, const std::string& body,
               const std::string& content_type);

 private:
  // Null when httplib cannot speak the URL's scheme.
  httplib::Client* client_for(const Url& url);

  TransportOptions options_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;  // by origin
};

}  // namespace graphfake::client::detail
