#include "http/request_head.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/excerpt.h"
#include "core/strings.h"

namespace graphfake::http {
namespace {

// RFC 9110, section 5.6.2: the characters of a method or a field name.
bool is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const unsigned char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The lines of a head, each without its CRLF (or bare LF).
class Lines {
 public:
  explicit Lines(std::string_view head) : rest_(head) {}

  std::optional<std::string_view> next() {
    if (rest_.empty()) return std::nullopt;
    const auto end = rest_.find('\n');
    std::string_view line = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }

 private:
  std::string_view rest_;
};

RequestProblem bad_request(std::string reason) { return RequestProblem{400, std::move(reason)}; }

std::optional<RequestProblem> read_target(std::string_view target, const HeadLimits& limits, Request& request) {
  if (target.size() > limits.max_target_bytes) {
    // Enough of the path for the answer to take the format of its route.
    const auto kept = target.substr(0, std::min(target.find('?'), limits.max_target_bytes));
    request.path = percent_decode(kept, false);
    return RequestProblem{414, fmt::format("the request target is {} bytes long; the limit is {}", target.size(),
                                           limits.max_target_bytes)};
  }
  const auto unreadable =
      std::find_if(target.begin(), target.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; });
  if (unreadable != target.end()) {
    // The path before it, for the answer to take the format of its route.
    const auto readable = target.substr(0, static_cast<std::size_t>(unreadable - target.begin()));
    request.path = percent_decode(readable.substr(0, readable.find('?')), false);
    return bad_request("the request target has a control character or a space");
  }
  request.target = std::string(target);
  std::string_view origin_form = target;
  // Absolute form (RFC 9112, section 3.2.2), which proxies send: the path is what
  // follows the authority.
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (target.size() >= scheme.size() && core::iequals(target.substr(0, scheme.size()), scheme)) {
      const auto path_start = target.find_first_of("/?", scheme.size());
      origin_form = path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
      if (!origin_form.empty() && origin_form.front() == '?') {
        request.target = "/" + std::string(origin_form);
        origin_form = request.target;
      } else {
        request.target = std::string(origin_form);
      }
      break;
    }
  }
  if (origin_form == "*") {
    // Not `= "*"`: GCC 12 at -O3 reports a false -Wstringop-overflow for that assignment here.
    request.path = std::string(origin_form);
    return std::nullopt;
  }
  if (origin_form.empty() || origin_form.front() != '/') {
    return bad_request("the request target is neither a path nor an absolute URL");
  }
  const auto question = origin_form.find('?');
  request.path = percent_decode(origin_form.substr(0, question), false);
  if (question == std::string_view::npos) return std::nullopt;
  request.query = std::string(origin_form.substr(question + 1));
  std::string_view query = request.query;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    request.params.emplace(percent_decode(pair.substr(0, equals), true),
                           equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1), true));
  }
  return std::nullopt;
}

std::optional<RequestProblem> read_request_line(std::string_view line, const HeadLimits& limits, Request& request) {
  const auto first_space = line.find(' ');
  const auto last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || first_space == last_space) {
    return bad_request("the request line is not 'METHOD target HTTP/1.1'");
  }
  const auto method = line.substr(0, first_space);
  if (!is_token(method)) return bad_request("the request method is not a token");
  request.method = std::string(method);
  if (auto problem = read_target(line.substr(first_space + 1, last_space - first_space - 1), limits, request)) {
    return problem;
  }
  const auto version = line.substr(last_space + 1);
  if (version == "HTTP/1.1") return std::nullopt;
  if (version == "HTTP/1.0") {
    request.minor_version = 0;
    return std::nullopt;
  }
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.' && digit(version[5]) &&
      digit(version[7])) {
    return RequestProblem{505, fmt::format("HTTP version {} is not supported; send HTTP/1.1", version)};
  }
  return bad_request("the request line does not end in an HTTP version");
}

std::optional<RequestProblem> read_field(std::string_view line, Request& request) {
  if (line.front() == ' ' || line.front() == '\t') {
    return bad_request("a header field is folded over lines (obsolete line folding)");
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bad_request("a header line has no ':'");
  const auto name = line.substr(0, colon);
  if (!is_token(name)) return bad_request("a header field name is empty or has a character a name cannot have");
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  for (const unsigned char c : value) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      return bad_request(fmt::format("the value of header '{}' has a control character", core::text_excerpt(name)));
    }
  }
  request.headers.emplace_back(std::string(name), std::string(value));
  return std::nullopt;
}

