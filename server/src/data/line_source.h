#pragma once

#include <cstdint>
#include <string>

namespace graphfake::data {

// A data file is a sequence of JSON Lines addressed by row index. Producing
// any row must not require producing the rows before it, so that blobs (and
// later, ranges inside them) can start anywhere.
class LineSource {
 public:
  virtual ~LineSource() = default;
  // Appends row `index` as one JSON object followed by '\n'.
  virtual void append_line(std::uint64_t index, std::string& out) const = 0;
};

}  // namespace graphfake::data
