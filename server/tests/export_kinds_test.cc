// The export kinds' descriptor table (model/export_kinds.h), and the docs'
// tables of exports, paths, containers, layouts and amount columns held
// against it, so that the docs cannot drift from what the fake serves.
#include "model/export_kinds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/export_family.h"
#include "handlers/router.h"

namespace graphfake::export_kinds_test {

using model::ExportKind;
using model::ExportKindInfo;

// --- the table ------------------------------------------------------------------

TEST(ExportKindTable, DescribesEveryKindOnceInEnumOrder) {
  const auto kinds = model::export_kinds();
  ASSERT_EQ(kinds.size(), 4U);
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kinds[i].kind), i);
    EXPECT_EQ(&model::describe(kinds[i].kind), &kinds[i]);
    EXPECT_EQ(model::export_kind_named(kinds[i].name), kinds[i].kind);
  }
  EXPECT_EQ(model::export_kind_named("billedreconciliation"), std::nullopt);
}

TEST(ExportKindTable, EveryKindHasItsOwnPathAndContainer) {
  std::set<std::pair<std::string_view, std::string_view>> paths;
  std::set<std::string_view> containers;
  for (const auto& info : model::export_kinds()) {
    paths.emplace(info.path[0], info.path[1]);
    containers.insert(info.container);
  }
  EXPECT_EQ(paths.size(), 4U);
  EXPECT_EQ(containers.size(), 4U);
}

TEST(ExportKindTable, EveryKindIsRoutedToItself) {
  for (const auto version : model::kApiVersions) {
    for (const auto& info : model::export_kinds()) {
      const auto path = "/" + std::string(model::to_string(version)) + "/reports/partners/billing/" +
                        std::string(info.path[0]) + "/" + std::string(info.path[1]) + "/export";
      const auto route = handlers::match_route(path);
      EXPECT_EQ(route.endpoint, handlers::RouteKind::export_action) << path;
      EXPECT_EQ(route.export_kind, info.kind) << path;
      EXPECT_EQ(route.version, version) << path;
    }
  }
}

TEST(ExportKindTable, EveryDirectoryPlaceholderIsOneTheServiceFills) {
  const std::pair<std::string_view, std::string> billed[] = {
      {"tenant", "T"}, {"YYYYMM", "202501"}, {"invoice", "G1"}, {"YYYYMM+1", "202502"}};
  const std::pair<std::string_view, std::string> unbilled[] = {
      {"YYYYMMDDhhmm", "202501021504"}, {"tenant", "T"}, {"YYYYMM", "202501"}, {"ISO", "EUR"}};
  for (const auto& info : model::export_kinds()) {
    const auto directory = model::fill_directory(info.directory, info.billed ? std::span(billed) : std::span(unbilled));
    EXPECT_EQ(directory.find('{'), std::string::npos) << directory;
  }
}

TEST(ExportKindTable, FillDirectoryRefusesAPlaceholderWithoutAValue) {
  const std::pair<std::string_view, std::string> tenant[] = {{"tenant", "T"}};
  EXPECT_EQ(model::fill_directory("v1/PartnerTenantId={tenant}/x", tenant), "v1/PartnerTenantId=T/x");
  EXPECT_THROW(model::fill_directory("v1/{tenant}/{ISO}", tenant), std::logic_error);
  EXPECT_THROW(model::fill_directory("v1/{tenant", tenant), std::logic_error);
}

// --- the docs -------------------------------------------------------------------

