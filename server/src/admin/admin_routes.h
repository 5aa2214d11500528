#pragma once

#include <string>
#include <string_view>

#include "namespaces/namespace_registry.h"
#include "handlers/exchange.h"
#include "namespaces/namespace_routing.h"

namespace graphfake::admin {

struct AdminRequest {
  namespaces::NamespaceTarget target;  // the namespace it addresses; target.path is under /_graphfake
  std::string origin;                // "http://host:port", for the base URLs of namespaces
};

// The admin API over HTTP (docs/admin-api.md): each request translated to
// one Admin call (or, outside any namespace, one namespace-registry call)
// and its answer to JSON. When the server has an admin token, requests must
// carry "Authorization: Bearer <admin token>".
handlers::Reply answer_admin(const handlers::Call& call, const AdminRequest& request,
                             namespaces::NamespaceRegistry& registry);

// An admin request that could not be read, answered in the admin API's
// error format.
handlers::Reply answer_unreadable_admin_request(int status, std::string_view reason);

}  // namespace graphfake::admin
