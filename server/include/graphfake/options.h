#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graphfake/clock.h"
#include "graphfake/dialect.h"

namespace graphfake {

// Everything a Server is configured with. The zero value works: an
// ephemeral port on loopback, seed 1, the system clock.
struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = any free port; read it back with Server::port()

  // Every id, SAS signature and data row derives from it: the same seed and
  // the same requests give the same responses and the same blob bytes.
  std::uint64_t seed = 1;

  // Bearer tokens accepted as they are, and then no others. Empty: any
  // JWT-shaped token granting PartnerBilling.Read.All is accepted (see
  // make_token); signatures are never checked.
  std::vector<std::string> accepted_tokens{};

  // Null means the system clock.
  std::shared_ptr<Clock> clock{};

  // The partner's Entra tenant id shown in manifests and blob paths; empty
  // means one derived from the seed.
  std::string partner_tenant_id{};

  // Scenario files or directories (every *.json in them), in match order.
  // Any error in any file makes the constructor throw graphfake::ScenarioError.
  std::vector<std::string> scenario_paths{};

  // What an export gets where no scenario rule says otherwise.
  std::uint64_t rows_per_export = 250;
  std::uint64_t rows_per_blob = 100;
  std::chrono::seconds retry_after{1};

  // Connections served at once, each on a thread of its own while it is
  // open (idle keep-alive connections included). One more is answered 503
  // with Retry-After and closed at once.
  std::size_t max_connections = 1024;
  // How long an idle keep-alive connection stays open. stop() closes idle
  // connections at once whatever this is.
  std::chrono::seconds keep_alive_timeout{5};
  // A request's head and body must arrive within this of its first byte
  // (else 408 and the connection closes), and a new connection must start
  // its first request within it: a client trickling bytes cannot hold a
  // connection for long.
  std::chrono::milliseconds request_timeout{10'000};

  // Serve https (and say https:// in base_url, Location and every URL in a
  // body). Without certificate files, the Server makes a certificate
  // authority of its own and a certificate it signed for `host`, localhost,
  // 127.0.0.1 and ::1 when it starts (make_local_certificates,
  // graphfake/tls.h), and writes ca.pem, cert.pem and key.pem into
  // tls_directory: clients trust Server::tls_ca_file().
  bool tls = false;
  // Where tls puts what it makes, created when missing and left in place.
  // Empty: a new private temporary directory, removed when the Server is
  // destroyed. Only with tls and without certificate files.
  std::string tls_directory{};

  // Set both to serve https with these, whether or not tls is set: a PEM
  // certificate chain, the server's certificate first, and its PEM private
  // key. graphfake/tls.h makes throw-away ones.
  std::string tls_certificate_file{};
  std::string tls_private_key_file{};

  // When set, the admin API over HTTP (/_graphfake/...) needs
  // "Authorization: Bearer <admin_token>". Server::admin() never does.
  std::string admin_token{};

  // Requests each namespace's journal keeps (Admin::journal), and the bytes
  // the journals of every namespace may take together (Admin::journal_bytes
  // counts one's); past the count the oldest are dropped and counted, past
  // the bytes the oldest of the journal holding the most. Each journal
  // keeps its latest entry, so the bytes may pass this by one entry (at
  // most about 170 KiB) per namespace.
  std::size_t journal_capacity = 10'000;
  std::size_t journal_byte_capacity = 64 * 1024 * 1024;

  // Operations kept (with their manifests and blobs). Past this, starting an
  // export evicts the oldest finished operation (one a poll or force saw
  // succeed or fail), or the oldest of all when none has finished. Polling
  // an evicted operation or reading its manifest is 410 Gone; its blobs are
  // 404 BlobNotFound.
  std::size_t max_operations = 100'000;
  // Blobs the manifests of the operations kept may list together: one
  // export may have up to 100 000, and each indexed blob keeps its index.
  // Past this, publishing a manifest evicts the oldest finished operations
  // (never the one publishing) as above.
  std::size_t max_blobs = 1'000'000;

  // Over HTTP, {"paths": [...]} loads scenario files from this directory
  // and below (paths relative to it, or absolute inside it; neither ".."
  // nor a symbolic link leads out). Empty: loading by path over HTTP is
  // refused (403). Admin::load_scenario_files is not confined.
  std::string scenario_root{};

  // Where the real service's behaviour is unknown, which answer to give.
  Dialect dialect{};
};

}  // namespace graphfake
