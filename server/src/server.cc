#include "graphfake/server.h"

#include <fmt/format.h>

#include "domain/billing_service.h"
#include "http/http_server.h"

namespace graphfake {

struct Server::Impl {
  // Scripted delays are cut short first, so that stopping never waits one out.
  ~Impl() {
    service.stop_holding();
    http.stop();
  }

  explicit Impl(const Options& options) : service(options), http(options, service) {
    const bool ipv6 = options.host.find(':') != std::string::npos;
    base_url = ipv6 ? fmt::format("{}://[{}]:{}", http.scheme(), options.host, http.port())
                    : fmt::format("{}://{}:{}", http.scheme(), options.host, http.port());
  }

  domain::BillingService service;
  http::HttpServer http;
  std::string base_url;
};

Server::Server(Options options) : impl_(std::make_unique<Impl>(options)) {}

Server::~Server() = default;

const std::string& Server::base_url() const { return impl_->base_url; }

std::uint16_t Server::port() const { return impl_->http.port(); }

void Server::stop() {
  impl_->service.stop_holding();
  impl_->http.stop();
}

}  // namespace graphfake
