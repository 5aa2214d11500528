#include <fmt/format.h>

#include "scenario/format.h"
#include "scenario/reader.h"

// A succeeded phase's "sas": a SAS signed as the fake signs every SAS, but
// granting what Azure would refuse, so a test can see how its client takes
// the refusal.
namespace graphfake::scenario {
namespace {

using core::json_string;

constexpr core::Field kSasTermsFields[] = {
    {"permissions", json_string, {}, false, "sp: Azure's permission letters, in Azure's order"},
    {"startsIn", json_string, {}, false, "st: this long after the SAS is signed"},
};

// The letters a user-delegation SAS's sp may hold, in the order Azure
// requires them (Azure Storage, Create a user delegation SAS).
constexpr std::string_view kAzurePermissionOrder = "racwdxyltfmeopi";

// Whether `letters` is an sp Azure accepts: some of its letters, each once,
// in its order.
bool in_azure_order(std::string_view letters) {
  if (letters.empty()) return false;
  std::size_t next = 0;  // in kAzurePermissionOrder: earlier letters are behind
  for (const char letter : letters) {
    const auto place = kAzurePermissionOrder.find(letter);
    if (place == std::string_view::npos || place < next) return false;
    next = place + 1;
  }
  return true;
}

}  // namespace

std::span<const core::Field> sas_terms_fields() { return kSasTermsFields; }

void Reader::sas_terms(const json& value, const std::string& at, model::ManifestShape& shape) {
  if (!object_with_only(value, at, kSasTermsFields)) return;
  if (const auto it = value.find("permissions"); it != value.end()) {
    if (it->is_string() && in_azure_order(it->get_ref<const std::string&>())) {
      shape.sas_permissions = it->get<std::string>();
    } else {
      fail(at + "/permissions", fmt::format("expected Azure's permission letters, each at most once, in its order "
                                            "\"{}\" (\"rl\", \"l\"), got {}",
                                            kAzurePermissionOrder, shown(*it)));
    }
  }
  if (const auto it = value.find("startsIn"); it != value.end()) {
    if (const auto start = whole_seconds(*it, at + "/startsIn", "a SAS start")) shape.sas_starts_in = *start;
  }
}

}  // namespace graphfake::scenario
