#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace graphfake {

// A scenario file's text, for loading without a file on disk.
struct ScenarioSource {
  std::string name;  // named in errors and listings
  std::string text;
};

// How a load treats the scenario files already loaded: adds after them, or
// replaces them.
enum class ScenarioLoad { append, replace };

struct ScenarioFileInfo {
  std::string name;
  std::vector<std::string> rules;  // in match order
};

// Thrown by Server when a scenario file (Options::scenario_paths) has
// errors; what() lists them all, one per line.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

// Validates scenario files (or directories of them) without starting a
// server. Returns every error as "file: /json/pointer: reason"; empty when
// all are valid.
std::vector<std::string> check_scenario_files(const std::vector<std::string>& paths);

}  // namespace graphfake
