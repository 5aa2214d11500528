// The fake over https with a certificate authority of its own (Options::tls,
// --tls): clients that trust only the authority's file and check the host
// name complete the billed-reconciliation export walk, on every URL the fake
// gives them.
#include <fmt/format.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/http_support.h"
#include "support/temp_files.h"

namespace graphfake::testing {
namespace {

const char* const kExportBody = R"({"invoiceId":"G016907411","attributeSet":"full"})";

// A client of `origin` that trusts the certificate authority in `ca_file` and
// nothing else; httplib then checks the certificate names the host too.
std::unique_ptr<httplib::Client> trusting_only(const std::string& origin, const std::string& ca_file) {
  auto client = std::make_unique<httplib::Client>(origin);
  client->set_ca_cert_path(ca_file.c_str());
  client->enable_server_certificate_verification(true);
  return client;
}

std::string origin_of(const char* host, std::uint16_t port) { return fmt::format("https://{}:{}", host, port); }

// Export, poll to succeeded, read the manifest by its link, download the
// first blob: every URL followed must be on `origin`.
void walk_billed_export(const std::string& origin, const std::string& ca_file, const std::string& token) {
  auto client = trusting_only(origin, ca_file);
  const httplib::Headers auth{{"Authorization", "Bearer " + token}};

  auto accepted = client->Post(kBilledExportPath, auth, kExportBody, "application/json");
  ASSERT_TRUE(accepted) << httplib::to_string(accepted.error());
  ASSERT_EQ(accepted->status, 202) << accepted->body;
  const std::string location = accepted->get_header_value("Location");
  ASSERT_TRUE(location.starts_with(origin + "/v1.0/")) << location;

  Json operation = Json::object();
  for (int poll = 0; poll < 20 && operation.value("status", "") != "succeeded"; ++poll) {
    auto polled = client->Get(path_on(origin, location), auth);
    ASSERT_TRUE(polled) << httplib::to_string(polled.error());
    ASSERT_EQ(polled->status, 200) << polled->body;
    operation = Json::parse(polled->body);
  }
  ASSERT_EQ(operation["status"], "succeeded") << operation.dump();

  const std::string manifest_link = operation["resourceLocation@odata.navigationLink"];
  auto manifest_read = client->Get(path_on(origin, manifest_link), auth);
  ASSERT_TRUE(manifest_read) << httplib::to_string(manifest_read.error());
  ASSERT_EQ(manifest_read->status, 200) << manifest_read->body;
  const auto manifest = Json::parse(manifest_read->body);
  const std::string root = manifest["rootDirectory"];
  ASSERT_TRUE(root.starts_with(origin + "/")) << root;

  auto blob = client->Get(path_on(origin, blob_url(manifest)));
  ASSERT_TRUE(blob) << httplib::to_string(blob.error());
  ASSERT_EQ(blob->status, 200) << blob->body;
  EXPECT_FALSE(json_lines(gunzip(blob->body)).empty());
}

class HttpsLocalCaWalk : public ::testing::TestWithParam<const char*> {};

TEST_P(HttpsLocalCaWalk, InProcess_ClientTrustingOnlyTheCaFile_CompletesTheExportOverHttps) {
  const Server fake({.tls = true});
  walk_billed_export(origin_of(GetParam(), fake.port()), fake.tls_ca_file(), make_token());
}

// What curl writes on its standard output for `arguments`; fails the test
// unless curl exits 0. -q ignores a ~/.curlrc, --noproxy a proxy in the
// environment: the fake is reached directly, as the test's client.
std::string curl(const std::vector<std::string>& arguments) {
  std::string command = "curl -q --noproxy '*' --silent --show-error";
  for (const auto& argument : arguments) {
    std::string quoted = "'";
    for (const char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    command += " " + quoted + "'";
  }
  FILE* output = ::popen(command.c_str(), "r");
  if (output == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  std::string text;
  char buffer[4096];
  for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, output)) > 0;) text.append(buffer, n);
  const int status = ::pclose(output);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << " failed with status " << status;
  return text;
}

// The same walk as walk_billed_export, by curl trusting `ca_file` alone.
void curl_billed_export(const std::string& origin, const std::string& ca_file, const std::string& token) {
  const std::string auth = "Authorization: Bearer " + token;
  const std::string location =
      curl({"--cacert", ca_file, "-X", "POST", "-H", auth, "-H", "Content-Type: application/json", "-d", kExportBody,
            "-o", "/dev/null", "-w", "%header{location}", origin + kBilledExportPath});
  ASSERT_TRUE(location.starts_with(origin + "/v1.0/")) << location;

  Json operation = Json::object();
  for (int poll = 0; poll < 20 && operation.value("status", "") != "succeeded"; ++poll) {
    operation = Json::parse(curl({"--cacert", ca_file, "-H", auth, location}));
  }
  ASSERT_EQ(operation["status"], "succeeded") << operation.dump();

  const auto manifest = Json::parse(
      curl({"--cacert", ca_file, "-H", auth, operation["resourceLocation@odata.navigationLink"].get<std::string>()}));
  const std::string root = manifest["rootDirectory"];
  ASSERT_TRUE(root.starts_with(origin + "/")) << root;
  EXPECT_FALSE(json_lines(gunzip(curl({"--cacert", ca_file, blob_url(manifest)}))).empty());
}

TEST_P(HttpsLocalCaWalk, Binary_CurlTrustingOnlyTheWrittenCa_CompletesTheExportOverHttps) {
  const TempDir dir;
  const auto tls_dir = dir.file("tls");
  Child child({"--tls", "--tls-dir", tls_dir, "--token", "ci-secret"});
  const auto ready = Json::parse(child.read_line());
  curl_billed_export(origin_of(GetParam(), ready["port"].get<std::uint16_t>()), tls_dir + "/ca.pem", "ci-secret");
}

INSTANTIATE_TEST_SUITE_P(ByAddressAndName, HttpsLocalCaWalk, ::testing::Values("127.0.0.1", "localhost"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param) == "localhost" ? "localhost" : "address_127_0_0_1";
                         });

