#include "data/azure_meters.h"

#include <array>

namespace graphfake::data {
namespace {

// Prices are list prices in USD; meter ids are fixed so that every export
// names a meter the same way.
constexpr std::array<AzureMeter, 11> kMeters{{
    {"DZH318Z0BNZ5", "006G", "DZH318Z08B80", "Tables", "Tables - LRS", "Tables - LRS Data Stored",
     "1 GB/Month", 45'000, 5'000'000'000,
     "b0e3a8c4-62a9-4e3b-9c3f-1f6a5d0c2e71", "1 GB/Month", "Storage", "Tables", "LRS Data Stored",
     "US East", "GB/Month", "eastus", "Microsoft.Storage", "Microsoft.Storage/storageAccounts", "st",
     R"({"AccountKind":"StorageV2","UsageType":"TableStorage"})", false},
    {"DZH318Z0BNVX", "0050", "DZH318Z0BRT1", "Bandwidth Inter-Region",
     "Bandwidth Inter-Region - Intra Continent - North America",
     "Intra Continent Data Transfer Out", "1 GB", 20'000, 2'000'000'000,
     "9995d93a-7d35-4d3f-9c69-7a7fea447ef4", "1 GB", "Bandwidth", "Inter-Region",
     "Intra Continent Data Transfer Out", "North America", "GB", "eastus", "Microsoft.Network",
     "Microsoft.Network/publicIPAddresses", "pip", R"({"DataTransferDirection":"DataTrOut"})", false},
    {"DZH318Z0BQ5S", "00TG", "DZH318Z0BZ4H", "Virtual Machines Dsv5 Series", "Standard_D2s_v5",
     "Virtual Machines Dsv5 Series - D2s v5 - US East", "1 Hour", 96'000, 744'000'000,
     "6b2a5e0f-1c4d-4b8e-a1f7-3d9c0e8b5a24", "1 Compute Hour", "Virtual Machines", "Dsv5 Series",
     "D2s v5", "US East", "Hours", "eastus", "Microsoft.Compute", "Microsoft.Compute/virtualMachines",
     "vm", R"({"ServiceType":"Standard_D2s_v5","UsageType":"ComputeHR","ImageType":"Canonical","VCPUs":2})",
     true},
    {"DZH318Z0BPM4", "003X", "DZH318Z0C3JF", "Azure App Service Basic Plan", "Basic Plan - B1",
     "B1 App", "1 Hour", 75'000, 744'000'000,
     "d4a7c2e9-8f31-4a6b-b5d0-92e1c7f3a816", "1 Compute Hour", "Azure App Service",
     "Basic Plan", "B1 App", "US East", "Hours", "eastus", "Microsoft.Web",
     "Microsoft.Web/serverfarms", "asp", R"({"ServiceType":"B1","UsageType":"ComputeHR"})", true},
    {"DZH318Z0BQXL", "004B", "DZH318Z0C4WS", "SQL Database Single Standard", "Standard - S0",
     "S0 DTUs", "1/Day", 483'900, 31'000'000,
     "2f8e6b1a-4c7d-4e9f-8a3b-5d1c9e7f2a60", "1 DTU/Day", "SQL Database", "Single Standard",
     "S0 DTUs", "US East", "Days", "eastus", "Microsoft.Sql", "Microsoft.Sql/servers", "sql",
     R"({"ServiceTier":"Standard","DTUs":10})", false},
    {"DZH318Z0BNVW", "0037", "DZH318Z0BWNL", "Log Analytics", "Analytics Logs",
     "Analytics Logs Data Ingestion", "1 GB", 2'300'000, 500'000'000,
     "8c3d1f5e-2a6b-4d7c-9e0f-1b4a7c2d5e93", "1 GB", "Log Analytics", "Analytics Logs",
     "Data Ingestion", "US East", "GB", "eastus", "Microsoft.OperationalInsights",
     "Microsoft.OperationalInsights/workspaces", "log", R"({"UsageType":"DataIngestion"})", false},
    {"DZH318Z0BQPS", "000Q", "DZH318Z0BXRK", "Key Vault", "Standard", "Standard Operations", "10K",
     30'000, 100'000'000,
     "a1e5c9d3-7b2f-4c8a-b6e4-0d3f8a1c5b27", "10K Operations", "Key Vault", "Standard",
     "Operations", "US East", "10K", "eastus", "Microsoft.KeyVault", "Microsoft.KeyVault/vaults",
     "kv", R"({"UsageType":"Operations"})", false},
    {"DZH318Z0BNZB", "0003", "DZH318Z0BSKH", "Azure DNS", "Public Zone", "Public Zone", "1/Month",
     500'000, 20'000'000,
     "5e9b2d7f-3a1c-4f6e-8d2b-7c4e0a9f1d38", "1 Hosted DNS Zone", "DNS", "", "Public Zone",
     "Zone 1", "Months", "global", "Microsoft.Network", "Microsoft.Network/dnszones", "dns",
     R"({"ZoneType":"Public"})", false},
    {"DZH318Z0BQ4D", "0002", "DZH318Z0C2N6", "Functions", "Standard", "Standard Execution Time",
     "1 GB Second", 16, 900'000'000'000,
     "c7f1a4e8-9d2b-4e5c-a3f6-8b0d2c7e4a19", "1 GB Second", "Functions", "", "Standard Execution Time",
     "US East", "GB Seconds", "eastus", "Microsoft.Web", "Microsoft.Web/sites", "func",
     R"({"UsageType":"ExecutionTime"})", false},
    {"DZH318Z0BP88", "000F", "DZH318Z0BWPQ", "Premium SSD Managed Disks", "P10 LRS", "P10 LRS Disk",
     "1/Month", 19'710'000, 10'000'000,
     "3b6d8f2a-5c9e-4a1d-b7f3-2e8c4a6d0b95", "1 Disk/Month", "Storage",
     "Premium SSD Managed Disks", "P10 LRS Disk", "US East", "Months", "eastus", "Microsoft.Compute",
     "Microsoft.Compute/disks", "disk", R"({"DiskSize":"128","Redundancy":"LRS"})", false},
    {"DZH318Z0BNXM", "0046", "DZH318Z0BVSX", "Backup", "Standard", "Azure VM Protected Instances",
     "1/Month", 10'000'000, 40'000'000,
     "e2c8a6f4-1d3b-4b9e-9f5a-6a2e8c0b4d71", "1 Protected Instance/Month", "Backup", "",
     "Azure VM Protected Instances", "US East", "Months", "eastus", "Microsoft.RecoveryServices",
     "Microsoft.RecoveryServices/vaults", "rsv", R"({"UsageType":"ProtectedInstances"})", false},
}};

}  // namespace

std::span<const AzureMeter> azure_meters() { return kMeters; }

}  // namespace graphfake::data
