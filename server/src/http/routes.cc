#include "http/routes.h"

#include <fmt/format.h>

#include <optional>

#include "core/excerpt.h"
#include "core/strings.h"
#include "core/time_format.h"
#include "domain/export_validation.h"
#include "domain/render.h"
#include "data/gzip_stream.h"
#include "faults/apply.h"
#include "http/admin_routes.h"
#include "http/byte_range.h"
#include "http/namespace_routing.h"
#include "http/router.h"

namespace graphfake::http {
namespace {

using domain::BillingService;

constexpr const char* kJsonContentType =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
constexpr const char* kErrorContentType = "application/json";
constexpr const char* kStorageVersion = "2021-08-06";

// One request as the handlers see it: "now" is read once, so everything in
// a response agrees on the time.
struct Exchange {
  const Request& req;
  Response& res;
  BillingService& service;
  std::string_view path;  // inside the namespace: what routes match
  TimePoint now;
  std::string request_id;
  std::string client_request_id;
  std::string origin;
  std::string base_path;  // the namespace's prefix, for URLs the response renders
  // What the journal says the request touched, as the handlers learn it.
  std::string operation_id;
  std::string operation_status;
  std::string scenario_rule;
  std::string invoice_id;
  // Whether the journal suggests the nearest route for an unmatched path: not
  // when the path is fine and only its namespace is unknown.
  bool suggest_route = true;
};

// Notes, for the journal, the operation a request touched and what it was
// started for.
void note_operation(Exchange& ex, std::string_view id) {
  if (const auto known = ex.service.operation(id, ex.now)) {
    ex.operation_id = known->id;
    ex.scenario_rule = known->scenario_rule;
    ex.invoice_id = known->invoice_id;
  }
}

// The host is the one the client used; the scheme is the server's own (the
// Host header does not carry it).
std::string origin_of(const Request& req, std::string_view scheme) {
  std::string host = req.header("Host");
  if (host.empty()) {
    host = req.local_address.find(':') != std::string::npos ? "[" + req.local_address + "]" : req.local_address;
    host += ":" + std::to_string(req.local_port);
  }
  return fmt::format("{}://{}", scheme, host);
}

// Request bytes (a path, an echoed header, a parser message quoting the
// body) may be any bytes; the JSON written back must stay valid UTF-8.
std::string dump(const nlohmann::ordered_json& body) {
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

domain::ErrorContext error_context(const Exchange& ex) {
  return domain::ErrorContext{ex.request_id, ex.client_request_id, ex.now};
}

void set_graph_headers(Exchange& ex) {
  ex.res.set_header("request-id", ex.request_id);
  ex.res.set_header("client-request-id", ex.client_request_id);
  ex.res.set_header("Date", core::http_date(ex.now));
  ex.res.set_header("Cache-Control", "no-store");
  ex.res.set_header("Strict-Transport-Security", "max-age=31536000");
  ex.res.set_header("x-ms-ags-diagnostic",
                    R"({"ServerInfo":{"DataCenter":"Local","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"graphfake"}})");
}

void write_json(Exchange& ex, int status, const nlohmann::ordered_json& body) {
  ex.res.status = status;
  ex.res.set_header("OData-Version", "4.0");
  ex.res.set_content(dump(body), kJsonContentType);
}

void write_graph_error(Exchange& ex, const core::GraphError& error) {
  ex.res.status = error.status();
  for (const auto& [name, value] : error.headers()) ex.res.set_header(name, value);
  ex.res.set_content(dump(domain::render_graph_error(error, error_context(ex))), kErrorContentType);
}

// A path in an error message: long enough to recognise, never the whole of
// an 8 KiB one.
std::string quoted_path(std::string_view path) { return core::text_excerpt(path, 200); }

core::GraphError method_not_allowed(const Exchange& ex, const Route& route) {
  return core::GraphError(405, "MethodNotAllowed",
                          fmt::format("The HTTP method '{}' is not allowed on '{}'; it accepts {}.",
                                      core::text_excerpt(ex.req.method), quoted_path(ex.req.path), route.allowed_methods),
                          {{"Allow", std::string(route.allowed_methods)}});
}

scenario::RequestHeaders headers_of(const Request& req) {
  scenario::RequestHeaders headers;
  for (const auto& [name, value] : req.headers) headers.emplace_back(core::ascii_lower(name), value);
  return headers;
}

bool method_allowed(const Route& route, std::string_view method) {
  std::string_view allowed = route.allowed_methods;
  while (!allowed.empty()) {
    const auto end = allowed.find(", ");
    if (allowed.substr(0, end) == method) return true;
    allowed.remove_prefix(end == std::string_view::npos ? allowed.size() : end + 2);
  }
  return false;
}

void serve_graph(Exchange& ex, const Route& route) {
  ex.service.authorize(ex.req.header("Authorization"), ex.now);

  if (route.endpoint == Endpoint::graph_unknown) {
    throw core::GraphError(404, "ResourceNotFound",
                           fmt::format("Resource not found for the segment '{}' in '{}'.",
                                       core::text_excerpt(route.detail), quoted_path(ex.req.path)));
  }
  if (!method_allowed(route, ex.req.method)) throw method_not_allowed(ex, route);

  const domain::ResponseOrigin to{ex.origin, route.version, ex.base_path};
  switch (route.endpoint) {
    case Endpoint::export_action: {
      auto request = domain::parse_export_request(route.export_kind, route.version,
                                                  ex.req.header("Content-Type"), ex.req.body,
                                                  ex.service.dialect());
      ex.invoice_id = request.invoice_id;
      auto start = ex.service.start_export(std::move(request), headers_of(ex.req), ex.now);
      ex.scenario_rule = start.scenario_rule;
      if (start.refusal) throw *std::move(start.refusal);
      if (start.operation) ex.operation_id = start.operation->id;
      if (start.drop_connection) {
        ex.res.drop_connection = true;
        return;
      }
      ex.res.status = 202;
      const auto location = domain::location_header(to, start.operation->id, start.location_fault);
      if (!location.empty()) ex.res.set_header("Location", location);
      return;
    }
    case Endpoint::operation: {
      // Noted first: a scripted fault may answer the poll with an error.
      note_operation(ex, route.id);
      const auto read = ex.service.poll_operation(route.id, ex.now);
      if (!model::is_terminal(read.operation.status)) {
        ex.res.set_header("Retry-After", std::to_string(read.operation.retry_after.count()));
      }
      ex.operation_status = std::string(model::to_string(read.operation.status));
      const auto* manifest = read.manifest ? &*read.manifest : nullptr;
      const auto timestamps = ex.service.dialect().operation_timestamps;
      if (read.body_fault) {
        ex.res.status = 200;
        ex.res.set_content(domain::render_broken_operation(read.operation, manifest, to, timestamps,
                                                           *read.body_fault),
                           kJsonContentType);
        return;
      }
      write_json(ex, 200, domain::render_operation(read.operation, manifest, to, timestamps));
      return;
    }
    case Endpoint::manifest: {
      const auto read = ex.service.read_manifest(route.id, ex.now);
      note_operation(ex, read.manifest->operation_id);
      write_json(ex, 200, domain::render_manifest_entity(read, to));
      return;
    }
    case Endpoint::unsupported:
      throw core::GraphError(501, "NotImplemented",
                             fmt::format("graphfake does not implement {} yet.", core::text_excerpt(route.detail)));
    default:
      throw core::GraphError(404, "ResourceNotFound", fmt::format("No resource at '{}'.", quoted_path(ex.req.path)));
  }
}

void write_storage_error(Exchange& ex, const domain::StorageError& error) {
  ex.res.status = error.status;
  if (error.retry_after) ex.res.set_header("Retry-After", std::to_string(error.retry_after->count()));
  ex.res.set_header("x-ms-error-code", error.code);
  ex.res.set_content(domain::render_storage_error(error, error_context(ex)), "application/xml");
}

// Streams [range.first, range.first + range.length) of a blob's gzip bytes,
// generating them as the client reads from the segment holding range.first
// on, bent as `wire` says.
BodySource blob_content(const domain::BlobHandle& blob, ByteRange range, faults::BlobWire wire) {
  struct Reader {
    Reader(const domain::BlobHandle& blob, std::uint64_t first, faults::BlobWire wire)
        : manifest(blob.manifest),
          index(blob.index),
          stream(*manifest->lines, *index, first),
          position(first),
          wire(wire) {}

    std::shared_ptr<const domain::Manifest> manifest;  // keeps the line source alive
    std::shared_ptr<const data::GzipIndex> index;      // and the index the stream reads
    data::GzipLinesStream stream;
    std::uint64_t position;  // whole-blob offset of the next byte to send
    faults::BlobWire wire;
  };
  auto reader = std::make_shared<Reader>(blob, range.first, wire);
  auto read = [reader](std::span<char> into) -> std::size_t {
    // Ending short of the declared length cuts the connection mid-body.
    if (reader->position >= reader->wire.stop_at) return 0;
    const auto wanted = std::min<std::uint64_t>(into.size(), reader->wire.stop_at - reader->position);
    const auto produced = reader->stream.read(into.data(), static_cast<std::size_t>(wanted));
    faults::flip(into.first(produced), reader->position, reader->wire);
    reader->position += produced;
    return produced;
  };
  return BodySource{range.length + wire.declared_extra, std::move(read)};
}

void serve_blob(Exchange& ex, const Route& route) {
  ex.res.set_header("x-ms-request-id", ex.request_id);
  ex.res.set_header("x-ms-version", kStorageVersion);
  ex.res.set_header("Date", core::http_date(ex.now));
  if (ex.req.has_header("x-ms-client-request-id")) {
    ex.res.set_header("x-ms-client-request-id", ex.req.header("x-ms-client-request-id"));
  }
  if (!method_allowed(route, ex.req.method)) {
    ex.res.set_header("Allow", std::string(route.allowed_methods));
    write_storage_error(ex, {405, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.", "", {}});
    return;
  }

  if (!route.detail.empty()) {
    // Clients list nothing: every blob is named in the manifest.
    write_storage_error(ex, {404, "ResourceNotFound",
                             fmt::format("The specified resource does not exist: graphfake serves blobs only, not "
                                         "the {} itself.",
                                         route.detail),
                             "", {}});
    return;
  }
  const auto opened = ex.service.open_blob(ex.path, ex.req.params, ex.now);
  if (const auto* error = std::get_if<domain::StorageError>(&opened)) {
    write_storage_error(ex, *error);
    return;
  }
  const auto& blob = std::get<domain::BlobHandle>(opened);
  note_operation(ex, blob.manifest->operation_id);
  const auto wire = faults::bend(blob.fault ? &*blob.fault : nullptr, blob.index->size);
  const std::uint64_t size = wire.size;

  ex.res.set_header("ETag", blob.etag);
  ex.res.set_header("Last-Modified", core::http_date(blob.manifest->created_at));
  ex.res.set_header("x-ms-creation-time", core::http_date(blob.manifest->created_at));
  ex.res.set_header("x-ms-blob-type", "BlockBlob");
  ex.res.set_header("x-ms-lease-status", "unlocked");
  ex.res.set_header("x-ms-lease-state", "available");
  ex.res.set_header("x-ms-server-encrypted", "true");
  ex.res.set_header("Accept-Ranges", "bytes");

  // Azure gives x-ms-range precedence over Range.
  const auto asked =
      requested_range(ex.req.has_header("x-ms-range") ? ex.req.header("x-ms-range") : ex.req.header("Range"), size);
  ByteRange range{0, size};
  switch (asked.kind) {
    case RangeRequest::Kind::unsatisfiable:
      ex.res.set_header("Content-Range", fmt::format("bytes */{}", size));
      write_storage_error(ex, {416, "InvalidRange", "The range specified is invalid for the current size of the resource.", "", {}});
      return;
    case RangeRequest::Kind::part:
      range = asked.range;
      ex.res.status = 206;
      ex.res.set_header("Content-Range", fmt::format("bytes {}-{}/{}", range.first, range.first + range.length - 1, size));
      break;
    case RangeRequest::Kind::whole:
      ex.res.status = 200;
      break;
  }
  ex.res.set_header("Content-Type", "application/octet-stream");
  ex.res.stream = blob_content(blob, range, wire);
}

Exchange exchange_for(const Request& req, Response& res, BillingService& service,
                      const NamespaceTarget& target, std::string_view scheme) {
  std::string request_id = service.new_request_id();
  std::string client_request_id = req.header("client-request-id");
  if (client_request_id.empty()) client_request_id = request_id;
  return Exchange{req,
                  res,
                  service,
                  target.path,
                  service.now(),
                  std::move(request_id),
                  std::move(client_request_id),
                  origin_of(req, scheme),
                  target.url_prefix,
                  {},
                  {},
                  {},
                  {},
                  true};
}

std::string_view journal_endpoint(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::export_action: return "export";
    case Endpoint::operation: return "operation";
    case Endpoint::manifest: return "manifest";
    case Endpoint::blob: return "blob";
    case Endpoint::unsupported: return "unsupported";
    case Endpoint::graph_unknown:
    case Endpoint::not_found: return "unmatched";
  }
  return "unmatched";
}

// Written before the response is sent, so a client holding its answer
// always finds the request in the journal.
void record(domain::Journal& journal, const Exchange& ex, Endpoint endpoint) {
  JournalEntry entry;
  entry.at = ex.now;
  entry.method = ex.req.method;
  entry.path = ex.req.path;
  entry.query = ex.req.query;
  for (const auto& [name, value] : ex.req.headers) entry.request_headers.emplace_back(core::ascii_lower(name), value);
  entry.request_body = ex.req.body;  // the journal keeps what its limits allow
  // A dropped connection got no answer at all.
  entry.status = ex.res.drop_connection ? 0 : ex.res.status;
  for (const auto& [name, value] : ex.res.headers) entry.response_headers.emplace_back(name, value);
  entry.endpoint = journal_endpoint(endpoint);
  entry.operation_id = ex.operation_id;
  entry.operation_status = ex.operation_status;
  entry.scenario_rule = ex.scenario_rule;
  entry.invoice_id = ex.invoice_id;
  if (entry.endpoint == "unmatched" && ex.suggest_route) entry.nearest_route = nearest_route(ex.req.method, ex.path);
  journal.record(std::move(entry));
}

void serve(const Request& req, Response& res, domain::FakeNamespace& fake, const NamespaceTarget& target,
           std::string_view scheme) {
  // Held for the whole request: a reset meanwhile swaps in a new service
  // without pulling this one away.
  const auto [service, journal] = fake.current();
  Exchange ex = exchange_for(req, res, *service, target, scheme);
  const Route route = match_route(target.path);
  if (route.endpoint == Endpoint::blob) {
    serve_blob(ex, route);
    record(*journal, ex, route.endpoint);
    return;
  }
  set_graph_headers(ex);
  try {
    if (route.endpoint == Endpoint::not_found) {
      throw core::GraphError(404, "ResourceNotFound",
                             fmt::format("Resource not found for the segment '{}'. graphfake serves /v1.0 and "
                                         "/beta reports/partners/billing APIs and blobs under /{}/.",
                                         core::text_excerpt(route.detail), domain::BlobStore::kAccount));
    }
    serve_graph(ex, route);
  } catch (const core::GraphError& error) {
    write_graph_error(ex, error);
  }
  record(*journal, ex, route.endpoint);
}

// A Graph or blob request for a namespace that does not exist is answered
// (and journaled) by the default namespace.
void answer_unknown_namespace(const Request& req, Response& res, domain::FakeNamespace& fallback,
                              const NamespaceTarget& target, std::string_view scheme) {
  const auto [service, journal] = fallback.current();
  const NamespaceTarget as_sent{std::string(domain::NamespaceRegistry::kDefaultName), req.path, ""};
  Exchange ex = exchange_for(req, res, *service, as_sent, scheme);
  ex.suggest_route = false;
  set_graph_headers(ex);
  write_graph_error(ex, core::GraphError(404, "ResourceNotFound",
                                         fmt::format("There is no graphfake namespace '{}': create it with POST "
                                                     "{}/namespaces, or leave out '{}' and the {} header.",
                                                     core::text_excerpt(target.name), kAdminPrefix, kNamespacePrefix,
                                                     kNamespaceHeader)));
  record(*journal, ex, Endpoint::not_found);
}

// The namespace the request chose, or the default one (taking the path as
// sent) when it chose one that does not exist.
std::pair<std::shared_ptr<domain::FakeNamespace>, NamespaceTarget> chosen_or_default(
    const Request& req, const domain::NamespaceRegistry& registry) {
  auto target = namespace_target(req);
  if (auto fake = registry.find(target.name)) return {std::move(fake), std::move(target)};
  return {registry.find(domain::NamespaceRegistry::kDefaultName),
          NamespaceTarget{std::string(domain::NamespaceRegistry::kDefaultName), req.path, ""}};
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

class Routes final : public RequestHandler {
 public:
  Routes(domain::NamespaceRegistry& registry, std::string scheme) : registry_(registry), scheme_(std::move(scheme)) {}

  Response answer(const Request& req) override {
    Response res;
    try {
      dispatch(req, res);
    } catch (const std::exception& error) {
      res = answer_failure(req, error.what());
    }
    return res;
  }

  // Answered in the format of the route the request was for, and journaled.
  Response answer_problem(const Request& req, const RequestProblem& problem) override {
    try {
      return refusal(req, problem);
    } catch (const std::exception& error) {
      return answer_failure(req, error.what());
    }
  }

 private:
  Response refusal(const Request& req, const RequestProblem& problem) {
    Response res;
    res.status = problem.status;
    if (is_admin_path(namespace_target(req).path)) {
      answer_unreadable_admin_request(res, problem.reason);
      return res;
    }
    const auto [fake, target] = chosen_or_default(req, registry_);
    const auto [service, journal] = fake->current();
    Exchange ex = exchange_for(req, res, *service, target, scheme_);
    const auto endpoint = match_route(target.path).endpoint;
    if (endpoint == Endpoint::blob) {
      ex.res.set_header("x-ms-request-id", ex.request_id);
      write_storage_error(ex, {problem.status, std::string(storage_code(problem.status)),
                               fmt::format("The request could not be read: {}.", problem.reason), "", {}});
    } else {
      set_graph_headers(ex);
      write_graph_error(ex, core::GraphError(problem.status, std::string(graph_code(problem.status)),
                                             fmt::format("The request could not be read: {}.", problem.reason)));
    }
    record(*journal, ex, endpoint);
    return res;
  }

  // Serves the request in the namespace it chose.
  void dispatch(const Request& req, Response& res) {
    const auto target = namespace_target(req);
    if (is_admin_path(target.path)) {
      serve_admin(req, res, AdminRequest{target, origin_of(req, scheme_)}, registry_);
      return;
    }
    const auto fake = registry_.find(target.name);
    if (!fake) return answer_unknown_namespace(req, res, registry_.default_namespace(), target, scheme_);
    serve(req, res, *fake, target, scheme_);
  }

  // A handler that threw: answered 500 in Graph's envelope, and journaled.
  Response answer_failure(const Request& req, std::string_view reason) {
    Response res;
    const auto [fake, target] = chosen_or_default(req, registry_);
    const auto [service, journal] = fake->current();
    Exchange ex = exchange_for(req, res, *service, target, scheme_);
    set_graph_headers(ex);
    write_graph_error(ex, core::GraphError(500, "InternalServerError", fmt::format("graphfake failed: {}", reason)));
    record(*journal, ex, match_route(target.path).endpoint);
    return res;
  }

  domain::NamespaceRegistry& registry_;
  const std::string scheme_;
};

}  // namespace

std::unique_ptr<RequestHandler> make_routes(domain::NamespaceRegistry& registry, const std::string& scheme) {
  return std::make_unique<Routes>(registry, scheme);
}

}  // namespace graphfake::http
