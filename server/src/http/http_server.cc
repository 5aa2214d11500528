#include "http/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "http/connection.h"
#include "tls/tls_context.h"
#include "http/transport.h"
#include "http/worker_pool.h"

namespace graphfake::http {
namespace {

// How long stop() lets requests being answered finish before it cuts their
// connections.
constexpr std::chrono::milliseconds kStopGrace{1'000};

// Binds a listening socket for `host` (a name or an address) and `port`
// (0: any free one).
int listen_on(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const auto service = std::to_string(port);
  if (const int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); status != 0) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", host, port, ::gai_strerror(status)));
  }
  int error = 0;
  int listener = -1;
  for (const addrinfo* address = found; address != nullptr && listener < 0; address = address->ai_next) {
    const int candidate = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (candidate < 0) {
      error = errno;
      continue;
    }
    // SO_REUSEADDR lets a restarted fake take its port back at once; not
    // SO_REUSEPORT, which would let a second fake share a busy port.
    const int yes = 1;
    ::setsockopt(candidate, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(candidate, address->ai_addr, address->ai_addrlen) == 0 && ::listen(candidate, SOMAXCONN) == 0) {
      listener = candidate;
    } else {
      error = errno;
      ::close(candidate);
    }
  }
  ::freeaddrinfo(found);
  if (listener < 0) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", host, port, std::strerror(error)));
  }
  return listener;
}

std::uint16_t port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  return 0;
}

ConnectionInfo local_end(int socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  ConnectionInfo info;
  if (::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return info;
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw = address.ss_family == AF_INET6
                        ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr)
                        : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(&address)->sin_addr);
  if (::inet_ntop(address.ss_family, raw, text, sizeof text) != nullptr) info.local_address = text;
  info.local_port = port_of(address);
  return info;
}

ConnectionLimits limits_from(const Options& options) {
  ConnectionLimits limits;
  limits.request_timeout = options.request_timeout;
  limits.keep_alive_timeout = options.keep_alive_timeout;
  return limits;
}

}  // namespace

struct HttpServer::Impl {
  Impl(const Options& options, RequestHandler& handler)
      : handler(handler),
        limits(limits_from(options)),
        max_connections(options.max_connections),
        pool(options.max_connections) {}

  void accept_loop();
  void serve(int socket, std::uint64_t id);
  void refuse(int socket);
  // Applies `how` (SHUT_RD, SHUT_RDWR) to every open connection. Sockets
  // are closed under the same lock, so this never touches a reused number.
  void shut_down_connections(int how);

  RequestHandler& handler;
  const ConnectionLimits limits;
  const std::size_t max_connections;
  tls::TlsContext tls;
  std::string scheme = "http";
  int listener = -1;
  int wake = -1;  // an eventfd that ends the accept loop
  std::uint16_t port = 0;
  std::thread acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> refused{0};

  std::mutex open_mutex;
  std::unordered_map<std::uint64_t, int> open;  // connection number → socket
  std::uint64_t next_id = 0;

  // Last: destroyed first, so no task outlives what it uses.
  WorkerPool pool;
};

void HttpServer::Impl::accept_loop() {
  while (!stopping) {
    pollfd watched[2] = {{listener, POLLIN, 0}, {wake, POLLIN, 0}};
    if (::poll(watched, 2, -1) < 0 && errno != EINTR) return;
    if (stopping) return;
    if ((watched[0].revents & POLLIN) == 0) continue;
    const int socket = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (socket < 0) {
      // Out of descriptors or memory: wait for connections to close rather
      // than spin on a listener that stays readable.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      continue;
    }
    ++accepted;
    // Without it every keep-alive response waits ~40 ms on Nagle + delayed ACK.
    const int yes = 1;
    ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    std::uint64_t id = 0;
    {
      std::lock_guard lock(open_mutex);
      id = next_id++;
      open.emplace(id, socket);
    }
    if (!pool.try_run([this, socket, id] { serve(socket, id); })) {
      {
        std::lock_guard lock(open_mutex);
        open.erase(id);
      }
      refuse(socket);
    }
  }
}

void HttpServer::Impl::serve(int socket, std::uint64_t id) {
  {
    auto transport = tls ? tls_transport(socket, *tls) : plain_transport(socket);
    serve_connection(*transport, handler, limits, local_end(socket), stopping);
  }
  std::lock_guard lock(open_mutex);
  open.erase(id);
  ::close(socket);
}

// At the cap a connection is answered at once rather than left waiting: the
// client sees why and when to come back, and the journal shows the refusal.
void HttpServer::Impl::refuse(int socket) {
  ++refused;
  // What the client already sent is read first (one buffer, not more: this
  // is the accepting thread), so that closing does not reset the connection
  // under the answer.
  char discard[16 * 1024];
  (void)::recv(socket, discard, sizeof discard, MSG_DONTWAIT);
  if (!tls) {
    Request unread;
    auto answer = handler.answer_problem(
        unread, {503, fmt::format("graphfake is serving its maximum of {} connections (max_connections); close idle "
                                  "connections or retry after a second",
                                  max_connections)});
    answer.set_header("Retry-After", "1");
    const auto bytes = response_head(answer, answer.body.size(), 1, false) + answer.body;
    (void)::send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  // A TLS client cannot read a plain answer: it sees the connection close.
  ::shutdown(socket, SHUT_WR);
  ::close(socket);
}

void HttpServer::Impl::shut_down_connections(int how) {
  std::lock_guard lock(open_mutex);
  for (const auto& [id, socket] : open) ::shutdown(socket, how);
}

HttpServer::HttpServer(const Options& options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(options, handler)) {
  if (!options.tls_certificate_file.empty()) {
    impl_->tls = tls::make_tls_context(options.tls_certificate_file, options.tls_private_key_file);
    impl_->scheme = "https";
  }
  impl_->listener = listen_on(options.host, options.port);
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(impl_->listener, reinterpret_cast<sockaddr*>(&bound), &length);
  impl_->port = port_of(bound);
  impl_->wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl_->wake < 0) {
    ::close(impl_->listener);
    throw std::runtime_error(fmt::format("cannot create an eventfd: {}", std::strerror(errno)));
  }
  impl_->acceptor = std::thread([impl = impl_.get()] { impl->accept_loop(); });
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }

const std::string& HttpServer::scheme() const { return impl_->scheme; }

HttpServer::Connections HttpServer::connections() const {
  return Connections{impl_->pool.running(), impl_->accepted.load(), impl_->refused.load()};
}

void HttpServer::stop() {
  if (impl_->stopping.exchange(true)) return;
  const std::uint64_t one = 1;
  (void)::write(impl_->wake, &one, sizeof one);
  impl_->acceptor.join();
  ::close(impl_->listener);
  ::close(impl_->wake);
  // Idle connections wake at once (their next read sees the end); a
  // request being answered finishes, unless its client will not take it.
  impl_->shut_down_connections(SHUT_RD);
  if (!impl_->pool.wait_idle(kStopGrace)) impl_->shut_down_connections(SHUT_RDWR);
  impl_->pool.stop();
}

}  // namespace graphfake::http
