#include "cli_options.h"

#include <fmt/format.h>

#include <charconv>
#include <functional>
#include <limits>
#include <optional>
#include <type_traits>
#include <string_view>
#include <utility>
#include <vector>


namespace graphfake::cli {
namespace {

template <typename Integer>
std::optional<Integer> parse_integer(const std::string& text) {
  Integer value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A number of bytes, optionally in KiB, MiB or GiB: "65536", "64KiB".
std::optional<std::size_t> parse_size(const std::string& text) {
  constexpr std::pair<std::string_view, std::size_t> kUnits[] = {
      {"KiB", std::size_t{1} << 10}, {"MiB", std::size_t{1} << 20}, {"GiB", std::size_t{1} << 30}};
  for (const auto& [unit, scale] : kUnits) {
    if (!text.ends_with(unit)) continue;
    const auto count = parse_integer<std::size_t>(text.substr(0, text.size() - unit.size()));
    if (!count || *count > std::numeric_limits<std::size_t>::max() / scale) return std::nullopt;
    return *count * scale;
  }
  return parse_integer<std::size_t>(text);
}

// A flag that picks one of a few named answers to an open question.
using DialectChoice = std::function<std::optional<std::string>(const std::string& value, Dialect& dialect)>;

// A dialect field is the enum itself or, for a choice that overrides the
// data profile's, an optional of it.
template <typename Field>
struct ChoiceOf {
  using type = Field;
};
template <typename Enum>
struct ChoiceOf<std::optional<Enum>> {
  using type = Enum;
};

template <typename Field, typename Enum = typename ChoiceOf<Field>::type>
DialectChoice choice(std::string_view flag, Field Dialect::*field,
                     std::initializer_list<std::pair<std::string_view, std::type_identity_t<Enum>>> names) {
  std::vector<std::pair<std::string_view, Enum>> table(names);
  return [flag, field, table](const std::string& value, Dialect& dialect) -> std::optional<std::string> {
    std::string expected;
    for (const auto& [name, member] : table) {
      if (value == name) {
        dialect.*field = member;
        return std::nullopt;
      }
      expected += expected.empty() ? std::string(name) : fmt::format(" or {}", name);
    }
    return fmt::format("{} expects {}, got '{}'", flag, expected, value);
  };
}

DialectChoice dialect_choice(const std::string& flag) {
  using D = Dialect;
  if (flag == "--data-format") {
    return choice(flag, &D::data_format, {{"compressedJSON", D::DataFormat::compressed_json},
                                         {"compressedJSONLines", D::DataFormat::compressed_json_lines}});
  }
  if (flag == "--manifest-literals") {
    return choice(flag, &D::manifest_literals, {{"observed", D::ManifestLiterals::observed},
                                               {"documented", D::ManifestLiterals::documented}});
  }
  if (flag == "--data-profile") {
    return choice(flag, &D::data_profile, {{to_string(DataProfile::observed), DataProfile::observed},
                                          {to_string(DataProfile::documented), DataProfile::documented},
                                          {to_string(DataProfile::legacy_camel), DataProfile::legacy_camel}});
  }
  if (flag == "--data-keys") {
    return choice(flag, &D::data_keys, {{"PascalCase", D::KeyCase::pascal},
                                       {"camelCase", D::KeyCase::camel},
                                       {"lowercase", D::KeyCase::lower}});
  }
  if (flag == "--data-numbers") {
    return choice(flag, &D::data_numbers, {{"number", D::Numbers::json_numbers}, {"string", D::Numbers::strings}});
  }
  if (flag == "--product-qualifiers") {
    return choice(flag, &D::product_qualifiers, {{"text", D::ProductQualifiers::text},
                                                {"array", D::ProductQualifiers::array}});
  }
  if (flag == "--timestamps") {
    return choice(flag, &D::operation_timestamps, {{"rfc3339", D::Timestamps::rfc3339},
                                                  {"documented", D::Timestamps::documented}});
  }
  return nullptr;
}

}  // namespace

std::string usage() {
  return R"(Usage: graphfake [OPTIONS]

A fake Microsoft Graph partner-billing export service for tests.

Options:
  --host HOST        address to listen on (default 127.0.0.1)
  --port PORT        port to listen on; 0 picks a free one (default 0)
  --port-file PATH   write the port to PATH once listening (atomically)
  --report PATH      on stopping, write the client-behaviour report (what
                     clients did against the Retry-After, Location and
                     terminal states they were given) to PATH as JSON, and
                     print it as a table on standard error
  --report-html PATH on stopping, write the same report drawn to PATH: one
                     self-contained HTML page with each operation's
                     timeline (inline SVG, no script)
  --token TOKEN      accept this bearer token (repeatable), and then no
                     others; the first is printed as the token to use.
                     Without it, any JWT granting PartnerBilling.Read.All
                     is accepted (signatures are not checked)
  --seed N           seed for ids, SAS signatures and data (default 1)
  --scenario PATH    load a scenario file, or every *.json in a directory
                     (repeatable; rules match in the order loaded)
  --clock MODE       system (default); virtual (starts at --clock-start and
                     stays there, so every timestamp is reproducible); or
                     auto (virtual, and each advertised Retry-After moves it
                     forward, as if the client had waited)
  --clock-start TIME where a virtual clock starts, from 1970-01-01T00:00:00Z
                     to 2200-01-01T00:00:00Z (default 2025-01-01T00:00:00Z)
  --admin-token TOKEN
                     require "Authorization: Bearer TOKEN" on the admin API
                     (/_graphfake/...; see docs/admin-api.md)
  --max-connections N
                     connections served at once (default 1024); one more
                     is answered 503 with Retry-After and closed
  --request-timeout DURATION
                     a request's head and body must arrive within this of
                     its first byte, else 408 (default 10s)
  --journal-capacity N
                     requests each namespace's journal keeps before dropping
                     the oldest (default 10000)
  --journal-bytes SIZE
                     bytes the journals of every namespace may take together
                     before the one holding the most drops its oldest: a
                     number, or one ending in KiB, MiB or GiB (default 64MiB)
  --max-operations N operations kept with their manifests and blobs; past
                     it a new export evicts the oldest finished one, or the
                     oldest of all, whose polls then get 410 Gone (default
                     100000)
  --max-blobs N      blobs the manifests kept may list together; past it,
                     publishing a manifest evicts the oldest finished
                     operations as --max-operations does (default 1000000)
  --scenario-root DIR
                     let the admin API load scenario files by path
                     ({"paths": [...]}) from inside DIR; without it, loading
                     by path over HTTP is refused (403)
  --tls              serve https; without --tls-cert and --tls-key, with a
                     certificate authority made at start and a certificate
                     it signed for --host, localhost, 127.0.0.1 and ::1,
                     written as ca.pem, cert.pem and key.pem into --tls-dir.
                     Clients trust ca.pem: how is printed on standard error
  --tls-dir DIR      where --tls writes ca.pem, cert.pem and key.pem,
                     created if missing and kept on exit (default: a new
                     private temporary directory, removed on exit)
  --tls-cert FILE    serve https with this PEM certificate chain (the
                     server's certificate first); needs --tls-key
  --tls-key FILE     the PEM private key for --tls-cert
  --tls-self-signed FILE
                     deprecated, use --tls: serve https with a new
                     self-signed certificate for --host, 127.0.0.1, localhost
                     and ::1, written to FILE for clients to trust (its key
                     is deleted once loaded)

Where the real service's behaviour is unknown (docs/conformance.md), these
select the other plausible answer:
  --data-format NAME        the manifest's dataFormat: compressedJSON (default)
                            or compressedJSONLines
  --manifest-literals WHICH schemaVersion and partitionType: observed ("2",
                            "default"; default) or documented ("1", "Default")
  --blob-sizes              list sizeInBytes and itemCount on each blob
  --data-profile NAME       data files as real ones are (observed; default),
                            as the documentation's tables have them
                            (documented), or with the legacy camelCase
                            reconciliation columns (legacy-camel); see
                            docs/fidelity.md
  --data-keys CASE          override the profile's key spelling: PascalCase,
                            camelCase or lowercase
  --data-numbers AS         numeric columns as number (default) or string
  --product-qualifiers AS   override the profile's ProductQualifiers: text
                            (a JSON array's text; documented) or array
                            (observed)
  --case-insensitive-requests
                            bind {"InvoiceId":...,"AttributeSet":"Full"} as
                            the documented camelCase names and values
  --timestamps STYLE        operation timestamps: rfc3339 (default) or
                            documented (createdDateTime without offset,
                            lastActionDateTime with seven fraction digits)

  --check PATH...    validate scenario files and directories, print every
                     error as "file: /pointer: reason", and exit: 0 when all
                     are valid, 1 otherwise
  --help             show this help and exit
  --version          print the version and exit

Once listening, graphfake prints one JSON line on stdout (https:// with TLS,
and "ca_file":"DIR/ca.pem" when --tls made the certificates):
  {"event":"ready","base_url":"http://127.0.0.1:PORT","port":PORT,"token":"..."}
and serves until SIGINT or SIGTERM, then exits 0.
)";
}

std::optional<std::string> exposure_warning(const Options& options) {
  if (!options.admin_token.empty()) return std::nullopt;
  const auto& host = options.host;
  const bool loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
  if (loopback) return std::nullopt;
  return fmt::format(
      "graphfake: warning: listening on {} without --admin-token: anyone who can reach this address can reset the "
      "fake, load scenarios and read the journal (with the bearer tokens clients sent). Add --admin-token TOKEN, or "
      "listen on 127.0.0.1.\n",
      host);
}

std::variant<CliOptions, CliError> parse_arguments(const std::vector<std::string>& arguments) {
  CliOptions options;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& flag = arguments[i];
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      continue;
    }
    if (flag == "--version") {
      options.version = true;
      continue;
    }
    if (flag == "--check") {
      options.check_paths.assign(arguments.begin() + static_cast<std::ptrdiff_t>(i) + 1, arguments.end());
      if (options.check_paths.empty()) return CliError{"--check needs at least one scenario file or directory"};
      return options;
    }
    if (flag == "--blob-sizes") {
      options.server.dialect.blob_sizes = true;
      continue;
    }
    if (flag == "--case-insensitive-requests") {
      options.server.dialect.case_insensitive_requests = true;
      continue;
    }
    if (flag == "--tls") {
      options.server.tls = true;
      continue;
    }
    if (const auto dialect_flag = dialect_choice(flag)) {
      if (i + 1 >= arguments.size()) return CliError{fmt::format("{} needs a value", flag)};
      if (auto error = dialect_flag(arguments[++i], options.server.dialect)) return CliError{*std::move(error)};
      continue;
    }
    if (flag != "--host" && flag != "--port" && flag != "--port-file" && flag != "--token" && flag != "--seed" &&
        flag != "--scenario" && flag != "--clock" && flag != "--clock-start" && flag != "--tls-cert" &&
        flag != "--tls-key" && flag != "--tls-self-signed" && flag != "--tls-dir" && flag != "--admin-token" &&
        flag != "--journal-capacity" && flag != "--journal-bytes" && flag != "--max-operations" &&
        flag != "--max-blobs" && flag != "--scenario-root" && flag != "--report" && flag != "--report-html" &&
        flag != "--max-connections" &&
        flag != "--request-timeout") {
      return CliError{fmt::format("unknown option '{}'", flag)};
    }
    if (i + 1 >= arguments.size()) return CliError{fmt::format("{} needs a value", flag)};
    const std::string& value = arguments[++i];

    if (flag == "--host") {
      if (value.empty()) return CliError{"--host needs a non-empty address"};
      options.server.host = value;
    } else if (flag == "--port") {
      const auto port = parse_integer<std::uint16_t>(value);
      if (!port) return CliError{fmt::format("--port expects a number from 0 to 65535, got '{}'", value)};
      options.server.port = *port;
    } else if (flag == "--port-file") {
      if (value.empty()) return CliError{"--port-file needs a path"};
      options.port_file = value;
    } else if (flag == "--report") {
      if (value.empty()) return CliError{"--report needs a path"};
      options.report_file = value;
    } else if (flag == "--report-html") {
      if (value.empty()) return CliError{"--report-html needs a path"};
      options.report_html_file = value;
    } else if (flag == "--token") {
      if (value.empty() || value.find_first_of(" \t\r\n") != std::string::npos) {
        return CliError{"--token needs a non-empty value without whitespace"};
      }
      options.server.accepted_tokens.push_back(value);
    } else if (flag == "--scenario") {
      if (value.empty()) return CliError{"--scenario needs a path"};
      options.server.scenario_paths.push_back(value);
    } else if (flag == "--clock") {
      if (value == "system") {
        options.clock = ClockChoice::system;
      } else if (value == "virtual") {
        options.clock = ClockChoice::virtual_clock;
      } else if (value == "auto") {
        options.clock = ClockChoice::auto_advance;
      } else {
        return CliError{fmt::format("--clock expects system, virtual or auto, got '{}'", value)};
      }
    } else if (flag == "--admin-token") {
      if (value.empty() || value.find_first_of(" \t\r\n") != std::string::npos) {
        return CliError{"--admin-token needs a non-empty value without whitespace"};
      }
      options.server.admin_token = value;
    } else if (flag == "--journal-capacity") {
      const auto capacity = parse_integer<std::size_t>(value);
      if (!capacity || *capacity == 0) {
        return CliError{fmt::format("--journal-capacity expects a whole number of at least 1, got '{}'", value)};
      }
      options.server.journal_capacity = *capacity;
    } else if (flag == "--journal-bytes") {
      const auto bytes = parse_size(value);
      if (!bytes || *bytes == 0) {
        return CliError{
            fmt::format("--journal-bytes expects a size of at least 1, like 67108864 or 64MiB, got '{}'", value)};
      }
      options.server.journal_byte_capacity = *bytes;
    } else if (flag == "--max-operations") {
      const auto most = parse_integer<std::size_t>(value);
      if (!most || *most == 0) {
        return CliError{fmt::format("--max-operations expects a whole number of at least 1, got '{}'", value)};
      }
      options.server.max_operations = *most;
    } else if (flag == "--max-blobs") {
      const auto most = parse_integer<std::size_t>(value);
      if (!most || *most == 0) {
        return CliError{fmt::format("--max-blobs expects a whole number of at least 1, got '{}'", value)};
      }
      options.server.max_blobs = *most;
    } else if (flag == "--max-connections") {
      const auto most = parse_integer<std::size_t>(value);
      if (!most || *most == 0) {
        return CliError{fmt::format("--max-connections expects a whole number of at least 1, got '{}'", value)};
      }
      options.server.max_connections = *most;
    } else if (flag == "--request-timeout") {
      const auto timeout = graphfake::parse_duration(value);
      if (!timeout || timeout->count() <= 0) {
        return CliError{fmt::format("--request-timeout expects a positive duration like 10s or 500ms, got '{}'", value)};
      }
      options.server.request_timeout = *timeout;
    } else if (flag == "--scenario-root") {
      if (value.empty()) return CliError{"--scenario-root needs a directory"};
      options.server.scenario_root = value;
    } else if (flag == "--tls-cert") {
      if (value.empty()) return CliError{"--tls-cert needs a path"};
      options.server.tls_certificate_file = value;
    } else if (flag == "--tls-key") {
      if (value.empty()) return CliError{"--tls-key needs a path"};
      options.server.tls_private_key_file = value;
    } else if (flag == "--tls-dir") {
      if (value.empty()) return CliError{"--tls-dir needs a path"};
      options.server.tls_directory = value;
    } else if (flag == "--tls-self-signed") {
      if (value.empty()) return CliError{"--tls-self-signed needs a path to write the certificate to"};
      options.tls_self_signed_file = value;
    } else if (flag == "--clock-start") {
      auto start = graphfake::parse_clock_time(value);
      if (const auto* problem = std::get_if<std::string>(&start)) {
        return CliError{fmt::format("--clock-start {}, got '{}'", *problem, value)};
      }
      options.clock_start = std::get<TimePoint>(start);
    } else {
      const auto seed = parse_integer<std::uint64_t>(value);
      if (!seed) return CliError{fmt::format("--seed expects a non-negative integer, got '{}'", value)};
      options.server.seed = *seed;
    }
  }
  const bool has_certificate = !options.server.tls_certificate_file.empty();
  const bool has_key = !options.server.tls_private_key_file.empty();
  if (has_certificate && !has_key) return CliError{"--tls-cert needs --tls-key as well"};
  if (has_key && !has_certificate) return CliError{"--tls-key needs --tls-cert as well"};
  if (has_certificate && !options.tls_self_signed_file.empty()) {
    return CliError{"--tls-self-signed cannot be combined with --tls-cert and --tls-key"};
  }
  if (options.server.tls && !options.tls_self_signed_file.empty()) {
    return CliError{"--tls-self-signed cannot be combined with --tls"};
  }
  if (!options.server.tls_directory.empty() && !options.server.tls) return CliError{"--tls-dir needs --tls"};
  if (!options.server.tls_directory.empty() && has_certificate) {
    return CliError{"--tls-dir is where --tls writes the certificates it makes: not with --tls-cert and --tls-key"};
  }
  return options;
}

}  // namespace graphfake::cli
