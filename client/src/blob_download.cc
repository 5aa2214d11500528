#include "blob_download.h"

#include <algorithm>
#include <optional>
#include <string>

#include "gzip_lines.h"
#include "service_errors.h"
#include "url.h"

namespace graphfake::client::detail {
namespace {

// The total size in "bytes a-b/total" or "bytes */total"; nullopt if unknown.
std::optional<std::uint64_t> content_range_total(const std::string& header) {
  const auto slash = header.rfind('/');
  if (slash == std::string::npos || slash + 1 >= header.size()) return std::nullopt;
  try {
    return std::stoull(header.substr(slash + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The first byte in "bytes a-b/total"; nullopt if it has none.
std::optional<std::uint64_t> content_range_start(const std::string& header) {
  constexpr std::string_view kUnit = "bytes ";
  if (header.rfind(kUnit, 0) != 0) return std::nullopt;
  try {
    return std::stoull(header.substr(kUnit.size()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string range_from(std::uint64_t offset) { return "bytes=" + std::to_string(offset) + "-"; }

}  // namespace

std::uint64_t download_blob(Transport& transport, Pacing& pacing, RequestIds& request_ids, const Manifest& manifest,
                            std::size_t index, const RowHandler& on_row) {
  const auto url = manifest.blob_url(index);
  const auto shown_url = redact_signature(url);
  const auto& name = manifest.blobs.at(index).name;
  GzipLines lines(name, on_row);
  std::uint64_t received = 0;  // bytes of the blob fed to `lines`
  std::string etag;
  int failures = 0;  // requests in a row that brought no bytes

  while (true) {
    const std::uint64_t offset = received;
    std::uint64_t skip = 0;
    // No Authorization: the SAS in the URL is the credential, and storage
    // rejects a bearer token it did not issue.
    Headers headers = {{"Accept-Encoding", "identity"},  // so offsets count the blob's own bytes
                       {"x-ms-client-request-id", request_ids.next()}};
    if (offset > 0) headers.emplace_back("Range", range_from(offset));

    const BodyStream stream{
        [&](const HttpResponse& head) {
          const auto tag = head.header("ETag");
          if (!etag.empty() && !tag.empty() && tag != etag) {
            throw ProtocolError("the blob changed while it was downloaded (ETag " + etag + " became " + tag + ")",
                                shown_url);
          }
          if (etag.empty()) etag = tag;
          if (head.status != 206) {
            skip = offset;  // the whole blob again: pass over what already arrived
          } else if (content_range_start(head.header("Content-Range")) != offset) {
            throw ProtocolError(
                "asked for " + range_from(offset) + ", got Content-Range '" + head.header("Content-Range") + "'",
                shown_url);
          }
        },
        [&](std::string_view bytes) {
          const auto skipped = static_cast<std::size_t>(std::min<std::uint64_t>(skip, bytes.size()));
          skip -= skipped;
          bytes.remove_prefix(skipped);
          lines.feed(bytes);
          received += bytes.size();
        }};
    const auto outcome = transport.get(url, headers, &stream);

    if (outcome.complete) {
      const auto& response = *outcome.response;
      // 416 to "bytes=<size>-": the break came after the last byte (the
      // Content-Length claimed more than there was), so nothing is missing.
      const bool nothing_left =
          response.status == 416 && offset > 0 && content_range_total(response.header("Content-Range")) == offset;
      if (is_success(response.status) || nothing_left) {
        lines.finish();
        return lines.rows();
      }
      if (++failures >= pacing.max_attempts() || !is_retryable(Service::storage, response.status)) {
        throw storage_error(shown_url, response);
      }
      pacing.retry(shown_url, "answered " + std::to_string(response.status),
                   pacing.wait_after(response, static_cast<unsigned>(failures - 1)), failures, nullptr);
      continue;
    }

    if (received > offset) {
      failures = 0;
      pacing.emit(Event::Kind::resuming_download, shown_url, range_from(received));
      continue;
    }
    if (++failures >= pacing.max_attempts() || !outcome.worth_retrying) {
      if (received > 0) throw DownloadInterruptedError(shown_url, name, received, failures, outcome.failure);
      throw TransportError(
          "GET " + shown_url + " failed (attempt " + std::to_string(failures) + "): " + outcome.failure, shown_url);
    }
    const auto wait = pacing.backoff(static_cast<unsigned>(failures - 1));
    if (received > 0) {
      pacing.emit(Event::Kind::resuming_download, shown_url, range_from(received));
      pacing.pause(wait, nullptr);
    } else {
      pacing.retry(shown_url, outcome.failure, wait, failures, nullptr);
    }
  }
}

}  // namespace graphfake::client::detail
