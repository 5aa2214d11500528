#include "data/export_data.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "data/export_family.h"
#include "model/export_kinds.h"

namespace graphfake::data {

std::shared_ptr<const LineSource> make_line_source(model::ExportKind kind, InvoiceProfile profile,
                                                   std::uint64_t seed, model::AttributeSet set,
                                                   LineFormat format) {
  const auto& info = model::describe(kind);
  if (info.billed != profile.billed) {
    throw std::invalid_argument(fmt::format("a {} export needs {} profile", info.name,
                                            info.billed ? "a billed" : "an unbilled"));
  }
  return family_data(info.family).make(std::move(profile), seed, set, format);
}

}  // namespace graphfake::data
