#include "namespaces/namespace_routing.h"

#include "namespaces/namespace_registry.h"

namespace graphfake::namespaces {

NamespaceTarget namespace_target(std::string_view path, const std::string* header) {
  if (path.starts_with(kNamespacePrefix)) {
    const auto rest = path.substr(kNamespacePrefix.size());
    const auto slash = rest.find('/');
    std::string name(rest.substr(0, slash));
    std::string inner = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    return NamespaceTarget{name, std::move(inner), "/_ns/" + name};
  }
  if (header == nullptr || header->empty()) {
    return NamespaceTarget{std::string(namespaces::NamespaceRegistry::kDefaultName), std::string(path), ""};
  }
  return NamespaceTarget{*header, std::string(path), "/_ns/" + *header};
}

bool is_admin_path(std::string_view path) {
  return path == kAdminPrefix || (path.starts_with(kAdminPrefix) && path[kAdminPrefix.size()] == '/');
}

}  // namespace graphfake::namespaces
