#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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
  // naming the file when a TLS certificate or key cannot be used or written,
  // and std::invalid_argument naming an option that cannot work.
  explicit Server(Options options = {});
  ~Server();  // stops and joins

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "http://127.0.0.1:<port>" ("https://…" when serving TLS), no trailing
  // slash.
  const std::string& base_url() const;
  std::uint16_t port() const;

  // With Options::tls and no certificate files: the PEM file of the
  // certificate authority that signed the server's certificate, the one
  // thing a client has to trust (httplib's set_ca_cert_path, CURLOPT_CAINFO,
  // SSL_CERT_FILE, NODE_EXTRA_CA_CERTS). Empty otherwise.
  //
  //   graphfake::Server fake({.tls = true});
  //   httplib::Client client(fake.base_url());
  //   client.set_ca_cert_path(fake.tls_ca_file());
  const std::string& tls_ca_file() const;

  // Set the fake up, drive its clock and read its journal (graphfake/admin.h).
  LocalAdmin& admin();

  // Namespaces: isolated fakes behind the same port, for tests that share
  // one server. Each has its own operations, journal, clock and scenario
  // state, and starts as this server started. Clients reach one at
  // base_url(name) (requests under "/_ns/{name}/", or carrying the header
  // "X-Graphfake-Namespace: {name}"); everything else is the default
  // namespace, which is what admin() controls. "default" names it too.
  //
  //   auto shard = fake.create_namespace("shard-1");
  //   client.set_base_url(fake.base_url("shard-1"));
  //   shard.advance_clock(std::chrono::minutes(5));
  //
  // A named namespace has a clock of its own, a copy of the kind the server
  // runs on: a VirtualClock given in Options::clock drives only the default
  // namespace; move a named one's with its Admin.
  //
  // create_namespace throws AdminError: 400 for a name that is not 1 to 64
  // of [A-Za-z0-9._-], 409 when it exists, 256 namespaces do, or the
  // server's Clock is neither a VirtualClock nor a SystemClock. The others
  // throw AdminError 404 for an unknown name (delete_namespace: 400 for
  // "default"). A LocalAdmin is a handle: copies control the same namespace.
  LocalAdmin create_namespace(const std::string& name);
  // Returns what the namespace's clients did (its client report), which the
  // server also keeps: see deleted_namespace_reports().
  ClientReport delete_namespace(const std::string& name);
  std::vector<std::string> namespaces() const;  // the named ones, sorted
  // The reports of deleted namespaces, oldest first (the latest 1024).
  std::vector<std::pair<std::string, ClientReport>> deleted_namespace_reports() const;
  LocalAdmin admin(const std::string& name);
  std::string base_url(const std::string& name) const;  // "default": base_url()

  // Closes the listener and every open connection, then waits for in-flight
  // requests. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphfake
