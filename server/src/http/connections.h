#pragma once

#include <cstdint>
#include <optional>

namespace graphfake::http {

// httplib hands handlers no socket, so the server finds its accepted
// connections by address: a connected socket in this process whose local
// port is the server's is one the server accepted (clients in the same
// process connect from ephemeral ports).

// Shuts down the read side of every connection accepted on `server_port`
// (and, with `peer_port`, only the one from that client port).
void shut_down_reads(std::uint16_t server_port, std::optional<std::uint16_t> peer_port = std::nullopt);

// Drops the connection from `peer_port`: the client sees the connection
// close without a response.
void drop_connection(std::uint16_t server_port, std::uint16_t peer_port);

}  // namespace graphfake::http
