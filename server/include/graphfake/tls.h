#pragma once

#include <string>

namespace graphfake {

// Throw-away certificates to serve the fake over https in tests, made
// without the openssl tool. Options::tls makes and uses the first kind by
// itself (graphfake/options.h); these are for certificates made ahead.

// A certificate authority of its own and a server certificate it signed, as
// a real deployment has: the authority goes where clients take extra CAs
// (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, CURLOPT_CAINFO), and the server
// certificate is an ordinary one, not its own trust anchor.
//
//   auto made = graphfake::make_local_certificates();
//   auto files = graphfake::write_local_certificates(made, dir);
//   graphfake::Server fake({.tls_certificate_file = files.certificate_file,
//                           .tls_private_key_file = files.private_key_file});
//   // the client trusts files.ca_file as its only CA and calls fake.base_url()
struct LocalCertificates {
  std::string ca_certificate_pem;     // what clients trust
  std::string certificate_chain_pem;  // the server's certificate, then the authority's
  std::string private_key_pem;        // the server certificate's, PKCS#8, unencrypted
};

// An authority (basicConstraints CA:TRUE, pathlen 0, keyUsage keyCertSign and
// cRLSign) and a server certificate signed by it (CA:FALSE, keyUsage
// digitalSignature, extendedKeyUsage serverAuth) for `host` (an IP address or
// DNS name), localhost, 127.0.0.1 and ::1, each with an EC P-256 key and
// subject and authority key identifiers, both valid from an hour ago for a
// year by the system clock, whatever clock the fake uses: clients check them
// against real time. The authority's key is dropped once it has signed, so
// trusting the authority trusts nothing else. Throws std::invalid_argument
// when `host` is neither an IP address nor a DNS name, std::runtime_error if
// OpenSSL fails.
LocalCertificates make_local_certificates(const std::string& host = "127.0.0.1");

struct LocalCertificateFiles {
  std::string ca_file;           // <directory>/ca.pem
  std::string certificate_file;  // <directory>/cert.pem, the chain
  std::string private_key_file;  // <directory>/key.pem, readable by its owner only
};

// Writes ca.pem, cert.pem and key.pem into `directory`, creating it (and its
// parents) when missing, and returns their paths. Throws std::runtime_error
// naming a path it cannot create or write.
LocalCertificateFiles write_local_certificates(const LocalCertificates& certificates, const std::string& directory);

// The older kind: one certificate signed by itself, which clients trust as
// their only CA:
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
// IP address or DNS name), localhost, 127.0.0.1 and ::1 (subject alternative
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
