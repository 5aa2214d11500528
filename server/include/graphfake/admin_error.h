#pragma once

// The error of an admin call the fake cannot carry out.
#include <stdexcept>
#include <string>
#include <utility>

namespace graphfake {

// An admin request the fake cannot carry out: an unknown operation (404), a
// clock that is not virtual or a terminal operation (409), a bad argument
// (400). Scenario files with errors throw graphfake::ScenarioError instead.
class AdminError : public std::runtime_error {
 public:
  AdminError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

}  // namespace graphfake
