#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graphfake/admin_error.h"
#include "graphfake/scenarios.h"

namespace graphfake::admin {

// A scenario file read by path over HTTP is refused past this size, before
// it is read whole.
inline constexpr std::uintmax_t kMaxScenarioFileBytes = 4 * 1024 * 1024;

// Reads the scenario files `paths` name, for the admin API over HTTP, only
// from inside `root` (Options::scenario_root): each path is relative to it,
// or absolute inside it; files, or directories whose *.json files are read.
// Throws AdminError 403 when `root` is empty (loading by path is off) or a
// path leads outside it, by ".." or a symbolic link — the same answer
// whether or not anything is there, naming nothing of it. Throws
// ScenarioError listing every file inside that is missing, not a regular
// file, or larger than kMaxScenarioFileBytes.
std::vector<ScenarioSource> read_confined_scenarios(const std::vector<std::string>& paths, const std::string& root);

}  // namespace graphfake::admin
