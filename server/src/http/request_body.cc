#include "http/request_body.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/excerpt.h"
#include "core/strings.h"

namespace graphfake::http {
namespace {

constexpr std::size_t kMaxChunkLine = 1024;   // a size, maybe with extensions
constexpr std::size_t kMaxTrailerLine = 8 * 1024;
constexpr std::size_t kMaxTrailers = 100;
// Each coding may inflate to the whole body limit: a few are all a client
// has reason to stack.
constexpr std::size_t kMaxContentCodings = 4;

std::string too_large(std::size_t max_body_bytes) {
  return fmt::format("the request body is larger than {} bytes", max_body_bytes);
}

// Inflates `input` (zlib's windowBits: 15 + 16 reads gzip, 15 zlib, -15
// raw deflate), gzip members one after another, into at most `limit` bytes.
std::variant<std::string, RequestProblem> inflate_bounded(std::string_view input, int window_bits, std::size_t limit) {
  z_stream stream{};
  if (inflateInit2(&stream, window_bits) != Z_OK) return RequestProblem{500, "cannot start decompressing"};
  std::string out;
  std::vector<char> buffer(64 * 1024);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  std::optional<RequestProblem> problem;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    const int status = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = buffer.size() - stream.avail_out;
    if (out.size() + produced > limit) {
      problem = RequestProblem{413, too_large(limit) + " once decompressed"};
      break;
    }
    out.append(buffer.data(), produced);
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // another gzip member follows
      continue;
    }
    if (status == Z_BUF_ERROR && stream.avail_in == 0) {
      problem = RequestProblem{400, "the compressed request body ends early"};
      break;
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      problem = RequestProblem{400, "the request body does not decompress as its Content-Encoding says"};
      break;
    }
  }
  inflateEnd(&stream);
  if (problem) return *problem;
  return out;
}

}  // namespace

std::variant<BodyFraming, RequestProblem> body_framing(const Request& request, std::size_t max_body_bytes) {
  const auto codings = header_items(request.headers, "Transfer-Encoding");
  const bool has_length = request.has_header("Content-Length");
  if (request.has_header("Transfer-Encoding")) {
    if (has_length) return RequestProblem{400, "the request has both Transfer-Encoding and Content-Length"};
    if (request.minor_version == 0) return RequestProblem{400, "an HTTP/1.0 request cannot use Transfer-Encoding"};
    if (codings.empty()) return RequestProblem{400, "Transfer-Encoding is empty"};
    const bool only_chunked = std::all_of(codings.begin(), codings.end(),
                                          [](std::string_view coding) { return core::iequals(coding, "chunked"); });
    if (codings.size() > 1 && only_chunked) {
      return RequestProblem{400, "Transfer-Encoding applies chunked more than once"};
    }
    if (codings.size() != 1 || !only_chunked) {
      return RequestProblem{501, fmt::format("Transfer-Encoding '{}' is not supported; send chunked or a "
                                             "Content-Length",
                                             core::text_excerpt(request.header("Transfer-Encoding")))};
    }
    return BodyFraming{BodyFraming::Kind::chunked, 0};
  }
  if (!has_length) return BodyFraming{};
  std::optional<std::uint64_t> length;
  for (const auto& [key, value] : request.headers) {
    if (!core::iequals(key, "Content-Length")) continue;
    std::uint64_t parsed = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || (length && *length != parsed)) {
      return RequestProblem{400, "Content-Length is not one decimal number"};
    }
    length = parsed;
  }
  if (*length > max_body_bytes) return RequestProblem{413, too_large(max_body_bytes)};
  return BodyFraming{BodyFraming::Kind::length, *length};
}

std::size_t ChunkedDecoder::fail(int status, std::string reason) {
  state_ = State::failed;
  problem_ = RequestProblem{status, std::move(reason)};
  return 0;
}

