#include "graphfake/server.h"

#include <fmt/format.h>

#include "domain/fake_namespace.h"
#include "http/http_server.h"

namespace graphfake {

struct Server::Impl {
  // Scripted delays are cut short first, so that stopping never waits one out.
  ~Impl() {
    state->stop_holding();
    http.stop();
  }

  explicit Impl(const Options& options)
      : state(std::make_shared<domain::FakeNamespace>(options)), admin(state), http(options, *state, admin) {
    const bool ipv6 = options.host.find(':') != std::string::npos;
    base_url = ipv6 ? fmt::format("{}://[{}]:{}", http.scheme(), options.host, http.port())
                    : fmt::format("{}://{}:{}", http.scheme(), options.host, http.port());
  }

  std::shared_ptr<domain::FakeNamespace> state;
  Admin admin;
  http::HttpServer http;
  std::string base_url;
};

Server::Server(Options options) : impl_(std::make_unique<Impl>(options)) {}

Server::~Server() = default;

const std::string& Server::base_url() const { return impl_->base_url; }

std::uint16_t Server::port() const { return impl_->http.port(); }

Admin& Server::admin() { return impl_->admin; }

void Server::stop() {
  impl_->state->stop_holding();
  impl_->http.stop();
}

}  // namespace graphfake
