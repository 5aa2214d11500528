#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "graphfake/dialect.h"
#include "model/operation.h"

namespace graphfake::data {

// A column no profile has, written as the last key of every row.
using ExtraColumn = model::ExtraColumn;

// How data lines spell what they carry: a data profile (data/data_profile.h),
// the choices that override one of the profile's each, and an extra column.
struct LineFormat {
  DataProfile profile = DataProfile::observed;
  std::optional<Dialect::KeyCase> keys{};
  std::optional<Dialect::Numbers> numbers{};
  std::optional<Dialect::ProductQualifiers> product_qualifiers{};
  std::optional<ExtraColumn> extra_column{};

  static LineFormat of(const Dialect& dialect);
};

// An attribute name in the casing asked for. camelCase lower-cases a leading
// acronym but for the capital that starts the next word: "PCToBCExchangeRate"
// becomes "pcToBCExchangeRate", "MpnId" "mpnId"; PascalCase capitalises the
// first letter: "resellerMpnId" becomes "ResellerMpnId".
std::string spell_key(std::string_view name, Dialect::KeyCase casing);

}  // namespace graphfake::data
