#pragma once

#include <string>
#include <string_view>

#include "graphfake/dialect.h"

namespace graphfake::data {

// How data lines spell what they carry, where the real files' spelling is
// not known: key casing, numbers, and ProductQualifiers.
struct LineFormat {
  Dialect::KeyCase keys = Dialect::KeyCase::pascal;
  Dialect::Numbers numbers = Dialect::Numbers::json_numbers;
  Dialect::ProductQualifiers product_qualifiers = Dialect::ProductQualifiers::text;

  static LineFormat of(const Dialect& dialect);
};

// A documented (PascalCase) attribute name in the casing asked for. camelCase
// lower-cases a leading acronym but for the capital that starts the next word:
// "PCToBCExchangeRate" becomes "pcToBCExchangeRate", "MpnId" "mpnId".
std::string spell_key(std::string_view pascal_name, Dialect::KeyCase casing);

}  // namespace graphfake::data
