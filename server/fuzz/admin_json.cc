// Fuzzes the admin request readers (admin/admin_json.h). The first byte
// picks one; the rest is its JSON body, or for the journal listing a query
// string. What a reader returns goes where the admin surface sends it (the
// scenario loader, the virtual clock, the next-page link), so a value that
// reads but cannot be used shows too. AdminError and ScenarioError are the
// answers to bad input; anything else escaping is a bug.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time_format.h"
#include "admin/admin_json.h"
#include "domain/billing_service.h"
#include "graphfake/scenarios.h"
#include "http/request_head.h"

namespace {

namespace admin = graphfake::admin;
namespace domain = graphfake::domain;

std::multimap<std::string, std::string> query_parameters(std::string_view query) {
  std::multimap<std::string, std::string> parameters;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    const auto equals = pair.find('=');
    const auto value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    parameters.emplace(graphfake::http::percent_decode(pair.substr(0, equals), true),
                       graphfake::http::percent_decode(value, true));
  }
  return parameters;
}

void read_admin_input(unsigned choice, std::string_view input) {
  switch (choice % 6) {
    case 0: {
      const auto scenarios = admin::scenarios_from(input);
      if (const auto* files = std::get_if<std::vector<graphfake::ScenarioSource>>(&scenarios)) {
        domain::load_scenario_set(*files, graphfake::Options{});
      }
      break;
    }
    case 1: {
      graphfake::VirtualClock clock;
      clock.set(admin::clock_setting_from(input));
      graphfake::core::rfc3339_ms(clock.now());
      break;
    }
    case 2: {
      graphfake::VirtualClock clock;
      clock.advance(admin::clock_advance_from(input));
      graphfake::core::rfc3339_ms(clock.now());
      break;
    }
    case 3:
      admin::phase_order_from(input);
      break;
    case 4:
      admin::namespace_name_from(input);
      break;
    case 5: {
      const auto parameters = query_parameters(input);
      admin::journal_query_from(parameters);
      const graphfake::JournalPage page{.next = admin::page_from(parameters)};
      admin::to_json(page, "/_graphfake/requests", parameters)
          .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    read_admin_input(data[0], input);
  } catch (const graphfake::AdminError&) {
  } catch (const graphfake::ScenarioError&) {
  }
  return 0;
}
