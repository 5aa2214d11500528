#include "graphfake/server.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "namespaces/namespace_registry.h"
#include "graphfake/tls.h"
#include "http/http_server.h"
#include "namespaces/namespace_routing.h"
#include "http/routes.h"

namespace graphfake {
namespace {

// A new directory in the temporary directory, readable by its owner only,
// removed with its contents.
class PrivateTemporaryDirectory {
 public:
  PrivateTemporaryDirectory() : path_((std::filesystem::temp_directory_path() / "graphfake-tls-XXXXXX").string()) {
    if (::mkdtemp(path_.data()) == nullptr) {
      throw std::runtime_error(fmt::format("cannot create the directory '{}': {}", path_, std::strerror(errno)));
    }
  }
  ~PrivateTemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  PrivateTemporaryDirectory(const PrivateTemporaryDirectory&) = delete;
  PrivateTemporaryDirectory& operator=(const PrivateTemporaryDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The certificate and key the server loads: the ones Options names, or, with
// Options::tls and none named, a local authority's made at start.
class ServedCertificates {
 public:
  explicit ServedCertificates(const Options& options) {
    auto fail = [](const char* message) { throw std::invalid_argument(std::string("graphfake::Options: ") + message); };
    const bool files_given = !options.tls_certificate_file.empty() || !options.tls_private_key_file.empty();
    if (!options.tls_directory.empty() && !options.tls) fail("tls_directory is set but tls is not");
    if (!options.tls_directory.empty() && files_given) {
      fail("tls_directory is where tls writes the certificates it makes, so it cannot be combined with "
           "tls_certificate_file and tls_private_key_file");
    }
    if (!options.tls || files_given) return;
    if (options.tls_directory.empty()) temporary_directory_.emplace();
    made_ = write_local_certificates(make_local_certificates(options.host),
                                     temporary_directory_ ? temporary_directory_->path() : options.tls_directory);
  }

  Options applied_to(Options options) const {
    if (!made_.certificate_file.empty()) {
      options.tls_certificate_file = made_.certificate_file;
      options.tls_private_key_file = made_.private_key_file;
    }
    return options;
  }

  const std::string& ca_file() const { return made_.ca_file; }

 private:
  std::optional<PrivateTemporaryDirectory> temporary_directory_;
  LocalCertificateFiles made_;  // empty unless made here
};

}  // namespace

struct Server::Impl {
  // Scripted delays and long computations are cut short first, so that
  // stopping never waits one out.
  ~Impl() {
    registry.stop();
    http.stop();
  }

  explicit Impl(const Options& options)
      : registry(options),
        admin(registry.find(namespaces::NamespaceRegistry::kDefaultName)),
        certificates(options),
        served(certificates.applied_to(options)),
        routes(http::make_routes(registry, served.tls_certificate_file.empty() ? "http" : "https")),
        http(served, *routes) {
    const bool ipv6 = options.host.find(':') != std::string::npos;
    base_url = ipv6 ? fmt::format("{}://[{}]:{}", http.scheme(), options.host, http.port())
                    : fmt::format("{}://{}:{}", http.scheme(), options.host, http.port());
  }

  namespaces::NamespaceRegistry registry;
  LocalAdmin admin;
  ServedCertificates certificates;
  Options served;  // the options with the certificate files in use
  std::unique_ptr<http::RequestHandler> routes;
  http::HttpServer http;
  std::string base_url;
};

Server::Server(Options options) : impl_(std::make_unique<Impl>(options)) {}

Server::~Server() = default;

const std::string& Server::base_url() const { return impl_->base_url; }

std::string Server::base_url(const std::string& name) const {
  if (name == namespaces::NamespaceRegistry::kDefaultName) return impl_->base_url;
  if (!impl_->registry.find(name)) {
    throw AdminError(404, "namespaceNotFound", fmt::format("There is no namespace '{}'.", name));
  }
  return impl_->base_url + std::string(namespaces::kNamespacePrefix) + name;
}

std::uint16_t Server::port() const { return impl_->http.port(); }

const std::string& Server::tls_ca_file() const { return impl_->certificates.ca_file(); }

LocalAdmin& Server::admin() { return impl_->admin; }

LocalAdmin Server::admin(const std::string& name) {
  auto fake = impl_->registry.find(name);
  if (!fake) throw AdminError(404, "namespaceNotFound", fmt::format("There is no namespace '{}'.", name));
  return LocalAdmin(std::move(fake));
}

LocalAdmin Server::create_namespace(const std::string& name) { return LocalAdmin(impl_->registry.create(name)); }

ClientReport Server::delete_namespace(const std::string& name) { return impl_->registry.remove(name); }

std::vector<std::pair<std::string, ClientReport>> Server::deleted_namespace_reports() const {
  std::vector<std::pair<std::string, ClientReport>> reports;
  for (auto& [name, report] : impl_->registry.retired()) reports.emplace_back(std::move(name), std::move(report));
  return reports;
}

std::vector<std::string> Server::namespaces() const { return impl_->registry.names(); }

void Server::stop() {
  impl_->registry.stop();
  impl_->http.stop();
}

}  // namespace graphfake