std::size_t ChunkedDecoder::feed(std::string_view input, std::string& body) {
  std::size_t used = 0;
  while (used < input.size() && state_ != State::done && state_ != State::failed) {
    const std::string_view rest = input.substr(used);
    if (state_ == State::data) {
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
      body.append(rest.data(), take);
      used += take;
      remaining_ -= take;
      if (remaining_ == 0) state_ = State::data_end;
      continue;
    }
    // The other states read lines.
    const auto newline = rest.find('\n');
    const std::size_t limit = state_ == State::trailer ? kMaxTrailerLine : kMaxChunkLine;
    if (line_.size() + (newline == std::string_view::npos ? rest.size() : newline) > limit) {
      return used + fail(400, "a line of the chunked body is too long");
    }
    if (newline == std::string_view::npos) {
      line_.append(rest);
      return input.size();
    }
    line_.append(rest.substr(0, newline));
    used += newline + 1;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    const std::string line = std::exchange(line_, {});

    switch (state_) {
      case State::size_line: {
        const std::string_view size_text = core::trim(std::string_view(line).substr(0, line.find(';')));
        std::uint64_t size = 0;
        const auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (size_text.empty() || end != size_text.data() + size_text.size()) {
          return used + fail(400, "a chunk size is not a hexadecimal number");
        }
        if (ec == std::errc::result_out_of_range || size > max_body_bytes_ - std::min(max_body_bytes_, body.size())) {
          return used + fail(413, too_large(max_body_bytes_));
        }
        remaining_ = size;
        state_ = size == 0 ? State::trailer : State::data;
        break;
      }
      case State::data_end:
        if (!line.empty()) return used + fail(400, "a chunk is longer than its size says");
        state_ = State::size_line;
        break;
      case State::trailer:
        if (line.empty()) {
          state_ = State::done;
        } else if (++trailers_ > kMaxTrailers) {
          return used + fail(431, "the chunked body has too many trailer fields");
        }
        break;
      default:
        break;
    }
  }
  return used;
}

std::optional<RequestProblem> content_coding_problem(const Request& request) {
  const auto codings = header_items(request.headers, "Content-Encoding");
  if (codings.size() > kMaxContentCodings) {
    return RequestProblem{400, fmt::format("Content-Encoding lists more than {} codings", kMaxContentCodings)};
  }
  for (const auto coding : codings) {
    if (!core::iequals(coding, "identity") && !core::iequals(coding, "gzip") && !core::iequals(coding, "x-gzip") &&
        !core::iequals(coding, "deflate")) {
      return RequestProblem{415, fmt::format("Content-Encoding '{}' is not supported; send gzip, deflate or "
                                             "identity",
                                             core::text_excerpt(coding))};
    }
  }
  return std::nullopt;
}

std::optional<RequestProblem> decode_content(const Request& request, std::string& body, std::size_t max_body_bytes) {
  if (auto problem = content_coding_problem(request)) return problem;
  const auto codings = header_items(request.headers, "Content-Encoding");
  // Applied in the order listed, so undone from the last.
  for (auto coding = codings.rbegin(); coding != codings.rend(); ++coding) {
    if (core::iequals(*coding, "identity")) continue;
    std::variant<std::string, RequestProblem> decoded;
    if (core::iequals(*coding, "deflate")) {
      // The zlib format, as RFC 9110 says, or raw deflate, as some clients send.
      decoded = inflate_bounded(body, 15, max_body_bytes);
      if (std::holds_alternative<RequestProblem>(decoded) && std::get<RequestProblem>(decoded).status == 400) {
        decoded = inflate_bounded(body, -15, max_body_bytes);
      }
    } else {
      decoded = inflate_bounded(body, 15 + 16, max_body_bytes);  // gzip, x-gzip
    }
    if (auto* problem = std::get_if<RequestProblem>(&decoded)) return std::move(*problem);
    body = std::move(std::get<std::string>(decoded));
  }
  return std::nullopt;
}

}  // namespace graphfake::http
