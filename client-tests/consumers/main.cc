// A project that uses graphfake as a package: two fakes in one process, and
// the reference client running one export against each. Exits 0 when both
// exports delivered every row the fake says it made, 1 otherwise.
#include <graphfake/client/billing_client.h>
#include <graphfake/client/errors.h>
#include <graphfake/server.h>
#include <graphfake/token.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>

namespace {

bool export_through_client(const graphfake::Server& fake, std::uint64_t expected_rows) {
  graphfake::client::BillingClient client({.base_url = fake.base_url(), .token = graphfake::make_token(), .seed = 1});
  std::uint64_t rows_seen = 0;
  const std::uint64_t rows = client.export_rows(
      graphfake::client::ExportRequest::billed_reconciliation("G016907411", "full"),
      [&](const nlohmann::json& row) { rows_seen += row.contains("InvoiceNumber") ? 1 : 0; });
  std::cout << fake.base_url() << ": " << rows << " rows\n";
  return rows == expected_rows && rows_seen == expected_rows;
}

}  // namespace

int main() {
  try {
    // Retry-After 0: the client polls at once instead of sleeping a second per poll.
    graphfake::Server first({.seed = 1, .rows_per_export = 30, .rows_per_blob = 10, .retry_after = std::chrono::seconds(0)});
    graphfake::Server second({.seed = 2, .rows_per_export = 40, .rows_per_blob = 0, .retry_after = std::chrono::seconds(0)});
    if (first.base_url() == second.base_url()) {
      std::cerr << "both fakes answer at " << first.base_url() << '\n';
      return 1;
    }
    const bool ok = export_through_client(first, 30) && export_through_client(second, 40);
    if (!ok) std::cerr << "an export did not deliver the rows its fake made\n";
    return ok ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "consumer failed: " << error.what() << '\n';
    return 1;
  }
}
