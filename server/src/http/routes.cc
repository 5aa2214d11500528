#include "http/routes.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "core/strings.h"
#include "core/time_format.h"
#include "domain/export_validation.h"
#include "domain/render.h"
#include "data/gzip_stream.h"
#include "http/admin_routes.h"
#include "http/connections.h"
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
  const httplib::Request& req;
  httplib::Response& res;
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
  bool dropped = false;  // the connection was closed without an answer
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
std::string origin_of(const httplib::Request& req, std::string_view scheme) {
  std::string host = req.get_header_value("Host");
  if (host.empty()) {
    host = req.local_addr.find(':') != std::string::npos ? "[" + req.local_addr + "]" : req.local_addr;
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

core::GraphError method_not_allowed(const Exchange& ex, const Route& route) {
  return core::GraphError(405, "MethodNotAllowed",
                          fmt::format("The HTTP method '{}' is not allowed on '{}'; it accepts {}.", ex.req.method,
                                      ex.req.path, route.allowed_methods),
                          {{"Allow", std::string(route.allowed_methods)}});
}

scenario::RequestHeaders headers_of(const httplib::Request& req) {
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
  ex.service.authorize(ex.req.get_header_value("Authorization"), ex.now);

  if (route.endpoint == Endpoint::graph_unknown) {
    throw core::GraphError(404, "ResourceNotFound",
                           fmt::format("Resource not found for the segment '{}' in '{}'.", route.detail,
                                       ex.req.path));
  }
  if (!method_allowed(route, ex.req.method)) throw method_not_allowed(ex, route);

  const domain::ResponseOrigin to{ex.origin, route.version, ex.base_path};
  switch (route.endpoint) {
    case Endpoint::export_action: {
      auto request = domain::parse_export_request(route.export_kind, route.version,
                                                  ex.req.get_header_value("Content-Type"), ex.req.body,
                                                  ex.service.dialect());
      ex.invoice_id = request.invoice_id;
      auto start = ex.service.start_export(std::move(request), headers_of(ex.req), ex.now);
      ex.scenario_rule = start.scenario_rule;
      if (start.refusal) throw *std::move(start.refusal);
      if (start.operation) ex.operation_id = start.operation->id;
      if (start.drop_connection) {
        drop_connection(static_cast<std::uint16_t>(ex.req.local_port), static_cast<std::uint16_t>(ex.req.remote_port));
        ex.dropped = true;
        ex.res.status = 500;  // never reaches the client
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
                             fmt::format("graphfake does not implement {} yet.", route.detail));
    default:
      throw core::GraphError(404, "ResourceNotFound", fmt::format("No resource at '{}'.", ex.req.path));
  }
}

struct ByteRange {
  std::uint64_t first;
  std::uint64_t length;
};

// Reads "bytes=a-b", "bytes=a-" or "bytes=-n". nullopt: no usable single
// range (absent, malformed or several), so the whole blob is served, as
// RFC 9110 allows. Throws the unsatisfiable size for 416.
struct Unsatisfiable {};
std::optional<ByteRange> requested_range(const httplib::Request& req, std::uint64_t size) {
  // Azure gives x-ms-range precedence over Range.
  const std::string header =
      req.has_header("x-ms-range") ? req.get_header_value("x-ms-range") : req.get_header_value("Range");
  constexpr std::string_view kUnit = "bytes=";
  if (header.rfind(kUnit, 0) != 0 || header.find(',') != std::string::npos) return std::nullopt;
  const std::string_view spec = std::string_view(header).substr(kUnit.size());
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;

  auto number = [](std::string_view text) -> std::optional<std::uint64_t> {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
  };
  const auto first = number(spec.substr(0, dash));
  const auto last = number(spec.substr(dash + 1));
  if (!first && !spec.substr(0, dash).empty()) return std::nullopt;
  if (!last && !spec.substr(dash + 1).empty()) return std::nullopt;
  if (!first) {
    if (!last) return std::nullopt;
    if (*last == 0 || size == 0) throw Unsatisfiable{};
    const auto length = std::min(*last, size);
    return ByteRange{size - length, length};
  }
  if (last && *last < *first) return std::nullopt;
  if (*first >= size) throw Unsatisfiable{};
  const std::uint64_t end = last ? std::min(*last, size - 1) : size - 1;
  return ByteRange{*first, end - *first + 1};
}

void write_storage_error(Exchange& ex, const domain::StorageError& error) {
  ex.res.status = error.status;
  if (error.retry_after) ex.res.set_header("Retry-After", std::to_string(error.retry_after->count()));
  ex.res.set_header("x-ms-error-code", error.code);
  ex.res.set_content(domain::render_storage_error(error, error_context(ex)), "application/xml");
}

// How a scripted fault bends a blob's bytes on the wire, in whole-blob byte
// positions.
struct WireBytes {
  std::uint64_t size;            // the bytes there are to serve
  std::uint64_t declared_extra;  // Content-Length claims this many more
  std::uint64_t stop_at;         // the connection drops here
  std::uint64_t corrupt_from;    // bytes in [corrupt_from, corrupt_to) are flipped
  std::uint64_t corrupt_to;
};

WireBytes wire_bytes(const domain::BlobHandle& blob) {
  const auto size = blob.index->size;
  WireBytes wire{size, 0, size, 0, 0};
  if (!blob.fault) return wire;
  const auto& fault = *blob.fault;
  if (fault.gzip == model::Fault::Gzip::truncated) wire.size = wire.stop_at = size / 2;
  // Past the 10-byte gzip header, so the damage is to the deflate data.
  if (fault.gzip == model::Fault::Gzip::corrupt) {
    wire.corrupt_from = std::max<std::uint64_t>(10, size / 2);
    wire.corrupt_to = std::min(size, wire.corrupt_from + 16);
  }
  if (fault.reset_at_byte) wire.stop_at = std::min(size, *fault.reset_at_byte);
  if (fault.extra_content_length) wire.declared_extra = *fault.extra_content_length;
  return wire;
}

// Streams [range.first, range.first + range.length) of a blob's gzip bytes,
// generating them as the client reads from the segment holding range.first
// on, bent as `wire` says.
httplib::ContentProvider blob_content(const domain::BlobHandle& blob, ByteRange range, WireBytes wire) {
  struct Reader {
    Reader(const domain::BlobHandle& blob, std::uint64_t first, WireBytes wire)
        : manifest(blob.manifest),
          index(blob.index),
          stream(*manifest->lines, *index, first),
          position(first),
          wire(wire) {}

    std::shared_ptr<const domain::Manifest> manifest;  // keeps the line source alive
    std::shared_ptr<const data::GzipIndex> index;      // and the index the stream reads
    data::GzipLinesStream stream;
    std::uint64_t position;  // whole-blob offset of the next byte to send
    WireBytes wire;
    std::vector<char> buffer = std::vector<char>(64 * 1024);
  };
  auto reader = std::make_shared<Reader>(blob, range.first, wire);
  return [reader](std::size_t, std::size_t length, httplib::DataSink& sink) {
    // Returning false makes httplib close the connection mid-body.
    if (reader->position >= reader->wire.stop_at) return false;
    const auto wanted = std::min<std::uint64_t>({length, reader->buffer.size(), reader->wire.stop_at - reader->position});
    const auto produced = reader->stream.read(reader->buffer.data(), static_cast<std::size_t>(wanted));
    if (produced == 0) return false;
    char* data = reader->buffer.data();
    for (std::size_t i = 0; i < produced; ++i) {
      const auto at = reader->position + i;
      if (at >= reader->wire.corrupt_from && at < reader->wire.corrupt_to) data[i] = static_cast<char>(~data[i]);
    }
    reader->position += produced;
    return sink.write(data, produced);
  };
}

void serve_blob(Exchange& ex, const Route& route) {
  ex.res.set_header("x-ms-request-id", ex.request_id);
  ex.res.set_header("x-ms-version", kStorageVersion);
  ex.res.set_header("Date", core::http_date(ex.now));
  if (ex.req.has_header("x-ms-client-request-id")) {
    ex.res.set_header("x-ms-client-request-id", ex.req.get_header_value("x-ms-client-request-id"));
  }
  if (!method_allowed(route, ex.req.method)) {
    ex.res.set_header("Allow", std::string(route.allowed_methods));
    write_storage_error(ex, {405, "UnsupportedHttpVerb", "The resource doesn't support specified Http Verb.", "", {}});
    return;
  }

  const auto opened = ex.service.open_blob(ex.path, ex.req.params, ex.now);
  if (const auto* error = std::get_if<domain::StorageError>(&opened)) {
    write_storage_error(ex, *error);
    return;
  }
  const auto& blob = std::get<domain::BlobHandle>(opened);
  note_operation(ex, blob.manifest->operation_id);
  const auto wire = wire_bytes(blob);
  const std::uint64_t size = wire.size;

  ex.res.set_header("ETag", blob.etag);
  ex.res.set_header("Last-Modified", core::http_date(blob.manifest->created_at));
  ex.res.set_header("x-ms-creation-time", core::http_date(blob.manifest->created_at));
  ex.res.set_header("x-ms-blob-type", "BlockBlob");
  ex.res.set_header("x-ms-lease-status", "unlocked");
  ex.res.set_header("x-ms-lease-state", "available");
  ex.res.set_header("x-ms-server-encrypted", "true");
  ex.res.set_header("Accept-Ranges", "bytes");

  std::optional<ByteRange> range;
  try {
    range = requested_range(ex.req, size);
  } catch (const Unsatisfiable&) {
    ex.res.set_header("Content-Range", fmt::format("bytes */{}", size));
    write_storage_error(ex, {416, "InvalidRange", "The range specified is invalid for the current size of the resource.", "", {}});
    return;
  }
  if (range) {
    ex.res.status = 206;
    ex.res.set_header("Content-Range",
                      fmt::format("bytes {}-{}/{}", range->first, range->first + range->length - 1, size));
  } else {
    ex.res.status = 200;
    range = ByteRange{0, size};
  }
  ex.res.set_content_provider(static_cast<std::size_t>(range->length + wire.declared_extra), "application/octet-stream",
                              blob_content(blob, *range, wire));
}

Exchange exchange_for(const httplib::Request& req, httplib::Response& res, BillingService& service,
                      const NamespaceTarget& target, std::string_view scheme) {
  std::string request_id = service.new_request_id();
  std::string client_request_id = req.get_header_value("client-request-id");
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
                  false,
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
  constexpr std::size_t kBodyKept = 64 * 1024;
  JournalEntry entry;
  entry.at = ex.now;
  entry.method = ex.req.method;
  entry.path = ex.req.path;
  const auto question = ex.req.target.find('?');
  if (question != std::string::npos) entry.query = ex.req.target.substr(question + 1);
  for (const auto& [name, value] : ex.req.headers) {
    // httplib files the connection's addresses among the headers; the client sent no such thing.
    auto lowered = core::ascii_lower(name);
    if (lowered == "remote_addr" || lowered == "remote_port" || lowered == "local_addr" || lowered == "local_port") {
      continue;
    }
    entry.request_headers.emplace_back(std::move(lowered), value);
  }
  entry.request_body = ex.req.body.substr(0, kBodyKept);
  entry.status = ex.dropped ? 0 : ex.res.status;
  for (const auto& [name, value] : ex.res.headers) entry.response_headers.emplace_back(name, value);
  entry.endpoint = journal_endpoint(endpoint);
  entry.operation_id = ex.operation_id;
  entry.operation_status = ex.operation_status;
  entry.scenario_rule = ex.scenario_rule;
  entry.invoice_id = ex.invoice_id;
  if (entry.endpoint == "unmatched" && ex.suggest_route) entry.nearest_route = nearest_route(ex.req.method, ex.path);
  journal.record(std::move(entry));
}

void serve(const httplib::Request& req, httplib::Response& res, domain::FakeNamespace& fake,
           const NamespaceTarget& target, std::string_view scheme) {
  // httplib would apply a Range header to every response body it writes;
  // only blobs take ranges, and serve_blob applies them itself. The Request
  // is a non-const object owned by httplib's connection loop.
  const_cast<httplib::Request&>(req).ranges.clear();

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
                                         route.detail, domain::BlobStore::kAccount));
    }
    serve_graph(ex, route);
  } catch (const core::GraphError& error) {
    write_graph_error(ex, error);
  }
  record(*journal, ex, route.endpoint);
}

