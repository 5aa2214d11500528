#pragma once

#include <string>
#include <variant>
#include <vector>

#include "graphfake/options.h"

namespace graphfake::cli {

struct CliOptions {
  Options server;
  std::string port_file;
  bool help = false;
  bool version = false;
};

struct CliError {
  std::string message;
};

std::variant<CliOptions, CliError> parse_arguments(const std::vector<std::string>& arguments);

std::string usage();

}  // namespace graphfake::cli
