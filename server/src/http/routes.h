#pragma once

#include <memory>
#include <string>

#include "namespaces/namespace_registry.h"
#include "http/message.h"

namespace graphfake::http {

// The fake's whole HTTP surface. Handlers translate between HTTP and the
// service; they decide nothing themselves. URLs they render start with
// `scheme` ("http" or "https": what the server serves). Each request is
// served by the namespace it chose (see namespace_routing.h) and recorded in
// that namespace's journal before it is answered; /_graphfake/ requests go
// to the admin API instead.
std::unique_ptr<RequestHandler> make_routes(namespaces::NamespaceRegistry& registry, const std::string& scheme);

}  // namespace graphfake::http
