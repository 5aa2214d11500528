// Prints what it costs to make a blob: generating the rows, indexing the
// gzip (the one-time pass per blob), streaming it whole, and a 1 MiB range
// from its middle, per data kind, data profile and row count; then the same text through
// the system's `gzip -1` for comparison. Figures only: nothing is asserted.
// Options: --help (row counts default to 10k, 100k and 1M; --all or
// --rows 10000000 for 10M rows, several minutes per kind).
//
// Each measurement runs in a forked child, so the peak RSS it reports
// (getrusage ru_maxrss) is that measurement's own.
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "data/export_data.h"
#include "data/gzip_stream.h"
#include "data/invoice_profile.h"
#include "model/export.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using graphfake::model::ExportKind;

constexpr std::uint64_t kSeed = 1;
constexpr std::string_view kPartnerTenant = "3c0ba8d5-3b4e-4a19-9a58-5e4c9f0b7d21";
constexpr std::size_t kBatchBytes = 64 * 1024;
constexpr std::uint64_t kRangeBytes = 1024 * 1024;

// Every data kind the bench can make, by the name scenario files use. A new
// kind of export data is one more entry here.
constexpr std::array kKinds = {ExportKind::billed_reconciliation, ExportKind::unbilled_reconciliation,
                               ExportKind::billed_usage, ExportKind::unbilled_usage};
constexpr std::array kProfiles = {graphfake::DataProfile::observed, graphfake::DataProfile::documented,
                                  graphfake::DataProfile::legacy_camel};

std::shared_ptr<const graphfake::data::LineSource> make_source(ExportKind kind, graphfake::DataProfile data_profile) {
  auto invoice = graphfake::model::is_billed(kind)
                     ? graphfake::data::make_invoice_profile(kSeed, "G016907411", kPartnerTenant)
                     : graphfake::data::make_unbilled_profile(kSeed, "USD", 2025, 1, kPartnerTenant);
  return graphfake::data::make_line_source(kind, std::move(invoice), kSeed, graphfake::model::AttributeSet::full,
                                           graphfake::data::LineFormat{.profile = data_profile});
}

constexpr std::string_view kUsage =
    "usage: graphfake_generator_bench [--rows N,N,...] [--all] [--kinds KIND,...] [--profiles NAME,...]\n"
    "                                 [--gzip-max-rows N]\n"
    "  --rows           row counts (default 10000,100000,1000000); --rows 10000000 measures 10 million alone\n"
    "  --all            10000,100000,1000000,10000000\n"
    "  --kinds          billedReconciliation,unbilledReconciliation,billedUsage,unbilledUsage (default: all)\n"
    "  --profiles       data profiles: observed,documented,legacy-camel (default: observed)\n"
    "  --gzip-max-rows  largest row count also piped through gzip -1 (default 1000000)\n";

struct Options {
  std::vector<std::uint64_t> rows = {10'000, 100'000, 1'000'000};
  std::vector<ExportKind> kinds = {kKinds.begin(), kKinds.end()};
  std::vector<graphfake::DataProfile> profiles = {graphfake::DataProfile::observed};
  std::uint64_t gzip_max_rows = 1'000'000;
  bool help = false;
};

