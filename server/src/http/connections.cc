#include "http/connections.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>

namespace graphfake::http {
namespace {

std::uint16_t port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  return 0;
}

template <typename Action>
void for_each_accepted(std::uint16_t server_port, std::optional<std::uint16_t> peer_port, Action action) {
  DIR* fds = ::opendir("/proc/self/fd");
  if (fds == nullptr) return;
  while (const dirent* entry = ::readdir(fds)) {
    char* end = nullptr;
    const long number = std::strtol(entry->d_name, &end, 10);
    const int fd = static_cast<int>(number);
    if (end == entry->d_name || *end != '\0' || fd == ::dirfd(fds)) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_length = sizeof local;
    socklen_t peer_length = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0 || port_of(local) != server_port) {
      continue;
    }
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) continue;
    if (peer_port && port_of(peer) != *peer_port) continue;
    action(fd);
  }
  ::closedir(fds);
}

}  // namespace

void shut_down_reads(std::uint16_t server_port, std::optional<std::uint16_t> peer_port) {
  for_each_accepted(server_port, peer_port, [](int fd) { ::shutdown(fd, SHUT_RD); });
}

void drop_connection(std::uint16_t server_port, std::uint16_t peer_port) {
  for_each_accepted(server_port, peer_port, [](int fd) { ::shutdown(fd, SHUT_RDWR); });
}

}  // namespace graphfake::http
