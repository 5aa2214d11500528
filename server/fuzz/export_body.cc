// Fuzzes domain::parse_export_request. The first byte picks the export
// kind (bits 0-1), the API version (bit 2: beta), whether the dialect binds
// without regard to case (bit 3) and the Content-Type (bits 4-5); the rest
// is the body. A GraphError is the answer to a bad body; anything else
// escaping is a bug, and so is an accepted request that lacks what its kind
// needs.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/graph_error.h"
#include "domain/export_validation.h"
#include "model/currency.h"

namespace {

using graphfake::model::ExportKind;

constexpr std::array kKinds = {ExportKind::billed_reconciliation, ExportKind::unbilled_reconciliation,
                               ExportKind::billed_usage, ExportKind::unbilled_usage};
constexpr std::array<std::string_view, 4> kContentTypes = {"application/json", "application/json; charset=utf-8",
                                                           " Application/JSON ;odata.metadata=minimal", "text/plain"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned choice = data[0];
  const ExportKind kind = kKinds[choice & 3];
  const auto version = (choice & 4) == 0 ? graphfake::model::ApiVersion::v1_0 : graphfake::model::ApiVersion::beta;
  graphfake::Dialect dialect;
  dialect.case_insensitive_requests = (choice & 8) != 0;
  const std::string_view content_type = kContentTypes[(choice >> 4) & 3];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  try {
    const auto request = graphfake::domain::parse_export_request(kind, version, content_type, body, dialect);
    const bool complete = graphfake::model::is_billed(kind)
                              ? !request.invoice_id.empty()
                              : graphfake::model::is_iso4217_currency(request.currency_code);
    if (!complete || request.kind != kind || request.version != version) std::abort();
  } catch (const graphfake::core::GraphError&) {
  }
  return 0;
}
