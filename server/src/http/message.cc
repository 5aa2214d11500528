#include "http/message.h"

#include "core/strings.h"

namespace graphfake::http {

std::vector<std::string_view> list_items(std::string_view value) {
  std::vector<std::string_view> items;
  while (true) {
    const auto comma = value.find(',');
    const auto item = core::trim(value.substr(0, comma));
    if (!item.empty()) items.push_back(item);
    if (comma == std::string_view::npos) return items;
    value.remove_prefix(comma + 1);
  }
}

std::vector<std::string_view> header_items(const HeaderList& headers, std::string_view name) {
  std::vector<std::string_view> items;
  for (const auto& [key, value] : headers) {
    if (!core::iequals(key, name)) continue;
    const auto more = list_items(value);
    items.insert(items.end(), more.begin(), more.end());
  }
  return items;
}

}  // namespace graphfake::http
