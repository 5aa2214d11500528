#pragma once

// Azure Storage's conditional headers on a blob read (Get Blob, Get Blob
// Properties): If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since, evaluated as "If-Match && If-Unmodified-Since &&
// (If-None-Match || If-Modified-Since)" (Azure Storage, Specifying
// conditional headers for Blob service operations).
#include <string_view>

#include "graphfake/clock.h"
#include "handlers/exchange.h"

namespace graphfake::handlers {

enum class BlobCondition {
  met,              // serve the blob
  not_modified,     // 304 ConditionNotMet, no body: If-None-Match or If-Modified-Since failed
  failed,           // 412 ConditionNotMet: If-Match or If-Unmodified-Since failed
  unsatisfiable,    // 400 UnsatisfiableCondition: If-None-Match: * on a blob that exists
  repeated_date,    // 400: If-Modified-Since or If-Unmodified-Since sent more than once
};

// What the conditional headers among `headers` make of a read of a blob
// with `etag` (quoted, as on the wire) last modified at `last_modified`.
// A date that is not RFC 1123 is ignored, as HTTP says and Azure does.
BlobCondition evaluate_blob_conditions(const Headers& headers, std::string_view etag, TimePoint last_modified);

}  // namespace graphfake::handlers
