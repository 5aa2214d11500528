#include "cli_options.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace graphfake::cli {
namespace {

using Args = std::vector<std::string>;

CliOptions parsed(const Args& args) {
  auto result = parse_arguments(args);
  if (const auto* error = std::get_if<CliError>(&result)) {
    ADD_FAILURE() << "unexpected error: " << error->message;
    return {};
  }
  return std::get<CliOptions>(std::move(result));
}

std::string error_of(const Args& args) {
  const auto result = parse_arguments(args);
  if (!std::holds_alternative<CliError>(result)) {
    ADD_FAILURE() << "arguments were accepted";
    return {};
  }
  return std::get<CliError>(result).message;
}

TEST(CliOptions, NoArgumentsGiveTheDefaults) {
  const auto options = parsed({});
  EXPECT_EQ(options.server.host, "127.0.0.1");
  EXPECT_EQ(options.server.port, 0);
  EXPECT_EQ(options.server.seed, 1u);
  EXPECT_TRUE(options.server.accepted_tokens.empty());
  EXPECT_TRUE(options.port_file.empty());
  EXPECT_FALSE(options.help);
  EXPECT_FALSE(options.version);
  EXPECT_TRUE(options.server.tls_certificate_file.empty());
  EXPECT_TRUE(options.server.tls_private_key_file.empty());
  EXPECT_TRUE(options.tls_self_signed_file.empty());
  EXPECT_FALSE(options.server.tls);
  EXPECT_TRUE(options.server.tls_directory.empty());
}

TEST(CliOptions, HostIsTaken) { EXPECT_EQ(parsed({"--host", "0.0.0.0"}).server.host, "0.0.0.0"); }

TEST(CliOptions, PortIsTaken) { EXPECT_EQ(parsed({"--port", "8080"}).server.port, 8080); }

TEST(CliOptions, PortBoundsAreAccepted) {
  EXPECT_EQ(parsed({"--port", "0"}).server.port, 0);
  EXPECT_EQ(parsed({"--port", "65535"}).server.port, 65535);
}

TEST(CliOptions, PortFileIsTaken) {
  EXPECT_EQ(parsed({"--port-file", "/tmp/graphfake.port"}).port_file, "/tmp/graphfake.port");
}

TEST(CliOptions, TokenIsRepeatableInOrder) {
  EXPECT_EQ(parsed({"--token", "first", "--token", "second", "--token", "third"}).server.accepted_tokens,
            (std::vector<std::string>{"first", "second", "third"}));
}

TEST(CliOptions, SeedIsTaken) {
  EXPECT_EQ(parsed({"--seed", "42"}).server.seed, 42u);
  EXPECT_EQ(parsed({"--seed", "0"}).server.seed, 0u);
  EXPECT_EQ(parsed({"--seed", "18446744073709551615"}).server.seed, 18446744073709551615ULL);
}

TEST(CliOptions, LaterValueOfASingleValuedOptionWins) {
  EXPECT_EQ(parsed({"--port", "1", "--port", "2"}).server.port, 2);
}

TEST(CliOptions, AllOptionsTogether) {
  const auto options = parsed({"--host", "::1", "--port", "4711", "--port-file", "port.txt", "--token", "t1",
                               "--seed", "7", "--token", "t2"});
  EXPECT_EQ(options.server.host, "::1");
  EXPECT_EQ(options.server.port, 4711);
  EXPECT_EQ(options.port_file, "port.txt");
  EXPECT_EQ(options.server.accepted_tokens, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(options.server.seed, 7u);
  EXPECT_FALSE(options.help);
}

TEST(CliOptions, HelpIsRecognised) {
  EXPECT_TRUE(parsed({"--help"}).help);
  EXPECT_TRUE(parsed({"-h"}).help);
  EXPECT_TRUE(parsed({"--port", "80", "--help"}).help);
}

TEST(CliOptions, VersionIsRecognised) {
  const auto options = parsed({"--version"});
  EXPECT_TRUE(options.version);
  EXPECT_FALSE(options.help);
}

TEST(CliOptions, UnknownOptionIsAnErrorNamingIt) {
  for (const char* flag : {"--bogus", "-p", "--Port", "--port=8080", "positional", "--"}) {
    SCOPED_TRACE(flag);
    EXPECT_NE(error_of({flag}).find(flag), std::string::npos);
  }
}

TEST(CliOptions, MissingValueIsAnErrorNamingTheOption) {
  for (const char* flag :
       {"--host", "--port", "--port-file", "--token", "--seed", "--tls-cert", "--tls-key", "--tls-self-signed",
        "--tls-dir", "--report", "--report-html", "--journal-bytes", "--max-operations", "--scenario-root"}) {
    SCOPED_TRACE(flag);
    EXPECT_NE(error_of({flag}).find(flag), std::string::npos);
  }
}

TEST(CliOptions, MissingValueAfterOtherOptionsIsAnError) {
  EXPECT_NE(error_of({"--host", "0.0.0.0", "--port"}).find("--port"), std::string::npos);
}

TEST(CliOptions, PortOutOfRangeOrNotANumberIsAnError) {
  for (const char* port : {"70000", "65536", "-1", "abc", "", "80x", " 80", "80 ", "8.0", "0x50", "+80"}) {
    SCOPED_TRACE(port);
    const auto message = error_of({"--port", port});
    EXPECT_NE(message.find("--port"), std::string::npos) << message;
  }
}

TEST(CliOptions, PortErrorQuotesTheValue) {
  EXPECT_NE(error_of({"--port", "70000"}).find("70000"), std::string::npos);
}

TEST(CliOptions, BadSeedIsAnError) {
  for (const char* seed : {"-1", "abc", "", "1.5", "18446744073709551616", "1e3", "12 "}) {
    SCOPED_TRACE(seed);
    const auto message = error_of({"--seed", seed});
    EXPECT_NE(message.find("--seed"), std::string::npos) << message;
  }
}

TEST(CliOptions, EmptyTokenIsAnError) {
  EXPECT_NE(error_of({"--token", ""}).find("--token"), std::string::npos);
}

TEST(CliOptions, TokenWithWhitespaceIsAnError) {
  for (const char* token : {"a b", "a\tb", " a", "a\n"}) {
    SCOPED_TRACE(token);
    EXPECT_NE(error_of({"--token", token}).find("--token"), std::string::npos);
  }
}

TEST(CliOptions, EmptyHostIsAnError) { EXPECT_NE(error_of({"--host", ""}).find("--host"), std::string::npos); }

TEST(CliOptions, ReportFileIsTaken) {
  EXPECT_EQ(parsed({"--report", "out/report.json"}).report_file, "out/report.json");
  EXPECT_TRUE(parsed({}).report_file.empty());
}

TEST(CliOptions, ReportHtmlFileIsTaken) {
  EXPECT_EQ(parsed({"--report-html", "out/report.html"}).report_html_file, "out/report.html");
  EXPECT_TRUE(parsed({}).report_html_file.empty());
}

TEST(CliOptions, EmptyReportHtmlFileIsAnError) {
  EXPECT_NE(error_of({"--report-html", ""}).find("--report-html"), std::string::npos);
}

TEST(CliOptions, EmptyReportFileIsAnError) {
  EXPECT_NE(error_of({"--report", ""}).find("--report"), std::string::npos);
}

TEST(CliOptions, EmptyPortFileIsAnError) {
  EXPECT_NE(error_of({"--port-file", ""}).find("--port-file"), std::string::npos);
}

TEST(CliOptions, ErrorAfterValidOptionsIsStillAnError) {
  EXPECT_NE(error_of({"--port", "80", "--token", "ok", "--bogus"}).find("--bogus"), std::string::npos);
}

TEST(CliOptions, TlsCertAndKeyAreTaken) {
  const auto options = parsed({"--tls-cert", "fake.crt", "--tls-key", "fake.key"});
  EXPECT_EQ(options.server.tls_certificate_file, "fake.crt");
  EXPECT_EQ(options.server.tls_private_key_file, "fake.key");
}

TEST(CliOptions, TlsCertWithoutKeyIsAnErrorNamingTheMissingOne) {
  EXPECT_EQ(error_of({"--tls-cert", "fake.crt"}), "--tls-cert needs --tls-key as well");
  EXPECT_EQ(error_of({"--tls-key", "fake.key"}), "--tls-key needs --tls-cert as well");
}

TEST(CliOptions, TlsSelfSignedIsTaken) {
  const auto options = parsed({"--tls-self-signed", "/tmp/graphfake.crt"});
  EXPECT_EQ(options.tls_self_signed_file, "/tmp/graphfake.crt");
  EXPECT_TRUE(options.server.tls_certificate_file.empty());
}

TEST(CliOptions, TlsSelfSignedWithCertAndKeyIsAnError) {
  EXPECT_NE(error_of({"--tls-self-signed", "a.crt", "--tls-cert", "b.crt", "--tls-key", "b.key"})
                .find("--tls-self-signed"),
            std::string::npos);
}

TEST(CliOptions, TlsAloneServesHttpsWithCertificatesMadeAtStart) {
  const auto options = parsed({"--tls"});
  EXPECT_TRUE(options.server.tls);
  EXPECT_TRUE(options.server.tls_directory.empty());
  EXPECT_TRUE(options.server.tls_certificate_file.empty());
}

TEST(CliOptions, TlsDirIsTaken) {
  EXPECT_EQ(parsed({"--tls", "--tls-dir", "/tmp/graphfake-tls"}).server.tls_directory, "/tmp/graphfake-tls");
}

TEST(CliOptions, TlsWithCertAndKeyServesThem) {
  const auto options = parsed({"--tls", "--tls-cert", "fake.crt", "--tls-key", "fake.key"});
  EXPECT_TRUE(options.server.tls);
  EXPECT_EQ(options.server.tls_certificate_file, "fake.crt");
  EXPECT_EQ(options.server.tls_private_key_file, "fake.key");
}

TEST(CliOptions, TlsDirWithoutTlsIsAnError) {
  EXPECT_EQ(error_of({"--tls-dir", "/tmp/graphfake-tls"}), "--tls-dir needs --tls");
}

TEST(CliOptions, TlsDirWithCertAndKeyIsAnErrorNamingBoth) {
  const auto message = error_of({"--tls", "--tls-dir", "d", "--tls-cert", "fake.crt", "--tls-key", "fake.key"});
  EXPECT_NE(message.find("--tls-dir"), std::string::npos) << message;
  EXPECT_NE(message.find("--tls-cert"), std::string::npos) << message;
}

TEST(CliOptions, TlsWithTlsSelfSignedIsAnError) {
  EXPECT_EQ(error_of({"--tls", "--tls-self-signed", "a.crt"}), "--tls-self-signed cannot be combined with --tls");
}

TEST(CliOptions, EmptyTlsPathIsAnErrorNamingTheOption) {
  for (const char* flag : {"--tls-cert", "--tls-key", "--tls-self-signed", "--tls-dir"}) {
    SCOPED_TRACE(flag);
    EXPECT_NE(error_of({flag, ""}).find(flag), std::string::npos);
  }
}

TEST(CliOptions, AdminTokenIsTaken) {
  EXPECT_EQ(parsed({"--admin-token", "s3cret"}).server.admin_token, "s3cret");
}

TEST(CliOptions, AdminTokenWithWhitespaceIsAnError) {
  EXPECT_EQ(error_of({"--admin-token", "a b"}), "--admin-token needs a non-empty value without whitespace");
}

TEST(CliOptions, JournalCapacityIsTaken) {
  EXPECT_EQ(parsed({"--journal-capacity", "50"}).server.journal_capacity, 50u);
}

TEST(CliOptions, JournalCapacityOfZeroIsAnError) {
  EXPECT_EQ(error_of({"--journal-capacity", "0"}),
            "--journal-capacity expects a whole number of at least 1, got '0'");
}

TEST(CliOptions, JournalBytesTakesANumberOfBytes) {
  EXPECT_EQ(parsed({"--journal-bytes", "65536"}).server.journal_byte_capacity, 65536u);
}

TEST(CliOptions, JournalBytesTakesKiBMiBAndGiB) {
  EXPECT_EQ(parsed({"--journal-bytes", "64KiB"}).server.journal_byte_capacity, 64u * 1024);
  EXPECT_EQ(parsed({"--journal-bytes", "8MiB"}).server.journal_byte_capacity, 8u * 1024 * 1024);
  EXPECT_EQ(parsed({"--journal-bytes", "1GiB"}).server.journal_byte_capacity, 1024u * 1024 * 1024);
}

TEST(CliOptions, JournalBytesThatIsNotASizeIsAnError) {
  for (const char* size : {"0", "0MiB", "MiB", "64MB", "64 MiB", "-1", "1.5GiB", "99999999999999999999GiB"}) {
    SCOPED_TRACE(size);
    EXPECT_NE(error_of({"--journal-bytes", size}).find("--journal-bytes"), std::string::npos);
  }
}

TEST(CliOptions, MaxOperationsIsTaken) {
  EXPECT_EQ(parsed({"--max-operations", "500"}).server.max_operations, 500u);
  EXPECT_EQ(parsed({}).server.max_operations, 100'000u);
}

TEST(CliOptions, MaxOperationsOfZeroIsAnError) {
  EXPECT_EQ(error_of({"--max-operations", "0"}), "--max-operations expects a whole number of at least 1, got '0'");
}

TEST(CliOptions, ScenarioRootIsTaken) {
  EXPECT_EQ(parsed({"--scenario-root", "scenarios"}).server.scenario_root, "scenarios");
  EXPECT_TRUE(parsed({}).server.scenario_root.empty());
}

TEST(CliOptions, EmptyScenarioRootIsAnError) {
  EXPECT_EQ(error_of({"--scenario-root", ""}), "--scenario-root needs a directory");
}

TEST(CliOptions, ClockStartPastTheLatestTimeAVirtualClockShowsIsAnError) {
  EXPECT_EQ(error_of({"--clock-start", "2261-01-01T00:00:00Z"}),
            "--clock-start must be from 1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z, got '2261-01-01T00:00:00Z'");
  EXPECT_EQ(parsed({"--clock-start", "2200-01-01T00:00:00Z"}).clock_start, VirtualClock::latest());
}

TEST(CliOptions, ClockStartBeforeTheEpochIsAnErrorWhateverTheYear) {
  for (const char* start : {"1969-12-31T23:59:59Z", "1677-09-21T00:12:43Z", "1500-01-01T00:00:00Z",
                            "0001-01-01T00:00:00Z"}) {
    EXPECT_EQ(error_of({"--clock-start", start}),
              std::string("--clock-start must be from 1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z, got '") + start +
                  "'");
  }
}

TEST(CliOptions, ClockStartAtTheEpochIsTaken) {
  EXPECT_EQ(parsed({"--clock-start", "1970-01-01T00:00:00Z"}).clock_start, TimePoint{});
}

TEST(CliOptions, ClockStartTakesAFractionOfASecondAsTheAdminApiDoes) {
  EXPECT_EQ(parsed({"--clock-start", "2025-01-01T00:00:00.250Z"}).clock_start,
            VirtualClock::default_start() + std::chrono::milliseconds(250));
}

TEST(CliOptions, MaxBlobsIsTaken) { EXPECT_EQ(parsed({"--max-blobs", "5000"}).server.max_blobs, 5000u); }

TEST(CliOptions, MaxBlobsOfZeroIsAnError) {
  EXPECT_EQ(error_of({"--max-blobs", "0"}), "--max-blobs expects a whole number of at least 1, got '0'");
}

// --- the warning for an admin API open to other machines ------------------------

TEST(CliOptions, ANonLoopbackHostWithoutAnAdminTokenIsWarnedAbout) {
  const auto warning = exposure_warning(parsed({"--host", "0.0.0.0"}).server);
  ASSERT_TRUE(warning.has_value());
  EXPECT_NE(warning->find("0.0.0.0"), std::string::npos) << *warning;
  EXPECT_NE(warning->find("--admin-token"), std::string::npos) << *warning;
}

TEST(CliOptions, ALoopbackHostIsNotWarnedAbout) {
  for (const char* host : {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
    SCOPED_TRACE(host);
    EXPECT_FALSE(exposure_warning(parsed({"--host", host}).server).has_value());
  }
}

TEST(CliOptions, ANonLoopbackHostWithAnAdminTokenIsNotWarnedAbout) {
  EXPECT_FALSE(exposure_warning(parsed({"--host", "0.0.0.0", "--admin-token", "secret"}).server).has_value());
}

// --- the dialect: answers to the service's open questions ---------------------

TEST(CliOptions, WithoutDialectFlagsTheDialectIsTheDefault) {
  const auto dialect = parsed({}).server.dialect;
  EXPECT_EQ(dialect.data_format, Dialect::DataFormat::compressed_json);
  EXPECT_EQ(dialect.manifest_literals, Dialect::ManifestLiterals::observed);
  EXPECT_FALSE(dialect.blob_sizes);
  EXPECT_EQ(dialect.data_profile, DataProfile::observed);
  EXPECT_FALSE(dialect.data_keys.has_value()) << "keys as the profile spells them";
  EXPECT_FALSE(dialect.data_numbers.has_value()) << "numbers as the profile prints them";
  EXPECT_FALSE(dialect.product_qualifiers.has_value()) << "ProductQualifiers as the profile writes them";
  EXPECT_FALSE(dialect.case_insensitive_requests);
  EXPECT_EQ(dialect.operation_timestamps, Dialect::Timestamps::rfc3339);
}

TEST(CliOptions, EveryOtherAnswerIsSelectedByItsFlag) {
  const auto dialect = parsed({"--data-format", "compressedJSONLines", "--manifest-literals", "documented",
                               "--blob-sizes", "--data-keys", "camelCase", "--data-numbers", "string",
                               "--product-qualifiers", "array", "--case-insensitive-requests", "--timestamps",
                               "documented"})
                           .server.dialect;
  EXPECT_EQ(dialect.data_format, Dialect::DataFormat::compressed_json_lines);
  EXPECT_EQ(dialect.manifest_literals, Dialect::ManifestLiterals::documented);
  EXPECT_TRUE(dialect.blob_sizes);
  EXPECT_EQ(dialect.data_keys, Dialect::KeyCase::camel);
  EXPECT_EQ(dialect.data_numbers, Dialect::Numbers::strings);
  EXPECT_EQ(dialect.product_qualifiers, Dialect::ProductQualifiers::array);
  EXPECT_TRUE(dialect.case_insensitive_requests);
  EXPECT_EQ(dialect.operation_timestamps, Dialect::Timestamps::documented);
}

TEST(CliOptions, DefaultAnswersCanBeNamedToo) {
  const auto dialect = parsed({"--data-format", "compressedJSON", "--manifest-literals", "observed", "--data-keys",
                               "lowercase", "--data-numbers", "number", "--product-qualifiers", "text",
                               "--timestamps", "rfc3339"})
                           .server.dialect;
  EXPECT_EQ(dialect.data_format, Dialect::DataFormat::compressed_json);
  EXPECT_EQ(dialect.data_keys, Dialect::KeyCase::lower);
  EXPECT_EQ(dialect.data_numbers, Dialect::Numbers::json_numbers);
}

TEST(CliOptions, DataProfileFlagSelectsEachProfileByItsName) {
  EXPECT_EQ(parsed({"--data-profile", "documented"}).server.dialect.data_profile, DataProfile::documented);
  EXPECT_EQ(parsed({"--data-profile", "legacy-camel"}).server.dialect.data_profile, DataProfile::legacy_camel);
  EXPECT_EQ(parsed({"--data-profile", "observed"}).server.dialect.data_profile, DataProfile::observed);
}

TEST(CliOptions, UnknownDataProfileIsAnErrorListingTheProfiles) {
  EXPECT_EQ(error_of({"--data-profile", "real"}),
            "--data-profile expects observed or documented or legacy-camel, got 'real'");
}

TEST(CliOptions, UnknownDialectValueIsAnErrorListingTheChoices) {
  EXPECT_EQ(error_of({"--data-keys", "snake_case"}),
            "--data-keys expects PascalCase or camelCase or lowercase, got 'snake_case'");
  EXPECT_EQ(error_of({"--data-format", "compressedjson"}),
            "--data-format expects compressedJSON or compressedJSONLines, got 'compressedjson'");
}

TEST(CliOptions, DialectFlagWithoutValueIsAnError) {
  EXPECT_EQ(error_of({"--timestamps"}), "--timestamps needs a value");
}

TEST(CliOptions, UsageMentionsEveryOption) {
  const auto text = usage();
  for (const char* option : {"--host", "--port", "--port-file", "--token", "--seed", "--tls-cert", "--tls-key",
                             "--tls", "--tls-dir", "--tls-self-signed", "--admin-token", "--journal-capacity",
                             "--max-connections", "--request-timeout", "--journal-bytes", "--max-operations",
                             "--scenario-root",
                             "--data-format", "--manifest-literals", "--blob-sizes",
                             "--data-keys", "--data-numbers", "--product-qualifiers",
                             "--case-insensitive-requests", "--timestamps", "--help", "--version"}) {
    SCOPED_TRACE(option);
    EXPECT_NE(text.find(option), std::string::npos);
  }
}

TEST(CliOptions, MaxConnectionsSetsTheCap) {
  EXPECT_EQ(parsed({"--max-connections", "4096"}).server.max_connections, 4096u);
  EXPECT_EQ(parsed({}).server.max_connections, 1024u);
}

TEST(CliOptions, MaxConnectionsOfZeroIsAnError) {
  EXPECT_NE(error_of({"--max-connections", "0"}).find("--max-connections"), std::string::npos);
}

TEST(CliOptions, RequestTimeoutTakesADuration) {
  EXPECT_EQ(parsed({"--request-timeout", "500ms"}).server.request_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(parsed({"--request-timeout", "30s"}).server.request_timeout, std::chrono::seconds(30));
}

TEST(CliOptions, RequestTimeoutThatIsNotAPositiveDurationIsAnError) {
  EXPECT_NE(error_of({"--request-timeout", "0s"}).find("--request-timeout"), std::string::npos);
  EXPECT_NE(error_of({"--request-timeout", "soon"}).find("--request-timeout"), std::string::npos);
}

TEST(CliOptions, UsageStartsWithTheUsageLine) { EXPECT_EQ(usage().rfind("Usage: graphfake", 0), 0u); }

}  // namespace
}  // namespace graphfake::cli
