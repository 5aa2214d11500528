#include "data/export_data.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "data/reconciliation_generator.h"
#include "data/usage_generator.h"

namespace graphfake::data {

std::shared_ptr<const LineSource> make_line_source(model::ExportKind kind, InvoiceProfile profile,
                                                   std::uint64_t seed, model::AttributeSet set,
                                                   LineFormat format) {
  if (model::is_billed(kind) != profile.billed) {
    throw std::invalid_argument(fmt::format("a {} export needs {} profile", model::to_string(kind),
                                            model::is_billed(kind) ? "a billed" : "an unbilled"));
  }
  if (model::is_usage(kind)) {
    return std::make_shared<const UsageGenerator>(std::move(profile), seed, set, format);
  }
  return std::make_shared<const ReconciliationGenerator>(std::move(profile), seed, set, format);
}

}  // namespace graphfake::data
