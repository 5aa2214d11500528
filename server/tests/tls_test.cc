#include "graphfake/tls.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace graphfake {
namespace {

struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};

std::unique_ptr<X509, Free> parse_certificate(const std::string& pem) {
  const std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return std::unique_ptr<X509, Free>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::vector<std::unique_ptr<X509, Free>> parse_certificates(const std::string& pem) {
  const std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<std::unique_ptr<X509, Free>> certificates;
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certificates.emplace_back(certificate);
  }
  return certificates;
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
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "::1", 0), 1);
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

// Whether `server` verifies as a TLS server certificate for `name` against a
// trust store holding only `authority`, with the checks of strict verifiers
// too (Python 3.13's default: key identifiers, critical CA constraints).
bool verifies_against(X509* server, X509* authority, const char* name) {
  std::unique_ptr<X509_STORE, Free> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), authority);
  std::unique_ptr<X509_STORE_CTX, Free> context(X509_STORE_CTX_new());
  X509_STORE_CTX_init(context.get(), store.get(), server, nullptr);
  X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM* parameters = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_flags(parameters, X509_V_FLAG_X509_STRICT);
  // set1_ip_asc refuses what is not an address: then it is a DNS name.
  if (X509_VERIFY_PARAM_set1_ip_asc(parameters, name) != 1) X509_VERIFY_PARAM_set1_host(parameters, name, 0);
  return X509_verify_cert(context.get()) == 1;
}

bool is_critical(X509* certificate, int nid) {
  const int at = X509_get_ext_by_NID(certificate, nid, -1);
  return at >= 0 && X509_EXTENSION_get_critical(X509_get_ext(certificate, at)) == 1;
}

class LocalCertificatesTest : public ::testing::Test {
 protected:
  const LocalCertificates made_ = make_local_certificates();
  const std::unique_ptr<X509, Free> authority_ = parse_certificate(made_.ca_certificate_pem);
  const std::unique_ptr<X509, Free> server_ = parse_certificate(made_.certificate_chain_pem);

  void SetUp() override {
    ASSERT_NE(authority_, nullptr);
    ASSERT_NE(server_, nullptr);
  }
};

TEST_F(LocalCertificatesTest, Authority_IsACertificateAuthorityThatSignsNoOtherAuthority) {
  EXPECT_EQ(X509_check_ca(authority_.get()), 1);
  EXPECT_EQ(X509_get_pathlen(authority_.get()), 0);
}

TEST_F(LocalCertificatesTest, Authority_BasicConstraintsAreCritical) {
  EXPECT_TRUE(is_critical(authority_.get(), NID_basic_constraints));
}

TEST_F(LocalCertificatesTest, Authority_KeySignsOnlyCertificatesAndRevocationLists) {
  EXPECT_EQ(X509_get_key_usage(authority_.get()), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
}

TEST_F(LocalCertificatesTest, Authority_IsSignedByItself) { EXPECT_EQ(X509_self_signed(authority_.get(), 1), 1); }

TEST_F(LocalCertificatesTest, ServerCertificate_VerifiesAgainstTheAuthorityForEveryLoopbackName) {
  for (const char* name : {"127.0.0.1", "::1", "localhost"}) {
    EXPECT_TRUE(verifies_against(server_.get(), authority_.get(), name)) << name;
  }
}

TEST_F(LocalCertificatesTest, ServerCertificate_NamesEachLoopbackNameOnce) {
  const std::unique_ptr<GENERAL_NAMES, Free> names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(server_.get(), NID_subject_alt_name, nullptr, nullptr)));
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(sk_GENERAL_NAME_num(names.get()), 3);
}

TEST_F(LocalCertificatesTest, ServerCertificate_DoesNotVerifyForAnotherHost) {
  for (const char* name : {"10.0.0.1", "example.com"}) {
    EXPECT_FALSE(verifies_against(server_.get(), authority_.get(), name)) << name;
  }
}

TEST_F(LocalCertificatesTest, ServerCertificate_DoesNotVerifyAgainstAnotherAuthority) {
  const auto other = parse_certificate(make_local_certificates().ca_certificate_pem);
  ASSERT_NE(other, nullptr);
  EXPECT_FALSE(verifies_against(server_.get(), other.get(), "127.0.0.1"));
}

TEST_F(LocalCertificatesTest, ServerCertificate_IsNoCertificateAuthority) {
  EXPECT_EQ(X509_check_ca(server_.get()), 0);
}

