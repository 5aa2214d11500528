#include "admin/scenario_paths.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "graphfake/scenarios.h"

namespace graphfake::admin {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRule = R"({"rules": [{"name": "fails", "timeline": [{"status": "failed"}]}]})";

// A scenario root with files in it, and a directory beside it that paths
// must not reach.
class ConfinedScenarios : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    base_ = fs::temp_directory_path() /
            (std::string("graphfake-scenario_paths_test-") + info->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(root_ = base_ / "root");
    fs::create_directories(outside_ = base_ / "outside");
  }

  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(base_, ignored);
  }

  static std::string write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  std::vector<ScenarioSource> read(const std::vector<std::string>& paths) const {
    return read_confined_scenarios(paths, root_.string());
  }

  fs::path base_;
  fs::path root_;
  fs::path outside_;
};

AdminError admin_error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const AdminError& error) {
    return error;
  }
  ADD_FAILURE() << "no AdminError";
  return AdminError(0, "", "");
}

std::vector<std::string> scenario_errors_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const ScenarioError& error) {
    return error.errors();
  }
  ADD_FAILURE() << "no ScenarioError";
  return {};
}

std::vector<std::string> names_of(const std::vector<ScenarioSource>& sources) {
  std::vector<std::string> names;
  for (const auto& source : sources) names.push_back(source.name);
  return names;
}

TEST_F(ConfinedScenarios, WithoutARootEveryPathIsRefused403AlikeWhetherOrNotItExists) {
  const auto existing = write(outside_ / "secret.json", kRule);
  const auto missing = (outside_ / "missing.json").string();
  const auto for_existing = admin_error_of([&] { read_confined_scenarios({existing}, ""); });
  const auto for_missing = admin_error_of([&] { read_confined_scenarios({missing}, ""); });
  EXPECT_EQ(for_existing.status(), 403);
  EXPECT_EQ(for_existing.code(), "scenarioPathsDisabled");
  EXPECT_EQ(std::string(for_existing.what()), std::string(for_missing.what()));
  EXPECT_EQ(std::string(for_existing.what()).find("secret"), std::string::npos) << for_existing.what();
}

TEST_F(ConfinedScenarios, ARelativePathInsideTheRootIsRead) {
  write(root_ / "fails.json", kRule);
  const auto sources = read({"fails.json"});
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].name, "fails.json");
  EXPECT_EQ(sources[0].text, kRule);
}

TEST_F(ConfinedScenarios, AnAbsolutePathInsideTheRootIsRead) {
  const auto path = write(root_ / "sub" / "fails.json", kRule);
  EXPECT_EQ(names_of(read({path})), std::vector<std::string>{path});
}

TEST_F(ConfinedScenarios, ADirectoryInsideTheRootGivesItsJsonFilesInOrder) {
  write(root_ / "set" / "b.json", kRule);
  write(root_ / "set" / "a.json", kRule);
  write(root_ / "set" / "notes.txt", "not a scenario");
  EXPECT_EQ(names_of(read({"set"})), (std::vector<std::string>{"set/a.json", "set/b.json"}));
}

TEST_F(ConfinedScenarios, DotDotLeadingOutIsRefused403WhetherOrNotTheFileExists) {
  write(outside_ / "secret.json", kRule);
  const auto for_existing = admin_error_of([&] { read({"../outside/secret.json"}); });
  const auto for_missing = admin_error_of([&] { read({"../outside/missing.json"}); });
  EXPECT_EQ(for_existing.status(), 403);
  EXPECT_EQ(for_existing.code(), "scenarioPathOutsideRoot");
  EXPECT_EQ(std::string(for_existing.what()), std::string(for_missing.what()));
}

TEST_F(ConfinedScenarios, AnAbsolutePathOutsideTheRootIsRefused) {
  EXPECT_EQ(admin_error_of([&] { read({"/etc/shadow"}); }).status(), 403);
}

TEST_F(ConfinedScenarios, DotDotThatStaysInsideIsRead) {
  write(root_ / "fails.json", kRule);
  EXPECT_EQ(read({"sub/../fails.json"}).size(), 1u);
}

TEST_F(ConfinedScenarios, ASymbolicLinkLeadingOutIsRefused) {
  const auto secret = write(outside_ / "secret.json", kRule);
  fs::create_symlink(secret, root_ / "link.json");
  EXPECT_EQ(admin_error_of([&] { read({"link.json"}); }).code(), "scenarioPathOutsideRoot");
}

