// Internal: time zones for SLA periods (defined in report.cpp).
#pragma once

#include <date/tz.h>
#include <charter/calendar.hpp>

#include <cstdint>
#include <string_view>

namespace charter::detail {

// The zone of the tz database named `name`; throws charter::Error for an unknown one.
const date::time_zone* zone_named(std::string_view name);
// The first instant of local day `day` (days since 1970-01-01) in `zone`.
Instant local_midnight(const date::time_zone* zone, std::int64_t day);

}  // namespace charter::detail
