// Prints how long a client waits for the first byte and the last byte of a
// blob it is the first to ask for, as clients ask: a plain GET of the whole
// blob (Python's urllib, Node's https.get, curl) and a ranged GET of its
// first 32 MiB read with the total length from Content-Range (the Azure
// SDKs' first request). Each measurement gets a fresh in-process fake on
// 127.0.0.1 that publishes one export of `rows` rows in one blob, so the
// blob was never indexed; the GET follows the poll that saw it succeed.
// Usage: graphfake_first_byte_bench [--rows N[,N...]] [--repeat R]
// Prints figures only and asserts nothing.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "graphfake/server.h"
#include "graphfake/token.h"

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

constexpr const char* kExportPath = "/v1.0/reports/partners/billing/reconciliation/billed/export";
constexpr std::uint64_t kAzureFirstRange = 32ULL << 20;  // the Python SDK's max_single_get_size

struct Timing {
  double first_byte_s = 0;
  double last_byte_s = 0;
  std::uint64_t bytes = 0;
};

// The blob's URL path once its export has succeeded, polled as a client
// polls; time starts after the poll that saw it succeed.
std::string published_blob(httplib::Client& client, const httplib::Headers& auth, const std::string& origin) {
  auto started = client.Post(kExportPath, auth, R"({"invoiceId":"G016907411"})", "application/json");
  if (!started || started->status != 202) throw std::runtime_error("export not accepted");
  const auto poll_path = started->get_header_value("Location").substr(origin.size());
  for (int poll = 0; poll < 100; ++poll) {
    const auto polled = client.Get(poll_path.c_str(), auth);
    if (!polled || polled->status != 200) throw std::runtime_error("poll failed");
    const auto operation = Json::parse(polled->body);
    if (operation.value("status", "") != "succeeded") continue;
    const auto& manifest = operation["resourceLocation"];
    const auto url = manifest["rootDirectory"].get<std::string>() + "/" +
                     manifest["blobs"][0]["name"].get<std::string>() + "?" + manifest["sasToken"].get<std::string>();
    return url.substr(origin.size());
  }
  throw std::runtime_error("the export did not succeed within 100 polls");
}

Timing first_download(std::uint64_t rows, bool ranged) {
  graphfake::Server fake({.rows_per_export = rows, .rows_per_blob = rows});
  const httplib::Headers auth{{"Authorization", "Bearer " + graphfake::make_token()}};
  const auto origin = fake.base_url();
  httplib::Client client(origin);
  client.set_keep_alive(true);
  client.set_read_timeout(std::chrono::minutes(10));
  const auto path = published_blob(client, auth, origin);

  httplib::Headers headers;
  if (ranged) headers.emplace("x-ms-range", fmt::format("bytes=0-{}", kAzureFirstRange - 1));
  Timing timing;
  const auto start = Clock::now();
  std::optional<Clock::time_point> first;
  const auto result = client.Get(path.c_str(), headers, [&](const char*, std::size_t length) {
    if (!first && length > 0) first = Clock::now();
    timing.bytes += length;
    return true;
  });
  const auto end = Clock::now();
  const int wanted = ranged ? 206 : 200;
  if (!result || result->status != wanted || !first) throw std::runtime_error("blob download failed");
  timing.first_byte_s = std::chrono::duration<double>(*first - start).count();
  timing.last_byte_s = std::chrono::duration<double>(end - start).count();
  return timing;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::uint64_t> row_counts{100'000, 1'000'000};
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) {
      row_counts.clear();
      std::stringstream list(argv[++i]);
      for (std::string item; std::getline(list, item, ',');) row_counts.push_back(std::stoull(item));
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::stoi(argv[++i]));
    } else {
      fmt::print("usage: graphfake_first_byte_bench [--rows N[,N...]] [--repeat R]\n");
      return arg == "--help" ? 0 : 2;
    }
  }
  fmt::print("{:<12} {:>10} {:>14} {:>14} {:>12}   (medians of {})\n", "request", "rows", "first byte s",
             "last byte s", "bytes", repeat);
  for (const auto rows : row_counts) {
    for (const bool ranged : {false, true}) {
      std::vector<double> first;
      std::vector<double> last;
      std::uint64_t bytes = 0;
      for (int run = 0; run < repeat; ++run) {
        const auto timing = first_download(rows, ranged);
        first.push_back(timing.first_byte_s);
        last.push_back(timing.last_byte_s);
        bytes = timing.bytes;
      }
      fmt::print("{:<12} {:>10} {:>14.3f} {:>14.3f} {:>12}\n", ranged ? "ranged 32M" : "whole GET", rows,
                 median(first), median(last), bytes);
    }
  }
  return 0;
}
