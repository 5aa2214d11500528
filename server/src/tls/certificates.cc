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
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

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
  throw std::runtime_error(fmt::format("cannot make a TLS certificate: {} failed: {}", step, reason));
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
    throw std::invalid_argument(
        fmt::format("cannot make a TLS certificate for '{}': it is neither an IP address nor a DNS name", host));
  }
  return "DNS:" + host;
}

// `host` and the loopback names, whichever name clients use for the fake.
std::string subject_alt_names(const std::string& host) {
  const std::string own = subject_alt_name(host);
  std::string names = own;
  for (const std::string_view usual : {"DNS:localhost", "IP:127.0.0.1", "IP:::1"}) {
    if (own != usual) names.append(",").append(usual);
  }
  return names;
}

struct Extension {
  int nid;
  std::string value;  // in OpenSSL's configuration syntax
};

// What a server certificate needs for clients to accept it, signed by an
// authority or by itself.
std::vector<Extension> server_extensions(const std::string& host) {
  return {{NID_basic_constraints, "critical,CA:FALSE"},
          {NID_key_usage, "critical,digitalSignature"},
          {NID_ext_key_usage, "serverAuth"},
          {NID_subject_alt_name, subject_alt_names(host)}};
}

// pathlen:0: the authority signs server certificates, never another authority.
std::vector<Extension> authority_extensions() {
  return {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"}, {NID_key_usage, "critical,keyCertSign,cRLSign"}};
}

// `issuer` is the certificate whose key signs `certificate`: key identifiers
// are computed from it.
void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  const Owned<X509_EXTENSION> extension(
      made(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()), "building an X.509 extension"));
  check(X509_add_ext(certificate, extension.get(), -1), "adding an X.509 extension");
}

struct Issued {
  Owned<EVP_PKEY> key;
  Owned<X509> certificate;
};

// A new P-256 key and a certificate for it named `common_name`, with
// `extensions` and key identifiers, signed by `issuer` or, without one, by
// itself.
Issued issue(const char* common_name, const std::vector<Extension>& extensions, const Issued* issuer) {
  // The key and the serial number come from OpenSSL's random generator, not
  // the fake's seed: a test certificate need not be reproducible, and a
  // reused key or serial number would be worse.
  Issued issued{Owned<EVP_PKEY>(made(EVP_EC_gen("P-256"), "generating a P-256 key")),
                Owned<X509>(made(X509_new(), "allocating a certificate"))};
  X509* certificate = issued.certificate.get();
  X509* signer = issuer != nullptr ? issuer->certificate.get() : certificate;
  EVP_PKEY* signing_key = issuer != nullptr ? issuer->key.get() : issued.key.get();
  check(X509_set_version(certificate, X509_VERSION_3), "setting the version");

  const Owned<BIGNUM> serial(made(BN_new(), "allocating the serial number"));
  check(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "drawing the serial number");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) != nullptr, "setting the serial number");

  // An hour's slack for clocks that disagree a little.
  made(X509_gmtime_adj(X509_getm_notBefore(certificate), -60L * 60), "setting notBefore");
  made(X509_gmtime_adj(X509_getm_notAfter(certificate), 365L * 24 * 60 * 60), "setting notAfter");

  X509_NAME* name = X509_get_subject_name(certificate);
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("graphfake"), -1,
                                   -1, 0),
        "setting the subject");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(common_name), -1,
                                   -1, 0),
        "setting the subject");
  check(X509_set_issuer_name(certificate, X509_get_subject_name(signer)), "setting the issuer");
  check(X509_set_pubkey(certificate, issued.key.get()), "setting the public key");

  for (const auto& [nid, value] : extensions) add_extension(certificate, signer, nid, value);
  // Clients that build chains (OpenSSL, Go, Node) match each certificate to
  // its issuer by these; strict verifiers (Python 3.13) require them.
  add_extension(certificate, signer, NID_subject_key_identifier, "hash");
  add_extension(certificate, signer, NID_authority_key_identifier, "keyid:always");
  check(X509_sign(certificate, signing_key, EVP_sha256()), "signing the certificate");
  return issued;
}

template <typename Write>
std::string pem(Write write, const char* step) {
  const Owned<BIO> bio(made(BIO_new(BIO_s_mem()), "allocating a memory BIO"));
  check(write(bio.get()), step);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string certificate_pem(X509* certificate) {
  return pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate); }, "writing the certificate");
}

std::string private_key_pem(EVP_PKEY* key) {
  return pem([&](BIO* bio) { return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr); },
             "writing the private key");
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

LocalCertificates make_local_certificates(const std::string& host) {
  const Issued authority = issue("graphfake local CA", authority_extensions(), nullptr);
  const Issued server = issue("graphfake server", server_extensions(host), &authority);
  const std::string authority_pem = certificate_pem(authority.certificate.get());
  return LocalCertificates{authority_pem, certificate_pem(server.certificate.get()) + authority_pem,
                           private_key_pem(server.key.get())};
}

LocalCertificateFiles write_local_certificates(const LocalCertificates& certificates, const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw std::runtime_error(fmt::format("cannot create the directory '{}': {}", directory, error.message()));
  const std::filesystem::path in(directory);
  LocalCertificateFiles files{(in / "ca.pem").string(), (in / "cert.pem").string(), (in / "key.pem").string()};
  write_file(files.ca_file, certificates.ca_certificate_pem, 0644);
  write_file(files.certificate_file, certificates.certificate_chain_pem, 0644);
  write_file(files.private_key_file, certificates.private_key_pem, 0600);
  return files;
}

SelfSignedCertificate make_self_signed_certificate(const std::string& host) {
  // A server certificate, not a CA: clients trust this one certificate,
  // and nothing it could sign.
  const Issued issued = issue("graphfake test certificate", server_extensions(host), nullptr);
  return SelfSignedCertificate{certificate_pem(issued.certificate.get()), private_key_pem(issued.key.get())};
}

void write_pem_files(const SelfSignedCertificate& certificate, const std::string& certificate_file,
                     const std::string& private_key_file) {
  write_file(certificate_file, certificate.certificate_pem, 0644);
  write_file(private_key_file, certificate.private_key_pem, 0600);
}

}  // namespace graphfake