std::vector<std::string_view> split(std::string_view list) {
  std::vector<std::string_view> items;
  while (!list.empty()) {
    const auto comma = list.find(',');
    items.push_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return items;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    const auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) throw std::invalid_argument(fmt::format("{} needs a value", flag));
      return argv[++i];
    };
    if (flag == "--help") {
      options.help = true;
    } else if (flag == "--rows") {
      options.rows.clear();
      for (const auto item : split(value())) options.rows.push_back(std::stoull(std::string(item)));
    } else if (flag == "--all") {
      options.rows = {10'000, 100'000, 1'000'000, 10'000'000};
    } else if (flag == "--kinds") {
      options.kinds.clear();
      for (const auto item : split(value())) {
        const auto known = std::find_if(kKinds.begin(), kKinds.end(),
                                        [&](ExportKind kind) { return graphfake::model::to_string(kind) == item; });
        if (known == kKinds.end()) throw std::invalid_argument(fmt::format("unknown kind '{}'", item));
        options.kinds.push_back(*known);
      }
    } else if (flag == "--profiles") {
      options.profiles.clear();
      for (const auto item : split(value())) {
        const auto known = std::find_if(kProfiles.begin(), kProfiles.end(),
                                        [&](graphfake::DataProfile profile) { return to_string(profile) == item; });
        if (known == kProfiles.end()) throw std::invalid_argument(fmt::format("unknown profile '{}'", item));
        options.profiles.push_back(*known);
      }
    } else if (flag == "--gzip-max-rows") {
      options.gzip_max_rows = std::stoull(std::string(value()));
    } else {
      throw std::invalid_argument(fmt::format("unknown option '{}'", flag));
    }
  }
  return options;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double cpu_seconds(const rusage& usage) {
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// What a child reports through its pipe: plain bytes, so no parsing.
struct Measurement {
  double generate_seconds = 0;  // making the text alone
  double index_seconds = 0;     // the one-time indexing pass
  double read_seconds = 0;      // streaming the whole blob
  double range_seconds = 0;     // 1 MiB from the middle
  std::uint64_t text_bytes = 0;
  std::uint64_t gzip_bytes = 0;
  std::uint64_t range_bytes = 0;
  double gzip1_wall_seconds = 0;  // text generated and piped through gzip -1
  double gzip1_cpu_seconds = 0;   // gzip's own CPU time
  std::array<char, 256> error{};
};

void fail(Measurement& result, std::string_view message) {
  const auto length = std::min(message.size(), result.error.size() - 1);
  std::copy_n(message.data(), length, result.error.data());
}

double time_generation(const graphfake::data::LineSource& source, std::uint64_t rows) {
  const auto start = Clock::now();
  std::string batch;
  for (std::uint64_t row = 0; row < rows; ++row) {
    source.append_line(row, batch);
    if (batch.size() >= kBatchBytes) batch.clear();
  }
  return seconds_since(start);
}

void measure_blob(ExportKind kind, graphfake::DataProfile profile, std::uint64_t rows, Measurement& result) {
  const auto source = make_source(kind, profile);
  result.generate_seconds = time_generation(*source, rows);

  auto start = Clock::now();
  const auto index = graphfake::data::build_gzip_index(*source, 0, rows);
  result.index_seconds = seconds_since(start);
  result.text_bytes = index.text_size;
  result.gzip_bytes = index.size;

  std::vector<char> buffer(kBatchBytes);
  start = Clock::now();
  graphfake::data::GzipLinesStream whole(*source, index);
  std::uint64_t streamed = 0;
  while (const auto count = whole.read(buffer.data(), buffer.size())) streamed += count;
  result.read_seconds = seconds_since(start);
  if (streamed != index.size) throw std::runtime_error("the stream's length differs from the index's");

  start = Clock::now();
  graphfake::data::GzipLinesStream middle(*source, index, index.size / 2);
  while (result.range_bytes < kRangeBytes) {
    const auto wanted = std::min<std::uint64_t>(buffer.size(), kRangeBytes - result.range_bytes);
    const auto count = middle.read(buffer.data(), static_cast<std::size_t>(wanted));
    if (count == 0) break;
    result.range_bytes += count;
  }
  result.range_seconds = seconds_since(start);
}

void measure_gzip1(ExportKind kind, graphfake::DataProfile profile, std::uint64_t rows, Measurement& result) {
  const auto source = make_source(kind, profile);
  std::array<int, 2> pipe_ends{};
  if (pipe(pipe_ends.data()) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[1]);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::array<char*, 3> arguments = {const_cast<char*>("gzip"), const_cast<char*>("-1"), nullptr};
  pid_t gzip = 0;
  const auto start = Clock::now();
  const int spawned = posix_spawnp(&gzip, "gzip", &actions, nullptr, arguments.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[0]);
  if (spawned != 0) throw std::runtime_error(fmt::format("cannot run gzip: {}", std::strerror(spawned)));

  std::string batch;
  const auto send = [&] {
    result.text_bytes += batch.size();
    for (std::size_t sent = 0; sent < batch.size();) {
      const auto count = write(pipe_ends[1], batch.data() + sent, batch.size() - sent);
      if (count < 0 && errno != EINTR) throw std::runtime_error("writing to gzip failed");
      if (count > 0) sent += static_cast<std::size_t>(count);
    }
    batch.clear();
  };
  for (std::uint64_t row = 0; row < rows; ++row) {
    source->append_line(row, batch);
    if (batch.size() >= kBatchBytes) send();
  }
  send();
  close(pipe_ends[1]);
  int status = 0;
  rusage usage{};
  if (wait4(gzip, &status, 0, &usage) != gzip || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("gzip -1 failed");
  }
  result.gzip1_wall_seconds = seconds_since(start);
  result.gzip1_cpu_seconds = cpu_seconds(usage);
}

struct ChildOutcome {
  Measurement measurement;
  double peak_rss_mib = 0;
};

// Runs `work` in a forked child and collects what it measured, with the
// child's peak resident set.
template <typename Work>
ChildOutcome in_child(Work work) {
  std::array<int, 2> pipe_ends{};
  if (pipe(pipe_ends.data()) != 0) throw std::runtime_error("pipe failed");
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    close(pipe_ends[0]);
    Measurement result;
    try {
      work(result);
    } catch (const std::exception& error) {
      fail(result, error.what());
    }
    const auto written = write(pipe_ends[1], &result, sizeof result);
    _exit(written == static_cast<ssize_t>(sizeof result) ? 0 : 1);
  }
  close(pipe_ends[1]);
  ChildOutcome outcome;
  std::size_t received = 0;
  auto* bytes = reinterpret_cast<char*>(&outcome.measurement);
  while (received < sizeof outcome.measurement) {
    const auto count = read(pipe_ends[0], bytes + received, sizeof outcome.measurement - received);
    if (count <= 0 && errno != EINTR) break;
    if (count > 0) received += static_cast<std::size_t>(count);
  }
  close(pipe_ends[0]);
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  if (received != sizeof outcome.measurement) fail(outcome.measurement, "the child exited without reporting");
  outcome.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
  return outcome;
}

