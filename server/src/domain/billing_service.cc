#include "domain/billing_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "core/excerpt.h"
#include "core/graph_error.h"
#include "core/time_format.h"
#include "data/export_data.h"
#include "data/export_totals.h"
#include "data/invoice_profile.h"
#include "faults/apply.h"
#include "faults/pick.h"
#include "graphfake/scenarios.h"
#include "model/export_kinds.h"

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
    throw core::bad_request(fmt::format("Invalid {} id '{}': expected a GUID.", what, core::text_excerpt(id)));
  }
}

std::string next_month_yyyymm(const data::InvoiceProfile& profile) {
  const int month = profile.billing_month % 12 + 1;
  const int year = profile.billing_year + (profile.billing_month == 12 ? 1 : 0);
  return fmt::format("{:04}{:02}", year, month);
}

// What an export's data describes and where its blobs live.
struct ExportData {
  data::InvoiceProfile profile;
  std::string container;
  std::string directory;  // below the container, up to (not including) Fragment=
};

// Where the blobs go follows the kind's descriptor: its container, and its
// directory layout filled in from the profile and the request.
// An unbilled folder is named for when its data was snapshot: `generated_at`,
// which is before `requested_at` for data the service had already generated.
ExportData describe_export_data(const model::ExportRequest& request, std::uint64_t seed,
                                const std::string& partner_tenant_id, TimePoint requested_at,
                                TimePoint generated_at) {
  const auto& kind = model::describe(request.kind);
  if (kind.billed) {
    auto profile = data::make_invoice_profile(seed, request.invoice_id, partner_tenant_id);
    const std::pair<std::string_view, std::string> fields[] = {{"tenant", partner_tenant_id},
                                                               {"YYYYMM", profile.billing_month_yyyymm()},
                                                               {"invoice", path_segment(request.invoice_id)},
                                                               {"YYYYMM+1", next_month_yyyymm(profile)}};
    auto directory = model::fill_directory(kind.directory, fields);
    return {std::move(profile), std::string(kind.container), std::move(directory)};
  }
  // The unbilled period is the calendar month (UTC) the export was asked
  // for in, or the one before.
  const auto day = std::chrono::floor<std::chrono::days>(requested_at);
  const std::chrono::year_month_day today{day};
  auto month = today.year() / today.month();
  if (request.billing_period == model::BillingPeriod::last) month -= std::chrono::months{1};
  auto profile = data::make_unbilled_profile(seed, request.currency_code, static_cast<int>(month.year()),
                                             static_cast<int>(static_cast<unsigned>(month.month())), partner_tenant_id);
  if (request.billing_period == model::BillingPeriod::current) {
    // Usage reaches the data about a day after it happens (Partner Center docs,
    // daily rated usage reconciliation files), so the month in progress has
    // charges up to yesterday; on the 1st, dated the 1st.
    profile.data_through_day = std::max(1, static_cast<int>(static_cast<unsigned>(today.day())) - 1);
  }
  const auto snapshot_day = std::chrono::floor<std::chrono::days>(generated_at);
  const std::chrono::year_month_day snapshot_date{snapshot_day};
  const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::minutes>(generated_at - snapshot_day)};
  const std::pair<std::string_view, std::string> fields[] = {
      {"YYYYMMDDhhmm", fmt::format("{:04}{:02}{:02}{:02}{:02}", static_cast<int>(snapshot_date.year()),
                                   static_cast<unsigned>(snapshot_date.month()),
                                   static_cast<unsigned>(snapshot_date.day()), time.hours().count(),
                                   time.minutes().count())},
      {"tenant", partner_tenant_id},
      {"YYYYMM", profile.billing_month_yyyymm()},
      {"ISO", request.currency_code}};
  auto directory = model::fill_directory(kind.directory, fields);
  return {std::move(profile), std::string(kind.container), std::move(directory)};
}

// The error response a fault scripts, as Graph answers it.
core::GraphError fault_error(const faults::Fault& fault) {
  auto error = faults::graph_error(fault);
  core::HeaderList headers;
  if (error.retry_after) headers.emplace_back("Retry-After", std::to_string(error.retry_after->count()));
  if (error.status == 401) headers.emplace_back("WWW-Authenticate", kBearerChallenge);
  return core::GraphError(error.status, std::move(error.code), std::move(error.message), std::move(headers));
}

