#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "namespaces/fake_namespace.h"
#include "graphfake/report.h"

namespace graphfake::namespaces {

// The fakes one server hosts: the default namespace, and named ones that
// tests sharing the server create for themselves. Each named namespace
// starts as the default one started (its scenario files, a clock of the
// same kind at the same start) with ids of its own, and shares nothing
// with the others afterwards.
class NamespaceRegistry {
 public:
  static constexpr std::string_view kDefaultName = "default";
  static constexpr std::size_t kMaxNamespaces = 256;
  static constexpr std::size_t kMaxRetired = 1024;
  // The kept reports together describe at most this many operations: past
  // it the oldest reports go, so a few huge ones cannot hold memory.
  static constexpr std::size_t kMaxRetiredOperations = 100'000;

  // Throws as FakeNamespace does.
  explicit NamespaceRegistry(Options options);

  FakeNamespace& default_namespace() const { return *default_; }
  // "default" names the default namespace; nullptr when there is no such
  // namespace.
  std::shared_ptr<FakeNamespace> find(std::string_view name) const;

  // Throws AdminError: 400 for a name that is not 1-64 of [A-Za-z0-9._-]
  // or is "." or "..", 409 when it exists (or is "default") or the server
  // holds kMaxNamespaces already. The new namespace draws from what the
  // default one shares (FakeNamespace::Shared).
  std::shared_ptr<FakeNamespace> create(const std::string& name);
  // Throws AdminError: 404 when there is no such namespace, 400 for
  // "default", which always exists. Requests in flight in it finish.
  // Returns the namespace's client report, which is also kept (the latest
  // kMaxRetired of them, within kMaxRetiredOperations): tests sharing a
  // server delete their namespace when done, and what their clients did
  // must outlive it.
  ClientReport remove(std::string_view name);
  std::vector<std::string> names() const;  // the named ones, sorted

  struct Retired {
    std::string name;
    ClientReport report;
  };
  std::vector<Retired> retired() const;  // in the order they were deleted

  // Stops every namespace's service, and any created later
  // (BillingService::stop).
  void stop();

 private:
  std::shared_ptr<FakeNamespace> default_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<FakeNamespace>, std::less<>> named_;
  std::deque<Retired> retired_;
  std::size_t retired_operations_ = 0;  // in retired_'s reports
  bool stopping_ = false;
};

}  // namespace graphfake::namespaces
