#include "http/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
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
// of parallel clients; widen it once bound.
class Listener final : public httplib::Server {
 public:
  void widen_backlog() { ::listen(svr_sock_, SOMAXCONN); }
};

}  // namespace

struct HttpServer::Impl {
  Listener server;
  std::uint16_t port = 0;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
  std::atomic<bool> stopped{false};
};

HttpServer::HttpServer(const Options& options, domain::BillingService& service) : impl_(std::make_unique<Impl>()) {
  auto& server = impl_->server;
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
  install_routes(server, service);

  const int bound = options.port == 0 ? server.bind_to_any_port(options.host)
                                      : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (bound <= 0) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {}", options.host, options.port,
                                         errno != 0 ? std::strerror(errno) : "bind failed"));
  }
  server.widen_backlog();
  impl_->port = static_cast<std::uint16_t>(bound);
  impl_->thread = std::thread([this] {
    impl_->server.listen_after_bind();
    impl_->listen_returned = true;
  });
  // httplib's stop() is a no-op until the accept loop runs; wait the few
  // microseconds for it so a stop() right after construction is not lost.
  while (!impl_->server.is_running() && !impl_->listen_returned) std::this_thread::yield();
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->server.stop();
  // httplib's stop() closes only the listener; a worker waiting on an idle
  // keep-alive connection would hold the join for up to the keep-alive
  // timeout. Shutting down the read side wakes it at once (its next read
  // sees EOF) while a response already being written still completes.
  shut_down_reads(impl_->port);
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace graphfake::http
