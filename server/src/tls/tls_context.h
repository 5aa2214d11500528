#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace graphfake::tls {

struct TlsContextDeleter {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
using TlsContext = std::unique_ptr<SSL_CTX, TlsContextDeleter>;

// A server context serving `certificate_file` (a PEM chain, the server's
// certificate first) with `private_key_file`, at TLS 1.2 or later, as Graph
// itself requires. Throws std::runtime_error naming the file at fault and
// OpenSSL's reason.
TlsContext make_tls_context(const std::string& certificate_file, const std::string& private_key_file);

}  // namespace graphfake::tls
