#pragma once

#include <string_view>

namespace graphfake::model {

// Whether `code` is an active ISO 4217 alphabetic currency code ("USD").
// Upper case only, as the standard writes them.
bool is_iso4217_currency(std::string_view code);

}  // namespace graphfake::model
