// Prints how the graphfake binary holds up under connection load, on
// 127.0.0.1 only, every phase bounded by time or count:
//   connections  N keep-alive connections opened at once, each polling
//   latency      poll latency and throughput at 32, 256 and 1 000 connections
//   slowloris    256 connections trickling a header byte a second while 32
//                others poll
//   exports      E exports (each polled once, as clients do): the server's RSS
//                before and after, and operations lost (a 202 whose Location
//                then answers 404: must be 0)
// Usage: graphfake_reliability_bench [--exports E] [--seconds S] [--binary PATH]
// It asserts nothing; docs/performance.md records its figures.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "graphfake/token.h"

extern char** environ;

namespace {

using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr const char* kExportPath = "/v1.0/reports/partners/billing/reconciliation/billed/export";

// An operation that stays running on a virtual clock: polls are answered
// "running" with Retry-After, the body a poll loop sees in real life.
constexpr const char* kRunningForever = R"({"rules": [{"name": "running", "timeline": [
  {"status": "running", "after": "1000h", "retryAfter": "5s"}, {"status": "succeeded", "rows": 10}]}]})";

// The graphfake binary started on a free port; stopped with SIGTERM.
class Fake {
 public:
  Fake(const std::string& binary, const std::string& scenario, const std::string& port_file) {
    std::filesystem::remove(port_file);
    std::vector<std::string> arguments = {binary,       "--clock",  "virtual", "--scenario", scenario,
                                          "--port-file", port_file, "--max-connections", "2048"};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start " + binary);
    }
    posix_spawn_file_actions_destroy(&actions);
    for (int i = 0; i < 300 && port_ == 0; ++i) {
      std::this_thread::sleep_for(20ms);
      std::ifstream in(port_file);
      in >> port_;
    }
    if (port_ == 0) throw std::runtime_error("graphfake did not start");
  }
  ~Fake() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  std::uint16_t port() const { return port_; }
  // Resident memory in KiB.
  long rss_kib() const {
    std::ifstream status(fmt::format("/proc/{}/status", pid_));
    for (std::string line; std::getline(status, line);) {
      if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  pid_t pid_ = 0;
  std::uint16_t port_ = 0;
};

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  const int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  ::fcntl(fd, F_SETFL, O_NONBLOCK);
  return fd;
}

struct Answer {
  int status = 0;
  std::string location;
};

// One response off the front of `buffer`, if all of it is there.
std::optional<Answer> take_response(std::string& buffer) {
  const auto head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::nullopt;
  std::size_t length = 0;
  Answer answer;
  answer.status = std::atoi(buffer.c_str() + 9);
  std::size_t line = buffer.find("\r\n") + 2;
  while (line < head_end) {
    const auto end = buffer.find("\r\n", line);
    const std::string_view header(buffer.data() + line, end - line);
    if (header.size() > 15 && strncasecmp(header.data(), "content-length:", 15) == 0) {
      length = std::stoul(std::string(header.substr(15)));
    } else if (header.size() > 9 && strncasecmp(header.data(), "location:", 9) == 0) {
      answer.location = std::string(header.substr(header.find_first_not_of(' ', 9)));
    }
    line = end + 2;
  }
  if (buffer.size() < head_end + 4 + length) return std::nullopt;
  buffer.erase(0, head_end + 4 + length);
  return answer;
}

std::string get_request(const std::string& path, const std::string& token) {
  return fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n", path, token);
}

std::string export_request(const std::string& token) {
  const std::string body = R"({"invoiceId":"G016907411","attributeSet":"full"})";
  return fmt::format(
      "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n"
      "Content-Length: {}\r\n\r\n{}",
      kExportPath, token, body.size(), body);
}

// Keep-alive connections, each sending its next request when the last is
// answered, driven by one epoll loop.
class Load {
 public:
  // `next` gives a connection's next request, given the answer to its last
  // (none for the first); an empty string ends that connection's work.
  using Next = std::function<std::string(std::size_t connection, const std::optional<Answer>& last)>;

  struct Figures {
    std::vector<double> latencies_ms;
    std::size_t connected = 0;
    std::size_t failed = 0;    // refused, reset or closed mid-request
    std::size_t unanswered = 0;  // still waiting at the deadline
    double seconds = 0;
    std::vector<int> statuses;
  };

