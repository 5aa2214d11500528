#pragma once

#include <stdexcept>
#include <stop_token>

namespace graphfake::core {

// Thrown by long computations (indexing a blob, summing an export) once the
// server is stopping: the request they serve is cut short rather than
// holding the stop up for as long as the computation would take.
class Stopped : public std::runtime_error {
 public:
  Stopped() : std::runtime_error("graphfake is stopping") {}
};

inline void throw_if_stopped(const std::stop_token& stop) {
  if (stop.stop_requested()) throw Stopped();
}

}  // namespace graphfake::core
