#include "url.h"

namespace graphfake::client::detail {
namespace {

bool has_scheme(std::string_view url) {
  const auto colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (const char c : url.substr(0, colon)) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::optional<Url> split_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const auto scheme = lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const auto authority_start = scheme_end + 3;
  const auto target_start = url.find_first_of("/?#", authority_start);
  const auto authority = url.substr(authority_start, target_start - authority_start);
  if (authority.empty()) return std::nullopt;
  std::string target(target_start == std::string_view::npos ? std::string_view() : url.substr(target_start));
  // The fragment is the client's own business; it is never sent.
  if (const auto hash = target.find('#'); hash != std::string::npos) target.erase(hash);
  if (target.empty() || target.front() == '?') target = "/" + target;
  return Url{scheme + "://" + std::string(authority), std::move(target)};
}

std::string resolve_url(std::string_view base, std::string_view reference) {
  if (has_scheme(reference)) return std::string(reference);
  const auto scheme_end = base.find("://");
  if (reference.substr(0, 2) == "//") return std::string(base.substr(0, scheme_end + 1)) + std::string(reference);
  const auto path_start = base.find('/', scheme_end + 3);
  const std::string_view origin = base.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? "/" : base.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  if (reference.front() == '/') return std::string(origin) + std::string(reference);
  if (reference.front() == '?') return std::string(origin) + std::string(path) + std::string(reference);
  return std::string(origin) + std::string(path.substr(0, path.rfind('/') + 1)) + std::string(reference);
}

std::string redact_signature(std::string_view url) {
  std::string out(url);
  const auto query = out.find('?');
  if (query == std::string::npos) return out;
  for (auto at = out.find("sig=", query); at != std::string::npos; at = out.find("sig=", at + 1)) {
    const char before = out[at - 1];
    if (before != '?' && before != '&') continue;
    const auto value = at + 4;
    const auto end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "REDACTED");
  }
  return out;
}

}  // namespace graphfake::client::detail
