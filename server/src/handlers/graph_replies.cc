#include "handlers/graph_replies.h"

#include "core/time_format.h"
#include "domain/render.h"

namespace graphfake::handlers {
namespace {

constexpr const char* kErrorContentType = "application/json";
constexpr const char* kStorageVersion = "2021-08-06";

domain::ErrorContext error_context(const Context& context) {
  return domain::ErrorContext{context.request_id, context.client_request_id, context.now};
}

}  // namespace

void set_graph_headers(Reply& reply, const Context& context) {
  reply.set_header("request-id", context.request_id);
  reply.set_header("client-request-id", context.client_request_id);
  reply.set_header("Date", core::http_date(context.now));
  reply.set_header("Cache-Control", "no-store");
  reply.set_header("Strict-Transport-Security", "max-age=31536000");
  reply.set_header(
      "x-ms-ags-diagnostic",
      R"({"ServerInfo":{"DataCenter":"Local","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"graphfake"}})");
}

void write_graph_error(Reply& reply, const Context& context, const core::GraphError& error) {
  reply.status = error.status();
  for (const auto& [name, value] : error.headers()) reply.set_header(name, value);
  // Request bytes quoted in a message may be any bytes; the JSON stays valid UTF-8.
  reply.set_content(domain::render_graph_error(error, error_context(context))
                        .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
                    kErrorContentType);
}

void set_storage_headers(Reply& reply, const Call& call, const Context& context) {
  reply.set_header("x-ms-request-id", context.request_id);
  reply.set_header("x-ms-version", kStorageVersion);
  reply.set_header("Date", core::http_date(context.now));
  if (call.has_header("x-ms-client-request-id")) {
    reply.set_header("x-ms-client-request-id", call.header("x-ms-client-request-id"));
  }
}

void write_storage_error(Reply& reply, const Context& context, const domain::StorageError& error) {
  reply.status = error.status;
  if (error.retry_after) reply.set_header("Retry-After", std::to_string(error.retry_after->count()));
  reply.set_header("x-ms-error-code", error.code);
  if (error.status == 304) return;
  reply.set_content(domain::render_storage_error(error, error_context(context)), "application/xml");
}

void note_operation(Reply& reply, domain::BillingService& service, std::string_view id, TimePoint now) {
  if (const auto known = service.operation(id, now)) {
    reply.notes.operation_id = known->id;
    reply.notes.scenario_rule = known->scenario_rule;
    reply.notes.invoice_id = known->invoice_id;
  }
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

}  // namespace graphfake::handlers