TEST(HttpsLocalCa, BaseUrl_IsHttps) {
  const Server fake({.tls = true});
  EXPECT_EQ(fake.base_url(), origin_of("127.0.0.1", fake.port()));
}

TEST(HttpsLocalCa, ClientThatDoesNotTrustTheCa_IsRefused) {
  const Server fake({.tls = true});
  httplib::Client stranger(fake.base_url());
  stranger.enable_server_certificate_verification(true);
  auto result = stranger.Get("/");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), httplib::Error::SSLServerVerification);
}

// A name the certificate does not hold, reaching the fake all the same: the
// walks above do check the name. (A name, not an address: httplib 0.11's
// address check reads uninitialised memory, and may match anything.)
TEST(HttpsLocalCa, ClientTrustingTheCa_RefusesAHostTheCertificateDoesNotName) {
  const Server fake({.tls = true});
  auto client = trusting_only(origin_of("fake.graph.test", fake.port()), fake.tls_ca_file());
  client->set_hostname_addr_map({{"fake.graph.test", "127.0.0.1"}});
  auto result = client->Get("/");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), httplib::Error::SSLServerVerification);
}

TEST(HttpsLocalCa, TlsCaFile_IsEmptyWithoutTls) { EXPECT_EQ(Server().tls_ca_file(), ""); }

TEST(HttpsLocalCa, TlsWithCertificateFiles_ServesThemAndMakesNoCa) {
  const TempDir dir;
  const CertificateFiles files(dir);
  const Server fake({.tls = true, .tls_certificate_file = files.certificate, .tls_private_key_file = files.key});
  EXPECT_EQ(fake.tls_ca_file(), "");
  auto result = trusting_only(fake.base_url(), files.certificate)->Get("/");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 404);
}

TEST(HttpsLocalCa, TlsDirectory_IsCreatedWithTheCaCertificateAndKey) {
  const TempDir dir;
  const std::filesystem::path tls_dir = dir.file("nested/tls");
  const Server fake({.tls = true, .tls_directory = tls_dir.string()});
  EXPECT_EQ(fake.tls_ca_file(), (tls_dir / "ca.pem").string());
  EXPECT_TRUE(std::filesystem::is_regular_file(tls_dir / "ca.pem"));
  EXPECT_TRUE(std::filesystem::is_regular_file(tls_dir / "cert.pem"));
  EXPECT_TRUE(std::filesystem::is_regular_file(tls_dir / "key.pem"));
}

