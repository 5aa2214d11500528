#pragma once

#include <string>
#include <string_view>

#include "domain/namespace_registry.h"
#include "http/message.h"
#include "http/namespace_routing.h"

namespace graphfake::http {

inline constexpr std::string_view kAdminPrefix = "/_graphfake";

// True for paths under /_graphfake/, which no Graph or blob path can be.
bool is_admin_path(std::string_view path);

struct AdminRequest {
  NamespaceTarget target;  // the namespace it addresses; target.path is under /_graphfake
  std::string origin;      // "http://host:port", for the base URLs of namespaces
};

// The admin API over HTTP (docs/admin-api.md): each request translated to
// one Admin call (or, outside any namespace, one namespace-registry call)
// and its answer to JSON. When the server has an admin token, requests must
// carry "Authorization: Bearer <admin token>".
void serve_admin(const Request& req, Response& res, const AdminRequest& request, domain::NamespaceRegistry& registry);

// An admin request that could not be read (its status already in `res`),
// answered in the admin API's error format.
void answer_unreadable_admin_request(Response& res, std::string_view reason);

}  // namespace graphfake::http
