#pragma once

#include <httplib.h>

#include "domain/billing_service.h"

namespace graphfake::http {

// Registers the fake's whole HTTP surface on `server`. Handlers translate
// between HTTP and the service; they decide nothing themselves.
void install_routes(httplib::Server& server, domain::BillingService& service);

}  // namespace graphfake::http
