#include "data/export_family.h"

#include <utility>

#include "data/reconciliation_generator.h"
#include "data/reconciliation_schema.h"
#include "data/usage_generator.h"
#include "data/usage_schema.h"

namespace graphfake::data {
namespace {

template <typename Generator>
std::shared_ptr<const LineSource> make(InvoiceProfile profile, std::uint64_t seed, model::AttributeSet set,
                                       LineFormat format) {
  return std::make_shared<const Generator>(std::move(profile), seed, set, format);
}

}  // namespace

const FamilyData& family_data(model::ExportFamily family) {
  // Indexed by family, in the enum's order.
  static const FamilyData kFamilies[] = {
      {reconciliation_columns(), kReconciliationAmountColumns, kReconciliationAmountScale,
       make<ReconciliationGenerator>},
      {usage_columns(), kUsageAmountColumns, kUsageAmountScale, make<UsageGenerator>},
  };
  return kFamilies[static_cast<std::size_t>(family)];
}

}  // namespace graphfake::data
