#include "graphfake/server.h"

#include <fmt/format.h>

#include "domain/namespace_registry.h"
#include "http/http_server.h"
#include "http/namespace_routing.h"

namespace graphfake {

struct Server::Impl {
  // Scripted delays are cut short first, so that stopping never waits one out.
  ~Impl() {
    registry.stop_holding();
    http.stop();
  }

  explicit Impl(const Options& options)
      : registry(options),
        admin(registry.find(domain::NamespaceRegistry::kDefaultName)),
        http(options, registry) {
    const bool ipv6 = options.host.find(':') != std::string::npos;
    base_url = ipv6 ? fmt::format("{}://[{}]:{}", http.scheme(), options.host, http.port())
                    : fmt::format("{}://{}:{}", http.scheme(), options.host, http.port());
  }

  domain::NamespaceRegistry registry;
  Admin admin;
  http::HttpServer http;
  std::string base_url;
};

Server::Server(Options options) : impl_(std::make_unique<Impl>(options)) {}

Server::~Server() = default;

const std::string& Server::base_url() const { return impl_->base_url; }

std::string Server::base_url(const std::string& name) const {
  if (name == domain::NamespaceRegistry::kDefaultName) return impl_->base_url;
  if (!impl_->registry.find(name)) {
    throw AdminError(404, "namespaceNotFound", fmt::format("There is no namespace '{}'.", name));
  }
  return impl_->base_url + std::string(http::kNamespacePrefix) + name;
}

std::uint16_t Server::port() const { return impl_->http.port(); }

Admin& Server::admin() { return impl_->admin; }

Admin Server::admin(const std::string& name) {
  auto fake = impl_->registry.find(name);
  if (!fake) throw AdminError(404, "namespaceNotFound", fmt::format("There is no namespace '{}'.", name));
  return Admin(std::move(fake));
}

Admin Server::create_namespace(const std::string& name) { return Admin(impl_->registry.create(name)); }

ClientReport Server::delete_namespace(const std::string& name) { return impl_->registry.remove(name); }

std::vector<std::pair<std::string, ClientReport>> Server::deleted_namespace_reports() const {
  std::vector<std::pair<std::string, ClientReport>> reports;
  for (auto& [name, report] : impl_->registry.retired()) reports.emplace_back(std::move(name), std::move(report));
  return reports;
}

std::vector<std::string> Server::namespaces() const { return impl_->registry.names(); }

void Server::stop() {
  impl_->registry.stop_holding();
  impl_->http.stop();
}

}  // namespace graphfake
