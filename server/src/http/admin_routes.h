#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

#include "graphfake/admin.h"

namespace graphfake::http {

inline constexpr std::string_view kAdminPrefix = "/_graphfake";

// True for paths under /_graphfake/, which no Graph or blob path can be.
bool is_admin_path(std::string_view path);

// The admin API over HTTP (docs/admin-api.md): each request translated to
// one Admin call and its answer to JSON. With a non-empty `admin_token`,
// requests must carry "Authorization: Bearer <admin_token>".
void serve_admin(const httplib::Request& req, httplib::Response& res, Admin& admin, const std::string& admin_token);

// An admin request httplib could not read (its status already in `res`),
// answered in the admin API's error format. The usual cause is a POST
// without Content-Length, whose body httplib waits for until its timeout.
void answer_unreadable_admin_request(httplib::Response& res);

}  // namespace graphfake::http
