#include "handlers/exchange.h"

#include "core/strings.h"

namespace graphfake::handlers {

const std::string* find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (core::iequals(key, name)) return &value;
  }
  return nullptr;
}

void Reply::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& header) { return core::iequals(header.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace graphfake::handlers