  static Figures run(std::uint16_t port, std::size_t connections, SteadyClock::duration limit, const Next& next) {
    Figures figures;
    const int poller = ::epoll_create1(EPOLL_CLOEXEC);
    std::vector<Connection> open(connections);
    for (std::size_t i = 0; i < connections; ++i) {
      open[i].fd = connect_to(port);
      if (open[i].fd < 0) {
        ++figures.failed;
        continue;
      }
      ++figures.connected;
      epoll_event event{EPOLLIN, {.u64 = i}};
      ::epoll_ctl(poller, EPOLL_CTL_ADD, open[i].fd, &event);
      open[i].send(next(i, std::nullopt));
    }
    const auto start = SteadyClock::now();
    const auto deadline = start + limit;
    std::vector<epoll_event> events(1024);
    while (SteadyClock::now() < deadline) {
      const bool busy = std::any_of(open.begin(), open.end(), [](const Connection& c) { return c.waiting; });
      if (!busy) break;
      const int ready = ::epoll_wait(poller, events.data(), static_cast<int>(events.size()), 50);
      for (int e = 0; e < ready; ++e) {
        auto& connection = open[events[static_cast<std::size_t>(e)].data.u64];
        char chunk[64 * 1024];
        const auto got = ::recv(connection.fd, chunk, sizeof chunk, 0);
        if (got <= 0) {
          if (connection.waiting) ++figures.failed;
          connection.close(poller);
          continue;
        }
        connection.buffer.append(chunk, static_cast<std::size_t>(got));
        while (auto answer = take_response(connection.buffer)) {
          figures.latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(SteadyClock::now() - connection.sent_at).count());
          figures.statuses.push_back(answer->status);
          connection.waiting = false;
          connection.send(next(events[static_cast<std::size_t>(e)].data.u64, answer));
        }
      }
    }
    figures.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    for (auto& connection : open) {
      if (connection.waiting) ++figures.unanswered;
      connection.close(poller);
    }
    ::close(poller);
    return figures;
  }

 private:
  struct Connection {
    int fd = -1;
    std::string buffer;
    bool waiting = false;
    SteadyClock::time_point sent_at;

    void send(const std::string& request) {
      if (request.empty() || fd < 0) return;
      sent_at = SteadyClock::now();
      waiting = true;
      std::string_view rest = request;
      while (!rest.empty()) {
        const auto sent = ::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (sent > 0) {
          rest.remove_prefix(static_cast<std::size_t>(sent));
        } else if (sent < 0 && errno == EAGAIN) {
          std::this_thread::sleep_for(1ms);
        } else {
          return;  // the read side will see the close
        }
      }
    }
    void close(int poller) {
      if (fd < 0) return;
      ::epoll_ctl(poller, EPOLL_CTL_DEL, fd, nullptr);
      ::close(fd);
      fd = -1;
    }
  };
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

std::size_t count_status(const std::vector<int>& statuses, int status) {
  return static_cast<std::size_t>(std::count(statuses.begin(), statuses.end(), status));
}

std::string path_of(const std::string& location) {
  const auto scheme_end = location.find("://");
  return location.substr(location.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3));
}

std::string start_operation(std::uint16_t port, const std::string& token) {
  std::string location;
  Load::run(port, 1, 10s, [&](std::size_t, const std::optional<Answer>& last) -> std::string {
    if (!last) return export_request(token);
    location = last->location;
    return {};
  });
  if (location.empty()) throw std::runtime_error("the export was not accepted");
  return path_of(location);
}

