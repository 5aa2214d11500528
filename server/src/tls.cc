#include "graphfake/tls.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace graphfake {
namespace {

struct Free {
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

[[noreturn]] void fail(const char* step) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  char reason[256] = "no OpenSSL error";
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  throw std::runtime_error(fmt::format("cannot make a self-signed certificate: {} failed: {}", step, reason));
}

template <typename T>
T* made(T* pointer, const char* step) {
  if (pointer == nullptr) fail(step);
  return pointer;
}

void check(int result, const char* step) {
  if (result <= 0) fail(step);
}

// "IP:…" or "DNS:…", in OpenSSL's configuration syntax.
std::string subject_alt_name(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  if (inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1) {
    return "IP:" + host;
  }
  const bool dns_name = !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  });
  if (!dns_name) {
    throw std::invalid_argument(fmt::format("make_self_signed_certificate: '{}' is neither an IP address nor a DNS name",
                                            host));
  }
  return "DNS:" + host;
}

void add_extension(X509* certificate, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  const Owned<X509_EXTENSION> extension(
      made(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()), "building an X.509 extension"));
  check(X509_add_ext(certificate, extension.get(), -1), "adding an X.509 extension");
}

template <typename Write>
std::string pem(Write write, const char* step) {
  const Owned<BIO> bio(made(BIO_new(BIO_s_mem()), "allocating a memory BIO"));
  check(write(bio.get()), step);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void write_file(const std::string& path, const std::string& content, mode_t mode) {
  auto failure = [&path] { return std::runtime_error(fmt::format("cannot write '{}': {}", path, std::strerror(errno))); };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw failure();
  // open's mode applies only to a file it creates; an existing key file
  // may have been readable by others.
  bool written = ::fchmod(fd, mode) == 0;
  for (std::size_t at = 0; written && at < content.size();) {
    const ssize_t n = ::write(fd, content.data() + at, content.size() - at);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) at += static_cast<std::size_t>(n);
  }
  if (!written) {
    const auto error = failure();
    ::close(fd);
    throw error;
  }
  if (::close(fd) != 0) throw failure();
}

}  // namespace

SelfSignedCertificate make_self_signed_certificate(const std::string& host) {
  std::string names = subject_alt_name(host);
  for (const std::string_view usual : {"IP:127.0.0.1", "DNS:localhost"}) {
    if (names != usual) names.append(",").append(usual);
  }

  // The key and the serial number come from OpenSSL's random generator, not
  // the fake's seed: a test certificate need not be reproducible, and a
  // reused key or serial number would be worse.
  const Owned<EVP_PKEY> key(made(EVP_EC_gen("P-256"), "generating a P-256 key"));
  const Owned<X509> certificate(made(X509_new(), "allocating a certificate"));
  check(X509_set_version(certificate.get(), X509_VERSION_3), "setting the version");

  const Owned<BIGNUM> serial(made(BN_new(), "allocating the serial number"));
  check(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "drawing the serial number");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) != nullptr,
        "setting the serial number");

  // An hour's slack for clocks that disagree a little.
  made(X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60L * 60), "setting notBefore");
  made(X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 60 * 60), "setting notAfter");

  X509_NAME* name = X509_get_subject_name(certificate.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("graphfake"), -1,
                                   -1, 0),
        "setting the subject");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("graphfake test certificate"), -1, -1, 0),
        "setting the subject");
  check(X509_set_issuer_name(certificate.get(), name), "setting the issuer");
  check(X509_set_pubkey(certificate.get(), key.get()), "setting the public key");

  // A server certificate, not a CA: clients trust this one certificate,
  // and nothing it could sign.
  add_extension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate.get(), NID_ext_key_usage, "serverAuth");
  add_extension(certificate.get(), NID_subject_key_identifier, "hash");
  add_extension(certificate.get(), NID_authority_key_identifier, "keyid:always");
  add_extension(certificate.get(), NID_subject_alt_name, names);
  check(X509_sign(certificate.get(), key.get(), EVP_sha256()), "signing the certificate");

  return SelfSignedCertificate{
      pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate.get()); }, "writing the certificate"),
      pem([&](BIO* bio) { return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr); },
          "writing the private key")};
}

void write_pem_files(const SelfSignedCertificate& certificate, const std::string& certificate_file,
                     const std::string& private_key_file) {
  write_file(certificate_file, certificate.certificate_pem, 0644);
  write_file(private_key_file, certificate.private_key_pem, 0600);
}

}  // namespace graphfake
