#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace graphfake::http {

using Deadline = std::chrono::steady_clock::time_point;

// Bytes to and from one accepted connection, plain or TLS, on a
// non-blocking socket: every wait ends at a deadline, so a client that
// stops sending or reading cannot hold its thread for ever.
class Transport {
 public:
  enum class Read { data, closed, timed_out, failed };
  struct ReadResult {
    Read status;
    std::size_t size = 0;  // with Read::data
  };

  virtual ~Transport() = default;
  // The TLS handshake, for a TLS transport; false if it failed or timed out.
  virtual bool start(Deadline) { return true; }
  virtual ReadResult read_some(char* into, std::size_t size, Deadline deadline) = 0;
  // False if the peer went away or took nothing until `deadline`.
  virtual bool write_all(std::string_view bytes, Deadline deadline) = 0;
  // Ends the sending side (TLS close_notify, then FIN); reading goes on.
  virtual void close_write() = 0;
  // Closes both directions at once: the client sees the connection end
  // without an answer.
  virtual void abort() = 0;
};

std::unique_ptr<Transport> plain_transport(int socket);
// `context` must outlive the transport.
std::unique_ptr<Transport> tls_transport(int socket, SSL_CTX& context);

}  // namespace graphfake::http
