#pragma once

// The Graph endpoints and the blob host of one namespace, each a function
// from a request to a reply value (handlers/exchange.h), journal notes
// included. They decide everything about an answer; the HTTP adapter only
// writes it and records it.
#include <string>
#include <string_view>

#include "domain/billing_service.h"
#include "handlers/exchange.h"
#include "handlers/router.h"

namespace graphfake::handlers {

// A request's context in the namespace whose service answers it: now, ids.
Context context_for(const Call& call, domain::BillingService& service, std::string origin, std::string base_path);

// Matches the route and answers it with the endpoint's function below.
Reply answer(const Call& call, const Context& context, domain::BillingService& service);

// One function per endpoint. The Graph ones fill a reply that already has
// Graph's headers and the journal's endpoint, and throw core::GraphError to
// refuse: answer() writes the error into the same reply, keeping what the
// endpoint noted for the journal before it refused.
void start_export(const Call& call, const Context& context, domain::BillingService& service, const Route& route,
                  Reply& reply);
void poll_operation(const Call& call, const Context& context, domain::BillingService& service, const Route& route,
                    Reply& reply);
void read_manifest(const Call& call, const Context& context, domain::BillingService& service, const Route& route,
                   Reply& reply);
// Blobs answer in Azure Storage's conventions, errors included.
Reply read_blob(const Call& call, const Context& context, domain::BillingService& service, const Route& route);

// A Graph or blob request naming a namespace that does not exist: answered
// (and journaled) by the default namespace, in the format of the route
// `path_inside` (the path within the namespace it named) is for.
Reply answer_unknown_namespace(const Call& call, const Context& context, std::string_view name,
                               std::string_view path_inside);
// A request that could not be read whole (`call` holds what was read),
// answered in the format of the route `path_inside` (the path within the
// namespace it named, existing or not) is for.
Reply answer_unreadable(const Call& call, const Context& context, std::string_view path_inside, int status,
                        std::string_view reason);
// A handler that threw: 500 in Graph's envelope, or Azure's XML on a blob path.
Reply answer_failure(const Call& call, const Context& context, std::string_view reason);

}  // namespace graphfake::handlers
