#include "graphfake/client/errors.h"

namespace graphfake::client {
namespace {

std::string describe_http(const std::string& service, const std::string& url, int status, const std::string& code,
                          const std::string& message, const std::string& request_id) {
  std::string what = service + " answered " + std::to_string(status);
  if (!code.empty()) what += " " + code;
  if (!message.empty()) what += ": " + message;
  what += " (" + url;
  if (!request_id.empty()) what += ", request-id " + request_id;
  return what + ")";
}

}  // namespace

HttpError::HttpError(const std::string& what, std::string url, int status, std::string code, std::string message,
                     std::string request_id)
    : Error(what),
      url_(std::move(url)),
      status_(status),
      code_(std::move(code)),
      message_(std::move(message)),
      request_id_(std::move(request_id)) {}

GraphError::GraphError(std::string url, int status, std::string code, std::string message, std::string request_id,
                       std::string client_request_id)
    : HttpError(describe_http("Graph", url, status, code, message, request_id), url, status, code, message, request_id),
      client_request_id_(std::move(client_request_id)) {}

StorageError::StorageError(std::string url, int status, std::string code, std::string message, std::string request_id)
    : HttpError(describe_http("Blob storage", url, status, code, message, request_id), url, status, code, message,
                request_id) {}

TransportError::TransportError(const std::string& what, std::string url) : Error(what), url_(std::move(url)) {}

DownloadInterruptedError::DownloadInterruptedError(std::string url, std::string blob_name, std::uint64_t bytes_received,
                                                   int resume_attempts, const std::string& last_failure)
    : TransportError("blob " + blob_name + " broke off at byte " + std::to_string(bytes_received) + " and " +
                         std::to_string(resume_attempts) + " attempts to resume it from there brought nothing (" +
                         last_failure + ")",
                     std::move(url)),
      blob_name_(std::move(blob_name)),
      bytes_received_(bytes_received),
      resume_attempts_(resume_attempts) {}

ProtocolError::ProtocolError(const std::string& what, std::string url)
    : Error(what + " (" + url + ")"), url_(std::move(url)) {}

OperationFailedError::OperationFailedError(std::string operation_url, std::string code, std::string message)
    : Error("export operation failed with " + code + ": " + message + " (" + operation_url + ")"),
      operation_url_(std::move(operation_url)),
      code_(std::move(code)),
      message_(std::move(message)) {}

TimeoutError::TimeoutError(std::string operation_url, std::chrono::milliseconds waited,
                           std::chrono::milliseconds timeout)
    : Error("export operation " + operation_url + " not finished after " + std::to_string(waited.count()) +
            " ms, and the next wait would pass the " + std::to_string(timeout.count()) + " ms timeout"),
      operation_url_(std::move(operation_url)),
      waited_(waited) {}

BlobDataError::BlobDataError(std::string blob_name, std::uint64_t line, const std::string& reason)
    : Error("blob " + blob_name + (line ? ", line " + std::to_string(line) : std::string()) + ": " + reason),
      blob_name_(std::move(blob_name)),
      line_(line) {}

}  // namespace graphfake::client
