// The fake over https: a throw-away certificate, clients that trust only it,
// and every URL the fake renders on the https origin.
#include <signal.h>

#include <chrono>
#include <fstream>

#include "support/child_process.h"
#include "support/http_support.h"
#include "support/temp_files.h"

namespace graphfake::testing {
namespace {

using namespace std::chrono_literals;

// A client of `base_url` that trusts `ca_file` and nothing else.
std::unique_ptr<httplib::Client> trusting_client(const std::string& base_url, const std::string& ca_file) {
  auto client = std::make_unique<httplib::Client>(base_url);
  client->set_ca_cert_path(ca_file.c_str());
  client->enable_server_certificate_verification(true);
  return client;
}

class TlsFake : public FakeTest {
 protected:
  Options options() override {
    auto options = FakeTest::options();
    options.tls_certificate_file = files_.certificate;
    options.tls_private_key_file = files_.key;
    return options;
  }

  void SetUp() override {
    FakeTest::SetUp();
    client_ = trusting_client(fake_->base_url(), files_.certificate);
  }

  TempDir dir_;
  CertificateFiles files_{dir_};
};

TEST_F(TlsFake, BaseUrl_IsHttps) {
  EXPECT_EQ(fake_->base_url(), "https://127.0.0.1:" + std::to_string(fake_->port()));
}

TEST_F(TlsFake, WholeFlow_RendersEveryUrlOnTheHttpsOriginTheClientUsed) {
  const auto location = start_export();
  EXPECT_TRUE(location.starts_with(fake_->base_url() + "/v1.0/")) << location;

  const auto operation = poll_to_completion(location);
  ASSERT_EQ(operation["status"], "succeeded") << operation.dump();
  const std::string context = operation["@odata.context"];
  const std::string link = operation["resourceLocation@odata.navigationLink"];
  const std::string root = operation["resourceLocation"]["rootDirectory"];
  EXPECT_TRUE(context.starts_with(fake_->base_url() + "/v1.0/")) << context;
  EXPECT_TRUE(link.starts_with(fake_->base_url() + "/v1.0/")) << link;
  EXPECT_TRUE(root.starts_with(fake_->base_url() + "/")) << root;

  auto manifest_read = get(link);
  ASSERT_TRUE(manifest_read) << httplib::to_string(manifest_read.error());
  ASSERT_EQ(manifest_read->status, 200);
  const auto manifest = Json::parse(manifest_read->body);
  EXPECT_TRUE(manifest["@odata.context"].get<std::string>().starts_with(fake_->base_url() + "/v1.0/"));
  EXPECT_EQ(manifest["rootDirectory"], root);

  auto blob = get_unauthenticated(blob_url(manifest, 0));
  ASSERT_TRUE(blob) << httplib::to_string(blob.error());
  ASSERT_EQ(blob->status, 200);
  EXPECT_FALSE(json_lines(gunzip(blob->body)).empty());
}

TEST_F(TlsFake, ClientThatDoesNotTrustTheCertificate_IsRefused) {
  httplib::Client stranger(fake_->base_url());
  stranger.enable_server_certificate_verification(true);
  auto result = stranger.Get("/");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), httplib::Error::SSLServerVerification);
}

TEST_F(TlsFake, ClientTrustingAnotherCertificate_IsRefused) {
  const CertificateFiles other(dir_, "other");
  auto result = trusting_client(fake_->base_url(), other.certificate)->Get("/");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), httplib::Error::SSLServerVerification);
}

TEST_F(TlsFake, PlainHttpRequest_Gets400SayingToUseHttps) {
  httplib::Client plain("http://127.0.0.1:" + std::to_string(fake_->port()));
  auto result = plain.Get("/");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 400);
  EXPECT_NE(result->body.find("https://"), std::string::npos) << result->body;
}

TEST_F(TlsFake, KeepAliveClient_IsServedManyRequestsOnOneConnection) {
  client_->set_keep_alive(true);
  for (int i = 0; i < 20; ++i) {
    auto result = client_->Get("/");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 404);
    EXPECT_EQ(result->get_header_value("Connection"), "") << "request " << i;
  }
}

TEST(TlsServer, Stop_ClosesIdleKeepAliveConnectionsWithoutWaitingForTheirTimeout) {
  const TempDir dir;
  const CertificateFiles files(dir);
  Server fake({.keep_alive_timeout = 60s, .tls_certificate_file = files.certificate, .tls_private_key_file = files.key});
  auto client = trusting_client(fake.base_url(), files.certificate);
  client->set_keep_alive(true);
  ASSERT_TRUE(client->Get("/"));

  const auto started = std::chrono::steady_clock::now();
  fake.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

// OpenSSL writes to the socket with write(2), not send(MSG_NOSIGNAL), so
// answering on a connection a drop fault shut down raises SIGPIPE (which
// httplib::Server ignores process-wide); the fake must live on and serve.
TEST(TlsServer, DroppedConnection_LeavesTheProcessAndServerRunning) {
  const TempDir dir;
  const CertificateFiles files(dir);
  const auto scenario = dir.file("drop.json");
  write_text(scenario, R"({"rules": [{ "faults": [ { "on": "export", "requests": [1], "drop": "beforeCreate" } ] }]})");
  Server fake({.scenario_paths = {scenario},
               .tls_certificate_file = files.certificate,
               .tls_private_key_file = files.key});
  auto client = trusting_client(fake.base_url(), files.certificate);
  const httplib::Headers auth{{"Authorization", "Bearer " + make_token()}};

  EXPECT_FALSE(client->Post(kBilledExportPath, auth, R"({"invoiceId":"G1"})", "application/json"));
  auto retried = client->Post(kBilledExportPath, auth, R"({"invoiceId":"G1"})", "application/json");
  ASSERT_TRUE(retried) << httplib::to_string(retried.error());
  EXPECT_EQ(retried->status, 202);
}

TEST(TlsOptions, CertificateWithoutKey_ThrowsInvalidArgumentNamingTheKey) {
  try {
    Server fake({.tls_certificate_file = "/any/cert.pem"});
    FAIL() << "a server started with a certificate and no key";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("tls_private_key_file"), std::string::npos) << error.what();
  }
}

TEST(TlsOptions, KeyWithoutCertificate_ThrowsInvalidArgumentNamingTheCertificate) {
  try {
    Server fake({.tls_private_key_file = "/any/key.pem"});
    FAIL() << "a server started with a key and no certificate";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("tls_certificate_file"), std::string::npos) << error.what();
  }
}

// What the constructor throws for these files: empty if it does not throw
// std::runtime_error.
std::string runtime_error_for(const std::string& certificate, const std::string& key) {
  try {
    Server fake({.tls_certificate_file = certificate, .tls_private_key_file = key});
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "the server started";
  return {};
}

TEST(TlsOptions, CertificateFileThatIsNotPem_ThrowsNamingTheFile) {
  const TempDir dir;
  const CertificateFiles files(dir);
  write_text(files.certificate, "not a certificate\n");
  const auto message = runtime_error_for(files.certificate, files.key);
  EXPECT_NE(message.find("certificate file '" + files.certificate + "'"), std::string::npos) << message;
}

TEST(TlsOptions, MissingCertificateFile_ThrowsNamingTheFile) {
  const TempDir dir;
  const CertificateFiles files(dir);
  const auto missing = dir.file("missing.crt");
  const auto message = runtime_error_for(missing, files.key);
  EXPECT_NE(message.find("certificate file '" + missing + "'"), std::string::npos) << message;
}

TEST(TlsOptions, KeyFileThatIsNotPem_ThrowsNamingTheFile) {
  const TempDir dir;
  const CertificateFiles files(dir);
  write_text(files.key, "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n");
  const auto message = runtime_error_for(files.certificate, files.key);
  EXPECT_NE(message.find("private key file '" + files.key + "'"), std::string::npos) << message;
}

TEST(TlsOptions, KeyOfAnotherCertificate_ThrowsNamingTheKeyFile) {
  const TempDir dir;
  const CertificateFiles files(dir);
  const CertificateFiles other(dir, "other");
  const auto message = runtime_error_for(files.certificate, other.key);
  EXPECT_NE(message.find("'" + other.key + "'"), std::string::npos) << message;
}

TEST(TlsBinary, SelfSigned_ServesHttpsToAClientTrustingTheWrittenCertificate) {
  const TempDir dir;
  const auto certificate = dir.file("graphfake.crt");
  Child child({"--tls-self-signed", certificate, "--token", "ci-secret"});
  const auto ready = Json::parse(child.read_line());
  const std::string base_url = ready["base_url"];
  EXPECT_EQ(base_url, "https://127.0.0.1:" + std::to_string(ready["port"].get<int>()));

  auto accepted = trusting_client(base_url, certificate)
                      ->Post(kBilledExportPath, {{"Authorization", "Bearer ci-secret"}}, R"({"invoiceId":"G1"})",
                             "application/json");
  ASSERT_TRUE(accepted) << httplib::to_string(accepted.error());
  EXPECT_EQ(accepted->status, 202);
  EXPECT_TRUE(accepted->get_header_value("Location").starts_with(base_url + "/v1.0/"));

  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(), 0);
}

TEST(TlsBinary, CertAndKey_ServeHttpsWithThem) {
  const TempDir dir;
  const CertificateFiles files(dir);
  Child child({"--tls-cert", files.certificate, "--tls-key", files.key});
  const auto ready = Json::parse(child.read_line());
  const std::string base_url = ready["base_url"];
  ASSERT_TRUE(base_url.starts_with("https://")) << base_url;
  auto result = trusting_client(base_url, files.certificate)->Get("/");
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->status, 404);
}

TEST(TlsBinary, CertWithoutKey_ExitsWith2AndSaysWhy) {
  Child child({"--tls-cert", "/any/cert.pem"});
  EXPECT_EQ(child.wait(), 2);
  EXPECT_NE(child.read_stderr().find("--tls-key"), std::string::npos);
}

TEST(TlsBinary, UnusableCertificate_ExitsWith1NamingTheFile) {
  const TempDir dir;
  const CertificateFiles files(dir);
  write_text(files.certificate, "not a certificate\n");
  Child child({"--tls-cert", files.certificate, "--tls-key", files.key});
  EXPECT_EQ(child.wait(), 1);
  EXPECT_NE(child.read_stderr().find(files.certificate), std::string::npos);
}

}  // namespace
}  // namespace graphfake::testing
