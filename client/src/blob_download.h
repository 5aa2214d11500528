#pragma once

#include <cstddef>
#include <cstdint>

#include "graphfake/client/billing_client.h"
#include "pacing.h"
#include "request_ids.h"
#include "transport.h"

namespace graphfake::client::detail {

// Streams one blob's rows to `on_row` as its bytes arrive. A download that
// breaks off is resumed with "Range: bytes=<received>-" (at once after
// progress, after back-off when the last try brought nothing), so no row is
// delivered twice; storage's retryable statuses are retried as Pacing says.
std::uint64_t download_blob(Transport& transport, Pacing& pacing, RequestIds& request_ids, const Manifest& manifest,
                            std::size_t index, const RowHandler& on_row);

}  // namespace graphfake::client::detail