// A Graph or blob request for a namespace that does not exist is answered
// (and journaled) by the default namespace.
void answer_unknown_namespace(const httplib::Request& req, httplib::Response& res, domain::FakeNamespace& fallback,
                              const NamespaceTarget& target, std::string_view scheme) {
  const auto [service, journal] = fallback.current();
  const NamespaceTarget as_sent{std::string(domain::NamespaceRegistry::kDefaultName), req.path, ""};
  Exchange ex = exchange_for(req, res, *service, as_sent, scheme);
  ex.suggest_route = false;
  set_graph_headers(ex);
  write_graph_error(ex, core::GraphError(404, "ResourceNotFound",
                                         fmt::format("There is no graphfake namespace '{}': create it with POST "
                                                     "{}/namespaces, or leave out '{}' and the {} header.",
                                                     target.name, kAdminPrefix, kNamespacePrefix, kNamespaceHeader)));
  record(*journal, ex, Endpoint::not_found);
}

// Serves the request in the namespace it chose.
void dispatch(const httplib::Request& req, httplib::Response& res, domain::NamespaceRegistry& registry,
              const std::string& scheme) {
  const auto target = namespace_target(req);
  if (is_admin_path(target.path)) {
    serve_admin(req, res, AdminRequest{target, origin_of(req, scheme)}, registry);
    return;
  }
  const auto fake = registry.find(target.name);
  if (!fake) return answer_unknown_namespace(req, res, registry.default_namespace(), target, scheme);
  serve(req, res, *fake, target, scheme);
}