// __FILE__ is absolute in this build: server/tests/ is two levels below docs/.
std::string doc_text(const std::string& name) {
  const auto path = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The cells of every table row of `text`, trimmed, "\|" kept as written.
std::vector<std::vector<std::string>> table_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() < 2 || line.front() != '|') continue;
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
        cell += "\\|";
        ++i;
      } else if (line[i] == '|') {
        const auto begin = cell.find_first_not_of(' ');
        const auto end = cell.find_last_not_of(' ');
        cells.push_back(begin == std::string::npos ? std::string() : cell.substr(begin, end - begin + 1));
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::vector<std::vector<std::string>> rows_starting(const std::string& text, std::string_view first) {
  auto rows = table_rows(text);
  std::erase_if(rows, [&](const auto& cells) { return cells.empty() || cells[0] != first; });
  return rows;
}

// Every cell in `column` of a table row of `text` that names an export action.
std::set<std::string> documented_actions(const std::string& text, std::size_t column) {
  std::set<std::string> found;
  for (const auto& cells : table_rows(text)) {
    if (cells.size() <= column) continue;
    const auto& cell = cells[column];
    if (cell.starts_with("`POST …/") && cell.ends_with("/export`")) found.insert(cell);
  }
  return found;
}

// "billed reconciliation", as prose names a kind.
std::string title(const ExportKindInfo& info) { return std::string(info.path[1]) + " " + std::string(info.path[0]); }

std::string action(const ExportKindInfo& info) {
  return "`POST …/" + std::string(info.path[0]) + "/" + std::string(info.path[1]) + "/export`";
}

TEST(ExportKindDocs, FidelityEndpointsListEveryExportActionOnce) {
  const auto text = doc_text("docs/fidelity.md");
  std::set<std::string> expected;
  for (const auto& info : model::export_kinds()) expected.insert(action(info));
  EXPECT_EQ(documented_actions(text, 0), expected);
}

TEST(ExportKindDocs, FidelityRootDirectoriesAreEachKindsContainerAndLayout) {
  const auto text = doc_text("docs/fidelity.md");
  for (const auto& info : model::export_kinds()) {
    const auto rows = rows_starting(text, title(info));
    ASSERT_EQ(rows.size(), 1U) << title(info);
    ASSERT_GE(rows[0].size(), 2U);
    EXPECT_EQ(rows[0][1], "`" + std::string(info.container) + "/" + std::string(info.directory) +
                              "/Fragment={full\\|basic}/PartitionType=default`");
  }
}

TEST(ExportKindDocs, ConformanceKindsArePairedWithTheirActions) {
  const auto text = doc_text("docs/conformance.md");
  std::set<std::string> expected;
  for (const auto& info : model::export_kinds()) {
    expected.insert(action(info));
    const auto rows = rows_starting(text, "`" + std::string(info.name) + "`");
    ASSERT_EQ(rows.size(), 1U) << info.name;
    ASSERT_GE(rows[0].size(), 2U);
    EXPECT_EQ(rows[0][1], action(info));
  }
  EXPECT_EQ(documented_actions(text, 1), expected);
}

TEST(ExportKindDocs, ScenarioKindMatchListsEveryKindName) {
  const auto rows = rows_starting(doc_text("docs/scenarios.md"), "`kind`");
  ASSERT_EQ(rows.size(), 1U);
  std::string names;
  for (const auto& info : model::export_kinds()) names += (names.empty() ? "`" : ", `") + std::string(info.name) + "`";
  EXPECT_THAT(rows[0][1], ::testing::EndsWith(": " + names));
}

// "{a,b}/x/{c,d}" as every path it stands for.
std::set<std::string> brace_expansion(const std::string& pattern) {
  const auto open = pattern.find('{');
  if (open == std::string::npos) return {pattern};
  const auto close = pattern.find('}', open);
  std::set<std::string> out;
  const auto alternatives = pattern.substr(open + 1, close - open - 1);
  std::size_t start = 0;
  while (start <= alternatives.size()) {
    const auto comma = std::min(alternatives.find(',', start), alternatives.size());
    for (const auto& tail : brace_expansion(pattern.substr(close + 1))) {
      out.insert(pattern.substr(0, open) + alternatives.substr(start, comma - start) + tail);
    }
    start = comma + 1;
  }
  return out;
}

TEST(ExportKindDocs, ReadmeServesEveryExportUnderEveryVersion) {
  const auto text = doc_text("README.md");
  const std::string marker = "| `POST /";
  const auto at = text.find(marker);
  ASSERT_NE(at, std::string::npos);
  const auto begin = at + marker.size() - 1;
  const auto pattern = text.substr(begin, text.find('`', begin) - begin);
  std::set<std::string> expected;
  for (const auto version : model::kApiVersions) {
    for (const auto& info : model::export_kinds()) {
      expected.insert("/" + std::string(model::to_string(version)) + "/reports/partners/billing/" +
                      std::string(info.path[0]) + "/" + std::string(info.path[1]) + "/export");
    }
  }
  EXPECT_EQ(brace_expansion(pattern), expected);
}

TEST(ExportKindDocs, AdminTotalsNameEachFamilysAmountColumns) {
  const auto text = doc_text("docs/admin-api.md");
  for (const auto family : {model::ExportFamily::reconciliation, model::ExportFamily::usage}) {
    std::string first = "billed and unbilled ";
    for (const auto& info : model::export_kinds()) {
      if (info.family == family) {
        first += info.path[0];
        break;
      }
    }
    const auto rows = rows_starting(text, first);
    ASSERT_EQ(rows.size(), 1U) << first;
    // The columns are the cell's code spans outside parentheses.
    std::vector<std::string> documented;
    int depth = 0;
    const auto& cell = rows[0][1];
    for (std::size_t i = 0; i < cell.size(); ++i) {
      if (cell[i] == '(') ++depth;
      if (cell[i] == ')') --depth;
      if (cell[i] == '`') {
        const auto end = cell.find('`', i + 1);
        if (depth == 0) documented.push_back(cell.substr(i + 1, end - i - 1));
        i = end;
      }
    }
    const auto columns = data::family_data(family).amount_columns;
    EXPECT_EQ(documented, std::vector<std::string>(columns.begin(), columns.end())) << first;
  }
}

}  // namespace graphfake::export_kinds_test
