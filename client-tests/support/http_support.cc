#include "support/http_support.h"

#include <zlib.h>

#include <stdexcept>

namespace graphfake::testing {

std::string gunzip(std::string_view compressed) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[16384];
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("not a complete gzip stream");
  return out;
}

std::vector<Json> json_lines(std::string_view text) {
  std::vector<Json> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) throw std::runtime_error("last line has no trailing newline");
    lines.push_back(Json::parse(text.substr(0, end)));
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string path_on(std::string_view origin, std::string_view url) {
  if (url.substr(0, origin.size()) != origin) {
    ADD_FAILURE() << "URL '" << url << "' is not on origin '" << origin << "'";
    return std::string(url);
  }
  return std::string(url.substr(origin.size()));
}

std::string blob_url(const Json& manifest, std::size_t index) {
  return manifest.at("rootDirectory").get<std::string>() + "/" +
         manifest.at("blobs").at(index).at("name").get<std::string>() + "?" +
         manifest.at("sasToken").get<std::string>();
}

Options FakeTest::options() {
  Options options;
  options.clock = clock_;
  // These tests pin the documentation's columns and values; the observed
  // default is held to real files by the data profile tests and DialectTest.
  options.dialect.data_profile = DataProfile::documented;
  return options;
}

void FakeTest::SetUp() {
  fake_ = std::make_unique<Server>(options());
  client_ = std::make_unique<httplib::Client>(fake_->base_url());
}

void FakeTest::TearDown() {
  client_.reset();
  fake_.reset();
}

httplib::Headers FakeTest::auth_headers(httplib::Headers extra) const {
  extra.emplace("Authorization", "Bearer " + token_);
  return extra;
}

httplib::Result FakeTest::post_json(const std::string& path, const std::string& body, httplib::Headers extra) {
  return client_->Post(path.c_str(), auth_headers(std::move(extra)), body, "application/json");
}

httplib::Result FakeTest::get(const std::string& url, httplib::Headers extra) {
  const std::string path = url.rfind("http", 0) == 0 ? path_on(fake_->base_url(), url) : url;
  return client_->Get(path.c_str(), auth_headers(std::move(extra)));
}

httplib::Result FakeTest::get_unauthenticated(const std::string& url, httplib::Headers extra) {
  const std::string path = url.rfind("http", 0) == 0 ? path_on(fake_->base_url(), url) : url;
  return client_->Get(path.c_str(), extra);
}

std::string FakeTest::start_export(const std::string& invoice_id, const std::string& attribute_set) {
  const Json body = {{"invoiceId", invoice_id}, {"attributeSet", attribute_set}};
  auto result = post_json(kBilledExportPath, body.dump());
  if (!result || result->status != 202) {
    ADD_FAILURE() << "export was not accepted: "
                  << (result ? std::to_string(result->status) + " " + result->body : "no response");
    return {};
  }
  return result->get_header_value("Location");
}

Json FakeTest::poll_to_completion(const std::string& location) {
  for (int poll = 0; poll < 100; ++poll) {
    auto result = get(location);
    if (!result || result->status != 200) {
      ADD_FAILURE() << "poll failed: " << (result ? std::to_string(result->status) + " " + result->body : "no response");
      return {};
    }
    Json body = Json::parse(result->body);
    if (body["status"] == "succeeded" || body["status"] == "failed") return body;
  }
  ADD_FAILURE() << "operation did not finish within 100 polls";
  return {};
}

}  // namespace graphfake::testing