TEST(HttpsLocalCa, TlsDirectory_IsKeptWhenTheServerIsDestroyed) {
  const TempDir dir;
  const auto tls_dir = dir.file("tls");
  { const Server fake({.tls = true, .tls_directory = tls_dir}); }
  EXPECT_TRUE(std::filesystem::is_regular_file(tls_dir + "/ca.pem"));
}

TEST(HttpsLocalCa, WithoutTlsDirectory_ThePrivateOneIsRemovedWhenTheServerIsDestroyed) {
  std::filesystem::path ca_file;
  {
    const Server fake({.tls = true});
    ca_file = fake.tls_ca_file();
    ASSERT_TRUE(std::filesystem::is_regular_file(ca_file));
    struct stat directory {};
    ASSERT_EQ(::stat(ca_file.parent_path().c_str(), &directory), 0);
    EXPECT_EQ(directory.st_mode & 0777, 0700u);
  }
  EXPECT_FALSE(std::filesystem::exists(ca_file.parent_path()));
}

// The message graphfake::Server throws std::invalid_argument with for
// `options`; empty if it throws nothing of the kind.
std::string invalid_argument_for(Options options) {
  try {
    Server fake(std::move(options));
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  ADD_FAILURE() << "the server started";
  return {};
}

TEST(HttpsLocalCa, TlsDirectoryWithoutTls_ThrowsInvalidArgumentNamingBoth) {
  const auto message = invalid_argument_for({.tls_directory = "/any/dir"});
  EXPECT_NE(message.find("tls_directory is set but tls is not"), std::string::npos) << message;
}

TEST(HttpsLocalCa, TlsDirectoryWithCertificateFiles_ThrowsInvalidArgumentNamingThem) {
  const auto message = invalid_argument_for({.tls = true,
                                             .tls_directory = "/any/dir",
                                             .tls_certificate_file = "/any/cert.pem",
                                             .tls_private_key_file = "/any/key.pem"});
  EXPECT_NE(message.find("tls_directory"), std::string::npos) << message;
  EXPECT_NE(message.find("tls_certificate_file"), std::string::npos) << message;
}

TEST(HttpsLocalCaBinary, TlsDir_HoldsTheCaTheReadyLineNames) {
  const TempDir dir;
  const auto tls_dir = dir.file("tls");
  Child child({"--tls", "--tls-dir", tls_dir});
  const auto ready = Json::parse(child.read_line());
  EXPECT_EQ(ready["ca_file"], tls_dir + "/ca.pem");
  EXPECT_TRUE(std::filesystem::is_regular_file(tls_dir + "/cert.pem"));
  EXPECT_TRUE(std::filesystem::is_regular_file(tls_dir + "/key.pem"));
}

TEST(HttpsLocalCaBinary, Tls_PrintsHowEachKindOfClientTrustsTheCa) {
  const TempDir dir;
  const auto ca_file = dir.file("tls") + "/ca.pem";
  Child child({"--tls", "--tls-dir", dir.file("tls")});
  ASSERT_FALSE(child.read_line().empty());
  child.signal(SIGTERM);
  ASSERT_EQ(child.wait(), 0);
  const auto printed = child.read_stderr();
  for (const auto& line : {"curl --cacert " + ca_file, "SSL_CERT_FILE=" + ca_file, "REQUESTS_CA_BUNDLE=" + ca_file,
                           "NODE_EXTRA_CA_CERTS=" + ca_file, "CURLOPT_CAINFO, \"" + ca_file + "\""}) {
    EXPECT_NE(printed.find(line), std::string::npos) << line << "\nin:\n" << printed;
  }
}

TEST(HttpsLocalCaBinary, TlsWithoutTlsDir_RemovesItsPrivateDirectoryOnExit) {
  Child child({"--tls"});
  const auto ready = Json::parse(child.read_line());
  const std::filesystem::path ca_file = ready["ca_file"].get<std::string>();
  ASSERT_TRUE(std::filesystem::is_regular_file(ca_file));
  child.signal(SIGTERM);
  ASSERT_EQ(child.wait(), 0);
  EXPECT_FALSE(std::filesystem::exists(ca_file.parent_path()));
}

}  // namespace
}  // namespace graphfake::testing
