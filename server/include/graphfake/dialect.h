#pragma once

#include <optional>
#include <string_view>

namespace graphfake {

// What data files look like, as one coherent set of choices (docs/fidelity.md
// lists each difference with its source):
//   observed      the shape of real export files: fixed decimal scales,
//                 millisecond timestamps, absent keys for null values
//   documented    the attributeSet tables of the Graph documentation, values
//                 in their shortest form
//   legacy_camel  the camelCase reconciliation files real partners meet for
//                 older invoices (renamed and re-ordered columns); usage
//                 files under it are written as observed
enum class DataProfile { observed, documented, legacy_camel };

constexpr std::string_view to_string(DataProfile profile) {
  switch (profile) {
    case DataProfile::observed: return "observed";
    case DataProfile::documented: return "documented";
    case DataProfile::legacy_camel: return "legacy-camel";
  }
  return "observed";
}

// The fake's answer wherever the real service's behaviour is not known (the
// open questions in docs/conformance.md). Each default is what real
// manifests and Microsoft's own samples show; each field selects the other
// plausible answer, so a client can be proven against both.
struct Dialect {
  // The manifest's dataFormat: "compressedJSON" (docs example, real data)
  // or "compressedJSONLines" (the property's description).
  enum class DataFormat { compressed_json, compressed_json_lines };
  DataFormat data_format = DataFormat::compressed_json;

  // schemaVersion and partitionType: "2" and "default" as real manifests
  // show them, or "1" and "Default" as the documentation does.
  enum class ManifestLiterals { observed, documented };
  ManifestLiterals manifest_literals = ManifestLiterals::observed;

  // Whether each manifest blob also carries sizeInBytes and itemCount, as
  // Microsoft's sample model has them. The size is the gzip blob's length,
  // so listing it costs one pass over every blob when the manifest is first
  // served.
  bool blob_sizes = false;

  // The data files' profile; the three fields after it override one of its
  // choices each when set.
  DataProfile data_profile = DataProfile::observed;

  // Key spelling in data files: "PartnerId", "partnerId" or "partnerid"
  // (unset: as the profile spells them).
  enum class KeyCase { pascal, camel, lower };
  std::optional<KeyCase> data_keys{};

  // Numeric columns (UnitPrice, Quantity, Subtotal, ...) as JSON numbers
  // (1.5) or as strings ("1.5") (unset: JSON numbers, in every profile).
  enum class Numbers { json_numbers, strings };
  std::optional<Numbers> data_numbers{};

  // ProductQualifiers as the text of a JSON array ("[\"Add-on\"]") or as the
  // array itself (["Add-on"]) (unset: text when documented, an array otherwise).
  enum class ProductQualifiers { text, array };
  std::optional<ProductQualifiers> product_qualifiers{};

  // Whether export bodies bind parameter names and enum values without
  // regard to case, as Microsoft's sample sends them
  // ({"InvoiceId": "...", "AttributeSet": "Full"}), or refuse them.
  bool case_insensitive_requests = false;

  // An operation's createdDateTime and lastActionDateTime: RFC 3339 UTC
  // with milliseconds and "Z", or the documentation's mix (createdDateTime
  // without offset or fraction, lastActionDateTime with seven fraction digits).
  enum class Timestamps { rfc3339, documented };
  Timestamps operation_timestamps = Timestamps::rfc3339;
};

}  // namespace graphfake
