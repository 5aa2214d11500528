// graphfake: the fake partner-billing service as a standalone process, for
// CI jobs and non-C++ clients.
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>

#include "cli_options.h"
#include "graphfake/admin.h"
#include "graphfake/report.h"
#include "graphfake/scenarios.h"
#include "graphfake/server.h"
#include "graphfake/tls.h"
#include "graphfake/token.h"

namespace {

// How long SIGTERM waits for requests to end before the process exits
// regardless (Server::stop itself gives them about a second).
constexpr std::chrono::milliseconds kStopDeadline{1'500};

// Written to a temporary name and renamed, so a watcher never reads a
// partial file.
bool write_port_file(const std::string& path, std::uint16_t port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    if (!(out << port << '\n')) return false;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  return !error;
}

// The client-behaviour report of every namespace, as JSON to `path` and as
// tables on standard error.
bool write_report(graphfake::Server& server, const std::string& path) {
  // ordered_json keeps the report's members in the order the admin API sends them.
  const auto as_json = [](const graphfake::ClientReport& report) {
    return nlohmann::ordered_json::parse(graphfake::report_json(report));
  };
  nlohmann::ordered_json named = nlohmann::ordered_json::object();
  const auto report = server.admin().client_report();
  std::cerr << "graphfake: client behaviour\n" << graphfake::report_tables(report);
  for (const auto& name : server.namespaces()) {
    const auto theirs = server.admin(name).client_report();
    std::cerr << fmt::format("graphfake: client behaviour in namespace '{}'\n", name)
              << graphfake::report_tables(theirs);
    named[name] = as_json(theirs);
  }
  nlohmann::ordered_json deleted = nlohmann::ordered_json::array();
  for (const auto& [name, theirs] : server.deleted_namespace_reports()) {
    std::cerr << fmt::format("graphfake: client behaviour in namespace '{}' (deleted)\n", name)
              << graphfake::report_tables(theirs);
    deleted.push_back({{"name", name}, {"report", as_json(theirs)}});
  }
  const nlohmann::ordered_json document = {{"default", as_json(report)},
                                           {"namespaces", std::move(named)},
                                           {"deletedNamespaces", std::move(deleted)}};
  std::ofstream out(path, std::ios::trunc);
  return static_cast<bool>(out << document.dump(2) << '\n');
}

// The report of every namespace drawn in one self-contained HTML page, the
// default namespace first. Deleted namespaces are not drawn: their journals
// are gone (their counts are in the JSON report).
bool write_report_html(graphfake::Server& server, const std::string& path) {
  const auto names = server.namespaces();
  std::vector<graphfake::LocalAdmin> named;
  named.reserve(names.size());
  for (const auto& name : names) named.push_back(server.admin(name));
  std::vector<std::pair<std::string, const graphfake::Admin*>> admins{{"default", &server.admin()}};
  for (std::size_t i = 0; i < names.size(); ++i) admins.emplace_back(names[i], &named[i]);
  const auto page = graphfake::report_html(admins);
  std::ofstream out(path, std::ios::trunc);
  return static_cast<bool>(out << page);
}

// What a user needs to point each kind of client at the certificate
// authority --tls made.
std::string how_to_trust(const std::string& ca_file, const std::string& base_url, bool removed_on_exit) {
  return fmt::format(
      "graphfake made a certificate authority and a server certificate it signed; clients trust the authority:\n"
      "  CA:       {0}{1}\n"
      "  curl:     curl --cacert {0} {2}/...\n"
      "            or CURL_CA_BUNDLE={0}\n"
      "  OpenSSL, Python ssl, Go (instead of the system CAs):\n"
      "            SSL_CERT_FILE={0}\n"
      "  Python requests:\n"
      "            REQUESTS_CA_BUNDLE={0}\n"
      "  Node.js (besides the system CAs):\n"
      "            NODE_EXTRA_CA_CERTS={0}\n"
      "  libcurl:  curl_easy_setopt(curl, CURLOPT_CAINFO, \"{0}\");\n",
      ca_file,
      removed_on_exit ? " (cert.pem and key.pem beside it; all removed on exit)" : " (cert.pem and key.pem beside it)",
      base_url);
}

// A new private file in the temporary directory, deleted by remove() or at
// the latest when this goes out of scope.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::string& prefix)
      : path_((std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string()) {
    const int fd = ::mkstemp(path_.data());
    if (fd < 0) throw std::runtime_error(fmt::format("cannot create '{}': {}", path_, std::strerror(errno)));
    ::close(fd);
  }
  ~TemporaryFile() { remove(); }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::string& path() const { return path_; }
  void remove() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove(path_, ignored);
    path_.clear();
  }

 private:
  std::string path_;
};

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = graphfake::cli::parse_arguments(std::vector<std::string>(argv + 1, argv + argc));
  if (const auto* error = std::get_if<graphfake::cli::CliError>(&parsed)) {
    std::cerr << "graphfake: " << error->message << "\nTry 'graphfake --help'.\n";
    return 2;
  }
  const auto& options = std::get<graphfake::cli::CliOptions>(parsed);
  if (options.help) {
    std::cout << graphfake::cli::usage();
    return 0;
  }
  if (options.version) {
    std::cout << "graphfake " GRAPHFAKE_VERSION "\n";
    return 0;
  }
  if (!options.check_paths.empty()) {
    const auto errors = graphfake::check_scenario_files(options.check_paths);
    for (const auto& error : errors) std::cerr << error << '\n';
    if (errors.empty()) std::cerr << "graphfake: every scenario is valid\n";
    return errors.empty() ? 0 : 1;
  }

