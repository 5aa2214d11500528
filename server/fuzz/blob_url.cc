// Fuzzes the blob URL and SAS parser: the input is a request target,
// read as the server reads one ("GET <target> HTTP/1.1"), whose path and
// query parameters then open a blob of the one manifest the store holds.
//
// Before fuzzing, a valid URL of that manifest's first blob is written to
// the first corpus directory given (the writable one scripts/fuzz.sh
// makes), so the fuzzer starts from a URL that opens a blob whatever ids
// and signatures the store makes.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "domain/blob_store.h"
#include "http/request_head.h"

namespace {

namespace domain = graphfake::domain;
using namespace std::chrono_literals;

// Row i is the line "i\n": the blob's content does not matter here.
class CountingLines final : public graphfake::data::LineSource {
 public:
  void append_line(std::uint64_t index, std::string& out) const override { out += std::to_string(index) + "\n"; }
};

const graphfake::TimePoint kPublishedAt = graphfake::VirtualClock::default_start();
const graphfake::TimePoint kNow = kPublishedAt + 10min;

struct Fixture {
  graphfake::core::IdGenerator ids{1};
  graphfake::core::IdGenerator chance{2};
  domain::BlobStore store{ids, chance, 42};
  std::shared_ptr<const domain::Manifest> manifest;

  Fixture() {
    domain::ManifestSpec spec;
    spec.container = "partner-billing";
    spec.directory = "v1/PartnerTenantId=t/BillingMonth=202501/InvoiceId=G016907411/Fragment=full";
    spec.partner_tenant_id = "t";
    spec.row_count = 30;
    spec.rows_per_blob = 10;
    spec.lines = std::make_shared<CountingLines>();
    manifest = store.publish(std::move(spec), kPublishedAt);
  }

  std::string valid_url() const {
    const auto sas = store.grant_sas(*manifest, kPublishedAt);
    return manifest->root_path + "/" + manifest->blob_name(0) + "?" + sas.query();
  }
};

Fixture& fixture() {
  static Fixture made;
  return made;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  for (int i = 1; i < *argc; ++i) {
    const std::string_view argument = (*argv)[i];
    if (argument.starts_with("-")) continue;
    std::error_code error;
    if (std::filesystem::is_directory(argument, error)) {
      std::ofstream(std::filesystem::path(argument) / "valid-blob-url", std::ios::binary) << fixture().valid_url();
    }
    break;
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string target(reinterpret_cast<const char*>(data), size);
  const auto parsed = graphfake::http::parse_request_head("GET " + target + " HTTP/1.1\r\nHost: fake\r\n\r\n", {});
  if (parsed.problem) return 0;
  const auto opening = fixture().store.open(parsed.request.path, parsed.request.params, kNow);
  if (const auto* handle = std::get_if<domain::BlobHandle>(&opening.outcome)) {
    if (handle->manifest != fixture().manifest || handle->index() == nullptr ||
        handle->blob.index >= handle->manifest->blob_count) {
      std::abort();
    }
  } else if (const auto status = std::get<domain::StorageError>(opening.outcome).status; status < 400 || status > 599) {
    std::abort();
  }
  return 0;
}
