#include "namespaces/namespace_registry.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "domain/billing_service.h"
#include "domain/shared_bytes.h"
#include "scenario/scenario.h"
#include "graphfake/admin.h"
#include "graphfake/clock.h"
#include "unit_test_values.h"

namespace graphfake::namespaces {
namespace {

using domain::load_scenario_set;
using domain::SharedBytes;
using unit_test::billed;
using unit_test::t0;

using namespace std::chrono_literals;

template <typename Call>
AdminError admin_error(Call&& call) {
  try {
    call();
  } catch (const AdminError& error) {
    return error;
  }
  ADD_FAILURE() << "no AdminError was thrown";
  return AdminError(0, "", "");
}

std::string first_operation_id(FakeNamespace& fake) {
  return fake.service()->start_export(billed("G1"), {}, fake.now()).operation->id;
}

class NamespaceRegistryTest : public ::testing::Test {
 protected:
  Options options() {
    Options o;
    o.clock = clock_;
    return o;
  }

  std::shared_ptr<VirtualClock> clock_ = std::make_shared<VirtualClock>();
};

// --- create, find, names, remove ----------------------------------------------------

TEST_F(NamespaceRegistryTest, Create_MakesANamespaceThatFindReturns) {
  NamespaceRegistry registry(options());
  const auto created = registry.create("shard-1");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(registry.find("shard-1"), created);
}

TEST_F(NamespaceRegistryTest, Create_GivesANamespaceSeparateFromTheDefault) {
  NamespaceRegistry registry(options());
  const auto created = registry.create("a");
  EXPECT_NE(created.get(), &registry.default_namespace());
  EXPECT_NE(created->service(), registry.default_namespace().service());
  EXPECT_NE(created->journal(), registry.default_namespace().journal());
}

TEST_F(NamespaceRegistryTest, Find_AnUnknownNameIsNull) {
  NamespaceRegistry registry(options());
  registry.create("a");
  EXPECT_EQ(registry.find("b"), nullptr);
  EXPECT_EQ(registry.find(""), nullptr);
  EXPECT_EQ(registry.find("A"), nullptr);
}

TEST_F(NamespaceRegistryTest, Find_DefaultIsTheDefaultNamespace) {
  NamespaceRegistry registry(options());
  const auto found = registry.find("default");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found.get(), &registry.default_namespace());
}

TEST_F(NamespaceRegistryTest, Names_IsEmptyAtFirst) {
  NamespaceRegistry registry(options());
  EXPECT_EQ(registry.names(), std::vector<std::string>{});
}

TEST_F(NamespaceRegistryTest, Names_ListsTheNamedOnesSortedWithoutDefault) {
  NamespaceRegistry registry(options());
  registry.create("zeta");
  registry.create("alpha");
  registry.create("Mid.1_x");
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"Mid.1_x", "alpha", "zeta"}));
}

TEST_F(NamespaceRegistryTest, Remove_ForgetsTheNamespace) {
  NamespaceRegistry registry(options());
  registry.create("a");
  registry.create("b");
  registry.remove("a");
  EXPECT_EQ(registry.find("a"), nullptr);
  EXPECT_EQ(registry.names(), std::vector<std::string>{"b"});
}

TEST_F(NamespaceRegistryTest, Remove_ThenCreateAgainGivesAFreshNamespace) {
  NamespaceRegistry registry(options());
  const auto first = registry.create("a");
  first_operation_id(*first);
  registry.remove("a");
  const auto second = registry.create("a");
  EXPECT_NE(second, first);
  EXPECT_TRUE(second->service()->operations(second->now()).empty());
}

TEST_F(NamespaceRegistryTest, Remove_AnUnknownNameIs404NamespaceNotFound) {
  NamespaceRegistry registry(options());
  const auto error = admin_error([&] { registry.remove("nope"); });
  EXPECT_EQ(error.status(), 404);
  EXPECT_EQ(error.code(), "namespaceNotFound");
}

TEST_F(NamespaceRegistryTest, Remove_AHandleStillHeldKeepsWorking) {
  NamespaceRegistry registry(options());
  const auto held = registry.create("a");
  registry.remove("a");
  EXPECT_FALSE(first_operation_id(*held).empty());
}

// --- the default namespace ----------------------------------------------------------

