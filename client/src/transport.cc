#include "transport.h"

#include <httplib.h>

#include <exception>

#include "url.h"

namespace graphfake::client::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

HttpResponse head_of(const httplib::Response& response) {
  HttpResponse head;
  head.status = response.status;
  for (const auto& [name, value] : response.headers) head.headers.emplace_back(name, value);
  return head;
}

httplib::Headers to_httplib(const Headers& headers) {
  httplib::Headers out;
  for (const auto& [name, value] : headers) out.emplace(name, value);
  return out;
}

constexpr const char* kUserAgent = "graphfake-reference-client/0.1";

constexpr const char* kNoClient = "no connection possible (https needs httplib built with OpenSSL)";

Outcome unusable(std::string failure) {
  Outcome outcome;
  outcome.failure = std::move(failure);
  outcome.worth_retrying = false;
  return outcome;
}

void record_failure(Outcome& outcome, httplib::Error error) {
  outcome.failure = httplib::to_string(error);
  // A certificate that failed to verify or load fails the same way next time.
  outcome.worth_retrying = error != httplib::Error::SSLServerVerification && error != httplib::Error::SSLLoadingCerts;
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

Transport::Transport(TransportOptions options) : options_(std::move(options)) {}

Transport::~Transport() = default;

httplib::Client* Transport::client_for(const Url& url) {
  auto& client = clients_[url.origin];
  if (!client) {
    client = std::make_unique<httplib::Client>(url.origin);
    if (!client->is_valid()) {
      clients_.erase(url.origin);
      return nullptr;
    }
    client->set_connection_timeout(options_.connect_timeout);
    client->set_read_timeout(options_.read_timeout);
    client->set_write_timeout(options_.read_timeout);
    client->set_keep_alive(true);
    client->set_default_headers({{"User-Agent", kUserAgent}});
    // URLs come from the service already percent-encoded (a SAS signature
    // has %2B and %3D in it); encoding them again would break them.
    client->set_url_encode(false);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (!options_.ca_cert_file.empty()) client->set_ca_cert_path(options_.ca_cert_file);
    client->enable_server_certificate_verification(options_.verify_certificate);
#endif
  }
  return client.get();
}

Outcome Transport::get(const std::string& url, const Headers& headers, const BodyStream* stream) {
  const auto parts = split_url(url);
  if (!parts) return unusable("not an absolute http(s) URL");
  auto* client = client_for(*parts);
  if (!client) return unusable(kNoClient);
  Outcome outcome;

  std::exception_ptr thrown;
  auto on_response = [&](const httplib::Response& response) {
    outcome.response = head_of(response);
    if (!stream || !is_success(response.status)) return true;
    try {
      stream->on_head(*outcome.response);
      return true;
    } catch (...) {
      thrown = std::current_exception();
      return false;
    }
  };
  auto on_bytes = [&](const char* data, std::size_t size) {
    if (!stream || !is_success(outcome.response->status)) {
      outcome.response->body.append(data, size);
      return true;
    }
    try {
      stream->on_bytes(std::string_view(data, size));
      return true;
    } catch (...) {
      thrown = std::current_exception();
      return false;
    }
  };
  auto result = client->Get(parts->target, to_httplib(headers), on_response, on_bytes);
  if (thrown) {
    // The connection is mid-body; a new request must not reuse it.
    client->stop();
    std::rethrow_exception(thrown);
  }
  outcome.complete = static_cast<bool>(result);
  if (!outcome.complete) record_failure(outcome, result.error());
  return outcome;
}

Outcome Transport::post(const std::string& url, const Headers& headers, const std::string& body,
                        const std::string& content_type) {
  const auto parts = split_url(url);
  if (!parts) return unusable("not an absolute http(s) URL");
  auto* client = client_for(*parts);
  if (!client) return unusable(kNoClient);
  Outcome outcome;
  auto result = client->Post(parts->target, to_httplib(headers), body, content_type);
  if (!result) {
    record_failure(outcome, result.error());
    return outcome;
  }
  outcome.response = head_of(*result);
  outcome.response->body = result->body;
  outcome.complete = true;
  return outcome;
}

}  // namespace graphfake::client::detail
