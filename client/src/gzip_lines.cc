#include "gzip_lines.h"

#include <zlib.h>

#include <array>

namespace graphfake::client::detail {
namespace {

// 15 window bits + 16: gzip framing only, as the blobs are .json.gz files.
constexpr int kGzipWindowBits = 15 + 16;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

struct GzipLines::Inflater {
  z_stream stream{};
};

GzipLines::GzipLines(std::string blob_name, const RowHandler& on_row)
    : inflater_(std::make_unique<Inflater>()), blob_name_(std::move(blob_name)), on_row_(on_row) {
  if (inflateInit2(&inflater_->stream, kGzipWindowBits) != Z_OK) {
    throw BlobDataError(blob_name_, 0, "zlib could not start inflating");
  }
}

GzipLines::~GzipLines() { inflateEnd(&inflater_->stream); }

void GzipLines::feed(std::string_view compressed) {
  auto& stream = inflater_->stream;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::array<char, 64 * 1024> out;
  // Also go round while the output filled up: zlib may hold more of it.
  do {
    if (stream_ended_) {
      if (stream.avail_in == 0) break;
      // gzip allows several members one after another; a new one starts here.
      if (inflateReset(&stream) != Z_OK) throw BlobDataError(blob_name_, 0, "zlib could not restart");
      stream_ended_ = false;
    }
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
      throw BlobDataError(blob_name_, 0,
                          std::string("not valid gzip: ") + (stream.msg ? stream.msg : "inflate failed"));
    }
    take_text(std::string_view(out.data(), out.size() - stream.avail_out));
    if (status == Z_STREAM_END) stream_ended_ = true;
    if (status == Z_BUF_ERROR) break;  // no progress possible until more input arrives
  } while (stream.avail_in > 0 || stream.avail_out == 0);
}

void GzipLines::finish() {
  if (!stream_ended_) throw BlobDataError(blob_name_, 0, "the gzip stream ends early (truncated blob)");
  // A last line without its newline is still a line.
  if (!partial_line_.empty()) {
    const std::string last = std::move(partial_line_);
    partial_line_.clear();
    take_line(last);
  }
}

void GzipLines::take_text(std::string_view text) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) {
      partial_line_.append(text);
      return;
    }
    if (partial_line_.empty()) {
      take_line(text.substr(0, end));
    } else {
      partial_line_.append(text.substr(0, end));
      const std::string line = std::move(partial_line_);
      partial_line_.clear();
      take_line(line);
    }
    text.remove_prefix(end + 1);
  }
}

void GzipLines::take_line(std::string_view line) {
  ++line_;
  if (line_ == 1 && line.substr(0, kUtf8Bom.size()) == kUtf8Bom) line.remove_prefix(kUtf8Bom.size());
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank lines carry no row

  nlohmann::json row;
  try {
    row = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& error) {
    throw BlobDataError(blob_name_, line_, std::string("not JSON: ") + error.what());
  }
  if (!row.is_object()) throw BlobDataError(blob_name_, line_, "not a JSON object");
  ++rows_;
  on_row_(row);
}

}  // namespace graphfake::client::detail
