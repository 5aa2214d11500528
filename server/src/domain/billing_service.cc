#include "domain/billing_service.h"

#include <fmt/format.h>

#include <cctype>
#include <iterator>
#include <stdexcept>

#include "core/graph_error.h"
#include "data/reconciliation_generator.h"
#include "graphfake/scenarios.h"

namespace graphfake::domain {
namespace {

bool is_guid(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

// Invoice ids are free text to the API; in a blob path they must stay one
// plain segment.
std::string path_segment(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    out.push_back(std::isalnum(c) || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '_');
  }
  return out;
}

void require_guid(std::string_view id, std::string_view what) {
  if (!is_guid(id)) {
    throw core::bad_request(fmt::format("Invalid {} id '{}': expected a GUID.", what, id));
  }
}

std::string next_month_yyyymm(const data::InvoiceProfile& profile) {
  const int month = profile.billing_month % 12 + 1;
  const int year = profile.billing_year + (profile.billing_month == 12 ? 1 : 0);
  return fmt::format("{:04}{:02}", year, month);
}

// The error response a fault scripts, with Graph's usual code and message
// for its status unless the scenario names its own.
core::GraphError fault_error(const model::Fault& fault) {
  const int status = *fault.status;
  const auto usual = [&]() -> std::pair<std::string, std::string> {
    switch (status) {
      case 400: return {"BadRequest", "The request is invalid."};
      case 401: return {"InvalidAuthenticationToken", "Access token validation failure."};
      case 403: return {"Forbidden", "Insufficient privileges to complete the operation."};
      case 404: return {"itemNotFound", "The requested resource does not exist."};
      case 410: return {"gone", "The resource has expired; start a new export."};
      case 429: return {"TooManyRequests", "Too many requests. Please retry after the time given by Retry-After."};
      case 500: return {"InternalServerError", "An internal server error occurred."};
      case 502: return {"BadGateway", "The gateway received an invalid response."};
      case 503: return {"ServiceUnavailable", "The service is temporarily unavailable. Please retry later."};
      case 504: return {"GatewayTimeout", "The gateway timed out."};
      default: return {"Error", fmt::format("Scripted error {}.", status)};
    }
  }();
  core::HeaderList headers;
  if (fault.retry_after) headers.emplace_back("Retry-After", std::to_string(fault.retry_after->count()));
  if (status == 401) headers.emplace_back("WWW-Authenticate", kBearerChallenge);
  return core::GraphError(status, fault.code.empty() ? usual.first : fault.code,
                          fault.message.empty() ? usual.second : fault.message, std::move(headers));
}

// Every blob is listed in the manifest and kept in memory as an entry.
constexpr std::uint64_t kMaxBlobsPerExport = 100'000;


const Options& validated(const Options& options) {
  auto fail = [](std::string message) { throw std::invalid_argument("graphfake::Options: " + message); };
  if (options.retry_after.count() < 0) fail("retry_after must not be negative");
  if (options.worker_threads == 0) fail("worker_threads must be at least 1");
  if (options.keep_alive_timeout.count() < 0) fail("keep_alive_timeout must not be negative");
  if (options.tls_certificate_file.empty() != options.tls_private_key_file.empty()) {
    fail(options.tls_private_key_file.empty() ? "tls_certificate_file is set but tls_private_key_file is not"
                                              : "tls_private_key_file is set but tls_certificate_file is not");
  }
  const auto per_blob = options.rows_per_blob == 0 ? options.rows_per_export : options.rows_per_blob;
  if (per_blob > 0 && options.rows_per_export / per_blob > kMaxBlobsPerExport) {
    fail(fmt::format("rows_per_export / rows_per_blob gives more than {} blobs", kMaxBlobsPerExport));
  }
  return options;
}

}  // namespace

scenario::Defaults scenario_defaults(const Options& options) {
  scenario::Defaults defaults;
  defaults.retry_after = options.retry_after;
  defaults.manifest.rows = options.rows_per_export;
  defaults.manifest.rows_per_blob = options.rows_per_blob;
  return defaults;
}

namespace {

scenario::ScenarioSet loaded_or_thrown(std::variant<scenario::ScenarioSet, std::vector<scenario::LoadError>> loaded) {
  if (auto* errors = std::get_if<std::vector<scenario::LoadError>>(&loaded)) {
    std::vector<std::string> lines;
    for (const auto& error : *errors) lines.push_back(error.text());
    throw ScenarioError(std::move(lines));
  }
  return std::get<scenario::ScenarioSet>(std::move(loaded));
}

std::string rule_label(const scenario::Rule& rule) { return rule.file + ": " + rule.name; }

}  // namespace

scenario::ScenarioSet load_scenario_set(const std::vector<std::string>& paths, const Options& options) {
  return loaded_or_thrown(scenario::load_scenarios(paths, scenario_defaults(options)));
}

scenario::ScenarioSet load_scenario_set(const std::vector<ScenarioSource>& sources, const Options& options) {
  scenario::ScenarioSet all;
  std::vector<scenario::LoadError> errors;
  for (const auto& source : sources) {
    auto parsed = scenario::parse_scenario(source.name, source.text, scenario_defaults(options));
    if (auto* found = std::get_if<std::vector<scenario::LoadError>>(&parsed)) {
      errors.insert(errors.end(), found->begin(), found->end());
    } else {
      auto& rules = std::get<scenario::ScenarioSet>(parsed).rules;
      std::move(rules.begin(), rules.end(), std::back_inserter(all.rules));
    }
  }
  if (!errors.empty()) return loaded_or_thrown(std::move(errors));
  return all;
}

BillingService::BillingService(const Options& options, scenario::ScenarioSet scenarios)
    : options_(validated(options)),
      clock_(options.clock ? options.clock : std::make_shared<SystemClock>()),
      ids_(options.seed),
      request_ids_(core::hash64("request-id", options.seed)),
      chance_(core::hash64("fault-draws", options.seed)),
      latency_(core::hash64("latency-draws", options.seed)),
      authenticator_(options.accepted_tokens),
      scenarios_(std::make_shared<LoadedScenarios>(std::move(scenarios))),
      blobs_(ids_, chance_, core::hash64("sas-signing-key", options.seed)),
      operations_(ids_, chance_, [this](const OperationView& operation, const model::Phase& succeeded, TimePoint at) {
        return publish_manifest(operation, succeeded, at);
      }) {
  if (options_.partner_tenant_id.empty()) {
    options_.partner_tenant_id = core::guid_from(core::hash64("partner-tenant", options.seed));
  }
}

void BillingService::authorize(std::string_view authorization_header, TimePoint now) const {
  authenticator_.authorize(authorization_header, now);
}

BillingService::ExportStart BillingService::start_export(model::ExportRequest request,
                                                         const scenario::RequestHeaders& headers, TimePoint now) {
  const auto loaded = scenarios();
  const auto* rule = loaded->set.first_match(request, headers);
  const auto pick = rule != nullptr ? export_faults(*loaded, *rule) : model::FaultPick{};
  if (pick.delay != nullptr) hold(pick.delay->delay);
  const model::Fault* fault = pick.response;
  const std::string label = rule != nullptr ? rule_label(*rule) : std::string();
  if (fault != nullptr && fault->status) return ExportStart{std::nullopt, std::nullopt, false, scripted_refusal(*fault), label};
  if (fault != nullptr && fault->drop == model::Fault::Drop::before_create) {
    return ExportStart{std::nullopt, std::nullopt, true, std::nullopt, label};
  }

  auto timeline = rule != nullptr && rule->timeline
                      ? *rule->timeline
                      : model::default_timeline(options_.retry_after, scenario_defaults(options_).manifest);
  if (rule != nullptr) {
    timeline.poll_faults = rule->poll_faults;
    timeline.early_polls = rule->early_polls;
    if (auto& last = timeline.phases.back(); last.manifest) {
      last.manifest->blob_faults = rule->blob_faults;
      for (const auto& manifest_fault : rule->manifest_faults) {
        if (manifest_fault.blob_count_delta && last.manifest->blob_count_delta == 0) {
          last.manifest->blob_count_delta = *manifest_fault.blob_count_delta;
        }
        if (manifest_fault.delay && !last.manifest->read_delay) last.manifest->read_delay = manifest_fault.delay;
      }
    }
  }
  ExportStart start{operations_.create(std::move(request), std::move(timeline), now, label), std::nullopt, false,
                    std::nullopt, label};
  if (fault != nullptr) {
    start.location_fault = fault->location;
    start.drop_connection = fault->drop.has_value();
  }
  return start;
}

std::shared_ptr<BillingService::LoadedScenarios> BillingService::scenarios() const {
  std::lock_guard lock(scenarios_mutex_);
  return scenarios_;
}

void BillingService::append_scenarios(scenario::ScenarioSet more) {
  std::lock_guard lock(scenarios_mutex_);
  auto rules = scenarios_->set;
  std::move(more.rules.begin(), more.rules.end(), std::back_inserter(rules.rules));
  scenarios_ = std::make_shared<LoadedScenarios>(std::move(rules), scenarios_.get());
}

void BillingService::replace_scenarios(scenario::ScenarioSet scenarios) {
  auto loaded = std::make_shared<LoadedScenarios>(std::move(scenarios));
  std::lock_guard lock(scenarios_mutex_);
  scenarios_ = std::move(loaded);
}

std::vector<ScenarioFileInfo> BillingService::scenario_files() const {
  std::vector<ScenarioFileInfo> files;
  for (const auto& rule : scenarios()->set.rules) {
    if (files.empty() || files.back().name != rule.file) files.push_back(ScenarioFileInfo{rule.file, {}});
    files.back().rules.push_back(rule.name);
  }
  return files;
}

OperationInfo BillingService::force(std::string_view id, const PhaseOrder& order, TimePoint now) {
  return operations_.force(id, order, scenario_defaults(options_).manifest, now);
}

model::FaultPick BillingService::export_faults(LoadedScenarios& loaded, const scenario::Rule& rule) {
  const auto index = static_cast<std::size_t>(&rule - loaded.set.rules.data());
  const std::uint64_t n = ++loaded.exports[index];
  return model::pick_faults(rule.export_faults, [&](const model::Fault& fault) {
    const bool listed = fault.requests.empty() ||
                        std::find(fault.requests.begin(), fault.requests.end(), n) != fault.requests.end();
    return listed && (fault.probability >= 1.0 || chance_.draw(fault.probability));
  });
}

void BillingService::hold(const std::optional<model::Latency>& delay) {
  if (!delay) return;
  const double u1 = latency_.unit();
  const double u2 = latency_.unit();
  clock_->hold(model::sample(*delay, u1, u2), holding_.get_token());
}

BillingService::OperationRead BillingService::poll_operation(std::string_view id, TimePoint now) {
  require_guid(id, "operation");
  auto outcome = operations_.poll(id, now);
  if (!outcome) {
    throw core::item_not_found(fmt::format("The operation '{}' does not exist.", id));
  }
  if (outcome->throttled) {
    clock_->retry_after_advertised(*outcome->throttled);
    throw core::GraphError(429, "TooManyRequests",
                           fmt::format("Polled before the Retry-After given for the operation '{}' had elapsed; "
                                       "wait {} seconds.",
                                       id, outcome->throttled->count()),
                           {{"Retry-After", std::to_string(outcome->throttled->count())}});
  }
  hold(outcome->delay);
  if (outcome->fault && outcome->fault->status) throw scripted_refusal(*outcome->fault);
  auto& operation = outcome->operation;
  if (!model::is_terminal(operation.status)) clock_->retry_after_advertised(operation.retry_after);
  OperationRead read{std::move(operation), std::nullopt, std::nullopt};
  if (outcome->fault) read.body_fault = outcome->fault->body;
  if (!read.operation.manifest_id.empty()) read.manifest = manifest(read.operation.manifest_id, now);
  return read;
}

ManifestRead BillingService::manifest(std::string_view id, TimePoint now) const {
  require_guid(id, "manifest");
  auto manifest = blobs_.find_manifest(id);
  if (!manifest) throw core::item_not_found(fmt::format("The manifest '{}' does not exist.", id));
  auto sas = blobs_.grant_sas(*manifest, now);
  auto sizes = manifest->lists_blob_sizes ? blobs_.blob_sizes(*manifest) : std::vector<std::uint64_t>{};
  return ManifestRead{std::move(manifest), std::move(sas), std::move(sizes)};
}

ManifestRead BillingService::read_manifest(std::string_view id, TimePoint now) {
  auto read = manifest(id, now);
  hold(read.manifest->read_delay);
  return read;
}

std::variant<BlobHandle, StorageError> BillingService::open_blob(
    std::string_view path, const std::multimap<std::string, std::string>& query, TimePoint now) {
  auto opening = blobs_.open(path, query, now);
  hold(opening.delay);
  if (const auto* error = std::get_if<StorageError>(&opening.outcome); error != nullptr && error->retry_after) {
    clock_->retry_after_advertised(*error->retry_after);
  }
  return std::move(opening.outcome);
}

core::GraphError BillingService::scripted_refusal(const model::Fault& fault) {
  // An auto-advancing clock moves on every Retry-After the fake advertises,
  // error responses included, as if the client had waited it out.
  if (fault.retry_after) clock_->retry_after_advertised(*fault.retry_after);
  return fault_error(fault);
}

std::string BillingService::publish_manifest(const OperationView& operation, const model::Phase& succeeded,
                                             TimePoint at) {
  const auto& request = operation.request;
  const auto shape = succeeded.manifest.value_or(scenario_defaults(options_).manifest);
  const auto columns = shape.attribute_set.value_or(request.attribute_set);
  auto profile = data::make_invoice_profile(options_.seed, request.invoice_id, options_.partner_tenant_id);
  // Reconciliation layouts are not observed anywhere; this mirrors billed usage.
  const auto directory = fmt::format(
      "v1/PartnerTenantId={}/BillingMonth={}/InvoiceId={}/InvoiceVersion={}080000/Fragment={}/"
      "PartitionType=default",
      options_.partner_tenant_id, profile.billing_month_yyyymm(), path_segment(request.invoice_id),
      next_month_yyyymm(profile), model::to_string(columns));

  const Dialect& dialect = options_.dialect;
  const bool documented = dialect.manifest_literals == Dialect::ManifestLiterals::documented;
  ManifestSpec spec;
  spec.operation_id = operation.id;
  spec.schema_version = documented ? "1" : "2";
  spec.partition_type = documented ? "Default" : "default";
  spec.data_format =
      dialect.data_format == Dialect::DataFormat::compressed_json_lines ? "compressedJSONLines" : "compressedJSON";
  spec.lists_blob_sizes = dialect.blob_sizes;
  spec.container = "billedreconciliationfastpath";
  spec.directory = directory;
  spec.partner_tenant_id = options_.partner_tenant_id;
  spec.row_count = shape.rows;
  spec.rows_per_blob = shape.rows_per_blob;
  spec.blob_count = shape.blob_count;
  spec.sas_valid_for = shape.sas_valid_for;
  spec.blob_faults = shape.blob_faults;
  spec.blob_count_delta = shape.blob_count_delta;
  spec.read_delay = shape.read_delay;
  spec.lines = std::make_shared<data::ReconciliationGenerator>(std::move(profile), options_.seed, columns,
                                                               data::LineFormat::of(dialect));
  return blobs_.publish(std::move(spec), at)->id;
}

}  // namespace graphfake::domain

namespace graphfake {

// Checked against the defaults a server started with the same files would
// use, so --check and --scenario always agree.
std::vector<std::string> check_scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::string> lines;
  const auto loaded = scenario::load_scenarios(paths, domain::scenario_defaults(Options{}));
  if (const auto* errors = std::get_if<std::vector<scenario::LoadError>>(&loaded)) {
    for (const auto& error : *errors) lines.push_back(error.text());
  }
  return lines;
}

}  // namespace graphfake
