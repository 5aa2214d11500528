#pragma once

// The conventions every Graph and blob reply follows: Graph's headers and
// error envelope, Azure Storage's XML error.
#include <string_view>

#include "core/graph_error.h"
#include "domain/billing_service.h"
#include "domain/blob_store.h"
#include "handlers/exchange.h"
#include "handlers/router.h"

namespace graphfake::handlers {

inline constexpr const char* kGraphJsonContentType =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

// request-id, client-request-id, Date and the rest of what Graph sends on
// every answer.
void set_graph_headers(Reply& reply, const Context& context);
void write_graph_error(Reply& reply, const Context& context, const core::GraphError& error);
// x-ms-request-id, x-ms-version, Date and the client's x-ms-client-request-id:
// what Azure Storage sends on every answer, errors included.
void set_storage_headers(Reply& reply, const Call& call, const Context& context);
// Azure's XML error body with x-ms-error-code (the header alone when the
// status carries no body, as 304).
void write_storage_error(Reply& reply, const Context& context, const domain::StorageError& error);

// Notes, for the journal, the operation a request touched and what it was
// started for.
void note_operation(Reply& reply, domain::BillingService& service, std::string_view id, TimePoint now);

// Whether `method` is one of the route's ("GET, HEAD").
bool method_allowed(const Route& route, std::string_view method);

}  // namespace graphfake::handlers
