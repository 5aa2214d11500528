#include "http/transport.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace graphfake::http {
namespace {

enum class Wait { ready, timed_out, failed };

// Waits for `events` on `socket` until `deadline`.
Wait wait_for(int socket, short events, Deadline deadline) {
  while (true) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Wait::timed_out;
    pollfd watched{socket, events, 0};
    const int ready = ::poll(&watched, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60'000)));
    if (ready > 0) return Wait::ready;  // including POLLHUP/POLLERR: the next call says what happened
    if (ready < 0 && errno != EINTR) return Wait::failed;
  }
}

class PlainTransport final : public Transport {
 public:
  explicit PlainTransport(int socket) : socket_(socket) {}

  ReadResult read_some(char* into, std::size_t size, Deadline deadline) override {
    while (true) {
      const auto got = ::recv(socket_, into, size, 0);
      if (got > 0) return {Read::data, static_cast<std::size_t>(got)};
      if (got == 0) return {Read::closed};
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return {Read::failed};
      switch (wait_for(socket_, POLLIN, deadline)) {
        case Wait::ready: break;
        case Wait::timed_out: return {Read::timed_out};
        case Wait::failed: return {Read::failed};
      }
    }
  }

  bool write_all(std::string_view bytes, Deadline deadline) override {
    while (!bytes.empty()) {
      const auto sent = ::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(sent));
        continue;
      }
      if (sent < 0 && errno == EINTR) continue;
      if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
      if (wait_for(socket_, POLLOUT, deadline) != Wait::ready) return false;
    }
    return true;
  }

  void close_write() override { ::shutdown(socket_, SHUT_WR); }
  void abort() override { ::shutdown(socket_, SHUT_RDWR); }

 private:
  int socket_;
};

class TlsTransport final : public Transport {
 public:
  TlsTransport(int socket, SSL_CTX& context) : socket_(socket), ssl_(SSL_new(&context)) {
    if (ssl_ != nullptr) SSL_set_fd(ssl_, socket);
  }
  ~TlsTransport() override {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }
  TlsTransport(const TlsTransport&) = delete;
  TlsTransport& operator=(const TlsTransport&) = delete;

  bool start(Deadline deadline) override {
    if (ssl_ == nullptr || answered_plain_http(deadline)) return false;
    while (true) {
      ERR_clear_error();
      const int result = SSL_accept(ssl_);
      if (result == 1) return true;
      if (!wait_as_asked(result, deadline)) return false;
    }
  }

  ReadResult read_some(char* into, std::size_t size, Deadline deadline) override {
    while (true) {
      ERR_clear_error();
      const int got = SSL_read(ssl_, into, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
      if (got > 0) return {Read::data, static_cast<std::size_t>(got)};
      const int error = SSL_get_error(ssl_, got);
      if (error == SSL_ERROR_ZERO_RETURN) return {Read::closed};
      if (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) return {Read::closed};  // EOF without close_notify
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return {Read::failed};
      switch (wait_for(socket_, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
        case Wait::ready: break;
        case Wait::timed_out: return {Read::timed_out};
        case Wait::failed: return {Read::failed};
      }
    }
  }

  bool write_all(std::string_view bytes, Deadline deadline) override {
    while (!bytes.empty()) {
      ERR_clear_error();
      const int sent = SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30)));
      if (sent > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(sent));
        continue;
      }
      if (!wait_as_asked(sent, deadline)) return false;
    }
    return true;
  }

  void close_write() override {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // sends close_notify; the peer's is not waited for
    ::shutdown(socket_, SHUT_WR);
  }
  void abort() override { ::shutdown(socket_, SHUT_RDWR); }

 private:
  // A client that sends plain HTTP to the https port (an http:// URL for an
  // https fake) gets an answer it can read, instead of a failed handshake.
  // A TLS connection starts with a handshake record (0x16); HTTP with a
  // method's capital letter.
  bool answered_plain_http(Deadline deadline) {
    char first = 0;
    while (::recv(socket_, &first, 1, MSG_PEEK) < 0) {
      if ((errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) ||
          (errno != EINTR && wait_for(socket_, POLLIN, deadline) != Wait::ready)) {
        return false;
      }
    }
    if (first < 'A' || first > 'Z') return false;
    char discard[16 * 1024];
    while (::recv(socket_, discard, sizeof discard, MSG_DONTWAIT) > 0) {
    }
    static constexpr std::string_view kBody =
        R"({"error":{"code":"BadRequest","message":"This port serves https: send the request with an https:// URL."}})";
    const auto answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(kBody.size()) + "\r\nConnection: close\r\n\r\n" + std::string(kBody);
    PlainTransport(socket_).write_all(answer, deadline);
    ::shutdown(socket_, SHUT_WR);
    return true;
  }

  // After an SSL call returned `result`: waits for what it needs, or false.
  bool wait_as_asked(int result, Deadline deadline) {
    const int error = SSL_get_error(ssl_, result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) return false;
    return wait_for(socket_, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline) == Wait::ready;
  }

  int socket_;
  SSL* ssl_;
};

}  // namespace

std::unique_ptr<Transport> plain_transport(int socket) { return std::make_unique<PlainTransport>(socket); }

std::unique_ptr<Transport> tls_transport(int socket, SSL_CTX& context) {
  return std::make_unique<TlsTransport>(socket, context);
}

}  // namespace graphfake::http