void raise_file_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t exports = 1'000'000;
  double seconds = 5;
  std::string binary = GRAPHFAKE_BINARY;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--exports") exports = std::stoul(argv[i + 1]);
    if (flag == "--seconds") seconds = std::stod(argv[i + 1]);
    if (flag == "--binary") binary = argv[i + 1];
  }
  raise_file_limit();
  const auto scenario = std::filesystem::temp_directory_path() / "graphfake-reliability-bench.json";
  std::ofstream(scenario) << kRunningForever;
  const auto port_file = std::filesystem::temp_directory_path() / "graphfake-reliability-bench.port";
  const auto phase = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  const std::string token = graphfake::make_token();

  {
    Fake fake(binary, scenario.string(), port_file.string());
    const auto poll = start_operation(fake.port(), token);
    const auto poll_request = get_request(poll, token);
    auto polling = [&](std::size_t rounds) {
      return [&, rounds, done = std::vector<std::size_t>(2048)](std::size_t connection,
                                                                const std::optional<Answer>&) mutable {
        return done[connection]++ < rounds ? poll_request : std::string();
      };
    };

    fmt::print("connections: 1000 keep-alive connections opened at once, each polling 10 times\n");
    const auto many = Load::run(fake.port(), 1000, 60s, polling(10));
    fmt::print("  connected {}  answered {}  failed {}  unanswered (timed out) {}  refused 503 {}  p50 {:.2f} ms  p99 {:.2f} ms\n",
               many.connected, many.latencies_ms.size(), many.failed, many.unanswered, count_status(many.statuses, 503),
               percentile(many.latencies_ms, 0.5), percentile(many.latencies_ms, 0.99));

    fmt::print("latency: keep-alive polls for {:.0f} s at each size\n", seconds);
    for (const std::size_t connections : {32, 256, 1000}) {
      const auto figures = Load::run(fake.port(), connections, phase, polling(SIZE_MAX));
      fmt::print("  {:>5} connections  {:>8.0f} req/s  p50 {:>6.2f} ms  p99 {:>7.2f} ms  failed {}  non-200 {}\n",
                 connections, static_cast<double>(figures.latencies_ms.size()) / figures.seconds,
                 percentile(figures.latencies_ms, 0.5), percentile(figures.latencies_ms, 0.99), figures.failed,
                 figures.statuses.size() - count_status(figures.statuses, 200));
    }

    fmt::print("slowloris: 256 connections sending a header byte a second, 32 others polling for {:.0f} s\n", seconds);
    std::vector<int> trickling;
    for (int i = 0; i < 256; ++i) {
      const int fd = connect_to(fake.port());
      if (fd >= 0 && ::send(fd, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL) == 16) trickling.push_back(fd);
    }
    std::atomic<bool> trickle{true};
    std::thread trickler([&] {
      while (trickle) {
        for (const int fd : trickling) (void)::send(fd, "X", 1, MSG_NOSIGNAL);
        std::this_thread::sleep_for(1s);
      }
    });
    const auto others = Load::run(fake.port(), 32, phase, polling(SIZE_MAX));
    trickle = false;
    trickler.join();
    std::size_t cut_off = 0;
    for (const int fd : trickling) {
      char chunk[4096];
      if (::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT) > 0 && std::strncmp(chunk, "HTTP/1.1 408", 12) == 0) ++cut_off;
      ::close(fd);
    }
    fmt::print("  tricklers {}  cut off with 408 so far {}  others: {:.0f} req/s  p50 {:.2f} ms  p99 {:.2f} ms  failed {}\n",
               trickling.size(), cut_off, static_cast<double>(others.latencies_ms.size()) / others.seconds,
               percentile(others.latencies_ms, 0.5), percentile(others.latencies_ms, 0.99), others.failed);
  }

  {
    Fake fake(binary, scenario.string(), port_file.string());
    const long before = fake.rss_kib();
    std::size_t started = 0;
    std::size_t lost = 0;
    std::size_t evicted = 0;
    constexpr std::size_t kClients = 32;
    std::vector<bool> polling(kClients);
    const auto export_request_text = export_request(token);
    const auto begin = SteadyClock::now();
    const auto figures = Load::run(fake.port(), kClients, 3600s, [&](std::size_t c, const std::optional<Answer>& last) {
      if (last && polling[c]) {
        if (last->status == 404) ++lost;
        if (last->status == 410) ++evicted;
      }
      if (last && !polling[c]) {
        polling[c] = true;
        return get_request(path_of(last->location), token);
      }
      polling[c] = false;
      return started < exports ? (++started, export_request_text) : std::string();
    });
    const double elapsed = std::chrono::duration<double>(SteadyClock::now() - begin).count();
    fmt::print("exports: {} exports over {} keep-alive connections, each polled once: {:.0f} s ({:.0f} exports/s)\n",
               started, kClients, elapsed, static_cast<double>(started) / elapsed);
    fmt::print("  server RSS before {:.1f} MiB  after {:.1f} MiB  lost operations {}  evicted when polled {}  failed {}\n",
               static_cast<double>(before) / 1024, static_cast<double>(fake.rss_kib()) / 1024, lost, evicted,
               figures.failed);
  }
  std::filesystem::remove(scenario);
  std::filesystem::remove(port_file);
  return 0;
}
