// graphfake: the fake partner-billing service as a standalone process, for
// CI jobs and non-C++ clients.
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli_options.h"
#include "graphfake/scenarios.h"
#include "graphfake/server.h"
#include "graphfake/token.h"

namespace {

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
    std::cout << "graphfake 0.1.0\n";
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
    graphfake::Server server(server_options);
    const std::string token = options.server.accepted_tokens.empty() ? graphfake::make_token()
                                                                      : options.server.accepted_tokens.front();
    if (!options.port_file.empty() && !write_port_file(options.port_file, server.port())) {
      std::cerr << "graphfake: cannot write the port file '" << options.port_file << "'\n";
      return 1;
    }
    const nlohmann::ordered_json ready = {
        {"event", "ready"}, {"base_url", server.base_url()}, {"port", server.port()}, {"token", token}};
    std::cout << ready.dump() << std::endl;
    std::cerr << fmt::format(
        "graphfake listening on {}\n"
        "  export:  POST {}/v1.0/reports/partners/billing/reconciliation/billed/export\n"
        "  token:   Authorization: Bearer {}\n"
        "Stop with Ctrl-C.\n",
        server.base_url(), server.base_url(), token);

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.stop();
    std::cerr << "graphfake: stopped\n";
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
