#include "scenario/format.h"

#include "faults/format.h"

namespace graphfake::scenario {

std::vector<Section> sections() {
  return {
      {"file", "", "## Top level", file_fields()},
      {"rule", "rule", "## Rule", rule_fields()},
      {"match", "match", "## `match`", match_fields()},
      {"regex", "regexMatch", "### Regular expressions", regex_fields()},
      {"waiting phase", "waitingPhase", "### `notStarted` / `running`", waiting_phase_fields()},
      {"succeeded phase", "succeededPhase", "### `succeeded`", succeeded_phase_fields()},
      {"extra column", "extraColumn", "#### `extraColumn`", extra_column_fields()},
      {"SAS terms", "sasTerms", "#### `sas`", sas_terms_fields()},
      {"failed phase", "failedPhase", "### `failed`", failed_phase_fields()},
      {"operation error", "operationError", "#### `error`", operation_error_fields()},
      {"timeline preset", "timelinePreset", "### Presets", timeline_preset_fields()},
      {"fault", "fault", "## `faults`", faults::fields()},
      {"uniform delay", "uniformDelay", "#### `uniform`", faults::uniform_delay_fields()},
      {"log-normal delay", "logNormalDelay", "#### `logNormal`", faults::log_normal_delay_fields()},
  };
}

}  // namespace graphfake::scenario
