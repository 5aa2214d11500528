// The one adapter between HTTP and the handlers: each request turned into a
// handlers::Call in the namespace it chose, the handler's reply recorded in
// that namespace's journal (once, before it is sent) and handed back to the
// connection to write. Nothing here decides what an answer says.
#include "http/routes.h"

#include <fmt/format.h>

#include "admin/admin_routes.h"
#include "core/strings.h"
#include "handlers/handlers.h"
#include "namespaces/namespace_routing.h"

namespace graphfake::http {
namespace {

using handlers::Call;
using handlers::Reply;

// The host is the one the client used; the scheme is the server's own (the
// Host header does not carry it).
std::string origin_of(const Request& req, std::string_view scheme) {
  std::string host = req.header("Host");
  if (host.empty()) {
    // fmt, not `host += ":" + std::to_string(...)`: GCC 12 at -O3 reports a false
    // -Wstringop-overflow for that.
    host = req.local_address.find(':') != std::string::npos
               ? fmt::format("[{}]:{}", req.local_address, req.local_port)
               : fmt::format("{}:{}", req.local_address, req.local_port);
  }
  return fmt::format("{}://{}", scheme, host);
}

namespaces::NamespaceTarget target_of(const Request& req) {
  return namespaces::namespace_target(req.path, find_header(req.headers, namespaces::kNamespaceHeader));
}

Call call_of(const Request& req, std::string_view path_inside) {
  return Call{req.method, path_inside, req.path, req.headers, req.params, req.body};
}

// Written before the response is sent, so a client holding its answer
// always finds the request in the journal.
void record(domain::Journal& journal, const Request& req, const Reply& reply, TimePoint at) {
  JournalEntry entry;
  entry.at = at;
  entry.method = req.method;
  entry.path = req.path;
  entry.query = req.query;
  for (const auto& [name, value] : req.headers) entry.request_headers.emplace_back(core::ascii_lower(name), value);
  entry.request_body = req.body;  // the journal keeps what its limits allow
  // A dropped connection got no answer at all.
  entry.status = reply.drop_connection ? 0 : reply.status;
  for (const auto& [name, value] : reply.headers) entry.response_headers.emplace_back(name, value);
  entry.endpoint = reply.notes.endpoint;
  entry.operation_id = reply.notes.operation_id;
  entry.operation_status = reply.notes.operation_status;
  entry.scenario_rule = reply.notes.scenario_rule;
  entry.invoice_id = reply.notes.invoice_id;
  entry.nearest_route = reply.notes.nearest_route;
  entry.fault = reply.notes.fault;
  journal.record(std::move(entry));
}

class Routes final : public RequestHandler {
 public:
  Routes(namespaces::NamespaceRegistry& registry, std::string scheme)
      : registry_(registry), scheme_(std::move(scheme)) {}

  Response answer(const Request& req) override {
    const auto target = target_of(req);
    if (namespaces::is_admin_path(target.path)) {
      try {
        return admin::answer_admin(call_of(req, target.path), admin::AdminRequest{target, origin_of(req, scheme_)},
                                   registry_);
      } catch (const std::exception& error) {
        return failure(req, error.what());
      }
    }
    return in_namespace(req, [&](const Call& call, const handlers::Context& context, domain::BillingService& service,
                                 bool namespace_exists) {
      if (!namespace_exists) return handlers::answer_unknown_namespace(call, context, target.name, target.path);
      return handlers::answer(call, context, service);
    });
  }

  // Answered in the format of the route the request was for, and journaled.
  Response answer_problem(const Request& req, const RequestProblem& problem) override {
    const auto target = target_of(req);
    if (namespaces::is_admin_path(target.path)) {
      return admin::answer_unreadable_admin_request(problem.status, problem.reason);
    }
    return in_namespace(req, [&](const Call& call, const handlers::Context& context, domain::BillingService&, bool) {
      return handlers::answer_unreadable(call, context, target.path, problem.status, problem.reason);
    });
  }

 private:
  // Answers with `handler` in the namespace the request chose, or in the
  // default one (taking the path as sent) when it chose one that does not
  // exist; then journals the exchange there. A handler that throws is
  // answered 500 and journaled all the same.
  template <typename Handler>
  Response in_namespace(const Request& req, Handler&& handler) {
    auto target = target_of(req);
    auto fake = registry_.find(target.name);
    const bool exists = fake != nullptr;
    if (!exists) {
      fake = registry_.find(namespaces::NamespaceRegistry::kDefaultName);
      target = namespaces::NamespaceTarget{std::string(namespaces::NamespaceRegistry::kDefaultName), req.path, ""};
    }
    // Held for the whole request: a reset meanwhile swaps in a new service
    // without pulling this one away.
    const auto [service, journal] = fake->current();
    const Call call = call_of(req, target.path);
    const auto context = handlers::context_for(call, *service, origin_of(req, scheme_), target.url_prefix);
    Reply reply;
    try {
      reply = handler(call, context, *service, exists);
    } catch (const std::exception& error) {
      reply = handlers::answer_failure(call, context, error.what());
    }
    record(*journal, req, reply, context.now);
    return reply;
  }

  // What threw outside any namespace's handling: answered and journaled in
  // the default namespace.
  Response failure(const Request& req, std::string_view reason) {
    return in_namespace(req, [&](const Call& call, const handlers::Context& context, domain::BillingService&, bool) {
      return handlers::answer_failure(call, context, reason);
    });
  }

  namespaces::NamespaceRegistry& registry_;
  const std::string scheme_;
};

}  // namespace

std::unique_ptr<RequestHandler> make_routes(namespaces::NamespaceRegistry& registry, const std::string& scheme) {
  return std::make_unique<Routes>(registry, scheme);
}

}  // namespace graphfake::http
