// Prints what the fake keeps in memory per export: the resident set size
// (from /proc/self/statm) an operation adds once started, and once polled to
// success (its manifest published, its blobs listed). Figures only: nothing
// is asserted.
// Usage: graphfake_operation_memory_bench [exports] [invoices] [blobs]
// (default 100000 exports of 1 invoice; manifests of one invoice share its
// row generator, so `invoices` = `exports` shows the most each one costs;
// with `blobs`, each export has that many blobs of one row, else the
// default 3)
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/billing_service.h"
#include "graphfake/clock.h"
#include "graphfake/options.h"
#include "model/export.h"

namespace {

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

void report(const char* what, std::uint64_t before, std::uint64_t after, std::uint64_t exports) {
  const auto grown = after > before ? after - before : 0;
  fmt::print("{:<34} {:>9.1f} MB  {:>7.0f} bytes per export\n", what, static_cast<double>(grown) / 1e6,
             static_cast<double>(grown) / static_cast<double>(exports));
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t exports = argc > 1 ? std::stoull(argv[1]) : 100'000;
  const std::uint64_t invoices = argc > 2 ? std::max<std::uint64_t>(1, std::stoull(argv[2])) : 1;
  std::vector<std::string> invoice_ids;
  for (std::uint64_t i = 0; i < invoices; ++i) invoice_ids.push_back(fmt::format("G{:09}", i));
  auto clock = std::make_shared<graphfake::VirtualClock>();
  graphfake::Options options;
  options.clock = clock;
  if (argc > 3) {
    options.rows_per_export = std::stoull(argv[3]);
    options.rows_per_blob = 1;
  }
  // None evicted: each export's cost is what is measured.
  options.max_operations = exports;
  options.max_blobs = std::max<std::uint64_t>(1, exports * (argc > 3 ? options.rows_per_export : 3));
  graphfake::domain::BillingService service(options);

  // Fixed-size and reserved before measuring: the bench's own list of ids
  // adds nothing per export.
  std::vector<std::array<char, 36>> ids(exports);
  const auto at_start = resident_bytes();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto& id = ids[i];
    graphfake::model::ExportRequest request;
    request.invoice_id = invoice_ids[i % invoice_ids.size()];
    const auto started = service.start_export(request, {}, clock->now()).operation->id;
    std::copy_n(started.begin(), id.size(), id.begin());
  }
  const auto started = resident_bytes();
  fmt::print("{} exports of {} invoices, {} rows in blobs of {}\n", exports, invoices, options.rows_per_export,
             options.rows_per_blob);
  report("started, never polled", at_start, started, exports);

  // The default timeline succeeds on the fourth poll.
  for (const auto& id : ids) {
    for (int poll = 0; poll < 4; ++poll) service.poll_operation(std::string_view(id.data(), id.size()), clock->now());
  }
  const auto succeeded = resident_bytes();
  std::uint64_t succeeded_count = 0;
  for (const auto& operation : service.operations(clock->now()))
    succeeded_count += operation.status == graphfake::OperationStatus::succeeded;
  if (succeeded_count != exports) fmt::print("only {} of {} exports succeeded\n", succeeded_count, exports);
  report("polled to success (manifests too)", at_start, succeeded, exports);
  return 0;
}
