#pragma once

#include <httplib.h>

#include <string>

#include "domain/billing_service.h"

namespace graphfake::http {

// Registers the fake's whole HTTP surface on `server`. Handlers translate
// between HTTP and the service; they decide nothing themselves. URLs they
// render start with `scheme` ("http" or "https": what `server` serves).
void install_routes(httplib::Server& server, domain::BillingService& service, const std::string& scheme);

}  // namespace graphfake::http
