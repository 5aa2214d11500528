#pragma once

#include <string>

#include "graphfake/client/errors.h"
#include "transport.h"

namespace graphfake::client::detail {

enum class Service { graph, storage };

// Whether an error status is worth another attempt, as each service's own
// SDK decides: Graph's retry handler takes 429, 503 and 504; Azure
// Storage's policy also takes 408, 500 and 502.
bool is_retryable(Service service, int status);

// Graph's {"error":{"code","message","innerError":{"request-id",...}}}; the
// request-id header wins over innerError's.
GraphError graph_error(const std::string& url, const HttpResponse& response, const std::string& client_request_id);

// Azure's x-ms-error-code and x-ms-request-id headers, and the XML body's
// <Message>.
StorageError storage_error(const std::string& url, const HttpResponse& response);

}  // namespace graphfake::client::detail
