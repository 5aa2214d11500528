#pragma once

// Throw-away files for tests: a private temporary directory, and a
// self-signed certificate with its key written into it.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "graphfake/tls.h"

namespace graphfake::testing {

inline void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// A new directory in the temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "graphfake-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// `text` written to a scenario file of its own, removed with the object.
class TempScenarioFile {
 public:
  explicit TempScenarioFile(const std::string& text) : path_(dir_.file("scenario.json")) { write_text(path_, text); }
  const std::string& path() const { return path_; }

 private:
  TempDir dir_;
  std::string path_;
};

// A self-signed certificate and its key, written where a Server reads them.
struct CertificateFiles {
  explicit CertificateFiles(const TempDir& dir, const std::string& name = "fake")
      : certificate(dir.file(name + ".crt")), key(dir.file(name + ".key")) {
    write_pem_files(make_self_signed_certificate(), certificate, key);
  }
  std::string certificate;
  std::string key;
};

}  // namespace graphfake::testing
