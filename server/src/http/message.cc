#include "http/message.h"

#include "core/strings.h"

namespace graphfake::http {

const std::string* find_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (core::iequals(key, name)) return &value;
  }
  return nullptr;
}

void Response::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& header) { return core::iequals(header.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace graphfake::http
