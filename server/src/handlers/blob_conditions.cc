#include "handlers/blob_conditions.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/strings.h"
#include "core/time_format.h"

namespace graphfake::handlers {
namespace {

// Every value of header `name`, each field split at its commas (a list
// header may be sent as one field or several).
std::vector<std::string_view> list_items(const Headers& headers, std::string_view name, bool& present) {
  std::vector<std::string_view> items;
  for (const auto& [field, value] : headers) {
    if (!core::iequals(field, name)) continue;
    present = true;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto item = core::trim(rest.substr(0, comma));
      if (!item.empty()) items.push_back(item);
      rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    }
  }
  return items;
}

// An entity tag without its quotes; Azure takes it quoted or not. A weak
// tag (W/"…") keeps its prefix unless `weak` comparison is asked for.
std::string_view opaque_tag(std::string_view tag, bool weak) {
  if (weak && tag.starts_with("W/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
  return tag;
}

bool any_matches(const std::vector<std::string_view>& tags, std::string_view etag, bool weak) {
  for (const auto tag : tags) {
    if (opaque_tag(tag, weak) == opaque_tag(etag, false)) return true;
  }
  return false;
}

struct DateHeader {
  std::optional<TimePoint> at;  // nullopt: absent, or not a date (ignored)
  bool repeated = false;
};

DateHeader date_header(const Headers& headers, std::string_view name) {
  DateHeader date;
  int seen = 0;
  for (const auto& [field, value] : headers) {
    if (!core::iequals(field, name)) continue;
    if (++seen > 1) date.repeated = true;
    date.at = core::parse_http_date(core::trim(value));
  }
  return date;
}

}  // namespace

BlobCondition evaluate_blob_conditions(const Headers& headers, std::string_view etag, TimePoint last_modified) {
  // Last-Modified is sent in whole seconds; dates are compared with what the client saw.
  const auto modified = std::chrono::floor<std::chrono::seconds>(last_modified);
  const auto modified_since = date_header(headers, "If-Modified-Since");
  const auto unmodified_since = date_header(headers, "If-Unmodified-Since");
  if (modified_since.repeated || unmodified_since.repeated) return BlobCondition::repeated_date;

  bool if_match_sent = false;
  const auto if_match = list_items(headers, "If-Match", if_match_sent);
  bool if_none_match_sent = false;
  const auto if_none_match = list_items(headers, "If-None-Match", if_none_match_sent);
  for (const auto tag : if_none_match) {
    if (tag == "*") return BlobCondition::unsatisfiable;
  }

  // Several If-Match tags: any one matching will do; several If-None-Match
  // tags: none may match.
  const bool match_holds = !if_match_sent || std::find(if_match.begin(), if_match.end(), "*") != if_match.end() ||
                           any_matches(if_match, etag, false);
  const bool unmodified_holds = !unmodified_since.at || modified <= *unmodified_since.at;
  if (!match_holds || !unmodified_holds) return BlobCondition::failed;

  const std::optional<bool> none_match_holds =
      if_none_match_sent ? std::optional<bool>(!any_matches(if_none_match, etag, true)) : std::nullopt;
  const std::optional<bool> modified_holds =
      modified_since.at ? std::optional<bool>(modified > *modified_since.at) : std::nullopt;
  if (!none_match_holds && !modified_holds) return BlobCondition::met;
  return none_match_holds.value_or(false) || modified_holds.value_or(false) ? BlobCondition::met
                                                                             : BlobCondition::not_modified;
}

}  // namespace graphfake::handlers
