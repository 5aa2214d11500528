#pragma once

#include <string>

namespace graphfake {

// A throw-away certificate to serve the fake over https in tests, made
// without the openssl tool:
//
//   auto pair = graphfake::make_self_signed_certificate();
//   graphfake::write_pem_files(pair, dir + "/cert.pem", dir + "/key.pem");
//   graphfake::Server fake({.tls_certificate_file = dir + "/cert.pem",
//                           .tls_private_key_file = dir + "/key.pem"});
//   // the client trusts dir + "/cert.pem" as its only CA and calls fake.base_url()
struct SelfSignedCertificate {
  std::string certificate_pem;
  std::string private_key_pem;  // PKCS#8, unencrypted
};

// An EC P-256 key and a certificate for it signed by itself, for `host` (an
// IP address or DNS name), 127.0.0.1 and localhost (subject alternative
// names), valid from an hour ago for a year by the system clock, whatever
// clock the fake uses: clients check it against real time. Each call makes a
// new key and serial number. Throws std::invalid_argument when `host` is
// neither an IP address nor a DNS name, std::runtime_error if OpenSSL fails.
SelfSignedCertificate make_self_signed_certificate(const std::string& host = "127.0.0.1");

// Writes the certificate and the private key as PEM files, the key readable
// by its owner only. Throws std::runtime_error naming a file it cannot write.
void write_pem_files(const SelfSignedCertificate& certificate, const std::string& certificate_file,
                     const std::string& private_key_file);

}  // namespace graphfake
