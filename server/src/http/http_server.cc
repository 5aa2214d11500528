#include "http/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <atomic>
#include <stdexcept>
#include <thread>

#include "http/connections.h"
#include "http/routes.h"

namespace graphfake::http {
namespace {

// httplib listens with a backlog of 5, which drops connections under a burst
// of parallel clients; widen it once bound. The listening socket is a
// protected member of httplib::Server (plain or TLS), reached here the way
// any derived class may.
void widen_backlog(httplib::Server& server) {
  struct Access : httplib::Server {
    static socket_t listening_socket(const httplib::Server& base) { return base.*&Access::svr_sock_; }
  };
  ::listen(Access::listening_socket(server), SOMAXCONN);
}

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

// httplib's own loader reports a bad certificate or key only as
// is_valid() == false; loading them here names the file at fault.
std::unique_ptr<httplib::Server> tls_server(const Options& options) {
  const std::string& certificate = options.tls_certificate_file;
  const std::string& key = options.tls_private_key_file;
  std::string problem;
  auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& context) {
    // httplib's own loader's settings, but with TLS 1.2 at least, as Graph
    // itself requires: a client that only works with older TLS fails here too.
    SSL_CTX_set_options(&context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
    SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_chain_file(&context, certificate.c_str()) != 1) {
      problem = fmt::format("cannot use the TLS certificate file '{}': {}", certificate, openssl_error());
    } else if (SSL_CTX_use_PrivateKey_file(&context, key.c_str(), SSL_FILETYPE_PEM) != 1) {
      problem = fmt::format("cannot use the TLS private key file '{}': {}", key, openssl_error());
    } else if (SSL_CTX_check_private_key(&context) != 1) {
      // Loading checks a key against a certificate of its own type only; a
      // key of another type (RSA for an EC certificate) is caught here.
      ERR_clear_error();
      problem = fmt::format("the TLS private key file '{}' does not match the certificate in '{}'", key, certificate);
    }
    return problem.empty();
  });
  if (!server->is_valid()) {
    throw std::runtime_error(problem.empty() ? "cannot create a TLS context: " + openssl_error() : problem);
  }
  return server;
}

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<httplib::Server> server;
  std::string scheme;
  std::uint16_t port = 0;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
  std::atomic<bool> stopped{false};
};

HttpServer::HttpServer(const Options& options, domain::NamespaceRegistry& registry)
    : impl_(std::make_unique<Impl>()) {
  const bool tls = !options.tls_certificate_file.empty();
  impl_->server = tls ? tls_server(options) : std::make_unique<httplib::Server>();
  impl_->scheme = tls ? "https" : "http";
  auto& server = *impl_->server;
  const std::size_t threads = std::max<std::size_t>(1, options.worker_threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Without TCP_NODELAY every keep-alive response waits ~40 ms on Nagle +
  // delayed ACK; the default of 5 requests per connection forces reconnects.
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(options.keep_alive_timeout.count());
  server.set_payload_max_length(1024 * 1024);
  // httplib's default also sets SO_REUSEPORT, which lets a second fake bind a
  // port that is in use and silently share its traffic; a busy port must fail.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  install_routes(server, registry, impl_->scheme);

  const int bound = options.port == 0 ? server.bind_to_any_port(options.host)
                                      : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (bound <= 0) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", options.host, options.port,
                                         errno != 0 ? std::strerror(errno) : "bind failed"));
  }
  widen_backlog(server);
  impl_->port = static_cast<std::uint16_t>(bound);
  impl_->thread = std::thread([this] {
    impl_->server->listen_after_bind();
    impl_->listen_returned = true;
  });
  // httplib's stop() is a no-op until the accept loop runs; wait the few
  // microseconds for it so a stop() right after construction is not lost.
  while (!impl_->server->is_running() && !impl_->listen_returned) std::this_thread::yield();
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }

const std::string& HttpServer::scheme() const { return impl_->scheme; }

void HttpServer::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->server->stop();
  // httplib's stop() closes only the listener; a worker waiting on an idle
  // keep-alive connection would hold the join for up to the keep-alive
  // timeout. Shutting down the read side wakes it at once (its next read
  // sees EOF) while a response already being written still completes.
  shut_down_reads(impl_->port);
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace graphfake::http
