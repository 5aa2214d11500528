#include "faults/apply.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace graphfake::faults {
namespace {

using CodeAndMessage = std::pair<std::string, std::string>;

CodeAndMessage usual_graph_error(int status) {
  switch (status) {
    case 400: return {"BadRequest", "The request is invalid."};
    case 401: return {"InvalidAuthenticationToken", "Access token validation failure."};
    case 403: return {"Forbidden", "Insufficient privileges to complete the operation."};
    case 404: return {"itemNotFound", "The requested resource does not exist."};
    case 410: return {"gone", "The resource has expired; start a new export."};
    case 429: return {"TooManyRequests", "Too many requests. Please retry after the time given by Retry-After."};
    case 500: return {"InternalServerError", "An internal server error occurred."};
    case 502: return {"BadGateway", "The gateway received an invalid response."};
    case 503: return {"ServiceUnavailable", "The service is temporarily unavailable. Please retry later."};
    case 504: return {"GatewayTimeout", "The gateway timed out."};
    default: return {"Error", fmt::format("Scripted error {}.", status)};
  }
}

CodeAndMessage usual_azure_error(int status) {
  switch (status) {
    case 403:
      return {"AuthorizationPermissionMismatch",
              "This request is not authorized to perform this operation using this permission."};
    case 404: return {"BlobNotFound", "The specified blob does not exist."};
    case 500: return {"InternalError", "The server encountered an internal error. Please retry the request."};
    case 503: return {"ServerBusy", "The server is currently unable to receive requests. Please retry your request."};
    default: return {"InvalidInput", "One of the request inputs is not valid."};
  }
}

ScriptedError scripted(const Fault& fault, CodeAndMessage usual) {
  return ScriptedError{*fault.status, fault.code.empty() ? std::move(usual.first) : fault.code,
                       fault.message.empty() ? std::move(usual.second) : fault.message, fault.retry_after};
}

// Past the 10-byte gzip header, so the damage is to the deflate data.
constexpr std::uint64_t kGzipHeaderBytes = 10;
constexpr std::uint64_t kCorruptBytes = 16;

}  // namespace

ScriptedError graph_error(const Fault& fault) { return scripted(fault, usual_graph_error(*fault.status)); }

ScriptedError azure_error(const Fault& fault) { return scripted(fault, usual_azure_error(*fault.status)); }

std::string bent_bytes_note(const Fault& fault) {
  std::string note;
  const auto add = [&note](std::string what) { note += (note.empty() ? "" : "; ") + what; };
  if (fault.gzip) add(fault.gzip == Fault::Gzip::corrupt ? "gzip corrupt" : "gzip truncated");
  if (fault.reset_at_byte) add(fmt::format("connection reset after byte {}", *fault.reset_at_byte));
  if (fault.extra_content_length) add(fmt::format("Content-Length {} bytes too long", *fault.extra_content_length));
  return note;
}

BlobWire bend(const Fault* fault, std::uint64_t size) {
  BlobWire wire{size, 0, size, 0, 0};
  if (fault == nullptr) return wire;
  if (fault->gzip == Fault::Gzip::truncated) wire.size = wire.stop_at = size / 2;
  if (fault->gzip == Fault::Gzip::corrupt) {
    wire.corrupt_from = std::max(kGzipHeaderBytes, size / 2);
    wire.corrupt_to = std::min(size, wire.corrupt_from + kCorruptBytes);
  }
  if (fault->reset_at_byte) wire.stop_at = std::min(size, *fault->reset_at_byte);
  if (fault->extra_content_length) wire.declared_extra = *fault->extra_content_length;
  return wire;
}

void flip(std::span<char> chunk, std::uint64_t position, const BlobWire& wire) {
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    const auto at = position + i;
    if (at >= wire.corrupt_from && at < wire.corrupt_to) chunk[i] = static_cast<char>(~chunk[i]);
  }
}

}  // namespace graphfake::faults
