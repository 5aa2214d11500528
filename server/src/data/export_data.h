#pragma once

#include <cstdint>
#include <memory>

#include "data/invoice_profile.h"
#include "data/line_format.h"
#include "data/line_source.h"
#include "model/export.h"

namespace graphfake::data {

// The rows of an export of `kind` over `profile`: reconciliation or usage
// lines. Throws std::invalid_argument when a billed kind is asked of an
// unbilled profile or the other way round, or the profile cannot be billed
// (no customers, no valid month).
std::shared_ptr<const LineSource> make_line_source(model::ExportKind kind, InvoiceProfile profile,
                                                   std::uint64_t seed, model::AttributeSet set,
                                                   LineFormat format);

}  // namespace graphfake::data
