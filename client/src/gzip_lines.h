#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "graphfake/client/billing_client.h"

namespace graphfake::client::detail {

// A blob's gzip bytes in, its JSON Lines rows out, as the bytes arrive:
// nothing larger than one line is held. Throws BlobDataError naming the blob
// (and the line, once past the gzip layer).
class GzipLines {
 public:
  GzipLines(std::string blob_name, const RowHandler& on_row);
  ~GzipLines();
  GzipLines(const GzipLines&) = delete;
  GzipLines& operator=(const GzipLines&) = delete;

  void feed(std::string_view compressed);
  // The bytes have ended: the gzip stream must have too.
  void finish();

  std::uint64_t rows() const { return rows_; }

 private:
  void take_text(std::string_view text);
  void take_line(std::string_view line);

  struct Inflater;
  std::unique_ptr<Inflater> inflater_;
  std::string blob_name_;
  const RowHandler& on_row_;
  std::string partial_line_;
  std::uint64_t line_ = 0;
  std::uint64_t rows_ = 0;
  bool stream_ended_ = false;
};

}  // namespace graphfake::client::detail
