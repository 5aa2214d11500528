#pragma once

namespace graphfake {

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

  // Key spelling in data files: "PartnerId", "partnerId" or "partnerid".
  enum class KeyCase { pascal, camel, lower };
  KeyCase data_keys = KeyCase::pascal;

  // Numeric columns (UnitPrice, Quantity, Subtotal, ...) as JSON numbers
  // (1.5) or as strings ("1.5").
  enum class Numbers { json_numbers, strings };
  Numbers data_numbers = Numbers::json_numbers;

  // ProductQualifiers as the text of a JSON array ("[\"Add-on\"]") or as the
  // array itself (["Add-on"]).
  enum class ProductQualifiers { text, array };
  ProductQualifiers product_qualifiers = ProductQualifiers::text;

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
