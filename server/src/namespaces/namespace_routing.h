#pragma once

#include <string>
#include <string_view>


namespace graphfake::namespaces {

// Requests pick a namespace by a path prefix, "/_ns/{name}/v1.0/...", or by
// this header, the prefix winning when both are given. URLs the fake renders
// for a namespace (Location, rootDirectory, nextLink) carry the prefix, so a
// client following them stays in its namespace without sending the header.
inline constexpr std::string_view kNamespacePrefix = "/_ns/";
inline constexpr std::string_view kNamespaceHeader = "X-Graphfake-Namespace";

// The admin API: a prefix no Graph or blob path can have.
inline constexpr std::string_view kAdminPrefix = "/_graphfake";

// True for paths under /_graphfake/.
bool is_admin_path(std::string_view path);

struct NamespaceTarget {
  std::string name;        // "default" when the request chose none
  std::string path;        // the request's path inside the namespace
  std::string url_prefix;  // "/_ns/{name}" when a namespace was chosen, else ""
};

// `header` is the request's X-Graphfake-Namespace, if it sent one.
NamespaceTarget namespace_target(std::string_view path, const std::string* header);

}  // namespace graphfake::namespaces
