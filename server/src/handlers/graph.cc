// The Graph endpoints: export, poll, manifest, and what Graph answers for
// paths it does not serve, all in Graph's conventions (headers, error
// envelope).
#include <fmt/format.h>

#include "core/excerpt.h"
#include "core/strings.h"
#include "core/time_format.h"
#include "domain/export_validation.h"
#include "domain/render.h"
#include "handlers/graph_replies.h"
#include "handlers/handlers.h"
#include "namespaces/namespace_routing.h"

namespace graphfake::handlers {
namespace {

using domain::BillingService;

// Request bytes (a path, an echoed header, a parser message quoting the
// body) may be any bytes; the JSON written back must stay valid UTF-8.
std::string dump(const nlohmann::ordered_json& body) {
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void write_json(Reply& reply, int status, const nlohmann::ordered_json& body) {
  reply.status = status;
  reply.set_header("OData-Version", "4.0");
  reply.set_content(dump(body), kGraphJsonContentType);
}

// A path in an error message: long enough to recognise, never the whole of
// an 8 KiB one.
std::string quoted_path(std::string_view path) { return core::text_excerpt(path, 200); }

core::GraphError method_not_allowed(const Call& call, const Route& route) {
  return core::GraphError(405, "MethodNotAllowed",
                          fmt::format("The HTTP method '{}' is not allowed on '{}'; it accepts {}.",
                                      core::text_excerpt(call.method), quoted_path(call.sent_path),
                                      route.allowed_methods),
                          {{"Allow", std::string(route.allowed_methods)}});
}

scenario::RequestHeaders headers_of(const Call& call) {
  scenario::RequestHeaders headers;
  for (const auto& [name, value] : call.headers) headers.emplace_back(core::ascii_lower(name), value);
  return headers;
}

domain::ResponseOrigin origin_of(const Context& context, const Route& route) {
  return domain::ResponseOrigin{context.origin, route.version, context.base_path};
}

Endpoint journal_endpoint(RouteKind route) {
  switch (route) {
    case RouteKind::export_action: return Endpoint::export_request;
    case RouteKind::operation: return Endpoint::operation;
    case RouteKind::manifest: return Endpoint::manifest;
    case RouteKind::blob: return Endpoint::blob;
    case RouteKind::unsupported: return Endpoint::unsupported;
    case RouteKind::graph_unknown:
    case RouteKind::not_found: return Endpoint::unmatched;
  }
  return Endpoint::unmatched;
}

// A reply for `route` with Graph's headers and the journal's notes started.
Reply graph_reply(const Call& call, const Context& context, RouteKind endpoint) {
  Reply reply;
  set_graph_headers(reply, context);
  reply.notes.endpoint = journal_endpoint(endpoint);
  if (reply.notes.endpoint == Endpoint::unmatched) reply.notes.nearest_route = nearest_route(call.method, call.path);
  return reply;
}

// The Graph error a request for a route the fake does not serve gets.
core::GraphError unserved(const Call& call, const Route& route) {
  switch (route.endpoint) {
    case RouteKind::graph_unknown:
      return core::GraphError(404, "ResourceNotFound",
                              fmt::format("Resource not found for the segment '{}' in '{}'.",
                                          core::text_excerpt(route.detail), quoted_path(call.sent_path)));
    case RouteKind::unsupported:
      return core::GraphError(501, "NotImplemented",
                              fmt::format("graphfake does not implement {} yet.", core::text_excerpt(route.detail)));
    case RouteKind::not_found:
      return core::GraphError(404, "ResourceNotFound",
                              fmt::format("Resource not found for the segment '{}'. graphfake serves /v1.0 and "
                                          "/beta reports/partners/billing APIs and blobs under /{}/.",
                                          core::text_excerpt(route.detail), domain::BlobStore::kAccount));
    default:
      return core::GraphError(404, "ResourceNotFound",
                              fmt::format("No resource at '{}'.", quoted_path(call.sent_path)));
  }
}

using EndpointFunction = void (*)(const Call&, const Context&, BillingService&, const Route&, Reply&);

// Authorization first, then the path, the method and the endpoint; a
// GraphError from any of them is the answer.
Reply answer_graph(const Call& call, const Context& context, BillingService& service, const Route& route,
                   EndpointFunction endpoint) {
  Reply reply = graph_reply(call, context, route.endpoint);
  try {
    service.authorize(call.header("Authorization"), context.now);
    if (route.endpoint == RouteKind::graph_unknown) throw unserved(call, route);
    if (!method_allowed(route, call.method)) throw method_not_allowed(call, route);
    if (endpoint == nullptr) throw unserved(call, route);
    endpoint(call, context, service, route, reply);
  } catch (const core::GraphError& error) {
    // What the endpoint noted before it refused stays noted.
    write_graph_error(reply, context, error);
  }
  return reply;
}

// The Azure Storage error code for a blob request that could not be read.
std::string_view storage_code(int status) {
  switch (status) {
    case 408: return "RequestTimeout";
    case 413: return "RequestBodyTooLarge";
    case 414: return "InvalidUri";
    case 431: return "InvalidHeaderValue";
    case 505: return "UnsupportedHttpVersion";
    default: return "InvalidInput";
  }
}

// The Graph error code for a Graph request that could not be read.
std::string_view graph_code(int status) {
  switch (status) {
    case 408: return "RequestTimeout";
    case 413: return "RequestEntityTooLarge";
    case 414: return "RequestUriTooLong";
    case 415: return "UnsupportedMediaType";
    case 417: return "ExpectationFailed";
    case 431: return "RequestHeaderFieldsTooLarge";
    case 501: return "NotImplemented";
    case 503: return "ServiceUnavailable";
    case 505: return "HttpVersionNotSupported";
    default: return "BadRequest";
  }
}

}  // namespace

Context context_for(const Call& call, BillingService& service, std::string origin, std::string base_path) {
  std::string request_id = service.new_request_id();
  std::string client_request_id = call.header("client-request-id");
  if (client_request_id.empty()) client_request_id = request_id;
  return Context{service.now(), std::move(origin), std::move(base_path), std::move(request_id),
                 std::move(client_request_id)};
}

void start_export(const Call& call, const Context& context, BillingService& service, const Route& route,
                  Reply& reply) {
  auto request = domain::parse_export_request(route.export_kind, route.version, call.header("Content-Type"),
                                              call.body, service.dialect());
  reply.notes.invoice_id = request.invoice_id;
  auto start = service.start_export(std::move(request), headers_of(call), context.now);
  reply.notes.scenario_rule = start.scenario_rule;
  if (start.refusal) throw *std::move(start.refusal);
  if (start.operation) reply.notes.operation_id = start.operation->id;
  if (start.drop_connection) {
    reply.drop_connection = true;
    return;
  }
  reply.status = 202;
  const auto location = domain::location_header(origin_of(context, route), start.operation->id, start.location_fault);
  if (!location.empty()) reply.set_header("Location", location);
}

void poll_operation(const Call&, const Context& context, BillingService& service, const Route& route, Reply& reply) {
  // Noted first: a scripted fault may answer the poll with an error.
  note_operation(reply, service, route.id, context.now);
  const auto read = service.poll_operation(route.id, context.now);
  if (!model::is_terminal(read.operation.status)) {
    reply.set_header("Retry-After", std::to_string(read.operation.retry_after.count()));
  }
  reply.notes.operation_status = read.operation.status;
  const auto* manifest = read.manifest ? &*read.manifest : nullptr;
  const auto timestamps = service.dialect().operation_timestamps;
  const auto to = origin_of(context, route);
  if (read.body_fault) {
    reply.status = 200;
    reply.set_content(domain::render_broken_operation(read.operation, manifest, to, timestamps, *read.body_fault),
                      kGraphJsonContentType);
    return;
  }
  write_json(reply, 200, domain::render_operation(read.operation, manifest, to, timestamps));
}

void read_manifest(const Call&, const Context& context, BillingService& service, const Route& route, Reply& reply) {
  const auto read = service.read_manifest(route.id, context.now);
  note_operation(reply, service, service.reading_operation(*read.manifest), context.now);
  write_json(reply, 200, domain::render_manifest_entity(read, origin_of(context, route)));
}

Reply answer(const Call& call, const Context& context, BillingService& service) {
  const Route route = match_route(call.path);
  switch (route.endpoint) {
    case RouteKind::blob: {
      Reply reply = read_blob(call, context, service, route);
      reply.notes.endpoint = journal_endpoint(route.endpoint);
      return reply;
    }
    case RouteKind::export_action: return answer_graph(call, context, service, route, start_export);
    case RouteKind::operation: return answer_graph(call, context, service, route, poll_operation);
    case RouteKind::manifest: return answer_graph(call, context, service, route, read_manifest);
    case RouteKind::not_found: {
      // Outside every API: no authorization to ask for.
      Reply reply = graph_reply(call, context, route.endpoint);
      write_graph_error(reply, context, unserved(call, route));
      return reply;
    }
    default: return answer_graph(call, context, service, route, nullptr);
  }
}

namespace {

// A blob-path reply with Azure's headers, for an answer made outside read_blob.
Reply storage_reply(const Call& call, const Context& context, Endpoint endpoint) {
  Reply reply;
  set_storage_headers(reply, call, context);
  reply.notes.endpoint = endpoint;
  return reply;
}

}  // namespace

Reply answer_unknown_namespace(const Call& call, const Context& context, std::string_view name,
                               std::string_view path_inside) {
  const auto message = fmt::format("There is no graphfake namespace '{}': create it with POST {}/namespaces, or "
                                   "leave out '{}' and the {} header.",
                                   core::text_excerpt(name), namespaces::kAdminPrefix, namespaces::kNamespacePrefix,
                                   namespaces::kNamespaceHeader);
  if (match_route(path_inside).endpoint == RouteKind::blob) {
    Reply reply = storage_reply(call, context, Endpoint::unmatched);
    write_storage_error(reply, context, {404, "ResourceNotFound", message, "", {}});
    return reply;
  }
  Reply reply;
  set_graph_headers(reply, context);
  write_graph_error(reply, context, core::GraphError(404, "ResourceNotFound", message));
  return reply;
}

Reply answer_unreadable(const Call& call, const Context& context, std::string_view path_inside, int status,
                        std::string_view reason) {
  const auto endpoint = match_route(path_inside).endpoint;
  const auto message = fmt::format("The request could not be read: {}.", reason);
  if (endpoint == RouteKind::blob) {
    Reply reply = storage_reply(call, context, journal_endpoint(endpoint));
    write_storage_error(reply, context, {status, std::string(storage_code(status)), message, "", {}});
    return reply;
  }
  Reply reply = graph_reply(call, context, endpoint);
  write_graph_error(reply, context, core::GraphError(status, std::string(graph_code(status)), message));
  return reply;
}

Reply answer_failure(const Call& call, const Context& context, std::string_view reason) {
  const auto endpoint = match_route(call.path).endpoint;
  if (endpoint == RouteKind::blob) {
    Reply reply = storage_reply(call, context, journal_endpoint(endpoint));
    write_storage_error(reply, context,
                        {500, "InternalError",
                         fmt::format("The server encountered an internal error. Please retry the request. "
                                     "(graphfake failed: {})",
                                     reason),
                         "",
                         {}});
    return reply;
  }
  Reply reply = graph_reply(call, context, endpoint);
  write_graph_error(reply, context,
                    core::GraphError(500, "InternalServerError", fmt::format("graphfake failed: {}", reason)));
  return reply;
}

}  // namespace graphfake::handlers
