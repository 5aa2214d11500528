#pragma once

#include <httplib.h>

#include <string>

#include "domain/fake_namespace.h"

namespace graphfake::http {

// Registers the fake's whole HTTP surface on `server`. Handlers translate
// between HTTP and the service; they decide nothing themselves. URLs they
// render start with `scheme` ("http" or "https": what `server` serves).
// Every request is recorded in the namespace's journal before it is
// answered; /_graphfake/ requests go to the admin API instead.
void install_routes(httplib::Server& server, domain::FakeNamespace& fake, Admin& admin, const std::string& scheme);

}  // namespace graphfake::http