  // Block the stop signals before any server thread exists, so they are
  // delivered only to sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server_options = options.server;
  if (options.clock != graphfake::cli::ClockChoice::system) {
    server_options.clock = std::make_shared<graphfake::VirtualClock>(
        options.clock_start, options.clock == graphfake::cli::ClockChoice::auto_advance
                                 ? graphfake::VirtualClock::Mode::auto_advance
                                 : graphfake::VirtualClock::Mode::manual);
  }

  try {
    // --tls-self-signed: clients need the certificate, so it goes where they
    // were told to look; the key is needed only while the server loads it.
    std::optional<TemporaryFile> self_signed_key;
    if (!options.tls_self_signed_file.empty()) {
      self_signed_key.emplace("graphfake-key");
      graphfake::write_pem_files(graphfake::make_self_signed_certificate(options.server.host),
                                 options.tls_self_signed_file, self_signed_key->path());
      server_options.tls_certificate_file = options.tls_self_signed_file;
      server_options.tls_private_key_file = self_signed_key->path();
    }
    // A report that cannot be written must fail the start, not the end of a long run.
    if (!options.report_file.empty() && !std::ofstream(options.report_file, std::ios::app)) {
      std::cerr << "graphfake: cannot write the report file '" << options.report_file << "'\n";
      return 1;
    }
    if (!options.report_html_file.empty() && !std::ofstream(options.report_html_file, std::ios::app)) {
      std::cerr << "graphfake: cannot write the HTML report file '" << options.report_html_file << "'\n";
      return 1;
    }
    graphfake::Server server(server_options);
    if (self_signed_key) self_signed_key->remove();
    const std::string token = options.server.accepted_tokens.empty() ? graphfake::make_token()
                                                                      : options.server.accepted_tokens.front();
    if (!options.port_file.empty() && !write_port_file(options.port_file, server.port())) {
      std::cerr << "graphfake: cannot write the port file '" << options.port_file << "'\n";
      return 1;
    }
    nlohmann::ordered_json ready = {
        {"event", "ready"}, {"base_url", server.base_url()}, {"port", server.port()}, {"token", token}};
    if (!server.tls_ca_file().empty()) {
      ready["ca_file"] = server.tls_ca_file();
      std::cerr << how_to_trust(server.tls_ca_file(), server.base_url(), options.server.tls_directory.empty());
    }
    std::cout << ready.dump() << std::endl;
    if (const auto warning = graphfake::cli::exposure_warning(options.server)) std::cerr << *warning;
    std::cerr << fmt::format(
        "graphfake listening on {}\n"
        "  export:  POST {}/v1.0/reports/partners/billing/reconciliation/billed/export\n"
        "  token:   Authorization: Bearer {}\n"
        "Stop with Ctrl-C.\n",
        server.base_url(), server.base_url(), token);

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    // stop() cuts every request short; should one still not end, the
    // process exits anyway once the report is written, so that a CI job's
    // teardown never waits on the fake.
    std::promise<void> stopping;
    auto stopped = stopping.get_future();
    std::thread stopper([&server, &stopping] {
      server.stop();
      stopping.set_value();
    });
    const bool stopped_in_time = stopped.wait_for(kStopDeadline) == std::future_status::ready;
    std::cerr << (stopped_in_time ? "graphfake: stopped\n"
                                  : "graphfake: stopped without waiting for a request that did not end\n");
    bool reported = true;
    try {
      reported = options.report_file.empty() || write_report(server, options.report_file);
    } catch (const std::exception& e) {
      // Caught here, not below: the stopping thread must be joined or left
      // behind by _Exit before this scope ends.
      std::cerr << "graphfake: " << e.what() << '\n';
      reported = false;
    }
    if (!reported) std::cerr << "graphfake: cannot write the report file '" << options.report_file << "'\n";
    bool drawn = true;
    try {
      drawn = options.report_html_file.empty() || write_report_html(server, options.report_html_file);
    } catch (const std::exception& e) {
      std::cerr << "graphfake: " << e.what() << '\n';
      drawn = false;
    }
    if (!drawn) {
      std::cerr << "graphfake: cannot write the HTML report file '" << options.report_html_file << "'\n";
      reported = false;
    }
    if (!stopped_in_time) {
      std::cout.flush();
      std::cerr.flush();
      std::_Exit(reported ? 0 : 1);
    }
    stopper.join();
    if (!reported) return 1;
  } catch (const graphfake::ScenarioError& e) {
    for (const auto& error : e.errors()) std::cerr << error << '\n';
    std::cerr << "graphfake: not started: " << e.errors().size() << " error(s) in scenario files\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "graphfake: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
