#include "admin/scenario_paths.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>
#include <string_view>

#include "core/excerpt.h"
#include "graphfake/scenarios.h"
#include "scenario/scenario.h"

namespace graphfake::admin {
namespace {

namespace fs = std::filesystem;

AdminError paths_off() {
  return AdminError(403, "scenarioPathsDisabled",
                    "Loading scenario files by path over HTTP is off. Send their content, as {\"files\": [{\"name\": "
                    "\"...\", \"content\": {...}}]}, or start the fake with --scenario-root DIR "
                    "(Options::scenario_root) to load paths inside DIR.");
}

AdminError outside_root() {
  return AdminError(403, "scenarioPathOutsideRoot",
                    "Scenario files are loaded by path only from inside the fake's --scenario-root "
                    "(Options::scenario_root), reached without '..' or symbolic links leading out.");
}

bool within(const fs::path& root, const fs::path& path) {
  return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

// A symbolic link that leads nowhere resolves to itself, so where it points
// cannot be told: a missing path that passes through one is refused rather
// than reported missing.
bool passes_through_link(const fs::path& root, const fs::path& resolved) {
  fs::path at = root;
  for (const auto& part : resolved.lexically_relative(root)) {
    at /= part;
    std::error_code error;
    if (fs::is_symlink(fs::symlink_status(at, error))) return true;
  }
  return false;
}

// `path` resolved (relative to `root`, itself canonical), or nullopt when
// it leads outside `root`. Throws ScenarioError for a path the system
// refuses to resolve at all (too long): that says nothing of any file.
std::optional<fs::path> resolve_inside(const fs::path& root, const fs::path& path, std::string_view name) {
  std::error_code error;
  const auto resolved = fs::weakly_canonical(path.is_absolute() ? path : root / path, error);
  if (error == std::errc::filename_too_long) {
    throw ScenarioError(
        {fmt::format("{}: /: {}", core::text_excerpt(name, 200), scenario::system_problem(ENAMETOOLONG))});
  }
  if (error || !within(root, resolved)) return std::nullopt;
  if (!fs::exists(resolved, error) && passes_through_link(root, resolved)) return std::nullopt;
  return resolved;
}

// A file's text, or why it cannot be a scenario file.
struct FileRead {
  std::string text;
  std::string problem;  // empty when the text was read
};

// Opened without following a final symbolic link (one swapped in after
// resolving), and without waiting on a pipe.
FileRead read_capped(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return {"", scenario::system_problem(errno)};
  FileRead read;
  struct stat about {};
  if (::fstat(fd, &about) != 0 || !S_ISREG(about.st_mode)) {
    read.problem = "not a regular file";
  } else if (static_cast<std::uintmax_t>(about.st_size) > kMaxScenarioFileBytes) {
    read.problem =
        fmt::format("{} bytes, more than the {} a scenario file may have", about.st_size, kMaxScenarioFileBytes);
  } else {
    // Up to one byte past the cap, in case the file grew since fstat.
    read.text.resize(static_cast<std::size_t>(about.st_size) + 1);
    std::size_t filled = 0;
    ssize_t got = 0;
    while (filled < read.text.size() && (got = ::read(fd, read.text.data() + filled, read.text.size() - filled)) > 0) {
      filled += static_cast<std::size_t>(got);
    }
    read.text.resize(filled);
    if (got < 0) {
      read.problem = scenario::system_problem(errno);
    } else if (filled > kMaxScenarioFileBytes) {
      read.problem = fmt::format("more than the {} bytes a scenario file may have", kMaxScenarioFileBytes);
    }
  }
  ::close(fd);
  return read;
}

}  // namespace

std::vector<ScenarioSource> read_confined_scenarios(const std::vector<std::string>& paths, const std::string& root) {
  if (root.empty()) throw paths_off();
  std::error_code error;
  const auto canonical_root = fs::canonical(root, error);
  if (error) {
    throw AdminError(500, "scenarioRootUnavailable",
                     fmt::format("The fake's scenario root cannot be resolved: {}.", error.message()));
  }

  // Every file is resolved before any is read: one path leading outside
  // refuses the whole load before anything inside is looked at.
  struct Named {
    std::string name;  // as the listing and errors show it
    fs::path resolved;
  };
  std::vector<Named> files;
  std::vector<std::string> errors;
  for (const auto& path : paths) {
    const auto resolved = resolve_inside(canonical_root, path, path);
    if (!resolved) throw outside_root();
    if (!fs::is_directory(*resolved, error)) {
      files.push_back({path, *resolved});
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(*resolved, error)) {
      if (entry.path().extension() == ".json" && entry.is_regular_file(error)) found.push_back(entry.path());
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) {
      errors.push_back(
          fmt::format("{}: /: the directory holds no *.json scenario file", core::text_excerpt(path, 200)));
    }
    for (const auto& file : found) {
      const auto name = (fs::path(path) / file.filename()).string();
      // Inside the root, named by its listing rather than the caller: saying
      // where it leads would tell nothing of what is there.
      if (const auto inside = resolve_inside(canonical_root, file, name)) {
        files.push_back({name, *inside});
      } else {
        errors.push_back(
            fmt::format("{}: /: a symbolic link leading outside the scenario root", core::text_excerpt(name, 200)));
      }
    }
  }

  std::vector<ScenarioSource> sources;
  for (const auto& [name, resolved] : files) {
    auto read = read_capped(resolved);
    if (!read.problem.empty()) {
      errors.push_back(fmt::format("{}: /: {}", core::text_excerpt(name, 200), read.problem));
    } else {
      sources.push_back(ScenarioSource{name, std::move(read.text)});
    }
  }
  if (!errors.empty()) throw ScenarioError(std::move(errors));
  return sources;
}

}  // namespace graphfake::admin
