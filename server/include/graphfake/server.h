#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "graphfake/admin.h"
#include "graphfake/options.h"

namespace graphfake {

// The fake Microsoft Graph partner-billing service, in-process.
//
//   graphfake::Server fake;                      // listening when this returns
//   auto url = fake.base_url() + "/v1.0/reports/partners/billing/...";
//   // ... point the client under test at url, with graphfake::make_token()
//
// Each Server owns its state: several in one process share nothing.
class Server {
 public:
  // Binds and starts serving before it returns; throws std::runtime_error
  // naming the address when it cannot listen (e.g. the port is taken), or
  // naming the file when a TLS certificate or key cannot be used, and
  // std::invalid_argument naming an option that cannot work.
  explicit Server(Options options = {});
  ~Server();  // stops and joins

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "http://127.0.0.1:<port>" ("https://…" when serving TLS), no trailing
  // slash.
  const std::string& base_url() const;
  std::uint16_t port() const;

  // Set the fake up, drive its clock and read its journal (graphfake/admin.h).
  Admin& admin();

  // Closes the listener and every open connection, then waits for in-flight
  // requests. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphfake
