#include "graphfake/tls.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace graphfake {
namespace {

struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};

std::unique_ptr<X509, Free> parse_certificate(const std::string& pem) {
  const std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return std::unique_ptr<X509, Free>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::unique_ptr<EVP_PKEY, Free> parse_key(const std::string& pem) {
  const std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return std::unique_ptr<EVP_PKEY, Free>(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// Whether `certificate` verifies as a TLS server certificate for the IP
// address `ip` against a trust store holding only itself.
bool verifies_as_its_own_trust_anchor(X509* certificate, const char* ip) {
  std::unique_ptr<X509_STORE, Free> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), certificate);
  std::unique_ptr<X509_STORE_CTX, Free> context(X509_STORE_CTX_new());
  X509_STORE_CTX_init(context.get(), store.get(), certificate, nullptr);
  X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set1_ip_asc(X509_STORE_CTX_get0_param(context.get()), ip);
  return X509_verify_cert(context.get()) == 1;
}

TEST(SelfSignedCertificate, ParsesBackAsACertificateSignedByItsOwnKey) {
  const auto made = make_self_signed_certificate();
  const auto certificate = parse_certificate(made.certificate_pem);
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(X509_verify(certificate.get(), X509_get0_pubkey(certificate.get())), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(certificate.get()), X509_get_issuer_name(certificate.get())), 0);
}

TEST(SelfSignedCertificate, PrivateKeyMatchesTheCertificate) {
  const auto made = make_self_signed_certificate();
  const auto certificate = parse_certificate(made.certificate_pem);
  const auto key = parse_key(made.private_key_pem);
  ASSERT_NE(certificate, nullptr);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_check_private_key(certificate.get(), key.get()), 1);
}

TEST(SelfSignedCertificate, NamesLoopbackAndLocalhostButNoOtherHost) {
  const auto certificate = parse_certificate(make_self_signed_certificate().certificate_pem);
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_host(certificate.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "10.0.0.1", 0), 0);
  EXPECT_EQ(X509_check_host(certificate.get(), "example.com", 0, 0, nullptr), 0);
}

TEST(SelfSignedCertificate, NamesTheGivenHostToo) {
  const auto for_address = parse_certificate(make_self_signed_certificate("10.1.2.3").certificate_pem);
  ASSERT_NE(for_address, nullptr);
  EXPECT_EQ(X509_check_ip_asc(for_address.get(), "10.1.2.3", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(for_address.get(), "127.0.0.1", 0), 1);

  const auto for_ipv6 = parse_certificate(make_self_signed_certificate("::1").certificate_pem);
  ASSERT_NE(for_ipv6, nullptr);
  EXPECT_EQ(X509_check_ip_asc(for_ipv6.get(), "::1", 0), 1);

  const auto for_name = parse_certificate(make_self_signed_certificate("fake.graph.test").certificate_pem);
  ASSERT_NE(for_name, nullptr);
  EXPECT_EQ(X509_check_host(for_name.get(), "fake.graph.test", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(for_name.get(), "localhost", 0, 0, nullptr), 1);
}

TEST(SelfSignedCertificate, IsValidFromAnHourAgoForAYear) {
  const auto certificate = parse_certificate(make_self_signed_certificate().certificate_pem);
  ASSERT_NE(certificate, nullptr);
  auto seconds_from_now = [](const ASN1_TIME* time) {
    int days = 0;
    int seconds = 0;
    EXPECT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, time), 1);
    return days * 86400L + seconds;
  };
  EXPECT_NEAR(seconds_from_now(X509_get0_notBefore(certificate.get())), -3600, 60);
  EXPECT_NEAR(seconds_from_now(X509_get0_notAfter(certificate.get())), 365 * 86400L, 60);
}

TEST(SelfSignedCertificate, IsNoCertificateAuthority) {
  const auto certificate = parse_certificate(make_self_signed_certificate().certificate_pem);
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(X509_check_ca(certificate.get()), 0);
}

TEST(SelfSignedCertificate, VerifiesForItsAddressWhenTrustedItself) {
  const auto certificate = parse_certificate(make_self_signed_certificate().certificate_pem);
  ASSERT_NE(certificate, nullptr);
  EXPECT_TRUE(verifies_as_its_own_trust_anchor(certificate.get(), "127.0.0.1"));
  EXPECT_FALSE(verifies_as_its_own_trust_anchor(certificate.get(), "10.0.0.1"));
}

TEST(SelfSignedCertificate, EachCallMakesANewKeyAndCertificate) {
  const auto first = make_self_signed_certificate();
  const auto second = make_self_signed_certificate();
  EXPECT_NE(first.private_key_pem, second.private_key_pem);
  EXPECT_NE(first.certificate_pem, second.certificate_pem);
}

TEST(SelfSignedCertificate, HostThatIsNeitherAddressNorName_IsInvalidArgument) {
  for (const char* host : {"", "a,b", "host name", "DNS:x"}) {
    SCOPED_TRACE(host);
    EXPECT_THROW(make_self_signed_certificate(host), std::invalid_argument);
  }
}

class WritePemFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "graphfake-tls-unit-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string read(const std::filesystem::path& path) {
    std::ostringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
  }

  std::filesystem::path dir_;
};

TEST_F(WritePemFiles, WritesBothPemsAndTheKeyForItsOwnerOnly) {
  const auto made = make_self_signed_certificate();
  write_pem_files(made, (dir_ / "cert.pem").string(), (dir_ / "key.pem").string());
  EXPECT_EQ(read(dir_ / "cert.pem"), made.certificate_pem);
  EXPECT_EQ(read(dir_ / "key.pem"), made.private_key_pem);
  struct stat key {};
  ASSERT_EQ(stat((dir_ / "key.pem").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
}

TEST_F(WritePemFiles, ExistingKeyFileLosesItsWiderPermissions) {
  const auto key_path = dir_ / "key.pem";
  std::ofstream(key_path) << "old";
  std::filesystem::permissions(key_path, std::filesystem::perms::all);
  write_pem_files(make_self_signed_certificate(), (dir_ / "cert.pem").string(), key_path.string());
  struct stat key {};
  ASSERT_EQ(stat(key_path.c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
}

TEST_F(WritePemFiles, UnwritablePath_ThrowsNamingTheFile) {
  const auto path = (dir_ / "no-such-dir" / "cert.pem").string();
  try {
    write_pem_files(make_self_signed_certificate(), path, (dir_ / "key.pem").string());
    FAIL() << "wrote into a missing directory";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace graphfake
