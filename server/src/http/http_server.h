#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "domain/namespace_registry.h"
#include "graphfake/options.h"

namespace graphfake::http {

// The listening side: binds, serves the routes on a thread pool, and stops
// promptly even while clients hold keep-alive connections open.
class HttpServer {
 public:
  // Listening when it returns; throws std::runtime_error if it cannot bind,
  // or naming the file when the TLS certificate or key cannot be used.
  HttpServer(const Options& options, domain::NamespaceRegistry& registry);
  ~HttpServer();

  std::uint16_t port() const;
  // "https" when options name a TLS certificate and key, else "http".
  const std::string& scheme() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphfake::http
