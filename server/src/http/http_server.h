#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "graphfake/options.h"
#include "http/message.h"

namespace graphfake::http {

// The listening side: accepts connections, serves each on a thread of its
// own (up to Options::max_connections, past which a connection is answered
// 503 and closed at once), and stops promptly whatever its connections are
// doing.
class HttpServer {
 public:
  // Listening when it returns; throws std::runtime_error if it cannot bind,
  // or naming the file when the TLS certificate or key cannot be used.
  // `handler` answers every request and must outlive the server.
  HttpServer(const Options& options, RequestHandler& handler);
  ~HttpServer();

  std::uint16_t port() const;
  // "https" when options name a TLS certificate and key, else "http".
  const std::string& scheme() const;

  struct Connections {
    std::size_t open = 0;          // being served now
    std::uint64_t accepted = 0;    // since start
    std::uint64_t refused = 0;     // answered 503: max_connections were open
  };
  Connections connections() const;

  // Stops accepting, lets requests being answered finish (briefly: a
  // client that does not read is cut off), closes every connection and
  // returns when no thread of the server is left.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace graphfake::http
