#include "http/namespace_routing.h"

#include "domain/namespace_registry.h"

namespace graphfake::http {

NamespaceTarget namespace_target(const Request& req) {
  const std::string_view path = req.path;
  if (path.starts_with(kNamespacePrefix)) {
    const auto rest = path.substr(kNamespacePrefix.size());
    const auto slash = rest.find('/');
    std::string name(rest.substr(0, slash));
    std::string inner = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    return NamespaceTarget{name, std::move(inner), "/_ns/" + name};
  }
  const auto chosen = req.header(kNamespaceHeader);
  if (chosen.empty()) return NamespaceTarget{std::string(domain::NamespaceRegistry::kDefaultName), req.path, ""};
  return NamespaceTarget{chosen, req.path, "/_ns/" + chosen};
}

}  // namespace graphfake::http
