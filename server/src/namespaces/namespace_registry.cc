#include "namespaces/namespace_registry.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/excerpt.h"
#include "core/ids.h"
#include "domain/client_report.h"

namespace graphfake::namespaces {
namespace {

// "." and ".." are dot-segments, which URL clients remove from a path
// (RFC 3986, section 5.2.4) before a request could reach /_ns/{name}/.
bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
         });
}

}  // namespace

NamespaceRegistry::NamespaceRegistry(Options options)
    : default_(std::make_shared<FakeNamespace>(std::move(options))) {}

std::shared_ptr<FakeNamespace> NamespaceRegistry::find(std::string_view name) const {
  if (name == kDefaultName) return default_;
  std::lock_guard lock(mutex_);
  const auto it = named_.find(name);
  return it == named_.end() ? nullptr : it->second;
}

std::shared_ptr<FakeNamespace> NamespaceRegistry::create(const std::string& name) {
  if (!valid_name(name)) {
    throw AdminError(400, "badNamespaceName",
                     fmt::format("'{}' cannot name a namespace: use 1 to 64 letters, digits, '.', '_' or '-', "
                                 "other than '.' and '..'.",
                                 core::text_excerpt(name)));
  }
  if (name == kDefaultName) {
    throw AdminError(409, "namespaceExists", "The default namespace always exists.");
  }
  // Ids of its own, still from the seed: the same name gives the same ids
  // run after run, and an id from one namespace is unknown in the others.
  Options options = default_->options();
  options.seed = core::hash64("namespace:" + name, options.seed);
  options.clock = default_->fresh_clock();

  std::lock_guard lock(mutex_);
  if (named_.contains(name)) {
    throw AdminError(409, "namespaceExists", fmt::format("The namespace '{}' exists already.", name));
  }
  if (named_.size() >= kMaxNamespaces) {
    throw AdminError(409, "tooManyNamespaces",
                     fmt::format("The fake holds {} namespaces, as many as it takes; delete some first.",
                                 kMaxNamespaces));
  }
  auto created = std::make_shared<FakeNamespace>(std::move(options), default_->initial_scenarios(), default_->shared());
  if (stopping_) created->stop();
  named_.emplace(name, created);
  return created;
}

ClientReport NamespaceRegistry::remove(std::string_view name) {
  if (name == kDefaultName) {
    throw AdminError(400, "defaultNamespace", "The default namespace cannot be deleted; reset it instead.");
  }
  std::shared_ptr<FakeNamespace> removed;
  {
    std::lock_guard lock(mutex_);
    const auto it = named_.find(name);
    if (it == named_.end()) {
      throw AdminError(404, "namespaceNotFound", fmt::format("There is no namespace '{}'.", core::text_excerpt(name)));
    }
    removed = std::move(it->second);
    named_.erase(it);
  }
  // Requests it holds back answer now rather than keep a deleted namespace busy.
  removed->stop_holding();
  auto report = client_report(*removed->journal());
  std::lock_guard lock(mutex_);
  retired_.push_back(Retired{std::string(name), report});
  retired_operations_ += report.operations.size();
  // The latest report stays whatever its size.
  while (retired_.size() > 1 &&
         (retired_.size() > kMaxRetired || retired_operations_ > kMaxRetiredOperations)) {
    retired_operations_ -= retired_.front().report.operations.size();
    retired_.pop_front();
  }
  return report;
}

std::vector<NamespaceRegistry::Retired> NamespaceRegistry::retired() const {
  std::lock_guard lock(mutex_);
  return {retired_.begin(), retired_.end()};
}

std::vector<std::string> NamespaceRegistry::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, fake] : named_) names.push_back(name);
  return names;
}

void NamespaceRegistry::stop() {
  default_->stop();
  std::lock_guard lock(mutex_);
  stopping_ = true;
  for (const auto& [name, fake] : named_) fake->stop();
}

}  // namespace graphfake::namespaces