TEST_F(NamespaceRegistryTest, CreateDefault_Is409AndChangesNothing) {
  NamespaceRegistry registry(options());
  const auto error = admin_error([&] { registry.create("default"); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "namespaceExists");
  EXPECT_EQ(registry.names(), std::vector<std::string>{});
  EXPECT_EQ(registry.find("default").get(), &registry.default_namespace());
}

TEST_F(NamespaceRegistryTest, RemoveDefault_Is400AndTheDefaultRemains) {
  NamespaceRegistry registry(options());
  const auto error = admin_error([&] { registry.remove("default"); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "defaultNamespace");
  EXPECT_EQ(registry.find("default").get(), &registry.default_namespace());
}

// --- names --------------------------------------------------------------------------

TEST_F(NamespaceRegistryTest, Create_AcceptsEveryAllowedCharacterAnd64Characters) {
  NamespaceRegistry registry(options());
  EXPECT_NE(registry.create("AZaz09._-"), nullptr);
  EXPECT_NE(registry.create("x"), nullptr);
  EXPECT_NE(registry.create(std::string(64, 'n')), nullptr);
  EXPECT_EQ(registry.names().size(), 3u);
}

TEST_F(NamespaceRegistryTest, Create_BadNamesAre400BadNamespaceName) {
  NamespaceRegistry registry(options());
  for (const std::string& name : {std::string(), std::string(65, 'n'), std::string("a/b"), std::string("a b"),
                                 std::string("/"), std::string(" "), std::string("a?b"), std::string("é"),
                                 std::string("."), std::string(".."), std::string("a\0b", 3)}) {
    SCOPED_TRACE("'" + name + "'");
    const auto error = admin_error([&] { registry.create(name); });
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.code(), "badNamespaceName");
  }
  EXPECT_EQ(registry.names(), std::vector<std::string>{});
}

TEST_F(NamespaceRegistryTest, Create_ALongBadNameIsQuotedByItsStartOnly) {
  NamespaceRegistry registry(options());
  const auto error = admin_error([&] { registry.create(std::string(100'000, 'n')); });
  EXPECT_STREQ(error.what(), ("'" + std::string(57, 'n') +
                              "...' cannot name a namespace: use 1 to 64 letters, digits, '.', '_' or '-', other "
                              "than '.' and '..'.")
                                 .c_str());
}

TEST_F(NamespaceRegistryTest, Create_ADuplicateIs409AndKeepsTheFirst) {
  NamespaceRegistry registry(options());
  const auto first = registry.create("a");
  const auto error = admin_error([&] { registry.create("a"); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "namespaceExists");
  EXPECT_EQ(registry.find("a"), first);
}

TEST_F(NamespaceRegistryTest, Create_NamesDifferingOnlyInCaseAreDifferentNamespaces) {
  NamespaceRegistry registry(options());
  const auto lower = registry.create("a");
  const auto upper = registry.create("A");
  EXPECT_NE(lower, upper);
}

// --- the cap ------------------------------------------------------------------------

TEST_F(NamespaceRegistryTest, Create_The257thIs409TooManyNamespaces) {
  NamespaceRegistry registry(options());
  for (std::size_t i = 0; i < NamespaceRegistry::kMaxNamespaces; ++i) registry.create("n" + std::to_string(i));
  EXPECT_EQ(registry.names().size(), 256u);
  const auto error = admin_error([&] { registry.create("one-too-many"); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "tooManyNamespaces");
  EXPECT_EQ(registry.find("one-too-many"), nullptr);
}

TEST_F(NamespaceRegistryTest, Create_AtTheCapSucceedsAgainOnceOneIsRemoved) {
  NamespaceRegistry registry(options());
  for (std::size_t i = 0; i < NamespaceRegistry::kMaxNamespaces; ++i) registry.create("n" + std::to_string(i));
  registry.remove("n7");
  EXPECT_NE(registry.create("replacement"), nullptr);
}

// --- ids ----------------------------------------------------------------------------

TEST_F(NamespaceRegistryTest, Ids_DifferFromTheDefaultsAndBetweenNamespaces) {
  NamespaceRegistry registry(options());
  const auto in_default = first_operation_id(registry.default_namespace());
  const auto in_a = first_operation_id(*registry.create("a"));
  const auto in_b = first_operation_id(*registry.create("b"));
  EXPECT_NE(in_a, in_default);
  EXPECT_NE(in_b, in_default);
  EXPECT_NE(in_a, in_b);
}

TEST_F(NamespaceRegistryTest, Ids_AreTheSameForTheSameNameAndSeed) {
  NamespaceRegistry one(options());
  NamespaceRegistry two(options());
  EXPECT_EQ(first_operation_id(*one.create("a")), first_operation_id(*two.create("a")));
}

TEST_F(NamespaceRegistryTest, Ids_FollowTheSeed) {
  auto other = options();
  other.seed = 2;
  NamespaceRegistry one(options());
  NamespaceRegistry two(other);
  EXPECT_NE(first_operation_id(*one.create("a")), first_operation_id(*two.create("a")));
}

// --- clocks -------------------------------------------------------------------------

TEST_F(NamespaceRegistryTest, Clock_AManualVirtualDefaultGivesANamespaceItsOwnVirtualClock) {
  NamespaceRegistry registry(options());
  const auto created = registry.create("a");
  const auto* clock = dynamic_cast<const VirtualClock*>(created->options().clock.get());
  ASSERT_NE(clock, nullptr);
  EXPECT_NE(created->options().clock, clock_);
  EXPECT_EQ(clock->mode(), VirtualClock::Mode::manual);
}

TEST_F(NamespaceRegistryTest, Clock_ANamespaceStartsAtTheDefaultsStartEvenAfterTheDefaultAdvanced) {
  NamespaceRegistry registry(options());
  clock_->advance(1h);
  registry.default_namespace().advance_clock(5min);
  const auto created = registry.create("a");
  EXPECT_EQ(created->now(), t0);
  EXPECT_EQ(registry.default_namespace().now(), t0 + 1h + 5min);
}

TEST_F(NamespaceRegistryTest, Clock_ANamespaceStartsAtTheDefaultsStartWhenThatIsNotTheDefaultStart) {
  const TimePoint start = t0 + 24h * 40 + 123ms;
  clock_->set(start);
  NamespaceRegistry registry(options());
  clock_->advance(3h);
  EXPECT_EQ(registry.create("a")->now(), start);
}

TEST_F(NamespaceRegistryTest, Clock_AdvancingANamespaceDoesNotMoveTheDefault) {
  NamespaceRegistry registry(options());
  const auto created = registry.create("a");
  created->advance_clock(10min);
  EXPECT_EQ(created->now(), t0 + 10min);
  EXPECT_EQ(registry.default_namespace().now(), t0);
  EXPECT_EQ(clock_->now(), t0);
}

TEST_F(NamespaceRegistryTest, Clock_AdvancingTheDefaultDoesNotMoveANamespace) {
  NamespaceRegistry registry(options());
  const auto created = registry.create("a");
  clock_->advance(2h);
  registry.default_namespace().advance_clock(1min);
  EXPECT_EQ(created->now(), t0);
}

TEST_F(NamespaceRegistryTest, Clock_AdvancingOneNamespaceDoesNotMoveAnother) {
  NamespaceRegistry registry(options());
  const auto a = registry.create("a");
  const auto b = registry.create("b");
  a->advance_clock(7s);
  b->set_clock(t0 + 1h);
  EXPECT_EQ(a->now(), t0 + 7s);
  EXPECT_EQ(b->now(), t0 + 1h);
}

TEST_F(NamespaceRegistryTest, Clock_AnAutoAdvancingDefaultGivesAnAutoAdvancingClock) {
  auto o = options();
  o.clock = std::make_shared<VirtualClock>(t0, VirtualClock::Mode::auto_advance);
  NamespaceRegistry registry(o);
  const auto created = registry.create("a");
  const auto* clock = dynamic_cast<const VirtualClock*>(created->options().clock.get());
  ASSERT_NE(clock, nullptr);
  EXPECT_EQ(clock->mode(), VirtualClock::Mode::auto_advance);
  EXPECT_NE(created->options().clock, o.clock);
}

TEST_F(NamespaceRegistryTest, Clock_TheSystemClockGivesANamespaceASystemClock) {
  NamespaceRegistry registry(Options{});
  const auto created = registry.create("a");
  EXPECT_NE(dynamic_cast<const SystemClock*>(created->options().clock.get()), nullptr);
  const auto error = admin_error([&] { created->advance_clock(1s); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "clockNotVirtual");
}

TEST_F(NamespaceRegistryTest, Clock_ResettingANamespaceTakesItsClockBackToItsStart) {
  NamespaceRegistry registry(options());
  clock_->advance(1h);
  const auto created = registry.create("a");
  created->advance_clock(30min);
  created->reset();
  EXPECT_EQ(created->now(), t0);
  EXPECT_EQ(clock_->now(), t0 + 1h);
}

// --- scenarios ----------------------------------------------------------------------

class NamespaceRegistryScenarioTest : public NamespaceRegistryTest {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "graphfake-ns-unit-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::ofstream(dir_ / "start.json") << R"({"rules": [{"name": "from the start"}]})";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Options options() {
    auto o = NamespaceRegistryTest::options();
    o.scenario_paths = {(dir_ / "start.json").string()};
    return o;
  }

  static std::vector<std::string> rule_names(const FakeNamespace& fake) {
    std::vector<std::string> names;
    for (const auto& file : fake.service()->scenario_files()) {
      for (const auto& rule : file.rules) names.push_back(rule);
    }
    return names;
  }

  std::filesystem::path dir_;
};

TEST_F(NamespaceRegistryScenarioTest, ANamespaceStartsWithTheDefaultsInitialScenarioFiles) {
  NamespaceRegistry registry(options());
  EXPECT_EQ(rule_names(*registry.create("a")), std::vector<std::string>{"from the start"});
}

TEST_F(NamespaceRegistryScenarioTest, FilesLoadedIntoTheDefaultLaterAreNotInNewNamespaces) {
  NamespaceRegistry registry(options());
  const auto o = options();
  registry.default_namespace().load_scenarios(
      load_scenario_set(std::vector<ScenarioSource>{{"later.json", R"({"rules": [{"name": "later"}]})"}}, o),
      Admin::Load::replace);
  EXPECT_EQ(rule_names(registry.default_namespace()), std::vector<std::string>{"later"});
  EXPECT_EQ(rule_names(*registry.create("a")), std::vector<std::string>{"from the start"});
}

TEST_F(NamespaceRegistryScenarioTest, FilesLoadedIntoANamespaceStayInIt) {
  NamespaceRegistry registry(options());
  const auto a = registry.create("a");
  const auto b = registry.create("b");
  a->load_scenarios(
      load_scenario_set(std::vector<ScenarioSource>{{"mine.json", R"({"rules": [{"name": "mine"}]})"}}, options()),
      Admin::Load::append);
  EXPECT_EQ(rule_names(*a), (std::vector<std::string>{"from the start", "mine"}));
  EXPECT_EQ(rule_names(*b), std::vector<std::string>{"from the start"});
  EXPECT_EQ(rule_names(registry.default_namespace()), std::vector<std::string>{"from the start"});
}

TEST_F(NamespaceRegistryScenarioTest, AFileNamedAsOneLoadedIsNotAppended) {
  NamespaceRegistry registry(options());
  auto& fake = registry.default_namespace();
  const auto mine = [&] {
    return load_scenario_set(std::vector<ScenarioSource>{{"mine.json", R"({"rules": [{"name": "mine"}]})"}},
                             options());
  };
  fake.load_scenarios(mine(), Admin::Load::append);
  const auto error = admin_error([&] { fake.load_scenarios(mine(), Admin::Load::append); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "scenarioFileLoaded");
  EXPECT_EQ(rule_names(fake), (std::vector<std::string>{"from the start", "mine"}));
}

TEST_F(NamespaceRegistryScenarioTest, AFileNamedAsOneLoadedReplacesThem) {
  NamespaceRegistry registry(options());
  auto& fake = registry.default_namespace();
  fake.load_scenarios(
      load_scenario_set(std::vector<ScenarioSource>{{"start.json", R"({"rules": [{"name": "again"}]})"}}, options()),
      Admin::Load::replace);
  EXPECT_EQ(rule_names(fake), std::vector<std::string>{"again"});
}

// --- what the rules in force may hold -----------------------------------------------

// `count` rules matching invoices by a regex each, as one file named
// `name`: rule i of "a.json" takes invoice "a.json-i".
scenario::ScenarioSet regex_rules(const std::string& name, int count) {
  std::string rules;
  for (int i = 0; i < count; ++i) {
    rules += std::string(i == 0 ? "" : ",") + R"({"match": {"invoiceId": {"regex": ")" + name + "-" +
             std::to_string(i) + R"("}}})";
  }
  return load_scenario_set(std::vector<ScenarioSource>{{name, R"({"rules": [)" + rules + "]}"}}, Options{});
}

TEST_F(NamespaceRegistryTest, AnAppendPastTheRegexesOneNamespaceMayHoldIs400SayingToReplace) {
  NamespaceRegistry registry(options());
  auto& fake = registry.default_namespace();
  fake.load_scenarios(regex_rules("a.json", 600), Admin::Load::append);
  const auto error = admin_error([&] { fake.load_scenarios(regex_rules("b.json", 600), Admin::Load::append); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "scenarioLimitReached");
  EXPECT_NE(std::string(error.what()).find("1200 regular expressions, more than the 1000"), std::string::npos)
      << error.what();
  EXPECT_NE(std::string(error.what()).find("PUT /_graphfake/scenarios"), std::string::npos) << error.what();
  EXPECT_EQ(fake.service()->scenario_footprint().regexes, 600u);
}

TEST_F(NamespaceRegistryTest, AppendsUpToTheLimitsAreKept) {
  NamespaceRegistry registry(options());
  auto& fake = registry.default_namespace();
  fake.load_scenarios(regex_rules("a.json", 500), Admin::Load::append);
  fake.load_scenarios(regex_rules("b.json", 500), Admin::Load::append);
  EXPECT_EQ(fake.service()->scenario_footprint().regexes, 1000u);
  EXPECT_EQ(fake.service()->start_export(billed("b.json-499"), {}, fake.now()).scenario_rule, "b.json: rule 499");
}

TEST_F(NamespaceRegistryTest, AReplaceIsHeldToOneLoadsLimitsWhateverWasLoadedBefore) {
  NamespaceRegistry registry(options());
  auto& fake = registry.default_namespace();
  fake.load_scenarios(regex_rules("a.json", 600), Admin::Load::append);
  fake.load_scenarios(regex_rules("b.json", 600), Admin::Load::replace);
  EXPECT_EQ(fake.service()->scenario_footprint().regexes, 600u);
}

TEST_F(NamespaceRegistryTest, FilesLoadedInEveryNamespaceDrawOnWhatTheServerMayHold) {
  auto shared = FakeNamespace::Shared::for_options(options());
  const auto one_file = scenario::footprint(regex_rules("a.json", 3)).bytes;
  shared.scenarios = std::make_shared<SharedBytes>(one_file + one_file / 2);
  FakeNamespace first(options(), {}, shared);
  FakeNamespace second(options(), {}, shared);
  first.load_scenarios(regex_rules("a.json", 3), Admin::Load::replace);
  const auto error = admin_error([&] { second.load_scenarios(regex_rules("a.json", 3), Admin::Load::replace); });
  EXPECT_EQ(error.status(), 409);
  EXPECT_EQ(error.code(), "serverScenarioLimitReached");
  first.reset();
  second.load_scenarios(regex_rules("a.json", 3), Admin::Load::replace);
  EXPECT_EQ(shared.scenarios->used(), one_file);
}

TEST_F(NamespaceRegistryTest, ADeletedNamespaceGivesBackWhatItsFilesHeld) {
  NamespaceRegistry registry(options());
  const auto& scenarios = registry.default_namespace().shared().scenarios;
  registry.create("a")->load_scenarios(regex_rules("a.json", 3), Admin::Load::replace);
  EXPECT_GT(scenarios->used(), 0u);
  registry.remove("a");
  EXPECT_EQ(scenarios->used(), 0u);
}

TEST(SharedBytes, AnExchangePastTheCapacityChangesNothing) {
  SharedBytes bytes(100);
  EXPECT_TRUE(bytes.exchange(0, 60));
  EXPECT_FALSE(bytes.exchange(0, 41));
  EXPECT_EQ(bytes.used(), 60u);
  EXPECT_TRUE(bytes.exchange(60, 100));
  bytes.release(100);
  EXPECT_EQ(bytes.used(), 0u);
}

TEST_F(NamespaceRegistryTest, SettingTheClockBeforeTheEpochIs400) {
  NamespaceRegistry registry(options());
  const auto error = admin_error([&] { registry.default_namespace().set_clock(TimePoint{} - 1s); });
  EXPECT_EQ(error.status(), 400);
  EXPECT_EQ(error.code(), "badClockMove");
  EXPECT_EQ(clock_->now(), VirtualClock::default_start());
}

// --- the journals' bytes --------------------------------------------------------------

TEST_F(NamespaceRegistryTest, EveryNamespacesJournalDrawsOnTheServersJournalBytes) {
  auto o = options();
  o.journal_byte_capacity = 64 * 1024;
  NamespaceRegistry registry(o);
  const auto a = registry.create("a");
  const auto b = registry.create("b");
  for (int i = 0; i < 100; ++i) {
    for (const auto& fake : {a, b}) {
      JournalEntry entry;
      entry.request_body = std::string(4096, 'x');
      fake->journal()->record(std::move(entry));
    }
  }
  const auto& space = *registry.default_namespace().shared().journal;
  EXPECT_EQ(space.byte_capacity(), 64u * 1024);
  EXPECT_LE(a->journal()->bytes() + b->journal()->bytes(), 64u * 1024);
  EXPECT_GT(a->journal()->dropped(), 0u);
  EXPECT_GT(b->journal()->dropped(), 0u);
}

// --- stop -------------------------------------------------------------------------

// On the system clock a scripted delay really waits; once the registry has
// stopped, a namespace created afterwards must not wait either.
TEST(NamespaceRegistryStop, ANamespaceCreatedAfterStopDoesNotWaitOutADelay) {
  NamespaceRegistry registry(Options{});
  registry.stop();
  const auto late = registry.create("late");
  late->load_scenarios(load_scenario_set(std::vector<ScenarioSource>{{"slow.json", R"({"rules": [{"name": "slow",
                           "faults": [{"on": "export", "delay": "5s"}]}]})"}},
                                         Options{}),
                       Admin::Load::replace);
  const auto started = std::chrono::steady_clock::now();
  const auto start = late->service()->start_export(billed("G1"), {}, late->now());
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(start.operation.has_value());
  EXPECT_LT(waited, 2s);
}

// The control for the test above: the same kind of rule does hold back an
// export in a registry that has not stopped.
TEST(NamespaceRegistryStop, ANamespaceOfARegistryNotStoppedWaitsOutADelay) {
  NamespaceRegistry registry(Options{});
  const auto created = registry.create("a");
  created->load_scenarios(load_scenario_set(std::vector<ScenarioSource>{{"slow.json", R"({"rules": [{"name": "slow",
                              "faults": [{"on": "export", "delay": "200ms"}]}]})"}},
                                            Options{}),
                          Admin::Load::replace);
  const auto started = std::chrono::steady_clock::now();
  created->service()->start_export(billed("G1"), {}, created->now());
  EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

// --- concurrency (run under ThreadSanitizer in CI) ----------------------------------

TEST(NamespaceRegistry, ConcurrentCreatesFindsAndRemoves_LeaveExactlyTheSurvivors) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 40;
  NamespaceRegistry registry(Options{.clock = std::make_shared<VirtualClock>()});
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const auto name = "t" + std::to_string(t) + "-" + std::to_string(i);
        const auto created = registry.create(name);
        created->service()->start_export(billed("G" + std::to_string(i)), {}, created->now());
        EXPECT_EQ(registry.find(name), created);
        (void)registry.names();
        // Every other one goes again, so removals race creations and listings.
        if (i % 2 == 1) registry.remove(name);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto names = registry.names();
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kThreads * kPerThread / 2));
  for (const auto& name : names) EXPECT_EQ(registry.find(name)->service()->operations(t0).size(), 1u) << name;
}

TEST(NamespaceRegistry, ConcurrentCreatesOfOneName_ExactlyOneSucceeds) {
  constexpr int kThreads = 4;
  NamespaceRegistry registry(Options{.clock = std::make_shared<VirtualClock>()});
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      try {
        registry.create("shared");
        created += 1;
      } catch (const AdminError& error) {
        if (error.status() == 409) refused += 1;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(registry.names(), std::vector<std::string>{"shared"});
}

}  // namespace
}  // namespace graphfake::namespaces
