// The blob host: a manifest's blobs as Azure Storage serves them (GET and
// HEAD, ranges, SAS, Azure's errors), their bytes made as they are sent.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/time_format.h"
#include "data/gzip_stream.h"
#include "faults/apply.h"
#include "handlers/blob_conditions.h"
#include "handlers/byte_range.h"
#include "handlers/graph_replies.h"
#include "handlers/handlers.h"

namespace graphfake::handlers {
namespace {

using domain::BillingService;

// Streams [range.first, range.first + range.length) of a blob's gzip bytes,
// generating them as the client reads from the segment holding range.first
// on, bent as `wire` says.
ByteSource blob_content(const domain::BlobHandle& blob, std::shared_ptr<const data::GzipIndex> index, ByteRange range,
                        faults::BlobWire wire) {
  struct Reader {
    Reader(const domain::BlobHandle& blob, std::shared_ptr<const data::GzipIndex> gzip_index, std::uint64_t first,
           faults::BlobWire wire)
        : manifest(blob.manifest),
          index(std::move(gzip_index)),
          stream(*manifest->lines, *index, first),
          position(first),
          wire(wire) {}

    std::shared_ptr<const domain::Manifest> manifest;  // keeps the line source alive
    std::shared_ptr<const data::GzipIndex> index;      // and the index the stream reads
    data::GzipLinesStream stream;
    std::uint64_t position;  // whole-blob offset of the next byte to send
    faults::BlobWire wire;
  };
  auto reader = std::make_shared<Reader>(blob, std::move(index), range.first, wire);
  auto read = [reader](std::span<char> into) -> std::size_t {
    // Ending short of the declared length cuts the connection mid-body.
    if (reader->position >= reader->wire.stop_at) return 0;
    const auto wanted = std::min<std::uint64_t>(into.size(), reader->wire.stop_at - reader->position);
    const auto produced = reader->stream.read(into.data(), static_cast<std::size_t>(wanted));
    faults::flip(into.first(produced), reader->position, reader->wire);
    reader->position += produced;
    return produced;
  };
  return ByteSource{range.length + wire.declared_extra, std::move(read)};
}

// Azure's answer to conditional headers a read does not meet (Azure Storage,
// Common REST API error codes; UnsatisfiableCondition as the Azure Storage
// emulator answers it).
std::optional<domain::StorageError> condition_refusal(BlobCondition condition) {
  constexpr std::string_view kNotMet = "The condition specified using HTTP conditional header(s) is not met.";
  switch (condition) {
    case BlobCondition::met: return std::nullopt;
    case BlobCondition::not_modified: return domain::StorageError{304, "ConditionNotMet", std::string(kNotMet), ""};
    case BlobCondition::failed: return domain::StorageError{412, "ConditionNotMet", std::string(kNotMet), ""};
    case BlobCondition::unsatisfiable:
      return domain::StorageError{400, "UnsatisfiableCondition",
                                  "The request includes an unsatisfiable condition for this operation.", ""};
    case BlobCondition::repeated_date:
      return domain::StorageError{400, "MultipleConditionHeadersNotSupported",
                                  "Multiple condition headers are not supported: If-Modified-Since and "
                                  "If-Unmodified-Since take one value each.",
                                  ""};
  }
  return std::nullopt;
}

// The whole blob while its index is still being built, from the pass that
// builds it: its length is not known yet, so it is sent chunked.
ByteSource blob_content_while_indexed(const domain::BlobHandle& blob) {
  auto stream = std::make_shared<data::GzipPassStream>(blob.indexing, blob.stop);
  return ByteSource{std::nullopt, [stream](std::span<char> into) { return stream->read(into.data(), into.size()); }};
}

}  // namespace

Reply read_blob(const Call& call, const Context& context, BillingService& service, const Route& route) {
  Reply reply;
  set_storage_headers(reply, call, context);
  if (!method_allowed(route, call.method)) {
    reply.set_header("Allow", std::string(route.allowed_methods));
    write_storage_error(reply, context,
                        {405, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.", "", {}});
    return reply;
  }

  if (!route.detail.empty()) {
    // Clients list nothing: every blob is named in the manifest.
    write_storage_error(reply, context, {404, "ResourceNotFound",
                             fmt::format("The specified resource does not exist: graphfake serves blobs only, not "
                                         "the {} itself.",
                                         route.detail),
                             "", {}});
    return reply;
  }
  const auto opened = service.open_blob(call.path, call.params, context.now);
  if (const auto* error = std::get_if<domain::StorageError>(&opened)) {
    write_storage_error(reply, context, *error);
    return reply;
  }
  const auto& blob = std::get<domain::BlobHandle>(opened);
  note_operation(reply, service, service.reading_operation(*blob.manifest), context.now);
  // Conditions before the range, as Azure evaluates them. A 304 still names
  // the version the client holds.
  const auto condition = evaluate_blob_conditions(call.headers, blob.etag, blob.manifest->created_at);
  if (condition == BlobCondition::met || condition == BlobCondition::not_modified) {
    reply.set_header("ETag", blob.etag);
    reply.set_header("Last-Modified", core::http_date(blob.manifest->created_at));
  }
  if (auto refusal = condition_refusal(condition)) {
    write_storage_error(reply, context, *refusal);
    return reply;
  }
  reply.set_header("x-ms-creation-time", core::http_date(blob.manifest->created_at));
  reply.set_header("x-ms-blob-type", "BlockBlob");
  reply.set_header("x-ms-lease-status", "unlocked");
  reply.set_header("x-ms-lease-state", "available");
  reply.set_header("x-ms-server-encrypted", "true");
  reply.set_header("Accept-Ranges", "bytes");

  // A plain GET of the whole blob (as Python's urllib, Node's https.get and
  // curl send) of a large blob need not wait seconds for the pass that
  // learns its length: it reads the bytes as the pass makes them, sent
  // chunked. Anything that needs the length (a HEAD, a range, a fault
  // bending the bytes) waits for the index, as does a blob whose index is
  // within reach: Azure always sends Content-Length.
  // The Azure SDKs send x-ms-version on every request, and some of them
  // (JavaScript's download(), Java's downloadStream) read Content-Length
  // even from a GET without a range: they always get it.
  const bool whole_get = call.method == "GET" && !call.has_header("x-ms-range") && !call.has_header("Range") &&
                         !call.has_header("x-ms-version");
  if (whole_get && !blob.fault && !blob.index_within_reach()) {
    reply.status = 200;
    reply.set_header("Content-Type", "application/octet-stream");
    reply.stream = blob_content_while_indexed(blob);
    return reply;
  }
  auto index = blob.index();
  const auto wire = faults::bend(blob.fault ? &*blob.fault : nullptr, index->size);
  const std::uint64_t size = wire.size;

  // Azure gives x-ms-range precedence over Range.
  const auto asked =
      requested_range(call.has_header("x-ms-range") ? call.header("x-ms-range") : call.header("Range"), size);
  ByteRange range{0, size};
  switch (asked.kind) {
    case RangeRequest::Kind::unsatisfiable:
      reply.set_header("Content-Range", fmt::format("bytes */{}", size));
      write_storage_error(
          reply, context,
          {416, "InvalidRange", "The range specified is invalid for the current size of the resource.", "", {}});
      return reply;
    case RangeRequest::Kind::part:
      range = asked.range;
      reply.status = 206;
      reply.set_header("Content-Range",
                       fmt::format("bytes {}-{}/{}", range.first, range.first + range.length - 1, size));
      break;
    case RangeRequest::Kind::whole:
      reply.status = 200;
      break;
  }
  if (blob.fault) reply.notes.fault = faults::bent_bytes_note(*blob.fault);
  reply.set_header("Content-Type", "application/octet-stream");
  reply.stream = blob_content(blob, std::move(index), range, wire);
  return reply;
}

}  // namespace graphfake::handlers
