#include "tls/tls_context.h"

#include <fmt/format.h>
#include <openssl/err.h>

#include <cstring>
#include <stdexcept>

namespace graphfake::tls {
namespace {

// The first error OpenSSL queued, which is the cause ("No such file or
// directory", "no start line", "key values mismatch"), clearing the queue.
std::string openssl_error() {
  const char* data = nullptr;
  int flags = 0;
  const unsigned long code = ERR_peek_error_data(&data, &flags);
  std::string text;
  if (code == 0) {
    text = "unknown OpenSSL error";
  } else if (ERR_SYSTEM_ERROR(code)) {
    text = std::strerror(ERR_GET_REASON(code));  // its data is only "calling fopen(...)"
  } else {
    const char* reason = ERR_reason_error_string(code);
    text = reason != nullptr ? reason : fmt::format("OpenSSL error {:#x}", code);
    if ((flags & ERR_TXT_STRING) != 0 && data != nullptr && *data != '\0') text += fmt::format(" ({})", data);
  }
  ERR_clear_error();
  return text;
}

}  // namespace

TlsContext make_tls_context(const std::string& certificate_file, const std::string& private_key_file) {
  ERR_clear_error();
  TlsContext context(SSL_CTX_new(TLS_server_method()));
  if (!context) throw std::runtime_error("cannot create a TLS context: " + openssl_error());
  SSL_CTX_set_options(context.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  // Writes resume with the same buffer after a partial write; idle
  // connections give their buffers back, which matters with a thousand open.
  SSL_CTX_set_mode(context.get(),
                   SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(context.get(), certificate_file.c_str()) != 1) {
    throw std::runtime_error(
        fmt::format("cannot use the TLS certificate file '{}': {}", certificate_file, openssl_error()));
  }
  if (SSL_CTX_use_PrivateKey_file(context.get(), private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    throw std::runtime_error(
        fmt::format("cannot use the TLS private key file '{}': {}", private_key_file, openssl_error()));
  }
  // Loading checks a key against a certificate of its own type only; a key
  // of another type (RSA for an EC certificate) is caught here.
  if (SSL_CTX_check_private_key(context.get()) != 1) {
    ERR_clear_error();
    throw std::runtime_error(fmt::format("the TLS private key file '{}' does not match the certificate in '{}'",
                                         private_key_file, certificate_file));
  }
  return context;
}

}  // namespace graphfake::tls