// The namespace the request chose, or the default one (taking the path as
// sent) when it chose one that does not exist.
std::pair<std::shared_ptr<domain::FakeNamespace>, NamespaceTarget> chosen_or_default(
    const httplib::Request& req, const domain::NamespaceRegistry& registry) {
  auto target = namespace_target(req);
  if (auto fake = registry.find(target.name)) return {std::move(fake), std::move(target)};
  return {registry.find(domain::NamespaceRegistry::kDefaultName),
          NamespaceTarget{std::string(domain::NamespaceRegistry::kDefaultName), req.path, ""}};
}

// httplib answers some requests itself, before any handler runs: a request
// line it cannot parse (400), a URI or body too long (414, 413), a Range
// header it cannot parse (416), a method it does not dispatch (TRACE,
// CONNECT: 400). Those that are really requests for a route are served
// normally; the rest get the error in the route's own format.
httplib::Server::HandlerResponse answer_unrouted(const httplib::Request& req, httplib::Response& res,
                                                 domain::NamespaceRegistry& registry, const std::string& scheme) {
  if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // a handler already answered

  const bool unparsed_range = res.status == 416 && (req.method == "GET" || req.method == "HEAD");
  const bool undispatched_method = res.status == 400 && (req.method == "TRACE" || req.method == "CONNECT");
  if (unparsed_range || undispatched_method) {
    res.status = -1;
    dispatch(req, res, registry, scheme);
    return httplib::Server::HandlerResponse::Handled;
  }

  if (is_admin_path(namespace_target(req).path)) {
    answer_unreadable_admin_request(res);
    return httplib::Server::HandlerResponse::Handled;
  }
  const auto [fake, target] = chosen_or_default(req, registry);
  const auto [service, journal] = fake->current();
  Exchange ex = exchange_for(req, res, *service, target, scheme);
  const int status = res.status;
  const auto endpoint = match_route(target.path).endpoint;
  if (endpoint == Endpoint::blob) {
    ex.res.set_header("x-ms-request-id", ex.request_id);
    write_storage_error(ex, {status, status == 413 ? "RequestBodyTooLarge" : "InvalidInput",
                             "One of the request inputs is not valid.", "", {}});
    record(*journal, ex, endpoint);
    return httplib::Server::HandlerResponse::Handled;
  }
  const char* code = status == 413 ? "RequestEntityTooLarge" : status == 414 ? "RequestUriTooLong" : "BadRequest";
  set_graph_headers(ex);
  write_graph_error(ex, core::GraphError(status, code,
                                         fmt::format("The request could not be read as HTTP (status {}): check the "
                                                     "request line, header sizes and body length.",
                                                     status)));
  record(*journal, ex, endpoint);
  return httplib::Server::HandlerResponse::Handled;
}