// Every blob is listed in the manifest and kept in memory as an entry.
constexpr std::uint64_t kMaxBlobsPerExport = 100'000;

const Options& validated(const Options& options) {
  auto fail = [](std::string message) { throw std::invalid_argument("graphfake::Options: " + message); };
  if (options.retry_after.count() < 0) fail("retry_after must not be negative");
  if (options.max_connections == 0) fail("max_connections must be at least 1");
  if (options.request_timeout.count() <= 0) fail("request_timeout must be positive");
  if (options.keep_alive_timeout.count() < 0) fail("keep_alive_timeout must not be negative");
  if (options.max_operations == 0) fail("max_operations must be at least 1");
  if (options.max_blobs == 0) fail("max_blobs must be at least 1");
  if (options.journal_byte_capacity == 0) fail("journal_byte_capacity must be at least 1");
  std::error_code error;
  if (!options.scenario_root.empty() && !std::filesystem::is_directory(options.scenario_root, error)) {
    fail(fmt::format("scenario_root '{}' is not a directory", options.scenario_root));
  }
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

// The timeline an export matching `rule` follows: the rule's own (or the
// default) with the rule's faults.
model::Timeline timeline_of(const scenario::Rule& rule, const model::Timeline& default_timeline) {
  auto timeline = rule.timeline ? *rule.timeline : default_timeline;
  timeline.poll_faults = rule.poll_faults;
  timeline.early_polls = rule.early_polls;
  timeline.evolution = rule.evolution;
  if (auto& last = timeline.phases.back(); last.manifest) {
    last.manifest->blob_faults = rule.blob_faults;
    const auto pick = faults::pick_manifest(rule.manifest_faults);
    if (pick.response != nullptr) last.manifest->blob_count_delta = *pick.response->blob_count_delta;
    if (pick.delay != nullptr) last.manifest->read_delay = pick.delay->delay;
  }
  return timeline;
}

}  // namespace

BillingService::LoadedScenarios::LoadedScenarios(scenario::ScenarioSet rules, const model::Timeline& default_timeline,
                                                 std::uint64_t generation, const LoadedScenarios* carried_from)
    : set(std::move(rules)), generation(generation), exports(set.rules.size()) {
  const std::size_t carried = carried_from == nullptr ? 0 : std::min(exports.size(), carried_from->exports.size());
  for (std::size_t i = 0; i < carried; ++i) exports[i] = carried_from->exports[i].load();
  for (const auto& rule : set.rules) {
    timelines.push_back(std::make_shared<const model::Timeline>(timeline_of(rule, default_timeline)));
  }
}

scenario::ScenarioSet load_scenario_set(const std::vector<std::string>& paths, const Options& options) {
  return loaded_or_thrown(scenario::load_scenarios(paths, scenario_defaults(options)));
}

