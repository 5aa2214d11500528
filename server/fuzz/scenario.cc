// Fuzzes the scenario loader: the input is one scenario file's text. A
// ScenarioError is the answer to a bad file; a set that loads is given to a
// service (which derives each rule's timeline) and matched against an
// export of every kind, as the service does for each export.
#include <cstdint>
#include <string>

#include "domain/billing_service.h"
#include "graphfake/scenarios.h"

namespace {

using graphfake::model::ExportKind;

void match_every_kind(const graphfake::scenario::ScenarioSet& set) {
  const graphfake::scenario::RequestHeaders headers = {{"client-request-id", "fuzz"}, {"user-agent", "fuzz"}};
  for (const auto kind : {ExportKind::billed_reconciliation, ExportKind::unbilled_reconciliation,
                          ExportKind::billed_usage, ExportKind::unbilled_usage}) {
    graphfake::model::ExportRequest request;
    request.kind = kind;
    request.version = graphfake::model::ApiVersion::beta;
    if (graphfake::model::is_billed(kind)) {
      request.invoice_id = "G016907411";
    } else {
      request.currency_code = "USD";
      request.billing_period = graphfake::model::BillingPeriod::last;
    }
    set.first_match(request, headers);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const graphfake::ScenarioSource source{"fuzz.json", std::string(reinterpret_cast<const char*>(data), size)};
  const graphfake::Options options;
  try {
    const auto set = graphfake::domain::load_scenario_set({source}, options);
    const graphfake::domain::BillingService service(options, set);
    match_every_kind(set);
  } catch (const graphfake::ScenarioError&) {
  }
  return 0;
}
