// Calendar arithmetic on the proleptic Gregorian calendar (H. Hinnant's algorithms).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include <charter/expr.hpp>

namespace charter::detail {

/// Days since 1970-01-01 of a civil date.
constexpr std::int64_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

constexpr std::int64_t day_number(const Date& d) noexcept {
  return days_from_civil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day));
}

/// The civil date of a day number (days since 1970-01-01).
constexpr Date civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

/// The common spelling of an RFC 3339 datetime, `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`,
/// read fast: the day of the last date seen is kept, since data files repeat dates. False
/// for anything else (a fraction, a leap second, `t`, another spelling: read those the
/// careful way, with charter::parse_datetime, which accepts all that this does).
class QuickDatetime {
 public:
  bool parse(std::string_view t, std::int64_t& epoch, int& offset_minutes) {
    if ((t.size() != 20 && t.size() != 25) || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
        t[16] != ':')
      return false;
    const char* p = t.data();
    if (!have_day_ || std::memcmp(day_text_, p, 10) != 0) {
      int y1 = two(p), y2 = two(p + 2), mo = two(p + 5), d = two(p + 8);
      if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1) return false;
      int y = y1 * 100 + y2;
      static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return false;
      day_ = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
      std::memcpy(day_text_, p, 10);
      have_day_ = true;
    }
    int h = two(p + 11), mi = two(p + 14), sec = two(p + 17);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return false;
    int off = 0;
    if (t.size() == 20) {
      if (p[19] != 'Z') return false;
    } else {
      int oh = two(p + 20), om = two(p + 23);
      if ((p[19] != '+' && p[19] != '-') || p[22] != ':' || oh < 0 || oh > 23 || om < 0 || om > 59) return false;
      off = (oh * 60 + om) * (p[19] == '-' ? -1 : 1);
    }
    epoch = day_ * 86400 + h * 3600 + mi * 60 + sec - std::int64_t{off} * 60;
    offset_minutes = off;
    return true;
  }

 private:
  [[gnu::always_inline]] static int two(const char* p) {
    unsigned a = static_cast<unsigned>(p[0] - '0'), b = static_cast<unsigned>(p[1] - '0');
    return a < 10 && b < 10 ? static_cast<int>(a * 10 + b) : -1;
  }
  char day_text_[10] = {};
  std::int64_t day_ = 0;
  bool have_day_ = false;
};

}  // namespace charter::detail
