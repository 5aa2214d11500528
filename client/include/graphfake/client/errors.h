#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace graphfake::client {

// Every failure the client reports is one of these; catch Error for all.
//
//   Error
//   ├── HttpError             an HTTP error status, after any retries
//   │   ├── GraphError        from Graph: its {"error":{...}} envelope
//   │   └── StorageError      from blob storage: x-ms-error-code
//   ├── TransportError        no usable HTTP answer (refused, reset, TLS)
//   │   └── DownloadInterruptedError   a blob broke off and resuming did not help
//   ├── ProtocolError         an answer the API contract does not allow
//   ├── OperationFailedError  the export ended "failed"
//   ├── TimeoutError          the export did not finish in time
//   └── BlobDataError         a blob is not gzip JSON Lines
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class HttpError : public Error {
 public:
  HttpError(const std::string& what, std::string url, int status, std::string code, std::string message,
            std::string request_id);
  const std::string& url() const { return url_; }
  int status() const { return status_; }
  // Graph's error.code, or storage's x-ms-error-code; empty when the answer had none.
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  // Graph's request-id, or storage's x-ms-request-id: what support asks for.
  const std::string& request_id() const { return request_id_; }

 private:
  std::string url_;
  int status_;
  std::string code_;
  std::string message_;
  std::string request_id_;
};

class GraphError : public HttpError {
 public:
  GraphError(std::string url, int status, std::string code, std::string message, std::string request_id,
             std::string client_request_id);
  // The client-request-id the client sent with the failing request.
  const std::string& client_request_id() const { return client_request_id_; }

 private:
  std::string client_request_id_;
};

class StorageError : public HttpError {
 public:
  StorageError(std::string url, int status, std::string code, std::string message, std::string request_id);
};

class TransportError : public Error {
 public:
  TransportError(const std::string& what, std::string url);
  const std::string& url() const { return url_; }

 private:
  std::string url_;
};

class DownloadInterruptedError : public TransportError {
 public:
  DownloadInterruptedError(std::string url, std::string blob_name, std::uint64_t bytes_received, int resume_attempts,
                           const std::string& last_failure);
  const std::string& blob_name() const { return blob_name_; }
  // Bytes of the blob that did arrive (and whose rows were delivered).
  std::uint64_t bytes_received() const { return bytes_received_; }
  // Requests sent with "Range: bytes=<bytes_received>-" that brought nothing.
  int resume_attempts() const { return resume_attempts_; }

 private:
  std::string blob_name_;
  std::uint64_t bytes_received_;
  int resume_attempts_;
};

class ProtocolError : public Error {
 public:
  ProtocolError(const std::string& what, std::string url);
  const std::string& url() const { return url_; }

 private:
  std::string url_;
};

// A failedOperation: not an HTTP error (the poll answered 200), and not worth
// retrying as it is; the documentation says to start a new export.
class OperationFailedError : public Error {
 public:
  OperationFailedError(std::string operation_url, std::string code, std::string message);
  const std::string& operation_url() const { return operation_url_; }
  const std::string& code() const { return code_; }  // e.g. "5000"
  const std::string& message() const { return message_; }

 private:
  std::string operation_url_;
  std::string code_;
  std::string message_;
};

class TimeoutError : public Error {
 public:
  TimeoutError(std::string operation_url, std::chrono::milliseconds waited, std::chrono::milliseconds timeout);
  const std::string& operation_url() const { return operation_url_; }
  std::chrono::milliseconds waited() const { return waited_; }

 private:
  std::string operation_url_;
  std::chrono::milliseconds waited_;
};

class BlobDataError : public Error {
 public:
  // `line` is 1-based; 0 when the gzip layer failed, before any line.
  BlobDataError(std::string blob_name, std::uint64_t line, const std::string& reason);
  const std::string& blob_name() const { return blob_name_; }
  std::uint64_t line() const { return line_; }

 private:
  std::string blob_name_;
  std::uint64_t line_;
};

}  // namespace graphfake::client