// A port: one to five digits, at most 65535.
bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value <= 65535;
}

// RFC 3986, section 3.2.2: a bracketed IPv6 address (hex digits, ':' and '.'), or a
// name or IPv4 address of unreserved, sub-delimiter and '%' characters, at
// most 253 bytes as a DNS name is; then an optional port.
bool valid_host(std::string_view host) {
  std::string_view port;
  bool has_port = false;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (const char c : host.substr(1, close - 1)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    }
    const auto rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    const auto colon = host.find(':');
    if (colon != std::string_view::npos) {
      has_port = true;
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    if (host.empty() || host.size() > 253) return false;
    for (const char c : host) {
      const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::strchr("-._~%!$&'()*+,;=", c) != nullptr;
      if (!allowed) return false;
    }
  }
  return !has_port || valid_port(port);
}

// RFC 9112, section 3.2: an HTTP/1.1 request has exactly one Host, and its value is
// a host with an optional port. The fake renders it into every URL it
// answers with, so it must be one a client can parse back.
std::optional<RequestProblem> host_problem(const Request& request) {
  const std::string* host = nullptr;
  for (const auto& [name, value] : request.headers) {
    if (!core::iequals(name, "Host")) continue;
    if (host != nullptr) return bad_request("the request has more than one Host header");
    host = &value;
  }
  if (host == nullptr) {
    if (request.minor_version == 1) return bad_request("an HTTP/1.1 request needs a Host header");
    return std::nullopt;
  }
  if (!valid_host(*host)) {
    return bad_request(fmt::format("the Host header '{}' is not a host and port", core::text_excerpt(*host)));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> HeadScanner::scan(std::string_view buffered) {
  while (line_start_ < buffered.size()) {
    const void* newline = std::memchr(buffered.data() + line_start_, '\n', buffered.size() - line_start_);
    if (newline == nullptr) return std::nullopt;
    const auto end = static_cast<std::size_t>(static_cast<const char*>(newline) - buffered.data());
    const bool empty = end == line_start_ || (end == line_start_ + 1 && buffered[line_start_] == '\r');
    line_start_ = end + 1;
    if (!empty) {
      request_line_seen_ = true;
    } else if (request_line_seen_) {
      return line_start_;
    }
  }
  return std::nullopt;
}

std::optional<RequestProblem> HeadScanner::too_long(std::string_view buffered, const HeadLimits& limits) const {
  // "METHOD " and " HTTP/1.1\r\n" around the target, with room for a long method.
  constexpr std::size_t kRequestLineOverhead = 64;
  if (!request_line_seen_ && buffered.size() - line_start_ > limits.max_target_bytes + kRequestLineOverhead) {
    return RequestProblem{414, fmt::format("the request line is longer than the {} bytes a target may have",
                                           limits.max_target_bytes)};
  }
  if (buffered.size() > limits.max_head_bytes) {
    return RequestProblem{431, fmt::format("the request head is longer than {} bytes", limits.max_head_bytes)};
  }
  return std::nullopt;
}

ParsedHead parse_request_head(std::string_view head, const HeadLimits& limits) {
  ParsedHead parsed;
  auto& request = parsed.request;
  if (head.size() > limits.max_head_bytes) {
    parsed.problem = RequestProblem{431, fmt::format("the request head is longer than {} bytes", limits.max_head_bytes)};
  }
  if (head.find('\0') != std::string_view::npos) {
    parsed.problem = bad_request("the request head has a NUL byte");
    return parsed;
  }
  Lines lines(head);
  std::optional<std::string_view> line;
  while ((line = lines.next()) && line->empty()) {
  }
  if (!line) {
    parsed.problem = bad_request("the request has no request line");
    return parsed;
  }
  if (auto problem = read_request_line(*line, limits, request)) {
    parsed.problem = std::move(problem);
    return parsed;
  }
  if (parsed.problem) return parsed;
  std::size_t fields = 0;
  while ((line = lines.next()) && !line->empty()) {
    if (line->find('\r') != std::string_view::npos) {
      parsed.problem = bad_request("a header line has a carriage return inside it");
      return parsed;
    }
    if (++fields > limits.max_header_fields) {
      parsed.problem = RequestProblem{431, fmt::format("the request has more than {} header fields",
                                                       limits.max_header_fields)};
      return parsed;
    }
    if (auto problem = read_field(*line, request)) {
      parsed.problem = std::move(problem);
      return parsed;
    }
  }
  parsed.problem = host_problem(request);
  return parsed;
}

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return out;
}

}  // namespace graphfake::http