scenario::ScenarioSet load_scenario_set(const std::vector<ScenarioSource>& sources, const Options& options) {
  scenario::ScenarioSet all;
  std::vector<std::string> names;
  for (const auto& source : sources) names.push_back(source.name);
  auto errors = scenario::repeated_names(names);
  scenario::LoadBudget budget;
  for (const auto& source : sources) {
    auto parsed = scenario::parse_scenario(source.name, source.text, scenario_defaults(options), budget);
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
      default_timeline_(std::make_shared<const model::Timeline>(
          model::default_timeline(options.retry_after, scenario_defaults(options).manifest))),
      scenarios_(std::make_shared<LoadedScenarios>(std::move(scenarios), *default_timeline_, 0)),
      blobs_(ids_, chance_, core::hash64("sas-signing-key", options.seed), options.max_operations,
             working_.get_token()),
      operations_(
          ids_, chance_,
          [this](const OperationView& operation, const model::Phase& succeeded, TimePoint at) {
            return publish_manifest(operation, succeeded, at);
          },
          options.max_operations, [this](const std::string& manifest_id) { release_manifest(manifest_id); },
          options.max_blobs) {
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
  const auto pick = rule != nullptr ? export_faults(*loaded, *rule) : faults::FaultPick{};
  if (pick.delay != nullptr) hold(pick.delay->delay);
  const faults::Fault* fault = pick.response;
  const std::string label = rule != nullptr ? rule_label(*rule) : std::string();
  if (fault != nullptr && fault->status) return ExportStart{std::nullopt, std::nullopt, false, scripted_refusal(*fault), label};
  if (fault != nullptr && fault->drop == faults::Fault::Drop::before_create) {
    return ExportStart{std::nullopt, std::nullopt, true, std::nullopt, label};
  }

  const auto index = rule != nullptr ? static_cast<std::size_t>(rule - loaded->set.rules.data()) : 0;
  auto timeline = rule != nullptr ? loaded->timelines[index] : default_timeline_;
  auto identity = rule != nullptr ? fmt::format("{}#{}", loaded->generation, index) : std::string();
  ExportStart start{operations_.create(std::move(request), std::move(timeline), now, label, std::move(identity)),
                    std::nullopt, false, std::nullopt, label};
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
  // The rules kept keep their places, so they keep their identities.
  scenarios_ = std::make_shared<LoadedScenarios>(std::move(rules), *default_timeline_, scenarios_->generation,
                                                 scenarios_.get());
}

void BillingService::replace_scenarios(scenario::ScenarioSet scenarios) {
  auto loaded = std::make_shared<LoadedScenarios>(std::move(scenarios), *default_timeline_, ++scenario_generations_);
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

ExportTotals BillingService::expected_totals(std::string_view operation_id, TimePoint now) const {
  const auto operation = operations_.get(operation_id, now);
  const auto manifest = operation.manifest_id.empty() ? nullptr : blobs_.find_manifest(operation.manifest_id);
  if (!manifest) {
    throw AdminError(409, "operationNotSucceeded",
                     fmt::format("No poll has seen the operation '{}' succeed (its status is {}); its data is "
                                 "decided when one does.",
                                 operation.id, to_string(operation.status)));
  }
  const auto sums = data::sum_amounts(*manifest->lines, 0, manifest->row_count, working_.get_token());

  ExportTotals totals;
  totals.operation_id = operation.id;
  totals.kind = operation.kind;
  totals.columns = sums.columns;
  totals.scale = sums.scale;
  std::array<data::Wide, data::RowAmounts::kMaxColumns> all{};
  auto amounts = [&](const data::AmountTotals& group) {
    AmountSums out;
    out.rows = group.row_count;
    for (std::size_t c = 0; c < sums.columns.size(); ++c) out.sums.push_back(data::format_fixed(group.sums[c], sums.scale));
    return out;
  };
  for (const auto& group : sums.by_currency) {
    totals.by_currency.push_back({group.currency, amounts(group.totals)});
    for (std::size_t c = 0; c < all.size(); ++c) all[c] += group.totals.sums[c];
  }
  for (const auto& group : sums.by_customer) {
    totals.by_customer.push_back({group.customer_id, group.customer_name, group.currency, amounts(group.totals)});
  }
  totals.all = amounts({sums.row_count, all});
  return totals;
}

faults::FaultPick BillingService::export_faults(LoadedScenarios& loaded, const scenario::Rule& rule) {
  const auto index = static_cast<std::size_t>(&rule - loaded.set.rules.data());
  const std::uint64_t n = ++loaded.exports[index];
  return faults::pick_export(rule.export_faults, n, chance_);
}

void BillingService::hold(const std::optional<faults::Latency>& delay) {
  if (!delay) return;
  const double u1 = latency_.unit();
  const double u2 = latency_.unit();
  clock_->hold(faults::sample(*delay, u1, u2), holding_.get_token());
}

BillingService::OperationRead BillingService::poll_operation(std::string_view id, TimePoint now) {
  require_guid(id, "operation");
  auto outcome = operations_.poll(id, now);
  if (!outcome && operations_.evicted(id)) {
    throw core::gone(fmt::format("The operation '{}' has expired; start a new export.", id));
  }
  if (!outcome) {
    throw core::item_not_found(fmt::format("The operation '{}' does not exist.", id));
  }
  if (outcome->throttled) {
    advertise(*outcome->throttled);
    throw core::GraphError(429, "TooManyRequests",
                           fmt::format("Polled before the Retry-After given for the operation '{}' had elapsed; "
                                       "wait {} seconds.",
                                       id, outcome->throttled->count()),
                           {{"Retry-After", std::to_string(outcome->throttled->count())}});
  }
  hold(outcome->delay);
  if (outcome->fault && outcome->fault->status) throw scripted_refusal(*outcome->fault);
  auto& operation = outcome->operation;
  if (!model::is_terminal(operation.status)) advertise(operation.retry_after);
  OperationRead read{std::move(operation), std::nullopt, std::nullopt};
  if (outcome->fault) read.body_fault = outcome->fault->body;
  if (!read.operation.manifest_id.empty()) read.manifest = manifest(read.operation.manifest_id, now);
  return read;
}

ManifestRead BillingService::manifest(std::string_view id, TimePoint now) const {
  require_guid(id, "manifest");
  auto manifest = blobs_.find_manifest(id);
  if (!manifest && blobs_.forgotten(id)) {
    throw core::gone(fmt::format("The manifest '{}' has expired with its operation; start a new export.", id));
  }
  if (!manifest) throw core::item_not_found(fmt::format("The manifest '{}' does not exist.", id));
  auto sas = blobs_.grant_sas(*manifest, now, manifest->sas_terms);
  auto sizes = manifest->lists_blob_sizes ? blobs_.blob_sizes(*manifest) : std::vector<std::uint64_t>{};
  return ManifestRead{std::move(manifest), std::move(sas), std::move(sizes)};
}

ManifestRead BillingService::read_manifest(std::string_view id, TimePoint now) {
  auto read = manifest(id, now);
  hold(read.manifest->read_delay);
  return read;
}

std::string BillingService::reading_operation(const Manifest& manifest) const {
  auto reader = operations_.reader_of(manifest.id);
  return reader.empty() ? manifest.operation_id : reader;
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

core::GraphError BillingService::scripted_refusal(const faults::Fault& fault) {
  // An auto-advancing clock moves on every Retry-After the fake advertises,
  // error responses included, as if the client had waited it out.
  if (fault.retry_after) advertise(*fault.retry_after);
  return fault_error(fault);
}

std::shared_ptr<const data::LineSource> BillingService::line_source(model::ExportKind kind, data::InvoiceProfile profile,
                                                                   std::uint64_t seed, model::AttributeSet columns,
                                                                   data::LineFormat format) {
  // What the rows are a function of: a billed profile follows from its
  // invoice, an unbilled one from its currency, month and last day.
  const auto choice = [](const auto& override) { return override ? static_cast<int>(*override) : -1; };
  auto key = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", model::to_string(kind), seed, model::to_string(columns),
                         to_string(format.profile), choice(format.keys), choice(format.numbers),
                         choice(format.product_qualifiers), profile.invoice_id, profile.billing_currency,
                         profile.billing_month_yyyymm(), profile.data_through_day.value_or(0));
  // The extra column last, its name and value length-prefixed so that no
  // text makes two formats' keys equal.
  if (format.extra_column) {
    key += fmt::format("|{}:{}{}:{}", format.extra_column->name.size(), format.extra_column->name,
                       format.extra_column->value.size(), format.extra_column->value);
  }
  std::lock_guard lock(line_sources_mutex_);
  auto& cached = line_sources_[key];
  if (auto shared = cached.lock()) return shared;
  auto made = data::make_line_source(kind, std::move(profile), seed, columns, format);
  cached = made;
  // Entries of sources no manifest holds any more are swept now and then,
  // as the map doubles: the sweeps cost O(1) per publish.
  if (line_sources_.size() >= 2 * line_sources_swept_size_) {
    std::erase_if(line_sources_, [](const auto& entry) { return entry.second.expired(); });
    line_sources_swept_size_ = std::max<std::size_t>(line_sources_.size(), 64);
  }
  return made;
}

void BillingService::advertise(std::chrono::seconds wait) {
  const auto* clock = dynamic_cast<const VirtualClock*>(clock_.get());
  if (clock != nullptr && clock->mode() == VirtualClock::Mode::auto_advance &&
      wait > VirtualClock::latest() - clock->now()) {
    throw core::GraphError(
        500, "clockLimitReached",
        fmt::format("Answering would advertise Retry-After: {} and move the fake's auto-advancing clock past {}, "
                    "the latest time it shows. Reset the fake, or set its clock back, to go on.",
                    wait.count(), core::rfc3339_seconds(VirtualClock::latest())));
  }
  clock_->retry_after_advertised(wait);
}

OperationStore::Published BillingService::publish_manifest(const OperationView& operation,
                                                           const model::Phase& succeeded, TimePoint at) {
  const auto& request = operation.request;
  const auto shape = succeeded.manifest.value_or(scenario_defaults(options_).manifest);
  const auto columns = shape.attribute_set.value_or(request.attribute_set);
  const std::uint64_t seed = shape.seed.value_or(options_.seed);
  // Data the service had already generated was snapshot that long before
  // the export that first asks for it.
  const auto generated_at =
      shape.generated_before
          ? at - std::min<std::chrono::milliseconds>(
                     *shape.generated_before,
                     std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()))
          : at;
  auto data = describe_export_data(request, seed, options_.partner_tenant_id, operation.created_at,
                                   shape.generated_before ? generated_at : operation.created_at);

  const Dialect& dialect = options_.dialect;
  const bool documented = dialect.manifest_literals == Dialect::ManifestLiterals::documented;
  auto format = data::LineFormat::of(dialect);
  if (shape.numbers_as_strings) {
    format.numbers = *shape.numbers_as_strings ? Dialect::Numbers::strings : Dialect::Numbers::json_numbers;
  }
  if (shape.data_profile) format.profile = *shape.data_profile;
  format.extra_column = shape.extra_column;
  ManifestSpec spec;
  spec.operation_id = operation.id;
  // Built as strings, not assigned from literals: GCC 12 at -O2 warns a
  // false -Wrestrict on std::string::operator=(const char*) inlined here.
  spec.schema_version = std::string(documented ? "1" : "2");
  spec.partition_type = std::string(documented ? "Default" : "default");
  spec.data_format = std::string(
      dialect.data_format == Dialect::DataFormat::compressed_json_lines ? "compressedJSONLines" : "compressedJSON");
  spec.lists_blob_sizes = dialect.blob_sizes;
  spec.container = std::move(data.container);
  spec.directory = fmt::format("{}/Fragment={}/PartitionType=default", data.directory, model::to_string(columns));
  spec.partner_tenant_id = options_.partner_tenant_id;
  spec.row_count = shape.rows;
  spec.rows_per_blob = shape.rows_per_blob;
  spec.blob_count = shape.blob_count;
  spec.sas_valid_for = shape.sas_valid_for;
  spec.sas_terms = SasTerms{shape.sas_permissions, shape.sas_starts_in};
  spec.blob_faults = shape.blob_faults;
  spec.blob_count_delta = shape.blob_count_delta;
  spec.read_delay = shape.read_delay;
  // The operation's evolution, which a forced success keeps too.
  spec.unknown_properties = operation.evolution.unknown_properties;
  if (!shape.generated_before) {
    spec.lines = line_source(request.kind, std::move(data.profile), seed, columns, format);
    const auto manifest = blobs_.publish(std::move(spec), at);
    return {manifest->id, manifest->blob_count};
  }
  // Data the service had already generated: the manifest of an earlier
  // export of the same data, while it is kept, else one created that long
  // ago. The data follows from the rule (its succeeded phase), the kind,
  // the columns and what the rows are a function of: the invoice, or the
  // currency, month and last day; not from when it was asked for.
  const auto key = fmt::format("{}|{}|{}|{}|{}|{}|{}", operation.rule_identity, model::to_string(request.kind),
                               model::to_string(columns), data.profile.invoice_id, data.profile.billing_currency,
                               data.profile.billing_month_yyyymm(), data.profile.data_through_day.value_or(0));
  std::lock_guard lock(generated_mutex_);
  if (const auto found = generated_by_data_.find(key); found != generated_by_data_.end()) {
    if (const auto manifest = blobs_.find_manifest(found->second)) {
      generated_[manifest->id].holders += 1;
      return {manifest->id, manifest->blob_count};
    }
  }
  spec.lines = line_source(request.kind, std::move(data.profile), seed, columns, format);
  const auto manifest = blobs_.publish(std::move(spec), generated_at);
  generated_by_data_[key] = manifest->id;
  generated_[manifest->id] = GeneratedManifest{key, 1};
  return {manifest->id, manifest->blob_count};
}

void BillingService::release_manifest(const std::string& manifest_id) {
  std::lock_guard lock(generated_mutex_);
  if (const auto it = generated_.find(manifest_id); it != generated_.end()) {
    if (--it->second.holders > 0) return;
    if (const auto by_data = generated_by_data_.find(it->second.key);
        by_data != generated_by_data_.end() && by_data->second == manifest_id) {
      generated_by_data_.erase(by_data);
    }
    generated_.erase(it);
  }
  blobs_.forget(manifest_id);
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
