// Prints throughput and latency figures for an in-process fake on loopback:
//   polls      keep-alive clients polling operations
//   exports    export + poll to completion, one connection per request
//   blobs      downloading every blob of an export
// Usage: graphfake_bench [clients] [requests per client] [dashboard]
//   dashboard  none (the default); 2s: a dashboard open (GET /_graphfake/ui's
//              calls every 2 seconds); busy: those calls back to back, as many
//              dashboards as one connection can serve (docs/performance.md)
// Every loop is bounded by its request count and targets 127.0.0.1 only.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "graphfake/server.h"
#include "graphfake/token.h"

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

constexpr const char* kExportPath = "/v1.0/reports/partners/billing/reconciliation/billed/export";

struct Figures {
  std::vector<double> latencies_ms;
  double seconds = 0;
  std::uint64_t bytes = 0;
};

void report(const std::string& name, Figures figures) {
  auto& l = figures.latencies_ms;
  std::sort(l.begin(), l.end());
  auto percentile = [&](double p) { return l.empty() ? 0.0 : l[static_cast<std::size_t>(p * (l.size() - 1))]; };
  fmt::print("{:<8} {:>7} requests  {:>9.0f} req/s  p50 {:>7.3f} ms  p99 {:>7.3f} ms", name, l.size(),
             static_cast<double>(l.size()) / figures.seconds, percentile(0.5), percentile(0.99));
  if (figures.bytes > 0) fmt::print("  {:>8.1f} MB/s", static_cast<double>(figures.bytes) / 1e6 / figures.seconds);
  fmt::print("\n");
}

std::string location_of(httplib::Client& client, const httplib::Headers& auth) {
  auto result = client.Post(kExportPath, auth, R"({"invoiceId":"G016907411"})", "application/json");
  if (!result || result->status != 202) throw std::runtime_error("export not accepted");
  return result->get_header_value("Location");
}

template <typename Work>
Figures run_clients(int clients, Work work) {
  std::vector<Figures> per_client(static_cast<std::size_t>(clients));
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) threads.emplace_back([&, c] { work(per_client[static_cast<std::size_t>(c)]); });
  for (auto& thread : threads) thread.join();
  Figures total;
  total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& figures : per_client) {
    total.latencies_ms.insert(total.latencies_ms.end(), figures.latencies_ms.begin(), figures.latencies_ms.end());
    total.bytes += figures.bytes;
  }
  return total;
}

template <typename Request>
void timed(Figures& figures, Request request) {
  const auto start = Clock::now();
  request();
  figures.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
}

// What an open dashboard asks after the journal changed (docs/dashboard.md):
// the count, the report, a page of operations and of the journal, and the
// first operation drawn. Runs until `stop`; counts the rounds.
void dashboard_rounds(const std::string& origin, std::chrono::milliseconds pause, const std::atomic<bool>& stop,
                      std::atomic<int>& rounds) {
  httplib::Client client(origin);
  client.set_keep_alive(true);
  while (!stop) {
    client.Get("/_graphfake/journal/count");
    client.Get("/_graphfake/report");
    const auto page = client.Get("/_graphfake/operations?$top=50");
    client.Get("/_graphfake/journal?$top=100");
    if (page && page->status == 200) {
      const auto operations = Json::parse(page->body)["operations"];
      if (!operations.empty()) {
        client.Get(("/_graphfake/operations/" + operations[0]["id"].get<std::string>() + "/timeline").c_str());
      }
    }
    rounds += 1;
    for (auto waited = std::chrono::milliseconds(0); waited < pause && !stop; waited += std::chrono::milliseconds(10)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int clients = argc > 1 ? std::stoi(argv[1]) : 4;
  const int requests = argc > 2 ? std::stoi(argv[2]) : 2000;

  graphfake::Server fake({.rows_per_export = 10'000, .rows_per_blob = 2'500});
  const httplib::Headers auth{{"Authorization", "Bearer " + graphfake::make_token()}};
  const auto origin = fake.base_url();
  const std::string dashboard = argc > 3 ? argv[3] : "none";
  if (dashboard != "none" && dashboard != "2s" && dashboard != "busy") {
    fmt::print(stderr, "dashboard must be none, 2s or busy, not '{}'\n", dashboard);
    return 2;
  }
  fmt::print("graphfake at {}: {} clients x {} requests, dashboard {}\n", origin, clients, requests, dashboard);
  std::atomic<bool> stop_dashboard{false};
  std::atomic<int> dashboard_rounds_done{0};
  std::thread dashboard_thread;
  if (dashboard != "none") {
    dashboard_thread = std::thread(dashboard_rounds, origin,
                                   dashboard == "busy" ? std::chrono::milliseconds(0) : std::chrono::milliseconds(2000),
                                   std::cref(stop_dashboard), std::ref(dashboard_rounds_done));
  }

  report("polls", run_clients(clients, [&](Figures& figures) {
           httplib::Client client(origin);
           client.set_keep_alive(true);
           const auto path = location_of(client, auth).substr(origin.size());
           for (int i = 0; i < requests; ++i) {
             timed(figures, [&] {
               if (!client.Get(path.c_str(), auth)) throw std::runtime_error("poll failed");
             });
           }
         }));

  report("exports", run_clients(clients, [&](Figures& figures) {
           for (int i = 0; i < requests / 10; ++i) {
             timed(figures, [&] {
               httplib::Client client(origin);
               const auto path = location_of(client, auth).substr(origin.size());
               for (int poll = 0; poll < 4; ++poll) client.Get(path.c_str(), auth);
             });
           }
         }));

  report("blobs", run_clients(clients, [&](Figures& figures) {
           httplib::Client client(origin);
           client.set_keep_alive(true);
           const auto path = location_of(client, auth).substr(origin.size());
           Json operation;
           for (int poll = 0; poll < 4; ++poll) operation = Json::parse(client.Get(path.c_str(), auth)->body);
           const auto& manifest = operation["resourceLocation"];
           for (const auto& blob : manifest["blobs"]) {
             const auto url = manifest["rootDirectory"].get<std::string>() + "/" + blob["name"].get<std::string>() +
                              "?" + manifest["sasToken"].get<std::string>();
             timed(figures, [&] {
               auto result = client.Get(url.substr(origin.size()).c_str());
               if (!result || result->status != 200) throw std::runtime_error("blob download failed");
               figures.bytes += result->body.size();
             });
           }
         }));
  stop_dashboard = true;
  if (dashboard_thread.joinable()) {
    dashboard_thread.join();
    fmt::print("dashboard: {} rounds\n", dashboard_rounds_done.load());
  }
  return 0;
}
