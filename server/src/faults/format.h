#pragma once

// A fault as a scenario file writes it: the properties of a fault object,
// what each is for and which fault points take it. The scenario parser
// reads this table; a test holds the JSON Schema and the docs to it.
#include <array>
#include <span>
#include <string_view>

#include "core/json_fields.h"
#include "faults/fault.h"

namespace graphfake::faults {

// The fault points as scenario files name them ("on"), in Fault::On's order.
inline constexpr std::array<std::string_view, 4> kPointNames = {"export", "poll", "manifest", "blob"};
inline constexpr std::array<Fault::On, 4> kPoints = {Fault::On::export_request, Fault::On::poll, Fault::On::manifest,
                                                     Fault::On::blob};

// The values of the enumerated actions, each spelling beside its value.
inline constexpr std::array<std::string_view, 2> kBodyNames = {"notJson", "unknownStatus"};
inline constexpr std::array<Fault::Body, 2> kBodies = {Fault::Body::not_json, Fault::Body::unknown_status};
inline constexpr std::array<std::string_view, 3> kLocationNames = {"relative", "missing", "wrongHost"};
inline constexpr std::array<Fault::Location, 3> kLocations = {Fault::Location::relative, Fault::Location::missing,
                                                              Fault::Location::wrong_host};
inline constexpr std::array<std::string_view, 2> kDropNames = {"beforeCreate", "afterCreate"};
inline constexpr std::array<Fault::Drop, 2> kDrops = {Fault::Drop::before_create, Fault::Drop::after_create};
inline constexpr std::array<std::string_view, 2> kGzipNames = {"truncated", "corrupt"};
inline constexpr std::array<Fault::Gzip, 2> kGzips = {Fault::Gzip::truncated, Fault::Gzip::corrupt};

// The distributions of a delay object, in Latency::Distribution's order
// after `fixed` (which is a plain duration, not an object).
inline constexpr std::array<std::string_view, 2> kDistributionNames = {"uniform", "logNormal"};
inline constexpr std::array<Latency::Distribution, 2> kDistributions = {Latency::Distribution::uniform,
                                                                        Latency::Distribution::log_normal};

// What a property of a fault object is for.
enum class Role {
  point,          // "on"
  trigger,        // when the fault applies
  action,         // what replaces the response: at most one per fault
  status_detail,  // completes a "status" action
  delay,          // holds the response back, with or without an action
};

constexpr unsigned point_bit(Fault::On on) { return 1U << static_cast<unsigned>(on); }
inline constexpr unsigned kEveryPoint = (1U << kPoints.size()) - 1;

struct Property {
  core::Field field;
  Role role;
  unsigned points;  // point_bit()s of the points that take it

  bool applies_to(Fault::On on) const { return (points & point_bit(on)) != 0; }
};

// Every property a fault object may have, in the order errors list them.
std::span<const Property> properties();
// The property called `name`, or null.
const Property* find_property(std::string_view name);
// The same table as plain fields, for the format's section list.
std::span<const core::Field> fields();

// The fields of a delay object, by distribution.
std::span<const core::Field> uniform_delay_fields();
std::span<const core::Field> log_normal_delay_fields();

}  // namespace graphfake::faults
