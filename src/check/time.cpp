// Time-zone lookups through Howard Hinnant's date/tz over the system tz database.
#include <date/tz.h>

#include <mutex>
#include <string>
#include <vector>

namespace charter::detail {

bool valid_time_zone(const std::string& name) {
  static std::mutex m;
  std::lock_guard<std::mutex> lock(m);
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<std::string> time_zone_names() {
  std::vector<std::string> out;
  try {
    const auto& db = date::get_tzdb();
    for (const auto& z : db.zones) out.emplace_back(z.name());
  } catch (const std::exception&) {
  }
  return out;
}

}  // namespace charter::detail
