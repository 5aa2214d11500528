#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "graphfake/options.h"

namespace graphfake::cli {

enum class ClockChoice { system, virtual_clock, auto_advance };

struct CliOptions {
  Options server;
  std::string port_file;
  // With --report: on stopping, write the client-behaviour report here as
  // JSON and print it as a table.
  std::string report_file;
  // With --report-html: on stopping, write the report drawn, one
  // self-contained HTML page (Admin::report_html of every namespace), here.
  std::string report_html_file;
  ClockChoice clock = ClockChoice::system;
  TimePoint clock_start = VirtualClock::default_start();
  // With --tls-self-signed (deprecated; --tls sets server.tls): serve https
  // with a new self-signed certificate, written here.
  std::string tls_self_signed_file;
  // With --check: validate these scenario paths and exit.
  std::vector<std::string> check_paths;
  bool help = false;
  bool version = false;
};

struct CliError {
  std::string message;
};

std::variant<CliOptions, CliError> parse_arguments(const std::vector<std::string>& arguments);

std::string usage();

// What to print on standard error before serving: a warning when the admin
// API is open to other machines (a host other than loopback, and no admin
// token).
std::optional<std::string> exposure_warning(const Options& options);

}  // namespace graphfake::cli
