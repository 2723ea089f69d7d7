// charter — business calendars: open time in a time zone, from weekly hours and holidays.
//
//   auto loaded = charter::load_charter({"charter"});
//   auto emea = charter::BusinessCalendar::find(loaded.charter(), "emea").value();
//   charter::Instant start = charter::to_instant(charter::parse_datetime("2026-11-27T17:00:00+01:00").value());
//   auto deadline = emea.add(start, std::chrono::hours(8));       // (emea is open 09:00-17:30)
//   std::cout << emea.local_time(*deadline);                        // 2026-11-30T16:30:00+01:00
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <charter/charter.hpp>

namespace charter {

namespace detail {
struct CalendarAccess;
}

/// An instant: whole seconds since 1970-01-01T00:00:00Z.
using Instant = std::chrono::sys_seconds;

/// The instant of a datetime (its offset only says how it was written).
inline Instant to_instant(const DatetimeValue& t) noexcept { return Instant(std::chrono::seconds(t.epoch_seconds)); }

/// A business calendar (a charter's `calendars:` entry), or the wall clock.
///
/// Open time is real elapsed time inside the calendar's local open intervals: an hour is
/// 3,600 s whatever the clocks do, so a 24/7 calendar has 23 hours on the spring-forward day
/// and 25 on the fall-back day. An interval runs from the first instant the local clock shows
/// its start to the first instant it shows its end (`24:00` is the next midnight): a time in
/// the spring-forward gap is the instant of the change, and a time that occurs twice on the
/// fall-back day is its first occurrence. Holidays (dates, ranges, `every_year` dates) are
/// closed all day. Time zones come from the system tz database (Howard Hinnant's date/tz).
///
/// Instants before year 1 or after year 9999 are taken as those limits. Every operation walks
/// the days between its instants, skipping whole weeks without a
/// holiday or a clock change, so its cost grows with the number of weeks spanned. A
/// calendar is immutable and may be used from several threads at once; copies are cheap.
class BusinessCalendar {
 public:
  /// The wall clock: always open, in UTC; a `d` is 24 h and a `w` 7 days.
  BusinessCalendar();
  /// A calendar of a loaded charter (its data is copied: the charter need not outlive it).
  /// Throws `charter::Error` when its time zone is not in the tz database (a charter that
  /// loaded without errors has only valid zones).
  explicit BusinessCalendar(const Calendar& calendar);
  /// Calendar `id` of `charter`, or nullopt when there is none.
  static std::optional<BusinessCalendar> find(const Charter& charter, std::string_view id);

  bool is_wall_clock() const noexcept;
  std::string_view id() const noexcept;         ///< empty for the wall clock
  std::string_view time_zone() const noexcept;  ///< IANA name; "UTC" for the wall clock

  /// Whether `t` is inside an open interval (a start is open, an end is closed).
  bool is_open(Instant t) const;
  /// `t` when it is open, else the next instant it opens; nullopt when it never opens in the
  /// next 100 years (holidays on every open day).
  std::optional<Instant> next_open(Instant t) const;
  /// Open time between `from` and `to` (zero when `to` is not after `from`).
  std::chrono::seconds elapsed(Instant from, Instant to) const;
  /// The first instant at which `open` of open time has elapsed since `start`; a start
  /// outside open hours counts from the next open moment. So Friday 17:00 + 8 h on
  /// Mon–Fri 09:00–17:00 is Monday 17:00. nullopt when the result is more than 100 years
  /// of days away (or the calendar never opens again), or for a negative duration.
  std::optional<Instant> add(Instant start, std::chrono::seconds open) const;
  /// A duration as written in a charter: `m` and `h` are open time (as above); `d` and `w`
  /// count business days (days with open time): the deadline is the close of the Nth
  /// business day after the day the clock starts (that day is day 0; a clock that starts
  /// outside open hours starts at the next open moment). `Nw` is N times the business days of
  /// a week (5 for Mon–Fri).
  std::optional<Instant> add(Instant start, const DurationValue& duration) const;
  /// Days with open hours in the weekly schedule (7 for the wall clock).
  int business_days_per_week() const noexcept;

  /// `t` in the calendar's zone, RFC 3339 with its offset: `2026-03-30T17:00:00+02:00`.
  std::string local_time(Instant t) const;

  struct Impl;

 private:
  friend struct detail::CalendarAccess;
  std::shared_ptr<const Impl> impl_;
};

/// `t` as RFC 3339 in UTC: `2026-03-30T15:00:00Z`.
std::string utc_time(Instant t);

}  // namespace charter
