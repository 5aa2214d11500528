#pragma once

#include <httplib.h>

#include <string>

#include "domain/namespace_registry.h"

namespace graphfake::http {

// Registers the fake's whole HTTP surface on `server`. Handlers translate
// between HTTP and the service; they decide nothing themselves. URLs they
// render start with `scheme` ("http" or "https": what `server` serves).
// Each request is served by the namespace it chose (see
// namespace_routing.h) and recorded in that namespace's journal before it is
// answered; /_graphfake/ requests go to the admin API instead.
void install_routes(httplib::Server& server, domain::NamespaceRegistry& registry, const std::string& scheme);

}  // namespace graphfake::http