// A handler that threw: answered 500 in Graph's envelope, and journaled.
void answer_failure(const httplib::Request& req, httplib::Response& res, domain::NamespaceRegistry& registry,
                    const std::string& scheme, std::exception_ptr error) {
  std::string reason = "unknown error";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    reason = e.what();
  } catch (...) {
  }
  res.headers.clear();
  const auto [fake, target] = chosen_or_default(req, registry);
  const auto [service, journal] = fake->current();
  Exchange ex = exchange_for(req, res, *service, target, scheme);
  set_graph_headers(ex);
  write_graph_error(ex, core::GraphError(500, "InternalServerError", "graphfake failed: " + reason));
  record(*journal, ex, match_route(target.path).endpoint);
}

}  // namespace

void install_routes(httplib::Server& server, domain::NamespaceRegistry& registry, const std::string& scheme) {
  auto handler = [&registry, scheme](const httplib::Request& req, httplib::Response& res) {
    dispatch(req, res, registry, scheme);
  };
  const std::string any = ".*";
  server.Get(any, handler);
  server.Post(any, handler);
  server.Put(any, handler);
  server.Patch(any, handler);
  server.Delete(any, handler);
  server.Options(any, handler);

  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [&registry, scheme](const httplib::Request& req, httplib::Response& res) {
        return answer_unrouted(req, res, registry, scheme);
      }));
  server.set_exception_handler(
      [&registry, scheme](const httplib::Request& req, httplib::Response& res, std::exception_ptr error) {
        answer_failure(req, res, registry, scheme, std::move(error));
      });
}

}  // namespace graphfake::http
