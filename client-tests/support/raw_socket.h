#pragma once

// A TCP connection to the fake driven byte by byte, for what HTTP client
// libraries never send: pipelined requests, half-closes, trickled heads,
// oversized heads and bodies.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace graphfake::testing {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers, lower-cased
  std::string body;
};

class RawSocket {
 public:
  // A `receive_buffer` (bytes) keeps what the kernel reads ahead for a
  // client that does not read small.
  explicit RawSocket(std::uint16_t port, int receive_buffer = 0)
      : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }

  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // The next response (by its Content-Length), or nullopt if the connection
  // closed or `patience` passed first. The patience only keeps a broken
  // server from hanging the suite.
  std::optional<RawResponse> read_response(std::chrono::milliseconds patience = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + patience;
    while (true) {
      const auto head_end = buffer_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        RawResponse response;
        response.head = buffer_.substr(0, head_end);
        std::transform(response.head.begin(), response.head.end(), response.head.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto length_at = response.head.find("\r\ncontent-length:");
        const std::size_t length =
            length_at == std::string::npos ? 0 : std::stoul(response.head.substr(length_at + 17));
        if (buffer_.size() >= head_end + 4 + length) {
          response.status = std::stoi(buffer_.substr(9, 3));
          response.body = buffer_.substr(head_end + 4, length);
          buffer_.erase(0, head_end + 4 + length);
          return response;
        }
      }
      if (!receive(until)) return std::nullopt;
    }
  }

  // Whether the server closed the connection (after whatever it sent)
  // within `patience`.
  bool closed_by_server(std::chrono::milliseconds patience = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + patience;
    while (receive(until)) {
    }
    return eof_;
  }

 private:
  bool receive(std::chrono::steady_clock::time_point until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd watched{fd_, POLLIN, 0};
    if (::poll(&watched, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16 * 1024];
    const auto got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }

  int fd_;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

}  // namespace graphfake::testing