TEST_F(LocalCertificatesTest, ServerCertificate_IsForServerAuthenticationByDigitalSignature) {
  EXPECT_EQ(X509_get_key_usage(server_.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(server_.get()), static_cast<std::uint32_t>(XKU_SSL_SERVER));
}

TEST_F(LocalCertificatesTest, ServerCertificate_NamesTheAuthorityByItsKeyIdentifier) {
  const ASN1_OCTET_STRING* authority_key = X509_get0_authority_key_id(server_.get());
  const ASN1_OCTET_STRING* subject_key = X509_get0_subject_key_id(authority_.get());
  ASSERT_NE(authority_key, nullptr);
  ASSERT_NE(subject_key, nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(authority_key, subject_key), 0);
}

TEST_F(LocalCertificatesTest, Chain_IsTheServerCertificateThenTheAuthority) {
  const auto chain = parse_certificates(made_.certificate_chain_pem);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(X509_check_issued(authority_.get(), chain[0].get()), X509_V_OK);
  EXPECT_EQ(X509_cmp(chain[1].get(), authority_.get()), 0);
}

TEST_F(LocalCertificatesTest, PrivateKey_MatchesTheServerCertificate) {
  const auto key = parse_key(made_.private_key_pem);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(X509_check_private_key(server_.get(), key.get()), 1);
}

TEST_F(LocalCertificatesTest, BothAreValidFromAnHourAgoForAYear) {
  auto seconds_from_now = [](const ASN1_TIME* time) {
    int days = 0;
    int seconds = 0;
    EXPECT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, time), 1);
    return days * 86400L + seconds;
  };
  for (X509* certificate : {authority_.get(), server_.get()}) {
    EXPECT_NEAR(seconds_from_now(X509_get0_notBefore(certificate)), -3600, 60);
    EXPECT_NEAR(seconds_from_now(X509_get0_notAfter(certificate)), 365 * 86400L, 60);
  }
}

TEST_F(LocalCertificatesTest, EachCallMakesANewAuthorityAndKey) {
  const auto again = make_local_certificates();
  EXPECT_NE(again.ca_certificate_pem, made_.ca_certificate_pem);
  EXPECT_NE(again.private_key_pem, made_.private_key_pem);
}

TEST_F(LocalCertificatesTest, ServerCertificateNamesTheGivenHostToo) {
  for (const char* host : {"10.1.2.3", "fake.graph.test"}) {
    SCOPED_TRACE(host);
    const auto made = make_local_certificates(host);
    const auto authority = parse_certificate(made.ca_certificate_pem);
    const auto server = parse_certificate(made.certificate_chain_pem);
    ASSERT_NE(authority, nullptr);
    ASSERT_NE(server, nullptr);
    EXPECT_TRUE(verifies_against(server.get(), authority.get(), host));
    EXPECT_TRUE(verifies_against(server.get(), authority.get(), "localhost"));
  }
}

TEST_F(LocalCertificatesTest, HostThatIsNeitherAddressNorName_IsInvalidArgument) {
  for (const char* host : {"", "a,b", "host name", "DNS:x"}) {
    SCOPED_TRACE(host);
    EXPECT_THROW(make_local_certificates(host), std::invalid_argument);
  }
}

class InTemporaryDirectory : public ::testing::Test {
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

class WritePemFiles : public InTemporaryDirectory {};

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

class WriteLocalCertificates : public InTemporaryDirectory {};

TEST_F(WriteLocalCertificates, WritesTheAuthorityTheChainAndTheKeyIntoTheDirectory) {
  const auto made = make_local_certificates();
  const auto files = write_local_certificates(made, dir_.string());
  EXPECT_EQ(files.ca_file, (dir_ / "ca.pem").string());
  EXPECT_EQ(files.certificate_file, (dir_ / "cert.pem").string());
  EXPECT_EQ(files.private_key_file, (dir_ / "key.pem").string());
  EXPECT_EQ(read(files.ca_file), made.ca_certificate_pem);
  EXPECT_EQ(read(files.certificate_file), made.certificate_chain_pem);
  EXPECT_EQ(read(files.private_key_file), made.private_key_pem);
}

TEST_F(WriteLocalCertificates, KeyIsReadableByItsOwnerOnly) {
  const auto files = write_local_certificates(make_local_certificates(), dir_.string());
  struct stat key {};
  ASSERT_EQ(stat(files.private_key_file.c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
}

TEST_F(WriteLocalCertificates, CreatesAMissingDirectoryAndItsParents) {
  const auto directory = dir_ / "a" / "b";
  const auto files = write_local_certificates(make_local_certificates(), directory.string());
  EXPECT_TRUE(std::filesystem::is_regular_file(directory / "ca.pem"));
  EXPECT_EQ(files.ca_file, (directory / "ca.pem").string());
}

TEST_F(WriteLocalCertificates, DirectoryThatCannotBeCreated_ThrowsNamingIt) {
  std::ofstream(dir_ / "file") << "not a directory";
  const auto directory = (dir_ / "file" / "tls").string();
  try {
    write_local_certificates(make_local_certificates(), directory);
    FAIL() << "wrote under a regular file";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(directory), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace graphfake
