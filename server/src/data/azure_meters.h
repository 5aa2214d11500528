#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace graphfake::data {

// Meter prices are micro-USD and quantities millionths of a unit.
inline constexpr int kMeterPriceScale = 6;
inline constexpr int kMeterQuantityScale = 6;
// Azure, like every product the fake sells, is Microsoft's own.
inline constexpr std::string_view kPublisherName = "Microsoft Corporation";

// An Azure plan meter, billed on consumption: a small but recognisable slice
// of the CSP price list. Reconciliation lines bill a month of it per
// subscription; usage lines a day of it per resource.
struct AzureMeter {
  // The product as Partner Center's price list names it.
  std::string_view product_id;
  std::string_view sku_id;
  std::string_view availability_id;
  std::string_view product_name;
  std::string_view sku_name;
  std::string_view description;  // reconciliation MeterDescription
  std::string_view unit_type;    // "1 Hour"
  std::int64_t price_micro;               // USD per unit
  std::int64_t max_monthly_quantity_micro;  // largest plausible monthly consumption

  // The meter as Azure's usage records describe it.
  std::string_view meter_id;  // GUID
  std::string_view meter_type;
  std::string_view category;
  std::string_view sub_category;
  std::string_view name;
  std::string_view region;  // meter region ("US East"), not an Azure location
  std::string_view unit;    // unit of measure ("Hours")
  std::string_view resource_location;  // Azure location of the resources it meters
  std::string_view consumed_service;   // resource provider namespace
  std::string_view resource_type;      // provider path of a metered resource
  std::string_view resource_prefix;    // resource names start with it ("vm-")
  std::string_view additional_info;    // JSON text
  bool savings_plan_eligible;
};

std::span<const AzureMeter> azure_meters();

}  // namespace graphfake::data