// Every kind asked for, under each profile asked for.
std::vector<std::pair<ExportKind, graphfake::DataProfile>> series_of(const Options& options) {
  std::vector<std::pair<ExportKind, graphfake::DataProfile>> series;
  for (const auto profile : options.profiles) {
    for (const auto kind : options.kinds) series.emplace_back(kind, profile);
  }
  return series;
}

// "billedUsage/observed": a table row's kind and data profile.
std::string kind_and_profile(ExportKind kind, graphfake::DataProfile profile) {
  return fmt::format("{}/{}", graphfake::model::to_string(kind), to_string(profile));
}

double megabytes(std::uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }

}  // namespace

int main(int argc, char** argv) {
  // Line by line, so a long run shows each figure as it comes even when piped.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& error) {
    fmt::print(stderr, "graphfake_generator_bench: {}\n{}", error.what(), kUsage);
    return 2;
  }
  if (options.help) {
    fmt::print("{}", kUsage);
    return 0;
  }

  fmt::print("Full attribute set, seed {}, gzip level {} in segments of {} rows; one forked child per measurement.\n"
             "gen s: the text alone; index s: the one-time indexing pass per blob; read s and the rates: "
             "streaming the whole blob; range ms: 1 MiB from the middle of the blob.\n\n",
             kSeed, graphfake::data::kGzipLevel, graphfake::data::kGzipSegmentRows);
  fmt::print("{:<36} {:>9} {:>9} {:>7} {:>8} {:>8} {:>10} {:>9} {:>9} {:>12} {:>9} {:>9}\n", "kind", "rows",
             "text MB", "gen s", "index s", "read s", "rows/s", "text MB/s", "gzip MB/s", "gzip bytes", "range ms",
             "peak MiB");

  struct Largest {
    std::string name;
    std::uint64_t rows;
    Measurement measurement;
  };
  std::vector<Largest> largest;
  for (const auto& [kind, profile] : series_of(options)) {
    for (const auto rows : options.rows) {
      const auto outcome = in_child([&](Measurement& result) { measure_blob(kind, profile, rows, result); });
      const auto& m = outcome.measurement;
      const auto name = kind_and_profile(kind, profile);
      if (m.error[0] != '\0') {
        fmt::print("{:<36} {:>9} failed: {}\n", name, rows, m.error.data());
        continue;
      }
      fmt::print("{:<36} {:>9} {:>9.1f} {:>7.2f} {:>8.2f} {:>8.2f} {:>10.0f} {:>9.1f} {:>9.1f} {:>12} {:>9.1f} {:>9.1f}\n",
                 name, rows, megabytes(m.text_bytes), m.generate_seconds, m.index_seconds, m.read_seconds,
                 static_cast<double>(rows) / m.read_seconds, megabytes(m.text_bytes) / m.read_seconds,
                 megabytes(m.gzip_bytes) / m.read_seconds, m.gzip_bytes, m.range_seconds * 1e3, outcome.peak_rss_mib);
      if (largest.empty() || largest.back().name != name) {
        largest.push_back({name, rows, m});
      } else if (rows > largest.back().rows) {
        largest.back() = {name, rows, m};
      }
    }
  }

  fmt::print("\nA range read against a full read, on the largest blob of each kind:\n");
  for (const auto& [name, rows, m] : largest) {
    fmt::print("{:<36} {:>9} rows: {:.0f} KiB from offset {} in {:.1f} ms; the whole {:.1f} MB in {:.2f} s\n",
               name, rows, static_cast<double>(m.range_bytes) / 1024.0, m.gzip_bytes / 2,
               m.range_seconds * 1e3, megabytes(m.gzip_bytes), m.read_seconds);
  }

  fmt::print("\nThe same text generated and piped through the system's `gzip -1 > /dev/null` (row counts above {} "
             "skipped, --gzip-max-rows to change); MB/s is of input per second of gzip's own CPU time:\n",
             options.gzip_max_rows);
  fmt::print("{:<36} {:>9} {:>9} {:>10} {:>11} {:>9}\n", "kind", "rows", "text MB", "wall s", "gzip CPU s", "MB/s");
  for (const auto& [kind, profile] : series_of(options)) {
    for (const auto rows : options.rows) {
      const auto name = kind_and_profile(kind, profile);
      if (rows > options.gzip_max_rows) {
        fmt::print("{:<36} {:>9} skipped (above --gzip-max-rows)\n", name, rows);
        continue;
      }
      const auto outcome = in_child([&](Measurement& result) { measure_gzip1(kind, profile, rows, result); });
      const auto& m = outcome.measurement;
      if (m.error[0] != '\0') {
        fmt::print("{:<36} {:>9} failed: {}\n", name, rows, m.error.data());
        continue;
      }
      fmt::print("{:<36} {:>9} {:>9.1f} {:>10.2f} {:>11.2f} {:>9.1f}\n", name, rows, megabytes(m.text_bytes),
                 m.gzip1_wall_seconds, m.gzip1_cpu_seconds, megabytes(m.text_bytes) / m.gzip1_cpu_seconds);
    }
  }
  return 0;
}