TEST_F(ConfinedScenarios, ALinkedDirectoryLeadingOutIsRefused) {
  write(outside_ / "secret.json", kRule);
  fs::create_directory_symlink(outside_, root_ / "elsewhere");
  EXPECT_EQ(admin_error_of([&] { read({"elsewhere/secret.json"}); }).status(), 403);
  EXPECT_EQ(admin_error_of([&] { read({"elsewhere"}); }).status(), 403);
}

TEST_F(ConfinedScenarios, ALinkToAMissingFileOutsideIsRefusedNotReportedMissing) {
  fs::create_symlink(outside_ / "missing.json", root_ / "dangling.json");
  EXPECT_EQ(admin_error_of([&] { read({"dangling.json"}); }).status(), 403);
}

// The link is inside the root, and the error says nothing of where it leads.
TEST_F(ConfinedScenarios, ALinkInADirectoryLeadingOutIsAnErrorNamingTheLink) {
  write(root_ / "set" / "a.json", kRule);
  fs::create_symlink(write(outside_ / "secret.json", kRule), root_ / "set" / "b.json");
  EXPECT_EQ(scenario_errors_of([&] { read({"set"}); }),
            std::vector<std::string>{"set/b.json: /: a symbolic link leading outside the scenario root"});
}

TEST_F(ConfinedScenarios, TheRootItselfAsDotLoadsItsFiles) {
  write(root_ / "a.json", kRule);
  EXPECT_EQ(names_of(read({"."})), std::vector<std::string>{"./a.json"});
}

TEST_F(ConfinedScenarios, ANameLongerThanTheSystemAllowsIsAnErrorSayingSo) {
  const auto name = std::string(5000, 'a');
  EXPECT_EQ(scenario_errors_of([&] { read({name}); }),
            std::vector<std::string>{std::string(197, 'a') +
                                     "...: /: the path is too long: a name is at most 255 bytes, a path 4095"});
}

TEST_F(ConfinedScenarios, AFileTakenForADirectoryIsAnErrorInWords) {
  write(root_ / "a.json", kRule);
  EXPECT_EQ(scenario_errors_of([&] { read({"a.json/b.json"}); }),
            std::vector<std::string>{
                "a.json/b.json: /: a part of the path before its end is a file, not a directory"});
}

TEST_F(ConfinedScenarios, ALinkThatStaysInsideIsRead) {
  write(root_ / "real.json", kRule);
  fs::create_symlink(root_ / "real.json", root_ / "alias.json");
  EXPECT_EQ(read({"alias.json"}).size(), 1u);
}

TEST_F(ConfinedScenarios, OnePathOutsideRefusesTheWholeLoad) {
  write(root_ / "fails.json", kRule);
  EXPECT_EQ(admin_error_of([&] { read({"fails.json", "../outside/x.json"}); }).status(), 403);
}

TEST_F(ConfinedScenarios, AMissingFileInsideIsAnErrorNamingIt) {
  EXPECT_EQ(scenario_errors_of([&] { read({"missing.json"}); }),
            std::vector<std::string>{"missing.json: /: no such file or directory"});
}

TEST_F(ConfinedScenarios, AFileLargerThanTheCapIsRefusedNamingItsSize) {
  const auto path = root_ / "huge.json";
  std::ofstream(path).close();
  fs::resize_file(path, kMaxScenarioFileBytes + 1);
  const auto errors = scenario_errors_of([&] { read({"huge.json"}); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("huge.json: /: " + std::to_string(kMaxScenarioFileBytes + 1) + " bytes", 0), 0u)
      << errors[0];
}

TEST_F(ConfinedScenarios, AFileAtTheCapIsRead) {
  const auto path = root_ / "big.json";
  std::ofstream(path).close();
  fs::resize_file(path, kMaxScenarioFileBytes);
  EXPECT_EQ(read({"big.json"}).at(0).text.size(), kMaxScenarioFileBytes);
}

TEST_F(ConfinedScenarios, AnEmptyDirectoryIsAnError) {
  fs::create_directories(root_ / "empty");
  EXPECT_EQ(scenario_errors_of([&] { read({"empty"}); }),
            std::vector<std::string>{"empty: /: the directory holds no *.json scenario file"});
}

}  // namespace
}  // namespace graphfake::admin
